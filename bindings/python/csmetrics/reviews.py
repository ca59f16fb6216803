"""Diagnosis cadence (csmetrics/reviews.h): each account's periodic review
against its cadence by tier (segment and MRR threshold): last review, next
due day, overdue accounts and days overdue, and per CSM the coverage (the
share of accounts reviewed on cadence).

Definitions: docs/metrics.md, "Diagnosis cadence".  The tables are the C
library's "reviews", "reviews_owners" and "reviews_summary"
(csmetrics._table).  Account, owner (CSM), segment and type ids may be any
hashable (csmetrics._ids); the CSMs of the accounts and of the touches share
one dictionary, as do the accounts' and tiers' segments and the touches'
types and ``review_type``.
"""
from collections import namedtuple

import numpy as np
import pandas as pd

from . import _arrays, _csm, _ids, _table
from ._options import options

__all__ = ["review_cadence", "ReviewCadence"]

#: The result of review_cadence: ``accounts`` (the table "reviews" by
#: account), ``owners`` (the table "reviews_owners" by CSM) and
#: ``summary`` (the one row of "reviews_summary", a dict).
ReviewCadence = namedtuple("ReviewCadence", "accounts owners summary")

_NONE = np.iinfo(np.int32).min  # CSM_REVIEWS_OWNER_NONE, CSM_CODE_ALL


def _col(frame, name):
    return frame[name] if frame is not None and name in frame else None


def shared_codes(columns, field):
    """Codes (int32) of several columns of one vocabulary (None columns stay
    None) and their Keys (None when every column holds numbers).  A missing
    value (None, NaN) is INT32_MIN, the library's "none" / "any"."""
    series = [None if c is None else pd.Series(np.asarray(c, dtype=object)) for c in columns]
    present = [s for s in series if s is not None]
    if all(_ids._numeric(s[s.notna()]) for s in present):
        return [None if s is None else
                _arrays.as_array(s.where(s.notna(), _NONE).astype(np.int64), np.int32, field)
                for s in series], None
    values = pd.concat(present, ignore_index=True)
    codes, keys = _ids.encode(values, field, np.int32, missing=True)
    codes = np.where(codes < 0, _NONE, codes).astype(np.int32)
    out, at = [], 0
    for s in series:
        if s is None:
            out.append(None)
        else:
            out.append(np.ascontiguousarray(codes[at:at + len(s)]))
            at += len(s)
    return out, keys


def _code(value, keys, field):
    """One code of a vocabulary (a number as it is, or a label's id)."""
    if value is None:
        return None
    if keys is None:
        return _arrays.integer(value, field)
    return int(keys.lookup([value], field)[0])


def _day(x, field):
    if x is None:
        return None
    return int(_arrays.day_index([x] if isinstance(x, str) else np.asarray([x]), field)[0])


def review_cadence(accounts, touches, as_of=None, default_days=None, review_type=None,
                   tiers=None, as_table=False):
    """Check each account's review cadence on ``as_of`` (a day; None: the C
    default, the latest review of a listed account).

    ``accounts``: a DataFrame (or dict of arrays) with ``account`` and
    optionally ``owner`` (the CSM; absent: the CSM of the last review),
    ``segment`` and ``mrr``.  ``touches``: ``account``, ``day`` and
    optionally ``csm`` and ``type``; a touch is a review when its type is
    ``review_type`` (None: every touch).  ``tiers``: None, or a DataFrame
    with ``days`` and optionally ``segment`` (None = any) and ``min_mrr``:
    an account takes the cadence of the first tier it matches, else
    ``default_days`` (None: the C default, 90).

    Returns a ReviewCadence: ``accounts`` indexed by account (owner,
    segment, mrr, tier, cadence_days, reviews, last_review, last_reviewer,
    next_due, overdue, days_overdue; days as Timestamps, NaT when never
    reviewed), ``owners`` indexed by owner (accounts, on_cadence, overdue,
    never_reviewed, coverage, flag_bits) and ``summary`` (a dict: as_of,
    accounts, on_cadence, overdue, never_reviewed, coverage, flags).
    ``as_table=True`` returns the csmetrics.Table "reviews" instead."""
    acc, akeys = _ids.encode(_col(accounts, "account"), "account", np.int64)
    if akeys is None:
        tacc = _arrays.as_array(_col(touches, "account"), np.int64, "account")
    else:
        tacc = _ids.lookup(_col(touches, "account"), akeys, "account", np.int64, "ignore")
    (owner, csm), okeys = shared_codes([_col(accounts, "owner"), _col(touches, "csm")], "owner")
    (seg, tseg), skeys = shared_codes([_col(accounts, "segment"), _col(tiers, "segment")],
                                      "segment")
    (ttype,), tkeys = shared_codes([_col(touches, "type")], "type")
    cols_a = {"account": acc, "owner": owner, "segment": seg,
              "mrr": _arrays.optional(_col(accounts, "mrr"), np.float64, "mrr")}
    cols_t = {"account": tacc, "day": _arrays.day_index(_col(touches, "day"), "day"),
              "csm": csm, "type": ttype}
    days = _arrays.optional(_col(tiers, "days"), np.int32, "tier_days")
    if tiers is not None and days is None:
        days = np.zeros(0, np.int32)
    mins = _arrays.optional(_col(tiers, "min_mrr"), np.float64, "tier_min_mrr")
    o = options(_csm.reviews_opts, as_of=_day(as_of, "as_of"),
                default_days=None if default_days is None else
                _arrays.integer(default_days, "default_days"),
                review_type=_code(review_type, tkeys, "review_type"))
    conv = _csm.py_reviews_compute(cols_a, cols_t, tseg, mins, days, o)
    labels = _ids.label_keys(account=akeys, owner=okeys, last_reviewer=okeys, segment=skeys)
    t = _table.Table(conv, 0, keep_codes=True, label_keys=labels)
    if as_table:
        return t
    return ReviewCadence(_table.frame(t, keep_codes=True),
                         _table.frame(t.result_table("reviews_owners"), keep_codes=True),
                         _table.row(t.result_table("reviews_summary"), keys=True))
