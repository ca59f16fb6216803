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
#include "csmetrics/partial.h"
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

/* ---- movements by partition (csmetrics/partial.h) ----------------------- */
/**
 * The partial state (CSM_PARTIAL_MOVEMENTS) of the movements of one
 * partition of the customers: a ledger built from every row of some of the
 * customers.  The states of partitions that together hold every customer
 * once, merged with csm_partial_merge (in any order) and finalized with
 * csm_movements_partial_finalize, give the table csm_movements_compute
 * gives on the ledger of all the rows with the same opts: counts exactly,
 * money to the rounding of compensated sums (1e-12 relative at most).
 * A partition may be empty.  The month range not given in opts is that of
 * all the partitions' data together, settled when finalizing; the
 * segments of a by_segment table are the union of the partitions'.
 *
 * Memory: one bucket (10 compensated sums, 9 counts: 232 bytes) per
 * month and segment of the partition's months (the explicit range, or the
 * partition's first month - 1 to its last + 1), independent of the number
 * of customers.  Errors: those of csm_movements_compute, and CSM_EINVAL
 * for churn_denominator CSM_DENOM_DAILY (day-level rates do not merge:
 * field "opts.churn_denominator").  A partition whose months lie outside
 * an open-ended range is not an error here (it may be in the range of the
 * whole).  On failure *out is NULL.  Free with csm_partial_free.
 */
CSM_API CSM_NODISCARD csm_status csm_movements_partial_compute(
    csm_partial **out, const csm_ledger *ledger,
    const csm_movements_opts *opts, csm_error *err);

/**
 * The movements table of a (merged) state from
 * csm_movements_partial_compute, allocated with the state's allocator (the
 * ledger's it was computed from, or csm_partial_deserialize's); free with
 * csm_movements_free.  The state is only read: it may be finalized again,
 * or merged with more partitions first.  Errors: CSM_EINVAL (out or
 * partial NULL; a state of another family: field "partial"; the data
 * ends before an open-ended range's first month, or starts after its last:
 * "opts.first_month", as csm_movements_compute), CSM_ERANGE (as
 * csm_movements_compute), CSM_ENOMEM.  On failure *out is NULL.
 */
CSM_API CSM_NODISCARD csm_status csm_movements_partial_finalize(
    csm_movements **out, const csm_partial *partial, csm_error *err);

/* ---- movement events: which customers moved ----------------------------- */
/** The kind of a movement event (csm_movements_events_compute): the line
 * of the movements table its amount adds to, named as that column
 * (csm_movements_kind_name).  The event table's column "kind_code". */
typedef enum csm_movements_kind {
    CSM_MOVEMENTS_NEW = 1,          /**< "new": new_mrr, new_customers */
    CSM_MOVEMENTS_REACTIVATION = 2, /**< "reactivation": reactivation_mrr */
    CSM_MOVEMENTS_EXPANSION = 3,    /**< "expansion": expansion_mrr */
    CSM_MOVEMENTS_CONTRACTION = 4,  /**< "contraction": contraction_mrr */
    CSM_MOVEMENTS_CHURN = 5,        /**< "churn": churn_mrr */
    /** "adjustment": a change within the tolerance (adjustment_mrr, no
     * customer count) */
    CSM_MOVEMENTS_ADJUSTMENT = 6,
    CSM_MOVEMENTS_SEGMENT_IN = 7,  /**< "segment_in" (by_segment only) */
    CSM_MOVEMENTS_SEGMENT_OUT = 8  /**< "segment_out" (by_segment only) */
} csm_movements_kind;

/** The name of a csm_movements_kind as the column "kind" shows it, which
 * is the name of the movements column the event adds to: "new",
 * "reactivation", "expansion", "contraction", "churn", "adjustment",
 * "segment_in", "segment_out"; "unknown" for another value (never NULL). */
CSM_API const char *csm_movements_kind_name(int kind);

/** The columns of the table "movement_events" (docs/columns.md,
 * "movement_events"), the pointer members of csm_movements_events:
 * X(member, "column", TYPE, STORAGE, ROLE, "description"), as
 * csmetrics/table.h explains. */
