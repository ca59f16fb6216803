/** @file
 * csmetrics/km.h - Kaplan-Meier survival with right-censoring (active
 * customers count as censored): the curve, its confidence band, the median
 * and its interval, the restricted mean lifetime, per group and overall,
 * and the curves read off at given times.
 *
 * Units: durations in the caller's unit (months when they come from a
 * ledger's lifetimes, lifetimes.h).  Results are the tables "km",
 * "km_groups" and "km_at" (csmetrics/table.h).  No global state.
 *
 * Definitions and worked examples: docs/metrics.md, "Survival: customer
 * lifetimes, the sBG model and model-based LTV" ("Kaplan-Meier" and
 * "Survival at chosen times"); the columns: docs/columns.md, "km".
 */
#ifndef CSMETRICS_KM_H
#define CSMETRICS_KM_H

#include "csmetrics/common.h"
#include "csmetrics/table.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ==== Kaplan-Meier ======================================================== */
/** Options of csm_km_compute; fill the defaults with the
 * _INIT macro or the _opts_init function. */
typedef struct csm_km_opts {
    size_t size; /**< sizeof the struct as the caller knows it */
    /** Confidence level of the pointwise band and of the median's interval,
     * in (0, 1).  Default 0.95. */
    double level;
    /** Horizon tau of the restricted mean lifetime (>= 0, finite);
     * 0 (default) = each curve's largest observed time. */
    double horizon;
    /** With group ids: 1 = also compute the overall curve over all
     * observations, stored first with group id CSM_CODE_ALL.  Without
     * group ids there is only the overall curve.  Default 0. */
    int include_overall;
    /** Optional allocator for the result (copied; NULL = malloc). */
    const csm_allocator *allocator;
    /** Times t_j (n_at_times of them, each finite and >= 0, any order,
     * repeats allowed) at which to read every curve off: the table
     * "km_at" (see csm_km_compute).  NULL / 0 (default) = no such rows. */
    const double *at_times;
    size_t n_at_times; /**< times in at_times; 0 (default) = none */
} csm_km_opts;

/** Initialiser of every option at its default (size = sizeof the struct). */
#define CSM_KM_OPTS_INIT {sizeof(csm_km_opts), 0.95, 0.0, 0, NULL, NULL, 0}
/** Set *opts (size bytes of it) to the defaults; CSM_EINVAL if opts
 * is NULL or size < sizeof(size_t). */
CSM_API CSM_NODISCARD csm_status csm_km_opts_init(csm_km_opts *opts,
                                                  size_t size);

/**
 * Kaplan-Meier product-limit table, one curve per group.
 *
 * Curves are ordered by group id (the overall curve first when asked for);
 * curve g owns rows [row_offset[g], row_offset[g+1]), one row per distinct
 * time t (ascending) at which an observation of positive weight ended:
 * @code{.unparsed}
 *   n_risk  n(t) = sum of weights with duration >= t
 *   n_event d(t) = sum of weights with duration == t and event 1
 *   n_censor c(t) = sum of weights with duration == t and event 0
 *   surv    S(t) = prod_{u <= t} (1 - d(u)/n(u))        (right-continuous)
 *   se      Greenwood: S(t) sqrt(V(t)), V(t) = sum_{u <= t} d/(n (n - d))
 *   lower, upper  Kalbfleisch-Prentice log-log band at `level`:
 *           exp(-exp(log(-log S) -/+ z s)),  s = sqrt(V) / |log S|,
 *           z = the standard normal quantile at 1 - (1 - level)/2,
 *           so lower = exp(-exp(log(-log S) + z s)) <= S <= upper.
 * @endcode
 * Ties: events are taken before censorings at the same time (a customer
 * censored at t is at risk at t).  Weights enter n, d, c and Greenwood's
 * sum as they are (frequency weights).  Rows with S = 1 have se 0 and
 * band [1, 1].  Rows with S = 0 (every subject at risk had the event) have
 * se, lower and upper NaN and CSM_FLAG_DEGENERATE in flags[row].
 *
 * Per curve:
 * @code{.unparsed}
 *   median       smallest t with S(t) <= 0.5 (NaN and
 *                CSM_FLAG_MEDIAN_NOT_REACHED if never; note R's survfit
 *                takes the midpoint when S is exactly 0.5 over an interval,
 *                this table takes the start of the interval)
 *   median_lower smallest t with lower(t) <= 0.5  (Brookmeyer-Crowley by
 *   median_upper smallest t with upper(t) <= 0.5   inverting the band)
 *                (NaN and CSM_FLAG_MEDIAN_LOWER/UPPER_NOT_REACHED if never)
 *   rmst         restricted mean lifetime: the area under the step
 *                function S from 0 to horizon (S = 1 before the first
 *                time; beyond the last time S stays at its last value)
 *   horizon      the horizon used (opts.horizon, or the curve's largest
 *                time)
 * @endcode
 * The "<= 0.5" comparisons allow a relative rounding tolerance of 1e-12.
 * A curve without observations of positive weight has 0 rows, NaN
 * median, limits and rmst, and CSM_FLAG_EMPTY (plus the not-reached
 * flags) in group_flags.
 *
 * Reading the curves at chosen times (opts.at_times t_1..t_m): for
 * curve g and time t_j
 * @code{.unparsed}
 *   survival  S(t_j) = surv of the curve's last row with time <= t_j,
 *             1 when t_j is before its first time (nobody has churned
 *             yet); beyond its last time S stays at its last value (as
 *             for rmst; past the last observation that is an
 *             extrapolation the caller may want to avoid);
 *   lower, upper  the band of that same row (1 and 1 before the first
 *             time; NaN where the row's band is NaN);
 *   at_risk   n(t_j) = weight of the curve's observations with duration
 *             >= t_j (the n_risk of its first row with time >= t_j, 0
 *             past the last time);
 * @endcode
 * a curve without observations gives NaN survival and band and 0 at
 * risk.
 *
 * The result is one csm_result with three tables (csmetrics/table.h;
 * docs/columns.md, "km", lists their columns):
 * - "km": the curves' rows (n_rows rows, curve after curve, each in time
 *   order), columns CSM_KM_COLUMNS (this list); the keys are (group,
 *   time);
 * - "km_groups": one row per curve (n_groups rows, in group order),
 *   columns CSM_KM_GROUP_COLUMNS; the key is group;
 * - "km_at": the curves read at opts.at_times (n_at_rows = n_groups x
 *   n_at_times rows, row-major: row g * n_at_times + j is curve g at
 *   at_times[j]), columns CSM_KM_AT_COLUMNS; the keys are (group, time);
 *   0 rows without at_times.
 *
 * The overall curve's group is CSM_CODE_ALL (INT32_MIN): in the three
 * tables its "group" is an undefined CODE value, so csm_column_is_valid
 * gives 0 for it and the Arrow export shows it as null (as SQL's ROLLUP
 * marks its total rows); the C member still holds INT32_MIN.  row_offset is not a column (it has n_groups + 1
 * entries): it lives in the same block as the tables.
 */
