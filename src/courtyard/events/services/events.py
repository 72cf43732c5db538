"""Events and series: what a host sets (``EventData``, ``validate``), the dates a series has, and every change
to an event or to one of its dates.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import secrets
from collections.abc import Iterable, Sequence

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from courtyard.accounts.models import User
from courtyard.core import clock
from courtyard.core.audit import audit_record
from courtyard.core.errors import Conflict
from courtyard.core.images import image_to_jpeg
from courtyard.core.markdown import render_markdown
from courtyard.events import notify
from courtyard.events.access import can_create_in_group, check, require_manager, standing
from courtyard.events.domain import recurrence
from courtyard.events.models import Event, EventHost, FeedbackGiven, Occurrence, Question, Rsvp
from courtyard.events.services._common import _fail, _new_code, _text
from courtyard.events.services.seats import _promote
from courtyard.groups.models import Group
from courtyard.people.access import actor_profile
from courtyard.people.models import Profile
from courtyard.search.services import search_sync

HORIZON_DAYS = 180  # open-ended series exist this far ahead; a daily job moves the horizon
MAX_DURATION = dt.timedelta(days=14)
MAX_CAPACITY = 100_000
MAX_QUESTIONS = 10
MAX_HOSTS = 10
COVER_SIZE = (1200, 400)
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


# Who hears about a change or a cancellation: those going, waiting or undecided. Someone who said not going has
# said the date does not concern them, so a new time, place or a cancellation is not news for them.
CONCERNED = (Rsvp.Status.GOING, Rsvp.Status.MAYBE, Rsvp.Status.WAITLISTED)


def _answered(occurrences: Iterable[Occurrence]) -> list[Profile]:
    """Everyone concerned by any of these occurrences (going, maybe or waiting, not "not going"), once each."""
    ids = [o.pk for o in occurrences]
    if not ids:
        return []
    return list(
        Profile.objects.filter(event_rsvps__occurrence_id__in=ids, event_rsvps__status__in=CONCERNED, is_active=True)
        .select_related("user").distinct()
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
    """Change the series: future dates follow (except those changed on their own); everyone going, undecided or
    waiting hears about a new time or place. A capacity below the seats already taken is refused."""
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
    """Cancel the whole event: its future dates are cancelled and everyone going, undecided or
    waiting is told."""
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
