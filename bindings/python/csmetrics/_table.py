"""Result tables: one generic path from the C library's self-describing
results (csmetrics/table.h) to numpy, pandas and Arrow.

Every family's SWIG wrapper returns the generic conversion of its C result
(``csm_py_result`` in bindings/python/table.i): for each table its name
and, per column, its name, type ("month", "code", "money", ...), role
("key", "main", "detail"), one-line doc, storage and a numpy array.  Numeric
columns are views of the C result's memory (no copy): their numpy base is a
capsule holding one reference to the result, released when the last array
(and every DataFrame built on them) is gone.  Text columns are object
arrays of str / None.

From that, this module builds:

* ``Table`` -- one table with its column descriptors (``table.columns``,
  ``table["nrr"]``), ``to_pandas()``, and the Arrow PyCapsule protocol
  (``__arrow_c_schema__``, ``__arrow_c_array__`` and
  ``__arrow_c_stream__``) built on ``csm_table_export_arrow``:
  ``pyarrow.record_batch(t)``, ``pyarrow.table(t)``,
  ``polars.DataFrame(t)`` and any other consumer of the protocol read it
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
  storage dtypes -- except the FLAGS column "flags", which is ``flag_bits``
  in every DataFrame (``df.flags`` is pandas' own DataFrame.flags; decode
  the bits with csmetrics.flag_names).  Tables and their Arrow exports keep
  the C name "flags".  A single NUMBER key holding exactly 0, 1, ..., n-1 (a
  period or age counter) becomes a RangeIndex.
* wide DataFrames from "long" tables (``pivot``): a matrix the C library
  stores as a long table in row-major order (cohort x age cells, month x
  scenario projections, account x measure scores) is turned back into one
  row per value of the other keys and one column per value of a key
  column, read from the key columns themselves (no column list): a
  reshape of the C data (no copy), checked against the key columns.
* records from one row (``row``): {column name: Python value} for the
  results that are one set of figures (an NPS, an sBG fit).

How users reach the Arrow interface: the family methods keep returning
plain DataFrames (or result objects) by default; with ``as_table=True``
they return the ``Table`` instead (``ledger.movements(as_table=True)``);
``table.result_tables`` / ``table.result_table(name)`` reach the other
tables of the same result (e.g. "cohort_cells" beside "cohorts").  Where
the default DataFrame is one table as it is (movements, retention, team,
the sBG curve), ``to_pandas()`` is that very DataFrame; the methods that
reshape (cohort and projection matrices, activity and health wide frames,
lifetimes and Kaplan-Meier rows with their keys as columns, renewals'
"all" row) say so in their docstrings.

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


class Column(collections.namedtuple("Column",
                                     "name type role doc storage values null_label")):
    """One column of a Table: ``name``, ``type`` (csm_type_name: "month",
    "day", "id", "code", "count", "money", "fraction", "number", "flags",
    "bool", "text"), ``role`` ("key", "main" or "detail"), ``doc`` (one line:
    what it holds, its unit), ``storage`` (the C element type: "i32", "i64",
    "u32", "f64", "u8", "str"), ``values`` (a read-only numpy array of the
    C values: months as month indices, undefined values as their sentinels:
    NaN, csm_code_all() / CSM_MONTH_NONE, None) and ``null_label`` (the
    library's label of the undefined value when ids are shown as labels:
    "all" for CODE columns, "unassigned" for the team's owner; None for
    other columns; csm_column.null_label)."""

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
      order (this one included); ``result_table(name)`` one of them;
    * ``__arrow_c_schema__()`` / ``__arrow_c_array__(requested_schema=None)``
      / ``__arrow_c_stream__(requested_schema=None)``: the Arrow PyCapsule
      interface (a struct array with one child per column; the stream has
      that one batch).  ``requested_schema`` is accepted and ignored, as the
      protocol allows: the table's own schema is always produced.

    Tables are immutable and keep the C result alive; they are safe to share
    between threads.
    """

    __slots__ = ("_conv", "_i", "_cols", "_by_name", "_keep_codes", "_label_keys")

    def __init__(self, conv, i=0, keep_codes=False, label_keys=None):
        # conv: csm_py_result's dict; i: the table's index in the result;
        # keep_codes: to_pandas's default (the family method's choice);
        # label_keys: {column name: csmetrics._keys.Keys} of the columns
        # whose ids the DataFrames show as the user's labels
        t = conv["tables"][i]
        self._conv = conv
        self._i = i
        self._keep_codes = bool(keep_codes)
        self._label_keys = label_keys or {}
        self._cols = tuple(Column(*c) for c in t["columns"])
        self._by_name = {c.name: k for k, c in enumerate(self._cols)}

    def __copy__(self):
        return self  # immutable

    def __deepcopy__(self, memo):
        # immutable (and its C result cannot be copied): a DataFrame's
        # attrs may hold a Table (Scorecard.score)
        return self

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
        return tuple(Table(self._conv, i, label_keys=self._label_keys)
                     for i in range(len(self._conv["tables"])))

    def result_table(self, name):
        """The table ``name`` of the same result (KeyError if there is
        none), e.g. ``cohorts.result_table("cohort_cells")``."""
        for i, t in enumerate(self._conv["tables"]):
            if t["name"] == name:
                return Table(self._conv, i, label_keys=self._label_keys)
        raise KeyError(name)

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

    def __arrow_c_stream__(self, requested_schema=None):
        """A PyCapsule "arrow_array_stream": an Arrow C stream of one batch,
        the struct array of ``__arrow_c_array__`` (consumers that read
        streams, such as ``pyarrow.table`` or ``polars.DataFrame``, take
        it).  ``requested_schema`` is ignored."""
        return _csm.py_arrow_stream(self._conv["result"], self._i)


