/* Internal helpers shared by the families (not installed, not exported).
 * Names use the csm__ prefix. */
#ifndef CSM_INTERNAL_UTIL_H
#define CSM_INTERNAL_UTIL_H

#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "csmetrics/common.h"

/* Fill *err (if non-NULL) and return `code`.  `field` and `msg` must be
 * static strings (msg NULL = csm_strerror(code)); row may be CSM_NO_ROW.
 * err->text is "NAME: row R, field 'F': msg" (the parts that are set), as
 * csm_error_set documents; csm__failf is the one formatter. */
csm_status csm__fail(csm_error *err, csm_status code, size_t row,
                     const char *field, const char *msg);

/* csm__fail with a finer place and a formatted explanation in err->text
 * only: `where` (copied, may be NULL) replaces "field 'F'" in the text,
 * e.g. a JSON path "$.groups[1].weight", "input 'logins'" or "line 3,
 * column 5"; `fmt` (printf, may be NULL = msg) replaces msg.  err->field
 * and err->msg stay the static field and msg.  The text is cut at
 * CSM_ERROR_TEXT_MAX - 1 bytes. */
csm_status csm__failf(csm_error *err, csm_status code, size_t row,
                      const char *field, const char *msg, const char *where,
                      const char *fmt, ...)
#if defined(__GNUC__) || defined(__clang__)
    __attribute__((format(printf, 7, 8)))
#endif
    ;
csm_status csm__failv(csm_error *err, csm_status code, size_t row,
                      const char *field, const char *msg, const char *where,
                      const char *fmt, va_list ap);

/* Check a caller's allocator (NULL = libc, fine): one with only one of
 * alloc and free set, or neither, is CSM_EINVAL naming `field` (the
 * parameter or option, e.g. "opts.allocator"), never a crash later.
 * Every public function that accepts an allocator calls it first. */
csm_status csm__alloc_check(const csm_allocator *a, const char *field,
                            csm_error *err);

/* Copy a caller's extensible option struct (first member `size_t size`)
 * over `dst`, which already holds the defaults and whose own size is
 * dst_size.  Only min(src->size, dst_size) bytes are read, so old callers
 * keep working when fields are appended.  NULL src keeps the defaults.
 * A src->size smaller than sizeof(size_t) is CSM_EINVAL. */
csm_status csm__opts_load(void *dst, size_t dst_size, const void *src,
                          csm_error *err);

/* Define the public `fn(type *opts, size_t size)` that fills an option
 * struct with its defaults `init` (only the first `size` bytes: old
 * callers keep working when fields are appended) and sets opts->size. */
#define CSM__DEFINE_OPTS_INIT(fn, type, init)                                 \
    CSM_API csm_status fn(type *opts, size_t size) {                           \
        if (!opts || size < sizeof(size_t))                                   \
            return CSM_EINVAL;                                                \
        type d_ = init;                                                       \
        memcpy(opts, &d_, size < sizeof d_ ? size : sizeof d_);               \
        opts->size = size < sizeof d_ ? size : sizeof d_;                     \
        return CSM_OK;                                                        \
    }

/* Allocation through an optional allocator (NULL = malloc/free). */
void *csm__alloc(const csm_allocator *a, size_t size);
void csm__free(const csm_allocator *a, void *p);
/* n * size with overflow check; returns NULL on overflow or failure. */
void *csm__alloc_array(const csm_allocator *a, size_t n, size_t size);
/* Shrink p (from csm__alloc with the same allocator, old_bytes long) to n
 * elements of size bytes and return it, possibly moved.  With libc's
 * allocator this is realloc (glibc remaps large blocks instead of copying
 * them); with a caller's allocator its realloc hook, and without one p is
 * returned unchanged, as it is when the resize fails. */
void *csm__shrink_array(const csm_allocator *a, void *p, size_t old_bytes,
                        size_t n, size_t size);

/* Neumaier compensated summation. */
typedef struct csm__ksum {
    double s;
    double c;
} csm__ksum;

static inline void csm__ksum_add(csm__ksum *k, double x) {
    double t = k->s + x;
    if (fabs(k->s) >= fabs(x))
        k->c += (k->s - t) + x;
    else
        k->c += (x - t) + k->s;
    k->s = t;
}
static inline double csm__ksum_value(const csm__ksum *k) { return k->s + k->c; }

/* x / d, or NaN with CSM_FLAG_ZERO_DENOMINATOR set in *flags when d == 0. */
static inline double csm__ratio(double x, double d, uint32_t *flags) {
    if (d == 0.0) {
        if (flags)
            *flags |= CSM_FLAG_ZERO_DENOMINATOR;
        return NAN;
    }
    return x / d;
}

/* Add x (finite, >= 0) to the running input total *total: 0 when the
 * total passes CSM_SUM_MAX (common.h), the caller's cue for CSM_ERANGE at
 * the row of x.  A plain sum: its rounding cannot matter at a bound 10^8
 * times below DBL_MAX. */
static inline int csm__sum_bound_add(double *total, double x) {
    *total += x;
    return *total <= CSM_SUM_MAX;
}

/* x is a finite number >= 0 (NaN and infinities are not): the domain of
 * money, counts, durations and weights. */
static inline int csm__nonneg(double x) { return isfinite(x) && x >= 0.0; }

/* Check a gross margin, a fraction in [0, 1] (NaN is not): CSM_EDOMAIN
 * naming "gross_margin" otherwise.  The one check of every call that
 * takes one (csm_ltv_simple, csm_cac_payback, the unit economics). */
static inline csm_status csm__check_gross_margin(double gross_margin,
                                                 csm_error *err) {
    if (!(gross_margin >= 0.0 && gross_margin <= 1.0))
        return csm__fail(err, CSM_EDOMAIN, CSM_NO_ROW, "gross_margin",
                         "gross margin must be in [0, 1]");
    return CSM_OK;
}

/* Days since 1970-01-01 of day d of month m (1..12) of year y in the
 * proleptic Gregorian calendar (H. Hinnant's days_from_civil), in 64-bit
 * arithmetic: csm_day is this cut to int32, and a caller that must know
 * whether a date fits int32 compares the 64-bit value (csm_day gives
 * CSM_DAY_NONE outside int32). */
int64_t csm__days_from_civil(int64_t y, int64_t m, int64_t d);

/* The first day (days since 1970-01-01, as csm_day) of month index m, in
 * 64 bits for every int32 m (INT32_MIN included). */
static inline int64_t csm__month_first_day(int32_t m) {
    const int64_t y = m >= 0 ? m / 12 : -((-(int64_t)m + 11) / 12);
    return csm__days_from_civil(y, (int64_t)m - 12 * y + 1, 1);
}

/* Standard normal: CDF and quantile (Wichura AS241, ~1e-16 relative). */
double csm__norm_cdf(double z);
double csm__norm_quantile(double p);

#endif
