/* test-churn.c - churn-risk prediction: the logistic model, its scores and
 * the validation figures.
 *
 * The 8-row fixture: raw feature x = 10 (rows 0-3) or 30 (rows 4-7), y =
 * 0 0 0 1 | 0 1 1 1.  mean 20, population SD 10: z = -1 or +1.  Group
 * rates 1/4 and 3/4.
 *  - l2 = 0 (maximum likelihood): the fit reproduces the group rates,
 *    b0 + b1 = logit(3/4) = ln 3, b0 - b1 = -ln 3, so b0 = 0, b1 = ln 3
 *    (odds ratio 3 per SD).  Every row has w = p(1 - p) = 3/16, so H =
 *    [[8w, 0], [0, 8w]] = 1.5 I, H^-1 = (2/3) I: SE = sqrt(2/3) = 0.816497
 *    for both (the 2x2 table's SE of the log odds ratio, sqrt(1/1 + 1/3 +
 *    1/3 + 1/1) = 1.632993, halved since z spans 2).  z = ln 3 / sqrt(2/3)
 *    = 1.345520, p = 2 Phi(-z) = 0.178457 (Python math.erfc).  Raw scale:
 *    b1 / 10 = 0.109861; intercept at x = 0: 0 - ln 3 x 20 / 10 = -2 ln 3.
 *    loglik = 6 ln(3/4) + 2 ln(1/4) = -4.498681.
 *  - l2 = 1: by symmetry b0 = 0 and p = sigma(b1) for z = +1, 1 - sigma(b1)
 *    for z = -1; the b1 equation 8 (sigma(b1) - 3/4) + b1 = 0 is solved by
 *    bisection below (0.683624).  H = [[8w, 0], [0, 8w + 1]], so SE(b0) =
 *    1 / sqrt(8w), SE(b1) = 1 / sqrt(8w + 1).
 *
 * The AUC fixture: positives score 0.8, 0.4, 0.6; negatives 0.4, 0.2, 0.7.
 * Pairs: 0.8 beats all 3 (3), 0.4 ties 0.4 and beats 0.2 (1.5), 0.6 beats
 * 0.4 and 0.2 (2): AUC = 6.5 / 9 = 13/18 = 0.722222.  Placements V10 =
 * {1, 1/2, 2/3}, V01 (share of positives above each negative, ties 1/2) =
 * {5/6, 1, 1/3}; both mean 13/18.  Sample variances: (25 + 16 + 1) / 324 /
 * 2 = 7/108 and (4 + 25 + 49) / 324 / 2 = 13/108.  se^2 = 7/108/3 +
 * 13/108/3 = 5/81: se = sqrt(5)/9 = 0.248452.  95%: 0.722222 -/+ 1.959964
 * x 0.248452 = 0.235265 (Python statistics.NormalDist) and 1.209 ->
 * clamped to 1 (CLAMPED).
 *
 * The validation fixture (n = 10): negatives p = 0.05, 0.1, 0.2, 0.4, 0.7;
 * positives 0.3, 0.5, 0.6, 0.8, 0.9.  Base rate 0.5.  AUC: negatives below
 * each positive 3, 4, 4, 5, 5 -> 21/25 = 0.84.  Brier: (0.0025 + 0.01 +
 * 0.04 + 0.16 + 0.49) + (0.49 + 0.25 + 0.16 + 0.04 + 0.01) = 1.6525 / 10 =
 * 0.16525.  Log loss: -(ln .95 + ln .9 + ln .8 + ln .6 + ln .3 + ln .3 +
 * ln .5 + ln .6 + ln .8 + ln .9) / 10 = 0.483105 (Python math.log).  Five
 * bins of two sorted rows: {.05, .1} 0 events, {.2, .3} 1, {.4, .5} 1,
 * {.6, .7} 1, {.8, .9} 2: means .075, .25, .45, .65, .85; rates 0, .5, .5,
 * .5, 1; top lift 1 / 0.5 = 2.  Three bins: starts floor(0) = 0,
 * floor(10/3) = 3, floor(20/3) = 6: sizes 3, 3, 4; the top bin {.6, .7,
 * .8, .9} has 3 events: rate 0.75, lift 1.5. */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "csmetrics/csmetrics.h"
#include "oom.h"
#include "tables.h"

#define TOL 1e-9

static const double fx[] = {10, 10, 10, 10, 30, 30, 30, 30};
static const uint8_t fy[] = {0, 0, 0, 1, 0, 1, 1, 1};

static double sig(double t) { return 1.0 / (1.0 + exp(-t)); }

/* the root of 8 (sigma(b) - 3/4) + b = 0 by bisection */
static double b1_l2_1(void) {
    double lo = 0, hi = 5;
    for (int i = 0; i < 200; i++) {
        double m = 0.5 * (lo + hi);
        if (8 * (sig(m) - 0.75) + m > 0)
            hi = m;
        else
            lo = m;
    }
    return 0.5 * (lo + hi);
}

static csm_churn_model *fit(const double *x, const uint8_t *y, size_t n,
                            size_t p, double l2) {
    csm_churn_model_opts o = CSM_CHURN_MODEL_OPTS_INIT;
    o.l2 = l2;
    csm_churn_model *m = NULL;
    csm_error e;
    csm_status st = csm_churn_model_fit(&m, x, y, n, p, &o, &e);
    ck_assert_msg(st == CSM_OK, "%s", e.text);
    return m;
}

START_TEST(test_fit_ml) {
    csm_churn_model *m = fit(fx, fy, 8, 1, 0.0);
    ck_assert_uint_eq(m->n_rows, 2);
    ck_assert_uint_eq(m->n_features, 1);
    ck_assert_int_eq(m->term[0], CSM_CODE_ALL);
    ck_assert_int_eq(m->term[1], 0);
    ck_assert_double_eq_tol(m->coefficient[0], 0, TOL);
    ck_assert_double_eq_tol(m->coefficient[1], log(3.0), TOL);
    ck_assert_double_eq_tol(m->std_error[0], sqrt(2.0 / 3), TOL);
    ck_assert_double_eq_tol(m->std_error[1], sqrt(2.0 / 3), TOL);
    ck_assert_double_eq_tol(m->z[1], 1.3455197661940435, 1e-9);
    ck_assert_double_eq_tol(m->p_value[1], 0.17845744247698153, 1e-9);
    ck_assert_double_eq_tol(m->odds_ratio[1], 3.0, TOL);
    ck_assert_double_eq_tol(m->odds_ratio[0], 1.0, TOL);
    ck_assert_double_eq_tol(m->mean[1], 20, TOL);
    ck_assert_double_eq_tol(m->sd[1], 10, TOL);
    ck_assert(isnan(m->mean[0]) && isnan(m->sd[0]));
    ck_assert_double_eq_tol(m->raw_coefficient[1], log(3.0) / 10, TOL);
    ck_assert_double_eq_tol(m->raw_coefficient[0], -2 * log(3.0), TOL);
    ck_assert_uint_eq(m->flags[0] | m->flags[1], 0);
    ck_assert_int_eq(m->fit_n[0], 8);
    ck_assert_int_eq(m->fit_events[0], 4);
    ck_assert_int_eq(m->fit_features[0], 1);
    ck_assert_double_eq_tol(m->fit_loglik[0], -4.498681156950466, 1e-9);
    ck_assert_double_eq_tol(m->fit_objective[0], 4.498681156950466, 1e-9);
    ck_assert_double_eq_tol(m->fit_log_loss[0], 4.498681156950466 / 8, 1e-9);
    ck_assert_double_lt(m->fit_gradient[0], 1e-9);
    ck_assert_int_gt(m->fit_iterations[0], 0);
    ck_assert_uint_eq(m->fit_flags[0], 0);
    csm_churn_model_free(m);
}
END_TEST

