/* test-projection.c - churn scenarios: the loop, the closed form and the
 * steady state, and the projection and steady states as result tables.
 * Expected values worked out by hand (calculator). */
#include <check.h>
#include <math.h>
#include <stdlib.h>

#include "csmetrics/csmetrics.h"
#include "scalar_table_checks.h"

#define TOL 1e-9

START_TEST(test_hand_table) {
    /* start 1000, churn 10%, expansion 2%, new 100 a month: g = 0.92
     *   month 1: 1000 x 0.92 + 100 = 1020
     *   month 2: 1020 x 0.92 + 100 = 1038.4
     *   month 3: 1038.4 x 0.92 + 100 = 1055.328
     * second scenario: churn 0, no expansion, no new MRR: flat 1000 */
    const double churn[] = {0.10, 0.0};
    const double exp_[] = {0.02, 0.0};
    const double nm[] = {100, 0};
    double t[4 * 2];
    ck_assert_int_eq(csm_projection_mrr(t, 3, 1000, &(csm_projection_scenarios){churn, exp_, nm, 2}, NULL),
                     CSM_OK);
    ck_assert_double_eq_tol(t[0], 1000, TOL);
    ck_assert_double_eq_tol(t[2], 1020, TOL);
    ck_assert_double_eq_tol(t[4], 1038.4, TOL);
    ck_assert_double_eq_tol(t[6], 1055.328, TOL);
    ck_assert_double_eq_tol(t[7], 1000, TOL);
    /* closed form: 1000 x 0.92^3 + 100 (1 - 0.92^3)/0.08
     *   = 778.688 + 276.64 = 1055.328 */
    ck_assert_double_eq_tol(csm_projection_mrr_closed(1000, 0.1, 0.02, 100, 3),
                            1055.328, TOL);
}
END_TEST

START_TEST(test_seed_24_months) {
    /* the seed's "24 months under different churn rates": start 100,000,
     * churn 1%, 2%, 3%, 5%, nothing else: MRR_24 = 100000 x (1 - c)^24
     *   0.99^24 = 0.7856781408 -> 78,567.81408072187
     *   0.98^24 = 0.6157803365 -> 61,578.03365090783
     *   0.97^24 = 0.4814172219 -> 48,141.72219117234
     *   0.95^24 = 0.2919890243 -> 29,198.90243387724 */
    const double churn[] = {0.01, 0.02, 0.03, 0.05};
    double t[25 * 4];
    ck_assert_int_eq(csm_projection_mrr(t, 24, 100000, &(csm_projection_scenarios){churn, NULL, NULL, 4}, NULL),
                     CSM_OK);
    ck_assert_double_eq_tol(t[24 * 4 + 0], 78567.81408072187, 1e-6);
    ck_assert_double_eq_tol(t[24 * 4 + 1], 61578.033650907826, 1e-6);
    ck_assert_double_eq_tol(t[24 * 4 + 2], 48141.72219117234, 1e-6);
    ck_assert_double_eq_tol(t[24 * 4 + 3], 29198.90243387724, 1e-6);
}
END_TEST

START_TEST(test_loop_matches_closed_form) {
    /* random rates (fixed seed): the loop and the closed form agree to
     * 1e-9 relative for every month */
    srand(7 + (unsigned)_i);
    double c[8], x[8], n[8];
    for (int s = 0; s < 8; s++) {
        c[s] = (double)rand() / RAND_MAX * 0.2;
        x[s] = (double)rand() / RAND_MAX * 0.05;
        n[s] = (double)rand() / RAND_MAX * 5000;
    }
    x[0] = c[0]; /* g == 1 exactly: the linear branch */
    double t[37 * 8];
    ck_assert_int_eq(csm_projection_mrr(t, 36, 250000, &(csm_projection_scenarios){c, x, n, 8}, NULL), CSM_OK);
    for (int m = 0; m <= 36; m++)
        for (int s = 0; s < 8; s++) {
            double want = csm_projection_mrr_closed(250000, c[s], x[s], n[s], m);
            ck_assert(fabs(t[m * 8 + s] - want) <= 1e-9 * fabs(want));
        }
}
END_TEST

