/** @file
 * csmetrics/churn.h - churn-risk prediction: an L2-regularized logistic
 * regression of "churned within the horizon" on per-account features (fit
 * by Newton's method / IRLS on standardized features), the accounts'
 * predicted probabilities with per-feature contributions (the reasons for
 * the risk), and the validation of any risk score on held-out rows: ROC
 * AUC with its DeLong interval, Brier score, log loss, a calibration table
 * and the lift of the top decile; and a health scorecard whose measure
 * weights follow a fitted model (csm_churn_proposal_compute).
 *
 * Input layout: the feature matrix x is n rows (accounts, or account-
 * periods) by p features in one row-major array, x[i*p + j] = feature j of
 * row i (a C-contiguous numpy 2-D array as it is); y[i] is 1 when row i
 * churned, 0 when it did not.  The library does not split the rows: for an
 * honest validation the caller fits on the earlier periods and scores the
 * later ones (docs/metrics.md, "Churn-risk prediction").
 *
 * Threads: reentrant, no global state; inputs are only read; the results
 * (result tables, csmetrics/table.h) are the caller's.
 * Definitions, every choice made, and a worked example: docs/metrics.md,
 * "Churn-risk prediction"; the columns: docs/columns.md, "churn_model",
 * "churn_fit", "churn_scores", "churn_contributions", "churn_auc",
 * "churn_validation", "churn_calibration" and "churn_proposal".
 */
#ifndef CSMETRICS_CHURN_H
#define CSMETRICS_CHURN_H

#include "csmetrics/common.h"
#include "csmetrics/health.h"
#include "csmetrics/table.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ==== the model ========================================================== */
/** The label of the intercept row of the table "churn_model" (the
 * null_label of its term column, whose intercept row is CSM_CODE_ALL). */
#define CSM_CHURN_INTERCEPT_LABEL "intercept"
/** The label of "no feature" in the top_term column of "churn_scores" (no
 * contribution of the row is positive). */
#define CSM_CHURN_NO_TERM_LABEL "none"
/** |coefficient| (standardized scale, intercept included) beyond which an
 * unpenalized fit (l2 = 0) is declared separated: an odds ratio of e^30
 * (about 10^13) per standard deviation is no estimate but a coefficient
 * running off to infinity (see csm_churn_model_fit). */
#define CSM_CHURN_SEPARATION_BOUND 30.0

/** Options of csm_churn_model_fit; fill the defaults with the _INIT macro
 * or the _opts_init function. */
typedef struct csm_churn_model_opts {
    size_t size; /**< sizeof the struct as the caller knows it */
    /** The L2 penalty: the objective is the sum of the log-losses +
     * (l2 / 2) x the sum of the squared standardized coefficients (the
     * intercept is not penalized).  >= 0 and finite; default 1.0.  l2 = 0
     * is the plain maximum-likelihood fit. */
    double l2;
    /** Convergence: the fit stops when the largest component of the full
     * Newton step (standardized scale, intercept included) is <= tol.
     * > 0; default 1e-10. */
    double tol;
    int32_t max_iter; /**< Newton iterations, > 0 (default 100) */
    /** Allocator of the result and of the work arrays (copied; NULL =
     * malloc/free). */
    const csm_allocator *allocator;
} csm_churn_model_opts;

/** Initialiser of every option at its default (size = sizeof the struct). */
#define CSM_CHURN_MODEL_OPTS_INIT                                              \
    {sizeof(csm_churn_model_opts), 1.0, 1e-10, 100, NULL}
/** Set *opts (size bytes of it) to the defaults; CSM_EINVAL if opts
 * is NULL or size < sizeof(size_t). */
CSM_API CSM_NODISCARD csm_status
csm_churn_model_opts_init(csm_churn_model_opts *opts, size_t size);

/**
 * The columns of the table "churn_model" (docs/columns.md, "churn_model"):
 * one row for the intercept (first; its term is CSM_CODE_ALL, null, label
 * CSM_CHURN_INTERCEPT_LABEL), then one per feature in the order of x's
 * columns.  X(member, "column", TYPE, STORAGE, ROLE, "description"), as
 * csmetrics/table.h explains.
 */
