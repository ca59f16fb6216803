/** @file
 * csmetrics/interventions.h - intervention effects: for each intervention
 * type (an executive call, a training, a success plan...), the change in
 * health score and in MRR from the month of the intervention to a later
 * month, against accounts of the same health band without an
 * intervention that month: the difference with Welch's t interval.
 *
 * These are OBSERVATIONAL comparisons, not causal effects: CSMs choose
 * which accounts get an intervention (often the ones in trouble, or the
 * ones that answer), so the difference mixes the intervention's effect
 * with the reasons it was chosen.  Matching on the band removes only the
 * part of that selection the band explains.
 *
 * csm_interventions_panel_build builds the health panel those changes are
 * read from, out of per-month health scores and the ledger, with the rule
 * that counts an account gone by the later month as a loss of its MRR.
 *
 * Threads: reentrant; inputs are only read; each result (one table,
 * csmetrics/table.h) is the caller's (csm_interventions_free,
 * csm_interventions_panel_rows_free).
 * Definitions and worked examples: docs/metrics.md, "Intervention
 * effects"; the columns: docs/columns.md, "interventions" and
 * "interventions_panel".
 */
#ifndef CSMETRICS_INTERVENTIONS_H
#define CSMETRICS_INTERVENTIONS_H

#include "csmetrics/common.h"
#include "csmetrics/ledger.h"
#include "csmetrics/table.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The most bands of a panel (256): bands are 0..255 (-1 = no band). */
#define CSM_INTERVENTIONS_MAX_BANDS 256

/** The health panel, columnar: one row per account and month (frozen
 * within the ABI, like every input struct without a size). */
typedef struct csm_interventions_panel {
    const int64_t *account; /**< required */
    const int32_t *month;   /**< csm_month index; required */
    /** health score (NaN = unknown: the row enters no score change);
     * NULL = no score changes */
    const double *score;
    /** health band index (csm_health's band: 0 = lowest, -1 = none, such a
     * row is not compared); required */
    const int32_t *band;
    /** MRR that month (finite, >= 0); NULL = no MRR changes.  An account
     * without a row in the later month enters no change; to count a churn
     * as a loss, give a churned account a row in that month with MRR 0, a
     * NaN score and band -1 (csm_interventions_panel_build does: the
     * csmetrics report and the notebook build their panel with it), else
     * the MRR changes compare only the accounts that stayed. */
    const double *mrr;
    size_t n; /**< rows: elements of each non-NULL column */
} csm_interventions_panel;

/** The interventions, columnar: one row per intervention (frozen within
 * the ABI). */
typedef struct csm_interventions_events {
    const int64_t *account; /**< the account; required */
    const int32_t *month;   /**< the month it happened in; required */
    const int32_t *type;    /**< its type code; NULL = every one type 0 */
    size_t n;               /**< rows: elements of each non-NULL column */
} csm_interventions_events;

/** Options of csm_interventions_compute; fill the defaults with the _INIT
 * macro or the _opts_init function. */
typedef struct csm_interventions_opts {
    size_t size; /**< sizeof the struct as the caller knows it */
    /** Months from the intervention's month to the month compared, >= 1
     * (default 1: the next month). */
    int32_t horizon;
    /** Confidence level of the interval, in (0, 1); default 0.95. */
    double confidence;
    /** Allocator of the result and the work arrays (copied; NULL =
     * malloc/free, the default; a half-set allocator is CSM_EINVAL). */
    const csm_allocator *allocator;
} csm_interventions_opts;

/** Initialiser of every option at its default (size = sizeof the struct). */
#define CSM_INTERVENTIONS_OPTS_INIT                                            \
    {sizeof(csm_interventions_opts), 1, 0.95, NULL}
/** Set *opts (size bytes of it) to the defaults; CSM_EINVAL if opts
 * is NULL or size < sizeof(size_t). */
CSM_API CSM_NODISCARD csm_status
csm_interventions_opts_init(csm_interventions_opts *opts, size_t size);

/** The measures compared, in the order of the rows of each type. */
enum {
    CSM_INTERVENTIONS_SCORE = 0, /**< the health score's change, points */
    CSM_INTERVENTIONS_MRR = 1,   /**< the MRR's change, currency units */
    CSM_INTERVENTIONS_N = 2      /**< the number of measures */
};

/** The name of measure m: "score" or "mrr" (the "measure" column);
 * "unknown" for any other m; never NULL. */
CSM_API const char *csm_interventions_measure_name(int m);

