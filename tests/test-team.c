/* test-team.c - accounts and ARR per owner (CSM).
 *
 * Fixture, month M0 = 2024-01 (customer: MRR, owner):
 *   1: 100, owner 7    2: 200, owner 7 (at risk)   3: 300, owner 9 (at risk)
 *   4: 400, no owner   5: only active in M1 (300, owner 9)
 * At M0: no owner -> 1 account, 400; owner 7 -> 2 accounts, 300 (150 per
 * account), 1 at risk with 200; owner 9 -> 1 account, 300, 1 at risk 300.
 * Total 1000: shares 0.4, 0.3, 0.3.  CSMs: 7 and 9 -> 2; owned accounts 3
 * -> 1.5 per CSM; owned ARR 12 x 600 = 7200 -> 3600 per CSM.
 * MRR per account: 400 / 1 = 400, 300 / 2 = 150, 300 / 1 = 300.
 * "team_summary" at M0: month 2024-01 (Arrow date32 19723, 2024-01-01 in
 * test-table.c), n_csm 2, 1.5 accounts and 3600 ARR per CSM, owned
 * accounts 3, owned ARR 7200, no flags. */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "csmetrics/csmetrics.h"
#include "oom.h"
#include "tables.h"

#define M0 (csm_month(2024, 1))
#define TOL 1e-9

static csm_ledger *fixture_alloc(const csm_allocator *a) {
    const int64_t c[] = {1, 2, 3, 4, 5};
    const int32_t p[] = {M0, M0, M0, M0, M0 + 1};
    const double v[] = {100, 200, 300, 400, 300};
    csm_ledger_opts lo = CSM_LEDGER_OPTS_INIT;
    lo.allocator = a;
    csm_ledger *l = NULL;
    ck_assert_int_eq(csm_ledger_new(&l, c, p, v, NULL, 5, &lo, NULL), CSM_OK);
    return l;
}

static csm_ledger *fixture(void) { return fixture_alloc(NULL); }



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
    ck_assert_int_eq(t->owner[0], CSM_TEAM_OWNER_NONE);
    /* the unassigned row's label: the owner column's own null label */
    const csm_table *tt = csm_result_find(t->result, "team");
    ck_assert_str_eq(csm_table_find(tt, "owner")->null_label, "unassigned");
    ck_assert_ptr_null(csm_table_find(tt, "mrr")->null_label);
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

/* An at-risk id given several times counts once, and ids of customers
 * without an entry in the month (99) or in no ledger row count nowhere:
 * at M0, risk {2, 3, 2, 3, 3, 99} gives owner 7 one account at risk (2:
 * 200) and owner 9 one (3: 300), as the ids {2, 3} do (test above). */
START_TEST(test_team_repeated_risk_ids) {
    csm_ledger *l = fixture();
    csm_team_opts o = CSM_TEAM_OPTS_INIT;
    o.month = M0;
    const int64_t rep[] = {2, 3, 2, 3, 3, 99};
    csm_team *t = NULL;
    ck_assert_int_eq(csm_team_compute(&t, l, oc, ow, 4, rep, 6, &o, NULL),
                     CSM_OK);
    ck_assert_uint_eq(t->n_rows, 3);
    ck_assert_int_eq(t->at_risk_accounts[0], 0); /* no owner: 4, not at risk */
    ck_assert_double_eq_tol(t->at_risk_mrr[0], 0, TOL);
    ck_assert_int_eq(t->at_risk_accounts[1], 1);
    ck_assert_double_eq_tol(t->at_risk_mrr[1], 200, TOL);
    ck_assert_int_eq(t->at_risk_accounts[2], 1);
    ck_assert_double_eq_tol(t->at_risk_mrr[2], 300, TOL);
    csm_team_free(t);
    csm_ledger_free(l);
}
END_TEST

