"""The MRR ledger and the tables computed from it: MRR movements, rolling
revenue and logo retention, and cohort matrices (csmetrics/ledger.h).

Definitions: docs/metrics.md ("MRR ledger", "Movements", "Retention",
"Cohorts", "Presets").  Months are pandas Periods (freq M) in results; in
inputs a month may be a Period, a datetime, a "YYYY-MM" or "YYYY-MM-DD"
string or a month index (year*12 + month-1) of the years 1000..9999;
other forms ("2025", "01/02/2025", 202501) are errors naming the row.

Every table comes from the library's self-describing results (see
csmetrics._table): ``movements()`` and ``retention()`` return DataFrames
whose numeric columns view the C result's memory (no copy), ``cohorts()``
the cohort x age matrix reshaped from the long table "cohort_cells"
(no copy either), and ``as_table=True`` the csmetrics.Table itself, which
offers the Arrow PyCapsule interface (``__arrow_c_schema__``,
``__arrow_c_array__``, ``__arrow_c_stream__``).

The other families that read a ledger add their methods to Ledger in
their own modules: ``lifetimes`` (survival.py), ``team`` (team.py),
``ltv`` and ``unit_economics`` (ltv.py), ``project_inputs``
(projection.py).

Options left at None take the C library's defaults (the option structs'
``csm_<x>_opts_init``; see csmetrics._options).
"""

import os
import threading
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd

from . import _arrays, _csm, _ids, _table
from ._errors import InvalidArgumentError, _fail
from ._options import choices, flag, options, set_fields
from .partial import Partial, cohorts_field, cohorts_matrix

__all__ = ["Ledger", "PRESETS", "CHURN_DENOMINATORS", "NRR_MODES"]

PRESETS = choices("PRESET_")
CHURN_DENOMINATORS = choices("DENOM_")
NRR_MODES = choices("NRR_")
INTERVAL_UNITS = choices("UNIT_")
CHARGE_KINDS = choices("CHARGE_")
PRORATIONS = choices("PRORATION_")
DISCOUNT_MODES = choices("DISCOUNT_")


def _ledger_opts(strict, free_is_active):
    return options(_csm.ledger_opts, strict=flag(strict), free_is_active=flag(free_is_active))


def _movements_opts(by_segment, preset, reactivation_window, tolerance, count_intra_period,
                    churn_denominator, first_month, last_month):
    """csm_movements_opts from Ledger.movements' (and movement_events')
    arguments: the preset first, then the options given (None = keep)."""
    o = _csm.movements_opts()
    if preset is not None:
        _csm.movements_opts_preset(o, _arrays.choice(preset, PRESETS, "preset"))
    set_fields(
        o,
        reactivation_window=None if reactivation_window is None else
        _arrays.integer(reactivation_window, "reactivation_window"),
        tolerance=None if tolerance is None else _arrays.scalar(tolerance, "tolerance"),
        count_intra_period=flag(count_intra_period),
        churn_denominator=None if churn_denominator is None else
        _arrays.choice(churn_denominator, CHURN_DENOMINATORS, "churn_denominator"),
        by_segment=flag(by_segment),
        first_month=_arrays.month_scalar(first_month, "first_month"),
        last_month=_arrays.month_scalar(last_month, "last_month"))
    return o


def _retention_opts(window, by_segment, nrr_mode, preset, first_month, last_month):
    """csm_retention_opts from Ledger.retention's (and
    retention_customers') arguments, as _movements_opts."""
    o = _csm.retention_opts()
    if preset is not None:
        _csm.retention_opts_preset(o, _arrays.choice(preset, PRESETS, "preset"))
    set_fields(
        o,
        nrr_mode=None if nrr_mode is None else
        _arrays.choice(nrr_mode, NRR_MODES, "nrr_mode"),
        window=None if window is None else _arrays.integer(window, "window"),
        by_segment=flag(by_segment),
        first_month=_arrays.month_scalar(first_month, "first_month"),
        last_month=_arrays.month_scalar(last_month, "last_month"))
    return o


