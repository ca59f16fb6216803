"""csm.Ledger: building (rows, frames, contracts), movements, retention,
cohorts, on the hand-worked fixture of conftest.py (the same as
tests/test-ledger.c).  Each expected figure is derived from the fixture table
in the comment next to it."""
import math

import numpy as np
import pandas as pd
import pytest

import csmetrics as csm
from conftest import FX_CUST, FX_MONTH, FX_MRR, FX_SEG, M0

TOL = 1e-9


def P(k):
    """pandas Period of fixture month Mk (M0 = 2024-01)."""
    return pd.Period(year=2024, month=1 + k, freq="M")


# ---- building ---------------------------------------------------------------
def test_build(ledger):
    assert ledger.customer_count == 6  # A..F
    # 25 rows; E's two M0 rows (40 + 60) merge into one entry: 24
    assert ledger.entry_count == 24
    assert ledger.first_month == P(0) and ledger.last_month == P(5)
    # total MRR per month from the table's last lines
    assert ledger.mrr(M0) == pytest.approx(700, abs=TOL)
    assert ledger.mrr("2024-04") == pytest.approx(340, abs=TOL)  # M3
    assert ledger.mrr(P(6)) == 0.0  # past the end
    assert "6 customers" in repr(ledger)


def test_build_from_lists_series_and_frame(fx):
    # plain lists (int64 / float64 made once), Series, Periods
    a = csm.Ledger(FX_CUST, [M0 + m for m in FX_MONTH], FX_MRR, FX_SEG)
    df = pd.DataFrame({
        "customer_id": FX_CUST,
        "month": pd.PeriodIndex([str(P(m)) for m in FX_MONTH], freq="M"),
        "mrr": FX_MRR,
        "seg": FX_SEG,
    })
    b = csm.Ledger(df["customer_id"], df["month"], df["mrr"], df["seg"])
    c = csm.Ledger.from_frame(df, segment="seg")  # period column "month"
    d = csm.Ledger.from_frame(df.rename(columns={"month": "period"}))
    for lg in (a, b, c, d):
        assert lg.entry_count == 24
        assert lg.mrr(P(4)) == pytest.approx(690, abs=TOL)  # M4 total
    # the segment matters only for by-segment tables; same totals
    pd.testing.assert_frame_equal(a.movements(), b.movements())
    with pytest.raises(csm.InvalidArgumentError, match="no column 'nope'"):
        csm.Ledger.from_frame(df, mrr="nope")


def test_build_errors(fx):
    cust, per, mrr = fx["customer_id"], fx["period"], fx["mrr"]
    # strict: rows 15 and 16 are E's duplicate M0 rows; the second is named
    with pytest.raises(csm.DuplicateError) as ei:
        csm.Ledger(cust, per, mrr, strict=True)
    assert isinstance(ei.value, ValueError)
    assert (ei.value.row, ei.value.field) == (16, "period")
    bad = mrr.copy()
    bad[3] = np.nan
    with pytest.raises(csm.DomainError) as ei:
        csm.Ledger(cust, per, bad)
    assert (ei.value.row, ei.value.field) == (3, "mrr")
    bad[3] = np.inf
    with pytest.raises(csm.DomainError):
        csm.Ledger(cust, per, bad)
    # arrays of different lengths
    with pytest.raises(csm.InvalidArgumentError) as ei:
        csm.Ledger(cust, per[:-1], mrr)
    assert ei.value.field == "period"
    with pytest.raises(csm.InvalidArgumentError) as ei:
        csm.Ledger(cust, per, mrr, fx["segment"][:3])
    assert ei.value.field == "segment"
    with pytest.raises(csm.InputTypeError):
        csm.Ledger(cust, per, ["x"] * len(cust))
    with pytest.raises(csm.DomainError) as ei:  # customer ids must be whole
        csm.Ledger(cust + 0.5, per, mrr)
    assert ei.value.field == "customer_id"


def test_empty_ledger():
    lg = csm.Ledger([], [], [])
    assert lg.customer_count == 0 and lg.first_month is None
    mv = lg.movements()
    assert len(mv) == 0 and "net_new" in mv.columns
    assert len(lg.retention()) == 0


def test_free_is_active():
    # customer 1 pays 10 in M0 and 0 in M1: churned by default; with
    # free_is_active an active $0 customer (contraction of 10)
    # (a $0 row is no entry by default, so the range is given explicitly)
    args = ([1, 1], [M0, M0 + 1], [10.0, 0.0])
    mv = csm.Ledger(*args).movements(last_month=M0 + 1)
    assert mv["churn"].iloc[1] == 10 and mv["customers"].iloc[1] == 0
    mv = csm.Ledger(*args, free_is_active=True).movements(last_month=M0 + 1)
    assert mv["contraction"].iloc[1] == 10 and mv["customers"].iloc[1] == 1