START_TEST(test_steady_state) {
    /* N / (c - e) = 100 / (0.10 - 0.02) = 1250 */
    csm_metric m;
    ck_assert_int_eq(csm_projection_steady_state(&m, 0.1, 0.02, 100, NULL), CSM_OK);
    ck_assert_double_eq_tol(m.value, 1250, TOL);
    ck_assert_int_eq(csm_projection_steady_state(&m, 0.02, 0.02, 100, NULL), CSM_OK);
    ck_assert(isnan(m.value) && (m.flags & CSM_FLAG_ZERO_DENOMINATOR));
}
END_TEST

START_TEST(test_edge) {
    double t[4];
    const double c[] = {0.1};
    csm_error e;
    /* months = 0 fills row 0; n_scenarios = 0 fills nothing */
    ck_assert_int_eq(csm_projection_mrr(t, 0, 5, &(csm_projection_scenarios){c, NULL, NULL, 1}, &e), CSM_OK);
    ck_assert_double_eq(t[0], 5);
    ck_assert_int_eq(csm_projection_mrr(NULL, 10, 5, &(csm_projection_scenarios){NULL, NULL, NULL, 0}, &e),
                     CSM_OK);
    const double bad[] = {1.5};
    ck_assert_int_eq(csm_projection_mrr(t, 2, 5, &(csm_projection_scenarios){bad, NULL, NULL, 1}, &e),
                     CSM_EDOMAIN);
    ck_assert_uint_eq(e.row, 0);
    ck_assert_str_eq(e.field, "churn");
    const double neg[] = {-3};
    ck_assert_int_eq(csm_projection_mrr(t, 2, 5, &(csm_projection_scenarios){c, neg, NULL, 1}, &e), CSM_EDOMAIN);
    ck_assert_str_eq(e.field, "expansion");
    ck_assert_int_eq(csm_projection_mrr(t, 2, 5, &(csm_projection_scenarios){c, NULL, neg, 1}, &e), CSM_EDOMAIN);
    ck_assert_str_eq(e.field, "new_mrr");
    ck_assert_int_eq(csm_projection_mrr(t, 2, NAN, &(csm_projection_scenarios){c, NULL, NULL, 1}, &e),
                     CSM_EDOMAIN);
    ck_assert_str_eq(e.field, "start_mrr");
    ck_assert_int_eq(csm_projection_mrr(NULL, 2, 5, &(csm_projection_scenarios){c, NULL, NULL, 1}, &e),
                     CSM_EINVAL);
    ck_assert_int_eq(csm_projection_mrr(t, SIZE_MAX / 2, 5, &(csm_projection_scenarios){c, NULL, NULL, 4}, &e),
                     CSM_ERANGE);
    ck_assert(isnan(csm_projection_mrr_closed(1, 2, 0, 0, 1)));
    ck_assert(isnan(csm_projection_mrr_closed(1, 0.1, 0, 0, -1)));
    csm_metric m;
    ck_assert_int_eq(csm_projection_steady_state(&m, -0.1, 0, 1, &e), CSM_EDOMAIN);
}
END_TEST

/* ---- result tables ---------------------------------------------------- */
static const want_arrow_col proj_want[] = {
    {"month", CSM_TYPE_NUMBER, CSM_STORAGE_I32, CSM_ROLE_KEY, "i"},
    {"scenario", CSM_TYPE_CODE, CSM_STORAGE_I32, CSM_ROLE_KEY, "i"},
    {"mrr", CSM_TYPE_MONEY, CSM_STORAGE_F64, CSM_ROLE_MAIN, "g"},
};

/* test_hand_table's scenarios: start 1000; churn 10%, expansion 2%, new
 * 100 a month (1000, 1020, 1038.4, 1055.328) and a flat 1000. */
static const double hc[] = {0.10, 0.0}, hx[] = {0.02, 0.0}, hn[] = {100, 0};

