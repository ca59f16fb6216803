/* sec_survival.c - customer lifetimes from the ledger: the Kaplan-Meier
 * curves (overall and by --by) and the shifted-beta-geometric model fitted
 * to the survivors of the recent monthly cohorts, with its figures and its
 * curve. */
#include "section.h"

#include <math.h>
#include <stdlib.h>

/* The Kaplan-Meier curves of the lifetimes ("km_groups") under the
 * library's names, with the survival read at 12 and 24 months ("km_at")
 * as columns survival_12 and survival_24: overall, and by --by when given
 * (then the overall curve is the group "all"). */
static void km_tables(ctx *x, const csm_lifetimes *lt) {
    int32_t *grp = NULL;
    if (x->o->by >= 0 && x->c->have_accounts) {
        grp = xalloc(lt->n, sizeof *grp);
        for (size_t i = 0; i < lt->n; i++) {
            int32_t d = company_dim(x->c, lt->customer_id[i], x->o->by);
            grp[i] = d < 0 ? INT32_MAX : d;
        }
    }
    csm_km_opts ko = CSM_KM_OPTS_INIT;
    ko.include_overall = grp != NULL;
    ko.horizon = 36;
    static const double at[] = {12, 24}; /* S(12), S(24) */
    ko.at_times = at;
    ko.n_at_times = 2;
    csm_km *km = NULL;
    csm_error e;
    if (csm_km_compute(&km, lt->duration, lt->event, NULL, grp, lt->n, &ko,
                       &e) != CSM_OK)
        die_status("kaplan-meier", &e);
    /* the group column stays without --by (the overall curve, "all") */
    sec_arg karg = {x, km, "group"};
    tview kv = {.key = "survival_km",
                .title = "Customer lifetime (Kaplan-Meier, months to first "
                         "churn)",
                .keep_all = 1,
                .code_label = dim_label,
                .arg = &karg};
    tpivot kp = {.cells = csm_result_find(km->result, "km_at"),
                 .value = "survival",
                 .prefix = "survival_"};
    table *t = table_pivot_from_csm(csm_result_find(km->result, "km_groups"),
                                    &kv, &kp);
    table_note(t, "median n/a = more than half the customers have not churned "
                  "yet; 95%% interval by inverting the log-log band; rmst "
                  "over 36 months");
    report_add(x->r, t);
    /* the curves themselves, a row per time with its 95% band (json and
     * csv only: the dashboard draws them) */
    tview cv = {.key = "survival_km_curve",
                .title = "Kaplan-Meier curve (months to first churn)",
                .keep_all = 1,
                .full_only = 1,
                .code_label = dim_label,
                .arg = &karg};
    report_add(x->r, table_from_csm(csm_result_find(km->result, "km"), &cv));
    csm_km_free(km);
    free(grp);
}

/* ARPA at the review month (for model LTV). */
static double arpa_at(ctx *x) {
    csm_movements *m = review_movements(x);
    double v = m->arpa[0];
    csm_movements_free(m);
    return v;
}

/* keep_row of the sBG curve: the periods 1, 12, 24 and 36 */
static int sbg_period_shown(const void *arg, const csm_table *t, size_t row) {
    (void)arg;
    int64_t p = csm_column_int64(csm_table_find(t, "period"), row);
    return p == 1 || p == 12 || p == 24 || p == 36;
}

/* The sBG model fitted to the survivors of the monthly cohorts of the last
 * 24 months (first-run lifetimes, so survivors never increase): the fit
 * ("sbg"), its figures ("sbg_model") and its curve ("sbg_curve"); the
 * tables have no row when the fit failed. */
