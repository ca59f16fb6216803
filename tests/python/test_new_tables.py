"""Python bindings of the library's newer result tables: "km_at",
"sbg_survivors", "health_bands", "health_at_risk" / "health_reasons",
activity's nan_missing, "unit_economics", "project_inputs" and
csm_nps_by_group's "nps".  Where each expected value comes from is said at
each test: worked by hand in a comment, recomputed with plain numpy/pandas
here, or the hand-worked fixtures of the C suites (tests/test-*.c)."""
import math

import numpy as np
import pandas as pd
import pytest

import csmetrics as csm
from test_families import SIXMP_E, SIXMP_T, SPEC

M0 = 24288  # 2024-01


# --- Kaplan-Meier at chosen times ----------------------------------------------------

def _km_by_hand(t, e, at):
    """Product-limit S(at) and n(at), recomputed with numpy (no library)."""
    t, e = np.asarray(t, float), np.asarray(e)
    s = 1.0
    for u in np.unique(t[e == 1]):
        if u > at:
            break
        s *= 1 - (np.sum((t == u) & (e == 1)) / np.sum(t >= u))
    return s, float(np.sum(t >= at))


def test_kaplan_meier_at_times():
    times = [12, 24, 0, 6.5]
    km = csm.kaplan_meier(SIXMP_T, SIXMP_E, at_times=times)
    at = km.at
    assert list(at.index) == times and at.index.name == "time"
    for x in times:
        s, n = _km_by_hand(SIXMP_T, SIXMP_E, x)
        assert at.loc[x, "survival"] == pytest.approx(s, rel=1e-12)
        assert at.loc[x, "at_risk"] == n
    # textbook (Gehan 1965 6-MP arm, as in test_families): S(12) = S(10) = 0.753,
    # S(24) = S(23) = 0.448; n(12) = 12 (13, 16, ..., 35), n(24) = 5; S(0) = 1
    assert at.loc[12, "survival"] == pytest.approx(0.753, abs=5e-4)
    assert at.loc[24, "survival"] == pytest.approx(0.448, abs=5e-4)
    assert at.loc[12, "at_risk"] == 12 and at.loc[24, "at_risk"] == 5
    assert at.loc[0, "survival"] == 1.0
    # the band is the row's: lower <= S <= upper
    assert (at["lower"] <= at["survival"]).all() and (at["survival"] <= at["upper"]).all()
    assert km.tables["km_at"].name == "km_at"
    # no at_times: an empty table
    assert len(csm.kaplan_meier(SIXMP_T, SIXMP_E).at) == 0


def test_kaplan_meier_at_times_groups():
    g = [0] * 10 + [1] * 11
    km = csm.kaplan_meier(SIXMP_T, SIXMP_E, groups=g, at_times=[10, 20])
    assert list(km.at.index.names) == ["group", "time"]
    assert list(km.at.index) == [(0, 10), (0, 20), (1, 10), (1, 20)]
    t, e = np.asarray(SIXMP_T), np.asarray(SIXMP_E)
    for grp, sl in [(0, slice(0, 10)), (1, slice(10, 21))]:
        for x in (10, 20):
            s, n = _km_by_hand(t[sl], e[sl], x)
            assert km.at.loc[(grp, x), "survival"] == pytest.approx(s, rel=1e-12)
            assert km.at.loc[(grp, x), "at_risk"] == n
    with pytest.raises(csm.DomainError):
        csm.kaplan_meier(SIXMP_T, SIXMP_E, at_times=[-1])


# --- sBG survivors from lifetimes -----------------------------------------------------

