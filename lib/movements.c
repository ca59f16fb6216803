/* movements.c - monthly MRR movements (new, reactivation, expansion,
 * contraction, churn, adjustment, segment switches) and the rates built on
 * them, in one streaming pass over the sorted ledger.
 *
 * Money is accumulated per (month, segment) bucket with compensated
 * summation in ledger order (customer id, then month), so the figures do
 * not depend on the order of the caller's rows. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "csmetrics/movements.h"
#include "internal/ledger_impl.h"
#include "internal/movements.h"
#include "internal/partial.h"
#include "internal/table.h"

CSM__DEFINE_OPTS_INIT(csm_movements_opts_init, csm_movements_opts, CSM_MOVEMENTS_OPTS_INIT)

CSM_API csm_status csm_movements_opts_preset(csm_movements_opts *o,
                                             csm_preset preset) {
    /* The definition options of each preset (docs/metrics.md, "Presets"):
     * every preset compares exactly and treats every return as a
     * reactivation; Stripe counts customers who start and stop inside a
     * month and divides by start + new customers. */
    if (!o || preset < CSM_PRESET_DEFAULT || preset > CSM_PRESET_BAREMETRICS)
        return CSM_EINVAL;
    const int stripe = preset == CSM_PRESET_STRIPE;
    o->reactivation_window = 0;
    o->tolerance = 0.0;
    o->count_intra_period = stripe;
    o->churn_denominator = stripe ? CSM_DENOM_START_PLUS_NEW : CSM_DENOM_START;
    return CSM_OK;
}

/* per-bucket accumulators */
enum {
    M_OPEN, /* only used for the closing of month first-1 */
    M_NEW,
    M_REACT,
    M_EXP,
    M_CONTR,
    M_CHURN,
    M_ADJ,
    M_SEGIN,
    M_SEGOUT,
    M_CLOSE,
    M_N
};
enum {
    C_NEW,
    C_REACT,
    C_EXP,
    C_CONTR,
    C_CHURN,
    C_SEGIN,
    C_SEGOUT,
    C_CLOSE,
    C_INTRA,
    C_N
};

typedef struct {
    csm__ksum m[M_N];
    int64_t c[C_N];
} bucket;

#define COL(m, n, ty, st, r, d) CSM__COLDEF(csm_movements, m, n, ty, st, r, d)
static const csm__coldef mov_cols[] = {CSM_MOVEMENTS_COLUMNS(COL)};
#undef COL
#define COL(m, n, ty, st, r, d)                                                \
    CSM__COLDEF(csm_movements_events, m, n, ty, st, r, d)
static const csm__coldef ev_cols[] = {CSM_MOVEMENTS_EVENTS_COLUMNS(COL)};
#undef COL

CSM__DEFINE_RESULT_FREE(csm_movements_free, csm_movements)
CSM__DEFINE_RESULT_FREE(csm_movements_events_free, csm_movements_events)

CSM_API const char *csm_movements_kind_name(int kind) {
    static const char *const names[] = {
        "unknown",     "new",   "reactivation", "expansion", "contraction",
        "churn",       "adjustment", "segment_in", "segment_out"};
    return kind >= CSM_MOVEMENTS_NEW && kind <= CSM_MOVEMENTS_SEGMENT_OUT
               ? names[kind]
               : "unknown";
}

/* The accumulators of each kind of event (M_N / C_N: none). */
static const int kind_m[] = {M_N,     M_NEW,   M_REACT, M_EXP,   M_CONTR,
                             M_CHURN, M_ADJ,   M_SEGIN, M_SEGOUT};
static const int kind_c[] = {C_N,     C_NEW, C_REACT, C_EXP,  C_CONTR,
                             C_CHURN, C_N,   C_SEGIN, C_SEGOUT};

/* One movement of a customer: its kind (csm_movements_kind), month, the
 * segment index it counts in, its amount in its line of the table, and
 * the customer's MRR in the month before and the month. */
typedef struct {
    int kind;
    int32_t month;
    uint32_t seg;
    double amount, before, after;
} event;

