/* test-ltv.c - simple and seed LTV, CAC, LTV/CAC, payback, and their result
 * tables.  Every expected value is worked by hand in the comment beside
 * it. */
#include <check.h>
#include <math.h>
#include <stdlib.h>

#include "csmetrics/csmetrics.h"
#include "scalar_table_checks.h"

#define TOL 1e-9

START_TEST(test_ltv_simple) {
    /* ARPA 100, margin 0.8, churn 2%: lifetime 1/0.02 = 50 months,
     * LTV = 100 x 0.8 x 50 = 4000 */
    csm_ltv_result r;
    ck_assert_int_eq(csm_ltv_simple(&r, 100, 0.8, 0.02, NULL, NULL), CSM_OK);
    ck_assert_double_eq_tol(r.ltv, 4000, TOL);
    ck_assert_double_eq_tol(r.lifetime_months, 50, TOL);
    ck_assert_uint_eq(r.flags, 0);
    /* cap 36 months: 100 x 0.8 x 36 = 2880 */
    csm_ltv_opts o = CSM_LTV_OPTS_INIT;
    o.lifetime_cap_months = 36;
    ck_assert_int_eq(csm_ltv_simple(&r, 100, 0.8, 0.02, &o, NULL), CSM_OK);
    ck_assert_double_eq_tol(r.ltv, 2880, TOL);
    ck_assert(r.flags & CSM_FLAG_CAPPED);
    /* a cap above the lifetime does nothing: 50 < 60 */
    o.lifetime_cap_months = 60;
    ck_assert_int_eq(csm_ltv_simple(&r, 100, 0.8, 0.02, &o, NULL), CSM_OK);
    ck_assert_double_eq_tol(r.ltv, 4000, TOL);
    ck_assert_uint_eq(r.flags, 0);
}
END_TEST

START_TEST(test_ltv_zero_churn) {
    csm_ltv_result r;
    csm_error e;
    /* default: an error, never an infinity */
    ck_assert_int_eq(csm_ltv_simple(&r, 100, 0.8, 0.0, NULL, &e), CSM_EDOMAIN);
    ck_assert_str_eq(e.field, "monthly_churn");
    /* floor 1.67%: 100 x 0.8 / 0.0167 = 4790.419161676647 */
    csm_ltv_opts o = CSM_LTV_OPTS_INIT;
    o.zero_churn = CSM_ZERO_CHURN_FLOOR;
    ck_assert_int_eq(csm_ltv_simple(&r, 100, 0.8, 0.0, &o, NULL), CSM_OK);
    ck_assert_double_eq_tol(r.ltv, 4790.419161676647, 1e-9);
    ck_assert_double_eq_tol(r.churn_used, 0.0167, TOL);
    ck_assert(r.flags & CSM_FLAG_FLOORED);
    /* the floor applies below it too: churn 1% -> 1.67% */
    ck_assert_int_eq(csm_ltv_simple(&r, 100, 0.8, 0.01, &o, NULL), CSM_OK);
    ck_assert_double_eq_tol(r.ltv, 4790.419161676647, 1e-9);
    /* and not above it: 2% -> 4000 */
    ck_assert_int_eq(csm_ltv_simple(&r, 100, 0.8, 0.02, &o, NULL), CSM_OK);
    ck_assert_double_eq_tol(r.ltv, 4000, TOL);
    ck_assert_uint_eq(r.flags, 0);
    /* cap policy: lifetime = cap 60 -> 100 x 0.8 x 60 = 4800 */
    o.zero_churn = CSM_ZERO_CHURN_CAP;
    o.lifetime_cap_months = 60;
    ck_assert_int_eq(csm_ltv_simple(&r, 100, 0.8, 0.0, &o, NULL), CSM_OK);
    ck_assert_double_eq_tol(r.ltv, 4800, TOL);
    ck_assert(r.flags & CSM_FLAG_CAPPED);
    o.lifetime_cap_months = 0; /* cap policy without a cap */
    ck_assert_int_eq(csm_ltv_simple(&r, 100, 0.8, 0.0, &o, &e), CSM_EINVAL);
}
END_TEST

