/* sec_project.c - the 24-month MRR churn scenarios: the library's
 * projection from the review month's MRR, at the observed churn rate and
 * at fixed ones, with the observed new MRR. */
#include "section.h"

#include <math.h>
#include <stdio.h>

typedef struct proj_arg {
    char name[5][32]; /* the scenarios' column names */
    const csm_projection *p;
    int observed_unknown; /* no observed churn rate: scenario 0 is n/a */
} proj_arg;

static const char *scenario_label(const void *arg, const csm_column *c,
                                  int32_t code) {
    (void)c;
    const proj_arg *a = arg;
    return code >= 0 && code < 5 ? a->name[code] : NULL;
}

static int every_third_month(const void *arg, const csm_table *t, size_t i) {
    (void)t;
    return ((const proj_arg *)arg)->p->month[i] % 3 == 0;
}

/* keep_cell: the observed scenario's cells are n/a without its rate */
static int known_scenario(const void *arg, const csm_table *t, size_t i) {
    (void)t;
    const proj_arg *a = arg;
    return !(a->observed_unknown && a->p->scenario[i] == 0);
}

void sec_project(ctx *x) {
    if (!need_mrr(x, "project"))
        return;
    /* the observed trend: the last 6 months' average new + reactivated
     * MRR and gross MRR churn rate */
    csm_projection_inputs_opts po = CSM_PROJECTION_INPUTS_OPTS_INIT; /* 6 */
    po.month = x->as_of;
    csm_projection_inputs *in = NULL;
    csm_error e;
    if (csm_projection_inputs_from_ledger(&in, x->ledger, &po, &e) != CSM_OK)
        die_status("projection", &e);
    double start = in->start_mrr[0], newm = in->new_mrr[0];
    /* no month with opening MRR: no observed rate, so the observed
     * scenario is n/a (computed at 0 for the library, its cells hidden) */
    int unknown = isnan(in->gross_mrr_churn_rate[0]);
    double gross = unknown ? 0.0 : in->gross_mrr_churn_rate[0];
    csm_projection_inputs_free(in);
    enum { S = 5, MONTHS = 24 };
    double churn[S] = {gross, 0.01, 0.02, 0.03, 0.05};
    double nm[S];
    for (int s = 0; s < S; s++)
        nm[s] = newm;
    csm_projection *p = NULL;
    csm_projection_scenarios sc = {churn, NULL, nm, S};
    if (csm_projection_mrr_table(&p, MONTHS, start, &sc, NULL, &e) != CSM_OK)
        die_status("projection", &e);
    /* the long table "projection" (month, scenario, mrr) as months x
     * scenarios, every third month, a scenario's column named after its
     * churn rate */
    proj_arg arg = {.p = NULL, .observed_unknown = unknown};
    for (int s = 0; s < S; s++)
        snprintf(arg.name[s], sizeof arg.name[s],
                 s == 0 ? "observed_%.1f%%" : "churn_%.0f%%", 100 * churn[s]);
    if (unknown)
        snprintf(arg.name[0], sizeof arg.name[0], "observed_n/a");
    tview v = {.key = "projection",
               .title = "24-month MRR churn scenarios",
               .code_label = scenario_label,
               .keep_row = every_third_month,
               .arg = &arg};
    tpivot pv = {.cells = csm_result_find(p->result, "projection"),
                 .pivot = "scenario",
                 .value = "mrr",
                 .keep_cell = known_scenario};
    arg.p = p;
    table *t = table_pivot_from_csm(NULL, &v, &pv);
    csm_projection_free(p);
    char nbuf[64];
    fmt_grouped(nbuf, sizeof nbuf, newm, 2);
    table_note(t, "from the review month's MRR; monthly gross MRR churn as "
                  "given; new and reactivated MRR %s a month (the last 6 "
                  "months' average)",
               nbuf);
    if (unknown)
        table_note(t, "observed churn n/a: no month of the last 6 had opening "
                      "MRR");
    report_add(x->r, t);
}

