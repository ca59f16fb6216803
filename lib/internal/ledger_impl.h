/* The ledger's internal layout, shared by ledger.c, movements.c,
 * retention.c and cohort.c (and reachable from tests).  Not installed. */
#ifndef CSM_INTERNAL_LEDGER_IMPL_H
#define CSM_INTERNAL_LEDGER_IMPL_H

#include "csmetrics/ledger.h"
#include "internal/util.h"

struct csm_ledger {
    csm_allocator alloc; /* alloc.alloc == NULL: libc */
    int free_is_active;
    size_t n_cust;
    size_t n_ent;
    int64_t *cust_id;  /* n_cust, ascending */
    size_t *cust_off;  /* n_cust + 1: entries of customer i are
                          [cust_off[i], cust_off[i+1]) */
    int32_t *period;   /* n_ent, ascending within a customer */
    double *mrr;       /* n_ent; > 0 unless free_is_active */
    uint32_t *seg;     /* n_ent, index into seg_ids; NULL when the rows
                          carry one segment (or none): read it through
                          csm__lseg() */
    size_t n_seg;      /* >= 1 when n_ent > 0 */
    int32_t *seg_ids;  /* n_seg, ascending */
    int32_t first_month, last_month; /* CSM_MONTH_NONE when empty */
    /* customers that started and stopped inside one month (contracts in
     * snapshot mode only): month and segment index of each */
    size_t n_intra;
    int32_t *intra_month;
    uint32_t *intra_seg;
    /* day-level service intervals (contracts only): per customer, the
     * merged [start, end] day ranges of its recurring contracts, for the
     * daily churn-rate convention; n_iv == 0 for row-built ledgers */
    size_t n_iv;
    int32_t *iv_start, *iv_end;
    uint32_t *iv_seg; /* segment index, or UINT32_MAX if unknown */
};

/* Allocation through the ledger's allocator. */
static inline void *csm__lalloc(const csm_ledger *l, size_t n, size_t size) {
    return csm__alloc_array(l->alloc.alloc ? &l->alloc : NULL, n, size);
}
static inline void csm__lfree(const csm_ledger *l, void *p) {
    csm__free(l->alloc.alloc ? &l->alloc : NULL, p);
}

/* The segment index of entry j. */
static inline uint32_t csm__lseg(const csm_ledger *l, size_t j) {
    return l->seg ? l->seg[j] : 0u;
}

/* The index of segment id s in l->seg_ids, or -1. */
long csm__ledger_seg_index(const csm_ledger *l, int32_t s);

#endif
