#!/usr/bin/python3
"""CLI tests of how csmetrics reads its input files: the encoding of the
cells (UTF-8 checked, --encoding latin1 / cp1252 converted), duplicate
customer-month rows of mrr.csv (a note, or an error with --strict), the rows
--skip-bad-rows lists, duplicate accounts, library errors about the data
(exit 65), and string ids shown as the user's labels (the demo company with
string ids gives the integer demo's figures).  The cases under tests/cli/cases/ are inputs found by fuzzing
and by new users; every expected value is worked out by hand in a comment.

Run by meson (`meson test cli-inputs`) as: test_inputs.py PATH/TO/csmetrics
Standard library only; prints 'N passed, M failed' and exits non-zero on any
failure.
"""
import csv
import hashlib
import io
import json
import os
import tempfile
import uuid

# the runner and checks of the CLI tests (test_cli.py reads the binary from sys.argv too)
from test_cli import check, company, near, run, run_tests, section

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
CASES = os.path.join(HERE, "cases")
DEMO = os.path.join(ROOT, "examples", "data", "demo")


# ---- encodings -----------------------------------------------------------------

# cases/latin1-segment: accounts.csv is Latin-1, account 1's segment "Soci\xe9t\xe9"
# (Société), account 2's "SMB"; mrr.csv: customer 1 10 then 12, customer 2 5 and 5
# (2024-01, 2024-02).  It used to give exit 0 with the rows of Société silently
# missing their segment key in JSON.
def test_latin1_segment_case():
    case = os.path.join(CASES, "latin1-segment")
    rc, out, err = run("movements", case, "--by", "segment", "--format", "json")
    # "Soci" is 4 bytes: the 5th byte is the first 0xE9
    check("latin1 case: UTF-8 by default -> 65 naming file:line and column",
          rc == 65 and "latin1-segment/accounts.csv:2: column 'segment': not valid UTF-8 "
          "at byte 5 ('Soci\\xE9t\\xE9')" in err and "--encoding latin1" in err, err)
    for enc in ["latin1", "cp1252", "ISO-8859-1"]:
        rc, out, err = run("movements", case, "--by", "segment", "--format", "json",
                           "--encoding", enc)
        check(f"latin1 case --encoding {enc}: exit 0", rc == 0, err)
        if rc != 0:
            continue
        rows = section(json.loads(out), "movements_by")["rows"]
        feb = {r.get("segment"): r["closing_mrr"] for r in rows if r["month"] == "2024-02"}
        # 0xE9 is U+00E9 in both; Société closes February at 12, SMB at 5
        check(f"latin1 case --encoding {enc}: every row keeps its segment",
              all("segment" in r for r in rows) and feb == {"Société": 12, "SMB": 5},
              str(rows)[:400])
    # the text report aligns by characters: "Société" is 7 characters (9 bytes); padded
    # by bytes its row would be 2 characters shorter than SMB's
    rc, out, err = run("movements", case, "--by", "segment", "--encoding", "latin1")
    lines = [l for l in out.splitlines()
             if l.startswith("2024-02  ") and ("Société" in l or "SMB" in l)]
    check("latin1 case: text columns aligned by characters",
          rc == 0 and len(lines) == 2 and len(lines[0]) == len(lines[1]), out)


