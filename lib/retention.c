/* retention.c - rolling GRR, NRR and logo retention over a window, in one
 * pass over the sorted ledger (two pointers per customer). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "csmetrics/retention.h"
#include "internal/ledger_impl.h"
#include "internal/movements.h"
#include "internal/partial.h"
#include "internal/table.h"

CSM__DEFINE_OPTS_INIT(csm_retention_opts_init, csm_retention_opts, CSM_RETENTION_OPTS_INIT)

CSM_API csm_status csm_retention_opts_preset(csm_retention_opts *o,
                                             csm_preset preset) {
    if (!o)
        return CSM_EINVAL;
    switch (preset) {
    case CSM_PRESET_DEFAULT:
        o->nrr_mode = CSM_NRR_SNAPSHOT;
        return CSM_OK;
    /* each computes NRR from the period's movements of the starting
     * customers, without reactivation (docs/metrics.md, "Presets") */
    case CSM_PRESET_CHARTMOGUL_B2B:
    case CSM_PRESET_STRIPE:
    case CSM_PRESET_BAREMETRICS:
        o->nrr_mode = CSM_NRR_MOVEMENT_SUM;
        return CSM_OK;
    }
    return CSM_EINVAL;
}

#define COL(m, n, ty, st, r, d) CSM__COLDEF(csm_retention, m, n, ty, st, r, d)
static const csm__coldef ret_cols[] = {CSM_RETENTION_COLUMNS(COL)};
#undef COL

CSM__DEFINE_RESULT_FREE(csm_retention_free, csm_retention)

#define COL(m, n, ty, st, r, d)                                                \
    CSM__COLDEF(csm_retention_customers, m, n, ty, st, r, d)
static const csm__coldef cust_cols[] = {CSM_RETENTION_CUSTOMERS_COLUMNS(COL)};
#undef COL

CSM__DEFINE_RESULT_FREE(csm_retention_customers_free, csm_retention_customers)

/* A call's window: t1 in [first, last] (n_months of them), t0 = t1 - W. */
typedef struct {
    int32_t W;
    int64_t first, last;
    size_t n_months;
    int movsum, byseg;
} rwindow;

/* The argument checks of csm_retention_compute and
 * csm_retention_customers_compute: csm__ledger_call's (out: has_out; the
 * caller's opts read over the defaults into *o), the options, and their
 * window *w.  The caller sets its *out to NULL whatever this returns. */
static csm_status retention_call(int has_out, rwindow *w,
                                 csm_retention_opts *o, const csm_ledger *l,
                                 const csm_retention_opts *opts,
                                 csm_error *err) {
    *o = (csm_retention_opts)CSM_RETENTION_OPTS_INIT;
    csm_status st = csm__ledger_call(has_out, l, o, sizeof *o, opts, err);
    if (st != CSM_OK)
        return st;
    if (o->window < 1)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "opts.window",
                         "window must be >= 1 month");
    if (o->nrr_mode != CSM_NRR_SNAPSHOT && o->nrr_mode != CSM_NRR_MOVEMENT_SUM)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "opts.nrr_mode",
                         "unknown NRR mode");
    const int32_t W = o->window;
    int64_t first = o->first_month != CSM_MONTH_NONE
                        ? o->first_month
                        : (l->first_month == CSM_MONTH_NONE
                               ? (int64_t)CSM_MONTH_NONE
                               : (int64_t)l->first_month + W);
    int64_t last = o->last_month != CSM_MONTH_NONE ? o->last_month
                                                    : l->last_month;
    size_t n_months = 0;
    if (first != CSM_MONTH_NONE && last != CSM_MONTH_NONE && first <= last) {
        st = csm__check_month_range(first, last, err);
        if (st != CSM_OK)
            return st;
        if (first - W < INT32_MIN + 1)
            return csm__fail(err, CSM_ERANGE, CSM_NO_ROW, "opts.first_month",
                             "window start out of range");
        n_months = (size_t)(last - first + 1);
    } else if (o->first_month != CSM_MONTH_NONE &&
               o->last_month != CSM_MONTH_NONE && first > last) {
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "opts.first_month",
                         "first_month is after last_month");
    }
    *w = (rwindow){W, first, last, n_months,
                   o->nrr_mode == CSM_NRR_MOVEMENT_SUM, o->by_segment != 0};
    return CSM_OK;
}

