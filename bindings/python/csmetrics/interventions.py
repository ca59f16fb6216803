"""Intervention effects (csmetrics/interventions.h): for each intervention
type, the change in health score and MRR from the month of the intervention
to a later month, against same-band accounts without an intervention that
month: the difference with Welch's t interval.

These are observational comparisons, not causal effects (CSMs choose which
accounts get an intervention); the DataFrame says so in ``attrs["note"]``.
Definitions: docs/metrics.md, "Intervention effects".  The table is the C
library's "interventions" (csmetrics._table).
"""
import numpy as np

from . import _arrays, _csm, _ids, _table
from ._options import options
from .reviews import shared_codes

__all__ = ["intervention_effects", "OBSERVATIONAL_NOTE"]

#: The label every intervention-effects result carries.
OBSERVATIONAL_NOTE = ("observational: accounts were not assigned at random, so a "
                      "difference is not a causal effect")


def intervention_effects(panel, events, horizon=None, confidence=None, as_table=False):
    """``panel``: a DataFrame (or dict of arrays) with one row per account
    and month: ``account`` (any hashable), ``month``, ``band`` (the health
    band index, -1 = none) and optionally ``score`` and ``mrr``.
    ``events``: ``account``, ``month`` and optionally ``type`` (any
    hashable; absent: one type 0).  ``horizon`` (months to the month
    compared) and ``confidence`` left at None take the C defaults
    (CSM_INTERVENTIONS_OPTS_INIT: 1 and 0.95).

    Returns a DataFrame indexed by (type, measure), measure "score" or
    "mrr": n_treated, n_control, unmatched, treated_change, control_change,
    diff, se, t, df, p_value, ci_low, ci_high, confidence, flag_bits;
    ``attrs["note"]`` is OBSERVATIONAL_NOTE.  ``as_table=True`` returns the
    csmetrics.Table "interventions" instead."""
    acc, akeys = _ids.encode(panel["account"], "account", np.int64)
    if akeys is None:
        eacc = _arrays.as_array(events["account"], np.int64, "account")
    else:
        eacc = _ids.lookup(events["account"], akeys, "account", np.int64, "ignore")
    (etype,), tkeys = shared_codes([events["type"] if "type" in events else None], "type")
    cols_p = {"account": acc, "month": _arrays.month_index(panel["month"], "month"),
              "band": _arrays.as_array(panel["band"], np.int32, "band"),
              "score": _arrays.optional(panel["score"] if "score" in panel else None,
                                        np.float64, "score"),
              "mrr": _arrays.optional(panel["mrr"] if "mrr" in panel else None,
                                      np.float64, "mrr")}
    cols_e = {"account": eacc, "month": _arrays.month_index(events["month"], "month"),
              "type": etype}
    o = options(_csm.interventions_opts,
                horizon=None if horizon is None else _arrays.integer(horizon, "horizon"),
                confidence=None if confidence is None else _arrays.scalar(confidence,
                                                                         "confidence"))
    t = _table.Table(_csm.interventions_compute(cols_p, cols_e, o), 0, keep_codes=True,
                     label_keys=_ids.label_keys(type=tkeys))
    if as_table:
        return t
    df = _table.frame(t, keep_codes=True)
    df.attrs["note"] = OBSERVATIONAL_NOTE
    return df
