/** @file
 * csmetrics/ces.h - customer effort score (CES): the mean effort rating
 * of survey responses with its standard deviation, standard error and
 * normal confidence interval.
 *
 * Definitions: docs/metrics.md, "NPS, CSAT and CES" ("CES"); the columns:
 * docs/columns.md, "ces".
 */
#ifndef CSMETRICS_CES_H
#define CSMETRICS_CES_H

#include "csmetrics/common.h"
#include "csmetrics/partial.h"
#include "csmetrics/table.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- CES -------------------------------------------------------------- */
/** Options of csm_ces; fill the defaults with the
 * _INIT macro or the _opts_init function. */
typedef struct csm_ces_opts {
    size_t size; /**< sizeof the struct as the caller knows it */
    int32_t scale_min; /**< lowest score (default 1) */
    int32_t scale_max; /**< highest score (default 7) */
    double confidence; /**< level of the interval, in (0, 1); default 0.95 */
} csm_ces_opts;

/** Initialiser of every option at its default (size = sizeof the struct). */
#define CSM_CES_OPTS_INIT {sizeof(csm_ces_opts), 1, 7, 0.95}
/** Set *opts (size bytes of it) to the defaults; CSM_EINVAL if opts
 * is NULL or size < sizeof(size_t). */
CSM_API CSM_NODISCARD csm_status csm_ces_opts_init(csm_ces_opts *opts,
                                                   size_t size);

/** The fields of csm_ces_result and the columns of the table "ces"
 * (csm_ces_results; docs/columns.md, "ces"): X(member, "column", TYPE,
 * STORAGE, ROLE, "description"), as csmetrics/table.h explains. */
#define CSM_CES_RESULT_COLUMNS(X)                                              \
    X(ces, "ces", NUMBER, F64, MAIN, "mean effort score")                      \
    X(sd, "sd", NUMBER, F64, DETAIL, "sample standard deviation (n - 1)")      \
    X(se, "se", NUMBER, F64, MAIN, "standard error sd / sqrt(n)")              \
    X(n, "n", COUNT, F64, MAIN, "responses")                                   \
    X(ci_low, "ci_low", NUMBER, F64, MAIN,                                     \
      "lower bound of the normal interval")                                    \
    X(ci_high, "ci_high", NUMBER, F64, MAIN,                                   \
      "upper bound of the normal interval")                                    \
    X(flags, "flags", FLAGS, U32, DETAIL,                                      \
      "CSM_FLAG_EMPTY, CSM_FLAG_DEGENERATE")

/** A CES and its figures (csm_ces), one field per column of
 * CSM_CES_RESULT_COLUMNS. */
typedef struct csm_ces_result {
    CSM_CES_RESULT_COLUMNS(CSM_FIELD_MEMBER)
} csm_ces_result;

/**
 * CES = mean effort score; sd = sample standard deviation (n - 1);
 * se = sd / sqrt(n); interval mean -/+ z se (normal approximation).
 * n = 0: NaN and CSM_FLAG_EMPTY; n = 1: sd, se and the interval NaN with
 * CSM_FLAG_DEGENERATE.  Errors as csm_csat (scores outside the scale are
 * CSM_EDOMAIN with the row).
 */
CSM_API CSM_NODISCARD csm_status csm_ces(csm_ces_result *out,
                                         const int8_t *scores, size_t n,
                                         const csm_ces_opts *opts,
                                         csm_error *err);

/** CES from a histogram of the scores: counts[i] responses scored
 * scale_min + i, n_counts = scale_max - scale_min + 1 (else CSM_EINVAL,
 * field "n_counts"); each count finite and >= 0 (else CSM_EDOMAIN at its
 * row i, field "counts"; their total at most CSM_SUM_MAX, else
 * CSM_ERANGE at the row that passes it, field "counts"); counts NULL:
 * CSM_EINVAL.  Options and other
 * errors as csm_ces.  The sums are compensated with exact products, so
 * for whole counts the mean is exactly csm_ces's and sd, se and the
 * interval agree with it to the rounding of a compensated sum (far below
 * 1e-12 relative).  For hosts that keep counts. */
CSM_API CSM_NODISCARD csm_status csm_ces_counts(csm_ces_result *out,
                                                const double *counts,
                                                size_t n_counts,
                                                const csm_ces_opts *opts,
                                                csm_error *err);

/* ---- result table: csm_nps_table (nps.h) explains these copies ---- */
/** CES results as a table: the typed view of the table "ces", as
 * csm_ces_table returns it (csm_nps_results in nps.h explains these
 * copies). */
typedef struct csm_ces_results {
    csm_result *result; /**< the self-describing table "ces" */
    size_t n_rows;      /**< rows: results copied, in the given order */
    int32_t *group; /**< key: the caller's group code, or the row index */
    CSM_CES_RESULT_COLUMNS(CSM_COLUMN_MEMBER)
} csm_ces_results;

/** Copy n CES results into the table "ces", as csm_nps_table (nps.h)
 * does: key "group", one column per field, the allocator in opts. */
CSM_API CSM_NODISCARD csm_status csm_ces_table(csm_ces_results **out,
                                               const csm_ces_result *rows,
                                               const int32_t *group, size_t n,
                                               const csm_result_opts *opts,
                                               csm_error *err);
/** Free a table of CES results (NULL is allowed):
 * csm_result_free(t->result). */
CSM_API void csm_ces_results_free(csm_ces_results *t);

/* ---- CES by partition (csmetrics/partial.h) ----------------------------- */
/**
 * The partial state (CSM_PARTIAL_CES) of the CES of some of the responses:
 * per group, the count of each score of the scale.  As
 * csm_csat_partial_compute (csat.h); csm_ces_partial_finalize gives the
 * table "ces", each row csm_ces_counts of the group's counts: csm_ces of
 * its responses (the mean exactly, sd and the interval to 1e-12
 * relative).  Errors: those of csm_ces, a group CSM_CODE_ALL (CSM_EDOMAIN,
 * field "group"), a scale of over 240,002 scores (CSM_EINVAL, field
 * "opts.scale_max"), CSM_ENOMEM.  On failure *out is NULL.
 */
CSM_API CSM_NODISCARD csm_status csm_ces_partial_compute(
    csm_partial **out, const int8_t *scores, const int32_t *group, size_t n,
    const csm_ces_opts *opts, csm_error *err);

/** The table "ces" of a (merged) state from csm_ces_partial_compute.  Free
 * with csm_ces_results_free.  Errors: CSM_EINVAL (out or partial NULL; a
 * state of another family: field "partial"), CSM_ENOMEM.  On failure *out
 * is NULL. */
CSM_API CSM_NODISCARD csm_status csm_ces_partial_finalize(
    csm_ces_results **out, const csm_partial *partial, csm_error *err);

#ifdef __cplusplus
}
#endif

#endif /* CSMETRICS_CES_H */
