/* sec_referrals.c - referrals over the twelve months to the review month
 * (referrals.csv): referral rate, conversion, referred MRR and its share of
 * the new MRR, per CSM, and the NPS of referrers (the library's referrals
 * tables). */
#include "section.h"

#include <stdlib.h>

static const char *owner_name(const void *arg, const csm_column *c,
                              int32_t code) {
    (void)c;
    return dim_code_name(((const sec_arg *)arg)->x, DIM_OWNER, code);
}

void sec_referrals(ctx *x) {
    const company *c = x->c;
    if (!need_mrr(x, "referrals") ||
        !need_file(x, c->have_referrals, "referrals", "referrals.csv"))
        return;
    csm_referrals_opts o = CSM_REFERRALS_OPTS_INIT;
    o.last_month = x->as_of;
    o.first_month = x->as_of - 11;
    if (o.first_month < csm_ledger_first_month(x->ledger))
        o.first_month = csm_ledger_first_month(x->ledger);
    /* the accounts with an owner (the others are unassigned) */
    int64_t *oc = xalloc(c->n_acc ? c->n_acc : 1, sizeof *oc);
    int32_t *ow = xalloc(c->n_acc ? c->n_acc : 1, sizeof *ow);
    size_t n_own = 0;
    for (size_t i = 0; c->have_accounts && i < c->n_acc; i++)
        if (c->acc_dim[DIM_OWNER][i] != CSM_KEYS_NONE) {
            oc[n_own] = c->acc_id[i];
            ow[n_own++] = c->acc_dim[DIM_OWNER][i];
        }
    /* the NPS responses of the window */
    int64_t *nc = xalloc(c->n_nps ? c->n_nps : 1, sizeof *nc);
    int8_t *ns = xalloc(c->n_nps ? c->n_nps : 1, sizeof *ns);
    size_t n_nps = 0;
    for (size_t i = 0; i < c->n_nps; i++) {
        int32_t mo = csm_day_month(c->nps_day[i]);
        if (mo >= o.first_month && mo <= o.last_month) {
            nc[n_nps] = c->nps_cust[i];
            ns[n_nps++] = c->nps_score[i];
        }
    }
    const double zero = 0;
    csm_referrals_rows rw = {c->ref_cust, c->ref_day,
                             c->ref_converted ? (const uint8_t *)c->ref_converted
                                              : NULL,
                             c->ref_first_mrr ? c->ref_first_mrr : &zero,
                             c->n_ref};
    csm_referrals *r = NULL;
    csm_error e;
    csm_status st = csm_referrals_compute(&r, x->ledger, &rw, oc, ow, n_own, nc,
                                          ns, n_nps, &o, &e);
    free(oc);
    free(ow);
    free(nc);
    free(ns);
    if (st != CSM_OK)
        die_rows(x, "referrals", "referrals.csv", c->ref_line, NULL, c->n_ref,
                 &e);
    tview v = {.key = "referrals", .title = "Referrals (the last 12 months)"};
    report_add(x->r, table_from_csm(csm_result_find(r->result, "referrals"), &v));
    sec_arg arg = {x, r, "owner"};
    tview ov = {.key = "referrals_owners",
                .title = "Referrals per CSM",
                .keep_all = 1,
                .code_label = owner_name,
                .arg = &arg};
    report_add(x->r,
               table_from_csm(csm_result_find(r->result, "referrals_owners"), &ov));
    csm_referrals_free(r);
}
