/* sbg.c - the shifted-beta-geometric model of Fader & Hardie: survivor
 * counts from lifetimes, the fit, the curve and projection, the expected
 * lifetime and the model-based lifetime value (DEL, DERL), and the model's
 * figures as a table. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "csmetrics/sbg.h"
#include "internal/special.h"
#include "internal/table.h"
#include "internal/util.h"

/* ---- options ------------------------------------------------------------- */

CSM__DEFINE_OPTS_INIT(csm_sbg_opts_init, csm_sbg_opts, CSM_SBG_OPTS_INIT)

CSM__DEFINE_OPTS_INIT(csm_sbg_survivors_opts_init, csm_sbg_survivors_opts,
                      CSM_SBG_SURVIVORS_OPTS_INIT)

/* ---- column descriptors ------------------------------------------------- */
#define SBG_COL(m, n, ty, st, r, d)                                            \
    CSM__COLDEF(csm_sbg_fits, m, n, ty, st, r, d)
static const csm__coldef sbg_cols[] = {CSM_SBG_COLUMNS(SBG_COL)};
#undef SBG_COL
#define SBG_FIELD(m, n, ty, st, r, d)                                          \
    CSM__FIELD_OFFSET(csm_sbg, m, n, ty, st, r, d)
static const size_t sbg_fields[] = {CSM_SBG_COLUMNS(SBG_FIELD)};
#undef SBG_FIELD
#define SURV_COL(m, n, ty, st, r, d)                                           \
    CSM__COLDEF(csm_sbg_survivors, m, n, ty, st, r, d)
static const csm__coldef survivor_cols[] = {CSM_SBG_SURVIVORS_COLUMNS(SURV_COL)};
#undef SURV_COL
#define CURVE_COL(m, n, ty, st, r, d)                                          \
    CSM__COLDEF(csm_sbg_projection, m, n, ty, st, r, d)
static const csm__coldef curve_cols[] = {CSM_SBG_CURVE_COLUMNS(CURVE_COL)};
#undef CURVE_COL
#define MODEL_COL(m, n, ty, st, r, d)                                          \
    CSM__COLDEF(csm_sbg_models, m, n, ty, st, r, d)
static const csm__coldef model_cols[] = {CSM_SBG_MODEL_COLUMNS(MODEL_COL)};
#undef MODEL_COL

/* ==== the fit ============================================================= */
/* The model's parameters: alpha and beta in (0, CSM_SBG_PARAM_MAX], else
 * CSM_EDOMAIN at `row` (CSM_NO_ROW for a lone pair).  The bound keeps
 * alpha + beta + t finite for every t the functions take. */
static csm_status check_ab_at(double alpha, double beta, size_t row,
                              csm_error *err) {
    if (!(alpha > 0.0 && alpha <= CSM_SBG_PARAM_MAX))
        return csm__fail(err, CSM_EDOMAIN, row, "alpha",
                         "alpha must be in (0, 1e300]");
    if (!(beta > 0.0 && beta <= CSM_SBG_PARAM_MAX))
        return csm__fail(err, CSM_EDOMAIN, row, "beta",
                         "beta must be in (0, 1e300]");
    return CSM_OK;
}

static csm_status check_ab(double alpha, double beta, csm_error *err) {
    return check_ab_at(alpha, beta, CSM_NO_ROW, err);
}

/* log-likelihood, gradient and Hessian in (alpha, beta) space */
typedef struct {
    double ll;
    double ga, gb;
    double haa, hab, hbb;
} sbg_eval;

