"""Mergeable partial results (csmetrics/partial.h, docs/scaling.md): the
state of a family's computation on a partition of the customers, merged
with the other partitions' and finalized into the one-shot table.  States
come from e.g. ``Ledger.movements_partial``; they pickle as their C bytes,
so processes (Dask workers, say) can ship them to one another."""

import numpy as np

from . import _csm, _keys, _table
from ._errors import InvalidArgumentError, _fail

__all__ = ["Partial"]


def cohorts_field(values, relative):
    """The "cohort_cells" column of ``cohorts(values, relative)``."""
    field = {("customers", True): "customers_frac", ("customers", False): "customers",
             ("mrr", True): "mrr_frac", ("mrr", False): "mrr"}.get((values, bool(relative)))
    if field is None:
        raise _fail(InvalidArgumentError,
                    f"unknown value {values!r}; expected 'customers' or 'mrr'",
                    field="values")
    return field


def cohorts_matrix(conv, field, by_segment, label_keys, as_table):
    """The cohort x age matrix of column ``field`` of a converted cohorts
    result (``as_table``: the Table "cohorts")."""
    t = _table.Table(conv, 0, keep_codes=by_segment, label_keys=label_keys)
    if as_table:
        return t
    return _table.pivot(t.result_table("cohort_cells"), "age", field,
                        keep_codes=by_segment)


class Partial:
    """A mergeable partial result (csmetrics/partial.h): the state of a
    family's computation on some of the customers, from e.g.
    ``Ledger.movements_partial``.  ``merge(other)`` adds another partition's
    state (same family and options; the partitions must not share a
    customer); ``movements()`` / ``retention()`` / ``cohorts()`` finalize into
    the table the one-shot call gives on all the customers.  A Partial pickles (as its C bytes,
    ``to_bytes()`` / ``Partial.from_bytes(b)``), so processes can ship
    states to one another (same library version and byte order).
    ``label_keys`` (internal): the Keys of label ids of the ledger;
    ``group_by`` (internal): an activity state's grouping code, which
    names the index of ``activity()``."""

    def __init__(self, ptr, label_keys=None, by_segment=False, group_by=None):
        self._ptr = ptr
        self._labels = label_keys
        self._by_segment = bool(by_segment)
        self._group_by = group_by

    @property
    def kind(self):
        """The family: "movements", "retention", "cohorts", "nps", "csat",
        "ces", "lifetimes" (Kaplan-Meier counts) or "activity"."""
        return {_csm.PARTIAL_MOVEMENTS: "movements",
                _csm.PARTIAL_RETENTION: "retention",
                _csm.PARTIAL_COHORTS: "cohorts",
                _csm.PARTIAL_NPS: "nps",
                _csm.PARTIAL_CSAT: "csat",
                _csm.PARTIAL_CES: "ces",
                _csm.PARTIAL_LIFETIMES: "lifetimes",
                _csm.PARTIAL_ACTIVITY: "activity"}[_csm.partial_kind_of(self._ptr)]

    def merge(self, other):
        """Merge other's state into this one (in place); returns self.
        Errors: InvalidArgumentError (another family, other options)."""
        if not isinstance(other, Partial):
            raise _fail(InvalidArgumentError, "merge needs a Partial", field="other")
        _csm.partial_merge(self._ptr, other._ptr)
        return self

    def to_bytes(self):
        """The state as bytes (csm_partial_serialize)."""
        return _csm.py_partial_to_bytes(self._ptr)

    @classmethod
    def from_bytes(cls, data, label_keys=None, by_segment=False, group_by=None):
        """A state from the bytes of ``to_bytes`` (InvalidArgumentError for
        bytes that are not one)."""
        return cls(_csm.py_partial_from_bytes(np.frombuffer(data, np.uint8)),
                   label_keys, by_segment, group_by)

    def __reduce__(self):
        # label dictionaries travel as their labels (a dictionary of the
        # same labels gives them the same ids: their ranks)
        labels = None if self._labels is None else {
            name: list(k.labels) for name, k in self._labels.items()}
        return (_unpickle, (self.to_bytes(), labels, self._by_segment, self._group_by))

    def movements(self, *, as_table=False):
        """The movements table of a (merged) movements state: what
        ``Ledger.movements`` returns with the options of the state."""
        return _table.result(_csm.movements_partial_finalize(self._ptr), as_table,
                             keep_codes=self._by_segment, label_keys=self._labels)

    def retention(self, *, as_table=False):
        """The retention table of a (merged) retention state: what
        ``Ledger.retention`` returns with the options of the state."""
        return _table.result(_csm.retention_partial_finalize(self._ptr), as_table,
                             keep_codes=self._by_segment, label_keys=self._labels)

    def cohorts(self, values="customers", relative=True, *, as_table=False):
        """The cohort matrix of a (merged) cohorts state: what
        ``Ledger.cohorts(values, relative)`` returns with the options of
        the state."""
        return cohorts_matrix(_csm.cohorts_partial_finalize(self._ptr),
                              cohorts_field(values, relative), self._by_segment,
                              self._labels, as_table)


    def _survey(self, finalize, as_table):
        return _table.result(finalize(self._ptr), as_table, keep_codes=True)

    def nps(self, *, as_table=False):
        """The table "nps" of a (merged) NPS state (``csm.nps_partial``):
        a DataFrame indexed by group, what ``csm.nps_by_group`` gives on
        all the responses."""
        return self._survey(_csm.nps_partial_finalize, as_table)

    def csat(self, *, as_table=False):
        """The table "csat" of a (merged) CSAT state (``csm.csat_partial``):
        one row per group, each ``csm.csat`` of its responses."""
        return self._survey(_csm.csat_partial_finalize, as_table)

    def ces(self, *, as_table=False):
        """The table "ces" of a (merged) CES state (``csm.ces_partial``):
        one row per group, each ``csm.ces`` of its responses."""
        return self._survey(_csm.ces_partial_finalize, as_table)

    def activity(self, *, as_table=False):
        """The activity of a (merged) activity state (``csm.activity_partial``):
        what ``csm.activity`` gives on all the rows with the options of the
        state (index named after its ``group_by``; "key" for a state read
        from bytes without it)."""
        from .activity import _frame
        res = _csm.activity_partial_finalize(self._ptr)
        df = _frame(res, self._group_by if self._group_by is not None
                    else _csm.ACTIVITY_BY_ACCOUNT, {}, as_table)
        if self._group_by is None and not as_table:
            df.index.name = "key"
        return df

    def km(self, by_segment=False, *, level=None, horizon=None, include_overall=None,
           at_times=None, as_table=False):
        """The Kaplan-Meier of a (merged) lifetimes state
        (``Ledger.lifetimes_partial``): what ``Ledger.km`` gives."""
        from .survival import km_of_state
        return km_of_state(self._ptr, by_segment, level, horizon, include_overall,
                           at_times, as_table, self._labels)


def _unpickle(data, labels, by_segment, group_by=None):
    keys = None if labels is None else {
        name: _keys.encode(np.array(v, dtype=object), name) for name, v in labels.items()}
    return Partial.from_bytes(data, keys, by_segment, group_by)
