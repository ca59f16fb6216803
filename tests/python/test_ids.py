"""Ids as users have them (issue 13): customer, segment and owner columns of strings, UUIDs or
any hashable go through the library's key dictionary, and every DataFrame keyed by them shows
the user's own values ("all" / "unassigned" for the rows without one); integer ids work as
before.  Expected figures by hand in the comments."""
import uuid

import numpy as np
import pandas as pd
import pytest

import csmetrics as csm
import test_health
from test_survival import SIXMP_E, SIXMP_T

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


# ---- the other families: renewals, activity, survival, health, NPS groups, results_table ----
# Each takes the same data with integer ids and with labels: the labels are an order-keeping
# renaming of the integers (cus_1 < cus_2 < ...), so the library's ids are the same ranks, and
# every figure must be the integer run's, computed by a path that does not know about labels.
# The figures the integer runs give are the hand-worked fixtures of test_renewals.py,
# test_activity.py, test_survival.py and test_health.py (worked in their comments).

# tests/test-renewals.c's fixture (test_renewals_fixture): window 2024, grace 90 days
SPANS = [("2023-03-01", "2024-02-29"), ("2024-03-01", "2025-02-28"), ("2023-06-01", "2024-05-31"),
         ("2024-07-15", "2025-07-14"), ("2023-01-01", "2023-12-31"), ("2024-01-01", "2024-12-31"),
         ("2023-09-01", "2024-08-31"), ("2025-01-15", "2026-01-14"), ("2023-07-01", "2024-06-30"),
         ("2023-07-01", "2024-06-30"), ("2024-07-01", "2025-06-30"), ("2024-01-01", "2024-12-31"),
         ("2024-06-01", "2024-12-31"), ("2025-01-01", "2025-12-31")]
R_CUST = [1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 5, 6, 6, 6]
R_SEG = [1, 1, 1, 1, 2, 2, 2, 2, 1, 1, 1, 2, 2, 2]
R_VAL = [1200, 1500, 1000, 1000, 500, 600, 800, 800, 100, 200, 330, 1000, 70, 1200]
SEG_NAME = {1: "Mid-Market", 2: "SMB"}


def _renewals(cust, seg=None, order=None, **kw):
    """csm.renewals of the fixture's contracts (customer ids cust, segments seg), its rows
    in ``order`` (default: as listed), by segment when seg is given (else kw's group_by)."""
    order = range(len(SPANS)) if order is None else order
    pick = (lambda x: None if x is None else [x[i] for i in order])
    kw.setdefault("group_by", None if seg is None else "segment")
    return csm.renewals(pick(cust), pick([s for s, _ in SPANS]), pick([e for _, e in SPANS]),
                        pick(R_VAL), "2024-01-01", "2024-12-31", segment=pick(seg),
                        **{k: pick(v) if isinstance(v, list) else v for k, v in kw.items()})


CUS = [f"cus_{c}" for c in R_CUST]
SEG = [SEG_NAME[s] for s in R_SEG]


def test_renewals_take_labels_and_show_them():
    by_int, per_int = _renewals(R_CUST, R_SEG, contracts=True)
    by, per = _renewals(CUS, SEG, contracts=True)
    # due in 2024 (by hand, test_renewals.py): Mid-Market rows 0, 2, 8, 9, all renewed;
    # SMB rows 5 (churned), 6 (late: 137 days), 11 (renewed)
    assert list(by.index) == ["Mid-Market", "SMB"] and by.index.name == "segment"
    assert list(by["due"]) == [4, 3] and list(by["renewed"]) == [4, 1]
    assert list(by["late"]) == [0, 1] and list(by["churned"]) == [0, 1]
    pd.testing.assert_frame_equal(by, by_int.set_axis(pd.Index(["Mid-Market", "SMB"],
                                                                name="segment")))
    assert list(per["customer_id"]) == ["cus_1", "cus_2", "cus_3", "cus_4", "cus_5", "cus_5",
                                        "cus_6"]
    assert list(per["group"]) == ["Mid-Market", "Mid-Market", "SMB", "SMB", "Mid-Market",
                                  "Mid-Market", "SMB"]
    numbers = [c for c in per.columns if c not in ("customer_id", "group")]
    pd.testing.assert_frame_equal(per[numbers], per_int[numbers])
    # the Table keeps the library's ids: ranks of the labels
    t = _renewals(CUS, SEG, as_table=True)
    assert list(t["group"]) == [0, 1]
    pd.testing.assert_frame_equal(t.to_pandas(), by.rename_axis("group"))


