#!/usr/bin/python3
"""The generated SQL (csmetrics sql) run on real PostgreSQL and DuckDB
servers against the library's own figures (the Python bindings), on the
demo company and on random ledgers with gaps, duplicates, zero months and
segment switches, and on contract sets for renewals.  Counts must agree
exactly, every other figure to 1e-9 relative (absolute 1e-9 for figures
near 0); undefined figures (NaN) must be NULL.  The Snowflake and BigQuery
queries run on DuckDB through translate.py's rewrite.

Usage: check_sql.py CSMETRICS_BINARY LIBDUCKDB_SO  (PostgreSQL: the
environment's PGHOST, from run.sh's throwaway cluster; `--no-postgres`
skips it).  Exits 1 on the first mismatch, naming query, options, row and
column."""
import csv
import ctypes
import math
import os
import random
import subprocess
import sys
import tempfile
import datetime

import numpy as np
import csmetrics as csm

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from translate import translate  # noqa: E402

# the dialects each engine runs: its own, and on DuckDB the Snowflake and
# BigQuery queries rewritten by translate.py (docs/sql.md)
DIALECTS = {"postgres": ["postgres"], "duckdb": ["duckdb", "snowflake", "bigquery"]}

REL = 1e-9
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def ym(idx):
    return f"{idx // 12:04d}-{idx % 12 + 1:02d}"


# ---- the engines ---------------------------------------------------------
class Postgres:
    name = "postgres"

    def __init__(self):
        self.base = ["psql", "-X", "-q", "-U", "postgres", "-d", "postgres",
                     "-v", "ON_ERROR_STOP=1"]

    def run(self, sql, csv_out=True):
        args = self.base + (["--csv"] if csv_out else [])
        p = subprocess.run(args, input=sql, capture_output=True, text=True)
        if p.returncode != 0:
            raise RuntimeError(f"postgres: {p.stderr}\n{sql}")
        return list(csv.reader(p.stdout.splitlines()))

    def load(self, table, cols, path):
        coldefs = ", ".join(f"{n} {t}" for n, t in cols)
        self.run(f"DROP TABLE IF EXISTS {table}; CREATE TABLE {table} ({coldefs});\n"
                 f"\\copy {table} FROM '{path}' WITH (FORMAT csv, HEADER true)\n",
                 csv_out=False)

    def query(self, sql):
        rows = self.run(sql)
        return rows[0], [[None if v == "" else v for v in r] for r in rows[1:]]


