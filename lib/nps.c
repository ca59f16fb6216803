/* nps.c - NPS (plain, from counts, weighted), two-period comparison, CSAT
 * and CES (pure functions: no allocation), their counts forms, their
 * result tables and their partial states (score counts by group). */
#include <math.h>
#include <string.h>

#include "csmetrics/nps.h"
#include "csmetrics/csat.h"
#include "csmetrics/ces.h"
#include "internal/sort.h"
#include "internal/table.h"
#include "internal/partial.h"
#include "internal/util.h"

CSM__DEFINE_OPTS_INIT(csm_nps_opts_init, csm_nps_opts, CSM_NPS_OPTS_INIT)
CSM__DEFINE_OPTS_INIT(csm_csat_opts_init, csm_csat_opts, CSM_CSAT_OPTS_INIT)
CSM__DEFINE_OPTS_INIT(csm_ces_opts_init, csm_ces_opts, CSM_CES_OPTS_INIT)

/* The checks the survey scores share: a confidence level in (0, 1), a
 * scale [scale_min, scale_max] that is not empty or a point, and the
 * arguments of a call on n scores (out; scores NULL while n > 0, after
 * clearing err). */
static csm_status check_confidence(double c, csm_error *err) {
    if (!(c > 0.0 && c < 1.0))
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "opts.confidence",
                         "confidence must be in (0, 1)");
    return CSM_OK;
}

static csm_status check_scale(int32_t scale_min, int32_t scale_max,
                              csm_error *err) {
    if (scale_min >= scale_max)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "opts.scale_max",
                         "scale_max must be greater than scale_min");
    return CSM_OK;
}

static csm_status check_scores_args(const void *out, const int8_t *scores,
                                    size_t n, csm_error *err) {
    csm_error_clear(err);
    if (!out)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "out", "is NULL");
    if (n > 0 && !scores)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "scores",
                         "array is NULL while n > 0");
    return CSM_OK;
}

static double z_of(double confidence) {
    return csm__norm_quantile(0.5 + 0.5 * confidence);
}

/* Fill out from weighted category sums and the effective sample size. */
static void nps_finish(csm_nps_result *out, double np, double nq, double nd,
                       double n_eff, double confidence) {
    memset(out, 0, sizeof *out);
    out->confidence = confidence;
    out->n_promoters = np;
    out->n_passives = nq;
    out->n_detractors = nd;
    csm__ksum k = {0, 0};
    csm__ksum_add(&k, np);
    csm__ksum_add(&k, nq);
    csm__ksum_add(&k, nd);
    double n = csm__ksum_value(&k);
    out->n = n;
    out->n_effective = n_eff;
    if (!(n > 0.0)) {
        out->nps = out->promoters = out->passives = out->detractors = NAN;
        out->se = out->ci_low = out->ci_high = NAN;
        out->flags = CSM_FLAG_EMPTY;
        return;
    }
    double p = np / n, q = nq / n, d = nd / n;
    out->promoters = p;
    out->passives = q;
    out->detractors = d;
    out->nps = 100.0 * (p - d);
    double var = p + d - (p - d) * (p - d);
    if (var < 0)
        var = 0; /* rounding */
    out->se = 100.0 * sqrt(var / n_eff);
    if (out->se == 0.0)
        out->flags |= CSM_FLAG_DEGENERATE;
    double z = z_of(confidence);
    out->ci_low = out->nps - z * out->se;
    out->ci_high = out->nps + z * out->se;
    if (out->ci_low < -100.0) {
        out->ci_low = -100.0;
        out->flags |= CSM_FLAG_CLAMPED;
    }
    if (out->ci_high > 100.0) {
        out->ci_high = 100.0;
        out->flags |= CSM_FLAG_CLAMPED;
    }
}

static csm_status load_nps_opts(csm_nps_opts *o, const csm_nps_opts *opts,
                                csm_error *err) {
    csm_nps_opts d = CSM_NPS_OPTS_INIT;
    *o = d;
    csm_status st = csm__opts_load(o, sizeof *o, opts, err);
    if (st != CSM_OK)
        return st;
    return check_confidence(o->confidence, err);
}

/* The weighted category sums of one NPS (one group's): promoters,
 * passives and detractors, in input order, and the squared weights
 * scaled by the largest weight so far (sum w^2 = scale^2 x ssq, as
 * LAPACK's dnrm2 keeps it): squares of weights of 1e-170 would underflow
 * to 0 and of 1e170 overflow, and Kish's n_eff, scale-free in theory,
 * must be so in doubles. */
typedef struct {
    csm__ksum kp, kq, kd, ssq;
    double scale;
} nps_acc;

