/* fuzz_keys.c - libFuzzer harness: the key dictionary on arbitrary labels
 * (the input split at newlines: any bytes, NULs, empty labels, integers of
 * any size, duplicates), added in two batches, and the same labels encoded
 * in one call.
 * Properties: an empty label is no label (CSM_KEYS_NONE); the others get
 * dense ranks 0..count-1 in label order (numbers as
 * numbers when every label is a canonical integer, else bytes); each label
 * maps to the id whose label it is, back and forth (find, label, lookup);
 * the ids depend only on the set of labels (encode agrees with add +
 * finish; adding the rows in reverse gives the same ids). */
#include "fuzz.h"

#define MAX_LABELS 256

static int cmp_labels(const char *a, size_t la, const char *b, size_t lb,
                      int numeric) {
    if (numeric) {
        long long x = strtoll(a, NULL, 10), y = strtoll(b, NULL, 10);
        return (x > y) - (x < y);
    }
    int c = memcmp(a, b, la < lb ? la : lb);
    return c ? c : (la > lb) - (la < lb);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size > 8192)
        return 0;
    /* The labels: pieces between '\n' (copied, NUL-terminated for the
     * numeric comparison above, lengths given so NULs inside count). */
    char *text = malloc(size + 1);
    memcpy(text, data, size);
    text[size] = '\n';
    const char *labels[MAX_LABELS], *rev[MAX_LABELS];
    size_t lengths[MAX_LABELS], rlen[MAX_LABELS];
    size_t n = 0;
    for (size_t i = 0, s = 0; i <= size && n < MAX_LABELS; i++)
        if (text[i] == '\n') {
            labels[n] = text + s;
            lengths[n] = i - s;
            text[i] = '\0';
            n++;
            s = i + 1;
        }
    for (size_t i = 0; i < n; i++) {
        rev[i] = labels[n - 1 - i];
        rlen[i] = lengths[n - 1 - i];
    }

    csm_error err;
    csm_keys *k = NULL, *e = NULL;
    csm_status st = csm_keys_new(&k, NULL, &err);
    FUZZ_CHECK(st == CSM_OK, "keys_new: %s", err.text);
    size_t half = n / 2;
    st = csm_keys_add(k, labels, lengths, half, &err);
    FUZZ_CHECK_ERR(st, err);
    if (st == CSM_OK)
        st = csm_keys_add(k, labels + half, lengths + half, n - half, &err);
    FUZZ_CHECK_ERR(st, err);
    if (st == CSM_OK)
        st = csm_keys_finish(k, &err);
    FUZZ_CHECK_ERR(st, err);
    int64_t ids[MAX_LABELS], ids2[MAX_LABELS], rids[MAX_LABELS];
    int32_t ids32[MAX_LABELS];
    if (st == CSM_OK) {
        size_t count = csm_keys_count(k);
        int numeric = csm_keys_numeric(k);
        size_t n_labels = 0;
        for (size_t i = 0; i < n; i++)
            n_labels += lengths[i] > 0;
        FUZZ_CHECK(count <= n_labels && (n_labels == 0 || count >= 1),
                   "%zu ids for %zu labels", count, n_labels);
        st = csm_keys_lookup(k, ids, labels, lengths, n, &err);
        FUZZ_CHECK(st == CSM_OK, "lookup of an added label: %s", err.text);
        st = csm_keys_lookup_i32(k, ids32, labels, lengths, n, &err);
        FUZZ_CHECK(st == CSM_OK, "lookup_i32: %s", err.text);
        for (size_t i = 0; i < n; i++) {
            if (lengths[i] == 0) {
                FUZZ_CHECK(ids[i] == CSM_KEYS_NONE && ids32[i] == CSM_KEYS_NONE,
                           "empty label %zu: id %lld", i, (long long)ids[i]);
                continue;
            }
            FUZZ_CHECK(ids[i] >= 0 && (size_t)ids[i] < count && ids32[i] == ids[i],
                       "label %zu: id %lld of %zu", i, (long long)ids[i], count);
            FUZZ_CHECK(csm_keys_find(k, labels[i], lengths[i]) == ids[i],
                       "label %zu: find disagrees", i);
            size_t len = 0;
            const char *back = csm_keys_label(k, ids[i], &len);
            FUZZ_CHECK(back && len == lengths[i] && memcmp(back, labels[i], len) == 0,
                       "label %zu: id %lld gives another label", i,
                       (long long)ids[i]);
        }
        for (size_t i = 0; i + 1 < count; i++) {
            size_t la = 0, lb = 0;
            const char *a = csm_keys_label(k, (int64_t)i, &la);
            const char *b = csm_keys_label(k, (int64_t)i + 1, &lb);
            FUZZ_CHECK(a && b && cmp_labels(a, la, b, lb, numeric) < 0,
                       "ids %zu and %zu out of label order (numeric %d)", i,
                       i + 1, numeric);
        }
        FUZZ_CHECK(csm_keys_label(k, (int64_t)count, NULL) == NULL &&
                       csm_keys_label(k, -1, NULL) == NULL,
                   "a label for an id out of range");
    }
    csm_status st2 = csm_keys_encode(&e, ids2, labels, lengths, n, NULL, &err);
    FUZZ_CHECK_ERR(st2, err);
    FUZZ_CHECK((st == CSM_OK) == (st2 == CSM_OK),
               "add + finish %d, encode %d", (int)st, (int)st2);
    if (st2 == CSM_OK) {
        for (size_t i = 0; i < n; i++)
            FUZZ_CHECK(ids2[i] == ids[i], "encode gives label %zu id %lld, not %lld",
                       i, (long long)ids2[i], (long long)ids[i]);
        csm_keys *r = NULL;
        st2 = csm_keys_encode(&r, rids, rev, rlen, n, NULL, &err);
        FUZZ_CHECK(st2 == CSM_OK, "reversed rows fail: %s", err.text);
        for (size_t i = 0; i < n; i++)
            FUZZ_CHECK(rids[i] == ids[n - 1 - i], "the ids depend on row order");
        csm_keys_free(r);
    }
    csm_keys_free(k);
    csm_keys_free(e);
    free(text);
    return 0;
}
