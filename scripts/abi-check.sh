#!/usr/bin/env bash
# The ABI check of make test (make test-abi): compares the built shared
# library with the baseline of the released ABI, abi/libcsmetrics.abi
# (abidw, Debian abigail-tools; see docs/reliability.md "ABI check").
#   scripts/abi-check.sh BUILD_DIR            compare (the check)
#   scripts/abi-check.sh --update BUILD_DIR   write the baseline (at a release)
# Passes when the exported functions and variables and the public types they
# reach are unchanged or only added to (abidiff --no-added-syms).  Fails on a
# removed symbol or a changed type, unless the soname differs from the
# baseline's (the ABI was deliberately broken and the soname bumped): then it
# passes and says the baseline is to be refreshed.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
update=0
if [ "${1:-}" = "--update" ]; then update=1; shift; fi
build=${1:?usage: scripts/abi-check.sh [--update] BUILD_DIR}
lib="$build/lib/libcsmetrics.so"
baseline="$here/abi/libcsmetrics.abi"
supp="$here/abi/suppressions.txt"
[ -e "$lib" ] || { echo "abi-check: no $lib (build first)" >&2; exit 2; }
for tool in abidw abidiff; do
  command -v $tool >/dev/null || { echo "abi-check: $tool missing (Debian abigail-tools: make deps-reliability)" >&2; exit 2; }
done
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
# Only the types of the public headers, no file paths or source locations:
# the dump is the same from any build directory, build type or checkout.
abidw --no-corpus-path --no-comp-dir-path --no-show-locs --type-id-style hash \
  --drop-private-types --headers-dir "$here/include/csmetrics" \
  --header-file "$build/include/csmetrics/version.h" \
  "$lib" > "$tmp/raw.abi"
# Each translation unit's path is relative to the build directory (absolute
# for one outside the tree): keep it from lib/ on, so the baseline has no
# build-tree noise.
sed "s|\(<abi-instr [^>]* path='\)[^']*\(lib/[^']*'\)|\1\2|" "$tmp/raw.abi" > "$tmp/current.abi"
grep -q "<abi-corpus " "$tmp/current.abi" || { echo "abi-check: abidw failed on $lib" >&2; exit 2; }
if [ $update = 1 ]; then
  cp "$tmp/current.abi" "$baseline"
  echo "abi-check: wrote $baseline ($(grep -c '<elf-symbol' "$baseline") symbols)"
  exit 0
fi
[ -f "$baseline" ] || { echo "abi-check: no baseline $baseline" >&2; exit 2; }
soname() { sed -n "s/.*<abi-corpus [^>]*soname='\([^']*\)'.*/\1/p" "$1" | head -1; }
old=$(soname "$baseline"); new=$(soname "$tmp/current.abi")
if [ "$old" != "$new" ]; then
  echo "abi-check: soname $old -> $new: the ABI break is declared; refresh the baseline"
  echo "abi-check: at the release (scripts/abi-check.sh --update $build)"
  exit 0
fi
args=(--no-added-syms)
[ -f "$supp" ] && args+=(--suppressions "$supp")
set +e
abidiff "${args[@]}" "$baseline" "$tmp/current.abi" > "$tmp/report" 2> "$tmp/stderr"
rc=$?
# (abidiff can print XML parse errors and still return 0.)
if [ -s "$tmp/stderr" ]; then cat "$tmp/stderr" >&2; [ $rc -ne 0 ] || rc=1; fi
set -e
# abidiff's status is a bit mask: 1 error, 2 usage, 4 an ABI change,
# 8 an incompatible change (a removed symbol).  With --no-added-syms any
# change left is to something the released ABI had.
if [ $rc -ne 0 ]; then
  cat "$tmp/report"
  echo "abi-check: $lib changes the released ABI of $old (abidiff status $rc);"
  echo "abi-check: keep it compatible, or bump soversion in meson.build (an ABI break)"
  exit 1
fi
added=$( { abidiff "$baseline" "$tmp/current.abi" || true; } | sed -n 's/.*Removed, .* Changed.*, \([0-9]*\) Added function.*/\1/p' | head -1)
echo "abi-check: $lib keeps the ABI of $old (baseline abi/libcsmetrics.abi; ${added:-0} functions added)"
