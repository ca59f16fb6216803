/** @file
 * csmetrics/projection.h - MRR churn scenarios: month-by-month projection
 * of MRR under several churn / expansion / new-MRR scenarios at once, and
 * the closed form for constant rates.
 *
 * csm_projection_mrr is pure: the caller provides the output table; no
 * allocation.  csm_projection_mrr_table returns the same projection as a
 * self-describing result table (csmetrics/table.h) allocated in one block.
 * Definitions and worked examples: docs/metrics.md, "Churn scenarios (MRR
 * projection)" and "Projection inputs from a ledger"; the columns:
 * docs/columns.md, "projection" and "project_inputs".
 */
#ifndef CSMETRICS_PROJECTION_H
#define CSMETRICS_PROJECTION_H

#include "csmetrics/common.h"
#include "csmetrics/ledger.h"
#include "csmetrics/table.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The scenarios of a projection, columnar (one entry per scenario s). */
typedef struct csm_projection_scenarios {
    /** Monthly gross MRR churn rate of each scenario, in [0, 1] (required
     * when n > 0). */
    const double *churn;
    /** Monthly expansion rate, finite and >= 0 (NULL = 0 for all). */
    const double *expansion;
    /** New MRR added each month, currency units, finite and >= 0 (NULL = 0
     * for all). */
    const double *new_mrr;
    size_t n; /**< number of scenarios (0 = nothing to project) */
} csm_projection_scenarios;

/**
 * Fill table (row-major, (months + 1) x n_scenarios with n_scenarios =
 * scenarios->n; row t = month t, row 0 = start_mrr) with
 *   MRR_{t+1} = MRR_t x (1 - churn[s] + expansion[s]) + new_mrr[s]
 * for each scenario s (the columns of csm_projection_scenarios).
 * Errors: CSM_EINVAL (scenarios NULL; table NULL with a non-empty table;
 * churn NULL with n > 0), CSM_EDOMAIN (start_mrr negative or not finite: field
 * "start_mrr"; a scenario's value out of range: row = scenario index and
 * field "churn" / "expansion" / "new_mrr"), CSM_ERANGE ((months + 1) x
 * n_scenarios overflows).  months = 0 fills row 0 only; n_scenarios = 0
 * fills nothing.
 */
CSM_API CSM_NODISCARD csm_status csm_projection_mrr(
    double *table, size_t months, double start_mrr,
    const csm_projection_scenarios *scenarios, csm_error *err);

/**
 * The projection as a long table "projection" (result kind "projection"):
 * one row per (month, scenario), in the row-major order of csm_projection_mrr's
 * table, so row t * n_scenarios + s is month t of scenario s and
 * p->mrr[t * n_scenarios + s] is csm_projection_mrr's table[t * n_scenarios +
 * s] (the values are computed by csm_projection_mrr itself).  This list is
 * its columns (docs/columns.md, "projection"): X(member, "column", TYPE,
 * STORAGE, ROLE, "description"), as csmetrics/table.h explains.
 */
#define CSM_PROJECTION_COLUMNS(X)                                              \
    X(month, "month", NUMBER, I32, KEY,                                        \
      "months after the start, 0..months (0 = start_mrr)")                     \
    X(scenario, "scenario", CODE, I32, KEY,                                    \
      "the scenario's index in csm_projection_scenarios (0-based)")          \
    X(mrr, "mrr", MONEY, F64, MAIN, "projected MRR at the end of the month")

/** An MRR projection: the typed view of the table "projection", as
 * csm_projection_mrr_table returns it. */
typedef struct csm_projection {
    csm_result *result; /**< the self-describing table "projection" */
    size_t n_rows;      /**< n_months x n_scenarios */
    size_t n_months;    /**< months + 1 (month 0 included) */
    size_t n_scenarios; /**< scenarios projected (scenarios->n) */
    CSM_PROJECTION_COLUMNS(CSM_COLUMN_MEMBER)
} csm_projection;

/**
 * csm_projection_mrr into a result table (arguments and formula as there; the
 * table is allocated from opts->allocator, csm_result_opts in table.h; NULL
 * opts or allocator = malloc/free).  n_scenarios = 0
 * gives a table of 0 rows; months = 0 one row per scenario (start_mrr).
 * Release it with csm_projection_free (= csm_result_free(p->result); NULL
 * allowed).
 * Errors: those of csm_projection_mrr (CSM_EINVAL for churn NULL with
 * n_scenarios > 0; CSM_EDOMAIN naming start_mrr or the scenario and field),
 * plus CSM_EINVAL (out NULL), CSM_ERANGE (months or n_scenarios over
 * INT32_MAX, or a row count that overflows) and CSM_ENOMEM; *out is NULL
 * on any error.
 */
CSM_API CSM_NODISCARD csm_status csm_projection_mrr_table(
    csm_projection **out, size_t months, double start_mrr,
    const csm_projection_scenarios *scenarios, const csm_result_opts *opts,
    csm_error *err);
/** Free a projection (NULL is allowed): csm_result_free(p->result). */
CSM_API void csm_projection_free(csm_projection *p);

/** The columns of the one-row table "project_inputs" (docs/columns.md,
 * "project_inputs"): X(member, "column", TYPE, STORAGE, ROLE,
 * "description"), as csmetrics/table.h explains;
 * csm_projection_inputs_from_ledger defines the figures. */
