"""csm.Ledger.from_subscriptions: a subscription export as a DataFrame, by
hand (the figures of tests/test-subscriptions.c, worked out in the comments
here), and the demo company's export against its mrr.csv."""
import os

import numpy as np
import pandas as pd
import pytest

import csmetrics as csm

TOL = 1e-9
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

# s1 cust 1: 1000/year x 3 seats, 20% off, from 2024-01-15, active: (3000 - 600)/12 = 200
# s2 cust 2: 50/month, trial to 2024-02-20 (Jan in trial): 50 from Feb
# s3 cust 3: 80/month from 2024-01-01, canceled 2024-03-15: Jan, Feb 80; not at Mar's end
# s4 cust 4: 100 EUR/month from 2024-01-05, rates 1.10, 1.20, 1.25, 1.00 in Jan..Apr
# until 2024-04: Jan 200 + 80 + 110 = 390; Feb 200 + 50 + 80 + 120 = 450;
#                Mar 200 + 50 + 125 = 375; Apr 200 + 50 + 100 = 350
WANT = {"2024-01": 390, "2024-02": 450, "2024-03": 375, "2024-04": 350}


def export():
    return pd.DataFrame({
        "subscription_id": ["s1", "s2", "s3", "s4"],
        "customer_id": [1, 2, 3, 4],
        "status": ["active", "trialing", "canceled", "Active"],
        "amount": [1000.0, 50, 80, 100],
        "currency": ["USD", "usd", "USD", "EUR"],
        "interval": ["year", "month", "month", "month"],
        "interval_count": [1, 1, None, 1],
        "quantity": [3, 1, None, 1],
        "discount_percent": [20, None, None, None],
        "discount_amount": [None, None, None, None],
        "trial_end": [None, "2024-02-20", None, None],
        "start_date": ["2024-01-15", "2024-01-10", "2024-01-01", "2024-01-05T09:30:00Z"],
        "canceled_at": [None, None, "2024-03-15", ""],
        "ended_at": [None, None, None, None],
    })


def rates():
    return pd.DataFrame({"month": ["2024-01", "2024-02", "2024-03", "2024-04"],
                         "currency": ["EUR"] * 4, "rate": [1.10, 1.20, 1.25, 1.00]})


def test_by_hand():
    led = csm.Ledger.from_subscriptions(export(), rates=rates(), reporting_currency="USD",
                                        until="2024-04")
    for m, v in WANT.items():
        assert led.mrr(m) == pytest.approx(v, abs=TOL)
    assert led.last_month == pd.Period("2024-04", freq="M")
    feb = led.month("2024-02")["mrr"]
    assert feb[1] == pytest.approx(200) and feb[2] == pytest.approx(50)
    assert feb[4] == pytest.approx(120)  # 100 EUR x 1.20
    jan = led.month("2024-01")
    assert 2 not in set(jan.index)  # in its trial


def test_options_and_datetimes():
    df = export()
    for c in ("trial_end", "start_date", "canceled_at", "ended_at"):
        df[c] = pd.to_datetime(df[c].replace("", None).str.slice(0, 10))
    # trials included: customer 2 pays in Jan too, 390 + 50
    led = csm.Ledger.from_subscriptions(df, rates=rates(), reporting_currency="USD",
                                        until="2024-04", include_trials=True)
    assert led.mrr("2024-01") == pytest.approx(440, abs=TOL)
    # discounts not applied: customer 1 is 3000 / 12 = 250: Jan 390 + 50
    led = csm.Ledger.from_subscriptions(df, rates=rates(), reporting_currency="USD",
                                        until="2024-04", apply_discounts=False)
    assert led.mrr("2024-01") == pytest.approx(440, abs=TOL)
    # until by default: the latest date, 2024-03-15: open rows end with March
    led = csm.Ledger.from_subscriptions(df, rates=rates(), reporting_currency="USD")
    assert led.last_month == pd.Period("2024-03", freq="M")
    # daily proration: customer 3 in service 2024-03-01..14: 80 x 14/31
    led = csm.Ledger.from_subscriptions(df, rates=rates(), reporting_currency="USD",
                                        until="2024-04", proration="daily")
    mar = led.month("2024-03")["mrr"]
    assert mar[3] == pytest.approx(80 * 14 / 31, abs=TOL)


def test_mapping():
    df = export().rename(columns={"customer_id": "Customer", "start_date": "Created"})
    df["currency"] = "USD"
    led = csm.Ledger.from_subscriptions(df, {"customer_id": "Customer", "start_date": "Created"},
                                        until="2024-01")
    # Jan: 200 + 80 + 100 (no conversion, one currency)
    assert led.mrr("2024-01") == pytest.approx(380, abs=TOL)
    with pytest.raises(csm.InvalidArgumentError, match="'customer_id'"):
        csm.Ledger.from_subscriptions(df)
    with pytest.raises(csm.InvalidArgumentError, match="custmer"):
        csm.Ledger.from_subscriptions(df, {"custmer": "Customer"})


