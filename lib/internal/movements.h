/* How one ledger entry moves customers between months: the rules of
 * docs/metrics.md, "Movements", written once.  lib/movements.c turns an
 * entry into its movement events (entry_events, with the tolerance and
 * segment switches), which csm_movements_compute buckets by month and
 * segment and csm_movements_events_compute lists; the LTV and
 * unit-economics windows (lib/ltv.c, lib/unit_economics.c) sum them over
 * a window without building the movements table; retention's
 * movement-sum NRR (lib/retention.c) and the lifetimes' first runs
 * (lib/lifetimes.c) read them entry by entry.  Not installed, not
 * exported.
 *
 * A customer's entries are l->period[lo .. hi) (ascending months,
 * internal/ledger_impl.h); entry j is active in month period[j], so it is
 * a closing customer of that month and an opening customer of the next. */
#ifndef CSM_INTERNAL_MOVEMENTS_H
#define CSM_INTERNAL_MOVEMENTS_H

#include <string.h>

#include "csmetrics/movements.h"
#include "internal/ledger_impl.h"
#include "internal/util.h"

/* How an entry's month begins for its customer. */
typedef enum csm__start {
    CSM__START_CONTINUES,  /* active the month before too */
    CSM__START_NEW,        /* never active before, or away longer than the
                              reactivation window */
    CSM__START_REACTIVATES /* active before, away at most the window */
} csm__start;

/* How entry j (of a customer whose first entry is lo) begins its month,
 * with a reactivation window of `window` months (0 = no limit: every
 * return is a reactivation).  A customer last active in month L who
 * returns in month p was away p - L - 1 months. */
static inline csm__start csm__entry_start(const csm_ledger *l, size_t lo,
                                          size_t j, int64_t window) {
    if (j == lo)
        return CSM__START_NEW;
    const int64_t away = (int64_t)l->period[j] - l->period[j - 1] - 1;
    if (away == 0)
        return CSM__START_CONTINUES;
    return window == 0 || away <= window ? CSM__START_REACTIVATES
                                         : CSM__START_NEW;
}

/* 1 when the customer of entry j (entries up to hi) has no entry the
 * month after entry j's: it churns in that month. */
static inline int csm__entry_churns(const csm_ledger *l, size_t j,
                                    size_t hi) {
    return !(j + 1 < hi &&
             (int64_t)l->period[j + 1] == (int64_t)l->period[j] + 1);
}

/* The sums of a trailing window [first, last] of a ledger, with the
 * default movements definitions (the entry rules of internal/movements.h,
 * which csm_movements_compute buckets): a customer's entry in month p is
 * an opening customer of p + 1, and a churned one when it has no entry in
 * p + 1; an entry in a window month is a new customer when it starts as
 * new (by default every return is a reactivation).  The same figures as
 * the movements table of the window summed over its months, in one pass,
 * without allocating that table. */
typedef struct {
    int64_t opening, churned, new_customers, customers;
    csm__ksum new_mrr, mrr; /* mrr: at `last` */
} csm__window_sums;

static inline void csm__sum_window(csm__window_sums *w, const csm_ledger *l, int64_t first,
                       int64_t last) {
    const int64_t react_window =
        ((csm_movements_opts)CSM_MOVEMENTS_OPTS_INIT).reactivation_window;
    memset(w, 0, sizeof *w);
    for (size_t c = 0; c < l->n_cust; c++) {
        size_t lo = l->cust_off[c], hi = l->cust_off[c + 1];
        for (size_t j = lo; j < hi; j++) {
            int64_t p = l->period[j];
            if (p >= first - 1 && p <= last - 1) {
                w->opening++;
                if (csm__entry_churns(l, j, hi))
                    w->churned++;
            }
            if (p >= first && p <= last &&
                csm__entry_start(l, lo, j, react_window) == CSM__START_NEW) {
                w->new_customers++;
                csm__ksum_add(&w->new_mrr, l->mrr[j]);
            }
            if (p == last) {
                w->customers++;
                csm__ksum_add(&w->mrr, l->mrr[j]);
            }
        }
    }
}

/* The window's ARPA (MRR / customers, both at `last`) and monthly logo
 * churn (churned / opening customers): NaN with CSM_FLAG_ZERO_DENOMINATOR
 * in *flags (may be NULL) when the denominator is 0. */
static inline double csm__window_arpa(const csm__window_sums *w,
                                      uint32_t *flags) {
    return csm__ratio(csm__ksum_value(&w->mrr), (double)w->customers, flags);
}
static inline double csm__window_churn(const csm__window_sums *w,
                                       uint32_t *flags) {
    return csm__ratio((double)w->churned, (double)w->opening, flags);
}

/* The argument checks of a call on the trailing window of `window`
 * months of a ledger that ends at *month (CSM_MONTH_NONE = the ledger's
 * last): csm__ledger_call's (out, ledger; no options), then window < 1 is
 * CSM_EINVAL and an empty ledger CSM_EDOMAIN; *first = the window's first
 * month.  The caller sets its *out to NULL whatever this returns. */
static inline csm_status csm__window_call(int has_out, int64_t *first,
                                          int32_t *month, const csm_ledger *l,
                                          int32_t window, csm_error *err) {
    csm_status st = csm__ledger_call(has_out, l, NULL, 0, NULL, err);
    if (st != CSM_OK)
        return st;
    if (window < 1)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "opts.window",
                         "window must be >= 1 month");
    if (*month == CSM_MONTH_NONE)
        *month = csm_ledger_last_month(l);
    if (*month == CSM_MONTH_NONE)
        return csm__fail(err, CSM_EDOMAIN, CSM_NO_ROW, "ledger",
                         "the ledger is empty");
    *first = (int64_t)*month - window + 1;
    return CSM_OK;
}

#endif
