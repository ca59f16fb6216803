/* churn.c - churn-risk prediction: the L2-regularized logistic regression
 * (Newton / IRLS on standardized features), its scores and contributions,
 * and the validation of a risk score (AUC with its DeLong interval, Brier
 * score, log loss, calibration bins, top-decile lift).  Definitions:
 * docs/metrics.md, "Churn-risk prediction". */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "csmetrics/churn.h"
#include "internal/table.h"
#include "internal/util.h"

CSM__DEFINE_OPTS_INIT(csm_churn_model_opts_init, csm_churn_model_opts,
                      CSM_CHURN_MODEL_OPTS_INIT)
CSM__DEFINE_OPTS_INIT(csm_churn_auc_opts_init, csm_churn_auc_opts,
                      CSM_CHURN_AUC_OPTS_INIT)
CSM__DEFINE_OPTS_INIT(csm_churn_validation_opts_init,
                      csm_churn_validation_opts,
                      CSM_CHURN_VALIDATION_OPTS_INIT)

#define COL(m, n, ty, st, r, d) CSM__COLDEF(csm_churn_model, m, n, ty, st, r, d)
static const csm__coldef model_cols[] = {CSM_CHURN_MODEL_COLUMNS(COL)};
static const csm__coldef fit_cols[] = {CSM_CHURN_FIT_COLUMNS(COL)};
#undef COL
#define COL(m, n, ty, st, r, d)                                                \
    CSM__COLDEF(csm_churn_scores, m, n, ty, st, r, d)
static const csm__coldef score_cols[] = {CSM_CHURN_SCORES_COLUMNS(COL)};
static const csm__coldef contrib_cols[] = {
    CSM_CHURN_CONTRIBUTIONS_COLUMNS(COL)};
#undef COL
#define COL(m, n, ty, st, r, d) CSM__COLDEF(csm_churn_auc, m, n, ty, st, r, d)
static const csm__coldef auc_cols[] = {CSM_CHURN_AUC_COLUMNS(COL)};
static const csm__coldef roc_cols[] = {CSM_CHURN_ROC_COLUMNS(COL)};
#undef COL
#define COL(m, n, ty, st, r, d)                                                \
    CSM__COLDEF(csm_churn_validation, m, n, ty, st, r, d)
static const csm__coldef val_cols[] = {CSM_CHURN_VALIDATION_COLUMNS(COL)};
static const csm__coldef cal_cols[] = {CSM_CHURN_CALIBRATION_COLUMNS(COL)};
#undef COL

CSM__DEFINE_RESULT_FREE(csm_churn_model_free, csm_churn_model)
CSM__DEFINE_RESULT_FREE(csm_churn_scores_free, csm_churn_scores)
CSM__DEFINE_RESULT_FREE(csm_churn_auc_free, csm_churn_auc)
CSM__DEFINE_RESULT_FREE(csm_churn_validation_free, csm_churn_validation)

/* ---- shared input checks -------------------------------------------------- */
/* y[0..n) are 0 or 1; *events = how many are 1. */
static csm_status check_y(const uint8_t *y, size_t n, int64_t *events,
                          csm_error *err) {
    int64_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (y[i] > 1)
            return csm__fail(err, CSM_EDOMAIN, i, "y",
                             "outcome must be 0 (stayed) or 1 (churned)");
        k += y[i];
    }
    *events = k;
    return CSM_OK;
}

/* The n x p matrix x is finite. */
static csm_status check_x(const double *x, size_t n, size_t p,
                          csm_error *err) {
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < p; j++)
            if (!isfinite(x[i * p + j]))
                return csm__fail(err, CSM_EDOMAIN, i, "x",
                                 "feature value is NaN or infinite");
    return CSM_OK;
}

/* ---- the logistic function ------------------------------------------------ */
/* ln(1 + e^t) without overflow or cancellation. */
static double softplus(double t) {
    return t > 0 ? t + log1p(exp(-t)) : log1p(exp(t));
}

/* 1 / (1 + e^-t) without overflow. */
static double sigmoid(double t) {
    if (t >= 0)
        return 1.0 / (1.0 + exp(-t));
    double e = exp(t);
    return e / (1.0 + e);
}

