/* sec_ltv.c - unit economics over the trailing 12 months: the library's
 * LTV, CAC, LTV/CAC and payback from the ledger and spend.csv. */
#include "section.h"

/* The library's unit economics over the trailing 12 months (churn floored
 * at 1.67%), shown as its table; the month is the report's as_of. */
void sec_ltv(ctx *x) {
    if (!need_mrr(x, "ltv"))
        return;
    const company *c = x->c;
    csm_ltv_opts lo = CSM_LTV_OPTS_INIT;
    lo.zero_churn = CSM_ZERO_CHURN_FLOOR;
    static const double no_spend = 0;
    /* spend NULL = no spend.csv: the CAC figures are undefined */
    const double *spend =
        c->have_spend ? (c->spend ? c->spend : &no_spend) : NULL;
    /* the review's window: the library's default, 12 months */
    csm_unit_economics_opts uo = CSM_UNIT_ECONOMICS_OPTS_INIT;
    uo.month = x->as_of;
    uo.ltv = &lo;
    csm_unit_economics *u = NULL;
    csm_error e;
    if (csm_unit_economics_from_ledger(&u, x->ledger, x->o->margin,
                                       c->spend_month, spend,
                                       c->have_spend ? c->n_spend : 0, &uo,
                                       &e) != CSM_OK)
        die_rows(x, "ltv", "spend.csv", c->spend_line, NULL, c->n_spend, &e);
    static const char *const omit[] = {"month", NULL};
    tview v = {.key = "ltv",
               .title = "Unit economics (trailing 12 months)",
               .omit = omit};
    table *t = table_from_csm(csm_result_table(u->result, 0), &v);
    csm_unit_economics_free(u);
    if (!c->have_spend)
        table_note(t, "CAC skipped: no spend.csv");
    table_note(t, "monthly churn = churned customers / opening customers over "
                  "the last 12 months (floor 1.67%%); CAC = spend / new "
                  "customers; payback uses the new customers' ARPA");
    report_add(x->r, t);
}