START_TEST(test_fit_l2) {
    csm_churn_model *m = fit(fx, fy, 8, 1, 1.0);
    double b = b1_l2_1(), w = sig(b) * (1 - sig(b));
    ck_assert_double_eq_tol(b, 0.6836238387577513, 1e-12);
    ck_assert_double_eq_tol(m->coefficient[0], 0, TOL);
    ck_assert_double_eq_tol(m->coefficient[1], b, TOL);
    ck_assert_double_eq_tol(m->std_error[0], 1 / sqrt(8 * w), TOL);
    ck_assert_double_eq_tol(m->std_error[1], 1 / sqrt(8 * w + 1), TOL);
    ck_assert_double_eq_tol(m->odds_ratio[1], exp(b), TOL);
    /* loglik: 4 rows at p = sigma(b) right (3 of z = +1 churned, 3 of
     * z = -1 stayed), 2 rows wrong */
    double ll = 6 * log(sig(b)) + 2 * log(1 - sig(b));
    ck_assert_double_eq_tol(m->fit_loglik[0], ll, TOL);
    ck_assert_double_eq_tol(m->fit_objective[0], -ll + 0.5 * b * b, TOL);
    ck_assert_double_eq(m->fit_l2[0], 1.0);
    csm_churn_model_free(m);
}
END_TEST

/* A constant second feature is left out: the first's fit is the one-
 * feature fit above, the constant gets 0, NaN SE and DEGENERATE. */
START_TEST(test_fit_constant_feature) {
    double x2[16];
    for (int i = 0; i < 8; i++) {
        x2[2 * i] = fx[i];
        x2[2 * i + 1] = 0.1; /* 0.1 x 8 / 8 need not be 0.1 exactly */
    }
    csm_churn_model *m = fit(x2, fy, 8, 2, 1.0);
    double b = b1_l2_1();
    ck_assert_uint_eq(m->n_rows, 3);
    ck_assert_double_eq_tol(m->coefficient[1], b, TOL);
    ck_assert_double_eq(m->coefficient[2], 0);
    ck_assert(isnan(m->std_error[2]) && isnan(m->z[2]) && isnan(m->p_value[2]));
    ck_assert_double_eq(m->odds_ratio[2], 1);
    ck_assert_double_eq(m->sd[2], 0);
    ck_assert_double_eq(m->raw_coefficient[2], 0);
    ck_assert_uint_eq(m->flags[2], CSM_FLAG_DEGENERATE);
    ck_assert_uint_eq(m->flags[1], 0);
    ck_assert_uint_eq(m->fit_flags[0], CSM_FLAG_DEGENERATE);
    /* scoring: the constant contributes 0 whatever its value */
    const double xs[] = {10, 99, 30, -5, 20, 0.1};
    csm_churn_scores *s = NULL;
    ck_assert_int_eq(csm_churn_model_score(&s, m, xs, 3, 2, NULL, NULL), CSM_OK);
    ck_assert_double_eq(s->contribution[1], 0);
    ck_assert_double_eq(s->contribution[3], 0);
    ck_assert_double_eq_tol(s->probability[1], sig(b), TOL);
    csm_churn_scores_free(s);
    csm_churn_model_free(m);
}
END_TEST

/* p = 0: the intercept alone, logit of the event rate 3/8. */
START_TEST(test_fit_intercept_only) {
    const uint8_t y[] = {1, 0, 0, 1, 0, 0, 1, 0};
    csm_churn_model *m = fit(NULL, y, 8, 0, 1.0);
    ck_assert_uint_eq(m->n_rows, 1);
    ck_assert_double_eq_tol(m->coefficient[0], log(3.0 / 5), TOL);
    /* H = 8 p (1 - p) = 8 x 15/64 = 15/8: SE = sqrt(8/15) */
    ck_assert_double_eq_tol(m->std_error[0], sqrt(8.0 / 15), TOL);
    ck_assert_double_eq_tol(m->raw_coefficient[0], log(3.0 / 5), TOL);
    csm_churn_model_free(m);
}
END_TEST

/* A deterministic generator for the larger data sets. */
static uint64_t lcg_state;
static double unif(void) {
    lcg_state = lcg_state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (double)(lcg_state >> 11) / 9007199254740992.0;
}

/* Three correlated features, y drawn from a logistic model. */
static void gen(double *x, uint8_t *y, size_t n, uint64_t seed) {
    lcg_state = seed;
    for (size_t i = 0; i < n; i++) {
        double a = unif() * 4, b = a + unif() * 2, c = (double)(int)(unif() * 5);
        x[3 * i] = a;
        x[3 * i + 1] = b * 100;
        x[3 * i + 2] = c;
        double eta = -1 + 0.8 * a - 0.004 * b * 100 + 0.3 * c;
        y[i] = unif() < sig(eta);
    }
}

/* The optimum of a 3-feature fit checked by a second implementation: the
 * test's own standardization (two-pass mean and SD), the gradient of the
 * objective from its definition (zero at the minimum), and the inverse
 * Hessian by Gauss-Jordan elimination (the library uses Cholesky) for the
 * standard errors. */
START_TEST(test_fit_kkt) {
    enum { N = 300, P = 3, K = P + 1 };
    static double x[N * P];
    static uint8_t y[N];
    gen(x, y, N, 42 + (uint64_t)_i);
    const double l2 = _i == 0 ? 1.0 : _i == 1 ? 0.0 : 7.5;
    csm_churn_model *m = fit(x, y, N, P, l2);
    double mu[P], sd[P];
    for (int j = 0; j < P; j++) {
        double s = 0, ss = 0;
        for (int i = 0; i < N; i++)
            s += x[i * P + j];
        mu[j] = s / N;
        for (int i = 0; i < N; i++)
            ss += (x[i * P + j] - mu[j]) * (x[i * P + j] - mu[j]);
        sd[j] = sqrt(ss / N);
        ck_assert_double_eq_tol(m->mean[1 + j], mu[j], 1e-9 * fabs(mu[j]));
        ck_assert_double_eq_tol(m->sd[1 + j], sd[j], 1e-9 * sd[j]);
    }
    double g[K] = {0}, h[K][2 * K] = {{0}};
    for (int i = 0; i < N; i++) {
        double z[K] = {1}, eta = m->coefficient[0];
        for (int j = 0; j < P; j++) {
            z[1 + j] = (x[i * P + j] - mu[j]) / sd[j];
            eta += m->coefficient[1 + j] * z[1 + j];
        }
        double p = sig(eta);
        for (int u = 0; u < K; u++) {
            g[u] += (p - y[i]) * z[u];
            for (int v = 0; v < K; v++)
                h[u][v] += p * (1 - p) * z[u] * z[v];
        }
    }
    for (int u = 1; u < K; u++) {
        g[u] += l2 * m->coefficient[u];
        h[u][u] += l2;
    }
    for (int u = 0; u < K; u++)
        ck_assert_double_lt(fabs(g[u]), 1e-8);
    /* Gauss-Jordan on [H | I] */
    for (int u = 0; u < K; u++)
        h[u][K + u] = 1;
    for (int c = 0; c < K; c++) {
        double piv = h[c][c];
        for (int v = 0; v < 2 * K; v++)
            h[c][v] /= piv;
        for (int r = 0; r < K; r++) {
            if (r == c)
                continue;
            double f = h[r][c];
            for (int v = 0; v < 2 * K; v++)
                h[r][v] -= f * h[c][v];
        }
    }
    for (int u = 0; u < K; u++)
        ck_assert_double_eq_tol(m->std_error[u], sqrt(h[u][K + u]), 1e-9);
    /* the raw scale reproduces the standardized logit */
    double eta_std = m->coefficient[0], eta_raw = m->raw_coefficient[0];
    for (int j = 0; j < P; j++) {
        eta_std += m->coefficient[1 + j] * (x[j] - mu[j]) / sd[j];
        eta_raw += m->raw_coefficient[1 + j] * x[j];
    }
    ck_assert_double_eq_tol(eta_raw, eta_std, 1e-9);
    csm_churn_model_free(m);
}
END_TEST

/* Scores of the l2 = 1 model at x = 10, 30, 20: contributions -b1, +b1, 0;
 * probabilities sigma(-b1), sigma(b1), 1/2; the top term only where a
 * contribution is positive. */
