"""MRR movements, retention, cohorts, surveys and activity of a
``dask.dataframe`` (docs/scaling.md,
"Dask"): each partition of the rows (whole customers) is mapped to its
mergeable partial state (csmetrics.Partial, shipped as bytes), the states
are merged in a tree (``split_every`` at a time) and the merged state is
finalized on the client into the table ``csmetrics.Ledger`` gives on all
the rows.  Works on any Dask scheduler (threads, processes, distributed).

Needs ``dask`` (and ``distributed`` for a cluster); importing
``csmetrics`` does not import this module.
"""

import dask
import numpy as np
import pandas as pd

from . import _ids, _keys
from ._errors import DomainError, InvalidArgumentError, _fail
from .activity import _COLUMNS as _ACTIVITY_COLUMNS, activity_partial
from .nps import ces_partial, csat_partial, nps_partial
from .ledger import Ledger as _OneLedger
from .partial import Partial

__all__ = ["Ledger", "nps", "csat", "ces", "activity"]


def _partition_state(df, customer, month, mrr, segment, seg_labels, ledger_kw, kind, opts):
    """The partial state (bytes) of one partition's rows (a pandas
    DataFrame of whole customers)."""
    if len(df) == 0:  # no ids to read labels from: the columns of an empty ledger
        empty = np.empty(0, np.int32)
        cols = (np.empty(0, np.int64), empty, np.empty(0), None if segment is None else empty)
    else:
        seg = None if segment is None else df[segment]
        if seg is not None and seg_labels is not None:  # the whole ddf's label ids
            seg = pd.Index(seg_labels, dtype=object).get_indexer(
                seg.to_numpy(dtype=object)).astype(np.int32)
        cols = (df[customer].to_numpy(), df[month].to_numpy(), df[mrr].to_numpy(), seg)
    led = _OneLedger(*cols, **ledger_kw)
    return getattr(led, kind + "_partial")(**opts).to_bytes()


def _merge_states(states):
    """One state (bytes) of several, merged."""
    acc = Partial.from_bytes(states[0])
    for s in states[1:]:
        acc.merge(Partial.from_bytes(s))
    return acc.to_bytes()


def _tree(states, split_every):
    """The delayed states merged in a tree, split_every at a time."""
    if split_every < 2:
        raise ValueError("split_every must be at least 2")
    while len(states) > 1:
        states = [dask.delayed(_merge_states, pure=True)(states[i:i + split_every])
                  for i in range(0, len(states), split_every)]
    return states[0]


