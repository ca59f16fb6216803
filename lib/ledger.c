/* ledger.c - validated, sorted MRR ledger built from rows or contracts.
 *
 * Rows are sorted once by (customer, month) with an LSD radix sort on a
 * packed 64-bit key (customer offset << month bits | month offset) carrying
 * a 32-bit row index; keys too wide to pack fall back to qsort.  Duplicates
 * are merged with compensated summation in sorted (then input) order. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "internal/ledger_impl.h"

CSM_API csm_status csm_ledger_opts_init(csm_ledger_opts *opts, size_t size) {
    if (!opts || size < sizeof(size_t))
        return CSM_EINVAL;
    csm_ledger_opts d = CSM_LEDGER_OPTS_INIT;
    memcpy(opts, &d, size < sizeof d ? size : sizeof d);
    opts->size = size < sizeof d ? size : sizeof d;
    return CSM_OK;
}

CSM_API csm_status csm_contract_opts_init(csm_contract_opts *opts,
                                          size_t size) {
    if (!opts || size < sizeof(size_t))
        return CSM_EINVAL;
    csm_contract_opts d = CSM_CONTRACT_OPTS_INIT;
    memcpy(opts, &d, size < sizeof d ? size : sizeof d);
    opts->size = size < sizeof d ? size : sizeof d;
    return CSM_OK;
}

long csm__ledger_seg_index(const csm_ledger *l, int32_t s) {
    size_t lo = 0, hi = l->n_seg;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (l->seg_ids[mid] < s)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < l->n_seg && l->seg_ids[lo] == s)
        return (long)lo;
    return -1;
}

CSM_API void csm_ledger_free(csm_ledger *l) {
    if (!l)
        return;
    csm__lfree(l, l->cust_id);
    csm__lfree(l, l->cust_off);
    csm__lfree(l, l->period);
    csm__lfree(l, l->mrr);
    csm__lfree(l, l->seg);
    csm__lfree(l, l->seg_ids);
    csm__lfree(l, l->intra_month);
    csm__lfree(l, l->intra_seg);
    csm__lfree(l, l->iv_start);
    csm__lfree(l, l->iv_end);
    csm__lfree(l, l->iv_seg);
    csm_allocator a = l->alloc;
    csm__free(a.alloc ? &a : NULL, l);
}

CSM_API size_t csm_ledger_customer_count(const csm_ledger *l) {
    return l ? l->n_cust : 0;
}
CSM_API size_t csm_ledger_entry_count(const csm_ledger *l) {
    return l ? l->n_ent : 0;
}
CSM_API int32_t csm_ledger_first_month(const csm_ledger *l) {
    return l ? l->first_month : CSM_MONTH_NONE;
}
CSM_API int32_t csm_ledger_last_month(const csm_ledger *l) {
    return l ? l->last_month : CSM_MONTH_NONE;
}

CSM_API double csm_ledger_mrr(const csm_ledger *l, int32_t month) {
    if (!l)
        return NAN;
    csm__ksum k = {0, 0};
    for (size_t c = 0; c < l->n_cust; c++) {
        size_t lo = l->cust_off[c], hi = l->cust_off[c + 1];
        while (lo < hi) { /* binary search within the customer */
            size_t mid = lo + (hi - lo) / 2;
            if (l->period[mid] < month)
                lo = mid + 1;
            else
                hi = mid;
        }
        if (lo < l->cust_off[c + 1] && l->period[lo] == month)
            csm__ksum_add(&k, l->mrr[lo]);
    }
    return csm__ksum_value(&k);
}

/* ---- sorting ---------------------------------------------------------- */
static unsigned bits_for(uint64_t range) {
    unsigned b = 0;
    while (range) {
        b++;
        range >>= 1;
    }
    return b;
}

typedef struct {
    int64_t c;
    int32_t p;
    uint32_t row;
} wide_key;