/* The movements that entry j of a customer (entries [lo, hi)) makes, by
 * the rules of internal/movements.h and the options: at most two in its
 * own month (how it starts, or its change, or with byseg a segment switch
 * out of the previous entry's segment and into its own) and the churn of
 * the month after when the customer has no entry there.  Writes them to
 * ev in kind order within a month and returns how many.  The one
 * statement of the rules: the movements table buckets these events, the
 * events table lists them. */
#if defined(__GNUC__) || defined(__clang__)
__attribute__((always_inline)) /* in the hot loop of the movements */
#endif
static inline size_t entry_events(event ev[3], const csm_ledger *l,
                                  size_t lo, size_t j, size_t hi,
                                  int64_t win, double tol, int byseg) {
    size_t n = 0;
    const int32_t p = l->period[j];
    const double v = l->mrr[j];
    const uint32_t s = csm__lseg(l, j);
    const csm__start how = csm__entry_start(l, lo, j, win);
    if (how == CSM__START_CONTINUES) {
        const double pv = l->mrr[j - 1];
        const uint32_t ps = csm__lseg(l, j - 1);
        if (byseg && ps != s) {
            ev[n++] = (event){CSM_MOVEMENTS_SEGMENT_IN, p, s, v, pv, v};
            ev[n++] = (event){CSM_MOVEMENTS_SEGMENT_OUT, p, ps, pv, pv, v};
        } else {
            const double d = v - pv;
            if (d != 0.0 && fabs(d) <= tol)
                ev[n++] = (event){CSM_MOVEMENTS_ADJUSTMENT, p, s, d, pv, v};
            else if (d > 0)
                ev[n++] = (event){CSM_MOVEMENTS_EXPANSION, p, s, d, pv, v};
            else if (d < 0)
                ev[n++] = (event){CSM_MOVEMENTS_CONTRACTION, p, s, -d, pv, v};
        }
    } else {
        ev[n++] = (event){how == CSM__START_REACTIVATES
                              ? CSM_MOVEMENTS_REACTIVATION
                              : CSM_MOVEMENTS_NEW,
                          p, s, v, 0.0, v};
    }
    /* churn in p+1 when the next month has no entry */
    if (csm__entry_churns(l, j, hi) && p < INT32_MAX)
        ev[n++] = (event){CSM_MOVEMENTS_CHURN, p + 1, s, v, v, 0.0};
    return n;
}

/* Add one event of customer `cust_seg` at month t to the bucket table. */
static inline bucket *bk(bucket *b, int32_t t, int32_t base, size_t nseg,
                         uint32_t seg) {
    return &b[(size_t)(t - base) * nseg + seg];
}

/* Daily churn-rate convention (CSM_DENOM_DAILY): for every day d of the
 * month, churned(d) / active(d) with active(d) = service intervals that
 * cover day d-1 and churned(d) = intervals that end on day d-1; the
 * month's rate is the sum over its days.  Overwrites customer_churn_rate
 * (and its zero-denominator flag) in every row. */
