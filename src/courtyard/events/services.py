"""Writes for events: each validates first, runs in a transaction, records the audit log and the activity facts.

Seats are the one contended resource: every write that takes or frees a seat locks the occurrence row
(``select_for_update``) first and changes its counters while holding it, so concurrent answers on
PostgreSQL queue up on that lock and the waitlist is served in the order people arrived. The database
refuses a count above capacity anyway (a check constraint), should a future change forget the lock.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import secrets
import zoneinfo
from collections.abc import Iterable, Sequence
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F, Q
from django.utils.translation import gettext as _

from courtyard.accounts.models import User
from courtyard.accounts.services import token_hash
from courtyard.core import clock
from courtyard.core.audit import audit_record
from courtyard.core.domain.anonymity import coarse_date
from courtyard.core.errors import ApplicationError, Conflict, NotFound, PermissionDenied
from courtyard.core.images import image_to_jpeg
from courtyard.core.markdown import render_markdown
from courtyard.core.ratelimit import ratelimit_check
from courtyard.core.validation import clean_text
from courtyard.events import ledger, notify
from courtyard.events.access import can_create_in_group, check, require_manager, standing
from courtyard.events.domain import checkin as checkin_rules
from courtyard.events.domain import feedback as feedback_rules
from courtyard.events.domain import recurrence, rules
from courtyard.events.domain import waitlist as seats
from courtyard.events.domain.times import reminders_due
from courtyard.events.models import (
    CalendarFeed,
    Event,
    EventHost,
    FeedbackAnswer,
    FeedbackGiven,
    Media,
    Occurrence,
    Question,
    Rsvp,
)
from courtyard.groups.models import Group
from courtyard.people.access import actor_profile
from courtyard.people.models import Profile
from courtyard.search.services import search_sync

HORIZON_DAYS = 180  # open-ended series exist this far ahead; a daily job moves the horizon
MAX_DURATION = dt.timedelta(days=14)
MAX_CAPACITY = 100_000
MAX_QUESTIONS = 10
MAX_HOSTS = 10
FEEDBACK_DAYS = feedback_rules.FEEDBACK_DAYS
FINALIZE_AFTER = dt.timedelta(hours=2)
COVER_SIZE = (1200, 400)
PHOTO_SIZE = (1600, 1200)
FEED_PREFIX = "cal_"
CHECKIN_LIMITS = ((10, 60), (40, 3600))
YEARS = (2000, 2100)


# --- Input ------------------------------------------------------------------------------------


@dataclasses.dataclass
class EventData:
    """Everything a host sets on an event; pages and the API both fill one of these."""

    title: str
    start_date: dt.date
    start_time: dt.time | None = None
    end_date: dt.date | None = None
    end_time: dt.time | None = None
    timezone: str = "UTC"
    all_day: bool = False
    kind: str = Event.Kind.SOCIAL
    format: str = Event.Format.IN_PERSON
    visibility: str = Event.Visibility.ORGANIZATION
    group: Group | None = None
    description: str = ""
    place: str = ""
    meeting_url: str = ""
    accessibility_notes: str = ""
    frequency: str = Event.Frequency.NONE
    interval: int = 1
    monthly_by: str = Event.MonthlyBy.DAY
    repeat_count: int | None = None
    repeat_until: dt.date | None = None
    capacity: int | None = None
    allow_guests: bool = False
    max_guests: int = 0
    rsvp_closes_hours: int | None = None
    hide_attendees: bool = False
    feedback_enabled: bool = True
    feedback_anonymous: bool = True
    questions: list[tuple[str, bool]] = dataclasses.field(default_factory=list)
    cohosts: list[Profile] = dataclasses.field(default_factory=list)


SCHEDULE_FIELDS = ("timezone", "all_day", "start_date", "start_time", "end_date", "end_time", "frequency", "interval",
                   "monthly_by", "repeat_count", "repeat_until")
PLAIN_FIELDS = ("title", "kind", "format", "visibility", "description", "place", "meeting_url", "accessibility_notes",
                "capacity", "allow_guests", "max_guests", "rsvp_closes_hours", "hide_attendees", "feedback_enabled",
                "feedback_anonymous", *SCHEDULE_FIELDS)
NOTIFY_FIELDS = frozenset({*SCHEDULE_FIELDS, "place", "meeting_url", "format"})


def event_data_from(event: Event) -> EventData:
    """The event's current settings, to change a few of them (the API's PATCH)."""
    return EventData(
        **{field: getattr(event, field) for field in PLAIN_FIELDS}, group=event.group,
        questions=[(q.text, q.required) for q in event.questions.all()],
        cohosts=list(event.hosts.all()),
    )


def _fail(message: str, code: str) -> ApplicationError:
    return ApplicationError(message, code=code)


def _text(value: str, *, field: str, max_length: int, required: bool = False) -> str:
    value = (value or "").strip()
    # The last line behind every surface; whether line breaks are allowed is each surface's call.
    value = clean_text(value, multiline=True, field=field)
    if required and not value:
        raise _fail(_("%(field)s cannot be empty.") % {"field": field}, "required")
    if len(value) > max_length:
        raise _fail(_("%(field)s is longer than %(max)d characters.") % {"field": field, "max": max_length}, "too_long")
    return value


def _local_bounds(data: EventData) -> tuple[dt.datetime, dt.datetime]:
    """The first occurrence's local start and end; all-day events run from midnight to the end day's midnight."""
    end_date = data.end_date or data.start_date
    if data.all_day:
        return dt.datetime.combine(data.start_date, dt.time(0)), dt.datetime.combine(end_date, dt.time(0))
    if data.start_time is None or data.end_time is None:
        raise _fail(_("Give a start and an end time, or mark the event as all-day."), "times_required")
    return dt.datetime.combine(data.start_date, data.start_time), dt.datetime.combine(end_date, data.end_time)


def _rule(data: EventData) -> recurrence.Rule:
    return recurrence.Rule(
        frequency=data.frequency, interval=data.interval, monthly_by=data.monthly_by,
        count=data.repeat_count if data.frequency != Event.Frequency.NONE else None,
        until=data.repeat_until if data.frequency != Event.Frequency.NONE else None,
    )


def validate(data: EventData) -> EventData:
    """Check everything a host typed; a clear ApplicationError for the first problem."""
    data.title = _text(data.title, field=_("The title"), max_length=200, required=True)
    data.description = _text(data.description, field=_("The description"), max_length=20_000)
    data.place = _text(data.place, field=_("The place"), max_length=300)
    data.accessibility_notes = _text(data.accessibility_notes, field=_("The accessibility notes"), max_length=2000)
    data.meeting_url = (data.meeting_url or "").strip()
    choices = ((data.kind, Event.Kind.values), (data.format, Event.Format.values),
               (data.visibility, Event.Visibility.values), (data.frequency, Event.Frequency.values),
               (data.monthly_by, Event.MonthlyBy.values))
    if any(value not in allowed for value, allowed in choices):
        raise _fail(_("Choose the kind, format, visibility and repetition from the lists."), "invalid_choice")
    if data.meeting_url and (len(data.meeting_url) > 1000 or not data.meeting_url.lower().startswith(("https://", "http://"))):
        raise _fail(_("The meeting link must start with https:// or http://."), "bad_url")
    if data.format == Event.Format.IN_PERSON and data.meeting_url:
        data.meeting_url = ""  # an in-person event has no link to leak
    if data.visibility == Event.Visibility.GROUP and data.group is None:
        raise _fail(_("Only an event of a group can be limited to the group's members."), "group_required")
    # Only the group's readers see its events whatever the audience says (events.selectors.visible_q), so a
    # members-only group's event is for its members, said plainly rather than shown as "everyone".
    if data.group is not None and data.group.read_access == Group.ReadAccess.MEMBERS and \
            data.visibility != Event.Visibility.GROUP:
        raise _fail(_("Events of a members-only group are for its members only."), "private_group")
    try:
        recurrence.zone(data.timezone)
    except ValueError:
        raise _fail(_("“%(zone)s” is not a time zone we know.") % {"zone": data.timezone}, "bad_timezone") from None
    if data.all_day:
        data.start_time = data.end_time = None
    data.end_date = data.end_date or data.start_date
    for day in (data.start_date, data.end_date, data.repeat_until):
        if day is not None and not YEARS[0] <= day.year <= YEARS[1]:
            raise _fail(_("Give dates between the years 2000 and 2100."), "bad_date")
    start, end = _local_bounds(data)
    if end < start or (end == start and not data.all_day):
        raise _fail(_("The event ends before it starts."), "end_before_start")
    if end - start > MAX_DURATION:
        raise _fail(_("An event can last 14 days at most."), "too_long")
    if data.frequency == Event.Frequency.NONE:
        data.interval, data.repeat_count, data.repeat_until = 1, None, None
    else:
        if not 1 <= data.interval <= recurrence.MAX_INTERVAL:
            raise _fail(_("Repeat every 1 to 52 weeks or months."), "bad_interval")
        if data.repeat_count is not None and not 1 <= data.repeat_count <= recurrence.MAX_OCCURRENCES:
            raise _fail(_("A series has 1 to 200 dates."), "bad_count")
        if data.repeat_until is not None and data.repeat_until < data.start_date:
            raise _fail(_("The series ends before its first date."), "until_before_start")
    if data.capacity is not None and not 1 <= data.capacity <= MAX_CAPACITY:
        raise _fail(_("The capacity is a number of seats from 1 to 100,000 (empty: no limit)."), "bad_capacity")
    if not data.allow_guests:
        data.max_guests = 0
    elif not 1 <= data.max_guests <= 10:
        raise _fail(_("Allow 1 to 10 guests per person."), "bad_guests")
    if data.rsvp_closes_hours is not None and not 0 <= data.rsvp_closes_hours <= 24 * 365:
        raise _fail(_("Close RSVPs 0 to 8,760 hours before the start."), "bad_deadline")
    questions = []
    for text, required in data.questions:
        text = " ".join((text or "").split())
        if text:
            questions.append((_text(text, field=_("A question"), max_length=300), bool(required)))
    if len(questions) > MAX_QUESTIONS:
        raise _fail(_("Ask at most 10 questions."), "too_many_questions")
    data.questions = questions
    if len(data.cohosts) > MAX_HOSTS:
        raise _fail(_("An event has at most 10 hosts."), "too_many_hosts")
    if any(not p.is_active for p in data.cohosts):
        raise _fail(_("Deactivated people cannot host."), "inactive_host")
    return data


# --- Occurrences of a series ------------------------------------------------------------------


def _horizon(event: Event, today: dt.date) -> dt.date:
    if event.repeat_until is not None:
        return event.repeat_until
    if event.frequency == Event.Frequency.NONE:
        return event.start_date
    return max(today, event.start_date) + dt.timedelta(days=HORIZON_DAYS)


def _slots(event: Event, through: dt.date) -> list[recurrence.Slot]:
    start = dt.datetime.combine(event.start_date, event.start_time or dt.time(0))
    end = dt.datetime.combine(event.end_date, event.end_time or dt.time(0))
    if event.all_day:
        end = end + dt.timedelta(days=1)  # an all-day event's instants run to midnight after its last day
    rule = recurrence.Rule(event.frequency, event.interval, event.monthly_by, event.repeat_count, event.repeat_until)
    return recurrence.expand(start, end, event.timezone, rule, through=through)


def _dates(event: Event, slot: recurrence.Slot) -> tuple[dt.date, dt.date]:
    if event.all_day:
        return slot.local_start.date(), (slot.local_end - dt.timedelta(days=1)).date()
    last = slot.local_end - dt.timedelta(microseconds=1) if slot.local_end > slot.local_start else slot.local_end
    return slot.local_start.date(), max(slot.local_start.date(), last.date())


def _new_code() -> str:
    return checkin_rules.new_code(secrets.SystemRandom())


def _occurrence(event: Event, slot: recurrence.Slot, now: dt.datetime) -> Occurrence:
    start_date, end_date = _dates(event, slot)
    return Occurrence(
        event=event, group_id=event.group_id, visibility=event.visibility, kind=event.kind, format=event.format,
        position=slot.position, start_at=slot.start, end_at=slot.end, start_date=start_date,
        end_date=end_date, capacity=event.capacity, checkin_code=_new_code(), updated_at=now,
    )


def _materialize(event: Event, now: dt.datetime) -> list[Occurrence]:
    through = _horizon(event, now.date())
    created = Occurrence.objects.bulk_create([_occurrence(event, slot, now) for slot in _slots(event, through)])
    if not created:
        raise _fail(_("The repetition gives no date at all: check its end."), "no_dates")
    Event.objects.filter(pk=event.pk).update(materialized_through=through)
    return created


def _answered(occurrences: Iterable[Occurrence]) -> list[Profile]:
    """Everyone who answered any of these occurrences (going, maybe, not going or waiting), once each."""
    ids = [o.pk for o in occurrences]
    if not ids:
        return []
    return list(
        Profile.objects.filter(event_rsvps__occurrence_id__in=ids, is_active=True).select_related("user").distinct()
    )


def _reschedule(event: Event, now: dt.datetime) -> tuple[list[Occurrence], list[Occurrence]]:
    """Move the future dates of a series after its schedule changed. Returns (moved, cancelled).

    Dates already past and dates changed on their own (detached) keep what they had; positions match
    old and new dates in order; dates the new rule no longer has are cancelled when people answered them
    and deleted otherwise."""
    through = max(_horizon(event, now.date()), event.materialized_through or event.start_date)
    if event.repeat_until is not None or event.frequency == Event.Frequency.NONE:
        through = _horizon(event, now.date())
    slots = {slot.position: slot for slot in _slots(event, through)}
    existing = {o.position: o for o in Occurrence.objects.select_for_update().filter(event=event)}
    moved: list[Occurrence] = []
    cancelled: list[Occurrence] = []
    for position, slot in slots.items():
        occurrence = existing.get(position)
        if occurrence is None:
            if slot.start > now:
                new = _occurrence(event, slot, now)
                new.save()
            continue
        if occurrence.detached or occurrence.start_at <= now or occurrence.finalized_at is not None:
            continue
        start_date, end_date = _dates(event, slot)
        if (occurrence.start_at, occurrence.end_at, occurrence.start_date, occurrence.end_date) != (
            slot.start, slot.end, start_date, end_date
        ):
            occurrence.start_at, occurrence.end_at = slot.start, slot.end
            occurrence.start_date, occurrence.end_date = start_date, end_date
            occurrence.sequence += 1
            occurrence.updated_at = now
            occurrence.save(update_fields=["start_at", "end_at", "start_date", "end_date", "sequence", "updated_at"])
            moved.append(occurrence)
    for position, occurrence in existing.items():
        if position in slots or occurrence.start_at <= now or occurrence.detached or occurrence.cancelled_at:
            continue
        if Rsvp.objects.filter(occurrence=occurrence).exists():
            occurrence.cancelled_at = now
            occurrence.note = _("No longer part of the series.")
            occurrence.sequence += 1
            occurrence.updated_at = now
            occurrence.save(update_fields=["cancelled_at", "note", "sequence", "updated_at"])
            cancelled.append(occurrence)
        else:
            occurrence.delete()
    Event.objects.filter(pk=event.pk).update(materialized_through=through)
    return moved, cancelled


# --- Events -----------------------------------------------------------------------------------


def _set_questions(event: Event, questions: Sequence[tuple[str, bool]]) -> None:
    current = list(event.questions.all())
    wanted = list(questions)
    if [(q.text, q.required) for q in current] == wanted:
        return
    # Keep the rows (and so people's answers) of questions that stay, by text.
    by_text = {q.text: q for q in current}
    keep: set[int] = set()
    for position, (text, required) in enumerate(wanted):
        question = by_text.get(text)
        if question is None:
            question = Question(event=event, text=text)
        question.required, question.position = required, position
        question.save()
        keep.add(question.pk)
    Question.objects.filter(event=event).exclude(pk__in=keep).delete()


def _set_hosts(event: Event, hosts: Sequence[Profile], actor: User) -> list[Profile]:
    """The hosts are the given people (the creator stays one); returns those newly added."""
    current = set(EventHost.objects.filter(event=event).values_list("profile_id", flat=True))
    wanted = {p.pk: p for p in hosts}
    if event.created_by_id:
        wanted.setdefault(event.created_by_id, event.created_by)  # type: ignore[arg-type]
    now = clock.now()
    added = [p for pk, p in wanted.items() if pk not in current]
    EventHost.objects.bulk_create([EventHost(event=event, profile=p, added_at=now) for p in added])
    EventHost.objects.filter(event=event).exclude(profile_id__in=list(wanted)).delete()
    return added


def _search(event: Event) -> None:
    # Only organization-wide events are searchable (events/search.py says why): in, or out of, the index.
    search_sync("event", event)


@transaction.atomic
def event_create(*, actor: User, data: EventData) -> Event:
    """Any member may host an organization-wide event; an active member of a group may host the group's."""
    creator = actor_profile(actor)
    data = validate(data)
    if data.group is not None:
        check(can_create_in_group(actor, data.group), _("Join the group to host its events."))
    now = clock.now()
    event = Event(
        **{field: getattr(data, field) for field in PLAIN_FIELDS}, group=data.group, created_by=creator,
        created_at=now, updated_at=now, description_html=str(render_markdown(data.description)),
    )
    event.save()
    _set_questions(event, data.questions)
    added = _set_hosts(event, [creator, *data.cohosts], actor)
    _materialize(event, now)
    _search(event)
    audit_record(action="events.event.created", actor=actor, target=event, data={"title": event.title})
    notify.host_added(event=event, people=[p for p in added if p.pk != creator.pk], actor=actor)
    return event


