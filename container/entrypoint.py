"""The container's entrypoint: `web`, `worker`, `migrate`, `healthcheck`, or any other command.

- web [serve options]: waits for the database, applies migrations (one process at a time: on PostgreSQL
  under an advisory lock, so several web containers starting together never migrate twice), then replaces
  itself with `courtyard serve` on HOST:PORT. COURTYARD_MIGRATE=0 leaves migrations to a separate
  `migrate` run (e.g. a release job).
- worker [worker options]: waits for the database and until no migration is pending (the web container
  applies them; a worker running old tables would fail job after job), then `courtyard worker`.
- migrate: only the migrations, under the same lock.
- healthcheck: what the image's HEALTHCHECK runs. For web, GET /healthz on this container; for the
  worker (no HTTP server), the same database and cache round trip /healthz makes.
- anything else runs as given: `courtyard createsuperuser`, `bash`, …

Runs with the image's Python, standard library plus Courtyard itself.
"""

from __future__ import annotations

import os
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROLE_FILE = Path("/tmp/courtyard-role")  # noqa: S108 - the container's own /tmp; read by healthcheck
# Any fixed 64-bit number works, as long as nothing else on the database takes the same advisory lock.
MIGRATION_LOCK_ID = 0x636F7572747961  # "courtya"


def say(message: str) -> None:
    print(f"courtyard-entrypoint: {message}", flush=True)


def env_seconds(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    return int(value) if value.strip() else default


def django_setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "courtyard.config.settings")
    import django

    django.setup()


def wait_for_database(timeout: int) -> None:
    from django.db import OperationalError, connection

    deadline = time.monotonic() + timeout
    while True:
        try:
            connection.ensure_connection()
            return
        except OperationalError as exc:
            if time.monotonic() > deadline:
                raise SystemExit(f"courtyard-entrypoint: the database did not answer within {timeout} s: {exc}") from exc
            say(f"waiting for the database ({str(exc).strip().splitlines()[0][:120]})")
            connection.close()
            time.sleep(2)


def pending_migrations() -> list[str]:
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]


def migrate() -> None:
    from django.core.management import call_command
    from django.db import connection

    locked = connection.vendor == "postgresql"
    if locked:
        # Session-level lock on this connection: a second web container waits here, then finds nothing
        # left to apply. Released with the connection if this process dies.
        say("taking the migration lock")
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s)", [MIGRATION_LOCK_ID])
    try:
        pending = pending_migrations()
        say(f"applying {len(pending)} migration(s)")
        call_command("migrate", interactive=False, verbosity=1 if pending else 0)
        say(f"migrations done: {len(pending)} applied")
    finally:
        if locked:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [MIGRATION_LOCK_ID])


def wait_for_migrations(timeout: int) -> None:
    from django.db import connection

    deadline = time.monotonic() + timeout
    announced = False
    while pending := pending_migrations():
        if time.monotonic() > deadline:
            raise SystemExit(
                f"courtyard-entrypoint: {len(pending)} migration(s) still pending after {timeout} s "
                f"(first: {pending[0]}); is a web container (or `migrate`) running?"
            )
        if not announced:
            say(f"waiting for {len(pending)} migration(s) to be applied by the web container")
            announced = True
        connection.close()
        time.sleep(3)
    say("migrations are applied")


def exec_courtyard(*args: str) -> None:
    from django.db import connections

    connections.close_all()
    argv = [sys.executable, "-m", "courtyard.cli", *args]
    os.execv(sys.executable, argv)  # noqa: S606 - replaces the entrypoint with the server or worker


def healthcheck() -> int:
    role = ROLE_FILE.read_text().strip() if ROLE_FILE.exists() else "web"
    if role == "worker":
        django_setup()
        from django.core.cache import cache
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        cache.set("healthz-worker", "1", 10)
        return 0 if cache.get("healthz-worker") == "1" else 1
    # The request must name a host the site accepts, or Django answers 400.
    hosts = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "localhost").split(",") if h.strip()]
    host = hosts[0].lstrip(".") if hosts and hosts[0] != "*" else "localhost"
    request = urllib.request.Request(
        f"http://127.0.0.1:{os.environ.get('PORT', '8000')}/healthz",
        # Behind a TLS proxy (BEHIND_PROXY=1) the site redirects plain http; this is what the proxy sends.
        headers={"Host": host, "X-Forwarded-Proto": "https"},
    )
    try:
        with urllib.request.urlopen(request, timeout=8) as response:  # noqa: S310
            return 0 if response.status == 200 else 1
    except (urllib.error.URLError, OSError) as exc:
        print(f"healthcheck: {exc}", file=sys.stderr)
        return 1


def main(argv: list[str]) -> int:
    role, args = (argv[0], argv[1:]) if argv else ("web", [])
    if role == "healthcheck":
        return healthcheck()
    if role not in {"web", "worker", "migrate"}:
        os.execvp(role, [role, *args])  # noqa: S606 - the operator's own command
    ROLE_FILE.write_text(role)
    say(f"starting the {role} role as uid {os.getuid()}")
    django_setup()
    wait_for_database(env_seconds("DATABASE_WAIT_SECONDS", 60))
    if role == "migrate":
        migrate()
        return 0
    if role == "web":
        if os.environ.get("COURTYARD_MIGRATE", "1") != "0":
            migrate()
        else:
            wait_for_migrations(env_seconds("MIGRATION_WAIT_SECONDS", 600))
        exec_courtyard("serve", "--host", os.environ.get("HOST", "0.0.0.0"), "--port", os.environ.get("PORT", "8000"), *args)  # noqa: S104 - inside a container
    wait_for_migrations(env_seconds("MIGRATION_WAIT_SECONDS", 600))
    exec_courtyard("worker", *args)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
