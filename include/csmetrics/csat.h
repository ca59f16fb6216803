/** @file
 * csmetrics/csat.h - customer satisfaction (CSAT): the share of responses
 * in the top box of a rating scale, with a Wilson confidence interval.
 *
 * Definitions: docs/metrics.md, "NPS, CSAT and CES" ("CSAT"); the columns:
 * docs/columns.md, "csat".
 */
#ifndef CSMETRICS_CSAT_H
#define CSMETRICS_CSAT_H

#include "csmetrics/common.h"
#include "csmetrics/partial.h"
#include "csmetrics/table.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- CSAT ------------------------------------------------------------- */
/** Options of csm_csat; fill the defaults with the
 * _INIT macro or the _opts_init function. */
typedef struct csm_csat_opts {
    size_t size; /**< sizeof the struct as the caller knows it */
    int32_t scale_min;   /**< lowest score (default 1) */
    int32_t scale_max;   /**< highest score (default 5) */
    int32_t top_box_min; /**< scores >= this are satisfied (default 4) */
    double confidence;   /**< level of the interval, in (0, 1); default 0.95 */
} csm_csat_opts;

/** Initialiser of every option at its default (size = sizeof the struct). */
#define CSM_CSAT_OPTS_INIT {sizeof(csm_csat_opts), 1, 5, 4, 0.95}
/** Set *opts (size bytes of it) to the defaults; CSM_EINVAL if opts
 * is NULL or size < sizeof(size_t). */
CSM_API CSM_NODISCARD csm_status csm_csat_opts_init(csm_csat_opts *opts,
                                                    size_t size);

/** The fields of csm_csat_result and the columns of the table "csat"
 * (csm_csat_results; docs/columns.md, "csat"): X(member, "column", TYPE,
 * STORAGE, ROLE, "description"), as csmetrics/table.h explains. */
#define CSM_CSAT_RESULT_COLUMNS(X)                                             \
    X(csat, "csat", FRACTION, F64, MAIN, "share of satisfied responses, 0..1") \
    X(satisfied, "satisfied", COUNT, F64, DETAIL,                              \
      "responses scoring >= top_box_min")                                      \
    X(n, "n", COUNT, F64, MAIN, "responses")                                   \
    X(se, "se", FRACTION, F64, MAIN, "standard error sqrt(p (1 - p) / n)")    \
    X(ci_low, "ci_low", FRACTION, F64, MAIN,                                   \
      "lower bound of Wilson's score interval")                                \
    X(ci_high, "ci_high", FRACTION, F64, MAIN,                                 \
      "upper bound of Wilson's score interval")                                \
    X(flags, "flags", FLAGS, U32, DETAIL, "CSM_FLAG_EMPTY")

/** A CSAT and its figures (csm_csat), one field per column of
 * CSM_CSAT_RESULT_COLUMNS. */
typedef struct csm_csat_result {
    CSM_CSAT_RESULT_COLUMNS(CSM_FIELD_MEMBER)
} csm_csat_result;

/**
 * CSAT = satisfied / n with satisfied = responses scoring >= top_box_min;
 * se = sqrt(p (1 - p) / n); the interval is Wilson's score interval
 * @code{.unparsed}
 *   (p + z^2/2n -/+ z sqrt(p(1-p)/n + z^2/4n^2)) / (1 + z^2/n),
 * @endcode
 * which stays inside [0, 1] and behaves at p = 0 or 1 where the Wald
 * interval collapses.  n = 0: NaN and CSM_FLAG_EMPTY.
 * Errors: CSM_EDOMAIN (a score outside [scale_min, scale_max], row and
 * field "scores"), CSM_EINVAL (NULL, scale_min >= scale_max, top_box_min
 * outside the scale, confidence outside (0, 1)).
 */
CSM_API CSM_NODISCARD csm_status csm_csat(csm_csat_result *out,
                                          const int8_t *scores, size_t n,
                                          const csm_csat_opts *opts,
                                          csm_error *err);

/** CSAT from a histogram of the scores: counts[i] responses scored
 * scale_min + i, n_counts = scale_max - scale_min + 1 (else CSM_EINVAL,
 * field "n_counts"); each count finite and >= 0 (else CSM_EDOMAIN at its
 * row i, field "counts"; their total at most CSM_SUM_MAX, else
 * CSM_ERANGE at the row that passes it, field "counts"); counts NULL:
 * CSM_EINVAL.  Options and other
 * errors as csm_csat; for whole counts the result is exactly what csm_csat
 * gives on the responses themselves.  For hosts that keep counts. */
CSM_API CSM_NODISCARD csm_status csm_csat_counts(csm_csat_result *out,
                                                 const double *counts,
                                                 size_t n_counts,
                                                 const csm_csat_opts *opts,
                                                 csm_error *err);

/* ---- result table: csm_nps_table (nps.h) explains these copies ---- */
/** CSAT results as a table: the typed view of the table "csat", as
 * csm_csat_table returns it (csm_nps_results in nps.h explains these
 * copies). */
typedef struct csm_csat_results {
    csm_result *result; /**< the self-describing table "csat" */
    size_t n_rows;      /**< rows: results copied, in the given order */
    int32_t *group; /**< key: the caller's group code, or the row index */
    CSM_CSAT_RESULT_COLUMNS(CSM_COLUMN_MEMBER)
} csm_csat_results;

/** Copy n CSAT results into the table "csat", as csm_nps_table (nps.h)
 * does: key "group", one column per field, the allocator in opts. */
CSM_API CSM_NODISCARD csm_status csm_csat_table(csm_csat_results **out,
                                                const csm_csat_result *rows,
                                                const int32_t *group,
                                                size_t n,
                                                const csm_result_opts *opts,
                                                csm_error *err);
/** Free a table of CSAT results (NULL is allowed):
 * csm_result_free(t->result). */
CSM_API void csm_csat_results_free(csm_csat_results *t);

/* ---- CSAT by partition (csmetrics/partial.h) ---------------------------- */
/**
 * The partial state (CSM_PARTIAL_CSAT) of the CSAT of some of the
 * responses: per group, the count of each score of the scale.  As
 * csm_nps_partial_compute (nps.h): group NULL = one group; states with
 * the same opts merge; csm_csat_partial_finalize gives the table "csat",
 * one row per group with responses in ascending code order, each csm_csat
 * of the group's responses (group NULL: one row, CSM_CODE_ALL), exactly.
 * Memory: 8 bytes a score of the scale a group.  Errors: those of csm_csat
 * (a score off the scale: CSM_EDOMAIN, row, field "scores"), a group
 * CSM_CODE_ALL (CSM_EDOMAIN, field "group"), a scale of over 240,002
 * scores (CSM_EINVAL, field "opts.scale_max": no state travels with
 * more), CSM_ENOMEM.  On failure *out is NULL.
 */
CSM_API CSM_NODISCARD csm_status csm_csat_partial_compute(
    csm_partial **out, const int8_t *scores, const int32_t *group, size_t n,
    const csm_csat_opts *opts, csm_error *err);

/** The table "csat" of a (merged) state from csm_csat_partial_compute (see
 * there).  Free with csm_csat_results_free.  Errors: CSM_EINVAL (out or
 * partial NULL; a state of another family: field "partial"), CSM_ENOMEM.
 * On failure *out is NULL. */
CSM_API CSM_NODISCARD csm_status csm_csat_partial_finalize(
    csm_csat_results **out, const csm_partial *partial, csm_error *err);

#ifdef __cplusplus
}
#endif

#endif /* CSMETRICS_CSAT_H */
