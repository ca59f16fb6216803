/** @file
 * csmetrics/retention.h - GRR, NRR and logo retention over a rolling
 * window, per month and per segment, from a ledger.
 *
 * Definitions: docs/metrics.md, "Retention over a window
 * (csm_retention_compute)" and "Presets: reproducing other tools'
 * figures"; the columns: docs/columns.md, "retention".
 */
#ifndef CSMETRICS_RETENTION_H
#define CSMETRICS_RETENTION_H

#include "csmetrics/common.h"
#include "csmetrics/ledger.h"
#include "csmetrics/partial.h"
#include "csmetrics/table.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- retention over a window -------------------------------------------- */
/** How NRR and GRR are computed (csm_retention_opts.nrr_mode; definition
 * option 9 of docs/metrics.md, "Presets"). */
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

/** Options of csm_retention_compute; fill the defaults with the
 * _INIT macro or the _opts_init function. */
typedef struct csm_retention_opts {
    size_t size; /**< sizeof the struct as the caller knows it */
    int32_t window; /**< months between t0 and t1, >= 1 (default 12) */
    int nrr_mode;   /**< csm_nrr_mode */
    int by_segment; /**< segment = the customer's segment at t0 */
    /** Range of t1: its first month; CSM_MONTH_NONE (default) = the
     * ledger's first month + window. */
    int32_t first_month;
    int32_t last_month; /**< last t1 of the range; CSM_MONTH_NONE = the
                           ledger's last month (default) */
} csm_retention_opts;

/** Initialiser of every option at its default (size = sizeof the struct). */
#define CSM_RETENTION_OPTS_INIT                                                \
    {sizeof(csm_retention_opts), 12, CSM_NRR_SNAPSHOT, 0, CSM_MONTH_NONE,    \
     CSM_MONTH_NONE}
/** Set *opts (size bytes of it) to the defaults; CSM_EINVAL if opts
 * is NULL or size < sizeof(size_t). */
CSM_API CSM_NODISCARD csm_status
csm_retention_opts_init(csm_retention_opts *opts, size_t size);
/** Overwrite the definition option of opts (nrr_mode; not size, window,
 * by_segment or the month range) with a preset's value: snapshot for
 * CSM_PRESET_DEFAULT, movement sum for the others.  CSM_EINVAL for opts
 * NULL or an unknown preset. */
CSM_API CSM_NODISCARD csm_status
csm_retention_opts_preset(csm_retention_opts *opts, csm_preset preset);

/**
 * Rolling retention: one row per t1 (and segment), t0 = t1 - window,
 * ordered by t1 then segment.  Base = customers active in t0 (m_{t0} > 0).
 * @code{.unparsed}
 *   grr = sum_base min(m_{t1}, m_{t0}) / base_mrr        (<= 1)
 *   nrr = sum_base m_{t1} / base_mrr                      (may exceed 1)
 *   logo_retention = retained_customers / base_customers
 * @endcode
 * with retained_customers = |{c in base : active in t1}|.  base_mrr = 0
 * gives NaN (null in Arrow) and CSM_FLAG_ZERO_DENOMINATOR; an empty base
 * also sets CSM_FLAG_EMPTY.
 *
 * The result is one table, "retention" (csmetrics/table.h), of n_rows rows
 * whose columns are the list below, in this order: X(member, "column",
 * TYPE, STORAGE, ROLE, "description"); docs/columns.md, "retention", lists
 * them.
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

/** Rolling retention: the typed view of the table "retention"
 * (csm_retention_compute), one row per end month t1 (and segment); the
 * columns and their formulas: CSM_RETENTION_COLUMNS. */
