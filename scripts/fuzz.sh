#!/usr/bin/env bash
# The libFuzzer harnesses of tests/fuzz (docs/reliability.md), built with
# clang under ASan+UBSan in their own build directory so the gcc builds are
# untouched.
#   scripts/fuzz.sh build            set up (or refresh) and compile $FUZZ_BUILD
#   scripts/fuzz.sh replay           run every seed and reproducer once
#   scripts/fuzz.sh run SECONDS [H]  fuzz each harness (or H) for SECONDS
#   scripts/fuzz.sh merge [H]        fold the scratch corpus into tests/fuzz/corpus
# Environment: FUZZ_BUILD (build-fuzz), FUZZ_CC (clang).
# `run` fuzzes from the checked-in seeds plus a scratch corpus kept in
# $FUZZ_BUILD/corpus/H (what earlier runs found), writes a crash to
# $FUZZ_BUILD/artifacts/ and fails on the first one.  The checked-in
# corpus is only read.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=${FUZZ_BUILD:-build-fuzz}
cc=${FUZZ_CC:-clang}
fuzzdir=$here/tests/fuzz
harnesses=(csv cli scorecard ledger contracts keys survival partial)

# Extra libFuzzer flags of each harness: its dictionary; the CLI's report
# and messages go nowhere (fd 1 and 2 closed for the target; libFuzzer
# and the sanitizers keep theirs).
flags_of() {
    case $1 in
    csv) echo "-dict=$fuzzdir/csv.dict" ;;
    cli) echo "-dict=$fuzzdir/csv.dict -close_fd_mask=3" ;;
    scorecard) echo "-dict=$fuzzdir/json.dict" ;;
    *) echo "" ;;
    esac
}

setup_flags="-Dfuzz=enabled -Dtests=false -Dbench=false -Dpython=disabled -Djava=disabled -Dpostgres=disabled \
-Db_sanitize=address,undefined -Db_lundef=false \
-Dc_args=['-fsanitize=fuzzer-no-link','-fno-sanitize-recover=all']"

do_build() {
    local stamp=$build/.setup-flags
    local want="$cc $setup_flags"
    if [ ! -f "$build/build.ninja" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
        echo "fuzz: setting up $build with CC=$cc $setup_flags"
        rm -rf "$build"
        # shellcheck disable=SC2086
        (cd "$here" && CC=$cc meson setup "$build" $setup_flags >/dev/null) ||
            { echo "fuzz: meson setup failed (see $build/meson-logs/meson-log.txt)"; exit 1; }
        printf '%s\n' "$want" >"$stamp"
    fi
    (cd "$here" && meson compile -C "$build" >"$build/compile.log" 2>&1) ||
        { tail -n 30 "$here/$build/compile.log"; echo "fuzz: the build failed"; exit 1; }
}

# Sanitizer settings of every run: stop at the first report, with a stack.
export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

do_replay() {
    local total=0
    for h in "${harnesses[@]}"; do
        local files=()
        for d in "$fuzzdir/corpus/$h" "$fuzzdir/regress/$h"; do
            [ -d "$d" ] || continue
            while IFS= read -r -d '' f; do files+=("$f"); done \
                < <(find "$d" -type f -print0 | sort -z)
        done
        [ ${#files[@]} -gt 0 ] || continue
        # shellcheck disable=SC2046
        if ! "$here/$build/tests/fuzz/fuzz-$h" $(flags_of "$h") "${files[@]}" \
            >"$here/$build/replay-$h.log" 2>&1; then
            tail -n 40 "$here/$build/replay-$h.log"
            echo "fuzz replay: fuzz-$h failed on a checked-in input (log: $build/replay-$h.log)"
            exit 1
        fi
        echo "fuzz replay: fuzz-$h: ${#files[@]} inputs OK"
        total=$((total + ${#files[@]}))
    done
    echo "fuzz replay: $total inputs replayed, no failure"
}

do_run() {
    local secs=$1
    shift
    local list=("$@")
    [ ${#list[@]} -gt 0 ] || list=("${harnesses[@]}")
    mkdir -p "$here/$build/artifacts"
    for h in "${list[@]}"; do
        local scratch=$here/$build/corpus/$h
        mkdir -p "$scratch"
        local seeds=()
        [ -d "$fuzzdir/corpus/$h" ] && seeds+=("$fuzzdir/corpus/$h")
        [ -d "$fuzzdir/regress/$h" ] && seeds+=("$fuzzdir/regress/$h")
        echo "fuzz: fuzz-$h for ${secs}s"
        # shellcheck disable=SC2046
        if ! "$here/$build/tests/fuzz/fuzz-$h" $(flags_of "$h") \
            -max_total_time="$secs" -print_final_stats=1 \
            -artifact_prefix="$here/$build/artifacts/$h-" \
            "$scratch" "${seeds[@]}" >"$here/$build/fuzz-$h.log" 2>&1; then
            grep -v '^#[0-9]' "$here/$build/fuzz-$h.log" | tail -n 60
            echo "fuzz: fuzz-$h found a failure: the input is in $build/artifacts/"
            echo "fuzz: keep it as tests/fuzz/regress/$h/NAME once fixed"
            exit 1
        fi
        grep -E '^stat::number_of_executed_units|^Done' "$here/$build/fuzz-$h.log" | tail -n 1
    done
}

do_merge() {
    local list=("$@")
    [ ${#list[@]} -gt 0 ] || list=("${harnesses[@]}")
    for h in "${list[@]}"; do
        mkdir -p "$fuzzdir/corpus/$h"
        # shellcheck disable=SC2046
        "$here/$build/tests/fuzz/fuzz-$h" $(flags_of "$h") -merge=1 \
            "$fuzzdir/corpus/$h" "$here/$build/corpus/$h" >/dev/null 2>&1
        echo "fuzz merge: tests/fuzz/corpus/$h: $(ls "$fuzzdir/corpus/$h" | wc -l) inputs"
    done
}

cmd=${1:-}
shift || true
case $cmd in
build) do_build ;;
replay) do_build && do_replay ;;
run) [ $# -ge 1 ] || { echo "usage: $0 run SECONDS [HARNESS...]" >&2; exit 2; }
     do_build && do_run "$@" ;;
merge) do_build && do_merge "$@" ;;
*) echo "usage: $0 build | replay | run SECONDS [HARNESS...] | merge [HARNESS...]" >&2
   exit 2 ;;
esac
