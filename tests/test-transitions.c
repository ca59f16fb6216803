/* test-transitions.c - health band transitions between two months.
 *
 * Fixture: bands 0 red, 1 yellow, 2 green; M0 = 2024-03, M1 = 2024-04
 * (account: band in M0 -> band in M1; "-" = no row):
 *   1: 2 -> 2 (stayed)       2: 2 -> 1 (worsened)     3: 1 -> 0 (worsened)
 *   4: 1 -> 2 (improved)     5: 0 -> 0 (stayed)       6: 0 -> -1 (row, no
 *   band: left)              7: - -> 1 (entered)      8: 2 -> - (left)
 *   9: only a row in 2024-01 (band 0), outside the two months.
 * Matrix (from row, to column; -1 first), counts and row shares:
 *   from -1: to 1 <- 7                   [0 0 1 0], total 1: [0 0 1 0]
 *   from 0:  to -1 <- 6, to 0 <- 5       [1 1 0 0], total 2: [.5 .5 0 0]
 *   from 1:  to 0 <- 3, to 2 <- 4        [0 1 0 1], total 2: [0 .5 0 .5]
 *   from 2:  to -1 <- 8, to 1 <- 2, to 2 <- 1
 *                                        [1 0 1 1], total 3: thirds
 * Summary: banded 5 (1-5), stayed 2 (1, 5), improved 1 (4), worsened 2
 * (2, 3), entered 1 (7), left 2 (6, 8). */
#include <check.h>
#include <math.h>
#include <stdlib.h>

#include "csmetrics/csmetrics.h"
#include "oom.h"
#include "tables.h"

#define M0 (2024 * 12 + 2) /* csm_month(2024, 3) */
#define M1 (2024 * 12 + 3) /* csm_month(2024, 4) */
#define TOL 1e-12

static const int64_t acc[] = {1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 8, 9};
static const int32_t mon[] = {M1, M0, M0, M1, M0, M1, M0, M1, M0, M1,
                              M0, M1, M1, M0, M0 - 2};
static const int32_t bnd[] = {2, 2, 2, 1, 1, 0, 1, 2, 0, 0, 0, -1, 1, 2, 0};
#define N (sizeof acc / sizeof *acc)

static const int64_t want_counts[16] = {0, 0, 1, 0, 1, 1, 0, 0,
                                        0, 1, 0, 1, 1, 0, 1, 1};

START_TEST(test_transitions_fixture) {
    csm_transitions *t = NULL;
    ck_assert_int_eq(csm_transitions_compute(&t, acc, mon, bnd, N, NULL, NULL),
                     CSM_OK);
    ck_assert_int_eq(t->n_bands, 3);
    ck_assert_uint_eq(t->n_rows, 16);
    for (size_t c = 0; c < 16; c++) {
        ck_assert_int_eq(t->from_band[c], (int32_t)(c / 4) - 1);
        ck_assert_int_eq(t->to_band[c], (int32_t)(c % 4) - 1);
        ck_assert_int_eq(t->accounts[c], want_counts[c]);
        ck_assert_uint_eq(t->flags[c], 0);
    }
    ck_assert_double_eq_tol(t->row_share[2], 1.0, TOL);
    ck_assert_double_eq_tol(t->row_share[4], 0.5, TOL);
    ck_assert_double_eq_tol(t->row_share[5], 0.5, TOL);
    ck_assert_double_eq_tol(t->row_share[6], 0.0, TOL);
    ck_assert_double_eq_tol(t->row_share[11], 0.5, TOL);
    ck_assert_double_eq_tol(t->row_share[12], 1.0 / 3, TOL);
    ck_assert_double_eq_tol(t->row_share[13], 0.0, TOL);
    ck_assert_double_eq_tol(t->row_share[15], 1.0 / 3, TOL);
    ck_assert_int_eq(t->summary_from_month[0], M0);
    ck_assert_int_eq(t->summary_to_month[0], M1);
    ck_assert_int_eq(t->banded[0], 5);
    ck_assert_int_eq(t->stayed[0], 2);
    ck_assert_int_eq(t->improved[0], 1);
    ck_assert_int_eq(t->worsened[0], 2);
    ck_assert_int_eq(t->entered[0], 1);
    ck_assert_int_eq(t->left[0], 2);
    csm_transitions_free(t);
}
END_TEST