def test_encodings():
    mrr = "customer_id,month,mrr\n1,2024-01,10\n2,2024-01,5\n"
    acc = b"account_id,segment\n1,%s\n2,SMB\n"

    def segments(raw, *opts):
        rc, out, err = run("movements", company({"mrr.csv": mrr, "accounts.csv": acc % raw}),
                           "--by", "segment", "--format", "json", *opts)
        if rc != 0:
            return rc, err
        return rc, sorted(r["segment"] for r in section(json.loads(out), "movements_by")["rows"])

    # UTF-8 as it is: 2-byte (ü), 3-byte (€) and 4-byte (U+1F600) characters
    rc, segs = segments("Zürich €😀".encode("utf-8"))
    check("utf-8 cells read as they are", rc == 0 and segs == ["SMB", "Zürich €😀"], str(segs))
    # Windows-1252: 0x80 is the euro sign; Latin-1 reads it as U+0080 (a control character)
    rc, segs = segments(b"\x80uro", "--encoding", "cp1252")
    check("cp1252: 0x80 is the euro sign", rc == 0 and segs == ["SMB", "€uro"], str(segs))
    rc, segs = segments(b"\x80uro", "--encoding", "latin1")
    check("latin1: 0x80 is U+0080", rc == 0 and segs == ["SMB", "\u0080uro"], str(segs))
    rc, err = segments(b"a\x81", "--encoding", "cp1252")
    check("cp1252: 0x81 is undefined -> 65 at byte 2",
          rc == 65 and "accounts.csv:2: column 'segment': a byte Windows-1252 leaves undefined "
          "at byte 2 ('a\\x81')" in err, err)
    # invalid UTF-8: an overlong '/', a surrogate, a lone continuation byte, a cut sequence
    for what, raw, at in [("overlong", b"\xc0\xaf", 1), ("surrogate", b"x\xed\xa0\x80", 2),
                          ("continuation", b"ab\x80", 3), ("cut", b"\xe2\x82", 1)]:
        rc, err = segments(raw)
        check(f"utf-8 {what} -> 65 at byte {at}",
              rc == 65 and f"column 'segment': not valid UTF-8 at byte {at} (" in err, err)
    rc, err = segments(b"a\x00b")
    check("a NUL byte -> 65", rc == 65 and "column 'segment': a NUL byte at byte 2" in err, err)
    # a header that is not text is an error even when skipping rows
    d = company({"mrr.csv": b"customer_id,m\xe9nth,mrr\n1,2024-01,10\n"})
    rc, _, err = run("movements", d, "--skip-bad-rows")
    check("invalid header -> 65 even with --skip-bad-rows",
          rc == 65 and "mrr.csv:1: header, field 2: not valid UTF-8 at byte 2" in err, err)
    rc, _, err = run("movements", d, "--encoding", "ebcdic")
    check("unknown --encoding -> 64", rc == 64 and "--encoding" in err, err)


# ---- duplicate customer-month rows ---------------------------------------------

# Lines 2..7: customer 1 has three rows for 2024-01 (lines 2, 4, 6) and customer 2 two
# (lines 3, 5), one of them MRR 0: 3 rows merged into an earlier one.  The library sums
# them: January's MRR is 10 + 7 + 1 + 5 + 0 = 23 over 2 customers; line 7 (customer 2,
# 2024-02) is no duplicate.
DUPS = ("customer_id,month,mrr\n1,2024-01,10\n2,2024-01,5\n1,2024-01,7\n2,2024-01,0\n"
        "1,2024-01,1\n2,2024-02,5\n")


def test_duplicates():
    d = company({"mrr.csv": DUPS})
    rc, out, err = run("movements", d, "--format", "json", "--months", "2")
    check("duplicates: exit 0 without --strict", rc == 0, err)
    if rc == 0:
        doc = json.loads(out)
        jan = section(doc, "movements")["rows"][0]
        check("duplicates: summed (Jan MRR 23, 2 customers)",
              jan["month"] == "2024-01" and near(jan["closing_mrr"], 23) and
              jan["customers"] == 2, str(jan))
        check("duplicates: a note with the count",
              "mrr.csv: 3 duplicate customer-month row(s) summed with an earlier row of the "
              "same customer and month (--strict rejects them)" in doc["notes"], str(doc["notes"]))
    # --strict: the first duplicate in file order is line 4 (customer 1, first on line 2)
    rc, out, err = run("movements", d, "--strict")
    check("duplicates --strict -> 65 naming both lines",
          rc == 65 and "mrr.csv:4: customer '1' has a row for 2024-01 already (line 2)" in err, err)
    # without duplicates: no note, and --strict changes nothing
    d = company({"mrr.csv": "customer_id,month,mrr\n1,2024-01,10\n1,2024-02,10\n"})
    rc, out, err = run("movements", d, "--strict", "--format", "json")
    check("no duplicates: no note under --strict",
          rc == 0 and not any("duplicate" in n for n in json.loads(out)["notes"]), err + out[-300:])


