/* The layout of a partial state (csmetrics/partial.h), shared by
 * lib/partial.c (merge, serialize, free) and the families that compute
 * and finalize one (movements.c, activity.c...).  Not installed.
 *
 * A state is a dense grid of buckets: the months [lo, lo + n_months) by
 * n_keys keys (ascending int64 ids, e.g. segment ids or activity's group
 * keys such as account ids; or one implicit key when keys is NULL and
 * keyed is 0) by n_ages ages 0 .. n_ages - 1 (1 for the
 * families without ages; cohorts: months since the cohort month), each
 * cell nm compensated sums and nc counts.  Cell (t, k, a) is number
 * i = (t * n_keys + k) * n_ages + a and starts at m[i * nm] and c[i * nc].
 * params are the family's options, one int64 each (a double as its
 * bits): states merge only when equal. */
#ifndef CSM_INTERNAL_PARTIAL_H
#define CSM_INTERNAL_PARTIAL_H

#include "csmetrics/partial.h"
#include "internal/util.h"

#define CSM__PARTIAL_NPARAMS 8

/* The sums and counts of a bucket of each family (checked by the family
 * with a static assertion, and by csm_partial_deserialize). */
#define CSM__PARTIAL_MOVEMENTS_NM 10
#define CSM__PARTIAL_MOVEMENTS_NC 9
#define CSM__PARTIAL_RETENTION_NM 5
#define CSM__PARTIAL_RETENTION_NC 2
#define CSM__PARTIAL_COHORTS_NM 1
#define CSM__PARTIAL_COHORTS_NC 2
#define CSM__PARTIAL_SURVEY_NM 0 /* nps, csat, ces: a count a score */
#define CSM__PARTIAL_SURVEY_NC 1
#define CSM__PARTIAL_LIFETIMES_NM 0 /* a count a run length */
#define CSM__PARTIAL_LIFETIMES_NC 1
/* activity: 9 input sums and 7 sums of the accounts' own ratios; the
 * accounts, and per measure the accounts with a ratio and those clamped */
#define CSM__PARTIAL_ACTIVITY_NM 16
#define CSM__PARTIAL_ACTIVITY_NC 15

/* The param that is by_segment in the families keyed by it (a state is
 * keyed exactly when it is set; checked by the families with a static
 * assertion, and by csm_partial_deserialize's table, lib/partial.c). */
#define CSM__PARTIAL_MOVEMENTS_BYSEG 4
#define CSM__PARTIAL_RETENTION_BYSEG 2
#define CSM__PARTIAL_COHORTS_BYSEG 1
/* The params of movements' and retention's range (first_month,
 * last_month; retention's window): their grids cover the months of the
 * table finalize makes (checked by the table of lib/partial.c). */
#define CSM__PARTIAL_MOVEMENTS_FIRST 5
#define CSM__PARTIAL_MOVEMENTS_LAST 6
#define CSM__PARTIAL_RETENTION_WINDOW 0
#define CSM__PARTIAL_RETENTION_FIRST 3
#define CSM__PARTIAL_RETENTION_LAST 4

/* The largest count a cell holds (2^40: more customers than there are);
 * bytes with more are refused, a merge past it is CSM_ERANGE, so that the
 * finalizers' sums of counts (over at most 2^18 months or ages) never
 * overflow. */
#define CSM__PARTIAL_COUNT_MAX ((int64_t)1 << 40)

/* The most months, or ages (cohorts' ages, run lengths, a survey scale's
 * scores), a grid holds: twice the longest range of months the families
 * accept (10,000 years), with spares.  Bytes with more are refused, a
 * merge past it is CSM_ERANGE, a survey scale with more scores has no
 * partial state. */
#define CSM__PARTIAL_MAX_SPAN (2 * 12 * 10000 + 2)

