"""Result tables: the generic conversion of self-describing C results
(csm_py_result), the DataFrames built from it, and the Arrow PyCapsule
interface (read back here through ctypes: pyarrow is not needed).

Expected values come from: the C declarations of the columns (parsed from
include/csmetrics/*.h, not from the bindings), the column order csmetrics
returned before the generic path (written out below), the hand-worked
ledger fixture of conftest.py, the renewals fixture of tests/test-renewals.c
(its header comment works out every per-contract value), and small
scorecards and survival inputs worked out in the comments here.  Every
family's tables are public results: the bindings use no internal header."""
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


# ---- the column declarations, read from the C headers ------------------------
def declared_columns(header, macro):
    """(column name, TYPE, STORAGE, ROLE, doc) of the X-macro list `macro`
    in include/csmetrics/`header`, in declared order."""
    lines = (ROOT / "include" / "csmetrics" / header).read_text().splitlines()
    start = next(i for i, ln in enumerate(lines)
                 if ln.startswith(f"#define {macro}(X)"))
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
    assert cols, macro
    return cols


def declared_movement_columns():
    return declared_columns("movements.h", "CSM_MOVEMENTS_COLUMNS")


# The DataFrame columns of Ledger.movements() as csmetrics returned them
# before the generic path (the rename map it used, in its order), but the flags column, which
# DataFrames call flag_bits (pandas' DataFrame.flags shadows "flags").
PREVIOUS_MOVEMENT_COLUMNS = [
    "opening_mrr", "new", "reactivation", "expansion", "contraction", "churn",
    "adjustment", "segment_in", "segment_out", "net_new", "closing_mrr",
    "opening_customers", "customers", "new_customers", "reactivated_customers",
    "expanded_customers", "contracted_customers", "churned_customers",
    "segment_in_customers", "segment_out_customers", "intra_period_customers",
    "customer_churn_rate", "gross_mrr_churn_rate", "net_mrr_churn_rate", "quick_ratio",
    "arpa", "arr", "flag_bits",
]

_DTYPES = {"I32": np.int32, "I64": np.int64, "U32": np.uint32, "F64": np.float64,
           "U8": np.uint8}


def counting_ledger():
    """The conftest fixture ledger, allocating through the test hooks'
    counting allocator (its results and their Arrow exports too)."""
    o = _csm.ledger_opts()
    _csm.py_test_counting_allocator(o)
    ptr = _csm.py_ledger_new(np.array(FX_CUST, np.int64), np.array(FX_MONTH, np.int32) + M0,
                             np.array(FX_MRR, np.float64), np.array(FX_SEG, np.int32), o)
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
    assert list(df.columns) == [d[0] if d[1] != "FLAGS" else "flag_bits"
                                for d in decl if d[3] != "KEY"]
    assert list(df.columns) == PREVIOUS_MOVEMENT_COLUMNS
    for name, ty, st, role, _ in decl:
        if role != "KEY":
            assert df[name if ty != "FLAGS" else "flag_bits"].dtype == _DTYPES[st], name


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
        a = df[c.name if c.type != "flags" else "flag_bits"].to_numpy()
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


# ---- every family's tables are their C declarations ----------------------------
# The renewals fixture of tests/test-renewals.c (window 2024, grace 90 days);
# its header comment works out the per-contract values used below.
RN_CUST = [1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 5, 6, 6, 6]
RN_SEG = [1, 1, 1, 1, 2, 2, 2, 2, 1, 1, 1, 2, 2, 2]
RN_VAL = [1200, 1500, 1000, 1000, 500, 600, 800, 800, 100, 200, 330, 1000, 70, 1200]
RN_START = ["2023-03-01", "2024-03-01", "2023-06-01", "2024-07-15", "2023-01-01",
            "2024-01-01", "2023-09-01", "2025-01-15", "2023-07-01", "2023-07-01",
            "2024-07-01", "2024-01-01", "2024-06-01", "2025-01-01"]
RN_END = ["2024-02-29", "2025-02-28", "2024-05-31", "2025-07-14", "2023-12-31",
          "2024-12-31", "2024-08-31", "2026-01-14", "2024-06-30", "2024-06-30",
          "2025-06-30", "2024-12-31", "2024-12-31", "2025-12-31"]


def renewal_tables(**kw):
    summary, per_contract = csm.renewals(RN_CUST, RN_START, RN_END, RN_VAL, "2024-01-01",
                                         "2024-12-31", contracts=True, as_table=True, **kw)
    return summary, per_contract


