/* test-team.c - accounts and ARR per owner (CSM).
 *
 * Fixture, month M0 = 2024-01 (customer: MRR, owner):
 *   1: 100, owner 7    2: 200, owner 7 (at risk)   3: 300, owner 9 (at risk)
 *   4: 400, no owner   5: only active in M1 (300, owner 9)
 * At M0: no owner -> 1 account, 400; owner 7 -> 2 accounts, 300 (150 per
 * account), 1 at risk with 200; owner 9 -> 1 account, 300, 1 at risk 300.
 * Total 1000: shares 0.4, 0.3, 0.3.  CSMs: 7 and 9 -> 2; owned accounts 3
 * -> 1.5 per CSM; owned ARR 12 x 600 = 7200 -> 3600 per CSM. */
#include <check.h>
#include <math.h>
#include <stdlib.h>

#include "csmetrics/csmetrics.h"

#define M0 (csm_month(2024, 1))
#define TOL 1e-9

static csm_ledger *fixture(void) {
    const int64_t c[] = {1, 2, 3, 4, 5};
    const int32_t p[] = {M0, M0, M0, M0, M0 + 1};
    const double v[] = {100, 200, 300, 400, 300};
    csm_ledger *l = NULL;
    ck_assert_int_eq(csm_ledger_new(&l, c, p, v, NULL, 5, NULL, NULL), CSM_OK);
    return l;
}

static const int64_t oc[] = {3, 1, 2, 5};
static const int32_t ow[] = {9, 7, 7, 9};
static const int64_t risk[] = {3, 99, 2};

START_TEST(test_team_fixture) {
    csm_ledger *l = fixture();
    csm_team_opts o = CSM_TEAM_OPTS_INIT;
    o.month = M0;
    csm_team *t = NULL;
    ck_assert_int_eq(csm_team_compute(&t, l, oc, ow, 4, risk, 3, &o, NULL),
                     CSM_OK);
    ck_assert_uint_eq(t->n_rows, 3);
    ck_assert_int_eq(t->owner[0], CSM_OWNER_NONE);
    ck_assert_int_eq(t->accounts[0], 1);
    ck_assert_double_eq_tol(t->mrr[0], 400, TOL);
    ck_assert_int_eq(t->owner[1], 7);
    ck_assert_int_eq(t->accounts[1], 2);
    ck_assert_double_eq_tol(t->mrr[1], 300, TOL);
    ck_assert_double_eq_tol(t->arr[1], 3600, TOL);
    ck_assert_double_eq_tol(t->mrr_per_account[1], 150, TOL);
    ck_assert_int_eq(t->at_risk_accounts[1], 1);
    ck_assert_double_eq_tol(t->at_risk_mrr[1], 200, TOL);
    ck_assert_int_eq(t->owner[2], 9);
    ck_assert_int_eq(t->at_risk_accounts[2], 1);
    ck_assert_double_eq_tol(t->share_of_mrr[0], 0.4, TOL);
    ck_assert_double_eq_tol(t->share_of_mrr[2], 0.3, TOL);
    ck_assert_uint_eq(t->n_csm, 2);
    ck_assert_double_eq_tol(t->accounts_per_csm, 1.5, TOL);
    ck_assert_double_eq_tol(t->arr_per_csm, 3600, TOL);
    csm_team_free(t);
    /* default month = the ledger's last (M1): only customer 5, owner 9 */
    ck_assert_int_eq(csm_team_compute(&t, l, oc, ow, 4, NULL, 0, NULL, NULL),
                     CSM_OK);
    ck_assert_uint_eq(t->n_rows, 1);
    ck_assert_int_eq(t->owner[0], 9);
    ck_assert_double_eq_tol(t->arr_per_csm, 3600, TOL);
    csm_team_free(t);
    csm_ledger_free(l);
}
END_TEST

START_TEST(test_team_edge) {
    csm_ledger *l = fixture();
    csm_team *t = NULL;
    csm_error e;
    /* no owners at all: everyone unassigned, no CSM -> NaN per CSM */
    csm_team_opts o = CSM_TEAM_OPTS_INIT;
    o.month = M0;
    ck_assert_int_eq(csm_team_compute(&t, l, NULL, NULL, 0, NULL, 0, &o, &e),
                     CSM_OK);
    ck_assert_uint_eq(t->n_rows, 1);
    ck_assert_uint_eq(t->n_csm, 0);
    ck_assert(isnan(t->arr_per_csm));
    ck_assert(t->team_flags & CSM_FLAG_ZERO_DENOMINATOR);
    csm_team_free(t);
    /* a month with no activity: no rows */
    o.month = M0 + 5;
    ck_assert_int_eq(csm_team_compute(&t, l, oc, ow, 4, NULL, 0, &o, &e),
                     CSM_OK);
    ck_assert_uint_eq(t->n_rows, 0);
    csm_team_free(t);
    /* errors */
    const int64_t dup[] = {1, 1};
    ck_assert_int_eq(csm_team_compute(&t, l, dup, ow, 2, NULL, 0, NULL, &e),
                     CSM_EDUP);
    ck_assert_uint_eq(e.row, 1);
    ck_assert_int_eq(csm_team_compute(&t, l, NULL, ow, 2, NULL, 0, NULL, &e),
                     CSM_EINVAL);
    ck_assert_int_eq(csm_team_compute(&t, NULL, oc, ow, 4, NULL, 0, NULL, &e),
                     CSM_EINVAL);
    ck_assert_ptr_null(t);
    csm_team_free(NULL);
    csm_ledger_free(l);
}
END_TEST

int main(void) {
    Suite *s = suite_create("team");
    TCase *tc = tcase_create("csm_team_compute");
    tcase_add_test(tc, test_team_fixture);
    suite_add_tcase(s, tc);
    tc = tcase_create("edge");
    tcase_add_test(tc, test_team_edge);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