# ---- --skip-bad-rows lists the rows --------------------------------------------

def test_skip_lists_rows():
    # 25 bad months on lines 3..27, one ragged row on line 28, one cell that is not
    # UTF-8 on line 29: 27 skipped; the first 20 (lines 3..22) listed, then "7 more"
    text = "customer_id,month,mrr\n1,2024-01,10\n"
    text += "".join(f"{i},2024-13,1\n" for i in range(25)) + "2,2024-01\n"
    d = company({"mrr.csv": text.encode() + b"3,2024-01,1\xff\n"})
    rc, out, err = run("movements", d, "--skip-bad-rows", "--format", "json")
    check("skip list: exit 0", rc == 0, err)
    listed = [l for l in err.splitlines() if l.startswith("csmetrics: skipped ")]
    want = [f"csmetrics: skipped {d}/mrr.csv:{n}: column 'month': not a month (expected "
            f"YYYY-MM) ('2024-13')" for n in range(3, 23)]
    check("skip list: the first 20 rows with file:line and reason", listed == want,
          "\n".join(listed[:3]))
    check("skip list: then the count of the others",
          "csmetrics: ... and 7 more skipped row(s)" in err.splitlines(), err[-300:])
    if rc == 0:
        check("skip list: the count in the notes",
              "27 bad row(s) skipped (--skip-bad-rows)" in json.loads(out)["notes"], out[-400:])
    # few rows: each listed, the ragged one and the one not UTF-8 with their reasons
    text = "customer_id,month,mrr\n1,2024-01,10\n2,2024-01\n"
    d = company({"mrr.csv": text.encode() + b"3,2024-01,1\xff\n"})
    rc, out, err = run("movements", d, "--skip-bad-rows")
    check("skip list: ragged and encoding reasons",
          rc == 0 and f"csmetrics: skipped {d}/mrr.csv:3: expected 3 fields (as in the header), "
          "found 2" in err and f"csmetrics: skipped {d}/mrr.csv:4: column 'mrr': not valid "
          "UTF-8 at byte 2 ('1\\xFF')" in err and "more skipped" not in err, err)


# ---- accounts ----------------------------------------------------------------------

def test_duplicate_account_names_lines():
    # account 2 on lines 3 and 5, account 1 on lines 2 and 6: the first repeat in the
    # file is line 5
    d = company({"accounts.csv": "account_id,segment\n1,a\n2,b\n3,c\n2,d\n1,e\n"})
    rc, _, err = run("report", d)
    check("duplicate account -> 65 naming both lines",
          rc == 65 and "accounts.csv:5: account_id '2' appears twice (first on line 3)" in err, err)


# ---- the library's verdict on the data -------------------------------------------

def test_library_data_errors_exit_65():
    # cases/span-11000y: months -999-01 and 9999-01; the cohort range is longer than the
    # library allows.  cases/mrr-overflow: two customers of 1e308 in 2024-01, a month
    # total that is not a finite number.  Both are bad data: exit 65, not 70 ("internal
    # error", as they used to).
    for case in ["span-11000y", "mrr-overflow"]:
        rc, out, err = run("report", os.path.join(CASES, case), "--format", "json")
        check(f"cases/{case}: exit 65 (bad data)", rc == 65 and "csmetrics: " in err,
              f"{rc} {err}")

# ---- string ids and labels -------------------------------------------------------

# The demo company with every id a string as exports have them: customer and account ids
# as Stripe-like "cus_" + 14 hex digits, owners as 18-character CRM ids, plans as UUIDs,
# segments with spaces.  The hashes scramble the order, so the ids' ranks differ from the
# integer ids' order: only the labels may differ between the two reports.
def cus(i):
    return "cus_" + hashlib.sha1(f"customer {i}".encode()).hexdigest()[:14]