static sbg_eval sbg_loglik(double a, double b, const double *alive,
                           const int32_t *cohort, size_t n) {
    sbg_eval e = {0, 0, 0, 0, 0, 0};
    csm__ksum ll = {0, 0};
    size_t i = 0;
    while (i < n) {
        size_t j = i + 1;
        while (j < n && cohort && cohort[j] == cohort[i])
            j++;
        if (!cohort)
            j = n;
        /* cohort rows [i, j): periods 0 .. j-i-1 */
        double lS = 0, dSa = 0, dSb = 0, hSaa = 0, hSab = 0, hSbb = 0;
        for (size_t q = i + 1; q < j; q++) {
            double t = (double)(q - i);
            double v = a + b + t - 1.0, u = b + t - 1.0;
            double lost = alive[q - 1] - alive[q];
            if (lost > 0.0) {
                csm__ksum_add(&ll, lost * (log(a) - log(v) + lS));
                e.ga += lost * (1.0 / a - 1.0 / v + dSa);
                e.gb += lost * (-1.0 / v + dSb);
                e.haa += lost * (-1.0 / (a * a) + 1.0 / (v * v) + hSaa);
                e.hab += lost * (1.0 / (v * v) + hSab);
                e.hbb += lost * (1.0 / (v * v) + hSbb);
            }
            lS += log(u) - log(v);
            dSa -= 1.0 / v;
            dSb += 1.0 / u - 1.0 / v;
            hSaa += 1.0 / (v * v);
            hSab += 1.0 / (v * v);
            hSbb += -1.0 / (u * u) + 1.0 / (v * v);
        }
        double last = alive[j - 1];
        if (last > 0.0 && j - i > 1) {
            csm__ksum_add(&ll, last * lS);
            e.ga += last * dSa;
            e.gb += last * dSb;
            e.haa += last * hSaa;
            e.hab += last * hSab;
            e.hbb += last * hSbb;
        }
        i = j;
    }
    e.ll = csm__ksum_value(&ll);
    return e;
}

/* keep |log alpha|, |log beta| below this; beyond, the fit has run off */
#define SBG_THETA_MAX 25.0
/* largest Newton step in (log alpha, log beta) accepted at convergence */
#define SBG_STEP_TOL 1e-6

