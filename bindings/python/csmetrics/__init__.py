"""csmetrics: customer-success and SaaS subscription metrics (libcsmetrics).

A thin pure-Python layer over the C library's SWIG bindings (csmetrics._csm):
inputs are numpy arrays, pandas Series or sequences (passed to C without a
copy when they already have the right dtype and are C-contiguous, converted
once otherwise); results are numpy/pandas objects or read-only result
records.  Errors raise csmetrics.Error subclasses whose message names the
status, row and field.

Result tables: the C library describes its results itself (names, types,
roles and docs of the columns; csmetrics/table.h).  Every family builds its
DataFrames through one generic path, without copying numeric columns (the
column names are the C declarations'), and returns a csmetrics.Table
instead on request (``as_table=True``): a Table has its column
descriptors, ``to_pandas()``, the other tables of its result
(``result_table(name)``) and the Arrow PyCapsule interface
(``__arrow_c_schema__`` / ``__arrow_c_array__`` / ``__arrow_c_stream__``),
so pyarrow, polars and other Arrow consumers read it directly.  Value
results (NPS, CSAT, CES, LTV, Metric) are read from one-row tables too
(``result.table``), and ``results_table`` puts several into one Table.  The
default return values stay plain pandas DataFrames and result records.
Details in csmetrics._table's docstring.

Definitions of every metric: docs/metrics.md; this package's guide is its
"Python bindings" section (docs/parts/python.md).
"""

import numpy as np
import pandas as pd

from . import _csm, _errors
from ._errors import *  # noqa: F401,F403  (the exceptions: _errors.__all__)
from ._result import Metric, Result, flag_names, results_table
from ._table import Column, Table
from . import _arrays
from .ledger import Ledger
from .partial import Partial
from .nps import (CESResult, CSATResult, NPSDiff, NPSResult, ces, ces_partial, csat,
                  csat_partial, nps, nps_by_group, nps_compare, nps_counts, nps_partial)
from .ltv import LTVResult, cac, cac_payback, ltv, ltv_cac, ltv_seed
from .projection import project_mrr, project_mrr_closed, steady_state_mrr
from .survival import KaplanMeier, SBGFit, kaplan_meier, sbg_fit, sbg_survivors
from .renewals import renewals, renewals_days_to_end
from . import team  # noqa: F401  (its import adds Ledger.team)
from . import subscriptions  # noqa: F401  (its import adds Ledger.from_subscriptions)
from .activity import ACTIVITY_RATES, ACTIVITY_STAGES, activity, activity_partial
from .health import Scorecard
from .churn import (ChurnModel, ChurnValidation, auc_interval, brier_score, calibration_table,
                    churn_validation, log_loss, roc_auc, roc_curve)
from .transitions import band_transitions
from .reviews import ReviewCadence, review_cadence
from .interventions import OBSERVATIONAL_NOTE, intervention_effects, interventions_panel
from . import referrals  # noqa: F401  (its import adds Ledger.referrals)
from .catalog import catalog, sql

__version__ = _csm.version()

#: Result flag bits (see flag_names()).
FLAG_EMPTY = _csm.FLAG_EMPTY
FLAG_ZERO_DENOMINATOR = _csm.FLAG_ZERO_DENOMINATOR
FLAG_FLOORED = _csm.FLAG_FLOORED
FLAG_CAPPED = _csm.FLAG_CAPPED
FLAG_DEGENERATE = _csm.FLAG_DEGENERATE
FLAG_CLAMPED = _csm.FLAG_CLAMPED


def version():
    """Release version of the linked C library ("MAJOR.MINOR.PATCH");
    equal to csmetrics.__version__."""
    return _csm.version()


def version_number():
    """The C library's version as MAJOR*10000 + MINOR*100 + PATCH."""
    return _csm.version_number()


def month(year, month):
    """Month index of (year, month): year*12 + month-1 (2024-01 -> 24288)."""
    return _csm.month(int(year), int(month))


def _is_scalar(x):
    return np.ndim(x) == 0 and not isinstance(x, (pd.Series, pd.Index))


def month_index(values):
    """Month indices from Periods, datetimes (Timestamp, datetime64, date),
    texts "YYYY-MM" or "YYYY-MM-DD" (a time may follow the day), or month
    indices of the years 1000..9999: an int for one value
    (``month_index("2025-01")`` is 24300), an int32 ndarray for an array.
    Other forms ("2025", "01/02/2025", 202501) raise an error naming the
    row (csmetrics.InputTypeError or DomainError, both ValueErrors)."""
    if _is_scalar(values):
        return _arrays.month_scalar(values, "values")
    return _arrays.month_index(values, "values")


def month_period(values):
    """pandas.Period (freq M) of one month index (``month_period(24300)``
    is Period('2025-01'); None for CSM_MONTH_NONE), or a PeriodIndex of an
    array of them (CSM_MONTH_NONE is NaT)."""
    if _is_scalar(values):
        return _arrays.period(_arrays.integer(values, "values"))
    return _arrays.periods(values)


def day(year, month, day):
    """Days since 1970-01-01 of a (proleptic Gregorian) date."""
    return _csm.day(int(year), int(month), int(day))


def strerror(status):
    """Message of a csm_status code or name ("EDOMAIN" -> "input value
    outside its domain")."""
    if isinstance(status, str):
        status = getattr(_csm, status.upper())
    return _csm.strerror(int(status))


__all__ = [
    "__version__",
    "version",
    "version_number",
    "month",
    "month_index",
    "month_period",
    "day",
    "strerror",
    "flag_names",
    "Result",
    "results_table",
    "Table",
    "Column",
    "Ledger",
    "Partial",
    "nps",
    "nps_counts",
    "nps_by_group",
    "nps_compare",
    "nps_partial",
    "csat_partial",
    "ces_partial",
    "csat",
    "ces",
    "NPSResult",
    "NPSDiff",
    "CSATResult",
    "CESResult",
    "ltv",
    "ltv_seed",
    "cac",
    "ltv_cac",
    "cac_payback",
    "LTVResult",
    "Metric",
    "project_mrr",
    "project_mrr_closed",
    "steady_state_mrr",
    "ChurnModel",
    "ChurnValidation",
    "roc_auc",
    "auc_interval",
    "roc_curve",
    "brier_score",
    "log_loss",
    "calibration_table",
    "churn_validation",
    "catalog",
    "sql",
    "FLAG_EMPTY",
    "FLAG_ZERO_DENOMINATOR",
    "FLAG_FLOORED",
    "FLAG_CAPPED",
    "FLAG_DEGENERATE",
    "FLAG_CLAMPED",
] + _errors.__all__
