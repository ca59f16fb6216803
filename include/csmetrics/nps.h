/** @file
 * csmetrics/nps.h - Net Promoter Score: the score with its standard error
 * and confidence interval, from scores, counts or weighted responses, per
 * group in one call, and a two-period comparison.  CSAT (top-box share) is
 * in csat.h, CES (mean effort score) in ces.h.
 *
 * Scores are small integers (int8_t).  NPS is on the -100..100 scale by
 * definition; shares are fractions.  The metric functions are pure:
 * nothing is allocated, no global state; every function is reentrant.
 *
 * Result tables: each result struct's fields are declared once, as an
 * X-macro column list (CSM_NPS_RESULT_COLUMNS, CSM_NPS_DIFF_COLUMNS here;
 * CSM_CSAT_RESULT_COLUMNS, CSM_CES_RESULT_COLUMNS in csat.h and ces.h;
 * csmetrics/table.h).  The same list gives the struct (CSM_FIELD_MEMBER)
 * and a typed table view (CSM_COLUMN_MEMBER): csm_nps_table,
 * csm_nps_diff_table, csm_csat_table and csm_ces_table copy an array of n
 * results (one per segment, period, survey...) into a one-table csm_result
 * whose first column is the "group" key.  The naming is the same for every
 * scalar family (ltv.h too): the result struct `csm_<name>[_result]` has
 * the column list `CSM_<NAME>[_RESULT]_COLUMNS`, the table function
 * `csm_<name>_table`, the typed view `csm_<name>_results`, its free
 * `csm_<name>_results_free`, and the table and result kind are named
 * `"<name>"`.
 *
 * Definitions and worked examples: docs/metrics.md, "NPS, CSAT and CES"
 * ("Net Promoter Score", "Comparing two periods", "NPS by group"); the
 * columns: docs/columns.md, "nps" and "nps_diff".
 */
#ifndef CSMETRICS_NPS_H
#define CSMETRICS_NPS_H

#include "csmetrics/common.h"
#include "csmetrics/partial.h"
#include "csmetrics/table.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Options of the csm_nps call; fill the defaults with the
 * _INIT macro or the _opts_init function. */
typedef struct csm_nps_opts {
    size_t size; /**< sizeof the struct as the caller knows it */
    /** Confidence level of the interval, in (0, 1).  Default 0.95. */
    double confidence;
    /** Allocator of the table csm_nps_by_group returns and of its work
     * arrays (copied; NULL = malloc/free).  The other calls allocate
     * nothing. */
    const csm_allocator *allocator;
} csm_nps_opts;

/** Initialiser of every option at its default (size = sizeof the struct). */
#define CSM_NPS_OPTS_INIT {sizeof(csm_nps_opts), 0.95, NULL}
/** Set *opts (size bytes of it) to the defaults; CSM_EINVAL if opts
 * is NULL or size < sizeof(size_t). */
CSM_API CSM_NODISCARD csm_status csm_nps_opts_init(csm_nps_opts *opts,
                                                   size_t size);

/**
 * NPS result.  With p, q, d the shares of promoters (9-10), passives (7-8)
 * and detractors (0-6):
 * @code{.unparsed}
 *   nps = 100 (p - d)
 *   se  = 100 sqrt((p + d - (p - d)^2) / n_effective)
 *   [ci_low, ci_high] = nps -/+ z se, z = Phi^-1((1 + confidence) / 2)
 *       (Wald), clamped to [-100, 100] (CSM_FLAG_CLAMPED when it bites).
 * @endcode
 * The counts are weighted sums for the weighted form; n is the total
 * weight (the number of responses when unweighted) and n_effective is
 * Kish's effective sample size (sum w)^2 / sum w^2 (= n unweighted).
 * n = 0: every figure NaN and CSM_FLAG_EMPTY.  se = 0 (all responses in
 * one category): CSM_FLAG_DEGENERATE, and the interval is [nps, nps].
 *
 * This list is the fields of csm_nps_result and the columns of the table
 * "nps" (csm_nps_results; docs/columns.md, "nps"): X(member, "column",
 * TYPE, STORAGE, ROLE, "description"), as csmetrics/table.h explains.
 */