#define CSM_CHURN_MODEL_COLUMNS(X)                                             \
    X(term, "term", CODE, I32, KEY,                                            \
      "feature index j (column of x, 0-based); CSM_CODE_ALL (null, "           \
      "\"intercept\") for the intercept")                                      \
    X(coefficient, "coefficient", NUMBER, F64, MAIN,                           \
      "standardized scale: log-odds change per population SD of the "          \
      "feature; the intercept is the log-odds at the features' means")         \
    X(std_error, "std_error", NUMBER, F64, MAIN,                               \
      "sqrt of the diagonal of the inverse Hessian of the penalized "          \
      "objective at the estimates; NaN for a constant feature")                \
    X(z, "z", NUMBER, F64, DETAIL, "coefficient / std_error (Wald)")           \
    X(p_value, "p_value", FRACTION, F64, DETAIL,                               \
      "two-sided Wald p-value 2 x Phi(-|z|)")                                  \
    X(odds_ratio, "odds_ratio", NUMBER, F64, MAIN,                             \
      "exp(coefficient): odds multiplier per SD of the feature; for the "      \
      "intercept the odds at the means")                                       \
    X(mean, "mean", NUMBER, F64, DETAIL,                                       \
      "the feature's mean over the training rows (NaN for the intercept)")     \
    X(sd, "sd", NUMBER, F64, DETAIL,                                           \
      "the feature's population SD (0: constant; NaN for the intercept)")      \
    X(raw_coefficient, "raw_coefficient", NUMBER, F64, DETAIL,                 \
      "log-odds change per unit of the raw feature, coefficient / sd (0 "      \
      "for a constant feature); intercept: the log-odds at raw features 0")    \
    X(flags, "flags", FLAGS, U32, DETAIL,                                      \
      "CSM_FLAG_DEGENERATE: a constant feature, left out of the fit")

/** The columns of the table "churn_fit" (docs/columns.md, "churn_fit"),
 * the fit's one row: X(member, "column", TYPE, STORAGE, ROLE,
 * "description"), as csmetrics/table.h explains. */
#define CSM_CHURN_FIT_COLUMNS(X)                                               \
    X(fit_n, "n", COUNT, I64, MAIN, "training rows")                           \
    X(fit_events, "events", COUNT, I64, MAIN, "training rows with y = 1")      \
    X(fit_features, "features", COUNT, I64, DETAIL,                            \
      "features p (constant ones included)")                                   \
    X(fit_l2, "l2", NUMBER, F64, DETAIL, "the penalty, as given")              \
    X(fit_iterations, "iterations", COUNT, I32, DETAIL,                        \
      "Newton iterations taken")                                               \
    X(fit_loglik, "loglik", NUMBER, F64, MAIN,                                 \
      "log-likelihood sum_i y ln p + (1 - y) ln(1 - p) at the estimates")      \
    X(fit_objective, "objective", NUMBER, F64, DETAIL,                         \
      "-loglik + (l2 / 2) x sum of the squared coefficients: the minimum")     \
    X(fit_log_loss, "log_loss", NUMBER, F64, MAIN,                             \
      "-loglik / n: the training log loss")                                    \
    X(fit_gradient, "gradient", NUMBER, F64, DETAIL,                           \
      "largest |component| of the objective's gradient at the estimates")      \
    X(fit_flags, "flags", FLAGS, U32, DETAIL,                                  \
      "CSM_FLAG_DEGENERATE: some feature was constant")

/** A fitted churn model: the typed view of the tables "churn_model"
 * (members from CSM_CHURN_MODEL_COLUMNS, n_rows = p + 1 rows) and
 * "churn_fit" (members from CSM_CHURN_FIT_COLUMNS, one row), as
 * csm_churn_model_fit returns it.  Read-only; pass it to
 * csm_churn_model_score. */
typedef struct csm_churn_model {
    csm_result *result; /**< tables "churn_model" and "churn_fit" */
    size_t n_rows;      /**< rows of "churn_model": n_features + 1 */
    size_t n_features;  /**< p: the columns of x the model was fit on */
    CSM_CHURN_MODEL_COLUMNS(CSM_COLUMN_MEMBER)
    CSM_CHURN_FIT_COLUMNS(CSM_COLUMN_MEMBER)
} csm_churn_model;

