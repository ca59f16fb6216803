/* test-renewals.c - contracts due, renewed, late, churned; logo and dollar
 * renewal rates.
 *
 * Fixture, window 2024-01-01..2024-12-31, grace 90 days (terms in days,
 * end inclusive; 2024 is a leap year):
 *   row cust seg  term                       value  role
 *    0   1    1   2023-03-01..2024-02-29 (366) 1200  due, renewed by 1
 *    1   1    1   2024-03-01..2025-02-28 (365) 1500  renewal (gap 0): 1500 x 366/365 = 1504.109589
 *    2   2    1   2023-06-01..2024-05-31 (366) 1000  due, renewed by 3
 *    3   2    1   2024-07-15..2025-07-14 (365) 1000  gap 44 days <= 90: 1000 x 366/365 = 1002.739726
 *    4   3    2   2023-01-01..2023-12-31       500  not due (ends before the window)
 *    5   3    2   2024-01-01..2024-12-31 (366)  600  due, nothing after: churned
 *    6   4    2   2023-09-01..2024-08-31 (366)  800  due, renewed late by 7
 *    7   4    2   2025-01-15..2026-01-14 (365)  800  gap 136 days > 90: late (802.191781)
 *    8   5    1   2023-07-01..2024-06-30 (366)  100  due } both renewed by 10, whose
 *    9   5    1   2023-07-01..2024-06-30 (366)  200  due } 330 x 366/365 = 330.904110 is
 *   10   5    1   2024-07-01..2025-06-30 (365)  330       split 1:2 = 110.301370 / 220.602740
 *   11   6    2   2024-01-01..2024-12-31 (366) 1000  due, renewed by 13 (1200 x 366/365 = 1203.287671)
 *   12   6    2   2024-06-01..2024-12-31 (214)   70  in-term upsell of 11 (70 x 366/214 = 119.719626)
 *   13   6    2   2025-01-01..2025-12-31 (365) 1200  renewal
 * Due 0 2 5 6 8 9 11 = 7 contracts, value 4900; renewed 5 with value
 * 1504.109589 + 1002.739726 + 110.301370 + 220.602740 + 1203.287671 =
 * 4041.041096 -> logo 5/7, dollar 0.824702264; late 1, churned 1.
 * Values computed with a calculator (Python's datetime for the day counts).
 */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "csmetrics/csmetrics.h"
#include "oom.h"

#define TOL 1e-6
#define N 14

static const int64_t cust[N] = {1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 5, 6, 6, 6};
static const int32_t seg[N] = {1, 1, 1, 1, 2, 2, 2, 2, 1, 1, 1, 2, 2, 2};
static const double val[N] = {1200, 1500, 1000, 1000, 500, 600, 800,
                              800,  100,  200,  330,  1000, 70, 1200};
static int32_t sd[N], ed[N];
static int32_t w0, w1;

static csm_renewal_contracts fixture(void) {
    static const int d[N][6] = {
        {2023, 3, 1, 2024, 2, 29},  {2024, 3, 1, 2025, 2, 28},
        {2023, 6, 1, 2024, 5, 31},  {2024, 7, 15, 2025, 7, 14},
        {2023, 1, 1, 2023, 12, 31}, {2024, 1, 1, 2024, 12, 31},
        {2023, 9, 1, 2024, 8, 31},  {2025, 1, 15, 2026, 1, 14},
        {2023, 7, 1, 2024, 6, 30},  {2023, 7, 1, 2024, 6, 30},
        {2024, 7, 1, 2025, 6, 30},  {2024, 1, 1, 2024, 12, 31},
        {2024, 6, 1, 2024, 12, 31}, {2025, 1, 1, 2025, 12, 31}};
    for (int i = 0; i < N; i++) {
        sd[i] = csm_day(d[i][0], d[i][1], d[i][2]);
        ed[i] = csm_day(d[i][3], d[i][4], d[i][5]);
    }
    w0 = csm_day(2024, 1, 1);
    w1 = csm_day(2024, 12, 31);
    csm_renewal_contracts k = {cust, sd, ed, val, seg, NULL, NULL, N};
    return k;
}

