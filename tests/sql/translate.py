#!/usr/bin/python3
"""Snowflake and BigQuery queries of `csmetrics sql`, rewritten so DuckDB
runs them (docs/sql.md, "Dialect differences").  The four dialects' queries
share one text except a few constructs; this module rewrites exactly those,
textually, into DuckDB's spelling, so that check_sql.py runs every generated
Snowflake and BigQuery query on DuckDB and compares it with the library.
What is rewritten was therefore NOT run as written:

  construct                      Snowflake                  BigQuery
  date of year, month, day       DATE_FROM_PARTS(y, m, d)   DATE(y, m, d)
  days since 1970-01-01 of x     DATEDIFF(day, DATE '1970-01-01', x)
                                                            DATE_DIFF(x, DATE '1970-01-01', DAY)
  floating-point type            DOUBLE (as DuckDB)         FLOAT64
  quoted identifier              "x" (as DuckDB)            `x`

DuckDB: MAKE_DATE(y, m, d), DATE_DIFF('day', DATE '1970-01-01', x), DOUBLE,
"x".  Everything else of the text runs as written.

`translate.py CSMETRICS` (the meson test sql-translate) checks the rewrite
itself: on every golden case (tests/sql/golden.py's CASES) the rewritten
Snowflake and BigQuery text equals the DuckDB text but for the first
(comment) line, and each rule is applied at least once over the cases; so
the constructs listed above are the only differences between the dialects'
texts."""
import re
import subprocess
import sys

# (dialect, pattern, replacement): applied in order
RULES = [
    ("snowflake", r"\bDATE_FROM_PARTS\(", "MAKE_DATE("),
    ("snowflake", r"\bDATEDIFF\(day, ", "DATE_DIFF('day', "),
    ("bigquery", r"(?<![\w.])DATE\(", "MAKE_DATE("),
    ("bigquery", r"\bDATE_DIFF\(([^,()]+), DATE '1970-01-01', DAY\)",
     r"DATE_DIFF('day', DATE '1970-01-01', \1)"),
    ("bigquery", r"\bFLOAT64\b", "DOUBLE"),
    ("bigquery", r"`", '"'),
]


def translate(sql, dialect, used=None):
    """sql (a query of `dialect`) in DuckDB's spelling; `used` (a set)
    collects the indices of the rules that changed something."""
    for i, (d, pat, rep) in enumerate(RULES):
        if d != dialect:
            continue
        new = re.sub(pat, rep, sql)
        if used is not None and new != sql:
            used.add(i)
        sql = new
    return sql


def body(sql):
    return sql.split("\n", 1)[1]


def main():
    sys.path.insert(0, __file__.rsplit("/", 1)[0])
    import golden
    cli = sys.argv[1]
    used = set()
    n = 0
    for name, args in golden.CASES.items():
        def gen(d):
            return subprocess.run([cli, "sql"] + args + ["--dialect", d], capture_output=True,
                                  text=True, check=True).stdout
        duck = gen("duckdb")
        for d in ("snowflake", "bigquery"):
            got = translate(gen(d), d, used)
            if body(got) != body(duck):
                import difflib
                sys.stdout.writelines(difflib.unified_diff(
                    body(duck).splitlines(True), body(got).splitlines(True),
                    "duckdb", f"{d} translated"))
                print(f"translate: {name} ({d}) differs from DuckDB beyond the listed constructs")
                sys.exit(1)
            n += 1
    unused = [RULES[i] for i in range(len(RULES)) if i not in used]
    if unused:
        print(f"translate: rules never applied: {unused}")
        sys.exit(1)
    print(f"translate: {n} Snowflake and BigQuery queries equal DuckDB's text "
          f"after the {len(RULES)} rewrites")


if __name__ == "__main__":
    main()
