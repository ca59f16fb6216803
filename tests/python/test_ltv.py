"""csm.ltv / ltv_seed / cac / ltv_cac / cac_payback.  Expected values are
worked out in the comments."""
import math

import numpy as np
import pytest

import csmetrics as csm


def test_ltv_simple():
    # ARPA 100, margin 0.8, churn 2%: lifetime 1 / 0.02 = 50 months,
    # LTV = 100 x 0.8 x 50 = 4,000
    r = csm.ltv(100, 0.8, 0.02)
    assert isinstance(r, csm.LTVResult)
    assert r.ltv == pytest.approx(4000) and r.lifetime_months == pytest.approx(50)
    assert r.churn_used == 0.02 and r.flags == 0
    assert float(r) == pytest.approx(4000)
    # numpy scalars are numbers too
    assert csm.ltv(np.float64(100), np.float32(0.8), 0.02).ltv == pytest.approx(4000)
    # a 36-month cap: 100 x 0.8 x 36 = 2,880, flagged
    r = csm.ltv(100, 0.8, 0.02, lifetime_cap_months=36)
    assert r.ltv == pytest.approx(2880) and r.lifetime_months == 36
    assert r.flag_names == ["capped"]
    # a cap above the lifetime changes nothing
    assert csm.ltv(100, 0.8, 0.02, lifetime_cap_months=60).flags == 0


def test_ltv_zero_churn_policies():
    with pytest.raises(csm.DomainError) as ei:
        csm.ltv(100, 0.8, 0)  # default: an error, never an infinity
    assert ei.value.field == "monthly_churn" and "unbounded" in str(ei.value)
    # floor: churn 0 -> 0.0167: LTV = 80 / 0.0167 = 4,790.42
    r = csm.ltv(100, 0.8, 0, zero_churn="floor")
    assert r.churn_used == 0.0167 and r.ltv == pytest.approx(80 / 0.0167)
    assert r.flag_names == ["floored"]
    # the floor applies to any churn below it: 1% -> 2% floor, LTV 80 / 0.02
    r = csm.ltv(100, 0.8, 0.01, zero_churn="floor", churn_floor=0.02)
    assert r.ltv == pytest.approx(4000) and "floored" in r.flag_names
    # ... and not above it
    assert csm.ltv(100, 0.8, 0.05, zero_churn="floor").flags == 0
    # cap: churn 0 -> lifetime = cap 24: LTV = 80 x 24 = 1,920
    r = csm.ltv(100, 0.8, 0, zero_churn="cap", lifetime_cap_months=24)
    assert r.ltv == pytest.approx(1920) and r.lifetime_months == 24
    assert "capped" in r.flag_names
    with pytest.raises(csm.InvalidArgumentError) as ei:
        csm.ltv(100, 0.8, 0, zero_churn="cap")  # no cap given
    assert ei.value.field == "opts.lifetime_cap_months"
    with pytest.raises(csm.InvalidArgumentError) as ei:
        csm.ltv(100, 0.8, 0.02, zero_churn="ignore")
    assert ei.value.field == "zero_churn"


def test_ltv_errors():
    for args, field in (((-1, 0.8, 0.02), "arpa"), ((100, 1.2, 0.02), "gross_margin"),
                        ((100, 0.8, 1.5), "monthly_churn"), ((math.inf, 0.8, 0.02), "arpa"),
                        ((100, math.nan, 0.02), "gross_margin")):
        with pytest.raises(csm.DomainError) as ei:
            csm.ltv(*args)
        assert ei.value.field == field
    with pytest.raises(csm.InvalidArgumentError) as ei:
        csm.ltv(100, 0.8, 0.02, zero_churn="floor", churn_floor=0)
    assert ei.value.field == "opts.churn_floor"
    with pytest.raises(csm.InvalidArgumentError):
        csm.ltv(100, 0.8, 0.02, lifetime_cap_months=-1)
    with pytest.raises(csm.InputTypeError) as ei:
        csm.ltv("100", 0.8, 0.02)
    assert ei.value.field == "arpa"


def test_ltv_seed():
    # average purchase 50, 2 purchases a month, 12-month lifetime: 1,200
    m = csm.ltv_seed(50, 2, 12)
    assert isinstance(m, csm.Metric) and isinstance(m, float)
    assert m == pytest.approx(1200) and m.flags == 0 and m.value == m
    with pytest.raises(csm.DomainError) as ei:
        csm.ltv_seed(50, -2, 12)
    assert ei.value.field == "purchase_rate"


def test_cac_ltv_cac_payback():
    # CAC = 10,000 spend / 40 new customers = 250
    c = csm.cac(10_000, 40)
    assert c == pytest.approx(250)
    # LTV/CAC = 4,000 / 250 = 16; an LTVResult is accepted as the LTV
    assert csm.ltv_cac(csm.ltv(100, 0.8, 0.02), c) == pytest.approx(16)
    assert csm.ltv_cac(4000, 250) == pytest.approx(16)
    # payback = 250 / (100 x 0.8) = 3.125 months
    assert csm.cac_payback(250, 100, 0.8) == pytest.approx(3.125)


def test_zero_denominators_are_nan_with_flag():
    c = csm.cac(10_000, 0)
    assert math.isnan(c) and c.flag_names == ["zero_denominator"]
    assert "zero_denominator" in repr(c)
    r = csm.ltv_cac(4000, 0)
    assert math.isnan(r) and r.flags == csm.FLAG_ZERO_DENOMINATOR
    # payback with margin 0: 250 / (100 x 0) -> NaN
    assert math.isnan(csm.cac_payback(250, 100, 0))
    assert math.isnan(csm.cac_payback(250, 0, 0.8))


def test_cac_errors():
    with pytest.raises(csm.DomainError) as ei:
        csm.cac(-1, 10)
    assert ei.value.field == "spend"
    with pytest.raises(csm.DomainError) as ei:
        csm.cac(1, math.nan)
    assert ei.value.field == "new_customers"
    with pytest.raises(csm.DomainError) as ei:
        csm.ltv_cac(math.inf, 1)
    assert ei.value.field == "ltv"
    with pytest.raises(csm.DomainError) as ei:
        csm.ltv_cac(4000, csm.cac(1, 0))  # a NaN CAC is not a CAC
    assert ei.value.field == "cac"
    with pytest.raises(csm.DomainError) as ei:
        csm.cac_payback(250, 100, 2)
    assert ei.value.field == "gross_margin"
    with pytest.raises(csm.InputTypeError):
        csm.cac(None, 1)


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


def test_ledger_unit_economics(plain_ledger, wide_mrr):
    w = wide_mrr
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
    u = plain_ledger.unit_economics(window=5, gross_margin=0.8,
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
    assert r["window_months"] == 5 and r["flag_bits"] == 0
    # spend unknown: cac and what is built on it NaN; defaults: window 12, margin 0.8
    d = plain_ledger.unit_economics().iloc[0]
    assert math.isnan(d["cac"]) and math.isnan(d["ltv_cac"]) and math.isnan(d["spend"])
    assert d["window_months"] == 12 and d["gross_margin"] == 0.8
    # a lifetime cap (csm.ltv's option): lifetime 19/3 = 6.33 capped at 5
    c = plain_ledger.unit_economics(window=5, lifetime_cap_months=5).iloc[0]
    assert c["lifetime_months"] == 5 and c["ltv"] == pytest.approx(arpa * 0.8 * 5)
    t = plain_ledger.unit_economics(as_table=True)
    assert t.name == "unit_economics"
    with pytest.raises(csm.InvalidArgumentError):
        plain_ledger.unit_economics(spend=[1.0])
