/* Internal: the result tables of the scalar families (nps.h, ltv.h): n
 * plain result structs copied into a one-table result whose first column
 * is an int32 "group" key that the structs do not hold.  Not installed,
 * not exported.
 *
 * A family writes, for a result struct csm_foo_result with the column list
 * CSM_FOO_RESULT_COLUMNS and a typed view csm_foo_results (result, n_rows,
 * group, then the columns):
 *
 *   #define COL(m, n, ty, st, r, d) \
 *       CSM__COLDEF(csm_foo_results, m, n, ty, st, r, d)
 *   #define OFF(m, n, ty, st, r, d) \
 *       CSM__FIELD_OFFSET(csm_foo_result, m, n, ty, st, r, d)
 *   static const csm__coldef foo_cols[] = {
 *       CSM__GROUP_COLDEF(csm_foo_results) CSM_FOO_RESULT_COLUMNS(COL)};
 *   static const size_t foo_off[] = {0, CSM_FOO_RESULT_COLUMNS(OFF)};
 *   ...
 *   void *v = NULL;
 *   csm_status st = csm__keyed_table(out ? &v : NULL, alloc, "foo",
 *                                    sizeof **out, foo_cols, foo_off,
 *                                    CSM__NCOLS(foo_cols), rows,
 *                                    sizeof *rows, group, n, err);
 *   if (out)
 *       *out = v;
 *   return st;
 */
#ifndef CSM_INTERNAL_KEYED_H
#define CSM_INTERNAL_KEYED_H

#include <stdint.h>
#include <string.h>

#include "internal/table.h"
#include "internal/util.h"

/* The descriptor of the "group" key column of view type T. */
#define CSM__GROUP_COLDEF(T)                                                   \
    CSM__COLDEF(T, group, "group", CODE, I32, KEY,                             \
                "the caller's group code of the row (CSM_CODE_ALL = all "      \
                "groups), or the row index")

/*
 * *out = a one-table result (table and kind `kind`) of n rows: column 0 is
 * the group key (group[i], or i when group is NULL), columns 1.. are
 * copied from the structs at rows + i * stride + field_offset[c]
 * (field_offset[0] is a placeholder: csm__result_from_structs copies a
 * value there that is then overwritten by the key).  Checks the arguments
 * as documented for the public csm_*_table functions.
 */
static inline csm_status csm__keyed_table(void **out, const csm_allocator *a,
                                          const char *kind, size_t view_size,
                                          const csm__coldef *cols,
                                          const size_t *field_offset,
                                          size_t n_cols, const void *rows,
                                          size_t stride, const int32_t *group,
                                          size_t n, csm_error *err) {
    csm_error_clear(err);
    if (!out)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "out", "is NULL");
    *out = NULL;
    if (!rows && n > 0)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "rows", "is NULL");
    if (!group && n > (size_t)INT32_MAX)
        return csm__fail(err, CSM_ERANGE, CSM_NO_ROW, "group",
                         "more rows than int32 row numbers: pass group codes");
    void *view = csm__result_from_structs(a, kind, view_size, kind, cols,
                                          field_offset, n_cols, rows, n,
                                          stride);
    if (!view)
        return csm__fail(err, CSM_ENOMEM, CSM_NO_ROW, NULL, NULL);
    int32_t *key = (int32_t *)csm__result_of(view)->tables[0].columns[0].data;
    for (size_t i = 0; i < n; i++)
        key[i] = group ? group[i] : (int32_t)i;
    *out = view;
    return CSM_OK;
}

#endif
