/* interventions.c - health score and MRR changes after interventions
 * against same-band accounts without one (Welch's interval). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "csmetrics/interventions.h"
#include "internal/sort.h"
#include "internal/special.h"
#include "internal/table.h"
#include "internal/util.h"

CSM__DEFINE_OPTS_INIT(csm_interventions_opts_init, csm_interventions_opts,
                      CSM_INTERVENTIONS_OPTS_INIT)

static const char *const measure_names[CSM_INTERVENTIONS_N] = {"score", "mrr"};

CSM_API const char *csm_interventions_measure_name(int m) {
    return m >= 0 && m < CSM_INTERVENTIONS_N ? measure_names[m] : "unknown";
}

#define COL(m, n, ty, st, r, d)                                                \
    CSM__COLDEF(csm_interventions, m, n, ty, st, r, d)
static const csm__coldef cols[] = {CSM_INTERVENTIONS_COLUMNS(COL)};
#undef COL

CSM__DEFINE_RESULT_FREE(csm_interventions_free, csm_interventions)

/* An (account, month) key with a code: a panel row's index, or an event's
 * type. */
typedef struct {
    int64_t account;
    int32_t month;
    int32_t code;
    size_t row;
} key;

static int cmp_key(const void *x, const void *y) {
    const key *p = x, *q = y;
    if (p->account != q->account)
        return p->account < q->account ? -1 : 1;
    if (p->month != q->month)
        return p->month < q->month ? -1 : 1;
    if (p->code != q->code)
        return p->code < q->code ? -1 : 1;
    return (p->row > q->row) - (p->row < q->row);
}

/* The first of the k sorted keys at (account, month) or after. */
static size_t lower(const key *v, size_t k, int64_t account, int64_t month) {
    size_t lo = 0, hi = k;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (v[mid].account < account ||
            (v[mid].account == account && v[mid].month < month))
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static int at(const key *v, size_t k, size_t i, int64_t account,
              int64_t month) {
    return i < k && v[i].account == account && v[i].month == month;
}

/* Welford's running mean and sum of squared deviations. */
typedef struct {
    double n, mean, m2;
} moments;

static void moments_add(moments *s, double x) {
    s->n += 1.0;
    double d = x - s->mean;
    s->mean += d / s->n;
    s->m2 += d * (x - s->mean);
}

static csm_status check_args(const csm_interventions_panel *p,
                             const csm_interventions_events *e,
                             const csm_interventions_opts *o,
                             csm_error *err) {
    if (!p || !e)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, !p ? "panel" : "events",
                         "is NULL");
    if (p->n > 0 && (!p->account || !p->month || !p->band))
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW,
                         !p->account ? "account" : !p->month ? "month" : "band",
                         "array is NULL while n > 0");
    if (e->n > 0 && (!e->account || !e->month))
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW,
                         !e->account ? "account" : "month",
                         "array is NULL while n > 0");
    csm_status st = csm__alloc_check(o->allocator, "opts.allocator", err);
    if (st != CSM_OK)
        return st;
    if (o->horizon < 1)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "opts.horizon",
                         "horizon must be >= 1 month");
    if (!(o->confidence > 0.0 && o->confidence < 1.0))
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "opts.confidence",
                         "confidence must be in (0, 1)");
    for (size_t i = 0; i < p->n; i++) {
        if (p->month[i] == CSM_MONTH_NONE)
            return csm__fail(err, CSM_EDOMAIN, i, "month",
                             "a row's month is CSM_MONTH_NONE");
        if (p->band[i] < -1 || p->band[i] >= CSM_INTERVENTIONS_MAX_BANDS)
            return csm__fail(err, CSM_EDOMAIN, i, "band",
                             "band must be -1 (none) or 0..255");
        if (p->score && isinf(p->score[i]))
            return csm__fail(err, CSM_EDOMAIN, i, "score",
                             "a score is infinite");
        if (p->mrr && !csm__nonneg(p->mrr[i]))
            return csm__fail(err, CSM_EDOMAIN, i, "mrr",
                             "MRR must be finite and >= 0");
    }
    for (size_t i = 0; i < e->n; i++)
        if (e->month[i] == CSM_MONTH_NONE)
            return csm__fail(err, CSM_EDOMAIN, i, "month",
                             "an event's month is CSM_MONTH_NONE");
    return CSM_OK;
}

/* One row's figures from the treated and control moments of each band
 * (nb bands; treated[b], control[b]). */
