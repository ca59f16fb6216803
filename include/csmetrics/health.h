/** @file
 * csmetrics/health.h - configurable weighted health scores.
 *
 * A scorecard (groups of measures with weights, directions, transforms to
 * 0..100 and missing-data policies; bands; overrides) is data: a JSON spec
 * read with csm_health_scorecard_from_json and written back with
 * csm_health_scorecard_to_json.  csm_health_score scores a batch of accounts
 * (accounts x inputs, row-major doubles, NaN = missing) and explains each
 * score by measure and group.
 *
 * Threads: a scorecard is immutable once read; any number of threads may
 * score with it.  Results are the caller's (csm_health_free); a result
 * is immutable and may be read by many threads.
 * Model, JSON schema and worked example: docs/health-scores.md; the
 * columns: docs/columns.md, "health", "health_bands" and "health_at_risk".
 */
#ifndef CSMETRICS_HEALTH_H
#define CSMETRICS_HEALTH_H

#include "csmetrics/common.h"
#include "csmetrics/table.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct csm_health_scorecard csm_health_scorecard; /**< opaque, immutable */

/** Options of csm_health_scorecard_from_json; fill the defaults with the
 * _INIT macro or the _opts_init function. */
typedef struct csm_health_scorecard_opts {
    size_t size; /**< sizeof the struct as the caller knows it */
    /** Allocator of the scorecard and of every result scored with it
     * (health, bands, at-risk tables); copied.  NULL = malloc/free. */
    const csm_allocator *allocator;
} csm_health_scorecard_opts;

/** Initialiser of every option at its default (size = sizeof the struct). */
#define CSM_HEALTH_SCORECARD_OPTS_INIT {sizeof(csm_health_scorecard_opts), NULL}
/** Set *opts (size bytes of it) to the defaults; CSM_EINVAL if opts
 * is NULL or size < sizeof(size_t). */
CSM_API CSM_NODISCARD csm_status csm_health_scorecard_opts_init(
    csm_health_scorecard_opts *opts, size_t size);

/**
 * Read and validate a JSON spec (len bytes; the text need not be
 * NUL-terminated).  Errors: CSM_EPARSE for malformed JSON (err->text has
 * the line and column), CSM_EINVAL for a spec that does not validate --
 * err->text names the exact path, e.g.
 * "$.groups[1].measures[0].weight: must be >= 0" -- or for bad opts (a
 * half-set allocator: field "opts.allocator"); CSM_ENOMEM.  opts NULL =
 * defaults (malloc/free).
 */
CSM_API CSM_NODISCARD csm_status csm_health_scorecard_from_json(
    csm_health_scorecard **out, const char *json, size_t len,
    const csm_health_scorecard_opts *opts, csm_error *err);

/** Write the scorecard as canonical JSON (fixed key order, every default
 * written out, doubles with 17 significant digits): reading it back gives
 * the same scorecard, and writing that again gives the same text.  *out is
 * NUL-terminated, *len excludes the NUL; free it with
 * csm_health_scorecard_json_free. */
CSM_API CSM_NODISCARD csm_status csm_health_scorecard_to_json(
    char **out, size_t *len, const csm_health_scorecard *sc, csm_error *err);
/** Free a JSON text from csm_health_scorecard_to_json(sc) through sc's
 * allocator (json NULL is allowed; sc NULL means malloc/free). */
CSM_API void csm_health_scorecard_json_free(const csm_health_scorecard *sc, char *json);
/** Free a scorecard (NULL is allowed).  Health results scored with it stay
 * valid: they hold their own copies of the names. */
CSM_API void csm_health_scorecard_free(csm_health_scorecard *sc);

/** The number of inputs: the columns of csm_health_score's values matrix
 * (0 for NULL).  Inputs are the measures in spec order (groups
 * flattened), then fields used only by overrides. */
CSM_API size_t csm_health_scorecard_input_count(const csm_health_scorecard *sc);
/** The name of input i (column i of the values matrix), owned by sc; NULL
 * when i >= the input count or sc is NULL. */