/* Row i's score and weight; *wsum (the weights so far) must stay within
 * CSM_SUM_MAX, or the weight sums would overflow. */
static csm_status nps_check(const int8_t *scores, const double *weights,
                            size_t i, double *wsum, csm_error *err) {
    int s = scores[i];
    if (s < 0 || s > 10)
        return csm__fail(err, CSM_EDOMAIN, i, "scores",
                         "an NPS score must be an integer 0..10");
    if (weights && !csm__nonneg(weights[i]))
        return csm__fail(err, CSM_EDOMAIN, i, "weights",
                         "weights must be finite and >= 0");
    if (!csm__sum_bound_add(wsum, weights ? weights[i] : 1.0))
        return csm__fail(err, CSM_ERANGE, i, "weights",
                         "the weights sum beyond CSM_SUM_MAX (1e300)");
    return CSM_OK;
}

/* The category of an NPS score 0..10: 0 promoter (9-10), 1 passive (7-8),
 * 2 detractor (0-6). */
static int nps_category(int score) { return score >= 9 ? 0 : score >= 7 ? 1 : 2; }

static void nps_add(nps_acc *a, int score, double w) {
    csm__ksum *cat[3] = {&a->kp, &a->kq, &a->kd};
    csm__ksum_add(cat[nps_category(score)], w);
    if (w > a->scale) { /* rescale the squares so far to the new largest */
        const double r = a->scale / w;
        a->ssq.s *= r * r;
        a->ssq.c *= r * r;
        a->scale = w;
    }
    if (w > 0.0) {
        const double u = w / a->scale;
        csm__ksum_add(&a->ssq, u * u);
    }
}

/* n_eff: the count unweighted (the weights are all 1, so ssq counts the
 * responses exactly), Kish's (sum w)^2 / sum w^2 = (sum w / scale)^2 /
 * ssq weighted. */
static void nps_acc_finish(csm_nps_result *out, const nps_acc *a,
                           int weighted, double confidence) {
    double np = csm__ksum_value(&a->kp), nq = csm__ksum_value(&a->kq),
           nd = csm__ksum_value(&a->kd);
    const double ssq = csm__ksum_value(&a->ssq);
    double n_eff = ssq;
    if (weighted) {
        const double sws = a->scale > 0.0 ? (np + nq + nd) / a->scale : 0.0;
        n_eff = ssq > 0.0 ? sws * sws / ssq : 0.0;
    }
    nps_finish(out, np, nq, nd, n_eff, confidence);
}

CSM_API csm_status csm_nps(csm_nps_result *out, const int8_t *scores,
                           size_t n, const csm_nps_opts *opts,
                           csm_error *err) {
    return csm_nps_weighted(out, scores, NULL, n, opts, err);
}

CSM_API csm_status csm_nps_weighted(csm_nps_result *out, const int8_t *scores,
                                    const double *weights, size_t n,
                                    const csm_nps_opts *opts, csm_error *err) {
    csm_status st = check_scores_args(out, scores, n, err);
    if (st != CSM_OK)
        return st;
    csm_nps_opts o;
    st = load_nps_opts(&o, opts, err);
    if (st != CSM_OK)
        return st;
    nps_acc acc;
    memset(&acc, 0, sizeof acc);
    double wsum = 0.0;
    for (size_t i = 0; i < n; i++) {
        st = nps_check(scores, weights, i, &wsum, err);
        if (st != CSM_OK)
            return st;
        nps_add(&acc, scores[i], weights ? weights[i] : 1.0);
    }
    nps_acc_finish(out, &acc, weights != NULL, o.confidence);
    return CSM_OK;
}

CSM_API csm_status csm_nps_counts(csm_nps_result *out, double promoters,
                                  double passives, double detractors,
                                  const csm_nps_opts *opts, csm_error *err) {
    csm_error_clear(err);
    if (!out)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "out", "is NULL");
    csm_nps_opts o;
    csm_status st = load_nps_opts(&o, opts, err);
    if (st != CSM_OK)
        return st;
    const double v[3] = {promoters, passives, detractors};
    static const char *const names[3] = {"promoters", "passives",
                                         "detractors"};
    double total = 0.0;
    for (int i = 0; i < 3; i++) {
        if (!csm__nonneg(v[i]))
            return csm__fail(err, CSM_EDOMAIN, CSM_NO_ROW, names[i],
                             "counts must be finite and >= 0");
        if (!csm__sum_bound_add(&total, v[i]))
            return csm__fail(err, CSM_ERANGE, CSM_NO_ROW, names[i],
                             "the counts sum beyond CSM_SUM_MAX (1e300)");
    }
    nps_finish(out, promoters, passives, detractors,
               promoters + passives + detractors, o.confidence);
    return CSM_OK;
}

