"""The benchmark's job in plain dask.dataframe idioms, without libcsmetrics: what a Dask user
writes who ports bench/peers/pandas_peer.py to a cluster -- a groupby-sum of the duplicate
(customer, month) rows, the previous month as a shifted copy merged on (customer, month), the
movement columns of pandas_peer.classify, a self-merge on (customer, month + window) for
retention, and groupby-sums per month, all computed by one dask.compute on whatever scheduler
is current.  The small per-month tables that come back are finished with pandas_peer's
functions (net new, the rates).

Input: a dask.dataframe with columns customer_id (int), period (int month index), mrr
(float >= 0).  Customers may be split across partitions: the groupbys and merges shuffle by
key (hash joins on `npartitions` output partitions)."""
import dask

import pandas_peer


def job(ddf, first, last, window=12, cohorts=False, npartitions=None):
    """(movements, retention, cohorts or None) as pandas_peer.job returns them: movements for
    first..last, `window`-month retention for first + window..last and, with `cohorts`, the
    customer cohort matrix."""
    n = npartitions or ddf.npartitions
    d = ddf.groupby(["customer_id", "period"], sort=False).mrr.sum(split_out=n).reset_index()
    d = d[d["mrr"] > 0]
    first_seen = d.groupby("customer_id", sort=False)["period"].min(split_out=n).rename(
        "first_period").to_frame()
    cur = d.rename(columns={"mrr": "m"})
    prev = d.assign(period=d["period"] + 1).rename(columns={"mrr": "p"})
    j = cur.merge(prev, on=["customer_id", "period"], how="outer", npartitions=n)
    j = j.merge(first_seen, left_on="customer_id", right_index=True, how="left", npartitions=n)
    j["m"] = j["m"].fillna(0.0)
    j["p"] = j["p"].fillna(0.0)
    mv = pandas_peer.classify(j).groupby("period")[pandas_peer.MOVEMENT_SUMS].sum()
    base = d.rename(columns={"mrr": "m0"})
    base["end"] = base["period"] + window
    end = d.rename(columns={"mrr": "m1", "period": "end"})
    r = base.merge(end, on=["customer_id", "end"], how="left", npartitions=n)
    r["m1"] = r["m1"].fillna(0.0)
    ret = pandas_peer.retention_columns(r).groupby("end")[pandas_peer.RETENTION_SUMS].sum()
    todo = [mv, ret]
    if cohorts:
        c = d.merge(first_seen, left_on="customer_id", right_index=True, npartitions=n)
        c["age"] = c["period"] - c["first_period"]
        todo.append(c.groupby(["first_period", "age"])["customer_id"].count())
    got = dask.compute(*todo)
    mv = pandas_peer.finish_movements(got[0].reindex(range(first, last + 1), fill_value=0))
    ret = pandas_peer.finish_retention(got[1].reindex(range(first + window, last + 1),
                                                      fill_value=0))
    coh = None
    if cohorts:
        counts = got[2].unstack(fill_value=0).sort_index()
        counts.index.name = "cohort"
        coh = pandas_peer.finish_cohorts(counts, last)
    return mv, ret, coh
