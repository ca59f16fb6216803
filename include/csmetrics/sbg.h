/** @file
 * csmetrics/sbg.h - the shifted-beta-geometric (sBG) retention model of
 * Fader & Hardie: survivor counts from lifetimes, the maximum-likelihood
 * fit, survival and retention curves, projections, expected lifetime and
 * model-based lifetime value (DEL / DERL).
 *
 * Units: sBG periods are renewal periods (months or years: whatever the
 * survivor counts are per); discount rates are fractions per period
 * (0.10); money is in currency units per period.  Results are the tables
 * "sbg_survivors", "sbg", "sbg_curve" and "sbg_model" (csmetrics/table.h).
 * No global state; every function is reentrant.
 *
 * Definitions and worked examples: docs/metrics.md, "Survival: customer
 * lifetimes, the sBG model and model-based LTV" ("Shifted-beta-geometric
 * model", "Discounted expected lifetime and model-based LTV", "Cohort
 * survivors for the sBG fit"); the columns: docs/columns.md,
 * "sbg_survivors", "sbg", "sbg_curve" and "sbg_model".
 */
#ifndef CSMETRICS_SBG_H
#define CSMETRICS_SBG_H

#include "csmetrics/common.h"
#include "csmetrics/table.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ==== shifted-beta-geometric (Fader & Hardie 2007) ======================== */
/** The largest alpha or beta the sBG functions accept, 1e300 (the range is
 * (0, 1e300]): alpha + beta + t then stays finite for every period t, and
 * S(t), r(t) and P(T = t) are accurate over the whole range (for large
 * alpha and beta the model tends to a geometric lifetime with churn
 * alpha / (alpha + beta) a period). */
#define CSM_SBG_PARAM_MAX 1e300

/**
 * The sBG model: each customer renews each period with a constant
 * probability 1 - theta, theta ~ Beta(alpha, beta) across customers.  (Fader,
 * P. S. & Hardie, B. G. S. (2007), "How to Project Customer Retention",
 * Journal of Interactive Marketing 21(1), 76-90.)  The lifetime T (the period
 * in which the customer churns, T = 1, 2, ...) has
 * @code{.unparsed}
 *   P(T = t) = B(alpha + 1, beta + t - 1) / B(alpha, beta)
 *   S(t)     = P(T > t) = B(alpha, beta + t) / B(alpha, beta)
 *            = prod_{j=1..t} (beta + j - 1) / (alpha + beta + j - 1)
 *   r(t)     = S(t) / S(t-1) = (beta + t - 1) / (alpha + beta + t - 1)
 * @endcode
 * S(0) = 1; retention r(t) rises with t (the sorting effect).  The
 * functions that take alpha and beta accept each in (0,
 * CSM_SBG_PARAM_MAX]; outside is CSM_EDOMAIN (field "alpha"/"beta").
 *
 * This list is the fields of a fit (csm_sbg) and the columns of the table
 * "sbg" (csm_sbg_fits; docs/columns.md, "sbg"): X(member, "column", TYPE,
 * STORAGE, ROLE, "description"), as csmetrics/table.h explains.
 */
#define CSM_SBG_COLUMNS(X)                                                     \
    X(alpha, "alpha", NUMBER, F64, MAIN,                                       \
      "maximum-likelihood estimate of alpha")                                  \
    X(beta, "beta", NUMBER, F64, MAIN,                                         \
      "maximum-likelihood estimate of beta")                                   \
    X(se_alpha, "se_alpha", NUMBER, F64, DETAIL,                               \
      "standard error of alpha (observed information); NaN if singular")       \
    X(se_beta, "se_beta", NUMBER, F64, DETAIL,                                 \
      "standard error of beta (observed information); NaN if singular")        \
    X(cov_alpha_beta, "cov_alpha_beta", NUMBER, F64, DETAIL,                   \
      "covariance of alpha and beta; NaN if singular")                         \
    X(loglik, "loglik", NUMBER, F64, MAIN,                                     \
      "log-likelihood at the estimates")                                       \
    X(iterations, "iterations", COUNT, I32, DETAIL, "Newton iterations")       \
    X(converged, "converged", BOOL, I32, MAIN, "1 = converged, 0 = not")       \
    X(n_cohorts, "n_cohorts", COUNT, I64, DETAIL, "cohorts in the data")       \
    X(n_customers, "n_customers", COUNT, F64, DETAIL,                          \
      "sum of the cohorts' period-0 counts")                                   \
    X(flags, "flags", FLAGS, U32, DETAIL,                                      \
      "CSM_FLAG_* bits (DEGENERATE: singular information)")

