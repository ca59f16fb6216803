/* ledger.c - validated, sorted MRR ledger built from rows or contracts.
 *
 * Rows are sorted once by (customer, month) on a packed 64-bit key
 * (customer offset | month offset | segment index | touch bit) with the
 * input row index in its low bits: only the keys move (8 bytes a row), the
 * MRR is read from the caller's column through the row index while the
 * entries are built.  Large inputs sort with one MSD pass into L2-sized
 * buckets and in-cache LSD passes per bucket; keys too wide for a row
 * index carry the MRR through an LSD sort instead, and keys too wide for
 * 64 bits fall back to qsort.  Duplicates are merged with compensated
 * summation in sorted (then input) order.  Memory of a build: two key
 * buffers (16 bytes a row), which then become the ledger's month and MRR
 * columns (trimmed to 12 bytes an entry at the end with libc's allocator),
 * plus 4 bytes a row of segment index when the rows carry more than one
 * segment. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#if defined(__linux__)
#include <sys/mman.h>
#endif

#include "internal/ledger_impl.h"

CSM__DEFINE_OPTS_INIT(csm_ledger_opts_init, csm_ledger_opts, CSM_LEDGER_OPTS_INIT)

CSM__DEFINE_OPTS_INIT(csm_contracts_opts_init, csm_contracts_opts, CSM_CONTRACTS_OPTS_INIT)


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

static int cmp_i32(const void *a, const void *b) {
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
    return (x > y) - (x < y);
}

/* Distinct segment ids of the rows, ascending, and a row -> index map:
 * a direct table when the ids span a narrow range (the usual case: a few
 * segment codes), else binary search in the sorted list. */
typedef struct {
    int32_t *ids;
    size_t n;
    uint32_t *tab; /* narrow: tab[id - min] = index */
    int32_t min;
} segmap;

static uint32_t segmap_index(const segmap *m, int32_t v) {
    if (m->tab)
        return m->tab[(int64_t)v - m->min];
    size_t lo = 0, hi = m->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (m->ids[mid] < v)
            lo = mid + 1;
        else
            hi = mid;
    }
    return (uint32_t)lo;
}

static csm_status segmap_build(segmap *m, const csm_allocator *a,
                               const int32_t *seg, size_t n) {
    memset(m, 0, sizeof *m);
    if (!seg || n == 0) {
        m->ids = csm__alloc_array(a, 1, sizeof *m->ids);
        if (!m->ids)
            return CSM_ENOMEM;
        m->ids[0] = 0;
        m->n = 1;
        return CSM_OK;
    }
    int32_t lo = seg[0], hi = seg[0];
    for (size_t i = 1; i < n; i++) {
        if (seg[i] < lo)
            lo = seg[i];
        if (seg[i] > hi)
            hi = seg[i];
    }
    uint64_t range = (uint64_t)((int64_t)hi - lo) + 1;
    if (range <= ((uint64_t)1 << 22)) {
        m->tab = csm__alloc_array(a, (size_t)range, sizeof *m->tab);
        if (!m->tab)
            return CSM_ENOMEM;
        memset(m->tab, 0, (size_t)range * sizeof *m->tab);
        for (size_t i = 0; i < n; i++)
            m->tab[(int64_t)seg[i] - lo] = 1;
        size_t u = 0;
        for (size_t k = 0; k < range; k++)
            u += m->tab[k];
        m->ids = csm__alloc_array(a, u, sizeof *m->ids);
        if (!m->ids)
            return CSM_ENOMEM;
        u = 0;
        for (size_t k = 0; k < range; k++)
            if (m->tab[k]) {
                m->ids[u] = (int32_t)((int64_t)lo + (int64_t)k);
                m->tab[k] = (uint32_t)u++;
            }
        m->n = u;
        m->min = lo;
        return CSM_OK;
    }
    int32_t *all = csm__alloc_array(a, n, sizeof *all);
    if (!all)
        return CSM_ENOMEM;
    memcpy(all, seg, n * sizeof *all);
    qsort(all, n, sizeof *all, cmp_i32);
    size_t u = 0;
    for (size_t k = 0; k < n; k++)
        if (k == 0 || all[k] != all[k - 1])
            all[u++] = all[k];
    m->ids = all;
    m->n = u;
    return CSM_OK;
}