static int cmp_wide(const void *a, const void *b) {
    const wide_key *x = a, *y = b;
    if (x->c != y->c)
        return x->c < y->c ? -1 : 1;
    if (x->p != y->p)
        return x->p < y->p ? -1 : 1;
    return x->row < y->row ? -1 : (x->row > y->row);
}

/* The sorted view: when the packed radix path ran, key[j] is the sorted
 * key of position j (customer = cmin + key >> pb, period = pmin +
 * (key & pmask)), so grouping reads keys sequentially instead of gathering
 * the caller's columns at random.  key is NULL after the qsort fallback. */
typedef struct {
    uint64_t *key;
    unsigned pb;
    uint64_t pmask;
    int64_t cmin;
    int32_t pmin;
} sorted_view;

/* Produce `order`: row indices sorted by (customer, period, row). */
static csm_status sort_rows(uint32_t *order, sorted_view *sv,
                            const csm_allocator *a, const int64_t *cust,
                            const int32_t *period, size_t n) {
    sv->key = NULL;
    if (n == 0)
        return CSM_OK;
    int64_t cmin = cust[0], cmax = cust[0];
    int32_t pmin = period[0], pmax = period[0];
    for (size_t i = 1; i < n; i++) {
        if (cust[i] < cmin)
            cmin = cust[i];
        if (cust[i] > cmax)
            cmax = cust[i];
        if (period[i] < pmin)
            pmin = period[i];
        if (period[i] > pmax)
            pmax = period[i];
    }
    unsigned cb = bits_for((uint64_t)cmax - (uint64_t)cmin);
    unsigned pb = bits_for((uint64_t)((int64_t)pmax - (int64_t)pmin));
    if (cb + pb > 64) {
        wide_key *w = csm__alloc_array(a, n, sizeof *w);
        if (!w)
            return CSM_ENOMEM;
        for (size_t i = 0; i < n; i++) {
            w[i].c = cust[i];
            w[i].p = period[i];
            w[i].row = (uint32_t)i;
        }
        qsort(w, n, sizeof *w, cmp_wide);
        for (size_t i = 0; i < n; i++)
            order[i] = w[i].row;
        csm__free(a, w);
        return CSM_OK;
    }
    unsigned total = cb + pb;
    uint64_t *key = csm__alloc_array(a, n, sizeof *key);
    uint64_t *key2 = csm__alloc_array(a, n, sizeof *key2);
    uint32_t *ord2 = csm__alloc_array(a, n, sizeof *ord2);
    if (!key || !key2 || !ord2) {
        csm__free(a, key);
        csm__free(a, key2);
        csm__free(a, ord2);
        return CSM_ENOMEM;
    }
    for (size_t i = 0; i < n; i++) {
        uint64_t ck = (uint64_t)cust[i] - (uint64_t)cmin;
        uint64_t pk = (uint64_t)((int64_t)period[i] - (int64_t)pmin);
        key[i] = pb == 64 ? pk : ((ck << pb) | pk);
        order[i] = (uint32_t)i;
    }
    enum { DIGIT = 11, RADIX = 1 << DIGIT };
    size_t count[RADIX];
    uint64_t *ks = key, *kd = key2;
    uint32_t *os = order, *od = ord2;
    for (unsigned shift = 0; shift < total; shift += DIGIT) {
        memset(count, 0, sizeof count);
        for (size_t i = 0; i < n; i++)
            count[(ks[i] >> shift) & (RADIX - 1)]++;
        size_t sum = 0;
        for (size_t d = 0; d < RADIX; d++) {
            size_t t = count[d];
            count[d] = sum;
            sum += t;
        }
        for (size_t i = 0; i < n; i++) {
            size_t pos = count[(ks[i] >> shift) & (RADIX - 1)]++;
            kd[pos] = ks[i];
            od[pos] = os[i];
        }
        uint64_t *tk = ks;
        ks = kd;
        kd = tk;
        uint32_t *to = os;
        os = od;
        od = to;
    }
    if (os != order)
        memcpy(order, os, n * sizeof *order);
    csm__free(a, kd); /* the other key buffer */
    csm__free(a, ord2);
    sv->key = ks;
    sv->pb = pb;
    sv->pmask = pb == 0 ? 0 : (pb >= 64 ? ~0ull : ((1ull << pb) - 1));
    sv->cmin = cmin;
    sv->pmin = pmin;
    return CSM_OK;
}

