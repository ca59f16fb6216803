"""The csmetrics package as `pip install csmetrics-*.whl` installs it
(make test-wheel, scripts/wheel-test.sh): run from a venv, never from the
build tree.

The README's Python example is run as written (its first ```python block),
on the demo company's mrr.csv and nps.csv, and its results are checked
against independent routes: the csmetrics command of the build tree (C,
through its JSON report) for retention, and the NPS definition counted
here with pandas.
"""
import json
import os
import pathlib
import re
import subprocess
import sys

import pandas as pd
import pytest

import csmetrics as csm

ROOT = pathlib.Path(__file__).resolve().parents[2]
DEMO = ROOT / "examples" / "data" / "demo"


def test_imported_from_the_venv_not_the_build_tree():
    where = pathlib.Path(csm.__file__).resolve()
    assert pathlib.Path(sys.prefix).resolve() in where.parents, where
    assert sys.prefix != sys.base_prefix            # a venv
    assert ROOT not in where.parents


def readme_python_example():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    m = re.search(r"```python\n(.*?)```", text, re.S)
    assert m, "README.md has no ```python block"
    return m.group(1)


def test_readme_example_runs_and_agrees_with_the_cli():
    mrr = pd.read_csv(DEMO / "mrr.csv", dtype={"customer_id": str})
    df = mrr.rename(columns={"month": "period"})
    scores = pd.read_csv(DEMO / "nps.csv")["score"].to_numpy()
    ns = {"df": df, "scores": scores}
    exec(compile(readme_python_example(), "README.md", "exec"), ns)

    # retention over 12 months at the demo's last month, from the CLI's JSON
    cli = os.environ["CSM_CLI"]
    out = subprocess.run([cli, "retention", str(DEMO), "--format", "json"],
                         check=True, capture_output=True, text=True).stdout
    rows = json.loads(out)["sections"][0]["rows"]
    want = {r["end_month"]: r for r in rows}
    got = ns["ledger"].retention(window=12)
    assert len(want) >= 6
    for month, row in want.items():
        line = got.loc[pd.Period(month, "M")]
        for col in ("nrr", "grr", "logo_retention"):
            assert line[col] == pytest.approx(row[col], rel=1e-12), (month, col)

    # NPS = 100 (promoters - detractors) / responses, counted here
    n = len(scores)
    promoters = int((scores >= 9).sum())
    detractors = int((scores <= 6).sum())
    result = csm.nps(scores)
    assert result.nps == pytest.approx(100.0 * (promoters - detractors) / n, rel=1e-12)
    assert result.ci_low < result.nps < result.ci_high