static void sbg_tables(ctx *x, const csm_lifetimes *lt) {
    /* monthly renewals are the model's periods: with accounts.csv's
     * billing column, fit the monthly-billed accounts only */
    int32_t monthly = x->c->have_accounts
                          ? (int32_t)csm_keys_find(x->c->dims[DIM_BILLING],
                                                   "monthly", (size_t)-1)
                          : -1;
    double *wt = NULL;
    if (monthly >= 0) {
        wt = xalloc(lt->n, sizeof *wt);
        for (size_t i = 0; i < lt->n; i++)
            wt[i] = company_dim(x->c, lt->customer_id[i], DIM_BILLING) ==
                    monthly;
    }
    csm_sbg_survivors_opts so = CSM_SBG_SURVIVORS_OPTS_INIT;
    so.first_cohort = x->as_of - 23;
    so.last_cohort = x->as_of;
    so.as_of = x->as_of;
    csm_sbg_survivors *surv = NULL;
    csm_error e;
    if (csm_sbg_survivors_from_lifetimes(&surv, lt->first_month, lt->duration,
                                         wt, lt->n, &so, &e) != CSM_OK)
        die_status("sbg", &e);
    free(wt);
    csm_sbg fit;
    csm_status st = csm_sbg_fit(&fit, surv->alive, surv->cohort, surv->n_rows,
                                NULL, &e);
    csm_sbg_survivors_free(surv);
    /* the fit ("sbg"; no row when it failed) */
    csm_sbg_fits *fits = NULL;
    csm_error e2;
    size_t n_fit = st == CSM_OK ? 1 : 0;
    if (csm_sbg_table(&fits, &fit, n_fit, NULL, &e2) != CSM_OK)
        die_status("sbg", &e2);
    tview sv = {.key = "survival_sbg",
                .title = "Shifted-beta-geometric retention model (monthly "
                         "cohorts of the last 24 months)"};
    table *s = table_from_csm(csm_result_find(fits->result, "sbg"), &sv);
    csm_sbg_fits_free(fits);
    if (monthly >= 0)
        table_note(s, "fitted to monthly-billed accounts (billing = monthly)");
    if (st != CSM_OK)
        table_note(s, "the model could not be fitted: %s", e.text);
    report_add(x->r, s);
    /* the model's figures ("sbg_model": expected lifetime, DEL, LTV of a
     * new customer; no row when the fit failed); margin per month = ARPA x
     * gross margin, discount 10% a year as a monthly rate (the inputs
     * csm_sbg_model asks for: survival.h) */
    double d = pow(1.10, 1.0 / 12.0) - 1.0;
    /* no customer in the review month: no ARPA, so no LTV (no row) */
    double arpa = arpa_at(x);
    csm_sbg_models *mod = NULL;
    if (csm_sbg_model(&mod, &fit, isnan(arpa) ? 0 : n_fit,
                      isnan(arpa) ? 0.0 : arpa * x->o->margin, d, NULL,
                      &e2) != CSM_OK)
        die_status("sbg", &e2);
    tview mv = {.key = "survival_sbg_model",
                .title = "sBG model figures (months; LTV of a new customer)"};
    table *m = table_from_csm(csm_result_find(mod->result, "sbg_model"), &mv);
    csm_sbg_models_free(mod);
    table_note(m, "ltv_new = ARPA x margin %.2f x DEL at 10%%/year "
                  "(%.4f%%/month); expected lifetime n/a = infinite "
                  "(alpha <= 1)",
               x->o->margin, 100 * d);
    if (isnan(arpa))
        table_note(m, "no customer in the review month: no ARPA, no model "
                      "LTV");
    report_add(x->r, m);
    /* the model's curve read at months 1, 12, 24 and 36 ("sbg_curve";
     * no row when the fit failed: a 0-period projection of any valid
     * model gives the columns alone) */
    csm_sbg_projection *pr = NULL;
    if (csm_sbg_project(&pr, st == CSM_OK ? 37 : 0,
                        st == CSM_OK ? fit.alpha : 1.0,
                        st == CSM_OK ? fit.beta : 1.0, 1.0, NULL,
                        &e2) != CSM_OK)
        die_status("sbg", &e2);
    static const char *const curve_omit[] = {"survivors", "churned", NULL};
    tview cv = {.key = "survival_sbg_curve",
                .title = "sBG survival S(t) and retention r(t) at months 1, "
                         "12, 24 and 36",
                .omit = curve_omit,
                .keep_row = sbg_period_shown};
    report_add(x->r, table_from_csm(csm_result_find(pr->result, "sbg_curve"),
                                    &cv));
    /* every month 0..36 of the same curve (json and csv only: the
     * dashboard draws it next to the Kaplan-Meier curve) */
    tview fv = {.key = "survival_sbg_projection",
                .title = "sBG survival S(t), months 0 to 36",
                .omit = curve_omit,
                .full_only = 1};
    report_add(x->r, table_from_csm(csm_result_find(pr->result, "sbg_curve"),
                                    &fv));
    csm_sbg_projection_free(pr);
}

void sec_survival(ctx *x) {
    if (!need_mrr(x, "survival"))
        return;
    csm_lifetimes_opts lo = CSM_LIFETIMES_OPTS_INIT;
    lo.as_of = x->as_of;
    csm_lifetimes *lt = NULL;
    csm_error e;
    if (csm_lifetimes_from_ledger(&lt, x->ledger, &lo, &e) != CSM_OK)
        die_status("lifetimes", &e);
    km_tables(x, lt);
    sbg_tables(x, lt);
    csm_lifetimes_free(lt);
}
