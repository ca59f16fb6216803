/* test-common.c - status table, error detail, option loading, calendar and
 * normal-distribution helpers.  Expected values are worked out by hand or
 * taken from published tables (cited inline). */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csmetrics/csmetrics.h"
#include "internal/util.h"

START_TEST(test_strerror_names) {
    ck_assert_str_eq(csm_strerror(CSM_OK), "success");
    ck_assert_str_eq(csm_status_name(CSM_EDOMAIN), "EDOMAIN");
    ck_assert_str_eq(csm_status_name(CSM_EDUP), "EDUP");
    ck_assert_str_eq(csm_strerror((csm_status)999), "unknown status");
    ck_assert_str_eq(csm_status_name((csm_status)-7), "UNKNOWN");
    /* pinned values */
    ck_assert_int_eq(CSM_OK, 0);
    ck_assert_int_eq(CSM_EINVAL, 1);
    ck_assert_int_eq(CSM_EDOMAIN, 2);
    ck_assert_int_eq(CSM_ENOMEM, 3);
    ck_assert_int_eq(CSM_EDUP, 4);
}
END_TEST

START_TEST(test_error_detail) {
    csm_error e;
    csm_error_clear(&e);
    ck_assert_int_eq(e.code, CSM_OK);
    ck_assert(e.row == CSM_NO_ROW);
    csm_status s = csm__fail(&e, CSM_EDOMAIN, 7, "mrr", "must be >= 0");
    ck_assert_int_eq(s, CSM_EDOMAIN);
    ck_assert_uint_eq(e.row, 7);
    ck_assert_str_eq(e.field, "mrr");
    ck_assert_str_eq(e.text, "EDOMAIN: row 7, field 'mrr': must be >= 0");
    ck_assert_int_eq(csm__fail(NULL, CSM_EINVAL, CSM_NO_ROW, NULL, NULL),
                     CSM_EINVAL);
}
END_TEST

/* The one formatter: every combination of row, field and a finer place,
 * texts written out by hand from the documented format
 * "NAME: row R, <place>: <explanation>". */
START_TEST(test_error_format) {
    csm_error e;
    ck_assert_int_eq(csm_error_set(&e, CSM_EDOMAIN, 3, NULL, "bad"),
                     CSM_EDOMAIN);
    ck_assert_str_eq(e.text, "EDOMAIN: row 3: bad");
    ck_assert_ptr_null(e.field);
    csm_error_set(&e, CSM_EINVAL, CSM_NO_ROW, "weights", "length differs");
    ck_assert_str_eq(e.text, "EINVAL: field 'weights': length differs");
    ck_assert_uint_eq(e.row, CSM_NO_ROW);
    /* msg NULL: the status message */
    csm_error_set(&e, CSM_ENOMEM, CSM_NO_ROW, NULL, NULL);
    ck_assert_str_eq(e.text, "ENOMEM: out of memory");
    ck_assert_str_eq(e.msg, "out of memory");
    ck_assert_int_eq(csm_error_set(NULL, CSM_ERANGE, 1, "x", "y"), CSM_ERANGE);
    /* a finer place replaces "field 'F'" in the text only */
    csm__failf(&e, CSM_EINVAL, CSM_NO_ROW, "spec", "invalid scorecard spec",
               "$.groups[1].weight", "must be >= %d", 0);
    ck_assert_str_eq(e.text, "EINVAL: $.groups[1].weight: must be >= 0");
    ck_assert_str_eq(e.field, "spec");
    ck_assert_str_eq(e.msg, "invalid scorecard spec");
    csm__failf(&e, CSM_EMISSING, 4, "values", "missing", "measure 'x'", NULL);
    ck_assert_str_eq(e.text, "EMISSING: row 4, measure 'x': missing");
    /* cut at CSM_ERROR_TEXT_MAX - 1 bytes, still NUL-terminated: 300 'a'
     * after "EINVAL: " (8 bytes) leave 255 - 8 = 247 of them */
    char big[301];
    memset(big, 'a', 300);
    big[300] = '\0';
    csm__failf(&e, CSM_EINVAL, CSM_NO_ROW, NULL, "m", NULL, "%s", big);
    ck_assert_uint_eq(strlen(e.text), CSM_ERROR_TEXT_MAX - 1);
    ck_assert_int_eq(e.text[8], 'a');
    csm__failf(&e, CSM_EINVAL, 2, NULL, "m", big, "tail");
    ck_assert_uint_eq(strlen(e.text), CSM_ERROR_TEXT_MAX - 1);
    ck_assert(strncmp(e.text, "EINVAL: row 2, aaa", 18) == 0);
}
END_TEST