CSM_API const char *csm_health_scorecard_input_name(const csm_health_scorecard *sc,
                                             size_t i);
/** The missing-data policy of input i as the spec names it: "renormalize",
 * "zero" or "fail" for a measure (its own "missing", else the scorecard's
 * default; docs/health-scores.md, "Missing data"), owned by sc; NULL for an
 * input only overrides read (a missing value never matches an override),
 * when i >= the input count, or when sc is NULL. */
CSM_API const char *csm_health_scorecard_input_policy(const csm_health_scorecard *sc,
                                                      size_t i);
/**
 * The inputs no account can supply, before scoring: absent[k] (one byte
 * per input, csm_health_scorecard_input_count) is set to 1 when column k of
 * values (n_accounts x inputs, row-major, as csm_health_score reads it) is
 * NaN in every row, else 0; every entry is 0 when n_accounts is 0.
 * *n_absent (NULL allowed) counts the 1s.  A host that fills a missing
 * column with NaN -- an input its data lacks or spells differently -- finds
 * it here and names it (a warning: the measure is scored as missing in
 * every account, or the override never fires).
 * Errors: CSM_EINVAL (absent NULL while the scorecard has inputs, sc NULL,
 * values NULL while n_accounts > 0); CSM_EMISSING when an absent input is
 * a measure whose policy is "fail" (csm_health_score would fail at its
 * first account): err->field "values", err->text names the first such
 * input; absent and *n_absent are filled all the same.  O(n_accounts x
 * inputs) at most (each column until its first value); allocates nothing.
 */
CSM_API CSM_NODISCARD csm_status csm_health_absent_inputs(
    unsigned char *absent, size_t *n_absent, const csm_health_scorecard *sc,
    const double *values, size_t n_accounts, csm_error *err);
/** The number of measures, over every group (0 for NULL). */
CSM_API size_t csm_health_scorecard_measure_count(const csm_health_scorecard *sc);
/** The name of measure i (spec order, groups flattened: the "measure"
 * index of the table "health_measures"), owned by sc; NULL when i is out of
 * range or sc is NULL. */
CSM_API const char *csm_health_scorecard_measure_name(const csm_health_scorecard *sc,
                                               size_t i);
/** The index of the group measure i belongs to (spec order); 0 when i is
 * out of range or sc is NULL. */
CSM_API size_t csm_health_scorecard_measure_group(const csm_health_scorecard *sc,
                                           size_t i);
/** The direction of measure i (spec order, groups flattened): +1 when a
 * higher input scores higher (direction "higher" of a linear, percentile or
 * boolean transform; a piecewise transform whose last point scores more
 * than its first), -1 when it scores lower ("lower"; a piecewise transform
 * whose last point scores less than its first), 0 for a piecewise
 * transform whose end points score the same, when i is out of range or
 * when sc is NULL. */
CSM_API int csm_health_scorecard_measure_direction(const csm_health_scorecard *sc,
                                                   size_t i);
/** The weight of measure i within its group, as the spec gives it; NaN
 * when i is out of range or sc is NULL. */
CSM_API double csm_health_scorecard_measure_weight(const csm_health_scorecard *sc,
                                                   size_t i);
/** The share of measure i in the score of an account with every measure
 * present under weighted_average aggregation: its group's weight over the
 * sum of the group weights, times its weight over the sum of its group's
 * measure weights (the shares of all the measures add up to 1; a measure
 * of weight 0 or of a group of weight 0 has share 0; docs/health-scores.md,
 * "The model").  NaN when i is out of range or sc is NULL. */
CSM_API double csm_health_scorecard_measure_share(const csm_health_scorecard *sc,
                                                  size_t i);
