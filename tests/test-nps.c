/* test-nps.c - NPS, comparison, CSAT and CES.
 *
 * Expected values are worked out by hand in the comments; z = 1.959963985
 * (the 97.5% standard normal quantile, from any table) and the square
 * roots, products and erfc values were evaluated with a pocket calculator
 * (Python's math module), not with the code under test. */
#include <check.h>
#include <math.h>
#include <stdlib.h>

#include "csmetrics/csmetrics.h"

#define TOL 1e-9

/* 45 promoters (9-10), 30 passives (7-8), 25 detractors (0-6) */
static void survey(int8_t *s) {
    for (int i = 0; i < 100; i++)
        s[i] = (int8_t)(i < 45 ? 9 + i % 2 : i < 75 ? 7 + i % 2 : i % 7);
}

START_TEST(test_nps_issue_example) {
    /* NPS = 100 x (0.45 - 0.25) = 20.0
     * SE  = 100 x sqrt((0.45 + 0.25 - 0.2^2)/100) = 100 x sqrt(0.0066)
     *     = 8.124038404635959 (8.124 to 3 dp)
     * 95% CI = 20 -/+ 1.959963985 x 8.124038405 = [4.077177318, 35.922822682] */
    int8_t s[100];
    survey(s);
    csm_nps_result r;
    csm_error e;
    ck_assert_int_eq(csm_nps(&r, s, 100, NULL, &e), CSM_OK);
    ck_assert_double_eq_tol(r.nps, 20.0, TOL);
    ck_assert_double_eq_tol(r.se, 8.124, 5e-4);
    ck_assert_double_eq_tol(r.se, 8.124038404635959, 1e-9);
    ck_assert_double_eq_tol(r.ci_low, 4.077177317893286, 1e-8);
    ck_assert_double_eq_tol(r.ci_high, 35.92282268210671, 1e-8);
    ck_assert_double_eq_tol(r.promoters, 0.45, TOL);
    ck_assert_double_eq_tol(r.passives, 0.30, TOL);
    ck_assert_double_eq_tol(r.detractors, 0.25, TOL);
    ck_assert_double_eq_tol(r.n, 100, TOL);
    ck_assert_double_eq_tol(r.n_effective, 100, TOL);
    ck_assert_uint_eq(r.flags, 0);
}
END_TEST

START_TEST(test_nps_counts) {
    /* the counts form gives the same figures as the array form */
    csm_nps_result r;
    ck_assert_int_eq(csm_nps_counts(&r, 45, 30, 25, NULL, NULL), CSM_OK);
    ck_assert_double_eq_tol(r.nps, 20.0, TOL);
    ck_assert_double_eq_tol(r.se, 8.124038404635959, 1e-9);
    csm_error e;
    ck_assert_int_eq(csm_nps_counts(&r, -1, 30, 25, NULL, &e), CSM_EDOMAIN);
    ck_assert_str_eq(e.field, "promoters");
    ck_assert_int_eq(csm_nps_counts(&r, 1, NAN, 25, NULL, &e), CSM_EDOMAIN);
    ck_assert_str_eq(e.field, "passives");
}
END_TEST

START_TEST(test_nps_weighted) {
    /* scores 10, 9, 5, 8 weighted 2, 1, 1, 0: promoters 3, detractors 1,
     * passives 0 of total 4 -> p = 0.75, d = 0.25, NPS = 50.
     * n_eff = 4^2 / (4 + 1 + 1 + 0) = 8/3; var = 0.75 + 0.25 - 0.5^2 = 0.75
     * SE = 100 sqrt(0.75 / (8/3)) = 100 sqrt(0.28125) = 53.03300858899106
     * CI: 50 - 1.959964 x 53.033 = -53.9427868262258; the upper bound
     * 153.9 is clamped to 100. */
    const int8_t s[] = {10, 9, 5, 8};
    const double w[] = {2, 1, 1, 0};
    csm_nps_result r;
    ck_assert_int_eq(csm_nps_weighted(&r, s, w, 4, NULL, NULL), CSM_OK);
    ck_assert_double_eq_tol(r.nps, 50, TOL);
    ck_assert_double_eq_tol(r.n, 4, TOL);
    ck_assert_double_eq_tol(r.n_effective, 8.0 / 3, TOL);
    ck_assert_double_eq_tol(r.se, 53.03300858899106, 1e-9);
    ck_assert_double_eq_tol(r.ci_low, -53.9427868262258, 1e-8);
    ck_assert_double_eq_tol(r.ci_high, 100, TOL);
    ck_assert(r.flags & CSM_FLAG_CLAMPED);
    const double bad[] = {1, -2, 1, 1};
    csm_error e;
    ck_assert_int_eq(csm_nps_weighted(&r, s, bad, 4, NULL, &e), CSM_EDOMAIN);
    ck_assert_uint_eq(e.row, 1);
    ck_assert_str_eq(e.field, "weights");
}
END_TEST

