"""Python bindings of the referral figures (csmetrics/referrals.h).
Expected values: the hand-worked fixture of tests/test-referrals.c, with
text customer ids and CSM names."""
import numpy as np
import pandas as pd
import pytest

import csmetrics as csm


def ledger():
    spans = {"c1": ("2023-12", 4, 100), "c2": ("2023-12", 4, 200), "c3": ("2023-12", 2, 300),
             "c4": ("2023-06", 1, 90), "c5": ("2024-02", 2, 150), "c6": ("2024-03", 1, 50),
             "c7": ("2024-04", 1, 80)}
    c, p, v = [], [], []
    for cust, (start, months, mrr) in spans.items():
        for per in pd.period_range(start, periods=months, freq="M"):
            c.append(cust)
            p.append(per)
            v.append(mrr)
    return csm.Ledger(c, p, v)


REF = dict(referrer=["c1", "c1", "c2", "c4", "c3", "c99"],
           day=["2024-01-15", "2024-02-10", "2024-03-31", "2024-02-01", "2023-12-20",
                "2024-03-01"],
           converted=[True, False, False, True, True, False],
           first_mrr=[150, np.nan, 0, 40, 99, 0])


def test_fixture():
    led = ledger()
    r = led.referrals(**REF, owner_customer=["c5", "c1", "c2", "c3", "c4"],
                      owner=["bo", "al", "al", "bo", "cy"],
                      nps_customer=["c1", "c1", "c2", "c3", "c5", "c6", "c4", "c99"],
                      nps_score=[10, 9, 6, 8, 3, 10, 0, 10],
                      first_month="2024-01", last_month="2024-03")
    s = r.summary
    assert (s["active_accounts"], s["referrers"], s["referrals"], s["converted"]) == (5, 2, 5, 2)
    assert s["referral_rate"] == pytest.approx(0.4)
    assert s["conversion_rate"] == pytest.approx(0.4)
    assert s["referred_mrr"] == pytest.approx(190)
    assert s["new_mrr"] == pytest.approx(200)
    assert s["referred_share"] == pytest.approx(0.95)
    assert s["referrals_per_csm"] == pytest.approx(1.5)
    assert s["nps_referrers"] == pytest.approx(100 / 3)
    assert s["nps_others"] == pytest.approx(0)
    assert s["nps_diff"] == pytest.approx(100 / 3)
    o = r.owners
    assert list(o.index) == ["unassigned", "al", "bo"]
    assert o.loc["al", "referrals"] == 3 and o.loc["al", "referred_mrr"] == 150
    assert o.loc["bo", "referral_rate"] == 0


def test_defaults_and_errors():
    led = ledger()
    # the whole ledger (2023-06..2024-04): 7 active, 6 referrals, 289 MRR
    s = led.referrals(**REF).summary
    assert (s["active_accounts"], s["referrals"], s["referrers"]) == (7, 6, 4)
    assert s["referred_mrr"] == pytest.approx(289) and s["new_mrr"] == pytest.approx(970)
    assert np.isnan(s["nps_referrers"])
    with pytest.raises(csm.DomainError):
        led.referrals(**REF, nps_customer=["c1"], nps_score=[11])
    with pytest.raises(csm.InvalidArgumentError):
        led.referrals(**REF, first_month="2024-04", last_month="2024-01")