# A scorecard of one linear measure x (0..10 -> 0..100) and two bands, one
# of them with non-ASCII letters: x = 2, 8, missing score 20 ("bas"), 80
# ("\u00e9lev\u00e9", >= 50) and NaN (every measure missing: no band).
UTF8_SPEC = {"bands": [{"name": "bas", "min": 0}, {"name": "\u00e9lev\u00e9", "min": 50}],
             "groups": [{"name": "g", "measures": [
                 {"name": "x", "transform": {"type": "linear", "min": 0, "max": 10}}]}]}


def health_table():
    sc = csm.Scorecard.from_dict(UTF8_SPEC)
    return sc.score(pd.DataFrame({"x": [2.0, 8.0, np.nan]}), as_table=True)


def _km_table():
    # two groups and the overall curve: durations 1 2 3 4, events 1 1 0 1
    return csm.kaplan_meier([1, 2, 3, 4], [1, 1, 0, 1], groups=[0, 0, 1, 1],
                            include_overall=True, as_table=True)


_VALUE = ("group", "CODE", "I32", "KEY")  # the key of every value table

# (table name, how to get it, header, column list, leading key of value tables)
FAMILY_TABLES = [
    ("retention", lambda lg: lg.retention(window=3, as_table=True), "retention.h",
     "CSM_RETENTION_COLUMNS", None),
    ("cohorts", lambda lg: lg.cohorts(as_table=True), "cohorts.h", "CSM_COHORTS_COLUMNS", None),
    ("cohort_cells", lambda lg: lg.cohorts(as_table=True).result_table("cohort_cells"),
     "cohorts.h", "CSM_COHORT_CELLS_COLUMNS", None),
    ("lifetimes", lambda lg: lg.lifetimes(as_table=True), "lifetimes.h",
     "CSM_LIFETIMES_COLUMNS", None),
    ("km", lambda lg: _km_table(), "km.h", "CSM_KM_COLUMNS", None),
    ("km_groups", lambda lg: _km_table().result_table("km_groups"), "km.h",
     "CSM_KM_GROUP_COLUMNS", None),
    ("sbg", lambda lg: csm.sbg_fit([1000, 869, 743, 653, 593, 551, 517, 491]).table,
     "sbg.h", "CSM_SBG_COLUMNS", None),
    ("sbg_curve", lambda lg: csm.SBGFit(1, 1).curve(4, as_table=True), "sbg.h",
     "CSM_SBG_CURVE_COLUMNS", None),
    ("renewals", lambda lg: renewal_tables()[0], "renewals.h", "CSM_RENEWALS_COLUMNS", None),
    ("renewal_contracts", lambda lg: renewal_tables()[1], "renewals.h",
     "CSM_RENEWAL_CONTRACTS_COLUMNS", None),
    ("team", lambda lg: lg.team([1, 2], [7, 9], as_table=True), "team.h",
     "CSM_TEAM_COLUMNS", None),
    ("team_summary", lambda lg: lg.team([1, 2], [7, 9], as_table=True).result_table(
        "team_summary"), "team.h", "CSM_TEAM_SUMMARY_COLUMNS", None),
    ("activity", lambda lg: csm.activity({"account_id": [1, 2], "sessions": [3, 4]},
                                         as_table=True), "activity.h",
     "CSM_ACTIVITY_COLUMNS", None),
    ("activity_measures", lambda lg: csm.activity(
        {"account_id": [1, 2], "sessions": [3, 4]}, as_table=True).result_table(
            "activity_measures"), "activity.h", "CSM_ACTIVITY_MEASURES_COLUMNS", None),
    ("health", lambda lg: health_table(), "health.h", "CSM_HEALTH_COLUMNS", None),
    ("health_measures", lambda lg: health_table().result_table("health_measures"),
     "health.h", "CSM_HEALTH_MEASURES_COLUMNS", None),
    ("health_groups", lambda lg: health_table().result_table("health_groups"), "health.h",
     "CSM_HEALTH_GROUPS_COLUMNS", None),
    ("projection", lambda lg: csm.project_mrr(100, 2, [0.1], as_table=True), "projection.h",
     "CSM_PROJECTION_COLUMNS", None),
    ("nps", lambda lg: csm.nps([9, 0]).table, "nps.h", "CSM_NPS_RESULT_COLUMNS", _VALUE),
    ("nps_diff", lambda lg: csm.nps_compare([9, 0], [9, 9]).table, "nps.h",
     "CSM_NPS_DIFF_COLUMNS", _VALUE),
    ("csat", lambda lg: csm.csat([5, 1]).table, "csat.h", "CSM_CSAT_RESULT_COLUMNS", _VALUE),
    ("ces", lambda lg: csm.ces([5, 1]).table, "ces.h", "CSM_CES_RESULT_COLUMNS", _VALUE),
    ("ltv", lambda lg: csm.ltv(100, 0.8, 0.02).table, "ltv.h", "CSM_LTV_RESULT_COLUMNS",
     _VALUE),
    ("metric", lambda lg: csm.cac(100, 4).table, "table.h", "CSM_METRIC_COLUMNS", _VALUE),
]