START_TEST(test_projection_table) {
    csm_projection *p = NULL;
    csm_error e;
    ck_assert_int_eq(
        csm_projection_mrr_table(&p, 3, 1000, &(csm_projection_scenarios){hc, hx, hn, 2}, NULL, &e), CSM_OK);
    ck_assert_int_eq(e.code, CSM_OK);
    check_table(p->result, "projection", 8, proj_want, WANT_N(proj_want));
    ck_assert_ptr_eq(csm_result_view(p->result), p);
    ck_assert_uint_eq(p->n_rows, 8);
    ck_assert_uint_eq(p->n_months, 4);
    ck_assert_uint_eq(p->n_scenarios, 2);
    const csm_table *tab = csm_result_table(p->result, 0);
    ck_assert_ptr_eq(csm_table_find(tab, "month")->data, p->month);
    ck_assert_ptr_eq(csm_table_find(tab, "scenario")->data, p->scenario);
    ck_assert_ptr_eq(csm_table_find(tab, "mrr")->data, p->mrr);
    /* long format in the matrix's row-major order: row t x 2 + s is month
     * t of scenario s, and holds csm_projection_mrr's table[t x 2 + s] */
    double m[4 * 2];
    ck_assert_int_eq(csm_projection_mrr(m, 3, 1000, &(csm_projection_scenarios){hc, hx, hn, 2}, NULL), CSM_OK);
    for (size_t i = 0; i < 8; i++) {
        ck_assert_int_eq(p->month[i], (int32_t)(i / 2));
        ck_assert_int_eq(p->scenario[i], (int32_t)(i % 2));
        ck_assert(same_f64(p->mrr[i], m[i]));
    }
    const double s0[] = {1000, 1020, 1038.4, 1055.328};
    for (size_t t = 0; t < 4; t++) {
        ck_assert_double_eq_tol(p->mrr[t * 2], s0[t], TOL);
        ck_assert_double_eq_tol(p->mrr[t * 2 + 1], 1000, TOL);
    }

    struct ArrowSchema s;
    struct ArrowArray a;
    export_checked(&s, &a, p->result, proj_want, WANT_N(proj_want));
    /* the month offset is a number, not a calendar month (no date32) */
    ck_assert_str_eq(arrow_md_value(s.children[0]->metadata, "csm.type"), "number");
    const struct ArrowArray *c = arrow_child(&s, &a, "mrr");
    ck_assert_int_eq(c->null_count, 0);
    ck_assert_ptr_null(c->buffers[0]);
    ck_assert_double_eq_tol(arrow_f64(c, 6), 1055.328, TOL);
    ck_assert_double_eq_tol(arrow_f64(c, 7), 1000, TOL);
    ck_assert_int_eq(arrow_i32(arrow_child(&s, &a, "month"), 6), 3);
    ck_assert_int_eq(arrow_i32(arrow_child(&s, &a, "scenario"), 7), 1);
    ck_assert_int_eq(arrow_child(&s, &a, "scenario")->null_count, 0);
    csm_projection_free(p);
    ck_assert_double_eq_tol(arrow_f64(arrow_child(&s, &a, "mrr"), 4), 1038.4,
                            TOL);
    s.release(&s);
    a.release(&a);
}
END_TEST

START_TEST(test_projection_table_seed) {
    /* test_seed_24_months: 100,000 x (1 - c)^24 for c = 1%, 2%, 3%, 5% */
    const double churn[] = {0.01, 0.02, 0.03, 0.05};
    const double want[] = {78567.81408072187, 61578.033650907826,
                           48141.72219117234, 29198.90243387724};
    csm_projection *p = NULL;
    ck_assert_int_eq(csm_projection_mrr_table(&p, 24, 100000, &(csm_projection_scenarios){churn, NULL,
                                           NULL, 4}, NULL, NULL),
                     CSM_OK);
    ck_assert_uint_eq(p->n_rows, 25 * 4);
    for (size_t s = 0; s < 4; s++) {
        size_t i = 24 * 4 + s;
        ck_assert_int_eq(p->month[i], 24);
        ck_assert_int_eq(p->scenario[i], (int32_t)s);
        ck_assert_double_eq_tol(p->mrr[i], want[s], 1e-6);
        ck_assert_double_eq_tol(p->mrr[s], 100000, TOL);
    }
    csm_projection_free(p);
}
END_TEST

