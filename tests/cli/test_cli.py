#!/usr/bin/python3
"""CLI tests for the csmetrics command: every error path of the CSV reader,
the exit codes, the formats, and figures worked out by hand on tiny inputs.

Run by meson (`meson test cli`) as: test_cli.py PATH/TO/csmetrics
Standard library only; prints 'N passed, M failed' and exits non-zero on any
failure.
"""
import json
import math
import os
import sys
import tempfile

import memcheck

EXE = sys.argv[1] if len(sys.argv) > 1 else "build/cli/csmetrics"
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
results = []


def run(*args):
    p = memcheck.run(EXE, args)
    return p.returncode, p.stdout, p.stderr


def company(files):
    d = tempfile.mkdtemp(prefix="csm-cli-")
    for name, content in files.items():
        mode = "wb" if isinstance(content, bytes) else "w"
        with open(os.path.join(d, name), mode) as f:
            f.write(content)
    return d


def check(name, cond, detail=""):
    results.append((name, bool(cond), detail))


def test_help_and_usage():
    rc, out, _ = run("--help")
    check("--help exits 0", rc == 0)
    check("--help lists subcommands", "movements" in out and "retention" in out)
    rc, out, _ = run("help", "movements")
    check("help SUB prints a manual", rc == 0 and "csmetrics movements DIR" in out)
    rc, _, err = run("frobnicate", ".")
    check("unknown subcommand -> 64", rc == 64 and "unknown subcommand" in err, err)
    rc, _, err = run("report")
    check("missing DIR -> 64", rc == 64, err)
    rc, _, err = run("report", "/nonexistent/dir")
    check("DIR not found -> 66", rc == 66 and "not a directory" in err, err)
    rc, _, err = run("report", ".", "--format", "xml")
    check("bad --format -> 64", rc == 64, err)
    rc, out, _ = run("--version")
    check("--version", rc == 0 and out.startswith("csmetrics "))


# Two customers; hand-worked figures:
#   2024-01: c1 100, c2 50 -> MRR 150, 2 customers, all new
#   2024-02: c1 150 (expansion 50), c2 gone (churn 50) -> MRR 150, 1 customer
#   customer churn rate Feb = 1/2; gross MRR churn 50/150; net (50-50)/150 = 0
#   quick ratio (0 + 0 + 50) / (0 + 50) = 1
TINY = "customer_id,month,mrr\n1,2024-01,100\n2,2024-01,50\n1,2024-02,150\n"


def section(doc, key):
    return next(s for s in doc["sections"] if s["key"] == key)


def test_tiny_json():
    d = company({"mrr.csv": TINY})
    rc, out, err = run("movements", d, "--format", "json", "--months", "2")
    check("tiny: exit 0", rc == 0, err)
    doc = json.loads(out)
    check("json schema", doc["schema"] == "csmetrics-report" and doc["schema_version"] == 3)
    check("json as_of", doc["as_of"] == "2024-02")
    mv = section(doc, "movements")["rows"]
    feb = mv[1]
    check("tiny: Feb expansion 50", abs(feb["expansion"] - 50) < 1e-9)
    check("tiny: Feb churn 50", abs(feb["churn"] - 50) < 1e-9)
    check("tiny: Feb closing 150", abs(feb["closing_mrr"] - 150) < 1e-9)
    check("tiny: churn rate 1/2", abs(feb["customer_churn_rate"] - 0.5) < 1e-12)
    check("tiny: gross MRR churn 1/3", abs(feb["gross_mrr_churn_rate"] - 50 / 150) < 1e-12)
    check("tiny: quick ratio 1", abs(feb["quick_ratio"] - 1.0) < 1e-12)
    jan = mv[0]
    check("tiny: Jan quick ratio null (0/0)", jan["quick_ratio"] is None)


def columns(sec):
    return {c["name"]: c for c in sec["columns"]}


def test_tiny_json_described_columns():
    # movements and the summary come from the library's described table: json has every
    # column (detail ones too) with its role; TINY has no --by, so no segment column and no
    # segment-switch columns.
    d = company({"mrr.csv": TINY})
    rc, out, err = run("movements", d, "--format", "json", "--months", "2")
    check("tiny described: exit 0", rc == 0, err)
    doc = json.loads(out)
    mv = section(doc, "movements")
    cols = columns(mv)
    check("movements: no segment column without --by",
          not any(k.startswith("segment") for k in cols), str(list(cols)))
    check("movements: roles from the library",
          cols["month"].get("role") == "key" and cols["new"].get("role") == "main" and
          cols["adjustment"].get("role") == "detail" and cols["arr"].get("role") == "detail",
          str(cols))
    check("movements: column types", cols["month"]["type"] == "text" and
          cols["opening_customers"]["type"] == "int" and cols["flags"]["type"] == "flags" and
          cols["customer_churn_rate"]["type"] == "fraction", str(cols))
    check("movements: declared order kept",
          list(cols)[:9] == ["month", "opening_mrr", "new", "reactivation", "expansion",
                             "contraction", "churn", "adjustment", "net_new"], str(list(cols)))
    jan, feb = mv["rows"]
    # Feb by hand: c1 and c2 active in Jan (2 opening customers); c1 100 -> 150 is the one
    # expansion; c2 50 -> 0 the one churn; no reactivation, contraction or change within a
    # tolerance (0); ARR = 12 x 150 = 1800; every rate has a nonzero denominator: flags 0.
    check("tiny: Feb detail counts",
          (feb["opening_customers"], feb["expanded_customers"], feb["contracted_customers"],
           feb["reactivated_customers"], feb["intra_period_customers"]) == (2, 1, 0, 0, 0),
          str(feb))
    check("tiny: Feb adjustment 0", feb["adjustment"] == 0, str(feb))
    check("tiny: Feb arr 1800", abs(feb["arr"] - 1800) < 1e-9, str(feb))
    check("tiny: Feb flags 0", feb["flags"] == 0, str(feb))
    # Jan: nothing open in Dec, so the churn rates and the quick ratio (0/0) are undefined:
    # CSM_FLAG_ZERO_DENOMINATOR = 2
    check("tiny: Jan flags = zero denominator (2)", jan["flags"] == 2, str(jan))
    check("tiny: Jan opening_customers 0", jan["opening_customers"] == 0, str(jan))
    # summary: a curated view of the review month's row, five of its fields under the library's
    # names (schema 3: closing_mrr, "mrr" before)
    s = section(doc, "summary")
    check("summary: five columns", [c["name"] for c in s["columns"]] ==
          ["month", "closing_mrr", "arr", "customers", "arpa"], str(s["columns"]))
    row = s["rows"][0]
    # Feb: MRR 150, ARR 1800, 1 customer, ARPA 150 / 1
    check("summary: values", row["month"] == "2024-02" and abs(row["closing_mrr"] - 150) < 1e-9 and
          abs(row["arr"] - 1800) < 1e-9 and row["customers"] == 1 and
          abs(row["arpa"] - 150) < 1e-9, str(row))
    check("summary: arr is main in the curated view", columns(s)["arr"]["role"] == "main",
          str(s["columns"]))


def text_header(out, title):
    """The column header line of the text table titled `title`."""
    lines = out.splitlines()
    i = lines.index(title)
    return lines[i + 2].split()


def test_text_shows_key_and_main():
    d = company({"mrr.csv": TINY})
    rc, out, err = run("movements", d, "--months", "2")
    check("text: exit 0", rc == 0, err)
    h = text_header(out, "MRR movements")
    check("text movements: key and main columns, as before",
          h == ["month", "opening_mrr", "new", "reactivation", "expansion", "contraction",
                "churn", "net_new", "closing_mrr", "customers", "new_customers",
                "churned_customers", "customer_churn_rate", "gross_mrr_churn_rate",
                "net_mrr_churn_rate", "quick_ratio", "arpa"], str(h))
    check("text summary: the curated columns (arr too)",
          text_header(out, "Summary") == ["month", "closing_mrr", "arr", "customers", "arpa"], out)
    feb = next(l for l in out.splitlines() if l.startswith("2024-02") and "n/a" not in l
               and len(l.split()) == len(h))
    # Feb: customer churn 1/2 = 50.0%, quick ratio 50/50 = 1.00
    check("text movements: Feb row", feb.split()[12] == "50.0%" and feb.split()[15] == "1.00",
          feb)


# --by plan on a tiny company, by hand (accounts.csv gives each customer one plan for life):
#   pro:   c1  Jan new 100, closing 100; Feb opening 100, expansion 50, closing 150
#   basic: c2  Jan new 50, closing 50;   Feb opening 50, churn 50, closing 0
#   trial: c3  MRR only in 2023-11, so its Jan and Feb rows have no MRR: left out (rule)
BY_ACCOUNTS = "account_id,plan\n1,pro\n2,basic\n3,trial\n"
BY_MRR = TINY + "3,2023-11,10\n"


def test_by_plan():
    d = company({"mrr.csv": BY_MRR, "accounts.csv": BY_ACCOUNTS})
    rc, out, err = run("movements", d, "--by", "plan", "--format", "json", "--months", "2")
    check("by plan: exit 0", rc == 0, err)
    if rc != 0:
        return
    doc = json.loads(out)
    mb = section(doc, "movements_by")
    cols = columns(mb)
    check("by plan: the code column is named after the dimension, a key",
          list(cols)[:3] == ["month", "plan", "opening_mrr"] and cols["plan"]["role"] == "key"
          and "segment" not in cols, str(list(cols)))
    check("by plan: segment-switch columns present",
          all(k in cols for k in ["segment_in", "segment_out", "segment_in_customers",
                                  "segment_out_customers"]), str(list(cols)))
    rows = {(r["month"], r["plan"]): r for r in mb["rows"]}
    check("by plan: rows without MRR left out (no trial)",
          sorted(rows) == [("2024-01", "basic"), ("2024-01", "pro"),
                           ("2024-02", "basic"), ("2024-02", "pro")], str(sorted(rows)))
    if len(rows) != 4:
        return
    pro, basic = rows[("2024-02", "pro")], rows[("2024-02", "basic")]
    check("by plan: Feb pro", (pro["opening_mrr"], pro["expansion"], pro["closing_mrr"],
                               pro["customers"], pro["expanded_customers"]) ==
          (100, 50, 150, 1, 1) and abs(pro["arr"] - 1800) < 1e-9, str(pro))
    # basic Feb: churn rate 1/1, gross MRR churn 50/50, quick ratio 0/50 = 0, ARPA 0/0 null
    check("by plan: Feb basic", (basic["opening_mrr"], basic["churn"], basic["closing_mrr"],
                                 basic["churned_customers"]) == (50, 50, 0, 1) and
          basic["customer_churn_rate"] == 1 and basic["gross_mrr_churn_rate"] == 1 and
          basic["quick_ratio"] == 0 and basic["arpa"] is None, str(basic))
    check("by plan: no segment switches", all(r["segment_in"] == 0 and r["segment_out"] == 0
                                              for r in rows.values()), str(rows))
    check("by plan: Jan pro new 100", rows[("2024-01", "pro")]["new"] == 100 and
          rows[("2024-01", "pro")]["quick_ratio"] is None, str(rows[("2024-01", "pro")]))
    # the overall table keeps no segment column even with --by
    check("by plan: overall movements without segment columns",
          not any(k.startswith("segment") or k == "plan" for k in columns(section(doc, "movements"))))
    rc, out, err = run("movements", d, "--by", "plan", "--months", "2")
    h = text_header(out, "MRR movements by plan")
    check("by plan text: key and main columns",
          h[:2] == ["month", "plan"] and "segment_in" in h and "segment_out" in h and
          "segment_in_customers" not in h and "adjustment" not in h, str(h))
    rc, out, err = run("movements", d, "--by", "plan", "--format", "csv", "--months", "2")
    lines = out.splitlines()
    check("by plan csv: header", any(l.startswith("section,month,plan,opening_mrr,") for l in lines),
          out)
    check("by plan csv: rows labelled", any(l.startswith("movements_by,2024-02,basic,50,") for l in lines),
          out)


def near(a, b, tol=1e-12):
    return a is not None and b is not None and abs(a - b) <= tol * max(1.0, abs(b))


def test_retention_described():
    # TINY with a 1-month window, by hand:
    #   end 2024-02 (start 2024-01): base c1 100 + c2 50 -> 2 customers, base MRR 150; in Feb
    #   c1 150, c2 0: retained 1 customer, GRR numerator min(150,100) + min(0,50) = 100,
    #   end MRR 150, no reactivation; GRR 100/150, NRR 150/150, logo 1/2; flags 0
    #   end 2024-01 (start 2023-12): empty base -> rates null, flags EMPTY|ZERO_DENOMINATOR = 3
    d = company({"mrr.csv": TINY})
    rc, out, err = run("retention", d, "--window", "1", "--months", "2", "--format", "json")
    check("retention: exit 0", rc == 0, err)
    if rc != 0:
        return
    sec = section(json.loads(out), "retention")
    cols = columns(sec)
    check("retention: declared order, keys first, no segment column without --by",
          list(cols) == ["end_month", "start_month", "base_customers", "retained_customers",
                         "base_mrr", "retained_mrr", "end_mrr", "reactivation_mrr", "grr", "nrr",
                         "logo_retention", "flags"], str(list(cols)))
    check("retention: roles", cols["end_month"]["role"] == "key" and
          cols["start_month"]["role"] == "main" and cols["end_mrr"]["role"] == "detail",
          str(cols))
    jan, feb = sec["rows"]
    check("retention: Feb by hand",
          (feb["end_month"], feb["start_month"], feb["base_customers"], feb["retained_customers"],
           feb["base_mrr"], feb["retained_mrr"], feb["end_mrr"], feb["reactivation_mrr"],
           feb["flags"]) == ("2024-02", "2024-01", 2, 1, 150, 100, 150, 0, 0) and
          near(feb["grr"], 100 / 150) and feb["nrr"] == 1 and feb["logo_retention"] == 0.5,
          str(feb))
    check("retention: Jan empty base", jan["base_customers"] == 0 and jan["nrr"] is None and
          jan["grr"] is None and jan["logo_retention"] is None and jan["flags"] == 3, str(jan))
    rc, out, err = run("retention", d, "--window", "1", "--months", "2")
    check("retention text: key and main columns",
          text_header(out, "1-month revenue and logo retention") ==
          ["end_month", "start_month", "base_customers", "base_mrr", "grr", "nrr",
           "logo_retention"], out)


def test_retention_by_plan():
    # --by plan, window 1, the review month only: segments at the window's start (Jan):
    #   pro c1 100 -> 150: NRR 1.5, GRR 1, logo 1; basic c2 50 -> 0: NRR 0, GRR 0, logo 0;
    #   trial (c3, MRR in 2023-11 only) has no base in Jan: left out (rule), as is (unknown)
    d = company({"mrr.csv": BY_MRR, "accounts.csv": BY_ACCOUNTS})
    rc, out, err = run("retention", d, "--window", "1", "--by", "plan", "--format", "json")
    check("retention by plan: exit 0", rc == 0, err)
    if rc != 0:
        return
    sec = section(json.loads(out), "retention_by")
    check("retention by plan: the code column named after the dimension",
          [c["name"] for c in sec["columns"]][:3] == ["end_month", "plan", "start_month"] and
          columns(sec)["plan"]["role"] == "key", str(sec["columns"]))
    rows = {r["plan"]: r for r in sec["rows"]}
    check("retention by plan: segments with a base only", sorted(rows) == ["basic", "pro"],
          str(sorted(rows)))
    if sorted(rows) == ["basic", "pro"]:
        pro, basic = rows["pro"], rows["basic"]
        check("retention by plan: pro", (pro["base_mrr"], pro["nrr"], pro["grr"],
                                         pro["logo_retention"]) == (100, 1.5, 1, 1), str(pro))
        check("retention by plan: basic", (basic["base_mrr"], basic["nrr"], basic["grr"],
                                           basic["logo_retention"]) == (50, 0, 0, 0), str(basic))


# Cohorts, by hand (review month 2024-02, the last of the ledger):
#   c5 only in 2023-01: cohort 2023-01, a year and a month before: not shown
#   c6 in 2023-02 and again in 2024-02: cohort 2023-02, size 1: m0 100%, m1..m11 0, m12 100%
#   c1, c2 (TINY): cohort 2024-01, size 2: m0 100%, m1 1/2, m2.. not yet observed
#   c7 in 2024-02: cohort 2024-02, size 1: m0 100%
COH_MRR = TINY + "5,2023-01,10\n6,2023-02,10\n6,2024-02,10\n7,2024-02,20\n"


def test_cohorts_triangle():
    d = company({"mrr.csv": COH_MRR})
    rc, out, err = run("cohorts", d, "--format", "json")
    check("cohorts: exit 0", rc == 0, err)
    if rc != 0:
        return
    sec = section(json.loads(out), "cohorts")
    ages = [f"m{a}" for a in range(13)]
    check("cohorts: the cohorts table then one column per age",
          [c["name"] for c in sec["columns"]] == ["cohort", "size", "flags"] + ages,
          str(sec["columns"]))
    cols = columns(sec)
    check("cohorts: age columns are main fractions, flags detail",
          all(cols[a]["type"] == "fraction" and cols[a]["role"] == "main" for a in ages) and
          cols["cohort"]["role"] == "key" and cols["flags"]["role"] == "detail", str(cols))
    rows = {r["cohort"]: r for r in sec["rows"]}
    check("cohorts: the cohorts of the last year", list(rows) == ["2023-02", "2024-01", "2024-02"],
          str(list(rows)))
    if list(rows) != ["2023-02", "2024-01", "2024-02"]:
        return
    a, b, c = rows["2023-02"], rows["2024-01"], rows["2024-02"]
    check("cohorts: 2023-02 gap then return at age 12",
          a["size"] == 1 and a["m0"] == 1 and all(a[f"m{k}"] == 0 for k in range(1, 12)) and
          a["m12"] == 1, str(a))
    check("cohorts: 2024-01", b["size"] == 2 and b["m0"] == 1 and b["m1"] == 0.5 and
          all(b[f"m{k}"] is None for k in range(2, 13)), str(b))
    check("cohorts: 2024-02", c["size"] == 1 and c["m0"] == 1 and
          all(c[f"m{k}"] is None for k in range(1, 13)), str(c))
    # --as-of 2024-01: the window moves a month back (cohort 2023-01 of c5 shown: every later
    # age observed and 0), and cells after the review month are n/a although the ledger has
    # them (2023-02 at age 12 = 2024-02, 2024-01 at age 1); cohort 2024-02 is not shown
    rc, out, err = run("cohorts", d, "--format", "json", "--as-of", "2024-01")
    rows = {r["cohort"]: r for r in section(json.loads(out), "cohorts")["rows"]}
    check("cohorts as-of: cohorts", list(rows) == ["2023-01", "2023-02", "2024-01"], str(list(rows)))
    if list(rows) == ["2023-01", "2023-02", "2024-01"]:
        check("cohorts as-of: 2023-01", rows["2023-01"]["m0"] == 1 and
              all(rows["2023-01"][f"m{k}"] == 0 for k in range(1, 13)), str(rows["2023-01"]))
        check("cohorts as-of: later cells n/a", rows["2023-02"]["m11"] == 0 and
              rows["2023-02"]["m12"] is None and rows["2024-01"]["m1"] is None,
              str(rows))
    rc, out, err = run("cohorts", d)
    h = text_header(out, "Cohort logo retention (share of month-0 customers active at each age, "
                         "months)")
    check("cohorts text: cohort, size, ages", h == ["cohort", "size"] + ages, str(h))
    line = next(l for l in out.splitlines() if l.startswith("2024-01"))
    check("cohorts text: 2024-01 row", line.split()[:5] == ["2024-01", "2", "100.0%", "50.0%", "n/a"],
          line)