START_TEST(test_team_tables) {
    csm_ledger *l = fixture();
    csm_team_opts o = CSM_TEAM_OPTS_INIT;
    o.month = M0;
    csm_team *t = NULL;
    ck_assert_int_eq(csm_team_compute(&t, l, oc, ow, 4, risk, 3, &o, NULL),
                     CSM_OK);
    ck_assert_str_eq(csm_result_kind(t->result), "team");
    ck_assert_ptr_eq(csm_result_view(t->result), t);
    ck_assert_uint_eq(csm_result_n_tables(t->result), 2);
    const csm_table *tt = csm_result_table(t->result, 0);
    const csm_table *ts = csm_result_table(t->result, 1);
    ck_assert_str_eq(tt->name, "team");
    ck_assert_str_eq(ts->name, "team_summary");
    ck_assert_ptr_eq(csm_result_find(t->result, "team_summary"), ts);
    ck_assert_uint_eq(tt->n_rows, 3);
    ck_assert_uint_eq(tt->n_columns, 9);
    ck_assert_uint_eq(ts->n_rows, 1);
    ck_assert_uint_eq(ts->n_columns, 7);
    check_columns_sane(tt);
    check_columns_sane(ts);
    const csm_column *own = &tt->columns[0];
    ck_assert_str_eq(own->name, "owner");
    ck_assert_int_eq(own->type, CSM_TYPE_CODE);
    ck_assert_int_eq(own->role, CSM_ROLE_KEY);
    ck_assert_ptr_eq(own->data, t->owner);
    ck_assert_ptr_eq(csm_table_find(tt, "accounts")->data, t->accounts);
    ck_assert_ptr_eq(csm_table_find(tt, "at_risk_accounts")->data,
                     t->at_risk_accounts);
    ck_assert_ptr_eq(csm_table_find(tt, "mrr")->data, t->mrr);
    ck_assert_ptr_eq(csm_table_find(tt, "arr")->data, t->arr);
    ck_assert_ptr_eq(csm_table_find(tt, "at_risk_mrr")->data, t->at_risk_mrr);
    ck_assert_ptr_eq(csm_table_find(tt, "mrr_per_account")->data,
                     t->mrr_per_account);
    ck_assert_ptr_eq(csm_table_find(tt, "share_of_mrr")->data, t->share_of_mrr);
    ck_assert_ptr_eq(csm_table_find(tt, "flags")->data, t->flags);
    ck_assert_int_eq(csm_table_find(tt, "share_of_mrr")->type, CSM_TYPE_FRACTION);
    ck_assert_int_eq(csm_table_find(tt, "arr")->role, CSM_ROLE_MAIN);
    ck_assert_int_eq(csm_table_find(tt, "mrr_per_account")->role, CSM_ROLE_DETAIL);
    /* the unassigned row's owner is undefined (null); the others are set */
    ck_assert_int_eq(csm_column_is_valid(own, 0), 0);
    ck_assert_int_eq(csm_column_int64(own, 1), 7);
    ck_assert_double_eq_tol(t->mrr_per_account[0], 400, TOL);
    ck_assert_double_eq_tol(t->mrr_per_account[2], 300, TOL);
    ck_assert_double_eq_tol(t->share_of_mrr[1], 0.3, TOL);
    ck_assert_double_eq_tol(t->at_risk_mrr[2], 300, TOL);
    /* the summary row, and the scalar members that mirror it */
    const csm_column *mo = &ts->columns[0];
    ck_assert_str_eq(mo->name, "month");
    ck_assert_int_eq(mo->type, CSM_TYPE_MONTH);
    ck_assert_int_eq(mo->role, CSM_ROLE_KEY);
    ck_assert_ptr_eq(mo->data, t->summary_month);
    ck_assert_int_eq(t->summary_month[0], M0);
    ck_assert_int_eq(t->month, M0);
    ck_assert_int_eq(csm_column_int64(csm_table_find(ts, "n_csm"), 0), 2);
    ck_assert_ptr_eq(csm_table_find(ts, "n_csm")->data, t->summary_n_csm);
    ck_assert_double_eq_tol(t->summary_accounts_per_csm[0], 1.5, TOL);
    ck_assert_double_eq_tol(t->summary_arr_per_csm[0], 3600, TOL);
    ck_assert_int_eq(t->summary_owned_accounts[0], 3);
    ck_assert_double_eq_tol(t->summary_owned_arr[0], 7200, TOL);
    ck_assert_uint_eq(t->summary_flags[0], 0);
    ck_assert_uint_eq(t->team_flags, 0);
    ck_assert_int_eq(csm_table_find(ts, "arr_per_csm")->role, CSM_ROLE_MAIN);
    ck_assert_int_eq(csm_table_find(ts, "owned_arr")->role, CSM_ROLE_DETAIL);
    csm_team_free(t);
    csm_ledger_free(l);
}
END_TEST