/* ---- the fit --------------------------------------------------------------- */
/* The data of a fit: x (n x p), y, the standardization of the q active
 * (non-constant) features act[0..q), and the penalty.  Parameters theta
 * have k = q + 1 components: theta[0] the intercept, theta[1 + a] the
 * coefficient of feature act[a]. */
typedef struct fit_data {
    const double *x;
    const uint8_t *y;
    size_t n, p, q;
    const size_t *act;
    const double *mean, *sd;
    double l2;
    double *zrow; /* k scratch values: 1, then row i's standardized features */
} fit_data;

/* zrow = (1, z_i) for row i; returns eta_i = theta' zrow. */
static double row_eta(const fit_data *d, const double *theta, size_t i) {
    const size_t base = i * d->p;
    double eta = theta[0];
    d->zrow[0] = 1.0;
    for (size_t a = 0; a < d->q; a++) {
        size_t j = d->act[a];
        double z = (d->x[base + j] - d->mean[j]) / d->sd[j];
        d->zrow[1 + a] = z;
        eta += theta[1 + a] * z;
    }
    return eta;
}

/* The penalized objective f(theta) = sum of the log-losses + (l2 / 2) x
 * the sum of the squared coefficients; *loglik (if non-NULL) = the log-
 * likelihood. */
static double objective(const fit_data *d, const double *theta,
                        double *loglik) {
    csm__ksum s = {0, 0};
    for (size_t i = 0; i < d->n; i++) {
        double eta = row_eta(d, theta, i);
        csm__ksum_add(&s, softplus(eta) - (d->y[i] ? eta : 0.0));
    }
    double pen = 0;
    for (size_t a = 0; a < d->q; a++)
        pen += theta[1 + a] * theta[1 + a];
    double nll = csm__ksum_value(&s);
    if (loglik)
        *loglik = -nll;
    return nll + 0.5 * d->l2 * pen;
}

/* Gradient g and Hessian H (k x k, full) of the objective at theta. */
static void grad_hess(const fit_data *d, const double *theta, double *g,
                      double *h) {
    const size_t k = d->q + 1;
    memset(g, 0, k * sizeof *g);
    memset(h, 0, k * k * sizeof *h);
    for (size_t i = 0; i < d->n; i++) {
        double pi = sigmoid(row_eta(d, theta, i));
        double r = pi - (double)d->y[i], w = pi * (1.0 - pi);
        for (size_t u = 0; u < k; u++) {
            g[u] += r * d->zrow[u];
            double wz = w * d->zrow[u];
            for (size_t v = 0; v <= u; v++)
                h[u * k + v] += wz * d->zrow[v];
        }
    }
    for (size_t u = 1; u < k; u++) {
        g[u] += d->l2 * theta[u];
        h[u * k + u] += d->l2;
    }
    for (size_t u = 0; u < k; u++)
        for (size_t v = 0; v < u; v++)
            h[v * k + u] = h[u * k + v];
}

/* Cholesky factor L (lower, k x k) of h; 0 when h is not numerically
 * positive definite (a pivot <= 1e-13 x its diagonal entry). */
static int cholesky(double *l, const double *h, size_t k) {
    for (size_t u = 0; u < k; u++) {
        for (size_t v = 0; v <= u; v++) {
            double s = h[u * k + v];
            for (size_t w = 0; w < v; w++)
                s -= l[u * k + w] * l[v * k + w];
            if (u == v) {
                if (!(s > 1e-13 * h[u * k + u]) || !(s > 0))
                    return 0;
                l[u * k + u] = sqrt(s);
            } else {
                l[u * k + v] = s / l[v * k + v];
            }
        }
    }
    return 1;
}

/* Solve L L' out = b (out may be b). */
static void chol_solve(double *out, const double *l, const double *b,
                       size_t k) {
    for (size_t u = 0; u < k; u++) {
        double s = b[u];
        for (size_t w = 0; w < u; w++)
            s -= l[u * k + w] * out[w];
        out[u] = s / l[u * k + u];
    }
    for (size_t u = k; u-- > 0;) {
        double s = out[u];
        for (size_t w = u + 1; w < k; w++)
            s -= l[w * k + u] * out[w];
        out[u] = s / l[u * k + u];
    }
}

static double max_abs(const double *v, size_t k) {
    double m = 0;
    for (size_t u = 0; u < k; u++)
        if (fabs(v[u]) > m)
            m = fabs(v[u]);
    return m;
}

