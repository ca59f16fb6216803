"""Subscription exports to the MRR ledger (csmetrics/subscriptions.h), as
``Ledger.from_subscriptions``.

Definitions: docs/metrics.md, "Subscription exports".  The rules (service
span from status, trial, cancellation; MRR of amount x quantity less
discounts over the billing interval; currencies converted month by month)
are the C library's; this module only turns a DataFrame's columns into the
C columns, reading status, kind, interval and currency names with the
library's parsers (csm_subscriptions_status_code, _kind_code, _unit_code,
_currency_code).
"""
import numpy as np
import pandas as pd

from . import _arrays, _csm, _ids
from ._errors import DomainError, Error, InputTypeError, InvalidArgumentError, _fail
from ._options import flag, options
from .ledger import PRORATIONS, Ledger, _ledger_opts

__all__ = ["SUBSCRIPTION_COLUMNS"]

#: The canonical column names of a subscription export, in order.
SUBSCRIPTION_COLUMNS = ("subscription_id", "customer_id", "status", "kind", "amount",
                        "currency", "interval", "interval_count", "quantity", "tax",
                        "discount_percent", "discount_amount", "trial_end", "start_date",
                        "canceled_at", "ended_at")
_REQUIRED = ("customer_id", "amount", "start_date")
# canonical name -> the C member it fills, where they differ
_MEMBER = {"interval": "interval_unit", "start_date": "start_day"}


def _blank(s):
    """Missing cells (None, NaN, NaT, empty or blank text) of a Series."""
    return s.isna().to_numpy() | s.astype(str).str.strip().eq("").to_numpy()


def _names(s, parse, field):
    """Codes of the names in Series s, each distinct name read once by the
    library's parser ``parse``; a missing cell is read as "" (the parser's
    default).  Integers are codes already."""
    if s.dtype.kind in "iu":
        return s.to_numpy()
    text = np.where(_blank(s), "", s.astype(str).str.strip().to_numpy())
    uniq, inverse = np.unique(text.astype(str), return_inverse=True)
    codes = []
    for i, u in enumerate(uniq):
        try:
            codes.append(parse(u))
        except Error as exc:
            row = int(np.flatnonzero(inverse == i)[0])
            raise _fail(type(exc), f"{exc.detail} ({u!r})", row=row, field=field) from None
    return np.asarray(codes)[inverse]


def _days(s, field):
    """Day indices (days since 1970-01-01) of a date column: datetime64,
    dates or "YYYY-MM-DD" text (a timestamp's date); missing cells (NaT,
    empty) are CSM_SUBSCRIPTIONS_DAY_NONE."""
    none = _csm.SUBSCRIPTIONS_DAY_NONE
    if s.dtype.kind in "iu":
        return _arrays.as_array(s, np.int32, field)
    blank = _blank(s)
    if s.dtype.kind == "M":
        d = s.dt.tz_localize(None) if getattr(s.dt, "tz", None) is not None else s
        days = d.to_numpy().astype("datetime64[D]").astype(np.int64)
    else:
        text = s.astype(str).str.strip().str.slice(0, 10).where(~blank, None)
        try:
            days = pd.to_datetime(text, format="%Y-%m-%d").to_numpy() \
                .astype("datetime64[D]").astype(np.int64)
        except (TypeError, ValueError):
            for r, v in enumerate(text):  # name the first bad cell
                try:
                    if v is not None:
                        pd.to_datetime(v, format="%Y-%m-%d")
                except (TypeError, ValueError):
                    raise _fail(InputTypeError, f"not a date (YYYY-MM-DD): {s.iloc[r]!r}",
                                row=r, field=field) from None
            raise
    days = np.where(blank, none, days)
    return _arrays.as_array(days, np.int32, field)


def _numbers(s, default, field):
    """A number column with missing cells at ``default``."""
    a = pd.to_numeric(s.where(~_blank(s), default), errors="coerce") \
        if s.dtype.kind not in "biuf" else s.fillna(default)
    if a.isna().any():
        r = int(np.flatnonzero(a.isna().to_numpy())[0])
        raise _fail(InputTypeError, f"not a number: {s.iloc[r]!r}", row=r, field=field)
    return a


def _currency(text):
    return _csm.subscriptions_currency_code(text)


