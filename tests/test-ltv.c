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

/* ---- issue 13, finding 9: LTV is never an infinity -------------------- */

/* ARPA 1e308, margin 1, churn 0.01: 1e308 x 100 = 1e310 overflows: now
 * CSM_ERANGE naming "arpa", ltv NaN.  From a ledger: customer 1 with MRR
 * 5e299 in 2024-01 and 2024-02 (total 1e300, the most CSM_SUM_MAX
 * allows), window 1 ending 2024-02: ARPA 5e299, churn 0 floored to
 * 1e-10, lifetime 1e10 months, LTV 5e309: CSM_ERANGE (it returned inf).
 * A seed LTV of 1e200 x 1e200 x 1: likewise. */
START_TEST(test_ltv_overflow) {
    csm_ltv_result r;
    csm_error e;
    ck_assert_int_eq(csm_ltv_simple(&r, 1e308, 1.0, 0.01, NULL, &e),
                     CSM_ERANGE);
    ck_assert_str_eq(e.field, "arpa");
    ck_assert(isnan(r.ltv));
    /* just below: 1e305 x 100 = 1e307 */
    ck_assert_int_eq(csm_ltv_simple(&r, 1e305, 1.0, 0.01, NULL, &e), CSM_OK);
    ck_assert_double_eq_tol(r.ltv, 1e307, 1e293);
    const int64_t c[] = {1, 1};
    const int32_t p[] = {csm_month(2024, 1), csm_month(2024, 2)};
    const double v[] = {5e299, 5e299};
    csm_ledger *l;
    ck_assert_int_eq(csm_ledger_new(&l, c, p, v, NULL, 2, NULL, NULL), CSM_OK);
    csm_ltv_opts o = CSM_LTV_OPTS_INIT;
    o.window = 1;
    o.zero_churn = CSM_ZERO_CHURN_FLOOR;
    o.churn_floor = 1e-10;
    ck_assert_int_eq(csm_ltv_from_ledger(&r, l, 1.0, &o, &e), CSM_ERANGE);
    ck_assert_str_eq(e.field, "arpa");
    ck_assert(!isinf(r.ltv));
    /* churn floor 0.01: 5e299 x 100 = 5e301, finite */
    o.churn_floor = 0.01;
    ck_assert_int_eq(csm_ltv_from_ledger(&r, l, 1.0, &o, &e), CSM_OK);
    ck_assert_double_eq_tol(r.ltv, 5e301, 5e287);
    csm_ledger_free(l);
    csm_metric m;
    ck_assert_int_eq(csm_ltv_seed(&m, 1e200, 1e200, 1.0, &e), CSM_ERANGE);
    ck_assert_str_eq(e.field, "avg_purchase_value");
    ck_assert(isnan(m.value));
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
    /* every argument check of cac.c names its argument */
    ck_assert_int_eq(csm_cac(NULL, 1, 1, &e), CSM_EINVAL);
    ck_assert_str_eq(e.field, "out");
    ck_assert_int_eq(csm_cac(&m, 1, NAN, &e), CSM_EDOMAIN);
    ck_assert_str_eq(e.field, "new_customers");
    ck_assert_int_eq(csm_cac_payback(NULL, 1, 1, 0.5, &e), CSM_EINVAL);
    ck_assert_str_eq(e.field, "out");
    ck_assert_int_eq(csm_cac_payback(&m, -1, 1, 0.5, &e), CSM_EDOMAIN);
    ck_assert_str_eq(e.field, "cac");
    ck_assert_int_eq(csm_cac_payback(&m, 1, INFINITY, 0.5, &e), CSM_EDOMAIN);
    ck_assert_str_eq(e.field, "new_arpa");
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
    ck_assert_int_eq(csm_ltv_from_ledger(&r[3], l, 0.8, &(csm_ltv_opts){sizeof(csm_ltv_opts), CSM_ZERO_CHURN_ERROR, 0.0167, 0.0, M(5), 5}, NULL),
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
    csm_status st = csm_ltv_table(&t, rows, NULL, 3, &(csm_result_opts){sizeof(csm_result_opts), al}, NULL);
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
    csm_status st = csm_metric_table(&t, rows, group, 5, &(csm_result_opts){sizeof(csm_result_opts), al}, NULL);
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

/* ---- unit economics from a ledger ----------------------------------------- */
static const want_arrow_col ue_want[] = {
    {"month", CSM_TYPE_MONTH, CSM_STORAGE_I32, CSM_ROLE_KEY, "tdD"},
    {"arpa", CSM_TYPE_MONEY, CSM_STORAGE_F64, CSM_ROLE_MAIN, "g"},
    {"monthly_churn", CSM_TYPE_FRACTION, CSM_STORAGE_F64, CSM_ROLE_MAIN, "g"},
    {"gross_margin", CSM_TYPE_FRACTION, CSM_STORAGE_F64, CSM_ROLE_MAIN, "g"},
    {"ltv", CSM_TYPE_MONEY, CSM_STORAGE_F64, CSM_ROLE_MAIN, "g"},
    {"lifetime_months", CSM_TYPE_NUMBER, CSM_STORAGE_F64, CSM_ROLE_MAIN, "g"},
    {"cac", CSM_TYPE_MONEY, CSM_STORAGE_F64, CSM_ROLE_MAIN, "g"},
    {"ltv_cac", CSM_TYPE_NUMBER, CSM_STORAGE_F64, CSM_ROLE_MAIN, "g"},
    {"cac_payback_months", CSM_TYPE_NUMBER, CSM_STORAGE_F64, CSM_ROLE_MAIN, "g"},
    {"window_months", CSM_TYPE_NUMBER, CSM_STORAGE_I32, CSM_ROLE_DETAIL, "i"},
    {"churn_used", CSM_TYPE_FRACTION, CSM_STORAGE_F64, CSM_ROLE_DETAIL, "g"},
    {"opening_customers", CSM_TYPE_COUNT, CSM_STORAGE_I64, CSM_ROLE_DETAIL, "l"},
    {"churned_customers", CSM_TYPE_COUNT, CSM_STORAGE_I64, CSM_ROLE_DETAIL, "l"},
    {"new_customers", CSM_TYPE_COUNT, CSM_STORAGE_I64, CSM_ROLE_DETAIL, "l"},
    {"new_mrr", CSM_TYPE_MONEY, CSM_STORAGE_F64, CSM_ROLE_DETAIL, "g"},
    {"new_arpa", CSM_TYPE_MONEY, CSM_STORAGE_F64, CSM_ROLE_DETAIL, "g"},
    {"spend", CSM_TYPE_MONEY, CSM_STORAGE_F64, CSM_ROLE_DETAIL, "g"},
    {"flags", CSM_TYPE_FLAGS, CSM_STORAGE_U32, CSM_ROLE_DETAIL, "I"},
};

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

/* Spend: M0 1000 (before the window), M1 500, M3 250 twice, M6 999 (after
 * it): 500 + 250 + 250 = 1000 in M1..M5. */
static const int32_t sp_k[] = {0, 1, 3, 3, 6};
static const double sp_v[] = {1000, 500, 250, 250, 999};
#define SP_N 5

START_TEST(test_unit_economics) {
    /* The fixture by month (customers: MRR):
     *   M0: c1 100, c2 200, c4 300, c5 40+60 = 100        4 customers, 700
     *   M1: c1 100, c2 200, c3 50, c5 100                 4, 450
     *   M2: c1 150, c3 50, c5 100                         3, 300
     *   M3: c1 150, c5 100, c6 90                         3, 340
     *   M4: c1 120, c3 80, c4 300, c5 100, c6 90          5, 690
     *   M5: the same as M4                                5, 690
     * Window M1..M5: opening customers 4 + 4 + 3 + 3 + 5 = 19; churned
     * c4 (M1), c2 (M2), c3 (M3) = 3 (c3 and c4 coming back in M4 are
     * reactivations); new customers c3 (M1, 50) and c6 (M3, 90): 2, new
     * MRR 140, new ARPA 70.  ARPA at M5 = 690 / 5 = 138; churn 3/19;
     * lifetime 19/3 months; LTV = 138 x 0.8 x 19/3 = 699.2; spend 1000;
     * CAC = 1000 / 2 = 500; LTV/CAC = 699.2 / 500 = 1.3984; payback
     * 500 / (70 x 0.8) = 500 / 56 = 8.928571428571429 months. */
    csm_ledger *l = fx_ledger(NULL);
    int32_t spm[SP_N];
    for (size_t i = 0; i < SP_N; i++)
        spm[i] = M(sp_k[i]);
    csm_unit_economics *u = NULL;
    csm_error e;
    ck_assert_int_eq(csm_unit_economics_from_ledger(&u, l, 0.8, spm,
                                                    sp_v, SP_N, &(csm_unit_economics_opts){sizeof(csm_unit_economics_opts), M(5), 5, NULL}, &e),
                     CSM_OK);
    check_table(u->result, "unit_economics", 1, ue_want, WANT_N(ue_want));
    ck_assert_uint_eq(u->n_rows, 1);
    ck_assert_int_eq(u->month[0], M(5));
    ck_assert_int_eq(u->window_months[0], 5);
    ck_assert_double_eq_tol(u->arpa[0], 138, TOL);
    ck_assert_double_eq_tol(u->monthly_churn[0], 3.0 / 19, TOL);
    ck_assert_double_eq_tol(u->churn_used[0], 3.0 / 19, TOL);
    ck_assert_double_eq(u->gross_margin[0], 0.8);
    ck_assert_double_eq_tol(u->ltv[0], 699.2, TOL);
    ck_assert_double_eq_tol(u->lifetime_months[0], 19.0 / 3, TOL);
    ck_assert_int_eq(u->opening_customers[0], 19);
    ck_assert_int_eq(u->churned_customers[0], 3);
    ck_assert_int_eq(u->new_customers[0], 2);
    ck_assert_double_eq_tol(u->new_mrr[0], 140, TOL);
    ck_assert_double_eq_tol(u->new_arpa[0], 70, TOL);
    ck_assert_double_eq_tol(u->spend[0], 1000, TOL);
    ck_assert_double_eq_tol(u->cac[0], 500, TOL);
    ck_assert_double_eq_tol(u->ltv_cac[0], 1.3984, TOL);
    ck_assert_double_eq_tol(u->cac_payback_months[0], 500.0 / 56, TOL);
    ck_assert_uint_eq(u->flags[0], 0);
    /* the LTV is csm_ltv_from_ledger's */
    csm_ltv_result r;
    ck_assert_int_eq(csm_ltv_from_ledger(&r, l, 0.8, &(csm_ltv_opts){sizeof(csm_ltv_opts), CSM_ZERO_CHURN_ERROR, 0.0167, 0.0, M(5), 5}, &e),
                     CSM_OK);
    ck_assert(same_f64(r.ltv, u->ltv[0]));
    struct ArrowSchema s;
    struct ArrowArray a;
    export_checked(&s, &a, u->result, ue_want, WANT_N(ue_want));
    ck_assert_double_eq_tol(arrow_f64(arrow_child(&s, &a, "cac"), 0), 500, TOL);
    s.release(&s);
    a.release(&a);
    csm_unit_economics_free(u);

    /* spend unknown (NULL): the CAC figures NaN, without a flag; month
     * CSM_MONTH_NONE = M5 */
    ck_assert_int_eq(csm_unit_economics_from_ledger(&u, l,
                                                    0.8, NULL, NULL, 0, &(csm_unit_economics_opts){sizeof(csm_unit_economics_opts), CSM_MONTH_NONE, 5, NULL},
                                                    &e),
                     CSM_OK);
    ck_assert_int_eq(u->month[0], M(5));
    ck_assert_double_eq_tol(u->ltv[0], 699.2, TOL);
    ck_assert(isnan(u->spend[0]) && isnan(u->cac[0]) && isnan(u->ltv_cac[0]) &&
              isnan(u->cac_payback_months[0]));
    ck_assert_uint_eq(u->flags[0], 0);
    csm_unit_economics_free(u);

    /* M5 alone under the floor policy: no churn (0 of 5) -> floored to
     * 0.0167, LTV = 138 x 0.8 / 0.0167; no new customer: new ARPA 0/0 and
     * CAC 0/0 (the M5 spend is 0) are NaN + zero denominator */
    csm_ltv_opts o = CSM_LTV_OPTS_INIT;
    o.zero_churn = CSM_ZERO_CHURN_FLOOR;
    ck_assert_int_eq(csm_unit_economics_from_ledger(&u, l, 0.8, spm,
                                                    sp_v, SP_N, &(csm_unit_economics_opts){sizeof(csm_unit_economics_opts), M(5), 1, &o}, &e),
                     CSM_OK);
    ck_assert_double_eq(u->monthly_churn[0], 0);
    ck_assert_double_eq_tol(u->churn_used[0], 0.0167, TOL);
    ck_assert_double_eq_tol(u->ltv[0], 138 * 0.8 / 0.0167, 1e-9);
    ck_assert_double_eq(u->spend[0], 0);
    ck_assert(isnan(u->new_arpa[0]) && isnan(u->cac[0]) &&
              isnan(u->ltv_cac[0]) && isnan(u->cac_payback_months[0]));
    ck_assert_uint_eq(u->flags[0],
                      CSM_FLAG_FLOORED | CSM_FLAG_ZERO_DENOMINATOR);
    csm_unit_economics_free(u);
    /* ... and under the default policy an error */
    u = (csm_unit_economics *)&e; /* must be overwritten */
    ck_assert_int_eq(csm_unit_economics_from_ledger(&u, l, 0.8, NULL,
                                                    NULL, 0, &(csm_unit_economics_opts){sizeof(csm_unit_economics_opts), M(5), 1, NULL}, &e),
                     CSM_EDOMAIN);
    ck_assert_str_eq(e.field, "monthly_churn");
    ck_assert_ptr_null(u);

    /* M0 alone: nobody before it (churn 0/0: NaN, so no LTV); ARPA
     * 700 / 4 = 175; new customers c1, c2, c4, c5: 4, MRR 700; the M0
     * spend 1000: CAC 250; payback 250 / (175 x 0.8) = 1.7857142857142858 */
    ck_assert_int_eq(csm_unit_economics_from_ledger(&u, l, 0.8, spm,
                                                    sp_v, SP_N, &(csm_unit_economics_opts){sizeof(csm_unit_economics_opts), M(0), 1, NULL}, &e),
                     CSM_OK);
    ck_assert(isnan(u->monthly_churn[0]) && isnan(u->ltv[0]) &&
              isnan(u->lifetime_months[0]) && isnan(u->churn_used[0]) &&
              isnan(u->ltv_cac[0]));
    ck_assert_double_eq_tol(u->arpa[0], 175, TOL);
    ck_assert_int_eq(u->new_customers[0], 4);
    ck_assert_double_eq_tol(u->new_mrr[0], 700, TOL);
    ck_assert_double_eq_tol(u->cac[0], 250, TOL);
    ck_assert_double_eq_tol(u->cac_payback_months[0], 250 / 140.0, TOL);
    ck_assert_uint_eq(u->flags[0], CSM_FLAG_ZERO_DENOMINATOR);
    csm_unit_economics_free(u);

    /* a window before the data: every rate NaN, not an error */
    ck_assert_int_eq(csm_unit_economics_from_ledger(&u, l, 0.8, NULL,
                                                    NULL, 0, &(csm_unit_economics_opts){sizeof(csm_unit_economics_opts), M(-5), 2, NULL}, &e),
                     CSM_OK);
    ck_assert(isnan(u->arpa[0]) && isnan(u->monthly_churn[0]) &&
              isnan(u->ltv[0]) && isnan(u->new_arpa[0]));
    ck_assert_int_eq(u->opening_customers[0], 0);
    ck_assert_uint_eq(u->flags[0], CSM_FLAG_ZERO_DENOMINATOR);
    csm_unit_economics_free(u);
    csm_unit_economics_free(NULL);
    csm_ledger_free(l);
}
END_TEST

START_TEST(test_unit_economics_errors) {
    csm_ledger *l = fx_ledger(NULL);
    csm_unit_economics *u = NULL;
    csm_error e;
    int32_t spm[SP_N];
    for (size_t i = 0; i < SP_N; i++)
        spm[i] = M(sp_k[i]);
    ck_assert_int_eq(csm_unit_economics_from_ledger(NULL, l, 0.8, NULL,
                                                    NULL, 0, &(csm_unit_economics_opts){sizeof(csm_unit_economics_opts), M(5), 5, NULL}, &e),
                     CSM_EINVAL);
    ck_assert_str_eq(e.field, "out");
    ck_assert_int_eq(csm_unit_economics_from_ledger(&u, NULL, 0.8,
                                                    NULL, NULL, 0, &(csm_unit_economics_opts){sizeof(csm_unit_economics_opts), M(5), 5, NULL}, &e),
                     CSM_EINVAL);
    ck_assert_str_eq(e.field, "ledger");
    ck_assert_int_eq(csm_unit_economics_from_ledger(&u, l, 0.8, NULL,
                                                    NULL, 0, &(csm_unit_economics_opts){sizeof(csm_unit_economics_opts), M(5), 0, NULL}, &e),
                     CSM_EINVAL);
    ck_assert_str_eq(e.field, "opts.window");
    ck_assert_int_eq(csm_unit_economics_from_ledger(&u, l, 1.5, NULL,
                                                    NULL, 0, &(csm_unit_economics_opts){sizeof(csm_unit_economics_opts), M(5), 5, NULL}, &e),
                     CSM_EDOMAIN);
    ck_assert_str_eq(e.field, "gross_margin");
    ck_assert_int_eq(csm_unit_economics_from_ledger(&u, l, 0.8, NULL,
                                                    sp_v, SP_N, &(csm_unit_economics_opts){sizeof(csm_unit_economics_opts), M(5), 5, NULL}, &e),
                     CSM_EINVAL);
    ck_assert_str_eq(e.field, "spend_month");
    const double bad[] = {1, 2, -3};
    ck_assert_int_eq(csm_unit_economics_from_ledger(&u, l, 0.8, spm,
                                                    bad, 3, &(csm_unit_economics_opts){sizeof(csm_unit_economics_opts), M(5), 5, NULL}, &e),
                     CSM_EDOMAIN);
    ck_assert_str_eq(e.field, "spend");
    ck_assert_uint_eq(e.row, 2);
    /* the running sum of every row (input order) is 1e300 = CSM_SUM_MAX
     * after row 0, 2e300 after row 1: row 1 is named.  (Spend used to be
     * summed unbounded: 1e308 twice in the window gave an infinite CAC
     * input and an EDOMAIN "spend must be finite" without a row.) */
    const double huge[] = {1e300, 1e300, 1};
    ck_assert_int_eq(csm_unit_economics_from_ledger(&u, l, 0.8, spm,
                                                    huge, 3, &(csm_unit_economics_opts){sizeof(csm_unit_economics_opts), M(5), 5, NULL}, &e),
                     CSM_ERANGE);
    ck_assert_str_eq(e.field, "spend");
    ck_assert_uint_eq(e.row, 1);
    ck_assert_ptr_null(u);
    csm_ltv_opts o = CSM_LTV_OPTS_INIT;
    o.size = 1;
    ck_assert_int_eq(csm_unit_economics_from_ledger(&u, l, 0.8, NULL,
                                                    NULL, 0, &(csm_unit_economics_opts){sizeof(csm_unit_economics_opts), M(5), 5, &o}, &e),
                     CSM_EINVAL);
    /* bad options are refused even when the window has no churn rate */
    ck_assert_int_eq(csm_unit_economics_from_ledger(&u, l, 0.8, NULL,
                                                    NULL, 0, &(csm_unit_economics_opts){sizeof(csm_unit_economics_opts), M(-5), 1, &o}, &e),
                     CSM_EINVAL);
    ck_assert_ptr_null(u);
    csm_ledger_free(l);
    /* an empty ledger has no last month */
    csm_ledger *z = NULL;
    ck_assert_int_eq(csm_ledger_new(&z, NULL, NULL, NULL, NULL, 0, NULL, NULL),
                     CSM_OK);
    ck_assert_int_eq(csm_unit_economics_from_ledger(&u, z,
                                                    0.8, NULL, NULL, 0, &(csm_unit_economics_opts){sizeof(csm_unit_economics_opts), CSM_MONTH_NONE, 3, NULL},
                                                    &e),
                     CSM_EDOMAIN);
    ck_assert_str_eq(e.field, "ledger");
    csm_ledger_free(z);
}
END_TEST

/* The window's sums, and csm_ltv_from_ledger's ARPA and churn, against a
 * second implementation: the movements table of the window
 * (csm_movements_compute), summed here, on random ledgers (customers
 * leaving and coming back, several rows a month). */
START_TEST(test_unit_economics_vs_movements) {
    unsigned seed = 1234u + (unsigned)_i;
    enum { NC = 40, NM = 30 };
    int64_t cust[NC * NM];
    int32_t per[NC * NM];
    double mrr[NC * NM];
    size_t n = 0;
    for (int c = 0; c < NC; c++)
        for (int t = 0; t < NM; t++) {
            seed = seed * 1103515245u + 12345u;
            if ((seed >> 16) % 3 == 0)
                continue;
            cust[n] = c;
            per[n] = M(t);
            mrr[n] = (double)((seed >> 8) % 500) + 0.25;
            n++;
        }
    csm_ledger *l = NULL;
    ck_assert_int_eq(csm_ledger_new(&l, cust, per, mrr, NULL, n, NULL, NULL),
                     CSM_OK);
    csm_ltv_opts o = CSM_LTV_OPTS_INIT;
    o.zero_churn = CSM_ZERO_CHURN_FLOOR;
    for (int32_t end = 0; end < NM + 2; end += 3)
        for (int32_t w = 1; w <= 12; w += 5) {
            csm_movements_opts mo = CSM_MOVEMENTS_OPTS_INIT;
            mo.first_month = M(end) - w + 1;
            mo.last_month = M(end);
            csm_movements *m = NULL;
            ck_assert_int_eq(csm_movements_compute(&m, l, &mo, NULL), CSM_OK);
            double ch = 0, op = 0, nc = 0, nm = 0;
            for (size_t i = 0; i < m->n_rows; i++) {
                ch += (double)m->churned_customers[i];
                op += (double)m->opening_customers[i];
                nc += (double)m->new_customers[i];
                nm += m->new_mrr[i];
            }
            csm_unit_economics *u = NULL;
            ck_assert_int_eq(csm_unit_economics_from_ledger(
                                 &u, l, 0.7, NULL, NULL, 0, &(csm_unit_economics_opts){sizeof(csm_unit_economics_opts), M(end), w, &o},
                                 NULL),
                             CSM_OK);
            ck_assert_double_eq((double)u->churned_customers[0], ch);
            ck_assert_double_eq((double)u->opening_customers[0], op);
            ck_assert_double_eq((double)u->new_customers[0], nc);
            ck_assert_double_eq_tol(u->new_mrr[0], nm, 1e-9 * (1 + nm));
            double arpa = m->arpa[m->n_rows - 1];
            ck_assert(isnan(arpa) == isnan(u->arpa[0]));
            if (!isnan(arpa))
                ck_assert_double_eq_tol(u->arpa[0], arpa, 1e-9 * arpa);
            if (op > 0)
                ck_assert_double_eq_tol(u->monthly_churn[0], ch / op, 1e-15);
            /* csm_ltv_from_ledger: the simple LTV of the movements
             * table's ARPA in the last month and pooled churn, or
             * CSM_EDOMAIN when either is undefined */
            csm_ltv_result r, want;
            csm_ltv_opts ow = o;
            ow.month = M(end);
            ow.window = (int32_t)w;
            csm_status st = csm_ltv_from_ledger(&r, l, 0.7, &ow, NULL);
            if (op > 0 && !isnan(arpa)) {
                ck_assert_int_eq(st, CSM_OK);
                ck_assert_int_eq(csm_ltv_simple(&want, arpa, 0.7, ch / op, &o,
                                                NULL),
                                 CSM_OK);
                ck_assert_double_eq_tol(r.ltv, want.ltv,
                                        1e-12 * (1 + want.ltv));
                ck_assert_double_eq_tol(r.churn_used, want.churn_used, 1e-15);
                ck_assert_uint_eq(r.flags, want.flags);
            } else {
                ck_assert_int_eq(st, CSM_EDOMAIN);
            }
            csm_unit_economics_free(u);
            csm_movements_free(m);
        }
    csm_ledger_free(l);
}
END_TEST

/* The ledger and the table through one failing allocator (the result is
 * allocated from the ledger's). */
static csm_status build_unit_economics(csm_result **r, const csm_allocator *al) {
    *r = NULL;
    csm_ledger *l = fx_ledger(al);
    if (!l)
        return CSM_ENOMEM;
    csm_unit_economics *u = (csm_unit_economics *)l; /* must be overwritten */
    csm_status st =
        csm_unit_economics_from_ledger(&u, l, 0.8, NULL, NULL, 0, &(csm_unit_economics_opts){sizeof(csm_unit_economics_opts), M(5), 5,
                                       NULL}, NULL);
    csm_ledger_free(l);
    if (st != CSM_OK)
        ck_assert_ptr_null(u);
    *r = st == CSM_OK ? u->result : NULL;
    return st;
}

START_TEST(test_unit_economics_oom) { check_oom(build_unit_economics); }
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
    tcase_add_test(tc, test_ltv_overflow);
    suite_add_tcase(s, tc);
    tc = tcase_create("tables");
    tcase_add_test(tc, test_ltv_table);
    tcase_add_test(tc, test_metric_table);
    tcase_add_test(tc, test_tables_empty_and_errors);
    tcase_add_test(tc, test_tables_oom);
    suite_add_tcase(s, tc);
    tc = tcase_create("csm_unit_economics_from_ledger");
    tcase_add_test(tc, test_unit_economics);
    tcase_add_test(tc, test_unit_economics_errors);
    tcase_add_loop_test(tc, test_unit_economics_vs_movements, 0, 4);
    tcase_add_test(tc, test_unit_economics_oom);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
