/* sort.c - the ledger's row sort: a radix / hybrid MSD-LSD sort of packed
 * (customer, month, segment, touch, row) keys (see internal/sort.h). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#if defined(__linux__)
#include <sys/mman.h>
#endif

#include "internal/sort.h"
#include "internal/util.h"

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

size_t csm__unique_i32(int32_t *v, size_t n) {
    qsort(v, n, sizeof *v, cmp_i32);
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (i == 0 || v[i] != v[k - 1])
            v[k++] = v[i];
    return k;
}

static uint32_t segmap_index(const csm__segmap *m, int32_t v) {
    if (m->tab)
        return m->tab[(int64_t)v - m->min];
    return (uint32_t)csm__lower_bound_i32(m->ids, 0, m->n, v);
}

csm_status csm__segmap_build(csm__segmap *m, const csm_allocator *a,
                             const int32_t *seg, const uint32_t *rows,
                             size_t n) {
    memset(m, 0, sizeof *m);
    if (!seg || n == 0) {
        m->ids = csm__alloc_array(a, 1, sizeof *m->ids);
        if (!m->ids)
            return CSM_ENOMEM;
        m->ids[0] = 0;
        m->n = 1;
        return CSM_OK;
    }
    /* SEG(j): the segment of the j-th row read (through the list) */
#define SEG(j) (rows ? seg[rows[j]] : seg[j])
    int32_t lo = SEG(0), hi = SEG(0);
    for (size_t i = 1; i < n; i++) {
        int32_t v = SEG(i);
        if (v < lo)
            lo = v;
        if (v > hi)
            hi = v;
    }
    uint64_t range = (uint64_t)((int64_t)hi - lo) + 1;
    if (range <= ((uint64_t)1 << 22)) {
        m->tab = csm__alloc_array(a, (size_t)range, sizeof *m->tab);
        if (!m->tab)
            return CSM_ENOMEM;
        memset(m->tab, 0, (size_t)range * sizeof *m->tab);
        for (size_t i = 0; i < n; i++)
            m->tab[(int64_t)SEG(i) - lo] = 1;
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
    for (size_t i = 0; i < n; i++)
        all[i] = SEG(i);
#undef SEG
    m->ids = all;
    m->n = csm__unique_i32(all, n);
    return CSM_OK;
}

void csm__segmap_free(csm__segmap *m, const csm_allocator *a) {
    csm__free(a, m->ids);
    csm__free(a, m->tab);
}

static int cmp_wide(const void *x, const void *y) {
    const csm__wide_rec *a = x, *b = y;
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

void csm__sorted_free(csm__sorted_rows *s, const csm_allocator *a) {
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

csm_status csm__sort_rows(csm__sorted_rows *s, const csm_allocator *a,
                          const int64_t *cust, const int32_t *period,
                          const double *mrr, const int32_t *segment,
                          const uint8_t *touch, const csm__segmap *sm,
                          size_t n, const uint32_t *rows, size_t n_rows,
                          uint32_t part, uint32_t n_parts) {
    memset(s, 0, sizeof *s);
    /* The rows read, ROW(x) for x in [0, nx): rows[0..n_rows) when there
     * is a list, else 0..n-1; of those, IN(i) keeps the rows of partition
     * part of n_parts when n_parts > 0 */
    const size_t nx = rows ? n_rows : n;
#define ROW(x) (rows ? (size_t)rows[x] : (x))
#define IN(i) (n_parts == 0 || csm__partition_of(cust[i], n_parts) == part)
    size_t m = 0; /* the rows to sort */
    int64_t cmin = 0, cmax = 0;
    int32_t pmin = 0, pmax = 0;
    for (size_t x = 0; x < nx; x++) {
        const size_t i = ROW(x);
        if (!IN(i))
            continue;
        if (m++ == 0) {
            cmin = cmax = cust[i];
            pmin = pmax = period[i];
        }
        if (cust[i] < cmin)
            cmin = cust[i];
        if (cust[i] > cmax)
            cmax = cust[i];
        if (period[i] < pmin)
            pmin = period[i];
        if (period[i] > pmax)
            pmax = period[i];
    }
    s->n = m;
    if (m == 0)
        return CSM_OK;
    unsigned cb = bits_for((uint64_t)cmax - (uint64_t)cmin);
    unsigned pb = bits_for((uint64_t)((int64_t)pmax - (int64_t)pmin));
    unsigned sb = bits_for((uint64_t)(sm->n - 1));
    unsigned tb = touch ? 1u : 0u;
    unsigned kb = cb + pb + sb + tb;
    if (kb > 64) {
        s->w = csm__alloc_array(a, m, sizeof *s->w);
        if (!s->w)
            return CSM_ENOMEM;
        for (size_t x = 0, j = 0; x < nx; x++) {
            const size_t i = ROW(x);
            if (!IN(i))
                continue;
            s->w[j].c = cust[i];
            s->w[j].p = period[i];
            s->w[j].seg = segment ? segmap_index(sm, segment[i]) : 0;
            s->w[j].touch = touch ? (touch[i] != 0) : 0;
            s->w[j].row = (uint32_t)i;
            s->w[j].v = mrr[i];
            j++;
        }
        qsort(s->w, m, sizeof *s->w, cmp_wide);
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
    uint64_t *k1 = csm__alloc_array(a, m, sizeof *k1);
    uint64_t *k2 = csm__alloc_array(a, m, sizeof *k2);
    double *v1 = indexed ? NULL : csm__alloc_array(a, m, sizeof *v1);
    double *v2 = indexed ? NULL : csm__alloc_array(a, m, sizeof *v2);
    hint_huge(a, k1, m * sizeof *k1);
    hint_huge(a, k2, m * sizeof *k2);
    if (!k1 || !k2 || (!indexed && (!v1 || !v2))) {
        csm__free(a, k1);
        csm__free(a, k2);
        csm__free(a, v1);
        csm__free(a, v2);
        return CSM_ENOMEM;
    }
    for (size_t x = 0, j = 0; x < nx; x++) {
        const size_t i = ROW(x);
        if (!IN(i))
            continue;
        uint64_t ck = (uint64_t)cust[i] - (uint64_t)cmin;
        uint64_t pk = (uint64_t)((int64_t)period[i] - (int64_t)pmin);
        uint64_t sk = segment ? segmap_index(sm, segment[i]) : 0;
        uint64_t tk = touch ? (touch[i] != 0) : 0;
        uint64_t key = tk | (sk << tb) | (pk << (sb + tb));
        if (cb)
            key |= ck << (pb + sb + tb);
        k1[j] = indexed ? (key << rb) | (uint64_t)i : key;
        if (!indexed)
            v1[j] = mrr[i];
        j++;
    }
#undef ROW
#undef IN
    csm_status st =
        indexed && kb > 13 && m > ((size_t)1 << 16)
            ? hybrid_sort(a, &k1, &k2, m, rb, rb + kb)
            : radix_sort(a, &k1, &k2, indexed ? NULL : &v1, v2, m, rb,
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