/** A fit: a plain struct of values (the value form of CSM_SBG_COLUMNS):
 * @code{.unparsed}
 *   alpha, beta        maximum-likelihood estimates
 *   se_alpha, se_beta  from the observed information
 *   cov_alpha_beta     (NaN + CSM_FLAG_DEGENERATE in flags if singular)
 *   loglik             log-likelihood at the estimates
 *   iterations         Newton iterations
 *   converged          1 = converged
 *   n_cohorts          cohorts in the data (int64_t)
 *   n_customers        sum of the cohorts' period-0 counts
 *   flags              CSM_FLAG_* bits
 * @endcode
 * csm_sbg_table copies fits into a result table "sbg". */
typedef struct csm_sbg {
    CSM_SBG_COLUMNS(CSM_FIELD_MEMBER)
} csm_sbg;

/** Options of csm_sbg_fit; fill the defaults with the
 * _INIT macro or the _opts_init function. */
typedef struct csm_sbg_opts {
    size_t size; /**< sizeof the struct as the caller knows it */
    int32_t max_iter; /**< Newton iterations, > 0 (default 200) */
    /** Convergence: max |gradient| of the log-likelihood with respect to
     * (log alpha, log beta) <= tol x (1 + |loglik|) (and a small Newton
     * step, see csm_sbg_fit).  Default 1e-10. */
    double tol;
    double alpha0, beta0; /* starting values, > 0 (default 1, 1) */
} csm_sbg_opts;
/** @var csm_sbg_opts::alpha0
 * Starting value of alpha for Newton's method, > 0 (default 1). */
/** @var csm_sbg_opts::beta0
 * Starting value of beta for Newton's method, > 0 (default 1). */

/** Initialiser of every option at its default (size = sizeof the struct). */
#define CSM_SBG_OPTS_INIT {sizeof(csm_sbg_opts), 200, 1e-10, 1.0, 1.0}
/** Set *opts (size bytes of it) to the defaults; CSM_EINVAL if opts
 * is NULL or size < sizeof(size_t). */
CSM_API CSM_NODISCARD csm_status csm_sbg_opts_init(csm_sbg_opts *opts,
                                                   size_t size);

/**
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
 * @code{.unparsed}
 *   sum_{t=1..T} (n_{t-1} - n_t) ln P(T = t) + n_T ln S(T)
 * @endcode
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

/* ---- survivor counts from lifetimes --------------------------------------- */
/** Options of csm_sbg_survivors_from_lifetimes; fill the defaults with
 * the _INIT macro or the _opts_init function. */
typedef struct csm_sbg_survivors_opts {
    size_t size; /**< sizeof the struct as the caller knows it */
    /** The monthly cohorts counted: first_month in [first_cohort,
     * last_cohort].  CSM_MONTH_NONE (default) = no bound on that side. */
    int32_t first_cohort, last_cohort;
    /** The last month observed; CSM_MONTH_NONE (default) = the latest
     * first_month of the rows.  It must not be after the end of
     * observation of the lifetimes (csm_lifetimes_opts.as_of): a censored
     * lifetime would then count as a churn. */
    int32_t as_of;
    /** Optional allocator for the result (copied; NULL = malloc). */
    const csm_allocator *allocator;
} csm_sbg_survivors_opts;
/** @var csm_sbg_survivors_opts::last_cohort
 * The last monthly cohort counted (first_month <= last_cohort);
 * CSM_MONTH_NONE (default) = no upper bound. */

