/* section.h - what the section files share: the helpers every section
 * uses, the labels of the --by dimension's codes, and the sections
 * themselves, one file per concern:
 *   sec_revenue.c   summary, movements, retention, cohorts (the ledger)
 *   sec_survival.c  Kaplan-Meier and the shifted-beta-geometric model
 *   sec_ltv.c       unit economics (LTV, CAC, payback)
 *   sec_project.c   the churn-scenario projection
 *   sec_nps.c       NPS by quarter and by segment
 *   sec_renewals.c  contracts due and renewed
 *   sec_health.c    health bands, the accounts most at risk and the band
 *                   transitions from the month before (its inputs:
 *                   health_inputs.c; its scorecard: scorecard.c)
 *   sec_team.c      accounts and ARR per CSM
 *   sec_churn.c     churn risk: the churn model on the scorecard's inputs,
 *                   validated on held-out months, and the accounts most
 *                   likely to churn
 *   sec_reviews.c   diagnosis cadence: overdue reviews, coverage per CSM
 *   sec_referrals.c referral rate, conversion, referred MRR, NPS of
 *                   referrers
 *   sec_interventions.c  health score and MRR changes after each touch
 *                   type against same-band accounts (observational)
 *   sec_activity.c  activity measures of the review month's usage, over
 *                   every account, by segment, lifecycle stage, product
 * Every figure comes from a libcsmetrics call; the sections choose the
 * data, the options and the view (tables.h). */
#ifndef CSMCLI_SECTION_H
#define CSMCLI_SECTION_H

#include "sections.h"

/* "csmetrics: WHAT: e->text" on stderr, then exit: a library call failed
 * on data the CLI had accepted.  The exit code is 65 (EXIT_DATAERR) when
 * the status says the data is bad (data_status), else 70. */
_Noreturn void die_status(const char *what, const csm_error *e);

/* 1 when status s says the input data is bad rather than the call:
 * CSM_EDOMAIN, CSM_EDUP, CSM_ERANGE, CSM_EMISSING. */
int data_status(csm_status s);

/* The library call WHAT, given the rows of FILE (in x's directory),
 * failed: when e names row r of the n rows passed, "csmetrics:
 * DIR/FILE:LINE: column 'C': msg" (C: file_column(FILE, e->field)) with LINE = line[rows ? rows[r] : r]
 * (line: the file's *_line array, data.h; rows: which row of the file each
 * row passed is, NULL when they are the file's rows in order), else
 * die_status(what, e); then exit as die_status does. */
_Noreturn void die_rows(const ctx *x, const char *what, const char *file,
                        const size_t *line, const size_t *rows, size_t n,
                        const csm_error *e);

/* The column of FILE ("mrr.csv", "contracts.csv"...) that the library
 * names field (csm_error.field): the file's name for it where they differ
 * ("amount" is contracts.csv's "value"), else field itself (NULL: NULL). */
const char *file_column(const char *file, const char *field);

/* 1 when have (the section's file was read); else the report note
 * "SECTION skipped: no FILE in DIR" and 0.  need_mrr: the ledger (the
 * note says when mrr.csv is there but gives no customer).  Each skip is
 * counted in x (n_missing, n_empty) for report_exit. */
int need_file(ctx *x, int have, const char *section, const char *file);
int need_mrr(ctx *x, const char *section);

/* Name of code `code` of dimension d: its label in the dimension's key
 * dictionary (data.h), for owners the name owners.csv gives it; "(unknown)"
 * for a code without a label (customers without an accounts.csv row or
 * with a blank cell: CSM_KEYS_NONE, or INT32_MAX where the sections map it
 * so). */
const char *dim_code_name(const ctx *x, int d, int32_t code);

/* The arg of a section's view (tables.h): the context, for the labels of
 * the --by dimension's codes, and the typed result, for row rules. */
typedef struct sec_arg {
    const ctx *x;
    const void *res;
    /* the code column holding the --by dimension's codes (the others,
     * such as an outcome code, show their decimal code) */
    const char *dim_col;
} sec_arg;

/* code_label of a view whose arg is a sec_arg: the --by dimension's name
 * of the code in column dim_col. */
const char *dim_label(const void *arg, const csm_column *c, int32_t code);

/* First day (csm_day) of month index m. */
int32_t month_day0(int32_t m);

/* The review month of a section that reads a file other than mrr.csv:
 * x->as_of (--as-of, else the ledger's last month), or without either the
 * month of the latest of the n dates in `when` (days when is_day, else
 * month indices).  With none of them (n = 0: FILE has a header and no
 * row) there is nothing to review: the note "SECTION skipped: FILE in DIR
 * has no rows" and CSM_MONTH_NONE. */
int32_t review_month(ctx *x, const char *section, const char *file,
                     const int32_t *when, size_t n, int is_day);

/* The MRR movements of the review month alone (one row, every segment;
 * sec_revenue.c).  Exits 70 when the library fails. */
csm_movements *review_movements(ctx *x);

/* The sections: each adds its tables (or a note saying why not) to
 * x->r. */
void sec_summary(ctx *x);
void sec_movements(ctx *x);
void sec_retention(ctx *x);
/* the cohort triangle: logo retention, or MRR retention with --mrr */
void sec_cohorts(ctx *x);
/* the report's: both triangles */
void sec_cohorts_both(ctx *x);
void sec_survival(ctx *x);
void sec_ltv(ctx *x);
void sec_project(ctx *x);
void sec_nps(ctx *x);
void sec_renewals(ctx *x);
void sec_health(ctx *x);
void sec_team(ctx *x);
void sec_churn(ctx *x);
/* diagnosis cadence (touches.csv) and referrals (referrals.csv) */
void sec_reviews(ctx *x);
void sec_referrals(ctx *x);
/* intervention effects (touches.csv's types, usage.csv's health panel) */
void sec_interventions(ctx *x);
/* activity measures by segment, lifecycle stage and product (usage.csv,
 * accounts.csv) */
void sec_activity(ctx *x);

#endif
