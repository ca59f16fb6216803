/* test-ledger.c - the MRR ledger: building (rows, contracts), movements,
 * retention and cohorts.
 *
 * Hand-worked fixture (months M0..M5 = 2024-01..2024-06), segments 1 and 2:
 *
 *   cust seg   M0   M1   M2   M3   M4   M5
 *   A=1   1   100  100  150  150  120  120   expansion M2, contraction M4
 *   B=2   1   200  200    -    -    -    -   churn M2
 *   C=3   2     -   50   50    -   80   80   new M1, churn M3, back M4 (away 1)
 *   D=4   2   300    -    -    -  300  300   churn M1, back M4 (away 3)
 *   E=5  1/2  100  100  100  100  100  100   M0 given as two rows 40 + 60;
 *                                           segment 1 until M2, 2 from M3
 *   F=6   2     -    -    -   90   90   90   new M3
 *
 *   total MRR: M0 700, M1 450, M2 300, M3 340, M4 690, M5 690
 *   customers: M0 4,   M1 4,   M2 3,   M3 3,   M4 5,   M5 5
 *
 * Every expected number below is derived from this table in the comment
 * next to it.  A second, deliberately naive implementation (dense customer x
 * month array, straight loops) checks the real one on random ledgers.
 */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "csmetrics/csmetrics.h"
#include "oom.h"
#include "tables.h"
#include "internal/ledger_impl.h"

#define TOL 1e-9
#define M(k) (csm_month(2024, 1) + (k))

static const int64_t fx_cust[] = {1, 1, 1, 1, 1, 1, 2, 2, 3, 3, 3, 3, 4,
                                  4, 4, 5, 5, 5, 5, 5, 5, 5, 6, 6, 6};
static const int32_t fx_month[] = {0, 1, 2, 3, 4, 5, 0, 1, 1, 2, 4, 5, 0,
                                   4, 5, 0, 0, 1, 2, 3, 4, 5, 3, 4, 5};
static const double fx_mrr[] = {100, 100, 150, 150, 120, 120, 200, 200, 50,
                                50,  80,  80,  300, 300, 300, 40,  60,  100,
                                100, 100, 100, 100, 90,  90,  90};
static const int32_t fx_seg[] = {1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2,
                                 2, 2, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2};
#define FX_N (sizeof fx_cust / sizeof fx_cust[0])

/* The fixture's ledger, every block from allocator a (NULL = libc). */
static csm_ledger *fixture_with(const csm_allocator *a) {
    int32_t per[FX_N];
    for (size_t i = 0; i < FX_N; i++)
        per[i] = M(fx_month[i]);
    csm_ledger_opts lo = CSM_LEDGER_OPTS_INIT;
    lo.allocator = a;
    csm_ledger *l = NULL;
    csm_error e;
    ck_assert_int_eq(
        csm_ledger_new(&l, fx_cust, per, fx_mrr, fx_seg, FX_N, &lo, &e),
        CSM_OK);
    return l;
}

static csm_ledger *fixture(void) { return fixture_with(NULL); }

/* ---- building ----------------------------------------------------------- */
START_TEST(test_build_fixture) {
    csm_ledger *l = fixture();
    ck_assert_uint_eq(csm_ledger_customer_count(l), 6);
    /* 25 rows, E's two M0 rows merged: 24 entries */
    ck_assert_uint_eq(csm_ledger_entry_count(l), 24);
    ck_assert_int_eq(csm_ledger_first_month(l), M(0));
    ck_assert_int_eq(csm_ledger_last_month(l), M(5));
    ck_assert_double_eq_tol(csm_ledger_mrr(l, M(0)), 700, TOL);
    ck_assert_double_eq_tol(csm_ledger_mrr(l, M(3)), 340, TOL);
    ck_assert_double_eq_tol(csm_ledger_mrr(l, M(6)), 0, TOL);
    csm_ledger_free(l);
}
END_TEST

START_TEST(test_build_wide_keys) {
    /* customer ids spanning the whole int64 range force the qsort path;
     * segment ids far apart force the sorted segment table.  Same ledger
     * as a narrow one: customer -2^62 (seg -10^9) pays 10 then 20,
     * customer 2^62 (seg 10^9) pays 5 in the second month only. */
    const int64_t c[] = {INT64_C(4611686018427387904),
                         -INT64_C(4611686018427387904),
                         -INT64_C(4611686018427387904)};
    const int32_t p[] = {M(1), M(1), M(0)};
    const double v[] = {5, 20, 10};
    const int32_t s[] = {1000000000, -1000000000, -1000000000};
    csm_ledger *l;
    ck_assert_int_eq(csm_ledger_new(&l, c, p, v, s, 3, NULL, NULL), CSM_OK);
    ck_assert_uint_eq(csm_ledger_customer_count(l), 2);
    ck_assert_int_eq(l->cust_id[0], -INT64_C(4611686018427387904));
    ck_assert_uint_eq(l->n_seg, 2);
    ck_assert_int_eq(l->seg_ids[0], -1000000000);
    csm_movements_opts o = CSM_MOVEMENTS_OPTS_INIT;
    o.by_segment = 1;
    csm_movements *m;
    ck_assert_int_eq(csm_movements_compute(&m, l, &o, NULL), CSM_OK);
    /* month 1: segment -1e9 expands 10 -> 20; segment 1e9 has new 5 */
    ck_assert_double_eq_tol(m->expansion_mrr[2], 10, TOL);
    ck_assert_double_eq_tol(m->new_mrr[3], 5, TOL);
    csm_movements_free(m);
    csm_ledger_free(l);
}
END_TEST

START_TEST(test_entry_at) {
    /* csm__ledger_entry_at, the one per-customer month lookup (ledger_impl.h),
     * on the fixture (header table).  Customers in id order: index 0 = A,
     * 2 = C, 3 = D, 4 = E.  C's entries are M1 M2 M4 M5 (so M4 is its third,
     * cust_off[2] + 2, MRR 80); M0 (before C starts) and M3 (the gap) have
     * none.  D: M0 is its first entry (300), away M1..M3, M5 its last (300).
     * E's M0 is the merged 40 + 60 = 100.  Outside the ledger: none. */
    csm_ledger *l = fixture();
    ck_assert_int_eq(csm__ledger_entry_at(l, 2, M(0)), -1);
    ck_assert_int_eq(csm__ledger_entry_at(l, 2, M(1)), (long)l->cust_off[2]);
    ck_assert_int_eq(csm__ledger_entry_at(l, 2, M(3)), -1);
    ck_assert_int_eq(csm__ledger_entry_at(l, 2, M(4)), (long)l->cust_off[2] + 2);
    ck_assert_double_eq_tol(l->mrr[csm__ledger_entry_at(l, 2, M(4))], 80, TOL);
    ck_assert_int_eq(csm__ledger_entry_at(l, 3, M(0)), (long)l->cust_off[3]);
    for (int k = 1; k <= 3; k++)
        ck_assert_int_eq(csm__ledger_entry_at(l, 3, M(k)), -1);
    ck_assert_int_eq(csm__ledger_entry_at(l, 3, M(5)), (long)l->cust_off[4] - 1);
    ck_assert_double_eq_tol(l->mrr[csm__ledger_entry_at(l, 4, M(0))], 100, TOL);
    ck_assert_int_eq(csm__ledger_entry_at(l, 0, M(-1)), -1);
    ck_assert_int_eq(csm__ledger_entry_at(l, 0, M(6)), -1);
    csm_ledger_free(l);
}
END_TEST

START_TEST(test_build_errors) {
    int32_t per[FX_N];
    for (size_t i = 0; i < FX_N; i++)
        per[i] = M(fx_month[i]);
    csm_ledger *l = (csm_ledger *)1;
    csm_error e;
    /* strict: rows 15 and 16 are E's duplicate M0 rows; 16 is named */
    csm_ledger_opts o = CSM_LEDGER_OPTS_INIT;
    o.strict = 1;
    ck_assert_int_eq(
        csm_ledger_new(&l, fx_cust, per, fx_mrr, fx_seg, FX_N, &o, &e),
        CSM_EDUP);
    ck_assert_ptr_null(l);
    ck_assert_uint_eq(e.row, 16);
    ck_assert_str_eq(e.field, "period");
    /* negative and non-finite MRR name the row */
    double bad[FX_N];
    memcpy(bad, fx_mrr, sizeof bad);
    bad[7] = -1;
    ck_assert_int_eq(
        csm_ledger_new(&l, fx_cust, per, bad, NULL, FX_N, NULL, &e),
        CSM_EDOMAIN);
    ck_assert_uint_eq(e.row, 7);
    ck_assert_str_eq(e.field, "mrr");
    bad[7] = 1;
    bad[3] = NAN;
    ck_assert_int_eq(
        csm_ledger_new(&l, fx_cust, per, bad, NULL, FX_N, NULL, &e),
        CSM_EDOMAIN);
    ck_assert_uint_eq(e.row, 3);
    bad[3] = INFINITY;
    ck_assert_int_eq(
        csm_ledger_new(&l, fx_cust, per, bad, NULL, FX_N, NULL, NULL),
        CSM_EDOMAIN);
    ck_assert_int_eq(csm_ledger_new(NULL, fx_cust, per, fx_mrr, NULL, FX_N,
                                    NULL, &e),
                     CSM_EINVAL);
    ck_assert_int_eq(
        csm_ledger_new(&l, NULL, per, fx_mrr, NULL, FX_N, NULL, &e),
        CSM_EINVAL);
    ck_assert_str_eq(e.field, "customer_id");
    csm_ledger_opts tiny = {0, 0, 0, NULL};
    ck_assert_int_eq(
        csm_ledger_new(&l, fx_cust, per, fx_mrr, NULL, FX_N, &tiny, &e),
        CSM_EINVAL);
}
END_TEST

START_TEST(test_build_empty) {
    csm_ledger *l = NULL;
    ck_assert_int_eq(csm_ledger_new(&l, NULL, NULL, NULL, NULL, 0, NULL, NULL),
                     CSM_OK);
    ck_assert_uint_eq(csm_ledger_customer_count(l), 0);
    ck_assert_int_eq(csm_ledger_first_month(l), CSM_MONTH_NONE);
    csm_movements *m = NULL;
    ck_assert_int_eq(csm_movements_compute(&m, l, NULL, NULL), CSM_OK);
    ck_assert_uint_eq(m->n_rows, 0);
    csm_movements_free(m);
    csm_retention *r = NULL;
    ck_assert_int_eq(csm_retention_compute(&r, l, NULL, NULL), CSM_OK);
    ck_assert_uint_eq(r->n_rows, 0);
    csm_retention_free(r);
    csm_cohorts *c = NULL;
    ck_assert_int_eq(csm_cohorts_compute(&c, l, NULL, NULL), CSM_OK);
    ck_assert_uint_eq(c->n_cohorts, 0);
    csm_cohorts_free(c);
    /* an explicit range over an empty ledger: zero rows of zeros */
    csm_movements_opts mo = CSM_MOVEMENTS_OPTS_INIT;
    mo.first_month = M(0);
    mo.last_month = M(1);
    ck_assert_int_eq(csm_movements_compute(&m, l, &mo, NULL), CSM_OK);
    ck_assert_uint_eq(m->n_rows, 2);
    ck_assert_double_eq(m->closing_mrr[1], 0.0);
    ck_assert(isnan(m->customer_churn_rate[1]));
    ck_assert(m->flags[1] & CSM_FLAG_ZERO_DENOMINATOR);
    csm_movements_free(m);
    csm_ledger_free(l);
}
END_TEST

START_TEST(test_free_is_active) {
    /* customer 1: 100 then a 100% discount (0) then 100 again.
     * default: M1 is churn 100, M2 a reactivation of 100.
     * free_is_active: M1 is a contraction of 100 (still a customer), M2
     * an expansion of 100. */
    const int64_t c[] = {1, 1, 1};
    const int32_t p[] = {M(0), M(1), M(2)};
    const double v[] = {100, 0, 100};
    csm_ledger *l;
    csm_movements *m;
    ck_assert_int_eq(csm_ledger_new(&l, c, p, v, NULL, 3, NULL, NULL), CSM_OK);
    ck_assert_int_eq(csm_movements_compute(&m, l, NULL, NULL), CSM_OK);
    ck_assert_double_eq_tol(m->churn_mrr[1], 100, TOL);
    ck_assert_int_eq(m->closing_customers[1], 0);
    ck_assert_double_eq_tol(m->reactivation_mrr[2], 100, TOL);
    csm_movements_free(m);
    csm_ledger_free(l);
    csm_ledger_opts o = CSM_LEDGER_OPTS_INIT;
    o.free_is_active = 1;
    ck_assert_int_eq(csm_ledger_new(&l, c, p, v, NULL, 3, &o, NULL), CSM_OK);
    ck_assert_int_eq(csm_movements_compute(&m, l, NULL, NULL), CSM_OK);
    ck_assert_double_eq_tol(m->churn_mrr[1], 0, TOL);
    ck_assert_double_eq_tol(m->contraction_mrr[1], 100, TOL);
    ck_assert_int_eq(m->closing_customers[1], 1);
    ck_assert_double_eq_tol(m->expansion_mrr[2], 100, TOL);
    /* arpa in M1 = 0 / 1 customer = 0 */
    ck_assert_double_eq_tol(m->arpa[1], 0, TOL);
    csm_movements_free(m);
    csm_ledger_free(l);
}
END_TEST

/* ---- movements ---------------------------------------------------------- */
START_TEST(test_movements_fixture) {
    csm_ledger *l = fixture();
    csm_movements *m = NULL;
    ck_assert_int_eq(csm_movements_compute(&m, l, NULL, NULL), CSM_OK);
    ck_assert_uint_eq(m->n_rows, 6);
    /* M0: opening 0; new A100+B200+D300+E100 = 700 from 4 customers */
    ck_assert_int_eq(m->month[0], M(0));
    ck_assert_double_eq_tol(m->opening_mrr[0], 0, TOL);
    ck_assert_double_eq_tol(m->new_mrr[0], 700, TOL);
    ck_assert_int_eq(m->new_customers[0], 4);
    ck_assert_double_eq_tol(m->closing_mrr[0], 700, TOL);
    ck_assert(isnan(m->customer_churn_rate[0])); /* 0 churned / 0 opening */
    ck_assert(isnan(m->gross_mrr_churn_rate[0]));
    ck_assert(isnan(m->quick_ratio[0])); /* 700 / (0 + 0) */
    ck_assert(m->flags[0] & CSM_FLAG_ZERO_DENOMINATOR);
    ck_assert_double_eq_tol(m->arpa[0], 175, TOL); /* 700 / 4 */
    ck_assert_double_eq_tol(m->arr[0], 8400, TOL); /* 12 x 700 */
    /* M1: new C 50; D churns 300; net -250; 700 -> 450 */
    ck_assert_double_eq_tol(m->new_mrr[1], 50, TOL);
    ck_assert_double_eq_tol(m->churn_mrr[1], 300, TOL);
    ck_assert_int_eq(m->churned_customers[1], 1);
    ck_assert_double_eq_tol(m->net_new_mrr[1], -250, TOL);
    ck_assert_double_eq_tol(m->closing_mrr[1], 450, TOL);
    ck_assert_double_eq_tol(m->customer_churn_rate[1], 0.25, TOL); /* 1/4 */
    ck_assert_double_eq_tol(m->gross_mrr_churn_rate[1], 300.0 / 700, TOL);
    ck_assert_double_eq_tol(m->net_mrr_churn_rate[1], 300.0 / 700, TOL);
    ck_assert_double_eq_tol(m->quick_ratio[1], 50.0 / 300, TOL);
    ck_assert_double_eq_tol(m->arpa[1], 112.5, TOL); /* 450 / 4 */
    /* M2: A +50 expansion, B churns 200; 450 -> 300 */
    ck_assert_double_eq_tol(m->expansion_mrr[2], 50, TOL);
    ck_assert_int_eq(m->expanded_customers[2], 1);
    ck_assert_double_eq_tol(m->churn_mrr[2], 200, TOL);
    ck_assert_double_eq_tol(m->closing_mrr[2], 300, TOL);
    ck_assert_double_eq_tol(m->net_mrr_churn_rate[2], 150.0 / 450, TOL);
    ck_assert_double_eq_tol(m->quick_ratio[2], 0.25, TOL); /* 50 / 200 */
    /* M3: F new 90, C churns 50; 300 -> 340; churn rate 1/3 */
    ck_assert_double_eq_tol(m->new_mrr[3], 90, TOL);
    ck_assert_double_eq_tol(m->churn_mrr[3], 50, TOL);
    ck_assert_double_eq_tol(m->customer_churn_rate[3], 1.0 / 3, TOL);
    ck_assert_double_eq_tol(m->quick_ratio[3], 1.8, TOL); /* 90 / 50 */
    /* M4: A -30 contraction; C back after 1 month (80), D back after 3
     * months (300), both reactivations with no window; 340 -> 690 */
    ck_assert_double_eq_tol(m->contraction_mrr[4], 30, TOL);
    ck_assert_double_eq_tol(m->reactivation_mrr[4], 380, TOL);
    ck_assert_int_eq(m->reactivated_customers[4], 2);
    ck_assert_double_eq_tol(m->new_mrr[4], 0, TOL);
    ck_assert_double_eq_tol(m->closing_mrr[4], 690, TOL);
    ck_assert_int_eq(m->closing_customers[4], 5);
    /* net MRR churn (30 - 380)/340: net negative churn */
    ck_assert_double_eq_tol(m->net_mrr_churn_rate[4], -350.0 / 340, TOL);
    ck_assert_double_eq_tol(m->quick_ratio[4], 380.0 / 30, TOL);
    ck_assert_double_eq_tol(m->arpa[4], 138, TOL); /* 690 / 5 */
    /* M5: no movement: quick ratio 0/0 is NaN, churn rate 0/5 = 0 */
    ck_assert(isnan(m->quick_ratio[5]));
    ck_assert_double_eq_tol(m->customer_churn_rate[5], 0, TOL);
    for (size_t r = 0; r < m->n_rows; r++)
        ck_assert_double_eq_tol(m->opening_mrr[r] + m->net_new_mrr[r],
                                m->closing_mrr[r], TOL);
    csm_movements_free(m);
    csm_ledger_free(l);
}
END_TEST

START_TEST(test_movements_window) {
    /* window 2: C (away 1 month) is a reactivation, D (away 3) is new */
    csm_ledger *l = fixture();
    csm_movements *m = NULL;
    csm_movements_opts o = CSM_MOVEMENTS_OPTS_INIT;
    o.reactivation_window = 2;
    ck_assert_int_eq(csm_movements_compute(&m, l, &o, NULL), CSM_OK);
    ck_assert_double_eq_tol(m->reactivation_mrr[4], 80, TOL);
    ck_assert_double_eq_tol(m->new_mrr[4], 300, TOL);
    ck_assert_int_eq(m->new_customers[4], 1);
    csm_movements_free(m);
    /* window 3: D's 3 months away is still inside */
    o.reactivation_window = 3;
    ck_assert_int_eq(csm_movements_compute(&m, l, &o, NULL), CSM_OK);
    ck_assert_double_eq_tol(m->reactivation_mrr[4], 380, TOL);
    csm_movements_free(m);
    csm_ledger_free(l);
}
END_TEST

START_TEST(test_movements_segments) {
    csm_ledger *l = fixture();
    csm_movements *m = NULL;
    csm_movements_opts o = CSM_MOVEMENTS_OPTS_INIT;
    o.by_segment = 1;
    ck_assert_int_eq(csm_movements_compute(&m, l, &o, NULL), CSM_OK);
    ck_assert_uint_eq(m->n_segments, 2);
    ck_assert_uint_eq(m->n_rows, 12);
    /* row 2*t + s: segment 1 (A, B, E until M2) and 2 (C, D, F, E) */
    ck_assert_int_eq(m->segment[0], 1);
    ck_assert_int_eq(m->segment[1], 2);
    /* M0: seg 1 new A100+B200+E100 = 400; seg 2 new D 300 */
    ck_assert_double_eq_tol(m->new_mrr[0], 400, TOL);
    ck_assert_double_eq_tol(m->new_mrr[1], 300, TOL);
    /* M3: E moves from 1 to 2 with 100: seg 1 out 100 (250 -> 150),
     * seg 2: 50 - C churn 50 + F new 90 + E in 100 = 190 */
    ck_assert_double_eq_tol(m->opening_mrr[6], 250, TOL);
    ck_assert_double_eq_tol(m->segment_out_mrr[6], 100, TOL);
    ck_assert_int_eq(m->segment_out_customers[6], 1);
    ck_assert_double_eq_tol(m->closing_mrr[6], 150, TOL);
    ck_assert_double_eq_tol(m->expansion_mrr[6], 0, TOL);
    ck_assert_double_eq_tol(m->opening_mrr[7], 50, TOL);
    ck_assert_double_eq_tol(m->segment_in_mrr[7], 100, TOL);
    ck_assert_double_eq_tol(m->churn_mrr[7], 50, TOL);
    ck_assert_double_eq_tol(m->new_mrr[7], 90, TOL);
    ck_assert_double_eq_tol(m->closing_mrr[7], 190, TOL);
    /* M4: seg 1 A -30 (150 -> 120); seg 2 reactivations 380 (190 -> 570) */
    ck_assert_double_eq_tol(m->closing_mrr[8], 120, TOL);
    ck_assert_double_eq_tol(m->closing_mrr[9], 570, TOL);
    for (size_t r = 0; r < m->n_rows; r++)
        ck_assert_double_eq_tol(m->opening_mrr[r] + m->net_new_mrr[r],
                                m->closing_mrr[r], TOL);
    csm_movements_free(m);
    csm_ledger_free(l);
}
END_TEST

START_TEST(test_movements_tolerance) {
    /* 100 -> 100.4 -> 99.9 -> 120 with tolerance 0.5: the first two
     * changes (+0.4, -0.5) go to adjustment (-0.1 in total), +20.1 is an
     * expansion */
    const int64_t c[] = {9, 9, 9, 9};
    const int32_t p[] = {M(0), M(1), M(2), M(3)};
    const double v[] = {100, 100.4, 99.9, 120};
    csm_ledger *l;
    csm_movements *m;
    ck_assert_int_eq(csm_ledger_new(&l, c, p, v, NULL, 4, NULL, NULL), CSM_OK);
    csm_movements_opts o = CSM_MOVEMENTS_OPTS_INIT;
    o.tolerance = 0.5;
    ck_assert_int_eq(csm_movements_compute(&m, l, &o, NULL), CSM_OK);
    ck_assert_double_eq_tol(m->adjustment_mrr[1], 0.4, TOL);
    ck_assert_double_eq_tol(m->expansion_mrr[1], 0, TOL);
    ck_assert_double_eq_tol(m->adjustment_mrr[2], -0.5, TOL);
    ck_assert_double_eq_tol(m->contraction_mrr[2], 0, TOL);
    ck_assert_double_eq_tol(m->expansion_mrr[3], 20.1, TOL);
    for (size_t r = 0; r < m->n_rows; r++)
        ck_assert_double_eq_tol(m->opening_mrr[r] + m->net_new_mrr[r],
                                m->closing_mrr[r], TOL);
    csm_movements_free(m);
    /* exact comparison (default): +0.4 is an expansion */
    ck_assert_int_eq(csm_movements_compute(&m, l, NULL, NULL), CSM_OK);
    ck_assert_double_eq_tol(m->expansion_mrr[1], 0.4, TOL);
    csm_movements_free(m);
    o.tolerance = -1;
    csm_error e;
    ck_assert_int_eq(csm_movements_compute(&m, l, &o, &e), CSM_EINVAL);
    ck_assert_ptr_null(m);
    ck_assert_str_eq(e.field, "opts.tolerance");
    csm_ledger_free(l);
}
END_TEST

