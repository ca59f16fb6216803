#!/usr/bin/python3
"""Run the libcsmetrics benchmark end to end (`make bench`):

  1. generate a synthetic ledger per size (bench/gen_ledger: .npy columns + CSV);
  2. run each contender on it -- libcsmetrics from C, libcsmetrics from Python, DuckDB
     (@duckdb/node-api, installed locally under bench/duckdb), pandas -- each timing `runs`
     runs of the same job after loading the data;
  3. compare every contender's results with libcsmetrics' (1e-9 relative) -- a contender that
     does not match gets no time;
  4. write the table (median wall time, peak RSS, ratio to libcsmetrics, throughput against
     the measured memory bandwidth) to docs/performance.md.

    run_bench.py [--sizes 100000,1000000] [--months 36] [--runs 5] [--build build]
                 [--contenders c,python,threads,dask,dask-peer,duckdb,pandas]
                 [--out docs/performance.md] [--smoke]

threads: libcsmetrics from Python with n_jobs = the number of cores (docs/scaling.md).
dask, dask-peer: libcsmetrics through csmetrics.dask, and the same job in plain
dask.dataframe idioms, each on a LocalCluster of 2 worker processes (bench/bench_dask.py);
only the files a contender writes (its "files") are compared, and a contender that leaves
out the cohort matrix is marked "job without cohorts".

--smoke: 2,000 customers, one run, no document: checks the harness and the cross-checks only,
and runs bench_large.py (`make bench-large`) on the same customers in 4 chunks (run by
`make test`)."""
import argparse
import datetime
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
PY = "/usr/bin/python3"


def sh(cmd, **kw):
    p = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if p.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({p.returncode}):\n{p.stderr[-2000:]}")
    return p.stdout


def last_json(out):
    return json.loads([l for l in out.splitlines() if l.startswith("{")][-1])


def machine():
    cpu = "unknown CPU"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = "?"
    try:
        for line in open("/proc/meminfo"):
            if line.startswith("MemTotal"):
                mem = f"{int(line.split()[1]) / 1024 / 1024:.0f} GiB"
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} cores, {mem} RAM, {platform.system()} {platform.release()}"


def ensure_duckdb():
    # @duckdb/node-api exactly as pinned by bench/duckdb/package-lock.json (npm ci); npm ci
    # writes node_modules/.package-lock.json last, so an install older than the lock file
    # (or unfinished) is redone
    d = os.path.join(HERE, "duckdb")
    stamp = os.path.join(d, "node_modules", ".package-lock.json")
    lock = os.path.join(d, "package-lock.json")
    if not (os.path.isdir(os.path.join(d, "node_modules", "@duckdb", "node-api"))
            and os.path.exists(stamp) and os.path.getmtime(stamp) >= os.path.getmtime(lock)):
        if not shutil.which("npm") or not shutil.which("node"):
            return False
        try:
            sh(["npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--silent"], cwd=d)
        except RuntimeError as e:
            print(f"bench: npm ci failed: {e}")
            return False
    return True


