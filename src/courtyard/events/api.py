"""The events API: thin handlers over the same access functions, services and selectors as the pages."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any, Literal

from django.conf import settings
from django.urls import reverse
from ninja import Field, Query, Router, Schema, Status

from courtyard.accounts.http import ApiRequest
from courtyard.core import clock
from courtyard.core.errors import ApplicationError, NotFound, PermissionDenied
from courtyard.core.pagination import cursor_checked
from courtyard.core.schemas import CleanText, DbId, InputSchema, Ok, PersonRef
from courtyard.events import selectors, services
from courtyard.events.access import access_event, access_occurrence, require_manager
from courtyard.events.domain import rules
from courtyard.events.domain.waitlist import Seats
from courtyard.events.models import Event, Occurrence, Rsvp
from courtyard.groups.access import access_group
from courtyard.people.access import actor_profile
from courtyard.people.models import Profile

router = Router()

Kind = Literal["social", "team_building", "workshop", "coffee", "town_hall", "other"]
Format = Literal["in_person", "virtual", "hybrid"]
Visibility = Literal["organization", "group"]
Frequency = Literal["none", "weekly", "monthly"]
MonthlyBy = Literal["day", "weekday"]


class EventQuestionIn(InputSchema):
    text: str = Field(..., max_length=300)
    required: bool = False


class QuestionOut(Schema):
    id: int
    text: str
    required: bool


class EventFields(InputSchema):
    description: CleanText = Field("", max_length=20_000)
    place: str = Field("", max_length=300)
    meeting_url: str = Field("", max_length=1000)
    accessibility_notes: CleanText = Field("", max_length=2000)
    all_day: bool = False
    start_time: dt.time | None = None
    end_date: dt.date | None = None
    end_time: dt.time | None = None
    frequency: Frequency = "none"
    interval: int = Field(1, ge=1, le=52)
    monthly_by: MonthlyBy = "day"
    repeat_count: int | None = Field(None, ge=1, le=200)
    repeat_until: dt.date | None = None
    capacity: int | None = Field(None, ge=1, le=100_000)
    allow_guests: bool = False
    max_guests: int = Field(0, ge=0, le=10)
    rsvp_closes_hours: int | None = Field(None, ge=0, le=8760)
    hide_attendees: bool = False
    feedback_enabled: bool = True
    feedback_anonymous: bool = True
    questions: list[EventQuestionIn] = Field(default_factory=list, max_length=10)
    cohost_emails: list[str] = Field(default_factory=list, max_length=10)


class EventIn(EventFields):
    title: str = Field(..., max_length=200)
    kind: Kind = "social"
    format: Format = "in_person"
    visibility: Visibility = "organization"
    group: str | None = Field(None, max_length=110, description="The slug of the group hosting it")
    timezone: str = Field("UTC", max_length=64, description="An IANA time zone, e.g. Europe/Berlin")
    start_date: dt.date


class EventPatch(InputSchema):
    title: str | None = Field(None, max_length=200)
    kind: Kind | None = None
    format: Format | None = None
    visibility: Visibility | None = None
    timezone: str | None = Field(None, max_length=64)
    start_date: dt.date | None = None
    description: CleanText | None = Field(None, max_length=20_000)
    place: str | None = Field(None, max_length=300)
    meeting_url: str | None = Field(None, max_length=1000)
    accessibility_notes: CleanText | None = Field(None, max_length=2000)
    all_day: bool | None = None
    start_time: dt.time | None = None
    end_date: dt.date | None = None
    end_time: dt.time | None = None
    frequency: Frequency | None = None
    interval: int | None = Field(None, ge=1, le=52)
    monthly_by: MonthlyBy | None = None
    repeat_count: int | None = Field(None, ge=1, le=200)
    repeat_until: dt.date | None = None
    capacity: int | None = Field(None, ge=1, le=100_000)
    allow_guests: bool | None = None
    max_guests: int | None = Field(None, ge=0, le=10)
    rsvp_closes_hours: int | None = Field(None, ge=0, le=8760)
    hide_attendees: bool | None = None
    feedback_enabled: bool | None = None
    feedback_anonymous: bool | None = None
    questions: list[EventQuestionIn] | None = Field(None, max_length=10)
    cohost_emails: list[str] | None = Field(None, max_length=10)


class OccurrenceOut(Schema):
    id: int
    event_id: int
    title: str
    kind: str
    format: str
    group: str | None
    members_only: bool
    timezone: str
    all_day: bool
    start: dt.datetime
    end: dt.datetime
    start_date: dt.date
    end_date: dt.date
    place: str
    cancelled: bool
    note: str
    capacity: int | None
    seats_taken: int = Field(..., description="Seats taken: the members going and their guests")
    free_seats: int | None = Field(..., description="Seats left (null: no limit); a party larger than this waits")
    going_count: int = Field(..., description="People going: members who answered going, and hosts who have not "
                                              "answered (a host is going to their own event, without taking a seat)")
    hosts_going: int = Field(..., description="Of going_count, the hosts counted without an answer")
    maybe_count: int
    waitlist_count: int
    attended_count: int
    my_status: str | None
    url: str


class OccurrencePage(Schema):
    items: list[OccurrenceOut]
    next_cursor: str | None


class EventOut(Schema):
    id: int
    title: str
    kind: str
    format: str
    visibility: str
    group: str | None
    description: str
    description_html: str
    place: str
    accessibility_notes: str
    timezone: str
    all_day: bool
    start_date: dt.date
    start_time: dt.time | None
    end_date: dt.date
    end_time: dt.time | None
    frequency: str
    interval: int
    monthly_by: str
    repeat_count: int | None
    repeat_until: dt.date | None
    capacity: int | None
    allow_guests: bool
    max_guests: int
    rsvp_closes_hours: int | None
    hide_attendees: bool
    feedback_enabled: bool
    feedback_anonymous: bool
    cancelled: bool
    hosts: list[PersonRef]
    questions: list[QuestionOut]
    can_manage: bool
    next_occurrences: list[OccurrenceOut]
    url: str
    ics_url: str


class OccurrenceDetailOut(OccurrenceOut):
    description_html: str
    meeting_url: str | None = Field(..., description="Only for people going, and hosts")
    rsvp_deadline: dt.datetime
    my_guests: int
    my_attendance: str | None
    waitlist_place: int | None
    questions: list[QuestionOut]
    hosts: list[PersonRef]
    attendees_hidden: bool
    attendees_preview: list[PersonRef]
    can_manage: bool
    ics_url: str


class OccurrencePatch(InputSchema):
    start: dt.datetime | None = Field(None, description="Local wall-clock time in the event's time zone, no offset")
    end: dt.datetime | None = Field(None, description="Local wall-clock time in the event's time zone, no offset")
    place: str | None = Field(None, max_length=300)
    note: CleanText = Field("", max_length=500)


class CancelIn(InputSchema):
    reason: CleanText = Field("", max_length=500)


class RsvpIn(InputSchema):
    status: Literal["going", "maybe", "not_going"]
    guests: int = Field(0, ge=0, le=10)
    join_waitlist: bool = Field(False, description="When some seats are free but too few for your party: wait for "
                                                   "seats for the whole party (else 409 party_does_not_fit)")
    answers: dict[str, CleanText] = Field(default_factory=dict, max_length=10)


class RemoveIn(InputSchema):
    note: CleanText = Field("", max_length=500, description="Told to the person, with the removal")


class RsvpOut(Schema):
    id: int
    occurrence_id: int
    status: str
    guests: int
    waitlist_place: int | None
    attendance: str
    answers: dict[str, str]


class AttendeeOut(Schema):
    rsvp_id: int
    person: PersonRef
    status: str
    guests: int
    attendance: str | None = Field(..., description="For hosts only")
    checked_in_at: dt.datetime | None


class AttendeePage(Schema):
    count: int
    page: int
    pages: int
    items: list[AttendeeOut]


class CheckinsIn(InputSchema):
    rsvp_ids: list[DbId] = Field(..., min_length=1, max_length=500)
    mark: Literal["attended", "no_show", ""] = "attended"


class CheckinsOut(Schema):
    changed: int
    attended_count: int


class CodeIn(InputSchema):
    code: str = Field(..., min_length=1, max_length=32)


class FeedbackIn(InputSchema):
    rating: int = Field(..., ge=1, le=5)
    comment: CleanText = Field("", max_length=2000)


class FeedbackOut(Schema):
    respondents: int
    minimum: int
    anonymous: bool
    released: bool = Field(..., description="False while anonymous feedback is still taken (a month after the "
                                            "event): until then nothing of it is shown, so no reading before and "
                                            "after one answer tells that answer")
    withheld: bool
    average: float | None
    distribution: dict[str, int]
    comments_withheld: bool
    comments: list[str]


class FeedOut(Schema):
    active: bool
    prefix: str | None
    created_at: dt.datetime | None
    last_used_at: dt.datetime | None


class FeedCreated(Schema):
    url: str
    organization_url: str
    prefix: str


# --- Shapes -----------------------------------------------------------------------------------


def person(profile: Profile) -> dict[str, Any]:
    return {"id": profile.pk, "display_name": profile.display_name}


def occurrence_out(o: Occurrence, my_status: str | None = None, seats: Seats | None = None) -> dict[str, Any]:
    e = o.event
    seats = seats or selectors.seat_summary(o)
    return {
        "id": o.pk, "event_id": e.pk, "title": e.title, "kind": e.kind, "format": e.format,
        "group": e.group.slug if e.group_id and e.group else None, "members_only": e.visibility == Event.Visibility.GROUP,
        "timezone": e.timezone, "all_day": e.all_day, "start": o.start_at, "end": o.end_at, "start_date": o.start_date,
        "end_date": o.end_date, "place": o.place_override or e.place, "cancelled": o.is_cancelled or e.is_cancelled,
        "note": o.note, "capacity": o.capacity, "seats_taken": seats.taken, "free_seats": seats.free,
        "going_count": seats.going, "hosts_going": seats.hosts,
        "maybe_count": o.maybe_count, "waitlist_count": o.waitlist_count, "attended_count": o.attended_count,
        "my_status": my_status, "url": reverse("events:occurrence", args=[e.pk, o.pk]),
    }


def question_out(q: Any) -> dict[str, Any]:
    return {"id": q.pk, "text": q.text, "required": q.required}


def event_out(event: Event, current: rules.Standing) -> dict[str, Any]:
    upcoming = selectors.occurrences_of(event, upcoming_only=True, limit=5)
    for o in upcoming:
        o.event = event
    fields = ("title", "kind", "format", "visibility", "description", "description_html", "place",
              "accessibility_notes", "timezone", "all_day", "start_date", "start_time", "end_date", "end_time",
              "frequency", "interval", "monthly_by", "repeat_count", "repeat_until", "capacity", "allow_guests",
              "max_guests", "rsvp_closes_hours", "hide_attendees", "feedback_enabled", "feedback_anonymous")
    return {
        "id": event.pk, **{f: getattr(event, f) for f in fields}, "group": event.group.slug if event.group else None,
        "cancelled": event.is_cancelled, "hosts": [person(p) for p in selectors.hosts_of(event)],
        "questions": [question_out(q) for q in event.questions.all()], "can_manage": rules.can_manage(current),
        "next_occurrences": [occurrence_out(o) for o in upcoming], "url": reverse("events:detail", args=[event.pk]),
        "ics_url": reverse("events:event_ics", args=[event.pk]),
    }


def rsvp_out(rsvp: Rsvp) -> dict[str, Any]:
    place = None
    if rsvp.status == Rsvp.Status.WAITLISTED:
        place = 1 + Rsvp.objects.filter(occurrence_id=rsvp.occurrence_id, status=Rsvp.Status.WAITLISTED,
                                        waitlist_position__lt=rsvp.waitlist_position).count()
    return {"id": rsvp.pk, "occurrence_id": rsvp.occurrence_id, "status": rsvp.status, "guests": rsvp.guests,
            "waitlist_place": place, "attendance": rsvp.attendance, "answers": rsvp.answers}


def _cohosts(emails: list[str]) -> list[Profile]:
    wanted = [e.strip().lower() for e in emails if e.strip()]
    found = {p.user.email.lower(): p for p in Profile.objects.filter(user__email__in=wanted, is_active=True)
             .select_related("user")}
    missing = [e for e in wanted if e not in found]
    if missing:
        raise ApplicationError(f"Nobody in the directory has the address {', '.join(missing)[:200]}.",
                               code="unknown_person")
    return [found[e] for e in wanted]


def _times(data: dict[str, Any]) -> None:
    for key in ("start_time", "end_time"):
        if isinstance(data.get(key), dt.time):
            data[key] = data[key].replace(tzinfo=None)


# --- Events -----------------------------------------------------------------------------------


@router.get("/", response=OccurrencePage, summary="Dates of the events you may see, soonest first, by cursor")
def occurrences_list(
    request: ApiRequest,
    when: Literal["upcoming", "week", "past"] = "upcoming",
    kind: Literal["", "social", "team_building", "workshop", "coffee", "town_hall", "other"] = "",
    format: Literal["", "in_person", "virtual"] = "",
    group: str = Query("", max_length=110),
    mine: bool = False,
    going: bool = False,
    q: str = Query("", max_length=100),
    cursor: str = Query("", max_length=200),
) -> dict[str, Any]:
    query = selectors.EventQuery(when=when, kind=kind, format=format, group=group, mine=mine, going=going, q=q)
    profile = actor_profile(request.auth)
    with cursor_checked():
        result = selectors.occurrences_list(request.auth, query, cursor=cursor or None,
                                            tz=clock.safe_zone(profile.timezone))
    return {
        "items": [occurrence_out(o, o.my_rsvp.status if o.my_rsvp else None) for o in result["items"]],
        "next_cursor": result["next_cursor"],
    }


@router.post("/", response={201: EventOut}, summary="Host an event (its dates are created from its repetition)")
def event_create(request: ApiRequest, payload: EventIn) -> Status:
    data = payload.dict()
    group = None
    if data.pop("group"):
        group, _standing, _membership = access_group(request.auth, payload.group)
    cohosts = _cohosts(data.pop("cohost_emails"))
    questions = [(q["text"], q["required"]) for q in data.pop("questions")]
    _times(data)
    event = services.event_create(actor=request.auth, data=services.EventData(
        **data, group=group, cohosts=cohosts, questions=questions))
    _event, current = access_event(request.auth, event.pk)
    return Status(201, event_out(event, current))


@router.get("/calendar-feed", response=FeedOut, summary="Your calendar subscription, if you made one")
def feed_get(request: ApiRequest) -> dict[str, Any]:
    feed = selectors.calendar_feed_active(request.auth)
    return {"active": feed is not None, "prefix": feed.prefix if feed else None,
            "created_at": feed.created_at if feed else None, "last_used_at": feed.last_used_at if feed else None}


@router.post("/calendar-feed", response={201: FeedCreated}, summary="Make a new secret subscription address (shown once)")
def feed_create(request: ApiRequest) -> Status:
    feed, raw = services.calendar_feed_create(actor=request.auth)
    url = settings.SITE_URL + reverse("events:feed_personal", args=[raw])
    return Status(201, {"url": url, "organization_url": settings.SITE_URL + reverse("events:feed_organization", args=[raw]),
                        "prefix": feed.prefix})


@router.delete("/calendar-feed", response=Ok, summary="Switch your subscription address off")
def feed_revoke(request: ApiRequest) -> dict[str, bool]:
    services.calendar_feed_revoke(actor=request.auth)
    return {"ok": True}


@router.get("/{event_id}", response=EventOut, summary="One event, with its next dates")
def event_detail(request: ApiRequest, event_id: int) -> dict[str, Any]:
    event, current = access_event(request.auth, event_id)
    return event_out(event, current)


@router.patch("/{event_id}", response=EventOut, summary="Change an event (hosts); future dates follow")
def event_update(request: ApiRequest, event_id: int, payload: EventPatch) -> dict[str, Any]:
    event, current = access_event(request.auth, event_id)
    require_manager(current, "Only the event's hosts can change it.")
    changes = payload.dict(exclude_unset=True)
    if "cohost_emails" in changes:
        changes["cohosts"] = _cohosts(changes.pop("cohost_emails") or [])
    if "questions" in changes:
        changes["questions"] = [(q["text"], q["required"]) for q in changes.pop("questions") or []]
    _times(changes)
    for key in ("title", "kind", "format", "visibility", "timezone", "start_date", "interval", "monthly_by",
                "frequency", "all_day", "allow_guests", "max_guests", "hide_attendees", "feedback_enabled",
                "feedback_anonymous", "description", "place", "meeting_url", "accessibility_notes"):
        if key in changes and changes[key] is None:
            raise ApplicationError(f"{key} cannot be null.", code="null_field")
    data = dataclasses.replace(services.event_data_from(event), **changes)
    services.event_update(actor=request.auth, event=event, data=data)
    event.refresh_from_db()
    return event_out(event, current)


@router.post("/{event_id}/cancel", response=EventOut, summary="Cancel an event (hosts); everyone going, undecided or waiting is told")
def event_cancel(request: ApiRequest, event_id: int, payload: CancelIn) -> dict[str, Any]:
    event, current = access_event(request.auth, event_id)
    services.event_cancel(actor=request.auth, event=event, reason=payload.reason)
    return event_out(event, current)


@router.get("/{event_id}/occurrences", response=list[OccurrenceOut], summary="An event's dates (at most 200)")
def event_occurrences(request: ApiRequest, event_id: int, upcoming: bool = False) -> list[dict[str, Any]]:
    event, _current = access_event(request.auth, event_id)
    rows = selectors.occurrences_of(event, upcoming_only=upcoming)
    mine = dict(Rsvp.objects.filter(occurrence__in=[o.pk for o in rows], profile__user=request.auth)
                .values_list("occurrence_id", "status"))
    for o in rows:
        o.event = event
    return [occurrence_out(o, mine.get(o.pk)) for o in rows]


# --- One date ---------------------------------------------------------------------------------


@router.get("/occurrences/{occurrence_id}", response=OccurrenceDetailOut, summary="One date, with your answer")
def occurrence_detail(request: ApiRequest, occurrence_id: int) -> dict[str, Any]:
    occurrence, current = access_occurrence(request.auth, occurrence_id)
    event = occurrence.event
    can_manage = rules.can_manage(current)
    see = rules.can_see_attendees(current, event.hide_attendees)
    detail = selectors.occurrence_detail(occurrence, actor=request.auth, can_manage=can_manage, can_see_attendees=see)
    mine: Rsvp | None = detail["my_rsvp"]
    going = mine is not None and mine.status == Rsvp.Status.GOING
    return {
        **occurrence_out(occurrence, mine.status if mine else None, detail["seats"]), "description_html": event.description_html,
        "meeting_url": event.meeting_url if event.meeting_url and (going or can_manage) else None,
        "rsvp_deadline": services.rsvp_deadline(event, occurrence), "my_guests": mine.guests if mine else 0,
        "my_attendance": mine.attendance if mine else None, "waitlist_place": detail["waitlist_place"],
        "questions": [question_out(q) for q in detail["questions"]], "hosts": [person(p) for p in detail["hosts"]],
        "attendees_hidden": not see, "attendees_preview": [person(r.profile) for r in detail["going"]],
        "can_manage": can_manage, "ics_url": reverse("events:occurrence_ics", args=[event.pk, occurrence.pk]),
    }


@router.patch("/occurrences/{occurrence_id}", response=OccurrenceOut, summary="Change one date only (hosts)")
def occurrence_update(request: ApiRequest, occurrence_id: int, payload: OccurrencePatch) -> dict[str, Any]:
    occurrence, _current = access_occurrence(request.auth, occurrence_id)
    start = payload.start.replace(tzinfo=None) if payload.start else None
    end = payload.end.replace(tzinfo=None) if payload.end else None
    if (start and not 2000 <= start.year <= 2100) or (end and not 2000 <= end.year <= 2100):
        raise ApplicationError("Give a date between the years 2000 and 2100.", code="bad_date")
    updated = services.occurrence_update(actor=request.auth, occurrence=occurrence, start=start, end=end,
                                         place=payload.place, note=payload.note)
    return occurrence_out(updated)


@router.post("/occurrences/{occurrence_id}/cancel", response=OccurrenceOut, summary="Cancel one date (hosts)")
def occurrence_cancel(request: ApiRequest, occurrence_id: int, payload: CancelIn) -> dict[str, Any]:
    occurrence, _current = access_occurrence(request.auth, occurrence_id)
    return occurrence_out(services.occurrence_cancel(actor=request.auth, occurrence=occurrence, reason=payload.reason))


@router.put("/occurrences/{occurrence_id}/rsvp", response=RsvpOut,
            summary="Answer going, maybe or not going (full: the waitlist, in arrival order)")
def rsvp_set(request: ApiRequest, occurrence_id: int, payload: RsvpIn) -> dict[str, Any]:
    occurrence, _current = access_occurrence(request.auth, occurrence_id)
    rsvp = services.rsvp_set(actor=request.auth, occurrence=occurrence, status=payload.status, guests=payload.guests,
                             answers=payload.answers, join_waitlist=payload.join_waitlist)
    return rsvp_out(rsvp)


@router.delete("/occurrences/{occurrence_id}/rsvp", response=RsvpOut, summary="Cancel your answer (not going)")
def rsvp_cancel(request: ApiRequest, occurrence_id: int) -> dict[str, Any]:
    occurrence, _current = access_occurrence(request.auth, occurrence_id)
    return rsvp_out(services.rsvp_cancel(actor=request.auth, occurrence=occurrence))


@router.post("/occurrences/{occurrence_id}/answers/{rsvp_id}/remove", response=RsvpOut,
             summary="Take someone off a date (hosts): they are told, their seats go to the waitlist")
def rsvp_remove(request: ApiRequest, occurrence_id: int, rsvp_id: DbId, payload: RemoveIn) -> dict[str, Any]:
    occurrence, _current = access_occurrence(request.auth, occurrence_id)
    return rsvp_out(services.rsvp_remove(actor=request.auth, occurrence=occurrence, rsvp_id=rsvp_id,
                                         note=payload.note))


@router.get("/occurrences/{occurrence_id}/attendees", response=AttendeePage,
            summary="Who answered (hosts: everyone with attendance; others: those going, unless the list is hidden)")
def attendees(request: ApiRequest, occurrence_id: int, page: int = Query(1, ge=1, le=10_000),
              q: str = Query("", max_length=100)) -> dict[str, Any]:
    occurrence, current = access_occurrence(request.auth, occurrence_id)
    if not rules.can_see_attendees(current, occurrence.event.hide_attendees):
        raise PermissionDenied("The hosts keep the list of attendees private.")
    manager = rules.can_manage(current)
    result = selectors.checkin_page(occurrence, q=q, page_number=page)
    in_range = page <= result.paginator.num_pages
    rows = [r for r in result.object_list if manager or r.status == Rsvp.Status.GOING] if in_range else []
    return {
        "count": result.paginator.count if manager else occurrence.going_count, "page": page,
        "pages": result.paginator.num_pages,
        "items": [{"rsvp_id": r.pk, "person": person(r.profile), "status": r.status, "guests": r.guests,
                   "attendance": r.attendance if manager else None,
                   "checked_in_at": r.checked_in_at if manager else None} for r in rows],
    }


@router.post("/occurrences/{occurrence_id}/checkins", response=CheckinsOut,
             summary="Check people in, mark no-shows or clear marks, many at once (hosts)")
def checkins(request: ApiRequest, occurrence_id: int, payload: CheckinsIn) -> dict[str, int]:
    occurrence, _current = access_occurrence(request.auth, occurrence_id)
    if any(pk < 1 or pk > 2**63 - 1 for pk in payload.rsvp_ids):
        raise NotFound("No such answer.")
    changed = services.attendance_set(actor=request.auth, occurrence=occurrence, rsvp_ids=payload.rsvp_ids,
                                      mark=payload.mark)
    occurrence.refresh_from_db()
    return {"changed": changed, "attended_count": occurrence.attended_count}


@router.post("/occurrences/{occurrence_id}/checkin", response=RsvpOut,
             summary="Check yourself in with the code shown at the event")
def checkin_self(request: ApiRequest, occurrence_id: int, payload: CodeIn) -> dict[str, Any]:
    occurrence, _current = access_occurrence(request.auth, occurrence_id)
    return rsvp_out(services.checkin_self(actor=request.auth, occurrence=occurrence, code=payload.code))


@router.post("/occurrences/{occurrence_id}/feedback", response={201: Ok},
             summary="Answer the two feedback questions after the event (once)")
def feedback_give(request: ApiRequest, occurrence_id: int, payload: FeedbackIn) -> Status:
    occurrence, _current = access_occurrence(request.auth, occurrence_id)
    services.feedback_give(actor=request.auth, occurrence=occurrence, rating=payload.rating, comment=payload.comment)
    return Status(201, {"ok": True})


@router.get("/occurrences/{occurrence_id}/feedback", response=FeedbackOut,
            summary="The feedback summary (hosts; withheld below the minimum group size when anonymous)")
def feedback_summary(request: ApiRequest, occurrence_id: int) -> dict[str, Any]:
    occurrence, current = access_occurrence(request.auth, occurrence_id)
    require_manager(current, "Only the event's hosts can read the feedback.")
    summary = selectors.feedback_summary(occurrence)["summary"]
    return {**dataclasses.asdict(summary), "distribution": {str(k): v for k, v in summary.distribution.items()}}