static int cmp_i32(const void *a, const void *b) {
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
    return (x > y) - (x < y);
}

/* ---- the shared builder ----------------------------------------------- */
/* touch (may be NULL): rows with touch[i] != 0 carry no MRR; they say the
 * customer had service in that month without being active at its end
 * (contracts only), for the intra-period count. */
static csm_status build(csm_ledger **out, const int64_t *cust,
                        const int32_t *period, const double *mrr,
                        const int32_t *segment, const uint8_t *touch,
                        size_t n, const csm_ledger_opts *o, csm_error *err) {
    const csm_allocator *ua = o->allocator;
    if (ua && (!ua->alloc || !ua->free))
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "opts.allocator",
                         "an allocator needs both alloc and free");
    if (n > (size_t)UINT32_MAX)
        return csm__fail(err, CSM_ERANGE, CSM_NO_ROW, "n",
                         "more than 2^32-1 rows in one ledger; build "
                         "ledgers per partition");
    csm_ledger *l = csm__alloc(ua, sizeof *l);
    if (!l)
        return csm__fail(err, CSM_ENOMEM, CSM_NO_ROW, NULL, NULL);
    memset(l, 0, sizeof *l);
    if (ua)
        l->alloc = *ua;
    l->free_is_active = o->free_is_active != 0;
    l->first_month = l->last_month = CSM_MONTH_NONE;
    const csm_allocator *a = ua;
    csm_status st = CSM_OK;
    uint32_t *order = NULL;
    int32_t *segtmp = NULL;
    sorted_view sv = {NULL, 0, 0, 0, 0};

    order = csm__alloc_array(a, n, sizeof *order);
    if (!order) {
        st = CSM_ENOMEM;
        goto fail;
    }
    st = sort_rows(order, &sv, a, cust, period, n);
    if (st != CSM_OK)
        goto fail;
#define CUST(j)                                                                \
    (sv.key ? (int64_t)((uint64_t)sv.cmin + (sv.key[j] >> sv.pb))             \
            : cust[order[j]])
#define PER(j)                                                                 \
    (sv.key ? (int32_t)((int64_t)sv.pmin + (int64_t)(sv.key[j] & sv.pmask))   \
            : period[order[j]])
