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


# Months as users write them (issue 13): the text forms are read as written, and every other form
# is an error naming the row, never a guess.  Month index = year*12 + month-1: 2024-01 -> 24288,
# 2025-01 -> 24300; day index of 2024-02-29 = 19723 (2024-01-01) + 31 + 28 = 19782.
def test_month_texts_are_read_as_written():
    texts = ["2024-01", "2024-02-29", "2024-03-31T23:59:59Z", "2024-04-01 08:00",
             "2024-05-31T23:30:00+02:00"]
    assert list(_arrays.month_index(texts)) == [24288, 24289, 24290, 24291, 24292]
    assert list(_arrays.month_index(pd.Series(texts, dtype=object))) == [
        24288, 24289, 24290, 24291, 24292]
    assert list(_arrays.month_index(np.array(["2024-01", "2024-01"]))) == [24288, 24288]
    assert list(_arrays.day_index(["2024-02-29", "2024-02-29T10:00"], "d")) == [19782, 19782]


@pytest.mark.parametrize("bad", ["2025", "01/02/2025", "2025-1", "2025-13", "2025-02-29",
                                 "Jan 2025", "2025-01-01x", ""])
def test_month_texts_in_other_forms_are_errors_with_the_row(bad):
    # "2025" and "01/02/2025" used to be read as 2025-01; 2025 is no leap year
    with pytest.raises(csm.InputTypeError) as ei:
        _arrays.month_index(["2024-12", bad], "period")
    assert isinstance(ei.value, ValueError)
    assert (ei.value.row, ei.value.field) == (1, "period") and repr(bad) in str(ei.value)


def test_date_texts_in_other_forms_are_errors_with_the_row():
    for bad in ["01/02/2025", "2025-01", "2025-02-30", "20250131"]:
        with pytest.raises(csm.InputTypeError) as ei:
            _arrays.day_index(["2024-12-31", bad], "start_day")
        assert (ei.value.row, ei.value.field) == (1, "start_day"), bad


def test_month_indices_only_in_the_years_1000_to_9999():
    # csm_month(1000, 1) = 12000, csm_month(9999, 12) = 119999: the bounds are months;
    # 202501 (YYYYMM: the year 16875 as an index) and 2025 (a year: the year 168) are not
    assert (_arrays.MONTH_MIN, _arrays.MONTH_MAX) == (12000, 119999)
    assert list(_arrays.month_index(np.array([12000, 119999]))) == [12000, 119999]
    for bad in (202501, 2025, 11999, 120000):
        with pytest.raises(csm.DomainError) as ei:
            _arrays.month_index(np.array([24300, bad]), "period")
        assert (ei.value.row, ei.value.field) == (1, "period"), bad
        assert f"{bad} is not a month index" in str(ei.value)
    # ints in an object column are numbers too (they used to become Periods of ordinal 24288,
    # the year 4024), and a missing one names its row
    assert list(_arrays.month_index(pd.Series([24288, 24289], dtype=object))) == [24288, 24289]
    with pytest.raises(csm.DomainError) as ei:
        _arrays.month_index(pd.Series([24288, None], dtype=object))
    assert ei.value.row == 1
    with pytest.raises(csm.DomainError) as ei:
        _arrays.month_index(pd.Series(["2024-01", None]))
    assert ei.value.row == 1 and "missing month" in str(ei.value)
    # a mix of texts and numbers: the row that is not a month text
    with pytest.raises(csm.InputTypeError) as ei:
        _arrays.month_index(["2024-01", 24289])
    assert ei.value.row == 1
    # days: csm_day(1000, 1, 1) = -354285 .. csm_day(9999, 12, 31) = 2932896
    assert (_arrays.DAY_MIN, _arrays.DAY_MAX) == (csm.day(1000, 1, 1), csm.day(9999, 12, 31))
    with pytest.raises(csm.DomainError) as ei:
        _arrays.day_index([0, 20250131], "end_day")
    assert (ei.value.row, ei.value.field) == (1, "end_day")


def test_ledger_rejects_a_yyyymm_period_with_its_row():
    with pytest.raises(csm.DomainError) as ei:
        csm.Ledger([1, 2], [24300, 202501], [10.0, 20.0])
    assert (ei.value.row, ei.value.field) == (1, "period")
    with pytest.raises(csm.InputTypeError) as ei:
        csm.Ledger.from_frame(pd.DataFrame({"customer_id": [1, 2], "month": ["2025-01", "2025"],
                                            "mrr": [10.0, 20.0]}))
    assert ei.value.row == 1
    lg = csm.Ledger([1], ["2025-01"], [10.0])
    with pytest.raises(csm.DomainError) as ei:
        lg.mrr(202501)
    assert ei.value.field == "month" and ei.value.row is None
    assert lg.mrr("2025-01-15") == 10.0 and lg.mrr(24300) == 10.0


def test_month_helpers_take_scalars_and_arrays():
    assert csm.month_index("2025-01") == 24300 and type(csm.month_index("2025-01")) is int
    assert csm.month_index(pd.Timestamp("2025-01-31")) == 24300
    assert csm.month_index(pd.Period("2025-01-05", freq="D")) == 24300
    assert csm.month_index(np.int64(24300)) == 24300
    with pytest.raises(csm.DomainError):
        csm.month_index(202501)
    with pytest.raises(csm.InputTypeError):
        csm.month_index("01/02/2025")
    assert csm.month_period(24300) == pd.Period("2025-01", freq="M")
    assert csm.month_period(np.int32(24301)) == pd.Period("2025-02", freq="M")
    assert csm.month_period(_csm.MONTH_NONE) is None
    assert list(csm.month_index(["2025-01", "2025-02"])) == [24300, 24301]
    assert list(csm.month_period([24300, 24301]).astype(str)) == ["2025-01", "2025-02"]
