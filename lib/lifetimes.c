/* lifetimes.c - customer lifetimes read off an MRR ledger: the first
 * unbroken run of active months of each customer, churned or censored at
 * the as-of month (the "lifetimes" table); and their partial states, the
 * Kaplan-Meier counts by time (csmetrics/partial.h). */
#include <string.h>

#include "csmetrics/lifetimes.h"
#include "internal/ledger_impl.h"
#include "internal/movements.h"
#include "internal/partial.h"
#include "internal/table.h"
#include "internal/util.h"

CSM__DEFINE_OPTS_INIT(csm_lifetimes_opts_init, csm_lifetimes_opts, CSM_LIFETIMES_OPTS_INIT)

#define LT_COL(m, n, ty, st, r, d)                                             \
    CSM__COLDEF(csm_lifetimes, m, n, ty, st, r, d)
static const csm__coldef lt_cols[] = {CSM_LIFETIMES_COLUMNS(LT_COL)};
#undef LT_COL

CSM__DEFINE_RESULT_FREE(csm_lifetimes_free, csm_lifetimes)

/* The last month of the first unbroken run of customer c (its first
 * entry's month <= as_of): the run ends at the first entry that churns
 * (internal/movements.h), or at as_of. */
static int32_t run_end(const csm_ledger *l, size_t c, int32_t as_of) {
    const size_t end = l->cust_off[c + 1];
    size_t q = l->cust_off[c];
    while (!csm__entry_churns(l, q, end) && l->period[q + 1] <= as_of)
        q++;
    return l->period[q];
}

CSM_API csm_status csm_lifetimes_from_ledger(csm_lifetimes **out,
                                             const csm_ledger *l,
                                             const csm_lifetimes_opts *opts,
                                             csm_error *err) {
    csm_lifetimes_opts o = CSM_LIFETIMES_OPTS_INIT;
    csm_status st = csm__ledger_call(out != NULL, l, &o, sizeof o, opts, err);
    if (out)
        *out = NULL;
    if (st != CSM_OK)
        return st;
    const csm_allocator *a = csm__ledger_allocator(l);
    const int32_t as_of = o.as_of == CSM_MONTH_NONE ? l->last_month : o.as_of;

    /* every entry is active (csm__ledger_active): a customer's lifetime
     * starts at its first entry, if that is not after as_of */
    size_t cnt = 0;
    for (size_t c = 0; c < l->n_cust; c++)
        cnt += l->period[l->cust_off[c]] <= as_of;
    const csm__tabspec tab = {"lifetimes", lt_cols, CSM__NCOLS(lt_cols), cnt};
    csm_lifetimes *lt =
        csm__result_new(a, "lifetimes", sizeof *lt, &tab, 1, NULL, 0, 0);
    if (!lt)
        return csm__fail(err, CSM_ENOMEM, CSM_NO_ROW, NULL, NULL);
    lt->n_rows = cnt;
    lt->n = cnt;
    size_t k = 0;
    for (size_t c = 0; c < l->n_cust && k < cnt; c++) {
        const size_t j = l->cust_off[c];
        if (l->period[j] > as_of)
            continue;
        const int32_t f = l->period[j];
        const int32_t last = run_end(l, c, as_of);
        lt->customer_id[k] = l->cust_id[c];
        lt->first_month[k] = f;
        lt->segment[k] = csm__lseg_id(l, j);
        if (last < as_of) { /* churned in month last + 1 <= as_of */
            lt->duration[k] = (double)((int64_t)last + 1 - f);
            lt->event[k] = 1;
        } else {
            lt->duration[k] = (double)((int64_t)as_of - f + 1);
            lt->event[k] = 0;
        }
        k++;
    }
    *out = lt;
    return CSM_OK;
}

/* ---- partial states: Kaplan-Meier counts by time ------------------------- */
/* The grid: months = the month e a customer's first run ends in, keys =
 * the segment ids (always; the curves by segment or not are chosen when
 * finalizing), ages = the run's length D = e - f + 1 (age 0 unused); one
 * count a cell.  A run is a churn when e < as_of (the option, or the last
 * month of all the data), else censored. */
enum { P_ASOF };