@pytest.mark.parametrize("name,get,header,macro,lead", FAMILY_TABLES,
                         ids=[f[0] for f in FAMILY_TABLES])
def test_every_family_table_is_its_c_declaration(ledger, name, get, header, macro, lead):
    t = get(ledger)
    assert isinstance(t, csm.Table) and t.name == name
    decl = [(n, ty.lower(), st.lower(), r.lower(), d)
            for n, ty, st, r, d in declared_columns(header, macro)]
    got = [(c.name, c.type, c.storage, c.role, c.doc) for c in t.columns]
    if lead is not None:
        assert got[0][:4] == tuple(x.lower() for x in lead)
        got = got[1:]
    assert got == decl
    for c in t.columns:
        assert len(c.values) == len(t)
        assert c.values.dtype == (object if c.storage == "str" else _DTYPES[c.storage.upper()])
    # the Arrow export names every column as declared
    cap = t.__arrow_c_schema__()
    s = capsule_struct(cap, "arrow_schema", ArrowSchema)
    assert s.name.decode() == name
    assert [k.name.decode() for k in child_schemas(s)] == t.names


def test_renewal_contracts_frame():
    summary, per = renewal_tables()
    assert per.kind == "renewals" and summary.result_table("renewal_contracts").name == \
        "renewal_contracts"
    df = per.to_pandas()
    # tests/test-renewals.c: the 7 due contracts, input rows 0 2 5 6 8 9 11
    assert df.index.name == "contract_row" and list(df.index) == [0, 2, 5, 6, 8, 9, 11]
    assert list(df["customer_id"]) == [1, 2, 3, 4, 5, 5, 6]
    # due days (a DAY column: datetimes): the contracts' end days
    assert list(df["due_day"]) == [pd.Timestamp(d) for d in (
        "2024-02-29", "2024-05-31", "2024-12-31", "2024-08-31", "2024-06-30", "2024-06-30",
        "2024-12-31")]
    # text: the result's own strings
    assert list(df["outcome"]) == ["renewed", "renewed", "churned", "late", "renewed",
                                   "renewed", "renewed"]
    assert df["outcome"].dtype == object and list(df["outcome_code"]) == [1, 1, 3, 2, 1, 1, 1]
    # days to renewal: 0, 44, NaN (churned), 136, 0, 0, 0; renewal rows 1 3 -1 7 10 10 13
    gaps = df["days_to_renewal"].to_numpy()
    assert math.isnan(gaps[2]) and list(np.delete(gaps, 2)) == [0, 44, 136, 0, 0, 0]
    assert list(df["renewal_row"]) == [1, 3, -1, 7, 10, 10, 13]
    np.testing.assert_allclose(df["renewal_value"], [1504.109589, 1002.739726, 0, 802.191781,
                                                     110.301370, 220.602740, 1203.287671],
                               atol=1e-6)
    np.testing.assert_allclose(df["upsell_value"], [0, 0, 0, 0, 0, 0, 119.719626], atol=1e-6)
    # bool: counted as renewed (the late one only with late_counts)
    assert df["counts_as_renewed"].dtype == bool
    assert list(df["counts_as_renewed"]) == [True, True, False, False, True, True, True]
    # a CODE column that is not a key stays, all "all" codes without grouping
    assert list(df["group"]) == [I32_MIN] * 7
    # the summary reconciles with its contracts (renewals.h)
    s = summary.to_pandas(keep_codes=False).iloc[0]
    assert s["due"] == len(df) and s["renewed"] == df["counts_as_renewed"].sum()
    assert s["renewed_value"] == pytest.approx(
        (df["renewal_value"] * df["counts_as_renewed"]).sum(), rel=1e-12)
    # the default DataFrames: contracts=True appends the per-contract frame
    r, per_df = csm.renewals(RN_CUST, RN_START, RN_END, RN_VAL, "2024-01-01", "2024-12-31",
                             contracts=True)
    pd.testing.assert_frame_equal(per_df, df)
    assert list(r.index) == ["all"] and r.index.name == "group"
    r, out, per_df = csm.renewals(RN_CUST, RN_START, RN_END, RN_VAL, "2024-01-01",
                                  "2024-12-31", return_outcomes=True, contracts=True,
                                  group_by="segment", segment=RN_SEG)
    assert r.index.name == "segment" and list(r.index) == [1, 2]
    assert len(out) == 14 and out.loc[12, "outcome"] == "upsell"
    # grouped by segment: each contract's group is its segment (rows 0 2 8 9
    # are in segment 1, rows 5 6 11 in segment 2)
    assert list(per_df["group"]) == [1, 1, 2, 2, 1, 1, 2]