#define CSM_NPS_RESULT_COLUMNS(X)                                              \
    X(nps, "nps", NUMBER, F64, MAIN, "Net Promoter Score, -100..100")          \
    X(promoters, "promoters", FRACTION, F64, MAIN,                             \
      "share of promoters (9-10), 0..1")                                       \
    X(passives, "passives", FRACTION, F64, MAIN,                               \
      "share of passives (7-8), 0..1")                                         \
    X(detractors, "detractors", FRACTION, F64, MAIN,                           \
      "share of detractors (0-6), 0..1")                                       \
    X(n_promoters, "n_promoters", COUNT, F64, DETAIL,                          \
      "promoters (sum of their weights when weighted)")                        \
    X(n_passives, "n_passives", COUNT, F64, DETAIL,                            \
      "passives (sum of their weights when weighted)")                         \
    X(n_detractors, "n_detractors", COUNT, F64, DETAIL,                        \
      "detractors (sum of their weights when weighted)")                       \
    X(n, "n", COUNT, F64, MAIN, "responses (total weight when weighted)")     \
    X(n_effective, "n_effective", NUMBER, F64, DETAIL,                         \
      "Kish's effective sample size (sum w)^2 / sum w^2; = n unweighted")      \
    X(se, "se", NUMBER, F64, MAIN, "standard error of the NPS, in points")     \
    X(ci_low, "ci_low", NUMBER, F64, MAIN,                                     \
      "lower bound of the Wald interval, clamped to -100")                     \
    X(ci_high, "ci_high", NUMBER, F64, MAIN,                                   \
      "upper bound of the Wald interval, clamped to 100")                      \
    X(confidence, "confidence", FRACTION, F64, DETAIL,                         \
      "confidence level of the interval")                                      \
    X(flags, "flags", FLAGS, U32, DETAIL,                                      \
      "CSM_FLAG_EMPTY, CSM_FLAG_DEGENERATE, CSM_FLAG_CLAMPED")

/** An NPS and its figures (csm_nps, csm_nps_counts, csm_nps_weighted), one
 * field per column of CSM_NPS_RESULT_COLUMNS. */
typedef struct csm_nps_result {
    CSM_NPS_RESULT_COLUMNS(CSM_FIELD_MEMBER)
} csm_nps_result;

/** NPS of n scores (0..10).  A score outside 0..10 is CSM_EDOMAIN naming
 * the row (field "scores").  Errors: CSM_EINVAL (out NULL, scores NULL
 * with n > 0, confidence outside (0, 1), bad opts size). */
CSM_API CSM_NODISCARD csm_status csm_nps(csm_nps_result *out,
                                         const int8_t *scores, size_t n,
                                         const csm_nps_opts *opts,
                                         csm_error *err);

/** NPS from counts of promoters, passives and detractors (each finite and
 * >= 0, else CSM_EDOMAIN naming the field; their total at most CSM_SUM_MAX,
 * else CSM_ERANGE naming the count that passes it). */
CSM_API CSM_NODISCARD csm_status
csm_nps_counts(csm_nps_result *out, double promoters, double passives,
               double detractors, const csm_nps_opts *opts, csm_error *err);

/** NPS from a histogram of the scores: counts[s] responses scored s, for
 * s = 0..10 (n_counts must be 11: CSM_EINVAL, field "n_counts"; each count
 * finite and >= 0, else CSM_EDOMAIN at its row s, field "counts"; their
 * total at most CSM_SUM_MAX, else CSM_ERANGE at the row that passes it,
 * field "counts"; counts NULL: CSM_EINVAL).  The scores are classified as csm_nps does and the
 * result is csm_nps_counts of the three sums: for whole counts exactly
 * what csm_nps gives on the responses themselves (interval included).
 * For hosts that keep counts (an SQL aggregate's state, a partial state). */
CSM_API CSM_NODISCARD csm_status
csm_nps_score_counts(csm_nps_result *out, const double *counts,
                     size_t n_counts, const csm_nps_opts *opts,
                     csm_error *err);

/** Weighted NPS (each response weighted by, say, the account's ARR):
 * shares are weight shares; se uses n_effective.  weights[i] must be
 * finite and >= 0 (CSM_EDOMAIN naming the row, field "weights"), and
 * their running sum within CSM_SUM_MAX (CSM_ERANGE naming the row where it
 * passes).  Scale-free: n_effective is computed from the weights divided
 * by the largest, so weights of 1e-170 or 1e150 give what weights of 1
 * give.  All responses in one category: se = 0, the interval is the point
 * estimate and CSM_FLAG_DEGENERATE is set. */
CSM_API CSM_NODISCARD csm_status
csm_nps_weighted(csm_nps_result *out, const int8_t *scores,
                 const double *weights, size_t n, const csm_nps_opts *opts,
                 csm_error *err);

/**
 * Difference between two independent periods: diff = after - before,
 * se = sqrt(se_before^2 + se_after^2), z = diff / se, two-sided p-value
 * p = 2 (1 - Phi(|z|)) = erfc(|z| / sqrt 2), interval diff -/+ z_c se.
 * se = 0: z and p NaN with CSM_FLAG_DEGENERATE.  An input with
 * CSM_FLAG_EMPTY gives NaN figures and CSM_FLAG_EMPTY.  The confidence
 * level z_c is opts->confidence (NULL opts = 0.95), the option csm_nps uses
 * for one period.
 * Errors: CSM_EINVAL (NULL out, before or after; opts.confidence outside
 * (0, 1) or a bad opts size).
 */