/**
 * Fit the churn model
 * @code{.unparsed}
 *   P(y_i = 1) = p_i = 1 / (1 + exp(-eta_i)),
 *   eta_i = b_0 + sum_j b_j z_ij,   z_ij = (x_ij - mean_j) / sd_j
 * @endcode
 * with mean_j and sd_j the mean and population SD (divisor n) of feature
 * j over the n rows, by minimizing
 * @code{.unparsed}
 *   f(b) = sum_i [ -y_i ln p_i - (1 - y_i) ln(1 - p_i) ]
 *          + (l2 / 2) sum_{j>=1} b_j^2          (b_0 not penalized)
 * @endcode
 * with Newton's method (= iteratively reweighted least squares): gradient
 * Z'(p - y) + l2 b, Hessian H = Z'WZ + l2 I (W = diag p_i (1 - p_i); no
 * penalty on the intercept's diagonal), Cholesky solve, the step halved
 * until f decreases (Armijo), starting from b_0 = logit(mean y), b_j = 0;
 * stopping when the largest |component| of the full Newton step is <=
 * opts.tol.  std_error is the square root of the diagonal of H^-1 at the
 * estimates (for l2 > 0 the penalized-likelihood, i.e. posterior-mode,
 * standard errors: smaller than the unpenalized ones), on the
 * standardized scale.  This objective is scikit-learn's
 * LogisticRegression(C = 1 / l2) on the standardized features with an
 * unpenalized intercept.
 *
 * A constant feature (every row the same value: sd_j = 0) cannot be
 * standardized: it is left out of the fit and gets coefficient 0, odds
 * ratio 1, std_error / z / p_value NaN and CSM_FLAG_DEGENERATE (on its
 * row and in the fit's flags); the other coefficients are those of the
 * fit without it.  p = 0 fits the intercept alone.
 *
 * Separation: when l2 = 0 and a feature (or a combination) predicts y
 * perfectly, the maximum-likelihood coefficients are infinite.  The fit
 * then fails with CSM_ENOCONV (field "x", message naming separation) as
 * soon as a coefficient exceeds CSM_CHURN_SEPARATION_BOUND in absolute
 * value or the Hessian becomes singular (collinear features have a
 * singular Hessian too when l2 = 0): never a hang, never a huge
 * "estimate".  With l2 > 0 the objective is strictly convex and the
 * minimum always exists.
 *
 * x is n x p row-major (x[i*p + j]), y n values 0 or 1.  The result
 * (allocated with opts->allocator, NULL = malloc/free) holds two tables,
 * in this order: "churn_model" (CSM_CHURN_MODEL_COLUMNS) and "churn_fit"
 * (CSM_CHURN_FIT_COLUMNS); free it with csm_churn_model_free.
 *
 * Errors: CSM_EINVAL (out NULL; x NULL with n x p > 0; y NULL; n = 0;
 * n x p overflowing; bad opts: l2 < 0 or not finite (field "opts.l2"),
 * tol <= 0 or not finite ("opts.tol"), max_iter <= 0 ("opts.max_iter"),
 * a half-set allocator ("opts.allocator")), CSM_EDOMAIN (an x value not
 * finite: row i, field "x"; a y value other than 0 and 1: row, field "y";
 * y all 0 or all 1: field "y", the intercept would be infinite),
 * CSM_ENOCONV (separation or a singular Hessian with l2 = 0, as above;
 * max_iter iterations without convergence: field "opts.max_iter"),
 * CSM_ENOMEM.  On failure *out is NULL.
 */
CSM_API CSM_NODISCARD csm_status csm_churn_model_fit(
    csm_churn_model **out, const double *x, const uint8_t *y, size_t n,
    size_t p, const csm_churn_model_opts *opts, csm_error *err);
/** Release a model (csm_result_free(m->result)); NULL is allowed. */
CSM_API void csm_churn_model_free(csm_churn_model *m);

/* ==== scoring ============================================================ */
/** The columns of the table "churn_scores" (docs/columns.md,
 * "churn_scores"): one row per row of x, in x's order.  X(member,
 * "column", TYPE, STORAGE, ROLE, "description"), as csmetrics/table.h
 * explains. */
#define CSM_CHURN_SCORES_COLUMNS(X)                                            \
    X(row, "row", ID, I64, KEY, "row of x (0-based)")                          \
    X(logit, "logit", NUMBER, F64, DETAIL,                                     \
      "the log-odds: the intercept + the row's contributions")                 \
    X(probability, "probability", FRACTION, F64, MAIN,                         \
      "predicted churn probability 1 / (1 + exp(-logit))")                     \
    X(top_term, "top_term", CODE, I32, MAIN,                                   \
      "the feature whose contribution is the largest positive one (the "       \
      "lowest index among equals): the main reason for the risk; null "        \
      "(\"none\") when no contribution is positive")                           \
    X(top_contribution, "top_contribution", NUMBER, F64, MAIN,                 \
      "that contribution (log-odds); NaN when there is none")

/** The columns of the table "churn_contributions" (docs/columns.md,
 * "churn_contributions"): n x p rows, row-major as x (row i's p features,
 * then row i + 1's).  X(member, "column", TYPE, STORAGE, ROLE,
 * "description"), as csmetrics/table.h explains. */