/**
 * One row per intervention type (ascending) and measure (score, mrr).
 *
 * An observation is a panel row (account a, month t) with a band b >= 0
 * and a row of a in month t + horizon; its change is the measure there
 * minus the measure in t (a NaN score on either side leaves it out of the
 * score's rows).  It is *treated* for type k when a has an intervention of
 * type k in t, a *control* when a has no intervention of any type in t.
 * Within each band b: n_T,b treated and n_C,b control changes, their means
 * m_T,b, m_C,b and sample variances s^2_T,b, s^2_C,b.  Bands with treated
 * changes but no control are left out (their treated are "unmatched").
 * Over the other bands, weighted by the treated (w_b = n_T,b / n_T):
 * @code{.unparsed}
 *   treated_change = sum_b w_b m_T,b       (the treated mean)
 *   control_change = sum_b w_b m_C,b       (the controls, reweighted to
 *                                          the treated's band mix)
 *   diff = treated_change - control_change
 *   se^2 = sum_b w_b^2 (s^2_T,b / n_T,b + s^2_C,b / n_C,b)
 *   df   = (sum of the 2 x bands terms v)^2 / sum v^2 / (n - 1)
 *          (Welch-Satterthwaite; v = w_b^2 s^2 / n of each group)
 *   t = diff / se,  p_value = 2 P(T_df > |t|),
 *   ci = diff -/+ t_df((1 + confidence) / 2) x se
 * @endcode
 * With one band this is Welch's unequal-variance t test.  A band group of
 * one change has no sample variance: se, t, df, p and the interval are
 * NaN with CSM_FLAG_DEGENERATE, as when se = 0.  No matched treated
 * change: every figure NaN with CSM_FLAG_EMPTY (also the mrr rows when
 * the panel has no MRR column).
 *
 * This list is the columns of the table "interventions" (docs/columns.md,
 * "interventions"): X(member, "column", TYPE, STORAGE, ROLE,
 * "description"), as csmetrics/table.h explains.
 */
#define CSM_INTERVENTIONS_COLUMNS(X)                                           \
    X(type, "type", CODE, I32, KEY, "the intervention type")                   \
    X(measure, "measure", TEXT, STR, KEY, "\"score\" or \"mrr\"")              \
    X(measure_code, "measure_code", CODE, I32, DETAIL,                         \
      "CSM_INTERVENTIONS_SCORE or CSM_INTERVENTIONS_MRR")                      \
    X(n_treated, "n_treated", COUNT, I64, MAIN,                                \
      "treated changes in bands with controls")                                \
    X(n_control, "n_control", COUNT, I64, MAIN,                                \
      "control changes in those bands")                                        \
    X(unmatched, "unmatched", COUNT, I64, DETAIL,                              \
      "treated changes in bands without a control (left out)")                 \
    X(treated_change, "treated_change", NUMBER, F64, MAIN,                     \
      "mean change of the treated (score points or currency units)")          \
    X(control_change, "control_change", NUMBER, F64, MAIN,                     \
      "mean change of the controls, reweighted to the treated's bands")       \
    X(diff, "diff", NUMBER, F64, MAIN,                                         \
      "treated_change - control_change: an observational difference, not "   \
      "a causal effect")                                                       \
    X(se, "se", NUMBER, F64, DETAIL, "standard error of diff")                 \
    X(t, "t", NUMBER, F64, DETAIL, "diff / se")                                \
    X(df, "df", NUMBER, F64, DETAIL,                                           \
      "Welch-Satterthwaite degrees of freedom")                                \
    X(p_value, "p_value", FRACTION, F64, MAIN, "two-sided p-value of t")       \
    X(ci_low, "ci_low", NUMBER, F64, MAIN, "lower bound of diff's interval")   \
    X(ci_high, "ci_high", NUMBER, F64, MAIN, "upper bound of diff's interval") \
    X(confidence, "confidence", FRACTION, F64, DETAIL,                         \
      "confidence level of the interval")                                      \
    X(flags, "flags", FLAGS, U32, DETAIL,                                      \
      "CSM_FLAG_EMPTY, CSM_FLAG_DEGENERATE")

/** Intervention effects: the typed view of the table "interventions", as
 * csm_interventions_compute returns it. */
typedef struct csm_interventions {
    csm_result *result; /**< the table "interventions" */
    size_t n_rows;      /**< types x CSM_INTERVENTIONS_N */
    CSM_INTERVENTIONS_COLUMNS(CSM_COLUMN_MEMBER)
} csm_interventions;

/**
 * Compare the health score and MRR changes after each type of
 * intervention with those of same-band accounts without one (see
 * CSM_INTERVENTIONS_COLUMNS).  Events of an account and month the panel
 * lacks still make that month "not a control" and enter no change.  An
 * account with several types in one month is treated for each; several
 * events of one type in a month count once.
 * Errors: CSM_EINVAL (out, panel or events NULL; a required column NULL
 * while its n > 0; bad opts: horizon < 1, confidence outside (0, 1), a
 * half-set allocator), CSM_EDOMAIN (with the row: a month CSM_MONTH_NONE,
 * a band below -1 or above CSM_INTERVENTIONS_MAX_BANDS - 1, an infinite
 * score, an MRR negative or not finite), CSM_EDUP (two panel rows of one
 * account and month: the later row, field "month"), CSM_ENOMEM.  *out is
 * NULL on failure.  O((n + events) log n).
 */
CSM_API CSM_NODISCARD csm_status csm_interventions_compute(
    csm_interventions **out, const csm_interventions_panel *panel,
    const csm_interventions_events *events,
    const csm_interventions_opts *opts, csm_error *err);
