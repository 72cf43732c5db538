"""The coffee match page: who you meet (listed as a sentence), how to reach them (as the directory shows them),
why you were paired in words (the points for the program's owner and admins only), and "suggest a time" with a
calendar invitation both people can add."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import icalendar
import pytest
from django.template import Context, Template
from django.urls import reverse

from courtyard.core.models import AuditEntry
from courtyard.pairing import services
from courtyard.pairing.calendars import uid_for
from courtyard.pairing.models import CoffeeMatch
from courtyard.pairing.web.reasons import match_reasons
from courtyard.people.services import location_ensure
from tests.conftest import signed_in_client
from tests.factories import make_profile
from tests.helpers import db_snapshot
from tests.pairing.conftest import coffee_program

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair(organizer):
    """Ana (Account Management, Lisbon, hides her languages) and Ben (Engineering, Tokyo, hides his location and
    time zone) share climbing and chess; the round pairs them."""
    ana = make_profile(email="ana@example.com", full_name="Ana Ribeiro", department="Account Management",
                       interests=["Climbing", "Chess"], timezone="Europe/Lisbon", languages="Portuguese, English",
                       pronouns="she/her", location=location_ensure("Lisbon"), hidden_fields=["languages"])
    ben = make_profile(email="ben@example.com", full_name="Ben Okafor", department="Engineering",
                       interests=["Climbing", "Chess"], timezone="Asia/Tokyo", languages="English",
                       location=location_ensure("Tokyo"), hidden_fields=["location", "timezone"])
    program = coffee_program(organizer, name="Harbour coffee")
    for person in (ana, ben):
        services.signup_join(actor=person.user, program=program)
    services.coffee_round_run(program_id=program.pk, round_date=dt.date.today() - dt.timedelta(days=1))
    return ana, ben, CoffeeMatch.objects.get(program=program)


def test_the_why_is_in_words_for_members_and_in_points_for_the_owner(pair, organizer):
    ana, _ben, match = pair
    page = signed_in_client(ana).get(reverse("pairing:coffee_match", args=[match.pk])).content.decode()
    assert "You work in different departments" in page
    assert "You both like Chess and Climbing" in page
    assert "You have not met before" in page
    assert "different departments" not in page.replace("You work in different departments", "")
    for weight in ("+3", "+1.8", "+6", "cy-points"):
        assert weight not in page
    # The program's owner (an admin here) sees the weights at work, when they are in a match themselves.
    CoffeeMatch.objects.filter(pk=match.pk).update(reasons=[{"label": "different departments", "points": 3.0}])
    match.members.filter(profile=ana).update(profile=organizer)
    owner_page = signed_in_client(organizer).get(reverse("pairing:coffee_match", args=[match.pk])).content.decode()
    assert "You work in different departments" in owner_page
    assert "(+3)" in owner_page


def test_reasons_of_a_group_read_per_pair_in_the_right_person():
    ana, ben, cy = (make_profile(full_name=name) for name in ("Ana Ribeiro", "Ben Okafor", "Cy Lam"))
    people = {p.pk: p for p in (ana, ben, cy)}
    reasons = [
        {"label": f"#{ana.pk} & #{ben.pk}: different departments", "points": 3},
        {"label": f"#{ana.pk} & #{ben.pk}: shared interest: climbing", "points": 1.8},
        {"label": f"#{ben.pk} & #{cy.pk}: met 3 rounds ago", "points": -2},
        {"label": f"#{ben.pk} & #{cy.pk}: working hours overlap 6h", "points": 1},
        {"label": f"#{ana.pk} & #{cy.pk}: already share 2 small groups", "points": 2},
    ]
    blocks = match_reasons(reasons, me=ana.pk, people=people)
    assert [(b.title, [line.text for line in b.lines]) for b in blocks] == [
        ("You and Ben Okafor", ["You work in different departments", "You both like climbing"]),
        ("You and Cy Lam", ["You already share 2 small groups"]),
        ("Ben Okafor and Cy Lam", ["They last met 3 rounds ago", "Their working hours overlap by 6h"]),
    ]
    assert [line.points for line in blocks[2].lines] == [-2, 1]
    single = match_reasons([{"label": "never met", "points": 6}, {"label": "something new", "points": 1}],
                           me=ana.pk, people=people)
    assert [line.text for line in single[0].lines] == ["You have not met before", "Something new"]


@pytest.mark.parametrize(("names", "expected"), [
    ([], ""), (["Ana"], "Ana"), (["Ana", "Ben"], "Ana and Ben"), (["Ana", "Ben", "Cy"], "Ana, Ben and Cy"),
    (["Ana", "Ben", "Cy", "Di"], "Ana, Ben, Cy and Di"),
])
def test_lists_of_people_read_as_a_sentence(names, expected):
    looped = Template("{% load courtyard %}{% for n in names %}{{ forloop|and_separator }}<b>{{ n }}</b>{% endfor %}")
    assert looped.render(Context({"names": names})).replace("<b>", "").replace("</b>", "") == expected
    assert Template("{% load courtyard %}{{ names|and_join }}").render(Context({"names": names})) == expected


def test_you_meet_has_no_trailing_comma_on_the_hub_and_the_match_page(pair):
    ana, _ben, match = pair
    client = signed_in_client(ana)
    hub = " ".join(client.get(reverse("pairing:hub")).content.decode().split())
    assert 'Ben Okafor</a> <span class="small text-body-secondary">(Engineering)</span></p>' in hub
    assert "(Engineering)</span>," not in hub
    page = " ".join(client.get(reverse("pairing:coffee_match", args=[match.pk])).content.decode().split())
    assert 'Ben Okafor</a> <span class="text-body-secondary">(Engineering)</span>.</p>' in page


def test_contact_details_follow_each_partners_directory_choices(pair, organizer):
    ana, ben, match = pair
    url = reverse("pairing:coffee_match", args=[match.pk])
    for_ana = signed_in_client(ana).get(url).content.decode()
    assert "mailto:ben@example.com" in for_ana
    assert "Engineering" in for_ana
    assert "English" in for_ana  # Ben shows his languages
    assert "Tokyo" not in for_ana  # but hides his location and time zone
    assert "Asia/Tokyo" not in for_ana
    for_ben = signed_in_client(ben).get(url).content.decode()
    assert "mailto:ana@example.com" in for_ben
    assert "Lisbon" in for_ben
    assert "she/her" in for_ben
    local = dt.datetime.now(zoneinfo.ZoneInfo("Europe/Lisbon"))
    assert "local time (Europe/Lisbon)" in for_ben
    assert any(f"{(local + dt.timedelta(minutes=d)):%H:%M} local time" in for_ben for d in (-1, 0, 1))  # her clock
    assert "Portuguese" not in for_ben  # hidden


def test_suggest_a_time_gives_both_the_same_invitation_and_tells_the_partner(pair, sent,
                                                                             django_capture_on_commit_callbacks):
    ana, ben, match = pair
    client = signed_in_client(ana)
    url = reverse("pairing:coffee_match", args=[match.pk])
    assert client.get(reverse("pairing:coffee_ics", args=[match.pk])).status_code == 404  # nothing suggested yet
    sent.clear()  # "you are paired" from the round
    day = dt.date.today() + dt.timedelta(days=7)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("pairing:coffee_suggest", args=[match.pk]),
                               {"date": day.isoformat(), "time": "10:30", "minutes": "45", "note": "Harbour café",
                                "notify": "on"})
    assert response.status_code == 302
    match.refresh_from_db()
    lisbon = zoneinfo.ZoneInfo("Europe/Lisbon")
    assert match.meet_at == dt.datetime.combine(day, dt.time(10, 30), tzinfo=lisbon)
    assert (match.meet_minutes, match.meet_sequence, match.meet_suggested_by) == (45, 1, ana)
    assert AuditEntry.objects.filter(action="pairing.coffee.time_suggested").count() == 1
    assert [s["recipient"] for s in sent] == [ben.user]
    assert sent[0]["kind"] == "coffee_time"
    tokyo_time = match.meet_at.astimezone(zoneinfo.ZoneInfo("Asia/Tokyo"))
    assert sent[0]["text"].startswith("Harbour coffee: Ana Ribeiro suggests meeting on ")
    assert f"{tokyo_time:%H:%M}" in sent[0]["text"]  # in Ben's own time zone

    ben_client = signed_in_client(ben)
    assert "Add to my calendar" in ben_client.get(url).content.decode()
    documents = [c.get(reverse("pairing:coffee_ics", args=[match.pk])) for c in (client, ben_client)]
    for response in documents:
        assert response["Content-Type"].startswith("text/calendar")
        assert "attachment" in response["Content-Disposition"]
    calendar = icalendar.Calendar.from_ical(documents[0].content)
    (event,) = calendar.walk("VEVENT")
    assert str(event["UID"]) == uid_for(match.pk)
    assert int(event["SEQUENCE"]) == 1
    assert event.decoded("DTSTART") == match.meet_at
    assert event.decoded("DTEND") - event.decoded("DTSTART") == dt.timedelta(minutes=45)
    assert str(event["SUMMARY"]) == "Coffee: Ana Ribeiro and Ben Okafor"
    assert str(event["LOCATION"]) == "Harbour café"
    attendees = event["ATTENDEE"]
    assert sorted(str(a) for a in attendees) == ["mailto:ana@example.com", "mailto:ben@example.com"]
    assert sorted(a.params["CN"] for a in attendees) == ["Ana Ribeiro", "Ben Okafor"]
    other = icalendar.Calendar.from_ical(documents[1].content).walk("VEVENT")[0]
    assert (other["UID"], other.decoded("DTSTART")) == (event["UID"], event.decoded("DTSTART"))

    # Ben moves it, quietly: same UID, a higher sequence, nobody notified.
    sent.clear()
    with django_capture_on_commit_callbacks(execute=True):
        ben_client.post(reverse("pairing:coffee_suggest", args=[match.pk]),
                        {"date": day.isoformat(), "time": "09:00", "minutes": "30"})
    moved = icalendar.Calendar.from_ical(client.get(reverse("pairing:coffee_ics", args=[match.pk])).content)
    (event,) = moved.walk("VEVENT")
    assert str(event["UID"]) == uid_for(match.pk)
    assert int(event["SEQUENCE"]) == 2
    assert event.decoded("DTSTART") == dt.datetime.combine(day, dt.time(9, 0), tzinfo=zoneinfo.ZoneInfo("Asia/Tokyo"))
    assert sent == []


@pytest.mark.parametrize(("data", "message"), [
    ({"date": "", "time": "10:00", "minutes": "30"}, "This field is required"),
    ({"date": "2020-01-01", "time": "10:00", "minutes": "30"}, "Suggest a time that has not passed yet."),
    ({"date": "2999-01-01", "time": "10:00", "minutes": "30"}, "Suggest a time within the next 90 days."),
    ({"date": "tomorrow", "time": "25:00", "minutes": "30"}, "Enter a valid date"),
    ({"date": "+7", "time": "10:00", "minutes": "7"}, "Select a valid choice"),
    ({"date": "+7", "time": "10:00", "minutes": "30", "note": "x" * 201}, "at most 200 characters"),
    ({"date": "+7", "time": "10:00", "minutes": "30", "note": "bad\u202enote"}, "text-direction control"),
])
def test_a_bad_suggestion_is_a_400_and_changes_nothing(pair, sent, data, message):
    ana, _ben, match = pair
    if data["date"] == "+7":
        data = {**data, "date": (dt.date.today() + dt.timedelta(days=7)).isoformat()}
    client = signed_in_client(ana)
    client.get("/healthz")
    sent.clear()
    before = db_snapshot()
    response = client.post(reverse("pairing:coffee_suggest", args=[match.pk]), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert db_snapshot() == before
    assert sent == []