#define CSM_CHURN_CONTRIBUTIONS_COLUMNS(X)                                     \
    X(contribution_row, "row", ID, I64, KEY, "row of x (0-based)")             \
    X(contribution_term, "term", CODE, I32, KEY,                               \
      "feature index j (column of x)")                                         \
    X(contribution, "contribution", NUMBER, F64, MAIN,                         \
      "coefficient_j x (x_ij - mean_j) / sd_j: the feature's share of the "    \
      "log-odds relative to an account at the means (0 for a constant "        \
      "feature)")

/** The scores of a model: the typed view of the tables "churn_scores"
 * (n_rows rows) and "churn_contributions" (n_rows x n_features rows), as
 * csm_churn_model_score returns it. */
typedef struct csm_churn_scores {
    csm_result *result; /**< tables "churn_scores", "churn_contributions" */
    size_t n_rows;      /**< rows of "churn_scores": the rows of x */
    size_t n_features;  /**< p; "churn_contributions" has n_rows x p rows */
    CSM_CHURN_SCORES_COLUMNS(CSM_COLUMN_MEMBER)
    CSM_CHURN_CONTRIBUTIONS_COLUMNS(CSM_COLUMN_MEMBER)
} csm_churn_scores;

/**
 * Score n rows with a fitted model: for row i and feature j, contribution
 * c_ij = b_j (x_ij - mean_j) / sd_j (0 for a constant feature, whatever
 * x_ij), logit = b_0 + sum_j c_ij, probability = 1 / (1 + exp(-logit)),
 * and the feature with the largest positive contribution.  The
 * contributions sum to logit - b_0: how far each feature moves the row's
 * log-odds from those of an account at the training means.  x is n x p
 * row-major with p = model->n_features (n = 0 gives empty tables, x may
 * then be NULL).  The result (allocated with opts->allocator, NULL =
 * malloc/free) holds the tables "churn_scores" and "churn_contributions",
 * in this order; free it with csm_churn_scores_free.
 * Errors: CSM_EINVAL (out or model NULL, x NULL with n x p > 0, p other
 * than the model's (field "p"), bad opts), CSM_EDOMAIN (an x value not
 * finite: row i, field "x"), CSM_ENOMEM (also when n x p rows do not fit
 * in memory).  On failure *out is NULL.
 */
CSM_API CSM_NODISCARD csm_status csm_churn_model_score(
    csm_churn_scores **out, const csm_churn_model *model, const double *x,
    size_t n, size_t p, const csm_result_opts *opts, csm_error *err);
/** Release scores (csm_result_free(s->result)); NULL is allowed. */
CSM_API void csm_churn_scores_free(csm_churn_scores *s);

/* ==== validation ========================================================= */
/** Options of csm_churn_auc_compute; fill the defaults with the _INIT
 * macro or the _opts_init function. */
typedef struct csm_churn_auc_opts {
    size_t size; /**< sizeof the struct as the caller knows it */
    /** Confidence level of the AUC's interval, in (0, 1); default 0.95. */
    double level;
    /** Allocator of the result and the work arrays (copied; NULL =
     * malloc/free). */
    const csm_allocator *allocator;
} csm_churn_auc_opts;

/** Initialiser of every option at its default (size = sizeof the struct). */
#define CSM_CHURN_AUC_OPTS_INIT {sizeof(csm_churn_auc_opts), 0.95, NULL}
/** Set *opts (size bytes of it) to the defaults; CSM_EINVAL if opts
 * is NULL or size < sizeof(size_t). */
CSM_API CSM_NODISCARD csm_status
csm_churn_auc_opts_init(csm_churn_auc_opts *opts, size_t size);

/** The columns of the table "churn_auc" (docs/columns.md, "churn_auc"),
 * one row: X(member, "column", TYPE, STORAGE, ROLE, "description"), as
 * csmetrics/table.h explains. */
#define CSM_CHURN_AUC_COLUMNS(X)                                               \
    X(n, "n", COUNT, I64, MAIN, "rows scored")                                        \
    X(events, "events", COUNT, I64, MAIN, "rows with y = 1 (positives)")       \
    X(auc, "auc", FRACTION, F64, MAIN,                                         \
      "P(score of a positive > score of a negative) + P(equal) / 2 (the "      \
      "Mann-Whitney statistic / (n1 n0)); NaN without both classes")           \
    X(std_error, "std_error", NUMBER, F64, MAIN,                               \
      "DeLong standard error; NaN with fewer than 2 rows of a class")          \
    X(lower, "lower", FRACTION, F64, MAIN,                                     \
      "auc - z x std_error at the level, clamped to [0, 1]")                   \
    X(upper, "upper", FRACTION, F64, MAIN,                                     \
      "auc + z x std_error at the level, clamped to [0, 1]")                   \
    X(flags, "flags", FLAGS, U32, DETAIL,                                      \
      "ZERO_DENOMINATOR: one class only; DEGENERATE: no standard error; "      \
      "CLAMPED: an interval limit was clamped")