static csm_status daily_rates(csm_movements *m, const csm_ledger *l,
                              int32_t first, int32_t last, size_t nseg,
                              int byseg) {
    const csm_allocator *a = csm__ledger_allocator(l);
    /* days x from D0 - 1 (the day before the first month) to D1 - 1 */
    int64_t d0 = csm__month_first_day(first) - 1;
    int64_t d1 = csm__month_first_day(last + 1) - 1;
    size_t nd = (size_t)(d1 - d0 + 1);
    int64_t *cover = csm__alloc_array(a, (nd + 1) * nseg, sizeof *cover);
    int64_t *ends = csm__alloc_array(a, nd * nseg, sizeof *ends);
    if (!cover || !ends) {
        csm__free(a, cover);
        csm__free(a, ends);
        return CSM_ENOMEM;
    }
    memset(cover, 0, (nd + 1) * nseg * sizeof *cover);
    memset(ends, 0, nd * nseg * sizeof *ends);
    for (size_t i = 0; i < l->n_iv; i++) {
        size_t s = byseg ? l->iv_seg[i] : 0;
        if (s >= nseg)
            continue; /* segment unknown to the ledger */
        int64_t lo = l->iv_start[i], hi = l->iv_end[i];
        if (hi < d0 || lo > d1)
            continue;
        int64_t clo = lo < d0 ? d0 : lo, chi = hi > d1 ? d1 : hi;
        cover[(size_t)(clo - d0) * nseg + s]++;
        cover[(size_t)(chi - d0 + 1) * nseg + s]--;
        if (hi <= d1 && hi >= d0)
            ends[(size_t)(hi - d0) * nseg + s]++;
    }
    for (size_t x = 1; x < nd; x++)
        for (size_t s = 0; s < nseg; s++)
            cover[x * nseg + s] += cover[(x - 1) * nseg + s];
    for (size_t t = 0; t < m->n_months; t++) {
        int32_t mon = first + (int32_t)t;
        int64_t md0 = csm__month_first_day(mon);
        int64_t md1 = csm__month_first_day(mon + 1) - 1;
        for (size_t s = 0; s < nseg; s++) {
            size_t r = t * nseg + s;
            csm__ksum k = {0, 0};
            int any = 0;
            for (int64_t d = md0; d <= md1; d++) {
                size_t x = (size_t)(d - 1 - d0);
                int64_t act = cover[x * nseg + s];
                if (act > 0) {
                    any = 1;
                    csm__ksum_add(&k, (double)ends[x * nseg + s] / (double)act);
                }
            }
            if (any) {
                m->customer_churn_rate[r] = csm__ksum_value(&k);
            } else {
                m->customer_churn_rate[r] = NAN;
                m->flags[r] |= CSM_FLAG_ZERO_DENOMINATOR;
            }
        }
    }
    csm__free(a, cover);
    csm__free(a, ends);
    return CSM_OK;
}

/* The argument checks of csm_movements_compute,
 * csm_movements_events_compute and csm_movements_partial_compute:
 * csm__ledger_call's (out: has_out; the caller's opts read over the
 * defaults into *o), the options, then the month range [*first, *last] of
 * *n_months months (0 without one: an empty ledger and no explicit
 * range).  partial: the ledger is one partition, so its months do not
 * make the range: only an explicit range (both ends) is checked, and
 * *n_months is 0 without one.  The caller sets its *out to NULL whatever
 * this returns. */
static csm_status movements_call(int has_out, int partial,
                                 csm_movements_opts *o,
                                 const csm_ledger *l,
                                 const csm_movements_opts *opts,
                                 int32_t *first, int32_t *last,
                                 size_t *n_months, csm_error *err) {
    *o = (csm_movements_opts)CSM_MOVEMENTS_OPTS_INIT;
    csm_status st = csm__ledger_call(has_out, l, o, sizeof *o, opts, err);
    if (st != CSM_OK)
        return st;
    if (o->reactivation_window < 0)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW,
                         "opts.reactivation_window", "must be >= 0");
    if (!(o->tolerance >= 0.0) || !isfinite(o->tolerance))
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "opts.tolerance",
                         "must be finite and >= 0");
    if (o->churn_denominator < CSM_DENOM_START ||
        o->churn_denominator > CSM_DENOM_DAILY)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW,
                         "opts.churn_denominator", "unknown denominator");
    if (o->churn_denominator == CSM_DENOM_DAILY && l->n_iv == 0 &&
        l->n_ent > 0)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW,
                         "opts.churn_denominator",
                         "daily churn rates need day-level data: build the "
                         "ledger with csm_ledger_from_contracts");
    *first = o->first_month != CSM_MONTH_NONE ? o->first_month
             : partial                         ? CSM_MONTH_NONE
                                               : l->first_month;
    *last = o->last_month != CSM_MONTH_NONE ? o->last_month
            : partial                        ? CSM_MONTH_NONE
                                             : l->last_month;
    *n_months = 0;
    if (*first != CSM_MONTH_NONE && *last != CSM_MONTH_NONE) {
        if (*first > *last)
            return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "opts.first_month",
                             "first_month is after last_month");
        st = csm__check_month_range(*first, *last, err);
        if (st != CSM_OK)
            return st;
        *n_months = (size_t)((int64_t)*last - *first + 1);
    }
    return CSM_OK;
}

/* Add the closings and movements of the ledger's entries to the buckets
 * of the months [base, top] (b: (top - base + 1) x nseg buckets, month
 * t's bucket of segment index s at (t - base) * nseg + s): closings of
 * every month of it, movements of the months after base (the bucket of
 * base only opens the month base + 1). */