/** Initialiser of every option at its default (size = sizeof the struct). */
#define CSM_SBG_SURVIVORS_OPTS_INIT                                             \
    {sizeof(csm_sbg_survivors_opts), CSM_MONTH_NONE, CSM_MONTH_NONE,            \
     CSM_MONTH_NONE, NULL}
/** Set *opts (size bytes of it) to the defaults; CSM_EINVAL if opts
 * is NULL or size < sizeof(size_t). */
CSM_API CSM_NODISCARD csm_status
csm_sbg_survivors_opts_init(csm_sbg_survivors_opts *opts, size_t size);

/** The columns of the table "sbg_survivors" (docs/columns.md,
 * "sbg_survivors"), one row per cohort and age: X(member, "column", TYPE,
 * STORAGE, ROLE, "description"), as csmetrics/table.h explains. */
#define CSM_SBG_SURVIVORS_COLUMNS(X)                                           \
    X(cohort, "cohort", MONTH, I32, KEY,                                       \
      "the cohort: the month its customers' lifetimes started")                \
    X(age, "age", NUMBER, I32, KEY,                                            \
      "age a in months since the cohort's month (0 .. as_of - cohort)")        \
    X(alive, "alive", COUNT, F64, MAIN,                                        \
      "weight of the cohort's lifetimes longer than a months: still active "   \
      "a months after the start")

/** The survivors: the typed view of the table "sbg_survivors". */
typedef struct csm_sbg_survivors {
    csm_result *result; /**< the table "sbg_survivors" */
    size_t n_rows;    /**< rows: (cohort, age) pairs, cohort after cohort */
    size_t n_cohorts; /**< cohorts kept */
    int32_t as_of;    /**< the last month observed (opts.as_of resolved) */
    CSM_SBG_SURVIVORS_COLUMNS(CSM_COLUMN_MEMBER)
} csm_sbg_survivors;

/**
 * The survivor counts of monthly cohorts, ready for csm_sbg_fit
 * (alive, cohort, n_rows): from lifetimes i = 0..n-1 that started in
 * month first_month[i] and lasted duration[i] months (>= 0, finite; as
 * csm_lifetimes_from_ledger gives them, churned or still active), with
 * optional weights (NULL = 1 each; finite, >= 0; 0 leaves a lifetime out,
 * which selects a subset such as the monthly-billed accounts):
 *
 * @code{.unparsed}
 *   alive(c, a) = sum of weight[i] over the lifetimes with
 *                 first_month[i] = c and duration[i] > a
 * @endcode
 *
 * for each cohort c in [first_cohort, last_cohort] and each age a = 0 ..
 * as_of - c observed by as_of (a lifetime still active at as_of lasts
 * as_of - c + 1 > a months: it is alive at every observed age).  Rows
 * are cohort after cohort (ascending), each age 0 .. as_of - c in order,
 * so the rows of a cohort are contiguous and start at period 0, as
 * csm_sbg_fit wants.  Left out: cohorts after as_of, cohorts without
 * lifetimes of positive weight (alive(c, 0) = 0: nothing to fit), and
 * cohorts observed only at age 0 (c = as_of: no renewal seen yet).
 * The counts are non-increasing in a by construction.  Sums of whole
 * weights are exact.
 *
 * Errors: CSM_EINVAL (out NULL; first_month or duration NULL while
 * n > 0; bad opts), CSM_EDOMAIN with row and field ("first_month"
 * outside [CSM_MONTH_MIN, CSM_MONTH_MAX], "duration" negative or not
 * finite, "weight" negative or not finite), CSM_ERANGE (the rows
 * do not fit in size_t), CSM_ENOMEM.  No cohort kept gives a 0-row
 * table (csm_sbg_fit then says CSM_EINVAL: n = 0).  On failure *out is
 * NULL.  O(n log n + rows).
 */
CSM_API CSM_NODISCARD csm_status csm_sbg_survivors_from_lifetimes(
    csm_sbg_survivors **out, const int32_t *first_month,
    const double *duration, const double *weight, size_t n,
    const csm_sbg_survivors_opts *opts, csm_error *err);