@transaction.atomic
def event_update(*, actor: User, event: Event, data: EventData) -> Event:
    """Change the series: future dates follow (except those changed on their own); everyone who answered them
    hears about a new time or place. A capacity below the seats already taken is refused."""
    require_manager(standing(actor, event), _("Only the event's hosts can change it."))
    if event.is_cancelled:
        raise Conflict(_("This event is cancelled."), code="cancelled")
    data.group = event.group  # an event stays in the group it was made in
    data = validate(data)
    now = clock.now()
    changed = [field for field in PLAIN_FIELDS if getattr(data, field) != getattr(event, field)]
    if "feedback_anonymous" in changed and FeedbackGiven.objects.filter(occurrence__event=event).exists():
        raise Conflict(_("Feedback was already given: whether it is anonymous can no longer change."),
                       code="feedback_started")
    future = Occurrence.objects.select_for_update().filter(event=event, end_at__gt=now, cancelled_at__isnull=True)
    if "capacity" in changed and data.capacity is not None:
        crowded = future.filter(seats_taken__gt=data.capacity).order_by("start_at").first()
        if crowded is not None:
            raise Conflict(
                _("%(n)d seats are already taken on %(date)s: the capacity cannot be lower than that.")
                % {"n": crowded.seats_taken, "date": crowded.start_date.isoformat()},
                code="capacity_below_going",
            )
    for field in changed:
        setattr(event, field, getattr(data, field))
    if "description" in changed:
        event.description_html = str(render_markdown(event.description))
    questions_before = [(q.text, q.required) for q in event.questions.all()]
    _set_questions(event, data.questions)
    added = _set_hosts(event, data.cohosts, actor)
    if not changed and questions_before == data.questions and not added:
        return event
    event.updated_at = now
    event.save()
    moved: list[Occurrence] = []
    dropped: list[Occurrence] = []
    if any(field in SCHEDULE_FIELDS for field in changed):
        moved, dropped = _reschedule(event, now)
    if "capacity" in changed:
        Occurrence.objects.filter(event=event, end_at__gt=now, cancelled_at__isnull=True).update(capacity=event.capacity)
        for occurrence in Occurrence.objects.select_for_update().filter(
            event=event, end_at__gt=now, cancelled_at__isnull=True, waitlist_count__gt=0
        ):
            _promote(occurrence, event)
    if {"kind", "format", "visibility"}.intersection(changed):
        Occurrence.objects.filter(event=event).update(kind=event.kind, format=event.format, visibility=event.visibility)
    moved_ids = {o.pk for o in moved}
    Occurrence.objects.filter(event=event, end_at__gt=now).exclude(pk__in=moved_ids).update(
        sequence=F("sequence") + 1, updated_at=now
    )
    _search(event)
    audit_record(action="events.event.updated", actor=actor, target=event, data={"fields": changed})
    notify.host_added(event=event, people=added, actor=actor)
    if NOTIFY_FIELDS.intersection(changed):
        upcoming = moved or list(Occurrence.objects.filter(event=event, end_at__gt=now, cancelled_at__isnull=True)[:1])
        what = _("new time") if any(f in SCHEDULE_FIELDS for f in changed) else _("new place or link")
        if upcoming:
            people = _answered(Occurrence.objects.filter(event=event, end_at__gt=now).only("pk"))
            notify.changed(event=event, occurrence=upcoming[0], people=people, actor=actor, what=what)
    for occurrence in dropped:
        notify.cancelled(event=event, occurrence=occurrence, people=_answered([occurrence]), actor=actor,
                         whole_event=False)
    return event


