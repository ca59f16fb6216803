#!/usr/bin/python3
"""Assemble docs/metrics.md from docs/parts/*.md (one part per metric family) in a fixed
order.  `make docs` runs it; the parts are what contributors edit."""
import os

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PARTS = ["conventions", "catalog", "nps", "ltv", "projection", "ledger", "subscriptions", "presets", "team", "renewals",
         "survival", "activity", "churn", "transitions", "reviews", "interventions", "referrals",
         "python"]

HEAD = """# libcsmetrics metric definitions

Every figure libcsmetrics computes, defined exactly: formula, units, options and their
defaults, edge cases, and a worked example whose numbers are the ones the test suites assert.
This page says what the code does and why.
Health scores have their own page: [health-scores.md](health-scores.md).

"""


def main():
    out = [HEAD]
    present = [p for p in PARTS if os.path.exists(os.path.join(ROOT, "docs", "parts", p + ".md"))]
    out.append("## Contents\n\n")
    for p in present:
        with open(os.path.join(ROOT, "docs", "parts", p + ".md")) as f:
            first = next((l for l in f if l.startswith("## ")), "## " + p)
        title = first[3:].strip()
        anchor = "".join(c for c in title.lower().replace(" ", "-") if c.isalnum() or c in "-_")
        out.append(f"- [{title}](#{anchor})\n")
    out.append("\n")
    for p in present:
        with open(os.path.join(ROOT, "docs", "parts", p + ".md")) as f:
            out.append(f.read().rstrip() + "\n\n")
    with open(os.path.join(ROOT, "docs", "metrics.md"), "w") as f:
        f.write("".join(out))
    print(f"docs/metrics.md: {len(present)} parts")


if __name__ == "__main__":
    main()