static void accumulate(bucket *b, const csm_ledger *l,
                       const csm_movements_opts *o, int32_t base, int32_t top,
                       size_t nseg) {
    const int64_t win = o->reactivation_window;
    const double tol = o->tolerance;
    const int byseg = o->by_segment != 0;
#define IN(t) ((t) > base && (t) <= top)
#define BK(t, s) bk(b, (t), base, nseg, byseg ? (s) : 0)
    for (size_t c = 0; c < l->n_cust; c++) {
        size_t lo = l->cust_off[c], hi = l->cust_off[c + 1];
        for (size_t j = lo; j < hi; j++) {
            const int32_t p = l->period[j];
            if (p < base || p > top)
                continue; /* no closing and no event in the range */
            bucket *x = BK(p, csm__lseg(l, j)); /* closing of p */
            csm__ksum_add(&x->m[M_CLOSE], l->mrr[j]);
            x->c[C_CLOSE]++;
            event ev[3];
            const size_t ne = entry_events(ev, l, lo, j, hi, win, tol, byseg);
            for (size_t k = 0; k < ne; k++) {
                if (!IN(ev[k].month))
                    continue;
                bucket *y = BK(ev[k].month, ev[k].seg);
                csm__ksum_add(&y->m[kind_m[ev[k].kind]], ev[k].amount);
                if (kind_c[ev[k].kind] != C_N)
                    y->c[kind_c[ev[k].kind]]++;
            }
        }
    }
    for (size_t k = 0; k < l->n_intra; k++) {
        int32_t p = l->intra_month[k];
        if (IN(p))
            BK(p, l->intra_seg[k])->c[C_INTRA]++;
    }
#undef IN
#undef BK
}

/* The rows of m (its n_months x nseg) from the buckets b of the months
 * first - 1 .. first + n_months - 1 (as accumulate's with base first - 1),
 * segment keys: CSM_CODE_ALL when not by segment, else keys[s] (keys NULL:
 * segment 0). */
static void fill_rows(csm_movements *m, const bucket *b, int32_t first,
                      size_t nseg, const int32_t *keys,
                      const csm_movements_opts *o) {
    const int byseg = o->by_segment != 0;
    for (size_t t = 0; t < m->n_months; t++) {
        for (size_t s = 0; s < nseg; s++) {
            size_t r = t * nseg + s;
            const bucket *prev = &b[t * nseg + s];
            const bucket *x = &b[(t + 1) * nseg + s];
            uint32_t fl = 0;
            m->month[r] = first + (int32_t)t;
            m->segment[r] = !byseg ? CSM_CODE_ALL : keys ? keys[s] : 0;
            double open = csm__ksum_value(&prev->m[M_CLOSE]);
            double nw = csm__ksum_value(&x->m[M_NEW]);
            double re = csm__ksum_value(&x->m[M_REACT]);
            double ex = csm__ksum_value(&x->m[M_EXP]);
            double co = csm__ksum_value(&x->m[M_CONTR]);
            double ch = csm__ksum_value(&x->m[M_CHURN]);
            double ad = csm__ksum_value(&x->m[M_ADJ]);
            double si = csm__ksum_value(&x->m[M_SEGIN]);
            double so = csm__ksum_value(&x->m[M_SEGOUT]);
            double close = csm__ksum_value(&x->m[M_CLOSE]);
            m->opening_mrr[r] = open;
            m->new_mrr[r] = nw;
            m->reactivation_mrr[r] = re;
            m->expansion_mrr[r] = ex;
            m->contraction_mrr[r] = co;
            m->churn_mrr[r] = ch;
            m->adjustment_mrr[r] = ad;
            m->segment_in_mrr[r] = si;
            m->segment_out_mrr[r] = so;
            /* compensated: the bridge lines added in one fixed order */
            csm__ksum nn = {0, 0};
            csm__ksum_add(&nn, nw);
            csm__ksum_add(&nn, re);
            csm__ksum_add(&nn, ex);
            csm__ksum_add(&nn, -co);
            csm__ksum_add(&nn, -ch);
            csm__ksum_add(&nn, ad);
            csm__ksum_add(&nn, si);
            csm__ksum_add(&nn, -so);
            m->net_new_mrr[r] = csm__ksum_value(&nn);
            m->closing_mrr[r] = close;
            int64_t oc = prev->c[C_CLOSE];
            int64_t intra = o->count_intra_period ? x->c[C_INTRA] : 0;
            m->opening_customers[r] = oc;
            m->closing_customers[r] = x->c[C_CLOSE];
            m->new_customers[r] = x->c[C_NEW] + intra;
            m->reactivated_customers[r] = x->c[C_REACT];
            m->expanded_customers[r] = x->c[C_EXP];
            m->contracted_customers[r] = x->c[C_CONTR];
            m->churned_customers[r] = x->c[C_CHURN] + intra;
            m->segment_in_customers[r] = x->c[C_SEGIN];
            m->segment_out_customers[r] = x->c[C_SEGOUT];
            m->intra_period_customers[r] = x->c[C_INTRA];
            double den;
            switch (o->churn_denominator) {
            case CSM_DENOM_START_PLUS_NEW:
                den = (double)(oc + m->new_customers[r] +
                               m->reactivated_customers[r]);
                break;
            case CSM_DENOM_AVERAGE:
                den = 0.5 * (double)(oc + m->closing_customers[r]);
                break;
            default:
                den = (double)oc;
            }
            /* the daily convention fills this in afterwards */
            m->customer_churn_rate[r] =
                o->churn_denominator == CSM_DENOM_DAILY
                    ? NAN
                    : csm__ratio((double)m->churned_customers[r], den, &fl);
            m->gross_mrr_churn_rate[r] = csm__ratio(ch + co, open, &fl);
            m->net_mrr_churn_rate[r] =
                csm__ratio((ch + co) - (ex + re), open, &fl);
            m->quick_ratio[r] = csm__ratio(nw + re + ex, co + ch, &fl);
            m->arpa[r] = csm__ratio(close, (double)x->c[C_CLOSE], &fl);
            m->arr[r] = 12.0 * close;
            m->flags[r] = fl;
        }
    }
}

