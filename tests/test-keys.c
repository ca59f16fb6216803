/* test-keys.c - the key dictionary: ids are ranks of labels in label order
 * (byte order, or numeric when every label is a canonical integer), the
 * same whatever the order of rows; labels back; errors; OOM. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csmetrics/csmetrics.h"
#include "oom.h"

/* Byte order: 'M' (0x4D) < 'c' (0x63), and "cus_a" < "cus_b", so the three
 * distinct labels get Mid-Market 0, cus_a 1, cus_b 2; NULL and "" are no
 * label (-1). */
START_TEST(test_keys_byte_order) {
    const char *lab[] = {"cus_b", "cus_a", "Mid-Market", "cus_a", NULL, ""};
    int64_t ids[6];
    csm_keys *k = NULL;
    ck_assert_int_eq(csm_keys_encode(&k, ids, lab, NULL, 6, NULL, NULL),
                     CSM_OK);
    const int64_t want[] = {2, 1, 0, 1, CSM_KEYS_NONE, CSM_KEYS_NONE};
    for (int i = 0; i < 6; i++)
        ck_assert_int_eq(ids[i], want[i]);
    ck_assert_uint_eq(csm_keys_count(k), 3);
    ck_assert_int_eq(csm_keys_numeric(k), 0);
    size_t len = 0;
    ck_assert_str_eq(csm_keys_label(k, 0, &len), "Mid-Market");
    ck_assert_uint_eq(len, 10);
    ck_assert_str_eq(csm_keys_label(k, 2, NULL), "cus_b");
    ck_assert_ptr_null(csm_keys_label(k, 3, &len));
    ck_assert_uint_eq(len, 0);
    ck_assert_ptr_null(csm_keys_label(k, CSM_KEYS_NONE, NULL));
    ck_assert_ptr_null(csm_keys_label(k, CSM_CODE_ALL, NULL));
    ck_assert_int_eq(csm_keys_find(k, "cus_a", (size_t)-1), 1);
    ck_assert_int_eq(csm_keys_find(k, "cus_ab", 5), 1); /* first 5 bytes */
    ck_assert_int_eq(csm_keys_find(k, "cus_c", (size_t)-1), CSM_KEYS_NONE);
    ck_assert_int_eq(csm_keys_find(k, "", 0), CSM_KEYS_NONE);
    ck_assert_int_eq(csm_keys_none(), -1);
    csm_keys_free(k);
    /* rows in the opposite order, in two add calls: the same ids */
    const char *rev[] = {"", NULL, "cus_a", "Mid-Market", "cus_a", "cus_b"};
    ck_assert_int_eq(csm_keys_new(&k, NULL, NULL), CSM_OK);
    ck_assert_int_eq(csm_keys_add(k, rev, NULL, 3, NULL), CSM_OK);
    ck_assert_int_eq(csm_keys_add(k, rev + 3, NULL, 3, NULL), CSM_OK);
    ck_assert_int_eq(csm_keys_finish(k, NULL), CSM_OK);
    ck_assert_int_eq(csm_keys_finish(k, NULL), CSM_OK); /* again: no-op */
    int32_t ids32[6];
    ck_assert_int_eq(csm_keys_lookup_i32(k, ids32, rev, NULL, 6, NULL),
                     CSM_OK);
    const int32_t want_rev[] = {-1, -1, 1, 0, 1, 2};
    for (int i = 0; i < 6; i++)
        ck_assert_int_eq(ids32[i], want_rev[i]);
    csm_keys_free(k);
}
END_TEST

/* A label that is a prefix of another comes first: a < ab < abc. */
START_TEST(test_keys_prefix) {
    const char *lab[] = {"abc", "a", "ab"};
    int64_t ids[3];
    csm_keys *k = NULL;
    ck_assert_int_eq(csm_keys_encode(&k, ids, lab, NULL, 3, NULL, NULL),
                     CSM_OK);
    ck_assert_int_eq(ids[0], 2);
    ck_assert_int_eq(ids[1], 0);
    ck_assert_int_eq(ids[2], 1);
    csm_keys_free(k);
}
END_TEST

/* Canonical integers order as numbers: -3 < 0 < 2 < 10; one label that is
 * not canonical ("02") makes the whole dictionary byte-ordered:
 * "02" < "10" < "2". */
