/* test-ltv.c - simple and seed LTV, CAC, LTV/CAC, payback.  Every expected
 * value is worked by hand in the comment beside it. */
#include <check.h>
#include <math.h>
#include <stdlib.h>

#include "csmetrics/csmetrics.h"

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
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
