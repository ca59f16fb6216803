"""Result tables: one generic path from the C library's self-describing
results (csmetrics/table.h) to numpy, pandas and Arrow.

Every converted family's SWIG method returns the generic conversion of its
C result (``csm_py_result`` in bindings/python/common.i): for each table its
name and, per column, its name, type ("month", "code", "money", ...), role
("key", "main", "detail"), one-line doc, storage and a numpy array.  Numeric
columns are views of the C result's memory (no copy): their numpy base is a
capsule holding one reference to the result, released when the last array
(and every DataFrame built on them) is gone.  Text columns are object
arrays of str / None.

From that, this module builds:

* ``Table`` -- one table with its column descriptors (``table.columns``,
  ``table["nrr"]``), ``to_pandas()``, and the Arrow PyCapsule protocol
  (``__arrow_c_schema__``, ``__arrow_c_array__``) built on
  ``csm_table_export_arrow``: ``pyarrow.record_batch(t)``,
  ``pyarrow.table(t)`` and any other consumer of the protocol read it
  without pandas.  The Arrow export is of the table as the C library
  computed it: every column, keys included (months as date32, "all" codes
  and undefined values as nulls, column metadata ``csm.type`` and
  ``csm.role``).
* the DataFrame the family methods return (``frame``): the KEY columns
  become the index in declared order -- except a CODE key column whose
  every value is the "all" code (``csm_code_all()``), which is dropped (a
  table computed without that breakdown) -- MONTH columns become pandas
  Periods (freq M; CSM_MONTH_NONE is NaT), DAY columns datetimes, BOOL
  columns bool, and the other columns keep their declared order, names and
  storage dtypes.

How users reach the Arrow interface: the family methods keep returning
plain DataFrames by default; with ``as_table=True`` they return the
``Table`` instead (``ledger.movements(as_table=True)``), whose
``to_pandas()`` is the very DataFrame the default call returns.

Memory: a DataFrame from a table shares the numeric columns' memory with
it (and with every Arrow export of it, which is zero-copy too), as
``pyarrow.Table.from_pandas`` shares a DataFrame's memory: editing the
DataFrame in place also changes what the table and its exports read.  Copy
the frame (``df.copy()``) before editing it in place if you export the table
as well.  ``Table`` itself hands out read-only views.
"""

import collections

import numpy as np
import pandas as pd

from . import _arrays, _csm

__all__ = ["Table", "Column"]

_CODE_ALL = _csm.code_all()


class Column(collections.namedtuple("Column", "name type role doc storage values")):
    """One column of a Table: ``name``, ``type`` (csm_type_name: "month",
    "day", "id", "code", "count", "money", "fraction", "number", "flags",
    "bool", "text"), ``role`` ("key", "main" or "detail"), ``doc`` (one line:
    what it holds, its unit), ``storage`` (the C element type: "i32", "i64",
    "u32", "f64", "u8", "str") and ``values`` (a read-only numpy array of the
    C values: months as month indices, undefined values as their sentinels:
    NaN, csm_code_all() / CSM_MONTH_NONE, None)."""

    __slots__ = ()


def _readonly(a):
    v = a.view()
    v.flags.writeable = False
    return v