class DuckDB:
    """DuckDB's C API (the npm package's libduckdb.so) through ctypes."""
    name = "duckdb"

    def __init__(self, so):
        d = self.d = ctypes.CDLL(so)
        d.duckdb_open.argtypes = [ctypes.c_char_p, ctypes.POINTER(ctypes.c_void_p)]
        d.duckdb_connect.argtypes = [ctypes.c_void_p, ctypes.POINTER(ctypes.c_void_p)]
        d.duckdb_query.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_void_p]
        d.duckdb_row_count.argtypes = [ctypes.c_void_p]
        d.duckdb_row_count.restype = ctypes.c_uint64
        d.duckdb_column_count.argtypes = [ctypes.c_void_p]
        d.duckdb_column_count.restype = ctypes.c_uint64
        d.duckdb_column_name.argtypes = [ctypes.c_void_p, ctypes.c_uint64]
        d.duckdb_column_name.restype = ctypes.c_char_p
        d.duckdb_value_varchar.argtypes = [ctypes.c_void_p, ctypes.c_uint64, ctypes.c_uint64]
        d.duckdb_value_varchar.restype = ctypes.c_void_p
        d.duckdb_value_is_null.argtypes = [ctypes.c_void_p, ctypes.c_uint64, ctypes.c_uint64]
        d.duckdb_value_is_null.restype = ctypes.c_bool
        d.duckdb_result_error.argtypes = [ctypes.c_void_p]
        d.duckdb_result_error.restype = ctypes.c_char_p
        d.duckdb_destroy_result.argtypes = [ctypes.c_void_p]
        d.duckdb_free.argtypes = [ctypes.c_void_p]
        self.db = ctypes.c_void_p()
        self.con = ctypes.c_void_p()
        assert d.duckdb_open(None, ctypes.byref(self.db)) == 0
        assert d.duckdb_connect(self.db, ctypes.byref(self.con)) == 0

    def query(self, sql):
        res = ctypes.create_string_buffer(256)  # duckdb_result (48 bytes)
        st = self.d.duckdb_query(self.con, sql.encode(), res)
        try:
            if st != 0:
                raise RuntimeError(f"duckdb: {self.d.duckdb_result_error(res).decode()}\n{sql}")
            nc, nr = self.d.duckdb_column_count(res), self.d.duckdb_row_count(res)
            head = [self.d.duckdb_column_name(res, c).decode() for c in range(nc)]
            rows = []
            for r in range(nr):
                row = []
                for c in range(nc):
                    if self.d.duckdb_value_is_null(res, c, r):
                        row.append(None)
                        continue
                    p = self.d.duckdb_value_varchar(res, c, r)
                    row.append(ctypes.string_at(p).decode())
                    self.d.duckdb_free(p)
                rows.append(row)
            return head, rows
        finally:
            self.d.duckdb_destroy_result(res)

    def load(self, table, cols, path):
        types = ", ".join(f"'{n}': '{t}'" for n, t in cols)
        self.query(f"CREATE OR REPLACE TABLE {table} AS SELECT * FROM "
                   f"read_csv('{path}', header = true, columns = {{{types}}})")


# ---- data -------------------------------------------------------------------
def demo_segments():
    """{account id: segment code} of the demo (segment names in byte order)."""
    with open(os.path.join(ROOT, "examples/data/demo/accounts.csv")) as f:
        rows = list(csv.DictReader(f))
    names = sorted({r["segment"] for r in rows})
    return {int(r["account_id"]): names.index(r["segment"]) for r in rows}


def demo_ledger():
    seg_of = demo_segments()
    cust, mon, mrr, seg = [], [], [], []
    with open(os.path.join(ROOT, "examples/data/demo/mrr.csv")) as f:
        for r in csv.DictReader(f):
            y, m = r["month"].split("-")
            cust.append(int(r["customer_id"]))
            mon.append(int(y) * 12 + int(m) - 1)
            mrr.append(float(r["mrr"]))
            seg.append(seg_of.get(int(r["customer_id"]), 0))
    return cust, mon, mrr, seg


def random_ledger(rng, n_cust=40, n_months=30):
    """Gaps (absences of 1..8 months), duplicate rows, rows at MRR 0 and
    customers who switch segment."""
    cust, mon, mrr, seg = [], [], [], []
    base = 2023 * 12
    for c in range(n_cust):
        t = base + rng.randrange(n_months)
        s = rng.randrange(3)
        level = rng.choice([10.0, 49.5, 100.0, 250.25, 1000.0])
        while t < base + n_months:
            if rng.random() < 0.12:
                t += rng.randrange(1, 9)       # a gap
                continue
            if rng.random() < 0.1:
                s = rng.randrange(3)            # a segment switch
            r = rng.random()
            v = 0.0 if r < 0.06 else level * rng.choice([1, 1, 1, 0.5, 1.5, 2, 0.25])
            cust.append(c)
            mon.append(t)
            mrr.append(round(v, 2))
            seg.append(s)
            if rng.random() < 0.08:             # a duplicate row
                cust.append(c)
                mon.append(t)
                mrr.append(round(rng.choice([0.0, 5.0, 12.34]), 2))
                seg.append(rng.randrange(3))
            t += 1
    return cust, mon, mrr, seg


def random_responses(rng, n=300):
    return ([rng.randrange(11) for _ in range(n)],
            [round(rng.choice([0.0, 0.5, 1.0, 3.0, 120.0]) * rng.random(), 3) for _ in range(n)],
            [rng.randrange(4) for _ in range(n)])


