/* sections.c - each report section computes with libcsmetrics and adds
 * tables (and notes) to the report. */
#include "sections.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void die_status(const char *what, const csm_error *e) {
    fprintf(stderr, "csmetrics: %s: %s\n", what, e->text);
    exit(EXIT_SOFTWARE);
}

int ctx_init(ctx *x) {
    company *c = x->c;
    x->as_of = x->o->as_of;
    if (!c->have_mrr)
        return 0;
    csm_error e;
    if (csm_ledger_new(&x->ledger, c->mrr_cust, c->mrr_month, c->mrr_value,
                       NULL, c->n_mrr, NULL, &e) != CSM_OK) {
        fprintf(stderr, "csmetrics: %s/mrr.csv: %s\n", c->dir, e.text);
        return EXIT_DATAERR;
    }
    if (x->as_of == INT32_MIN)
        x->as_of = csm_ledger_last_month(x->ledger);
    snprintf(x->r->as_of, sizeof x->r->as_of, "%04d-%02d",
             (int)csm_month_year(x->as_of), (int)csm_month_month(x->as_of));
    if (x->o->by >= 0) {
        if (!c->have_accounts) {
            report_note(x->r, "--by %s needs accounts.csv; breakdowns skipped",
                        dim_names[x->o->by]);
            return 0;
        }
        int32_t unknown = dict_add(&c->dims[x->o->by], "(unknown)");
        int32_t *seg = malloc((c->n_mrr ? c->n_mrr : 1) * sizeof *seg);
        if (!seg)
            return EXIT_SOFTWARE;
        for (size_t i = 0; i < c->n_mrr; i++) {
            int32_t d = company_dim(c, c->mrr_cust[i], x->o->by);
            seg[i] = d < 0 ? unknown : d;
        }
        csm_status st = csm_ledger_new(&x->ledger_by, c->mrr_cust,
                                       c->mrr_month, c->mrr_value, seg,
                                       c->n_mrr, NULL, &e);
        free(seg);
        if (st != CSM_OK)
            die_status("ledger", &e);
    }
    return 0;
}

void ctx_free(ctx *x) {
    csm_ledger_free(x->ledger);
    csm_ledger_free(x->ledger_by);
    free(x->at_risk);
}

static int need_mrr(ctx *x, const char *section) {
    if (x->ledger)
        return 1;
    report_note(x->r, "%s skipped: no mrr.csv in %s", section, x->c->dir);
    return 0;
}

/* Name of code `code` of dimension d: the owner's name from owners.csv for
 * owners, "(unknown)" for a code outside the dimension (accounts without a
 * value, mapped to -1 or INT32_MAX by the sections). */
static const char *dim_code_name(const ctx *x, int d, int32_t code) {
    const dict *dd = &x->c->dims[d];
    if (code >= 0 && (size_t)code < dd->n) {
        if (d == DIM_OWNER && x->c->have_owners)
            for (size_t i = 0; i < x->c->owner_names.n; i++)
                if (x->c->owner_ids[i] == code)
                    return x->c->owner_names.names[i];
        return dd->names[code];
    }
    return "(unknown)";
}

static const char *seg_name(const ctx *x, int32_t code) {
    return dim_code_name(x, x->o->by, code);
}

/* The arg of a section's view (tables.h): the context, for the labels of
 * the --by dimension's codes, and the typed result, for row rules. */
typedef struct sec_arg {
    const ctx *x;
    const void *res;
    /* the code columns holding the --by dimension's codes (the others,
     * such as an outcome code, show their decimal code) */
    const char *dim_col;
} sec_arg;

static const char *dim_label(const void *arg, const csm_column *c,
                             int32_t code) {
    const sec_arg *a = arg;
    if (strcmp(c->name, a->dim_col) != 0)
        return NULL;
    return a->x->o->by >= 0 ? seg_name(a->x, code) : "?";
}

/* ---- summary ------------------------------------------------------------ */
/* A curated one-row view: the movements row of the review month, five of
 * its columns, through the generic path. */
static void sec_summary(ctx *x) {
    if (!need_mrr(x, "summary"))
        return;
    csm_movements_opts mo = CSM_MOVEMENTS_OPTS_INIT;
    mo.first_month = x->as_of;
    mo.last_month = x->as_of;
    csm_movements *m = NULL;
    csm_error e;
    if (csm_movements_compute(&m, x->ledger, &mo, &e) != CSM_OK)
        die_status("movements", &e);
    static const char *const only[] = {"month", "closing_mrr", "arr",
                                       "customers", "arpa", NULL};
    tview v = {.key = "summary", .title = "Summary", .only = only};
    report_add(x->r, table_from_csm(csm_result_table(m->result, 0), &v));
    csm_movements_free(m);
}

/* ---- movements ------------------------------------------------------------ */
/* Rule of the breakdown: a segment row without MRR at either end of the
 * month is left out. */