/** The columns of the table "churn_roc" (docs/columns.md, "churn_roc"),
 * the ROC curve: one row per distinct score, highest first, after the
 * origin.  X(member, "column", TYPE, STORAGE, ROLE, "description"), as
 * csmetrics/table.h explains. */
#define CSM_CHURN_ROC_COLUMNS(X)                                               \
    X(roc_point, "point", NUMBER, I32, KEY,                                    \
      "0 = the origin (no row flagged), then k = 1, 2, ... one per distinct "  \
      "score, highest first")                                                  \
    X(roc_threshold, "threshold", NUMBER, F64, MAIN,                           \
      "rows with score >= threshold are flagged (NaN for the origin)")         \
    X(roc_tpr, "tpr", FRACTION, F64, MAIN,                                     \
      "true-positive rate: flagged positives / n1 (NaN without positives)")    \
    X(roc_fpr, "fpr", FRACTION, F64, MAIN,                                     \
      "false-positive rate: flagged negatives / n0 (NaN without negatives)")

/** The AUC of a score: the typed view of the one-row table "churn_auc"
 * (members from CSM_CHURN_AUC_COLUMNS) and of the table "churn_roc" (its
 * n_roc rows, members from CSM_CHURN_ROC_COLUMNS), as
 * csm_churn_auc_compute returns it. */
typedef struct csm_churn_auc {
    csm_result *result; /**< the tables "churn_auc" and "churn_roc" */
    size_t n_rows;      /**< 1 */
    CSM_CHURN_AUC_COLUMNS(CSM_COLUMN_MEMBER)
    size_t n_roc; /**< rows of "churn_roc": distinct scores + 1 */
    CSM_CHURN_ROC_COLUMNS(CSM_COLUMN_MEMBER)
} csm_churn_auc;

/**
 * The ROC AUC of a risk score (any real numbers; higher = riskier: a
 * probability, a logit, 100 minus a health score) against outcomes y (1 =
 * churned): over the n1 rows with y = 1 and the n0 with y = 0,
 * @code{.unparsed}
 *   auc = (R1 - n1 (n1 + 1) / 2) / (n1 n0)
 * @endcode
 * with R1 the sum of the positives' midranks among all scores (the
 * Mann-Whitney U / (n1 n0): a tied positive-negative pair counts 1/2).
 * Standard error: DeLong, DeLong & Clarke-Pearson (1988), from the
 * placement values V10_i (share of negatives below positive i, ties 1/2)
 * and V01_k (share of positives above negative k, ties 1/2):
 * @code{.unparsed}
 *   se^2 = var(V10) / n1 + var(V01) / n0   (sample variances, divisor - 1)
 * @endcode
 * and the interval auc -/+ z se at opts.level (z the normal quantile at
 * 1 - (1 - level)/2), clamped to [0, 1] (CSM_FLAG_CLAMPED).  One class
 * only: auc, se and limits NaN with CSM_FLAG_ZERO_DENOMINATOR; a class of
 * one row: se and limits NaN with CSM_FLAG_DEGENERATE.  n = 0 is allowed
 * (NaN, flags as one class).  The ROC curve (table "churn_roc"): the
 * origin (0, 0), then for each distinct score s, highest first, the
 * true- and false-positive rates of flagging the rows with score >= s,
 * ending at (1, 1); the trapezoids under it add up to auc.  The result
 * (tables "churn_auc" and "churn_roc", in this order, allocated with
 * opts->allocator) is freed with csm_churn_auc_free.
 * Errors: CSM_EINVAL (out NULL; y or score NULL with n > 0; level not in
 * (0, 1): field "opts.level"; bad opts), CSM_EDOMAIN (y not 0 or 1, a
 * score not finite: row, field "y" / "score"), CSM_ENOMEM.  On failure
 * *out is NULL.
 */
CSM_API CSM_NODISCARD csm_status csm_churn_auc_compute(
    csm_churn_auc **out, const uint8_t *y, const double *score, size_t n,
    const csm_churn_auc_opts *opts, csm_error *err);
/** Release an AUC result (csm_result_free(a->result)); NULL is allowed. */
CSM_API void csm_churn_auc_free(csm_churn_auc *a);

/** Options of csm_churn_validation_compute; fill the defaults with the
 * _INIT macro or the _opts_init function. */
