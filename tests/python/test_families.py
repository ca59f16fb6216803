"""Python bindings of the survival, team, renewals, activity and health families.
Expected values are the hand-worked / published fixtures of the C suites (cited there):
tests/test-survival.c, test-team.c, test-renewals.c, test-activity.c, test-health.c."""
import json
import math
import os
from datetime import date

import numpy as np
import pandas as pd
import pytest

import csmetrics as csm

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

# --- Kaplan-Meier: 6-MP arm of Freireich et al. (Gehan 1965), * = censored ------------
SIXMP_T = [6, 6, 6, 6, 7, 9, 10, 10, 11, 13, 16, 17, 19, 20, 22, 23, 25, 32, 32, 34, 35]
SIXMP_E = [1, 1, 1, 0, 1, 0, 1, 0, 0, 1, 1, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0]


def test_kaplan_meier_published_table():
    km = csm.kaplan_meier(SIXMP_T, SIXMP_E)
    s = km.table.set_index("time")["survival"]
    # textbook values: 0.857 0.807 0.753 0.690 0.627 0.538 0.448
    for t, v in [(6, 0.857), (7, 0.807), (10, 0.753), (13, 0.690), (16, 0.627),
                 (22, 0.538), (23, 0.448)]:
        assert s[t] == pytest.approx(v, abs=5e-4)
    assert km.median == 23
    # Greenwood SE at 6: 0.857 sqrt(3/(21 x 18)) = 0.0764
    assert km.table.set_index("time")["stderr"][6] == pytest.approx(0.0764, abs=5e-5)


def test_kaplan_meier_groups_and_errors():
    g = [0] * 10 + [1] * 11
    km = csm.kaplan_meier(SIXMP_T, SIXMP_E, groups=g)
    assert list(km.summary.index) == [0, 1]
    with pytest.raises(csm.DomainError) as e:
        csm.kaplan_meier([1, -2], [1, 0])
    assert e.value.row == 1
    with pytest.raises(csm.InvalidArgumentError):
        csm.kaplan_meier([1, 2], [1])


def test_sbg_high_end():
    # Fader & Hardie (2007), "High End": alpha 0.668, beta 3.806, LL -1611.16
    f = csm.sbg_fit([1000, 869, 743, 653, 593, 551, 517, 491])
    assert f.alpha == pytest.approx(0.668, abs=5e-4)
    assert f.beta == pytest.approx(3.806, abs=5e-4)
    assert f.loglik == pytest.approx(-1611.16, abs=5e-3)
    assert f.converged
    # r(1) by hand from the published fit: 3.806 / (0.668 + 3.806) = 3.806 / 4.474 = 0.850693
    # (4.474 x 0.85 = 3.8029, remainder 0.0031 / 4.474 = 0.000693); the rounding of alpha
    # and beta moves it by < 1e-4
    assert f.retention(1) == pytest.approx(0.850693, abs=5e-4)
    # S(t) and r(t) by a separate route, from the definition rather than the Beta-function
    # closed form the library uses: S(t) = E[(1 - theta)^t], theta ~ Beta(alpha, beta), i.e.
    # I(t) / I(0) with I(t) = int_0^1 theta^(alpha-1) (1-theta)^(beta-1+t) dtheta.  With
    # theta = v^(2/alpha) the integral is (2/alpha) int_0^1 v (1 - v^(2/alpha))^(beta-1+t) dv,
    # smooth enough for 400-node Gauss-Legendre (error ~1e-15 here; the constant cancels).
    x, w = np.polynomial.legendre.leggauss(400)
    v, w = (x + 1) / 2, w / 2
    integral = [float(np.sum(w * v * (1 - v ** (2 / f.alpha)) ** (f.beta - 1 + t)))
                for t in range(6)]
    for t in range(1, 6):
        assert f.survival(t) == pytest.approx(integral[t] / integral[0], rel=1e-10)
        assert f.retention(t) == pytest.approx(integral[t] / integral[t - 1], rel=1e-10)
    assert f.survival(0) == pytest.approx(1.0, rel=1e-12)
    # DEL against a direct discounted sum of S(t)
    d = 0.1
    direct = sum(f.survival(t) / (1 + d) ** t for t in range(0, 2000))
    assert f.del_(d) == pytest.approx(direct, rel=1e-8)
    assert f.ltv_new(50, d) == pytest.approx(50 * direct, rel=1e-8)
    with pytest.raises(csm.ConvergenceError):
        csm.sbg_fit([100, 100, 100])  # nobody churned


