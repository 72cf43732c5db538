"""Deterministic, realistic recognition for the demo and the benchmarks: `seed_recognition(...)`.

Runs after the people and groups seeds, on the seeded members (addresses at the seed domain):

- **Values** with emoji (Customers first 🤝, Own it 🔧, …) and the **monthly allowance** switched on
  (100 points, at most 40 to one colleague, 20 per kudos).
- **Kudos** over the last ~6 months (~500 for the demo's 300 members, ~200,000 for 100,000), on weekdays in
  working hours: a few generous givers and many occasional ones (and many who never thank anyone); most thanks
  go to teammates and their department, some across the organization, some to a whole team or group;
  about half carry a value, most person-to-person kudos carry points (always within the allowance and the
  per-colleague limit of the giver's own month), a few are private (half of them shared with managers).
- **+1s** and **reactions** from colleagues, and the **activity facts** the services would have written
  (gave_kudos, received_kudos, kudos and reaction interactions, reacted), so insights has history.
- The **allowance ledger** (a grant per giver and month used, one spend per recipient) agreeing with the
  balances.
- **Celebrations** of the last two weeks (work anniversaries from start dates, birthdays of the ~30% who
  opted in, newcomers' welcomes) made by the real job, **badges** earned by those facts, two custom badges,
  and a **spotlight** of the most agreed-with kudos and two people.

Determinism: drawn from ``rng`` in a fixed order over people in primary-key order; only dates move with today.
Speed: everything is written with ``bulk_create`` in batches; Markdown is rendered once per distinct message.
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime as dt
import itertools
import math
import random
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import connection, transaction
from django.db.models import Count, Exists, OuterRef, Subquery
from django.db.models.functions import Coalesce

from courtyard.core import clock
from courtyard.core.markdown import render_markdown
from courtyard.core.models import Interaction, Participation
from courtyard.core.seeding import SeedContext, SeedReport
from courtyard.groups import selectors as groups_selectors
from courtyard.groups.models import Group, ReactionKind
from courtyard.groups.services import reaction_kinds_ensure_defaults
from courtyard.people.models import Profile
from courtyard.people.seed import seeded_profiles
from courtyard.recognition import services
from courtyard.recognition.domain import allowance, badges, celebrations
from courtyard.recognition.models import (
    AllowanceBalance,
    AllowanceEntry,
    Badge,
    BadgeAward,
    CelebrationPreference,
    Kudos,
    KudosCoSender,
    KudosReaction,
    KudosReceiver,
    KudosRecipient,
    Settings,
    SpotlightEntry,
    Value,
)

Progress = Callable[[int], Any]
WINDOW_DAYS = 182
DEMO_MEMBERS, DEMO_KUDOS = 300, 500
LARGE_MEMBERS, LARGE_KUDOS = 100_000, 200_000
BATCH = 5_000
POLICY = allowance.Policy(enabled=True, monthly_points=100, per_recipient_limit=40, max_points_per_kudos=20)

VALUES = (
    ("Customers first", "🤝", "We start from what our customers need, and we follow through."),
    ("Own it", "🔧", "We take responsibility from the first idea to the last bug."),
    ("Better together", "🌱", "We share what we know and lift each other up."),
    ("Be bold", "🚀", "We try the thing that might not work, and we learn from it."),
    ("Keep it simple", "✨", "We remove what is not needed."),
    ("Speak up", "📣", "We say what we think, kindly and early."),
)

OPENERS = (
    "Thank you for {deed}!", "Huge thanks for {deed}.", "Shout-out for {deed} 🙌", "Can't thank you enough for {deed}.",
    "Big thanks for {deed} — it made a real difference.", "Really appreciated {deed}.",
)
DEEDS = (
    "jumping in on the incident last night", "the super clear onboarding notes", "reviewing my pull request so quickly",
    "covering the customer call on Friday", "untangling the billing export", "pairing with me on the flaky tests",
    "organizing the team offsite", "the thoughtful feedback on my proposal", "staying late to get the release out",
    "explaining the data model to the new joiners", "the brilliant demo at the all-hands", "mentoring our interns",
    "fixing the build for everyone", "taking notes in every retro", "answering all my questions in my first week",
    "the dashboard that finally shows what matters", "cleaning up the on-call runbook", "a calm head during the outage",
    "turning around the proposal in one day", "making the quarterly planning painless",
)
CLOSERS = (
    "", "", " **You rock.**", " The customer noticed too.", " The whole team is grateful.", " This is what {value} looks like.",
    "\n\nLooking forward to the next one!", " Drinks are on me.",
)
TEAM_DEEDS = (
    "shipping the new checkout on time", "an amazing quarter", "the smoothest migration we ever had",
    "welcoming our new colleagues so warmly", "hosting the hackathon", "the support week marathon",
)


@dataclasses.dataclass(frozen=True)
class RecognitionSeedResult:
    kudos: int
    team_kudos: int
    group_kudos: int
    private: int
    co_senders: int
    reactions: int
    points: int
    celebrations: int
    birthdays: int
    badges: int
    participations: int
    interactions: int
    top_giver_share: float


def kudos_count(members: int) -> int:
    exponent = math.log(LARGE_KUDOS / DEMO_KUDOS) / math.log(LARGE_MEMBERS / DEMO_MEMBERS)
    return max(40, round(DEMO_KUDOS * (members / DEMO_MEMBERS) ** exponent))


@dataclasses.dataclass(frozen=True)
class Person:
    pk: int
    department_id: int | None
    team_id: int | None
    manager_id: int | None
    timezone: str


def _cumulative(weights: list[float]) -> list[float]:
    return list(itertools.accumulate(weights))


def _pick(rng: random.Random, items: list[Any], cumulative: list[float]) -> Any:
    return items[min(len(items) - 1, bisect.bisect_left(cumulative, rng.random() * cumulative[-1]))]


def _message(rng: random.Random, value: Value | None, *, team: bool) -> str:
    deed = rng.choice(TEAM_DEEDS if team else DEEDS)
    closer = rng.choice(CLOSERS)
    if "{value}" in closer and value is None:
        closer = ""
    return rng.choice(OPENERS).format(deed=deed) + closer.format(value=f"*{value.name}*" if value else "")


def _workday_moment(rng: random.Random, start: dt.datetime, days: int) -> dt.datetime:
    moment = start + dt.timedelta(days=rng.randrange(days), hours=rng.randint(8, 17), minutes=rng.randrange(60))
    while moment.weekday() > 4 and rng.random() < 0.9:
        moment -= dt.timedelta(days=1)
    return moment


def orphan_facts_delete() -> None:
    """Recognition facts of people who no longer exist (a reseed with --force deleted them)."""
    exists = Profile.objects.filter(pk=OuterRef("member_id"))
    Participation.objects.filter(verb__in=["gave_kudos", "received_kudos"]).filter(~Exists(exists)).delete()
    actor = Profile.objects.filter(pk=OuterRef("actor_id"))
    other = Profile.objects.filter(pk=OuterRef("other_id"))
    Interaction.objects.filter(kind="kudos").filter(~Exists(actor) | ~Exists(other)).delete()


def seed_recognition(
    *, rng: random.Random, members: int, today: dt.date | None = None, progress: Progress | None = None,
    kudos: int | None = None,
) -> RecognitionSeedResult:
    now = clock.now()
    today = today or now.date()
    end = dt.datetime.combine(today, dt.time(0), tzinfo=dt.UTC)
    start = end - dt.timedelta(days=WINDOW_DAYS)
    rows = list(
        seeded_profiles().filter(is_active=True).order_by("pk")
        .values_list("pk", "department_id", "team_id", "manager_id", "timezone")
    )
    if not rows:
        raise ValueError("Seed people first: there are no seeded members.")
    people = [Person(*row) for row in rows]
    by_pk = {p.pk: p for p in people}
    total = kudos_count(members) if kudos is None else kudos
    orphan_facts_delete()
    reaction_kinds_ensure_defaults()
    kinds = list(ReactionKind.objects.filter(is_active=True).order_by("position", "pk"))

    # Values and settings (kept if an admin already set them up).
    values = []
    for position, (name, emoji, description) in enumerate(VALUES, 1):
        value, _created = Value.objects.get_or_create(
            name=name, defaults={"emoji": emoji, "description": description, "position": position, "created_at": now}
        )
        values.append(value)
    Settings.objects.update_or_create(pk=1, defaults={
        "allowance_enabled": True, "monthly_points": POLICY.monthly_points,
        "per_recipient_limit": POLICY.per_recipient_limit, "max_points_per_kudos": POLICY.max_points_per_kudos,
        "updated_at": now,
    })

    # Who gives: ~8% generous, ~35% occasional, the rest rarely or never.
    giver_weights = []
    for _person in people:
        draw = rng.random()
        giver_weights.append(9.0 if draw < 0.08 else 1.0 if draw < 0.43 else 0.08)
    giver_cumulative = _cumulative(giver_weights)
    by_team: dict[int, list[int]] = defaultdict(list)
    by_department: dict[int, list[int]] = defaultdict(list)
    for p in people:
        if p.team_id:
            by_team[p.team_id].append(p.pk)
        if p.department_id:
            by_department[p.department_id].append(p.pk)
    small_groups = list(
        Group.objects.filter(read_access=Group.ReadAccess.ORGANIZATION, archived_at__isnull=True,
                             member_count__lte=services.TEAM_KUDOS_MAX_MEMBERS, member_count__gte=3)
        .order_by("pk").values_list("pk", flat=True)
    )
    group_members = groups_selectors.active_members_by_group(small_groups)

    rendered: dict[str, str] = {}
    spent: dict[tuple[int, dt.date], int] = defaultdict(int)
    given_to: dict[tuple[int, dt.date, int], int] = defaultdict(int)
    counts: dict[int, Counter[tuple[str, str]]] = defaultdict(Counter)
    moments = sorted(_workday_moment(rng, start, WINDOW_DAYS) for _ in range(total))
    if len(people) < 2:
        moments = []
    plans: list[tuple[Any, ...]] = []
    attempts = iter(moments * 3)  # a draw that thanks only oneself is drawn again
    for moment in attempts:
        if len(plans) >= total:
            break
        giver = _pick(rng, people, giver_cumulative)
        draw = rng.random()
        team_id: int | None = None
        group_id: int | None = None
        named: list[int] = []
        if draw < 0.10 and giver.team_id and len(by_team[giver.team_id]) > 2:
            team_id = giver.team_id
            receivers = [pk for pk in by_team[team_id] if pk != giver.pk]
            via = KudosReceiver.Via.TEAM
        elif draw < 0.14 and small_groups:
            group_id = rng.choice(small_groups)
            receivers = [pk for pk in group_members.get(group_id, ()) if pk != giver.pk]
            via = KudosReceiver.Via.GROUP
        else:
            pool = (by_team.get(giver.team_id or 0) if rng.random() < 0.45 else None) or (
                by_department.get(giver.department_id or 0) if rng.random() < 0.6 else None) or [p.pk for p in people]
            howmany = 1 if rng.random() < 0.8 else rng.randint(2, 3)
            named = list(dict.fromkeys(rng.choice(pool) for _ in range(howmany)))
            named = [pk for pk in named if pk != giver.pk]
            if not named:
                continue
            receivers = named
            via = KudosReceiver.Via.PERSON
        tag = rng.choice(values) if rng.random() < 0.55 else None
        private = via == KudosReceiver.Via.PERSON and rng.random() < 0.05
        text = _message(rng, tag, team=via != KudosReceiver.Via.PERSON)
        points = 0
        month = allowance.month_of(celebrations.local_date(moment, giver.timezone))
        if named and rng.random() < 0.65:
            points = rng.choice((5, 5, 10, 10, 15, 20))
            balance = allowance.Balance(
                granted=POLICY.monthly_points, spent=spent[(giver.pk, month)],
                given_to={pk: given_to[(giver.pk, month, pk)] for pk in named},
            )
            if allowance.check_spend(POLICY, sender_id=giver.pk, recipient_ids=named, points=points, balance=balance):
                points = 0
            else:
                spent[(giver.pk, month)] += points * len(named)
                for pk in named:
                    given_to[(giver.pk, month, pk)] += points
        plans.append((moment, giver, named, team_id, group_id, receivers, via, tag, private,
                      private and rng.random() < 0.5, text, points, month))

    plans.sort(key=lambda plan: plan[0])  # ids follow time, as when people send them
    result = _write(rng, plans, by_pk, people, kinds, rendered, counts, progress)
    with transaction.atomic():
        grants, balances = [], []
        for (member, month), used in spent.items():
            balances.append(AllowanceBalance(member_id=member, month=month, granted=POLICY.monthly_points, spent=used))
            grants.append(AllowanceEntry(member_id=member, month=month, kind=AllowanceEntry.Kind.GRANT,
                                         amount=POLICY.monthly_points,
                                         created_at=dt.datetime.combine(month, dt.time(0), tzinfo=dt.UTC)))
        AllowanceBalance.objects.bulk_create(balances, batch_size=BATCH)
        AllowanceEntry.objects.bulk_create(grants, batch_size=BATCH)

    birthdays = _birthdays(rng, people, now)
    made = 0
    for offset in range(14, -1, -1):
        made += services.celebrations_generate(now=end - dt.timedelta(days=offset) + dt.timedelta(hours=12))
    awarded = _badges(rng, counts, people, now)
    _spotlight(rng, people, now)
    givers = Counter(plan[1].pk for plan in plans)
    top = sum(n for _pk, n in givers.most_common(max(1, len(people) // 10)))
    return dataclasses.replace(result, celebrations=made, birthdays=birthdays, badges=awarded,
                               points=sum(spent.values()), top_giver_share=top / max(1, len(plans)))


def _field(model: Any, name: str) -> Any:
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return model._meta.get_field(name.removesuffix("_id"))  # a foreign key by its column


def _insert(model: Any, columns: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
    """Plain multi-row INSERTs for the big append-only tables: bulk_create's per-field preparation was 70% of the
    seed's time. Values are adapted the way the ORM would (aware datetimes and dates for the backend)."""
    if not rows:
        return
    ops = connection.ops
    fields = [_field(model, name) for name in columns]
    adapt: list[Callable[[Any], Any]] = []
    for field in fields:
        internal = field.get_internal_type()
        if internal == "DateTimeField":
            adapt.append(ops.adapt_datetimefield_value)
        elif internal == "DateField":
            adapt.append(ops.adapt_datefield_value)
        else:
            adapt.append(lambda value: value)
    table = ops.quote_name(model._meta.db_table)
    names = ", ".join(ops.quote_name(field.column) for field in fields)
    marks = ", ".join(["%s"] * len(columns))
    sql = f"INSERT INTO {table} ({names}) VALUES ({marks})"  # noqa: S608 - table and column names from the model
    with connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH):
            cursor.executemany(sql, [tuple(f(v) for f, v in zip(adapt, row, strict=True)) for row in rows[start : start + BATCH]])