/* The checks of a counts call: out, counts NULL while n_counts > 0,
 * n_counts = the bins of the scale lo..hi, each count finite and >= 0
 * (CSM_EDOMAIN at its row, field "counts"), their total at most
 * CSM_SUM_MAX (CSM_ERANGE at the row that passes it, field "counts"), so
 * no sum of counts x score^2 (|score| <= 128, at most 256 bins) can
 * overflow. */
static csm_status check_counts(const void *out, const double *counts,
                               size_t n_counts, int32_t lo, int32_t hi,
                               csm_error *err) {
    if (!out)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "out", "is NULL");
    if (n_counts != (size_t)((int64_t)hi - lo + 1))
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "n_counts",
                         "one count per score of the scale is needed");
    if (!counts)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "counts", "is NULL");
    double total = 0.0;
    for (size_t i = 0; i < n_counts; i++) {
        if (!csm__nonneg(counts[i]))
            return csm__fail(err, CSM_EDOMAIN, i, "counts",
                             "counts must be finite and >= 0");
        if (!csm__sum_bound_add(&total, counts[i]))
            return csm__fail(err, CSM_ERANGE, i, "counts",
                             "the counts sum beyond CSM_SUM_MAX (1e300)");
    }
    return CSM_OK;
}

CSM_API csm_status csm_nps_score_counts(csm_nps_result *out,
                                        const double *counts, size_t n_counts,
                                        const csm_nps_opts *opts,
                                        csm_error *err) {
    csm_error_clear(err);
    csm_nps_opts o;
    csm_status st = check_counts(out, counts, n_counts, 0, 10, err);
    if (st == CSM_OK)
        st = load_nps_opts(&o, opts, err);
    if (st != CSM_OK)
        return st;
    csm__ksum k[3] = {{0, 0}, {0, 0}, {0, 0}};
    for (int s = 0; s <= 10; s++)
        csm__ksum_add(&k[nps_category(s)], counts[s]);
    return csm_nps_counts(out, csm__ksum_value(&k[0]), csm__ksum_value(&k[1]),
                          csm__ksum_value(&k[2]), &o, err);
}

CSM_API csm_status csm_nps_compare(csm_nps_diff *out,
                                   const csm_nps_result *before,
                                   const csm_nps_result *after,
                                   const csm_nps_opts *opts, csm_error *err) {
    csm_error_clear(err);
    if (!out || !before || !after)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW,
                         !out ? "out" : !before ? "before" : "after",
                         "is NULL");
    csm_nps_opts o;
    csm_status st = load_nps_opts(&o, opts, err);
    if (st != CSM_OK)
        return st;
    double confidence = o.confidence;
    memset(out, 0, sizeof *out);
    out->confidence = confidence;
    if ((before->flags | after->flags) & CSM_FLAG_EMPTY) {
        out->diff = out->se = out->z = out->p_value = NAN;
        out->ci_low = out->ci_high = NAN;
        out->flags = CSM_FLAG_EMPTY;
        return CSM_OK;
    }
    out->diff = after->nps - before->nps;
    out->se = sqrt(before->se * before->se + after->se * after->se);
    double zc = z_of(confidence);
    out->ci_low = out->diff - zc * out->se;
    out->ci_high = out->diff + zc * out->se;
    if (out->se == 0.0) {
        out->z = out->p_value = NAN;
        out->flags |= CSM_FLAG_DEGENERATE;
        return CSM_OK;
    }
    out->z = out->diff / out->se;
    out->p_value = erfc(fabs(out->z) / sqrt(2.0));
    return CSM_OK;
}

/* The options of a CSAT call, loaded and checked. */
static csm_status load_csat_opts(csm_csat_opts *o, const csm_csat_opts *opts,
                                 csm_error *err) {
    *o = (csm_csat_opts)CSM_CSAT_OPTS_INIT;
    csm_status st = csm__opts_load(o, sizeof *o, opts, err);
    if (st == CSM_OK)
        st = check_scale(o->scale_min, o->scale_max, err);
    if (st != CSM_OK)
        return st;
    if (o->top_box_min < o->scale_min || o->top_box_min > o->scale_max)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "opts.top_box_min",
                         "top_box_min must lie on the scale");
    return check_confidence(o->confidence, err);
}

