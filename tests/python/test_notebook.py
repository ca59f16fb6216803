"""Execute examples/notebooks/customer_success.ipynb headless (nbclient) and fail on any
error; also render it to HTML with its plots (build/customer_success.html) so `make test`
checks that the rendering works.  Skipped only when nbclient/nbconvert are not installed
(they are in deps/debian-notebook.txt, which make test-python installs)."""
import os

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
NB = os.path.join(ROOT, "examples", "notebooks", "customer_success.ipynb")


def test_notebook_runs_and_renders(tmp_path):
    nb = nbformat.read(NB, as_version=4)
    os.environ["CSM_DEMO_DATA"] = os.path.join(ROOT, "examples", "data", "demo")
    client = nbclient.NotebookClient(nb, timeout=300, kernel_name="python3",
                                     resources={"metadata": {"path": os.path.dirname(NB)}})
    client.execute()  # raises CellExecutionError on any failing cell
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