START_TEST(test_nps_compare) {
    /* before 45/30/25 of 100 (NPS 20, SE 8.124038405); after 50/30/20 of
     * 100: NPS 30, SE = 100 sqrt(0.7 - 0.09)/10 = 7.810249676.
     * diff 10; SE = sqrt(0.0066 + 0.0061) x 100 = sqrt(127) = 11.26942767
     * z = 10 / 11.26942767 = 0.8873565094; p = erfc(z / sqrt 2) = 0.3748869905
     * CI = 10 -/+ 1.959964 x 11.269428 = [-12.08767236, 32.08767236] */
    csm_nps_result a, b;
    ck_assert_int_eq(csm_nps_counts(&a, 45, 30, 25, NULL, NULL), CSM_OK);
    ck_assert_int_eq(csm_nps_counts(&b, 50, 30, 20, NULL, NULL), CSM_OK);
    csm_nps_diff d;
    ck_assert_int_eq(csm_nps_compare(&d, &a, &b, 0.95, NULL), CSM_OK);
    ck_assert_double_eq_tol(d.diff, 10, TOL);
    ck_assert_double_eq_tol(d.se, 11.269427669584644, 1e-9);
    ck_assert_double_eq_tol(d.z, 0.8873565094161139, 1e-9);
    ck_assert_double_eq_tol(d.p_value, 0.37488699045279694, 1e-9);
    ck_assert_double_eq_tol(d.ci_low, -12.087672358765051, 1e-8);
    ck_assert_double_eq_tol(d.ci_high, 32.08767235876505, 1e-8);
    csm_error e;
    ck_assert_int_eq(csm_nps_compare(&d, &a, &b, 1.0, &e), CSM_EINVAL);
    ck_assert_int_eq(csm_nps_compare(&d, NULL, &b, 0.95, &e), CSM_EINVAL);
}
END_TEST

START_TEST(test_csat) {
    /* scores 5 4 3 5 2 4 4 1 5 3 on 1..5, top box >= 4: 6 of 10 -> 0.6;
     * SE = sqrt(0.6 x 0.4 / 10) = 0.15491933384829668;
     * Wilson 95%: centre (0.6 + z^2/20)/(1 + z^2/10), half-width
     * z sqrt(0.024 + z^2/400)/(1 + z^2/10) -> [0.31267377, 0.83181967] */
    const int8_t s[] = {5, 4, 3, 5, 2, 4, 4, 1, 5, 3};
    csm_csat_result r;
    ck_assert_int_eq(csm_csat(&r, s, 10, NULL, NULL), CSM_OK);
    ck_assert_double_eq_tol(r.csat, 0.6, TOL);
    ck_assert_double_eq_tol(r.satisfied, 6, TOL);
    ck_assert_double_eq_tol(r.se, 0.15491933384829668, 1e-12);
    ck_assert_double_eq_tol(r.ci_low, 0.3126737697336583, 1e-9);
    ck_assert_double_eq_tol(r.ci_high, 0.8318196702937637, 1e-9);
    /* top box 5 only: 3 of 10 */
    csm_csat_opts o = CSM_CSAT_OPTS_INIT;
    o.top_box_min = 5;
    ck_assert_int_eq(csm_csat(&r, s, 10, &o, NULL), CSM_OK);
    ck_assert_double_eq_tol(r.csat, 0.3, TOL);
    /* a 6 on a 1..5 scale names the row */
    const int8_t bad[] = {5, 6};
    csm_error e;
    ck_assert_int_eq(csm_csat(&r, bad, 2, NULL, &e), CSM_EDOMAIN);
    ck_assert_uint_eq(e.row, 1);
    o.top_box_min = 9;
    ck_assert_int_eq(csm_csat(&r, s, 10, &o, &e), CSM_EINVAL);
    ck_assert_str_eq(e.field, "opts.top_box_min");
}
END_TEST

START_TEST(test_ces) {
    /* scores 2 3 4 5 1: mean 3; deviations -1 0 1 2 -2, squares sum 10;
     * sd = sqrt(10/4) = 1.5811388300841898; se = sd/sqrt 5 = 0.7071067811865476;
     * 95% low = 3 - 1.959964 x 0.707107 = 1.6140961756503225 */
    const int8_t s[] = {2, 3, 4, 5, 1};
    csm_ces_result r;
    ck_assert_int_eq(csm_ces(&r, s, 5, NULL, NULL), CSM_OK);
    ck_assert_double_eq_tol(r.ces, 3, TOL);
    ck_assert_double_eq_tol(r.sd, 1.5811388300841898, 1e-12);
    ck_assert_double_eq_tol(r.se, 0.7071067811865476, 1e-12);
    ck_assert_double_eq_tol(r.ci_low, 1.6140961756503225, 1e-9);
    const int8_t one[] = {4};
    ck_assert_int_eq(csm_ces(&r, one, 1, NULL, NULL), CSM_OK);
    ck_assert_double_eq_tol(r.ces, 4, TOL);
    ck_assert(isnan(r.se));
    ck_assert(r.flags & CSM_FLAG_DEGENERATE);
    const int8_t bad[] = {3, 0};
    csm_error e;
    ck_assert_int_eq(csm_ces(&r, bad, 2, NULL, &e), CSM_EDOMAIN);
    ck_assert_uint_eq(e.row, 1);
}
END_TEST