/* Add sign x the sum of the terms between two compensated prefix sums,
 * lo <= hi (prefix sums of terms >= 0), to *k: the leading parts
 * subtract exactly when they are close (Sterbenz) and the compensations
 * keep what the leading parts lost, so a window's small amounts survive
 * beside a large earlier history (MRR 1e17 then 11 then 10: the last
 * contraction is 1, not the 0 plain prefix sums give).  Both parts go
 * into *k, which the caller started at the window's MRR, so m0 - down
 * keeps its low digits too. */
static void window_add(csm__ksum *k, double sign, const csm__ksum *hi,
                       const csm__ksum *lo) {
    csm__ksum_add(k, sign * (hi->s - lo->s));
    csm__ksum_add(k, sign * (hi->c - lo->c));
}

/* Add a - b (a >= b >= 0) to *k exactly: the rounded difference and its
 * error (Fast2Sum, exact since |a| >= |b|). */
static void ksum_add_diff(csm__ksum *k, double a, double b) {
    const double d = a - b;
    csm__ksum_add(k, d);
    csm__ksum_add(k, (a - d) - b);
}

/* The per-customer scratch of scan_customer: 3 x (the most entries of a
 * customer + 1) compensated sums through the ledger's allocator, or NULL. */
static csm__ksum *scan_scratch(const csm_ledger *l, size_t *maxe) {
    *maxe = 0;
    for (size_t c = 0; c < l->n_cust; c++) {
        size_t e = l->cust_off[c + 1] - l->cust_off[c];
        if (e > *maxe)
            *maxe = e;
    }
    return csm__lalloc(l, 3 * (*maxe + 1), sizeof(csm__ksum));
}

/* One base customer of one window: its entry j in t0, whether it has an
 * entry in t1, its MRR m0 in t0 and m1 in t1 (0 without an entry), its
 * reactivation MRR in (t0, t1] and its terms of the GRR and NRR
 * numerators. */
typedef struct {
    int64_t t1;
    size_t j;
    int found;
    double m0, m1, react, grr, nrr;
} rterm;

/* The reactivation, GRR and NRR terms of *t (m0, m1, found set) from
 * the window's own entries j..e (at most window + 1 of them; e: the last
 * entry with period <= t1) by the entry rules of internal/movements.h,
 * compensated: what scan_customer does where its prefix sums cannot be
 * trusted.  Movement-sum: the drops (contractions at entries j+1..e, the
 * churn right after entries j..e up to month t1 - 1) stop counting once
 * they reach m0, as the GRR term is 0 from then on. */
static void window_terms(const csm_ledger *l, size_t lo, size_t j, size_t e,
                         int movsum, rterm *t) {
    csm__ksum rk = {0, 0}, dk = {0, 0};
    int down = !movsum; /* the drops are not needed or have reached m0 */
    for (size_t q = j + 1; q <= e; q++) {
        if (csm__entry_start(l, lo, q, 0) == CSM__START_REACTIVATES) {
            csm__ksum_add(&rk, l->mrr[q]);
            if (!down) /* churn right after entry q - 1 */
                csm__ksum_add(&dk, l->mrr[q - 1]);
        } else if (!down && l->mrr[q] < l->mrr[q - 1]) {
            ksum_add_diff(&dk, l->mrr[q - 1], l->mrr[q]);
        } else {
            continue;
        }
        if (!down && csm__ksum_value(&dk) >= t->m0)
            down = 1;
    }
    if (!down && !t->found) /* churn right after entry e, before t1 */
        csm__ksum_add(&dk, l->mrr[e]);
    t->react = csm__ksum_value(&rk);
    if (movsum) {
        csm__ksum gk = {t->m0, 0}, nk = {t->m1, 0};
        csm__ksum_add(&gk, -dk.s);
        csm__ksum_add(&gk, -dk.c);
        csm__ksum_add(&nk, -rk.s);
        csm__ksum_add(&nk, -rk.c);
        const double g = down ? 0.0 : csm__ksum_value(&gk);
        const double nv = csm__ksum_value(&nk);
        t->grr = g > 0 ? g : 0.0;
        t->nrr = nv > 0 ? nv : 0.0;
    }
}

