/* test-activity.c - activity measures.
 *
 * Fixture (account, role, segment, cohort; licensed, activated, active
 * users, sessions, minutes, features used / available, DAU, MAU):
 *   r0: 1 owner    seg 1 c0:  10   8  6  60  600   5/20  3/6
 *   r1: 1 end user seg 1 c0:  40  20 14  70 1400  10/20  4/14
 *   r2: 2 end user seg 2 c1: 100  90 80 400 2000  15/20 40/80
 *   r3: 3 owner    seg 2 c1:   5   0  0   0    0   0/20  0/0
 * Account 1 sums: 50 28 20 130 2000 15/40 7/20 -> activation 0.56, login
 * 0.4, sessions/user 6.5, minutes/user 100, minutes/session 2000/130 =
 * 15.384615..., breadth 0.375, stickiness 0.35.
 * Account 2: 0.9, 0.8, 5, 25, 5, 0.75, 0.5.  Account 3: 0, 0, then 0/0.
 * Segment 2 (accounts 2, 3): sums 105 90 80 400 2000 15/40 40/80 ->
 * activation 90/105 = 0.857142857, login 80/105 = 0.761904762, breadth
 * 0.375; unweighted means over its accounts: activation (0.9 + 0)/2 =
 * 0.45, stickiness 0.5 (account 3 has MAU 0 and is skipped).
 * Owner role (r0, r3): activation 8/15; mean (8/10 + 0/5)/2 = 0.4. */
#include <check.h>
#include <math.h>
#include <stdlib.h>

#include "csmetrics/csmetrics.h"

#define TOL 1e-9
static const int64_t acc[] = {1, 1, 2, 3};
static const int32_t role[] = {CSM_ROLE_OWNER, CSM_ROLE_END_USER,
                               CSM_ROLE_END_USER, CSM_ROLE_OWNER};
static const int32_t seg[] = {1, 1, 2, 2};
static const int32_t coh[] = {24288, 24288, 24289, 24289};
static const double lic[] = {10, 40, 100, 5}, actv[] = {8, 20, 90, 0},
                    users[] = {6, 14, 80, 0}, sess[] = {60, 70, 400, 0},
                    mins[] = {600, 1400, 2000, 0}, fu[] = {5, 10, 15, 0},
                    fa[] = {20, 20, 20, 20}, dau[] = {3, 4, 40, 0},
                    mau[] = {6, 14, 80, 0};

static csm_activity_rows rows(void) {
    csm_activity_rows r = {acc, role, seg, coh, lic, actv, users, sess, mins,
                           fu,  fa,   dau, mau, 4};
    return r;
}
#define RATE(a, row, m) ((a)->rate[(row) * CSM_ACT_N + (m)])
#define MEAN(a, row, m) ((a)->mean[(row) * CSM_ACT_N + (m)])

START_TEST(test_by_account) {
    csm_activity_rows rw = rows();
    csm_activity *a = NULL;
    ck_assert_int_eq(csm_activity_compute(&a, &rw, NULL, NULL), CSM_OK);
    ck_assert_uint_eq(a->n_rows, 3);
    ck_assert_int_eq(a->key[0], 1);
    ck_assert_double_eq_tol(a->licensed_seats[0], 50, TOL);
    ck_assert_double_eq_tol(RATE(a, 0, CSM_ACT_ACTIVATION_RATE), 0.56, TOL);
    ck_assert_double_eq_tol(RATE(a, 0, CSM_ACT_LOGIN_RATE), 0.4, TOL);
    ck_assert_double_eq_tol(RATE(a, 0, CSM_ACT_SESSIONS_PER_USER), 6.5, TOL);
    ck_assert_double_eq_tol(RATE(a, 0, CSM_ACT_MINUTES_PER_USER), 100, TOL);
    ck_assert_double_eq_tol(RATE(a, 0, CSM_ACT_MINUTES_PER_SESSION), 2000.0 / 130, TOL);
    ck_assert_double_eq_tol(RATE(a, 0, CSM_ACT_FEATURE_BREADTH), 0.375, TOL);
    ck_assert_double_eq_tol(RATE(a, 0, CSM_ACT_STICKINESS), 0.35, TOL);
    ck_assert_double_eq_tol(MEAN(a, 0, CSM_ACT_STICKINESS), 0.35, TOL);
    ck_assert_double_eq_tol(RATE(a, 1, CSM_ACT_ACTIVATION_RATE), 0.9, TOL);
    ck_assert_double_eq_tol(RATE(a, 1, CSM_ACT_STICKINESS), 0.5, TOL);
    /* account 3: activation 0/5 = 0; sessions per user 0/0 = NaN + flag */
    ck_assert_double_eq_tol(RATE(a, 2, CSM_ACT_ACTIVATION_RATE), 0, TOL);
    ck_assert(isnan(RATE(a, 2, CSM_ACT_SESSIONS_PER_USER)));
    ck_assert(a->flags[2] & CSM_FLAG_ZERO_DENOMINATOR);
    csm_activity_free(a);
}
END_TEST

