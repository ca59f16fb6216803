/* test-common.c - status table, error detail, option loading, calendar and
 * normal-distribution helpers.  Expected values are worked out by hand or
 * taken from published tables (cited inline). */
#include <check.h>
#include <math.h>
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

static Suite *common_suite(void) {
    Suite *s = suite_create("common");
    TCase *tc = tcase_create("status");
    tcase_add_test(tc, test_strerror_names);
    tcase_add_test(tc, test_error_detail);
    suite_add_tcase(s, tc);
    tc = tcase_create("opts");
    tcase_add_test(tc, test_opts_load);
    tcase_add_test(tc, test_version);
    suite_add_tcase(s, tc);
    tc = tcase_create("time");
    tcase_add_test(tc, test_calendar);
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
