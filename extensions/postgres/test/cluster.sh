# extensions/postgres/test/cluster.sh - a throwaway PostgreSQL cluster with
# the built csmetrics extension, for the tests (run.sh) and the benchmark
# (bench/postgres/bench_movements.sh).  Source it, then:
#   csm_pg_cluster EXT_BUILD_DIR [postgres -c settings...]
# sets $work (a temp dir), $sock (the Unix socket directory), $runas (the
# command prefix that runs as the server's user) and starts the server;
# the EXIT trap stops it (pg_ctl stop -m immediate) and removes $work, also
# on failure.  A hook csm_pg_on_exit RC, when defined, runs first.
#
# 1. A staging tree mirrors the server's directories: copies of the
#    `postgres` and `pg_ctl` binaries (the server finds its share and lib
#    directories relative to its own executable), links to every file of
#    the system's share/ and lib/, and the built csmetrics.so, control file
#    and install script; nothing is installed into the system.
# 2. initdb makes the cluster in $work/data, run as the unprivileged
#    `postgres` user when the caller is root (the server refuses root); the
#    server listens on a Unix socket in $work/sock only
#    (listen_addresses = '').
pg_config=${PG_CONFIG:-pg_config}
bindir=$($pg_config --bindir)
pkglibdir=$($pg_config --pkglibdir)
sharedir=$($pg_config --sharedir)
pgxs_dir=$(dirname "$($pg_config --pgxs)")

csm_pg_cleanup() {
  local rc=$?
  if [ "${csm_pg_started:-0}" = 1 ]; then
    "${runas[@]}" "$stage_bin/pg_ctl" -D "$work/data" -m immediate stop >/dev/null 2>&1 || true
  fi
  if declare -F csm_pg_on_exit >/dev/null; then csm_pg_on_exit "$rc" || true; fi
  if [ $rc -ne 0 ] && [ -f "$work/server.log" ]; then tail -n 30 "$work/server.log"; fi
  rm -rf "$work"
  exit $rc
}

csm_pg_cluster() {
  local build=$1; shift
  work=$(mktemp -d /tmp/csm-pg.XXXXXX)
  chmod 755 "$work"
  sock=$work/sock
  runas=()
  trap csm_pg_cleanup EXIT INT TERM
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
  # ---- 1. staging: the same layout below $stage as below the common prefix
  local stage=$work/stage common=$bindir f
  while [ "${sharedir#"$common"/}" = "$sharedir" ] || [ "${pkglibdir#"$common"/}" = "$pkglibdir" ]; do
    common=$(dirname "$common")
  done
  stage_bin=$stage/${bindir#"$common"/}
  local stage_lib=$stage/${pkglibdir#"$common"/} stage_share=$stage/${sharedir#"$common"/}
  mkdir -p "$stage_bin" "$stage_lib" "$stage_share/extension" "$sock"
  cp "$bindir/postgres" "$bindir/pg_ctl" "$stage_bin/"
  for f in "$pkglibdir"/*; do
    [ "$(basename "$f")" = csmetrics.so ] || ln -s "$f" "$stage_lib/"
  done
  for f in "$sharedir"/*; do [ "$(basename "$f")" = extension ] || ln -s "$f" "$stage_share/"; done
  # every extension of the server but an installed csmetrics (a package's
  # copy must not shadow the build's, nor vanish under the test when the
  # package is removed meanwhile)
  for f in "$sharedir"/extension/*; do
    case $(basename "$f") in csmetrics.control|csmetrics--*) continue ;; esac
    ln -s "$f" "$stage_share/extension/"
  done
  cp "$build/csmetrics.so" "$stage_lib/"
  cp "$build/csmetrics.control" "$build"/csmetrics--*.sql "$stage_share/extension/"
  [ ${#runas[@]} -eq 0 ] || chown -R postgres "$work"
  # ---- 2. the cluster
  "${runas[@]}" "$bindir/initdb" -D "$work/data" -U postgres --auth=trust --no-locale -E UTF8 \
    >"$work/initdb.log" 2>&1 || { cat "$work/initdb.log"; exit 1; }
  csm_pg_started=1
  local opts="-k $sock -c listen_addresses=" s
  for s in "$@"; do opts="$opts -c $s"; done
  "${runas[@]}" "$stage_bin/pg_ctl" -D "$work/data" -l "$work/server.log" -w -t 60 \
    -o "$opts" start >/dev/null
}
