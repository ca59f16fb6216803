/* sections.h - the report's sections, each adding tables to a report. */
#ifndef CSMCLI_SECTIONS_H
#define CSMCLI_SECTIONS_H

#include <csmetrics/csmetrics.h>

#include "data.h"
#include "out.h"
#include "tables.h"

typedef struct cliopts {
    format fmt;
    int32_t as_of; /* INT32_MIN = last month of the ledger */
    int32_t window, months;
    int by;        /* DIM_* or -1 */
    const char *scorecard;
    const char *propose; /* --propose-scorecard FILE (churn section) or NULL */
    double margin;
    int detail; /* --detail: the drill-down tables (movements, retention) */
    int mrr;    /* --mrr: the cohorts subcommand's MRR triangle */
    /* reviews: accounts from cadence_mrr of MRR are reviewed every
     * cadence_days[1] days, the others every cadence_days[0] days
     * (--cadence-mrr, --cadence-days LOW,HIGH) */
    double cadence_mrr;
    int32_t cadence_days[2];
    /* interventions: months from a touch to the month compared
     * (--effect-horizon, default 1) and the interval's confidence level
     * (--effect-confidence, default 0.95) */
    int32_t effect_horizon;
    double effect_confidence;
    /* activity: the tenures (months) at which launch, growth and mature
     * begin (--stage-months L,G,M; default csm_activity_opts') */
    int32_t stage_months[3];
} cliopts;

typedef struct ctx {
    company *c;
    cliopts *o;
    report *r;
    csm_ledger *ledger;    /* mrr.csv, segment 0 */
    csm_ledger *ledger_by; /* mrr.csv, segment = code of --by (or NULL) */
    int32_t as_of;
    /* at-risk accounts found by the health section, for the team section */
    int64_t *at_risk;
    size_t n_at_risk;
    int health_done;
    /* sections skipped for a missing file, or for a file without data */
    size_t n_missing, n_empty;
    /* an exit code a section gives up with (73/74: an output file it
     * cannot create or write, said on stderr): no further section runs and
     * no report is printed, but everything is freed first */
    int fail_code;
} ctx;

typedef void (*section_fn)(ctx *x);

/* NULL-terminated section list of a subcommand, or NULL if unknown. */
const section_fn *sections_for(const char *sub);
/* Builds the ledgers and checks the review month: returns an exit code
 * (65 for an mrr.csv the library rejects, naming file:line; 64 for an
 * --as-of outside the data's months), 0 to go on. */
int ctx_init(ctx *x);
/* The exit code once the sections ran: 0 when the report has a table;
 * else nothing could be computed, the report's notes go to stderr and the
 * code is 65 when a file was there without data, 66 when every file the
 * sections read is missing (an empty or wrong directory). */
int report_exit(const ctx *x);
void ctx_free(ctx *x);

#endif
