"""Pages with bad input: a clear 4xx message, the form kept, nothing changed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from courtyard.pairing import services
from courtyard.pairing.models import Program, Signup
from tests.conftest import signed_in_client
from tests.helpers import db_snapshot
from tests.pairing.conftest import coffee_program

pytestmark = pytest.mark.django_db


def fresh(profile):
    client = signed_in_client(profile)
    client.get("/healthz")
    return client


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"kind": "coffee", "name": "", "scope": "organization"}, "This field is required"),
        ({"kind": "coffee", "name": "Tea", "scope": "organization", "timezone": "Nowhere/Land", "cadence": "weekly",
          "weekday": "0", "local_time": "10:00", "group_size": "2", "lookback_rounds": "6"}, "is not a time zone"),
        ({"kind": "coffee", "name": "Tea", "scope": "group", "group": "", "timezone": "UTC", "cadence": "weekly",
          "weekday": "0", "local_time": "10:00", "group_size": "2", "lookback_rounds": "6"}, "Choose the group"),
        ({"kind": "coffee", "name": "Tea", "scope": "cross", "timezone": "UTC", "cadence": "weekly", "weekday": "0",
          "local_time": "10:00", "group_size": "2", "lookback_rounds": "6", "side_a_tenure": "newcomers"}, "side B"),
        ({"kind": "teams", "name": "Hack", "scope": "organization", "team_min": "8", "team_max": "5"},
         "cannot be above the largest"),
    ],
)
def test_bad_program_forms_are_400_with_the_reason(organizer, data, message):
    client = fresh(organizer)
    before = db_snapshot()
    response = client.post(reverse("pairing:create"), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert db_snapshot() == before


def test_bad_kind_is_400(organizer):
    client = fresh(organizer)
    assert client.get(reverse("pairing:create") + "?kind=tea").status_code == 400


def test_mentorship_sign_up_form_keeps_what_was_typed(organizer, member):
    program = services.program_create(actor=organizer.user, kind="mentorship", name="Grow")
    client = fresh(member)
    page = client.get(reverse("pairing:join", args=[program.pk]))
    assert page.status_code == 200
    assert "How many mentees can you take?" in page.content.decode()
    before = db_snapshot()
    response = client.post(reverse("pairing:join", args=[program.pk]), {"role": "mentee", "goals": "", "topics": "Go"})
    assert response.status_code == 400
    assert "Your goals cannot be empty." in response.content.decode()
    assert db_snapshot() == before
    response = client.post(reverse("pairing:join", args=[program.pk]), {"role": "mentor", "capacity": "3",
                                                                         "skills": "Go, Rust", "topics": "Careers"})
    assert response.status_code == 302
    signup = Signup.objects.get(program=program, profile=member)
    assert signup.capacity == 3
    assert sorted(t.name for t in signup.skills.all()) == ["Go", "Rust"]


def test_bad_snooze_and_check_in_dates_are_400(organizer, crowd):
    program = coffee_program(organizer)
    services.signup_join(actor=crowd[2].user, program=program)
    client = fresh(crowd[2])
    before = db_snapshot()
    for until in ("yesterday", (dt.date.today() - dt.timedelta(days=1)).isoformat(), "2999-01-01"):
        response = client.post(reverse("pairing:snooze", args=[program.pk]), {"until": until})
        assert response.status_code == 400, until
    assert db_snapshot() == before
    response = client.post(reverse("pairing:status", args=[program.pk]), {"status": "exploded"})
    assert response.status_code == 400


def test_the_do_not_pair_list_refuses_unknown_people_and_oneself(member):
    client = fresh(member)
    before = db_snapshot()
    response = client.post(reverse("pairing:never_pair"), {"email": "nobody@example.com"})
    assert response.status_code == 400
    assert "Nobody in the directory has that address." in response.content.decode()
    response = client.post(reverse("pairing:never_pair"), {"email": member.user.email})
    assert response.status_code == 400
    assert "never paired with yourself" in response.content.decode()
    assert db_snapshot() == before


def test_the_edit_form_changes_the_schedule(organizer):
    program = coffee_program(organizer)
    client = fresh(organizer)
    page = client.get(reverse("pairing:edit", args=[program.pk]))
    assert page.status_code == 200
    response = client.post(reverse("pairing:edit", args=[program.pk]), {
        "name": "Coffee roulette", "cadence": "monthly", "weekday": "4", "local_time": "15:00",
        "timezone": "Asia/Tokyo", "group_size": "3", "lookback_rounds": "2"})
    assert response.status_code == 302
    program.refresh_from_db()
    assert (program.cadence, program.weekday, program.group_size, program.timezone) == ("monthly", 4, 3, "Asia/Tokyo")
    local = program.next_round_at.astimezone(__import__("zoneinfo").ZoneInfo("Asia/Tokyo"))
    assert (local.weekday(), local.hour, local.day <= 7) == (4, 15, True)
    assert Program.objects.count() == 1