/**
 * A copy of sc whose measures have the given shares: measure k's share
 * (csm_health_scorecard_measure_share of the copy) is share[k] / the sum of
 * share, for the n = csm_health_scorecard_measure_count(sc) measures in
 * spec order.  Weights written: group g's weight is the sum of its
 * measures' share[k] over the sum of share, times the sum of sc's group
 * weights (the groups keep their total weight); within a group whose
 * shares sum to T > 0, measure k's weight is share[k] / T times the sum of
 * the group's weights in sc (the group keeps its total measure weight); a
 * group whose shares are all 0 gets weight 0 and keeps its measure
 * weights (a spec needs a positive measure weight in every group).  Every
 * other part of the spec (groups, measures, transforms, missing-data
 * policies, aggregation, rounding, bands, overrides) is sc's; the name is
 * `name` (NULL = sc's name).  The copy is allocated with sc's allocator
 * and freed with csm_health_scorecard_free; csm_health_scorecard_to_json
 * writes it as a spec.
 * Errors: CSM_EINVAL (out or sc NULL; share NULL; n other than the
 * measure count: field "n"; name empty or not UTF-8: field "name"),
 * CSM_EDOMAIN (a share negative or not finite: row k, field "share";
 * every share 0: field "share"), CSM_ENOMEM.  On failure *out is NULL.
 */
CSM_API CSM_NODISCARD csm_status csm_health_scorecard_reweight(
    csm_health_scorecard **out, const csm_health_scorecard *sc,
    const double *share, size_t n, const char *name, csm_error *err);
/** The number of groups (0 for NULL). */
CSM_API size_t csm_health_scorecard_group_count(const csm_health_scorecard *sc);
/** The name of group i (spec order), owned by sc; NULL when i is out of
 * range or sc is NULL. */
CSM_API const char *csm_health_scorecard_group_name(const csm_health_scorecard *sc,
                                             size_t i);
/** The number of bands (0 for NULL). */
CSM_API size_t csm_health_scorecard_band_count(const csm_health_scorecard *sc);
/** The name of band i (ascending cut points, as csm_health.band numbers
 * them), owned by sc; NULL when i is out of range or sc is NULL. */
CSM_API const char *csm_health_scorecard_band_name(const csm_health_scorecard *sc,
                                            size_t i);
/** The number of overrides (0 for NULL). */
CSM_API size_t csm_health_scorecard_override_count(const csm_health_scorecard *sc);
/** The name of override i (spec order, as csm_health.override_index and
 * bit i of override_mask number them), owned by sc; NULL when i is out of
 * range or sc is NULL. */
CSM_API const char *csm_health_scorecard_override_name(const csm_health_scorecard *sc,
                                                size_t i);

/**
 * The result of csm_health_score: one result (csmetrics/table.h) of
 * three tables, in this order.
 *
 * "health", one row per account (n_accounts rows, in the order of the
 * values matrix; CSM_HEALTH_COLUMNS):
 * @code{.unparsed}
 *   account      the account's 0-based row in the values matrix (the key:
 *                accounts have no other id in the input)
 *   score        0..100 after overrides and rounding (NaN when every
 *                measure is missing: CSM_FLAG_EMPTY, band -1)
 *   raw_score    the weighted score before overrides and rounding
 *   band (column "band_index")  index into the scorecard's bands
 *                (ascending cut points; a score exactly on a cut point is
 *                in the upper band); -1 when the score is NaN and no
 *                override forced a band
 *   band_name (column "band")  the band's name (NULL, Arrow null, for
 *                band -1)
 *   override_index  index of the first override that fired, or -1;
 *   override_name (column "override")  its name (NULL for none)
 *   override_mask   bit k set when override k fired
 *   change       score - previous score (NaN without a previous score)
 *   moved        1 when the band differs from the previous band (both
 *                known); movers lists those accounts (n_movers)
 *   flags        CSM_FLAG_* (CSM_FLAG_EMPTY: no measure present)
 * @endcode
 *
 * band and override_index keep -1 for "none" (a value, not the CODE
 * columns' null sentinel, so hosts testing band >= 0 keep working); their
 * text columns are null then.
 *
 * "health_measures", one row per account and measure (n_accounts x
 * n_measures rows, row-major: row i*n_measures + k is account i, measure
 * k, as h->contribution[i*n_measures + k] reads it;
 * CSM_HEALTH_MEASURES_COLUMNS):
 * @code{.unparsed}
 *   measure_account, measure_index, measure_name  the keys (the member
 *                names differ from the column names "account", "measure",
 *                "measure_name"); measures are numbered in spec order,
 *                groups flattened (csm_health_scorecard_measure_name)
 *   measure_score  the measure transformed to 0..100 (NaN when missing)
 *   weight       effective weight (0 when missing; the worst measure 1,
 *                others 0, for worst_of): the measure's share of the score
 *                after renormalization, so that weight x (100 -
 *                measure_score) is the points it costs the account
 *   contribution the measure's share of the score before overrides and
 *                rounding; an account's contributions add up to its
 *                raw_score
 * @endcode
 *
 * "health_groups", one row per account and group (n_accounts x n_groups,
 * row-major; CSM_HEALTH_GROUPS_COLUMNS): group_account, group_index,
 * group_name (columns "account", "group", "group_name") and
 * group_contribution, the sum of the group's contributions (they add up
 * to raw_score too).
 *
 * movers (n_movers entries, ascending) is not a column: it is an index
 * into the health table's rows, the accounts whose moved is 1, kept in the
 * result's block beside the tables.
 *
 * Text columns point into the result's own copy of the names, so they stay
 * valid after csm_health_scorecard_free, until csm_health_free.  n_rows =
 * n_accounts (the first table's rows, as in every typed result).
 *
 * This list is the columns of the table "health" (docs/columns.md,
 * "health"): X(member, "column", TYPE, STORAGE, ROLE, "description"), as
 * csmetrics/table.h explains.
 */
