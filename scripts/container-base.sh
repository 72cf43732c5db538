#!/usr/bin/env bash
# A local Debian bookworm base image for the Containerfile, for machines that reach Debian's package
# archive but no image registry: debootstrap a minimal system and import it into podman.
#
#   scripts/container-base.sh [IMAGE]      (default localhost/courtyard-base:bookworm)
#
# Idempotent: when IMAGE already exists nothing is done, so CI pays the ~1 minute once per machine.
# COURTYARD_BASE_REBUILD=1 replaces it (e.g. to pick up Debian security updates).
# DEBIAN_MIRROR moves the archive (default http://deb.debian.org/debian).
set -euo pipefail
image=${1:-localhost/courtyard-base:bookworm}
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}

if podman image exists "$image" && [ "${COURTYARD_BASE_REBUILD:-0}" != 1 ]; then
  echo "base image $image exists; not rebuilt (COURTYARD_BASE_REBUILD=1 rebuilds it)"
  exit 0
fi
for tool in debootstrap podman; do
  command -v "$tool" >/dev/null 2>&1 || { echo "container-base: $tool is missing (apt-get install -y $tool)" >&2; exit 1; }
done

root=$(mktemp -d "${TMPDIR:-/var/tmp}/courtyard-base.XXXXXX")
trap 'rm -rf "$root"' EXIT
started=$(date +%s)
echo "debootstrap --variant=minbase bookworm from $mirror"
debootstrap --variant=minbase bookworm "$root" "$mirror" >"$root.log" 2>&1 || {
  tail -n 30 "$root.log" >&2; rm -f "$root.log"; exit 1
}
rm -f "$root.log"
# The same sources an official Debian image has (security updates included), and no package cache
# kept in the image.
cat >"$root/etc/apt/sources.list" <<SOURCES
deb $mirror bookworm main
deb $mirror bookworm-updates main
deb http://deb.debian.org/debian-security bookworm-security main
SOURCES
rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/*
tar -C "$root" -c . | podman import --quiet --change 'CMD ["/bin/bash"]' - "$image" >/dev/null
echo "imported $image in $(( $(date +%s) - started )) s"