static void segmap_free(segmap *m, const csm_allocator *a) {
    csm__free(a, m->ids);
    csm__free(a, m->tab);
}

/* The rows in (customer, month, segment index, touch, input) order, as
 * one of three layouts:
 *  - indexed (the usual case): key[j] = (customer offset | month offset |
 *    segment index | touch bit) << rb | input row, in 64 bits; only the
 *    bits above rb are radix-sorted (LSD, stable, so equal keys stay in
 *    input order) and the MRR is read from the caller's column through
 *    the row index: 8 bytes move per row and pass, and the sort needs two
 *    key buffers and nothing else;
 *  - packed (keys plus a row index would not fit 64 bits): the packed key
 *    and the MRR sorted together;
 *  - wide (keys that do not fit 64 bits): an array of structs sorted with
 *    qsort. */
typedef struct {
    int64_t c;
    int32_t p;
    uint32_t seg;
    uint32_t touch;
    uint32_t row;
    double v;
} wide_rec;

static int cmp_wide(const void *x, const void *y) {
    const wide_rec *a = x, *b = y;
    if (a->c != b->c)
        return a->c < b->c ? -1 : 1;
    if (a->p != b->p)
        return a->p < b->p ? -1 : 1;
    if (a->seg != b->seg)
        return a->seg < b->seg ? -1 : 1;
    if (a->touch != b->touch)
        return a->touch < b->touch ? -1 : 1;
    return (a->row > b->row) - (a->row < b->row);
}

typedef struct {
    uint64_t *key;
    uint64_t *spare;   /* the sort's other key buffer, n words, unused */
    double *val;       /* packed layout */
    const double *src; /* indexed layout: the caller's MRR column */
    wide_rec *w;
    int64_t cmin;
    int32_t pmin;
    unsigned rb;   /* row-index bits at the bottom (indexed layout) */
    unsigned low;  /* bits below the month: rb + segment + touch */
    unsigned pb, sb, tb;
} sorted_rows;

static inline int64_t sr_cust(const sorted_rows *s, size_t j) {
    return s->w ? s->w[j].c
                : (int64_t)((uint64_t)s->cmin + (s->key[j] >> (s->pb + s->low)));
}
static inline int32_t sr_per(const sorted_rows *s, size_t j) {
    if (s->w)
        return s->w[j].p;
    uint64_t pm = s->pb ? (((uint64_t)1 << s->pb) - 1) : 0;
    return (int32_t)((int64_t)s->pmin + (int64_t)((s->key[j] >> s->low) & pm));
}
static inline uint32_t sr_seg(const sorted_rows *s, size_t j) {
    if (s->w)
        return s->w[j].seg;
    uint64_t sm = s->sb ? (((uint64_t)1 << s->sb) - 1) : 0;
    return (uint32_t)((s->key[j] >> (s->rb + s->tb)) & sm);
}
static inline int sr_touch(const sorted_rows *s, size_t j) {
    return s->w ? (int)s->w[j].touch
                : (int)(s->tb ? ((s->key[j] >> s->rb) & 1u) : 0);
}
static inline double sr_val(const sorted_rows *s, size_t j) {
    if (s->w)
        return s->w[j].v;
    if (s->src)
        return s->src[s->key[j] & (((uint64_t)1 << s->rb) - 1)];
    return s->val[j];
}
static inline int sr_same(const sorted_rows *s, size_t i, size_t j) {
    if (s->w)
        return s->w[i].c == s->w[j].c && s->w[i].p == s->w[j].p;
    return (s->key[i] >> s->low) == (s->key[j] >> s->low);
}

static void sorted_free(sorted_rows *s, const csm_allocator *a) {
    csm__free(a, s->key);
    csm__free(a, s->spare);
    csm__free(a, s->val);
    csm__free(a, s->w);
}

