/*
 * testhooks.i - internal hooks for the Python test suite (tests/python);
 * not part of the public API, not documented for users.
 *
 *   - a counting allocator: a ledger built with opts that went through
 *     csm_py_test_counting_allocator allocates (itself and every result
 *     computed from it, and their Arrow exports) through malloc while
 *     counting the live blocks, so the suite can check that results, their
 *     numpy arrays and their Arrow capsules release everything in any
 *     order;
 *   - csm_py_test_result: a synthetic result with one column of every type
 *     and storage, undefined values of each kind and a second, empty table
 *     without keys, so the generic conversion (csm_py_result) and the
 *     DataFrame rules are tested on every branch before the families that
 *     need them are converted.  It is built with the library's internal
 *     csm__result_new (lib/internal/table.h), exactly as a family builds
 *     its result.
 */

%{
#include <stdatomic.h>
#include "internal/table.h"

static atomic_long csm_py_test_blocks;

static void *csm_py_test_alloc(void *ctx, size_t size) {
    void *p = malloc(size ? size : 1);
    (void)ctx;
    if (p)
        atomic_fetch_add(&csm_py_test_blocks, 1);
    return p;
}

static void csm_py_test_free(void *ctx, void *p) {
    (void)ctx;
    if (p) {
        atomic_fetch_sub(&csm_py_test_blocks, 1);
        free(p);
    }
}

static const csm_allocator csm_py_test_allocator = {csm_py_test_alloc,
                                                    csm_py_test_free, NULL};

/* The synthetic result's two tables, declared as a family declares its
 * columns. */
#define CSM_PY_TEST_SAMPLE_COLUMNS(X)                                          \
    X(month, "month", MONTH, I32, KEY, "month of the row")                     \
    X(group, "group", CODE, I32, KEY, "group code; all on the rollup row")     \
    X(region, "region", CODE, I32, KEY, "always the all code")                 \
    X(day, "day", DAY, I32, MAIN, "a day")                                     \
    X(start, "start", MONTH, I32, DETAIL, "a month, sometimes none")           \
    X(id, "id", ID, I64, DETAIL, "an id")                                      \
    X(count, "count", COUNT, I64, MAIN, "a count")                             \
    X(rate, "rate", FRACTION, F64, MAIN, "a rate, sometimes undefined")        \
    X(flags, "flags", FLAGS, U32, DETAIL, "flag bits")                         \
    X(active, "active", BOOL, U8, MAIN, "a yes/no")                            \
    X(level, "level", NUMBER, U8, DETAIL, "a small number")                    \
    X(label, "label", TEXT, STR, MAIN, "a text, sometimes none")
#define CSM_PY_TEST_CELLS_COLUMNS(X)                                           \
    X(x, "x", NUMBER, F64, MAIN, "a number")                                   \
    X(name, "name", TEXT, STR, DETAIL, "a text")

typedef struct csm_py_test_view {
    csm_result *result;
    CSM_PY_TEST_SAMPLE_COLUMNS(CSM_COLUMN_MEMBER)
    CSM_PY_TEST_CELLS_COLUMNS(CSM_COLUMN_MEMBER)
} csm_py_test_view;

#define CSM_PY_TEST_COL(m, n, ty, st, r, d)                                    \
    CSM__COLDEF(csm_py_test_view, m, n, ty, st, r, d)
static const csm__coldef csm_py_test_sample_cols[] = {
    CSM_PY_TEST_SAMPLE_COLUMNS(CSM_PY_TEST_COL)};
static const csm__coldef csm_py_test_cells_cols[] = {
    CSM_PY_TEST_CELLS_COLUMNS(CSM_PY_TEST_COL)};
#undef CSM_PY_TEST_COL
%}

%inline %{
/* Make a ledger built with `opts` allocate through the counting allocator. */
void csm_py_test_counting_allocator(csm_ledger_opts *opts) {
    opts->allocator = &csm_py_test_allocator;
}

/* Blocks of the counting allocator still live. */
long csm_py_test_live_blocks(void) {
    return atomic_load(&csm_py_test_blocks);
}

/* The synthetic result (kind "test"), converted by csm_py_result; through
 * the counting allocator when `counting`.  Table "sample", 4 rows:
 *   month  24288 24288 24289 24289          (2024-01, 2024-01, 2024-02 x2)
 *   group  1 2 1 ALL                        region ALL x4
 *   day    0 19723 19783 -1                 (1970-01-01, 2024-01-01,
 *                                            2024-03-01, 1969-12-31)
 *   start  24287 NONE 0 24311               (2023-12, -, 0000-01, 2025-12)
 *   id     1 -2 2^40 0      count 10 0 3 7
 *   rate   0.5 NaN 1.25 -0.0
 *   flags  0 2 0xFFFFFFFF 1  active 1 0 1 0  level 0 7 255 1
 *   label  "a" NULL "\u00e9t\u00e9" ""      (UTF-8 for "ete" with accents)
 * Table "cells": 0 rows. */
PyObject *csm_py_test_result(int counting) {
    static const int32_t month[] = {24288, 24288, 24289, 24289};
    static const int32_t group[] = {1, 2, 1, CSM_CODE_ALL};
    static const int32_t day[] = {0, 19723, 19783, -1};
    static const int32_t start[] = {24287, CSM_MONTH_NONE, 0, 24311};
    static const int64_t id[] = {1, -2, (int64_t)1 << 40, 0};
    static const int64_t count[] = {10, 0, 3, 7};
    static const uint32_t flags[] = {0, 2, 0xFFFFFFFFu, 1};
    static const uint8_t active[] = {1, 0, 1, 0};
    static const uint8_t level[] = {0, 7, 255, 1};
    static const char *const label[] = {"a", NULL, "\xc3\xa9t\xc3\xa9", ""};
    csm__tabspec spec[2] = {
        {"sample", csm_py_test_sample_cols,
         CSM__NCOLS(csm_py_test_sample_cols), 4},
        {"cells", csm_py_test_cells_cols, CSM__NCOLS(csm_py_test_cells_cols),
         0}};
    csm_py_test_view *v;
    size_t i;
    v = (csm_py_test_view *)csm__result_new(
        counting ? &csm_py_test_allocator : NULL, "test", sizeof *v, spec, 2,
        NULL, 0, 32);
    if (!v)
        return PyErr_NoMemory();
    for (i = 0; i < 4; i++) {
        v->month[i] = month[i];
        v->group[i] = group[i];
        v->region[i] = CSM_CODE_ALL;
        v->day[i] = day[i];
        v->start[i] = start[i];
        v->id[i] = id[i];
        v->count[i] = count[i];
        v->flags[i] = flags[i];
        v->active[i] = active[i];
        v->level[i] = level[i];
        v->label[i] = label[i] ? csm__result_text(v, label[i]) : NULL;
    }
    v->rate[0] = 0.5;
    v->rate[1] = NAN;
    v->rate[2] = 1.25;
    v->rate[3] = -0.0;
    return csm_py_result(v->result);
}
%}
