/** @file
 * csmetrics/csmetrics.h - umbrella header: includes every public header of
 * libcsmetrics, one per family (family = header = prefix: csm_nps_* in
 * nps.h), plus common.h, table.h and version.h.
 *
 * Every metric is defined, with worked examples, in docs/metrics.md; the
 * result tables every family returns in docs/tables.md and their columns
 * in docs/columns.md; the API's rules (errors, options, memory, threads)
 * in docs/CONVENTIONS.md.
 */
/** @mainpage libcsmetrics API reference
 *
 * Customer-success and SaaS metrics in C11, one header per family
 * (family = header = prefix), all included by csmetrics.h:
 *
 * - common.h: status codes, csm_error, flags, allocators, months and days,
 *   presets; table.h: the result tables every family returns and their
 *   Arrow export; keys.h: the key dictionary (users' string ids and
 *   labels to dense ids and back); version.h: the version compiled
 *   against.
 * - ledger.h (the MRR ledger), contracts.h (contracts normalized to MRR),
 *   subscriptions.h (subscription exports to the ledger), movements.h, retention.h, cohorts.h: the ledger's MRR metrics;
 *   partial.h: mergeable partial results (a family computed by customer
 *   partition, merged and finalized).
 * - catalog.h: the metric catalog (names, aliases, formulas, units,
 *   tables and columns); sql.h: the metrics as SQL for warehouses.
 * - renewals.h: logo and dollar renewal rates of contracts.
 * - km.h, lifetimes.h, sbg.h (all three in survival.h): Kaplan-Meier
 *   survival, customer lifetimes, the shifted-beta-geometric model.
 * - ltv.h, cac.h, unit_economics.h: LTV, CAC and a ledger's unit
 *   economics; projection.h: MRR churn scenarios.
 * - nps.h, csat.h, ces.h: survey metrics.
 * - health.h: configurable health scores; activity.h: product-activity
 *   measures (also by lifecycle stage and product category); team.h:
 *   accounts and ARR per CSM.
 * - churn.h: churn-risk prediction (a penalized logistic regression, its
 *   scores and reasons) and the validation of any risk score (AUC, Brier
 *   score, log loss, calibration, lift).
 * - transitions.h: health band transitions between two months;
 *   reviews.h: diagnosis cadence; interventions.h: intervention effects
 *   (observational); referrals.h: referral rate, conversion, referred MRR
 *   and the NPS of referrers.
 *
 * A typed result struct's members are its table's columns, documented by
 * the descriptions of the family's column list.  The definitions, with
 * worked examples, are in docs/metrics.md and docs/health-scores.md; the
 * result layout in docs/tables.md, every column in docs/columns.md; the
 * API's rules in docs/CONVENTIONS.md.
 */
#ifndef CSMETRICS_CSMETRICS_H
#define CSMETRICS_CSMETRICS_H

#include "csmetrics/version.h"
#include "csmetrics/common.h"
#include "csmetrics/table.h"
#include "csmetrics/keys.h"
#include "csmetrics/ledger.h"
#include "csmetrics/contracts.h"
#include "csmetrics/subscriptions.h"
#include "csmetrics/movements.h"
#include "csmetrics/partial.h"
#include "csmetrics/retention.h"
#include "csmetrics/cohorts.h"
#include "csmetrics/catalog.h"
#include "csmetrics/sql.h"
#include "csmetrics/renewals.h"
#include "csmetrics/km.h"
#include "csmetrics/lifetimes.h"
#include "csmetrics/sbg.h"
#include "csmetrics/ltv.h"
#include "csmetrics/cac.h"
#include "csmetrics/unit_economics.h"
#include "csmetrics/projection.h"
#include "csmetrics/nps.h"
#include "csmetrics/csat.h"
#include "csmetrics/ces.h"
#include "csmetrics/health.h"
#include "csmetrics/activity.h"
#include "csmetrics/team.h"
#include "csmetrics/churn.h"
#include "csmetrics/transitions.h"
#include "csmetrics/reviews.h"
#include "csmetrics/interventions.h"
#include "csmetrics/referrals.h"

#endif /* CSMETRICS_CSMETRICS_H */
