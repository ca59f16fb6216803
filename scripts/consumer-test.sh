#!/usr/bin/env bash
# Install libcsmetrics into a temporary prefix, then build every C example
# as an outside consumer would and run it: with cc + pkg-config, and with
# CMake's find_package(csmetrics) (examples/cmake/CMakeLists.txt).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d /tmp/csm-consumer.XXXXXX)
trap 'rm -rf "$work"' EXIT
prefix="$work/prefix"
meson setup "$work/build" "$here" --prefix="$prefix" -Dtests=false -Dbench=false \
  -Dpython=disabled -Djava=disabled -Dpostgres=disabled >/dev/null
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
cmake_config=$(find "$prefix" -name csmetricsConfig.cmake | head -n1)
[ -n "$cmake_config" ] || { echo "consumer: csmetricsConfig.cmake was not installed"; exit 1; }
if ! cmake -S "$here/examples/cmake" -B "$work/cmake" -DCMAKE_PREFIX_PATH="$prefix" >"$work/cmake.log" 2>&1 ||
   ! cmake --build "$work/cmake" >>"$work/cmake.log" 2>&1; then
  cat "$work/cmake.log"; echo "consumer: the CMake consumer does not build"; exit 1
fi
for src in "$here"/examples/c/*.c; do
  name=$(basename "$src" .c)
  if (cd "$here" && LD_LIBRARY_PATH="$libdir" "$work/cmake/$name" >"$work/$name.cmake.out") &&
     cmp -s "$work/$name.out" "$work/$name.cmake.out"; then
    echo "consumer: $name built with CMake (find_package(csmetrics 0.2)) and ran: ok"
  else
    echo "consumer: $name built with CMake FAILED at run time or printed otherwise"; fails=$((fails+1))
  fi
done
# the version file accepts the installed 0.2.x for 0.2 and nothing newer
mkdir -p "$work/cmake-newer"
printf 'cmake_minimum_required(VERSION 3.16)\nproject(newer C)\nfind_package(csmetrics 0.3 REQUIRED)\n' \
  >"$work/cmake-newer/CMakeLists.txt"
if cmake -S "$work/cmake-newer" -B "$work/cmake-newer/build" -DCMAKE_PREFIX_PATH="$prefix" >/dev/null 2>&1; then
  echo "consumer: find_package(csmetrics 0.3) accepted the installed $(pkg-config --modversion csmetrics)"
  fails=$((fails+1))
else
  echo "consumer: find_package(csmetrics 0.3) refuses the installed $(pkg-config --modversion csmetrics): ok"
fi
[ "$fails" -eq 0 ]