START_TEST(test_steady_state_table) {
    /* csm_projection_steady_state as a metric table: 100 / (0.10 - 0.02) =
     * 1250, and churn = expansion: NaN with the zero-denominator flag */
    csm_metric rows[2];
    ck_assert_int_eq(csm_projection_steady_state(&rows[0], 0.1, 0.02, 100, NULL),
                     CSM_OK);
    ck_assert_int_eq(
        csm_projection_steady_state(&rows[1], 0.02, 0.02, 100, NULL), CSM_OK);
    const int32_t group[] = {0, 1};
    csm_metric_results *t = NULL;
    ck_assert_int_eq(csm_metric_table(&t, rows, group, 2, NULL, NULL), CSM_OK);
    ck_assert_str_eq(csm_result_kind(t->result), "metric");
    ck_assert_double_eq_tol(t->value[0], 1250, TOL);
    ck_assert(isnan(t->value[1]));
    ck_assert_uint_eq(t->flags[1], CSM_FLAG_ZERO_DENOMINATOR);
    ck_assert_uint_eq(t->flags[0], 0);
    struct ArrowSchema s;
    struct ArrowArray a;
    const csm_table *tab = csm_result_table(t->result, 0);
    ck_assert_int_eq(csm_table_export_arrow(&s, &a, t->result, tab, NULL),
                     CSM_OK);
    const struct ArrowArray *c = arrow_child(&s, &a, "value");
    ck_assert_int_eq(c->null_count, 1);
    ck_assert(arrow_bit(c->buffers[0], 0) && !arrow_bit(c->buffers[0], 1));
    ck_assert_double_eq_tol(arrow_f64(c, 0), 1250, TOL);
    s.release(&s);
    a.release(&a);
    csm_metric_results_free(t);
}
END_TEST

START_TEST(test_projection_table_edge) {
    csm_projection *p = NULL;
    csm_error e;
    /* no scenarios: a table of 0 rows (churn may be NULL) */
    ck_assert_int_eq(csm_projection_mrr_table(&p, 10, 5, &(csm_projection_scenarios){NULL, NULL, NULL, 0}, NULL, &e),
                     CSM_OK);
    check_table(p->result, "projection", 0, proj_want, WANT_N(proj_want));
    ck_assert_uint_eq(p->n_months, 11);
    ck_assert_uint_eq(p->n_scenarios, 0);
    struct ArrowSchema s;
    struct ArrowArray a;
    export_checked(&s, &a, p->result, proj_want, WANT_N(proj_want));
    ck_assert_int_eq(a.length, 0);
    s.release(&s);
    a.release(&a);
    csm_projection_free(p);
    csm_projection_free(NULL);
    /* months = 0: month 0 only, start_mrr in every scenario */
    const double c2[] = {0.1, 0.5};
    ck_assert_int_eq(
        csm_projection_mrr_table(&p, 0, 5, &(csm_projection_scenarios){c2, NULL, NULL, 2}, NULL, &e), CSM_OK);
    ck_assert_uint_eq(p->n_rows, 2);
    ck_assert_int_eq(p->month[1], 0);
    ck_assert_int_eq(p->scenario[1], 1);
    ck_assert_double_eq(p->mrr[0], 5);
    ck_assert_double_eq(p->mrr[1], 5);
    csm_projection_free(p);
    /* csm_projection_mrr's errors come through, with its row and field, and
     * *out is NULL */
    const double bad[] = {0.1, 1.5};
    p = (csm_projection *)bad; /* garbage the function must overwrite */
    ck_assert_int_eq(
        csm_projection_mrr_table(&p, 2, 5, &(csm_projection_scenarios){bad, NULL, NULL, 2}, NULL, &e),
        CSM_EDOMAIN);
    ck_assert_uint_eq(e.row, 1);
    ck_assert_str_eq(e.field, "churn");
    ck_assert_ptr_null(p);
    ck_assert_int_eq(
        csm_projection_mrr_table(&p, 2, NAN, &(csm_projection_scenarios){c2, NULL, NULL, 1}, NULL, &e),
        CSM_EDOMAIN);
    ck_assert_str_eq(e.field, "start_mrr");
    ck_assert_int_eq(
        csm_projection_mrr_table(&p, 2, 5, &(csm_projection_scenarios){NULL, NULL, NULL, 1}, NULL, &e),
        CSM_EINVAL);
    ck_assert_str_eq(e.field, "churn");
    ck_assert_ptr_null(p);
    ck_assert_int_eq(
        csm_projection_mrr_table(NULL, 2, 5, &(csm_projection_scenarios){c2, NULL, NULL, 1}, NULL, &e),
        CSM_EINVAL);
    ck_assert_str_eq(e.field, "out");
    /* the int32 keys bound months and scenarios (checked before anything
     * is allocated or read) */
    ck_assert_int_eq(csm_projection_mrr_table(&p, (size_t)INT32_MAX + 1, 5, &(csm_projection_scenarios){c2, NULL, NULL, 1}, NULL, &e),
                     CSM_ERANGE);
    ck_assert_str_eq(e.field, "months");
    ck_assert_int_eq(csm_projection_mrr_table(&p, 1, 5, &(csm_projection_scenarios){c2, NULL, NULL, (size_t)INT32_MAX + 1}, NULL, &e),
                     CSM_ERANGE);
    ck_assert_str_eq(e.field, "n_scenarios");
    ck_assert_ptr_null(p);
    /* a failure after the allocation frees it */
    fail_ctx f = {-1, 0};
    csm_allocator al = {fail_alloc, fail_free, &f, NULL};
    ck_assert_int_eq(
        csm_projection_mrr_table(&p, 2, 5, &(csm_projection_scenarios){bad, NULL, NULL,2}, &(csm_result_opts){sizeof(csm_result_opts), &al}, &e),
        CSM_EDOMAIN);
    ck_assert_int_eq(f.live, 0);
}
END_TEST

