#!/usr/bin/python3
"""The csmetrics sections of issue 14 read by hand: reviews (touches.csv) and referrals
(referrals.csv) on a tiny company, every figure worked out below, and their bad inputs.

Usage: test_reviews_referrals.py PATH/TO/csmetrics
"""
import json

from test_cli import check, company, near, run, run_tests, section

# mrr.csv: a 100 and b 3,000 in 2024-01..03, c 50 new in 2024-03; owners Ann (a, b), Bo (c).
# Reviews as of 2024-03-31: a (MRR 100: every 90 days) last 2024-01-10, due 2024-04-09, on
# cadence; b (3,000 >= 2,000: every 30 days) last 2024-03-05, due 2024-04-04, on cadence; c
# never reviewed: overdue.  3 accounts, 2 on cadence, coverage 2/3; Ann 1, Bo 0.
# Referrals over 2024-01..03 (the 12 months to 2024-03, from the ledger's first month): a
# referred twice (one converted, 50), x (no customer) once; active a, b, c: rate 1/3, 3
# referrals, 1 converted (1/3), referred MRR 50 of new MRR 100 + 3,000 + 50 = 3,150; Ann's
# accounts made 2 referrals, Bo's none: 2 over 2 CSMs = 1 per CSM.
FILES = {
    "mrr.csv": "customer_id,month,mrr\na,2024-01,100\na,2024-02,100\na,2024-03,100\n"
               "b,2024-01,3000\nb,2024-02,3000\nb,2024-03,3000\nc,2024-03,50\n",
    "accounts.csv": "account_id,owner\na,o1\nb,o1\nc,o2\n",
    "owners.csv": "owner,name\no1,Ann\no2,Bo\n",
    "touches.csv": "customer_id,date,csm\na,2024-01-10,o1\nb,2024-03-05,o1\n",
    "referrals.csv": "referrer_id,referred_id,date,converted,first_mrr\n"
                     "a,lead1,2024-02-01,1,50\na,lead2,2024-03-01,0,\nx,lead3,2024-03-02,0,\n",
}


def test_reviews_by_hand():
    rc, out, err = run("reviews", company(FILES), "--format", "json")
    check("reviews: exit 0", rc == 0, err)
    if rc:
        return
    doc = json.loads(out)
    s = section(doc, "reviews_summary")["rows"][0]
    check("reviews: summary", (s["as_of"], s["accounts"], s["on_cadence"], s["overdue"],
                               s["never_reviewed"]) == ("2024-03-31", 3, 2, 1, 1), str(s))
    check("reviews: coverage", near(s["coverage"], 2 / 3), str(s))
    cov = {r["owner"]: r["coverage"] for r in section(doc, "reviews_owners")["rows"]}
    check("reviews: coverage per CSM", cov == {"Ann": 1.0, "Bo": 0.0}, str(cov))
    rows = section(doc, "reviews_overdue")["rows"]
    check("reviews: the overdue account", [(r["account_id"], r["owner"], r["last_review"])
                                           for r in rows] == [("c", "Bo", None)], str(rows))
    # text: the coverage and the summary, the long list only in json and csv
    rc, out, err = run("reviews", company(FILES))
    check("reviews: text", rc == 0 and "Review coverage per CSM" in out and
          "Accounts overdue" not in out, out + err)


