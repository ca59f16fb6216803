/* common.c - status table, error detail, allocator, option loading,
 * version, calendar helpers and the normal distribution used by several
 * families. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csmetrics/common.h"
#include "internal/util.h"

CSM_API const char *csm_strerror(csm_status status) {
    switch (status) {
#define CSM__STATUS_MSG(name, value, msg)                                     \
    case CSM_##name:                                                          \
        return msg;
        CSM_STATUS_MAP(CSM__STATUS_MSG)
#undef CSM__STATUS_MSG
    default:
        return "unknown status";
    }
}

CSM_API const char *csm_status_name(csm_status status) {
    switch (status) {
#define CSM__STATUS_NAME(name, value, msg)                                    \
    case CSM_##name:                                                          \
        return #name;
        CSM_STATUS_MAP(CSM__STATUS_NAME)
#undef CSM__STATUS_NAME
    default:
        return "UNKNOWN";
    }
}

CSM_API void csm_error_clear(csm_error *err) {
    if (!err)
        return;
    err->code = CSM_OK;
    err->row = CSM_NO_ROW;
    err->field = NULL;
    err->msg = NULL;
    err->text[0] = '\0';
}

/* The one place error text is formatted (see csm__failv in util.h). */
csm_status csm__failv(csm_error *err, csm_status code, size_t row,
                      const char *field, const char *msg, const char *where,
                      const char *fmt, va_list ap) {
    if (!err)
        return code;
    err->code = code;
    err->row = row;
    err->field = field;
    err->msg = msg ? msg : csm_strerror(code);
    char *t = err->text;
    size_t cap = sizeof err->text, n = 0;
#define CSM__PUT(...)                                                         \
    do {                                                                      \
        int k_ = snprintf(t + n, cap - n, __VA_ARGS__);                       \
        if (k_ > 0)                                                           \
            n += (size_t)k_ < cap - n ? (size_t)k_ : cap - n - 1;             \
    } while (0)
    CSM__PUT("%s: ", csm_status_name(code));
    const char *sep = "";
    if (row != CSM_NO_ROW) {
        CSM__PUT("row %zu", row);
        sep = ", ";
    }
    if (where) {
        CSM__PUT("%s%s", sep, where);
        sep = ", ";
    } else if (field) {
        CSM__PUT("%sfield '%s'", sep, field);
        sep = ", ";
    }
    if (*sep)
        CSM__PUT(": ");
    if (fmt) {
        int k = vsnprintf(t + n, cap - n, fmt, ap);
        (void)k;
    } else {
        CSM__PUT("%s", err->msg);
    }
#undef CSM__PUT
    return code;
}

csm_status csm__failf(csm_error *err, csm_status code, size_t row,
                      const char *field, const char *msg, const char *where,
                      const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    csm_status st = csm__failv(err, code, row, field, msg, where, fmt, ap);
    va_end(ap);
    return st;
}

csm_status csm__fail(csm_error *err, csm_status code, size_t row,
                     const char *field, const char *msg) {
    return csm__failf(err, code, row, field, msg, NULL, NULL);
}

CSM_API csm_status csm_error_set(csm_error *err, csm_status code, size_t row,
                                 const char *field, const char *msg) {
    return csm__fail(err, code, row, field, msg);
}

csm_status csm__alloc_check(const csm_allocator *a, const char *field,
                            csm_error *err) {
    if (!a || (a->alloc && a->free))
        return CSM_OK;
    return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, field,
                     !a->alloc && !a->free
                         ? "an allocator needs both alloc and free; both are "
                           "NULL (pass a NULL allocator for malloc/free)"
                     : !a->free ? "an allocator needs both alloc and free; "
                                  "free is NULL"
                                : "an allocator needs both alloc and free; "
                                  "alloc is NULL");
}

csm_status csm__opts_load(void *dst, size_t dst_size, const void *src,
                          csm_error *err) {
    if (!src)
        return CSM_OK;
    size_t n;
    memcpy(&n, src, sizeof n);
    if (n < sizeof(size_t))
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "opts.size",
                         "options struct size is too small; initialise it "
                         "with the _INIT macro or *_opts_init()");
    if (n > dst_size)
        n = dst_size; /* newer caller: fields this library does not know */
    memcpy((char *)dst + sizeof(size_t), (const char *)src + sizeof(size_t),
           n - sizeof(size_t));
    return CSM_OK;
}