/** The fields of csm_nps_diff and the columns of the table "nps_diff"
 * (csm_nps_diff_results; docs/columns.md, "nps_diff"): X(member, "column",
 * TYPE, STORAGE, ROLE, "description"), as csmetrics/table.h explains. */
#define CSM_NPS_DIFF_COLUMNS(X)                                                \
    X(diff, "diff", NUMBER, F64, MAIN, "NPS after - NPS before, in points")    \
    X(se, "se", NUMBER, F64, DETAIL,                                           \
      "standard error of the difference, in points")                           \
    X(z, "z", NUMBER, F64, MAIN, "diff / se")                                  \
    X(p_value, "p_value", NUMBER, F64, MAIN, "two-sided p-value of z")         \
    X(ci_low, "ci_low", NUMBER, F64, MAIN,                                     \
      "lower bound of the interval of the difference")                         \
    X(ci_high, "ci_high", NUMBER, F64, MAIN,                                   \
      "upper bound of the interval of the difference")                         \
    X(confidence, "confidence", FRACTION, F64, DETAIL,                         \
      "confidence level of the interval")                                      \
    X(flags, "flags", FLAGS, U32, DETAIL,                                      \
      "CSM_FLAG_EMPTY, CSM_FLAG_DEGENERATE")

/** The difference between two NPS results (csm_nps_compare), one field per
 * column of CSM_NPS_DIFF_COLUMNS. */
typedef struct csm_nps_diff {
    CSM_NPS_DIFF_COLUMNS(CSM_FIELD_MEMBER)
} csm_nps_diff;

/** Compare two periods' NPS (formula in the comment of CSM_NPS_DIFF_COLUMNS
 * above): *out = after - before with its standard error, z, p-value and
 * interval at opts->confidence (NULL opts = 0.95).  Errors: CSM_EINVAL
 * (out, before or after NULL; opts.confidence outside (0, 1)). */
CSM_API CSM_NODISCARD csm_status csm_nps_compare(csm_nps_diff *out,
                                                 const csm_nps_result *before,
                                                 const csm_nps_result *after,
                                                 const csm_nps_opts *opts,
                                                 csm_error *err);

/* ---- result tables ------------------------------------------------------ */
/**
 * Copy n results into a one-table result, one row per result in the given
 * order (e.g. the NPS of each segment, or of each quarter):
 *
 *   csm_nps_results *t = NULL;
 *   csm_status st = csm_nps_table(&t, per_segment, segment_ids, n, NULL, &e);
 *                                               // NULL: default csm_result_opts
 *   ... t->nps[i], t->ci_low[i], or csm_result_table(t->result, 0) ...
 *   csm_nps_results_free(t);
 *
 * The table (named "nps", "nps_diff", "csat" or "ces", as the result's
 * kind) has the key column "group" (CODE, int32) first, then one column per
 * field of the struct, in the struct's order, named as the field (the
 * names Python shows).  group[i] is the caller's code for row i (a segment,
 * owner or period id; CSM_CODE_ALL marks an all-groups row and is null in
 * Arrow); group NULL numbers the rows 0..n-1.  Values are copied as they
 * are: NaN figures (an empty survey) are NaN in the table, null in Arrow.
 * n = 0 gives a table of 0 rows (rows and group may then be NULL).
 *
 * The result is one block from opts->allocator (NULL opts or allocator =
 * malloc/free, csmetrics/table.h csm_result_opts); it does not
 * refer to `rows` or `group` afterwards.  Release it with the matching
 * csm_<name>_results_free (= csm_result_free(t->result); NULL allowed).
 * Errors: CSM_EINVAL (out NULL; rows NULL with n > 0), CSM_ERANGE (group
 * NULL and n > INT32_MAX), CSM_ENOMEM (*out is NULL on any error).
 */
typedef struct csm_nps_results {
    csm_result *result; /**< the self-describing table "nps" */
    size_t n_rows;      /**< rows: one per result or group */
    int32_t *group; /**< key: the caller's group code, or the row index */
    CSM_NPS_RESULT_COLUMNS(CSM_COLUMN_MEMBER)
} csm_nps_results;

/** Copy n NPS results into the table "nps" (see the comment above
 * csm_nps_results: key "group", one column per field; opts: allocator). */
CSM_API CSM_NODISCARD csm_status csm_nps_table(csm_nps_results **out,
                                               const csm_nps_result *rows,
                                               const int32_t *group, size_t n,
                                               const csm_result_opts *opts,
                                               csm_error *err);