static csm_status separated(csm_error *err) {
    return csm__fail(err, CSM_ENOCONV, CSM_NO_ROW, "x",
                     "separation: a feature (or combination) predicts y "
                     "perfectly, or features are collinear, so the "
                     "unpenalized coefficients are infinite; use l2 > 0");
}

/* Minimize the objective from theta (k components) with Newton's method
 * and a backtracking line search; on success theta holds the estimates,
 * g and h the gradient and Hessian there, l the Hessian's Cholesky factor,
 * *iters the iterations taken.  work: 2k doubles. */
static csm_status newton(const fit_data *d, const csm_churn_model_opts *o,
                         double *theta, double *g, double *h, double *l,
                         double *work, int32_t *iters, csm_error *err) {
    const size_t k = d->q + 1;
    double *step = work, *trial = work + k;
    double f = objective(d, theta, NULL);
    for (int32_t it = 0;; it++) {
        grad_hess(d, theta, g, h);
        if (!cholesky(l, h, k))
            return d->l2 == 0 ? separated(err)
                              : csm__fail(err, CSM_ENOCONV, CSM_NO_ROW, "x",
                                          "singular Hessian");
        if (it == o->max_iter)
            return csm__fail(err, CSM_ENOCONV, CSM_NO_ROW, "opts.max_iter",
                             "no convergence within max_iter Newton "
                             "iterations");
        chol_solve(step, l, g, k);
        double full = max_abs(step, k), slope = 0;
        for (size_t u = 0; u < k; u++)
            slope += g[u] * step[u];
        double t = 1.0, ft = f;
        int ok = 0;
        for (int half = 0; half < 60 && !ok; half++, t *= 0.5) {
            for (size_t u = 0; u < k; u++)
                trial[u] = theta[u] - t * step[u];
            ft = objective(d, trial, NULL);
            /* Armijo, or no increase beyond rounding (at the minimum) */
            ok = ft <= f - 1e-4 * t * slope ||
                 ft <= f + 8 * DBL_EPSILON * fabs(f);
        }
        if (!ok)
            return csm__fail(err, CSM_ENOCONV, CSM_NO_ROW, "x",
                             "line search found no decrease");
        memcpy(theta, trial, k * sizeof *theta);
        f = ft;
        *iters = it + 1;
        if (d->l2 == 0 && max_abs(theta, k) > CSM_CHURN_SEPARATION_BOUND)
            return separated(err);
        if (full <= o->tol) {
            grad_hess(d, theta, g, h);
            if (!cholesky(l, h, k))
                return d->l2 == 0 ? separated(err)
                                  : csm__fail(err, CSM_ENOCONV, CSM_NO_ROW,
                                              "x", "singular Hessian");
            return CSM_OK;
        }
    }
}

/* Load and check the fit's options. */
static csm_status fit_opts(csm_churn_model_opts *o,
                           const csm_churn_model_opts *opts, csm_error *err) {
    csm_churn_model_opts d = CSM_CHURN_MODEL_OPTS_INIT;
    *o = d;
    csm_status st = csm__opts_load(o, sizeof *o, opts, err);
    if (st != CSM_OK)
        return st;
    if (!(o->l2 >= 0 && isfinite(o->l2)))
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "opts.l2",
                         "penalty must be >= 0 and finite");
    if (!(o->tol > 0 && isfinite(o->tol)))
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "opts.tol",
                         "tolerance must be > 0 and finite");
    if (o->max_iter <= 0)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "opts.max_iter",
                         "must be > 0");
    return csm__alloc_check(o->allocator, "opts.allocator", err);
}

/* mean[j] and population sd[j] of each column of x; act[0..*q) the
 * columns that are not constant. */
static void standardize(double *mean, double *sd, size_t *act, size_t *q,
                        const double *x, size_t n, size_t p) {
    *q = 0;
    for (size_t j = 0; j < p; j++) {
        int constant = 1;
        csm__ksum s = {0, 0};
        for (size_t i = 0; i < n; i++) {
            csm__ksum_add(&s, x[i * p + j]);
            constant &= x[i * p + j] == x[j];
        }
        mean[j] = csm__ksum_value(&s) / (double)n;
        csm__ksum ss = {0, 0};
        for (size_t i = 0; i < n; i++) {
            double e = x[i * p + j] - mean[j];
            csm__ksum_add(&ss, e * e);
        }
        sd[j] = constant ? 0.0 : sqrt(csm__ksum_value(&ss) / (double)n);
        if (sd[j] > 0)
            act[(*q)++] = j;
    }
}

