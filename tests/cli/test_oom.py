"""The csmetrics command out of memory (issue 17, "OOM"; docs/reliability.md).

tests/cli/failmalloc.c (an LD_PRELOAD shim) makes allocation N and every
later one fail; for N spread over every allocation a `report` makes on a
small company (every input file: the CSV readers, the scorecard, every
section, the JSON writer), the run must end one of two ways:
  exit 70 with a message on stderr (out of memory is not the data's fault:
  never 65, never a signal), or
  exit 0 with exactly the report of a run without the shim (N beyond the
  allocations the run makes, or failures only in stdio buffers).
Before this test, a failed allocation in a CSV reader was exit 65 ("out of
memory" as a data error), libcsv's and the built-in scorecard's too, the
health section's scoring was 65, and the JSON writer printed an empty report
with exit 0.
Usage: test_oom.py CSMETRICS FAILMALLOC_SO   (skipped, 77, in a sanitizer
build: the shim and ASan's allocator do not mix; and in a coverage build:
gcov's exit handler allocates and crashes once allocation fails)."""
import os
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DEMO = os.path.join(ROOT, "examples", "data", "demo")
RUNS = 400  # failure points tried (spread evenly over the run's allocations)


def main():
    cli, shim = sys.argv[1], sys.argv[2]
    ldd = subprocess.run(["ldd", cli], capture_output=True, text=True).stdout
    if "libasan" in ldd or "libtsan" in ldd:
        print("skipped: sanitizer build")
        return 77
    with open(cli, "rb") as f:
        if b"__gcov_" in f.read():  # gcov's exit handler allocates, and crashes
            print("skipped: coverage build")
            return 77
    with tempfile.TemporaryDirectory() as d:
        # the first 24 rows of every demo file (subscriptions.csv aside: report
        # reads it only without mrr.csv)
        for name in sorted(os.listdir(DEMO)):
            if name.endswith(".csv") and name != "subscriptions.csv":
                with open(os.path.join(DEMO, name)) as f, \
                        open(os.path.join(d, name), "w") as g:
                    for i, line in enumerate(f):
                        if i > 24:
                            break
                        g.write(line)
        cmd = [cli, "report", d, "--format", "json"]
        env = dict(os.environ, LD_PRELOAD=shim)
        env.pop("CSM_FAILMALLOC_AT", None)
        full = subprocess.run(cmd, capture_output=True, env=dict(env, CSM_FAILMALLOC_COUNT="1"))
        assert full.returncode == 0, full.stderr
        total = int(full.stderr.decode().rsplit("failmalloc:", 1)[1])
        assert total > 1000, total  # the shim did count the run's allocations
        want = subprocess.run(cmd, capture_output=True).stdout
        assert full.stdout == want
        step = max(1, total // RUNS)
        bad, ooms = [], 0
        for n in list(range(0, total, step)) + [total - 1, total]:
            r = subprocess.run(cmd, capture_output=True, env=dict(env, CSM_FAILMALLOC_AT=str(n)))
            err = r.stderr.decode(errors="replace")
            if r.returncode == 70 and err.startswith("csmetrics:"):
                ooms += 1
            elif r.returncode != 0 or r.stdout != want:
                bad.append(f"allocation {n}: exit {r.returncode}: {err[:200]!r}")
        print(f"{total} allocations, {ooms} runs out of memory (exit 70)")
        if bad:
            print("\n".join(bad[:20]))
            return 1
        assert ooms > RUNS // 2, ooms  # the failures did happen
    return 0


if __name__ == "__main__":
    sys.exit(main())