@transaction.atomic
def event_cancel(*, actor: User, event: Event, reason: str = "") -> Event:
    """Cancel the whole event: its future dates are cancelled and everyone who answered them is told."""
    require_manager(standing(actor, event), _("Only the event's hosts can cancel it."))
    if event.is_cancelled:
        return event
    reason = _text(reason, field=_("The reason"), max_length=500)
    now = clock.now()
    event.cancelled_at = now
    event.updated_at = now
    event.save(update_fields=["cancelled_at", "updated_at"])
    future = list(Occurrence.objects.select_for_update().filter(event=event, end_at__gt=now, cancelled_at__isnull=True))
    Occurrence.objects.filter(pk__in=[o.pk for o in future]).update(
        cancelled_at=now, note=reason, sequence=F("sequence") + 1, updated_at=now
    )
    audit_record(action="events.event.cancelled", actor=actor, target=event, data={"reason": reason})
    if future:
        notify.cancelled(event=event, occurrence=future[0], people=_answered(future), actor=actor, whole_event=True)
    return event


@transaction.atomic
def event_cover_set(*, actor: User, event: Event, upload: UploadedFile | None) -> Event:
    """Set the cover picture (cropped to 3:1, re-encoded as JPEG) or, with no upload, remove it."""
    require_manager(standing(actor, event), _("Only the event's hosts can change it."))
    old = str(event.cover.name) if event.cover else ""
    storage = event.cover.storage
    if upload is None:
        if not old:
            return event
        event.cover = ""
        event.save(update_fields=["cover"])
    else:
        event.cover.save(f"{secrets.token_hex(12)}.jpg", ContentFile(image_to_jpeg(upload, COVER_SIZE)), save=True)
    if old:
        transaction.on_commit(lambda: storage.delete(old), robust=True)
    audit_record(action="events.event.cover_set" if upload else "events.event.cover_removed", actor=actor, target=event)
    return event


