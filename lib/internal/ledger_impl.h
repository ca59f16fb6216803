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

/* The ledger's allocator (NULL = libc): the one every result computed
 * from the ledger, and every scratch array, is allocated with. */
static inline const csm_allocator *csm__ledger_allocator(const csm_ledger *l) {
    return l->alloc.alloc ? &l->alloc : NULL;
}

/* Allocation through the ledger's allocator. */
static inline void *csm__lalloc(const csm_ledger *l, size_t n, size_t size) {
    return csm__alloc_array(csm__ledger_allocator(l), n, size);
}
static inline void csm__lfree(const csm_ledger *l, void *p) {
    csm__free(csm__ledger_allocator(l), p);
}

/* The argument checks a public call that computes a result from a ledger
 * starts with, in this order: clear err; out NULL (has_out 0) is
 * CSM_EINVAL naming "out"; the ledger NULL is CSM_EINVAL naming "ledger";
 * then the caller's options opts (NULL = defaults) are read over *o
 * (o_size bytes, holding the defaults) by csm__opts_load; o NULL: the
 * call takes no options.  The caller sets its *out to NULL (when out is
 * not NULL) whatever this returns. */
static inline csm_status csm__ledger_call(int has_out, const csm_ledger *l,
                                          void *o, size_t o_size,
                                          const void *opts, csm_error *err) {
    csm_error_clear(err);
    if (!has_out)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "out", "is NULL");
    if (!l)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "ledger", "is NULL");
    return o ? csm__opts_load(o, o_size, opts, err) : CSM_OK;
}

/* The most months a table computed from a ledger spans (10,000 years). */
#define CSM__MAX_MONTHS (12 * 10000)

/* Check the months [first, last] of a table by month (first <= last):
 * over CSM__MAX_MONTHS is CSM_ERANGE naming "opts.last_month". */
static inline csm_status csm__check_month_range(int64_t first, int64_t last,
                                                csm_error *err) {
    if (last - first + 1 > CSM__MAX_MONTHS)
        return csm__fail(err, CSM_ERANGE, CSM_NO_ROW, "opts.last_month",
                         "month range too long (over 10,000 years)");
    return CSM_OK;
}

/* Whether a (customer, month) whose MRR sums to v is an entry, the
 * customer active at the month's end: v > 0, or any v with free_is_active.
 * The builder keeps only such months, so every entry of a ledger is
 * active and a reader never tests it again. */
static inline int csm__ledger_active(const csm_ledger *l, double v) {
    return v > 0.0 || l->free_is_active;
}

/* The segment index of entry j. */
static inline uint32_t csm__lseg(const csm_ledger *l, size_t j) {
    return l->seg ? l->seg[j] : 0u;
}

/* The segment id of entry j (0 when the rows carried no segment). */
static inline int32_t csm__lseg_id(const csm_ledger *l, size_t j) {
    return l->n_seg ? l->seg_ids[csm__lseg(l, j)] : 0;
}

/* A breakdown of a ledger by segment (by_segment != 0) or not: its rows
 * per month (the ledger's segments, at least 1; or 1, all segments
 * together), and the segment key of its row s (the segment id; or
 * CSM_CODE_ALL). */
static inline size_t csm__seg_rows(const csm_ledger *l, int by_segment) {
    return by_segment ? (l->n_seg ? l->n_seg : 1) : 1;
}
static inline int32_t csm__seg_key(const csm_ledger *l, int by_segment,
                                   size_t s) {
    return by_segment ? (l->n_seg ? l->seg_ids[s] : 0) : CSM_CODE_ALL;
}

/* The index of segment id s in l->seg_ids, or -1. */
long csm__ledger_seg_index(const csm_ledger *l, int32_t s);

/* The first entry of customer index c (0 <= c < n_cust) in month
 * `month` or later: its index j, or cust_off[c + 1] when the customer has
 * none that late.  Binary search, O(log entries of the customer): the one
 * per-customer month lookup of the library. */
size_t csm__ledger_entry_from(const csm_ledger *l, size_t c, int32_t month);

/* The entry of customer index c in month `month`: its index j (l->mrr[j]
 * is the customer's MRR that month), or -1 when the customer is not
 * active in that month (csm__ledger_entry_from). */
long csm__ledger_entry_at(const csm_ledger *l, size_t c, int32_t month);

/* Match n caller rows keyed by customer id (customer[0..n)) to the
 * ledger's customers: row_of[c] (n_cust elements) = the input row that
 * names the ledger's customer c, or SIZE_MAX when none does; rows of
 * customers the ledger lacks are ignored.  Two rows of one customer: with
 * dup_field (static) set, CSM_EDUP at the later row in input order (of
 * the smallest such customer id) naming dup_field with dup_msg; with
 * dup_field NULL, the earlier row is matched.  Scratch of n (id, row)
 * pairs through the ledger's allocator: CSM_ENOMEM. */
csm_status csm__ledger_match(size_t *row_of, const csm_ledger *l,
                             const int64_t *customer, size_t n,
                             const char *dup_field, const char *dup_msg,
                             csm_error *err);

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