def test_text_nulls_and_utf8_health():
    t = health_table()
    df = t.to_pandas()
    # key: the account's row; band is the name (TEXT), band_index the code
    assert df.index.name == "account" and list(df.index) == [0, 1, 2]
    assert list(df["score"][:2]) == [20, 80] and math.isnan(df["score"].iloc[2])
    assert list(df["band_index"]) == [0, 1, -1]
    assert list(df["band"]) == ["bas", "\u00e9lev\u00e9", None]
    assert list(df["override"]) == [None, None, None]
    assert csm.flag_names(df["flag_bits"].iloc[2]) == ["empty"]
    # the public DataFrame: indexed like the input, measures pivoted wide
    sc = csm.Scorecard.from_dict(UTF8_SPEC)
    out = sc.score(pd.DataFrame({"x": [2.0, 8.0, np.nan]}, index=["p", "q", "r"]))
    assert list(out.index) == ["p", "q", "r"]
    assert list(out["band"]) == ["bas", "\u00e9lev\u00e9", None]
    assert list(out.columns[-4:]) == ["measure_score_x", "weight_x", "contribution_x",
                                      "group_contribution_g"]
    # Arrow: utf8 offsets 0, 3 ("bas"), 10 ("\u00e9lev\u00e9": 2 + 1 + 1 + 1 + 2
    # bytes), 10 (null)
    sc_, ac = t.__arrow_c_array__()
    a = capsule_struct(ac, "arrow_array", ArrowArray)
    band = dict(zip(t.names, child_arrays(a)))["band"]
    assert (band.null_count, validity(band)) == (1, [1, 1, 0])
    assert buffer(band, 1, ctypes.c_int32, 4) == [0, 3, 10, 10]
    assert ctypes.string_at(band.buffers[2], 10) == "bas\u00e9lev\u00e9".encode()


def test_month_none_is_nat_and_keys_kept():
    # an empty ledger: the team summary's month is CSM_MONTH_NONE (team.h),
    # NaT in pandas, None in a record, null in Arrow
    t = csm.Ledger([], [], []).team([], [], as_table=True)
    assert len(t) == 0
    summary = t.result_table("team_summary")
    assert len(summary) == 1 and list(summary["month"]) == [I32_MIN]
    df = summary.to_pandas()
    assert df.index.name == "month" and pd.isna(df.index[0])
    assert csm.Ledger([], [], []).team([], []).attrs["month"] is None
    caps = summary.__arrow_c_array__()  # (kept: the capsules own the structs)
    a = capsule_struct(caps[1], "arrow_array", ArrowArray)
    assert validity(child_arrays(a)[0]) == [0]
    # KM: the overall curve's group is the "all" code beside real groups:
    # the key stays (INT32_MIN in pandas), null in Arrow
    km = _km_table().result_table("km_groups")
    assert list(km["group"]) == [I32_MIN, 0, 1]
    assert list(km.to_pandas().index) == [I32_MIN, 0, 1]
    # n: 4 observations overall, 2 per group
    assert list(km.to_pandas()["n"]) == [4, 2, 2]
    caps = km.__arrow_c_array__()
    a = capsule_struct(caps[1], "arrow_array", ArrowArray)
    assert validity(child_arrays(a)[0]) == [0, 1, 1]