class Table:
    """One table of a libcsmetrics result, as the C library describes it.

    * ``name`` (the table's name, e.g. "movements"), ``kind`` (the family's
      name for the whole result), ``len(t)`` / ``n_rows``;
    * ``columns``: the Column descriptors in declared order; ``names``;
      ``t["nrr"]`` the values of a column (a read-only numpy array);
      ``"nrr" in t``; ``column("nrr")`` a descriptor;
    * ``to_pandas()``: the DataFrame the family method returns by default
      (see the module's docstring for the rules);
    * ``result_tables``: every table of the same result, in the family's
      order (this one included);
    * ``__arrow_c_schema__()`` / ``__arrow_c_array__(requested_schema=None)``:
      the Arrow PyCapsule interface (a struct array with one child per
      column).  ``requested_schema`` is accepted and ignored, as the
      protocol allows: the table's own schema is always produced.

    Tables are immutable and keep the C result alive; they are safe to share
    between threads.
    """

    __slots__ = ("_conv", "_i", "_cols", "_by_name", "_keep_codes")

    def __init__(self, conv, i=0, keep_codes=False):
        # conv: csm_py_result's dict; i: the table's index in the result;
        # keep_codes: to_pandas's default (the family method's choice)
        t = conv["tables"][i]
        self._conv = conv
        self._i = i
        self._keep_codes = bool(keep_codes)
        self._cols = tuple(Column(*c) for c in t["columns"])
        self._by_name = {c.name: k for k, c in enumerate(self._cols)}

    # ---- descriptors ------------------------------------------------------
    @property
    def name(self):
        """The table's name ("movements", ...)."""
        return self._conv["tables"][self._i]["name"]

    @property
    def kind(self):
        """The family's name for the result the table belongs to."""
        return self._conv["kind"]

    @property
    def n_rows(self):
        """Number of rows."""
        return self._conv["tables"][self._i]["n_rows"]

    def __len__(self):
        return self.n_rows

    @property
    def columns(self):
        """The columns' descriptors (Column), in declared order; their
        ``values`` are read-only."""
        return tuple(c._replace(values=_readonly(c.values)) for c in self._cols)

    @property
    def names(self):
        """The column names, in declared order."""
        return [c.name for c in self._cols]

    def column(self, name):
        """The descriptor of column ``name`` (KeyError if there is none)."""
        return self._cols[self._by_name[name]]._replace(
            values=_readonly(self._cols[self._by_name[name]].values))

    def __getitem__(self, name):
        return _readonly(self._cols[self._by_name[name]].values)

    def __contains__(self, name):
        return name in self._by_name

    def __iter__(self):
        return iter(self.names)

    @property
    def result_tables(self):
        """Every table of the same result (Table objects), in order."""
        return tuple(Table(self._conv, i) for i in range(len(self._conv["tables"])))

    def __repr__(self):
        keys = [c.name for c in self._cols if c.role == "key"]
        return (f"<csmetrics.Table {self.name!r}: {self.n_rows} rows, "
                f"{len(self._cols)} columns, keys {keys}>")

    # ---- conversions ------------------------------------------------------
    def to_pandas(self, keep_codes=None):
        """The table as a DataFrame (module docstring: KEY columns as the
        index, months as Periods): the DataFrame the family method returns
        without ``as_table``.  ``keep_codes=True`` keeps CODE key columns
        even when every value is the "all" code (e.g. an empty table of a
        breakdown the caller asked for), False drops them; None (default)
        is the family method's choice.  Numeric columns share the table's
        memory."""
        if keep_codes is None:
            keep_codes = self._keep_codes
        return frame(self, keep_codes=keep_codes)

    def __arrow_c_schema__(self):
        """The table's Arrow schema: a PyCapsule "arrow_schema" (a struct
        type "+s" with one nullable child per column, metadata csm.type and
        csm.role)."""
        return _csm.py_arrow_schema(self._conv["result"], self._i)

    def __arrow_c_array__(self, requested_schema=None):
        """(schema capsule "arrow_schema", array capsule "arrow_array"): the
        table as an Arrow struct array of n_rows rows.  Numeric buffers are
        the C result's own memory; the export keeps the result alive until
        its release callbacks have run.  ``requested_schema`` is ignored."""
        return _csm.py_arrow_array(self._conv["result"], self._i)


def _column_values(col):
    """A non-key column's values for a DataFrame."""
    a = col.values
    if col.type == "month":
        return _arrays.periods(a)
    if col.type == "day" and a.dtype.kind in "iu":
        return a.astype("datetime64[D]").astype("datetime64[ns]")
    if col.type == "bool" and a.dtype == np.uint8:
        return a.view(np.bool_)
    return a


def _index_level(col):
    if col.type == "month":
        idx = _arrays.periods(col.values)
        idx.name = col.name
        return idx
    return pd.Index(_column_values(col), name=col.name)


def frame(table, keep_codes=False):
    """The DataFrame of a Table (see the module docstring)."""
    levels, data = [], {}
    for col in table._cols:
        if col.role == "key":
            if (col.type == "code" and not keep_codes
                    and bool(np.all(col.values == _CODE_ALL))):
                continue  # a breakdown that was not asked for
            levels.append(_index_level(col))
        else:
            data[col.name] = _column_values(col)
    if not levels:
        index = None
    elif len(levels) == 1:
        index = levels[0]
    else:
        index = pd.MultiIndex.from_arrays(levels)
    return pd.DataFrame(data, index=index, copy=False)


def result(conv, as_table=False, keep_codes=False):
    """A family method's return value from its SWIG conversion: the first
    (main) table as a Table with ``as_table``, else its DataFrame.
    ``keep_codes``: see Table.to_pandas (e.g. a by_segment option)."""
    t = Table(conv, 0, keep_codes)
    return t if as_table else frame(t, keep_codes=keep_codes)
