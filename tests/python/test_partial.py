"""Threads and mergeable partial results (docs/scaling.md): a Ledger built
with n_jobs > 1 holds customer partitions whose movements, retention and
cohorts are computed on a
thread pool, merged and finalized; Partial states merge and pickle.

The expected tables are the one-thread ones: Ledger(..., n_jobs=1) computed
by csm_movements_compute (csm_retention_compute, csm_cohorts_compute) on the
ledger of all the rows (itself checked by
hand and against a naive implementation in tests/test-ledger.c).  Counts
must be equal, money equal to 1e-12 relative."""
import pickle
import threading

import numpy as np
import pandas as pd
import pytest

import csmetrics as csm


def rows(seed, n=20000, n_cust=3000, labels=False):
    rng = np.random.default_rng(seed)
    cust = rng.integers(-10**12, 10**12, n_cust)[rng.integers(0, n_cust, n)]
    per = (csm.month(2023, 1) + rng.integers(0, 30, n)).astype(np.int32)
    mrr = np.round(rng.random(n) * 500, 2)
    mrr[rng.random(n) < 0.05] = 0.0
    seg = rng.integers(1, 5, n).astype(np.int32)
    if labels:
        cust = np.array([f"c{x}" for x in cust], dtype=object)
        seg = np.array(["smb", "mid", "ent", "gov", "edu"], dtype=object)[seg]
    return cust, per, mrr, seg


def same(a, b):
    pd.testing.assert_frame_equal(a, b, check_exact=False, rtol=1e-12, atol=0)
    for col in a.columns:  # counts exactly
        if a[col].dtype.kind in "iu":
            assert (a[col].to_numpy() == b[col].to_numpy()).all(), col


OPTIONS = [
    {},
    {"by_segment": True},
    {"preset": "stripe"},
    {"reactivation_window": 2, "tolerance": 3.0, "churn_denominator": "average"},
    {"by_segment": True, "first_month": "2023-04", "last_month": "2024-02"},
    {"first_month": "2023-07"},
    {"last_month": "2023-09", "by_segment": True},
]


RETENTION = [
    {},
    {"window": 1, "by_segment": True},
    {"window": 3, "nrr_mode": "movement_sum"},
    {"window": 6, "first_month": "2023-09", "last_month": "2024-03", "by_segment": True},
    {"window": 2, "last_month": "2023-11"},
]


@pytest.mark.parametrize("opts", RETENTION)
@pytest.mark.parametrize("n_jobs", [2, 5])
def test_retention_threads_equal_one_thread(opts, n_jobs):
    cust, per, mrr, seg = rows(100 + n_jobs)
    one = csm.Ledger(cust, per, mrr, seg, n_jobs=1)
    many = csm.Ledger(cust, per, mrr, seg, n_jobs=n_jobs)
    same(one.retention(**opts), many.retention(**opts))
    # the partitioned path never needed the ledger of all the rows
    assert many._whole is None
    whole = csm.Ledger(cust, per, mrr, seg)
    odd = (cust % 2) == 1
    states = [csm.Ledger(cust[k], per[k], mrr[k], seg[k]).retention_partial(**opts)
              for k in (odd, ~odd)]
    merged = pickle.loads(pickle.dumps(states[0])).merge(states[1])
    assert merged.kind == "retention"
    same(whole.retention(**opts), merged.retention())


@pytest.mark.parametrize("window", [1, 3, 12])
@pytest.mark.parametrize("n_jobs", [2, 5])
def test_retention_threads_partitions_ending_apart(window, n_jobs):
    # One late customer (id 1, alone in its partition's last months) runs
    # 8 months past everyone else: the other partitions end 8 months
    # earlier, and the threaded path gives every state the last month of
    # all the partitions as its end; the table must equal the one-thread
    # one (windows ending in those 8 months have bases in every partition).
    cust, per, mrr, seg = rows(400 + n_jobs)
    last = int(per.max())
    late = np.arange(last - 3, last + 9, dtype=np.int32)
    cust = np.concatenate([cust, np.ones(len(late), np.int64)])
    per = np.concatenate([per, late])
    mrr = np.concatenate([mrr, np.full(len(late), 75.0)])
    seg = np.concatenate([seg, np.full(len(late), 2, np.int32)])
    one = csm.Ledger(cust, per, mrr, seg, n_jobs=1)
    many = csm.Ledger(cust, per, mrr, seg, n_jobs=n_jobs)
    ends = {csm._csm.ledger_last_month(p) for p in many._parts}
    assert len(ends) > 1  # the partitions do end apart
    for opts in ({"window": window}, {"window": window, "by_segment": True},
                 {"window": window, "nrr_mode": "movement_sum"}):
        a, b = one.retention(**opts), many.retention(**opts)
        end = a.index.get_level_values(0).max()
        assert end == pd.Period("2023-01", "M") + (last + 8 - csm.month(2023, 1))
        same(a, b)


