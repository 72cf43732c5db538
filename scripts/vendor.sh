#!/usr/bin/env bash
# Vendors the front-end libraries from the npm registry at pinned versions, with their licences.
# Run it when a version changes; the result is committed so that a fresh clone needs no npm.
set -euo pipefail
cd "$(dirname "$0")/.."
dest=src/courtyard/static/vendor
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
( cd "$tmp" && npm pack --silent bootstrap@5.3.8 htmx.org@2.0.11 bootstrap-icons@1.13.1 axe-core@4.11.0 >/dev/null 2>&1 && for f in *.tgz; do mkdir -p "${f%.tgz}" && tar -xzf "$f" -C "${f%.tgz}"; done )
# Only what this script vendors is replaced (scripts/vendor_charts.sh keeps Chart.js beside it).
rm -rf "$dest"/{bootstrap,htmx,bootstrap-icons} && mkdir -p "$dest"/{bootstrap,htmx,bootstrap-icons}
cp "$tmp"/bootstrap-5.3.8/package/dist/css/bootstrap.min.css "$tmp"/bootstrap-5.3.8/package/dist/js/bootstrap.bundle.min.js "$tmp"/bootstrap-5.3.8/package/LICENSE "$dest/bootstrap/"
cp "$tmp"/htmx.org-2.0.11/package/dist/htmx.min.js "$tmp"/htmx.org-2.0.11/package/LICENSE "$dest/htmx/"
cp "$tmp"/bootstrap-icons-1.13.1/package/LICENSE "$dest/bootstrap-icons/"
# Only the icons we use (scripts/icons.txt) go into the sprite: the full set is over a megabyte.
python3 - "$tmp"/bootstrap-icons-1.13.1/package/bootstrap-icons.svg scripts/icons.txt src/courtyard/static/icons.svg <<'PY'
import re, sys
sprite, wanted, out = open(sys.argv[1]).read(), open(sys.argv[2]).read().split(), sys.argv[3]
found = {m.group(2): m.group(1) for m in re.finditer(r'(<symbol[^>]*id="([^"]+)".*?</symbol>)', sprite, re.S)}
missing = [name for name in wanted if name not in found]
if missing:
    sys.exit(f"unknown icons: {missing}")
with open(out, "w") as f:
    f.write('<svg xmlns="http://www.w3.org/2000/svg">' + "".join(found[n] for n in wanted) + "</svg>\n")
PY
# axe-core is a test-only tool: it goes next to the tests, not into what the site serves.
mkdir -p tests/browser/vendor
cp "$tmp"/axe-core-4.11.0/package/axe.min.js "$tmp"/axe-core-4.11.0/package/LICENSE tests/browser/vendor/
echo "vendored into $dest and tests/browser/vendor"
# The packages' source maps are not vendored: drop the references so hashed static files build cleanly.
find "$dest" \( -name '*.js' -o -name '*.css' \) -exec sed -i -E '/^\/[\/*]# sourceMappingURL=.*$/d' {} +
