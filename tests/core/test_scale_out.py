"""Scale-out on one machine: two app servers and two workers on one PostgreSQL and one Redis.

Real processes, started the way production starts them (`courtyard serve`, `courtyard worker`), against the
test database and the Redis of REDIS_URL:

- the periodic schedule: two consumers both enqueue every periodic job at every matching minute (each
  runs Huey's scheduler); every job still runs exactly once per period, in either worker;
- the app servers: a session made by signing in on one server is valid on the other, the sign-in rate limit
  counts attempts on both, a photo uploaded through one is served by the other, and /metrics adds up the
  requests of all gunicorn processes of a server.

CI runs these in its PostgreSQL + Redis pass; elsewhere they skip (or fail with COURTYARD_REQUIRE_SERVICES=1).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests
from django.db import connection
from django.utils.module_loading import autodiscover_modules
from huey import RedisHuey
from huey.contrib.djhuey import HUEY

from courtyard.core.models import ScheduledRun
from courtyard.people.models import Profile
from tests.conftest import REQUIRE_SERVICES
from tests.core.test_metrics import sample
from tests.factories import PASSWORD, make_profile
from tests.helpers import image_bytes

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

# Starting Django takes a second or two; much longer on a machine shared with other heavy work.
STARTUP = 120
COURTYARD = str(Path(sys.executable).parent / "courtyard")
REDIS_URL = os.environ.get("REDIS_URL", "")
TOO_MANY = "Too many failed login attempts"
# A day of the simulated schedule, far from the real clock (the consumers' own schedulers also run).
DAY = dt.datetime(2031, 6, 2)
# An hour with every nightly job (02:40, 02:41, 03:17), every hourly one and the 5- and 15-minute ones,
# plus the morning survey reminder (09:05).
MINUTES = [DAY + dt.timedelta(hours=2, minutes=30 + m) for m in range(60)] + [
    DAY + dt.timedelta(hours=9, minutes=m) for m in range(10)
] + [DAY + dt.timedelta(hours=6, minutes=17), DAY + dt.timedelta(hours=8, minutes=47)]  # welcome's daily jobs


@pytest.fixture(autouse=True)
def _services():
    # CI's SQLite pass skips these, as every PostgreSQL test; its PostgreSQL pass has Redis too.
    if connection.vendor != "postgresql":
        pytest.skip("scale-out is proven on PostgreSQL with Redis (set DATABASE_URL and REDIS_URL)")
    if not REDIS_URL:
        if REQUIRE_SERVICES:
            pytest.fail("scale-out on PostgreSQL needs REDIS_URL too")
        pytest.skip("scale-out is proven on PostgreSQL with Redis (set REDIS_URL)")


def database_url() -> str:
    """The test database (what the test's own connection uses), for the processes we start."""
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "") + "@" if s["USER"] else ""
    return f"postgres://{auth}{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def process_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("PYTEST", "PROMETHEUS"))}
    env.update(
        DJANGO_SETTINGS_MODULE="courtyard.config.settings", DATABASE_URL=database_url(), REDIS_URL=REDIS_URL,
        SECRET_KEY="scale-out-test-" + "k" * 40, COURTYARD_VAR_DIR=str(tmp_path / "var"),
        MEDIA_ROOT=str(tmp_path / "media"),  # shared storage: one folder here, NFS or a volume in production
        EMAIL_URL="dummy://", LOG_LEVEL="INFO", HUEY_IMMEDIATE="0", PYTHONUNBUFFERED="1",
    )
    env.update(extra)
    return env