/* ---- the allocator check in every function that accepts one ---------- */
typedef struct {
    long live; /* blocks allocated and not yet freed */
    long total;
} count_ctx;
static void *count_alloc(void *ctx, size_t n) {
    count_ctx *c = ctx;
    c->live++;
    c->total++;
    return malloc(n);
}
static void count_free(void *ctx, void *p) {
    count_ctx *c = ctx;
    if (p)
        c->live--;
    free(p);
}

#define SPEC                                                                  \
    "{\"groups\": [{\"name\": \"g\", \"measures\": [{\"name\": \"x\", "     \
    "\"transform\": {\"type\": \"linear\", \"min\": 0, \"max\": 10}}]}]}"

/* One call per entry point: `a` is the allocator under test; on CSM_OK
 * the result is released before returning. */
typedef csm_status (*alloc_call)(const csm_allocator *a, csm_error *e);

static const int64_t one_id[] = {7};
static const int32_t one_month[] = {24288};
static const int32_t one_day[] = {19723}; /* 2024-01-01 */
static const double one_value[] = {100.0};
static const int32_t one_count[] = {1};

static csm_status call_ledger_new(const csm_allocator *a, csm_error *e) {
    csm_ledger_opts o = CSM_LEDGER_OPTS_INIT;
    o.allocator = a;
    csm_ledger *l = NULL;
    csm_status st =
        csm_ledger_new(&l, one_id, one_month, one_value, NULL, 1, &o, e);
    csm_ledger_free(l);
    return st;
}
static csm_status call_from_contracts(const csm_allocator *a, csm_error *e) {
    csm_ledger_opts lo = CSM_LEDGER_OPTS_INIT;
    lo.allocator = a;
    csm_contracts ct;
    memset(&ct, 0, sizeof ct);
    ct.customer_id = one_id;
    ct.start_day = one_day;
    ct.end_day = one_day;
    ct.amount = one_value;
    ct.interval_count = one_count;
    ct.n = 1;
    csm_ledger *l = NULL;
    csm_status st = csm_ledger_from_contracts(&l, &ct, NULL, &lo, e);
    csm_ledger_free(l);
    return st;
}
static csm_status call_activity(const csm_allocator *a, csm_error *e) {
    csm_activity_opts o = CSM_ACTIVITY_OPTS_INIT;
    o.allocator = a;
    csm_activity_rows rw;
    memset(&rw, 0, sizeof rw);
    csm_activity *r = NULL;
    csm_status st = csm_activity_compute(&r, &rw, &o, e);
    csm_activity_free(r);
    return st;
}
static csm_status call_renewals(const csm_allocator *a, csm_error *e) {
    csm_renewals_opts o = CSM_RENEWALS_OPTS_INIT;
    o.allocator = a;
    csm_contracts k;
    memset(&k, 0, sizeof k);
    k.customer_id = one_id;
    k.start_day = one_day;
    k.end_day = one_day;
    k.amount = one_value;
    k.interval_count = one_count;
    k.n = 1;
    csm_renewals *r = NULL;
    csm_status st = csm_renewals_compute(&r, NULL, NULL, &k, one_day[0] - 10,
                                         one_day[0] + 10, &o, e);
    csm_renewals_free(r);
    return st;
}
static csm_status call_km(const csm_allocator *a, csm_error *e) {
    csm_km_opts o = CSM_KM_OPTS_INIT;
    o.allocator = a;
    const double d[] = {3.0};
    const uint8_t ev[] = {1};
    csm_km *k = NULL;
    csm_status st = csm_km_compute(&k, d, ev, NULL, NULL, 1, &o, e);
    csm_km_free(k);
    return st;
}
static csm_status call_sbg_survivors(const csm_allocator *a, csm_error *e) {
    csm_sbg_survivors_opts o = CSM_SBG_SURVIVORS_OPTS_INIT;
    o.allocator = a;
    const double d[] = {3.0};
    csm_sbg_survivors *s = NULL;
    csm_status st =
        csm_sbg_survivors_from_lifetimes(&s, one_month, d, NULL, 1, &o, e);
    csm_sbg_survivors_free(s);
    return st;
}
static csm_status call_sbg_table(const csm_allocator *a, csm_error *e) {
    csm_sbg_fits *t = NULL;
    csm_status st = csm_sbg_table(&t, NULL, 0, &(csm_result_opts){sizeof(csm_result_opts), a}, e);
    csm_sbg_fits_free(t);
    return st;
}
static csm_status call_sbg_project(const csm_allocator *a, csm_error *e) {
    csm_sbg_projection *p = NULL;
    csm_status st = csm_sbg_project(&p, 3, 1.0, 2.0, 100.0, &(csm_result_opts){sizeof(csm_result_opts), a}, e);
    csm_sbg_projection_free(p);
    return st;
}
static csm_status call_sbg_model(const csm_allocator *a, csm_error *e) {
    const csm_sbg fit = {.alpha = 1.0, .beta = 2.0};
    csm_sbg_models *m = NULL;
    csm_status st = csm_sbg_model(&m, &fit, 1, 100.0, 0.1,
                                  &(csm_result_opts){sizeof(csm_result_opts), a}, e);
    csm_sbg_models_free(m);
    return st;
}
static csm_status call_scorecard(const csm_allocator *a, csm_error *e) {
    csm_health_scorecard *sc = NULL;
    csm_status st = csm_health_scorecard_from_json(&sc, SPEC, strlen(SPEC), &(csm_health_scorecard_opts){sizeof(csm_health_scorecard_opts), a}, e);
    csm_health_scorecard_free(sc);
    return st;
}
#define KEYED_CALL(fn, VIEW, ROW)                                             \
    static csm_status call_##fn(const csm_allocator *a, csm_error *e) {       \
        ROW row;                                                              \
        memset(&row, 0, sizeof row);                                          \
        VIEW *t = NULL;                                                       \
        csm_status st = fn(&t, &row, NULL, 1, &(csm_result_opts){sizeof(csm_result_opts), a}, e);\
        csm_result_free(t ? t->result : NULL);                                \
        return st;                                                            \
    }
