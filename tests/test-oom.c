/* test-oom.c - the failing-allocator sweep (tests/oom.h) of the public
 * entry points that allocate and that no family suite failed allocation by
 * allocation (issue 17, "OOM"; docs/reliability.md lists how the gaps were
 * found).  Each sweep fails allocation b, for b = 0, 1, ... until the call
 * succeeds: every failure must be CSM_ENOMEM with *out NULL and no block
 * left allocated, and the success must give the same result as a run with
 * the default allocator, after at least one failure. */
#include <check.h>
#include <math.h>
#include <string.h>

#include "csmetrics/csmetrics.h"
#include "oom.h"

#define M(k) (csm_month(2024, 1) + (k))

/* csm_ledger_month_compute allocates from the ledger's allocator: the
 * ledger is built with an unlimited budget, then the budget is set before
 * the call.  Fixture (test-ledger.c: test_ledger_month): month M0 has
 * customers 3 (MRR 0, not active) and 5 (10 + 4 = 14 in segment 2, the
 * smaller code): 1 row, customer 5, MRR 14. */
START_TEST(test_ledger_month_oom) {
    const int64_t cust[] = {5, 3, 5, 9};
    const int32_t per[] = {M(0), M(0), M(0), M(1)};
    const double mrr[] = {10, 0, 4, 7};
    const int32_t seg[] = {2, 1, 3, 2};
    int done = 0, fails = 0;
    for (long b = 0; b < 100 && !done; b++) {
        fail_ctx f = {-1, 0};
        csm_allocator a = {fail_alloc, fail_free, &f, NULL};
        csm_ledger_opts lo = CSM_LEDGER_OPTS_INIT;
        lo.allocator = &a;
        csm_ledger *l = NULL;
        ck_assert_int_eq(csm_ledger_new(&l, cust, per, mrr, seg, 4, &lo, NULL),
                         CSM_OK);
        long live = f.live;
        f.budget = b;
        csm_ledger_month *m = NULL;
        csm_status st = csm_ledger_month_compute(&m, l, M(0), NULL);
        if (st == CSM_OK) {
            done = 1;
            ck_assert_uint_eq(m->n_rows, 1);
            ck_assert_int_eq(m->customer_id[0], 5);
            ck_assert_double_eq(m->mrr[0], 14.0);
            ck_assert_int_eq(m->segment[0], 2);
            csm_ledger_month_free(m);
        } else {
            ck_assert_int_eq(st, CSM_ENOMEM);
            fails++;
            ck_assert_ptr_null(m);
        }
        ck_assert_int_eq(f.live, live);
        csm_ledger_free(l);
        ck_assert_int_eq(f.live, 0);
    }
    ck_assert(done);
    ck_assert_int_gt(fails, 0); /* allocation 0 did fail */
}
END_TEST

/* csm_sbg_survivors_from_lifetimes through opts.allocator.  Three
 * customers of cohort M0 observed to as_of M2: durations 1, 3, 3 (all
 * weight 1): alive at age 0: 3, at age 1: 2 (d > 1), at age 2: 2 (d > 2);
 * 3 rows, one cohort. */
START_TEST(test_sbg_survivors_oom) {
    const int32_t fm[] = {M(0), M(0), M(0)};
    const double du[] = {1, 3, 3};
    int done = 0, fails = 0;
    for (long b = 0; b < 100 && !done; b++) {
        fail_ctx f = {b, 0};
        csm_allocator a = {fail_alloc, fail_free, &f, NULL};
        csm_sbg_survivors_opts o = CSM_SBG_SURVIVORS_OPTS_INIT;
        o.as_of = M(2);
        o.allocator = &a;
        csm_sbg_survivors *sv = NULL;
        csm_status st =
            csm_sbg_survivors_from_lifetimes(&sv, fm, du, NULL, 3, &o, NULL);
        if (st == CSM_OK) {
            done = 1;
            ck_assert_uint_eq(sv->n_rows, 3);
            ck_assert_uint_eq(sv->n_cohorts, 1);
            ck_assert_double_eq(sv->alive[0], 3);
            ck_assert_double_eq(sv->alive[1], 2);
            ck_assert_double_eq(sv->alive[2], 2);
            csm_sbg_survivors_free(sv);
        } else {
            ck_assert_int_eq(st, CSM_ENOMEM);
            fails++;
            ck_assert_ptr_null(sv);
        }
        ck_assert_int_eq(f.live, 0);
    }
    ck_assert(done);
    ck_assert_int_gt(fails, 0); /* allocation 0 did fail */
}
END_TEST

/* csm_health_scorecard_reweight allocates the copy with sc's allocator.
 * Two groups of one measure each, weights 3 and 1: shares 0.75, 0.25;
 * reweighted to {1, 1}: shares 0.5, 0.5. */
START_TEST(test_reweight_oom) {
    static const char spec[] =
        "{\"name\": \"t\", \"groups\": ["
        " {\"name\": \"a\", \"weight\": 3, \"measures\": [{\"name\": \"x\","
        "  \"transform\": {\"type\": \"linear\", \"min\": 0, \"max\": 1}}]},"
        " {\"name\": \"b\", \"weight\": 1, \"measures\": [{\"name\": \"y\","
        "  \"transform\": {\"type\": \"linear\", \"min\": 0, \"max\": 1}}]}]}";
    const double w[] = {1, 1};
    int done = 0, fails = 0;
    for (long b = 0; b < 200 && !done; b++) {
        fail_ctx f = {-1, 0};
        csm_allocator a = {fail_alloc, fail_free, &f, NULL};
        csm_health_scorecard_opts so = CSM_HEALTH_SCORECARD_OPTS_INIT;
        so.allocator = &a;
        csm_health_scorecard *sc = NULL;
        ck_assert_int_eq(
            csm_health_scorecard_from_json(&sc, spec, strlen(spec), &so, NULL),
            CSM_OK);
        ck_assert_double_eq(csm_health_scorecard_measure_share(sc, 0), 0.75);
        long live = f.live;
        f.budget = b;
        csm_health_scorecard *r = NULL;
        csm_status st = csm_health_scorecard_reweight(&r, sc, w, 2, "r", NULL);
        if (st == CSM_OK) {
            done = 1;
            ck_assert_double_eq(csm_health_scorecard_measure_share(r, 0), 0.5);
            ck_assert_double_eq(csm_health_scorecard_measure_share(r, 1), 0.5);
            csm_health_scorecard_free(r);
        } else {
            ck_assert_int_eq(st, CSM_ENOMEM);
            fails++;
            ck_assert_ptr_null(r);
        }
        ck_assert_int_eq(f.live, live);
        csm_health_scorecard_free(sc);
        ck_assert_int_eq(f.live, 0);
    }
    ck_assert(done);
    ck_assert_int_gt(fails, 0); /* allocation 0 did fail */
}
END_TEST

static Suite *suite(void) {
    Suite *s = suite_create("oom");
    TCase *tc = tcase_create("sweeps");
    tcase_add_test(tc, test_ledger_month_oom);
    tcase_add_test(tc, test_sbg_survivors_oom);
    tcase_add_test(tc, test_reweight_oom);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) {
    SRunner *sr = srunner_create(suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
