"""Seeded events: the same for the same seed, counters and facts as the services would keep them, capacity
never exceeded, a private group's events answered only by its members, and removable."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter

import pytest
from django.db.models import Count, Q, Sum

from courtyard.core.models import Interaction, Participation
from courtyard.events.models import Event, FeedbackAnswer, FeedbackGiven, Occurrence, Rsvp
from courtyard.events.seed import seed_events, seeded_events_delete
from courtyard.groups.models import Membership
from courtyard.groups.seed import seed_groups
from courtyard.people.seed import seed_people

pytestmark = pytest.mark.django_db
SIZE = 150
TODAY = dt.date(2030, 3, 1)


@pytest.fixture
def now(monkeypatch):
    from courtyard.core import clock

    monkeypatch.setattr(clock, "now", lambda: dt.datetime(2030, 3, 1, 12, tzinfo=dt.UTC))


def seed(events_seed: int = 5):
    seed_people(size=SIZE, rng=random.Random(7), today=TODAY)
    seed_groups(rng=random.Random(11), members=SIZE, today=TODAY)
    return seed_events(rng=random.Random(events_seed), members=SIZE, today=TODAY)


def calendar() -> list[tuple]:
    return list(Event.objects.order_by("start_date", "title", "timezone").values_list(
        "title", "kind", "format", "visibility", "start_date", "start_time", "timezone", "capacity",
        "created_by__user__email"))


def test_same_seed_same_calendar(now):
    result = seed()
    first = calendar()
    answers = Rsvp.objects.count()
    assert result.events == len(first) >= 12
    assert result.rsvps == answers
    seeded_events_delete()
    assert not Event.objects.exists()
    assert not Rsvp.objects.exists()
    assert not Participation.objects.filter(event_id__isnull=False).exists()
    assert not Interaction.objects.filter(kind="co_attendance").exists()
    seed_events(rng=random.Random(5), members=SIZE, today=TODAY)
    assert calendar() == first
    assert Rsvp.objects.count() == answers


def test_counters_capacity_attendance_and_facts_are_consistent(now):
    result = seed()
    moment = dt.datetime(2030, 3, 1, 12, tzinfo=dt.UTC)
    totals = Occurrence.objects.annotate(
        going=Count("rsvps", filter=Q(rsvps__status="going")),
        waiting=Count("rsvps", filter=Q(rsvps__status="waitlisted")),
        maybe=Count("rsvps", filter=Q(rsvps__status="maybe")),
        came=Count("rsvps", filter=Q(rsvps__attendance="attended")),
        seats=Sum("rsvps__guests", filter=Q(rsvps__status="going")),
    )
    for o in totals:
        assert (o.going_count, o.waitlist_count, o.maybe_count, o.attended_count) == (o.going, o.waiting, o.maybe, o.came)
        assert o.seats_taken == o.going + (o.seats or 0)
        assert o.capacity is None or o.seats_taken <= o.capacity
        if o.waitlist_count:
            positions = sorted(Rsvp.objects.filter(occurrence=o, status="waitlisted").values_list("waitlist_position",
                                                                                                  flat=True))
            assert positions == list(range(1, len(positions) + 1))
        if o.end_at < moment:
            assert o.finalized_at is not None
            assert not Rsvp.objects.filter(occurrence=o, status="going", attendance="").exists()
        else:
            assert o.attended_count == 0
            assert o.finalized_at is None
    facts = Counter(Participation.objects.filter(event_id__isnull=False).values_list("verb", flat=True))
    assert facts["attended"] == result.attended
    assert facts["no_show"] == result.no_shows
    assert facts["rsvped"] == result.going
    assert facts["gave_event_feedback"] == FeedbackGiven.objects.count() == FeedbackAnswer.objects.count() > 0
    assert 0.6 < result.attended / (result.attended + result.no_shows) < 0.9  # not everyone who said yes came
    assert result.interactions == Interaction.objects.filter(kind="co_attendance").count() > 0
    assert not FeedbackAnswer.objects.filter(anonymous=True, profile__isnull=False).exists()


def test_group_only_events_are_answered_by_members(now):
    seed()
    for event in Event.objects.filter(visibility="group").select_related("group"):
        members = set(Membership.objects.filter(group=event.group, status="active").values_list("profile_id", flat=True))
        answered = set(Rsvp.objects.filter(occurrence__event=event).values_list("profile_id", flat=True))
        assert answered <= members, event.title
    assert not Event.objects.filter(group__read_access="members", visibility="organization").exists()