def test_sbg_survivors_by_hand():
    # lifetimes: cohort M0 durations 1, 3, 4; M1: 1, 2; M2: 1; as_of M3.
    # alive(c, a) = #durations > a for a = 0 .. M3 - c:
    #   M0: a0 3, a1 2, a2 2, a3 1;  M1: a0 2, a1 1, a2 0;  M2: a0 1, a1 0
    fm = [M0, M0, M0, M0 + 1, M0 + 1, M0 + 2]
    dur = [1, 3, 4, 1, 2, 1]
    s = csm.sbg_survivors(fm, dur, as_of=M0 + 3)
    assert list(s.index.names) == ["cohort", "age"]
    assert [(str(c), a) for c, a in s.index] == [
        ("2024-01", 0), ("2024-01", 1), ("2024-01", 2), ("2024-01", 3),
        ("2024-02", 0), ("2024-02", 1), ("2024-02", 2), ("2024-03", 0), ("2024-03", 1)]
    assert list(s["alive"]) == [3, 2, 2, 1, 2, 1, 0, 1, 0]
    # weights 1, 2, 1, 1, 1, 0: M0 a0 4, a1 3 (2 + 1), a2 3, a3 1; M2 weight 0: left out;
    # first_cohort M1 keeps M1 only
    w = csm.sbg_survivors(fm, dur, weight=[1, 2, 1, 1, 1, 0], as_of="2024-04")
    assert list(w["alive"]) == [4, 3, 3, 1, 2, 1, 0]
    f = csm.sbg_survivors(fm, dur, first_cohort=M0 + 1, last_cohort=M0 + 1, as_of=M0 + 3)
    assert list(f["alive"]) == [2, 1, 0]
    # default as_of: the latest first_month (M2): M0 ages 0..2, M1 0..1 (M2 left out)
    d = csm.sbg_survivors(fm, dur)
    assert list(d["alive"]) == [3, 2, 2, 2, 1]
    t = csm.sbg_survivors(fm, dur, as_of=M0 + 3, as_table=True)
    assert t.name == "sbg_survivors" and list(t["cohort"][:5]) == [M0] * 4 + [M0 + 1]
    with pytest.raises(csm.DomainError):
        csm.sbg_survivors(fm, [1, 3, -4, 1, 2, 1])


def test_sbg_survivors_feed_sbg_fit():
    # Fader & Hardie (2007) high-end cohort, 1000 customers observed 7 renewals:
    # survivors 1000 869 743 653 593 551 517 491 -> 131 lifetimes of 1 month, 126 of 2,
    # ..., 26 of 7, and 491 still active at as_of (M0 + 7).  The counts come back,
    # and the fit is the one of the counts (alpha 0.668, beta 3.806 published).
    alive = [1000, 869, 743, 653, 593, 551, 517, 491]
    lost = -np.diff(alive)
    dur = np.concatenate([np.full(k, d + 1.0) for d, k in enumerate(lost)] +
                         [np.full(491, 8.0)])
    s = csm.sbg_survivors(np.full(len(dur), M0), dur, as_of=M0 + 7)
    assert list(s["alive"]) == alive
    f = csm.sbg_fit(s)
    ref = csm.sbg_fit(alive)
    assert f.alpha == pytest.approx(ref.alpha, rel=1e-12)
    assert f.alpha == pytest.approx(0.668, abs=1e-3) and f.beta == pytest.approx(3.806, abs=1e-3)
    g = csm.sbg_fit(csm.sbg_survivors(np.full(len(dur), M0), dur, as_of=M0 + 7, as_table=True))
    assert g.beta == pytest.approx(ref.beta, rel=1e-12)


# --- health: band distribution and accounts at risk -----------------------------------
# The hand-worked three accounts of tests/test-health.c (test_bands_at_risk), scored with
# test_families.SPEC: A 66.875 yellow, B 40 yellow (capped by "key contact left"),
# C 7.5 red (override "open P1").

def _scored():
    sc = csm.Scorecard.from_dict(SPEC)
    frame = pd.DataFrame({"login_rate": [0.5, 0.9, 0.1], "tickets": [2, np.nan, 12],
                          "nps": [50, np.nan, -20], "sponsor": [1, 0, 1],
                          "key_contact_left": [0, 1, 0], "open_p1": [0, 0, 2]},
                         index=["A", "B", "C"])
    return sc, frame, sc.score(frame)


