/** @file
 * csmetrics/ltv.h - unit economics: simple LTV (with a lifetime cap and a
 * zero-churn policy), the seed LTV formula, CAC, LTV/CAC and CAC payback.
 *
 * Money in currency units; churn is a monthly fraction; lifetimes and
 * payback are in months.  The metric functions are pure (no allocation,
 * reentrant); csm_ltv_from_ledger allocates only while it works.
 * Model-based LTV (from a fitted retention model) is in sbg.h; CAC and
 * CAC payback in cac.h, the ledger's unit economics in unit_economics.h.
 *
 * Result tables: csm_ltv_result and csm_metric declare their fields once
 * (CSM_LTV_RESULT_COLUMNS, CSM_METRIC_COLUMNS; csmetrics/table.h), and
 * csm_ltv_table / csm_metric_table copy n of them into a one-table result
 * keyed by "group", named as in nps.h (`csm_<name>_table`,
 * `csm_<name>_results`, `csm_<name>_results_free`, table `"<name>"`).
 * Definitions and worked examples: docs/metrics.md, "LTV and CAC"; the
 * columns: docs/columns.md, "ltv".
 */
#ifndef CSMETRICS_LTV_H
#define CSMETRICS_LTV_H

#include "csmetrics/common.h"
#include "csmetrics/ledger.h"
#include "csmetrics/table.h"

