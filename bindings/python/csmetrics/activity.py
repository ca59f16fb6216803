"""Activity measures (csmetrics/activity.h): seat activation, login rate,
sessions and minutes per user, feature breadth and stickiness, per account,
segment, role, cohort or overall.

Definitions: docs/metrics.md, "Activity measures".  The tables are the C
library's "activity" and "activity_measures" (csmetrics._table); the input
columns are the members of the C struct csm_activity_rows, the measure
names csm_activity_measure_name's.  Options left at None take the C
defaults (CSM_ACTIVITY_OPTS_INIT).
"""
import numpy as np
import pandas as pd

from . import _arrays, _csm, _ids, _table
from ._errors import InvalidArgumentError, _fail
from ._options import choices, flag, options

__all__ = ["activity", "activity_partial", "ACTIVITY_RATES", "ACTIVITY_STAGES"]

_GROUPS = dict(sorted({**choices("ACTIVITY_BY_"), "all": _csm.ACTIVITY_ALL}.items(),
                      key=lambda kv: kv[1]))
_GROUP_NAMES = {code: name for name, code in _GROUPS.items()}
# the input columns (csm_activity_rows' members) and their dtypes, from C
_COLUMNS = _csm.py_activity_rows_columns()
# the id columns (integers or any hashable: csmetrics._ids) by the group_by
# whose key they are
_KEYED_BY = {"account": "account_id", "segment": "segment", "role": "role"}
#: The activity measures' names, from the C library (csm_activity_measure_name).
ACTIVITY_RATES = [_csm.activity_measure_name(m) for m in range(_csm.ACTIVITY_N)]
#: The lifecycle stages' names by code, from the C library (csm_activity_stage_name).
ACTIVITY_STAGES = {code: _csm.activity_stage_name(code) for name, code in
                   choices("ACTIVITY_STAGE_").items()}


def activity(frame, group_by=None, clamp=None, nan_missing=None, month=None, launch_month=None,
             growth_month=None, mature_month=None, as_table=False):
    """Activity measures from a DataFrame (or dict of arrays) with
    ``account_id`` and any of role, segment, cohort and the counts
    licensed_seats, activated_seats, active_users, sessions, minutes,
    features_used, features_available, dau, mau.  ``account_id``, ``role``
    and ``segment`` are integers or any hashable labels (strings, UUIDs;
    csmetrics._ids): the index then shows them as given; a missing one
    (None, NaN, "") is a DomainError naming its row.  ``cohort`` is a
    month index.

    Returns a DataFrame indexed by the group key (named after
    ``group_by``: "account", "segment", "role", "cohort" or "all"; None is
    the C default, by account): the table "activity" (n_accounts and the
    sums), then one column per measure (ACTIVITY_RATES: the seven rates,
    seat-weighted ratios of sums) and ``mean_<rate>`` (unweighted means
    over accounts), both from the long table "activity_measures", then
    ``flag_bits`` (the C column "flags").
    ``clamp``: True caps a part above its whole (e.g. activated above
    licensed seats) at 1 with the clamped flag; False rejects it with
    DomainError.  ``nan_missing``: True reads a NaN count as a missing
    value (every sum and measure of its group that uses that column is
    NaN); False rejects it with DomainError.  None keeps the C defaults
    (CSM_ACTIVITY_OPTS_INIT: both rejected).
    Lifecycle and product (``group_by="stage"`` / ``"category"``): the
    frame's ``stage`` column (codes, ACTIVITY_STAGES) or else each row's
    stage by tenure, ``month`` - its ``cohort`` (``month`` is the month the
    rows describe), onboarding below ``launch_month``, launch below
    ``growth_month``, growth below ``mature_month`` (None: the C defaults,
    3, 6 and 12 months); the frame's ``category`` column (product
    category codes; absent: one category 0).  Stages index the rows by
    name ("onboarding", ...).
    ``as_table=True`` returns the csmetrics.Table "activity" instead
    (``result_table("activity_measures")`` for the long table)."""
    rows, keys, stage, category, o = _inputs(frame, group_by, clamp, nan_missing, month,
                                             launch_month, growth_month, mature_month)
    return _frame(_csm.py_activity_compute(rows, stage, category, o), o.group_by, keys,
                  as_table)