#define CSM_HEALTH_COLUMNS(X)                                                  \
    X(account, "account", ID, I64, KEY,                                        \
      "the account's 0-based row in the values matrix")                        \
    X(score, "score", NUMBER, F64, MAIN,                                       \
      "health score 0..100 after overrides and rounding")                      \
    X(raw_score, "raw_score", NUMBER, F64, DETAIL,                             \
      "weighted score before overrides and rounding")                          \
    X(band, "band_index", CODE, I32, DETAIL,                                   \
      "band index in the scorecard; -1 when the score is undefined")           \
    X(band_name, "band", TEXT, STR, MAIN, "band name; null for band -1")       \
    X(override_index, "override_index", CODE, I32, DETAIL,                     \
      "first override that fired, -1 for none")                                \
    X(override_name, "override", TEXT, STR, MAIN,                              \
      "name of the first override that fired; null for none")                  \
    X(override_mask, "override_mask", NUMBER, U32, DETAIL,                     \
      "bit k set when override k fired")                                       \
    X(change, "change", NUMBER, F64, MAIN,                                     \
      "score - previous score; null without one")                              \
    X(moved, "moved", BOOL, U8, MAIN,                                          \
      "1 when the band differs from the previous band")                        \
    X(flags, "flags", FLAGS, U32, DETAIL,                                      \
      "CSM_FLAG_* bits (CSM_FLAG_EMPTY: no measure present)")

/** The columns of the table "health_measures" (docs/columns.md, "health"),
 * one row per account and measure: X(member, "column", TYPE, STORAGE,
 * ROLE, "description"), as csmetrics/table.h explains. */
#define CSM_HEALTH_MEASURES_COLUMNS(X)                                         \
    X(measure_account, "account", ID, I64, KEY,                                \
      "the account's 0-based row in the values matrix")                        \
    X(measure_index, "measure", CODE, I32, KEY,                                \
      "measure index in spec order (groups flattened)")                        \
    X(measure_name, "measure_name", TEXT, STR, KEY, "measure name")            \
    X(measure_score, "measure_score", NUMBER, F64, MAIN,                       \
      "measure transformed to 0..100; null when missing")                      \
    X(weight, "weight", FRACTION, F64, DETAIL,                                 \
      "effective share of the score (0 when missing)")                         \
    X(contribution, "contribution", NUMBER, F64, MAIN,                         \
      "weight x measure_score: points of the raw score from the measure")

/** The columns of the table "health_groups" (docs/columns.md, "health"),
 * one row per account and group: X(member, "column", TYPE, STORAGE, ROLE,
 * "description"), as csmetrics/table.h explains. */
