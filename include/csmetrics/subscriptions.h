/** @file
 * csmetrics/subscriptions.h - subscription exports as billing systems
 * produce them (one row per subscription item: plan amount, interval,
 * quantity, discount, trial, start, cancellation, and no end while the
 * subscription is active), normalized to the MRR ledger
 * (csm_subscriptions_to_ledger) or to contracts, one per billing term
 * (csm_subscriptions_to_contracts), with amounts in other currencies
 * converted by a rate table.
 *
 * The MRR rules are those of contracts (contracts.h, csm_ledger_from_contracts
 * in ledger.h): a subscription becomes contracts, and the ledger is built
 * from them.
 *
 * Definitions: docs/metrics.md, "Subscription exports" and "MRR ledger,
 * movements, retention and cohorts" (its "Inputs").
 */
#ifndef CSMETRICS_SUBSCRIPTIONS_H
#define CSMETRICS_SUBSCRIPTIONS_H

#include "csmetrics/common.h"
#include "csmetrics/contracts.h"
#include "csmetrics/ledger.h"

#ifdef __cplusplus
extern "C" {
#endif

/** "No date" in the day columns of csm_subscriptions (trial_end,
 * canceled_at, ended_at): INT32_MIN. */
#define CSM_SUBSCRIPTIONS_DAY_NONE INT32_MIN
/** "No currency" (csm_subscriptions_opts.reporting_currency): -1. */
#define CSM_SUBSCRIPTIONS_CURRENCY_NONE (-1)

/** A subscription's status in the export (the state at export time; its
 * dates tell its history).  Live statuses (active, trialing, past due)
 * run until ended_at, or are open-ended; stopped ones (canceled, unpaid,
 * paused) ran until ended_at, else canceled_at; never-paid ones
 * (incomplete, incomplete expired) are no MRR. */
typedef enum csm_subscriptions_status {
    CSM_SUBSCRIPTIONS_ACTIVE = 0,   /**< live, paying */
    CSM_SUBSCRIPTIONS_TRIALING = 1, /**< live, in its trial until trial_end */
    CSM_SUBSCRIPTIONS_PAST_DUE = 2, /**< live, a payment being retried */
    CSM_SUBSCRIPTIONS_CANCELED = 3, /**< stopped (needs ended_at or canceled_at) */
    CSM_SUBSCRIPTIONS_UNPAID = 4,   /**< stopped for non-payment (as canceled) */
    CSM_SUBSCRIPTIONS_PAUSED = 5,   /**< stopped by a pause (as canceled) */
    CSM_SUBSCRIPTIONS_INCOMPLETE = 6, /**< first payment never made: no MRR */
    CSM_SUBSCRIPTIONS_INCOMPLETE_EXPIRED = 7 /**< as incomplete: no MRR */
} csm_subscriptions_status;

/**
 * Columnar subscription items, one row per item as exported.  Required:
 * customer_id, amount, start_day.  Optional columns may be NULL (the
 * default given).  Days are days since 1970-01-01 (csm_day), in years
 * 1900 to 2999; CSM_SUBSCRIPTIONS_DAY_NONE in a day column is "no date".
 *
 * A row's service runs from start_day (or, trials excluded, from
 * trial_end when later) up to the day before ended_at (live statuses) or
 * before ended_at, else canceled_at (stopped statuses); a live row without
 * ended_at is open-ended and counts up to csm_subscriptions_opts.until_month.
 * A live row's canceled_at without ended_at is a cancellation scheduled for
 * later: the row is still live.  A row whose service is empty (ended the
 * day it started, or trialing until its end) is no MRR.
 *
 * Its MRR is that of a contract with, per billing interval,
 *   amount x quantity, minus tax x quantity (unless taxes are included),
 *   minus discount_percent % of that and discount_amount (when discounts
 *   are applied), never below 0,
 * over interval_count units of interval_unit (csm_interval_unit: day,
 * week, month or year), converted to the reporting currency with the rate
 * of each month.  One-time and metered (usage) items are no MRR.
 */
typedef struct csm_subscriptions {
    const int64_t *subscription_id; /**< the item's subscription (not read; kept for callers' joins); NULL allowed */
    const int64_t *customer_id; /**< the customer (a dense id, e.g. from a key dictionary, or the caller's own) */
    const uint8_t *status;      /**< csm_subscriptions_status; NULL = all active */
    const double *amount;       /**< plan price per billing interval per unit (>= 0, finite) */
    const int32_t *currency;    /**< currency code (csm_subscriptions_currency_code, or the caller's own); NULL = one currency */
    const uint8_t *interval_unit; /**< csm_interval_unit (DAY, WEEK, MONTH or YEAR); NULL = months */
    const int32_t *interval_count; /**< units per billing interval (> 0); NULL = 1 */
    const double *quantity;     /**< units (seats...), >= 0, finite; NULL = 1 */
    const double *discount_percent; /**< recurring discount in percent, 0..100; NULL = none */
    const double *discount_amount;  /**< recurring discount per interval for the whole item (>= 0); NULL = none */
    const int32_t *trial_end;   /**< first day after the trial; CSM_SUBSCRIPTIONS_DAY_NONE = no trial; NULL = none */
    const int32_t *start_day;   /**< the day the subscription started */
    const int32_t *canceled_at; /**< the day it was canceled (see above); NONE / NULL = not canceled */
    const int32_t *ended_at;    /**< the first day without service; NONE / NULL = not ended */
    const uint8_t *kind;        /**< csm_charge_kind; NULL = all recurring */
    const double *tax;          /**< tax and fees inside amount, per interval per unit (>= 0); NULL = none */
    const int32_t *segment;     /**< segment code of the ledger; NULL = segment 0 */
    size_t n;                   /**< number of rows */
} csm_subscriptions;

/** Columnar currency rates: rate[i] reporting-currency units per unit of
 * currency[i] in month[i] (a csm_month index).  Every (month, currency)
 * pair appears at most once. */
typedef struct csm_subscriptions_rates {
    const int32_t *month;    /**< the month the rate applies to */
    const int32_t *currency; /**< the currency code converted */
    const double *rate;      /**< units of the reporting currency per unit (> 0, finite) */
    size_t n;                /**< number of rates */
} csm_subscriptions_rates;

/** Options of csm_subscriptions_to_ledger and csm_subscriptions_to_contracts;
 * fill the defaults with the _INIT macro or the _opts_init function. */
typedef struct csm_subscriptions_opts {
    size_t size; /**< sizeof the struct as the caller knows it */
    /** Which day of the month counts: csm_proration, default SNAPSHOT (a
     * subscription counts in a month when in service on its last day, as
     * csm_ledger_from_contracts); DAILY prorates by days in service. */
    int proration;
    /** 0 = trials excluded (default): service counts from trial_end when
     * it is after start_day, and a trialing row without trial_end is no
     * MRR; 1 = trial days count as paid. */
    int include_trials;
    /** 1 = discounts applied (default); 0 = list price MRR. */
    int apply_discounts;
    /** 0 = tax and fees excluded from MRR (default); 1 = included. */
    int include_tax;
    /** The last month of open-ended (live, not ended) subscriptions;
     * CSM_MONTH_NONE (default) = the latest month of any date of the rows
     * (start_day, trial_end, canceled_at, ended_at): the export's month. */
    int32_t until_month;
    /** Rows in this currency are not converted (they need no rate);
     * CSM_SUBSCRIPTIONS_CURRENCY_NONE (default) = every row with a
     * currency is converted when rates are given. */
    int32_t reporting_currency;
} csm_subscriptions_opts;

/** Initialiser of every option at its default (size = sizeof the struct). */
#define CSM_SUBSCRIPTIONS_OPTS_INIT                                           \
    {sizeof(csm_subscriptions_opts), CSM_PRORATION_SNAPSHOT, 0, 1, 0,          \
     CSM_MONTH_NONE, CSM_SUBSCRIPTIONS_CURRENCY_NONE}
/** Set *opts (size bytes of it) to the defaults; CSM_EINVAL if opts
 * is NULL or size < sizeof(size_t). */
CSM_API CSM_NODISCARD csm_status
csm_subscriptions_opts_init(csm_subscriptions_opts *opts, size_t size);

/** The code of a three-letter currency (ISO 4217 "EUR", any case):
 * ((L1 x 27) + L2) x 27 + L3 with A = 1 .. Z = 26, so codes sort as the
 * letters and csm_subscriptions_currency_label gives them back.
 * CSM_EDOMAIN (field "currency") unless text is exactly three ASCII
 * letters; CSM_EINVAL if text or code is NULL. */
CSM_API CSM_NODISCARD csm_status csm_subscriptions_currency_code(
    int32_t *code, const char *text, csm_error *err);
/** The three letters of a currency code of csm_subscriptions_currency_code
 * (upper case) into buf (4 bytes with the NUL): 1, or 0 (buf "") when
 * code is not such a code or buf is NULL. */
CSM_API int csm_subscriptions_currency_label(char buf[4], int32_t code);

/** The status code (csm_subscriptions_status) of a status as billing
 * systems export it: "active", "trialing", "past_due", "canceled" (or
 * "cancelled"), "unpaid", "paused", "incomplete", "incomplete_expired",
 * any case; an empty text is "active".  CSM_EDOMAIN (field "status") for
 * any other text; CSM_EINVAL if code or text is NULL. */
CSM_API CSM_NODISCARD csm_status csm_subscriptions_status_code(
    uint8_t *code, const char *text, csm_error *err);
/** The csm_interval_unit of a billing interval's name: "day", "week",
 * "month" or "year" (any case, a plural "s" allowed); an empty text is
 * "month".  CSM_EDOMAIN (field "interval_unit") for any other text;
 * CSM_EINVAL if code or text is NULL. */
CSM_API CSM_NODISCARD csm_status csm_subscriptions_unit_code(
    uint8_t *code, const char *text, csm_error *err);
/** The csm_charge_kind of a charge's kind as billing systems export it:
 * "recurring" (or Stripe's usage type "licensed") is
 * CSM_CHARGE_RECURRING, "one_time" (or "one-time") CSM_CHARGE_ONE_TIME,
 * "metered" (or "usage") CSM_CHARGE_USAGE; any case; an empty text is
 * "recurring".  CSM_EDOMAIN (field "kind") for any other text;
 * CSM_EINVAL if code or text is NULL. */
CSM_API CSM_NODISCARD csm_status csm_subscriptions_kind_code(
    uint8_t *code, const char *text, csm_error *err);
/** The whole months of a billing interval of count units of unit
 * (csm_interval_unit): count for CSM_UNIT_MONTH, 12 x count for
 * CSM_UNIT_YEAR; 0 when it is not a whole number of months (days,
 * weeks, CSM_UNIT_TERM, an unknown unit), when count <= 0, or beyond
 * INT32_MAX months. */
CSM_API int32_t csm_subscriptions_interval_months(int unit, int32_t count);

/**
 * Build a ledger from subscription items (rules: csm_subscriptions): each
 * row's service, cut into months when its amount is converted, becomes
 * contracts of csm_ledger_from_contracts, so a month's MRR is that of
 * the contracts in service on its last day (snapshot) or prorated (daily).
 *
 * rates may be NULL when every row is in one currency (no conversion);
 * with rates, a row whose currency is not opts.reporting_currency needs a
 * rate for every month it is in service.
 *
 * Errors: CSM_EINVAL (out or subs NULL, a required column NULL while n > 0,
 * unknown status, kind or unit (CSM_UNIT_TERM included), bad opts or
 * ledger_opts); CSM_EDOMAIN with row and field: amount, quantity, tax or
 * discount_amount negative or not finite, discount_percent outside
 * 0..100, interval_count <= 0, a day outside years 1900..2999, start_day
 * none, trial_end, ended_at or canceled_at before start_day, a stopped row without
 * ended_at and canceled_at ("ended_at"), a second currency without rates
 * ("currency"), a missing rate (field "currency", the text naming the
 * currency and the month), a bad rate (row of the rate table, field
 * "rates.rate" or "rates.month"; a repeated pair), an MRR that is not
 * finite ("amount"); CSM_ENOMEM.  On failure *out is NULL.
 */
CSM_API CSM_NODISCARD csm_status csm_subscriptions_to_ledger(
    csm_ledger **out, const csm_subscriptions *subs,
    const csm_subscriptions_rates *rates, const csm_subscriptions_opts *opts,
    const csm_ledger_opts *ledger_opts, csm_error *err);

/** Subscriptions as contracts: one contract per billing term (see
 * csm_subscriptions_to_contracts).  The arrays belong to the struct. */
typedef struct csm_subscriptions_contracts {
    /** The contracts: customer_id, start_day, end_day (the term's natural
     * last day, also for a term whose service stopped earlier), amount
     * (per interval, net: quantity, tax and discounts applied per the
     * options, converted at the rate of the term's first month),
     * interval_count, interval_unit and segment set; other columns NULL. */
    csm_contracts contracts;
    const size_t *row;   /**< the subscription row of each contract */
    const double *value; /**< each contract's net value over its term: its net amount (every term is a whole billing term) */
    const uint8_t *open; /**< 1 = the term in progress of an open-ended subscription (renewed after it unless canceled later), 0 = any other term */
    const csm_allocator *allocator; /**< the allocator of the arrays (copied pointer) */
    /** The last day of service of each contract: end_day, or the day
     * before the row's service stopped (ended_at, canceled_at) when that
     * is inside the term (a term cut short: a termination). */
    const int32_t *service_end;
} csm_subscriptions_contracts;

/**
 * Subscription items as contracts, one per billing term, for renewals
 * (csm_renewals_compute): a row in service from S to E becomes the terms
 * S .. S + interval - 1, S + interval .., (interval = interval_count
 * units: calendar months or years from S's day of month, a month's last
 * day when shorter; or days, 7 a week) up to the one in service on E.
 * An open-ended row gives every term that starts by the end of
 * opts.until_month, the last one whole (it may end after that month: the
 * renewal is due then).
 *
 * Every term is whole and ends on its natural last day, worth its net
 * amount.  A term whose service stopped before that day (a cancellation
 * that took effect at once) was terminated, not up for renewal when it
 * stopped: it stays due on the day its renewal was due, for its whole
 * value, and renewals read it as any other contract there: renewed when
 * a later contract of the customer renews it (a subscription that
 * replaced it inside the term: an upgrade, a switch of plan), else
 * churned (pending while its grace period runs).  The day service
 * stopped is service_end; the MRR of the service as it ran is
 * csm_subscriptions_to_ledger's.  Rows that are no MRR give no contract.
 *
 * Errors as csm_subscriptions_to_ledger; allocator (NULL = malloc/free)
 * allocates the result.  On failure *out is NULL.
 */
CSM_API CSM_NODISCARD csm_status csm_subscriptions_to_contracts(
    csm_subscriptions_contracts **out, const csm_subscriptions *subs,
    const csm_subscriptions_rates *rates, const csm_subscriptions_opts *opts,
    const csm_allocator *allocator, csm_error *err);

/** Free a csm_subscriptions_contracts (NULL is allowed). */
CSM_API void csm_subscriptions_contracts_free(csm_subscriptions_contracts *c);

#ifdef __cplusplus
}
#endif

#endif /* CSMETRICS_SUBSCRIPTIONS_H */
