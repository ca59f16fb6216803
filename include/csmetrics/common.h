/** @file
 * csmetrics/common.h - status codes, error detail, flags, allocator hooks,
 * option-struct helpers, export macro and version functions shared by every
 * libcsmetrics family; the month and day indices every family uses, and
 * the presets of the ledger families.
 *
 * Threads: nothing in this header touches global mutable state; every
 * function is reentrant.
 *
 * Conventions (errors, options, memory, numbers and time):
 * docs/CONVENTIONS.md and docs/metrics.md, "Conventions shared by every
 * metric"; the presets: docs/metrics.md, "Presets: reproducing other
 * tools' figures".
 */
#ifndef CSMETRICS_COMMON_H
#define CSMETRICS_COMMON_H

#include <stddef.h>
#include <stdint.h>

#include "csmetrics/version.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- export and attribute macros ------------------------------------- */
#if defined(_WIN32) && defined(CSM_BUILDING_DLL)
#define CSM_API __declspec(dllexport)
#elif defined(__GNUC__) || defined(__clang__)
#define CSM_API __attribute__((visibility("default")))
#else
#define CSM_API
#endif

#if defined(__GNUC__) || defined(__clang__)
#define CSM_NODISCARD __attribute__((warn_unused_result))
#else
#define CSM_NODISCARD
#endif

/* ---- status codes ---------------------------------------------------- */
/**
 * One X-macro table generates the enum, csm_strerror() and
 * csm_status_name() (libuv's UV_ERRNO_MAP pattern).  Values are pinned:
 * once released a value never changes meaning; new codes are appended.
 * @code{.unparsed}
 *   X(NAME, value, "message")
 * @endcode
 */
#define CSM_STATUS_MAP(X)                                                    \
    X(OK, 0, "success")                                                      \
    X(EINVAL, 1, "invalid argument (NULL pointer, bad option or size)")      \
    X(EDOMAIN, 2, "input value outside its domain")                          \
    X(ENOMEM, 3, "out of memory")                                            \
    X(EDUP, 4, "duplicate (customer, period) row in strict mode")            \
    X(ERANGE, 5, "result or size out of representable range")                \
    X(ENOCONV, 6, "numerical method did not converge")                       \
    X(EPARSE, 7, "malformed specification")                                  \
    X(ENOTFOUND, 8, "named item not found")                                  \
    X(EMISSING, 9, "required value is missing")

/** What a call that can fail returns: CSM_OK (0) on success, else the
 * reason, with detail in the optional csm_error.  The values come from
 * CSM_STATUS_MAP; csm_strerror() and csm_status_name() give the message
 * and the name. */
typedef enum csm_status {
#define CSM__STATUS_ENUM(name, value, msg) CSM_##name = value,
    CSM_STATUS_MAP(CSM__STATUS_ENUM)
#undef CSM__STATUS_ENUM
    CSM_STATUS_COUNT_ /**< not a status; one past the largest value */
} csm_status;

/** Human-readable message for a status ("success", "out of memory", ...).
 * Never NULL; unknown values give "unknown status". */
CSM_API const char *csm_strerror(csm_status status);

/** The enum name without prefix ("OK", "EDOMAIN", ...); "UNKNOWN" for an
 * unknown value.  Bindings use it to pick exception classes. */
CSM_API const char *csm_status_name(csm_status status);

/* ---- error detail ---------------------------------------------------- */
/** The row of a csm_error that names no input element ((size_t)-1): the
 * error is about an argument or option as a whole. */
#define CSM_NO_ROW ((size_t)-1)
/** Size in bytes of csm_error.text, its terminating NUL included; a longer
 * sentence is cut to CSM_ERROR_TEXT_MAX - 1 bytes. */
#define CSM_ERROR_TEXT_MAX 256

/** Returned when a function fails and the caller passed a non-NULL
 * csm_error *.  `row` is the 0-based index of the offending input element,
 * or CSM_NO_ROW.  `field` names the offending input (a parameter or column
 * name, a static string) or is NULL.  `msg` is a static explanation.
 * `text` is a formatted, NUL-terminated sentence combining all of these,
 * suitable for an exception message.  On success the struct is reset to
 * code CSM_OK, row CSM_NO_ROW and empty strings.  The caller owns the
 * struct (usually on the stack); nothing in it needs freeing. */
