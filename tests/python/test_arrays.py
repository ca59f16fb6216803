"""Input conversion: zero copy for exact arrays, one conversion otherwise,
clear errors for impossible conversions."""
import numpy as np
import pandas as pd
import pytest

import csmetrics as csm
from csmetrics import _arrays, _csm


def address(a):
    return a.__array_interface__["data"][0]


@pytest.mark.parametrize("dtype,shim", [
    (np.int8, _csm.py_address_int8),
    (np.uint8, _csm.py_address_uint8),
    (np.int32, _csm.py_address_int32),
    (np.int64, _csm.py_address_int64),
    (np.float64, _csm.py_address_float64),
])
def test_exact_arrays_reach_c_without_a_copy(dtype, shim):
    a = np.arange(10, dtype=dtype)
    b = _arrays.as_array(a, dtype, "x")
    assert b is a  # the Python layer passes the caller's array
    assert shim(b) == address(a)  # and C reads the caller's buffer


def test_pandas_series_is_viewed_not_copied():
    s = pd.Series(np.arange(5, dtype=np.float64))
    b = _arrays.as_array(s, np.float64, "x")
    assert np.shares_memory(b, s.to_numpy())
    assert _csm.py_address_float64(b) == address(s.to_numpy())


def test_ledger_passes_exact_arrays_through(monkeypatch, fx):
    seen = {}
    real = _csm.py_ledger_new

    def spy(cust, per, mrr, seg, opts):
        seen.update(cust=cust, per=per, mrr=mrr, seg=seg)
        return real(cust, per, mrr, seg, opts)

    monkeypatch.setattr(_csm, "py_ledger_new", spy)
    csm.Ledger(fx["customer_id"], fx["period"], fx["mrr"], fx["segment"])
    assert seen["cust"] is fx["customer_id"]
    assert seen["per"] is fx["period"]
    assert seen["mrr"] is fx["mrr"]
    assert seen["seg"] is fx["segment"]


def test_non_contiguous_is_copied_once():
    a = np.arange(20, dtype=np.float64)[::2]
    assert not a.flags.c_contiguous
    b = _arrays.as_array(a, np.float64, "x")
    assert b.flags.c_contiguous and not np.shares_memory(a, b)
    np.testing.assert_array_equal(a, b)


def test_wrong_dtype_is_converted():
    b = _arrays.as_array(np.array([1, 2, 3], dtype=np.int16), np.float64, "x")
    assert b.dtype == np.float64 and list(b) == [1.0, 2.0, 3.0]
    b = _arrays.as_array([9, 10, 0], np.int8, "scores")
    assert b.dtype == np.int8 and list(b) == [9, 10, 0]
    # whole floats are fine for an integer array
    b = _arrays.as_array(np.array([9.0, 10.0]), np.int8, "scores")
    assert list(b) == [9, 10]
    # non-native byte order is converted
    b = _arrays.as_array(np.array([1.5], dtype=">f8"), np.float64, "x")
    assert b.dtype == np.dtype("=f8") and b[0] == 1.5
    # bool is a number
    assert list(_arrays.as_array([True, False], np.uint8, "x")) == [1, 0]


def test_fractions_nan_and_range_are_errors_not_rounding():
    with pytest.raises(csm.DomainError) as ei:
        _arrays.as_array([9.0, 7.5], np.int8, "scores")
    assert (ei.value.row, ei.value.field) == (1, "scores")
    assert str(ei.value).startswith("EDOMAIN: row 1, field 'scores': 7.5 is not a whole number")
    with pytest.raises(csm.DomainError) as ei:
        _arrays.as_array([np.nan], np.int8, "scores")
    assert ei.value.row == 0
    with pytest.raises(csm.DomainError) as ei:
        _arrays.as_array(np.array([1, 300]), np.int8, "scores")  # int8 max 127
    assert ei.value.row == 1 and "outside the range" in str(ei.value)
    with pytest.raises(csm.DomainError):
        _arrays.as_array(np.array([2**40], dtype=np.int64), np.int32, "period")
    with pytest.raises(csm.DomainError):
        _arrays.as_array(np.array([-1]), np.uint8, "x")