def crm(i):
    return "005" + hashlib.sha1(f"owner {i}".encode()).hexdigest()[:15].upper()


def plan(p):
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "plan/" + p))


TRANSLATE = {  # file -> {column: label function}
    "accounts.csv": {"account_id": cus, "owner": crm, "plan": plan,
                     "segment": lambda s: s + " tier"},
    "owners.csv": {"owner": crm},
    "mrr.csv": {"customer_id": cus},
    "contracts.csv": {"customer_id": cus},
    "nps.csv": {"customer_id": cus},
    "usage.csv": {"account_id": cus},
    "touches.csv": {"customer_id": cus, "csm": crm},
    "referrals.csv": {"referrer_id": cus},
}


def string_demo():
    d = tempfile.mkdtemp(prefix="csm-strdemo-")
    for name in os.listdir(DEMO):
        with open(os.path.join(DEMO, name), newline="") as f:
            rows = list(csv.reader(f))
        cols = TRANSLATE.get(name, {})
        fn = {rows[0].index(c): g for c, g in cols.items()}
        out = io.StringIO()
        w = csv.writer(out, lineterminator="\n")
        w.writerow(rows[0])
        for r in rows[1:]:
            w.writerow([fn[j](v) if j in fn and v != "" else v for j, v in enumerate(r)])
        with open(os.path.join(d, name), "w", newline="") as f:
            f.write(out.getvalue())
    return d


# The columns that show a label, and how the integer company's label becomes the string
# company's ("account" in health_at_risk is a row of the scores matrix, in customer order:
# it follows the ids' order, not their labels, and is left out).
LABELS = {"customer_id": cus, "account_id": cus, "plan": plan, "segment": lambda s: s + " tier"}
SKIP = {("health_at_risk", "account")}


def normalized(key, rows, translate, by):
    out = []
    for r in rows:
        n = {}
        for k, v in r.items():
            if (key, k) in SKIP:
                continue
            # the Kaplan-Meier curves' groups are the --by dimension's labels
            f = LABELS.get(by) if k == "group" and key in ("survival_km", "survival_km_curve") \
                else LABELS.get(k)
            if translate and f and isinstance(v, str) and v != "all":
                v = f(v)
            # the churn model's features "DIM=label" (its terms and the accounts' reasons)
            if translate and k in ("term", "main_reason") and "=" in str(v):
                dim, label = v.split("=", 1)
                v = dim + "=" + LABELS.get(dim, lambda x: x)(label)
            n[k] = round(v, 6) if isinstance(v, float) else v
        out.append(json.dumps(n, sort_keys=True))
    return sorted(out)


def test_string_ids_same_numbers():
    sdir = string_demo()
    for by in [[], ["--by", "plan"], ["--by", "segment"], ["--by", "owner"]]:
        rc1, out1, err1 = run("report", DEMO, "--format", "json", *by)
        rc2, out2, err2 = run("report", sdir, "--format", "json", *by)
        what = "string ids " + (" ".join(by) or "(no --by)")
        check(f"{what}: both exit 0", rc1 == 0 and rc2 == 0, err1 + err2)
        if rc1 or rc2:
            continue
        a, b = json.loads(out1), json.loads(out2)
        check(f"{what}: same sections", [s["key"] for s in a["sections"]] ==
              [s["key"] for s in b["sections"]], "")
        for sa, sb in zip(a["sections"], b["sections"]):
            dim = by[1] if by else None
            same = normalized(sa["key"], sa["rows"], True, dim) == \
                normalized(sb["key"], sb["rows"], False, dim)
            check(f"{what}: {sa['key']} the same rows, labels translated",
                  same and sa["columns"] == sb["columns"], sa["key"])
    # the labels in each format: health_at_risk's account_id (text, json), renewal_contracts'
    # customer_id (json and csv only), plans by their UUIDs
    rc, out, err = run("health", sdir)
    check("string ids: text shows customer labels",
          rc == 0 and out.count("cus_") >= 10, out[:500])
    rc, out, err = run("renewals", sdir, "--format", "csv", "--by", "plan")
    check("string ids: csv shows customer and plan labels",
          rc == 0 and "renewal_contracts," in out and ",cus_" in out and plan("Pro") in out,
          out[:500])
    rc, out, err = run("renewals", sdir, "--format", "json")
    if rc == 0:
        ids = [r["customer_id"] for r in section(json.loads(out), "renewal_contracts")["rows"]]
        check("string ids: json customer_id labels", ids and all(i.startswith("cus_") for i in ids),
              str(ids[:3]))


