"""The activity facts events write (core/domain/facts.py), in one place, so insights can rely on their shape.

Scope of every event fact:

- ``event_id`` is the **event** (the series) id, so "participation in this event series" is one index
  lookup; ``object_type="occurrence"`` and ``object_id`` name the one date it happened on.
- ``group_id`` is the event's group when it belongs to one (group-level participation), else empty.
- ``occurred_at`` is the occurrence's start for hosting, attending, no-shows and co-attendance (when it
  happened, not when the host clicked), the moment of the answer for ``rsvped``, and the UTC day (00:00)
  for anonymous feedback (core.domain.anonymity.coarse_date: never an exact time).

Verbs: hosted_event (each host, once per occurrence that took place), rsvped (a member's first "going"
for an occurrence, also by promotion from the waitlist), attended / no_show (the attendance the host or
the member recorded; a corrected mark replaces the earlier fact, because a mistaken check-in never
happened), gave_event_feedback. Interactions: co_attendance, one row per ordered pair of attendees
(both directions) for occurrences with at most ``CO_ATTENDANCE_MAX`` attendees; bigger gatherings (a
town hall) are not ties, and insights read their ``attended`` participations instead. Interactions have
no object column, so an occurrence's pairs are those of its event at its start time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from courtyard.core.activity import participation_record
from courtyard.core.domain.anonymity import coarse_date
from courtyard.core.models import Interaction, Participation
from courtyard.events.models import Event, Occurrence

CO_ATTENDANCE_MAX = 40


def rsvped(*, event: Event, occurrence: Occurrence, member_id: int, department_id: int | None, at: dt.datetime) -> None:
    participation_record(member_id=member_id, verb="rsvped", department_id=department_id, occurred_at=at,
                         event_id=event.pk, group_id=event.group_id, object_type="occurrence", object_id=occurrence.pk)


def attendance(*, event: Event, occurrence: Occurrence, member_id: int, department_id: int | None, mark: str) -> None:
    """Replace the member's attendance fact for this occurrence with ``mark`` ("attended", "no_show" or "")."""
    Participation.objects.filter(
        member_id=member_id, verb__in=("attended", "no_show"), object_type="occurrence", object_id=occurrence.pk
    ).delete()
    if mark:
        participation_record(member_id=member_id, verb=mark, department_id=department_id,
                             occurred_at=occurrence.start_at, event_id=event.pk, group_id=event.group_id,
                             object_type="occurrence", object_id=occurrence.pk)


def attendance_bulk(*, event: Event, occurrence: Occurrence, people: Iterable[tuple[int, int | None]], mark: str) -> int:
    """attendance() for many members in three queries."""
    people = list(people)
    if not people:
        return 0
    Participation.objects.filter(
        member_id__in=[pk for pk, _dept in people], verb__in=("attended", "no_show"), object_type="occurrence",
        object_id=occurrence.pk,
    ).delete()
    if not mark:
        return 0
    Participation.objects.bulk_create([
        Participation(member_id=pk, verb=mark, department_id=dept, occurred_at=occurrence.start_at, event_id=event.pk,
                      group_id=event.group_id, object_type="occurrence", object_id=occurrence.pk)
        for pk, dept in people
    ])
    return len(people)


def hosted(*, event: Event, occurrence: Occurrence, hosts: Iterable[tuple[int, int | None]]) -> None:
    Participation.objects.bulk_create([
        Participation(member_id=pk, verb="hosted_event", department_id=dept, occurred_at=occurrence.start_at,
                      event_id=event.pk, group_id=event.group_id, object_type="occurrence", object_id=occurrence.pk)
        for pk, dept in hosts
    ])


def co_attendance(*, event: Event, occurrence: Occurrence, attendees: Sequence[tuple[int, int | None]]) -> int:
    """Rewrite the occurrence's co-attendance pairs from its attendees (none above CO_ATTENDANCE_MAX)."""
    Interaction.objects.filter(kind="co_attendance", event_id=event.pk, occurred_at=occurrence.start_at).delete()
    if len(attendees) < 2 or len(attendees) > CO_ATTENDANCE_MAX:
        return 0
    rows = [
        Interaction(actor_id=a, other_id=b, kind="co_attendance", actor_department_id=da, other_department_id=db,
                    occurred_at=occurrence.start_at, group_id=event.group_id, event_id=event.pk)
        for a, da in attendees for b, db in attendees if a != b
    ]
    Interaction.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def feedback_given(*, event: Event, occurrence: Occurrence, member_id: int, department_id: int | None,
                   at: dt.datetime, anonymous: bool) -> None:
    moment = dt.datetime.combine(coarse_date(at), dt.time(0), tzinfo=dt.UTC) if anonymous else at
    participation_record(member_id=member_id, verb="gave_event_feedback", department_id=department_id,
                         occurred_at=moment, event_id=event.pk, group_id=event.group_id, object_type="occurrence",
                         object_id=occurrence.pk)
