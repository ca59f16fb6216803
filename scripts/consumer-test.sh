#!/usr/bin/env bash
# Install libcsmetrics into a temporary prefix, then build every C example
# as an outside consumer would (cc + pkg-config only) and run it.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d /tmp/csm-consumer.XXXXXX)
trap 'rm -rf "$work"' EXIT
prefix="$work/prefix"
meson setup "$work/build" "$here" --prefix="$prefix" -Dtests=false -Dbench=false \
  -Dpython=disabled >/dev/null
meson compile -C "$work/build" >/dev/null
meson install -C "$work/build" --quiet >/dev/null
pc=$(find "$prefix" -name csmetrics.pc | head -n1)
[ -n "$pc" ] || { echo "consumer: csmetrics.pc was not installed"; exit 1; }
export PKG_CONFIG_PATH
PKG_CONFIG_PATH=$(dirname "$pc")
libdir=$(pkg-config --variable=libdir csmetrics)
echo "consumer: installed into $prefix; pkg-config --cflags --libs csmetrics = $(pkg-config --cflags --libs csmetrics)"
fails=0
for src in "$here"/examples/c/*.c; do
  name=$(basename "$src" .c)
  # shellcheck disable=SC2046
  if ! cc -std=c11 -Wall -Wextra -o "$work/$name" "$src" $(pkg-config --cflags --libs csmetrics); then
    echo "consumer: $name does not compile against the installed library"; fails=$((fails+1)); continue
  fi
  if (cd "$here" && LD_LIBRARY_PATH="$libdir" "$work/$name" >"$work/$name.out"); then
    echo "consumer: $name built with pkg-config and ran: ok"
  else
    echo "consumer: $name FAILED at run time"; fails=$((fails+1))
  fi
done
[ "$fails" -eq 0 ]