#: The DataFrame name of a FLAGS column: "flags" would be shadowed by
#: pandas' DataFrame.flags (df.flags is not the column).
FLAG_BITS = "flag_bits"


def frame_name(col):
    """The name of a column in a DataFrame: the C name, but FLAG_BITS for a
    FLAGS column."""
    return FLAG_BITS if col.type == "flags" else col.name


def _labelled(col, label_keys):
    """col with its ids shown as the user's labels when label_keys (a
    Table's {column name: Keys}) has its name: an object column of the
    original values, the undefined value (CSM_CODE_ALL, an unassigned
    owner) as the column's null_label ("all", "unassigned")."""
    keys = label_keys.get(col.name) if label_keys else None
    if keys is None:
        return col
    return col._replace(type="text", values=keys.label(col.values, null_label=col.null_label))


def _column_values(col):
    """A non-key column's values for a DataFrame."""
    a = col.values
    if col.type == "month":
        return _arrays.periods(a)
    if col.type == "day" and a.dtype.kind in "iu":
        # INT32_MIN, the undefined day, is NaT
        d = a.astype("datetime64[D]").astype("datetime64[ns]")
        return np.where(a == np.iinfo(np.int32).min, np.datetime64("NaT", "ns"), d)
    if col.type == "bool":
        return a.view(np.bool_) if a.dtype == np.uint8 else a != 0
    return a


def _is_counter(col):
    """A NUMBER key holding exactly 0, 1, ..., n-1 (a period, an age)."""
    a = col.values
    return (col.type == "number" and a.dtype.kind in "iu"
            and bool(np.array_equal(a, np.arange(len(a)))))


def _index_level(col):
    if col.type == "month":
        idx = _arrays.periods(col.values)
        idx.name = col.name
        return idx
    return pd.Index(_column_values(col), name=col.name)


def _all_codes(col):
    return col.type == "code" and bool(np.all(col.values == _CODE_ALL))


def _axis(keys, keep_codes, label_keys=None):
    """The index of key columns (see the module docstring), None without
    any; ids of the columns in label_keys shown as labels."""
    keys = [_labelled(c, label_keys) for c in keys if keep_codes or not _all_codes(c)]
    if not keys:
        return None
    if len(keys) == 1:
        if _is_counter(keys[0]):
            return pd.RangeIndex(len(keys[0].values), name=keys[0].name)
        return _index_level(keys[0])
    return pd.MultiIndex.from_arrays([_index_level(c) for c in keys])


def frame(table, keep_codes=False):
    """The DataFrame of a Table (see the module docstring)."""
    data = {}
    for col in table._cols:
        if col.role != "key":
            data[frame_name(col)] = _column_values(_labelled(col, table._label_keys))
    index = _axis([c for c in table._cols if c.role == "key"], keep_codes, table._label_keys)
    return pd.DataFrame(data, index=index, copy=False)


def _grid(keys, across):
    """Width k of the row-major grid the rows form, or None: rows i*k ..
    i*k+k-1 share their `keys` values and `across` runs through the same k
    distinct values in every such block."""
    n = len(across.values)
    if n == 0:
        return 0
    k = n
    for c in keys:
        a = c.values
        diff = np.flatnonzero(a != a[0])
        if len(diff):
            k = min(k, int(diff[0]))
    if n % k:
        return None
    m = n // k
    first = across.values[:k]
    if len(set(first.tolist())) != k:
        return None
    if not bool(np.all(across.values.reshape(m, k) == first)):
        return None
    for c in keys:
        b = c.values.reshape(m, k)
        if not bool(np.all(b == b[:, :1])):
            return None
    return k


