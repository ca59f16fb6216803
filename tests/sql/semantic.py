#!/usr/bin/python3
"""The semantic-layer exports: `csmetrics catalog --format metricflow|cube`.

For two dialects: the YAML parses (python3-yaml); names are unique (semantic
models, measures, metrics; cubes, each cube's dimensions and measures);
every metric's measure resolves to a measure of a semantic model; every
model ref('csm_Q') and cube sql_table csm_Q has its model file, written the
way docs/sql.md says (`csmetrics sql Q --dialect D > models/csm_Q.sql`),
and every dimension and measure column is a column that file's query
returns (its `AS "col"`).  The metrics exported are exactly the catalog
entries (`catalog --format json`), every one of which has a query that
`csmetrics sql NAME` writes (renewals with a window), each measure reading
the entry's own column (from the JSON, not from the export's code).

Usage: semantic.py CSMETRICS."""
import json
import os
import re
import subprocess
import sys
import tempfile

import yaml

DIALECTS = {"postgres": '"', "bigquery": "`"}
# the options a query needs (docs/sql.md: renewals are for one window)
QUERY_ARGS = {"renewals": ["--window-start", "2025-01-01", "--window-end", "2025-03-31"]}


def run(cli, *args, check=True):
    return subprocess.run([cli, *args], capture_output=True, text=True, check=check)


def unique(names, what, errors):
    seen = set()
    for n in names:
        if n in seen:
            errors.append(f"{what}: {n} is not unique")
        seen.add(n)


def unquote(expr, q, what, errors):
    if not (len(expr) > 2 and expr[0] == q and expr[-1] == q):
        errors.append(f"{what}: {expr!r} is not a {q}-quoted column")
        return expr
    return expr[1:-1]


def model_columns(path, q):
    """The columns a generated query returns: its `AS <q>name<q>`."""
    with open(path) as f:
        text = f.read()
    return set(re.findall(r"AS " + re.escape(q) + r"(\w+)" + re.escape(q), text))


def check(cli, dialect, q, models, catalog, errors):
    # the metrics with a query, and their query and column, from the JSON catalog
    with_sql = {m["name"]: m for m in catalog
                if m["sql_query"] and run(cli, "sql", m["name"], "--dialect", dialect,
                                          *QUERY_ARGS.get(m["sql_query"], []),
                                          check=False).returncode == 0}
    if len(with_sql) != len(catalog):
        errors.append(f"{dialect}: every catalog metric has a query, but only "
                      f"{sorted(with_sql)} of {len(catalog)} give one")

    mf = yaml.safe_load(run(cli, "catalog", "--format", "metricflow", "--dialect", dialect).stdout)
    sms = mf["semantic_models"]
    unique([s["name"] for s in sms], "semantic model", errors)
    measures = {}
    for s in sms:
        where = f"{dialect} metricflow {s['name']}"
        m = re.fullmatch(r"ref\('csm_(\w+)'\)", s["model"])
        if not m:
            errors.append(f"{where}: model {s['model']} is not ref('csm_QUERY')")
            continue
        query = m.group(1)
        path = os.path.join(models, f"csm_{query}.sql")
        if not os.path.exists(path):
            errors.append(f"{where}: no model file {path}")
            continue
        cols = model_columns(path, q)
        dims = s.get("dimensions", [])
        unique([d["name"] for d in dims], where + " dimension", errors)
        times = {d["name"] for d in dims if d["type"] == "time"}
        if "defaults" in s and s["defaults"]["agg_time_dimension"] not in times:
            errors.append(f"{where}: agg_time_dimension is not a time dimension")
        for d in dims:
            if unquote(d["expr"], q, where, errors) not in cols:
                errors.append(f"{where}: dimension {d['name']} is no column of {path}")
        for me in s["measures"]:
            if me["name"] in measures:
                errors.append(f"{where}: measure {me['name']} is not unique")
            col = unquote(me["expr"], q, where, errors)
            if col not in cols:
                errors.append(f"{where}: measure {me['name']} reads {col}, no column of {path}")
            measures[me["name"]] = (query, col)
    metrics = mf["metrics"]
    unique([m["name"] for m in metrics], f"{dialect} metric", errors)
    if {m["name"] for m in metrics} != set(with_sql):
        errors.append(f"{dialect} metricflow: metrics {sorted(m['name'] for m in metrics)} "
                      f"are not the catalog's with SQL {sorted(with_sql)}")
    for m in metrics:
        ref = m["type_params"]["measure"]
        if ref not in measures:
            errors.append(f"{dialect} metricflow: metric {m['name']}: no measure {ref}")
            continue
        entry = with_sql.get(m["name"])
        if entry and measures[ref] != (entry["sql_query"], entry["column"]):
            errors.append(f"{dialect} metricflow: metric {m['name']} reads {measures[ref]}, "
                          f"the catalog says {(entry['sql_query'], entry['column'])}")

    cube = yaml.safe_load(run(cli, "catalog", "--format", "cube", "--dialect", dialect).stdout)
    cubes = cube["cubes"]
    unique([c["name"] for c in cubes], "cube", errors)
    seen = []
    for c in cubes:
        where = f"{dialect} cube {c['name']}"
        query = c["sql_table"][len("csm_"):]
        path = os.path.join(models, f"{c['sql_table']}.sql")
        if not c["sql_table"].startswith("csm_") or not os.path.exists(path):
            errors.append(f"{where}: no model file for sql_table {c['sql_table']}")
            continue
        cols = model_columns(path, q)
        unique([d["name"] for d in c.get("dimensions", [])] + [m["name"] for m in c["measures"]],
               where + " member", errors)
        for d in c.get("dimensions", []):
            if unquote(d["sql"], q, where, errors) not in cols:
                errors.append(f"{where}: dimension {d['name']} is no column of {path}")
        for me in c["measures"]:
            col = unquote(me["sql"], q, where, errors)
            entry = with_sql.get(me["name"])
            if not entry:
                errors.append(f"{where}: measure {me['name']} is no catalog metric with SQL")
            elif (entry["sql_query"], entry["column"]) != (query, col):
                errors.append(f"{where}: measure {me['name']} reads {(query, col)}, "
                              f"the catalog says {(entry['sql_query'], entry['column'])}")
            if col not in cols:
                errors.append(f"{where}: measure {me['name']} reads {col}, no column of {path}")
            seen.append(me["name"])
    unique(seen, f"{dialect} cube measure", errors)
    if set(seen) != set(with_sql):
        errors.append(f"{dialect} cube: measures are not the catalog's metrics with SQL")


def main():
    cli = sys.argv[1]
    catalog = json.loads(run(cli, "catalog", "--format", "json").stdout)["metrics"]
    errors = []
    for dialect, q in DIALECTS.items():
        with tempfile.TemporaryDirectory() as models:
            # the model files as docs/sql.md writes them
            for query in ["movements", "retention", "cohorts", "nps", "renewals"]:
                with open(os.path.join(models, f"csm_{query}.sql"), "w") as f:
                    f.write(run(cli, "sql", query, "--dialect", dialect,
                                *QUERY_ARGS.get(query, [])).stdout)
            check(cli, dialect, q, models, catalog, errors)
    for e in errors:
        print(e)
    if not errors:
        print("semantic: the MetricFlow and Cube exports parse and resolve")
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
