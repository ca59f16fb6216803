/* sec_renewals.c - contracts.csv's contracts due in the quarter ending at
 * the review month: the library's renewal outcomes and rates, overall and
 * by --by, and one row per due contract (JSON and CSV). */
#include "section.h"

#include <string.h>

#include <stdio.h>
#include <stdlib.h>

void sec_renewals(ctx *x) {
    const company *c = x->c;
    if (!need_file(x, c->have_contracts, "renewals", "contracts.csv"))
        return;
    /* without mrr.csv or --as-of: the month of the latest contract start
     * (the data's last booking), not of the latest end, which lies in the
     * future of every export that holds a running contract */
    int32_t as_of = review_month(x, "renewals", c->con_file, c->con_start,
                                 c->n_con, 1);
    if (as_of == CSM_MONTH_NONE)
        return;
    /* the quarter ending at the review month */
    int32_t w0 = month_day0(as_of - 2), w1 = month_day0(as_of + 1) - 1;
    int32_t *grp = NULL;
    csm_renewals_opts ro = CSM_RENEWALS_OPTS_INIT;
    /* the contracts are known to the review month's last day: a contract
     * whose grace period runs past it is pending, not churned */
    ro.as_of_day = w1;
    if (x->o->by >= 0 && c->have_accounts) {
        grp = xalloc(c->n_con, sizeof *grp);
        for (size_t i = 0; i < c->n_con; i++)
            grp[i] = company_dim(c, c->con_cust[i], x->o->by);
        ro.group_by = CSM_RENEWALS_GROUP_SEGMENT;
    }
    /* contracts.csv's value is the term's total: the unit CSM_UNIT_TERM
     * (contracts.h), so the library values each contract at exactly it */
    size_t nc = c->n_con ? c->n_con : 1;
    uint8_t *unit = xalloc(nc, sizeof *unit);
    memset(unit, CSM_UNIT_TERM, nc);
    csm_contracts k = {.customer_id = c->con_cust,
                       .start_day = c->con_start,
                       .end_day = c->con_end,
                       .amount = c->con_value,
                       .interval_unit = unit,
                       .segment = grp,
                       .n = c->n_con};
    csm_error e;
    char a[16], b[16];
    day_label(a, sizeof a, w0);
    day_label(b, sizeof b, w1);
    const char *rename[] = {"group",
                            grp ? dim_names[x->o->by] : "group", NULL};
    for (int pass = 0; pass < (grp ? 2 : 1); pass++) {
        csm_renewals_opts o = ro;
        if (pass == 0)
            o.group_by = CSM_RENEWALS_GROUP_NONE;
        csm_renewals *r = NULL;
        if (csm_renewals_compute(&r, NULL, NULL, &k, w0, w1, &o, &e) != CSM_OK)
            die_rows(x, "renewals", c->con_file, c->con_line, NULL,
                     c->n_con, &e);
        char title[128];
        snprintf(title, sizeof title, "Renewals due in the last quarter%s%s",
                 pass ? " by " : "", pass ? dim_names[x->o->by] : "");
        sec_arg arg = {x, r, "group"};
        tview v = {.key = pass ? "renewals_by" : "renewals",
                   .title = title,
                   .rename = rename,
                   .keep_all = pass,
                   .code_label = dim_label,
                   .arg = &arg};
        table *t = table_from_csm(csm_result_find(r->result, "renewals"), &v);
        if (!pass)
            table_note(t, "contracts ending %s..%s; renewed = a new contract "
                          "starting within 90 days of the end; late = after "
                          "that (new business); pending = not renewed yet, "
                          "its 90 days running past %s (the rates are "
                          "renewed so far / due); renewal value normalized "
                          "to the due term",
                       a, b, b);
        report_add(x->r, t);
        /* one row per due contract, with the breakdown's key when there is
         * one: too long for the text report, in json and csv */
        if (pass == (grp ? 1 : 0)) {
            /* customer_id: the user's label (contract_row and renewal_row
             * are row indices) */
            static const char *const customer_col[] = {"customer_id", NULL};
            tview cv = {.key = "renewal_contracts",
                        .title = "Contracts due in the last quarter",
                        .rename = rename,
                        .keep_all = grp != NULL,
                        .code_label = dim_label,
                        .ids = c->customers,
                        .id_cols = customer_col,
                        .full_only = 1,
                        .arg = &arg};
            table *ct = table_from_csm(
                csm_result_find(r->result, "renewal_contracts"), &cv);
            table_note(ct, "contracts ending %s..%s: their outcome, the "
                           "renewal matched and the value credited",
                       a, b);
            report_add(x->r, ct);
        }
        csm_renewals_free(r);
    }
    free(unit);
    free(grp);
}