/* Fill out from n responses of which sat satisfied. */
static void csat_finish(csm_csat_result *out, double nn, double sat,
                        double confidence) {
    memset(out, 0, sizeof *out);
    out->n = nn;
    out->satisfied = sat;
    if (!(nn > 0.0)) {
        out->csat = out->se = out->ci_low = out->ci_high = NAN;
        out->flags = CSM_FLAG_EMPTY;
        return;
    }
    double p = sat / nn, z = z_of(confidence);
    out->csat = p;
    out->se = sqrt(p * (1 - p) / nn);
    if (out->se == 0.0)
        out->flags |= CSM_FLAG_DEGENERATE;
    double z2 = z * z, den = 1 + z2 / nn;
    double mid = (p + z2 / (2 * nn)) / den;
    double half = z * sqrt(p * (1 - p) / nn + z2 / (4 * nn * nn)) / den;
    out->ci_low = mid - half;
    out->ci_high = mid + half;
}

CSM_API csm_status csm_csat(csm_csat_result *out, const int8_t *scores,
                            size_t n, const csm_csat_opts *opts,
                            csm_error *err) {
    csm_status st = check_scores_args(out, scores, n, err);
    if (st != CSM_OK)
        return st;
    csm_csat_opts o;
    st = load_csat_opts(&o, opts, err);
    if (st != CSM_OK)
        return st;
    size_t sat = 0;
    for (size_t i = 0; i < n; i++) {
        if (scores[i] < o.scale_min || scores[i] > o.scale_max)
            return csm__fail(err, CSM_EDOMAIN, i, "scores",
                             "score outside the CSAT scale");
        sat += scores[i] >= o.top_box_min;
    }
    csat_finish(out, (double)n, (double)sat, o.confidence);
    return CSM_OK;
}

CSM_API csm_status csm_csat_counts(csm_csat_result *out, const double *counts,
                                   size_t n_counts, const csm_csat_opts *opts,
                                   csm_error *err) {
    csm_error_clear(err);
    csm_csat_opts o;
    csm_status st = out ? load_csat_opts(&o, opts, err)
                        : csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "out", "is NULL");
    if (st == CSM_OK)
        st = check_counts(out, counts, n_counts, o.scale_min, o.scale_max, err);
    if (st != CSM_OK)
        return st;
    csm__ksum n = {0, 0}, sat = {0, 0};
    for (size_t i = 0; i < n_counts; i++) {
        csm__ksum_add(&n, counts[i]);
        if (o.scale_min + (int64_t)i >= o.top_box_min)
            csm__ksum_add(&sat, counts[i]);
    }
    csat_finish(out, csm__ksum_value(&n), csm__ksum_value(&sat), o.confidence);
    return CSM_OK;
}

/* The options of a CES call, loaded and checked. */
static csm_status load_ces_opts(csm_ces_opts *o, const csm_ces_opts *opts,
                                csm_error *err) {
    *o = (csm_ces_opts)CSM_CES_OPTS_INIT;
    csm_status st = csm__opts_load(o, sizeof *o, opts, err);
    if (st == CSM_OK)
        st = check_scale(o->scale_min, o->scale_max, err);
    if (st == CSM_OK)
        st = check_confidence(o->confidence, err);
    return st;
}

/* Fill out from n responses, their mean and the sum of their squared
 * deviations from it (ss; not read when n <= 1). */
static void ces_finish(csm_ces_result *out, double nn, double mean, double ss,
                       double confidence) {
    memset(out, 0, sizeof *out);
    out->n = nn;
    if (!(nn > 0.0)) {
        out->ces = out->sd = out->se = out->ci_low = out->ci_high = NAN;
        out->flags = CSM_FLAG_EMPTY;
        return;
    }
    out->ces = mean;
    if (nn == 1.0) {
        out->sd = out->se = out->ci_low = out->ci_high = NAN;
        out->flags = CSM_FLAG_DEGENERATE;
        return;
    }
    out->sd = sqrt(ss / (nn - 1.0));
    out->se = out->sd / sqrt(nn);
    if (out->se == 0.0)
        out->flags |= CSM_FLAG_DEGENERATE;
    double z = z_of(confidence);
    out->ci_low = mean - z * out->se;
    out->ci_high = mean + z * out->se;
}

CSM_API csm_status csm_ces(csm_ces_result *out, const int8_t *scores,
                           size_t n, const csm_ces_opts *opts,
                           csm_error *err) {
    csm_status st = check_scores_args(out, scores, n, err);
    if (st != CSM_OK)
        return st;
    csm_ces_opts o;
    st = load_ces_opts(&o, opts, err);
    if (st != CSM_OK)
        return st;
    csm__ksum s = {0, 0};
    for (size_t i = 0; i < n; i++) {
        if (scores[i] < o.scale_min || scores[i] > o.scale_max)
            return csm__fail(err, CSM_EDOMAIN, i, "scores",
                             "score outside the CES scale");
        csm__ksum_add(&s, (double)scores[i]);
    }
    double mean = n ? csm__ksum_value(&s) / (double)n : NAN;
    csm__ksum ss = {0, 0};
    for (size_t i = 0; n > 1 && i < n; i++) {
        double d = (double)scores[i] - mean;
        csm__ksum_add(&ss, d * d);
    }
    ces_finish(out, (double)n, mean, csm__ksum_value(&ss), o.confidence);
    return CSM_OK;
}

