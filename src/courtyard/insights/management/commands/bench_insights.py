"""`courtyard bench_insights`: insights rollups and dashboards over 1 and 10 million activity facts (PostgreSQL).

1. Seeds the members (``--members``, default 100,000, with the people seed) once.
2. Writes activity facts straight in SQL (``INSERT … SELECT … generate_series``, ``setseed`` for the same
   facts each run): 70 % participations, 30 % interactions over the last ``--days`` days; skewed activity
   (a few people do a lot), interactions mostly inside a department (the members' neighbours in
   department order) and otherwise anywhere.
3. For each size (``--sizes``, default 1,000,000 and 10,000,000 facts): a full rollup from scratch
   (``insights_rebuild``'s code path), then the dashboards — each timed ``--requests`` times after warm-up,
   with the dashboard cache off, queries counted — then (at the largest size) an incremental run over one
   day of new facts, late ones included.
4. Prints the figures for bench/README.md.
"""

from __future__ import annotations

import datetime as dt
import random
import statistics
import time
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.test.utils import override_settings

from courtyard.accounts.models import User
from courtyard.insights import models, rollups
from courtyard.people.models import Department, Profile
from courtyard.people.seed import seed_people

PARTICIPATION_SHARE = 0.7
VERB_WEIGHTS = (  # (verb, cumulative share)
    ("visited", 0.42), ("reacted", 0.55), ("replied", 0.66), ("posted", 0.69), ("asked", 0.70),
    ("rsvped", 0.76), ("attended", 0.81), ("no_show", 0.82), ("gave_kudos", 0.85), ("received_kudos", 0.88),
    ("answered_survey", 0.91), ("paired", 0.93), ("met", 0.95), ("joined_group", 0.96), ("shared_resource", 0.97),
    ("voted_idea", 0.98), ("commented_idea", 0.99), ("mentoring_checkin", 1.0),
)
KIND_WEIGHTS = (("reply", 0.4), ("reaction", 0.6), ("co_attendance", 0.75), ("coffee_met", 0.85),
                ("kudos", 0.95), ("mentoring_checkin", 1.0))


def _case(weights: tuple[tuple[str, float], ...], variable: str) -> str:
    parts = " ".join(f"WHEN {variable} < {share} THEN '{word}'" for word, share in weights[:-1])
    return f"CASE {parts} ELSE '{weights[-1][0]}' END"