/* The windows of customer c whose end t1 is in [w->first, w->last], in
 * ascending t1: fn(arg, term) for each.  cum: scan_scratch's (maxe).
 * Snapshot: the reactivations from the window's own entries
 * (window_terms; fewer than window + 1 a window, a gap test each).
 * Movement-sum: a window's terms come from differences of the customer's
 * compensated prefix sums (O(1) a window) when the largest compensation
 * part of any prefix, cmax, is at most m0: the difference of two
 * prefixes then errs by a few ulps of m0 + the window's own sum.  A larger cmax means an
 * earlier MRR so far above the window's that the prefixes cannot hold its
 * small amounts (3e267, then 6e82, then a churn of 81: the 81 vanished
 * and GRR came out above NRR); window_terms then sums the window's own
 * entries. */
static void scan_customer(const csm_ledger *l, size_t c, const rwindow *w,
                          csm__ksum *cum, size_t maxe,
                          void (*fn)(void *arg, const rterm *t), void *arg) {
    const size_t lo = l->cust_off[c], hi = l->cust_off[c + 1];
    const size_t ne = hi - lo;
    /* movement-sum: cumulative arrays, index i = entry lo+i, by the entry
     * rules of internal/movements.h (every return a reactivation: window
     * 0), compensated (window_add), and cmax:
     *   C[i] contraction at entries lo..lo+i (from the previous month)
     *   H[i] churn right after entries lo..lo+i
     *   R[i] reactivation at entries lo..lo+i */
    csm__ksum *C = cum, *H = cum + (maxe + 1), *R = cum + 2 * (maxe + 1);
    csm__ksum cc = {0, 0}, hh = {0, 0}, rr = {0, 0};
    const csm__ksum zero = {0, 0};
    double cmax = 0;
    for (size_t i = 0; i < ne && w->movsum; i++) {
        size_t j = lo + i;
        const csm__start how = csm__entry_start(l, lo, j, 0);
        if (how == CSM__START_CONTINUES && l->mrr[j] < l->mrr[j - 1])
            ksum_add_diff(&cc, l->mrr[j - 1], l->mrr[j]);
        if (how == CSM__START_REACTIVATES)
            csm__ksum_add(&rr, l->mrr[j]);
        if (csm__entry_churns(l, j, hi))
            csm__ksum_add(&hh, l->mrr[j]);
        C[i] = cc;
        H[i] = hh;
        R[i] = rr;
        const double ci = fabs(cc.c) + fabs(hh.c) + fabs(rr.c);
        if (ci > cmax)
            cmax = ci;
    }
    size_t k = lo; /* first entry with period >= t1 */
    for (size_t j = lo; j < hi; j++) {
        int64_t t1 = (int64_t)l->period[j] + w->W;
        if (t1 < w->first)
            continue;
        if (t1 > w->last)
            break;
        while (k < hi && l->period[k] < t1)
            k++;
        rterm t;
        t.t1 = t1;
        t.j = j;
        t.found = k < hi && l->period[k] == t1;
        t.m0 = l->mrr[j];
        t.m1 = t.found ? l->mrr[k] : 0.0;
        /* e: last entry with period <= t1 */
        size_t e = t.found ? k : k - 1;
        if (!w->movsum) {
            t.grr = t.m1 < t.m0 ? t.m1 : t.m0;
            t.nrr = t.m1;
            window_terms(l, lo, j, e, 0, &t);
        } else if (!(cmax <= t.m0)) {
            window_terms(l, lo, j, e, 1, &t);
        } else {
            size_t ie = e - lo, ij = j - lo;
            /* churn after entries q in [j, e] with period <= t1 - 1 */
            size_t ih = l->period[e] <= t1 - 1 ? ie : ie - 1;
            /* ih >= ij always: entry j has period t0 <= t1 - 1 */
            csm__ksum rk = {0, 0}, gk = {t.m0, 0}, nk = {t.m1, 0};
            window_add(&rk, 1.0, &R[ie], &R[ij]);
            window_add(&gk, -1.0, &C[ie], &C[ij]);
            window_add(&gk, -1.0, &H[ih], ij ? &H[ij - 1] : &zero);
            window_add(&nk, -1.0, &R[ie], &R[ij]);
            t.react = csm__ksum_value(&rk);
            double g = csm__ksum_value(&gk);
            double nv = csm__ksum_value(&nk);
            t.grr = g > 0 ? g : 0.0;
            t.nrr = nv > 0 ? nv : 0.0;
        }
        fn(arg, &t);
    }
}