EPOCH = datetime.date(1970, 1, 1).toordinal()


def iso(day):
    return datetime.date.fromordinal(day + EPOCH).isoformat()


def day_of(text):
    return datetime.date.fromisoformat(text).toordinal() - EPOCH


def demo_contracts():
    """examples/data/demo/contracts.csv (value over the term), the segment
    of each customer from accounts.csv."""
    seg_of = demo_segments()
    out = []
    with open(os.path.join(ROOT, "examples/data/demo/contracts.csv")) as f:
        for r in csv.DictReader(f):
            c = int(r["customer_id"])
            out.append((c, day_of(r["start_date"]), day_of(r["end_date"]),
                        float(r["value"]), seg_of.get(c, 0)))
    return out


W0, W1 = day_of("2025-01-01"), day_of("2025-12-31")


def random_contracts(rng, n_cust=60):
    """Chains of contracts per customer around the window [W0, W1]:
    renewed the day after the end, early (inside the term), within the
    grace period, on its last day and the day after, long after, never;
    upgrades and downgrades of value and term; in-term upsells (also
    co-terminous and on the first day); twins with the same start and end;
    two parallel chains; one-day contracts and ends on the window's edges;
    values of 0."""
    out = []
    for c in range(n_cust):
        seg = rng.randrange(3)
        for chain in range(1 if rng.random() < 0.8 else 2):
            s = W0 - rng.randrange(40, 800)
            if rng.random() < 0.15:   # end exactly on an edge of the window
                edge = rng.choice([W0, W0 - 1, W1, W1 + 1])
                term = rng.choice([1, 31, 365])
                s = edge - term + 1
            term = None
            v = rng.choice([0.0, 120.0, 1000.0, 4999.99, 15313.8])
            while s < W1 + 200:
                if term is None or rng.random() < 0.3:
                    term = rng.choice([1, 30, 90, 182, 365, 366, 730])
                e = s + term - 1
                if rng.random() < 0.15 and s > W0 - 800 + 40:
                    e = max(s, e)
                out.append((c, s, e, v, seg))
                if rng.random() < 0.1:      # a twin: same start and end
                    out.append((c, s, e, round(v * rng.choice([0.5, 2.0]), 2), seg))
                if rng.random() < 0.2 and e > s:   # an in-term upsell
                    us = s + rng.randrange(1, e - s + 1)
                    ue = rng.choice([e, us + rng.randrange(0, e - us + 1)])
                    out.append((c, us, ue, round(rng.choice([50.0, 333.33, 0.0]), 2), seg))
                r = rng.random()
                if r < 0.12:
                    break                    # never renewed
                gap = (0 if r < 0.4 else
                       -rng.randrange(1, 60) if r < 0.5 else       # signed early
                       rng.randrange(1, 90) if r < 0.65 else        # within grace
                       rng.choice([29, 30, 31, 89, 90, 91]) if r < 0.8 else
                       rng.randrange(91, 400))                      # late
                s = e + 1 + gap
                if rng.random() < 0.3:      # upgrade / downgrade
                    v = round(v * rng.choice([0.5, 0.8, 1.25, 2.0]), 2)
    # fixed edges: never renewed, ending on the window's last day (pending
    # exactly while end + 1 + grace > as_of); ends just outside the window;
    # a one-day contract; renewals at gaps 30, 31, 90 and 91 days
    c = n_cust
    out += [(c, W1 - 364, W1, 700.0, 0), (c + 1, W0 - 365, W0 - 1, 10.0, 1),
            (c + 1, W0, W0 + 400, 10.0, 1), (c + 2, W1 + 1 - 30, W1 + 1, 5.0, 2),
            (c + 3, W0, W0, 1.0, 0), (c + 3, W0 + 1, W0 + 1, 2.0, 0)]
    for k, gap in enumerate((30, 31, 90, 91)):
        e = W0 + 10 * k
        out += [(c + 4 + k, e - 179, e, 100.0, k % 3), (c + 4 + k, e + 1 + gap, e + 365 + gap, 150.0, k % 3)]
    rng.shuffle(out)
    return out


