/** @file
 * csmetrics/renewals.h - the contract view of retention: contracts due in
 * a window, renewed within a grace period, renewed late, churned; logo and
 * dollar renewal rates, overall or per segment, channel or owner.
 *
 * Days are int32 days since 1970-01-01 (csm_day); end days are the last
 * day of service (inclusive).  A contract's term is end - start + 1 days.
 * Threads: reentrant; the inputs are only read; the result (two tables,
 * csmetrics/table.h) is the caller's (csm_renewals_free).
 * Definitions and worked example: docs/metrics.md, "Renewals (logo and
 * dollar renewal rates)"; the columns: docs/columns.md, "renewals".
 */
#ifndef CSMETRICS_RENEWALS_H
#define CSMETRICS_RENEWALS_H

#include "csmetrics/common.h"
#include "csmetrics/contracts.h"
#include "csmetrics/table.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The rows of the table "renewals" (csm_renewals_opts.group_by): one
 * overall row, or one per key of a csm_contracts column (segment, channel
 * or owner). */
typedef enum csm_renewals_group {
    CSM_RENEWALS_GROUP_NONE = 0,    /**< one overall row (key CSM_CODE_ALL) */
    CSM_RENEWALS_GROUP_SEGMENT = 1, /**< one row per segment of the due
                                       contracts */
    CSM_RENEWALS_GROUP_CHANNEL = 2, /**< one row per channel */
    CSM_RENEWALS_GROUP_OWNER = 3    /**< one row per owner */
} csm_renewals_group;

/** What csm_renewals_compute decided for a contract: the optional
 * per-contract output `outcome`, and the column "outcome_code" of the
 * table "renewal_contracts" (csm_renewals_outcome_name gives the text). */
typedef enum csm_renewals_outcome {
    CSM_RENEWALS_NOT_DUE = 0, /**< not ending in the window: not counted */
    CSM_RENEWALS_RENEWED = 1, /**< due, renewed within the grace period */
    CSM_RENEWALS_LATE = 2,    /**< due, renewed after the grace period */
    CSM_RENEWALS_CHURNED = 3, /**< due, never renewed */
    CSM_RENEWALS_UPSELL = 4, /**< an in-term upsell of another contract */
    CSM_RENEWALS_PENDING = 5 /**< due, not renewed yet, its grace period
                                not over at csm_renewals_opts.as_of_day */
} csm_renewals_outcome;

/** The name of an outcome as the "outcome" column shows it: "not_due",
 * "renewed", "late", "churned", "upsell", "pending"; "unknown" for another
 * value (never NULL). */
CSM_API const char *csm_renewals_outcome_name(int outcome);

/** csm_renewals_opts.as_of_day when the contracts are known to no
 * particular day (the default): every grace period is over, so no contract
 * is pending. */
#define CSM_RENEWALS_AS_OF_NONE INT32_MAX

/** Options of csm_renewals_compute; fill the defaults with the
 * _INIT macro or the _opts_init function. */
typedef struct csm_renewals_opts {
    size_t size; /**< sizeof the struct as the caller knows it */
    int32_t grace_days;  /**< default 90, >= 0 */
    int late_counts;     /**< 1 = a late renewal counts as renewed */
    int include_upsells; /**< 1 = in-term upsells join numerator AND denominator */
    int group_by;        /**< csm_renewals_group */
    /** Optional allocator for the result and the work arrays (copied;
     * NULL = malloc/free, the default). */
    const csm_allocator *allocator;
    /** How a contract's amount becomes MRR, and so its value (discount
     * mode, tax), as csm_ledger_from_contracts reads it; proration does
     * not apply.  NULL = CSM_CONTRACTS_OPTS_INIT. */
    const csm_contracts_opts *contract_opts;
    /** The last day the contracts are known to (csm_day; the day of the
     * export): a due contract without a renewal whose grace period runs
     * past it (end_day + 1 + grace_days > as_of_day) is pending, not
     * churned.  Default CSM_RENEWALS_AS_OF_NONE: nothing is pending. */
    int32_t as_of_day;
} csm_renewals_opts;

/** Initialiser of every option at its default (size = sizeof the struct). */
#define CSM_RENEWALS_OPTS_INIT                                                 \
    {sizeof(csm_renewals_opts), 90, 0, 0, CSM_RENEWALS_GROUP_NONE, NULL, NULL, \
     CSM_RENEWALS_AS_OF_NONE}
