"""The periodic work of events (run by ``events.tasks``): closing attendance after a date, reminders, and
extending open-ended series. Each is safe to run twice or concurrently.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.db import transaction
from django.db.models import Q

from courtyard.core import clock
from courtyard.core.audit import audit_record
from courtyard.events import ledger, notify
from courtyard.events.domain.times import reminders_due
from courtyard.events.models import Event, EventHost, Occurrence, Rsvp
from courtyard.events.services.events import HORIZON_DAYS, _occurrence, _slots

FINALIZE_AFTER = dt.timedelta(hours=2)


# --- Closing attendance -----------------------------------------------------------------------


def occurrence_finalize(occurrence: Occurrence, now: dt.datetime) -> bool:
    """Close attendance of a date that is over: when the host checked anyone in, those going who were not
    checked in did not come; hosts hosted; small gatherings become co-attendance ties; attendees are asked
    for feedback. Idempotent (a finalized date is skipped). Returns whether it finalized the date."""
    with transaction.atomic():
        occurrence = Occurrence.objects.select_for_update(of=("self",)).select_related("event", "event__group").get(
            pk=occurrence.pk)
        event = occurrence.event
        if occurrence.finalized_at is not None or occurrence.end_at + FINALIZE_AFTER > now:
            return False
        occurrence.finalized_at = now
        occurrence.save(update_fields=["finalized_at"])
        if occurrence.is_cancelled or event.is_cancelled:
            return True
        going = list(Rsvp.objects.filter(occurrence=occurrence, status=Rsvp.Status.GOING)
                     .select_related("profile", "profile__user"))
        attended = [r for r in going if r.attendance == Rsvp.Attendance.ATTENDED]
        if attended:
            missing = [r for r in going if r.attendance == Rsvp.Attendance.UNKNOWN]
            Rsvp.objects.filter(pk__in=[r.pk for r in missing]).update(attendance=Rsvp.Attendance.NO_SHOW)
            ledger.attendance_bulk(event=event, occurrence=occurrence, mark=Rsvp.Attendance.NO_SHOW,
                                   people=[(r.profile_id, r.profile.department_id) for r in missing])
        ledger.hosted(event=event, occurrence=occurrence, hosts=EventHost.objects.filter(event=event)
                      .values_list("profile_id", "profile__department_id"))
        ledger.co_attendance(event=event, occurrence=occurrence,
                             attendees=[(r.profile_id, r.profile.department_id) for r in attended])
        if event.feedback_enabled:
            eligible = attended or going  # without check-ins, those going are the best we know
            notify.feedback_requested(event=event, occurrence=occurrence, people=[r.profile for r in eligible])
        audit_record(action="events.occurrence.finalized", target=occurrence,
                     data={"attended": len(attended), "going": len(going)})
        return True


def occurrences_finalize(*, now: dt.datetime | None = None, limit: int = 200) -> int:
    """The job: finalize every date that ended a while ago."""
    now = now or clock.now()
    due = Occurrence.objects.filter(finalized_at__isnull=True, end_at__lte=now - FINALIZE_AFTER).order_by("end_at")
    return sum(occurrence_finalize(o, now) for o in list(due[:limit]))


# --- Reminders --------------------------------------------------------------------------------


def reminders_send(*, now: dt.datetime | None = None) -> int:
    """The job (every few minutes): remind those going, and those who said maybe (in words that ask them to
    decide), a day before (09:00 their time) and an hour before; each member's notification choices apply.
    Each reminder is claimed (its column set) in the same transaction that sends it, so a retried or doubled
    job never sends one twice. Returns the number of reminders sent."""
    now = now or clock.now()
    sent = 0
    with transaction.atomic():
        candidates = (
            Rsvp.objects.filter(
                status__in=[Rsvp.Status.GOING, Rsvp.Status.MAYBE], reminded_hour_at__isnull=True, occurrence__start_at__gt=now,
                occurrence__start_at__lte=now + dt.timedelta(hours=40), occurrence__cancelled_at__isnull=True,
                occurrence__event__cancelled_at__isnull=True, profile__is_active=True,
            )
            .select_related("occurrence", "occurrence__event", "profile", "profile__user")
            .select_for_update(skip_locked=True, of=("self",))
            .order_by("occurrence_id", "pk")
        )
        batches: dict[tuple[int, str, bool], list[Rsvp]] = {}
        for rsvp in candidates[:5000]:
            try:
                zone: dt.tzinfo = zoneinfo.ZoneInfo(rsvp.profile.timezone or "UTC")
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                zone = dt.UTC
            answered = rsvp.first_going_at or rsvp.created_at
            for reminder in reminders_due(start=rsvp.occurrence.start_at, member_tz=zone, now=now,
                                          day_sent=rsvp.reminded_day_at is not None,
                                          hour_sent=rsvp.reminded_hour_at is not None, answered_at=answered):
                batches.setdefault((rsvp.occurrence_id, reminder.kind, rsvp.status == Rsvp.Status.MAYBE), []).append(rsvp)
        for (_occurrence_id, kind, maybe), rsvps in batches.items():
            column = "reminded_day_at" if kind == "day" else "reminded_hour_at"
            Rsvp.objects.filter(pk__in=[r.pk for r in rsvps]).update(**{column: now})
            occurrence = rsvps[0].occurrence
            notify.reminder(event=occurrence.event, occurrence=occurrence, people=[r.profile for r in rsvps], kind=kind,
                            maybe=maybe)
            sent += len(rsvps)
    return sent


def series_extend(*, now: dt.datetime | None = None) -> int:
    """The daily job: open-ended series get their dates up to the horizon. Returns how many dates were added."""
    now = now or clock.now()
    added = 0
    target = now.date() + dt.timedelta(days=HORIZON_DAYS)
    open_ended = Event.objects.filter(cancelled_at__isnull=True, repeat_until__isnull=True).exclude(
        frequency=Event.Frequency.NONE
    ).filter(Q(materialized_through__isnull=True) | Q(materialized_through__lt=target))
    for event in open_ended.iterator(chunk_size=200):
        with transaction.atomic():
            have = set(Occurrence.objects.filter(event=event).values_list("position", flat=True))
            new = [_occurrence(event, slot, now) for slot in _slots(event, target)
                   if slot.position not in have and slot.start > now]
            Occurrence.objects.bulk_create(new)
            Event.objects.filter(pk=event.pk).update(materialized_through=target)
            added += len(new)
    return added
