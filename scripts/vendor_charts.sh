#!/usr/bin/env bash
# Vendors Chart.js (the insights charts) from the npm registry at a pinned version, with its licence.
# Kept apart from scripts/vendor.sh so that the charts are loaded only on insights pages. Note that
# scripts/vendor.sh empties static/vendor/: run this script again after it.
set -euo pipefail
cd "$(dirname "$0")/.."
version=4.5.1
dest=src/courtyard/static/vendor/chartjs
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
( cd "$tmp" && npm pack --silent "chart.js@$version" >/dev/null 2>&1 && mkdir pkg && tar -xzf chart.js-"$version".tgz -C pkg )
rm -rf "$dest" && mkdir -p "$dest"
cp "$tmp"/pkg/package/dist/chart.umd.min.js "$tmp"/pkg/package/LICENSE.md "$dest/" 2>/dev/null \
  || cp "$tmp"/pkg/package/dist/chart.umd.js "$tmp"/pkg/package/LICENSE.md "$dest/"
# The source map is not vendored: drop its reference so hashed static files build cleanly.
find "$dest" -name '*.js' -exec sed -i -E 's@//# sourceMappingURL=.*$@@' {} +
echo "vendored chart.js $version into $dest"