# --- One occurrence ---------------------------------------------------------------------------


@transaction.atomic
def occurrence_update(
    *, actor: User, occurrence: Occurrence, start: dt.datetime | None = None, end: dt.datetime | None = None,
    place: str | None = None, note: str = "",
) -> Occurrence:
    """Change one date of a series (or of a single event): its time (local wall-clock in the event's zone), its
    place, a note. It is detached from the series, so later edits of the series leave it as it is."""
    event = occurrence.event
    require_manager(standing(actor, event), _("Only the event's hosts can change a date."))
    occurrence = Occurrence.objects.select_for_update().get(pk=occurrence.pk)
    now = clock.now()
    if occurrence.is_cancelled or event.is_cancelled:
        raise Conflict(_("This date is cancelled."), code="cancelled")
    if occurrence.end_at <= now:
        raise Conflict(_("This date is over; it can no longer change."), code="past")
    note = _text(note, field=_("The note"), max_length=500)
    changed: list[str] = []
    if start is not None or end is not None:
        tz = recurrence.zone(event.timezone)
        local_start = start or occurrence.start_at.astimezone(tz).replace(tzinfo=None)
        local_end = end or occurrence.end_at.astimezone(tz).replace(tzinfo=None)
        if event.all_day:
            local_start = dt.datetime.combine(local_start.date(), dt.time(0))
            local_end = dt.datetime.combine(local_end.date(), dt.time(0)) + dt.timedelta(days=1)
        if local_end <= local_start:
            raise _fail(_("The event ends before it starts."), "end_before_start")
        if local_end - local_start > MAX_DURATION + dt.timedelta(days=1):
            raise _fail(_("An event can last 14 days at most."), "too_long")
        slot = recurrence.Slot(occurrence.position, local_start, local_end, recurrence.to_utc(local_start, tz),
                               recurrence.to_utc(local_end, tz))
        if slot.start <= now:
            raise _fail(_("Move a date to the future, not the past."), "in_the_past")
        start_date, end_date = _dates(event, slot)
        if (slot.start, slot.end) != (occurrence.start_at, occurrence.end_at):
            occurrence.start_at, occurrence.end_at = slot.start, slot.end
            occurrence.start_date, occurrence.end_date = start_date, end_date
            changed.append("time")
    if place is not None:
        place = _text(place, field=_("The place"), max_length=300)
        if place != (occurrence.place_override or event.place):
            occurrence.place_override = place
            changed.append("place")
    if note != occurrence.note:
        occurrence.note = note
        changed.append("note")
    if not changed:
        return occurrence
    occurrence.detached = True
    occurrence.sequence += 1
    occurrence.updated_at = now
    occurrence.save()
    audit_record(action="events.occurrence.updated", actor=actor, target=occurrence, data={"fields": changed})
    if "time" in changed or "place" in changed:
        what = _("new time") if "time" in changed else _("new place")
        notify.changed(event=event, occurrence=occurrence, people=_answered([occurrence]), actor=actor, what=what)
    return occurrence


