/* sec_nps.c - NPS from nps.csv: the quarter ending at the review month and
 * the one before, their difference, and the last quarter by --by. */
#include "section.h"

#include <math.h>
#include <stdlib.h>

/* The scores of the responses dated in [d0, d1): *n of them into buf. */
static void nps_window(const company *c, int32_t d0, int32_t d1,
                       int8_t *buf, size_t *n) {
    *n = 0;
    for (size_t i = 0; i < c->n_nps; i++)
        if (c->nps_day[i] >= d0 && c->nps_day[i] < d1)
            buf[(*n)++] = c->nps_score[i];
}

/* The rows of the NPS table: the last quarter (group 0) and the one
 * before (group 1). */
static const char *nps_period_label(const void *arg, const csm_column *c,
                                    int32_t code) {
    (void)arg;
    (void)c;
    return code == 0 ? "last quarter" : code == 1 ? "quarter before" : NULL;
}

void sec_nps(ctx *x) {
    const company *c = x->c;
    if (!need_file(x, c->have_nps, "nps", "nps.csv"))
        return;
    int32_t as_of = review_month(x, "nps", "nps.csv", c->nps_day, c->n_nps, 1);
    if (as_of == CSM_MONTH_NONE)
        return;
    int8_t *buf = xalloc(c->n_nps, sizeof *buf);
    /* this quarter = the 3 months ending at the review month */
    int32_t q1 = month_day0(as_of + 1), q0 = month_day0(as_of - 2),
            p0 = month_day0(as_of - 5);
    csm_nps_result now, before;
    csm_error e;
    size_t n;
    nps_window(c, q0, q1, buf, &n);
    if (csm_nps(&now, buf, n, NULL, &e) != CSM_OK)
        die_status("nps", &e);
    nps_window(c, p0, q0, buf, &n);
    if (csm_nps(&before, buf, n, NULL, &e) != CSM_OK)
        die_status("nps", &e);
    csm_nps_diff d;
    if (csm_nps_compare(&d, &before, &now, NULL, &e) != CSM_OK)
        die_status("nps", &e);
    /* the two quarters as the rows of an "nps" table, group 0 and 1 */
    csm_nps_result both[2] = {now, before};
    csm_nps_results *nt = NULL;
    if (csm_nps_table(&nt, both, NULL, 2, NULL, &e) != CSM_OK)
        die_status("nps", &e);
    tview v = {.key = "nps",
               .title = "Net Promoter Score (quarters ending at the review "
                        "month)",
               .code_label = nps_period_label};
    table *t = table_from_csm(csm_result_find(nt->result, "nps"), &v);
    csm_nps_results_free(nt);
    if (!isnan(d.diff))
        table_note(t, "change %+.1f points (z = %.2f, p = %.3f; 95%% interval "
                      "%.1f to %.1f)",
                   d.diff, d.z, d.p_value, d.ci_low, d.ci_high);
    table_note(t, "95%% Wald interval; promoters 9-10, passives 7-8, "
                  "detractors 0-6");
    report_add(x->r, t);
    if (x->o->by >= 0 && c->have_accounts) {
        /* the last quarter's NPS of each value of --by with responses
         * (responses of accounts without a value are left out) */
        int32_t *code = xalloc(c->n_nps, sizeof *code);
        size_t m = 0;
        for (size_t i = 0; i < c->n_nps; i++) {
            int32_t g = company_dim(c, c->nps_cust[i], x->o->by);
            if (c->nps_day[i] >= q0 && c->nps_day[i] < q1 && g >= 0) {
                buf[m] = c->nps_score[i];
                code[m++] = g;
            }
        }
        csm_nps_results *bt = NULL;
        if (csm_nps_by_group(&bt, buf, NULL, code, m, NULL, &e) !=
            CSM_OK)
            die_status("nps", &e);
        free(code);
        const char *brename[] = {"group", dim_names[x->o->by], NULL};
        sec_arg arg = {x, bt, "group"};
        tview bv = {.key = "nps_by",
                    .title = "NPS by segment (last quarter)",
                    .rename = brename,
                    .keep_all = 1,
                    .code_label = dim_label,
                    .arg = &arg};
        report_add(x->r,
                   table_from_csm(csm_result_find(bt->result, "nps"), &bv));
        csm_nps_results_free(bt);
    }
    free(buf);
}

