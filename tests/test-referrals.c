/* test-referrals.c - referral rate, conversion, referred MRR and the NPS of
 * referrers.
 *
 * Ledger (customer: months, MRR): 1: 2023-12..2024-03, 100; 2: 2023-12..
 * 2024-03, 200; 3: 2023-12..2024-01, 300; 4: 2023-06, 90; 5: new in
 * 2024-02..03, 150; 6: new in 2024-03, 50; 7: new in 2024-04, 80.
 * Window 2024-01..2024-03: active 1, 2, 3, 5, 6 (5 accounts); new MRR 150
 * (5) + 50 (6) = 200.
 * Referrals (referrer, day, converted, first MRR):
 *   1, 2024-01-15, 1, 150   1, 2024-02-10, 0, NaN (a lead: not read)
 *   2, 2024-03-31, 0, 0     4, 2024-02-01, 1, 40 (4 is not active)
 *   3, 2023-12-20, 1, 99 (before the window)   99, 2024-03-01, 0, 0
 * Window: 5 referrals, 2 converted (0.4), referred MRR 150 + 40 = 190,
 * share 190 / 200 = 0.95; referrers among the active: 1, 2 -> 2 / 5 = 0.4.
 * Owners: 1, 2 -> 10; 3, 5 -> 20; 4 -> 30 (inactive); 6 none.  Rows:
 * unassigned 1 account, 0 referrers; 10: 2 accounts, 2 referrers (rate
 * 1), 3 referrals, 1 converted, 150; 20: 2 accounts, 0.  n_csm 2, owned
 * referrals 3: 1.5 per CSM.
 * NPS: referrers' responses {10, 9, 6} (customers 1, 1, 2): 2/3 - 1/3 ->
 * 33.33; others {8, 3, 10} (3, 5, 6): 0; 4 (inactive) and 99 are not
 * read.  se = 100 sqrt((1 - 1/9) / 3) and 100 sqrt((2/3) / 3): the
 * difference's se = 100 sqrt(8/27 + 2/9) = 100 sqrt(14/27).
 */
#include <check.h>
#include <math.h>
#include <stdlib.h>

#include "csmetrics/csmetrics.h"
#include "oom.h"
#include "tables.h"

#define TOL 1e-9
#define Z975 1.959963984540054 /* Phi^-1(0.975) */

static csm_ledger *fixture_alloc(const csm_allocator *a) {
    int64_t c[32];
    int32_t p[32];
    double v[32];
    size_t n = 0;
    const struct {
        int64_t c;
        int32_t y0, m0, months;
        double v;
    } spans[] = {{1, 2023, 12, 4, 100}, {2, 2023, 12, 4, 200},
                 {3, 2023, 12, 2, 300}, {4, 2023, 6, 1, 90},
                 {5, 2024, 2, 2, 150},  {6, 2024, 3, 1, 50},
                 {7, 2024, 4, 1, 80}};
    for (size_t s = 0; s < sizeof spans / sizeof *spans; s++)
        for (int32_t k = 0; k < spans[s].months; k++) {
            c[n] = spans[s].c;
            p[n] = csm_month(spans[s].y0, spans[s].m0) + k;
            v[n] = spans[s].v;
            n++;
        }
    csm_ledger_opts lo = CSM_LEDGER_OPTS_INIT;
    lo.allocator = a;
    csm_ledger *l = NULL;
    ck_assert_int_eq(csm_ledger_new(&l, c, p, v, NULL, n, &lo, NULL), CSM_OK);
    return l;
}

static const int64_t oc[] = {5, 1, 2, 3, 4};
static const int32_t ow[] = {20, 10, 10, 20, 30};
static const int64_t nc[] = {1, 1, 2, 3, 5, 6, 4, 99};
static const int8_t ns[] = {10, 9, 6, 8, 3, 10, 0, 10};

typedef struct {
    int64_t ref[6];
    int32_t day[6];
    uint8_t conv[6];
    double mrr[6];
} fixture_rows;

