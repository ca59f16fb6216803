#!/usr/bin/env bash
# The main job until the csmetrics command lands: run the C examples.
set -euo pipefail
build=${1:-build}
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
for ex in nps_example ltv_example projection_example ledger_example; do
  echo "==== examples/c/$ex.c ===================================================="
  "$build/examples/c/$ex"
  echo
done