/* Fill the model's tables from the estimates theta and the inverse
 * Hessian's diagonal var (k components each). */
static void fill_model(csm_churn_model *m, const fit_data *d,
                       const double *theta, const double *var) {
    size_t a = 0;
    double raw0 = theta[0];
    m->term[0] = CSM_CODE_ALL;
    m->mean[0] = NAN;
    m->sd[0] = NAN;
    for (size_t j = 0; j < d->p; j++) {
        size_t r = j + 1;
        m->term[r] = (int32_t)j;
        m->mean[r] = d->mean[j];
        m->sd[r] = d->sd[j];
        if (a < d->q && d->act[a] == j) {
            m->coefficient[r] = theta[1 + a];
            m->std_error[r] = sqrt(var[1 + a]);
            m->raw_coefficient[r] = theta[1 + a] / d->sd[j];
            raw0 -= theta[1 + a] * d->mean[j] / d->sd[j];
            a++;
        } else {
            m->coefficient[r] = 0;
            m->std_error[r] = NAN;
            m->raw_coefficient[r] = 0;
            m->flags[r] = CSM_FLAG_DEGENERATE;
            m->fit_flags[0] |= CSM_FLAG_DEGENERATE;
        }
    }
    m->coefficient[0] = theta[0];
    m->std_error[0] = sqrt(var[0]);
    m->raw_coefficient[0] = raw0;
    for (size_t r = 0; r <= d->p; r++) {
        m->z[r] = m->coefficient[r] / m->std_error[r];
        m->p_value[r] = 2.0 * csm__norm_cdf(-fabs(m->z[r]));
        m->odds_ratio[r] = exp(m->coefficient[r]);
    }
}

CSM_API csm_status csm_churn_model_fit(csm_churn_model **out, const double *x,
                                       const uint8_t *y, size_t n, size_t p,
                                       const csm_churn_model_opts *opts,
                                       csm_error *err) {
    if (out)
        *out = NULL;
    if (!out || !y)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, !out ? "out" : "y",
                         "NULL argument");
    if (n == 0)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "n", "no rows");
    if (p > 0 && n > SIZE_MAX / p)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "p",
                         "n x p overflows");
    if (p > 0 && !x)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "x",
                         "NULL while n x p > 0");
    if (p >= INT32_MAX)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "p",
                         "too many features for int32 terms");
    csm_churn_model_opts o;
    csm_status st = fit_opts(&o, opts, err);
    if (st != CSM_OK)
        return st;
    int64_t events = 0;
    if ((st = check_y(y, n, &events, err)) != CSM_OK ||
        (st = check_x(x, n, p, err)) != CSM_OK)
        return st;
    if (events == 0 || (size_t)events == n)
        return csm__fail(err, CSM_EDOMAIN, CSM_NO_ROW, "y",
                         "every outcome is the same: the intercept is "
                         "infinite (both 0 and 1 are needed)");
    const csm_allocator *a = o.allocator;
    const size_t k = p + 1; /* an upper bound of q + 1 */
    if (k > SIZE_MAX / 8 / k) /* the buffer below: at most 8 k^2 doubles */
        return csm__fail(err, CSM_ENOMEM, CSM_NO_ROW, NULL, NULL);
    /* mean, sd (p each); theta, g, var, zrow, work (2k) (k each); h, l */
    double *buf = csm__alloc_array(a, 2 * p + 6 * k + 2 * k * k, sizeof *buf);
    size_t *act = csm__alloc_array(a, p ? p : 1, sizeof *act);
    csm_churn_model *m = NULL;
    if (!buf || !act) {
        st = csm__fail(err, CSM_ENOMEM, CSM_NO_ROW, NULL, NULL);
        goto done;
    }
    double *mean = buf, *sd = buf + p, *theta = sd + p, *g = theta + k;
    double *var = g + k, *zrow = var + k, *work = zrow + k;
    double *h = work + 2 * k, *l = h + k * k;
    fit_data d = {x, y, n, p, 0, act, mean, sd, o.l2, zrow};
    standardize(mean, sd, act, &d.q, x, n, p);
    const size_t kq = d.q + 1;
    memset(theta, 0, kq * sizeof *theta);
    theta[0] = log((double)events / (double)(n - (size_t)events));
    int32_t iters = 0;
    st = newton(&d, &o, theta, g, h, l, work, &iters, err);
    if (st != CSM_OK)
        goto done;
    for (size_t u = 0; u < kq; u++) { /* diagonal of H^-1: solve H v = e_u */
        memset(work, 0, kq * sizeof *work);
        work[u] = 1.0;
        chol_solve(work, l, work, kq);
        var[u] = work[u];
    }
    const csm__tabspec spec[] = {
        {"churn_model", model_cols, CSM__NCOLS(model_cols), p + 1},
        {"churn_fit", fit_cols, CSM__NCOLS(fit_cols), 1}};
    m = csm__result_new(a, "churn_model", sizeof *m, spec, 2, NULL, 0, 0);
    if (!m) {
        st = csm__fail(err, CSM_ENOMEM, CSM_NO_ROW, NULL, NULL);
        goto done;
    }
    csm__column_set_null_label(m->result, 0, "term",
                               CSM_CHURN_INTERCEPT_LABEL);
    m->n_rows = p + 1;
    m->n_features = p;
    fill_model(m, &d, theta, var);
    double loglik;
    m->fit_objective[0] = objective(&d, theta, &loglik);
    m->fit_n[0] = (int64_t)n;
    m->fit_events[0] = events;
    m->fit_features[0] = (int64_t)p;
    m->fit_l2[0] = o.l2;
    m->fit_iterations[0] = iters;
    m->fit_loglik[0] = loglik;
    m->fit_log_loss[0] = -loglik / (double)n;
    m->fit_gradient[0] = max_abs(g, kq);
    *out = m;
    m = NULL;
