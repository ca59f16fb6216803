/* test-reviews.c - diagnosis cadence.
 *
 * Fixture, as_of D = 2024-06-30 (day 19904 = csm_day(2024, 6, 30), checked
 * below); tiers: 0 = any segment with MRR >= 1000 -> 30 days, 1 =
 * segment 1 -> 60 days; default 90.  Reviews are touches of type 1 (type
 * 2 is a call).  Accounts (owner, segment, MRR -> tier, cadence) and their
 * touches (day, CSM, type):
 *   10 (1, 1, 5000 -> 0, 30): D-20 (1, 1), D-50 (1, 1): 2 reviews, last
 *      D-20, due D+10: on cadence
 *   11 (1, 0, 2000 -> 0, 30): D-45 (3, 1), D-5 (1, 2: a call): last D-45
 *      by CSM 3, due D-15: 15 days overdue
 *   12 (2, 0, 300 -> -1, 90): D-90 (2, 1): due D: on cadence, 0 days
 *   13 (2, 0, 100 -> -1, 90): D-91 (2, 1), D+3 (2, 1: after as_of,
 *      ignored): due D-1: 1 day overdue
 *   14 (2, 1, 800 -> 1, 60): D-2 (2, 2: a call): never reviewed
 *   99 is not listed: its review (D-1, CSM 5) is ignored.
 * Owners: 1 -> 2 accounts, 1 on cadence (10), 1 overdue (11): coverage
 * 0.5; 2 -> 3 accounts, 1 on cadence (12), 2 overdue (13, 14), 1 never
 * reviewed: 1/3.  All: 5 accounts, 2 on cadence, 3 overdue, 1 never: 0.4.
 */
#include <check.h>
#include <math.h>
#include <stdlib.h>

#include "csmetrics/csmetrics.h"
#include "oom.h"
#include "tables.h"

#define D 19904
#define TOL 1e-12

static const int64_t a_id[] = {14, 10, 12, 11, 13};
static const int32_t a_owner[] = {2, 1, 2, 1, 2};
static const int32_t a_seg[] = {1, 1, 0, 0, 0};
static const double a_mrr[] = {800, 5000, 300, 2000, 100};
static const int64_t t_acc[] = {10, 10, 11, 11, 12, 13, 13, 14, 99};
static const int32_t t_day[] = {D - 20, D - 50, D - 45, D - 5, D - 90,
                                D - 91, D + 3,  D - 2,  D - 1};
static const int32_t t_csm[] = {1, 1, 3, 1, 2, 2, 2, 2, 5};
static const int32_t t_type[] = {1, 1, 1, 2, 1, 1, 1, 2, 1};
static const int32_t tier_seg[] = {CSM_CODE_ALL, 1};
static const double tier_mrr[] = {1000, 0};
static const int32_t tier_days[] = {30, 60};

static csm_reviews_accounts accounts(void) {
    csm_reviews_accounts ac = {a_id, a_owner, a_seg, a_mrr, 5};
    return ac;
}
static csm_reviews_touches touches(void) {
    csm_reviews_touches tc = {t_acc, t_day, t_csm, t_type, 9};
    return tc;
}
static csm_reviews_opts fixture_opts(void) {
    csm_reviews_opts o = CSM_REVIEWS_OPTS_INIT;
    o.as_of = D;
    o.review_type = 1;
    o.n_tiers = 2;
    o.tier_segment = tier_seg;
    o.tier_min_mrr = tier_mrr;
    o.tier_days = tier_days;
    return o;
}

