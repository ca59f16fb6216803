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
    assert close(s["mrr"], float(last["closing_mrr"]))
    assert close(s["arr"], 12 * float(last["closing_mrr"]))


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
    assert row["responses"] == len(q)
    assert close(row["nps"], r.nps) and close(row["ci_low"], r.ci_low)


def test_ltv_and_projection(report, ledger):
    as_of = pd.Period(report["as_of"], freq="M")
    mv = ledger.movements()
    last12 = mv.loc[as_of - 11: as_of]
    churn = last12["churned_customers"].sum() / last12["customers"].shift(1).fillna(
        mv.loc[as_of - 12, "customers"]).sum()
    arpa = float(mv.loc[as_of, "arpa"])
    r = csm.ltv(arpa, 0.8, float(churn), zero_churn="floor")
    row = section(report, "ltv")["rows"][0]
    assert close(row["monthly_churn"], float(churn))
    assert close(row["ltv"], r.ltv)
    spend = pd.read_csv(os.path.join(DEMO, "spend.csv"))
    months = pd.PeriodIndex(spend["month"], freq="M")
    s = spend["spend"][(months > as_of - 12) & (months <= as_of)].sum()
    new = last12["new_customers"].sum()
    assert close(row["cac"], float(csm.cac(s, new)))
    proj = section(report, "projection")
    start = float(mv.loc[as_of, "closing_mrr"])
    assert close(proj["rows"][0]["churn_1%"], start)
    newm = float((mv.loc[as_of - 5: as_of, "new"] + mv.loc[as_of - 5: as_of, "reactivation"]).mean())
    df = csm.project_mrr(start, 24, [0.01, 0.05], new_mrr=newm)
    for row in proj["rows"]:
        m = row["month"]
        assert close(row["churn_1%"], float(df.iloc[m, 0]))
        assert close(row["churn_5%"], float(df.iloc[m, 1]))
