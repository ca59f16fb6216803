#!/usr/bin/python3
"""Compare a contender's result CSVs with libcsmetrics' (the reference) to a relative
tolerance (default 1e-9).  A fast wrong answer is a failure: run_bench.py reports no time
for a contender that does not match.

    compare.py REFDIR OTHERDIR [rel_tol] [files]

files: the result files to compare, comma-separated (default movements,retention,cohorts):
a contender whose job leaves one out names the others.

Rows are matched by key (month / end_month / (cohort, age)); a cohort cell missing from one
side counts as 0 customers (SQL's GROUP BY has no empty groups).  Exit 0 if equal."""
import csv
import math
import sys


def load(path, key):
    with open(path) as f:
        rows = list(csv.DictReader(f))
    return {tuple(int(float(r[k])) for k in key): r for r in rows}


def num(v):
    if v is None or v == "" or v.lower() == "nan":
        return math.nan
    return float(v)


def same(a, b, tol):
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    return abs(a - b) <= tol * max(1.0, abs(a), abs(b))


def main():
    ref, other = sys.argv[1], sys.argv[2]
    tol = float(sys.argv[3]) if len(sys.argv) > 3 else 1e-9
    files = (sys.argv[4] if len(sys.argv) > 4 else "movements,retention,cohorts").split(",")
    bad = []
    for name, key, cols in [
        ("movements.csv", ["month"], ["opening_mrr", "new", "reactivation", "expansion",
                                      "contraction", "churn", "closing_mrr", "opening_customers",
                                      "closing_customers", "new_customers", "churned_customers"]),
        ("retention.csv", ["end_month"], ["base_customers", "base_mrr", "grr", "nrr",
                                          "logo_retention"]),
        ("cohorts.csv", ["cohort", "age"], ["customers"]),
    ]:
        if name[:-4] not in files:
            continue
        a, b = load(f"{ref}/{name}", key), load(f"{other}/{name}", key)
        keys = set(a) | set(b)
        for k in sorted(keys):
            ra, rb = a.get(k), b.get(k)
            for c in cols:
                va = num(ra[c]) if ra else (0.0 if name == "cohorts.csv" else math.nan)
                vb = num(rb[c]) if rb else (0.0 if name == "cohorts.csv" else math.nan)
                if not same(va, vb, tol):
                    bad.append(f"{name} {k} {c}: {va!r} vs {vb!r}")
    for line in bad[:20]:
        print("MISMATCH", line)
    print(f"compare {other} ({', '.join(files)}): "
          f"{'equal' if not bad else f'{len(bad)} mismatches'}")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