START_TEST(test_keys_numeric) {
    const char *lab[] = {"10", "2", "-3", "0"};
    int64_t ids[4];
    csm_keys *k = NULL;
    ck_assert_int_eq(csm_keys_encode(&k, ids, lab, NULL, 4, NULL, NULL),
                     CSM_OK);
    ck_assert_int_eq(csm_keys_numeric(k), 1);
    ck_assert_int_eq(ids[0], 3);
    ck_assert_int_eq(ids[1], 2);
    ck_assert_int_eq(ids[2], 0);
    ck_assert_int_eq(ids[3], 1);
    ck_assert_str_eq(csm_keys_label(k, 3, NULL), "10");
    csm_keys_free(k);
    const char *mixed[] = {"10", "2", "02"};
    ck_assert_int_eq(csm_keys_encode(&k, ids, mixed, NULL, 3, NULL, NULL),
                     CSM_OK);
    ck_assert_int_eq(csm_keys_numeric(k), 0);
    ck_assert_int_eq(ids[0], 1);
    ck_assert_int_eq(ids[1], 2);
    ck_assert_int_eq(ids[2], 0);
    csm_keys_free(k);
    /* "-0", "+1", 19 digits are not canonical either: byte order */
    const char *odd[][2] = {{"-0", "1"}, {"+1", "1"},
                            {"1000000000000000000", "2"}};
    for (int t = 0; t < 3; t++) {
        ck_assert_int_eq(csm_keys_encode(&k, ids, odd[t], NULL, 2, NULL, NULL),
                         CSM_OK);
        ck_assert_int_eq(csm_keys_numeric(k), 0);
        csm_keys_free(k);
    }
    /* an empty dictionary is not numeric */
    ck_assert_int_eq(csm_keys_encode(&k, NULL, NULL, NULL, 0, NULL, NULL),
                     CSM_OK);
    ck_assert_uint_eq(csm_keys_count(k), 0);
    ck_assert_int_eq(csm_keys_numeric(k), 0);
    csm_keys_free(k);
}
END_TEST

/* Labels given as slices of one buffer with lengths (as a CSV parser or an
 * Arrow string column holds them). */
START_TEST(test_keys_lengths) {
    const char buf[] = "cus_1cus_22cus_1";
    const char *lab[] = {buf, buf + 5, buf + 11};
    const size_t len[] = {5, 6, 5};
    int64_t ids[3];
    csm_keys *k = NULL;
    ck_assert_int_eq(csm_keys_encode(&k, ids, lab, len, 3, NULL, NULL),
                     CSM_OK);
    ck_assert_uint_eq(csm_keys_count(k), 2);
    ck_assert_int_eq(ids[0], 0);
    ck_assert_int_eq(ids[1], 1);
    ck_assert_int_eq(ids[2], 0);
    ck_assert_str_eq(csm_keys_label(k, 1, NULL), "cus_22");
    csm_keys_free(k);
    /* a NUL inside a given length is an error naming the row */
    const char nul[] = "ab\0cd";
    const char *bad[] = {"x", nul};
    const size_t bad_len[] = {1, 5};
    csm_error e;
    ck_assert_int_eq(csm_keys_encode(&k, ids, bad, bad_len, 2, NULL, &e),
                     CSM_EDOMAIN);
    ck_assert_ptr_null(k);
    ck_assert_uint_eq(e.row, 1);
    ck_assert_str_eq(e.field, "labels");
}
END_TEST

START_TEST(test_keys_errors) {
    csm_keys *k = NULL;
    csm_error e;
    const char *lab[] = {"a", "b"};
    int64_t ids[2];
    ck_assert_int_eq(csm_keys_new(NULL, NULL, NULL), CSM_EINVAL);
    ck_assert_int_eq(csm_keys_new(&k, NULL, NULL), CSM_OK);
    ck_assert_int_eq(csm_keys_add(k, NULL, NULL, 1, NULL), CSM_EINVAL);
    ck_assert_int_eq(csm_keys_add(k, lab, NULL, 1, NULL), CSM_OK);
    /* not finished: no lookup, no labels */
    ck_assert_int_eq(csm_keys_lookup(k, ids, lab, NULL, 1, &e), CSM_EINVAL);
    ck_assert_str_eq(e.field, "keys");
    ck_assert_ptr_null(csm_keys_label(k, 0, NULL));
    ck_assert_int_eq(csm_keys_find(k, "a", 1), CSM_KEYS_NONE);
    ck_assert_int_eq(csm_keys_finish(k, NULL), CSM_OK);
    /* finished: no more labels */
    ck_assert_int_eq(csm_keys_add(k, lab + 1, NULL, 1, &e), CSM_EINVAL);
    /* "b" was never added: not found, row 1, ids before it filled */
    ids[0] = 99;
    ck_assert_int_eq(csm_keys_lookup(k, ids, lab, NULL, 2, &e),
                     CSM_ENOTFOUND);
    ck_assert_uint_eq(e.row, 1);
    ck_assert_int_eq(ids[0], 0);
    ck_assert_ptr_nonnull(strstr(e.text, "'b'"));
    ck_assert_int_eq(csm_keys_lookup(k, NULL, lab, NULL, 1, NULL), CSM_EINVAL);
    ck_assert_int_eq(csm_keys_lookup(NULL, ids, lab, NULL, 1, NULL),
                     CSM_EINVAL);
    ck_assert_int_eq(csm_keys_lookup(k, ids, NULL, NULL, 0, NULL), CSM_OK);
    csm_keys_free(k);
    csm_keys_free(NULL);
    ck_assert_uint_eq(csm_keys_count(NULL), 0);
    /* a bad allocator and a bad opts size */
    csm_allocator half = {fail_alloc, NULL, NULL, NULL};
    csm_keys_opts o = CSM_KEYS_OPTS_INIT;
    o.allocator = &half;
    ck_assert_int_eq(csm_keys_new(&k, &o, &e), CSM_EINVAL);
    ck_assert_str_eq(e.field, "opts.allocator");
    o.allocator = NULL;
    o.size = 1;
    ck_assert_int_eq(csm_keys_new(&k, &o, NULL), CSM_EINVAL);
    ck_assert_int_eq(csm_keys_opts_init(&o, sizeof o), CSM_OK);
    ck_assert_uint_eq(o.size, sizeof o);
    ck_assert_ptr_null(o.allocator);
}
END_TEST

