/** @file
 * csmetrics/ledger.h - the MRR ledger and the revenue-retention metrics
 * computed from it: MRR movements, GRR / NRR / logo retention over a window,
 * and cohort matrices, each per month and per segment.
 *
 * Data flow: caller arrays (rows or contracts) -> csm_ledger (validated,
 * sorted by customer and month once, duplicates merged) -> computations
 * (movements, retention, cohorts) -> result tables the caller frees.
 *
 * Units: money in currency units per month (MRR); months are int32 month
 * indices (csm_month(year, month) = year*12 + month-1); rates are fractions.
 *
 * Threads: a csm_ledger is immutable once built; any number of threads may
 * run computations on the same ledger at once.  Result tables belong to the
 * caller.  No global state.
 *
 * Definitions: docs/metrics.md, "MRR ledger", "Movements", "Retention",
 * "Cohorts", "Presets".
 */
#ifndef CSMETRICS_LEDGER_H
#define CSMETRICS_LEDGER_H

#include "csmetrics/common.h"
#include "csmetrics/table.h"

#ifdef __cplusplus
extern "C" {
#endif

/** "no month given" for optional month fields (month index INT32_MIN). */
#define CSM_MONTH_NONE INT32_MIN
/** The segment id of "all segments" rows. */
#define CSM_CODE_ALL INT32_MIN
/** Function twins of the constants, for bindings. */
CSM_API int32_t csm_month_none(void);
CSM_API int32_t csm_code_all(void);

/* ---- presets (docs/metrics.md, "Presets") ------------------------------ */
typedef enum csm_preset {
    CSM_PRESET_DEFAULT = 0,
    CSM_PRESET_CHARTMOGUL_B2B = 1,
    CSM_PRESET_STRIPE = 2,
    CSM_PRESET_BAREMETRICS = 3
} csm_preset;

/* ---- building a ledger ------------------------------------------------ */
typedef struct csm_ledger csm_ledger; /**< opaque, immutable once built */

/** Options of the csm_ledger call; fill the defaults with the
 * _INIT macro or the _opts_init function. */
typedef struct csm_ledger_opts {
    size_t size; /**< sizeof the struct as the caller knows it */
    /** Duplicate (customer, period) rows: 0 = summed (default), 1 = the
     * build fails with CSM_EDUP naming the second row. */
    int strict;
    /** A row with MRR 0 (e.g. a 100% discount): 0 = the customer is not
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
 * units per month) in month period[i], optionally in segment segment[i]
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
 * CSM_EDOMAIN (mrr negative or not finite: row index, field "mrr"),
 * CSM_EDUP (strict mode: row index of a duplicate, field "period"),
 * CSM_ENOMEM.  n = 0 gives a valid empty ledger.  On failure *out is NULL.
 */
CSM_API CSM_NODISCARD csm_status csm_ledger_new(
    csm_ledger **out, const int64_t *customer_id, const int32_t *period,
    const double *mrr, const int32_t *segment, size_t n,
    const csm_ledger_opts *opts, csm_error *err);

/** Billing-interval units for contracts (definition option 1, docs/metrics.md "Presets"). */
typedef enum csm_interval_unit {
    CSM_UNIT_MONTH = 0, /**< MRR = amount / count */
    CSM_UNIT_YEAR = 1,  /**< MRR = amount / (12 x count) */
    CSM_UNIT_WEEK = 2,  /**< MRR = amount x 52/12 / count */
    CSM_UNIT_DAY = 3    /* MRR = amount x 365/12 / count */
} csm_interval_unit;

/** Charge kinds: only recurring charges are MRR (item 1). */
typedef enum csm_charge_kind {
    CSM_CHARGE_RECURRING = 0,
    CSM_CHARGE_ONE_TIME = 1,
    CSM_CHARGE_USAGE = 2
} csm_charge_kind;

/** Columnar contracts: the one contract input, of csm_ledger_from_contracts
 * and of csm_renewals_compute (csmetrics/renewals.h).  Required:
 * customer_id, start_day, end_day, amount, interval_count.  Optional
 * columns may be NULL.  channel and owner are grouping keys that only
 * renewals read; they come after n, so a positional initializer that
 * ends with n still means the same (channel and owner NULL). */
typedef struct csm_contracts {
    const int64_t *customer_id; /**< customer of the contract */
    const int32_t *start_day; /**< first day of service, days since epoch */
    const int32_t *end_day;   /**< last day of service, inclusive */
    const double *amount;     /**< list price per billing interval (>= 0) */
    const int32_t *interval_count; /**< billing interval length, > 0 */
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

typedef enum csm_proration {
    CSM_PRORATION_SNAPSHOT = 0, /**< MRR counted where active at month end */
    CSM_PRORATION_DAILY = 1     /* MRR x active days / days in month */
} csm_proration;

typedef enum csm_discount_mode {
    CSM_DISCOUNT_ALL = 0,       /**< subtract every discount (default) */
    CSM_DISCOUNT_RECURRING = 1, /**< subtract only recurring discounts */
    CSM_DISCOUNT_IGNORE = 2     /* list price MRR */
} csm_discount_mode;

/** Options of the csm_contract call; fill the defaults with the
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

/**
 * Build a ledger from contracts, normalizing each to MRR:
 *   MRR = (amount - tax - discount) / months-per-interval
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
 * Errors: CSM_EINVAL (NULL required column, unknown unit or kind, bad
 * opts), CSM_EDOMAIN with row and field (end_day < start_day "end_day";
 * interval_count <= 0; amount, discount or tax negative or not finite),
 * CSM_ENOMEM.  ledger_opts as for csm_ledger_new (strict has no effect:
 * contracts of one customer may overlap).
 */
CSM_API CSM_NODISCARD csm_status csm_ledger_from_contracts(
    csm_ledger **out, const csm_contracts *contracts,
    const csm_contracts_opts *opts, const csm_ledger_opts *ledger_opts,
    csm_error *err);

/** Free a ledger (NULL is allowed). */
CSM_API void csm_ledger_free(csm_ledger *ledger);

/** Size and range of a ledger.  For an empty ledger first/last month are
 * CSM_MONTH_NONE. */
CSM_API size_t csm_ledger_customer_count(const csm_ledger *ledger);
CSM_API size_t csm_ledger_entry_count(const csm_ledger *ledger);
CSM_API int32_t csm_ledger_first_month(const csm_ledger *ledger);
CSM_API int32_t csm_ledger_last_month(const csm_ledger *ledger);
/** Total MRR of month m (compensated sum in ledger order; 0 outside). */
CSM_API double csm_ledger_mrr(const csm_ledger *ledger, int32_t month);

/* ---- movements -------------------------------------------------------- */
typedef enum csm_churn_denominator {
    CSM_DENOM_START = 0,          /**< customers at period start (default) */
    CSM_DENOM_START_PLUS_NEW = 1, /**< start + new + reactivated (Stripe) */
    CSM_DENOM_AVERAGE = 2,        /**< (start + end) / 2 */
    /** ChartMogul B2C ("Shopify") style: the sum over the days d of the
     * month of churned(d) / active(d), where active(d) counts customers
     * with service on day d-1 and churned(d) those whose service ended on
     * day d-1 (contracts merged per customer).  Needs day-level data: only
     * for ledgers built with csm_ledger_from_contracts (else CSM_EINVAL).
     * Intra-period customers are not counted by this convention. */
    CSM_DENOM_DAILY = 3
} csm_churn_denominator;

/** Options of the csm_movements call; fill the defaults with the
 * _INIT macro or the _opts_init function. */
typedef struct csm_movements_opts {
    size_t size; /**< sizeof the struct as the caller knows it */
    /** Months of absence after which a returning customer is new business
     * again; 0 = no limit (every return is a reactivation).  A customer
     * last active in month L who returns in t was away k = t - L - 1
     * months; it is a reactivation when k <= window. */
    int32_t reactivation_window;
    /** Changes with |m_t - m_{t-1}| <= tolerance count as no change; their
     * sum goes to the adjustment line.  0 = exact comparison (default). */
    double tolerance;
    /** Item 7: 0 = customers who start and stop inside one month are
     * excluded (ChartMogul B2B, default), 1 = counted as new and churned
     * and in the churn-rate denominator (Stripe). */
    int count_intra_period;
    int churn_denominator; /**< csm_churn_denominator */
    /** 1 = one row per (month, segment) with segment-switch lines (item
     * 11); 0 = one row per month for all segments. */
    int by_segment;
    /** Month range [first_month, last_month]; CSM_MONTH_NONE = the
     * ledger's first / last month. */
    int32_t first_month;
    int32_t last_month;
} csm_movements_opts;

/** Initialiser of every option at its default (size = sizeof the struct). */
#define CSM_MOVEMENTS_OPTS_INIT                                                \
    {sizeof(csm_movements_opts), 0, 0.0, 0, CSM_DENOM_START, 0,              \
     CSM_MONTH_NONE, CSM_MONTH_NONE}
/** Set *opts (size bytes of it) to the defaults; CSM_EINVAL if opts
 * is NULL or size < sizeof(size_t). */
CSM_API CSM_NODISCARD csm_status
csm_movements_opts_init(csm_movements_opts *opts, size_t size);
/** Overwrite the definition options of opts (not size, by_segment or the
 * month range) with a preset's values.  CSM_EINVAL for an unknown preset. */
CSM_API CSM_NODISCARD csm_status
csm_movements_opts_preset(csm_movements_opts *opts, csm_preset preset);

/*
 * MRR movements table: n_rows rows (n_months x n_segments with by_segment,
 * else n_months), ordered by month then segment; every array has n_rows
 * elements.  For customer c with m_{t-1}, m_t its MRR in t-1 and t:
 *   new          m_{t-1} = 0 < m_t, c never active before (or away longer
 *                than the reactivation window)          amount m_t
 *   reactivation m_{t-1} = 0 < m_t, c active before       amount m_t
 *   expansion    0 < m_{t-1} < m_t                       m_t - m_{t-1}
 *   contraction  0 < m_t < m_{t-1}                       m_{t-1} - m_t
 *   churn        m_{t-1} > 0 = m_t                       m_{t-1}
 * (with free_is_active, "> 0" reads "active").  net_new = new +
 * reactivation + expansion - contraction - churn + adjustment +
 * segment_in - segment_out, and closing = opening + net_new in every row.
 * Rates: customer_churn_rate = churned_customers / denominator option;
 * gross_mrr_churn_rate = (churn + contraction) / opening_mrr;
 * net_mrr_churn_rate = (churn + contraction - expansion - reactivation) /
 * opening_mrr; quick_ratio = (new + reactivation + expansion) /
 * (contraction + churn); arpa = closing_mrr / closing_customers;
 * arr = 12 x closing_mrr.  A zero denominator gives NaN and sets
 * CSM_FLAG_ZERO_DENOMINATOR in flags[row].
 */
/** The movements table's columns (csmetrics/table.h explains the list):
 * X(member, "column", TYPE, STORAGE, ROLE, "description"). */
#define CSM_MOVEMENTS_COLUMNS(X)                                               \
    X(month, "month", MONTH, I32, KEY, "month of the row")                     \
    X(segment, "segment", CODE, I32, KEY,                                      \
      "segment id; CSM_CODE_ALL (null in Arrow) when not by segment")       \
    X(opening_mrr, "opening_mrr", MONEY, F64, MAIN,                            \
      "MRR at the end of month t-1")                                           \
    X(new_mrr, "new", MONEY, F64, MAIN, "MRR of new customers")                \
    X(reactivation_mrr, "reactivation", MONEY, F64, MAIN,                      \
      "MRR of returning customers")                                            \
    X(expansion_mrr, "expansion", MONEY, F64, MAIN, "MRR increases")           \
    X(contraction_mrr, "contraction", MONEY, F64, MAIN, "MRR decreases")       \
    X(churn_mrr, "churn", MONEY, F64, MAIN, "MRR of customers who left")       \
    X(adjustment_mrr, "adjustment", MONEY, F64, DETAIL,                        \
      "net of changes within the tolerance")                                   \
    X(segment_in_mrr, "segment_in", MONEY, F64, MAIN,                          \
      "MRR that entered the segment from another")                             \
    X(segment_out_mrr, "segment_out", MONEY, F64, MAIN,                        \
      "MRR that left the segment for another")                                 \
    X(net_new_mrr, "net_new", MONEY, F64, MAIN, "closing_mrr - opening_mrr")   \
    X(closing_mrr, "closing_mrr", MONEY, F64, MAIN,                            \
      "MRR at the end of month t")                                             \
    X(opening_customers, "opening_customers", COUNT, I64, DETAIL,              \
      "customers active in t-1")                                               \
    X(closing_customers, "customers", COUNT, I64, MAIN,                        \
      "customers active in t")                                                 \
    X(new_customers, "new_customers", COUNT, I64, MAIN, "new customers")       \
    X(reactivated_customers, "reactivated_customers", COUNT, I64, DETAIL,      \
      "returning customers")                                                   \
    X(expanded_customers, "expanded_customers", COUNT, I64, DETAIL,            \
      "customers whose MRR rose")                                              \
    X(contracted_customers, "contracted_customers", COUNT, I64, DETAIL,        \
      "customers whose MRR fell")                                              \
    X(churned_customers, "churned_customers", COUNT, I64, MAIN,                \
      "customers who left")                                                    \
    X(segment_in_customers, "segment_in_customers", COUNT, I64, DETAIL,        \
      "customers who entered the segment")                                     \
    X(segment_out_customers, "segment_out_customers", COUNT, I64, DETAIL,      \
      "customers who left the segment")                                        \
    X(intra_period_customers, "intra_period_customers", COUNT, I64, DETAIL,    \
      "customers who started and stopped inside the month")                    \
    X(customer_churn_rate, "customer_churn_rate", FRACTION, F64, MAIN,         \
      "churned customers / the denominator option")                            \
    X(gross_mrr_churn_rate, "gross_mrr_churn_rate", FRACTION, F64, MAIN,       \
      "(churn + contraction) / opening_mrr")                                   \
    X(net_mrr_churn_rate, "net_mrr_churn_rate", FRACTION, F64, MAIN,           \
      "(churn + contraction - expansion - reactivation) / opening_mrr")        \
    X(quick_ratio, "quick_ratio", NUMBER, F64, MAIN,                           \
      "(new + reactivation + expansion) / (contraction + churn)")              \
    X(arpa, "arpa", MONEY, F64, MAIN, "closing_mrr / customers")               \
    X(arr, "arr", MONEY, F64, DETAIL, "12 x closing_mrr")                      \
    X(flags, "flags", FLAGS, U32, DETAIL, "CSM_FLAG_* bits of the row")

typedef struct csm_movements {
    csm_result *result; /**< the self-describing table "movements" */
    size_t n_rows;
    size_t n_months;
    size_t n_segments; /**< 1 when not by_segment */
    CSM_MOVEMENTS_COLUMNS(CSM_COLUMN_MEMBER)
} csm_movements;

/** Compute movements from a ledger.  Errors: CSM_EINVAL (NULL, bad opts,
 * first_month > last_month, negative window or tolerance), CSM_ENOMEM.
 * An empty ledger without an explicit range gives a table of 0 rows. */
CSM_API CSM_NODISCARD csm_status
csm_movements_compute(csm_movements **out, const csm_ledger *ledger,
                      const csm_movements_opts *opts, csm_error *err);
CSM_API void csm_movements_free(csm_movements *m);

/* ---- retention over a window -------------------------------------------- */
typedef enum csm_nrr_mode {
    /** Section 3: NRR = sum over base of m_{t1} / sum m_{t0}; a base
     * customer who left and came back by t1 counts at its t1 MRR.
     * GRR = sum min(m_{t1}, m_{t0}) / sum m_{t0}. (default) */
    CSM_NRR_SNAPSHOT = 0,
    /** ChartMogul's movement sum: (start + expansion - contraction - churn)
     * / start over the months t0+1..t1 for the base, reactivation excluded:
     * NRR = (sum m_{t1} - reactivation MRR of the base) / sum m_{t0};
     * GRR = (start - contraction - churn) / start. */
    CSM_NRR_MOVEMENT_SUM = 1
} csm_nrr_mode;

/** Options of the csm_retention call; fill the defaults with the
 * _INIT macro or the _opts_init function. */
typedef struct csm_retention_opts {
    size_t size; /**< sizeof the struct as the caller knows it */
    int32_t window; /**< months between t0 and t1, >= 1 (default 12) */
    int nrr_mode;   /**< csm_nrr_mode */
    int by_segment; /**< segment = the customer's segment at t0 */
    /** Range of t1; CSM_MONTH_NONE = first + window .. last month. */
    int32_t first_month;
    int32_t last_month;
} csm_retention_opts;

/** Initialiser of every option at its default (size = sizeof the struct). */
#define CSM_RETENTION_OPTS_INIT                                                \
    {sizeof(csm_retention_opts), 12, CSM_NRR_SNAPSHOT, 0, CSM_MONTH_NONE,    \
     CSM_MONTH_NONE}
/** Set *opts (size bytes of it) to the defaults; CSM_EINVAL if opts
 * is NULL or size < sizeof(size_t). */
CSM_API CSM_NODISCARD csm_status
csm_retention_opts_init(csm_retention_opts *opts, size_t size);
CSM_API CSM_NODISCARD csm_status
csm_retention_opts_preset(csm_retention_opts *opts, csm_preset preset);

/**
 * Rolling retention: one row per t1 (and segment), t0 = t1 - window,
 * ordered by t1 then segment.  Base = customers active in t0 (m_{t0} > 0).
 *   grr = sum_base min(m_{t1}, m_{t0}) / base_mrr        (<= 1)
 *   nrr = sum_base m_{t1} / base_mrr                      (may exceed 1)
 *   logo_retention = retained_customers / base_customers
 * with retained_customers = |{c in base : active in t1}|.  base_mrr = 0
 * gives NaN (null in Arrow) and CSM_FLAG_ZERO_DENOMINATOR; an empty base
 * also sets CSM_FLAG_EMPTY.
 *
 * The result is one table, "retention" (csmetrics/table.h), of n_rows rows
 * whose columns are the list below, in this order: X(member, "column",
 * TYPE, STORAGE, ROLE, "description").
 */
#define CSM_RETENTION_COLUMNS(X)                                               \
    X(end_month, "end_month", MONTH, I32, KEY, "end of the window, t1")        \
    X(segment, "segment", CODE, I32, KEY,                                      \
      "segment at t0; CSM_CODE_ALL (null in Arrow) when not by segment")    \
    X(start_month, "start_month", MONTH, I32, MAIN,                            \
      "start of the window, t0 = t1 - window")                                 \
    X(base_customers, "base_customers", COUNT, I64, MAIN,                      \
      "customers active in t0")                                                \
    X(retained_customers, "retained_customers", COUNT, I64, DETAIL,            \
      "customers of the base active in t1")                                    \
    X(base_mrr, "base_mrr", MONEY, F64, MAIN, "MRR of the base in t0")         \
    X(retained_mrr, "retained_mrr", MONEY, F64, DETAIL,                        \
      "GRR numerator over the base (snapshot: sum of min(m_t1, m_t0))")        \
    X(end_mrr, "end_mrr", MONEY, F64, DETAIL, "MRR of the base in t1")         \
    X(reactivation_mrr, "reactivation_mrr", MONEY, F64, DETAIL,                \
      "MRR of base customers' reactivations in (t0, t1]")                      \
    X(grr, "grr", FRACTION, F64, MAIN, "gross revenue retention")              \
    X(nrr, "nrr", FRACTION, F64, MAIN, "net revenue retention")                \
    X(logo_retention, "logo_retention", FRACTION, F64, MAIN,                   \
      "retained_customers / base_customers")                                   \
    X(flags, "flags", FLAGS, U32, DETAIL, "CSM_FLAG_* bits of the row")

typedef struct csm_retention {
    csm_result *result; /**< the self-describing table "retention" */
    size_t n_rows;
    CSM_RETENTION_COLUMNS(CSM_COLUMN_MEMBER)
} csm_retention;

/** Compute rolling retention from a ledger.  Errors: CSM_EINVAL (NULL,
 * bad opts, window < 1, first_month > last_month), CSM_ERANGE (a month
 * range over 10,000 years, a window start out of range), CSM_ENOMEM.  A
 * window longer than the data (no explicit range) gives 0 rows.  Free with
 * csm_retention_free (= csm_result_free(r->result)). */
CSM_API CSM_NODISCARD csm_status
csm_retention_compute(csm_retention **out, const csm_ledger *ledger,
                      const csm_retention_opts *opts, csm_error *err);
CSM_API void csm_retention_free(csm_retention *r);

/* ---- cohorts ----------------------------------------------------------- */
/** Options of the csm_cohort call; fill the defaults with the
 * _INIT macro or the _opts_init function. */
typedef struct csm_cohorts_opts {
    size_t size; /**< sizeof the struct as the caller knows it */
    /** Optional caller-given cohort key per customer (e.g. signing month):
     * n_keys pairs (key_customer[i], key_month[i]).  Customers without a
     * key use their first active month.  Activity before a customer's key
     * month is ignored. */
    const int64_t *key_customer;
    const int32_t *key_month;
    size_t n_keys;
    int baseline; /**< age that counts as 100%: 0 (default) or 1 (item 13) */
    int by_segment; /**< segment = the customer's segment in its first month */
    int32_t max_age; /**< ages 0..max_age; <= 0 = up to the ledger's end */
} csm_cohorts_opts;

/** Initialiser of every option at its default (size = sizeof the struct). */
#define CSM_COHORTS_OPTS_INIT                                                   \
    {sizeof(csm_cohorts_opts), NULL, NULL, 0, 0, 0, 0}
/** Set *opts (size bytes of it) to the defaults; CSM_EINVAL if opts
 * is NULL or size < sizeof(size_t). */
CSM_API CSM_NODISCARD csm_status csm_cohorts_opts_init(csm_cohorts_opts *opts,
                                                      size_t size);

/**
 * Cohort matrices [cohort x age], row-major with n_ages columns.  Cell
 * (k, a) covers month cohort[k] + a.  customers = cohort members active in
 * that month, mrr = their MRR; *_frac = value / the cohort's value at the
 * baseline age.  Cells past the ledger's last month are NaN (not yet
 * observed; null in Arrow).  A zero baseline gives NaN fractions and
 * CSM_FLAG_ZERO_DENOMINATOR in the row's flags.  Cohorts are ordered by
 * cohort month then segment.
 *
 * The result holds two tables (csmetrics/table.h):
 *   "cohorts" (n_cohorts rows, CSM_COHORTS_COLUMNS): one row per cohort;
 *   "cohort_cells" (n_cohorts x n_ages rows, CSM_COHORT_CELLS_COLUMNS):
 *     one row per cell in row-major order, so row k*n_ages + a is cell
 *     (k, a) and c->customers[k*n_ages + a] reads it; the key columns
 *     cohort, segment and age repeat the cohort's keys and give the age.
 * X(member, "column", TYPE, STORAGE, ROLE, "description").
 */
#define CSM_COHORTS_COLUMNS(X)                                                 \
    X(cohort, "cohort", MONTH, I32, KEY,                                       \
      "cohort month (first active month, or the caller's key)")               \
    X(segment, "segment", CODE, I32, KEY,                                      \
      "segment in the cohort month; CSM_CODE_ALL (null in Arrow) when "     \
      "not by segment")                                                        \
    X(size, "size", COUNT, I64, MAIN, "customers in the cohort")               \
    X(flags, "flags", FLAGS, U32, DETAIL, "CSM_FLAG_* bits of the cohort")

#define CSM_COHORT_CELLS_COLUMNS(X)                                            \
    X(cell_cohort, "cohort", MONTH, I32, KEY, "cohort month of the cell")      \
    X(cell_segment, "segment", CODE, I32, KEY,                                 \
      "segment of the cell's cohort; CSM_CODE_ALL (null in Arrow) when "    \
      "not by segment")                                                        \
    X(cell_age, "age", NUMBER, I32, KEY,                                       \
      "months since the cohort month (0 = the cohort month)")                 \
    X(customers, "customers", COUNT, F64, DETAIL,                              \
      "cohort members active at that age; NaN (null) if not yet observed")     \
    X(mrr, "mrr", MONEY, F64, DETAIL,                                          \
      "their MRR; NaN (null) if not yet observed")                             \
    X(customers_frac, "customers_frac", FRACTION, F64, MAIN,                   \
      "customers / customers at the baseline age")                             \
    X(mrr_frac, "mrr_frac", FRACTION, F64, MAIN,                               \
      "mrr / mrr at the baseline age")

typedef struct csm_cohorts {
    csm_result *result; /**< tables "cohorts" and "cohort_cells" */
    size_t n_cohorts;   /**< rows of "cohorts" */
    size_t n_ages;      /**< "cohort_cells" has n_cohorts x n_ages rows */
    CSM_COHORTS_COLUMNS(CSM_COLUMN_MEMBER)
    CSM_COHORT_CELLS_COLUMNS(CSM_COLUMN_MEMBER)
} csm_cohorts;

/** Compute cohort matrices from a ledger.  Errors: CSM_EINVAL (NULL, bad
 * opts, baseline not 0 or 1, key arrays NULL while n_keys > 0), CSM_EDUP
 * (a customer with two cohort keys: row of the second, field
 * "key_customer"), CSM_ERANGE (cohorts or ages spanning over 10,000
 * years, a matrix too large), CSM_ENOMEM.  An empty ledger gives 0 rows in
 * both tables.  Free with csm_cohorts_free (= csm_result_free(c->result)). */
CSM_API CSM_NODISCARD csm_status csm_cohorts_compute(
    csm_cohorts **out, const csm_ledger *ledger, const csm_cohorts_opts *opts,
    csm_error *err);
CSM_API void csm_cohorts_free(csm_cohorts *c);

#ifdef __cplusplus
}
#endif

#endif /* CSMETRICS_LEDGER_H */