typedef struct csm_error {
    csm_status code; /**< the status the call returned (CSM_OK on success) */
    /** 0-based index of the offending input element (row of the input
     * arrays, fit, scenario...), or CSM_NO_ROW when no element is named */
    size_t row;
    /** the offending parameter, option or column ("mrr", "opts.size"), a
     * static string; NULL when none is named */
    const char *field;
    /** a static explanation ("MRR must be >= 0"; csm_strerror(code) when
     * the library has none finer); NULL after csm_error_clear */
    const char *msg;
    /** "NAME: row R, field 'F': msg" as csm_error_set describes,
     * NUL-terminated, cut to CSM_ERROR_TEXT_MAX - 1 bytes; empty on
     * success */
    char text[CSM_ERROR_TEXT_MAX];
} csm_error;

/** Reset *err to "no error" (NULL is allowed and ignored). */
CSM_API void csm_error_clear(csm_error *err);

/** Fill *err (NULL is allowed and ignored) as the library does when a call
 * fails, and return `code`.  It sets code, row, field and msg as given
 * (`field` and `msg` must outlive *err, e.g. static strings; msg NULL means
 * csm_strerror(code)), and text
 * @code{.unparsed}
 *   "NAME: row R, field 'F': msg"
 * @endcode
 * with "row R" only when row != CSM_NO_ROW and "field 'F'" only when field
 * is non-NULL ("EINVAL: field 'weights': length differs", "ENOMEM: out of
 * memory").  NAME is csm_status_name(code).  Library texts that name a
 * finer place put it where "field 'F'" stands ("EINVAL: $.groups[1].weight:
 * must be >= 0", "EPARSE: line 3, column 5: ...").  For bindings and
 * wrappers that report their own argument errors the library's way. */
CSM_API csm_status csm_error_set(csm_error *err, csm_status code, size_t row,
                                 const char *field, const char *msg);

/* ---- result flags ---------------------------------------------------- */
/** Bit flags a result carries next to its numbers.  A rate whose
 * denominator is zero is NaN plus CSM_FLAG_ZERO_DENOMINATOR, never a
 * division by zero and never a silent 0. */
enum {
    CSM_FLAG_NONE = 0u,                  /**< no flag set */
    CSM_FLAG_EMPTY = 1u << 0,            /**< no observations (n = 0) */
    CSM_FLAG_ZERO_DENOMINATOR = 1u << 1, /**< a ratio had a zero denominator */
    CSM_FLAG_FLOORED = 1u << 2,          /**< an input was raised to a floor */
    CSM_FLAG_CAPPED = 1u << 3,           /**< a value was lowered to a cap */
    CSM_FLAG_DEGENERATE = 1u << 4,       /**< variance is 0 or undefined */
    CSM_FLAG_CLAMPED = 1u << 5           /**< an interval was clamped to range */
};

/** CSM_FLAG_EMPTY as a function: each flag constant has a function twin
 * for bindings that do not parse macros or enums. */
CSM_API uint32_t csm_flag_empty(void);
/** CSM_FLAG_ZERO_DENOMINATOR, for bindings. */
CSM_API uint32_t csm_flag_zero_denominator(void);
/** CSM_FLAG_FLOORED, for bindings. */
CSM_API uint32_t csm_flag_floored(void);
/** CSM_FLAG_CAPPED, for bindings. */
CSM_API uint32_t csm_flag_capped(void);
/** CSM_FLAG_DEGENERATE, for bindings. */
CSM_API uint32_t csm_flag_degenerate(void);
/** CSM_FLAG_CLAMPED, for bindings. */
CSM_API uint32_t csm_flag_clamped(void);
/** Survival flags (km.h, sbg.h) use bits 16..23. */
enum {
    /** S(t) never fell to 0.5: the median is NaN. */
    CSM_FLAG_MEDIAN_NOT_REACHED = 1u << 16,
    /** The lower confidence band never fell to 0.5: the median's lower
     * limit is NaN. */
    CSM_FLAG_MEDIAN_LOWER_NOT_REACHED = 1u << 17,
    /** The upper confidence band never fell to 0.5: the median's upper
     * limit is NaN (unbounded above). */
    CSM_FLAG_MEDIAN_UPPER_NOT_REACHED = 1u << 18,
    /** An expectation is infinite (sBG expected lifetime with alpha <= 1):
     * the value is NaN. */
    CSM_FLAG_INFINITE = 1u << 19
};

/** CSM_FLAG_MEDIAN_NOT_REACHED as a function, for bindings that do not
 * parse enums. */
