"""csm.project_mrr / project_mrr_closed / steady_state_mrr.  Expected values
are worked out in the comments."""
import math

import numpy as np
import pandas as pd
import pytest

import csmetrics as csm
from csmetrics import _csm


def test_project_mrr_table():
    # 10,000 at 5% churn + 200 new a month: 10,000 x 0.95 + 200 = 9,700;
    # 9,700 x 0.95 + 200 = 9,415.  At 2% churn with 1% expansion (g = 0.99):
    # 10,000 x 0.99 + 200 = 10,100; 10,100 x 0.99 + 200 = 10,199
    df = csm.project_mrr(10_000, 2, [0.05, 0.02], new_mrr=200, expansion_rate=[0, 0.01])
    assert isinstance(df, pd.DataFrame) and df.shape == (3, 2)
    assert list(df.index) == [0, 1, 2] and df.index.name == "month"
    assert list(df.columns) == [0.05, 0.02] and df.columns.name == "scenario"
    np.testing.assert_allclose(df[0.05], [10_000, 9_700, 9_415])
    np.testing.assert_allclose(df[0.02], [10_000, 10_100, 10_199])


def test_project_mrr_defaults_and_names():
    # no new MRR or expansion: 1,000 x 0.9^t -> 1,000, 900, 810, 729
    df = csm.project_mrr(1000, 3, [0.1])
    np.testing.assert_allclose(df[0.1], [1000, 900, 810, 729])
    df = csm.project_mrr(1000, 1, {"low": 0.01, "high": 0.1})
    assert list(df.columns) == ["low", "high"]
    np.testing.assert_allclose(df.loc[1], [990, 900])
    df = csm.project_mrr(1000, 1, pd.Series([0.01, 0.1], index=["a", "b"]))
    assert list(df.columns) == ["a", "b"]
    df = csm.project_mrr(1000, 1, [0.1, 0.1], new_mrr=[0, 50], names=["flat", "growth"])
    np.testing.assert_allclose(df.loc[1], [900, 950])  # 900 + 50
    # duplicate churn rates without names: columns 0..n-1
    assert list(csm.project_mrr(1000, 1, [0.1, 0.1], new_mrr=[0, 50]).columns) == [0, 1]
    # a single rate as a scalar
    assert csm.project_mrr(1000, 1, 0.5).iloc[1, 0] == 500
    # 24 months at 3% churn, as in the seed's scenarios: 1,000 x 0.97^24
    assert csm.project_mrr(1000, 24, [0.03]).iloc[24, 0] == pytest.approx(1000 * 0.97 ** 24)


def test_project_mrr_zero_copy(monkeypatch):
    churn = np.array([0.01, 0.02])
    calls = []
    real = _csm.py_project_mrr_table

    def spy(*args):
        conv = real(*args)
        calls.append((args, conv))
        return conv

    monkeypatch.setattr(_csm, "py_project_mrr_table", spy)
    df = csm.project_mrr(100, 2, churn)
    args, conv = calls[0]
    assert args[2] is churn  # the caller's float64 array goes to C as is
    # the DataFrame holds the long table's "mrr" column C filled (3 months x
    # 2 scenarios, row-major), reshaped, not a copy
    (mrr,) = [c[5] for c in conv["tables"][0]["columns"] if c[0] == "mrr"]
    assert mrr.shape == (6,) and np.shares_memory(df.to_numpy(), mrr)
    np.testing.assert_array_equal(df.to_numpy().ravel(), mrr)


def test_project_mrr_as_table():
    # the long table: (month, scenario) keys, row-major; values as in
    # test_project_mrr_table: 10,000, 9,700, 9,415 at 5% churn + 200 new
    t = csm.project_mrr(10_000, 2, [0.05, 0.02], new_mrr=200, expansion_rate=[0, 0.01],
                        as_table=True)
    assert (t.name, t.kind, len(t)) == ("projection", "projection", 6)
    assert [(c.name, c.type, c.role) for c in t.columns] == [
        ("month", "number", "key"), ("scenario", "code", "key"), ("mrr", "money", "main")]
    assert list(t["month"]) == [0, 0, 1, 1, 2, 2] and list(t["scenario"]) == [0, 1] * 3
    np.testing.assert_allclose(t["mrr"], [10_000, 10_000, 9_700, 10_100, 9_415, 10_199])


def test_project_mrr_edge():
    # months 0: only the start row
    df = csm.project_mrr(500, 0, [0.1, 0.2])
    assert df.shape == (1, 2) and (df.iloc[0] == 500).all()
    # no scenarios: months + 1 rows, no columns
    assert csm.project_mrr(500, 3, []).shape == (4, 0)
    # churn 100%: gone after one month; churn 0 with new MRR grows linearly
    np.testing.assert_allclose(csm.project_mrr(500, 2, [1.0])[1.0], [500, 0, 0])
    np.testing.assert_allclose(csm.project_mrr(500, 2, [0.0], new_mrr=10)[0.0], [500, 510, 520])
    # whole-float months are fine
    assert csm.project_mrr(1, 2.0, [0.1]).shape == (3, 1)


