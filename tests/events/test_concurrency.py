"""Capacity under real concurrency on PostgreSQL: many members answer at the same instant, each through its own
database connection (one thread each), and the seats, the waitlist order and the promotions stay right."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection

from courtyard.core import clock
from courtyard.core.errors import ApplicationError
from courtyard.events import services
from courtyard.events.models import Occurrence, Rsvp
from tests.events.conftest import make_event
from tests.factories import make_profile
from tests.helpers import at_once

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
]


def answer(profile, occurrence_id: int, status: str = "going", guests: int = 0,
           join_waitlist: bool = False) -> Callable[[], Rsvp]:
    def call() -> Rsvp:
        occurrence = Occurrence.objects.select_related("event", "event__group").get(pk=occurrence_id)
        return services.rsvp_set(actor=profile.user, occurrence=occurrence, status=status, guests=guests,
                                 join_waitlist=join_waitlist)

    return call


@pytest.fixture
def sixty(db):
    return [make_profile(email=f"racer{i:02d}@example.com", full_name=f"Racer {i:02d}") for i in range(60)]


def test_sixty_members_at_once_for_ten_seats(sixty, sent):
    host = make_profile(email="host@example.com", full_name="Host")
    event = make_event(host, start_date=clock.now().date().replace(year=2031), capacity=10)
    occurrence = Occurrence.objects.get(event=event)
    results = at_once([answer(p, occurrence.pk) for p in sixty])
    assert not [r for r in results if isinstance(r, Exception)], results
    rsvps = list(Rsvp.objects.filter(occurrence=occurrence))
    going = [r for r in rsvps if r.status == "going"]
    waiting = sorted((r for r in rsvps if r.status == "waitlisted"), key=lambda r: r.waitlist_position)
    assert (len(going), len(waiting)) == (10, 50)
    occurrence.refresh_from_db()
    assert (occurrence.seats_taken, occurrence.going_count, occurrence.waitlist_count) == (10, 10, 50)
    # Arrival order: the lock queued them; whoever got it later was stamped later and placed further back.
    assert [r.waitlist_position for r in waiting] == list(range(1, 51))
    stamps = [r.created_at for r in waiting]
    assert stamps == sorted(stamps)
    assert max(r.created_at for r in going) <= min(stamps)

    # Cancellations, three at once: the first three in line get the seats, in order.
    leaving = [r.profile for r in going[:3]]
    results = at_once([answer(p, occurrence.pk, "not_going") for p in leaving])
    assert not [r for r in results if isinstance(r, Exception)], results
    promoted = {r.profile_id for r in Rsvp.objects.filter(occurrence=occurrence, status="going")} - {r.profile_id for r in going}
    assert promoted == {r.profile_id for r in waiting[:3]}
    assert sorted(s["recipient"].pk for s in sent if s["kind"] == "event_waitlist_promoted") == sorted(
        r.profile.user_id for r in waiting[:3])
    occurrence.refresh_from_db()
    assert (occurrence.seats_taken, occurrence.going_count, occurrence.waitlist_count) == (10, 10, 47)
    remaining = Rsvp.objects.filter(occurrence=occurrence, status="waitlisted").order_by("waitlist_position")
    assert [r.profile_id for r in remaining] == [r.profile_id for r in waiting[3:]]


def test_guests_are_counted_under_concurrency(sixty, sent):
    host = make_profile(email="host@example.com", full_name="Host")
    event = make_event(host, start_date=clock.now().date().replace(year=2031), capacity=10,
                       allow_guests=True, max_guests=2)
    occurrence = Occurrence.objects.get(event=event)
    parties = sixty[:30]
    # Every party accepts the waitlist when too few seats are left for it (else it is told so and not placed).
    results = at_once([answer(p, occurrence.pk, guests=1 + i % 2, join_waitlist=True) for i, p in enumerate(parties)])
    assert not [r for r in results if isinstance(r, Exception)], results
    going = list(Rsvp.objects.filter(occurrence=occurrence, status="going"))
    occurrence.refresh_from_db()
    assert sum(r.party for r in going) == occurrence.seats_taken <= 10
    assert occurrence.going_count == len(going)
    # Once a party in line does not fit, nobody behind it gets a seat, even a smaller party: arrival order holds.
    head = Rsvp.objects.filter(occurrence=occurrence, status="waitlisted").order_by("waitlist_position").first()
    assert head.party > 10 - occurrence.seats_taken
    # Going members all ask for one more guest at once: only requests that fit are granted, the rest refused.
    results = at_once([answer(r.profile, occurrence.pk, guests=min(2, r.guests + 1)) for r in going])
    refused = [r for r in results if isinstance(r, ApplicationError)]
    assert all(r.code == "guests_do_not_fit" for r in refused)
    assert not [r for r in results if isinstance(r, Exception) and not isinstance(r, ApplicationError)]
    occurrence.refresh_from_db()
    seats = sum(r.party for r in Rsvp.objects.filter(occurrence=occurrence, status="going"))
    assert seats == occurrence.seats_taken <= 10


def test_the_database_refuses_a_count_above_capacity(db):
    """The check constraint is the last line: even a write that forgot the lock cannot overfill a date."""
    from django.db import IntegrityError, transaction

    host = make_profile(email="host@example.com", full_name="Host")
    event = make_event(host, start_date=clock.now().date().replace(year=2031), capacity=2)
    occurrence = Occurrence.objects.get(event=event)
    with pytest.raises(IntegrityError), transaction.atomic():
        Occurrence.objects.filter(pk=occurrence.pk).update(seats_taken=3)