static void compare(csm_interventions *r, size_t row, const moments *treated,
                    const moments *control, size_t nb, double confidence) {
    double nt = 0, nc = 0, un = 0;
    for (size_t b = 0; b < nb; b++) {
        if (treated[b].n > 0 && control[b].n == 0)
            un += treated[b].n;
        else if (treated[b].n > 0) {
            nt += treated[b].n;
            nc += control[b].n;
        }
    }
    r->n_treated[row] = (int64_t)nt;
    r->n_control[row] = (int64_t)nc;
    r->unmatched[row] = (int64_t)un;
    r->confidence[row] = confidence;
    double *figs[] = {&r->treated_change[row], &r->control_change[row],
                      &r->diff[row], &r->se[row], &r->t[row], &r->df[row],
                      &r->p_value[row], &r->ci_low[row], &r->ci_high[row]};
    for (size_t i = 0; i < sizeof figs / sizeof *figs; i++)
        *figs[i] = NAN;
    if (nt == 0) {
        r->flags[row] = CSM_FLAG_EMPTY;
        return;
    }
    csm__ksum mt = {0, 0}, mc = {0, 0}, var = {0, 0}, den = {0, 0};
    int degenerate = 0;
    for (size_t b = 0; b < nb; b++) {
        if (treated[b].n == 0 || control[b].n == 0)
            continue;
        double w = treated[b].n / nt;
        csm__ksum_add(&mt, w * treated[b].mean);
        csm__ksum_add(&mc, w * control[b].mean);
        const moments *g[2] = {&treated[b], &control[b]};
        for (int s = 0; s < 2; s++) {
            if (g[s]->n < 2) {
                degenerate = 1;
                continue;
            }
            double v = w * w * (g[s]->m2 / (g[s]->n - 1.0)) / g[s]->n;
            csm__ksum_add(&var, v);
            csm__ksum_add(&den, v * v / (g[s]->n - 1.0));
        }
    }
    double tc = csm__ksum_value(&mt), cc = csm__ksum_value(&mc);
    double d = tc - cc, v = csm__ksum_value(&var);
    r->treated_change[row] = tc;
    r->control_change[row] = cc;
    r->diff[row] = d;
    if (degenerate || !(v > 0.0)) {
        r->flags[row] = CSM_FLAG_DEGENERATE;
        return;
    }
    double se = sqrt(v), df = v * v / csm__ksum_value(&den);
    double q = csm__t_quantile(0.5 + 0.5 * confidence, df);
    r->se[row] = se;
    r->t[row] = d / se;
    r->df[row] = df;
    r->p_value[row] = 2.0 * csm__t_cdf(-fabs(d / se), df); /* the tail */
    r->ci_low[row] = d - q * se;
    r->ci_high[row] = d + q * se;
}