START_TEST(test_fixture) {
    csm_renewal_contracts k = fixture();
    csm_renewals *r = NULL;
    uint8_t oc[N];
    int64_t mt[N];
    csm_error e;
    ck_assert_int_eq(csm_renewals_compute(&r, oc, mt, &k, w0, w1, NULL, &e),
                     CSM_OK);
    ck_assert_uint_eq(r->n_rows, 1);
    ck_assert_int_eq(r->due[0], 7);
    ck_assert_int_eq(r->renewed[0], 5);
    ck_assert_int_eq(r->late[0], 1);
    ck_assert_int_eq(r->churned[0], 1);
    ck_assert_double_eq_tol(r->due_value[0], 4900, TOL);
    ck_assert_double_eq_tol(r->renewed_value[0], 4041.041095890411, TOL);
    ck_assert_double_eq_tol(r->late_value[0], 802.1917808219179, TOL);
    ck_assert_double_eq_tol(r->churned_value[0], 600, TOL);
    ck_assert_double_eq_tol(r->upsell_value[0], 119.7196261682243, TOL);
    ck_assert_double_eq_tol(r->logo_renewal_rate[0], 5.0 / 7, 1e-12);
    ck_assert_double_eq_tol(r->dollar_renewal_rate[0], 0.8247022644674308, 1e-9);
    /* outcomes and matches */
    ck_assert_int_eq(oc[0], CSM_RENEWAL_RENEWED);
    ck_assert_int_eq(mt[0], 1);
    ck_assert_int_eq(oc[1], CSM_RENEWAL_NOT_DUE);
    ck_assert_int_eq(oc[4], CSM_RENEWAL_NOT_DUE);
    ck_assert_int_eq(oc[5], CSM_RENEWAL_CHURNED);
    ck_assert_int_eq(mt[5], -1);
    ck_assert_int_eq(oc[6], CSM_RENEWAL_LATE);
    ck_assert_int_eq(mt[6], 7);
    ck_assert_int_eq(mt[8], 10);
    ck_assert_int_eq(mt[9], 10);
    ck_assert_int_eq(oc[12], CSM_RENEWAL_UPSELL);
    ck_assert_int_eq(mt[12], 11);
    csm_renewals_free(r);
}
END_TEST