class Ledger:
    """An MRR ledger held as a ``dask.dataframe``.

    ``Ledger(ddf, customer="customer_id", month="month", mrr="mrr",
    segment=None, strict=None, free_is_active=None,
    partitioned_by_customer=False, split_every=8)``

    The columns are those of ``csmetrics.Ledger`` (``month`` as there: a
    Period, datetime, "YYYY-MM" string or month index; ids numbers or any
    labels).  Every row of a customer must be in one partition
    (docs/scaling.md, "A customer in two partitions"): unless the
    ddf's index is ``customer`` with known divisions, or
    ``partitioned_by_customer=True`` says so, the rows are shuffled by a
    hash of the customer id first (``ddf.shuffle(on=customer)``).  Segment
    labels that are not numbers are collected on the client first (one
    small pass, ``unique``), so that every partition gives a segment the
    same id.

    ``movements(**opts)``, ``retention(**opts)``, ``cohorts(values,
    relative, **opts)`` and ``km(by_segment, as_of=..., **km_opts)`` take the options of ``csmetrics.Ledger.movements``
    / ``retention`` / ``cohorts`` (not ``n_jobs``, and not the "daily"
    churn denominator, which does not merge; ``cohort_keys`` only with
    numeric customer ids) and return the same DataFrame (``as_table=True``:
    the Table).  Extra keyword
    ``compute_kwargs`` (a dict) is passed to ``dask.compute`` (e.g.
    ``{"scheduler": "processes"}``); by default the current scheduler
    (a ``distributed.Client`` if one is active) runs the job."""

    def __init__(self, ddf, customer="customer_id", month="month", mrr="mrr",
                 segment=None, strict=None, free_is_active=None,
                 partitioned_by_customer=False, split_every=8):
        if split_every < 2:
            raise ValueError("split_every must be at least 2")
        if customer == ddf.index.name and customer not in ddf.columns:
            # an index with known divisions keeps each id in one partition
            partitioned_by_customer = partitioned_by_customer or ddf.known_divisions
            ddf = ddf.reset_index()
        if not partitioned_by_customer:
            ddf = ddf.shuffle(on=customer)
        self._ddf = ddf
        self._cols = (customer, month, mrr, segment)
        self._ledger_kw = {"strict": strict, "free_is_active": free_is_active}
        self._split_every = int(split_every)
        self._seg_keys = None
        self._seg_labels = None
        if segment is not None and not pd.api.types.is_numeric_dtype(ddf[segment].dtype):
            uniq = ddf[segment].unique().compute()
            k = _keys.encode(uniq, "segment")
            if (k.ids < 0).any():
                raise _fail(DomainError, "missing segment", field="segment")
            self._seg_keys = k
            self._seg_labels = list(k.labels)

    @property
    def npartitions(self):
        """Partitions of the (shuffled) rows."""
        return self._ddf.npartitions

    def state(self, kind, **opts):
        """A ``dask.delayed`` of the merged partial state (bytes) of
        ``kind`` ("movements", "retention", "cohorts" or "lifetimes") with
        the options ``opts``: one task per partition, then merges
        ``split_every`` at a time."""
        if kind not in ("movements", "retention", "cohorts", "lifetimes"):
            raise ValueError(
                "kind must be 'movements', 'retention', 'cohorts' or 'lifetimes'")
        if (opts.get("cohort_keys") is not None
                and not pd.api.types.is_numeric_dtype(self._ddf[self._cols[0]].dtype)):
            # each partition encodes its own customer labels: a key of a
            # customer elsewhere has no id there
            raise _fail(InvalidArgumentError,
                        "cohort_keys need numeric customer ids with Dask",
                        field="cohort_keys")
        # the options are checked here, on the client, before any task runs
        getattr(_OneLedger([], [], []), kind + "_partial")(**opts)
        customer, month, mrr, segment = self._cols
        cols = [c for c in self._cols if c is not None]
        states = [dask.delayed(_partition_state, pure=True)(
                      part, customer, month, mrr, segment, self._seg_labels,
                      self._ledger_kw, kind, opts)
                  for part in self._ddf[cols].to_delayed()]
        return _tree(states, self._split_every)

    def _result(self, kind, opts, as_table, compute_kwargs, *args):
        (data,) = dask.compute(self.state(kind, **opts), **(compute_kwargs or {}))
        labels = _ids.label_keys(segment=self._seg_keys)
        p = Partial.from_bytes(data, labels, bool(opts.get("by_segment")))
        return getattr(p, kind)(*args, as_table=as_table)

    def movements(self, *, as_table=False, compute_kwargs=None, **opts):
        """MRR movements per month: ``csmetrics.Ledger.movements(**opts)``
        of all the rows."""
        return self._result("movements", opts, as_table, compute_kwargs)

    def retention(self, *, as_table=False, compute_kwargs=None, **opts):
        """Rolling retention: ``csmetrics.Ledger.retention(**opts)`` of all
        the rows."""
        return self._result("retention", opts, as_table, compute_kwargs)

    def cohorts(self, values="customers", relative=True, *, as_table=False,
                compute_kwargs=None, **opts):
        """Cohort matrix: ``csmetrics.Ledger.cohorts(values, relative,
        **opts)`` of all the rows."""
        return self._result("cohorts", opts, as_table, compute_kwargs, values, relative)

    def km(self, by_segment=False, *, as_of=None, as_table=False, compute_kwargs=None,
           **km_opts):
        """Kaplan-Meier of the customers' lifetimes:
        ``csmetrics.Ledger.km(by_segment, as_of=as_of, **km_opts)`` of all
        the rows (each partition's counts by run length, merged)."""
        opts = {} if as_of is None else {"as_of": as_of}
        (data,) = dask.compute(self.state("lifetimes", **opts), **(compute_kwargs or {}))
        p = Partial.from_bytes(data, _ids.label_keys(segment=self._seg_keys))
        return p.km(by_segment, as_table=as_table, **km_opts)


# ---- survey responses --------------------------------------------------------
_SURVEY_PARTIAL = {"nps": nps_partial, "csat": csat_partial, "ces": ces_partial}

def _survey_part(df, kind, score, group, opts):
    """The partial state (bytes) of one partition's responses."""
    g = None if group is None else df[group].to_numpy()
    return _SURVEY_PARTIAL[kind](df[score].to_numpy(), g, **opts).to_bytes()