START_TEST(test_team_arrow) {
    csm_ledger *l = fixture();
    csm_team_opts o = CSM_TEAM_OPTS_INIT;
    o.month = M0;
    csm_team *t = NULL;
    ck_assert_int_eq(csm_team_compute(&t, l, oc, ow, 4, risk, 3, &o, NULL),
                     CSM_OK);
    struct ArrowSchema s;
    struct ArrowArray a;
    ck_assert_int_eq(csm_table_export_arrow(&s, &a, t->result,
                                            csm_result_table(t->result, 0), NULL),
                     CSM_OK);
    ck_assert_str_eq(s.name, "team");
    ck_assert_int_eq(s.n_children, 9);
    ck_assert_int_eq(a.length, 3);
    /* owner: null for the unassigned row, 7 and 9 after it */
    ck_assert_str_eq(s.children[0]->name, "owner");
    ck_assert_str_eq(s.children[0]->format, "i");
    ck_assert_int_eq(a.children[0]->null_count, 1);
    ck_assert(!arrow_bit(a.children[0]->buffers[0], 0));
    ck_assert(arrow_bit(a.children[0]->buffers[0], 1));
    ck_assert_int_eq(((const int32_t *)a.children[0]->buffers[1])[2], 9);
    ck_assert_str_eq(s.children[1]->name, "accounts");
    ck_assert_int_eq(((const int64_t *)a.children[1]->buffers[1])[1], 2);
    ck_assert_str_eq(s.children[3]->name, "arr");
    ck_assert_double_eq_tol(((const double *)a.children[3]->buffers[1])[1], 3600,
                            TOL);
    ck_assert_int_eq(a.children[3]->null_count, 0);
    a.release(&a);
    s.release(&s);
    /* the summary: month 2024-01 -> date32 19723; the caller frees first */
    ck_assert_int_eq(csm_table_export_arrow(&s, &a, t->result,
                                            csm_result_table(t->result, 1), NULL),
                     CSM_OK);
    csm_team_free(t);
    csm_ledger_free(l);
    ck_assert_str_eq(s.name, "team_summary");
    ck_assert_int_eq(a.length, 1);
    ck_assert_str_eq(s.children[0]->format, "tdD");
    ck_assert_int_eq(((const int32_t *)a.children[0]->buffers[1])[0], 19723);
    ck_assert_str_eq(s.children[1]->name, "n_csm");
    ck_assert_str_eq(s.children[1]->format, "l");
    ck_assert_int_eq(((const int64_t *)a.children[1]->buffers[1])[0], 2);
    ck_assert_str_eq(s.children[3]->name, "arr_per_csm");
    ck_assert_double_eq_tol(((const double *)a.children[3]->buffers[1])[0], 3600,
                            TOL);
    ck_assert_int_eq(a.children[3]->null_count, 0);
    a.release(&a);
    s.release(&s);
    /* no CSM at all: the per-CSM figures are null */
    l = fixture();
    ck_assert_int_eq(csm_team_compute(&t, l, NULL, NULL, 0, NULL, 0, &o, NULL),
                     CSM_OK);
    ck_assert_int_eq(csm_table_export_arrow(NULL, &a, t->result,
                                            csm_result_table(t->result, 1), NULL),
                     CSM_OK);
    ck_assert_int_eq(a.children[2]->null_count, 1); /* accounts_per_csm */
    ck_assert_int_eq(a.children[3]->null_count, 1); /* arr_per_csm */
    ck_assert_int_eq(a.children[0]->null_count, 0);
    ck_assert_uint_eq(((const uint32_t *)a.children[6]->buffers[1])[0],
                      CSM_FLAG_ZERO_DENOMINATOR);
    a.release(&a);
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
    ck_assert_int_eq(t->summary_n_csm[0], 0);
    ck_assert_int_eq(t->summary_owned_accounts[0], 0);
    ck_assert(isnan(t->summary_arr_per_csm[0]));
    ck_assert(t->summary_flags[0] & CSM_FLAG_ZERO_DENOMINATOR);
    csm_team_free(t);
    /* a month with no activity: no rows */
    o.month = M0 + 5;
    ck_assert_int_eq(csm_team_compute(&t, l, oc, ow, 4, NULL, 0, &o, &e),
                     CSM_OK);
    ck_assert_uint_eq(t->n_rows, 0);
    ck_assert_uint_eq(csm_result_table(t->result, 0)->n_rows, 0);
    ck_assert_uint_eq(csm_result_table(t->result, 1)->n_rows, 1);
    ck_assert_int_eq(t->summary_month[0], M0 + 5);
    ck_assert_int_eq(t->summary_n_csm[0], 0);
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
    /* an empty ledger and no month: the summary's month is undefined */
    ck_assert_int_eq(csm_ledger_new(&l, NULL, NULL, NULL, NULL, 0, NULL, NULL),
                     CSM_OK);
    ck_assert_int_eq(csm_team_compute(&t, l, NULL, NULL, 0, NULL, 0, NULL, &e),
                     CSM_OK);
    ck_assert_uint_eq(t->n_rows, 0);
    ck_assert_int_eq(t->summary_month[0], CSM_MONTH_NONE);
    ck_assert_int_eq(
        csm_column_is_valid(&csm_result_table(t->result, 1)->columns[0], 0), 0);
    csm_team_free(t);
    csm_ledger_free(l);
}
END_TEST