def test_retention_threads_two_customers_apart():
    # Customer 1 active in months 0..2, customer 2 only in month 10, each
    # alone in its partition (hashes 0 and 1 of 2), window 1: the late
    # partition's own windows (ends 11..) all pass the common end 10, so
    # its state has no grid, and the early one's grid must reach month 10
    # for the merged state to cover the table.  By hand: the one-shot table
    # has ends 1..10 (first month + window .. last month); ends 1 and 2:
    # customer 1 retained (base 100, GRR 1); end 3: customer 1 churned
    # (GRR 0); ends 4..10: no base (customer 2's month 10 is the base of
    # end 11, past the table).
    ids = [i for i in range(1, 64)]
    part = {i: csm._csm.ledger_partition_of(i, 2) for i in ids}
    a = next(i for i in ids if part[i] == 0)
    b = next(i for i in ids if part[i] == 1)
    m0 = csm.month(2023, 1)
    cust = np.array([a, a, a, b], np.int64)
    per = np.array([m0, m0 + 1, m0 + 2, m0 + 10], np.int32)
    mrr = np.array([100.0, 100.0, 100.0, 50.0])
    one = csm.Ledger(cust, per, mrr, n_jobs=1)
    many = csm.Ledger(cust, per, mrr, n_jobs=2)
    ends = sorted(csm._csm.ledger_last_month(p) for p in many._parts)
    assert ends == [m0 + 2, m0 + 10]
    for opts in ({"window": 1}, {"window": 1, "nrr_mode": "movement_sum"}):
        x, y = one.retention(**opts), many.retention(**opts)
        assert len(x) == 10  # ends 2023-02 .. 2023-11
        assert list(x["base_customers"]) == [1, 1, 1, 0, 0, 0, 0, 0, 0, 0]
        assert list(x["grr"][:3]) == [1.0, 1.0, 0.0]
        same(x, y)


def test_retention_threads_first_month_after_data():
    # first_month after the data with the last month open: one thread
    # gives an empty table; the threaded path must not turn the open end
    # into an explicit one before it (first > last is an error).
    cust, per, mrr, seg = rows(300)
    one = csm.Ledger(cust, per, mrr, seg, n_jobs=1)
    many = csm.Ledger(cust, per, mrr, seg, n_jobs=2)
    after = int(per.max()) + 5
    x = one.retention(window=3, first_month=after)
    y = many.retention(window=3, first_month=after)
    assert len(x) == 0 and len(y) == 0


COHORTS = [
    {},
    {"by_segment": True},
    {"values": "mrr", "relative": False, "max_age": 7},
    {"values": "mrr", "baseline": 1, "by_segment": True},
    {"values": "customers", "relative": False, "keys": True},
]


@pytest.mark.parametrize("opts", COHORTS)
@pytest.mark.parametrize("n_jobs", [2, 5])
@pytest.mark.parametrize("labels", [False, True])
def test_cohorts_threads_equal_one_thread(opts, n_jobs, labels):
    cust, per, mrr, seg = rows(200 + n_jobs, labels=labels)
    opts = dict(opts)
    if opts.pop("keys", False):  # cohort keys for some customers
        ids = pd.unique(cust)[:500]
        opts["cohort_keys"] = pd.Series(
            [pd.Period("2022-11", "M") + int(k % 45) for k in range(len(ids))], index=ids)
    one = csm.Ledger(cust, per, mrr, seg, n_jobs=1)
    many = csm.Ledger(cust, per, mrr, seg, n_jobs=n_jobs)
    same(one.cohorts(**opts), many.cohorts(**opts))
    same(one.cohorts(as_table=True, **opts).to_pandas(),
         many.cohorts(as_table=True, **opts).to_pandas())
    # the partitioned path never needed the ledger of all the rows
    assert many._whole is None
    if labels and "cohort_keys" in opts:
        return  # label ids: a ledger of half the customers cannot look up the rest
    # two states of halves of the customers, merged after a pickle
    half = np.isin(cust, pd.unique(cust)[::2])
    vals = {k: opts.pop(k) for k in ("values", "relative") if k in opts}
    states = [csm.Ledger(cust[k], per[k], mrr[k], seg[k]).cohorts_partial(**opts)
              for k in (half, ~half)]
    merged = pickle.loads(pickle.dumps(states[0])).merge(states[1])
    assert merged.kind == "cohorts"
    same(one.cohorts(**vals, **opts), merged.cohorts(**vals))


