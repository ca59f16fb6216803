/* interventions.c - health score and MRR changes after interventions
 * against same-band accounts without one (Welch's interval). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "csmetrics/interventions.h"
#include "internal/ledger_impl.h"
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

/* The start of both public calls: clear err, out NULL (has_out 0) is
 * CSM_EINVAL naming "out", then the caller's opts (NULL = defaults) read
 * over the defaults into *o.  The caller sets its *out to NULL. */
static csm_status call_start(int has_out, csm_interventions_opts *o,
                             const csm_interventions_opts *opts,
                             csm_error *err) {
    csm_error_clear(err);
    if (!has_out)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "out", "is NULL");
    *o = (csm_interventions_opts)CSM_INTERVENTIONS_OPTS_INIT;
    return csm__opts_load(o, sizeof *o, opts, err);
}

/* The options both calls read: the allocator, horizon and confidence. */
static csm_status check_opts(const csm_interventions_opts *o, csm_error *err) {
    csm_status st = csm__alloc_check(o->allocator, "opts.allocator", err);
    if (st != CSM_OK)
        return st;
    if (o->horizon < 1)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "opts.horizon",
                         "horizon must be >= 1 month");
    if (!(o->confidence > 0.0 && o->confidence < 1.0))
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "opts.confidence",
                         "confidence must be in (0, 1)");
    return CSM_OK;
}

/* Row i of a panel or of scores: its month, band and score (score NULL:
 * no score column). */
static csm_status check_row(const int32_t *month, const int32_t *band,
                            const double *score, size_t i, csm_error *err) {
    if (month[i] == CSM_MONTH_NONE)
        return csm__fail(err, CSM_EDOMAIN, i, "month",
                         "a row's month is CSM_MONTH_NONE");
    if (band[i] < -1 || band[i] >= CSM_INTERVENTIONS_MAX_BANDS)
        return csm__fail(err, CSM_EDOMAIN, i, "band",
                         "band must be -1 (none) or 0..255");
    if (score && isinf(score[i]))
        return csm__fail(err, CSM_EDOMAIN, i, "score", "a score is infinite");
    return CSM_OK;
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
    csm_status st = check_opts(o, err);
    if (st != CSM_OK)
        return st;
    for (size_t i = 0; i < p->n; i++) {
        st = check_row(p->month, p->band, p->score, i, err);
        if (st != CSM_OK)
            return st;
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
    csm_interventions_opts o;
    csm_status st = call_start(out != NULL, &o, opts, err);
    if (out)
        *out = NULL;
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

/* ---- the panel from health scores and a ledger ------------------------ */
#define PCOL(m, n, ty, st, r, d)                                               \
    CSM__COLDEF(csm_interventions_panel_rows, m, n, ty, st, r, d)
static const csm__coldef panel_cols[] = {CSM_INTERVENTIONS_PANEL_COLUMNS(PCOL)};
#undef PCOL

CSM__DEFINE_RESULT_FREE(csm_interventions_panel_rows_free,
                        csm_interventions_panel_rows)

/* Keys (account, month) by month first: the order of the panel's rows
 * without a ledger. */
static int cmp_key_by_month(const void *x, const void *y) {
    const key *p = x, *q = y;
    if (p->month != q->month)
        return p->month < q->month ? -1 : 1;
    return cmp_key(x, y);
}

/* The scores row of (account, month) in the k keys sorted by cmp_key, or
 * SIZE_MAX. */
static size_t score_row(const key *v, size_t k, int64_t account,
                        int32_t month) {
    size_t i = lower(v, k, account, month);
    return at(v, k, i, account, month) ? v[i].row : SIZE_MAX;
}

/* Whether month m is one of the nm sorted distinct months mo. */
static int has_month(const int32_t *mo, size_t nm, int64_t m) {
    if (m > INT32_MAX)
        return 0;
    size_t i = csm__lower_bound_i32(mo, 0, nm, (int32_t)m);
    return i < nm && mo[i] == m;
}

/* Append a row to r (r NULL: only count it); returns the rows so far. */
static size_t put(csm_interventions_panel_rows *r, size_t i, int64_t account,
                  int32_t month, double score, int32_t band, double mrr,
                  uint8_t gone) {
    if (r) {
        r->account[i] = account;
        r->month[i] = month;
        r->score[i] = score;
        r->band[i] = band;
        r->mrr[i] = mrr;
        r->gone[i] = gone;
    }
    return i + 1;
}

/* The panel's rows in order (module comment of the header): counted when
 * r is NULL, else written to r.  mo: the nm sorted distinct months; sk:
 * the ns scores rows, sorted by cmp_key with a ledger, by
 * cmp_key_by_month without. */
static size_t panel_rows(csm_interventions_panel_rows *r, const csm_ledger *l,
                         const int32_t *mo, size_t nm,
                         const csm_interventions_scores *s, const key *sk,
                         size_t ns, int32_t horizon) {
    size_t n = 0;
    if (!l) {
        for (size_t k = 0; k < ns; k++)
            if (has_month(mo, nm, sk[k].month))
                n = put(r, n, sk[k].account, sk[k].month,
                        s->score ? s->score[sk[k].row] : NAN,
                        s->band[sk[k].row], NAN, 0);
        return n;
    }
    for (size_t i = 0; i < nm; i++)
        for (size_t c = 0; c < l->n_cust; c++) {
            long j = csm__ledger_entry_at(l, c, mo[i]);
            if (j < 0)
                continue;
            size_t sr = score_row(sk, ns, l->cust_id[c], mo[i]);
            n = put(r, n, l->cust_id[c], mo[i],
                    sr == SIZE_MAX || !s->score ? NAN : s->score[sr],
                    sr == SIZE_MAX ? -1 : s->band[sr], l->mrr[j], 0);
        }
    for (size_t i = 0; i < nm; i++) {
        int64_t later = (int64_t)mo[i] + horizon;
        if (!has_month(mo, nm, later))
            continue;
        for (size_t c = 0; c < l->n_cust; c++)
            if (csm__ledger_entry_at(l, c, mo[i]) >= 0 &&
                csm__ledger_entry_at(l, c, (int32_t)later) < 0)
                n = put(r, n, l->cust_id[c], (int32_t)later, NAN, -1, 0.0, 1);
    }
    return n;
}

static csm_status check_build(const int32_t *months, size_t n_months,
                              const csm_interventions_scores *s,
                              const csm_interventions_opts *o,
                              csm_error *err) {
    if (!s)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "scores", "is NULL");
    if (!months && n_months > 0)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "months",
                         "array is NULL while n_months > 0");
    if (s->n > 0 && (!s->account || !s->month || !s->band))
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW,
                         !s->account ? "account" : !s->month ? "month" : "band",
                         "array is NULL while n > 0");
    csm_status st = check_opts(o, err);
    if (st != CSM_OK)
        return st;
    for (size_t i = 0; i < n_months; i++)
        if (months[i] == CSM_MONTH_NONE)
            return csm__fail(err, CSM_EDOMAIN, i, "months",
                             "a month is CSM_MONTH_NONE");
    for (size_t i = 0; i < s->n; i++) {
        st = check_row(s->month, s->band, s->score, i, err);
        if (st != CSM_OK)
            return st;
    }
    return CSM_OK;
}