def test_lifetimes_month_and_bool():
    # conftest: A M0..M5 (censored, 6), B M0-M1 (churned M2, 2), C M1-M2
    # (churned M3, 2), D M0 (churned M1, 1), E M0..M5 (6), F M3..M5 (3);
    # segments in the first month A1 B1 C2 D2 E1 F2
    t = csm.Ledger([], [], []).lifetimes(as_table=True)
    assert len(t) == 0
    from conftest import FX_CUST as C, FX_MONTH as M, FX_MRR as R, FX_SEG as S
    lg = csm.Ledger(C, np.array(M, np.int32) + M0, R, S)
    lt = lg.lifetimes()
    assert isinstance(lt.index, pd.RangeIndex)
    assert list(lt.columns) == ["customer_id", "first_month", "segment", "duration", "event"]
    assert list(lt["customer_id"]) == [1, 2, 3, 4, 5, 6]
    assert list(lt["first_month"]) == [P(0), P(0), P(1), P(0), P(0), P(3)]
    assert list(lt["segment"]) == [1, 1, 2, 2, 1, 2]
    assert list(lt["duration"]) == [6, 2, 2, 1, 6, 3]
    assert lt["event"].dtype == bool
    assert list(lt["event"]) == [False, True, True, True, False, False]
    # bools go back to kaplan_meier as events
    km = csm.kaplan_meier(lt["duration"], lt["event"])
    assert km.summary["events"].iloc[0] == 3
    # Arrow: first_month as date32 (2024-01-01 = 19723, 2024-02-01 = 19754,
    # 2024-04-01 = 19723 + 31 + 29 + 31 = 19814); event bit-packed 0b001110
    t = lg.lifetimes(as_table=True)
    sc, ac = t.__arrow_c_array__()
    s = capsule_struct(sc, "arrow_schema", ArrowSchema)
    assert [(k.name, k.format) for k in child_schemas(s)] == [
        (b"customer_id", b"l"), (b"first_month", b"tdD"), (b"segment", b"i"),
        (b"duration", b"g"), (b"event", b"b")]
    c = dict(zip(t.names, child_arrays(capsule_struct(ac, "arrow_array", ArrowArray))))
    assert buffer(c["first_month"], 1, ctypes.c_int32, 6) == [19723, 19723, 19754, 19723,
                                                               19723, 19814]
    assert ctypes.c_uint8.from_address(c["event"].buffers[1]).value == 0b001110


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
    assert buffer(cols["flags"], 1, ctypes.c_uint32, 6) == list(df["flag_bits"])
    # NaN rates are nulls: quick_ratio has a zero denominator (contraction
    # + churn) in M0 (700/0) and M5 (0/0) (conftest);
    # customer_churn_rate in M0 (no customers at the start)
    assert cols["quick_ratio"].null_count == 2
    assert validity(cols["quick_ratio"]) == [0, 1, 1, 1, 1, 0]
    assert validity(cols["customer_churn_rate"]) == [0, 1, 1, 1, 1, 1]
    for name in df.columns:  # the Arrow export keeps the C name "flags"
        col = cols[name if name != "flag_bits" else "flags"]
        assert col.null_count == int(df[name].isna().sum()), name
    # the consumer releases; the capsules' destructors then skip them
    release(a)
    release(s)
    release(s2)
    # requested_schema is accepted (and ignored, as the protocol allows)
    s3, a3 = t.__arrow_c_array__(requested_schema=t.__arrow_c_schema__())
    assert capsule_struct(a3, "arrow_array", ArrowArray).length == 6


def test_arrow_renewal_contracts_every_format():
    _, t = renewal_tables()
    sc, ac = t.__arrow_c_array__()
    s = capsule_struct(sc, "arrow_schema", ArrowSchema)
    a = capsule_struct(ac, "arrow_array", ArrowArray)
    # ids int64, codes int32, DAY date32 (zero-copy), money/numbers float64,
    # TEXT utf8, BOOL boolean
    assert [(k.name, k.format) for k in child_schemas(s)] == [
        (b"contract_row", b"l"), (b"customer_id", b"l"), (b"group", b"i"),
        (b"due_day", b"tdD"), (b"value", b"g"), (b"outcome", b"u"), (b"outcome_code", b"i"),
        (b"days_to_renewal", b"g"), (b"renewal_row", b"l"), (b"renewal_value", b"g"),
        (b"upsell_value", b"g"), (b"counts_as_renewed", b"b")]
    for k, col in zip(child_schemas(s), t.columns):
        assert metadata(k) == {"csm.type": col.type, "csm.role": col.role}
    assert a.length == 7
    c = dict(zip(t.names, child_arrays(a)))
    # due days (tests/test-renewals.c): 2024-02-29 = 19782, 2024-05-31 =
    # 19874, 2024-12-31 = 20088, 2024-08-31 = 19966, 2024-06-30 = 19904
    assert buffer(c["due_day"], 1, ctypes.c_int32, 7) == [19782, 19874, 20088, 19966, 19904,
                                                           19904, 20088]
    assert c["due_day"].buffers[1] == t["due_day"].__array_interface__["data"][0]
    assert buffer(c["contract_row"], 1, ctypes.c_int64, 7) == [0, 2, 5, 6, 8, 9, 11]
    # the group code is "all" on every row without grouping: 7 nulls
    assert (c["group"].null_count, validity(c["group"])) == (7, [0] * 7)
    # days_to_renewal is NaN (null) for the churned contract only
    assert (c["days_to_renewal"].null_count, validity(c["days_to_renewal"])) == \
        (1, [1, 1, 0, 1, 1, 1, 1])
    # renewal_row -1 is a value, not a null (ID columns have none)
    assert c["renewal_row"].null_count == 0
    # utf8: renewed renewed churned late renewed renewed renewed: offsets by
    # 7, 7, 7, 4, 7, 7, 7 bytes
    out = c["outcome"]
    assert (out.n_buffers, out.null_count) == (3, 0)
    assert buffer(out, 1, ctypes.c_int32, 8) == [0, 7, 14, 21, 25, 32, 39, 46]
    assert ctypes.string_at(out.buffers[2], 46) == b"renewedrenewedchurnedlate" + \
        b"renewed" * 3
    # bool, bit-packed: 1 1 0 0 1 1 1 -> 0b1110011
    assert ctypes.c_uint8.from_address(c["counts_as_renewed"].buffers[1]).value == 0b1110011


