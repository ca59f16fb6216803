/* context.c - the context every section reads (sections.h): the ledgers
 * built once from mrr.csv and the review month. */
#include "section.h"

#include <stdio.h>
#include <stdlib.h>

int ctx_init(ctx *x) {
    company *c = x->c;
    x->as_of = x->o->as_of;
    if (!c->have_mrr)
        return 0;
    csm_error e;
    if (csm_ledger_new(&x->ledger, c->mrr_cust, c->mrr_month, c->mrr_value,
                       NULL, c->n_mrr, NULL, &e) != CSM_OK)
        die_rows(x, "ledger", "mrr.csv", c->mrr_line, NULL, c->n_mrr, &e);
    if (csm_ledger_entry_count(x->ledger) == 0) {
        /* rows all skipped, or none active: the sections that read the
         * ledger say so (need_mrr) instead of reading an empty one */
        csm_ledger_free(x->ledger);
        x->ledger = NULL;
        return 0;
    }
    if (x->as_of == INT32_MIN)
        x->as_of = csm_ledger_last_month(x->ledger);
    month_label(x->r->as_of, sizeof x->r->as_of, x->as_of);
    if (x->o->by >= 0) {
        if (!c->have_accounts) {
            report_note(x->r, "--by %s needs accounts.csv; breakdowns skipped",
                        dim_names[x->o->by]);
            return 0;
        }
        /* the segment of each row: the account's value of --by; without
         * one, INT32_MAX (shown "(unknown)", dim_code_name) */
        int32_t *seg = xalloc(c->n_mrr, sizeof *seg);
        for (size_t i = 0; i < c->n_mrr; i++) {
            int32_t d = company_dim(c, c->mrr_cust[i], x->o->by);
            seg[i] = d < 0 ? INT32_MAX : d;
        }
        csm_status st = csm_ledger_new(&x->ledger_by, c->mrr_cust,
                                       c->mrr_month, c->mrr_value, seg,
                                       c->n_mrr, NULL, &e);
        free(seg);
        if (st != CSM_OK)
            die_rows(x, "ledger", "mrr.csv", c->mrr_line, NULL, c->n_mrr, &e);
    }
    return 0;
}

void ctx_free(ctx *x) {
    csm_ledger_free(x->ledger);
    csm_ledger_free(x->ledger_by);
    free(x->at_risk);
}