START_TEST(test_seed_cac_payback) {
    csm_metric m;
    /* seed: 50 per purchase x 2 purchases a month x 24 months = 2400 */
    ck_assert_int_eq(csm_ltv_seed(&m, 50, 2, 24, NULL), CSM_OK);
    ck_assert_double_eq_tol(m.value, 2400, TOL);
    /* CAC = 50,000 / 25 = 2000 */
    ck_assert_int_eq(csm_cac(&m, 50000, 25, NULL), CSM_OK);
    ck_assert_double_eq_tol(m.value, 2000, TOL);
    /* LTV/CAC = 4000 / 2000 = 2 */
    ck_assert_int_eq(csm_ltv_cac(&m, 4000, 2000, NULL), CSM_OK);
    ck_assert_double_eq_tol(m.value, 2, TOL);
    /* payback = 2000 / (100 x 0.8) = 25 months */
    ck_assert_int_eq(csm_cac_payback(&m, 2000, 100, 0.8, NULL), CSM_OK);
    ck_assert_double_eq_tol(m.value, 25, TOL);
}
END_TEST

START_TEST(test_edge) {
    csm_metric m;
    csm_error e;
    /* zero denominators: NaN + flag, status OK */
    ck_assert_int_eq(csm_cac(&m, 1000, 0, &e), CSM_OK);
    ck_assert(isnan(m.value) && (m.flags & CSM_FLAG_ZERO_DENOMINATOR));
    ck_assert_int_eq(csm_ltv_cac(&m, 4000, 0, &e), CSM_OK);
    ck_assert(isnan(m.value) && (m.flags & CSM_FLAG_ZERO_DENOMINATOR));
    ck_assert_int_eq(csm_cac_payback(&m, 2000, 0, 0.8, &e), CSM_OK);
    ck_assert(isnan(m.value) && (m.flags & CSM_FLAG_ZERO_DENOMINATOR));
    /* domain errors name the field */
    csm_ltv_result r;
    ck_assert_int_eq(csm_ltv_simple(&r, -1, 0.8, 0.02, NULL, &e), CSM_EDOMAIN);
    ck_assert_str_eq(e.field, "arpa");
    ck_assert_int_eq(csm_ltv_simple(&r, 100, 1.2, 0.02, NULL, &e), CSM_EDOMAIN);
    ck_assert_str_eq(e.field, "gross_margin");
    ck_assert_int_eq(csm_ltv_simple(&r, 100, 0.8, NAN, NULL, &e), CSM_EDOMAIN);
    ck_assert_str_eq(e.field, "monthly_churn");
    ck_assert_int_eq(csm_ltv_simple(&r, INFINITY, 0.8, 0.1, NULL, &e), CSM_EDOMAIN);
    ck_assert_int_eq(csm_ltv_simple(NULL, 1, 0.8, 0.1, NULL, &e), CSM_EINVAL);
    ck_assert_int_eq(csm_cac(&m, -5, 2, &e), CSM_EDOMAIN);
    ck_assert_str_eq(e.field, "spend");
    ck_assert_int_eq(csm_ltv_seed(&m, 1, -2, 3, &e), CSM_EDOMAIN);
    ck_assert_str_eq(e.field, "purchase_rate");
    ck_assert_int_eq(csm_ltv_cac(&m, NAN, 2, &e), CSM_EDOMAIN);
    ck_assert_int_eq(csm_cac_payback(&m, 1, 1, 2, &e), CSM_EDOMAIN);
    csm_ltv_opts o = CSM_LTV_OPTS_INIT;
    o.zero_churn = 9;
    ck_assert_int_eq(csm_ltv_simple(&r, 100, 0.8, 0.02, &o, &e), CSM_EINVAL);
    o = (csm_ltv_opts)CSM_LTV_OPTS_INIT;
    o.churn_floor = 0;
    ck_assert_int_eq(csm_ltv_simple(&r, 100, 0.8, 0.02, &o, &e), CSM_EINVAL);
    o.size = 1;
    ck_assert_int_eq(csm_ltv_simple(&r, 100, 0.8, 0.02, &o, &e), CSM_EINVAL);
    /* churn 100%: lifetime 1 month, LTV = ARPA x margin = 80 */
    ck_assert_int_eq(csm_ltv_simple(&r, 100, 0.8, 1.0, NULL, &e), CSM_OK);
    ck_assert_double_eq_tol(r.ltv, 80, TOL);
}
END_TEST