typedef struct csm_churn_validation_opts {
    size_t size; /**< sizeof the struct as the caller knows it */
    /** Confidence level of the AUC's interval, in (0, 1); default 0.95. */
    double level;
    /** Bins of the calibration table, >= 1; default 10 (deciles). */
    int32_t bins;
    /** Allocator of the result and the work arrays (copied; NULL =
     * malloc/free). */
    const csm_allocator *allocator;
} csm_churn_validation_opts;

/** Initialiser of every option at its default (size = sizeof the struct). */
#define CSM_CHURN_VALIDATION_OPTS_INIT                                         \
    {sizeof(csm_churn_validation_opts), 0.95, 10, NULL}
/** Set *opts (size bytes of it) to the defaults; CSM_EINVAL if opts
 * is NULL or size < sizeof(size_t). */
CSM_API CSM_NODISCARD csm_status
csm_churn_validation_opts_init(csm_churn_validation_opts *opts, size_t size);

/** The columns of the table "churn_validation" (docs/columns.md,
 * "churn_validation"), one row: X(member, "column", TYPE, STORAGE, ROLE,
 * "description"), as csmetrics/table.h explains. */
#define CSM_CHURN_VALIDATION_COLUMNS(X)                                        \
    X(val_n, "n", COUNT, I64, MAIN, "rows validated")                                    \
    X(val_events, "events", COUNT, I64, MAIN, "rows with y = 1")               \
    X(val_base_rate, "base_rate", FRACTION, F64, MAIN,                         \
      "events / n: the observed churn rate")                                   \
    X(val_auc, "auc", FRACTION, F64, MAIN,                                     \
      "ROC AUC of the probabilities, as csm_churn_auc_compute")                \
    X(val_auc_std_error, "auc_std_error", NUMBER, F64, DETAIL,                 \
      "its DeLong standard error")                                             \
    X(val_auc_lower, "auc_lower", FRACTION, F64, DETAIL,                       \
      "lower limit of its interval at the level")                              \
    X(val_auc_upper, "auc_upper", FRACTION, F64, DETAIL,                       \
      "upper limit of its interval at the level")                              \
    X(val_brier, "brier", NUMBER, F64, MAIN,                                   \
      "Brier score: mean of (p - y)^2")                                        \
    X(val_log_loss, "log_loss", NUMBER, F64, MAIN,                             \
      "mean of -y ln p - (1 - y) ln(1 - p) (natural log; not clipped: "        \
      "infinite when a certain prediction is wrong)")                          \
    X(val_top_rate, "top_rate", FRACTION, F64, DETAIL,                         \
      "observed churn rate in the top calibration bin (the highest "           \
      "predictions)")                                                          \
    X(val_top_lift, "top_lift", NUMBER, F64, MAIN,                             \
      "top_rate / base_rate: the lift of the top decile (top bin)")            \
    X(val_flags, "flags", FLAGS, U32, DETAIL,                                  \
      "CSM_FLAG_* bits (EMPTY: n = 0; the AUC's flags)")

/** The columns of the table "churn_calibration" (docs/columns.md,
 * "churn_calibration"), one row per bin of the predicted probability:
 * X(member, "column", TYPE, STORAGE, ROLE, "description"), as
 * csmetrics/table.h explains. */
#define CSM_CHURN_CALIBRATION_COLUMNS(X)                                       \
    X(bin, "bin", NUMBER, I32, KEY,                                            \
      "bin b = 0 .. bins - 1, lowest predictions first")                       \
    X(bin_n, "n", COUNT, I64, MAIN, "rows in the bin")                         \
    X(bin_events, "events", COUNT, I64, DETAIL, "rows with y = 1 in the bin")  \
    X(mean_predicted, "mean_predicted", FRACTION, F64, MAIN,                   \
      "mean predicted probability of the bin's rows (NaN when empty)")         \
    X(observed_rate, "observed_rate", FRACTION, F64, MAIN,                     \
      "events / n of the bin (NaN when empty)")                                \
    X(min_predicted, "min_predicted", FRACTION, F64, DETAIL,                   \
      "lowest prediction in the bin (NaN when empty)")                         \
    X(max_predicted, "max_predicted", FRACTION, F64, DETAIL,                   \
      "highest prediction in the bin (NaN when empty)")                        \
    X(bin_flags, "flags", FLAGS, U32, DETAIL,                                  \
      "ZERO_DENOMINATOR: an empty bin")

/** A validation of predicted probabilities: the typed view of the tables
 * "churn_validation" (one row, members from CSM_CHURN_VALIDATION_COLUMNS)
 * and "churn_calibration" (n_rows = bins rows, members from
 * CSM_CHURN_CALIBRATION_COLUMNS), as csm_churn_validation_compute returns
 * it. */
