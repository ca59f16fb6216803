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
import re

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


# Months and days as numbers are indices (csm_month: year*12 + month-1; csm_day: days since
# 1970-01-01) and are read only within the years 1000..9999.  Outside them a number is far more
# likely a month or date written as a number (202501, 2025, 20250131) than an index, and reading
# it as one would give a month in year 16875 or 168; such a number is an error naming its row.
YEAR_MIN, YEAR_MAX = 1000, 9999
MONTH_MIN, MONTH_MAX = _csm.month(YEAR_MIN, 1), _csm.month(YEAR_MAX, 12)
DAY_MIN, DAY_MAX = _csm.day(YEAR_MIN, 1, 1), _csm.day(YEAR_MAX, 12, 31)

# The text forms: "YYYY-MM" (months only), "YYYY-MM-DD", and "YYYY-MM-DD" followed by a time
# ("T" or a space, HH:MM[:SS[.fff]], an optional Z or UTC offset).  The month and day are the
# ones written; "2025", "01/02/2025", "2025-1" and "Jan 2025" are errors, never guesses.
_TIME = r"(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?)?"
_ISO_MONTH = re.compile(r"(\d{4})-(\d{2})(?:-(\d{2})" + _TIME + r")?\Z")
_ISO_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})" + _TIME + r"\Z")


def _check_index_range(a, lo, hi, field, what):
    """Whole-number month or day indices: an error naming the first row
    outside [lo, hi] (the years YEAR_MIN..YEAR_MAX)."""
    bad = (a < lo) | (a > hi)
    if bad.any():
        r = _first_true(bad)
        example = ('20250131 is not "2025-01-31"' if what == "day"
                   else '202501 is not "2025-01"')
        raise _fail(DomainError, f"{a[r]!r} is not a {what} index of the years {YEAR_MIN}.."
                    f"{YEAR_MAX} ({lo}..{hi}); write months as \"YYYY-MM\" and dates as "
                    f"\"YYYY-MM-DD\" ({example})", row=r, field=field)


def _from_text(a, field, day):
    """Month indices (day False) or day indices (day True) of an array of
    texts in the forms above, each distinct text read once; a missing value
    (None, NaN) or any other text is an error naming its row."""
    codes, uniq = pd.factorize(np.asarray(a, dtype=object), sort=False)
    if (codes < 0).any():
        raise _fail(DomainError, "missing " + ("date" if day else "month"),
                    row=_first_true(codes < 0), field=field)
    pattern = _ISO_DAY if day else _ISO_MONTH
    n = len(uniq)
    ymd = np.zeros((n, 3), dtype=np.int64)
    ok = np.zeros(n, dtype=bool)
    for j, u in enumerate(uniq):  # once per distinct text, not per row
        m = pattern.match(u) if isinstance(u, str) else None
        if m:
            ymd[j] = (int(m.group(1)), int(m.group(2)), int(m.group(3) or 1))
            ok[j] = True
    y, mo, d = ymd[:, 0], ymd[:, 1], ymd[:, 2]
    # months 1..12; days 1..the month's length (numpy's calendar: proleptic Gregorian)
    first = (y - 1970) * 12 + (mo - 1)
    length = ((first + 1).astype("datetime64[M]").astype("datetime64[D]")
              - first.astype("datetime64[M]").astype("datetime64[D]")).astype(np.int64)
    ok &= (mo >= 1) & (mo <= 12) & (d >= 1) & (d <= length)
    if not ok.all():
        j = _first_true(~ok)
        forms = '"YYYY-MM-DD"' if day else '"YYYY-MM" or "YYYY-MM-DD"'
        raise _fail(InputTypeError, f"{uniq[j]!r} is not a {'date' if day else 'month'}: "
                    f"expected {forms} (or a datetime, a Period or a "
                    f"{'day' if day else 'month'} index)",
                    row=_first_true(codes == j), field=field)
    if day:
        idx = first.astype("datetime64[M]").astype("datetime64[D]").astype(np.int64) + d - 1
    else:
        idx = first + _EPOCH_MONTH
    return np.ascontiguousarray(idx[codes], dtype=np.int32)


def _object_kind(a):
    """How an object array is read: "text" (strings, with None/NaN for
    missing values, or a mix the text reader rejects row by row),
    "number" or "date" (datetimes, dates, Timestamps, Periods)."""
    kind = pd.api.types.infer_dtype(a, skipna=True)
    if kind in ("integer", "floating", "mixed-integer-float", "decimal", "boolean"):
        return "number"
    if kind in ("datetime", "datetime64", "date", "period"):
        return "date"
    return "text"


def _object_dates(a, field, freq):
    """An object array of Periods (a PeriodIndex of freq ``freq``) or of
    datetimes, dates and Timestamps (a DatetimeIndex); a missing value is an
    error naming its row."""
    na = pd.isna(a)
    if na.any():
        raise _fail(DomainError, "missing date (NaT)", row=_first_true(na), field=field)
    if pd.api.types.infer_dtype(a, skipna=True) == "period":
        return pd.PeriodIndex([p.asfreq(freq) for p in a], freq=freq)
    return pd.DatetimeIndex(a)


