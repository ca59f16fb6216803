#!/usr/bin/python3
"""Cross-check the csmetrics review of the demo company against an independent pandas
implementation of the same definitions (bench/peers/pandas_peer.py), and against the
golden JSON (tests/cli/golden/demo_report.json): the schema version, each section's columns
(names, order, types, roles) exactly, and every row field with a tolerance.

Usage: test_demo_crosscheck.py PATH/TO/csmetrics [--update-golden]
Prints 'N passed, M failed'.
"""
import json
import math
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "bench", "peers"))
import pandas as pd  # noqa: E402
import pandas_peer  # noqa: E402

import memcheck  # noqa: E402  (tests/cli, the script's own directory)

EXE = sys.argv[1]
DEMO = os.path.join(ROOT, "examples", "data", "demo")
GOLDEN = os.path.join(HERE, "golden", "demo_report.json")
results = []


def check(name, cond, detail=""):
    results.append((name, bool(cond), detail))


def close(a, b, rel=1e-9):
    if a is None or b is None or (isinstance(b, float) and math.isnan(b)):
        return (a is None or (isinstance(a, float) and math.isnan(a))) and \
               (b is None or (isinstance(b, float) and math.isnan(b)))
    if not isinstance(a, (int, float)) or isinstance(a, bool) != isinstance(b, bool):
        return False
    return abs(a - b) <= rel * max(1.0, abs(a), abs(b))


def month_index(label):
    y, m = label.split("-")
    return int(y) * 12 + int(m) - 1


def run_report(*extra):
    p = memcheck.run(EXE, ["report", DEMO, "--format", "json", *extra])
    if p.returncode != 0:
        raise SystemExit(f"csmetrics failed: {p.stderr}")
    return json.loads(p.stdout)


def section(doc, key):
    return next(s for s in doc["sections"] if s["key"] == key)


