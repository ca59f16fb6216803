#!/usr/bin/env bash
# Line and branch coverage of lib/ and cli/ (gcovr, Debian gcovr) from the
# check and cli suites in a build with -Db_coverage=true; see
# docs/reliability.md "Coverage gate".
#   scripts/coverage.sh [--gate] [BUILD_DIR]      (default build-cov)
# Prints gcovr's summary lines ("lines: N%", "branches: N%") for lib/ and
# for lib/ + cli/, and writes BUILD_DIR/coverage/index.html (per file and
# line).  With --gate it fails when a figure is below its floor (FLOORS).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
gate=0
if [ "${1:-}" = "--gate" ]; then gate=1; shift; fi
build=${1:-build-cov}
# The floors: what the suites reach (docs/reliability.md), a few tenths
# below so that rounding never fails the gate; raise them as tests are added.
FLOOR_LIB_LINES=${FLOOR_LIB_LINES:-96.9}
FLOOR_LIB_BRANCHES=${FLOOR_LIB_BRANCHES:-87.6}
FLOOR_ALL_LINES=${FLOOR_ALL_LINES:-95.6}
FLOOR_ALL_BRANCHES=${FLOOR_ALL_BRANCHES:-85.5}
command -v gcovr >/dev/null || { echo "coverage: gcovr missing (make deps-reliability)" >&2; exit 2; }
cd "$here"
# -fprofile-update=atomic: tests/test-threads.c runs the library in 8
# threads, and plain counters race (gcovr then fails on negative counts).
# The flags are stamped in the directory; other flags set it up again.
flags="-Db_coverage=true -Dpython=disabled -Djava=disabled -Dpostgres=disabled -Dc_args=-fprofile-update=atomic"
if [ ! -f "$build/build.ninja" ] || [ "$(cat "$build/.setup-flags" 2>/dev/null)" != "$flags" ]; then
  rm -rf "$build"
  meson setup "$build" $flags
  printf '%s\n' "$flags" > "$build/.setup-flags"
fi
meson compile -C "$build"
# Counters from this run only.
find "$build" -name '*.gcda' -delete
meson test -C "$build" --no-rebuild --print-errorlogs --suite check --suite cli
mkdir -p "$build/coverage"
summary() { # LABEL FILTER...
  local label=$1; shift
  local args=()
  for f in "$@"; do args+=(-f "$f"); done
  gcovr -r . --object-directory "$build" "${args[@]}" --print-summary \
    -o "$build/coverage/$label-files.txt" > "$build/coverage/$label.txt"
  echo "coverage of $label:"
  grep -E '^(lines|branches):' "$build/coverage/$label.txt" | sed 's/^/  /'
}
summary lib 'lib/'
summary lib+cli 'lib/' 'cli/'
gcovr -r . --object-directory "$build" -f 'lib/' -f 'cli/' --html-details \
  -o "$build/coverage/index.html"
echo "coverage: per-file report $build/coverage/index.html"
[ $gate = 1 ] || exit 0
pct() { sed -n "s/^$2: \([0-9.]*\)%.*/\1/p" "$build/coverage/$1.txt"; }
fail=0
check() { # LABEL KIND FLOOR
  local got; got=$(pct "$1" "$2")
  if awk -v g="$got" -v f="$3" 'BEGIN { exit !(g + 0 < f + 0) }'; then
    echo "coverage gate: $1 $2 $got% is below the floor $3%"; fail=1
  fi
}
check lib lines "$FLOOR_LIB_LINES"
check lib branches "$FLOOR_LIB_BRANCHES"
check lib+cli lines "$FLOOR_ALL_LINES"
check lib+cli branches "$FLOOR_ALL_BRANCHES"
[ $fail = 0 ] || exit 1
echo "coverage gate: passed (floors: lib lines $FLOOR_LIB_LINES%, branches $FLOOR_LIB_BRANCHES%; lib+cli lines $FLOOR_ALL_LINES%, branches $FLOOR_ALL_BRANCHES%)"