START_TEST(test_movements_errors) {
    csm_ledger *l = fixture();
    csm_movements *m = NULL;
    csm_error e;
    ck_assert_int_eq(csm_movements_compute(&m, NULL, NULL, &e), CSM_EINVAL);
    csm_movements_opts o = CSM_MOVEMENTS_OPTS_INIT;
    o.first_month = M(3);
    o.last_month = M(1);
    ck_assert_int_eq(csm_movements_compute(&m, l, &o, &e), CSM_EINVAL);
    o = (csm_movements_opts)CSM_MOVEMENTS_OPTS_INIT;
    o.reactivation_window = -1;
    ck_assert_int_eq(csm_movements_compute(&m, l, &o, &e), CSM_EINVAL);
    o = (csm_movements_opts)CSM_MOVEMENTS_OPTS_INIT;
    o.churn_denominator = 7;
    ck_assert_int_eq(csm_movements_compute(&m, l, &o, &e), CSM_EINVAL);
    ck_assert_int_eq(csm_movements_opts_preset(&o, (csm_preset)42),
                     CSM_EINVAL);
    /* a range past the data: M6 is all churn of M5's 690 (5 customers) */
    o = (csm_movements_opts)CSM_MOVEMENTS_OPTS_INIT;
    o.first_month = M(5);
    o.last_month = M(6);
    ck_assert_int_eq(csm_movements_compute(&m, l, &o, &e), CSM_OK);
    ck_assert_double_eq_tol(m->opening_mrr[0], 690, TOL);
    ck_assert_double_eq_tol(m->churn_mrr[1], 690, TOL);
    ck_assert_int_eq(m->churned_customers[1], 5);
    ck_assert_double_eq_tol(m->customer_churn_rate[1], 1.0, TOL);
    csm_movements_free(m);
    csm_ledger_free(l);
}
END_TEST

/* ---- retention ---------------------------------------------------------- */
START_TEST(test_retention_fixture) {
    csm_ledger *l = fixture();
    csm_retention *r = NULL;
    csm_retention_opts o = CSM_RETENTION_OPTS_INIT;
    o.window = 3;
    ck_assert_int_eq(csm_retention_compute(&r, l, &o, NULL), CSM_OK);
    ck_assert_uint_eq(r->n_rows, 3); /* t1 = M3, M4, M5 */
    /* t1 M3, t0 M0: base A100 B200 D300 E100 = 700 (4); at M3 A150 E100:
     * GRR (100 + 100)/700, NRR (150 + 100)/700, logo 2/4 */
    ck_assert_int_eq(r->start_month[0], M(0));
    ck_assert_int_eq(r->end_month[0], M(3));
    ck_assert_int_eq(r->base_customers[0], 4);
    ck_assert_double_eq_tol(r->base_mrr[0], 700, TOL);
    ck_assert_double_eq_tol(r->grr[0], 200.0 / 700, TOL);
    ck_assert_double_eq_tol(r->nrr[0], 250.0 / 700, TOL);
    ck_assert_double_eq_tol(r->logo_retention[0], 0.5, TOL);
    /* t1 M4, t0 M1: base A100 B200 C50 E100 = 450; at M4 A120 C80 E100:
     * GRR (100 + 50 + 100)/450, NRR 300/450, logo 3/4; F (not in base)
     * and D (not active in M1) do not count */
    ck_assert_double_eq_tol(r->grr[1], 250.0 / 450, TOL);
    ck_assert_double_eq_tol(r->nrr[1], 300.0 / 450, TOL);
    ck_assert_double_eq_tol(r->logo_retention[1], 0.75, TOL);
    ck_assert_double_eq_tol(r->reactivation_mrr[1], 80, TOL); /* C at M4 */
    /* t1 M5, t0 M2: base A150 C50 E100 = 300; at M5 A120 C80 E100:
     * GRR (120 + 50 + 100)/300 = 0.9, NRR 300/300 = 1, logo 1 */
    ck_assert_double_eq_tol(r->grr[2], 0.9, TOL);
    ck_assert_double_eq_tol(r->nrr[2], 1.0, TOL);
    ck_assert_double_eq_tol(r->logo_retention[2], 1.0, TOL);
    csm_retention_free(r);

    /* movement-sum NRR (ChartMogul): t1 M4 per base customer:
     *   A: 100, +50 -30 -> GRR part 100-30 = 70, NRR part 120
     *   B: 200, churn 200 -> 0, 0
     *   C: 50, churn 50, reactivation 80 excluded -> 0, 80-80 = 0
     *   E: 100 -> 100, 100
     * GRR 170/450, NRR 220/450.  t1 M5 (base M2): A 150-30 = 120, C 0,
     * E 100: GRR = NRR = 220/300. */
    o.nrr_mode = CSM_NRR_MOVEMENT_SUM;
    ck_assert_int_eq(csm_retention_compute(&r, l, &o, NULL), CSM_OK);
    ck_assert_double_eq_tol(r->grr[1], 170.0 / 450, TOL);
    ck_assert_double_eq_tol(r->nrr[1], 220.0 / 450, TOL);
    ck_assert_double_eq_tol(r->grr[2], 220.0 / 300, TOL);
    ck_assert_double_eq_tol(r->nrr[2], 220.0 / 300, TOL);
    csm_retention_free(r);

    /* by segment at t0, t1 M5 (t0 M2): seg 1 = A150 + E100 (E still in 1
     * at M2) -> GRR (120 + 100)/250 = 0.88, NRR 0.88; seg 2 = C50 ->
     * GRR 50/50 = 1, NRR 80/50 = 1.6 */
    o.nrr_mode = CSM_NRR_SNAPSHOT;
    o.by_segment = 1;
    ck_assert_int_eq(csm_retention_compute(&r, l, &o, NULL), CSM_OK);
    ck_assert_uint_eq(r->n_rows, 6);
    ck_assert_int_eq(r->segment[4], 1);
    ck_assert_double_eq_tol(r->grr[4], 0.88, TOL);
    ck_assert_double_eq_tol(r->nrr[4], 0.88, TOL);
    ck_assert_int_eq(r->segment[5], 2);
    ck_assert_double_eq_tol(r->grr[5], 1.0, TOL);
    ck_assert_double_eq_tol(r->nrr[5], 1.6, TOL);
    csm_retention_free(r);
    csm_ledger_free(l);
}
END_TEST

START_TEST(test_retention_edge) {
    csm_ledger *l = fixture();
    csm_retention *r = NULL;
    csm_retention_opts o = CSM_RETENTION_OPTS_INIT;
    csm_error e;
    o.window = 0;
    ck_assert_int_eq(csm_retention_compute(&r, l, &o, &e), CSM_EINVAL);
    ck_assert_str_eq(e.field, "opts.window");
    /* default window 12 over 6 months of data: no full window, 0 rows */
    ck_assert_int_eq(csm_retention_compute(&r, l, NULL, &e), CSM_OK);
    ck_assert_uint_eq(r->n_rows, 0);
    csm_retention_free(r);
    /* explicit t1 before any data: base 0 -> NaN with flags */
    o = (csm_retention_opts)CSM_RETENTION_OPTS_INIT;
    o.window = 1;
    o.first_month = M(0);
    o.last_month = M(0);
    ck_assert_int_eq(csm_retention_compute(&r, l, &o, &e), CSM_OK);
    ck_assert_uint_eq(r->n_rows, 1);
    ck_assert(isnan(r->grr[0]) && isnan(r->nrr[0]));
    ck_assert(r->flags[0] & CSM_FLAG_ZERO_DENOMINATOR);
    ck_assert(r->flags[0] & CSM_FLAG_EMPTY);
    csm_retention_free(r);
    csm_ledger_free(l);
}
END_TEST

/* Index of the schema child named `name` (fails the test if absent). */
static int64_t arrow_child(const struct ArrowSchema *s, const char *name) {
    for (int64_t i = 0; i < s->n_children; i++)
        if (strcmp(s->children[i]->name, name) == 0)
            return i;
    ck_abort_msg("no Arrow child %s", name);
    return -1;
}

START_TEST(test_retention_table) {
    csm_ledger *l = fixture();
    csm_retention *r = NULL;
    csm_retention_opts o = CSM_RETENTION_OPTS_INIT;
    o.window = 3;
    o.by_segment = 1;
    ck_assert_int_eq(csm_retention_compute(&r, l, &o, NULL), CSM_OK);
    ck_assert_ptr_nonnull(r->result);
    ck_assert_str_eq(csm_result_kind(r->result), "retention");
    ck_assert_ptr_eq(csm_result_view(r->result), r);
    ck_assert_uint_eq(csm_result_n_tables(r->result), 1);
    const csm_table *t = csm_result_table(r->result, 0);
    ck_assert_ptr_eq(csm_result_find(r->result, "retention"), t);
    ck_assert_str_eq(t->name, "retention");
    ck_assert_uint_eq(t->n_rows, r->n_rows);
    const want_col w[] = {
        WANT("end_month", MONTH, I32, KEY, r->end_month),
        WANT("segment", CODE, I32, KEY, r->segment),
        WANT("start_month", MONTH, I32, MAIN, r->start_month),
        WANT("base_customers", COUNT, I64, MAIN, r->base_customers),
        WANT("retained_customers", COUNT, I64, DETAIL, r->retained_customers),
        WANT("base_mrr", MONEY, F64, MAIN, r->base_mrr),
        WANT("retained_mrr", MONEY, F64, DETAIL, r->retained_mrr),
        WANT("end_mrr", MONEY, F64, DETAIL, r->end_mrr),
        WANT("reactivation_mrr", MONEY, F64, DETAIL, r->reactivation_mrr),
        WANT("grr", FRACTION, F64, MAIN, r->grr),
        WANT("nrr", FRACTION, F64, MAIN, r->nrr),
        WANT("logo_retention", FRACTION, F64, MAIN, r->logo_retention),
        WANT("flags", FLAGS, U32, DETAIL, r->flags),
    };
    check_columns(t, w, sizeof w / sizeof w[0]);
    /* keys: t1 from the ledger's first month + window (M0 + 3) to its last
     * (M5), each with the fixture's two segments 1 and 2, t1 first */
    ck_assert_uint_eq(t->n_rows, 6);
    const int32_t end[] = {M(3), M(3), M(4), M(4), M(5), M(5)};
    const int32_t seg[] = {1, 2, 1, 2, 1, 2};
    const csm_column *ce = csm_table_find(t, "end_month");
    const csm_column *cs = csm_table_find(t, "segment");
    const csm_column *c0 = csm_table_find(t, "start_month");
    for (size_t i = 0; i < 6; i++) {
        ck_assert_int_eq(csm_column_int64(ce, i), end[i]);
        ck_assert_int_eq(csm_column_int64(cs, i), seg[i]);
        ck_assert_int_eq(csm_column_int64(c0, i), end[i] - 3);
    }
    /* t1 M3, t0 M0 by segment at t0: segment 1 = A100 B200 E100 (both of
     * E's M0 rows are segment 1) = 400 from 3 customers, of whom A150 and
     * E100 are active at M3: retained 2, GRR (100 + 100)/400 = 0.5, NRR
     * 250/400; segment 2 = D300 alone, gone at M3: 0 retained, GRR 0 */
    const csm_column *bc = csm_table_find(t, "base_customers");
    const csm_column *rc = csm_table_find(t, "retained_customers");
    ck_assert_int_eq(csm_column_int64(bc, 0), 3);
    ck_assert_int_eq(csm_column_int64(rc, 0), 2);
    ck_assert_double_eq_tol(csm_column_double(csm_table_find(t, "base_mrr"), 0),
                            400, TOL);
    ck_assert_double_eq_tol(csm_column_double(csm_table_find(t, "grr"), 0),
                            0.5, TOL);
    ck_assert_double_eq_tol(csm_column_double(csm_table_find(t, "nrr"), 0),
                            250.0 / 400, TOL);
    ck_assert_int_eq(csm_column_int64(bc, 1), 1);
    ck_assert_int_eq(csm_column_int64(rc, 1), 0);
    ck_assert_double_eq_tol(r->grr[1], 0.0, TOL);
    csm_retention_free(r);

    /* not by segment: the segment is the "all" code in every row */
    o.by_segment = 0;
    ck_assert_int_eq(csm_retention_compute(&r, l, &o, NULL), CSM_OK);
    t = csm_result_table(r->result, 0);
    ck_assert_uint_eq(t->n_rows, 3);
    for (size_t i = 0; i < 3; i++) {
        ck_assert_int_eq(r->segment[i], CSM_CODE_ALL);
        ck_assert_int_eq(csm_column_is_valid(csm_table_find(t, "segment"), i),
                         0);
        ck_assert_int_eq(r->end_month[i], M(3) + (int32_t)i);
    }
    csm_retention_free(r);
    csm_ledger_free(l);
}
END_TEST

/* Arrow export of a retention table with a zero base: window 1, t1 M0..M2.
 *   t1 M0 (t0 M-1): nobody active before M0 -> base 0, every rate NaN
 *     (null), flags EMPTY | ZERO_DENOMINATOR = 3;
 *   t1 M1 (t0 M0): base A100 B200 D300 E100 = 700 (4); at M1 A100 B200
 *     E100, D gone: retained 3, GRR = NRR = 400/700, logo 3/4;
 *   t1 M2 (t0 M1): base A100 B200 C50 E100 = 450 (4); at M2 A150 C50 E100,
 *     B gone: GRR (100 + 50 + 100)/450 = 250/450, NRR 300/450, logo 3/4. */
START_TEST(test_retention_arrow) {
    csm_ledger *l = fixture();
    csm_retention *r = NULL;
    csm_retention_opts o = CSM_RETENTION_OPTS_INIT;
    o.window = 1;
    o.first_month = M(0);
    o.last_month = M(2);
    ck_assert_int_eq(csm_retention_compute(&r, l, &o, NULL), CSM_OK);
    const csm_table *t = csm_result_table(r->result, 0);
    struct ArrowSchema s;
    struct ArrowArray a;
    csm_error e;
    ck_assert_int_eq(csm_table_export_arrow(&s, &a, r->result, t, &e),
                     CSM_OK);
    ck_assert_str_eq(s.format, "+s");
    ck_assert_str_eq(s.name, "retention");
    ck_assert_int_eq(s.n_children, 13);
    ck_assert_int_eq(a.length, 3);
    ck_assert_int_eq(a.n_children, 13);
    /* keys: end_month first, as a date32 */
    ck_assert_str_eq(s.children[0]->name, "end_month");
    ck_assert_str_eq(s.children[0]->format, "tdD");
    ck_assert_str_eq(arrow_md_value(s.children[0]->metadata, "csm.role"), "key");
    ck_assert_str_eq(arrow_md_value(s.children[0]->metadata, "csm.type"), "month");
    const int32_t end_days[] = {19723, 19754, 19783};
    const int32_t start_days[] = {19692, 19723, 19754};
    const int32_t *ed = a.children[0]->buffers[1];
    int64_t i0 = arrow_child(&s, "start_month");
    ck_assert_str_eq(arrow_md_value(s.children[i0]->metadata, "csm.role"), "main");
    const int32_t *sd = a.children[i0]->buffers[1];
    for (int i = 0; i < 3; i++) {
        ck_assert_int_eq(ed[i], end_days[i]);
        ck_assert_int_eq(sd[i], start_days[i]);
    }
    /* the "all segments" code is null in each row */
    ck_assert_str_eq(s.children[1]->name, "segment");
    ck_assert_str_eq(s.children[1]->format, "i");
    ck_assert_int_eq(a.children[1]->null_count, 3);
    /* base customers 0, 4, 4: int64, never null */
    int64_t ib = arrow_child(&s, "base_customers");
    ck_assert_str_eq(s.children[ib]->format, "l");
    ck_assert_int_eq(a.children[ib]->null_count, 0);
    ck_assert_ptr_eq(a.children[ib]->buffers[1], r->base_customers);
    ck_assert_int_eq(((const int64_t *)a.children[ib]->buffers[1])[1], 4);
    int64_t irc = arrow_child(&s, "retained_customers");
    ck_assert_str_eq(arrow_md_value(s.children[irc]->metadata, "csm.role"),
                     "detail");
    ck_assert_int_eq(((const int64_t *)a.children[irc]->buffers[1])[1], 3);
    /* zero base -> null rates in row 0 only */
    const char *rates[] = {"grr", "nrr", "logo_retention"};
    const double want[3][3] = {{NAN, 400.0 / 700, 250.0 / 450},
                               {NAN, 400.0 / 700, 300.0 / 450},
                               {NAN, 0.75, 0.75}};
    for (int k = 0; k < 3; k++) {
        int64_t ix = arrow_child(&s, rates[k]);
        const struct ArrowArray *c = a.children[ix];
        ck_assert_str_eq(s.children[ix]->format, "g");
        ck_assert_str_eq(arrow_md_value(s.children[ix]->metadata, "csm.type"),
                         "fraction");
        ck_assert_int_eq(c->null_count, 1);
        ck_assert(!arrow_bit(c->buffers[0], 0));
        for (int i = 1; i < 3; i++) {
            ck_assert(arrow_bit(c->buffers[0], (size_t)i));
            ck_assert_double_eq_tol(((const double *)c->buffers[1])[i],
                                    want[k][i], TOL);
        }
    }
    /* base MRR 0 is a defined amount, not null */
    int64_t im = arrow_child(&s, "base_mrr");
    ck_assert_int_eq(a.children[im]->null_count, 0);
    ck_assert_double_eq_tol(((const double *)a.children[im]->buffers[1])[0],
                            0, TOL);
    int64_t ifl = arrow_child(&s, "flags");
    ck_assert_str_eq(s.children[ifl]->format, "I");
    ck_assert_uint_eq(((const uint32_t *)a.children[ifl]->buffers[1])[0],
                      CSM_FLAG_EMPTY | CSM_FLAG_ZERO_DENOMINATOR);
    ck_assert_uint_eq(((const uint32_t *)a.children[ifl]->buffers[1])[1], 0);
    /* the export outlives the caller's result (ASan / valgrind check) */
    int64_t ig = arrow_child(&s, "grr");
    csm_retention_free(r);
    csm_ledger_free(l);
    ck_assert_double_eq_tol(((const double *)a.children[ig]->buffers[1])[2],
                            250.0 / 450, TOL);
    a.release(&a);
    s.release(&s);
    ck_assert(a.release == NULL && s.release == NULL);
}
END_TEST

/* ---- cohorts ------------------------------------------------------------ */
START_TEST(test_cohorts_fixture) {
    csm_ledger *l = fixture();
    csm_cohorts *c = NULL;
    ck_assert_int_eq(csm_cohorts_compute(&c, l, NULL, NULL), CSM_OK);
    /* cohorts M0 {A,B,D,E}, M1 {C}, M3 {F}; ages 0..5 */
    ck_assert_uint_eq(c->n_cohorts, 3);
    ck_assert_uint_eq(c->n_ages, 6);
    ck_assert_int_eq(c->cohort[0], M(0));
    ck_assert_int_eq(c->size[0], 4);
    /* M0 cohort active by age: 4, 3 (A B E), 2, 2, 3 (A D E), 3 */
    const double cust0[] = {4, 3, 2, 2, 3, 3};
    /* MRR: 700, 400, 250, 250, 520, 520 */
    const double mrr0[] = {700, 400, 250, 250, 520, 520};
    for (int a = 0; a < 6; a++) {
        ck_assert_double_eq_tol(c->customers[a], cust0[a], TOL);
        ck_assert_double_eq_tol(c->mrr[a], mrr0[a], TOL);
        ck_assert_double_eq_tol(c->customers_frac[a], cust0[a] / 4, TOL);
        ck_assert_double_eq_tol(c->mrr_frac[a], mrr0[a] / 700, TOL);
    }
    /* M1 cohort {C}: 1, 1, 0 (gone in M3), 1, 1, then M6 not observed */
    ck_assert_int_eq(c->cohort[1], M(1));
    ck_assert_double_eq_tol(c->customers[6 + 2], 0, TOL);
    ck_assert_double_eq_tol(c->mrr[6 + 3], 80, TOL);
    ck_assert_double_eq_tol(c->mrr_frac[6 + 3], 1.6, TOL); /* 80 / 50 */
    ck_assert(isnan(c->customers[6 + 5]));
    /* M3 cohort {F}: ages 3..5 are past M5 */
    ck_assert_int_eq(c->cohort[2], M(3));
    ck_assert_double_eq_tol(c->mrr[12 + 2], 90, TOL);
    ck_assert(isnan(c->mrr[12 + 3]));
    csm_cohorts_free(c);

    /* baseline month 1: M0 cohort fractions over 3 customers / 400 MRR */
    csm_cohorts_opts o = CSM_COHORTS_OPTS_INIT;
    o.baseline = 1;
    ck_assert_int_eq(csm_cohorts_compute(&c, l, &o, NULL), CSM_OK);
    ck_assert_double_eq_tol(c->customers_frac[0], 4.0 / 3, TOL);
    ck_assert_double_eq_tol(c->customers_frac[2], 2.0 / 3, TOL);
    ck_assert_double_eq_tol(c->mrr_frac[4], 520.0 / 400, TOL);
    csm_cohorts_free(c);

    /* caller keys: D signed in M(-1) (a month before paying) -> its own
     * cohort M-1 with age 0 = 0 customers (NaN fractions, flagged);
     * key for an unknown customer is ignored */
    const int64_t kc[] = {4, 99};
    const int32_t km[] = {M(-1), M(0)};
    o = (csm_cohorts_opts)CSM_COHORTS_OPTS_INIT;
    o.key_customer = kc;
    o.key_month = km;
    o.n_keys = 2;
    ck_assert_int_eq(csm_cohorts_compute(&c, l, &o, NULL), CSM_OK);
    ck_assert_uint_eq(c->n_cohorts, 4);
    ck_assert_int_eq(c->cohort[0], M(-1));
    ck_assert_uint_eq(c->n_ages, 7);
    ck_assert_double_eq_tol(c->customers[0], 0, TOL);
    ck_assert_double_eq_tol(c->customers[1], 1, TOL); /* D at M0, age 1 */
    ck_assert(isnan(c->customers_frac[1]));
    ck_assert(c->flags[0] & CSM_FLAG_ZERO_DENOMINATOR);
    ck_assert_int_eq(c->size[1], 3); /* M0 cohort now A, B, E */
    csm_cohorts_free(c);
    /* issue 13, finding 1: a key month outside years 0001..9999 (here
     * CSM_MONTH_NONE) is CSM_EDOMAIN at its key row */
    const int32_t km_bad[] = {M(-1), CSM_MONTH_NONE};
    o.key_month = km_bad;
    csm_error ke;
    ck_assert_int_eq(csm_cohorts_compute(&c, l, &o, &ke), CSM_EDOMAIN);
    ck_assert_ptr_null(c);
    ck_assert_uint_eq(ke.row, 1);
    ck_assert_str_eq(ke.field, "key_month");
    o.key_month = km;

    /* two keys for one customer */
    const int64_t kd[] = {4, 4};
    o.key_customer = kd;
    csm_error e;
    ck_assert_int_eq(csm_cohorts_compute(&c, l, &o, &e), CSM_EDUP);
    ck_assert_uint_eq(e.row, 1);
    o.key_customer = kc;
    o.baseline = 2;
    ck_assert_int_eq(csm_cohorts_compute(&c, l, &o, &e), CSM_EINVAL);
    csm_ledger_free(l);
}
END_TEST

