#!/usr/bin/python3
"""CLI tests for the csmetrics command: every error path of the CSV reader,
the exit codes, the formats, and figures worked out by hand on tiny inputs.

Run by meson (`meson test cli`) as: test_cli.py PATH/TO/csmetrics
Standard library only; prints 'N passed, M failed' and exits non-zero on any
failure.
"""
import json
import os
import subprocess
import sys
import tempfile

EXE = sys.argv[1] if len(sys.argv) > 1 else "build/cli/csmetrics"
results = []


def run(*args):
    p = subprocess.run([EXE, *args], capture_output=True, text=True)
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
    check("json schema", doc["schema"] == "csmetrics-report" and doc["schema_version"] == 2)
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
    # summary: a curated view of the review month's row, the same five fields as before
    s = section(doc, "summary")
    check("summary: five columns", [c["name"] for c in s["columns"]] ==
          ["month", "mrr", "arr", "customers", "arpa"], str(s["columns"]))
    row = s["rows"][0]
    # Feb: MRR 150, ARR 1800, 1 customer, ARPA 150 / 1
    check("summary: values", row["month"] == "2024-02" and abs(row["mrr"] - 150) < 1e-9 and
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
          text_header(out, "Summary") == ["month", "mrr", "arr", "customers", "arpa"], out)
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

    d = company({"mrr.csv": "customer_id,month,mrr\n1,2024-01,100\nabc,2024-02,100\n"})
    rc, _, err = run("movements", d)
    check("wrong type -> 65 with file:line: column",
          rc == 65 and "mrr.csv:3: column 'customer_id': not an integer ('abc')" in err, err)

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
    check("--map mrr=amount reads it", rc == 0 and json.loads(out)["sections"][0]["rows"][0]["mrr"] == 100, err)
    rc, _, err = run("movements", d, "--map", "mrr=price")
    check("mapped column missing -> 65", rc == 65 and "'price'" in err, err)

    d = company({"mrr.csv": ""})
    rc, _, err = run("movements", d)
    check("empty file -> 65", rc == 65 and "empty file" in err, err)

    d = company({"mrr.csv": "customer_id,month,mrr\n1,2024-01\n"})
    rc, _, err = run("movements", d)
    check("ragged row -> 65", rc == 65 and "expected 3 fields" in err, err)

    d = company({"mrr.csv": TINY + "x,2024-02,1\n3,2024-02\n"})
    rc, out, err = run("movements", d, "--skip-bad-rows", "--format", "json")
    doc = json.loads(out) if rc == 0 else {"notes": []}
    check("--skip-bad-rows continues and counts", rc == 0 and any("2 bad row(s) skipped" in n for n in doc["notes"]), err + out)

    d = company({"contracts.csv": "customer_id,start_date,end_date,value\n1,2024-02-30,2025-01-01,100\n"})
    rc, _, err = run("report", d)
    check("impossible date -> 65", rc == 65 and "contracts.csv:2" in err and "calendar" in err, err)

    d = company({"nps.csv": "customer_id,date,score\n1,2024-02-01,11\n"})
    rc, _, err = run("report", d)
    check("NPS score 11 -> 65", rc == 65 and "0..10" in err, err)


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


def main():
    for fn in [test_help_and_usage, test_tiny_json, test_tiny_json_described_columns,
               test_text_shows_key_and_main, test_by_plan, test_bom_crlf_quotes_case,
               test_errors, test_missing_files_noted, test_csv_format]:
        try:
            fn()
        except Exception as e:  # a crash in a test is a failure, not an abort
            results.append((fn.__name__, False, repr(e)))
    failed = [r for r in results if not r[1]]
    for name, ok, detail in results:
        print(("ok   " if ok else "FAIL ") + name + ("" if ok else "  -- " + detail.strip()[:300]))
    print(f"{len(results) - len(failed)} passed, {len(failed)} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
