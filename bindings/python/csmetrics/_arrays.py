"""Input conversion: any array-like to the exact 1-D, C-contiguous numpy
array the C library reads, converting at most once and never element by
element through Python objects.

* An ``ndarray`` that already has the right dtype and is C-contiguous is
  returned as is, so C reads the caller's own buffer (zero copy).
* A numpy-backed pandas Series or Index is viewed as its ndarray (no copy).
* Anything else is converted once with ``np.ascontiguousarray(x, dtype=...)``
  after vectorized checks that the conversion loses nothing: floats with a
  fractional part, NaN or infinity, or values out of the target type's range
  cannot become integers (DomainError naming the row and field); strings,
  objects and complex numbers cannot become numbers at all
  (InputTypeError).
"""

import numbers

import numpy as np
import pandas as pd

from . import _csm
from ._errors import DomainError, InputTypeError, InvalidArgumentError, _fail

# Month index (csm_month) of 1970-01, pandas' monthly Period ordinal 0.
_EPOCH_MONTH = _csm.month(1970, 1)


def _first_true(mask):
    return int(np.flatnonzero(mask)[0])


def _masked_to_numpy(x, dtype, field):
    """A pandas Series/Index/array with a nullable extension dtype (Int64,
    Float64, boolean) as a numpy array; missing values become NaN for float
    targets and are an error otherwise."""
    na = np.asarray(x.isna(), dtype=bool)
    if na.any():
        if dtype.kind == "f":
            return x.to_numpy(dtype=np.float64, na_value=np.nan)
        raise _fail(DomainError, "missing value", row=_first_true(na), field=field)
    return x.to_numpy(dtype=x.dtype.numpy_dtype)


def _to_numpy(x, dtype, field):
    """x as an ndarray without copying where that is possible."""
    if isinstance(x, np.ndarray):
        return x
    if isinstance(x, (pd.Series, pd.Index, pd.api.extensions.ExtensionArray)):
        if isinstance(x.dtype, pd.api.extensions.ExtensionDtype) and hasattr(
            x.dtype, "numpy_dtype"
        ):
            return _masked_to_numpy(x, dtype, field)
        return x.to_numpy()
    if isinstance(x, (str, bytes)):
        raise _fail(InputTypeError, f"expected an array of numbers, got {type(x).__name__}",
                    field=field)
    try:
        return np.asarray(x)
    except (TypeError, ValueError) as exc:
        raise _fail(InputTypeError, f"cannot make an array of {dtype}: {exc}",
                    field=field) from None


def as_array(x, dtype, field):
    """``x`` as a 1-D, C-contiguous ndarray of ``dtype`` (no copy when it
    already is one).  ``field`` names the input in error messages."""
    dtype = np.dtype(dtype)
    if (type(x) is np.ndarray and x.dtype == dtype and x.ndim == 1
            and x.flags.c_contiguous):
        return x
    a = _to_numpy(x, dtype, field)
    if a.ndim != 1:
        raise _fail(InvalidArgumentError,
                    f"expected a 1-D array, got {a.ndim} dimension(s) (shape {a.shape})",
                    field=field)
    if a.dtype == dtype:
        return np.ascontiguousarray(a)  # copies only a non-contiguous view
    src = a.dtype
    if src.kind not in "biuf":
        raise _fail(InputTypeError, f"cannot convert {src} values to {dtype}", field=field)
    if dtype.kind in "iu":
        if src.kind == "f":
            bad = ~np.isfinite(a)
            if bad.any():
                r = _first_true(bad)
                raise _fail(DomainError, f"{a[r]!r} is not a whole number", row=r, field=field)
            bad = a != np.trunc(a)
            if bad.any():
                r = _first_true(bad)
                raise _fail(DomainError,
                            f"{a[r]!r} is not a whole number (no silent rounding to {dtype})",
                            row=r, field=field)
        if not np.can_cast(src, dtype, casting="safe") and a.size:
            info = np.iinfo(dtype)
            bad = (a < info.min) | (a > info.max)
            if bad.any():
                r = _first_true(bad)
                raise _fail(DomainError,
                            f"{a[r]!r} is outside the range of {dtype} [{info.min}, {info.max}]",
                            row=r, field=field)
    elif dtype.kind == "f" and src.kind not in "biuf":
        raise _fail(InputTypeError, f"cannot convert {src} values to {dtype}", field=field)
    return np.ascontiguousarray(a, dtype=dtype)