/** Free survivor counts (NULL is allowed): csm_result_free(s->result). */
CSM_API void csm_sbg_survivors_free(csm_sbg_survivors *s);

/** Fits as a result table: the typed view of the table "sbg". */
typedef struct csm_sbg_fits {
    csm_result *result; /**< the table "sbg" */
    size_t n_rows;      /**< rows: fits copied, in the caller's order */
    CSM_SBG_COLUMNS(CSM_COLUMN_MEMBER)
} csm_sbg_fits;

/**
 * Copy n fits (from csm_sbg_fit) into a one-table result "sbg": row i
 * holds fits[i], one column per field of csm_sbg (CSM_SBG_COLUMNS, same
 * names and units); NaN estimates and standard errors are nulls in
 * Arrow.  The table has no key column: rows are in the caller's order
 * (one fit gives one row; several fits, e.g. one per segment, keep the
 * order in which the caller passed them).  n = 0 gives a 0-row table.
 * The result is allocated with opts->allocator (csm_result_opts, table.h;
 * NULL = malloc/free) and freed with
 * csm_sbg_fits_free.
 * Errors: CSM_EINVAL (out NULL; fits NULL while n > 0), CSM_ENOMEM (also
 * when n rows do not fit in memory).  On failure *out is NULL.
 */
CSM_API CSM_NODISCARD csm_status csm_sbg_table(csm_sbg_fits **out,
                                               const csm_sbg *fits, size_t n,
                                               const csm_result_opts *opts,
                                               csm_error *err);
/** Free a table of fits (NULL is allowed): csm_result_free(t->result). */
CSM_API void csm_sbg_fits_free(csm_sbg_fits *t);

/** S(t) = B(alpha, beta + t) / B(alpha, beta) = prod_{i<t} (beta + i) /
 * (alpha + beta + i), computed in log space: the first 16 factors as
 * -log1p(alpha / (beta + i)), the rest from Stirling's series regrouped so
 * that no large terms cancel (docs/metrics.md, "Shifted-beta-geometric
 * model"); about 1e-14 relative over the whole parameter range (at alpha
 * = beta = 1e12, S(1) = 0.5).  Errors: CSM_EDOMAIN (alpha or beta not in
 * (0, CSM_SBG_PARAM_MAX]: field "alpha"/"beta"; t < 0: field "t"),
 * CSM_EINVAL (out NULL). */
CSM_API CSM_NODISCARD csm_status csm_sbg_survival(double *out, double alpha,
                                                  double beta, int32_t t,
                                                  csm_error *err);

/**
 * The first n periods t = 0, 1, ..., n-1 of the model by the recursion
 * S(t) = S(t-1) r(t): survival[t] = S(t), retention[t] = r(t) (NaN at
 * t = 0: there is no period before 0), churn[t] = P(T = t) = S(t-1) - S(t)
 * (0 at t = 0).  Any of the three arrays may be NULL.
 * Errors: as csm_sbg_survival.
 */
CSM_API CSM_NODISCARD csm_status
csm_sbg_curve(double *survival, double *retention, double *churn, size_t n,
              double alpha, double beta, csm_error *err);

/* ---- the projection as a table ------------------------------------------ */
/** The columns of the table "sbg_curve" (docs/columns.md, "sbg_curve"),
 * one row per period of csm_sbg_project: X(member, "column", TYPE,
 * STORAGE, ROLE, "description"), as csmetrics/table.h explains. */
#define CSM_SBG_CURVE_COLUMNS(X)                                               \
    X(period, "period", NUMBER, I32, KEY,                                      \
      "period t = 0, 1, ... since acquisition (renewal periods)")              \
    X(survival, "survival", FRACTION, F64, MAIN, "S(t) = P(T > t)")            \
    X(retention, "retention", FRACTION, F64, MAIN,                             \
      "r(t) = S(t) / S(t-1); NaN (null) at t = 0")                             \
    X(churn, "churn", FRACTION, F64, MAIN,                                     \
      "P(T = t) = S(t-1) - S(t): share of the cohort lost in t; 0 at t = 0")   \
    X(survivors, "survivors", COUNT, F64, MAIN,                                \
      "cohort_size x S(t): expected customers still active after t")           \
    X(churned, "churned", COUNT, F64, DETAIL,                                  \
      "cohort_size x P(T = t): expected customers lost in period t")