typedef struct {
    csm__ksum base, grr_num, end, nrr_num, react;
    int64_t n_base, n_ret;
} rbucket;

/* scan_customer's fn of csm_retention_compute: the term into its row's
 * bucket. */
typedef struct {
    const csm_ledger *l;
    const rwindow *w;
    size_t nseg;
    rbucket *b;
} rsums;

static void add_term(void *arg, const rterm *t) {
    const rsums *s = arg;
    size_t row = (size_t)(t->t1 - s->w->first) * s->nseg +
                 (s->w->byseg ? csm__lseg(s->l, t->j) : 0);
    rbucket *x = &s->b[row];
    x->n_base++;
    csm__ksum_add(&x->base, t->m0);
    csm__ksum_add(&x->end, t->m1);
    csm__ksum_add(&x->react, t->react);
    if (t->found)
        x->n_ret++;
    csm__ksum_add(&x->grr_num, t->grr);
    csm__ksum_add(&x->nrr_num, t->nrr);
}

/* The rows of r (w->n_months x nseg) from their buckets b; segment keys:
 * CSM_CODE_ALL when not by segment, else keys[s] (keys NULL: segment 0). */
static void fill_rows(csm_retention *r, const rbucket *b, const rwindow *w,
                      size_t nseg, const int32_t *keys) {
    for (size_t t = 0; t < w->n_months; t++) {
        for (size_t s = 0; s < nseg; s++) {
            size_t i = t * nseg + s;
            const rbucket *x = &b[i];
            uint32_t fl = 0;
            r->end_month[i] = (int32_t)(w->first + (int64_t)t);
            r->start_month[i] = r->end_month[i] - w->W;
            r->segment[i] = !w->byseg ? CSM_CODE_ALL : keys ? keys[s] : 0;
            double base = csm__ksum_value(&x->base);
            r->base_customers[i] = x->n_base;
            r->retained_customers[i] = x->n_ret;
            r->base_mrr[i] = base;
            r->retained_mrr[i] = csm__ksum_value(&x->grr_num);
            r->end_mrr[i] = csm__ksum_value(&x->end);
            r->reactivation_mrr[i] = csm__ksum_value(&x->react);
            r->grr[i] = csm__ratio(r->retained_mrr[i], base, &fl);
            r->nrr[i] = csm__ratio(csm__ksum_value(&x->nrr_num), base, &fl);
            r->logo_retention[i] =
                csm__ratio((double)x->n_ret, (double)x->n_base, &fl);
            if (x->n_base == 0)
                fl |= CSM_FLAG_EMPTY;
            r->flags[i] = fl;
        }
    }
}

/* A retention table of nrows rows from allocator a; NULL when out of
 * memory. */
static csm_retention *retention_new(const csm_allocator *a, size_t nrows) {
    csm__tabspec spec = {"retention", ret_cols, CSM__NCOLS(ret_cols), nrows};
    csm_retention *r =
        csm__result_new(a, "retention", sizeof *r, &spec, 1, NULL, 0, 0);
    if (r)
        r->n_rows = nrows;
    return r;
}

CSM_API csm_status csm_retention_compute(csm_retention **out,
                                         const csm_ledger *l,
                                         const csm_retention_opts *opts,
                                         csm_error *err) {
    csm_retention_opts o;
    rwindow w;
    csm_status st = retention_call(out != NULL, &w, &o, l, opts, err);
    if (out)
        *out = NULL;
    if (st != CSM_OK)
        return st;
    size_t nseg = csm__seg_rows(l, w.byseg);
    size_t nrows = w.n_months * nseg;
    const csm_allocator *a = csm__ledger_allocator(l);

    csm_retention *r = retention_new(a, nrows);
    if (!r)
        return csm__fail(err, CSM_ENOMEM, CSM_NO_ROW, NULL, NULL);
    rbucket *b = csm__alloc_array(a, nrows, sizeof *b);
    size_t maxe;
    csm__ksum *cum = scan_scratch(l, &maxe);
    if (!b || !cum) {
        csm__free(a, b);
        csm__free(a, cum);
        csm_retention_free(r);
        return csm__fail(err, CSM_ENOMEM, CSM_NO_ROW, NULL, NULL);
    }
    memset(b, 0, nrows * sizeof *b);
    rsums sums = {l, &w, nseg, b};
    for (size_t c = 0; c < l->n_cust && w.n_months; c++)
        scan_customer(l, c, &w, cum, maxe, add_term, &sums);
    fill_rows(r, b, &w, nseg, l->n_seg ? l->seg_ids : NULL);
    csm__free(a, b);
    csm__free(a, cum);
    *out = r;
    return CSM_OK;
}

