/* health_score.c - scoring with a health scorecard: every account's
 * score, band, override and per-measure and per-group explanation
 * (csm_health_score), the band distribution and the accounts most at
 * risk with their reasons. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csmetrics/health.h"
#include "internal/health_impl.h"
#include "internal/table.h"
#include "internal/util.h"

/* ---- scoring ------------------------------------------------------------ */
#define COL(m, n, ty, st, r, d) CSM__COLDEF(csm_health, m, n, ty, st, r, d)
static const csm__coldef health_cols[] = {CSM_HEALTH_COLUMNS(COL)};
static const csm__coldef measure_cols[] = {CSM_HEALTH_MEASURES_COLUMNS(COL)};
static const csm__coldef group_cols[] = {CSM_HEALTH_GROUPS_COLUMNS(COL)};
#undef COL

CSM_API void csm_health_free(csm_health *h) {
    if (h)
        csm_result_free(h->result);
}

/* Bytes of the result's text pool: one copy of every band, override,
 * measure and group name (the text columns point into it). */
static size_t name_bytes(const csm_health_scorecard *sc) {
    size_t b = 0;
    for (size_t i = 0; i < sc->nb; i++)
        b += strlen(sc->b[i].name) + 1;
    for (size_t i = 0; i < sc->no; i++)
        b += strlen(sc->o[i].name) + 1;
    for (size_t i = 0; i < sc->nm; i++)
        b += strlen(sc->m[i].name) + 1;
    for (size_t i = 0; i < sc->ng; i++)
        b += strlen(sc->g[i].name) + 1;
    return b;
}

typedef struct {
    double v;
    size_t i;
} vi;

static int cmp_vi(const void *x, const void *y) {
    const vi *a = x, *b = y;
    if (a->v != b->v)
        return a->v < b->v ? -1 : 1;
    return (a->i > b->i) - (a->i < b->i);
}

static double transform(const csm__measure *m, double x) {
    switch (m->transform) {
    case CSM__T_LINEAR: {
        double t = (x - m->lo) / (m->hi - m->lo);
        t = t < 0 ? 0 : t > 1 ? 1 : t;
        return 100.0 * (m->higher ? t : 1.0 - t);
    }
    case CSM__T_PIECEWISE: {
        if (x <= m->px[0])
            return m->py[0];
        if (x >= m->px[m->npts - 1])
            return m->py[m->npts - 1];
        size_t k = 1;
        while (x > m->px[k])
            k++;
        double t = (x - m->px[k - 1]) / (m->px[k] - m->px[k - 1]);
        return m->py[k - 1] + t * (m->py[k] - m->py[k - 1]);
    }
    case CSM__T_BOOLEAN:
        return (x != 0.0) == (m->higher != 0) ? 100.0 : 0.0;
    default:
        return NAN; /* percentile: computed over the population */
    }
}

static int test_op(int op, double x, double v) {
    switch (op) {
    case CSM__OP_LT:
        return x < v;
    case CSM__OP_LE:
        return x <= v;
    case CSM__OP_GT:
        return x > v;
    case CSM__OP_GE:
        return x >= v;
    case CSM__OP_EQ:
        return x == v;
    default:
        return x != v;
    }
}

CSM_API csm_status csm_health_absent_inputs(unsigned char *absent,
                                           size_t *n_absent,
                                           const csm_health_scorecard *sc,
                                           const double *values, size_t n,
                                           csm_error *err) {
    csm_error_clear(err);
    if (n_absent)
        *n_absent = 0;
    if (!sc)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "scorecard", "is NULL");
    const size_t ni = sc->ni;
    if (ni > 0 && !absent)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "absent", "is NULL");
    if (n > 0 && !values)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "values",
                         "array is NULL while n_accounts > 0");
    size_t count = 0, first_fail = SIZE_MAX;
    for (size_t k = 0; k < ni; k++) {
        size_t i = 0;
        while (i < n && isnan(values[i * ni + k]))
            i++;
        absent[k] = n > 0 && i == n;
        if (!absent[k])
            continue;
        count++;
        if (first_fail == SIZE_MAX && k < sc->nm &&
            sc->m[k].missing == CSM__MISS_FAIL)
            first_fail = k;
    }
    if (n_absent)
        *n_absent = count;
    if (first_fail == SIZE_MAX)
        return CSM_OK;
    char where[96];
    snprintf(where, sizeof where, "input '%.80s'", sc->inputs[first_fail]);
    return csm__failf(err, CSM_EMISSING, CSM_NO_ROW, "values",
                      "a required measure is absent", where,
                      "no account has a value, and the measure's missing "
                      "policy is 'fail'");
}