static fixture_rows rows_data(void) {
    fixture_rows f = {{1, 1, 2, 4, 3, 99},
                      {csm_day(2024, 1, 15), csm_day(2024, 2, 10),
                       csm_day(2024, 3, 31), csm_day(2024, 2, 1),
                       csm_day(2023, 12, 20), csm_day(2024, 3, 1)},
                      {1, 0, 0, 1, 1, 0},
                      {150, NAN, 0, 40, 99, 0}};
    return f;
}

static csm_referrals_opts window(void) {
    csm_referrals_opts o = CSM_REFERRALS_OPTS_INIT;
    o.first_month = csm_month(2024, 1);
    o.last_month = csm_month(2024, 3);
    return o;
}

START_TEST(test_referrals_fixture) {
    csm_ledger *l = fixture_alloc(NULL);
    fixture_rows f = rows_data();
    csm_referrals_rows rw = {f.ref, f.day, f.conv, f.mrr, 6};
    csm_referrals_opts o = window();
    csm_referrals *r = NULL;
    ck_assert_int_eq(csm_referrals_compute(&r, l, &rw, oc, ow, 5, nc, ns, 8,
                                           &o, NULL),
                     CSM_OK);
    ck_assert_int_eq(r->first_month[0], csm_month(2024, 1));
    ck_assert_int_eq(r->active_accounts[0], 5);
    ck_assert_int_eq(r->referrers[0], 2);
    ck_assert_double_eq_tol(r->referral_rate[0], 0.4, TOL);
    ck_assert_int_eq(r->referrals[0], 5);
    ck_assert_int_eq(r->converted[0], 2);
    ck_assert_double_eq_tol(r->conversion_rate[0], 0.4, TOL);
    ck_assert_double_eq_tol(r->referred_mrr[0], 190, TOL);
    ck_assert_double_eq_tol(r->new_mrr[0], 200, TOL);
    ck_assert_double_eq_tol(r->referred_share[0], 0.95, TOL);
    ck_assert_int_eq(r->n_csm[0], 2);
    ck_assert_double_eq_tol(r->referrals_per_csm[0], 1.5, TOL);
    ck_assert_double_eq_tol(r->nps_referrers[0], 100.0 / 3, TOL);
    ck_assert_int_eq(r->nps_referrers_n[0], 3);
    ck_assert_double_eq_tol(r->nps_others[0], 0, TOL);
    ck_assert_int_eq(r->nps_others_n[0], 3);
    double se = 100 * sqrt(14.0 / 27);
    ck_assert_double_eq_tol(r->nps_diff[0], 100.0 / 3, TOL);
    ck_assert_double_eq_tol(r->nps_diff_ci_low[0], 100.0 / 3 - Z975 * se, 1e-7);
    ck_assert_double_eq_tol(r->nps_diff_ci_high[0], 100.0 / 3 + Z975 * se, 1e-7);
    ck_assert_double_eq_tol(r->nps_diff_p_value[0],
                            erfc(100.0 / 3 / se / sqrt(2.0)), 1e-12);
    /* the referrers' own interval, 33.3 -/+ 1.96 x 54.4, passes 100:
     * clamped (csm_nps) */
    ck_assert_uint_eq(r->flags[0], CSM_FLAG_CLAMPED);
    ck_assert_uint_eq(r->n_owner_rows, 3);
    const int32_t own[] = {CSM_REFERRALS_OWNER_NONE, 10, 20};
    const int64_t acc[] = {1, 2, 2}, refs[] = {0, 2, 0}, nref[] = {0, 3, 0};
    for (size_t w = 0; w < 3; w++) {
        ck_assert_int_eq(r->owner[w], own[w]);
        ck_assert_int_eq(r->owner_accounts[w], acc[w]);
        ck_assert_int_eq(r->owner_referrers[w], refs[w]);
        ck_assert_int_eq(r->owner_referrals[w], nref[w]);
    }
    ck_assert_double_eq_tol(r->owner_referral_rate[1], 1, TOL);
    ck_assert_int_eq(r->owner_converted[1], 1);
    ck_assert_double_eq_tol(r->owner_referred_mrr[1], 150, TOL);
    ck_assert_double_eq_tol(r->owner_referral_rate[0], 0, TOL);
    const csm_table *t = csm_result_find(r->result, "referrals_owners");
    ck_assert_str_eq(csm_table_find(t, "owner")->null_label, "unassigned");
    check_columns_sane(t);
    check_columns_sane(csm_result_table(r->result, 0));
    ck_assert_str_eq(csm_result_kind(r->result), "referrals");
    ck_assert_str_eq(csm_result_table(r->result, 0)->name, "referrals");
    csm_referrals_free(r);
    csm_ledger_free(l);
}
END_TEST

