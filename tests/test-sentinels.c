/* test-sentinels.c - the month sentinel and the month range at every
 * ledger entry point (issue 17, "Sentinels and overflow";
 * docs/reliability.md).
 *
 * CSM_MONTH_NONE is INT32_MIN; data months are in [CSM_MONTH_MIN,
 * CSM_MONTH_MAX] (common.h).  Every public function that takes a ledger and
 * a month option is called on four ledgers - empty (its first and last
 * month are CSM_MONTH_NONE), one row in the first valid month, one row in
 * the last, and rows at both ends - with every month option set in turn
 * to the values around the sentinel and the range: CSM_MONTH_NONE,
 * INT32_MIN + 1, -1, 0, CSM_MONTH_MIN - 1, CSM_MONTH_MIN, CSM_MONTH_MAX,
 * CSM_MONTH_MAX + 1, INT32_MAX.  Each call must return CSM_OK or a
 * documented error (CSM_EINVAL, CSM_EDOMAIN, CSM_ERANGE) with *out NULL;
 * on CSM_OK every table of the result must be well formed (a column's data
 * present whenever there are rows).  In the ASan/UBSan build (make
 * test-asan) and under valgrind any overflow of month arithmetic or read of
 * row 0 of an empty table fails the run; the expected values are the
 * checks below, worked out by hand:
 *   - the empty ledger with default months: every table has 0 rows or the
 *     call is an error naming the ledger (never a made-up month);
 *   - a ledger of one customer in CSM_MONTH_MAX: movements over its
 *     months is one row of opening 0, new 10, closing 10. */
#include <check.h>
#include <stdint.h>
#include <string.h>

#include "csmetrics/csmetrics.h"

static const int32_t probe[] = {CSM_MONTH_NONE, INT32_MIN + 1, -1, 0,
                                CSM_MONTH_MIN - 1, CSM_MONTH_MIN,
                                CSM_MONTH_MAX, CSM_MONTH_MAX + 1, INT32_MAX};
#define N_PROBE (sizeof probe / sizeof probe[0])

enum { L_EMPTY, L_FIRST, L_LAST, L_BOTH, N_LEDGERS };

static csm_ledger *make(int kind) {
    const int64_t cust[] = {1, 2};
    int32_t month[] = {CSM_MONTH_MIN, CSM_MONTH_MAX};
    const double mrr[] = {10, 10};
    const int32_t *m = month;
    size_t n = 0;
    switch (kind) {
    case L_FIRST: n = 1; break;
    case L_LAST: m = month + 1; n = 1; break;
    case L_BOTH: n = 2; break;
    default: break;
    }
    csm_ledger *l = NULL;
    ck_assert_int_eq(csm_ledger_new(&l, cust + (kind == L_LAST), m, mrr, NULL,
                                    n, NULL, NULL),
                     CSM_OK);
    return l;
}

/* A result's tables are well formed. */
static void check_result(const csm_result *r, const char *what) {
    ck_assert_msg(r != NULL, "%s: OK without a result", what);
    for (size_t t = 0; t < csm_result_n_tables(r); t++) {
        const csm_table *tb = csm_result_table(r, t);
        for (size_t c = 0; c < tb->n_columns; c++)
            ck_assert_msg(tb->n_rows == 0 || tb->columns[c].data != NULL,
                          "%s: table %s column %s without data", what,
                          tb->name, tb->columns[c].name);
    }
}

static void check_status(csm_status st, const void *out, const char *what) {
    ck_assert_msg(st == CSM_OK || st == CSM_EINVAL || st == CSM_EDOMAIN ||
                      st == CSM_ERANGE,
                  "%s: status %s", what, csm_strerror(st));
    if (st != CSM_OK)
        ck_assert_msg(out == NULL, "%s: error with an output", what);
}

#define CALL(what, T, call, res)                                               \
    do {                                                                       \
        T *o_ = NULL;                                                          \
        csm_status st_ = (call);                                               \
        check_status(st_, o_, what);                                           \
        if (st_ == CSM_OK) {                                                   \
            check_result(o_->res, what);                                       \
            csm_result_free(o_->res);                                          \
        }                                                                      \
    } while (0)

