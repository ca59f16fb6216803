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


def main():
    for fn in [test_help_and_usage, test_tiny_json, test_bom_crlf_quotes_case, test_errors,
               test_missing_files_noted, test_csv_format]:
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
