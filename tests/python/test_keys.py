"""csmetrics._keys: any hashable ids to the library's dense ids and back.
Expected ids worked by hand from the rule "rank of the label's text in byte
order, numeric order when every label is an integer" (docs/metrics.md)."""
import numpy as np
import pandas as pd
import pytest

import csmetrics as csm
from csmetrics import _csm, _keys


def test_strings_byte_order_and_missing():
    # 'M' (0x4D) < 'c' (0x63): Mid-Market 0, cus_a 1, cus_b 2; None, NaN, "" missing
    k = _keys.encode(pd.Series(["cus_b", "cus_a", "Mid-Market", "cus_a", None, "", np.nan]),
                     "customer_id")
    assert k.ids.tolist() == [2, 1, 0, 1, -1, -1, -1]
    assert k.labels.tolist() == ["Mid-Market", "cus_a", "cus_b"]
    assert len(k) == 3


def test_row_order_does_not_change_ids():
    vals = ["9f1c-uuid", "0a2b-uuid", "cus_X", "0a2b-uuid"]
    a = _keys.encode(vals, "customer_id")
    b = _keys.encode(vals[::-1], "customer_id")
    assert dict(zip(vals, a.ids)) == dict(zip(vals[::-1], b.ids))
    assert a.labels.tolist() == ["0a2b-uuid", "9f1c-uuid", "cus_X"]


def test_integers_keep_numeric_order_and_objects():
    k = _keys.encode(np.array([10, 2, -3, 0]), "owner")
    assert k.ids.tolist() == [3, 2, 0, 1]
    assert k.labels.tolist() == [-3, 0, 2, 10]
    assert isinstance(k.labels[0], (int, np.integer))


def test_label_and_lookup():
    k = _keys.encode(["a", "b"], "segment")
    assert k.label([1, -1, _csm.code_all()], null_label="all").tolist() == ["b", "all", "all"]
    assert k.lookup(["b", None, "a"], "segment").tolist() == [1, -1, 0]
    with pytest.raises(csm.InvalidArgumentError, match="'c' is not a known segment"):
        k.lookup(["a", "c"], "segment")


def test_same_text_is_ambiguous():
    with pytest.raises(csm.InvalidArgumentError, match="same text"):
        _keys.encode([1, "1"], "customer_id")


def test_non_ascii_labels_round_trip():
    k = _keys.encode(["Zürich", "Ärzte", "Zurich"], "region")
    # UTF-8 bytes: 'Z' 0x5A < 0xC3 ('Ä'); "Zurich" < "Zürich" ('u' 0x75 < 0xC3)
    assert k.labels.tolist() == ["Zurich", "Zürich", "Ärzte"]
    assert k.ids.tolist() == [1, 2, 0]