#define CSM_HEALTH_GROUPS_COLUMNS(X)                                           \
    X(group_account, "account", ID, I64, KEY,                                  \
      "the account's 0-based row in the values matrix")                        \
    X(group_index, "group", CODE, I32, KEY, "group index in spec order")       \
    X(group_name, "group_name", TEXT, STR, KEY, "group name")                  \
    X(group_contribution, "group_contribution", NUMBER, F64, MAIN,             \
      "sum of the group's contributions: points of the raw score")

/** Health scores: the typed view of the tables "health" (members from
 * CSM_HEALTH_COLUMNS, n_accounts each), "health_measures"
 * (CSM_HEALTH_MEASURES_COLUMNS, n_accounts x n_measures each, row-major)
 * and "health_groups" (CSM_HEALTH_GROUPS_COLUMNS, n_accounts x n_groups
 * each), and the movers, as csm_health_score returns them;
 * CSM_HEALTH_COLUMNS explains every figure. */
typedef struct csm_health {
    csm_result *result;  /**< the tables (csm_result_find(h->result, ...)) */
    size_t n_rows;       /**< = n_accounts */
    size_t n_accounts, n_measures, n_groups; /* the tables' dimensions */
    CSM_HEALTH_COLUMNS(CSM_COLUMN_MEMBER)          /* n_accounts each */
    CSM_HEALTH_MEASURES_COLUMNS(CSM_COLUMN_MEMBER) /* n x n_measures */
    CSM_HEALTH_GROUPS_COLUMNS(CSM_COLUMN_MEMBER)   /* n x n_groups */
    size_t n_movers; /**< accounts whose band moved (moved = 1) */
    size_t *movers; /**< n_movers rows of the health table, ascending */
} csm_health;
/** @var csm_health::n_accounts
 * Accounts scored: rows of the values matrix and of the table "health". */
/** @var csm_health::n_measures
 * The scorecard's measures (csm_health_scorecard_measure_count): rows of
 * "health_measures" per account. */
/** @var csm_health::n_groups
 * The scorecard's groups (csm_health_scorecard_group_count): rows of
 * "health_groups" per account. */

/** Options of csm_health_score: each account's previous score and band,
 * for the trend columns (delta, moved) and the movers.  Fill the defaults
 * with the _INIT macro or the _opts_init function. */
typedef struct csm_health_opts {
    size_t size; /**< sizeof the struct as the caller knows it */
    /** n_accounts previous scores (NaN = unknown), or NULL (no trend). */
    const double *prev_score;
    /** n_accounts previous band indexes (-1 = unknown), or NULL. */
    const int32_t *prev_band;
} csm_health_opts;

/** Initialiser of every option at its default (size = sizeof the struct). */
#define CSM_HEALTH_OPTS_INIT {sizeof(csm_health_opts), NULL, NULL}
/** Set *opts (size bytes of it) to the defaults; CSM_EINVAL if opts
 * is NULL or size < sizeof(size_t). */
CSM_API CSM_NODISCARD csm_status csm_health_opts_init(csm_health_opts *opts,
                                                      size_t size);

/**
 * Score n_accounts accounts.  values: n_accounts x input_count doubles,
 * row-major (numpy's C order), NaN = missing.  opts (NULL = defaults)
 * carries the optional previous scores and bands.
 * Errors: CSM_EINVAL (NULL arguments, bad opts), CSM_EMISSING (a measure with the
 * "fail" policy is missing: err->row is the account, err->text names the
 * measure), CSM_EDOMAIN (an infinite value: row and input named),
 * CSM_ENOMEM (also when n_accounts x n_measures overflows).  The result
 * is one block from the scorecard's allocator (csm_result_kind "health").
 * O(n x inputs) plus O(n log n) per percentile measure.
 */
CSM_API CSM_NODISCARD csm_status csm_health_score(
    csm_health **out, const csm_health_scorecard *sc, const double *values,
    size_t n_accounts, const csm_health_opts *opts, csm_error *err);
/** Release a result: csm_result_free(h->result) (NULL is allowed).  An
 * Arrow export of one of its tables keeps the block alive until the export
 * is released too. */