done:
    csm__free(a, buf);
    csm__free(a, act);
    csm_churn_model_free(m);
    return st;
}

/* ---- scoring --------------------------------------------------------------- */
CSM_API csm_status csm_churn_model_score(csm_churn_scores **out,
                                         const csm_churn_model *model,
                                         const double *x, size_t n, size_t p,
                                         const csm_result_opts *opts,
                                         csm_error *err) {
    if (out)
        *out = NULL;
    if (!out || !model)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, !out ? "out" : "model",
                         "NULL argument");
    if (p != model->n_features)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "p",
                         "feature count differs from the model's");
    if (p > 0 && n > SIZE_MAX / p)
        return csm__fail(err, CSM_ENOMEM, CSM_NO_ROW, NULL, NULL);
    if (!x && n * p > 0)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "x",
                         "NULL while n x p > 0");
    const csm_allocator *a;
    csm_status st = csm__result_opts_load(opts, &a, err);
    if (st != CSM_OK || (st = check_x(x, n, p, err)) != CSM_OK)
        return st;
    const csm__tabspec spec[] = {
        {"churn_scores", score_cols, CSM__NCOLS(score_cols), n},
        {"churn_contributions", contrib_cols, CSM__NCOLS(contrib_cols),
         n * p}};
    csm_churn_scores *s =
        csm__result_new(a, "churn_scores", sizeof *s, spec, 2, NULL, 0, 0);
    if (!s)
        return csm__fail(err, CSM_ENOMEM, CSM_NO_ROW, NULL, NULL);
    csm__column_set_null_label(s->result, 0, "top_term",
                               CSM_CHURN_NO_TERM_LABEL);
    s->n_rows = n;
    s->n_features = p;
    /* model rows: 0 the intercept, 1 + j feature j */
    const double *b = model->coefficient, *mu = model->mean, *sd = model->sd;
    for (size_t i = 0; i < n; i++) {
        double eta = b[0], top = 0;
        int32_t top_j = CSM_CODE_ALL;
        for (size_t j = 0; j < p; j++) {
            size_t c = i * p + j;
            double v = sd[1 + j] > 0 ? b[1 + j] * (x[c] - mu[1 + j]) / sd[1 + j]
                                     : 0.0;
            s->contribution_row[c] = (int64_t)i;
            s->contribution_term[c] = (int32_t)j;
            s->contribution[c] = v;
            eta += v;
            if (v > top) {
                top = v;
                top_j = (int32_t)j;
            }
        }
        s->row[i] = (int64_t)i;
        s->logit[i] = eta;
        s->probability[i] = sigmoid(eta);
        s->top_term[i] = top_j;
        s->top_contribution[i] = top_j == CSM_CODE_ALL ? NAN : top;
    }
    *out = s;
    return CSM_OK;
}