def optional(x, dtype, field):
    """as_array, or None when x is None (C receives a NULL pointer: an
    optional input left out)."""
    return None if x is None else as_array(x, dtype, field)


def broadcast_array(x, dtype, field, n):
    """as_array, with a scalar repeated n times (np.full, vectorized)."""
    if np.ndim(x) == 0 and not isinstance(x, (pd.Series, pd.Index)):
        return as_array(np.full(n, x), dtype, field)
    return as_array(x, dtype, field)


def scalar(x, field):
    """A real number as a Python float (InputTypeError for strings and other
    non-numbers; NaN and infinities pass, for the C library to judge)."""
    if isinstance(x, (str, bytes)) or not isinstance(x, (numbers.Real, np.number)) or \
            isinstance(x, np.complexfloating):
        if hasattr(x, "__float__") and not isinstance(x, (str, bytes, complex, np.complexfloating)):
            return float(x)  # e.g. an LTVResult
        raise _fail(InputTypeError, f"expected a number, got {type(x).__name__} {x!r}",
                    field=field)
    return float(x)


def integer(x, field):
    """A whole number as a Python int within int32 (InvalidArgumentError
    otherwise)."""
    v = scalar(x, field)
    if not v.is_integer() or not -(2**31) <= v < 2**31:
        raise _fail(InvalidArgumentError, f"expected a whole number (int32), got {x!r}",
                    field=field)
    return int(v)


def _check_nat(ordinals, field):
    nat = ordinals == np.iinfo(np.int64).min
    if nat.any():
        raise _fail(DomainError, "missing date (NaT)", row=_first_true(nat), field=field)


def month_index(x, field="period"):
    """Month indices (int32, year*12 + month-1) from month indices, monthly
    (or any) pandas Periods, datetime64 values (the month containing each),
    or strings such as "2024-01"."""
    if isinstance(x, (pd.Series, pd.Index)) and isinstance(x.dtype, pd.PeriodDtype):
        arr = x.array if isinstance(x, pd.Series) else x
        ordinals = np.asarray(arr.asfreq("M").asi8)
        _check_nat(ordinals, field)
        return as_array(ordinals + _EPOCH_MONTH, np.int32, field)
    a = x.to_numpy() if isinstance(x, (pd.Series, pd.Index)) else x
    if isinstance(a, np.ndarray) and a.dtype.kind in "biuf":
        return as_array(x, np.int32, field)
    if not isinstance(a, np.ndarray):
        a = np.asarray(a)
    if a.dtype.kind == "M":
        ordinals = a.astype("datetime64[M]").astype(np.int64)
        _check_nat(ordinals, field)
        return as_array(ordinals + _EPOCH_MONTH, np.int32, field)
    if a.dtype.kind in "OUS":
        try:
            pi = pd.PeriodIndex(a.astype(object), freq="M")
        except (TypeError, ValueError) as exc:
            raise _fail(InputTypeError, f"cannot read months: {exc}", field=field) from None
        return month_index(pi, field)
    return as_array(a, np.int32, field)


def month_scalar(x, field="month"):
    """One month index from an int, a Period, a Timestamp/datetime/date or a
    string such as "2024-01"."""
    if x is None:
        return None
    if isinstance(x, (bool, np.bool_)):
        raise _fail(InputTypeError, "expected a month, got a bool", field=field)
    if isinstance(x, (int, np.integer)):
        if not -(2**31) <= int(x) < 2**31:
            raise _fail(DomainError, f"month index {x} out of int32 range", field=field)
        return int(x)
    if isinstance(x, float):
        raise _fail(InputTypeError, "expected a month index (int) or a Period, got a float",
                    field=field)
    try:
        p = x.asfreq("M") if isinstance(x, pd.Period) else pd.Period(x, freq="M")
    except (TypeError, ValueError) as exc:
        raise _fail(InputTypeError, f"cannot read a month from {x!r}: {exc}", field=field) from None
    return _csm.month(int(p.year), int(p.month))