CSM_API csm_status csm_interventions_panel_build(
    csm_interventions_panel_rows **out, const csm_ledger *ledger,
    const int32_t *months, size_t n_months,
    const csm_interventions_scores *scores,
    const csm_interventions_opts *opts, csm_error *err) {
    csm_interventions_opts o;
    csm_status st = call_start(out != NULL, &o, opts, err);
    if (out)
        *out = NULL;
    if (st != CSM_OK)
        return st;
    st = check_build(months, n_months, scores, &o, err);
    if (st != CSM_OK)
        return st;
    const csm_allocator *a = o.allocator;
    const size_t ns = scores->n;
    int32_t *mo = csm__alloc_array(a, n_months ? n_months : 1, sizeof *mo);
    key *sk = csm__alloc_array(a, ns ? ns : 1, sizeof *sk);
    if (!mo || !sk) {
        st = csm__fail(err, CSM_ENOMEM, CSM_NO_ROW, NULL, NULL);
        goto done;
    }
    if (n_months)
        memcpy(mo, months, n_months * sizeof *mo);
    size_t nm = csm__unique_i32(mo, n_months);
    for (size_t i = 0; i < ns; i++)
        sk[i] = (key){scores->account[i], scores->month[i], 0, i};
    qsort(sk, ns, sizeof *sk, ledger ? cmp_key : cmp_key_by_month);
    for (size_t i = 1; i < ns; i++)
        if (sk[i].month == sk[i - 1].month &&
            sk[i].account == sk[i - 1].account) {
            st = csm__fail(err, CSM_EDUP, sk[i].row, "month",
                           "two scores rows of one account and month");
            goto done;
        }
    size_t n = panel_rows(NULL, ledger, mo, nm, scores, sk, ns, o.horizon);
    const csm__tabspec spec = {"interventions_panel", panel_cols,
                               CSM__NCOLS(panel_cols), n};
    csm_interventions_panel_rows *r = csm__result_new(
        a, "interventions_panel", sizeof *r, &spec, 1, NULL, 0, 0);
    if (!r) {
        st = csm__fail(err, CSM_ENOMEM, CSM_NO_ROW, NULL, NULL);
        goto done;
    }
    r->n_rows = panel_rows(r, ledger, mo, nm, scores, sk, ns, o.horizon);
    r->panel = (csm_interventions_panel){r->account, r->month, r->score,
                                         r->band, ledger ? r->mrr : NULL,
                                         r->n_rows};
    *out = r;
done:
    csm__free(a, mo);
    csm__free(a, sk);
    return st;
}
