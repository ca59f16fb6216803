/** @file
 * csmetrics/movements.h - MRR movements per month (and per segment) from a
 * ledger: new, expansion, contraction, churn, reactivation, net new MRR,
 * quick ratio, ARPA, logo and MRR churn rates.
 *
 * Definitions: docs/metrics.md, "Movements (csm_movements_compute)" and
 * "Presets: reproducing other tools' figures"; the columns:
 * docs/columns.md, "movements".
 */
#ifndef CSMETRICS_MOVEMENTS_H
#define CSMETRICS_MOVEMENTS_H

#include "csmetrics/common.h"
#include "csmetrics/ledger.h"
#include "csmetrics/table.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- movements -------------------------------------------------------- */
/** The denominator of customer_churn_rate (the option
 * csm_movements_opts::churn_denominator; definition option 8 of
 * docs/metrics.md, "Presets"). */
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

/** Options of csm_movements_compute; fill the defaults with the
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
    /** Definition option 7: 0 = customers who start and stop inside one
     * month are excluded (ChartMogul B2B, default), 1 = counted as new and
     * churned and in the churn-rate denominator (Stripe). */
    int count_intra_period;
    int churn_denominator; /**< csm_churn_denominator */
    /** 1 = one row per (month, segment) with segment-switch lines
     * (definition option 11); 0 = one row per month for all segments. */
    int by_segment;
    /** Month range [first_month, last_month]; CSM_MONTH_NONE = the
     * ledger's first / last month. */
    int32_t first_month;
    int32_t last_month; /**< last month of the range; CSM_MONTH_NONE = the
                           ledger's last month (default) */
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

/** The columns of the table "movements" (docs/columns.md, "movements"),
 * the pointer members of csm_movements: X(member, "column", TYPE, STORAGE,
 * ROLE, "description"), as csmetrics/table.h explains. */
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

/**
 * MRR movements table (csm_movements_compute): n_rows rows (n_months x
 * n_segments with by_segment, else n_months), ordered by month then
 * segment; every array has n_rows elements.  For customer c with m_{t-1},
 * m_t its MRR in t-1 and t:
 * @code{.unparsed}
 *  new          m_{t-1} = 0 < m_t, c never active before (or away longer
 *               than the reactivation window)          amount m_t
 *  reactivation m_{t-1} = 0 < m_t, c active before       amount m_t
 *  expansion    0 < m_{t-1} < m_t                       m_t - m_{t-1}
 *  contraction  0 < m_t < m_{t-1}                       m_{t-1} - m_t
 *  churn        m_{t-1} > 0 = m_t                       m_{t-1}
 * @endcode
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
typedef struct csm_movements {
    csm_result *result; /**< the self-describing table "movements" */
    size_t n_rows;   /**< rows: n_months x n_segments */
    size_t n_months; /**< months in [first_month, last_month] */
    size_t n_segments; /**< 1 when not by_segment */
    CSM_MOVEMENTS_COLUMNS(CSM_COLUMN_MEMBER)
} csm_movements;

/** Compute movements from a ledger.  Errors: CSM_EINVAL (NULL, bad opts,
 * first_month > last_month, negative window or tolerance), CSM_ENOMEM.
 * An empty ledger without an explicit range gives a table of 0 rows. */
CSM_API CSM_NODISCARD csm_status
csm_movements_compute(csm_movements **out, const csm_ledger *ledger,
                      const csm_movements_opts *opts, csm_error *err);
/** Free a movements table (NULL is allowed): csm_result_free(m->result). */
CSM_API void csm_movements_free(csm_movements *m);

#ifdef __cplusplus
}
#endif

#endif /* CSMETRICS_MOVEMENTS_H */