typedef struct csm_retention {
    csm_result *result; /**< the self-describing table "retention" */
    size_t n_rows;      /**< rows: end months (x segments with by_segment) */
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
/** Free a retention table (NULL is allowed): csm_result_free(r->result). */
CSM_API void csm_retention_free(csm_retention *r);

/**
 * The partial state (CSM_PARTIAL_RETENTION) of the retention table of one
 * partition of the customers (a ledger of every row of some customers);
 * merged with the other partitions' (csm_partial_merge) and finalized
 * (csm_retention_partial_finalize), it gives csm_retention_compute's table
 * on all the rows with the same opts: counts exactly, money and ratios to
 * the rounding of compensated sums (1e-12 relative).  Each window's base
 * customer counts in the partition that holds it, so partitions add.
 * Memory: one bucket (5 compensated sums, 2 counts) per end month and
 * segment the partition's bases reach (its first month + window .. its
 * last month + window, within an explicit range), plus
 * csm_retention_compute's per-customer scratch.  Errors: those of
 * csm_retention_compute.  On failure *out is NULL.
 */
CSM_API CSM_NODISCARD csm_status csm_retention_partial_compute(
    csm_partial **out, const csm_ledger *ledger,
    const csm_retention_opts *opts, csm_error *err);

/** The retention table of a (merged) state from
 * csm_retention_partial_compute, from the state's allocator (read only;
 * free with csm_retention_free).  Errors: CSM_EINVAL (out or partial NULL;
 * a state of another family: field "partial"), CSM_ERANGE (as
 * csm_retention_compute), CSM_ENOMEM.  On failure *out is NULL. */
CSM_API CSM_NODISCARD csm_status csm_retention_partial_finalize(
    csm_retention **out, const csm_partial *partial, csm_error *err);

/* ---- the customers of a window: who retained, who churned --------------- */
/** The columns of the table "retention_customers" (docs/columns.md,
 * "retention_customers"), the pointer members of csm_retention_customers:
 * X(member, "column", TYPE, STORAGE, ROLE, "description"), as
 * csmetrics/table.h explains. */
#define CSM_RETENTION_CUSTOMERS_COLUMNS(X)                                     \
    X(end_month, "end_month", MONTH, I32, KEY, "end of the window, t1")        \
    X(customer_id, "customer_id", ID, I64, KEY,                                \
      "a customer of the base (active in t0)")                                 \
    X(segment, "segment", CODE, I32, MAIN,                                     \
      "the customer's segment id at t0 (0 for rows without segments)")         \
    X(start_month, "start_month", MONTH, I32, DETAIL,                          \
      "start of the window, t0 = t1 - window")                                 \
    X(outcome, "outcome", TEXT, STR, MAIN,                                     \
      "churned (not active in t1), or contracted, expanded or flat "          \
      "(m_t1 against m_t0)")                                                   \
    X(base_mrr, "base_mrr", MONEY, F64, MAIN, "MRR in t0, m_t0")               \
    X(end_mrr, "end_mrr", MONEY, F64, MAIN,                                    \
      "MRR in t1, m_t1 (0 when churned)")                                      \
    X(retained_mrr, "retained_mrr", MONEY, F64, DETAIL,                        \
      "its term of the GRR numerator (snapshot: min(m_t1, m_t0))")             \
    X(net_retained_mrr, "net_retained_mrr", MONEY, F64, DETAIL,                \
      "its term of the NRR numerator (snapshot: m_t1)")                        \
    X(reactivation_mrr, "reactivation_mrr", MONEY, F64, DETAIL,                \
      "MRR of its reactivations in (t0, t1]")                                  \
    X(retained, "retained", BOOL, U8, DETAIL, "1 when active in t1")

/**
 * The customers of each retention window: one row per end month t1 (of
 * the range of csm_retention_compute) and customer of its base (active
 * in t0 = t1 - window), the drill-down of csm_retention.  For each row of
 * the retention table computed with the same options (and, with
 * by_segment, each segment at t0), its customers' values summed in row
 * order with compensated summation are bit for bit its figures:
 * @code{.unparsed}
 *   base_customers     = rows          base_mrr     = sum base_mrr
 *   retained_customers = sum retained  retained_mrr = sum retained_mrr
 *   end_mrr            = sum end_mrr   reactivation_mrr = sum reactivation_mrr
 *   grr = sum retained_mrr / sum base_mrr
 *   nrr = sum net_retained_mrr / sum base_mrr
 * @endcode
 * The terms follow nrr_mode: snapshot, retained_mrr = min(m_t1, m_t0) and
 * net_retained_mrr = m_t1; movement sum, retained_mrr = max(0, m_t0 -
 * contraction - churn) and net_retained_mrr = max(0, m_t1 - reactivation
 * MRR) over the months t0+1..t1.  outcome compares the snapshots: churned
 * when the customer has no entry in t1 (retained 0; it may have left and
 * come back in between), else contracted (m_t1 < m_t0), expanded (m_t1 >
 * m_t0) or flat.  Rows are ordered by end month, then customer id; the key
 * (end_month, customer_id) is unique.
 */
typedef struct csm_retention_customers {
    csm_result *result; /**< the self-describing table "retention_customers" */
    size_t n_rows;      /**< (end month, base customer) pairs */
    CSM_RETENTION_CUSTOMERS_COLUMNS(CSM_COLUMN_MEMBER)
} csm_retention_customers;

/** Compute the customers of the retention windows of a ledger with the
 * options of csm_retention_compute (NULL = defaults: window, nrr_mode,
 * by_segment and the range of t1 as there).  Errors: those of
 * csm_retention_compute (CSM_EINVAL: NULL, bad opts, window < 1,
 * first_month > last_month; CSM_ERANGE), CSM_ENOMEM.  A window longer than
 * the data (no explicit range) gives 0 rows.  The result is one block from
 * the ledger's allocator; free it with csm_retention_customers_free.
 * *out is NULL on any error. */
CSM_API CSM_NODISCARD csm_status csm_retention_customers_compute(
    csm_retention_customers **out, const csm_ledger *ledger,
    const csm_retention_opts *opts, csm_error *err);
/** Free the customers of retention windows (NULL is allowed):
 * csm_result_free(c->result). */
CSM_API void csm_retention_customers_free(csm_retention_customers *c);

#ifdef __cplusplus
}
#endif

#endif /* CSMETRICS_RETENTION_H */
