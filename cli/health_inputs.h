/* health_inputs.h - the accounts the health section scores and the value
 * of each scorecard input for each of them, gathered from usage.csv,
 * nps.csv, contracts.csv and mrr.csv (the scorecard's value matrix,
 * csm_health_score). */
#ifndef CSMCLI_HEALTH_INPUTS_H
#define CSMCLI_HEALTH_INPUTS_H

#include "sections.h"

typedef struct health_inputs {
    size_t n;         /* accounts */
    int64_t *account; /* their ids */
    double *mrr;      /* their MRR in the month; NaN without mrr.csv */
    double *values;   /* n x csm_health_scorecard_input_count, row-major; NaN =
                         missing */
} health_inputs;

/* The accounts the ledger has active in month `month`, by ascending id
 * (csm_ledger_month_compute; without mrr.csv, the accounts of the usage
 * rows of that month, once each, by ascending id), and their inputs, by
 * name:
 *   an activity measure (csm_activity_measure_name): csm_activity_compute
 *     of the account's usage rows of the month (rates clamped to 1, empty
 *     cells missing);
 *   "nps": the NPS (csm_nps) of the account's latest response in the six
 *     months ending with `month`: 100, 0 or -100;
 *   "days_to_renewal": days from the month's last day to the nearest end
 *     of a contract of the account ending on it or later;
 *   "mrr": the account's MRR;
 *   any other: the usage.csv column of that name in the account's first
 *     usage row of the month.
 * Exits 70 when out of memory or when the library rejects the usage. */
void health_inputs_build(health_inputs *hi, const ctx *x,
                         const csm_health_scorecard *sc, int32_t month);
void health_inputs_free(health_inputs *hi);

/* The activity measures (csm_activity_compute with opts, but rates clamped
 * to 1 and empty cells missing: clamp and nan_missing set) of usage.csv's
 * rows row[0..in->n-1]: in gives their account_id, n and any key the
 * caller groups by (segment, cohort), and their count columns are gathered
 * here from usage.csv's.  Exits as die_status(what, ...) when the library
 * fails. */
csm_activity *usage_activity(const company *c, const long *row,
                             const csm_activity_rows *in,
                             const csm_activity_opts *opts, const char *what);

/* The distinct months of usage.csv's rows up to month `last`, ascending,
 * into *out (allocated, the caller frees it); returns how many. */
size_t usage_months(const company *c, int32_t last, int32_t **out);

/* health_inputs_build of month `month` into *hi, then those accounts
 * scored by sc (csm_health_score; the caller frees both).  Exits 65 with
 * "csmetrics: health: " and the library's message when scoring fails (a
 * measure whose missing policy is "fail"). */
csm_health *health_score_month(health_inputs *hi, const ctx *x,
                               const csm_health_scorecard *sc, int32_t month);

/* Where health_inputs_build looks for the input called name, for messages:
 * "usage.csv's column 'x'", "the activity rates of usage.csv", "nps.csv",
 * "contracts.csv", "mrr.csv", or "no file (no input of that name)". */
const char *health_input_origin(const company *c, const char *name);

#endif
