/** @file
 * csmetrics/ltv.h - unit economics: simple LTV (with a lifetime cap and a
 * zero-churn policy), the seed LTV formula, CAC, LTV/CAC and CAC payback.
 *
 * Money in currency units; churn is a monthly fraction; lifetimes and
 * payback are in months.  The metric functions are pure (no allocation,
 * reentrant); csm_ltv_from_ledger allocates only while it works.
 * Model-based LTV (from a fitted retention model) is in survival.h.
 *
 * Result tables: csm_ltv_result and csm_metric declare their fields once
 * (CSM_LTV_RESULT_COLUMNS, CSM_METRIC_COLUMNS; csmetrics/table.h), and
 * csm_ltv_table / csm_metric_table copy n of them into a one-table result
 * keyed by "group", named as in nps.h (csm_<name>_table,
 * csm_<name>_results, csm_<name>_results_free, table "<name>").
 * Definitions and worked examples: docs/metrics.md, "LTV and CAC".
 */
#ifndef CSMETRICS_LTV_H
#define CSMETRICS_LTV_H

#include "csmetrics/common.h"
#include "csmetrics/ledger.h"
#include "csmetrics/table.h"

#ifdef __cplusplus
extern "C" {
#endif

#ifndef CSM_METRIC_DEFINED
#define CSM_METRIC_DEFINED
/** One figure and its flags (NaN + CSM_FLAG_ZERO_DENOMINATOR for a zero
 * denominator).  Its unit is the function's (CAC in currency units, LTV/CAC
 * a ratio, payback in months), hence the NUMBER type of its column. */
#define CSM_METRIC_COLUMNS(X)                                                  \
    X(value, "value", NUMBER, F64, MAIN,                                       \
      "the figure, in the unit of the function that computed it")              \
    X(flags, "flags", FLAGS, U32, DETAIL, "CSM_FLAG_ZERO_DENOMINATOR")

typedef struct csm_metric {
    CSM_METRIC_COLUMNS(CSM_FIELD_MEMBER)
} csm_metric;
#endif

/** What simple LTV does when the churn rate is 0. */
typedef enum csm_zero_churn_policy {
    CSM_ZERO_CHURN_ERROR = 0, /**< CSM_EDOMAIN (default) */
    CSM_ZERO_CHURN_FLOOR = 1, /**< use max(churn, churn_floor) for any churn */
    CSM_ZERO_CHURN_CAP = 2    /* lifetime = lifetime_cap_months */
} csm_zero_churn_policy;

/** Options of the csm_ltv call; fill the defaults with the
 * _INIT macro or the _opts_init function. */
typedef struct csm_ltv_opts {
    size_t size; /**< sizeof the struct as the caller knows it */
    int zero_churn;             /**< csm_zero_churn_policy */
    double churn_floor;         /**< default 0.0167 (Stripe's 1.67%) */
    double lifetime_cap_months; /**< > 0 caps the lifetime; 0 = no cap */
} csm_ltv_opts;

/** Initialiser of every option at its default (size = sizeof the struct). */
#define CSM_LTV_OPTS_INIT {sizeof(csm_ltv_opts), CSM_ZERO_CHURN_ERROR, 0.0167, 0.0}
/** Set *opts (size bytes of it) to the defaults; CSM_EINVAL if opts
 * is NULL or size < sizeof(size_t). */
CSM_API CSM_NODISCARD csm_status csm_ltv_opts_init(csm_ltv_opts *opts,
                                                   size_t size);

#define CSM_LTV_RESULT_COLUMNS(X)                                              \
    X(ltv, "ltv", MONEY, F64, MAIN, "lifetime value, currency units")          \
    X(lifetime_months, "lifetime_months", NUMBER, F64, MAIN,                   \
      "1 / churn_used, capped (months)")                                       \
    X(churn_used, "churn_used", FRACTION, F64, MAIN,                           \
      "the monthly churn the formula used (after a floor)")                    \
    X(flags, "flags", FLAGS, U32, DETAIL, "CSM_FLAG_FLOORED, CSM_FLAG_CAPPED")

typedef struct csm_ltv_result {
    CSM_LTV_RESULT_COLUMNS(CSM_FIELD_MEMBER)
} csm_ltv_result;

/**
 * Simple LTV = ARPA x gross margin x lifetime, lifetime = 1 / monthly churn
 * (months), lowered to lifetime_cap_months when a cap is set
 * (CSM_FLAG_CAPPED).  Churn 0 follows opts.zero_churn: an error
 * (CSM_EDOMAIN, field "monthly_churn"), the floor (the churn used is
 * max(churn, churn_floor) whatever the churn, CSM_FLAG_FLOORED when it
 * raised it), or the cap (lifetime = cap; CSM_EINVAL if no cap is set).
 * Never an infinity.
 * Domain: arpa finite >= 0, 0 <= gross_margin <= 1, 0 <= churn <= 1, else
 * CSM_EDOMAIN naming the field; bad options CSM_EINVAL.
 */
CSM_API CSM_NODISCARD csm_status csm_ltv_simple(csm_ltv_result *out,
                                                double arpa,
                                                double gross_margin,
                                                double monthly_churn,
                                                const csm_ltv_opts *opts,
                                                csm_error *err);

/** Seed LTV = average purchase value x purchase rate (purchases per period)
 * x average lifetime (periods).  All inputs finite and >= 0. */
CSM_API CSM_NODISCARD csm_status csm_ltv_seed(csm_metric *out,
                                              double avg_purchase_value,
                                              double purchase_rate,
                                              double avg_lifetime,
                                              csm_error *err);

/** CAC = sales and marketing spend / new customers (both finite >= 0);
 * zero new customers: NaN + CSM_FLAG_ZERO_DENOMINATOR. */
CSM_API CSM_NODISCARD csm_status csm_cac(csm_metric *out, double spend,
                                         double new_customers,
                                         csm_error *err);

/** LTV / CAC (ltv finite, cac finite >= 0; cac 0: NaN + flag). */
CSM_API CSM_NODISCARD csm_status csm_ltv_cac(csm_metric *out, double ltv,
                                             double cac, csm_error *err);

/** CAC payback months = CAC / (new-customer ARPA x gross margin); a zero
 * denominator gives NaN + flag.  cac, new_arpa finite >= 0, margin in
 * [0, 1]. */
CSM_API CSM_NODISCARD csm_status csm_cac_payback(csm_metric *out, double cac,
                                                 double new_arpa,
                                                 double gross_margin,
                                                 csm_error *err);

/**
 * Simple LTV from a ledger's observed figures: ARPA in `month`
 * (CSM_MONTH_NONE = the ledger's last month) and the monthly customer churn
 * rate over the `window` months ending there (sum of churned customers /
 * sum of opening customers, i.e. the customer-weighted average monthly
 * rate; default movements options), then csm_ltv_simple with opts.  The
 * window is summed in one pass over the ledger; nothing is allocated.
 * Errors: CSM_EINVAL (NULL, window < 1), CSM_EDOMAIN (no customers in the
 * window: field "ledger"; margin outside [0, 1]; zero churn under the
 * error policy).
 */
CSM_API CSM_NODISCARD csm_status csm_ltv_from_ledger(
    csm_ltv_result *out, const csm_ledger *ledger, int32_t month,
    int32_t window, double gross_margin, const csm_ltv_opts *opts,
    csm_error *err);


/* ---- unit economics from a ledger ---------------------------------------- */
/**
 * The unit economics of a ledger over the trailing `window` months ending
 * at `month` (CSM_MONTH_NONE = the ledger's last month), with the default
 * movements definitions (csm_movements_compute with default options: exact
 * comparison, every return a reactivation, customers who start and stop
 * inside a month not counted), as a one-row table "unit_economics" (result
 * kind "unit_economics"):
 *   arpa          = MRR / customers at `month`
 *   monthly_churn = sum of churned customers / sum of opening customers
 *                   over the window (csm_ltv_from_ledger's rate: the
 *                   customer-weighted average monthly rate)
 *   ltv, lifetime_months, churn_used: csm_ltv_simple(arpa, gross_margin,
 *                   monthly_churn, opts)
 *   new_customers, new_mrr: customers active for the first time in a month
 *                   of the window (never active before), and their MRR
 *                   that month; new_arpa = new_mrr / new_customers
 *   spend         = the sum of spend[i] whose spend_month[i] lies in the
 *                   window (several rows of one month add up)
 *   cac           = spend / new_customers (csm_cac)
 *   ltv_cac       = ltv / cac (csm_ltv_cac)
 *   cac_payback_months = cac / (new_arpa x gross_margin) (csm_cac_payback)
 * Money in the ledger's currency units; churn and margin fractions.
 * Undefined figures are NaN, never an error: no customer at `month` (arpa),
 * no opening customer in the window (monthly_churn), no new customer
 * (new_arpa, cac), a zero CAC or payback denominator: NaN and
 * CSM_FLAG_ZERO_DENOMINATOR in flags; an undefined input makes the figures
 * built on it NaN (ltv without a churn or an ARPA, ltv_cac without a CAC).
 * spend NULL means "spend unknown": spend, cac, ltv_cac and
 * cac_payback_months are NaN (no flag).  flags also carries
 * CSM_FLAG_FLOORED / CSM_FLAG_CAPPED from csm_ltv_simple.
 * The window is summed in one pass over the ledger (no movements table).
 * The result is one block from the ledger's allocator; release it with
 * csm_unit_economics_free (= csm_result_free(u->result); NULL allowed).
 * Errors: CSM_EINVAL (out or ledger NULL, window < 1, spend_month or spend
 * NULL with n_spend > 0 while the other is not, bad opts), CSM_EDOMAIN
 * (month CSM_MONTH_NONE on an empty ledger: field "ledger"; gross_margin
 * outside [0, 1]; a spend value negative or not finite: row and field
 * "spend"; zero churn under CSM_ZERO_CHURN_ERROR: field "monthly_churn"),
 * CSM_ENOMEM; *out is NULL on any error.
 */
#define CSM_UNIT_ECONOMICS_COLUMNS(X)                                          \
    X(month, "month", MONTH, I32, KEY, "the last month of the window")        \
    X(arpa, "arpa", MONEY, F64, MAIN, "MRR / customers at the month")         \
    X(monthly_churn, "monthly_churn", FRACTION, F64, MAIN,                     \
      "churned customers / opening customers, summed over the window")        \
    X(gross_margin, "gross_margin", FRACTION, F64, MAIN,                       \
      "the gross margin the LTV and the payback use (the input)")              \
    X(ltv, "ltv", MONEY, F64, MAIN,                                            \
      "simple LTV = arpa x gross_margin x lifetime_months")                    \
    X(lifetime_months, "lifetime_months", NUMBER, F64, MAIN,                   \
      "1 / churn_used, capped (months)")                                       \
    X(cac, "cac", MONEY, F64, MAIN, "spend / new_customers")                   \
    X(ltv_cac, "ltv_cac", NUMBER, F64, MAIN, "ltv / cac")                      \
    X(cac_payback_months, "cac_payback_months", NUMBER, F64, MAIN,             \
      "cac / (new_arpa x gross_margin), months")                               \
    X(window_months, "window_months", NUMBER, I32, DETAIL,                     \
      "months in the window, ending at the month")                             \
    X(churn_used, "churn_used", FRACTION, F64, DETAIL,                         \
      "the monthly churn the LTV used (after a floor)")                        \
    X(opening_customers, "opening_customers", COUNT, I64, DETAIL,              \
      "customers active the month before, summed over the window's months")    \
    X(churned_customers, "churned_customers", COUNT, I64, DETAIL,              \
      "customers who left, summed over the window's months")                   \
    X(new_customers, "new_customers", COUNT, I64, DETAIL,                      \
      "customers active for the first time in the window")                     \
    X(new_mrr, "new_mrr", MONEY, F64, DETAIL,                                  \
      "the new customers' MRR in their first month")                           \
    X(new_arpa, "new_arpa", MONEY, F64, DETAIL, "new_mrr / new_customers")     \
    X(spend, "spend", MONEY, F64, DETAIL,                                      \
      "sales and marketing spend of the window's months")                      \
    X(flags, "flags", FLAGS, U32, DETAIL,                                      \
      "CSM_FLAG_ZERO_DENOMINATOR, CSM_FLAG_FLOORED, CSM_FLAG_CAPPED")

typedef struct csm_unit_economics {
    csm_result *result; /**< the self-describing table "unit_economics" */
    size_t n_rows;      /**< 1 */
    CSM_UNIT_ECONOMICS_COLUMNS(CSM_COLUMN_MEMBER)
} csm_unit_economics;

CSM_API CSM_NODISCARD csm_status csm_unit_economics_from_ledger(
    csm_unit_economics **out, const csm_ledger *ledger, int32_t month,
    int32_t window, double gross_margin, const int32_t *spend_month,
    const double *spend, size_t n_spend, const csm_ltv_opts *opts,
    csm_error *err);
CSM_API void csm_unit_economics_free(csm_unit_economics *u);


/* ---- result tables ------------------------------------------------------ */
/**
 * Copy n results into a one-table result (table and kind "ltv" or
 * "metric"), one row per result in the given order (e.g. the LTV of each
 * segment, or of each plan): the key column "group" (CODE, int32) first,
 * then one column per field of the struct, in its order, named as the
 * field.  group[i] is the caller's code for row i (CSM_CODE_ALL marks an
 * all-groups row and is null in Arrow); group NULL numbers the rows
 * 0..n-1.  Values are copied as they are (NaN stays NaN: null in Arrow).
 * n = 0 gives a table of 0 rows (rows and group may then be NULL).
 *
 * The result is one block from `alloc` (NULL = malloc/free) that does not
 * refer to the inputs afterwards; release it with csm_ltv_results_free /
 * csm_metric_results_free (= csm_result_free(t->result); NULL allowed).
 * Errors: CSM_EINVAL (out NULL; rows NULL with n > 0), CSM_ERANGE (group
 * NULL and n > INT32_MAX), CSM_ENOMEM (*out is NULL on any error).
 */
typedef struct csm_ltv_results {
    csm_result *result; /**< the self-describing table "ltv" */
    size_t n_rows;
    int32_t *group; /**< key: the caller's group code, or the row index */
    CSM_LTV_RESULT_COLUMNS(CSM_COLUMN_MEMBER)
} csm_ltv_results;

CSM_API CSM_NODISCARD csm_status csm_ltv_table(csm_ltv_results **out,
                                               const csm_ltv_result *rows,
                                               const int32_t *group, size_t n,
                                               const csm_allocator *alloc,
                                               csm_error *err);
CSM_API void csm_ltv_results_free(csm_ltv_results *t);

/** The figures of csm_ltv_seed, csm_cac, csm_ltv_cac, csm_cac_payback and
 * csm_project_steady_state (projection.h) as a table "metric": put figures
 * of one unit in one table (e.g. the CAC of each channel). */
typedef struct csm_metric_results {
    csm_result *result; /**< the self-describing table "metric" */
    size_t n_rows;
    int32_t *group; /**< key: the caller's group code, or the row index */
    CSM_METRIC_COLUMNS(CSM_COLUMN_MEMBER)
} csm_metric_results;

CSM_API CSM_NODISCARD csm_status csm_metric_table(csm_metric_results **out,
                                                  const csm_metric *rows,
                                                  const int32_t *group,
                                                  size_t n,
                                                  const csm_allocator *alloc,
                                                  csm_error *err);
CSM_API void csm_metric_results_free(csm_metric_results *t);

#ifdef __cplusplus
}
#endif

#endif /* CSMETRICS_LTV_H */
