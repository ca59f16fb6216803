#!/usr/bin/env bash
# The csmetrics extension on a real PostgreSQL server (meson test suite
# `postgres`, make test-postgres).  Usage:
#   run.sh EXT_BUILD_DIR EXT_SOURCE_DIR CSMETRICS_CLI SOURCE_ROOT
# 1. A staging tree mirrors the server's directories: a copy of the
#    `postgres` and `pg_ctl` binaries (the server finds its share and lib
#    directories relative to its own executable), links to every file of
#    the system's share/ and lib/, and the built csmetrics.so, control file
#    and install script; nothing is installed into the system.
# 2. initdb makes a throwaway cluster in a temp directory, run as the
#    unprivileged `postgres` user when this script runs as root (the server
#    refuses root); the server listens on a Unix socket in that directory
#    only (listen_addresses = '').
# 3. pg_regress runs sql/*.sql against it and compares with expected/*.out.
# The cluster is stopped and the directory removed on exit, also on failure.
set -euo pipefail
build=$(cd "$1" && pwd) src=$(cd "$2" && pwd) cli=$3 root=$(cd "$4" && pwd)
pg_config=${PG_CONFIG:-pg_config}
bindir=$($pg_config --bindir)
pkglibdir=$($pg_config --pkglibdir)
sharedir=$($pg_config --sharedir)
pgxs=$(dirname "$($pg_config --pgxs)")
pg_regress="$pgxs/../test/regress/pg_regress"
[ -x "$pg_regress" ] || { echo "postgres: pg_regress not found at $pg_regress"; exit 1; }

work=$(mktemp -d /tmp/csm-pg.XXXXXX)
chmod 755 "$work"
runas=()
if [ "$(id -u)" -eq 0 ]; then
  id postgres >/dev/null 2>&1 || { echo "postgres: no user 'postgres' to run the server as"; exit 1; }
  runas=(runuser -u postgres --)
  # initdb and the server write to /dev/null as that user: some sandboxes
  # leave a root-only regular file there; put the device back
  if [ ! -c /dev/null ]; then
    echo "postgres: /dev/null is not a character device; recreating it"
    mknod -m 666 /dev/null.csm-pg c 1 3 && mv -f /dev/null.csm-pg /dev/null
  fi
fi
stage=$work/stage data=$work/data sock=$work/sock
started=0
cleanup() {
  rc=$?
  if [ "$started" = 1 ]; then
    "${runas[@]}" "$stage_bin/pg_ctl" -D "$data" -m immediate stop >/dev/null 2>&1 || true
  fi
  # CSM_PG_RESULTS=DIR keeps the actual outputs (to review new expected files)
  if [ -n "${CSM_PG_RESULTS:-}" ] && [ -d "$work/out/results" ]; then
    mkdir -p "$CSM_PG_RESULTS" && cp "$work/out/results"/*.out "$CSM_PG_RESULTS/" || true
  fi
  if [ $rc -ne 0 ]; then
    [ -f "$work/out/regression.diffs" ] && cat "$work/out/regression.diffs"
    [ -f "$work/server.log" ] && tail -n 30 "$work/server.log"
  fi
  rm -rf "$work"
  exit $rc
}
trap cleanup EXIT INT TERM

# ---- 1. staging: the same layout below $stage as below the common prefix
common=$bindir
while [ "${sharedir#"$common"/}" = "$sharedir" ] || [ "${pkglibdir#"$common"/}" = "$pkglibdir" ]; do
  common=$(dirname "$common")
done
stage_bin=$stage/${bindir#"$common"/}
stage_lib=$stage/${pkglibdir#"$common"/}
stage_share=$stage/${sharedir#"$common"/}
mkdir -p "$stage_bin" "$stage_lib" "$stage_share/extension"
cp "$bindir/postgres" "$bindir/pg_ctl" "$stage_bin/"
for f in "$pkglibdir"/*; do ln -s "$f" "$stage_lib/"; done
for f in "$sharedir"/*; do [ "$(basename "$f")" = extension ] || ln -s "$f" "$stage_share/"; done
for f in "$sharedir"/extension/*; do ln -s "$f" "$stage_share/extension/"; done
cp "$build/csmetrics.so" "$stage_lib/"
cp "$build/csmetrics.control" "$build"/csmetrics--*.sql "$stage_share/extension/"

# ---- the inputs the SQL tests read (CSM_PG_WORK): the demo company's
# mrr.csv and the CLI's JSON report of it
mkdir -p "$work/in" "$sock" "$work/out"
cp "$root/examples/data/demo/mrr.csv" "$work/in/"
"$cli" report "$root/examples/data/demo" --format json > "$work/in/demo.json"
[ ${#runas[@]} -eq 0 ] || chown -R postgres "$work"

# ---- 2. the cluster
"${runas[@]}" "$bindir/initdb" -D "$data" -U postgres --auth=trust --no-locale -E UTF8 >"$work/initdb.log" 2>&1 ||
  { cat "$work/initdb.log"; exit 1; }
started=1
"${runas[@]}" "$stage_bin/pg_ctl" -D "$data" -l "$work/server.log" -w -t 60 \
  -o "-k $sock -c listen_addresses= -c max_parallel_workers_per_gather=2" start >/dev/null

# ---- 3. the SQL suite
"${runas[@]}" "$bindir/createdb" -h "$sock" -U postgres csm_regress
tests=$(cd "$src/sql" && ls *.sql | sed 's/\.sql$//' | sort)
cd "$work"
"${runas[@]}" env CSM_PG_WORK="$work/in" PGHOST="$sock" PGUSER=postgres \
  "$pg_regress" --use-existing --bindir="$bindir" --inputdir="$src" \
  --outputdir="$work/out" --host="$sock" --user=postgres --dbname=csm_regress \
  $tests