static int mov_has_mrr(const void *arg, const csm_table *t, size_t i) {
    (void)t;
    const csm_movements *m = ((const sec_arg *)arg)->res;
    return !(m->opening_mrr[i] == 0 && m->closing_mrr[i] == 0);
}

static void movements_table(ctx *x, const csm_ledger *l, int by) {
    csm_movements_opts mo = CSM_MOVEMENTS_OPTS_INIT;
    mo.first_month = x->as_of - x->o->months + 1;
    mo.last_month = x->as_of;
    mo.by_segment = by;
    csm_movements *m = NULL;
    csm_error e;
    if (csm_movements_compute(&m, l, &mo, &e) != CSM_OK)
        die_status("movements", &e);
    char title[128];
    if (by)
        snprintf(title, sizeof title, "MRR movements by %s",
                 dim_names[x->o->by]);
    else
        snprintf(title, sizeof title, "MRR movements");
    /* without a breakdown there is no segment to switch from or to */
    static const char *const no_switch[] = {
        "segment_in", "segment_out", "segment_in_customers",
        "segment_out_customers", NULL};
    const char *rename[] = {"segment", by ? dim_names[x->o->by] : "segment",
                            NULL};
    sec_arg arg = {x, m, "segment"};
    tview v = {.key = by ? "movements_by" : "movements",
               .title = title,
               .omit = by ? NULL : no_switch,
               .rename = rename,
               .code_label = dim_label,
               .keep_row = by ? mov_has_mrr : NULL,
               .keep_all = by,
               .arg = &arg};
    report_add(x->r, table_from_csm(csm_result_table(m->result, 0), &v));
    csm_movements_free(m);
}

static void sec_movements(ctx *x) {
    if (!need_mrr(x, "movements"))
        return;
    movements_table(x, x->ledger, 0);
    if (x->ledger_by)
        movements_table(x, x->ledger_by, 1);
}

/* ---- retention ------------------------------------------------------------ */
/* Rule of the breakdown: a segment without customers in the base (at the
 * window's start) is left out. */
static int ret_has_base(const void *arg, const csm_table *t, size_t i) {
    (void)t;
    const csm_retention *r = ((const sec_arg *)arg)->res;
    return r->base_customers[i] != 0;
}

static void retention_table(ctx *x, const csm_ledger *l, int by) {
    csm_retention_opts ro = CSM_RETENTION_OPTS_INIT;
    ro.window = x->o->window;
    ro.first_month = by ? x->as_of : x->as_of - x->o->months + 1;
    ro.last_month = x->as_of;
    ro.by_segment = by;
    csm_retention *r = NULL;
    csm_error e;
    if (csm_retention_compute(&r, l, &ro, &e) != CSM_OK)
        die_status("retention", &e);
    char title[160];
    snprintf(title, sizeof title, "%d-month revenue and logo retention%s%s",
             (int)x->o->window, by ? " by " : "",
             by ? dim_names[x->o->by] : "");
    const char *rename[] = {"segment", by ? dim_names[x->o->by] : "segment",
                            NULL};
    sec_arg arg = {x, r, "segment"};
    tview v = {.key = by ? "retention_by" : "retention",
               .title = title,
               .rename = rename,
               .code_label = dim_label,
               .keep_row = by ? ret_has_base : NULL,
               .keep_all = by,
               .arg = &arg};
    table *t = table_from_csm(csm_result_table(r->result, 0), &v);
    if (!by)
        table_note(t, "base = customers with MRR in the start month; new "
                      "customers excluded; snapshot NRR (returning base "
                      "customers count at their end-month MRR)");
    report_add(x->r, t);
    csm_retention_free(r);
}

static void sec_retention(ctx *x) {
    if (!need_mrr(x, "retention"))
        return;
    retention_table(x, x->ledger, 0);
    if (x->ledger_by)
        retention_table(x, x->ledger_by, 1);
}

/* ---- cohorts ---------------------------------------------------------------- */
/* The 13 monthly cohorts from a year before the review month to it. */
static int cohort_in_year(const void *arg, const csm_table *t, size_t i) {
    (void)t;
    const sec_arg *a = arg;
    const csm_cohorts *c = a->res;
    return c->cohort[i] >= a->x->as_of - 12 && c->cohort[i] <= a->x->as_of;
}

/* A cell is seen by the review month (the ledger may run past --as-of). */
static int cell_seen(const void *arg, const csm_table *t, size_t i) {
    (void)t;
    const sec_arg *a = arg;
    const csm_cohorts *c = a->res;
    return (int64_t)c->cell_cohort[i] + (int64_t)c->cell_age[i] <=
           a->x->as_of;
}

/* The cohort x age triangle of customers_frac: the "cohorts" rows with the
 * "cohort_cells" pivoted on their age key (m0 .. m12). */
