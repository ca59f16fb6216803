/* section.c - the helpers every section shares (section.h). */
#include "section.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int data_status(csm_status s) {
    return s == CSM_EDOMAIN || s == CSM_EDUP || s == CSM_ERANGE ||
           s == CSM_EMISSING;
}

void die_status(const char *what, const csm_error *e) {
    fprintf(stderr, "csmetrics: %s: %s\n", what, e->text);
    exit(data_status(e->code) ? EXIT_DATAERR : EXIT_SOFTWARE);
}

/* The library's name of a column (csm_error.field) and the file's, where
 * they differ: one table per file (docs/cli.md lists the files' columns). */
typedef struct colname {
    const char *file, *field, *column;
} colname;
static const colname file_columns[] = {
    {"mrr.csv", "period", "month"},
    {"contracts.csv", "start_day", "start_date"},
    {"contracts.csv", "end_day", "end_date"},
    {"contracts.csv", "amount", "value"}, /* CSM_UNIT_TERM: the term's value */
    {"spend.csv", "spend_month", "month"},
};

const char *file_column(const char *file, const char *field) {
    if (!field)
        return NULL;
    for (size_t i = 0; i < sizeof file_columns / sizeof *file_columns; i++)
        if (strcmp(file_columns[i].file, file) == 0 &&
            strcmp(file_columns[i].field, field) == 0)
            return file_columns[i].column;
    return field;
}

void die_rows(const ctx *x, const char *what, const char *file,
              const size_t *line, const size_t *rows, size_t n,
              const csm_error *e) {
    if (e->row == CSM_NO_ROW || e->row >= n || !line)
        die_status(what, e);
    fprintf(stderr, "csmetrics: %s/%s:%zu: ", x->c->dir, file,
            line[rows ? rows[e->row] : e->row]);
    const char *col = file_column(file, e->field);
    if (col)
        fprintf(stderr, "column '%s': ", col);
    fprintf(stderr, "%s\n", e->msg ? e->msg : csm_strerror(e->code));
    exit(data_status(e->code) ? EXIT_DATAERR : EXIT_SOFTWARE);
}

int need_file(ctx *x, int have, const char *section, const char *file) {
    if (have)
        return 1;
    report_note(x->r, "%s skipped: no %s in %s", section, file, x->c->dir);
    x->n_missing++;
    return 0;
}

int need_mrr(ctx *x, const char *section) {
    if (!x->ledger && x->c->have_mrr) {
        report_note(x->r, "%s skipped: %s in %s has no customer with MRR",
                    section, x->c->mrr_file, x->c->dir);
        x->n_empty++;
        return 0;
    }
    return need_file(x, x->ledger != NULL, section, "mrr.csv");
}

const char *dim_code_name(const ctx *x, int d, int32_t code) {
    const company *c = x->c;
    const char *label = csm_keys_label(c->dims[d], code, NULL);
    if (!label)
        return "(unknown)";
    if (d == DIM_OWNER)
        for (size_t i = 0; i < c->n_owners; i++)
            if (c->owner_ids[i] == code)
                return c->owner_names[i];
    return label;
}

const char *dim_label(const void *arg, const csm_column *c, int32_t code) {
    const sec_arg *a = arg;
    if (strcmp(c->name, a->dim_col) != 0)
        return NULL;
    return a->x->o->by >= 0 ? dim_code_name(a->x, a->x->o->by, code) : "?";
}

int32_t month_day0(int32_t m) {
    return csm_day(csm_month_year(m), csm_month_month(m), 1);
}

int32_t review_month(ctx *x, const char *section, const char *file,
                     const int32_t *when, size_t n, int is_day) {
    if (x->as_of != CSM_MONTH_NONE)
        return x->as_of;
    if (n == 0) {
        report_note(x->r, "%s skipped: %s in %s has no rows", section, file,
                    x->c->dir);
        x->n_empty++;
        return CSM_MONTH_NONE;
    }
    int32_t last = when[0];
    for (size_t i = 1; i < n; i++)
        if (when[i] > last)
            last = when[i];
    return is_day ? csm_day_month(last) : last;
}