# runs of the library in which each case of the renewals occurs (main
# requires each at least once: a case the data never has is not tested)
SEEN = {"renewed": 0, "late": 0, "churned": 0, "pending": 0, "upsell_value": 0,
        "dollar_rate_above_1": 0}


# The worked example of docs/metrics.md "Renewals" (tests/test-renewals.c):
# (customer, start, end, value, segment), window 2024, grace 90.
WORKED = [(1, "2023-03-01", "2024-02-29", 1200, 1), (1, "2024-03-01", "2025-02-28", 1500, 1),
          (2, "2023-06-01", "2024-05-31", 1000, 1), (2, "2024-07-15", "2025-07-14", 1000, 1),
          (3, "2023-01-01", "2023-12-31", 500, 2), (3, "2024-01-01", "2024-12-31", 600, 2),
          (4, "2023-09-01", "2024-08-31", 800, 2), (4, "2025-01-15", "2026-01-14", 800, 2),
          (5, "2023-07-01", "2024-06-30", 100, 1), (5, "2023-07-01", "2024-06-30", 200, 1),
          (5, "2024-07-01", "2025-06-30", 330, 1), (6, "2024-01-01", "2024-12-31", 1000, 2),
          (6, "2024-06-01", "2024-12-31", 70, 2), (6, "2025-01-01", "2025-12-31", 1200, 2)]


def check_worked(cli, engines, tmp):
    """The worked example's figures, worked out by hand in the test's
    comment (not by the library): due 7 worth 4,900; renewed 5 with
    1504.109589 + 1002.739726 + 110.301370 + 220.602740 + 1203.287671 =
    4041.041096; late 1 (802.191781), churned 1 (600); the upsell 70 x
    366/214 = 119.719626; with late_counts 6 renewed with 4843.232877."""
    rows = [(c, day_of(a), day_of(b), float(v), g) for c, a, b, v, g in WORKED]
    path = os.path.join(tmp, "worked.csv")
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["customer_id", "start_date", "end_date", "value", "segment"])
        w.writerows((c, iso(a), iso(b), v, g) for c, a, b, v, g in rows)
    n = 0
    for late, want in ((False, (5, 4041.041096)), (True, (6, 4843.232877))):
        args = ["--window-start", "2024-01-01", "--window-end", "2024-12-31"]
        args += ["--late-counts"] if late else []
        for e in engines:
            e.load("contracts", [("customer_id", "BIGINT"), ("start_date", "DATE"),
                                 ("end_date", "DATE"), ("value", "DOUBLE PRECISION"
                                                        if e.name == "postgres" else "DOUBLE"),
                                 ("segment", "INTEGER")], path)
            for d in DIALECTS[e.name]:
                head, out = e.query(translate(sql_of(cli, "renewals", d, args), d))
                got = dict(zip(head, out[0]))
                assert len(out) == 1 and got["group"] is None
                for col, v in (("due", 7), ("renewed", want[0]), ("late", 1), ("churned", 1),
                               ("pending", 0), ("due_value", 4900), ("renewed_value", want[1]),
                               ("late_value", 802.191781), ("churned_value", 600),
                               ("upsell_value", 119.719626),
                               ("logo_renewal_rate", want[0] / 7),
                               ("dollar_renewal_rate", want[1] / 4900)):
                    assert abs(float(got[col]) - v) < 1e-6, (d, e.name, col, got[col], v)
                n += 1
    return n