#define SAME_GROUP(j, i)                                                       \
    (sv.key ? sv.key[j] == sv.key[i]                                           \
            : (cust[order[j]] == cust[order[i]] &&                             \
               period[order[j]] == period[order[i]]))

    /* pass 1: count groups, customers, intra touches; strict check */
    size_t n_groups = 0, n_cust = 0, n_touch = 0;
    for (size_t i = 0; i < n;) {
        size_t j = i;
        int any_real = 0;
        csm__ksum s = {0, 0};
        size_t first_real = 0;
        while (j < n && SAME_GROUP(j, i)) {
            if (!touch || !touch[order[j]]) {
                if (any_real && o->strict) {
                    /* report the later of the two rows in input order */
                    size_t r = order[j] > first_real ? order[j] : first_real;
                    st = csm__fail(err, CSM_EDUP, r, "period",
                                   "duplicate (customer_id, period) row "
                                   "(strict mode)");
                    goto fail_detail;
                }
                if (!any_real)
                    first_real = order[j];
                any_real = 1;
                csm__ksum_add(&s, mrr[order[j]]);
            }
            j++;
        }
        int active = any_real && (csm__ksum_value(&s) > 0.0 ||
                                  l->free_is_active);
        if (active)
            n_groups++;
        else
            n_touch++;
        if (i == 0 || CUST(i) != CUST(i - 1))
            n_cust++;
        i = j;
    }

    l->period = csm__alloc_array(a, n_groups, sizeof *l->period);
    l->mrr = csm__alloc_array(a, n_groups, sizeof *l->mrr);
    l->seg = csm__alloc_array(a, n_groups, sizeof *l->seg);
    l->cust_id = csm__alloc_array(a, n_cust, sizeof *l->cust_id);
    l->cust_off = csm__alloc_array(a, n_cust + 1, sizeof *l->cust_off);
    segtmp = csm__alloc_array(a, n_groups, sizeof *segtmp);
    if (n_touch) {
        l->intra_month = csm__alloc_array(a, n_touch, sizeof *l->intra_month);
        l->intra_seg = csm__alloc_array(a, n_touch, sizeof *l->intra_seg);
    }
    if (!l->period || !l->mrr || !l->seg || !l->cust_id || !l->cust_off ||
        !segtmp || (n_touch && (!l->intra_month || !l->intra_seg))) {
        st = CSM_ENOMEM;
        goto fail;
    }
    /* intra_seg temporarily holds raw segment ids (as uint32 bits) */

    /* pass 2: fill */
    size_t g = 0, c = 0;
    size_t n_intra = 0;
    for (size_t i = 0; i < n;) {
        size_t j = i;
        int any_real = 0;
        csm__ksum s = {0, 0};
        int32_t seg = 0;
        int seg_set = 0;
        while (j < n && SAME_GROUP(j, i)) {
            int32_t sj = segment ? segment[order[j]] : 0;
            if (!touch || !touch[order[j]]) {
                any_real = 1;
                csm__ksum_add(&s, mrr[order[j]]);
            }
            if (!seg_set || sj < seg)
                seg = sj;
            seg_set = 1;
            j++;
        }
        int new_cust = (i == 0 || CUST(i) != CUST(i - 1));
        if (new_cust) {
            l->cust_id[c] = CUST(i);
            l->cust_off[c] = g;
            c++;
        }
        double v = csm__ksum_value(&s);
        int32_t p = PER(i);
        if (any_real && (v > 0.0 || l->free_is_active)) {
            l->period[g] = p;
            l->mrr[g] = v;
            segtmp[g] = seg;
            g++;
        } else if (touch) {
            /* service in p without being active at its end: intra-period
             * if also not active at the end of p-1 */
            int prev_active = g > l->cust_off[c - 1] &&
                              l->period[g - 1] == p - 1;
            if (!prev_active) {
                l->intra_month[n_intra] = p;
                l->intra_seg[n_intra] = (uint32_t)seg;
                n_intra++;
            }
        }
        i = j;
    }
    l->cust_off[c] = g;
    l->n_cust = c;
    l->n_ent = g;
    l->n_intra = n_intra;

    /* drop customers left with no entries (only touches / zero MRR) */
    {
        size_t w = 0;
        for (size_t k = 0; k < l->n_cust; k++) {
            if (l->cust_off[k + 1] > l->cust_off[k]) {
                l->cust_id[w] = l->cust_id[k];
                l->cust_off[w] = l->cust_off[k];
                w++;
            }
        }
        l->cust_off[w] = g;
        l->n_cust = w;
    }

    /* segments: sorted unique ids of entries and intra touches.  Ids in a
     * narrow range (the usual case: a few segment codes) go through a
     * direct index table; a wide range falls back to sort + search. */
    {
        size_t m = g + n_intra;
        int32_t smin = 0, smax = 0;
        for (size_t k = 0; k < m; k++) {
            int32_t v = k < g ? segtmp[k] : (int32_t)l->intra_seg[k - g];
            if (k == 0 || v < smin)
                smin = v;
            if (k == 0 || v > smax)
                smax = v;
        }
        uint64_t range = m ? (uint64_t)((int64_t)smax - smin) + 1 : 0;
        if (range <= ((uint64_t)1 << 22)) {
            uint32_t *tab = csm__alloc_array(a, (size_t)range, sizeof *tab);
            if (!tab) {
                st = CSM_ENOMEM;
                goto fail;
            }
            memset(tab, 0, (size_t)range * sizeof *tab);
            for (size_t k = 0; k < m; k++) {
                int32_t v = k < g ? segtmp[k] : (int32_t)l->intra_seg[k - g];
                tab[(int64_t)v - smin] = 1;
            }
            size_t u = 0;
            for (size_t k = 0; k < range; k++)
                if (tab[k])
                    u++;
            l->n_seg = u;
            l->seg_ids = csm__alloc_array(a, u ? u : 1, sizeof *l->seg_ids);
            if (!l->seg_ids) {
                csm__free(a, tab);
                st = CSM_ENOMEM;
                goto fail;
            }
            u = 0;
            for (size_t k = 0; k < range; k++)
                if (tab[k]) {
                    l->seg_ids[u] = (int32_t)((int64_t)smin + (int64_t)k);
                    tab[k] = (uint32_t)u++;
                }
            for (size_t k = 0; k < g; k++)
                l->seg[k] = tab[(int64_t)segtmp[k] - smin];
            for (size_t k = 0; k < n_intra; k++)
                l->intra_seg[k] =
                    tab[(int64_t)(int32_t)l->intra_seg[k] - smin];
            csm__free(a, tab);
        } else {
            int32_t *all = csm__alloc_array(a, m, sizeof *all);
            if (!all) {
                st = CSM_ENOMEM;
                goto fail;
            }
            memcpy(all, segtmp, g * sizeof *all);
            for (size_t k = 0; k < n_intra; k++)
                all[g + k] = (int32_t)l->intra_seg[k];
            qsort(all, m, sizeof *all, cmp_i32);
            size_t u = 0;
            for (size_t k = 0; k < m; k++)
                if (k == 0 || all[k] != all[k - 1])
                    all[u++] = all[k];
            l->n_seg = u;
            l->seg_ids = csm__alloc_array(a, u ? u : 1, sizeof *l->seg_ids);
            if (!l->seg_ids) {
                csm__free(a, all);
                st = CSM_ENOMEM;
                goto fail;
            }
            memcpy(l->seg_ids, all, u * sizeof *all);
            csm__free(a, all);
            for (size_t k = 0; k < g; k++)
                l->seg[k] = (uint32_t)csm__ledger_seg_index(l, segtmp[k]);
            for (size_t k = 0; k < n_intra; k++)
                l->intra_seg[k] = (uint32_t)csm__ledger_seg_index(
                    l, (int32_t)l->intra_seg[k]);
        }
    }
    for (size_t k = 0; k < g; k++) {
        if (l->first_month == CSM_MONTH_NONE || l->period[k] < l->first_month)
            l->first_month = l->period[k];
        if (l->last_month == CSM_MONTH_NONE || l->period[k] > l->last_month)
            l->last_month = l->period[k];
    }
    csm__free(a, order);
    csm__free(a, segtmp);
    csm__free(a, sv.key);
    *out = l;
    return CSM_OK;