#define CSM_KM_COLUMNS(X)                                                      \
    X(row_group, "group", CODE, I32, KEY,                                      \
      "group of the row's curve; CSM_CODE_ALL (null in Arrow) for the "    \
      "overall curve")                                                         \
    X(time, "time", NUMBER, F64, KEY,                                          \
      "time t at which observations ended (the durations' unit)")              \
    X(n_risk, "at_risk", COUNT, F64, MAIN,                                     \
      "n(t): weight of the observations with duration >= t")                   \
    X(n_event, "events", COUNT, F64, MAIN,                                     \
      "d(t): weight of the churns (event 1) at t")                             \
    X(n_censor, "censored", COUNT, F64, DETAIL,                                \
      "c(t): weight of the censorings (event 0) at t")                         \
    X(surv, "survival", FRACTION, F64, MAIN,                                   \
      "S(t): product-limit survival after t")                                  \
    X(se, "stderr", FRACTION, F64, DETAIL,                                     \
      "Greenwood standard error of S(t); NaN when S(t) = 0")                   \
    X(lower, "lower", FRACTION, F64, MAIN,                                     \
      "lower limit of the log-log band at `level`; NaN when S(t) = 0")         \
    X(upper, "upper", FRACTION, F64, MAIN,                                     \
      "upper limit of the log-log band at `level`; NaN when S(t) = 0")         \
    X(flags, "flags", FLAGS, U32, DETAIL,                                      \
      "CSM_FLAG_* bits of the row (DEGENERATE when S(t) = 0)")

/** The columns of the table "km_groups" (docs/columns.md, "km"), one row
 * per curve: X(member, "column", TYPE, STORAGE, ROLE, "description"), as
 * csmetrics/table.h explains; CSM_KM_COLUMNS defines the figures. */
#define CSM_KM_GROUP_COLUMNS(X)                                                \
    X(group, "group", CODE, I32, KEY,                                          \
      "group id of the curve; CSM_CODE_ALL (null in Arrow) for the "       \
      "overall curve")                                                         \
    X(n_obs, "n", COUNT, F64, MAIN,                                            \
      "weight of the curve's observations (their number when unweighted)")     \
    X(n_events, "events", COUNT, F64, MAIN, "weight of the curve's churns")    \
    X(median, "median", NUMBER, F64, MAIN,                                     \
      "smallest t with S(t) <= 0.5; NaN (null) when not reached")              \
    X(median_lower, "median_low", NUMBER, F64, MAIN,                           \
      "smallest t with lower(t) <= 0.5; NaN (null) when not reached")          \
    X(median_upper, "median_high", NUMBER, F64, MAIN,                          \
      "smallest t with upper(t) <= 0.5; NaN (null) when not reached")          \
    X(rmst, "rmst", NUMBER, F64, MAIN,                                         \
      "restricted mean lifetime: area under S from 0 to horizon")              \
    X(horizon, "horizon", NUMBER, F64, DETAIL,                                 \
      "horizon of rmst (opts.horizon or the curve's largest time)")            \
    X(group_flags, "flags", FLAGS, U32, DETAIL,                                \
      "CSM_FLAG_* bits of the curve (EMPTY, MEDIAN_*_NOT_REACHED)")