/* Rows in reverse order give the same matrix (the sort decides). */
START_TEST(test_transitions_order) {
    int64_t a2[N];
    int32_t m2[N], b2[N];
    for (size_t i = 0; i < N; i++) {
        a2[i] = acc[N - 1 - i];
        m2[i] = mon[N - 1 - i];
        b2[i] = bnd[N - 1 - i];
    }
    csm_transitions *t = NULL;
    ck_assert_int_eq(csm_transitions_compute(&t, a2, m2, b2, N, NULL, NULL),
                     CSM_OK);
    for (size_t c = 0; c < 16; c++)
        ck_assert_int_eq(t->accounts[c], want_counts[c]);
    csm_transitions_free(t);
}
END_TEST

/* Explicit months 2024-01 -> 2024-04: account 9 (band 0 in 2024-01, no
 * row in 2024-04) left; accounts 1-5, 7 have no 2024-01 row: they enter
 * from -1 to their M1 band (1 -> 2, 2 -> 1, 3 -> 0, 4 -> 2, 5 -> 0,
 * 7 -> 1), 6 goes -1 -> -1.  Row -1: to -1 1 (6), to 0 2 (3, 5), to 1 2
 * (2, 7), to 2 2 (1, 4) = 7 accounts; row 0: to -1 1 (9).  n_bands 4: row
 * 3 (from band 3) is empty: NaN shares flagged. */
START_TEST(test_transitions_months) {
    csm_transitions_opts o = CSM_TRANSITIONS_OPTS_INIT;
    o.from_month = M0 - 2;
    o.to_month = M1;
    o.n_bands = 4;
    csm_transitions *t = NULL;
    ck_assert_int_eq(csm_transitions_compute(&t, acc, mon, bnd, N, &o, NULL),
                     CSM_OK);
    ck_assert_uint_eq(t->n_rows, 25);
    ck_assert_int_eq(t->accounts[0], 1);
    ck_assert_int_eq(t->accounts[1], 2);
    ck_assert_int_eq(t->accounts[2], 2);
    ck_assert_int_eq(t->accounts[3], 2);
    ck_assert_double_eq_tol(t->row_share[1], 2.0 / 7, TOL);
    ck_assert_int_eq(t->accounts[5], 1);
    ck_assert_double_eq_tol(t->row_share[5], 1.0, TOL);
    for (size_t c = 20; c < 25; c++) {
        ck_assert_int_eq(t->from_band[c], 3);
        ck_assert(isnan(t->row_share[c]));
        ck_assert_uint_eq(t->flags[c], CSM_FLAG_ZERO_DENOMINATOR);
    }
    ck_assert_int_eq(t->banded[0], 0);
    ck_assert_int_eq(t->entered[0], 6);
    ck_assert_int_eq(t->left[0], 1);
    csm_transitions_free(t);
}
END_TEST

START_TEST(test_transitions_tables) {
    csm_transitions *t = NULL;
    ck_assert_int_eq(csm_transitions_compute(&t, acc, mon, bnd, N, NULL, NULL),
                     CSM_OK);
    ck_assert_str_eq(csm_result_kind(t->result), "transitions");
    ck_assert_uint_eq(csm_result_n_tables(t->result), 2);
    const csm_table *m = csm_result_table(t->result, 0);
    const csm_table *s = csm_result_table(t->result, 1);
    ck_assert_str_eq(m->name, "transitions");
    ck_assert_str_eq(s->name, "transitions_summary");
    check_columns_sane(m);
    check_columns_sane(s);
    ck_assert_ptr_eq(csm_table_find(m, "row_share")->data, t->row_share);
    ck_assert_int_eq(csm_table_find(m, "from_band")->role, CSM_ROLE_KEY);
    ck_assert_ptr_eq(csm_table_find(s, "improved")->data, t->improved);
    ck_assert_int_eq(csm_table_find(s, "to_month")->type, CSM_TYPE_MONTH);
    struct ArrowSchema sc;
    struct ArrowArray a;
    ck_assert_int_eq(csm_table_export_arrow(&sc, &a, t->result, m, NULL),
                     CSM_OK);
    ck_assert_int_eq(a.length, 16);
    ck_assert_str_eq(sc.children[2]->name, "accounts");
    ck_assert_int_eq(((const int64_t *)a.children[2]->buffers[1])[15], 1);
    a.release(&a);
    sc.release(&sc);
    csm_transitions_free(t);
}
END_TEST