#define CSM_PROJECTION_INPUTS_COLUMNS(X)                                          \
    X(month, "month", MONTH, I32, KEY, "the last month of the window")        \
    X(start_mrr, "start_mrr", MONEY, F64, MAIN, "MRR at the month")            \
    X(new_mrr, "new_mrr", MONEY, F64, MAIN,                                    \
      "average monthly new + reactivation MRR over the window")               \
    X(gross_mrr_churn_rate, "gross_mrr_churn_rate", FRACTION, F64, MAIN,       \
      "mean monthly gross MRR churn rate over the months with opening MRR")   \
    X(window_months, "window_months", NUMBER, I32, DETAIL,                     \
      "months in the window, ending at the month")                             \
    X(rate_months, "rate_months", COUNT, I64, DETAIL,                          \
      "months of the window with opening MRR (a defined churn rate)")          \
    X(flags, "flags", FLAGS, U32, DETAIL, "CSM_FLAG_ZERO_DENOMINATOR")

/** The observed inputs of a projection: the typed view of the one-row
 * table "project_inputs", as csm_projection_inputs_from_ledger returns
 * it. */
typedef struct csm_projection_inputs {
    csm_result *result; /**< the self-describing table "project_inputs" */
    size_t n_rows;      /**< 1 */
    CSM_PROJECTION_INPUTS_COLUMNS(CSM_COLUMN_MEMBER)
} csm_projection_inputs;

/** Options of csm_projection_inputs_from_ledger; fill the defaults with the
 * _INIT macro or the _opts_init function. */
typedef struct csm_projection_inputs_opts {
    size_t size; /**< sizeof the struct as the caller knows it */
    /** The month the inputs are read at (CSM_MONTH_NONE, the default = the
     * ledger's last month). */
    int32_t month;
    /** The trailing window of the churn rate and new MRR, in months, >= 1
     * (default 6). */
    int32_t window;
} csm_projection_inputs_opts;

/** Initialiser of every option at its default (size = sizeof the struct). */
#define CSM_PROJECTION_INPUTS_OPTS_INIT                                        \
    {sizeof(csm_projection_inputs_opts), CSM_MONTH_NONE, 6}
/** Set *opts (size bytes of it) to the defaults; CSM_EINVAL if opts
 * is NULL or size < sizeof(size_t). */
CSM_API CSM_NODISCARD csm_status csm_projection_inputs_opts_init(
    csm_projection_inputs_opts *opts, size_t size);

/**
 * The inputs of a churn-scenario projection observed in a ledger over the
 * opts->window months (default 6) ending at opts->month (CSM_MONTH_NONE,
 * the default = the ledger's last month; opts NULL = defaults), from its movements with the default options
 * (csm_movements_compute), as a one-row table "project_inputs" (result
 * kind "project_inputs"):
 * @code{.unparsed}
 *   start_mrr            = the MRR at `month` (closing_mrr)
 *   new_mrr              = (sum over the window's months of new_mrr +
 *                          reactivation_mrr) / window: the average monthly
 *                          new and reactivated MRR, a month without any
 *                          (before the ledger's first month, say) counting
 *                          as 0
 *   gross_mrr_churn_rate = the mean of the window's monthly
 *                          gross_mrr_churn_rate ((churn + contraction) /
 *                          opening_mrr) over the months where it is defined
 *                          (opening MRR > 0; rate_months of them), at most 1
 * @endcode
 * so that csm_projection_mrr from start_mrr with the one scenario {churn =
 * &gross_mrr_churn_rate, expansion = NULL, new_mrr = &new_mrr, n = 1}
 * continues the observed trend.  No month with opening MRR:
 * gross_mrr_churn_rate NaN and CSM_FLAG_ZERO_DENOMINATOR.  Money in the
 * ledger's currency units, the rate a monthly fraction.
 * The result is one block from the ledger's allocator; release it with
 * csm_projection_inputs_free (= csm_result_free(p->result); NULL allowed).
 * Errors: CSM_EINVAL (out or ledger NULL, opts.window < 1, bad opts),
 * CSM_EDOMAIN (month CSM_MONTH_NONE on an empty ledger: field "ledger"),
 * CSM_ERANGE (the window starts before month INT32_MIN + 1: field
 * "opts.window"),
 * CSM_ENOMEM; *out is NULL on any error.
 */
CSM_API CSM_NODISCARD csm_status csm_projection_inputs_from_ledger(
    csm_projection_inputs **out, const csm_ledger *ledger,
    const csm_projection_inputs_opts *opts, csm_error *err);
/** Free projection inputs (NULL is allowed): csm_result_free(p->result). */
CSM_API void csm_projection_inputs_free(csm_projection_inputs *p);

/**
 * Closed form for constant rates, with g = 1 - churn + expansion:
 * @code{.unparsed}
 *   MRR_t = MRR_0 g^t + N (1 - g^t) / (1 - g)   (g != 1)
 *   MRR_t = MRR_0 + N t                          (g == 1)
 * @endcode
 * NaN for inputs outside the domain of csm_projection_mrr or t < 0.
 */
CSM_API double csm_projection_mrr_closed(double start_mrr, double churn,
                                      double expansion, double new_mrr,
                                      double t);

/** Steady-state MRR N / (churn - expansion), reached when churn >
 * expansion; otherwise MRR grows without bound: NaN and
 * CSM_FLAG_ZERO_DENOMINATOR.  Errors: CSM_EINVAL (out NULL), CSM_EDOMAIN
 * (inputs out of range, naming the field). */
CSM_API CSM_NODISCARD csm_status csm_projection_steady_state(csm_metric *out,
                                                          double churn,
                                                          double expansion,
                                                          double new_mrr,
                                                          csm_error *err);

#ifdef __cplusplus
}
#endif

#endif /* CSMETRICS_PROJECTION_H */