/* ---- result tables ---------------------------------------------------- */
/* Expected columns, written out from the header's documentation. */
static const want_arrow_col ltv_want[] = {
    {"group", CSM_TYPE_CODE, CSM_STORAGE_I32, CSM_ROLE_KEY, "i"},
    {"ltv", CSM_TYPE_MONEY, CSM_STORAGE_F64, CSM_ROLE_MAIN, "g"},
    {"lifetime_months", CSM_TYPE_NUMBER, CSM_STORAGE_F64, CSM_ROLE_MAIN, "g"},
    {"churn_used", CSM_TYPE_FRACTION, CSM_STORAGE_F64, CSM_ROLE_MAIN, "g"},
    {"flags", CSM_TYPE_FLAGS, CSM_STORAGE_U32, CSM_ROLE_DETAIL, "I"},
};

static const want_arrow_col metric_want[] = {
    {"group", CSM_TYPE_CODE, CSM_STORAGE_I32, CSM_ROLE_KEY, "i"},
    {"value", CSM_TYPE_NUMBER, CSM_STORAGE_F64, CSM_ROLE_MAIN, "g"},
    {"flags", CSM_TYPE_FLAGS, CSM_STORAGE_U32, CSM_ROLE_DETAIL, "I"},
};

/* Row i of view t holds, bit for bit, the fields of rows[i]; each
 * descriptor points at the view's member (expanded over a column list). */
#define SAME_FIELD(m, name, ty, st, r, d)                                      \
    ck_assert_msg(memcmp(&t->m[i], &rows[i].m, sizeof rows[i].m) == 0,        \
                  "row %zu, column %s", i, name);                             \
    ck_assert_ptr_eq(csm_table_find(tab, name)->data, t->m);

/* test-table.c's ledger (total MRR by month M0..M5: 700, 450, 300, 340,
 * 690, 690) for an LTV from a ledger. */
#define M(k) (csm_month(2024, 1) + (k))
static const int64_t fx_cust[] = {1, 1, 1, 1, 1, 1, 2, 2, 3, 3, 3, 3, 4,
                                  4, 4, 5, 5, 5, 5, 5, 5, 5, 6, 6, 6};
static const int32_t fx_month[] = {0, 1, 2, 3, 4, 5, 0, 1, 1, 2, 4, 5, 0,
                                   4, 5, 0, 0, 1, 2, 3, 4, 5, 3, 4, 5};
static const double fx_mrr[] = {100, 100, 150, 150, 120, 120, 200, 200, 50,
                                50,  80,  80,  300, 300, 300, 40,  60,  100,
                                100, 100, 100, 100, 90,  90,  90};
#define FX_N (sizeof fx_cust / sizeof fx_cust[0])

/* Four LTV results: test_ltv_simple's 4000 (lifetime 50) and its 36-month
 * cap (2880, capped), test_ltv_zero_churn's floor (100 x 0.8 / 0.0167 =
 * 4790.419161676647, floored), and test-ledger.c's LTV from the ledger
 * over M1..M5 (churn 3/19, ARPA 690/5 = 138: 138 x 0.8 x 19/3 = 699.2). */
