#!/usr/bin/env bash
# Install DuckDB's C library and header for the Arrow consumer test
# (tests/arrow/test-duckdb.c, make test-arrow) from the npm packages pinned
# in deps/duckdb/package-lock.json:
#   @duckdb/node-bindings-linux-x64  ships libduckdb.so (linux x64, glibc);
#   duckdb                           ships the sources, hence duckdb.h.
# `npm ci --ignore-scripts`: the duckdb package's install script would try
# to download a prebuilt Node addon, which neither works offline nor is
# needed here.  Idempotent: nothing is done when node_modules is already
# installed from the current lock file.
set -euo pipefail
dir=$(cd "$(dirname "$0")/.." && pwd)/deps/duckdb
lib=$dir/node_modules/@duckdb/node-bindings-linux-x64/libduckdb.so
hdr=$dir/node_modules/duckdb/src/duckdb/src/include/duckdb.h
# npm ci writes node_modules/.package-lock.json last: newer than the lock
# file when the install is complete and current.
stamp=$dir/node_modules/.package-lock.json
if [ -f "$lib" ] && [ -f "$hdr" ] && [ -f "$stamp" ] &&
   [ ! "$dir/package-lock.json" -nt "$stamp" ]; then
  echo "deps-duckdb: DuckDB already installed under deps/duckdb/node_modules"
  exit 0
fi
if [ "$(uname -s)-$(uname -m)" != "Linux-x86_64" ]; then
  echo "deps-duckdb: the pinned DuckDB library is for linux x86_64 (glibc) only;" \
       "this is $(uname -s)-$(uname -m)" >&2
  exit 1
fi
if ! command -v npm >/dev/null; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "deps-duckdb: npm not found; run: sudo apt-get update && sudo apt-get install -y npm" >&2
    exit 1
  fi
  echo "deps-duckdb: installing Debian's npm"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q --no-install-recommends npm
fi
echo "deps-duckdb: npm ci in deps/duckdb (DuckDB library and header)"
(cd "$dir" && npm ci --ignore-scripts --no-audit --no-fund)
for f in "$lib" "$hdr"; do
  [ -f "$f" ] || { echo "deps-duckdb: $f missing after npm ci" >&2; exit 1; }
done
