/*
 * csmetrics/projection.h - MRR churn scenarios: month-by-month projection
 * of MRR under several churn / expansion / new-MRR scenarios at once, and
 * the closed form for constant rates.
 *
 * Pure functions: the caller provides the output table; no allocation.
 * Definitions and worked examples: docs/metrics.md, "Churn scenarios".
 */
#ifndef CSMETRICS_PROJECTION_H
#define CSMETRICS_PROJECTION_H

#include "csmetrics/common.h"
#include "csmetrics/ltv.h" /* csm_metric */

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Fill table (row-major, (months + 1) x n_scenarios; row t = month t,
 * row 0 = start_mrr) with
 *   MRR_{t+1} = MRR_t x (1 - churn[s] + expansion[s]) + new_mrr[s]
 * for each scenario s: churn = monthly gross MRR churn rate (0..1),
 * expansion = monthly expansion rate (>= 0; NULL = 0), new_mrr = new MRR
 * added each month (>= 0; NULL = 0).
 * Errors: CSM_EINVAL (table NULL with a non-empty table, churn NULL with
 * n_scenarios > 0), CSM_EDOMAIN (start_mrr negative or not finite: field
 * "start_mrr"; a scenario's value out of range: row = scenario index and
 * field "churn" / "expansion" / "new_mrr"), CSM_ERANGE ((months + 1) x
 * n_scenarios overflows).  months = 0 fills row 0 only; n_scenarios = 0
 * fills nothing.
 */
CSM_API CSM_NODISCARD csm_status csm_project_mrr(
    double *table, size_t months, size_t n_scenarios, double start_mrr,
    const double *churn, const double *expansion, const double *new_mrr,
    csm_error *err);

/*
 * Closed form for constant rates: g = 1 - churn + expansion,
 *   MRR_t = MRR_0 g^t + N (1 - g^t) / (1 - g)   (g != 1)
 *   MRR_t = MRR_0 + N t                          (g == 1)
 * NaN for inputs outside the domain of csm_project_mrr or t < 0.
 */
CSM_API double csm_project_mrr_closed(double start_mrr, double churn,
                                      double expansion, double new_mrr,
                                      double t);

/* Steady-state MRR N / (churn - expansion), reached when churn >
 * expansion; otherwise MRR grows without bound: NaN and
 * CSM_FLAG_ZERO_DENOMINATOR.  Errors: CSM_EINVAL (out NULL), CSM_EDOMAIN
 * (inputs out of range, naming the field). */
CSM_API CSM_NODISCARD csm_status csm_project_steady_state(csm_metric *out,
                                                          double churn,
                                                          double expansion,
                                                          double new_mrr,
                                                          csm_error *err);

#ifdef __cplusplus
}
#endif

#endif /* CSMETRICS_PROJECTION_H */