def check_renewals(cli, engines, name, rows, tmp, with_id=True):
    path = os.path.join(tmp, name + "-contracts.csv")
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["customer_id", "start_date", "end_date", "value", "segment", "contract_id"])
        for i, (c, s, e, v, g) in enumerate(rows):
            w.writerow([c, iso(s), iso(e), repr(v), g, i])
    for e in engines:
        e.load("contracts", [("customer_id", "BIGINT"), ("start_date", "DATE"),
                             ("end_date", "DATE"),
                             ("value", "DOUBLE PRECISION" if e.name == "postgres" else "DOUBLE"),
                             ("segment", "INTEGER"), ("contract_id", "BIGINT")], path)
    cust = np.array([r[0] for r in rows], np.int64)
    start = np.array([r[1] for r in rows], np.int32)
    end = np.array([r[2] for r in rows], np.int32)
    value = np.array([r[3] for r in rows])
    seg = np.array([r[4] for r in rows], np.int32)
    n = 0
    windows = [(W0, W1), (day_of("2025-04-01"), day_of("2025-06-30")), (W1, W1)]
    for (w0, w1) in windows:
        for grace, late, ups, as_of, byseg in (
                (90, False, False, None, False), (90, True, True, None, True),
                (0, False, True, W1, False), (30, True, False, W1 + 45, True),
                (90, False, False, W0 + 100, False), (30, False, False, W1 + 30, True)):
            t = csm.renewals(cust, start, end, value, w0, w1, segment=seg,
                             group_by="segment" if byseg else None, grace_days=grace,
                             late_counts=late, include_upsells=ups, as_of=as_of,
                             as_table=True)
            lib = {c: t[c] for c in REN_COLS}
            for c in ("renewed", "late", "churned", "pending", "upsell_value"):
                SEEN[c] += float(np.sum(t[c]) > 0)
            SEEN["dollar_rate_above_1"] += float(np.nanmax(
                np.append(np.asarray(t["dollar_renewal_rate"]), 0)) > 1)
            args = ["--window-start", iso(w0), "--window-end", iso(w1),
                    "--grace-days", str(grace)]
            args += ["--late-counts"] if late else []
            args += ["--include-upsells"] if ups else []
            args += ["--as-of", iso(as_of)] if as_of is not None else []
            cols = (["group=segment"] if byseg else []) + (["id=contract_id"] if with_id else [])
            args += ["--columns", ",".join(cols)] if cols else []
            n += run_query(cli, engines, "renewals", args, f"{name} renewals {args}", lib,
                           {"group": "code"})
    return n


# ---- comparison --------------------------------------------------------------
def close(a, b):
    return abs(a - b) <= max(REL * max(abs(a), abs(b)), 1e-9)


def compare(what, engine, head, rows, lib, keys):
    """lib: {column: numpy array} in the library's row order; keys: the
    key columns (months compared as YYYY-MM)."""
    n = len(next(iter(lib.values())))
    if len(rows) != n:
        raise AssertionError(f"{what} on {engine}: {len(rows)} rows, library {n}")
    idx = {h: i for i, h in enumerate(head)}
    for r in range(n):
        for col, vals in lib.items():
            got = rows[r][idx[col]]
            want = vals[r]
            if col in keys and keys[col] == "month":
                ok = got is not None and got[:7] == ym(int(want))
            elif col in keys and keys[col] == "code":
                ok = (got is None) if want == -2**31 else (got is not None and int(got) == int(want))
            elif isinstance(want, (float, np.floating)) and math.isnan(want):
                ok = got is None
            elif isinstance(want, (int, np.integer)):   # counts: exactly
                ok = got is not None and float(got) == float(want)
            else:
                ok = got is not None and close(float(got), float(want))
            if not ok:
                raise AssertionError(f"{what} on {engine}: row {r}, column {col}: "
                                     f"SQL {got!r}, library {want!r}")


MOV_COLS = ["opening_mrr", "new", "reactivation", "expansion", "contraction", "churn",
            "adjustment", "segment_in", "segment_out", "net_new", "closing_mrr",
            "opening_customers", "customers", "new_customers", "reactivated_customers",
            "expanded_customers", "contracted_customers", "churned_customers",
            "segment_in_customers", "segment_out_customers", "customer_churn_rate",
            "gross_mrr_churn_rate", "net_mrr_churn_rate", "quick_ratio", "arpa", "arr"]
