#!/usr/bin/python3
"""An independent pandas implementation of the ledger definitions (docs/metrics.md,
libcsmetrics defaults): monthly MRR movements, rolling GRR/NRR/logo retention and the customer
cohort matrix.

It shares no code with libcsmetrics: it is the second implementation the CLI cross-check
(tests/cli/test_demo_crosscheck.py) and the benchmark (bench/) compare the library with.
Written as a competent pandas user would: vectorized merges and groupbys, no Python loops
over rows.

Input: a DataFrame with columns customer_id (int), period (int month index), mrr (float >= 0).
"""
import numpy as np
import pandas as pd


def normalize(df):
    """Sum duplicate (customer, period) rows and drop months with no MRR."""
    g = df.groupby(["customer_id", "period"], sort=True, as_index=False)["mrr"].sum()
    return g[g["mrr"] > 0].reset_index(drop=True)


MOVEMENT_SUMS = ["opening_mrr", "new", "reactivation", "expansion", "contraction", "churn",
                 "closing_mrr", "opening_customers", "closing_customers", "new_customers",
                 "churned_customers"]


def classify(j):
    """The movement columns of a frame of (customer, month) rows with this month's MRR `m`,
    the previous month's `p` (0 when none) and the customer's `first_period`; `m` and `p`
    become closing_mrr and opening_mrr.  Written with Series.where and column assignment,
    so the same code classifies a pandas frame and a dask.dataframe (bench/peers/dask_peer.py)."""
    m, p = j["m"], j["p"]
    started = (p == 0) & (m > 0)
    j["new"] = m.where(started & (j["period"] == j["first_period"]), 0.0)
    j["reactivation"] = m.where(started & (j["period"] > j["first_period"]), 0.0)
    j["expansion"] = (m - p).where((p > 0) & (m > p), 0.0)
    j["contraction"] = (p - m).where((p > 0) & (m > 0) & (m < p), 0.0)
    j["churn"] = p.where((p > 0) & (m == 0), 0.0)
    j["opening_customers"] = (p > 0).astype(int)
    j["closing_customers"] = (m > 0).astype(int)
    j["new_customers"] = (j["new"] > 0).astype(int)
    j["churned_customers"] = (j["churn"] > 0).astype(int)
    return j.rename(columns={"p": "opening_mrr", "m": "closing_mrr"})


def movement_sums(d, first, last):
    """The additive part of the monthly movements of a normalized frame `d`: money and
    customer counts per month (they add across customer partitions)."""
    first_seen = d.groupby("customer_id")["period"].min().rename("first_period")
    cur = d.rename(columns={"mrr": "m"})
    prev = d.assign(period=d["period"] + 1).rename(columns={"mrr": "p"})
    j = cur.merge(prev, on=["customer_id", "period"], how="outer")
    j = j.merge(first_seen, left_on="customer_id", right_index=True, how="left")
    j["m"] = j["m"].fillna(0.0)
    j["p"] = j["p"].fillna(0.0)
    j = classify(j)
    return j.groupby("period")[MOVEMENT_SUMS].sum().reindex(range(first, last + 1),
                                                            fill_value=0)


def finish_movements(out):
    """Net new MRR and the rates, from (possibly partition-added) movement sums."""
    out = out.copy()
    counts = [c for c in MOVEMENT_SUMS if c.endswith("customers")]
    out[counts] = out[counts].astype(np.int64)  # partition sums come back as floats
    out["net_new"] = (out["new"] + out["reactivation"] + out["expansion"]
                      - out["contraction"] - out["churn"])
    with np.errstate(divide="ignore", invalid="ignore"):
        oc = out["opening_customers"].replace(0, np.nan)
        om = out["opening_mrr"].replace(0, np.nan)
        out["customer_churn_rate"] = out["churned_customers"] / oc
        out["gross_mrr_churn_rate"] = (out["churn"] + out["contraction"]) / om
        out["net_mrr_churn_rate"] = (out["churn"] + out["contraction"]
                                     - out["expansion"] - out["reactivation"]) / om
        down = (out["contraction"] + out["churn"]).replace(0, np.nan)
        out["quick_ratio"] = (out["new"] + out["reactivation"] + out["expansion"]) / down
        out["arpa"] = out["closing_mrr"] / out["closing_customers"].replace(0, np.nan)
    return out