KEYED_CALL(csm_ltv_table, csm_ltv_results, csm_ltv_result)
KEYED_CALL(csm_metric_table, csm_metric_results, csm_metric)
KEYED_CALL(csm_nps_table, csm_nps_results, csm_nps_result)
KEYED_CALL(csm_nps_diff_table, csm_nps_diff_results, csm_nps_diff)
KEYED_CALL(csm_csat_table, csm_csat_results, csm_csat_result)
KEYED_CALL(csm_ces_table, csm_ces_results, csm_ces_result)
static csm_status call_nps_by_group(const csm_allocator *a, csm_error *e) {
    const int8_t sc[] = {9};
    const int32_t g[] = {1};
    csm_nps_results *t = NULL;
    csm_status st = csm_nps_by_group(&t, sc, NULL, g, 1, &(csm_nps_opts){sizeof(csm_nps_opts), 0.95, a}, e);
    csm_nps_results_free(t);
    return st;
}
static csm_status call_project(const csm_allocator *a, csm_error *e) {
    const double churn[] = {0.02}, exp_[] = {0.01}, nw[] = {0.0};
    csm_projection *p = NULL;
    csm_status st =
        csm_projection_mrr_table(&p, 2, 1000.0, &(csm_projection_scenarios){churn, exp_, nw,1}, &(csm_result_opts){sizeof(csm_result_opts), a}, e);
    csm_projection_free(p);
    return st;
}

