#!/usr/bin/env bash
# Builds the container image with podman on a local Debian base, starts a web and a worker container
# against this machine's PostgreSQL and Redis, and checks them end to end: health checks, non-root
# processes, migrations applied once (and not again on restart), sign-in and the main pages over HTTP
# (tests/container/smoke.py). Everything it creates (containers, their volumes, the database, the
# Redis database) is removed on exit, pass or fail; the images are kept as the next run's build cache.
#
# Environment (defaults in brackets):
#   COURTYARD_SMOKE_PORT      web port on 127.0.0.1 [a free one]
#   COURTYARD_SMOKE_DB        PostgreSQL database, dropped and created [courtyard_container]
#   COURTYARD_SMOKE_PG        server URL without the database [postgres://root@127.0.0.1:5432]
#   COURTYARD_SMOKE_REDIS_URL Redis database of its own, flushed [redis://127.0.0.1:6379/5]
#   COURTYARD_BASE_IMAGE      local base image [localhost/courtyard-base:bookworm]
#   COURTYARD_CA_BUNDLE       CA bundle for the build's downloads [/etc/ssl/certs/ca-certificates.crt]
#   PYTHON                    runs the HTTP smoke test [python3]
set -euo pipefail
cd "$(dirname "$0")/.."

base_image=${COURTYARD_BASE_IMAGE:-localhost/courtyard-base:bookworm}
image=localhost/courtyard:smoke
db=${COURTYARD_SMOKE_DB:-courtyard_container}
pg=${COURTYARD_SMOKE_PG:-postgres://root@127.0.0.1:5432}
redis_url=${COURTYARD_SMOKE_REDIS_URL:-redis://127.0.0.1:6379/5}
ca_bundle=${COURTYARD_CA_BUNDLE:-/etc/ssl/certs/ca-certificates.crt}
python=${PYTHON:-python3}
port=${COURTYARD_SMOKE_PORT:-$("$python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
web=courtyard-smoke-web-$$
worker=courtyard-smoke-worker-$$
admin_email=smoke-admin@example.com
admin_password=$("$python" -c 'import secrets; print(secrets.token_urlsafe(18))')
member_password=$("$python" -c 'import secrets; print(secrets.token_urlsafe(18))')
secret_key=$("$python" -c 'import secrets; print(secrets.token_urlsafe(50))')
work=$(mktemp -d "${TMPDIR:-/tmp}/courtyard-smoke.XXXXXX")

# This machine's podman: runc with cgroupfs, and no default ulimits (crun and the default ulimits are
# refused here).
cat >"$work/containers.conf" <<'CONF'
[containers]
default_ulimits = []

[engine]
cgroup_manager = "cgroupfs"
runtime = "runc"
CONF
export CONTAINERS_CONF="$work/containers.conf"

phases=()
failed=""
phase_started=$(date +%s)
all_started=$phase_started
phase() {  # ends the phase running so far under the name given
  local now; now=$(date +%s)
  phases+=("$(printf '%-44s %4d s' "$1" $((now - phase_started)))")
  printf '=== %s (%d s)\n' "$1" $((now - phase_started))
  phase_started=$now
}
fail() { failed="$*"; echo "container smoke: FAILED: $*" >&2; exit 1; }
psql_admin() { PGOPTIONS='-c client_min_messages=warning' psql "$pg/postgres" -v ON_ERROR_STOP=1 -qtAc "$1"; }
redis_flush() {
  "$python" - "$redis_url" <<'PY' || true
import socket, sys, urllib.parse
url = urllib.parse.urlsplit(sys.argv[1])
with socket.create_connection((url.hostname, url.port or 6379), timeout=5) as s:
    s.sendall(f"SELECT {url.path.strip('/') or 0}\r\nFLUSHDB\r\n".encode())
    s.recv(100)
PY
}

cleanup() {
  local status=$?
  trap - EXIT
  if [ $status -ne 0 ]; then
    for name in "$web" "$worker"; do
      if podman container exists "$name" 2>/dev/null; then
        echo "--- last lines of $name" >&2
        podman logs --tail 40 "$name" >&2 2>&1 || true
      fi
    done
  fi
  podman rm --force --volumes --time 5 "$web" "$worker" >/dev/null 2>&1 || true
  psql_admin "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true
  redis_flush
  rm -rf "$work"
  echo
  echo "container smoke summary"
  printf '  %s\n' "${phases[@]}"
  printf '  %-44s %4d s\n' "total" $(( $(date +%s) - all_started ))
  if [ $status -eq 0 ]; then
    echo "container smoke: PASSED"
  else
    echo "container smoke: FAILED${failed:+: $failed} (exit $status)"
  fi
  exit $status
}
trap cleanup EXIT
trap 'exit 130' INT TERM

scripts/container-base.sh "$base_image"
phase "base image ($base_image)"

build_args=(--network host --format docker --build-arg "BASE=$base_image" --tag "$image" --file Containerfile)
# --format docker: the OCI image format has no HEALTHCHECK, and podman would drop it with a warning.
if [ -s "$ca_bundle" ]; then
  build_args+=(--secret "id=ca,src=$ca_bundle")
fi
previous=$(podman image inspect "$image" --format '{{.Id}}' 2>/dev/null || true)
podman build "${build_args[@]}" . >"$work/build.log" 2>&1 || { tail -n 40 "$work/build.log" >&2; fail "image build"; }
# The image this build replaced goes, with the layers only it used; the shared ones stay as the cache.
current=$(podman image inspect "$image" --format '{{.Id}}')
if [ -n "$previous" ] && [ "$previous" != "$current" ]; then podman rmi "$previous" >/dev/null 2>&1 || true; fi
[ "$(podman image inspect "$image" --format '{{.Config.User}}')" = "courtyard:courtyard" ] || fail "the image's USER is not courtyard"
phase "image build ($(podman image inspect "$image" --format '{{.Size}}' | awk '{printf "%.0f MB", $1/1e6}'))"

psql_admin "DROP DATABASE IF EXISTS $db WITH (FORCE)"
psql_admin "CREATE DATABASE $db"
redis_flush
common=(
  --detach --network host
  --env "DATABASE_URL=$pg/$db" --env "REDIS_URL=$redis_url" --env "SECRET_KEY=$secret_key"
  --env "ALLOWED_HOSTS=127.0.0.1,localhost" --env "SITE_URL=http://127.0.0.1:$port"
  --env HOST=127.0.0.1 --env "PORT=$port" --env WEB_CONCURRENCY=2
)
# The worker starts first: it must wait for the web container's migrations instead of running its own.
# (Without systemd, podman reports that it cannot schedule health checks: this script runs them itself.)
podman run "${common[@]}" --name "$worker" "$image" worker >/dev/null 2>>"$work/podman.log"
sleep 2
podman run "${common[@]}" --name "$web" "$image" web >/dev/null 2>>"$work/podman.log"
wait_healthy() {  # runs the image's own HEALTHCHECK command until it passes
  local name=$1 deadline=$(( $(date +%s) + 240 ))
  until podman healthcheck run "$name" >/dev/null 2>&1; do
    [ "$(podman inspect "$name" --format '{{.State.Running}}')" = true ] || fail "$name exited"
    [ "$(date +%s)" -lt "$deadline" ] || fail "$name not healthy within 240 s"
    sleep 2
  done
}
wait_healthy "$web"
wait_healthy "$worker"
phase "start web + worker until healthy"

# The image runs this checkout's code (a stale build cache would not show anywhere else).
digest='import hashlib, pathlib, sys; root = pathlib.Path(sys.argv[1]); h = hashlib.sha256()
for p in sorted(root.rglob("*")):
    if p.suffix in {".py", ".html"}: h.update(str(p.relative_to(root)).encode() + p.read_bytes())
print(h.hexdigest())'
inside=$(podman exec "$web" sh -c 'python -c "$1" "$(python -c "import courtyard, os; print(os.path.dirname(courtyard.__file__))")"' - "$digest")
[ "$inside" = "$("$python" -c "$digest" src/courtyard)" ] || fail "the image's code differs from src/courtyard (stale build cache?)"
echo "  ok    web: the image's Python code and templates match src/courtyard"
for name in "$web" "$worker"; do
  pid=$(podman inspect "$name" --format '{{.State.Pid}}')
  uid=$(awk '/^Uid:/ {print $2}' "/proc/$pid/status")
  [ "$uid" != 0 ] || fail "$name runs as root"
  echo "  ok    $name: main process runs as uid $uid"
done
# Logs go to files first: `grep -q` on a pipe would end podman early, and pipefail call that a failure.
logs() { podman logs "$1" >"$work/$1.log" 2>&1; cat "$work/$1.log"; }
logs "$web" >/dev/null; logs "$worker" >/dev/null
grep -q "Huey consumer started" "$work/$worker.log" || fail "the worker's job consumer did not start"
echo "  ok    worker: the job consumer started"

# Migrations: applied once, by the web container, while the worker waited.
applied=$(sed -n 's/^courtyard-entrypoint: migrations done: \([0-9]*\) applied$/\1/p' "$work/$web.log")
[ "$(echo "$applied" | wc -l)" = 1 ] && [ "${applied:-0}" -gt 0 ] || fail "web: expected one migration run that applied some, got '${applied}'"
echo "  ok    web: $applied migrations applied at start-up"
grep -q "^courtyard-entrypoint: migrations are applied$" "$work/$worker.log" || fail "worker did not wait for the migrations"
! grep -q "migrations done" "$work/$worker.log" || fail "the worker ran migrations"
echo "  ok    worker: waited for the migrations and applied none"
duplicates=$(psql "$pg/$db" -qtAc "SELECT count(*) FROM (SELECT app, name FROM django_migrations GROUP BY app, name HAVING count(*) > 1) d")
[ "$duplicates" = 0 ] || fail "$duplicates migrations recorded twice"
recorded=$(psql "$pg/$db" -qtAc "SELECT count(*) FROM django_migrations")
[ "$recorded" = "$applied" ] || fail "django_migrations has $recorded rows, the web container applied $applied"
echo "  ok    database: $recorded migrations recorded once each"
podman restart --time 10 "$web" >/dev/null 2>>"$work/podman.log"
wait_healthy "$web"
logs "$web" >/dev/null
grep -q "^courtyard-entrypoint: migrations done: 0 applied$" "$work/$web.log" || fail "web restart: migrations not found up to date"
echo "  ok    web restart: nothing left to migrate"
phase "checks: non-root, migrations once, restart"

podman exec "$web" courtyard seed --size 80 --seed 1 --password="$member_password" >"$work/seed.log" 2>&1 \
  || { tail -n 20 "$work/seed.log" >&2; fail "seed"; }
# One shell for both (each `courtyard` start costs seconds): the admin, then a seeded member's address.
member_email=$(podman exec --env "ADMIN_PASSWORD=$admin_password" "$web" courtyard shell -c "
import os
from courtyard.people import services
from courtyard.people.models import Profile
services.profile_create(email='$admin_email', full_name='Smoke Admin', password=os.environ['ADMIN_PASSWORD'],
                        is_admin=True, department=services.department_ensure_path('People'))
print(Profile.objects.filter(is_active=True, user__is_staff=False).order_by('pk').values_list('user__email', flat=True).first())
" | tail -n 1) || fail "creating the admin"
[ -n "$member_email" ] && [ "$member_email" != None ] || fail "no seeded member to sign in as"
phase "seed 80 members + an admin"

"$python" tests/container/smoke.py --url "http://127.0.0.1:$port" \
  --admin "$admin_email:$admin_password" --member "$member_email:$member_password" || fail "HTTP smoke test"
phase "HTTP: sign in, main pages"