/** The columns of the table "km_at" (docs/columns.md, "km"), one row per
 * curve and time of csm_km_opts.at_times: X(member, "column", TYPE,
 * STORAGE, ROLE, "description"), as csmetrics/table.h explains;
 * CSM_KM_COLUMNS defines the figures. */
#define CSM_KM_AT_COLUMNS(X)                                                   \
    X(at_group, "group", CODE, I32, KEY,                                       \
      "group of the curve; CSM_CODE_ALL (null in Arrow) for the overall "  \
      "curve")                                                                 \
    X(at_time, "time", NUMBER, F64, KEY,                                       \
      "the time t read off the curve (opts.at_times, the durations' unit)")    \
    X(at_surv, "survival", FRACTION, F64, MAIN,                                \
      "S(t): survival of the curve's last row with time <= t (1 before its "   \
      "first time)")                                                           \
    X(at_lower, "lower", FRACTION, F64, DETAIL,                                \
      "lower limit of the log-log band at t (that row's)")                     \
    X(at_upper, "upper", FRACTION, F64, DETAIL,                                \
      "upper limit of the log-log band at t (that row's)")                     \
    X(at_risk, "at_risk", COUNT, F64, DETAIL,                                  \
      "n(t): weight of the curve's observations with duration >= t")

/** Kaplan-Meier curves: the typed view of the tables "km" (members from
 * CSM_KM_COLUMNS, n_rows each), "km_groups" (CSM_KM_GROUP_COLUMNS,
 * n_groups each) and "km_at" (CSM_KM_AT_COLUMNS, n_at_rows each), as
 * csm_km_compute returns them. */
typedef struct csm_km {
    csm_result *result; /**< tables "km" (rows), "km_groups" (curves) and
                           "km_at" (curves at opts.at_times) */
    size_t n_rows;      /**< rows of "km" */
    size_t n_groups;    /**< rows of "km_groups" */
    double level;       /**< the confidence level used */
    /** curve g owns rows [row_offset[g], row_offset[g+1]) of "km"
     * (n_groups + 1 entries; not a column) */
    size_t *row_offset;
    /* per curve (n_groups): group, n_obs, n_events, median, median_lower,
     * median_upper, rmst, horizon, group_flags */
    CSM_KM_GROUP_COLUMNS(CSM_COLUMN_MEMBER)
    /* per row (n_rows): row_group, time, n_risk, n_event, n_censor, surv,
     * se, lower, upper, flags */
    CSM_KM_COLUMNS(CSM_COLUMN_MEMBER)
    size_t n_at_times; /**< opts.n_at_times */
    size_t n_at_rows;  /**< rows of "km_at": n_groups x n_at_times */
    /* per curve and time (n_at_rows, row-major): at_group, at_time,
     * at_surv, at_lower, at_upper, at_risk */
    CSM_KM_AT_COLUMNS(CSM_COLUMN_MEMBER)
} csm_km;

/**
 * Compute Kaplan-Meier curves.
 *
 * Observation i: duration[i] (>= 0, finite) until churn (event[i] = 1) or
 * until the end of observation while still active (event[i] = 0,
 * right-censored); optional weight[i] (>= 0, finite; NULL = all 1;
 * zero-weight observations are ignored) and group[i] (NULL = one overall
 * curve with group id CSM_CODE_ALL).  O(n log n).
 *
 * Errors: CSM_EINVAL (out NULL; duration or event NULL while n > 0; bad
 * opts: size, level outside (0, 1), horizon negative or not finite,
 * at_times NULL while n_at_times > 0, field "opts.at_times"; a time
 * negative or not finite: CSM_EDOMAIN, field "opts.at_times", row j),
 * CSM_EDOMAIN with row and field ("duration" negative or not finite;
 * "event" not 0 or 1; "weight" negative or not finite; "group" equal to
 * CSM_CODE_ALL, which is reserved), CSM_ERANGE (the weights, summed in
 * row order, pass CSM_SUM_MAX = 1e300: the row where they do, field
 * "weight"; so every count at risk stays finite), CSM_ENOMEM.
 * n = 0 gives one empty overall curve (no groups) or no curves (groups).
 * On failure *out is NULL.
 */
CSM_API CSM_NODISCARD csm_status
csm_km_compute(csm_km **out, const double *duration, const uint8_t *event,
               const double *weight, const int32_t *group, size_t n,
               const csm_km_opts *opts, csm_error *err);
/** Free a Kaplan-Meier result (NULL is allowed): csm_result_free(km->result).
 * Arrow exports of its tables stay valid until released. */
CSM_API void csm_km_free(csm_km *km);

#ifdef __cplusplus
}
#endif

#endif /* CSMETRICS_KM_H */
