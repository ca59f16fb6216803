"""Intervention effects (csmetrics/interventions.h): for each intervention
type, the change in health score and MRR from the month of the intervention
to a later month, against same-band accounts without an intervention that
month: the difference with Welch's t interval.

These are observational comparisons, not causal effects (CSMs choose which
accounts get an intervention); the DataFrame says so in ``attrs["note"]``.
``interventions_panel`` builds the health panel from per-month scores and
a ledger (csm_interventions_panel_build: an account gone by the later month
enters with MRR 0, no score and band -1).

Definitions: docs/metrics.md, "Intervention effects".  The tables are the C
library's "interventions" and "interventions_panel" (csmetrics._table).
"""
import numpy as np

from . import _arrays, _csm, _ids, _table
from ._options import options
from .reviews import shared_codes

__all__ = ["intervention_effects", "interventions_panel", "OBSERVATIONAL_NOTE"]

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


def interventions_panel(scores, months, ledger=None, horizon=None, as_table=False):
    """The health panel of ``intervention_effects``, built by the library
    (csm_interventions_panel_build) from ``scores``, a DataFrame (or dict of
    arrays) with one row per account and month scored: ``account``,
    ``month``, ``band`` (-1 = none) and optionally ``score``; ``months``:
    the panel's months; ``ledger``: a csmetrics.Ledger (its customer ids),
    or None.

    With a ledger, each month's rows are the customers the ledger has
    active then, with their MRR and their score and band (NaN and -1 when
    unscored); then an account with a row in month t and none in t +
    ``horizon`` (also one of ``months``) gets a row there with MRR 0, no
    score, band -1 and ``gone`` True, so its lost MRR counts.  Without a
    ledger: the scores rows of those months, and no ``mrr`` column.
    ``horizon`` None is the C default (1); give intervention_effects the
    same.

    Returns a DataFrame with the columns account (the caller's ids), month,
    score, band, mrr, gone, in the library's row order; ``as_table=True``
    returns the csmetrics.Table "interventions_panel" instead."""
    if ledger is None:
        acc, akeys = _ids.encode(scores["account"], "account", np.int64)
        keep = None
    else:
        akeys = ledger._customers
        unknown = "error" if akeys is None else "ignore"
        acc = _ids.lookup(scores["account"], akeys, "account", np.int64, unknown)
        keep = acc >= 0 if akeys is not None else None  # not a customer: not in the panel
    cols = {"account": acc, "month": _arrays.month_index(scores["month"], "month"),
            "band": _arrays.as_array(scores["band"], np.int32, "band"),
            "score": _arrays.optional(scores["score"] if "score" in scores else None,
                                      np.float64, "score")}
    if keep is not None and not keep.all():
        cols = {k: None if v is None else np.ascontiguousarray(v[keep])
                for k, v in cols.items()}
    o = options(_csm.interventions_opts,
                horizon=None if horizon is None else _arrays.integer(horizon, "horizon"))
    conv = _csm.interventions_panel_build(None if ledger is None else ledger._ptr,
                                          _arrays.month_index(months, "months"), cols, o)
    t = _table.Table(conv, 0, keep_codes=True, label_keys=_ids.label_keys(account=akeys))
    if as_table:
        return t
    df = _table.flat(t, keep_codes=True)
    if ledger is None:
        df = df.drop(columns="mrr")
    return df