def test_health_band_distribution():
    sc, frame, out = _scored()
    b = sc.band_distribution(out, mrr=[100, 200, 300])
    # best band first: green 0 accounts, yellow 2 (A, B: MRR 300), red 1 (C: 300)
    assert list(b.index) == [2, 1, 0] and b.index.name == "band"
    assert list(b["band_name"]) == ["green", "yellow", "red"]
    assert list(b["accounts"]) == [0, 2, 1]
    assert list(b["share"]) == pytest.approx([0, 2 / 3, 1 / 3])
    assert list(b["mrr"]) == [0, 300, 300]
    assert list(sc.band_distribution(out)["mrr"]) == [0, 0, 0]
    t = sc.band_distribution(sc.score(frame, as_table=True), as_table=True)
    assert t.name == "health_bands" and list(t["accounts"]) == [0, 2, 1]
    with pytest.raises(csm.InvalidArgumentError):
        sc.band_distribution(frame)
    with pytest.raises(csm.InvalidArgumentError):
        sc.band_distribution(out, mrr=[1, 2])


def test_health_at_risk():
    sc, frame, out = _scored()
    r, why = sc.at_risk(out, account_id=[501, 502, 503], mrr=[100, 200, 300], reasons=True)
    # ranking by score: C (7.5), B (40), A (66.875); points = weight x (100 - score):
    # C login 0.5 x 100 = 50, tickets 0.25 x 100 = 25; B nps 12.5, sponsor 12.5 (tie:
    # spec order); A login 25, tickets 5
    assert list(r.index) == [1, 2, 3] and r.index.name == "rank"
    assert list(r["account_id"]) == [503, 502, 501]
    assert list(r["account"]) == [2, 1, 0]
    assert list(r["score"]) == pytest.approx([7.5, 40, 66.875])
    assert list(r["mrr"]) == [300, 200, 100]
    assert list(r["top_reasons"]) == [
        "login_rate -50.0; tickets -25.0; override: open P1",
        "nps -12.5; sponsor -12.5; override: key contact left",
        "login_rate -25.0; tickets -5.0"]
    assert list(why.index) == [(1, 1), (1, 2), (2, 1), (2, 2), (3, 1), (3, 2)]
    assert list(why["points"]) == pytest.approx([50, 25, 12.5, 12.5, 25, 5])
    assert list(why["measure_name"]) == ["login_rate", "tickets", "nps", "sponsor",
                                         "login_rate", "tickets"]
    # the top 2 with one reason each, no ids or MRR: ids are the rows, MRR unknown
    r2 = sc.at_risk(out, top_n=2, n_reasons=1)
    assert list(r2["account_id"]) == [2, 1]
    assert r2.loc[2, "top_reasons"] == "nps -12.5; override: key contact left"
    assert r2["mrr"].isna().all()
    # the C defaults (CSM_HEALTH_RISK_OPTS_INIT: top 10, 2 reasons): all 3, 2 reasons
    t = sc.at_risk(out, as_table=True)
    assert len(t) == 3 and len(t.result_table("health_reasons")) == 6
    with pytest.raises(csm.InvalidArgumentError):
        sc.at_risk(out, n_reasons=9)
    # the DataFrame's attrs survive a copy
    assert len(sc.at_risk(out.copy(deep=True))) == 3


# --- activity: NaN as a missing value ------------------------------------------------

def test_activity_nan_missing():
    # tests/test-activity.c test_nan_missing: account 1 10 licensed, 5 activated -> 0.5,
    # 4 users -> 0.4; account 2 licensed unknown -> its rates NaN; all accounts: the
    # licensed sum is NaN, active users 4 + 2 = 6
    f = {"account_id": [1, 2], "licensed_seats": [10, np.nan],
         "activated_seats": [5, 3], "active_users": [4, 2]}
    with pytest.raises(csm.DomainError) as e:
        csm.activity(f)
    assert e.value.row == 1
    a = csm.activity(f, nan_missing=True)
    assert a.loc[1, "activation_rate"] == pytest.approx(0.5)
    assert a.loc[1, "login_rate"] == pytest.approx(0.4)
    assert math.isnan(a.loc[2, "activation_rate"]) and math.isnan(a.loc[2, "login_rate"])
    assert a.loc[2, "active_users"] == 2
    al = csm.activity(f, group_by="all", nan_missing=True)
    assert math.isnan(al["activation_rate"].iloc[0]) and al["active_users"].iloc[0] == 6
    with pytest.raises(csm.DomainError):
        csm.activity(f, nan_missing=False)


