#!/usr/bin/env bash
# Install the dashboard's npm packages (csmetrics report --format html,
# docs/dashboard.md) from the versions pinned in deps/html/package-lock.json:
#   vega, vega-lite, vega-embed  the charting bundles the CLI inlines into
#                                the page (their build/*.min.js);
#   puppeteer-core               the DevTools client of the browser test
#                                (tests/html), driving Debian's chromium.
# `npm ci --ignore-scripts`: no install script is needed (puppeteer-core
# never downloads a browser).  Idempotent: nothing is done when
# node_modules is already installed from the current lock file.
set -euo pipefail
dir=$(cd "$(dirname "$0")/.." && pwd)/deps/html
files=("$dir/node_modules/vega/build/vega.min.js"
       "$dir/node_modules/vega-lite/build/vega-lite.min.js"
       "$dir/node_modules/vega-embed/build/vega-embed.min.js"
       "$dir/node_modules/puppeteer-core/package.json")
# npm ci writes node_modules/.package-lock.json last: newer than the lock
# file when the install is complete and current.
stamp=$dir/node_modules/.package-lock.json
complete=1
for f in "${files[@]}"; do [ -f "$f" ] || complete=0; done
if [ $complete = 1 ] && [ -f "$stamp" ] && [ ! "$dir/package-lock.json" -nt "$stamp" ]; then
  echo "deps-html: vega bundles and puppeteer-core already installed under deps/html/node_modules"
  exit 0
fi
command -v npm >/dev/null || { echo "deps-html: npm not found (make deps-html installs deps/debian-html.txt first)" >&2; exit 1; }
echo "deps-html: npm ci in deps/html (vega, vega-lite, vega-embed, puppeteer-core)"
(cd "$dir" && npm ci --ignore-scripts --no-audit --no-fund)
for f in "${files[@]}"; do
  [ -f "$f" ] || { echo "deps-html: $f missing after npm ci" >&2; exit 1; }
done