def test_string_customer_ids():
    # string ids through the key dictionary: dense ids = ranks of the labels
    # in byte order ("cus_A" 0, "cus_B" 1, "cus_C" 2, "cus_D" 3), labels back
    df = export()
    df["customer_id"] = ["cus_C", "cus_A", "cus_D", "cus_B"]
    led = csm.Ledger.from_subscriptions(df, rates=rates(), reporting_currency="USD",
                                        until="2024-04")
    feb = led.month("2024-02")["mrr"]
    # the by-hand figures under the users' ids: cus_C had s1 (200), cus_A s2
    # (50), cus_D s3 (80), cus_B s4 (120); rows in id order = label order
    assert dict(feb) == pytest.approx({"cus_C": 200, "cus_A": 50, "cus_D": 80, "cus_B": 120})
    assert list(feb.index) == ["cus_A", "cus_B", "cus_C", "cus_D"]
    assert led.mrr("2024-02") == pytest.approx(450, abs=TOL)
    # integer ids stay numbers
    ints = csm.Ledger.from_subscriptions(export(), rates=rates(), reporting_currency="USD",
                                         until="2024-04").month("2024-02")["mrr"]
    assert list(ints.index) == [1, 2, 3, 4]
    df.loc[1, "customer_id"] = None
    with pytest.raises(csm.DomainError) as e:
        csm.Ledger.from_subscriptions(df, rates=rates(), reporting_currency="USD")
    assert (e.value.row, e.value.field) == (1, "customer_id")


def test_kind_and_tax():
    # kind and tax are read: customer 1 pays 120 a month of which 20 is tax (MRR 100)
    # and a one-time fee of 500 with no interval (no MRR); customer 2 pays 60 a month
    # and 30 of metered usage (no MRR): MRR 160, of which 100 is customer 1's
    df = pd.DataFrame({"customer_id": [1, 1, 2, 2],
                       "kind": ["recurring", "one_time", "Metered", None],
                       "amount": [120, 500, 30, 60],
                       "interval": ["month", None, "month", "month"],
                       "tax": [20, None, None, None],
                       "start_date": ["2024-01-01"] * 4})
    led = csm.Ledger.from_subscriptions(df, until="2024-02")
    assert led.mrr("2024-02") == pytest.approx(160, abs=TOL)
    assert dict(led.month("2024-02")["mrr"]) == pytest.approx({1: 100, 2: 60})
    # tax included: customer 1 is 120: 180
    assert csm.Ledger.from_subscriptions(df, until="2024-02", include_tax=True) \
        .mrr("2024-02") == pytest.approx(180, abs=TOL)
    df.loc[1, "kind"] = "setup"
    with pytest.raises(csm.DomainError, match="one_time") as e:
        csm.Ledger.from_subscriptions(df, until="2024-02")
    assert (e.value.row, e.value.field) == (1, "kind")
    assert {"kind", "tax"} <= set(csm.subscriptions.SUBSCRIPTION_COLUMNS)


def test_errors():
    # a missing rate names the currency, the month and the row
    with pytest.raises(csm.DomainError, match="EUR in 2024-05") as e:
        csm.Ledger.from_subscriptions(export(), rates=rates(), reporting_currency="USD",
                                      until="2024-05")
    assert e.value.row == 3 and e.value.field == "currency"
    # two currencies and no rates
    with pytest.raises(csm.DomainError, match="no rate table") as e:
        csm.Ledger.from_subscriptions(export())
    assert e.value.row == 3
    # bad names and values: the row and the field
    cases = [("status", "gone", csm.DomainError, "status"),
             ("interval", "quarter", csm.DomainError, "interval_unit"),
             ("currency", "EURO", csm.DomainError, "currency"),
             ("discount_percent", 120, csm.DomainError, "discount_percent"),
             ("amount", -1, csm.DomainError, "amount"),
             ("start_date", "2024-02-30", csm.InputTypeError, "start_day"),
             ("start_date", None, csm.DomainError, "start_day"),
             ("canceled_at", None, csm.DomainError, "ended_at")]  # canceled without a date
    for column, value, exc, field in cases:
        df = export()
        df[column] = df[column].astype(object)
        df.loc[2, column] = value
        with pytest.raises(exc) as e:
            csm.Ledger.from_subscriptions(df, rates=rates(), reporting_currency="USD",
                                          until="2024-04")
        assert (e.value.row, e.value.field) == (2, field), (column, str(e.value))


def test_demo_export_reproduces_mrr():
    demo = os.path.join(ROOT, "examples", "data", "demo")
    subs = pd.read_csv(os.path.join(demo, "subscriptions.csv"), dtype={"trial_end": str})
    mrr = pd.read_csv(os.path.join(demo, "mrr.csv"))
    led = csm.Ledger.from_subscriptions(subs)
    ref = csm.Ledger.from_frame(mrr)
    assert (led.first_month, led.last_month) == (ref.first_month, ref.last_month)
    assert led.entry_count == ref.entry_count == len(mrr)
    for m in pd.period_range(ref.first_month, ref.last_month, freq="M"):
        a = led.month(m)["mrr"]
        b = ref.month(m)["mrr"]
        assert a.index.equals(b.index)
        np.testing.assert_allclose(a.to_numpy(), b.to_numpy(), rtol=1e-12)
        assert round(led.mrr(m), 2) == round(ref.mrr(m), 2)
