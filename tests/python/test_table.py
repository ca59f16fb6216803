"""Result tables: the generic conversion of self-describing C results
(csm_py_result), the DataFrames built from it, and the Arrow PyCapsule
interface (read back here through ctypes: pyarrow is not needed).

Expected values come from: the C declaration of the movements columns
(parsed from include/csmetrics/ledger.h, not from the bindings), the column
order csmetrics returned before the generic path (written out below), the
hand-worked ledger fixture of conftest.py, and the synthetic result of
bindings/python/testhooks.i, whose values are listed in its comment and
converted by hand in the comments here."""
import ctypes
import gc
import math
import pathlib
import re

import numpy as np
import pandas as pd
import pytest

import csmetrics as csm
from csmetrics import _csm
from conftest import FX_CUST, FX_MONTH, FX_MRR, FX_SEG, M0

ROOT = pathlib.Path(__file__).resolve().parents[2]
I32_MIN = -(2**31)


def P(k):
    """pandas Period of fixture month Mk (M0 = 2024-01)."""
    return pd.Period(year=2024, month=1 + k, freq="M")


# ---- ctypes mirrors of the Arrow C Data Interface ----------------------------
class ArrowSchema(ctypes.Structure):
    pass


ArrowSchema._fields_ = [
    ("format", ctypes.c_char_p),
    ("name", ctypes.c_char_p),
    ("metadata", ctypes.c_void_p),
    ("flags", ctypes.c_int64),
    ("n_children", ctypes.c_int64),
    ("children", ctypes.POINTER(ctypes.POINTER(ArrowSchema))),
    ("dictionary", ctypes.POINTER(ArrowSchema)),
    ("release", ctypes.CFUNCTYPE(None, ctypes.POINTER(ArrowSchema))),
    ("private_data", ctypes.c_void_p),
]


class ArrowArray(ctypes.Structure):
    pass


ArrowArray._fields_ = [
    ("length", ctypes.c_int64),
    ("null_count", ctypes.c_int64),
    ("offset", ctypes.c_int64),
    ("n_buffers", ctypes.c_int64),
    ("n_children", ctypes.c_int64),
    ("buffers", ctypes.POINTER(ctypes.c_void_p)),
    ("children", ctypes.POINTER(ctypes.POINTER(ArrowArray))),
    ("dictionary", ctypes.POINTER(ArrowArray)),
    ("release", ctypes.CFUNCTYPE(None, ctypes.POINTER(ArrowArray))),
    ("private_data", ctypes.c_void_p),
]

_get_pointer = ctypes.pythonapi.PyCapsule_GetPointer
_get_pointer.restype = ctypes.c_void_p
_get_pointer.argtypes = [ctypes.py_object, ctypes.c_char_p]
_get_name = ctypes.pythonapi.PyCapsule_GetName
_get_name.restype = ctypes.c_char_p
_get_name.argtypes = [ctypes.py_object]


def capsule_struct(cap, name, cls):
    assert type(cap).__name__ == "PyCapsule"
    assert _get_name(cap) == name.encode()
    return cls.from_address(_get_pointer(cap, name.encode()))


def is_released(s):
    # the release member is NULL (a falsy function pointer) once released
    return not ctypes.cast(s.release, ctypes.c_void_p).value


def release(s):
    s.release(ctypes.pointer(s))
    assert is_released(s)


def metadata(s):
    """Arrow metadata: int32 count, then (int32 length, bytes) key and value
    pairs (native endianness)."""
    at = s.metadata
    n = ctypes.c_int32.from_address(at).value
    at += 4
    out = {}
    for _ in range(n):
        kv = []
        for _ in range(2):
            ln = ctypes.c_int32.from_address(at).value
            kv.append(ctypes.string_at(at + 4, ln).decode())
            at += 4 + ln
        out[kv[0]] = kv[1]
    return out


def child_schemas(s):
    return [s.children[i].contents for i in range(s.n_children)]