/* One radix pass's histogram: cnt[d] becomes the first output slot of
 * digit d ((key >> shift) & mask) among k[0..m), m >= 1.  Returns 0 when
 * every key has the same digit (the pass would move nothing). */
static int digit_offsets(size_t *cnt, const uint64_t *k, size_t m,
                         unsigned shift, uint64_t mask) {
    size_t radix = (size_t)mask + 1;
    memset(cnt, 0, radix * sizeof *cnt);
    for (size_t i = 0; i < m; i++)
        cnt[(k[i] >> shift) & mask]++;
    if (cnt[(k[0] >> shift) & mask] == m)
        return 0;
    size_t sum = 0;
    for (size_t d = 0; d < radix; d++) {
        size_t t = cnt[d];
        cnt[d] = sum;
        sum += t;
    }
    return 1;
}

/* Stable LSD passes over keys alone: bits [lo, hi) of from[0..m), digit
 * bits a pass, ping-ponging with to[0..m) (cnt: 2^digit counters).
 * Returns the buffer the sorted keys end in (from or to). */
static uint64_t *lsd_keys(uint64_t *from, uint64_t *to, size_t m,
                          unsigned lo, unsigned hi, unsigned digit,
                          size_t *cnt) {
    const uint64_t mask = ((uint64_t)1 << digit) - 1;
    for (unsigned shift = lo; shift < hi; shift += digit) {
        if (!digit_offsets(cnt, from, m, shift, mask))
            continue;
        for (size_t i = 0; i < m; i++)
            to[cnt[(from[i] >> shift) & mask]++] = from[i];
        uint64_t *t = from;
        from = to;
        to = t;
    }
    return from;
}

/* Stable LSD radix sort of k[0..n) on bits [lo, hi), carrying v (may be
 * NULL); the result lands in *k / *v and the other key buffer in
 * *kspare (the caller reuses it); the other MRR buffer is freed. */
static csm_status radix_sort(const csm_allocator *a, uint64_t **k,
                             uint64_t **kspare, double **v, double *vspare,
                             size_t n, unsigned lo, unsigned hi) {
    /* as few passes as digits of at most 13 bits allow (the histogram
     * stays in L1/L2 and the scatter in the TLB's reach) */
    enum { MAXD = 13 };
    unsigned total = hi - lo;
    unsigned passes = (total + MAXD - 1) / MAXD;
    unsigned digit = passes ? (total + passes - 1) / passes : 0;
    size_t radix = (size_t)1 << digit;
    size_t *count = csm__alloc_array(a, radix, sizeof *count);
    if (!count)
        return CSM_ENOMEM;
    uint64_t *ks = *k, *kd = *kspare;
    if (!v) {
        ks = lsd_keys(*k, *kspare, n, lo, hi, digit, count);
        kd = ks == *k ? *kspare : *k;
    } else {
        double *vs = *v, *vd = vspare;
        const uint64_t mask = radix - 1;
        for (unsigned shift = lo; shift < hi; shift += digit) {
            if (!digit_offsets(count, ks, n, shift, mask))
                continue;
            for (size_t i = 0; i < n; i++) {
                size_t pos = count[(ks[i] >> shift) & mask]++;
                kd[pos] = ks[i];
                vd[pos] = vs[i];
            }
            uint64_t *tk = ks;
            ks = kd;
            kd = tk;
            double *tv = vs;
            vs = vd;
            vd = tv;
        }
        csm__free(a, vd);
        *v = vs;
    }
    csm__free(a, count);
    *kspare = kd;
    *k = ks;
    return CSM_OK;
}

/* Sort of n unique 64-bit keys (sort bits [lo, hi) above a row index in
 * [0, lo), so a plain sort of the whole keys is the stable sort) for large
 * n: one MSD pass on the top bits scatters k into kspare in buckets of
 * about 32K keys (a few hundred KB, L2-sized), then each bucket is sorted
 * in cache -- LSD passes ping-ponging with the same range of k, or an
 * insertion sort for tiny buckets.  The keys cross DRAM once instead of
 * once per digit.  A skewed key (most rows in one bucket) only makes that
 * bucket's LSD passes run out of cache: correct, and no extra memory. The
 * result lands in *k and the other buffer in *kspare. */