START_TEST(test_score) {
    csm_churn_model *m = fit(fx, fy, 8, 1, 1.0);
    double b = b1_l2_1();
    const double xs[] = {10, 30, 20};
    csm_churn_scores *s = NULL;
    ck_assert_int_eq(csm_churn_model_score(&s, m, xs, 3, 1, NULL, NULL), CSM_OK);
    ck_assert_uint_eq(s->n_rows, 3);
    ck_assert_uint_eq(s->n_features, 1);
    ck_assert_double_eq_tol(s->contribution[0], -b, TOL);
    ck_assert_double_eq_tol(s->contribution[1], b, TOL);
    ck_assert_double_eq_tol(s->contribution[2], 0, TOL);
    ck_assert_double_eq_tol(s->logit[1], b, TOL);
    ck_assert_double_eq_tol(s->probability[0], sig(-b), TOL);
    ck_assert_double_eq_tol(s->probability[1], sig(b), TOL);
    ck_assert_double_eq_tol(s->probability[2], 0.5, TOL);
    ck_assert_int_eq(s->top_term[0], CSM_CODE_ALL);
    ck_assert(isnan(s->top_contribution[0]));
    ck_assert_int_eq(s->top_term[1], 0);
    ck_assert_double_eq_tol(s->top_contribution[1], b, TOL);
    ck_assert_int_eq(s->top_term[2], CSM_CODE_ALL);
    for (int i = 0; i < 3; i++) {
        ck_assert_int_eq(s->row[i], i);
        ck_assert_int_eq(s->contribution_row[i], i);
        ck_assert_int_eq(s->contribution_term[i], 0);
    }
    const csm_table *t = csm_result_find(s->result, "churn_scores");
    ck_assert_str_eq(csm_table_find(t, "top_term")->null_label, "none");
    ck_assert_uint_eq(csm_result_find(s->result, "churn_contributions")->n_rows, 3);
    csm_churn_scores_free(s);
    /* the training rows: the model's probabilities reproduce its loglik */
    ck_assert_int_eq(csm_churn_model_score(&s, m, fx, 8, 1, NULL, NULL), CSM_OK);
    double ll = 0;
    for (int i = 0; i < 8; i++)
        ll += log(fy[i] ? s->probability[i] : 1 - s->probability[i]);
    ck_assert_double_eq_tol(ll, m->fit_loglik[0], TOL);
    csm_churn_scores_free(s);
    /* the top term of several features: the largest positive one */
    csm_churn_model_free(m);
}
END_TEST

/* Which feature is each row's main reason, over three features (the
 * 3-feature data): the largest positive contribution, by the test's own
 * scan. */
START_TEST(test_score_top_term) {
    enum { N = 200, P = 3 };
    static double x[N * P];
    static uint8_t y[N];
    gen(x, y, N, 7);
    csm_churn_model *m = fit(x, y, N, P, 1.0);
    csm_churn_scores *s = NULL;
    ck_assert_int_eq(csm_churn_model_score(&s, m, x, N, P, NULL, NULL), CSM_OK);
    ck_assert_uint_eq(csm_result_find(s->result, "churn_contributions")->n_rows,
                      N * P);
    for (int i = 0; i < N; i++) {
        int32_t best = CSM_CODE_ALL;
        double bv = 0, sum = m->coefficient[0];
        for (int j = 0; j < P; j++) {
            double c = m->coefficient[1 + j] * (x[i * P + j] - m->mean[1 + j]) /
                       m->sd[1 + j];
            ck_assert_double_eq_tol(s->contribution[i * P + j], c, 1e-12);
            sum += c;
            if (c > bv) {
                bv = c;
                best = j;
            }
        }
        ck_assert_int_eq(s->top_term[i], best);
        ck_assert_double_eq_tol(s->logit[i], sum, 1e-12);
    }
    csm_churn_scores_free(s);
    csm_churn_model_free(m);
}
END_TEST

/* Separation with l2 = 0 fails fast and says so; with l2 > 0 it fits. */
START_TEST(test_separation) {
    const double xc[] = {1, 2, 3, 4};         /* complete: y = x > 2.5 */
    const uint8_t yc[] = {0, 0, 1, 1};
    const double xq[] = {0, 0, 1, 1, 1};      /* quasi: x = 0 never churns */
    const uint8_t yq[] = {0, 0, 0, 1, 1};
    csm_churn_model_opts o = CSM_CHURN_MODEL_OPTS_INIT;
    o.l2 = 0;
    o.max_iter = 1000000; /* the bound stops it, not max_iter */
    csm_churn_model *m = NULL;
    csm_error e;
    ck_assert_int_eq(csm_churn_model_fit(&m, xc, yc, 4, 1, &o, &e), CSM_ENOCONV);
    ck_assert_ptr_null(m);
    ck_assert_str_eq(e.field, "x");
    ck_assert_ptr_nonnull(strstr(e.msg, "separation"));
    ck_assert_int_eq(csm_churn_model_fit(&m, xq, yq, 5, 1, &o, &e), CSM_ENOCONV);
    ck_assert_ptr_nonnull(strstr(e.msg, "separation"));
    /* collinear features, l2 = 0: a singular Hessian, reported the same way */
    const double xk[] = {1, 2, 2, 4, 3, 6, 4, 8, 5, 10};
    const uint8_t yk[] = {0, 1, 0, 1, 1};
    ck_assert_int_eq(csm_churn_model_fit(&m, xk, yk, 5, 2, &o, &e), CSM_ENOCONV);
    ck_assert_ptr_nonnull(strstr(e.msg, "collinear"));
    o.l2 = 1;
    ck_assert_int_eq(csm_churn_model_fit(&m, xc, yc, 4, 1, &o, &e), CSM_OK);
    ck_assert_double_gt(m->coefficient[1], 0);
    csm_churn_model_free(m);
    ck_assert_int_eq(csm_churn_model_fit(&m, xk, yk, 5, 2, &o, &e), CSM_OK);
    /* two identical standardized columns share the effect equally */
    ck_assert_double_eq_tol(m->coefficient[1], m->coefficient[2], 1e-9);
    csm_churn_model_free(m);
}
END_TEST

START_TEST(test_fit_errors) {
    csm_churn_model *m = NULL;
    csm_error e;
    csm_churn_model_opts o = CSM_CHURN_MODEL_OPTS_INIT;
    ck_assert_int_eq(csm_churn_model_fit(NULL, fx, fy, 8, 1, NULL, &e), CSM_EINVAL);
    ck_assert_int_eq(csm_churn_model_fit(&m, fx, NULL, 8, 1, NULL, &e), CSM_EINVAL);
    ck_assert_int_eq(csm_churn_model_fit(&m, NULL, fy, 8, 1, NULL, &e), CSM_EINVAL);
    ck_assert_int_eq(csm_churn_model_fit(&m, fx, fy, 0, 1, NULL, &e), CSM_EINVAL);
    ck_assert_int_eq(csm_churn_model_fit(&m, fx, fy, SIZE_MAX / 2, 3, NULL, &e),
                     CSM_EINVAL);
    ck_assert_str_eq(e.field, "p");
    const uint8_t y2[] = {0, 2, 1};
    const double x3[] = {1, 2, 3};
    ck_assert_int_eq(csm_churn_model_fit(&m, x3, y2, 3, 1, NULL, &e), CSM_EDOMAIN);
    ck_assert_uint_eq(e.row, 1);
    ck_assert_str_eq(e.field, "y");
    const double xn[] = {1, NAN, 3};
    const uint8_t y3[] = {0, 1, 1};
    ck_assert_int_eq(csm_churn_model_fit(&m, xn, y3, 3, 1, NULL, &e), CSM_EDOMAIN);
    ck_assert_uint_eq(e.row, 1);
    ck_assert_str_eq(e.field, "x");
    const uint8_t y0[] = {0, 0, 0};
    ck_assert_int_eq(csm_churn_model_fit(&m, x3, y0, 3, 1, NULL, &e), CSM_EDOMAIN);
    ck_assert_str_eq(e.field, "y");
    o.l2 = -1;
    ck_assert_int_eq(csm_churn_model_fit(&m, fx, fy, 8, 1, &o, &e), CSM_EINVAL);
    ck_assert_str_eq(e.field, "opts.l2");
    o.l2 = 1;
    o.tol = 0;
    ck_assert_int_eq(csm_churn_model_fit(&m, fx, fy, 8, 1, &o, &e), CSM_EINVAL);
    ck_assert_str_eq(e.field, "opts.tol");
    o.tol = 1e-10;
    o.max_iter = 0;
    ck_assert_int_eq(csm_churn_model_fit(&m, fx, fy, 8, 1, &o, &e), CSM_EINVAL);
    ck_assert_str_eq(e.field, "opts.max_iter");
    o.max_iter = 1; /* Newton needs more than one step here */
    ck_assert_int_eq(csm_churn_model_fit(&m, fx, fy, 8, 1, &o, &e), CSM_ENOCONV);
    ck_assert_str_eq(e.field, "opts.max_iter");
    ck_assert_ptr_null(m);
    /* scoring: p must be the model's, x finite */
    m = fit(fx, fy, 8, 1, 1.0);
    csm_churn_scores *s = NULL;
    ck_assert_int_eq(csm_churn_model_score(&s, m, fx, 4, 2, NULL, &e), CSM_EINVAL);
    ck_assert_str_eq(e.field, "p");
    ck_assert_int_eq(csm_churn_model_score(&s, m, xn, 3, 1, NULL, &e), CSM_EDOMAIN);
    ck_assert_uint_eq(e.row, 1);
    ck_assert_int_eq(csm_churn_model_score(&s, NULL, fx, 3, 1, NULL, &e), CSM_EINVAL);
    ck_assert_ptr_null(s);
    ck_assert_int_eq(csm_churn_model_score(&s, m, NULL, 0, 1, NULL, &e), CSM_OK);
    ck_assert_uint_eq(s->n_rows, 0);
    csm_churn_scores_free(s);
    csm_churn_model_free(m);
}
END_TEST