/** Set *opts (size bytes of it) to the defaults; CSM_EINVAL if opts
 * is NULL or size < sizeof(size_t). */
CSM_API CSM_NODISCARD csm_status csm_renewals_opts_init(csm_renewals_opts *opts,
                                                       size_t size);

/**
 * Input: the recurring contracts of `contracts` (csm_contracts,
 * csmetrics/ledger.h, the columns csm_ledger_from_contracts reads, plus
 * the optional channel and owner); one-time and usage charges are not
 * contracts to renew and are skipped (outcome not_due, match -1).  A
 * contract's value is its value over its term:
 *   value = MRR x term months,  term months = (end - start + 1) x 12/365
 * with MRR = (amount - tax - discount) / months per billing interval, as
 * csm_ledger_from_contracts normalizes it under opts->contract_opts (NULL
 * = defaults: net of every discount and of tax).  A contract billed once
 * for its whole term (interval_unit CSM_UNIT_TERM) is worth exactly its
 * net amount; an annual contract of
 * 1,200 over a 365-day year is worth 1,200.
 *
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
 * - Otherwise, if its grace period is not over at opts->as_of_day
 *   (end_i + 1 + grace_days > as_of_day: a renewal may still come), it is
 *   pending: not renewed yet.
 * - Otherwise it is churned.
 * - Renewal value is normalized to the due contract's term:
 *   value_j x term_i / term_j, i.e. the renewal's MRR over the due term.
 *   A renewal that renews several due contracts is split among them in
 *   proportion to their values, so its value is counted once.
 *
 *   logo_renewal_rate   = renewed / due                       (<= 1)
 *   dollar_renewal_rate = renewed value / due value           (may be > 1)
 * Pending contracts are due and not renewed: the rates are those renewed
 * so far, which only rise as pending contracts renew.
 * With include_upsells, each due contract's upsells (normalized to its
 * term the same way) are added to both the renewed value (whether or not
 * the contract renewed) and the due value -- never to the numerator alone.
 * Zero due contracts (or value): NaN and CSM_FLAG_ZERO_DENOMINATOR.
 *
 * The result holds two tables (csmetrics/table.h), in this order:
 *
 * "renewals" (n_rows rows, CSM_RENEWALS_COLUMNS): one row per group key,
 * ascending; the key (column "group", member key) is the due contracts'
 * segment (CSM_RENEWALS_GROUP_SEGMENT), channel (CSM_RENEWALS_GROUP_CHANNEL) or owner
 * (CSM_RENEWALS_GROUP_OWNER).  CSM_RENEWALS_GROUP_NONE gives one overall row whose key is
 * CSM_CODE_ALL (INT32_MIN, null in Arrow), even when nothing is due.  With
 * a grouping, groups without due contracts get no row (0 rows when nothing
 * is due).
 *
 * "renewal_contracts" (n_contracts rows, CSM_RENEWAL_CONTRACTS_COLUMNS):
 * one row per due contract, in ascending input row, with what the
 * computation decided for it: its outcome (renewed, late, churned,
 * pending), the matched renewal, the gap to it and the values credited to
 * it.  Per group, the summary row reconciles with these rows:
 *   due           = number of the group's rows,
 *   renewed       = sum of counts_as_renewed,
 *   due_value     = sum of value (+ sum of upsell_value with include_upsells),
 *   renewed_value = sum of counts_as_renewed x renewal_value
 *                   (+ sum of upsell_value with include_upsells),
 *   late_value    = sum of renewal_value over the late rows,
 *   churned_value = sum of value over the churned rows,
 *   upsell_value  = sum of upsell_value,
 *   pending       = number of the pending rows,
 *   pending_value = sum of value over the pending rows.
 *
 * Optional per-contract outputs over every input row (n elements each, may
 * be NULL): outcome (csm_renewals_outcome) and match (row of the renewal or
 * late renewal, or of the parent for an upsell; -1 otherwise).
 *
 * Errors: CSM_EINVAL (NULL arguments or required columns, unknown kind or
 * interval unit, window_end < window_start, grace_days < 0, unknown
 * group_by, bad opts size or contract_opts), CSM_EDOMAIN with row and
 * field, as csm_ledger_from_contracts (start_day or end_day outside
 * [CSM_DAY_MIN, CSM_DAY_MAX]; end_day before start_day: "end_day";
 * interval_count <= 0; amount, discount or tax negative or not finite),
 * CSM_ERANGE (more than 2^32-1 contracts; amounts summing beyond
 * CSM_SUM_MAX: row and field "amount", csm_contracts.amount), CSM_ENOMEM.
 * O(n log n) plus O(k^2) per customer with k contracts.
 */