static const struct {
    const char *name;
    alloc_call call;
    const char *field; /* the parameter or option named in the error */
} alloc_entries[] = {
    {"csm_ledger_new", call_ledger_new, "opts.allocator"},
    {"csm_ledger_from_contracts", call_from_contracts,
     "ledger_opts.allocator"},
    {"csm_activity_compute", call_activity, "opts.allocator"},
    {"csm_renewals_compute", call_renewals, "opts.allocator"},
    {"csm_km_compute", call_km, "opts.allocator"},
    {"csm_sbg_survivors_from_lifetimes", call_sbg_survivors,
     "opts.allocator"},
    {"csm_sbg_table", call_sbg_table, "opts.allocator"},
    {"csm_sbg_project", call_sbg_project, "opts.allocator"},
    {"csm_sbg_model", call_sbg_model, "opts.allocator"},
    {"csm_health_scorecard_from_json", call_scorecard, "opts.allocator"},
    {"csm_ltv_table", call_csm_ltv_table, "opts.allocator"},
    {"csm_metric_table", call_csm_metric_table, "opts.allocator"},
    {"csm_nps_table", call_csm_nps_table, "opts.allocator"},
    {"csm_nps_diff_table", call_csm_nps_diff_table, "opts.allocator"},
    {"csm_csat_table", call_csm_csat_table, "opts.allocator"},
    {"csm_ces_table", call_csm_ces_table, "opts.allocator"},
    {"csm_nps_by_group", call_nps_by_group, "opts.allocator"},
    {"csm_projection_mrr_table", call_project, "opts.allocator"},
};
#define N_ALLOC_ENTRIES (sizeof alloc_entries / sizeof alloc_entries[0])

/* _i = 3 * entry + case: case 0 alloc without free, 1 free without alloc,
 * 2 neither.  Each is CSM_EINVAL naming the field, and nothing went
 * through the half allocator (a crash or a leak under valgrind/ASan
 * otherwise).  Control: the same call with the whole allocator succeeds
 * and every block it allocated through it was given back. */
START_TEST(test_alloc_check) {
    const size_t k = (size_t)_i / 3;
    const int which = _i % 3;
    count_ctx c = {0, 0};
    csm_allocator half = {which == 0 ? count_alloc : NULL,
                          which == 1 ? count_free : NULL, &c, NULL};
    csm_error e;
    csm_error_clear(&e);
    csm_status st = alloc_entries[k].call(&half, &e);
    ck_assert_msg(st == CSM_EINVAL, "%s: status %s (%s)",
                  alloc_entries[k].name, csm_status_name(st), e.text);
    ck_assert_int_eq(e.code, CSM_EINVAL);
    ck_assert_msg(e.field && strcmp(e.field, alloc_entries[k].field) == 0,
                  "%s: field %s", alloc_entries[k].name,
                  e.field ? e.field : "(null)");
    const char *why = which == 0   ? "free is NULL"
                      : which == 1 ? "alloc is NULL"
                                   : "both are NULL";
    ck_assert_msg(strstr(e.text, why) != NULL, "%s: %s",
                  alloc_entries[k].name, e.text);
    char want[80];
    snprintf(want, sizeof want, "EINVAL: field '%s': an allocator needs",
             alloc_entries[k].field);
    ck_assert_msg(strncmp(e.text, want, strlen(want)) == 0, "%s", e.text);
    ck_assert_int_eq(c.total, 0);

    csm_allocator whole = {count_alloc, count_free, &c, NULL};
    st = alloc_entries[k].call(&whole, &e);
    ck_assert_msg(st == CSM_OK, "%s: %s", alloc_entries[k].name, e.text);
    ck_assert_msg(c.total > 0, "%s did not use the allocator",
                  alloc_entries[k].name);
    ck_assert_int_eq(c.live, 0);
}
END_TEST