# ---- movements --------------------------------------------------------------
def test_movements_fixture(ledger):
    mv = ledger.movements()
    assert isinstance(mv.index, pd.PeriodIndex) and mv.index.freqstr == "M"
    assert mv.index.name == "month" and list(mv.index) == [P(k) for k in range(6)]
    for col in ("opening_mrr", "new", "reactivation", "expansion", "contraction", "churn",
                "net_new", "closing_mrr", "customers", "new_customers", "churned_customers",
                "customer_churn_rate", "gross_mrr_churn_rate", "net_mrr_churn_rate",
                "quick_ratio", "arpa"):
        assert col in mv.columns
    assert mv["customers"].dtype == np.int64 and mv["flag_bits"].dtype == np.uint32
    r = mv.iloc
    # M0: new A100 + B200 + D300 + E100 = 700 from 4 customers
    assert r[0]["opening_mrr"] == 0 and r[0]["new"] == pytest.approx(700)
    assert r[0]["new_customers"] == 4 and r[0]["customers"] == 4
    assert r[0]["arpa"] == pytest.approx(175)  # 700 / 4
    assert r[0]["arr"] == pytest.approx(8400)  # 12 x 700
    # no customers at the start of M0: churn rate 0/0 -> NaN + flag
    assert math.isnan(r[0]["customer_churn_rate"])
    assert "zero_denominator" in csm.flag_names(r[0]["flag_bits"])
    # M1: C new 50, D churns 300; net -250, closing 450
    assert r[1]["new"] == pytest.approx(50) and r[1]["churn"] == pytest.approx(300)
    assert r[1]["net_new"] == pytest.approx(-250) and r[1]["closing_mrr"] == pytest.approx(450)
    assert r[1]["customer_churn_rate"] == pytest.approx(0.25)  # 1 of 4
    assert r[1]["gross_mrr_churn_rate"] == pytest.approx(300 / 700)
    assert r[1]["net_mrr_churn_rate"] == pytest.approx(300 / 700)
    assert r[1]["quick_ratio"] == pytest.approx(50 / 300)
    assert r[1]["arpa"] == pytest.approx(112.5)  # 450 / 4 (A B C E)
    # M2: A +50, B churns 200; net churn (200 - 50)/450, quick 50/200
    assert r[2]["expansion"] == pytest.approx(50) and r[2]["churn"] == pytest.approx(200)
    assert r[2]["closing_mrr"] == pytest.approx(300)
    assert r[2]["net_mrr_churn_rate"] == pytest.approx(150 / 450)
    assert r[2]["quick_ratio"] == pytest.approx(0.25)
    # M3: F new 90, C churns 50; churn rate 1 of 3 (A C E), quick 90/50
    assert r[3]["new"] == pytest.approx(90) and r[3]["churn"] == pytest.approx(50)
    assert r[3]["customer_churn_rate"] == pytest.approx(1 / 3)
    assert r[3]["quick_ratio"] == pytest.approx(1.8)
    # M4: A -30; C back at 80 (away 1 month) and D back at 300: reactivation 380
    assert r[4]["contraction"] == pytest.approx(30)
    assert r[4]["reactivation"] == pytest.approx(380) and r[4]["new"] == 0
    assert r[4]["closing_mrr"] == pytest.approx(690) and r[4]["customers"] == 5
    assert r[4]["net_mrr_churn_rate"] == pytest.approx(-350 / 340)  # (30 - 380)/340
    assert r[4]["quick_ratio"] == pytest.approx(380 / 30)
    assert r[4]["arpa"] == pytest.approx(138)  # 690 / 5
    # M5: nothing moves: quick ratio 0/0 is NaN, churn rate 0/5 = 0
    assert math.isnan(r[5]["quick_ratio"]) and r[5]["customer_churn_rate"] == 0
    # the bridge reconciles in every month
    np.testing.assert_allclose(mv["opening_mrr"] + mv["net_new"], mv["closing_mrr"])
    np.testing.assert_allclose(mv["closing_mrr"].shift(1).fillna(0), mv["opening_mrr"])


