"""Pairing pages and API lists run a fixed number of queries whatever the number of programs, participants,
rounds, matches, check-ins and teams: each is counted on a small and a larger world, and pinned."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from courtyard.pairing import services
from courtyard.pairing.models import CoffeeMatch, FormedTeam, MentorshipMatch, Program
from tests.factories import make_profile

pytestmark = pytest.mark.django_db


def client_for(profile) -> Client:
    client = Client()
    client.force_login(profile.user)
    client.get("/healthz")
    return client


def count(client: Client, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm up
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    used = len(queries)
    if not settings.SESSION_ENGINE.endswith(".db"):
        used += 1  # count as with database sessions, so the pins hold on both setups
    return used


def build(n: int, organizer, me):
    """n people in a coffee program with three rounds, a mentorship cohort of n/2 pairs with check-ins,
    and a team formation of n people; ``me`` takes part in all of them."""
    people = [me] + [make_profile(full_name=f"P {n}-{i}", department=["Eng", "Sales", "Ops"][i % 3],
                                  interests=["Chess"], languages="English") for i in range(n - 1)]
    coffee = services.program_create(actor=organizer.user, kind="coffee", name=f"Coffee {n}")
    for person in people:
        services.signup_join(actor=person.user, program=coffee)
    for week in range(3):
        services.coffee_round_run(program_id=coffee.pk, round_date=dt.date.today() - dt.timedelta(days=7 * (3 - week)))
    for match in CoffeeMatch.objects.filter(program=coffee)[: n // 2]:
        services.coffee_outcome_set(actor=match.members.first().profile.user, match=match, met=True)
    mentorship = services.program_create(actor=organizer.user, kind="mentorship", name=f"Grow {n}",
                                         require_shared_language=False)
    half = len(people) // 2
    for person in people[:half]:
        services.signup_join(actor=person.user, program=mentorship, role="mentee", goals="Grow", skills=["Chess"])
    for person in people[half:]:
        services.signup_join(actor=person.user, program=mentorship, role="mentor", capacity=2, skills=["Chess"])
    services.mentorship_run(actor=organizer.user, program=mentorship)
    services.mentorship_publish(actor=organizer.user, program=mentorship)
    for match in MentorshipMatch.objects.filter(program=mentorship):
        services.checkin_add(actor=match.mentee.profile.user, match=match, met_on=dt.date.today(), notes="Talked")
    extra = make_profile(full_name=f"Late mentee {n}")
    services.signup_join(actor=extra.user, program=mentorship, role="mentee", goals="Grow")
    services.mentorship_run(actor=organizer.user, program=mentorship)
    teams = services.program_create(actor=organizer.user, kind="teams", name=f"Hack {n}", team_min=2, team_max=3)
    for person in people:
        services.signup_join(actor=person.user, program=teams)
    services.teams_run(actor=organizer.user, program=teams)
    return {"coffee": coffee, "mentorship": mentorship, "teams": teams, "people": people}


PAGES = {
    "hub": lambda w: reverse("pairing:hub"),
    "coffee program (owner)": lambda w: reverse("pairing:program", args=[w["coffee"].pk]),
    "mentorship program (owner)": lambda w: reverse("pairing:program", args=[w["mentorship"].pk]),
    "teams program (owner)": lambda w: reverse("pairing:program", args=[w["teams"].pk]),
    "mentorship review": lambda w: reverse("pairing:review", args=[w["mentorship"].pk]),
    "teams review": lambda w: reverse("pairing:review", args=[w["teams"].pk]),
    "api programs": lambda w: "/api/pairing/programs",
    "api rounds": lambda w: f"/api/pairing/programs/{w['coffee'].pk}/rounds",
    "api signups": lambda w: f"/api/pairing/programs/{w['mentorship'].pk}/signups",
    "api matches": lambda w: f"/api/pairing/programs/{w['mentorship'].pk}/matches",
}
MEMBER_PAGES = {
    "coffee match": lambda w: reverse("pairing:coffee_match", args=[CoffeeMatch.objects.filter(
        program=w["coffee"], members__profile=w["people"][0]).latest("round__round_date").pk]),
    "mentorship": lambda w: reverse("pairing:mentorship", args=[MentorshipMatch.objects.filter(
        program=w["mentorship"], mentee__profile=w["people"][0]).get().pk]),
    "api coffee matches": lambda w: "/api/pairing/coffee-matches",
    "api mentorships": lambda w: "/api/pairing/mentorships",
    "api checkins": lambda w: f"/api/pairing/mentorships/{MentorshipMatch.objects.filter(program=w['mentorship'], mentee__profile=w['people'][0]).get().pk}/checkins",
    "hub (member)": lambda w: reverse("pairing:hub"),
}

# Pinned: a change that adds a query per row fails here; a deliberate change updates the pin.
PINNED = {
    "hub": 7, "coffee program (owner)": 10, "mentorship program (owner)": 10, "teams program (owner)": 9,
    "mentorship review": 7, "teams review": 9, "api programs": 5, "api rounds": 6, "api signups": 7,
    "api matches": 7, "coffee match": 6, "mentorship": 5, "api coffee matches": 5, "api mentorships": 4,
    "api checkins": 5, "hub (member)": 9,
}


def test_query_counts_do_not_grow_with_the_data(organizer):
    counts: dict[int, dict[str, int]] = {}
    for n in (4, 24):
        me = make_profile(full_name=f"Me {n}", department="Eng", interests=["Chess"])
        world = build(n, organizer, me)
        owner, member = client_for(organizer), client_for(me)
        counts[n] = {name: count(owner, url(world)) for name, url in PAGES.items()}
        counts[n] |= {name: count(member, url(world)) for name, url in MEMBER_PAGES.items()}
        assert FormedTeam.objects.filter(program=world["teams"]).count() >= 2
        assert Program.objects.filter(name=f"Grow {n}", status="review").exists()
    assert counts[4] == counts[24]
    assert counts[24] == PINNED
    assert max(counts[24].values()) <= 13