CSM_API csm_status csm_lifetimes_partial_compute(
    csm_partial **out, const csm_ledger *l, const csm_lifetimes_opts *opts,
    csm_error *err) {
    csm_lifetimes_opts o = CSM_LIFETIMES_OPTS_INIT;
    csm_status st = csm__ledger_call(out != NULL, l, &o, sizeof o, opts, err);
    if (out)
        *out = NULL;
    if (st != CSM_OK)
        return st;
    /* a run reaching this partition's last month ends there, whatever the
     * later as_of of all the data */
    const int32_t as_of = o.as_of == CSM_MONTH_NONE ? l->last_month : o.as_of;
    int32_t e_lo = INT32_MAX, e_hi = INT32_MIN;
    int64_t d_max = 0;
    for (size_t c = 0; c < l->n_cust; c++) {
        const int32_t f = l->period[l->cust_off[c]];
        if (f > as_of)
            continue;
        const int32_t e = run_end(l, c, as_of);
        e_lo = e < e_lo ? e : e_lo;
        e_hi = e > e_hi ? e : e_hi;
        d_max = (int64_t)e - f + 1 > d_max ? (int64_t)e - f + 1 : d_max;
    }
    const size_t n_months = e_hi >= e_lo ? (size_t)((int64_t)e_hi - e_lo + 1) : 0;
    csm_partial *p = csm__partial_new_aged(
        csm__ledger_allocator(l), CSM_PARTIAL_LIFETIMES, 1, l->seg_ids,
        l->n_seg, n_months ? e_lo : 0, n_months, (size_t)d_max + 1,
        CSM__PARTIAL_LIFETIMES_NM, CSM__PARTIAL_LIFETIMES_NC);
    if (!p)
        return csm__fail(err, CSM_ENOMEM, CSM_NO_ROW, NULL, NULL);
    p->params[P_ASOF] = o.as_of;
    p->data_first = l->first_month;
    p->data_last = l->last_month;
    for (size_t c = 0; n_months && c < l->n_cust; c++) {
        const size_t j = l->cust_off[c];
        const int32_t f = l->period[j];
        if (f > as_of)
            continue;
        const int32_t e = run_end(l, c, as_of);
        p->c[csm__partial_bucket(p, e, csm__lseg(l, j)) + (size_t)(e - f + 1)]++;
    }
    *out = p;
    return CSM_OK;
}

CSM_API csm_status csm_lifetimes_partial_km(csm_km **out,
                                            const csm_partial *p,
                                            int by_segment,
                                            const csm_km_opts *km_opts,
                                            csm_error *err) {
    csm_status st =
        csm__partial_call(out != NULL, p, CSM_PARTIAL_LIFETIMES, err);
    if (out)
        *out = NULL;
    if (st != CSM_OK)
        return st;
    /* always keyed by segment (csm__partial_call's shape rules) */
    csm_km_opts ko = CSM_KM_OPTS_INIT;
    st = csm__opts_load(&ko, sizeof ko, km_opts, err);
    if (st != CSM_OK)
        return st;
    const csm_allocator *a = csm__partial_allocator(p);
    if (!ko.allocator)
        ko.allocator = a;
    const int32_t as_of = p->params[P_ASOF] != CSM_MONTH_NONE
                              ? (int32_t)p->params[P_ASOF]
                              : p->data_last;
    /* the distinct (segment, length, event) with their counts: at most two
     * observations a (segment, length) */
    const size_t ages = p->n_months ? p->n_ages : 1; /* no runs: no cells */
    const size_t cap = 2 * p->n_keys * ages + 1;
    double *dur = csm__alloc_array(a, cap, sizeof *dur);
    double *w = csm__alloc_array(a, cap, sizeof *w);
    uint8_t *ev = csm__alloc_array(a, cap, sizeof *ev);
    int32_t *grp = csm__alloc_array(a, cap, sizeof *grp);
    int64_t *cnt = csm__alloc_array(a, 2 * ages + 1, sizeof *cnt);
    size_t n = 0;
    if (!dur || !w || !ev || !grp || !cnt) {
        st = csm__fail(err, CSM_ENOMEM, CSM_NO_ROW, NULL, NULL);
        goto done;
    }
    for (size_t k = 0; p->n_months && k < p->n_keys; k++) {
        memset(cnt, 0, 2 * p->n_ages * sizeof *cnt);
        for (size_t t = 0; t < p->n_months; t++) {
            const int32_t e = p->lo + (int32_t)t;
            const size_t b = csm__partial_bucket(p, e, k);
            for (size_t d = 1; d < p->n_ages; d++)
                cnt[2 * d + (e < as_of)] += p->c[b + d];
        }
        for (size_t d = 1; d < p->n_ages; d++)
            for (int churned = 1; churned >= 0; churned--) {
                if (cnt[2 * d + (size_t)churned] == 0)
                    continue;
                dur[n] = (double)d;
                ev[n] = (uint8_t)churned;
                w[n] = (double)cnt[2 * d + (size_t)churned];
                grp[n] = (int32_t)p->keys[k]; /* segment ids */
                n++;
            }
    }
    st = csm_km_compute(out, dur, ev, w, by_segment ? grp : NULL, n, &ko, err);
done:
    csm__free(a, dur);
    csm__free(a, w);
    csm__free(a, ev);
    csm__free(a, grp);
    csm__free(a, cnt);
    return st;
}