# Renewals, by hand (review month 2024-02: contracts ending 2023-12-01..2024-02-29):
#   row 0: c1 2023-01-01..2023-12-31 (365 days) 1200, renewed by row 1 starting the next day
#          (2024-01-01..2024-12-30, 365 days, 1500): days_to_renewal 0, renewal value
#          1500 x 365/365 = 1500
#   row 2: c2 2023-02-01..2024-01-31 600, not renewed: a renewal starting by 2024-02-01 + 90
#          days = 2024-05-01 would be on time, after the review month's last day (2024-02-29):
#          pending, not churned
#   row 3: c3 2023-03-01..2024-02-29 (366 days) 300, renewed by row 4 on 2024-07-01, 122 days
#          after 2024-03-01 (31 + 30 + 31 + 30), past the 90-day grace: late, renewal value
#          300 x 366/365 (row 4: 2024-07-01..2025-06-30, 365 days)
#   due 3, renewed 1, late 1, churned 0, pending 1; due value 2100, renewed 1500, late
#   300 x 366/365, pending 600; logo 1/3, dollar 1500/2100 (pending = not renewed so far)
REN = ("customer_id,start_date,end_date,value\n"
       "1,2023-01-01,2023-12-31,1200\n1,2024-01-01,2024-12-30,1500\n"
       "2,2023-02-01,2024-01-31,600\n"
       "3,2023-03-01,2024-02-29,300\n3,2024-07-01,2025-06-30,300\n")


def test_renewals_described():
    d = company({"contracts.csv": REN})
    rc, out, err = run("renewals", d, "--as-of", "2024-02", "--format", "json")
    check("renewals: exit 0", rc == 0, err)
    if rc != 0:
        return
    doc = json.loads(out)
    check("renewals: two sections", [s["key"] for s in doc["sections"]] ==
          ["renewals", "renewal_contracts"], str([s["key"] for s in doc["sections"]]))
    sec = section(doc, "renewals")
    check("renewals: no group column without --by", "group" not in columns(sec), str(sec["columns"]))
    r = sec["rows"][0]
    check("renewals: counts and values by hand",
          (r["due"], r["renewed"], r["late"], r["churned"], r["pending"], r["due_value"],
           r["renewed_value"], r["churned_value"], r["pending_value"], r["upsell_value"],
           r["flags"]) == (3, 1, 1, 0, 1, 2100, 1500, 0, 600, 0, 0)
          and near(r["late_value"], 300 * 366 / 365) and near(r["logo_renewal_rate"], 1 / 3) and
          near(r["dollar_renewal_rate"], 1500 / 2100), str(r))
    con = section(doc, "renewal_contracts")
    cols = columns(con)
    check("renewal_contracts: columns", list(cols) ==
          ["contract_row", "customer_id", "due_day", "value", "outcome", "outcome_code",
           "days_to_renewal", "renewal_row", "renewal_value", "upsell_value",
           "counts_as_renewed"] and cols["contract_row"]["role"] == "key" and
          cols["counts_as_renewed"]["type"] == "bool", str(list(cols)))
    rows = con["rows"]
    want = [("0", "1", "2023-12-31", 1200, "renewed", "1", 0, "1", 1500, True),
            ("2", "2", "2024-01-31", 600, "pending", "5", None, "-1", 0, False),
            ("3", "3", "2024-02-29", 300, "late", "2", 122, "4", None, False)]
    got = [(x["contract_row"], x["customer_id"], x["due_day"], x["value"], x["outcome"],
            x["outcome_code"], x["days_to_renewal"], x["renewal_row"],
            None if x["outcome"] == "late" else x["renewal_value"], x["counts_as_renewed"])
           for x in rows]
    check("renewal_contracts: one row per due contract, by hand", got == want, str(got))
    check("renewal_contracts: late renewal value", len(rows) == 3 and
          near(rows[2]["renewal_value"], 300 * 366 / 365), str(rows))
    # text: the summary only; csv: the contracts too
    rc, out, err = run("renewals", d, "--as-of", "2024-02")
    check("renewals text: no per-contract table", "Renewals due in the last quarter" in out and
          "Contracts due" not in out and "renewal_contracts" not in out, out)
    check("renewals text: summary columns", text_header(out, "Renewals due in the last quarter") ==
          ["due", "renewed", "late", "churned", "due_value", "renewed_value",
           "logo_renewal_rate", "dollar_renewal_rate", "pending"], out)
    rc, out, err = run("renewals", d, "--as-of", "2024-02", "--format", "csv")
    lines = out.splitlines()
    check("renewals csv: contracts block",
          "renewal_contracts,0,1,2023-12-31,1200,renewed,1,0,1,1500,0,1" in lines, out)


def test_renewals_by_plan():
    # c1 pro, c2 basic, c3 without an accounts row: "(unknown)"
    #   pro: due 1 renewed 1, dollar 1500/1200; basic: due 1 pending 1 (above);
    #   (unknown): due 1 late 1
    d = company({"contracts.csv": REN, "accounts.csv": "account_id,plan\n1,pro\n2,basic\n"})
    rc, out, err = run("renewals", d, "--as-of", "2024-02", "--by", "plan", "--format", "json")
    check("renewals by plan: exit 0", rc == 0, err)
    if rc != 0:
        return
    doc = json.loads(out)
    by = section(doc, "renewals_by")
    check("renewals by plan: key column named after the dimension",
          by["columns"][0]["name"] == "plan" and by["columns"][0]["role"] == "key",
          str(by["columns"]))
    rows = {r["plan"]: r for r in by["rows"]}
    check("renewals by plan: groups", sorted(rows) == ["(unknown)", "basic", "pro"], str(sorted(rows)))
    if sorted(rows) == ["(unknown)", "basic", "pro"]:
        check("renewals by plan: pro", (rows["pro"]["due"], rows["pro"]["renewed"]) == (1, 1) and
              near(rows["pro"]["dollar_renewal_rate"], 1.25), str(rows["pro"]))
        check("renewals by plan: basic", (rows["basic"]["due"], rows["basic"]["pending"],
                                          rows["basic"]["logo_renewal_rate"]) == (1, 1, 0),
              str(rows["basic"]))
        check("renewals by plan: unknown", (rows["(unknown)"]["late"],
                                            rows["(unknown)"]["renewed"]) == (1, 0),
              str(rows["(unknown)"]))
    check("renewals by plan: overall table without a plan column",
          "plan" not in columns(section(doc, "renewals")), str(section(doc, "renewals")["columns"]))
    con = section(doc, "renewal_contracts")
    check("renewal_contracts by plan: the plan of each contract",
          [r["plan"] for r in con["rows"]] == ["pro", "basic", "(unknown)"] and
          columns(con)["plan"]["role"] == "detail", str(con["rows"]))


# Team, by hand (review month 2024-02): active c1 150 (owner o1 = Ada) and c3 30 (no accounts.csv
# row: unassigned); c2 (owner o2 = Bob) churned in Feb, so Bob has no row.
#   (unassigned): 1 account, MRR 30, ARR 360, share 30/180; Ada: 1, 150, 1800, share 150/180
#   summary: 1 CSM (the unassigned row is not one), 1 owned account per CSM, ARR 1800 per CSM
# No usage.csv: no health scores, so the at-risk figures are n/a (null).
def test_team_described():
    d = company({"mrr.csv": TINY + "3,2024-02,30\n",
                 "accounts.csv": "account_id,owner\n1,o1\n2,o2\n",
                 "owners.csv": "owner,name\no1,Ada\no2,Bob\n"})
    rc, out, err = run("team", d, "--format", "json")
    check("team: exit 0", rc == 0, err)
    if rc != 0:
        return
    doc = json.loads(out)
    t = section(doc, "team")
    check("team: columns", [c["name"] for c in t["columns"]] ==
          ["owner", "accounts", "mrr", "arr", "at_risk_accounts", "at_risk_mrr",
           "mrr_per_account", "share_of_mrr", "flags"], str(t["columns"]))
    rows = {r["owner"]: r for r in t["rows"]}
    # the unassigned row has the library's null label (CSM_TEAM_OWNER_NONE_LABEL) and
    # comes first (its code is INT32_MIN)
    check("team: owners", list(rows) == ["unassigned", "Ada"], str(list(rows)))
    if list(rows) == ["(unassigned)", "Ada"]:
        u, a = rows["(unassigned)"], rows["Ada"]
        check("team: unassigned", (u["accounts"], u["mrr"], u["arr"]) == (1, 30, 360) and
              near(u["share_of_mrr"], 30 / 180), str(u))
        check("team: Ada", (a["accounts"], a["mrr"], a["arr"], a["mrr_per_account"]) ==
              (1, 150, 1800, 150) and near(a["share_of_mrr"], 150 / 180), str(a))
        check("team: at-risk n/a without health scores",
              all(r["at_risk_accounts"] is None and r["at_risk_mrr"] is None
                  for r in rows.values()), str(rows))
    s = section(doc, "team_summary")["rows"]
    check("team summary", len(s) == 1 and
          (s[0]["month"], s[0]["n_csm"], s[0]["accounts_per_csm"], s[0]["arr_per_csm"],
           s[0]["owned_accounts"], s[0]["owned_arr"]) == ("2024-02", 1, 1, 1800, 1, 1800),
          str(s))
    rc, out, err = run("team", d)
    check("team text: key and main columns", text_header(out, "Accounts and ARR per CSM") ==
          ["owner", "accounts", "mrr", "arr", "at_risk_accounts", "at_risk_mrr",
           "share_of_mrr"], out)
    check("team text: summary", text_header(out, "Team summary") ==
          ["month", "n_csm", "accounts_per_csm", "arr_per_csm"], out)


# Kaplan-Meier on TINY (review month 2024-02): c1 first active 2024-01, still active: censored at
# 2 months; c2 active in 2024-01 only: churned after 1 month.  S(1) = 1 - 1/2 = 0.5, then the
# censoring at 2 leaves it at 0.5: median 1; survival at 12 and 24 months 0.5; restricted mean
# to 36 months = 1 x 1 + 0.5 x 35 = 18.5.  The sBG fit needs a cohort observed past period 1:
# with one cohort of two periods it cannot be fitted (no row, a note).
def test_survival_described():
    d = company({"mrr.csv": TINY})
    rc, out, err = run("survival", d, "--format", "json")
    check("survival: exit 0", rc == 0, err)
    if rc != 0:
        return
    doc = json.loads(out)
    km = section(doc, "survival_km")
    check("survival_km: the library's names, group kept without --by",
          [c["name"] for c in km["columns"]] ==
          ["group", "n", "events", "median", "median_low", "median_high",
           "rmst", "horizon", "flags", "survival_12", "survival_24"], str(km["columns"]))
    r = km["rows"][0] if km["rows"] else {}
    check("survival_km: by hand", len(km["rows"]) == 1 and
          (r["group"], r["n"], r["events"], r["median"], r["survival_12"],
           r["survival_24"], r["horizon"]) == ("all", 2, 1, 1, 0.5, 0.5, 36) and
          near(r["rmst"], 18.5), str(r))
    sbg = section(doc, "survival_sbg")
    check("survival_sbg: not fitted: no row, a note", sbg["rows"] == [] and
          any("could not be fitted" in n for n in sbg["notes"]), str(sbg))
    check("survival_sbg: the fit's columns (the library's table \"sbg\")",
          [c["name"] for c in sbg["columns"]] ==
          ["alpha", "beta", "se_alpha", "se_beta", "cov_alpha_beta", "loglik", "iterations",
           "converged", "n_cohorts", "n_customers", "flags"], str(sbg["columns"]))
    model = section(doc, "survival_sbg_model")
    check("survival_sbg_model: not fitted: no row, the library's columns",
          model["rows"] == [] and [c["name"] for c in model["columns"]] ==
          ["alpha", "beta", "margin", "discount", "expected_lifetime", "del", "ltv_new",
           "flags"], str(model))
    curve = section(doc, "survival_sbg_curve")
    check("survival_sbg_curve: not fitted: no row, the curve's columns",
          curve["rows"] == [] and [c["name"] for c in curve["columns"]] ==
          ["period", "survival", "retention", "churn"], str(curve))


def test_survival_by_plan():
    # groups: the overall curve "all" and one per plan; c4 has no accounts.csv row: (unknown)
    d = company({"mrr.csv": BY_MRR + "4,2024-01,5\n", "accounts.csv": BY_ACCOUNTS})
    rc, out, err = run("survival", d, "--by", "plan", "--format", "json")
    check("survival by plan: exit 0", rc == 0, err)
    if rc != 0:
        return
    rows = {r["group"]: r for r in section(json.loads(out), "survival_km")["rows"]}
    check("survival by plan: groups", sorted(rows) == ["(unknown)", "all", "basic", "pro", "trial"],
          str(sorted(rows)))
    # all: c1..c4; c2, c3 and c4 churned after a month (c3 in 2023-12, c2 and c4 in 2024-02)
    check("survival by plan: overall counts", rows.get("all", {}).get("n") == 4 and
          rows["all"]["events"] == 3, str(rows.get("all")))


def test_sbg_demo_figures():
    # The model's figures beside the fit, from its alpha and beta by the closed forms
    # (Fader & Hardie 2007): r(t) = (beta + t - 1) / (alpha + beta + t - 1),
    # S(t) = B(alpha, beta + t) / B(alpha, beta) (by lgamma), E[T] = (alpha + beta - 1) / (alpha - 1)
    import math
    demo = os.path.join(ROOT, "examples", "data", "demo")
    rc, out, err = run("survival", demo, "--format", "json")
    check("sbg demo: exit 0", rc == 0, err)
    if rc != 0:
        return
    rows = section(json.loads(out), "survival_sbg")["rows"]
    check("sbg demo: one fit, converged", len(rows) == 1 and rows[0]["converged"] is True, str(rows))
    if len(rows) != 1:
        return
    r = rows[0]
    a, b = r["alpha"], r["beta"]

    def lbeta(x, y):
        return math.lgamma(x) + math.lgamma(y) - math.lgamma(x + y)

    def surv(t):
        return math.exp(lbeta(a, b + t) - lbeta(a, b))
    curve = {c["period"]: c for c in section(json.loads(out), "survival_sbg_curve")["rows"]}
    check("sbg demo: the curve at months 1, 12, 24, 36", sorted(curve) == [1, 12, 24, 36],
          str(curve))
    if sorted(curve) != [1, 12, 24, 36]:
        return
    for t in (1, 12, 24, 36):
        check(f"sbg demo: r({t})", near(curve[t]["retention"], (b + t - 1) / (a + b + t - 1),
                                        1e-12), str(curve[t]))
        check(f"sbg demo: S({t})", near(curve[t]["survival"], surv(t), 1e-10),
              f"{curve[t]['survival']} vs {surv(t)}")
        check(f"sbg demo: P(T = {t})", near(curve[t]["churn"], surv(t - 1) - surv(t), 1e-10),
              str(curve[t]))
    model = section(json.loads(out), "survival_sbg_model")["rows"]
    check("sbg demo: one row of model figures", len(model) == 1, str(model))
    if len(model) != 1:
        return
    m = model[0]
    check("sbg demo: the model's alpha and beta are the fit's",
          (m["alpha"], m["beta"]) == (a, b), str(m))
    check("sbg demo: expected lifetime", near(m["expected_lifetime"], (a + b - 1) / (a - 1), 1e-10),
          str(m))
    # DEL by direct summation of S(t) / (1 + d)^t, d = 1.1^(1/12) - 1 (10% a year, monthly);
    # the terms fall below 1e-18 of the sum long before t = 20000
    d = 1.1 ** (1 / 12) - 1
    s_t, dsum = 1.0, 0.0
    for t in range(20000):
        if t > 0:
            s_t *= (b + t - 1) / (a + b + t - 1)
        dsum += s_t / (1 + d) ** t
    check("sbg demo: discount 10% a year as a monthly rate", near(m["discount"], d, 1e-14), str(m))
    check("sbg demo: DEL", near(m["del"], dsum, 1e-9), f"{m['del']} vs {dsum}")
    check("sbg demo: ltv_new = margin x DEL", near(m["ltv_new"], m["margin"] * dsum, 1e-9), str(m))


# NPS by hand (review month 2024-03, the month of the last response; no mrr.csv):
#   last quarter (2024-01..03): 10, 9, 8, 3 -> promoters 2/4, passives 1/4, detractors 1/4,
#     NPS 100 (1/2 - 1/4) = 25, se = 100 sqrt((p + d - (p - d)^2) / n) = 100 sqrt(0.6875 / 4),
#     Wald interval 25 -/+ z se with z = the normal 97.5% quantile: the upper end passes 100 and is
#     clamped (CSM_FLAG_CLAMPED = 32)
#   quarter before (2023-10..12): 10, 0 -> NPS 0, 2 responses
#   by plan (last quarter): pro = c1 (10, 9): NPS 100; basic = c2 (8, 3): NPS -50;
#     trial (c3) answered in 2023 only: no row
NPS = ("customer_id,date,score\n1,2024-01-10,10\n1,2024-03-05,9\n2,2024-02-01,8\n2,2024-03-31,3\n"
       "3,2023-10-01,10\n3,2023-12-31,0\n")


def test_nps_described():
    from statistics import NormalDist
    d = company({"nps.csv": NPS, "accounts.csv": "account_id,plan\n1,pro\n2,basic\n3,trial\n"})
    rc, out, err = run("nps", d, "--by", "plan", "--format", "json")
    check("nps: exit 0", rc == 0, err)
    if rc != 0:
        return
    doc = json.loads(out)
    sec = section(doc, "nps")
    cols = columns(sec)
    check("nps: the library's columns and names (schema 3)",
          list(cols) == ["group", "nps", "promoters", "passives", "detractors", "n_promoters",
                         "n_passives", "n_detractors", "n", "n_effective", "se",
                         "ci_low", "ci_high", "confidence", "flags"] and
          cols["group"]["role"] == "key" and cols["n_effective"]["role"] == "detail", str(list(cols)))
    now, before = sec["rows"]
    se = 100 * math.sqrt((0.5 + 0.25 - 0.25 ** 2) / 4)
    z = NormalDist().inv_cdf(0.975)
    check("nps: last quarter by hand",
          (now["group"], now["n"], now["nps"], now["promoters"], now["passives"],
           now["detractors"], now["n_promoters"], now["n_passives"], now["n_detractors"],
           now["n_effective"], now["ci_high"], now["confidence"]) ==
          ("last quarter", 4, 25, 0.5, 0.25, 0.25, 2, 1, 1, 4, 100, 0.95) and
          near(now["se"], se, 1e-12) and near(now["ci_low"], 25 - z * se, 1e-9) and
          now["flags"] & 32, str(now))
    check("nps: quarter before", (before["group"], before["n"], before["nps"]) ==
          ("quarter before", 2, 0), str(before))
    by = section(doc, "nps_by")
    rows = {r["plan"]: r for r in by["rows"]}
    # plans in label order (their ids are ranks of the labels: "basic" < "pro")
    check("nps by plan: plans with responses", list(rows) == ["basic", "pro"] and
          columns(by)["plan"]["role"] == "key", str(by))
    if list(rows) == ["pro", "basic"]:
        check("nps by plan: values", (rows["pro"]["nps"], rows["pro"]["n"],
                                      rows["basic"]["nps"], rows["basic"]["n"]) ==
              (100, 2, -50, 2), str(rows))
    rc, out, err = run("nps", d)
    check("nps text: key and main columns",
          text_header(out, "Net Promoter Score (quarters ending at the review month)") ==
          ["group", "nps", "promoters", "passives", "detractors", "n", "se",
           "ci_low", "ci_high"], out)


