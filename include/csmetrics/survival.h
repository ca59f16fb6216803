/*
 * csmetrics/survival.h - customer lifetimes: Kaplan-Meier survival with
 * right-censoring (active customers), lifetimes derived from an MRR ledger,
 * the shifted-beta-geometric (sBG) retention model of Fader & Hardie, and
 * model-based lifetime value (DEL / DERL).
 *
 * Units: durations are in the caller's unit (months when they come from a
 * ledger); sBG periods are renewal periods (months or years: whatever the
 * survivor counts are per); discount rates are fractions per period (0.10);
 * money is in currency units per period.
 *
 * Threads: no global state; every function is reentrant.  Result tables
 * belong to the caller and may be read from many threads.
 *
 * Definitions and worked examples: docs/metrics.md, "Survival".
 */
#ifndef CSMETRICS_SURVIVAL_H
#define CSMETRICS_SURVIVAL_H

#include "csmetrics/common.h"
#include "csmetrics/ledger.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- survival-family flags ---------------------------------------------- */
/* Bits 16..23 of a survival result's flags are this family's own; the
 * common CSM_FLAG_* bits keep their meaning. */
enum {
    /* S(t) never fell to 0.5: the median is NaN. */
    CSM_FLAG_MEDIAN_NOT_REACHED = 1u << 16,
    /* The lower confidence band never fell to 0.5: the median's lower
     * limit is NaN. */
    CSM_FLAG_MEDIAN_LOWER_NOT_REACHED = 1u << 17,
    /* The upper confidence band never fell to 0.5: the median's upper
     * limit is NaN (unbounded above). */
    CSM_FLAG_MEDIAN_UPPER_NOT_REACHED = 1u << 18,
    /* An expectation is infinite (sBG expected lifetime with alpha <= 1):
     * the value is NaN. */
    CSM_FLAG_INFINITE = 1u << 19
};

/* Function twins of the flags (for bindings that do not parse enums). */
CSM_API uint32_t csm_flag_median_not_reached(void);
CSM_API uint32_t csm_flag_median_lower_not_reached(void);
CSM_API uint32_t csm_flag_median_upper_not_reached(void);
CSM_API uint32_t csm_flag_infinite(void);

/* The group id of the overall curve (all observations). */
#define CSM_KM_GROUP_ALL INT32_MIN
CSM_API int32_t csm_km_group_all(void);

/* ==== Kaplan-Meier ======================================================== */
typedef struct csm_km_opts {
    size_t size;
    /* Confidence level of the pointwise band and of the median's interval,
     * in (0, 1).  Default 0.95. */
    double level;
    /* Horizon tau of the restricted mean lifetime (>= 0, finite);
     * 0 (default) = each curve's largest observed time. */
    double horizon;
    /* With group ids: 1 = also compute the overall curve over all
     * observations, stored first with group id CSM_KM_GROUP_ALL.  Without
     * group ids there is only the overall curve.  Default 0. */
    int include_overall;
    /* Optional allocator for the result table (copied; NULL = malloc). */
    const csm_allocator *allocator;
} csm_km_opts;

#define CSM_KM_OPTS_INIT {sizeof(csm_km_opts), 0.95, 0.0, 0, NULL}
CSM_API CSM_NODISCARD csm_status csm_km_opts_init(csm_km_opts *opts,
                                                  size_t size);

