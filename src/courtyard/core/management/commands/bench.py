"""`courtyard bench`: server time and queries per request of the directory and the people API.

Runs on the database in DATABASE_URL (SQLite under COURTYARD_VAR_DIR when unset). Seeds the large
member set once (100,000 people, ``--members`` to change it) and reuses it on later runs. Every
scenario, plus a bare "hello" view through the same middleware, is requested in turn (round-robin,
so machine noise hits all of them alike) through Django's test Client as a signed-in member.
Server time = the whole request through the middleware stack, view and template, in this process.
Queries per request are counted on the warm-up requests (CaptureQueriesContext), which are not
timed: capturing queries makes requests slower. See bench/README.md.
"""

from __future__ import annotations

import argparse
import dataclasses
import math
import platform
import statistics
import sys
import time
import types
from typing import Any
from urllib.parse import urlencode

import django
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import include, path

from courtyard.accounts.models import User
from courtyard.people.models import Department, Location, Profile
from courtyard.people.seed import seeded_profiles
from courtyard.people.selectors import DirectoryQuery, directory_slice

SPEED_GOAL_MS = 50.0
INTEREST_WORDS = ("climbing", "jazz", "chess", "photography", "gardening", "cooking", "sourdough", "opera")
NAME_WORDS = ("sofia", "kim", "patel", "müller", "chen", "garcia", "oliv", "nguyen")


def hello(request: HttpRequest) -> HttpResponse:
    return HttpResponse("hello", content_type="text/plain")


def bench_urlconf() -> types.ModuleType:
    """The project's URLs plus the bare view, without touching the project's urls.py."""
    module = types.ModuleType("courtyard_bench_urls")
    module.urlpatterns = [  # type: ignore[attr-defined]
        path("__bench__/hello/", hello),
        path("", include("courtyard.config.urls")),
    ]
    return module


@dataclasses.dataclass
class Scenario:
    name: str
    urls: list[str]
    query: DirectoryQuery | None = None  # to report how many people match
    durations: list[float] = dataclasses.field(default_factory=list)
    query_counts: set[int] = dataclasses.field(default_factory=set)
    matches: int | None = None

    def url(self, i: int) -> str:
        return self.urls[i % len(self.urls)]


def directory_url(prefix: str, **params: Any) -> str:
    clean = {key: value for key, value in params.items() if value not in (None, "", False)}
    return prefix + ("?" + urlencode(clean) if clean else "")


def people_scenarios() -> list[Scenario]:
    engineering = Department.objects.get(path="Engineering")
    berlin = Location.objects.get(name="Berlin")
    page, api = "/people/", "/api/people/"
    return [
        Scenario("bare view (hello, same middleware)", ["/__bench__/hello/"]),
        Scenario("directory: no query", [page], DirectoryQuery()),
        Scenario(
            "directory: q=<interest> (8 words)",
            [directory_url(page, q=word) for word in INTEREST_WORDS],
            DirectoryQuery(q=INTEREST_WORDS[0]),
        ),
        Scenario("directory: q=running (top interest)", [directory_url(page, q="running")], DirectoryQuery(q="running")),
        Scenario(
            "directory: q=<name> (8 names)",
            [directory_url(page, q=word) for word in NAME_WORDS],
            DirectoryQuery(q=NAME_WORDS[0]),
        ),
        Scenario(
            "directory: q=<interest>+dept+location",
            [directory_url(page, q=word, department=engineering.pk, location=berlin.pk) for word in INTEREST_WORDS],
            DirectoryQuery(q=INTEREST_WORDS[0], department=engineering.pk, location=berlin.pk),
        ),
        Scenario(
            "directory: interest+dept filters",
            [directory_url(page, interest="board games", department=engineering.pk)],
            DirectoryQuery(interest="board-games", department=engineering.pk),
        ),
        Scenario(
            "directory: newcomers", [directory_url(page, newcomer="on")], DirectoryQuery(newcomer=True)
        ),
        Scenario("api: no query", [api], DirectoryQuery()),
        Scenario(
            "api: q=<interest> (8 words)",
            [directory_url(api, q=word) for word in INTEREST_WORDS],
            DirectoryQuery(q=INTEREST_WORDS[0]),
        ),
        Scenario(
            "api: interest+dept filters",
            [directory_url(api, interest="board-games", department=engineering.pk)],
            DirectoryQuery(interest="board-games", department=engineering.pk),
        ),
    ]


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