CSM_API csm_status csm_sbg_fit(csm_sbg *out, const double *alive,
                               const int32_t *cohort, size_t n,
                               const csm_sbg_opts *opts, csm_error *err) {
    csm_error_clear(err);
    if (!out)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "out", "is NULL");
    memset(out, 0, sizeof *out);
    out->alpha = out->beta = out->se_alpha = out->se_beta = NAN;
    out->cov_alpha_beta = out->loglik = NAN;
    csm_sbg_opts o = CSM_SBG_OPTS_INIT;
    csm_status st = csm__opts_load(&o, sizeof o, opts, err);
    if (st != CSM_OK)
        return st;
    if (o.max_iter <= 0)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "opts.max_iter",
                         "must be > 0");
    if (!(isfinite(o.tol) && o.tol > 0.0))
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "opts.tol",
                         "must be positive and finite");
    if (!(isfinite(o.alpha0) && o.alpha0 > 0.0 && isfinite(o.beta0) &&
          o.beta0 > 0.0))
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "opts.alpha0",
                         "starting values must be positive and finite");
    if (!alive)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "alive", "is NULL");
    if (n == 0)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "n",
                         "no survivor counts");
    /* validate */
    size_t ncoh = 0, transitions = 0;
    int any_lost = 0, any_p1 = 0, any_p2 = 0;
    size_t start = 0; /* first row of the current cohort */
    csm__ksum n0 = {0, 0};
    for (size_t i = 0; i < n; i++) {
        int first = i == 0 || (cohort && cohort[i] != cohort[i - 1]);
        if (first)
            start = i;
        if (!csm__nonneg(alive[i]))
            return csm__fail(err, CSM_EDOMAIN, i, "alive",
                             "survivor count must be finite and >= 0");
        if (first) {
            if (i > 0 && cohort[i] < cohort[i - 1])
                return csm__fail(err, CSM_EDOMAIN, i, "cohort",
                                 "cohort labels must ascend (the rows of a "
                                 "cohort contiguous, in period order)");
            if (alive[i] == 0.0)
                return csm__fail(err, CSM_EDOMAIN, i, "alive",
                                 "a cohort's period-0 count must be > 0");
            ncoh++;
            csm__ksum_add(&n0, alive[i]);
        } else {
            if (alive[i] > alive[i - 1])
                return csm__fail(err, CSM_EDOMAIN, i, "alive",
                                 "survivors increase from the previous "
                                 "period");
            transitions++;
            any_lost |= alive[i] < alive[i - 1];
            if (i - start == 1 && alive[i] > 0.0)
                any_p1 = 1; /* someone survived period 1 */
            if (i - start == 2 && alive[i - 1] > 0.0)
                any_p2 = 1; /* survivors of period 1 observed again */
        }
    }
    if (transitions == 0)
        return csm__fail(err, CSM_EDOMAIN, CSM_NO_ROW, "alive",
                         "no cohort is observed beyond period 0");
    if (!any_lost)
        return csm__fail(err, CSM_ENOCONV, CSM_NO_ROW, "alive",
                         "nobody churned: the maximum-likelihood beta is "
                         "infinite");
    if (!any_p1)
        return csm__fail(err, CSM_ENOCONV, CSM_NO_ROW, "alive",
                         "everybody churned in period 1: the "
                         "maximum-likelihood beta is 0");
    if (!any_p2)
        return csm__fail(err, CSM_EDOMAIN, CSM_NO_ROW, "alive",
                         "survivors of period 1 must be observed in period 2 "
                         "to identify alpha and beta (one period only "
                         "gives alpha/(alpha+beta))");
    out->n_cohorts = (int64_t)ncoh;
    out->n_customers = csm__ksum_value(&n0);

    double th[2] = {log(o.alpha0), log(o.beta0)};
    sbg_eval e = sbg_loglik(o.alpha0, o.beta0, alive, cohort, n);
    int conv = 0, it = 0;
    for (;;) {
        double a = exp(th[0]), b = exp(th[1]);
        double g0 = a * e.ga, g1 = b * e.gb;
        double gmax = fmax(fabs(g0), fabs(g1));
        /* M = -(Hessian in theta); make it positive definite */
        double m11 = -(a * a * e.haa + g0), m22 = -(b * b * e.hbb + g1);
        double m12 = -(a * b * e.hab);
        double mean = 0.5 * (m11 + m22);
        double rad = sqrt(0.25 * (m11 - m22) * (m11 - m22) + m12 * m12);
        double emin = mean - rad, emax = mean + rad;
        double lam = 0.0;
        if (!(emin > 1e-10 * fmax(1.0, fabs(emax))))
            lam = -emin + 1e-3 * (1.0 + fabs(emax));
        m11 += lam;
        m22 += lam;
        double det = m11 * m22 - m12 * m12;
        double p0 = (m22 * g0 - m12 * g1) / det;
        double p1 = (m11 * g1 - m12 * g0) / det;
        double pmax = fmax(fabs(p0), fabs(p1));
        if (!isfinite(pmax))
            break;
        /* converged: a small gradient, a well-conditioned negative
         * definite Hessian (lam == 0) and a small Newton step; a flat
         * ridge towards infinity has the first but not the others */
        const int newton_ok = lam == 0.0 && pmax <= SBG_STEP_TOL;
        if (gmax <= o.tol * (1.0 + fabs(e.ll)) && newton_ok) {
            conv = 1;
            break;
        }
        if (it >= o.max_iter)
            break;
        if (pmax > 5.0) {
            p0 *= 5.0 / pmax;
            p1 *= 5.0 / pmax;
        }
        double slope = g0 * p0 + g1 * p1;
        double step = 1.0;
        sbg_eval en;
        int ok = 0;
        while (step > 1e-12) {
            double t0 = th[0] + step * p0, t1 = th[1] + step * p1;
            en = sbg_loglik(exp(t0), exp(t1), alive, cohort, n);
            if (isfinite(en.ll) && en.ll >= e.ll + 1e-4 * step * slope) {
                th[0] = t0;
                th[1] = t1;
                ok = 1;
                break;
            }
            step *= 0.5;
        }
        it++;
        if (!ok) {
            /* no further increase in floating point: accept when the
             * gradient is already small */
            conv = gmax <= 1e-6 * (1.0 + fabs(e.ll)) && newton_ok;
            break;
        }
        e = en;
        if (fabs(th[0]) > SBG_THETA_MAX || fabs(th[1]) > SBG_THETA_MAX)
            break;
    }
    double a = exp(th[0]), b = exp(th[1]);
    out->alpha = a;
    out->beta = b;
    out->loglik = e.ll;
    out->iterations = it;
    out->converged = conv;
    /* observed information in (alpha, beta) space */
    double i11 = -e.haa, i22 = -e.hbb, i12 = -e.hab;
    double det = i11 * i22 - i12 * i12;
    if (i11 > 0.0 && det > 0.0 && isfinite(det)) {
        out->se_alpha = sqrt(i22 / det);
        out->se_beta = sqrt(i11 / det);
        out->cov_alpha_beta = -i12 / det;
    } else {
        out->flags |= CSM_FLAG_DEGENERATE;
    }
    if (!conv)
        return csm__fail(err, CSM_ENOCONV, CSM_NO_ROW, "alive",
                         "sBG fit did not converge (estimates run off to "
                         "infinity: retention does not rise over time; or "
                         "too few iterations)");
    return CSM_OK;
}