fail:
    csm__fail(err, st, CSM_NO_ROW, NULL, NULL);
fail_detail:
    csm__free(a, order);
    csm__free(a, segtmp);
    csm__free(a, sv.key);
    csm_ledger_free(l);
    return st;
}

CSM_API csm_status csm_ledger_new(csm_ledger **out, const int64_t *cust,
                                  const int32_t *period, const double *mrr,
                                  const int32_t *segment, size_t n,
                                  const csm_ledger_opts *opts,
                                  csm_error *err) {
    csm_error_clear(err);
    if (!out)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "out", "is NULL");
    *out = NULL;
    if (n > 0 && (!cust || !period || !mrr))
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW,
                         !cust ? "customer_id" : !period ? "period" : "mrr",
                         "array is NULL while n > 0");
    csm_ledger_opts o = CSM_LEDGER_OPTS_INIT;
    csm_status st = csm__opts_load(&o, sizeof o, opts, err);
    if (st != CSM_OK)
        return st;
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(mrr[i]))
            return csm__fail(err, CSM_EDOMAIN, i, "mrr",
                             "MRR must be a finite number");
        if (mrr[i] < 0.0)
            return csm__fail(err, CSM_EDOMAIN, i, "mrr",
                             "MRR must be >= 0");
    }
    return build(out, cust, period, mrr, segment, NULL, n, &o, err);
}