def test_renewals_row_order_and_owner_labels():
    order = [13, 2, 7, 0, 11, 4, 9, 1, 12, 5, 8, 3, 10, 6]
    pd.testing.assert_frame_equal(_renewals(CUS, SEG, order), _renewals(CUS, SEG))
    # owners as names: cus_1..3 alice, cus_4..6 bob -> alice: rows 0, 2 renewed, row 5
    # churned; bob: rows 6 late, 8, 9, 11 renewed
    owner = ["alice" if c <= 3 else "bob" for c in R_CUST]
    o = _renewals(CUS, owner=owner, group_by="owner")
    assert list(o.index) == ["alice", "bob"] and o.index.name == "owner"
    assert list(o["due"]) == [3, 4] and list(o["renewed"]) == [2, 3]
    assert list(o["churned"]) == [1, 0] and list(o["late"]) == [0, 1]
    # row 2 (cus_2, due 2024-05-31, renewed) without an owner: the group
    # "unassigned", after the names; alice keeps rows 0 (renewed) and 5 (churned)
    u = _renewals(CUS, owner=owner[:2] + [None] + owner[3:], group_by="owner")
    assert list(u.index) == ["alice", "bob", "unassigned"]
    assert list(u["due"]) == [2, 4, 1] and list(u["renewed"]) == [1, 3, 1]
    assert list(u["churned"]) == [1, 0, 0]


def test_days_to_renewal_of_accounts_given_as_labels():
    # test_renewals.py's fixture with the customers renamed: acme (1), beta (2), zeta (7);
    # from 2024-03-31 (by hand there): acme 0, beta 70, zeta 365; gamma has no contract: NaN
    cust = ["acme", "acme", "beta", "beta", "zeta"]
    start = ["2023-04-01", "2023-05-11", "2023-03-31", "2023-06-10", "2024-04-01"]
    end = ["2024-03-31", "2024-05-10", "2024-03-30", "2024-06-09", "2025-03-31"]
    value = [1200, 100, 3000, 500, 0]
    got = csm.renewals_days_to_end(["beta", "acme", "gamma", "zeta", "beta"], cust, start, end,
                                   value, "2024-03-31")
    np.testing.assert_array_equal(got, [70, 0, np.nan, 365, 70])
    # the accounts in another order follow their labels, not their rows
    again = csm.renewals_days_to_end(pd.Series(["zeta", "beta"]), cust[::-1], start[::-1],
                                     end[::-1], value[::-1], "2024-03-31")
    np.testing.assert_array_equal(again, [365, 70])
    with pytest.raises(csm.InvalidArgumentError, match="contracts' customer ids are numbers"):
        csm.renewals_days_to_end(["acme"], [1], ["2024-01-01"], ["2024-12-31"], [5], "2024-06-30")


# tests/test-activity.c's fixture (test_activity.py): accounts 1, 1, 2, 3; roles owner (0),
# end user (3), end user, owner; segments 1, 1, 2, 2
ACTIVITY = {"licensed_seats": [10, 40, 100, 5], "activated_seats": [8, 20, 90, 0],
            "active_users": [6, 14, 80, 0], "sessions": [60, 70, 400, 0],
            "minutes": [600, 1400, 2000, 0], "features_used": [5, 10, 15, 0],
            "features_available": [20, 20, 20, 20], "dau": [3, 4, 40, 0], "mau": [6, 14, 80, 0]}