def movements(df, first, last):
    """Monthly movements for months first..last (default definitions: exact comparison,
    no reactivation window, churn-rate denominator = customers at period start)."""
    return finish_movements(movement_sums(normalize(df), first, last))


RETENTION_SUMS = ["one", "retained", "m0", "m1", "kept"]


def retention_columns(j):
    """The additive retention columns of a frame of base rows with the base MRR `m0` and
    the MRR `m1` at the window's end (0 when none): kept (capped) MRR, retained and
    base customers.  Runs on pandas and dask.dataframe frames alike."""
    j["kept"] = j["m0"].where(j["m0"] <= j["m1"], j["m1"])
    j["retained"] = (j["m1"] > 0).astype(int)
    j["one"] = 1
    return j


def retention_sums(d, window, first, last):
    """The additive part of rolling retention of a normalized frame: base customers,
    retained customers, base MRR, end MRR and kept (capped) MRR per end month."""
    base = d.rename(columns={"mrr": "m0"})
    base["end"] = base["period"] + window
    end = d.rename(columns={"mrr": "m1", "period": "end"})
    j = base.merge(end, on=["customer_id", "end"], how="left")
    j["m1"] = j["m1"].fillna(0.0)
    j = retention_columns(j)
    g = j.groupby("end")[RETENTION_SUMS].sum()
    return g.reindex(range(first, last + 1), fill_value=0)


def finish_retention(g):
    with np.errstate(divide="ignore", invalid="ignore"):
        return pd.DataFrame({
            "base_customers": g["one"].astype(np.int64),
            "base_mrr": g["m0"],
            "grr": g["kept"] / g["m0"].replace(0, np.nan),
            "nrr": g["m1"] / g["m0"].replace(0, np.nan),
            "logo_retention": g["retained"] / g["one"].replace(0, np.nan),
        })


def retention(df, window, first, last):
    """Rolling snapshot GRR/NRR/logo retention for end months first..last."""
    return finish_retention(retention_sums(normalize(df), window, first, last))


def cohort_counts(d):
    """Customers active by cohort (first active month) and age, of a normalized frame."""
    first_seen = d.groupby("customer_id")["period"].transform("min")
    d = d.assign(cohort=first_seen, age=d["period"] - first_seen)
    return d.pivot_table(index="cohort", columns="age", values="customer_id",
                         aggfunc="count", fill_value=0)


def finish_cohorts(counts, last):
    """Full age range as float, NaN past `last`."""
    ages = range(0, last - int(counts.index.min()) + 1)
    counts = counts.reindex(columns=ages, fill_value=0).astype(float)
    for c in counts.index:
        counts.loc[c, [a for a in ages if c + a > last]] = np.nan
    return counts


def cohorts(df, last):
    """Customers active by cohort (first active month) and age; NaN past `last`."""
    return finish_cohorts(cohort_counts(normalize(df)), last)


def job(df, first, last, window=12, partitions=1):
    """The benchmark's job -- movements for first..last, `window`-month retention for
    first + window..last, the cohort matrix -- normalizing the rows once.  With
    partitions > 1 the customers are split by customer_id modulo `partitions` and each
    part is computed alone, its sums added to the others' (every figure is additive over
    customers; the ratios are taken at the end): what a pandas user does when the whole
    frame's intermediate tables do not fit in memory."""
    mv = ret = coh = None
    for k in range(partitions):
        part = df if partitions == 1 else df[df["customer_id"] % partitions == k]
        d = normalize(part)
        del part
        m = movement_sums(d, first, last)
        r = retention_sums(d, window, first + window, last)
        c = cohort_counts(d)
        del d
        mv = m if mv is None else mv.add(m, fill_value=0)
        ret = r if ret is None else ret.add(r, fill_value=0)
        coh = c if coh is None else coh.add(c, fill_value=0)
    return finish_movements(mv), finish_retention(ret), finish_cohorts(coh, last)
