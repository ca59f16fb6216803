/*
 * csmetrics/renewals.h - the contract view of retention: contracts due in
 * a window, renewed within a grace period, renewed late, churned; logo and
 * dollar renewal rates, overall or per segment, channel or owner.
 *
 * Days are int32 days since 1970-01-01 (csm_day); end days are the last
 * day of service (inclusive).  A contract's term is end - start + 1 days.
 * Threads: reentrant; the inputs are only read; the result table is the
 * caller's (csm_renewals_free).
 * Definitions and worked example: docs/metrics.md, "Renewals".
 */
#ifndef CSMETRICS_RENEWALS_H
#define CSMETRICS_RENEWALS_H

#include "csmetrics/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Columnar contracts for renewal analysis.  value is the contract's total
 * value over its term (>= 0).  segment, channel, owner may be NULL. */
typedef struct csm_renewal_contracts {
    const int64_t *customer_id;
    const int32_t *start_day;
    const int32_t *end_day;
    const double *value;
    const int32_t *segment;
    const int32_t *channel;
    const int32_t *owner;
    size_t n;
} csm_renewal_contracts;

typedef enum csm_renewal_group {
    CSM_GROUP_NONE = 0,
    CSM_GROUP_SEGMENT = 1,
    CSM_GROUP_CHANNEL = 2,
    CSM_GROUP_OWNER = 3
} csm_renewal_group;

typedef enum csm_renewal_outcome {
    CSM_RENEWAL_NOT_DUE = 0,
    CSM_RENEWAL_RENEWED = 1,
    CSM_RENEWAL_LATE = 2,
    CSM_RENEWAL_CHURNED = 3,
    CSM_RENEWAL_UPSELL = 4 /* an in-term upsell of another contract */
} csm_renewal_outcome;

typedef struct csm_renewal_opts {
    size_t size;
    int32_t grace_days;  /* default 90, >= 0 */
    int late_counts;     /* 1 = a late renewal counts as renewed */
    int include_upsells; /* 1 = in-term upsells join numerator AND denominator */
    int group_by;        /* csm_renewal_group */
    const csm_allocator *allocator;
} csm_renewal_opts;

#define CSM_RENEWAL_OPTS_INIT                                                 \
    {sizeof(csm_renewal_opts), 90, 0, 0, CSM_GROUP_NONE, NULL}
CSM_API CSM_NODISCARD csm_status csm_renewal_opts_init(csm_renewal_opts *opts,
                                                       size_t size);

/*
 * For the window [window_start, window_end] (days, inclusive):
 *
 * - An in-term upsell of contract i is a contract j of the same customer
 *   that starts after i starts and ends no later than i ends (a
 *   co-terminous add-on).  Upsells are never due contracts nor renewals.
 * - Contract i is due when its end day falls in the window (and it is not
 *   an upsell).
 * - Its renewal is the first contract j of the same customer (earliest
 *   start, then end, then row) that starts after i starts and ends after
 *   i ends, with a gap start_j - (end_i + 1) of at most grace_days: a
 *   renewal signed early (starting inside the term) counts.  It is renewed.
 * - Otherwise, if such a contract starts later than the grace period, i is
 *   renewed late: not renewed (new business) unless late_counts.
 * - Otherwise it is churned.
 * - Renewal value is normalized to the due contract's term:
 *   value_j x term_i / term_j.  A renewal that renews several due
 *   contracts is split among them in proportion to their values, so its
 *   value is counted once.
 *
 *   logo_renewal_rate   = renewed / due                       (<= 1)
 *   dollar_renewal_rate = renewed value / due value           (may be > 1)
 * With include_upsells, each due contract's upsells (normalized to its
 * term the same way) are added to both the renewed value (whether or not
 * the contract renewed) and the due value -- never to the numerator alone.
 * Zero due contracts (or value): NaN and CSM_FLAG_ZERO_DENOMINATOR.
 *
 * Rows: one per group key (ascending; CSM_GROUP_NONE: one row with key
 * INT32_MIN), the key being the due contract's segment / channel / owner.
 * Optional per-contract outputs (n elements each, may be NULL): outcome
 * (csm_renewal_outcome) and match (row of the renewal or late renewal, or
 * of the parent for an upsell; -1 otherwise).
 *
 * Errors: CSM_EINVAL (NULL arguments or required columns, window_end <
 * window_start, grace_days < 0, unknown group_by, bad opts size),
 * CSM_EDOMAIN with row and field (end_day before start_day: "end_day";
 * value negative or not finite: "value"), CSM_ENOMEM.  O(n log n) plus
 * O(k^2) per customer with k contracts.
 */
typedef struct csm_renewals {
    size_t n_rows;
    int32_t *key;
    int64_t *due, *renewed, *late, *churned;
    double *due_value, *renewed_value, *late_value, *churned_value,
        *upsell_value;
    double *logo_renewal_rate, *dollar_renewal_rate;
    uint32_t *flags;
    void *priv_;
} csm_renewals;

CSM_API CSM_NODISCARD csm_status csm_renewals_compute(
    csm_renewals **out, uint8_t *outcome, int64_t *match,
    const csm_renewal_contracts *contracts, int32_t window_start,
    int32_t window_end, const csm_renewal_opts *opts, csm_error *err);
CSM_API void csm_renewals_free(csm_renewals *r);

#ifdef __cplusplus
}
#endif

#endif /* CSMETRICS_RENEWALS_H */