CSM_API csm_status csm_sbg_table(csm_sbg_fits **out, const csm_sbg *fits,
                                 size_t n, const csm_result_opts *opts,
                                 csm_error *err) {
    csm_error_clear(err);
    if (!out)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "out", "is NULL");
    *out = NULL;
    if (n > 0 && !fits)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "fits",
                         "is NULL while n > 0");
    const csm_allocator *alloc = NULL;
    csm_status st = csm__result_opts_load(opts, &alloc, err);
    if (st != CSM_OK)
        return st;
    csm_sbg_fits *t = csm__result_from_structs(
        alloc, "sbg", sizeof *t, "sbg", sbg_cols, sbg_fields,
        CSM__NCOLS(sbg_cols), fits, n, sizeof *fits);
    if (!t)
        return csm__fail(err, CSM_ENOMEM, CSM_NO_ROW, NULL, NULL);
    *out = t;
    return CSM_OK;
}

CSM__DEFINE_RESULT_FREE(csm_sbg_fits_free, csm_sbg_fits)

/* ==== survivor counts from lifetimes ======================================= */
CSM__DEFINE_RESULT_FREE(csm_sbg_survivors_free, csm_sbg_survivors)

typedef struct {
    int32_t m; /* first month */
    double d, w;
    size_t row;
} surv_obs;

static int cmp_surv(const void *x, const void *y) {
    const surv_obs *p = x, *q = y;
    if (p->m != q->m)
        return p->m < q->m ? -1 : 1;
    return (p->row > q->row) - (p->row < q->row);
}

/* Whether a lifetime of first month c, duration d and weight w is
 * counted: in a cohort of [lo, hi] before as_of (a cohort of as_of is
 * seen at age 0 only), of positive weight and duration (a lifetime of 0
 * months is alive at no age). */
static int counted(int32_t c, double d, double w, int64_t lo, int64_t hi,
                   int32_t as_of) {
    return c != CSM_MONTH_NONE && c >= lo && c <= hi && c < as_of &&
           d > 0.0 && w > 0.0;
}