START_TEST(test_options) {
    csm_renewal_contracts k = fixture();
    csm_renewals *r = NULL;
    csm_renewal_opts o = CSM_RENEWAL_OPTS_INIT;
    /* late counts: (4041.041096 + 802.191781) / 4900 = 0.988414873, 6/7 */
    o.late_counts = 1;
    ck_assert_int_eq(csm_renewals_compute(&r, NULL, NULL, &k, w0, w1, &o, NULL),
                     CSM_OK);
    ck_assert_int_eq(r->renewed[0], 6);
    ck_assert_double_eq_tol(r->dollar_renewal_rate[0], 0.9884148727984345, 1e-9);
    csm_renewals_free(r);
    /* upsells join numerator and denominator:
     * (4041.041096 + 119.719626) / (4900 + 119.719626) = 0.828883091 */
    o = (csm_renewal_opts)CSM_RENEWAL_OPTS_INIT;
    o.include_upsells = 1;
    ck_assert_int_eq(csm_renewals_compute(&r, NULL, NULL, &k, w0, w1, &o, NULL),
                     CSM_OK);
    ck_assert_double_eq_tol(r->dollar_renewal_rate[0], 0.8288830914715309, 1e-9);
    ck_assert_double_eq_tol(r->due_value[0], 4900 + 119.7196261682243, TOL);
    csm_renewals_free(r);
    /* grace 150: contract 6's 136-day gap is now within grace -> renewed */
    o = (csm_renewal_opts)CSM_RENEWAL_OPTS_INIT;
    o.grace_days = 150;
    ck_assert_int_eq(csm_renewals_compute(&r, NULL, NULL, &k, w0, w1, &o, NULL),
                     CSM_OK);
    ck_assert_int_eq(r->renewed[0], 6);
    ck_assert_int_eq(r->late[0], 0);
    csm_renewals_free(r);
    /* grace 0: contract 2 (gap 44) becomes late */
    o.grace_days = 0;
    ck_assert_int_eq(csm_renewals_compute(&r, NULL, NULL, &k, w0, w1, &o, NULL),
                     CSM_OK);
    ck_assert_int_eq(r->renewed[0], 4);
    ck_assert_int_eq(r->late[0], 2);
    csm_renewals_free(r);
    /* by segment: seg 1 = 0 2 8 9 (2500), all renewed,
     * 2837.753425 / 2500 = 1.135101370 (> 1: upsized renewals);
     * seg 2 = 5 6 11 (2400): 1 renewed (1203.287671 / 2400 = 0.501369863),
     * 1 late, 1 churned */
    o = (csm_renewal_opts)CSM_RENEWAL_OPTS_INIT;
    o.group_by = CSM_GROUP_SEGMENT;
    ck_assert_int_eq(csm_renewals_compute(&r, NULL, NULL, &k, w0, w1, &o, NULL),
                     CSM_OK);
    ck_assert_uint_eq(r->n_rows, 2);
    ck_assert_int_eq(r->key[0], 1);
    ck_assert_double_eq_tol(r->logo_renewal_rate[0], 1.0, 1e-12);
    ck_assert_double_eq_tol(r->dollar_renewal_rate[0], 1.1351013698630137, 1e-9);
    ck_assert_int_eq(r->key[1], 2);
    ck_assert_double_eq_tol(r->logo_renewal_rate[1], 1.0 / 3, 1e-12);
    ck_assert_double_eq_tol(r->dollar_renewal_rate[1], 0.5013698630136986, 1e-9);
    csm_renewals_free(r);
}
END_TEST

START_TEST(test_shuffle) {
    /* the same contracts in another order give the same figures */
    csm_renewal_contracts k = fixture();
    int perm[N];
    for (int i = 0; i < N; i++)
        perm[i] = (i * 5 + 3) % N;
    int64_t c2[N];
    int32_t s2[N], e2[N], g2[N];
    double v2[N];
    for (int i = 0; i < N; i++) {
        c2[i] = cust[perm[i]];
        s2[i] = sd[perm[i]];
        e2[i] = ed[perm[i]];
        v2[i] = val[perm[i]];
        g2[i] = seg[perm[i]];
    }
    csm_renewal_contracts k2 = {c2, s2, e2, v2, g2, NULL, NULL, N};
    csm_renewals *a = NULL, *b = NULL;
    ck_assert_int_eq(csm_renewals_compute(&a, NULL, NULL, &k, w0, w1, NULL, NULL),
                     CSM_OK);
    ck_assert_int_eq(csm_renewals_compute(&b, NULL, NULL, &k2, w0, w1, NULL, NULL),
                     CSM_OK);
    ck_assert_int_eq(a->renewed[0], b->renewed[0]);
    ck_assert_double_eq_tol(a->renewed_value[0], b->renewed_value[0], 1e-9);
    ck_assert_double_eq_tol(a->dollar_renewal_rate[0], b->dollar_renewal_rate[0], 1e-12);
    csm_renewals_free(a);
    csm_renewals_free(b);
}
END_TEST