/* ---- partial states (csmetrics/partial.h) ------------------------------- */
_Static_assert(sizeof(rbucket) == 5 * sizeof(csm__ksum) + 2 * sizeof(int64_t),
               "rbucket is 5 sums then 2 counts");
enum { R_NM = CSM__PARTIAL_RETENTION_NM, R_NC = CSM__PARTIAL_RETENTION_NC };

/* The options of a state as its params, and back. */
enum { P_WINDOW, P_NRR, P_BYSEG, P_FIRST, P_LAST };
_Static_assert(P_BYSEG == CSM__PARTIAL_RETENTION_BYSEG, "retention by_segment");
_Static_assert(P_WINDOW == CSM__PARTIAL_RETENTION_WINDOW &&
                   P_FIRST == CSM__PARTIAL_RETENTION_FIRST &&
                   P_LAST == CSM__PARTIAL_RETENTION_LAST,
               "retention range");
static void opts_to_params(int64_t *pa, const csm_retention_opts *o) {
    pa[P_WINDOW] = o->window;
    pa[P_NRR] = o->nrr_mode;
    pa[P_BYSEG] = o->by_segment != 0;
    pa[P_FIRST] = o->first_month;
    pa[P_LAST] = o->last_month;
}

/* The end months [w->first, w->last] of a state's table as the one-shot
 * call settles them on all the customers' months [data_first, data_last]
 * (retention_call's rule). */
static csm_status state_window(rwindow *w, const int64_t *pa,
                               int32_t data_first, int32_t data_last,
                               csm_error *err) {
    const int32_t W = (int32_t)pa[P_WINDOW];
    int64_t first = pa[P_FIRST] != CSM_MONTH_NONE
                        ? pa[P_FIRST]
                        : (data_first == CSM_MONTH_NONE
                               ? (int64_t)CSM_MONTH_NONE
                               : (int64_t)data_first + W);
    int64_t last = pa[P_LAST] != CSM_MONTH_NONE ? pa[P_LAST] : data_last;
    size_t n_months = 0;
    if (first != CSM_MONTH_NONE && last != CSM_MONTH_NONE && first <= last) {
        csm_status st = csm__check_month_range(first, last, err);
        if (st != CSM_OK)
            return st;
        n_months = (size_t)(last - first + 1);
    }
    *w = (rwindow){W, first, last, n_months, pa[P_NRR] == CSM_NRR_MOVEMENT_SUM,
                   pa[P_BYSEG] != 0};
    return CSM_OK;
}