typedef struct {
    size_t size;
    double a;
    int b;
} opts_v2;
typedef struct {
    size_t size;
    double a;
} opts_v1;

START_TEST(test_opts_load) {
    opts_v2 d = {sizeof(opts_v2), 1.0, 5};
    /* an old caller compiled against v1 only sets a */
    opts_v1 old = {sizeof(opts_v1), 2.5};
    ck_assert_int_eq(csm__opts_load(&d, sizeof d, &old, NULL), CSM_OK);
    ck_assert_double_eq(d.a, 2.5);
    ck_assert_int_eq(d.b, 5); /* default kept */
    opts_v1 bad = {0, 9.0};
    csm_error e;
    ck_assert_int_eq(csm__opts_load(&d, sizeof d, &bad, &e), CSM_EINVAL);
    ck_assert_str_eq(e.field, "opts.size");
    ck_assert_int_eq(csm__opts_load(&d, sizeof d, NULL, NULL), CSM_OK);
}
END_TEST

START_TEST(test_version) {
    ck_assert_str_eq(csm_version(), CSM_VERSION_STRING);
    ck_assert_uint_eq(csm_version_number(), CSM_VERSION_NUMBER);
    ck_assert_uint_eq(csm_version_number(),
                      (uint32_t)(CSM_VERSION_MAJOR * 10000 +
                                 CSM_VERSION_MINOR * 100 + CSM_VERSION_PATCH));
}
END_TEST

START_TEST(test_calendar) {
    /* 2024-01: 2024*12 + 0 */
    ck_assert_int_eq(csm_month(2024, 1), 24288);
    ck_assert_int_eq(csm_month_year(24288 + 11), 2024);
    ck_assert_int_eq(csm_month_month(24288 + 11), 12);
    /* total at the ends of int32 (UBSan checks there is no overflow):
     * INT32_MIN = -178956971 x 12 + 4 -> year -178956971, month 5;
     * INT32_MAX = 178956970 x 12 + 7 -> year 178956970, month 8 */
    ck_assert_int_eq(csm_month_year(INT32_MIN), -178956971);
    ck_assert_int_eq(csm_month_month(INT32_MIN), 5);
    ck_assert_int_eq(csm_month_year(INT32_MAX), 178956970);
    ck_assert_int_eq(csm_month_month(INT32_MAX), 8);
    ck_assert_int_eq(csm_month(178956970, 8), INT32_MAX);
    ck_assert_int_eq(csm_month(178956970, 9), CSM_MONTH_NONE);
    ck_assert_int_eq(csm_month(-178956971, 6), INT32_MIN + 1);
    ck_assert_int_eq(csm_month(-178956971, 5), CSM_MONTH_NONE);
    ck_assert_int_eq(csm_month(INT32_MIN, INT32_MIN), CSM_MONTH_NONE);
    ck_assert_int_eq(csm_month(2024, 13), csm_month(2025, 1));
    ck_assert_int_eq(csm_day(1970, 1, 1), 0);
    /* 54 years of 365 days plus 13 leap days (1972..2020) */
    ck_assert_int_eq(csm_day(2024, 1, 1), 19723);
    /* 2000-03-01: 30 years*365 + 7 leap days (72..96) + 31+29 */
    ck_assert_int_eq(csm_day(2000, 3, 1), 10957 + 60);
    ck_assert_int_eq(csm_day(1969, 12, 31), -1);
    int32_t y, m, d;
    csm_day_to_ymd(&y, &m, &d, 19723 + 59); /* 2024-02-29 */
    ck_assert_int_eq(y, 2024);
    ck_assert_int_eq(m, 2);
    ck_assert_int_eq(d, 29);
    ck_assert_int_eq(csm_day_month(19723 + 59), csm_month(2024, 2));
    for (int32_t z = -800000; z < 800000; z += 997) {
        csm_day_to_ymd(&y, &m, &d, z);
        ck_assert_int_eq(csm_day(y, m, d), z);
    }
}
END_TEST