START_TEST(test_reviews_fixture) {
    ck_assert_int_eq(csm_day(2024, 6, 30), D);
    csm_reviews_accounts ac = accounts();
    csm_reviews_touches tc = touches();
    csm_reviews_opts o = fixture_opts();
    csm_reviews *r = NULL;
    ck_assert_int_eq(csm_reviews_compute(&r, &ac, &tc, &o, NULL), CSM_OK);
    ck_assert_uint_eq(r->n_rows, 5);
    const int64_t id[] = {10, 11, 12, 13, 14};
    const int32_t tier[] = {0, 0, -1, -1, 1};
    const int32_t cad[] = {30, 30, 90, 90, 60};
    const int64_t nrev[] = {2, 1, 1, 1, 0};
    const int32_t last[] = {D - 20, D - 45, D - 90, D - 91, INT32_MIN};
    const int32_t who[] = {1, 3, 2, 2, INT32_MIN};
    const int32_t due[] = {D + 10, D - 15, D, D - 1, INT32_MIN};
    const uint8_t over[] = {0, 1, 0, 1, 1};
    const double days[] = {0, 15, 0, 1, NAN};
    for (size_t k = 0; k < 5; k++) {
        ck_assert_int_eq(r->account[k], id[k]);
        ck_assert_int_eq(r->tier[k], tier[k]);
        ck_assert_int_eq(r->cadence_days[k], cad[k]);
        ck_assert_int_eq(r->reviews[k], nrev[k]);
        ck_assert_int_eq(r->last_review[k], last[k]);
        ck_assert_int_eq(r->last_reviewer[k], who[k]);
        ck_assert_int_eq(r->next_due[k], due[k]);
        ck_assert_uint_eq(r->overdue[k], over[k]);
        if (isnan(days[k]))
            ck_assert(isnan(r->days_overdue[k]));
        else
            ck_assert_double_eq_tol(r->days_overdue[k], days[k], TOL);
    }
    ck_assert_int_eq(r->owner[0], 1);
    ck_assert_int_eq(r->owner[4], 2);
    ck_assert_double_eq_tol(r->mrr[1], 2000, TOL);
    ck_assert_uint_eq(r->n_owner_rows, 2);
    ck_assert_int_eq(r->owners_owner[0], 1);
    ck_assert_int_eq(r->owners_accounts[0], 2);
    ck_assert_int_eq(r->owners_on_cadence[0], 1);
    ck_assert_int_eq(r->owners_overdue[0], 1);
    ck_assert_int_eq(r->owners_never_reviewed[0], 0);
    ck_assert_double_eq_tol(r->owners_coverage[0], 0.5, TOL);
    ck_assert_int_eq(r->owners_owner[1], 2);
    ck_assert_int_eq(r->owners_accounts[1], 3);
    ck_assert_int_eq(r->owners_overdue[1], 2);
    ck_assert_int_eq(r->owners_never_reviewed[1], 1);
    ck_assert_double_eq_tol(r->owners_coverage[1], 1.0 / 3, TOL);
    ck_assert_int_eq(r->summary_as_of[0], D);
    ck_assert_int_eq(r->summary_accounts[0], 5);
    ck_assert_int_eq(r->summary_on_cadence[0], 2);
    ck_assert_int_eq(r->summary_overdue[0], 3);
    ck_assert_int_eq(r->summary_never_reviewed[0], 1);
    ck_assert_double_eq_tol(r->summary_coverage[0], 0.4, TOL);
    csm_reviews_free(r);
}
END_TEST

/* Default as_of = the latest review of a listed account: D+3 (13's).
 * 10: due D+10, on cadence; 11: due D-15, 18 days overdue; 12: due D, 3
 * days overdue; 13: 2 reviews, last D+3, due D+93, on cadence; 14 never.
 * Without the owner column the owner is the last reviewer: 10 -> 1, 11 ->
 * 3, 12 -> 2, 13 -> 2, 14 -> none: owner rows none, 1, 2, 3. */
START_TEST(test_reviews_defaults) {
    csm_reviews_accounts ac = accounts();
    ac.owner = NULL;
    csm_reviews_touches tc = touches();
    csm_reviews_opts o = fixture_opts();
    o.as_of = CSM_REVIEWS_DAY_NONE;
    csm_reviews *r = NULL;
    ck_assert_int_eq(csm_reviews_compute(&r, &ac, &tc, &o, NULL), CSM_OK);
    ck_assert_int_eq(r->summary_as_of[0], D + 3);
    ck_assert_double_eq_tol(r->days_overdue[1], 18, TOL);
    ck_assert_double_eq_tol(r->days_overdue[2], 3, TOL);
    ck_assert_int_eq(r->reviews[3], 2);
    ck_assert_int_eq(r->next_due[3], D + 93);
    ck_assert_uint_eq(r->overdue[3], 0);
    ck_assert_int_eq(r->summary_on_cadence[0], 2);
    ck_assert_uint_eq(r->n_owner_rows, 4);
    const int32_t own[] = {CSM_REVIEWS_OWNER_NONE, 1, 2, 3};
    const int64_t acc[] = {1, 1, 2, 1};
    for (size_t w = 0; w < 4; w++) {
        ck_assert_int_eq(r->owners_owner[w], own[w]);
        ck_assert_int_eq(r->owners_accounts[w], acc[w]);
    }
    ck_assert_int_eq(r->owner[1], 3);
    /* the owner column's null is "unassigned", the reviewer's "none" */
    const csm_table *t = csm_result_find(r->result, "reviews");
    ck_assert_str_eq(csm_table_find(t, "owner")->null_label, "unassigned");
    ck_assert_str_eq(csm_table_find(t, "last_reviewer")->null_label, "none");
    csm_reviews_free(r);
    /* no tiers, every touch a review: cadence 90 for all; 11's last touch
     * is now the call at D-5 by CSM 1 (due D+85), 14's the call at D-2 */
    o = (csm_reviews_opts)CSM_REVIEWS_OPTS_INIT;
    o.as_of = D;
    ck_assert_int_eq(csm_reviews_compute(&r, &ac, &tc, &o, NULL), CSM_OK);
    ck_assert_int_eq(r->cadence_days[0], 90);
    ck_assert_int_eq(r->tier[0], -1);
    ck_assert_int_eq(r->last_review[1], D - 5);
    ck_assert_int_eq(r->last_reviewer[1], 1);
    ck_assert_int_eq(r->last_review[4], D - 2);
    ck_assert_int_eq(r->summary_never_reviewed[0], 0);
    ck_assert_int_eq(r->summary_overdue[0], 1); /* 13: D-91 + 90 = D-1 */
    csm_reviews_free(r);
}
END_TEST