static void ltv_rows(csm_ltv_result r[4]) {
    ck_assert_int_eq(csm_ltv_simple(&r[0], 100, 0.8, 0.02, NULL, NULL), CSM_OK);
    csm_ltv_opts o = CSM_LTV_OPTS_INIT;
    o.lifetime_cap_months = 36;
    ck_assert_int_eq(csm_ltv_simple(&r[1], 100, 0.8, 0.02, &o, NULL), CSM_OK);
    o = (csm_ltv_opts)CSM_LTV_OPTS_INIT;
    o.zero_churn = CSM_ZERO_CHURN_FLOOR;
    ck_assert_int_eq(csm_ltv_simple(&r[2], 100, 0.8, 0.0, &o, NULL), CSM_OK);
    int32_t per[FX_N];
    for (size_t i = 0; i < FX_N; i++)
        per[i] = M(fx_month[i]);
    csm_ledger *l = NULL;
    ck_assert_int_eq(
        csm_ledger_new(&l, fx_cust, per, fx_mrr, NULL, FX_N, NULL, NULL),
        CSM_OK);
    ck_assert_int_eq(csm_ltv_from_ledger(&r[3], l, M(5), 5, 0.8, NULL, NULL),
                     CSM_OK);
    csm_ledger_free(l);
}

START_TEST(test_ltv_table) {
    csm_ltv_result rows[4];
    ltv_rows(rows);
    const int32_t group[] = {1, 2, 3, CSM_CODE_ALL};
    csm_ltv_results *t = NULL;
    csm_error e;
    ck_assert_int_eq(csm_ltv_table(&t, rows, group, 4, NULL, &e), CSM_OK);
    check_table(t->result, "ltv", 4, ltv_want, WANT_N(ltv_want));
    ck_assert_ptr_eq(csm_result_view(t->result), t);
    ck_assert_uint_eq(t->n_rows, 4);
    const csm_table *tab = csm_result_table(t->result, 0);
    ck_assert_ptr_eq(tab->columns[0].data, t->group);
    for (size_t i = 0; i < 4; i++) {
        CSM_LTV_RESULT_COLUMNS(SAME_FIELD)
        ck_assert_int_eq(t->group[i], group[i]);
    }
    ck_assert_double_eq_tol(t->ltv[0], 4000, TOL);
    ck_assert_double_eq_tol(t->lifetime_months[0], 50, TOL);
    ck_assert_double_eq_tol(t->ltv[1], 2880, TOL);
    ck_assert_double_eq_tol(t->lifetime_months[1], 36, TOL);
    ck_assert_uint_eq(t->flags[1], CSM_FLAG_CAPPED);
    ck_assert_double_eq_tol(t->ltv[2], 4790.419161676647, 1e-9);
    ck_assert_double_eq_tol(t->churn_used[2], 0.0167, TOL);
    ck_assert_uint_eq(t->flags[2], CSM_FLAG_FLOORED);
    ck_assert_double_eq_tol(t->ltv[3], 699.2, 1e-9);
    ck_assert_double_eq_tol(t->churn_used[3], 3.0 / 19, TOL);
    ck_assert_double_eq_tol(t->lifetime_months[3], 19.0 / 3, 1e-12);
    ck_assert_double_eq_tol(
        csm_column_double(csm_table_find(tab, "ltv"), 1), 2880, TOL);

    struct ArrowSchema s;
    struct ArrowArray a;
    export_checked(&s, &a, t->result, ltv_want, WANT_N(ltv_want));
    ck_assert_str_eq(arrow_md_value(s.children[1]->metadata, "csm.type"), "money");
    const struct ArrowArray *c = arrow_child(&s, &a, "ltv");
    ck_assert_int_eq(c->null_count, 0);
    ck_assert_ptr_eq(c->buffers[1], t->ltv); /* zero-copy */
    ck_assert_double_eq_tol(arrow_f64(c, 3), 699.2, 1e-9);
    c = arrow_child(&s, &a, "group");
    ck_assert_int_eq(c->null_count, 1);
    ck_assert(arrow_bit(c->buffers[0], 2) && !arrow_bit(c->buffers[0], 3));
    ck_assert_int_eq(arrow_i32(c, 2), 3);
    s.release(&s);
    a.release(&a);
    csm_ltv_results_free(t);
}
END_TEST