/* ---- AUC ----------------------------------------------------------------- */
static const uint8_t ay[] = {1, 1, 1, 0, 0, 0};
static const double as[] = {0.8, 0.4, 0.6, 0.4, 0.2, 0.7};

START_TEST(test_auc_hand) {
    csm_churn_auc *a = NULL;
    ck_assert_int_eq(csm_churn_auc_compute(&a, ay, as, 6, NULL, NULL), CSM_OK);
    ck_assert_int_eq(a->n[0], 6);
    ck_assert_int_eq(a->events[0], 3);
    ck_assert_double_eq_tol(a->auc[0], 13.0 / 18, 1e-12);
    ck_assert_double_eq_tol(a->std_error[0], sqrt(5.0) / 9, 1e-12);
    ck_assert_double_eq_tol(a->lower[0], 0.2352652552352325, 1e-9);
    ck_assert_double_eq(a->upper[0], 1.0);
    ck_assert_uint_eq(a->flags[0], CSM_FLAG_CLAMPED);
    /* ROC: distinct scores 0.8, 0.7, 0.6, 0.4, 0.2 flag, cumulatively, the
     * positives 1, 1, 2, 3, 3 (of 3) and the negatives 0, 1, 1, 2, 3 (of
     * 3); trapezoids 0 + 1/9 + 0 + 5/18 + 1/3 = 13/18, the AUC */
    const double thr[] = {0.8, 0.7, 0.6, 0.4, 0.2};
    const double tpr[] = {0, 1, 1, 2, 3, 3}, fpr[] = {0, 0, 1, 1, 2, 3};
    ck_assert_uint_eq(a->n_roc, 6);
    ck_assert(isnan(a->roc_threshold[0]));
    double area = 0;
    for (int k = 0; k < 6; k++) {
        ck_assert_int_eq(a->roc_point[k], k);
        if (k > 0) {
            ck_assert_double_eq(a->roc_threshold[k], thr[k - 1]);
            area += (a->roc_fpr[k] - a->roc_fpr[k - 1]) *
                    (a->roc_tpr[k] + a->roc_tpr[k - 1]) / 2;
        }
        ck_assert_double_eq_tol(a->roc_tpr[k], tpr[k] / 3, 1e-15);
        ck_assert_double_eq_tol(a->roc_fpr[k], fpr[k] / 3, 1e-15);
    }
    ck_assert_double_eq_tol(area, 13.0 / 18, 1e-12);
    ck_assert_uint_eq(csm_result_find(a->result, "churn_roc")->n_rows, 6);
    csm_churn_auc_free(a);
    /* a strictly increasing transform of the score keeps the AUC */
    double t[6];
    for (int i = 0; i < 6; i++)
        t[i] = exp(10 * as[i]) - 3;
    ck_assert_int_eq(csm_churn_auc_compute(&a, ay, t, 6, NULL, NULL), CSM_OK);
    ck_assert_double_eq_tol(a->auc[0], 13.0 / 18, 1e-12);
    csm_churn_auc_free(a);
}
END_TEST

/* AUC and DeLong SE against the naive pairwise definition on integer
 * scores 0..4 (many ties), three seeds. */
START_TEST(test_auc_naive) {
    enum { N = 157 };
    uint8_t y[N];
    double s[N];
    lcg_state = 1000 + (uint64_t)_i;
    for (int i = 0; i < N; i++) {
        y[i] = unif() < 0.3;
        s[i] = (double)(int)(unif() * 5) + (y[i] ? (double)(int)(unif() * 2) : 0);
    }
    double n1 = 0, n0 = 0;
    for (int i = 0; i < N; i++)
        n1 += y[i], n0 += !y[i];
    double v10[N], v01[N], auc = 0;
    for (int i = 0; i < N; i++) {
        double c = 0;
        for (int k = 0; k < N; k++) {
            if (y[i] && !y[k])
                c += s[i] > s[k] ? 1 : s[i] == s[k] ? 0.5 : 0;
            if (!y[i] && y[k])
                c += s[k] > s[i] ? 1 : s[k] == s[i] ? 0.5 : 0;
        }
        v10[i] = c / n0;
        v01[i] = c / n1;
        if (y[i])
            auc += c;
    }
    auc /= n1 * n0;
    double a10 = 0, a01 = 0;
    for (int i = 0; i < N; i++) {
        if (y[i])
            a10 += (v10[i] - auc) * (v10[i] - auc);
        else
            a01 += (v01[i] - auc) * (v01[i] - auc);
    }
    double se = sqrt(a10 / (n1 - 1) / n1 + a01 / (n0 - 1) / n0);
    csm_churn_auc *a = NULL;
    ck_assert_int_eq(csm_churn_auc_compute(&a, y, s, N, NULL, NULL), CSM_OK);
    ck_assert_double_eq_tol(a->auc[0], auc, 1e-12);
    ck_assert_double_eq_tol(a->std_error[0], se, 1e-12);
    csm_churn_auc_free(a);
}
END_TEST

START_TEST(test_auc_edge) {
    csm_churn_auc *a = NULL;
    csm_error e;
    const uint8_t y1[] = {1, 1};
    const double s2[] = {0.1, 0.2};
    ck_assert_int_eq(csm_churn_auc_compute(&a, y1, s2, 2, NULL, NULL), CSM_OK);
    ck_assert(isnan(a->auc[0]) && isnan(a->std_error[0]));
    ck_assert_uint_eq(a->flags[0], CSM_FLAG_ZERO_DENOMINATOR);
    /* no negatives: the false-positive rates are undefined */
    ck_assert_uint_eq(a->n_roc, 3);
    ck_assert(isnan(a->roc_fpr[2]));
    ck_assert_double_eq(a->roc_tpr[2], 1);
    csm_churn_auc_free(a);
    ck_assert_int_eq(csm_churn_auc_compute(&a, NULL, NULL, 0, NULL, NULL), CSM_OK);
    ck_assert_int_eq(a->n[0], 0);
    ck_assert_uint_eq(a->n_roc, 1); /* the origin alone */
    ck_assert(isnan(a->auc[0]));
    csm_churn_auc_free(a);
    /* one positive above both negatives: AUC 1, no SE */
    const uint8_t y3[] = {0, 1, 0};
    const double s3[] = {0.1, 0.9, 0.2};
    ck_assert_int_eq(csm_churn_auc_compute(&a, y3, s3, 3, NULL, NULL), CSM_OK);
    ck_assert_double_eq(a->auc[0], 1);
    ck_assert(isnan(a->std_error[0]) && isnan(a->lower[0]));
    ck_assert_uint_eq(a->flags[0], CSM_FLAG_DEGENERATE);
    csm_churn_auc_free(a);
    const double sn[] = {0.1, INFINITY, 0.2};
    ck_assert_int_eq(csm_churn_auc_compute(&a, y3, sn, 3, NULL, &e), CSM_EDOMAIN);
    ck_assert_uint_eq(e.row, 1);
    ck_assert_str_eq(e.field, "score");
    csm_churn_auc_opts o = CSM_CHURN_AUC_OPTS_INIT;
    o.level = 1;
    ck_assert_int_eq(csm_churn_auc_compute(&a, y3, s3, 3, &o, &e), CSM_EINVAL);
    ck_assert_str_eq(e.field, "opts.level");
    /* level 0.5: z = 0.674490 (normal quartile), interval inside [0, 1] */
    o.level = 0.5;
    ck_assert_int_eq(csm_churn_auc_compute(&a, ay, as, 6, &o, &e), CSM_OK);
    ck_assert_double_eq_tol(a->upper[0], 13.0 / 18 + 0.6744897501960817 * sqrt(5.0) / 9,
                            1e-9);
    ck_assert_uint_eq(a->flags[0], 0);
    csm_churn_auc_free(a);
}
END_TEST

