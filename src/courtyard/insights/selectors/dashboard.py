"""The dashboard's reads: the scope picker, headcounts, and every KPI over its trend of periods.

Each page runs a fixed number of queries whatever the size of the organization: one per rollup table it
reads, with the periods of the trend folded into conditional aggregates. What a dashboard computed is
cached under the rollups' version, which changes whenever the job applies new facts.

Read-time lookups, documented because they use today's directory rather than the facts: the size of a
scope (its members now), a location's members, a newcomer's start date and department, and the names of
departments and groups.
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime as dt
from collections import defaultdict
from typing import Any

from django.core.cache import cache
from django.db import connection
from django.db.models import Aggregate, Count, DurationField, ExpressionWrapper, F, FloatField, Q, Sum
from django.db.models.functions import TruncDate

from courtyard.core.domain.anonymity import DEFAULT_MIN_GROUP_SIZE
from courtyard.core.domain.facts import CONTRIBUTION_VERBS
from courtyard.events import selectors as events_selectors
from courtyard.groups.models import Group
from courtyard.insights import rollups
from courtyard.insights.access import Scope, Viewer
from courtyard.insights.domain import kpis, metrics, network, newcomers, periods
from courtyard.insights.domain.periods import Period
from courtyard.insights.models import (
    PRESENCE_COLUMNS,
    DailyCount,
    DepartmentPairDay,
    MemberMonth,
    NewcomerStat,
    PeriodCount,
)
from courtyard.insights.selectors._common import _datetime, _fetch, cache_seconds
from courtyard.pairing import selectors as pairing_selectors
from courtyard.people.models import Profile
from courtyard.people.selectors import directory_filter_options
from courtyard.surveys.selectors import belonging_index as survey_belonging_index

TREND_LENGTH = {"week": 8, "month": 6, "quarter": 4, "custom": 2}  # custom: the period and the one before
MIN_GROUP_SIZE = DEFAULT_MIN_GROUP_SIZE
ROLLUP_SCOPES = ("org", "dept", "group", "program", "series")
# KPIs whose facts never carry the scope's id (kudos, surveys and discussions name no event or program; event
# facts no program): shown as "—" rather than a misleading 0 %.
NOT_FOR_SCOPE = {
    "series": frozenset({"contributions_per_member", "recognition_reach", "recognition_givers", "coffee_meeting_rate",
                         "mentorship_completion", "survey_participation"}),
    "program": frozenset({"event_participation", "rsvp_conversion", "contributions_per_member", "recognition_reach",
                          "recognition_givers", "survey_participation"}),
}
PICKER_LIMIT = 100


# --- Scope options -------------------------------------------------------------------------------


def scope_options(viewer: Viewer) -> dict[str, Any]:
    """What the scope picker offers this viewer (departments and locations come from a cached list)."""
    options: dict[str, Any] = {"org": viewer.is_admin, "departments": [], "locations": [], "groups": [],
                               "series": list(viewer.run_series), "programs": list(viewer.run_programs)}
    if viewer.is_admin:
        directory = directory_filter_options()
        options["departments"] = [(d["id"], d["path"]) for d in directory["departments"]]
        options["locations"] = [(loc["id"], loc["name"]) for loc in directory["locations"]]
        options["groups"] = list(
            Group.objects.filter(archived_at__isnull=True).order_by("-member_count", "name").values_list("pk", "name")[:100]
        )
        for kind, pk, name in _program_and_series_choices():
            options["programs" if kind == "program" else "series"].append((pk, name))
    else:
        if viewer.managed_department is not None:
            options["departments"] = [viewer.managed_department]
        options["groups"] = list(viewer.organized_groups)
    return options


def _program_and_series_choices() -> list[tuple[str, int, str]]:
    """Every program and series (not cancelled) an admin may pick, programs first (there are few): one query,
    cached for a few minutes like the directory's lists (a new one may take that long to be offered; its
    insights open by URL at once)."""
    choices = cache.get("insights:program-series-choices")
    if choices is None:
        # Any: the names to order a union by are the first query's annotations, which the type stubs cannot see.
        union: Any = pairing_selectors.program_choices().union(events_selectors.series_choices(), all=True)
        choices = [tuple(row) for row in union.order_by("scope_kind", "label", "pk")[:PICKER_LIMIT]]
        cache.set("insights:program-series-choices", choices, 300)
    return list(choices)


# --- Headcount -----------------------------------------------------------------------------------


def department_sizes() -> dict[int | None, int]:
    """Active members per department now (None: no department); they change slowly, so they are cached
    for a few minutes."""
    sizes = cache.get("insights:department-sizes")
    if sizes is None:
        sizes = dict(
            Profile.objects.filter(is_active=True).values_list("department_id").annotate(n=Count("id"))
            .values_list("department_id", "n")
        )
        cache.set("insights:department-sizes", sizes, 300)
    return dict(sizes)


def headcount(scope: Scope, sizes: dict[int | None, int] | None = None) -> int:
    """Members of the scope now (the denominator of every rate)."""
    profiles = Profile.objects.filter(is_active=True)
    if scope.kind == "org":
        return sum(sizes.values()) if sizes is not None else profiles.count()
    if scope.kind == "dept":
        return sizes.get(scope.id, 0) if sizes is not None else profiles.filter(department_id=scope.id).count()
    if scope.kind == "location":
        return profiles.filter(location_id=scope.id).count()
    if scope.kind == "group":
        return int(Group.objects.filter(pk=scope.id).values_list("member_count", flat=True).first() or 0)
    # A program or event series: everyone who ever took part in it.
    return MemberMonth.objects.filter(scope_kind=scope.kind, scope_id=scope.id).values("member_id").distinct().count()


# --- Distinct members ----------------------------------------------------------------------------


def _rollup_scope(scope: Scope) -> tuple[str, int]:
    return ("org", 0) if scope.kind == "location" else (scope.kind, scope.id)


def _presence_from_period_counts(scope: Scope, trend: list[Period], *, departments: bool = False) -> dict[str, Any]:
    """Distinct members per trend period, and the weekly and monthly averages, from PeriodCount; with
    ``departments``, also every department's row for the period shown (the breakdown), in the same query."""
    kind = trend[-1].kind
    first, last = trend[0].start, trend[-1].end
    wanted = Q(period_kind=kind, start__in=[p.start for p in trend]) if kind != "custom" else Q(pk__in=[])
    wanted |= Q(period_kind="week", start__gte=first - dt.timedelta(days=6), start__lte=last)
    wanted |= Q(period_kind="month", start__gte=periods.month_start(first), start__lte=last)
    wanted &= Q(scope_kind=scope.kind, scope_id=scope.id)
    if departments:
        wanted |= Q(scope_kind="dept", period_kind=kind, start=trend[-1].start)
    rows = list(PeriodCount.objects.filter(wanted).values("scope_kind", "scope_id", "period_kind", "start",
                                                           *PRESENCE_COLUMNS))
    by_key = {(r["period_kind"], r["start"]): r for r in rows
              if r["scope_kind"] == scope.kind and r["scope_id"] == scope.id}
    result: dict[str, Any] = {"periods": [], "weekly": [], "monthly": [],
                              "departments": {r["scope_id"]: r for r in rows if r["scope_kind"] == "dept"
                                              and r["period_kind"] == kind and r["start"] == trend[-1].start}}
    for period in trend:
        row = by_key.get((period.kind, period.start)) if kind != "custom" else None
        result["periods"].append({c: (row or {}).get(c, 0) for c in PRESENCE_COLUMNS} if row or kind != "custom" else None)
        weeks = [r["active"] for (k, s), r in by_key.items() if k == "week" and period.contains(s)]
        if period.kind == "week":
            weeks = [by_key.get(("week", period.start), {}).get("active", 0)]
        months = [r["active"] for (k, s), r in by_key.items() if k == "month" and period.contains(s)]
        if period.kind == "week":
            months = [by_key.get(("month", periods.month_start(period.start)), {}).get("active", 0)]
        result["weekly"].append(None if not weeks else sum(weeks) / len(weeks))
        result["monthly"].append(None if not months else sum(months) / len(months))
    return result


