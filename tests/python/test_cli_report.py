"""Every figure of `csmetrics report examples/data/demo --format json` reproduced from the
Python bindings on the same files (issue: the report must be reproducible from Python).

The CLI is found next to the build tree's Python package (meson devenv puts
build/bindings/python on PYTHONPATH; the command is build/cli/csmetrics)."""
import json
import math
import os
import subprocess

import numpy as np
import pandas as pd
import pytest

import csmetrics as csm

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DEMO = os.path.join(ROOT, "examples", "data", "demo")


def _cli():
    pkg = os.path.dirname(os.path.abspath(csm.__file__))
    build = os.path.dirname(os.path.dirname(os.path.dirname(pkg)))
    exe = os.path.join(build, "cli", "csmetrics")
    if not os.path.exists(exe):
        pytest.skip("csmetrics command not built next to this package")
    return exe


@pytest.fixture(scope="module")
def report():
    out = subprocess.run([_cli(), "report", DEMO, "--format", "json"], check=True,
                         capture_output=True, text=True).stdout
    return json.loads(out)


@pytest.fixture(scope="module")
def ledger():
    mrr = pd.read_csv(os.path.join(DEMO, "mrr.csv"))
    return csm.Ledger(mrr["customer_id"].to_numpy(np.int64), mrr["month"].to_numpy(),
                      mrr["mrr"].to_numpy(float))


def section(doc, key):
    return next(s for s in doc["sections"] if s["key"] == key)


def close(a, b, rel=1e-9):
    if a is None:
        return b is None or (isinstance(b, float) and math.isnan(b))
    return abs(a - b) <= rel * max(1.0, abs(a), abs(b))


def test_summary_and_movements(report, ledger):
    mv = ledger.movements()
    for row in section(report, "movements")["rows"]:
        p = mv.loc[pd.Period(row["month"], freq="M")]
        for col in ["opening_mrr", "new", "reactivation", "expansion", "contraction", "churn",
                    "net_new", "closing_mrr", "customer_churn_rate", "gross_mrr_churn_rate",
                    "net_mrr_churn_rate", "quick_ratio", "arpa"]:
            assert close(row[col], float(p[col])), (row["month"], col)
        assert row["customers"] == int(p["customers"])
    s = section(report, "summary")["rows"][0]
    last = mv.iloc[-1]
    assert close(s["closing_mrr"], float(last["closing_mrr"]))
    assert close(s["arr"], float(last["arr"]))


def test_retention_and_cohorts(report, ledger):
    ret = ledger.retention(window=12)
    for row in section(report, "retention")["rows"]:
        p = ret.loc[pd.Period(row["end_month"], freq="M")]
        for col in ["base_mrr", "nrr", "grr", "logo_retention"]:
            assert close(row[col], float(p[col])), (row["end_month"], col)
    coh = ledger.cohorts(values="customers", relative=True)
    as_of = pd.Period(report["as_of"], freq="M")
    for row in section(report, "cohorts")["rows"]:
        c = pd.Period(row["cohort"], freq="M")
        for age in range(13):
            v = row[f"m{age}"]
            want = float(coh.loc[c].iloc[age]) if (c + age) <= as_of else float("nan")
            assert close(v, want), (row["cohort"], age)


def test_nps(report):
    nps = pd.read_csv(os.path.join(DEMO, "nps.csv"), parse_dates=["date"])
    as_of = pd.Period(report["as_of"], freq="M")
    start = (as_of - 2).start_time
    end = (as_of + 1).start_time
    q = nps[(nps["date"] >= start) & (nps["date"] < end)]
    r = csm.nps(q["score"].to_numpy(np.int8))
    row = section(report, "nps")["rows"][0]
    assert row["n"] == len(q)
    assert close(row["nps"], r.nps) and close(row["ci_low"], r.ci_low)


def test_ltv_and_projection(report, ledger):
    # unit economics over the 12 months ending at as_of, margin 0.8 (the CLI's default),
    # churn floored, with spend.csv's rows (every channel)
    spend = pd.read_csv(os.path.join(DEMO, "spend.csv"))
    ue = ledger.unit_economics(month=report["as_of"], window=12, gross_margin=0.8,
                               spend_month=spend["month"], spend=spend["spend"],
                               zero_churn="floor").iloc[0]
    row = section(report, "ltv")["rows"][0]
    # the CLI writes the C column names: "flags" is the DataFrames' flag_bits
    row = {k if k != "flags" else "flag_bits": v for k, v in row.items()}
    assert set(row) == set(ue.index)
    for col, v in row.items():
        assert close(v, float(ue[col])), col
    # the scenarios from the observed trend of the 6 months ending at as_of: its start
    # MRR, average new + reactivated MRR and gross MRR churn rate (the first column)
    inp = ledger.project_inputs(month=report["as_of"], window=6).iloc[0]
    observed = float(inp["gross_mrr_churn_rate"])
    proj = section(report, "projection")
    assert close(proj["rows"][0]["churn_1%"], float(inp["start_mrr"]))
    df = csm.project_mrr(inp["start_mrr"], 24, [observed, 0.01, 0.05], new_mrr=inp["new_mrr"])
    for row in proj["rows"]:
        m = row["month"]
        assert close(row[f"observed_{100 * observed:.1f}%"], float(df.iloc[m, 0]))
        assert close(row["churn_1%"], float(df.iloc[m, 1]))
        assert close(row["churn_5%"], float(df.iloc[m, 2]))