/* Cohort tables by segment.  Cohort = first active month, segment = the
 * segment of that first month: A M0/1, B M0/1, C M1/2, D M0/2, E M0/1 (both
 * M0 rows segment 1), F M3/2.  Cohorts by month then segment:
 *   k=0 (M0, 1) {A, B, E} size 3;  k=1 (M0, 2) {D} size 1;
 *   k=2 (M1, 2) {C} size 1;        k=3 (M3, 2) {F} size 1;
 * ages 0..5 (M0..M5), 24 cells.  Cells of k=0 (a member stays in its
 * cohort's segment: E counts here after moving to segment 2 in M3):
 *   customers 3 3 2 2 2 2 (B gone from M2), MRR 400 400 250 250 220 220;
 * k=1 {D}: 1 0 0 0 1 1, MRR 300 0 0 0 300 300.  (Their sums are the
 * all-segment M0 cohort of test_cohorts_fixture: 4 3 2 2 3 3 and 700 400
 * 250 250 520 520.) */
START_TEST(test_cohorts_table) {
    csm_ledger *l = fixture();
    csm_cohorts *c = NULL;
    csm_cohorts_opts o = CSM_COHORTS_OPTS_INIT;
    o.by_segment = 1;
    ck_assert_int_eq(csm_cohorts_compute(&c, l, &o, NULL), CSM_OK);
    ck_assert_ptr_nonnull(c->result);
    ck_assert_str_eq(csm_result_kind(c->result), "cohorts");
    ck_assert_ptr_eq(csm_result_view(c->result), c);
    ck_assert_uint_eq(csm_result_n_tables(c->result), 2);
    ck_assert_ptr_null(csm_result_table(c->result, 2));
    const csm_table *tc = csm_result_table(c->result, 0);
    const csm_table *tx = csm_result_table(c->result, 1);
    ck_assert_str_eq(tc->name, "cohorts");
    ck_assert_str_eq(tx->name, "cohort_cells");
    ck_assert_ptr_eq(csm_result_find(c->result, "cohorts"), tc);
    ck_assert_ptr_eq(csm_result_find(c->result, "cohort_cells"), tx);
    const want_col wc[] = {
        WANT("cohort", MONTH, I32, KEY, c->cohort),
        WANT("segment", CODE, I32, KEY, c->segment),
        WANT("size", COUNT, I64, MAIN, c->size),
        WANT("flags", FLAGS, U32, DETAIL, c->flags),
    };
    check_columns(tc, wc, sizeof wc / sizeof wc[0]);
    const want_col wx[] = {
        WANT("cohort", MONTH, I32, KEY, c->cell_cohort),
        WANT("segment", CODE, I32, KEY, c->cell_segment),
        WANT("age", NUMBER, I32, KEY, c->cell_age),
        WANT("customers", COUNT, F64, DETAIL, c->customers),
        WANT("mrr", MONEY, F64, DETAIL, c->mrr),
        WANT("customers_frac", FRACTION, F64, MAIN, c->customers_frac),
        WANT("mrr_frac", FRACTION, F64, MAIN, c->mrr_frac),
    };
    check_columns(tx, wx, sizeof wx / sizeof wx[0]);
    ck_assert_uint_eq(c->n_cohorts, 4);
    ck_assert_uint_eq(c->n_ages, 6);
    ck_assert_uint_eq(tc->n_rows, 4);
    ck_assert_uint_eq(tx->n_rows, 24);
    const int32_t coh[] = {M(0), M(0), M(1), M(3)};
    const int32_t seg[] = {1, 2, 2, 2};
    const int64_t size[] = {3, 1, 1, 1};
    for (size_t k = 0; k < 4; k++) {
        ck_assert_int_eq(c->cohort[k], coh[k]);
        ck_assert_int_eq(c->segment[k], seg[k]);
        ck_assert_int_eq(c->size[k], size[k]);
    }
    /* the cells' keys through the descriptors: row r is cohort r / 6 at
     * age r % 6 */
    const csm_column *kc = csm_table_find(tx, "cohort");
    const csm_column *ks = csm_table_find(tx, "segment");
    const csm_column *ka = csm_table_find(tx, "age");
    for (size_t r = 0; r < 24; r++) {
        ck_assert_int_eq(csm_column_int64(kc, r), coh[r / 6]);
        ck_assert_int_eq(csm_column_int64(ks, r), seg[r / 6]);
        ck_assert_int_eq(csm_column_int64(ka, r), (int64_t)(r % 6));
    }
    /* values of k = 0 and 1 (header comment), the matrix layout intact */
    const double cust0[] = {3, 3, 2, 2, 2, 2}, mrr0[] = {400, 400, 250,
                                                          250, 220, 220};
    const double cust1[] = {1, 0, 0, 0, 1, 1}, mrr1[] = {300, 0, 0,
                                                          0,   300, 300};
    for (size_t a = 0; a < 6; a++) {
        ck_assert_double_eq_tol(c->customers[0 * 6 + a], cust0[a], TOL);
        ck_assert_double_eq_tol(c->mrr[0 * 6 + a], mrr0[a], TOL);
        ck_assert_double_eq_tol(c->customers[1 * 6 + a], cust1[a], TOL);
        ck_assert_double_eq_tol(c->mrr[1 * 6 + a], mrr1[a], TOL);
        ck_assert_double_eq_tol(c->mrr_frac[1 * 6 + a], mrr1[a] / 300, TOL);
    }
    /* k=3 (F from M3): ages 3..5 are M6..M8, past the ledger: undefined */
    const csm_column *cu = csm_table_find(tx, "customers");
    ck_assert_int_eq(csm_column_is_valid(cu, 3 * 6 + 2), 1);
    ck_assert_int_eq(csm_column_is_valid(cu, 3 * 6 + 3), 0);
    csm_cohorts_free(c);

    /* not by segment: the "all" code in both tables */
    ck_assert_int_eq(csm_cohorts_compute(&c, l, NULL, NULL), CSM_OK);
    tx = csm_result_find(c->result, "cohort_cells");
    ck_assert_uint_eq(tx->n_rows, 18); /* 3 cohorts x 6 ages */
    for (size_t r = 0; r < 18; r++)
        ck_assert_int_eq(c->cell_segment[r], CSM_CODE_ALL);
    ck_assert_int_eq(c->segment[0], CSM_CODE_ALL);
    csm_cohorts_free(c);
    csm_ledger_free(l);
}
END_TEST

/* Arrow export of both cohort tables, default options: cohorts M0 {A B D
 * E}, M1 {C}, M3 {F}, ages 0..5, 18 cells.  Unobserved cells (past M5):
 * M1 at age 5 (row 11) and M3 at ages 3..5 (rows 15..17): 4 nulls in each
 * value column.  F's row 14 (M3, age 2 = M5): 1 customer, MRR 90. */
START_TEST(test_cohorts_arrow) {
    csm_ledger *l = fixture();
    csm_cohorts *c = NULL;
    ck_assert_int_eq(csm_cohorts_compute(&c, l, NULL, NULL), CSM_OK);
    struct ArrowSchema s;
    struct ArrowArray a;

    /* "cohorts": M0 19723, M1 19754, M3 19814; sizes 4, 1, 1 */
    ck_assert_int_eq(csm_table_export_arrow(
                         &s, &a, c->result,
                         csm_result_find(c->result, "cohorts"), NULL),
                     CSM_OK);
    ck_assert_str_eq(s.name, "cohorts");
    ck_assert_int_eq(s.n_children, 4);
    ck_assert_int_eq(a.length, 3);
    ck_assert_str_eq(s.children[0]->name, "cohort");
    ck_assert_str_eq(s.children[0]->format, "tdD");
    ck_assert_int_eq(a.children[0]->null_count, 0);
    const int32_t days[] = {19723, 19754, 19814};
    for (int k = 0; k < 3; k++)
        ck_assert_int_eq(((const int32_t *)a.children[0]->buffers[1])[k],
                         days[k]);
    ck_assert_int_eq(a.children[1]->null_count, 3); /* all segments */
    ck_assert_str_eq(s.children[2]->name, "size");
    ck_assert_str_eq(s.children[2]->format, "l");
    ck_assert_str_eq(arrow_md_value(s.children[2]->metadata, "csm.role"), "main");
    ck_assert_int_eq(((const int64_t *)a.children[2]->buffers[1])[0], 4);
    ck_assert_int_eq(((const int64_t *)a.children[2]->buffers[1])[2], 1);
    ck_assert_str_eq(s.children[3]->format, "I");
    a.release(&a);
    s.release(&s);

    /* "cohort_cells" */
    ck_assert_int_eq(csm_table_export_arrow(
                         &s, &a, c->result,
                         csm_result_find(c->result, "cohort_cells"), NULL),
                     CSM_OK);
    ck_assert_str_eq(s.name, "cohort_cells");
    ck_assert_int_eq(s.n_children, 7);
    ck_assert_int_eq(a.length, 18);
    ck_assert_str_eq(s.children[0]->name, "cohort");
    ck_assert_str_eq(s.children[0]->format, "tdD");
    ck_assert_str_eq(s.children[2]->name, "age");
    ck_assert_str_eq(s.children[2]->format, "i");
    ck_assert_str_eq(arrow_md_value(s.children[2]->metadata, "csm.role"), "key");
    ck_assert_str_eq(arrow_md_value(s.children[2]->metadata, "csm.type"), "number");
    const int32_t *cd = a.children[0]->buffers[1];
    const int32_t *ag = a.children[2]->buffers[1];
    for (int r = 0; r < 18; r++) {
        ck_assert_int_eq(cd[r], days[r / 6]);
        ck_assert_int_eq(ag[r], r % 6);
    }
    ck_assert_int_eq(a.children[1]->null_count, 18);
    for (int k = 3; k < 7; k++) {
        const struct ArrowArray *v = a.children[k];
        ck_assert_str_eq(s.children[k]->format, "g");
        ck_assert_int_eq(v->null_count, 4);
        for (int r = 0; r < 18; r++)
            ck_assert_int_eq(arrow_bit(v->buffers[0], (size_t)r),
                             !(r == 11 || r >= 15));
    }
    ck_assert_str_eq(s.children[3]->name, "customers");
    ck_assert_ptr_eq(a.children[3]->buffers[1], c->customers); /* zero-copy */
    ck_assert_double_eq_tol(((const double *)a.children[3]->buffers[1])[14], 1,
                            TOL);
    ck_assert_str_eq(s.children[4]->name, "mrr");
    ck_assert_double_eq_tol(((const double *)a.children[4]->buffers[1])[14], 90,
                            TOL);
    /* M1 {C} MRR at age 3 (M4): 80 / 50 = 1.6 */
    ck_assert_str_eq(s.children[6]->name, "mrr_frac");
    ck_assert_double_eq_tol(((const double *)a.children[6]->buffers[1])[9], 1.6,
                            TOL);
    a.release(&a);
    s.release(&s);
    csm_cohorts_free(c);

    /* a zero baseline: caller key M-1 for D gives cohort M-1 {D} with 0
     * customers at age 0, so all its fractions are null although its
     * counts are not.  Cohorts M-1 {D}, M0 {A B E}, M1 {C}, M3 {F}; ages
     * 0..6 (M-1..M5), 28 cells.  Unobserved cells: M0 age 6, M1 ages 5-6,
     * M3 ages 3-6 = 1 + 2 + 4 = 7 nulls in customers; customers_frac adds
     * the 7 cells of M-1: 14. */
    const int64_t kcust[] = {4};
    const int32_t kmon[] = {M(-1)};
    csm_cohorts_opts o = CSM_COHORTS_OPTS_INIT;
    o.key_customer = kcust;
    o.key_month = kmon;
    o.n_keys = 1;
    ck_assert_int_eq(csm_cohorts_compute(&c, l, &o, NULL), CSM_OK);
    const csm_table *tx = csm_result_table(c->result, 1);
    ck_assert_uint_eq(tx->n_rows, 28);
    ck_assert_int_eq(csm_table_export_arrow(&s, &a, c->result, tx, NULL),
                     CSM_OK);
    ck_assert_int_eq(a.length, 28);
    ck_assert_int_eq(((const int32_t *)a.children[0]->buffers[1])[0],
                     19692); /* 2023-12-01 */
    ck_assert_int_eq(a.children[3]->null_count, 7);
    ck_assert_int_eq(a.children[5]->null_count, 14);
    ck_assert_int_eq(a.children[6]->null_count, 14);
    /* D in M0 is age 1 of cohort M-1: counted, fraction null */
    ck_assert(arrow_bit(a.children[3]->buffers[0], 1));
    ck_assert_double_eq_tol(((const double *)a.children[3]->buffers[1])[1], 1,
                            TOL);
    ck_assert(!arrow_bit(a.children[5]->buffers[0], 1));
    /* the export outlives the result */
    csm_cohorts_free(c);
    csm_ledger_free(l);
    ck_assert_double_eq_tol(((const double *)a.children[4]->buffers[1])[5],
                            300, TOL); /* D at M4, age 5 */
    a.release(&a);
    s.release(&s);
}
END_TEST

/* ---- contracts ---------------------------------------------------------- */
/*   id  terms                                         MRR
 *   10  1,200 / 12 months, 2024-01-01..2024-12-31      100 in Jan..Dec
 *   11  50 / month, 2024-01-15..2024-03-14             50 Jan, Feb (not at
 *                                                      Mar 31)
 *   12  100 / week, 2024-01-01..2024-01-31             100 x 52/12 = 433.33
 *   13  300 / 3 months, tax 30, discount 30 (recurring),
 *       2024-02-01..2024-04-30                         (300-30-30)/3 = 80
 *   14  40 / month, 2024-03-05..2024-03-20             never at a month end:
 *                                                      intra-period in March
 *   15  one-time 500                                   not MRR
 * Snapshot totals: Jan 100+50+433.33 = 583.33; Feb 100+50+80 = 230;
 * Mar 100+80 = 180; Apr 180; May..Dec 100. */
static const int64_t k_cust[] = {10, 11, 12, 13, 14, 15};
static int32_t k_start[6], k_end[6];
static const double k_amount[] = {1200, 50, 100, 300, 40, 500};
static const int32_t k_count[] = {12, 1, 1, 3, 1, 1};
static const uint8_t k_unit[] = {CSM_UNIT_MONTH, CSM_UNIT_MONTH,
                                 CSM_UNIT_WEEK,  CSM_UNIT_MONTH,
                                 CSM_UNIT_MONTH, CSM_UNIT_MONTH};
static const double k_disc[] = {0, 0, 0, 30, 0, 0};
static const double k_tax[] = {0, 0, 0, 30, 0, 0};
static const uint8_t k_kind[] = {0, 0, 0, 0, 0, CSM_CHARGE_ONE_TIME};

static csm_contracts contracts(void) {
    k_start[0] = csm_day(2024, 1, 1);
    k_end[0] = csm_day(2024, 12, 31);
    k_start[1] = csm_day(2024, 1, 15);
    k_end[1] = csm_day(2024, 3, 14);
    k_start[2] = csm_day(2024, 1, 1);
    k_end[2] = csm_day(2024, 1, 31);
    k_start[3] = csm_day(2024, 2, 1);
    k_end[3] = csm_day(2024, 4, 30);
    k_start[4] = csm_day(2024, 3, 5);
    k_end[4] = csm_day(2024, 3, 20);
    k_start[5] = csm_day(2024, 1, 1);
    k_end[5] = csm_day(2024, 1, 1);
    csm_contracts c = {.customer_id = k_cust,
                       .start_day = k_start,
                       .end_day = k_end,
                       .amount = k_amount,
                       .interval_count = k_count,
                       .interval_unit = k_unit,
                       .discount = k_disc,
                       .tax = k_tax,
                       .kind = k_kind,
                       .n = 6};
    return c;
}

START_TEST(test_contracts_snapshot) {
    csm_contracts k = contracts();
    csm_ledger *l = NULL;
    csm_error e;
    ck_assert_int_eq(csm_ledger_from_contracts(&l, &k, NULL, NULL, &e),
                     CSM_OK);
    ck_assert_double_eq_tol(csm_ledger_mrr(l, M(0)), 100 + 50 + 5200.0 / 12,
                            1e-9);
    ck_assert_double_eq_tol(csm_ledger_mrr(l, M(1)), 230, 1e-9);
    ck_assert_double_eq_tol(csm_ledger_mrr(l, M(2)), 180, 1e-9);
    ck_assert_double_eq_tol(csm_ledger_mrr(l, M(3)), 180, 1e-9);
    ck_assert_double_eq_tol(csm_ledger_mrr(l, M(11)), 100, 1e-9);
    ck_assert_double_eq_tol(csm_ledger_mrr(l, M(12)), 0, 1e-9);
    ck_assert_int_eq(csm_ledger_last_month(l), M(11));
    /* March: opening 230 (10, 11, 13), 11 churns 50; 14 is intra-period.
     * Default (ChartMogul B2B): churn rate 1/3.  Stripe: 14 counts as new
     * and churned, denominator 3 + 1 new = 4 -> 2/4. */
    csm_movements *m;
    ck_assert_int_eq(csm_movements_compute(&m, l, NULL, NULL), CSM_OK);
    ck_assert_int_eq(m->month[2], M(2));
    ck_assert_int_eq(m->intra_period_customers[2], 1);
    ck_assert_int_eq(m->churned_customers[2], 1);
    ck_assert_double_eq_tol(m->customer_churn_rate[2], 1.0 / 3, TOL);
    /* Feb: the weekly plan (433.33) churns, 13 starts at 80 */
    ck_assert_double_eq_tol(m->churn_mrr[1], 5200.0 / 12, 1e-9);
    ck_assert_double_eq_tol(m->new_mrr[1], 80, 1e-9);
    csm_movements_free(m);
    csm_movements_opts mo = CSM_MOVEMENTS_OPTS_INIT;
    ck_assert_int_eq(csm_movements_opts_preset(&mo, CSM_PRESET_STRIPE),
                     CSM_OK);
    ck_assert_int_eq(csm_movements_compute(&m, l, &mo, NULL), CSM_OK);
    ck_assert_int_eq(m->churned_customers[2], 2);
    ck_assert_int_eq(m->new_customers[2], 1);
    ck_assert_double_eq_tol(m->customer_churn_rate[2], 0.5, TOL);
    csm_movements_free(m);
    csm_ledger_free(l);

    /* tax included: 13 is (300-30)/3 = 90; discounts ignored: also 90 */
    csm_contracts_opts co = CSM_CONTRACTS_OPTS_INIT;
    co.include_tax = 1;
    ck_assert_int_eq(csm_ledger_from_contracts(&l, &k, &co, NULL, &e),
                     CSM_OK);
    ck_assert_double_eq_tol(csm_ledger_mrr(l, M(3)), 190, 1e-9);
    csm_ledger_free(l);
    co = (csm_contracts_opts)CSM_CONTRACTS_OPTS_INIT;
    co.discount_mode = CSM_DISCOUNT_IGNORE;
    ck_assert_int_eq(csm_ledger_from_contracts(&l, &k, &co, NULL, &e),
                     CSM_OK);
    ck_assert_double_eq_tol(csm_ledger_mrr(l, M(3)), 190, 1e-9);
    csm_ledger_free(l);
    /* only recurring discounts, and 13's is marked one-off: 90 */
    uint8_t rec[6] = {1, 1, 1, 0, 1, 1};
    k.discount_recurring = rec;
    co.discount_mode = CSM_DISCOUNT_RECURRING;
    ck_assert_int_eq(csm_ledger_from_contracts(&l, &k, &co, NULL, &e),
                     CSM_OK);
    ck_assert_double_eq_tol(csm_ledger_mrr(l, M(3)), 190, 1e-9);
    csm_ledger_free(l);
}
END_TEST

START_TEST(test_contracts_daily) {
    /* daily proration: 11 is 50 x 17/31 in Jan (15th..31st), 50 in Feb,
     * 50 x 14/31 in Mar; 14 is 40 x 16/31 in March (5th..20th) */
    csm_contracts k = contracts();
    csm_contracts_opts co = CSM_CONTRACTS_OPTS_INIT;
    co.proration = CSM_PRORATION_DAILY;
    csm_ledger *l = NULL;
    ck_assert_int_eq(csm_ledger_from_contracts(&l, &k, &co, NULL, NULL),
                     CSM_OK);
    ck_assert_double_eq_tol(csm_ledger_mrr(l, M(0)),
                            100 + 50.0 * 17 / 31 + 5200.0 / 12, 1e-9);
    ck_assert_double_eq_tol(csm_ledger_mrr(l, M(2)),
                            100 + 80 + 50.0 * 14 / 31 + 40.0 * 16 / 31, 1e-9);
    csm_ledger_free(l);
}
END_TEST

START_TEST(test_contracts_daily_churn) {
    /* February 2024 (29 days), monthly contracts of 100:
     *   X 01-01..02-10, Y 01-01..12-31, Z 01-15..02-20 renewed 02-21..03-31
     *   (adjacent: one interval), W 02-05..02-15.
     * Service on the day before: Jan 31..Feb 4 -> 3 (X Y Z), Feb 5..10 -> 4
     * (+W), Feb 11..15 -> 3 (X gone), Feb 16.. -> 2 (W gone).
     * X's service ends Feb 10: churned(Feb 11) = 1 over active 4; W ends
     * Feb 15: churned(Feb 16) = 1 over active 3.  Daily rate: 1/4 + 1/3.
     * The start-of-month convention: 1 (X) of 3 = 1/3 (W is intra-period). */
    const int64_t c[] = {1, 2, 3, 3, 4};
    int32_t s[5], e[5];
    s[0] = csm_day(2024, 1, 1), e[0] = csm_day(2024, 2, 10);
    s[1] = csm_day(2024, 1, 1), e[1] = csm_day(2024, 12, 31);
    s[2] = csm_day(2024, 1, 15), e[2] = csm_day(2024, 2, 20);
    s[3] = csm_day(2024, 2, 21), e[3] = csm_day(2024, 3, 31);
    s[4] = csm_day(2024, 2, 5), e[4] = csm_day(2024, 2, 15);
    const double amt[] = {100, 100, 100, 100, 100};
    const int32_t cnt[] = {1, 1, 1, 1, 1};
    csm_contracts k = {.customer_id = c,
                       .start_day = s,
                       .end_day = e,
                       .amount = amt,
                       .interval_count = cnt,
                       .n = 5};
    csm_ledger *l;
    ck_assert_int_eq(csm_ledger_from_contracts(&l, &k, NULL, NULL, NULL),
                     CSM_OK);
    csm_movements_opts o = CSM_MOVEMENTS_OPTS_INIT;
    o.first_month = M(1);
    o.last_month = M(1);
    csm_movements *m;
    ck_assert_int_eq(csm_movements_compute(&m, l, &o, NULL), CSM_OK);
    ck_assert_double_eq_tol(m->customer_churn_rate[0], 1.0 / 3, TOL);
    csm_movements_free(m);
    o.churn_denominator = CSM_DENOM_DAILY;
    ck_assert_int_eq(csm_movements_compute(&m, l, &o, NULL), CSM_OK);
    ck_assert_double_eq_tol(m->customer_churn_rate[0], 0.25 + 1.0 / 3, TOL);
    ck_assert(!(m->flags[0] & CSM_FLAG_ZERO_DENOMINATOR));
    csm_movements_free(m);
    csm_ledger_free(l);
    /* a row-built ledger has no day-level data */
    l = fixture();
    csm_error err;
    ck_assert_int_eq(csm_movements_compute(&m, l, &o, &err), CSM_EINVAL);
    ck_assert_str_eq(err.field, "opts.churn_denominator");
    csm_ledger_free(l);
}
END_TEST