START_TEST(test_reviews_tables) {
    csm_reviews_accounts ac = accounts();
    csm_reviews_touches tc = touches();
    csm_reviews_opts o = fixture_opts();
    csm_reviews *r = NULL;
    ck_assert_int_eq(csm_reviews_compute(&r, &ac, &tc, &o, NULL), CSM_OK);
    ck_assert_str_eq(csm_result_kind(r->result), "reviews");
    ck_assert_uint_eq(csm_result_n_tables(r->result), 3);
    const csm_table *t = csm_result_table(r->result, 0);
    const csm_table *w = csm_result_table(r->result, 1);
    const csm_table *s = csm_result_table(r->result, 2);
    ck_assert_str_eq(t->name, "reviews");
    ck_assert_str_eq(w->name, "reviews_owners");
    ck_assert_str_eq(s->name, "reviews_summary");
    ck_assert_uint_eq(w->n_rows, 2);
    check_columns_sane(t);
    check_columns_sane(w);
    check_columns_sane(s);
    /* never reviewed: the day columns are null (INT32_MIN) */
    const csm_column *last = csm_table_find(t, "last_review");
    ck_assert_int_eq(last->type, CSM_TYPE_DAY);
    ck_assert_int_eq(csm_column_is_valid(last, 4), 0);
    ck_assert_int_eq(csm_column_is_valid(last, 3), 1);
    struct ArrowSchema sc;
    struct ArrowArray a;
    ck_assert_int_eq(csm_table_export_arrow(&sc, &a, r->result, t, NULL),
                     CSM_OK);
    ck_assert_str_eq(sc.children[7]->name, "last_review");
    ck_assert_str_eq(sc.children[7]->format, "tdD");
    ck_assert_int_eq(a.children[7]->null_count, 1);
    ck_assert(!arrow_bit(a.children[7]->buffers[0], 4));
    ck_assert_int_eq(((const int32_t *)a.children[7]->buffers[1])[0], D - 20);
    a.release(&a);
    sc.release(&sc);
    csm_reviews_free(r);
}
END_TEST