/* A movements table of n_months x nseg rows from allocator a, its sizes
 * set; NULL when out of memory. */
static csm_movements *movements_new(const csm_allocator *a, size_t n_months,
                                    size_t nseg) {
    size_t nrows = n_months * nseg;
    csm__tabspec spec = {"movements", mov_cols, CSM__NCOLS(mov_cols), nrows};
    csm_movements *m =
        csm__result_new(a, "movements", sizeof *m, &spec, 1, NULL, 0, 0);
    if (!m)
        return NULL;
    m->n_rows = nrows;
    m->n_months = n_months;
    m->n_segments = nseg;
    return m;
}

CSM_API csm_status csm_movements_compute(csm_movements **out,
                                         const csm_ledger *l,
                                         const csm_movements_opts *opts,
                                         csm_error *err) {
    csm_movements_opts o;
    int32_t first, last;
    size_t n_months;
    csm_status st = movements_call(out != NULL, 0, &o, l, opts, &first, &last,
                                   &n_months, err);
    if (out)
        *out = NULL;
    if (st != CSM_OK)
        return st;
    size_t nseg = csm__seg_rows(l, o.by_segment != 0);
    const csm_allocator *a = csm__ledger_allocator(l);

    csm_movements *m = movements_new(a, n_months, nseg);
    if (!m)
        return csm__fail(err, CSM_ENOMEM, CSM_NO_ROW, NULL, NULL);
    /* buckets for months first-1 .. last */
    size_t nb = (n_months + 1) * nseg;
    bucket *b = csm__alloc_array(a, nb, sizeof *b);
    if (!b) {
        csm_movements_free(m);
        return csm__fail(err, CSM_ENOMEM, CSM_NO_ROW, NULL, NULL);
    }
    memset(b, 0, nb * sizeof *b);
    if (n_months > 0)
        accumulate(b, l, &o, first - 1, last, nseg);
    fill_rows(m, b, first, nseg, l->n_seg ? l->seg_ids : NULL, &o);
    if (o.churn_denominator == CSM_DENOM_DAILY && n_months > 0) {
        st = daily_rates(m, l, first, last, nseg, o.by_segment != 0);
        if (st != CSM_OK) {
            csm__free(a, b);
            csm_movements_free(m);
            return csm__fail(err, st, CSM_NO_ROW, NULL, NULL);
        }
    }
    csm__free(a, b);
    *out = m;
    return CSM_OK;
}