/* 200,000 labels "k000000".."k199999" in a shuffled order (the table and
 * the pool grow many times): zero-padded, so byte order is number order
 * and the id of "kNNNNNN" is NNNNNN; every label comes back. */
START_TEST(test_keys_many) {
    enum { N = 200000 };
    char *buf = malloc((size_t)N * 8);
    const char **lab = malloc(N * sizeof *lab);
    int64_t *ids = malloc(N * sizeof *ids);
    int *perm = malloc(N * sizeof *perm);
    for (int i = 0; i < N; i++)
        perm[i] = i;
    unsigned s = 12345;
    for (int i = N - 1; i > 0; i--) {
        s = s * 1103515245u + 12345u;
        int j = (int)((s >> 8) % (unsigned)(i + 1)), t = perm[i];
        perm[i] = perm[j];
        perm[j] = t;
    }
    for (int i = 0; i < N; i++) {
        snprintf(buf + 8 * i, 8, "k%06d", perm[i]);
        lab[i] = buf + 8 * i;
    }
    csm_keys *k = NULL;
    ck_assert_int_eq(csm_keys_encode(&k, ids, lab, NULL, N, NULL, NULL),
                     CSM_OK);
    ck_assert_uint_eq(csm_keys_count(k), N);
    for (int i = 0; i < N; i++) {
        ck_assert_int_eq(ids[i], perm[i]);
        ck_assert_str_eq(csm_keys_label(k, perm[i], NULL), lab[i]);
    }
    csm_keys_free(k);
    free(buf);
    free(lab);
    free(ids);
    free(perm);
}
END_TEST

/* Every allocation fails in turn: a clean error, nothing leaks; with no
 * failure the ids are right. */
START_TEST(test_keys_oom) {
    enum { N = 3000 };
    char (*buf)[8] = malloc(N * sizeof *buf);
    const char **lab = malloc(N * sizeof *lab);
    int64_t *ids = malloc(N * sizeof *ids);
    for (int i = 0; i < N; i++) {
        snprintf(buf[i], 8, "x%04d", N - 1 - i);
        lab[i] = buf[i];
    }
    int done = 0;
    for (long budget = 0; budget < 200 && !done; budget++) {
        fail_ctx f = {budget, 0};
        csm_allocator a = {fail_alloc, fail_free, &f, NULL};
        csm_keys_opts o = CSM_KEYS_OPTS_INIT;
        o.allocator = &a;
        csm_keys *k = NULL;
        csm_status st = csm_keys_encode(&k, ids, lab, NULL, N, &o, NULL);
        if (st == CSM_OK) {
            done = 1;
            ck_assert_int_eq(ids[0], N - 1);
            ck_assert_int_eq(ids[N - 1], 0);
            csm_keys_free(k);
        } else {
            ck_assert_int_eq(st, CSM_ENOMEM);
            ck_assert_ptr_null(k);
        }
        ck_assert_int_eq(f.live, 0);
    }
    ck_assert(done);
    free(buf);
    free(lab);
    free(ids);
}
END_TEST

int main(void) {
    Suite *s = suite_create("keys");
    TCase *tc = tcase_create("ids");
    tcase_add_test(tc, test_keys_byte_order);
    tcase_add_test(tc, test_keys_prefix);
    tcase_add_test(tc, test_keys_numeric);
    tcase_add_test(tc, test_keys_lengths);
    tcase_add_test(tc, test_keys_many);
    tcase_set_timeout(tc, 120); /* the 200k case on a loaded machine */
    suite_add_tcase(s, tc);
    tc = tcase_create("edge");
    tcase_add_test(tc, test_keys_errors);
    tcase_add_test(tc, test_keys_oom);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
