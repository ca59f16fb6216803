"""Unit economics (csmetrics/ltv.h): simple LTV with a lifetime cap and a
zero-churn policy, the seed LTV formula, CAC, LTV/CAC and CAC payback, and
the LTV and unit economics of a ledger (``Ledger.ltv``,
``Ledger.unit_economics``).

Definitions: docs/metrics.md, "LTV and CAC".  Money in currency units,
churn a monthly fraction (0.02, not 2), lifetimes and payback in months.
Options left at None take the C defaults (CSM_LTV_OPTS_INIT).
"""

import numpy as np

from . import _arrays, _csm, _table
from ._errors import InvalidArgumentError, _fail
from ._options import choices, options, set_fields
from ._result import Metric, Result
from .ledger import Ledger

__all__ = ["ltv", "ltv_seed", "cac", "ltv_cac", "cac_payback", "LTVResult",
           "ZERO_CHURN_POLICIES"]

ZERO_CHURN_POLICIES = choices("ZERO_CHURN_")


class LTVResult(Result):
    """Result of csm.ltv: ``ltv`` (currency units), ``lifetime_months``
    (1 / churn_used, capped), ``churn_used`` (after a floor), ``flags``
    ("floored", "capped").  ``float(result)`` is the LTV."""

    __slots__ = ()
    _table_fn = "py_ltv_table"

    def __float__(self):
        return float(self._values["ltv"])


def _ltv_opts(zero_churn, churn_floor, lifetime_cap_months):
    return options(
        _csm.ltv_opts,
        zero_churn=None if zero_churn is None else
        _arrays.choice(zero_churn, ZERO_CHURN_POLICIES, "zero_churn"),
        churn_floor=None if churn_floor is None else _arrays.scalar(churn_floor, "churn_floor"),
        lifetime_cap_months=None if lifetime_cap_months is None else
        _arrays.scalar(lifetime_cap_months, "lifetime_cap_months"))


def ltv(arpa, gross_margin, monthly_churn, *, zero_churn=None, churn_floor=None,
        lifetime_cap_months=None):
    """Simple customer lifetime value.

        LTV = ARPA x gross margin x lifetime,  lifetime = 1 / monthly churn

    ``arpa``: average revenue per account per month (finite, >= 0);
    ``gross_margin`` in [0, 1]; ``monthly_churn`` in [0, 1].
    ``lifetime_cap_months`` (> 0) caps the lifetime (flag "capped").
    ``zero_churn`` says what churn 0 does: "error" (DomainError naming
    monthly_churn), "floor" (the churn used is max(churn, ``churn_floor``)
    for any churn; flag "floored" when it raised it) or "cap" (lifetime =
    the cap, which must then be set).  Never an infinity.  None keeps the
    C defaults (CSM_LTV_OPTS_INIT: "error", and Stripe's floor).

    Returns an LTVResult (``ltv``, ``lifetime_months``, ``churn_used``,
    ``flags``).  Example: ARPA 100, margin 0.8, churn 0.02 -> lifetime 50
    months, LTV 4,000."""
    r = _csm.ltv_simple(_arrays.scalar(arpa, "arpa"), _arrays.scalar(gross_margin, "gross_margin"),
                        _arrays.scalar(monthly_churn, "monthly_churn"),
                        _ltv_opts(zero_churn, churn_floor, lifetime_cap_months))
    return LTVResult._from_struct(r)


def ltv_seed(avg_purchase_value, purchase_rate, avg_lifetime):
    """Seed LTV = average purchase value x purchase rate (purchases per
    period) x average lifetime (periods).  All inputs finite and >= 0
    (DomainError naming the field).  Returns a Metric (a float with
    ``flags``)."""
    r = _csm.ltv_seed(_arrays.scalar(avg_purchase_value, "avg_purchase_value"),
                      _arrays.scalar(purchase_rate, "purchase_rate"),
                      _arrays.scalar(avg_lifetime, "avg_lifetime"))
    return Metric._from_struct(r)


def cac(spend, new_customers):
    """Customer acquisition cost = sales and marketing spend / new customers
    (both finite, >= 0).  No new customers: NaN with the
    "zero_denominator" flag.  Returns a Metric (a float with ``flags``)."""
    return Metric._from_struct(_csm.cac(_arrays.scalar(spend, "spend"),
                                        _arrays.scalar(new_customers, "new_customers")))