static csm_status build_projection(csm_result **r, const csm_allocator *al) {
    csm_projection *p = (csm_projection *)hc; /* must be overwritten */
    csm_status st = csm_projection_mrr_table(&p, 3, 1000, &(csm_projection_scenarios){hc, hx, hn,2}, &(csm_result_opts){sizeof(csm_result_opts), al}, NULL);
    if (st != CSM_OK)
        ck_assert_ptr_null(p);
    *r = st == CSM_OK ? p->result : NULL;
    return st;
}

START_TEST(test_projection_table_oom) {
    check_oom(build_projection);
    /* the table is one allocation */
    fail_ctx f = {1, 0};
    csm_allocator al = {fail_alloc, fail_free, &f, NULL};
    csm_projection *p = NULL;
    ck_assert_int_eq(
        csm_projection_mrr_table(&p, 3, 1000, &(csm_projection_scenarios){hc, hx, hn,2}, &(csm_result_opts){sizeof(csm_result_opts), &al}, NULL), CSM_OK);
    ck_assert_int_eq(f.live, 1);
    csm_projection_free(p);
    ck_assert_int_eq(f.live, 0);
}
END_TEST

/* ---- projection inputs from a ledger -------------------------------------- */
static const want_arrow_col inputs_want[] = {
    {"month", CSM_TYPE_MONTH, CSM_STORAGE_I32, CSM_ROLE_KEY, "tdD"},
    {"start_mrr", CSM_TYPE_MONEY, CSM_STORAGE_F64, CSM_ROLE_MAIN, "g"},
    {"new_mrr", CSM_TYPE_MONEY, CSM_STORAGE_F64, CSM_ROLE_MAIN, "g"},
    {"gross_mrr_churn_rate", CSM_TYPE_FRACTION, CSM_STORAGE_F64, CSM_ROLE_MAIN, "g"},
    {"window_months", CSM_TYPE_NUMBER, CSM_STORAGE_I32, CSM_ROLE_DETAIL, "i"},
    {"rate_months", CSM_TYPE_COUNT, CSM_STORAGE_I64, CSM_ROLE_DETAIL, "l"},
    {"flags", CSM_TYPE_FLAGS, CSM_STORAGE_U32, CSM_ROLE_DETAIL, "I"},
};

/* test-table.c's ledger; by month (customers: MRR):
 *   M0: c1 100, c2 200, c4 300, c5 40+60 = 100       700 (all new)
 *   M1: c1 100, c2 200, c3 50 (new), c5 100         450 (c4 churned 300)
 *   M2: c1 150 (+50), c3 50, c5 100                 300 (c2 churned 200)
 *   M3: c1 150, c5 100, c6 90 (new)                 340 (c3 churned 50)
 *   M4: c1 120 (-30), c3 80, c4 300 (both back), c5 100, c6 90   690
 *   M5: the same                                    690 */
#define M(k) (csm_month(2024, 1) + (k))
static const int64_t fx_cust[] = {1, 1, 1, 1, 1, 1, 2, 2, 3, 3, 3, 3, 4,
                                  4, 4, 5, 5, 5, 5, 5, 5, 5, 6, 6, 6};
static const int32_t fx_month[] = {0, 1, 2, 3, 4, 5, 0, 1, 1, 2, 4, 5, 0,
                                   4, 5, 0, 0, 1, 2, 3, 4, 5, 3, 4, 5};
static const double fx_mrr[] = {100, 100, 150, 150, 120, 120, 200, 200, 50,
                                50,  80,  80,  300, 300, 300, 40,  60,  100,
                                100, 100, 100, 100, 90,  90,  90};
