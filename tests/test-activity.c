/* test-activity.c - (stub, being written) */
#include <check.h>
#include <stdlib.h>
#include "csmetrics/csmetrics.h"
START_TEST(test_placeholder) { ck_assert_str_eq(csm_version(), CSM_VERSION_STRING); }
END_TEST
int main(void) {
    Suite *s = suite_create("activity");
    TCase *tc = tcase_create("placeholder");
    tcase_add_test(tc, test_placeholder);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