CSM_API void csm_health_free(csm_health *h);

/* ==== band distribution ==================================================== */
/** The columns of the table "health_bands" (docs/columns.md,
 * "health_bands"), one row per band of the scorecard: X(member, "column",
 * TYPE, STORAGE, ROLE, "description"), as csmetrics/table.h explains. */
#define CSM_HEALTH_BANDS_COLUMNS(X)                                            \
    X(band, "band", CODE, I32, KEY, "band index in the scorecard")            \
    X(band_name, "band_name", TEXT, STR, DETAIL, "the band's name")            \
    X(accounts, "accounts", COUNT, I64, MAIN, "accounts scored in the band")   \
    X(share, "share", FRACTION, F64, MAIN,                                     \
      "accounts / accounts with a band; NaN (null) when none has one")         \
    X(mrr, "mrr", MONEY, F64, MAIN,                                            \
      "sum of the band's accounts' MRR (unknown MRR counts 0; 0 without MRR)")

/** The band distribution: the typed view of the table "health_bands". */
typedef struct csm_health_bands {
    csm_result *result; /**< the table "health_bands" */
    size_t n_rows;      /**< = the scorecard's band count */
    size_t n_scored;    /**< accounts with a band (band >= 0) */
    size_t n_unscored;  /**< accounts without one (band -1: no data) */
    CSM_HEALTH_BANDS_COLUMNS(CSM_COLUMN_MEMBER)
} csm_health_bands;

/**
 * How the accounts of a health result h spread over the scorecard's bands,
 * one row per band of sc (every band, also those without accounts), from
 * the best band (the highest cut point, the last in the spec) down to the
 * worst, as a review lists them:
 *   accounts  number of accounts i with h->band[i] = b
 *   share     accounts / n_scored, n_scored = accounts with a band (NaN,
 *             null in Arrow, when n_scored = 0)
 *   mrr       sum of mrr[i] over those accounts (Neumaier, in account
 *             order), currency units; mrr is optional (NULL = 0 for all;
 *             NaN = unknown, counted as 0)
 * Accounts without a band (band -1: every measure missing and no
 * override forcing a band) are in no row; they are n_unscored.
 * h must come from scoring with sc (same bands).  The result comes from
 * h's allocator (the scorecard's) and is freed with
 * csm_health_bands_free.
 * Errors: CSM_EINVAL (out, h or sc NULL; a band of h outside sc's),
 * CSM_EDOMAIN (an infinite mrr: row and field "mrr"), CSM_ENOMEM.  On
 * failure *out is NULL.
 */
CSM_API CSM_NODISCARD csm_status
csm_health_bands_compute(csm_health_bands **out, const csm_health *h,
                         const csm_health_scorecard *sc, const double *mrr,
                         csm_error *err);
/** Free a band distribution (NULL is allowed). */
CSM_API void csm_health_bands_free(csm_health_bands *b);

/* ==== the accounts most at risk ============================================ */
/** Options of csm_health_at_risk; fill the defaults with the
 * _INIT macro or the _opts_init function. */
typedef struct csm_health_risks_opts {
    size_t size; /**< sizeof the struct as the caller knows it */
    size_t top_n;     /**< accounts listed (0 = every scored account); 10 */
    size_t n_reasons; /**< measures named per account, 0..8; default 2 */
} csm_health_risks_opts;

/** Initialiser of every option at its default (size = sizeof the struct). */
#define CSM_HEALTH_RISKS_OPTS_INIT {sizeof(csm_health_risks_opts), 10, 2}
/** Set *opts (size bytes of it) to the defaults; CSM_EINVAL if opts
 * is NULL or size < sizeof(size_t). */
CSM_API CSM_NODISCARD csm_status
csm_health_risks_opts_init(csm_health_risks_opts *opts, size_t size);

/** The columns of the table "health_at_risk" (docs/columns.md,
 * "health_at_risk"), one row per account listed, most at risk first:
 * X(member, "column", TYPE, STORAGE, ROLE, "description"), as
 * csmetrics/table.h explains. */
