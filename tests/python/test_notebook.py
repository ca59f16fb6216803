"""Execute examples/notebooks/customer_success.ipynb headless (nbclient) and fail on any
error; also render it to HTML with its plots (build/customer_success.html) so `make test`
checks that the rendering works.  Skipped only when nbclient/nbconvert are not installed
(they are in deps/debian-notebook.txt, which make test-python installs).

The notebook's intervention effects are checked against the CLI's `interventions` table
(test_cli_report.py's `report` fixture: `csmetrics report` of the demo), an independent
route to the same figures: the CLI builds its health panel in C (cli/sec_interventions.c),
the notebook with pandas and the Python bindings."""
import io
import os

import pandas as pd
import pytest

# the demo's report (fixture `report`, the command found next to the package)
from test_cli_report import close, report, section  # noqa: F401

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
NB = os.path.join(ROOT, "examples", "notebooks", "customer_success.ipynb")
# A cell run after the notebook's own (and dropped before rendering): the notebook's
# intervention effects as CSV, every float written exactly (17 significant digits).
PROBE = 'print(effects.reset_index().to_csv(index=False, float_format="%.17g"))'


@pytest.fixture(scope="module")
def executed():
    """The notebook executed, and the stdout of PROBE run in its kernel after it."""
    nb = nbformat.read(NB, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(PROBE))
    os.environ["CSM_DEMO_DATA"] = os.path.join(ROOT, "examples", "data", "demo")
    client = nbclient.NotebookClient(nb, timeout=300, kernel_name="python3",
                                     resources={"metadata": {"path": os.path.dirname(NB)}})
    client.execute()  # raises CellExecutionError on any failing cell
    probe = nb.cells.pop()
    return nb, "".join(o.get("text", "") for o in probe.outputs if o.get("name") == "stdout")


def test_notebook_runs_and_renders(executed, tmp_path):
    nb, _ = executed
    images = sum(1 for c in nb.cells if c.cell_type == "code"
                 for o in c.get("outputs", []) if "image/png" in o.get("data", {}))
    assert images >= 13, f"expected the 13 charts, got {images}"
    fx_cell = next(c for c in nb.cells if c.get("id") == "interventions-code")
    assert any("image/png" in o.get("data", {}) for o in fx_cell.outputs), \
        "the intervention effects section draws no chart"
    nbconvert = pytest.importorskip("nbconvert")
    html, _ = nbconvert.HTMLExporter().from_notebook_node(nb)
    assert "<img" in html and "MRR movements" in html and "Activity by lifecycle stage" in html
    assert "Intervention effects" in html
    out = os.environ.get("CSM_NOTEBOOK_HTML", str(tmp_path / "customer_success.html"))
    with open(out, "w") as f:
        f.write(html)


def test_intervention_effects_agree_with_cli(executed, report):  # noqa: F811
    """Every row and figure of the notebook's table is the CLI's (same panel, events,
    horizon 1 and confidence 0.95): counts exactly, figures to 1e-9 relative."""
    nb_rows = pd.read_csv(io.StringIO(executed[1])).set_index(["type", "measure"])
    cli_rows = {(r["type"], r["measure"]): r for r in section(report, "interventions")["rows"]}
    # the demo's four touch types (touches.csv), each with a score and an MRR row
    types = ["exec_call", "review", "success_plan", "training"]
    assert sorted(cli_rows) == sorted((t, m) for t in types for m in ("score", "mrr"))
    assert sorted(nb_rows.index) == sorted(cli_rows)
    for key, c in cli_rows.items():
        n = nb_rows.loc[key]
        for col in ("n_treated", "n_control", "unmatched"):
            assert int(n[col]) == c[col], (key, col)
        assert int(n["flag_bits"]) == c["flags"], key
        for col in ("treated_change", "control_change", "diff", "se", "t", "df", "p_value",
                    "ci_low", "ci_high", "confidence"):
            assert close(c[col], float(n[col])), (key, col, c[col], n[col])
    # the demo's documented training effect (scripts/make_demo_company.py: +10% active users
    # in the two usage months after a training touch) is the one score interval clear of 0
    clear = [t for t in types if cli_rows[(t, "score")]["ci_low"] > 0]
    assert clear == ["training"]