/* ---- validation ----------------------------------------------------------- */
static const uint8_t vy[] = {0, 1, 0, 1, 1, 0, 1, 0, 0, 1};
static const double vp[] = {0.05, 0.3, 0.1, 0.5, 0.6, 0.2, 0.8, 0.4, 0.7, 0.9};

START_TEST(test_validation_hand) {
    csm_churn_validation_opts o = CSM_CHURN_VALIDATION_OPTS_INIT;
    o.bins = 5;
    csm_churn_validation *v = NULL;
    ck_assert_int_eq(csm_churn_validation_compute(&v, vy, vp, 10, &o, NULL),
                     CSM_OK);
    ck_assert_int_eq(v->val_n[0], 10);
    ck_assert_int_eq(v->val_events[0], 5);
    ck_assert_double_eq_tol(v->val_base_rate[0], 0.5, TOL);
    ck_assert_double_eq_tol(v->val_auc[0], 0.84, TOL);
    ck_assert_double_eq_tol(v->val_brier[0], 0.16525, TOL);
    ck_assert_double_eq_tol(v->val_log_loss[0], 0.48310454650754214, TOL);
    ck_assert_uint_eq(v->n_rows, 5);
    const double mean[] = {0.075, 0.25, 0.45, 0.65, 0.85};
    const double rate[] = {0, 0.5, 0.5, 0.5, 1};
    for (int b = 0; b < 5; b++) {
        ck_assert_int_eq(v->bin[b], b);
        ck_assert_int_eq(v->bin_n[b], 2);
        ck_assert_double_eq_tol(v->mean_predicted[b], mean[b], TOL);
        ck_assert_double_eq_tol(v->observed_rate[b], rate[b], TOL);
    }
    ck_assert_double_eq(v->min_predicted[4], 0.8);
    ck_assert_double_eq(v->max_predicted[4], 0.9);
    ck_assert_double_eq_tol(v->val_top_rate[0], 1, TOL);
    ck_assert_double_eq_tol(v->val_top_lift[0], 2, TOL);
    /* the AUC columns are csm_churn_auc_compute's */
    csm_churn_auc *a = NULL;
    ck_assert_int_eq(csm_churn_auc_compute(&a, vy, vp, 10, NULL, NULL), CSM_OK);
    ck_assert_double_eq(v->val_auc_std_error[0], a->std_error[0]);
    ck_assert_double_eq(v->val_auc_lower[0], a->lower[0]);
    csm_churn_auc_free(a);
    csm_churn_validation_free(v);
    o.bins = 3;
    ck_assert_int_eq(csm_churn_validation_compute(&v, vy, vp, 10, &o, NULL),
                     CSM_OK);
    ck_assert_int_eq(v->bin_n[0], 3);
    ck_assert_int_eq(v->bin_n[1], 3);
    ck_assert_int_eq(v->bin_n[2], 4);
    ck_assert_int_eq(v->bin_events[2], 3);
    ck_assert_double_eq_tol(v->val_top_lift[0], 1.5, TOL);
    csm_churn_validation_free(v);
}
END_TEST

START_TEST(test_validation_edge) {
    csm_churn_validation_opts o = CSM_CHURN_VALIDATION_OPTS_INIT;
    csm_churn_validation *v = NULL;
    csm_error e;
    /* n = 0: NaN and EMPTY, ten empty bins */
    ck_assert_int_eq(csm_churn_validation_compute(&v, NULL, NULL, 0, NULL, NULL),
                     CSM_OK);
    ck_assert_uint_eq(v->n_rows, 10);
    ck_assert(isnan(v->val_brier[0]) && isnan(v->val_top_lift[0]));
    ck_assert(v->val_flags[0] & CSM_FLAG_EMPTY);
    ck_assert_int_eq(v->bin_n[9], 0);
    ck_assert(isnan(v->mean_predicted[9]));
    ck_assert_uint_eq(v->bin_flags[9], CSM_FLAG_ZERO_DENOMINATOR);
    csm_churn_validation_free(v);
    /* ties split in input order; n < bins leaves low bins empty, never the
     * top one: n = 4, 10 bins start at floor(4b/10) = 0 0 0 1 1 2 2 2 3 3 4 */
    const uint8_t ty[] = {1, 0, 0, 1};
    const double tp[] = {0.5, 0.5, 0.5, 0.5};
    ck_assert_int_eq(csm_churn_validation_compute(&v, ty, tp, 4, &o, NULL),
                     CSM_OK);
    ck_assert_int_eq(v->bin_n[0], 0);
    ck_assert_int_eq(v->bin_n[2], 1);
    ck_assert_int_eq(v->bin_events[2], 1); /* row 0 */
    ck_assert_int_eq(v->bin_events[4], 0); /* row 1 */
    ck_assert_int_eq(v->bin_n[9], 1);
    ck_assert_int_eq(v->bin_events[9], 1); /* row 3 */
    ck_assert_double_eq(v->val_auc[0], 0.5);
    ck_assert_double_eq_tol(v->val_brier[0], 0.25, TOL);
    ck_assert_double_eq_tol(v->val_log_loss[0], log(2.0), TOL);
    csm_churn_validation_free(v);
    /* a certain wrong prediction: infinite log loss */
    const double cp[] = {0.0, 0.5, 0.5, 0.5};
    ck_assert_int_eq(csm_churn_validation_compute(&v, ty, cp, 4, &o, NULL),
                     CSM_OK);
    ck_assert(isinf(v->val_log_loss[0]));
    csm_churn_validation_free(v);
    const double bp[] = {0.5, 1.5, 0.5, 0.5};
    ck_assert_int_eq(csm_churn_validation_compute(&v, ty, bp, 4, &o, &e),
                     CSM_EDOMAIN);
    ck_assert_uint_eq(e.row, 1);
    ck_assert_str_eq(e.field, "prob");
    o.bins = 0;
    ck_assert_int_eq(csm_churn_validation_compute(&v, ty, tp, 4, &o, &e),
                     CSM_EINVAL);
    ck_assert_str_eq(e.field, "opts.bins");
    ck_assert_ptr_null(v);
}
END_TEST