# --cadence-mrr X --cadence-days LOW,HIGH: every HIGH days from X of MRR, every LOW days below.
# X 100, 120,20 as of 2024-03-31: a (MRR 100 >= 100: 20 days) last 2024-01-10, due 2024-01-30,
# overdue 1 + 29 (2024 is a leap year) + 31 = 61 days; b (3,000: 20 days) last 2024-03-05, due
# 2024-03-25, overdue 6 days; c (50 < 100: 120 days) never reviewed.  0 of 3 on cadence.
# X 5,000, 60,30: every account below (60 days): a due 2024-03-10, overdue 21 days; b due
# 2024-05-04, on cadence; c never reviewed.  1 of 3 on cadence; Ann 1 of 2, Bo 0 of 1.
def test_reviews_cadence_options():
    def reviews(*opts):
        rc, out, err = run("reviews", company(FILES), "--format", "json", *opts)
        check(f"reviews {' '.join(opts)}: exit 0", rc == 0, err)
        return json.loads(out) if rc == 0 else None

    doc = reviews("--cadence-mrr", "100", "--cadence-days", "120,20")
    if doc:
        s = section(doc, "reviews_summary")["rows"][0]
        check("cadence 100, 120,20: summary", (s["accounts"], s["on_cadence"], s["overdue"],
                                              s["never_reviewed"]) == (3, 0, 3, 1), str(s))
        rows = {r["account_id"]: r for r in section(doc, "reviews_overdue")["rows"]}
        check("cadence 100, 120,20: the cadences",
              {a: r["cadence_days"] for a, r in rows.items()} == {"a": 20, "b": 20, "c": 120},
              str(rows))
        check("cadence 100, 120,20: days overdue and due days",
              near(rows["a"]["days_overdue"], 61) and rows["a"]["next_due"] == "2024-01-30" and
              near(rows["b"]["days_overdue"], 6) and rows["b"]["next_due"] == "2024-03-25" and
              rows["c"]["next_due"] is None, str(rows))
    doc = reviews("--cadence-mrr", "5000", "--cadence-days", "60,30")
    if doc:
        s = section(doc, "reviews_summary")["rows"][0]
        check("cadence 5000, 60,30: summary", (s["on_cadence"], s["overdue"]) == (1, 2) and
              near(s["coverage"], 1 / 3), str(s))
        rows = {r["account_id"]: r for r in section(doc, "reviews_overdue")["rows"]}
        check("cadence 5000, 60,30: a overdue 21 days, b on cadence",
              sorted(rows) == ["a", "c"] and rows["a"]["cadence_days"] == 60 and
              near(rows["a"]["days_overdue"], 21), str(rows))
        cov = {r["owner"]: r["coverage"] for r in section(doc, "reviews_owners")["rows"]}
        check("cadence 5000, 60,30: coverage per CSM", cov == {"Ann": 0.5, "Bo": 0.0}, str(cov))
    for opts in (["--cadence-days", "30"], ["--cadence-days", "0,30"],
                 ["--cadence-days", "90,36601"], ["--cadence-days", "90,30,7"],
                 ["--cadence-mrr", "-1"], ["--cadence-mrr", "nan"]):
        rc, out, err = run("reviews", company(FILES), *opts)
        check(f"reviews {' '.join(opts)}: a usage error naming the option",
              rc == 64 and opts[0] in err, err)


def test_referrals_by_hand():
    rc, out, err = run("referrals", company(FILES), "--format", "json")
    check("referrals: exit 0", rc == 0, err)
    if rc:
        return
    doc = json.loads(out)
    s = section(doc, "referrals")["rows"][0]
    check("referrals: counts", (s["first_month"], s["last_month"], s["active_accounts"],
                                s["referrers"], s["referrals"], s["converted"]) ==
          ("2024-01", "2024-03", 3, 1, 3, 1), str(s))
    check("referrals: rates", near(s["referral_rate"], 1 / 3) and
          near(s["conversion_rate"], 1 / 3) and near(s["referred_mrr"], 50) and
          near(s["referred_share"], 50 / 3150) and near(s["referrals_per_csm"], 1), str(s))
    per = {r["owner"]: r["referrals"] for r in section(doc, "referrals_owners")["rows"]}
    check("referrals: per CSM", per == {"Ann": 2, "Bo": 0}, str(per))


def test_bad_inputs():
    bad = dict(FILES)
    bad["referrals.csv"] = "referrer_id,date,converted\na,2024-02-01,2\n"
    rc, out, err = run("referrals", company(bad))
    check("referrals: converted 2 is a data error naming the line", rc == 65 and
          "referrals.csv:2" in err and "converted" in err, err)
    bad = dict(FILES)
    bad["touches.csv"] = "customer_id,csm\na,o1\n"
    rc, out, err = run("reviews", company(bad))
    check("reviews: touches.csv without its date column", rc == 65 and "date" in err, err)
    # without the files: the sections say so
    files = {k: v for k, v in FILES.items() if k not in ("touches.csv", "referrals.csv")}
    rc, out, err = run("report", company(files))
    check("report: reviews and referrals skipped without their files", rc == 0 and
          "touches.csv" in out + err and "referrals.csv" in out + err, out[-800:] + err)


if __name__ == "__main__":
    run_tests([test_reviews_by_hand, test_reviews_cadence_options, test_referrals_by_hand,
               test_bad_inputs])
