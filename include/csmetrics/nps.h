/*
 * csmetrics/nps.h - survey metrics: Net Promoter Score with its standard
 * error, confidence interval and a two-period comparison; CSAT (top-box
 * share) and CES (mean effort score).
 *
 * Scores are small integers (int8_t).  NPS is on the -100..100 scale by
 * definition; shares and CSAT are fractions.  Pure functions: nothing is
 * allocated, no global state; every function is reentrant.
 *
 * Definitions and worked examples: docs/metrics.md, "NPS, CSAT and CES".
 */
#ifndef CSMETRICS_NPS_H
#define CSMETRICS_NPS_H

#include "csmetrics/common.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct csm_nps_opts {
    size_t size;
    /* Confidence level of the interval, in (0, 1).  Default 0.95. */
    double confidence;
} csm_nps_opts;

#define CSM_NPS_OPTS_INIT {sizeof(csm_nps_opts), 0.95}
CSM_API CSM_NODISCARD csm_status csm_nps_opts_init(csm_nps_opts *opts,
                                                   size_t size);

/*
 * NPS result.  With p, q, d the shares of promoters (9-10), passives (7-8)
 * and detractors (0-6):
 *   nps = 100 (p - d)
 *   se  = 100 sqrt((p + d - (p - d)^2) / n_effective)
 *   [ci_low, ci_high] = nps -/+ z se, z = Phi^-1((1 + confidence) / 2)
 *       (Wald), clamped to [-100, 100] (CSM_FLAG_CLAMPED when it bites).
 * The counts are weighted sums for the weighted form; n is the total
 * weight (the number of responses when unweighted) and n_effective is
 * Kish's effective sample size (sum w)^2 / sum w^2 (= n unweighted).
 * n = 0: every figure NaN and CSM_FLAG_EMPTY.  se = 0 (all responses in
 * one category): CSM_FLAG_DEGENERATE, and the interval is [nps, nps].
 */
typedef struct csm_nps_result {
    double nps;
    double promoters, passives, detractors;       /* shares, 0..1 */
    double n_promoters, n_passives, n_detractors; /* counts (weighted) */
    double n;
    double n_effective;
    double se;
    double ci_low, ci_high;
    double confidence;
    uint32_t flags;
} csm_nps_result;

/* NPS of n scores (0..10).  A score outside 0..10 is CSM_EDOMAIN naming
 * the row (field "scores").  Errors: CSM_EINVAL (out NULL, scores NULL
 * with n > 0, confidence outside (0, 1), bad opts size). */
CSM_API CSM_NODISCARD csm_status csm_nps(csm_nps_result *out,
                                         const int8_t *scores, size_t n,
                                         const csm_nps_opts *opts,
                                         csm_error *err);

/* NPS from counts of promoters, passives and detractors (each finite and
 * >= 0, else CSM_EDOMAIN naming the field). */
CSM_API CSM_NODISCARD csm_status
csm_nps_counts(csm_nps_result *out, double promoters, double passives,
               double detractors, const csm_nps_opts *opts, csm_error *err);

/* Weighted NPS (e.g. each response weighted by the account's ARR):
 * shares are weight shares; se uses n_effective.  weights[i] must be
 * finite and >= 0 (CSM_EDOMAIN naming the row, field "weights"). */
CSM_API CSM_NODISCARD csm_status
csm_nps_weighted(csm_nps_result *out, const int8_t *scores,
                 const double *weights, size_t n, const csm_nps_opts *opts,
                 csm_error *err);

/*
 * Difference between two independent periods: diff = after - before,
 * se = sqrt(se_before^2 + se_after^2), z = diff / se, two-sided p-value
 * p = 2 (1 - Phi(|z|)) = erfc(|z| / sqrt 2), interval diff -/+ z_c se.
 * se = 0: z and p NaN with CSM_FLAG_DEGENERATE.  An input with
 * CSM_FLAG_EMPTY gives NaN figures and CSM_FLAG_EMPTY.
 * Errors: CSM_EINVAL (NULL, confidence outside (0, 1)).
 */
typedef struct csm_nps_diff {
    double diff;
    double se;
    double z;
    double p_value;
    double ci_low, ci_high;
    double confidence;
    uint32_t flags;
} csm_nps_diff;

CSM_API CSM_NODISCARD csm_status csm_nps_compare(csm_nps_diff *out,
                                                 const csm_nps_result *before,
                                                 const csm_nps_result *after,
                                                 double confidence,
                                                 csm_error *err);

/* ---- CSAT ------------------------------------------------------------- */
typedef struct csm_csat_opts {
    size_t size;
    int32_t scale_min;   /* lowest score (default 1) */
    int32_t scale_max;   /* highest score (default 5) */
    int32_t top_box_min; /* scores >= this are satisfied (default 4) */
    double confidence;   /* default 0.95 */
} csm_csat_opts;

#define CSM_CSAT_OPTS_INIT {sizeof(csm_csat_opts), 1, 5, 4, 0.95}
CSM_API CSM_NODISCARD csm_status csm_csat_opts_init(csm_csat_opts *opts,
                                                    size_t size);

/*
 * CSAT = satisfied / n with satisfied = responses scoring >= top_box_min;
 * se = sqrt(p (1 - p) / n); the interval is Wilson's score interval
 *   (p + z^2/2n -/+ z sqrt(p(1-p)/n + z^2/4n^2)) / (1 + z^2/n),
 * which stays inside [0, 1] and behaves at p = 0 or 1 where the Wald
 * interval collapses.  n = 0: NaN and CSM_FLAG_EMPTY.
 * Errors: CSM_EDOMAIN (a score outside [scale_min, scale_max], row and
 * field "scores"), CSM_EINVAL (NULL, scale_min >= scale_max, top_box_min
 * outside the scale, confidence outside (0, 1)).
 */
typedef struct csm_csat_result {
    double csat;
    double satisfied;
    double n;
    double se;
    double ci_low, ci_high;
    uint32_t flags;
} csm_csat_result;

CSM_API CSM_NODISCARD csm_status csm_csat(csm_csat_result *out,
                                          const int8_t *scores, size_t n,
                                          const csm_csat_opts *opts,
                                          csm_error *err);

/* ---- CES -------------------------------------------------------------- */
typedef struct csm_ces_opts {
    size_t size;
    int32_t scale_min; /* default 1 */
    int32_t scale_max; /* default 7 */
    double confidence; /* default 0.95 */
} csm_ces_opts;

#define CSM_CES_OPTS_INIT {sizeof(csm_ces_opts), 1, 7, 0.95}
CSM_API CSM_NODISCARD csm_status csm_ces_opts_init(csm_ces_opts *opts,
                                                   size_t size);

/*
 * CES = mean effort score; sd = sample standard deviation (n - 1);
 * se = sd / sqrt(n); interval mean -/+ z se (normal approximation).
 * n = 0: NaN and CSM_FLAG_EMPTY; n = 1: sd, se and the interval NaN with
 * CSM_FLAG_DEGENERATE.  Errors as csm_csat (scores outside the scale are
 * CSM_EDOMAIN with the row).
 */
typedef struct csm_ces_result {
    double ces;
    double sd;
    double se;
    double n;
    double ci_low, ci_high;
    uint32_t flags;
} csm_ces_result;

CSM_API CSM_NODISCARD csm_status csm_ces(csm_ces_result *out,
                                         const int8_t *scores, size_t n,
                                         const csm_ces_opts *opts,
                                         csm_error *err);

#ifdef __cplusplus
}
#endif

#endif /* CSMETRICS_NPS_H */