/*
 * Kaplan-Meier product-limit table, one curve per group.
 *
 * Curves are ordered by group id (the overall curve first when asked for);
 * curve g owns rows [row_offset[g], row_offset[g+1]), one row per distinct
 * time t (ascending) at which an observation of positive weight ended:
 *
 *   n_risk  n(t) = sum of weights with duration >= t
 *   n_event d(t) = sum of weights with duration == t and event 1
 *   n_censor c(t) = sum of weights with duration == t and event 0
 *   surv    S(t) = prod_{u <= t} (1 - d(u)/n(u))        (right-continuous)
 *   se      Greenwood: S(t) sqrt(V(t)), V(t) = sum_{u <= t} d/(n (n - d))
 *   lower, upper  Kalbfleisch-Prentice log-log band at `level`:
 *           exp(-exp(log(-log S) -/+ z s)),  s = sqrt(V) / |log S|,
 *           z = the standard normal quantile at 1 - (1 - level)/2,
 *           so lower = exp(-exp(log(-log S) + z s)) <= S <= upper.
 *
 * Ties: events are taken before censorings at the same time (a customer
 * censored at t is at risk at t).  Weights enter n, d, c and Greenwood's
 * sum as they are (frequency weights).  Rows with S = 1 have se 0 and
 * band [1, 1].  Rows with S = 0 (every subject at risk had the event) have
 * se, lower and upper NaN and CSM_FLAG_DEGENERATE in flags[row].
 *
 * Per curve:
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
 * The "<= 0.5" comparisons allow a relative rounding tolerance of 1e-12.
 * A curve without observations of positive weight has 0 rows, NaN
 * median, limits and rmst, and CSM_FLAG_EMPTY (plus the not-reached
 * flags) in group_flags.
 */
typedef struct csm_km {
    size_t n_groups;
    size_t n_rows;
    double level;
    /* per curve (n_groups; row_offset has n_groups + 1) */
    int32_t *group;
    size_t *row_offset;
    double *n_obs;    /* sum of weights */
    double *n_events; /* sum of event weights */
    double *median, *median_lower, *median_upper;
    double *rmst, *horizon;
    uint32_t *group_flags;
    /* per row (n_rows) */
    double *time, *n_risk, *n_event, *n_censor;
    double *surv, *se, *lower, *upper;
    uint32_t *flags;
    void *priv_;
} csm_km;

/*
 * Compute Kaplan-Meier curves.
 *
 * Observation i: duration[i] (>= 0, finite) until churn (event[i] = 1) or
 * until the end of observation while still active (event[i] = 0,
 * right-censored); optional weight[i] (>= 0, finite; NULL = all 1;
 * zero-weight observations are ignored) and group[i] (NULL = one overall
 * curve with group id CSM_KM_GROUP_ALL).  O(n log n).
 *
 * Errors: CSM_EINVAL (out NULL; duration or event NULL while n > 0; bad
 * opts: size, level outside (0, 1), horizon negative or not finite),
 * CSM_EDOMAIN with row and field ("duration" negative or not finite;
 * "event" not 0 or 1; "weight" negative or not finite; "group" equal to
 * CSM_KM_GROUP_ALL, which is reserved), CSM_ENOMEM.
 * n = 0 gives one empty overall curve (no groups) or no curves (groups).
 * On failure *out is NULL.
 */
CSM_API CSM_NODISCARD csm_status
csm_km_compute(csm_km **out, const double *duration, const uint8_t *event,
               const double *weight, const int32_t *group, size_t n,
               const csm_km_opts *opts, csm_error *err);
/* Free a Kaplan-Meier table (NULL is allowed). */
CSM_API void csm_km_free(csm_km *km);

/* ==== lifetimes from a ledger ============================================= */
typedef struct csm_lifetime_opts {
    size_t size;
    /* Observation end month; CSM_MONTH_NONE (default) = the ledger's last
     * month.  Activity after it is ignored and customers first active
     * after it are left out. */
    int32_t as_of;
} csm_lifetime_opts;

#define CSM_LIFETIME_OPTS_INIT {sizeof(csm_lifetime_opts), CSM_MONTH_NONE}
CSM_API CSM_NODISCARD csm_status
csm_lifetime_opts_init(csm_lifetime_opts *opts, size_t size);