RET_COLS = ["base_customers", "retained_customers", "base_mrr", "retained_mrr", "end_mrr",
            "reactivation_mrr", "grr", "nrr", "logo_retention"]
REN_COLS = ["group", "due", "renewed", "late", "churned", "due_value", "renewed_value",
            "late_value", "churned_value", "upsell_value", "logo_renewal_rate",
            "dollar_renewal_rate", "pending", "pending_value"]
NPS_COLS = ["nps", "promoters", "passives", "detractors", "n_promoters", "n_passives",
            "n_detractors", "n", "n_effective", "se", "ci_low", "ci_high", "confidence"]


def sql_of(cli, metric, dialect, args):
    p = subprocess.run([cli, "sql", metric, "--dialect", dialect] + args,
                       capture_output=True, text=True)
    if p.returncode != 0:
        raise RuntimeError(f"csmetrics sql {metric} {args}: {p.stderr}")
    return p.stdout


def run_query(cli, engines, metric, args, what, lib, keys):
    """The query of `csmetrics sql metric args` in every dialect each engine
    runs (DIALECTS) compared with lib; the number of queries run."""
    n = 0
    for e in engines:
        for d in DIALECTS[e.name]:
            head, rows = e.query(translate(sql_of(cli, metric, d, args), d))
            compare(f"{what} [{d}]", e.name, head, rows, lib, keys)
            n += 1
    return n


def check_ledger(cli, engines, name, data, tmp):
    cust, mon, mrr, seg = data
    path = os.path.join(tmp, name + ".csv")
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["customer_id", "month", "mrr", "segment"])
        for c, t, v, s in zip(cust, mon, mrr, seg):
            w.writerow([c, f"{ym(t)}-{1 + (c * 7 + t) % 28:02d}", repr(v), s])
    for e in engines:
        e.load("mrr", [("customer_id", "BIGINT"), ("month", "DATE"),
                       ("mrr", "DOUBLE PRECISION" if e.name == "postgres" else "DOUBLE"),
                       ("segment", "INTEGER")], path)
    led = csm.Ledger(np.array(cust, dtype=np.int64), np.array(mon, dtype=np.int32),
                     np.array(mrr), segment=np.array(seg, dtype=np.int32))
    n = 0
    segcol = ["--columns", "segment=segment"]
    for byseg in (False, True):
        sa = ["--by-segment"] if byseg else []
        for preset in ("default", "stripe"):
            for rw in (0, 2):
                t = led.movements(by_segment=byseg, preset=preset, reactivation_window=rw,
                                  as_table=True)
                lib = {"month": t["month"], "segment": t["segment"]}
                lib.update({c: t[c] for c in MOV_COLS})
                args = segcol + sa + ["--preset", preset, "--reactivation-window", str(rw)]
                n += run_query(cli, engines, "movements", args, f"{name} movements {args}",
                               lib, {"month": "month", "segment": "code"})
        for window in (1, 3, 12):
            for mode in ("snapshot", "movement_sum"):
                t = led.retention(window=window, by_segment=byseg, nrr_mode=mode, as_table=True)
                lib = {"end_month": t["end_month"], "segment": t["segment"],
                       "start_month": t["start_month"]}
                lib.update({c: t[c] for c in RET_COLS})
                args = segcol + sa + ["--window", str(window), "--nrr-mode", mode]
                n += run_query(cli, engines, "nrr", args, f"{name} retention {args}",
                               lib, {"end_month": "month", "start_month": "month", "segment": "code"})
        for baseline in (0, 1):
            for max_age in (None, 4):
                t = led.cohorts(baseline=baseline, by_segment=byseg, max_age=max_age,
                                as_table=True).result_table("cohort_cells")
                last = max(t_ for t_, v in zip(mon, mrr) if v > 0)
                keep = np.array([int(k) + int(a) <= last
                                 for k, a in zip(t["cohort"], t["age"])], dtype=bool)
                # the cells past the ledger's end are NaN in the library and
                # absent from the SQL
                assert all(math.isnan(v) for v in np.asarray(t["customers"])[~keep])
                assert not any(math.isnan(v) for v in np.asarray(t["customers"])[keep])
                lib = {c: np.asarray(t[c])[keep] for c in
                       ("cohort", "segment", "age", "customers", "mrr", "customers_frac",
                        "mrr_frac")}
                args = segcol + sa + ["--baseline", str(baseline)]
                if max_age:
                    args += ["--max-age", str(max_age)]
                n += run_query(cli, engines, "cohorts", args, f"{name} cohorts {args}",
                               lib, {"cohort": "month", "segment": "code"})
    return n


