#!/usr/bin/env bash
# The csmetrics extension on a real PostgreSQL server (meson test suite
# `postgres`, make test-postgres).  Usage:
#   run.sh EXT_BUILD_DIR EXT_SOURCE_DIR CSMETRICS_CLI SOURCE_ROOT
# A throwaway cluster with the built extension (cluster.sh: a staging copy
# of the server's tree, initdb in a temp dir as an unprivileged user, a Unix
# socket only), then pg_regress runs sql/*.sql against it and compares
# with expected/*.out.  The cluster is stopped and the temp dir removed on
# exit, also on failure.  CSM_PG_RESULTS=DIR keeps the actual outputs (to
# review a new expected file).
set -euo pipefail
build=$(cd "$1" && pwd) src=$(cd "$2" && pwd) cli=$3 root=$(cd "$4" && pwd)
. "$src/test/cluster.sh"
pg_regress="$pgxs_dir/../test/regress/pg_regress"
[ -x "$pg_regress" ] || { echo "postgres: pg_regress not found at $pg_regress"; exit 1; }

csm_pg_on_exit() {
  if [ -n "${CSM_PG_RESULTS:-}" ] && [ -d "$work/out/results" ]; then
    mkdir -p "$CSM_PG_RESULTS" && cp "$work/out/results"/*.out "$CSM_PG_RESULTS/"
  fi
  if [ "$1" -ne 0 ] && [ -f "$work/out/regression.diffs" ]; then
    cat "$work/out/regression.diffs"
  fi
}

csm_pg_cluster "$build" max_parallel_workers_per_gather=2

# the inputs the SQL tests read (CSM_PG_WORK): the demo company's mrr.csv
# and the CLI's JSON report of it
mkdir -p "$work/in" "$work/out"
cp "$root/examples/data/demo/mrr.csv" "$work/in/"
"$cli" report "$root/examples/data/demo" --format json > "$work/in/demo.json"
[ ${#runas[@]} -eq 0 ] || chown -R postgres "$work/in" "$work/out"

"${runas[@]}" "$bindir/createdb" -h "$sock" -U postgres csm_regress
tests=$(cd "$src/sql" && ls *.sql | sed 's/\.sql$//' | sort)
cd "$work"
"${runas[@]}" env CSM_PG_WORK="$work/in" PGHOST="$sock" PGUSER=postgres \
  "$pg_regress" --use-existing --bindir="$bindir" --inputdir="$src" \
  --outputdir="$work/out" --host="$sock" --user=postgres --dbname=csm_regress \
  $tests