def test_activity_takes_labels_and_shows_them():
    ints = pd.DataFrame({"account_id": [1, 1, 2, 3], "role": [0, 3, 3, 0],
                         "segment": [1, 1, 2, 2], **ACTIVITY})
    names = {"account_id": {1: "acct-1", 2: "acct-2", 3: "acct-3"},
             "role": {0: "a-owner", 3: "end-user"},
             "segment": SEG_NAME}
    labels = ints.assign(**{c: ints[c].map(m) for c, m in names.items()})
    for by, col in [(None, "account_id"), ("segment", "segment"), ("role", "role")]:
        got, want = csm.activity(labels, group_by=by), csm.activity(ints, group_by=by)
        pd.testing.assert_frame_equal(
            got, want.set_axis(pd.Index(want.index.map(names[col]), name=want.index.name)))
    a = csm.activity(labels)
    # by hand (tests/test-activity.c): account 1 activation 28 / 50 = 0.56; segment SMB
    # (accounts 2, 3) 90 / 105; the owner role (r0, r3) 8 / 15
    assert list(a.index) == ["acct-1", "acct-2", "acct-3"] and a.index.name == "account"
    assert a.loc["acct-1", "activation_rate"] == pytest.approx(0.56)
    assert csm.activity(labels, group_by="segment").loc["SMB", "activation_rate"] == \
        pytest.approx(90 / 105)
    assert csm.activity(labels, group_by="role").loc["a-owner", "activation_rate"] == \
        pytest.approx(8 / 15)
    # rows in another order: the same table
    pd.testing.assert_frame_equal(csm.activity(labels.iloc[::-1]), a)
    # "all" has no id to show
    assert csm.activity(labels, group_by="all").index.tolist() == [0]


def test_kaplan_meier_groups_as_labels():
    # the 6-MP arm of Freireich et al. (test_survival.py), its first 10 and last 11 patients
    # as two groups
    g = ["first"] * 10 + ["second"] * 11
    km = csm.kaplan_meier(SIXMP_T, SIXMP_E, groups=g, at_times=[10, 20], include_overall=True)
    ref = csm.kaplan_meier(SIXMP_T, SIXMP_E, groups=[0] * 10 + [1] * 11, at_times=[10, 20],
                           include_overall=True)
    assert list(km.summary.index) == ["all", "first", "second"]
    # by hand: first: 6 (3 events of 10 at risk) -> 7/10, 7 (1 of 6) -> 7/12, 10 (1 of 4)
    # -> 7/16 = 0.4375 <= 0.5: median 10; second: 16 (1 of 11) -> 10/11 at 20, 8 at risk
    # (20, 22, 23, 25, 32, 32, 34, 35)
    assert km.median["first"] == 10
    assert km.at.loc[("first", 10), "survival"] == pytest.approx(7 / 16, rel=1e-12)
    assert km.at.loc[("second", 20), "survival"] == pytest.approx(10 / 11, rel=1e-12)
    assert km.at.loc[("second", 20), "at_risk"] == 8
    relabel = {csm._csm.code_all(): "all", 0: "first", 1: "second"}
    pd.testing.assert_frame_equal(km.summary, ref.summary.rename(index=relabel))
    pd.testing.assert_frame_equal(km.at, ref.at.rename(index=relabel, level="group"))
    assert list(km.table["group"].unique()) == ["all", "first", "second"]
    # the rows in another order: the same curves
    order = np.random.default_rng(13).permutation(21)
    again = csm.kaplan_meier(np.take(SIXMP_T, order), np.take(SIXMP_E, order),
                             groups=np.take(g, order), include_overall=True)
    pd.testing.assert_frame_equal(again.summary, km.summary)
    with pytest.raises(csm.DomainError) as ei:
        csm.kaplan_meier(SIXMP_T[:3], SIXMP_E[:3], groups=["a", None, "b"])
    assert (ei.value.row, ei.value.field) == (1, "group")