@pytest.mark.parametrize("opts", OPTIONS)
@pytest.mark.parametrize("n_jobs", [2, 3, 7])
def test_threads_equal_one_thread(opts, n_jobs):
    cust, per, mrr, seg = rows(n_jobs)
    one = csm.Ledger(cust, per, mrr, seg, n_jobs=1)
    many = csm.Ledger(cust, per, mrr, seg, n_jobs=n_jobs)
    assert many.n_partitions == n_jobs and one.n_partitions == 1
    same(one.movements(**opts), many.movements(**opts))
    # fewer threads than partitions, and the one-ledger path of the same object
    same(one.movements(**opts), many.movements(n_jobs=2, **opts))
    same(one.movements(**opts), many.movements(n_jobs=1, **opts))


def test_labels_and_sizes():
    cust, per, mrr, seg = rows(5, labels=True)
    one = csm.Ledger(cust, per, mrr, seg)
    many = csm.Ledger(cust, per, mrr, seg, n_jobs=4)
    assert many.customer_count == one.customer_count
    assert many.entry_count == one.entry_count
    assert many.first_month == one.first_month and many.last_month == one.last_month
    same(one.movements(by_segment=True), many.movements(by_segment=True))
    # the segments drawn are 1..4 of the five labels: every label but "smb"
    assert set(many.movements(by_segment=True).index.get_level_values("segment")) == {
        "mid", "ent", "gov", "edu"}
    # computations without a partitioned path use the ledger of all the rows
    same(one.retention(), many.retention())
    assert many.mrr("2023-05") == one.mrr("2023-05")


def test_empty_partitions_and_one_customer():
    # 1 customer over 4 partitions: 3 are empty
    one = csm.Ledger([7, 7, 7], ["2024-01", "2024-02", "2024-04"], [10.0, 12.5, 3.0])
    many = csm.Ledger([7, 7, 7], ["2024-01", "2024-02", "2024-04"], [10.0, 12.5, 3.0],
                      n_jobs=4)
    same(one.movements(), many.movements())
    m = many.movements()
    # by hand: new 10 (Jan), expansion 2.5 (Feb), churn 12.5 (Mar), reactivation 3 (Apr)
    assert list(m["new"]) == [10.0, 0.0, 0.0, 0.0]
    assert list(m["expansion"]) == [0.0, 2.5, 0.0, 0.0]
    assert list(m["churn"]) == [0.0, 0.0, 12.5, 0.0]
    assert list(m["reactivation"]) == [0.0, 0.0, 0.0, 3.0]
    empty = csm.Ledger(np.zeros(0, np.int64), np.zeros(0, np.int32), np.zeros(0), n_jobs=3)
    assert len(empty.movements()) == 0 and empty.customer_count == 0


def test_partial_merge_and_pickle():
    cust, per, mrr, seg = rows(11)
    whole = csm.Ledger(cust, per, mrr, seg)
    odd = (cust % 2) == 1
    parts = [csm.Ledger(cust[k], per[k], mrr[k], seg[k]) for k in (odd, ~odd)]
    for opts in OPTIONS:
        states = [p.movements_partial(**opts) for p in parts]
        shipped = [pickle.loads(pickle.dumps(s)) for s in states]
        assert shipped[0].kind == "movements"
        merged = shipped[1].merge(shipped[0])
        same(whole.movements(**opts), merged.movements())
        raw = csm.Partial.from_bytes(states[0].to_bytes(), by_segment=opts.get("by_segment"))
        same(parts[0].movements(**opts), raw.movements())


def test_partial_errors():
    led = csm.Ledger([1, 2], ["2024-01", "2024-02"], [5.0, 6.0])
    a = led.movements_partial()
    b = led.movements_partial(by_segment=True)
    with pytest.raises(csm.InvalidArgumentError, match="opts"):
        a.merge(b)
    with pytest.raises(csm.InvalidArgumentError):
        a.merge(a)
    with pytest.raises(csm.InvalidArgumentError, match="buf"):
        csm.Partial.from_bytes(b"not a state at all, too short maybe? " * 3)
    with pytest.raises(csm.InvalidArgumentError, match="n_jobs"):
        csm.Ledger([1], ["2024-01"], [1.0], n_jobs=0)