def test_strings_objects_and_complex_are_type_errors():
    for bad in (["a", "b"], np.array(["9"]), [1, None], np.array([1j]), "abc"):
        with pytest.raises(csm.InputTypeError) as ei:
            _arrays.as_array(bad, np.float64, "mrr")
        assert isinstance(ei.value, TypeError) and isinstance(ei.value, ValueError)
        assert ei.value.field == "mrr"


def test_shape_errors():
    with pytest.raises(csm.InvalidArgumentError, match="1-D"):
        _arrays.as_array(np.zeros((2, 2)), np.float64, "mrr")
    with pytest.raises(csm.InvalidArgumentError, match="1-D"):
        _arrays.as_array(5.0, np.float64, "mrr")


def test_nullable_pandas():
    s = pd.Series([1, 2, None], dtype="Int64")
    with pytest.raises(csm.DomainError) as ei:
        _arrays.as_array(s, np.int64, "customer_id")
    assert ei.value.row == 2 and "missing" in str(ei.value)
    # a missing float is NaN, which the C library rejects with its row
    f = _arrays.as_array(pd.Series([1.0, None], dtype="Float64"), np.float64, "mrr")
    assert np.isnan(f[1])
    assert list(_arrays.as_array(pd.Series([1, 2], dtype="Int64"), np.int64, "c")) == [1, 2]


def test_month_index_inputs():
    # 2024-01 -> 2024*12 + 0 = 24288, 2024-02 -> 24289
    want = [24288, 24289]
    assert list(_arrays.month_index(pd.PeriodIndex(["2024-01", "2024-02"], freq="M"))) == want
    assert list(_arrays.month_index(pd.Series(pd.PeriodIndex(["2024-01", "2024-02"],
                                                             freq="M")))) == want
    assert list(_arrays.month_index(pd.to_datetime(["2024-01-31", "2024-02-01"]))) == want
    assert list(_arrays.month_index(np.array(["2024-01-15", "2024-02-29"],
                                             dtype="datetime64[D]"))) == want
    assert list(_arrays.month_index(["2024-01", "2024-02"])) == want
    assert list(_arrays.month_index(np.array(want, dtype=np.int64))) == want
    with pytest.raises(csm.DomainError):
        _arrays.month_index(pd.to_datetime(["2024-01-01", None]))
    with pytest.raises(csm.InputTypeError):
        _arrays.month_index(["not a month"])
    assert _arrays.month_scalar("2024-02") == 24289
    assert _arrays.month_scalar(pd.Period("2024-02-10", freq="D")) == 24289
    with pytest.raises(csm.InputTypeError):
        _arrays.month_scalar(2024.5)


def test_day_index_inputs():
    # 2024-01-01 is day 19723 (54*365 + 13 leap days since 1970-01-01)
    assert list(_arrays.day_index(["2024-01-01", "2024-01-02"], "d")) == [19723, 19724]
    assert list(_arrays.day_index(pd.Series(pd.to_datetime(["2024-01-01"])), "d")) == [19723]
    assert list(_arrays.day_index(np.array([0, 5]), "d")) == [0, 5]


def test_choice_arrays():
    table = {"month": 0, "year": 1}
    assert list(_arrays.choice_array(["year", "Month", "year"], table, "unit", 3)) == [1, 0, 1]
    assert list(_arrays.choice_array("year", table, "unit", 2)) == [1, 1]
    assert list(_arrays.choice_array([0, 1], table, "unit", 2)) == [0, 1]
    with pytest.raises(csm.InvalidArgumentError) as ei:
        _arrays.choice_array(["month", "fortnight"], table, "unit", 2)
    assert ei.value.row == 1 and ei.value.field == "unit"
    with pytest.raises(csm.InvalidArgumentError):
        _arrays.choice_array([0, 7], table, "unit", 2)
