"""Shared fixtures of the Python binding tests.

Run with the build tree's package on PYTHONPATH: `make test-python`, i.e.
`meson devenv -C build /usr/bin/python3 -m pytest tests/python`.
"""
import numpy as np
import pytest

try:
    import csmetrics  # noqa: F401
except ImportError as exc:  # pragma: no cover - a setup problem, not a test
    raise pytest.UsageError(
        f"cannot import csmetrics ({exc}); build the bindings (meson option "
        "python, needs swig, python3-dev, python3-numpy) and run through "
        "`meson devenv -C build` or `make test-python`") from None

# The hand-worked ledger of tests/test-ledger.c (months M0..M5 =
# 2024-01..2024-06), segments 1 and 2:
#
#   cust seg   M0   M1   M2   M3   M4   M5
#   A=1   1   100  100  150  150  120  120   expansion M2, contraction M4
#   B=2   1   200  200    -    -    -    -   churn M2
#   C=3   2     -   50   50    -   80   80   new M1, churn M3, back M4 (away 1)
#   D=4   2   300    -    -    -  300  300   churn M1, back M4 (away 3)
#   E=5  1/2  100  100  100  100  100  100   M0 given as two rows 40 + 60;
#                                           segment 1 until M2, 2 from M3
#   F=6   2     -    -    -   90   90   90   new M3
#
#   total MRR: M0 700, M1 450, M2 300, M3 340, M4 690, M5 690
#   customers: M0 4,   M1 4,   M2 3,   M3 3,   M4 5,   M5 5
M0 = 2024 * 12 + 0  # month index of 2024-01 = year*12 + month-1 = 24288

FX_CUST = [1, 1, 1, 1, 1, 1, 2, 2, 3, 3, 3, 3, 4, 4, 4, 5, 5, 5, 5, 5, 5, 5, 6, 6, 6]
FX_MONTH = [0, 1, 2, 3, 4, 5, 0, 1, 1, 2, 4, 5, 0, 4, 5, 0, 0, 1, 2, 3, 4, 5, 3, 4, 5]
FX_MRR = [100, 100, 150, 150, 120, 120, 200, 200, 50, 50, 80, 80, 300, 300, 300,
          40, 60, 100, 100, 100, 100, 100, 90, 90, 90]
FX_SEG = [1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2]


@pytest.fixture
def fx():
    """The fixture rows as exact-dtype numpy arrays."""
    return {
        "customer_id": np.array(FX_CUST, dtype=np.int64),
        "period": np.array(FX_MONTH, dtype=np.int32) + M0,
        "mrr": np.array(FX_MRR, dtype=np.float64),
        "segment": np.array(FX_SEG, dtype=np.int32),
    }


@pytest.fixture
def ledger(fx):
    import csmetrics as csm
    return csm.Ledger(fx["customer_id"], fx["period"], fx["mrr"], fx["segment"])


# The same rows without segments, as (customer, month offset, mrr) triples: the
# ledger of the unit-economics and projection-input tests.
ROWS = list(zip(FX_CUST, FX_MONTH, FX_MRR))


@pytest.fixture
def plain_ledger():
    """The fixture ledger without segments."""
    import csmetrics as csm
    c, m, v = zip(*ROWS)
    return csm.Ledger(c, [M0 + x for x in m], v)


@pytest.fixture
def wide_mrr():
    """customers x months MRR (0 = inactive), with pandas only."""
    import pandas as pd
    df = pd.DataFrame(ROWS, columns=["c", "m", "v"])
    return df.pivot_table(index="c", columns="m", values="v", aggfunc="sum", fill_value=0)
