/* The ledger's internal layout, shared by ledger.c, contracts.c,
 * movements.c, retention.c, cohort.c and the families that read a ledger
 * (and reachable from tests).  Not installed. */
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

/* The entry of customer index c (0 <= c < n_cust) in month `month`: its
 * index j (l->mrr[j] is the customer's MRR that month), or -1 when the
 * customer is not active in that month.  Binary search, O(log entries of
 * the customer).  The one per-customer month lookup of the library. */
long csm__ledger_entry_at(const csm_ledger *l, size_t c, int32_t month);

/* Build a ledger from n MRR rows (csm_ledger_new's columns, already
 * validated: MRR finite and >= 0; segment may be NULL) with options o
 * (loaded; its allocator checked here).  touch (may be NULL): rows with
 * touch[i] != 0 carry no MRR; they say the customer had service in that
 * month without being active at its end (contracts in snapshot mode), for
 * the intra-period count.  Errors: CSM_ERANGE (n > 2^32-1), CSM_EDUP
 * (o->strict), CSM_ENOMEM; on failure *out is untouched. */
csm_status csm__ledger_build(csm_ledger **out, const int64_t *cust,
                             const int32_t *period, const double *mrr,
                             const int32_t *segment, const uint8_t *touch,
                             size_t n, const csm_ledger_opts *o,
                             csm_error *err);

#endif