CSM_API csm_status csm_ces_counts(csm_ces_result *out, const double *counts,
                                  size_t n_counts, const csm_ces_opts *opts,
                                  csm_error *err) {
    csm_error_clear(err);
    csm_ces_opts o;
    csm_status st = out ? load_ces_opts(&o, opts, err)
                        : csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "out", "is NULL");
    if (st == CSM_OK)
        st = check_counts(out, counts, n_counts, o.scale_min, o.scale_max, err);
    if (st != CSM_OK)
        return st;
    /* count x score and count x deviation^2 as exact products (fma: the
     * product's rounding error), summed compensated: the sums the scores
     * form adds one response at a time */
    csm__ksum n = {0, 0}, s = {0, 0}, ss = {0, 0};
    for (size_t i = 0; i < n_counts; i++) {
        double x = (double)(o.scale_min + (int64_t)i), cx = counts[i] * x;
        csm__ksum_add(&n, counts[i]);
        csm__ksum_add(&s, cx);
        csm__ksum_add(&s, fma(counts[i], x, -cx));
    }
    double nn = csm__ksum_value(&n);
    double mean = nn > 0.0 ? csm__ksum_value(&s) / nn : NAN;
    for (size_t i = 0; nn > 1.0 && i < n_counts; i++) {
        double d = (double)(o.scale_min + (int64_t)i) - mean, d2 = d * d;
        double c = counts[i] * d2;
        csm__ksum_add(&ss, c);
        csm__ksum_add(&ss, fma(counts[i], d2, -c));
    }
    ces_finish(out, nn, mean, csm__ksum_value(&ss), o.confidence);
    return CSM_OK;
}

/* ---- result tables ---------------------------------------------------- */
/* Each table's descriptors ("group" first, then the struct's fields) and
 * the offsets of those fields in the value struct, from the one column
 * list (csm__keyed_table, internal/table.h). */
#define NPS_COL(m, n, ty, st, r, d)                                            \
    CSM__COLDEF(csm_nps_results, m, n, ty, st, r, d)
#define NPS_OFF(m, n, ty, st, r, d)                                            \
    CSM__FIELD_OFFSET(csm_nps_result, m, n, ty, st, r, d)
static const csm__coldef nps_cols[] = {
    CSM__GROUP_COLDEF(csm_nps_results) CSM_NPS_RESULT_COLUMNS(NPS_COL)};
static const size_t nps_off[] = {CSM__NO_FIELD, CSM_NPS_RESULT_COLUMNS(NPS_OFF)};

#define DIFF_COL(m, n, ty, st, r, d)                                           \
    CSM__COLDEF(csm_nps_diff_results, m, n, ty, st, r, d)
#define DIFF_OFF(m, n, ty, st, r, d)                                           \
    CSM__FIELD_OFFSET(csm_nps_diff, m, n, ty, st, r, d)
static const csm__coldef diff_cols[] = {
    CSM__GROUP_COLDEF(csm_nps_diff_results) CSM_NPS_DIFF_COLUMNS(DIFF_COL)};
static const size_t diff_off[] = {CSM__NO_FIELD, CSM_NPS_DIFF_COLUMNS(DIFF_OFF)};

#define CSAT_COL(m, n, ty, st, r, d)                                           \
    CSM__COLDEF(csm_csat_results, m, n, ty, st, r, d)
#define CSAT_OFF(m, n, ty, st, r, d)                                           \
    CSM__FIELD_OFFSET(csm_csat_result, m, n, ty, st, r, d)
static const csm__coldef csat_cols[] = {
    CSM__GROUP_COLDEF(csm_csat_results) CSM_CSAT_RESULT_COLUMNS(CSAT_COL)};
static const size_t csat_off[] = {CSM__NO_FIELD, CSM_CSAT_RESULT_COLUMNS(CSAT_OFF)};

#define CES_COL(m, n, ty, st, r, d)                                            \
    CSM__COLDEF(csm_ces_results, m, n, ty, st, r, d)
#define CES_OFF(m, n, ty, st, r, d)                                            \
    CSM__FIELD_OFFSET(csm_ces_result, m, n, ty, st, r, d)
static const csm__coldef ces_cols[] = {
    CSM__GROUP_COLDEF(csm_ces_results) CSM_CES_RESULT_COLUMNS(CES_COL)};