def check_nps(cli, engines, name, data, tmp):
    scores, weights, groups = data
    path = os.path.join(tmp, name + ".csv")
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["score", "weight", "grp"])
        for row in zip(scores, weights, groups):
            w.writerow(row)
    for e in engines:
        e.load("responses", [("score", "INTEGER"),
                             ("weight", "DOUBLE PRECISION" if e.name == "postgres" else "DOUBLE"),
                             ("grp", "INTEGER")], path)
    n = 0
    s = np.array(scores, dtype=np.int8)
    for weighted in (False, True):
        for conf in (0.95, 0.8):
            wts = np.array(weights) if weighted else None
            r = csm.nps(s, weights=wts, confidence=conf)
            lib = {c: np.array([getattr(r, c)]) for c in NPS_COLS}
            args = ["--confidence", str(conf)] + (["--columns", "weight=weight"] if weighted else [])
            n += run_query(cli, engines, "nps", args, f"{name} nps {args}",
                           lib, {})
            t = csm.nps_by_group(s, np.array(groups, dtype=np.int32), weights=wts,
                                 confidence=conf, as_table=True)
            lib = {"group": t["group"]}
            lib.update({c: t[c] for c in NPS_COLS})
            args = args[:2] + ["--columns", "group=grp" + (",weight=weight" if weighted else "")]
            n += run_query(cli, engines, "nps", args, f"{name} nps {args}",
                           lib, {"group": "code"})
    return n


def main():
    cli, duck = sys.argv[1], sys.argv[2]
    engines = [DuckDB(duck)]
    if "--no-postgres" not in sys.argv:
        engines.insert(0, Postgres())
    rng = random.Random(20261201)
    n = 0
    with tempfile.TemporaryDirectory() as tmp:
        os.chmod(tmp, 0o755)
        n += check_ledger(cli, engines, "demo", demo_ledger(), tmp)
        for i in range(4):
            n += check_ledger(cli, engines, f"random{i}", random_ledger(rng), tmp)
        n += check_worked(cli, engines, tmp)
        n += check_renewals(cli, engines, "demo", demo_contracts(), tmp, with_id=False)
        for i in range(4):
            n += check_renewals(cli, engines, f"random{i}", random_contracts(rng), tmp)
        missing = [k for k, v in SEEN.items() if v == 0]
        assert not missing, f"the renewals data never has {missing}"
        n += check_nps(cli, engines, "responses", random_responses(rng), tmp)
        demo_scores = []
        with open(os.path.join(ROOT, "examples/data/demo/nps.csv")) as f:
            demo_scores = [int(r["score"]) for r in csv.DictReader(f)]
        n += check_nps(cli, engines, "demo_nps",
                       (demo_scores, [1.0] * len(demo_scores), [0] * len(demo_scores)), tmp)
    print(f"check_sql: {n} queries equal the library ("
          + "; ".join(f"{e.name}: {', '.join(DIALECTS[e.name])}" for e in engines)
          + "; Snowflake and BigQuery rewritten by translate.py)")


if __name__ == "__main__":
    main()