@transaction.atomic
def occurrence_cancel(*, actor: User, occurrence: Occurrence, reason: str = "") -> Occurrence:
    event = occurrence.event
    require_manager(standing(actor, event), _("Only the event's hosts can cancel a date."))
    occurrence = Occurrence.objects.select_for_update().get(pk=occurrence.pk)
    if occurrence.is_cancelled:
        return occurrence
    now = clock.now()
    if occurrence.end_at <= now:
        raise Conflict(_("This date is over; it can no longer be cancelled."), code="past")
    occurrence.cancelled_at = now
    occurrence.note = _text(reason, field=_("The reason"), max_length=500)
    occurrence.detached = True
    occurrence.sequence += 1
    occurrence.updated_at = now
    occurrence.save()
    audit_record(action="events.occurrence.cancelled", actor=actor, target=occurrence, data={"reason": occurrence.note})
    notify.cancelled(event=event, occurrence=occurrence, people=_answered([occurrence]), actor=actor, whole_event=False)
    return occurrence


# --- RSVPs ------------------------------------------------------------------------------------


def rsvp_deadline(event: Event, occurrence: Occurrence) -> dt.datetime:
    """When answers close: the start, or the host's deadline before it."""
    return occurrence.start_at - dt.timedelta(hours=event.rsvp_closes_hours or 0)


def _open_for_answers(event: Event, occurrence: Occurrence, now: dt.datetime) -> None:
    if event.is_cancelled or occurrence.is_cancelled:
        raise Conflict(_("This event is cancelled: it takes no answers."), code="cancelled")
    if occurrence.start_at <= now:
        raise Conflict(_("This event has started; answers are closed."), code="started")
    if now >= rsvp_deadline(event, occurrence):
        raise Conflict(_("The RSVP deadline has passed."), code="deadline_passed")


def _clean_answers(event: Event, answers: dict[str, Any] | None, *, going: bool) -> dict[str, str]:
    questions = list(event.questions.all())
    given = {str(k): v for k, v in (answers or {}).items()}
    known = {str(q.pk) for q in questions}
    if set(given) - known:
        raise _fail(_("Answer only the event's own questions."), "unknown_question")
    cleaned: dict[str, str] = {}
    for question in questions:
        value = given.get(str(question.pk), "")
        if not isinstance(value, str):
            raise _fail(_("Answers are text."), "bad_answer")
        value = " ".join(value.split())
        if len(value) > 500:
            raise _fail(_("Keep each answer under 500 characters."), "too_long")
        if question.required and going and not value:
            raise _fail(_("Please answer: %(question)s") % {"question": question.text}, "answer_required")
        if value:
            cleaned[str(question.pk)] = value
    return cleaned


def _clean_guests(event: Event, guests: object) -> int:
    if isinstance(guests, bool) or not isinstance(guests, int):
        raise _fail(_("The number of guests must be a whole number."), "bad_guests")
    if guests < 0:
        raise _fail(_("The number of guests cannot be negative."), "negative_guests")
    if guests and not event.allow_guests:
        raise _fail(_("This event does not take guests."), "no_guests")
    if guests > event.max_guests and event.allow_guests:
        raise _fail(_("Bring at most %(n)d guests.") % {"n": event.max_guests}, "too_many_guests")
    return guests


COUNTERS: dict[str, str] = {Rsvp.Status.GOING: "going_count", Rsvp.Status.MAYBE: "maybe_count", Rsvp.Status.WAITLISTED: "waitlist_count"}


def _recount(occurrence: Occurrence, old: str | None, new: str) -> None:
    if old in COUNTERS:
        setattr(occurrence, COUNTERS[old], getattr(occurrence, COUNTERS[old]) - 1)
    if new in COUNTERS:
        setattr(occurrence, COUNTERS[new], getattr(occurrence, COUNTERS[new]) + 1)


def _record_going(event: Event, occurrence: Occurrence, rsvps: Sequence[Rsvp], now: dt.datetime) -> None:
    first = [r for r in rsvps if r.first_going_at is None]
    if not first:
        return
    Rsvp.objects.filter(pk__in=[r.pk for r in first]).update(first_going_at=now)
    departments = dict(Profile.objects.filter(pk__in=[r.profile_id for r in first]).values_list("pk", "department_id"))
    for rsvp in first:
        rsvp.first_going_at = now
        ledger.rsvped(event=event, occurrence=occurrence, member_id=rsvp.profile_id,
                      department_id=departments.get(rsvp.profile_id), at=now)


def _promote(occurrence: Occurrence, event: Event) -> list[Rsvp]:
    """Give freed seats to the waitlist in arrival order (the occurrence row is locked by the caller)."""
    promoted: list[Rsvp] = []
    now = clock.now()
    while occurrence.waitlist_count > 0:
        waiting = list(Rsvp.objects.filter(occurrence=occurrence, status=Rsvp.Status.WAITLISTED)
                       .order_by("waitlist_position")[:50])
        chosen = set(seats.promotions(occurrence.capacity, occurrence.seats_taken, [
            seats.Waiting(rsvp_id=r.pk, party=r.party, position=r.waitlist_position or 0) for r in waiting
        ]))
        batch = [r for r in waiting if r.pk in chosen]
        if not batch:
            break
        Rsvp.objects.filter(pk__in=chosen).update(status=Rsvp.Status.GOING, waitlist_position=None, updated_at=now)
        occurrence.seats_taken += sum(r.party for r in batch)
        occurrence.going_count += len(batch)
        occurrence.waitlist_count -= len(batch)
        occurrence.save(update_fields=["seats_taken", "going_count", "waitlist_count"])
        promoted.extend(batch)
        if len(batch) < len(waiting):
            break
    if promoted:
        _record_going(event, occurrence, promoted, now)
        people = list(Profile.objects.filter(pk__in=[r.profile_id for r in promoted]).select_related("user"))
        notify.promoted(occurrence=occurrence, event=event, people=people, actor=None)
        for rsvp in promoted:
            rsvp.status, rsvp.waitlist_position = Rsvp.Status.GOING, None
            audit_record(action="events.rsvp.promoted", target=rsvp, data={"occurrence": occurrence.pk})
    return promoted