/* Every allocation of the computation fails in turn (the ledger's
 * allocator is the team's): ENOMEM, nothing leaks. */
START_TEST(test_team_oom) {
    int done = 0;
    for (long b = 0; b < 100 && !done; b++) {
        fail_ctx f = {-1, 0};
        csm_allocator a = {fail_alloc, fail_free, &f, NULL};
        csm_ledger *l = fixture_alloc(&a);
        long live = f.live;
        f.budget = b;
        csm_team_opts o = CSM_TEAM_OPTS_INIT;
        o.month = M0;
        csm_team *t = NULL;
        csm_status s = csm_team_compute(&t, l, oc, ow, 4, risk, 3, &o, NULL);
        ck_assert(s == CSM_OK || s == CSM_ENOMEM);
        done = s == CSM_OK;
        if (done)
            ck_assert_double_eq_tol(t->summary_arr_per_csm[0], 3600, TOL);
        else
            ck_assert_ptr_null(t);
        csm_team_free(t);
        ck_assert_int_eq(f.live, live);
        csm_ledger_free(l);
        ck_assert_int_eq(f.live, 0);
    }
    ck_assert(done);
}
END_TEST

int main(void) {
    Suite *s = suite_create("team");
    TCase *tc = tcase_create("csm_team_compute");
    tcase_add_test(tc, test_team_fixture);
    tcase_add_test(tc, test_team_repeated_risk_ids);
    suite_add_tcase(s, tc);
    tc = tcase_create("tables");
    tcase_add_test(tc, test_team_tables);
    tcase_add_test(tc, test_team_arrow);
    suite_add_tcase(s, tc);
    tc = tcase_create("edge");
    tcase_add_test(tc, test_team_edge);
    tcase_add_test(tc, test_team_oom);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