def _write(rng: random.Random, plans: list[tuple[Any, ...]], by_pk: dict[int, Person], people: list[Person],
           kinds: list[ReactionKind], rendered: dict[str, str], counts: dict[int, Counter[tuple[str, str]]],
           progress: Progress | None) -> RecognitionSeedResult:
    tallies: Counter[str] = Counter()
    for start in range(0, len(plans), BATCH):
        chunk = plans[start : start + BATCH]
        with transaction.atomic():
            made = Kudos.objects.bulk_create([
                Kudos(sender_id=giver.pk, message=text,
                      message_html=rendered.setdefault(text, str(render_markdown(text))), value=value,
                      is_private=private, share_with_manager=shared, points=points, created_at=moment)
                for (moment, giver, _n, _t, _g, _r, _v, value, private, shared, text, points, _m) in chunk
            ], batch_size=BATCH)
            recipients, receivers, co_senders, reactions, spends = [], [], [], [], []
            facts, ties = [], []
            for kudos, plan in zip(made, chunk, strict=True):
                moment, giver, named, team_id, group_id, thanked, via, _value, private, _s, _t, points, month = plan
                for position, pk in enumerate(named):
                    recipients.append(KudosRecipient(kudos=kudos, profile_id=pk, position=position))
                    if points:
                        spends.append(AllowanceEntry(member_id=giver.pk, month=month, kind=AllowanceEntry.Kind.SPEND,
                                                     amount=-points, kudos=kudos, recipient_id=pk, created_at=moment))
                if team_id:
                    recipients.append(KudosRecipient(kudos=kudos, team_id=team_id))
                    tallies["team"] += 1
                if group_id:
                    recipients.append(KudosRecipient(kudos=kudos, group_id=group_id))
                    tallies["group"] += 1
                tallies["private"] += private
                facts.append((giver.pk, "gave_kudos", giver.department_id, moment, group_id, "kudos", kudos.pk))
                counts[giver.pk][("gave_kudos", "")] += 1
                for pk in thanked:
                    other = by_pk[pk]
                    receivers.append((kudos.pk, pk, str(via), moment))
                    facts.append((pk, "received_kudos", other.department_id, moment, group_id, "kudos", kudos.pk))
                    counts[pk][("received_kudos", "")] += 1
                    ties.append((giver.pk, pk, "kudos", giver.department_id, other.department_id, moment, group_id))
                if not private and rng.random() < 0.3:
                    pool = [p for p in rng.sample(people, min(len(people), 6)) if p.pk != giver.pk and p.pk not in thanked]
                    for agreeing in pool[: rng.randint(1, 4)]:
                        later = moment + dt.timedelta(minutes=rng.randint(5, 600))
                        co_senders.append((kudos.pk, agreeing.pk, later))
                        facts.append((agreeing.pk, "gave_kudos", agreeing.department_id, later, group_id, "kudos",
                                      kudos.pk))
                        counts[agreeing.pk][("gave_kudos", "")] += 1
                        ties.extend(
                            (agreeing.pk, pk, "kudos", agreeing.department_id, by_pk[pk].department_id, later, group_id)
                            for pk in thanked
                        )
                if not private and kinds and rng.random() < 0.5:
                    for reactor in rng.sample(people, min(len(people), rng.randint(1, 5))):
                        if reactor.pk == giver.pk:
                            continue
                        later = moment + dt.timedelta(minutes=rng.randint(1, 900))
                        reactions.append((kudos.pk, rng.choice(kinds[:3]).pk, reactor.pk, later))
                        facts.append((reactor.pk, "reacted", reactor.department_id, later, None, "kudos", kudos.pk))
                        ties.append((reactor.pk, giver.pk, "reaction", reactor.department_id, giver.department_id, later,
                                     None))
            KudosRecipient.objects.bulk_create(recipients, batch_size=BATCH)
            _insert(KudosReceiver, ("kudos_id", "profile_id", "via", "created_at"), receivers)
            _insert(KudosCoSender, ("kudos_id", "profile_id", "created_at"), co_senders)
            _insert(KudosReaction, ("kudos_id", "kind_id", "profile_id", "created_at"), reactions)
            AllowanceEntry.objects.bulk_create(spends, batch_size=BATCH)
            _insert(Participation, ("member_id", "verb", "department_id", "occurred_at", "group_id", "object_type",
                                    "object_id"), facts)
            _insert(Interaction, ("actor_id", "other_id", "kind", "actor_department_id", "other_department_id",
                                  "occurred_at", "group_id"), ties)
            Kudos.objects.filter(pk__in=[k.pk for k in made]).update(
                co_sender_count=Coalesce(Subquery(
                    KudosCoSender.objects.filter(kudos=OuterRef("pk")).values("kudos").annotate(n=Count("id")).values("n")
                ), 0),
                reaction_count=Coalesce(Subquery(
                    KudosReaction.objects.filter(kudos=OuterRef("pk")).values("kudos").annotate(n=Count("id")).values("n")
                ), 0),
            )
        tallies["co_senders"] += len(co_senders)
        tallies["reactions"] += len(reactions)
        tallies["participations"] += len(facts)
        tallies["interactions"] += len(ties)
        if progress is not None:
            progress(len(chunk))
    return RecognitionSeedResult(
        kudos=len(plans), team_kudos=tallies["team"], group_kudos=tallies["group"], private=tallies["private"],
        co_senders=tallies["co_senders"], reactions=tallies["reactions"], points=0, celebrations=0, birthdays=0,
        badges=0, participations=tallies["participations"], interactions=tallies["interactions"], top_giver_share=0.0,
    )