void *csm__alloc(const csm_allocator *a, size_t size) {
    if (size == 0)
        size = 1;
    if (a && a->alloc)
        return a->alloc(a->ctx, size);
    return malloc(size);
}

void csm__free(const csm_allocator *a, void *p) {
    if (!p)
        return;
    if (a && a->free)
        a->free(a->ctx, p);
    else
        free(p);
}

void *csm__alloc_array(const csm_allocator *a, size_t n, size_t size) {
    if (size != 0 && n > SIZE_MAX / size)
        return NULL;
    return csm__alloc(a, n * size);
}

void *csm__shrink_array(const csm_allocator *a, void *p, size_t old_bytes,
                        size_t n, size_t size) {
    if (!p || n == 0 || size == 0 || n > SIZE_MAX / size ||
        n * size >= old_bytes)
        return p;
    void *q;
    if (a && a->alloc)
        q = a->realloc ? a->realloc(a->ctx, p, old_bytes, n * size) : NULL;
    else
        q = realloc(p, n * size);
    return q ? q : p;
}

CSM_API uint32_t csm_flag_empty(void) { return CSM_FLAG_EMPTY; }
CSM_API uint32_t csm_flag_zero_denominator(void) {
    return CSM_FLAG_ZERO_DENOMINATOR;
}
CSM_API uint32_t csm_flag_floored(void) { return CSM_FLAG_FLOORED; }
CSM_API uint32_t csm_flag_capped(void) { return CSM_FLAG_CAPPED; }
CSM_API uint32_t csm_flag_degenerate(void) { return CSM_FLAG_DEGENERATE; }
CSM_API uint32_t csm_flag_clamped(void) { return CSM_FLAG_CLAMPED; }
CSM_API uint32_t csm_flag_median_not_reached(void) {
    return CSM_FLAG_MEDIAN_NOT_REACHED;
}
CSM_API uint32_t csm_flag_median_lower_not_reached(void) {
    return CSM_FLAG_MEDIAN_LOWER_NOT_REACHED;
}
CSM_API uint32_t csm_flag_median_upper_not_reached(void) {
    return CSM_FLAG_MEDIAN_UPPER_NOT_REACHED;
}
CSM_API uint32_t csm_flag_infinite(void) { return CSM_FLAG_INFINITE; }
CSM_API size_t csm_no_row(void) { return CSM_NO_ROW; }
CSM_API int32_t csm_month_none(void) { return CSM_MONTH_NONE; }

CSM_API const char *csm_version(void) { return CSM_VERSION_STRING; }
CSM_API const char *csm_version_string(void) { return CSM_VERSION_STRING; }
CSM_API uint32_t csm_version_number(void) {
    return (uint32_t)CSM_VERSION_NUMBER;
}

/* ---- calendar -------------------------------------------------------- */
static int32_t floor_div(int32_t a, int32_t b) {
    int32_t q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0)))
        q--;
    return q;
}

CSM_API int32_t csm_month(int32_t year, int32_t month) {
    /* in 64 bits: every (year, month) has an answer, never an overflow */
    int64_t m = (int64_t)year * 12 + ((int64_t)month - 1);
    return m > INT32_MIN && m <= INT32_MAX ? (int32_t)m : CSM_MONTH_NONE;
}
CSM_API int32_t csm_month_year(int32_t m) { return floor_div(m, 12); }
CSM_API int32_t csm_month_month(int32_t m) {
    return (int32_t)((int64_t)m - (int64_t)floor_div(m, 12) * 12 + 1);
}

/* Howard Hinnant's days_from_civil / civil_from_days. */
int64_t csm__days_from_civil(int64_t y, int64_t m, int64_t d) {
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const int64_t yoe = y - era * 400;
    const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

CSM_API int32_t csm_day(int32_t y, int32_t m, int32_t d) {
    /* in 64 bits: every int32 (y, m, d) has an answer, never an overflow */
    const int64_t z = csm__days_from_civil(y, m, d);
    return z > INT32_MIN && z <= INT32_MAX ? (int32_t)z : CSM_DAY_NONE;
}

static int64_t floor_div64(int64_t a, int64_t b) {
    int64_t q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0)))
        q--;
    return q;
}

