"""Python bindings of the intervention effects (csmetrics/interventions.h).
Expected values: the hand-worked fixture of tests/test-interventions.c,
and, for one band, Welch's test as scipy computes it (an independent
implementation)."""
import numpy as np
import pandas as pd
import pytest

import csmetrics as csm

M0, M1 = "2024-05", "2024-06"
PANEL = pd.DataFrame({
    "account": [1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 12, 12],
    "month": [M0, M1] * 10 + [M0, M0, M1],
    "score": [40, 50, 30, 46, 35, 37, 20, 24, 25, 25, 80, 84, 85, 85, 90, 88, 75, 79, 70, 72,
              50, 60, 70],
    "band": [0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 0, -1, 0],
    "mrr": [100, 100, 200, 220, 100, 90, 50, 50, 80, 60, 300, 330, 400, 400, 500, 500, 100,
            100, 70, 70, 10, 10, 10]})
EVENTS = pd.DataFrame({"account": [1, 2, 6, 6, 7, 10, 11, 1, 12],
                       "month": [M0] * 8 + [M1],
                       "type": ["call", "call", "call", "training", "call", "call", "call",
                                "call", "training"]})


def test_fixture():
    df = csm.intervention_effects(PANEL, EVENTS)
    assert df.attrs["note"] == csm.OBSERVATIONAL_NOTE
    # type codes rank the labels: "call" (7 in C) before "training" (9)
    s = df.loc[("call", "score")]
    assert (s["n_treated"], s["n_control"], s["unmatched"]) == (4, 5, 1)
    assert s["diff"] == pytest.approx(6)
    assert s["se"] == pytest.approx(np.sqrt(35 / 6))
    assert s["df"] == pytest.approx(70 / 23)
    assert s["ci_low"] == pytest.approx(-1.6245909934105264, abs=1e-9)
    m = df.loc[("call", "mrr")]
    assert m["diff"] == pytest.approx(17.5)
    assert m["p_value"] == pytest.approx(0.19971420663342895, abs=1e-9)
    t = df.loc[("training", "score")]
    assert t["diff"] == pytest.approx(3) and np.isnan(t["se"])
    assert t["flag_bits"] == csm.FLAG_DEGENERATE


def test_one_band_is_welch():
    stats = pytest.importorskip("scipy.stats")
    rng = np.random.default_rng(7)
    n = 40
    acc = np.arange(n)
    before = rng.normal(60, 10, n)
    after = before + rng.normal(0, 5, n) + np.where(acc < 12, 4.0, 0.0)
    panel = {"account": np.r_[acc, acc], "month": np.r_[[M0] * n, [M1] * n],
             "band": np.zeros(2 * n, np.int32), "score": np.r_[before, after]}
    events = {"account": acc[:12], "month": [M0] * 12}
    r = csm.intervention_effects(panel, events, confidence=0.9).loc[(0, "score")]
    d = after - before
    w = stats.ttest_ind(d[:12], d[12:], equal_var=False)
    assert r["t"] == pytest.approx(w.statistic, rel=1e-10)
    assert r["p_value"] == pytest.approx(w.pvalue, rel=1e-8)
    assert r["diff"] == pytest.approx(d[:12].mean() - d[12:].mean(), rel=1e-12)
    v1, v2 = d[:12].var(ddof=1) / 12, d[12:].var(ddof=1) / (n - 12)
    df = (v1 + v2) ** 2 / (v1 ** 2 / 11 + v2 ** 2 / (n - 13))
    assert r["df"] == pytest.approx(df, rel=1e-12)
    q = stats.t.ppf(0.95, df)
    assert r["ci_high"] == pytest.approx(r["diff"] + q * np.sqrt(v1 + v2), rel=1e-7)


def test_errors():
    with pytest.raises(csm.InvalidArgumentError):
        csm.intervention_effects(PANEL, EVENTS, horizon=0)
    bad = PANEL.copy()
    bad.loc[0, "band"] = -2
    with pytest.raises(csm.DomainError):
        csm.intervention_effects(bad, EVENTS)


