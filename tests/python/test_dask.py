"""csmetrics.dask on a real distributed.LocalCluster (2 worker processes):
the movements, retention and cohorts of a dask.dataframe, computed as partial states
per partition on the workers, merged in a tree and finalized on the client
(docs/scaling.md, "Dask").

Expected values: the one-machine csm.Ledger tables of the same rows
(themselves checked by hand and against a naive implementation in
tests/test-ledger.c), counts equal and money to 1e-12 relative; and the
hand-worked ledger of conftest.py."""
import dask.dataframe as dd
import numpy as np
import pandas as pd
import pytest
from distributed import Client, LocalCluster

import csmetrics as csm
import csmetrics.dask as csd

from conftest import FX_CUST, FX_MONTH, FX_MRR, FX_SEG, M0


@pytest.fixture(scope="module")
def client():
    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                           dashboard_address=None)
    c = Client(cluster)
    yield c
    c.close()
    cluster.close()


def rows(seed, n=20000, n_cust=3000, labels=False):
    rng = np.random.default_rng(seed)
    cust = rng.integers(-10**12, 10**12, n_cust)[rng.integers(0, n_cust, n)]
    per = (csm.month(2023, 1) + rng.integers(0, 30, n)).astype(np.int32)
    mrr = np.round(rng.random(n) * 500, 2)
    mrr[rng.random(n) < 0.05] = 0.0
    seg = rng.integers(1, 5, n).astype(np.int32)
    df = pd.DataFrame({"customer_id": cust, "month": per, "mrr": mrr, "segment": seg})
    if labels:
        df["customer_id"] = [f"c{x}" for x in cust]
        df["segment"] = np.array(["smb", "mid", "ent", "gov", "edu"], dtype=object)[seg]
    return df


def same(a, b):
    pd.testing.assert_frame_equal(a, b, check_exact=False, rtol=1e-12, atol=0)
    for col in a.columns:  # counts exactly
        if a[col].dtype.kind in "iu":
            assert (a[col].to_numpy() == b[col].to_numpy()).all(), col


def by_customer(df, n_parts):
    """A ddf of n_parts partitions split by customer, plus an empty one."""
    h = pd.util.hash_pandas_object(df["customer_id"], index=False).to_numpy() % n_parts
    parts = [df[h == k] for k in range(n_parts)]
    parts.insert(1, df.iloc[:0])
    return dd.concat([dd.from_pandas(p, npartitions=1) for p in parts])


OPTIONS = [
    ("movements", {}),
    ("movements", {"by_segment": True, "preset": "stripe"}),
    ("movements", {"reactivation_window": 2, "first_month": "2023-04",
                   "last_month": "2024-02"}),
    ("retention", {"window": 3, "by_segment": True}),
    ("retention", {"window": 12, "nrr_mode": "movement_sum"}),
    ("cohorts", {}),
    ("cohorts", {"by_segment": True, "values": "mrr", "relative": False}),
    ("cohorts", {"baseline": 1, "max_age": 6, "values": "mrr"}),
]


@pytest.mark.parametrize("labels", [False, True])
def test_partitioned_by_customer_equals_one_machine(client, labels):
    df = rows(7, labels=labels)
    one = csm.Ledger(df.customer_id, df.month, df.mrr, df.segment)
    ddf = by_customer(df, 5)
    assert ddf.npartitions == 6
    led = csd.Ledger(ddf, segment="segment", partitioned_by_customer=True, split_every=2)
    for kind, opts in OPTIONS:
        same(getattr(one, kind)(**opts), getattr(led, kind)(**opts))


def test_shuffled_by_row_equals_one_machine(client):
    # rows in random order, split by row: a customer is in several
    # partitions until csmetrics.dask shuffles by customer
    df = rows(11, labels=True).sample(frac=1.0, random_state=3).reset_index(drop=True)
    one = csm.Ledger(df.customer_id, df.month, df.mrr, df.segment)
    ddf = dd.from_pandas(df, npartitions=4)
    led = csd.Ledger(ddf, segment="segment")
    for kind, opts in OPTIONS:
        same(getattr(one, kind)(**opts), getattr(led, kind)(**opts))
    # trusting a row split instead gives wrong counts: the rule matters
    bad = csd.Ledger(ddf, segment="segment", partitioned_by_customer=True)
    assert (bad.movements()["customers"].to_numpy()
            > one.movements()["customers"].to_numpy()).any()


def test_hand_worked(client):
    # conftest.py's ledger with string ids: total MRR by month 700, 450,
    # 300, 340, 690, 690; active customers 4, 4, 3, 3, 5, 5; churned: D in
    # M1, B in M2, C in M3; new: C in M1, F in M3; back: C and D in M4.
    names = dict(zip(range(1, 7), "ABCDEF"))
    df = pd.DataFrame({"customer_id": [names[c] for c in FX_CUST],
                       "month": [M0 + m for m in FX_MONTH],
                       "mrr": np.array(FX_MRR, float),
                       "segment": [{1: "smb", 2: "ent"}[s] for s in FX_SEG]})
    led = csd.Ledger(dd.from_pandas(df, npartitions=3), segment="segment")
    m = led.movements()
    assert list(m["closing_mrr"]) == [700, 450, 300, 340, 690, 690]
    assert list(m["customers"]) == [4, 4, 3, 3, 5, 5]
    assert list(m["churned_customers"]) == [0, 1, 1, 1, 0, 0]
    assert list(m["new_customers"]) == [4, 1, 0, 1, 0, 0]
    assert list(m["reactivated_customers"]) == [0, 0, 0, 0, 2, 0]
    seg = led.movements(by_segment=True)
    assert set(seg.index.get_level_values("segment")) == {"smb", "ent"}
    # 1-month retention ending M1: base M0 = A, B, D, E; retained A, B, E
    r = led.retention(window=1)
    assert r.loc[pd.Period("2024-02", "M"), "base_customers"] == 4
    assert r.loc[pd.Period("2024-02", "M"), "retained_customers"] == 3