/* ---- contracts -------------------------------------------------------- */
static int32_t days_in_month(int32_t m) {
    int32_t y = csm_month_year(m), mo = csm_month_month(m);
    int32_t ny = mo == 12 ? y + 1 : y, nm = mo == 12 ? 1 : mo + 1;
    return csm_day(ny, nm, 1) - csm_day(y, mo, 1);
}
static int32_t month_first_day(int32_t m) {
    return csm_day(csm_month_year(m), csm_month_month(m), 1);
}

/* MRR of recurring contract i (options applied; never negative). */
static double contract_mrr(const csm_contracts *ct, size_t i,
                           const csm_contract_opts *o) {
    uint8_t unit = ct->interval_unit ? ct->interval_unit[i] : CSM_UNIT_MONTH;
    double cnt = (double)ct->interval_count[i];
    double months = unit == CSM_UNIT_MONTH  ? cnt
                    : unit == CSM_UNIT_YEAR ? 12.0 * cnt
                    : unit == CSM_UNIT_WEEK ? cnt * 12.0 / 52.0
                                            : cnt * 12.0 / 365.0;
    double amt = ct->amount[i];
    if (ct->tax && !o->include_tax)
        amt -= ct->tax[i];
    if (ct->discount) {
        int rec = ct->discount_recurring ? ct->discount_recurring[i] != 0 : 1;
        if (o->discount_mode == CSM_DISCOUNT_ALL ||
            (o->discount_mode == CSM_DISCOUNT_RECURRING && rec))
            amt -= ct->discount[i];
    }
    if (amt < 0)
        amt = 0;
    return amt / months;
}

typedef struct {
    int64_t c;
    int32_t s, e;
    uint32_t row;
} iv_key;

static int cmp_iv(const void *x, const void *y) {
    const iv_key *p = x, *q = y;
    if (p->c != q->c)
        return p->c < q->c ? -1 : 1;
    if (p->s != q->s)
        return p->s < q->s ? -1 : 1;
    if (p->e != q->e)
        return p->e < q->e ? -1 : 1;
    return (p->row > q->row) - (p->row < q->row);
}

/* Store each customer's merged service intervals (recurring contracts
 * with MRR > 0, or any MRR with free_is_active); overlapping or adjacent
 * contracts merge, so every interval end is a day-level churn.  The
 * interval's segment is that of its earliest contract. */
