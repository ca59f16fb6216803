"""Renewals (csmetrics/renewals.h): contracts due in a window, renewed
within a grace period, renewed late or churned; logo and dollar renewal
rates, overall or per segment, channel or owner.

Definitions: docs/metrics.md, "Renewals".  The tables are the C library's
"renewals" and "renewal_contracts" (csmetrics._table).
"""
import numpy as np
import pandas as pd

from . import _arrays, _csm, _ids, _keys, _table
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


#: The group of the contracts without a segment, channel or owner (None,
#: NaN, ""): the CLI's "(unknown)", and "unassigned" for an owner as team()
#: shows it.
_NO_GROUP = {"segment": "(unknown)", "channel": "(unknown)", "owner": "unassigned"}


def _group(x, name):
    """(the int32 codes, Keys or None) of a group column (_ids.encode): a
    missing label is a group of its own, shown as _NO_GROUP[name], whose code
    comes after every label's (a code no label has, so it sorts last).  A
    column of numbers with missing cells goes through the dictionary too
    (integral numbers as ints), so that its missing group has a label."""
    if x is None or not _keys._is_missing(x).any():
        return _ids.encode(x, name, np.int32)
    v = _keys._objects(x)
    if _ids._numeric(x):
        v = np.array([t if pd.isna(t) or not float(t).is_integer() else int(t) for t in v],
                     dtype=object)
    k = _keys.encode(v, name)
    none = len(k.labels)
    ids = np.where(k.ids < 0, none, k.ids).astype(np.int32)
    labels = np.append(k.labels, np.array([_NO_GROUP[name]], dtype=object))
    return ids, _keys.Keys(ids, labels, k._dict)


def _contracts(customer_id, start, end, value, segment=None, channel=None, owner=None):
    """(the C contract columns (csm_contracts) by member name (None: NULL),
    {member: Keys} of the id columns given as labels (csmetrics._ids)) of
    contracts given as customer, start and end days and value over the
    term."""
    ids = {"customer_id": _ids.encode(customer_id, "customer_id", np.int64)}
    ids.update((name, _group(x, name)) for name, x in (("segment", segment),
                                                        ("channel", channel), ("owner", owner)))
    sd = _arrays.day_index(start, "start_day")
    ed = _arrays.day_index(end, "end_day")
    # A contract's value is its total over its term: the interval unit
    # CSM_UNIT_TERM (contracts.h), which the library values at exactly `value`
    rows = {
        "start_day": sd,
        "end_day": ed,
        "amount": _arrays.as_array(value, np.float64, "value"),
        "interval_unit": np.full(len(sd), _csm.UNIT_TERM, np.uint8),
    }
    rows.update((name, a) for name, (a, _) in ids.items())
    return rows, _ids.label_keys(**{name: k for name, (_, k) in ids.items()})


def _day(x, field):
    """One day index (int) from an integer, a date or a string."""
    return int(_arrays.day_index(np.asarray([x]) if not isinstance(x, str) else [x], field)[0])


def _call(fn, *args):
    """fn(*args), its errors naming this module's ``value`` where C names
    the contract column "amount"."""
    try:
        return fn(*args)
    except Error as e:
        if e.field == "amount":
            e.field = "value"
        raise


