#!/usr/bin/env bash
# make test-wheel: install the wheel of WHEEL_DIR (make wheel) into a fresh
# venv that sees Debian's numpy and pandas (--system-site-packages), then run
# against the installed package -- not the build tree -- the README's Python
# example (tests/wheel) and a few of the binding tests (tests/python).
#   scripts/wheel-test.sh WHEEL_DIR BUILD
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
wheel_dir=$1 build=$2
shopt -s nullglob
wheels=("$wheel_dir"/csmetrics-*.whl)
[ ${#wheels[@]} -eq 1 ] || { echo "test-wheel: expected one csmetrics wheel in $wheel_dir, found ${#wheels[@]}"; exit 1; }
work=$(mktemp -d /tmp/csm-wheel.XXXXXX)
trap 'rm -rf "$work"' EXIT
/usr/bin/python3 -m venv --system-site-packages "$work/venv"
# numpy and pandas come from Debian; nothing is downloaded
"$work/venv/bin/python" -m pip install --quiet --no-index "${wheels[0]}"
echo "test-wheel: installed $(basename "${wheels[0]}") into $work/venv"
# the wheel holds the Python package only (pyproject.toml: -Dwheel=true)
if /usr/bin/python3 -m zipfile -l "${wheels[0]}" | awk 'NR > 1 {print $1}' | grep -v '^csmetrics/\|^csmetrics-[^/]*\.dist-info/'; then
  echo "test-wheel: the wheel holds files outside the csmetrics package"; exit 1
fi
# from a directory without the sources, so only the venv's package can be imported
cd "$work"
cli=$build/cli/csmetrics
case $cli in /*) ;; *) cli=$here/$cli ;; esac
CSM_CLI="$cli" "$work/venv/bin/python" -m pytest -p no:cacheprovider -q \
  "$here/tests/wheel" \
  "$here/tests/python/test_nps.py" "$here/tests/python/test_ledger.py" \
  "$here/tests/python/test_survival.py" "$here/tests/python/test_ltv.py"