CSM_API csm_status csm_sbg_survivors_from_lifetimes(
    csm_sbg_survivors **out, const int32_t *first_month,
    const double *duration, const double *weight, size_t n,
    const csm_sbg_survivors_opts *opts, csm_error *err) {
    csm_error_clear(err);
    if (!out)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "out", "is NULL");
    *out = NULL;
    csm_sbg_survivors_opts o = CSM_SBG_SURVIVORS_OPTS_INIT;
    csm_status st = csm__opts_load(&o, sizeof o, opts, err);
    if (st != CSM_OK)
        return st;
    if (n > 0 && !first_month)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "first_month",
                         "is NULL while n > 0");
    if (n > 0 && !duration)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "duration",
                         "is NULL while n > 0");
    int32_t as_of = o.as_of;
    for (size_t i = 0; i < n; i++) {
        if (!csm_month_valid(first_month[i]))
            return csm__fail(err, CSM_EDOMAIN, i, "first_month",
                             "month outside [CSM_MONTH_MIN, CSM_MONTH_MAX] "
                             "(years 0001..9999)");
        if (!csm__nonneg(duration[i]))
            return csm__fail(err, CSM_EDOMAIN, i, "duration",
                             "duration must be finite and >= 0");
        if (weight && !csm__nonneg(weight[i]))
            return csm__fail(err, CSM_EDOMAIN, i, "weight",
                             "weight must be finite and >= 0");
        if (o.as_of == CSM_MONTH_NONE &&
            (as_of == CSM_MONTH_NONE || first_month[i] > as_of))
            as_of = first_month[i];
    }
    const int64_t lo = o.first_cohort == CSM_MONTH_NONE
                           ? INT64_MIN
                           : (int64_t)o.first_cohort;
    const int64_t hi = o.last_cohort == CSM_MONTH_NONE
                           ? INT64_MAX
                           : (int64_t)o.last_cohort;
    const csm_allocator *a = o.allocator;
    st = csm__alloc_check(a, "opts.allocator", err);
    if (st != CSM_OK)
        return st;
    /* the lifetimes counted */
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        m += counted(first_month[i], duration[i], weight ? weight[i] : 1.0,
                     lo, hi, as_of);
    surv_obs *obs = csm__alloc_array(a, m, sizeof *obs);
    if (!obs && m > 0)
        return csm__fail(err, CSM_ENOMEM, CSM_NO_ROW, NULL, NULL);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        const double w = weight ? weight[i] : 1.0;
        if (counted(first_month[i], duration[i], w, lo, hi, as_of)) {
            obs[k].m = first_month[i];
            obs[k].d = duration[i];
            obs[k].w = w;
            obs[k].row = i;
            k++;
        }
    }
    if (m > 1)
        qsort(obs, m, sizeof *obs, cmp_surv);
    /* rows: ages 0 .. as_of - c of each cohort present */
    size_t nrows = 0, ncoh = 0;
    for (size_t i = 0; i < m; i++) {
        if (i > 0 && obs[i].m == obs[i - 1].m)
            continue;
        const uint64_t ages = (uint64_t)((int64_t)as_of - obs[i].m) + 1;
        if (ages > SIZE_MAX - nrows) {
            csm__free(a, obs);
            return csm__fail(err, CSM_ERANGE, CSM_NO_ROW, "as_of",
                             "too many cohort ages");
        }
        nrows += (size_t)ages;
        ncoh++;
    }
    const csm__tabspec tab = {"sbg_survivors", survivor_cols,
                              CSM__NCOLS(survivor_cols), nrows};
    csm_sbg_survivors *s =
        csm__result_new(a, "sbg_survivors", sizeof *s, &tab, 1, NULL, 0, 0);
    if (!s) {
        csm__free(a, obs);
        return csm__fail(err, CSM_ENOMEM, CSM_NO_ROW, NULL, NULL);
    }
    s->n_rows = nrows;
    s->n_cohorts = ncoh;
    s->as_of = as_of;
    size_t r0 = 0;
    for (size_t i = 0; i < m;) {
        const int32_t c = obs[i].m;
        const size_t na = (size_t)((int64_t)as_of - c) + 1; /* ages 0..A */
        /* alive[r0 + a - 1] += w for the last age a < d a lifetime
         * survives (a = min(A, ceil(d) - 1)); then suffix sums give
         * alive(a) = weight of the lifetimes with d > a */
        for (; i < m && obs[i].m == c; i++) {
            const double d = obs[i].d; /* > 0 */
            size_t last = d >= (double)na ? na - 1 : (size_t)ceil(d) - 1;
            s->alive[r0 + last] += obs[i].w;
        }
        for (size_t q = na; q-- > 0;) {
            if (q + 1 < na)
                s->alive[r0 + q] += s->alive[r0 + q + 1];
            s->cohort[r0 + q] = c;
            s->age[r0 + q] = (int32_t)q;
        }
        r0 += na;
    }
    csm__free(a, obs);
    *out = s;
    return CSM_OK;
}
/* Stirling's series of lgamma without its leading terms: lgamma(x) =
 * (x - 1/2) ln x - x + ln(2 pi)/2 + stirling_tail(x); for x >= 16 the
 * first omitted term is below 691 / (360360 x^11) < 1e-16. */
static double stirling_tail(double x) {
    const double r = 1.0 / x, r2 = r * r;
    return r * (1.0 / 12 -
                r2 * (1.0 / 360 -
                      r2 * (1.0 / 1260 - r2 * (1.0 / 1680 - r2 / 1188))));
}

/* ln S(t) = ln [B(a, b + t) / B(a, b)] = sum_{i<t} ln((b + i)/(a + b + i))
 * = -sum_{i<t} log1p(a / (b + i)), accurate for every a, b in (0, 1e300]
 * (the lgamma difference lgamma(b+t) - lgamma(b) + lgamma(a+b) -
 * lgamma(a+b+t) cancels: at a = b = 1e12 it loses 15 of 16 digits).  The
 * first 16 terms are summed; the rest, with x = b + 16, c = a + b + 16
 * and m = t - 16, come from Stirling's series rearranged so that no two
 * large terms cancel:
 *   lgamma(x+m) - lgamma(x) - lgamma(c+m) + lgamma(c)
 *     = (x - 1/2) log1p(m a / (x (c + m))) - a log1p(m / c)
 *       - m log1p(a / (x + m)) + tails
 * (x - 1/2) log1p(m/x) - (c - 1/2) log1p(m/c) regrouped with
 * log1p(m/x) - log1p(m/c) = log1p(m (c - x) / (x (c + m))), c - x = a,
 * and ln(x + m) - ln(c + m) = -log1p(a / (x + m))). */
