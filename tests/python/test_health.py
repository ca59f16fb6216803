"""Python bindings of the health family (csmetrics/health.h): scorecards,
scoring, band distribution and accounts at risk.  Expected values: the
hand-worked three accounts of tests/test-health.c (worked in the comments)."""
import json
import os

import numpy as np
import pandas as pd
import pytest

import csmetrics as csm

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


SPEC = {
    "name": "t",
    "groups": [
        {"name": "usage", "weight": 3, "measures": [
            {"name": "login_rate", "weight": 2,
             "transform": {"type": "linear", "min": 0.2, "max": 0.8}},
            {"name": "tickets", "weight": 1, "direction": "lower",
             "transform": {"type": "piecewise", "points": [[0, 100], [5, 50], [10, 0]]}}]},
        {"name": "relationship", "weight": 1, "measures": [
            {"name": "nps", "transform": {"type": "linear", "min": -100, "max": 100},
             "missing": "zero"},
            {"name": "sponsor", "transform": {"type": "boolean"}}]}],
    "overrides": [
        {"name": "key contact left", "input": "key_contact_left", "op": "==", "value": 1,
         "action": "cap", "score": 40},
        {"name": "open P1", "input": "open_p1", "op": ">=", "value": 1, "action": "subtract",
         "points": 10}]}


def test_scorecard_three_accounts():
    sc = csm.Scorecard.from_dict(SPEC)
    assert sc.inputs == ["login_rate", "tickets", "nps", "sponsor", "key_contact_left",
                         "open_p1"]
    frame = pd.DataFrame({"login_rate": [0.5, 0.9, 0.1], "tickets": [2, np.nan, 12],
                          "nps": [50, np.nan, -20], "sponsor": [1, 0, 1],
                          "key_contact_left": [0, 1, 0], "open_p1": [0, 0, 2]},
                         index=["A", "B", "C"])
    prev = pd.DataFrame({"score": [70, 80, 10], "band": ["green", "green", "red"]},
                        index=["A", "B", "C"])
    out = sc.score(frame, previous=prev)
    assert out.loc["A", "score"] == pytest.approx(66.875)
    assert out.loc["B", "score"] == pytest.approx(40) and out.loc["B", "band"] == "yellow"
    assert out.loc["B", "override"] == "key contact left"
    assert out.loc["C", "score"] == pytest.approx(7.5) and out.loc["C", "band"] == "red"
    assert out.loc["A", "contribution_login_rate"] == pytest.approx(25)
    assert out.loc["A", "contribution_nps"] == pytest.approx(9.375)
    assert out.loc["A", "change"] == pytest.approx(-3.125)
    assert list(out["moved"]) == [True, True, False]
    # round trip
    again = csm.Scorecard.from_json(sc.to_json())
    assert again.to_json() == sc.to_json()


def test_scorecard_errors_and_examples():
    bad = json.loads(json.dumps(SPEC))
    bad["groups"][1]["measures"][0]["weight"] = -1
    with pytest.raises(csm.InvalidArgumentError) as e:
        csm.Scorecard.from_dict(bad)
    assert str(e.value) == "EINVAL: $.groups[1].measures[0].weight: must be >= 0"
    with pytest.raises(csm.ParseError):
        csm.Scorecard.from_json("{")
    for name in ["usage-led.json", "relationship-led.json"]:
        sc = csm.Scorecard.from_json(os.path.join(ROOT, "examples", "scorecards", name))
        assert len(sc.bands) == 3


def _scored():
    sc = csm.Scorecard.from_dict(SPEC)
    frame = pd.DataFrame({"login_rate": [0.5, 0.9, 0.1], "tickets": [2, np.nan, 12],
                          "nps": [50, np.nan, -20], "sponsor": [1, 0, 1],
                          "key_contact_left": [0, 1, 0], "open_p1": [0, 0, 2]},
                         index=["A", "B", "C"])
    return sc, frame, sc.score(frame)


def test_health_band_distribution():
    sc, frame, out = _scored()
    b = sc.band_distribution(out, mrr=[100, 200, 300])
    # best band first: green 0 accounts, yellow 2 (A, B: MRR 300), red 1 (C: 300)
    assert list(b.index) == [2, 1, 0] and b.index.name == "band"
    assert list(b["band_name"]) == ["green", "yellow", "red"]
    assert list(b["accounts"]) == [0, 2, 1]
    assert list(b["share"]) == pytest.approx([0, 2 / 3, 1 / 3])
    assert list(b["mrr"]) == [0, 300, 300]
    assert list(sc.band_distribution(out)["mrr"]) == [0, 0, 0]
    t = sc.band_distribution(sc.score(frame, as_table=True), as_table=True)
    assert t.name == "health_bands" and list(t["accounts"]) == [0, 2, 1]
    with pytest.raises(csm.InvalidArgumentError):
        sc.band_distribution(frame)
    with pytest.raises(csm.InvalidArgumentError):
        sc.band_distribution(out, mrr=[1, 2])


