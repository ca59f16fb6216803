"""Python bindings of the band transitions (csmetrics/transitions.h).
Expected values: the hand-worked fixture of tests/test-transitions.c."""
import numpy as np
import pytest

import csmetrics as csm

M0, M1 = "2024-03", "2024-04"
ACC = [1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 8, 9]
MON = [M1, M0, M0, M1, M0, M1, M0, M1, M0, M1, M0, M1, M1, M0, "2024-01"]
BND = [2, 2, 2, 1, 1, 0, 1, 2, 0, 0, 0, -1, 1, 2, 0]


def test_matrix_and_summary():
    df = csm.band_transitions(ACC, MON, BND)
    m = df["accounts"].unstack()
    # rows: from -1, 0, 1, 2; columns: to -1, 0, 1, 2 (test-transitions.c)
    assert m.values.tolist() == [[0, 0, 1, 0], [1, 1, 0, 0], [0, 1, 0, 1], [1, 0, 1, 1]]
    assert df.loc[(2, 2), "row_share"] == pytest.approx(1 / 3)
    assert df.loc[(0, -1), "row_share"] == pytest.approx(0.5)
    s = df.attrs
    assert str(s["from_month"]) == M0 and str(s["to_month"]) == M1
    assert (s["banded"], s["stayed"], s["improved"], s["worsened"], s["entered"],
            s["left"]) == (5, 2, 1, 2, 1, 2)


def test_labels_and_options():
    # the same panel with text ids: the same matrix
    df = csm.band_transitions([f"acct-{a}" for a in ACC], MON, BND)
    assert df["accounts"].tolist() == csm.band_transitions(ACC, MON, BND)["accounts"].tolist()
    # 2024-01 -> 2024-04 with 4 bands: 25 cells; row 3 is empty (NaN shares)
    df = csm.band_transitions(ACC, MON, BND, from_month="2024-01", n_bands=4)
    assert len(df) == 25
    assert df.loc[(-1, 0), "accounts"] == 2
    assert np.isnan(df.loc[(3, 0), "row_share"])
    assert df.attrs["entered"] == 6 and df.attrs["left"] == 1
    t = csm.band_transitions(ACC, MON, BND, as_table=True)
    assert t.name == "transitions"


def test_errors():
    with pytest.raises(csm.DomainError):
        csm.band_transitions([1, 2], [M1, M1], [0, -2])
    with pytest.raises(csm.InvalidArgumentError):
        csm.band_transitions([1, 2], [M1, M1], [0])