CSM_API csm_status csm_health_score(csm_health **out,
                                       const csm_health_scorecard *sc,
                                       const double *values, size_t n,
                                       const csm_health_opts *opts,
                                       csm_error *err) {
    csm_error_clear(err);
    if (!out)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "out", "is NULL");
    *out = NULL;
    csm_health_opts ho = CSM_HEALTH_OPTS_INIT;
    csm_status ost = csm__opts_load(&ho, sizeof ho, opts, err);
    if (ost != CSM_OK)
        return ost;
    const double *prev_score = ho.prev_score;
    const int32_t *prev_band = ho.prev_band;
    if (!sc)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "scorecard", "is NULL");
    if (n > 0 && !values)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "values",
                         "array is NULL while n_accounts > 0");
    const size_t ni = sc->ni, nm = sc->nm, ng = sc->ng;
    /* before values[i * ni + k] is read: an n whose row index overflows
     * must not wrap to a read inside (or before) the array */
    if ((ni && n > SIZE_MAX / ni) || (nm && n > SIZE_MAX / nm) ||
        (ng && n > SIZE_MAX / ng))
        return csm__fail(err, CSM_ENOMEM, CSM_NO_ROW, NULL,
                         "n_accounts x measures overflows");
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < ni; k++)
            if (isinf(values[i * ni + k])) {
                char where[96];
                snprintf(where, sizeof where, "input '%.80s'",
                         sc->inputs[k]);
                return csm__failf(err, CSM_EDOMAIN, i, "values",
                                  "values must be finite or NaN (missing)",
                                  where, NULL);
            }
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < nm; k++)
            if (sc->m[k].missing == CSM__MISS_FAIL &&
                isnan(values[i * ni + k])) {
                char where[96];
                snprintf(where, sizeof where, "measure '%.80s'",
                         sc->m[k].name);
                return csm__failf(err, CSM_EMISSING, i, "values",
                                  "a required measure is missing", where,
                                  "the measure is missing and its policy "
                                  "is 'fail'");
            }
    const csm_allocator *a = csm__sc_alloc(sc);
    const csm__tabspec tabs[] = {
        {"health", health_cols, CSM__NCOLS(health_cols), n},
        {"health_measures", measure_cols, CSM__NCOLS(measure_cols), n * nm},
        {"health_groups", group_cols, CSM__NCOLS(group_cols), n * ng}};
    /* movers: at most n entries (n_movers says how many) */
    const csm__extra movers_extra = {offsetof(csm_health, movers), n,
                                     sizeof(size_t)};
    csm_health *h = csm__result_new(a, "health", sizeof *h, tabs,
                                    CSM__NCOLS(tabs), &movers_extra, 1,
                                    name_bytes(sc));
    vi *tmp = csm__alloc_array(a, n, sizeof *tmp);
    /* the pool's copies of the band names, then the override names */
    const char **names = csm__alloc_array(a, sc->nb + sc->no, sizeof *names);
    if (!h || !tmp || !names) {
        csm_health_free(h);
        csm__free(a, tmp);
        csm__free(a, names);
        return csm__fail(err, CSM_ENOMEM, CSM_NO_ROW, NULL, NULL);
    }
    h->n_rows = n;
    h->n_accounts = n;
    h->n_measures = nm;
    h->n_groups = ng;
    /* the pool is sized by name_bytes: no copy can fail */
    for (size_t b = 0; b < sc->nb; b++)
        names[b] = csm__result_text(h, sc->b[b].name);
    for (size_t o = 0; o < sc->no; o++)
        names[sc->nb + o] = csm__result_text(h, sc->o[o].name);
    const char **band_names = names, **override_names = names + sc->nb;
    /* key columns of the long tables; the name of measure k (group g) is
     * copied once, and every account's row points to that copy */
    for (size_t k = 0; k < nm; k++) {
        const char *mn = csm__result_text(h, sc->m[k].name);
        for (size_t i = 0; i < n; i++) {
            h->measure_account[i * nm + k] = (int64_t)i;
            h->measure_index[i * nm + k] = (int32_t)k;
            h->measure_name[i * nm + k] = mn;
        }
    }
    for (size_t g = 0; g < ng; g++) {
        const char *gn = csm__result_text(h, sc->g[g].name);
        for (size_t i = 0; i < n; i++) {
            h->group_account[i * ng + g] = (int64_t)i;
            h->group_index[i * ng + g] = (int32_t)g;
            h->group_name[i * ng + g] = gn;
        }
    }
    /* measure scores (percentiles over the present values: mid-rank) */
    for (size_t k = 0; k < nm; k++) {
        const csm__measure *m = &sc->m[k];
        if (m->transform != CSM__T_PERCENTILE) {
            for (size_t i = 0; i < n; i++) {
                double x = values[i * ni + k];
                h->measure_score[i * nm + k] = isnan(x) ? NAN : transform(m, x);
            }
            continue;
        }
        size_t cnt = 0;
        for (size_t i = 0; i < n; i++) {
            h->measure_score[i * nm + k] = NAN;
            if (!isnan(values[i * ni + k])) {
                tmp[cnt].v = values[i * ni + k];
                tmp[cnt].i = i;
                cnt++;
            }
        }
        qsort(tmp, cnt, sizeof *tmp, cmp_vi);
        for (size_t s = 0; s < cnt;) {
            size_t e = s;
            while (e < cnt && tmp[e].v == tmp[s].v)
                e++;
            double p = 100.0 * ((double)s + 0.5 * (double)(e - s)) / (double)cnt;
            for (size_t q = s; q < e; q++)
                h->measure_score[tmp[q].i * nm + k] = m->higher ? p : 100.0 - p;
            s = e;
        }
    }
    csm__free(a, tmp);
    size_t movers = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t fl = 0;
        double *ms = &h->measure_score[i * nm];
        double *ct = &h->contribution[i * nm];
        double *wt = &h->weight[i * nm];
        double *gc = &h->group_contribution[i * ng];
        for (size_t k = 0; k < nm; k++) {
            if (isnan(ms[k]) && sc->m[k].missing == CSM__MISS_ZERO)
                ms[k] = 0.0;
            ct[k] = 0.0;
            wt[k] = 0.0;
        }
        for (size_t g = 0; g < ng; g++)
            gc[g] = 0.0;
        double raw = NAN;
        if (sc->aggregation == CSM__AGG_WORST) {
            long worst = -1;
            for (size_t k = 0; k < nm; k++)
                if (!isnan(ms[k]) && sc->m[k].weight > 0 &&
                    sc->g[sc->m[k].group].weight > 0 &&
                    (worst < 0 || ms[k] < ms[worst]))
                    worst = (long)k;
            if (worst >= 0) {
                raw = ms[worst];
                ct[worst] = raw;
                wt[worst] = 1.0;
                gc[sc->m[worst].group] = raw;
            }
        } else {
            /* present weight per group, then over groups */
            double gw_sum = 0;
            for (size_t g = 0; g < ng; g++) {
                double w = 0;
                for (size_t k = 0; k < nm; k++)
                    if (sc->m[k].group == g && !isnan(ms[k]))
                        w += sc->m[k].weight;
                if (w > 0)
                    gw_sum += sc->g[g].weight;
            }
            if (gw_sum > 0) {
                csm__ksum tot = {0, 0};
                for (size_t g = 0; g < ng; g++) {
                    double w = 0;
                    for (size_t k = 0; k < nm; k++)
                        if (sc->m[k].group == g && !isnan(ms[k]))
                            w += sc->m[k].weight;
                    if (!(w > 0))
                        continue;
                    double gshare = sc->g[g].weight / gw_sum;
                    for (size_t k = 0; k < nm; k++) {
                        if (sc->m[k].group != g || isnan(ms[k]))
                            continue;
                        wt[k] = gshare * (sc->m[k].weight / w);
                        ct[k] = wt[k] * ms[k];
                        gc[g] += ct[k];
                        csm__ksum_add(&tot, ct[k]);
                    }
                }
                raw = csm__ksum_value(&tot);
            }
        }
        h->raw_score[i] = raw;
        double score = raw;
        int32_t forced = -1, first = -1;
        uint32_t mask = 0;
        for (size_t o = 0; o < sc->no; o++) {
            const csm__override *ov = &sc->o[o];
            double x = values[i * ni + ov->input];
            if (isnan(x) || !test_op(ov->op, x, ov->value))
                continue;
            mask |= 1u << o;
            if (first < 0)
                first = (int32_t)o;
            if (ov->action == CSM__ACT_CAP) {
                if (!isnan(score) && score > ov->amount)
                    score = ov->amount;
            } else if (ov->action == CSM__ACT_SUBTRACT) {
                if (!isnan(score))
                    score = score - ov->amount < 0 ? 0 : score - ov->amount;
            } else {
                forced = (int32_t)ov->band;
            }
        }
        if (!isnan(score) && sc->round >= 0) {
            double f = pow(10.0, sc->round);
            score = round(score * f) / f;
        }
        int32_t b = -1;
        if (!isnan(score)) {
            b = 0;
            for (size_t q = 0; q < sc->nb; q++)
                if (score >= sc->b[q].min)
                    b = (int32_t)q;
        } else {
            fl |= CSM_FLAG_EMPTY;
        }
        if (forced >= 0)
            b = forced;
        h->account[i] = (int64_t)i;
        h->score[i] = score;
        h->band[i] = b;
        h->band_name[i] = b >= 0 ? band_names[b] : NULL;
        h->override_index[i] = first;
        h->override_name[i] = first >= 0 ? override_names[first] : NULL;
        h->override_mask[i] = mask;
        h->change[i] = prev_score ? score - prev_score[i] : NAN;
        h->moved[i] = prev_band && prev_band[i] >= 0 && b >= 0 &&
                      prev_band[i] != b;
        if (h->moved[i])
            h->movers[movers++] = i;
        h->flags[i] = fl;
    }
    h->n_movers = movers;
    csm__free(a, names);
    *out = h;
    return CSM_OK;
}