# Churn scenarios on TINY by hand (review month 2024-02; the last 6 months 2023-09..2024-02):
#   start = February's MRR 150; new + reactivated MRR: 150 in January, 0 otherwise -> 25 a month;
#   gross MRR churn: defined in February only (50/150), so the observed scenario is 1/3;
#   MRR_{t+1} = MRR_t (1 - churn) + 25, shown every third month 0..24
def test_projection_described():
    d = company({"mrr.csv": TINY})
    rc, out, err = run("project", d, "--format", "json")
    check("projection: exit 0", rc == 0, err)
    if rc != 0:
        return
    sec = section(json.loads(out), "projection")
    names = ["observed_33.3%", "churn_1%", "churn_2%", "churn_3%", "churn_5%"]
    check("projection: month then one column per scenario",
          [c["name"] for c in sec["columns"]] == ["month"] + names and
          sec["columns"][0]["type"] == "int" and sec["columns"][0]["role"] == "key" and
          all(c["type"] == "money" and c["role"] == "main" for c in sec["columns"][1:]),
          str(sec["columns"]))
    check("projection: every third month", [r["month"] for r in sec["rows"]] ==
          list(range(0, 25, 3)), str([r["month"] for r in sec["rows"]]))
    ok = True
    for name, churn in zip(names, [1 / 3, 0.01, 0.02, 0.03, 0.05]):
        m = 150.0
        for t in range(25):
            if t % 3 == 0:
                row = sec["rows"][t // 3]
                ok = ok and near(row[name], m, 1e-12)
            m = m * (1 - churn) + 25
    check("projection: values by iteration", ok, str(sec["rows"][:2]))
    rc, out, err = run("project", d)
    check("projection text: header", text_header(out, "24-month MRR churn scenarios") ==
          ["month"] + names, out)


# Unit economics by hand (review month 2024-03; the trailing 12 months 2023-04..2024-03):
#   c1 100 Jan..Mar; c2 50 in Jan only (churned in Feb); c3 200 from Feb; c4 60 in Mar
#   opening customers: Jan 0, Feb 2 (c1, c2), Mar 2 (c1, c3) = 4; churned: c2 = 1 -> churn 1/4
#   ARPA in March (100 + 200 + 60) / 3 = 120; LTV = 120 x 0.8 / 0.25 = 384, lifetime 4 months
#   new customers c1, c2 (Jan), c3 (Feb), c4 (Mar): 4, their MRR 100 + 50 + 200 + 60 = 410
#   spend in the window 1000 + 600 (2023-03 is outside) = 1600: CAC 400, LTV/CAC 0.96,
#   payback 400 / (410/4 x 0.8) = 400 / 82 months
UE_MRR = ("customer_id,month,mrr\n1,2024-01,100\n1,2024-02,100\n1,2024-03,100\n2,2024-01,50\n"
          "3,2024-02,200\n3,2024-03,200\n4,2024-03,60\n")
UE_SPEND = "month,spend\n2023-03,5000\n2024-01,1000\n2024-03,600\n"


def test_ltv_described():
    d = company({"mrr.csv": UE_MRR, "spend.csv": UE_SPEND})
    rc, out, err = run("ltv", d, "--format", "json")
    check("ltv: exit 0", rc == 0, err)
    if rc != 0:
        return
    sec = section(json.loads(out), "ltv")
    cols = columns(sec)
    main = ["arpa", "monthly_churn", "gross_margin", "ltv", "lifetime_months", "cac", "ltv_cac",
            "cac_payback_months"]
    check("ltv: the report's columns first, then the detail ones",
          list(cols)[:8] == main and all(cols[c]["role"] == "main" for c in main) and
          all(cols[c]["role"] == "detail" for c in list(cols)[8:]) and "month" not in cols,
          str(list(cols)))
    r = sec["rows"][0]
    check("ltv: values by hand",
          near(r["arpa"], 120) and near(r["monthly_churn"], 0.25) and near(r["gross_margin"], 0.8)
          and near(r["ltv"], 384) and near(r["lifetime_months"], 4) and near(r["cac"], 400) and
          near(r["ltv_cac"], 0.96) and near(r["cac_payback_months"], 400 / 82) and
          (r["opening_customers"], r["churned_customers"], r["new_customers"]) == (4, 1, 4) and
          near(r["new_mrr"], 410) and near(r["spend"], 1600) and r["window_months"] == 12 and
          r["flags"] == 0, str(r))
    rc, out, err = run("ltv", company({"mrr.csv": UE_MRR}))
    check("ltv text: main columns; without spend.csv the CAC figures are n/a",
          rc == 0 and text_header(out, "Unit economics (trailing 12 months)") == main and
          "CAC skipped: no spend.csv" in out and out.count("n/a") == 3, out)


EXAMPLE_SCORECARDS = os.path.join(ROOT, "examples", "scorecards")


# The built-in scorecard is examples/scorecards/usage-led.json, embedded at build time: `csmetrics
# scorecard` (the built-in one) and `csmetrics scorecard --scorecard THAT_FILE` must write the
# same canonical JSON (csm_health_scorecard_to_json), so a built-in scorecard that drifted from the file
# fails.  The canonical text is also checked against the file as Python's json reads it (names,
# weights, cut points, overrides), so two empty or broken outputs cannot pass by being equal, and
# the other example file must differ.
def test_builtin_scorecard_is_the_example():
    path = os.path.join(EXAMPLE_SCORECARDS, "usage-led.json")
    rc, builtin, err = run("scorecard")
    check("scorecard: exit 0", rc == 0, err)
    rc2, from_file, err2 = run("scorecard", "--scorecard", path)
    check("scorecard --scorecard FILE: exit 0", rc2 == 0, err2)
    first_diff = next((f"line {i + 1}: {a!r} vs the file's {b!r}" for i, (a, b) in
                       enumerate(zip(builtin.splitlines(), from_file.splitlines())) if a != b),
                      f"{len(builtin)} vs {len(from_file)} characters")
    check("built-in scorecard == examples/scorecards/usage-led.json",
          rc == 0 and builtin == from_file, first_diff)
    with open(path) as f:
        spec = json.load(f)
    try:
        canon = json.loads(builtin)
    except ValueError as e:
        check("scorecard: JSON output", False, repr(e) + builtin[:200])
        return
    check("scorecard: name and options as in the file",
          (canon["name"], canon["aggregation"], canon["missing"], canon["round"]) ==
          (spec["name"], spec["aggregation"], spec["missing"], spec["round"]), str(canon)[:300])
    check("scorecard: bands as in the file",
          [(b["name"], b["min"]) for b in canon["bands"]] ==
          [(b["name"], b["min"]) for b in spec["bands"]], str(canon["bands"]))
    check("scorecard: measures as in the file",
          [(g["name"], g["weight"], [(m["name"], m["weight"], m["direction"], m["transform"]["type"])
                                     for m in g["measures"]]) for g in canon["groups"]] ==
          [(g["name"], g["weight"], [(m["name"], m["weight"], m["direction"], m["transform"]["type"])
                                     for m in g["measures"]]) for g in spec["groups"]],
          str(canon["groups"])[:300])
    check("scorecard: overrides as in the file",
          [(o["name"], o["input"], o["op"], o["value"], o["action"]) for o in canon["overrides"]] ==
          [(o["name"], o["input"], o["op"], o["value"], o["action"]) for o in spec["overrides"]],
          str(canon["overrides"]))
    rc, other, err = run("scorecard", "--scorecard",
                         os.path.join(EXAMPLE_SCORECARDS, "relationship-led.json"))
    check("scorecard: another file gives another scorecard", rc == 0 and other != builtin, err)
    rc, _, err = run("scorecard", "/some/dir")
    check("scorecard takes no DIR -> 64", rc == 64 and "unexpected argument" in err, err)
    rc, _, err = run("scorecard", "--scorecard", "/nonexistent.json")
    check("scorecard: missing file -> 66", rc == 66 and "cannot open" in err, err)


# The health inputs the CLI gathers for a scorecard, each through a one-measure scorecard whose
# score is the input itself (round null, no override): review month 2024-03 (mrr.csv), so NPS
# responses count from 2023-10-01 to 2024-03-31 and renewals from the month's last day,
# 2024-03-31.  Accounts 1..4 have MRR in 2024-03 and are scored; an input missing for an account
# leaves it unscored ("without data").
#   nps (linear -100..100, score (nps + 100) / 2), the latest response in the window:
#     1: 2023-12-01 score 3, 2024-02-10 score 9 -> promoter +100 -> 100
#     2: 2024-03-31 score 7 (2024-04-01 score 0 is after the month) -> passive 0 -> 50
#     3: 2023-09-30 score 10 only, before the window -> missing
#     4: 2024-01-15 scores 2 then 9: two on the latest day, the first counts -> detractor -100 -> 0
#   days_to_renewal (linear 0..100): days from 2024-03-31 to the nearest contract end on or after
#     it: 1: ends 2024-03-31 and 2024-05-10 -> 0 days -> 0; 2: ends 2024-03-30 (before) and
#     2024-06-09 -> 30 + 31 + 9 = 70 days -> 70; 3 and 4: none -> missing
#   login_rate (linear 0..1): active users / licensed seats of the 2024-03 usage rows:
#     1: 4 / 10 -> 40; 2: two rows (3 + 3) / (5 + 10) = 0.4 -> 40 (a ratio of the sums, not the
#     mean 0.45 of the rows' ratios); 3: 7 / 5 clamped to 1 -> 100; 4: no row -> missing
#   support_tickets (linear 0..10, lower): the account's first usage row of 2024-03:
#     1: 3 -> 70; 2: first row 6 (the second's 2 is not read) -> 40; 3: 0 -> 100
#   mrr (linear 0..1000): 1: 100 -> 10; 2: 250 -> 25; 3: 500 -> 50; 4: 1000 -> 100
HEALTH_CO = {
    "mrr.csv": "customer_id,month,mrr\n1,2024-02,100\n1,2024-03,100\n2,2024-03,250\n"
               "3,2024-03,500\n4,2024-03,1000\n",
    "nps.csv": "customer_id,date,score\n1,2023-12-01,3\n1,2024-02-10,9\n2,2024-03-31,7\n"
               "2,2024-04-01,0\n3,2023-09-30,10\n4,2024-01-15,2\n4,2024-01-15,9\n",
    "contracts.csv": "customer_id,start_date,end_date,value\n1,2023-04-01,2024-03-31,1200\n"
                     "1,2023-05-11,2024-05-10,100\n2,2023-03-31,2024-03-30,3000\n"
                     "2,2023-06-10,2024-06-09,500\n",
    "usage.csv": "account_id,month,licensed_seats,active_users,support_tickets\n"
                 "1,2024-02,10,1,10\n1,2024-03,10,4,3\n2,2024-03,5,3,6\n2,2024-03,10,3,2\n"
                 "3,2024-03,5,7,0\n",
}
HEALTH_EXPECTED = {
    "nps": ({"type": "linear", "min": -100, "max": 100}, "higher",
            {1: 100, 2: 50, 4: 0}),
    "days_to_renewal": ({"type": "linear", "min": 0, "max": 100}, "higher", {1: 0, 2: 70}),
    "login_rate": ({"type": "linear", "min": 0, "max": 1}, "higher", {1: 40, 2: 40, 3: 100}),
    "support_tickets": ({"type": "linear", "min": 0, "max": 10}, "lower",
                        {1: 70, 2: 40, 3: 100}),
    "mrr": ({"type": "linear", "min": 0, "max": 1000}, "higher", {1: 10, 2: 25, 3: 50, 4: 100}),
}


def one_measure_scorecard(d, name, direction, transform):
    """A scorecard file in d whose score is the input `name` itself (round null, no override)."""
    spec = {"name": "t-" + name, "round": None,
            "groups": [{"name": "g", "measures": [
                {"name": name, "direction": direction, "transform": transform}]}]}
    sc = os.path.join(d, name + ".json")
    with open(sc, "w") as f:
        json.dump(spec, f)
    return sc


def test_health_inputs():
    d = company(HEALTH_CO)
    for name, (transform, direction, want) in HEALTH_EXPECTED.items():
        sc = one_measure_scorecard(d, name, direction, transform)
        rc, out, err = run("health", d, "--scorecard", sc, "--format", "json")
        check(f"health input {name}: exit 0", rc == 0, err)
        if rc != 0:
            continue
        doc = json.loads(out)
        got = {r["account_id"]: r["score"] for r in section(doc, "health_at_risk")["rows"]}
        check(f"health input {name}: scores",
              set(got) == {str(a) for a in want} and
              all(near(got[str(a)], v) for a, v in want.items()), f"{got} vs {want}")
        notes = " ".join(section(doc, "health_bands")["notes"])
        check(f"health input {name}: scored / without data",
              f"{len(want)} accounts scored, {4 - len(want)} without data" in notes, notes)


# Band transitions (the health section's tables "transitions" and "transitions_summary"): the
# one-measure login_rate scorecard (linear 0..1, so the score is 100 x the rate; default bands red
# below 40, yellow below 70, green from 70) in the review month 2024-03 and the month before:
#   account  2024-02 users/seats    band   2024-03 users/seats   band
#   1        9/10 = 0.9 -> 90       green  2/10 = 0.2 -> 20      red     (worsened)
#   2        5/10 = 0.5 -> 50       yellow 5/10 -> 50            yellow  (stayed)
#   3        1/10 = 0.1 -> 10       red    9/10 -> 90            green   (improved)
#   4        no MRR in 2024-02      none   6/10 -> 60            yellow  (entered)
#   5        8/10 -> 80             green  no MRR in 2024-03     none    (left)
# Row shares: none -> yellow 1/1, red -> green 1/1, yellow -> yellow 1/1, green -> red and
# green -> none 1/2 each; the other 11 of the 4 x 4 cells 0.  Banded in both months: 3.
TRANSITIONS_CO = {
    "mrr.csv": "customer_id,month,mrr\n1,2024-02,10\n1,2024-03,10\n2,2024-02,10\n2,2024-03,10\n"
               "3,2024-02,10\n3,2024-03,10\n4,2024-03,10\n5,2024-02,10\n",
    "usage.csv": "account_id,month,licensed_seats,active_users\n1,2024-02,10,9\n1,2024-03,10,2\n"
                 "2,2024-02,10,5\n2,2024-03,10,5\n3,2024-02,10,1\n3,2024-03,10,9\n"
                 "4,2024-03,10,6\n5,2024-02,10,8\n",
}


def test_health_transitions():
    d = company(TRANSITIONS_CO)
    sc = one_measure_scorecard(d, "login_rate", "higher", {"type": "linear", "min": 0, "max": 1})
    rc, out, err = run("health", d, "--scorecard", sc, "--format", "json")
    check("transitions: exit 0", rc == 0, err)
    if rc:
        return
    doc = json.loads(out)
    cells = {(r["from_band"], r["to_band"]): (r["accounts"], r["row_share"])
             for r in section(doc, "transitions")["rows"]}
    want = {("none", "yellow"): (1, 1.0), ("red", "green"): (1, 1.0),
            ("yellow", "yellow"): (1, 1.0), ("green", "red"): (1, 0.5),
            ("green", "none"): (1, 0.5)}
    check("transitions: 16 cells", len(cells) == 16, str(cells))
    check("transitions: the moves and their row shares",
          all(cells.get(k, (0, 0))[0] == v[0] and near(cells[k][1], v[1])
              for k, v in want.items()) and
          all(n == 0 for k, (n, _) in cells.items() if k not in want), str(cells))
    s = section(doc, "transitions_summary")["rows"][0]
    check("transitions: summary", (s["from_month"], s["to_month"], s["banded"], s["stayed"],
                                   s["improved"], s["worsened"], s["entered"], s["left"]) ==
          ("2024-02", "2024-03", 3, 1, 1, 1, 1, 1), str(s))
    # the first month of usage.csv has no month before: a note, no table
    rc, out, err = run("health", d, "--scorecard", sc, "--format", "json", "--as-of", "2024-02")
    doc = json.loads(out) if rc == 0 else {}
    check("transitions: skipped with a note without the month before", rc == 0 and
          not any(t["key"] == "transitions" for t in doc.get("sections", [])) and
          "band transitions skipped" in out, out + err)


# Scorecard inputs that no account has (issue 13): a misspelt measure, an input whose file or
# column is not there.  They used to be NaN everywhere without a word ("0 accounts scored", exit
# 0, for a one-measure scorecard).  Each is named on stderr and in the health_bands notes with
# where the CLI looked and what scoring does without it; a "fail" measure exits 65.
def test_health_absent_inputs():
    d = company({k: v for k, v in HEALTH_CO.items() if k != "nps.csv"})
    spec = {"name": "absent", "round": None,
            "groups": [{"name": "g", "measures": [
                {"name": "login_rate", "transform": {"type": "linear", "min": 0, "max": 1}},
                {"name": "login_rates", "transform": {"type": "linear", "min": 0, "max": 1}},
                {"name": "nps", "missing": "zero",
                 "transform": {"type": "linear", "min": -100, "max": 100}}]}],
            "overrides": [{"name": "left", "input": "key_contact_left", "op": "==", "value": 1,
                           "action": "cap", "score": 10}]}
    sc = os.path.join(d, "absent.json")
    with open(sc, "w") as f:
        json.dump(spec, f)
    rc, out, err = run("health", d, "--scorecard", sc, "--format", "json")
    check("health absent inputs: exit 0", rc == 0, err)
    if rc != 0:
        return
    want = [
        "scorecard input 'login_rates' has no value for any account (looked for in no file: no "
        "input of that name); every account is scored without that measure (the others' "
        "weights renormalized)",
        "scorecard input 'nps' has no value for any account (looked for in nps.csv, which is "
        "not there); every account scores 0 on that measure",
        "scorecard input 'key_contact_left' has no value for any account (looked for in "
        "usage.csv's column of that name); the overrides on it never fire"]
    notes = section(json.loads(out), "health_bands")["notes"]
    check("health absent inputs: a note each, in input order", notes[1:] == want, str(notes))
    check("health absent inputs: each on stderr",
          err.splitlines() == ["csmetrics: health: note: " + w for w in want], err)
    # login_rate as in test_health_inputs (1: 40, 2: 40, 3: 100, 4 missing), login_rates
    # renormalized away, nps 0 in every account with weight 1 of 2: 20, 20, 50, and 4 has nps
    # alone: 0
    rows = section(json.loads(out), "health_at_risk")["rows"]
    got = {r["account_id"]: r["score"] for r in rows}
    check("health absent inputs: scores without them",
          got.keys() == {"1", "2", "3", "4"} and all(
              near(got[a], v) for a, v in {"1": 20, "2": 20, "3": 50, "4": 0}.items()),
          str(got))
    # the only measure absent: nobody scored, and the note says why
    sc = one_measure_scorecard(d, "logins", "higher", {"type": "linear", "min": 0, "max": 1})
    rc, out, err = run("health", d, "--scorecard", sc, "--format", "json")
    notes = " ".join(section(json.loads(out), "health_bands")["notes"]) if rc == 0 else ""
    check("health without any measure: 0 scored, the input named",
          "0 accounts scored, 4 without data" in notes and
          "scorecard input 'logins' has no value for any account" in notes and
          "'logins' has no value" in err, notes + err)
    # missing "fail": exit 65 naming it
    spec = {"name": "f", "groups": [{"name": "g", "measures": [
        {"name": "logins", "missing": "fail",
         "transform": {"type": "linear", "min": 0, "max": 1}}]}]}
    with open(sc, "w") as f:
        json.dump(spec, f)
    rc, out, err = run("health", d, "--scorecard", sc, "--format", "json")
    check("health absent 'fail' measure: exit 65 naming it",
          rc == 65 and err.splitlines() == [
              "csmetrics: health: note: scorecard input 'logins' has no value for any account "
              "(looked for in no file: no input of that name); its measure's missing policy is "
              "'fail'",
              "csmetrics: health: EMISSING: input 'logins': no account has a value, and the "
              "measure's missing policy is 'fail'"], f"{rc} {err}")


# The accounts scored are the customers the ledger has active in the review month, as the other
# sections count them: account 1's two rows of 2024-03 (100 + 50) are one account of MRR 150
# (score 15 on 0..1000), account 2's MRR-0 row is not an active customer (not scored, not "without
# data"), account 3 has 250 (25).  2 accounts scored; the ledger has 2 customers in 2024-03.
def test_health_accounts_are_the_ledgers():
    d = company({"mrr.csv": "customer_id,month,mrr\n1,2024-03,100\n1,2024-03,50\n"
                            "2,2024-03,0\n3,2024-03,250\n",
                 "usage.csv": "account_id,month,licensed_seats,active_users\n"
                              "1,2024-03,5,1\n2,2024-03,5,1\n3,2024-03,5,1\n"})
    sc = one_measure_scorecard(d, "mrr", "higher", {"type": "linear", "min": 0, "max": 1000})
    rc, out, err = run("health", d, "--scorecard", sc, "--format", "json")
    check("health accounts: exit 0", rc == 0, err)
    if rc != 0:
        return
    doc = json.loads(out)
    rows = section(doc, "health_at_risk")["rows"]
    got = {r["account_id"]: r["score"] for r in rows}
    check("health accounts: one row per active customer, duplicate rows summed",
          len(rows) == 2 and set(got) == {"1", "3"} and near(got["1"], 15) and near(got["3"], 25),
          str(rows))
    notes = " ".join(section(doc, "health_bands")["notes"])
    check("health accounts: 2 scored", "2 accounts scored, 0 without data" in notes, notes)
    # without mrr.csv, the accounts of the month's usage rows, once each: account 1's two rows
    # are one account (its login rate (1 + 2) / (5 + 5) = 0.3), account 2 another: 2 scored
    d = company({"usage.csv": "account_id,month,licensed_seats,active_users\n"
                              "1,2024-03,5,1\n1,2024-03,5,2\n2,2024-03,5,5\n"})
    rc, out, err = run("health", d, "--format", "json")
    check("health accounts without mrr.csv: exit 0", rc == 0, err)
    if rc == 0:
        doc = json.loads(out)
        ids = [r["account_id"] for r in section(doc, "health_at_risk")["rows"]]
        notes = " ".join(section(doc, "health_bands")["notes"])
        check("health accounts without mrr.csv: one row per account",
              sorted(ids) == ["1", "2"] and "2 accounts scored" in notes, f"{ids} {notes}")


# An mrr.csv whose rows give no customer (header only, or MRR 0 only): the ledger is empty, so the
# sections that read it say so (it used to read an empty ledger: an int32 overflow at
# CSM_MONTH_NONE and exit 70).  With nothing else to report the run is an error: exit 65 with
# the reason on stderr and no report; with another file that has data the report goes on
# (exit 0) and its notes say why the ledger's sections are missing.  A review month without
# customers (a gap month inside the data) has no ARPA: the sBG model table has no row and says
# why (it used to exit 70 on a NaN margin).
def test_empty_ledger_and_empty_month():
    for name, text in [("header only", "customer_id,month,mrr\n"),
                       ("MRR 0 only", "customer_id,month,mrr\n1,2024-01,0\n")]:
        d = company({"mrr.csv": text})
        rc, out, err = run("report", d, "--format", "json")
        check(f"empty ledger ({name}) alone: exit 65, saying why",
              rc == 65 and out == "" and "nothing to report" in err and
              "has no customer with MRR" in err, f"{rc} {err}")
        d = company({"mrr.csv": text, "nps.csv": "customer_id,date,score\n1,2024-01-05,9\n"})
        rc, out, err = run("report", d, "--format", "json")
        check(f"empty ledger ({name}) with nps.csv: exit 0", rc == 0, err)
        if rc == 0:
            doc = json.loads(out)
            notes = " ".join(doc["notes"])
            check(f"empty ledger ({name}): movements skipped, saying why; nps shown",
                  "movements skipped: mrr.csv in" in notes and "has no customer with MRR" in notes
                  and [s["key"] for s in doc["sections"]] == ["nps"], notes)
    # customer 1 in 2024-01 and 2024-03, nobody in 2024-02
    d = company({"mrr.csv": "customer_id,month,mrr\n1,2024-01,100\n1,2024-03,100\n"})
    rc, out, err = run("survival", d, "--as-of", "2024-02", "--format", "json")
    check("survival --as-of a month without customers: exit 0", rc == 0, err)
    if rc == 0:
        sec = section(json.loads(out), "survival_sbg_model")
        check("survival --as-of a month without customers: no model row, a note",
              sec["rows"] == [] and any("no ARPA" in n for n in sec["notes"]), str(sec)[:300])


# A blank owner cell is an unassigned account, not a CSM named "": accounts 1 and 3 (100 + 50)
# belong to alice, account 2 (200) to nobody -> one CSM, 2 owned accounts, ARR 12 x 150 = 1800,
# and the "(unassigned)" row with 1 account.
def test_blank_owner_is_unassigned():
    d = company({"mrr.csv": "customer_id,month,mrr\n1,2024-01,100\n2,2024-01,200\n3,2024-01,50\n",
                 "accounts.csv": "account_id,owner\n1,alice\n2,\n3,alice\n"})
    rc, out, err = run("team", d, "--format", "json")
    check("blank owner: exit 0", rc == 0, err)
    if rc != 0:
        return
    doc = json.loads(out)
    rows = {r["owner"]: r["accounts"] for r in section(doc, "team")["rows"]}
    summary = section(doc, "team_summary")["rows"][0]
    check("blank owner: one CSM and an unassigned row",
          rows == {"unassigned": 1, "alice": 2} and summary["n_csm"] == 1 and
          summary["owned_accounts"] == 2 and near(summary["owned_arr"], 1800), f"{rows} {summary}")


# Files with a header and no row, without mrr.csv: no date to take a review month from, so each
# section is skipped saying so, and with nothing to report the run exits 65 with the reasons (it
# used to review 1970-01, a made-up month).  With --as-of there is a month: the sections give
# their empty results (0 contracts due in 2023-11-01..2024-01-31, two empty NPS quarters, 0
# accounts scored) and exit 0.
def test_header_only_files():
    d = company({"contracts.csv": "customer_id,start_date,end_date,value\n",
                 "nps.csv": "customer_id,date,score\n",
                 "usage.csv": "account_id,month\n"})
    rc, out, err = run("report", d, "--format", "json")
    check("header-only files: exit 65 with each reason",
          rc == 65 and out == "" and all(f"{f} in {d} has no rows" in err
                                         for f in ["contracts.csv", "nps.csv", "usage.csv"]),
          f"{rc} {err}")
    rc, out, err = run("report", d, "--as-of", "2024-01", "--format", "json")
    check("header-only files with --as-of: exit 0", rc == 0, err)
    if rc != 0:
        return
    doc = json.loads(out)
    ren = section(doc, "renewals")
    check("header-only contracts: 0 due in 2023-11-01..2024-01-31",
          [r["due"] for r in ren["rows"]] == [0] and
          "2023-11-01..2024-01-31" in " ".join(ren["notes"]), str(ren))
    check("header-only nps: two empty quarters",
          [r["n"] for r in section(doc, "nps")["rows"]] == [0, 0], out[:300])
    check("header-only usage: 0 accounts scored",
          "0 accounts scored, 0 without data" in " ".join(section(doc, "health_bands")["notes"]),
          out[:300])


# The findings' cases (tests/cli/cases, each a company folder; run under ASan/UBSan and valgrind
# with the rest of this file, tests/cli/memcheck.py): no sentinel arithmetic, no read past a
# table, and a clear exit.  Empty inputs: exit 65 naming why.  An 11,000-year span and two
# 1e308 amounts in one month are rows the library rejects when it builds the ledger (months in
# years 0001..9999; sums up to CSM_SUM_MAX = 1e300): exit 65 (not 70, an internal error) naming
# mrr.csv's line and column -- span-11000y's first row is -999-01 (line 2); mrr-overflow's rows
# are on lines 2 and 3, and the library names the row where the month's sum is rejected.
CASES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "cases")


