"""Deactivations and answers at the same instant on PostgreSQL: released seats go to the waitlist and the
counters stay equal to the rows, whoever takes the occurrence's lock first."""

from __future__ import annotations

import pytest
from django.db import connection

from courtyard.core import clock
from courtyard.events.models import Occurrence, Rsvp
from courtyard.people.services import member_set_active
from tests.events.conftest import make_event
from tests.events.test_concurrency import answer
from tests.factories import make_profile
from tests.helpers import at_once

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
]


def test_deactivating_holders_while_others_answer(admin):
    host = make_profile(email="host@example.com", full_name="Host")
    event = make_event(host, start_date=clock.now().date().replace(year=2031), capacity=4)
    occurrence = Occurrence.objects.get(event=event)
    holders = [make_profile(email=f"holder{i}@example.com", full_name=f"Holder {i}") for i in range(4)]
    for person in holders:
        answer(person, occurrence.pk)()
    racers = [make_profile(email=f"racer{i}@example.com", full_name=f"Racer {i}") for i in range(8)]

    def deactivate(profile):
        return lambda: member_set_active(actor=admin.user, profile=profile, active=False)

    results = at_once([deactivate(holders[0]), deactivate(holders[1])] + [answer(p, occurrence.pk) for p in racers])
    assert not [r for r in results if isinstance(r, Exception)], results

    rsvps = list(Rsvp.objects.filter(occurrence=occurrence))
    going = [r for r in rsvps if r.status == "going"]
    waiting = [r for r in rsvps if r.status == "waitlisted"]
    assert {r.profile_id for r in going} >= {holders[2].pk, holders[3].pk}
    assert not {holders[0].pk, holders[1].pk} & {r.profile_id for r in going + waiting}
    assert (len(going), len(waiting)) == (4, 6)  # both freed seats went to racers, in arrival order
    occurrence.refresh_from_db()
    assert (occurrence.seats_taken, occurrence.going_count, occurrence.waitlist_count) == (4, 4, 6)
    positions = sorted(r.waitlist_position for r in waiting)
    assert len(set(positions)) == 6