def test_project_mrr_errors():
    with pytest.raises(csm.DomainError) as ei:
        csm.project_mrr(-1, 2, [0.1])
    assert ei.value.field == "start_mrr"
    with pytest.raises(csm.DomainError) as ei:
        csm.project_mrr(100, 2, [0.1, 1.5])
    assert (ei.value.row, ei.value.field) == (1, "churn")
    with pytest.raises(csm.DomainError) as ei:
        csm.project_mrr(100, 2, [0.1, 0.2], expansion_rate=[0, -0.1])
    assert (ei.value.row, ei.value.field) == (1, "expansion")
    with pytest.raises(csm.DomainError) as ei:
        csm.project_mrr(100, 2, [0.1], new_mrr=math.nan)
    assert (ei.value.row, ei.value.field) == (0, "new_mrr")
    with pytest.raises(csm.InvalidArgumentError) as ei:
        csm.project_mrr(100, 2, [0.1, 0.2], new_mrr=[1, 2, 3])
    assert ei.value.field == "new_mrr"
    for bad in (-1, 2.5, "12"):
        with pytest.raises(csm.InvalidArgumentError):
            csm.project_mrr(100, bad, [0.1])
    with pytest.raises(csm.RangeError) as ei:  # (months + 1) x 2 x 8 bytes overflows
        csm.project_mrr(100, 2**62, [0.1, 0.2])
    assert ei.value.field == "months"
    with pytest.raises(csm.InvalidArgumentError):
        csm.project_mrr(100, 1, [0.1, 0.2], names=["one"])
    with pytest.raises(csm.InputTypeError):
        csm.project_mrr(100, 1, ["high"])


def test_closed_form():
    # g = 0.95, t = 2: 10,000 x 0.9025 + 200 x (1 - 0.9025) / 0.05 = 9,025 + 390
    assert csm.project_mrr_closed(10_000, 0.05, 0, 200, 2) == pytest.approx(9415)
    # g = 1 (churn = expansion): 10,000 + 200 x 3
    assert csm.project_mrr_closed(10_000, 0.02, 0.02, 200, 3) == pytest.approx(10_600)
    # fractional t: 1,000 x 0.81^0.5 = 900 (g = 0.81, no new MRR)
    assert csm.project_mrr_closed(1000, 0.19, 0, 0, 0.5) == pytest.approx(900)
    # outside the domain: NaN
    assert math.isnan(csm.project_mrr_closed(1000, 1.5, 0, 0, 1))
    assert math.isnan(csm.project_mrr_closed(1000, 0.1, 0, 0, -1))


def test_steady_state():
    # 200 / (0.05 - 0.01) = 5,000
    s = csm.steady_state_mrr(0.05, 0.01, 200)
    assert s == pytest.approx(5000) and s.flags == 0
    # churn <= expansion: unbounded growth, NaN + flag
    s = csm.steady_state_mrr(0.02, 0.02, 200)
    assert math.isnan(s) and s.flag_names == ["zero_denominator"]
    with pytest.raises(csm.DomainError) as ei:
        csm.steady_state_mrr(0.05, -0.01, 200)
    assert ei.value.field == "expansion"


def test_ledger_project_inputs(plain_ledger, wide_mrr):
    w = wide_mrr
    mrr = w.sum()                          # 700 450 300 340 690 690
    # window M1..M5, from the movements by hand (ledger fixture):
    #   M1 new c3 50, churn c4 300; M2 expansion c1 50, churn c2 200; M3 churn c3 50,
    #   new c6 90; M4 contraction c1 30, reactivations c3 80 + c4 300; M5 nothing
    rates = [300 / 700, 200 / 450, 50 / 300, 30 / 340, 0 / 690]
    p = plain_ledger.project_inputs(window=5)
    assert str(p.index[0]) == "2024-06"
    r = p.iloc[0]
    assert r["start_mrr"] == mrr[5] == 690
    assert r["new_mrr"] == pytest.approx((50 + 90 + 80 + 300) / 5)
    assert r["gross_mrr_churn_rate"] == pytest.approx(np.mean(rates))
    assert r["rate_months"] == 5 and r["window_months"] == 5
    # an earlier month, window 2 (M2, M3): rates 200/450, 50/300; new 90 / 2
    q = plain_ledger.project_inputs(month="2024-04", window=2).iloc[0]
    assert q["start_mrr"] == 340
    assert q["gross_mrr_churn_rate"] == pytest.approx((200 / 450 + 50 / 300) / 2)
    assert q["new_mrr"] == pytest.approx(45)
    assert plain_ledger.project_inputs().iloc[0]["window_months"] == 6
    # the inputs continue the trend with project_mrr
    proj = csm.project_mrr(r["start_mrr"], 1, [r["gross_mrr_churn_rate"]],
                           new_mrr=r["new_mrr"])
    assert proj.iloc[1, 0] == pytest.approx(690 * (1 - np.mean(rates)) + 104)
    with pytest.raises(csm.InvalidArgumentError):
        plain_ledger.project_inputs(window=0)