START_TEST(test_reviews_edge) {
    csm_reviews *r = NULL;
    csm_error e;
    csm_reviews_accounts ac = accounts();
    csm_reviews_touches tc = touches();
    csm_reviews_opts o = fixture_opts();
    /* same-day reviews: the later row's CSM is the last reviewer */
    const int64_t ta[] = {10, 10};
    const int32_t td[] = {D - 1, D - 1};
    const int32_t tw[] = {7, 8};
    csm_reviews_touches t2 = {ta, td, tw, NULL, 2};
    csm_reviews_opts o2 = CSM_REVIEWS_OPTS_INIT;
    ck_assert_int_eq(csm_reviews_compute(&r, &ac, &t2, &o2, &e), CSM_OK);
    ck_assert_int_eq(r->last_reviewer[0], 8);
    ck_assert_int_eq(r->reviews[0], 2);
    csm_reviews_free(r);
    /* no account: empty tables, coverage NaN flagged */
    csm_reviews_accounts a0 = {NULL, NULL, NULL, NULL, 0};
    ck_assert_int_eq(csm_reviews_compute(&r, &a0, &tc, &o, &e), CSM_OK);
    ck_assert_uint_eq(r->n_rows, 0);
    ck_assert_uint_eq(r->n_owner_rows, 0);
    ck_assert(isnan(r->summary_coverage[0]));
    ck_assert_uint_eq(r->summary_flags[0], CSM_FLAG_ZERO_DENOMINATOR);
    csm_reviews_free(r);
    /* errors */
    ck_assert_int_eq(csm_reviews_compute(NULL, &ac, &tc, &o, &e), CSM_EINVAL);
    ck_assert_int_eq(csm_reviews_compute(&r, NULL, &tc, &o, &e), CSM_EINVAL);
    ck_assert_str_eq(e.field, "accounts");
    o2.as_of = CSM_REVIEWS_DAY_NONE;
    csm_reviews_touches t0 = {NULL, NULL, NULL, NULL, 0};
    ck_assert_int_eq(csm_reviews_compute(&r, &ac, &t0, &o2, &e), CSM_EDOMAIN);
    ck_assert_str_eq(e.field, "opts.as_of");
    const int64_t dup[] = {1, 2, 1};
    csm_reviews_accounts ad = {dup, NULL, NULL, NULL, 3};
    ck_assert_int_eq(csm_reviews_compute(&r, &ad, &tc, &o, &e), CSM_EDUP);
    ck_assert_uint_eq(e.row, 2);
    o.default_days = 0;
    ck_assert_int_eq(csm_reviews_compute(&r, &ac, &tc, &o, &e), CSM_EINVAL);
    ck_assert_str_eq(e.field, "opts.default_days");
    o = fixture_opts();
    const int32_t bad_days[] = {30, CSM_REVIEWS_MAX_DAYS + 1};
    o.tier_days = bad_days;
    ck_assert_int_eq(csm_reviews_compute(&r, &ac, &tc, &o, &e), CSM_EINVAL);
    ck_assert_uint_eq(e.row, 1);
    o.tier_days = NULL;
    ck_assert_int_eq(csm_reviews_compute(&r, &ac, &tc, &o, &e), CSM_EINVAL);
    o = fixture_opts();
    const double bad_mrr[] = {800, 5000, NAN, 2000, 100};
    ac.mrr = bad_mrr;
    ck_assert_int_eq(csm_reviews_compute(&r, &ac, &tc, &o, &e), CSM_EDOMAIN);
    ck_assert_uint_eq(e.row, 2);
    /* an owner CSM_REVIEWS_OWNER_NONE is an unassigned account: account
     * 10 (on cadence) moves from owner 1 to the unassigned row */
    ac = accounts();
    const int32_t no_owner[] = {2, INT32_MIN, 2, 1, 2};
    ac.owner = no_owner;
    ck_assert_int_eq(csm_reviews_compute(&r, &ac, &tc, &o, &e), CSM_OK);
    ck_assert_uint_eq(r->n_owner_rows, 3);
    ck_assert_int_eq(r->owners_owner[0], CSM_REVIEWS_OWNER_NONE);
    ck_assert_int_eq(r->owners_on_cadence[0], 1);
    ck_assert_int_eq(r->owners_accounts[1], 1); /* owner 1: 11 alone */
    ck_assert_double_eq_tol(r->owners_coverage[1], 0, TOL);
    csm_reviews_free(r);
    ac = accounts();
    const int32_t late[] = {INT32_MAX - 5, D};
    const int64_t la[] = {10, 11};
    csm_reviews_touches tl = {la, late, NULL, NULL, 2};
    o.as_of = INT32_MAX;
    o.review_type = CSM_REVIEWS_ANY_TYPE;
    ck_assert_int_eq(csm_reviews_compute(&r, &ac, &tl, &o, &e), CSM_ERANGE);
    ck_assert_ptr_null(r);
    const int32_t none_day[] = {D, INT32_MIN};
    csm_reviews_touches tn = {la, none_day, NULL, NULL, 2};
    ck_assert_int_eq(csm_reviews_compute(&r, &ac, &tn, &o, &e), CSM_EDOMAIN);
    ck_assert_str_eq(e.field, "day");
    csm_reviews_free(NULL);
}
END_TEST

START_TEST(test_reviews_oom) {
    int done = 0;
    csm_reviews_accounts ac = accounts();
    csm_reviews_touches tc = touches();
    for (long b = 0; b < 20 && !done; b++) {
        fail_ctx f = {b, 0};
        csm_allocator al = {fail_alloc, fail_free, &f, NULL};
        csm_reviews_opts o = fixture_opts();
        o.allocator = &al;
        csm_reviews *r = NULL;
        csm_status s = csm_reviews_compute(&r, &ac, &tc, &o, NULL);
        ck_assert(s == CSM_OK || s == CSM_ENOMEM);
        done = s == CSM_OK;
        if (done)
            ck_assert_double_eq_tol(r->summary_coverage[0], 0.4, TOL);
        else
            ck_assert_ptr_null(r);
        csm_reviews_free(r);
        ck_assert_int_eq(f.live, 0);
    }
    ck_assert(done);
}
END_TEST

int main(void) {
    Suite *s = suite_create("reviews");
    TCase *tc = tcase_create("csm_reviews_compute");
    tcase_add_test(tc, test_reviews_fixture);
    tcase_add_test(tc, test_reviews_defaults);
    tcase_add_test(tc, test_reviews_tables);
    suite_add_tcase(s, tc);
    tc = tcase_create("edge");
    tcase_add_test(tc, test_reviews_edge);
    tcase_add_test(tc, test_reviews_oom);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