def test_lifetimes_and_team():
    # team fixture (tests/test-team.c), month 2024-01: customers 1..4 with MRR
    # 100, 200, 300, 400; 5 only in 2024-02; owners 1->7, 2->7, 3->9, 5->9
    led = csm.Ledger([1, 2, 3, 4, 5], ["2024-01"] * 4 + ["2024-02"], [100, 200, 300, 400, 300])
    t = led.team([3, 1, 2, 5], [9, 7, 7, 9], at_risk=[3, 99, 2], month="2024-01")
    assert list(t.index) == [np.iinfo(np.int32).min, 7, 9]
    assert t.loc[7, "accounts"] == 2 and t.loc[7, "mrr"] == 300
    assert t.loc[7, "at_risk_mrr"] == 200
    assert t.attrs["n_csm"] == 2
    assert t.attrs["accounts_per_csm"] == pytest.approx(1.5)
    assert t.attrs["arr_per_csm"] == pytest.approx(3600)
    lt = led.lifetimes()
    # customers 1-4 active only in 2024-01 and gone in 2024-02: 1 month, churned;
    # customer 5 first active in the last month: 1 month, censored
    assert list(lt["duration"]) == [1, 1, 1, 1, 1]
    assert list(lt["event"]) == [1, 1, 1, 1, 0]


def _d(y, m, dd):
    return date(y, m, dd)


def test_renewals_fixture():
    # tests/test-renewals.c: window 2024, grace 90
    spans = [((2023, 3, 1), (2024, 2, 29)), ((2024, 3, 1), (2025, 2, 28)),
             ((2023, 6, 1), (2024, 5, 31)), ((2024, 7, 15), (2025, 7, 14)),
             ((2023, 1, 1), (2023, 12, 31)), ((2024, 1, 1), (2024, 12, 31)),
             ((2023, 9, 1), (2024, 8, 31)), ((2025, 1, 15), (2026, 1, 14)),
             ((2023, 7, 1), (2024, 6, 30)), ((2023, 7, 1), (2024, 6, 30)),
             ((2024, 7, 1), (2025, 6, 30)), ((2024, 1, 1), (2024, 12, 31)),
             ((2024, 6, 1), (2024, 12, 31)), ((2025, 1, 1), (2025, 12, 31))]
    cust = [1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 5, 6, 6, 6]
    seg = [1, 1, 1, 1, 2, 2, 2, 2, 1, 1, 1, 2, 2, 2]
    val = [1200, 1500, 1000, 1000, 500, 600, 800, 800, 100, 200, 330, 1000, 70, 1200]
    start = [str(_d(*a)) for a, _ in spans]
    end = [str(_d(*b)) for _, b in spans]
    r, out = csm.renewals(cust, start, end, val, "2024-01-01", "2024-12-31",
                          return_outcomes=True)
    row = r.loc["all"]
    assert (row["due"], row["renewed"], row["late"], row["churned"]) == (7, 5, 1, 1)
    assert row["logo_renewal_rate"] == pytest.approx(5 / 7)
    assert row["dollar_renewal_rate"] == pytest.approx(0.8247022644674308, rel=1e-9)
    assert out.loc[12, "outcome"] == "upsell" and out.loc[6, "outcome"] == "late"
    by = csm.renewals(cust, start, end, val, "2024-01-01", "2024-12-31", segment=seg,
                      group_by="segment")
    assert by.loc[1, "dollar_renewal_rate"] == pytest.approx(1.1351013698630137, rel=1e-9)
    with pytest.raises(csm.DomainError) as e:
        csm.renewals([1], ["2024-02-01"], ["2024-01-01"], [5], "2024-01-01", "2024-12-31")
    assert e.value.field == "end_day"


def test_activity_fixture():
    # tests/test-activity.c
    f = pd.DataFrame({"account_id": [1, 1, 2, 3], "role": [0, 3, 3, 0], "segment": [1, 1, 2, 2],
                      "licensed_seats": [10, 40, 100, 5], "activated_seats": [8, 20, 90, 0],
                      "active_users": [6, 14, 80, 0], "sessions": [60, 70, 400, 0],
                      "minutes": [600, 1400, 2000, 0], "features_used": [5, 10, 15, 0],
                      "features_available": [20, 20, 20, 20], "dau": [3, 4, 40, 0],
                      "mau": [6, 14, 80, 0]})
    a = csm.activity(f)
    assert a.loc[1, "activation_rate"] == pytest.approx(0.56)
    assert a.loc[1, "minutes_per_session"] == pytest.approx(2000 / 130)
    assert math.isnan(a.loc[3, "sessions_per_user"])
    s = csm.activity(f, group_by="segment")
    assert s.loc[2, "activation_rate"] == pytest.approx(90 / 105)
    assert s.loc[2, "mean_activation_rate"] == pytest.approx(0.45)
    with pytest.raises(csm.DomainError):
        csm.activity(f.assign(activated_seats=[8, 50, 90, 0]))