static csm_status hybrid_sort(const csm_allocator *a, uint64_t **k,
                              uint64_t **kspare, size_t n, unsigned lo,
                              unsigned hi) {
    unsigned total = hi - lo;
    unsigned d1 = bits_for((uint64_t)(n >> 15));
    if (d1 < 1)
        d1 = 1;
    if (d1 > 14)
        d1 = 14;
    if (d1 > total)
        d1 = total;
    unsigned top = hi - d1;
    size_t nb = (size_t)1 << d1;
    unsigned r = total - d1; /* bits left for the in-bucket passes */
    enum { MAXI = 11 };
    unsigned passes = (r + MAXI - 1) / MAXI;
    unsigned digit = passes ? (r + passes - 1) / passes : 0;
    size_t radix = (size_t)1 << digit;
    size_t *off = csm__alloc_array(a, 2 * nb + 1 + radix, sizeof *off);
    if (!off)
        return CSM_ENOMEM;
    size_t *pos = off + nb + 1, *cnt = pos + nb;
    uint64_t *src = *k, *dst = *kspare;
    const uint64_t tmask = nb - 1;
    memset(off, 0, (nb + 1) * sizeof *off);
    for (size_t i = 0; i < n; i++)
        off[((src[i] >> top) & tmask) + 1]++;
    for (size_t b = 0; b < nb; b++)
        off[b + 1] += off[b];
    memcpy(pos, off, nb * sizeof *pos);
    for (size_t i = 0; i < n; i++)
        dst[pos[(src[i] >> top) & tmask]++] = src[i];
    for (size_t b = 0; b < nb; b++) {
        size_t m = off[b + 1] - off[b];
        uint64_t *home = dst + off[b], *aux = src + off[b];
        if (m < 2)
            continue;
        if (m <= 48) {
            for (size_t i = 1; i < m; i++) {
                uint64_t x = home[i];
                size_t j = i;
                while (j > 0 && home[j - 1] > x) {
                    home[j] = home[j - 1];
                    j--;
                }
                home[j] = x;
            }
            continue;
        }
        uint64_t *from = lsd_keys(home, aux, m, lo, top, digit, cnt);
        if (from != home)
            memcpy(home, from, m * sizeof *home);
    }
    csm__free(a, off);
    *kspare = src;
    *k = dst;
    return CSM_OK;
}

/* Ask Linux for transparent huge pages on a large sort buffer from libc's
 * allocator (a caller's allocator is left alone): a radix scatter touches
 * thousands of pages at once, and 2 MB pages cut both the TLB misses and
 * the page faults.  A hint only; any failure is ignored. */
static void hint_huge(const csm_allocator *a, void *p, size_t bytes) {
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    const uintptr_t huge = (uintptr_t)1 << 21;
    if (a || !p || bytes < 16 * huge)
        return;
    uintptr_t lo = ((uintptr_t)p + huge - 1) & ~(huge - 1);
    uintptr_t hi = ((uintptr_t)p + bytes) & ~(huge - 1);
    if (hi > lo)
        (void)madvise((void *)lo, hi - lo, MADV_HUGEPAGE);
#else
    (void)a;
    (void)p;
    (void)bytes;
#endif
}

