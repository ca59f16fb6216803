#!/usr/bin/env bash
# tests/sql/run.sh BUILD_DIR LIBDUCKDB_SO - the generated SQL against the
# library: a throwaway PostgreSQL cluster (extensions/postgres/test/cluster.sh,
# with the build's extension staged though these queries do not use it) and
# DuckDB's C library; check_sql.py compares every figure.
set -euo pipefail
build=$(cd "$1" && pwd)
duck=$2
src=$(cd "$(dirname "$0")/../.." && pwd)
. "$src/extensions/postgres/test/cluster.sh"
csm_pg_cluster "$build/extensions/postgres"
export PGHOST=$sock
meson devenv -C "$build" /usr/bin/python3 "$src/tests/sql/check_sql.py" \
  "$build/cli/csmetrics" "$duck"
