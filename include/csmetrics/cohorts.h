/** @file
 * csmetrics/cohorts.h - cohort matrices (customers and MRR retained by
 * cohort and age) from a ledger.
 *
 * Definitions: docs/metrics.md, "Cohorts (csm_cohorts_compute)"; the
 * columns: docs/columns.md, "cohorts".
 */
#ifndef CSMETRICS_COHORTS_H
#define CSMETRICS_COHORTS_H

#include "csmetrics/common.h"
#include "csmetrics/ledger.h"
#include "csmetrics/partial.h"
#include "csmetrics/table.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- cohorts ----------------------------------------------------------- */
/** Options of csm_cohorts_compute; fill the defaults with the
 * _INIT macro or the _opts_init function. */
typedef struct csm_cohorts_opts {
    size_t size; /**< sizeof the struct as the caller knows it */
    /** Optional caller-given cohort key per customer (the signing month, say):
     * n_keys pairs (key_customer[i], key_month[i]).  Customers without a
     * key use their first active month.  Activity before a customer's key
     * month is ignored. */
    const int64_t *key_customer;
    const int32_t *key_month; /**< cohort month of key_customer[i], in
                                 [CSM_MONTH_MIN, CSM_MONTH_MAX] (NULL
                                 when n_keys = 0) */
    size_t n_keys;            /**< pairs in key_customer / key_month */
    int baseline; /**< age that counts as 100%: 0 (default) or 1 (definition option 13) */
    int by_segment; /**< segment = the customer's segment in its first month */
    int32_t max_age; /**< ages 0..max_age; <= 0 = up to the ledger's end */
} csm_cohorts_opts;

/** Initialiser of every option at its default (size = sizeof the struct). */
#define CSM_COHORTS_OPTS_INIT                                                   \
    {sizeof(csm_cohorts_opts), NULL, NULL, 0, 0, 0, 0}
/** Set *opts (size bytes of it) to the defaults; CSM_EINVAL if opts
 * is NULL or size < sizeof(size_t). */
CSM_API CSM_NODISCARD csm_status csm_cohorts_opts_init(csm_cohorts_opts *opts,
                                                      size_t size);

/**
 * Cohort matrices [cohort x age], row-major with n_ages columns.  Cell
 * (k, a) covers month cohort[k] + a.  customers = cohort members active in
 * that month, mrr = their MRR; *_frac = value / the cohort's value at the
 * baseline age.  Cells past the ledger's last month are NaN (not yet
 * observed; null in Arrow).  A zero baseline gives NaN fractions and
 * CSM_FLAG_ZERO_DENOMINATOR in the row's flags.  Cohorts are ordered by
 * cohort month then segment.
 *
 * The result holds two tables (csmetrics/table.h):
 * - "cohorts" (n_cohorts rows, CSM_COHORTS_COLUMNS): one row per cohort;
 * - "cohort_cells" (n_cohorts x n_ages rows, CSM_COHORT_CELLS_COLUMNS):
 *   one row per cell in row-major order, so row k*n_ages + a is cell
 *   (k, a) and c->customers[k*n_ages + a] reads it; the key columns
 *   cohort, segment and age repeat the cohort's keys and give the age.
 *
 * X(member, "column", TYPE, STORAGE, ROLE, "description"): this list is
 * the columns of the table "cohorts" (docs/columns.md, "cohorts").
 */
#define CSM_COHORTS_COLUMNS(X)                                                 \
    X(cohort, "cohort", MONTH, I32, KEY,                                       \
      "cohort month (first active month, or the caller's key)")               \
    X(segment, "segment", CODE, I32, KEY,                                      \
      "segment in the cohort month; CSM_CODE_ALL (null in Arrow) when "     \
      "not by segment")                                                        \
    X(size, "size", COUNT, I64, MAIN, "customers in the cohort")               \
    X(flags, "flags", FLAGS, U32, DETAIL, "CSM_FLAG_* bits of the cohort")

/** The columns of the table "cohort_cells" (docs/columns.md, "cohorts"),
 * one row per (cohort, age) cell: X(member, "column", TYPE, STORAGE, ROLE,
 * "description"), as csmetrics/table.h explains. */