SPEC = {
    "name": "t",
    "groups": [
        {"name": "usage", "weight": 3, "measures": [
            {"name": "login_rate", "weight": 2,
             "transform": {"type": "linear", "min": 0.2, "max": 0.8}},
            {"name": "tickets", "weight": 1, "direction": "lower",
             "transform": {"type": "piecewise", "points": [[0, 100], [5, 50], [10, 0]]}}]},
        {"name": "relationship", "weight": 1, "measures": [
            {"name": "nps", "transform": {"type": "linear", "min": -100, "max": 100},
             "missing": "zero"},
            {"name": "sponsor", "transform": {"type": "boolean"}}]}],
    "overrides": [
        {"name": "key contact left", "input": "key_contact_left", "op": "==", "value": 1,
         "action": "cap", "score": 40},
        {"name": "open P1", "input": "open_p1", "op": ">=", "value": 1, "action": "subtract",
         "points": 10}]}


def test_scorecard_three_accounts():
    sc = csm.Scorecard.from_dict(SPEC)
    assert sc.inputs == ["login_rate", "tickets", "nps", "sponsor", "key_contact_left",
                         "open_p1"]
    frame = pd.DataFrame({"login_rate": [0.5, 0.9, 0.1], "tickets": [2, np.nan, 12],
                          "nps": [50, np.nan, -20], "sponsor": [1, 0, 1],
                          "key_contact_left": [0, 1, 0], "open_p1": [0, 0, 2]},
                         index=["A", "B", "C"])
    prev = pd.DataFrame({"score": [70, 80, 10], "band": ["green", "green", "red"]},
                        index=["A", "B", "C"])
    out = sc.score(frame, previous=prev)
    assert out.loc["A", "score"] == pytest.approx(66.875)
    assert out.loc["B", "score"] == pytest.approx(40) and out.loc["B", "band"] == "yellow"
    assert out.loc["B", "override"] == "key contact left"
    assert out.loc["C", "score"] == pytest.approx(7.5) and out.loc["C", "band"] == "red"
    assert out.loc["A", "contribution_login_rate"] == pytest.approx(25)
    assert out.loc["A", "contribution_nps"] == pytest.approx(9.375)
    assert out.loc["A", "change"] == pytest.approx(-3.125)
    assert list(out["moved"]) == [True, True, False]
    # round trip
    again = csm.Scorecard.from_json(sc.to_json())
    assert again.to_json() == sc.to_json()


def test_scorecard_errors_and_examples():
    bad = json.loads(json.dumps(SPEC))
    bad["groups"][1]["measures"][0]["weight"] = -1
    with pytest.raises(csm.InvalidArgumentError) as e:
        csm.Scorecard.from_dict(bad)
    assert str(e.value) == "EINVAL: $.groups[1].measures[0].weight: must be >= 0"
    with pytest.raises(csm.ParseError):
        csm.Scorecard.from_json("{")
    for name in ["usage-led.json", "relationship-led.json"]:
        sc = csm.Scorecard.from_json(os.path.join(ROOT, "examples", "scorecards", name))
        assert len(sc.bands) == 3


def test_ledger_ltv():
    # the ledger fixture of tests/test-ledger.c: churn 3/19 over M1..M5, ARPA 138:
    # LTV = 138 x 0.8 x 19/3 = 699.2
    rows = [(1, 0, 100), (1, 1, 100), (1, 2, 150), (1, 3, 150), (1, 4, 120), (1, 5, 120),
            (2, 0, 200), (2, 1, 200), (3, 1, 50), (3, 2, 50), (3, 4, 80), (3, 5, 80),
            (4, 0, 300), (4, 4, 300), (4, 5, 300), (5, 0, 40), (5, 0, 60), (5, 1, 100),
            (5, 2, 100), (5, 3, 100), (5, 4, 100), (5, 5, 100), (6, 3, 90), (6, 4, 90),
            (6, 5, 90)]
    c, m, v = zip(*rows)
    led = csm.Ledger(c, [24288 + x for x in m], v)
    r = led.ltv(0.8, window=5)
    assert r["ltv"] == pytest.approx(699.2, rel=1e-12)
    assert r["churn_used"] == pytest.approx(3 / 19)
    with pytest.raises(csm.DomainError):
        led.ltv(0.8, window=1)  # no churn in the last month alone