def test_findings_cases():
    for name, reason in [("empty-mrr-header", "mrr.csv in"), ("zero-mrr", "mrr.csv in"),
                         ("usage-header-only", "usage.csv in"),
                         ("contracts-header-only", "contracts.csv in"),
                         ("span-11000y", "span-11000y/mrr.csv:2: column 'month': month "
                                          "outside the valid range"),
                         ("mrr-overflow", "mrr-overflow/mrr.csv:")]:
        d = os.path.join(CASES, name)
        rc, out, err = run("report", d, "--format", "json")
        check(f"case {name}: exit 65 with the reason", rc == 65 and out == "" and
              reason in err and "internal" not in err, f"{rc} {err}")
    rc, out, err = run("report", os.path.join(CASES, "mrr-overflow"))
    check("case mrr-overflow: the line and the column", rc == 65 and
          any(f"mrr.csv:{n}: column 'mrr': " in err for n in (2, 3)) and "1e300" in err,
          f"{rc} {err}")


# A directory without any of the files: nothing to report, exit 66 (input missing, as a missing
# DIR); the reasons name each file.
def test_empty_directory():
    d = company({})
    rc, out, err = run("report", d)
    check("empty directory: exit 66", rc == 66 and out == "" and f"no mrr.csv in {d}" in err and
          f"no contracts.csv in {d}" in err, f"{rc} {err}")
    rc, out, err = run("renewals", company({"mrr.csv": TINY}))
    check("renewals without contracts.csv: exit 66", rc == 66 and "no contracts.csv" in err,
          f"{rc} {err}")


# --as-of outside the months of the data would show zeros: a usage error (64) naming the months.
# TINY's months are 2024-01..2024-02; without mrr.csv the dated files' months (contracts from
# their first start to their last end: 2023-01..2025-06 for REN).
def test_as_of_outside_the_data():
    d = company({"mrr.csv": TINY})
    for m in ["2023-12", "2024-03"]:
        rc, out, err = run("movements", d, "--as-of", m)
        check(f"--as-of {m} outside mrr.csv: exit 64 naming the months",
              rc == 64 and out == "" and f"--as-of {m} is outside the months of mrr.csv" in err
              and "(2024-01..2024-02)" in err, f"{rc} {err}")
    rc, out, err = run("movements", d, "--as-of", "2024-01")
    check("--as-of the first month: exit 0", rc == 0, err)
    d = company({"contracts.csv": REN})
    rc, out, err = run("renewals", d, "--as-of", "2025-07")
    check("--as-of after the contracts: exit 64",
          rc == 64 and "(2023-01..2025-06)" in err, f"{rc} {err}")
    rc, out, err = run("renewals", d, "--as-of", "2025-06")
    check("--as-of the contracts' last month: exit 0", rc == 0, err)


# Without mrr.csv the renewals' review month is the month of the latest contract start (the
# data's last booking), not of the latest end (which lies a term ahead):
#   c1 2024-01-01..2024-12-31, renewed by 2025-01-01..2025-12-31 (the latest start: 2025-01)
#   c2 2024-02-01..2025-01-31, not renewed
# Quarter 2024-11-01..2025-01-31: c1's first contract renewed (gap 0); c2's pending (a renewal
# by 2025-02-01 + 90 days would be on time).  The latest end (2025-12) would have reviewed
# Oct-Dec 2025, when c1's renewal is due.
def test_renewals_review_month_without_mrr():
    d = company({"contracts.csv": "customer_id,start_date,end_date,value\n"
                                  "1,2024-01-01,2024-12-31,1200\n1,2025-01-01,2025-12-31,1200\n"
                                  "2,2024-02-01,2025-01-31,600\n"})
    rc, out, err = run("renewals", d, "--format", "json")
    check("renewals without mrr.csv: exit 0", rc == 0, err)
    if rc != 0:
        return
    ren = section(json.loads(out), "renewals")
    r = ren["rows"][0]
    check("renewals without mrr.csv: the quarter of the latest start",
          "2024-11-01..2025-01-31" in " ".join(ren["notes"]) and
          (r["due"], r["renewed"], r["pending"], r["churned"]) == (2, 1, 1, 0), str(ren)[:400])


# A review month taken from the data whose customers are under a tenth of the month before's
# (or with none in the month before) is noted as a stray row or partial month:
#   TINY + one row in 2099-01: 1 customer against 0 in 2098-12 -> noted;
#   11 customers in 2024-01, 1 in 2024-02: 1 x 10 < 11 -> noted;
#   10 customers in 2024-01, 1 in 2024-02: 1 x 10 = 10, not under a tenth -> no note;
#   --as-of given: no note (the user chose the month).
def test_stray_last_month():
    def notes(text, *args):
        rc, out, err = run("movements", company({"mrr.csv": text}), "--format", "json", *args)
        return rc, " ".join(json.loads(out)["notes"]) if rc == 0 else err
    rc, n = notes(TINY + "7,2099-01,10\n")
    check("stray row in 2099-01: noted", rc == 0 and "the review month 2099-01 (mrr.csv's last) "
          "has 1 customer(s) (customer 7) against 0 in 2098-12" in n, n)
    rc, n = notes(TINY + "7,2099-01,10\n", "--as-of", "2024-02")
    check("stray row with --as-of: no note", rc == 0 and "review month" not in n, n)
    jan = "".join(f"{i},2024-01,10\n" for i in range(1, 12))
    rc, n = notes("customer_id,month,mrr\n" + jan + "1,2024-02,10\n")
    check("1 customer against 11: noted", rc == 0 and "has 1 customer(s) (customer 1) against "
          "11 in 2024-01" in n, n)
    jan = "".join(f"{i},2024-01,10\n" for i in range(1, 11))
    rc, n = notes("customer_id,month,mrr\n" + jan + "1,2024-02,10\n")
    check("1 customer against 10: no note", rc == 0 and "review month" not in n, n)


# The projection's observed scenario without an observed churn rate (no month of the last six had
# opening MRR: one month of data) is n/a, not a 0.0% scenario: its column observed_n/a, every
# cell null, and a note.
def test_projection_observed_unknown():
    d = company({"mrr.csv": "customer_id,month,mrr\n1,2024-01,100\n"})
    rc, out, err = run("project", d, "--format", "json")
    check("projection, one month: exit 0", rc == 0, err)
    if rc != 0:
        return
    sec = section(json.loads(out), "projection")
    names = [c["name"] for c in sec["columns"]]
    check("projection: observed_n/a, every cell null",
          "observed_n/a" in names and all(r["observed_n/a"] is None for r in sec["rows"]) and
          not any(n.startswith("observed_0") for n in names) and
          any("observed churn n/a" in n for n in sec["notes"]), str(sec)[:400])
    # the fixed scenarios are still there: month 0 = 100
    check("projection: churn_1% starts at 100", sec["rows"][0]["churn_1%"] == 100, str(sec)[:300])


def test_bom_crlf_quotes_case():
    # UTF-8 BOM, CRLF, quoted fields, upper-case headers: same figures as TINY
    text = '\ufeffCustomer_ID,"MONTH",Mrr\r\n1,"2024-01","100"\r\n2,2024-01,50\r\n"1",2024-02,150\r\n'
    d = company({"mrr.csv": text.encode("utf-8")})
    rc, out, err = run("movements", d, "--format", "json", "--months", "2")
    check("BOM/CRLF/quotes: exit 0", rc == 0, err)
    if rc == 0:
        feb = section(json.loads(out), "movements")["rows"][1]
        check("BOM/CRLF/quotes: closing 150", abs(feb["closing_mrr"] - 150) < 1e-9)


def test_errors():
    d = company({"mrr.csv": 'customer_id,month,mrr\n1,"2024-01,100\n'})
    rc, _, err = run("movements", d)
    check("malformed quotes -> 65", rc == 65 and "mrr.csv" in err and "malformed" in err, err)

    d = company({"mrr.csv": 'customer_id,month,mrr\n1,2024-01,100\n1,2024-0"2,100\n'})
    rc, _, err = run("movements", d)
    check("stray quote -> 65 with line 3", rc == 65 and "mrr.csv:3" in err, err)

    d = company({"mrr.csv": "customer_id,month,mrr\n1,2024-01,100\n2,2024-02,abc\n"})
    rc, _, err = run("movements", d)
    check("wrong type -> 65 with file:line: column",
          rc == 65 and "mrr.csv:3: column 'mrr': not a number ('abc')" in err, err)

    d = company({"mrr.csv": "customer_id,month,mrr\n1,2024-13,100\n"})
    rc, _, err = run("movements", d)
    check("bad month -> 65", rc == 65 and "column 'month'" in err, err)

    d = company({"mrr.csv": "customer_id,month,mrr\n1,2024-01,-5\n"})
    rc, _, err = run("movements", d)
    check("negative MRR -> 65", rc == 65 and ">= 0" in err, err)

    d = company({"mrr.csv": "customer_id,month,amount\n1,2024-01,100\n"})
    rc, _, err = run("movements", d)
    check("missing column -> 65 naming column and file",
          rc == 65 and "missing required column 'mrr'" in err and "mrr.csv" in err, err)
    rc, out, err = run("movements", d, "--map", "mrr=amount", "--format", "json")
    check("--map mrr=amount reads it", rc == 0 and json.loads(out)["sections"][0]["rows"][0]["closing_mrr"] == 100, err)
    rc, _, err = run("movements", d, "--map", "mrr=price")
    check("mapped column missing -> 65", rc == 65 and "'price'" in err, err)

    d = company({"mrr.csv": ""})
    rc, _, err = run("movements", d)
    check("empty file -> 65", rc == 65 and "empty file" in err, err)

    d = company({"mrr.csv": "customer_id,month,mrr\n1,2024-01\n"})
    rc, _, err = run("movements", d)
    check("ragged row -> 65", rc == 65 and "expected 3 fields" in err, err)

    d = company({"mrr.csv": TINY + "4,2024-02,x\n3,2024-02\n"})
    rc, out, err = run("movements", d, "--skip-bad-rows", "--format", "json")
    doc = json.loads(out) if rc == 0 else {"notes": []}
    check("--skip-bad-rows continues and counts", rc == 0 and any("2 bad row(s) skipped" in n for n in doc["notes"]), err + out)

    d = company({"contracts.csv": "customer_id,start_date,end_date,value\n1,2024-02-30,2025-01-01,100\n"})
    rc, _, err = run("report", d)
    check("impossible date -> 65", rc == 65 and "contracts.csv:2" in err and "calendar" in err, err)

    d = company({"nps.csv": "customer_id,date,score\n1,2024-02-01,11\n"})
    rc, _, err = run("report", d)
    check("NPS score 11 -> 65", rc == 65 and "0..10" in err, err)