START_TEST(test_transitions_edge) {
    csm_transitions *t = NULL;
    csm_error e;
    csm_transitions_opts o = CSM_TRANSITIONS_OPTS_INIT;
    /* only rows of one month with the default months: to = M1, from = M0
     * has no row: every account enters */
    const int64_t a1[] = {1, 2};
    const int32_t m1[] = {M1, M1};
    const int32_t b1[] = {0, 0};
    ck_assert_int_eq(csm_transitions_compute(&t, a1, m1, b1, 2, NULL, &e),
                     CSM_OK);
    ck_assert_int_eq(t->n_bands, 1);
    ck_assert_int_eq(t->accounts[1], 2); /* -1 -> 0 */
    ck_assert_int_eq(t->entered[0], 2);
    csm_transitions_free(t);
    /* no bands at all: a 1 x 1 matrix (-1 -> -1) */
    const int32_t bn[] = {-1, -1};
    ck_assert_int_eq(csm_transitions_compute(&t, a1, m1, bn, 2, NULL, &e),
                     CSM_OK);
    ck_assert_uint_eq(t->n_rows, 1);
    ck_assert_int_eq(t->accounts[0], 2);
    ck_assert_double_eq_tol(t->row_share[0], 1.0, TOL);
    csm_transitions_free(t);
    /* errors */
    ck_assert_int_eq(csm_transitions_compute(NULL, acc, mon, bnd, N, NULL, &e),
                     CSM_EINVAL);
    ck_assert_int_eq(csm_transitions_compute(&t, NULL, mon, bnd, N, NULL, &e),
                     CSM_EINVAL);
    ck_assert_str_eq(e.field, "account");
    ck_assert_int_eq(csm_transitions_compute(&t, NULL, NULL, NULL, 0, NULL, &e),
                     CSM_EDOMAIN);
    ck_assert_str_eq(e.field, "month");
    const int32_t bad[] = {0, -2};
    ck_assert_int_eq(csm_transitions_compute(&t, a1, m1, bad, 2, NULL, &e),
                     CSM_EDOMAIN);
    ck_assert_uint_eq(e.row, 1);
    ck_assert_str_eq(e.field, "band");
    o.n_bands = 2;
    ck_assert_int_eq(csm_transitions_compute(&t, acc, mon, bnd, N, &o, &e),
                     CSM_EDOMAIN);
    ck_assert_uint_eq(e.row, 0); /* band 2 of account 1 */
    o.n_bands = -1;
    ck_assert_int_eq(csm_transitions_compute(&t, acc, mon, bnd, N, &o, &e),
                     CSM_EINVAL);
    o = (csm_transitions_opts)CSM_TRANSITIONS_OPTS_INIT;
    o.from_month = M1;
    ck_assert_int_eq(csm_transitions_compute(&t, acc, mon, bnd, N, &o, &e),
                     CSM_EINVAL);
    ck_assert_str_eq(e.field, "opts.from_month");
    const int64_t ad[] = {1, 1};
    ck_assert_int_eq(csm_transitions_compute(&t, ad, m1, b1, 2, NULL, &e),
                     CSM_EDUP);
    ck_assert_uint_eq(e.row, 1);
    const int32_t mn[] = {M1, CSM_MONTH_NONE};
    ck_assert_int_eq(csm_transitions_compute(&t, a1, mn, b1, 2, NULL, &e),
                     CSM_EDOMAIN);
    ck_assert_ptr_null(t);
    csm_transitions_free(NULL);
    ck_assert_int_eq(csm_transitions_opts_init(&o, sizeof o), CSM_OK);
    ck_assert_int_eq(o.n_bands, 0);
}
END_TEST

START_TEST(test_transitions_oom) {
    int done = 0;
    for (long b = 0; b < 20 && !done; b++) {
        fail_ctx f = {b, 0};
        csm_allocator al = {fail_alloc, fail_free, &f, NULL};
        csm_transitions_opts o = CSM_TRANSITIONS_OPTS_INIT;
        o.allocator = &al;
        csm_transitions *t = NULL;
        csm_status s = csm_transitions_compute(&t, acc, mon, bnd, N, &o, NULL);
        ck_assert(s == CSM_OK || s == CSM_ENOMEM);
        done = s == CSM_OK;
        if (done)
            ck_assert_int_eq(t->worsened[0], 2);
        else
            ck_assert_ptr_null(t);
        csm_transitions_free(t);
        ck_assert_int_eq(f.live, 0);
    }
    ck_assert(done);
}
END_TEST

int main(void) {
    Suite *s = suite_create("transitions");
    TCase *tc = tcase_create("csm_transitions_compute");
    tcase_add_test(tc, test_transitions_fixture);
    tcase_add_test(tc, test_transitions_order);
    tcase_add_test(tc, test_transitions_months);
    tcase_add_test(tc, test_transitions_tables);
    suite_add_tcase(s, tc);
    tc = tcase_create("edge");
    tcase_add_test(tc, test_transitions_edge);
    tcase_add_test(tc, test_transitions_oom);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