/** An sBG projection: the typed view of the table "sbg_curve", as
 * csm_sbg_project returns it, with the inputs it was computed from. */
typedef struct csm_sbg_projection {
    csm_result *result; /**< the table "sbg_curve" */
    size_t n_rows;      /**< n_periods */
    double alpha, beta, cohort_size; /* the inputs */
    CSM_SBG_CURVE_COLUMNS(CSM_COLUMN_MEMBER)
} csm_sbg_projection;
/** @var csm_sbg_projection::alpha
 * The model's alpha, as passed to csm_sbg_project (> 0). */
/** @var csm_sbg_projection::beta
 * The model's beta, as passed to csm_sbg_project (> 0). */
/** @var csm_sbg_projection::cohort_size
 * Customers acquired at t = 0, as passed to csm_sbg_project (>= 0;
 * survivors and churned are this many times S(t) and P(T = t)). */

/**
 * The sBG projection as a result table "sbg_curve": one row per period
 * t = 0 .. n_periods-1 with
 *   period     t
 *   survival   S(t), retention r(t) (NaN at t = 0), churn P(T = t) (0 at
 *              t = 0): exactly what csm_sbg_curve writes (it computes
 *              them, by S(t) = S(t-1) r(t))
 *   survivors  cohort_size x S(t), the expected number still active after
 *              period t of a cohort of cohort_size customers acquired at
 *              t = 0 (cohort_size = 1 gives the survival again)
 *   churned    cohort_size x P(T = t), the expected number lost in period t
 *              (survivors(t-1) - survivors(t))
 * Periods are renewal periods (months or years: those of the counts the
 * model was fitted to); cohort_size is a number of customers (finite,
 * >= 0; fractions allowed).  Pass a fit's alpha and beta to project it.
 * The result is allocated with opts->allocator (csm_result_opts, table.h;
 * NULL = malloc/free) and freed with
 * csm_sbg_projection_free.
 * Errors: CSM_EINVAL (out NULL), CSM_EDOMAIN (alpha or beta not in (0,
 * CSM_SBG_PARAM_MAX]: field "alpha"/"beta"; cohort_size negative or not finite:
 * field "cohort_size"), CSM_ERANGE (n_periods - 1 beyond INT32_MAX: field
 * "n_periods"), CSM_ENOMEM.  n_periods = 0 gives a 0-row table.  On
 * failure *out is NULL.
 */
CSM_API CSM_NODISCARD csm_status
csm_sbg_project(csm_sbg_projection **out, size_t n_periods, double alpha,
                double beta, double cohort_size, const csm_result_opts *opts,
                csm_error *err);
/** Free a projection (NULL is allowed): csm_result_free(p->result). */
CSM_API void csm_sbg_projection_free(csm_sbg_projection *p);

/**
 * Expected lifetime E[T] = sum_{t>=0} S(t) = (alpha + beta - 1)/(alpha - 1)
 * periods for alpha > 1.  For alpha <= 1 the expectation is infinite:
 * *out = NaN and CSM_FLAG_INFINITE is set in *flags (flags may be NULL;
 * bits are only ever set, never cleared).
 * Errors: CSM_EINVAL (out NULL), CSM_EDOMAIN (bad alpha or beta).
 */
CSM_API CSM_NODISCARD csm_status
csm_sbg_expected_lifetime(double *out, uint32_t *flags, double alpha,
                          double beta, csm_error *err);

