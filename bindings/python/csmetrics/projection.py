"""MRR churn scenarios (csmetrics/projection.h): MRR projected month by
month under several churn / expansion / new-MRR scenarios at once, and the
inputs of such a projection observed in a ledger (``Ledger.project_inputs``).

Definitions: docs/metrics.md, "Churn scenarios".  Rates are monthly
fractions (0.02, not 2); MRR in currency units.
"""

import numbers

import numpy as np
import pandas as pd

from . import _arrays, _csm, _table
from ._errors import InvalidArgumentError, RangeError, _fail
from ._options import options
from ._result import Metric
from .ledger import Ledger

__all__ = ["project_mrr", "project_mrr_closed", "steady_state_mrr"]


def _months(months):
    if isinstance(months, (bool, np.bool_)) or not isinstance(months, numbers.Integral):
        if isinstance(months, numbers.Real) and float(months).is_integer():
            months = int(months)
        else:
            raise _fail(InvalidArgumentError, f"months must be a whole number, got {months!r}",
                        field="months")
    if months < 0:
        raise _fail(InvalidArgumentError, f"months must be >= 0, got {months}", field="months")
    if months >= 2**63:
        raise _fail(RangeError, "(months + 1) x n_scenarios overflows", field="months")
    return int(months)


def project_mrr(start_mrr, months, churn_rates, new_mrr=None, expansion_rate=None, names=None,
                as_table=False):
    """Project MRR ``months`` months ahead under one scenario per churn rate.

    For each scenario s, from MRR_0 = ``start_mrr``:

        MRR_{t+1} = MRR_t x (1 - churn[s] + expansion[s]) + new_mrr[s]

    ``churn_rates``: monthly gross MRR churn rates in [0, 1], one per
    scenario (a sequence, numpy array, pandas Series or dict; the Series
    index or dict keys name the scenarios).  ``new_mrr`` (MRR added each
    month, >= 0) and ``expansion_rate`` (monthly expansion rate, >= 0) are
    scalars applied to every scenario or one value per scenario; None (the
    default) is 0 in every scenario.

    Returns a DataFrame with index ``month`` 0..months (row 0 is
    start_mrr) and one column per scenario (named by ``names``, else the
    Series index / dict keys, else the churn rates when they are distinct,
    else 0..n-1).  It is the C library's long table "projection" (month,
    scenario, mrr; row-major) reshaped without a copy; ``as_table=True``
    returns that csmetrics.Table instead (scenarios as their 0-based
    codes; Arrow interface).

    Errors: DomainError (start_mrr negative or not finite; a scenario's
    churn outside [0, 1] or a negative expansion / new MRR, with the
    scenario as row), InvalidArgumentError (negative or fractional months,
    arrays of different lengths), RangeError (months or scenarios beyond
    int32).

    Example: 10,000 over 2 months at 5% churn, 200 new MRR a month:
    10,000 -> 9,700 -> 9,415."""
    labels = None
    if isinstance(churn_rates, dict):
        labels = list(churn_rates.keys())
        churn_rates = list(churn_rates.values())
    elif isinstance(churn_rates, pd.Series):
        labels = list(churn_rates.index)
    if np.ndim(churn_rates) == 0 and not isinstance(churn_rates, pd.Series):
        churn_rates = [churn_rates]
    churn = _arrays.as_array(churn_rates, np.float64, "churn")
    n = len(churn)
    expansion = None if expansion_rate is None else \
        _arrays.broadcast_array(expansion_rate, np.float64, "expansion", n)
    new = None if new_mrr is None else _arrays.broadcast_array(new_mrr, np.float64, "new_mrr", n)
    months = _months(months)
    conv = _csm.py_project_mrr_table(months, _arrays.scalar(start_mrr, "start_mrr"), churn,
                                     expansion, new)
    if names is not None:
        labels = list(names)
        if len(labels) != n:
            raise _fail(InvalidArgumentError, f"{len(labels)} names for {n} scenarios",
                        field="names")
    elif labels is None:
        labels = churn.tolist() if len(set(churn.tolist())) == n else list(range(n))
    t = _table.Table(conv)
    if as_table:
        return t
    if n == 0:  # no rows: the months are still 0..months
        return pd.DataFrame(index=pd.RangeIndex(months + 1, name="month"),
                            columns=pd.Index([], name="scenario"), dtype=np.float64)
    df = _table.pivot(t, "scenario", "mrr")
    df.columns = pd.Index(labels, name=df.columns.name)
    return df


def project_mrr_closed(start_mrr, churn, expansion=0.0, new_mrr=0.0, t=1.0):
    """Closed form of the projection for constant rates, at month ``t``
    (may be fractional): with g = 1 - churn + expansion,

        MRR_t = MRR_0 g^t + N (1 - g^t) / (1 - g)   (g != 1)
        MRR_t = MRR_0 + N t                          (g == 1)

    NaN for inputs outside the domain of project_mrr or t < 0."""
    return _csm.projection_mrr_closed(_arrays.scalar(start_mrr, "start_mrr"),
                                   _arrays.scalar(churn, "churn"),
                                   _arrays.scalar(expansion, "expansion"),
                                   _arrays.scalar(new_mrr, "new_mrr"), _arrays.scalar(t, "t"))


def steady_state_mrr(churn, expansion=0.0, new_mrr=0.0):
    """Steady-state MRR N / (churn - expansion), the level the projection
    approaches when churn > expansion; otherwise MRR grows without bound:
    NaN with the "zero_denominator" flag.  Returns a Metric.  DomainError
    naming the field for inputs out of range."""
    return Metric._from_struct(_csm.projection_steady_state(
        _arrays.scalar(churn, "churn"), _arrays.scalar(expansion, "expansion"),
        _arrays.scalar(new_mrr, "new_mrr")))


def _project_inputs(self, month=None, window=None, as_table=False):
    """The inputs of a churn-scenario projection observed over the
    ``window`` months (None: the C default, 6) ending at ``month``
    (default: the ledger's last
    month): a one-row DataFrame of the table "project_inputs" indexed by
    month: start_mrr (MRR at month), new_mrr (average monthly new +
    reactivation MRR over the window), gross_mrr_churn_rate (mean monthly
    (churn + contraction) / opening MRR over the months with opening MRR),
    window_months, rate_months, flag_bits.  ``csm.project_mrr(start_mrr,
    months, gross_mrr_churn_rate, new_mrr=new_mrr)`` continues the trend.
    ``as_table=True`` returns the csmetrics.Table."""
    o = options(_csm.projection_inputs_opts, month=_arrays.month_scalar(month, "month"),
                window=None if window is None else _arrays.integer(window, "window"))
    conv = _csm.projection_inputs_from_ledger(self._ptr, o)
    return _table.result(conv, as_table)


Ledger.project_inputs = _project_inputs