/* ==== band distribution and the accounts most at risk ====================== */
#define BCOL(m, n, ty, st, r, d) CSM__COLDEF(csm_health_bands, m, n, ty, st, r, d)
static const csm__coldef bands_cols[] = {CSM_HEALTH_BANDS_COLUMNS(BCOL)};
#undef BCOL
#define RCOL(m, n, ty, st, r, d) CSM__COLDEF(csm_health_risks, m, n, ty, st, r, d)
static const csm__coldef risk_cols[] = {CSM_HEALTH_RISK_COLUMNS(RCOL)};
static const csm__coldef reason_cols[] = {CSM_HEALTH_REASON_COLUMNS(RCOL)};
#undef RCOL

CSM__DEFINE_OPTS_INIT(csm_health_opts_init, csm_health_opts, CSM_HEALTH_OPTS_INIT)
CSM__DEFINE_OPTS_INIT(csm_health_risks_opts_init, csm_health_risks_opts,
                      CSM_HEALTH_RISKS_OPTS_INIT)

CSM_API void csm_health_bands_free(csm_health_bands *b) {
    csm_result_free(b ? b->result : NULL);
}

CSM_API void csm_health_risks_free(csm_health_risks *r) {
    csm_result_free(r ? r->result : NULL);
}

CSM_API csm_status csm_health_bands_compute(csm_health_bands **out,
                                            const csm_health *h,
                                            const csm_health_scorecard *sc,
                                            const double *mrr,
                                            csm_error *err) {
    csm_error_clear(err);
    if (!out)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "out", "is NULL");
    *out = NULL;
    if (!h)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "h", "is NULL");
    if (!sc)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "sc", "is NULL");
    const csm_allocator *alloc = csm__result_allocator(h->result);
    const size_t nb = csm_health_scorecard_band_count(sc);
    size_t text = 0;
    for (size_t b = 0; b < nb; b++)
        text += strlen(csm_health_scorecard_band_name(sc, b)) + 1;
    for (size_t i = 0; i < h->n_accounts; i++) {
        if (h->band[i] < -1 || h->band[i] >= (int32_t)nb)
            return csm__fail(err, CSM_EINVAL, i, "band",
                             "a band the scorecard does not have");
        if (mrr && isinf(mrr[i]))
            return csm__fail(err, CSM_EDOMAIN, i, "mrr",
                             "MRR must be finite (or NaN: unknown)");
    }
    const csm__tabspec tab = {"health_bands", bands_cols,
                              CSM__NCOLS(bands_cols), nb};
    csm_health_bands *t =
        csm__result_new(alloc, "health_bands", sizeof *t, &tab, 1, NULL, 0,
                        text);
    if (!t)
        return csm__fail(err, CSM_ENOMEM, CSM_NO_ROW, NULL, NULL);
    t->n_rows = nb;
    for (size_t i = 0; i < h->n_accounts; i++)
        t->n_scored += h->band[i] >= 0;
    t->n_unscored = h->n_accounts - t->n_scored;
    for (size_t r = 0; r < nb; r++) {
        const int32_t b = (int32_t)(nb - 1 - r); /* the best band first */
        int64_t cnt = 0;
        csm__ksum m = {0, 0};
        for (size_t i = 0; i < h->n_accounts; i++)
            if (h->band[i] == b) {
                cnt++;
                if (mrr && !isnan(mrr[i]))
                    csm__ksum_add(&m, mrr[i]);
            }
        t->band[r] = b;
        t->band_name[r] = csm__result_text(t, csm_health_scorecard_band_name(sc, (size_t)b));
        t->accounts[r] = cnt;
        t->share[r] = t->n_scored ? (double)cnt / (double)t->n_scored : NAN;
        t->mrr[r] = csm__ksum_value(&m);
    }
    *out = t;
    return CSM_OK;
}