def _responses(kind, ddf, score, group, opts, split_every, as_table, compute_kwargs):
    if group is not None and not pd.api.types.is_integer_dtype(ddf[group].dtype):
        # each partition would give labels ids of its own
        raise _fail(InvalidArgumentError, "group must be integer codes with Dask",
                    field="group")
    _SURVEY_PARTIAL[kind]([], None, **opts)  # the options checked on the client
    cols = [score] + ([] if group is None else [group])
    states = [dask.delayed(_survey_part, pure=True)(part, kind, score, group, opts)
              for part in ddf[cols].to_delayed()]
    (data,) = dask.compute(_tree(states, int(split_every)), **(compute_kwargs or {}))
    return getattr(Partial.from_bytes(data), kind)(as_table=as_table)


def nps(ddf, score="score", group=None, *, split_every=8, as_table=False,
        compute_kwargs=None, **opts):
    """NPS of the responses of a ``dask.dataframe`` (column ``score``, 0..10;
    optional integer ``group`` codes): each partition's score counts
    (``csm.nps_partial``), merged in a tree, finalized on the client into
    what ``csm.nps_by_group`` gives on all the rows (without ``group``: one
    row).  Responses need no partitioning rule.  ``opts``: ``confidence``."""
    return _responses("nps", ddf, score, group, opts, split_every, as_table, compute_kwargs)


def csat(ddf, score="score", group=None, *, split_every=8, as_table=False,
         compute_kwargs=None, **opts):
    """CSAT of the responses of a ``dask.dataframe``, as ``nps``: one row per
    group, each ``csm.csat`` of its responses.  ``opts``: those of
    ``csm.csat`` (``top_box_min``, ``scale_min``, ``scale_max``,
    ``confidence``)."""
    return _responses("csat", ddf, score, group, opts, split_every, as_table, compute_kwargs)


def ces(ddf, score="score", group=None, *, split_every=8, as_table=False,
        compute_kwargs=None, **opts):
    """CES of the responses of a ``dask.dataframe``, as ``nps``: one row per
    group, each ``csm.ces`` of its responses.  ``opts``: those of
    ``csm.ces``."""
    return _responses("ces", ddf, score, group, opts, split_every, as_table, compute_kwargs)


# ---- activity ----------------------------------------------------------------
def _activity_part(df, opts):
    """The activity state (bytes) of one partition's rows (whole accounts)."""
    return activity_partial({c: df[c].to_numpy() for c in df.columns}, **opts).to_bytes()


def activity(ddf, group_by=None, *, partitioned_by_account=False, split_every=8,
             as_table=False, compute_kwargs=None, **opts):
    """Activity measures of the rows of a ``dask.dataframe`` (the columns of
    ``csm.activity``: ``account_id``, any of role, segment, cohort, the
    counts, ``stage`` and ``category``; ids must be numbers): each
    partition's state (``csm.activity_partial``), merged in a tree
    (``split_every`` at a time), finalized on the client into what
    ``csm.activity(rows, group_by, **opts)`` gives on all the rows.  Every
    row of an account must be in one partition: unless
    ``partitioned_by_account=True`` says so (or the index is
    ``account_id`` with known divisions), the rows are shuffled by a hash
    of ``account_id`` first.  ``opts``: those of ``csm.activity``
    (``clamp``, ``nan_missing``, ``month``, ``launch_month``...)."""
    if split_every < 2:
        raise ValueError("split_every must be at least 2")
    if ddf.index.name == "account_id" and "account_id" not in ddf.columns:
        partitioned_by_account = partitioned_by_account or ddf.known_divisions
        ddf = ddf.reset_index()
    names = {c for c, _ in _ACTIVITY_COLUMNS} | {"stage", "category"}
    cols = [c for c in ddf.columns if c in names]
    for c in ("account_id", "segment", "role", "category"):
        if c in cols and not pd.api.types.is_numeric_dtype(ddf[c].dtype):
            # each partition would give labels ids of its own
            raise _fail(InvalidArgumentError, f"{c} must be numbers with Dask", field=c)
    opts = dict(opts, group_by=group_by)
    # the options and columns checked here, on the client, before any task runs
    group_code = activity_partial({c: np.empty(0, ddf[c].dtype) for c in cols},
                                  **opts)._group_by
    if not partitioned_by_account:
        ddf = ddf.shuffle(on="account_id")
    states = [dask.delayed(_activity_part, pure=True)(part, opts)
              for part in ddf[cols].to_delayed()]
    (data,) = dask.compute(_tree(states, int(split_every)), **(compute_kwargs or {}))
    return Partial.from_bytes(data, group_by=group_code).activity(as_table=as_table)