START_TEST(test_rollups) {
    csm_activity_rows rw = rows();
    csm_activity *a = NULL;
    csm_activity_opts o = CSM_ACTIVITY_OPTS_INIT;
    o.group_by = CSM_ACTIVITY_BY_SEGMENT;
    ck_assert_int_eq(csm_activity_compute(&a, &rw, &o, NULL), CSM_OK);
    ck_assert_uint_eq(a->n_rows, 2);
    ck_assert_int_eq(a->key[1], 2);
    ck_assert_int_eq(a->n_accounts[1], 2);
    ck_assert_double_eq_tol(RATE(a, 1, CSM_ACT_ACTIVATION_RATE), 90.0 / 105, TOL);
    ck_assert_double_eq_tol(RATE(a, 1, CSM_ACT_LOGIN_RATE), 80.0 / 105, TOL);
    ck_assert_double_eq_tol(RATE(a, 1, CSM_ACT_FEATURE_BREADTH), 0.375, TOL);
    ck_assert_double_eq_tol(MEAN(a, 1, CSM_ACT_ACTIVATION_RATE), 0.45, TOL);
    ck_assert_double_eq_tol(MEAN(a, 1, CSM_ACT_STICKINESS), 0.5, TOL);
    ck_assert_double_eq_tol(MEAN(a, 1, CSM_ACT_SESSIONS_PER_USER), 5, TOL);
    csm_activity_free(a);
    o.group_by = CSM_ACTIVITY_BY_ROLE;
    ck_assert_int_eq(csm_activity_compute(&a, &rw, &o, NULL), CSM_OK);
    ck_assert_uint_eq(a->n_rows, 2);
    ck_assert_int_eq(a->key[0], CSM_ROLE_OWNER);
    ck_assert_double_eq_tol(RATE(a, 0, CSM_ACT_ACTIVATION_RATE), 8.0 / 15, TOL);
    ck_assert_double_eq_tol(MEAN(a, 0, CSM_ACT_ACTIVATION_RATE), 0.4, TOL);
    ck_assert_double_eq_tol(RATE(a, 1, CSM_ACT_ACTIVATION_RATE), 110.0 / 140, TOL);
    csm_activity_free(a);
    o.group_by = CSM_ACTIVITY_BY_COHORT;
    ck_assert_int_eq(csm_activity_compute(&a, &rw, &o, NULL), CSM_OK);
    ck_assert_uint_eq(a->n_rows, 2);
    ck_assert_int_eq(a->key[0], 24288);
    ck_assert_double_eq_tol(RATE(a, 0, CSM_ACT_ACTIVATION_RATE), 0.56, TOL);
    csm_activity_free(a);
    /* everything: 155 licensed, 118 activated */
    o.group_by = CSM_ACTIVITY_ALL;
    ck_assert_int_eq(csm_activity_compute(&a, &rw, &o, NULL), CSM_OK);
    ck_assert_uint_eq(a->n_rows, 1);
    ck_assert_int_eq(a->n_accounts[0], 3);
    ck_assert_double_eq_tol(RATE(a, 0, CSM_ACT_ACTIVATION_RATE), 118.0 / 155, TOL);
    csm_activity_free(a);
}
END_TEST