def _n_jobs(n_jobs, default=1):
    """Threads of an ``n_jobs`` argument: None = default, -1 = every core
    (os.cpu_count()), else a positive integer (at most 256)."""
    if n_jobs is None:
        return default
    n = _arrays.integer(n_jobs, "n_jobs")
    if n == -1:
        return min(os.cpu_count() or 1, 256)
    if n < 1 or n > 256:
        raise _fail(InvalidArgumentError, "n_jobs must be -1 or in 1..256", field="n_jobs")
    return n


def _build_parts(cust, per, m, seg, opts, n_parts):
    """The ledgers of n_parts customer partitions of the rows, built on
    n_parts threads (C calls with the GIL released): the row indices are
    dealt to the partitions by a hash of the customer id (every row of a
    customer in one partition; 4 bytes a row), each thread counting and
    then dealing its own range of the rows (csm_ledger_partition_count,
    csm_ledger_partition_deal); then each thread builds its partition's
    ledger from its own rows of the caller's columns, read in place
    (csm_ledger_new_rows)."""
    n = len(cust)
    rows = np.empty(n, np.uint32)
    bounds = [n * t // n_parts for t in range(n_parts + 1)]
    ranges = list(zip(bounds[:-1], bounds[1:]))

    def count(r):
        c = np.empty(n_parts, np.int64)
        _csm.py_ledger_partition_count(c, cust[r[0]:r[1]])
        return c

    def deal(rn):
        (lo, hi), nxt = rn
        _csm.py_ledger_partition_deal(rows, nxt, cust[lo:hi], lo)

    with ThreadPoolExecutor(n_parts) as pool:
        counts = np.array(list(pool.map(count, ranges)))  # range x partition
        # range t's first slot of partition k: the rows of partitions < k,
        # then those of partition k in ranges < t
        offsets = np.concatenate(([0], np.cumsum(counts.sum(axis=0))))
        starts = offsets[:-1] + np.cumsum(counts, axis=0) - counts
        list(pool.map(deal, zip(ranges, starts)))
        return list(pool.map(
            lambda k: _csm.py_ledger_new_rows(cust, per, m, seg, rows[offsets[k]:offsets[k + 1]],
                                              opts),
            range(n_parts)))


class Ledger:
    """An MRR ledger: MRR per customer and month, validated, sorted and with
    duplicate (customer, month) rows summed (or rejected with ``strict``).

    ``Ledger(customer_id, period, mrr, segment=None, strict=None,
    free_is_active=None, n_jobs=None)``

    * ``customer_id`` -- int64 customer ids, one per row.
    * ``period`` -- the month of each row: a PeriodIndex / Period Series,
      datetime64 values or Timestamps (the month containing each),
      "YYYY-MM" or "YYYY-MM-DD" strings, or month indices (int32, year*12 +
      month-1) of the years 1000..9999; any other form ("2025",
      "01/02/2025", 202501) raises an error naming the row.
    * ``mrr`` -- MRR of the row, >= 0 and finite (currency units per month).
    * ``segment`` -- optional int32 segment ids (default: every row in
      segment 0).
    * ``strict`` -- duplicate (customer, month) rows raise DuplicateError
      instead of being summed (default, None: summed).
    * ``free_is_active`` -- a row with MRR 0 is an active customer paying $0
      (default, None: not active).
    * ``n_jobs`` -- build the ledger as that many customer partitions
      (rows dealt by a hash of the customer id) on as many threads (-1:
      one per core; None or 1: one ledger).  ``movements``,
      ``retention`` and ``cohorts`` then compute on the partitions in
      parallel and merge
      (docs/scaling.md); other
      computations build the ledger of all the rows once, the first time
      one needs it (the input arrays are kept until then).

    Inputs may be numpy arrays, pandas Series or sequences.  Arrays of the
    exact dtypes (int64, int32, float64, int32) that are C-contiguous are read
    in place; others are converted once.  Rows may come in any order.

    Errors: InvalidArgumentError (arrays of different lengths), DomainError
    (negative or non-finite MRR: the message names the row and field),
    DuplicateError (strict mode), InputTypeError (e.g. strings as MRR).

    A ledger is immutable; its methods may run from several threads at once
    (the GIL is released while C computes).
    """

    # A ledger built with n_jobs > 1 holds the ledgers of its customer
    # partitions (_parts) and builds the ledger of all the rows (_whole) the
    # first time a computation without a partitioned path needs it.
    _parts = None
    _rows = None
    _whole = None

    def __init__(self, customer_id, period, mrr, segment=None, strict=None,
                 free_is_active=None, n_jobs=None):
        cust, cust_keys = _ids.encode(customer_id, "customer_id", np.int64)
        per = _arrays.month_index(period, "period")
        m = _arrays.as_array(mrr, np.float64, "mrr")
        seg, seg_keys = _ids.encode(segment, "segment", np.int32)
        opts = _ledger_opts(strict, free_is_active)
        self._customers = cust_keys
        self._labels = _ids.label_keys(customer_id=cust_keys, segment=seg_keys)
        jobs = _n_jobs(n_jobs)
        n = len(cust)
        if jobs > 1 and len(per) == n and len(m) == n and (seg is None or len(seg) == n):
            try:
                self._parts = _build_parts(cust, per, m, seg, opts, jobs)
            except Exception:
                self._parts = None  # the one-shot build below names the row
            else:
                self._rows = (cust, per, m, seg, opts)
                self._lock = threading.Lock()
                return
        self._ptr = _csm.py_ledger_new(cust, per, m, seg, opts)

    @property
    def _ptr(self):
        # the ledger of all the rows (built now if partitioned and not yet)
        if self._whole is None and self._rows is not None:
            with self._lock:
                if self._whole is None:
                    self._whole = _csm.py_ledger_new(*self._rows)
                    self._rows = None
        return self._whole

    @_ptr.setter
    def _ptr(self, ptr):
        self._whole = ptr

    @property
    def n_partitions(self):
        """Customer partitions the ledger holds (1 unless built with
        ``n_jobs`` > 1)."""
        return 1 if self._parts is None else len(self._parts)

    def _each_part(self, fn, n_jobs):
        """fn(partition ledger) of every partition, on min(threads,
        partitions) threads."""
        with ThreadPoolExecutor(min(_n_jobs(n_jobs, len(self._parts)), len(self._parts))) as pool:
            return list(pool.map(fn, self._parts))

    def _merged_state(self, compute, o, n_jobs):
        """The merged partial state of every partition (compute: the
        family's csm_X_partial_compute), computed on the pool."""
        states = self._each_part(lambda p: compute(p, o), n_jobs)
        for st in states[1:]:
            _csm.partial_merge(states[0], st)
        return states[0]

    def _threaded(self, n_jobs):
        """Whether a call with this n_jobs runs on the partitions."""
        return self._parts is not None and _n_jobs(n_jobs, 2) > 1

    @classmethod
    def _wrap(cls, ptr, customers=None, segments=None):
        # customers, segments: the Keys of label ids (None for numbers)
        self = cls.__new__(cls)
        self._ptr = ptr
        self._customers = customers
        self._labels = _ids.label_keys(customer_id=customers, segment=segments)
        return self

    @classmethod
    def from_frame(cls, df, customer_id="customer_id", period=None, mrr="mrr",
                   segment=None, **kwargs):
        """Build a ledger from a DataFrame's columns.

        ``customer_id``, ``period``, ``mrr`` and ``segment`` name the columns
        (``period`` defaults to the column "period", or "month" when there is
        none; ``segment`` is optional).  Other keyword arguments are those of
        ``Ledger(...)`` (``strict``, ``free_is_active``)."""
        if period is None:
            period = "period" if "period" in df.columns else "month"
        for name in (customer_id, period, mrr) + ((segment,) if segment is not None else ()):
            if name not in df.columns:
                raise _fail(InvalidArgumentError, f"the DataFrame has no column {name!r}",
                            field=name)
        return cls(df[customer_id], df[period], df[mrr],
                   None if segment is None else df[segment], **kwargs)

    @classmethod
    def from_contracts(cls, customer_id, start_day, end_day, amount, interval_count=1,
                       interval_unit=None, discount=None, discount_recurring=None,
                       tax=None, kind=None, segment=None, *, proration=None,
                       discount_mode=None, include_tax=None, free_is_active=None):
        """Build a ledger from contracts, normalizing each to MRR.

        MRR = (amount - tax - discount) / months per billing interval, where
        an interval of ``interval_count`` units (default 1) is that many
        months (month, the default unit),
        12 x count (year), count x 12/52 (week) or count x 12/365 (day); tax
        is subtracted unless ``include_tax``; discounts per ``discount_mode``
        ("all", the default, "recurring" or "ignore"); "one_time" and
        "usage" charges (``kind``) are not MRR.  With
        ``proration="snapshot"`` (the default) a contract counts in each
        month it is active on the month's last day; "daily" prorates by
        active days.  Options left at None take the C defaults
        (CSM_CONTRACTS_OPTS_INIT).

        ``start_day`` and ``end_day`` (inclusive) are datetime64 values,
        dates, "YYYY-MM-DD" strings or days since 1970-01-01 of the years
        1000..9999 (other forms, e.g. "01/02/2025", raise naming the row).  ``interval_count``
        and ``interval_unit`` may be scalars (applied to every contract) or
        per-contract arrays; units and kinds may be names or the C enum
        values.  ``discount_recurring`` flags (1 = recurring) matter with
        ``discount_mode="recurring"``.

        Errors: DomainError with the row and field (end before start, a
        non-positive interval, negative or non-finite money),
        InvalidArgumentError (unknown unit or kind, arrays of different
        lengths).  Example: annual 1,200 from 2024-01-01 to 2024-12-31 gives
        MRR 100 in each month of 2024."""
        cust, cust_keys = _ids.encode(customer_id, "customer_id", np.int64)
        seg, seg_keys = _ids.encode(segment, "segment", np.int32)
        n = len(cust)
        contracts = {  # csm_contracts, a column per member (None: NULL)
            "customer_id": cust,
            "start_day": _arrays.day_index(start_day, "start_day"),
            "end_day": _arrays.day_index(end_day, "end_day"),
            "amount": _arrays.as_array(amount, np.float64, "amount"),
            "interval_count": _arrays.broadcast_array(interval_count, np.int32,
                                                      "interval_count", n),
            "interval_unit": None if interval_unit is None else
            _arrays.choice_array(interval_unit, INTERVAL_UNITS, "interval_unit", n),
            "discount": _arrays.optional(discount, np.float64, "discount"),
            "discount_recurring": None if discount_recurring is None else
            _arrays.broadcast_array(discount_recurring, np.uint8, "discount_recurring", n),
            "tax": _arrays.optional(tax, np.float64, "tax"),
            "kind": None if kind is None else
            _arrays.choice_array(kind, CHARGE_KINDS, "kind", n),
            "segment": seg,
        }
        copts = options(
            _csm.contracts_opts,
            proration=None if proration is None else
            _arrays.choice(proration, PRORATIONS, "proration"),
            discount_mode=None if discount_mode is None else
            _arrays.choice(discount_mode, DISCOUNT_MODES, "discount_mode"),
            include_tax=flag(include_tax))
        ptr = _csm.ledger_from_contracts(contracts, copts, _ledger_opts(None, free_is_active))
        return cls._wrap(ptr, cust_keys, seg_keys)

    # ---- size and range ---------------------------------------------------
    @property
    def customer_count(self):
        """Number of distinct customers."""
        if self._parts is not None:  # the partitions share no customer
            return sum(_csm.ledger_customer_count(p) for p in self._parts)
        return _csm.ledger_customer_count(self._ptr)

    @property
    def entry_count(self):
        """Number of (customer, month) entries after merging duplicates."""
        if self._parts is not None:
            return sum(_csm.ledger_entry_count(p) for p in self._parts)
        return _csm.ledger_entry_count(self._ptr)

    def _month_bound(self, fn, pick):
        if self._parts is None:
            return _arrays.period(fn(self._ptr))
        ms = [fn(p) for p in self._parts]
        ms = [x for x in ms if x != _csm.MONTH_NONE]
        return _arrays.period(pick(ms) if ms else _csm.MONTH_NONE)

    @property
    def first_month(self):
        """First month with an entry (pandas.Period), None when empty."""
        return self._month_bound(_csm.ledger_first_month, min)

    @property
    def last_month(self):
        """Last month with an entry (pandas.Period), None when empty."""
        return self._month_bound(_csm.ledger_last_month, max)

    def mrr(self, month):
        """Total MRR of a month (0 outside the ledger's range)."""
        return _csm.ledger_mrr(self._ptr, _arrays.month_scalar(month, "month"))

    def month(self, month, *, as_table=False):
        """The customers active in `month` as the ledger counts them
        (csm_ledger_month_compute): one row per customer, ascending id, with
        its segment and MRR that month (duplicate rows summed; MRR 0 only
        with free_is_active).  A DataFrame of the table "ledger_month" (a
        csmetrics.Table with as_table=True)."""
        return _table.result(
            _csm.ledger_month_compute(self._ptr, _arrays.month_scalar(month, "month")),
            as_table, label_keys=self._labels)

    def __repr__(self):
        return (f"<csmetrics.Ledger: {self.customer_count} customers, "
                f"{self.entry_count} entries, {self.first_month} .. {self.last_month}>")

    # ---- movements --------------------------------------------------------
    def movements(self, by_segment=None, *, preset=None, reactivation_window=None,
                  tolerance=None, count_intra_period=None, churn_denominator=None,
                  first_month=None, last_month=None, n_jobs=None, as_table=False):
        """MRR movements per month: a DataFrame indexed by month
        (pandas.Period, freq M), or by (month, segment) with ``by_segment``.

        Columns: opening_mrr, new, reactivation, expansion, contraction,
        churn, adjustment, segment_in, segment_out, net_new, closing_mrr,
        opening_customers, customers (active at month end), new_customers,
        reactivated_customers, expanded_customers, contracted_customers,
        churned_customers, segment_in_customers, segment_out_customers,
        intra_period_customers, customer_churn_rate, gross_mrr_churn_rate,
        net_mrr_churn_rate, quick_ratio, arpa, arr, flag_bits.

        For customer c with MRR m_{t-1}, m_t: new (0 = m_{t-1} < m_t, never
        active before), reactivation (0 = m_{t-1} < m_t, active before),
        expansion m_t - m_{t-1} (0 < m_{t-1} < m_t), contraction m_{t-1} -
        m_t (0 < m_t < m_{t-1}), churn m_{t-1} (m_{t-1} > 0 = m_t);
        net_new = new + reactivation + expansion - contraction - churn +
        adjustment + segment_in - segment_out, and closing_mrr = opening_mrr
        + net_new in every row.  customer_churn_rate = churned_customers /
        customers at start (see ``churn_denominator``); gross_mrr_churn_rate
        = (churn + contraction) / opening_mrr; net_mrr_churn_rate = (churn +
        contraction - expansion - reactivation) / opening_mrr; quick_ratio =
        (new + reactivation + expansion) / (contraction + churn); arpa =
        closing_mrr / customers; arr = 12 x closing_mrr.  A zero denominator
        gives NaN and the zero_denominator bit in ``flags``.

        Options (None = the preset's or the library's default):
        ``preset`` ("default", "chartmogul_b2b", "stripe", "baremetrics"),
        ``reactivation_window`` (months of absence after which a return is
        new business; 0 = no limit), ``tolerance`` (changes up to it are no
        change and go to ``adjustment``), ``count_intra_period`` (count
        customers who start and stop inside one month, Stripe style),
        ``churn_denominator`` ("start", "start_plus_new", "average",
        "daily"), ``first_month`` / ``last_month`` (range; default the
        ledger's).

        ``as_table=True`` returns the csmetrics.Table "movements" instead
        (the C table with its column descriptors and the Arrow PyCapsule
        interface: ``pyarrow.table(ledger.movements(as_table=True))``);
        its ``to_pandas()`` is the DataFrame above.  The Table has every
        column, month and segment included (segment is the "all" code,
        null in Arrow, when not ``by_segment``).

        ``n_jobs``: threads for a ledger built with ``n_jobs`` > 1 (None: one
        per partition; 1: the ledger of all the rows, on one thread): each
        partition's partial state is computed on the pool, then merged and
        finalized (docs/scaling.md); the result is the one-thread table
        (counts exactly, money to 1e-12 relative).  The "daily" churn
        denominator does not merge and always runs on one thread."""
        o = _movements_opts(by_segment, preset, reactivation_window, tolerance,
                            count_intra_period, churn_denominator, first_month,
                            last_month)
        if self._threaded(n_jobs) and o.churn_denominator != _csm.DENOM_DAILY:
            conv = _csm.movements_partial_finalize(
                self._merged_state(_csm.movements_partial_compute, o, n_jobs))
        else:
            conv = _csm.movements_compute(self._ptr, o)
        return _table.result(conv, as_table, keep_codes=o.by_segment, label_keys=self._labels)

    def movements_partial(self, by_segment=None, *, preset=None, reactivation_window=None,
                          tolerance=None, count_intra_period=None, churn_denominator=None,
                          first_month=None, last_month=None):
        """The movements of this ledger's customers as a mergeable Partial
        (csm_movements_partial_compute): merge it with the states of
        ledgers of the other customers (``Partial.merge``), then
        ``Partial.movements()`` gives the table ``movements`` gives on all
        the rows.  Options as ``movements`` ("daily" churn rates do not
        merge: InvalidArgumentError).  Months outside an open-ended range
        are no error here (they may be in the range of the whole)."""
        o = _movements_opts(by_segment, preset, reactivation_window, tolerance,
                            count_intra_period, churn_denominator, first_month,
                            last_month)
        return self._partial(_csm.movements_partial_compute, o)

    def _partial(self, compute, o):
        if self._parts is not None:
            return Partial(self._merged_state(compute, o, None), self._labels, o.by_segment)
        return Partial(compute(self._ptr, o), self._labels, o.by_segment)

    def retention_partial(self, window=None, by_segment=None, *, nrr_mode=None, preset=None,
                          first_month=None, last_month=None):
        """The retention table of this ledger's customers as a mergeable
        Partial (csm_retention_partial_compute), as ``movements_partial``;
        ``Partial.retention()`` finalizes it.  Options as ``retention``."""
        return self._partial(_csm.retention_partial_compute,
                             _retention_opts(window, by_segment, nrr_mode, preset,
                                             first_month, last_month))

    # ---- retention --------------------------------------------------------
    def retention(self, window=None, by_segment=None, *, nrr_mode=None, preset=None,
                  first_month=None, last_month=None, n_jobs=None, as_table=False):
        """Rolling revenue and logo retention over ``window`` months (None:
        the C default, CSM_RETENTION_OPTS_INIT): a DataFrame indexed by the
        window's end month t1, ``end_month`` (pandas.Period), or by
        (end_month, segment) with ``by_segment`` (the segment a customer had
        at t0 = t1 - window).

        Base = customers active in t0; only their MRR counts in t1.
        grr = sum over the base of min(m_t1, m_t0) / base_mrr (never above
        1); nrr = sum over the base of m_t1 / base_mrr (may exceed 1);
        logo_retention = retained_customers / base_customers.  Columns:
        start_month (t0), base_customers, retained_customers, base_mrr,
        retained_mrr, end_mrr, reactivation_mrr, grr, nrr, logo_retention,
        flag_bits.  An empty base gives NaN and the zero_denominator flag.

        ``nrr_mode``: "snapshot" (default; a base customer who left and
        came back by t1 counts at its t1 MRR) or "movement_sum"
        (ChartMogul: reactivation excluded).  ``preset`` sets it from a
        preset.  ``first_month`` / ``last_month`` bound t1 (default: from
        the ledger's first month + window to its last month).  A window
        longer than the data gives an empty table.

        ``as_table=True`` returns the csmetrics.Table "retention" (every
        column, keys included; Arrow interface); its ``to_pandas()`` is the
        DataFrame above.  ``n_jobs``: as ``movements`` (partitions of a
        ledger built with ``n_jobs`` > 1, merged; docs/scaling.md)."""
        o = _retention_opts(window, by_segment, nrr_mode, preset, first_month, last_month)
        if self._threaded(n_jobs):
            if o.last_month == _csm.MONTH_NONE:
                # the open end is the last month of all the partitions: given
                # explicitly (the same table), a partition's state stops
                # there instead of covering the windows that end up to
                # `window` months past its own last month (which another
                # partition's data could reach: the C state cannot know);
                # not when first_month follows it (an empty table, not the
                # error an explicit first > last is)
                ms = [m for m in map(_csm.ledger_last_month, self._parts)
                      if m != _csm.MONTH_NONE]
                if ms and (o.first_month == _csm.MONTH_NONE or o.first_month <= max(ms)):
                    o.last_month = max(ms)
            conv = _csm.retention_partial_finalize(
                self._merged_state(_csm.retention_partial_compute, o, n_jobs))
        else:
            conv = _csm.retention_compute(self._ptr, o)
        return _table.result(conv, as_table, keep_codes=o.by_segment, label_keys=self._labels)

    # ---- drill-down: which customers moved --------------------------------
    def movement_events(self, first_month=None, last_month=None, *, by_segment=None,
                        preset=None, reactivation_window=None, tolerance=None,
                        as_table=False):
        """Which customers moved: one row per customer and movement in the
        months ``first_month`` .. ``last_month`` (default: the ledger's
        first / last month, as ``movements()``), the drill-down of the
        movements table (csm_movements_events_compute).

        A DataFrame indexed by (month, customer_id, kind) with the columns
        kind_code, segment, amount, mrr_before and mrr_after.  ``kind`` is
        the movements column the event adds to: "new", "reactivation",
        "expansion", "contraction", "churn", "adjustment" (a change within
        ``tolerance``), and with ``by_segment`` "segment_in" /
        "segment_out" (a customer that changed segment).  ``amount`` is
        the event's amount in that column (positive; adjustment signed),
        ``mrr_before`` / ``mrr_after`` the customer's MRR in the month
        before and the month, ``segment`` its segment (the month before's
        for churn and segment_out).

        With the same options, the events sum exactly to ``movements()``:
        ``events.groupby(["month", "kind"]).amount.sum()`` gives its
        columns new, reactivation, expansion, ... month by month (with
        ``by_segment``, grouped by segment too), and the number of events
        of a kind its customer count.  Customers who start and stop inside
        one month (``intra_period_customers``) have no row.

        Options as ``movements()``: ``by_segment``, ``preset``,
        ``reactivation_window``, ``tolerance`` (None = the C defaults).
        ``as_table=True`` returns the csmetrics.Table "movement_events"
        (Arrow interface)."""
        o = _movements_opts(by_segment, preset, reactivation_window, tolerance, None, None,
                            first_month, last_month)
        return _table.result(_csm.movements_events_compute(self._ptr, o), as_table,
                             label_keys=self._labels)

    def retention_customers(self, window=None, by_segment=None, *, nrr_mode=None,
                            preset=None, first_month=None, last_month=None,
                            as_table=False):
        """The customers of each retention window: one row per end month
        t1 and customer of its base (active in t0 = t1 - ``window``), the
        drill-down of ``retention()`` with the same arguments
        (csm_retention_customers_compute).

        A DataFrame indexed by (end_month, customer_id) with the columns
        segment (at t0), start_month, outcome ("churned": no MRR in t1;
        else "contracted", "expanded" or "flat", m_t1 against m_t0),
        base_mrr (m_t0), end_mrr (m_t1), retained_mrr and
        net_retained_mrr (the customer's terms of the GRR and NRR
        numerators: min(m_t1, m_t0) and m_t1 in snapshot mode; with
        ``nrr_mode="movement_sum"`` its start less contraction and churn,
        and its end less reactivation, each at least 0),
        reactivation_mrr and retained (bool).

        Per end month (and segment with ``by_segment``) they sum exactly to
        ``retention()``: base_mrr, retained_mrr, end_mrr and
        reactivation_mrr to its columns, the rows to base_customers,
        retained to retained_customers; grr = retained_mrr.sum() /
        base_mrr.sum() and nrr = net_retained_mrr.sum() / base_mrr.sum().
        ``first_month`` / ``last_month`` bound t1 as in ``retention()``
        (one window: give the same month twice).  ``as_table=True``
        returns the csmetrics.Table "retention_customers"."""
        o = _retention_opts(window, by_segment, nrr_mode, preset, first_month, last_month)
        return _table.result(_csm.retention_customers_compute(self._ptr, o), as_table,
                             label_keys=self._labels)

    # ---- cohorts ----------------------------------------------------------
    def _cohorts_args(self, baseline, by_segment, max_age, cohort_keys):
        """csm_cohorts_opts and the cohort key arrays (or None) of
        ``cohorts``' arguments."""
        o = options(_csm.cohorts_opts,
                    baseline=None if baseline is None else _arrays.integer(baseline, "baseline"),
                    by_segment=flag(by_segment),
                    max_age=None if max_age is None else _arrays.integer(max_age, "max_age"))
        keys_c = keys_m = None
        if cohort_keys is not None:
            if isinstance(cohort_keys, pd.Series):
                kc, km = cohort_keys.index, cohort_keys
            elif isinstance(cohort_keys, dict):
                kc, km = list(cohort_keys.keys()), list(cohort_keys.values())
            else:
                kc, km = cohort_keys
            keys_c = _ids.lookup(kc, self._customers, "key_customer", np.int64)
            keys_m = _arrays.month_index(km, "key_month")
        return o, keys_c, keys_m

    def cohorts(self, values="customers", relative=True, *, baseline=None, by_segment=None,
                max_age=None, cohort_keys=None, n_jobs=None, as_table=False):
        """Cohort matrix: one row per cohort (its first active month,
        pandas.Period; with ``by_segment`` a (cohort, segment) MultiIndex),
        one column per age in months (0, 1, ...).

        ``values="customers"``: cohort members active at that age;
        ``values="mrr"``: their MRR.  ``relative=True`` divides by the
        cohort's value at age ``baseline`` (0 or 1), so cells are fractions
        (1.0 = 100%).  Cells after the ledger's last month are NaN (not yet
        observed); a zero baseline gives NaN.  ``max_age`` limits the ages
        (default: up to the ledger's end).  ``cohort_keys`` gives cohort
        months explicitly (e.g. signing month): a pandas Series indexed by
        customer id, a dict {customer_id: month} or a (customers, months)
        pair; customers without a key use their first active month.

        The matrix is the long table "cohort_cells" (one row per cohort and
        age, columns customers, mrr, customers_frac, mrr_frac) reshaped
        without a copy: the column named by ``values`` and ``relative``.
        ``as_table=True`` returns the csmetrics.Table "cohorts" (cohort,
        segment, size, flags) instead, whose
        ``result_table("cohort_cells")`` is the long table; both have the
        Arrow interface.

        ``n_jobs``: as ``movements`` (partitions of a ledger built with
        ``n_jobs`` > 1, each partition's partial state on the pool, merged
        and finalized; docs/scaling.md): the one-thread matrix, counts
        exactly, money to 1e-12 relative."""
        field = cohorts_field(values, relative)
        o, keys_c, keys_m = self._cohorts_args(baseline, by_segment, max_age, cohort_keys)
        if self._threaded(n_jobs):
            conv = _csm.cohorts_partial_finalize(self._merged_state(
                lambda p, o: _csm.py_cohorts_partial_compute(p, o, keys_c, keys_m), o, n_jobs))
        else:
            conv = _csm.py_cohorts_compute(self._ptr, o, keys_c, keys_m)
        return cohorts_matrix(conv, field, o.by_segment, self._labels, as_table)

    def cohorts_partial(self, *, baseline=None, by_segment=None, max_age=None,
                        cohort_keys=None):
        """The cohort matrices of this ledger's customers as a mergeable
        Partial (csm_cohorts_partial_compute), as ``movements_partial``;
        ``Partial.cohorts(values, relative)`` finalizes it.  Options as
        ``cohorts``.  States merge only when computed with the same
        ``cohort_keys``: with numeric customer ids give every partition
        all the keys (keys of customers a ledger lacks are ignored); with
        label ids a ledger can only look up its own customers, so use
        ``Ledger(..., n_jobs=k).cohorts(cohort_keys=...)`` instead."""
        o, keys_c, keys_m = self._cohorts_args(baseline, by_segment, max_age, cohort_keys)
        return self._partial(
            lambda p, o: _csm.py_cohorts_partial_compute(p, o, keys_c, keys_m), o)
