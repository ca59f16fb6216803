#!/usr/bin/env bash
# make test-package: install the .debs of PACKAGE_DIR (make package) into
# this machine with apt-get and use them as a user would:
#   - the C examples built with pkg-config and with CMake against
#     libcsmetrics-dev, printing what the build tree's examples print;
#   - `csmetrics report` on the demo company (the same JSON as the build
#     tree's command) and `man csmetrics`;
#   - `import csmetrics` from Debian's python3 (the package's copy);
#   - examples/java/NrrGrr.java with the installed jar, against the
#     installed csmetrics command (examples/java/check_example.py);
#   - CREATE EXTENSION csmetrics on a throwaway PostgreSQL 15 cluster;
#   - lintian on the build's .changes: no errors.
# The packages are purged again at the end (KEEP_PACKAGES=1 keeps them), so
# the machine's other builds do not pick up an installed libcsmetrics.
#   scripts/package-test.sh PACKAGE_DIR BUILD      (as root)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
pkgdir=$1 build=$2
case $pkgdir in /*) ;; *) pkgdir=$here/$pkgdir ;; esac
case $build in /*) ;; *) build=$here/$build ;; esac
[ "$(id -u)" -eq 0 ] || { echo "test-package: run as root (apt-get install)"; exit 1; }
shopt -s nullglob
debs=("$pkgdir"/*.deb)
[ ${#debs[@]} -ge 6 ] || { echo "test-package: expected the 6 .debs in $pkgdir (make package)"; exit 1; }
names=()
for d in "${debs[@]}"; do names+=("$(dpkg-deb -f "$d" Package)"); done
work=$(mktemp -d /tmp/csm-package.XXXXXX)
chmod 755 "$work"
pg_started=0
cleanup() {
  local rc=$?
  if [ "$pg_started" = 1 ]; then
    runuser -u postgres -- /usr/lib/postgresql/15/bin/pg_ctl -D "$work/pg/data" -m immediate stop >/dev/null 2>&1 || true
  fi
  if [ "${KEEP_PACKAGES:-0}" != 1 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get purge -y -q "${names[@]}" >/dev/null 2>&1 || true
  fi
  rm -rf "$work"
  [ $rc -eq 0 ] && echo "test-package: all checks passed" || echo "test-package: FAILED"
  exit $rc
}
trap cleanup EXIT
fail() { echo "test-package: $*"; exit 1; }

# ---- install (apt-get resolves the dependencies from the archive)
(cd "$pkgdir" && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
  "${debs[@]/#$pkgdir/.}" >"$work/apt.log" 2>&1) || { cat "$work/apt.log"; fail "apt-get install failed"; }
echo "test-package: installed ${names[*]}"

# ---- C: pkg-config and CMake, from the system paths only
[ "$(pkg-config --modversion csmetrics)" = "$(cd "$here" && meson introspect --projectinfo "$build" |
  /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["version"])')" ] ||
  fail "pkg-config's csmetrics version is not the project's"
cmake -S "$here/examples/cmake" -B "$work/cmake" >"$work/cmake.log" 2>&1 &&
  cmake --build "$work/cmake" >>"$work/cmake.log" 2>&1 || { cat "$work/cmake.log"; fail "the CMake consumer does not build"; }
for src in "$here"/examples/c/*.c; do
  name=$(basename "$src" .c)
  # shellcheck disable=SC2046
  cc -std=c11 -Wall -Wextra -Werror -o "$work/$name" "$src" $(pkg-config --cflags --libs csmetrics) ||
    fail "$name does not build with pkg-config"
  # (outputs are captured, not piped into grep -q: with pipefail, grep's
  # early exit would fail the writer with SIGPIPE)
  dyn=$(readelf -d "$work/$name")
  [[ ! $dyn =~ RPATH|RUNPATH ]] || fail "$name has an rpath"
  deps=$(ldd "$work/$name")
  [[ $deps =~ libcsmetrics\.so\.2\ =\>\ (/usr)?/lib/ ]] || fail "$name does not use the installed library"
  (cd "$here" && "$build/examples/c/$name" >"$work/$name.want" && "$work/$name" >"$work/$name.got" &&
   "$work/cmake/$name" >"$work/$name.cmake") || fail "$name failed at run time"
  cmp -s "$work/$name.want" "$work/$name.got" || fail "$name (pkg-config) prints otherwise than the build tree's"
  cmp -s "$work/$name.want" "$work/$name.cmake" || fail "$name (CMake) prints otherwise than the build tree's"
  echo "test-package: $name built with pkg-config and with CMake, ran as the build tree's: ok"
done

# ---- the command and its manual
[ "$(command -v csmetrics)" = /usr/bin/csmetrics ] || fail "csmetrics is not /usr/bin/csmetrics"
/usr/bin/csmetrics report "$here/examples/data/demo" >"$work/report.txt" || fail "csmetrics report failed"
/usr/bin/csmetrics report "$here/examples/data/demo" --format json >"$work/report.json"
"$build/cli/csmetrics" report "$here/examples/data/demo" --format json >"$work/report.want.json"
cmp -s "$work/report.json" "$work/report.want.json" || fail "csmetrics report --format json differs from the build tree's"
grep -q "NRR" "$work/report.txt" || fail "the text report has no NRR"
echo "test-package: csmetrics report on the demo: $(wc -l <"$work/report.txt") lines, JSON as the build tree's: ok"
[[ $(man -w csmetrics) == /usr/share/man/man1/csmetrics.1* ]] || fail "man csmetrics is not installed"
manual=$(MANWIDTH=80 man csmetrics 2>"$work/man.err")
[[ $manual == *--skip-bad-rows* ]] || fail "man csmetrics lacks the options"
[ ! -s "$work/man.err" ] || { cat "$work/man.err"; fail "man csmetrics warns"; }
echo "test-package: man csmetrics: ok"

# ---- Python: NPS of 10 10 9 7 3 = 100 (3 promoters - 1 detractor) / 5 = 40
(cd "$work" && /usr/bin/python3 -c '
import csmetrics as csm, sys
assert csm.__file__.startswith("/usr/lib/python3/dist-packages/csmetrics/"), csm.__file__
r = csm.nps([10, 10, 9, 7, 3])
assert abs(r.nps - 40.0) < 1e-12, r.nps
print("test-package: import csmetrics from", csm.__file__, "- nps:", r.nps)
') || fail "the Python package does not work"

# ---- Java: the example against the installed command
/usr/bin/python3 "$here/examples/java/check_example.py" "$(command -v javac)" "$(command -v java)" \
  /usr/share/java/csmetrics.jar /usr/bin/csmetrics "$here" "$work/java-classes" ||
  fail "examples/java/NrrGrr.java with the installed jar"
echo "test-package: the installed jar ran examples/java/NrrGrr.java: ok"

# ---- PostgreSQL: the installed extension on a throwaway cluster (as the
# postgres user: the server refuses root; a Unix socket only)
pgbin=/usr/lib/postgresql/15/bin
pg=$work/pg
mkdir -p "$pg/sock" && chown -R postgres "$pg"
runuser -u postgres -- "$pgbin/initdb" -D "$pg/data" -U postgres --auth=trust --no-locale -E UTF8 \
  >"$work/initdb.log" 2>&1 || { cat "$work/initdb.log"; fail "initdb"; }
pg_started=1
runuser -u postgres -- "$pgbin/pg_ctl" -D "$pg/data" -l "$pg/server.log" -w -t 60 \
  -o "-k $pg/sock -c listen_addresses=" start >/dev/null || { cat "$pg/server.log"; fail "pg_ctl start"; }
nps=$(runuser -u postgres -- "$pgbin/psql" -h "$pg/sock" -U postgres -d postgres -X -A -t -v ON_ERROR_STOP=1 \
  -c "CREATE EXTENSION csmetrics" \
  -c "SELECT csm_nps(s) FROM (VALUES (10), (10), (9), (7), (3)) AS t(s)" | tail -n1)
[ "$nps" = 40 ] || fail "CREATE EXTENSION csmetrics; csm_nps(10 10 9 7 3) = '$nps', not 40"
echo "test-package: CREATE EXTENSION csmetrics; csm_nps = 40: ok"

# ---- lintian: no errors (warnings are printed)
changes=("$pkgdir"/*.changes)
lintian --fail-on error "${changes[@]}" ||
  fail "lintian reports errors"
echo "test-package: lintian: no errors"