/**
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

/**
 * Discounted expected lifetime of a new customer (Fader & Hardie (2010),
 * "Customer-Base Valuation in a Contractual Setting: The Perils of
 * Ignoring Heterogeneity", Marketing Science 29(1), 85-93):
 * @code{.unparsed}
 *   DEL(d) = sum_{t>=0} S(t) / (1 + d)^t = 2F1(1, beta; alpha + beta;
 *            1/(1 + d))
 * @endcode
 * (S(t) = (beta)_t / (alpha + beta)_t makes the sum the series of 2F1).
 * The payment at acquisition (t = 0) counts in full; d is the discount
 * rate per period, > 0.  Errors: CSM_EINVAL (out NULL), CSM_EDOMAIN (bad
 * alpha, beta; d not positive and finite: field "discount"), CSM_ENOCONV
 * (d so small that the series needs more than 10^7 terms).
 */
CSM_API CSM_NODISCARD csm_status csm_sbg_del(double *out, double alpha,
                                             double beta, double discount,
                                             csm_error *err);

/**
 * Discounted expected residual lifetime of a customer who has made
 * n_renewals renewals (is active in period n = n_renewals), evaluated just
 * before the next renewal decision (Fader & Hardie 2010, eq. 6, with
 * n - 1 renewals there = n_renewals here):
 * @code{.unparsed}
 *   DERL(d | n) = sum_{t>n} S(t)/S(n) / (1 + d)^(t - n - 1)
 *               = (beta + n)/(alpha + beta + n)
 *                 x 2F1(1, beta + n + 1; alpha + beta + n + 1; 1/(1 + d))
 * @endcode
 * The first future payment (the renewal at n + 1) is undiscounted; the
 * payment at n, already made, is not counted.  DEL = 1 + DERL(0)/(1 + d).
 * Errors: as csm_sbg_del, plus CSM_EDOMAIN for n_renewals < 0.
 */
CSM_API CSM_NODISCARD csm_status csm_sbg_derl(double *out, double alpha,
                                              double beta, double discount,
                                              int32_t n_renewals,
                                              csm_error *err);

/**
 * Model-based lifetime value (docs/metrics.md, "Discounted expected
 * lifetime and model-based LTV"):
 * @code{.unparsed}
 *   new customer:       LTV = margin x DEL(d)
 *   existing customer:  LTV = margin x DERL(d | n_renewals)
 * @endcode
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
/** Model lifetime value of an existing customer who has made n_renewals
 * renewals (>= 0): margin x DERL(d | n_renewals) (csm_sbg_derl), in
 * currency units.  Errors: as csm_sbg_derl, plus CSM_EDOMAIN for a margin
 * that is not finite. */
CSM_API CSM_NODISCARD csm_status
csm_sbg_ltv_existing(double *out, double alpha, double beta, double margin,
                     double discount, int32_t n_renewals, csm_error *err);
/** csm_sbg_ltv_new with the alpha and beta of a fit (from csm_sbg_fit):
 * margin x DEL(d).  Errors: as csm_sbg_ltv_new, plus CSM_EINVAL for fit
 * NULL. */
CSM_API CSM_NODISCARD csm_status csm_sbg_fit_ltv_new(double *out,
                                                     const csm_sbg *fit,
                                                     double margin,
                                                     double discount,
                                                     csm_error *err);
/** csm_sbg_ltv_existing with the alpha and beta of a fit (from
 * csm_sbg_fit): margin x DERL(d | n_renewals).  Errors: as
 * csm_sbg_ltv_existing, plus CSM_EINVAL for fit NULL. */
CSM_API CSM_NODISCARD csm_status
csm_sbg_fit_ltv_existing(double *out, const csm_sbg *fit, double margin,
                         double discount, int32_t n_renewals, csm_error *err);

/* ---- the model's figures as a table ------------------------------------- */
/** The columns of the table "sbg_model" (docs/columns.md, "sbg_model";
 * csmetrics/table.h explains the list): X(member, "column", TYPE, STORAGE,
 * ROLE, "description"). */