CSM_API uint32_t csm_flag_median_not_reached(void);
/** CSM_FLAG_MEDIAN_LOWER_NOT_REACHED, for bindings. */
CSM_API uint32_t csm_flag_median_lower_not_reached(void);
/** CSM_FLAG_MEDIAN_UPPER_NOT_REACHED, for bindings. */
CSM_API uint32_t csm_flag_median_upper_not_reached(void);
/** CSM_FLAG_INFINITE, for bindings. */
CSM_API uint32_t csm_flag_infinite(void);

/** Function twin of CSM_NO_ROW ((size_t)-1), for bindings. */
CSM_API size_t csm_no_row(void);

/* ---- allocator hooks ------------------------------------------------- */
/** Per-object allocator (zstd's customMem, yyjson's alc).  NULL anywhere an
 * allocator is accepted means the C library's malloc/free.  `alloc` returns
 * NULL on failure; `free` accepts NULL.  There are no global hooks.  A
 * non-NULL allocator must set both `alloc` and `free`: every function that
 * accepts one returns CSM_EINVAL, with err->field naming the parameter or
 * option ("opts.allocator", "ledger_opts.allocator", ...), when either is
 * NULL. */
typedef struct csm_allocator {
    /** Return a block of `size` bytes aligned for any type, or NULL. */
    void *(*alloc)(void *ctx, size_t size);
    /** Release a block from `alloc` (or from `realloc`); NULL is allowed. */
    void (*free)(void *ctx, void *ptr);
    /** Passed back to every hook unchanged. */
    void *ctx;
    /** Optional: resize a block from this allocator from old_size to
     * new_size bytes (the library only ever shrinks: new_size <= old_size,
     * new_size > 0) and return it, possibly moved, or NULL on failure (the
     * block is then kept as it was).  The ledger uses it to give back what
     * its columns do not use when a build ends (csm_ledger_new).  NULL = no
     * resize: such blocks keep their size until freed.  Positional
     * initializers {alloc, free, ctx} leave it NULL. */
    void *(*realloc)(void *ctx, void *ptr, size_t old_size, size_t new_size);
} csm_allocator;

/* ---- version ------------------------------------------------------- */
/** Release version of the library actually linked (may differ from the
 * CSM_VERSION_* macros the caller compiled against), "MAJOR.MINOR.PATCH";
 * a static string. */
CSM_API const char *csm_version(void);        /* "MAJOR.MINOR.PATCH" */
/** The same string as csm_version(): the linked library's
 * "MAJOR.MINOR.PATCH" (CSM_VERSION_STRING when it was built). */
CSM_API const char *csm_version_string(void); /* same as csm_version() */
/** The linked library's version as one number, MAJOR*10000 + MINOR*100 +
 * PATCH (0.2.0 gives 200), to compare with CSM_VERSION_NUMBER. */
CSM_API uint32_t csm_version_number(void);    /* MAJOR*10000+MINOR*100+PATCH */

/* ---- presets (docs/metrics.md, "Presets") ---------------------------- */
/** The published conventions a family's options can start from
 * (csm_movements_opts_preset, csm_retention_opts_preset). */
typedef enum csm_preset {
    /** the library's defaults: snapshot NRR, churn over customers at the
     * start, customers who start and stop inside a month excluded */
    CSM_PRESET_DEFAULT = 0,
    /** ChartMogul (Standard/B2B setting): movement-sum NRR without
     * reactivation; churn and intra-month customers as the default */
    CSM_PRESET_CHARTMOGUL_B2B = 1,
    /** Stripe Billing analytics: movement-sum NRR, churn over start + new
     * customers, customers who start and stop inside a month counted */
    CSM_PRESET_STRIPE = 2,
    /** Baremetrics: movement-sum NRR (100% - (churned - expansion) /
     * starting MRR); churn as the default */
    CSM_PRESET_BAREMETRICS = 3
} csm_preset;

/* ---- time helpers ---------------------------------------------------- */
/** "no month given" for optional month fields (month index INT32_MIN). */
#define CSM_MONTH_NONE INT32_MIN
/** Function twin of CSM_MONTH_NONE, for bindings. */
CSM_API int32_t csm_month_none(void);

/** Month index: year*12 + (month-1), so January 2024 = 24288.  Months are
 * int32 everywhere in the API.  Total: computed in 64 bits, and a result
 * outside (INT32_MIN, INT32_MAX] is CSM_MONTH_NONE (a month may be outside
 * 1..12: csm_month(2024, 13) = csm_month(2025, 1)). */