def test_loader_rules():
    """The column rules of every file (docs/cli.md, "Input files"; cli/data.c
    reads each file's columns in order and reports a row's first bad value;
    a contract's checks across its columns come once its row is read, dates
    first).  Each expected message is the rule's reason (csvtab.c, data.c)
    with the file, line, column and cell of the input written here."""
    con = "customer_id,start_date,end_date,value,interval_months\n"
    use = "account_id,month,licensed_seats,activated_seats\n"
    nps = "customer_id,date,score\n"
    mrr = "customer_id,month,mrr\n"
    # (what, file, its content, the message the report exits 65 with)
    cases = [
        # value -5 is bad too, but 'x' fails to parse before any check runs
        ("contracts: a parse fault before the checks", "contracts.csv",
         con + "1,2024-01-01,2024-12-31,-5,x\n",
         "contracts.csv:2: column 'interval_months': not an integer ('x')"),
        # end < start, value < 0 and interval 0 all at once: the dates first
        ("contracts: dates checked first", "contracts.csv",
         con + "1,2024-01-01,2023-01-01,-5,0\n",
         "contracts.csv:2: column 'end_date': contract ends before it starts ('2023-01-01')"),
        ("contracts: then the value", "contracts.csv", con + "1,2024-01-01,2024-12-31,-5,0\n",
         "contracts.csv:2: column 'value': value must be >= 0 ('-5')"),
        ("contracts: then the interval", "contracts.csv", con + "1,2024-01-01,2024-12-31,5,0\n",
         "contracts.csv:2: column 'interval_months': interval_months must be > 0 ('0')"),
        # an absent interval_months column is 12 months; an empty cell is an error
        ("contracts: empty interval cell", "contracts.csv", con + "1,2024-01-01,2024-12-31,5,\n",
         "contracts.csv:2: column 'interval_months': empty; an integer is required ('')"),
        # usage: each column is checked as it is read, so -1 in licensed_seats
        # is reported before 'x' in activated_seats, and the other way round
        ("usage: a range fault in column order", "usage.csv", use + "1,2024-03,-1,x\n",
         "usage.csv:2: column 'licensed_seats': must be >= 0 ('-1')"),
        ("usage: a parse fault in column order", "usage.csv", use + "1,2024-03,x,-1\n",
         "usage.csv:2: column 'licensed_seats': not a number ('x')"),
        ("nps: score below 0", "nps.csv", nps + "1,2024-01-05,-1\n",
         "nps.csv:2: column 'score': NPS score must be 0..10 ('-1')"),
        ("nps: a fractional score", "nps.csv", nps + "1,2024-01-05,2.5\n",
         "nps.csv:2: column 'score': not an integer ('2.5')"),
        ("spend: negative", "spend.csv", "month,channel,spend\n2024-01,direct,-1\n",
         "spend.csv:2: column 'spend': spend must be >= 0 ('-1')"),
        ("accounts: a duplicate id", "accounts.csv", "account_id,segment\n1,a\n2,b\n1,c\n",
         "accounts.csv:4: account_id '1' appears twice (first on line 2)"),
        # ids are labels (any text, test_inputs.py); a blank one is no id
        ("a blank id", "mrr.csv", mrr + " ,2024-01,5\n",
         "mrr.csv:2: column 'customer_id': empty; an id is required ('')"),
        ("a number too long", "mrr.csv", mrr + "1,2024-01," + "1" * 200 + "\n",
         "mrr.csv:2: column 'mrr': not a number (too long)"),
        ("an infinite number", "mrr.csv", mrr + "1,2024-01,inf\n",
         "mrr.csv:2: column 'mrr': not a finite number ('inf')"),
    ]
    for what, name, text, want in cases:
        rc, _, err = run("report", company({name: text}))
        check(what, rc == 65 and want in err, err)

    # blank optional cells are not errors: signup_month (none), usage
    # columns (missing values); surrounding spaces are trimmed
    rc, _, err = run("report", company({"mrr.csv": mrr + " 1 ,2024-01, 100 \n",
                                        "accounts.csv": "account_id,signup_month,segment\n1,,\n",
                                        "usage.csv": use + "1,2024-01,,\n"}))
    check("blank optional cells read", rc == 0, err)

    # --skip-bad-rows counts every bad row of every file: the two bad
    # contracts (end before start; value < 0), one usage row (-1 seats) and
    # one NPS row (score 11) = 4
    rc, out, err = run("report", company({
        "mrr.csv": TINY,
        "contracts.csv": con + "1,2024-01-01,2023-01-01,5,12\n1,2024-01-01,2024-12-31,-1,12\n"
                               "1,2024-01-01,2024-12-31,100,12\n",
        "usage.csv": use + "1,2024-02,-1,1\n1,2024-01,2,1\n",
        "nps.csv": nps + "1,2024-01-05,11\n2,2024-01-06,9\n"}),
        "--skip-bad-rows", "--format", "json")
    notes = json.loads(out)["notes"] if rc == 0 else []
    check("--skip-bad-rows counts the rows of every file",
          "4 bad row(s) skipped (--skip-bad-rows)" in notes, err + str(notes))


def test_missing_files_noted():
    d = company({"mrr.csv": TINY})
    rc, out, err = run("report", d, "--format", "json")
    check("report with only mrr.csv: exit 0", rc == 0, err)
    if rc == 0:
        doc = json.loads(out)
        notes = " ".join(doc["notes"])
        check("missing files are noted", "nps" in notes.lower(), notes)


def test_csv_format():
    d = company({"mrr.csv": TINY})
    rc, out, err = run("movements", d, "--format", "csv", "--months", "2")
    lines = out.splitlines()
    check("csv: header row has section column", rc == 0 and lines[0].startswith("section,month"), out)
    check("csv: rows keyed by section", any(l.startswith("movements,2024-02,") for l in lines), out)
    # every column: the detail ones too, no segment column without --by
    hdr = next(l for l in lines if l.startswith("section,month,opening_mrr")).split(",")
    check("csv: detail columns present", all(c in hdr for c in ["adjustment", "opening_customers",
                                                                 "arr", "flags"]), str(hdr))
    check("csv: no segment column", not any(c.startswith("segment") for c in hdr), str(hdr))
    feb = next(l for l in lines if l.startswith("movements,2024-02,")).split(",")
    check("csv: Feb arr 1800", float(feb[hdr.index("arr")]) == 1800, str(feb))

# A subscription export by hand (docs/cli.md, "Subscription exports"):
#   s1 cust 1: 1000/year x 3 seats, 20% off, from 2024-01-15, active: (3000 - 600)/12 = 200
#   s2 cust 2: 50/month, trial to 2024-02-20: 50 from Feb (Jan in trial)
#   s3 cust 3: 80/month from 2024-01-01, canceled 2024-03-15: Jan, Feb 80; not at Mar's end
#   s4 cust 4: 100 EUR/month from 2024-01-05: x 1.10, 1.20, 1.25, 1.00 in Jan..Apr
#   until 2024-04: Jan 200 + 80 + 110 = 390; Feb 200 + 50 + 80 + 120 = 450;
#                  Mar 200 + 50 + 125 = 375; Apr 200 + 50 + 100 = 350
SUBS = ("subscription_id,customer_id,status,amount,currency,interval,interval_count,quantity,"
        "discount_percent,discount_amount,trial_end,start_date,canceled_at,ended_at\n"
        "s1,1,active,1000,USD,year,1,3,20,,,2024-01-15,,\n"
        "s2,2,trialing,50,usd,month,1,1,,,2024-02-20,2024-01-10,,\n"
        "s3,3,canceled,80,USD,month,,,,,,2024-01-01,2024-03-15,\n"
        "s4,4,active,100,EUR,Month,1,1,,,,2024-01-05T09:30:00Z,,\n")
RATES = "month,currency,rate\n2024-01,EUR,1.10\n2024-02,EUR,1.20\n2024-03,EUR,1.25\n2024-04,EUR,1.00\n"


def read_mrr(path):
    out = {}
    with open(path) as f:
        next(f)
        for line in f:
            c, m, v = line.strip().split(",")
            out[(int(c), m)] = float(v)
    return out


def test_import_subscriptions():
    d = company({"subs.csv": SUBS, "rates.csv": RATES})
    out_dir = os.path.join(d, "out")
    os.mkdir(out_dir)
    rc, _, err = run("import-subscriptions", os.path.join(d, "subs.csv"), "--out", out_dir,
                     "--rates", os.path.join(d, "rates.csv"), "--currency", "USD",
                     "--until", "2024-04")
    check("import: exit 0", rc == 0, err)
    mrr = read_mrr(os.path.join(out_dir, "mrr.csv"))
    totals = {}
    for (c, m), v in mrr.items():
        totals[m] = totals.get(m, 0) + v
    want = {"2024-01": 390, "2024-02": 450, "2024-03": 375, "2024-04": 350}
    check("import: month totals by hand", all(abs(totals.get(m, 0) - v) < 1e-9
                                              for m, v in want.items()) and len(totals) == 4,
          str(totals))
    check("import: annual 3 seats 20% off = 200", mrr[(1, "2024-01")] == 200, str(mrr))
    check("import: trial excluded", (2, "2024-01") not in mrr and mrr[(2, "2024-02")] == 50)
    check("import: canceled mid-March", (3, "2024-03") not in mrr and mrr[(3, "2024-02")] == 80)
    check("import: EUR at Feb's rate", abs(mrr[(4, "2024-02")] - 120) < 1e-9)
    with open(os.path.join(out_dir, "contracts.csv")) as f:
        con = f.read().splitlines()
    # only s1 is billed yearly: its open term 2024-01-15..2025-01-14 worth 2400 (net, whole term)
    check("import: contracts.csv is the annual term",
          con == ["customer_id,start_date,end_date,value,interval_months",
                  "1,2024-01-15,2025-01-14,2400,12"], str(con))
    # the written files are a company: report reads them
    rc, out, err = run("movements", out_dir, "--format", "json", "--months", "4")
    check("import: report reads its output", rc == 0 and section(json.loads(out), "movements")
          ["rows"][1]["closing_mrr"] == 450, err)

    # a missing rate names the currency, the month, file:line and column
    rc, _, err = run("import-subscriptions", os.path.join(d, "subs.csv"), "--out", out_dir,
                     "--rates", os.path.join(d, "rates.csv"), "--currency", "USD",
                     "--until", "2024-05")
    check("import: missing rate -> 65", rc == 65 and "subs.csv:5: column 'currency'" in err
          and "EUR in 2024-05" in err, err)
    rc, _, err = run("import-subscriptions", os.path.join(d, "subs.csv"), "--out", out_dir)
    check("import: two currencies, no rates -> 65",
          rc == 65 and "subs.csv:5" in err and "no rate table" in err, err)
    rc, _, err = run("import-subscriptions", os.path.join(d, "subs.csv"), "--out", out_dir,
                     "--rates", os.path.join(d, "rates.csv"), "--until", "2024-04")
    check("import: without --currency, USD needs a rate too",
          rc == 65 and "subs.csv:2" in err and "USD in 2024-01" in err, err)

    bad = SUBS.splitlines()
    cases = [
        (bad[3].replace("canceled", "gone"), "subs.csv:2: column 'status'", "unknown status"),
        (bad[1].replace("2024-01-15", "2024-02-30"), "subs.csv:2: column 'start_date'",
         "not a calendar date"),
        (bad[1].replace(",3,20,", ",3,120,"), "subs.csv:2: column 'discount_percent'", "0..100"),
        (bad[1].replace(",year,", ",quarter,"), "subs.csv:2: column 'interval'", "day, week"),
        (bad[1].replace(",1000,", ",-5,"), "subs.csv:2: column 'amount'", ">= 0"),
        (bad[3].replace("2024-03-15", ""), "subs.csv:2: column 'ended_at'", "needs ended_at"),
        (bad[1].replace(",,,2024-01-15,,", ",,,2024-01-15,2023-12-01,"),
         "subs.csv:2: column 'canceled_at'", "before start_day"),
    ]
    for row, where, why in cases:
        e = company({"subs.csv": bad[0] + "\n" + row + "\n"})
        rc, _, err = run("import-subscriptions", os.path.join(e, "subs.csv"), "--out", e)
        check(f"import: bad row -> 65 ({why})", rc == 65 and where in err and why in err, err)

    # --map reads a column under another name
    e = company({"subs.csv": SUBS.replace("customer_id", "Customer").replace("EUR", "USD")})
    rc, _, err = run("import-subscriptions", os.path.join(e, "subs.csv"), "--out", e,
                     "--map", "customer_id=Customer", "--until", "2024-01")
    check("import: --map", rc == 0 and read_mrr(os.path.join(e, "mrr.csv"))[(4, "2024-01")] == 100,
          err)
    rc, _, err = run("import-subscriptions", os.path.join(e, "subs.csv"), "--out", e)
    check("import: missing required column -> 65 with the --map hint",
          rc == 65 and "missing required column 'customer_id'" in err, err)
    # string customer ids (billing systems' "cus_..."): through the key
    # dictionary, written back as the user's labels (CSV-quoted when needed)
    e = company({"subs.csv": SUBS.replace("s1,1,", 's1,"cus_A,1",').replace("s2,2,", "s2,cus_B,")
                 .replace("EUR", "USD")})
    rc, _, err = run("import-subscriptions", os.path.join(e, "subs.csv"), "--out", e,
                     "--until", "2024-02")
    with open(os.path.join(e, "mrr.csv")) as f:
        lines = f.read().splitlines()
    # Feb: cus_A 200, cus_B 50, 3 80, 4 100 (one currency, no conversion)
    check("import: string customer ids come back as labels",
          rc == 0 and '"cus_A,1",2024-02,200' in lines and "cus_B,2024-02,50" in lines
          and "3,2024-02,80" in lines, err + str(lines))
    with open(os.path.join(e, "contracts.csv")) as f:
        check("import: contracts.csv with the label",
              '"cus_A,1",2024-01-15,2025-01-14,2400,12' in f.read().splitlines())
    e = company({"subs.csv": SUBS.replace("s2,2,", "s2,,")})
    rc, _, err = run("import-subscriptions", os.path.join(e, "subs.csv"), "--out", e)
    check("import: an empty customer id -> 65", rc == 65 and "subs.csv:3: column 'customer_id'"
          in err, err)
    rc, _, err = run("import-subscriptions", os.path.join(d, "subs.csv"))
    check("import: no --out -> 64", rc == 64 and "--out" in err, err)
    rc, _, err = run("import-subscriptions", os.path.join(d, "nope.csv"), "--out", d)
    check("import: missing FILE -> 66", rc == 66 and "nope.csv" in err, err)
    rc, _, err = run("import-subscriptions", os.path.join(d, "subs.csv"), "--out",
                     os.path.join(d, "nodir"))
    check("import: --out not a directory -> 66", rc == 66, err)
    rc, out, _ = run("help", "import-subscriptions")
    check("import: help", rc == 0 and "--rates FILE" in out)


def test_report_reads_subscriptions():
    # subscriptions.csv in DIR and no mrr.csv: the same figures as the import;
    # rates.csv in DIR lists the reporting currency too
    d = company({"subscriptions.csv": SUBS, "rates.csv": RATES + "".join(
        f"2024-0{m},USD,1\n" for m in range(1, 5))})
    rc, out, err = run("movements", d, "--format", "json", "--months", "4")
    check("report subscriptions.csv: exit 0", rc == 0, err)
    doc = json.loads(out)
    # until by default: the export's latest date, canceled_at 2024-03-15 -> March
    check("report subscriptions.csv: as_of March", doc["as_of"] == "2024-03", out[:200])
    rows = section(doc, "movements")["rows"]
    check("report subscriptions.csv: closing MRR 390, 450, 375",
          [r["closing_mrr"] for r in rows][-3:] == [390, 450, 375], str(rows))
    # mrr.csv wins when both are there
    d2 = company({"subscriptions.csv": SUBS, "mrr.csv": TINY})
    rc, out, err = run("movements", d2, "--format", "json")
    check("report: mrr.csv before subscriptions.csv", rc == 0 and json.loads(out)["as_of"] ==
          "2024-02", err)
    d3 = company({"subscriptions.csv": SUBS.replace("s4,4,active,100,EUR", "s4,4,active,100,XX")})
    rc, _, err = run("report", d3)
    check("report: a bad subscriptions.csv row -> 65 with file:line",
          rc == 65 and "subscriptions.csv:5: column 'currency'" in err, err)
    # string customer ids in subscriptions.csv are labels in the report, and the
    # customer of accounts.csv with the same label is the same customer (plan by hand:
    # cus_A 100/month from Jan is "pro", cus_B 1200/year from Feb is "basic": 100 a month)
    d4 = company({"subscriptions.csv":
                  "subscription_id,customer_id,status,amount,interval,start_date\n"
                  "s1,cus_A,active,100,month,2024-01-05\n"
                  "s2,cus_B,active,1200,year,2024-02-01\n",
                  "accounts.csv": "account_id,plan\ncus_A,pro\ncus_B,basic\n"})
    rc, out, err = run("movements", d4, "--detail", "--by", "plan", "--format", "json")
    ev = section(json.loads(out), "movement_events")["rows"] if rc == 0 else []
    check("report subscriptions.csv: string ids are labels",
          [(r["month"], r["customer_id"], r["kind"], r["amount"]) for r in ev] ==
          [("2024-01", "cus_A", "new", 100), ("2024-02", "cus_B", "new", 100)], err + str(ev))
    byp = section(json.loads(out), "movements_by")["rows"] if rc == 0 else []
    check("report subscriptions.csv: accounts.csv joins by label",
          sorted((r["plan"], r["closing_mrr"]) for r in byp if r["month"] == "2024-02") ==
          [("basic", 100), ("pro", 100)], str(byp))


def import_to(files, *args):
    """Import subs.csv of a new company (files) into its out/: (rc, err, out dir)."""
    d = company(files)
    out_dir = os.path.join(d, "out")
    os.mkdir(out_dir)
    rc, _, err = run("import-subscriptions", os.path.join(d, "subs.csv"), "--out", out_dir,
                     *args)
    return rc, err, out_dir


def read_lines(path):
    with open(path) as f:
        return f.read().splitlines()


def test_import_kind_and_tax():
    # kind and tax are read (optional columns): by hand, customer 1 pays 120 a
    # month of which 20 is tax (MRR 100) and a one-time fee of 500 with a blank
    # interval (no MRR; it was read as 500 a month); customer 2 pays 60 a month
    # and 30 of metered usage (no MRR): 2024-01 and 02 MRR 100 and 60
    subs = ("subscription_id,customer_id,kind,amount,interval,tax,start_date\n"
            "s1,1,recurring,120,month,20,2024-01-01\n"
            "s2,1,one_time,500,,,2024-01-01\n"
            "s3,2,metered,30,month,,2024-01-01\n"
            "s4,2,,60,month,,2024-01-01\n"
            "s5,2,licensed,0,month,,2024-02-01\n")
    rc, err, out_dir = import_to({"subs.csv": subs})
    mrr = read_mrr(os.path.join(out_dir, "mrr.csv")) if rc == 0 else {}
    check("import kind/tax: one-time and metered excluded, tax excluded",
          mrr == {(1, "2024-01"): 100, (2, "2024-01"): 60, (1, "2024-02"): 100,
                  (2, "2024-02"): 60}, err + str(mrr))
    # report reads subscriptions.csv the same way: closing MRR 160 in both months
    d = company({"subscriptions.csv": subs})
    rc, out, err = run("movements", d, "--format", "json", "--months", "2")
    rows = section(json.loads(out), "movements")["rows"] if rc == 0 else []
    check("report subscriptions.csv: kind and tax read",
          [r["closing_mrr"] for r in rows] == [160, 160], err + str(rows))
    # an unknown kind names file:line and column
    rc, err, _ = import_to({"subs.csv": subs.replace("metered", "setup")})
    check("import: unknown kind -> 65", rc == 65 and "subs.csv:4: column 'kind'" in err
          and "recurring, one_time or metered" in err, err)
    rc, err, _ = import_to({"subs.csv": subs.replace(",20,", ",-1,")})
    check("import: negative tax -> 65", rc == 65 and "subs.csv:2: column 'tax'" in err, err)
    # only one-time charges: no MRR, and the note names subscriptions.csv
    d = company({"subscriptions.csv": "customer_id,kind,amount,start_date\n"
                 "1,one_time,500,2024-01-01\n"})
    rc, _, err = run("movements", d)
    check("report: subscriptions.csv without MRR is named", rc == 65 and
          f"subscriptions.csv in {d} has no customer with MRR" in err and "mrr.csv" not in err,
          f"{rc} {err}")