def test_arrow_bad_arguments():
    with pytest.raises(ValueError):  # not a result capsule
        _csm.py_arrow_schema(object(), 0)
    summary, _ = renewal_tables()
    with pytest.raises(IndexError):  # two tables: 0 and 1
        _csm.py_arrow_array(summary._conv["result"], 2)
    with pytest.raises(IndexError):
        _csm.py_arrow_stream(summary._conv["result"], 2)


class ArrowArrayStream(ctypes.Structure):
    pass


ArrowArrayStream._fields_ = [
    ("get_schema", ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ArrowArrayStream),
                                    ctypes.POINTER(ArrowSchema))),
    ("get_next", ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ArrowArrayStream),
                                  ctypes.POINTER(ArrowArray))),
    ("get_last_error", ctypes.CFUNCTYPE(ctypes.c_char_p, ctypes.POINTER(ArrowArrayStream))),
    ("release", ctypes.CFUNCTYPE(None, ctypes.POINTER(ArrowArrayStream))),
    ("private_data", ctypes.c_void_p),
]


def test_arrow_stream_one_batch():
    base = live()
    lg = counting_ledger()
    t = lg.lifetimes(as_table=True)
    cap = t.__arrow_c_stream__(requested_schema=None)
    st = capsule_struct(cap, "arrow_array_stream", ArrowArrayStream)
    del lg, t
    # the stream holds the result: its schema and batch are read after the
    # Table and the ledger are gone
    sp = ctypes.pointer(st)
    for _ in range(2):  # each get_schema hands out a new schema
        s = ArrowSchema()
        assert st.get_schema(sp, ctypes.pointer(s)) == 0
        assert (s.format, s.name, s.n_children) == (b"+s", b"lifetimes", 5)
        release(s)
    a = ArrowArray()
    assert st.get_next(sp, ctypes.pointer(a)) == 0
    # conftest: 6 customers; durations 6 2 2 1 6 3 (test_lifetimes_month_and_bool)
    assert a.length == 6
    assert buffer(child_arrays(a)[3], 1, ctypes.c_double, 6) == [6, 2, 2, 1, 6, 3]
    end = ArrowArray()
    assert st.get_next(sp, ctypes.pointer(end)) == 0 and is_released(end)  # end of stream
    assert st.get_last_error(sp) is None
    release(a)
    # with the batch gone, the stream's own reference still keeps the result
    # (one block: the ledger is gone too), so a schema can still be asked for
    assert live() == base + 1
    s = ArrowSchema()
    assert st.get_schema(sp, ctypes.pointer(s)) == 0
    assert (s.format, s.name, s.n_children) == (b"+s", b"lifetimes", 5)
    release(s)
    assert live() == base + 1
    del cap  # the capsule releases the stream it still owns
    assert live() == base
    # a stream dropped unread releases its batch too
    cap = counting_ledger().lifetimes(as_table=True).__arrow_c_stream__()
    assert live() > base
    del cap
    assert live() == base


def test_counting_allocator_counts():
    # a result through the counting allocator is one block; dropping it
    # gives the block back
    before = live()
    lg = counting_ledger()
    with_ledger = live()
    t = lg.lifetimes(as_table=True)
    assert live() == with_ledger + 1
    sc, ac = t.__arrow_c_array__()
    # the export allocates a schema block per column and one for the struct
    # (5 + 1), one block per child array and one for the parent (5 + 1)
    assert live() == with_ledger + 1 + 6 + 6
    del sc, ac
    assert live() == with_ledger + 1
    del t
    assert live() == with_ledger
    del lg
    assert live() == before