START_TEST(test_tables) {
    csm_churn_model *m = fit(fx, fy, 8, 1, 1.0);
    ck_assert_str_eq(csm_result_kind(m->result), "churn_model");
    ck_assert_ptr_eq(csm_result_view(m->result), m);
    ck_assert_uint_eq(csm_result_n_tables(m->result), 2);
    const csm_table *t = csm_result_table(m->result, 0);
    ck_assert_str_eq(t->name, "churn_model");
    ck_assert_uint_eq(t->n_rows, 2);
    const want_col w[] = {
        WANT("term", CODE, I32, KEY, m->term),
        WANT("coefficient", NUMBER, F64, MAIN, m->coefficient),
        WANT("std_error", NUMBER, F64, MAIN, m->std_error),
        WANT("z", NUMBER, F64, DETAIL, m->z),
        WANT("p_value", FRACTION, F64, DETAIL, m->p_value),
        WANT("odds_ratio", NUMBER, F64, MAIN, m->odds_ratio),
        WANT("mean", NUMBER, F64, DETAIL, m->mean),
        WANT("sd", NUMBER, F64, DETAIL, m->sd),
        WANT("raw_coefficient", NUMBER, F64, DETAIL, m->raw_coefficient),
        WANT("flags", FLAGS, U32, DETAIL, m->flags)};
    check_columns(t, w, N_WANT(w));
    ck_assert_str_eq(csm_table_find(t, "term")->null_label, "intercept");
    ck_assert_int_eq(csm_column_is_valid(csm_table_find(t, "term"), 0), 0);
    const csm_table *f = csm_result_table(m->result, 1);
    ck_assert_str_eq(f->name, "churn_fit");
    ck_assert_uint_eq(f->n_rows, 1);
    check_columns_sane(f);
    ck_assert_ptr_eq(csm_table_find(f, "loglik")->data, m->fit_loglik);
    struct ArrowSchema sc;
    struct ArrowArray ar;
    ck_assert_int_eq(csm_table_export_arrow(&sc, &ar, m->result, t, NULL), CSM_OK);
    ck_assert_int_eq(ar.length, 2);
    ck_assert_int_eq(ar.children[0]->null_count, 1); /* the intercept's term */
    sc.release(&sc);
    ar.release(&ar);
    csm_churn_model_free(m);
    csm_churn_validation *v = NULL;
    ck_assert_int_eq(csm_churn_validation_compute(&v, vy, vp, 10, NULL, NULL),
                     CSM_OK);
    ck_assert_str_eq(csm_result_kind(v->result), "churn_validation");
    ck_assert_str_eq(csm_result_table(v->result, 1)->name, "churn_calibration");
    check_columns_sane(csm_result_table(v->result, 0));
    check_columns_sane(csm_result_table(v->result, 1));
    csm_churn_validation_free(v);
}
END_TEST

/* Every allocation of each call fails in turn: ENOMEM, nothing leaks. */
START_TEST(test_oom) {
    for (int call = 0; call < 4; call++) {
        int done = 0;
        for (long b = 0; b < 50 && !done; b++) {
            fail_ctx f = {b, 0};
            csm_allocator a = {fail_alloc, fail_free, &f, NULL};
            csm_status s;
            void *r = NULL;
            if (call == 0) {
                csm_churn_model_opts o = CSM_CHURN_MODEL_OPTS_INIT;
                o.allocator = &a;
                s = csm_churn_model_fit((csm_churn_model **)&r, fx, fy, 8, 1, &o,
                                        NULL);
                if (s == CSM_OK)
                    ck_assert_double_eq_tol(((csm_churn_model *)r)->coefficient[1],
                                            b1_l2_1(), TOL);
                csm_churn_model_free(r);
            } else if (call == 1) {
                csm_churn_model *m = fit(fx, fy, 8, 1, 1.0);
                csm_result_opts o = CSM_RESULT_OPTS_INIT;
                o.allocator = &a;
                s = csm_churn_model_score((csm_churn_scores **)&r, m, fx, 8, 1,
                                          &o, NULL);
                csm_churn_scores_free(r);
                csm_churn_model_free(m);
            } else if (call == 2) {
                csm_churn_auc_opts o = CSM_CHURN_AUC_OPTS_INIT;
                o.allocator = &a;
                s = csm_churn_auc_compute((csm_churn_auc **)&r, ay, as, 6, &o,
                                          NULL);
                csm_churn_auc_free(r);
            } else {
                csm_churn_validation_opts o = CSM_CHURN_VALIDATION_OPTS_INIT;
                o.allocator = &a;
                s = csm_churn_validation_compute((csm_churn_validation **)&r, vy,
                                                 vp, 10, &o, NULL);
                csm_churn_validation_free(r);
            }
            ck_assert(s == CSM_OK || s == CSM_ENOMEM);
            if (s != CSM_OK)
                ck_assert_ptr_null(r);
            done = s == CSM_OK;
            ck_assert_int_eq(f.live, 0);
        }
        ck_assert(done);
    }
}
END_TEST

/* ---- scorecard weights proposed from the model ------------------------- */
/* The proposal fixture: groups usage (weight 3: login_rate weight 2, linear,
 * higher; tickets weight 1, piecewise (0, 100) (10, 0): direction -1) and
 * relationship (weight 1: nps weight 1, linear, higher; sponsor weight 1,
 * boolean).  Current shares: login 3/4 x 2/3 = 0.5, tickets 3/4 x 1/3 =
 * 0.25, nps 1/4 x 1/2 = 0.125, sponsor 0.125.
 * Model features tickets, login_rate, nps, log_mrr with standardized
 * coefficients 0.5, -1.5, 0.25, -2 (intercept 0), set by hand:
 *  - tickets: b d = 0.5 x -1 < 0: "model"; login: -1.5 x 1 < 0: "model";
 *    nps: 0.25 x 1 > 0: "conflict" (share 0); sponsor: no feature: "kept"
 *    (0.125); log_mrr names no measure.
 *  - matched shares S = 0.5 + 0.25 + 0.125 = 0.875, shared by |b| (sum 2):
 *    login 0.875 x 1.5 / 2 = 0.65625, tickets 0.875 x 0.5 / 2 = 0.21875;
 *    they and sponsor add up to 1.
 *  - weights: usage's shares 0.875 of the group total 4: 3.5; relationship
 *    0.125 x 4 = 0.5.  In usage (measure weights total 3): login 0.65625 /
 *    0.875 x 3 = 2.25, tickets 0.25 x 3 = 0.75; in relationship (total 2):
 *    nps 0, sponsor 2.  Check: login 3.5/4 x 2.25/3 = 0.65625. */
static const char prop_spec[] =
    "{\"name\": \"t\", \"round\": 1, \"groups\": ["
    "{\"name\": \"usage\", \"weight\": 3, \"measures\": ["
    "{\"name\": \"login_rate\", \"weight\": 2, \"transform\": {\"type\": "
    "\"linear\", \"min\": 0, \"max\": 1}},"
    "{\"name\": \"tickets\", \"transform\": {\"type\": \"piecewise\", "
    "\"points\": [[0, 100], [10, 0]]}}]},"
    "{\"name\": \"relationship\", \"measures\": ["
    "{\"name\": \"nps\", \"transform\": {\"type\": \"linear\", \"min\": -100, "
    "\"max\": 100}},"
    "{\"name\": \"sponsor\", \"transform\": {\"type\": \"boolean\"}}]}],"
    "\"overrides\": [{\"name\": \"p1\", \"input\": \"open_p1\", \"op\": "
    "\">=\", \"value\": 1, \"action\": \"subtract\", \"points\": 10}]}";

/* the spec above, proposed (canonical JSON: every default written out) */
static const char prop_expected[] =
    "{\n"
    "  \"name\": \"t-proposed\",\n"
    "  \"aggregation\": \"weighted_average\",\n"
    "  \"missing\": \"renormalize\",\n"
    "  \"round\": 1,\n"
    "  \"bands\": [\n"
    "    {\n      \"name\": \"red\",\n      \"min\": 0.0\n    },\n"
    "    {\n      \"name\": \"yellow\",\n      \"min\": 40.0\n    },\n"
    "    {\n      \"name\": \"green\",\n      \"min\": 70.0\n    }\n"
    "  ],\n"
    "  \"groups\": [\n"
    "    {\n"
    "      \"name\": \"usage\",\n"
    "      \"weight\": 3.5,\n"
    "      \"measures\": [\n"
    "        {\n"
    "          \"name\": \"login_rate\",\n"
    "          \"weight\": 2.25,\n"
    "          \"direction\": \"higher\",\n"
    "          \"transform\": {\n"
    "            \"type\": \"linear\",\n"
    "            \"min\": 0.0,\n"
    "            \"max\": 1.0\n"
    "          },\n"
    "          \"missing\": \"renormalize\"\n"
    "        },\n"
    "        {\n"
    "          \"name\": \"tickets\",\n"
    "          \"weight\": 0.75,\n"
    "          \"direction\": \"higher\",\n"
    "          \"transform\": {\n"
    "            \"type\": \"piecewise\",\n"
    "            \"points\": [\n"
    "              [\n                0.0,\n                100.0\n              ],\n"
    "              [\n                10.0,\n                0.0\n              ]\n"
    "            ]\n"
    "          },\n"
    "          \"missing\": \"renormalize\"\n"
    "        }\n"
    "      ]\n"
    "    },\n"
    "    {\n"
    "      \"name\": \"relationship\",\n"
    "      \"weight\": 0.5,\n"
    "      \"measures\": [\n"
    "        {\n"
    "          \"name\": \"nps\",\n"
    "          \"weight\": 0.0,\n"
    "          \"direction\": \"higher\",\n"
    "          \"transform\": {\n"
    "            \"type\": \"linear\",\n"
    "            \"min\": -100.0,\n"
    "            \"max\": 100.0\n"
    "          },\n"
    "          \"missing\": \"renormalize\"\n"
    "        },\n"
    "        {\n"
    "          \"name\": \"sponsor\",\n"
    "          \"weight\": 2.0,\n"
    "          \"direction\": \"higher\",\n"
    "          \"transform\": {\n"
    "            \"type\": \"boolean\"\n"
    "          },\n"
    "          \"missing\": \"renormalize\"\n"
    "        }\n"
    "      ]\n"
    "    }\n"
    "  ],\n"
    "  \"overrides\": [\n"
    "    {\n"
    "      \"name\": \"p1\",\n"
    "      \"input\": \"open_p1\",\n"
    "      \"op\": \">=\",\n"
    "      \"value\": 1.0,\n"
    "      \"action\": \"subtract\",\n"
    "      \"points\": 10.0\n"
    "    }\n"
    "  ]\n"
    "}";