typedef struct csm_churn_validation {
    csm_result *result; /**< tables "churn_validation", "churn_calibration" */
    size_t n_rows;      /**< rows of "churn_calibration": the bins */
    CSM_CHURN_VALIDATION_COLUMNS(CSM_COLUMN_MEMBER)
    CSM_CHURN_CALIBRATION_COLUMNS(CSM_COLUMN_MEMBER)
} csm_churn_validation;

/**
 * Validate predicted churn probabilities prob (each in [0, 1]) against
 * outcomes y (0 or 1), e.g. a model fit on earlier periods scoring later
 * ones: the AUC with its DeLong interval (as csm_churn_auc_compute), the
 * Brier score mean (p - y)^2, the log loss mean of -y ln p - (1 - y)
 * ln(1 - p), and a calibration table.  Calibration bins: the rows sorted
 * by prob ascending (ties in input order), bin b = 0 .. bins - 1 holds the
 * sorted positions floor(b n / bins) .. floor((b + 1) n / bins) - 1, so
 * bin sizes differ by at most one and the top bin is never empty for n >=
 * 1; each bin gets its count, events, mean prediction, observed rate and
 * prediction range.  The top-decile lift is the observed rate of the top
 * bin over the base rate events / n (with the default 10 bins, the top
 * tenth of the rows by prediction).  n = 0 gives NaN figures with
 * CSM_FLAG_EMPTY and empty bins.  The result (allocated with
 * opts->allocator) is freed with csm_churn_validation_free.
 * Errors: CSM_EINVAL (out NULL; y or prob NULL with n > 0; level not in
 * (0, 1): "opts.level"; bins < 1: "opts.bins"; bad opts), CSM_EDOMAIN (y
 * not 0 or 1, a probability not in [0, 1] or NaN: row, field "y" /
 * "prob"), CSM_ENOMEM.  On failure *out is NULL.
 */
CSM_API CSM_NODISCARD csm_status csm_churn_validation_compute(
    csm_churn_validation **out, const uint8_t *y, const double *prob,
    size_t n, const csm_churn_validation_opts *opts, csm_error *err);
/** Release a validation (csm_result_free(v->result)); NULL is allowed. */
CSM_API void csm_churn_validation_free(csm_churn_validation *v);


/* ==== scorecard weights proposed from the model ========================== */
/** The label of "no feature" in the feature column of "churn_proposal"
 * (no model feature has the measure's name). */
#define CSM_CHURN_NO_FEATURE_LABEL "none"

/** Options of csm_churn_proposal_compute; fill the defaults with the
 * _INIT macro or the _opts_init function. */
typedef struct csm_churn_proposal_opts {
    size_t size; /**< sizeof the struct as the caller knows it */
    /** The proposed scorecard's name (copied); NULL = the scorecard's. */
    const char *name;
    /** Allocator of the table "churn_proposal" (copied; NULL =
     * malloc/free); the proposed scorecard uses the scorecard's. */
    const csm_allocator *allocator;
} csm_churn_proposal_opts;

/** Initialiser of every option at its default (size = sizeof the struct). */
#define CSM_CHURN_PROPOSAL_OPTS_INIT {sizeof(csm_churn_proposal_opts), NULL, NULL}
/** Set *opts (size bytes of it) to the defaults; CSM_EINVAL if opts
 * is NULL or size < sizeof(size_t). */
CSM_API CSM_NODISCARD csm_status
csm_churn_proposal_opts_init(csm_churn_proposal_opts *opts, size_t size);

/** The columns of the table "churn_proposal" (docs/columns.md,
 * "churn_proposal"): one row per measure of the scorecard, in spec order
 * (groups flattened).  X(member, "column", TYPE, STORAGE, ROLE,
 * "description"), as csmetrics/table.h explains. */