/* ---- partial states (csmetrics/partial.h) ------------------------------- */
_Static_assert(M_N == CSM__PARTIAL_MOVEMENTS_NM, "movements sums");
_Static_assert(C_N == CSM__PARTIAL_MOVEMENTS_NC, "movements counts");

/* The options of a state as its params, and back. */
enum { P_WIN, P_TOL, P_INTRA, P_DENOM, P_BYSEG, P_FIRST, P_LAST };
_Static_assert(P_BYSEG == CSM__PARTIAL_MOVEMENTS_BYSEG, "movements by_segment");
_Static_assert(P_FIRST == CSM__PARTIAL_MOVEMENTS_FIRST &&
                   P_LAST == CSM__PARTIAL_MOVEMENTS_LAST,
               "movements range");
static void opts_to_params(int64_t *pa, const csm_movements_opts *o) {
    pa[P_WIN] = o->reactivation_window;
    pa[P_TOL] = csm__param_f64(o->tolerance);
    pa[P_INTRA] = o->count_intra_period != 0;
    pa[P_DENOM] = o->churn_denominator;
    pa[P_BYSEG] = o->by_segment != 0;
    pa[P_FIRST] = o->first_month;
    pa[P_LAST] = o->last_month;
}
static void params_to_opts(csm_movements_opts *o, const int64_t *pa) {
    *o = (csm_movements_opts)CSM_MOVEMENTS_OPTS_INIT;
    o->reactivation_window = (int32_t)pa[P_WIN];
    o->tolerance = csm__param_to_f64(pa[P_TOL]);
    o->count_intra_period = (int)pa[P_INTRA];
    o->churn_denominator = (int)pa[P_DENOM];
    o->by_segment = (int)pa[P_BYSEG];
    o->first_month = (int32_t)pa[P_FIRST];
    o->last_month = (int32_t)pa[P_LAST];
}

CSM_API csm_status csm_movements_partial_compute(
    csm_partial **out, const csm_ledger *l, const csm_movements_opts *opts,
    csm_error *err) {
    csm_movements_opts o;
    int32_t first, last;
    size_t n_months;
    csm_status st = movements_call(out != NULL, 1, &o, l, opts, &first, &last,
                                   &n_months, err);
    if (out)
        *out = NULL;
    if (st != CSM_OK)
        return st;
    if (o.churn_denominator == CSM_DENOM_DAILY)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "opts.churn_denominator",
                         "daily churn rates do not merge by partition");
    const int byseg = o.by_segment != 0;
    const int explicit_range =
        o.first_month != CSM_MONTH_NONE && o.last_month != CSM_MONTH_NONE;
    /* The grid: an explicit range's months first - 1 .. last; else every
     * month this partition can put a figure in (its entries' months, the
     * churns of the month after, its intra-period months), so that the
     * merged range, known only at the end, finds them all. */
    /* (int64: the month before first_month INT32_MIN + 1 is a month of
     * the grid, not CSM_MONTH_NONE; fuzz-partial) */
    int64_t base = (int64_t)first - 1, top = last;
    int has = explicit_range && n_months > 0; /* a grid */
    if (!explicit_range) {
        has = l->first_month != CSM_MONTH_NONE || l->n_intra > 0;
        base = l->first_month != CSM_MONTH_NONE ? (int64_t)l->first_month - 1
                                                : INT64_MAX;
        top = l->last_month != CSM_MONTH_NONE ? (int64_t)l->last_month + 1
                                              : INT64_MIN;
        for (size_t k = 0; k < l->n_intra; k++) {
            const int64_t p = l->intra_month[k];
            base = p - 1 < base ? p - 1 : base;
            top = p > top ? p : top;
        }
        if (o.first_month != CSM_MONTH_NONE)
            base = (int64_t)o.first_month - 1; /* only the end is open */
        if (o.last_month != CSM_MONTH_NONE)
            top = o.last_month; /* only the start is open */
        if (base >= top)
            has = 0; /* nothing inside the range */
        /* a range of one explicit end and this partition's data: the
         * one-shot call's range holds it, so is as long (fuzz-partial: a
         * first_month of year -170,000,000 made a grid of 2^31 months) */
        if (has) {
            st = csm__check_month_range(base + 1, top - 1, err);
            if (st != CSM_OK)
                return st;
        }
    }
    const size_t n_grid = has ? (size_t)(top - base + 1) : 0;
    const size_t nseg = byseg ? l->n_seg : 1;
    const csm_allocator *a = csm__ledger_allocator(l);
    csm_partial *p = csm__partial_new(a, CSM_PARTIAL_MOVEMENTS, byseg,
                                      l->seg_ids, l->n_seg,
                                      n_grid ? (int32_t)base : 0, n_grid, M_N,
                                      C_N);
    bucket *b = NULL;
    if (!p)
        goto oom;
    opts_to_params(p->params, &o);
    p->data_first = l->first_month;
    p->data_last = l->last_month;
    if (n_grid && nseg) {
        b = csm__alloc_array(a, n_grid * nseg, sizeof *b);
        if (!b)
            goto oom;
        memset(b, 0, n_grid * nseg * sizeof *b);
        accumulate(b, l, &o, (int32_t)base, (int32_t)top, nseg);
        for (size_t i = 0; i < n_grid * nseg; i++) {
            memcpy(&p->m[i * M_N], b[i].m, sizeof b[i].m);
            memcpy(&p->c[i * C_N], b[i].c, sizeof b[i].c);
        }
        csm__free(a, b);
    }
    *out = p;
    return CSM_OK;