def renewals(customer_id, start, end, value, window_start, window_end, *, segment=None,
             channel=None, owner=None, group_by=None, grace_days=None, late_counts=None,
             include_upsells=None, as_of=None, return_outcomes=False, contracts=False,
             as_table=False):
    """Contracts due in [window_start, window_end] (days, inclusive): renewed
    within ``grace_days`` after the due day, renewed late, churned, or
    pending (not renewed yet, its grace period running past ``as_of``, the
    last day the contracts are known to: a day index, a date or a string);
    logo and dollar renewal rates (renewed so far / due).  ``grace_days``, ``late_counts``, ``include_upsells`` and
    ``as_of`` left at None take the C defaults (CSM_RENEWALS_OPTS_INIT;
    ``as_of`` None: every grace period is over, nothing is pending).

    ``customer_id``, ``segment``, ``channel`` and ``owner`` are integers or
    any hashable labels (strings, UUIDs; csmetrics._ids): labels go through
    the library's key dictionary and the DataFrames show them as given (the
    group index, renewal_contracts' customer_id and group).  A missing
    customer (None, NaN, "") is a DomainError naming its row; a contract
    without a segment, channel or owner is in the group "(unknown)"
    ("unassigned" for the owner), shown last.

    Returns the DataFrame of the table "renewals": due, renewed, late,
    churned, due_value, renewed_value, late_value, churned_value,
    upsell_value, logo_renewal_rate, dollar_renewal_rate, flag_bits, pending,
    pending_value; indexed by
    the group key (named after ``group_by``), or one row "all" (index name
    "group") without grouping.

    More outputs make it a tuple, in this order:

    * ``return_outcomes=True``: a DataFrame over every input row with
      ``outcome`` ("not_due", "renewed", "late", "churned", "upsell" or
      "pending") and
      ``match`` (row of the renewal or late renewal, of the parent for an
      upsell; -1 otherwise);
    * ``contracts=True``: the DataFrame of the table "renewal_contracts",
      one row per due contract indexed by its input row (contract_row):
      customer_id, group, due_day (datetime), value, outcome ("renewed",
      "late", "churned", "pending"), outcome_code, days_to_renewal (NaN when
      churned or pending), renewal_row (-1 when churned or pending),
      renewal_value, upsell_value,
      counts_as_renewed (bool); per group its rows add up to the summary
      row (due = rows, renewed = sum of counts_as_renewed, ...).

    ``as_table=True`` gives csmetrics.Table objects instead of the two
    tables' DataFrames (Arrow interface)."""
    if group_by not in _GROUPS:
        raise _fail(InvalidArgumentError, "group_by must be None, 'segment', 'channel' or "
                    "'owner'", field="group_by")
    rows, keys = _contracts(customer_id, start, end, value, segment=segment,
                            channel=channel, owner=owner)
    w0 = _day(window_start, "window_start")
    w1 = _day(window_end, "window_end")
    o = options(_csm.renewals_opts,
                grace_days=None if grace_days is None else _arrays.integer(grace_days,
                                                                           "grace_days"),
                late_counts=flag(late_counts), include_upsells=flag(include_upsells),
                group_by=_GROUPS[group_by],
                as_of_day=None if as_of is None else _day(as_of, "as_of"))
    n = len(rows["customer_id"])
    outcome = np.empty(n, np.uint8) if return_outcomes else None
    match = np.empty(n, np.int64) if return_outcomes else None
    conv = _call(_csm.py_renewals_compute, outcome, match, rows, w0, w1, o)
    # the DataFrames show the customers and the group keys as given
    labels = _ids.label_keys(customer_id=keys.get("customer_id"), group=keys.get(group_by))
    summary = _table.Table(conv, 0, keep_codes=True, label_keys=labels)
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


def renewals_days_to_end(account_id, customer_id, start, end, value, day):
    """Days from ``day`` to the nearest end day, on or after ``day``, of each
    account's contracts (csm_renewals_days_to_end; the health input
    "days_to_renewal"): 0 when a contract ends on ``day``, NaN when the
    account has none ending then or later.  The contracts are given as to
    renewals() (customer_id, start, end, value; ends inclusive) and checked
    the same way; ``day`` is a day index, a date or a string.

    Returns a float64 array, one element per ``account_id`` (any ids, in any
    order, repeats allowed; labels when the customers are labels, an account
    that is no contract's customer giving NaN)."""
    rows, keys = _contracts(customer_id, start, end, value)
    # labels: an account that is no contract's customer has none (NaN)
    acc = _ids.lookup(account_id, keys.get("customer_id"), "account_id", np.int64,
                      unknown="ignore", of="the contracts' customer ids")
    days = np.empty(len(acc), np.float64)
    _call(_csm.py_renewals_days_to_end, days, acc, rows, _day(day, "day"), None)
    return days