def test_import_round_trip():
    # 100 every 3 months is an MRR of 100/3 = 33.333333333333336 (repr), which
    # %.15g wrote as 33.3333333333333; an annual term of 33.333333333333336 is
    # worth that: the files hold the doubles exactly, so the report of the
    # import and that of subscriptions.csv read directly are equal, bit for bit
    subs = ("subscription_id,customer_id,amount,interval,interval_count,start_date,ended_at\n"
            "s1,1,100,month,3,2023-12-01,\n"
            "s2,2,33.333333333333336,year,1,2023-03-01,\n"
            "s3,3,10,month,1,2023-03-01,2024-02-20\n")
    rc, err, out_dir = import_to({"subs.csv": subs})
    check("import round trip: exit 0", rc == 0, err)
    mrr = read_lines(os.path.join(out_dir, "mrr.csv"))
    cell = {tuple(line.split(",")[:2]): float(line.split(",")[2]) for line in mrr[1:]}
    check("import: MRR 100/3 round-trips", cell.get(("1", "2024-02")) == 100 / 3, str(mrr))
    check("import: an annual 100/3 is 100/3/12 a month",
          cell.get(("2", "2024-02")) == (100 / 3) / 12, str(mrr))
    con = read_lines(os.path.join(out_dir, "contracts.csv"))
    check("import: contract value 100/3 round-trips",
          "2,2023-03-01,2024-02-29,33.333333333333336,12" in con, str(con))
    check("import: whole numbers stay short", "3,2024-01,10" in mrr, str(mrr))
    direct = company({"subscriptions.csv": subs})
    ra = run("report", out_dir, "--format", "json")
    rb = run("report", direct, "--format", "json")
    keys = ("movements", "renewals")
    check("import = subscriptions.csv read directly, exactly",
          ra[0] == 0 and rb[0] == 0 and all(
              section(json.loads(ra[1]), k) == section(json.loads(rb[1]), k) for k in keys),
          ra[2] + rb[2])


def test_import_terminated_term():
    # an annual term whose service stopped mid-term (customer 1 canceled at
    # once on 2024-07-01) stays due on its natural end, 2024-12-31, worth its
    # whole 1200: not due in July when the service stopped; customer 2 (monthly,
    # to 2024-07) sets the export's month
    subs = ("subscription_id,customer_id,status,amount,interval,start_date,ended_at\n"
            "s1,1,canceled,1200,year,2024-01-01,2024-07-01\n"
            "s2,2,active,50,month,2024-01-01,\n"
            "s3,2,active,50,month,2024-07-10,\n")
    rc, err, out_dir = import_to({"subs.csv": subs})
    con = read_lines(os.path.join(out_dir, "contracts.csv")) if rc == 0 else []
    check("import: a term cut short keeps its natural end and value",
          con[1:] == ["1,2024-01-01,2024-12-31,1200,12"], err + str(con))
    mrr = read_mrr(os.path.join(out_dir, "mrr.csv")) if rc == 0 else {}
    # its MRR stops with the service: 100 through June, none in July
    check("import: the MRR stops when service stops",
          mrr.get((1, "2024-06")) == 100 and (1, "2024-07") not in mrr, str(mrr))
    # the report of the export (review month 2024-07: the quarter May..July)
    # has no renewal due: 0 due (it was 1, pending, at 2024-06-30)
    d = company({"subscriptions.csv": subs})
    rc, out, err = run("renewals", d, "--format", "json")
    rows = section(json.loads(out), "renewals")["rows"] if rc == 0 else []
    check("report: a terminated annual term is not due when it stopped",
          rc == 0 and rows and rows[0]["due"] == 0, err + str(rows))
    # at its natural end (the imported contracts.csv, --as-of 2024-12: the
    # quarter Oct..Dec) it is due, 1200, and, customer 1 having no later
    # contract, not renewed: pending (its 90 days of grace run past 2024-12-31)
    e = company({"contracts.csv": "\n".join(con) + "\n"})
    rc, out, err = run("renewals", e, "--format", "json", "--as-of", "2024-12")
    rows = section(json.loads(out), "renewals")["rows"] if rc == 0 else []
    check("report: a terminated annual term is due at its natural end",
          rows and (rows[0]["due"], rows[0]["pending"], rows[0]["due_value"]) == (1, 1, 1200),
          err + str(rows))


def test_messages_name_the_files():
    # the MRR rows of subscriptions.csv: the notes and errors name it, not mrr.csv.
    # Eleven customers monthly until 2024-03-01 (in service through February)
    # and one from 2024-03-01: the review month 2024-03 has 1 customer against
    # 11 in February (1 x 10 < 11), a stray month
    subs = "customer_id,amount,start_date,ended_at\n" + "".join(
        f"{i},10,2024-01-01,2024-03-01\n" for i in range(1, 12)) + "12,10,2024-03-01,\n"
    d = company({"subscriptions.csv": subs})
    rc, out, err = run("movements", d, "--format", "json")
    notes = " ".join(json.loads(out)["notes"]) if rc == 0 else ""
    check("stray month note names subscriptions.csv",
          "the review month 2024-03 (subscriptions.csv's last) has 1 customer(s)" in notes,
          err + notes)
    rc, _, err = run("movements", d, "--as-of", "2030-01")
    check("--as-of outside names subscriptions.csv", rc == 64 and
          "--as-of 2030-01 is outside the months of subscriptions.csv" in err, err)
    # a library error on contracts.csv names the file's column: the library's
    # "amount" is contracts.csv's "value" (1e308 alone sums beyond 1e300: row 0)
    d = company({"contracts.csv": "customer_id,start_date,end_date,value\n"
                 "1,2024-01-01,2024-12-31,1e308\n"})
    rc, _, err = run("renewals", d)
    check("contracts.csv error names column 'value'", rc == 65 and
          "contracts.csv:2: column 'value': " in err and "'amount'" not in err, err)
    # spend.csv: the library's "spend" is the file's "spend"
    d = company({"mrr.csv": TINY, "spend.csv": "month,spend\n2024-01,1e308\n"})
    rc, _, err = run("ltv", d)
    check("spend.csv error names column 'spend'", rc == 65 and
          "spend.csv:2: column 'spend': " in err, err)


def test_demo_subscriptions():
    # the demo's subscription export reproduces its mrr.csv exactly, month by month
    demo = os.path.join(ROOT, "examples", "data", "demo")
    d = tempfile.mkdtemp(prefix="csm-cli-")
    rc, _, err = run("import-subscriptions", os.path.join(demo, "subscriptions.csv"), "--out", d)
    check("demo import: exit 0", rc == 0, err)
    got = read_mrr(os.path.join(d, "mrr.csv"))
    want = read_mrr(os.path.join(demo, "mrr.csv"))
    check("demo import: the same customer-months", set(got) == set(want),
          str(len(got)) + " vs " + str(len(want)))
    diff = [k for k in want if abs(got.get(k, 0) - want[k]) > 1e-9]
    check("demo import: the same MRR in every customer-month", not diff, str(diff[:5]))
    tot = lambda m: {mm: round(sum(v for (c, x), v in m.items() if x == mm), 2) for (_, mm) in m}
    check("demo import: the same month totals to the cent", tot(got) == tot(want))
    # report straight from subscriptions.csv: the same movements as from mrr.csv
    a = company({"subscriptions.csv": open(os.path.join(demo, "subscriptions.csv")).read()})
    b = company({"mrr.csv": open(os.path.join(demo, "mrr.csv")).read()})
    ra = run("movements", a, "--format", "json", "--months", "36")
    rb = run("movements", b, "--format", "json", "--months", "36")
    # (an annual item's MRR is amount / 12, which may differ from mrr.csv's
    # cents in the last bits: equal to 1e-12 relative)
    def same(x, y):
        if isinstance(x, float) or isinstance(y, float):
            return x is not None and y is not None and abs(x - y) <= 1e-12 * max(1, abs(y))
        if isinstance(x, dict):
            return x.keys() == y.keys() and all(same(x[k], y[k]) for k in x)
        if isinstance(x, list):
            return len(x) == len(y) and all(same(p, q) for p, q in zip(x, y))
        return x == y
    check("demo report from subscriptions.csv = from mrr.csv",
          ra[0] == 0 and rb[0] == 0 and same(section(json.loads(ra[1]), "movements"),
                                             section(json.loads(rb[1]), "movements")),
          ra[2] + rb[2])


# churn risk: 40 accounts active from 2024-01 to month last_i (index 0 =
# 2024-01; at most 10 = 2024-11, the review month), login rate u_i / 10
# (u_i = 1 + 7i mod 9), last_i = min(10, u_i + i mod 4): low login rates churn
# early.  Every other model feature is constant (licensed = activated = 10,
# 5 of 10 features, dau/mau 2/10, no tickets, MRR 100, no accounts.csv).
# Rows: months t = 0..7 (ending 3 months before 2024-11), accounts with t <=
# last_i, churned = last_i < t + 3.  Expected values: scikit-learn's
# LogisticRegression (C = 1 / l2 = 1 on the standardized login rate) and
# metrics, an implementation independent of the library's.
def churn_company():
    mrr = ["customer_id,month,mrr"]
    use = ["account_id,month,licensed_seats,activated_seats,active_users,sessions,minutes,"
           "features_used,features_available,dau,mau,support_tickets,open_p1_tickets,"
           "key_contact_left"]
    accounts = []
    for i in range(1, 41):
        u = 1 + (i * 7) % 9
        last = min(10, u + i % 4)
        accounts.append((i, u, last))
        for t in range(last + 1):
            mrr.append(f"{i},2024-{t + 1:02d},100")
            use.append(f"{i},2024-{t + 1:02d},10,10,{u},20,100,5,10,2,10,0,0,0")
    return "\n".join(mrr) + "\n", "\n".join(use) + "\n", accounts


def test_churn_risk():
    import numpy as np
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import brier_score_loss, log_loss, roc_auc_score
    mrr, use, accounts = churn_company()
    d = company({"mrr.csv": mrr, "usage.csv": use})
    rc, out, err = run("churn", d, "--format", "json")
    check("churn: exit 0", rc == 0, err)
    doc = json.loads(out)
    check("churn: sections", [s["key"] for s in doc["sections"]] ==
          ["churn_validation", "churn_calibration", "churn_health_auc", "churn_model",
           "churn_at_risk"], str([s["key"] for s in doc["sections"]]))
    rows = [(t, u / 10, int(last < t + 3)) for t in range(8) for _, u, last in accounts
            if t <= last]
    x = np.array([[r[1]] for r in rows])
    y = np.array([r[2] for r in rows])
    train = np.array([r[0] <= 4 for r in rows])

    def sk(xs, ys):
        import warnings
        mu, sd = xs.mean(), xs.std()
        with warnings.catch_warnings():  # a line search stopped by rounding at this tol
            warnings.simplefilter("ignore")
            lr = LogisticRegression(C=1.0, solver="newton-cg", tol=1e-10).fit((xs - mu) / sd, ys)
        return lr, mu, sd

    lr, mu, sd = sk(x, y)
    model = {r["term"]: r for r in section(doc, "churn_model")["rows"]}
    check("churn: login_rate coefficient = sklearn's",
          abs(model["login_rate"]["coefficient"] - lr.coef_[0][0]) < 1e-6,
          f"{model['login_rate']['coefficient']} vs {lr.coef_[0][0]}")
    check("churn: intercept = sklearn's",
          abs(model["(intercept)"]["coefficient"] - lr.intercept_[0]) < 1e-6,
          f"{model['(intercept)']['coefficient']} vs {lr.intercept_[0]}")
    check("churn: constant features left out",
          model["stickiness"]["coefficient"] == 0 and model["stickiness"]["std_error"] is None,
          str(model["stickiness"]))
    lt, mut, sdt = sk(x[train], y[train])
    p = lt.predict_proba((x[~train] - mut) / sdt)[:, 1]
    v = section(doc, "churn_validation")["rows"][0]
    check("churn: holdout rows", v["n"] == int((~train).sum()) and v["events"] == int(y[~train].sum()),
          str(v))
    check("churn: holdout AUC = sklearn's", abs(v["auc"] - roc_auc_score(y[~train], p)) < 1e-9,
          f"{v['auc']} vs {roc_auc_score(y[~train], p)}")
    check("churn: holdout Brier = sklearn's", abs(v["brier"] - brier_score_loss(y[~train], p)) < 1e-6)
    check("churn: holdout log loss = sklearn's", abs(v["log_loss"] - log_loss(y[~train], p)) < 1e-6)
    cal = section(doc, "churn_calibration")["rows"]
    check("churn: calibration bins cover the holdout", sum(r["n"] for r in cal) == v["n"] and
          sum(r["events"] for r in cal) == v["events"])
    # at risk in 2024-11: the accounts still active (last = 10), by probability
    risk = section(doc, "churn_at_risk")["rows"]
    active = [(i, u) for i, u, last in accounts if last == 10]
    want = {str(i): lr.predict_proba([[(u / 10 - mu) / sd]])[0, 1] for i, u in active}
    check("churn: at most 10 at-risk rows, probabilities descending",
          len(risk) == min(10, len(active)) and
          all(a["probability"] >= b["probability"] for a, b in zip(risk, risk[1:])), str(risk))
    check("churn: at-risk probabilities = sklearn's",
          all(abs(r["probability"] - want[r["account_id"]]) < 1e-6 for r in risk), str(risk))
    # too few months: skipped with a note
    d2 = company({"mrr.csv": TINY, "usage.csv": use.split("\n")[0] + "\n1,2024-01,10,10,5,20,100,5,10,2,10,0,0,0\n"})
    rc, out, err = run("churn", d2, "--format", "json")
    check("churn: too few months: nothing to report, the reason said",
          rc in (65, 66) and "nothing to report" in err and "the model needs more than 3" in err,
          out + err)
    # in the report the other sections stay, the churn section is a note
    rc, out, err = run("report", d2, "--format", "json")
    check("churn: too few months noted in the report",
          rc == 0 and "churn risk skipped" in out, out + err)


def test_churn_propose_scorecard():
    # churn_company with support tickets varying (i * 5 % 4 a month): login_rate and
    # support_tickets get coefficients, the other measures' inputs are constant ("kept").
    # Expected shares: the rule of csm_churn_proposal_compute written out here on the
    # built-in scorecard (`csmetrics scorecard`) and the model's coefficients (the table
    # churn_model, checked against scikit-learn in test_churn_risk).
    mrr, use, accounts = churn_company()
    lines = use.split("\n")
    for k in range(1, len(lines)):
        if lines[k]:
            f = lines[k].split(",")
            f[11] = str(int(f[0]) * 5 % 4)
            lines[k] = ",".join(f)
    d = company({"mrr.csv": mrr, "usage.csv": "\n".join(lines)})
    path = os.path.join(d, "proposed.json")
    rc, out, err = run("churn", d, "--format", "json", "--propose-scorecard", path)
    check("propose: exit 0", rc == 0, err)
    if rc != 0:
        return
    doc = json.loads(out)
    coef = {r["term"]: r["coefficient"] for r in section(doc, "churn_model")["rows"]}
    rows = {r["measure_name"]: r for r in section(doc, "churn_proposal")["rows"]}
    rc, spec_text, err = run("scorecard")
    spec = json.loads(spec_text)
    gsum = sum(g["weight"] for g in spec["groups"])
    want = {}
    for g in spec["groups"]:
        wsum = sum(m["weight"] for m in g["measures"])
        for m in g["measures"]:
            t = m["transform"]
            if t["type"] == "piecewise":
                dirn = (t["points"][-1][1] > t["points"][0][1]) - (t["points"][-1][1] < t["points"][0][1])
            else:
                dirn = 1 if m["direction"] == "higher" else -1
            bd = coef[m["name"]] * dirn
            want[m["name"]] = ["model" if bd < 0 else "conflict" if bd > 0 else "kept",
                               g["weight"] / gsum * m["weight"] / wsum, coef[m["name"]]]
    matched = sum(w[1] for w in want.values() if w[0] != "kept")
    abs_sum = sum(abs(w[2]) for w in want.values() if w[0] == "model")
    for w in want.values():
        w.append(w[1] if w[0] == "kept" else matched * abs(w[2]) / abs_sum if w[0] == "model" else 0)
    total = sum(w[3] for w in want.values())
    check("propose: login_rate and support_tickets from the model, the rest kept",
          {k: w[0] for k, w in want.items()} == {k: r["basis"] for k, r in rows.items()} and
          rows["login_rate"]["basis"] in ("model", "conflict") and
          rows["stickiness"]["basis"] == "kept", str(rows))
    check("propose: shares by the rule",
          all(abs(rows[k]["proposed_share"] - w[3] / total) < 1e-12 and
              abs(rows[k]["current_share"] - w[1]) < 1e-12 for k, w in want.items()), str(rows))
    check("propose: feature names", rows["login_rate"]["feature"] == "login_rate", str(rows))
    with open(path) as f:
        text = f.read()
    new = json.loads(text)
    nsum = sum(g["weight"] for g in new["groups"])
    got = {m["name"]: (g["weight"] / nsum * m["weight"] / sum(x["weight"] for x in g["measures"])
                       if g["weight"] else 0.0)
           for g in new["groups"] for m in g["measures"]}
    check("propose: the written spec has the proposed shares",
          all(abs(got[k] - w[3] / total) < 1e-12 for k, w in want.items()), text)
    check("propose: overrides and bands kept", new["overrides"] == spec["overrides"] and
          new["bands"] == spec["bands"], text)
    # loaded back: the scorecard subcommand prints it unchanged, the health section scores
    rc, out, err = run("scorecard", "--scorecard", path)
    check("propose: loads back as the same spec", rc == 0 and out == text, out + err)
    rc, out, err = run("health", d, "--format", "json", "--scorecard", path)
    bands = section(json.loads(out), "health_bands")["rows"] if rc == 0 else []
    check("propose: health scores with it", rc == 0 and sum(b["accounts"] for b in bands) > 0,
          out + err)
    rc, out, err = run("churn", d, "--propose-scorecard", os.path.join(d, "no", "such", "x.json"))
    check("propose: an uncreatable FILE exits 73", rc == 73 and "cannot write" in err, err)



# Drill-down, by hand (DRILL: c1 100 -> 150 -> gone; c2 50 -> gone -> 60; c3 new 30 in Feb,
# gone in Mar; review month 2024-03):
#   Jan: new c1 100, new c2 50
#   Feb: expansion c1 50 (100 -> 150), churn c2 50 (50 -> 0), new c3 30
#   Mar: churn c1 150, reactivation c2 60, churn c3 30
# Movements: Feb new 30, expansion 50, churn 50; Mar reactivation 60, churn 180.
DRILL = ("customer_id,month,mrr\n1,2024-01,100\n2,2024-01,50\n1,2024-02,150\n"
         "3,2024-02,30\n2,2024-03,60\n")
DRILL_ACCOUNTS = "account_id,plan\n1,pro\n2,basic\n3,basic\n"


