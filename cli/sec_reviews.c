/* sec_reviews.c - diagnosis cadence: each active account's reviews
 * (touches.csv) against its cadence (every --cadence-days HIGH days from
 * --cadence-mrr of MRR, else every LOW days; default 30 days from 2,000,
 * else 90), the accounts overdue, and per CSM the coverage (the library's
 * reviews tables). */
#include "section.h"

#include <stdlib.h>
#include <string.h>

/* The owner and reviewer columns show the CSMs' names (owners.csv), the
 * segment column the segments' labels; other codes stay numbers. */
static const char *review_label(const void *arg, const csm_column *c,
                                int32_t code) {
    const ctx *x = ((const sec_arg *)arg)->x;
    if (strcmp(c->name, "owner") == 0 || strcmp(c->name, "last_reviewer") == 0)
        return dim_code_name(x, DIM_OWNER, code);
    if (strcmp(c->name, "segment") == 0)
        return dim_code_name(x, DIM_SEGMENT, code);
    return NULL;
}

/* The accounts table lists the overdue accounts only. */
static int overdue_row(const void *arg, const csm_table *t, size_t row) {
    const csm_reviews *r = ((const sec_arg *)arg)->res;
    (void)t;
    return r->overdue[row];
}

/* A blank dimension cell (CSM_KEYS_NONE) is the library's "none". */
static int32_t or_none(int32_t code) {
    return code == CSM_KEYS_NONE ? CSM_REVIEWS_OWNER_NONE : code;
}

void sec_reviews(ctx *x) {
    const company *c = x->c;
    if (!need_file(x, c->have_touches, "reviews", "touches.csv"))
        return;
    if (!c->have_accounts) {
        report_note(x->r, "reviews skipped: no accounts.csv (the accounts "
                          "to review)");
        return;
    }
    int32_t m = review_month(x, "reviews", "touches.csv", c->touch_day,
                             c->n_touch, 1);
    if (m == CSM_MONTH_NONE)
        return;
    /* the accounts to review: those of accounts.csv active in the month
     * (with mrr.csv; else every account), with their MRR */
    csm_ledger_month *lm = NULL;
    csm_error e;
    if (x->ledger && csm_ledger_month_compute(&lm, x->ledger, m, &e) != CSM_OK)
        die_status("reviews", &e);
    size_t n = 0;
    int64_t *acc = xalloc(c->n_acc ? c->n_acc : 1, sizeof *acc);
    int32_t *owner = xalloc(c->n_acc ? c->n_acc : 1, sizeof *owner);
    int32_t *seg = xalloc(c->n_acc ? c->n_acc : 1, sizeof *seg);
    double *mrr = xalloc(c->n_acc ? c->n_acc : 1, sizeof *mrr);
    for (size_t i = 0; i < c->n_acc; i++) {
        long j = lm ? find_first(lm->customer_id, lm->n_rows, c->acc_id[i]) : -1;
        if (lm && j < 0)
            continue;
        acc[n] = c->acc_id[i];
        owner[n] = or_none(c->acc_dim[DIM_OWNER][i]);
        seg[n] = c->acc_dim[DIM_SEGMENT][i];
        mrr[n++] = j >= 0 ? lm->mrr[j] : 0.0;
    }
    csm_ledger_month_free(lm);
    int32_t *csm = xalloc(c->n_touch ? c->n_touch : 1, sizeof *csm);
    for (size_t i = 0; i < c->n_touch; i++)
        csm[i] = or_none(c->touch_csm[i]);
    csm_reviews_accounts ac = {acc, owner, seg, mrr, n};
    csm_reviews_touches tc = {c->touch_cust, c->touch_day, csm, NULL,
                              c->n_touch};
    /* one tier: the high-MRR accounts; the others take default_days */
    csm_reviews_opts o = CSM_REVIEWS_OPTS_INIT;
    o.as_of = month_day0(m + 1) - 1; /* the review month's last day */
    o.default_days = x->o->cadence_days[0];
    o.n_tiers = 1;
    o.tier_min_mrr = &x->o->cadence_mrr;
    o.tier_days = &x->o->cadence_days[1];
    csm_reviews *r = NULL;
    csm_status st = csm_reviews_compute(&r, &ac, &tc, &o, &e);
    free(acc);
    free(owner);
    free(seg);
    free(mrr);
    free(csm);
    if (st != CSM_OK)
        die_rows(x, "reviews", "touches.csv", c->touch_line, NULL, c->n_touch,
                 &e);
    sec_arg arg = {x, r, "owner"};
    static const char *const cols[] = {"account", "owner", "mrr",
                                       "cadence_days", "last_review",
                                       "next_due", "days_overdue", NULL};
    /* the list is long: in the JSON and CSV reports; the account column is
     * named as the other reports' account ids */
    static const char *const names[] = {"account", "account_id", NULL};
    tview v = {.key = "reviews_overdue",
               .title = "Accounts overdue for review",
               .only = cols,
               .rename = names,
               .full_only = 1,
               .ids = c->customers,
               .code_label = review_label,
               .keep_row = overdue_row,
               .arg = &arg};
    report_add(x->r, table_from_csm(csm_result_find(r->result, "reviews"), &v));
    tview ov = {.key = "reviews_owners",
                .title = "Review coverage per CSM",
                .keep_all = 1,
                .code_label = review_label,
                .arg = &arg};
    report_add(x->r,
               table_from_csm(csm_result_find(r->result, "reviews_owners"), &ov));
    tview sv = {.key = "reviews_summary", .title = "Review cadence"};
    report_add(x->r,
               table_from_csm(csm_result_find(r->result, "reviews_summary"), &sv));
    csm_reviews_free(r);
}