/*
 * One lifetime per customer (ordered by customer id, as in the ledger):
 * a customer's lifetime starts in its first active month f and ends at its
 * first churn: the first month c after f in which it is not active (the
 * month after its first unbroken run of active months).  A later return
 * does not extend the lifetime.
 *   churned  (c <= as_of): duration = c - f months, event = 1
 *   censored (active through as_of): duration = as_of - f + 1, event = 0
 * Either way the duration is the number of months in the first run, so a
 * customer active only in its first month who churns the next month has
 * duration 1.  segment is the customer's segment in month f.  Feed
 * duration, event and (for per-segment curves) segment to csm_km_compute.
 */
typedef struct csm_lifetimes {
    size_t n;
    int64_t *customer_id;
    int32_t *first_month;
    int32_t *segment;
    double *duration; /* months */
    uint8_t *event;   /* 1 = churned, 0 = still active (censored) */
    void *priv_;
} csm_lifetimes;

/* Derive lifetimes from a ledger (allocated with the ledger's allocator).
 * Errors: CSM_EINVAL (out or ledger NULL, bad opts), CSM_ENOMEM.  An empty
 * ledger gives n = 0.  On failure *out is NULL. */
CSM_API CSM_NODISCARD csm_status csm_lifetimes_from_ledger(
    csm_lifetimes **out, const csm_ledger *ledger,
    const csm_lifetime_opts *opts, csm_error *err);
/* Free a lifetimes table (NULL is allowed). */
CSM_API void csm_lifetimes_free(csm_lifetimes *lt);

/* ==== shifted-beta-geometric (Fader & Hardie 2007) ======================== */
/*
 * The sBG model (Fader, P. S. & Hardie, B. G. S. (2007), "How to Project
 * Customer Retention", Journal of Interactive Marketing 21(1), 76-90):
 * each customer renews each period with a constant probability 1 - theta,
 * theta ~ Beta(alpha, beta) across customers.  The lifetime T (the period
 * in which the customer churns, T = 1, 2, ...) has
 *   P(T = t) = B(alpha + 1, beta + t - 1) / B(alpha, beta)
 *   S(t)     = P(T > t) = B(alpha, beta + t) / B(alpha, beta)
 *            = prod_{j=1..t} (beta + j - 1) / (alpha + beta + j - 1)
 *   r(t)     = S(t) / S(t-1) = (beta + t - 1) / (alpha + beta + t - 1)
 * S(0) = 1; retention r(t) rises with t (the sorting effect).
 */
typedef struct csm_sbg {
    double alpha, beta;       /* maximum-likelihood estimates */
    double se_alpha, se_beta; /* from the observed information */
    double cov_alpha_beta;    /* (NaN + CSM_FLAG_DEGENERATE if singular) */
    double loglik;            /* log-likelihood at the estimates */
    int32_t iterations;
    int32_t converged;        /* 1 = converged */
    size_t n_cohorts;
    double n_customers;       /* sum of the cohorts' period-0 counts */
    uint32_t flags;
} csm_sbg;

typedef struct csm_sbg_opts {
    size_t size;
    int32_t max_iter; /* Newton iterations, > 0 (default 200) */
    /* Convergence: max |gradient| of the log-likelihood with respect to
     * (log alpha, log beta) <= tol x (1 + |loglik|) (and a small Newton
     * step, see csm_sbg_fit).  Default 1e-10. */
    double tol;
    double alpha0, beta0; /* starting values, > 0 (default 1, 1) */
} csm_sbg_opts;

#define CSM_SBG_OPTS_INIT {sizeof(csm_sbg_opts), 200, 1e-10, 1.0, 1.0}
CSM_API CSM_NODISCARD csm_status csm_sbg_opts_init(csm_sbg_opts *opts,
                                                   size_t size);