static csm_status add_intervals(csm_ledger *l, const csm_contracts *ct,
                                const csm_contract_opts *o) {
    const csm_allocator *a = l->alloc.alloc ? &l->alloc : NULL;
    size_t n = 0;
    for (size_t i = 0; i < ct->n; i++) {
        uint8_t kind = ct->kind ? ct->kind[i] : CSM_CHARGE_RECURRING;
        if (kind == CSM_CHARGE_RECURRING &&
            (contract_mrr(ct, i, o) > 0 || l->free_is_active))
            n++;
    }
    iv_key *k = csm__alloc_array(a, n, sizeof *k);
    if (!k)
        return CSM_ENOMEM;
    size_t w = 0;
    for (size_t i = 0; i < ct->n; i++) {
        uint8_t kind = ct->kind ? ct->kind[i] : CSM_CHARGE_RECURRING;
        if (kind == CSM_CHARGE_RECURRING &&
            (contract_mrr(ct, i, o) > 0 || l->free_is_active)) {
            k[w].c = ct->customer_id[i];
            k[w].s = ct->start_day[i];
            k[w].e = ct->end_day[i];
            k[w].row = (uint32_t)i;
            w++;
        }
    }
    qsort(k, n, sizeof *k, cmp_iv);
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        if (m > 0 && k[m - 1].c == k[i].c &&
            (int64_t)k[i].s <= (int64_t)k[m - 1].e + 1) {
            if (k[i].e > k[m - 1].e)
                k[m - 1].e = k[i].e;
        } else {
            k[m++] = k[i];
        }
    }
    l->iv_start = csm__alloc_array(a, m, sizeof *l->iv_start);
    l->iv_end = csm__alloc_array(a, m, sizeof *l->iv_end);
    l->iv_seg = csm__alloc_array(a, m, sizeof *l->iv_seg);
    if (!l->iv_start || !l->iv_end || !l->iv_seg) {
        csm__free(a, k);
        return CSM_ENOMEM;
    }
    for (size_t i = 0; i < m; i++) {
        l->iv_start[i] = k[i].s;
        l->iv_end[i] = k[i].e;
        long si = csm__ledger_seg_index(
            l, ct->segment ? ct->segment[k[i].row] : 0);
        l->iv_seg[i] = si < 0 ? UINT32_MAX : (uint32_t)si;
    }
    l->n_iv = m;
    csm__free(a, k);
    return CSM_OK;
}