/* ---- validation ------------------------------------------------------------ */
/* A score and its input row, sorted by score then row (a stable order). */
typedef struct scored {
    double s;
    size_t i;
} scored;

static int scored_cmp(const void *pa, const void *pb) {
    const scored *a = pa, *b = pb;
    if (a->s != b->s)
        return a->s < b->s ? -1 : 1;
    return (a->i > b->i) - (a->i < b->i);
}

/* The n scores with their rows, sorted (NULL when out of memory; n = 0
 * gives a one-element block). */
static scored *sort_scores(const csm_allocator *a, const double *s,
                           size_t n) {
    scored *v = csm__alloc_array(a, n ? n : 1, sizeof *v);
    if (!v)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        v[i].s = s[i];
        v[i].i = i;
    }
    qsort(v, n, sizeof *v, scored_cmp);
    return v;
}

/* The AUC's figures. */
typedef struct auc_figs {
    double auc, se, lower, upper;
    uint32_t flags;
} auc_figs;

/* AUC and DeLong standard error from the sorted scores (groups of equal
 * scores read once: in a group of a positives and b negatives, with nb
 * negatives and pb positives below it, each positive's placement is (nb +
 * b/2) / n0 and each negative's (n1 - pb - a/2) / n1). */
static auc_figs auc_sorted(const scored *v, const uint8_t *y, size_t n,
                           int64_t events, double level) {
    auc_figs f = {NAN, NAN, NAN, NAN, 0};
    const double n1 = (double)events, n0 = (double)n - n1;
    if (n1 == 0 || n0 == 0) {
        f.flags = CSM_FLAG_ZERO_DENOMINATOR;
        return f;
    }
    /* pass 1: the AUC (mean of the positives' placements); pass 2: the
     * placements' variances around it */
    csm__ksum sum = {0, 0}, s10 = {0, 0}, s01 = {0, 0};
    for (int pass = 0; pass < 2; pass++) {
        double nb = 0, pb = 0;
        for (size_t g = 0; g < n;) {
            size_t e = g;
            double ga = 0, gb = 0;
            while (e < n && v[e].s == v[g].s) {
                if (y[v[e].i])
                    ga++;
                else
                    gb++;
                e++;
            }
            double v10 = (nb + 0.5 * gb) / n0, v01 = (n1 - pb - 0.5 * ga) / n1;
            if (pass == 0) {
                csm__ksum_add(&sum, ga * v10);
            } else {
                csm__ksum_add(&s10, ga * (v10 - f.auc) * (v10 - f.auc));
                csm__ksum_add(&s01, gb * (v01 - f.auc) * (v01 - f.auc));
            }
            nb += gb;
            pb += ga;
            g = e;
        }
        if (pass == 0)
            f.auc = csm__ksum_value(&sum) / n1;
    }
    if (n1 < 2 || n0 < 2) {
        f.flags |= CSM_FLAG_DEGENERATE;
        return f;
    }
    double var = csm__ksum_value(&s10) / (n1 - 1) / n1 +
                 csm__ksum_value(&s01) / (n0 - 1) / n0;
    f.se = sqrt(var);
    double z = csm__norm_quantile(1.0 - (1.0 - level) / 2.0);
    f.lower = f.auc - z * f.se;
    f.upper = f.auc + z * f.se;
    if (f.lower < 0) {
        f.lower = 0;
        f.flags |= CSM_FLAG_CLAMPED;
    }
    if (f.upper > 1) {
        f.upper = 1;
        f.flags |= CSM_FLAG_CLAMPED;
    }
    return f;
}

/* The ROC points from the scores sorted ascending: the origin, then one
 * point per group of equal scores, read from the highest down. */