typedef struct {
    const csm_health *h;
    const double *mrr;
} risk_ctx;

/* mrr for ordering: NaN sorts last (as -infinity in "descending") */
static double risk_mrr(const double *mrr, size_t i) {
    return mrr && !isnan(mrr[i]) ? mrr[i] : -INFINITY;
}

static int risk_before(const risk_ctx *c, size_t p, size_t q) {
    double sp = c->h->score[p], sq = c->h->score[q];
    if (sp != sq)
        return sp < sq;
    double mp = risk_mrr(c->mrr, p), mq = risk_mrr(c->mrr, q);
    if (mp != mq)
        return mp > mq;
    return p < q;
}

/* merge sort of idx[0, n) by risk_before (stable, O(n log n)) */
static void risk_sort(const risk_ctx *c, size_t *idx, size_t *tmp, size_t n) {
    if (n < 2)
        return;
    size_t h = n / 2;
    risk_sort(c, idx, tmp, h);
    risk_sort(c, idx + h, tmp, n - h);
    size_t i = 0, j = h, k = 0;
    while (i < h && j < n)
        tmp[k++] = risk_before(c, idx[j], idx[i]) ? idx[j++] : idx[i++];
    while (i < h)
        tmp[k++] = idx[i++];
    while (j < n)
        tmp[k++] = idx[j++];
    memcpy(idx, tmp, n * sizeof *idx);
}

