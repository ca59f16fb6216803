"""Python bindings of the renewals family (csmetrics/renewals.h).  Expected
values: the hand-worked fixture of tests/test-renewals.c."""
from datetime import date

import pytest

import csmetrics as csm


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
