/** @file
 * csmetrics/reviews.h - diagnosis cadence: each account's periodic review
 * (a "diagnosis", a health check-up by its CSM) against its cadence, set
 * by tier (by segment and MRR threshold): last review, next due day,
 * overdue accounts and days overdue, and per CSM the coverage (the share
 * of accounts reviewed on cadence).
 *
 * Inputs: the accounts under review (csm_reviews_accounts) and a touches
 * export (csm_reviews_touches: account, day, CSM, type), days as csm_day
 * indices (days since 1970-01-01).
 *
 * Threads: reentrant; inputs are only read; the result (three tables,
 * csmetrics/table.h) is the caller's (csm_reviews_free).
 * Definitions and worked example: docs/metrics.md, "Diagnosis cadence";
 * the columns: docs/columns.md, "reviews".
 */
#ifndef CSMETRICS_REVIEWS_H
#define CSMETRICS_REVIEWS_H

#include "csmetrics/common.h"
#include "csmetrics/table.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The owner code of accounts without an owner (INT32_MIN): in the owner
 * column, or without one an account never reviewed by a known CSM. */
#define CSM_REVIEWS_OWNER_NONE INT32_MIN
/** The label of CSM_REVIEWS_OWNER_NONE (the null_label of the owner
 * columns, csmetrics/table.h). */
#define CSM_REVIEWS_OWNER_NONE_LABEL "unassigned"
/** The undefined day (INT32_MIN): the last review and next due day of an
 * account never reviewed, and the default of csm_reviews_opts.as_of. */
#define CSM_REVIEWS_DAY_NONE INT32_MIN
/** The review type that means "every touch is a review" (INT32_MIN), the
 * default of csm_reviews_opts.review_type. */
#define CSM_REVIEWS_ANY_TYPE INT32_MIN
/** The longest cadence, in days (36,600: 100 years). */
#define CSM_REVIEWS_MAX_DAYS 36600

/** The accounts under review, columnar: one row per account (frozen
 * within the ABI, like every input struct without a size). */
typedef struct csm_reviews_accounts {
    const int64_t *account; /**< account ids, distinct; required */
    /** the account's CSM (any int32 code; CSM_REVIEWS_OWNER_NONE = none,
     * unassigned); NULL = the CSM of the account's last review */
    const int32_t *owner;
    const int32_t *segment; /**< tier segment; NULL = segment 0 */
    const double *mrr; /**< MRR for the tiers' thresholds; NULL = 0 */
    size_t n;          /**< rows: elements of each non-NULL column */
} csm_reviews_accounts;

/** The touches export, columnar: one row per touch (a call, a review...;
 * frozen within the ABI). */
typedef struct csm_reviews_touches {
    const int64_t *account; /**< the account touched; required */
    const int32_t *day;     /**< the touch's day (csm_day); required */
    /** the CSM who made it (any int32 code; CSM_REVIEWS_OWNER_NONE =
     * unknown); NULL = unknown */
    const int32_t *csm;
    /** the touch's type code; NULL = every touch is of type 0 */
    const int32_t *type;
    size_t n; /**< rows: elements of each non-NULL column */
} csm_reviews_touches;

/** Options of csm_reviews_compute; fill the defaults with the _INIT macro
 * or the _opts_init function.  The tiers are n_tiers rows of three
 * optional columns: an account gets the cadence of the first tier it
 * matches (its segment is tier_segment[i], or tier_segment[i] is
 * CSM_CODE_ALL; and its MRR >= tier_min_mrr[i]), else default_days. */
typedef struct csm_reviews_opts {
    size_t size; /**< sizeof the struct as the caller knows it */
    /** The day the cadence is checked on (csm_day); CSM_REVIEWS_DAY_NONE
     * (default) = the latest day of a review.  Later touches are
     * ignored. */
    int32_t as_of;
    /** Cadence of accounts no tier matches, in days, from 1 to
     * CSM_REVIEWS_MAX_DAYS; default 90 (quarterly). */
    int32_t default_days;
    /** The type of touch that is a review; CSM_REVIEWS_ANY_TYPE (default)
     * = every touch is one. */
    int32_t review_type;
    size_t n_tiers; /**< rows of the tier columns (default 0: none) */
    /** n_tiers segment codes (CSM_CODE_ALL = any); NULL = any segment */
    const int32_t *tier_segment;
    /** n_tiers MRR thresholds (finite); NULL = 0 (every MRR) */
    const double *tier_min_mrr;
    /** n_tiers cadences in days (1..CSM_REVIEWS_MAX_DAYS); required when
     * n_tiers > 0 */
    const int32_t *tier_days;
    /** Allocator of the result and the work arrays (copied; NULL =
     * malloc/free, the default; a half-set allocator is CSM_EINVAL). */
    const csm_allocator *allocator;
} csm_reviews_opts;