START_TEST(test_contracts_errors) {
    csm_contracts k = contracts();
    csm_ledger *l = NULL;
    csm_error e;
    int32_t bad_end[6];
    memcpy(bad_end, k_end, sizeof bad_end);
    bad_end[2] = k_start[2] - 1;
    k.end_day = bad_end;
    ck_assert_int_eq(csm_ledger_from_contracts(&l, &k, NULL, NULL, &e),
                     CSM_EDOMAIN);
    ck_assert_uint_eq(e.row, 2);
    ck_assert_str_eq(e.field, "end_day");
    k = contracts();
    int32_t bad_count[6] = {12, 1, 0, 3, 1, 1};
    k.interval_count = bad_count;
    ck_assert_int_eq(csm_ledger_from_contracts(&l, &k, NULL, NULL, &e),
                     CSM_EDOMAIN);
    ck_assert_str_eq(e.field, "interval_count");
    k = contracts();
    double bad_amt[6] = {1200, 50, 100, -300, 40, 500};
    k.amount = bad_amt;
    ck_assert_int_eq(csm_ledger_from_contracts(&l, &k, NULL, NULL, &e),
                     CSM_EDOMAIN);
    ck_assert_uint_eq(e.row, 3);
    k = contracts();
    uint8_t bad_unit[6] = {0, 0, 9, 0, 0, 0};
    k.interval_unit = bad_unit;
    ck_assert_int_eq(csm_ledger_from_contracts(&l, &k, NULL, NULL, &e),
                     CSM_EINVAL);
    k = contracts();
    k.amount = NULL;
    ck_assert_int_eq(csm_ledger_from_contracts(&l, &k, NULL, NULL, &e),
                     CSM_EINVAL);
    ck_assert_str_eq(e.field, "amount");
    ck_assert_int_eq(csm_ledger_from_contracts(&l, NULL, NULL, NULL, &e),
                     CSM_EINVAL);
    ck_assert_ptr_null(l);
}
END_TEST

/* ---- presets ------------------------------------------------------------ */
START_TEST(test_presets_differ) {
    /* On the fixture, t1 M4 with a 3-month window: default (snapshot) NRR
     * 300/450 counts C's return at 80; ChartMogul B2B and Stripe
     * (movement sum) exclude the reactivation: 220/450, and so does
     * Baremetrics (100% - (churned - expansion) / starting MRR).  Customer
     * churn rate at M1: default, ChartMogul and Baremetrics 1/4 (start);
     * Stripe 1/(4 + 1 new) = 0.2. */
    csm_ledger *l = fixture();
    const csm_preset ps[] = {CSM_PRESET_DEFAULT, CSM_PRESET_CHARTMOGUL_B2B,
                             CSM_PRESET_STRIPE, CSM_PRESET_BAREMETRICS};
    const double nrr[] = {300.0 / 450, 220.0 / 450, 220.0 / 450, 220.0 / 450};
    const double churn1[] = {0.25, 0.25, 0.2, 0.25};
    for (int i = 0; i < 4; i++) {
        csm_retention_opts ro = CSM_RETENTION_OPTS_INIT;
        ro.window = 3;
        ck_assert_int_eq(csm_retention_opts_preset(&ro, ps[i]), CSM_OK);
        csm_retention *r;
        ck_assert_int_eq(csm_retention_compute(&r, l, &ro, NULL), CSM_OK);
        ck_assert_double_eq_tol(r->nrr[1], nrr[i], TOL);
        csm_retention_free(r);
        csm_movements_opts mo = CSM_MOVEMENTS_OPTS_INIT;
        ck_assert_int_eq(csm_movements_opts_preset(&mo, ps[i]), CSM_OK);
        csm_movements *m;
        ck_assert_int_eq(csm_movements_compute(&m, l, &mo, NULL), CSM_OK);
        ck_assert_double_eq_tol(m->customer_churn_rate[1], churn1[i], TOL);
        csm_movements_free(m);
    }
    csm_ledger_free(l);
}
END_TEST

/* ---- LTV from the ledger ------------------------------------------------- */
START_TEST(test_ltv_from_ledger) {
    /* window M1..M5 ending M5: churned 1 + 1 + 1 + 0 + 0 = 3 of opening
     * 4 + 4 + 3 + 3 + 5 = 19 -> churn 3/19; ARPA M5 = 690/5 = 138;
     * LTV = 138 x 0.8 x 19/3 = 699.2 */
    csm_ledger *l = fixture();
    csm_ltv_result r;
    csm_error e;
    ck_assert_int_eq(csm_ltv_from_ledger(&r, l, 0.8, &(csm_ltv_opts){sizeof(csm_ltv_opts), CSM_ZERO_CHURN_ERROR, 0.0167, 0.0, M(5), 5}, &e), CSM_OK);
    ck_assert_double_eq_tol(r.churn_used, 3.0 / 19, TOL);
    ck_assert_double_eq_tol(r.ltv, 138 * 0.8 * 19.0 / 3, 1e-9);
    /* default month = the last one */
    ck_assert_int_eq(csm_ltv_from_ledger(&r, l, 0.8, &(csm_ltv_opts){sizeof(csm_ltv_opts), CSM_ZERO_CHURN_ERROR, 0.0167, 0.0, CSM_MONTH_NONE, 5}, &e),
                     CSM_OK);
    ck_assert_double_eq_tol(r.ltv, 699.2, 1e-9);
    /* M5 alone: no churn -> the default policy refuses */
    ck_assert_int_eq(csm_ltv_from_ledger(&r, l, 0.8, &(csm_ltv_opts){sizeof(csm_ltv_opts), CSM_ZERO_CHURN_ERROR, 0.0167, 0.0, M(5), 1}, &e),
                     CSM_EDOMAIN);
    ck_assert_int_eq(csm_ltv_from_ledger(&r, l, 0.8, &(csm_ltv_opts){sizeof(csm_ltv_opts), CSM_ZERO_CHURN_ERROR, 0.0167, 0.0, M(5), 0}, &e),
                     CSM_EINVAL);
    /* a window before the data */
    ck_assert_int_eq(csm_ltv_from_ledger(&r, l, 0.8, &(csm_ltv_opts){sizeof(csm_ltv_opts), CSM_ZERO_CHURN_ERROR, 0.0167, 0.0, M(-5), 2}, &e),
                     CSM_EDOMAIN);
    csm_ledger_free(l);
}
END_TEST

/* ---- the naive reference and properties ---------------------------------- */
typedef struct {
    size_t n;
    int64_t *cust;
    int32_t *per;
    double *mrr;
    int32_t *seg;
} rows_t;