START_TEST(test_edge) {
    csm_nps_result r;
    csm_error e;
    /* n = 0: NaN with a flag, not a crash */
    ck_assert_int_eq(csm_nps(&r, NULL, 0, NULL, &e), CSM_OK);
    ck_assert(isnan(r.nps) && isnan(r.se));
    ck_assert(r.flags & CSM_FLAG_EMPTY);
    csm_csat_result c;
    ck_assert_int_eq(csm_csat(&c, NULL, 0, NULL, NULL), CSM_OK);
    ck_assert(isnan(c.csat) && (c.flags & CSM_FLAG_EMPTY));
    csm_ces_result ce;
    ck_assert_int_eq(csm_ces(&ce, NULL, 0, NULL, NULL), CSM_OK);
    ck_assert(isnan(ce.ces) && (ce.flags & CSM_FLAG_EMPTY));
    /* comparison with an empty period */
    csm_nps_result a;
    ck_assert_int_eq(csm_nps_counts(&a, 1, 1, 1, NULL, NULL), CSM_OK);
    csm_nps_diff d;
    ck_assert_int_eq(csm_nps_compare(&d, &r, &a, 0.95, NULL), CSM_OK);
    ck_assert(isnan(d.diff) && (d.flags & CSM_FLAG_EMPTY));
    /* all promoters: NPS 100, SE 0, degenerate interval [100, 100] */
    const int8_t all[] = {9, 10, 10};
    ck_assert_int_eq(csm_nps(&r, all, 3, NULL, NULL), CSM_OK);
    ck_assert_double_eq_tol(r.nps, 100, TOL);
    ck_assert_double_eq_tol(r.se, 0, TOL);
    ck_assert_double_eq_tol(r.ci_low, 100, TOL);
    ck_assert(r.flags & CSM_FLAG_DEGENERATE);
    ck_assert_int_eq(csm_nps_compare(&d, &r, &r, 0.95, NULL), CSM_OK);
    ck_assert(isnan(d.z) && (d.flags & CSM_FLAG_DEGENERATE));
    /* every error path */
    const int8_t bad[] = {5, 9, 11};
    ck_assert_int_eq(csm_nps(&r, bad, 3, NULL, &e), CSM_EDOMAIN);
    ck_assert_uint_eq(e.row, 2);
    ck_assert_str_eq(e.field, "scores");
    ck_assert_str_eq(e.text, "EDOMAIN: row 2, field 'scores': an NPS score "
                             "must be an integer 0..10");
    const int8_t neg[] = {-1};
    ck_assert_int_eq(csm_nps(&r, neg, 1, NULL, &e), CSM_EDOMAIN);
    ck_assert_int_eq(csm_nps(NULL, all, 3, NULL, &e), CSM_EINVAL);
    ck_assert_int_eq(csm_nps(&r, NULL, 3, NULL, &e), CSM_EINVAL);
    csm_nps_opts o = CSM_NPS_OPTS_INIT;
    o.confidence = 1.5;
    ck_assert_int_eq(csm_nps(&r, all, 3, &o, &e), CSM_EINVAL);
    ck_assert_str_eq(e.field, "opts.confidence");
    o.confidence = NAN;
    ck_assert_int_eq(csm_nps(&r, all, 3, &o, &e), CSM_EINVAL);
    o.size = 0;
    ck_assert_int_eq(csm_nps(&r, all, 3, &o, &e), CSM_EINVAL);
    ck_assert_int_eq(csm_nps_opts_init(&o, sizeof o), CSM_OK);
    ck_assert_double_eq(o.confidence, 0.95);
    /* a 90% interval is narrower: z(0.95) = 1.644853627 */
    o.confidence = 0.90;
    int8_t s[100];
    survey(s);
    ck_assert_int_eq(csm_nps(&r, s, 100, &o, NULL), CSM_OK);
    ck_assert_double_eq_tol(r.ci_high - r.nps, 1.6448536269514722 * 8.124038404635959, 1e-8);
}
END_TEST

int main(void) {
    Suite *s = suite_create("nps");
    TCase *tc = tcase_create("csm_nps");
    tcase_add_test(tc, test_nps_issue_example);
    tcase_add_test(tc, test_nps_counts);
    tcase_add_test(tc, test_nps_weighted);
    suite_add_tcase(s, tc);
    tc = tcase_create("csm_nps_compare");
    tcase_add_test(tc, test_nps_compare);
    suite_add_tcase(s, tc);
    tc = tcase_create("csm_csat");
    tcase_add_test(tc, test_csat);
    suite_add_tcase(s, tc);
    tc = tcase_create("csm_ces");
    tcase_add_test(tc, test_ces);
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
