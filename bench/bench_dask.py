#!/usr/bin/python3
"""The Dask contenders (docs/scaling.md, "Dask"), each on its own distributed.LocalCluster of
2 worker processes with 1 thread each:

  csm   libcsmetrics through csmetrics.dask.Ledger: each partition's rows become a ledger on a
        worker and give their partial states, merged in a tree and finalized on the client;
  peer  the same job in plain dask.dataframe idioms, no libcsmetrics (bench/peers/dask_peer.py:
        groupby-sum, a shifted copy merged on (customer, month), groupby-sums per month).

    bench_dask.py DATADIR OUTDIR [runs=5] [csm|peer] [partitions=8]

The job: monthly MRR movements and 12-month retention for every month -- and the customer
cohort matrix only when csmetrics.dask.Ledger has `cohorts` (then both contenders compute it).
It is not the whole benchmark job of the other contenders while the cohorts are left out:
run_bench.py compares only the files the contender names ("files" in its JSON line) and
says so in the table.

Before the clock starts, the rows (np.load) are split into `partitions` pieces by customer-id
range (so each piece holds whole customers, as files written one customer range per file
would; the rows keep their month order) and scattered to the workers' memory; both contenders
get that same dask.dataframe.  csmetrics.dask is told the partitions hold whole customers
(partitioned_by_customer=True: no shuffle); the peer does not rely on it (its groupbys and
merges shuffle by key, as dask.dataframe does on columns).  Times: median wall time of the
runs on the client.  peak_rss_mb: the client's peak RSS plus each worker process's
(getrusage in each)."""
import json
import os
import resource
import sys
import time

import numpy as np
import pandas as pd

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "peers"))
sys.path.insert(0, HERE)
import bench_pandas  # noqa: E402  (the peer's CSV writer)
import dask_peer  # noqa: E402

WORKERS = 2


def with_cohorts():
    """Whether the job includes the cohort matrix: when csmetrics.dask.Ledger computes it."""
    import csmetrics.dask as csd
    return hasattr(csd.Ledger, "cohorts")


def by_customer_range(cust, per, mrr, parts):
    """`parts` pandas frames of whole customers: customer-id ranges of about equal row
    counts, each piece's rows in their input order."""
    bounds = np.unique(np.quantile(cust, np.linspace(0, 1, parts + 1)[1:-1]))
    k = np.searchsorted(bounds, cust, side="right")
    order = np.argsort(k, kind="stable")
    starts = np.searchsorted(k[order], np.arange(len(bounds) + 2))
    return [pd.DataFrame({"customer_id": cust[ix], "period": per[ix], "mrr": mrr[ix]})
            for ix in (order[starts[i]:starts[i + 1]] for i in range(len(bounds) + 1))]


def peak_rss_mb(client):
    """The client's peak RSS plus every worker process's, in MB."""
    def rss():
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    workers = client.run(rss)
    return (rss() + sum(workers.values())) / 1024.0


def main():
    data, out = sys.argv[1], sys.argv[2]
    runs = int(sys.argv[3]) if len(sys.argv) > 3 else 5
    which = sys.argv[4] if len(sys.argv) > 4 else "csm"
    parts = int(sys.argv[5]) if len(sys.argv) > 5 else 8
    if which not in ("csm", "peer"):
        raise SystemExit(f"bench_dask: unknown contender {which!r}")
    import dask.dataframe as dd
    from distributed import Client, LocalCluster, wait

    cohorts = with_cohorts()
    cust = np.load(os.path.join(data, "customer_id.npy"))
    per = np.load(os.path.join(data, "period.npy"))
    mrr = np.load(os.path.join(data, "mrr.npy"))
    first, last = int(per.min()), int(per.max())
    pieces = by_customer_range(cust, per, mrr, parts)
    del per, mrr
    cluster = LocalCluster(n_workers=WORKERS, threads_per_worker=1, processes=True,
                           dashboard_address=None)
    client = Client(cluster)
    try:
        futures = client.scatter(pieces)
        wait(futures)
        ddf = dd.from_delayed(futures, meta=pieces[0].iloc[:0])
        del pieces
        times = []
        for _ in range(runs):
            t0 = time.perf_counter()
            if which == "csm":
                import csmetrics.dask as csd
                led = csd.Ledger(ddf, customer="customer_id", month="period", mrr="mrr",
                                 partitioned_by_customer=True)
                res = (led.movements(), led.retention(window=12),
                       led.cohorts(values="customers", relative=False) if cohorts else None)
            else:
                res = dask_peer.job(ddf, first, last, 12, cohorts)
            times.append(time.perf_counter() - t0)
        peak = peak_rss_mb(client)
    finally:
        client.close()
        cluster.close()
    if which == "csm":
        import bench_python  # the csm.Ledger tables' CSV writer (imports csmetrics)
        bench_python.write_results(out, *res)
        name = "libcsmetrics (Dask, csmetrics.dask)"
    else:
        bench_pandas.write_results(out, *res)
        name = "plain dask.dataframe"
    files = ["movements", "retention"] + (["cohorts"] if cohorts else [])
    print(json.dumps({"contender": f"{name}, {WORKERS} workers", "rows": int(len(cust)),
                      "partitions": parts, "files": files,
                      "median_s": float(np.median(times)), "times_s": times,
                      "peak_rss_mb": round(peak, 1)}))


if __name__ == "__main__":
    main()