def _from_numbers(a, field, lo, hi, what):
    na = pd.isna(a)
    if na.any():
        raise _fail(DomainError, f"missing {what}", row=_first_true(na), field=field)
    if a.dtype.kind == "O":
        a = pd.to_numeric(a)
    idx = as_array(a, np.int32, field)
    _check_index_range(idx, lo, hi, field, what)
    return idx


def _calendar_index(x, field, unit):
    """Month indices (unit "M") or day indices (unit "D") of x: the rules
    month_index and day_index document."""
    lo, hi, what, offset = ((MONTH_MIN, MONTH_MAX, "month", _EPOCH_MONTH) if unit == "M"
                            else (DAY_MIN, DAY_MAX, "day", 0))
    if isinstance(x, (pd.Series, pd.Index)) and isinstance(x.dtype, pd.PeriodDtype):
        arr = x.array if isinstance(x, pd.Series) else x
        ordinals = np.asarray(arr.asfreq(unit).asi8)
        _check_nat(ordinals, field)
        return as_array(ordinals + offset, np.int32, field)
    a = x.to_numpy() if isinstance(x, (pd.Series, pd.Index)) else x
    if not isinstance(a, np.ndarray):
        a = np.asarray(a, dtype=object) if isinstance(a, (list, tuple)) else np.asarray(a)
    if a.ndim != 1:
        return as_array(a, np.int32, field)  # the shape error
    if a.dtype.kind == "O":
        kind = _object_kind(a)
        if kind == "date":
            return _calendar_index(_object_dates(a, field, unit), field, unit)
        if kind == "text":
            return _from_text(a, field, day=unit == "D")
    if a.dtype.kind in "biufO":
        return _from_numbers(a, field, lo, hi, what)
    if a.dtype.kind == "M":
        ordinals = a.astype(f"datetime64[{unit}]").astype(np.int64)
        _check_nat(ordinals, field)
        return as_array(ordinals + offset, np.int32, field)
    if a.dtype.kind in "US":
        return _from_text(a.astype(str), field, day=unit == "D")
    return as_array(a, np.int32, field)


def month_index(x, field="period"):
    """Month indices (int32, year*12 + month-1) from monthly (or any) pandas
    Periods, datetime64 values, Timestamps, datetimes and dates (the month
    containing each), texts "YYYY-MM", "YYYY-MM-DD" (or "YYYY-MM-DD" and a
    time), or month indices of the years 1000..9999 (MONTH_MIN..MONTH_MAX).
    Anything else -- "2025", "01/02/2025", 202501 -- is an error naming the
    row and field (InputTypeError or DomainError, both ValueErrors)."""
    return _calendar_index(x, field, "M")


def month_scalar(x, field="month"):
    """One month index from an int (a month index of the years
    1000..9999), a Period, a Timestamp/datetime/date/datetime64 or a text
    "YYYY-MM" / "YYYY-MM-DD"; None stays None."""
    if x is None:
        return None
    if isinstance(x, (bool, np.bool_)):
        raise _fail(InputTypeError, "expected a month, got a bool", field=field)
    if isinstance(x, float):
        raise _fail(InputTypeError, "expected a month index (int) or a Period, got a float",
                    field=field)
    if isinstance(x, pd.Period):
        p = x.asfreq("M")
        return _csm.month(int(p.year), int(p.month))
    if isinstance(x, (int, np.integer)):
        if not -(2**31) <= int(x) < 2**31:
            raise _fail(DomainError, f"month index {x} out of int32 range", field=field)
        x = np.asarray([x], dtype=np.int64)
    elif isinstance(x, str):
        x = np.asarray([x], dtype=object)
    elif isinstance(x, np.datetime64):
        x = np.asarray([x])
    else:
        try:
            p = pd.Period(x, freq="M")  # datetime, date, Timestamp
        except (TypeError, ValueError) as exc:
            raise _fail(InputTypeError, f"cannot read a month from {x!r}: {exc}",
                        field=field) from None
        return _csm.month(int(p.year), int(p.month))
    try:
        return int(month_index(x, field)[0])
    except (DomainError, InputTypeError) as exc:  # one value: no row to name
        raise _fail(type(exc), exc.detail, field=field) from None


def day_index(x, field):
    """Day indices (int32, days since 1970-01-01) from datetime64 values,
    Timestamps, datetimes and dates, daily Periods, texts "YYYY-MM-DD" (or
    with a time after it), or day indices of the years 1000..9999
    (DAY_MIN..DAY_MAX).  "01/02/2025" and other forms are errors naming the
    row and field."""
    return _calendar_index(x, field, "D")


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
