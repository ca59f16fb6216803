#!/usr/bin/python3
"""The libcsmetrics-from-Python contender: numpy arrays (np.load) passed to the SWIG
bindings without copies; the same job as bench_c.  Run with the build tree on PYTHONPATH
(run_bench.py does that through `meson devenv`).

    bench_python.py DATADIR OUTDIR [runs=5] [n_jobs=1]

With n_jobs > 1 (the "threads" contender, docs/scaling.md): the ledger is built as n_jobs
customer partitions on as many threads (the row indices dealt by range, then one build a
partition from its row list) and the movements, retention and cohort matrix are computed
per partition on the pool, merged and finalized.  movements_s: the time of the build +
movements part alone (median).""" 
import json
import os
import resource
import sys
import time

import numpy as np

import csmetrics as csm


def month_index(ix):
    """Month indexes (year * 12 + month - 1) of a Period index."""
    return np.asarray([p.year * 12 + p.month - 1 for p in ix])


def write_results(out, mv, ret, coh=None):
    """The CSV files of bench/compare.py from csm.Ledger's movements, retention and (when
    given) cohort tables; also used by bench_dask.py and bench_large.py."""
    os.makedirs(out, exist_ok=True)
    m = mv.reset_index(drop=True)
    m.insert(0, "month", month_index(mv.index))
    m = m.rename(columns={"customers": "closing_customers"})
    if "opening_customers" not in m:
        m["opening_customers"] = m["closing_customers"].shift(1, fill_value=0)
    m[["month", "opening_mrr", "new", "reactivation", "expansion", "contraction", "churn",
       "closing_mrr", "opening_customers", "closing_customers", "new_customers",
       "churned_customers"]].to_csv(os.path.join(out, "movements.csv"), index=False,
                                    float_format="%.17g")
    r = ret.reset_index(drop=True)
    r.insert(0, "end_month", month_index(ret.index))
    r[["end_month", "base_customers", "base_mrr", "grr", "nrr", "logo_retention"]].to_csv(
        os.path.join(out, "retention.csv"), index=False, float_format="%.17g")
    if coh is None:
        return
    long = coh.stack().rename("customers").reset_index()
    long.columns = ["cohort", "age", "customers"]
    long["cohort"] = month_index(long["cohort"])
    long["age"] = long["age"].astype(int)
    long["customers"] = long["customers"].astype(np.int64)
    long.to_csv(os.path.join(out, "cohorts.csv"), index=False)


def main():
    data, out = sys.argv[1], sys.argv[2]
    runs = int(sys.argv[3]) if len(sys.argv) > 3 else 5
    n_jobs = int(sys.argv[4]) if len(sys.argv) > 4 else 1
    cust = np.load(os.path.join(data, "customer_id.npy"))
    per = np.load(os.path.join(data, "period.npy"))
    mrr = np.load(os.path.join(data, "mrr.npy"))
    times, mtimes = [], []
    for _ in range(runs):
        t0 = time.perf_counter()
        led = csm.Ledger(cust, per, mrr, n_jobs=n_jobs)
        mv = led.movements()
        mtimes.append(time.perf_counter() - t0)
        ret = led.retention(window=12)
        coh = led.cohorts(values="customers", relative=False)
        del led
        times.append(time.perf_counter() - t0)
    write_results(out, mv, ret, coh)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    name = "libcsmetrics (Python)" if n_jobs == 1 else f"libcsmetrics (Python, {n_jobs} threads)"
    print(json.dumps({"contender": name, "rows": int(len(cust)),
                      "median_s": float(np.median(times)), "times_s": times,
                      "movements_s": float(np.median(mtimes)),
                      "peak_rss_mb": round(peak, 1)}))


if __name__ == "__main__":
    main()