#define CSM_SBG_MODEL_COLUMNS(X)                                               \
    X(model_alpha, "alpha", NUMBER, F64, DETAIL,                               \
      "alpha of the fit (its row of the table \"sbg\")")                       \
    X(model_beta, "beta", NUMBER, F64, DETAIL,                                 \
      "beta of the fit (its row of the table \"sbg\")")                        \
    X(margin, "margin", MONEY, F64, DETAIL,                                    \
      "margin per period (currency units), as passed")                         \
    X(discount, "discount", FRACTION, F64, DETAIL,                             \
      "discount rate d per period, as passed")                                 \
    X(expected_lifetime, "expected_lifetime", NUMBER, F64, MAIN,               \
      "E[T] = (alpha + beta - 1)/(alpha - 1) periods; NaN (null) and "         \
      "INFINITE in flags when alpha <= 1")                                     \
    X(del, "del", NUMBER, F64, MAIN,                                           \
      "DEL(d) = sum_{t>=0} S(t)/(1 + d)^t: discounted expected lifetime of "   \
      "a new customer (periods)")                                              \
    X(ltv_new, "ltv_new", MONEY, F64, MAIN,                                    \
      "margin x DEL(d): model lifetime value of a new customer")               \
    X(model_flags, "flags", FLAGS, U32, DETAIL,                                \
      "CSM_FLAG_* bits of the row (INFINITE: expected lifetime infinite)")

/** The model's figures: the typed view of the table "sbg_model". */
typedef struct csm_sbg_models {
    csm_result *result; /**< the table "sbg_model" */
    size_t n_rows;      /**< one per fit */
    CSM_SBG_MODEL_COLUMNS(CSM_COLUMN_MEMBER)
} csm_sbg_models;

/**
 * The model's headline figures of n fits as a result table "sbg_model":
 * row i (fits in the caller's order; one fit gives one row) holds
 *   alpha, beta         fits[i].alpha and fits[i].beta
 *   margin, discount    the arguments (the same on every row)
 *   expected_lifetime   csm_sbg_expected_lifetime: (alpha + beta - 1) /
 *                       (alpha - 1) periods; NaN and CSM_FLAG_INFINITE in
 *                       flags for alpha <= 1
 *   del                 csm_sbg_del: DEL(d) = 2F1(1, beta; alpha + beta;
 *                       1/(1 + d)) periods
 *   ltv_new             csm_sbg_ltv_new: margin x DEL(d), currency units
 *   flags               CSM_FLAG_* bits of the row
 * Each figure is what the named function returns for (alpha, beta,
 * margin, discount): this function calls them, it has no formula of its
 * own.  margin is the margin per period (finite; e.g. ARPA x gross margin
 * for monthly periods); discount the rate d per period (> 0, finite; for
 * monthly periods and a yearly rate y, d = (1 + y)^(1/12) - 1).  The
 * table has no key column: rows are in the order of fits (for the read-
 * offs of the curve, r(t) and S(t) at chosen periods, use csm_sbg_project:
 * the table "sbg_curve").  n = 0 gives a 0-row table (fits may be NULL),
 * e.g. when the fit failed.  The fit's other fields (converged, loglik...)
 * are not read: pass only fits worth reporting.  The result is allocated
 * with opts->allocator (csm_result_opts, table.h; NULL = malloc/free) and
 * freed with csm_sbg_models_free.
 * Errors: CSM_EINVAL (out NULL; fits NULL while n > 0), CSM_EDOMAIN
 * (margin not finite: field "margin"; discount not positive and finite:
 * field "discount"; a fit's alpha or beta not in (0, CSM_SBG_PARAM_MAX], e.g.
 * the NaN estimates of a failed fit: field "alpha"/"beta" with the fit's
 * index as row), CSM_ENOCONV (discount so small that the DEL series needs
 * more than 10^7 terms), CSM_ENOMEM (also when n rows do not fit in
 * memory).  On failure *out is NULL.
 */
CSM_API CSM_NODISCARD csm_status csm_sbg_model(csm_sbg_models **out,
                                               const csm_sbg *fits, size_t n,
                                               double margin, double discount,
                                               const csm_result_opts *opts,
                                               csm_error *err);
/** Free a table of model figures (NULL is allowed):
 * csm_result_free(m->result). */
CSM_API void csm_sbg_models_free(csm_sbg_models *m);

#ifdef __cplusplus
}
#endif

#endif /* CSMETRICS_SBG_H */
