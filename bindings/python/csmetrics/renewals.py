"""Renewals (csmetrics/renewals.h): contracts due in a window, renewed
within a grace period, renewed late or churned; logo and dollar renewal
rates, overall or per segment, channel or owner.

Definitions: docs/metrics.md, "Renewals".  The tables are the C library's
"renewals" and "renewal_contracts" (csmetrics._table).
"""
import numpy as np
import pandas as pd

from . import _arrays, _csm, _table
from ._errors import Error, InvalidArgumentError, _fail
from ._options import flag, options


def _outcome_names():
    # csm_renewals_outcome_name(0, 1, ...) until the first "unknown"
    names = []
    while (name := _csm.renewals_outcome_name(len(names))) != "unknown":
        names.append(name)
    return np.array(names)


_OUTCOMES = _outcome_names()
_GROUPS = {None: _csm.RENEWALS_GROUP_NONE, "none": _csm.RENEWALS_GROUP_NONE, "segment": _csm.RENEWALS_GROUP_SEGMENT,
           "channel": _csm.RENEWALS_GROUP_CHANNEL, "owner": _csm.RENEWALS_GROUP_OWNER}


def renewals(customer_id, start, end, value, window_start, window_end, *, segment=None,
             channel=None, owner=None, group_by=None, grace_days=None, late_counts=None,
             include_upsells=None, return_outcomes=False, contracts=False, as_table=False):
    """Contracts due in [window_start, window_end] (days, inclusive): renewed
    within ``grace_days`` after the due day, renewed late, churned; logo and
    dollar renewal rates.  ``grace_days``, ``late_counts`` and
    ``include_upsells`` left at None take the C defaults
    (CSM_RENEWALS_OPTS_INIT).

    Returns the DataFrame of the table "renewals": due, renewed, late,
    churned, due_value, renewed_value, late_value, churned_value,
    upsell_value, logo_renewal_rate, dollar_renewal_rate, flags; indexed by
    the group key (named after ``group_by``), or one row "all" (index name
    "group") without grouping.

    More outputs make it a tuple, in this order:

    * ``return_outcomes=True``: a DataFrame over every input row with
      ``outcome`` ("not_due", "renewed", "late", "churned" or "upsell") and
      ``match`` (row of the renewal or late renewal, of the parent for an
      upsell; -1 otherwise);
    * ``contracts=True``: the DataFrame of the table "renewal_contracts",
      one row per due contract indexed by its input row (contract_row):
      customer_id, group, due_day (datetime), value, outcome ("renewed",
      "late", "churned"), outcome_code, days_to_renewal (NaN when churned),
      renewal_row (-1 when churned), renewal_value, upsell_value,
      counts_as_renewed (bool); per group its rows add up to the summary
      row (due = rows, renewed = sum of counts_as_renewed, ...).

    ``as_table=True`` gives csmetrics.Table objects instead of the two
    tables' DataFrames (Arrow interface)."""
    if group_by not in _GROUPS:
        raise _fail(InvalidArgumentError, "group_by must be None, 'segment', 'channel' or "
                    "'owner'", field="group_by")
    cust = _arrays.as_array(customer_id, np.int64, "customer_id")
    sd = _arrays.day_index(start, "start_day")
    ed = _arrays.day_index(end, "end_day")
    # A contract's value is its total over its term: one billing interval
    # spanning the term (unit day, count = the term's days), which the
    # library values at exactly `value` (renewals.h); a term that ends
    # before it starts keeps count 1 so that C names end_day.
    term = (np.asarray(ed, np.int64) - np.asarray(sd, np.int64) + 1) if len(sd) == len(ed) \
        else np.ones(len(sd), np.int64)
    rows = {  # the C contract columns (csm_contracts), by member name (None: NULL)
        "customer_id": cust,
        "start_day": sd,
        "end_day": ed,
        "amount": _arrays.as_array(value, np.float64, "value"),
        "interval_count": np.clip(term, 1, np.iinfo(np.int32).max).astype(np.int32),
        "interval_unit": np.full(len(sd), _csm.UNIT_DAY, np.uint8),
        "segment": _arrays.optional(segment, np.int32, "segment"),
        "channel": _arrays.optional(channel, np.int32, "channel"),
        "owner": _arrays.optional(owner, np.int32, "owner"),
    }
    w0 = int(_arrays.day_index(np.asarray([window_start]) if not isinstance(window_start, str)
                               else [window_start], "window_start")[0])
    w1 = int(_arrays.day_index(np.asarray([window_end]) if not isinstance(window_end, str)
                               else [window_end], "window_end")[0])
    o = options(_csm.renewals_opts,
                grace_days=None if grace_days is None else _arrays.integer(grace_days,
                                                                           "grace_days"),
                late_counts=flag(late_counts), include_upsells=flag(include_upsells),
                group_by=_GROUPS[group_by])
    outcome = np.empty(len(cust), np.uint8) if return_outcomes else None
    match = np.empty(len(cust), np.int64) if return_outcomes else None
    try:
        conv = _csm.py_renewals_compute(outcome, match, rows, w0, w1, o)
    except Error as e:  # the C column "amount" is this function's `value`
        if e.field == "amount":
            e.field = "value"
        raise
    summary = _table.Table(conv, 0, keep_codes=True)
    per_contract = summary.result_table("renewal_contracts")
    if as_table:
        out = [summary]
    else:
        df = _table.frame(summary, keep_codes=True)
        if o.group_by == _csm.RENEWALS_GROUP_NONE:
            df.index = pd.Index(["all"] * len(df), name=df.index.name)
        else:
            df.index.name = group_by
        out = [df]
    if return_outcomes:
        out.append(pd.DataFrame({"outcome": _OUTCOMES[outcome], "match": match}))
    if contracts:
        out.append(per_contract if as_table else _table.frame(per_contract))
    return out[0] if len(out) == 1 else tuple(out)
