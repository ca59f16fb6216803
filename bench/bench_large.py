#!/usr/bin/python3
"""Out of core (`make bench-large`, docs/scaling.md "Out of core"): a ledger too big for memory,
computed chunk by chunk through the partial-merge path of the public Python API.

  1. bench/gen_ledger writes N customers x M months as chunks of whole customers
     (DIR/chunk-KKKKK/{customer_id,period,mrr}.npy, one customer-id range each), after checking
     that the disk has room;
  2. one chunk at a time is memory-mapped (np.load(mmap_mode="r")), built into a csm.Ledger and
     turned into its partial states -- movements, 12-month retention, and every other family
     csm.Ledger has a `<family>_partial` for (cohorts, once they merge) -- which are merged into
     the running states; the ledger and the mapping are dropped before the next chunk;
  3. the merged states are finalized into the tables;
  4. check: the states merged from the first K chunks, finalized, must equal the one-shot
     csm.Ledger calls on those chunks' rows (counts exactly, money to 1e-12 relative); done in
     a child process, so that the peak RSS reported is the chunked run's alone.

Reported (one JSON line): rows, chunks, generation time, processing time (steps 2-3, wall and
CPU: on a shared machine the wall time also counts the waits) and rows/s,
the processing process's peak RSS (getrusage ru_maxrss: it counts the mapped file pages it
touched), the generator's peak RSS, the load average before and after, and the check.  The
chunks are deleted at the end unless --keep.

    bench_large.py [--customers 100000000] [--months 36] [--chunk-customers 2000000]
                   [--dir build/bench-large] [--build build] [--check-chunks 2] [--keep]
                   [--reuse] [--out CSVDIR]

Run it with the build tree's csmetrics on the path (the Makefile uses `meson devenv`).
--reuse: process chunks already in --dir (written by an earlier --keep run) instead of
generating them.  --out: write the final tables as bench/compare.py CSV files."""
import argparse
import glob
import json
import os
import resource
import shutil
import subprocess
import sys
import time

import numpy as np
import pandas as pd

import csmetrics as csm

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
# the gen_ledger shape: about 0.41 rows per customer-month (36 months: 14.73 rows a customer)
ROWS_PER_CUSTOMER_MONTH = 0.42
BYTES_PER_ROW = 20  # customer_id int64 + period int32 + mrr float64
SPARE_BYTES = 5 << 30  # left free on the disk for everyone else


def families():
    """(family, options) of every partial state the job merges: movements and 12-month
    retention, and each other family csm.Ledger can compute as a partial state."""
    fam = [("movements", {}), ("retention", {"window": 12})]
    for name in ("cohorts",):
        if hasattr(csm.Ledger, name + "_partial"):
            fam.append((name, {}))
    return fam


def chunk_dirs(d):
    return sorted(glob.glob(os.path.join(d, "chunk-*")))


def load(chunk, mmap=True):
    return [np.load(os.path.join(chunk, c + ".npy"), mmap_mode="r" if mmap else None)
            for c in ("customer_id", "period", "mrr")]


def process(dirs, fam, snapshot_after, snapshot_dir):
    """The merged states of the chunks' ledgers (one chunk in memory at a time); the states
    after the first `snapshot_after` chunks are written to snapshot_dir as bytes."""
    acc, rows = {}, 0
    for i, chunk in enumerate(dirs):
        cols = load(chunk)
        rows += len(cols[0])
        led = csm.Ledger(*cols)
        for name, opts in fam:
            part = getattr(led, name + "_partial")(**opts)
            if name in acc:
                acc[name].merge(part)
            else:
                acc[name] = part
        del led, cols, part
        if i + 1 == snapshot_after:
            os.makedirs(snapshot_dir, exist_ok=True)
            for name, state in acc.items():
                with open(os.path.join(snapshot_dir, name + ".state"), "wb") as f:
                    f.write(state.to_bytes())
    return acc, rows


def same(a, b):
    """Money to 1e-12 relative, counts (the integer columns) exactly."""
    pd.testing.assert_frame_equal(a, b, check_exact=False, rtol=1e-12, atol=0)
    assert a.select_dtypes("integer").equals(b.select_dtypes("integer"))


def check(dirs, snapshot_dir):
    """The snapshot states, finalized, against the one-shot calls on the same chunks' rows."""
    cols = [np.concatenate(c) for c in zip(*(load(d, mmap=False) for d in dirs))]
    led = csm.Ledger(*cols)
    for name, opts in families():
        with open(os.path.join(snapshot_dir, name + ".state"), "rb") as f:
            merged = getattr(csm.Partial.from_bytes(f.read()), name)()
        same(getattr(led, name)(**opts), merged)
    return {"check_chunks": len(dirs), "check_rows": int(len(cols[0])),
            "check": "merged states of the first chunks equal the one-shot calls"}


