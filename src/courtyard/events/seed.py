"""Deterministic, realistic events for the demo and the benchmarks: `seed_events(...)`.

Runs after people and groups, on the seeded members and groups:

- **Events** over the last six months and the next three: coffee breaks, socials, workshops, team-building,
  a few big town halls; in person (at the host's office), online or hybrid; at local hours that fit their
  kind, in the host's time zone. A share belongs to groups (a private group's are for its members; some
  others too), a few repeat weekly or monthly, some have seats, guests, questions, a cover-less
  Markdown description, accessibility notes, co-hosts.
- **Answers**: sizes follow a heavy tail (a few town halls with thousands of answers, many small
  gatherings); a group's events draw on its members. Going, maybe, not going; full events have a
  waitlist in arrival order. Counters (seats, going, waitlist, attended) are what services would keep.
- **Attendance** for dates that are over: not everyone who said yes came (about three in four did);
  the rest are no-shows. **Feedback** from some attendees, anonymous or named as the event says, with
  who and what in their separate tables.
- **Activity facts** as the services write them (events/ledger.py): rsvped, attended, no_show,
  hosted_event, gave_event_feedback, and co-attendance pairs for dates with at most 40 attendees.

Determinism: everything is drawn from ``rng`` in a fixed order, and people and groups are addressed by
their position in primary-key order, so the same earlier seeds and ``rng`` give the same calendar; dates
move with ``today``. Rows are written with bulk_create in batches, so the large set (20,000 events,
500,000 answers) takes minutes, not hours.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import random
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from typing import Any

from django.db import connection, transaction

from courtyard.core import clock
from courtyard.core.markdown import render_markdown
from courtyard.core.models import Interaction, Participation
from courtyard.core.seeding import SeedContext, SeedReport
from courtyard.events.domain import checkin as checkin_rules
from courtyard.events.domain import recurrence
from courtyard.events.ledger import CO_ATTENDANCE_MAX
from courtyard.events.models import (
    Event,
    EventHost,
    FeedbackAnswer,
    FeedbackGiven,
    Occurrence,
    Question,
    Rsvp,
)
from courtyard.groups.models import Group, Membership
from courtyard.groups.seed import scaled, seeded_groups
from courtyard.people.seed import seeded_profiles

Progress = Callable[[int], Any]

DEMO_EVENTS, LARGE_EVENTS = 60, 20_000
DEMO_RSVPS, LARGE_RSVPS = 1_500, 500_000
PAST_DAYS, FUTURE_DAYS = 182, 90
BATCH = 20_000
CAME_SHARE = 0.76  # of those going, how many came
FEEDBACK_SHARE = 0.4


def event_count(members: int) -> int:
    return max(12, scaled(members, DEMO_EVENTS, LARGE_EVENTS))


def rsvp_count(members: int) -> int:
    return max(150, scaled(members, DEMO_RSVPS, LARGE_RSVPS))


@dataclasses.dataclass(frozen=True)
class EventsSeedResult:
    events: int
    occurrences: int
    rsvps: int
    going: int
    waitlisted: int
    attended: int
    no_shows: int
    feedback: int
    participations: int
    interactions: int
    recurring: int
    group_events: int
    biggest: int  # answers on the busiest date
    biggest_title: str


# --- What the events are ----------------------------------------------------------------------------

KINDS = (  # kind, weight, local start hours, length (minutes), title templates, format weights (in person, online, hybrid)
    ("coffee", 18, (10, 15, 16), (30, 45), ("Coffee break: {topic}", "Virtual coffee with {team}", "Cross-team coffee"),
     (0.5, 0.35, 0.15)),
    ("social", 26, (17, 18, 19), (120, 150, 180), ("After-work drinks at {place}", "Board game night", "Summer barbecue",
     "Pub quiz", "Karaoke night", "Pizza and {topic}"), (0.8, 0.05, 0.15)),
    ("workshop", 24, (10, 13, 14, 15), (60, 90, 120), ("Workshop: {skill}", "Lunch & learn: {skill}",
     "Intro to {skill}", "{skill} office hours", "Brown bag: {topic}"), (0.3, 0.4, 0.3)),
    ("team_building", 10, (9, 13, 14), (180, 240), ("Escape room with {team}", "Cooking class", "Volunteering day",
     "{team} offsite", "Hackathon kick-off"), (0.85, 0.0, 0.15)),
    ("town_hall", 4, (16, 17), (60,), ("All-hands: {quarter} update", "Town hall with the leadership team",
     "Ask me anything: {topic}"), (0.1, 0.3, 0.6)),
    ("other", 18, (12, 17), (60, 90), ("Book swap", "Blood donation drive", "Running club meetup",
     "Demo day: {team}", "Welcome breakfast for newcomers"), (0.6, 0.2, 0.2)),
)
TOPICS = ("remote work", "our 2030 roadmap", "career growth", "wellbeing", "accessibility", "open source", "sustainability",
          "customer stories", "onboarding", "the new office")
SKILLS = ("Python", "SQL", "public speaking", "negotiation", "design systems", "Kubernetes", "writing well", "Figma",
          "data storytelling", "feedback conversations")
TEAMS = ("Checkout", "Search", "Onboarding", "Billing", "Reliability", "Support", "Growth", "Data Platform", "Brand Studio")
PLACES = ("the rooftop", "the big kitchen", "Meeting Room 4", "the library corner", "the lobby", "the canteen",
          "the garden", "Auditorium A")
DESCRIPTIONS = {
    "coffee": "Grab a drink and meet people you do not usually work with. **No agenda**, no slides.",
    "social": "Drinks and snacks are on us; alcohol-free options too.\n\nBring a colleague from another team!",
    "workshop": "Hands-on session, bring a laptop.\n\n- short intro\n- exercises in pairs\n- questions",
    "team_building": "A day away from the screens. Details about travel and food below.",
    "town_hall": "Updates from leadership, then **open questions**. Submit yours in advance or ask live.",
    "other": "Everyone is welcome. Tell your team!",
}
ACCESSIBILITY = ("Step-free access via the side entrance.", "Live captions in the online room.",
                 "Quiet room available next door.", "Food labelled for allergens.")
QUESTIONS = ("Dietary needs?", "T-shirt size?", "What would you like us to cover?")
COMMENTS = ("Great energy, thanks for organizing!", "A bit too long.", "Loved meeting people from other teams.",
            "More of these please.", "The room was too small.", "Very useful, I learned a lot.", "")


@dataclasses.dataclass
class Pool:
    """Seeded members by position (pk order) and the seeded groups with their active members."""

    pks: list[int]
    departments: list[int | None]
    zones: list[str]
    cities: list[str]
    groups: list[tuple[int, str, list[int]]]  # (group id, who may read it, member positions)
    organizers: dict[int, list[int]]  # group id -> organizer positions


def load_pool() -> Pool:
    rows = seeded_profiles().order_by("pk").values_list("pk", "department_id", "timezone", "location__name")
    pks: list[int] = []
    departments: list[int | None] = []
    zones: list[str] = []
    cities: list[str] = []
    position: dict[int, int] = {}
    for i, (pk, department_id, tz, city) in enumerate(rows.iterator(chunk_size=10_000)):
        position[pk] = i
        pks.append(pk)
        departments.append(department_id)
        zones.append(tz or "UTC")
        cities.append(city or "")
    members: dict[int, list[int]] = defaultdict(list)
    organizers: dict[int, list[int]] = defaultdict(list)
    live = seeded_groups().filter(archived_at__isnull=True)
    links = Membership.objects.filter(group__in=live, status=Membership.Status.ACTIVE).order_by("group_id", "profile_id")
    for group_id, profile_id, role in links.values_list("group_id", "profile_id", "role").iterator(chunk_size=20_000):
        if profile_id in position:
            members[group_id].append(position[profile_id])
            if role == Membership.Role.ORGANIZER:
                organizers[group_id].append(position[profile_id])
    groups = [(pk, read_access, members[pk])
              for pk, read_access in live.order_by("pk").values_list("pk", "read_access") if members[pk]]
    return Pool(pks, departments, zones, cities, groups, dict(organizers))


def _weighted(rng: random.Random, options: Sequence[Any], weights: Sequence[float]) -> Any:
    return rng.choices(options, weights=weights, k=1)[0]


def _sizes(rng: random.Random, count: int, total: int, cap: int) -> list[int]:
    """Answers per date: a heavy tail (a few crowds, many small gatherings) that adds up to about ``total``.
    Sizes above ``cap`` are clipped and the rest scaled up again, a few times, so the total still holds."""
    raw = [rng.paretovariate(1.15) for _ in range(count)]
    for _ in range(8):
        fixed = sum(cap for r in raw if r >= cap)
        free = sum(r for r in raw if r < cap)
        scale = (total - fixed) / free if free else 1.0
        raw = [cap if r >= cap else r * scale for r in raw]
    return [max(2, min(cap, round(r))) for r in raw]


class Writer:
    """Buffers rows and writes them in batches (bulk_create), flushing dependents after their parents."""

    def __init__(self, progress: Progress | None) -> None:
        self.progress = progress
        self.rsvps: list[Rsvp] = []
        self.facts: list[Participation] = []
        self.ties: list[Interaction] = []
        self.given: list[FeedbackGiven] = []
        self.answers: list[FeedbackAnswer] = []
        self.counts: dict[str, int] = defaultdict(int)

    def flush(self, force: bool = False) -> None:
        if force or len(self.rsvps) >= BATCH:
            Rsvp.objects.bulk_create(self.rsvps, batch_size=5000)
            if self.progress:
                self.progress(len(self.rsvps))
            self.rsvps = []
        if force or len(self.facts) >= BATCH:
            Participation.objects.bulk_create(self.facts, batch_size=5000)
            self.facts = []
        if force or len(self.ties) >= BATCH:
            Interaction.objects.bulk_create(self.ties, batch_size=5000)
            self.ties = []
        if force or len(self.given) >= BATCH:
            FeedbackGiven.objects.bulk_create(self.given, batch_size=5000)
            FeedbackAnswer.objects.bulk_create(self.answers, batch_size=5000)
            self.given, self.answers = [], []


@transaction.atomic
def seed_events(
    *, rng: random.Random, members: int, today: dt.date | None = None, progress: Progress | None = None,
    events: int | None = None, rsvps: int | None = None,
) -> EventsSeedResult:
    """Events, dates, answers, attendance, feedback and facts for the seeded organization (already seeded)."""
    now = clock.now()
    today = today or now.date()
    pool = load_pool()
    if not pool.pks:
        raise ValueError("Seed people first: there are no seeded members.")
    total_events = event_count(members) if events is None else events
    total_rsvps = rsvp_count(members) if rsvps is None else rsvps
    people = len(pool.pks)
    # A few people host a lot: cumulative weights once, so each draw is a bisection, not a pass over everyone.
    host_weights = list(itertools.accumulate(rng.paretovariate(1.3) for _ in range(people)))
    html_cache: dict[str, str] = {}

    # 1. Events and their dates (materialized as the services would).
    plans: list[dict[str, Any]] = []
    event_rows: list[Event] = []
    for _ in range(total_events):
        kind, _w, hours, lengths, titles, formats = _weighted(rng, KINDS, [k[1] for k in KINDS])
        group = None
        if pool.groups and kind != "town_hall" and rng.random() < 0.4:
            group = pool.groups[min(len(pool.groups) - 1, int(rng.paretovariate(0.9)) - 1)]
        if group is not None and pool.organizers.get(group[0]) and rng.random() < 0.6:
            host = rng.choice(pool.organizers[group[0]])
        elif group is not None:
            host = rng.choice(group[2])
        else:
            host = rng.choices(range(people), cum_weights=host_weights, k=1)[0]
        fmt = _weighted(rng, ("in_person", "virtual", "hybrid"), formats)
        start_day = today + dt.timedelta(days=rng.randint(-PAST_DAYS, FUTURE_DAYS))
        if kind != "town_hall" and start_day.weekday() >= 5:
            start_day -= dt.timedelta(days=start_day.weekday() - 4)  # weekdays, mostly
        hour = rng.choice(hours)
        minute = rng.choice((0, 0, 30))
        length = rng.choice(lengths)
        start_local = dt.datetime.combine(start_day, dt.time(hour, minute))
        end_local = start_local + dt.timedelta(minutes=length)
        frequency = "none"
        repeat = 1
        if kind in ("coffee", "workshop", "other") and rng.random() < 0.12:
            frequency = rng.choice(("weekly", "weekly", "monthly"))
            repeat = rng.randint(3, 8)
        title = rng.choice(titles).format(topic=rng.choice(TOPICS), skill=rng.choice(SKILLS), team=rng.choice(TEAMS),
                                          place=rng.choice(PLACES), quarter=f"Q{(start_day.month - 1) // 3 + 1}")
        visibility = "organization"
        if group is not None and (group[1] == Group.ReadAccess.MEMBERS or rng.random() < 0.3):
            visibility = "group"
        capacity = None
        if kind in ("workshop", "team_building", "social") and rng.random() < 0.45:
            capacity = rng.choice((8, 10, 12, 15, 20, 25, 30, 40, 60))
        allow_guests = kind == "social" and rng.random() < 0.3
        city = pool.cities[host]
        place = "" if fmt == "virtual" else f"{city + ' office, ' if city else ''}{rng.choice(PLACES)}"
        description = DESCRIPTIONS[kind]
        if description not in html_cache:
            html_cache[description] = str(render_markdown(description))
        created = dt.datetime.combine(start_day - dt.timedelta(days=rng.randint(3, 40)), dt.time(9), tzinfo=dt.UTC)
        event = Event(
            title=title, kind=kind, format=fmt, visibility=visibility, group_id=group[0] if group else None,
            description=description, description_html=html_cache[description], place=place,
            meeting_url="" if fmt == "in_person" else f"https://meet.example.com/{rng.getrandbits(40):010x}",
            accessibility_notes=rng.choice(ACCESSIBILITY) if rng.random() < 0.3 else "",
            timezone=pool.zones[host], start_date=start_day, start_time=start_local.time(),
            end_date=end_local.date(), end_time=end_local.time(), frequency=frequency, interval=1,
            repeat_count=repeat if frequency != "none" else None, capacity=capacity, allow_guests=allow_guests,
            max_guests=1 if allow_guests else 0, rsvp_closes_hours=rng.choice((None, None, 2, 24)),
            hide_attendees=rng.random() < 0.05, feedback_enabled=rng.random() < 0.9,
            feedback_anonymous=rng.random() < 0.8, created_by_id=pool.pks[host], created_at=created,
            updated_at=created,
        )
        event_rows.append(event)
        cohost = rng.choice(group[2]) if group and rng.random() < 0.2 else None
        plans.append({"host": host, "cohost": cohost, "group": group, "start": start_local, "end": end_local,
                      "repeat": repeat, "kind": kind})
    Event.objects.bulk_create(event_rows, batch_size=2000)
    EventHost.objects.bulk_create([
        EventHost(event=e, profile_id=pool.pks[p], added_at=e.created_at)
        for e, plan in zip(event_rows, plans, strict=True)
        for p in {plan["host"], plan["cohost"]} if p is not None
    ], batch_size=5000)
    Question.objects.bulk_create([
        Question(event=e, text=rng.choice(QUESTIONS), required=False, position=0)
        for e in event_rows if e.kind in ("social", "team_building") and rng.random() < 0.3
    ], batch_size=5000)
    occurrence_rows: list[Occurrence] = []
    owners: list[tuple[Event, dict[str, Any]]] = []
    for event, plan in zip(event_rows, plans, strict=True):
        rule = recurrence.Rule(event.frequency, 1, "day", event.repeat_count)
        slots = recurrence.expand(plan["start"], plan["end"], event.timezone, rule,
                                  through=today + dt.timedelta(days=FUTURE_DAYS + 60))
        for slot in slots:
            occurrence_rows.append(Occurrence(
                event=event, group_id=event.group_id, visibility=event.visibility, kind=event.kind,
                format=event.format, position=slot.position, start_at=slot.start, end_at=slot.end,
                start_date=slot.local_start.date(), end_date=slot.local_end.date(), capacity=event.capacity,
                checkin_code=checkin_rules.new_code(rng), updated_at=event.created_at,
            ))
            owners.append((event, plan))
        if event.frequency != "none":
            event.materialized_through = today + dt.timedelta(days=FUTURE_DAYS + 60)
    Occurrence.objects.bulk_create(occurrence_rows, batch_size=5000)

    # 2. Answers, attendance, feedback and facts, date by date.
    # A handful of organization-wide town halls draw a crowd (2-8% of everyone, a few thousand in a large
    # organization); every other date follows the heavy tail that makes up the rest of the answers.
    big = [i for i, (event, plan) in enumerate(owners) if plan["kind"] == "town_hall" and event.group_id is None][:8]
    crowds = {i: max(2, int(people * rng.uniform(0.02, 0.08))) for i in big}
    sizes = _sizes(rng, len(occurrence_rows), max(len(occurrence_rows) * 2, total_rsvps - sum(crowds.values())),
                   cap=max(60, people // 20))
    sizes = [crowds.get(i, size) for i, size in enumerate(sizes)]
    writer = Writer(progress)
    dept_of = dict(zip(pool.pks, pool.departments, strict=True))
    biggest, biggest_title = 0, ""
    for occurrence, (event, plan), size in zip(occurrence_rows, owners, sizes, strict=True):
        candidates = plan["group"][2] if plan["group"] and event.visibility == "group" else None
        if candidates is not None and len(candidates) < size:
            size = len(candidates)
        chosen = rng.sample(candidates, size) if candidates is not None else rng.sample(range(people), min(size, people))
        chosen = [p for p in chosen if p != plan["host"]]
        past = occurrence.end_at < now
        seats = 0
        line = 0
        here: list[Rsvp] = []
        answered_at = occurrence.start_at - dt.timedelta(days=rng.randint(1, 20))
        for position, person in enumerate(chosen):
            status = _weighted(rng, ("going", "maybe", "not_going"), (0.78, 0.11, 0.11))
            guests = 1 if event.allow_guests and status == "going" and rng.random() < 0.25 else 0
            waitlist_position = None
            if status == "going" and event.capacity is not None and seats + 1 + guests > event.capacity:
                status, line = "waitlisted", line + 1
                waitlist_position = line
            at = min(answered_at + dt.timedelta(minutes=17 * position), occurrence.start_at - dt.timedelta(hours=1))
            rsvp = Rsvp(occurrence=occurrence, profile_id=pool.pks[person], status=status, guests=guests,
                        waitlist_position=waitlist_position, created_at=at, updated_at=at,
                        first_going_at=at if status == "going" else None)
            if status == "going":
                seats += 1 + guests
                occurrence.going_count += 1
                writer.facts.append(Participation(
                    member_id=pool.pks[person], verb="rsvped", department_id=pool.departments[person], occurred_at=at,
                    event_id=event.pk, group_id=event.group_id, object_type="occurrence", object_id=occurrence.pk))
                if past:
                    came = rng.random() < CAME_SHARE
                    rsvp.attendance = "attended" if came else "no_show"
                    rsvp.checked_in_at = occurrence.start_at + dt.timedelta(minutes=rng.randint(-10, 25)) if came else None
                    writer.facts.append(Participation(
                        member_id=pool.pks[person], verb="attended" if came else "no_show",
                        department_id=pool.departments[person], occurred_at=occurrence.start_at, event_id=event.pk,
                        group_id=event.group_id, object_type="occurrence", object_id=occurrence.pk))
            elif status == "maybe":
                occurrence.maybe_count += 1
            elif status == "waitlisted":
                occurrence.waitlist_count += 1
            writer.rsvps.append(rsvp)
            here.append(rsvp)
        occurrence.seats_taken = seats
        occurrence.waitlist_seq = line
        writer.counts["rsvps"] += len(chosen)
        writer.counts["going"] += occurrence.going_count
        writer.counts["waitlisted"] += occurrence.waitlist_count
        if len(chosen) > biggest and event.visibility == "organization":
            biggest, biggest_title = len(chosen), event.title
        if past:
            _close(rng, writer, pool, event, occurrence, plan, now, here, dept_of)
        writer.flush()
    writer.flush(force=True)
    Occurrence.objects.bulk_update(
        occurrence_rows, ["seats_taken", "going_count", "maybe_count", "waitlist_count", "waitlist_seq",
                          "attended_count", "finalized_at"], batch_size=5000)
    Event.objects.bulk_update([e for e in event_rows if e.materialized_through], ["materialized_through"], batch_size=2000)
    return EventsSeedResult(
        events=len(event_rows), occurrences=len(occurrence_rows), rsvps=writer.counts["rsvps"],
        going=writer.counts["going"], waitlisted=writer.counts["waitlisted"], attended=writer.counts["attended"],
        no_shows=writer.counts["no_shows"], feedback=writer.counts["feedback"],
        participations=writer.counts["participations"], interactions=writer.counts["interactions"],
        recurring=sum(1 for e in event_rows if e.frequency != "none"),
        group_events=sum(1 for e in event_rows if e.group_id), biggest=biggest, biggest_title=biggest_title,
    )


def _close(rng: random.Random, writer: Writer, pool: Pool, event: Event, occurrence: Occurrence, plan: dict[str, Any],
           now: dt.datetime, rows: list[Rsvp], dept_of: dict[int, int | None]) -> None:
    """What finalizing a date that is over writes: counts, hosting, ties, feedback."""
    going = [r for r in rows if r.status == "going"]
    attended = [r for r in going if r.attendance == "attended"]
    occurrence.attended_count = len(attended)
    occurrence.finalized_at = occurrence.end_at + dt.timedelta(hours=2)
    writer.counts["attended"] += len(attended)
    writer.counts["no_shows"] += len(going) - len(attended)
    writer.counts["participations"] += len(going) * 2
    for host in {plan["host"], plan["cohost"]} - {None}:
        writer.facts.append(Participation(
            member_id=pool.pks[host], verb="hosted_event", department_id=pool.departments[host],
            occurred_at=occurrence.start_at, event_id=event.pk, group_id=event.group_id, object_type="occurrence",
            object_id=occurrence.pk))
        writer.counts["participations"] += 1
    if 2 <= len(attended) <= CO_ATTENDANCE_MAX:
        for a in attended:
            for b in attended:
                if a.profile_id != b.profile_id:
                    writer.ties.append(Interaction(
                        actor_id=a.profile_id, other_id=b.profile_id, kind="co_attendance",
                        actor_department_id=dept_of[a.profile_id], other_department_id=dept_of[b.profile_id],
                        occurred_at=occurrence.start_at, group_id=event.group_id,
                        event_id=event.pk))
        writer.counts["interactions"] += len(attended) * (len(attended) - 1)
    if event.feedback_enabled and occurrence.end_at + dt.timedelta(days=1) < now:
        for rsvp in attended:
            if rng.random() >= FEEDBACK_SHARE:
                continue
            day = (occurrence.end_at + dt.timedelta(days=rng.choice((0, 0, 1, 2)))).date()
            rating = _weighted(rng, (1, 2, 3, 4, 5), (0.03, 0.07, 0.2, 0.4, 0.3))
            writer.given.append(FeedbackGiven(occurrence=occurrence, profile_id=rsvp.profile_id, given_on=day))
            writer.answers.append(FeedbackAnswer(
                occurrence=occurrence, rating=rating, comment=rng.choice(COMMENTS), answered_on=day,
                anonymous=event.feedback_anonymous, profile_id=None if event.feedback_anonymous else rsvp.profile_id))
            moment = dt.datetime.combine(day, dt.time(0), tzinfo=dt.UTC)
            writer.facts.append(Participation(
                member_id=rsvp.profile_id, verb="gave_event_feedback", department_id=dept_of[rsvp.profile_id],
                occurred_at=moment if event.feedback_anonymous else moment + dt.timedelta(hours=rng.randint(8, 20)),
                event_id=event.pk, group_id=event.group_id, object_type="occurrence", object_id=occurrence.pk))
            writer.counts["feedback"] += 1
            writer.counts["participations"] += 1


def seeded_events() -> Any:
    """Events a seed made: created by a seeded member, or left without any host after their people were deleted."""
    hosted = EventHost.objects.values("event_id")
    return Event.objects.filter(created_by__in=seeded_profiles().values("pk")) | Event.objects.filter(
        created_by__isnull=True).exclude(pk__in=hosted)


def seeded_events_delete() -> int:
    """Remove seeded events with everything under them (plain SQL deletes in dependency order), and their facts."""
    ids = list(seeded_events().values_list("pk", flat=True))
    with transaction.atomic(), connection.cursor() as cursor:
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ",".join(["%s"] * len(chunk))
            occurrences = f"SELECT id FROM {Occurrence._meta.db_table} WHERE event_id IN ({marks})"  # noqa: S608
            for table in (Rsvp._meta.db_table, FeedbackGiven._meta.db_table, FeedbackAnswer._meta.db_table):
                cursor.execute(f"DELETE FROM {table} WHERE occurrence_id IN ({occurrences})", chunk)  # noqa: S608
            for table in (Occurrence._meta.db_table, EventHost._meta.db_table, Question._meta.db_table):
                cursor.execute(f"DELETE FROM {table} WHERE event_id IN ({marks})", chunk)  # noqa: S608
            Participation.objects.filter(event_id__in=chunk).delete()
            Interaction.objects.filter(event_id__in=chunk).delete()
            Event.objects.filter(pk__in=chunk).delete()
    return len(ids)


# --- The seeder (core/seeding.py) ---------------------------------------------------------------------------


class EventsSeeder:
    name = "events"
    order = 30

    def counts(self) -> dict[str, int]:
        return {"events": seeded_events().count(), "rsvps": Rsvp.objects.count()}

    def delete_seeded(self, ctx: SeedContext) -> SeedReport:
        deleted = seeded_events_delete()
        return SeedReport(headline=f"Deleted {deleted:,} seeded events with their answers." if deleted else "")

    def seed(self, ctx: SeedContext) -> SeedReport:
        started = time.perf_counter()
        seeded_events_delete()  # events an earlier seed left behind (--force), with their answers and facts
        with ctx.progress(rsvp_count(ctx.members), "answers", "Seeding events") as bar:
            events = seed_events(rng=ctx.rng(self.name), members=ctx.members, progress=bar)
        return SeedReport(
            headline=(
                f"Seeded {events.events:,} events ({events.occurrences:,} dates, {events.recurring:,} repeating, "
                f"{events.group_events:,} of groups) with {events.rsvps:,} answers in "
                f"{time.perf_counter() - started:.1f} s."
            ),
            details=[
                f"  {events.going:,} going, {events.waitlisted:,} waitlisted; {events.attended:,} came and "
                f"{events.no_shows:,} did not; {events.feedback:,} feedback answers; busiest: {events.biggest_title} "
                f"({events.biggest:,} answers)"
            ],
            result=events,
        )


SEEDER = EventsSeeder()