static double sbg_log_survival(double a, double b, int32_t t) {
    enum { DIRECT = 16 };
    csm__ksum s = {0, 0};
    const int32_t k = t < DIRECT ? t : DIRECT;
    for (int32_t i = 0; i < k; i++) {
        /* a / b overflows when b is tiny (a denormal beta): the factor
         * b / (a + b) is 0 then, and so is S; a -inf term would make the
         * compensated sum NaN (inf - inf in its correction) */
        const double q = a / (b + (double)i);
        if (isinf(q))
            return -INFINITY;
        csm__ksum_add(&s, -log1p(q));
    }
    if (t > DIRECT) {
        const double x = b + DIRECT, c = (a + b) + DIRECT;
        const double m = (double)t - DIRECT;
        csm__ksum_add(&s, (x - 0.5) * log1p((m / x) * (a / (c + m))));
        csm__ksum_add(&s, -a * log1p(m / c));
        csm__ksum_add(&s, -m * log1p(a / (x + m)));
        csm__ksum_add(&s, (stirling_tail(x + m) - stirling_tail(x)) -
                              (stirling_tail(c + m) - stirling_tail(c)));
    }
    return csm__ksum_value(&s);
}

CSM_API csm_status csm_sbg_survival(double *out, double alpha, double beta,
                                    int32_t t, csm_error *err) {
    csm_error_clear(err);
    if (!out)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "out", "is NULL");
    *out = NAN;
    csm_status st = check_ab(alpha, beta, err);
    if (st != CSM_OK)
        return st;
    if (t < 0)
        return csm__fail(err, CSM_EDOMAIN, CSM_NO_ROW, "t", "t must be >= 0");
    const double v = exp(sbg_log_survival(alpha, beta, t));
    *out = v > 1.0 ? 1.0 : v; /* S <= 1 */
    return CSM_OK;
}

CSM_API csm_status csm_sbg_curve(double *survival, double *retention,
                                 double *churn, size_t n, double alpha,
                                 double beta, csm_error *err) {
    csm_error_clear(err);
    if (n > 0 && !survival && !retention && !churn)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "survival",
                         "all output arrays are NULL");
    csm_status st = check_ab(alpha, beta, err);
    if (st != CSM_OK)
        return st;
    double S = 1.0;
    for (size_t t = 0; t < n; t++) {
        double r = NAN, p = 0.0, Sn = S;
        if (t > 0) {
            /* t - 1 added last, whole: alpha + beta + t - 1 at t = 1 is
             * alpha + beta, never the 0 of (alpha + beta + 1) - 1 when
             * alpha + beta < 1e-16 */
            const double t1 = (double)t - 1.0;
            const double v = (alpha + beta) + t1;
            r = (beta + t1) / v;
            p = S * (alpha / v); /* S(t-1) (1 - r(t)) */
            Sn = S * r;
        }
        if (survival)
            survival[t] = Sn;
        if (retention)
            retention[t] = r;
        if (churn)
            churn[t] = p;
        S = Sn;
    }
    return CSM_OK;
}

CSM_API csm_status csm_sbg_project(csm_sbg_projection **out,
                                   size_t n_periods, double alpha,
                                   double beta, double cohort_size,
                                   const csm_result_opts *opts,
                                   csm_error *err) {
    csm_error_clear(err);
    if (!out)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "out", "is NULL");
    *out = NULL;
    csm_status st = check_ab(alpha, beta, err);
    if (st != CSM_OK)
        return st;
    const csm_allocator *alloc = NULL;
    st = csm__result_opts_load(opts, &alloc, err);
    if (st != CSM_OK)
        return st;
    if (!csm__nonneg(cohort_size))
        return csm__fail(err, CSM_EDOMAIN, CSM_NO_ROW, "cohort_size",
                         "cohort size must be finite and >= 0");
    if (n_periods > (size_t)INT32_MAX + 1)
        return csm__fail(err, CSM_ERANGE, CSM_NO_ROW, "n_periods",
                         "periods beyond INT32_MAX");
    const csm__tabspec tab = {"sbg_curve", curve_cols, CSM__NCOLS(curve_cols),
                              n_periods};
    csm_sbg_projection *p =
        csm__result_new(alloc, "sbg_curve", sizeof *p, &tab, 1, NULL, 0, 0);
    if (!p)
        return csm__fail(err, CSM_ENOMEM, CSM_NO_ROW, NULL, NULL);
    p->n_rows = n_periods;
    p->alpha = alpha;
    p->beta = beta;
    p->cohort_size = cohort_size;
    /* the model's values come from csm_sbg_curve: one formula */
    st = csm_sbg_curve(p->survival, p->retention, p->churn, n_periods, alpha,
                       beta, err);
    if (st != CSM_OK) { /* not reached: the inputs were checked above */
        csm_sbg_projection_free(p);
        return st;
    }
    for (size_t t = 0; t < n_periods; t++) {
        p->period[t] = (int32_t)t;
        p->survivors[t] = cohort_size * p->survival[t];
        p->churned[t] = cohort_size * p->churn[t];
    }
    *out = p;
    return CSM_OK;
}

