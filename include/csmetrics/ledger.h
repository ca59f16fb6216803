/** @file
 * csmetrics/ledger.h - the MRR ledger: customers' MRR by month, built once
 * from MRR rows (csm_ledger_new) or from contracts (csm_ledger_from_contracts,
 * contracts.h), and read by the families computed from it (movements.h,
 * retention.h, cohorts.h, lifetimes.h, team.h, ltv.h, unit_economics.h).
 *
 * Data flow: caller arrays (rows or contracts) -> csm_ledger (validated,
 * sorted by customer and month once, duplicates merged) -> computations
 * -> result tables the caller frees.
 *
 * Units: money in currency units per month (MRR); months are int32 month
 * indices (csm_month(year, month) = year*12 + month-1).
 *
 * Threads: a csm_ledger is immutable once built; any number of threads may
 * run computations on the same ledger at once.  No global state.
 *
 * Definitions: docs/metrics.md, "MRR ledger, movements, retention and
 * cohorts" (its "Inputs"), and "Presets" for free_is_active.
 */
#ifndef CSMETRICS_LEDGER_H
#define CSMETRICS_LEDGER_H

#include "csmetrics/common.h"
#include "csmetrics/contracts.h"
#include "csmetrics/table.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- building a ledger ------------------------------------------------ */
typedef struct csm_ledger csm_ledger; /**< opaque, immutable once built */

/** Options of csm_ledger_new and csm_ledger_from_contracts; fill the
 * defaults with the _INIT macro or the _opts_init function. */
typedef struct csm_ledger_opts {
    size_t size; /**< sizeof the struct as the caller knows it */
    /** Duplicate (customer, period) rows: 0 = summed (default), 1 = the
     * build fails with CSM_EDUP naming the second row. */
    int strict;
    /** A row with MRR 0 (a 100% discount, say): 0 = the customer is not
     * active that month (default; dropping to 0 is churn), 1 = an active
     * customer paying $0 (counts in customers and logo retention). */
    int free_is_active;
    /** Optional allocator for the ledger and every result computed from it
     * (copied; NULL = malloc/free). */
    const csm_allocator *allocator;
} csm_ledger_opts;

/** Initialiser of every option at its default (size = sizeof the struct). */
#define CSM_LEDGER_OPTS_INIT {sizeof(csm_ledger_opts), 0, 0, NULL}
/** Set *opts (size bytes of it) to the defaults; CSM_EINVAL if opts
 * is NULL or size < sizeof(size_t). */
CSM_API CSM_NODISCARD csm_status csm_ledger_opts_init(csm_ledger_opts *opts,
                                                      size_t size);

/**
 * Build a ledger from columnar MRR rows.
 *
 * Row i says customer customer_id[i] had MRR mrr[i] (>= 0, finite, currency
 * units per month) in month period[i] (in [CSM_MONTH_MIN, CSM_MONTH_MAX],
 * years 0001..9999), optionally in segment segment[i]
 * (segment may be NULL: every row in segment 0).  Rows may come in any
 * order.  A customer's MRR in a month with no row is 0.  Duplicate
 * (customer, month) rows are summed (their segment is the smallest of their
 * segment ids, so the result does not depend on row order), or rejected
 * with CSM_EDUP in strict mode.
 *
 * The rows are sorted once by (customer, month) with a radix sort (linear
 * in n, no per-row allocation); the caller's arrays are only read.  Memory:
 * 16 bytes a row while sorting, which become the ledger's month and MRR
 * columns (trimmed to 12 bytes an entry when the build ends, with the
 * default allocator), plus 4 bytes a row when the rows carry more than one
 * segment
 * (up to 40 bytes a row when the customer ids span so wide a range that
 * a packed key and a row index do not fit 64 bits together).
 * With the default allocator on Linux, the large sort buffers are hinted
 * for transparent huge pages (madvise); a caller's allocator is used as
 * given.
 *
 * Errors: CSM_EINVAL (out NULL, an array NULL while n > 0, bad opts),
 * CSM_EDOMAIN (period outside [CSM_MONTH_MIN, CSM_MONTH_MAX]: row index,
 * field "period"; mrr negative or not finite: field "mrr"), CSM_ERANGE
 * (the rows' MRR, summed in input order, passes CSM_SUM_MAX = 1e300: the
 * row where it does, field "mrr"; so every sum a ledger family forms is
 * finite), CSM_EDUP (strict mode: row index of a duplicate, field
 * "period"), CSM_ENOMEM.  n = 0 gives a valid empty ledger.  On failure *out is NULL.
 */