START_TEST(test_month_options) {
    int kind = _i;
    csm_ledger *l = make(kind);
    for (size_t a = 0; a < N_PROBE; a++)
        for (size_t b = 0; b < N_PROBE; b++) {
            int32_t m1 = probe[a], m2 = probe[b];
            csm_movements_opts mo = CSM_MOVEMENTS_OPTS_INIT;
            mo.first_month = m1;
            mo.last_month = m2;
            CALL("movements", csm_movements,
                 csm_movements_compute(&o_, l, &mo, NULL), result);
            CALL("movement events", csm_movements_events,
                 csm_movements_events_compute(&o_, l, &mo, NULL), result);
            csm_retention_opts ro = CSM_RETENTION_OPTS_INIT;
            ro.first_month = m1;
            ro.last_month = m2;
            ro.window = b % 2 ? 1 : 12;
            CALL("retention", csm_retention,
                 csm_retention_compute(&o_, l, &ro, NULL), result);
            CALL("retention customers", csm_retention_customers,
                 csm_retention_customers_compute(&o_, l, &ro, NULL), result);
            csm_referrals_opts fo = CSM_REFERRALS_OPTS_INIT;
            fo.first_month = m1;
            fo.last_month = m2;
            csm_referrals_rows rows = {NULL, NULL, NULL, NULL, 0};
            CALL("referrals", csm_referrals,
                 csm_referrals_compute(&o_, l, &rows, NULL, NULL, 0, NULL, NULL,
                                       0, &fo, NULL),
                 result);
        }
    for (size_t a = 0; a < N_PROBE; a++) {
        int32_t m = probe[a];
        csm_lifetimes_opts lo = CSM_LIFETIMES_OPTS_INIT;
        lo.as_of = m;
        CALL("lifetimes", csm_lifetimes, csm_lifetimes_from_ledger(&o_, l, &lo, NULL),
             result);
        CALL("ledger month", csm_ledger_month,
             csm_ledger_month_compute(&o_, l, m, NULL), result);
        csm_team_opts to = CSM_TEAM_OPTS_INIT;
        to.month = m;
        CALL("team", csm_team,
             csm_team_compute(&o_, l, NULL, NULL, 0, NULL, 0, &to, NULL), result);
        for (int32_t w = 1; w <= 13; w += 12) {
            csm_unit_economics_opts uo = CSM_UNIT_ECONOMICS_OPTS_INIT;
            uo.month = m;
            uo.window = w;
            CALL("unit economics", csm_unit_economics,
                 csm_unit_economics_from_ledger(&o_, l, 0.8, NULL, NULL, 0, &uo,
                                                NULL),
                 result);
            csm_projection_inputs_opts po = CSM_PROJECTION_INPUTS_OPTS_INIT;
            po.month = m;
            po.window = w;
            CALL("projection inputs", csm_projection_inputs,
                 csm_projection_inputs_from_ledger(&o_, l, &po, NULL), result);
            csm_ltv_opts vo = CSM_LTV_OPTS_INIT;
            vo.month = m;
            vo.window = w;
            csm_ltv_result v;
            csm_status st = csm_ltv_from_ledger(&v, l, 0.8, &vo, NULL);
            check_status(st, NULL, "ltv");
        }
    }
    CALL("cohorts", csm_cohorts, csm_cohorts_compute(&o_, l, NULL, NULL), result);
    csm_ledger_free(l);
}
END_TEST

/* Survivor counts from lifetimes whose first months and whose as_of /
 * cohort bounds are the probes: OK or a documented error, never an
 * overflow of as_of - first_month or of a cohort's age count. */
START_TEST(test_sbg_survivors_months) {
    for (size_t a = 0; a < N_PROBE; a++)
        for (size_t b = 0; b < N_PROBE; b++) {
            const int32_t fm[3] = {probe[a], CSM_MONTH_MIN, CSM_MONTH_MAX};
            const double du[3] = {1, 2, 1};
            csm_sbg_survivors_opts o = CSM_SBG_SURVIVORS_OPTS_INIT;
            o.as_of = probe[b];
            o.first_cohort = probe[(a + b) % N_PROBE];
            o.last_cohort = probe[(a + 2 * b) % N_PROBE];
            CALL("sbg survivors", csm_sbg_survivors,
                 csm_sbg_survivors_from_lifetimes(&o_, fm, du, NULL, 3, &o, NULL),
                 result);
        }
}
END_TEST

/* The empty ledger with default options: no made-up month anywhere. */
START_TEST(test_empty_defaults) {
    csm_ledger *l = make(L_EMPTY);
    ck_assert_int_eq(csm_ledger_first_month(l), CSM_MONTH_NONE);
    ck_assert_int_eq(csm_ledger_last_month(l), CSM_MONTH_NONE);
    csm_movements *m = NULL;
    ck_assert_int_eq(csm_movements_compute(&m, l, NULL, NULL), CSM_OK);
    ck_assert_uint_eq(m->n_rows, 0);
    csm_movements_free(m);
    csm_retention *r = NULL;
    ck_assert_int_eq(csm_retention_compute(&r, l, NULL, NULL), CSM_OK);
    ck_assert_uint_eq(r->n_rows, 0);
    csm_retention_free(r);
    csm_team *t = NULL;
    ck_assert_int_eq(csm_team_compute(&t, l, NULL, NULL, 0, NULL, 0, NULL, NULL),
                     CSM_OK);
    ck_assert_int_eq(t->month, CSM_MONTH_NONE); /* team.h: none for empty */
    csm_team_free(t);
    csm_projection_inputs *p = NULL;
    csm_error e;
    ck_assert_int_eq(csm_projection_inputs_from_ledger(&p, l, NULL, &e),
                     CSM_EDOMAIN); /* projection.h: field "ledger" */
    ck_assert_str_eq(e.field, "ledger");
    ck_assert_ptr_null(p);
    csm_ledger_free(l);
}
END_TEST