START_TEST(test_errors_and_clamp) {
    csm_activity_rows rw = rows();
    const double bad_act[] = {8, 50, 90, 0}; /* 50 activated of 40 licensed */
    rw.activated_seats = bad_act;
    csm_activity *a = NULL;
    csm_error e;
    ck_assert_int_eq(csm_activity_compute(&a, &rw, NULL, &e), CSM_EDOMAIN);
    ck_assert_uint_eq(e.row, 1);
    ck_assert_str_eq(e.field, "activated_seats");
    /* with clamp: account 1 = 58 of 50 -> 1, flagged */
    csm_activity_opts o = CSM_ACTIVITY_OPTS_INIT;
    o.clamp = 1;
    ck_assert_int_eq(csm_activity_compute(&a, &rw, &o, &e), CSM_OK);
    ck_assert_double_eq_tol(RATE(a, 0, CSM_ACT_ACTIVATION_RATE), 1.0, TOL);
    ck_assert(a->flags[0] & CSM_FLAG_CLAMPED);
    csm_activity_free(a);
    rw = rows();
    const double neg[] = {10, -1, 100, 5};
    rw.licensed_seats = neg;
    ck_assert_int_eq(csm_activity_compute(&a, &rw, NULL, &e), CSM_EDOMAIN);
    ck_assert_str_eq(e.field, "licensed_seats");
    rw = rows();
    rw.account_id = NULL;
    ck_assert_int_eq(csm_activity_compute(&a, &rw, NULL, &e), CSM_EINVAL);
    rw = rows();
    o = (csm_activity_opts)CSM_ACTIVITY_OPTS_INIT;
    o.group_by = 9;
    ck_assert_int_eq(csm_activity_compute(&a, &rw, &o, &e), CSM_EINVAL);
    ck_assert_int_eq(csm_activity_compute(&a, NULL, NULL, &e), CSM_EINVAL);
    ck_assert_ptr_null(a);
}
END_TEST

START_TEST(test_edge) {
    csm_activity_rows rw = {NULL, NULL, NULL, NULL, NULL, NULL, NULL,
                            NULL, NULL, NULL, NULL, NULL, NULL, 0};
    csm_activity *a = NULL;
    ck_assert_int_eq(csm_activity_compute(&a, &rw, NULL, NULL), CSM_OK);
    ck_assert_uint_eq(a->n_rows, 0);
    csm_activity_free(a);
    csm_activity_opts o = CSM_ACTIVITY_OPTS_INIT;
    o.group_by = CSM_ACTIVITY_ALL;
    ck_assert_int_eq(csm_activity_compute(&a, &rw, &o, NULL), CSM_OK);
    ck_assert_uint_eq(a->n_rows, 1);
    ck_assert(a->flags[0] & CSM_FLAG_EMPTY);
    ck_assert(isnan(RATE(a, 0, CSM_ACT_LOGIN_RATE)));
    csm_activity_free(a);
    /* a missing column: its measures are NaN, the others computed */
    csm_activity_rows r2 = rows();
    r2.dau = NULL;
    ck_assert_int_eq(csm_activity_compute(&a, &r2, NULL, NULL), CSM_OK);
    ck_assert(isnan(RATE(a, 0, CSM_ACT_STICKINESS)));
    ck_assert(isnan(a->dau[0]));
    ck_assert_double_eq_tol(RATE(a, 0, CSM_ACT_ACTIVATION_RATE), 0.56, TOL);
    csm_activity_free(a);
}
END_TEST

int main(void) {
    Suite *s = suite_create("activity");
    TCase *tc = tcase_create("csm_activity_compute");
    tcase_add_test(tc, test_by_account);
    tcase_add_test(tc, test_rollups);
    tcase_add_test(tc, test_errors_and_clamp);
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
