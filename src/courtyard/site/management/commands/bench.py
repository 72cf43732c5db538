"""`courtyard bench`: server time and queries per request of the directory, the people API, groups and discussions.

Runs on the database in DATABASE_URL (SQLite under COURTYARD_VAR_DIR when unset). Seeds the large
member set once (100,000 people, ``--members`` to change it) and their groups and discussions
(2,000 groups, 1,000,000 replies, ``--posts`` to change it), and reuses them on later runs. Every
scenario, plus a bare "hello" view through the same middleware, is requested in turn (round-robin,
so machine noise hits all of them alike) through Django's test Client as a signed-in member.
Server time = the whole request through the middleware stack, view and template, in this process.
Queries per request are counted on the warm-up requests (CaptureQueriesContext), which are not
timed: capturing queries makes requests slower. See bench/README.md.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import math
import platform
import statistics
import sys
import threading
import time
import types
from typing import Any
from urllib.parse import urlencode

import django
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, connections
from django.db.models import Count as models_count
from django.db.models import F, Func, Sum
from django.http import HttpRequest, HttpResponse
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import include, path

from courtyard.accounts.models import User
from courtyard.core import clock
from courtyard.core.seeding import SeedContext
from courtyard.events.models import Event, Occurrence, Rsvp
from courtyard.events.seed import rsvp_count
from courtyard.groups.models import Group, Thread
from courtyard.groups.seed import post_count
from courtyard.groups.selectors import POSTS_PER_PAGE
from courtyard.people.models import Department, Location
from courtyard.people.selectors import DirectoryQuery, directory_slice
from courtyard.site.seeding import seeder, tqdm_progress

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
    matches: int | None = None
    durations: list[float] = dataclasses.field(default_factory=list)
    query_counts: set[int] = dataclasses.field(default_factory=set)

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


def groups_scenarios() -> list[Scenario]:
    """The busiest open group, the longest thread of an open group (first and last page), browsing, the API."""
    open_groups = Group.objects.filter(read_access=Group.ReadAccess.ORGANIZATION, join_policy=Group.JoinPolicy.OPEN,
                                       archived_at__isnull=True)
    busy = open_groups.order_by("-thread_count", "pk").first()
    thread = (
        Thread.objects.filter(group__in=open_groups, deleted_at__isnull=True)
        .select_related("group")
        .order_by("-reply_count", "pk")
        .first()
    )
    if busy is None or thread is None:
        raise CommandError("No open group with discussions to benchmark.")
    last_page = max(1, math.ceil(thread.reply_count / POSTS_PER_PAGE))
    page = f"/groups/{thread.group.slug}/threads/{thread.pk}/"
    api_thread = f"/api/discussions/threads/{thread.pk}"
    return [
        Scenario("group page: busiest (threads)", [f"/groups/{busy.slug}/"], matches=busy.thread_count),
        Scenario("group page: busiest, page 40", [f"/groups/{busy.slug}/?page=40"], matches=busy.thread_count),
        Scenario("thread: longest, page 1 (replies)", [page], matches=thread.reply_count),
        Scenario(f"thread: longest, last page ({last_page})", [f"{page}?page={last_page}"], matches=thread.reply_count),
        Scenario("groups browse", ["/groups/"], matches=open_groups.count()),
        Scenario("groups browse: q=running", ["/groups/?q=running"]),
        Scenario("api: groups list", ["/api/groups/"], matches=open_groups.count()),
        Scenario("api: group threads (busiest)", [f"/api/groups/{busy.slug}/threads"], matches=busy.thread_count),
        Scenario("api: thread detail, page 1", [api_thread], matches=thread.reply_count),
        Scenario(f"api: thread detail, page {last_page}", [f"{api_thread}?page={last_page}"], matches=thread.reply_count),
        Scenario("home feed (groups + follows)", ["/"]),
        Scenario(
            "search: q=<word> (6 words)",
            [f"/search/?q={w}" for w in ("python", "meetup", "checklist", "sourdough", "retro", "photos")],
        ),
        Scenario("search: q=<two words>", ["/search/?q=launch+checklist", "/search/?q=upgrade+notes"]),
        Scenario("api: search q=<word>", ["/api/search/?q=python", "/api/search/?q=meetup"]),
    ]


def events_scenarios() -> list[Scenario]:
    """Events: the lists, the month, and the page of a date with about 2,000 answers (and of the busiest date)."""
    public = Occurrence.objects.filter(event__visibility=Event.Visibility.ORGANIZATION, event__group__isnull=True,
                                       cancelled_at__isnull=True)
    answers = F("going_count") + F("maybe_count") + F("waitlist_count")
    near = public.annotate(answers=answers, distance=Func(answers - 2000, function="ABS")).order_by("distance", "pk").first()
    busiest = public.annotate(answers=answers).order_by("-answers", "pk").first()
    if near is None or busiest is None:
        raise CommandError("No seeded event to benchmark.")
    page = f"/events/{near.event_id}/{near.pk}/"
    api = f"/api/events/occurrences/{near.pk}"
    return [
        Scenario("events: upcoming list", ["/events/"], matches=Occurrence.objects.count()),
        Scenario("events: this week", ["/events/?when=week"]),
        Scenario("events: past list", ["/events/?when=past"]),
        Scenario("events: filtered (kind, online)", ["/events/?kind=workshop&format=virtual"]),
        Scenario("events: month calendar", ["/events/calendar/"]),
        Scenario("event page: ~2,000 answers", [page], matches=near.answers),
        Scenario("event page: busiest date", [f"/events/{busiest.event_id}/{busiest.pk}/"],
                 matches=busiest.answers),
        Scenario("api: events list", ["/api/events/"]),
        Scenario("api: date, ~2,000 answers", [api], matches=near.answers),
        Scenario("api: attendees, ~2,000 answers", [f"{api}/attendees"], matches=near.answers),
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
        parser.add_argument("--posts", type=int, default=None, help="Replies in the seeded discussions (default: 1,000,000 for 100,000 members)")
        parser.add_argument("--only", choices=("all", "people", "groups", "events"), default="all", help="Which scenarios to run")
        parser.add_argument("--writers", type=int, default=8, help="Parallel members answering one event (events)")

    def handle(
        self, *args: Any, members: int, requests: int, warmup: int, seed: int, posts: int | None, only: str,
        writers: int = 8, **options: Any,
    ) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)  # pages use the production manifest
        self._ensure_seed(members, seed)
        self._ensure_groups(members, seed, post_count(members) if posts is None else posts)
        if only in ("groups", "all"):
            self._ensure_search_index()
        if only in ("events", "all"):
            self._ensure_events(members, seed)
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
            if only in ("groups", "events"):
                scenarios = scenarios[:1]
            if only in ("all", "groups"):
                scenarios += groups_scenarios()
            if only in ("all", "events"):
                scenarios += events_scenarios()
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
        if only in ("events", "all"):
            self._bench_rsvp_writes(writers=writers, rounds=max(10, requests // 4))

    def _context(self, members: int, seed: int, **options: Any) -> SeedContext:
        """What the seeders get here: the same streams as ``courtyard seed`` (same ``--seed``, same data)."""
        return SeedContext(seed=seed, members=members, progress_bar=tqdm_progress(disable=False), options=options)

    def _ensure_seed(self, members: int, seed: int) -> None:
        counts = seeder("people").counts()
        total, seeded = counts["people"], counts["seeded"]
        if seeded == members and total == seeded:
            self.stdout.write(f"Reusing the seeded organization of {members:,} people.")
            return
        if total > seeded:
            raise CommandError(
                f"This database holds {total - seeded:,} people who were not seeded: "
                "benchmark on a database of its own (DATABASE_URL)."
            )
        call_command("seed", size=str(members), seed=seed, force=True)

    def _ensure_groups(self, members: int, seed: int, posts: int) -> None:
        """Seeded discussions of about the wanted size are reused; otherwise they are seeded again."""
        groups = seeder("groups")
        present = groups.counts()["posts"]
        if present and abs(present - posts) <= posts * 0.05:
            self.stdout.write(f"Reusing the seeded groups and their {present:,} replies.")
            return
        ctx = self._context(members, seed, posts=posts)
        self._write(groups.delete_seeded(ctx).headline)
        report = groups.seed(ctx)
        self._write(report.headline, *report.details, "  (search index not rebuilt: `courtyard reindex`)")

    def _ensure_search_index(self) -> None:
        """The benchmark's search scenarios need the index; it is built once and reused."""
        search = seeder("search")
        if search.counts()["documents"]:
            self.stdout.write("Reusing the search index.")
            return
        self._write(search.seed(SeedContext(seed=0, members=0, progress_bar=tqdm_progress(disable=False))).headline)

    def _ensure_events(self, members: int, seed: int) -> None:
        """Seeded events of about the wanted size (20,000 events, 500,000 answers for 100,000 members) are reused."""
        events = seeder("events")
        wanted = rsvp_count(members)
        present = events.counts()["rsvps"]
        if present and abs(present - wanted) <= wanted * 0.1:
            self.stdout.write(f"Reusing the seeded events and their {present:,} answers.")
            return
        report = events.seed(self._context(members, seed))  # deletes an earlier seed's events first
        self._write(report.headline, *report.details)

    def _write(self, *lines: str) -> None:
        for line in lines:
            if line:
                self.stdout.write(line)

    def _bench_rsvp_writes(self, *, writers: int, rounds: int) -> None:
        """The RSVP write path under concurrency: ``writers`` members, each with its own connection (a thread) and
        session, answer going / not going in turn on the same upcoming date with few seats, through the page's
        POST. Every answer takes the date's row lock, so this measures the queue on that lock. Afterwards the
        seats must add up and never pass the capacity."""
        occurrence = (
            Occurrence.objects.filter(start_at__gt=clock.now() + dt.timedelta(days=2), cancelled_at__isnull=True,
                                      event__visibility=Event.Visibility.ORGANIZATION, event__group__isnull=True,
                                      event__rsvp_closes_hours__isnull=True, event__questions__isnull=True)
            .order_by("start_at", "pk").first()
        )
        if occurrence is None:
            raise CommandError("No upcoming public event to answer.")
        taken = occurrence.seats_taken
        Occurrence.objects.filter(pk=occurrence.pk).update(capacity=taken + max(1, writers // 2))
        answered = Rsvp.objects.filter(occurrence=occurrence).values("profile__user_id")
        users = list(
            User.objects.filter(email__endswith="@northwind.example", is_active=True, profile__is_active=True)
            .exclude(pk__in=answered).order_by("pk")[:writers]
        )
        url = f"/events/{occurrence.event_id}/{occurrence.pk}/rsvp/"
        durations: list[float] = []
        queries: set[int] = set()
        errors: list[str] = []
        barrier = threading.Barrier(len(users))
        lock = threading.Lock()

        def run(user: User) -> None:
            try:
                client = Client()
                client.force_login(user)
                client.get("/healthz")
                barrier.wait(timeout=60)
                mine = []
                for i in range(rounds):
                    begin = time.perf_counter()
                    response = client.post(url, {"status": "going" if i % 2 == 0 else "not_going"})
                    mine.append((time.perf_counter() - begin) * 1000)
                    if response.status_code != 302:
                        errors.append(f"{response.status_code}")
                with lock:
                    durations.extend(mine)
            except Exception as exc:  # noqa: BLE001 - reported below
                errors.append(repr(exc))
            finally:
                connections.close_all()

        with override_settings(ROOT_URLCONF=bench_urlconf(), DEBUG=False):
            probe = Client()
            probe.force_login(users[0])
            probe.get("/healthz")
            for status in ("going", "not_going"):
                with CaptureQueriesContext(connection) as captured:
                    probe.post(url, {"status": status})
                queries.add(len(captured))
            threads = [threading.Thread(target=run, args=(user,)) for user in users]
            started = time.perf_counter()
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            elapsed = time.perf_counter() - started
        occurrence.refresh_from_db()
        parties = Rsvp.objects.filter(occurrence=occurrence, status="going").aggregate(
            people=models_count("pk"), guests=Sum("guests"))
        seats = (parties["people"] or 0) + (parties["guests"] or 0)
        safe = seats == occurrence.seats_taken and (occurrence.capacity is None or seats <= occurrence.capacity)
        self.stdout.write("")
        self.stdout.write(
            f"RSVP write path under concurrency: {len(users)} members at once on one date ({occurrence.capacity} seats, "
            f"{occurrence.going_count:,} going), {rounds} answers each through POST {url}"
        )
        if durations:
            self.stdout.write(
                f"  {len(durations):,} answers in {elapsed:.1f} s = {len(durations) / elapsed:.0f} answers/s; server time "
                f"median {statistics.median(durations):.1f} ms, p95 {percentile(durations, 0.95):.1f} ms; queries per "
                f"answer {'/'.join(str(n) for n in sorted(queries))}; seats add up and within capacity: {safe}"
            )
        if errors or not safe:
            raise CommandError(f"RSVP writes failed: {errors[:5]} (seats right: {safe})")

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
            f"(throughput relative to the bare view); goal: p95 <= {SPEED_GOAL_MS:.0f} ms, the speed goal for main pages."
        )
        sys.stdout.flush()
