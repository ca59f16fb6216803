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
    double margin;
    int detail; /* --detail: the drill-down tables (movements, retention) */
    int mrr;    /* --mrr: the cohorts subcommand's MRR triangle */
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
} ctx;

typedef void (*section_fn)(ctx *x);

/* NULL-terminated section list of a subcommand, or NULL if unknown. */
const section_fn *sections_for(const char *sub);
int ctx_init(ctx *x); /* builds the ledgers; returns an exit code */
void ctx_free(ctx *x);

#endif
