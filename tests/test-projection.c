/* test-projection.c - churn scenarios: the loop, the closed form and the
 * steady state.  Expected values worked out by hand (calculator). */
#include <check.h>
#include <math.h>
#include <stdlib.h>

#include "csmetrics/csmetrics.h"

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
    ck_assert_int_eq(csm_project_mrr(t, 3, 2, 1000, churn, exp_, nm, NULL),
                     CSM_OK);
    ck_assert_double_eq_tol(t[0], 1000, TOL);
    ck_assert_double_eq_tol(t[2], 1020, TOL);
    ck_assert_double_eq_tol(t[4], 1038.4, TOL);
    ck_assert_double_eq_tol(t[6], 1055.328, TOL);
    ck_assert_double_eq_tol(t[7], 1000, TOL);
    /* closed form: 1000 x 0.92^3 + 100 (1 - 0.92^3)/0.08
     *   = 778.688 + 276.64 = 1055.328 */
    ck_assert_double_eq_tol(csm_project_mrr_closed(1000, 0.1, 0.02, 100, 3),
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
    ck_assert_int_eq(csm_project_mrr(t, 24, 4, 100000, churn, NULL, NULL, NULL),
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
    ck_assert_int_eq(csm_project_mrr(t, 36, 8, 250000, c, x, n, NULL), CSM_OK);
    for (int m = 0; m <= 36; m++)
        for (int s = 0; s < 8; s++) {
            double want = csm_project_mrr_closed(250000, c[s], x[s], n[s], m);
            ck_assert(fabs(t[m * 8 + s] - want) <= 1e-9 * fabs(want));
        }
}
END_TEST

START_TEST(test_steady_state) {
    /* N / (c - e) = 100 / (0.10 - 0.02) = 1250 */
    csm_metric m;
    ck_assert_int_eq(csm_project_steady_state(&m, 0.1, 0.02, 100, NULL), CSM_OK);
    ck_assert_double_eq_tol(m.value, 1250, TOL);
    ck_assert_int_eq(csm_project_steady_state(&m, 0.02, 0.02, 100, NULL), CSM_OK);
    ck_assert(isnan(m.value) && (m.flags & CSM_FLAG_ZERO_DENOMINATOR));
}
END_TEST

START_TEST(test_edge) {
    double t[4];
    const double c[] = {0.1};
    csm_error e;
    /* months = 0 fills row 0; n_scenarios = 0 fills nothing */
    ck_assert_int_eq(csm_project_mrr(t, 0, 1, 5, c, NULL, NULL, &e), CSM_OK);
    ck_assert_double_eq(t[0], 5);
    ck_assert_int_eq(csm_project_mrr(NULL, 10, 0, 5, NULL, NULL, NULL, &e),
                     CSM_OK);
    const double bad[] = {1.5};
    ck_assert_int_eq(csm_project_mrr(t, 2, 1, 5, bad, NULL, NULL, &e),
                     CSM_EDOMAIN);
    ck_assert_uint_eq(e.row, 0);
    ck_assert_str_eq(e.field, "churn");
    const double neg[] = {-3};
    ck_assert_int_eq(csm_project_mrr(t, 2, 1, 5, c, neg, NULL, &e), CSM_EDOMAIN);
    ck_assert_str_eq(e.field, "expansion");
    ck_assert_int_eq(csm_project_mrr(t, 2, 1, 5, c, NULL, neg, &e), CSM_EDOMAIN);
    ck_assert_str_eq(e.field, "new_mrr");
    ck_assert_int_eq(csm_project_mrr(t, 2, 1, NAN, c, NULL, NULL, &e),
                     CSM_EDOMAIN);
    ck_assert_str_eq(e.field, "start_mrr");
    ck_assert_int_eq(csm_project_mrr(NULL, 2, 1, 5, c, NULL, NULL, &e),
                     CSM_EINVAL);
    ck_assert_int_eq(csm_project_mrr(t, SIZE_MAX / 2, 4, 5, c, NULL, NULL, &e),
                     CSM_ERANGE);
    ck_assert(isnan(csm_project_mrr_closed(1, 2, 0, 0, 1)));
    ck_assert(isnan(csm_project_mrr_closed(1, 0.1, 0, 0, -1)));
    csm_metric m;
    ck_assert_int_eq(csm_project_steady_state(&m, -0.1, 0, 1, &e), CSM_EDOMAIN);
}
END_TEST

int main(void) {
    Suite *s = suite_create("projection");
    TCase *tc = tcase_create("csm_project_mrr");
    tcase_add_test(tc, test_hand_table);
    tcase_add_test(tc, test_seed_24_months);
    tcase_add_loop_test(tc, test_loop_matches_closed_form, 0, 5);
    suite_add_tcase(s, tc);
    tc = tcase_create("csm_project_steady_state");
    tcase_add_test(tc, test_steady_state);
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