def _apply_answer(
    *, event: Event, occurrence: Occurrence, profile: Profile, status: str, guests: int, answers: dict[str, str],
    now: dt.datetime,
) -> Rsvp:
    """Put one member's answer into effect; the occurrence row must be locked by the caller."""
    rsvp = Rsvp.objects.filter(occurrence=occurrence, profile=profile).first()
    old_status = rsvp.status if rsvp is not None else None
    old_party = rsvp.party if rsvp is not None else 0
    party = 1 + guests
    placement = seats.place(
        wanted=status, capacity=occurrence.capacity, taken=occurrence.seats_taken, old_status=old_status,
        old_party=old_party, party=party,
        someone_waiting=occurrence.waitlist_count - (1 if old_status == Rsvp.Status.WAITLISTED else 0) > 0,
    )
    if placement.reason == "guests_do_not_fit":
        free = seats.free_seats(occurrence.capacity, occurrence.seats_taken - old_party) or 0
        raise Conflict(
            _("Only %(n)d seats are left for you and your guests; you keep your seat with %(g)d guests.")
            % {"n": free, "g": old_party - 1},
            code="guests_do_not_fit",
        )
    if rsvp is None:
        rsvp = Rsvp(occurrence=occurrence, profile=profile, created_at=now)
    if placement.status == Rsvp.Status.WAITLISTED and old_status != Rsvp.Status.WAITLISTED:
        occurrence.waitlist_seq += 1
        rsvp.waitlist_position = occurrence.waitlist_seq
    elif placement.status != Rsvp.Status.WAITLISTED:
        rsvp.waitlist_position = None
    rsvp.status = placement.status
    rsvp.guests = guests if status != Rsvp.Status.NOT_GOING else 0
    rsvp.answers = answers
    rsvp.updated_at = now
    _recount(occurrence, old_status, rsvp.status)
    occurrence.seats_taken = placement.seats_taken
    occurrence.save(update_fields=["seats_taken", "going_count", "maybe_count", "waitlist_count", "waitlist_seq"])
    rsvp.save()
    if rsvp.status == Rsvp.Status.GOING:
        _record_going(event, occurrence, [rsvp], now)
    return rsvp


@transaction.atomic
def rsvp_set(
    *, actor: User, occurrence: Occurrence, status: str, guests: int = 0, answers: dict[str, Any] | None = None,
) -> Rsvp:
    """Answer going, maybe or not going (with guests and the host's questions). Going when a seat is free and
    nobody is waiting; otherwise on the waitlist, in arrival order. Freed seats go to the waitlist at once."""
    profile = actor_profile(actor)
    event = occurrence.event
    check(rules.can_rsvp(standing(actor, event)), _("You cannot answer this event."))
    if status not in seats.ANSWERS:
        raise _fail(_("Answer going, maybe or not going."), "bad_status")
    guests = _clean_guests(event, guests) if status != Rsvp.Status.NOT_GOING else 0
    cleaned = _clean_answers(event, answers, going=status == Rsvp.Status.GOING)
    # The lock: concurrent answers for this date wait here, one after the other, in arrival order.
    occurrence = Occurrence.objects.select_for_update().get(pk=occurrence.pk)
    occurrence.event = event
    now = clock.now()
    _open_for_answers(event, occurrence, now)
    rsvp = _apply_answer(event=event, occurrence=occurrence, profile=profile, status=status, guests=guests,
                         answers=cleaned, now=now)
    audit_record(action="events.rsvp.set", actor=actor, target=rsvp,
                 data={"occurrence": occurrence.pk, "status": rsvp.status, "guests": rsvp.guests})
    _promote(occurrence, event)
    return rsvp


HELD = (Rsvp.Status.GOING, Rsvp.Status.MAYBE, Rsvp.Status.WAITLISTED)


@transaction.atomic
def rsvps_release_of_deactivated(profile_ids: Sequence[int]) -> int:
    """Deactivated members give up their answers to dates not yet over, as if they had said not going: their
    seats go to the waitlist in arrival order (the next people are told, as always) and they leave the attendee
    lists. Answers already marked at the door, and every past date, stay as they were: that is history.
    Occurrence rows are locked one after the other in id order, like any answer, so concurrent answers wait.
    Returns how many answers were released."""
    ids = list(profile_ids)
    if not ids:
        return 0
    now = clock.now()
    held = Rsvp.objects.filter(
        profile_id__in=ids, status__in=HELD, attendance="", occurrence__end_at__gt=now,
        occurrence__cancelled_at__isnull=True,
    )
    released = 0
    for occurrence_id in sorted(set(held.values_list("occurrence_id", flat=True))):
        occurrence = Occurrence.objects.select_for_update().select_related("event").get(pk=occurrence_id)
        event = occurrence.event
        for rsvp in list(held.filter(occurrence_id=occurrence_id).select_related("profile")):
            released_rsvp = _apply_answer(event=event, occurrence=occurrence, profile=rsvp.profile,
                                          status=Rsvp.Status.NOT_GOING, guests=0, answers=rsvp.answers, now=now)
            audit_record(action="events.rsvp.released_on_deactivation", target=released_rsvp,
                         data={"occurrence": occurrence.pk, "was": rsvp.status})
            released += 1
        _promote(occurrence, event)
    return released


def rsvp_cancel(*, actor: User, occurrence: Occurrence) -> Rsvp:
    """Cancel one's answer: not going (the seat, or the place in line, goes to the next person)."""
    return rsvp_set(actor=actor, occurrence=occurrence, status=Rsvp.Status.NOT_GOING)


# --- Attendance -------------------------------------------------------------------------------


def _refresh_pairs(event: Event, occurrence: Occurrence) -> None:
    """After attendance changes on a finalized date, its co-attendance pairs follow the new truth."""
    if occurrence.finalized_at is None:
        return
    attendees = list(Rsvp.objects.filter(occurrence=occurrence, attendance=Rsvp.Attendance.ATTENDED)
                     .values_list("profile_id", "profile__department_id"))
    ledger.co_attendance(event=event, occurrence=occurrence, attendees=attendees)


@transaction.atomic
def attendance_set(*, actor: User, occurrence: Occurrence, rsvp_ids: Sequence[int], mark: str) -> int:
    """Hosts check people in ("attended"), mark no-shows ("no_show") or clear a mark (""), one or many at once.
    Returns how many answers changed."""
    event = occurrence.event
    require_manager(standing(actor, event), _("Only the event's hosts can check people in."))
    if mark not in Rsvp.Attendance.values:
        raise _fail(_("Mark people as attended or no-show."), "bad_mark")
    occurrence = Occurrence.objects.select_for_update().get(pk=occurrence.pk)
    now = clock.now()
    if occurrence.is_cancelled:
        raise Conflict(_("This date is cancelled."), code="cancelled")
    if not checkin_rules.host_checkin_open(occurrence.start_at, now):
        raise Conflict(_("Check-in opens two hours before the start."), code="too_early")
    if len(rsvp_ids) > 5000:
        raise _fail(_("Check in at most 5,000 people at once."), "too_many")
    host = actor_profile(actor)
    wanted = set(rsvp_ids)
    found = list(Rsvp.objects.filter(occurrence=occurrence, pk__in=wanted).select_related("profile"))
    if len(found) != len(wanted):
        raise NotFound(_("No such answer."))
    rows = [r for r in found if r.attendance != mark]
    if not rows:
        return 0
    gained = sum(1 for r in rows if mark == Rsvp.Attendance.ATTENDED)
    lost = sum(1 for r in rows if r.attendance == Rsvp.Attendance.ATTENDED)
    Rsvp.objects.filter(pk__in=[r.pk for r in rows]).update(
        attendance=mark, checked_in_at=now if mark == Rsvp.Attendance.ATTENDED else None,
        checked_in_by=host if mark else None, updated_at=now,
    )
    occurrence.attended_count += gained - lost
    occurrence.save(update_fields=["attended_count"])
    ledger.attendance_bulk(event=event, occurrence=occurrence, mark=mark,
                           people=[(r.profile_id, r.profile.department_id) for r in rows])
    _refresh_pairs(event, occurrence)
    audit_record(action="events.attendance.set", actor=actor, target=occurrence,
                 data={"mark": mark, "rsvps": sorted(r.pk for r in rows)})
    return len(rows)


