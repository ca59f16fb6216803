/** @file
 * csmetrics/transitions.h - health band transitions between two periods:
 * how many accounts moved from each band of one month to each band of a
 * later one (the transition matrix, with row shares), and how many
 * stayed, improved, worsened, entered or left.
 *
 * The input is a health panel: one row per account and month with the
 * account's band that month (the band index of csm_health, health.h: 0 =
 * the lowest band, -1 = no band).
 *
 * Threads: reentrant; inputs are only read; the result (two tables,
 * csmetrics/table.h) is the caller's (csm_transitions_free).
 * Definitions and worked example: docs/metrics.md, "Band transitions";
 * the columns: docs/columns.md, "transitions".
 */
#ifndef CSMETRICS_TRANSITIONS_H
#define CSMETRICS_TRANSITIONS_H

#include "csmetrics/common.h"
#include "csmetrics/table.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The band code of "no band": an account without a row in the month, or
 * whose row has band -1 (no score). */
#define CSM_TRANSITIONS_NONE (-1)
/** The most bands a matrix may have (256): (n_bands + 1)^2 rows. */
#define CSM_TRANSITIONS_MAX_BANDS 256

/** Options of csm_transitions_compute; fill the defaults with the _INIT
 * macro or the _opts_init function. */
typedef struct csm_transitions_opts {
    size_t size; /**< sizeof the struct as the caller knows it */
    /** The earlier month (a csm_month index); CSM_MONTH_NONE (default) =
     * the month before to_month. */
    int32_t from_month;
    /** The later month; CSM_MONTH_NONE (default) = the latest month of the
     * rows. */
    int32_t to_month;
    /** Bands 0..n_bands-1 (a scorecard's csm_health_scorecard_band_count);
     * 0 (default) = 1 + the largest band in the two months' rows (0 bands
     * when none has one). */
    int32_t n_bands;
    /** Allocator of the result and the work arrays (copied; NULL =
     * malloc/free, the default; a half-set allocator is CSM_EINVAL). */
    const csm_allocator *allocator;
} csm_transitions_opts;

/** Initialiser of every option at its default (size = sizeof the struct). */
#define CSM_TRANSITIONS_OPTS_INIT                                              \
    {sizeof(csm_transitions_opts), CSM_MONTH_NONE, CSM_MONTH_NONE, 0, NULL}
/** Set *opts (size bytes of it) to the defaults; CSM_EINVAL if opts
 * is NULL or size < sizeof(size_t). */
CSM_API CSM_NODISCARD csm_status
csm_transitions_opts_init(csm_transitions_opts *opts, size_t size);

/**
 * The transition matrix, one row per cell (from_band, to_band), from_band
 * and to_band each running over CSM_TRANSITIONS_NONE (-1), 0, ...,
 * n_bands-1 (from_band major, both ascending): (n_bands + 1)^2 rows, cells
 * without accounts included.  Every account with a row in either month is
 * in exactly one cell; its band in a month where it has no row is
 * CSM_TRANSITIONS_NONE.
 * @code{.unparsed}
 *   accounts   accounts in band from_band in from_month and in band
 *              to_band in to_month
 *   row_share  accounts / the accounts of the row (from_band), the
 *              probability of moving to to_band from from_band; NaN and
 *              CSM_FLAG_ZERO_DENOMINATOR when the row has no account
 * @endcode
 * This list is the columns of the table "transitions" (docs/columns.md,
 * "transitions"): X(member, "column", TYPE, STORAGE, ROLE,
 * "description"), as csmetrics/table.h explains.
 */