static uint64_t rng_state;
static uint64_t rnd(void) { /* splitmix64 */
    uint64_t z = (rng_state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}
static double unif(void) { return (double)(rnd() >> 11) / 9007199254740992.0; }

#define NC 60
#define NM 18
/* dense[c][t]: MRR of customer c (ids 1000 + 7c) in month base + t */
static double dense[NC][NM];
static int32_t dseg[NC][NM];

static rows_t random_rows(uint64_t seed) {
    rng_state = seed;
    memset(dense, 0, sizeof dense);
    rows_t r = {0, NULL, NULL, NULL, NULL};
    size_t cap = NC * NM * 2;
    r.cust = malloc(cap * sizeof *r.cust);
    r.per = malloc(cap * sizeof *r.per);
    r.mrr = malloc(cap * sizeof *r.mrr);
    r.seg = malloc(cap * sizeof *r.seg);
    for (int c = 0; c < NC; c++) {
        double level = (double)(10 + rnd() % 500);
        int active = unif() < 0.3;
        int32_t s = (int32_t)(rnd() % 3);
        for (int t = 0; t < NM; t++) {
            double u = unif();
            if (active && u < 0.12)
                active = 0;
            else if (!active && u < 0.2)
                active = 1;
            if (unif() < 0.05)
                s = (int32_t)(rnd() % 3);
            if (!active)
                continue;
            double w = unif();
            if (w < 0.15)
                level *= 1.25;
            else if (w < 0.25)
                level *= 0.8;
            int dup = unif() < 0.1;
            double v = level;
            if (dup) { /* split across two rows */
                r.cust[r.n] = 1000 + 7 * c;
                r.per[r.n] = M(t);
                r.mrr[r.n] = v * 0.25;
                r.seg[r.n] = s;
                r.n++;
                v *= 0.75;
            }
            r.cust[r.n] = 1000 + 7 * c;
            r.per[r.n] = M(t);
            r.mrr[r.n] = v;
            r.seg[r.n] = s;
            r.n++;
            dense[c][t] = level;
            dseg[c][t] = s;
        }
    }
    return r;
}

static void free_rows(rows_t *r) {
    free(r->cust);
    free(r->per);
    free(r->mrr);
    free(r->seg);
}

static void shuffle(rows_t *r) {
    for (size_t i = r->n; i > 1; i--) {
        size_t j = (size_t)(rnd() % i);
        int64_t c = r->cust[i - 1];
        r->cust[i - 1] = r->cust[j];
        r->cust[j] = c;
        int32_t p = r->per[i - 1];
        r->per[i - 1] = r->per[j];
        r->per[j] = p;
        double v = r->mrr[i - 1];
        r->mrr[i - 1] = r->mrr[j];
        r->mrr[j] = v;
        int32_t s = r->seg[i - 1];
        r->seg[i - 1] = r->seg[j];
        r->seg[j] = s;
    }
}

static double rel_close(double a, double b) {
    return fabs(a - b) <= 1e-9 * (1 + fabs(a) + fabs(b));
}

START_TEST(test_naive_reference) {
    /* straight loops over the dense array versus the ledger.  Loops 6-7
     * spread the customer ids 2^48 apart (54 key bits: the sort key and
     * the row index no longer fit 64 bits together, so the MRR travels
     * with the key), loops 8-9 2^57 apart (63 + 5 + 2 key bits: the
     * qsort layout); 0-5 use the usual indexed layout. */
    rows_t rows = random_rows(1234 + (uint64_t)(_i % 6));
    if (_i >= 6) {
        int64_t step = _i >= 8 ? INT64_C(1) << 57 : INT64_C(1) << 48;
        for (size_t k = 0; k < rows.n; k++)
            rows.cust[k] = (rows.cust[k] - 1000) / 7 * step - (INT64_C(1) << 62);
    }
    csm_ledger *l;
    ck_assert_int_eq(csm_ledger_new(&l, rows.cust, rows.per, rows.mrr,
                                    rows.seg, rows.n, NULL, NULL),
                     CSM_OK);
    csm_movements_opts mo = CSM_MOVEMENTS_OPTS_INIT;
    mo.first_month = M(0);
    mo.last_month = M(NM - 1);
    mo.reactivation_window = (_i % 2) ? 2 : 0;
    csm_movements *m;
    ck_assert_int_eq(csm_movements_compute(&m, l, &mo, NULL), CSM_OK);
    for (int t = 0; t < NM; t++) {
        double nw = 0, re = 0, ex = 0, co = 0, ch = 0, open = 0, close = 0;
        int nnew = 0, nch = 0, nopen = 0;
        for (int c = 0; c < NC; c++) {
            double prev = t ? dense[c][t - 1] : 0, cur = dense[c][t];
            if (prev > 0)
                open += prev, nopen++;
            if (cur > 0)
                close += cur;
            if (prev == 0 && cur > 0) {
                int last = -1;
                for (int u = 0; u < t; u++)
                    if (dense[c][u] > 0)
                        last = u;
                int away = t - last - 1;
                if (last >= 0 && (mo.reactivation_window == 0 ||
                                  away <= mo.reactivation_window))
                    re += cur;
                else
                    nw += cur, nnew++;
            } else if (prev > 0 && cur == 0) {
                ch += prev, nch++;
            } else if (prev > 0 && cur > prev) {
                ex += cur - prev;
            } else if (prev > 0 && cur < prev) {
                co += prev - cur;
            }
        }
        ck_assert(rel_close(m->opening_mrr[t], open));
        ck_assert(rel_close(m->closing_mrr[t], close));
        ck_assert(rel_close(m->new_mrr[t], nw));
        ck_assert(rel_close(m->reactivation_mrr[t], re));
        ck_assert(rel_close(m->expansion_mrr[t], ex));
        ck_assert(rel_close(m->contraction_mrr[t], co));
        ck_assert(rel_close(m->churn_mrr[t], ch));
        ck_assert_int_eq(m->new_customers[t], nnew);
        ck_assert_int_eq(m->churned_customers[t], nch);
        ck_assert_int_eq(m->opening_customers[t], nopen);
        /* the bridge identity */
        ck_assert(rel_close(m->opening_mrr[t] + m->net_new_mrr[t],
                            m->closing_mrr[t]));
    }
    csm_movements_free(m);
    /* retention: brute force per window */
    for (int32_t w = 1; w <= 12; w += 5) {
        csm_retention_opts ro = CSM_RETENTION_OPTS_INIT;
        ro.window = w;
        csm_retention *r;
        ck_assert_int_eq(csm_retention_compute(&r, l, &ro, NULL), CSM_OK);
        for (size_t i = 0; i < r->n_rows; i++) {
            int t1 = r->end_month[i] - M(0), t0 = t1 - w;
            double base = 0, g = 0, n = 0;
            int nb = 0, nr = 0;
            for (int c = 0; c < NC; c++) {
                if (t0 < 0 || !(dense[c][t0] > 0))
                    continue;
                nb++;
                base += dense[c][t0];
                n += dense[c][t1];
                g += fmin(dense[c][t1], dense[c][t0]);
                nr += dense[c][t1] > 0;
            }
            ck_assert_int_eq(r->base_customers[i], nb);
            ck_assert(rel_close(r->base_mrr[i], base));
            if (nb) {
                ck_assert(rel_close(r->grr[i], g / base));
                ck_assert(rel_close(r->nrr[i], n / base));
                ck_assert(rel_close(r->logo_retention[i], (double)nr / nb));
                ck_assert(r->grr[i] <= 1.0 + 1e-12);
                ck_assert(r->grr[i] <= r->nrr[i] + 1e-12);
            }
        }
        csm_retention_free(r);
        /* movement-sum mode keeps GRR <= 1 and GRR <= NRR */
        ro.nrr_mode = CSM_NRR_MOVEMENT_SUM;
        ck_assert_int_eq(csm_retention_compute(&r, l, &ro, NULL), CSM_OK);
        for (size_t i = 0; i < r->n_rows; i++) {
            if (r->base_customers[i] == 0)
                continue;
            ck_assert(r->grr[i] >= 0 && r->grr[i] <= 1.0 + 1e-12);
            ck_assert(r->grr[i] <= r->nrr[i] + 1e-12);
        }
        csm_retention_free(r);
    }
    /* cohorts: first active month per customer */
    csm_cohorts *co;
    ck_assert_int_eq(csm_cohorts_compute(&co, l, NULL, NULL), CSM_OK);
    for (size_t k = 0; k < co->n_cohorts; k++) {
        int t0 = co->cohort[k] - M(0);
        for (size_t a = 0; a < co->n_ages; a++) {
            int t = t0 + (int)a;
            if (t >= NM) {
                ck_assert(isnan(co->customers[k * co->n_ages + a]));
                continue;
            }
            double cnt = 0, v = 0;
            for (int c = 0; c < NC; c++) {
                int first = -1;
                for (int u = 0; u < NM && first < 0; u++)
                    if (dense[c][u] > 0)
                        first = u;
                if (first != t0)
                    continue;
                if (dense[c][t] > 0)
                    cnt += 1, v += dense[c][t];
            }
            ck_assert_double_eq_tol(co->customers[k * co->n_ages + a], cnt,
                                    1e-12);
            ck_assert(rel_close(co->mrr[k * co->n_ages + a], v));
        }
    }
    csm_cohorts_free(co);
    csm_ledger_free(l);
    free_rows(&rows);
}
END_TEST

START_TEST(test_shuffle_and_partition) {
    rows_t rows = random_rows(99 + (uint64_t)_i);
    csm_ledger *l;
    ck_assert_int_eq(csm_ledger_new(&l, rows.cust, rows.per, rows.mrr,
                                    rows.seg, rows.n, NULL, NULL),
                     CSM_OK);
    csm_movements_opts mo = CSM_MOVEMENTS_OPTS_INIT;
    mo.by_segment = 1;
    mo.first_month = M(0);
    mo.last_month = M(NM - 1);
    csm_movements *m;
    ck_assert_int_eq(csm_movements_compute(&m, l, &mo, NULL), CSM_OK);
    csm_retention_opts ro = CSM_RETENTION_OPTS_INIT;
    ro.window = 6;
    csm_retention *r;
    ck_assert_int_eq(csm_retention_compute(&r, l, &ro, NULL), CSM_OK);

    /* shuffled rows give the same figures */
    shuffle(&rows);
    csm_ledger *l2;
    ck_assert_int_eq(csm_ledger_new(&l2, rows.cust, rows.per, rows.mrr,
                                    rows.seg, rows.n, NULL, NULL),
                     CSM_OK);
    csm_movements *m2;
    ck_assert_int_eq(csm_movements_compute(&m2, l2, &mo, NULL), CSM_OK);
    ck_assert_uint_eq(m2->n_rows, m->n_rows);
    for (size_t i = 0; i < m->n_rows; i++) {
        ck_assert(rel_close(m->closing_mrr[i], m2->closing_mrr[i]));
        ck_assert(rel_close(m->expansion_mrr[i], m2->expansion_mrr[i]));
        ck_assert(rel_close(m->segment_in_mrr[i], m2->segment_in_mrr[i]));
        ck_assert_int_eq(m->churned_customers[i], m2->churned_customers[i]);
        ck_assert(rel_close(m->opening_mrr[i] + m->net_new_mrr[i],
                            m->closing_mrr[i]));
    }
    /* split customers into two partitions (by id parity): the sums of the
     * partial movements equal the whole */
    rows_t part[2];
    for (int p = 0; p < 2; p++) {
        part[p].n = 0;
        part[p].cust = malloc(rows.n * sizeof(int64_t));
        part[p].per = malloc(rows.n * sizeof(int32_t));
        part[p].mrr = malloc(rows.n * sizeof(double));
        part[p].seg = malloc(rows.n * sizeof(int32_t));
    }
    for (size_t i = 0; i < rows.n; i++) {
        rows_t *q = &part[rows.cust[i] % 2 != 0];
        q->cust[q->n] = rows.cust[i];
        q->per[q->n] = rows.per[i];
        q->mrr[q->n] = rows.mrr[i];
        q->seg[q->n] = rows.seg[i];
        q->n++;
    }
    csm_movements_opts mt = mo;
    mt.by_segment = 0;
    csm_movements *whole, *pm[2];
    ck_assert_int_eq(csm_movements_compute(&whole, l, &mt, NULL), CSM_OK);
    csm_retention *pr[2];
    for (int p = 0; p < 2; p++) {
        csm_ledger *lp;
        ck_assert_int_eq(csm_ledger_new(&lp, part[p].cust, part[p].per,
                                        part[p].mrr, part[p].seg, part[p].n,
                                        NULL, NULL),
                         CSM_OK);
        ck_assert_int_eq(csm_movements_compute(&pm[p], lp, &mt, NULL),
                         CSM_OK);
        csm_retention_opts rp = ro;
        rp.first_month = r->n_rows ? r->end_month[0] : CSM_MONTH_NONE;
        rp.last_month = r->n_rows ? r->end_month[r->n_rows - 1]
                                  : CSM_MONTH_NONE;
        ck_assert_int_eq(csm_retention_compute(&pr[p], lp, &rp, NULL),
                         CSM_OK);
        csm_ledger_free(lp);
    }
    for (size_t t = 0; t < whole->n_rows; t++) {
        ck_assert(rel_close(whole->new_mrr[t],
                            pm[0]->new_mrr[t] + pm[1]->new_mrr[t]));
        ck_assert(rel_close(whole->churn_mrr[t],
                            pm[0]->churn_mrr[t] + pm[1]->churn_mrr[t]));
        ck_assert(rel_close(whole->contraction_mrr[t],
                            pm[0]->contraction_mrr[t] +
                                pm[1]->contraction_mrr[t]));
        ck_assert(rel_close(whole->closing_mrr[t],
                            pm[0]->closing_mrr[t] + pm[1]->closing_mrr[t]));
        ck_assert_int_eq(whole->closing_customers[t],
                         pm[0]->closing_customers[t] +
                             pm[1]->closing_customers[t]);
    }
    for (size_t i = 0; i < r->n_rows; i++) {
        ck_assert(rel_close(r->base_mrr[i],
                            pr[0]->base_mrr[i] + pr[1]->base_mrr[i]));
        ck_assert(rel_close(r->end_mrr[i],
                            pr[0]->end_mrr[i] + pr[1]->end_mrr[i]));
        ck_assert_int_eq(r->retained_customers[i],
                         pr[0]->retained_customers[i] +
                             pr[1]->retained_customers[i]);
    }
    for (int p = 0; p < 2; p++) {
        csm_movements_free(pm[p]);
        csm_retention_free(pr[p]);
        free_rows(&part[p]);
    }
    csm_movements_free(whole);
    csm_movements_free(m);
    csm_movements_free(m2);
    csm_retention_free(r);
    csm_ledger_free(l);
    csm_ledger_free(l2);
    free_rows(&rows);
}
END_TEST

/* ---- customer partitions (csm_ledger_new_partition) --------------------- */

/* csm_ledger_partition_of by hand: h = the high 32 bits of
 * id x 0x9E3779B97F4A7C15 mod 2^64, partition = h x n >> 32.
 *   id 1:  h = 0x9E3779B9 = 2654435769 (floor(2^32/phi));
 *          n 2: 5308871538 >> 32 = 1; n 3: 7963307307 >> 32 = 1;
 *          n 10: 26544357690 >> 32 = 6 (26544357690 / 2^32 = 6.18)
 *   id -1: id x C = 2^64 - C = 0x61C8864680B583EB, h = 0x61C88646 =
 *          1640531526; n 2: 3281063052 < 2^32: 0; n 10: 16405315260 >>
 *          32 = 3 (3.82)
 *   id 0: 0 whatever n; n 1: always 0 (h < 2^32); n 0: 0. */
START_TEST(test_partition_of) {
    ck_assert_uint_eq(csm_ledger_partition_of(1, 2), 1);
    ck_assert_uint_eq(csm_ledger_partition_of(1, 3), 1);
    ck_assert_uint_eq(csm_ledger_partition_of(1, 10), 6);
    ck_assert_uint_eq(csm_ledger_partition_of(-1, 2), 0);
    ck_assert_uint_eq(csm_ledger_partition_of(-1, 10), 3);
    ck_assert_uint_eq(csm_ledger_partition_of(0, 7), 0);
    ck_assert_uint_eq(csm_ledger_partition_of(INT64_MAX, 1), 0);
    ck_assert_uint_eq(csm_ledger_partition_of(12345, 0), 0);
    /* every id below n partitions' worth lands inside [0, n) */
    for (int64_t id = -500; id < 500; id++)
        for (uint32_t n = 1; n < 9; n++)
            ck_assert_uint_lt(csm_ledger_partition_of(id, n), n);
}
END_TEST

/* The partition ledgers of random rows are the whole ledger's customers
 * split by csm_ledger_partition_of: each partition holds exactly the
 * customers of its partition, with the whole ledger's entries (month,
 * MRR and segment id bit for bit: the same rows summed in the same
 * order), for 1, 2, 3 and 7 partitions (with 60 customers, 7 partitions
 * hold about 9 each; the test also covers a partition that is empty when
 * the rows name one customer). */
START_TEST(test_new_partition) {
    rows_t rows = random_rows(7 + (uint64_t)_i);
    shuffle(&rows);
    csm_ledger *whole;
    ck_assert_int_eq(csm_ledger_new(&whole, rows.cust, rows.per, rows.mrr,
                                    rows.seg, rows.n, NULL, NULL),
                     CSM_OK);
    static const uint32_t ks[] = {1, 2, 3, 7};
    for (size_t q = 0; q < 4; q++) {
        const uint32_t k = ks[q];
        size_t n_cust = 0, n_ent = 0;
        for (uint32_t p = 0; p < k; p++) {
            csm_ledger *l;
            ck_assert_int_eq(csm_ledger_new_partition(&l, rows.cust, rows.per,
                                                      rows.mrr, rows.seg,
                                                      rows.n, p, k, NULL, NULL),
                             CSM_OK);
            n_cust += l->n_cust;
            n_ent += l->n_ent;
            /* its customers: those of the whole ledger in partition p */
            size_t c = 0;
            for (size_t w = 0; w < whole->n_cust; w++) {
                if (csm_ledger_partition_of(whole->cust_id[w], k) != p)
                    continue;
                ck_assert_uint_lt(c, l->n_cust);
                ck_assert_int_eq(l->cust_id[c], whole->cust_id[w]);
                size_t lo = l->cust_off[c], wlo = whole->cust_off[w];
                ck_assert_uint_eq(l->cust_off[c + 1] - lo,
                                  whole->cust_off[w + 1] - wlo);
                for (size_t j = 0; j < l->cust_off[c + 1] - lo; j++) {
                    ck_assert_int_eq(l->period[lo + j], whole->period[wlo + j]);
                    ck_assert(l->mrr[lo + j] == whole->mrr[wlo + j]);
                    ck_assert_int_eq(csm__lseg_id(l, lo + j),
                                     csm__lseg_id(whole, wlo + j));
                }
                c++;
            }
            ck_assert_uint_eq(c, l->n_cust);
            csm_ledger_free(l);
        }
        ck_assert_uint_eq(n_cust, whole->n_cust);
        ck_assert_uint_eq(n_ent, whole->n_ent);
    }
    /* one customer (id 1, partition 1 of 2 by hand above): partition 0
     * is an empty ledger */
    const int64_t one[] = {1, 1};
    const int32_t per[] = {M(0), M(1)};
    const double mrr[] = {10, 20};
    csm_ledger *e, *f;
    ck_assert_int_eq(csm_ledger_new_partition(&e, one, per, mrr, NULL, 2, 0, 2,
                                              NULL, NULL),
                     CSM_OK);
    ck_assert_int_eq(csm_ledger_new_partition(&f, one, per, mrr, NULL, 2, 1, 2,
                                              NULL, NULL),
                     CSM_OK);
    ck_assert_uint_eq(csm_ledger_customer_count(e), 0);
    ck_assert_int_eq(csm_ledger_first_month(e), CSM_MONTH_NONE);
    ck_assert_uint_eq(csm_ledger_customer_count(f), 1);
    ck_assert_uint_eq(csm_ledger_entry_count(f), 2);
    csm_ledger_free(e);
    csm_ledger_free(f);
    csm_ledger_free(whole);
    free_rows(&rows);
}
END_TEST

/* Errors name the caller's row: ids 1 (partition 1 of 2) and -1
 * (partition 0 of 2, by hand above) alternate; the bad rows are rows 3
 * (id -1, MRR -5) and, in strict mode, row 4 (id 1, the second row of
 * month 0 of customer 1; its partition's rows are 0, 2, 4: the build sees
 * its third row).  A partition without the bad row builds. */
START_TEST(test_new_partition_errors) {
    const int64_t cust[] = {1, -1, 1, -1, 1};
    const int32_t per[] = {M(0), M(0), M(1), M(1), M(0)};
    const double mrr[] = {10, 20, 30, -5, 40};
    csm_error err;
    csm_ledger *l = (csm_ledger *)1;
    ck_assert_int_eq(csm_ledger_new_partition(&l, cust, per, mrr, NULL, 5, 0,
                                              2, NULL, &err),
                     CSM_EDOMAIN);
    ck_assert_ptr_null(l);
    ck_assert_uint_eq(err.row, 3);
    ck_assert_str_eq(err.field, "mrr");
    ck_assert_int_eq(csm_ledger_new_partition(&l, cust, per, mrr, NULL, 5, 1,
                                              2, NULL, &err),
                     CSM_OK);
    ck_assert_uint_eq(csm_ledger_entry_count(l), 2); /* month 0: 10 + 40 */
    csm_ledger_free(l);
    csm_ledger_opts o = CSM_LEDGER_OPTS_INIT;
    o.strict = 1;
    ck_assert_int_eq(csm_ledger_new_partition(&l, cust, per, mrr, NULL, 5, 1,
                                              2, &o, &err),
                     CSM_EDUP);
    ck_assert_ptr_null(l);
    ck_assert_uint_eq(err.row, 4);
    ck_assert_str_eq(err.field, "period");
    ck_assert(strstr(err.text, "row 4") != NULL);
    ck_assert_int_eq(csm_ledger_new_partition(&l, cust, per, mrr, NULL, 5, 2,
                                              2, NULL, &err),
                     CSM_EINVAL);
    ck_assert_str_eq(err.field, "partition");
    ck_assert_int_eq(csm_ledger_new_partition(&l, cust, per, mrr, NULL, 5, 0,
                                              0, NULL, &err),
                     CSM_EINVAL);
    ck_assert_int_eq(csm_ledger_new_partition(&l, NULL, per, mrr, NULL, 5, 0,
                                              1, NULL, &err),
                     CSM_EINVAL);
    ck_assert_str_eq(err.field, "customer_id");
    ck_assert_int_eq(csm_ledger_new_partition(NULL, cust, per, mrr, NULL, 5, 0,
                                              1, NULL, &err),
                     CSM_EINVAL);
    ck_assert_str_eq(err.field, "out");
}
END_TEST

/* ---- row lists (csm_ledger_partition_rows, _count, _deal, _new_rows) ---- */

/* Two ledgers are the same: customers, offsets, entries (month, MRR bit
 * for bit, segment id), first and last month. */
static void assert_same_ledger(const csm_ledger *a, const csm_ledger *b) {
    ck_assert_uint_eq(a->n_cust, b->n_cust);
    ck_assert_uint_eq(a->n_ent, b->n_ent);
    ck_assert_int_eq(a->first_month, b->first_month);
    ck_assert_int_eq(a->last_month, b->last_month);
    ck_assert_uint_eq(a->n_seg, b->n_seg);
    for (size_t k = 0; k < a->n_seg; k++)
        ck_assert_int_eq(a->seg_ids[k], b->seg_ids[k]);
    for (size_t c = 0; c < a->n_cust; c++) {
        ck_assert_int_eq(a->cust_id[c], b->cust_id[c]);
        ck_assert_uint_eq(a->cust_off[c + 1], b->cust_off[c + 1]);
    }
    for (size_t j = 0; j < a->n_ent; j++) {
        ck_assert_int_eq(a->period[j], b->period[j]);
        ck_assert(memcmp(&a->mrr[j], &b->mrr[j], sizeof a->mrr[j]) == 0);
        ck_assert_int_eq(csm__lseg_id(a, j), csm__lseg_id(b, j));
    }
}

/* csm_ledger_new_rows on the rows list[0..m) of r equals csm_ledger_new on
 * those rows copied out in list order, with options o. */
static void check_new_rows(const rows_t *r, const uint32_t *list, size_t m,
                           const csm_ledger_opts *o) {
    rows_t c = {m, malloc((m + 1) * sizeof *c.cust),
                malloc((m + 1) * sizeof *c.per),
                malloc((m + 1) * sizeof *c.mrr),
                malloc((m + 1) * sizeof *c.seg)};
    ck_assert(c.cust && c.per && c.mrr && c.seg);
    for (size_t j = 0; j < m; j++) {
        c.cust[j] = r->cust[list[j]];
        c.per[j] = r->per[list[j]];
        c.mrr[j] = r->mrr[list[j]];
        c.seg[j] = r->seg[list[j]];
    }
    csm_ledger *want = NULL, *got = NULL;
    ck_assert_int_eq(csm_ledger_new(&want, c.cust, c.per, c.mrr, c.seg, m, o,
                                    NULL),
                     CSM_OK);
    ck_assert_int_eq(csm_ledger_new_rows(&got, r->cust, r->per, r->mrr,
                                         r->seg, r->n, list, m, o, NULL),
                     CSM_OK);
    assert_same_ledger(got, want);
    csm_ledger_free(want);
    csm_ledger_free(got);
    free_rows(&c);
}

/* The dealt rows of random (shuffled) rows against a brute force over
 * csm_ledger_partition_of: partition k's list is every row i, ascending,
 * whose customer is in partition k; the same from count + deal on three
 * ranges (one empty); and the ledger of each list is csm_ledger_new's on
 * the rows copied out, for 1, 2, 3 and 7 partitions. */
START_TEST(test_partition_rows) {
    rows_t rows = random_rows(31 + (uint64_t)_i);
    shuffle(&rows);
    const size_t n = rows.n;
    uint32_t *list = malloc(n * sizeof *list), *par = malloc(n * sizeof *par);
    uint32_t *brute = malloc(n * sizeof *brute);
    ck_assert(list && par && brute);
    static const uint32_t ks[] = {1, 2, 3, 7};
    for (size_t q = 0; q < 4; q++) {
        const uint32_t K = ks[q];
        size_t off[8], cnt[3][7], next[7];
        ck_assert_int_eq(csm_ledger_partition_rows(list, off, rows.cust, n, K,
                                                   NULL),
                         CSM_OK);
        ck_assert_uint_eq(off[0], 0);
        ck_assert_uint_eq(off[K], n);
        /* three ranges [0, a), [a, a) (empty), [a, n) */
        const size_t a = n / 3, lo[3] = {0, a, a}, hi[3] = {a, a, n};
        for (int t = 0; t < 3; t++)
            ck_assert_int_eq(csm_ledger_partition_count(cnt[t],
                                                        rows.cust + lo[t],
                                                        hi[t] - lo[t], K, NULL),
                             CSM_OK);
        size_t first = 0;
        for (uint32_t k = 0; k < K; k++) {
            /* brute force: scan every row for partition k */
            size_t m = 0;
            for (size_t i = 0; i < n; i++)
                if (csm_ledger_partition_of(rows.cust[i], K) == k)
                    brute[m++] = (uint32_t)i;
            ck_assert_uint_eq(off[k], first);
            ck_assert_uint_eq(off[k + 1] - off[k], m);
            ck_assert(memcmp(list + off[k], brute, m * sizeof *brute) == 0);
            ck_assert_uint_eq(cnt[0][k] + cnt[1][k] + cnt[2][k], m);
            first += m;
            csm_ledger_opts o = CSM_LEDGER_OPTS_INIT;
            o.free_is_active = (int)(k % 2);
            check_new_rows(&rows, brute, m, &o);
        }
        /* count + deal by range: the same list */
        for (int t = 0; t < 3; t++) {
            for (uint32_t k = 0; k < K; k++) {
                next[k] = off[k];
                for (int u = 0; u < t; u++)
                    next[k] += cnt[u][k];
            }
            ck_assert_int_eq(csm_ledger_partition_deal(par, n, next,
                                                       rows.cust + lo[t],
                                                       hi[t] - lo[t], lo[t], K,
                                                       NULL),
                             CSM_OK);
        }
        for (uint32_t k = 0; k < K; k++)
            ck_assert_uint_eq(next[k], off[k + 1]);
        ck_assert(memcmp(par, list, n * sizeof *list) == 0);
    }
    /* a list that is no partition (every third row: customers split) and
     * an empty one */
    size_t m = 0;
    for (size_t i = 0; i < n; i += 3)
        brute[m++] = (uint32_t)i;
    check_new_rows(&rows, brute, m, NULL);
    check_new_rows(&rows, brute, 0, NULL);
    /* no rows at all: offsets all 0 */
    size_t off0[3] = {9, 9, 9};
    ck_assert_int_eq(csm_ledger_partition_rows(NULL, off0, NULL, 0, 2, NULL),
                     CSM_OK);
    ck_assert_uint_eq(off0[0] + off0[1] + off0[2], 0);
    free(list);
    free(par);
    free(brute);
    free_rows(&rows);
}
END_TEST

/* csm_ledger_new_rows with the sort's other layouts (ids 2^40 or
 * INT64_MAX apart: packed and wide keys, test_sort_fallback_layouts) and
 * with duplicates in strict and summing mode: the rows copied out give
 * the same ledger.  The rows: customer 0 and customer far at every other
 * row, in reverse month order, plus each row i of customer 0 repeated at
 * row i + 1 of the first 8 (duplicates summed in row order). */
START_TEST(test_new_rows_layouts) {
    enum { N = 4096 };
    const int64_t far[2] = {INT64_C(1) << 40, INT64_MAX};
    rows_t r = {N, malloc(N * sizeof *r.cust), malloc(N * sizeof *r.per),
                malloc(N * sizeof *r.mrr), malloc(N * sizeof *r.seg)};
    uint32_t *list = malloc(N * sizeof *list);
    ck_assert(r.cust && r.per && r.mrr && r.seg && list);
    for (int f = 0; f < 2; f++) {
        for (int i = 0; i < N; i++) {
            int q = N - 1 - i;
            r.cust[i] = (q % 2) ? far[f] : 0;
            r.per[i] = CSM_MONTH_MIN + q / 2;
            r.mrr[i] = 0.1 * (q + 1);
            r.seg[i] = q % 5 - 2;
        }
        for (int i = 1; i < 8; i += 2) { /* row i repeats row i - 1's month */
            r.cust[i] = r.cust[i - 1];
            r.per[i] = r.per[i - 1];
        }
        /* every row; the odd rows; rows 2.. (no duplicates left) */
        size_t m = 0;
        for (uint32_t i = 0; i < N; i++)
            list[m++] = i;
        check_new_rows(&r, list, m, NULL);
        m = 0;
        for (uint32_t i = 1; i < N; i += 2)
            list[m++] = i;
        check_new_rows(&r, list, m, NULL);
        csm_ledger_opts o = CSM_LEDGER_OPTS_INIT;
        o.strict = 1;
        m = 0;
        for (uint32_t i = 8; i < N; i++)
            list[m++] = i;
        check_new_rows(&r, list, m, &o);
    }
    free(list);
    free_rows(&r);
}
END_TEST

/* Errors of the row-list functions.  Rows: ids 1 (partition 1 of 2) and
 * -1 (partition 0 of 2, by hand in test_partition_of) alternate; row 3
 * has MRR -5 and row 4 repeats row 0's (customer 1, month 0).  Errors
 * name the caller's row index, not the list position. */
START_TEST(test_new_rows_errors) {
    const int64_t cust[] = {1, -1, 1, -1, 1};
    const int32_t per[] = {M(0), M(0), M(1), M(1), M(0)};
    const double mrr[] = {10, 20, 30, -5, 40};
    csm_error err;
    csm_ledger *l = (csm_ledger *)1;
    /* the dealt lists by hand: partition 0 = rows 1, 3; 1 = rows 0, 2, 4 */
    uint32_t rows[5];
    size_t off[3];
    ck_assert_int_eq(csm_ledger_partition_rows(rows, off, cust, 5, 2, &err),
                     CSM_OK);
    const uint32_t want[5] = {1, 3, 0, 2, 4};
    ck_assert(memcmp(rows, want, sizeof want) == 0);
    ck_assert_uint_eq(off[1], 2);
    /* partition 0: the bad MRR of row 3 (its second list entry) */
    ck_assert_int_eq(csm_ledger_new_rows(&l, cust, per, mrr, NULL, 5, rows, 2,
                                         NULL, &err),
                     CSM_EDOMAIN);
    ck_assert_ptr_null(l);
    ck_assert_uint_eq(err.row, 3);
    ck_assert_str_eq(err.field, "mrr");
    /* partition 1: builds (month 0: 10 + 40); strict: row 4 duplicates */
    ck_assert_int_eq(csm_ledger_new_rows(&l, cust, per, mrr, NULL, 5, rows + 2,
                                         3, NULL, &err),
                     CSM_OK);
    ck_assert_uint_eq(csm_ledger_entry_count(l), 2);
    ck_assert_double_eq(csm_ledger_mrr(l, M(0)), 50);
    csm_ledger_free(l);
    /* an empty list, NULL: an empty ledger, not the ledger of every row
     * (the bad row 3 would refuse that), nor a read of NULL columns */
    ck_assert_int_eq(csm_ledger_new_rows(&l, cust, per, mrr, NULL, 5, NULL, 0,
                                         NULL, &err),
                     CSM_OK);
    ck_assert_uint_eq(csm_ledger_entry_count(l), 0);
    ck_assert_uint_eq(csm_ledger_customer_count(l), 0);
    csm_ledger_free(l);
    ck_assert_int_eq(csm_ledger_new_rows(&l, NULL, NULL, NULL, NULL, 5, NULL,
                                         0, NULL, &err),
                     CSM_OK);
    ck_assert_uint_eq(csm_ledger_entry_count(l), 0);
    csm_ledger_free(l);
    csm_ledger_opts o = CSM_LEDGER_OPTS_INIT;
    o.strict = 1;
    ck_assert_int_eq(csm_ledger_new_rows(&l, cust, per, mrr, NULL, 5, rows + 2,
                                         3, &o, &err),
                     CSM_EDUP);
    ck_assert_ptr_null(l);
    ck_assert_uint_eq(err.row, 4);
    ck_assert_str_eq(err.field, "period");
    /* bad lists: position 1 not ascending; position 1 past n; NULL */
    const uint32_t down[] = {2, 0}, past[] = {0, 5};
    ck_assert_int_eq(csm_ledger_new_rows(&l, cust, per, mrr, NULL, 5, down, 2,
                                         NULL, &err),
                     CSM_EINVAL);
    ck_assert_str_eq(err.field, "rows");
    ck_assert_uint_eq(err.row, 1);
    ck_assert_int_eq(csm_ledger_new_rows(&l, cust, per, mrr, NULL, 5, past, 2,
                                         NULL, &err),
                     CSM_EINVAL);
    ck_assert_str_eq(err.field, "rows");
    ck_assert_uint_eq(err.row, 1);
    const uint32_t same[] = {0, 0};
    ck_assert_int_eq(csm_ledger_new_rows(&l, cust, per, mrr, NULL, 5, same, 2,
                                         NULL, &err),
                     CSM_EINVAL);
    ck_assert_uint_eq(err.row, 1);
    ck_assert_int_eq(csm_ledger_new_rows(&l, cust, per, mrr, NULL, 5, NULL, 1,
                                         NULL, &err),
                     CSM_EINVAL);
    ck_assert_str_eq(err.field, "rows");
    ck_assert_int_eq(csm_ledger_new_rows(&l, NULL, per, mrr, NULL, 5, rows, 1,
                                         NULL, &err),
                     CSM_EINVAL);
    ck_assert_str_eq(err.field, "customer_id");
    ck_assert_int_eq(csm_ledger_new_rows(NULL, cust, per, mrr, NULL, 5, rows,
                                         1, NULL, &err),
                     CSM_EINVAL);
    ck_assert_str_eq(err.field, "out");
    /* the dealers */
    ck_assert_int_eq(csm_ledger_partition_rows(rows, off, cust, 5, 0, &err),
                     CSM_EINVAL);
    ck_assert_str_eq(err.field, "n_partitions");
    ck_assert_int_eq(csm_ledger_partition_rows(rows, NULL, cust, 5, 2, &err),
                     CSM_EINVAL);
    ck_assert_str_eq(err.field, "offsets");
    ck_assert_int_eq(csm_ledger_partition_rows(NULL, off, cust, 5, 2, &err),
                     CSM_EINVAL);
    ck_assert_str_eq(err.field, "rows");
    ck_assert_int_eq(csm_ledger_partition_count(NULL, cust, 5, 2, &err),
                     CSM_EINVAL);
    ck_assert_str_eq(err.field, "counts");
    ck_assert_int_eq(csm_ledger_partition_count(off, NULL, 5, 2, &err),
                     CSM_EINVAL);
    ck_assert_str_eq(err.field, "customer_id");
    /* deal with slots that overflow rows: partition 1's slot starts at 4
     * of 5, so its second row (row 2) finds no slot; rows 0 and 1 were
     * dealt */
    size_t next[2] = {0, 4};
    ck_assert_int_eq(csm_ledger_partition_deal(rows, 5, next, cust, 5, 0, 2,
                                               &err),
                     CSM_EINVAL);
    ck_assert_str_eq(err.field, "next");
    ck_assert_uint_eq(err.row, 2);
    ck_assert_uint_eq(rows[4], 0);
    ck_assert_uint_eq(rows[0], 1);
    /* indices beyond 32 bits: rows 2^32 - 1 and 2^32 */
    next[0] = 0;
    next[1] = 2;
    ck_assert_int_eq(csm_ledger_partition_deal(rows, 5, next, cust, 2,
                                               (size_t)UINT32_MAX, 2, &err),
                     CSM_ERANGE);
    ck_assert_str_eq(err.field, "first_row");
    ck_assert_int_eq(csm_ledger_partition_deal(rows, 5, next, cust, 1,
                                               (size_t)UINT32_MAX, 2, &err),
                     CSM_OK);
    ck_assert_uint_eq(rows[2], UINT32_MAX);
    ck_assert_int_eq(csm_ledger_partition_deal(rows, 5, NULL, cust, 1, 0, 2,
                                               &err),
                     CSM_EINVAL);
    ck_assert_str_eq(err.field, "next");
}
END_TEST

/* ---- allocator and out-of-memory ----------------------------------------- */

START_TEST(test_out_of_memory) {
    /* fail each allocation in turn: every call returns CSM_ENOMEM and
     * leaves nothing allocated (live == 0), until the budget suffices;
     * _i = 1: the ledger built as the one partition of 1 (the same
     * ledger, through csm_ledger_new_partition); _i = 2: through
     * csm_ledger_new_rows of the list of every row */
    int32_t per[FX_N];
    uint32_t all_rows[FX_N];
    for (size_t i = 0; i < FX_N; i++) {
        per[i] = M(fx_month[i]);
        all_rows[i] = (uint32_t)i;
    }
    int done = 0;
    for (long b = 0; b < 200 && !done; b++) {
        fail_ctx f = {b, 0};
        csm_allocator a = {fail_alloc, fail_free, &f, NULL};
        csm_ledger_opts o = CSM_LEDGER_OPTS_INIT;
        o.allocator = &a;
        csm_ledger *l = NULL;
        csm_status s =
            _i == 2 ? csm_ledger_new_rows(&l, fx_cust, per, fx_mrr, fx_seg,
                                          FX_N, all_rows, FX_N, &o, NULL)
            : _i    ? csm_ledger_new_partition(&l, fx_cust, per, fx_mrr,
                                               fx_seg, FX_N, 0, 1, &o, NULL)
                    : csm_ledger_new(&l, fx_cust, per, fx_mrr, fx_seg, FX_N,
                                     &o, NULL);
        if (s != CSM_OK) {
            ck_assert_int_eq(s, CSM_ENOMEM);
            ck_assert_int_eq(f.live, 0);
            continue;
        }
        csm_movements *m = NULL;
        csm_retention *r = NULL;
        csm_cohorts *c = NULL;
        csm_movements_opts mo = CSM_MOVEMENTS_OPTS_INIT;
        mo.by_segment = 1;
        csm_status s1 = csm_movements_compute(&m, l, &mo, NULL);
        csm_status s2 = csm_retention_compute(&r, l, NULL, NULL);
        csm_status s3 = csm_cohorts_compute(&c, l, NULL, NULL);
        ck_assert(s1 == CSM_OK || s1 == CSM_ENOMEM);
        ck_assert(s2 == CSM_OK || s2 == CSM_ENOMEM);
        ck_assert(s3 == CSM_OK || s3 == CSM_ENOMEM);
        done = s1 == CSM_OK && s2 == CSM_OK && s3 == CSM_OK;
        csm_movements_free(m);
        csm_retention_free(r);
        csm_cohorts_free(c);
        csm_ledger_free(l);
        ck_assert_int_eq(f.live, 0);
    }
    ck_assert(done);
}
END_TEST

/* One month of the ledger (csm_ledger_month_compute), by hand: customer 5
 * has two rows in month 0 (10 in segment 2, 4 in segment 3): one row of
 * MRR 14 in segment 2 (the smallest, ledger.h); customer 3's month-0 row
 * is MRR 0: active only with free_is_active; customer 9 is in month 1. */
START_TEST(test_ledger_month) {
    const int64_t cust[] = {5, 3, 5, 9};
    const int32_t per[] = {M(0), M(0), M(0), M(1)};
    const double mrr[] = {10, 0, 4, 7};
    const int32_t seg[] = {2, 1, 3, 2};
    for (int free_active = 0; free_active < 2; free_active++) {
        csm_ledger_opts lo = CSM_LEDGER_OPTS_INIT;
        lo.free_is_active = free_active;
        csm_ledger *l = NULL;
        ck_assert_int_eq(csm_ledger_new(&l, cust, per, mrr, seg, 4, &lo, NULL),
                         CSM_OK);
        csm_ledger_month *m = NULL;
        ck_assert_int_eq(csm_ledger_month_compute(&m, l, M(0), NULL), CSM_OK);
        ck_assert_int_eq(m->month, M(0));
        ck_assert_uint_eq(m->n_rows, free_active ? 2 : 1);
        size_t k = 0;
        if (free_active) {
            ck_assert_int_eq(m->customer_id[0], 3);
            ck_assert_int_eq(m->segment[0], 1);
            ck_assert_double_eq(m->mrr[0], 0.0);
            k = 1;
        }
        ck_assert_int_eq(m->customer_id[k], 5);
        ck_assert_int_eq(m->segment[k], 2);
        ck_assert_double_eq_tol(m->mrr[k], 14.0, 1e-12);
        const csm_table *t = csm_result_table(m->result, 0);
        ck_assert_str_eq(t->name, "ledger_month");
        ck_assert_uint_eq(t->n_rows, m->n_rows);
        csm_ledger_month_free(m);
        ck_assert_int_eq(csm_ledger_month_compute(&m, l, M(1), NULL), CSM_OK);
        ck_assert_uint_eq(m->n_rows, 1);
        ck_assert_int_eq(m->customer_id[0], 9);
        ck_assert_double_eq(m->mrr[0], 7.0);
        csm_ledger_month_free(m);
        ck_assert_int_eq(csm_ledger_month_compute(&m, l, M(5), NULL), CSM_OK);
        ck_assert_uint_eq(m->n_rows, 0);
        csm_ledger_month_free(m);
        csm_error e;
        ck_assert_int_eq(csm_ledger_month_compute(&m, l, CSM_MONTH_NONE, &e),
                         CSM_EDOMAIN);
        ck_assert_str_eq(e.field, "month");
        ck_assert_ptr_null(m);
        ck_assert_int_eq(csm_ledger_month_compute(&m, NULL, M(0), &e),
                         CSM_EINVAL);
        csm_ledger_free(l);
    }
}
END_TEST

/* The caller's realloc hook trims the ledger's columns when a build ends
 * (csm_allocator.realloc).  6 rows of 3 customers, two of them duplicates,
 * merge into 4 entries: the month and MRR columns live in the sort's
 * buffers of 6 8-byte words (48 bytes each, ledger.h "Memory") and are
 * trimmed to 4 x 4 = 16 bytes (int32 months) and 4 x 8 = 32 bytes (MRR).
 * A hook that fails, or no hook, keeps the blocks: same figures. */
typedef struct {
    fail_ctx f;
    int fail;      /* 1 = the hook returns NULL */
    int n_calls;
    size_t old_size[8], new_size[8];
} trim_ctx;
static void *trim_alloc(void *ctx, size_t n) {
    return fail_alloc(&((trim_ctx *)ctx)->f, n);
}
static void trim_free(void *ctx, void *p) {
    fail_free(&((trim_ctx *)ctx)->f, p);
}
static void *trim_realloc(void *ctx, void *p, size_t old_size,
                          size_t new_size) {
    trim_ctx *t = ctx;
    if (t->n_calls < 8) {
        t->old_size[t->n_calls] = old_size;
        t->new_size[t->n_calls] = new_size;
    }
    t->n_calls++;
    return t->fail ? NULL : realloc(p, new_size);
}

START_TEST(test_allocator_realloc_trims) {
    const int64_t cust[] = {7, 7, 3, 3, 9, 7};
    const int32_t per[] = {M(0), M(1), M(0), M(0), M(2), M(1)};
    const double mrr[] = {10, 20, 5, 6, 30, 1};
    for (int mode = 0; mode < 3; mode++) { /* hook, failing hook, none */
        trim_ctx t = {{-1, 0}, mode == 1, 0, {0}, {0}};
        csm_allocator al = {trim_alloc, trim_free, &t,
                            mode < 2 ? trim_realloc : NULL};
        csm_ledger_opts lo = CSM_LEDGER_OPTS_INIT;
        lo.allocator = &al;
        csm_ledger *l = NULL;
        ck_assert_int_eq(csm_ledger_new(&l, cust, per, mrr, NULL, 6, &lo, NULL),
                         CSM_OK);
        ck_assert_uint_eq(csm_ledger_entry_count(l), 4);
        if (mode < 2) {
            int seen16 = 0, seen32 = 0;
            for (int i = 0; i < t.n_calls && i < 8; i++) {
                ck_assert_uint_eq(t.old_size[i], 48);
                seen16 += t.new_size[i] == 16;
                seen32 += t.new_size[i] == 32;
            }
            ck_assert_int_eq(seen16, 1);
            ck_assert_int_eq(seen32, 1);
        } else {
            ck_assert_int_eq(t.n_calls, 0);
        }
        /* the same ledger whatever the trim: month totals by hand */
        ck_assert_double_eq_tol(csm_ledger_mrr(l, M(0)), 10 + 5 + 6, 1e-12);
        ck_assert_double_eq_tol(csm_ledger_mrr(l, M(1)), 20 + 1, 1e-12);
        ck_assert_double_eq_tol(csm_ledger_mrr(l, M(2)), 30, 1e-12);
        csm_ledger_free(l);
        ck_assert_int_eq(t.f.live, 0);
    }
}
END_TEST

/* Retention and cohorts with rows in every table (the test above runs
 * retention with the default 12-month window: 0 rows), each allocation
 * failing in turn, then an Arrow export of every table failing in turn.
 * A result is one block: once computed it holds exactly one live
 * allocation, whatever its number of tables. */
START_TEST(test_out_of_memory_tables) {
    fail_ctx f = {-1, 0};
    csm_allocator al = {fail_alloc, fail_free, &f, NULL};
    csm_ledger *l = fixture_with(&al);
    const long base = f.live; /* the ledger's own blocks */
    csm_retention_opts ro = CSM_RETENTION_OPTS_INIT;
    ro.window = 3;
    ro.by_segment = 1;
    const int64_t kcust[] = {4};
    const int32_t kmon[] = {M(-1)};
    csm_cohorts_opts co = CSM_COHORTS_OPTS_INIT;
    co.by_segment = 1;
    co.key_customer = kcust;
    co.key_month = kmon;
    co.n_keys = 1;
    for (int fam = 0; fam < 2; fam++) {
        int done = 0;
        for (long b = 0; b < 100 && !done; b++) {
            csm_retention *r = NULL;
            csm_cohorts *c = NULL;
            csm_error e;
            f.budget = b;
            csm_status st = fam == 0 ? csm_retention_compute(&r, l, &ro, &e)
                                     : csm_cohorts_compute(&c, l, &co, &e);
            f.budget = -1;
            if (st != CSM_OK) {
                ck_assert_int_eq(st, CSM_ENOMEM);
                ck_assert(r == NULL && c == NULL);
                ck_assert_int_eq(f.live, base);
                continue;
            }
            done = 1;
            ck_assert_int_eq(f.live, base + 1); /* one block */
            csm_result *res = fam == 0 ? r->result : c->result;
            /* retention: t1 M3..M5 x segments 1, 2 = 6 rows; cohorts:
             * D keyed to M-1 (its segment 2 from M0), then (M0, 1) {A B
             * E}, (M1, 2) {C}, (M3, 2) {F} = 4 cohorts, ages 0..6 (M-1..
             * M5) = 28 cells */
            ck_assert_uint_eq(csm_result_n_tables(res), (fam == 0 ? 1u : 2u));
            ck_assert_uint_eq(csm_result_table(res, 0)->n_rows,
                              (fam == 0 ? 6u : 4u));
            if (fam == 1)
                ck_assert_uint_eq(csm_result_table(res, 1)->n_rows, 28);
            for (size_t ti = 0; ti < csm_result_n_tables(res); ti++) {
                const csm_table *t = csm_result_table(res, ti);
                int exported = 0;
                for (long eb = 0; eb < 100 && !exported; eb++) {
                    struct ArrowSchema s = {0};
                    struct ArrowArray a = {0};
                    f.budget = eb;
                    st = csm_table_export_arrow(&s, &a, res, t, NULL);
                    f.budget = -1;
                    if (st != CSM_OK) {
                        ck_assert_int_eq(st, CSM_ENOMEM);
                        ck_assert(s.release == NULL && a.release == NULL);
                        ck_assert_int_eq(f.live, base + 1);
                        continue;
                    }
                    exported = 1;
                    a.release(&a);
                    s.release(&s);
                    ck_assert_int_eq(f.live, base + 1);
                }
                ck_assert(exported);
            }
            csm_retention_free(r);
            csm_cohorts_free(c);
            ck_assert_int_eq(f.live, base);
        }
        ck_assert(done);
    }
    csm_ledger_free(l);
    ck_assert_int_eq(f.live, 0);
}
END_TEST

START_TEST(test_out_of_memory_contracts) {
    csm_contracts k = contracts();
    int done = 0;
    for (long b = 0; b < 200 && !done; b++) {
        fail_ctx f = {b, 0};
        csm_allocator a = {fail_alloc, fail_free, &f, NULL};
        csm_ledger_opts o = CSM_LEDGER_OPTS_INIT;
        o.allocator = &a;
        csm_ledger *l = NULL;
        csm_status s = csm_ledger_from_contracts(&l, &k, NULL, &o, NULL);
        ck_assert(s == CSM_OK || s == CSM_ENOMEM);
        if (s == CSM_OK) {
            csm_movements_opts mo = CSM_MOVEMENTS_OPTS_INIT;
            mo.churn_denominator = CSM_DENOM_DAILY;
            csm_movements *m = NULL;
            s = csm_movements_compute(&m, l, &mo, NULL);
            ck_assert(s == CSM_OK || s == CSM_ENOMEM);
            done = s == CSM_OK;
            csm_movements_free(m);
        } else {
            ck_assert_ptr_null(l);
        }
        csm_ledger_free(l);
        ck_assert_int_eq(f.live, 0);
    }
    ck_assert(done);
}
END_TEST

/* ---- a large build against a qsort reference ----------------------------
 * Above 2^16 rows the build sorts with the MSD + in-cache hybrid; these
 * rows (about 110K, shuffled, with duplicates and zero-MRR rows) check its
 * output entry by entry against a plain qsort and grouping done here.
 * Loop 0: ids 1..4000 with segments (indexed layout, hybrid sort);
 * 1: plus one customer with id 2^30, which puts almost every row in the
 *    first top-bits bucket (the skewed case);
 * 2: ids 2^44 apart (the key and row index do not fit 64 bits together:
 *    packed layout);  3: no segment column;  4: ids 64 apart (26 key
 *    bits: an odd number of in-bucket passes). */
typedef struct {
    int64_t c;
    int32_t p, s;
    size_t row;
    double v;
} big_rec;

static int cmp_big(const void *x, const void *y) {
    const big_rec *a = x, *b = y;
    if (a->c != b->c)
        return a->c < b->c ? -1 : 1;
    if (a->p != b->p)
        return a->p < b->p ? -1 : 1;
    if (a->s != b->s)
        return a->s < b->s ? -1 : 1;
    return (a->row > b->row) - (a->row < b->row);
}

START_TEST(test_large_build) {
    enum { BC = 4000, BM = 40 };
    rng_state = 77 + (uint64_t)_i;
    size_t cap = (size_t)BC * BM * 2 + BM, n = 0;
    int64_t *cust = malloc(cap * sizeof *cust);
    int32_t *per = malloc(cap * sizeof *per);
    double *mrr = malloc(cap * sizeof *mrr);
    int32_t *seg = malloc(cap * sizeof *seg);
    big_rec *ref = malloc(cap * sizeof *ref);
    ck_assert(cust && per && mrr && seg && ref);
    for (int c = 0; c < BC + (_i == 1); c++) {
        int64_t id = _i == 2   ? (int64_t)c * (INT64_C(1) << 44)
                     : _i == 4 ? 1 + 64 * (int64_t)c
                               : 1 + c;
        if (c == BC)
            id = INT64_C(1) << 30;
        int32_t start = (int32_t)(rnd() % BM), s0 = (int32_t)(rnd() % 3);
        for (int32_t t = start; t < BM; t++) {
            if (unif() < 0.25)
                continue;
            int k = unif() < 0.1 ? 2 : 1; /* duplicates */
            for (int d = 0; d < k; d++) {
                cust[n] = id;
                per[n] = M(t);
                mrr[n] = unif() < 0.05 ? 0.0 : (double)(rnd() % 100000) / 100;
                seg[n] = s0 + (unif() < 0.05 ? 5 : 0);
                n++;
            }
        }
    }
    ck_assert_uint_gt(n, (size_t)1 << 16);
    for (size_t i = n; i > 1; i--) { /* shuffle */
        size_t j = (size_t)(rnd() % i);
        int64_t c = cust[i - 1];
        cust[i - 1] = cust[j];
        cust[j] = c;
        int32_t x = per[i - 1];
        per[i - 1] = per[j];
        per[j] = x;
        x = seg[i - 1];
        seg[i - 1] = seg[j];
        seg[j] = x;
        double v = mrr[i - 1];
        mrr[i - 1] = mrr[j];
        mrr[j] = v;
    }
    const int32_t *segcol = _i == 3 ? NULL : seg;
    csm_ledger *l;
    ck_assert_int_eq(csm_ledger_new(&l, cust, per, mrr, segcol, n, NULL, NULL),
                     CSM_OK);
    for (size_t i = 0; i < n; i++) {
        ref[i].c = cust[i];
        ref[i].p = per[i];
        ref[i].s = segcol ? seg[i] : 0;
        ref[i].row = i;
        ref[i].v = mrr[i];
    }
    qsort(ref, n, sizeof *ref, cmp_big);
    size_t e = 0, nc = 0;
    for (size_t i = 0; i < n;) {
        size_t j = i;
        double sum = 0;
        while (j < n && ref[j].c == ref[i].c && ref[j].p == ref[i].p)
            sum += ref[j++].v;
        if (sum > 0) {
            if (nc == 0 || l->cust_id[nc - 1] != ref[i].c) {
                ck_assert_uint_lt(nc, l->n_cust);
                ck_assert_int_eq(l->cust_id[nc], ref[i].c);
                ck_assert_uint_eq(l->cust_off[nc], e);
                nc++;
            }
            ck_assert_uint_lt(e, l->n_ent);
            ck_assert_int_eq(l->period[e], ref[i].p);
            ck_assert(rel_close(l->mrr[e], sum));
            ck_assert_int_eq(l->seg_ids[csm__lseg(l, e)], ref[i].s);
            e++;
        }
        i = j;
    }
    ck_assert_uint_eq(e, l->n_ent);
    ck_assert_uint_eq(nc, l->n_cust);
    ck_assert_uint_eq(l->cust_off[nc], e);
    if (_i == 3)
        ck_assert_ptr_null(l->seg);
    csm_ledger_free(l);
    free(cust);
    free(per);
    free(mrr);
    free(seg);
    free(ref);
}
END_TEST

/* ---- issue 13, findings 1-5 and 8: input ranges and sums ------------- */

/* Finding 1 and 3: a month outside years 0001..9999 is CSM_EDOMAIN at its
 * row, field "period".  The finding's rows (5, INT32_MIN), (5, INT32_MAX),
 * (0, 24288) gave first_month INT32_MAX (INT32_MIN read as "no month") and
 * one movement row with status OK. */
START_TEST(test_build_month_range) {
    const int64_t c[] = {5, 5, 0};
    int32_t p[] = {INT32_MIN, INT32_MAX, 24288};
    const double v[] = {1, 1, 1};
    csm_ledger *l = (csm_ledger *)1;
    csm_error e;
    ck_assert_int_eq(csm_ledger_new(&l, c, p, v, NULL, 3, NULL, &e),
                     CSM_EDOMAIN);
    ck_assert_ptr_null(l);
    ck_assert_uint_eq(e.row, 0);
    ck_assert_str_eq(e.field, "period");
    p[0] = 24288;
    ck_assert_int_eq(csm_ledger_new(&l, c, p, v, NULL, 3, NULL, &e),
                     CSM_EDOMAIN);
    ck_assert_uint_eq(e.row, 1);
    p[1] = CSM_MONTH_MAX + 1; /* January 10000 */
    ck_assert_int_eq(csm_ledger_new(&l, c, p, v, NULL, 3, NULL, &e),
                     CSM_EDOMAIN);
    ck_assert_uint_eq(e.row, 1);
    p[2] = CSM_MONTH_MIN - 1; /* December of year 0 */
    p[1] = 24288;
    ck_assert_int_eq(csm_ledger_new(&l, c, p, v, NULL, 3, NULL, &e),
                     CSM_EDOMAIN);
    ck_assert_uint_eq(e.row, 2);
    /* the ends of the range are months: customer 5 in 0001-01 and
     * 9999-12, customer 0 in 2024-01 */
    p[0] = CSM_MONTH_MIN;
    p[1] = CSM_MONTH_MAX;
    p[2] = 24288;
    ck_assert_int_eq(csm_ledger_new(&l, c, p, v, NULL, 3, NULL, &e), CSM_OK);
    ck_assert_int_eq(csm_ledger_first_month(l), CSM_MONTH_MIN);
    ck_assert_int_eq(csm_ledger_last_month(l), CSM_MONTH_MAX);
    ck_assert_uint_eq(csm_ledger_customer_count(l), 2);
    csm_ledger_free(l);
}
END_TEST

/* Finding 2: one customer, months INT32_MIN+1, INT32_MAX and 24288+i,
 * segment i, 65,536 rows: month (32 bits), segment (16) and row index
 * (16) fill the 64-bit key, and the customer offset was read with a shift
 * by 64 (undefined; on x86 the shift count wraps and every row became a
 * customer of its own).  csm_ledger_new now refuses those months, so the
 * builder is called directly (ledger_impl.h) to check the sort is safe for
 * any key width: one customer (7), 65,536 entries, months in order. */
START_TEST(test_sort_full_key) {
    enum { N = 65536 };
    int64_t *c = malloc(N * sizeof *c);
    int32_t *p = malloc(N * sizeof *p), *s = malloc(N * sizeof *s);
    double *v = malloc(N * sizeof *v);
    ck_assert(c && p && s && v);
    for (int i = 0; i < N; i++) {
        c[i] = 7;
        p[i] = 24288 + i;
        s[i] = i;
        v[i] = 1;
    }
    p[0] = INT32_MIN + 1;
    p[1] = INT32_MAX;
    const csm_ledger_opts o = CSM_LEDGER_OPTS_INIT;
    csm_ledger *l = NULL;
    ck_assert_int_eq(csm__ledger_build(&l, c, p, v, s, NULL, N, &o, NULL),
                     CSM_OK);
    ck_assert_uint_eq(l->n_cust, 1);
    ck_assert_int_eq(l->cust_id[0], 7);
    ck_assert_uint_eq(l->n_ent, N);
    ck_assert_int_eq(l->period[0], INT32_MIN + 1);
    ck_assert_int_eq(l->period[1], 24288 + 2);
    ck_assert_int_eq(l->period[N - 1], INT32_MAX);
    for (size_t j = 1; j + 1 < N; j++)
        ck_assert_int_eq(l->period[j], 24288 + (int32_t)j + 1);
    csm_ledger_free(l);
    free(c);
    free(p);
    free(s);
    free(v);
}
END_TEST

/* The sort's fallback layouts with valid months (sort.h): 65,536 rows of
 * two customers over the whole month range.  Customers 0 and 2^40 (41
 * bits) + months (17 bits) + a 16-bit row index pass 64 bits: the packed
 * layout; customers 0 and INT64_MAX (63 bits) + months: the wide layout
 * (qsort).  Checked against the naive answer: row i is customer i % 2 in
 * month CSM_MONTH_MIN + i (distinct), MRR i + 1, so each customer has
 * 32,768 entries in increasing month and the MRR of each is its row's. */
START_TEST(test_sort_fallback_layouts) {
    enum { N = 65536 };
    const int64_t far[2] = {INT64_C(1) << 40, INT64_MAX};
    int64_t *c = malloc(N * sizeof *c);
    int32_t *p = malloc(N * sizeof *p);
    double *v = malloc(N * sizeof *v);
    ck_assert(c && p && v);
    for (int f = 0; f < 2; f++) {
        /* rows in reverse month order, so the sort has work to do */
        for (int i = 0; i < N; i++) {
            int r = N - 1 - i;
            c[i] = (r % 2) ? far[f] : 0;
            p[i] = CSM_MONTH_MIN +
                   (int32_t)((int64_t)r * (CSM_MONTH_MAX - CSM_MONTH_MIN) /
                             (N - 1));
            v[i] = r + 1;
        }
        csm_ledger *l = NULL;
        ck_assert_int_eq(csm_ledger_new(&l, c, p, v, NULL, N, NULL, NULL),
                         CSM_OK);
        ck_assert_uint_eq(l->n_cust, 2);
        ck_assert_int_eq(l->cust_id[0], 0);
        ck_assert_int_eq(l->cust_id[1], far[f]);
        ck_assert_uint_eq(l->cust_off[1], N / 2);
        ck_assert_uint_eq(l->n_ent, N);
        for (size_t j = 0; j < N; j++) {
            int r = (int)(j < N / 2 ? 2 * j : 2 * (j - N / 2) + 1);
            ck_assert_int_eq(l->period[j],
                             CSM_MONTH_MIN +
                                 (int32_t)((int64_t)r *
                                           (CSM_MONTH_MAX - CSM_MONTH_MIN) /
                                           (N - 1)));
            ck_assert_double_eq(l->mrr[j], r + 1);
        }
        ck_assert_int_eq(csm_ledger_first_month(l), CSM_MONTH_MIN);
        ck_assert_int_eq(csm_ledger_last_month(l), CSM_MONTH_MAX);
        csm_ledger_free(l);
    }
    free(c);
    free(p);
    free(v);
}
END_TEST

/* Finding 5: finite rows whose sum is not representable.  Two rows of
 * 1e308 for one (customer, month) merged to NaN and the customer vanished
 * with status OK.  Now the running sum of the rows in input order must
 * stay within CSM_SUM_MAX (1e300): 1e308 passes it at row 0; 6e299 + 6e299
 * = 1.2e300 at row 1 (also two different customers: every month total
 * stays finite); 5e299 + 5e299 = 1e300 is allowed and merges to 1e300. */
START_TEST(test_build_sum_range) {
    const int64_t same[] = {3, 3}, two[] = {3, 4};
    const int32_t p[] = {24288, 24288};
    double v[] = {1e308, 1e308};
    csm_ledger *l = (csm_ledger *)1;
    csm_error e;
    ck_assert_int_eq(csm_ledger_new(&l, same, p, v, NULL, 2, NULL, &e),
                     CSM_ERANGE);
    ck_assert_ptr_null(l);
    ck_assert_uint_eq(e.row, 0);
    ck_assert_str_eq(e.field, "mrr");
    v[0] = v[1] = 6e299;
    ck_assert_int_eq(csm_ledger_new(&l, same, p, v, NULL, 2, NULL, &e),
                     CSM_ERANGE);
    ck_assert_uint_eq(e.row, 1);
    ck_assert_int_eq(csm_ledger_new(&l, two, p, v, NULL, 2, NULL, &e),
                     CSM_ERANGE);
    ck_assert_uint_eq(e.row, 1);
    v[0] = v[1] = 5e299;
    ck_assert_int_eq(csm_ledger_new(&l, same, p, v, NULL, 2, NULL, &e),
                     CSM_OK);
    ck_assert_uint_eq(csm_ledger_customer_count(l), 1);
    ck_assert_double_eq_tol(csm_ledger_mrr(l, 24288), 1e300, 1e286);
    csm_ledger_free(l);
}
END_TEST

/* Findings 1, 5 and 8 for contracts.  One contract with start = end =
 * INT32_MAX - 100 overflowed the calendar; one spanning the whole int32
 * day range made 141 M ledger entries with OK; one of 1e308 a day has an
 * infinite MRR (1e308 x 365/12) and vanished.  Now: days outside
 * 0001-01-01..9999-12-31 are CSM_EDOMAIN at the row ("start_day" or
 * "end_day"); a contract over the whole valid range is 119,988 months
 * (0001-01..9999-12: 9999 x 12 months), each active at its last day;
 * amounts whose MRR or term value passes CSM_SUM_MAX are CSM_ERANGE at
 * the row, field "amount"; and contracts spanning more than 2^32-1
 * customer months in all are CSM_ERANGE before any allocation: 35,795
 * whole-range contracts are 35,795 x 119,988 = 4,294,970,460 > 2^32-1
 * months (35,794 are 4,294,850,472, fewer), so the row named is 35,794. */
START_TEST(test_contracts_day_range) {
    int64_t cid[2] = {1, 2};
    int32_t sd[2] = {INT32_MAX - 100, 19723}, ed[2] = {INT32_MAX - 100, 19723};
    double amt[2] = {100, 100};
    int32_t cnt[2] = {1, 1};
    csm_contracts k = {0};
    k.customer_id = cid;
    k.start_day = sd;
    k.end_day = ed;
    k.amount = amt;
    k.interval_count = cnt;
    k.n = 2;
    csm_ledger *l = (csm_ledger *)1;
    csm_error e;
    ck_assert_int_eq(csm_ledger_from_contracts(&l, &k, NULL, NULL, &e),
                     CSM_EDOMAIN);
    ck_assert_ptr_null(l);
    ck_assert_uint_eq(e.row, 0);
    ck_assert_str_eq(e.field, "start_day");
    sd[0] = INT32_MIN;
    ed[0] = INT32_MAX;
    ck_assert_int_eq(csm_ledger_from_contracts(&l, &k, NULL, NULL, &e),
                     CSM_EDOMAIN);
    ck_assert_str_eq(e.field, "start_day");
    sd[0] = CSM_DAY_MIN;
    ck_assert_int_eq(csm_ledger_from_contracts(&l, &k, NULL, NULL, &e),
                     CSM_EDOMAIN);
    ck_assert_uint_eq(e.row, 0);
    ck_assert_str_eq(e.field, "end_day");
    ed[1] = CSM_DAY_MAX + 1;
    ed[0] = CSM_DAY_MAX;
    ck_assert_int_eq(csm_ledger_from_contracts(&l, &k, NULL, NULL, &e),
                     CSM_EDOMAIN);
    ck_assert_uint_eq(e.row, 1);
    ck_assert_str_eq(e.field, "end_day");
    /* the whole valid range: customer 1 in every month (contract 2 on
     * 2024-01-01 only, not active at the month's end: no entry) */
    ed[1] = 19723;
    ck_assert_int_eq(csm_ledger_from_contracts(&l, &k, NULL, NULL, &e),
                     CSM_OK);
    ck_assert_uint_eq(csm_ledger_entry_count(l), 119988);
    ck_assert_int_eq(csm_ledger_first_month(l), CSM_MONTH_MIN);
    ck_assert_int_eq(csm_ledger_last_month(l), CSM_MONTH_MAX);
    ck_assert_double_eq_tol(csm_ledger_mrr(l, CSM_MONTH_MAX), 100, TOL);
    csm_ledger_free(l);
    /* 1e308 a day */
    uint8_t unit[2] = {CSM_UNIT_DAY, CSM_UNIT_MONTH};
    k.interval_unit = unit;
    sd[0] = ed[0] = 19723;
    amt[0] = 1e308;
    ck_assert_int_eq(csm_ledger_from_contracts(&l, &k, NULL, NULL, &e),
                     CSM_ERANGE);
    ck_assert_uint_eq(e.row, 0);
    ck_assert_str_eq(e.field, "amount");
    /* 6e299 a month for 2 months (value 2 x 6e299 = 1.2e300): over */
    unit[0] = CSM_UNIT_MONTH;
    amt[0] = 6e299;
    ed[0] = 19723 + 59; /* 2024-02-29: 60 days */
    ck_assert_int_eq(csm_ledger_from_contracts(&l, &k, NULL, NULL, &e),
                     CSM_ERANGE);
    ck_assert_uint_eq(e.row, 0);
    /* contract 1 of 1e300 on one day: its weight alone is 1e300, and
     * contract 0's 1e290 x 60 x 12/365 pushes the sum past CSM_SUM_MAX at
     * row 1 */
    amt[0] = 1e290;
    amt[1] = 1e300;
    ck_assert_int_eq(csm_ledger_from_contracts(&l, &k, NULL, NULL, &e),
                     CSM_ERANGE);
    ck_assert_uint_eq(e.row, 1);
    ck_assert_str_eq(e.field, "amount");
    k.interval_unit = NULL;
    /* too many customer months in all */
    enum { NK = 35800 };
    int64_t *kc = malloc(NK * sizeof *kc);
    int32_t *ks = malloc(NK * sizeof *ks), *ke = malloc(NK * sizeof *ke);
    int32_t *kn = malloc(NK * sizeof *kn);
    double *ka = malloc(NK * sizeof *ka);
    ck_assert(kc && ks && ke && kn && ka);
    for (int i = 0; i < NK; i++) {
        kc[i] = i;
        ks[i] = CSM_DAY_MIN;
        ke[i] = CSM_DAY_MAX;
        kn[i] = 1;
        ka[i] = 1;
    }
    csm_contracts big = {0};
    big.customer_id = kc;
    big.start_day = ks;
    big.end_day = ke;
    big.amount = ka;
    big.interval_count = kn;
    big.n = NK;
    ck_assert_int_eq(csm_ledger_from_contracts(&l, &big, NULL, NULL, &e),
                     CSM_ERANGE);
    ck_assert_ptr_null(l);
    ck_assert_uint_eq(e.row, 35794);
    ck_assert_str_eq(e.field, "end_day");
    free(kc);
    free(ks);
    free(ke);
    free(kn);
    free(ka);
}
END_TEST

/* Finding 4: movement-sum retention subtracted prefix sums of a
 * customer's contractions, and beside a history of 1e17 the last
 * contraction (11 -> 10) was lost: GRR 1.0 > NRR 0.909.  MRR 1e17, 11, 10
 * in M0..M2, window 1: t1 = M2 (base M1) has base 11, contraction 1, end
 * 10, so GRR = NRR = 10/11; t1 = M1 (base M0): GRR = NRR = 11/1e17. */
START_TEST(test_retention_large_history) {
    const int64_t c[] = {1, 1, 1};
    const int32_t p[] = {M(0), M(1), M(2)};
    const double v[] = {1e17, 11, 10};
    csm_ledger *l;
    ck_assert_int_eq(csm_ledger_new(&l, c, p, v, NULL, 3, NULL, NULL), CSM_OK);
    csm_retention_opts o = CSM_RETENTION_OPTS_INIT;
    o.window = 1;
    o.nrr_mode = CSM_NRR_MOVEMENT_SUM;
    csm_retention *r;
    ck_assert_int_eq(csm_retention_compute(&r, l, &o, NULL), CSM_OK);
    ck_assert_uint_eq(r->n_rows, 2);
    ck_assert_int_eq(r->end_month[1], M(2));
    ck_assert_double_eq_tol(r->grr[1], 10.0 / 11.0, 1e-15);
    ck_assert_double_eq_tol(r->nrr[1], 10.0 / 11.0, 1e-15);
    ck_assert_double_eq_tol(r->retained_mrr[1], 10, 1e-12);
    ck_assert_double_eq_tol(r->grr[0], 11 / 1e17, 1e-30);
    ck_assert_double_eq_tol(r->nrr[0], 11 / 1e17, 1e-30);
    csm_retention_free(r);
    csm_ledger_free(l);
}
END_TEST

/* Found by fuzz-ledger: a history of 1e200 then 1e100 (both churned, so
 * the churn prefix holds 1e200 with 1e100 in its compensation part) left
 * no room for a later churn of 81, and the reactivation prefix none for a
 * later reactivation of 81: movement-sum GRR came out 1 > NRR 0.  A
 * window's terms now come from its own entries when the prefixes cannot
 * hold them.  Customer 1: M1 1e200, M3 1e100, M5 81 (then gone): window
 * 1, t1 = M6, base 81: churn 81 in M6, so GRR = NRR = 0.  Customer 2:
 * M0 1, M2 1e200, M4 1e100 (reactivations), M6 5, M8 81: window 2,
 * t1 = M8, base 5 in M6, reactivation 81 in M8: snapshot
 * GRR = min(81, 5) / 5 = 1, NRR = 81 / 5,
 * reactivation_mrr 81; movement-sum GRR = (5 - churn 5) / 5 = 0,
 * NRR = (81 - reactivation 81) / 5 = 0. */
START_TEST(test_retention_huge_history) {
    const int64_t c[] = {1, 1, 1, 2, 2, 2, 2, 2};
    const int32_t p[] = {M(1), M(3), M(5), M(0), M(2), M(4), M(6), M(8)};
    const double v[] = {1e200, 1e100, 81, 1, 1e200, 1e100, 5, 81};
    csm_ledger *l;
    ck_assert_int_eq(csm_ledger_new(&l, c, p, v, NULL, 8, NULL, NULL), CSM_OK);
    csm_retention_opts o = CSM_RETENTION_OPTS_INIT;
    csm_retention *r;
    o.window = 1;
    o.nrr_mode = CSM_NRR_MOVEMENT_SUM;
    o.first_month = o.last_month = M(6);
    ck_assert_int_eq(csm_retention_compute(&r, l, &o, NULL), CSM_OK);
    ck_assert_uint_eq(r->n_rows, 1);
    ck_assert_int_eq(r->base_customers[0], 1);
    ck_assert_double_eq(r->base_mrr[0], 81);
    ck_assert_double_eq(r->retained_mrr[0], 0);
    ck_assert_double_eq(r->grr[0], 0);
    ck_assert_double_eq(r->nrr[0], 0);
    csm_retention_free(r);
    o.window = 2;
    o.first_month = o.last_month = M(8);
    for (int mode = 0; mode < 2; mode++) {
        o.nrr_mode = mode ? CSM_NRR_MOVEMENT_SUM : CSM_NRR_SNAPSHOT;
        ck_assert_int_eq(csm_retention_compute(&r, l, &o, NULL), CSM_OK);
        ck_assert_uint_eq(r->n_rows, 1);
        ck_assert_int_eq(r->base_customers[0], 1);
        ck_assert_double_eq(r->base_mrr[0], 5);
        ck_assert_double_eq(r->reactivation_mrr[0], 81);
        ck_assert_double_eq(r->grr[0], mode ? 0 : 1);
        ck_assert_double_eq(r->nrr[0], mode ? 0 : 81.0 / 5);
        csm_retention_free(r);
    }
    csm_ledger_free(l);
}
END_TEST

/* ---- drill-down: movement events and the customers of a window ---------- */
/* The fixture's events with the default options, by hand from the table at
 * the top (segments: A, B 1; C, D, F 2; E 1 until M2):
 *   M0 new A 100, B 200, D 300, E 100 (40 + 60)   M1 new C 50, churn D 300
 *   M2 expansion A 50 (100 -> 150), churn B 200   M3 churn C 50, new F 90
 *   M4 contraction A 30 (150 -> 120), reactivation C 80, D 300
 * E's switch to segment 2 in M3 keeps its MRR: no event without
 * by_segment.  Sums per month: M0 new 700; M1 new 50, churn 300; M2
 * expansion 50, churn 200; M3 churn 50, new 90; M4 contraction 30,
 * reactivation 380: test_movements_fixture's figures. */
static const struct {
    int t;
    int64_t cust;
    int kind;
    int32_t seg;
    double amount, before, after;
} fx_events[] = {
    {0, 1, CSM_MOVEMENTS_NEW, 1, 100, 0, 100},
    {0, 2, CSM_MOVEMENTS_NEW, 1, 200, 0, 200},
    {0, 4, CSM_MOVEMENTS_NEW, 2, 300, 0, 300},
    {0, 5, CSM_MOVEMENTS_NEW, 1, 100, 0, 100},
    {1, 3, CSM_MOVEMENTS_NEW, 2, 50, 0, 50},
    {1, 4, CSM_MOVEMENTS_CHURN, 2, 300, 300, 0},
    {2, 1, CSM_MOVEMENTS_EXPANSION, 1, 50, 100, 150},
    {2, 2, CSM_MOVEMENTS_CHURN, 1, 200, 200, 0},
    {3, 3, CSM_MOVEMENTS_CHURN, 2, 50, 50, 0},
    {3, 6, CSM_MOVEMENTS_NEW, 2, 90, 0, 90},
    {4, 1, CSM_MOVEMENTS_CONTRACTION, 1, 30, 150, 120},
    {4, 3, CSM_MOVEMENTS_REACTIVATION, 2, 80, 0, 80},
    {4, 4, CSM_MOVEMENTS_REACTIVATION, 2, 300, 0, 300},
};

START_TEST(test_movement_events_fixture) {
    csm_ledger *l = fixture();
    csm_movements_events *e = NULL;
    ck_assert_int_eq(csm_movements_events_compute(&e, l, NULL, NULL), CSM_OK);
    const size_t n = sizeof fx_events / sizeof fx_events[0];
    ck_assert_uint_eq(e->n_rows, n);
    for (size_t i = 0; i < n; i++) {
        ck_assert_int_eq(e->month[i], M(fx_events[i].t));
        ck_assert_int_eq(e->customer_id[i], fx_events[i].cust);
        ck_assert_int_eq(e->kind_code[i], fx_events[i].kind);
        ck_assert_str_eq(e->kind[i], csm_movements_kind_name(fx_events[i].kind));
        ck_assert_int_eq(e->segment[i], fx_events[i].seg);
        ck_assert_double_eq_tol(e->amount[i], fx_events[i].amount, TOL);
        ck_assert_double_eq_tol(e->mrr_before[i], fx_events[i].before, TOL);
        ck_assert_double_eq_tol(e->mrr_after[i], fx_events[i].after, TOL);
    }
    const csm_table *t = csm_result_table(e->result, 0);
    ck_assert_str_eq(t->name, "movement_events");
    ck_assert_str_eq(csm_result_kind(e->result), "movement_events");
    ck_assert_str_eq(e->kind[5], "churn");
    ck_assert_str_eq(e->kind[11], "reactivation");
    csm_movements_events_free(e);

    /* by segment, M3 alone: C churns 50 in segment 2; E moves from
     * segment 1 to 2 with 100 (segment_in 100 in 2, segment_out 100 in
     * 1: test_movements_segments' M3 rows); F is new in 2 with 90 */
    csm_movements_opts o = CSM_MOVEMENTS_OPTS_INIT;
    o.by_segment = 1;
    o.first_month = M(3);
    o.last_month = M(3);
    ck_assert_int_eq(csm_movements_events_compute(&e, l, &o, NULL), CSM_OK);
    ck_assert_uint_eq(e->n_rows, 4);
    ck_assert_int_eq(e->customer_id[0], 3);
    ck_assert_str_eq(e->kind[0], "churn");
    ck_assert_int_eq(e->customer_id[1], 5);
    ck_assert_str_eq(e->kind[1], "segment_in");
    ck_assert_int_eq(e->segment[1], 2);
    ck_assert_double_eq_tol(e->amount[1], 100, TOL);
    ck_assert_int_eq(e->customer_id[2], 5);
    ck_assert_str_eq(e->kind[2], "segment_out");
    ck_assert_int_eq(e->kind_code[2], CSM_MOVEMENTS_SEGMENT_OUT);
    ck_assert_int_eq(e->segment[2], 1);
    ck_assert_double_eq_tol(e->amount[2], 100, TOL);
    ck_assert_double_eq_tol(e->mrr_before[2], 100, TOL);
    ck_assert_double_eq_tol(e->mrr_after[2], 100, TOL);
    ck_assert_int_eq(e->customer_id[3], 6);
    ck_assert_str_eq(e->kind[3], "new");
    csm_movements_events_free(e);

    /* reactivation window 2: D (away 3 months) comes back in M4 as new,
     * C (away 1) still reactivates: test_movements_window */
    o = (csm_movements_opts)CSM_MOVEMENTS_OPTS_INIT;
    o.reactivation_window = 2;
    o.first_month = M(4);
    o.last_month = M(4);
    ck_assert_int_eq(csm_movements_events_compute(&e, l, &o, NULL), CSM_OK);
    ck_assert_uint_eq(e->n_rows, 3);
    ck_assert_str_eq(e->kind[0], "contraction"); /* A */
    ck_assert_str_eq(e->kind[1], "reactivation"); /* C */
    ck_assert_int_eq(e->customer_id[2], 4);
    ck_assert_str_eq(e->kind[2], "new");
    ck_assert_double_eq_tol(e->amount[2], 300, TOL);
    csm_movements_events_free(e);

    /* a range past the data: M6 is the churn of the five customers of M5
     * (A 120, C 80, D 300, E 100, F 90: 690, test_movements_errors) */
    o = (csm_movements_opts)CSM_MOVEMENTS_OPTS_INIT;
    o.first_month = M(5);
    o.last_month = M(6);
    ck_assert_int_eq(csm_movements_events_compute(&e, l, &o, NULL), CSM_OK);
    ck_assert_uint_eq(e->n_rows, 5);
    for (size_t i = 0; i < 5; i++) {
        ck_assert_int_eq(e->month[i], M(6));
        ck_assert_str_eq(e->kind[i], "churn");
        ck_assert_double_eq_tol(e->mrr_after[i], 0, TOL);
    }
    ck_assert_int_eq(e->customer_id[2], 4);
    ck_assert_double_eq_tol(e->amount[2], 300, TOL);
    csm_movements_events_free(e);
    csm_ledger_free(l);
}
END_TEST

START_TEST(test_movement_events_tolerance) {
    /* test_movements_tolerance's customer: 100 -> 100.4 -> 99.9 -> 120
     * with tolerance 0.5: adjustments +0.4 and -0.5 (signed), then an
     * expansion of 20.1; M0 is new business of 100 */
    const int64_t c[] = {9, 9, 9, 9};
    const int32_t p[] = {M(0), M(1), M(2), M(3)};
    const double v[] = {100, 100.4, 99.9, 120};
    csm_ledger *l;
    ck_assert_int_eq(csm_ledger_new(&l, c, p, v, NULL, 4, NULL, NULL), CSM_OK);
    csm_movements_opts o = CSM_MOVEMENTS_OPTS_INIT;
    o.tolerance = 0.5;
    csm_movements_events *e = NULL;
    ck_assert_int_eq(csm_movements_events_compute(&e, l, &o, NULL), CSM_OK);
    ck_assert_uint_eq(e->n_rows, 4);
    ck_assert_str_eq(e->kind[0], "new");
    ck_assert_str_eq(e->kind[1], "adjustment");
    ck_assert_double_eq_tol(e->amount[1], 0.4, TOL);
    ck_assert_str_eq(e->kind[2], "adjustment");
    ck_assert_double_eq_tol(e->amount[2], -0.5, TOL);
    ck_assert_double_eq_tol(e->mrr_before[2], 100.4, TOL);
    ck_assert_double_eq_tol(e->mrr_after[2], 99.9, TOL);
    ck_assert_int_eq(e->kind_code[3], CSM_MOVEMENTS_EXPANSION);
    ck_assert_double_eq_tol(e->amount[3], 20.1, TOL);
    csm_movements_events_free(e);
    csm_ledger_free(l);
}
END_TEST

START_TEST(test_movement_events_edge) {
    csm_ledger *l = fixture();
    csm_movements_events *e = (csm_movements_events *)&e;
    csm_error err;
    ck_assert_int_eq(csm_movements_events_compute(NULL, l, NULL, &err),
                     CSM_EINVAL);
    ck_assert_str_eq(err.field, "out");
    ck_assert_int_eq(csm_movements_events_compute(&e, NULL, NULL, &err),
                     CSM_EINVAL);
    ck_assert_ptr_null(e);
    /* the movements' option checks */
    csm_movements_opts o = CSM_MOVEMENTS_OPTS_INIT;
    o.tolerance = -1;
    ck_assert_int_eq(csm_movements_events_compute(&e, l, &o, &err),
                     CSM_EINVAL);
    ck_assert_str_eq(err.field, "opts.tolerance");
    o = (csm_movements_opts)CSM_MOVEMENTS_OPTS_INIT;
    o.first_month = M(3);
    o.last_month = M(1);
    ck_assert_int_eq(csm_movements_events_compute(&e, l, &o, &err),
                     CSM_EINVAL);
    ck_assert_str_eq(err.field, "opts.first_month");
    o = (csm_movements_opts)CSM_MOVEMENTS_OPTS_INIT;
    o.reactivation_window = -2;
    ck_assert_int_eq(csm_movements_events_compute(&e, l, &o, &err),
                     CSM_EINVAL);
    ck_assert_str_eq(err.field, "opts.reactivation_window");
    ck_assert_ptr_null(e);
    /* a month without movement (M5) has no event */
    o = (csm_movements_opts)CSM_MOVEMENTS_OPTS_INIT;
    o.first_month = M(5);
    o.last_month = M(5);
    ck_assert_int_eq(csm_movements_events_compute(&e, l, &o, NULL), CSM_OK);
    ck_assert_uint_eq(e->n_rows, 0);
    ck_assert_uint_eq(csm_result_table(e->result, 0)->n_rows, 0);
    csm_movements_events_free(e);
    csm_ledger_free(l);
    /* an empty ledger: 0 rows, with or without a range */
    ck_assert_int_eq(csm_ledger_new(&l, NULL, NULL, NULL, NULL, 0, NULL, NULL),
                     CSM_OK);
    ck_assert_int_eq(csm_movements_events_compute(&e, l, NULL, NULL), CSM_OK);
    ck_assert_uint_eq(e->n_rows, 0);
    csm_movements_events_free(e);
    ck_assert_int_eq(csm_movements_events_compute(&e, l, &o, NULL), CSM_OK);
    ck_assert_uint_eq(e->n_rows, 0);
    csm_movements_events_free(e);
    csm_ledger_free(l);
    csm_movements_events_free(NULL);
    ck_assert_str_eq(csm_movements_kind_name(0), "unknown");
    ck_assert_str_eq(csm_movements_kind_name(9), "unknown");
    ck_assert_str_eq(csm_movements_kind_name(CSM_MOVEMENTS_ADJUSTMENT),
                     "adjustment");
}
END_TEST

/* Neumaier's compensated sum, as docs/CONVENTIONS.md defines the library's
 * sums (a second writing of it, for the exact comparisons below). */
typedef struct {
    double s, c;
} nsum;
static void nsum_add(nsum *k, double x) {
    double t = k->s + x;
    k->c += fabs(k->s) >= fabs(x) ? (k->s - t) + x : (x - t) + k->s;
    k->s = t;
}
static double nsum_value(const nsum *k) { return k->s + k->c; }

/* The events of a random ledger sum exactly (==, bit for bit) to the
 * movements table of the same options, line by line, and their counts are
 * its customer counts: by segment or not, with a reactivation window and a
 * tolerance or not. */
START_TEST(test_movement_events_sum) {
    rows_t rows = random_rows(777 + (uint64_t)_i);
    csm_ledger *l;
    ck_assert_int_eq(csm_ledger_new(&l, rows.cust, rows.per, rows.mrr,
                                    rows.seg, rows.n, NULL, NULL),
                     CSM_OK);
    csm_movements_opts o = CSM_MOVEMENTS_OPTS_INIT;
    o.by_segment = _i % 2;
    o.reactivation_window = (_i / 2) % 2 ? 3 : 0;
    o.tolerance = _i >= 4 ? 30.0 : 0.0;
    o.first_month = M(1);
    o.last_month = M(NM); /* a month past the data: all churn */
    csm_movements *m;
    csm_movements_events *e;
    ck_assert_int_eq(csm_movements_compute(&m, l, &o, NULL), CSM_OK);
    ck_assert_int_eq(csm_movements_events_compute(&e, l, &o, NULL), CSM_OK);
    enum { K = CSM_MOVEMENTS_SEGMENT_OUT + 1 };
    nsum *sum = calloc(m->n_rows * K, sizeof *sum);
    int64_t *cnt = calloc(m->n_rows * K, sizeof *cnt);
    size_t kinds_seen[K] = {0};
    for (size_t i = 0; i < e->n_rows; i++) {
        if (i > 0) /* ordered by month, then customer, then kind */
            ck_assert(e->month[i - 1] < e->month[i] ||
                      (e->month[i - 1] == e->month[i] &&
                       (e->customer_id[i - 1] < e->customer_id[i] ||
                        (e->customer_id[i - 1] == e->customer_id[i] &&
                         e->kind_code[i - 1] < e->kind_code[i]))));
        size_t t = (size_t)(e->month[i] - M(1)), r = t * m->n_segments;
        if (o.by_segment) {
            while (m->segment[r] != e->segment[i])
                r++;
            ck_assert_uint_lt(r, (t + 1) * m->n_segments);
        }
        const int k = e->kind_code[i];
        ck_assert(k >= CSM_MOVEMENTS_NEW && k < K);
        nsum_add(&sum[r * K + k], e->amount[i]);
        cnt[r * K + k]++;
        kinds_seen[k]++;
        /* before and after are the customer's MRR; a change is their
         * difference */
        if (k == CSM_MOVEMENTS_EXPANSION || k == CSM_MOVEMENTS_ADJUSTMENT)
            ck_assert(e->amount[i] == e->mrr_after[i] - e->mrr_before[i]);
    }
    for (size_t r = 0; r < m->n_rows; r++) {
        const nsum *x = &sum[r * K];
        const int64_t *n = &cnt[r * K];
        ck_assert(nsum_value(&x[CSM_MOVEMENTS_NEW]) == m->new_mrr[r]);
        ck_assert(nsum_value(&x[CSM_MOVEMENTS_REACTIVATION]) ==
                  m->reactivation_mrr[r]);
        ck_assert(nsum_value(&x[CSM_MOVEMENTS_EXPANSION]) ==
                  m->expansion_mrr[r]);
        ck_assert(nsum_value(&x[CSM_MOVEMENTS_CONTRACTION]) ==
                  m->contraction_mrr[r]);
        ck_assert(nsum_value(&x[CSM_MOVEMENTS_CHURN]) == m->churn_mrr[r]);
        ck_assert(nsum_value(&x[CSM_MOVEMENTS_ADJUSTMENT]) ==
                  m->adjustment_mrr[r]);
        ck_assert(nsum_value(&x[CSM_MOVEMENTS_SEGMENT_IN]) ==
                  m->segment_in_mrr[r]);
        ck_assert(nsum_value(&x[CSM_MOVEMENTS_SEGMENT_OUT]) ==
                  m->segment_out_mrr[r]);
        ck_assert_int_eq(n[CSM_MOVEMENTS_NEW], m->new_customers[r]);
        ck_assert_int_eq(n[CSM_MOVEMENTS_REACTIVATION],
                         m->reactivated_customers[r]);
        ck_assert_int_eq(n[CSM_MOVEMENTS_EXPANSION], m->expanded_customers[r]);
        ck_assert_int_eq(n[CSM_MOVEMENTS_CONTRACTION],
                         m->contracted_customers[r]);
        ck_assert_int_eq(n[CSM_MOVEMENTS_CHURN], m->churned_customers[r]);
        ck_assert_int_eq(n[CSM_MOVEMENTS_SEGMENT_IN],
                         m->segment_in_customers[r]);
        ck_assert_int_eq(n[CSM_MOVEMENTS_SEGMENT_OUT],
                         m->segment_out_customers[r]);
    }
    /* the random ledger makes every kind the options allow (so that none
     * of the comparisons above is 0 == 0 alone) */
    ck_assert_uint_gt(kinds_seen[CSM_MOVEMENTS_NEW], 0);
    ck_assert_uint_gt(kinds_seen[CSM_MOVEMENTS_REACTIVATION], 0);
    ck_assert_uint_gt(kinds_seen[CSM_MOVEMENTS_EXPANSION], 0);
    ck_assert_uint_gt(kinds_seen[CSM_MOVEMENTS_CONTRACTION], 0);
    ck_assert_uint_gt(kinds_seen[CSM_MOVEMENTS_CHURN], 0);
    if (o.tolerance > 0)
        ck_assert_uint_gt(kinds_seen[CSM_MOVEMENTS_ADJUSTMENT], 0);
    if (o.by_segment)
        ck_assert_uint_gt(kinds_seen[CSM_MOVEMENTS_SEGMENT_OUT], 0);
    else
        ck_assert_uint_eq(kinds_seen[CSM_MOVEMENTS_SEGMENT_IN], 0);
    free(sum);
    free(cnt);
    csm_movements_events_free(e);
    csm_movements_free(m);
    csm_ledger_free(l);
    free_rows(&rows);
}
END_TEST

/* The customers of the fixture's windows of 3 months, by hand (m_t0 ->
 * m_t1; segments at t0):
 *   t1 M3 (t0 M0): A 100 -> 150 expanded, B 200 churned, D 300 churned
 *                  (back only in M4), E 100 -> 100 flat
 *   t1 M4 (t0 M1): A 100 -> 120 expanded, B 200 churned, C 50 -> 80
 *                  expanded (80 a reactivation in M4), E flat
 *   t1 M5 (t0 M2): A 150 -> 120 contracted, C 50 -> 80 expanded (its
 *                  reactivation in M4 is in (M2, M5]), E flat
 * Snapshot terms: retained = min(m_t1, m_t0), net = m_t1; so t1 M4 sums
 * to base 450, retained 250, net 300 (test_retention_fixture: GRR
 * 250/450, NRR 300/450). */
static const struct {
    int t1;
    int64_t cust;
    int32_t seg;
    const char *outcome;
    double base, end, retained, net, react;
} fx_window[] = {
    {3, 1, 1, "expanded", 100, 150, 100, 150, 0},
    {3, 2, 1, "churned", 200, 0, 0, 0, 0},
    {3, 4, 2, "churned", 300, 0, 0, 0, 0},
    {3, 5, 1, "flat", 100, 100, 100, 100, 0},
    {4, 1, 1, "expanded", 100, 120, 100, 120, 0},
    {4, 2, 1, "churned", 200, 0, 0, 0, 0},
    {4, 3, 2, "expanded", 50, 80, 50, 80, 80},
    {4, 5, 1, "flat", 100, 100, 100, 100, 0},
    {5, 1, 1, "contracted", 150, 120, 120, 120, 0},
    {5, 3, 2, "expanded", 50, 80, 50, 80, 80},
    {5, 5, 1, "flat", 100, 100, 100, 100, 0},
};

START_TEST(test_retention_customers) {
    csm_ledger *l = fixture();
    csm_retention_opts o = CSM_RETENTION_OPTS_INIT;
    o.window = 3;
    csm_retention_customers *rc = NULL;
    ck_assert_int_eq(csm_retention_customers_compute(&rc, l, &o, NULL),
                     CSM_OK);
    const size_t n = sizeof fx_window / sizeof fx_window[0];
    ck_assert_uint_eq(rc->n_rows, n);
    for (size_t i = 0; i < n; i++) {
        ck_assert_int_eq(rc->end_month[i], M(fx_window[i].t1));
        ck_assert_int_eq(rc->start_month[i], M(fx_window[i].t1 - 3));
        ck_assert_int_eq(rc->customer_id[i], fx_window[i].cust);
        ck_assert_int_eq(rc->segment[i], fx_window[i].seg);
        ck_assert_str_eq(rc->outcome[i], fx_window[i].outcome);
        ck_assert_int_eq(rc->retained[i],
                         strcmp(fx_window[i].outcome, "churned") != 0);
        ck_assert_double_eq_tol(rc->base_mrr[i], fx_window[i].base, TOL);
        ck_assert_double_eq_tol(rc->end_mrr[i], fx_window[i].end, TOL);
        ck_assert_double_eq_tol(rc->retained_mrr[i], fx_window[i].retained,
                                TOL);
        ck_assert_double_eq_tol(rc->net_retained_mrr[i], fx_window[i].net,
                                TOL);
        ck_assert_double_eq_tol(rc->reactivation_mrr[i], fx_window[i].react,
                                TOL);
    }
    ck_assert_str_eq(csm_result_table(rc->result, 0)->name,
                     "retention_customers");
    csm_retention_customers_free(rc);

    /* movement sum, t1 M4 (test_retention_fixture): A 100 - contraction
     * 30 = 70 and net 120; B 0, 0; C 50 - churn 50 = 0 and net 80 - its
     * reactivation 80 = 0; E 100, 100 */
    o.nrr_mode = CSM_NRR_MOVEMENT_SUM;
    o.first_month = M(4);
    o.last_month = M(4);
    ck_assert_int_eq(csm_retention_customers_compute(&rc, l, &o, NULL),
                     CSM_OK);
    ck_assert_uint_eq(rc->n_rows, 4);
    const double grr[] = {70, 0, 0, 100}, net[] = {120, 0, 0, 100};
    for (size_t i = 0; i < 4; i++) {
        ck_assert_double_eq_tol(rc->retained_mrr[i], grr[i], TOL);
        ck_assert_double_eq_tol(rc->net_retained_mrr[i], net[i], TOL);
    }
    csm_retention_customers_free(rc);

    /* errors as csm_retention_compute; a window longer than the data and
     * no range: 0 rows */
    csm_error err;
    o = (csm_retention_opts)CSM_RETENTION_OPTS_INIT;
    o.window = 0;
    ck_assert_int_eq(csm_retention_customers_compute(&rc, l, &o, &err),
                     CSM_EINVAL);
    ck_assert_str_eq(err.field, "opts.window");
    ck_assert_ptr_null(rc);
    o = (csm_retention_opts)CSM_RETENTION_OPTS_INIT;
    o.nrr_mode = 5;
    ck_assert_int_eq(csm_retention_customers_compute(&rc, l, &o, &err),
                     CSM_EINVAL);
    ck_assert_str_eq(err.field, "opts.nrr_mode");
    ck_assert_int_eq(csm_retention_customers_compute(NULL, l, NULL, &err),
                     CSM_EINVAL);
    ck_assert_int_eq(csm_retention_customers_compute(&rc, l, NULL, &err),
                     CSM_OK);
    ck_assert_uint_eq(rc->n_rows, 0);
    csm_retention_customers_free(rc);
    csm_retention_customers_free(NULL);
    csm_ledger_free(l);
}
END_TEST

/* The customers of the windows of a random ledger sum exactly (==) to the
 * retention table of the same options, row by row: counts, base, GRR and
 * NRR numerators (nrr x base_mrr is compared through the ratio), end and
 * reactivation MRR; both NRR modes, by segment or not. */
START_TEST(test_retention_customers_sum) {
    rows_t rows = random_rows(4242 + (uint64_t)_i);
    csm_ledger *l;
    ck_assert_int_eq(csm_ledger_new(&l, rows.cust, rows.per, rows.mrr,
                                    rows.seg, rows.n, NULL, NULL),
                     CSM_OK);
    csm_retention_opts o = CSM_RETENTION_OPTS_INIT;
    o.window = 1 + _i % 5;
    o.nrr_mode = _i % 2 ? CSM_NRR_MOVEMENT_SUM : CSM_NRR_SNAPSHOT;
    o.by_segment = (_i / 2) % 2;
    csm_retention *r;
    csm_retention_customers *rc;
    ck_assert_int_eq(csm_retention_compute(&r, l, &o, NULL), CSM_OK);
    ck_assert_int_eq(csm_retention_customers_compute(&rc, l, &o, NULL),
                     CSM_OK);
    ck_assert_uint_gt(r->n_rows, 0);
    nsum *sum = calloc(r->n_rows * 5, sizeof *sum);
    int64_t *cnt = calloc(r->n_rows * 2, sizeof *cnt);
    size_t nseg = o.by_segment ? 3 : 1; /* random_rows: segments 0..2 */
    for (size_t i = 0; i < rc->n_rows; i++) {
        if (i > 0)
            ck_assert(rc->end_month[i - 1] < rc->end_month[i] ||
                      (rc->end_month[i - 1] == rc->end_month[i] &&
                       rc->customer_id[i - 1] < rc->customer_id[i]));
        size_t row = (size_t)(rc->end_month[i] - r->end_month[0]) * nseg;
        if (o.by_segment)
            row += (size_t)rc->segment[i];
        ck_assert_int_eq(r->end_month[row], rc->end_month[i]);
        nsum_add(&sum[5 * row], rc->base_mrr[i]);
        nsum_add(&sum[5 * row + 1], rc->retained_mrr[i]);
        nsum_add(&sum[5 * row + 2], rc->net_retained_mrr[i]);
        nsum_add(&sum[5 * row + 3], rc->end_mrr[i]);
        nsum_add(&sum[5 * row + 4], rc->reactivation_mrr[i]);
        cnt[2 * row]++;
        cnt[2 * row + 1] += rc->retained[i];
    }
    for (size_t row = 0; row < r->n_rows; row++) {
        const nsum *x = &sum[5 * row];
        ck_assert_int_eq(cnt[2 * row], r->base_customers[row]);
        ck_assert_int_eq(cnt[2 * row + 1], r->retained_customers[row]);
        ck_assert(nsum_value(&x[0]) == r->base_mrr[row]);
        ck_assert(nsum_value(&x[1]) == r->retained_mrr[row]);
        ck_assert(nsum_value(&x[3]) == r->end_mrr[row]);
        ck_assert(nsum_value(&x[4]) == r->reactivation_mrr[row]);
        if (r->base_mrr[row] > 0) {
            ck_assert(nsum_value(&x[1]) / nsum_value(&x[0]) == r->grr[row]);
            ck_assert(nsum_value(&x[2]) / nsum_value(&x[0]) == r->nrr[row]);
        }
    }
    free(sum);
    free(cnt);
    csm_retention_customers_free(rc);
    csm_retention_free(r);
    csm_ledger_free(l);
    free_rows(&rows);
}
END_TEST

/* Fail each allocation in turn: CSM_ENOMEM and nothing allocated, until
 * the budget suffices; then one block (the result). */
START_TEST(test_out_of_memory_drill_down) {
    fail_ctx f = {-1, 0};
    csm_allocator al = {fail_alloc, fail_free, &f, NULL};
    csm_ledger *l = fixture_with(&al);
    const long base = f.live;
    csm_movements_opts mo = CSM_MOVEMENTS_OPTS_INIT;
    mo.by_segment = 1;
    csm_retention_opts ro = CSM_RETENTION_OPTS_INIT;
    ro.window = 3;
    for (int fam = 0; fam < 2; fam++) {
        int done = 0;
        long b;
        for (b = 0; b < 50 && !done; b++) {
            csm_movements_events *e = NULL;
            csm_retention_customers *rc = NULL;
            csm_error err;
            f.budget = b;
            csm_status st =
                fam == 0 ? csm_movements_events_compute(&e, l, &mo, &err)
                         : csm_retention_customers_compute(&rc, l, &ro, &err);
            f.budget = -1;
            if (st != CSM_OK) {
                ck_assert_int_eq(st, CSM_ENOMEM);
                ck_assert(e == NULL && rc == NULL);
                ck_assert_int_eq(f.live, base);
                continue;
            }
            done = 1;
            ck_assert_int_eq(f.live, base + 1);
            /* 13 events + E's two switch events; 11 window customers */
            ck_assert_uint_eq(fam == 0 ? e->n_rows : rc->n_rows,
                              fam == 0 ? 15u : 11u);
            csm_movements_events_free(e);
            csm_retention_customers_free(rc);
            ck_assert_int_eq(f.live, base);
        }
        ck_assert(done);
        ck_assert_int_gt(b, 1); /* at least one allocation failed first */
    }
    csm_ledger_free(l);
    ck_assert_int_eq(f.live, 0);
}
END_TEST

static Suite *ledger_suite(void) {
    Suite *s = suite_create("ledger");
    TCase *tc = tcase_create("csm_ledger_new");
    tcase_add_test(tc, test_build_fixture);
    tcase_add_test(tc, test_build_errors);
    tcase_add_test(tc, test_entry_at);
    tcase_add_test(tc, test_build_wide_keys);
    tcase_add_test(tc, test_free_is_active);
    suite_add_tcase(s, tc);
    tc = tcase_create("csm_ledger_from_contracts");
    tcase_add_test(tc, test_contracts_snapshot);
    tcase_add_test(tc, test_contracts_daily);
    tcase_add_test(tc, test_contracts_daily_churn);
    tcase_add_test(tc, test_contracts_errors);
    suite_add_tcase(s, tc);
    tc = tcase_create("csm_movements_compute");
    tcase_add_test(tc, test_movements_fixture);
    tcase_add_test(tc, test_movements_window);
    tcase_add_test(tc, test_movements_segments);
    tcase_add_test(tc, test_movements_tolerance);
    tcase_add_test(tc, test_movements_errors);
    suite_add_tcase(s, tc);
    tc = tcase_create("csm_retention_compute");
    tcase_add_test(tc, test_retention_fixture);
    tcase_add_test(tc, test_retention_table);
    tcase_add_test(tc, test_retention_arrow);
    suite_add_tcase(s, tc);
    tc = tcase_create("drill-down");
    tcase_add_test(tc, test_movement_events_fixture);
    tcase_add_test(tc, test_movement_events_tolerance);
    tcase_add_loop_test(tc, test_movement_events_sum, 0, 8);
    tcase_add_test(tc, test_retention_customers);
    tcase_add_loop_test(tc, test_retention_customers_sum, 0, 8);
    suite_add_tcase(s, tc);

    tc = tcase_create("csm_cohorts_compute");
    tcase_add_test(tc, test_cohorts_fixture);
    tcase_add_test(tc, test_cohorts_table);
    tcase_add_test(tc, test_cohorts_arrow);
    suite_add_tcase(s, tc);
    tc = tcase_create("csm_ltv_from_ledger");
    tcase_add_test(tc, test_ltv_from_ledger);
    suite_add_tcase(s, tc);
    tc = tcase_create("presets");
    tcase_add_test(tc, test_presets_differ);
    suite_add_tcase(s, tc);
    tc = tcase_create("properties");
    tcase_set_timeout(tc, 120);
    tcase_add_loop_test(tc, test_naive_reference, 0, 10);
    tcase_add_loop_test(tc, test_shuffle_and_partition, 0, 4);
    tcase_add_test(tc, test_partition_of);
    tcase_add_loop_test(tc, test_new_partition, 0, 4);
    tcase_add_test(tc, test_new_partition_errors);
    tcase_add_loop_test(tc, test_partition_rows, 0, 3);
    tcase_add_test(tc, test_new_rows_layouts);
    tcase_add_test(tc, test_new_rows_errors);
    tcase_add_loop_test(tc, test_large_build, 0, 5);
    suite_add_tcase(s, tc);
    tc = tcase_create("edge");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_build_empty);
    tcase_add_test(tc, test_retention_edge);
    tcase_add_loop_test(tc, test_out_of_memory, 0, 3);
    tcase_add_test(tc, test_out_of_memory_contracts);
    tcase_add_test(tc, test_out_of_memory_tables);
    tcase_add_test(tc, test_allocator_realloc_trims);
    tcase_add_test(tc, test_ledger_month);
    tcase_add_test(tc, test_build_month_range);
    tcase_add_test(tc, test_sort_full_key);
    tcase_add_test(tc, test_sort_fallback_layouts);
    tcase_add_test(tc, test_build_sum_range);
    tcase_add_test(tc, test_contracts_day_range);
    tcase_add_test(tc, test_retention_large_history);
    tcase_add_test(tc, test_retention_huge_history);
    tcase_add_test(tc, test_movement_events_edge);
    tcase_add_test(tc, test_out_of_memory_drill_down);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) {
    SRunner *sr = srunner_create(ledger_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