static csm_status sort_rows(sorted_rows *s, const csm_allocator *a,
                            const int64_t *cust, const int32_t *period,
                            const double *mrr, const int32_t *segment,
                            const uint8_t *touch, const segmap *sm,
                            size_t n) {
    memset(s, 0, sizeof *s);
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
    unsigned sb = bits_for((uint64_t)(sm->n - 1));
    unsigned tb = touch ? 1u : 0u;
    unsigned kb = cb + pb + sb + tb;
    if (kb > 64) {
        s->w = csm__alloc_array(a, n, sizeof *s->w);
        if (!s->w)
            return CSM_ENOMEM;
        for (size_t i = 0; i < n; i++) {
            s->w[i].c = cust[i];
            s->w[i].p = period[i];
            s->w[i].seg = segment ? segmap_index(sm, segment[i]) : 0;
            s->w[i].touch = touch ? (touch[i] != 0) : 0;
            s->w[i].row = (uint32_t)i;
            s->w[i].v = mrr[i];
        }
        qsort(s->w, n, sizeof *s->w, cmp_wide);
        return CSM_OK;
    }
    unsigned rb = bits_for((uint64_t)(n - 1));
    int indexed = kb + rb <= 64;
    if (!indexed)
        rb = 0; /* packed layout: the MRR travels with the key */
    s->cmin = cmin;
    s->pmin = pmin;
    s->rb = rb;
    s->pb = pb;
    s->sb = sb;
    s->tb = tb;
    s->low = rb + sb + tb;
    uint64_t *k1 = csm__alloc_array(a, n, sizeof *k1);
    uint64_t *k2 = csm__alloc_array(a, n, sizeof *k2);
    double *v1 = indexed ? NULL : csm__alloc_array(a, n, sizeof *v1);
    double *v2 = indexed ? NULL : csm__alloc_array(a, n, sizeof *v2);
    hint_huge(a, k1, n * sizeof *k1);
    hint_huge(a, k2, n * sizeof *k2);
    if (!k1 || !k2 || (!indexed && (!v1 || !v2))) {
        csm__free(a, k1);
        csm__free(a, k2);
        csm__free(a, v1);
        csm__free(a, v2);
        return CSM_ENOMEM;
    }
    for (size_t i = 0; i < n; i++) {
        uint64_t ck = (uint64_t)cust[i] - (uint64_t)cmin;
        uint64_t pk = (uint64_t)((int64_t)period[i] - (int64_t)pmin);
        uint64_t sk = segment ? segmap_index(sm, segment[i]) : 0;
        uint64_t tk = touch ? (touch[i] != 0) : 0;
        uint64_t key = tk | (sk << tb) | (pk << (sb + tb));
        if (cb)
            key |= ck << (pb + sb + tb);
        k1[i] = indexed ? (key << rb) | (uint64_t)i : key;
    }
    if (!indexed)
        memcpy(v1, mrr, n * sizeof *v1);
    csm_status st =
        indexed && kb > 13 && n > ((size_t)1 << 16)
            ? hybrid_sort(a, &k1, &k2, n, rb, rb + kb)
            : radix_sort(a, &k1, &k2, indexed ? NULL : &v1, v2, n, rb,
                         rb + kb);
    if (st != CSM_OK) {
        csm__free(a, k1);
        csm__free(a, k2);
        csm__free(a, v1);
        csm__free(a, v2);
        return st;
    }
    s->key = k1;
    s->spare = k2;
    s->val = v1;
    s->src = indexed ? mrr : NULL;
    return CSM_OK;
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
    csm_status ast = csm__alloc_check(ua, "opts.allocator", err);
    if (ast != CSM_OK)
        return ast;
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
    segmap sm;
    memset(&sm, 0, sizeof sm);
    sorted_rows sr;
    memset(&sr, 0, sizeof sr);
    uint8_t *used = NULL;

    st = segmap_build(&sm, a, segment, n);
    if (st != CSM_OK)
        goto fail;
    st = sort_rows(&sr, a, cust, period, mrr, segment, touch, &sm, n);
    if (st != CSM_OK)
        goto fail;

    /* pass 1 (keys only): count (customer, month) groups and customers;
     * strict check.  The group count bounds the entries (a group whose
     * MRR sums to 0 is not an entry) and the intra-month touches. */
    size_t n_groups = 0, n_cust = 0;
    for (size_t i = 0; i < n;) {
        size_t j = i;
        int real = 0;
        while (j < n && sr_same(&sr, j, i)) {
            real += !sr_touch(&sr, j);
            j++;
        }
        if (real > 1 && o->strict) {
            /* name the second of the duplicate rows in input order */
            int64_t c = sr_cust(&sr, i);
            int32_t p = sr_per(&sr, i);
            size_t seen = 0, r = 0;
            for (size_t k = 0; k < n; k++)
                if (cust[k] == c && period[k] == p && !(touch && touch[k]) &&
                    ++seen == 2) {
                    r = k;
                    break;
                }
            st = csm__fail(err, CSM_EDUP, r, "period",
                           "duplicate (customer_id, period) row (strict "
                           "mode)");
            goto fail_detail;
        }
        n_groups++;
        if (i == 0 || sr_cust(&sr, i) != sr_cust(&sr, i - 1))
            n_cust++;
        i = j;
    }

    /* The entries' months are written in place over the sorted keys
     * (entry g overlaps key g/2, already read when g is written); the MRR
     * goes into the sort's spare key buffer (indexed layout) or over the
     * sorted MRR (packed layout: entry g is written after rows >= g were
     * read), and the segment index, when the rows carry more than one
     * segment, into the spare buffer if the MRR left it free.  No fresh
     * pages, no copy; the ledger then owns those buffers. */
    sorted_rows view = sr;
    if (sr.key && n > 0) {
        uint64_t *spare = sr.spare;
        l->period = (int32_t *)(void *)sr.key;
        sr.key = NULL;
        sr.spare = NULL;
        if (sr.val) {
            l->mrr = sr.val;
            sr.val = NULL;
        } else {
            l->mrr = (double *)(void *)spare;
            spare = NULL;
        }
        if (sm.n > 1 && spare) {
            l->seg = (uint32_t *)(void *)spare;
            spare = NULL;
        }
        csm__free(a, spare);
    } else {
        l->period = csm__alloc_array(a, n_groups, sizeof *l->period);
        l->mrr = csm__alloc_array(a, n_groups, sizeof *l->mrr);
    }
    if (sm.n > 1 && !l->seg)
        l->seg = csm__alloc_array(a, n_groups, sizeof *l->seg);
    l->cust_id = csm__alloc_array(a, n_cust, sizeof *l->cust_id);
    l->cust_off = csm__alloc_array(a, n_cust + 1, sizeof *l->cust_off);
    if (touch && n_groups) {
        l->intra_month = csm__alloc_array(a, n_groups, sizeof *l->intra_month);
        l->intra_seg = csm__alloc_array(a, n_groups, sizeof *l->intra_seg);
    }
    if ((n_groups && (!l->period || !l->mrr)) || (sm.n > 1 && !l->seg) ||
        !l->cust_id || !l->cust_off ||
        (touch && n_groups && (!l->intra_month || !l->intra_seg))) {
        st = CSM_ENOMEM;
        goto fail;
    }

    /* pass 2: fill.  A group's segment is its smallest segment id (rows
     * are sorted by segment index within a group).  Everything a group
     * needs is read before its entry is written (see above). */
    size_t g = 0, c = 0, n_intra = 0;
    int64_t prev_cust = 0;
    const size_t ahead = 24; /* rows: the MRR gather is a cache miss */
    const uint64_t rmask = view.src ? (((uint64_t)1 << view.rb) - 1) : 0;
    for (size_t i = 0; i < n;) {
        size_t j = i;
        int real = 0;
        csm__ksum s = {0, 0};
#if defined(__GNUC__)
        if (view.src && i + ahead < n)
            __builtin_prefetch(view.src + (view.key[i + ahead] & rmask));
#endif
        while (j < n && sr_same(&view, j, i)) {
            if (!sr_touch(&view, j)) {
                real = 1;
                csm__ksum_add(&s, sr_val(&view, j));
            }
            j++;
        }
        int64_t cid = sr_cust(&view, i);
        int32_t p = sr_per(&view, i);
        uint32_t seg = sr_seg(&view, i);
        if (i == 0 || cid != prev_cust) {
            l->cust_id[c] = cid;
            l->cust_off[c] = g;
            c++;
        }
        prev_cust = cid;
        double v = csm__ksum_value(&s);
        if (real && (v > 0.0 || l->free_is_active)) {
            l->period[g] = p;
            l->mrr[g] = v;
            if (l->seg)
                l->seg[g] = seg;
            g++;
        } else if (touch) {
            /* service in p without being active at its end: intra-period
             * if also not active at the end of p-1 */
            int prev_active = g > l->cust_off[c - 1] &&
                              l->period[g - 1] == p - 1;
            if (!prev_active) {
                l->intra_month[n_intra] = p;
                l->intra_seg[n_intra] = seg;
                n_intra++;
            }
        }
        i = j;
    }
    l->cust_off[c] = g;
    l->n_ent = g;
    l->n_intra = n_intra;

    /* drop customers left with no entries (only touches / zero MRR) */
    {
        size_t w = 0;
        for (size_t k = 0; k < c; k++) {
            if (l->cust_off[k + 1] > l->cust_off[k]) {
                l->cust_id[w] = l->cust_id[k];
                l->cust_off[w] = l->cust_off[k];
                w++;
            }
        }
        l->cust_off[w] = g;
        l->n_cust = w;
    }

    /* keep only the segments that entries or intra touches use */
    used = csm__alloc_array(a, sm.n, sizeof *used);
    l->seg_ids = csm__alloc_array(a, sm.n, sizeof *l->seg_ids);
    if (!used || !l->seg_ids) {
        st = CSM_ENOMEM;
        goto fail;
    }
    memset(used, 0, sm.n);
    if (l->seg) {
        for (size_t k = 0; k < g; k++)
            used[l->seg[k]] = 1;
    } else if (g > 0) {
        used[0] = 1;
    }
    for (size_t k = 0; k < n_intra; k++)
        used[l->intra_seg[k]] = 1;
    {
        /* reuse sm.tab-free remap: new index by prefix count */
        uint32_t *remap = csm__alloc_array(a, sm.n, sizeof *remap);
        if (!remap) {
            st = CSM_ENOMEM;
            goto fail;
        }
        size_t u = 0;
        for (size_t k = 0; k < sm.n; k++)
            if (used[k]) {
                l->seg_ids[u] = sm.ids[k];
                remap[k] = (uint32_t)u++;
            }
        l->n_seg = u;
        for (size_t k = 0; l->seg && k < g; k++)
            l->seg[k] = remap[l->seg[k]];
        for (size_t k = 0; k < n_intra; k++)
            l->intra_seg[k] = remap[l->intra_seg[k]];
        csm__free(a, remap);
    }
    for (size_t k = 0; k < g; k++) {
        if (l->first_month == CSM_MONTH_NONE || l->period[k] < l->first_month)
            l->first_month = l->period[k];
        if (l->last_month == CSM_MONTH_NONE || l->period[k] > l->last_month)
            l->last_month = l->period[k];
    }
    csm__free(a, used);
    sorted_free(&sr, a);
    segmap_free(&sm, a);
    /* Give back what the columns do not use (libc's allocator only): the
     * month column lives in a buffer of n 8-byte keys (4 bytes an entry
     * used) and merged duplicates leave every column's tail unused. */
    if (g > 0) {
        l->period = csm__shrink_array(a, l->period, g, sizeof *l->period);
        l->mrr = csm__shrink_array(a, l->mrr, g, sizeof *l->mrr);
        if (l->seg)
            l->seg = csm__shrink_array(a, l->seg, g, sizeof *l->seg);
    }
    *out = l;
    return CSM_OK;

fail:
    csm__fail(err, st, CSM_NO_ROW, NULL, NULL);
fail_detail:
    csm__free(a, used);
    sorted_free(&sr, a);
    segmap_free(&sm, a);
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
                           const csm_contracts_opts *o) {
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
                                const csm_contracts_opts *o) {
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
                                             const csm_contracts_opts *opts,
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
    csm_contracts_opts o = CSM_CONTRACTS_OPTS_INIT;
    csm_status st = csm__opts_load(&o, sizeof o, opts, err);
    if (st != CSM_OK)
        return st;
    csm_ledger_opts lo = CSM_LEDGER_OPTS_INIT;
    st = csm__opts_load(&lo, sizeof lo, lopts, err);
    if (st != CSM_OK)
        return st;
    lo.strict = 0;
    st = csm__alloc_check(lo.allocator, "ledger_opts.allocator", err);
    if (st != CSM_OK)
        return st;
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