/** The columns of the table "renewals" (docs/columns.md, "renewals"), one
 * row per group key: X(member, "column", TYPE, STORAGE, ROLE,
 * "description"), as csmetrics/table.h explains. */
#define CSM_RENEWALS_COLUMNS(X)                                                \
    X(key, "group", CODE, I32, KEY,                                            \
      "segment, channel or owner of the due contracts (group_by); "            \
      "CSM_CODE_ALL (null) for the overall row without grouping")              \
    X(due, "due", COUNT, I64, MAIN, "contracts due (ending) in the window")    \
    X(renewed, "renewed", COUNT, I64, MAIN,                                    \
      "due contracts renewed within the grace period (late ones too "          \
      "with late_counts)")                                                     \
    X(late, "late", COUNT, I64, MAIN,                                          \
      "due contracts renewed after the grace period")                          \
    X(churned, "churned", COUNT, I64, MAIN,                                    \
      "due contracts never renewed (grace period over)")                      \
    X(due_value, "due_value", MONEY, F64, MAIN,                                \
      "value of the due contracts (+ their upsells with include_upsells)")     \
    X(renewed_value, "renewed_value", MONEY, F64, MAIN,                        \
      "renewal value normalized to the due terms (+ upsells with "             \
      "include_upsells)")                                                      \
    X(late_value, "late_value", MONEY, F64, DETAIL,                            \
      "late renewal value normalized to the due terms")                        \
    X(churned_value, "churned_value", MONEY, F64, DETAIL,                      \
      "value of the churned contracts")                                        \
    X(upsell_value, "upsell_value", MONEY, F64, DETAIL,                        \
      "in-term upsells of the due contracts, normalized to their terms")       \
    X(logo_renewal_rate, "logo_renewal_rate", FRACTION, F64, MAIN,             \
      "renewed / due")                                                         \
    X(dollar_renewal_rate, "dollar_renewal_rate", FRACTION, F64, MAIN,         \
      "renewed_value / due_value (may exceed 1)")                              \
    X(flags, "flags", FLAGS, U32, DETAIL, "CSM_FLAG_* bits of the row")       \
    X(pending, "pending", COUNT, I64, MAIN,                                    \
      "due contracts not renewed yet whose grace period runs past "           \
      "opts.as_of_day (0 by default)")                                         \
    X(pending_value, "pending_value", MONEY, F64, DETAIL,                      \
      "value of the pending contracts")

/** The per-contract table.  outcome is TEXT ("renewed", "late",
 * "churned" or "pending", the result's own copies) and outcome_code the same as a
 * csm_renewals_outcome code.  days_to_renewal = start day of the matched
 * renewal (or late renewal) - (due_day + 1): 0 when it starts the day after
 * the due contract ends, negative when signed early, NaN when churned; the
 * renewal starts on due_day + 1 + days_to_renewal.  renewal_row is -1
 * (not null: ID columns have no undefined value) when churned or
 * pending.  The
 * columns of the table "renewal_contracts" (docs/columns.md, "renewals"):
 * X(member, "column", TYPE, STORAGE, ROLE, "description"). */
#define CSM_RENEWAL_CONTRACTS_COLUMNS(X)                                       \
    X(contract_row, "contract_row", ID, I64, KEY,                              \
      "0-based row of the due contract in the input")                          \
    X(contract_customer_id, "customer_id", ID, I64, MAIN,                      \
      "customer of the contract")                                              \
    X(contract_group, "group", CODE, I32, DETAIL,                              \
      "its group key in the renewals table (CSM_CODE_ALL, null, without "      \
      "grouping)")                                                             \
    X(contract_due_day, "due_day", DAY, I32, MAIN,                             \
      "end day of the contract (its last day of service)")                     \
    X(contract_value, "value", MONEY, F64, MAIN,                               \
      "value of the contract over its term")                                   \
    X(contract_outcome, "outcome", TEXT, STR, MAIN,                            \
      "renewed, late, churned or pending")                                     \
    X(contract_outcome_code, "outcome_code", CODE, I32, DETAIL,                \
      "the outcome as a csm_renewals_outcome code (1, 2, 3 or 5)")             \
    X(contract_days_to_renewal, "days_to_renewal", NUMBER, F64, MAIN,          \
      "renewal start - (due_day + 1), days (< 0: signed early); NaN when "     \
      "churned or pending")                                                    \
    X(contract_renewal_row, "renewal_row", ID, I64, DETAIL,                    \
      "0-based input row of the renewal or late renewal; -1 when churned or "  \
      "pending")                                                               \
    X(contract_renewal_value, "renewal_value", MONEY, F64, MAIN,               \
      "its share of the (late) renewal's value, normalized to its term; 0 "    \
      "when churned or pending")                                               \
    X(contract_upsell_value, "upsell_value", MONEY, F64, DETAIL,               \
      "its in-term upsells, normalized to its term")                           \
    X(contract_counts_as_renewed, "counts_as_renewed", BOOL, U8, DETAIL,       \
      "1 when it counts as renewed in the rates (renewed, or late with "       \
      "late_counts)")

