/** @file
 * csmetrics/activity.h - product-activity measures: activation rate, login
 * rate, usage frequency and duration per user, feature breadth and
 * stickiness, by account and rolled up by segment, user role, signing
 * cohort, lifecycle stage (onboarding, launch, growth, mature: from tenure
 * or a stage column) and product category.  They feed health scores and
 * are useful alone.
 *
 * Threads: reentrant; inputs are only read; the result (two tables,
 * csmetrics/table.h) is the caller's (csm_activity_free).
 * Definitions and worked example: docs/metrics.md, "Activity measures";
 * the columns: docs/columns.md, "activity".
 */
#ifndef CSMETRICS_ACTIVITY_H
#define CSMETRICS_ACTIVITY_H

#include "csmetrics/common.h"
#include "csmetrics/partial.h"
#include "csmetrics/table.h"

#ifdef __cplusplus
extern "C" {
#endif

/** User roles (any int32 is accepted; these are the documented codes). */
enum {
    CSM_ACTIVITY_ROLE_OWNER = 0,   /**< the account's owner */
    CSM_ACTIVITY_ROLE_ADMIN = 1,   /**< an administrator */
    CSM_ACTIVITY_ROLE_STAFF = 2,   /**< a staff user */
    CSM_ACTIVITY_ROLE_END_USER = 3 /**< an end user */
};

/** Columnar activity rows, one per account (or per account and role) for
 * one period.  Every count column may be NULL (its measures are then NaN);
 * counts are finite and >= 0. */
typedef struct csm_activity_rows {
    const int64_t *account_id; /**< required */
    const int32_t *role;       /**< NULL = one role (0) */
    const int32_t *segment;    /**< NULL = segment 0 */
    const int32_t *cohort;     /**< signing month index; NULL = 0 */
    const double *licensed_seats;  /**< seats the account pays for */
    /** seats activated: at most licensed_seats (see the option
     * csm_activity_opts::clamp) */
    const double *activated_seats;
    const double *active_users; /**< users active in the period */
    const double *sessions;        /**< sessions in the period */
    const double *minutes;         /**< minutes of use in the period */
    const double *features_used;   /**< distinct features used */
    /** features available to the account: at least features_used (see
     * the option csm_activity_opts::clamp) */
    const double *features_available;
    const double *dau; /**< average daily active users */
    const double *mau; /**< monthly active users */
    size_t n;          /**< rows: elements of each non-NULL column */
} csm_activity_rows;

/** The rows of the activity tables (csm_activity_opts.group_by): the key
 * the input rows are grouped by. */
typedef enum csm_activity_group {
    CSM_ACTIVITY_BY_ACCOUNT = 0, /**< one row per account_id (default) */
    CSM_ACTIVITY_BY_SEGMENT = 1, /**< one row per segment */
    CSM_ACTIVITY_BY_ROLE = 2,    /**< one row per user role */
    CSM_ACTIVITY_BY_COHORT = 3,  /**< one row per signing cohort month */
    CSM_ACTIVITY_ALL = 4,        /**< one row for every input row (key 0) */
    /** one row per lifecycle stage (CSM_ACTIVITY_STAGE_*): the option
     * csm_activity_opts::stage, or the stage of each row's tenure
     * (csm_activity_opts::month - cohort) */
    CSM_ACTIVITY_BY_STAGE = 5,
    /** one row per product category (csm_activity_opts::category) */
    CSM_ACTIVITY_BY_CATEGORY = 6
} csm_activity_group;

/** Lifecycle stages (the keys of CSM_ACTIVITY_BY_STAGE; a stage column may
 * hold any int32 code, these are the documented ones and the stages of
 * tenure). */
enum {
    CSM_ACTIVITY_STAGE_ONBOARDING = 0, /**< tenure < launch_month */
    CSM_ACTIVITY_STAGE_LAUNCH = 1,     /**< launch_month <= tenure < growth_month */
    CSM_ACTIVITY_STAGE_GROWTH = 2,     /**< growth_month <= tenure < mature_month */
    CSM_ACTIVITY_STAGE_MATURE = 3      /**< tenure >= mature_month */
};

/** The name of lifecycle stage s: "onboarding", "launch", "growth",
 * "mature"; "unknown" for another code.  Never NULL. */
CSM_API const char *csm_activity_stage_name(int s);

/** Options of csm_activity_compute; fill the defaults with the
 * _INIT macro or the _opts_init function. */
typedef struct csm_activity_opts {
    size_t size; /**< sizeof the struct as the caller knows it */
    int group_by; /**< csm_activity_group, default by account */
    /** 0 (default): a part above its whole (activated > licensed seats,
     * active users > licensed seats, features used > available, DAU > MAU)
     * is CSM_EDOMAIN; 1: such a rate is clamped to 1 and flagged
     * CSM_FLAG_CLAMPED */
    int clamp;
    /** Optional allocator for the result and the work arrays (copied;
     * NULL = malloc/free, the default). */
    const csm_allocator *allocator;
    /** 0 (default): a NaN count is CSM_EDOMAIN; 1: NaN is a missing value
     * (an empty cell): it is accepted, and every sum and measure of its
     * group that uses that column is NaN (no flag). */
    int nan_missing;
    /** Lifecycle stage of each input row (rows.n codes, any int32); NULL
     * (default) = the stage of the row's tenure, which then needs the
     * cohort column and month (for CSM_ACTIVITY_BY_STAGE only). */
    const int32_t *stage;
    /** Product category of each input row (rows.n codes, any int32);
     * NULL (default) = category 0. */
    const int32_t *category;
    /** The month the rows describe (a csm_month index): a row's tenure is
     * month - cohort, in months (CSM_EDOMAIN when negative);
     * CSM_MONTH_NONE (default) = unknown. */
    int32_t month;
    /** Tenure, in months, at which launch begins (default 3: onboarding
     * is the first 3 months); 1 <= launch_month <= growth_month <=
     * mature_month, else CSM_EINVAL. */
    int32_t launch_month;
    int32_t growth_month; /**< tenure at which growth begins (default 6) */
    int32_t mature_month; /**< tenure at which mature begins (default 12) */
} csm_activity_opts;

/** Initialiser of every option at its default (size = sizeof the struct). */
#define CSM_ACTIVITY_OPTS_INIT                                                \
    {sizeof(csm_activity_opts), CSM_ACTIVITY_BY_ACCOUNT, 0, NULL, 0, NULL,    \
     NULL, CSM_MONTH_NONE, 3, 6, 12}
/** Set *opts (size bytes of it) to the defaults; CSM_EINVAL if opts
 * is NULL or size < sizeof(size_t). */
CSM_API CSM_NODISCARD csm_status
csm_activity_opts_init(csm_activity_opts *opts, size_t size);

/** The lifecycle stage (CSM_ACTIVITY_STAGE_*) of a tenure of `tenure`
 * months by the stage bounds of opts (launch_month, growth_month,
 * mature_month; NULL = the defaults 3, 6, 12): onboarding below
 * launch_month, launch below growth_month, growth below mature_month, then
 * mature; the rule csm_activity_compute applies to rows without a stage
 * column, for hosts that mix given stages with stages by tenure.  A
 * negative tenure is onboarding; bounds out of order give the stage the
 * comparisons give (csm_activity_compute rejects them). */
CSM_API int32_t csm_activity_stage_of(const csm_activity_opts *opts,
                                      int64_t tenure);

/** The seven measures, in the order of csm_activity.rate[] and mean[]. */
enum {
    CSM_ACTIVITY_ACTIVATION_RATE = 0,   /**< activated seats / licensed seats */
    CSM_ACTIVITY_LOGIN_RATE = 1,        /**< active users / licensed seats */
    CSM_ACTIVITY_SESSIONS_PER_USER = 2, /**< sessions / active users */
    CSM_ACTIVITY_MINUTES_PER_USER = 3,  /**< minutes / active users */
    CSM_ACTIVITY_MINUTES_PER_SESSION = 4, /**< minutes / sessions */
    CSM_ACTIVITY_FEATURE_BREADTH = 5,   /**< features used / features available */
    CSM_ACTIVITY_STICKINESS = 6,        /**< DAU / MAU */
    CSM_ACTIVITY_N = 7                  /**< the number of measures */
};

/** The snake_case name of measure m (CSM_ACT_*): "activation_rate",
 * "login_rate", "sessions_per_user", "minutes_per_user",
 * "minutes_per_session", "feature_breadth", "stickiness" -- the "measure"
 * column of the activity_measures table and the Python column names.
 * "unknown" when m is not in 0..CSM_ACTIVITY_N-1; never NULL. */
CSM_API const char *csm_activity_measure_name(int m);

/**
 * One row per group key (ascending): the account id, segment, role, cohort
 * month, lifecycle stage, product category, or a single row (key 0) for
 * CSM_ACTIVITY_ALL.  A row's stage by tenure (months since its cohort):
 * @code{.unparsed}
 *   tenure = opts.month - cohort;   onboarding: tenure < launch_month,
 *   launch: < growth_month, growth: < mature_month, mature: the rest
 * @endcode
 * @code{.unparsed}
 *   rate[i * CSM_ACTIVITY_N + m]: measure m of row i as a ratio of sums over
 *           the group's rows -- seat-weighted (a big account weighs more);
 *   mean[i * CSM_ACTIVITY_N + m]: the unweighted mean over the group's
 *           accounts of each account's own ratio (accounts whose
 *           denominator is 0 are skipped); equal to rate for
 *           CSM_ACTIVITY_BY_ACCOUNT.
 * @endcode
 * Arrays rate and mean are n_rows x CSM_ACTIVITY_N, row-major.  A zero
 * denominator gives NaN and CSM_FLAG_ZERO_DENOMINATOR; a missing column
 * NaN (no flag).  Sums of the inputs are given per row (NaN for missing
 * columns).  No input rows (n = 0): 0 rows, except CSM_ACTIVITY_ALL's single
 * row (key 0, NaN measures, CSM_FLAG_EMPTY | CSM_FLAG_ZERO_DENOMINATOR).
 *
 * The result holds two tables (csmetrics/table.h), in this order:
 * - "activity" (n_rows rows, CSM_ACTIVITY_COLUMNS): one row per group key
 *   with the group's account count and input sums;
 * - "activity_measures" (n_measure_rows = n_rows x CSM_ACTIVITY_N rows,
 *   CSM_ACTIVITY_MEASURES_COLUMNS): one row per (group key, measure), in
 *   the row-major order of the matrices above, so rate[i * CSM_ACTIVITY_N + m]
 *   and mean[i * CSM_ACTIVITY_N + m] are its columns "rate" and "mean" and
 *   measure_key[i * CSM_ACTIVITY_N + m] = key[i].  Its flags are those of the
 *   one measure (CSM_FLAG_ZERO_DENOMINATOR, CSM_FLAG_CLAMPED); a row's
 *   flags in "activity" are the union over its measures.
 *
 * The key is an ID whatever the grouping: an account id, a segment, a user
 * role, a cohort month index (csm_month), a stage (CSM_ACTIVITY_STAGE_*)
 * or a category code, or 0 for CSM_ACTIVITY_ALL.
 * This list is the columns of the table "activity" (docs/columns.md,
 * "activity"): X(member, "column", TYPE, STORAGE, ROLE, "description"), as
 * csmetrics/table.h explains.
 */
#define CSM_ACTIVITY_COLUMNS(X)                                                \
    X(key, "key", ID, I64, KEY,                                                \
      "account id, segment, user role, cohort month index, stage or "          \
      "category (group_by); 0 for CSM_ACTIVITY_ALL")                           \
    X(n_accounts, "n_accounts", COUNT, I64, MAIN,                              \
      "distinct accounts in the group")                                        \
    X(licensed_seats, "licensed_seats", COUNT, F64, MAIN,                      \
      "sum of licensed seats (NaN when the column is missing)")                \
    X(activated_seats, "activated_seats", COUNT, F64, MAIN,                    \
      "sum of activated seats")                                                \
    X(active_users, "active_users", COUNT, F64, MAIN,                          \
      "sum of the users active in the period")                                 \
    X(sessions, "sessions", COUNT, F64, DETAIL, "sum of sessions")             \
    X(minutes, "minutes", NUMBER, F64, DETAIL, "sum of minutes of use")        \
    X(features_used, "features_used", COUNT, F64, DETAIL,                      \
      "sum of features used")                                                  \
    X(features_available, "features_available", COUNT, F64, DETAIL,            \
      "sum of features available")                                             \
    X(dau, "dau", NUMBER, F64, DETAIL, "sum of average daily active users")    \
    X(mau, "mau", COUNT, F64, DETAIL, "sum of monthly active users")           \
    X(flags, "flags", FLAGS, U32, DETAIL,                                      \
      "CSM_FLAG_* bits of the row (all its measures)")

/** The columns of the table "activity_measures" (docs/columns.md,
 * "activity"), one row per group key and measure: X(member, "column",
 * TYPE, STORAGE, ROLE, "description"), as csmetrics/table.h explains. */
#define CSM_ACTIVITY_MEASURES_COLUMNS(X)                                       \
    X(measure_key, "key", ID, I64, KEY, "the group key, as in activity")       \
    X(measure, "measure", TEXT, STR, KEY,                                      \
      "the measure's name (csm_activity_measure_name)")                        \
    X(measure_code, "measure_code", CODE, I32, DETAIL,                         \
      "the measure's CSM_ACT_* code, 0..6")                                    \
    X(rate, "rate", NUMBER, F64, MAIN,                                         \
      "ratio of the group's sums (seat-weighted); NaN when undefined")         \
    X(mean, "mean", NUMBER, F64, MAIN,                                         \
      "unweighted mean of the accounts' own ratios; NaN when undefined")       \
    X(measure_flags, "flags", FLAGS, U32, DETAIL,                              \
      "CSM_FLAG_* bits of this measure")

/** Activity measures: the typed view of the tables "activity" (members
 * from CSM_ACTIVITY_COLUMNS, n_rows each) and "activity_measures" (members
 * from CSM_ACTIVITY_MEASURES_COLUMNS, n_measure_rows each), as
 * csm_activity_compute returns them. */
typedef struct csm_activity {
    csm_result *result;    /**< tables "activity" and "activity_measures" */
    size_t n_rows;         /**< rows of "activity" */
    size_t n_measure_rows; /**< rows of "activity_measures": n_rows x CSM_ACTIVITY_N */
    CSM_ACTIVITY_COLUMNS(CSM_COLUMN_MEMBER)
    CSM_ACTIVITY_MEASURES_COLUMNS(CSM_COLUMN_MEMBER)
} csm_activity;

/** Compute the activity measures of rows, grouped by opts.group_by, as
 * the tables "activity" and "activity_measures" (see CSM_ACTIVITY_COLUMNS).
 * Errors: CSM_EINVAL (NULL, account_id NULL with n > 0, unknown group_by,
 * bad opts: stage bounds out of order; CSM_ACTIVITY_BY_STAGE without a
 * stage column and without cohort or month: field "opts.month"),
 * CSM_EDOMAIN with row and field (a count negative or not finite -- NaN is
 * allowed with nan_missing; a part above its whole unless clamp; a
 * cohort after opts.month: field "cohort"), CSM_ENOMEM. */
CSM_API CSM_NODISCARD csm_status csm_activity_compute(
    csm_activity **out, const csm_activity_rows *rows,
    const csm_activity_opts *opts, csm_error *err);
/** Release a result (csm_result_free(a->result)); NULL is allowed. */
CSM_API void csm_activity_free(csm_activity *a);

/**
 * The activity of some of the rows as a mergeable partial state
 * (csmetrics/partial.h, CSM_PARTIAL_ACTIVITY; docs/scaling.md): per group
 * key (opts.group_by, as csm_activity_compute groups), the compensated
 * sums of the input columns, the number of accounts, and for the means
 * each measure's compensated sum of the accounts' own ratios, the number
 * of accounts with a ratio and of those clamped.  States of parts merge
 * with csm_partial_merge when computed with the same options and the same
 * count columns given (else CSM_EINVAL, field "opts");
 * csm_activity_partial_finalize gives what csm_activity_compute gives on
 * all the parts' rows.
 *
 * The customer rule: every row of an account must be in one part
 * (partition by account_id).  An account's own ratios are ratios of its
 * sums over all its rows, and the account counts add up over parts only
 * when no account is in two of them.  A state keeps no account ids, so a
 * split account is not detected, except by account (CSM_ACTIVITY_BY_ACCOUNT:
 * finalize fails).  The stage and category option arrays are rows.n
 * codes of the part's rows.  Errors: those of csm_activity_compute.
 */
CSM_API CSM_NODISCARD csm_status csm_activity_partial_compute(
    csm_partial **out, const csm_activity_rows *rows,
    const csm_activity_opts *opts, csm_error *err);

/**
 * The tables csm_activity_compute gives on all the rows of the parts
 * whose states were merged into `partial`: the same rows, keys, account
 * counts and flags; sums, rates and means to rounding (the sums are
 * compensated).  allocator: the state's.  Errors: CSM_EINVAL (out or
 * partial NULL; a state of another family: field "partial"; by account, an
 * account whose rows were in two parts: field "partial"), CSM_ENOMEM.
 */
CSM_API CSM_NODISCARD csm_status csm_activity_partial_finalize(
    csm_activity **out, const csm_partial *partial, csm_error *err);

#ifdef __cplusplus
}
#endif

#endif /* CSMETRICS_ACTIVITY_H */
