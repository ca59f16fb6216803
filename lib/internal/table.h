/* Internal side of the result tables (csmetrics/table.h): how a family
 * turns its X-macro column list into descriptors and allocates its result
 * in one block.  Not installed, not exported.
 *
 * A family writes, next to its compute function:
 *
 *   #define COL(m, n, ty, st, r, d) \
 *       CSM__COLDEF(csm_movements, m, n, ty, st, r, d)
 *   static const csm__coldef cols[] = {CSM_MOVEMENTS_COLUMNS(COL)};
 *   #undef COL
 *   ...
 *   csm__tabspec spec = {"movements", cols, CSM__NCOLS(cols), n_rows};
 *   csm_movements *m = csm__result_new(a, "movements", sizeof *m, &spec, 1,
 *                                      NULL, 0, 0);
 *
 * and fills m->nrr[i] etc.; csm_movements_free(m) is
 * csm_result_free(m->result). */
#ifndef CSM_INTERNAL_TABLE_H
#define CSM_INTERNAL_TABLE_H

#include <stdatomic.h>
#include <stddef.h>

#include "csmetrics/table.h"

/* One column of a family's declaration: where its pointer member sits in
 * the typed struct. */
typedef struct csm__coldef {
    const char *name;
    const char *doc;
    csm_type type;
    csm_storage storage;
    csm_role role;
    size_t offset; /* offsetof(typed struct, member) */
} csm__coldef;

#define CSM__COLDEF(T, member, name, type, storage, role, doc)                 \
    {name, doc, CSM_TYPE_##type, CSM_STORAGE_##storage, CSM_ROLE_##role,       \
     offsetof(T, member)},
/* The offset of a value member in a plain result struct (CSM_FIELD_MEMBER),
 * for csm__result_from_structs. */
#define CSM__FIELD_OFFSET(T, member, name, type, storage, role, doc)           \
    offsetof(T, member),
#define CSM__NCOLS(a) (sizeof(a) / sizeof((a)[0]))

/* One table of a result: its columns and row count. */
typedef struct csm__tabspec {
    const char *name;
    const csm__coldef *cols;
    size_t n_cols;
    size_t n_rows;
} csm__tabspec;

/* An array of the typed struct that is not a column (e.g. row offsets):
 * the pointer member at `offset` gets n elements of `elem` bytes. */
typedef struct csm__extra {
    size_t offset;
    size_t n;
    size_t elem;
} csm__extra;

struct csm_result {
    uint32_t magic;
    atomic_size_t refs; /* the caller's reference + one per live export */
    csm_allocator alloc;
    int has_alloc;
    const char *kind;
    void *view;
    size_t n_tables;
    csm_table *tables;
    char *text;  /* pool for text values (csm__result_text) */
    size_t text_cap, text_used;
};

/*
 * Allocate a result in one block through allocator a (NULL = libc): the
 * header, the typed struct (view_size bytes, zero-filled, whose first
 * member must be `csm_result *result`), the n_tabs tables with their
 * descriptors, every column's n_rows values (zero-filled, 16-byte
 * aligned), the extra arrays, and a text pool of text_bytes bytes.  Each
 * column's pointer member in the typed struct is set to its data.
 * Returns the typed struct, or NULL when out of memory or when the sizes
 * overflow.
 */
void *csm__result_new(const csm_allocator *a, const char *kind,
                      size_t view_size, const csm__tabspec *tabs,
                      size_t n_tabs, const csm__extra *extra, size_t n_extra,
                      size_t text_bytes);

/* Set the null label (csm_column.null_label) of column `column` of table
 * `table` of r: a family whose CODE column's sentinel means something
 * other than "all" (the team table's unassigned owner) says so once, next
 * to its compute function.  Nothing happens if there is no such column. */
void csm__column_set_null_label(csm_result *r, size_t table,
                                const char *column, const char *label);

/* A field offset meaning "not in the structs": csm__result_from_structs
 * leaves that column zero-filled for the caller to fill. */
#define CSM__NO_FIELD SIZE_MAX

/*
 * A one-table result of n rows copied from an array of n plain structs
 * (the value form of a column list, CSM_FIELD_MEMBER), `stride` bytes
 * apart: column c's row i is the field at rows + i*stride + field_offset[c]
 * (a column whose offset is CSM__NO_FIELD is left zero-filled).
 * The typed view (view_size bytes: `csm_result *result`, `size_t n_rows`,
 * then the pointer members) is set as by csm__result_new.  NULL when out of
 * memory.
 */
