/** @file
 * csmetrics/contracts.h - contracts as billing systems export them
 * (columnar csm_contracts) and the options that normalize them to MRR.
 * csm_ledger_from_contracts (ledger.h) builds a ledger from them;
 * csm_renewals_compute (renewals.h) reads their renewals.
 *
 * Definitions: docs/metrics.md, "MRR ledger, movements, retention and
 * cohorts" (its "Inputs") and "Presets" (definition options 1 to 3).
 */
#ifndef CSMETRICS_CONTRACTS_H
#define CSMETRICS_CONTRACTS_H

#include "csmetrics/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Billing-interval units for contracts (definition option 1, docs/metrics.md "Presets"). */
typedef enum csm_interval_unit {
    CSM_UNIT_MONTH = 0, /**< MRR = amount / count */
    CSM_UNIT_YEAR = 1,  /**< MRR = amount / (12 x count) */
    CSM_UNIT_WEEK = 2,  /**< MRR = amount x 52/12 / count */
    CSM_UNIT_DAY = 3,   /**< MRR = amount x 365/12 / count */
    /** One interval spans the whole contract: amount is the contract's
     * value over its term (a CRM's "total contract value"), MRR = amount /
     * (term days x 12/365), term days = end_day - start_day + 1, and a
     * renewal values the contract at exactly amount; interval_count is not
     * read for such a row (the column may be NULL when every row is
     * CSM_UNIT_TERM). */
    CSM_UNIT_TERM = 4
} csm_interval_unit;

/** Charge kinds: only recurring charges are MRR (definition option 1 of
 * docs/metrics.md, "Presets"). */
typedef enum csm_charge_kind {
    CSM_CHARGE_RECURRING = 0, /**< a subscription charge: normalized to MRR */
    CSM_CHARGE_ONE_TIME = 1,  /**< a one-time charge (setup fee...): skipped */
    CSM_CHARGE_USAGE = 2      /**< a usage (metered) charge: skipped */
} csm_charge_kind;

/** Columnar contracts: the one contract input, of csm_ledger_from_contracts
 * and of csm_renewals_compute (csmetrics/renewals.h).  Required:
 * customer_id, start_day, end_day, amount, interval_count.  Optional
 * columns may be NULL.  channel and owner are grouping keys that only
 * renewals read; they come after n, so a positional initializer that
 * ends with n still means the same (channel and owner NULL). */
typedef struct csm_contracts {
    const int64_t *customer_id; /**< customer of the contract */
    /** first day of service, days since epoch, in [CSM_DAY_MIN,
     * CSM_DAY_MAX] (0001-01-01..9999-12-31) */
    const int32_t *start_day;
    /** last day of service, inclusive, in [CSM_DAY_MIN, CSM_DAY_MAX] */
    const int32_t *end_day;
    /** list price per billing interval (>= 0, finite); over all rows, the
     * amounts, MRR and term values (each row's amount x the largest of 1,
     * 1 / months per interval and term months / months per interval) sum
     * to at most CSM_SUM_MAX, else CSM_ERANGE at the row that passes it */
    const double *amount;
    const int32_t *interval_count; /**< billing interval length, > 0 (not read for CSM_UNIT_TERM rows) */
    const uint8_t *interval_unit;  /**< csm_interval_unit; NULL = months */
    const double *discount;        /**< discount per interval; NULL = none */
    const uint8_t *discount_recurring; /**< 1 = recurring; NULL = all 1 */
    const double *tax;   /**< tax and fees inside amount; NULL = none */
    const uint8_t *kind; /**< csm_charge_kind; NULL = all recurring */
    const int32_t *segment; /**< NULL = segment 0 */
    size_t n;               /**< number of contracts (rows) */
    const int32_t *channel; /**< sales channel code (renewals); NULL = none */
    const int32_t *owner;   /**< owner (e.g. CSM) code (renewals); NULL = none */
} csm_contracts;

/** How a contract's MRR is attributed to the months it covers
 * (csm_contracts_opts.proration; csm_ledger_from_contracts explains both). */
typedef enum csm_proration {
    CSM_PRORATION_SNAPSHOT = 0, /**< MRR counted where active at month end */
    CSM_PRORATION_DAILY = 1     /**< MRR x active days / days in month */
} csm_proration;

/** Which discounts reduce a contract's MRR (csm_contracts_opts.discount_mode;
 * definition option 2 of docs/metrics.md, "Presets"). */
typedef enum csm_discount_mode {
    CSM_DISCOUNT_ALL = 0,       /**< subtract every discount (default) */
    CSM_DISCOUNT_RECURRING = 1, /**< subtract only recurring discounts */
    CSM_DISCOUNT_IGNORE = 2     /**< list price MRR */
} csm_discount_mode;

/** Options of csm_ledger_from_contracts; fill the defaults with the
 * _INIT macro or the _opts_init function. */
typedef struct csm_contracts_opts {
    size_t size; /**< sizeof the struct as the caller knows it */
    int proration;     /**< csm_proration, default SNAPSHOT */
    int discount_mode; /**< csm_discount_mode, default ALL */
    int include_tax;   /**< 0 = tax and fees excluded from MRR (default) */
} csm_contracts_opts;

/** Initialiser of every option at its default (size = sizeof the struct). */
#define CSM_CONTRACTS_OPTS_INIT                                                 \
    {sizeof(csm_contracts_opts), CSM_PRORATION_SNAPSHOT, CSM_DISCOUNT_ALL, 0}
/** Set *opts (size bytes of it) to the defaults; CSM_EINVAL if opts
 * is NULL or size < sizeof(size_t). */
CSM_API CSM_NODISCARD csm_status
csm_contracts_opts_init(csm_contracts_opts *opts, size_t size);

#ifdef __cplusplus
}
#endif

#endif /* CSMETRICS_CONTRACTS_H */
