"""Python bindings of the diagnosis cadence (csmetrics/reviews.h).
Expected values: the hand-worked fixture of tests/test-reviews.c, here with
text ids for accounts, CSMs, segments and touch types."""
import numpy as np
import pandas as pd
import pytest

import csmetrics as csm

D = pd.Timestamp("2024-06-30")


def days(*offsets):
    return [D + pd.Timedelta(days=o) for o in offsets]


ACCOUNTS = pd.DataFrame({
    "account": ["a14", "a10", "a12", "a11", "a13"],
    "owner": ["bo", "al", "bo", "al", "bo"],
    "segment": ["ent", "ent", "smb", "smb", "smb"],
    "mrr": [800, 5000, 300, 2000, 100]})
TOUCHES = pd.DataFrame({
    "account": ["a10", "a10", "a11", "a11", "a12", "a13", "a13", "a14", "a99"],
    "day": days(-20, -50, -45, -5, -90, -91, 3, -2, -1),
    "csm": ["al", "al", "cy", "al", "bo", "bo", "bo", "bo", "dee"],
    "type": ["review", "review", "review", "call", "review", "review", "review", "call",
             "review"]})
# tier 0: any segment with MRR >= 1000 -> 30 days; tier 1: "ent" -> 60 days
TIERS = pd.DataFrame({"segment": [None, "ent"], "min_mrr": [1000, 0], "days": [30, 60]})


def test_cadence_fixture():
    r = csm.review_cadence(ACCOUNTS, TOUCHES, as_of=D, review_type="review", tiers=TIERS)
    a = r.accounts
    assert list(a.index) == ["a10", "a11", "a12", "a13", "a14"]
    assert a["cadence_days"].tolist() == [30, 30, 90, 90, 60]
    assert a["tier"].tolist() == [0, 0, -1, -1, 1]
    assert a["last_review"].tolist()[:4] == days(-20, -45, -90, -91)
    assert pd.isna(a.loc["a14", "last_review"]) and pd.isna(a.loc["a14", "next_due"])
    assert a["next_due"].tolist()[:4] == days(10, -15, 0, -1)
    assert a.loc["a11", "last_reviewer"] == "cy"
    assert a["overdue"].tolist() == [False, True, False, True, True]
    assert a["days_overdue"].tolist()[:4] == [0, 15, 0, 1]
    assert np.isnan(a.loc["a14", "days_overdue"])
    assert a.loc["a14", "owner"] == "bo" and a.loc["a14", "segment"] == "ent"
    o = r.owners
    assert list(o.index) == ["al", "bo"]
    assert o["coverage"].tolist() == pytest.approx([0.5, 1 / 3])
    assert o.loc["bo", "never_reviewed"] == 1
    s = r.summary
    assert s["as_of"] == D
    assert (s["accounts"], s["on_cadence"], s["overdue"], s["never_reviewed"]) == (5, 2, 3, 1)
    assert s["coverage"] == pytest.approx(0.4)


def test_cadence_defaults():
    # as_of: the latest review of a listed account (a13's, D+3); owners:
    # the last reviewers (a14 never reviewed: unassigned)
    acc = ACCOUNTS.drop(columns="owner")
    r = csm.review_cadence(acc, TOUCHES, review_type="review", tiers=TIERS)
    assert r.summary["as_of"] == D + pd.Timedelta(days=3)
    assert r.accounts.loc["a11", "days_overdue"] == 18
    assert list(r.owners.index) == ["unassigned", "al", "bo", "cy"]
    # no tiers, every touch a review: 90 days; a13 (D-91) overdue alone
    r = csm.review_cadence(acc, TOUCHES, as_of="2024-06-30")
    assert r.summary["overdue"] == 1
    assert r.accounts.loc["a11", "last_review"] == D - pd.Timedelta(days=5)


def test_numeric_ids_and_errors():
    acc = {"account": [1, 2], "owner": [7, 7]}
    tch = {"account": [1], "day": ["2024-06-01"]}
    r = csm.review_cadence(acc, tch, default_days=30)
    assert r.accounts.loc[1, "next_due"] == pd.Timestamp("2024-07-01")
    assert r.owners.loc[7, "never_reviewed"] == 1
    with pytest.raises(csm.DuplicateError):
        csm.review_cadence({"account": [1, 1]}, tch)
    with pytest.raises(csm.InvalidArgumentError):
        csm.review_cadence(acc, tch, default_days=0)
