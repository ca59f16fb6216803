/* The ledger's row sort, and the two operations on int32 codes the ledger
 * and the families share: the distinct values of an array, and the lower
 * bound they search them with (internal; not installed, not exported).
 *
 * csm__sort_rows orders MRR rows by (customer, month, segment index,
 * touch, input row) on a packed 64-bit key (customer offset | month offset
 * | segment index | touch bit) with the input row index in its low bits:
 * only the keys move (8 bytes a row), the MRR is read from the caller's
 * column through the row index.  Large inputs sort with one MSD pass into
 * L2-sized buckets and in-cache LSD passes per bucket; keys too wide for a
 * row index carry the MRR through an LSD sort instead, and keys too wide
 * for 64 bits fall back to qsort.  The ledger builder (ledger.c) reads the
 * sorted rows through the csm__sr_* accessors and takes over the key
 * buffers as its month and MRR columns. */
#ifndef CSM_INTERNAL_SORT_H
#define CSM_INTERNAL_SORT_H

#include <stddef.h>
#include <stdint.h>

#include "csmetrics/common.h"

/* The first index i in [lo, hi) with a[i] >= v, or hi when there is none:
 * binary search over a[lo..hi), ascending. */
static inline size_t csm__lower_bound_i32(const int32_t *a, size_t lo,
                                          size_t hi, int32_t v) {
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (a[mid] < v)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Sort v[0..n) ascending and drop repeated values in place: returns k,
 * the number of distinct values, which are now v[0..k). */
size_t csm__unique_i32(int32_t *v, size_t n);

/* Distinct segment ids of the rows, ascending, and a row -> index map:
 * a direct table when the ids span a narrow range (the usual case: a few
 * segment codes), else binary search in the sorted list. */
typedef struct csm__segmap {
    int32_t *ids;
    size_t n;
    uint32_t *tab; /* narrow: tab[id - min] = index */
    int32_t min;
} csm__segmap;

/* Fill *m from the n segment ids seg (NULL or n == 0: the one segment 0),
 * or with a row list from seg[rows[0..n)), through allocator a (NULL =
 * libc).  CSM_ENOMEM leaves *m for
 * csm__segmap_free. */
csm_status csm__segmap_build(csm__segmap *m, const csm_allocator *a,
                             const int32_t *seg, const uint32_t *rows,
                             size_t n);
/* Free what csm__segmap_build allocated (a zeroed map is fine). */
void csm__segmap_free(csm__segmap *m, const csm_allocator *a);

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
 *    qsort.
 * The csm__sr_* accessors read row j of any layout. */
typedef struct csm__wide_rec {
    int64_t c;
    int32_t p;
    uint32_t seg;
    uint32_t touch;
    uint32_t row;
    double v;
} csm__wide_rec;

typedef struct csm__sorted_rows {
    uint64_t *key;
    uint64_t *spare;   /* the sort's other key buffer, n words, unused */
    double *val;       /* packed layout */
    const double *src; /* indexed layout: the caller's MRR column */
    csm__wide_rec *w;
    size_t n;          /* rows sorted (the rows of the partition) */
    int64_t cmin;
    int32_t pmin;
    unsigned rb;   /* row-index bits at the bottom (indexed layout) */
    unsigned low;  /* bits below the month: rb + segment + touch */
    unsigned pb, sb, tb;
} csm__sorted_rows;

/* x >> sh, 0 when sh >= 64 (a shift by the width is undefined in C): a
 * field above bit 63 of a packed key, such as the customer offset when
 * all rows have one customer and the month, segment and row bits fill
 * the word, is 0. */
static inline uint64_t csm__shr64(uint64_t x, unsigned sh) {
    return sh < 64 ? x >> sh : 0;
}

/* Row j of the sorted rows: its customer, month, segment index (into the
 * segmap), touch bit (1 = service without MRR at the month's end) and
 * MRR; csm__sr_same: rows i and j have the same (customer, month). */
static inline int64_t csm__sr_cust(const csm__sorted_rows *s, size_t j) {
    return s->w ? s->w[j].c
                : (int64_t)((uint64_t)s->cmin +
                            csm__shr64(s->key[j], s->pb + s->low));
}
static inline int32_t csm__sr_per(const csm__sorted_rows *s, size_t j) {
    if (s->w)
        return s->w[j].p;
    uint64_t pm = s->pb ? (((uint64_t)1 << s->pb) - 1) : 0;
    return (int32_t)((int64_t)s->pmin +
                     (int64_t)(csm__shr64(s->key[j], s->low) & pm));
}
static inline uint32_t csm__sr_seg(const csm__sorted_rows *s, size_t j) {
    if (s->w)
        return s->w[j].seg;
    uint64_t sm = s->sb ? (((uint64_t)1 << s->sb) - 1) : 0;
    return (uint32_t)((s->key[j] >> (s->rb + s->tb)) & sm);
}
static inline int csm__sr_touch(const csm__sorted_rows *s, size_t j) {
    return s->w ? (int)s->w[j].touch
                : (int)(s->tb ? ((s->key[j] >> s->rb) & 1u) : 0);
}
static inline double csm__sr_val(const csm__sorted_rows *s, size_t j) {
    if (s->w)
        return s->w[j].v;
    if (s->src)
        return s->src[s->key[j] & (((uint64_t)1 << s->rb) - 1)];
    return s->val[j];
}
static inline int csm__sr_same(const csm__sorted_rows *s, size_t i, size_t j) {
    if (s->w)
        return s->w[i].c == s->w[j].c && s->w[i].p == s->w[j].p;
    return csm__shr64(s->key[i], s->low) == csm__shr64(s->key[j], s->low);
}

/* The customer partition of an id among n (csm_ledger_partition_of, the
 * rule stated in csmetrics/ledger.h). */
static inline uint32_t csm__partition_of(int64_t id, uint32_t n) {
    const uint64_t h = (uint64_t)id * 0x9E3779B97F4A7C15ull >> 32;
    return (uint32_t)(h * n >> 32);
}

/* Sort the n rows (cust, period, mrr as csm__ledger_build takes them;
 * segment and touch may be NULL; sm from csm__segmap_build over segment),
 * or only the rows rows[0..n_rows) (rows non-NULL: ascending indices
 * below n), or with n_parts > 0 only the rows whose customer is in
 * partition part of n_parts (csm__partition_of); s->n of them, their row
 * indices the caller's, into *s, through allocator a (NULL = libc; with libc's allocator on
 * Linux the large key buffers are hinted for transparent huge pages).
 * Memory: two key buffers of n words (plus two MRR buffers of n doubles
 * in the packed layout, or n wide records).  On CSM_ENOMEM *s holds
 * nothing to free; on success free it with csm__sorted_free. */
csm_status csm__sort_rows(csm__sorted_rows *s, const csm_allocator *a,
                          const int64_t *cust, const int32_t *period,
                          const double *mrr, const int32_t *segment,
                          const uint8_t *touch, const csm__segmap *sm,
                          size_t n, const uint32_t *rows, size_t n_rows,
                          uint32_t part, uint32_t n_parts);
/* Free the buffers *s still owns (NULL pointers are skipped). */
void csm__sorted_free(csm__sorted_rows *s, const csm_allocator *a);

#endif