CSM_API int32_t csm_month(int32_t year, int32_t month);
/** The year of a month index: floor(month_index / 12), so
 * csm_month_year(csm_month(y, m)) = y also for negative indices (years
 * before 0). */
CSM_API int32_t csm_month_year(int32_t month_index);  /* floor division */
/** The calendar month (1..12) of a month index: month_index - 12 x
 * csm_month_year(month_index) + 1.  Total: defined for every int32,
 * CSM_MONTH_NONE included (no overflow). */
CSM_API int32_t csm_month_month(int32_t month_index); /* 1..12 */
/** The first month index input data may hold: csm_month(1, 1), January
 * of year 1 (= 12).  Every month a family reads from its input rows
 * (csm_ledger_new's period, a cohort key month, a lifetime's first month)
 * lies in [CSM_MONTH_MIN, CSM_MONTH_MAX], years 0001..9999; a month
 * outside is CSM_EDOMAIN naming the row and the field.  The bound keeps
 * every month difference and month count the library forms far inside
 * int32, and CSM_MONTH_NONE (INT32_MIN) out of the data. */
#define CSM_MONTH_MIN 12
/** The last month index input data may hold: csm_month(9999, 12),
 * December 9999 (= 119999); see CSM_MONTH_MIN. */
#define CSM_MONTH_MAX 119999
/** Whether month_index is in [CSM_MONTH_MIN, CSM_MONTH_MAX]: 1 or 0. */
CSM_API int csm_month_valid(int32_t month_index);

/** The most that input amounts read together may sum to, 1e300: the MRR
 * rows of a ledger (csm_ledger_new), the contracts' amounts, MRR and term
 * values (csm_ledger_from_contracts, renewals), survival weights
 * (csm_km).  Finite input whose running sum passes it is CSM_ERANGE
 * naming the row where it does, so that every total, movement, window and
 * rate the families form from the input stays finite (a sum of finite
 * values may not be: two rows of 1e308 sum to infinity). */
#define CSM_SUM_MAX 1e300

/** "no day": csm_day's answer for a date whose day index does not fit
 * (INT32_MIN, INT32_MAX] (INT32_MIN, like CSM_MONTH_NONE). */
#define CSM_DAY_NONE INT32_MIN
/** The first day index input data may hold: csm_day(1, 1, 1),
 * 0001-01-01 (= -719162).  Every day a family reads from its input rows
 * (a contract's start_day and end_day, renewals' as-of day) lies in
 * [CSM_DAY_MIN, CSM_DAY_MAX]; a day outside is CSM_EDOMAIN naming the row
 * and the field.  Its month is in [CSM_MONTH_MIN, CSM_MONTH_MAX]. */
#define CSM_DAY_MIN (-719162)
/** The last day index input data may hold: csm_day(9999, 12, 31)
 * (= 2932896); see CSM_DAY_MIN. */
#define CSM_DAY_MAX 2932896
/** Whether day_index is in [CSM_DAY_MIN, CSM_DAY_MAX]: 1 or 0. */
CSM_API int csm_day_valid(int32_t day_index);

/** The day index of a date: days since 1970-01-01 (proleptic Gregorian);
 * csm_day_to_ymd goes back.  month is 1..12 and day 1..31 (other values
 * give a number, but not a calendar date).  Total: computed in 64 bits,
 * and a result outside (INT32_MIN, INT32_MAX] (years beyond about
 * +-5.8 million) is CSM_DAY_NONE. */
CSM_API int32_t csm_day(int32_t year, int32_t month, int32_t day);
/** The date of a day index (days since 1970-01-01, proleptic Gregorian),
 * the inverse of csm_day: *year, *month (1..12) and *day (1..31); any of
 * the three pointers may be NULL to skip it.  Total: every int32 day
 * index has its date (computed in 64 bits; the years of int32 days,
 * about -5,877,641 .. 5,881,580, fit int32). */
CSM_API void csm_day_to_ymd(int32_t *year, int32_t *month, int32_t *day,
                            int32_t day_index);
/** The month index that contains a day index.  Total: defined for every
 * int32 day index (csm_month of csm_day_to_ymd's year and month, which
 * always fits). */
CSM_API int32_t csm_day_month(int32_t day_index);

#ifdef __cplusplus
}
#endif

#endif /* CSMETRICS_COMMON_H */