def main():
    doc = run_report()
    mrr = pd.read_csv(os.path.join(DEMO, "mrr.csv"))
    df = pd.DataFrame({"customer_id": mrr["customer_id"],
                       "period": mrr["month"].map(month_index),
                       "mrr": mrr["mrr"].astype(float)})
    as_of = month_index(doc["as_of"])

    rows = section(doc, "movements")["rows"]
    peer = pandas_peer.movements(df, as_of - len(rows) + 1, as_of)
    for r in rows:
        t = month_index(r["month"])
        p = peer.loc[t]
        for col in ["opening_mrr", "new", "reactivation", "expansion", "contraction", "churn",
                    "net_new", "closing_mrr", "customer_churn_rate", "gross_mrr_churn_rate",
                    "net_mrr_churn_rate", "quick_ratio", "arpa"]:
            check(f"movements {r['month']} {col}", close(r[col], float(p[col])),
                  f"{r[col]} vs pandas {p[col]}")
        for col, pc in [("customers", "closing_customers"), ("new_customers", "new_customers"),
                        ("churned_customers", "churned_customers"),
                        ("opening_customers", "opening_customers")]:
            check(f"movements {r['month']} {col}", r[col] == int(p[pc]), f"{r[col]} vs {p[pc]}")
        # detail columns of the json: ARR = 12 x closing MRR; no tolerance by default, so
        # nothing goes to the adjustment line
        check(f"movements {r['month']} arr", close(r["arr"], 12 * float(p["closing_mrr"])),
              f"{r['arr']} vs 12 x pandas {p['closing_mrr']}")
        check(f"movements {r['month']} adjustment", r["adjustment"] == 0, str(r["adjustment"]))

    rrows = section(doc, "retention")["rows"]
    peer = pandas_peer.retention(df, 12, as_of - len(rrows) + 1, as_of)
    for r in rrows:
        p = peer.loc[month_index(r["end_month"])]
        for col in ["base_mrr", "nrr", "grr", "logo_retention"]:
            check(f"retention {r['end_month']} {col}", close(r[col], float(p[col])),
                  f"{r[col]} vs pandas {p[col]}")
        check(f"retention {r['end_month']} base_customers",
              r["base_customers"] == int(p["base_customers"]))
    # the detail columns of the json against the peer's sums: customers of the base active at
    # the end, the base's end MRR and its capped (GRR numerator) MRR
    sums = pandas_peer.retention_sums(pandas_peer.normalize(df), 12, as_of - len(rrows) + 1, as_of)
    for r in rrows:
        p = sums.loc[month_index(r["end_month"])]
        check(f"retention {r['end_month']} retained_customers",
              r["retained_customers"] == int(p["retained"]), f"{r['retained_customers']} vs {p['retained']}")
        check(f"retention {r['end_month']} end_mrr", close(r["end_mrr"], float(p["m1"])),
              f"{r['end_mrr']} vs pandas {p['m1']}")
        check(f"retention {r['end_month']} retained_mrr", close(r["retained_mrr"], float(p["kept"])),
              f"{r['retained_mrr']} vs pandas {p['kept']}")

    crows = section(doc, "cohorts")["rows"]
    counts = pandas_peer.cohorts(df, as_of)
    for r in crows:
        c = month_index(r["cohort"])
        size = counts.loc[c, 0]
        check(f"cohort {r['cohort']} size", r["size"] == int(size))
        for a in range(13):
            v = r.get(f"m{a}")
            want = counts.loc[c, a] / size if a in counts.columns and c + a <= as_of else float("nan")
            check(f"cohort {r['cohort']} m{a}", close(v, want), f"{v} vs pandas {want}")

    # the MRR triangle: MRR of each cohort's members at each age over their month-0 MRR,
    # summed here with plain pandas from the normalized rows (pandas_peer has no MRR cohorts)
    d = pandas_peer.normalize(df)
    d = d.assign(cohort=d.groupby("customer_id")["period"].transform("min"))
    cell_mrr = d.groupby(["cohort", "period"])["mrr"].sum()
    for r in section(doc, "cohorts_mrr")["rows"]:
        c = month_index(r["cohort"])
        for a in range(13):
            v = r.get(f"m{a}")
            want = (cell_mrr.get((c, c + a), 0.0) / cell_mrr[(c, c)] if c + a <= as_of
                    else float("nan"))
            check(f"cohort mrr {r['cohort']} m{a}", close(v, want), f"{v} vs pandas {want}")

    # diagnosis cadence (touches.csv), in plain pandas: the accounts of accounts.csv active in
    # the review month, reviewed every 30 days from MRR 2,000 (else 90), as of its last day
    day0 = pd.Timestamp("1970-01-01")
    as_of_day = (pd.Period(doc["as_of"], "M").end_time.normalize() - day0).days
    acc = pd.read_csv(os.path.join(DEMO, "accounts.csv"))
    last = df[df["period"] == as_of].set_index("customer_id")["mrr"]
    acc = acc[acc["account_id"].isin(last.index)].copy()
    acc["cadence"] = (last.reindex(acc["account_id"]).to_numpy() >= 2000) * -60 + 90
    tch = pd.read_csv(os.path.join(DEMO, "touches.csv"))
    tch["day"] = (pd.to_datetime(tch["date"]) - day0).dt.days
    lastrev = tch[tch["day"] <= as_of_day].groupby("customer_id")["day"].max()
    acc["last"] = lastrev.reindex(acc["account_id"]).to_numpy()
    acc["on"] = acc["last"].notna() & (acc["last"] + acc["cadence"] >= as_of_day)
    s = section(doc, "reviews_summary")["rows"][0]
    check("reviews accounts", s["accounts"] == len(acc), f"{s['accounts']} vs {len(acc)}")
    check("reviews on_cadence", s["on_cadence"] == int(acc["on"].sum()),
          f"{s['on_cadence']} vs {int(acc['on'].sum())}")
    check("reviews never", s["never_reviewed"] == int(acc["last"].isna().sum()))
    check("reviews coverage", close(s["coverage"], acc["on"].mean()))
    names = dict(pd.read_csv(os.path.join(DEMO, "owners.csv")).itertuples(index=False))
    per = acc.groupby("owner")["on"].agg(["size", "mean"])
    for r in section(doc, "reviews_owners")["rows"]:
        o = next(k for k, v in names.items() if v == r["owner"])
        check(f"reviews {r['owner']} accounts", r["accounts"] == int(per.loc[o, "size"]))
        check(f"reviews {r['owner']} coverage", close(r["coverage"], per.loc[o, "mean"]))

    # referrals (referrals.csv) over the 12 months to the review month, in plain pandas:
    # active = an MRR row in a month of the window, new MRR = first months of customers
    # (never active before) in the window
    first = as_of - 11
    win = df[(df["period"] >= first) & (df["period"] <= as_of) & (df["mrr"] > 0)]
    active = set(win["customer_id"])
    ref = pd.read_csv(os.path.join(DEMO, "referrals.csv"))
    ref["period"] = ref["date"].str[:7].map(month_index)
    ref = ref[(ref["period"] >= first) & (ref["period"] <= as_of)]
    starts = df[df["mrr"] > 0].sort_values("period").groupby("customer_id").first()
    new_mrr = starts[(starts["period"] >= first) & (starts["period"] <= as_of)]["mrr"].sum()
    referrers = set(ref["referrer_id"]) & active
    referred = ref.loc[ref["converted"] == 1, "first_mrr"].sum()
    s = section(doc, "referrals")["rows"][0]
    check("referrals active", s["active_accounts"] == len(active))
    check("referrals referrers", s["referrers"] == len(referrers))
    check("referrals rate", close(s["referral_rate"], len(referrers) / len(active)))
    check("referrals count", s["referrals"] == len(ref))
    check("referrals conversion", close(s["conversion_rate"], ref["converted"].mean()))
    check("referrals mrr", close(s["referred_mrr"], referred), f"{s['referred_mrr']} vs {referred}")
    check("referrals share", close(s["referred_share"], referred / new_mrr),
          f"{s['referred_share']} vs {referred / new_mrr}")

    # golden: every numeric field of every section within 1e-9 relative.  A missing golden
    # file is a failure (regenerate it deliberately with --update-golden), and every golden
    # section and every golden field must be found in the output and compared.
    if "--update-golden" in sys.argv:
        os.makedirs(os.path.dirname(GOLDEN), exist_ok=True)
        with open(GOLDEN, "w") as f:
            json.dump(doc, f, indent=1)
    check("golden: file present", os.path.exists(GOLDEN),
          f"{GOLDEN} missing; run with --update-golden to create it")
    if os.path.exists(GOLDEN):
        with open(GOLDEN) as f:
            gold = json.load(f)
        check("golden: same sections", [s["key"] for s in doc["sections"]] ==
              [s["key"] for s in gold["sections"]])
        check("golden: schema_version", doc["schema_version"] == gold["schema_version"],
              f"{doc['schema_version']} vs golden {gold['schema_version']}")
        n_fields = 0
        for gs in gold["sections"]:
            keys = [s["key"] for s in doc["sections"]]
            check(f"golden {gs['key']}: section present", gs["key"] in keys)
            if gs["key"] not in keys:
                continue
            s = section(doc, gs["key"])
            check(f"golden {gs['key']}: row count", len(s["rows"]) == len(gs["rows"]),
                  f"{len(s['rows'])} vs golden {len(gs['rows'])}")
            # columns: names, order, types and roles
            check(f"golden {gs['key']}: columns", s["columns"] == gs["columns"],
                  f"{s['columns']} vs golden {gs['columns']}")
            for i, (a, b) in enumerate(zip(s["rows"], gs["rows"])):
                for k, bv in b.items():
                    av = a.get(k, KeyError)
                    if av is KeyError:
                        check(f"golden {gs['key']}[{i}].{k}", False, "field missing")
                        continue
                    ok = close(av, bv) if isinstance(bv, (int, float)) or bv is None else av == bv
                    check(f"golden {gs['key']}[{i}].{k}", ok, f"{av} vs golden {bv}")
                    n_fields += 1
        # the golden file really held rows: an empty or truncated golden is a failure
        check("golden: fields compared", n_fields > 0, f"{n_fields} fields compared")

    # ASan/UBSan reports (instrumented build) and valgrind errors (CSM_CLI_WRAPPER)
    for args, rc, report in memcheck.memory_errors():
        check(f"memory error: csmetrics {args} (exit {rc})", False, report)

    failed = [r for r in results if not r[1]]
    for name, ok, detail in failed[:50]:
        print(f"FAIL {name} -- {detail}")
    print(f"{len(results) - len(failed)} passed, {len(failed)} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