@transaction.atomic
def checkin_self(*, actor: User, occurrence: Occurrence, code: str) -> Rsvp:
    """An attendee checks themselves in with the code shown at the venue. Someone who had not answered (or
    said maybe) takes a free seat; when the event is full they ask the host."""
    profile = actor_profile(actor)
    event = occurrence.event
    check(rules.can_rsvp(standing(actor, event)), _("You cannot check in to this event."))
    ratelimit_check(scope="event_checkin", key=actor.pk, limits=CHECKIN_LIMITS)
    occurrence = Occurrence.objects.select_for_update().get(pk=occurrence.pk)
    occurrence.event = event
    now = clock.now()
    if occurrence.is_cancelled or event.is_cancelled:
        raise Conflict(_("This event is cancelled."), code="cancelled")
    if not checkin_rules.self_checkin_open(occurrence.start_at, occurrence.end_at, now):
        raise Conflict(_("Check-in opens an hour before the start and closes two hours after the end."),
                       code="checkin_closed")
    if not checkin_rules.matches(code, occurrence.checkin_code):
        raise _fail(_("That code is not right. Check the code shown at the event."), "bad_code")
    rsvp = Rsvp.objects.filter(occurrence=occurrence, profile=profile).first()
    if rsvp is None or rsvp.status != Rsvp.Status.GOING:
        # A walk-in: a seat if one is free (the waitlist, if any, is already at the door and not served first).
        free = seats.free_seats(occurrence.capacity, occurrence.seats_taken)
        if free is not None and free < 1:
            raise Conflict(_("The event is full. Please ask a host to let you in."), code="full")
        old = rsvp.status if rsvp is not None else None
        if rsvp is None:
            rsvp = Rsvp(occurrence=occurrence, profile=profile, created_at=now, answers={})
        rsvp.status, rsvp.guests, rsvp.waitlist_position, rsvp.updated_at = Rsvp.Status.GOING, 0, None, now
        _recount(occurrence, old, Rsvp.Status.GOING)
        occurrence.seats_taken += 1
        rsvp.save()
        _record_going(event, occurrence, [rsvp], now)
    if rsvp.attendance == Rsvp.Attendance.ATTENDED:
        occurrence.save(update_fields=["seats_taken", "going_count", "maybe_count", "waitlist_count"])
        return rsvp
    rsvp.attendance, rsvp.checked_in_at, rsvp.checked_in_by = Rsvp.Attendance.ATTENDED, now, profile
    rsvp.save()
    occurrence.attended_count += 1
    occurrence.save(update_fields=["seats_taken", "going_count", "maybe_count", "waitlist_count", "attended_count"])
    ledger.attendance(event=event, occurrence=occurrence, member_id=profile.pk, department_id=profile.department_id,
                      mark=Rsvp.Attendance.ATTENDED)
    _refresh_pairs(event, occurrence)
    audit_record(action="events.attendance.self", actor=actor, target=rsvp, data={"occurrence": occurrence.pk})
    return rsvp


@transaction.atomic
def checkin_code_reset(*, actor: User, occurrence: Occurrence) -> Occurrence:
    """A new self check-in code (the old one was shared too widely)."""
    require_manager(standing(actor, occurrence.event), _("Only the event's hosts can do that."))
    occurrence.checkin_code = _new_code()
    occurrence.save(update_fields=["checkin_code"])
    audit_record(action="events.occurrence.code_reset", actor=actor, target=occurrence)
    return occurrence


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
    """The job (every few minutes): remind those going a day before (09:00 their time) and an hour before.
    Each reminder is claimed (its column set) in the same transaction that sends it, so a retried or doubled
    job never sends one twice. Returns the number of reminders sent."""
    now = now or clock.now()
    sent = 0
    with transaction.atomic():
        candidates = (
            Rsvp.objects.filter(
                status=Rsvp.Status.GOING, reminded_hour_at__isnull=True, occurrence__start_at__gt=now,
                occurrence__start_at__lte=now + dt.timedelta(hours=40), occurrence__cancelled_at__isnull=True,
                occurrence__event__cancelled_at__isnull=True, profile__is_active=True,
            )
            .select_related("occurrence", "occurrence__event", "profile", "profile__user")
            .select_for_update(skip_locked=True, of=("self",))
            .order_by("occurrence_id", "pk")
        )
        batches: dict[tuple[int, str], list[Rsvp]] = {}
        for rsvp in candidates[:5000]:
            try:
                zone: dt.tzinfo = zoneinfo.ZoneInfo(rsvp.profile.timezone or "UTC")
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                zone = dt.UTC
            answered = rsvp.first_going_at or rsvp.created_at
            for reminder in reminders_due(start=rsvp.occurrence.start_at, member_tz=zone, now=now,
                                          day_sent=rsvp.reminded_day_at is not None,
                                          hour_sent=rsvp.reminded_hour_at is not None, answered_at=answered):
                batches.setdefault((rsvp.occurrence_id, reminder.kind), []).append(rsvp)
        for (_occurrence_id, kind), rsvps in batches.items():
            column = "reminded_day_at" if kind == "day" else "reminded_hour_at"
            Rsvp.objects.filter(pk__in=[r.pk for r in rsvps]).update(**{column: now})
            occurrence = rsvps[0].occurrence
            notify.reminder(event=occurrence.event, occurrence=occurrence, people=[r.profile for r in rsvps], kind=kind)
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


# --- Feedback ---------------------------------------------------------------------------------


def feedback_eligible(occurrence: Occurrence, rsvp: Rsvp | None, *, any_checkins: bool) -> bool:
    """Attendees answer the pulse; when the host checked nobody in, those who were going do."""
    if rsvp is None:
        return False
    if rsvp.attendance == Rsvp.Attendance.ATTENDED:
        return True
    return not any_checkins and rsvp.status == Rsvp.Status.GOING