#define CSM_HEALTH_RISK_COLUMNS(X)                                             \
    X(rank, "rank", COUNT, I32, KEY, "1 = most at risk")                       \
    X(risk_account, "account", ID, I64, DETAIL,                                \
      "the account's 0-based row in the values matrix")                        \
    X(account_id, "account_id", ID, I64, MAIN,                                 \
      "the caller's account id (the row index without ids)")                   \
    X(risk_score, "score", NUMBER, F64, MAIN, "health score 0..100")           \
    X(risk_band, "band", CODE, I32, MAIN, "band index in the scorecard")       \
    X(risk_band_name, "band_name", TEXT, STR, DETAIL, "the band's name")       \
    X(risk_mrr, "mrr", MONEY, F64, MAIN, "the account's MRR; NaN when unknown")\
    X(top_reasons, "top_reasons", TEXT, STR, MAIN,                             \
      "\"measure -points; ...\" for the costliest measures, then \"override: " \
      "name\" when one fired")

/** The columns of the table "health_reasons" (docs/columns.md,
 * "health_at_risk"), one row per reason of a listed account:
 * X(member, "column", TYPE, STORAGE, ROLE, "description"), as
 * csmetrics/table.h explains. */
#define CSM_HEALTH_REASON_COLUMNS(X)                                           \
    X(reason_rank, "rank", COUNT, I32, KEY, "the account's rank")              \
    X(reason, "reason", COUNT, I32, KEY, "1 = the costliest measure")          \
    X(reason_measure, "measure", CODE, I32, DETAIL,                            \
      "measure index in spec order")                                           \
    X(reason_name, "measure_name", TEXT, STR, MAIN, "measure name")            \
    X(points, "points", NUMBER, F64, MAIN,                                     \
      "points the measure costs: weight x (100 - measure_score)")

/** The ranking: the typed view of the tables "health_at_risk" and
 * "health_reasons". */
typedef struct csm_health_risks {
    csm_result *result; /**< tables "health_at_risk" and "health_reasons" */
    size_t n_rows;      /**< accounts listed */
    size_t n_reason_rows; /**< rows of "health_reasons": the listed
                             accounts' reasons, at most n_reasons each */
    CSM_HEALTH_RISK_COLUMNS(CSM_COLUMN_MEMBER)
    CSM_HEALTH_REASON_COLUMNS(CSM_COLUMN_MEMBER)
} csm_health_risks;

/**
 * The accounts most at risk in a health result h, and why.
 *
 * Ranking: the accounts with a score (not NaN), by score ascending, ties
 * by mrr descending (NaN MRR last), then by account order; the first
 * opts.top_n of them.
 *
 * Reasons: the points measure k costs account i are
 * @code{.unparsed}
 *   points = weight[i,k] x (100 - measure_score[i,k])
 * @endcode
 * (the effective weight of "health_measures", so the points of an
 * account add up to 100 - raw_score); its reasons are the n_reasons
 * measures with the most points > 0 (ties: spec order), one row each of
 * "health_reasons" (rank, reason 1.., measure, name, points), the rows of
 * an account contiguous and in rank order.  top_reasons joins them as
 * "name -points" (points with one decimal) with "; ", then
 * "override: name" for the first override that fired.
 *
 * account_id (optional, n_accounts ids; NULL = the row index) and mrr
 * (optional; NULL or NaN = unknown) are per account of h.  The result is
 * allocated with h's allocator (the scorecard's) and freed with
 * csm_health_risks_free.
 * Errors: CSM_EINVAL (out or h NULL, bad opts, n_reasons > 8),
 * CSM_ENOMEM.  On failure *out is NULL.  O(n log n).
 */
CSM_API CSM_NODISCARD csm_status csm_health_at_risk(
    csm_health_risks **out, const csm_health *h, const int64_t *account_id,
    const double *mrr, const csm_health_risks_opts *opts, csm_error *err);
/** Free a ranking (NULL is allowed). */
CSM_API void csm_health_risks_free(csm_health_risks *r);

#ifdef __cplusplus
}
#endif

#endif /* CSMETRICS_HEALTH_H */
