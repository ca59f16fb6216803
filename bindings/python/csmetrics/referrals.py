"""Referrals (csmetrics/referrals.h) over a window of months of a ledger,
as ``Ledger.referrals``: referral rate, referrals per CSM, conversion rate,
the new MRR referrals brought and its share of the window's new MRR, and
the NPS of referrers against the other active accounts.

Definitions: docs/metrics.md, "Referrals".  The tables are the C library's
"referrals" and "referrals_owners" (csmetrics._table).
"""
from collections import namedtuple

import numpy as np

from . import _arrays, _csm, _ids, _table
from ._options import options
from .ledger import Ledger

#: The result of Ledger.referrals: ``summary`` (the one row of the table
#: "referrals", a dict) and ``owners`` (the table "referrals_owners" by CSM).
Referrals = namedtuple("Referrals", "summary owners")


def _customers(self, x, field):
    """Ids of customers of this ledger (unknown labels: -1, read as no
    customer)."""
    unknown = "error" if self._customers is None else "ignore"
    return _ids.lookup(x, self._customers, field, np.int64, unknown)


def _referrals(self, referrer, day, converted, first_mrr=None, owner_customer=None, owner=None,
               nps_customer=None, nps_score=None, first_month=None, last_month=None,
               confidence=None, as_table=False):
    """Referral figures of the window [first_month, last_month] (None: the C
    defaults, CSM_REFERRALS_OPTS_INIT: the ledger's first and last months).

    The referrals export: ``referrer`` (customer ids), ``day``,
    ``converted`` (bools) and ``first_mrr`` (None: 0).  ``owner_customer``
    / ``owner``: each customer's CSM (None: none); ``nps_customer`` /
    ``nps_score``: NPS responses (0..10).

    Returns Referrals(summary, owners): ``summary`` a dict (first_month,
    last_month, active_accounts, referrers, referral_rate, referrals,
    converted, conversion_rate, referred_mrr, new_mrr, referred_share,
    n_csm, referrals_per_csm, nps_referrers, nps_referrers_n, nps_others,
    nps_others_n, nps_diff, nps_diff_ci_low, nps_diff_ci_high,
    nps_diff_p_value, flags); ``owners`` a DataFrame by owner (accounts,
    referrers, referral_rate, referrals, converted, referred_mrr,
    flag_bits).  ``as_table=True`` returns the csmetrics.Table "referrals"
    instead."""
    rows = {"referrer": _customers(self, referrer, "referrer"),
            "day": _arrays.day_index(day, "day"),
            "converted": _arrays.as_array(np.asarray(converted, dtype=bool), np.uint8,
                                          "converted"),
            "first_mrr": _arrays.optional(first_mrr, np.float64, "first_mrr")}
    oc = np.zeros(0, np.int64) if owner_customer is None else \
        _customers(self, owner_customer, "owner_customer")
    own, okeys = (np.zeros(0, np.int32), None) if owner is None else \
        _ids.encode(owner, "owner", np.int32)
    if self._customers is not None and len(oc) == len(own):
        keep = oc >= 0
        oc, own = oc[keep], own[keep]
    nc = np.zeros(0, np.int64) if nps_customer is None else \
        _customers(self, nps_customer, "nps_customer")
    ns = np.zeros(0, np.int8) if nps_score is None else \
        _arrays.as_array(nps_score, np.int8, "nps_score")
    o = options(_csm.referrals_opts, first_month=_arrays.month_scalar(first_month, "first_month"),
                last_month=_arrays.month_scalar(last_month, "last_month"),
                confidence=None if confidence is None else _arrays.scalar(confidence,
                                                                         "confidence"))
    conv = _csm.py_referrals_compute(self._ptr, rows, oc, own, nc, ns, o)
    t = _table.Table(conv, 0, keep_codes=True, label_keys=_ids.label_keys(owner=okeys))
    if as_table:
        return t
    return Referrals(_table.row(t, keys=True),
                     _table.frame(t.result_table("referrals_owners"), keep_codes=True))


Ledger.referrals = _referrals