/* Finding 1: the day helpers overflowed int32 near its ends
 * (csm_day_month(INT32_MAX) gave -70531687).  Expected dates from an
 * independent computation (Python's datetime over one 400-year cycle of
 * 146097 days): divmod(z, 146097) = (q, r), date = 1970-01-01 + r days,
 * year + 400 q:
 *   INT32_MAX       -> 5881580-07-11, month 5881580*12 + 6 = 70578966
 *   INT32_MIN       -> -5877641-06-23, month -5877641*12 + 5 = -70531687
 *   INT32_MAX - 100 -> 5881580-04-02 (the finding's contract day) */
START_TEST(test_calendar_total) {
    int32_t y, m, d;
    csm_day_to_ymd(&y, &m, &d, INT32_MAX);
    ck_assert_int_eq(y, 5881580);
    ck_assert_int_eq(m, 7);
    ck_assert_int_eq(d, 11);
    ck_assert_int_eq(csm_day_month(INT32_MAX), 70578966);
    csm_day_to_ymd(&y, &m, &d, INT32_MIN);
    ck_assert_int_eq(y, -5877641);
    ck_assert_int_eq(m, 6);
    ck_assert_int_eq(d, 23);
    ck_assert_int_eq(csm_day_month(INT32_MIN), -70531687);
    csm_day_to_ymd(&y, &m, &d, INT32_MAX - 100);
    ck_assert_int_eq(y, 5881580);
    ck_assert_int_eq(m, 4);
    ck_assert_int_eq(d, 2);
    /* csm_day goes back at both ends, and a date past int32 is
     * CSM_DAY_NONE instead of a wrapped number: 5881580-07-12 is
     * INT32_MAX + 1, year INT32_MAX about 7.8e11 days */
    ck_assert_int_eq(csm_day(5881580, 7, 11), INT32_MAX);
    ck_assert_int_eq(csm_day(5881580, 7, 12), CSM_DAY_NONE);
    ck_assert_int_eq(csm_day(-5877641, 6, 24), INT32_MIN + 1);
    ck_assert_int_eq(csm_day(-5877641, 6, 22), CSM_DAY_NONE);
    ck_assert_int_eq(csm_day(INT32_MAX, 12, 31), CSM_DAY_NONE);
    ck_assert_int_eq(csm_day(INT32_MIN, 1, 1), CSM_DAY_NONE);
    /* the valid range: years 0001..9999 (Python: date(1, 1, 1) and
     * date(9999, 12, 31) minus date(1970, 1, 1) are -719162 and 2932896
     * days; months 1*12 + 0 = 12 and 9999*12 + 11 = 119999) */
    ck_assert_int_eq(csm_month(1, 1), CSM_MONTH_MIN);
    ck_assert_int_eq(csm_month(9999, 12), CSM_MONTH_MAX);
    ck_assert_int_eq(csm_day(1, 1, 1), CSM_DAY_MIN);
    ck_assert_int_eq(csm_day(9999, 12, 31), CSM_DAY_MAX);
    ck_assert_int_eq(csm_day_month(CSM_DAY_MIN), CSM_MONTH_MIN);
    ck_assert_int_eq(csm_day_month(CSM_DAY_MAX), CSM_MONTH_MAX);
    ck_assert(csm_month_valid(CSM_MONTH_MIN) && csm_month_valid(CSM_MONTH_MAX));
    ck_assert(!csm_month_valid(CSM_MONTH_MIN - 1));
    ck_assert(!csm_month_valid(CSM_MONTH_MAX + 1));
    ck_assert(!csm_month_valid(CSM_MONTH_NONE));
    ck_assert(csm_day_valid(CSM_DAY_MIN) && csm_day_valid(CSM_DAY_MAX));
    ck_assert(!csm_day_valid(CSM_DAY_MIN - 1));
    ck_assert(!csm_day_valid(CSM_DAY_MAX + 1));
    ck_assert(!csm_day_valid(CSM_DAY_NONE));
    /* round trip over every int32 in steps (UBSan: no overflow) */
    for (int64_t z = INT32_MIN; z <= INT32_MAX; z += 65521) {
        csm_day_to_ymd(&y, &m, &d, (int32_t)z);
        ck_assert_int_eq(csm_day(y, m, d), (int32_t)z == INT32_MIN
                                                 ? CSM_DAY_NONE
                                                 : (int32_t)z);
    }
}
END_TEST

