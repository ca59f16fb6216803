"""Python bindings of the renewals family (csmetrics/renewals.h).  Expected
values: the hand-worked fixture of tests/test-renewals.c, and days to the
contract ends worked by hand in the comments."""
from datetime import date

import numpy as np
import pandas as pd
import pytest

import csmetrics as csm


def _d(y, m, dd):
    return date(y, m, dd)


# tests/test-renewals.c's fixture: contract spans, customers, segments, values
SPANS = [((2023, 3, 1), (2024, 2, 29)), ((2024, 3, 1), (2025, 2, 28)),
         ((2023, 6, 1), (2024, 5, 31)), ((2024, 7, 15), (2025, 7, 14)),
         ((2023, 1, 1), (2023, 12, 31)), ((2024, 1, 1), (2024, 12, 31)),
         ((2023, 9, 1), (2024, 8, 31)), ((2025, 1, 15), (2026, 1, 14)),
         ((2023, 7, 1), (2024, 6, 30)), ((2023, 7, 1), (2024, 6, 30)),
         ((2024, 7, 1), (2025, 6, 30)), ((2024, 1, 1), (2024, 12, 31)),
         ((2024, 6, 1), (2024, 12, 31)), ((2025, 1, 1), (2025, 12, 31))]
CUST = [1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 5, 6, 6, 6]
SEG = [1, 1, 1, 1, 2, 2, 2, 2, 1, 1, 1, 2, 2, 2]
VAL = [1200, 1500, 1000, 1000, 500, 600, 800, 800, 100, 200, 330, 1000, 70, 1200]


def fixture():
    """(cust, seg, val, start, end) of the fixture, the days as text."""
    return (CUST, SEG, VAL, [str(_d(*a)) for a, _ in SPANS],
            [str(_d(*b)) for _, b in SPANS])


def test_renewals_fixture():
    # tests/test-renewals.c: window 2024, grace 90
    cust, seg, val, start, end = fixture()
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
    # as_of 2024-12-31: customer 3's contract (row 5) ends 2024-12-31 with nothing
    # after it, and a renewal starting by 2025-04-01 (90 days after 2025-01-01) would
    # still be on time: pending, not churned (the rates, renewed so far, stay 5/7 and
    # 0.8247022645; tests/test-renewals.c); from 2025-04-01 on it is churned.
    r, out = csm.renewals(cust, start, end, val, "2024-01-01", "2024-12-31",
                          as_of="2024-12-31", return_outcomes=True)
    row = r.loc["all"]
    assert (row["due"], row["churned"], row["pending"]) == (7, 0, 1)
    assert row["pending_value"] == pytest.approx(600)
    assert row["logo_renewal_rate"] == pytest.approx(5 / 7)
    assert out.loc[5, "outcome"] == "pending"
    r = csm.renewals(cust, start, end, val, "2024-01-01", "2024-12-31",
                     as_of=_d(2025, 4, 1))
    assert (r.loc["all", "churned"], r.loc["all", "pending"]) == (1, 0)


def test_renewals_missing_group_labels():
    # the fixture of test_renewals_fixture with an owner "Ann" on the segment-1
    # contracts and none (None, NaN, "") on the segment-2 ones: grouped by owner,
    # "Ann" is segment 1's row and "unassigned" segment 2's (the same contracts),
    # shown after the labels; without grouping the owner is not read
    cust, seg, val, start, end = fixture()
    none = [None, float("nan"), ""]
    owner = ["Ann" if g == 1 else none[i % 3] for i, g in enumerate(seg)]
    w = ("2024-01-01", "2024-12-31")
    by_seg = csm.renewals(cust, start, end, val, *w, segment=seg, group_by="segment")
    by_owner = csm.renewals(cust, start, end, val, *w, owner=owner, group_by="owner")
    assert list(by_owner.index) == ["Ann", "unassigned"]
    np.testing.assert_array_equal(by_owner.to_numpy(), by_seg.to_numpy())
    _, per = csm.renewals(cust, start, end, val, *w, owner=owner, group_by="owner",
                          contracts=True)
    assert list(per["group"]) == ["Ann" if seg[i] == 1 else "unassigned" for i in per.index]
    pd.testing.assert_frame_equal(csm.renewals(cust, start, end, val, *w, owner=owner),
                                  csm.renewals(cust, start, end, val, *w))
    # numbers with missing cells: the segment codes as given, the missing ones
    # "(unknown)" (segment 2's row again)
    segnan = [1.0 if g == 1 else np.nan for g in seg]
    by = csm.renewals(cust, start, end, val, *w, segment=segnan, group_by="segment")
    assert list(by.index) == [1, "(unknown)"]
    np.testing.assert_array_equal(by.to_numpy(), by_seg.to_numpy())
    # a contract still needs its customer
    with pytest.raises(csm.DomainError) as e:
        csm.renewals(["a", None], start[:2], end[:2], val[:2], *w)
    assert (e.value.row, e.value.field) == (1, "customer_id")


def test_renewals_days_to_end():
    # Days from 2024-03-31 to each account's nearest contract end on or after it
    # (worked by hand; ends are inclusive last days of service):
    #   customer 1: ends 2024-03-31 (on the day: 0) and 2024-05-10 (30 + 10 = 40) -> 0
    #   customer 2: ends 2024-03-30 (the day before: not counted) and 2024-06-09
    #               (April 30 + May 31 + 9 = 70) -> 70
    #   customer 7: 2024-04-01..2025-03-31, not started yet: 365 (2024-04..2025-03, a
    #               year without a 29 February) -> 365
    #   customer 3: no contract -> NaN
    cust = [1, 1, 2, 2, 7]
    start = ["2023-04-01", "2023-05-11", "2023-03-31", "2023-06-10", "2024-04-01"]
    end = ["2024-03-31", "2024-05-10", "2024-03-30", "2024-06-09", "2025-03-31"]
    value = [1200, 100, 3000, 500, 0]
    accounts = [2, 1, 3, 7, 2]
    got = csm.renewals_days_to_end(accounts, cust, start, end, value, "2024-03-31")
    assert got.dtype == np.float64 and len(got) == 5
    np.testing.assert_array_equal(got, [70, 0, np.nan, 365, 70])
    # the day as a date or as a day index since 1970-01-01 gives the same
    day = (date(2024, 3, 31) - date(1970, 1, 1)).days
    for d in (date(2024, 3, 31), day):
        np.testing.assert_array_equal(
            csm.renewals_days_to_end(accounts, cust, start, end, value, d), got)
    # a day later, customer 1's contract ending 2024-03-31 has ended: 40 - 1 = 39
    assert csm.renewals_days_to_end([1], cust, start, end, value, day + 1)[0] == 39
    assert len(csm.renewals_days_to_end([], cust, start, end, value, day)) == 0


def test_renewals_days_to_end_errors():
    # the contracts are checked as renewals() checks them, fields named as it names them
    with pytest.raises(csm.DomainError) as e:
        csm.renewals_days_to_end([1], [1, 1], ["2024-01-01", "2024-02-01"],
                                 ["2024-12-31", "2025-01-31"], [5, float("nan")], "2024-06-30")
    assert (e.value.field, e.value.row) == ("value", 1)
    with pytest.raises(csm.DomainError) as e:
        csm.renewals_days_to_end([1], [1], ["2024-02-01"], ["2024-01-01"], [5], "2024-06-30")
    assert e.value.field == "end_day"