# ---- long tables as matrices: the generic pivot --------------------------------
def test_cohort_matrix_is_the_cells_reshaped(ledger):
    t = ledger.cohorts(as_table=True)
    assert t.names == ["cohort", "segment", "size", "flags"]
    # conftest cohorts M0 {A, B, D, E}, M1 {C}, M3 {F}
    assert list(t["size"]) == [4, 1, 1]
    cells = t.result_table("cohort_cells")
    assert len(cells) == 3 * 6  # 3 cohorts x ages 0..5, row-major
    assert list(cells["age"][:7]) == [0, 1, 2, 3, 4, 5, 0]
    m = ledger.cohorts(relative=False)
    # cell (i, age) is row i*6 + age of the long column
    np.testing.assert_array_equal(m.to_numpy().ravel(), cells["customers"])
    # and the matrix views the C result (no copy): its numpy base chain ends
    # at the capsule holding the result
    base = m.to_numpy()
    while isinstance(base, np.ndarray):
        base = base.base
    assert type(base).__name__ == "PyCapsule" and _get_name(base) == b"csmetrics.result"
    assert isinstance(m.columns, pd.RangeIndex) and m.columns.name == "age"


def test_pivot_needs_a_grid(ledger):
    from csmetrics import _table
    # the KM rows are ragged (group 0 has times 1 and 2, group 1 times 3 and
    # 4, the overall curve 1..4): not a grid of group x time
    km = _km_table()
    with pytest.raises(ValueError, match="row-major grid"):
        _table.pivot(km, "time", "survival")
    # a grid: activity measures are key x measure; the measure names come
    # from C (csm_activity_measure_name) in code order
    t = csm.activity({"account_id": [1, 2], "sessions": [3, 4]}, as_table=True)
    wide = _table.pivot(t.result_table("activity_measures"), "measure", "rate")
    assert list(wide.columns) == csm.ACTIVITY_RATES and list(wide.index) == [1, 2]
    assert csm.ACTIVITY_RATES == ["activation_rate", "login_rate", "sessions_per_user",
                                  "minutes_per_user", "minutes_per_session",
                                  "feature_breadth", "stickiness"]
    # no rows: the labels given make the columns
    empty = csm.activity({"account_id": []}, as_table=True).result_table("activity_measures")
    assert len(empty) == 0
    w = _table.pivot(empty, "measure", ["mean"], labels=["a", "b"])
    assert list(w.columns) == ["mean_a", "mean_b"] and len(w) == 0


# ---- value results read from their one-row tables ------------------------------
def test_value_results_come_from_their_tables():
    # NPS of [9, 9, 0]: promoters 2/3, detractors 1/3 -> 33.33...
    r = csm.nps([9, 9, 0])
    t = r.table
    assert (t.name, t.kind, len(t)) == ("nps", "nps", 1)
    assert list(r.as_dict()) == [c.name for c in t.columns if c.role != "key"]
    assert r.nps == pytest.approx(100 / 3) and t["nps"][0] == r.nps
    assert list(t["group"]) == [0]
    m = csm.cac(100, 4)  # 100 / 4 = 25
    assert m == 25 and m.table.names == ["group", "value", "flags"] and m.table["value"][0] == 25
    assert csm.Metric(3.0).table is None and csm.Result({"a": 1}).table is None


def test_results_table():
    # NPS per segment: [9, 9, 0] -> 33.33 (segment 3), [10, 7] -> p 1/2,
    # d 0 -> 50 (segment 7)
    a, b = csm.nps([9, 9, 0]), csm.nps([10, 7])
    t = csm.results_table([a, b], groups=[3, 7])
    assert (t.name, len(t)) == ("nps", 2) and list(t["group"]) == [3, 7]
    df = csm.results_table([a, b], groups=[3, 7], as_table=False)
    assert df.index.name == "group" and list(df.index) == [3, 7]
    np.testing.assert_allclose(df["nps"], [100 / 3, 50])
    assert list(df.columns) == [k if k != "flags" else "flag_bits" for k in a.as_dict()]
    # without groups the rows are numbered
    assert list(csm.results_table([b, a])["group"]) == [0, 1]
    # CAC per channel: 100/4 = 25, 90/0 -> NaN (zero denominator)
    t = csm.results_table([csm.cac(100, 4), csm.cac(90, 0)], groups=[1, 2])
    assert t.name == "metric" and t["value"][0] == 25 and math.isnan(t["value"][1])
    assert csm.flag_names(t["flags"][1]) == ["zero_denominator"]
    caps = t.__arrow_c_array__()
    c = capsule_struct(caps[1], "arrow_array", ArrowArray)
    assert validity(child_arrays(c)[1]) == [1, 0]  # NaN is null
    with pytest.raises(csm.InvalidArgumentError):
        csm.results_table([a, csm.csat([5])])  # two kinds
    with pytest.raises(csm.InvalidArgumentError):
        csm.results_table([csm.Metric(1.0)])  # built by hand
    with pytest.raises(csm.InvalidArgumentError) as ei:
        csm.results_table([a, b], groups=[1])
    assert ei.value.field == "group"