void *csm__result_from_structs(const csm_allocator *a, const char *kind,
                               size_t view_size, const char *table,
                               const csm__coldef *cols,
                               const size_t *field_offset, size_t n_cols,
                               const void *rows, size_t n, size_t stride);

/* The descriptor of the "group" key column of view type T: the first
 * column of the scalar families' tables (csm_nps_table, csm_ltv_table...),
 * whose structs do not hold it (its field offset is CSM__NO_FIELD). */
#define CSM__GROUP_COLDEF(T)                                                   \
    CSM__COLDEF(T, group, "group", CODE, I32, KEY,                             \
                "the caller's group code of the row (CSM_CODE_ALL = all "      \
                "groups), or the row index")

/*
 * *out = a one-table result (table and kind `kind`) of n rows copied from
 * n plain structs as csm__result_from_structs, whose column 0 is the group
 * key (CSM__GROUP_COLDEF, field offset CSM__NO_FIELD): group[i], or i when
 * group is NULL.  Errors as the public csm_*_table functions document:
 * CSM_EINVAL (out NULL; rows NULL with n > 0), CSM_ERANGE (no group codes
 * and n > INT32_MAX), CSM_ENOMEM; *out is NULL on failure.
 */
csm_status csm__keyed_table(void **out, const csm_result_opts *opts,
                            const char *kind, size_t view_size,
                            const csm__coldef *cols,
                            const size_t *field_offset, size_t n_cols,
                            const void *rows, size_t stride,
                            const int32_t *group, size_t n, csm_error *err);

/* Load a call's csm_result_opts (NULL = defaults) and check its allocator
 * (field "opts.allocator"); *a = the allocator to build the result with
 * (NULL = libc).  CSM_EINVAL for a bad size or a half-set allocator. */
csm_status csm__result_opts_load(const csm_result_opts *opts,
                                 const csm_allocator **a, csm_error *err);

/* Define a family's public `void fn(VIEW *v)` that frees a result made by
 * csm__result_new through its typed struct VIEW (NULL allowed): the
 * one-line alias of csm_result_free every family's _free is. */
#define CSM__DEFINE_RESULT_FREE(fn, VIEW)                                      \
    CSM_API void fn(VIEW *v) { csm_result_free(v ? v->result : NULL); }

/* Define a scalar family's public table function and free from its
 * descriptors `cols` and field offsets `offs` (CSM__GROUP_COLDEF first):
 *   csm_status prefix_table(VIEW **out, const ROW *rows,
 *                           const int32_t *group, size_t n,
 *                           const csm_result_opts *opts, csm_error *err);
 *   void VIEW_free(VIEW *t);
 * as csm__keyed_table documents (table and kind `kind`). */
#define CSM__DEFINE_KEYED_TABLE(prefix, VIEW, ROW, kind, cols, offs)            \
    CSM_API csm_status prefix##_table(VIEW **out, const ROW *rows,              \
                                      const int32_t *group, size_t n,           \
                                      const csm_result_opts *opts,              \
                                      csm_error *err) {                         \
        void *v = NULL;                                                         \
        csm_status st = csm__keyed_table(out ? &v : NULL, opts, kind,           \
                                         sizeof **out, cols, offs,              \
                                         CSM__NCOLS(cols), rows, sizeof *rows,  \
                                         group, n, err);                        \
        if (out)                                                                \
            *out = v;                                                           \
        return st;                                                              \
    }                                                                           \
    CSM__DEFINE_RESULT_FREE(VIEW##_free, VIEW)

/* The allocator a result was made with (NULL = libc): what a result
 * computed from it (health -> bands, at-risk) inherits. */
static inline const csm_allocator *csm__result_allocator(const csm_result *r) {
    return r && r->has_alloc ? &r->alloc : NULL;
}

/* The result of a typed struct made by csm__result_new. */
static inline csm_result *csm__result_of(const void *view) {
    return *(csm_result *const *)view;
}

/* Lower the row count of table i to n (<= its allocated rows), e.g. when
 * the family knows the exact count only after computing. */
void csm__result_set_rows(void *view, size_t table, size_t n);

/* Copy s into the result's text pool; returns the copy, or NULL when the
 * pool is full (size the pool at csm__result_new). */
const char *csm__result_text(void *view, const char *s);

#endif
