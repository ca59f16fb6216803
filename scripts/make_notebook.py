#!/usr/bin/python3
"""Write examples/notebooks/customer_success.ipynb from the cells below (so the notebook is
reviewed as code).  Run by hand after editing the cells; `make test` executes the notebook
headless and `make docs` renders it to HTML."""
import os
import sys

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

CELLS = [
    ("md", """# Customer success with libcsmetrics

This notebook reads the bundled demo company (`examples/data/demo/`: 2,000 accounts over 36
months) and computes the review a CS team looks at: MRR movements, net and gross revenue
retention, the cohort triangle, churn scenarios, retention curves, health scores, a churn-risk
model, NPS, the review cadence, health band transitions, referrals and activity by lifecycle
stage.
Every figure comes from libcsmetrics through its Python bindings (`import csmetrics as csm`),
with the definitions in `docs/metrics.md`; pandas only reads the files, selects rows and
draws."""),
    ("code", """import os
import numpy as np
import pandas as pd
import matplotlib.pyplot as plt
%matplotlib inline
import csmetrics as csm

pd.set_option("display.max_colwidth", None)  # the reasons of the accounts at risk in full
DATA = os.environ.get("CSM_DEMO_DATA", os.path.join("..", "data", "demo"))
print("libcsmetrics", csm.__version__)"""),
    ("code", """mrr = pd.read_csv(os.path.join(DATA, "mrr.csv"))
accounts = pd.read_csv(os.path.join(DATA, "accounts.csv"))
# the months as the file writes them ("2024-01"): the library reads them
ledger = csm.Ledger(mrr["customer_id"].to_numpy(np.int64), mrr["month"], mrr["mrr"].to_numpy(float))
mv = ledger.movements()
mv.tail(6)"""),
    ("md", "## MRR movements\n\nNew, expansion and reactivation MRR above the axis; contraction and churn below."),
    ("code", """last = mv.tail(18)
fig, ax = plt.subplots(figsize=(10, 4))
x = np.arange(len(last))
ax.bar(x, last["new"], label="new", color="#2b8cbe")
ax.bar(x, last["expansion"], bottom=last["new"], label="expansion", color="#7bccc4")
ax.bar(x, last["reactivation"], bottom=last["new"] + last["expansion"], label="reactivation", color="#bae4bc")
ax.bar(x, -last["contraction"], label="contraction", color="#fdae6b")
ax.bar(x, -last["churn"], bottom=-last["contraction"], label="churn", color="#e6550d")
ax.plot(x, last["net_new"], color="black", marker="o", label="net new")
ax.set_xticks(x, [str(p) for p in last.index], rotation=45)
ax.set_ylabel("MRR per month")
ax.legend(ncol=3)
plt.tight_layout()
plt.show()"""),
    ("md", "## Net and gross revenue retention (12 months)"),
    ("code", """ret = ledger.retention(window=12)
fig, ax = plt.subplots(figsize=(10, 3.5))
ax.plot(ret.index.to_timestamp(), ret["nrr"] * 100, label="NRR")
ax.plot(ret.index.to_timestamp(), ret["grr"] * 100, label="GRR")
ax.plot(ret.index.to_timestamp(), ret["logo_retention"] * 100, label="logo retention")
ax.axhline(100, color="grey", lw=0.5)
ax.set_ylabel("%")
ax.legend()
plt.tight_layout()
plt.show()
ret.tail(3)"""),
    ("md", "## Cohort retention heatmap\n\nShare of each monthly signup cohort still active, by age in months."),
    ("code", """coh = ledger.cohorts(values="customers", relative=True)
recent = coh.tail(18).iloc[:, :19]
fig, ax = plt.subplots(figsize=(10, 6))
im = ax.imshow(recent.to_numpy(dtype=float) * 100, aspect="auto", cmap="viridis", vmin=50, vmax=100)
ax.set_yticks(range(len(recent)), [str(p) for p in recent.index])
ax.set_xlabel("age (months)")
fig.colorbar(im, label="% of cohort active")
plt.tight_layout()
plt.show()"""),
    ("md", "## Churn scenarios\n\nThe current MRR projected 24 months ahead under several monthly churn rates and the rate observed over the last six months, each month adding the average new and reactivated MRR of those six months."),
    ("code", """# start MRR, average new MRR and gross MRR churn rate of the last 6 months
inputs = ledger.project_inputs(window=6).iloc[0]
observed = inputs["gross_mrr_churn_rate"]
rates = {"1%": 0.01, "2%": 0.02, "3%": 0.03, "5%": 0.05, f"observed {observed:.1%}": observed}
proj = csm.project_mrr(inputs["start_mrr"], 24, rates, new_mrr=inputs["new_mrr"])
ax = proj.plot(figsize=(10, 4))
ax.set_xlabel("months ahead")
ax.set_ylabel("MRR")
plt.tight_layout()
plt.show()
proj.iloc[[0, 12, 24]]"""),
    ("md", "## Retention curves\n\nKaplan–Meier survival of customer lifetimes (first unbroken run of active months) with its 95% band, and the observed survival (Kaplan–Meier, with its band) of the monthly-billed cohorts of the last 24 months against the shifted-beta-geometric projection fitted to their survivor counts."),
    ("code", """lt = ledger.lifetimes()
km = csm.kaplan_meier(lt["duration"], lt["event"])
tab = km.table
fig, axes = plt.subplots(1, 2, figsize=(12, 4))
axes[0].step(tab["time"], tab["survival"], where="post", label="Kaplan-Meier")
axes[0].fill_between(tab["time"], tab["lower"], tab["upper"], step="post", alpha=0.3, label="95% band")
axes[0].set_xlabel("months"); axes[0].set_ylabel("share still active"); axes[0].legend()
# the monthly-billed accounts of the cohorts of the last 24 months (first-run lifetimes;
# the cohort of the last month has seen no renewal yet)
last = mv.index[-1]
monthly = set(accounts.loc[accounts["billing"] == "monthly", "account_id"])
recent = lt[lt["customer_id"].isin(monthly) & (lt["first_month"] >= last - 23) & (lt["first_month"] < last)]
# the survivors of each cohort at each age, and the sBG model fitted to them
fit = csm.sbg_fit(csm.sbg_survivors(recent["first_month"], recent["duration"], as_of=last))
# their observed survival: the Kaplan-Meier curve read at each age the cohorts reach
ages = np.arange(0, 37)
obs = csm.kaplan_meier(recent["duration"], recent["event"], at_times=ages[:24]).at
axes[1].plot(obs.index, obs["survival"], "o", label="observed (Kaplan-Meier)")
axes[1].fill_between(obs.index, obs["lower"], obs["upper"], alpha=0.3)
axes[1].plot(ages, fit.survival(ages), label=f"sBG alpha={fit.alpha:.2f} beta={fit.beta:.1f}")
axes[1].set_xlabel("months since signup"); axes[1].legend()
plt.tight_layout()
plt.show()
print("KM median lifetime:", km.median, "months; sBG expected lifetime:", round(fit.expected_lifetime(), 1))"""),
    ("md", "## Health scores\n\nThe usage-led scorecard (`examples/scorecards/usage-led.json`) on the last month's product usage: the band distribution and the ten accounts most at risk with the two measures that cost them the most points."),
    ("code", """sc = csm.Scorecard.from_json(os.path.join(DATA, "..", "..", "scorecards", "usage-led.json"))
use = pd.read_csv(os.path.join(DATA, "usage.csv"))
use = use[use["month"] == use["month"].max()]
# the scorecard's inputs: each account's activity measures (activation and login rates,
# feature breadth, stickiness...) and the usage counts it reads as they are
counts = use.set_index("account_id")[["support_tickets", "open_p1_tickets", "key_contact_left"]]
scores = sc.score(csm.activity(use).join(counts))
bands = sc.band_distribution(scores)  # from the best band down
fig, ax = plt.subplots(figsize=(6, 3))
ax.bar(bands["band_name"], bands["accounts"], color=["#31a354", "#fec44f", "#de2d26"])
ax.set_ylabel("accounts")
plt.tight_layout()
plt.show()
# the ten lowest scores, each with the two measures that lost the most points and the
# override that fired
top = sc.at_risk(scores, account_id=scores.index, top_n=10, n_reasons=2)
top[["account_id", "score", "band_name", "top_reasons"]]"""),
    ("md", """## Churn-risk model

Which accounts will churn? A logistic regression (`csm.ChurnModel`, L2 penalty 1 on standardized
features) of "no MRR in one of the next 3 months" on the scorecard's inputs of each account and
month, fit on the earlier months and validated on the latest three it has outcomes for (a
time-based split: no validated month is in the fit). The ROC curve and the calibration deciles
are the library's (`csm.roc_curve`, `ChurnModel.validate`)."""),
    ("code", """FEATURES = ["activation_rate", "login_rate", "feature_breadth", "stickiness",
            "support_tickets", "open_p1_tickets", "key_contact_left"]
usage = pd.read_csv(os.path.join(DATA, "usage.csv"))
active = mrr[mrr["mrr"] > 0].groupby("month")["customer_id"].agg(set)
last = pd.Period(mrr["month"].max(), "M")
rows = []
for m in sorted(pd.Period(x, "M") for x in usage["month"].unique()):
    if m + 3 > last:
        continue  # its 3-month outcome is not known yet
    u = usage[usage["month"] == str(m)]
    f = csm.activity(u).join(u.set_index("account_id")[FEATURES[4:]])
    f = f[f.index.isin(active[str(m)])]
    later = [active.get(str(m + k), set()) for k in (1, 2, 3)]
    f["churned"] = [int(not all(a in s for s in later)) for a in f.index]
    f["month"] = str(m)
    rows.append(f)
panel = pd.concat(rows).dropna(subset=FEATURES)
first_test = sorted(panel["month"].unique())[-3]
train, test = panel[panel["month"] < first_test], panel[panel["month"] >= first_test]
model = csm.ChurnModel.fit(train[FEATURES], train["churned"])
v = model.validate(test[FEATURES], test["churned"])
roc = csm.roc_curve(test["churned"], model.predict_proba(test[FEATURES]))
fig, axes = plt.subplots(1, 2, figsize=(11, 4))
axes[0].plot(roc["fpr"], roc["tpr"], label=f"model: AUC {v.auc:.3f} ({v.auc_lower:.3f} to {v.auc_upper:.3f})")
axes[0].plot([0, 1], [0, 1], "--", color="grey", label="chance")
axes[0].set_xlabel("false-positive rate"); axes[0].set_ylabel("true-positive rate")
axes[0].set_title(f"ROC, held-out months {first_test} on"); axes[0].legend()
cal = v.calibration
top = max(cal["mean_predicted"].max(), cal["observed_rate"].max())
axes[1].plot(cal["mean_predicted"], cal["observed_rate"], "o-", label="deciles")
axes[1].plot([0, top], [0, top], "--", color="grey", label="perfect calibration")
axes[1].set_xlabel("mean predicted churn probability"); axes[1].set_ylabel("observed churn rate")
axes[1].set_title("Calibration"); axes[1].legend()
plt.tight_layout()
plt.show()
print(f"Brier {v.brier:.4f}, log loss {v.log_loss:.4f}, top-decile lift {v.top_lift:.2f}")
model.summary[["coefficient", "std_error", "p_value", "odds_ratio"]]"""),
    ("md", "## NPS by segment\n\nLast 12 months of survey responses, with 95% intervals."),
    ("code", """nps = pd.read_csv(os.path.join(DATA, "nps.csv"), parse_dates=["date"])
nps = nps[nps["date"] >= nps["date"].max() - pd.DateOffset(months=12)]
nps = nps.merge(accounts[["account_id", "segment"]], left_on="customer_id", right_on="account_id")
by_seg = csm.nps_by_group(nps["score"], nps["segment"]).rename_axis("segment")
fig, ax = plt.subplots(figsize=(7, 3.5))
ax.barh(by_seg.index, by_seg["nps"], xerr=[by_seg["nps"] - by_seg["ci_low"], by_seg["ci_high"] - by_seg["nps"]],
        color="#3182bd")
ax.set_xlabel("NPS (95% interval)")
plt.tight_layout()
plt.show()
by_seg[["nps", "ci_low", "ci_high", "n", "promoters", "passives", "detractors"]]"""),
    ("md", """## Diagnosis cadence

Each account active in the last month is due for a review (a touch in `touches.csv`) every 30
days from 2,000 of MRR, every 90 days below (the CLI's tiers): the share of each CSM's accounts
reviewed on cadence, and the accounts most overdue (`csm.review_cadence`)."""),
    ("code", """touches = pd.read_csv(os.path.join(DATA, "touches.csv"))
owners = pd.read_csv(os.path.join(DATA, "owners.csv")).set_index("owner")["name"]
last_month = mrr["month"].max()
book = accounts.merge(mrr[(mrr["month"] == last_month) & (mrr["mrr"] > 0)],
                      left_on="account_id", right_on="customer_id")
rc = csm.review_cadence(
    pd.DataFrame({"account": book["account_id"], "owner": book["owner"],
                  "segment": book["segment"], "mrr": book["mrr"]}),
    pd.DataFrame({"account": touches["customer_id"], "day": touches["date"], "csm": touches["csm"]}),
    as_of=str(pd.Period(last_month, "M").end_time.date()),  # the last month's last day
    default_days=90, tiers=pd.DataFrame({"days": [30], "min_mrr": [2000.0]}))
by_csm = rc.owners.rename(index=owners).sort_values("coverage")
fig, axes = plt.subplots(1, 2, figsize=(12, 4))
axes[0].barh(by_csm.index.astype(str), by_csm["coverage"] * 100, color="#3182bd")
axes[0].set_xlabel("% of the CSM's accounts reviewed on cadence")
axes[1].barh(by_csm.index.astype(str), by_csm["overdue"], color="#de2d26", label="overdue")
axes[1].barh(by_csm.index.astype(str), by_csm["never_reviewed"], color="#fc9272",
             label="never reviewed")
axes[1].set_xlabel("accounts"); axes[1].legend()
plt.tight_layout()
plt.show()
print({k: rc.summary[k] for k in ("as_of", "accounts", "on_cadence", "overdue", "never_reviewed", "coverage")})
rc.accounts[rc.accounts["overdue"] == 1].sort_values("days_overdue", ascending=False).head(10)[
    ["owner", "segment", "mrr", "cadence_days", "last_review", "next_due", "days_overdue"]]"""),
    ("md", """## Health band transitions

The usage-led scorecard on the last two months of product usage: how many accounts moved from
each band of the month before to each band of the last month (`csm.band_transitions`; -1 is no
band: an account not scored that month). Each row's shares sum to 1."""),
    ("code", """months = sorted(usage["month"].unique())[-2:]
panel = []
for m in months:
    u = usage[usage["month"] == m]
    counts = u.set_index("account_id")[["support_tickets", "open_p1_tickets", "key_contact_left"]]
    s = sc.score(csm.activity(u).join(counts))
    panel.append(pd.DataFrame({"account": s.index, "month": m, "band": s["band_index"]}))
panel = pd.concat(panel)
tr = csm.band_transitions(panel["account"], panel["month"], panel["band"], n_bands=len(sc.bands))
names = {-1: "none", **dict(enumerate(sc.bands))}
share = tr["row_share"].unstack().rename(index=names, columns=names)
fig, ax = plt.subplots(figsize=(5.5, 4.5))
im = ax.imshow(share.to_numpy(dtype=float) * 100, cmap="Blues", vmin=0, vmax=100)
ax.set_xticks(range(share.shape[1]), share.columns); ax.set_yticks(range(share.shape[0]), share.index)
ax.set_xlabel(f"band in {months[1]}"); ax.set_ylabel(f"band in {months[0]}")
cells = tr["accounts"].unstack()
for i in range(cells.shape[0]):
    for j in range(cells.shape[1]):
        ax.text(j, i, int(cells.iat[i, j]), ha="center", va="center")
fig.colorbar(im, label="% of the row's accounts")
plt.tight_layout()
plt.show()
{k: tr.attrs[k] for k in ("banded", "stayed", "improved", "worsened", "entered", "left")}"""),
    ("md", """## Referrals

The referrals export (`referrals.csv`) over the last 12 months: the share of active accounts
that referred at least once, the conversion of their referrals, the new MRR they brought, the
NPS of referrers against the other accounts, and per CSM the referral rate of their accounts
(`Ledger.referrals`)."""),
    ("code", """refs = pd.read_csv(os.path.join(DATA, "referrals.csv"))
responses = pd.read_csv(os.path.join(DATA, "nps.csv"))
first = str(pd.Period(last_month, "M") - 11)
rf = ledger.referrals(refs["referrer_id"], refs["date"], refs["converted"].astype(bool),
                      first_mrr=refs["first_mrr"], owner_customer=accounts["account_id"],
                      owner=accounts["owner"], nps_customer=responses["customer_id"],
                      nps_score=responses["score"], first_month=first, last_month=last_month)
per_csm = rf.owners.rename(index=owners).sort_values("referral_rate")
fig, axes = plt.subplots(1, 2, figsize=(12, 4))
axes[0].barh(per_csm.index.astype(str), per_csm["referral_rate"] * 100, color="#31a354")
axes[0].set_xlabel("% of the CSM's active accounts that referred")
s = rf.summary
axes[1].bar(["referrers", "other accounts"], [s["nps_referrers"], s["nps_others"]],
            color=["#31a354", "#bdbdbd"])
axes[1].set_ylabel("NPS")
axes[1].set_title(f"difference {s['nps_diff']:.1f} ({s['nps_diff_ci_low']:.1f} to {s['nps_diff_ci_high']:.1f})")
plt.tight_layout()
plt.show()
{k: s[k] for k in ("active_accounts", "referrers", "referral_rate", "referrals", "conversion_rate",
                   "referred_mrr", "referred_share")}"""),
    ("md", """## Activity by lifecycle stage

The last month's product usage by lifecycle stage, from each account's tenure since its signup
month: onboarding (under 3 months), launch (3 to 5), growth (6 to 11) and mature (12 and more),
the library's default boundaries (`csm.activity(..., group_by="stage")`)."""),
    ("code", """u = usage[usage["month"] == last_month].merge(accounts[["account_id", "signup_month"]], on="account_id")
u["cohort"] = csm.month_index(u["signup_month"])
stages = csm.activity(u, group_by="stage", month=last_month)
rates = ["activation_rate", "login_rate", "feature_breadth", "stickiness"]
ax = (stages[rates] * 100).plot.bar(figsize=(9, 4), rot=0)
ax.set_ylabel("%"); ax.set_xlabel("lifecycle stage")
plt.tight_layout()
plt.show()
stages[["n_accounts"] + rates]"""),
]


def main(out):
    nb = new_notebook()
    for i, (kind, src) in enumerate(CELLS):
        # fixed cell ids (nbformat draws random ones), so that writing the
        # notebook again changes only the cells that were edited
        new = new_markdown_cell if kind == "md" else new_code_cell
        nb.cells.append(new(src, id=f"cell-{i:02d}"))
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    os.makedirs(os.path.dirname(out), exist_ok=True)
    nbformat.write(nb, out)
    print("wrote", out)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "examples", "notebooks", "customer_success.ipynb"))