#define CSM_COHORT_CELLS_COLUMNS(X)                                            \
    X(cell_cohort, "cohort", MONTH, I32, KEY, "cohort month of the cell")      \
    X(cell_segment, "segment", CODE, I32, KEY,                                 \
      "segment of the cell's cohort; CSM_CODE_ALL (null in Arrow) when "    \
      "not by segment")                                                        \
    X(cell_age, "age", NUMBER, I32, KEY,                                       \
      "months since the cohort month (0 = the cohort month)")                 \
    X(customers, "customers", COUNT, F64, DETAIL,                              \
      "cohort members active at that age; NaN (null) if not yet observed")     \
    X(mrr, "mrr", MONEY, F64, DETAIL,                                          \
      "their MRR; NaN (null) if not yet observed")                             \
    X(customers_frac, "customers_frac", FRACTION, F64, MAIN,                   \
      "customers / customers at the baseline age")                             \
    X(mrr_frac, "mrr_frac", FRACTION, F64, MAIN,                               \
      "mrr / mrr at the baseline age")

/** Cohort matrices: the typed view of the tables "cohorts" (members from
 * CSM_COHORTS_COLUMNS, n_cohorts each) and "cohort_cells" (members from
 * CSM_COHORT_CELLS_COLUMNS, n_cohorts x n_ages each, row-major), as
 * csm_cohorts_compute returns them. */
typedef struct csm_cohorts {
    csm_result *result; /**< tables "cohorts" and "cohort_cells" */
    size_t n_cohorts;   /**< rows of "cohorts" */
    size_t n_ages;      /**< "cohort_cells" has n_cohorts x n_ages rows */
    CSM_COHORTS_COLUMNS(CSM_COLUMN_MEMBER)
    CSM_COHORT_CELLS_COLUMNS(CSM_COLUMN_MEMBER)
} csm_cohorts;

/** Compute cohort matrices from a ledger.  Errors: CSM_EINVAL (NULL, bad
 * opts, baseline not 0 or 1, key arrays NULL while n_keys > 0), CSM_EDUP
 * (a customer with two cohort keys: row of the second, field
 * "key_customer"), CSM_EDOMAIN (a key month outside [CSM_MONTH_MIN,
 * CSM_MONTH_MAX]: row and field "key_month"), CSM_ERANGE (cohorts or ages spanning over 10,000
 * years, a matrix too large), CSM_ENOMEM.  An empty ledger gives 0 rows in
 * both tables.  Free with csm_cohorts_free (= csm_result_free(c->result)). */
CSM_API CSM_NODISCARD csm_status csm_cohorts_compute(
    csm_cohorts **out, const csm_ledger *ledger, const csm_cohorts_opts *opts,
    csm_error *err);
/** Free cohort matrices (NULL is allowed): csm_result_free(c->result). */
CSM_API void csm_cohorts_free(csm_cohorts *c);

/* ---- cohorts by partition (csmetrics/partial.h) ------------------------- */
/**
 * The partial state (CSM_PARTIAL_COHORTS) of the cohort matrices of one
 * partition of the customers: a ledger built from every row of some of the
 * customers.  The states of partitions that together hold every customer
 * once, merged with csm_partial_merge (in any order) and finalized with
 * csm_cohorts_partial_finalize, give the tables csm_cohorts_compute gives
 * on the ledger of all the rows with the same opts: counts exactly, money
 * to the rounding of compensated sums (1e-12 relative at most).  A
 * partition may be empty.  The ages and the not-yet-observed cells follow
 * the last month of all the partitions' data together, settled when
 * finalizing.
 *
 * Cohort keys (opts.key_customer / key_month): give every partition the
 * same arrays (keys of customers a partition lacks are ignored); states
 * computed with other key arrays do not merge (field "opts").
 *
 * Memory: one cell (a compensated sum and 2 counts: 32 bytes) per cohort
 * month of the partition (its first to its last), segment (by_segment)
 * and age (up to the partition's last month, or max_age), independent of
 * the number of customers.  Errors: those of csm_cohorts_compute.  On
 * failure *out is NULL.  Free with csm_partial_free.
 */
CSM_API CSM_NODISCARD csm_status csm_cohorts_partial_compute(
    csm_partial **out, const csm_ledger *ledger, const csm_cohorts_opts *opts,
    csm_error *err);

/**
 * The cohort matrices of a (merged) state from
 * csm_cohorts_partial_compute, allocated with the state's allocator (the
 * ledger's it was computed from, or csm_partial_deserialize's); free with
 * csm_cohorts_free.  The state is only read.  Errors: CSM_EINVAL (out or
 * partial NULL; a state of another family: field "partial"), CSM_ERANGE
 * (a matrix too large, as csm_cohorts_compute), CSM_ENOMEM.  On failure
 * *out is NULL.
 */
CSM_API CSM_NODISCARD csm_status csm_cohorts_partial_finalize(
    csm_cohorts **out, const csm_partial *partial, csm_error *err);

#ifdef __cplusplus
}
#endif

#endif /* CSMETRICS_COHORTS_H */
