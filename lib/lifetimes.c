/* lifetimes.c - customer lifetimes read off an MRR ledger: the first
 * unbroken run of active months of each customer, churned or censored at
 * the as-of month (the "lifetimes" table). */
#include "csmetrics/lifetimes.h"
#include "internal/ledger_impl.h"
#include "internal/movements.h"
#include "internal/table.h"
#include "internal/util.h"

CSM__DEFINE_OPTS_INIT(csm_lifetimes_opts_init, csm_lifetimes_opts, CSM_LIFETIMES_OPTS_INIT)

#define LT_COL(m, n, ty, st, r, d)                                             \
    CSM__COLDEF(csm_lifetimes, m, n, ty, st, r, d)
static const csm__coldef lt_cols[] = {CSM_LIFETIMES_COLUMNS(LT_COL)};
#undef LT_COL

CSM__DEFINE_RESULT_FREE(csm_lifetimes_free, csm_lifetimes)

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
        const size_t j = l->cust_off[c], end = l->cust_off[c + 1];
        if (l->period[j] > as_of)
            continue;
        const int32_t f = l->period[j];
        /* the first unbroken run ends at the first entry that churns
         * (internal/movements.h), or at as_of */
        size_t q = j;
        while (!csm__entry_churns(l, q, end) && l->period[q + 1] <= as_of)
            q++;
        const int32_t last = l->period[q];
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
