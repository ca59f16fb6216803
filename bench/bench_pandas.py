#!/usr/bin/python3
"""The pandas contender (Debian's python3-pandas): bench/peers/pandas_peer.py computes the
same definitions with vectorized merges and groupbys (no Python loops over rows).

    bench_pandas.py DATADIR OUTDIR [runs=5]

Data is loaded (np.load) into a DataFrame before the clock starts; each run computes monthly
movements, 12-month retention for every month and the customer cohort matrix.  Prints one JSON
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


def main():
    data, out = sys.argv[1], sys.argv[2]
    runs = int(sys.argv[3]) if len(sys.argv) > 3 else 5
    df = pd.DataFrame({"customer_id": np.load(os.path.join(data, "customer_id.npy")),
                       "period": np.load(os.path.join(data, "period.npy")),
                       "mrr": np.load(os.path.join(data, "mrr.npy"))})
    first, last = int(df["period"].min()), int(df["period"].max())
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        mv = pandas_peer.movements(df, first, last)
        ret = pandas_peer.retention(df, 12, first + 12, last)
        coh = pandas_peer.cohorts(df, last)
        times.append(time.perf_counter() - t0)
    os.makedirs(out, exist_ok=True)
    mv = mv.rename_axis("month").reset_index()
    mv[["month", "opening_mrr", "new", "reactivation", "expansion", "contraction", "churn",
        "closing_mrr", "opening_customers", "closing_customers", "new_customers",
        "churned_customers"]].to_csv(os.path.join(out, "movements.csv"), index=False,
                                     float_format="%.17g")
    ret.rename_axis("end_month").reset_index()[
        ["end_month", "base_customers", "base_mrr", "grr", "nrr", "logo_retention"]
    ].to_csv(os.path.join(out, "retention.csv"), index=False, float_format="%.17g")
    long = coh.stack().rename("customers").reset_index()
    long.columns = ["cohort", "age", "customers"]
    long["customers"] = long["customers"].astype(np.int64)
    long.to_csv(os.path.join(out, "cohorts.csv"), index=False)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    print(json.dumps({"contender": "pandas", "rows": int(len(df)),
                      "median_s": float(np.median(times)), "times_s": times,
                      "peak_rss_mb": round(peak, 1)}))


if __name__ == "__main__":
    main()
