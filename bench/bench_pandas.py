#!/usr/bin/python3
"""The pandas contender (Debian's python3-pandas): bench/peers/pandas_peer.py computes the
same definitions with vectorized merges and groupbys (no Python loops over rows).

    bench_pandas.py DATADIR OUTDIR [runs=5]

Data is loaded (np.load) into a DataFrame before the clock starts; each run normalizes the
rows once (duplicates summed, as the other contenders do) and computes monthly movements,
12-month retention for every month and the customer cohort matrix.  Above 20 M rows
(CSM_PANDAS_PART_ROWS) the customers are split into partitions of at most that many rows,
each computed alone and the sums added (pandas_peer.job).  Prints one JSON
line like bench_c; writes the last run's results as CSV for bench/compare.py."""
import json
import os
import resource
import sys
import time

import numpy as np
import pandas as pd

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "peers"))
import pandas_peer  # noqa: E402

PART_ROWS = int(os.environ.get("CSM_PANDAS_PART_ROWS", "20000000"))


def write_results(out, mv, ret, coh=None):
    """The CSV files of bench/compare.py from the tables of pandas_peer.job (or
    dask_peer.job: bench_dask.py); cohorts only when given."""
    os.makedirs(out, exist_ok=True)
    mv = mv.rename_axis("month").reset_index()
    mv[["month", "opening_mrr", "new", "reactivation", "expansion", "contraction", "churn",
        "closing_mrr", "opening_customers", "closing_customers", "new_customers",
        "churned_customers"]].to_csv(os.path.join(out, "movements.csv"), index=False,
                                     float_format="%.17g")
    ret.rename_axis("end_month").reset_index()[
        ["end_month", "base_customers", "base_mrr", "grr", "nrr", "logo_retention"]
    ].to_csv(os.path.join(out, "retention.csv"), index=False, float_format="%.17g")
    if coh is None:
        return
    long = coh.stack().rename("customers").reset_index()
    long.columns = ["cohort", "age", "customers"]
    long["customers"] = long["customers"].astype(np.int64)
    long.to_csv(os.path.join(out, "cohorts.csv"), index=False)


def main():
    data, out = sys.argv[1], sys.argv[2]
    runs = int(sys.argv[3]) if len(sys.argv) > 3 else 5
    df = pd.DataFrame({"customer_id": np.load(os.path.join(data, "customer_id.npy")),
                       "period": np.load(os.path.join(data, "period.npy")),
                       "mrr": np.load(os.path.join(data, "mrr.npy"))})
    first, last = int(df["period"].min()), int(df["period"].max())
    # one partition per PART_ROWS rows: above that, pandas' intermediate tables (about
    # 450 bytes a row at the peak) would not fit the machine
    parts = max(1, -(-len(df) // PART_ROWS))
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        mv, ret, coh = pandas_peer.job(df, first, last, 12, parts)
        times.append(time.perf_counter() - t0)
    write_results(out, mv, ret, coh)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    name = "pandas" if parts == 1 else f"pandas ({parts} partitions)"
    print(json.dumps({"contender": name, "rows": int(len(df)), "partitions": parts,
                      "median_s": float(np.median(times)), "times_s": times,
                      "peak_rss_mb": round(peak, 1)}))


if __name__ == "__main__":
    main()