def cpu_s():
    """This process's CPU time so far (user + system), seconds."""
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def loadavg():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--customers", type=int, default=100_000_000)
    ap.add_argument("--months", type=int, default=36)
    ap.add_argument("--chunk-customers", type=int, default=2_000_000)
    ap.add_argument("--dir", default=os.path.join(ROOT, "build", "bench-large"))
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--check-chunks", type=int, default=2)
    ap.add_argument("--keep", action="store_true")
    ap.add_argument("--reuse", action="store_true")
    ap.add_argument("--out")
    ap.add_argument("--check-only", help=argparse.SUPPRESS)  # the child of step 4
    a = ap.parse_args()
    if a.check_only:
        print(json.dumps(check(chunk_dirs(a.dir)[:a.check_chunks], a.check_only)))
        return
    res = {"customers": a.customers, "months": a.months, "chunk_customers": a.chunk_customers,
           "families": [f for f, _ in families()], "load_before": loadavg()}
    if not a.reuse:
        if chunk_dirs(a.dir):
            sys.exit(f"bench-large: {a.dir} already holds chunks (--reuse, or delete them)")
        need = int(a.customers * a.months * ROWS_PER_CUSTOMER_MONTH * BYTES_PER_ROW)
        os.makedirs(a.dir, exist_ok=True)
        free = shutil.disk_usage(a.dir).free
        if free < need + SPARE_BYTES:
            sys.exit(f"bench-large: {a.dir} needs about {need / 1e9:.1f} GB and "
                     f"{SPARE_BYTES / 1e9:.1f} GB to spare; the disk has {free / 1e9:.1f} GB free")
        t0 = time.perf_counter()
        gen = subprocess.run([os.path.join(a.build, "bench", "gen_ledger"), str(a.customers),
                              str(a.months), a.dir, "42", str(a.chunk_customers)],
                             capture_output=True, text=True)
        if gen.returncode != 0:
            sys.exit(f"bench-large: gen_ledger failed: {gen.stderr}")
        res["gen_s"] = round(time.perf_counter() - t0, 1)
        res["gen_peak_rss_mb"] = round(
            resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024.0, 1)
        print("bench-large:", gen.stdout.strip(), flush=True)
    dirs = chunk_dirs(a.dir)
    if not dirs:
        sys.exit(f"bench-large: no chunks in {a.dir}")
    snapshot = os.path.join(a.dir, "check-states")
    fam = families()
    try:
        t0, cpu0 = time.perf_counter(), cpu_s()
        acc, rows = process(dirs, fam, min(a.check_chunks, len(dirs)), snapshot)
        tables = {name: getattr(acc[name], name)() for name, _ in fam}
        secs, cpu = time.perf_counter() - t0, cpu_s() - cpu0
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
        res.update(rows=rows, chunks=len(dirs), input_gb=round(rows * BYTES_PER_ROW / 1e9, 2),
                   process_s=round(secs, 1), process_cpu_s=round(cpu, 1),
                   rows_per_s=round(rows / secs),
                   peak_rss_mb=round(peak, 1), peak_under_8gb=peak * 2**20 < 8e9,
                   load_after=loadavg())
        if a.out:
            sys.path.insert(0, HERE)
            import bench_python
            bench_python.write_results(a.out, tables["movements"], tables["retention"])
        chk = subprocess.run([sys.executable, os.path.abspath(__file__), "--dir", a.dir,
                              "--check-chunks", str(a.check_chunks), "--check-only", snapshot],
                             capture_output=True, text=True)
        if chk.returncode != 0:
            res["check"] = "FAILED: " + chk.stderr[-1500:]
        else:
            res.update(json.loads(chk.stdout.strip().splitlines()[-1]))
    finally:
        if not a.keep:  # only what this job writes: never the rest of a user's directory
            for d in chunk_dirs(a.dir) + [os.path.join(a.dir, "check-states")]:
                shutil.rmtree(d, ignore_errors=True)
            try:
                os.rmdir(a.dir)
            except OSError:
                pass
    print(json.dumps(res))
    sys.exit(0 if res.get("check", "").startswith("merged") and res["peak_under_8gb"] else 1)


if __name__ == "__main__":
    main()