/* The figures of test_seed_cac_payback and test_edge: seed 50 x 2 x 24 =
 * 2400, CAC 50,000 / 25 = 2000, LTV/CAC 4000 / 2000 = 2, payback
 * 2000 / (100 x 0.8) = 25 months, and CAC with no new customers (NaN,
 * zero denominator). */
static void metric_rows(csm_metric r[5]) {
    ck_assert_int_eq(csm_ltv_seed(&r[0], 50, 2, 24, NULL), CSM_OK);
    ck_assert_int_eq(csm_cac(&r[1], 50000, 25, NULL), CSM_OK);
    ck_assert_int_eq(csm_ltv_cac(&r[2], 4000, 2000, NULL), CSM_OK);
    ck_assert_int_eq(csm_cac_payback(&r[3], 2000, 100, 0.8, NULL), CSM_OK);
    ck_assert_int_eq(csm_cac(&r[4], 1000, 0, NULL), CSM_OK);
}

START_TEST(test_metric_table) {
    csm_metric rows[5];
    metric_rows(rows);
    csm_metric_results *t = NULL;
    /* no group codes: rows 0..4 */
    ck_assert_int_eq(csm_metric_table(&t, rows, NULL, 5, NULL, NULL), CSM_OK);
    check_table(t->result, "metric", 5, metric_want, WANT_N(metric_want));
    const csm_table *tab = csm_result_table(t->result, 0);
    for (size_t i = 0; i < 5; i++) {
        CSM_METRIC_COLUMNS(SAME_FIELD)
        ck_assert_int_eq(t->group[i], (int32_t)i);
    }
    const double want[] = {2400, 2000, 2, 25};
    for (size_t i = 0; i < 4; i++) {
        ck_assert_double_eq_tol(t->value[i], want[i], TOL);
        ck_assert_uint_eq(t->flags[i], 0);
    }
    ck_assert(isnan(t->value[4]));
    ck_assert_uint_eq(t->flags[4], CSM_FLAG_ZERO_DENOMINATOR);

    struct ArrowSchema s;
    struct ArrowArray a;
    export_checked(&s, &a, t->result, metric_want, WANT_N(metric_want));
    const struct ArrowArray *c = arrow_child(&s, &a, "value");
    ck_assert_int_eq(c->null_count, 1);
    for (size_t i = 0; i < 4; i++) {
        ck_assert(arrow_bit(c->buffers[0], i));
        ck_assert_double_eq_tol(arrow_f64(c, i), want[i], TOL);
    }
    ck_assert(!arrow_bit(c->buffers[0], 4));
    c = arrow_child(&s, &a, "flags");
    ck_assert_int_eq(c->null_count, 0);
    ck_assert_uint_eq(((const uint32_t *)c->buffers[1])[4],
                      CSM_FLAG_ZERO_DENOMINATOR);
    ck_assert_int_eq(arrow_i32(arrow_child(&s, &a, "group"), 4), 4);
    csm_metric_results_free(t); /* the export keeps the columns alive */
    ck_assert_double_eq_tol(arrow_f64(arrow_child(&s, &a, "value"), 1), 2000,
                            TOL);
    s.release(&s);
    a.release(&a);
}
END_TEST

