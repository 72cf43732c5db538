"""Reads for events, each with its own joins so that pages and API lists run a fixed number of queries."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import (
    BigIntegerField,
    BooleanField,
    Case,
    Count,
    DateField,
    DateTimeField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
    Window,
)
from django.db.models.functions import Coalesce, RowNumber, TruncDate

from courtyard.accounts.models import User
from courtyard.core import clock
from courtyard.core.access import is_admin
from courtyard.core.domain import cursors
from courtyard.events.domain import feedback as feedback_rules
from courtyard.events.domain import times
from courtyard.events.domain import waitlist as seat_rules
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
from courtyard.groups.models import Group, Membership
from courtyard.groups.selectors import readable_group_ids
from courtyard.people.models import Profile

PAGE_SIZE = 20
ATTENDEES_SHOWN = 48
CHECKIN_PAGE = 100
DAY_SHOWN = 5  # a day of a busy month shows five dates and "+ n more"
MAX_LENGTH = dt.timedelta(days=15)  # no date lasts longer (events.services.MAX_DURATION, plus a day)
FEED_LIMIT = 1000


def _member_group_ids(actor: User) -> QuerySet[Membership, Any]:
    return Membership.objects.filter(profile__user=actor, status=Membership.Status.ACTIVE).values("group_id")


def visible_q(actor: User, *, event_key: str = "pk") -> Q:
    """The condition for events the actor may see (events.domain.rules.can_see, as SQL), on an event or on an
    occurrence (which carries copies of its event's group and visibility; ``event_key="event_id"``)."""
    if is_admin(actor):
        return Q()
    open_event = Q(group__isnull=True)
    readable = Q(group_id__in=readable_group_ids(actor))
    for_all_readers = Q(visibility=Event.Visibility.ORGANIZATION)
    for_members = Q(group_id__in=_member_group_ids(actor))
    hosted = Q(**{f"{event_key}__in": EventHost.objects.filter(profile__user=actor).values("event_id")})
    return open_event | (readable & (for_all_readers | for_members)) | hosted


def visible_events(actor: User) -> QuerySet[Event]:
    return Event.objects.filter(visible_q(actor))


def visible_occurrences(actor: User) -> QuerySet[Occurrence]:
    return Occurrence.objects.filter(visible_q(actor, event_key="event_id"))


def _hosts_unanswered() -> Coalesce:
    """Per occurrence, in the same query: its event's active hosts who have not answered it. A host is going to
    their own event, so they count among the people going (events.domain.waitlist.Seats says why without a
    seat); a host who answered is counted by their answer instead."""
    answered = Rsvp.objects.filter(occurrence_id=OuterRef(OuterRef("pk"))).values("profile_id")
    hosts = (EventHost.objects.filter(event_id=OuterRef("event_id"), profile__is_active=True)
             .exclude(profile_id__in=answered).order_by().values("event_id").annotate(n=Count("pk")).values("n"))
    return Coalesce(Subquery(hosts, output_field=IntegerField()), Value(0))


def with_seats(rows: QuerySet[Occurrence]) -> QuerySet[Occurrence]:
    """Occurrences that carry what seat_summary needs (one subquery, no extra query)."""
    return rows.annotate(hosts_unanswered=_hosts_unanswered())


def seat_summary(occurrence: Occurrence, hosts_unanswered: int | None = None) -> seat_rules.Seats:
    """The seats and people going of a date, counted the one way every surface shows them."""
    hosts = hosts_unanswered if hosts_unanswered is not None else getattr(occurrence, "hosts_unanswered", None)
    if hosts is None:
        hosts = (EventHost.objects.filter(event_id=occurrence.event_id, profile__is_active=True)
                 .exclude(profile_id__in=Rsvp.objects.filter(occurrence=occurrence).values("profile_id")).count())
    return seat_rules.seats_of(capacity=occurrence.capacity, seats_taken=occurrence.seats_taken,
                               going_count=occurrence.going_count, hosts_unanswered=hosts,
                               waiting=occurrence.waitlist_count)


@dataclasses.dataclass(frozen=True)
class EventQuery:
    when: str = "upcoming"  # upcoming | week | past
    kind: str = ""
    format: str = ""  # "" | in_person | virtual
    group: str = ""  # a group slug
    mine: bool = False  # events hosted by my groups
    going: bool = False  # events I answered going (or am waiting for)
    q: str = ""


def _my_rsvps(me: int) -> Prefetch[Any]:
    return Prefetch("rsvps", queryset=Rsvp.objects.filter(profile_id=me), to_attr="mine")


def occurrences_list(
    actor: User, query: EventQuery, *, cursor: str | None = None, size: int = PAGE_SIZE, tz: dt.tzinfo = dt.UTC,
) -> dict[str, Any]:
    """A page of dates, soonest first (latest first for past ones), by cursor: two queries at any size."""
    now = clock.now()
    me = Profile.objects.filter(user=actor).values_list("pk", flat=True).first() or 0
    rows = visible_occurrences(actor)
    past = query.when == "past"
    # Dates that have not ended started at most MAX_LENGTH ago: that bound lets the start-time index begin near now.
    recent = now - MAX_LENGTH
    if past:
        rows = rows.filter(start_at__lt=now).order_by("-start_at", "-id")
    elif query.when == "week":
        _monday, end = times.week_bounds(now.astimezone(tz).date(), tz)
        rows = rows.filter(end_at__gt=now, start_at__gt=recent, start_at__lt=end).order_by("start_at", "id")
    else:
        rows = rows.filter(end_at__gt=now, start_at__gt=recent).order_by("start_at", "id")
    if query.kind:
        rows = rows.filter(kind=query.kind)
    if query.format == Event.Format.IN_PERSON:
        rows = rows.filter(format__in=[Event.Format.IN_PERSON, Event.Format.HYBRID])
    elif query.format == Event.Format.VIRTUAL:
        rows = rows.filter(format__in=[Event.Format.VIRTUAL, Event.Format.HYBRID])
    if query.group:
        rows = rows.filter(group__slug=query.group)
    if query.mine:
        rows = rows.filter(group_id__in=_member_group_ids(actor))
    if query.going:
        rows = rows.filter(rsvps__profile_id=me, rsvps__status__in=[Rsvp.Status.GOING, Rsvp.Status.WAITLISTED])
    for word in query.q.split()[:5]:
        rows = rows.filter(event__title__icontains=word)
    if cursor:
        position = cursors.decode_cursor(cursor)
        if position is None:
            raise ValueError("bad cursor")
        stamp, pk = position
        rows = rows.filter(Q(start_at__lt=stamp) | Q(start_at=stamp, id__lt=pk)) if past \
            else rows.filter(Q(start_at__gt=stamp) | Q(start_at=stamp, id__gt=pk))
    items = list(with_seats(rows).select_related("event", "event__group").prefetch_related(_my_rsvps(me))[: size + 1])
    more = len(items) > size
    items = items[:size]
    for item in items:
        item.my_rsvp = item.mine[0] if item.mine else None  # type: ignore[attr-defined]
        item.seats = seat_summary(item)  # type: ignore[attr-defined]
    next_cursor = cursors.encode_cursor(items[-1].start_at, items[-1].pk) if more and items else None
    return {"items": items, "next_cursor": next_cursor}


def calendar_month(actor: User, year: int, month: int, tz: dt.tzinfo) -> dict[str, Any]:
    """A month grid (Monday first) with each visible date on the local days it covers in the member's zone.

    One query whatever the month holds: dates within one local day are numbered per day in SQL so that
    only the first DAY_SHOWN of each day are loaded (with the day's total); the few dates that cover
    several days (multi-day, or crossing midnight in this zone) are loaded whole."""
    start, end = times.month_bounds(year, month, tz)
    dates = (
        visible_occurrences(actor)
        .filter(start_at__lt=end, start_at__gt=start - MAX_LENGTH, end_at__gt=start, cancelled_at__isnull=True)
        .annotate(
            first_day=Case(When(event__all_day=True, then=F("start_date")),
                           default=TruncDate("start_at", tzinfo=tz), output_field=DateField()),
            last_day=Case(When(event__all_day=True, then=F("end_date")),
                          default=TruncDate(ExpressionWrapper(F("end_at") - Value(dt.timedelta(microseconds=1)),
                                                              output_field=DateTimeField()), tzinfo=tz),
                          output_field=DateField()),
        )
        .select_related("event").only("id", "event_id", "start_at", "end_at", "start_date", "end_date",
                                       "cancelled_at", "event__title", "event__all_day")
    )
    by_day: dict[dt.date, list[Occurrence]] = defaultdict(list)
    totals: dict[dt.date, int] = defaultdict(int)
    # Dates of one local day are numbered within their day; a date covering several days is a partition of
    # its own (numbered 1), so that one query returns the first DAY_SHOWN of each day and every long date.
    spans = ~Q(first_day=F("last_day"))
    own = Case(When(spans, then=F("id")), default=Value(0), output_field=BigIntegerField())
    rows = (
        dates.annotate(place=Window(RowNumber(), partition_by=[F("first_day"), own], order_by=[F("start_at"), F("id")]),
                       on_day=Window(Count("id"), partition_by=[F("first_day"), own]),
                       long=ExpressionWrapper(spans, output_field=BooleanField()))
        .filter(place__lte=DAY_SHOWN)
    )
    one_day_dates = long_dates = 0
    for row in rows:
        if not row.long:
            by_day[row.first_day].append(row)
            if row.place == 1:
                totals[row.first_day] += row.on_day
                one_day_dates += row.on_day
            continue
        long_dates += 1
        if row.event.all_day:
            first, last = row.start_date, row.end_date
        else:
            first, last = times.local_span(row.start_at, row.end_at, tz)
        for day in times.days_covered(first, last):
            by_day[day].append(row)
            totals[day] += 1
    for items in by_day.values():
        items.sort(key=lambda o: (o.start_at, o.pk))
    weeks = [[{"date": day, "in_month": day.month == month, "items": by_day.get(day, [])[:DAY_SHOWN],
               "more": max(0, totals.get(day, 0) - DAY_SHOWN)} for day in week]
             for week in times.month_weeks(year, month)]
    return {"weeks": weeks, "count": one_day_dates + long_dates}


def hosts_of(event: Event) -> list[Profile]:
    hosting = EventHost.objects.filter(event=event).values("profile_id")
    return list(Profile.objects.filter(pk__in=hosting).select_related("department").order_by("full_name"))


def occurrence_detail(
    occurrence: Occurrence, *, actor: User, can_manage: bool, can_see_attendees: bool,
) -> dict[str, Any]:
    """Everything the event page shows about one date, in a fixed number of queries whatever the crowd."""
    event = occurrence.event
    now = clock.now()
    me = Profile.objects.filter(user=actor).only("pk", "timezone").first()
    my_rsvp = Rsvp.objects.filter(occurrence=occurrence, profile=me).first() if me is not None else None
    going: list[Rsvp] = []
    if can_see_attendees:
        going = list(
            Rsvp.objects.filter(occurrence=occurrence, status=Rsvp.Status.GOING)
            .select_related("profile").order_by("first_going_at", "pk")[:ATTENDEES_SHOWN]
        )
    waitlist_place = None
    if my_rsvp is not None and my_rsvp.status == Rsvp.Status.WAITLISTED:
        waitlist_place = 1 + Rsvp.objects.filter(
            occurrence=occurrence, status=Rsvp.Status.WAITLISTED, waitlist_position__lt=my_rsvp.waitlist_position
        ).count()
    others = list(
        Occurrence.objects.filter(event=event, end_at__gt=now).exclude(pk=occurrence.pk).order_by("start_at")[:6]
    ) if event.repeats else []
    past = occurrence.start_at <= now
    media = list(Media.objects.filter(event=event, deleted_at__isnull=True).select_related("added_by")
                 .order_by("-created_at")[:24]) if past else []
    feedback_given = past and me is not None and FeedbackGiven.objects.filter(occurrence=occurrence, profile=me).exists()
    # The hosts, each knowing whether they answered this date (in the same query): those who did not are going.
    hosts = list(Profile.objects.filter(pk__in=EventHost.objects.filter(event=event).values("profile_id"))
                 .annotate(answered=Exists(Rsvp.objects.filter(occurrence=occurrence, profile_id=OuterRef("pk"))))
                 .select_related("department").order_by("full_name"))
    unanswered = [h for h in hosts if not h.answered and h.is_active]
    return {
        "hosts": hosts,
        "hosts_going": unanswered,
        "host_ids": {h.pk for h in hosts},  # hosts counted as going without an answer (shown as such)
        "seats": seat_summary(occurrence, len(unanswered)),
        "questions": list(Question.objects.filter(event=event)),
        "my_rsvp": my_rsvp,
        "going": going,
        "waitlist_place": waitlist_place,
        "others": others,
        "past": past,
        "media": media,
        "feedback_given": feedback_given,
        "me_id": me.pk if me is not None else None,
    }


def next_occurrence(event: Event) -> Occurrence | None:
    """The date an event's page opens on: the next one that is not over, else the last one."""
    now = clock.now()
    upcoming = Occurrence.objects.filter(event=event, end_at__gt=now).order_by("start_at", "id").first()
    return upcoming or Occurrence.objects.filter(event=event).order_by("-start_at", "-id").first()


def occurrences_of(event: Event, *, upcoming_only: bool = False, limit: int = 200) -> list[Occurrence]:
    rows = with_seats(Occurrence.objects.filter(event=event))
    if upcoming_only:
        rows = rows.filter(end_at__gt=clock.now())
    return list(rows.order_by("start_at", "id")[:limit])


def checkin_page(occurrence: Occurrence, *, q: str = "", page_number: Any = 1) -> Page[Any]:
    """The host's check-in list: those going first, then the waitlist and the maybes, by name; searchable."""
    rows = Rsvp.objects.filter(occurrence=occurrence).exclude(status=Rsvp.Status.NOT_GOING)
    for word in q.split()[:4]:
        rows = rows.filter(Q(profile__full_name__icontains=word) | Q(profile__preferred_name__icontains=word))
    # going (0), waitlisted (1), maybe (2): spelled out so that the order does not depend on the words' order
    ordered = rows.annotate(rank=Case(
        When(status=Rsvp.Status.GOING, then=Value(0)), When(status=Rsvp.Status.WAITLISTED, then=Value(1)),
        default=Value(2), output_field=IntegerField(),
    )).select_related("profile", "profile__department").order_by("rank", "profile__full_name", "pk")
    return Paginator(ordered, CHECKIN_PAGE).get_page(page_number)


def answer_of(occurrence: Occurrence, rsvp_id: str | int) -> Rsvp | None:
    """One answer to this date (None when there is no such answer here, or the id is not a number)."""
    try:
        pk = int(rsvp_id)
    except (TypeError, ValueError):
        return None
    if not 0 < pk < 2**63:
        return None
    return Rsvp.objects.filter(occurrence=occurrence, pk=pk).select_related("profile").first()


def attendees_rows(occurrence: Occurrence) -> Iterator[list[str]]:
    """The attendee list for the CSV export (hosts and admins): one row per answer, then the questions' answers."""
    questions = list(Question.objects.filter(event=occurrence.event_id))
    yield ["name", "email", "department", "status", "guests", "waitlist place", "attendance", "checked in at (UTC)",
           *[q.text for q in questions]]
    rows = (Rsvp.objects.filter(occurrence=occurrence).exclude(status=Rsvp.Status.NOT_GOING)
            .select_related("profile", "profile__user", "profile__department").order_by("status", "profile__full_name"))
    place = 0
    for rsvp in rows.order_by("status", "waitlist_position", "profile__full_name").iterator(chunk_size=1000):
        if rsvp.status == Rsvp.Status.WAITLISTED:
            place += 1
        yield [
            rsvp.profile.display_name, rsvp.profile.user.email,
            rsvp.profile.department.path if rsvp.profile.department else "", rsvp.status, str(rsvp.guests),
            str(place) if rsvp.status == Rsvp.Status.WAITLISTED else "", rsvp.attendance,
            rsvp.checked_in_at.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M") if rsvp.checked_in_at else "",
            *[str(rsvp.answers.get(str(q.pk), "")) for q in questions],
        ]


def feedback_summary(occurrence: Occurrence) -> dict[str, Any]:
    """The hosts' view of the pulse: withheld below the minimum group size when it is anonymous."""
    answers = list(FeedbackAnswer.objects.filter(occurrence=occurrence).select_related("profile"))
    anonymous = occurrence.event.feedback_anonymous or any(a.anonymous for a in answers)
    summary = feedback_rules.summarize([a.rating for a in answers], [a.comment for a in answers], anonymous=anonymous,
                                       collecting=feedback_rules.collecting(occurrence.end_at, clock.now()))
    named = [] if anonymous else [a for a in answers if a.profile is not None]
    return {"summary": summary, "named": named}


def upcoming_for(actor: User, *, limit: int = 5) -> list[Occurrence]:
    """The member's next dates they are going to (or waiting for): for their profile and the home page."""
    now = clock.now()
    return list(
        visible_occurrences(actor).filter(
            end_at__gt=now, cancelled_at__isnull=True, rsvps__profile__user=actor,
            rsvps__status__in=[Rsvp.Status.GOING, Rsvp.Status.WAITLISTED],
        ).select_related("event").order_by("start_at", "id")[:limit]
    )


def feed_personal(profile: Profile) -> list[Occurrence]:
    """A member's subscription: what they are going to, from two months ago on (cancelled ones too, so calendars
    learn about the cancellation), still only where they may see the event."""
    since = clock.now() - dt.timedelta(days=60)
    return list(
        visible_occurrences(profile.user).filter(
            end_at__gt=since, rsvps__profile=profile, rsvps__status=Rsvp.Status.GOING,
        ).select_related("event", "event__group").prefetch_related(_my_rsvps(profile.pk)).order_by("start_at")[:FEED_LIMIT]
    )


def feed_organization() -> list[Occurrence]:
    """The organization-wide calendar: public events (for everyone, not of a members-only group), past month on."""
    since = clock.now() - dt.timedelta(days=30)
    return list(
        Occurrence.objects.filter(end_at__gt=since, visibility=Event.Visibility.ORGANIZATION)
        .filter(Q(group__isnull=True) | Q(group__read_access=Group.ReadAccess.ORGANIZATION))
        .select_related("event", "event__group").order_by("start_at")[:FEED_LIMIT]
    )


def group_choices(actor: User) -> list[Group]:
    """Groups the member may host events for: those they are an active member of, not archived."""
    return list(Group.objects.filter(pk__in=_member_group_ids(actor), archived_at__isnull=True).order_by("name"))


def calendar_feed_active(actor: User) -> Any:
    return CalendarFeed.objects.filter(profile__user=actor, revoked_at__isnull=True).order_by("-created_at").first()


# --- Event series, for insights ------------------------------------------------------------------
# A series is an event with its occurrences: its facts carry the event's id (events.ledger), so insights can
# show it as a scope. A one-off event is a series of one: the rollups count its facts under its id just the
# same, so it is a scope too (leaving it out gave its host no insights and an admin a 404 for figures that
# exist). Those who run it (events.domain.rules.can_manage) see it: its hosts, the organizers of its group
# (not archived), and community admins. ``profile`` may be a Profile, its id or an OuterRef to one.

SERIES_LISTED = 100


def series_all() -> QuerySet[Event]:
    return Event.objects.all()


# Joins rather than ``__in`` subqueries, so that an OuterRef refers to the query these are nested in.
def series_hosted_by(profile: Any) -> QuerySet[Event]:
    return series_all().filter(host_links__profile=profile)


def series_of_groups_organized_by(profile: Any) -> QuerySet[Event]:
    return series_all().filter(
        group__memberships__profile=profile, group__memberships__role=Membership.Role.ORGANIZER,
        group__memberships__status=Membership.Status.ACTIVE, group__archived_at__isnull=True,
    )


def series_run_by(profile_id: int) -> list[tuple[int, str]]:
    """(id, title) of the series the member runs, by title, in one query."""
    hosted = EventHost.objects.filter(profile_id=profile_id).values("event_id")
    organized = Membership.objects.filter(
        profile_id=profile_id, role=Membership.Role.ORGANIZER, status=Membership.Status.ACTIVE,
        group__archived_at__isnull=True,
    ).values("group_id")
    runs = series_all().filter(Q(pk__in=hosted) | Q(group_id__in=organized))
    return list(runs.order_by("title", "pk").values_list("pk", "title")[:SERIES_LISTED])


def series_choices() -> QuerySet[Event, tuple[str, int, str]]:
    """Every series not cancelled, as ("series", id, title) rows: a picker's options (to combine with others)."""
    return (series_all().filter(cancelled_at__isnull=True).order_by().annotate(scope_kind=Value("series"), label=F("title"))
            .values_list("scope_kind", "pk", "label"))


def series_name(series_id: int) -> str | None:
    """The title of a series (any: for community admins), or None when there is no such series."""
    return series_all().filter(pk=series_id).values_list("title", flat=True).first()
