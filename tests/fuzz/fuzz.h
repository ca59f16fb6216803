/* fuzz.h - what the libFuzzer harnesses of tests/fuzz share: a reader that
 * turns the fuzzer's bytes into typed values (with the extremes a careless
 * caller passes: INT32_MIN/MAX, NaN, inf, 1e308, denormals), the property
 * check that aborts on a violation, and the generic checks of a result
 * block (every table, every column).  Header-only, for the harnesses. */
#ifndef CSM_FUZZ_H
#define CSM_FUZZ_H

#include <csmetrics/csmetrics.h>

#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A property that must hold whatever the input: print where and why, then
 * abort (libFuzzer saves the input as a crash). */
#define FUZZ_CHECK(cond, ...)                                                  \
    do {                                                                       \
        if (!(cond)) {                                                         \
            fprintf(stderr, "%s:%d: property violated: %s: ", __FILE__,        \
                    __LINE__, #cond);                                          \
            fprintf(stderr, __VA_ARGS__);                                      \
            fputc('\n', stderr);                                               \
            abort();                                                           \
        }                                                                      \
    } while (0)

/* A status that is an error must say so in err (code set, text set). */
#define FUZZ_CHECK_ERR(st, err)                                                \
    FUZZ_CHECK((st) == CSM_OK || ((err).code == (st) && (err).text[0]),        \
               "status %d, err.code %d", (int)(st), (int)(err).code)

typedef struct fuzz_in {
    const uint8_t *p;
    size_t n;
} fuzz_in;

static inline uint8_t fuzz_u8(fuzz_in *in) {
    if (!in->n)
        return 0;
    in->n--;
    return *in->p++;
}

static inline uint32_t fuzz_u32(fuzz_in *in) {
    uint32_t v = 0;
    for (int i = 0; i < 4; i++)
        v = v << 8 | fuzz_u8(in);
    return v;
}

static inline uint64_t fuzz_u64(fuzz_in *in) {
    uint64_t hi = fuzz_u32(in);
    return hi << 32 | fuzz_u32(in);
}

/* An int32 near base (mostly), or one of the extremes. */
static inline int32_t fuzz_i32_near(fuzz_in *in, int32_t base, int32_t span) {
    uint8_t k = fuzz_u8(in);
    switch (k) {
    case 0xff: return INT32_MIN;
    case 0xfe: return INT32_MAX;
    case 0xfd: return INT32_MIN + 1;
    case 0xfc: return INT32_MAX - 1;
    case 0xfb: return (int32_t)fuzz_u32(in);
    case 0xfa: return 0;
    case 0xf9: return -1;
    default: return base + (int32_t)(k % (uint32_t)span);
    }
}

/* a + b, saturated to the int32 range (the harness's own arithmetic must
 * not overflow). */
static inline int32_t fuzz_add_i32(int32_t a, int32_t b) {
    int64_t s = (int64_t)a + b;
    return s < INT32_MIN ? INT32_MIN : s > INT32_MAX ? INT32_MAX : (int32_t)s;
}

/* A double: small integers mostly, else an awkward value. */
static inline double fuzz_f64(fuzz_in *in) {
    uint8_t k = fuzz_u8(in);
    switch (k) {
    case 0xff: return NAN;
    case 0xfe: return INFINITY;
    case 0xfd: return -INFINITY;
    case 0xfc: return DBL_MAX;
    case 0xfb: return 1e308;
    case 0xfa: return DBL_MIN;
    case 0xf9: return 4.9e-324;
    case 0xf8: return -1.0;
    case 0xf7: return 1e17;
    case 0xf6: return 1e-17;
    case 0xf5: return -0.0;
    case 0xf4: {
        uint64_t b = fuzz_u64(in);
        double d;
        memcpy(&d, &b, sizeof d);
        return d;
    }
    case 0xf3: return (double)fuzz_u32(in) / 65536.0;
    default: return (double)k;
    }
}

/* Every table of a result: its columns all carry n_rows readable values
 * (each is read; ASan catches a short column), COUNT columns are never
 * negative, TEXT cells are NULL or a string, BOOL cells 0 or 1. */
static inline void fuzz_check_result(const csm_result *r) {
    FUZZ_CHECK(r != NULL, "a result of OK status is NULL");
    size_t nt = csm_result_n_tables(r);
    FUZZ_CHECK(nt >= 1, "result %s has no table", csm_result_kind(r));
    for (size_t i = 0; i < nt; i++) {
        const csm_table *t = csm_result_table(r, i);
        FUZZ_CHECK(t && t->name && t->n_columns > 0, "table %zu", i);
        for (size_t c = 0; c < t->n_columns; c++) {
            const csm_column *col = &t->columns[c];
            FUZZ_CHECK(col->name && (t->n_rows == 0 || col->data),
                       "%s.%s has no data for %zu rows", t->name,
                       col->name ? col->name : "?", t->n_rows);
            for (size_t row = 0; row < t->n_rows; row++) {
                switch (col->storage) {
                case CSM_STORAGE_STR: {
                    const char *s = ((const char *const *)col->data)[row];
                    if (s)
                        (void)strlen(s);
                    break;
                }
                case CSM_STORAGE_U8:
                    if (col->type == CSM_TYPE_BOOL)
                        FUZZ_CHECK(((const uint8_t *)col->data)[row] <= 1,
                                   "%s.%s[%zu] not 0/1", t->name, col->name,
                                   row);
                    break;
                default: {
                    double v = csm_column_double(col, row);
                    if (col->type == CSM_TYPE_COUNT)
                        FUZZ_CHECK(!(v < 0), "%s.%s[%zu] = %g < 0", t->name,
                                   col->name, row, v);
                    break;
                }
                }
            }
        }
    }
}

/* The value of column name of table (the first table when table is NULL)
 * at row, as a double (NaN when absent). */
static inline double fuzz_value(const csm_result *r, const char *table,
                                const char *name, size_t row) {
    const csm_table *t = table ? csm_result_find(r, table) : csm_result_table(r, 0);
    const csm_column *c = t ? csm_table_find(t, name) : NULL;
    FUZZ_CHECK(c != NULL, "no column %s", name);
    return csm_column_double(c, row);
}

/* a and b equal up to the rounding of sums of terms of magnitude scale. */
static inline int fuzz_close(double a, double b, double scale) {
    if (isnan(a) || isnan(b))
        return isnan(a) && isnan(b);
    return fabs(a - b) <= 1e-9 * (scale + fabs(a) + fabs(b)) + 1e-9;
}

#endif