/** Initialiser of every option at its default (size = sizeof the struct). */
#define CSM_REVIEWS_OPTS_INIT                                                  \
    {sizeof(csm_reviews_opts), CSM_REVIEWS_DAY_NONE, 90, CSM_REVIEWS_ANY_TYPE, \
     0, NULL, NULL, NULL, NULL}
/** Set *opts (size bytes of it) to the defaults; CSM_EINVAL if opts
 * is NULL or size < sizeof(size_t). */
CSM_API CSM_NODISCARD csm_status csm_reviews_opts_init(csm_reviews_opts *opts,
                                                       size_t size);

/**
 * One row per account (ascending account id).  A review is a touch of the
 * review type, of a listed account, on or before as_of:
 * @code{.unparsed}
 *   last_review   the latest review's day (null: never reviewed)
 *   next_due      last_review + cadence_days (null: never reviewed)
 *   overdue       1 when as_of > next_due, or never reviewed
 *   days_overdue  max(0, as_of - next_due); NaN when never reviewed
 * @endcode
 * so an account reviewed exactly cadence_days before as_of is on cadence
 * (due that day), and one day later it is 1 day overdue.
 *
 * The result holds three tables (csmetrics/table.h), in this order:
 * - "reviews" (n_rows rows, CSM_REVIEWS_COLUMNS): the accounts;
 * - "reviews_owners" (n_owner_rows rows, CSM_REVIEWS_OWNERS_COLUMNS): one
 *   row per owner (ascending; CSM_REVIEWS_OWNER_NONE first when some
 *   account has none), its accounts on cadence, overdue and never
 *   reviewed, and coverage = on_cadence / accounts;
 * - "reviews_summary" (one row, CSM_REVIEWS_SUMMARY_COLUMNS): as_of and
 *   the same counts over every account.
 *
 * This list is the columns of the table "reviews" (docs/columns.md,
 * "reviews"): X(member, "column", TYPE, STORAGE, ROLE, "description"), as
 * csmetrics/table.h explains.
 */
#define CSM_REVIEWS_COLUMNS(X)                                                 \
    X(account, "account", ID, I64, KEY, "the account")                         \
    X(owner, "owner", CODE, I32, MAIN,                                         \
      "the account's CSM (the last reviewer without an owner column); null: " \
      "unassigned")                                                            \
    X(segment, "segment", CODE, I32, DETAIL, "the account's segment")          \
    X(mrr, "mrr", MONEY, F64, DETAIL, "the account's MRR (0 without one)")     \
    X(tier, "tier", CODE, I32, DETAIL,                                         \
      "index of the tier matched; -1 = none (default_days)")                   \
    X(cadence_days, "cadence_days", NUMBER, I32, MAIN,                         \
      "days between reviews for the account's tier")                           \
    X(reviews, "reviews", COUNT, I64, DETAIL, "reviews up to as_of")           \
    X(last_review, "last_review", DAY, I32, MAIN,                              \
      "day of the latest review; null when never reviewed")                    \
    X(last_reviewer, "last_reviewer", CODE, I32, DETAIL,                       \
      "CSM of the latest review; null when unknown or never reviewed")        \
    X(next_due, "next_due", DAY, I32, MAIN,                                    \
      "last_review + cadence_days; null when never reviewed")                  \
    X(overdue, "overdue", BOOL, U8, MAIN,                                      \
      "1 when as_of > next_due or never reviewed")                             \
    X(days_overdue, "days_overdue", NUMBER, F64, MAIN,                         \
      "max(0, as_of - next_due), in days; NaN when never reviewed")

/** The columns of the table "reviews_owners" (docs/columns.md,
 * "reviews"), one row per owner: X(member, "column", TYPE, STORAGE, ROLE,
 * "description"), as csmetrics/table.h explains. */