# A tiny company by hand: customers "cus_B" (Mid-Market, owner 005X) and "a-1" (SMB, no
# owner), ids as exports have them.  February: cus_B 100 -> 150 (expansion 50), a-1 40 -> 0
# (churn 40); the integer-like "42" is a label too (a third customer, 10 in both months).
def test_string_ids_by_hand():
    d = company({
        "mrr.csv": "customer_id,month,mrr\ncus_B,2024-01,100\na-1,2024-01,40\n42,2024-01,10\n"
                   "cus_B,2024-02,150\n42,2024-02,10\n",
        "accounts.csv": "account_id,segment,owner\ncus_B,Mid-Market,005X\na-1,SMB,\n"
                        "42,Mid-Market,005X\n",
        "owners.csv": "owner,name\n005X,Grace\n"})
    rc, out, err = run("report", d, "--format", "json", "--by", "segment", "--months", "1")
    check("by hand: exit 0", rc == 0, err)
    if rc != 0:
        return
    doc = json.loads(out)
    rows = {r["segment"]: r for r in section(doc, "movements_by")["rows"]}
    # Mid-Market: opening 110, expansion 50, closing 160; SMB: opening 40, churn 40
    check("by hand: segments by label",
          set(rows) == {"Mid-Market", "SMB"} and near(rows["Mid-Market"]["expansion"], 50) and
          near(rows["Mid-Market"]["closing_mrr"], 160) and near(rows["SMB"]["churn"], 40),
          str(rows)[:400])
    team = {r["owner"]: r["accounts"] for r in section(doc, "team")["rows"]}
    # at 2024-02 cus_B and 42 are Grace's; a-1 (no owner) has no MRR any more
    check("by hand: team by owner name", team.get("Grace") == 2, str(team))
    # a blank segment is no segment, as for a customer without an accounts.csv row: b (blank,
    # 5) and c (no row, 7) are the "(unknown)" row, 12 over 2 customers; a alone is X's 10
    d = company({"mrr.csv": "customer_id,month,mrr\na,2024-01,10\nb,2024-01,5\nc,2024-01,7\n",
                 "accounts.csv": "account_id,segment\na,X\nb,\n"})
    rc, out, err = run("movements", d, "--format", "json", "--by", "segment", "--months", "1")
    rows = {r["segment"]: (r["closing_mrr"], r["customers"])
            for r in section(json.loads(out), "movements_by")["rows"]} if rc == 0 else err
    check("by hand: blank and missing segments are (unknown)",
          rows == {"X": (10, 1), "(unknown)": (12, 2)}, str(rows))
    # a customer id given as a number in one file and as text in another is the same label
    d = company({"mrr.csv": "customer_id,month,mrr\n7,2024-01,5\n",
                 "accounts.csv": 'account_id,segment\n"7",Gold\n'})
    rc, out, err = run("movements", d, "--format", "json", "--by", "segment")
    check("by hand: quoted and unquoted ids match",
          rc == 0 and [r["segment"] for r in section(json.loads(out), "movements_by")["rows"]]
          == ["Gold"], out[-500:] + err)


# ---- line ends -------------------------------------------------------------------