def test_movements_options(ledger):
    # window 2: D was away 3 months (M1..M3) > 2 -> new 300; C away 1 -> 80
    mv = ledger.movements(reactivation_window=2)
    assert mv["reactivation"].iloc[4] == pytest.approx(80)
    assert mv["new"].iloc[4] == pytest.approx(300)
    # month range: only M3..M4, opening of M3 = closing of M2 = 300
    mv = ledger.movements(first_month="2024-04", last_month=P(4))
    assert list(mv.index) == [P(3), P(4)] and mv["opening_mrr"].iloc[0] == pytest.approx(300)
    # Stripe: M1 churn rate 1 / (4 at start + 1 new) = 0.2
    assert ledger.movements(preset="stripe")["customer_churn_rate"].iloc[1] == pytest.approx(0.2)
    assert ledger.movements(churn_denominator="start_plus_new")[
        "customer_churn_rate"].iloc[1] == pytest.approx(0.2)
    # average denominator in M1: (4 + 4) / 2 = 4 -> 0.25
    assert ledger.movements(churn_denominator="average")[
        "customer_churn_rate"].iloc[1] == pytest.approx(0.25)
    for bad in ({"preset": "nope"}, {"churn_denominator": "median"}):
        with pytest.raises(csm.InvalidArgumentError):
            ledger.movements(**bad)
    with pytest.raises(csm.InvalidArgumentError) as ei:
        ledger.movements(tolerance=-1)
    assert ei.value.field == "opts.tolerance"
    # a row-built ledger has no day-level data for the daily convention
    with pytest.raises(csm.InvalidArgumentError) as ei:
        ledger.movements(churn_denominator="daily")
    assert ei.value.field == "opts.churn_denominator"
    with pytest.raises(csm.InvalidArgumentError):  # first > last
        ledger.movements(first_month=P(4), last_month=P(2))


def test_movements_tolerance():
    # 100 -> 100.4 (+0.4 within 0.5: adjustment) -> 99.9 (-0.5: adjustment)
    # -> 120 (+20.1: expansion)
    lg = csm.Ledger([1] * 4, [M0, M0 + 1, M0 + 2, M0 + 3], [100, 100.4, 99.9, 120])
    mv = lg.movements(tolerance=0.5)
    assert mv["adjustment"].iloc[1] == pytest.approx(0.4) and mv["expansion"].iloc[1] == 0
    assert mv["adjustment"].iloc[2] == pytest.approx(-0.5) and mv["contraction"].iloc[2] == 0
    assert mv["expansion"].iloc[3] == pytest.approx(20.1)
    np.testing.assert_allclose(mv["opening_mrr"] + mv["net_new"], mv["closing_mrr"])


def test_movements_by_segment(ledger):
    mv = ledger.movements(by_segment=True)
    assert mv.index.names == ["month", "segment"] and len(mv) == 12  # 6 months x 2
    # M0: segment 1 new A100 + B200 + E100 = 400; segment 2 new D 300
    assert mv.loc[(P(0), 1), "new"] == pytest.approx(400)
    assert mv.loc[(P(0), 2), "new"] == pytest.approx(300)
    # M3: E (100) moves from segment 1 to 2.  Segment 1: opening A150 + E100
    # = 250, out 100, closing 150.  Segment 2: opening C50, in 100, C churns
    # 50, F new 90: closing 100 + 90 = 190
    s1, s2 = mv.loc[(P(3), 1)], mv.loc[(P(3), 2)]
    assert s1["opening_mrr"] == pytest.approx(250) and s1["segment_out"] == pytest.approx(100)
    assert s1["closing_mrr"] == pytest.approx(150) and s1["expansion"] == 0
    assert s2["opening_mrr"] == pytest.approx(50) and s2["segment_in"] == pytest.approx(100)
    assert s2["churn"] == pytest.approx(50) and s2["new"] == pytest.approx(90)
    assert s2["closing_mrr"] == pytest.approx(190)
    np.testing.assert_allclose(mv["opening_mrr"] + mv["net_new"], mv["closing_mrr"])


# ---- retention --------------------------------------------------------------
def test_retention_fixture(ledger):
    rt = ledger.retention(window=3)
    # the index is the C table's key column "end_month" (t1), the name the
    # CLI and the Arrow export show too (it was "month" before the tables)
    assert list(rt.index) == [P(3), P(4), P(5)] and rt.index.name == "end_month"
    for col in ("base_customers", "base_mrr", "grr", "nrr", "logo_retention"):
        assert col in rt.columns
    assert list(rt["start_month"]) == [P(0), P(1), P(2)]
    # t1 M3, t0 M0: base A100 B200 D300 E100 = 700 (4); at M3 A150 E100:
    # GRR (100 + 100)/700, NRR (150 + 100)/700, logo 2/4
    r = rt.loc[P(3)]
    assert r["base_customers"] == 4 and r["base_mrr"] == pytest.approx(700)
    assert r["grr"] == pytest.approx(200 / 700) and r["nrr"] == pytest.approx(250 / 700)
    assert r["logo_retention"] == pytest.approx(0.5)
    # t1 M4, t0 M1: base A100 B200 C50 E100 = 450; at M4 A120 C80 E100:
    # GRR (100 + 50 + 100)/450, NRR 300/450, logo 3/4; C's return is 80
    r = rt.loc[P(4)]
    assert r["grr"] == pytest.approx(250 / 450) and r["nrr"] == pytest.approx(300 / 450)
    assert r["logo_retention"] == pytest.approx(0.75)
    assert r["reactivation_mrr"] == pytest.approx(80)
    # t1 M5, t0 M2: base A150 C50 E100 = 300; at M5 A120 C80 E100:
    # GRR (120 + 50 + 100)/300 = 0.9, NRR 300/300 = 1
    r = rt.loc[P(5)]
    assert r["grr"] == pytest.approx(0.9) and r["nrr"] == pytest.approx(1.0)
    assert r["logo_retention"] == pytest.approx(1.0)