static const size_t ces_off[] = {CSM__NO_FIELD, CSM_CES_RESULT_COLUMNS(CES_OFF)};

CSM__DEFINE_KEYED_TABLE(csm_nps, csm_nps_results, csm_nps_result,
                        "nps", nps_cols, nps_off)

CSM__DEFINE_KEYED_TABLE(csm_nps_diff, csm_nps_diff_results, csm_nps_diff,
                        "nps_diff", diff_cols, diff_off)

CSM__DEFINE_KEYED_TABLE(csm_csat, csm_csat_results, csm_csat_result,
                        "csat", csat_cols, csat_off)

CSM__DEFINE_KEYED_TABLE(csm_ces, csm_ces_results, csm_ces_result,
                        "ces", ces_cols, ces_off)

/* ---- NPS by group --------------------------------------------------------- */
CSM_API csm_status csm_nps_by_group(csm_nps_results **out,
                                    const int8_t *scores,
                                    const double *weights,
                                    const int32_t *group, size_t n,
                                    const csm_nps_opts *opts,
                                    csm_error *err) {
    csm_error_clear(err);
    if (!out)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "out", "is NULL");
    *out = NULL;
    if (n > 0 && (!scores || !group))
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW,
                         !scores ? "scores" : "group",
                         "array is NULL while n > 0");
    csm_nps_opts o;
    csm_status st = load_nps_opts(&o, opts, err);
    if (st != CSM_OK)
        return st;
    const csm_allocator *alloc = o.allocator;
    st = csm__alloc_check(alloc, "opts.allocator", err);
    if (st != CSM_OK)
        return st;
    csm_result_opts ro = CSM_RESULT_OPTS_INIT;
    ro.allocator = alloc;
    double wsum = 0.0;
    for (size_t i = 0; i < n; i++) {
        st = nps_check(scores, weights, i, &wsum, err);
        if (st != CSM_OK)
            return st;
        if (group[i] == CSM_CODE_ALL)
            return csm__fail(err, CSM_EDOMAIN, i, "group",
                             "CSM_CODE_ALL marks the all-groups row: not a "
                             "group code");
    }
    if (n == 0)
        return csm_nps_table(out, NULL, NULL, 0, &ro, err);
    /* the distinct codes, ascending */
    int32_t *codes = csm__alloc_array(alloc, n, sizeof *codes);
    if (!codes)
        return csm__fail(err, CSM_ENOMEM, CSM_NO_ROW, NULL, NULL);
    memcpy(codes, group, n * sizeof *codes);
    size_t k = csm__unique_i32(codes, n);
    /* one accumulator and one result per group */
    nps_acc *g = csm__alloc_array(alloc, k, sizeof *g);
    csm_nps_result *rows = csm__alloc_array(alloc, k, sizeof *rows);
    if (!g || !rows) {
        csm__free(alloc, codes);
        csm__free(alloc, g);
        csm__free(alloc, rows);
        return csm__fail(err, CSM_ENOMEM, CSM_NO_ROW, NULL, NULL);
    }
    memset(g, 0, k * sizeof *g);
    for (size_t i = 0; i < n; i++)
        nps_add(&g[csm__lower_bound_i32(codes, 0, k, group[i])], scores[i],
                weights ? weights[i] : 1.0);
    for (size_t j = 0; j < k; j++)
        nps_acc_finish(&rows[j], &g[j], weights != NULL, o.confidence);
    st = csm_nps_table(out, rows, codes, k, &ro, err);
    csm__free(alloc, codes);
    csm__free(alloc, g);
    csm__free(alloc, rows);
    return st;
}

/* ---- partial states (csmetrics/partial.h) -------------------------------- */
/* A survey state: keys = the group codes (keyed) or one group, one month
 * (lo 0), ages = the scores lo..hi, one count a cell.  params: the
 * options that shape the figures. */
enum { SP_CONF, SP_LO, SP_HI, SP_TOP };

/* The start of csm_X_partial_compute: clear err, out NULL is CSM_EINVAL,
 * else *out = NULL. */
static csm_status survey_out(csm_partial **out, csm_error *err) {
    csm_error_clear(err);
    if (!out)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "out", "is NULL");
    *out = NULL;
    return CSM_OK;
}

/* The state of n responses (scores on lo..hi; group codes or NULL) of
 * family kind with params pa[0..4); out checked and *out NULL. */