/*
 * Fit (alpha, beta) by maximum likelihood to survivor counts.
 *
 * alive[i] is the number of customers of a cohort still active at period
 * t = 0, 1, ..., T (non-negative, finite, not increasing, first value
 * > 0; fractions such as 0.869 are allowed and scale the log-likelihood).
 * cohort[i] labels the rows (NULL = one cohort); the rows of one cohort
 * are contiguous and in period order, starting at period 0.  Cohorts may
 * have different ages (the contractual multi-cohort setting of Fader &
 * Hardie's note "Fitting the sBG Model to Multi-Cohort Data").  Cohort k
 * with counts n_0..n_T contributes
 *   sum_{t=1..T} (n_{t-1} - n_t) ln P(T = t) + n_T ln S(T)
 * and loglik is the sum over cohorts.
 *
 * Newton's method with a backtracking line search on (log alpha,
 * log beta), analytic gradient and Hessian (a multiple of the identity is
 * added when the Hessian is not negative definite).  Standard errors come
 * from the inverse of the observed information -H in (alpha, beta) space
 * (NaN and CSM_FLAG_DEGENERATE if it is not positive definite).
 *
 * Converged means: max |gradient| <= tol x (1 + |loglik|), the Hessian
 * is negative definite (condition number below 1e10) and the Newton step
 * in (log alpha, log beta) is below 1e-6.
 *
 * Errors: CSM_EINVAL (out or alive NULL, n = 0, bad opts), CSM_EDOMAIN with
 * row and field "alive" (negative, not finite, greater than the previous
 * period's count, or period-0 count 0; field "alive" without a row: no
 * cohort observed beyond period 0, or no survivors of period 1 observed
 * again in period 2 -- one period identifies alpha/(alpha+beta) only) or
 * "cohort" (labels not ascending: the rows of a cohort must be contiguous),
 * CSM_ENOCONV when the maximum does not exist or is not found: nobody
 * churned (beta = infinity) or everybody churned in period 1 (beta = 0)
 * -- both detected before iterating, *out then holds NaN estimates --, or
 * the estimates run off to infinity (retention that does not rise over
 * time: no heterogeneity), or max_iter was too small; *out then holds the
 * last iterate with converged = 0.
 */
CSM_API CSM_NODISCARD csm_status
csm_sbg_fit(csm_sbg *out, const double *alive, const int32_t *cohort,
            size_t n, const csm_sbg_opts *opts, csm_error *err);

/* S(t) = B(alpha, beta + t) / B(alpha, beta), closed form with lgamma.
 * Errors: CSM_EDOMAIN (alpha or beta not positive and finite: field
 * "alpha"/"beta"; t < 0: field "t"), CSM_EINVAL (out NULL). */
CSM_API CSM_NODISCARD csm_status csm_sbg_survival(double *out, double alpha,
                                                  double beta, int32_t t,
                                                  csm_error *err);

/*
 * The first n periods t = 0 .. n-1 of the model by the recursion
 * S(t) = S(t-1) r(t): survival[t] = S(t), retention[t] = r(t) (NaN at
 * t = 0: there is no period before 0), churn[t] = P(T = t) = S(t-1) - S(t)
 * (0 at t = 0).  Any of the three arrays may be NULL.
 * Errors: as csm_sbg_survival.
 */
CSM_API CSM_NODISCARD csm_status
csm_sbg_curve(double *survival, double *retention, double *churn, size_t n,
              double alpha, double beta, csm_error *err);

/*
 * Expected lifetime E[T] = sum_{t>=0} S(t) = (alpha + beta - 1)/(alpha - 1)
 * periods for alpha > 1.  For alpha <= 1 the expectation is infinite:
 * *out = NaN and CSM_FLAG_INFINITE is set in *flags (flags may be NULL;
 * bits are only ever set, never cleared).
 * Errors: CSM_EINVAL (out NULL), CSM_EDOMAIN (bad alpha or beta).
 */
CSM_API CSM_NODISCARD csm_status
csm_sbg_expected_lifetime(double *out, uint32_t *flags, double alpha,
                          double beta, csm_error *err);

/*
 * Gaussian hypergeometric function 2F1(a, b; c; z) = sum_k (a)_k (b)_k /
 * ((c)_k k!) z^k by its series, for a, b, c > 0 and 0 <= z < 1 (all terms
 * positive; compensated summation).  The sum stops when the remaining
 * tail is provably below 1e-17 of the sum (the term ratios are bounded by
 * rho < 1 from some term on, and the tail by term x rho / (1 - rho)).
 * Errors: CSM_EINVAL (out NULL), CSM_EDOMAIN (a, b, c <= 0 or not finite,
 * z outside [0, 1)), CSM_ENOCONV (more than 10^7 terms needed: z too
 * close to 1).
 */