/** Free a table of NPS results (NULL is allowed):
 * csm_result_free(t->result). */
CSM_API void csm_nps_results_free(csm_nps_results *t);

/**
 * NPS of each group of n responses in one call: response i (score
 * scores[i], 0..10, weight weights[i] or 1 when weights is NULL) belongs
 * to group group[i], any int32 code but CSM_CODE_ALL.  The result is the
 * table "nps" of csm_nps_table: one row per distinct code that has at
 * least one response, in ascending code order, "group" the code and the
 * other columns csm_nps_weighted (csm_nps when weights is NULL) of the
 * group's responses in their input order (so a group's figures are
 * exactly those of csm_nps over its responses).  The caller passes the
 * whole arrays; nothing is copied per group.  n = 0 gives a table of 0
 * rows.  The table and the work arrays (the distinct codes, a few dozen
 * bytes a group) come from opts->allocator (NULL = malloc/free); release the
 * table with csm_nps_results_free.
 * Errors: CSM_EINVAL (out NULL; scores or group NULL with n > 0;
 * confidence outside (0, 1) or a bad opts size), CSM_EDOMAIN (a score
 * outside 0..10, a weight negative or not finite, a group code equal to
 * CSM_CODE_ALL: the row and the field "scores", "weights" or "group"),
 * CSM_ENOMEM; *out is NULL on any error.
 */
CSM_API CSM_NODISCARD csm_status csm_nps_by_group(
    csm_nps_results **out, const int8_t *scores, const double *weights,
    const int32_t *group, size_t n, const csm_nps_opts *opts,
    csm_error *err);

/** NPS differences as a table: the typed view of the table "nps_diff", as
 * csm_nps_diff_table returns it (csm_nps_results explains these copies). */
typedef struct csm_nps_diff_results {
    csm_result *result; /**< the self-describing table "nps_diff" */
    size_t n_rows;      /**< rows: differences copied, in the given order */
    int32_t *group; /**< key: the caller's group code, or the row index */
    CSM_NPS_DIFF_COLUMNS(CSM_COLUMN_MEMBER)
} csm_nps_diff_results;

/** Copy n comparisons into the table "nps_diff", as csm_nps_table does. */
CSM_API CSM_NODISCARD csm_status csm_nps_diff_table(
    csm_nps_diff_results **out, const csm_nps_diff *rows,
    const int32_t *group, size_t n, const csm_result_opts *opts,
    csm_error *err);
/** Free a table of NPS differences (NULL is allowed):
 * csm_result_free(t->result). */
CSM_API void csm_nps_diff_results_free(csm_nps_diff_results *t);

/* ---- NPS by partition (csmetrics/partial.h) ----------------------------- */
/**
 * The partial state (CSM_PARTIAL_NPS) of the NPS of some of the
 * responses: per group, the count of each score 0..10.  Response i has
 * score scores[i] (0..10) and group group[i] (any int32 code but
 * CSM_CODE_ALL: a period, a segment...; group NULL = one group).  States
 * of parts of the responses with the same opts (confidence) merge with
 * csm_partial_merge in any order; csm_nps_partial_finalize gives the
 * table "nps" csm_nps_by_group gives (unweighted) on all the responses
 * (group NULL: one row, group CSM_CODE_ALL, csm_nps of all the responses,
 * CSM_FLAG_EMPTY when there are none), exactly: the counts are exact and
 * the figures computed from them as csm_nps_score_counts does.  A
 * response may be in any part (no customer rule here).  Memory: 88 bytes
 * a group.  Errors: CSM_EINVAL (out NULL; scores NULL while n > 0; bad
 * opts), CSM_EDOMAIN (a score outside 0..10 or a group CSM_CODE_ALL: row
 * and field "scores" or "group"), CSM_ENOMEM.  opts->allocator allocates
 * the state and the table finalized from it.  On failure *out is NULL.
 * Weighted responses have no partial state.
 */
CSM_API CSM_NODISCARD csm_status csm_nps_partial_compute(
    csm_partial **out, const int8_t *scores, const int32_t *group, size_t n,
    const csm_nps_opts *opts, csm_error *err);

/** The table "nps" of a (merged) state from csm_nps_partial_compute: one
 * row per group with responses, ascending (group NULL: one row,
 * CSM_CODE_ALL).  Free with csm_nps_results_free.  Errors: CSM_EINVAL
 * (out or partial NULL; a state of another family: field "partial"),
 * CSM_ENOMEM.  On failure *out is NULL. */
CSM_API CSM_NODISCARD csm_status csm_nps_partial_finalize(
    csm_nps_results **out, const csm_partial *partial, csm_error *err);

#ifdef __cplusplus
}
#endif

#endif /* CSMETRICS_NPS_H */
