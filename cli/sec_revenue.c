/* sec_revenue.c - the sections read from the MRR ledger: the summary, MRR
 * movements, retention over a window and the cohort triangle, each the
 * library's table through a view (tables.h). */
#include "section.h"

#include <stdio.h>

/* Run table_fn on the ledger (by = 0), then on the ledger by --by (by =
 * 1) when there is one. */
static void each_ledger(ctx *x, const char *section,
                        void (*table_fn)(ctx *x, const csm_ledger *l, int by)) {
    if (!need_mrr(x, section))
        return;
    table_fn(x, x->ledger, 0);
    if (x->ledger_by)
        table_fn(x, x->ledger_by, 1);
}

/* The report table of table 0 of result, a ledger family's (res: the typed
 * result, for v's keep_row): under v's key and title for the ledger itself
 * (by = 0); for the ledger by the --by dimension (by = 1) under KEY_by and
 * "TITLE by DIM", its segment column named after the dimension and kept
 * even where every row is "all".  Either way a segment code is shown as
 * the dimension's name of it. */
static table *ledger_table(ctx *x, int by, tview v, const csm_result *result,
                           const void *res) {
    const char *dim = by ? dim_names[x->o->by] : "segment";
    char key[64], title[192];
    snprintf(key, sizeof key, "%s%s", v.key, by ? "_by" : "");
    snprintf(title, sizeof title, "%s%s%s", v.title, by ? " by " : "",
             by ? dim : "");
    const char *rename[] = {"segment", dim, NULL};
    sec_arg arg = {x, res, "segment"};
    v.key = key;
    v.title = title;
    v.rename = rename;
    v.code_label = dim_label;
    v.keep_all = by;
    v.arg = &arg;
    return table_from_csm(csm_result_table(result, 0), &v);
}

/* ---- summary ------------------------------------------------------------ */
csm_movements *review_movements(ctx *x) {
    csm_movements_opts mo = CSM_MOVEMENTS_OPTS_INIT;
    mo.first_month = x->as_of;
    mo.last_month = x->as_of;
    csm_movements *m = NULL;
    csm_error e;
    if (csm_movements_compute(&m, x->ledger, &mo, &e) != CSM_OK)
        die_status("movements", &e);
    return m;
}

/* A curated one-row view: the movements row of the review month, five of
 * its columns, through the generic path. */
void sec_summary(ctx *x) {
    if (!need_mrr(x, "summary"))
        return;
    csm_movements *m = review_movements(x);
    static const char *const only[] = {"month", "closing_mrr", "arr",
                                       "customers", "arpa", NULL};
    tview v = {.key = "summary", .title = "Summary", .only = only};
    report_add(x->r, table_from_csm(csm_result_table(m->result, 0), &v));
    csm_movements_free(m);
}

/* ---- movements ------------------------------------------------------------ */
/* Without a breakdown the ledger's rows carry no segment: the drill-down
 * tables' segment column (0 in every row) means nothing. */
static const char *const no_segment[] = {"segment", NULL};

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
    /* without a breakdown there is no segment to switch from or to */
    static const char *const no_switch[] = {
        "segment_in", "segment_out", "segment_in_customers",
        "segment_out_customers", NULL};
    tview v = {.key = "movements",
               .title = "MRR movements",
               .omit = by ? NULL : no_switch,
               .keep_row = by ? mov_has_mrr : NULL};
    report_add(x->r, ledger_table(x, by, v, m->result, m));
    csm_movements_free(m);
    if (!x->o->detail)
        return;
    /* --detail: the customers behind each line of the months shown */
    csm_movements_events *ev = NULL;
    if (csm_movements_events_compute(&ev, l, &mo, &e) != CSM_OK)
        die_status("movement events", &e);
    tview dv = {.key = "movement_events",
                .title = "Movement events (the customers behind each "
                         "movement)",
                .omit = by ? NULL : no_segment,
                .ids = x->c->customers};
    report_add(x->r, ledger_table(x, by, dv, ev->result, ev));
    csm_movements_events_free(ev);
}

void sec_movements(ctx *x) { each_ledger(x, "movements", movements_table); }

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
    char title[128];
    snprintf(title, sizeof title, "%d-month revenue and logo retention",
             (int)x->o->window);
    tview v = {.key = "retention",
               .title = title,
               .keep_row = by ? ret_has_base : NULL};
    table *t = ledger_table(x, by, v, r->result, r);
    if (!by)
        table_note(t, "base = customers with MRR in the start month; new "
                      "customers excluded; snapshot NRR (returning base "
                      "customers count at their end-month MRR)");
    report_add(x->r, t);
    csm_retention_free(r);
    if (!x->o->detail)
        return;
    /* --detail: the customers of the window ending at the review month */
    ro.first_month = x->as_of;
    csm_retention_customers *rc = NULL;
    if (csm_retention_customers_compute(&rc, l, &ro, &e) != CSM_OK)
        die_status("retention customers", &e);
    char dtitle[160];
    snprintf(dtitle, sizeof dtitle,
             "Customers of the %d-month retention window ending %s",
             (int)x->o->window, x->r->as_of);
    tview dv = {.key = "retention_customers",
                .title = dtitle,
                .omit = by ? NULL : no_segment,
                .ids = x->c->customers};
    report_add(x->r, ledger_table(x, by, dv, rc->result, rc));
    csm_retention_customers_free(rc);
}

void sec_retention(ctx *x) { each_ledger(x, "retention", retention_table); }

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

/* The cohort x age triangles of the cohorts c: customers_frac (logo
 * retention) and, with mrr, mrr_frac (MRR retention): the "cohorts" rows
 * with the "cohort_cells" pivoted on their age key (m0 .. m12). */
static void cohort_triangle(ctx *x, const csm_cohorts *c, int mrr) {
    sec_arg arg = {x, c, "segment"};
    tview v = {.key = mrr ? "cohorts_mrr" : "cohorts",
               .title = mrr ? "Cohort MRR retention (share of month-0 MRR "
                              "kept at each age, months)"
                            : "Cohort logo retention (share of month-0 "
                              "customers active at each age, months)",
               .keep_row = cohort_in_year,
               .arg = &arg};
    tpivot p = {.cells = csm_result_find(c->result, "cohort_cells"),
                .value = mrr ? "mrr_frac" : "customers_frac",
                .prefix = "m",
                .keep_cell = cell_seen};
    report_add(x->r,
               table_pivot_from_csm(csm_result_find(c->result, "cohorts"),
                                    &v, &p));
}

/* The cohorts of the ledger, ages 0..12, as triangles: logo retention
 * (logo), MRR retention (mrr) or both. */
static void cohort_triangles(ctx *x, int logo, int mrr) {
    if (!need_mrr(x, "cohorts"))
        return;
    csm_cohorts_opts co = CSM_COHORTS_OPTS_INIT;
    co.max_age = 12;
    csm_cohorts *c = NULL;
    csm_error e;
    if (csm_cohorts_compute(&c, x->ledger, &co, &e) != CSM_OK)
        die_status("cohorts", &e);
    if (logo)
        cohort_triangle(x, c, 0);
    if (mrr)
        cohort_triangle(x, c, 1);
    csm_cohorts_free(c);
}

void sec_cohorts(ctx *x) { cohort_triangles(x, !x->o->mrr, x->o->mrr); }

void sec_cohorts_both(ctx *x) { cohort_triangles(x, 1, 1); }