static void sec_cohorts(ctx *x) {
    if (!need_mrr(x, "cohorts"))
        return;
    csm_cohorts_opts co = CSM_COHORTS_OPTS_INIT;
    co.max_age = 12;
    csm_cohorts *c = NULL;
    csm_error e;
    if (csm_cohorts_compute(&c, x->ledger, &co, &e) != CSM_OK)
        die_status("cohorts", &e);
    sec_arg arg = {x, c, "segment"};
    tview v = {.key = "cohorts",
               .title = "Cohort logo retention (share of month-0 customers "
                        "active at each age, months)",
               .keep_row = cohort_in_year,
               .arg = &arg};
    tpivot p = {.cells = csm_result_find(c->result, "cohort_cells"),
                .value = "customers_frac",
                .prefix = "m",
                .keep_cell = cell_seen};
    report_add(x->r,
               table_pivot_from_csm(csm_result_find(c->result, "cohorts"),
                                    &v, &p));
    csm_cohorts_free(c);
}

/* ---- survival ------------------------------------------------------------------ */
/* ARPA at the review month (for model LTV). */
static double arpa_at(ctx *x) {
    csm_movements_opts mo = CSM_MOVEMENTS_OPTS_INIT;
    mo.first_month = x->as_of;
    mo.last_month = x->as_of;
    csm_movements *m = NULL;
    csm_error e;
    if (csm_movements_compute(&m, x->ledger, &mo, &e) != CSM_OK)
        die_status("movements", &e);
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

static void sec_survival(ctx *x) {
    if (!need_mrr(x, "survival"))
        return;
    csm_error e;
    csm_lifetimes_opts lo = CSM_LIFETIMES_OPTS_INIT;
    lo.as_of = x->as_of;
    csm_lifetimes *lt = NULL;
    if (csm_lifetimes_from_ledger(&lt, x->ledger, &lo, &e) != CSM_OK)
        die_status("lifetimes", &e);
    /* Kaplan-Meier: overall, and by --by when given */
    int32_t *grp = NULL;
    if (x->o->by >= 0 && x->c->have_accounts) {
        grp = malloc((lt->n ? lt->n : 1) * sizeof *grp);
        if (!grp)
            exit(EXIT_SOFTWARE);
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
    if (csm_km_compute(&km, lt->duration, lt->event, NULL, grp, lt->n, &ko,
                       &e) != CSM_OK)
        die_status("kaplan-meier", &e);
    /* the curves ("km_groups") under the library's names, with the
     * survival read at 12 and 24 months ("km_at") as columns survival_12
     * and survival_24; the group column stays without --by (the overall
     * curve, "all") */
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
    csm_km_free(km);
    free(grp);

    /* sBG fitted to the survivors of the monthly cohorts of the last 24
     * months (first-run lifetimes, so survivors never increase) */
    /* monthly renewals are the model's periods: with accounts.csv's
     * billing column, fit the monthly-billed accounts only */
    int32_t monthly = -1;
    if (x->c->have_accounts)
        for (size_t i = 0; i < x->c->dims[DIM_BILLING].n; i++)
            if (strcmp(x->c->dims[DIM_BILLING].names[i], "monthly") == 0)
                monthly = (int32_t)i;
    double *wt = NULL;
    if (monthly >= 0) {
        wt = malloc((lt->n ? lt->n : 1) * sizeof *wt);
        if (!wt)
            exit(EXIT_SOFTWARE);
        for (size_t i = 0; i < lt->n; i++)
            wt[i] = company_dim(x->c, lt->customer_id[i], DIM_BILLING) ==
                    monthly;
    }
    csm_sbg_survivors_opts so = CSM_SBG_SURVIVORS_OPTS_INIT;
    so.first_cohort = x->as_of - 23;
    so.last_cohort = x->as_of;
    so.as_of = x->as_of;
    csm_sbg_survivors *surv = NULL;
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
     * gross margin, discount 10% a year as a monthly rate */
    double d = pow(1.10, 1.0 / 12.0) - 1.0;
    csm_sbg_models *mod = NULL;
    if (csm_sbg_model(&mod, &fit, n_fit, arpa_at(x) * x->o->margin, d, NULL,
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
    csm_sbg_projection_free(pr);
    csm_lifetimes_free(lt);
}

/* ---- NPS ------------------------------------------------------------------------ */
/* First day of month m. */
static int32_t month_day0(int32_t m) {
    return csm_day(csm_month_year(m), csm_month_month(m), 1);
}

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

static void sec_nps(ctx *x) {
    const company *c = x->c;
    if (!c->have_nps) {
        report_note(x->r, "nps skipped: no nps.csv in %s", c->dir);
        return;
    }
    int32_t as_of = x->as_of;
    if (as_of == INT32_MIN) { /* no mrr.csv: the last response's month */
        int32_t last = INT32_MIN;
        for (size_t i = 0; i < c->n_nps; i++)
            if (c->nps_day[i] > last)
                last = c->nps_day[i];
        as_of = last == INT32_MIN ? csm_month(1970, 1) : csm_day_month(last);
    }
    int8_t *buf = malloc((c->n_nps ? c->n_nps : 1) * sizeof *buf);
    if (!buf)
        exit(EXIT_SOFTWARE);
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
        int32_t *code = malloc((c->n_nps ? c->n_nps : 1) * sizeof *code);
        if (!code)
            exit(EXIT_SOFTWARE);
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

/* ---- LTV / CAC ---------------------------------------------------------------------- */
/* The library's unit economics over the trailing 12 months (churn floored
 * at 1.67%), shown as its table; the month is the report's as_of. */
static void sec_ltv(ctx *x) {
    if (!need_mrr(x, "ltv"))
        return;
    const company *c = x->c;
    csm_ltv_opts lo = CSM_LTV_OPTS_INIT;
    lo.zero_churn = CSM_ZERO_CHURN_FLOOR;
    static const double no_spend = 0;
    /* spend NULL = no spend.csv: the CAC figures are undefined */
    const double *spend =
        c->have_spend ? (c->spend ? c->spend : &no_spend) : NULL;
    csm_unit_economics *u = NULL;
    csm_error e;
    if (csm_unit_economics_from_ledger(&u, x->ledger, x->as_of, 12,
                                       x->o->margin, c->spend_month, spend,
                                       c->have_spend ? c->n_spend : 0, &lo,
                                       &e) != CSM_OK)
        die_status("ltv", &e);
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

/* ---- churn scenarios ---------------------------------------------------------------- */
typedef struct proj_arg {
    char name[5][32]; /* the scenarios' column names */
    const csm_projection *p;
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

static void sec_project(ctx *x) {
    if (!need_mrr(x, "project"))
        return;
    /* the observed trend: the last 6 months' average new + reactivated
     * MRR and gross MRR churn rate */
    csm_projection_inputs *in = NULL;
    csm_error e;
    if (csm_projection_inputs_from_ledger(&in, x->ledger, x->as_of, 6, &e) !=
        CSM_OK)
        die_status("projection", &e);
    double start = in->start_mrr[0], newm = in->new_mrr[0];
    /* no month with opening MRR: project the observed scenario at 0 */
    double gross = isnan(in->gross_mrr_churn_rate[0])
                       ? 0.0
                       : in->gross_mrr_churn_rate[0];
    csm_projection_inputs_free(in);
    enum { S = 5, MONTHS = 24 };
    double churn[S] = {gross, 0.01, 0.02, 0.03, 0.05};
    double nm[S];
    for (int s = 0; s < S; s++)
        nm[s] = newm;
    csm_projection *p = NULL;
    if (csm_projection_mrr_table(&p, MONTHS, start, &(csm_projection_scenarios){churn, NULL, nm, S}, NULL,
                              &e) != CSM_OK)
        die_status("projection", &e);
    /* the long table "projection" (month, scenario, mrr) as months x
     * scenarios, every third month, a scenario's column named after its
     * churn rate */
    proj_arg arg = {.p = NULL};
    for (int s = 0; s < S; s++)
        snprintf(arg.name[s], sizeof arg.name[s],
                 s == 0 ? "observed_%.1f%%" : "churn_%.0f%%", 100 * churn[s]);
    tview v = {.key = "projection",
               .title = "24-month MRR churn scenarios",
               .code_label = scenario_label,
               .keep_row = every_third_month,
               .arg = &arg};
    tpivot pv = {.cells = csm_result_find(p->result, "projection"),
                 .pivot = "scenario",
                 .value = "mrr"};
    arg.p = p;
    table *t = table_pivot_from_csm(NULL, &v, &pv);
    csm_projection_free(p);
    char nbuf[64];
    fmt_grouped(nbuf, sizeof nbuf, newm, 2);
    table_note(t, "from the review month's MRR; monthly gross MRR churn as "
                  "given; new and reactivated MRR %s a month (the last 6 "
                  "months' average)",
               nbuf);
    report_add(x->r, t);
}

/* ---- renewals --------------------------------------------------------------------- */
static void sec_renewals(ctx *x) {
    const company *c = x->c;
    if (!c->have_contracts) {
        report_note(x->r, "renewals skipped: no contracts.csv in %s", c->dir);
        return;
    }
    int32_t as_of = x->as_of;
    if (as_of == INT32_MIN) {
        int32_t last = INT32_MIN;
        for (size_t i = 0; i < c->n_con; i++)
            if (c->con_end[i] > last)
                last = c->con_end[i];
        as_of = csm_day_month(last);
    }
    /* the quarter ending at the review month */
    int32_t w0 = month_day0(as_of - 2), w1 = month_day0(as_of + 1) - 1;
    int32_t *grp = NULL;
    csm_renewals_opts ro = CSM_RENEWALS_OPTS_INIT;
    if (x->o->by >= 0 && c->have_accounts) {
        grp = malloc((c->n_con ? c->n_con : 1) * sizeof *grp);
        if (!grp)
            exit(EXIT_SOFTWARE);
        for (size_t i = 0; i < c->n_con; i++)
            grp[i] = company_dim(c, c->con_cust[i], x->o->by);
        ro.group_by = CSM_RENEWALS_GROUP_SEGMENT;
    }
    /* contracts.csv's value is the term's total: one billing interval
     * spanning the term (unit day, count = the term's days), so the
     * library values each contract at exactly its value (renewals.h) */
    size_t nc = c->n_con ? c->n_con : 1;
    int32_t *term = malloc(nc * sizeof *term);
    uint8_t *unit = malloc(nc * sizeof *unit);
    if (!term || !unit)
        exit(EXIT_SOFTWARE);
    for (size_t i = 0; i < c->n_con; i++) {
        term[i] = c->con_end[i] - c->con_start[i] + 1;
        unit[i] = CSM_UNIT_DAY;
    }
    csm_contracts k = {.customer_id = c->con_cust,
                       .start_day = c->con_start,
                       .end_day = c->con_end,
                       .amount = c->con_value,
                       .interval_count = term,
                       .interval_unit = unit,
                       .segment = grp,
                       .n = c->n_con};
    csm_error e;
    char a[16], b[16];
    int32_t y, m, d;
    csm_day_to_ymd(&y, &m, &d, w0);
    snprintf(a, sizeof a, "%04d-%02d-%02d", (int)y, (int)m, (int)d);
    csm_day_to_ymd(&y, &m, &d, w1);
    snprintf(b, sizeof b, "%04d-%02d-%02d", (int)y, (int)m, (int)d);
    const char *rename[] = {"group",
                            grp ? dim_names[x->o->by] : "group", NULL};
    for (int pass = 0; pass < (grp ? 2 : 1); pass++) {
        csm_renewals_opts o = ro;
        if (pass == 0)
            o.group_by = CSM_RENEWALS_GROUP_NONE;
        csm_renewals *r = NULL;
        if (csm_renewals_compute(&r, NULL, NULL, &k, w0, w1, &o, &e) != CSM_OK)
            die_status("renewals", &e);
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
                          "that (new business); renewal value normalized to "
                          "the due term",
                       a, b);
        report_add(x->r, t);
        /* one row per due contract, with the breakdown's key when there is
         * one: too long for the text report, in json and csv */
        if (pass == (grp ? 1 : 0)) {
            tview cv = {.key = "renewal_contracts",
                        .title = "Contracts due in the last quarter",
                        .rename = rename,
                        .keep_all = grp != NULL,
                        .code_label = dim_label,
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
    free(grp);
    free(term);
    free(unit);
}

/* ---- health ------------------------------------------------------------------------ */
/* The built-in scorecard: examples/scorecards/usage-led.json. */
static const char default_scorecard[] =
    "{\n"
    "  \"name\": \"usage-led\",\n"
    "  \"aggregation\": \"weighted_average\",\n"
    "  \"missing\": \"renormalize\",\n"
    "  \"round\": 1,\n"
    "  \"bands\": [\n"
    "    {\"name\": \"red\", \"min\": 0},\n"
    "    {\"name\": \"yellow\", \"min\": 40},\n"
    "    {\"name\": \"green\", \"min\": 70}\n"
    "  ],\n"
    "  \"groups\": [\n"
    "    {\n"
    "      \"name\": \"adoption\",\n"
    "      \"weight\": 3,\n"
    "      \"measures\": [\n"
    "        {\"name\": \"activation_rate\", \"weight\": 1, \"direction\": \"higher\",\n"
    "         \"transform\": {\"type\": \"linear\", \"min\": 0.3, \"max\": 0.9}},\n"
    "        {\"name\": \"login_rate\", \"weight\": 2, \"direction\": \"higher\",\n"
    "         \"transform\": {\"type\": \"linear\", \"min\": 0.1, \"max\": 0.7}},\n"
    "        {\"name\": \"feature_breadth\", \"weight\": 1, \"direction\": \"higher\",\n"
    "         \"transform\": {\"type\": \"percentile\"}},\n"
    "        {\"name\": \"stickiness\", \"weight\": 1, \"direction\": \"higher\",\n"
    "         \"transform\": {\"type\": \"piecewise\", \"points\": [[0.05, 0], [0.2, 60], [0.4, 100]]}}\n"
    "      ]\n"
    "    },\n"
    "    {\n"
    "      \"name\": \"support\",\n"
    "      \"weight\": 1,\n"
    "      \"measures\": [\n"
    "        {\"name\": \"support_tickets\", \"weight\": 1, \"direction\": \"lower\",\n"
    "         \"transform\": {\"type\": \"piecewise\", \"points\": [[0, 100], [3, 70], [8, 20], [15, 0]]}}\n"
    "      ]\n"
    "    }\n"
    "  ],\n"
    "  \"overrides\": [\n"
    "    {\"name\": \"open P1 ticket\", \"input\": \"open_p1_tickets\", \"op\": \">=\", \"value\": 1,\n"
    "     \"action\": \"subtract\", \"points\": 15},\n"
    "    {\"name\": \"key contact left\", \"input\": \"key_contact_left\", \"op\": \"==\", \"value\": 1,\n"
    "     \"action\": \"cap\", \"score\": 39}\n"
    "  ]\n"
    "}\n"
    "";

/* Value of a scorecard input for account a, from the usage month, NPS
 * responses, contracts and the ledger. */
typedef struct {
    const csm_activity *act; /* by account, rows sorted by account id */
} health_src;

static int usage_index(const char *name) {
    for (int k = 0; k < 12; k++)
        if (strcmp(usage_cols[k], name) == 0)
            return k;
    return 0; /* not reached: the names are usage_cols' */
}

static double usage_col(const company *c, long row, const char *name) {
    for (int k = 0; k < 12; k++)
        if (strcmp(usage_cols[k], name) == 0)
            return row >= 0 ? c->use_col[k][row] : NAN;
    return NAN;
}

/* The band column of the health tables: the scorecard's band names. */
static const char *band_label(const void *arg, const csm_column *c,
                              int32_t code) {
    const csm_health_scorecard *sc = arg;
    if (strcmp(c->name, "band") != 0 || code < 0 ||
        (size_t)code >= csm_health_scorecard_band_count(sc))
        return NULL;
    return csm_health_scorecard_band_name(sc, (size_t)code);
}

static void sec_health(ctx *x) {
    const company *c = x->c;
    if (!c->have_usage) {
        report_note(x->r, "health skipped: no usage.csv in %s", c->dir);
        return;
    }
    int32_t as_of = x->as_of;
    if (as_of == INT32_MIN) {
        as_of = INT32_MIN;
        for (size_t i = 0; i < c->n_use; i++)
            if (c->use_month[i] > as_of)
                as_of = c->use_month[i];
    }
    /* the scorecard */
    char *text = NULL;
    size_t len = 0;
    if (x->o->scorecard) {
        FILE *f = fopen(x->o->scorecard, "rb");
        if (!f) {
            fprintf(stderr, "csmetrics: %s: cannot open the scorecard\n",
                    x->o->scorecard);
            exit(EXIT_NOINPUT);
        }
        text = malloc(1 << 20);
        if (!text)
            exit(EXIT_SOFTWARE);
        len = fread(text, 1, (1 << 20) - 1, f);
        fclose(f);
    }
    csm_health_scorecard *sc = NULL;
    csm_error e;
    if (csm_health_scorecard_from_json(&sc, text ? text : default_scorecard,
                                text ? len : strlen(default_scorecard), NULL,
                                &e) != CSM_OK) {
        fprintf(stderr, "csmetrics: %s: %s\n",
                x->o->scorecard ? x->o->scorecard : "built-in scorecard",
                e.text);
        exit(EXIT_DATAERR);
    }
    free(text);
    /* usage rows of the review month */
    size_t nu = 0;
    long *urow = malloc((c->n_use ? c->n_use : 1) * sizeof *urow);
    int64_t *uacc = malloc((c->n_use ? c->n_use : 1) * sizeof *uacc);
    if (!urow || !uacc)
        exit(EXIT_SOFTWARE);
    for (size_t i = 0; i < c->n_use; i++)
        if (c->use_month[i] == as_of) {
            urow[nu] = (long)i;
            uacc[nu] = c->use_acc[i];
            nu++;
        }
    /* accounts to score: active in the ledger at the review month, else
     * every account with usage that month */
    size_t na = 0;
    int64_t *acc = malloc((c->n_use + c->n_mrr + 1) * sizeof *acc);
    double *mrr = malloc((c->n_use + c->n_mrr + 1) * sizeof *mrr);
    if (!acc || !mrr)
        exit(EXIT_SOFTWARE);
    if (x->ledger) {
        for (size_t i = 0; i < c->n_mrr; i++)
            if (c->mrr_month[i] == as_of) {
                acc[na] = c->mrr_cust[i];
                mrr[na] = c->mrr_value[i];
                na++;
            }
    } else {
        for (size_t i = 0; i < nu; i++) {
            acc[na] = uacc[i];
            mrr[na] = NAN;
            na++;
        }
    }
    size_t ni = csm_health_scorecard_input_count(sc);
    double *val = malloc((na ? na : 1) * ni * sizeof *val);
    if (!val)
        exit(EXIT_SOFTWARE);
    /* the activity ratios of the review month's usage, by account */
    double *ucol[12];
    for (int k = 0; k < 12; k++) {
        ucol[k] = malloc((nu ? nu : 1) * sizeof **ucol);
        if (!ucol[k])
            exit(EXIT_SOFTWARE);
        for (size_t i = 0; i < nu; i++)
            ucol[k][i] = c->use_col[k][urow[i]];
    }
#define UCOL(name) ucol[usage_index(name)]
    csm_activity_rows ar_in = {
        .account_id = uacc, .licensed_seats = UCOL("licensed_seats"),
        .activated_seats = UCOL("activated_seats"),
        .active_users = UCOL("active_users"), .sessions = UCOL("sessions"),
        .minutes = UCOL("minutes"), .features_used = UCOL("features_used"),
        .features_available = UCOL("features_available"),
        .dau = UCOL("dau"), .mau = UCOL("mau"), .n = nu};
#undef UCOL
    csm_activity_opts ao = CSM_ACTIVITY_OPTS_INIT;
    ao.clamp = 1;
    ao.nan_missing = 1;
    csm_activity *act = NULL;
    if (csm_activity_compute(&act, &ar_in, &ao, &e) != CSM_OK)
        die_status("activity", &e);
    for (int k = 0; k < 12; k++)
        free(ucol[k]);
    int32_t nps_from = month_day0(as_of - 5), nps_to = month_day0(as_of + 1);
    int32_t today = nps_to - 1;
    for (size_t a = 0; a < na; a++) {
        long r = -1;
        for (size_t i = 0; i < nu && r < 0; i++)
            if (uacc[i] == acc[a])
                r = urow[i];
        /* latest NPS response in the last 6 months, as -100 / 0 / +100 */
        double nps = NAN;
        int32_t best = INT32_MIN;
        for (size_t i = 0; i < c->n_nps; i++)
            if (c->nps_cust[i] == acc[a] && c->nps_day[i] >= nps_from &&
                c->nps_day[i] < nps_to && c->nps_day[i] > best) {
                best = c->nps_day[i];
                nps = c->nps_score[i] >= 9 ? 100 : c->nps_score[i] >= 7 ? 0 : -100;
            }
        double days = NAN;
        for (size_t i = 0; i < c->n_con; i++)
            if (c->con_cust[i] == acc[a] && c->con_end[i] >= today &&
                (isnan(days) || c->con_end[i] - today < days))
                days = c->con_end[i] - today;
        /* the account's row of the activity measures (rows by id) */
        long ar = -1;
        for (size_t lo = 0, hi = act->n_rows; lo < hi;) {
            size_t mid = lo + (hi - lo) / 2;
            if (act->key[mid] < acc[a])
                lo = mid + 1;
            else if (act->key[mid] > acc[a])
                hi = mid;
            else {
                ar = (long)mid;
                break;
            }
        }
        for (size_t k = 0; k < ni; k++) {
            const char *in = csm_health_scorecard_input_name(sc, k);
            double v = NAN;
            int m = -1; /* an activity measure (csm_activity_compute) */
            for (int q = 0; q < CSM_ACT_N; q++)
                if (strcmp(in, csm_activity_measure_name(q)) == 0)
                    m = q;
            if (m >= 0)
                v = ar >= 0 ? act->rate[(size_t)ar * CSM_ACT_N + (size_t)m]
                            : NAN;
            else if (strcmp(in, "nps") == 0)
                v = nps;
            else if (strcmp(in, "days_to_renewal") == 0)
                v = days;
            else if (strcmp(in, "mrr") == 0)
                v = mrr[a];
            else
                v = usage_col(c, r, in); /* raw usage columns */
            val[a * ni + k] = v;
        }
    }
    csm_health *h = NULL;
    if (csm_health_score(&h, sc, val, na, NULL, NULL, &e) != CSM_OK) {
        fprintf(stderr, "csmetrics: health: %s\n", e.text);
        exit(EXIT_DATAERR);
    }
    /* band distribution ("health_bands") */
    csm_health_bands *hb = NULL;
    if (csm_health_bands_compute(&hb, h, sc, x->ledger ? mrr : NULL, NULL,
                                 &e) != CSM_OK)
        die_status("health", &e);
    tview bv = {.key = "health_bands", .title = "Health-score bands",
                .code_label = band_label, .arg = sc};
    table *t = table_from_csm(csm_result_find(hb->result, "health_bands"),
                              &bv);
    table_note(t, "scorecard '%s'; %zu accounts scored, %zu without data",
               x->o->scorecard ? x->o->scorecard : "usage-led (built-in)",
               hb->n_scored, hb->n_unscored);
    csm_health_bands_free(hb);
    report_add(x->r, t);
    /* the ten most at risk, with the measures that cost them most */
    csm_health_risks *hr = NULL;
    if (csm_health_at_risk(&hr, h, acc, mrr, NULL, &e) != CSM_OK)
        die_status("health", &e);
    tview rv = {.key = "health_at_risk", .title = "Accounts most at risk",
                .code_label = band_label, .arg = sc};
    table *r = table_from_csm(csm_result_find(hr->result, "health_at_risk"),
                              &rv);
    csm_health_risks_free(hr);
    table_note(r, "reasons: the measures that cost the most points (weight x "
                  "(100 - measure score)) and the override that fired");
    report_add(x->r, r);
    /* at risk = the lowest band, for the team section */
    free(x->at_risk);
    x->at_risk = malloc((na ? na : 1) * sizeof *x->at_risk);
    if (!x->at_risk)
        exit(EXIT_SOFTWARE);
    x->n_at_risk = 0;
    for (size_t a = 0; a < na; a++)
        if (h->band[a] == 0)
            x->at_risk[x->n_at_risk++] = acc[a];
    x->health_done = 1;
    csm_activity_free(act);
    csm_health_free(h);
    csm_health_scorecard_free(sc);
    free(val);
    free(acc);
    free(mrr);
    free(urow);
    free(uacc);
}

/* ---- team --------------------------------------------------------------------- */
static const char *owner_label(const void *arg, const csm_column *c,
                               int32_t code) {
    (void)c;
    return dim_code_name(((const sec_arg *)arg)->x, DIM_OWNER, code);
}

static void sec_team(ctx *x) {
    if (!need_mrr(x, "team"))
        return;
    if (!x->c->have_accounts) {
        report_note(x->r, "team skipped: no accounts.csv (owner column)");
        return;
    }
    const company *c = x->c;
    int32_t *own = malloc((c->n_acc ? c->n_acc : 1) * sizeof *own);
    if (!own)
        exit(EXIT_SOFTWARE);
    for (size_t i = 0; i < c->n_acc; i++)
        own[i] = c->acc_dim[DIM_OWNER][i];
    csm_team_opts to = CSM_TEAM_OPTS_INIT;
    to.month = x->as_of;
    csm_team *tm = NULL;
    csm_error e;
    if (csm_team_compute(&tm, x->ledger, c->acc_id, own, c->n_acc, x->at_risk,
                         x->n_at_risk, &to, &e) != CSM_OK)
        die_status("team", &e);
    free(own);
    /* the owner column: names from owners.csv, the unassigned customers'
     * row (CSM_TEAM_OWNER_NONE) "(unassigned)"; at-risk figures need the health
     * scores */
    static const char *const at_risk[] = {"at_risk_accounts", "at_risk_mrr",
                                          NULL};
    sec_arg arg = {x, tm, "owner"};
    tview v = {.key = "team",
               .title = "Accounts and ARR per CSM",
               .blank = x->health_done ? NULL : at_risk,
               .all_label = "(unassigned)",
               .code_label = owner_label,
               .arg = &arg};
    report_add(x->r, table_from_csm(csm_result_find(tm->result, "team"), &v));
    tview sv = {.key = "team_summary", .title = "Team summary"};
    report_add(x->r,
               table_from_csm(csm_result_find(tm->result, "team_summary"), &sv));
    csm_team_free(tm);
}

/* ---- subcommands ------------------------------------------------------------ */
static const section_fn s_report[] = {
    sec_summary, sec_movements, sec_retention, sec_renewals,
    sec_cohorts, sec_survival,  sec_ltv,       sec_nps,
    sec_health,  sec_team,      sec_project,   NULL};
static const section_fn s_health[] = {sec_health, NULL};
static const section_fn s_renewals[] = {sec_renewals, NULL};
static const section_fn s_nps[] = {sec_nps, NULL};
static const section_fn s_ltv[] = {sec_ltv, NULL};
static const section_fn s_project[] = {sec_project, NULL};
static const section_fn s_survival[] = {sec_survival, NULL};
static const section_fn s_movements[] = {sec_summary, sec_movements, NULL};
static const section_fn s_retention[] = {sec_retention, NULL};
static const section_fn s_cohorts[] = {sec_cohorts, NULL};
/* `csmetrics team` needs the at-risk accounts without the health tables */
static void sec_health_quiet(ctx *x) {
    size_t n = x->r->n;
    sec_health(x);
    while (x->r->n > n)
        table_free(x->r->tables[--x->r->n]);
}
static const section_fn s_team[] = {sec_health_quiet, sec_team, NULL};

const section_fn *sections_for(const char *sub) {
    static const struct {
        const char *name;
        const section_fn *fns;
    } map[] = {{"report", s_report},     {"movements", s_movements},
               {"retention", s_retention}, {"cohorts", s_cohorts},
               {"team", s_team}, {"survival", s_survival},
               {"nps", s_nps}, {"ltv", s_ltv}, {"project", s_project},
               {"renewals", s_renewals}, {"health", s_health}};
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (strcmp(map[i].name, sub) == 0)
            return map[i].fns;
    return NULL;
}