CSM_API csm_status csm_interventions_compute(
    csm_interventions **out, const csm_interventions_panel *p,
    const csm_interventions_events *e, const csm_interventions_opts *opts,
    csm_error *err) {
    csm_error_clear(err);
    if (!out)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "out", "is NULL");
    *out = NULL;
    csm_interventions_opts o = CSM_INTERVENTIONS_OPTS_INIT;
    csm_status st = csm__opts_load(&o, sizeof o, opts, err);
    if (st != CSM_OK)
        return st;
    st = check_args(p, e, &o, err);
    if (st != CSM_OK)
        return st;
    const csm_allocator *a = o.allocator;
    const size_t n = p->n, ne = e->n;
    key *pk = csm__alloc_array(a, n ? n : 1, sizeof *pk);
    key *ek = csm__alloc_array(a, ne ? ne : 1, sizeof *ek);
    int32_t *types = csm__alloc_array(a, ne ? ne : 1, sizeof *types);
    moments *mt = NULL, *mc = NULL;
    csm_interventions *r = NULL;
    if (!pk || !ek || !types) {
        st = csm__fail(err, CSM_ENOMEM, CSM_NO_ROW, NULL, NULL);
        goto done;
    }
    size_t nb = 0;
    for (size_t i = 0; i < n; i++) {
        pk[i] = (key){p->account[i], p->month[i], 0, i};
        if (p->band[i] >= 0 && (size_t)p->band[i] + 1 > nb)
            nb = (size_t)p->band[i] + 1;
    }
    qsort(pk, n, sizeof *pk, cmp_key);
    for (size_t i = 1; i < n; i++)
        if (pk[i].account == pk[i - 1].account &&
            pk[i].month == pk[i - 1].month) {
            st = csm__fail(err, CSM_EDUP, pk[i].row, "month",
                           "two panel rows of one account and month");
            goto done;
        }
    for (size_t i = 0; i < ne; i++) {
        int32_t ty = e->type ? e->type[i] : 0;
        ek[i] = (key){e->account[i], e->month[i], ty, i};
        types[i] = ty;
    }
    qsort(ek, ne, sizeof *ek, cmp_key);
    size_t nt = csm__unique_i32(types, ne);
    /* moments per (type, band, measure) and per (band, measure) */
    const size_t nm = CSM_INTERVENTIONS_N;
    const size_t n_mt = nt * nb * nm, n_mc = nb * nm;
    mt = csm__alloc_array(a, n_mt > 0 ? n_mt : 1, sizeof *mt);
    mc = csm__alloc_array(a, n_mc > 0 ? n_mc : 1, sizeof *mc);
    const csm__tabspec spec = {"interventions", cols, CSM__NCOLS(cols),
                               nt * nm};
    r = csm__result_new(a, "interventions", sizeof *r, &spec, 1, NULL, 0,
                        strlen("score") + strlen("mrr") + 2);
    if (!mt || !mc || !r) {
        st = csm__fail(err, CSM_ENOMEM, CSM_NO_ROW, NULL, NULL);
        goto done;
    }
    memset(mt, 0, n_mt * sizeof *mt);
    memset(mc, 0, n_mc * sizeof *mc);
    for (size_t i = 0; i < n; i++) {
        size_t ri = pk[i].row;
        if (p->band[ri] < 0)
            continue;
        size_t b = (size_t)p->band[ri];
        int64_t later = (int64_t)pk[i].month + o.horizon;
        size_t j = lower(pk, n, pk[i].account, later);
        if (!at(pk, n, j, pk[i].account, later))
            continue;
        size_t rj = pk[j].row;
        double d[CSM_INTERVENTIONS_N] = {NAN, NAN};
        if (p->score)
            d[CSM_INTERVENTIONS_SCORE] = p->score[rj] - p->score[ri];
        if (p->mrr)
            d[CSM_INTERVENTIONS_MRR] = p->mrr[rj] - p->mrr[ri];
        size_t k = lower(ek, ne, pk[i].account, pk[i].month);
        int treated = at(ek, ne, k, pk[i].account, pk[i].month);
        for (; at(ek, ne, k, pk[i].account, pk[i].month); k++) {
            if (k > 0 && at(ek, ne, k - 1, pk[i].account, pk[i].month) &&
                ek[k - 1].code == ek[k].code)
                continue; /* one type counts once a month */
            size_t ty = csm__lower_bound_i32(types, 0, nt, ek[k].code);
            for (size_t m = 0; m < nm; m++)
                if (!isnan(d[m]))
                    moments_add(&mt[(ty * nb + b) * nm + m], d[m]);
        }
        if (!treated)
            for (size_t m = 0; m < nm; m++)
                if (!isnan(d[m]))
                    moments_add(&mc[b * nm + m], d[m]);
    }
    r->n_rows = nt * nm;
    moments *tb = csm__alloc_array(a, nb ? nb : 1, sizeof *tb);
    moments *cb = csm__alloc_array(a, nb ? nb : 1, sizeof *cb);
    if (!tb || !cb) {
        csm__free(a, tb);
        csm__free(a, cb);
        st = csm__fail(err, CSM_ENOMEM, CSM_NO_ROW, NULL, NULL);
        goto done;
    }
    const char *names[CSM_INTERVENTIONS_N];
    for (size_t m = 0; m < nm; m++)
        names[m] = csm__result_text(r, measure_names[m]); /* sized above */
    for (size_t ty = 0; ty < nt; ty++)
        for (size_t m = 0; m < nm; m++) {
            size_t row = ty * nm + m;
            r->type[row] = types[ty];
            r->measure[row] = names[m];
            r->measure_code[row] = (int32_t)m;
            for (size_t b = 0; b < nb; b++) {
                tb[b] = mt[(ty * nb + b) * nm + m];
                cb[b] = mc[b * nm + m];
            }
            compare(r, row, tb, cb, nb, o.confidence);
        }
    csm__free(a, tb);
    csm__free(a, cb);
    *out = r;
    r = NULL;
    st = CSM_OK;
done:
    csm__free(a, pk);
    csm__free(a, ek);
    csm__free(a, types);
    csm__free(a, mt);
    csm__free(a, mc);
    csm_interventions_free(r);
    return st;
}