CSM_API csm_status csm_retention_partial_compute(
    csm_partial **out, const csm_ledger *l, const csm_retention_opts *opts,
    csm_error *err) {
    csm_retention_opts o;
    rwindow w;
    csm_status st = retention_call(out != NULL, &w, &o, l, opts, err);
    if (out)
        *out = NULL;
    if (st != CSM_OK)
        return st;
    /* the grid: every end month this partition's bases can reach, from
     * the explicit first end, and up to the explicit last end when there
     * is one (the months past the data are zeros, but the merged state
     * must cover the finalize's whole range, which bounds the table a
     * state's bytes can ask for) */
    int64_t pa[CSM__PARTIAL_NPARAMS] = {0};
    opts_to_params(pa, &o);
    int64_t lo = o.first_month != CSM_MONTH_NONE ? o.first_month
                 : l->first_month == CSM_MONTH_NONE
                     ? (int64_t)CSM_MONTH_NONE
                     : (int64_t)l->first_month + w.W;
    int64_t hi = l->last_month == CSM_MONTH_NONE
                     ? (int64_t)CSM_MONTH_NONE
                     : (int64_t)l->last_month + w.W;
    if (o.last_month != CSM_MONTH_NONE)
        hi = o.last_month;
    size_t n_grid = 0;
    if (lo != CSM_MONTH_NONE && hi != CSM_MONTH_NONE && lo <= hi) {
        st = csm__check_month_range(lo, hi, err);
        if (st != CSM_OK)
            return st;
        n_grid = (size_t)(hi - lo + 1);
    }
    const size_t nseg = w.byseg ? l->n_seg : 1;
    const csm_allocator *a = csm__ledger_allocator(l);
    csm_partial *p = csm__partial_new(a, CSM_PARTIAL_RETENTION, w.byseg,
                                      l->seg_ids, l->n_seg,
                                      n_grid ? (int32_t)lo : 0, n_grid, R_NM,
                                      R_NC);
    rbucket *b = NULL;
    csm__ksum *cum = NULL;
    if (!p)
        goto oom;
    memcpy(p->params, pa, sizeof pa);
    p->data_first = l->first_month;
    p->data_last = l->last_month;
    if (n_grid && nseg) {
        size_t maxe;
        b = csm__alloc_array(a, n_grid * nseg, sizeof *b);
        cum = b ? scan_scratch(l, &maxe) : NULL;
        if (!cum)
            goto oom;
        memset(b, 0, n_grid * nseg * sizeof *b);
        rwindow g = w;
        g.first = lo;
        g.last = hi;
        g.n_months = n_grid;
        rsums sums = {l, &g, nseg, b};
        for (size_t c = 0; c < l->n_cust; c++)
            scan_customer(l, c, &g, cum, maxe, add_term, &sums);
        for (size_t i = 0; i < n_grid * nseg; i++) {
            const csm__ksum m[R_NM] = {b[i].base, b[i].grr_num, b[i].end,
                                       b[i].nrr_num, b[i].react};
            memcpy(&p->m[i * R_NM], m, sizeof m);
            p->c[i * R_NC] = b[i].n_base;
            p->c[i * R_NC + 1] = b[i].n_ret;
        }
        csm__free(a, b);
        csm__free(a, cum);
    }
    *out = p;
    return CSM_OK;
oom:
    csm__free(a, b);
    csm_partial_free(p);
    return csm__fail(err, CSM_ENOMEM, CSM_NO_ROW, NULL, NULL);
}

CSM_API csm_status csm_retention_partial_finalize(csm_retention **out,
                                                  const csm_partial *p,
                                                  csm_error *err) {
    csm_status st0 = csm__partial_call(out != NULL, p, CSM_PARTIAL_RETENTION, err);
    if (out)
        *out = NULL;
    if (st0 != CSM_OK)
        return st0;
    rwindow w;
    csm_status st = state_window(&w, p->params, p->data_first, p->data_last,
                                 err);
    if (st != CSM_OK)
        return st;
    const size_t nseg = w.byseg ? (p->n_keys ? p->n_keys : 1) : 1;
    const size_t nrows = w.n_months * nseg;
    const csm_allocator *a = csm__partial_allocator(p);
    csm_retention *r = retention_new(a, nrows);
    rbucket *b = r ? csm__alloc_array(a, nrows + 1, sizeof *b) : NULL;
    if (!b) {
        csm_retention_free(r);
        return csm__fail(err, CSM_ENOMEM, CSM_NO_ROW, NULL, NULL);
    }
    memset(b, 0, (nrows + 1) * sizeof *b);
    for (size_t t = 0; t < w.n_months; t++) {
        int64_t mon = w.first + (int64_t)t;
        if (mon < p->lo || mon >= (int64_t)p->lo + (int64_t)p->n_months)
            continue;
        for (size_t s = 0; s < p->n_keys; s++) {
            size_t g = csm__partial_bucket(p, (int32_t)mon, s);
            rbucket *x = &b[t * nseg + s];
            const csm__ksum *m = &p->m[g * R_NM];
            x->base = m[0];
            x->grr_num = m[1];
            x->end = m[2];
            x->nrr_num = m[3];
            x->react = m[4];
            x->n_base = p->c[g * R_NC];
            x->n_ret = p->c[g * R_NC + 1];
        }
    }
    fill_rows(r, b, &w, nseg, NULL);
    if (w.byseg && p->n_keys)
        csm__partial_segments(r->segment, w.n_months * nseg, nseg, p);
    csm__free(a, b);
    *out = r;
    return CSM_OK;
}