class Command(BaseCommand):
    help = "Benchmark directory search and the people API on DATABASE_URL (seeds 100,000 members once)."

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--members", type=int, default=100_000, help="Size of the seeded organization")
        parser.add_argument("--requests", type=int, default=200, help="Timed requests per scenario (default 200)")
        parser.add_argument("--warmup", type=int, default=5, help="Untimed requests per scenario, to count queries")
        parser.add_argument("--seed", type=int, default=42)

    def handle(self, *args: Any, members: int, requests: int, warmup: int, seed: int, **options: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)  # pages use the production manifest
        self._ensure_seed(members, seed)
        with connection.cursor() as cursor:
            # Statistics and visibility map as autovacuum would leave them after a bulk load, so that
            # plans (and index-only counts) are those of a database in service, not of a fresh import.
            cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
        user = (
            User.objects.filter(email__endswith="@northwind.example", is_staff=False, profile__is_active=True)
            .order_by("pk")
            .first()
        )
        if user is None:
            raise CommandError("No seeded member to sign in as.")
        with override_settings(ROOT_URLCONF=bench_urlconf(), DEBUG=False):
            client = Client(raise_request_exception=True)
            client.force_login(user)
            scenarios = people_scenarios()
            for scenario in scenarios:
                if scenario.query is not None:
                    scenario.matches = directory_slice(scenario.query, offset=0, limit=1)[0]
                self._warm_up(client, scenario, warmup)
            started = time.perf_counter()
            for i in range(requests):
                for scenario in scenarios:
                    url = scenario.url(i)
                    begin = time.perf_counter()
                    response = client.get(url)
                    scenario.durations.append((time.perf_counter() - begin) * 1000)
                    if response.status_code != 200:
                        raise CommandError(f"{url} answered {response.status_code}")
            elapsed = time.perf_counter() - started
        self._report(scenarios, members, requests, elapsed)

    def _ensure_seed(self, members: int, seed: int) -> None:
        total = Profile.objects.count()
        seeded = seeded_profiles().count()
        if seeded == members and total == seeded:
            self.stdout.write(f"Reusing the seeded organization of {members:,} people.")
            return
        if total > seeded:
            raise CommandError(
                f"This database holds {total - seeded:,} people who were not seeded: "
                "benchmark on a database of its own (DATABASE_URL)."
            )
        call_command("seed", size=str(members), seed=seed, force=True)

    def _warm_up(self, client: Client, scenario: Scenario, warmup: int) -> None:
        for i in range(max(1, warmup)):
            with CaptureQueriesContext(connection) as captured:
                response = client.get(scenario.url(i))
            if response.status_code != 200:
                raise CommandError(f"{scenario.url(i)} answered {response.status_code}")
            if i > 0 or warmup == 1:  # the very first request also stores the session's time zone
                scenario.query_counts.add(len(captured))

    def _report(self, scenarios: list[Scenario], members: int, requests: int, elapsed: float) -> None:
        vendor = connection.vendor
        with connection.cursor() as cursor:
            cursor.execute("SELECT version()" if vendor == "postgresql" else "SELECT sqlite_version()")
            version = str(cursor.fetchone()[0]).split(" on ")[0]
        bare = statistics.median(scenarios[0].durations)
        self.stdout.write("")
        self.stdout.write(
            f"Database: {vendor} ({version}); {members:,} members; {requests} timed requests per scenario, "
            f"round-robin, one at a time; Python {platform.python_version()}, Django {django.get_version()}; "
            f"{elapsed:.0f} s"
        )
        header = f"{'scenario':<40} {'matches':>8} {'queries':>8} {'median ms':>10} {'p95 ms':>8} {'ratio':>6}  goal"
        self.stdout.write(header)
        self.stdout.write("-" * len(header))
        for scenario in scenarios:
            median = statistics.median(scenario.durations)
            p95 = percentile(scenario.durations, 0.95)
            queries = "/".join(str(n) for n in sorted(scenario.query_counts))
            matches = f"{scenario.matches:,}" if scenario.matches is not None else "-"
            goal = "" if scenario is scenarios[0] else ("ok" if p95 <= SPEED_GOAL_MS else "SLOW")
            self.stdout.write(
                f"{scenario.name:<40} {matches:>8} {queries:>8} {median:>10.1f} {p95:>8.1f} {bare / median:>6.2f}  {goal}"
            )
        self.stdout.write("")
        self.stdout.write(
            "queries: per request, including the session and user lookups; ratio: bare median / scenario median "
            f"(throughput relative to the bare view); goal: p95 <= {SPEED_GOAL_MS:.0f} ms (QUALITY.md)."
        )
        sys.stdout.flush()