def _from_subscriptions(cls, frame, mapping=None, rates=None, *, until=None,
                        reporting_currency=None, proration=None, include_trials=None,
                        apply_discounts=None, include_tax=None, free_is_active=None):
    """Build a ledger from a subscription-items export (one row per item,
    as billing systems export them), through csm_subscriptions_to_ledger.

    ``frame`` is a DataFrame with the canonical columns (SUBSCRIPTION_COLUMNS;
    ``mapping`` = {canonical: column of frame} for others): required
    ``customer_id``, ``amount`` (per interval, per unit) and
    ``start_date``; optional ``status`` (active, trialing, past_due,
    canceled, unpaid, paused, incomplete, incomplete_expired; default
    active), ``kind`` (recurring or licensed, one_time, metered or usage;
    default recurring: one-time and metered items are no MRR),
    ``currency`` (three letters, or integer codes),
    ``interval`` (day, week, month, year; default month),
    ``interval_count`` (default 1), ``quantity`` (default 1), ``tax``
    (tax and fees inside amount, per interval per unit; default 0),
    ``discount_percent``, ``discount_amount`` and the dates ``trial_end``,
    ``canceled_at``, ``ended_at`` (datetime64 or "YYYY-MM-DD" text, a
    timestamp's date is used; NaT or empty = none: an active subscription
    has no end).  ``subscription_id`` is not read.

    ``rates``: None (every row in one currency) or a DataFrame with columns
    ``month`` (YYYY-MM, Period...), ``currency`` and ``rate`` (reporting
    currency units per unit); rows in ``reporting_currency`` (three
    letters) need no rate, and a missing rate raises DomainError naming the
    currency and the month.  Options left at None take the C defaults
    (CSM_SUBSCRIPTIONS_OPTS_INIT): ``until`` (the last month of open-ended
    subscriptions; default the export's latest date's month),
    ``proration`` ("snapshot": month-end, or "daily"), ``include_trials``
    (False), ``apply_discounts`` (True), ``include_tax`` (False: the
    ``tax`` column is taken off amount), ``free_is_active`` as for Ledger.

    Errors: DomainError / InvalidArgumentError with the row (the frame's
    row position) and the C field (start_day, interval_unit ...),
    InputTypeError for unreadable cells, InvalidArgumentError for a missing
    column.

    Customer ids: an integer column is used as it is; any other values
    ("cus_N1a...", UUIDs) go through the library's key dictionary
    (csmetrics/keys.h), as in Ledger: every result shows the user's ids."""
    mapping = dict(mapping or {})
    unknown = set(mapping) - set(SUBSCRIPTION_COLUMNS)
    if unknown:
        raise _fail(InvalidArgumentError, "mapping names no canonical column: "
                    + ", ".join(sorted(unknown)), field="mapping")

    def col(name):
        actual = mapping.get(name, name)
        if actual in frame.columns:
            return frame[actual].reset_index(drop=True)
        if name in _REQUIRED:
            raise _fail(InvalidArgumentError, f"the frame has no column {actual!r}",
                        field=name)
        return None

    n = len(frame)
    # the user's ids: numbers as they are, any other values through the key
    # dictionary (labels back in every result, as Ledger's own)
    cust, keys = _ids.encode(col("customer_id"), "customer_id", np.int64)
    cols = {"customer_id": cust,
            "amount": _arrays.as_array(_numbers(col("amount"), np.nan, "amount"), np.float64,
                                       "amount")}
    s = col("status")
    if s is not None:
        cols["status"] = _arrays.as_array(_names(s, _csm.subscriptions_status_code, "status"),
                                          np.uint8, "status")
    s = col("kind")
    if s is not None:
        cols["kind"] = _arrays.as_array(_names(s, _csm.subscriptions_kind_code, "kind"),
                                        np.uint8, "kind")
    s = col("currency")
    if s is not None:
        cols["currency"] = _arrays.as_array(_names(s, _currency, "currency"), np.int32,
                                            "currency")
    s = col("interval")
    if s is not None:
        cols["interval_unit"] = _arrays.as_array(
            _names(s, _csm.subscriptions_unit_code, "interval_unit"), np.uint8, "interval_unit")
    for name, default, dtype in (("interval_count", 1, np.int32), ("quantity", 1, np.float64),
                                 ("tax", 0, np.float64),
                                 ("discount_percent", 0, np.float64),
                                 ("discount_amount", 0, np.float64)):
        s = col(name)
        if s is not None:
            cols[name] = _arrays.as_array(_numbers(s, default, name), dtype, name)
    for name in ("trial_end", "start_date", "canceled_at", "ended_at"):
        s = col(name)
        if s is not None:
            member = _MEMBER.get(name, name)
            cols[member] = _days(s, member)
    if any(len(v) != n for v in cols.values()):
        raise _fail(InvalidArgumentError, "columns of different lengths", field="frame")

    rcols = {}
    if rates is not None:
        for name in ("month", "currency", "rate"):
            if name not in rates.columns:
                raise _fail(InvalidArgumentError, f"the rates have no column {name!r}",
                            field=f"rates.{name}")
        r = rates.reset_index(drop=True)
        rcols = {"month": _arrays.month_index(r["month"], "rates.month"),
                 "currency": _arrays.as_array(_names(r["currency"], _currency,
                                                     "rates.currency"), np.int32,
                                              "rates.currency"),
                 "rate": _arrays.as_array(r["rate"], np.float64, "rates.rate")}
    o = options(_csm.subscriptions_opts,
                until_month=_arrays.month_scalar(until, "until"),
                reporting_currency=None if reporting_currency is None
                else _currency(reporting_currency),
                proration=None if proration is None
                else _arrays.choice(proration, PRORATIONS, "proration"),
                include_trials=flag(include_trials), apply_discounts=flag(apply_discounts),
                include_tax=flag(include_tax))
    ptr = _csm.py_subscriptions_to_ledger(cols, rcols, int(rates is not None), o,
                                          _ledger_opts(None, free_is_active))
    return cls._wrap(ptr, keys)


Ledger.from_subscriptions = classmethod(_from_subscriptions)