#define CSM_CHURN_PROPOSAL_COLUMNS(X)                                          \
    X(measure, "measure", CODE, I32, KEY,                                      \
      "measure index in spec order (groups flattened)")                        \
    X(measure_name, "measure_name", TEXT, STR, KEY, "measure name")            \
    X(feature, "feature", CODE, I32, DETAIL,                                   \
      "the model feature j named as the measure; CSM_CODE_ALL (null, "         \
      "\"none\") when there is none")                                          \
    X(direction, "direction", NUMBER, I32, DETAIL,                             \
      "+1: a higher input scores higher; -1: lower; 0: neither "               \
      "(csm_health_scorecard_measure_direction)")                              \
    X(coefficient, "coefficient", NUMBER, F64, MAIN,                           \
      "the feature's standardized coefficient (log-odds of churn per SD); "    \
      "NaN without a feature")                                                 \
    X(basis, "basis", TEXT, STR, MAIN,                                         \
      "\"model\": share from |coefficient|; \"conflict\": the model says a "  \
      "higher score means more churn, share 0; \"kept\": no feature, a "       \
      "constant one or no direction, share kept")                              \
    X(current_share, "current_share", FRACTION, F64, MAIN,                     \
      "the measure's share of the score in the scorecard "                     \
      "(csm_health_scorecard_measure_share)")                                  \
    X(proposed_share, "proposed_share", FRACTION, F64, MAIN,                   \
      "its share in the proposed scorecard")                                   \
    X(proposed_weight, "proposed_weight", NUMBER, F64, DETAIL,                 \
      "its weight in the proposed spec (within its group)")

/** A proposal's report: the typed view of the table "churn_proposal"
 * (members from CSM_CHURN_PROPOSAL_COLUMNS, one row per measure), as
 * csm_churn_proposal_compute returns it. */
typedef struct csm_churn_proposal {
    csm_result *result; /**< the table "churn_proposal" */
    size_t n_rows;      /**< the scorecard's measures */
    CSM_CHURN_PROPOSAL_COLUMNS(CSM_COLUMN_MEMBER)
} csm_churn_proposal;

/**
 * Propose health scorecard weights from a churn model fit on the
 * scorecard's inputs: a copy of sc whose measure shares follow the
 * model's standardized coefficients (docs/metrics.md, "Churn-risk
 * prediction").
 *
 * Measure k is matched to the feature j whose name feature_names[j] is the
 * measure's name (its input); features that name no measure (override-only
 * inputs, other features) only condition the coefficients.  A matched
 * measure of direction d (csm_health_scorecard_measure_direction) and
 * coefficient b_j is
 * @code{.unparsed}
 *   "model"     when b_j d < 0: more of what the scorecard scores healthy
 *               lowers the churn risk, as a health score should;
 *   "conflict"  when b_j d > 0: the model says it raises the risk; the
 *               measure gets share 0 (its direction is not flipped: the
 *               row reports it for a person to judge);
 *   "kept"      when b_j d = 0 (the feature was constant in the fit, or
 *               the measure has no direction): the model says nothing;
 * @endcode
 * and an unmatched measure is "kept".  Shares: a kept measure keeps its
 * share s_k (csm_health_scorecard_measure_share); the shares of the
 * matched measures (model, conflict) add up to S and are given to the
 * model measures in proportion to |b_j|:
 * @code{.unparsed}
 *   proposed_k = S |b_k| / sum over model measures |b|   ("model")
 *   proposed_k = 0                                        ("conflict")
 *   proposed_k = s_k                                      ("kept")
 * @endcode
 * then normalized to add up to 1 (they already do unless no measure is
 * "model").  The proposed scorecard is csm_health_scorecard_reweight(sc,
 * proposed, name): groups keep their total weight, a group's measures
 * their total weight; |b_j| is on the standardized scale (log-odds per SD
 * of the input), so shares compare the inputs' effects over their spread
 * in the training rows, not through the measures' transforms.  Under
 * worst_of aggregation only the shares of 0 change the scores (a
 * "conflict" measure no longer counts).
 *
 * *proposed (NULL when not wanted) is allocated with sc's allocator and
 * freed with csm_health_scorecard_free (csm_health_scorecard_to_json
 * writes it as a spec a user can load); *out (NULL when not wanted) holds
 * the table "churn_proposal", freed with csm_churn_proposal_free.
 * Errors: CSM_EINVAL (out and proposed both NULL; model, sc or
 * feature_names NULL; p other than model->n_features: field "p"; a name
 * NULL: row j, field "feature_names"; two features of the same name: row
 * j of the second; bad opts), CSM_EDOMAIN (every proposed share 0:
 * field "model"), CSM_ENOMEM.  On failure *out and *proposed are NULL.
 */
CSM_API CSM_NODISCARD csm_status csm_churn_proposal_compute(
    csm_churn_proposal **out, csm_health_scorecard **proposed,
    const csm_churn_model *model, const char *const *feature_names, size_t p,
    const csm_health_scorecard *sc, const csm_churn_proposal_opts *opts,
    csm_error *err);
/** Release a proposal's report (csm_result_free(r->result)); NULL is
 * allowed. */
CSM_API void csm_churn_proposal_free(csm_churn_proposal *r);

#ifdef __cplusplus
}
#endif

#endif /* CSMETRICS_CHURN_H */