START_TEST(test_errors) {
    csm_renewal_contracts k = fixture();
    csm_renewals *r = NULL;
    csm_error e;
    int32_t bad_end[N];
    memcpy(bad_end, ed, sizeof bad_end);
    bad_end[3] = sd[3] - 1;
    csm_renewal_contracts kb = k;
    kb.end_day = bad_end;
    ck_assert_int_eq(csm_renewals_compute(&r, NULL, NULL, &kb, w0, w1, NULL, &e),
                     CSM_EDOMAIN);
    ck_assert_uint_eq(e.row, 3);
    ck_assert_str_eq(e.field, "end_day");
    double bad_val[N];
    memcpy(bad_val, val, sizeof bad_val);
    bad_val[7] = NAN;
    kb = k;
    kb.value = bad_val;
    ck_assert_int_eq(csm_renewals_compute(&r, NULL, NULL, &kb, w0, w1, NULL, &e),
                     CSM_EDOMAIN);
    ck_assert_uint_eq(e.row, 7);
    ck_assert_int_eq(csm_renewals_compute(&r, NULL, NULL, &k, w1, w0, NULL, &e),
                     CSM_EINVAL);
    csm_renewal_opts o = CSM_RENEWAL_OPTS_INIT;
    o.grace_days = -1;
    ck_assert_int_eq(csm_renewals_compute(&r, NULL, NULL, &k, w0, w1, &o, &e),
                     CSM_EINVAL);
    o = (csm_renewal_opts)CSM_RENEWAL_OPTS_INIT;
    o.group_by = 7;
    ck_assert_int_eq(csm_renewals_compute(&r, NULL, NULL, &k, w0, w1, &o, &e),
                     CSM_EINVAL);
    kb = k;
    kb.value = NULL;
    ck_assert_int_eq(csm_renewals_compute(&r, NULL, NULL, &kb, w0, w1, NULL, &e),
                     CSM_EINVAL);
    ck_assert_int_eq(csm_renewals_compute(&r, NULL, NULL, NULL, w0, w1, NULL, &e),
                     CSM_EINVAL);
    ck_assert_ptr_null(r);
}
END_TEST

START_TEST(test_edge) {
    /* n = 0: one empty row, NaN rates with flags */
    csm_renewal_contracts k = {NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0};
    csm_renewals *r = NULL;
    ck_assert_int_eq(csm_renewals_compute(&r, NULL, NULL, &k, 0, 10, NULL, NULL),
                     CSM_OK);
    ck_assert_uint_eq(r->n_rows, 1);
    ck_assert(isnan(r->logo_renewal_rate[0]));
    ck_assert(r->flags[0] & CSM_FLAG_ZERO_DENOMINATOR);
    ck_assert(r->flags[0] & CSM_FLAG_EMPTY);
    csm_renewals_free(r);
    /* a window with nothing due */
    csm_renewal_contracts f = fixture();
    ck_assert_int_eq(csm_renewals_compute(&r, NULL, NULL, &f, csm_day(2030, 1, 1),
                                          csm_day(2030, 12, 31), NULL, NULL),
                     CSM_OK);
    ck_assert_int_eq(r->due[0], 0);
    ck_assert(isnan(r->dollar_renewal_rate[0]));
    csm_renewals_free(r);
    csm_renewals_free(NULL);
}
END_TEST


START_TEST(test_oom) {
    csm_renewal_contracts k = fixture();
    int done = 0;
    for (long b = 0; b < 100 && !done; b++) {
        fail_ctx f = {b, 0};
        csm_allocator a = {fail_alloc, fail_free, &f};
        csm_renewal_opts o = CSM_RENEWAL_OPTS_INIT;
        o.allocator = &a;
        csm_renewals *r = NULL;
        csm_status s = csm_renewals_compute(&r, NULL, NULL, &k, w0, w1, &o, NULL);
        ck_assert(s == CSM_OK || s == CSM_ENOMEM);
        done = s == CSM_OK;
        csm_renewals_free(r);
        ck_assert_int_eq(f.live, 0);
    }
    ck_assert(done);
}
END_TEST

int main(void) {
    Suite *s = suite_create("renewals");
    TCase *tc = tcase_create("csm_renewals_compute");
    tcase_add_test(tc, test_fixture);
    tcase_add_test(tc, test_options);
    tcase_add_test(tc, test_shuffle);
    tcase_add_test(tc, test_errors);
    suite_add_tcase(s, tc);
    tc = tcase_create("edge");
    tcase_add_test(tc, test_edge);
    tcase_add_test(tc, test_oom);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
