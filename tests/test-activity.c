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
 * Owner role (r0, r3): activation 8/15; mean (8/10 + 0/5)/2 = 0.4.
 *
 * The long table "activity_measures" has 3 x 7 = 21 rows by account, in
 * row-major order: row 7k + m is account k's measure m.  Account 3 (rows
 * 14..20): activation 0/5 and login 0/5 = 0, breadth 0/20 = 0 (no flag);
 * sessions and minutes per user (0/0), minutes per session (0/0) and
 * stickiness (0/0) are NaN with CSM_FLAG_ZERO_DENOMINATOR, and so are their
 * means (its only account is skipped: 0 of 0 accounts).  Measure names
 * are 15, 10, 17, 16, 19, 15, 10 bytes long: text offsets 0 15 25 42 58
 * 77 92 102, then 117 for the next row's activation_rate. */
#include <check.h>
#include <math.h>
#include <stdlib.h>

#include <string.h>

#include "csmetrics/csmetrics.h"
#include "oom.h"
#include "tables.h"

#define TOL 1e-9
static const int64_t acc[] = {1, 1, 2, 3};
static const int32_t role[] = {CSM_ACTIVITY_ROLE_OWNER, CSM_ACTIVITY_ROLE_END_USER,
                               CSM_ACTIVITY_ROLE_END_USER, CSM_ACTIVITY_ROLE_OWNER};
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
/* bit i of an Arrow validity bitmap (NULL = all set) */


#define RATE(a, row, m) ((a)->rate[(row) * CSM_ACTIVITY_N + (m)])
#define MEAN(a, row, m) ((a)->mean[(row) * CSM_ACTIVITY_N + (m)])