/* One customer in CSM_MONTH_MAX (December 9999): movements over its
 * month - opening 0, new 10, closing 10 - with no overflow at the top of
 * the range (the month after is never formed as a data month). */
START_TEST(test_last_month) {
    csm_ledger *l = make(L_LAST);
    csm_movements *m = NULL;
    ck_assert_int_eq(csm_movements_compute(&m, l, NULL, NULL), CSM_OK);
    ck_assert_uint_eq(m->n_rows, 1);
    ck_assert_int_eq(m->month[0], CSM_MONTH_MAX);
    ck_assert_double_eq(m->opening_mrr[0], 0);
    ck_assert_double_eq(m->new_mrr[0], 10);
    ck_assert_double_eq(m->closing_mrr[0], 10);
    csm_movements_free(m);
    csm_ledger_free(l);
}
END_TEST

/* Size arithmetic: an element count whose product overflows size_t is an
 * error before any element is read (the arrays below are small; a read
 * past them fails the ASan build, a wrapped index would read inside them).
 * Scorecard of two measures (two inputs): n = SIZE_MAX / 2 + 1 accounts
 * make n x 2 overflow: CSM_ENOMEM (health.h: "also when n_accounts x
 * n_measures overflows"); it used to read values[] first, past the end. */
START_TEST(test_size_overflow) {
    static const char spec[] =
        "{\"name\": \"t\", \"groups\": [{\"name\": \"g\", \"measures\": ["
        "{\"name\": \"a\", \"transform\": {\"type\": \"linear\", \"min\": 0,"
        " \"max\": 1}}, {\"name\": \"b\", \"transform\": {\"type\": "
        "\"linear\", \"min\": 0, \"max\": 1}}]}]}";
    csm_health_scorecard *sc = NULL;
    ck_assert_int_eq(
        csm_health_scorecard_from_json(&sc, spec, strlen(spec), NULL, NULL),
        CSM_OK);
    const double values[4] = {0.5, 0.5, 0.5, 0.5};
    csm_health *h = NULL;
    ck_assert_int_eq(csm_health_score(&h, sc, values, SIZE_MAX / 2 + 1, NULL,
                                      NULL),
                     CSM_ENOMEM);
    ck_assert_ptr_null(h);
    ck_assert_int_eq(csm_health_score(&h, sc, values, 2, NULL, NULL), CSM_OK);
    ck_assert_uint_eq(h->n_rows, 2); /* the same call with n = 2 works */
    csm_health_free(h);
    csm_health_scorecard_free(sc);

    /* churn model: n x p overflows (churn.h: CSM_EINVAL, field "p") */
    const double x[4] = {0, 1, 0, 1};
    const uint8_t y[2] = {0, 1};
    csm_churn_model *m = NULL;
    csm_error e;
    ck_assert_int_eq(csm_churn_model_fit(&m, x, y, SIZE_MAX / 2 + 1, 2, NULL,
                                         &e),
                     CSM_EINVAL);
    ck_assert_str_eq(e.field, "p");
    ck_assert_ptr_null(m);

    /* projection: (months + 1) x scenarios overflows: CSM_ERANGE "months" */
    const double churn[2] = {0.01, 0.02};
    csm_projection_scenarios sc2 = {churn, NULL, NULL, 2};
    csm_projection *p = NULL;
    ck_assert_int_eq(csm_projection_mrr_table(&p, SIZE_MAX, 100, &sc2, NULL, &e),
                     CSM_ERANGE);
    ck_assert_str_eq(e.field, "months");
    ck_assert_ptr_null(p);
}
END_TEST

static Suite *suite(void) {
    Suite *s = suite_create("sentinels");
    TCase *tc = tcase_create("months");
    tcase_set_timeout(tc, 120);
    tcase_add_loop_test(tc, test_month_options, 0, N_LEDGERS);
    tcase_add_test(tc, test_sbg_survivors_months);
    tcase_add_test(tc, test_empty_defaults);
    tcase_add_test(tc, test_last_month);
    tcase_add_test(tc, test_size_overflow);
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