def day_index(x, field):
    """Day indices (int32, days since 1970-01-01) from integers, datetime64
    values, dates, daily Periods or strings such as "2024-01-31"."""
    if isinstance(x, (pd.Series, pd.Index)) and isinstance(x.dtype, pd.PeriodDtype):
        arr = x.array if isinstance(x, pd.Series) else x
        ordinals = np.asarray(arr.asfreq("D").asi8)
        _check_nat(ordinals, field)
        return as_array(ordinals, np.int32, field)
    a = x.to_numpy() if isinstance(x, (pd.Series, pd.Index)) else x
    if isinstance(a, np.ndarray) and a.dtype.kind in "biuf":
        return as_array(x, np.int32, field)
    if not isinstance(a, np.ndarray):
        a = np.asarray(a)
    if a.dtype.kind in "OUS":
        try:
            a = pd.DatetimeIndex(a.astype(object)).to_numpy()
        except (TypeError, ValueError) as exc:
            raise _fail(InputTypeError, f"cannot read dates: {exc}", field=field) from None
    if a.dtype.kind == "M":
        days = a.astype("datetime64[D]").astype(np.int64)
        _check_nat(days, field)
        return as_array(days, np.int32, field)
    return as_array(a, np.int32, field)


def periods(months):
    """PeriodIndex (freq M) for an array of month indices; CSM_MONTH_NONE
    (INT32_MIN) becomes NaT."""
    m = np.asarray(months, dtype=np.int64)
    ordinals = np.where(m == _csm.MONTH_NONE, np.iinfo(np.int64).min,
                        m - _EPOCH_MONTH)
    if hasattr(pd.PeriodIndex, "from_ordinals"):  # pandas >= 2.2
        return pd.PeriodIndex.from_ordinals(ordinals, freq="M")
    return pd.PeriodIndex(ordinal=ordinals, freq="M")


def period(month):
    """pandas.Period (freq M) for one month index, or None for
    CSM_MONTH_NONE."""
    if month == _csm.MONTH_NONE:
        return None
    month = int(month)
    return pd.Period(year=_csm.month_year(month), month=_csm.month_month(month), freq="M")


def choice(value, table, field):
    """An enum option given by name (case-insensitive, '-' or '_') or by its
    integer value."""
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        if int(value) in table.values():
            return int(value)
    elif isinstance(value, str):
        key = value.strip().lower().replace("-", "_").replace(" ", "_")
        if key in table:
            return table[key]
    names = ", ".join(repr(k) for k in table)
    raise _fail(InvalidArgumentError, f"unknown value {value!r}; expected one of {names}",
                field=field)


def choice_array(values, table, field, n):
    """Per-row enum codes (uint8) from names or integers; a scalar applies to
    every row.  Vectorized: each distinct value is looked up once."""
    if np.ndim(values) == 0 and not isinstance(values, (pd.Series, pd.Index)):
        return np.full(n, choice(values, table, field), dtype=np.uint8)
    a = values.to_numpy() if isinstance(values, (pd.Series, pd.Index)) else np.asarray(values)
    if a.dtype.kind in "biuf":
        a = as_array(a, np.uint8, field)
        ok = np.isin(a, np.array(sorted(set(table.values())), dtype=np.uint8))
        if not ok.all():
            r = _first_true(~ok)
            raise _fail(InvalidArgumentError, f"unknown value {a[r]!r}", row=r, field=field)
        return a
    uniq, inverse = np.unique(a.astype(str), return_inverse=True)
    codes = np.empty(len(uniq), dtype=np.uint8)
    for i, u in enumerate(uniq):  # once per distinct name, not per row
        try:
            codes[i] = choice(u, table, field)
        except InvalidArgumentError:
            r = _first_true(inverse == i)
            raise _fail(InvalidArgumentError, f"unknown value {u!r}; expected one of "
                        + ", ".join(repr(k) for k in table), row=r, field=field) from None
    return np.ascontiguousarray(codes[inverse])