def test_retention_modes_and_segments(ledger):
    # movement sum (ChartMogul), t1 M4: A 100 + 50 - 30 -> GRR part 70, NRR
    # part 120; B 0; C 50 churned, its 80 return excluded -> 0; E 100:
    # GRR 170/450, NRR 220/450
    rt = ledger.retention(window=3, nrr_mode="movement_sum")
    assert rt["grr"].iloc[1] == pytest.approx(170 / 450)
    assert rt["nrr"].iloc[1] == pytest.approx(220 / 450)
    assert ledger.retention(window=3, preset="chartmogul_b2b")["nrr"].iloc[1] == \
        pytest.approx(220 / 450)
    # Baremetrics' published NRR is a movement sum too (100% - (churned -
    # expansion) / starting MRR): the reactivation is excluded, 220/450
    assert ledger.retention(window=3, preset="baremetrics")["nrr"].iloc[1] == \
        pytest.approx(220 / 450)
    # by segment at t0, t1 M5 (t0 M2): segment 1 = A150 + E100 (E still in 1
    # at M2): GRR (120 + 100)/250 = 0.88; segment 2 = C50: NRR 80/50 = 1.6
    rt = ledger.retention(window=3, by_segment=True)
    assert rt.index.names == ["end_month", "segment"] and len(rt) == 6
    assert rt.loc[(P(5), 1), "grr"] == pytest.approx(0.88)
    assert rt.loc[(P(5), 1), "nrr"] == pytest.approx(0.88)
    assert rt.loc[(P(5), 2), "grr"] == pytest.approx(1.0)
    assert rt.loc[(P(5), 2), "nrr"] == pytest.approx(1.6)


def test_retention_edge(ledger):
    # the default 12-month window over 6 months of data: no full window
    assert len(ledger.retention()) == 0
    with pytest.raises(csm.InvalidArgumentError) as ei:
        ledger.retention(window=0)
    assert ei.value.field == "opts.window"
    # t1 = M0 with a 1-month window: t0 before any data, base 0 -> NaN
    rt = ledger.retention(window=1, first_month=P(0), last_month=P(0))
    assert len(rt) == 1 and math.isnan(rt["grr"].iloc[0]) and math.isnan(rt["nrr"].iloc[0])
    assert set(csm.flag_names(rt["flag_bits"].iloc[0])) >= {"empty", "zero_denominator"}
    with pytest.raises(csm.InvalidArgumentError):
        ledger.retention(window=3, nrr_mode="best")


# ---- cohorts ----------------------------------------------------------------
def test_cohorts_fixture(ledger):
    # cohorts M0 {A,B,D,E}, M1 {C}, M3 {F}; ages 0..5
    frac = ledger.cohorts()
    assert list(frac.index) == [P(0), P(1), P(3)] and frac.index.name == "cohort"
    assert list(frac.columns) == list(range(6)) and frac.columns.name == "age"
    # M0 cohort active by age: 4, 3 (A B E), 2 (A E), 2, 3 (A D E), 3
    cust0 = [4, 3, 2, 2, 3, 3]
    # its MRR: 700, 100+200+100 = 400, 150+100 = 250, 250, 120+300+100 = 520, 520
    mrr0 = [700, 400, 250, 250, 520, 520]
    np.testing.assert_allclose(ledger.cohorts(relative=False).iloc[0], cust0)
    np.testing.assert_allclose(frac.iloc[0], np.array(cust0) / 4)
    np.testing.assert_allclose(ledger.cohorts("mrr", relative=False).iloc[0], mrr0)
    np.testing.assert_allclose(ledger.cohorts("mrr").iloc[0], np.array(mrr0) / 700)
    # M1 cohort {C}: 1, 1, 0 (gone in M3), 1, 1, then M6 not yet observed
    c1 = ledger.cohorts(relative=False).loc[P(1)]
    np.testing.assert_allclose(c1[:5], [1, 1, 0, 1, 1])
    assert math.isnan(c1[5])
    assert ledger.cohorts("mrr").loc[P(1), 3] == pytest.approx(1.6)  # 80 / 50
    # M3 cohort {F}: 90 at ages 0..2; ages 3.. are past M5
    m3 = ledger.cohorts("mrr", relative=False).loc[P(3)]
    np.testing.assert_allclose(m3[:3], [90, 90, 90])
    assert m3[3:].isna().all()