CSM_API CSM_NODISCARD csm_status csm_ledger_new(
    csm_ledger **out, const int64_t *customer_id, const int32_t *period,
    const double *mrr, const int32_t *segment, size_t n,
    const csm_ledger_opts *opts, csm_error *err);

/**
 * The customer partition (0 .. n_partitions - 1) of customer_id among
 * n_partitions: the high 32 bits of customer_id x 0x9E3779B97F4A7C15
 * (2^64 / golden ratio, modulo 2^64), times n_partitions, shifted right
 * by 32 bits.  Every row of a customer lands in one partition, and
 * consecutive ids spread evenly.  n_partitions 0 gives 0.  The rule of
 * csm_ledger_new_partition, for hosts that split rows themselves (files,
 * processes) and want the same partitions.
 */
CSM_API uint32_t csm_ledger_partition_of(int64_t customer_id,
                                         uint32_t n_partitions);

/**
 * Build the ledger of one customer partition of columnar MRR rows: the
 * rows whose customer is in partition `partition` of `n_partitions`
 * (csm_ledger_partition_of), the same ledger csm_ledger_new builds from
 * those rows alone in input order.  The arrays, opts and errors are
 * csm_ledger_new's, for the partition's rows: an error names the caller's
 * row index, and the CSM_SUM_MAX bound applies to the partition's MRR.
 *
 * For a host that builds the partitions in parallel (the library starts
 * no thread): k threads each call this with the same arrays and their own
 * partition, then compute on the k ledgers and merge their partial
 * states (csmetrics/partial.h), which never split a customer.  No rows
 * are dealt or copied beforehand: each call reads the input columns whole
 * (three streaming passes: the row checks, the sort's key range and its
 * keys) and sorts only its partition's rows, by their row indices in the
 * caller's arrays; memory as csm_ledger_new's for the partition's rows
 * (the segment ids are collected from every row).
 * n is at most 2^32 - 1 (CSM_ERANGE), as for csm_ledger_new.
 *
 * Errors: csm_ledger_new's, and CSM_EINVAL (field "partition") when
 * n_partitions is 0 or partition >= n_partitions.  On failure *out is
 * NULL.
 */
CSM_API CSM_NODISCARD csm_status csm_ledger_new_partition(
    csm_ledger **out, const int64_t *customer_id, const int32_t *period,
    const double *mrr, const int32_t *segment, size_t n, uint32_t partition,
    uint32_t n_partitions, const csm_ledger_opts *opts, csm_error *err);

/**
 * Deal the row indices 0..n-1 to n_partitions customer partitions: a
 * counting sort of the rows by csm_ledger_partition_of(customer_id[i],
 * n_partitions).  Partition k's rows, ascending, are
 * rows[offsets[k] .. offsets[k + 1]); offsets[0] = 0 and
 * offsets[n_partitions] = n.  With csm_ledger_new_rows, a host builds the
 * partitions on its threads so that each build reads only its own rows
 * (csm_ledger_new_partition reads every row to find its own).  The same
 * as csm_ledger_partition_count over all the rows, the prefix sums, then
 * csm_ledger_partition_deal; a host with threads runs those two on row
 * ranges in parallel instead (see csm_ledger_partition_deal).
 *
 * Outputs (the caller's): rows, n entries; offsets, n_partitions + 1
 * entries.  Time: two streaming passes over customer_id (count, then
 * deal), no allocation.
 *
 * Errors: CSM_EINVAL (offsets NULL; rows or customer_id NULL while
 * n > 0; n_partitions 0, field "n_partitions"), CSM_ERANGE (n above
 * 2^32 - 1, field "n": the indices are 32-bit).  On failure the outputs
 * hold nothing meaningful.
 */
CSM_API CSM_NODISCARD csm_status csm_ledger_partition_rows(
    uint32_t *rows, size_t *offsets, const int64_t *customer_id, size_t n,
    uint32_t n_partitions, csm_error *err);

/**
 * Count the customer ids customer_id[0..n) of each partition:
 * counts[k] = the number of i with csm_ledger_partition_of(customer_id[i],
 * n_partitions) = k, for k in 0..n_partitions-1 (set, not added to).  The
 * first step of csm_ledger_partition_rows, for a host that runs it on row
 * ranges in parallel (pass customer_id + first row of the range).
 *
 * Output: counts, n_partitions entries.  Time: one streaming pass over
 * the ids, no allocation.
 *
 * Errors: CSM_EINVAL (counts NULL, field "counts"; customer_id NULL while
 * n > 0; n_partitions 0, field "n_partitions").
 */