oom:
    csm_partial_free(p);
    return csm__fail(err, CSM_ENOMEM, CSM_NO_ROW, NULL, NULL);
}

CSM_API csm_status csm_movements_partial_finalize(csm_movements **out,
                                                  const csm_partial *p,
                                                  csm_error *err) {
    csm_status st0 = csm__partial_call(out != NULL, p, CSM_PARTIAL_MOVEMENTS, err);
    if (out)
        *out = NULL;
    if (st0 != CSM_OK)
        return st0;
    csm_movements_opts o;
    params_to_opts(&o, p->params);
    /* the range as the one-shot call finds it on all the customers */
    int32_t first = o.first_month != CSM_MONTH_NONE ? o.first_month
                                                     : p->data_first;
    int32_t last = o.last_month != CSM_MONTH_NONE ? o.last_month : p->data_last;
    size_t n_months = 0;
    if (first != CSM_MONTH_NONE && last != CSM_MONTH_NONE) {
        if (first > last)
            return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "opts.first_month",
                             "first_month is after last_month");
        csm_status st = csm__check_month_range(first, last, err);
        if (st != CSM_OK)
            return st;
        n_months = (size_t)((int64_t)last - first + 1);
    }
    const int byseg = o.by_segment != 0;
    const size_t nseg = byseg ? (p->n_keys ? p->n_keys : 1) : 1;
    const csm_allocator *a = csm__partial_allocator(p);
    csm_movements *m = movements_new(a, n_months, nseg);
    size_t nb = (n_months + 1) * nseg;
    bucket *b = m ? csm__alloc_array(a, nb, sizeof *b) : NULL;
    if (!b) {
        csm_movements_free(m);
        return csm__fail(err, CSM_ENOMEM, CSM_NO_ROW, NULL, NULL);
    }
    memset(b, 0, nb * sizeof *b);
    /* the grid's buckets of the months first - 1 .. last (p->n_keys == nseg
     * whenever the grid has buckets) */
    for (size_t t = 0; n_months && t <= n_months; t++) {
        int64_t mon = (int64_t)first - 1 + (int64_t)t;
        if (mon < p->lo || mon >= (int64_t)p->lo + (int64_t)p->n_months)
            continue;
        for (size_t s = 0; s < p->n_keys; s++) {
            size_t g = csm__partial_bucket(p, (int32_t)mon, s);
            memcpy(b[t * nseg + s].m, &p->m[g * M_N], sizeof b->m);
            memcpy(b[t * nseg + s].c, &p->c[g * C_N], sizeof b->c);
        }
    }
    fill_rows(m, b, first, nseg, NULL, &o);
    if (byseg && p->n_keys)
        csm__partial_segments(m->segment, m->n_months * nseg, nseg, p);
    csm__free(a, b);
    *out = m;
    return CSM_OK;
}