static csm_status survey_partial(csm_partial **out, int kind,
                                 const int8_t *scores, const int32_t *group,
                                 size_t n, int32_t lo, int32_t hi,
                                 const int64_t *pa, const csm_allocator *a,
                                 csm_error *err) {
    if (n > 0 && !scores)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "scores",
                         "array is NULL while n > 0");
    for (size_t i = 0; i < n; i++) {
        if (scores[i] < lo || scores[i] > hi)
            return csm__fail(err, CSM_EDOMAIN, i, "scores",
                             "score outside the scale");
        if (group && group[i] == CSM_CODE_ALL)
            return csm__fail(err, CSM_EDOMAIN, i, "group",
                             "CSM_CODE_ALL marks the all-groups row: not a "
                             "group code");
    }
    int32_t *codes = NULL;
    size_t k = 1;
    if (group) {
        codes = csm__alloc_array(a, n, sizeof *codes);
        if (!codes && n)
            return csm__fail(err, CSM_ENOMEM, CSM_NO_ROW, NULL, NULL);
        if (n)
            memcpy(codes, group, n * sizeof *codes);
        k = n ? csm__unique_i32(codes, n) : 0;
    }
    const size_t bins = (size_t)((int64_t)hi - lo + 1);
    if (bins > CSM__PARTIAL_MAX_SPAN) {
        csm__free(a, codes);
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "opts.scale_max",
                         "a scale of over 240,002 scores has no partial "
                         "state");
    }
    csm_partial *p = csm__partial_new_aged(
        a, kind, group != NULL, codes, k, 0, k ? 1 : 0, bins,
        CSM__PARTIAL_SURVEY_NM, CSM__PARTIAL_SURVEY_NC);
    if (!p) {
        csm__free(a, codes);
        return csm__fail(err, CSM_ENOMEM, CSM_NO_ROW, NULL, NULL);
    }
    memcpy(p->params, pa, 4 * sizeof *pa);
    for (size_t i = 0; i < n; i++) {
        size_t g = group ? csm__lower_bound_i32(codes, 0, k, group[i]) : 0;
        p->c[g * bins + (size_t)(scores[i] - lo)]++;
    }
    csm__free(a, codes);
    *out = p;
    return CSM_OK;
}

/* The groups of a survey state to finalize: *n_rows (the groups with
 * responses), their codes (CSM_CODE_ALL for an unkeyed state) and their
 * counts as doubles (n_rows x p->n_ages), through the state's allocator;
 * freed by the caller. */
static csm_status survey_rows(int32_t **codes, double **counts, size_t *n_rows,
                              const csm_partial *p, csm_error *err) {
    const csm_allocator *a = csm__partial_allocator(p);
    const size_t nk = p->n_months ? p->n_keys : 0, bins = p->n_ages;
    *codes = csm__alloc_array(a, nk + 1, sizeof **codes);
    *counts = csm__alloc_array(a, (nk + 1) * bins, sizeof **counts);
    *n_rows = 0;
    if (!*codes || !*counts)
        return csm__fail(err, CSM_ENOMEM, CSM_NO_ROW, NULL, NULL);
    for (size_t k = 0; k < nk; k++) {
        int64_t total = 0;
        for (size_t b = 0; b < bins; b++)
            total += p->c[k * bins + b];
        if (p->keyed && total == 0)
            continue; /* as csm_nps_by_group: groups with responses */
        (*codes)[*n_rows] = p->keyed ? (int32_t)p->keys[k] : CSM_CODE_ALL;
        for (size_t b = 0; b < bins; b++)
            (*counts)[*n_rows * bins + b] = (double)p->c[k * bins + b];
        ++*n_rows;
    }
    if (!p->keyed && *n_rows == 0) { /* one group, no responses */
        (*codes)[0] = CSM_CODE_ALL;
        memset(*counts, 0, bins * sizeof **counts);
        *n_rows = 1;
    }
    return CSM_OK;
}

/* The body of csm_X_partial_finalize for X = nps, csat, ces: the rows of
 * the state through FN (the counts form, options OPTS), then TABLE. */
#define SURVEY_FINALIZE(KIND, RES, ROW, FN, OPTS, TABLE)                       \
    csm_status st = csm__partial_call(out != NULL, p, KIND, err);              \
    if (out)                                                                   \
        *out = NULL;                                                           \
    if (st != CSM_OK)                                                          \
        return st;                                                             \
    const csm_allocator *a = csm__partial_allocator(p);                        \
    int32_t *codes = NULL;                                                     \
    double *counts = NULL;                                                     \
    ROW *rows = NULL;                                                          \
    size_t n_rows = 0;                                                         \
    st = survey_rows(&codes, &counts, &n_rows, p, err);                        \
    if (st == CSM_OK) {                                                        \
        rows = csm__alloc_array(a, n_rows + 1, sizeof *rows);                  \
        if (!rows)                                                             \
            st = csm__fail(err, CSM_ENOMEM, CSM_NO_ROW, NULL, NULL);           \
    }                                                                          \
    for (size_t r = 0; st == CSM_OK && r < n_rows; r++)                        \
        st = FN(&rows[r], counts + r * p->n_ages, p->n_ages, OPTS, err);       \
    if (st == CSM_OK) {                                                        \
        csm_result_opts ro = CSM_RESULT_OPTS_INIT;                             \
        ro.allocator = a;                                                      \
        st = TABLE(out, rows, codes, n_rows, &ro, err);                        \
    }                                                                          \
    csm__free(a, codes);                                                       \
    csm__free(a, counts);                                                      \
    csm__free(a, rows);                                                        \
    return st