#define CSM_REVIEWS_OWNERS_COLUMNS(X)                                          \
    X(owners_owner, "owner", CODE, I32, KEY,                                   \
      "the CSM; null: accounts without one")                                   \
    X(owners_accounts, "accounts", COUNT, I64, MAIN, "the CSM's accounts")     \
    X(owners_on_cadence, "on_cadence", COUNT, I64, MAIN,                       \
      "of them, reviewed on cadence (not overdue)")                            \
    X(owners_overdue, "overdue", COUNT, I64, MAIN,                             \
      "of them, overdue (never reviewed included)")                            \
    X(owners_never_reviewed, "never_reviewed", COUNT, I64, DETAIL,             \
      "of them, never reviewed")                                               \
    X(owners_coverage, "coverage", FRACTION, F64, MAIN,                        \
      "on_cadence / accounts")                                                 \
    X(owners_flags, "flags", FLAGS, U32, DETAIL, "CSM_FLAG_* bits of the row")

/** The columns of the table "reviews_summary" (docs/columns.md,
 * "reviews"), its one row over every account: X(member, "column", TYPE,
 * STORAGE, ROLE, "description"), as csmetrics/table.h explains. */
#define CSM_REVIEWS_SUMMARY_COLUMNS(X)                                         \
    X(summary_as_of, "as_of", DAY, I32, KEY, "the day checked")                \
    X(summary_accounts, "accounts", COUNT, I64, MAIN, "accounts listed")       \
    X(summary_on_cadence, "on_cadence", COUNT, I64, MAIN,                      \
      "accounts reviewed on cadence")                                          \
    X(summary_overdue, "overdue", COUNT, I64, MAIN, "accounts overdue")        \
    X(summary_never_reviewed, "never_reviewed", COUNT, I64, DETAIL,            \
      "accounts never reviewed")                                               \
    X(summary_coverage, "coverage", FRACTION, F64, MAIN,                       \
      "on_cadence / accounts")                                                 \
    X(summary_flags, "flags", FLAGS, U32, DETAIL,                              \
      "CSM_FLAG_* bits of the row")

/** Diagnosis cadence: the typed view of the tables "reviews",
 * "reviews_owners" and "reviews_summary", as csm_reviews_compute returns
 * them. */
typedef struct csm_reviews {
    csm_result *result;  /**< the three tables */
    size_t n_rows;       /**< rows of "reviews": the accounts */
    size_t n_owner_rows; /**< rows of "reviews_owners" */
    CSM_REVIEWS_COLUMNS(CSM_COLUMN_MEMBER)
    CSM_REVIEWS_OWNERS_COLUMNS(CSM_COLUMN_MEMBER)
    CSM_REVIEWS_SUMMARY_COLUMNS(CSM_COLUMN_MEMBER)
} csm_reviews;

/**
 * Check every account's review cadence on opts.as_of (see
 * CSM_REVIEWS_COLUMNS).  Touches of accounts not listed, of another type
 * than opts.review_type, or after as_of are ignored; a review on the same
 * day as another is the later row (its CSM is the last reviewer).
 * Errors: CSM_EINVAL (out, accounts or touches NULL; a required column
 * NULL while its n > 0; bad opts: default_days or a tier's days outside
 * 1..CSM_REVIEWS_MAX_DAYS (field "opts.tier_days" with the tier as the
 * row), tier_days NULL while n_tiers > 0, a half-set allocator),
 * CSM_EDOMAIN (with the row: an MRR or a tier threshold not finite; a touch day
 * CSM_REVIEWS_DAY_NONE, field "day"; no review to take the default as_of
 * from: field "opts.as_of"), CSM_EDUP (an account listed twice: the later
 * row, field "account"), CSM_ERANGE (a next due day beyond the int32
 * days), CSM_ENOMEM.  *out is NULL on failure.
 * O((accounts + touches) log accounts).
 */
CSM_API CSM_NODISCARD csm_status csm_reviews_compute(
    csm_reviews **out, const csm_reviews_accounts *accounts,
    const csm_reviews_touches *touches, const csm_reviews_opts *opts,
    csm_error *err);
/** Release a result (csm_result_free(r->result)); NULL is allowed. */
CSM_API void csm_reviews_free(csm_reviews *r);

#ifdef __cplusplus
}
#endif

#endif /* CSMETRICS_REVIEWS_H */
