/* How one ledger entry moves customers between months: the rules of
 * docs/metrics.md, "Movements", written once.  csm_movements_compute
 * (lib/movements.c) buckets them by month and segment; the LTV and
 * unit-economics windows (lib/ltv.c) sum them over a window without
 * building the movements table.  Not installed, not exported.
 *
 * A customer's entries are l->period[lo .. hi) (ascending months,
 * internal/ledger_impl.h); entry j is active in month period[j], so it is
 * a closing customer of that month and an opening customer of the next. */
#ifndef CSM_INTERNAL_MOVEMENTS_H
#define CSM_INTERNAL_MOVEMENTS_H

#include "internal/ledger_impl.h"

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

#endif