/* The default window is the whole ledger, 2023-06..2024-04: active 1-7
 * (7 accounts); every referral is in it (6: r5 too, 3 converted, 289 MRR);
 * referrers 1, 2, 3, 4 (4 / 7).  New MRR: every customer's first month
 * (ledger's first month included): 100 + 200 + 300 + 90 + 150 + 50 + 80
 * = 970.  No owners and no responses: n_csm 0 and NPS empty. */
START_TEST(test_referrals_defaults) {
    csm_ledger *l = fixture_alloc(NULL);
    fixture_rows f = rows_data();
    csm_referrals_rows rw = {f.ref, f.day, f.conv, f.mrr, 6};
    csm_referrals *r = NULL;
    ck_assert_int_eq(csm_referrals_compute(&r, l, &rw, NULL, NULL, 0, NULL,
                                           NULL, 0, NULL, NULL),
                     CSM_OK);
    ck_assert_int_eq(r->active_accounts[0], 7);
    ck_assert_int_eq(r->referrals[0], 6);
    ck_assert_int_eq(r->converted[0], 3);
    ck_assert_double_eq_tol(r->referred_mrr[0], 289, TOL);
    ck_assert_int_eq(r->referrers[0], 4);
    ck_assert_double_eq_tol(r->new_mrr[0], 970, TOL);
    ck_assert_int_eq(r->n_csm[0], 0);
    ck_assert(isnan(r->referrals_per_csm[0]));
    ck_assert(isnan(r->nps_referrers[0]) && isnan(r->nps_diff[0]));
    ck_assert(r->flags[0] & CSM_FLAG_ZERO_DENOMINATOR);
    ck_assert(r->flags[0] & CSM_FLAG_EMPTY);
    ck_assert_uint_eq(r->n_owner_rows, 1);
    ck_assert_int_eq(r->owner[0], CSM_REFERRALS_OWNER_NONE);
    csm_referrals_free(r);
    /* first_mrr NULL: converted referrals bring 0 */
    rw.first_mrr = NULL;
    ck_assert_int_eq(csm_referrals_compute(&r, l, &rw, NULL, NULL, 0, NULL,
                                           NULL, 0, NULL, NULL),
                     CSM_OK);
    ck_assert_double_eq_tol(r->referred_mrr[0], 0, TOL);
    ck_assert_double_eq_tol(r->referred_share[0], 0, TOL);
    csm_referrals_free(r);
    csm_ledger_free(l);
}
END_TEST