static void roc_curve(csm_churn_auc *r, const scored *v, const uint8_t *y,
                      size_t n, int64_t events) {
    const double n1 = (double)events, n0 = (double)n - n1;
    double tp = 0, fp = 0;
    size_t k = 0;
    r->roc_point[0] = 0;
    r->roc_threshold[0] = NAN;
    r->roc_tpr[0] = n1 > 0 ? 0.0 : NAN;
    r->roc_fpr[0] = n0 > 0 ? 0.0 : NAN;
    for (size_t e = n; e > 0;) {
        size_t g = e;
        while (g > 0 && v[g - 1].s == v[e - 1].s) {
            g--;
            if (y[v[g].i])
                tp++;
            else
                fp++;
        }
        k++;
        r->roc_point[k] = (int32_t)k;
        r->roc_threshold[k] = v[e - 1].s;
        r->roc_tpr[k] = n1 > 0 ? tp / n1 : NAN;
        r->roc_fpr[k] = n0 > 0 ? fp / n0 : NAN;
        e = g;
    }
}

static csm_status check_level(double level, csm_error *err) {
    if (!(level > 0 && level < 1))
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "opts.level",
                         "confidence level must be in (0, 1)");
    return CSM_OK;
}

/* The checks every validation call starts with: out, the arrays, y. */
static csm_status check_scored(const void *out, const uint8_t *y,
                               const double *s, const char *s_name, size_t n,
                               int64_t *events, csm_error *err) {
    if (!out)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "out", "NULL argument");
    if (n > 0 && (!y || !s))
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, !y ? "y" : s_name,
                         "NULL while n > 0");
    return check_y(y, n, events, err);
}

CSM_API csm_status csm_churn_auc_compute(csm_churn_auc **out,
                                         const uint8_t *y, const double *score,
                                         size_t n,
                                         const csm_churn_auc_opts *opts,
                                         csm_error *err) {
    if (out)
        *out = NULL;
    int64_t events = 0;
    csm_status st = check_scored(out, y, score, "score", n, &events, err);
    if (st != CSM_OK)
        return st;
    for (size_t i = 0; i < n; i++)
        if (!isfinite(score[i]))
            return csm__fail(err, CSM_EDOMAIN, i, "score",
                             "score is NaN or infinite");
    csm_churn_auc_opts o = CSM_CHURN_AUC_OPTS_INIT;
    if ((st = csm__opts_load(&o, sizeof o, opts, err)) != CSM_OK ||
        (st = check_level(o.level, err)) != CSM_OK ||
        (st = csm__alloc_check(o.allocator, "opts.allocator", err)) != CSM_OK)
        return st;
    scored *v = sort_scores(o.allocator, score, n);
    size_t groups = 0; /* distinct scores */
    for (size_t i = 0; v && i < n; i++)
        groups += i == 0 || v[i].s != v[i - 1].s;
    const csm__tabspec spec[] = {
        {"churn_auc", auc_cols, CSM__NCOLS(auc_cols), 1},
        {"churn_roc", roc_cols, CSM__NCOLS(roc_cols), groups + 1}};
    csm_churn_auc *r =
        v ? csm__result_new(o.allocator, "churn_auc", sizeof *r, spec, 2, NULL,
                            0, 0)
          : NULL;
    if (!r) {
        csm__free(o.allocator, v);
        return csm__fail(err, CSM_ENOMEM, CSM_NO_ROW, NULL, NULL);
    }
    auc_figs f = auc_sorted(v, y, n, events, o.level);
    roc_curve(r, v, y, n, events);
    csm__free(o.allocator, v);
    r->n_rows = 1;
    r->n_roc = groups + 1;
    r->n[0] = (int64_t)n;
    r->events[0] = events;
    r->auc[0] = f.auc;
    r->std_error[0] = f.se;
    r->lower[0] = f.lower;
    r->upper[0] = f.upper;
    r->flags[0] = f.flags;
    *out = r;
    return CSM_OK;
}

/* floor(b n / bins) for b <= bins <= INT32_MAX, without overflow: with n =
 * q bins + m, it is b q + floor(b m / bins), and b m < 2^62. */
static size_t bin_start(size_t b, size_t n, size_t bins) {
    return b * (n / bins) + (size_t)((uint64_t)b * (n % bins) / bins);
}

/* Fill the calibration bins and the Brier score / log loss sums from the
 * sorted predictions. */