CSM__DEFINE_RESULT_FREE(csm_sbg_projection_free, csm_sbg_projection)

CSM_API csm_status csm_sbg_expected_lifetime(double *out, uint32_t *flags,
                                             double alpha, double beta,
                                             csm_error *err) {
    csm_error_clear(err);
    if (!out)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "out", "is NULL");
    *out = NAN;
    csm_status st = check_ab(alpha, beta, err);
    if (st != CSM_OK)
        return st;
    if (alpha <= 1.0) {
        if (flags)
            *flags |= CSM_FLAG_INFINITE;
        return CSM_OK;
    }
    *out = (alpha + beta - 1.0) / (alpha - 1.0);
    return CSM_OK;
}

CSM_API csm_status csm_sbg_hyp2f1(double *out, double a, double b, double c,
                                  double z, csm_error *err) {
    csm_error_clear(err);
    if (!out)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "out", "is NULL");
    *out = NAN;
    if (!(isfinite(a) && a > 0.0))
        return csm__fail(err, CSM_EDOMAIN, CSM_NO_ROW, "a",
                         "a must be positive and finite");
    if (!(isfinite(b) && b > 0.0))
        return csm__fail(err, CSM_EDOMAIN, CSM_NO_ROW, "b",
                         "b must be positive and finite");
    if (!(isfinite(c) && c > 0.0))
        return csm__fail(err, CSM_EDOMAIN, CSM_NO_ROW, "c",
                         "c must be positive and finite");
    if (!(z >= 0.0 && z < 1.0))
        return csm__fail(err, CSM_EDOMAIN, CSM_NO_ROW, "z",
                         "z must be in [0, 1)");
    /* the series itself: lib/special.c */
    return csm__hyp2f1(out, a, b, c, z, err);
}

static csm_status check_discount(double d, csm_error *err) {
    if (!(isfinite(d) && d > 0.0))
        return csm__fail(err, CSM_EDOMAIN, CSM_NO_ROW, "discount",
                         "discount rate must be positive and finite");
    return CSM_OK;
}

CSM_API csm_status csm_sbg_del(double *out, double alpha, double beta,
                               double discount, csm_error *err) {
    csm_error_clear(err);
    if (!out)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "out", "is NULL");
    *out = NAN;
    csm_status st = check_ab(alpha, beta, err);
    if (st == CSM_OK)
        st = check_discount(discount, err);
    if (st != CSM_OK)
        return st;
    return csm_sbg_hyp2f1(out, 1.0, beta, alpha + beta,
                          1.0 / (1.0 + discount), err);
}

CSM_API csm_status csm_sbg_derl(double *out, double alpha, double beta,
                                double discount, int32_t n_renewals,
                                csm_error *err) {
    csm_error_clear(err);
    if (!out)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "out", "is NULL");
    *out = NAN;
    csm_status st = check_ab(alpha, beta, err);
    if (st == CSM_OK)
        st = check_discount(discount, err);
    if (st != CSM_OK)
        return st;
    if (n_renewals < 0)
        return csm__fail(err, CSM_EDOMAIN, CSM_NO_ROW, "n_renewals",
                         "number of renewals must be >= 0");
    double nd = (double)n_renewals;
    double h;
    st = csm_sbg_hyp2f1(&h, 1.0, beta + nd + 1.0, alpha + beta + nd + 1.0,
                        1.0 / (1.0 + discount), err);
    if (st != CSM_OK)
        return st;
    *out = (beta + nd) / (alpha + beta + nd) * h;
    return CSM_OK;
}

static csm_status check_margin(double margin, csm_error *err) {
    if (!isfinite(margin))
        return csm__fail(err, CSM_EDOMAIN, CSM_NO_ROW, "margin",
                         "margin must be finite");
    return CSM_OK;
}

