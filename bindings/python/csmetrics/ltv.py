"""Unit economics (csmetrics/ltv.h): simple LTV with a lifetime cap and a
zero-churn policy, the seed LTV formula, CAC, LTV/CAC and CAC payback.

Definitions: docs/metrics.md, "LTV and CAC".  Money in currency units,
churn a monthly fraction (0.02, not 2), lifetimes and payback in months.
"""

from . import _arrays, _csm
from ._result import Metric, Result

__all__ = ["ltv", "ltv_seed", "cac", "ltv_cac", "cac_payback", "LTVResult",
           "ZERO_CHURN_POLICIES"]

ZERO_CHURN_POLICIES = {
    "error": _csm.ZERO_CHURN_ERROR,
    "floor": _csm.ZERO_CHURN_FLOOR,
    "cap": _csm.ZERO_CHURN_CAP,
}


class LTVResult(Result):
    """Result of csm.ltv: ``ltv`` (currency units), ``lifetime_months``
    (1 / churn_used, capped), ``churn_used`` (after a floor), ``flags``
    ("floored", "capped").  ``float(result)`` is the LTV."""

    __slots__ = ()
    _table_fn = "py_ltv_table"

    def __float__(self):
        return float(self._values["ltv"])


def ltv(arpa, gross_margin, monthly_churn, *, zero_churn="error", churn_floor=None,
        lifetime_cap_months=None):
    """Simple customer lifetime value.

        LTV = ARPA x gross margin x lifetime,  lifetime = 1 / monthly churn

    ``arpa``: average revenue per account per month (finite, >= 0);
    ``gross_margin`` in [0, 1]; ``monthly_churn`` in [0, 1].
    ``lifetime_cap_months`` (> 0) caps the lifetime (flag "capped").
    ``zero_churn`` says what churn 0 does: "error" (default, DomainError
    naming monthly_churn), "floor" (the churn used is max(churn,
    ``churn_floor``) for any churn, default floor 0.0167 = Stripe's 1.67%;
    flag "floored" when it raised it) or "cap" (lifetime = the cap, which
    must then be set).  Never an infinity.

    Returns an LTVResult (``ltv``, ``lifetime_months``, ``churn_used``,
    ``flags``).  Example: ARPA 100, margin 0.8, churn 0.02 -> lifetime 50
    months, LTV 4,000."""
    o = _csm.ltv_opts()
    o.zero_churn = _arrays.choice(zero_churn, ZERO_CHURN_POLICIES, "zero_churn")
    if churn_floor is not None:
        o.churn_floor = _arrays.scalar(churn_floor, "churn_floor")
    if lifetime_cap_months is not None:
        o.lifetime_cap_months = _arrays.scalar(lifetime_cap_months, "lifetime_cap_months")
    r = _csm.ltv_simple(_arrays.scalar(arpa, "arpa"), _arrays.scalar(gross_margin, "gross_margin"),
                        _arrays.scalar(monthly_churn, "monthly_churn"), o)
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