LIVE_COLUMNS = ("active", "took_part", "attended", "gave_kudos", "received_kudos", "surveyed")


def _presence_live(scope: Scope, trend: list[Period]) -> list[dict[str, int]]:
    """Distinct members per period straight from MemberMonth (custom periods and locations): only the
    columns the figures use, and only the periods asked for. Each month row is joined to its day masks
    (one per period, 0 where the period misses the month) and tested with one AND per column."""
    kind, scope_id = _rollup_scope(scope)
    months: dict[dt.date, list[int]] = {}
    for index, period in enumerate(trend):
        for month, mask in periods.month_masks(period.start, period.end).items():
            months.setdefault(month, [0] * len(trend))[index] = mask
    masks = ", ".join(f"m{i}" for i in range(len(trend)))
    rows = ", ".join("(" + ", ".join(["%s"] * (len(trend) + 1)) + ")" for _ in months)
    params: list[Any] = [value for month, bits in sorted(months.items()) for value in (month, *bits)]
    names = [f"c{i}_{c}" for i in range(len(trend)) for c in LIVE_COLUMNS]
    selects = [f"MAX(CASE WHEN (mm.{c} & v.m{i}) <> 0 THEN 1 ELSE 0 END) AS c{i}_{c}"
               for i in range(len(trend)) for c in LIVE_COLUMNS]
    members_only = ""
    extra: list[Any] = []
    if scope.kind == "location":
        members_only = "AND mm.member_id IN (SELECT id FROM people_profile WHERE location_id = %s)"
        extra = [scope.id]
    sql = (
        f"WITH v(month, {masks}) AS (VALUES {rows}) "  # noqa: S608
        f"SELECT {', '.join(f'COALESCE(SUM({n}), 0)' for n in names)} FROM ("
        f"SELECT mm.member_id, {', '.join(selects)} FROM {MemberMonth._meta.db_table} mm "
        f"JOIN v ON mm.month = v.month "
        f"WHERE mm.scope_kind = %s AND mm.scope_id = %s AND mm.month >= %s AND mm.month <= %s {members_only} "
        f"GROUP BY mm.member_id) s"
    )
    row = _fetch(sql, [*params, kind, scope_id, min(months), max(months), *extra])[0]
    values = dict(zip(names, row, strict=True))
    return [{c: int(values.get(f"c{i}_{c}") or 0) for c in PRESENCE_COLUMNS} for i in range(len(trend))]


