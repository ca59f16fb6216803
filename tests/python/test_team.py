"""Python bindings of the team family (csmetrics/team.h) and the ledger's
lifetimes.  Expected values: the hand-worked fixture of tests/test-team.c."""
import numpy as np
import pytest

import csmetrics as csm


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