/* ---- the customers of the windows -------------------------------------- */
static const char *const outcome_names[] = {"churned", "contracted",
                                            "expanded", "flat"};

/* scan_customer's fn of csm_retention_customers_compute: the term at row
 * next[t1 - first] of the table, which then advances (rows of one end
 * month in ledger order: customer id). */
typedef struct {
    const csm_ledger *l;
    const rwindow *w;
    size_t *next;
    size_t c;
    csm_retention_customers *rc;
    const char *outcome[4]; /* outcome_names in the result's pool */
} rrows;

static void put_term(void *arg, const rterm *t) {
    rrows *s = arg;
    csm_retention_customers *rc = s->rc;
    const size_t r = s->next[t->t1 - s->w->first]++;
    rc->end_month[r] = (int32_t)t->t1;
    rc->start_month[r] = (int32_t)(t->t1 - s->w->W);
    rc->customer_id[r] = s->l->cust_id[s->c];
    rc->segment[r] = csm__lseg_id(s->l, t->j);
    rc->outcome[r] = s->outcome[!t->found                ? 0
                                : t->m1 < t->m0          ? 1
                                : t->m1 > t->m0          ? 2
                                                         : 3];
    rc->base_mrr[r] = t->m0;
    rc->end_mrr[r] = t->m1;
    rc->retained_mrr[r] = t->grr;
    rc->net_retained_mrr[r] = t->nrr;
    rc->reactivation_mrr[r] = t->react;
    rc->retained[r] = (uint8_t)t->found;
}

CSM_API csm_status csm_retention_customers_compute(
    csm_retention_customers **out, const csm_ledger *l,
    const csm_retention_opts *opts, csm_error *err) {
    csm_retention_opts o;
    rwindow w;
    csm_status st = retention_call(out != NULL, &w, &o, l, opts, err);
    if (out)
        *out = NULL;
    if (st != CSM_OK)
        return st;
    const csm_allocator *a = csm__ledger_allocator(l);
    /* next[t]: the base customers of end month first + t (an entry in its
     * t0), then the row of the next one */
    size_t *next = csm__alloc_array(a, w.n_months + 1, sizeof *next);
    size_t maxe;
    csm__ksum *cum = scan_scratch(l, &maxe);
    csm_retention_customers *rc = NULL;
    if (!next || !cum)
        goto nomem;
    memset(next, 0, (w.n_months + 1) * sizeof *next);
    for (size_t j = 0; j < l->n_ent && w.n_months; j++) {
        int64_t t1 = (int64_t)l->period[j] + w.W;
        if (t1 >= w.first && t1 <= w.last)
            next[t1 - w.first]++;
    }
    size_t total = 0;
    for (size_t t = 0; t < w.n_months; t++) {
        const size_t n = next[t];
        next[t] = total;
        total += n;
    }
    size_t text = 0;
    for (size_t q = 0; q < 4; q++)
        text += strlen(outcome_names[q]) + 1;
    const csm__tabspec spec = {"retention_customers", cust_cols,
                               CSM__NCOLS(cust_cols), total};
    rc = csm__result_new(a, "retention_customers", sizeof *rc, &spec, 1, NULL,
                         0, text);
    if (!rc)
        goto nomem;
    rc->n_rows = total;
    rrows rows = {l, &w, next, 0, rc, {NULL}};
    for (size_t q = 0; q < 4; q++) /* the pool is sized for the four */
        rows.outcome[q] = csm__result_text(rc, outcome_names[q]);
    for (rows.c = 0; rows.c < l->n_cust && w.n_months; rows.c++)
        scan_customer(l, rows.c, &w, cum, maxe, put_term, &rows);
    csm__free(a, next);
    csm__free(a, cum);
    *out = rc;
    return CSM_OK;
nomem:
    csm__free(a, next);
    csm__free(a, cum);
    return csm__fail(err, CSM_ENOMEM, CSM_NO_ROW, NULL, NULL);
}