# --- Counts, discussions, events, newcomers, silo ------------------------------------------------

COUNTED_VERBS = (*sorted(CONTRIBUTION_VERBS), "paired", "met")
CUMULATIVE_VERBS = ("joined_mentorship", "completed_mentorship")


def _counts(scope: Scope, trend: list[Period]) -> list[dict[str, int]]:
    if scope.kind == "location":
        return [{} for _ in trend]
    annotations = {}
    for index, period in enumerate(trend):
        annotations[f"p{index}"] = Sum("value", filter=Q(day__gte=period.start, day__lte=period.end))
        annotations[f"c{index}"] = Sum("value", filter=Q(day__lte=period.end))
    rows = (
        DailyCount.objects.filter(scope_kind=scope.kind, scope_id=scope.id, day__lte=trend[-1].end,
                                  metric__in=[*COUNTED_VERBS, *CUMULATIVE_VERBS])
        .values("metric").annotate(**annotations)
    )
    result: list[dict[str, int]] = [defaultdict(int) for _ in trend]
    for row in rows:
        values: dict[str, Any] = dict(row)
        cumulative = values["metric"] in CUMULATIVE_VERBS
        for index in range(len(trend)):
            result[index][values["metric"]] = int(values[f"{'c' if cumulative else 'p'}{index}"] or 0)
    return result