static void calibrate(csm_churn_validation *r, const scored *v,
                      const uint8_t *y, size_t n, size_t bins) {
    for (size_t b = 0; b < bins; b++) {
        size_t lo = bin_start(b, n, bins), hi = bin_start(b + 1, n, bins);
        csm__ksum sp = {0, 0};
        int64_t ev = 0;
        for (size_t r0 = lo; r0 < hi; r0++) {
            csm__ksum_add(&sp, v[r0].s);
            ev += y[v[r0].i];
        }
        uint32_t fl = 0;
        r->bin[b] = (int32_t)b;
        r->bin_n[b] = (int64_t)(hi - lo);
        r->bin_events[b] = ev;
        r->mean_predicted[b] =
            csm__ratio(csm__ksum_value(&sp), (double)(hi - lo), &fl);
        r->observed_rate[b] = csm__ratio((double)ev, (double)(hi - lo), &fl);
        r->min_predicted[b] = hi > lo ? v[lo].s : NAN;
        r->max_predicted[b] = hi > lo ? v[hi - 1].s : NAN;
        r->bin_flags[b] = fl;
    }
}

CSM_API csm_status csm_churn_validation_compute(
    csm_churn_validation **out, const uint8_t *y, const double *prob,
    size_t n, const csm_churn_validation_opts *opts, csm_error *err) {
    if (out)
        *out = NULL;
    int64_t events = 0;
    csm_status st = check_scored(out, y, prob, "prob", n, &events, err);
    if (st != CSM_OK)
        return st;
    for (size_t i = 0; i < n; i++)
        if (!(prob[i] >= 0 && prob[i] <= 1))
            return csm__fail(err, CSM_EDOMAIN, i, "prob",
                             "probability must be in [0, 1]");
    csm_churn_validation_opts o = CSM_CHURN_VALIDATION_OPTS_INIT;
    if ((st = csm__opts_load(&o, sizeof o, opts, err)) != CSM_OK ||
        (st = check_level(o.level, err)) != CSM_OK)
        return st;
    if (o.bins < 1)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "opts.bins",
                         "must be >= 1");
    if ((st = csm__alloc_check(o.allocator, "opts.allocator", err)) != CSM_OK)
        return st;
    const size_t bins = (size_t)o.bins;
    scored *v = sort_scores(o.allocator, prob, n);
    const csm__tabspec spec[] = {
        {"churn_validation", val_cols, CSM__NCOLS(val_cols), 1},
        {"churn_calibration", cal_cols, CSM__NCOLS(cal_cols), bins}};
    csm_churn_validation *r =
        v ? csm__result_new(o.allocator, "churn_validation", sizeof *r, spec,
                            2, NULL, 0, 0)
          : NULL;
    if (!r) {
        csm__free(o.allocator, v);
        return csm__fail(err, CSM_ENOMEM, CSM_NO_ROW, NULL, NULL);
    }
    r->n_rows = bins;
    auc_figs f = auc_sorted(v, y, n, events, o.level);
    calibrate(r, v, y, n, bins);
    csm__free(o.allocator, v);
    csm__ksum brier = {0, 0}, ll = {0, 0};
    int certain_miss = 0; /* a term -ln 0 = infinity (kept out of the sum) */
    for (size_t i = 0; i < n; i++) {
        double e = prob[i] - y[i], q = y[i] ? prob[i] : 1.0 - prob[i];
        csm__ksum_add(&brier, e * e);
        if (q > 0)
            csm__ksum_add(&ll, -log(q));
        else
            certain_miss = 1;
    }
    uint32_t fl = f.flags | (n == 0 ? CSM_FLAG_EMPTY : 0u);
    const double dn = (double)n;
    r->val_n[0] = (int64_t)n;
    r->val_events[0] = events;
    r->val_base_rate[0] = csm__ratio((double)events, dn, &fl);
    r->val_auc[0] = f.auc;
    r->val_auc_std_error[0] = f.se;
    r->val_auc_lower[0] = f.lower;
    r->val_auc_upper[0] = f.upper;
    r->val_brier[0] = csm__ratio(csm__ksum_value(&brier), dn, &fl);
    r->val_log_loss[0] =
        certain_miss ? INFINITY : csm__ratio(csm__ksum_value(&ll), dn, &fl);
    r->val_top_rate[0] = r->observed_rate[bins - 1];
    r->val_top_lift[0] =
        csm__ratio(r->val_top_rate[0], r->val_base_rate[0], &fl);
    r->val_flags[0] = fl;
    *out = r;
    return CSM_OK;
}