def test_sbg_fit_and_curve_tables():
    # Fader & Hardie (2007) "High End" (test_survival): one cohort of 1000
    f = csm.sbg_fit([1000, 869, 743, 653, 593, 551, 517, 491])
    assert f.table.name == "sbg" and len(f.table) == 1
    assert f.n_cohorts == 1 and f.n_customers == 1000 and f.converged
    assert f.fields["alpha"] == f.alpha and f.se_alpha == f.stderr[0]
    assert isinstance(f.table.to_pandas().index, pd.RangeIndex)  # no key column
    # alpha = beta = 1: S(t) = B(1, 1 + t) / B(1, 1) = 1 / (t + 1): 1, 1/2,
    # 1/3, 1/4; r(t) = S(t)/S(t-1) = t/(t+1); churn S(t-1) - S(t) = 0, 1/2,
    # 1/6, 1/12; a cohort of 120: survivors 120, 60, 40, 30, churned 0, 60,
    # 20, 10
    c = csm.SBGFit(1, 1).curve(4, cohort_size=120)
    assert isinstance(c.index, pd.RangeIndex) and c.index.name == "period" and len(c) == 4
    np.testing.assert_allclose(c["survival"], [1, 1 / 2, 1 / 3, 1 / 4], rtol=1e-12)
    assert math.isnan(c["retention"].iloc[0])
    np.testing.assert_allclose(c["retention"][1:], [1 / 2, 2 / 3, 3 / 4], rtol=1e-12)
    np.testing.assert_allclose(c["churn"], [0, 1 / 2, 1 / 6, 1 / 12], rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(c["survivors"], [120, 60, 40, 30], rtol=1e-12)
    np.testing.assert_allclose(c["churned"], [0, 60, 20, 10], rtol=1e-12, atol=1e-12)
    assert len(csm.SBGFit(1, 1).curve(0)) == 0
    with pytest.raises(csm.DomainError):
        csm.SBGFit(1, 1).curve(3, cohort_size=-1)


def test_team_summary_attrs(ledger):
    # test_team's fixture, month 2024-01: customers 1..4 active
    # (MRR 100 200 300 400), owners 1->7, 2->7, 3->9 (5 is not active):
    # owned accounts 3, owned ARR 12 x 600 = 7200, 2 CSMs
    led = csm.Ledger([1, 2, 3, 4, 5], ["2024-01"] * 4 + ["2024-02"], [100, 200, 300, 400, 300])
    t = led.team([3, 1, 2, 5], [9, 7, 7, 9], month="2024-01")
    assert t.attrs == {"month": pd.Period("2024-01", "M"), "n_csm": 2, "accounts_per_csm": 1.5,
                       "arr_per_csm": 3600.0, "owned_accounts": 3, "owned_arr": 7200.0,
                       "flags": 0}
    assert list(t.columns)[-1] == "flag_bits"


# ---- every order of release, nothing leaked ------------------------------------
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


def test_flags_column_is_flag_bits_in_dataframes(ledger):
    # pandas' DataFrame.flags is an attribute of every frame, so a column "flags" is reached only
    # as df["flags"] and df.flags silently gives pandas' Flags object: the DataFrames call the C
    # column "flags" flag_bits.  M0 of the fixture has no customer at its start: customer churn
    # 0/0, the zero_denominator bit (test_movements_fixture)
    df = ledger.movements()
    assert "flags" not in df.columns and isinstance(df.flags, pd.Flags)
    assert df.flag_bits.dtype == np.uint32
    assert csm.flag_names(df.flag_bits.iloc[0]) == csm.flag_names(
        ledger.movements(as_table=True)["flags"][0])
    assert "zero_denominator" in csm.flag_names(df.flag_bits.iloc[0])
    # the Table and its column descriptors keep the C name
    assert ledger.movements(as_table=True).names[-1] == "flags"
    # every family's frame: the rate frames of activity and health too
    act = csm.activity(pd.DataFrame({"account_id": [1], "licensed_seats": [2.0],
                                     "active_users": [1.0]}))
    assert "flag_bits" in act.columns and "flags" not in act.columns
    assert "flag_bits" in ledger.retention(window=1).columns