def test_health_at_risk():
    sc, frame, out = _scored()
    r, why = sc.at_risk(out, account_id=[501, 502, 503], mrr=[100, 200, 300], reasons=True)
    # ranking by score: C (7.5), B (40), A (66.875); points = weight x (100 - score):
    # C login 0.5 x 100 = 50, tickets 0.25 x 100 = 25; B nps 12.5, sponsor 12.5 (tie:
    # spec order); A login 25, tickets 5
    assert list(r.index) == [1, 2, 3] and r.index.name == "rank"
    assert list(r["account_id"]) == [503, 502, 501]
    assert list(r["account"]) == [2, 1, 0]
    assert list(r["score"]) == pytest.approx([7.5, 40, 66.875])
    assert list(r["mrr"]) == [300, 200, 100]
    assert list(r["top_reasons"]) == [
        "login_rate -50.0; tickets -25.0; override: open P1",
        "nps -12.5; sponsor -12.5; override: key contact left",
        "login_rate -25.0; tickets -5.0"]
    assert list(why.index) == [(1, 1), (1, 2), (2, 1), (2, 2), (3, 1), (3, 2)]
    assert list(why["points"]) == pytest.approx([50, 25, 12.5, 12.5, 25, 5])
    assert list(why["measure_name"]) == ["login_rate", "tickets", "nps", "sponsor",
                                         "login_rate", "tickets"]
    # the top 2 with one reason each, no ids or MRR: ids are the rows, MRR unknown
    r2 = sc.at_risk(out, top_n=2, n_reasons=1)
    assert list(r2["account_id"]) == [2, 1]
    assert r2.loc[2, "top_reasons"] == "nps -12.5; override: key contact left"
    assert r2["mrr"].isna().all()
    # the C defaults (CSM_HEALTH_RISKS_OPTS_INIT: top 10, 2 reasons): all 3, 2 reasons
    t = sc.at_risk(out, as_table=True)
    assert len(t) == 3 and len(t.result_table("health_reasons")) == 6
    with pytest.raises(csm.InvalidArgumentError):
        sc.at_risk(out, n_reasons=9)
    # the DataFrame's attrs survive a copy
    assert len(sc.at_risk(out.copy(deep=True))) == 3


# An input the frame lacks, misspells or leaves empty (issue 13): it used to be NaN in every row
# without a word.  Each is a MissingInputWarning naming it, why, and what scoring does without
# it; the scores are those without it.
def test_absent_inputs_warn_and_are_named():
    sc = csm.Scorecard.from_dict(SPEC)
    assert sc.input_policies == ["renormalize", "renormalize", "zero", "renormalize", None,
                                 None]
    frame = pd.DataFrame({"login_rate": [0.5, 0.9], "ticket": [2, 3], "nps": [50, -20],
                          "sponsor": [1, 0]}, index=["A", "B"])
    with pytest.warns(csm.MissingInputWarning) as rec:
        out = sc.score(frame)
    msgs = [str(w.message) for w in rec]
    assert msgs == [
        "scorecard input 'tickets': the frame has no column 'tickets' (did you mean "
        "'ticket'?); every account is scored without that measure (the others' weights "
        "renormalized)",
        "scorecard input 'key_contact_left': the frame has no column 'key_contact_left'; "
        "the overrides on it never fire",
        "scorecard input 'open_p1': the frame has no column 'open_p1'; the overrides on it "
        "never fire"]
    assert rec[0].filename == __file__  # the caller's line, not the package's
    # A: usage = login (0.5 - 0.2) / 0.6 = 50 alone (tickets renormalized away);
    # relationship = (nps (50 + 100) / 2 = 75 + sponsor 100) / 2 = 87.5;
    # (3 x 50 + 87.5) / 4 = 59.375.  B: login 0.9 -> 100 (clamped), (-20 + 100) / 2 = 40
    # and 0 -> 20; (300 + 20) / 4 = 80
    assert out.loc["A", "score"] == pytest.approx(59.375)
    assert out.loc["B", "score"] == pytest.approx(80)
    # a column of NaN only is absent too; the input's policy "zero" is said
    frame = pd.DataFrame({"login_rate": [0.5], "tickets": [2], "nps": [np.nan],
                          "sponsor": [1], "key_contact_left": [0], "open_p1": [0]})
    with pytest.warns(csm.MissingInputWarning) as rec:
        sc.score(frame)
    assert [str(w.message) for w in rec] == [
        "scorecard input 'nps': column 'nps' has no value (NaN in every row); every account "
        "scores 0 on that measure"]


def test_no_warning_when_every_input_has_a_value():
    sc = csm.Scorecard.from_dict(SPEC)
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        # B's NaN tickets and nps are its own missing values, not an absent input
        _, frame, _ = _scored()
        sc.score(frame)
        sc.score(frame.iloc[:0])  # no account: nothing is absent


def test_absent_fail_measure_raises_naming_it():
    # one measure "logins" with missing "fail": a frame spelling it "login" cannot be scored
    spec = {"groups": [{"name": "g", "measures": [
        {"name": "logins", "missing": "fail",
         "transform": {"type": "linear", "min": 0, "max": 10}}]}]}
    sc = csm.Scorecard.from_dict(spec)
    with pytest.raises(csm.MissingValueError) as ei:
        sc.score(pd.DataFrame({"login": [5.0, 6.0]}))
    assert str(ei.value) == ("EMISSING: input 'logins': no account has a value, and the "
                             "measure's missing policy is 'fail' ('logins': the frame has no "
                             "column 'logins' (did you mean 'login'?))")
    assert ei.value.field == "values" and ei.value.row is None
    # with the column, 5 of 0..10 is 50
    assert list(sc.score(pd.DataFrame({"logins": [5.0]}))["score"]) == [50]


def test_no_measure_supplied_warns_and_scores_nobody():
    # the CLI's "0 accounts scored" case: the only measure has no column, so no account has a
    # score (NaN, no band) -- and the warning says why
    spec = {"groups": [{"name": "g", "measures": [
        {"name": "logins", "transform": {"type": "linear", "min": 0, "max": 10}}]}]}
    with pytest.warns(csm.MissingInputWarning, match="'logins': the frame has no column"):
        out = csm.Scorecard.from_dict(spec).score(pd.DataFrame({"x": [1.0, 2.0]}))
    assert out["score"].isna().all() and list(out["band_index"]) == [-1, -1]