class Command(BaseCommand):
    help = "Benchmark insights rollups and dashboards over 1M and 10M activity facts (PostgreSQL)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--members", type=int, default=100_000)
        parser.add_argument("--sizes", default="1000000,10000000", help="Fact counts, comma-separated, ascending")
        parser.add_argument("--days", type=int, default=365)
        parser.add_argument("--requests", type=int, default=15)
        parser.add_argument("--warmup", type=int, default=2)
        parser.add_argument("--pages-only", action="store_true",
                            help="Only the dashboards, on the facts and rollups already there")
        parser.add_argument("--incremental-only", action="store_true",
                            help="Only the incremental runs, on the facts and rollups already there")

    def handle(self, *args: Any, members: int, sizes: str, days: int, requests: int, warmup: int,
               incremental_only: bool = False, pages_only: bool = False, **options: Any) -> None:
        if connection.vendor != "postgresql":
            raise CommandError("Set DATABASE_URL to a PostgreSQL database: this benchmark writes facts with "
                               "generate_series.")
        call_command("migrate", verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)  # pages use the production manifest
        self._people(members)
        targets = [int(s) for s in sizes.split(",")]
        if incremental_only:
            self._incremental(days=days, per_day=targets[-1] // days)
            return
        if pages_only:
            self._analyze()
            self._dashboards(requests=requests, warmup=warmup)
            return
        self._clear_facts()
        results = []
        for target in targets:
            current = self._count()
            if current < target:
                started = time.perf_counter()
                self._write_facts(target - current, days=days, seed=current + 1)
                self.stdout.write(f"wrote {target - current:,} facts in {time.perf_counter() - started:.1f} s")
            self._analyze()
            started = time.perf_counter()
            report = rollups.rollups_rebuild(chunk=2_000_000)
            full = time.perf_counter() - started
            self._analyze()
            self.stdout.write(f"{target:,} facts: full rollup {full:.1f} s ({report.periods_refreshed} periods)")
            pages = self._dashboards(requests=requests, warmup=warmup)
            results.append({"facts": target, "full": full, "pages": pages, "rows": self._rollup_rows()})
        incremental = self._incremental(days=days, per_day=targets[-1] // days)
        self._report(results, incremental)

    # --- data ----------------------------------------------------------------------------------

    def _people(self, members: int) -> None:
        if Profile.objects.filter(is_active=True).count() >= members * 0.95:
            return
        started = time.perf_counter()
        seed_people(size=members, rng=random.Random("42:people"))  # noqa: S311 - demo data
        self.stdout.write(f"seeded {members:,} people in {time.perf_counter() - started:.1f} s")

    def _clear_facts(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE core_participation, core_interaction RESTART IDENTITY")

    def _count(self) -> int:
        with connection.cursor() as cursor:
            cursor.execute("SELECT (SELECT COUNT(*) FROM core_participation) + (SELECT COUNT(*) FROM core_interaction)")
            return int(cursor.fetchone()[0])

    def _analyze(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")

    def _write_facts(self, count: int, *, days: int, seed: int, since_days: float | None = None,
                     late_share: float = 0.0) -> None:
        """``count`` facts in SQL. Time: uniform over the last ``days`` days, or the last ``since_days``
        (a day of new facts) with ``late_share`` of them dated anywhere in the past (late arrivals)."""
        participations = int(count * PARTICIPATION_SHARE)
        interactions = count - participations
        if since_days is None:
            when = f"now() - random() * interval '{int(days)} days'"
        else:
            when = (f"CASE WHEN random() < {late_share} THEN now() - random() * interval '{int(days)} days' "
                    f"ELSE now() - random() * interval '{float(since_days)} days' END")
        people = ("WITH people AS (SELECT array_agg(id ORDER BY department_id, id) AS ids, "
                  "array_agg(department_id ORDER BY department_id, id) AS depts, COUNT(*) AS n "
                  "FROM people_profile WHERE is_active), "
                  "grp AS (SELECT COALESCE(array_agg(id ORDER BY id), ARRAY[]::bigint[]) AS ids, COUNT(*) AS n "
                  "FROM groups_group) ")
        # Skewed activity: index = n · u² (a few people do much); the order is by department, so a
        # neighbour is usually a colleague of the same department.
        with connection.cursor() as cursor:
            cursor.execute("SELECT setseed(%s)", [((seed * 7919) % 10_000) / 10_000.0])
            # Vocabulary words and numbers built here, no input: S608 does not apply.
            cursor.execute(
                people  # noqa: S608
                + "INSERT INTO core_participation (member_id, verb, occurred_at, department_id, group_id, event_id, "  # noqa: S608
                "program_id, object_type, object_id) "
                "SELECT people.ids[i], v, t, people.depts[i], "
                "CASE WHEN v IN ('reacted', 'replied', 'posted', 'asked', 'joined_group', 'shared_resource') "
                "AND grp.n > 0 THEN grp.ids[(1 + (i %% grp.n))::int] END, "
                "CASE WHEN v IN ('rsvped', 'attended', 'no_show') THEN 1 + (i * 7 + (extract(doy FROM t)::int)) %% 20000 END, "
                "CASE WHEN v IN ('paired', 'met') THEN 1 + i %% 5 END, '', NULL "
                "FROM (SELECT 1 + floor(power(random(), 2) * people.n)::int AS i, "
                f"{_case(VERB_WEIGHTS, 'random()')} AS v, {when} AS t "
                "FROM generate_series(1, %s), people) s, people, grp",
                [participations],
            )
            cursor.execute(
                people  # noqa: S608
                + "INSERT INTO core_interaction (actor_id, other_id, kind, occurred_at, actor_department_id, "  # noqa: S608
                "other_department_id, group_id, event_id, program_id) "
                "SELECT people.ids[i], people.ids[j], k, t, people.depts[i], people.depts[j], NULL, NULL, NULL "
                "FROM (SELECT i, CASE WHEN random() < 0.7 THEN LEAST(people.n, GREATEST(1, i + o)) "
                "ELSE 1 + floor(random() * people.n)::int END AS j, k, t FROM ("
                "SELECT 1 + floor(power(random(), 2) * people.n)::int AS i, "
                "(CASE WHEN random() < 0.5 THEN 1 ELSE -1 END) * (1 + floor(random() * 40)::int) AS o, "
                f"{_case(KIND_WEIGHTS, 'random()')} AS k, {when} AS t "
                "FROM generate_series(1, %s), people) a, people) s, people WHERE i <> j",
                [interactions],
            )

    def _rollup_rows(self) -> dict[str, int]:
        tables = (models.MemberMonth, models.PeriodCount, models.DailyCount, models.DepartmentPairDay, models.MemberTie)
        return {m.__name__: m.objects.count() for m in tables}

    # --- measurements --------------------------------------------------------------------------

    def _dashboards(self, *, requests: int, warmup: int) -> dict[str, dict[str, float]]:
        admin = User.objects.filter(is_staff=True, is_active=True).order_by("pk").first()
        if admin is None:
            raise CommandError("No admin among the seeded people.")
        department = Department.objects.order_by("-members__id").values_list("pk", flat=True).first()
        scenarios = {
            "dashboard, organization, month": "/insights/?period=month",
            "dashboard, organization, quarter": "/insights/?period=quarter",
            f"dashboard, department {department}, month": f"/insights/?period=month&scope=dept:{department}",
            "dashboard, organization, custom 90 days": "/insights/?period=custom&start={}&end={}",
            "silo map, quarter (top-level departments)": "/insights/silo/?period=quarter",
            "API kpis, organization, month": "/api/insights/kpis?period=month",
        }
        today = dt.date.today()
        scenarios["dashboard, organization, custom 90 days"] = scenarios[
            "dashboard, organization, custom 90 days"].format(today - dt.timedelta(days=89), today)
        client = Client()
        client.force_login(admin)
        results: dict[str, dict[str, float]] = {}
        with override_settings(INSIGHTS_CACHE_SECONDS=0, ALLOWED_HOSTS=["*"]):
            for name, url in scenarios.items():
                for _ in range(warmup):
                    self._check(client.get(url), url)
                queries: list[str] = []

                def count(execute: Any, sql: str, params: Any, many: bool, context: Any,
                          seen: list[str] = queries) -> Any:
                    seen.append(sql)
                    return execute(sql, params, many, context)

                with connection.execute_wrapper(count):
                    client.get(url)
                timings = []
                for _ in range(requests):
                    started = time.perf_counter()
                    response = client.get(url)
                    timings.append((time.perf_counter() - started) * 1000)
                    self._check(response, url)
                timings.sort()
                results[name] = {"queries": len(queries), "median": statistics.median(timings),
                                 "p95": timings[min(len(timings) - 1, round(0.95 * (len(timings) - 1)))]}
                self.stdout.write(f"  {name}: {results[name]['queries']} queries, median "
                                  f"{results[name]['median']:.0f} ms, p95 {results[name]['p95']:.0f} ms")
            with override_settings(INSIGHTS_CACHE_SECONDS=300):
                client.get("/insights/?period=month")
                timings = []
                for _ in range(requests):
                    started = time.perf_counter()
                    client.get("/insights/?period=month")
                    timings.append((time.perf_counter() - started) * 1000)
                results["dashboard, organization, month (cached)"] = {
                    "queries": 0, "median": statistics.median(timings), "p95": sorted(timings)[-1]}
        return results

    @staticmethod
    def _check(response: Any, url: str) -> None:
        if response.status_code != 200:
            raise CommandError(f"{url} answered {response.status_code}")

    def _incremental(self, *, days: int, per_day: int) -> dict[str, float]:
        """A day of new facts (dated today), then the same with 1 % of them late (dated in the last 30 days),
        then a day in which 1 % are dated anywhere in the year: what each costs the five-minute job."""
        rollups.rollups_update()
        results: dict[str, float] = {}
        for name, since, late, spread in (("today", 1.0, 0.0, days), ("late_month", 1.0, 0.01, 30),
                                          ("late_year", 1.0, 0.01, days)):
            self._write_facts(per_day, days=spread, seed=len(results) + 99, since_days=since, late_share=late)
            started = time.perf_counter()
            report = rollups.rollups_update(chunk=500_000)
            seconds = time.perf_counter() - started
            results[name] = seconds
            results[f"{name}_periods"] = report.periods_refreshed
            self.stdout.write(f"incremental ({name}): {per_day:,} facts in {seconds:.1f} s, "
                              f"{report.periods_refreshed} periods recounted")
        results["facts"] = per_day
        return results

    def _report(self, results: list[dict[str, Any]], incremental: dict[str, float]) -> None:
        self.stdout.write("\n| facts | full rollup | " + " | ".join(results[0]["rows"]) + " |")
        for r in results:
            self.stdout.write(f"| {r['facts']:,} | {r['full']:.1f} s | "
                              + " | ".join(f"{v:,}" for v in r["rows"].values()) + " |")
        if len(results) > 1:
            self.stdout.write(f"growth: {results[-1]['full'] / results[0]['full']:.1f}× the time for "
                              f"{results[-1]['facts'] / results[0]['facts']:.0f}× the facts")
        self.stdout.write("\n| page | " + " | ".join(f"{r['facts']:,} facts: queries, median, p95" for r in results) + " |")
        for name in results[0]["pages"]:
            cells = []
            for r in results:
                page = r["pages"].get(name)
                cells.append("—" if page is None else
                             f"{int(page['queries'])}, {page['median']:.0f} ms, {page['p95']:.0f} ms")
            self.stdout.write(f"| {name} | " + " | ".join(cells) + " |")
        for name in ("today", "late_month", "late_year"):
            self.stdout.write(f"incremental ({name}): {int(incremental['facts']):,} facts in {incremental[name]:.1f} s "
                              f"({int(incremental[name + '_periods'])} periods recounted)")