CSM_API csm_status csm_ledger_from_contracts(csm_ledger **out,
                                             const csm_contracts *ct,
                                             const csm_contract_opts *opts,
                                             const csm_ledger_opts *lopts,
                                             csm_error *err) {
    csm_error_clear(err);
    if (!out)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "out", "is NULL");
    *out = NULL;
    if (!ct)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "contracts", "is NULL");
    size_t n = ct->n;
    if (n > 0 && (!ct->customer_id || !ct->start_day || !ct->end_day ||
                  !ct->amount || !ct->interval_count))
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW,
                         !ct->customer_id  ? "customer_id"
                         : !ct->start_day  ? "start_day"
                         : !ct->end_day    ? "end_day"
                         : !ct->amount     ? "amount"
                                           : "interval_count",
                         "required column is NULL while n > 0");
    csm_contract_opts o = CSM_CONTRACT_OPTS_INIT;
    csm_status st = csm__opts_load(&o, sizeof o, opts, err);
    if (st != CSM_OK)
        return st;
    csm_ledger_opts lo = CSM_LEDGER_OPTS_INIT;
    st = csm__opts_load(&lo, sizeof lo, lopts, err);
    if (st != CSM_OK)
        return st;
    lo.strict = 0;
    if (o.proration != CSM_PRORATION_SNAPSHOT &&
        o.proration != CSM_PRORATION_DAILY)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "opts.proration",
                         "unknown proration");
    if (o.discount_mode < CSM_DISCOUNT_ALL ||
        o.discount_mode > CSM_DISCOUNT_IGNORE)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "opts.discount_mode",
                         "unknown discount mode");

    /* validate and count generated rows */
    size_t rows = 0;
    for (size_t i = 0; i < n; i++) {
        uint8_t kind = ct->kind ? ct->kind[i] : CSM_CHARGE_RECURRING;
        if (kind > CSM_CHARGE_USAGE)
            return csm__fail(err, CSM_EINVAL, i, "kind", "unknown charge kind");
        uint8_t unit = ct->interval_unit ? ct->interval_unit[i] : CSM_UNIT_MONTH;
        if (unit > CSM_UNIT_DAY)
            return csm__fail(err, CSM_EINVAL, i, "interval_unit",
                             "unknown interval unit");
        if (ct->end_day[i] < ct->start_day[i])
            return csm__fail(err, CSM_EDOMAIN, i, "end_day",
                             "contract ends before it starts");
        if (ct->interval_count[i] <= 0)
            return csm__fail(err, CSM_EDOMAIN, i, "interval_count",
                             "billing interval must be > 0");
        if (!isfinite(ct->amount[i]) || ct->amount[i] < 0)
            return csm__fail(err, CSM_EDOMAIN, i, "amount",
                             "amount must be finite and >= 0");
        if (ct->discount &&
            (!isfinite(ct->discount[i]) || ct->discount[i] < 0))
            return csm__fail(err, CSM_EDOMAIN, i, "discount",
                             "discount must be finite and >= 0");
        if (ct->tax && (!isfinite(ct->tax[i]) || ct->tax[i] < 0))
            return csm__fail(err, CSM_EDOMAIN, i, "tax",
                             "tax must be finite and >= 0");
        if (kind != CSM_CHARGE_RECURRING)
            continue;
        int32_t m0 = csm_day_month(ct->start_day[i]);
        int32_t m1 = csm_day_month(ct->end_day[i]);
        rows += (size_t)(m1 - m0) + 1; /* at most one row per month */
    }
    const csm_allocator *a = lo.allocator;
    int64_t *rc = csm__alloc_array(a, rows, sizeof *rc);
    int32_t *rp = csm__alloc_array(a, rows, sizeof *rp);
    double *rm = csm__alloc_array(a, rows, sizeof *rm);
    int32_t *rs = csm__alloc_array(a, rows, sizeof *rs);
    uint8_t *rt = csm__alloc_array(a, rows, sizeof *rt);
    if (!rc || !rp || !rm || !rs || !rt) {
        st = csm__fail(err, CSM_ENOMEM, CSM_NO_ROW, NULL, NULL);
        goto done;
    }
    size_t r = 0;
    for (size_t i = 0; i < n; i++) {
        uint8_t kind = ct->kind ? ct->kind[i] : CSM_CHARGE_RECURRING;
        if (kind != CSM_CHARGE_RECURRING)
            continue;
        double v = contract_mrr(ct, i, &o);
        int32_t s = ct->segment ? ct->segment[i] : 0;
        int32_t sd = ct->start_day[i], ed = ct->end_day[i];
        int32_t m0 = csm_day_month(sd), m1 = csm_day_month(ed);
        for (int32_t m = m0; m <= m1; m++) {
            int32_t first = month_first_day(m);
            int32_t dim = days_in_month(m);
            int32_t last = first + dim - 1;
            rc[r] = ct->customer_id[i];
            rp[r] = m;
            rs[r] = s;
            rt[r] = 0;
            if (o.proration == CSM_PRORATION_SNAPSHOT) {
                if (ed >= last) {
                    rm[r] = v;
                } else { /* service in m, but not at its end */
                    rm[r] = 0;
                    rt[r] = 1;
                }
            } else {
                int32_t from = sd > first ? sd : first;
                int32_t to = ed < last ? ed : last;
                rm[r] = v * (double)(to - from + 1) / (double)dim;
            }
            r++;
        }
    }
    st = build(out, rc, rp, rm, rs,
               o.proration == CSM_PRORATION_SNAPSHOT ? rt : NULL, r, &lo, err);
    if (st == CSM_OK && (st = add_intervals(*out, ct, &o)) != CSM_OK) {
        csm_ledger_free(*out);
        *out = NULL;
        csm__fail(err, st, CSM_NO_ROW, NULL, NULL);
    }
done:
    csm__free(a, rc);
    csm__free(a, rp);
    csm__free(a, rm);
    csm__free(a, rs);
    csm__free(a, rt);
    return st;
}