def test_cohorts_options(ledger):
    # baseline 1: M0 cohort age 1 (3 customers) is 100%: age 0 = 4/3
    b1 = ledger.cohorts(baseline=1)
    assert b1.loc[P(0), 0] == pytest.approx(4 / 3) and b1.loc[P(0), 1] == pytest.approx(1)
    assert ledger.cohorts(max_age=2).shape == (3, 3)  # ages 0..2
    # by segment (the customer's segment in its first month): M0 cohort =
    # segment 1 {A, B, E} and segment 2 {D}
    bs = ledger.cohorts(relative=False, by_segment=True)
    assert bs.index.names == ["cohort", "segment"]
    assert bs.loc[(P(0), 1), 0] == 3 and bs.loc[(P(0), 2), 0] == 1
    # cohort keys: D signed in M-1 (2023-12): cohort 2023-12 {D} with 0
    # customers active at age 0 (a zero baseline -> NaN) and 1 at age 1
    for keys in (pd.Series({4: "2023-12"}), {4: pd.Period("2023-12", freq="M")},
                 ([4], [M0 - 1])):
        k = ledger.cohorts(relative=False, cohort_keys=keys)
        assert k.index[0] == pd.Period("2023-12", freq="M")
        assert k.iloc[0, 0] == 0 and k.iloc[0, 1] == 1
        assert math.isnan(ledger.cohorts(cohort_keys=keys).iloc[0, 1])
    with pytest.raises(csm.DuplicateError) as ei:  # two keys for one customer
        ledger.cohorts(cohort_keys=([4, 4], [M0, M0]))
    assert ei.value.row == 1
    with pytest.raises(csm.InvalidArgumentError):
        ledger.cohorts(baseline=2)
    with pytest.raises(csm.InvalidArgumentError):
        ledger.cohorts(values="revenue")
    with pytest.raises(csm.InvalidArgumentError):
        ledger.cohorts(cohort_keys=([4, 5], [M0]))


# ---- contracts --------------------------------------------------------------
#   id  terms                                         MRR
#   10  1,200 / 12 months, 2024-01-01..2024-12-31      100 in Jan..Dec
#   11  50 / month, 2024-01-15..2024-03-14             50 Jan, Feb (gone by Mar 31)
#   12  100 / week, 2024-01-01..2024-01-31             100 x 52/12 = 433.33
#   13  300 / 3 months, tax 30, discount 30, 2024-02-01..2024-04-30
#                                                      (300-30-30)/3 = 80
#   14  40 / month, 2024-03-05..2024-03-20             intra-period in March
#   15  one-time 500                                   not MRR
# Snapshot totals: Jan 100+50+433.33 = 583.33; Feb 100+50+80 = 230;
# Mar 100+80 = 180; Apr 180; May..Dec 100.
CONTRACTS = pd.DataFrame({
    "customer_id": [10, 11, 12, 13, 14, 15],
    "start": pd.to_datetime(["2024-01-01", "2024-01-15", "2024-01-01", "2024-02-01",
                             "2024-03-05", "2024-01-01"]),
    "end": pd.to_datetime(["2024-12-31", "2024-03-14", "2024-01-31", "2024-04-30",
                           "2024-03-20", "2024-01-01"]),
    "amount": [1200.0, 50, 100, 300, 40, 500],
    "count": [12, 1, 1, 3, 1, 1],
    "unit": ["month", "month", "week", "month", "month", "month"],
    "discount": [0.0, 0, 0, 30, 0, 0],
    "tax": [0.0, 0, 0, 30, 0, 0],
    "kind": ["recurring"] * 5 + ["one_time"],
})


def contracts_ledger(**kw):
    c = CONTRACTS
    return csm.Ledger.from_contracts(c["customer_id"], c["start"], c["end"], c["amount"],
                                     c["count"], c["unit"], discount=c["discount"],
                                     tax=c["tax"], kind=c["kind"], **kw)