def _threads(scope: Scope, trend: list[Period]) -> list[metrics.ReplyStats | None]:
    if scope.kind not in ("org", "dept", "group"):
        return [None for _ in trend]
    where = ""
    params: list[Any] = [dt.datetime.combine(trend[0].start, dt.time(), dt.UTC),
                         dt.datetime.combine(trend[-1].end_exclusive, dt.time(), dt.UTC)]
    if scope.kind == "dept":
        where, params = "AND department_id = %s", [*params, scope.id]
    elif scope.kind == "group":
        where, params = "AND group_id = %s", [*params, scope.id]
    table = "insights_threadstat"
    bounds = [(dt.datetime.combine(p.start, dt.time(), dt.UTC), dt.datetime.combine(p.end_exclusive, dt.time(), dt.UTC))
              for p in trend]
    if connection.vendor == "postgresql":
        selects, select_params = [], []
        for start, end in bounds:
            inside = "posted_at >= %s AND posted_at < %s"
            selects.append(f"COUNT(*) FILTER (WHERE {inside})")
            selects.append(f"COUNT(*) FILTER (WHERE {inside} AND first_reply_at IS NOT NULL)")
            selects.append(
                "percentile_cont(0.5) WITHIN GROUP (ORDER BY GREATEST(0, EXTRACT(EPOCH FROM first_reply_at - posted_at)"
                f" / 3600.0)) FILTER (WHERE {inside} AND first_reply_at IS NOT NULL)"
            )
            select_params += [start, end, start, end, start, end]
        row = _fetch(
            f"SELECT {', '.join(selects)} FROM {table} WHERE posted_at >= %s AND posted_at < %s {where}",  # noqa: S608
            [*select_params, *params],
        )[0]
        stats: list[metrics.ReplyStats | None] = []
        for index in range(len(trend)):
            total, replied, median = row[3 * index : 3 * index + 3]
            stats.append(metrics.ReplyStats(threads=int(total), replied=int(replied),
                                            rate=metrics.ratio(int(replied), int(total)),
                                            median_hours=float(median) if median is not None else None))
        return stats
    rows = _fetch(
        f"SELECT posted_at, first_reply_at FROM {table} WHERE posted_at >= %s AND posted_at < %s {where}",  # noqa: S608
        params,
    )
    pairs = [(_datetime(a), _datetime(b)) for a, b in rows]
    return [
        metrics.reply_stats([(a, b) for a, b in pairs if a is not None and start <= a < end])
        for start, end in bounds
    ]


def _events(scope: Scope, trend: list[Period]) -> list[tuple[int, int]]:
    """(RSVPs, RSVPs that came) for the events held in each period."""
    selects, params = [], []
    for period in trend:
        inside = "d.day >= %s AND d.day <= %s"
        selects.append(f"SUM(CASE WHEN {inside} AND (m.flags & 1) <> 0 THEN 1 ELSE 0 END)")
        selects.append(f"SUM(CASE WHEN {inside} AND (m.flags & 3) = 3 THEN 1 ELSE 0 END)")
        params += [period.start, period.end, period.start, period.end]
    where, extra = "", []
    if scope.kind == "dept":
        where, extra = "AND m.department_id = %s", [scope.id]
    elif scope.kind == "group":
        where, extra = "AND m.group_id = %s", [scope.id]
    elif scope.kind == "location":
        where, extra = "AND m.member_id IN (SELECT id FROM people_profile WHERE location_id = %s)", [scope.id]
    elif scope.kind == "series":
        where, extra = "AND m.event_id = %s", [scope.id]
    elif scope.kind == "program":
        return [(0, 0) for _ in trend]
    row = _fetch(
        f"SELECT {', '.join(selects)} FROM insights_eventmember m JOIN insights_eventday d ON d.event_id = m.event_id "  # noqa: S608
        f"WHERE d.day >= %s AND d.day <= %s {where}",
        [*params, trend[0].start, trend[-1].end, *extra],
    )[0]
    return [(int(row[2 * i] or 0), int(row[2 * i + 1] or 0)) for i in range(len(trend))]