def test_sbg_fit_cohorts_as_labels():
    # two cohorts of survivor counts; labels in ascending text order give the fit of the
    # integer codes 0, 1 (the same ranks); in descending order the library rejects them
    alive = [1000, 869, 743, 653, 500, 430, 380]
    ref = csm.sbg_fit(alive, cohorts=[0, 0, 0, 0, 1, 1, 1])
    got = csm.sbg_fit(alive, cohorts=["2023-01"] * 4 + ["2023-02"] * 3)
    assert (got.alpha, got.beta, got.loglik) == (ref.alpha, ref.beta, ref.loglik)
    with pytest.raises(csm.DomainError) as ei:
        csm.sbg_fit(alive, cohorts=["b"] * 4 + ["a"] * 3)
    assert (ei.value.row, ei.value.field) == (4, "cohort")


def test_health_accounts_as_labels():
    sc, frame, out = test_health._scored()
    # by hand (test_health.py): C (7.5) is most at risk, then B (40), then A (66.875)
    r = sc.at_risk(out, account_id=out.index, mrr=[100, 200, 300])
    assert list(r["account_id"]) == ["C", "B", "A"] and list(r["account"]) == [2, 1, 0]
    ref = sc.at_risk(out, account_id=[501, 502, 503], mrr=[100, 200, 300])
    pd.testing.assert_frame_equal(r.drop(columns="account_id"),
                                  ref.drop(columns="account_id"))
    # previous scores matched by the account_id columns, in any order: A 70 -> 66.875
    # (-3.125), B 80 -> 40 (-40), C not in previous: no change (NaN)
    keyed = frame.reset_index(names="account_id")
    prev = pd.DataFrame({"account_id": ["B", "A"], "score": [80, 70],
                         "band": ["green", "green"]})
    s = sc.score(keyed, previous=prev)
    assert s["change"].tolist()[:2] == pytest.approx([-3.125, -40])
    assert np.isnan(s["change"].iloc[2])
    assert s["moved"].tolist() == [True, True, False]
    with pytest.raises(csm.InvalidArgumentError) as ei:
        sc.score(keyed, previous=pd.concat([prev, prev.iloc[:1]], ignore_index=True))
    assert (ei.value.row, ei.value.field) == (2, "previous") and "'B'" in str(ei.value)


def test_nps_groups_go_through_the_key_dictionary():
    # one way for every id: the group labels are ranked as the key dictionary ranks them
    # (canonical integers numerically: "9" before "10"), as a ledger's segments are
    scores = [9, 0, 10, 10, 5]
    df = csm.nps_by_group(scores, ["10", "9", "10", "9", "9"])
    # by hand: "9": 0, 10, 5 -> 1 promoter, 2 detractors of 3: -33.3; "10": 9, 10 -> 100
    assert list(df.index) == ["9", "10"]
    assert list(df["nps"]) == pytest.approx([-100 / 3, 100])
    t = csm.nps_by_group(scores, ["10", "9", "10", "9", "9"], as_table=True)
    assert list(t["group"]) == [0, 1]
    # labels of any kind, shown as given; a missing one names its row
    u = [uuid.UUID(int=5), ("EU", 1)]
    df = csm.nps_by_group([10, 0], u)
    assert set(df.index) == set(u) and df.loc[[u[0]], "nps"].tolist() == [100]
    with pytest.raises(csm.DomainError) as ei:
        csm.nps_by_group([1, 2, 3], ["a", None, "b"])
    assert (ei.value.row, ei.value.field) == (1, "group")


def test_results_table_groups_as_labels():
    # NPS per segment (test_table.py): [9, 9, 0] -> 100/3, [10, 7] -> 50
    a, b = csm.nps([9, 9, 0]), csm.nps([10, 7])
    df = csm.results_table([a, b], groups=["SMB", "Enterprise"], as_table=False)
    assert list(df.index) == ["SMB", "Enterprise"] and df.index.name == "group"
    np.testing.assert_allclose(df["nps"], [100 / 3, 50])
    # the Table keeps the ranks: "Enterprise" < "SMB"
    assert list(csm.results_table([a, b], groups=["SMB", "Enterprise"])["group"]) == [1, 0]