def test_renewals_health_survival_team(report, ledger):
    as_of = pd.Period(report["as_of"], freq="M")
    # renewals: the quarter ending at the review month
    con = pd.read_csv(os.path.join(DEMO, "contracts.csv"))
    w0 = (as_of - 2).start_time.date().isoformat()
    w1 = as_of.end_time.date().isoformat()
    r = csm.renewals(con["customer_id"], con["start_date"], con["end_date"], con["value"],
                     w0, w1).loc["all"]
    row = section(report, "renewals")["rows"][0]
    assert row["due"] == r["due"] and row["renewed"] == r["renewed"]
    assert close(row["dollar_renewal_rate"], float(r["dollar_renewal_rate"]))
    # Kaplan-Meier of first-run lifetimes
    lt = ledger.lifetimes(as_of=report["as_of"])
    km = csm.kaplan_meier(lt["duration"], lt["event"], horizon=36)
    row = section(report, "survival_km")["rows"][0]
    assert row["n"] == len(lt)
    assert close(row["median"], km.median)
    assert close(row["rmst"], km.rmst)
    # health with the built-in (usage-led) scorecard on the review month's usage, for the
    # accounts active that month: the activity measures of the month's usage rows (parts
    # above their whole capped, NaN counts missing, as the CLI reads usage.csv) and the
    # usage counts the scorecard reads as they are
    sc = csm.Scorecard.from_json(os.path.join(ROOT, "examples", "scorecards", "usage-led.json"))
    use = pd.read_csv(os.path.join(DEMO, "usage.csv"))
    use = use[use["month"] == report["as_of"]]
    mrr = pd.read_csv(os.path.join(DEMO, "mrr.csv"))
    active = mrr[mrr["month"] == report["as_of"]].groupby("customer_id")["mrr"].sum()
    active = active[active > 0]
    counts = use.set_index("account_id")[["support_tickets", "open_p1_tickets",
                                         "key_contact_left"]]
    frame = csm.activity(use, clamp=True, nan_missing=True).join(counts).reindex(active.index)
    scores = sc.score(frame)
    bands = sc.band_distribution(scores, mrr=active).set_index("band_name")
    for b in section(report, "health_bands")["rows"]:
        assert b["accounts"] == bands.loc[b["band"], "accounts"], b["band"]
        assert close(b["mrr"], float(bands.loc[b["band"], "mrr"])), b["band"]
    worst = sc.at_risk(scores, account_id=active.index, mrr=active)
    rows = section(report, "health_at_risk")["rows"]
    assert len(rows) == len(worst)
    for row, (_, w) in zip(rows, worst.iterrows()):
        assert int(row["account_id"]) == w["account_id"] and close(row["score"], w["score"])
        assert row["top_reasons"] == w["top_reasons"]
    # team: accounts and ARR per owner, at-risk = the lowest band
    acc = pd.read_csv(os.path.join(DEMO, "accounts.csv"))
    risk = scores.index[scores["band"] == sc.bands[0]].to_numpy()
    team = ledger.team(acc["account_id"], acc["owner"], at_risk=risk, month=report["as_of"])
    names = pd.read_csv(os.path.join(DEMO, "owners.csv")).set_index("name")["owner"]
    for row in section(report, "team")["rows"]:
        t = team.loc[names[row["owner"]]]
        assert row["accounts"] == t["accounts"]
        assert close(row["arr"], float(t["arr"]))
        assert row["at_risk_accounts"] == t["at_risk_accounts"]


def test_activity(report):
    """The activity sections (docs/cli.md, "Activity") from csm.activity on the review month's
    usage rows: the library's own stages of tenure (cohort = signup_month, month = the review
    month, bounds 3, 6, 12) and the product labels, a second route to the CLI's C path."""
    usage = pd.read_csv(os.path.join(DEMO, "usage.csv"))
    acc = pd.read_csv(os.path.join(DEMO, "accounts.csv"))
    month = report["as_of"]
    u = usage[usage["month"] == month].merge(
        acc[["account_id", "segment", "signup_month", "product"]], on="account_id")
    frame = u.drop(columns=["month"]).assign(cohort=csm.month_index(u["signup_month"]),
                                             category=u["product"])
    rates = ["activation_rate", "login_rate", "sessions_per_user", "minutes_per_user",
             "minutes_per_session", "feature_breadth", "stickiness"]
    for key, group_by, col in [("activity", "all", None),
                               ("activity_by_segment", "segment", "segment"),
                               ("activity_by_stage", "stage", "stage"),
                               ("activity_by_product", "category", "product")]:
        want = csm.activity(frame, group_by=group_by, month=month, clamp=True, nan_missing=True)
        rows = section(report, key)["rows"]
        assert len(rows) == len(want), key
        for r, (k, w) in zip(rows, want.iterrows()):
            if col:
                assert r[col] == str(k), (key, r[col], k)
            assert r["n_accounts"] == w["n_accounts"], (key, k)
            for m in rates:
                assert close(r[m], w[m], 1e-12), (key, k, m, r[m], w[m])