/** Release a result (csm_result_free(r->result)); NULL is allowed. */
CSM_API void csm_interventions_free(csm_interventions *r);

/* ---- building the panel from health scores and a ledger --------------- */
/** Health scores by account and month, columnar (frozen within the ABI):
 * the input of csm_interventions_panel_build, e.g. each month's accounts
 * scored by a scorecard (csm_health_score's score and band). */
typedef struct csm_interventions_scores {
    const int64_t *account; /**< required */
    const int32_t *month;   /**< csm_month index; required */
    /** health score (NaN = unknown); NULL = every score NaN */
    const double *score;
    /** health band index (-1 = none, 0..CSM_INTERVENTIONS_MAX_BANDS - 1);
     * required */
    const int32_t *band;
    size_t n; /**< rows: elements of each non-NULL column */
} csm_interventions_scores;

/**
 * The columns of the table "interventions_panel" (docs/columns.md,
 * "interventions_panel"), one row per account and month, as
 * csm_interventions_panel_build returns it: X(member, "column", TYPE,
 * STORAGE, ROLE, "description"), as csmetrics/table.h explains.
 */
#define CSM_INTERVENTIONS_PANEL_COLUMNS(X)                                     \
    X(account, "account", ID, I64, KEY, "the account (customer id)")          \
    X(month, "month", MONTH, I32, KEY, "the month")                            \
    X(score, "score", NUMBER, F64, MAIN,                                       \
      "health score; NaN when unscored or gone")                              \
    X(band, "band", CODE, I32, MAIN,                                           \
      "health band index; -1 when unscored or gone")                          \
    X(mrr, "mrr", MONEY, F64, MAIN,                                            \
      "MRR that month (0 when gone; NaN without a ledger)")                   \
    X(gone, "gone", BOOL, U8, DETAIL,                                          \
      "1: a row added because the account had MRR `horizon` months before "  \
      "and none this month")

/** A built health panel: the typed view of the table "interventions_panel"
 * and, in `panel`, the same columns as the input of
 * csm_interventions_compute. */
typedef struct csm_interventions_panel_rows {
    csm_result *result; /**< the table "interventions_panel" */
    size_t n_rows;      /**< rows: accounts x months, then the gone rows */
    /** The columns as a panel for csm_interventions_compute (pointing into
     * this result; panel.mrr is NULL when the panel was built without a
     * ledger). */
    csm_interventions_panel panel;
    CSM_INTERVENTIONS_PANEL_COLUMNS(CSM_COLUMN_MEMBER)
} csm_interventions_panel_rows;

/**
 * Build the health panel of csm_interventions_compute from per-month
 * health scores and the ledger, with the rule that counts a churn as a
 * loss.  The panel's months are months[0..n_months) (any order; repeats
 * count once).  Rows, month by month ascending:
 *   - with a ledger: each customer the ledger has active in the month
 *     (csm_ledger_month_compute's customers, ascending id) with its MRR;
 *     score and band from the scores row of that account and month, or NaN
 *     and -1 when there is none (an account never scored still has its
 *     MRR);
 *   - without one (ledger NULL): each scores row of the month, ascending
 *     account, MRR NaN and panel.mrr NULL (no MRR changes).
 * Then, with a ledger, the *gone* rows: for each panel month t (ascending)
 * whose month t + opts.horizon is also a panel month, each account with a
 * row in t and none in t + horizon (ascending id) gets a row there with
 * MRR 0, score NaN, band -1 and gone = 1: its MRR change is the loss of
 * its MRR, and it enters no score change.  An account that returns later
 * has its own rows again from then.  Scores rows of an account and month
 * outside the panel (not active that month, a month not listed) are left
 * out.  opts is csm_interventions_compute's (horizon and allocator are
 * read; the result and work arrays come from opts.allocator), so one opts
 * serves both calls.
 * Errors: CSM_EINVAL (out or scores NULL; months NULL while n_months > 0;
 * a required scores column NULL while its n > 0; bad opts as in
 * csm_interventions_compute), CSM_EDOMAIN (with the row: a month
 * CSM_MONTH_NONE, field "months" or "month"; a band below -1 or above
 * CSM_INTERVENTIONS_MAX_BANDS - 1; an infinite score), CSM_EDUP (two
 * scores rows of one account and month: the later one, field "month"),
 * CSM_ENOMEM.  *out is NULL on failure.
 * O(n log n + n_months x customers x log entries).
 */
CSM_API CSM_NODISCARD csm_status csm_interventions_panel_build(
    csm_interventions_panel_rows **out, const csm_ledger *ledger,
    const int32_t *months, size_t n_months,
    const csm_interventions_scores *scores,
    const csm_interventions_opts *opts, csm_error *err);
/** Release a built panel (csm_result_free(r->result)); NULL is allowed. */
CSM_API void csm_interventions_panel_rows_free(csm_interventions_panel_rows *r);

#ifdef __cplusplus
}
#endif

#endif /* CSMETRICS_INTERVENTIONS_H */