#define FX_N (sizeof fx_cust / sizeof fx_cust[0])

static csm_ledger *fx_ledger(const csm_allocator *al) {
    int32_t per[FX_N];
    for (size_t i = 0; i < FX_N; i++)
        per[i] = M(fx_month[i]);
    csm_ledger_opts lo = CSM_LEDGER_OPTS_INIT;
    lo.allocator = al;
    csm_ledger *l = NULL;
    if (csm_ledger_new(&l, fx_cust, per, fx_mrr, NULL, FX_N, &lo, NULL) !=
        CSM_OK)
        return NULL;
    return l;
}

START_TEST(test_project_inputs) {
    csm_ledger *l = fx_ledger(NULL);
    csm_projection_inputs *p = NULL;
    csm_error e;
    /* M3..M5: new + reactivation 90 + (80 + 300) + 0 = 470, / 3;
     * gross rates M3 50/300 = 1/6, M4 30/340 = 3/34, M5 0/690 = 0:
     * mean (1/6 + 3/34) / 3 = (17 + 9)/102 / 3 = 13/153; start 690 */
    ck_assert_int_eq(csm_projection_inputs_from_ledger(&p, l, &(csm_projection_inputs_opts){sizeof(csm_projection_inputs_opts), M(5), 3}, &e),
                     CSM_OK);
    check_table(p->result, "project_inputs", 1, inputs_want,
                WANT_N(inputs_want));
    ck_assert_uint_eq(p->n_rows, 1);
    ck_assert_int_eq(p->month[0], M(5));
    ck_assert_int_eq(p->window_months[0], 3);
    ck_assert_double_eq_tol(p->start_mrr[0], 690, TOL);
    ck_assert_double_eq_tol(p->new_mrr[0], 470.0 / 3, TOL);
    ck_assert_double_eq_tol(p->gross_mrr_churn_rate[0], 13.0 / 153, TOL);
    ck_assert_int_eq(p->rate_months[0], 3);
    ck_assert_uint_eq(p->flags[0], 0);
    struct ArrowSchema s;
    struct ArrowArray a;
    export_checked(&s, &a, p->result, inputs_want, WANT_N(inputs_want));
    ck_assert_double_eq_tol(arrow_f64(arrow_child(&s, &a, "start_mrr"), 0), 690,
                            TOL);
    s.release(&s);
    a.release(&a);
    csm_projection_inputs_free(p);
    /* M0..M5 (CSM_MONTH_NONE = M5): new 700 + 50 + 0 + 90 + 380 + 0 =
     * 1220, / 6; M0 has no opening MRR, so 5 rates: M1 300/700 = 3/7,
     * M2 200/450 = 4/9, M3 1/6, M4 3/34, M5 0 -> their mean
     * (3/7 + 4/9 + 1/6 + 3/34) / 5 = (918 + 952 + 357 + 189) / 2142 / 5
     * = 2416/10710 = 0.22558356676003735 */
    ck_assert_int_eq(
        csm_projection_inputs_from_ledger(&p, l, NULL, &e), CSM_OK);
    ck_assert_int_eq(p->month[0], M(5));
    ck_assert_double_eq_tol(p->new_mrr[0], 1220.0 / 6, TOL);
    ck_assert_double_eq_tol(p->gross_mrr_churn_rate[0],
                            (3.0 / 7 + 4.0 / 9 + 1.0 / 6 + 3.0 / 34) / 5, TOL);
    ck_assert_double_eq_tol(p->gross_mrr_churn_rate[0], 0.22558356676003735,
                            1e-15);
    ck_assert_int_eq(p->rate_months[0], 5);
    /* continuing the trend one month: 690 x (1 - g) + 1220/6 */
    double next[2];
    ck_assert_int_eq(csm_projection_mrr(next, 1, p->start_mrr[0], &(csm_projection_scenarios){p->gross_mrr_churn_rate, NULL, p->new_mrr, 1},
                                     &e),
                     CSM_OK);
    ck_assert_double_eq_tol(next[1],
                            690 * (1 - 0.22558356676003735) + 1220.0 / 6, 1e-9);
    csm_projection_inputs_free(p);
    /* a window before the data: nothing, the rate undefined */
    ck_assert_int_eq(csm_projection_inputs_from_ledger(&p, l, &(csm_projection_inputs_opts){sizeof(csm_projection_inputs_opts), M(-5), 2}, &e),
                     CSM_OK);
    ck_assert_double_eq(p->start_mrr[0], 0);
    ck_assert_double_eq(p->new_mrr[0], 0);
    ck_assert(isnan(p->gross_mrr_churn_rate[0]));
    ck_assert_int_eq(p->rate_months[0], 0);
    ck_assert_uint_eq(p->flags[0], CSM_FLAG_ZERO_DENOMINATOR);
    csm_projection_inputs_free(p);
    csm_projection_inputs_free(NULL);
    /* errors; *out is NULL after each */
    ck_assert_int_eq(csm_projection_inputs_from_ledger(NULL, l, &(csm_projection_inputs_opts){sizeof(csm_projection_inputs_opts), M(5), 3}, &e),
                     CSM_EINVAL);
    ck_assert_str_eq(e.field, "out");
    p = (csm_projection_inputs *)&e;
    ck_assert_int_eq(csm_projection_inputs_from_ledger(&p, NULL, &(csm_projection_inputs_opts){sizeof(csm_projection_inputs_opts), M(5), 3}, &e),
                     CSM_EINVAL);
    ck_assert_str_eq(e.field, "ledger");
    ck_assert_ptr_null(p);
    ck_assert_int_eq(csm_projection_inputs_from_ledger(&p, l, &(csm_projection_inputs_opts){sizeof(csm_projection_inputs_opts), M(5), 0}, &e),
                     CSM_EINVAL);
    ck_assert_str_eq(e.field, "opts.window");
    ck_assert_int_eq(
        csm_projection_inputs_from_ledger(&p, l, &(csm_projection_inputs_opts){sizeof(csm_projection_inputs_opts), INT32_MIN + 5, 10}, &e),
        CSM_ERANGE);
    ck_assert_str_eq(e.field, "opts.window");
    ck_assert_ptr_null(p);
    csm_ledger_free(l);
    csm_ledger *z = NULL;
    ck_assert_int_eq(csm_ledger_new(&z, NULL, NULL, NULL, NULL, 0, NULL, NULL),
                     CSM_OK);
    ck_assert_int_eq(
        csm_projection_inputs_from_ledger(&p, z, &(csm_projection_inputs_opts){sizeof(csm_projection_inputs_opts), CSM_MONTH_NONE, 3}, &e),
        CSM_EDOMAIN);
    ck_assert_str_eq(e.field, "ledger");
    csm_ledger_free(z);
}
END_TEST