struct csm_partial {
    csm_allocator alloc; /* alloc.alloc == NULL: libc */
    int kind;            /* csm_partial_kind */
    int keyed;           /* 1: keys[] are ids (segments); 0: one key */
    int64_t params[CSM__PARTIAL_NPARAMS];
    int32_t data_first, data_last; /* the data's months (CSM_MONTH_NONE) */
    int32_t lo;                    /* first month of the grid */
    size_t n_months;               /* 0: no buckets */
    size_t n_keys;                 /* keyed: ids in keys; else 1 */
    size_t n_ages;                 /* >= 1: cells a (month, key) bucket */
    int64_t *keys;                 /* n_keys ascending (keyed only) */
    size_t nm, nc;                 /* sums and counts per bucket */
    csm__ksum *m;
    int64_t *c;
};

static inline const csm_allocator *csm__partial_allocator(const csm_partial *p) {
    return p->alloc.alloc ? &p->alloc : NULL;
}

/* A new state of family `kind` with nm sums and nc counts a bucket, for
 * the months [lo, lo + n_months) and, when keyed, the n_keys ids keys
 * (copied), every bucket zero; allocator a (NULL = libc, copied).  NULL
 * when out of memory.  One age a bucket (csm__partial_new_aged: n_ages;
 * csm__partial_new_wide: int64 keys, all zero when keys is NULL, for the
 * caller to fill). */
csm_partial *csm__partial_new(const csm_allocator *a, int kind, int keyed,
                              const int32_t *keys, size_t n_keys, int32_t lo,
                              size_t n_months, size_t nm, size_t nc);
csm_partial *csm__partial_new_aged(const csm_allocator *a, int kind, int keyed,
                                   const int32_t *keys, size_t n_keys,
                                   int32_t lo, size_t n_months, size_t n_ages,
                                   size_t nm, size_t nc);
csm_partial *csm__partial_new_wide(const csm_allocator *a, int kind, int keyed,
                                   const int64_t *keys, size_t n_keys,
                                   int32_t lo, size_t n_months, size_t n_ages,
                                   size_t nm, size_t nc);

/* The argument checks a csm_X_partial_finalize starts with: clear err;
 * out NULL (has_out 0) or p NULL is CSM_EINVAL naming it; a state of
 * another family than kind is CSM_EINVAL naming "partial"; then the
 * family's shape rules (lib/partial.c, the table csm_partial_deserialize
 * checks bytes with: keyed as the options say, ages, months, covering),
 * so a finalize repeats no shape check.  The caller sets its *out to NULL
 * whatever this returns. */
csm_status csm__partial_call(int has_out, const csm_partial *p, int kind,
                             csm_error *err);

/* The first cell (age 0) of bucket (month t, key index k) of p; t in
 * [lo, lo + n_months).  With one age a bucket, the bucket's cell. */
static inline size_t csm__partial_bucket(const csm_partial *p, int32_t t,
                                         size_t k) {
    return ((size_t)(t - p->lo) * p->n_keys + k) * p->n_ages;
}

/* The segment column of a finalized table of n_rows rows, month-major
 * with nseg segments a month, from the keys of p (segment ids): row r is
 * segment p->keys[r % nseg].  For the families whose one-shot tables read
 * int32 segment ids (the keys of a grid are int64). */
static inline void csm__partial_segments(int32_t *segment, size_t n_rows,
                                         size_t nseg, const csm_partial *p) {
    for (size_t r = 0; nseg && r < n_rows; r++)
        segment[r] = (int32_t)p->keys[r % nseg];
}

/* Add the compensated sum y into x: its sum through the compensated add,
 * its error term to x's, so nothing y carried is lost.  A sum that is not
 * finite (activity's: infinite input) keeps no error term: the
 * compensated add would make it inf - inf, NaN (fuzz-partial). */
static inline void csm__ksum_merge(csm__ksum *x, const csm__ksum *y) {
    if (!isfinite(x->s + y->s)) {
        x->s = csm__ksum_value(x) + csm__ksum_value(y);
        x->c = 0;
        return;
    }
    csm__ksum_add(x, y->s);
    x->c += y->c;
}

/* A double option as a param and back. */
static inline int64_t csm__param_f64(double v) {
    int64_t b;
    memcpy(&b, &v, sizeof b);
    return b;
}
static inline double csm__param_to_f64(int64_t b) {
    double v;
    memcpy(&v, &b, sizeof v);
    return v;
}

#endif