/* One pass of csm_movements_events_compute over the entries that can
 * make an event in [first, last]: with e NULL, count the events of month
 * first + t in next[t]; else write each event at row next[t] of e (the
 * first row of its month, from the counts) and advance it.  The rows of
 * a month are so in ledger order: customer id, then kind. */
static void place_events(csm_movements_events *e, size_t *next,
                         const csm_ledger *l, const csm_movements_opts *o,
                         int32_t first, int32_t last) {
    for (size_t c = 0; c < l->n_cust; c++) {
        const size_t lo = l->cust_off[c], hi = l->cust_off[c + 1];
        for (size_t j = lo; j < hi; j++) {
            const int32_t p = l->period[j];
            if (p < (int64_t)first - 1 || p > last)
                continue;
            event ev[3];
            const size_t ne =
                entry_events(ev, l, lo, j, hi, o->reactivation_window,
                             o->tolerance, o->by_segment != 0);
            for (size_t k = 0; k < ne; k++) {
                if (ev[k].month < first || ev[k].month > last)
                    continue;
                size_t *row = &next[ev[k].month - first];
                if (!e) {
                    ++*row;
                    continue;
                }
                const size_t r = (*row)++;
                e->month[r] = ev[k].month;
                e->customer_id[r] = l->cust_id[c];
                e->kind_code[r] = ev[k].kind;
                e->segment[r] = l->n_seg ? l->seg_ids[ev[k].seg] : 0;
                e->amount[r] = ev[k].amount;
                e->mrr_before[r] = ev[k].before;
                e->mrr_after[r] = ev[k].after;
            }
        }
    }
}

CSM_API csm_status csm_movements_events_compute(
    csm_movements_events **out, const csm_ledger *l,
    const csm_movements_opts *opts, csm_error *err) {
    csm_movements_opts o;
    int32_t first, last;
    size_t n_months;
    csm_status st = movements_call(out != NULL, 0, &o, l, opts, &first, &last,
                                   &n_months, err);
    if (out)
        *out = NULL;
    if (st != CSM_OK)
        return st;
    const csm_allocator *a = csm__ledger_allocator(l);
    /* next[t]: the events of month first + t, then the row of its next */
    size_t *next = csm__alloc_array(a, n_months + 1, sizeof *next);
    if (!next)
        return csm__fail(err, CSM_ENOMEM, CSM_NO_ROW, NULL, NULL);
    memset(next, 0, (n_months + 1) * sizeof *next);
    if (n_months > 0)
        place_events(NULL, next, l, &o, first, last);
    size_t total = 0;
    for (size_t t = 0; t < n_months; t++) {
        const size_t n = next[t];
        next[t] = total;
        total += n;
    }
    size_t text = 0;
    for (int k = CSM_MOVEMENTS_NEW; k <= CSM_MOVEMENTS_SEGMENT_OUT; k++)
        text += strlen(csm_movements_kind_name(k)) + 1;
    const csm__tabspec spec = {"movement_events", ev_cols,
                               CSM__NCOLS(ev_cols), total};
    csm_movements_events *e = csm__result_new(
        a, "movement_events", sizeof *e, &spec, 1, NULL, 0, text);
    if (!e) {
        csm__free(a, next);
        return csm__fail(err, CSM_ENOMEM, CSM_NO_ROW, NULL, NULL);
    }
    e->n_rows = total;
    if (n_months > 0)
        place_events(e, next, l, &o, first, last);
    csm__free(a, next);
    /* the kind names: one copy each in the result's text pool (sized for
     * all of them above) */
    const char *names[CSM_MOVEMENTS_SEGMENT_OUT + 1] = {NULL};
    for (size_t r = 0; r < total; r++) {
        const int k = e->kind_code[r];
        if (!names[k])
            names[k] = csm__result_text(e, csm_movements_kind_name(k));
        e->kind[r] = names[k];
    }
    *out = e;
    return CSM_OK;
}
