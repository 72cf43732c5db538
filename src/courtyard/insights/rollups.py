"""The rollup engine: facts of the ledger → the pre-aggregated tables in ``insights.models``.

One code path for both ways of running, so they cannot disagree:

- **incremental** (``rollups_update``, the Huey job every few minutes): facts with an id above the stored
  high-water mark, plus the ids of earlier gaps that have appeared since (a transaction that committed
  after a later one). Everything happens in one transaction with the mark moved under a row lock, so a
  retried or concurrent job never applies a fact twice, and a failed one applies nothing.
- **full** (``rollups_rebuild``, ``courtyard insights_rebuild``): empty the tables, then the same
  statements over every fact.

Each statement is one set-based ``INSERT … SELECT … GROUP BY … ON CONFLICT DO UPDATE`` whose merge is
commutative (bitwise OR, MIN, MAX, +), so batches can come in any order and size and give the same rows;
the late facts of an old day are merged like any other. The SQL is written for PostgreSQL and SQLite
(date functions differ; the rest is common).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import time
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection, transaction
from django.db.models import F

from courtyard.core import clock
from courtyard.core.domain.facts import CONTRIBUTION_VERBS, TIE_KINDS
from courtyard.insights.domain import periods
from courtyard.insights.domain.newcomers import MILESTONES
from courtyard.insights.models import (
    PRESENCE_COLUMNS,
    CommunitySnapshot,
    DailyCount,
    DepartmentPairDay,
    DirtyPeriod,
    EventDay,
    EventMember,
    MemberMonth,
    MemberTie,
    NewcomerStat,
    NewcomerTie,
    PeriodCount,
    RollupGap,
    RollupState,
    ThreadStat,
)

log = logging.getLogger(__name__)

PARTICIPATION = "participation"
INTERACTION = "interaction"
GAP_PATIENCE = dt.timedelta(hours=2)
NEWCOMER_WINDOW_DAYS = max(MILESTONES)
NEWCOMER_HISTORY_DAYS = 550  # starters this recent are kept in NewcomerStat (a year and a half of cohorts)
ROLLUP_TABLES = (MemberMonth, PeriodCount, DailyCount, DepartmentPairDay, MemberTie, EventMember, EventDay,
                 ThreadStat, NewcomerTie, NewcomerStat, CommunitySnapshot, RollupGap, DirtyPeriod, RollupState)

# The verbs behind each presence column (MemberMonth, PeriodCount). "active" is everything, visits included.
PRESENCE_VERBS: dict[str, frozenset[str] | None] = {
    "active": None,
    "took_part": None,  # every verb but "visited"
    "contributed": CONTRIBUTION_VERBS,
    "attended": frozenset({"attended"}),
    "gave_kudos": frozenset({"gave_kudos"}),
    "received_kudos": frozenset({"received_kudos"}),
    "surveyed": frozenset({"answered_survey"}),
    "met": frozenset({"met"}),
}
EVENT_FLAGS = {
    "rsvped": EventMember.RSVPED, "attended": EventMember.ATTENDED, "no_show": EventMember.NO_SHOW,
    "hosted_event": EventMember.HOSTED, "gave_event_feedback": EventMember.FEEDBACK,
}


@dataclasses.dataclass
class RunReport:
    participations: int = 0
    interactions: int = 0
    periods_refreshed: int = 0
    seconds: float = 0.0


# --- SQL dialect --------------------------------------------------------------------------------


class Dialect:
    """The few expressions PostgreSQL and SQLite spell differently."""

    def __init__(self, vendor: str) -> None:
        self.pg = vendor == "postgresql"

    def day(self, column: str) -> str:
        return f"(({column}) AT TIME ZONE 'UTC')::date" if self.pg else f"substr({column}, 1, 10)"

    def month(self, column: str) -> str:
        if self.pg:
            return f"date_trunc('month', ({column}) AT TIME ZONE 'UTC')::date"
        return f"(substr({column}, 1, 7) || '-01')"

    def day_bit(self, column: str) -> str:
        if self.pg:
            return f"(1::bigint << (EXTRACT(DAY FROM ({column}) AT TIME ZONE 'UTC')::int - 1))"
        return f"(1 << (CAST(substr({column}, 9, 2) AS INTEGER) - 1))"

    def bit_or(self, expression: str) -> str:
        # A sum of distinct powers of two is their bitwise OR (SQLite has no bit_or aggregate).
        return f"bit_or({expression})" if self.pg else f"SUM(DISTINCT {expression})"

    def least(self, a: str, b: str) -> str:
        return f"LEAST({a}, {b})" if self.pg else f"MIN({a}, {b})"

    def greatest(self, a: str, b: str) -> str:
        return f"GREATEST({a}, {b})" if self.pg else f"MAX({a}, {b})"

    def least_present(self, a: str, b: str) -> str:
        """The smaller of two values that may be NULL (NULL only when both are)."""
        return self.least(f"COALESCE({a}, {b})", f"COALESCE({b}, {a})")

    def greatest_present(self, a: str, b: str) -> str:
        return self.greatest(f"COALESCE({a}, {b})", f"COALESCE({b}, {a})")

    def add_days(self, date_column: str, days: int) -> str:
        return f"({date_column} + {int(days)})" if self.pg else f"date({date_column}, '+{int(days)} days')"


def dialect() -> Dialect:
    return Dialect(connection.vendor)


def _in(values: Iterable[str]) -> str:
    """A SQL list of vocabulary words (from core/domain/facts.py, never from a request)."""
    words = sorted(values)
    for word in words:
        if not word.replace("_", "").isalnum():
            raise ValueError(f"not a vocabulary word: {word!r}")
    return "(" + ", ".join(f"'{w}'" for w in words) + ")"


def _grouped(scope: str) -> str:
    """A scope expression for GROUP BY; the organization's constant is left out (a number there means a
    column position)."""
    return "" if scope == "0" else f"{scope}, "


def _table(model: type[Any]) -> str:
    return str(model._meta.db_table)


@dataclasses.dataclass(frozen=True)
class Selection:
    """Which facts a run reads: ids in (low, high], and the ids inside earlier gaps."""

    low: int
    high: int
    gaps: tuple[tuple[int, int], ...] = ()

    def where(self, alias: str = "f") -> tuple[str, list[int]]:
        parts = [f"({alias}.id > %s AND {alias}.id <= %s)"]
        params = [self.low, self.high]
        for low, high in self.gaps:
            parts.append(f"({alias}.id >= %s AND {alias}.id <= %s)")
            params += [low, high]
        return "(" + " OR ".join(parts) + ")", params

    @property
    def empty(self) -> bool:
        return self.high <= self.low and not self.gaps


def _execute(sql: str, params: Sequence[Any] = ()) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql, list(params))
        return int(cursor.rowcount or 0)


def _fetch(sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, list(params))
        return list(cursor.fetchall())


# --- Participations ------------------------------------------------------------------------------

# Surveys record their survey's id in ``program_id`` (the verb says which kind): a survey is not a pairing
# program, so its facts stay out of the program scope, whose ids are pairing programs'.
SURVEY_VERBS = frozenset({"answered_survey"})
# An event fact's ``event_id`` is its event, that is the series of its occurrences (events.ledger): the scope
# "series" (a one-off event is a series of one).
PARTICIPATION_SCOPES = (
    ("org", "0", ""),
    ("dept", "f.department_id", "AND f.department_id IS NOT NULL"),
    ("group", "f.group_id", "AND f.group_id IS NOT NULL"),
    ("program", "f.program_id", f"AND f.program_id IS NOT NULL AND f.verb NOT IN {_in(SURVEY_VERBS)}"),
    ("series", "f.event_id", "AND f.event_id IS NOT NULL"),
)
COUNT_SCOPES = PARTICIPATION_SCOPES


def _presence_expression(d: Dialect, column: str) -> str:
    bit = d.day_bit("f.occurred_at")
    if column == "active":
        return d.bit_or(bit)
    if column == "took_part":
        return d.bit_or(f"CASE WHEN f.verb <> 'visited' THEN {bit} ELSE 0 END")
    verbs = PRESENCE_VERBS[column]
    if verbs is None:
        raise ValueError(column)
    return d.bit_or(f"CASE WHEN f.verb IN {_in(verbs)} THEN {bit} ELSE 0 END")


def _apply_participations(d: Dialect, selection: Selection) -> None:
    where, params = selection.where()
    source = "core_participation"
    month = d.month("f.occurred_at")
    day = d.day("f.occurred_at")
    columns = ", ".join(PRESENCE_COLUMNS)
    aggregates = ", ".join(_presence_expression(d, c) for c in PRESENCE_COLUMNS)
    member_month = _table(MemberMonth)
    merges = ", ".join(f"{c} = {member_month}.{c} | excluded.{c}" for c in PRESENCE_COLUMNS)
    for kind, scope, only in PARTICIPATION_SCOPES:
        _execute(
            f"INSERT INTO {member_month} (month, scope_kind, scope_id, member_id, {columns}) "  # noqa: S608
            f"SELECT {month}, '{kind}', {scope}, f.member_id, {aggregates} FROM {source} f "
            f"WHERE {where} {only} GROUP BY {month}, {_grouped(scope)}f.member_id "
            f"ON CONFLICT (scope_kind, scope_id, month, member_id) DO UPDATE SET {merges}",
            params,
        )
    daily = _table(DailyCount)
    for kind, scope, only in COUNT_SCOPES:
        _execute(
            f"INSERT INTO {daily} (day, scope_kind, scope_id, metric, value) "  # noqa: S608
            f"SELECT {day}, '{kind}', {scope}, f.verb, COUNT(*) FROM {source} f "
            f"WHERE {where} {only} GROUP BY {day}, {_grouped(scope)}f.verb "
            f"ON CONFLICT (scope_kind, scope_id, day, metric) DO UPDATE SET value = {daily}.value + excluded.value",
            params,
        )
    # Events: who did what at which occurrence, and the day each was held (its first check-in).
    events = _table(EventMember)
    flag = "CASE f.verb " + " ".join(f"WHEN '{verb}' THEN {bit}" for verb, bit in EVENT_FLAGS.items()) + " ELSE 0 END"
    _execute(
        f"INSERT INTO {events} (event_id, member_id, department_id, group_id, flags) "  # noqa: S608
        f"SELECT f.event_id, f.member_id, MAX(COALESCE(f.department_id, 0)), MAX(f.group_id), {d.bit_or(flag)} "
        f"FROM {source} f WHERE {where} AND f.event_id IS NOT NULL GROUP BY f.event_id, f.member_id "
        f"ON CONFLICT (event_id, member_id) DO UPDATE SET flags = {events}.flags | excluded.flags, "
        f"department_id = {d.greatest(f'{events}.department_id', 'excluded.department_id')}, "
        f"group_id = {d.greatest_present(f'{events}.group_id', 'excluded.group_id')}",
        params,
    )
    event_days = _table(EventDay)
    _execute(
        f"INSERT INTO {event_days} (event_id, day) SELECT f.event_id, MIN({day}) FROM {source} f "  # noqa: S608
        f"WHERE {where} AND f.event_id IS NOT NULL AND f.verb = 'attended' GROUP BY f.event_id "
        f"ON CONFLICT (event_id) DO UPDATE SET day = {d.least(f'{event_days}.day', 'excluded.day')}",
        params,
    )
    # Discussions and their first reply by someone else than the author.
    threads = _table(ThreadStat)
    merge_threads = (
        f"group_id = {d.greatest_present(f'{threads}.group_id', 'excluded.group_id')}, "
        f"department_id = {d.greatest(f'{threads}.department_id', 'excluded.department_id')}, "
        f"author_id = {d.greatest_present(f'{threads}.author_id', 'excluded.author_id')}, "
        f"posted_at = {d.least_present(f'{threads}.posted_at', 'excluded.posted_at')}, "
        f"first_reply_at = {d.least_present(f'{threads}.first_reply_at', 'excluded.first_reply_at')}, "
        f"replies = {threads}.replies + excluded.replies"
    )
    _execute(
        f"INSERT INTO {threads} (thread_id, group_id, department_id, author_id, posted_at, first_reply_at, replies) "  # noqa: S608
        f"SELECT f.object_id, MAX(f.group_id), MAX(COALESCE(f.department_id, 0)), MAX(f.member_id), "
        f"MIN(f.occurred_at), NULL, 0 FROM {source} f WHERE {where} AND f.verb IN ('posted', 'asked') "
        f"AND f.object_type = 'thread' AND f.object_id IS NOT NULL GROUP BY f.object_id "
        f"ON CONFLICT (thread_id) DO UPDATE SET {merge_threads}",
        params,
    )
    _execute(
        f"INSERT INTO {threads} (thread_id, group_id, department_id, author_id, posted_at, first_reply_at, replies) "  # noqa: S608
        f"SELECT p.thread_id, MAX(t.group_id), 0, MAX(t.author_id), NULL, MIN(f.occurred_at), COUNT(*) "
        f"FROM {source} f JOIN groups_post p ON p.id = f.object_id JOIN groups_thread t ON t.id = p.thread_id "
        f"WHERE {where} AND f.verb = 'replied' AND f.object_type = 'post' AND f.member_id <> t.author_id "
        f"GROUP BY p.thread_id ON CONFLICT (thread_id) DO UPDATE SET {merge_threads}",
        params,
    )


# --- Interactions --------------------------------------------------------------------------------

INTERACTION_SCOPES = (
    ("org", "0", ""),
    ("dept", "f.actor_department_id", "AND f.actor_department_id IS NOT NULL"),
    ("group", "f.group_id", "AND f.group_id IS NOT NULL"),
    ("program", "f.program_id", "AND f.program_id IS NOT NULL"),
    ("series", "f.event_id", "AND f.event_id IS NOT NULL"),
)


def _apply_interactions(d: Dialect, selection: Selection) -> None:
    where, params = selection.where()
    source = "core_interaction"
    day = d.day("f.occurred_at")
    month = d.month("f.occurred_at")
    ties = _in(TIE_KINDS)
    daily = _table(DailyCount)
    for kind, scope, only in INTERACTION_SCOPES:
        _execute(
            f"INSERT INTO {daily} (day, scope_kind, scope_id, metric, value) "  # noqa: S608
            f"SELECT {day}, '{kind}', {scope}, 'i:' || f.kind, COUNT(*) FROM {source} f "
            f"WHERE {where} {only} GROUP BY {day}, {_grouped(scope)}f.kind "
            f"ON CONFLICT (scope_kind, scope_id, day, metric) DO UPDATE SET value = {daily}.value + excluded.value",
            params,
        )
    pairs = _table(DepartmentPairDay)
    _execute(
        f"INSERT INTO {pairs} (day, actor_department_id, other_department_id, ties) "  # noqa: S608
        f"SELECT {day}, COALESCE(f.actor_department_id, 0), COALESCE(f.other_department_id, 0), COUNT(*) "
        f"FROM {source} f WHERE {where} AND f.kind IN {ties} "
        f"GROUP BY {day}, COALESCE(f.actor_department_id, 0), COALESCE(f.other_department_id, 0) "
        f"ON CONFLICT (day, actor_department_id, other_department_id) DO UPDATE SET ties = {pairs}.ties + excluded.ties",
        params,
    )
    member_ties = _table(MemberTie)
    low, high = d.least("f.actor_id", "f.other_id"), d.greatest("f.actor_id", "f.other_id")
    _execute(
        f"INSERT INTO {member_ties} (month, low_id, high_id, weight) "  # noqa: S608
        f"SELECT {month}, {low}, {high}, COUNT(*) FROM {source} f WHERE {where} AND f.kind IN {ties} "
        f"GROUP BY {month}, {low}, {high} "
        f"ON CONFLICT (month, low_id, high_id) DO UPDATE SET weight = {member_ties}.weight + excluded.weight",
        params,
    )
    # Newcomers' first cross-department ties (either side of the interaction), within their first 90 days.
    newcomer_ties = _table(NewcomerTie)
    crossing = (
        f"f.kind IN {ties} AND f.actor_department_id IS NOT NULL AND f.other_department_id IS NOT NULL "
        "AND f.actor_department_id <> f.other_department_id"
    )
    start = "p.start_date" if d.pg else "date(p.start_date)"
    window = (f"p.start_date IS NOT NULL AND {day} >= {start} "
              f"AND {day} < {d.add_days('p.start_date', NEWCOMER_WINDOW_DAYS)}")
    _execute(
        f"INSERT INTO {newcomer_ties} (member_id, partner_id, first_at) "  # noqa: S608
        f"SELECT member_id, partner_id, MIN(at) FROM ("
        f"SELECT f.actor_id AS member_id, f.other_id AS partner_id, f.occurred_at AS at FROM {source} f "
        f"JOIN people_profile p ON p.id = f.actor_id WHERE {where} AND {crossing} AND {window} "
        f"UNION ALL "
        f"SELECT f.other_id, f.actor_id, f.occurred_at FROM {source} f "
        f"JOIN people_profile p ON p.id = f.other_id WHERE {where} AND {crossing} AND {window}"
        f") s WHERE member_id IS NOT NULL GROUP BY member_id, partner_id "
        f"ON CONFLICT (member_id, partner_id) DO UPDATE SET first_at = {d.least(f'{newcomer_ties}.first_at', 'excluded.first_at')}",
        params + params,
    )


# --- Distinct counts per natural period ----------------------------------------------------------


def refresh_period_counts(touched: Iterable[periods.Period]) -> int:
    """Recount, from MemberMonth, the distinct members of each scope in each of these periods."""
    table = _table(PeriodCount)
    source = _table(MemberMonth)
    refreshed = 0
    for period in sorted(set(touched)):
        masks = periods.month_masks(period.start, period.end)
        flags = []
        params: list[Any] = []
        for column in PRESENCE_COLUMNS:
            conditions = []
            for month, mask in masks.items():
                conditions.append(f"(month = %s AND ({column} & %s) <> 0)")
                params += [month, mask]
            flags.append(f"MAX(CASE WHEN {' OR '.join(conditions)} THEN 1 ELSE 0 END) AS {column}")
        sums = ", ".join(f"SUM({c})" for c in PRESENCE_COLUMNS)
        months = sorted(masks)
        _execute(f"DELETE FROM {table} WHERE period_kind = %s AND start = %s", [period.kind, period.start])  # noqa: S608
        _execute(
            f"INSERT INTO {table} (period_kind, start, scope_kind, scope_id, {', '.join(PRESENCE_COLUMNS)}) "  # noqa: S608
            f"SELECT %s, %s, scope_kind, scope_id, {sums} FROM ("
            f"SELECT scope_kind, scope_id, member_id, {', '.join(flags)} FROM {source} "
            f"WHERE month >= %s AND month <= %s GROUP BY scope_kind, scope_id, member_id"
            f") s GROUP BY scope_kind, scope_id HAVING SUM(active) > 0",
            [period.kind, period.start, *params, months[0], months[-1]],
        )
        refreshed += 1
    return refreshed


def _touched_days(source: str, selection: Selection) -> set[dt.date]:
    d = dialect()
    where, params = selection.where()
    rows = _fetch(f"SELECT DISTINCT {d.day('f.occurred_at')} FROM {source} f WHERE {where}", params)  # noqa: S608
    return {row[0] if isinstance(row[0], dt.date) else dt.date.fromisoformat(str(row[0])) for row in rows}


# --- Running -------------------------------------------------------------------------------------


def _missing_ranges(source: str, low: int, high: int) -> list[tuple[int, int]]:
    """Id ranges in (low, high] with no row: facts not committed yet (or never)."""
    if high <= low:
        return []
    present, last = _fetch(f"SELECT COUNT(*), MAX(id) FROM {source} WHERE id > %s AND id <= %s", [low, high])[0]  # noqa: S608
    if present == high - low:
        return []
    if not present:
        return [(low + 1, high)]
    trailing = [(int(last) + 1, high)] if int(last) < high else []
    rows = _fetch(
        f"SELECT previous + 1, id - 1 FROM (SELECT id, LAG(id, 1, %s) OVER (ORDER BY id) AS previous "  # noqa: S608
        f"FROM {source} WHERE id > %s AND id <= %s) s WHERE id - previous > 1",
        [low, low, high],
    )
    return [(int(a), int(b)) for a, b in rows] + trailing


def _state(source: str) -> RollupState:
    state, _created = RollupState.objects.get_or_create(source=source)
    return RollupState.objects.select_for_update().get(pk=state.pk)


def _run_source(source: str, table: str, *, limit: int | None, now: dt.datetime) -> tuple[int, set[dt.date], bool]:
    """Apply the next facts of one ledger table (call inside a transaction). Returns how many facts were
    applied, the days they happened on, and whether more are waiting above the new mark."""
    state = _state(source)
    low = state.high_water
    top = int(_fetch(f"SELECT MAX(id) FROM {table}")[0][0] or 0)  # noqa: S608
    high = top
    if limit:
        # A chunk is ``limit`` facts, not ``limit`` ids: a long run of missing ids costs one step.
        nth = _fetch(f"SELECT id FROM {table} WHERE id > %s ORDER BY id LIMIT 1 OFFSET %s", [low, limit - 1])  # noqa: S608
        high = int(nth[0][0]) if nth else top
    high = max(low, high)
    open_gaps = list(RollupGap.objects.filter(source=source, seen_at__gte=now - GAP_PATIENCE).order_by("low"))
    RollupGap.objects.filter(source=source, seen_at__lt=now - GAP_PATIENCE).delete()
    selection = Selection(low=low, high=high, gaps=tuple((g.low, g.high) for g in open_gaps))
    if selection.empty:
        return 0, set(), False
    where, params = selection.where()
    count = int(_fetch(f"SELECT COUNT(*) FROM {table} f WHERE {where}", params)[0][0])  # noqa: S608
    days = _touched_days(table, selection) if count else set()
    if count:
        d = dialect()
        (_apply_participations if source == PARTICIPATION else _apply_interactions)(d, selection)
    # Gaps: what is still missing inside the old gaps, and the new ones below the new mark.
    still_missing: list[tuple[int, int, dt.datetime]] = []
    for gap in open_gaps:
        for a, b in _missing_ranges(table, gap.low - 1, gap.high):
            still_missing.append((a, b, gap.seen_at))
    for a, b in _missing_ranges(table, low, high):
        still_missing.append((a, b, now))
    RollupGap.objects.filter(pk__in=[g.pk for g in open_gaps]).delete()
    RollupGap.objects.bulk_create([RollupGap(source=source, low=a, high=b, seen_at=seen) for a, b, seen in still_missing])
    state.high_water = high
    if count:
        state.version += 1
    state.updated_at = now
    state.save(update_fields=["high_water", "version", "updated_at"])
    return count, days, high < top


def refresh_newcomers(*, today: dt.date) -> int:
    """Recompute NewcomerStat for everyone who started in the last NEWCOMER_HISTORY_DAYS days: the people
    and their start dates as the directory has them now, their ties as NewcomerTie has them."""
    d = dialect()
    table = _table(NewcomerStat)
    by_day = ", ".join(
        f"SUM(CASE WHEN t.first_at < {d.add_days('p.start_date', days)} THEN 1 ELSE 0 END)" for days in MILESTONES
    )
    with transaction.atomic():
        _execute(f"DELETE FROM {table}")  # noqa: S608
        return _execute(
            f"INSERT INTO {table} (member_id, start_date, department_id, location_id, first_at, by_30, by_60, by_90) "  # noqa: S608
            f"SELECT p.id, p.start_date, p.department_id, p.location_id, MIN(t.first_at), {by_day} "
            f"FROM people_profile p LEFT JOIN {_table(NewcomerTie)} t ON t.member_id = p.id "
            "WHERE p.is_active = %s AND p.start_date >= %s GROUP BY p.id, p.start_date, p.department_id, p.location_id",
            [True, today - dt.timedelta(days=NEWCOMER_HISTORY_DAYS)],
        )


def _mark_dirty(days: set[dt.date]) -> None:
    touched = periods.natural_periods_touching(days)
    DirtyPeriod.objects.bulk_create(
        [DirtyPeriod(period_kind=p.kind, start=p.start) for p in touched], ignore_conflicts=True
    )


def refresh_dirty_periods() -> int:
    with transaction.atomic():
        dirty = list(DirtyPeriod.objects.select_for_update().order_by("start", "period_kind"))
        refreshed = refresh_period_counts(periods.period_of(p.period_kind, p.start) for p in dirty)
        DirtyPeriod.objects.filter(pk__in=[p.pk for p in dirty]).delete()
    return refreshed


def rollups_update(*, chunk: int | None = None, now: dt.datetime | None = None) -> RunReport:
    """Apply every fact not yet rolled up — ``chunk`` ids per table and transaction when given — then recount
    the distinct members of the periods those facts touched."""
    started = time.perf_counter()
    now = now or clock.now()
    report = RunReport()
    more = True
    while more:
        with transaction.atomic():
            participations, days, more_participations = _run_source(PARTICIPATION, "core_participation",
                                                                    limit=chunk, now=now)
            interactions, _days, more_interactions = _run_source(INTERACTION, "core_interaction", limit=chunk, now=now)
            _mark_dirty(days)
        report.participations += participations
        report.interactions += interactions
        more = more_participations or more_interactions
    report.periods_refreshed = refresh_dirty_periods()
    if report.interactions or not NewcomerStat.objects.exists():
        refresh_newcomers(today=now.date())
    report.seconds = time.perf_counter() - started
    if report.participations or report.interactions:
        log.info("insights rollups: %s participations, %s interactions, %s periods in %.2f s",
                 report.participations, report.interactions, report.periods_refreshed, report.seconds)
    return report


def rollups_rebuild(*, chunk: int | None = None) -> RunReport:
    """Recompute every rollup from the whole ledger (after a restore, or to check the incremental job).
    The version keeps counting up, so that nothing cached before the rebuild is served after it."""
    with transaction.atomic():
        for model in ROLLUP_TABLES:
            if model is not RollupState:
                _execute(f"DELETE FROM {_table(model)}")  # noqa: S608
        RollupState.objects.update(high_water=0, version=F("version") + 1)
    return rollups_update(chunk=chunk)


def rollup_version() -> str:
    """Changes whenever rollups change: the key under which dashboards cache what they computed."""
    return ":".join(f"{s}.{v}" for s, v in RollupState.objects.order_by("source").values_list("source", "version"))