def start(args: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(  # noqa: S603 - our own command
        [COURTYARD, *args], env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT, start_new_session=True
    )


def stop(processes: list[subprocess.Popen[bytes]]) -> None:
    for process in processes:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
    for process in processes:
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


def wait_for(predicate, timeout: float, what: str, logs: list[Path]) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    tails = "\n".join(f"--- {log.name}\n{log.read_text(errors='replace')[-3000:]}" for log in logs)
    pytest.fail(f"timed out waiting for {what}\n{tails}")


# --- workers: the periodic schedule ------------------------------------------------------------------

SCHEDULER = """
import datetime as dt, sys, django
django.setup()
from django.utils.module_loading import autodiscover_modules  # as `courtyard worker` loads every app's tasks
autodiscover_modules("tasks")
from huey.consumer import Scheduler
from huey.contrib.djhuey import HUEY
scheduler = Scheduler(HUEY, stop_flag=None, interval=1, periodic=True)
for minute in sys.argv[1:]:
    scheduler.enqueue_periodic_tasks(dt.datetime.fromisoformat(minute))
"""


@pytest.fixture
def redis_queue() -> Iterator[RedisHuey]:
    """The job queue the processes share (settings name it "courtyard"), emptied before and after."""
    queue = RedisHuey(HUEY.name, url=REDIS_URL)
    queue.flush()
    yield queue
    queue.flush()


def test_two_workers_run_every_periodic_job_once_per_period(tmp_path, redis_queue):
    autodiscover_modules("tasks")  # every app's tasks.py, site's shared jobs among them
    expected = {
        (f"{task.__module__}.{task.name}", minute.replace(tzinfo=dt.UTC))
        for minute in MINUTES for task in HUEY.read_periodic(minute)
    }
    jobs = {job for job, _ in expected}
    assert len(jobs) == len(HUEY._registry._periodic_tasks)  # the window covers every periodic job

    env = process_env(tmp_path)
    logs = [tmp_path / "worker-a.log", tmp_path / "worker-b.log"]
    workers = [start(["worker", "--workers", "2"], env, log) for log in logs]
    try:
        wait_for(lambda: all("consumer started" in log.read_text() for log in logs), STARTUP, "both workers", logs)
        # Two schedulers, as two consumers would be, each enqueueing every minute of the window.
        drivers = [
            subprocess.Popen(  # noqa: S603
                [sys.executable, "-c", SCHEDULER, *(m.isoformat() for m in MINUTES)], env=env,
                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
            )
            for _ in range(2)
        ]
        for driver in drivers:
            _, errors = driver.communicate(timeout=60)
            assert driver.returncode == 0, errors.decode()

        def simulated_runs_done() -> bool:
            finished = ScheduledRun.objects.filter(period__date=DAY.date(), finished_at__isnull=False).count()
            return finished >= len(expected) and redis_queue.pending_count() == 0

        wait_for(simulated_runs_done, 45, "the workers to drain the queue", logs)
        time.sleep(0.5)  # let the last skipped copies finish

        # Read with the registry of the task classes (the bare queue handle has none).
        retries = {HUEY.deserialize_task(raw).id for raw in redis_queue.storage.scheduled_items()}
    finally:
        stop(workers)

    runs = list(
        ScheduledRun.objects.filter(period__date=DAY.date()).values_list("job", "period", "error", "worker", "task_id")
    )
    assert {(job, period) for job, period, *_ in runs} == expected
    assert len(runs) == len(expected)  # once per (job, period): never twice
    assert len({worker for _, _, _, worker, _ in runs}) == 2  # both workers took their share
    # The simulation enqueues a day's periods within a second, so a job guarded by a lock (the rollups)
    # can find its previous period still running: that period is not lost, Huey retries its claimed copy.
    for job, _, error, _, task_id in runs:
        if error:
            assert error.startswith("TaskLockedException"), (job, error)
            assert task_id in retries, (job, "no retry scheduled")

    # Every period was enqueued twice; the second copy found the claim and ran nothing.
    skipped = sum(
        len(re.findall(r"already claimed by another worker: skipped", line))
        for log in logs for line in log.read_text().splitlines() if DAY.date().isoformat() in line
    )
    assert skipped == len(expected)


# --- app servers: sessions, rate limits, uploads, metrics --------------------------------------------


def free_ports(count: int) -> list[int]:
    """Ports of the range this machine gives us (18200-18299) that nothing listens on."""
    ports: list[int] = []
    for port in range(18200 + os.getpid() % 50, 18300):
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) != 0:
                ports.append(port)
        if len(ports) == count:
            return ports
    pytest.skip("no free port in 18200-18299")


def csrf_token(browser: requests.Session, url: str, **headers: str) -> str:
    response = browser.get(url, allow_redirects=False, headers=headers)
    assert response.status_code == 200, response.status_code
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.text).group(1)