def feedback_open(occurrence: Occurrence, now: dt.datetime) -> bool:
    return occurrence.end_at <= now <= occurrence.end_at + dt.timedelta(days=FEEDBACK_DAYS)


@transaction.atomic
def feedback_give(*, actor: User, occurrence: Occurrence, rating: int, comment: str = "") -> None:
    """Answer the two questions once. Anonymous feedback keeps who answered and what they answered apart."""
    profile = actor_profile(actor)
    event = occurrence.event
    check(rules.can_see(standing(actor, event)), _("You cannot give feedback on this event."))
    now = clock.now()
    if not event.feedback_enabled or occurrence.is_cancelled or event.is_cancelled:
        raise Conflict(_("This event does not ask for feedback."), code="no_feedback")
    if not feedback_open(occurrence, now):
        raise Conflict(_("Feedback opens when the event is over and closes a month later."), code="feedback_closed")
    rsvp = Rsvp.objects.filter(occurrence=occurrence, profile=profile).first()
    any_checkins = Rsvp.objects.filter(occurrence=occurrence, attendance=Rsvp.Attendance.ATTENDED).exists()
    if not feedback_eligible(occurrence, rsvp, any_checkins=any_checkins):
        raise PermissionDenied(_("Only the people who came can give feedback."))
    if not feedback_rules.valid_rating(rating):
        raise _fail(_("Rate it from 1 to 5."), "bad_rating")
    comment = _text(comment, field=_("The comment"), max_length=feedback_rules.COMMENT_MAX)
    if FeedbackGiven.objects.filter(occurrence=occurrence, profile=profile).exists():
        raise Conflict(_("You already gave feedback on this event. Thank you!"), code="already_given")
    day = coarse_date(now)
    FeedbackGiven.objects.create(occurrence=occurrence, profile=profile, given_on=day)
    anonymous = event.feedback_anonymous
    FeedbackAnswer.objects.create(occurrence=occurrence, rating=rating, comment=comment, answered_on=day,
                                  anonymous=anonymous, profile=None if anonymous else profile)
    ledger.feedback_given(event=event, occurrence=occurrence, member_id=profile.pk,
                          department_id=profile.department_id, at=now, anonymous=anonymous)
    # The audit log names who gave feedback, never what they said (the answer row has no key to log).
    audit_record(action="events.feedback.given", actor=actor, target=occurrence)


# --- Photos and links of past events ---------------------------------------------------------


def _may_add_media(actor: User, event: Event, occurrence: Occurrence) -> None:
    attended = Rsvp.objects.filter(occurrence=occurrence, profile__user=actor,
                                   attendance=Rsvp.Attendance.ATTENDED).exists()
    check(rules.can_add_media(standing(actor, event), attended), _("Only the hosts and the people who came can add these."))
    if occurrence.start_at > clock.now():
        raise Conflict(_("Photos and links are for events that took place."), code="not_yet")


@transaction.atomic
def media_add(
    *, actor: User, occurrence: Occurrence, title: str, url: str = "", upload: UploadedFile | None = None,
) -> Media:
    event = occurrence.event
    _may_add_media(actor, event, occurrence)
    title = _text(title, field=_("The title"), max_length=200, required=True)
    if bool(url) == bool(upload):
        raise _fail(_("Give either a link or a photo."), "link_or_photo")
    media = Media(event=event, occurrence=occurrence, title=title, added_by=actor_profile(actor), created_at=clock.now())
    if url:
        url = url.strip()
        if len(url) > 1000 or not url.lower().startswith(("https://", "http://")):
            raise _fail(_("Links must start with https:// or http://."), "bad_url")
        media.kind, media.url = Media.Kind.LINK, url
        media.save()
    elif upload is not None:
        media.kind = Media.Kind.PHOTO
        media.image.save(f"{secrets.token_hex(12)}.jpg", ContentFile(image_to_jpeg(upload, PHOTO_SIZE)), save=True)
    audit_record(action="events.media.added", actor=actor, target=media, data={"kind": media.kind})
    return media


@transaction.atomic
def media_delete(*, actor: User, media: Media) -> None:
    own = media.added_by_id is not None and media.added_by_id == actor_profile(actor).pk
    check(own or rules.can_manage(standing(actor, media.event)), _("You cannot remove this."))
    media.deleted_at = clock.now()
    media.save(update_fields=["deleted_at"])
    audit_record(action="events.media.deleted", actor=actor, target=media)


# --- Calendar subscriptions -------------------------------------------------------------------


@transaction.atomic
def calendar_feed_create(*, actor: User) -> tuple[CalendarFeed, str]:
    """A new secret subscription address (the old one stops working). The address is shown only now."""
    profile = actor_profile(actor)
    now = clock.now()
    CalendarFeed.objects.filter(profile=profile, revoked_at__isnull=True).update(revoked_at=now)
    raw = FEED_PREFIX + secrets.token_urlsafe(32)
    feed = CalendarFeed.objects.create(profile=profile, prefix=raw[:10], token_hash=token_hash(raw), created_at=now)
    audit_record(action="events.calendar_feed.created", actor=actor, target=feed)
    return feed, raw


@transaction.atomic
def calendar_feed_revoke(*, actor: User) -> int:
    profile = actor_profile(actor)
    count = CalendarFeed.objects.filter(profile=profile, revoked_at__isnull=True).update(revoked_at=clock.now())
    if count:
        audit_record(action="events.calendar_feed.revoked", actor=actor, data={"count": count})
    return count


def calendar_feeds_revoke_of_deactivated(profile_ids: Sequence[int]) -> int:
    """A subscription address is a secret that reads one's calendar, like an API token: deactivation revokes
    it for good (a reactivated member makes a new one)."""
    return CalendarFeed.objects.filter(profile_id__in=list(profile_ids), revoked_at__isnull=True).update(
        revoked_at=clock.now())


def calendar_feed_authenticate(raw: str) -> Profile | None:
    """The active member a subscription address belongs to, or None (unknown, revoked, deactivated)."""
    if not raw or not raw.startswith(FEED_PREFIX) or len(raw) > 100:
        return None
    feed = CalendarFeed.objects.select_related("profile", "profile__user").filter(token_hash=token_hash(raw)).first()
    if feed is None or feed.revoked_at is not None or not feed.profile.is_active or not feed.profile.user.is_active:
        return None
    now = clock.now()
    if feed.last_used_at is None or now - feed.last_used_at > dt.timedelta(hours=1):
        CalendarFeed.objects.filter(pk=feed.pk).update(last_used_at=now)
    return feed.profile


def site_domain() -> str:
    return urlsplit(settings.SITE_URL).hostname or "courtyard.local"
