"""The checklist card on the home page: only a newcomer sees it, each step ticks itself from the facts,
dismissing hides it without losing progress, and nobody else learns who is new through it."""

from __future__ import annotations

import pytest
from django.test import Client

from courtyard.core.activity import participation_record
from courtyard.groups import services as groups
from courtyard.welcome import selectors, services
from courtyard.welcome.models import Journey, WelcomeSettings
from tests.factories import make_profile
from tests.helpers import image_upload
from tests.welcome.conftest import days_ago, today

pytestmark = pytest.mark.django_db


def client_of(profile) -> Client:
    client = Client()
    client.force_login(profile.user)
    return client


def steps_done(profile) -> dict[str, bool]:
    card = selectors.welcome_card(profile.user)
    assert card is not None
    return {item["key"]: item["done"] for item in card["items"]}


def test_only_a_newcomer_sees_the_card(team):
    page = client_of(team.newcomer).get("/").content.decode()
    assert 'id="welcome-card"' in page
    assert "Welcome aboard" in page
    for seasoned in (team.manager, team.other):
        assert 'id="welcome-card"' not in client_of(seasoned).get("/").content.decode()
    grown = make_profile(password=None, email="gil.grown@example.com", full_name="Gil Grown", start_date=days_ago(91))
    assert selectors.welcome_card(grown.user) is None
    future = make_profile(password=None, email="fay.future@example.com", full_name="Fay Future",
                          start_date=days_ago(-7))
    assert selectors.welcome_card(future.user) is None


def test_each_step_ticks_itself_from_the_facts(team):
    newcomer = team.newcomer
    assert not any(steps_done(newcomer).values())
    # Profile: a photo, interests (she has one) and "ask me about".
    from courtyard.people import services as people

    people.profile_photo_set(actor=newcomer.user, profile=newcomer, upload=image_upload())
    assert not steps_done(newcomer)["profile"]
    people.profile_update(actor=newcomer.user, profile=newcomer, data={"ask_me_about": "Chess openings"})
    assert steps_done(newcomer)["profile"]
    # Groups: two joined.
    owner = team.other
    chess = groups.group_create(actor=owner.user, name="Chess club", tags=["Chess"])
    board = groups.group_create(actor=owner.user, name="Board games")
    groups.membership_join(actor=newcomer.user, group=chess)
    assert not steps_done(newcomer)["groups"]
    groups.membership_join(actor=newcomer.user, group=board)
    assert steps_done(newcomer)["groups"]
    # Hello: a reply in the newcomers' thread, and only there.
    hello = groups.thread_create(actor=owner.user, group=board, title="Say hello!", body="Who is new?")
    elsewhere = groups.thread_create(actor=owner.user, group=board, title="Openings", body="Sicilian?")
    groups.post_create(actor=newcomer.user, thread=elsewhere, body="Hi all")
    WelcomeSettings.objects.create(hello_thread=hello)
    assert not steps_done(newcomer)["hello"]
    groups.post_create(actor=newcomer.user, thread=hello, body="Hello, I am Nia!")
    assert steps_done(newcomer)["hello"]
    # Coffee, event, mentoring: their facts.
    for verb, key in (("met", "coffee"), ("attended", "event"), ("joined_mentorship", "mentoring")):
        assert not steps_done(newcomer)[key]
        participation_record(member_id=newcomer.pk, verb=verb, department_id=newcomer.department_id)
        assert steps_done(newcomer)[key]
    # The buddy: met.
    services.buddies_assign(today=today())
    pairing = newcomer.buddying
    assert not steps_done(newcomer)["buddy"]
    services.buddy_met(actor=newcomer.user, buddying=pairing)
    done = steps_done(newcomer)
    assert all(done.values())
    page = client_of(newcomer).get("/").content.decode()
    assert "6 of 6 done" in page


def test_dismissing_hides_the_card_and_keeps_the_progress(team):
    participation_record(member_id=team.newcomer.pk, verb="attended", department_id=None)
    client = client_of(team.newcomer)
    response = client.post("/welcome/dismiss/")
    assert response.status_code == 302
    assert 'id="welcome-card"' not in client.get("/").content.decode()
    assert selectors.welcome_card(team.newcomer.user) is None
    # Still reachable, with its progress, from the welcome page; and it can come back.
    hub = client.get("/welcome/").content.decode()
    assert 'data-step="event" data-done="yes"' in hub
    client.post("/welcome/dismiss/", {"show": "on"})
    assert steps_done(team.newcomer)["event"]
    assert Journey.objects.get(profile=team.newcomer).dismissed_at is None


def test_htmx_dismiss_swaps_the_card_out(team):
    response = client_of(team.newcomer).post("/welcome/dismiss/", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert response.content == b""


def test_suggested_groups_come_from_interests_and_team(team):
    owner = team.other
    chess = groups.group_create(actor=owner.user, name="Chess club", tags=["Chess"])
    groups.group_create(actor=owner.user, name="Knitting", tags=["Knitting"])
    platform = groups.group_create(actor=owner.user, name="Platform lunch")
    groups.membership_join(actor=team.teammate.user, group=platform)
    hidden = groups.group_create(actor=owner.user, name="Chess secret", tags=["Chess"], read_access="members",
                                 join_policy="invitation")
    suggested = [g.name for g in selectors.suggested_groups(team.newcomer)]
    assert suggested == ["Chess club", "Platform lunch"]
    assert hidden.name not in suggested
    groups.membership_join(actor=team.newcomer.user, group=chess)
    assert [g.name for g in selectors.suggested_groups(team.newcomer)] == ["Platform lunch"]


def test_a_hidden_start_date_does_not_leak_through_welcome(team):
    newcomer = team.newcomer
    newcomer.hidden_fields = ["start_date"]
    newcomer.save(update_fields=["hidden_fields"])
    # The newcomer still sees their own checklist.
    assert 'id="welcome-card"' in client_of(newcomer).get("/").content.decode()
    # Nobody is given them as a buddy, and the manager's list does not show them.
    services.buddies_assign(today=today())
    assert not hasattr(newcomer, "buddying") or newcomer.buddying is None
    for someone in (team.manager, team.volunteer, team.other):
        page = client_of(someone).get("/welcome/").content.decode()
        assert "Nia New" not in page
    # Visible start date: the manager sees their new report.
    newcomer.hidden_fields = []
    newcomer.save(update_fields=["hidden_fields"])
    assert "Nia New" in client_of(team.manager).get("/welcome/").content.decode()
    assert "Nia New" not in client_of(team.other).get("/welcome/").content.decode()


def test_no_connection_after_three_weeks_is_flagged_to_manager_and_buddy_only(team):
    newcomer = team.newcomer
    newcomer.start_date = days_ago(25)
    newcomer.save(update_fields=["start_date"])
    services.buddies_assign(today=today())
    nudge = "No connection yet after three weeks"
    assert nudge in client_of(team.manager).get("/welcome/").content.decode()
    assert nudge in client_of(team.volunteer).get("/welcome/").content.decode()
    assert nudge not in client_of(team.other).get("/welcome/").content.decode()
    assert nudge not in client_of(newcomer).get("/welcome/").content.decode()
    assert nudge not in client_of(team.admin).get("/welcome/").content.decode()
    # One tie (a reply from someone, say) and the flag is gone.
    from courtyard.core.activity import interaction_record

    interaction_record(actor_id=team.other.pk, other_id=newcomer.pk, kind="reply", actor_department_id=None,
                       other_department_id=None)
    assert nudge not in client_of(team.manager).get("/welcome/").content.decode()