CSM_API csm_status csm_nps_partial_compute(csm_partial **out,
                                           const int8_t *scores,
                                           const int32_t *group, size_t n,
                                           const csm_nps_opts *opts,
                                           csm_error *err) {
    csm_status st = survey_out(out, err);
    if (st != CSM_OK)
        return st;
    csm_nps_opts o;
    st = load_nps_opts(&o, opts, err);
    if (st == CSM_OK)
        st = csm__alloc_check(o.allocator, "opts.allocator", err);
    if (st != CSM_OK)
        return st;
    const int64_t pa[4] = {csm__param_f64(o.confidence), 0, 10, 9};
    return survey_partial(out, CSM_PARTIAL_NPS, scores, group, n, 0, 10, pa,
                          o.allocator, err);
}

CSM_API csm_status csm_nps_partial_finalize(csm_nps_results **out,
                                            const csm_partial *p,
                                            csm_error *err) {
    csm_nps_opts o = CSM_NPS_OPTS_INIT;
    if (p)
        o.confidence = csm__param_to_f64(p->params[SP_CONF]);
    SURVEY_FINALIZE(CSM_PARTIAL_NPS, csm_nps_results, csm_nps_result,
                    csm_nps_score_counts, &o, csm_nps_table);
}

CSM_API csm_status csm_csat_partial_compute(csm_partial **out,
                                            const int8_t *scores,
                                            const int32_t *group, size_t n,
                                            const csm_csat_opts *opts,
                                            csm_error *err) {
    csm_status st = survey_out(out, err);
    if (st != CSM_OK)
        return st;
    csm_csat_opts o;
    st = load_csat_opts(&o, opts, err);
    if (st != CSM_OK)
        return st;
    const int64_t pa[4] = {csm__param_f64(o.confidence), o.scale_min,
                           o.scale_max, o.top_box_min};
    return survey_partial(out, CSM_PARTIAL_CSAT, scores, group, n, o.scale_min,
                          o.scale_max, pa, NULL, err);
}

CSM_API csm_status csm_csat_partial_finalize(csm_csat_results **out,
                                             const csm_partial *p,
                                             csm_error *err) {
    csm_csat_opts o = CSM_CSAT_OPTS_INIT;
    if (p) {
        o.confidence = csm__param_to_f64(p->params[SP_CONF]);
        o.scale_min = (int32_t)p->params[SP_LO];
        o.scale_max = (int32_t)p->params[SP_HI];
        o.top_box_min = (int32_t)p->params[SP_TOP];
    }
    SURVEY_FINALIZE(CSM_PARTIAL_CSAT, csm_csat_results, csm_csat_result,
                    csm_csat_counts, &o, csm_csat_table);
}

CSM_API csm_status csm_ces_partial_compute(csm_partial **out,
                                           const int8_t *scores,
                                           const int32_t *group, size_t n,
                                           const csm_ces_opts *opts,
                                           csm_error *err) {
    csm_status st = survey_out(out, err);
    if (st != CSM_OK)
        return st;
    csm_ces_opts o;
    st = load_ces_opts(&o, opts, err);
    if (st != CSM_OK)
        return st;
    const int64_t pa[4] = {csm__param_f64(o.confidence), o.scale_min,
                           o.scale_max, 0};
    return survey_partial(out, CSM_PARTIAL_CES, scores, group, n, o.scale_min,
                          o.scale_max, pa, NULL, err);
}

CSM_API csm_status csm_ces_partial_finalize(csm_ces_results **out,
                                            const csm_partial *p,
                                            csm_error *err) {
    csm_ces_opts o = CSM_CES_OPTS_INIT;
    if (p) {
        o.confidence = csm__param_to_f64(p->params[SP_CONF]);
        o.scale_min = (int32_t)p->params[SP_LO];
        o.scale_max = (int32_t)p->params[SP_HI];
    }
    SURVEY_FINALIZE(CSM_PARTIAL_CES, csm_ces_results, csm_ces_result,
                    csm_ces_counts, &o, csm_ces_table);
}
