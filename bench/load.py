"""Throughput under concurrent load: gunicorn (as `courtyard serve` runs it) driven by wrk on this machine.

    DATABASE_URL=postgres://root@127.0.0.1:5432/courtyard_bench REDIS_URL=redis://127.0.0.1:6379/14 \
        .venv/bin/python bench/load.py [--seconds 20] [--connections 16] [--workers 2] [--threads 4]

Needs the large organization that `courtyard bench` seeds (run it once first) and Debian's `wrk`.
Runs, one after the other against the same server: the bare "hello" view (same middleware), then a mix
of the main pages requested round-robin by a signed-in member (home feed, directory search, a profile, the
busiest group, the longest thread, groups browse, and events list and an event page when events exist).
Prints requests/s, latency percentiles from wrk, non-2xx answers, and the ratio mix / hello measured
in the same run. The goal: the mix at >= 300 requests/s on 2 cores.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PORT = 8765


def main_page_urls() -> tuple[list[str], str]:
    """The URLs of the mix, and a session cookie of a seeded member (stored where the server reads it)."""
    # This script drives a server and only reads the database here, so Django is set up here, and models can
    # only be imported after django.setup().
    import django  # noqa: PLC0415 - only this step needs Django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "courtyard.config.settings")
    django.setup()
    from django.conf import settings  # noqa: PLC0415 - after django.setup()
    from django.test import Client  # noqa: PLC0415 - after django.setup()

    from courtyard.groups.models import Group, Thread  # noqa: PLC0415 - after django.setup()
    from courtyard.people.models import Profile  # noqa: PLC0415 - after django.setup()
    from courtyard.people.seed import seeded_profiles  # noqa: PLC0415 - after django.setup()

    if seeded_profiles().count() < 1000:
        sys.exit("Seed the large organization first: `courtyard bench` (see bench/README.md).")
    member = (
        Profile.objects.filter(is_active=True, user__is_staff=False, user__email__endswith="@northwind.example")
        .select_related("user")
        .order_by("pk")
        .first()
    )
    assert member is not None
    other = seeded_profiles().filter(is_active=True).order_by("-pk").first()
    assert other is not None
    open_groups = Group.objects.filter(visibility=Group.Visibility.OPEN, archived_at__isnull=True)
    busy = open_groups.order_by("-thread_count", "pk").first()
    thread = (
        Thread.objects.filter(group__in=open_groups, deleted_at__isnull=True, reply_count__lt=400)
        .select_related("group")
        .order_by("-reply_count", "pk")
        .first()
    )
    urls = ["/", "/people/?q=climbing", f"/people/{other.pk}/", "/groups/"]
    if busy is not None:
        urls.append(f"/groups/{busy.slug}/")
    if thread is not None:
        urls.append(f"/groups/{thread.group.slug}/threads/{thread.pk}/")
    urls.extend(events_urls())
    client = Client()
    client.force_login(member.user)
    return urls, f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def events_urls() -> list[str]:
    """The events list and the busiest public event page, once the events capability has seeded events."""
    try:
        from django.urls import reverse  # noqa: PLC0415 - after django.setup() in main_page_urls

        from courtyard.events.models import Event  # type: ignore[attr-defined]  # noqa: PLC0415 - idem
    except ImportError:
        return []
    event = Event.objects.order_by("pk").first()
    if event is None:
        return []
    urls = [reverse("events:list")]
    if hasattr(event, "get_absolute_url"):
        urls.append(event.get_absolute_url())
    return urls


LUA = """
local paths = {%s}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i %% #paths) + 1], {["Cookie"] = "%s", ["Host"] = "127.0.0.1"})
end
"""


def run_wrk(url: str, script: Path | None, seconds: int, connections: int) -> dict[str, float]:
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency"]
    if script is not None:
        command += ["-s", str(script)]
    output = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout  # noqa: S603
    figures = {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))}  # type: ignore[union-attr]
    for label in ("50%", "90%", "99%"):
        match = re.search(rf"{label}\s+([\d.]+)(us|ms|s)", output)
        if match:
            value, unit = float(match.group(1)), match.group(2)
            figures[label] = value / 1000 if unit == "us" else value * 1000 if unit == "s" else value
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    figures["non2xx"] = float(bad.group(1)) if bad else 0.0
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is needed: apt-get install wrk")
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("Run on the PostgreSQL benchmark database: DATABASE_URL=postgres://…/courtyard_bench")
    if not os.environ.get("REDIS_URL"):
        sys.exit("Run with REDIS_URL (sessions and cache in Redis, as in production).")
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-" + "x" * 40)
    os.environ["ALLOWED_HOSTS"] = "127.0.0.1"
    os.environ["DEBUG"] = "0"
    sys.path.insert(0, str(ROOT))
    paths, cookie = main_page_urls()
    pythonpath = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH", "")]))
    env = {**os.environ, "PYTHONPATH": pythonpath, "PORT": str(PORT), "HOST": "127.0.0.1"}
    server = subprocess.Popen(  # noqa: S603 - our own command
        [str(Path(sys.executable).parent / "courtyard"), "serve", "--workers", str(args.workers),
         "--threads", str(args.threads)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )
    base = f"http://127.0.0.1:{PORT}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/__bench__/hello/", timeout=1)  # noqa: S310 - our own server
                break
            except OSError:
                time.sleep(0.2)
        with tempfile.TemporaryDirectory() as tmp:
            script = Path(tmp) / "mix.lua"
            script.write_text(LUA % (", ".join(f'"{p}"' for p in paths), cookie))
            # Warm every worker's caches and connections, untimed.
            run_wrk(base, script, 3, args.connections)
            hello = run_wrk(f"{base}/__bench__/hello/", None, args.seconds, args.connections)
            mix = run_wrk(base, script, args.seconds, args.connections)
        print(f"gunicorn {args.workers} workers x {args.threads} threads, wrk 2 threads x {args.connections} "
              f"connections, {args.seconds} s each, same machine (2 cores)")
        print(f"mix of {len(paths)} main pages: " + ", ".join(paths))
        print(f"{'':28} {'req/s':>8} {'p50 ms':>8} {'p90 ms':>8} {'p99 ms':>8} {'non-2xx':>8}")
        for name, figures in (("bare view (hello)", hello), ("main pages mix", mix)):
            print(f"{name:28} {figures['rps']:8.0f} {figures.get('50%', 0):8.1f} {figures.get('90%', 0):8.1f} "
                  f"{figures.get('99%', 0):8.1f} {figures['non2xx']:8.0f}")
        print(f"ratio mix / hello: {mix['rps'] / hello['rps']:.2f}   goal: mix >= 300 req/s")
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