def test_errors_name_the_callers_row():
    # the partition builds fail; the error is the one-ledger build's, row 3
    with pytest.raises(csm.DomainError) as e:
        csm.Ledger([1, 2, 3, 4, 5], ["2024-01"] * 5, [1.0, 2.0, 3.0, -4.0, 5.0], n_jobs=2)
    assert e.value.row == 3 and e.value.field == "mrr"


def test_calls_from_many_threads():
    # the partitioned ledger shared by threads that compute at once
    cust, per, mrr, seg = rows(3)
    one = csm.Ledger(cust, per, mrr, seg)
    many = csm.Ledger(cust, per, mrr, seg, n_jobs=2)
    want = one.movements(by_segment=True)
    got, errors = [], []

    def run():
        try:
            got.append((many.movements(by_segment=True), many.cohorts()))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    ts = [threading.Thread(target=run) for _ in range(4)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    assert not errors
    assert len(got) == 4
    for mov, coh in got:
        same(want, mov)
        same(one.cohorts(), coh)


# ---- survey states: the one-shot expected are csm.nps_by_group (NPS) and
# csm.csat / csm.ces of each group's responses (tested by hand in
# tests/test-nps.c and test_nps.py)
def survey_rows(seed, n=5000):
    rng = np.random.default_rng(seed)
    return (rng.integers(0, 11, n).astype(np.int8), rng.integers(1, 6, n).astype(np.int8),
            rng.integers(-3, 4, n).astype(np.int32))


@pytest.mark.parametrize("parts", [1, 3, 8])
def test_survey_partials_merge(parts):
    nps_s, five, group = survey_rows(parts)
    split = np.arange(len(group)) % parts
    # NPS: merged states of the parts = nps_by_group of all (an empty part too)
    states = [csm.nps_partial(nps_s[split == k], group[split == k], confidence=0.9)
              for k in range(parts)] + [csm.nps_partial([], [], confidence=0.9)]
    acc = pickle.loads(pickle.dumps(states[0]))
    for st in states[1:]:
        acc.merge(st)
    assert acc.kind == "nps"
    same(csm.nps_by_group(nps_s, group, confidence=0.9), acc.nps())
    # without groups: one row, csm.nps of all
    one = csm.nps_partial(nps_s[split == 0])
    for k in range(1, parts):
        one.merge(csm.nps_partial(nps_s[split == k]))
    r = csm.nps(nps_s)
    got = one.nps()
    assert len(got) == 1 and got["nps"].iloc[0] == pytest.approx(r.nps, rel=1e-12)
    assert got["ci_low"].iloc[0] == pytest.approx(r.ci_low, rel=1e-12)
    # CSAT and CES per group
    for kind, fn, opts in (("csat", csm.csat, {"top_box_min": 5}), ("ces", csm.ces,
                                                                     {"scale_max": 5})):
        acc = getattr(csm, kind + "_partial")(five[split == 0], group[split == 0], **opts)
        for k in range(1, parts):
            acc.merge(getattr(csm, kind + "_partial")(five[split == k], group[split == k],
                                                      **opts))
        got = getattr(acc, kind)()
        assert list(got.index) == sorted(set(group.tolist()))
        for c in got.index:
            want = fn(five[group == c], **opts)
            for col in ("n", kind, "se", "ci_low", "ci_high"):
                assert got.loc[c, col] == pytest.approx(getattr(want, col), rel=1e-12), (kind, col)


def test_survey_partial_errors():
    with pytest.raises(csm.DomainError):
        csm.nps_partial([11])
    with pytest.raises(csm.InvalidArgumentError):
        csm.nps_partial([1, 2], [1])
    with pytest.raises(csm.InvalidArgumentError):  # other options do not merge
        csm.nps_partial([9]).merge(csm.nps_partial([9], confidence=0.8))
    with pytest.raises(csm.InvalidArgumentError):  # nor other families
        csm.nps_partial([9]).merge(csm.csat_partial([4]))


# ---- Kaplan-Meier from a ledger: expected is csm.kaplan_meier on the
# ledger's lifetimes (Ledger.lifetimes, tested in test_survival.py)
KM = [
    {},
    {"by_segment": True},
    {"as_of": "2024-01", "level": 0.9, "horizon": 12},
    {"by_segment": True, "include_overall": True, "at_times": [0, 6, 12.5, 40]},
]


@pytest.mark.parametrize("opts", KM)
@pytest.mark.parametrize("n_jobs", [1, 3])
@pytest.mark.parametrize("labels", [False, True])
def test_km_from_partitions(opts, n_jobs, labels):
    cust, per, mrr, seg = rows(300 + n_jobs, labels=labels)
    led = csm.Ledger(cust, per, mrr, seg, n_jobs=n_jobs)
    opts = dict(opts)
    by_seg = opts.pop("by_segment", False)
    lt = csm.Ledger(cust, per, mrr, seg).lifetimes(as_of=opts.get("as_of"))
    kopts = {k: v for k, v in opts.items() if k != "as_of"}
    want = csm.kaplan_meier(lt.duration, lt.event, groups=lt.segment if by_seg else None,
                            **kopts)
    got = led.km(by_segment=by_seg, **opts)
    same(want.table, got.table)
    same(want.summary, got.summary)
    same(want.at, got.at)
    if n_jobs > 1:
        assert led._whole is None
    # two halves' states, merged after a pickle
    half = np.isin(cust, pd.unique(cust)[::2])
    states = [csm.Ledger(cust[k], per[k], mrr[k], seg[k]).lifetimes_partial(as_of=opts.get("as_of"))
              for k in (half, ~half)]
    merged = pickle.loads(pickle.dumps(states[0])).merge(states[1])
    assert merged.kind == "lifetimes"
    if not labels:  # label ids: each half has a segment dictionary of its own
        same(want.table, merged.km(by_seg, **kopts).table)


# ---- activity: expected is csm.activity on all the rows (tested by hand in
# tests/test-activity.c and test_activity.py)
def activity_rows(seed, n=3000, n_acc=400):
    rng = np.random.default_rng(seed)
    lic = rng.integers(0, 50, n).astype(float)
    feats = rng.integers(0, 30, n).astype(float)
    mau = rng.integers(0, 40, n).astype(float)
    return pd.DataFrame({
        "account_id": rng.integers(0, n_acc, n) * 1_000_003 + 10**12,
        "role": rng.integers(0, 4, n).astype(np.int32),
        "segment": rng.integers(1, 5, n).astype(np.int32),
        "cohort": csm.month_index("2023-01") + rng.integers(0, 24, n).astype(np.int32),
        "licensed_seats": lic,
        "activated_seats": np.floor(lic * rng.random(n)),
        "active_users": np.floor(lic * rng.random(n)),
        "sessions": rng.random(n) * 90,
        "minutes": rng.random(n) * 900,
        "features_used": np.floor(feats * rng.random(n)),
        "features_available": feats,
        "dau": mau * rng.random(n) / 3,
        "mau": mau,
        "category": rng.integers(0, 3, n).astype(np.int32),
    })


ACTIVITY = [
    {},
    {"group_by": "segment"},
    {"group_by": "role"},
    {"group_by": "cohort"},
    {"group_by": "all"},
    {"group_by": "category"},
    {"group_by": "stage", "month": "2025-01", "launch_month": 2},
]


@pytest.mark.parametrize("opts", ACTIVITY)
@pytest.mark.parametrize("parts", [1, 4])
def test_activity_partials_merge(opts, parts):
    df = activity_rows(parts)
    h = (df.account_id.to_numpy() // 1_000_003) % parts  # whole accounts a part
    states = [csm.activity_partial(df[h == k], **opts) for k in range(parts)]
    states.append(csm.activity_partial(df.iloc[:0], **opts))  # an empty part
    acc = pickle.loads(pickle.dumps(states[-1]))
    for st in states[:-1]:
        acc.merge(pickle.loads(pickle.dumps(st)))
    assert acc.kind == "activity"
    same(csm.activity(df, **opts), acc.activity())


def test_activity_partial_errors():
    df = activity_rows(5, n=50)
    with pytest.raises(csm.InvalidArgumentError):  # labels get other ids in other parts
        csm.activity_partial(df.assign(segment=df.segment.astype(str)), group_by="segment")
    with pytest.raises(csm.InvalidArgumentError):  # other options do not merge
        csm.activity_partial(df).merge(csm.activity_partial(df, clamp=True))
    with pytest.raises(csm.InvalidArgumentError):  # nor other columns
        csm.activity_partial(df).merge(csm.activity_partial(df.drop(columns="dau")))
    with pytest.raises(csm.InvalidArgumentError):  # an account in two parts
        csm.activity_partial(df[:20]).merge(csm.activity_partial(df)).activity()
    with pytest.raises(csm.DomainError):
        csm.activity_partial(df.assign(sessions=-1.0))