CSM_API CSM_NODISCARD csm_status csm_sbg_hyp2f1(double *out, double a,
                                                double b, double c, double z,
                                                csm_error *err);

/*
 * Discounted expected lifetime of a new customer (Fader & Hardie (2010),
 * "Customer-Base Valuation in a Contractual Setting: The Perils of
 * Ignoring Heterogeneity", Marketing Science 29(1), 85-93):
 *   DEL(d) = sum_{t>=0} S(t) / (1 + d)^t = 2F1(1, beta; alpha + beta;
 *            1/(1 + d))
 * (S(t) = (beta)_t / (alpha + beta)_t makes the sum the series of 2F1).
 * The payment at acquisition (t = 0) counts in full; d is the discount
 * rate per period, > 0.  Errors: CSM_EINVAL (out NULL), CSM_EDOMAIN (bad
 * alpha, beta; d not positive and finite: field "discount"), CSM_ENOCONV
 * (d so small that the series needs more than 10^7 terms).
 */
CSM_API CSM_NODISCARD csm_status csm_sbg_del(double *out, double alpha,
                                             double beta, double discount,
                                             csm_error *err);

/*
 * Discounted expected residual lifetime of a customer who has made
 * n_renewals renewals (is active in period n = n_renewals), evaluated just
 * before the next renewal decision (Fader & Hardie 2010, eq. 6, with
 * n - 1 renewals there = n_renewals here):
 *   DERL(d | n) = sum_{t>n} S(t)/S(n) / (1 + d)^(t - n - 1)
 *               = (beta + n)/(alpha + beta + n)
 *                 x 2F1(1, beta + n + 1; alpha + beta + n + 1; 1/(1 + d))
 * The first future payment (the renewal at n + 1) is undiscounted; the
 * payment at n, already made, is not counted.  DEL = 1 + DERL(0)/(1 + d).
 * Errors: as csm_sbg_del, plus CSM_EDOMAIN for n_renewals < 0.
 */
CSM_API CSM_NODISCARD csm_status csm_sbg_derl(double *out, double alpha,
                                              double beta, double discount,
                                              int32_t n_renewals,
                                              csm_error *err);

/*
 * Model-based lifetime value (DESIGN.md section 3, "model LTV"):
 *   new customer:       LTV = margin x DEL(d)
 *   existing customer:  LTV = margin x DERL(d | n_renewals)
 * margin is the (constant) margin per period in currency units (finite;
 * e.g. ARPA x gross margin for monthly periods); d the discount rate per
 * period.  The _fit variants take a fitted model.
 * Errors: as csm_sbg_del / csm_sbg_derl, plus CSM_EDOMAIN for a margin that
 * is not finite and CSM_EINVAL for a NULL fit.
 */
CSM_API CSM_NODISCARD csm_status csm_sbg_ltv_new(double *out, double alpha,
                                                 double beta, double margin,
                                                 double discount,
                                                 csm_error *err);
CSM_API CSM_NODISCARD csm_status
csm_sbg_ltv_existing(double *out, double alpha, double beta, double margin,
                     double discount, int32_t n_renewals, csm_error *err);
CSM_API CSM_NODISCARD csm_status csm_sbg_fit_ltv_new(double *out,
                                                     const csm_sbg *fit,
                                                     double margin,
                                                     double discount,
                                                     csm_error *err);
CSM_API CSM_NODISCARD csm_status
csm_sbg_fit_ltv_existing(double *out, const csm_sbg *fit, double margin,
                         double discount, int32_t n_renewals, csm_error *err);

#ifdef __cplusplus
}
#endif

#endif /* CSMETRICS_SURVIVAL_H */