START_TEST(test_normal) {
    /* Standard table values: z(0.975) = 1.959963984540054,
     * z(0.95) = 1.6448536269514722, Phi(1) = 0.8413447460685429. */
    ck_assert_double_eq_tol(csm__norm_quantile(0.975), 1.959963984540054,
                            1e-14);
    ck_assert_double_eq_tol(csm__norm_quantile(0.95), 1.6448536269514722,
                            1e-14);
    ck_assert_double_eq_tol(csm__norm_quantile(1e-10), -6.361340902404056,
                            1e-10);
    ck_assert_double_eq_tol(csm__norm_cdf(1.0), 0.8413447460685429, 1e-15);
    ck_assert(isnan(csm__norm_quantile(1.5)));
    /* The far tails (r = sqrt(-log p) > 5, p below about 1.4e-11), the
     * third polynomial of AS241: z(1e-13) = -7.3487961028006765 and
     * z(1 - 1e-13) = 7.348754540300042 (CPython's
     * statistics.NormalDist().inv_cdf; the second is not minus the first
     * because 1 - 1e-13 is not exact in binary), and Phi(z) is p again
     * through erfc, an independent route. */
    double lo = csm__norm_quantile(1e-13), hi = csm__norm_quantile(1 - 1e-13);
    ck_assert_double_eq_tol(lo, -7.3487961028006765, 1e-12);
    ck_assert_double_eq_tol(hi, 7.348754540300042, 1e-12);
    ck_assert_double_eq_tol(csm__norm_cdf(lo) / 1e-13, 1.0, 1e-10);
    ck_assert(isinf(csm__norm_quantile(0.0)) && csm__norm_quantile(0.0) < 0);
    ck_assert(isinf(csm__norm_quantile(1.0)) && csm__norm_quantile(1.0) > 0);
}
END_TEST

START_TEST(test_ksum) {
    /* 1 + 1e100 + 1 - 1e100 = 2 exactly with compensation, 0 without */
    csm__ksum k = {0, 0};
    csm__ksum_add(&k, 1.0);
    csm__ksum_add(&k, 1e100);
    csm__ksum_add(&k, 1.0);
    csm__ksum_add(&k, -1e100);
    ck_assert_double_eq(csm__ksum_value(&k), 2.0);
    uint32_t f = 0;
    ck_assert(isnan(csm__ratio(1.0, 0.0, &f)));
    ck_assert_uint_eq(f, CSM_FLAG_ZERO_DENOMINATOR);
}
END_TEST

/* Every public csm_X_opts_init (the house rule of CONVENTIONS.md, "Parameters
 * and options"): NULL or a size below sizeof(size_t) is CSM_EINVAL; the full
 * size records that size, as CSM_X_OPTS_INIT does (the default values are
 * compared with the header's _INIT macros, member by member, in
 * tests/python/test_bindings.py); a shorter, older size writes only its
 * bytes and records that size. */