START_TEST(test_tables_empty_and_errors) {
    /* n = 0: 0-row tables with every column */
    csm_ltv_results *t = NULL;
    ck_assert_int_eq(csm_ltv_table(&t, NULL, NULL, 0, NULL, NULL), CSM_OK);
    check_table(t->result, "ltv", 0, ltv_want, WANT_N(ltv_want));
    struct ArrowSchema s;
    struct ArrowArray a;
    export_checked(&s, &a, t->result, ltv_want, WANT_N(ltv_want));
    ck_assert_int_eq(a.length, 0);
    s.release(&s);
    a.release(&a);
    csm_ltv_results_free(t);
    csm_metric_results *m = NULL;
    ck_assert_int_eq(csm_metric_table(&m, NULL, NULL, 0, NULL, NULL), CSM_OK);
    check_table(m->result, "metric", 0, metric_want, WANT_N(metric_want));
    ck_assert_uint_eq(m->n_rows, 0);
    csm_metric_results_free(m);
    csm_ltv_results_free(NULL);
    csm_metric_results_free(NULL);
    /* errors; *out is NULL after each */
    csm_metric r[5];
    metric_rows(r);
    csm_error e;
    ck_assert_int_eq(csm_metric_table(NULL, r, NULL, 5, NULL, &e), CSM_EINVAL);
    ck_assert_str_eq(e.field, "out");
    m = (csm_metric_results *)r;
    ck_assert_int_eq(csm_metric_table(&m, NULL, NULL, 2, NULL, &e),
                     CSM_EINVAL);
    ck_assert_str_eq(e.field, "rows");
    ck_assert_ptr_null(m);
    t = (csm_ltv_results *)r;
    ck_assert_int_eq(
        csm_ltv_table(&t, (const csm_ltv_result *)r, NULL,
                      (size_t)INT32_MAX + 1, NULL, &e),
        CSM_ERANGE);
    ck_assert_str_eq(e.field, "group");
    ck_assert_ptr_null(t);
}
END_TEST

static csm_status build_ltv(csm_result **r, const csm_allocator *al) {
    csm_ltv_result rows[3];
    ck_assert_int_eq(csm_ltv_simple(&rows[0], 100, 0.8, 0.02, NULL, NULL),
                     CSM_OK);
    rows[1] = rows[2] = rows[0];
    csm_ltv_results *t = (csm_ltv_results *)rows; /* must be overwritten */
    csm_status st = csm_ltv_table(&t, rows, NULL, 3, al, NULL);
    if (st != CSM_OK)
        ck_assert_ptr_null(t);
    *r = st == CSM_OK ? t->result : NULL;
    return st;
}

static csm_status build_metric(csm_result **r, const csm_allocator *al) {
    csm_metric rows[5];
    metric_rows(rows);
    const int32_t group[] = {9, 8, 7, 6, CSM_CODE_ALL};
    csm_metric_results *t = (csm_metric_results *)rows;
    csm_status st = csm_metric_table(&t, rows, group, 5, al, NULL);
    if (st != CSM_OK)
        ck_assert_ptr_null(t);
    *r = st == CSM_OK ? t->result : NULL;
    return st;
}

START_TEST(test_tables_oom) {
    check_oom(build_ltv);
    check_oom(build_metric);
}
END_TEST

int main(void) {
    Suite *s = suite_create("ltv");
    TCase *tc = tcase_create("csm_ltv_simple");
    tcase_add_test(tc, test_ltv_simple);
    tcase_add_test(tc, test_ltv_zero_churn);
    suite_add_tcase(s, tc);
    tc = tcase_create("csm_cac");
    tcase_add_test(tc, test_seed_cac_payback);
    suite_add_tcase(s, tc);
    tc = tcase_create("edge");
    tcase_add_test(tc, test_edge);
    suite_add_tcase(s, tc);
    tc = tcase_create("tables");
    tcase_add_test(tc, test_ltv_table);
    tcase_add_test(tc, test_metric_table);
    tcase_add_test(tc, test_tables_empty_and_errors);
    tcase_add_test(tc, test_tables_oom);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