def _inputs(frame, group_by, clamp, nan_missing, month, launch_month, growth_month,
            mature_month):
    """(the C rows, the Keys of their label columns, stage, category, the
    options) of ``activity``'s arguments."""
    if group_by is not None and group_by not in _GROUPS:
        raise _fail(InvalidArgumentError, "group_by must be account, segment, role, cohort, "
                    "stage, category or all", field="group_by")
    if "account_id" not in frame:  # required: as_array names it
        _arrays.as_array(None, np.int64, "account_id")
    rows, keys = {}, {}
    for name, dtype in _COLUMNS:
        x = frame[name] if name in frame else None
        if name in _KEYED_BY.values():
            rows[name], keys[name] = _ids.encode(x, name, dtype)
        else:
            rows[name] = _arrays.optional(x, dtype, name)
    o = options(_csm.activity_opts, group_by=_GROUPS.get(group_by), clamp=flag(clamp),
                nan_missing=flag(nan_missing), month=_arrays.month_scalar(month, "month"),
                launch_month=launch_month, growth_month=growth_month,
                mature_month=mature_month)
    # the lifecycle stage and the product category go into the options
    stage = _arrays.optional(frame["stage"] if "stage" in frame else None, np.int32, "stage")
    category, keys["category"] = _ids.encode(frame["category"] if "category" in frame
                                             else None, "category", np.int32)
    return rows, keys, stage, category, o


def _frame(res, group_by, keys, as_table):
    """The DataFrame (or Table) of an activity result ``res`` grouped by
    the code ``group_by``; ``keys``: the Keys of the label columns."""
    # the key shows the accounts, segments, roles or categories as given
    by = _KEYED_BY.get(_GROUP_NAMES[group_by], "category" if group_by ==
                       _csm.ACTIVITY_BY_CATEGORY else None)
    t = _table.Table(res, label_keys=_ids.label_keys(key=keys.get(by)))
    if as_table:
        return t
    sums = _table.frame(t)
    measures = t.result_table("activity_measures")
    # (labels: the measures' names, for a table without rows)
    rates = _table.pivot(measures, "measure", "rate", labels=ACTIVITY_RATES)
    means = _table.pivot(measures, "measure", ["mean"], labels=ACTIVITY_RATES)
    data = {k: sums[k].to_numpy() for k in sums.columns if k != _table.FLAG_BITS}
    data.update((k, rates[k].to_numpy()) for k in rates.columns)
    data.update((k, means[k].to_numpy()) for k in means.columns)
    data[_table.FLAG_BITS] = sums[_table.FLAG_BITS].to_numpy()
    df = pd.DataFrame(data, index=sums.index, copy=False)
    df.index.name = _GROUP_NAMES[group_by]
    if group_by == _csm.ACTIVITY_BY_STAGE:
        df.index = pd.Index([ACTIVITY_STAGES.get(k, k) for k in df.index], name="stage")
    return df


def activity_partial(frame, group_by=None, clamp=None, nan_missing=None, month=None,
                     launch_month=None, growth_month=None, mature_month=None):
    """The activity of some of the rows as a mergeable csmetrics.Partial
    (csm_activity_partial_compute; docs/scaling.md), with the arguments of
    ``activity``.  Merge it with the states of the other rows
    (``Partial.merge``: same options and the same count columns);
    ``Partial.activity()`` then gives what ``activity`` gives on all of
    them.  Every row of an account must be in the same part (partition by
    ``account_id``).  ``account_id``, ``role``, ``segment`` and
    ``category`` must be numbers: labels would get other ids in other
    parts (InvalidArgumentError)."""
    from .partial import Partial
    rows, keys, stage, category, o = _inputs(frame, group_by, clamp, nan_missing, month,
                                             launch_month, growth_month, mature_month)
    for name, k in keys.items():
        if k is not None:
            raise _fail(InvalidArgumentError, f"{name} must be numbers in a partial state "
                        "(each part would give labels ids of its own)", field=name)
    return Partial(_csm.py_activity_partial_compute(rows, stage, category, o),
                   group_by=o.group_by)
