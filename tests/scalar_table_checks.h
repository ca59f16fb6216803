/* scalar_table_checks.h - checks shared by the result-table tests of the
 * scalar families (test-nps.c, test-ltv.c, test-projection.c): a table's
 * columns against an expected list written out in the test, Arrow
 * children looked up by name, and the out-of-memory loop (fail each
 * allocation of the table and of its Arrow export in turn; nothing may
 * leak).  Tests only; include after <check.h>. */
#ifndef CSM_TESTS_SCALAR_TABLE_CHECKS_H
#define CSM_TESTS_SCALAR_TABLE_CHECKS_H

#include <math.h>
#include <stdint.h>
#include <string.h>

#include "csmetrics/csmetrics.h"
#include "oom.h"
#include "tables.h"

/* One expected column: name, type, storage, role and Arrow format (from
 * the mapping documented in csmetrics/table.h). */
typedef struct {
    const char *name;
    csm_type type;
    csm_storage storage;
    csm_role role;
    const char *arrow;
} want_arrow_col;

#define WANT_N(a) (sizeof(a) / sizeof((a)[0]))

/* t is the table `name` of a one-table result of kind `name` with n_rows
 * rows and exactly the columns of `want`, in order, each with data and a
 * description. */
static inline void check_table(const csm_result *r, const char *name,
                               size_t n_rows, const want_arrow_col *want,
                               size_t n_want) {
    ck_assert_ptr_nonnull(r);
    ck_assert_str_eq(csm_result_kind(r), name);
    ck_assert_uint_eq(csm_result_n_tables(r), 1);
    const csm_table *t = csm_result_table(r, 0);
    ck_assert_ptr_eq(csm_result_find(r, name), t);
    ck_assert_str_eq(t->name, name);
    ck_assert_uint_eq(t->n_rows, n_rows);
    ck_assert_uint_eq(t->n_columns, n_want);
    for (size_t i = 0; i < n_want; i++) {
        const csm_column *c = &t->columns[i];
        ck_assert_str_eq(c->name, want[i].name);
        ck_assert_int_eq(c->type, want[i].type);
        ck_assert_int_eq(c->storage, want[i].storage);
        ck_assert_int_eq(c->role, want[i].role);
        ck_assert_ptr_nonnull(c->data);
        ck_assert_int_gt(strlen(c->doc), 5);
    }
}

/* Two doubles with the same bits (so NaN equals NaN, and a copy is
 * exact). */
static inline int same_f64(double a, double b) {
    return memcmp(&a, &b, sizeof a) == 0;
}

/* Export the one table of r; check the struct schema against `want`
 * (names, formats, csm.role metadata) and the array's shape. */
static inline void export_checked(struct ArrowSchema *s, struct ArrowArray *a,
                                  csm_result *r, const want_arrow_col *want,
                                  size_t n_want) {
    const csm_table *t = csm_result_table(r, 0);
    ck_assert_int_eq(csm_table_export_arrow(s, a, r, t, NULL), CSM_OK);
    ck_assert_str_eq(s->format, "+s");
    ck_assert_str_eq(s->name, t->name);
    ck_assert_int_eq(s->n_children, (int64_t)n_want);
    ck_assert_int_eq(a->n_children, (int64_t)n_want);
    ck_assert_int_eq(a->length, (int64_t)t->n_rows);
    for (size_t i = 0; i < n_want; i++) {
        ck_assert_str_eq(s->children[i]->name, want[i].name);
        ck_assert_str_eq(s->children[i]->format, want[i].arrow);
        ck_assert_str_eq(arrow_md_value(s->children[i]->metadata, "csm.role"),
                         csm_role_name(want[i].role));
        ck_assert_int_eq(a->children[i]->length, (int64_t)t->n_rows);
    }
}

/* Child array of column `name` of an exported struct. */
static inline const struct ArrowArray *arrow_child(const struct ArrowSchema *s,
                                                   const struct ArrowArray *a,
                                                   const char *name) {
    for (int64_t i = 0; i < s->n_children; i++)
        if (strcmp(s->children[i]->name, name) == 0)
            return a->children[i];
    ck_abort_msg("no Arrow child %s", name);
    return NULL;
}

/* Value i of an exported float64 / int32 child. */
static inline double arrow_f64(const struct ArrowArray *c, size_t i) {
    return ((const double *)c->buffers[1])[i];
}
static inline int32_t arrow_i32(const struct ArrowArray *c, size_t i) {
    return ((const int32_t *)c->buffers[1])[i];
}

/* Builds a table through allocator a; on success *r is its result, on
 * failure the builder has checked that its *out is NULL and sets *r NULL. */
typedef csm_status (*build_fn)(csm_result **r, const csm_allocator *a);

/* Fail the k-th allocation of build() followed by an Arrow export of the
 * result, for k = 0, 1, ... until both succeed: every failure is
 * CSM_ENOMEM and nothing leaks, whichever allocation failed. */
static inline void check_oom(build_fn build) {
    long k;
    for (k = 0; k < 10000; k++) {
        fail_ctx f = {k, 0};
        csm_allocator al = {fail_alloc, fail_free, &f, NULL};
        csm_result *r = NULL;
        csm_status st = build(&r, &al);
        if (st != CSM_OK) {
            ck_assert_int_eq(st, CSM_ENOMEM);
            ck_assert_ptr_null(r);
            ck_assert_int_eq(f.live, 0);
            continue;
        }
        struct ArrowSchema s;
        struct ArrowArray a;
        st = csm_table_export_arrow(&s, &a, r, csm_result_table(r, 0), NULL);
        if (st != CSM_OK) {
            ck_assert_int_eq(st, CSM_ENOMEM);
            csm_result_free(r);
            ck_assert_int_eq(f.live, 0);
            continue;
        }
        csm_result_free(r); /* the export keeps the block alive */
        ck_assert_int_gt(f.live, 0);
        s.release(&s);
        a.release(&a);
        ck_assert_int_eq(f.live, 0);
        break;
    }
    /* the first allocation did fail, and the loop ended in a success */
    ck_assert_int_gt(k, 0);
    ck_assert_int_lt(k, 10000);
}

#endif