static const char *const prop_names[] = {"tickets", "login_rate", "nps",
                                         "log_mrr"};
static double prop_coef[] = {0.0, 0.5, -1.5, 0.25, -2.0};

static csm_health_scorecard *load_spec(const char *json) {
    csm_health_scorecard *sc = NULL;
    csm_error e;
    csm_status st = csm_health_scorecard_from_json(&sc, json, strlen(json),
                                                   NULL, &e);
    ck_assert_msg(st == CSM_OK, "%s", e.text);
    return sc;
}

/* A model with the given coefficients (the proposal reads n_features and
 * the coefficient column: row 0 the intercept, row j + 1 feature j). */
static csm_churn_model hand_model(double *coef, size_t p) {
    csm_churn_model m;
    memset(&m, 0, sizeof m);
    m.n_features = p;
    m.n_rows = p + 1;
    m.coefficient = coef;
    return m;
}

START_TEST(test_proposal_hand) {
    csm_health_scorecard *sc = load_spec(prop_spec);
    csm_churn_model m = hand_model(prop_coef, 4);
    csm_churn_proposal_opts o = CSM_CHURN_PROPOSAL_OPTS_INIT;
    o.name = "t-proposed";
    csm_churn_proposal *r = NULL;
    csm_health_scorecard *sc2 = NULL;
    csm_error e;
    csm_status st =
        csm_churn_proposal_compute(&r, &sc2, &m, prop_names, 4, sc, &o, &e);
    ck_assert_msg(st == CSM_OK, "%s", e.text);
    ck_assert_uint_eq(r->n_rows, 4);
    static const char *const name[] = {"login_rate", "tickets", "nps",
                                       "sponsor"};
    static const int32_t feature[] = {1, 0, 2, CSM_CODE_ALL};
    static const int32_t dir[] = {1, -1, 1, 1};
    static const char *const basis[] = {"model", "model", "conflict", "kept"};
    static const double cur[] = {0.5, 0.25, 0.125, 0.125};
    static const double prop[] = {0.65625, 0.21875, 0.0, 0.125};
    static const double weight[] = {2.25, 0.75, 0.0, 2.0};
    for (size_t k = 0; k < 4; k++) {
        ck_assert_int_eq(r->measure[k], (int32_t)k);
        ck_assert_str_eq(r->measure_name[k], name[k]);
        ck_assert_int_eq(r->feature[k], feature[k]);
        ck_assert_int_eq(r->direction[k], dir[k]);
        if (feature[k] == CSM_CODE_ALL)
            ck_assert(isnan(r->coefficient[k]));
        else
            ck_assert_double_eq(r->coefficient[k], prop_coef[feature[k] + 1]);
        ck_assert_str_eq(r->basis[k], basis[k]);
        ck_assert_double_eq_tol(r->current_share[k], cur[k], 1e-15);
        ck_assert_double_eq_tol(r->proposed_share[k], prop[k], 1e-15);
        ck_assert_double_eq_tol(r->proposed_weight[k], weight[k], 1e-15);
        ck_assert_double_eq_tol(csm_health_scorecard_measure_share(sc2, k),
                                prop[k], 1e-15);
    }
    char *json = NULL;
    size_t len = 0;
    ck_assert_int_eq(csm_health_scorecard_to_json(&json, &len, sc2, NULL), CSM_OK);
    ck_assert_str_eq(json, prop_expected);
    /* the text loads back as the same scorecard */
    csm_health_scorecard *back = load_spec(json);
    char *json2 = NULL;
    ck_assert_int_eq(csm_health_scorecard_to_json(&json2, NULL, back, NULL), CSM_OK);
    ck_assert_str_eq(json2, json);
    /* scoring with it: login 0.5 (50), tickets 2 (80), nps 100 (100),
     * sponsor 1 (100), open_p1 0: 0.65625 x 50 + 0.21875 x 80 + 0.125 x 100
     * = 32.8125 + 17.5 + 12.5 = 62.8125 -> 62.8 (round 1); nps's share 0
     * counts nothing however high */
    const double v[] = {0.5, 2, 100, 1, 0};
    csm_health *h = NULL;
    ck_assert_int_eq(csm_health_score(&h, back, v, 1, NULL, NULL), CSM_OK);
    ck_assert_double_eq_tol(h->raw_score[0], 62.8125, 1e-12);
    ck_assert_double_eq_tol(h->score[0], 62.8, 1e-12);
    csm_health_free(h);
    csm_health_scorecard_json_free(back, json2);
    csm_health_scorecard_free(back);
    csm_health_scorecard_json_free(sc2, json);
    /* the report alone, the scorecard's name kept */
    csm_churn_proposal_free(r);
    csm_health_scorecard_free(sc2);
    sc2 = NULL;
    ck_assert_int_eq(csm_churn_proposal_compute(NULL, &sc2, &m, prop_names, 4,
                                                sc, NULL, NULL),
                     CSM_OK);
    ck_assert_str_eq(csm_health_scorecard_measure_name(sc2, 0), "login_rate");
    char *j3 = NULL;
    ck_assert_int_eq(csm_health_scorecard_to_json(&j3, NULL, sc2, NULL), CSM_OK);
    ck_assert_ptr_nonnull(strstr(j3, "\"name\": \"t\",\n"));
    csm_health_scorecard_json_free(sc2, j3);
    csm_health_scorecard_free(sc2);
    ck_assert_int_eq(csm_churn_proposal_compute(&r, NULL, &m, prop_names, 4, sc,
                                                NULL, NULL),
                     CSM_OK);
    ck_assert_double_eq_tol(r->proposed_share[0], 0.65625, 1e-15);
    ck_assert_str_eq(csm_result_table(r->result, 0)->name, "churn_proposal");
    check_columns_sane(csm_result_table(r->result, 0));
    csm_churn_proposal_free(r);
    csm_health_scorecard_free(sc);
}
END_TEST

/* A fitted model: features tickets (fx) and sponsor (constant 1).  With
 * l2 = 1 tickets' coefficient is b1_l2_1() (the constant feature is left
 * out of the fit, test_fit_constant_feature) > 0: more tickets, more
 * churn; tickets' direction is -1 (lower scores better): "model".
 * sponsor's coefficient is 0 (constant): "kept".  tickets is the only
 * "model" measure, so it gets the matched shares S = its own: the shares
 * stay 0.5, 0.5 (groups a and b of weight 1). */