def _newcomers(scope: Scope, trend: list[Period], today: dt.date) -> list[newcomers.Integration | None]:
    """Newcomers who started in each period (today's directory: start date, department and location, as
    of the last rollup run), with their first cross-department tie and their ties by day 30/60/90."""
    if scope.kind not in ("org", "dept", "location"):
        return [None for _ in trend]
    rows = NewcomerStat.objects.filter(start_date__gte=trend[0].start, start_date__lte=trend[-1].end)
    if scope.kind == "dept":
        rows = rows.filter(department_id=scope.id)
    elif scope.kind == "location":
        rows = rows.filter(location_id=scope.id)
    if connection.vendor == "postgresql":
        return _newcomers_aggregated(rows, trend, today)
    cohorts: list[list[newcomers.Progress]] = [[] for _ in trend]
    starts = [p.start for p in trend]
    for start, first_at, by_30, by_60, by_90 in rows.values_list("start_date", "first_at", "by_30", "by_60", "by_90"):
        index = bisect.bisect_right(starts, start) - 1
        if index < 0 or not trend[index].contains(start):
            continue
        cohorts[index].append(newcomers.Progress(
            start=start, first_day=first_at.date() if first_at else None, by_milestone={30: by_30, 60: by_60, 90: by_90},
        ))
    return [newcomers.integration_of(cohort, today=today) for cohort in cohorts]


class Median(Aggregate):
    """PostgreSQL's exact median of a column."""

    function = "percentile_cont"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


def _newcomers_aggregated(rows: Any, trend: list[Period], today: dt.date) -> list[newcomers.Integration | None]:
    """The same figures as ``newcomers.integration_of``, aggregated by PostgreSQL (cohorts of many thousands)."""
    annotations: dict[str, Any] = {}
    for i, period in enumerate(trend):
        cohort = Q(start_date__gte=period.start, start_date__lte=period.end)
        annotations[f"n{i}"] = Count("id", filter=cohort)
        annotations[f"c{i}"] = Count("id", filter=cohort & Q(first_at__isnull=False))
        annotations[f"m{i}"] = Median(F("first_days"), filter=cohort & Q(first_at__isnull=False),
                                      output_field=DurationField())
        for days in newcomers.MILESTONES:
            due = cohort & Q(start_date__lte=today - dt.timedelta(days=days))
            annotations[f"e{i}_{days}"] = Count("id", filter=due)
            annotations[f"r{i}_{days}"] = Count("id", filter=due & Q(**{f"by_{days}__gte": newcomers.CONNECTIONS_WANTED}))
    first_days = ExpressionWrapper(TruncDate("first_at") - F("start_date"), output_field=DurationField())
    totals = rows.annotate(first_days=first_days).aggregate(**annotations)
    return [
        newcomers.Integration(
            newcomers=totals[f"n{i}"], connected=totals[f"c{i}"],
            median_days_to_first=None if totals[f"m{i}"] is None else _days(totals[f"m{i}"]),
            milestones=tuple(
                newcomers.Milestone(days=days, eligible=totals[f"e{i}_{days}"], reached=totals[f"r{i}_{days}"])
                for days in newcomers.MILESTONES
            ),
        )
        for i in range(len(trend))
    ]


def _days(value: Any) -> float:
    return value.total_seconds() / 86400 if isinstance(value, dt.timedelta) else float(value)



def _ei_trend(scope: Scope, trend: list[Period]) -> list[float | None]:
    if scope.kind not in ("org", "dept"):
        return [None for _ in trend]
    annotations = {}
    for index, period in enumerate(trend):
        inside = Q(day__gte=period.start, day__lte=period.end)
        same = Q(actor_department_id=F("other_department_id"))
        annotations[f"i{index}"] = Sum("ties", filter=inside & same)
        annotations[f"e{index}"] = Sum("ties", filter=inside & ~same)
    rows = DepartmentPairDay.objects.filter(day__gte=trend[0].start, day__lte=trend[-1].end).exclude(
        actor_department_id=0).exclude(other_department_id=0)
    if scope.kind == "dept":
        rows = rows.filter(Q(actor_department_id=scope.id) | Q(other_department_id=scope.id))
    totals = rows.aggregate(**annotations)
    return [network.ei_index(float(totals[f"e{i}"] or 0), float(totals[f"i{i}"] or 0)) for i in range(len(trend))]