# csm_interventions_panel_build: the hand-worked fixture of tests/test-interventions.c
# (test_interventions_panel_build), with string ids.  Ledger MRR by month (M0 M1 M2):
# "a" 100 110 120 (scored each month), "b" 50 - 60 (churns, returns), "c" 30 30 -
# (never scored), "d" 20 - - (churns); "e" is scored in M1 but has no MRR: left out.
LEDGER = pd.DataFrame({"customer_id": ["a", "a", "a", "b", "b", "c", "c", "d"],
                       "month": ["2024-05", "2024-06", "2024-07", "2024-05", "2024-07",
                                 "2024-05", "2024-06", "2024-05"],
                       "mrr": [100, 110, 120, 50, 60, 30, 30, 20]})
SCORES = pd.DataFrame({"account": ["b", "a", "a", "a", "b", "d", "e"],
                       "month": ["2024-07", "2024-05", "2024-06", "2024-07", "2024-05",
                                 "2024-05", "2024-06"],
                       "score": [45, 70, 72, 75, 40, 30, 50],
                       "band": [1, 2, 2, 2, 0, 0, 1]})
MONTHS = ["2024-05", "2024-06", "2024-07"]


def test_panel_build():
    ledger = csm.Ledger.from_frame(LEDGER)
    p = csm.interventions_panel(SCORES, MONTHS, ledger)
    # the active rows month by month, then the gone rows: b and d by M1, c by M2
    assert list(p["account"]) == ["a", "b", "c", "d", "a", "c", "a", "b", "b", "d", "c"]
    assert [str(m) for m in p["month"]] == (["2024-05"] * 4 + ["2024-06"] * 2 + ["2024-07"] * 2
                                            + ["2024-06", "2024-06", "2024-07"])
    assert list(p["mrr"]) == [100, 50, 30, 20, 110, 30, 120, 60, 0, 0, 0]
    assert list(p["band"]) == [2, 0, -1, 0, 2, -1, 2, 1, -1, -1, -1]
    assert list(p["score"].fillna(-999)) == [70, 40, -999, 30, 72, -999, 75, 45, -999, -999,
                                             -999]
    assert list(p["gone"]) == [False] * 8 + [True] * 3
    # straight into intervention_effects: one training of d in M0.  Band 0 in M0: d (treated)
    # MRR 20 -> 0, b (control) 50 -> 0: diff -20 - (-50) = 30, one change each (no se);
    # every M1 row of b and d is gone (no score): the score row is empty
    eff = csm.intervention_effects(p, {"account": ["d"], "month": ["2024-05"]})
    m = eff.loc[(0, "mrr")]
    assert (m["n_treated"], m["n_control"]) == (1, 1)
    assert m["diff"] == pytest.approx(30) and np.isnan(m["se"])
    assert eff.loc[(0, "score")]["n_treated"] == 0


def test_panel_build_without_ledger_and_horizon():
    # no ledger: the scores rows of the months, no mrr column, no gone rows
    p = csm.interventions_panel(SCORES, ["2024-06", "2024-07"])
    assert list(p["account"]) == ["a", "e", "a", "b"]
    assert "mrr" not in p.columns and not p["gone"].any()
    # horizon 2: gone rows only M0 -> M2 (c and d)
    ledger = csm.Ledger.from_frame(LEDGER)
    p = csm.interventions_panel(SCORES, MONTHS, ledger, horizon=2)
    assert list(p.loc[p["gone"], "account"]) == ["c", "d"]
    with pytest.raises(csm.InvalidArgumentError):
        csm.interventions_panel(SCORES, MONTHS, ledger, horizon=0)
    dup = pd.concat([SCORES, SCORES.iloc[[1]]])
    with pytest.raises(csm.DuplicateError):
        csm.interventions_panel(dup, MONTHS, ledger)