CSM_API csm_status csm_sbg_ltv_new(double *out, double alpha, double beta,
                                   double margin, double discount,
                                   csm_error *err) {
    csm_error_clear(err);
    if (!out)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "out", "is NULL");
    *out = NAN;
    csm_status st = check_margin(margin, err);
    if (st != CSM_OK)
        return st;
    double del;
    st = csm_sbg_del(&del, alpha, beta, discount, err);
    if (st != CSM_OK)
        return st;
    *out = margin * del;
    return CSM_OK;
}

CSM_API csm_status csm_sbg_ltv_existing(double *out, double alpha,
                                        double beta, double margin,
                                        double discount, int32_t n_renewals,
                                        csm_error *err) {
    csm_error_clear(err);
    if (!out)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "out", "is NULL");
    *out = NAN;
    csm_status st = check_margin(margin, err);
    if (st != CSM_OK)
        return st;
    double derl;
    st = csm_sbg_derl(&derl, alpha, beta, discount, n_renewals, err);
    if (st != CSM_OK)
        return st;
    *out = margin * derl;
    return CSM_OK;
}

/* A fit-taking call given no fit: *out (if any) NaN, CSM_EINVAL. */
static csm_status no_fit(double *out, csm_error *err) {
    csm_error_clear(err);
    if (out)
        *out = NAN;
    return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "fit", "is NULL");
}

CSM_API csm_status csm_sbg_fit_ltv_new(double *out, const csm_sbg *fit,
                                       double margin, double discount,
                                       csm_error *err) {
    if (!fit)
        return no_fit(out, err);
    return csm_sbg_ltv_new(out, fit->alpha, fit->beta, margin, discount, err);
}

CSM_API csm_status csm_sbg_fit_ltv_existing(double *out, const csm_sbg *fit,
                                            double margin, double discount,
                                            int32_t n_renewals,
                                            csm_error *err) {
    if (!fit)
        return no_fit(out, err);
    return csm_sbg_ltv_existing(out, fit->alpha, fit->beta, margin, discount,
                                n_renewals, err);
}

/* ==== the model's figures as a table ======================================= */
CSM__DEFINE_RESULT_FREE(csm_sbg_models_free, csm_sbg_models)

CSM_API csm_status csm_sbg_model(csm_sbg_models **out, const csm_sbg *fits,
                                 size_t n, double margin, double discount,
                                 const csm_result_opts *opts,
                                 csm_error *err) {
    csm_error_clear(err);
    if (!out)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "out", "is NULL");
    *out = NULL;
    if (n > 0 && !fits)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "fits",
                         "is NULL while n > 0");
    csm_status st = check_margin(margin, err);
    if (st == CSM_OK)
        st = check_discount(discount, err);
    if (st != CSM_OK)
        return st;
    for (size_t i = 0; i < n && st == CSM_OK; i++)
        st = check_ab_at(fits[i].alpha, fits[i].beta, i, err);
    if (st != CSM_OK)
        return st;
    const csm_allocator *alloc = NULL;
    st = csm__result_opts_load(opts, &alloc, err);
    if (st != CSM_OK)
        return st;
    const csm__tabspec tab = {"sbg_model", model_cols, CSM__NCOLS(model_cols),
                              n};
    csm_sbg_models *m =
        csm__result_new(alloc, "sbg_model", sizeof *m, &tab, 1, NULL, 0, 0);
    if (!m)
        return csm__fail(err, CSM_ENOMEM, CSM_NO_ROW, NULL, NULL);
    m->n_rows = n;
    /* every figure comes from its own function: one formula each */
    for (size_t i = 0; i < n && st == CSM_OK; i++) {
        double a = fits[i].alpha, b = fits[i].beta;
        m->model_alpha[i] = a;
        m->model_beta[i] = b;
        m->margin[i] = margin;
        m->discount[i] = discount;
        st = csm_sbg_expected_lifetime(&m->expected_lifetime[i],
                                       &m->model_flags[i], a, b, err);
        if (st == CSM_OK)
            st = csm_sbg_del(&m->del[i], a, b, discount, err);
        if (st == CSM_OK)
            st = csm_sbg_ltv_new(&m->ltv_new[i], a, b, margin, discount, err);
    }
    if (st != CSM_OK) { /* CSM_ENOCONV: a discount too small for 2F1 */
        csm_sbg_models_free(m);
        return st;
    }
    *out = m;
    return CSM_OK;
}