def ltv_cac(ltv, cac):
    """LTV / CAC.  ``ltv`` may be a number or an LTVResult; ``cac`` a
    number or the Metric from csm.cac (finite, >= 0).  CAC 0: NaN with the
    "zero_denominator" flag.  Returns a Metric."""
    return Metric._from_struct(_csm.ltv_cac(_arrays.scalar(ltv, "ltv"),
                                            _arrays.scalar(cac, "cac")))


def cac_payback(cac, new_arpa, gross_margin):
    """CAC payback in months = CAC / (new-customer ARPA x gross margin).
    ``cac`` and ``new_arpa`` finite >= 0, ``gross_margin`` in [0, 1]; a
    zero denominator gives NaN with the "zero_denominator" flag.  Returns a
    Metric."""
    return Metric._from_struct(_csm.cac_payback(_arrays.scalar(cac, "cac"),
                                                _arrays.scalar(new_arpa, "new_arpa"),
                                                _arrays.scalar(gross_margin, "gross_margin")))


# ---------------------------------------------------------------------------
# from a ledger


def _ledger_ltv(self, gross_margin, window=None, month=None, zero_churn=None,
                churn_floor=None, lifetime_cap_months=None):
    """Simple LTV from the ledger's observed figures: ARPA in ``month``
    (default: the last) and the monthly customer churn over the ``window``
    months ending there (None: the C default, 12; churned / opening
    customers, summed), then as
    csm.ltv (``zero_churn``, ``churn_floor``, ``lifetime_cap_months``
    likewise; None keeps CSM_LTV_OPTS_INIT's defaults).  Returns a dict of
    the columns of the table "ltv": ltv, lifetime_months, churn_used,
    flags."""
    o = _ltv_opts(zero_churn, churn_floor, lifetime_cap_months)
    set_fields(o, month=_arrays.month_scalar(month, "month"),
               window=None if window is None else _arrays.integer(window, "window"))
    r = _csm.ltv_from_ledger(self._ptr, _arrays.scalar(gross_margin, "gross_margin"), o)
    return LTVResult._from_struct(r).as_dict()


def _unit_economics(self, month=None, window=None, gross_margin=0.8, spend_month=None,
                    spend=None, *, zero_churn=None, churn_floor=None,
                    lifetime_cap_months=None, as_table=False):
    """Unit economics over the ``window`` months (None: the C default, 12)
    ending at ``month`` (default: the ledger's last month), with the default movements
    definitions: a one-row DataFrame of the table "unit_economics" indexed
    by month: arpa (MRR / customers at month), monthly_churn (churned /
    opening customers, summed over the window), gross_margin, ltv (arpa x
    gross_margin x lifetime_months), lifetime_months, cac (spend /
    new_customers), ltv_cac, cac_payback_months (cac / (new_arpa x
    gross_margin)), then window_months, churn_used, opening_customers,
    churned_customers, new_customers (active for the first time in the
    window), new_mrr, new_arpa, spend, flag_bits.

    ``spend_month`` / ``spend``: sales and marketing spend per month
    (months as in Ledger; rows in the window add up); without them spend,
    cac, ltv_cac and cac_payback_months are NaN.  ``zero_churn``,
    ``churn_floor``, ``lifetime_cap_months``: as in csm.ltv (None keeps
    CSM_LTV_OPTS_INIT's defaults).  Undefined figures are NaN with the
    zero_denominator flag.  ``as_table=True`` returns the csmetrics.Table."""
    m = _arrays.month_scalar(month, "month")
    if (spend_month is None) != (spend is None):
        raise _fail(InvalidArgumentError, "spend_month and spend go together", field="spend")
    sm = None if spend_month is None else _arrays.month_index(spend_month, "spend_month")
    o = options(_csm.unit_economics_opts, month=m,
                window=None if window is None else _arrays.integer(window, "window"))
    conv = _csm.py_unit_economics_from_ledger(
        self._ptr, _arrays.scalar(gross_margin, "gross_margin"), sm,
        _arrays.optional(spend, np.float64, "spend"), o,
        _ltv_opts(zero_churn, churn_floor, lifetime_cap_months))
    return _table.result(conv, as_table)


Ledger.ltv = _ledger_ltv
Ledger.unit_economics = _unit_economics