#define CSM_MOVEMENTS_EVENTS_COLUMNS(X)                                        \
    X(month, "month", MONTH, I32, KEY, "month of the movement, t")            \
    X(customer_id, "customer_id", ID, I64, KEY, "the customer")               \
    X(kind, "kind", TEXT, STR, KEY,                                            \
      "the movements column the amount adds to: new, reactivation, "          \
      "expansion, contraction, churn, adjustment, segment_in, segment_out")   \
    X(kind_code, "kind_code", CODE, I32, DETAIL,                               \
      "the kind as a csm_movements_kind code (1..8)")                          \
    X(segment, "segment", CODE, I32, MAIN,                                     \
      "the customer's segment id: in t-1 for churn and segment_out, else "    \
      "in t (0 for rows without segments)")                                    \
    X(amount, "amount", MONEY, F64, MAIN,                                      \
      "the event's amount in its movements column (> 0; adjustment: the "     \
      "signed change)")                                                        \
    X(mrr_before, "mrr_before", MONEY, F64, MAIN,                              \
      "the customer's MRR in t-1 (0 when not active)")                         \
    X(mrr_after, "mrr_after", MONEY, F64, MAIN,                                \
      "the customer's MRR in t (0 when not active)")

/**
 * Movement events: which customers make each line of the movements table,
 * one row per customer and movement, the drill-down of csm_movements.
 * For every month t of the range, every customer whose MRR moves in t
 * gets one row per line it adds to, by the rules of csm_movements (the
 * table above CSM_MOVEMENTS_COLUMNS):
 * @code{.unparsed}
 *  kind          when (m_{t-1}, m_t: MRR in t-1 and t)          amount
 *  new           0 = m_{t-1} < m_t, first time or away too long  m_t
 *  reactivation  0 = m_{t-1} < m_t, back within the window       m_t
 *  expansion     0 < m_{t-1} < m_t, change above the tolerance   m_t - m_{t-1}
 *  contraction   0 < m_t < m_{t-1}, change above the tolerance   m_{t-1} - m_t
 *  churn         m_{t-1} > 0 = m_t                               m_{t-1}
 *  adjustment    a change of at most the tolerance (not 0)      m_t - m_{t-1}
 *  segment_out   by_segment, the segment changed: out of t-1's  m_{t-1}
 *  segment_in    ... and into t's (instead of a change)          m_t
 * @endcode
 * (with free_is_active, "> 0" reads "active").  A customer without a
 * movement in t (same MRR, same segment) has no row.  Customers who start
 * and stop inside one month (intra_period_customers) carry no MRR and no
 * id in the ledger: they have no row.
 *
 * The events sum exactly to the movements table computed with the same
 * options: for each month (and, with by_segment, each segment), the
 * amounts of kind k added in row order with compensated summation are
 * bit for bit the column k of csm_movements_compute's row, and the
 * number of events of kind k is its customer count (new_customers
 * without the intra-period customers).  Rows are ordered by month, then
 * customer id, then kind code; the key (month, customer_id, kind) is
 * unique.  mrr_before and mrr_after are the customer's MRR over all its
 * segments; their difference is the event's net change except for
 * segment switches.
 */
typedef struct csm_movements_events {
    csm_result *result; /**< the self-describing table "movement_events" */
    size_t n_rows;      /**< events in the range */
    CSM_MOVEMENTS_EVENTS_COLUMNS(CSM_COLUMN_MEMBER)
} csm_movements_events;

/** Compute the movement events of a ledger with the options of
 * csm_movements_compute (NULL = defaults): the month range, by_segment,
 * reactivation_window and tolerance decide the events as they decide the
 * movements table; count_intra_period and churn_denominator change only
 * counts and rates there and nothing here.  Errors: those of
 * csm_movements_compute (CSM_EINVAL: NULL, bad opts, first_month after
 * last_month, negative window or tolerance; CSM_ERANGE: a range over
 * 10,000 years), CSM_ENOMEM.  An empty ledger without an explicit range
 * gives 0 rows.  The result is one block from the ledger's allocator;
 * free it with csm_movements_events_free.  *out is NULL on any error. */
CSM_API CSM_NODISCARD csm_status csm_movements_events_compute(
    csm_movements_events **out, const csm_ledger *ledger,
    const csm_movements_opts *opts, csm_error *err);
/** Free movement events (NULL is allowed): csm_result_free(e->result). */
CSM_API void csm_movements_events_free(csm_movements_events *e);

#ifdef __cplusplus
}
#endif

#endif /* CSMETRICS_MOVEMENTS_H */
