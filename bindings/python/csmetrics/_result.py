"""Result objects for the scalar metric families.

A result struct's fields are declared once in C as columns (the
CSM_*_COLUMNS lists of nps.h and ltv.h); csm_<name>_table copies results
into a one-table result.  Every Result and Metric here is read from such a
table (one row, through the generic conversion of csmetrics._table), so its
field names are the C declaration's, and ``results_table`` puts any number
of results of one kind into one csmetrics.Table (a row per result, keyed by
"group"; Arrow interface, ``to_pandas()``).
"""

import math

import numpy as np

from . import _csm, _ids, _table
from ._errors import InvalidArgumentError, _fail

# (name, bit) of the C library's CSM_FLAG_* constants, in bit order:
# CSM_FLAG_ZERO_DENOMINATOR -> "zero_denominator"
_FLAG_NAMES = tuple(sorted(((name[len("FLAG_"):].lower(), getattr(_csm, name))
                            for name in dir(_csm)
                            if name.startswith("FLAG_") and getattr(_csm, name)),
                           key=lambda nb: nb[1]))


def flag_names(flags):
    """Names of the result flags set in ``flags`` (an int), e.g.
    ``["zero_denominator"]``: empty (no observations), zero_denominator (a
    ratio had a zero denominator, so it is NaN), floored, capped, degenerate
    (a variance is 0 or undefined), clamped (an interval was clamped), and
    the families' own (survival.h: median_not_reached, ..., infinite).  The
    names are the C library's CSM_FLAG_* constants, lower-case."""
    flags = int(flags)
    return [name for name, bit in _FLAG_NAMES if flags & bit]


def _row_table(fn, struct):
    """The one-row Table of a result struct, through csm_<name>_table."""
    return _table.Table(getattr(_csm, fn)([struct], None))


class Result:
    """The fields of a C result struct as read-only attributes.

    ``as_dict()`` gives them as a dict (in the C struct's order) and
    ``flag_names`` decodes ``flags``.  Two results are equal when all their
    fields are (NaN equal to NaN)."""

    __slots__ = ("_values", "_struct", "_table")

    # the csm_py_<name>_table function of the kind (subclasses)
    _table_fn = None

    def __init__(self, values, _struct=None, _table=None):
        object.__setattr__(self, "_values", dict(values))
        object.__setattr__(self, "_struct", _struct)
        object.__setattr__(self, "_table", _table)

    @classmethod
    def _from_struct(cls, obj):
        # the fields come from the one-row table of the C struct; the struct
        # is kept too, for functions that take a result back (nps_compare)
        t = _row_table(cls._table_fn, obj)
        return cls(_table.row(t), obj, t)

    @property
    def table(self):
        """The result as a one-row csmetrics.Table (key "group" = 0, then
        one column per field; Arrow interface), or None for a record built
        by hand."""
        return self._table

    def __getattr__(self, name):
        try:
            return self._values[name]
        except KeyError:
            raise AttributeError(f"{type(self).__name__} has no field {name!r}") from None

    def __setattr__(self, name, value):
        raise AttributeError(f"{type(self).__name__} is read-only")

    def __dir__(self):
        return sorted(set(super().__dir__()) | set(self._values))

    def as_dict(self):
        """The fields as a dict, in the C struct's order."""
        return dict(self._values)

    @property
    def stderr(self):
        """Alias of ``se`` (the standard error) where the result has one."""
        try:
            return self._values["se"]
        except KeyError:
            raise AttributeError(f"{type(self).__name__} has no standard error") from None

    @property
    def flag_names(self):
        """Names of the flags set in ``flags`` (see csmetrics.flag_names)."""
        return flag_names(self._values.get("flags", 0))

    def __eq__(self, other):
        if type(other) is not type(self):
            return NotImplemented
        if self._values.keys() != other._values.keys():
            return False
        for k, a in self._values.items():
            b = other._values[k]
            if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
                continue
            if a != b:
                return False
        return True

    __hash__ = None

    def __repr__(self):
        body = ", ".join(f"{k}={v!r}" for k, v in self._values.items())
        return f"{type(self).__name__}({body})"


class Metric(float):
    """One figure with its flags (C ``csm_metric``): a float, plus
    ``flags`` and ``flag_names``.  A zero denominator gives NaN with the
    "zero_denominator" flag."""

    __slots__ = ("flags", "_struct", "_table")

    def __new__(cls, value, flags=0):
        self = super().__new__(cls, value)
        self.flags = int(flags)
        self._struct = None
        self._table = None
        return self

    @classmethod
    def _from_struct(cls, obj):
        t = _row_table("py_metric_table", obj)
        d = _table.row(t)
        self = cls(d["value"], d["flags"])
        self._struct, self._table = obj, t
        return self

    @property
    def table(self):
        """The figure as a one-row csmetrics.Table "metric" (group, value,
        flags; Arrow interface), or None for a Metric built by hand."""
        return self._table

    @property
    def value(self):
        """The figure as a plain float."""
        return float(self)

    @property
    def flag_names(self):
        """Names of the flags set in ``flags``."""
        return flag_names(self.flags)

    def __repr__(self):
        if self.flags:
            return f"Metric({float(self)!r}, flags={self.flag_names})"
        return f"Metric({float(self)!r})"


def results_table(results, groups=None, as_table=True):
    """Results of one kind (NPSResult, NPSDiff, CSATResult, CESResult,
    LTVResult or Metric, as the library returned them) as one table, a row
    per result in the given order: the C library's csm_<name>_table, named
    "nps", "nps_diff", "csat", "ces", "ltv" or "metric".  Its key column
    "group" holds ``groups`` (int32 codes, e.g. segment ids, or any
    hashable labels, e.g. segment names, which the DataFrame shows as
    given: csmetrics._ids; one per result) or 0, 1, ... without; then one
    column per field.

    Returns the csmetrics.Table (Arrow interface); ``as_table=False`` its
    DataFrame, indexed by group.  Example: the NPS of each segment,
    ``csm.results_table([csm.nps(s) for s in by_segment], groups=segment_ids)``.
    Errors: InvalidArgumentError (results of different kinds, records built
    by hand, ``groups`` of another length)."""
    results = list(results)
    kinds = {type(r) for r in results}
    if len(kinds) > 1:
        raise _fail(InvalidArgumentError, "results of different kinds", field="results")
    if not results:
        raise _fail(InvalidArgumentError, "no results (the kind of the table is unknown)",
                    field="results")
    kind = kinds.pop()
    fn = "py_metric_table" if issubclass(kind, Metric) else kind._table_fn
    if fn is None or any(r._struct is None for r in results):
        raise _fail(InvalidArgumentError, "only results computed by csmetrics can be "
                    "tabulated", field="results")
    codes, keys = _ids.encode(groups, "group", np.int32)
    t = _table.Table(getattr(_csm, fn)([r._struct for r in results], codes),
                     label_keys=_ids.label_keys(group=keys))
    return t if as_table else t.to_pandas()