START_TEST(test_referrals_edge) {
    csm_ledger *l = fixture_alloc(NULL);
    fixture_rows f = rows_data();
    csm_referrals_rows rw = {f.ref, f.day, f.conv, f.mrr, 6};
    csm_referrals_opts o = window();
    csm_referrals *r = NULL;
    csm_error e;
    ck_assert_int_eq(csm_referrals_compute(NULL, l, &rw, NULL, NULL, 0, NULL,
                                           NULL, 0, &o, &e),
                     CSM_EINVAL);
    ck_assert_int_eq(csm_referrals_compute(&r, l, NULL, NULL, NULL, 0, NULL,
                                           NULL, 0, &o, &e),
                     CSM_EINVAL);
    ck_assert_str_eq(e.field, "rows");
    const int64_t dup[] = {1, 1};
    const int32_t dw[] = {1, 2};
    ck_assert_int_eq(csm_referrals_compute(&r, l, &rw, dup, dw, 2, NULL, NULL,
                                           0, &o, &e),
                     CSM_EDUP);
    ck_assert_uint_eq(e.row, 1);
    const int8_t bad[] = {11};
    ck_assert_int_eq(csm_referrals_compute(&r, l, &rw, NULL, NULL, 0, nc, bad,
                                           1, &o, &e),
                     CSM_EDOMAIN);
    ck_assert_str_eq(e.field, "nps_score");
    f.mrr[0] = -1;
    ck_assert_int_eq(csm_referrals_compute(&r, l, &rw, NULL, NULL, 0, NULL,
                                           NULL, 0, &o, &e),
                     CSM_EDOMAIN);
    ck_assert_str_eq(e.field, "first_mrr");
    f.mrr[0] = 150;
    f.conv[1] = 2;
    ck_assert_int_eq(csm_referrals_compute(&r, l, &rw, NULL, NULL, 0, NULL,
                                           NULL, 0, &o, &e),
                     CSM_EDOMAIN);
    ck_assert_uint_eq(e.row, 1);
    f.conv[1] = 0;
    o.first_month = csm_month(2024, 4);
    ck_assert_int_eq(csm_referrals_compute(&r, l, &rw, NULL, NULL, 0, NULL,
                                           NULL, 0, &o, &e),
                     CSM_EINVAL);
    o = window();
    o.confidence = 0;
    ck_assert_int_eq(csm_referrals_compute(&r, l, &rw, NULL, NULL, 0, NULL,
                                           NULL, 0, &o, &e),
                     CSM_EINVAL);
    ck_assert_ptr_null(r);
    csm_ledger_free(l);
    /* an empty ledger: no default window */
    ck_assert_int_eq(csm_ledger_new(&l, NULL, NULL, NULL, NULL, 0, NULL, NULL),
                     CSM_OK);
    ck_assert_int_eq(csm_referrals_compute(&r, l, &rw, NULL, NULL, 0, NULL,
                                           NULL, 0, NULL, &e),
                     CSM_EDOMAIN);
    ck_assert_str_eq(e.field, "ledger");
    /* with a window: no active account, rates NaN */
    o = window();
    ck_assert_int_eq(csm_referrals_compute(&r, l, &rw, NULL, NULL, 0, NULL,
                                           NULL, 0, &o, &e),
                     CSM_OK);
    ck_assert_int_eq(r->active_accounts[0], 0);
    ck_assert(isnan(r->referral_rate[0]));
    ck_assert_int_eq(r->referrals[0], 5);
    ck_assert_uint_eq(r->n_owner_rows, 0);
    csm_referrals_free(r);
    csm_referrals_free(NULL);
    csm_ledger_free(l);
}
END_TEST

START_TEST(test_referrals_oom) {
    int done = 0;
    fixture_rows f = rows_data();
    csm_referrals_rows rw = {f.ref, f.day, f.conv, f.mrr, 6};
    for (long b = 0; b < 40 && !done; b++) {
        fail_ctx fc = {-1, 0};
        csm_allocator a = {fail_alloc, fail_free, &fc, NULL};
        csm_ledger *l = fixture_alloc(&a);
        long live = fc.live;
        fc.budget = b;
        csm_referrals_opts o = window();
        csm_referrals *r = NULL;
        csm_status s = csm_referrals_compute(&r, l, &rw, oc, ow, 5, nc, ns, 8,
                                             &o, NULL);
        ck_assert(s == CSM_OK || s == CSM_ENOMEM);
        done = s == CSM_OK;
        if (done)
            ck_assert_double_eq_tol(r->referred_share[0], 0.95, TOL);
        else
            ck_assert_ptr_null(r);
        csm_referrals_free(r);
        ck_assert_int_eq(fc.live, live);
        csm_ledger_free(l);
        ck_assert_int_eq(fc.live, 0);
    }
    ck_assert(done);
}
END_TEST

int main(void) {
    Suite *s = suite_create("referrals");
    TCase *tc = tcase_create("csm_referrals_compute");
    tcase_add_test(tc, test_referrals_fixture);
    tcase_add_test(tc, test_referrals_defaults);
    suite_add_tcase(s, tc);
    tc = tcase_create("edge");
    tcase_add_test(tc, test_referrals_edge);
    tcase_add_test(tc, test_referrals_oom);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