CSM_API CSM_NODISCARD csm_status csm_ledger_partition_count(
    size_t *counts, const int64_t *customer_id, size_t n,
    uint32_t n_partitions, csm_error *err);

/**
 * Deal a range of rows to their partitions: for i = 0..n-1 in order,
 * with k = csm_ledger_partition_of(customer_id[i], n_partitions),
 * rows[next[k]] = first_row + i, then next[k] += 1.  customer_id points
 * at the range's first id, which is row first_row of the caller's arrays.
 *
 * A host dealing on T threads splits the rows into T ranges, counts each
 * (csm_ledger_partition_count), and gives range t's next[k] the first
 * slot of partition k (the counts of partitions < k over all ranges) plus
 * the counts of partition k in ranges < t; then each range is dealt on its
 * thread, and the result equals csm_ledger_partition_rows's.
 *
 * Output: rows (n_rows entries, the whole list), next (n_partitions
 * entries, advanced).  Time: one streaming pass over the ids, no
 * allocation.
 *
 * Errors: CSM_EINVAL (next NULL, field "next"; rows or customer_id NULL
 * while n > 0; n_partitions 0; a slot next[k] reaching n_rows: the row
 * first_row + i, field "next", the rows before it dealt), CSM_ERANGE
 * (first_row + n - 1 above 2^32 - 1, field "first_row": the indices are
 * 32-bit).
 */
CSM_API CSM_NODISCARD csm_status csm_ledger_partition_deal(
    uint32_t *rows, size_t n_rows, size_t *next, const int64_t *customer_id,
    size_t n, size_t first_row, uint32_t n_partitions, csm_error *err);

/**
 * Build the ledger of some of the caller's columnar MRR rows: the rows
 * rows[0..n_rows) of the arrays (row indices, strictly ascending, each
 * below n), the same ledger csm_ledger_new builds from those rows copied
 * out in that order.  The arrays, opts and errors are csm_ledger_new's,
 * for the listed rows: an error names the caller's row index (rows[j],
 * not j), and the CSM_SUM_MAX bound applies to the listed rows' MRR.
 *
 * For a host that builds customer partitions in parallel (the library
 * starts no thread): csm_ledger_partition_rows deals the rows once (or
 * csm_ledger_partition_count and _deal on row ranges in parallel), then
 * k threads each call this with the same arrays and their partition's
 * row list, compute on the k ledgers and merge their partial states
 * (csmetrics/partial.h).  Nothing is copied: each call reads only its
 * rows (gathered through the list, ascending) in three passes (row
 * checks, the sort's key range and its keys) and sorts them by their
 * row indices in the caller's arrays; memory and time as csm_ledger_new's
 * for n_rows rows.  n is at most 2^32 - 1 (CSM_ERANGE).
 *
 * Errors: csm_ledger_new's (rows named by their index in the arrays),
 * CSM_EINVAL (rows NULL while n_rows > 0; field "rows", row j: rows[j]
 * is not below n or not above rows[j - 1]).  n_rows = 0 gives a valid
 * empty ledger.  On failure *out is NULL.
 */
CSM_API CSM_NODISCARD csm_status csm_ledger_new_rows(
    csm_ledger **out, const int64_t *customer_id, const int32_t *period,
    const double *mrr, const int32_t *segment, size_t n, const uint32_t *rows,
    size_t n_rows, const csm_ledger_opts *opts, csm_error *err);

/**
 * Build a ledger from contracts, normalizing each to MRR:
 * @code{.unparsed}
 *   MRR = (amount - tax - discount) / months-per-interval
 * @endcode
 * with months-per-interval from the unit (month: count; year: 12 x count;
 * week: count x 12/52; day: count x 12/365), tax subtracted unless
 * include_tax, and the discount per discount_mode (a discount larger than
 * what it discounts clamps the MRR at 0).  One-time and usage charges are
 * not MRR and are skipped.
 *
 * A contract contributes its MRR to month M when it is active on M's last
 * day (start_day <= last day of M <= end_day; snapshot, the default), or
 * MRR x (active days in M / days in M) with daily proration.  Annual 1,200
 * from 2024-01-01 to 2024-12-31 gives MRR 100 in each month of 2024.
 * Several contracts of a customer in one month add up.
 *
 * Snapshot mode also records customers who start and stop inside one month
 * (active on some day of M, but neither at the end of M-1 nor of M): the
 * "intra-period" customers of definition option 7 (docs/metrics.md), which movements
 * can count Stripe-style.
 *
 * Memory: a contract makes one row per month it spans (a day range of
 * at most CSM_DAY_MIN..CSM_DAY_MAX: at most 120,000 months): 25 bytes a
 * row plus csm_ledger_new's 16 while the ledger is built, then the
 * ledger's 12 to 16 bytes an entry; more than 2^32-1 rows in all is
 * CSM_ERANGE.
 *
 * Errors: CSM_EINVAL (NULL required column, unknown unit or kind, bad
 * opts), CSM_EDOMAIN with row and field (start_day or end_day outside
 * [CSM_DAY_MIN, CSM_DAY_MAX]; end_day < start_day "end_day";
 * interval_count <= 0; amount, discount or tax negative or not finite),
 * CSM_ERANGE with row and field (amounts summing beyond CSM_SUM_MAX:
 * "amount", see csm_contracts.amount; the contracts up to that row span
 * more than 2^32-1 customer months: "end_day"), CSM_ENOMEM.  ledger_opts as for csm_ledger_new (strict has no effect:
 * contracts of one customer may overlap).
 */
