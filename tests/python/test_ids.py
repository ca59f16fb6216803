"""Ids as users have them (issue 13): customer, segment and owner columns of strings, UUIDs or
any hashable go through the library's key dictionary, and every DataFrame keyed by them shows
the user's own values ("all" / "unassigned" for the rows without one); integer ids work as
before.  Expected figures by hand in the comments."""
import uuid

import numpy as np
import pandas as pd
import pytest

import csmetrics as csm

# cus_a: 50 in 2024-01 and 2024-02 (Mid-Market); cus_b: 100 then 120 (SMB); cus_c: new with 30
# in 2024-02 (Mid-Market)
ROWS = pd.DataFrame({
    "customer_id": ["cus_b", "cus_a", "cus_b", "cus_c", "cus_a"],
    "month": ["2024-01", "2024-01", "2024-02", "2024-02", "2024-02"],
    "mrr": [100.0, 50.0, 120.0, 30.0, 50.0],
    "segment": ["SMB", "Mid-Market", "SMB", "Mid-Market", "Mid-Market"]})


def ledger(rows=ROWS):
    return csm.Ledger.from_frame(rows, segment="segment")


def test_string_customers_and_segments_are_shown_as_given():
    lg = ledger()
    m = lg.month("2024-02")
    assert list(m.index) == ["cus_a", "cus_b", "cus_c"] and m.index.name == "customer_id"
    assert list(m["segment"]) == ["Mid-Market", "SMB", "Mid-Market"]
    assert list(m["mrr"]) == [50, 120, 30]
    mv = lg.movements(by_segment=True)
    # 2024-01: Mid-Market new 50 (cus_a), SMB new 100 (cus_b); 2024-02: Mid-Market new 30
    # (cus_c), closing 50 + 30 = 80; SMB expansion 120 - 100 = 20, closing 120
    p1, p2 = pd.Period("2024-01", "M"), pd.Period("2024-02", "M")
    assert list(mv.index) == [(p1, "Mid-Market"), (p1, "SMB"), (p2, "Mid-Market"), (p2, "SMB")]
    assert list(mv["new"]) == [50, 100, 30, 0] and list(mv["expansion"]) == [0, 0, 0, 20]
    assert list(mv["closing_mrr"]) == [50, 100, 80, 120]
    # without the breakdown there is no segment level, as before
    assert lg.movements().index.name == "month"
    rt = lg.retention(window=1, by_segment=True)
    # SMB: base cus_b 100 -> 120: NRR 1.2, GRR min(120, 100) / 100 = 1
    assert rt.loc[(p2, "SMB"), "nrr"] == pytest.approx(1.2)
    assert rt.loc[(p2, "SMB"), "grr"] == pytest.approx(1.0)
    lt = lg.lifetimes()
    assert list(lt["customer_id"]) == ["cus_a", "cus_b", "cus_c"]
    assert list(lt["segment"]) == ["Mid-Market", "SMB", "Mid-Market"]
    co = lg.cohorts(by_segment=True)
    assert list(co.index) == [(p1, "Mid-Market"), (p1, "SMB"), (p2, "Mid-Market")]
    # the Table keeps the library's ids (ranks of the labels: "Mid-Market" < "SMB")
    t = lg.movements(by_segment=True, as_table=True)
    assert list(t["segment"]) == [0, 1, 0, 1]
    pd.testing.assert_frame_equal(t.to_pandas(), mv)


def test_row_order_does_not_change_anything():
    a = ledger()
    b = ledger(ROWS.iloc[::-1].reset_index(drop=True))
    pd.testing.assert_frame_equal(a.movements(by_segment=True), b.movements(by_segment=True))
    pd.testing.assert_frame_equal(a.month("2024-02"), b.month("2024-02"))


def test_uuids_and_hashables_come_back_as_the_objects():
    u1, u2 = uuid.UUID(int=2), uuid.UUID(int=1)
    lg = csm.Ledger([u1, u2, u1], ["2024-01", "2024-01", "2024-02"], [10.0, 20.0, 15.0])
    m = lg.month("2024-01")
    # ids are the ranks of str(uuid): ...0001 < ...0002
    assert list(m.index) == [u2, u1] and all(isinstance(u, uuid.UUID) for u in m.index)
    assert list(m["mrr"]) == [20, 10]
    lt = lg.lifetimes()
    assert lt.set_index("customer_id").loc[u1, "duration"] == 2


def test_contracts_take_string_customers():
    lg = csm.Ledger.from_contracts(["acme", "zeta"], ["2024-01-01", "2024-01-01"],
                                   ["2024-12-31", "2024-03-31"], [1200.0, 300.0],
                                   interval_unit=["year", "month"],
                                   segment=["Enterprise", "SMB"])
    # acme: 1200 a year -> 100 a month; zeta: 300 a month
    m = lg.month("2024-02")
    assert dict(zip(m.index, m["mrr"])) == {"acme": 100, "zeta": 300}
    assert list(m["segment"]) == ["Enterprise", "SMB"]


def test_team_string_owners_none_and_unknown_customers():
    lg = ledger()
    # 2024-02: cus_a 50 (alice), cus_b 120 (owner None: unassigned), cus_c 30 (bob); cus_zzz is
    # not in the ledger (active nowhere), carol has no active account
    t = lg.team(["cus_a", "cus_b", "cus_c", "cus_zzz"], ["alice", None, "bob", "carol"],
                at_risk=["cus_c", "nobody"], month="2024-02")
    assert list(t.index) == ["unassigned", "alice", "bob"] and t.index.name == "owner"
    assert list(t["accounts"]) == [1, 1, 1] and list(t["mrr"]) == [120, 50, 30]
    assert list(t["at_risk_accounts"]) == [0, 0, 1] and list(t["at_risk_mrr"]) == [0, 0, 30]
    # two CSMs (the unassigned row is none), owned ARR 12 x (50 + 30) = 960
    assert t.attrs["n_csm"] == 2 and t.attrs["owned_arr"] == 960


def test_integer_ids_work_as_before():
    lg = csm.Ledger([7, 3, 7], [24288, 24288, 24289], [10.0, 20.0, 30.0], segment=[1, 2, 1])
    m = lg.month(24288)
    assert list(m.index) == [3, 7] and m.index.dtype == np.int64
    assert list(m["segment"]) == [2, 1]
    t = lg.team([3], [5], month=24288)
    # customer 7 has no owner row: the unassigned row keeps the integer sentinel
    assert list(t.index) == [csm._csm.team_owner_none(), 5]


def test_missing_and_ambiguous_ids_are_errors():
    with pytest.raises(csm.DomainError) as ei:
        csm.Ledger(["cus_a", None], ["2024-01", "2024-01"], [1.0, 2.0])
    assert (ei.value.row, ei.value.field) == (1, "customer_id")
    with pytest.raises(csm.InvalidArgumentError, match="same text"):
        csm.Ledger([1, "1"], ["2024-01", "2024-01"], [1.0, 2.0])
    lg = ledger()
    with pytest.raises(csm.InvalidArgumentError) as ei:
        lg.cohorts(cohort_keys={"cus_a": "2023-12", "nobody": "2024-01"})
    assert ei.value.row == 1 and "'nobody' is not a known key_customer" in str(ei.value)
    # a known customer's cohort key moves it: cus_a to the 2023-12 cohort of size 1
    co = lg.cohorts(values="customers", relative=False, cohort_keys={"cus_a": "2023-12"})
    assert co.loc[pd.Period("2023-12", "M"), 1] == 1