#define CSM_TRANSITIONS_COLUMNS(X)                                             \
    X(from_band, "from_band", CODE, I32, KEY,                                  \
      "band index in from_month; -1 = no band (no row, or band -1)")          \
    X(to_band, "to_band", CODE, I32, KEY,                                      \
      "band index in to_month; -1 = no band")                                  \
    X(accounts, "accounts", COUNT, I64, MAIN,                                  \
      "accounts in from_band then in to_band")                                 \
    X(row_share, "row_share", FRACTION, F64, MAIN,                             \
      "accounts / the accounts in from_band (NaN when none)")                  \
    X(flags, "flags", FLAGS, U32, DETAIL, "CSM_FLAG_ZERO_DENOMINATOR")

/** The columns of the table "transitions_summary" (docs/columns.md,
 * "transitions"), its one row: the two months and the moves.  A higher
 * band index is a better band (a scorecard's bands ascend with the
 * score): X(member, "column", TYPE, STORAGE, ROLE, "description"), as
 * csmetrics/table.h explains. */
#define CSM_TRANSITIONS_SUMMARY_COLUMNS(X)                                     \
    X(summary_from_month, "from_month", MONTH, I32, KEY, "the earlier month") \
    X(summary_to_month, "to_month", MONTH, I32, KEY, "the later month")        \
    X(banded, "banded", COUNT, I64, MAIN,                                      \
      "accounts with a band in both months")                                   \
    X(stayed, "stayed", COUNT, I64, MAIN, "of them, in the same band")         \
    X(improved, "improved", COUNT, I64, MAIN,                                  \
      "of them, in a higher band in to_month")                                 \
    X(worsened, "worsened", COUNT, I64, MAIN,                                  \
      "of them, in a lower band in to_month")                                  \
    X(entered, "entered", COUNT, I64, DETAIL,                                  \
      "accounts without a band in from_month with one in to_month")            \
    X(left, "left", COUNT, I64, DETAIL,                                        \
      "accounts with a band in from_month without one in to_month")

/** Band transitions: the typed view of the tables "transitions" (members
 * from CSM_TRANSITIONS_COLUMNS, n_rows each) and "transitions_summary"
 * (members from CSM_TRANSITIONS_SUMMARY_COLUMNS, one row), as
 * csm_transitions_compute returns them. */
typedef struct csm_transitions {
    csm_result *result; /**< tables "transitions", "transitions_summary" */
    size_t n_rows;      /**< rows of "transitions": (n_bands + 1)^2 */
    int32_t n_bands;    /**< bands of the matrix (the option, or found) */
    CSM_TRANSITIONS_COLUMNS(CSM_COLUMN_MEMBER)
    CSM_TRANSITIONS_SUMMARY_COLUMNS(CSM_COLUMN_MEMBER)
} csm_transitions;

/**
 * The band transition matrix of a health panel between opts.from_month and
 * opts.to_month (see CSM_TRANSITIONS_COLUMNS): row i says account
 * account[i] was in band band[i] (-1 = no band; otherwise 0..n_bands-1) in
 * month month[i].  Rows of other months are ignored; rows may come in any
 * order.
 * Errors: CSM_EINVAL (out NULL; an array NULL while n > 0; bad opts:
 * n_bands < 0 or over CSM_TRANSITIONS_MAX_BANDS, from_month not before
 * to_month), CSM_EDOMAIN (field "month": no rows to find the default
 * to_month in; with the row: a month CSM_MONTH_NONE, a band below -1 or
 * not below n_bands, or over CSM_TRANSITIONS_MAX_BANDS - 1: field
 * "band"), CSM_EDUP (two rows of one account in one of the two months:
 * the later row, field "account"), CSM_ENOMEM.  *out is NULL on failure.
 * O(n log n).
 */
CSM_API CSM_NODISCARD csm_status csm_transitions_compute(
    csm_transitions **out, const int64_t *account, const int32_t *month,
    const int32_t *band, size_t n, const csm_transitions_opts *opts,
    csm_error *err);
/** Release a result (csm_result_free(t->result)); NULL is allowed. */
CSM_API void csm_transitions_free(csm_transitions *t);

#ifdef __cplusplus
}
#endif

#endif /* CSMETRICS_TRANSITIONS_H */