START_TEST(test_by_account) {
    csm_activity_rows rw = rows();
    csm_activity *a = NULL;
    ck_assert_int_eq(csm_activity_compute(&a, &rw, NULL, NULL), CSM_OK);
    ck_assert_uint_eq(a->n_rows, 3);
    ck_assert_int_eq(a->key[0], 1);
    ck_assert_double_eq_tol(a->licensed_seats[0], 50, TOL);
    ck_assert_double_eq_tol(RATE(a, 0, CSM_ACTIVITY_ACTIVATION_RATE), 0.56, TOL);
    ck_assert_double_eq_tol(RATE(a, 0, CSM_ACTIVITY_LOGIN_RATE), 0.4, TOL);
    ck_assert_double_eq_tol(RATE(a, 0, CSM_ACTIVITY_SESSIONS_PER_USER), 6.5, TOL);
    ck_assert_double_eq_tol(RATE(a, 0, CSM_ACTIVITY_MINUTES_PER_USER), 100, TOL);
    ck_assert_double_eq_tol(RATE(a, 0, CSM_ACTIVITY_MINUTES_PER_SESSION), 2000.0 / 130, TOL);
    ck_assert_double_eq_tol(RATE(a, 0, CSM_ACTIVITY_FEATURE_BREADTH), 0.375, TOL);
    ck_assert_double_eq_tol(RATE(a, 0, CSM_ACTIVITY_STICKINESS), 0.35, TOL);
    ck_assert_double_eq_tol(MEAN(a, 0, CSM_ACTIVITY_STICKINESS), 0.35, TOL);
    ck_assert_double_eq_tol(RATE(a, 1, CSM_ACTIVITY_ACTIVATION_RATE), 0.9, TOL);
    ck_assert_double_eq_tol(RATE(a, 1, CSM_ACTIVITY_STICKINESS), 0.5, TOL);
    /* account 3: activation 0/5 = 0; sessions per user 0/0 = NaN + flag */
    ck_assert_double_eq_tol(RATE(a, 2, CSM_ACTIVITY_ACTIVATION_RATE), 0, TOL);
    ck_assert(isnan(RATE(a, 2, CSM_ACTIVITY_SESSIONS_PER_USER)));
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
    ck_assert_double_eq_tol(RATE(a, 1, CSM_ACTIVITY_ACTIVATION_RATE), 90.0 / 105, TOL);
    ck_assert_double_eq_tol(RATE(a, 1, CSM_ACTIVITY_LOGIN_RATE), 80.0 / 105, TOL);
    ck_assert_double_eq_tol(RATE(a, 1, CSM_ACTIVITY_FEATURE_BREADTH), 0.375, TOL);
    ck_assert_double_eq_tol(MEAN(a, 1, CSM_ACTIVITY_ACTIVATION_RATE), 0.45, TOL);
    ck_assert_double_eq_tol(MEAN(a, 1, CSM_ACTIVITY_STICKINESS), 0.5, TOL);
    ck_assert_double_eq_tol(MEAN(a, 1, CSM_ACTIVITY_SESSIONS_PER_USER), 5, TOL);
    csm_activity_free(a);
    o.group_by = CSM_ACTIVITY_BY_ROLE;
    ck_assert_int_eq(csm_activity_compute(&a, &rw, &o, NULL), CSM_OK);
    ck_assert_uint_eq(a->n_rows, 2);
    ck_assert_int_eq(a->key[0], CSM_ACTIVITY_ROLE_OWNER);
    ck_assert_double_eq_tol(RATE(a, 0, CSM_ACTIVITY_ACTIVATION_RATE), 8.0 / 15, TOL);
    ck_assert_double_eq_tol(MEAN(a, 0, CSM_ACTIVITY_ACTIVATION_RATE), 0.4, TOL);
    ck_assert_double_eq_tol(RATE(a, 1, CSM_ACTIVITY_ACTIVATION_RATE), 110.0 / 140, TOL);
    csm_activity_free(a);
    o.group_by = CSM_ACTIVITY_BY_COHORT;
    ck_assert_int_eq(csm_activity_compute(&a, &rw, &o, NULL), CSM_OK);
    ck_assert_uint_eq(a->n_rows, 2);
    ck_assert_int_eq(a->key[0], 24288);
    ck_assert_double_eq_tol(RATE(a, 0, CSM_ACTIVITY_ACTIVATION_RATE), 0.56, TOL);
    csm_activity_free(a);
    /* everything: 155 licensed, 118 activated */
    o.group_by = CSM_ACTIVITY_ALL;
    ck_assert_int_eq(csm_activity_compute(&a, &rw, &o, NULL), CSM_OK);
    ck_assert_uint_eq(a->n_rows, 1);
    ck_assert_int_eq(a->n_accounts[0], 3);
    ck_assert_double_eq_tol(RATE(a, 0, CSM_ACTIVITY_ACTIVATION_RATE), 118.0 / 155, TOL);
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
    ck_assert_double_eq_tol(RATE(a, 0, CSM_ACTIVITY_ACTIVATION_RATE), 1.0, TOL);
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

START_TEST(test_tables) {
    csm_activity_rows rw = rows();
    csm_activity *a = NULL;
    ck_assert_int_eq(csm_activity_compute(&a, &rw, NULL, NULL), CSM_OK);
    ck_assert_str_eq(csm_result_kind(a->result), "activity");
    ck_assert_ptr_eq(csm_result_view(a->result), a);
    ck_assert_uint_eq(csm_result_n_tables(a->result), 2);
    const csm_table *t = csm_result_table(a->result, 0);
    const csm_table *mt = csm_result_table(a->result, 1);
    ck_assert_str_eq(t->name, "activity");
    ck_assert_str_eq(mt->name, "activity_measures");
    ck_assert_ptr_eq(csm_result_find(a->result, "activity_measures"), mt);
    ck_assert_uint_eq(t->n_rows, 3);
    ck_assert_uint_eq(t->n_columns, 12);
    ck_assert_uint_eq(mt->n_rows, 21);
    ck_assert_uint_eq(a->n_measure_rows, 21);
    ck_assert_uint_eq(mt->n_columns, 6);
    check_columns_sane(t);
    check_columns_sane(mt);
    /* the main table */
    ck_assert_str_eq(t->columns[0].name, "key");
    ck_assert_int_eq(t->columns[0].type, CSM_TYPE_ID);
    ck_assert_int_eq(t->columns[0].role, CSM_ROLE_KEY);
    ck_assert_ptr_eq(t->columns[0].data, a->key);
    ck_assert_ptr_eq(csm_table_find(t, "n_accounts")->data, a->n_accounts);
    ck_assert_int_eq(csm_table_find(t, "n_accounts")->role, CSM_ROLE_MAIN);
    ck_assert_ptr_eq(csm_table_find(t, "licensed_seats")->data, a->licensed_seats);
    ck_assert_ptr_eq(csm_table_find(t, "mau")->data, a->mau);
    ck_assert_int_eq(csm_table_find(t, "mau")->role, CSM_ROLE_DETAIL);
    ck_assert_ptr_eq(csm_table_find(t, "flags")->data, a->flags);
    ck_assert_ptr_null(csm_table_find(t, "rate"));
    /* the long table: the matrices are its columns */
    ck_assert_str_eq(mt->columns[0].name, "key");
    ck_assert_int_eq(mt->columns[0].role, CSM_ROLE_KEY);
    ck_assert_ptr_eq(mt->columns[0].data, a->measure_key);
    ck_assert_str_eq(mt->columns[1].name, "measure");
    ck_assert_int_eq(mt->columns[1].type, CSM_TYPE_TEXT);
    ck_assert_int_eq(mt->columns[1].role, CSM_ROLE_KEY);
    ck_assert_ptr_eq(csm_table_find(mt, "measure_code")->data, a->measure_code);
    ck_assert_int_eq(csm_table_find(mt, "measure_code")->type, CSM_TYPE_CODE);
    ck_assert_ptr_eq(csm_table_find(mt, "rate")->data, a->rate);
    ck_assert_ptr_eq(csm_table_find(mt, "mean")->data, a->mean);
    ck_assert_int_eq(csm_table_find(mt, "rate")->role, CSM_ROLE_MAIN);
    ck_assert_ptr_eq(csm_table_find(mt, "flags")->data, a->measure_flags);
    /* row 7k + m: account k's measure m (header comment) */
    const int64_t acct[3] = {1, 2, 3};
    for (size_t k = 0; k < 3; k++)
        for (int m = 0; m < CSM_ACTIVITY_N; m++) {
            size_t q = k * CSM_ACTIVITY_N + (size_t)m;
            ck_assert_int_eq(a->measure_key[q], acct[k]);
            ck_assert_int_eq(a->measure_code[q], m);
            ck_assert_str_eq(a->measure[q], csm_activity_measure_name(m));
        }
    ck_assert_str_eq(a->measure[0], "activation_rate");
    ck_assert_str_eq(a->measure[4], "minutes_per_session");
    ck_assert_str_eq(a->measure[20], "stickiness");
    ck_assert_double_eq_tol(csm_column_double(csm_table_find(mt, "rate"), 7 + 0),
                            0.9, TOL); /* account 2's activation */
    /* per-measure flags of account 3: Z on 2, 3, 4, 6 only */
    const uint32_t Z = CSM_FLAG_ZERO_DENOMINATOR;
    const uint32_t want[CSM_ACTIVITY_N] = {0, 0, Z, Z, Z, 0, Z};
    for (int m = 0; m < CSM_ACTIVITY_N; m++)
        ck_assert_uint_eq(a->measure_flags[14 + m], want[m]);
    for (int q = 0; q < 14; q++)
        ck_assert_uint_eq(a->measure_flags[q], 0);
    ck_assert_uint_eq(a->flags[2], Z);
    ck_assert(isnan(a->mean[14 + CSM_ACTIVITY_STICKINESS]));
    ck_assert_str_eq(csm_activity_measure_name(CSM_ACTIVITY_FEATURE_BREADTH),
                     "feature_breadth");
    ck_assert_str_eq(csm_activity_measure_name(CSM_ACTIVITY_N), "unknown");
    ck_assert_str_eq(csm_activity_measure_name(-1), "unknown");
    csm_activity_free(a);
    /* by segment: segment 2's measures are all defined (account 3 is
     * skipped in the means, the sums' denominators are not 0) */
    csm_activity_opts o = CSM_ACTIVITY_OPTS_INIT;
    o.group_by = CSM_ACTIVITY_BY_SEGMENT;
    ck_assert_int_eq(csm_activity_compute(&a, &rw, &o, NULL), CSM_OK);
    ck_assert_uint_eq(a->n_measure_rows, 14);
    for (int m = 0; m < CSM_ACTIVITY_N; m++) {
        ck_assert_int_eq(a->measure_key[7 + m], 2);
        ck_assert_uint_eq(a->measure_flags[7 + m], 0);
    }
    ck_assert_uint_eq(a->flags[1], 0);
    ck_assert_double_eq_tol(a->rate[7 + CSM_ACTIVITY_STICKINESS], 0.5, TOL);
    csm_activity_free(a);
    /* clamp: account 1 (58 of 50 seats) clamps activation only */
    const double bad_act[] = {8, 50, 90, 0};
    rw.activated_seats = bad_act;
    o = (csm_activity_opts)CSM_ACTIVITY_OPTS_INIT;
    o.clamp = 1;
    ck_assert_int_eq(csm_activity_compute(&a, &rw, &o, NULL), CSM_OK);
    ck_assert_uint_eq(a->measure_flags[CSM_ACTIVITY_ACTIVATION_RATE], CSM_FLAG_CLAMPED);
    ck_assert_uint_eq(a->measure_flags[CSM_ACTIVITY_LOGIN_RATE], 0);
    ck_assert_uint_eq(a->flags[0], CSM_FLAG_CLAMPED);
    csm_activity_free(a);
}
END_TEST

START_TEST(test_arrow) {
    csm_activity_rows rw = rows();
    rw.dau = NULL; /* stickiness and the dau sums undefined */
    csm_activity *a = NULL;
    ck_assert_int_eq(csm_activity_compute(&a, &rw, NULL, NULL), CSM_OK);
    struct ArrowSchema s;
    struct ArrowArray r;
    ck_assert_int_eq(csm_table_export_arrow(&s, &r, a->result,
                                            csm_result_table(a->result, 0), NULL),
                     CSM_OK);
    ck_assert_str_eq(s.name, "activity");
    ck_assert_int_eq(s.n_children, 12);
    ck_assert_int_eq(r.length, 3);
    ck_assert_str_eq(s.children[0]->format, "l");
    ck_assert_int_eq(((const int64_t *)r.children[0]->buffers[1])[2], 3);
    ck_assert_str_eq(s.children[2]->name, "licensed_seats");
    ck_assert_str_eq(s.children[2]->format, "g");
    ck_assert_int_eq(r.children[2]->null_count, 0);
    ck_assert_double_eq_tol(((const double *)r.children[2]->buffers[1])[0], 50, TOL);
    ck_assert_str_eq(s.children[9]->name, "dau");
    ck_assert_int_eq(r.children[9]->null_count, 3);
    r.release(&r);
    s.release(&s);
    /* the long table; the caller frees the result first */
    ck_assert_int_eq(csm_table_export_arrow(&s, &r, a->result,
                                            csm_result_table(a->result, 1), NULL),
                     CSM_OK);
    const double *rate = a->rate;
    csm_activity_free(a);
    ck_assert_str_eq(s.name, "activity_measures");
    ck_assert_int_eq(r.length, 21);
    ck_assert_str_eq(s.children[1]->name, "measure");
    ck_assert_str_eq(s.children[1]->format, "u");
    const int32_t want[9] = {0, 15, 25, 42, 58, 77, 92, 102, 117};
    const int32_t *off = r.children[1]->buffers[1];
    for (int i = 0; i < 9; i++)
        ck_assert_int_eq(off[i], want[i]);
    ck_assert(memcmp((const char *)r.children[1]->buffers[2] + 92, "stickiness", 10)
              == 0);
    ck_assert_int_eq(r.children[1]->null_count, 0);
    ck_assert_str_eq(s.children[2]->format, "i");
    ck_assert_int_eq(r.children[2]->null_count, 0);
    /* rate: zero-copy; null for every account's stickiness (no DAU: rows
     * 6, 13, 20) and account 3's three other 0/0 measures (16, 17, 18) */
    ck_assert_str_eq(s.children[3]->name, "rate");
    ck_assert_ptr_eq(r.children[3]->buffers[1], rate);
    ck_assert_int_eq(r.children[3]->null_count, 6);
    ck_assert(!arrow_bit(r.children[3]->buffers[0], 6));
    ck_assert(!arrow_bit(r.children[3]->buffers[0], 16));
    ck_assert(arrow_bit(r.children[3]->buffers[0], 14));
    ck_assert(arrow_bit(r.children[3]->buffers[0], 19));
    ck_assert_double_eq_tol(((const double *)r.children[3]->buffers[1])[1], 0.4,
                            TOL); /* account 1's login rate */
    r.release(&r);
    s.release(&s);
}
END_TEST

START_TEST(test_edge) {
    csm_activity_rows rw = {NULL, NULL, NULL, NULL, NULL, NULL, NULL,
                            NULL, NULL, NULL, NULL, NULL, NULL, 0};
    csm_activity *a = NULL;
    ck_assert_int_eq(csm_activity_compute(&a, &rw, NULL, NULL), CSM_OK);
    ck_assert_uint_eq(a->n_rows, 0);
    ck_assert_uint_eq(a->n_measure_rows, 0);
    ck_assert_uint_eq(csm_result_table(a->result, 1)->n_rows, 0);
    csm_activity_free(a);
    csm_activity_opts o = CSM_ACTIVITY_OPTS_INIT;
    o.group_by = CSM_ACTIVITY_ALL;
    ck_assert_int_eq(csm_activity_compute(&a, &rw, &o, NULL), CSM_OK);
    ck_assert_uint_eq(a->n_rows, 1);
    ck_assert(a->flags[0] & CSM_FLAG_EMPTY);
    ck_assert(isnan(RATE(a, 0, CSM_ACTIVITY_LOGIN_RATE)));
    ck_assert_uint_eq(a->n_measure_rows, CSM_ACTIVITY_N);
    for (int m = 0; m < CSM_ACTIVITY_N; m++) {
        ck_assert_int_eq(a->measure_key[m], 0);
        ck_assert_str_eq(a->measure[m], csm_activity_measure_name(m));
        ck_assert_uint_eq(a->measure_flags[m],
                          CSM_FLAG_EMPTY | CSM_FLAG_ZERO_DENOMINATOR);
    }
    csm_activity_free(a);
    /* a missing column: its measures are NaN, the others computed */
    csm_activity_rows r2 = rows();
    r2.dau = NULL;
    ck_assert_int_eq(csm_activity_compute(&a, &r2, NULL, NULL), CSM_OK);
    ck_assert(isnan(RATE(a, 0, CSM_ACTIVITY_STICKINESS)));
    ck_assert(isnan(a->dau[0]));
    ck_assert_double_eq_tol(RATE(a, 0, CSM_ACTIVITY_ACTIVATION_RATE), 0.56, TOL);
    csm_activity_free(a);
}
END_TEST

START_TEST(test_oom) {
    csm_activity_rows rw = rows();
    int done = 0;
    for (long b = 0; b < 100 && !done; b++) {
        fail_ctx f = {b, 0};
        csm_allocator al = {fail_alloc, fail_free, &f, NULL};
        csm_activity_opts o = CSM_ACTIVITY_OPTS_INIT;
        o.allocator = &al;
        o.group_by = CSM_ACTIVITY_BY_SEGMENT;
        csm_activity *a = NULL;
        csm_status s = csm_activity_compute(&a, &rw, &o, NULL);
        ck_assert(s == CSM_OK || s == CSM_ENOMEM);
        done = s == CSM_OK;
        if (done)
            ck_assert_double_eq_tol(RATE(a, 1, CSM_ACTIVITY_ACTIVATION_RATE),
                                    90.0 / 105, TOL);
        else
            ck_assert_ptr_null(a);
        csm_activity_free(a);
        ck_assert_int_eq(f.live, 0);
    }
    ck_assert(done);
}
END_TEST

/* Lifecycle stages and product categories.  The fixture's cohorts are
 * 2024-01 (rows r0, r1: account 1) and 2024-02 (r2, r3: accounts 2, 3).
 * Rows of 2024-04 (month 24291): tenures 3 and 2 months -> with the
 * default bounds (launch 3, growth 6, mature 12) account 1 is in launch
 * (3 <= 3 < 6), accounts 2 and 3 in onboarding (2 < 3).  Onboarding is
 * then segment 2's rows: activation 90/105, login 80/105; launch is
 * account 1: activation 28/50 = 0.56.  Rows of 2024-07 (24294): tenures 6
 * and 5: growth and launch; with bounds 1, 2, 5 both are mature (one row,
 * key 3, activation 118/155).  Categories {7, 7, 7, 9}: category 7 is
 * accounts 1 and 2, activation (8 + 20 + 90) / (10 + 40 + 100) = 118/150;
 * category 9 is account 3, activation 0/5. */
START_TEST(test_stages_and_categories) {
    csm_activity_rows r = rows();
    csm_activity_opts o = CSM_ACTIVITY_OPTS_INIT;
    o.group_by = CSM_ACTIVITY_BY_STAGE;
    o.month = 24291;
    csm_activity *a = NULL;
    ck_assert_int_eq(csm_activity_compute(&a, &r, &o, NULL), CSM_OK);
    ck_assert_uint_eq(a->n_rows, 2);
    ck_assert_int_eq(a->key[0], CSM_ACTIVITY_STAGE_ONBOARDING);
    ck_assert_int_eq(a->key[1], CSM_ACTIVITY_STAGE_LAUNCH);
    ck_assert_int_eq(a->n_accounts[0], 2);
    ck_assert_double_eq_tol(RATE(a, 0, CSM_ACTIVITY_ACTIVATION_RATE), 90.0 / 105, TOL);
    ck_assert_double_eq_tol(RATE(a, 0, CSM_ACTIVITY_LOGIN_RATE), 80.0 / 105, TOL);
    ck_assert_double_eq_tol(RATE(a, 1, CSM_ACTIVITY_ACTIVATION_RATE), 0.56, TOL);
    csm_activity_free(a);
    o.month = 24294;
    ck_assert_int_eq(csm_activity_compute(&a, &r, &o, NULL), CSM_OK);
    ck_assert_uint_eq(a->n_rows, 2);
    ck_assert_int_eq(a->key[0], CSM_ACTIVITY_STAGE_LAUNCH);
    ck_assert_int_eq(a->key[1], CSM_ACTIVITY_STAGE_GROWTH);
    csm_activity_free(a);
    o.launch_month = 1;
    o.growth_month = 2;
    o.mature_month = 5;
    ck_assert_int_eq(csm_activity_compute(&a, &r, &o, NULL), CSM_OK);
    ck_assert_uint_eq(a->n_rows, 1);
    ck_assert_int_eq(a->key[0], CSM_ACTIVITY_STAGE_MATURE);
    ck_assert_double_eq_tol(RATE(a, 0, CSM_ACTIVITY_ACTIVATION_RATE), 118.0 / 155, TOL);
    csm_activity_free(a);
    /* a stage column wins over tenure (no month needed) */
    const int32_t stage[] = {3, 3, 0, 0};
    o = (csm_activity_opts)CSM_ACTIVITY_OPTS_INIT;
    o.group_by = CSM_ACTIVITY_BY_STAGE;
    o.stage = stage;
    ck_assert_int_eq(csm_activity_compute(&a, &r, &o, NULL), CSM_OK);
    ck_assert_uint_eq(a->n_rows, 2);
    ck_assert_int_eq(a->key[1], CSM_ACTIVITY_STAGE_MATURE);
    ck_assert_double_eq_tol(RATE(a, 1, CSM_ACTIVITY_ACTIVATION_RATE), 0.56, TOL);
    csm_activity_free(a);
    /* categories */
    const int32_t cat[] = {7, 7, 7, 9};
    o = (csm_activity_opts)CSM_ACTIVITY_OPTS_INIT;
    o.group_by = CSM_ACTIVITY_BY_CATEGORY;
    o.category = cat;
    ck_assert_int_eq(csm_activity_compute(&a, &r, &o, NULL), CSM_OK);
    ck_assert_uint_eq(a->n_rows, 2);
    ck_assert_int_eq(a->key[0], 7);
    ck_assert_int_eq(a->n_accounts[0], 2);
    ck_assert_double_eq_tol(RATE(a, 0, CSM_ACTIVITY_ACTIVATION_RATE), 118.0 / 150, TOL);
    ck_assert_double_eq_tol(RATE(a, 1, CSM_ACTIVITY_ACTIVATION_RATE), 0, TOL);
    csm_activity_free(a);
    /* no category column: one category 0 */
    o.category = NULL;
    ck_assert_int_eq(csm_activity_compute(&a, &r, &o, NULL), CSM_OK);
    ck_assert_uint_eq(a->n_rows, 1);
    ck_assert_int_eq(a->key[0], 0);
    csm_activity_free(a);
    /* errors */
    csm_error e;
    o = (csm_activity_opts)CSM_ACTIVITY_OPTS_INIT;
    o.group_by = CSM_ACTIVITY_BY_STAGE;
    ck_assert_int_eq(csm_activity_compute(&a, &r, &o, &e), CSM_EINVAL);
    ck_assert_str_eq(e.field, "opts.month");
    o.month = 24288; /* 2024-01: the 2024-02 cohort is after it */
    ck_assert_int_eq(csm_activity_compute(&a, &r, &o, &e), CSM_EDOMAIN);
    ck_assert_uint_eq(e.row, 2);
    ck_assert_str_eq(e.field, "cohort");
    o.month = 24291;
    o.growth_month = 2; /* below launch_month 3 */
    ck_assert_int_eq(csm_activity_compute(&a, &r, &o, &e), CSM_EINVAL);
    ck_assert_str_eq(e.field, "opts.launch_month");
    o.growth_month = 6;
    o.group_by = CSM_ACTIVITY_BY_CATEGORY + 1;
    ck_assert_int_eq(csm_activity_compute(&a, &r, &o, &e), CSM_EINVAL);
    ck_assert_ptr_null(a);
    ck_assert_str_eq(csm_activity_stage_name(CSM_ACTIVITY_STAGE_GROWTH), "growth");
    ck_assert_str_eq(csm_activity_stage_name(4), "unknown");
    /* stages by tenure at the default bounds 3, 6, 12 (NULL opts): 2 and 3
     * months either side of launch, 5/6 of growth, 11/12 of mature, and a
     * negative tenure onboarding; with bounds 1, 2, 2: tenure 1 is launch,
     * 2 is mature (growth is empty) */
    ck_assert_int_eq(csm_activity_stage_of(NULL, 2), CSM_ACTIVITY_STAGE_ONBOARDING);
    ck_assert_int_eq(csm_activity_stage_of(NULL, 3), CSM_ACTIVITY_STAGE_LAUNCH);
    ck_assert_int_eq(csm_activity_stage_of(NULL, 5), CSM_ACTIVITY_STAGE_LAUNCH);
    ck_assert_int_eq(csm_activity_stage_of(NULL, 6), CSM_ACTIVITY_STAGE_GROWTH);
    ck_assert_int_eq(csm_activity_stage_of(NULL, 11), CSM_ACTIVITY_STAGE_GROWTH);
    ck_assert_int_eq(csm_activity_stage_of(NULL, 12), CSM_ACTIVITY_STAGE_MATURE);
    ck_assert_int_eq(csm_activity_stage_of(NULL, -1), CSM_ACTIVITY_STAGE_ONBOARDING);
    csm_activity_opts b = CSM_ACTIVITY_OPTS_INIT;
    b.launch_month = 1;
    b.growth_month = 2;
    b.mature_month = 2;
    ck_assert_int_eq(csm_activity_stage_of(&b, 1), CSM_ACTIVITY_STAGE_LAUNCH);
    ck_assert_int_eq(csm_activity_stage_of(&b, 2), CSM_ACTIVITY_STAGE_MATURE);
}
END_TEST

START_TEST(test_nan_missing) {
    /* account 1: 10 licensed, 5 activated -> 0.5, 4 users -> 0.4;
     * account 2: licensed unknown (NaN) -> its activation and login rates
     * NaN; all accounts together: the licensed sum is NaN, so those rates
     * are NaN too; active users 4 + 2 = 6 */
    const int64_t id[] = {1, 2};
    const double nl[] = {10, NAN}, na[] = {5, 3}, nu[] = {4, 2};
    csm_activity_rows rw = {.account_id = id, .licensed_seats = nl,
                            .activated_seats = na, .active_users = nu,
                            .n = 2};
    csm_activity *a = NULL;
    csm_error e;
    ck_assert_int_eq(csm_activity_compute(&a, &rw, NULL, &e), CSM_EDOMAIN);
    ck_assert_uint_eq(e.row, 1);
    csm_activity_opts o = CSM_ACTIVITY_OPTS_INIT;
    o.nan_missing = 1;
    ck_assert_int_eq(csm_activity_compute(&a, &rw, &o, &e), CSM_OK);
    ck_assert_double_eq_tol(a->rate[CSM_ACTIVITY_ACTIVATION_RATE], 0.5, 1e-12);
    ck_assert_double_eq_tol(a->rate[CSM_ACTIVITY_LOGIN_RATE], 0.4, 1e-12);
    ck_assert(isnan(a->rate[CSM_ACTIVITY_N + CSM_ACTIVITY_ACTIVATION_RATE]));
    ck_assert(isnan(a->rate[CSM_ACTIVITY_N + CSM_ACTIVITY_LOGIN_RATE]));
    ck_assert_double_eq_tol(a->active_users[1], 2, 1e-12);
    csm_activity_free(a);
    o.group_by = CSM_ACTIVITY_ALL;
    ck_assert_int_eq(csm_activity_compute(&a, &rw, &o, &e), CSM_OK);
    ck_assert(isnan(a->rate[CSM_ACTIVITY_ACTIVATION_RATE]));
    ck_assert_double_eq_tol(a->active_users[0], 6, 1e-12);
    csm_activity_free(a);
}
END_TEST

int main(void) {
    Suite *s = suite_create("activity");
    TCase *tc = tcase_create("csm_activity_compute");
    tcase_add_test(tc, test_nan_missing);
    tcase_add_test(tc, test_by_account);
    tcase_add_test(tc, test_rollups);
    tcase_add_test(tc, test_stages_and_categories);
    tcase_add_test(tc, test_errors_and_clamp);
    suite_add_tcase(s, tc);
    tc = tcase_create("tables");
    tcase_add_test(tc, test_tables);
    tcase_add_test(tc, test_arrow);
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
