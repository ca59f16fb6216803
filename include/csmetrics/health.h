/*
 * csmetrics/health.h - configurable weighted health scores.
 *
 * A scorecard (groups of measures with weights, directions, transforms to
 * 0..100 and missing-data policies; bands; overrides) is data: a JSON spec
 * read with csm_scorecard_from_json and written back with
 * csm_scorecard_to_json.  csm_scorecard_score scores a batch of accounts
 * (accounts x inputs, row-major doubles, NaN = missing) and explains each
 * score by measure and group.
 *
 * Threads: a scorecard is immutable once read; any number of threads may
 * score with it.  Results are the caller's (csm_health_free).
 * Model, JSON schema and worked example: docs/health-scores.md.
 */
#ifndef CSMETRICS_HEALTH_H
#define CSMETRICS_HEALTH_H

#include "csmetrics/common.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct csm_scorecard csm_scorecard; /* opaque, immutable */

/*
 * Read and validate a JSON spec (len bytes; the text need not be
 * NUL-terminated).  Errors: CSM_EPARSE for malformed JSON (err->text has
 * the line and column), CSM_EINVAL for a spec that does not validate --
 * err->text names the exact path, e.g.
 * "$.groups[1].measures[0].weight: must be >= 0"; CSM_ENOMEM.
 * allocator may be NULL (malloc/free); it is copied.
 */
CSM_API CSM_NODISCARD csm_status csm_scorecard_from_json(
    csm_scorecard **out, const char *json, size_t len,
    const csm_allocator *allocator, csm_error *err);

/* Write the scorecard as canonical JSON (fixed key order, every default
 * written out, doubles with 17 significant digits): reading it back gives
 * the same scorecard, and writing that again gives the same text.  *out is
 * NUL-terminated, *len excludes the NUL; free it with
 * csm_scorecard_json_free. */
CSM_API CSM_NODISCARD csm_status csm_scorecard_to_json(
    char **out, size_t *len, const csm_scorecard *sc, csm_error *err);
CSM_API void csm_scorecard_json_free(const csm_scorecard *sc, char *json);
CSM_API void csm_scorecard_free(csm_scorecard *sc);

/* Inputs are the columns of the value matrix: the measures in spec order
 * (groups flattened), then fields used only by overrides. */
CSM_API size_t csm_scorecard_input_count(const csm_scorecard *sc);
CSM_API const char *csm_scorecard_input_name(const csm_scorecard *sc,
                                             size_t i);
CSM_API size_t csm_scorecard_measure_count(const csm_scorecard *sc);
CSM_API const char *csm_scorecard_measure_name(const csm_scorecard *sc,
                                               size_t i);
CSM_API size_t csm_scorecard_measure_group(const csm_scorecard *sc,
                                           size_t i);
CSM_API size_t csm_scorecard_group_count(const csm_scorecard *sc);
CSM_API const char *csm_scorecard_group_name(const csm_scorecard *sc,
                                             size_t i);
CSM_API size_t csm_scorecard_band_count(const csm_scorecard *sc);
CSM_API const char *csm_scorecard_band_name(const csm_scorecard *sc,
                                            size_t i);
CSM_API size_t csm_scorecard_override_count(const csm_scorecard *sc);
CSM_API const char *csm_scorecard_override_name(const csm_scorecard *sc,
                                                size_t i);

/*
 * Scores, one row per account:
 *   score        0..100 after overrides and rounding (NaN when every
 *                measure is missing: CSM_FLAG_EMPTY, band -1)
 *   band         index into the scorecard's bands (ascending cut points;
 *                a score exactly on a cut point is in the upper band)
 *   override     index of the first override that fired, or -1;
 *                override_mask has bit k set when override k fired
 *   measure_score  n x n_measures: each measure transformed to 0..100
 *                (NaN when missing)
 *   weight       n x n_measures: effective weight (0 when missing; the
 *                worst measure 1, others 0, for worst_of)
 *   contribution n x n_measures: the measure's share of the score before
 *                overrides and rounding; contributions add up to the raw
 *                score, group_contribution (n x n_groups) to the same
 *   raw_score    the weighted score before overrides and rounding
 *   change       score - previous score (NaN without a previous score)
 *   moved        1 when the band differs from the previous band (both
 *                known); movers lists those accounts (n_movers)
 */
typedef struct csm_health {
    size_t n_accounts, n_measures, n_groups;
    double *score, *raw_score;
    int32_t *band;
    int32_t *override_index;
    uint32_t *override_mask;
    double *measure_score;
    double *weight; /* n x n_measures: the measure's effective share of
                       the score (after renormalization), so that
                       weight x (100 - measure_score) is the points it
                       costs the account */
    double *contribution;
    double *group_contribution;
    double *change;
    uint8_t *moved;
    size_t n_movers;
    size_t *movers;
    uint32_t *flags;
    void *priv_;
} csm_health;

/*
 * Score n_accounts accounts.  values: n_accounts x input_count doubles,
 * row-major (numpy's C order), NaN = missing.  prev_score (NaN allowed)
 * and prev_band (-1 = unknown) are optional (NULL).
 * Errors: CSM_EINVAL (NULL arguments), CSM_EMISSING (a measure with the
 * "fail" policy is missing: err->row is the account, err->text names the
 * measure), CSM_EDOMAIN (an infinite value: row and input named),
 * CSM_ENOMEM.  O(n x inputs) plus O(n log n) per percentile measure.
 */
CSM_API CSM_NODISCARD csm_status csm_scorecard_score(
    csm_health **out, const csm_scorecard *sc, const double *values,
    size_t n_accounts, const double *prev_score, const int32_t *prev_band,
    csm_error *err);
CSM_API void csm_health_free(csm_health *h);

#ifdef __cplusplus
}
#endif

#endif /* CSMETRICS_HEALTH_H */