/** Renewal rates: the typed view of the tables "renewals" (members from
 * CSM_RENEWALS_COLUMNS, n_rows each) and "renewal_contracts" (members from
 * CSM_RENEWAL_CONTRACTS_COLUMNS, n_contracts each), as
 * csm_renewals_compute returns them. */
typedef struct csm_renewals {
    csm_result *result; /**< tables "renewals" and "renewal_contracts" */
    size_t n_rows;      /**< rows of "renewals" */
    size_t n_contracts; /**< rows of "renewal_contracts": the due contracts */
    CSM_RENEWALS_COLUMNS(CSM_COLUMN_MEMBER)
    CSM_RENEWAL_CONTRACTS_COLUMNS(CSM_COLUMN_MEMBER)
} csm_renewals;

/** Renewals of the contracts due in [window_start, window_end] (days,
 * inclusive), as defined above CSM_RENEWALS_COLUMNS: *out gets the result;
 * outcome and match (n elements each, may be NULL) get every input row's
 * outcome and matched row; opts NULL = defaults. */
CSM_API CSM_NODISCARD csm_status csm_renewals_compute(
    csm_renewals **out, uint8_t *outcome, int64_t *match,
    const csm_contracts *contracts, int32_t window_start,
    int32_t window_end, const csm_renewals_opts *opts, csm_error *err);
/** Release a result (csm_result_free(r->result)); NULL is allowed. */
CSM_API void csm_renewals_free(csm_renewals *r);

/**
 * Days to the next contract end: for each account, the days from `day` to
 * the nearest end day, on or after `day`, of its recurring contracts
 * (the health input "days_to_renewal", docs/health-scores.md; docs/metrics.md,
 * "Renewals"):
 *
 *   days[i] = min { end_day[c] - day : customer_id[c] = account_id[i],
 *                   end_day[c] >= day, contract c recurring }
 *
 * in days (0 when a contract ends on `day`; end days are the last day of
 * service), NaN when the account has no such contract (none at all, or
 * all ended before `day`).  Every recurring contract counts, whatever its
 * value and whether or not it has started; one-time and usage charges
 * (csm_contracts.kind) are not contracts to renew and are skipped, as in
 * csm_renewals_compute.  account_id may hold any ids, repeated, in any
 * order: days[i] answers account_id[i].
 *
 * contracts are checked as csm_renewals_compute checks them (the same
 * errors, with row and field); opts NULL = defaults, and only
 * opts->allocator (the work array) is read.  n_accounts = 0 writes
 * nothing (days and account_id may then be NULL).
 *
 * Errors: CSM_EINVAL (days or account_id NULL with n_accounts > 0, NULL
 * contracts or required columns, unknown kind or interval unit, bad opts
 * size or half-set allocator), CSM_EDOMAIN (day outside [CSM_DAY_MIN,
 * CSM_DAY_MAX]: field "day"; with row and field as csm_renewals_compute:
 * a day outside that range, end_day before start_day, interval_count <=
 * 0, amount, discount or tax negative or not finite), CSM_ERANGE (as
 * csm_renewals_compute), CSM_ENOMEM.  days is written only on success.
 * O((n + n_accounts) log n) time for n contracts (a sort, then one binary
 * search per account), one work key per recurring contract.
 */
CSM_API CSM_NODISCARD csm_status csm_renewals_days_to_end(
    double *days, const int64_t *account_id, size_t n_accounts,
    const csm_contracts *contracts, int32_t day,
    const csm_renewals_opts *opts, csm_error *err);

#ifdef __cplusplus
}
#endif

#endif /* CSMETRICS_RENEWALS_H */
