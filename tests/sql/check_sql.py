#!/usr/bin/python3
"""The generated SQL (csmetrics sql) run on real PostgreSQL and DuckDB
servers against the library's own figures (the Python bindings), on the
demo company and on random ledgers with gaps, duplicates, zero months and
segment switches.  Every figure must agree to 1e-9 relative (absolute
1e-9 for figures near 0); undefined figures (NaN) must be NULL.

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

import numpy as np
import csmetrics as csm

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
def demo_ledger():
    seg_of = {}
    with open(os.path.join(ROOT, "examples/data/demo/accounts.csv")) as f:
        rows = list(csv.DictReader(f))
    names = sorted({r["segment"] for r in rows})
    for r in rows:
        seg_of[int(r["account_id"])] = names.index(r["segment"])
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
NPS_COLS = ["nps", "promoters", "passives", "detractors", "n_promoters", "n_passives",
            "n_detractors", "n", "n_effective", "se", "ci_low", "ci_high", "confidence"]


def sql_of(cli, metric, dialect, args):
    p = subprocess.run([cli, "sql", metric, "--dialect", dialect] + args,
                       capture_output=True, text=True)
    if p.returncode != 0:
        raise RuntimeError(f"csmetrics sql {metric} {args}: {p.stderr}")
    return p.stdout


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
                for e in engines:
                    head, rows = e.query(sql_of(cli, "movements", e.name, args))
                    compare(f"{name} movements {args}", e.name, head, rows, lib,
                            {"month": "month", "segment": "code"})
                    n += 1
        for window in (1, 3, 12):
            for mode in ("snapshot", "movement_sum"):
                t = led.retention(window=window, by_segment=byseg, nrr_mode=mode, as_table=True)
                lib = {"end_month": t["end_month"], "segment": t["segment"],
                       "start_month": t["start_month"]}
                lib.update({c: t[c] for c in RET_COLS})
                args = segcol + sa + ["--window", str(window), "--nrr-mode", mode]
                for e in engines:
                    head, rows = e.query(sql_of(cli, "nrr", e.name, args))
                    compare(f"{name} retention {args}", e.name, head, rows, lib,
                            {"end_month": "month", "start_month": "month", "segment": "code"})
                    n += 1
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
                for e in engines:
                    head, rows = e.query(sql_of(cli, "cohorts", e.name, args))
                    compare(f"{name} cohorts {args}", e.name, head, rows, lib,
                            {"cohort": "month", "segment": "code"})
                    n += 1
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
            for e in engines:
                head, rows = e.query(sql_of(cli, "nps", e.name, args))
                compare(f"{name} nps {args}", e.name, head, rows, lib, {})
                n += 1
            t = csm.nps_by_group(s, np.array(groups, dtype=np.int32), weights=wts,
                                 confidence=conf, as_table=True)
            lib = {"group": t["group"]}
            lib.update({c: t[c] for c in NPS_COLS})
            args = args[:2] + ["--columns", "group=grp" + (",weight=weight" if weighted else "")]
            for e in engines:
                head, rows = e.query(sql_of(cli, "nps", e.name, args))
                compare(f"{name} nps {args}", e.name, head, rows, lib, {"group": "code"})
                n += 1
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
        n += check_nps(cli, engines, "responses", random_responses(rng), tmp)
        demo_scores = []
        with open(os.path.join(ROOT, "examples/data/demo/nps.csv")) as f:
            demo_scores = [int(r["score"]) for r in csv.DictReader(f)]
        n += check_nps(cli, engines, "demo_nps",
                       (demo_scores, [1.0] * len(demo_scores), [0] * len(demo_scores)), tmp)
    print(f"check_sql: {n} queries on {', '.join(e.name for e in engines)} "
          "equal the library")


if __name__ == "__main__":
    main()