def pivot(table, columns, values, index=None, keep_codes=False, labels=None):
    """A long Table as a wide DataFrame: one row per value of the ``index``
    key columns (default: every key column but ``columns``; shown as in
    ``frame``, "all"-only CODE keys dropped unless ``keep_codes``), one
    column per value of the key column ``columns`` in the table's order.

    ``values`` a column name: the columns are the values of ``columns``
    (an Index named ``columns``; a 0..k-1 NUMBER key as a RangeIndex) and
    the cells that column's values.  ``values`` a list of column names:
    one column "<value>_<label>" per label of ``columns`` and value, label
    by label (e.g. measure_score_nps, weight_nps, contribution_nps, ...).

    ``labels``: the values of ``columns`` to use when the table has no
    rows (e.g. the scorecard's measure names), so that an empty table
    still has its columns; ignored otherwise.

    The rows must form the row-major grid the families write (rows i*k ..
    i*k+k-1 share their ``index`` keys; ``columns`` runs through the same
    k distinct values in each such block): the cells are then a reshape of
    the C columns, without a copy.  Other tables (e.g. the ragged "km"
    curves) raise ValueError."""
    cols = {c.name: c for c in table._cols}
    across = cols[columns]
    if index is None:
        keys = [c for c in table._cols if c.role == "key" and c.name != columns]
    else:
        keys = [cols[k] for k in index]
    names = [values] if isinstance(values, str) else list(values)
    k = _grid(keys, across)
    if k is None:
        raise ValueError(
            f"table {table.name!r} is not a row-major grid of "
            f"{[c.name for c in keys]} x {columns!r}")
    m = len(across.values) // k if k else 0
    take = slice(0, m * k, k) if k else slice(0, 0)
    index = _axis([c._replace(values=c.values[take]) for c in keys], keep_codes,
                  table._label_keys)
    if k == 0 and labels is not None:
        # no rows: the given labels, each with 0 values of each column
        k = len(labels)
        cols = {name: c._replace(values=np.zeros(0, c.values.dtype))
                for name, c in cols.items()}
        labels = across._replace(values=np.asarray(labels, dtype=across.values.dtype))
    else:
        labels = across._replace(values=across.values[:k])
    if isinstance(values, str):
        v = cols[values]
        if v.type in ("month", "day", "bool"):
            cells = {j: _column_values(v._replace(values=_cells(v, m, k)[:, j]))
                     for j in range(k)}
            df = pd.DataFrame(cells, index=index, copy=False)
            df.columns = _axis([labels], True)
            return df
        return pd.DataFrame(_cells(v, m, k), index=index,
                            columns=_axis([labels], True), copy=False)
    data = {}
    for j, label in enumerate(labels.values.tolist()):
        for name in names:
            v = cols[name]
            data[f"{name}_{label}"] = _column_values(
                v._replace(values=_cells(v, m, k)[:, j]))
    return pd.DataFrame(data, index=index, copy=False)


def _cells(col, m, k):
    """A column's values as an m x k matrix (a view)."""
    return col.values.reshape(m, k)


def _scalar(col, i):
    """Row i of a column as a Python value."""
    v = col.values[i]
    if col.type == "month":
        return _arrays.period(int(v))
    if col.type == "day":
        return None if v == np.iinfo(np.int32).min else pd.Timestamp(int(v), unit="D")
    if col.type == "bool":
        return bool(v)
    if col.type == "text":
        return v
    return v.item()


def row(table, i=0, keys=False):
    """{column name: Python value} of row i's non-key columns (with
    ``keys`` its key columns too), in declared order: months as Periods
    (None for CSM_MONTH_NONE), days as Timestamps, bools as bool, numbers
    as int or float (NaN kept), text as str or None."""
    return {c.name: _scalar(c, i) for c in table._cols if keys or c.role != "key"}


def flat(table, keep_codes=False):
    """A Table as a DataFrame with a RangeIndex and its key columns as its
    first columns (same rules and dtypes as ``frame`` otherwise), for the
    families whose DataFrames keep their keys as columns (lifetimes, the
    Kaplan-Meier rows)."""
    data = {}
    for col in table._cols:
        if col.role == "key" and not keep_codes and _all_codes(col):
            continue
        data[frame_name(col)] = _column_values(_labelled(col, table._label_keys))
    return pd.DataFrame(data, copy=False)


def result(conv, as_table=False, keep_codes=False, label_keys=None):
    """A family method's return value from its SWIG conversion: the first
    (main) table as a Table with ``as_table``, else its DataFrame.
    ``keep_codes``: see Table.to_pandas (e.g. a by_segment option);
    ``label_keys``: {column name: Keys} of the id columns the DataFrames
    show as the user's labels."""
    t = Table(conv, 0, keep_codes, label_keys)
    return t if as_table else frame(t, keep_codes=keep_codes)