def test_movements_detail():
    d = company({"mrr.csv": DRILL, "accounts.csv": DRILL_ACCOUNTS})
    rc, out, err = run("movements", d, "--detail", "--months", "2", "--format", "json")
    check("detail: exit 0", rc == 0, err)
    if rc != 0:
        return
    doc = json.loads(out)
    sec = section(doc, "movement_events")
    cols = columns(sec)
    check("detail: columns (no segment without --by)",
          list(cols) == ["month", "customer_id", "kind", "kind_code", "amount", "mrr_before",
                         "mrr_after"], str(list(cols)))
    # ids are written as text (as every id column of the CLI), ready for labels
    check("detail: roles", cols["customer_id"]["role"] == "key" and
          cols["kind"]["role"] == "key" and cols["kind_code"]["role"] == "detail" and
          cols["amount"]["type"] == "money", str(cols))
    got = [(r["month"], r["customer_id"], r["kind"], r["amount"], r["mrr_before"], r["mrr_after"])
           for r in sec["rows"]]
    want = [("2024-02", "1", "expansion", 50, 100, 150), ("2024-02", "2", "churn", 50, 50, 0),
            ("2024-02", "3", "new", 30, 0, 30), ("2024-03", "1", "churn", 150, 150, 0),
            ("2024-03", "2", "reactivation", 60, 0, 60), ("2024-03", "3", "churn", 30, 30, 0)]
    check("detail: the events of the months shown, by hand", got == want, str(got))
    # each movements row is the sum of its events
    for row in section(doc, "movements")["rows"]:
        for kind in ("new", "reactivation", "expansion", "contraction", "churn"):
            total = sum(r["amount"] for r in sec["rows"]
                        if r["month"] == row["month"] and r["kind"] == kind)
            check(f"detail: {row['month']} {kind} = the sum of its events",
                  abs(total - row[kind]) < 1e-9, f"{total} vs {row[kind]}")
    rc, out, err = run("movements", d, "--detail", "--months", "2")
    h = text_header(out, "Movement events (the customers behind each movement)")
    check("detail text: key and main columns",
          h == ["month", "customer_id", "kind", "amount", "mrr_before", "mrr_after"], str(h))
    rc, out, err = run("movements", d, "--detail", "--months", "1", "--format", "csv")
    check("detail csv: a row per event",
          "movement_events,2024-03,2,reactivation,2,60,0,60" in out.splitlines(), out)
    # --by plan: the events again, their segment labelled as the plan
    rc, out, err = run("movements", d, "--detail", "--months", "1", "--by", "plan",
                       "--format", "json")
    sec = section(json.loads(out), "movement_events_by")
    got = [(r["customer_id"], r["kind"], r["plan"]) for r in sec["rows"]]
    check("detail by plan: labelled", got == [("1", "churn", "pro"),
                                              ("2", "reactivation", "basic"),
                                              ("3", "churn", "basic")], str(got))
    # without --detail: no events
    rc, out, err = run("movements", d, "--format", "json")
    check("no --detail: no events",
          all(s["key"] != "movement_events" for s in json.loads(out)["sections"]))


def test_retention_detail():
    # window 2 ending 2024-03 (start 2024-01): base c1 100 and c2 50 (c3 came later)
    #   c1 100 -> 0: churned; c2 50 -> 60 (a reactivation in Mar): expanded
    #   base MRR 150; GRR numerator min(0,100) + min(60,50) = 50; NRR numerator 60; logo 1/2
    d = company({"mrr.csv": DRILL})
    rc, out, err = run("retention", d, "--detail", "--window", "2", "--format", "json")
    check("retention detail: exit 0", rc == 0, err)
    if rc != 0:
        return
    doc = json.loads(out)
    sec = section(doc, "retention_customers")
    got = [(r["end_month"], r["customer_id"], r["outcome"], r["base_mrr"], r["end_mrr"],
            r["retained_mrr"], r["net_retained_mrr"], r["reactivation_mrr"], r["retained"])
           for r in sec["rows"]]
    check("retention detail: by hand",
          got == [("2024-03", "1", "churned", 100, 0, 0, 0, 0, False),
                  ("2024-03", "2", "expanded", 50, 60, 50, 60, 60, True)], str(got))
    row = section(doc, "retention")["rows"][-1]
    check("retention detail: sums to the window's row",
          row["end_month"] == "2024-03" and row["base_mrr"] == 150 and
          near(row["grr"], 50 / 150) and near(row["nrr"], 60 / 150) and
          row["retained_customers"] == 1, str(row))
    rc, out, err = run("retention", d, "--detail", "--window", "2")
    h = text_header(out, "Customers of the 2-month retention window ending 2024-03")
    check("retention detail text: columns",
          h == ["end_month", "customer_id", "outcome", "base_mrr", "end_mrr"], str(h))


def test_cohorts_mrr():
    # COH_MRR by MRR (review month 2024-02):
    #   2023-02 (c6 10): m0 100%, m1..m11 0, m12 10/10 = 100%
    #   2024-01 (c1 100, c2 50 = 150): m1 = c1's 150 / 150 = 100% although c2 left
    #   2024-02 (c7 20): m0 100%
    d = company({"mrr.csv": COH_MRR})
    rc, out, err = run("cohorts", d, "--mrr", "--format", "json")
    check("cohorts mrr: exit 0", rc == 0, err)
    if rc != 0:
        return
    doc = json.loads(out)
    check("cohorts mrr: the MRR triangle alone", [s["key"] for s in doc["sections"]] ==
          ["cohorts_mrr"], str([s["key"] for s in doc["sections"]]))
    rows = {r["cohort"]: r for r in section(doc, "cohorts_mrr")["rows"]}
    check("cohorts mrr: cohorts", list(rows) == ["2023-02", "2024-01", "2024-02"], str(list(rows)))
    if list(rows) == ["2023-02", "2024-01", "2024-02"]:
        a, b, c = rows["2023-02"], rows["2024-01"], rows["2024-02"]
        check("cohorts mrr: 2023-02", a["m0"] == 1 and a["m12"] == 1 and
              all(a[f"m{k}"] == 0 for k in range(1, 12)), str(a))
        check("cohorts mrr: 2024-01 keeps its MRR", b["size"] == 2 and b["m1"] == 1 and
              b["m2"] is None, str(b))
        check("cohorts mrr: 2024-02", c["m0"] == 1 and c["m1"] is None, str(c))
    rc, out, err = run("cohorts", d, "--mrr")
    check("cohorts mrr text: title",
          "Cohort MRR retention (share of month-0 MRR kept at each age, months)" in out, out)
    # the report has both triangles
    rc, out, err = run("report", d, "--format", "json")
    keys = [s["key"] for s in json.loads(out)["sections"]]
    check("report: logo and MRR cohorts", "cohorts" in keys and
          keys.index("cohorts_mrr") == keys.index("cohorts") + 1, str(keys))


# Intervention effects (the section "interventions", docs/cli.md): the one-measure login_rate
# scorecard (score = 100 x active users / 10 seats; bands red below 40, yellow below 70, green
# from 70), usage months 2024-01 and 2024-02, review month 2024-02, horizon 1: the changes from
# January to February.
#   acc  Jan score  band    Feb score  change   Jan MRR  Feb MRR  change  touches (type, month)
#   1    20         red     50         +30      100      120      +20     call Jan (twice: once)
#   2    30         red     40         +10      100      100      0       call Jan
#   3    10         red     10         0        100      90       -10     call Feb (no month after)
#   4    30         red     10         -20      200      210      +10     -
#   5    80         green   90         +10      300      300      0       training Jan
#   6    90         green   (no MRR: gone)      300      0        -300    -   (no score change)
#   7    70         green   80         +10      50       50       0       -
#   8    50         yellow  50         0        100      100      0       call Jan (no yellow
#                                                                          control: unmatched)
# call, one band (red): treated 1, 2, controls 3, 4 (no touch in January), Welch's test:
#   score: treated mean 20, s^2 = (10^2 + 10^2) / 1 = 200; controls mean -10, s^2 = 200;
#     diff 30, se^2 = 200/2 + 200/2 = 200, df = 200^2 / (100^2 + 100^2) = 2, t = 30 / sqrt(200);
#     Student t with 2 df: P(|T| > t) = 1 - t / sqrt(t^2 + 2) = 1 - sqrt(4.5 / 6.5) = 1 - 3/sqrt(13),
#     quantile q(p) = (2p - 1) / sqrt(2 p (1 - p)): q(0.975) = 0.95 / sqrt(0.04875), so the
#     interval is 30 -/+ q sqrt(200)
#   mrr: treated (+20, 0) mean 10, s^2 200; controls (-10, +10) mean 0, s^2 200; diff 10, se^2
#     200, df 2, t^2 = 0.5: p = 1 - sqrt(0.5 / 2.5) = 1 - 1/sqrt(5)
#   both: 2 treated, 2 controls, 1 unmatched (account 8)
# training, green: treated 5 alone; score controls 7 alone (6 has no February score): 10 vs 10,
#   diff 0; mrr controls 6 and 7: mean (-300 + 0) / 2 = -150, diff 0 - (-150) = 150; a group of
#   one change has no variance: se, p and the interval null, CSM_FLAG_DEGENERATE (0x10)
INTERVENTIONS_CO = {
    "mrr.csv": "customer_id,month,mrr\n" + "".join(
        f"{a},2024-01,{j}\n" + (f"{a},2024-02,{f}\n" if f is not None else "")
        for a, j, f in [(1, 100, 120), (2, 100, 100), (3, 100, 90), (4, 200, 210),
                        (5, 300, 300), (6, 300, None), (7, 50, 50), (8, 100, 100)]),
    "usage.csv": "account_id,month,licensed_seats,active_users\n" + "".join(
        f"{a},2024-01,10,{j}\n" + (f"{a},2024-02,10,{f}\n" if f is not None else "")
        for a, j, f in [(1, 2, 5), (2, 3, 4), (3, 1, 1), (4, 3, 1), (5, 8, 9), (6, 9, None),
                        (7, 7, 8), (8, 5, 5)]),
    "touches.csv": "customer_id,date,csm,type\n1,2024-01-05,,call\n1,2024-01-20,,call\n"
                   "2,2024-01-09,,call\n3,2024-02-10,,call\n5,2024-01-15,,training\n"
                   "8,2024-01-31,,call\n",
}


def interventions_rows(doc):
    return {(r["type"], r["measure"]): r for r in section(doc, "interventions")["rows"]}


def test_interventions():
    d = company(INTERVENTIONS_CO)
    sc = one_measure_scorecard(d, "login_rate", "higher", {"type": "linear", "min": 0, "max": 1})
    rc, out, err = run("interventions", d, "--scorecard", sc, "--format", "json", "--detail")
    check("interventions: exit 0", rc == 0, err)
    if rc:
        return
    doc = json.loads(out)
    rows = interventions_rows(doc)
    check("interventions: a row per type and measure, types by label",
          [(r["type"], r["measure"]) for r in section(doc, "interventions")["rows"]] ==
          [("call", "score"), ("call", "mrr"), ("training", "score"), ("training", "mrr")],
          str(list(rows)))
    se = math.sqrt(200)
    q = 0.95 / math.sqrt(0.04875)
    want = {("call", "score"): (2, 2, 1, 20, -10, 30, se, 2, 1 - 3 / math.sqrt(13), 0),
            ("call", "mrr"): (2, 2, 1, 10, 0, 10, se, 2, 1 - 1 / math.sqrt(5), 0)}
    for k, (nt, nc, um, tc, cc, diff, s, df, p, flags) in want.items():
        r = rows[k]
        check(f"interventions {k}: counts", (r["n_treated"], r["n_control"], r["unmatched"],
                                             r["flags"]) == (nt, nc, um, flags), str(r))
        check(f"interventions {k}: means and diff",
              near(r["treated_change"], tc) and near(r["control_change"], cc) and
              near(r["diff"], diff), str(r))
        check(f"interventions {k}: Welch se, df, p",
              near(r["se"], s) and near(r["df"], df, 1e-9) and near(r["p_value"], p, 1e-9), str(r))
        check(f"interventions {k}: interval", near(r["ci_low"], diff - q * s, 1e-9) and
              near(r["ci_high"], diff + q * s, 1e-9) and r["confidence"] == 0.95, str(r))
    for m, (nc, cc, diff) in {"score": (1, 10, 0), "mrr": (2, -150, 150)}.items():
        r = rows[("training", m)]
        check(f"interventions training {m}: one treated change, degenerate",
              (r["n_treated"], r["n_control"], r["unmatched"], r["flags"]) == (1, nc, 0, 0x10) and
              near(r["control_change"], cc) and near(r["diff"], diff) and
              r["se"] is None and r["p_value"] is None and r["ci_low"] is None, str(r))
    # the panel (--detail): 8 accounts in January, 7 in February and account 6's row there
    panel = section(doc, "interventions_panel")["rows"]
    gone = [r for r in panel if r["account_id"] == "6" and r["month"] == "2024-02"]
    check("interventions panel: 16 rows, the churned account with MRR 0 and no score",
          len(panel) == 16 and gone == [{"account_id": "6", "month": "2024-02", "score": None,
                                         "band": "none", "mrr": 0}], str(panel))
    jan1 = [r for r in panel if r["account_id"] == "1" and r["month"] == "2024-01"]
    check("interventions panel: a scored row", jan1 == [
        {"account_id": "1", "month": "2024-01", "score": 20, "band": "red", "mrr": 100}],
        str(jan1))
    # --effect-confidence 0.5: q(0.75) = 0.5 / sqrt(2 x 0.75 x 0.25) = 0.5 / sqrt(0.375)
    rc, out, err = run("interventions", d, "--scorecard", sc, "--format", "json",
                       "--effect-confidence", "0.5")
    r = interventions_rows(json.loads(out))[("call", "score")] if rc == 0 else {}
    check("interventions --effect-confidence 0.5",
          rc == 0 and near(r["ci_high"], 30 + 0.5 / math.sqrt(0.375) * se, 1e-9) and
          r["confidence"] == 0.5, err + str(r))
    # horizon 2: no month two months after January: no change, every figure null, CSM_FLAG_EMPTY
    rc, out, err = run("interventions", d, "--scorecard", sc, "--format", "json",
                       "--effect-horizon", "2")
    rows = interventions_rows(json.loads(out)) if rc == 0 else {}
    check("interventions --effect-horizon 2: empty",
          rc == 0 and len(rows) == 4 and all(
              r["n_treated"] == 0 and r["diff"] is None and r["flags"] == 1 for r in rows.values()),
          err + str(rows))
    # text: the headline columns, labelled observational
    rc, out, err = run("interventions", d, "--scorecard", sc)
    check("interventions text: OBSERVATIONAL in the title and the notes",
          rc == 0 and "Intervention effects, 1 month(s) after (OBSERVATIONAL, not causal)" in out
          and "note: OBSERVATIONAL" in out and "ci_high" in out and " se " not in out, out + err)
    # the report has the section; the panel only with --detail
    rc, out, err = run("report", d, "--scorecard", sc, "--format", "json")
    keys = [s["key"] for s in json.loads(out)["sections"]] if rc == 0 else []
    check("interventions in the report, without the panel",
          "interventions" in keys and "interventions_panel" not in keys, err + str(keys))
    # usage options
    for opt, val in [("--effect-horizon", "0"), ("--effect-horizon", "x"),
                     ("--effect-confidence", "1"), ("--effect-confidence", "0")]:
        rc, _, err = run("interventions", d, opt, val)
        check(f"interventions {opt} {val} -> 64", rc == 64 and opt in err, err)


# Without touches.csv's type column every touch is of the one type "touch": accounts 1, 2, 5 and
# 8 touched in January (3 touched in February only: a January control).
#   score: red treated 1, 2 (mean 20), controls 3, 4 (mean -10); green treated 5 (10), control 7
#     (10); yellow 8 unmatched.  3 matched treated, weights red 2/3, green 1/3: treated 50/3,
#     controls (2/3)(-10) + (1/3)(10) = -10/3, diff 20; green's groups of one: degenerate
#   mrr: red treated mean 10, controls 0; green treated 0, controls 6, 7 (mean -150): treated
#     20/3, controls (1/3)(-150) = -50, diff 170/3; 4 controls
def test_interventions_untyped_and_bad_rows():
    files = dict(INTERVENTIONS_CO)
    files["touches.csv"] = "".join(
        ",".join(line.split(",")[:3]) + "\n"
        for line in INTERVENTIONS_CO["touches.csv"].splitlines())
    d = company(files)
    sc = one_measure_scorecard(d, "login_rate", "higher", {"type": "linear", "min": 0, "max": 1})
    rc, out, err = run("interventions", d, "--scorecard", sc, "--format", "json")
    check("interventions untyped: exit 0", rc == 0, err)
    if rc == 0:
        rows = interventions_rows(json.loads(out))
        check("interventions untyped: one type 'touch'",
              sorted(rows) == [("touch", "mrr"), ("touch", "score")], str(rows))
        s, m = rows[("touch", "score")], rows[("touch", "mrr")]
        check("interventions untyped: score by hand",
              (s["n_treated"], s["n_control"], s["unmatched"], s["flags"]) == (3, 3, 1, 0x10) and
              near(s["treated_change"], 50 / 3) and near(s["control_change"], -10 / 3) and
              near(s["diff"], 20), str(s))
        check("interventions untyped: mrr by hand",
              (m["n_treated"], m["n_control"], m["unmatched"]) == (3, 4, 1) and
              near(m["treated_change"], 20 / 3) and near(m["control_change"], -50) and
              near(m["diff"], 170 / 3), str(m))
    # the reviews section reads the same file, with or without the type column
    rc, _, err = run("reviews", company(dict(INTERVENTIONS_CO, **{
        "accounts.csv": "account_id\n1\n2\n"})), "--format", "json")
    check("reviews reads touches.csv with a type column", rc == 0, err)
    # a blank type where the column is there: bad data naming file:line
    bad = dict(INTERVENTIONS_CO)
    bad["touches.csv"] = INTERVENTIONS_CO["touches.csv"].replace("2,2024-01-09,,call",
                                                                 "2,2024-01-09,, ")
    d = company(bad)
    rc, _, err = run("interventions", d, "--scorecard", sc)
    check("interventions: blank type -> 65 naming touches.csv:4",
          rc == 65 and "touches.csv:4: column 'type': empty; a type is required" in err, err)
    rc, out, err = run("interventions", d, "--scorecard", sc, "--format", "json",
                       "--skip-bad-rows")
    rows = interventions_rows(json.loads(out)) if rc == 0 else {}
    # without account 2's touch it is a red control: treated 1 (+30) alone, controls 2, 3, 4
    check("interventions: --skip-bad-rows drops the row",
          rc == 0 and "touches.csv:4" in err and rows[("call", "score")]["n_treated"] == 1 and
          rows[("call", "score")]["n_control"] == 3, err + str(rows))
    bad["touches.csv"] = INTERVENTIONS_CO["touches.csv"].replace("2024-01-09", "2024-01-32")
    rc, _, err = run("interventions", company(bad), "--scorecard", sc)
    check("interventions: bad date -> 65 naming touches.csv:4",
          rc == 65 and "touches.csv:4: column 'date'" in err, err)
    # without touches.csv or usage.csv: skipped with a note
    rc, out, err = run("report", company({k: v for k, v in INTERVENTIONS_CO.items()
                                          if k != "touches.csv"}), "--format", "json")
    notes = json.loads(out)["notes"] if rc == 0 else []
    check("interventions skipped without touches.csv",
          any(n.startswith("interventions skipped: no touches.csv") for n in notes), str(notes))
    # a review month before the first usage month: no panel, a note
    late = {"touches.csv": INTERVENTIONS_CO["touches.csv"],
            "usage.csv": "account_id,month,licensed_seats,active_users\n1,2024-02,10,5\n",
            "mrr.csv": "customer_id,month,mrr\n1,2024-01,100\n1,2024-02,100\n"}
    rc, out, err = run("report", company(late), "--format", "json", "--as-of", "2024-01")
    notes = json.loads(out)["notes"] if rc == 0 else []
    check("interventions skipped without a usage month up to the review month",
          any(n.startswith("interventions skipped: usage.csv in ") and
              n.endswith("has no month up to the review month") for n in notes),
          err + str(notes))