def test_contracts_snapshot():
    lg = contracts_ledger()
    assert lg.mrr(P(0)) == pytest.approx(100 + 50 + 5200 / 12)
    assert lg.mrr(P(1)) == pytest.approx(230)
    assert lg.mrr(P(2)) == pytest.approx(180)
    assert lg.mrr(P(11)) == pytest.approx(100) and lg.mrr(P(12)) == 0
    assert lg.last_month == P(11)
    mv = lg.movements()
    # Feb: the weekly plan (433.33) churns, 13 starts at 80
    assert mv["churn"].iloc[1] == pytest.approx(5200 / 12)
    assert mv["new"].iloc[1] == pytest.approx(80)
    # March: opening 230 (10, 11, 13), 11 churns; 14 is intra-period:
    # default churn rate 1/3; Stripe counts 14 as new and churned: 2/(3+1)
    assert mv["intra_period_customers"].iloc[2] == 1
    assert mv["customer_churn_rate"].iloc[2] == pytest.approx(1 / 3)
    st = lg.movements(preset="stripe")
    assert st["churned_customers"].iloc[2] == 2
    assert st["customer_churn_rate"].iloc[2] == pytest.approx(0.5)


def test_contracts_options():
    # tax included: 13 is (300 - 30)/3 = 90, so April = 100 + 90 = 190
    assert contracts_ledger(include_tax=True).mrr(P(3)) == pytest.approx(190)
    # discounts ignored: (300 - 30 tax)/3 = 90 -> 190
    assert contracts_ledger(discount_mode="ignore").mrr(P(3)) == pytest.approx(190)
    # only recurring discounts, 13's marked one-off: 90 -> 190
    c = CONTRACTS
    lg = csm.Ledger.from_contracts(c["customer_id"], c["start"], c["end"], c["amount"],
                                   c["count"], c["unit"], c["discount"], [1, 1, 1, 0, 1, 1],
                                   c["tax"], c["kind"], discount_mode="recurring")
    assert lg.mrr(P(3)) == pytest.approx(190)
    # daily proration: 11 is 50 x 17/31 in Jan (15th..31st)
    assert contracts_ledger(proration="daily").mrr(P(0)) == \
        pytest.approx(100 + 50 * 17 / 31 + 5200 / 12)


def test_contracts_scalars_days_and_daily_churn():
    # annual 1,200 from 2024-01-01 to 2024-12-31 (year unit, count 1): 100/month
    lg = csm.Ledger.from_contracts([1], [csm.day(2024, 1, 1)], [csm.day(2024, 12, 31)],
                                   [1200.0], 1, "year")
    assert lg.mrr(P(0)) == pytest.approx(100) and lg.mrr(P(11)) == pytest.approx(100)
    # February 2024 (29 days), monthly contracts of 100:
    #   X Jan 1..Feb 10, Y Jan 1..Dec 31, Z Jan 15..Feb 20 + Feb 21..Mar 31,
    #   W Feb 5..15.  Daily convention: X ends Feb 10 -> 1 of 4 active;
    #   W ends Feb 15 -> 1 of 3: 1/4 + 1/3.  Start of month: 1 of 3.
    lg = csm.Ledger.from_contracts(
        [1, 2, 3, 3, 4],
        ["2024-01-01", "2024-01-01", "2024-01-15", "2024-02-21", "2024-02-05"],
        ["2024-02-10", "2024-12-31", "2024-02-20", "2024-03-31", "2024-02-15"],
        [100.0] * 5)
    feb = dict(first_month="2024-02", last_month="2024-02")
    assert lg.movements(**feb)["customer_churn_rate"].iloc[0] == pytest.approx(1 / 3)
    assert lg.movements(churn_denominator="daily", **feb)["customer_churn_rate"].iloc[0] == \
        pytest.approx(0.25 + 1 / 3)


def test_contracts_errors():
    c = CONTRACTS
    args = [c["customer_id"], c["start"], c["end"], c["amount"], c["count"], c["unit"]]
    bad = list(args)
    bad[2] = c["end"].where(c.index != 2, pd.Timestamp("2023-12-31"))  # before its start
    with pytest.raises(csm.DomainError) as ei:
        csm.Ledger.from_contracts(*bad)
    assert (ei.value.row, ei.value.field) == (2, "end_day")
    bad = list(args)
    bad[4] = [12, 1, 0, 3, 1, 1]
    with pytest.raises(csm.DomainError) as ei:
        csm.Ledger.from_contracts(*bad)
    assert ei.value.field == "interval_count"
    bad = list(args)
    bad[3] = [1200, 50, 100, -300, 40, 500]
    with pytest.raises(csm.DomainError) as ei:
        csm.Ledger.from_contracts(*bad)
    assert ei.value.row == 3 and ei.value.field == "amount"
    bad = list(args)
    bad[5] = ["month", "month", "fortnight", "month", "month", "month"]
    with pytest.raises(csm.InvalidArgumentError) as ei:
        csm.Ledger.from_contracts(*bad)
    assert (ei.value.row, ei.value.field) == (2, "interval_unit")
    with pytest.raises(csm.InvalidArgumentError) as ei:  # unit code 9 unknown
        csm.Ledger.from_contracts(*args[:5], [0, 0, 9, 0, 0, 0])
    with pytest.raises(csm.InvalidArgumentError) as ei:
        csm.Ledger.from_contracts(*args[:3], c["amount"][:4], 1)
    assert ei.value.field == "amount"
    with pytest.raises(csm.InvalidArgumentError):
        csm.Ledger.from_contracts(*args, proration="weekly")
    with pytest.raises(csm.DomainError):
        csm.Ledger.from_contracts(*args[:1], ["2024-01-01", None, "2024-01-01", "2024-02-01",
                                              "2024-03-05", "2024-01-01"], *args[2:])