def belonging_index(scope: Scope, period: Period) -> dict[str, Any] | None:
    """The surveys' belonging index for the scope and period, or why it is withheld (aggregates only, under the
    surveys' own minimum group size and subtraction rule: ``surveys.selectors.belonging_index``); None for
    scopes answers cannot be broken down by, or when no survey asked. Survey answers are not in the rollups,
    so it is cached by scope and period for the dashboard's few minutes rather than by the rollups' version."""
    seconds = cache_seconds()
    key = f"insights:belonging:{scope.key}:{period.key}"
    cached = cache.get(key) if seconds else None
    if cached is not None:
        return dict(cached) or None
    result = survey_belonging_index(scope.kind, scope.id, period.start, period.end)
    if seconds:
        cache.set(key, result or {}, seconds)  # {}: "nothing to show", which a cache miss (None) cannot say
    return result


# --- The dashboard -------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Figure:
    key: str
    label: str
    unit: str
    help: str
    rising: bool
    trend: tuple[float | None, ...]  # oldest first; the last is the period shown

    @property
    def value(self) -> float | None:
        return self.trend[-1]

    @property
    def previous(self) -> float | None:
        return self.trend[-2] if len(self.trend) > 1 else None

    @property
    def change(self) -> metrics.Change:
        return metrics.Change(self.value, self.previous)

    @property
    def shown(self) -> str:
        return kpis.format_value(self.unit, self.value)

    @property
    def shown_previous(self) -> str:
        return kpis.format_value(self.unit, self.previous)

    @property
    def better(self) -> bool | None:
        delta = self.change.delta
        if delta is None or abs(delta) < 1e-9:
            return None
        return (delta > 0) == self.rising

    def as_dict(self) -> dict[str, Any]:
        return {"key": self.key, "label": self.label, "unit": self.unit, "value": self.value,
                "previous": self.previous, "trend": list(self.trend), "help": self.help}


@dataclasses.dataclass(frozen=True)
class Dashboard:
    scope: Scope
    period: Period
    trend_periods: tuple[Period, ...]
    headcount: int
    figures: tuple[Figure, ...]
    breakdown: tuple[dict[str, Any], ...]  # by department (organization scope only)
    min_group_size: int

    def figure(self, key: str) -> Figure:
        return next(f for f in self.figures if f.key == key)


def dashboard(scope: Scope, period: Period, *, today: dt.date, use_cache: bool = True) -> Dashboard:
    key = f"insights:dashboard:{rollups.rollup_version()}:{scope.key}:{period.key}:{today.isoformat()}"
    seconds = cache_seconds()
    if use_cache and seconds:
        cached = cache.get(key)
        if isinstance(cached, Dashboard):
            return cached
    result = _dashboard(scope, period, today=today)
    if use_cache and seconds:
        cache.set(key, result, seconds)
    return result