def smoke_large(a, size, ref, data):
    """The out-of-core path of `make bench-large` (bench/bench_large.py) on the smoke size:
    the same customers as chunks of a quarter each, every chunk checked against the one-shot
    call, and the finalized tables equal to the C contender's on the one-directory ledger.
    Returns the failures (0 or 1)."""
    od = os.path.join(data, "out-large")
    p = subprocess.run(["meson", "devenv", "-C", a.build, PY, os.path.join(HERE, "bench_large.py"),
                        "--build", os.path.abspath(a.build), "--customers", str(size),
                        "--months", str(a.months), "--chunk-customers", str(-(-size // 4)),
                        "--check-chunks", "4", "--dir", os.path.join(data, "large"),
                        "--out", od], capture_output=True, text=True)
    if p.returncode != 0:
        print(f"bench: bench_large failed ({p.returncode}):\n{p.stdout[-1500:]}{p.stderr[-1500:]}")
        return 1
    print("bench: bench_large", last_json(p.stdout)["check"])
    cmp = subprocess.run([PY, os.path.join(HERE, "compare.py"), ref, od, "1e-9",
                          "movements,retention"], capture_output=True, text=True)
    print(cmp.stdout.strip())
    return 0 if cmp.returncode == 0 else 1


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="100000,1000000")
    ap.add_argument("--months", type=int, default=36)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--contenders", default="c,python,threads,dask,dask-peer,duckdb,pandas")
    ap.add_argument("--pandas-max-rows", type=int, default=200_000_000,
                    help="skip pandas above this many rows (memory)")
    ap.add_argument("--dask-peer-max-rows", type=int, default=20_000_000,
                    help="skip the plain dask.dataframe peer above this many rows (memory)")
    ap.add_argument("--dask-partitions", type=int, default=8)
    ap.add_argument("--out", default=os.path.join(ROOT, "docs", "performance.md"))
    ap.add_argument("--smoke", action="store_true")
    a = ap.parse_args()
    if a.smoke:
        a.sizes, a.runs, a.out = "2000", 1, None
        a.dask_partitions = 2  # each Dask task costs; the smoke run checks results only
        # about 30K rows: the pandas peer works in 3 partitions, so the smoke run's
        # cross-check covers its partitioned path too
        os.environ.setdefault("CSM_PANDAS_PART_ROWS", "10000")
    contenders = a.contenders.split(",")
    if "duckdb" in contenders and not ensure_duckdb():
        print("bench: node/npm or the @duckdb/node-api package not available; DuckDB skipped")
        contenders.remove("duckdb")
    bw = last_json(sh([os.path.join(a.build, "bench", "membw"), "256" if a.smoke else "1024"]))
    results, failures = [], 0
    for size in [int(s) for s in a.sizes.split(",")]:
        data = tempfile.mkdtemp(prefix=f"csm-bench-{size}-")
        try:
            gen = sh([os.path.join(a.build, "bench", "gen_ledger"), str(size), str(a.months), data])
            print("bench:", gen.strip())
            outs = {}
            ref = os.path.join(data, "out-c")
            os.makedirs(ref)
            r = last_json(sh([os.path.join(a.build, "bench", "bench_c"), data, ref, str(a.runs)]))
            r.update(size=size)
            results.append(r)
            rows = r["rows"]
            for c in contenders:
                if c == "c":
                    continue
                od = os.path.join(data, "out-" + c)
                os.makedirs(od)
                try:
                    if c == "python":
                        cmd = ["meson", "devenv", "-C", a.build, PY,
                               os.path.join(HERE, "bench_python.py"), data, od, str(a.runs)]
                    elif c == "threads":
                        # the threaded Python path (docs/scaling.md): one thread a core
                        cmd = ["meson", "devenv", "-C", a.build, PY,
                               os.path.join(HERE, "bench_python.py"), data, od, str(a.runs),
                               str(max(2, os.cpu_count() or 2))]
                    elif c in ("dask", "dask-peer"):
                        if c == "dask-peer" and rows > a.dask_peer_max_rows:
                            print(f"bench: dask-peer skipped at {rows} rows (memory)")
                            continue
                        cmd = ["meson", "devenv", "-C", a.build, PY,
                               os.path.join(HERE, "bench_dask.py"), data, od, str(a.runs),
                               "csm" if c == "dask" else "peer", str(a.dask_partitions)]
                    elif c == "pandas":
                        if rows > a.pandas_max_rows:
                            print(f"bench: pandas skipped at {rows} rows (memory)")
                            continue
                        cmd = [PY, os.path.join(HERE, "bench_pandas.py"), data, od, str(a.runs)]
                    elif c == "duckdb":
                        cmd = ["node", os.path.join(HERE, "duckdb", "bench_duckdb.mjs"), data, od,
                               str(a.runs)]
                    else:
                        raise RuntimeError(f"unknown contender {c}")
                    rr = last_json(sh(cmd))
                except RuntimeError as e:
                    print(f"bench: {c} failed: {e}")
                    failures += 1
                    continue
                cmp = subprocess.run([PY, os.path.join(HERE, "compare.py"), ref, od, "1e-9",
                                      ",".join(rr.get("files", ["movements", "retention",
                                                                "cohorts"]))],
                                     capture_output=True, text=True)
                print(cmp.stdout.strip().splitlines()[-1])
                if cmp.returncode != 0:
                    print(cmp.stdout)
                    failures += 1
                    rr["median_s"] = None  # a wrong answer gets no time
                rr.update(size=size)
                results.append(rr)
            if a.smoke:
                failures += smoke_large(a, size, ref, data)
        finally:
            shutil.rmtree(data, ignore_errors=True)
    for r in results:
        print(json.dumps(r))
    if a.out:
        write_doc(a, results, bw)
    print(f"bench: {len(results) - failures} passed, {failures} failed")
    sys.exit(1 if failures else 0)


def write_doc(a, results, bw):
    by_size = {}
    for r in results:
        by_size.setdefault(r["size"], []).append(r)
    lines = [
        "# Performance",
        "",
        f"Measured {datetime.date.today().isoformat()} on {machine()}; single-core memory read "
        f"bandwidth {bw['read_gb_s']:.1f} GB/s (bench/membw).",
        "",
        f"Command: `make bench` (= `bench/run_bench.py --sizes {a.sizes} --months {a.months} "
        f"--runs {a.runs}`). Job per run: build the ledger from raw rows (sort, merge duplicates), "
        "monthly MRR movements, 12-month GRR/NRR/logo retention for every month, customer cohort "
        "matrix. Data is loaded before the clock starts; times are the median wall time of "
        f"{a.runs} runs; every contender's results were compared with libcsmetrics' to 1e-9 "
        "relative before its time was recorded.",
        "",
        "| customers | rows | contender | median s | ratio to libcsmetrics (C) | peak RSS MB | "
        "throughput |",
        "|---:|---:|---|---:|---:|---:|---|",
    ]
    for size, rs in by_size.items():
        base = next(r for r in rs if r["contender"].startswith("libcsmetrics (C)"))
        for r in rs:
            t = r["median_s"]
            ratio = "wrong result" if t is None else f"{t / base['median_s']:.1f}x"
            tp = ""
            if r is base:
                gbs = r["rows"] * 20 / base["median_s"] / 1e9
                tp = (f"{r['rows'] / base['median_s'] / 1e6:.1f} M rows/s, {gbs:.2f} GB/s of input "
                      f"({gbs / bw['read_gb_s'] * 100:.1f}% of read bandwidth)")
            name = r["contender"]
            if "cohorts" not in r.get("files", ["cohorts"]):
                name += " (job without cohorts)"
            lines.append(f"| {size:,} | {r['rows']:,} | {name} | "
                         f"{'-' if t is None else f'{t:.3f}'} | {ratio} | {r['peak_rss_mb']:.0f} | {tp} |")

    def not_run(prefix, option):
        sizes = [f"{size:,}" for size, rs in by_size.items()
                 if not any(r["contender"].startswith(prefix) for r in rs)]
        return (f" {prefix} was not run at {', '.join(sizes)} customers (memory: above "
                f"--{option})." if sizes else "")
    lines += ["", "Input per row: customer_id int64 + period int32 + mrr float64 = 20 bytes "
              "(the C contender's `input_mb`)." + not_run("pandas", "pandas-max-rows") +
              not_run("plain dask.dataframe", "dask-peer-max-rows"), ""]
    if any("cohorts" not in r.get("files", ["cohorts"]) for r in results):
        lines += ["\"Job without cohorts\": the contender computed the movements and the "
                  "retention only, so its ratio to the C contender, which also builds the cohort "
                  "matrix, flatters it a little.", ""]
    if any("dask" in r["contender"].lower() for r in results):
        lines += ["The Dask contenders' times include scheduling the tasks on a LocalCluster of "
                  f"2 worker processes ({a.dask_partitions} partitions, docs/scaling.md) but not "
                  "loading the rows into the workers. Their peak RSS is the client's plus the "
                  "workers'.", ""]
    lines += open(os.path.join(HERE, "NOTES.md")).read().splitlines() if os.path.exists(
        os.path.join(HERE, "NOTES.md")) else []
    with open(a.out, "w") as f:
        f.write("\n".join(lines) + "\n")
    print("bench: wrote", a.out)


if __name__ == "__main__":
    main()
