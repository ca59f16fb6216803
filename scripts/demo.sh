#!/usr/bin/env bash
# The main job: the customer-success review of the bundled demo company,
# its dashboard (BUILD/demo/dashboard.html, csmetrics report --format html),
# then the C examples (NPS, LTV/CAC, churn scenarios, the small ledger).
set -euo pipefail
build=${1:-build}
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
echo "==== csmetrics report examples/data/demo ===================================="
"$build/cli/csmetrics" report examples/data/demo
mkdir -p "$build/demo"
"$build/cli/csmetrics" report examples/data/demo --format html > "$build/demo/dashboard.html"
echo "==== the dashboard: $(cd "$build/demo" && pwd)/dashboard.html (open it in a browser) ===="
for ex in nps_example ltv_example projection_example ledger_example; do
  echo "==== examples/c/$ex.c ===================================================="
  "$build/examples/c/$ex"
  echo
done