def _dashboard(scope: Scope, period: Period, *, today: dt.date) -> Dashboard:
    trend = periods.recent(period, TREND_LENGTH[period.kind])
    sizes = department_sizes() if scope.kind in ("org", "dept") else None
    members = headcount(scope, sizes)
    natural = period.kind != "custom" and scope.kind in ROLLUP_SCOPES
    weekly: list[float | None] = [None for _ in trend]
    monthly: list[float | None] = [None for _ in trend]
    department_rows: dict[int, dict[str, Any]] = {}
    if natural:
        stored = _presence_from_period_counts(scope, trend, departments=scope.kind == "org")
        presence = stored["periods"]
        department_rows = stored["departments"]
        weekly, monthly = stored["weekly"], stored["monthly"]
    else:
        # Custom periods and locations: counted from MemberMonth; weekly and monthly averages are shown
        # for calendar periods only.
        presence = _presence_live(scope, trend)
    counts = _counts(scope, trend)
    threads = _threads(scope, trend)
    events = _events(scope, trend)
    integration = _newcomers(scope, trend, today)
    ei = _ei_trend(scope, trend)

    def share(column: str) -> tuple[float | None, ...]:
        return tuple(metrics.ratio(p[column], members) for p in presence)

    series: dict[str, tuple[float | None, ...]] = {
        "active_members": tuple(float(p["active"]) for p in presence),
        "weekly_active": tuple(weekly),
        "monthly_active": tuple(monthly),
        "participation_rate": share("took_part"),
        "event_participation": share("attended"),
        "rsvp_conversion": tuple(metrics.conversion(r, a) for r, a in events),
        "contributions_per_member": tuple(
            metrics.per_member(sum(c.get(v, 0) for v in CONTRIBUTION_VERBS), p["active"])
            for c, p in zip(counts, presence, strict=True)
        ),
        "reply_rate": tuple(t.rate if t else None for t in threads),
        "time_to_first_reply": tuple(t.median_hours if t else None for t in threads),
        "recognition_reach": share("received_kudos"),
        "recognition_givers": share("gave_kudos"),
        "coffee_meeting_rate": tuple(metrics.capped_ratio(c.get("met", 0), c.get("paired", 0)) for c in counts),
        "mentorship_completion": tuple(
            metrics.capped_ratio(c.get("completed_mentorship", 0), c.get("joined_mentorship", 0)) for c in counts
        ),
        # Who answered surveys is counted, never what; a count below the minimum group size is withheld.
        "survey_participation": tuple(
            None if 0 < p["surveyed"] < MIN_GROUP_SIZE else metrics.ratio(p["surveyed"], members) for p in presence
        ),
        "newcomer_days_to_cross": tuple(i.median_days_to_first if i else None for i in integration),
        "newcomer_connected_30": tuple(i.milestone(30).share if i else None for i in integration),
        "newcomer_connected_60": tuple(i.milestone(60).share if i else None for i in integration),
        "newcomer_connected_90": tuple(i.milestone(90).share if i else None for i in integration),
        "cross_department_ei": tuple(ei),
    }
    missing = NOT_FOR_SCOPE.get(scope.kind, frozenset())
    figures = tuple(
        Figure(key=k.key, label=k.label, unit=k.unit, help=k.help, rising=k.rising,
               trend=tuple(None for _ in trend) if k.key in missing else series[k.key])
        for k in kpis.KPIS
    )
    breakdown = _breakdown(department_rows, sizes or {}) if scope.kind == "org" and natural else ()
    return Dashboard(scope=scope, period=period, trend_periods=tuple(trend), headcount=members, figures=figures,
                     breakdown=breakdown, min_group_size=MIN_GROUP_SIZE)


def _breakdown(rows: dict[int, dict[str, Any]], all_sizes: dict[int | None, int]) -> tuple[dict[str, Any], ...]:
    """Active members, participation and survey participation by department; survey respondents below the
    minimum group size are withheld, with complementary suppression (no subtraction from the total)."""
    names = {d["id"]: d["path"] for d in directory_filter_options()["departments"]}
    sizes = {d: n for d, n in all_sizes.items() if d is not None}
    surveyed = metrics.suppress({d: rows.get(d, {}).get("surveyed", 0) for d in sizes}, MIN_GROUP_SIZE,
                                small_groups={d for d, n in sizes.items() if n < MIN_GROUP_SIZE})
    result = []
    for department_id, size in sorted(sizes.items(), key=lambda item: names.get(item[0], "")):
        row = rows.get(department_id, {})
        shown = surveyed[department_id]
        result.append({
            "department_id": department_id, "department": names.get(department_id, "?"), "members": size,
            "active": row.get("active", 0), "participation_rate": metrics.ratio(row.get("took_part", 0), size),
            "survey_respondents": shown, "survey_participation": None if shown is None else metrics.ratio(shown, size),
            "survey_withheld": shown is None,
        })
    return tuple(result)
