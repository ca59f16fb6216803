/* tables.h - checks shared by the suites that test result tables and
 * their Arrow export (tests only; csmetrics/table.h). */
#ifndef CSM_TESTS_TABLES_H
#define CSM_TESTS_TABLES_H

#include <check.h>
#include <stdint.h>
#include <string.h>

#include "csmetrics/table.h"

/* Bit i of an Arrow validity or boolean bitmap (NULL = all set). */
static inline int arrow_bit(const void *bitmap, size_t i) {
    return bitmap == NULL || ((const uint8_t *)bitmap)[i / 8] >> (i % 8) & 1;
}

/* Value of `key` in an Arrow schema's metadata (int32 pair count, then
 * int32 length + bytes for each key and value), or NULL. */
static inline const char *arrow_md_value(const char *md, const char *key) {
    static char buf[64];
    int32_t n, kl, vl;
    memcpy(&n, md, 4);
    md += 4;
    for (int32_t i = 0; i < n; i++) {
        memcpy(&kl, md, 4);
        const char *k = md + 4;
        memcpy(&vl, k + kl, 4);
        const char *v = k + kl + 4;
        if ((size_t)kl == strlen(key) && memcmp(k, key, (size_t)kl) == 0 &&
            (size_t)vl < sizeof buf) {
            memcpy(buf, v, (size_t)vl);
            buf[vl] = '\0';
            return buf;
        }
        md = v + vl;
    }
    return NULL;
}

/* Column i of t has this name, type, storage, role and data (the typed
 * member), is found by its name, and has a description. */
static inline void check_column(const csm_table *t, size_t i,
                                const char *name, csm_type type,
                                csm_storage storage, csm_role role,
                                const void *data) {
    ck_assert_uint_lt(i, t->n_columns);
    const csm_column *c = &t->columns[i];
    ck_assert_str_eq(c->name, name);
    ck_assert_int_eq(c->type, type);
    ck_assert_int_eq(c->storage, storage);
    ck_assert_int_eq(c->role, role);
    ck_assert_ptr_eq(c->data, data);
    ck_assert_ptr_eq(csm_table_find(t, name), c);
    ck_assert_int_gt((int)strlen(c->doc), 5);
}

/* A table's expected columns, in order: WANT("name", TYPE, STORAGE, ROLE,
 * member) with the csm_type, csm_storage and csm_role suffixes. */
typedef struct want_col {
    const char *name;
    csm_type type;
    csm_storage storage;
    csm_role role;
    const void *data;
    size_t elem; /* sizeof one element of the member */
} want_col;

#define WANT(name, ty, st, ro, member)                                         \
    {name, CSM_TYPE_##ty, CSM_STORAGE_##st, CSM_ROLE_##ro,                     \
     (const void *)(member), sizeof *(member)}
#define N_WANT(a) (sizeof(a) / sizeof((a)[0]))

/* t has exactly the n columns of w, each as check_column, stored in
 * elements of the member's size. */
static inline void check_columns(const csm_table *t, const want_col *w,
                                 size_t n) {
    ck_assert_uint_eq(t->n_columns, n);
    for (size_t i = 0; i < n; i++) {
        check_column(t, i, w[i].name, w[i].type, w[i].storage, w[i].role,
                     w[i].data);
        ck_assert_uint_eq(csm_storage_size(w[i].storage), w[i].elem);
    }
}

/* Every column of t has its data, a description and a name unique in t. */
static inline void check_columns_sane(const csm_table *t) {
    for (size_t i = 0; i < t->n_columns; i++) {
        ck_assert_ptr_nonnull(t->columns[i].data);
        ck_assert_int_gt((int)strlen(t->columns[i].doc), 5);
        for (size_t j = 0; j < i; j++)
            ck_assert_str_ne(t->columns[i].name, t->columns[j].name);
    }
}

#endif
