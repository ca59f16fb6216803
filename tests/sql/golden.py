#!/usr/bin/python3
"""Golden files of the generated SQL and of the catalog's Markdown table.

tests/sql/golden/QUERY-OPTS.DIALECT.sql hold `csmetrics sql` output for every
query and dialect (Snowflake and BigQuery cannot run here: their golden
files are the check; PostgreSQL and DuckDB also run in tests/sql/run.sh),
tests/sql/golden/catalog.FORMAT.DIALECT.yml are the semantic-layer exports
(`csmetrics catalog --format metricflow|cube --dialect postgres|bigquery`),
and docs/parts/catalog.md is `csmetrics catalog --format markdown`.

Usage: golden.py CSMETRICS (--check | --update)."""
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
GOLDEN = os.path.join(ROOT, "tests", "sql", "golden")
DIALECTS = ["postgres", "duckdb", "snowflake", "bigquery"]
CASES = {
    "movements": ["movements", "--columns", "segment=segment"],
    "movements-by-segment": ["movements", "--columns", "segment=segment", "--by-segment",
                             "--reactivation-window", "2", "--preset", "stripe"],
    "retention": ["NRR", "--window", "12"],
    "retention-movement-sum": ["NDR", "--window", "3", "--nrr-mode", "movement_sum",
                               "--by-segment", "--columns", "segment=segment"],
    "cohorts": ["cohorts", "--baseline", "1", "--max-age", "24"],
    "nps": ["nps", "--columns", "weight=weight,group=grp", "--confidence", "0.9"],
    "renewals": ["renewals", "--window-start", "2025-01-01", "--window-end", "2025-03-31"],
    "renewals-options": ["dollar renewal rate", "--window-start", "2025-01-01",
                         "--window-end", "2025-12-31", "--grace-days", "30", "--late-counts",
                         "--include-upsells", "--as-of", "2025-06-30", "--table",
                         "crm.contracts", "--columns",
                         "customer=account_id,start=starts_on,end=ends_on,value=tcv,"
                         "group=segment,id=contract_id"],
}

# the semantic-layer exports (tests/sql/semantic.py checks that they resolve)
EXPORTS = ["metricflow", "cube"]


def outputs(cli):
    out = {}
    for name, args in CASES.items():
        for d in DIALECTS:
            p = subprocess.run([cli, "sql"] + args + ["--dialect", d], capture_output=True,
                               text=True, check=True)
            out[os.path.join(GOLDEN, f"{name}.{d}.sql")] = p.stdout
    for fmt in EXPORTS:
        for d in ["postgres", "bigquery"]:
            p = subprocess.run([cli, "catalog", "--format", fmt, "--dialect", d],
                               capture_output=True, text=True, check=True)
            out[os.path.join(GOLDEN, f"catalog.{fmt}.{d}.yml")] = p.stdout
    p = subprocess.run([cli, "catalog", "--format", "markdown"], capture_output=True,
                       text=True, check=True)
    out[os.path.join(ROOT, "docs", "parts", "catalog.md")] = p.stdout
    return out


def main():
    cli, mode = sys.argv[1], sys.argv[2]
    bad = 0
    for path, text in outputs(cli).items():
        if mode == "--update":
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w") as f:
                f.write(text)
            continue
        try:
            with open(path) as f:
                old = f.read()
        except FileNotFoundError:
            old = None
        if old != text:
            print(f"{os.path.relpath(path, ROOT)} differs from the csmetrics output "
                  "(regenerate: tests/sql/golden.py build/cli/csmetrics --update)")
            bad = 1
    if mode == "--check" and not bad:
        print("golden: SQL and catalog files are current")
    sys.exit(bad)


if __name__ == "__main__":
    main()