# --- ledger: unit economics and projection inputs -------------------------------------
# The ledger fixture of tests/test-ledger.c (also test_families.test_ledger_ltv).
ROWS = [(1, 0, 100), (1, 1, 100), (1, 2, 150), (1, 3, 150), (1, 4, 120), (1, 5, 120),
        (2, 0, 200), (2, 1, 200), (3, 1, 50), (3, 2, 50), (3, 4, 80), (3, 5, 80),
        (4, 0, 300), (4, 4, 300), (4, 5, 300), (5, 0, 40), (5, 0, 60), (5, 1, 100),
        (5, 2, 100), (5, 3, 100), (5, 4, 100), (5, 5, 100), (6, 3, 90), (6, 4, 90),
        (6, 5, 90)]


def _ledger():
    c, m, v = zip(*ROWS)
    return csm.Ledger(c, [M0 + x for x in m], v)


def _wide():
    """customers x months MRR (0 = inactive), with pandas only."""
    df = pd.DataFrame(ROWS, columns=["c", "m", "v"])
    return df.pivot_table(index="c", columns="m", values="v", aggfunc="sum", fill_value=0)


def test_ledger_unit_economics():
    w = _wide()
    act = w > 0
    # window M1..M5: opening = active the month before, churned = active before, not now
    opening = sum(int(act[m - 1].sum()) for m in range(1, 6))
    churned = sum(int((act[m - 1] & ~act[m]).sum()) for m in range(1, 6))
    assert (opening, churned) == (19, 3)  # by hand: 4+4+3+3+5, one each in M1, M2, M3
    arpa = w[5].sum() / act[5].sum()       # 690 / 5 = 138
    first = act.idxmax(axis=1)              # first active month per customer
    new = first[(first >= 1) & (first <= 5)]  # customers 3 (M1, 50) and 6 (M3, 90)
    new_mrr = sum(w.loc[c, m] for c, m in new.items())
    spend = 300 + 100                      # the spend rows of M2 and M4 (M0, M6 outside)
    u = _ledger().unit_economics(window=5, gross_margin=0.8,
                                 spend_month=["2024-01", "2024-03", "2024-05", "2024-07"],
                                 spend=[1000, 300, 100, 5000])
    assert len(u) == 1 and str(u.index[0]) == "2024-06"
    r = u.iloc[0]
    ltv = arpa * 0.8 * opening / churned   # 699.2
    cac = spend / len(new)                 # 200
    assert r["arpa"] == pytest.approx(arpa)
    assert r["monthly_churn"] == pytest.approx(churned / opening)
    assert r["ltv"] == pytest.approx(ltv) and ltv == pytest.approx(699.2)
    assert r["opening_customers"] == opening and r["churned_customers"] == churned
    assert r["new_customers"] == 2 and r["new_mrr"] == pytest.approx(new_mrr) == 140
    assert r["new_arpa"] == pytest.approx(70)
    assert r["spend"] == pytest.approx(spend) and r["cac"] == pytest.approx(cac)
    assert r["ltv_cac"] == pytest.approx(ltv / cac)
    assert r["cac_payback_months"] == pytest.approx(cac / (70 * 0.8))
    assert r["window_months"] == 5 and r["flags"] == 0
    # spend unknown: cac and what is built on it NaN; defaults: window 12, margin 0.8
    d = _ledger().unit_economics().iloc[0]
    assert math.isnan(d["cac"]) and math.isnan(d["ltv_cac"]) and math.isnan(d["spend"])
    assert d["window_months"] == 12 and d["gross_margin"] == 0.8
    # a lifetime cap (csm.ltv's option): lifetime 19/3 = 6.33 capped at 5
    c = _ledger().unit_economics(window=5, lifetime_cap_months=5).iloc[0]
    assert c["lifetime_months"] == 5 and c["ltv"] == pytest.approx(arpa * 0.8 * 5)
    t = _ledger().unit_economics(as_table=True)
    assert t.name == "unit_economics"
    with pytest.raises(csm.InvalidArgumentError):
        _ledger().unit_economics(spend=[1.0])