def test_ledger_shared_across_threads(ledger):
    # the GIL is released while C computes; a ledger is immutable
    from concurrent.futures import ThreadPoolExecutor
    with ThreadPoolExecutor(4) as ex:
        frames = list(ex.map(lambda _: ledger.movements(), range(8)))
    for f in frames:
        pd.testing.assert_frame_equal(f, frames[0])


def test_ledger_month_by_hand():
    # customer 5 has two rows in 2024-01 (10 in segment 2, 4 in segment 3): one customer of MRR
    # 14 in segment 2 (the smallest); customer 3's MRR-0 row counts only with free_is_active;
    # customer 9 is a customer of 2024-02 only; 2024-06 has nobody
    args = ([5, 3, 5, 9], ["2024-01", "2024-01", "2024-01", "2024-02"], [10, 0, 4, 7])
    m = csm.Ledger(*args, segment=[2, 1, 3, 2]).month("2024-01")
    assert list(m.index) == [5] and list(m["segment"]) == [2] and list(m["mrr"]) == [14.0]
    m = csm.Ledger(*args, segment=[2, 1, 3, 2], free_is_active=True).month("2024-01")
    assert list(m.index) == [3, 5] and list(m["mrr"]) == [0.0, 14.0]
    lg = csm.Ledger(*args)
    assert list(lg.month("2024-02").index) == [9]
    assert len(lg.month("2024-06")) == 0
    t = lg.month("2024-01", as_table=True)
    assert t.name == "ledger_month"


def test_unknown_option_name_lists_the_choices(ledger):
    # the names in CSM_DENOM_* value order (movements.h)
    with pytest.raises(csm.InvalidArgumentError) as ei:
        ledger.movements(churn_denominator="median")
    assert str(ei.value).endswith(
        "field 'churn_denominator': unknown value 'median'; expected one of "
        "'start', 'start_plus_new', 'average', 'daily'")


# ---- drill-down: which customers moved --------------------------------------
def test_movement_events_by_hand(ledger):
    # the fixture's events (tests/test-ledger.c, fx_events): M1 new C 50
    # (segment 2) and churn D 300; M2 expansion A 50 (100 -> 150) and churn
    # B 200
    ev = ledger.movement_events("2024-02", "2024-03")
    assert list(ev.index.names) == ["month", "customer_id", "kind"]
    assert list(ev.index) == [(P(1), 3, "new"), (P(1), 4, "churn"),
                              (P(2), 1, "expansion"), (P(2), 2, "churn")]
    assert list(ev["amount"]) == pytest.approx([50, 300, 50, 200], abs=TOL)
    assert list(ev["mrr_before"]) == pytest.approx([0, 300, 100, 200], abs=TOL)
    assert list(ev["mrr_after"]) == pytest.approx([50, 0, 150, 0], abs=TOL)
    assert list(ev["segment"]) == [2, 2, 1, 1]
    assert list(ev["kind_code"]) == [1, 5, 3, 5]
    # by segment, M3: E moves from segment 1 to 2 with 100
    ev = ledger.movement_events(P(3), P(3), by_segment=True)
    sw = ev.xs(5, level="customer_id")
    assert list(sw.index.get_level_values("kind")) == ["segment_in", "segment_out"]
    assert list(sw["segment"]) == [2, 1]
    # reactivation window 2: D (away 3 months) is new again in M4
    ev = ledger.movement_events(P(4), P(4), reactivation_window=2)
    assert ev.loc[(P(4), 4, "new"), "amount"] == pytest.approx(300, abs=TOL)
    t = ledger.movement_events(as_table=True)
    assert t.name == "movement_events" and len(t) == 13  # fx_events