CSM_API CSM_NODISCARD csm_status csm_ledger_from_contracts(
    csm_ledger **out, const csm_contracts *contracts,
    const csm_contracts_opts *opts, const csm_ledger_opts *ledger_opts,
    csm_error *err);

/** Free a ledger (NULL is allowed). */
CSM_API void csm_ledger_free(csm_ledger *ledger);

/** The number of customers: those active in at least one month (0 for
 * NULL).  With csm_ledger_entry_count, csm_ledger_first_month and
 * csm_ledger_last_month: the size and range of a ledger. */
CSM_API size_t csm_ledger_customer_count(const csm_ledger *ledger);
/** The number of entries: (customer, month) pairs in which the customer is
 * active (MRR > 0, or any row with free_is_active), duplicates merged (0
 * for NULL). */
CSM_API size_t csm_ledger_entry_count(const csm_ledger *ledger);
/** The earliest month index with an entry; CSM_MONTH_NONE for an empty or
 * NULL ledger. */
CSM_API int32_t csm_ledger_first_month(const csm_ledger *ledger);
/** The latest month index with an entry; CSM_MONTH_NONE for an empty or
 * NULL ledger. */
CSM_API int32_t csm_ledger_last_month(const csm_ledger *ledger);
/** Total MRR of month m (compensated sum in ledger order; 0 outside). */
CSM_API double csm_ledger_mrr(const csm_ledger *ledger, int32_t month);

/* ---- one month of the ledger as a table ------------------------------- */
/** The columns of the table "ledger_month" (docs/columns.md): one row per
 * customer active in the month, ascending customer id. */
#define CSM_LEDGER_MONTH_COLUMNS(X)                                            \
    X(customer_id, "customer_id", ID, I64, KEY, "the customer")                \
    X(segment, "segment", CODE, I32, DETAIL,                                   \
      "the customer's segment that month (0 for rows without segments)")       \
    X(mrr, "mrr", MONEY, F64, MAIN,                                            \
      "the customer's MRR that month, duplicate rows summed")

/** One month of a ledger: the typed view of the table "ledger_month". */
typedef struct csm_ledger_month {
    csm_result *result; /**< the self-describing table "ledger_month" */
    size_t n_rows;      /**< customers active in the month */
    int32_t month;      /**< the month (a csm_month index) */
    CSM_LEDGER_MONTH_COLUMNS(CSM_COLUMN_MEMBER)
} csm_ledger_month;

/**
 * The customers active in `month` as the ledger sees them, with their MRR
 * and segment that month: the ledger's entries of the month, so duplicate
 * rows are summed (or rejected in strict mode) and a customer whose MRR is
 * 0 is active only with csm_ledger_opts.free_is_active, exactly as every
 * family computed from the ledger counts it.  One row per customer, in
 * ascending customer id; sum of mrr = csm_ledger_mrr(ledger, month).  A
 * month without entries (or outside the ledger) gives 0 rows.  The result
 * is one block from the ledger's allocator; release it with
 * csm_ledger_month_free (= csm_result_free(m->result); NULL allowed).
 * Errors: CSM_EINVAL (out or ledger NULL), CSM_EDOMAIN (month is
 * CSM_MONTH_NONE: field "month"), CSM_ENOMEM; *out is NULL on any error.
 */
CSM_API CSM_NODISCARD csm_status csm_ledger_month_compute(
    csm_ledger_month **out, const csm_ledger *ledger, int32_t month,
    csm_error *err);
/** Free a month table (NULL is allowed): csm_result_free(m->result). */
CSM_API void csm_ledger_month_free(csm_ledger_month *m);

#ifdef __cplusplus
}
#endif

#endif /* CSMETRICS_LEDGER_H */