# Found by tests/fuzz/fuzz-csv: libcsv ends a row at a lone CR (old Mac line ends),
# but lines were counted at LF only, so every row of a CR-only file said line 1 (or
# the line of the last LF).  mrr.csv below is header (line 1), customer 1 (line 2),
# customer 2 with 'x' (line 3), customer 3 (line 4), CR-only: the error names line 3.
def test_cr_line_ends():
    bad = company({"mrr.csv": b"customer_id,month,mrr\r1,2024-01,100\r2,2024-01,x\r"
                              b"3,2024-01,7\r"})
    rc, out, err = run("movements", bad, "--format", "json")
    check("CR line ends: the bad value is on line 3",
          rc == 65 and "mrr.csv:3: column 'mrr': not a number ('x')" in err, err)
    rc, out, err = run("movements", bad, "--format", "json", "--skip-bad-rows")
    check("CR line ends: --skip-bad-rows lists line 3",
          rc == 0 and "mrr.csv:3:" in err, err)
    # the good rows: January 100 (customer 1) + 7 (customer 3) = 107, 2 customers
    # (the table's last row: the months shown end at the data's last month)
    if rc == 0:
        r = section(json.loads(out), "movements")["rows"][-1]
        check("CR line ends: the other rows are read",
              (r["month"], r["closing_mrr"], r["customers"]) == ("2024-01", 107, 2), str(r))
    # CR and CRLF mixed in one file: header (1, CRLF), 1 (2, CR), 2 bad (3, CRLF)
    mixed = company({"mrr.csv": b"customer_id,month,mrr\r\n1,2024-01,100\r"
                                b"2,2024-01,-5\r\n"})
    rc, out, err = run("movements", mixed, "--format", "json")
    check("CR and CRLF mixed: the bad value is on line 3",
          rc == 65 and "mrr.csv:3:" in err, err)


# ---- years outside 0001..9999 ------------------------------------------------------

# Found by tests/fuzz/fuzz-csv: the month and date parsers read the year with %4d, so
# "-999-01" and even "-06-07" (June of year -6) passed as months and "-999-01-01" as a date.
# Months reached the library, which rejects years outside 0001..9999 when it builds the
# ledger, but a date of nps.csv before year 1 was kept silently.  Both are now a bad value
# of their row, named with file:line and column (so --skip-bad-rows skips them too).
def test_years_outside_range():
    d = company({"mrr.csv": "customer_id,month,mrr\n1,2024-01,10\n",
                 "nps.csv": "customer_id,date,score\n1,-999-01-01,9\n1,2024-01-05,3\n"})
    rc, out, err = run("report", d, "--format", "json")
    check("a date of year -999: exit 65 naming nps.csv:2",
          rc == 65 and "nps.csv:2: column 'date': date outside the valid range" in err, err)
    d = company({"mrr.csv": "customer_id,month,mrr\n1,2024-01,10\n2,-06-07,5\n"
                            "3,0000-12,4\n4,0001-01,3\n"})
    rc, out, err = run("movements", d, "--format", "json")
    check("month -06-07: exit 65 naming mrr.csv:3",
          rc == 65 and "mrr.csv:3: column 'month': month outside the valid range" in err, err)
    rc, out, err = run("movements", d, "--format", "json", "--skip-bad-rows")
    # lines 3 (-06-07) and 4 (0000-12, year 0) are skipped; 0001-01 (line 5) is the first
    # valid month and stays: customers 1 (2024-01, 10) and 4 (0001-01, 3)
    check("--skip-bad-rows: lines 3 and 4 skipped, 0001-01 kept",
          rc == 0 and "mrr.csv:3:" in err and "mrr.csv:4:" in err and "mrr.csv:5" not in err,
          err)
    if rc == 0:
        r = section(json.loads(out), "movements")["rows"][-1]
        check("--skip-bad-rows: 2024-01 closes at 10 with 1 customer",
              (r["month"], r["closing_mrr"], r["customers"]) == ("2024-01", 10, 1), str(r))


def main():
    run_tests([test_latin1_segment_case, test_encodings, test_duplicates,
               test_skip_lists_rows, test_duplicate_account_names_lines,
               test_library_data_errors_exit_65, test_string_ids_same_numbers,
               test_string_ids_by_hand, test_cr_line_ends,
               test_years_outside_range])


if __name__ == "__main__":
    main()