def test_options_checked_on_client():
    ddf = dd.from_pandas(rows(1, n=100), npartitions=2)
    with pytest.raises(csm.InvalidArgumentError):
        csd.Ledger(ddf).movements(churn_denominator="daily")


def test_customer_index(client):
    # set_index(customer): known divisions keep a customer in one
    # partition, so no shuffle; without divisions the rows are shuffled
    df = rows(13, labels=True)
    one = csm.Ledger(df.customer_id, df.month, df.mrr, df.segment)
    indexed = dd.from_pandas(df.set_index("customer_id").sort_index(), npartitions=4)
    assert indexed.known_divisions
    led = csd.Ledger(indexed, segment="segment")
    assert not any("shuffle" in name for name in led._ddf.dask.layers)
    same(one.movements(by_segment=True), led.movements(by_segment=True))
    unknown = dd.from_pandas(df.set_index("customer_id"), npartitions=3, sort=False)
    assert not unknown.known_divisions
    assert any("shuffle" in name
               for name in csd.Ledger(unknown, segment="segment")._ddf.dask.layers)
    same(one.retention(window=2), csd.Ledger(unknown, segment="segment").retention(window=2))


def test_cohort_keys(client):
    # numeric ids: every partition gets the same keys (customers it lacks
    # are ignored); the one-machine matrix with the same keys is expected
    df = rows(5)
    one = csm.Ledger(df.customer_id, df.month, df.mrr, df.segment)
    ids = df.customer_id.unique()[:300]
    keys = pd.Series(csm.month(2022, 6) + np.arange(len(ids)) % 40, index=ids)
    led = csd.Ledger(by_customer(df, 3), segment="segment", partitioned_by_customer=True)
    for opts in ({}, {"by_segment": True, "values": "mrr"}):
        same(one.cohorts(cohort_keys=keys, **opts), led.cohorts(cohort_keys=keys, **opts))
    lab = csd.Ledger(dd.from_pandas(rows(5, labels=True), npartitions=2))
    with pytest.raises(csm.InvalidArgumentError):
        lab.cohorts(cohort_keys={"c1": "2023-01"})


def test_survey_responses(client):
    # NPS / CSAT / CES of a ddf of responses (split by row: responses need
    # no partitioning rule), against the one-machine calls on all the rows
    rng = np.random.default_rng(3)
    n = 4000
    df = pd.DataFrame({"score": rng.integers(0, 11, n), "five": rng.integers(1, 6, n),
                       "quarter": rng.integers(0, 6, n).astype(np.int32)})
    ddf = dd.from_pandas(df, npartitions=5)
    same(csm.nps_by_group(df.score, df.quarter), csd.nps(ddf, group="quarter", split_every=2))
    whole = csd.nps(ddf)
    assert whole["nps"].iloc[0] == pytest.approx(csm.nps(df.score).nps, rel=1e-12)
    got = csd.csat(ddf, score="five", group="quarter", top_box_min=5)
    for q in got.index:
        want = csm.csat(df.five[df.quarter == q], top_box_min=5)
        assert got.loc[q, "csat"] == pytest.approx(want.csat, rel=1e-12)
        assert got.loc[q, "ci_low"] == pytest.approx(want.ci_low, rel=1e-12)
    got = csd.ces(ddf, score="five", scale_max=5)
    want = csm.ces(df.five, scale_max=5)
    assert got["ces"].iloc[0] == pytest.approx(want.ces, rel=1e-12)
    assert got["sd"].iloc[0] == pytest.approx(want.sd, rel=1e-12)
    with pytest.raises(csm.InvalidArgumentError):
        csd.nps(ddf.assign(quarter=ddf.quarter.astype(str)), group="quarter")


def test_km(client):
    # Kaplan-Meier of the lifetimes: the one-machine Ledger.km (itself
    # equal to kaplan_meier on Ledger.lifetimes, test_partial.py)
    df = rows(9, labels=True)
    one = csm.Ledger(df.customer_id, df.month, df.mrr, df.segment)
    led = csd.Ledger(by_customer(df, 4), segment="segment", partitioned_by_customer=True)
    for opts in ({}, {"by_segment": True, "at_times": [3, 12]}, {"as_of": "2024-02"}):
        want, got = one.km(**opts), led.km(**opts)
        same(want.table, got.table)
        same(want.summary, got.summary)
        same(want.at, got.at)


def test_activity(client):
    # csmetrics.dask.activity against csm.activity on all the rows: shuffled
    # by account from a ddf split by row, and given whole accounts a
    # partition (plus an empty one)
    from test_partial import activity_rows
    df = activity_rows(11)
    ddf = dd.from_pandas(df, npartitions=4)
    for opts in ({}, {"group_by": "segment"}, {"group_by": "all", "clamp": True},
                 {"group_by": "stage", "month": "2025-01"}):
        same(csm.activity(df, **opts), csd.activity(ddf, split_every=2, **opts))
    h = (df.account_id.to_numpy() // 1_000_003) % 3
    parts = [df[h == k] for k in range(3)]
    parts.insert(1, df.iloc[:0])
    whole = dd.concat([dd.from_pandas(p, npartitions=1) for p in parts])
    same(csm.activity(df, group_by="role"),
         csd.activity(whole, group_by="role", partitioned_by_account=True))
    with pytest.raises(csm.InvalidArgumentError):
        csd.activity(ddf.assign(role=ddf.role.astype(str)))
