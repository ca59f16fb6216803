/** @file
 * csmetrics/unit_economics.h - a ledger's unit economics in one table:
 * ARPA, churn, LTV, new customers and their ARPA, CAC, LTV/CAC and CAC
 * payback over a trailing window.
 *
 * Definitions: docs/metrics.md, "LTV and CAC" ("Unit economics from a
 * ledger"); the columns: docs/columns.md, "unit_economics".
 */
#ifndef CSMETRICS_UNIT_ECONOMICS_H
#define CSMETRICS_UNIT_ECONOMICS_H

#include "csmetrics/common.h"
#include "csmetrics/ledger.h"
#include "csmetrics/ltv.h"
#include "csmetrics/table.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- unit economics from a ledger ---------------------------------------- */
/** The columns of the one-row table "unit_economics" (docs/columns.md,
 * "unit_economics"): X(member, "column", TYPE, STORAGE, ROLE,
 * "description"), as csmetrics/table.h explains;
 * csm_unit_economics_from_ledger defines the figures. */
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

/** A ledger's unit economics: the typed view of the one-row table
 * "unit_economics", as csm_unit_economics_from_ledger returns it. */
typedef struct csm_unit_economics {
    csm_result *result; /**< the self-describing table "unit_economics" */
    size_t n_rows;      /**< 1 */
    CSM_UNIT_ECONOMICS_COLUMNS(CSM_COLUMN_MEMBER)
} csm_unit_economics;

/** Options of csm_unit_economics_from_ledger; fill the defaults with the
 * _INIT macro or the _opts_init function. */
typedef struct csm_unit_economics_opts {
    size_t size; /**< sizeof the struct as the caller knows it */
    /** The month of the figures (CSM_MONTH_NONE, the default = the
     * ledger's last month). */
    int32_t month;
    /** The trailing window in months, >= 1 (default 12). */
    int32_t window;
    /** LTV options (zero-churn policy, floor, cap) for csm_ltv_simple;
     * NULL = defaults.  Their month and window are not read. */
    const csm_ltv_opts *ltv;
} csm_unit_economics_opts;

/** Initialiser of every option at its default (size = sizeof the struct). */
#define CSM_UNIT_ECONOMICS_OPTS_INIT                                           \
    {sizeof(csm_unit_economics_opts), CSM_MONTH_NONE, 12, NULL}
/** Set *opts (size bytes of it) to the defaults; CSM_EINVAL if opts
 * is NULL or size < sizeof(size_t). */
CSM_API CSM_NODISCARD csm_status csm_unit_economics_opts_init(
    csm_unit_economics_opts *opts, size_t size);

/**
 * Compute the unit economics of a ledger over the trailing opts->window
 * months (default 12) ending at opts->month (CSM_MONTH_NONE, the default =
 * the ledger's last month; opts NULL = defaults), with the
 * default movements definitions (csm_movements_compute with default
 * options: exact comparison, every return a reactivation, customers who
 * start and stop inside a month not counted), as a one-row table
 * "unit_economics" (result kind "unit_economics"):
 * @code{.unparsed}
 *   arpa          = MRR / customers at `month`
 *   monthly_churn = sum of churned customers / sum of opening customers
 *                   over the window (csm_ltv_from_ledger's rate: the
 *                   customer-weighted average monthly rate)
 *   ltv, lifetime_months, churn_used: csm_ltv_simple(arpa, gross_margin,
 *                   monthly_churn, opts->ltv)
 *   new_customers, new_mrr: customers active for the first time in a month
 *                   of the window (never active before), and their MRR
 *                   that month; new_arpa = new_mrr / new_customers
 *   spend         = the sum of spend[i] whose spend_month[i] lies in the
 *                   window (several rows of one month add up)
 *   cac           = spend / new_customers (csm_cac)
 *   ltv_cac       = ltv / cac (csm_ltv_cac)
 *   cac_payback_months = cac / (new_arpa x gross_margin) (csm_cac_payback)
 * @endcode
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
 * Errors: CSM_EINVAL (out or ledger NULL, opts.window < 1, spend_month or spend
 * NULL with n_spend > 0 while the other is not, bad opts), CSM_EDOMAIN
 * (month CSM_MONTH_NONE on an empty ledger: field "ledger"; gross_margin
 * outside [0, 1]; a spend value negative or not finite: row and field
 * "spend"; zero churn under CSM_ZERO_CHURN_ERROR: field "monthly_churn"),
 * CSM_ERANGE (the spend rows, summed in input order, pass CSM_SUM_MAX =
 * 1e300: row and field "spend"), CSM_ENOMEM; *out is NULL on any error.
 */
CSM_API CSM_NODISCARD csm_status csm_unit_economics_from_ledger(
    csm_unit_economics **out, const csm_ledger *ledger, double gross_margin,
    const int32_t *spend_month, const double *spend, size_t n_spend,
    const csm_unit_economics_opts *opts, csm_error *err);
/** Free unit economics (NULL is allowed): csm_result_free(u->result). */
CSM_API void csm_unit_economics_free(csm_unit_economics *u);

#ifdef __cplusplus
}
#endif

#endif /* CSMETRICS_UNIT_ECONOMICS_H */