def test_two_app_servers_share_sessions_rate_limits_and_uploads(tmp_path):
    profile = make_profile(email="scale@example.com", full_name="Sam Scale")
    a_port, b_port = free_ports(2)
    a, b = f"http://127.0.0.1:{a_port}", f"http://127.0.0.1:{b_port}"
    env = process_env(
        tmp_path,
        # The test settings switch: the test password hasher and static files without a collectstatic
        # manifest. Sessions, cache and rate limits still live in Redis, the database in PostgreSQL.
        COURTYARD_TESTING="1", HUEY_IMMEDIATE="1", METRICS_TOKEN="scrape-me",
        LOGIN_RATE_LIMIT="100/m/ip,3/5m/key",
    )
    logs = [tmp_path / "server-a.log", tmp_path / "server-b.log"]
    # A runs two gunicorn processes (its /metrics must add them up), B one.
    servers = [
        start(["serve", "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers), "--threads", "2"],
              {**env, "COURTYARD_VAR_DIR": str(tmp_path / f"var-{name}")}, log)
        for name, port, workers, log in (("a", a_port, 2, logs[0]), ("b", b_port, 1, logs[1]))
    ]

    def up(base: str) -> bool:
        try:
            return requests.get(f"{base}/healthz", timeout=5).status_code == 200
        except requests.RequestException:
            return False

    try:
        wait_for(lambda: up(a) and up(b), STARTUP, "both app servers", logs)
        browser = requests.Session()  # cookies are per host, not per port: one browser, two servers

        # Signed in on A ...
        token = csrf_token(browser, f"{a}/accounts/login/")
        signed_in = browser.post(
            f"{a}/accounts/login/", data={"login": "scale@example.com", "password": PASSWORD,
                                          "csrfmiddlewaretoken": token}, allow_redirects=False,
        )
        assert signed_in.status_code == 302
        assert "sessionid" in browser.cookies
        # ... and on B with the same cookie.
        assert browser.get(f"{b}/", allow_redirects=False).status_code == 200
        assert browser.get(f"{b}/people/me/edit/", allow_redirects=False).status_code == 200

        # A photo uploaded through B is served by A.
        photo = browser.post(
            f"{b}/people/{profile.pk}/photo/", data={"csrfmiddlewaretoken": browser.cookies["csrftoken"]},
            files={"photo": ("me.png", image_bytes(), "image/png")}, headers={"Referer": f"{b}/"},
            allow_redirects=False,
        )
        assert photo.status_code == 302, photo.text[:500]
        stored = Profile.objects.get(pk=profile.pk).photo
        assert stored.name
        served = browser.get(f"{a}/media/{stored.name}", allow_redirects=False)
        assert served.status_code == 200
        assert served.content == (tmp_path / "media" / stored.name).read_bytes()

        # The sign-in limit (3 failed attempts per account) counts attempts on both servers together: the
        # fourth, on B, is refused although B itself saw only one failure before it.
        # Behind the proxy both servers see the site's one host name; allauth's per-account key includes
        # it (here the ports would otherwise make two sites of one).
        stranger = requests.Session()
        stranger.headers["Host"] = "localhost"

        def sign_in(base: str, password: str) -> str:
            token = csrf_token(stranger, f"{base}/accounts/login/")
            response = stranger.post(
                f"{base}/accounts/login/",
                data={"login": "scale@example.com", "password": password, "csrfmiddlewaretoken": token},
                allow_redirects=False,
            )
            assert response.status_code in (200, 429)
            return response.text

        pages = [sign_in(base, "wrong-password-123") for base in (a, b, a, b)]
        assert [TOO_MANY in page for page in pages] == [False, False, False, True]
        assert TOO_MANY in sign_in(a, PASSWORD)  # even the right password, on the other server
        # The member's own session is unaffected, under concurrent load spread over both servers and all
        # three gunicorn processes: every page answers as the signed-in member.
        cookies = browser.cookies.get_dict()

        def page(i: int) -> tuple[int, bool]:
            base = (a, b)[i % 2]
            response = requests.get(f"{base}/people/me/edit/", cookies=cookies, allow_redirects=False, timeout=30)
            return response.status_code, "Sam Scale" in response.text

        with ThreadPoolExecutor(max_workers=8) as pool:
            answers = list(pool.map(page, range(40)))
        assert answers == [(200, True)] * 40

        # /metrics adds up every gunicorn process of server A (two workers answer its requests): the
        # count moves by exactly the requests made, whichever process answered each of them and the scrape.
        def healthz_count() -> float:
            scrape = requests.get(f"{a}/metrics", headers={"Authorization": "Bearer scrape-me"}, timeout=5)
            assert scrape.status_code == 200
            return sample(scrape.text, "courtyard_http_requests_total", route="healthz", status="200") or 0

        before = healthz_count()
        for _ in range(20):
            assert requests.get(f"{a}/healthz", timeout=5).status_code == 200
        assert healthz_count() == before + 20
        assert requests.get(f"{a}/metrics", timeout=5).status_code == 403
    finally:
        stop(servers)