#define OPTS_CASE(x, X)                                                       \
    {                                                                         \
        csm_##x##_opts got;                                                   \
        memset(&got, 0xA5, sizeof got);                                       \
        ck_assert_int_eq(csm_##x##_opts_init(NULL, sizeof got), CSM_EINVAL);  \
        ck_assert_int_eq(csm_##x##_opts_init(&got, sizeof(size_t) - 1),       \
                         CSM_EINVAL);                                         \
        ck_assert_int_eq(csm_##x##_opts_init(&got, sizeof got), CSM_OK);      \
        ck_assert_uint_eq(got.size, sizeof got);                              \
        ck_assert_uint_eq(((csm_##x##_opts)X##_OPTS_INIT).size, sizeof got);  \
        unsigned char raw[sizeof got + 8];                                    \
        memset(raw, 0xA5, sizeof raw);                                        \
        ck_assert_int_eq(                                                     \
            csm_##x##_opts_init((csm_##x##_opts *)(void *)raw, sizeof(size_t)), \
            CSM_OK);                                                          \
        size_t sz;                                                            \
        memcpy(&sz, raw, sizeof sz);                                          \
        ck_assert_uint_eq(sz, sizeof(size_t));                                \
        ck_assert_uint_eq(raw[sizeof(size_t)], 0xA5);                         \
    }
START_TEST(test_every_opts_init) {
    OPTS_CASE(activity, CSM_ACTIVITY)
    OPTS_CASE(ces, CSM_CES)
    OPTS_CASE(cohorts, CSM_COHORTS)
    OPTS_CASE(contracts, CSM_CONTRACTS)
    OPTS_CASE(csat, CSM_CSAT)
    OPTS_CASE(health, CSM_HEALTH)
    OPTS_CASE(health_risks, CSM_HEALTH_RISKS)
    OPTS_CASE(health_scorecard, CSM_HEALTH_SCORECARD)
    OPTS_CASE(km, CSM_KM)
    OPTS_CASE(ledger, CSM_LEDGER)
    OPTS_CASE(lifetimes, CSM_LIFETIMES)
    OPTS_CASE(ltv, CSM_LTV)
    OPTS_CASE(movements, CSM_MOVEMENTS)
    OPTS_CASE(nps, CSM_NPS)
    OPTS_CASE(renewals, CSM_RENEWALS)
    OPTS_CASE(result, CSM_RESULT)
    OPTS_CASE(retention, CSM_RETENTION)
    OPTS_CASE(sbg, CSM_SBG)
    OPTS_CASE(sbg_survivors, CSM_SBG_SURVIVORS)
    OPTS_CASE(subscriptions, CSM_SUBSCRIPTIONS)
    OPTS_CASE(team, CSM_TEAM)
    OPTS_CASE(unit_economics, CSM_UNIT_ECONOMICS)
    OPTS_CASE(projection_inputs, CSM_PROJECTION_INPUTS)
}
END_TEST

static Suite *common_suite(void) {
    Suite *s = suite_create("common");
    TCase *tc = tcase_create("status");
    tcase_add_test(tc, test_strerror_names);
    tcase_add_test(tc, test_error_detail);
    tcase_add_test(tc, test_error_format);
    tcase_add_loop_test(tc, test_alloc_check, 0, (int)(3 * N_ALLOC_ENTRIES));
    suite_add_tcase(s, tc);
    tc = tcase_create("opts");
    tcase_add_test(tc, test_opts_load);
    tcase_add_test(tc, test_every_opts_init);
    tcase_add_test(tc, test_version);
    suite_add_tcase(s, tc);
    tc = tcase_create("time");
    tcase_add_test(tc, test_calendar);
    tcase_add_test(tc, test_calendar_total);
    suite_add_tcase(s, tc);
    tc = tcase_create("numeric");
    tcase_add_test(tc, test_normal);
    tcase_add_test(tc, test_ksum);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) {
    SRunner *sr = srunner_create(common_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