def child_arrays(a):
    return [a.children[i].contents for i in range(a.n_children)]


def buffer(a, i, ctype, n):
    """Buffer i of array a as a list of n values of ctype."""
    p = a.buffers[i]
    return list((ctype * n).from_address(p)) if n else []


def validity(a):
    """Validity bits of a (None when the buffer is NULL: all valid)."""
    p = a.buffers[0]
    if not p:
        return None
    return [(ctypes.c_uint8.from_address(p + i // 8).value >> (i % 8)) & 1
            for i in range(a.length)]


def days_since_epoch(period):
    return (period.start_time - pd.Timestamp("1970-01-01")).days


# ---- the movements declaration, read from the C header ------------------------
def declared_movement_columns():
    """(column name, TYPE, STORAGE, ROLE, doc) of CSM_MOVEMENTS_COLUMNS in
    include/csmetrics/ledger.h, in declared order."""
    lines = (ROOT / "include" / "csmetrics" / "ledger.h").read_text().splitlines()
    start = next(i for i, ln in enumerate(lines)
                 if ln.startswith("#define CSM_MOVEMENTS_COLUMNS(X)"))
    body = []
    for ln in lines[start + 1:]:
        body.append(ln.rstrip().rstrip("\\"))
        if not ln.rstrip().endswith("\\"):
            break
    text = " ".join(body)
    cols = []
    for m in re.finditer(r'X\(\s*\w+\s*,\s*"([^"]+)"\s*,\s*(\w+)\s*,\s*(\w+)\s*,\s*(\w+)\s*,'
                         r'((?:\s*"[^"]*")+)\s*\)', text):
        doc = "".join(re.findall(r'"([^"]*)"', m.group(5)))
        cols.append((m.group(1), m.group(2), m.group(3), m.group(4), doc))
    return cols


# The DataFrame columns of Ledger.movements() as csmetrics returned them
# before the generic path (the rename map it used, in its order).
PREVIOUS_MOVEMENT_COLUMNS = [
    "opening_mrr", "new", "reactivation", "expansion", "contraction", "churn",
    "adjustment", "segment_in", "segment_out", "net_new", "closing_mrr",
    "opening_customers", "customers", "new_customers", "reactivated_customers",
    "expanded_customers", "contracted_customers", "churned_customers",
    "segment_in_customers", "segment_out_customers", "intra_period_customers",
    "customer_churn_rate", "gross_mrr_churn_rate", "net_mrr_churn_rate", "quick_ratio",
    "arpa", "arr", "flags",
]

_DTYPES = {"I32": np.int32, "I64": np.int64, "U32": np.uint32, "F64": np.float64,
           "U8": np.uint8}


def counting_ledger():
    """The conftest fixture ledger, allocating through the test hooks'
    counting allocator (its results and their Arrow exports too)."""
    o = _csm.ledger_opts()
    _csm.py_test_counting_allocator(o)
    ptr = _csm.ledger(np.array(FX_CUST, np.int64), np.array(FX_MONTH, np.int32) + M0,
                      np.array(FX_MRR, np.float64), np.array(FX_SEG, np.int32), 1, o)
    return csm.Ledger._wrap(ptr)


def live():
    gc.collect()
    return _csm.py_test_live_blocks()


# ---- the movements table --------------------------------------------------------
def test_movement_descriptors_are_the_c_declaration(ledger):
    t = ledger.movements(as_table=True)
    assert isinstance(t, csm.Table)
    assert (t.name, t.kind, len(t)) == ("movements", "movements", 6)  # M0..M5
    decl = declared_movement_columns()
    assert len(decl) == 30  # month, segment + the 28 values
    got = [(c.name, c.type, c.storage, c.role, c.doc) for c in t.columns]
    assert got == [(n, ty.lower(), st.lower(), r.lower(), d) for n, ty, st, r, d in decl]
    for c, (_, _, st, _, _) in zip(t.columns, decl):
        assert c.values.dtype == _DTYPES[st] and len(c.values) == 6
    assert t.names == [d[0] for d in decl] and "nrr" not in t and "new" in t
    # the generic DataFrame: keys as the index, values in declared order,
    # which is the order csmetrics returned before
    keys = [d[0] for d in decl if d[3] == "KEY"]
    assert keys == ["month", "segment"]
    df = ledger.movements()
    assert list(df.columns) == [d[0] for d in decl if d[3] != "KEY"]
    assert list(df.columns) == PREVIOUS_MOVEMENT_COLUMNS
    for name, _, st, role, _ in decl:
        if role != "KEY":
            assert df[name].dtype == _DTYPES[st], name


def test_movement_table_values(ledger):
    t = ledger.movements(as_table=True)
    # months as month indices M0..M5; segment the "all" code (no breakdown)
    assert list(t["month"]) == [M0 + k for k in range(6)]
    assert list(t["segment"]) == [csm._csm.code_all()] * 6 == [I32_MIN] * 6
    # conftest: new MRR M0 700 (A100 B200 D300 E100), M1 50 (C), M3 90 (F)
    assert list(t["new"]) == [700, 50, 0, 90, 0, 0]
    assert list(t["customers"]) == [4, 4, 3, 3, 5, 5]
    c = t.column("quick_ratio")
    assert (c.type, c.role) == ("number", "main")
    assert math.isnan(c.values[5])  # M5: nothing moves, 0/0
    with pytest.raises(KeyError):
        t["no_such_column"]
    assert "keys ['month', 'segment']" in repr(t)
    assert [x.name for x in t.result_tables] == ["movements"]


@pytest.mark.parametrize("kwargs", [
    {}, {"by_segment": True}, {"first_month": "2024-03", "last_month": "2024-09"},
    {"preset": "stripe", "by_segment": True},
])
def test_as_table_to_pandas_is_the_default_frame(ledger, kwargs):
    t = ledger.movements(as_table=True, **kwargs)
    pd.testing.assert_frame_equal(t.to_pandas(), ledger.movements(**kwargs), check_exact=True)
    assert type(ledger.movements(**kwargs)) is pd.DataFrame


def test_empty_breakdown_keeps_its_segment_level():
    # an empty ledger: the "every value is all" rule cannot tell a table
    # computed by segment from one without; movements passes by_segment
    lg = csm.Ledger([], [], [])
    assert lg.movements().index.names == ["month"]
    assert lg.movements(by_segment=True).index.names == ["month", "segment"]
    t = lg.movements(by_segment=True, as_table=True)
    assert len(t) == 0 and t.to_pandas().index.names == ["month", "segment"]
    assert t.to_pandas(keep_codes=False).index.names == ["month"]
    pd.testing.assert_frame_equal(t.to_pandas(), lg.movements(by_segment=True))
    # a range on an empty ledger by segment: one segment, 0 (a ledger built
    # without segments puts every row in segment 0)
    mv = lg.movements(by_segment=True, first_month=M0, last_month=M0 + 2)
    assert list(mv.index) == [(P(0), 0), (P(1), 0), (P(2), 0)]


def test_frame_columns_view_the_c_result(ledger):
    t = ledger.movements(as_table=True)
    df = t.to_pandas()
    for c in t.columns:
        if c.role == "key":
            continue
        a = df[c.name].to_numpy()
        # the same memory as the table's column, no copy
        assert a.__array_interface__["data"][0] == c.values.__array_interface__["data"][0]
        # whose numpy base chain ends at the capsule holding the C result
        base = a
        while isinstance(base, np.ndarray):
            base = base.base
        assert type(base).__name__ == "PyCapsule"
        assert _get_name(base) == b"csmetrics.result"
        # the DataFrame is writable as before; the table's views are not
        assert a.flags.writeable and not c.values.flags.writeable
    with pytest.raises(ValueError):
        t["new"][0] = 1.0
    # an in-place edit of the frame shows through the shared memory
    df.iloc[0, df.columns.get_loc("new")] = 701.0
    assert t["new"][0] == 701.0


def test_frame_by_segment_index(ledger):
    df = ledger.movements(by_segment=True)
    assert isinstance(df.index, pd.MultiIndex)
    assert isinstance(df.index.levels[0], pd.PeriodIndex)
    assert df.index.levels[0].freqstr == "M"
    # conftest: segments 1 and 2 in each of the 6 months, month-major
    assert list(df.index)[:4] == [(P(0), 1), (P(0), 2), (P(1), 1), (P(1), 2)]


# ---- the synthetic result: every type, storage and undefined value -------------
def test_synthetic_descriptors():
    t = csm.Table(_csm.py_test_result(0))
    assert (t.kind, t.name, len(t)) == ("test", "sample", 4)
    assert [(c.name, c.type, c.storage, c.role) for c in t.columns] == [
        ("month", "month", "i32", "key"), ("group", "code", "i32", "key"),
        ("region", "code", "i32", "key"), ("day", "day", "i32", "main"),
        ("start", "month", "i32", "detail"), ("id", "id", "i64", "detail"),
        ("count", "count", "i64", "main"), ("rate", "fraction", "f64", "main"),
        ("flags", "flags", "u32", "detail"), ("active", "bool", "u8", "main"),
        ("level", "number", "u8", "detail"), ("label", "text", "str", "main")]
    assert t.column("rate").doc == "a rate, sometimes undefined"
    # raw values: C sentinels kept, text as str / None
    assert list(t["start"]) == [24287, I32_MIN, 0, 24311]
    assert list(t["id"]) == [1, -2, 2**40, 0]
    assert list(t["flags"]) == [0, 2, 2**32 - 1, 1] and t["flags"].dtype == np.uint32
    assert t["label"].dtype == object and list(t["label"]) == ["a", None, "\u00e9t\u00e9", ""]
    cells = t.result_tables[1]
    assert (cells.name, len(cells), cells.names) == ("cells", 0, ["x", "name"])


def test_synthetic_frame():
    df = csm.Table(_csm.py_test_result(0)).to_pandas()
    # keys: month and group (group has real codes beside its one "all"
    # row, so it stays); region holds only the all code: dropped
    assert df.index.names == ["month", "group"]
    # month indices 24288 = 2024*12 + 0 -> 2024-01, 24289 -> 2024-02
    assert list(df.index) == [(pd.Period("2024-01", "M"), 1), (pd.Period("2024-01", "M"), 2),
                              (pd.Period("2024-02", "M"), 1), (pd.Period("2024-02", "M"), I32_MIN)]
    assert list(df.columns) == ["day", "start", "id", "count", "rate", "flags", "active",
                                "level", "label"]
    # days 0, 19723, 19783, -1: 1970-01-01, 2024-01-01 (54*365 + 13 leap
    # days), 2024-03-01 (+31 +29), 1969-12-31
    assert list(df["day"]) == [pd.Timestamp(s) for s in
                               ("1970-01-01", "2024-01-01", "2024-03-01", "1969-12-31")]
    # months 24287 = 2023*12 + 11 -> 2023-12; NONE -> NaT; 0 -> year 0,
    # January; 24311 = 2025*12 + 11 -> 2025-12
    assert df["start"].dtype == "period[M]"
    assert df["start"].iloc[0] == pd.Period("2023-12", "M") and pd.isna(df["start"].iloc[1])
    assert (df["start"].iloc[2].year, df["start"].iloc[2].month) == (0, 1)
    assert df["start"].iloc[3] == pd.Period("2025-12", "M")
    assert df["rate"].iloc[0] == 0.5 and math.isnan(df["rate"].iloc[1])
    assert df["active"].dtype == bool and list(df["active"]) == [True, False, True, False]
    assert df["level"].dtype == np.uint8 and list(df["level"]) == [0, 7, 255, 1]
    assert df["id"].dtype == np.int64 and df["count"].dtype == np.int64
    assert list(df["label"]) == ["a", None, "\u00e9t\u00e9", ""]
    # keep_codes keeps the all-only key column too
    kept = csm.Table(_csm.py_test_result(0)).to_pandas(keep_codes=True)
    assert kept.index.names == ["month", "group", "region"]
    # the second table: no keys -> a RangeIndex; 0 rows
    cells = csm.Table(_csm.py_test_result(0), 1).to_pandas()
    assert isinstance(cells.index, pd.RangeIndex) and len(cells) == 0
    assert list(cells.columns) == ["x", "name"]
    assert cells["x"].dtype == np.float64 and cells["name"].dtype == object


# ---- Arrow PyCapsule interface ----------------------------------------------------
def test_arrow_movements_schema_and_array(ledger):
    t = ledger.movements(as_table=True)
    df = t.to_pandas()
    sc = t.__arrow_c_schema__()
    s = capsule_struct(sc, "arrow_schema", ArrowSchema)
    assert (s.format, s.name, s.n_children) == (b"+s", b"movements", 30)
    kids = child_schemas(s)
    # formats by type (table.h's mapping): months date32, codes int32,
    # money/fractions/numbers float64, counts int64, flags uint32
    fmt = {"month": b"tdD", "code": b"i", "money": b"g", "fraction": b"g", "number": b"g",
           "count": b"l", "flags": b"I"}
    for k, c in zip(kids, t.columns):
        assert k.name.decode() == c.name and k.format == fmt[c.type]
        assert k.flags == 2  # ARROW_FLAG_NULLABLE
        assert metadata(k) == {"csm.type": c.type, "csm.role": c.role}

    sc2, ac = t.__arrow_c_array__()
    s2 = capsule_struct(sc2, "arrow_schema", ArrowSchema)
    assert [k.name for k in child_schemas(s2)] == [k.name for k in kids]
    a = capsule_struct(ac, "arrow_array", ArrowArray)
    assert (a.length, a.null_count, a.offset, a.n_children) == (6, 0, 0, 30)
    cols = dict(zip(t.names, child_arrays(a)))
    for name, ch in cols.items():
        assert ch.length == 6 and ch.offset == 0 and ch.n_buffers == 2
    # month: the first day of each month, days since 1970-01-01
    assert cols["month"].null_count == 0 and validity(cols["month"]) is None
    assert buffer(cols["month"], 1, ctypes.c_int32, 6) == \
        [days_since_epoch(p) for p in df.index]
    # segment: the all code everywhere -> 6 nulls, every validity bit 0
    assert cols["segment"].null_count == 6 and validity(cols["segment"]) == [0] * 6
    # money: the DataFrame's values, read from the very same memory
    assert buffer(cols["new"], 1, ctypes.c_double, 6) == list(df["new"])
    assert cols["new"].buffers[1] == df["new"].to_numpy().__array_interface__["data"][0]
    assert buffer(cols["customers"], 1, ctypes.c_int64, 6) == list(df["customers"])
    assert buffer(cols["flags"], 1, ctypes.c_uint32, 6) == list(df["flags"])
    # NaN rates are nulls: quick_ratio has a zero denominator (contraction
    # + churn) in M0 (700/0) and M5 (0/0) (conftest);
    # customer_churn_rate in M0 (no customers at the start)
    assert cols["quick_ratio"].null_count == 2
    assert validity(cols["quick_ratio"]) == [0, 1, 1, 1, 1, 0]
    assert validity(cols["customer_churn_rate"]) == [0, 1, 1, 1, 1, 1]
    for name in df.columns:
        assert cols[name].null_count == int(df[name].isna().sum()), name
    # the consumer releases; the capsules' destructors then skip them
    release(a)
    release(s)
    release(s2)
    # requested_schema is accepted (and ignored, as the protocol allows)
    s3, a3 = t.__arrow_c_array__(requested_schema=t.__arrow_c_schema__())
    assert capsule_struct(a3, "arrow_array", ArrowArray).length == 6


def test_arrow_synthetic_every_format():
    t = csm.Table(_csm.py_test_result(0))
    sc, ac = t.__arrow_c_array__()
    s = capsule_struct(sc, "arrow_schema", ArrowSchema)
    a = capsule_struct(ac, "arrow_array", ArrowArray)
    assert [(k.name, k.format) for k in child_schemas(s)] == [
        (b"month", b"tdD"), (b"group", b"i"), (b"region", b"i"), (b"day", b"tdD"),
        (b"start", b"tdD"), (b"id", b"l"), (b"count", b"l"), (b"rate", b"g"),
        (b"flags", b"I"), (b"active", b"b"), (b"level", b"C"), (b"label", b"u")]
    assert a.length == 4
    c = dict(zip(t.names, child_arrays(a)))
    # 2024-01-01 is day 19723 (test_common), 2024-02-01 is 31 days later
    assert buffer(c["month"], 1, ctypes.c_int32, 4) == [19723, 19723, 19754, 19754]
    assert (c["group"].null_count, validity(c["group"])) == (1, [1, 1, 1, 0])
    assert (c["region"].null_count, validity(c["region"])) == (4, [0, 0, 0, 0])
    assert buffer(c["day"], 1, ctypes.c_int32, 4) == [0, 19723, 19783, -1]
    # start: 2023-12-01 = 19723 - 31; NONE -> null; month 0 = 0000-01-01:
    # date(1, 1, 1) has ordinal 1 and 1970-01-01 ordinal 719163, and year 0
    # is a leap year (366 days): 1 - 366 - 719163 = -719528; 2025-12-01 =
    # 2024-01-01 + 366 (2024) + 334 (Jan..Nov 2025) = 20423
    st = buffer(c["start"], 1, ctypes.c_int32, 4)
    assert (c["start"].null_count, validity(c["start"])) == (1, [1, 0, 1, 1])
    assert (st[0], st[2], st[3]) == (19692, -719528, 20423)
    assert buffer(c["id"], 1, ctypes.c_int64, 4) == [1, -2, 2**40, 0]
    assert c["rate"].null_count == 1 and buffer(c["rate"], 1, ctypes.c_double, 4)[2] == 1.25
    # bool: bit-packed 1, 0, 1, 0 -> 0b0101
    assert c["active"].null_count == 0
    assert ctypes.c_uint8.from_address(c["active"].buffers[1]).value == 0b0101
    assert buffer(c["level"], 1, ctypes.c_uint8, 4) == [0, 7, 255, 1]
    # utf8: offsets 0, 1 ("a"), 1 (null), 6 ("\u00e9t\u00e9" is 5 bytes), 6 ("")
    lab = c["label"]
    assert (lab.n_buffers, lab.null_count, validity(lab)) == (3, 1, [1, 0, 1, 1])
    assert buffer(lab, 1, ctypes.c_int32, 5) == [0, 1, 1, 6, 6]
    assert ctypes.string_at(lab.buffers[2], 6) == "a\u00e9t\u00e9".encode()
    # the empty, key-less table
    cs, ca = csm.Table(_csm.py_test_result(0), 1).__arrow_c_array__()
    assert capsule_struct(cs, "arrow_schema", ArrowSchema).name == b"cells"
    assert capsule_struct(ca, "arrow_array", ArrowArray).length == 0


def test_arrow_bad_arguments():
    with pytest.raises(ValueError):  # not a result capsule
        _csm.py_arrow_schema(object(), 0)
    conv = _csm.py_test_result(0)
    with pytest.raises(IndexError):
        _csm.py_arrow_array(conv["result"], 2)  # two tables: 0 and 1


# ---- lifetimes: every order of release, nothing leaked -----------------------------
def test_counting_allocator_counts():
    # the hook itself: a result through it is one block (csm__result_new)
    # plus nothing else; dropping it gives the block back
    before = live()
    conv = _csm.py_test_result(1)
    assert live() == before + 1
    sc, ac = csm.Table(conv).__arrow_c_array__()
    # the export allocates: a schema block per column and one for the
    # struct (13), one block per child array and one for the parent (13)
    assert live() == before + 1 + 13 + 13
    del sc, ac
    assert live() == before + 1
    del conv
    assert live() == before


# Orders of release of (table, frame, column array, schema capsule, array
# capsule): each object first, last and in between, forwards and backwards
# (all 120 permutations pass too, but take a minute).
_ORDERS = [tuple((k + i) % 5 for i in range(5)) for k in range(5)] + \
    [tuple((k - i) % 5 for i in range(5)) for k in range(5)]


@pytest.mark.parametrize("order", _ORDERS)
def test_release_in_any_order(order):
    base = live()
    lg = counting_ledger()
    with_ledger = live()
    assert with_ledger > base
    t = lg.movements(as_table=True)
    closing_at = t.names.index("closing_mrr")
    df = t.to_pandas()
    col = df["closing_mrr"].to_numpy()
    sc, ac = t.__arrow_c_array__()
    objs = [t, df, col, sc, ac]
    del t, df, col, sc, ac
    expected_closing = [700.0, 450.0, 300.0, 340.0, 690.0, 690.0]  # conftest totals
    for k, i in enumerate(order):
        objs[i] = None  # freed at once by reference counting (no cycles)
        # whatever is left still reads the right values
        if objs[2] is not None:
            assert list(objs[2]) == expected_closing
        if objs[4] is not None:
            a = capsule_struct(objs[4], "arrow_array", ArrowArray)
            closing = child_arrays(a)[closing_at]
            assert buffer(closing, 1, ctypes.c_double, 6) == expected_closing
        if k == 2:
            del lg  # the ledger may go before its results
    a = None
    # everything went back when the last reference went, without a collection
    assert _csm.py_test_live_blocks() == base


def test_moved_structs_keep_the_result_alive():
    base = live()
    lg = counting_ledger()
    t = lg.movements(as_table=True)
    sc, ac = t.__arrow_c_array__()
    del lg, t
    # move the array out of its capsule, as a consumer does, then drop the
    # capsule: its destructor must not release what it no longer owns
    moved = ArrowArray()
    ctypes.memmove(ctypes.addressof(moved), _get_pointer(ac, b"arrow_array"),
                   ctypes.sizeof(ArrowArray))
    ctypes.memset(_get_pointer(ac, b"arrow_array") + ArrowArray.release.offset, 0,
                  ctypes.sizeof(ctypes.c_void_p))
    del ac, sc
    assert live() > base  # the moved array still holds the result
    # move one child out of the parent, release the parent, then the child
    child = ArrowArray()
    ctypes.memmove(ctypes.addressof(child), ctypes.addressof(moved.children[3].contents),
                   ctypes.sizeof(ArrowArray))
    ctypes.memset(ctypes.addressof(moved.children[3].contents) + ArrowArray.release.offset,
                  0, ctypes.sizeof(ctypes.c_void_p))
    release(moved)
    assert live() > base
    # child 3 is "new": M0 700, M1 50, M3 90 (conftest)
    assert buffer(child, 1, ctypes.c_double, 6) == [700, 50, 0, 90, 0, 0]
    release(child)
    assert live() == base


def test_converted_result_survives_its_table():
    base = live()
    lg = counting_ledger()
    df = lg.movements()
    del lg
    gc.collect()
    # only the DataFrame holds the result now
    assert live() > base and list(df["customers"]) == [4, 4, 3, 3, 5, 5]
    del df
    assert live() == base