#ifdef __cplusplus
extern "C" {
#endif

/** What simple LTV does when the churn rate is 0. */
typedef enum csm_zero_churn_policy {
    CSM_ZERO_CHURN_ERROR = 0, /**< CSM_EDOMAIN (default) */
    CSM_ZERO_CHURN_FLOOR = 1, /**< use max(churn, churn_floor) for any churn */
    CSM_ZERO_CHURN_CAP = 2    /**< lifetime = lifetime_cap_months */
} csm_zero_churn_policy;

/** Options of csm_ltv_simple, csm_ltv_from_ledger and
 * csm_unit_economics_from_ledger; fill the defaults with the
 * _INIT macro or the _opts_init function. */
typedef struct csm_ltv_opts {
    size_t size; /**< sizeof the struct as the caller knows it */
    int zero_churn;             /**< csm_zero_churn_policy */
    double churn_floor;         /**< default 0.0167 (Stripe's 1.67%) */
    double lifetime_cap_months; /**< months; a value > 0 caps the lifetime,
                                   0 = no cap (default) */
    /** csm_ltv_from_ledger only: the month whose ARPA is read and where the
     * churn window ends (CSM_MONTH_NONE, the default = the ledger's last
     * month). */
    int32_t month;
    /** csm_ltv_from_ledger only: the churn window in months, >= 1
     * (default 12). */
    int32_t window;
} csm_ltv_opts;

/** Initialiser of every option at its default (size = sizeof the struct). */
#define CSM_LTV_OPTS_INIT                                                      \
    {sizeof(csm_ltv_opts), CSM_ZERO_CHURN_ERROR, 0.0167, 0.0, CSM_MONTH_NONE, 12}
/** Set *opts (size bytes of it) to the defaults; CSM_EINVAL if opts
 * is NULL or size < sizeof(size_t). */
CSM_API CSM_NODISCARD csm_status csm_ltv_opts_init(csm_ltv_opts *opts,
                                                   size_t size);

/** The fields of csm_ltv_result and the columns of the table "ltv"
 * (csm_ltv_results; docs/columns.md, "ltv"): X(member, "column", TYPE,
 * STORAGE, ROLE, "description"), as csmetrics/table.h explains. */
#define CSM_LTV_RESULT_COLUMNS(X)                                              \
    X(ltv, "ltv", MONEY, F64, MAIN, "lifetime value, currency units")          \
    X(lifetime_months, "lifetime_months", NUMBER, F64, MAIN,                   \
      "1 / churn_used, capped (months)")                                       \
    X(churn_used, "churn_used", FRACTION, F64, MAIN,                           \
      "the monthly churn the formula used (after a floor)")                    \
    X(flags, "flags", FLAGS, U32, DETAIL, "CSM_FLAG_FLOORED, CSM_FLAG_CAPPED")

/** A simple LTV (csm_ltv_simple, csm_ltv_from_ledger): the lifetime value,
 * the lifetime and the churn it used, and CSM_FLAG_FLOORED /
 * CSM_FLAG_CAPPED when the zero-churn policy or the cap changed them. */
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
 * Never an infinity: a product beyond the largest double (ARPA 1e308 at
 * churn 0.01) is CSM_ERANGE (field "arpa", ltv NaN).
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
 * x average lifetime (periods).  All inputs finite and >= 0 (CSM_EDOMAIN);
 * a product beyond the largest double is CSM_ERANGE (field
 * "avg_purchase_value", value NaN). */
CSM_API CSM_NODISCARD csm_status csm_ltv_seed(csm_metric *out,
                                              double avg_purchase_value,
                                              double purchase_rate,
                                              double avg_lifetime,
                                              csm_error *err);

/** LTV / CAC (ltv finite, cac finite >= 0; cac 0: NaN + flag). */
CSM_API CSM_NODISCARD csm_status csm_ltv_cac(csm_metric *out, double ltv,
                                             double cac, csm_error *err);

/**
 * Simple LTV from a ledger's observed figures: ARPA in opts->month
 * (CSM_MONTH_NONE = the ledger's last month) and the monthly customer churn
 * rate over the opts->window months ending there (default 12; sum of
 * churned customers / sum of opening customers: the customer-weighted
 * average monthly rate; default movements options), then csm_ltv_simple
 * with opts (NULL = defaults).  The window is summed in one pass over the
 * ledger; nothing is allocated.
 * Errors: CSM_EINVAL (NULL, opts.window < 1, bad opts), CSM_EDOMAIN (no customers in the
 * window: field "ledger"; margin outside [0, 1]; zero churn under the
 * error policy), CSM_ERANGE (the LTV beyond the largest double, as
 * csm_ltv_simple: never an infinity).
 */
CSM_API CSM_NODISCARD csm_status csm_ltv_from_ledger(
    csm_ltv_result *out, const csm_ledger *ledger, double gross_margin,
    const csm_ltv_opts *opts, csm_error *err);


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
 * The result is one block from opts->allocator (csm_result_opts; NULL =
 * malloc/free) that does not
 * refer to the inputs afterwards; release it with csm_ltv_results_free /
 * csm_metric_results_free (= csm_result_free(t->result); NULL allowed).
 * Errors: CSM_EINVAL (out NULL; rows NULL with n > 0), CSM_ERANGE (group
 * NULL and n > INT32_MAX), CSM_ENOMEM (*out is NULL on any error).
 */
typedef struct csm_ltv_results {
    csm_result *result; /**< the self-describing table "ltv" */
    size_t n_rows;      /**< rows: results copied (n of csm_ltv_table) */
    int32_t *group; /**< key: the caller's group code, or the row index */
    CSM_LTV_RESULT_COLUMNS(CSM_COLUMN_MEMBER)
} csm_ltv_results;

/** Copy n LTV results into the table "ltv" (see the comment above
 * csm_ltv_results; the allocator in opts). */
CSM_API CSM_NODISCARD csm_status csm_ltv_table(csm_ltv_results **out,
                                               const csm_ltv_result *rows,
                                               const int32_t *group, size_t n,
                                               const csm_result_opts *opts,
                                               csm_error *err);
/** Free a table of LTVs (NULL is allowed): csm_result_free(t->result). */
CSM_API void csm_ltv_results_free(csm_ltv_results *t);

#ifdef __cplusplus
}
#endif

#endif /* CSMETRICS_LTV_H */