START_TEST(test_proposal_fitted) {
    double x[16];
    for (size_t i = 0; i < 8; i++) {
        x[2 * i] = fx[i];
        x[2 * i + 1] = 1.0;
    }
    csm_churn_model *m = fit(x, fy, 8, 2, 1.0);
    static const char spec[] =
        "{\"groups\": [{\"name\": \"a\", \"measures\": [{\"name\": \"tickets\", "
        "\"direction\": \"lower\", \"transform\": {\"type\": \"linear\", \"min\": 0, "
        "\"max\": 40}}]}, {\"name\": \"b\", \"measures\": [{\"name\": \"sponsor\", "
        "\"transform\": {\"type\": \"boolean\"}}]}]}";
    csm_health_scorecard *sc = load_spec(spec);
    const char *const names[] = {"tickets", "sponsor"};
    csm_churn_proposal *r = NULL;
    csm_health_scorecard *sc2 = NULL;
    csm_error e;
    csm_status st = csm_churn_proposal_compute(&r, &sc2, m, names, 2, sc, NULL, &e);
    ck_assert_msg(st == CSM_OK, "%s", e.text);
    ck_assert_double_eq_tol(r->coefficient[0], b1_l2_1(), 1e-8);
    ck_assert_double_eq(r->coefficient[1], 0.0);
    ck_assert_int_eq(r->direction[0], -1);
    ck_assert_str_eq(r->basis[0], "model");
    ck_assert_str_eq(r->basis[1], "kept");
    ck_assert_double_eq_tol(r->proposed_share[0], 0.5, 1e-15);
    ck_assert_double_eq_tol(r->proposed_share[1], 0.5, 1e-15);
    csm_churn_proposal_free(r);
    csm_health_scorecard_free(sc2);
    csm_health_scorecard_free(sc);
    csm_churn_model_free(m);
}
END_TEST

START_TEST(test_proposal_errors) {
    csm_health_scorecard *sc = load_spec(prop_spec);
    csm_churn_model m = hand_model(prop_coef, 4);
    csm_churn_proposal *r = NULL;
    csm_health_scorecard *sc2 = NULL;
    csm_error e;
    ck_assert_int_eq(csm_churn_proposal_compute(NULL, NULL, &m, prop_names, 4,
                                                sc, NULL, &e),
                     CSM_EINVAL);
    ck_assert_int_eq(csm_churn_proposal_compute(&r, &sc2, NULL, prop_names, 4,
                                                sc, NULL, &e),
                     CSM_EINVAL);
    ck_assert_str_eq(e.field, "model");
    ck_assert_int_eq(csm_churn_proposal_compute(&r, &sc2, &m, NULL, 4, sc, NULL,
                                                &e),
                     CSM_EINVAL);
    ck_assert_str_eq(e.field, "feature_names");
    ck_assert_int_eq(csm_churn_proposal_compute(&r, &sc2, &m, prop_names, 4,
                                                NULL, NULL, &e),
                     CSM_EINVAL);
    ck_assert_str_eq(e.field, "sc");
    ck_assert_int_eq(csm_churn_proposal_compute(&r, &sc2, &m, prop_names, 3, sc,
                                                NULL, &e),
                     CSM_EINVAL);
    ck_assert_str_eq(e.field, "p");
    const char *const dup[] = {"tickets", "nps", "login_rate", "nps"};
    ck_assert_int_eq(csm_churn_proposal_compute(&r, &sc2, &m, dup, 4, sc, NULL,
                                                &e),
                     CSM_EINVAL);
    ck_assert_str_eq(e.field, "feature_names");
    ck_assert_uint_eq(e.row, 3);
    const char *const null_name[] = {"tickets", NULL, "nps", "x"};
    ck_assert_int_eq(csm_churn_proposal_compute(&r, &sc2, &m, null_name, 4, sc,
                                                NULL, &e),
                     CSM_EINVAL);
    ck_assert_uint_eq(e.row, 1);
    csm_churn_proposal_opts o = CSM_CHURN_PROPOSAL_OPTS_INIT;
    o.name = "";
    ck_assert_int_eq(csm_churn_proposal_compute(&r, &sc2, &m, prop_names, 4, sc,
                                                &o, &e),
                     CSM_EINVAL);
    ck_assert_str_eq(e.field, "name");
    ck_assert_ptr_null(r);
    ck_assert_ptr_null(sc2);
    csm_health_scorecard_free(sc);
    /* every weighted measure in conflict: login_rate's coefficient +1 says
     * a higher login rate is riskier, and it is the only measure */
    sc = load_spec("{\"groups\": [{\"name\": \"g\", \"measures\": [{\"name\": "
                   "\"login_rate\", \"transform\": {\"type\": \"boolean\"}}]}]}");
    double c1[] = {0.0, 1.0};
    const char *const n1[] = {"login_rate"};
    m = hand_model(c1, 1);
    ck_assert_int_eq(csm_churn_proposal_compute(&r, &sc2, &m, n1, 1, sc, NULL,
                                                &e),
                     CSM_EDOMAIN);
    ck_assert_str_eq(e.field, "model");
    ck_assert_ptr_null(r);
    ck_assert_ptr_null(sc2);
    /* the opposite sign is "model" and takes the whole score */
    c1[1] = -1.0;
    ck_assert_int_eq(csm_churn_proposal_compute(&r, NULL, &m, n1, 1, sc, NULL,
                                                &e),
                     CSM_OK);
    ck_assert_str_eq(r->basis[0], "model");
    ck_assert_double_eq(r->proposed_share[0], 1.0);
    csm_churn_proposal_free(r);
    csm_health_scorecard_free(sc);
}
END_TEST

/* Every allocation fails in turn: ENOMEM, nothing leaks (the table through
 * opts.allocator, the scorecard through the scorecard's). */
START_TEST(test_proposal_oom) {
    int done = 0;
    for (long b = 0; b < 200 && !done; b++) {
        fail_ctx f = {b, 0};
        csm_allocator a = {fail_alloc, fail_free, &f, NULL};
        csm_health_scorecard_opts so = CSM_HEALTH_SCORECARD_OPTS_INIT;
        so.allocator = &a;
        f.budget = -1;
        csm_health_scorecard *sc = NULL;
        ck_assert_int_eq(csm_health_scorecard_from_json(&sc, prop_spec,
                                                        strlen(prop_spec), &so,
                                                        NULL),
                         CSM_OK);
        f.budget = b;
        csm_churn_model m = hand_model(prop_coef, 4);
        csm_churn_proposal_opts o = CSM_CHURN_PROPOSAL_OPTS_INIT;
        o.allocator = &a;
        csm_churn_proposal *r = NULL;
        csm_health_scorecard *sc2 = NULL;
        csm_status s =
            csm_churn_proposal_compute(&r, &sc2, &m, prop_names, 4, sc, &o, NULL);
        ck_assert(s == CSM_OK || s == CSM_ENOMEM);
        if (s != CSM_OK) {
            ck_assert_ptr_null(r);
            ck_assert_ptr_null(sc2);
        } else {
            ck_assert_double_eq_tol(csm_health_scorecard_measure_share(sc2, 0),
                                    0.65625, 1e-15);
        }
        done = s == CSM_OK;
        csm_churn_proposal_free(r);
        csm_health_scorecard_free(sc2);
        csm_health_scorecard_free(sc);
        ck_assert_int_eq(f.live, 0);
    }
    ck_assert(done);
}
END_TEST

int main(void) {
    Suite *s = suite_create("churn");
    TCase *tc = tcase_create("csm_churn_model_fit");
    tcase_add_test(tc, test_fit_ml);
    tcase_add_test(tc, test_fit_l2);
    tcase_add_test(tc, test_fit_constant_feature);
    tcase_add_test(tc, test_fit_intercept_only);
    tcase_add_loop_test(tc, test_fit_kkt, 0, 3);
    suite_add_tcase(s, tc);
    tc = tcase_create("csm_churn_model_score");
    tcase_add_test(tc, test_score);
    tcase_add_test(tc, test_score_top_term);
    suite_add_tcase(s, tc);
    tc = tcase_create("validation");
    tcase_add_test(tc, test_auc_hand);
    tcase_add_loop_test(tc, test_auc_naive, 0, 3);
    tcase_add_test(tc, test_validation_hand);
    suite_add_tcase(s, tc);
    tc = tcase_create("csm_churn_proposal_compute");
    tcase_add_test(tc, test_proposal_hand);
    tcase_add_test(tc, test_proposal_fitted);
    suite_add_tcase(s, tc);
    tc = tcase_create("tables");
    tcase_add_test(tc, test_tables);
    suite_add_tcase(s, tc);
    tc = tcase_create("edge");
    tcase_add_test(tc, test_separation);
    tcase_add_test(tc, test_fit_errors);
    tcase_add_test(tc, test_auc_edge);
    tcase_add_test(tc, test_validation_edge);
    tcase_add_test(tc, test_oom);
    tcase_add_test(tc, test_proposal_errors);
    tcase_add_test(tc, test_proposal_oom);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