def test_movement_events_sum_to_movements(ledger):
    # every line of movements(), month by month (and segment by segment),
    # is the sum of its events: pandas' sum of the same rows, to 1e-9
    for by in (False, True):
        mv = ledger.movements(by_segment=by)
        ev = ledger.movement_events(by_segment=by).reset_index()
        keys = ["month", "segment"] if by else ["month"]
        sums = ev.pivot_table(index=keys, columns="kind", values="amount",
                              aggfunc="sum", fill_value=0.0)
        counts = ev.pivot_table(index=keys, columns="kind", values="amount",
                                aggfunc="count", fill_value=0)
        sums = sums.reindex(mv.index, fill_value=0.0)
        counts = counts.reindex(mv.index, fill_value=0)
        for kind in ("new", "reactivation", "expansion", "contraction", "churn"):
            assert np.allclose(sums.get(kind, 0.0), mv[kind], atol=TOL), kind
        assert (counts["new"] == mv["new_customers"]).all()
        assert (counts["churn"] == mv["churned_customers"]).all()
        if by:  # E's switch in M3
            assert np.allclose(sums["segment_in"], mv["segment_in"], atol=TOL)
            assert np.allclose(sums["segment_out"], mv["segment_out"], atol=TOL)


def test_retention_customers_by_hand(ledger):
    # window 3 ending in M4 (t0 M1): A 100 -> 120, B 200 -> churned, C 50
    # -> 80 (a reactivation), E 100 -> 100 (tests/test-ledger.c fx_window)
    rc = ledger.retention_customers(3, first_month=P(4), last_month=P(4))
    assert list(rc.index.names) == ["end_month", "customer_id"]
    assert list(rc.index.get_level_values("customer_id")) == [1, 2, 3, 5]
    assert list(rc["outcome"]) == ["expanded", "churned", "expanded", "flat"]
    assert list(rc["base_mrr"]) == pytest.approx([100, 200, 50, 100], abs=TOL)
    assert list(rc["end_mrr"]) == pytest.approx([120, 0, 80, 100], abs=TOL)
    assert list(rc["retained"]) == [True, False, True, True]
    assert rc["retained"].dtype == bool
    assert list(rc["reactivation_mrr"]) == pytest.approx([0, 0, 80, 0], abs=TOL)
    # the window's GRR and NRR (test_retention_fixture: 250/450, 300/450)
    r = ledger.retention(3).loc[P(4)]
    assert rc["retained_mrr"].sum() / rc["base_mrr"].sum() == pytest.approx(r["grr"])
    assert rc["net_retained_mrr"].sum() / rc["base_mrr"].sum() == pytest.approx(r["nrr"])
    assert rc["retained_mrr"].sum() == pytest.approx(250, abs=TOL)
    assert rc["net_retained_mrr"].sum() == pytest.approx(300, abs=TOL)
    # movement sum: A 100 - 30 = 70, net 120; C 0 and 80 - 80 = 0
    ms = ledger.retention_customers(3, nrr_mode="movement_sum", first_month=P(4),
                                    last_month=P(4))
    assert list(ms["retained_mrr"]) == pytest.approx([70, 0, 0, 100], abs=TOL)
    assert list(ms["net_retained_mrr"]) == pytest.approx([120, 0, 0, 100], abs=TOL)
    # every window: rows per end month are base_customers
    full = ledger.retention_customers(3)
    per_month = full.groupby(level="end_month").size()
    assert list(per_month) == [4, 4, 3]
    assert ledger.retention_customers(3, as_table=True).name == "retention_customers"
    with pytest.raises(csm.InvalidArgumentError):
        ledger.retention_customers(0)


def test_drill_down_shows_string_ids():
    # string customers and segments (tests/python/test_ids.py's rows): cus_b 100 -> 120 (SMB),
    # cus_a 50 -> 50 (Mid-Market), cus_c new with 30 in 2024-02 (Mid-Market)
    rows = pd.DataFrame({
        "customer_id": ["cus_b", "cus_a", "cus_b", "cus_c", "cus_a"],
        "month": ["2024-01", "2024-01", "2024-02", "2024-02", "2024-02"],
        "mrr": [100.0, 50.0, 120.0, 30.0, 50.0],
        "segment": ["SMB", "Mid-Market", "SMB", "Mid-Market", "Mid-Market"]})
    lg = csm.Ledger.from_frame(rows, segment="segment")
    ev = lg.movement_events("2024-02", "2024-02")
    p2 = pd.Period("2024-02", "M")
    assert list(ev.index) == [(p2, "cus_b", "expansion"), (p2, "cus_c", "new")]
    assert list(ev["segment"]) == ["SMB", "Mid-Market"]
    assert list(ev["amount"]) == pytest.approx([20, 30], abs=TOL)
    rc = lg.retention_customers(1)
    assert list(rc.index) == [(p2, "cus_a"), (p2, "cus_b")]
    assert list(rc["outcome"]) == ["flat", "expanded"]
    assert list(rc["segment"]) == ["Mid-Market", "SMB"]