#define MAX_REASONS 8

/* The (at most n, <= MAX_REASONS) measures that cost account i the most
 * points, points = weight x (100 - measure score), most first, ties in
 * the spec's order: their indices in top[] and points in pts[]; returns
 * how many (measures without a score or weight, or costing nothing, are
 * not reasons). */
static size_t top_reasons(size_t *top, double *pts, const csm_health *h,
                          size_t i, size_t n) {
    const size_t nm = h->n_measures;
    size_t k = 0;
    for (size_t m = 0; m < nm; m++) {
        double w = h->weight[i * nm + m], s = h->measure_score[i * nm + m];
        if (isnan(s) || !(w > 0))
            continue;
        double p = w * (100 - s);
        if (!(p > 0))
            continue;
        /* insert among the kept, most points first (ties: spec order) */
        size_t j = k < n ? k++ : n;
        while (j > 0 && pts[j - 1] < p) {
            if (j < n) {
                pts[j] = pts[j - 1];
                top[j] = top[j - 1];
            }
            j--;
        }
        if (j < n) {
            pts[j] = p;
            top[j] = m;
        }
    }
    return k;
}


CSM_API csm_status csm_health_at_risk(csm_health_risks **out,
                                      const csm_health *h,
                                      const int64_t *account_id,
                                      const double *mrr,
                                      const csm_health_risks_opts *opts,
                                      csm_error *err) {
    csm_error_clear(err);
    if (!out)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "out", "is NULL");
    *out = NULL;
    if (!h)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "h", "is NULL");
    csm_health_risks_opts o = CSM_HEALTH_RISKS_OPTS_INIT;
    csm_status st = csm__opts_load(&o, sizeof o, opts, err);
    if (st != CSM_OK)
        return st;
    if (o.n_reasons > MAX_REASONS)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "opts.n_reasons",
                         "at most 8 reasons");
    const csm_allocator *a = csm__result_allocator(h->result);
    const size_t n = h->n_accounts, nm = h->n_measures;
    size_t ns = 0;
    for (size_t i = 0; i < n; i++)
        ns += !isnan(h->score[i]);
    size_t *idx = csm__alloc_array(a, ns ? 2 * ns : 1, sizeof *idx);
    if (!idx)
        return csm__fail(err, CSM_ENOMEM, CSM_NO_ROW, NULL, NULL);
    ns = 0;
    for (size_t i = 0; i < n; i++)
        if (!isnan(h->score[i]))
            idx[ns++] = i;
    const risk_ctx rc = {h, mrr};
    risk_sort(&rc, idx, idx + ns, ns);
    const size_t nr = o.top_n && o.top_n < ns ? o.top_n : ns;
    /* the reasons of each listed account, and the text sizes */
    size_t nreason = 0, text = 0;
    for (size_t r = 0; r < nr; r++) {
        const size_t i = idx[r];
        size_t top[MAX_REASONS];
        double pts[MAX_REASONS];
        size_t k = top_reasons(top, pts, h, i, o.n_reasons);
        nreason += k;
        for (size_t j = 0; j < k; j++)
            text += strlen(h->measure_name[i * nm + top[j]]) * 2 + 40;
        if (h->override_name[i])
            text += strlen(h->override_name[i]) + 16;
        if (h->band_name[i])
            text += strlen(h->band_name[i]) + 1;
        text += 1;
    }
    const csm__tabspec tabs[2] = {
        {"health_at_risk", risk_cols, CSM__NCOLS(risk_cols), nr},
        {"health_reasons", reason_cols, CSM__NCOLS(reason_cols), nreason}};
    csm_health_risks *t =
        csm__result_new(a, "health_at_risk", sizeof *t, tabs, 2, NULL, 0, text);
    if (!t) {
        csm__free(a, idx);
        return csm__fail(err, CSM_ENOMEM, CSM_NO_ROW, NULL, NULL);
    }
    t->n_rows = nr;
    t->n_reason_rows = nreason;
    size_t q = 0;
    char buf[64 * (MAX_REASONS + 1)];
    for (size_t r = 0; r < nr; r++) {
        const size_t i = idx[r];
        t->rank[r] = (int32_t)(r + 1);
        t->risk_account[r] = (int64_t)i;
        t->account_id[r] = account_id ? account_id[i] : (int64_t)i;
        t->risk_score[r] = h->score[i];
        t->risk_band[r] = h->band[i];
        t->risk_band_name[r] =
            h->band_name[i] ? csm__result_text(t, h->band_name[i]) : NULL;
        t->risk_mrr[r] = mrr ? mrr[i] : NAN;
        size_t top[MAX_REASONS];
        double pts[MAX_REASONS];
        size_t k = top_reasons(top, pts, h, i, o.n_reasons);
        size_t len = 0;
        buf[0] = '\0';
        for (size_t j = 0; j < k; j++, q++) {
            const char *name = h->measure_name[i * nm + top[j]];
            t->reason_rank[q] = (int32_t)(r + 1);
            t->reason[q] = (int32_t)(j + 1);
            t->reason_measure[q] = (int32_t)top[j];
            t->reason_name[q] = csm__result_text(t, name);
            t->points[q] = pts[j];
            if (len < sizeof buf)
                len += (size_t)snprintf(buf + len, sizeof buf - len,
                                        "%s%.40s -%.1f", j ? "; " : "", name,
                                        pts[j]);
        }
        if (h->override_name[i] && len < sizeof buf)
            snprintf(buf + len, sizeof buf - len, "%soverride: %.40s",
                     len ? "; " : "", h->override_name[i]);
        t->top_reasons[r] = csm__result_text(t, buf);
    }
    csm__free(a, idx);
    *out = t;
    return CSM_OK;
}