CSM_API void csm_day_to_ymd(int32_t *year, int32_t *month, int32_t *day,
                            int32_t day_index) {
    /* in 64 bits: day_index + 719468 leaves int32 near INT32_MAX, and the
     * year of every int32 day (about +-5.9 million) fits int32 */
    const int64_t z = (int64_t)day_index + 719468;
    const int64_t era = floor_div64(z, 146097);
    const int64_t doe = z - era * 146097;
    const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const int64_t mp = (5 * doy + 2) / 153;
    const int64_t d = doy - (153 * mp + 2) / 5 + 1;
    const int64_t m = mp < 10 ? mp + 3 : mp - 9;
    const int64_t y = yoe + era * 400 + (m <= 2);
    if (year)
        *year = (int32_t)y;
    if (month)
        *month = (int32_t)m;
    if (day)
        *day = (int32_t)d;
}

CSM_API int32_t csm_day_month(int32_t day_index) {
    int32_t y, m, d;
    csm_day_to_ymd(&y, &m, &d, day_index);
    return csm_month(y, m);
}

CSM_API int csm_month_valid(int32_t month_index) {
    return month_index >= CSM_MONTH_MIN && month_index <= CSM_MONTH_MAX;
}

CSM_API int csm_day_valid(int32_t day_index) {
    return day_index >= CSM_DAY_MIN && day_index <= CSM_DAY_MAX;
}

/* ---- standard normal ------------------------------------------------- */
double csm__norm_cdf(double z) { return 0.5 * erfc(-z / sqrt(2.0)); }

/* Wichura (1988) AS241 PPND16: the quantile of the standard normal with
 * about 16 significant digits. */
double csm__norm_quantile(double p) {
    if (!(p > 0.0 && p < 1.0)) {
        if (p == 0.0)
            return -INFINITY;
        if (p == 1.0)
            return INFINITY;
        return NAN;
    }
    const double q = p - 0.5;
    double r, val;
    if (fabs(q) <= 0.425) {
        r = 0.180625 - q * q;
        val = q *
              (((((((r * 2509.0809287301226727 + 33430.575583588128105) * r +
                    67265.770927008700853) *
                       r +
                   45921.953931549871457) *
                      r +
                  13731.693765509461125) *
                     r +
                 1971.5909503065514427) *
                    r +
                133.14166789178437745) *
                   r +
               3.387132872796366608) /
              (((((((r * 5226.495278852545925 + 28729.085735721942674) * r +
                    39307.89580009271061) *
                       r +
                   21213.794301586595867) *
                      r +
                  5394.1960214247511077) *
                     r +
                 687.1870074920579083) *
                    r +
                42.313330701600911252) *
                   r +
               1.0);
        return val;
    }
    r = q < 0 ? p : 1.0 - p;
    r = sqrt(-log(r));
    if (r <= 5.0) {
        r -= 1.6;
        val = (((((((r * 7.7454501427834140764e-4 + 0.0227238449892691845833) *
                        r +
                    0.24178072517745061177) *
                       r +
                   1.27045825245236838258) *
                      r +
                  3.64784832476320460504) *
                     r +
                 5.7694972214606914055) *
                    r +
                4.6303378461565452959) *
                   r +
               1.42343711074968357734) /
              (((((((r * 1.05075007164441684324e-9 + 5.475938084995344946e-4) *
                        r +
                    0.0151986665636164571966) *
                       r +
                   0.14810397642748007459) *
                      r +
                  0.68976733498510000455) *
                     r +
                 1.6763848301838038494) *
                    r +
                2.05319162663775882187) *
                   r +
               1.0);
    } else {
        r -= 5.0;
        val = (((((((r * 2.01033439929228813265e-7 +
                     2.71155556874348757815e-5) *
                        r +
                    0.0012426609473880784386) *
                       r +
                   0.026532189526576123093) *
                      r +
                  0.29656057182850489123) *
                     r +
                 1.7848265399172913358) *
                    r +
                5.4637849111641143699) *
                   r +
               6.6579046435011037772) /
              (((((((r * 2.04426310338993978564e-15 +
                     1.4215117583164458887e-7) *
                        r +
                    1.8463183175100546818e-5) *
                       r +
                   7.868691311456132591e-4) *
                      r +
                  0.0148753612908506148525) *
                     r +
                 0.13692988092273580531) *
                    r +
                0.59983220655588793769) *
                   r +
               1.0);
    }
    return q < 0.0 ? -val : val;
}