def _birthdays(rng: random.Random, people: list[Person], now: dt.datetime) -> int:
    """About 30% of members share a birthday (day and month only)."""
    rows = []
    for person in people:
        if rng.random() < 0.3:
            month = rng.randint(1, 12)
            day = rng.randint(1, 29 if month == 2 else 30 if month in (4, 6, 9, 11) else 31)
            rows.append(CelebrationPreference(profile_id=person.pk, birthday_month=month, birthday_day=day, updated_at=now))
        elif rng.random() < 0.03:
            rows.append(CelebrationPreference(profile_id=person.pk, skip_anniversary=True, updated_at=now))
    CelebrationPreference.objects.bulk_create(rows, batch_size=BATCH, ignore_conflicts=True)
    return sum(1 for row in rows if row.birthday_month)


def _badges(rng: random.Random, counts: dict[int, Counter[tuple[str, str]]], people: list[Person], now: dt.datetime) -> int:
    """The automatic badges these facts earn (plus facts of other capabilities already recorded), and two custom
    badges awarded to a few people — written in bulk, without a notification each."""
    ids = [p.pk for p in people]
    for start in range(0, len(ids), 2_000):
        chunk = ids[start : start + 2_000]
        for row in (Participation.objects.filter(member_id__in=chunk, verb__in=badges.VERBS - {"gave_kudos", "received_kudos"})
                    .values("member_id", "verb", "object_type").order_by()):
            counts[row["member_id"]][(row["verb"], row["object_type"])] += 1
            if row["object_type"]:
                counts[row["member_id"]][(row["verb"], "")] += 1
    awards = [
        BadgeAward(profile_id=pk, automatic_key=key, awarded_at=now)
        for pk in sorted(counts) for key in badges.earned(counts[pk])
    ]
    owl, _ = Badge.objects.get_or_create(name="Night owl", defaults={
        "emoji": "🦉", "description": "Saved a release after hours.", "created_at": now})
    hero, _ = Badge.objects.get_or_create(name="Customer hero", defaults={
        "emoji": "🦸", "description": "Went far beyond for a customer.", "created_at": now})
    for badge in (owl, hero):
        for person in rng.sample(people, min(len(people), max(2, len(people) // 60))):
            awards.append(BadgeAward(profile_id=person.pk, badge=badge, reason="For the demo organization", awarded_at=now))
    BadgeAward.objects.bulk_create(awards, batch_size=BATCH, ignore_conflicts=True)
    return len(awards)


def _spotlight(rng: random.Random, people: list[Person], now: dt.datetime) -> None:
    seeded = seeded_profiles().values("pk")
    top = list(
        Kudos.objects.filter(sender_id__in=seeded, is_private=False, deleted_at__isnull=True)
        .exclude(recipients__group__read_access="members")
        .order_by("-co_sender_count", "-reaction_count", "-pk").values_list("pk", flat=True)[:5]
    )
    entries = [SpotlightEntry(kudos_id=pk, note="A favourite of the month", created_at=now) for pk in top]
    entries += [SpotlightEntry(profile_id=p.pk, note="Ten years of making us better", created_at=now)
                for p in rng.sample(people, min(2, len(people)))]
    SpotlightEntry.objects.bulk_create(entries, ignore_conflicts=True)


# --- The seeder (core/seeding.py) ---------------------------------------------------------------------------


class RecognitionSeeder:
    name = "recognition"
    order = 50

    def counts(self) -> dict[str, int]:
        return {"kudos": Kudos.objects.count()}

    def delete_seeded(self, ctx: SeedContext) -> SeedReport:
        return SeedReport()  # kudos go with the seeded people who sent them

    def seed(self, ctx: SeedContext) -> SeedReport:
        started = time.perf_counter()
        with ctx.progress(kudos_count(ctx.members), "kudos", "Seeding kudos") as bar:
            recognition = seed_recognition(rng=ctx.rng(self.name), members=ctx.members, progress=bar)
        return SeedReport(
            headline=(
                f"Seeded {recognition.kudos:,} kudos ({recognition.team_kudos:,} to teams, {recognition.group_kudos:,} "
                f"to groups, {recognition.private:,} private) in {time.perf_counter() - started:.1f} s."
            ),
            details=[
                f"  {recognition.co_senders:,} +1s, {recognition.reactions:,} reactions, {recognition.points:,} points "
                f"given; {recognition.celebrations:,} celebrations, {recognition.birthdays:,} birthdays shared, "
                f"{recognition.badges:,} badges; the top 10% of givers gave {recognition.top_giver_share:.0%}"
            ],
            result=recognition,
        )


SEEDER = RecognitionSeeder()