static csm_status build_inputs(csm_result **r, const csm_allocator *al) {
    *r = NULL;
    csm_ledger *l = fx_ledger(al);
    if (!l)
        return CSM_ENOMEM;
    csm_projection_inputs *p = (csm_projection_inputs *)l; /* must be overwritten */
    csm_status st = csm_projection_inputs_from_ledger(&p, l, &(csm_projection_inputs_opts){sizeof(csm_projection_inputs_opts), M(5), 6}, NULL);
    csm_ledger_free(l);
    if (st != CSM_OK)
        ck_assert_ptr_null(p);
    *r = st == CSM_OK ? p->result : NULL;
    return st;
}

START_TEST(test_project_inputs_oom) { check_oom(build_inputs); }
END_TEST

int main(void) {
    Suite *s = suite_create("projection");
    TCase *tc = tcase_create("csm_projection_mrr");
    tcase_add_test(tc, test_hand_table);
    tcase_add_test(tc, test_seed_24_months);
    tcase_add_loop_test(tc, test_loop_matches_closed_form, 0, 5);
    suite_add_tcase(s, tc);
    tc = tcase_create("csm_projection_steady_state");
    tcase_add_test(tc, test_steady_state);
    suite_add_tcase(s, tc);
    tc = tcase_create("edge");
    tcase_add_test(tc, test_edge);
    suite_add_tcase(s, tc);
    tc = tcase_create("tables");
    tcase_add_test(tc, test_projection_table);
    tcase_add_test(tc, test_projection_table_seed);
    tcase_add_test(tc, test_steady_state_table);
    tcase_add_test(tc, test_projection_table_edge);
    tcase_add_test(tc, test_projection_table_oom);
    suite_add_tcase(s, tc);
    tc = tcase_create("csm_projection_inputs_from_ledger");
    tcase_add_test(tc, test_project_inputs);
    tcase_add_test(tc, test_project_inputs_oom);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