def read_csv_rows(path):
    import csv
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


# The demo company, recomputed in plain Python from the panel the section prints with --detail
# (the accounts' scores, bands and MRR by month) and touches.csv (its type column, or the one
# type "touch"): per type and measure, the changes from each month to the next of the accounts
# with a band, treated (a touch of the type that month) and controls (no touch of any type),
# grouped by band; the treated's band mix weights the band means.
def test_interventions_demo():
    demo = os.path.join(ROOT, "examples", "data", "demo")
    rc, out, err = run("interventions", demo, "--format", "json", "--detail")
    check("interventions demo: exit 0", rc == 0, err)
    if rc:
        return
    doc = json.loads(out)
    panel = {(r["account_id"], r["month"]): r for r in section(doc, "interventions_panel")["rows"]}

    def next_month(m):
        y, mo = int(m[:4]), int(m[5:7])
        return f"{y + mo // 12}-{mo % 12 + 1:02d}"
    # the panel's MRR is mrr.csv's: the customers with MRR in each usage month, and those gone
    # a month later with 0
    mrr = {}
    for r in read_csv_rows(os.path.join(demo, "mrr.csv")):
        key = (r["customer_id"], r["month"])
        mrr[key] = mrr.get(key, 0.0) + float(r["mrr"])
    months = {m for _, m in panel}
    active = {k for k, v in mrr.items() if v > 0 and k[1] in months}
    gone = {(a, next_month(m)) for a, m in active
            if next_month(m) in months and (a, next_month(m)) not in active}
    check("interventions demo: the panel's accounts are mrr.csv's",
          set(panel) == active | gone, f"{len(panel)} vs {len(active | gone)}")
    check("interventions demo: the panel's MRR is mrr.csv's",
          all(near(r["mrr"], mrr.get(k, 0.0)) for k, r in panel.items()))
    touched = {}
    for t in read_csv_rows(os.path.join(demo, "touches.csv")):
        touched.setdefault((t["customer_id"], t["date"][:7]), set()).add(t.get("type", "touch"))
    types = sorted({k for s in touched.values() for k in s})
    got = interventions_rows(doc)
    check("interventions demo: the types of touches.csv",
          sorted({k for k, _ in got}) == types, f"{sorted(got)} vs {types}")
    for k in types:
        for m in ["score", "mrr"]:
            groups = {}  # band -> (treated changes, control changes)
            for (a, month), r in panel.items():
                nxt = panel.get((a, next_month(month)))
                if r["band"] == "none" or nxt is None or r[m] is None or nxt[m] is None:
                    continue
                kinds = touched.get((a, month), set())
                g = groups.setdefault(r["band"], ([], []))
                if k in kinds:
                    g[0].append(nxt[m] - r[m])
                elif not kinds:
                    g[1].append(nxt[m] - r[m])
            matched = {b: g for b, g in groups.items() if g[0] and g[1]}
            n_t = sum(len(g[0]) for g in matched.values())
            n_c = sum(len(g[1]) for g in matched.values())
            unmatched = sum(len(g[0]) for b, g in groups.items() if b not in matched)
            tc = sum(sum(g[0]) for g in matched.values()) / n_t
            cc = sum(len(g[0]) / n_t * sum(g[1]) / len(g[1]) for g in matched.values())

            def var(xs):
                mu = sum(xs) / len(xs)
                return sum((x - mu) ** 2 for x in xs) / (len(xs) - 1)
            se = math.sqrt(sum((len(g[0]) / n_t) ** 2 * (var(g[0]) / len(g[0]) +
                                                         var(g[1]) / len(g[1]))
                               for g in matched.values()))
            r = got[(k, m)]
            check(f"interventions demo {k} {m}: counts",
                  (r["n_treated"], r["n_control"], r["unmatched"]) == (n_t, n_c, unmatched),
                  f"{r} vs {(n_t, n_c, unmatched)}")
            check(f"interventions demo {k} {m}: means, diff, se",
                  near(r["treated_change"], tc, 1e-9) and near(r["control_change"], cc, 1e-9) and
                  near(r["diff"], tc - cc, 1e-9) and near(r["se"], se, 1e-9),
                  f"{r} vs {(tc, cc, se)}")


# The activity section (issue 14) on six accounts, reviewed in 2024-06 (the last month of
# usage.csv; no mrr.csv).  Stages with the default bounds 3, 6, 12 (onboarding below a tenure
# of 3 months, launch below 6, growth below 12, then mature), tenure = 2024-06 - signup_month:
#   a 2024-04: 2 -> onboarding;  b 2024-03: 3 -> launch (at the bound);
#   c 2023-12: 6 -> growth (at the bound);  d 2023-06: 12 -> mature (at the bound);
#   e 2024-05 (tenure 1, onboarding) but its stage cell says "Mature" (any case): mature;
#   f: no signup month, no stage, no segment, no product -> "(unknown)" everywhere.
# Segments: Ent (c, d, e), SMB (a, b); products: X (a, c), Y (b, e), none (d, f).
# a's 2024-05 row is another month: never counted.
ACTIVITY_CO = {
    "accounts.csv": "account_id,segment,signup_month,stage,product\n"
                    "a,SMB,2024-04,,X\nb,SMB,2024-03,,Y\nc,Ent,2023-12,,X\n"
                    "d,Ent,2023-06,,\ne,Ent,2024-05,Mature,Y\nf,,,,\n",
    "usage.csv": "account_id,month,licensed_seats,activated_seats,active_users,sessions,"
                 "minutes,features_used,features_available,dau,mau\n"
                 "a,2024-06,10,8,5,50,500,4,10,2,5\n"
                 "b,2024-06,20,10,10,40,800,5,10,3,10\n"
                 "c,2024-06,10,10,8,80,400,6,10,4,8\n"
                 "d,2024-06,40,20,10,100,3000,2,10,5,10\n"
                 "e,2024-06,10,5,4,20,200,8,10,1,4\n"
                 "f,2024-06,10,10,10,10,100,10,10,10,10\n"
                 "a,2024-05,100,1,1,1,1,1,10,1,1\n",
}

ACTIVITY_MEASURES = ["activation_rate", "login_rate", "sessions_per_user", "minutes_per_user",
                     "minutes_per_session", "feature_breadth", "stickiness"]


def activity_rows(doc, key, keycol):
    return {r[keycol] if keycol else "all": r for r in section(doc, key)["rows"]}


def test_activity_by_hand():
    d = company(ACTIVITY_CO)
    rc, out, err = run("activity", d, "--format", "json")
    check("activity: exit 0", rc == 0, err)
    if rc:
        return
    doc = json.loads(out)
    check("activity: four tables in order",
          [s["key"] for s in doc["sections"]] ==
          ["activity", "activity_by_segment", "activity_by_stage", "activity_by_product"],
          str([s["key"] for s in doc["sections"]]))
    # every account: seats 10+20+10+40+10+10 = 100, activated 8+10+10+20+5+10 = 63, active
    # users 5+10+8+10+4+10 = 47, sessions 300, minutes 5000, features 35 of 60, DAU 25, MAU 47
    a = activity_rows(doc, "activity", None)["all"]
    want = [63 / 100, 47 / 100, 300 / 47, 5000 / 47, 5000 / 300, 35 / 60, 25 / 47]
    check("activity all: 6 accounts, sums and the seven measures by hand",
          a["n_accounts"] == 6 and a["licensed_seats"] == 100 and a["sessions"] == 300 and
          a["flags"] == 0 and all(near(a[m], w) for m, w in zip(ACTIVITY_MEASURES, want)),
          str(a))
    # stages at their bounds; e's stage column beats its tenure: mature = d + e, seats 50,
    # activated 25, active 14, sessions 120, minutes 3200; f's stage is unknown, last
    st = section(doc, "activity_by_stage")["rows"]
    check("activity by stage: rows in lifecycle order, unknown last",
          [(r["stage"], r["n_accounts"]) for r in st] ==
          [("onboarding", 1), ("launch", 1), ("growth", 1), ("mature", 2), ("(unknown)", 1)],
          str(st))
    byst = {r["stage"]: r for r in st}
    check("activity by stage: onboarding = a (8/10, 5/10), launch = b (10/20, 10/20), "
          "growth = c (10/10, 8/10)",
          near(byst["onboarding"]["activation_rate"], 0.8) and
          near(byst["onboarding"]["login_rate"], 0.5) and
          near(byst["launch"]["activation_rate"], 0.5) and
          near(byst["growth"]["activation_rate"], 1.0) and
          near(byst["growth"]["login_rate"], 0.8), str(byst))
    m = byst["mature"]
    check("activity by stage: mature = d + e by hand",
          m["licensed_seats"] == 50 and near(m["activation_rate"], 25 / 50) and
          near(m["login_rate"], 14 / 50) and near(m["sessions_per_user"], 120 / 14) and
          near(m["minutes_per_session"], 3200 / 120) and near(m["stickiness"], 6 / 14), str(m))
    # segments: labels in byte order (Ent < SMB), no segment last
    sg = section(doc, "activity_by_segment")["rows"]
    check("activity by segment: Ent (c, d, e) 35/60, SMB (a, b) 18/30, unknown f",
          [(r["segment"], r["n_accounts"]) for r in sg] ==
          [("Ent", 3), ("SMB", 2), ("(unknown)", 1)] and
          near(sg[0]["activation_rate"], 35 / 60) and near(sg[1]["activation_rate"], 18 / 30)
          and near(sg[2]["activation_rate"], 1.0), str(sg))
    # products: X = a + c (18/20 activated, 13/20 active), Y = b + e (15/30), none = d + f
    pr = section(doc, "activity_by_product")["rows"]
    check("activity by product: X, Y and the accounts without one",
          [(r["product"], r["n_accounts"]) for r in pr] ==
          [("X", 2), ("Y", 2), ("(unknown)", 2)] and
          near(pr[0]["activation_rate"], 18 / 20) and near(pr[0]["login_rate"], 13 / 20) and
          near(pr[1]["activation_rate"], 15 / 30) and near(pr[2]["activation_rate"], 30 / 50),
          str(pr))
    # --stage-months 1,2,3: a (tenure 2) is growth, b, c, d (3, 6, 12) and e mature
    rc, out, err = run("activity", d, "--format", "json", "--stage-months", "1,2,3")
    st = section(json.loads(out), "activity_by_stage")["rows"] if rc == 0 else []
    check("activity --stage-months 1,2,3: growth a; mature b, c, d, e (seats 80, 45 active.)",
          [(r["stage"], r["n_accounts"]) for r in st] ==
          [("growth", 1), ("mature", 4), ("(unknown)", 1)] and
          near(st[1]["activation_rate"], 45 / 80), err + str(st))
    # text and csv: the same tables
    rc, out, err = run("activity", d)
    check("activity text: titles and stage names",
          rc == 0 and "Activity by lifecycle stage" in out and "Activity by product" in out and
          "onboarding" in out and "(unknown)" in out, err + out)
    rc, out, err = run("activity", d, "--format", "csv")
    lines = out.splitlines()
    check("activity csv: a header per table, the stage rows",
          rc == 0 and "section,stage,n_accounts,licensed_seats" in out and
          any(ln.startswith("activity_by_stage,mature,2,50,25,") for ln in lines), err + out)


def test_activity_errors_and_notes():
    # a stage that is not one of the four: bad data naming accounts.csv's line
    bad = dict(ACTIVITY_CO)
    bad["accounts.csv"] = ACTIVITY_CO["accounts.csv"].replace("b,SMB,2024-03,,Y",
                                                             "b,SMB,2024-03,adult,Y")
    rc, _, err = run("activity", company(bad))
    check("activity: a bad stage -> 65 naming accounts.csv:3",
          rc == 65 and "accounts.csv:3: column 'stage': not a lifecycle stage" in err, err)
    # the other sections read accounts.csv with its stage and product columns as before
    rc, _, err = run("report", company(dict(ACTIVITY_CO, **{"mrr.csv": TINY})), "--format",
                     "json")
    check("report reads accounts.csv with stage and product", rc == 0, err)
    # --stage-months must be three ordered month counts
    for arg in ("3,6", "6,3,12", "0,6,12", "3,6,12,24", "a,b,c"):
        rc, _, err = run("activity", company(ACTIVITY_CO), "--stage-months", arg)
        check(f"activity: --stage-months {arg} -> 64", rc == 64 and "--stage-months" in err, err)
    # without a product column: three tables and a note
    files = dict(ACTIVITY_CO)
    files["accounts.csv"] = "".join(",".join(ln.split(",")[:4]) + "\n"
                                    for ln in ACTIVITY_CO["accounts.csv"].splitlines())
    rc, out, err = run("activity", company(files), "--format", "json")
    doc = json.loads(out) if rc == 0 else {"sections": [], "notes": []}
    check("activity without products: no product table, a note",
          rc == 0 and [s["key"] for s in doc["sections"]] ==
          ["activity", "activity_by_segment", "activity_by_stage"] and
          any("activity_by_product skipped" in n for n in doc["notes"]), err + out)
    # without usage.csv: nothing to compute (66); a review month without usage rows
    rc, _, err = run("activity", company({"accounts.csv": "account_id\na\n"}))
    check("activity without usage.csv -> 66", rc == 66 and "usage.csv" in err, err)
    rc, out, err = run("activity", company(dict(ACTIVITY_CO, **{"mrr.csv": TINY})),
                       "--as-of", "2024-02", "--format", "json")
    check("activity: no usage rows in the review month -> 65 with a note",
          rc == 65 and "has no rows of 2024-02" in err, err + out)


def read_dicts(path):
    import csv
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def test_activity_demo():
    """The demo's activity section against a plain-Python recomputation from the CSVs: the
    usage rows of the review month (mrr.csv's last month), grouped by accounts.csv's segment,
    stage of tenure (3, 6, 12) and product, each measure the ratio of the group's sums (capped
    at 1 for the four rates of a part and its whole)."""
    demo = os.path.join(ROOT, "examples", "data", "demo")
    rc, out, err = run("activity", demo, "--format", "json")
    check("activity demo: exit 0", rc == 0, err)
    if rc:
        return
    doc = json.loads(out)
    last = max(r["month"] for r in read_dicts(os.path.join(demo, "mrr.csv")))
    usage = [r for r in read_dicts(os.path.join(demo, "usage.csv")) if r["month"] == last]
    acc = {r["account_id"]: r for r in read_dicts(os.path.join(demo, "accounts.csv"))}

    def mi(label):
        y, m = label.split("-")
        return int(y) * 12 + int(m) - 1

    def stage(a):
        t = mi(last) - mi(acc[a]["signup_month"])
        return "onboarding" if t < 3 else "launch" if t < 6 else "growth" if t < 12 else "mature"

    parts = [("activated_seats", "licensed_seats", 1), ("active_users", "licensed_seats", 1),
             ("sessions", "active_users", 0), ("minutes", "active_users", 0),
             ("minutes", "sessions", 0), ("features_used", "features_available", 1),
             ("dau", "mau", 1)]
    groups = {"all": lambda a: "all", "segment": lambda a: acc[a]["segment"],
              "stage": stage, "product": lambda a: acc[a]["product"]}
    for by, keyof in groups.items():
        want = {}
        for r in usage:
            g = want.setdefault(keyof(r["account_id"]), {"n": set()})
            g["n"].add(r["account_id"])
            for col in ("licensed_seats", "activated_seats", "active_users", "sessions",
                        "minutes", "features_used", "features_available", "dau", "mau"):
                g[col] = g.get(col, 0.0) + float(r[col])
        key = "activity" if by == "all" else f"activity_by_{by}"
        got = activity_rows(doc, key, None if by == "all" else by)
        check(f"activity demo by {by}: the same groups", sorted(got) == sorted(want),
              f"{sorted(got)} vs {sorted(want)}")
        for k, g in want.items():
            r = got.get(k, {})
            rates = [min(g[p] / g[w], 1.0) if cap else g[p] / g[w] for p, w, cap in parts]
            check(f"activity demo by {by} {k}: accounts, seats and the seven measures",
                  r.get("n_accounts") == len(g["n"]) and
                  near(r.get("licensed_seats", -1), g["licensed_seats"], 1e-9) and
                  all(near(r.get(m, -1), w, 1e-12) for m, w in zip(ACTIVITY_MEASURES, rates)),
                  f"{r} vs {rates}")
    check("activity demo: the stages of tenure in lifecycle order",
          [r["stage"] for r in section(doc, "activity_by_stage")["rows"]] ==
          ["onboarding", "launch", "growth", "mature"])


def run_tests(fns):
    """Run the test functions fns, then print each check and 'N passed, M failed' and exit
    non-zero on any failure (a crash in a test and a memory error are failures)."""
    for fn in fns:
        try:
            fn()
        except Exception as e:  # a crash in a test is a failure, not an abort
            results.append((fn.__name__, False, repr(e)))
    # ASan/UBSan reports (instrumented build) and valgrind errors (CSM_CLI_WRAPPER)
    for args, rc, report in memcheck.memory_errors():
        results.append((f"memory error: csmetrics {args} (exit {rc})", False, report))
    failed = [r for r in results if not r[1]]
    for name, ok, detail in results:
        print(("ok   " if ok else "FAIL ") + name + ("" if ok else "  -- " + detail.strip()[:300]))
    print(f"{len(results) - len(failed)} passed, {len(failed)} failed")
    sys.exit(1 if failed else 0)


def main():
    run_tests([test_help_and_usage, test_tiny_json, test_tiny_json_described_columns,
               test_text_shows_key_and_main, test_by_plan, test_retention_described,
               test_retention_by_plan, test_cohorts_triangle, test_renewals_described,
               test_renewals_by_plan, test_team_described, test_survival_described,
               test_survival_by_plan, test_sbg_demo_figures, test_nps_described,
               test_projection_described, test_ltv_described,
               test_builtin_scorecard_is_the_example, test_health_inputs,
               test_health_transitions,
               test_health_absent_inputs,
               test_health_accounts_are_the_ledgers, test_empty_ledger_and_empty_month,
               test_blank_owner_is_unassigned,
               test_header_only_files, test_findings_cases, test_empty_directory,
               test_as_of_outside_the_data, test_renewals_review_month_without_mrr,
               test_stray_last_month, test_projection_observed_unknown,
               test_bom_crlf_quotes_case,
               test_errors, test_loader_rules, test_missing_files_noted, test_csv_format,
               test_movements_detail, test_retention_detail, test_cohorts_mrr,
               test_import_subscriptions, test_report_reads_subscriptions,
               test_import_kind_and_tax, test_import_round_trip, test_import_terminated_term,
               test_messages_name_the_files,
               test_demo_subscriptions, test_churn_risk,
               test_churn_propose_scorecard, test_interventions,
               test_interventions_untyped_and_bad_rows, test_interventions_demo,
               test_activity_by_hand, test_activity_errors_and_notes, test_activity_demo])


if __name__ == "__main__":
    main()
