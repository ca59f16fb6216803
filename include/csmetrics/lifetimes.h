/** @file
 * csmetrics/lifetimes.h - each customer's lifetime (months from first
 * to last active month, and whether it churned) derived from a ledger: the
 * input of Kaplan-Meier (km.h) and of sBG survivor counts (sbg.h).
 *
 * Definitions: docs/metrics.md, "Survival: customer lifetimes, the sBG
 * model and model-based LTV" ("Lifetimes from a ledger"); the columns:
 * docs/columns.md, "lifetimes".
 */
#ifndef CSMETRICS_LIFETIMES_H
#define CSMETRICS_LIFETIMES_H

#include "csmetrics/common.h"
#include "csmetrics/km.h"
#include "csmetrics/ledger.h"
#include "csmetrics/partial.h"
#include "csmetrics/table.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ==== lifetimes from a ledger ============================================= */
/** Options of csm_lifetimes_from_ledger; fill the defaults with the
 * _INIT macro or the _opts_init function. */
typedef struct csm_lifetimes_opts {
    size_t size; /**< sizeof the struct as the caller knows it */
    /** Observation end month; CSM_MONTH_NONE (default) = the ledger's last
     * month.  Activity after it is ignored and customers first active
     * after it are left out. */
    int32_t as_of;
} csm_lifetimes_opts;

/** Initialiser of every option at its default (size = sizeof the struct). */
#define CSM_LIFETIMES_OPTS_INIT {sizeof(csm_lifetimes_opts), CSM_MONTH_NONE}
/** Set *opts (size bytes of it) to the defaults; CSM_EINVAL if opts
 * is NULL or size < sizeof(size_t). */
CSM_API CSM_NODISCARD csm_status
csm_lifetimes_opts_init(csm_lifetimes_opts *opts, size_t size);

/**
 * One lifetime per customer (ordered by customer id, as in the ledger):
 * a customer's lifetime starts in its first active month f and ends at its
 * first churn: the first month c after f in which it is not active (the
 * month after its first unbroken run of active months).  A later return
 * does not extend the lifetime.
 * @code{.unparsed}
 *   churned  (c <= as_of): duration = c - f months, event = 1
 *   censored (active through as_of): duration = as_of - f + 1, event = 0
 * @endcode
 * Either way the duration is the number of months in the first run, so a
 * customer active only in its first month who churns the next month has
 * duration 1.  segment is the customer's segment in month f.  Feed
 * duration, event and (for per-segment curves) segment to csm_km_compute.
 * This list is the columns of the table "lifetimes" (docs/columns.md,
 * "lifetimes"): X(member, "column", TYPE, STORAGE, ROLE, "description"),
 * as csmetrics/table.h explains.
 */
#define CSM_LIFETIMES_COLUMNS(X)                                               \
    X(customer_id, "customer_id", ID, I64, KEY, "customer id")                 \
    X(first_month, "first_month", MONTH, I32, MAIN,                            \
      "first active month f: the lifetime's start")                            \
    X(segment, "segment", CODE, I32, DETAIL,                                   \
      "the customer's segment in month f (0 without segments)")                \
    X(duration, "duration", NUMBER, F64, MAIN,                                 \
      "months in the first unbroken run of active months")                     \
    X(event, "event", BOOL, U8, MAIN,                                          \
      "1 = churned, 0 = still active at as_of (right-censored)")

/** One table "lifetimes" (n rows, ordered by customer id). */
typedef struct csm_lifetimes {
    csm_result *result; /**< the table "lifetimes" */
    size_t n_rows;      /**< rows: customers with a lifetime */
    size_t n; /**< = n_rows (the older name) */
    /* customer_id, first_month, segment, duration (months), event (1 =
     * churned, 0 = still active: censored) */
    CSM_LIFETIMES_COLUMNS(CSM_COLUMN_MEMBER)
} csm_lifetimes;

/** Derive lifetimes from a ledger (one block, allocated with the ledger's
 * allocator).
 * Errors: CSM_EINVAL (out or ledger NULL, bad opts), CSM_ENOMEM.  An empty
 * ledger gives n = 0.  On failure *out is NULL. */
CSM_API CSM_NODISCARD csm_status csm_lifetimes_from_ledger(
    csm_lifetimes **out, const csm_ledger *ledger,
    const csm_lifetimes_opts *opts, csm_error *err);
/** Free a lifetimes result (NULL is allowed): csm_result_free(lt->result). */
CSM_API void csm_lifetimes_free(csm_lifetimes *lt);

/* ---- Kaplan-Meier counts by partition (csmetrics/partial.h) ------------- */
/**
 * The partial state (CSM_PARTIAL_LIFETIMES) of the lifetimes of one
 * partition of the customers (a ledger built from every row of some of the
 * customers): the customers counted by the month their first run ends in,
 * their segment in their first month and their run's length in months.
 * Merged with the states of the other partitions (csm_partial_merge, any
 * order; same opts) and finalized with csm_lifetimes_partial_km, it gives
 * the Kaplan-Meier table csm_km_compute gives on the lifetimes of the
 * ledger of all the rows (csm_lifetimes_from_ledger with the same opts):
 * at risk, events and censored per time exactly, and so every figure of
 * the table.  Whether a run that ends in a partition's last month is a
 * churn or still active is settled at finalizing, from the last month of
 * all the data (or opts.as_of).  Memory: 8 bytes per end month, segment
 * and run length of the partition.  Errors: those of
 * csm_lifetimes_from_ledger.  On failure *out is NULL.
 */
CSM_API CSM_NODISCARD csm_status csm_lifetimes_partial_compute(
    csm_partial **out, const csm_ledger *ledger,
    const csm_lifetimes_opts *opts, csm_error *err);

/**
 * The Kaplan-Meier table (km.h) of a (merged) state from
 * csm_lifetimes_partial_compute: csm_km_compute(duration, event, NULL,
 * group, ...) of all the customers' lifetimes, with group their segments
 * when by_segment (else NULL: one curve) and km_opts (level, horizon,
 * include_overall, at_times; allocator NULL = the state's).  Computed as
 * csm_km_compute of the distinct (time, event, segment) with their counts
 * as frequency weights, which gives the same table.  Errors: CSM_EINVAL
 * (out or partial NULL; a state of another family: field "partial"), those
 * of csm_km_compute for km_opts, CSM_ENOMEM.  On failure *out is NULL.
 */
CSM_API CSM_NODISCARD csm_status csm_lifetimes_partial_km(
    csm_km **out, const csm_partial *partial, int by_segment,
    const csm_km_opts *km_opts, csm_error *err);

#ifdef __cplusplus
}
#endif

#endif /* CSMETRICS_LIFETIMES_H */