def test_ledger_project_inputs():
    w = _wide()
    mrr = w.sum()                          # 700 450 300 340 690 690
    # window M1..M5, from the movements by hand (ledger fixture):
    #   M1 new c3 50, churn c4 300; M2 expansion c1 50, churn c2 200; M3 churn c3 50,
    #   new c6 90; M4 contraction c1 30, reactivations c3 80 + c4 300; M5 nothing
    rates = [300 / 700, 200 / 450, 50 / 300, 30 / 340, 0 / 690]
    p = _ledger().project_inputs(window=5)
    assert str(p.index[0]) == "2024-06"
    r = p.iloc[0]
    assert r["start_mrr"] == mrr[5] == 690
    assert r["new_mrr"] == pytest.approx((50 + 90 + 80 + 300) / 5)
    assert r["gross_mrr_churn_rate"] == pytest.approx(np.mean(rates))
    assert r["rate_months"] == 5 and r["window_months"] == 5
    # an earlier month, window 2 (M2, M3): rates 200/450, 50/300; new 90 / 2
    q = _ledger().project_inputs(month="2024-04", window=2).iloc[0]
    assert q["start_mrr"] == 340
    assert q["gross_mrr_churn_rate"] == pytest.approx((200 / 450 + 50 / 300) / 2)
    assert q["new_mrr"] == pytest.approx(45)
    assert _ledger().project_inputs().iloc[0]["window_months"] == 6
    # the inputs continue the trend with project_mrr
    proj = csm.project_mrr(r["start_mrr"], 1, [r["gross_mrr_churn_rate"]],
                           new_mrr=r["new_mrr"])
    assert proj.iloc[1, 0] == pytest.approx(690 * (1 - np.mean(rates)) + 104)
    with pytest.raises(csm.InvalidArgumentError):
        _ledger().project_inputs(window=0)


# --- NPS by group ---------------------------------------------------------------------

def test_nps_by_group():
    scores = [10, 9, 0, 7, 10, 3, 5, 8, 9, 6]
    group = [2, 1, 2, 1, 7, 7, 2, 1, 1, 7]
    df = csm.nps_by_group(scores, group)
    assert list(df.index) == [1, 2, 7] and df.index.name == "group"
    # by hand: group 1 (9, 7, 8, 9): 2 promoters, 2 passives -> 50; group 2 (10, 0, 5):
    # 1 promoter, 2 detractors -> -33.3; group 7 (10, 3, 6): 1 promoter, 2 detractors
    assert df.loc[1, "nps"] == pytest.approx(50)
    assert df.loc[2, "nps"] == pytest.approx(100 * (1 - 2) / 3)
    assert df.loc[1, "n"] == 4 and df.loc[7, "n_detractors"] == 2
    # each row is csm.nps of the group's responses
    s, g = np.array(scores), np.array(group)
    for k in (1, 2, 7):
        ref = csm.nps(s[g == k])
        assert df.loc[k, "se"] == pytest.approx(ref.se, rel=1e-12)
        assert df.loc[k, "ci_low"] == pytest.approx(ref.ci_low, rel=1e-12)
    assert (df["confidence"] == 0.95).all()  # CSM_NPS_OPTS_INIT's default
    # labels are factorized and shown; weights: group "b" 9 (w 3), 0 (w 1) -> 50
    w = csm.nps_by_group([9, 0, 10], ["b", "b", "a"], weights=[3, 1, 1], confidence=0.9)
    assert list(w.index) == ["a", "b"]
    assert w.loc["b", "nps"] == pytest.approx(50) and w.loc["a", "nps"] == 100
    assert (w["confidence"] == 0.9).all()
    t = csm.nps_by_group(scores, group, as_table=True)
    assert t.name == "nps" and list(t["group"]) == [1, 2, 7]
    assert len(csm.nps_by_group([], [])) == 0
    with pytest.raises(csm.DomainError):
        csm.nps_by_group([11], [1])
    with pytest.raises(csm.InvalidArgumentError):
        csm.nps_by_group([1, 2], [1])
