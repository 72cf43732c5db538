"""The demo's insights story, then the rollups over every fact the other seeds wrote: `seed_insights(...)`.

Runs last. The other capabilities record their own facts (posts, events, coffee, kudos, surveys); this adds
only what the dashboards need to tell a story, each participation marked ``object_type="demo_story"``
(interactions have no such column: each story interaction is written beside a marked participation of
its actor, on the same day):

- **A siloed department**: the largest department talks mostly to itself (many ties inside, few out).
- **A bridging group**: a cross-functional group (or the busiest one) whose discussions join two
  departments that otherwise rarely meet.
- **Newcomers integrating faster after a coffee program started** (~100 days ago): newcomers who started
  after it meet someone from another department in their first two weeks; earlier ones took ~6 weeks.

Then the rollups are rebuilt from the whole ledger, communities detected, and one goal is set.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
import time
from collections import defaultdict
from typing import Any

from django.db import transaction
from django.db.models import Count

from courtyard.core import clock
from courtyard.core.models import Interaction, Participation
from courtyard.core.seeding import SeedContext, SeedReport
from courtyard.groups.models import Group
from courtyard.insights import rollups, selectors, services
from courtyard.insights.access import ORG
from courtyard.insights.domain import periods
from courtyard.insights.models import Goal
from courtyard.people.models import Profile
from courtyard.people.seed import seeded_profiles

STORY = "demo_story"
COFFEE_STARTED_DAYS_AGO = 100


@dataclasses.dataclass(frozen=True)
class InsightsSeedResult:
    story_participations: int
    story_interactions: int
    siloed_department: str
    bridging_group: str
    bridged: tuple[str, str]
    newcomers_before: int
    newcomers_after: int
    participations: int
    interactions: int
    seconds: float


def _at(rng: random.Random, day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(rng.randrange(8, 18), rng.randrange(60)), dt.UTC)


@transaction.atomic
def seed_story(*, rng: random.Random, today: dt.date | None = None) -> dict[str, Any]:
    today = today or clock.now().date()
    people = list(
        seeded_profiles().filter(is_active=True, department__isnull=False)
        .order_by("pk").values_list("pk", "department_id", "department__path", "start_date")
    )
    if len(people) < 20:
        return {"participations": 0, "interactions": 0, "siloed": "", "group": "", "bridged": ("", ""),
                "before": 0, "after": 0}
    by_department: dict[int, list[int]] = defaultdict(list)
    names: dict[int, str] = {}
    for pk, department, path, _start in people:
        by_department[department].append(pk)
        names[department] = path
    departments = sorted(by_department, key=lambda d: (-len(by_department[d]), d))
    participations: list[Participation] = []
    interactions: list[Interaction] = []

    def tie(actor: tuple[int, int], other: tuple[int, int], kind: str, when: dt.datetime, **scope: Any) -> None:
        interactions.append(Interaction(actor_id=actor[0], other_id=other[0], kind=kind, occurred_at=when,
                                        actor_department_id=actor[1], other_department_id=other[1], **scope))
        verb = {"reply": "replied", "kudos": "gave_kudos", "coffee_met": "met"}[kind]
        participations.append(Participation(member_id=actor[0], verb=verb, occurred_at=when, department_id=actor[1],
                                            object_type=STORY, **scope))

    # 1. The siloed department: many ties inside over the last six months.
    siloed = departments[0]
    inside = by_department[siloed]
    for _ in range(len(inside) * 30):
        a, b = rng.sample(inside, 2)
        day = today - dt.timedelta(days=rng.randrange(1, 180))
        tie((a, siloed), (b, siloed), rng.choice(["reply", "reply", "kudos"]), _at(rng, day))

    # 2. A group bridging two departments that otherwise rarely meet.
    group = (Group.objects.filter(kind=Group.Kind.CROSS_FUNCTIONAL, archived_at__isnull=True).order_by("pk").first()
             or Group.objects.filter(archived_at__isnull=True).order_by("-member_count", "pk").first())
    first, second = (departments[1], departments[2]) if len(departments) > 2 else (departments[0], departments[-1])
    if group is not None:
        for _ in range(90):
            a = rng.choice(by_department[first])
            b = rng.choice(by_department[second])
            day = today - dt.timedelta(days=rng.randrange(1, 120))
            pair = [(a, first), (b, second)]
            rng.shuffle(pair)
            tie(pair[0], pair[1], "reply", _at(rng, day), group_id=group.pk)

    # 3. Newcomers, before and after the coffee program started.
    program = (Participation.objects.filter(verb="joined_coffee", program_id__isnull=False)
               .values("program_id").annotate(n=Count("id")).order_by("-n", "program_id").first())
    program_id = program["program_id"] if program else None
    started = today - dt.timedelta(days=COFFEE_STARTED_DAYS_AGO)
    before = after = 0
    for pk, department, _path, start in people:
        if start is None or not (today - dt.timedelta(days=240)) <= start <= today - dt.timedelta(days=7):
            continue
        others = [d for d in departments if d != department and by_department[d]]
        if not others:
            continue
        joined_after = start >= started
        before, after = before + (not joined_after), after + joined_after
        first_day = rng.randrange(3, 14) if joined_after else rng.randrange(35, 70)
        count = rng.randrange(3, 6) if joined_after else rng.randrange(1, 3)
        for n in range(count):
            day = start + dt.timedelta(days=first_day + n * rng.randrange(4, 12))
            if day >= today:
                break
            department_other = rng.choice(others)
            other = (rng.choice(by_department[department_other]), department_other)
            if joined_after:
                when = _at(rng, day)
                tie((pk, department), other, "coffee_met", when, program_id=program_id)
                tie(other, (pk, department), "coffee_met", when, program_id=program_id)
            else:
                tie((pk, department), other, rng.choice(["reply", "kudos"]), _at(rng, day))
    Participation.objects.bulk_create(participations, batch_size=5000)
    Interaction.objects.bulk_create(interactions, batch_size=5000)
    return {"participations": len(participations), "interactions": len(interactions), "siloed": names[siloed],
            "group": group.name if group else "", "bridged": (names[first], names[second]), "before": before,
            "after": after}


def seed_insights(*, rng: random.Random, today: dt.date | None = None) -> InsightsSeedResult:
    started = time.perf_counter()
    story = seed_story(rng=rng, today=today)
    report = rollups.rollups_rebuild()
    services.communities_refresh(today=today)
    today = today or clock.now().date()
    if not Goal.objects.exists() and Profile.objects.exists():
        quarter = periods.period_of("quarter", today)
        # Where the goal started, as goal_create records it: last month's figure (and this month's).
        figure = selectors.dashboard(ORG, periods.period_of("month", today), today=today).figure("participation_rate")
        Goal.objects.create(metric="participation_rate", scope_kind="org", scope_id=0, scope_name="Organization",
                            period_kind="month", target=0.6, due=quarter.end, note="60 % monthly participation",
                            baseline=figure.previous, current=figure.value, created_at=clock.now())
        services.goals_refresh(today=today)
    return InsightsSeedResult(
        story_participations=story["participations"], story_interactions=story["interactions"],
        siloed_department=story["siloed"], bridging_group=story["group"], bridged=story["bridged"],
        newcomers_before=story["before"], newcomers_after=story["after"], participations=report.participations,
        interactions=report.interactions, seconds=time.perf_counter() - started,
    )


# --- The seeder (core/seeding.py) ---------------------------------------------------------------------------


class InsightsSeeder:
    """Last of the content: it rolls up the facts every part above recorded."""

    name = "insights"
    order = 70

    def counts(self) -> dict[str, int]:
        return {"goals": Goal.objects.count()}

    def delete_seeded(self, ctx: SeedContext) -> SeedReport:
        return SeedReport()  # rollups are rebuilt from the facts when seeding

    def seed(self, ctx: SeedContext) -> SeedReport:
        insights = seed_insights(rng=ctx.rng(self.name))
        return SeedReport(
            headline=(
                f"Insights: rolled up {insights.participations:,} participations and {insights.interactions:,} "
                f"interactions in {insights.seconds:.1f} s (story: {insights.story_participations:,} facts; siloed "
                f"{insights.siloed_department!r}; {insights.bridging_group!r} bridges {' and '.join(insights.bridged)}; "
                f"newcomers before/after the coffee program {insights.newcomers_before}/{insights.newcomers_after})."
            ),
            result=insights,
        )


SEEDER = InsightsSeeder()
