/* section.c - the helpers every section shares (section.h). */
#include "section.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void die_status(const char *what, const csm_error *e) {
    int data = e->code == CSM_EDOMAIN || e->code == CSM_ERANGE;
    fprintf(stderr, "csmetrics: %s: %s%s\n", what, e->text,
            data ? " (the input data is out of range)" : "");
    exit(data ? EXIT_DATAERR : EXIT_SOFTWARE);
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
        report_note(x->r, "%s skipped: mrr.csv in %s has no customer with MRR",
                    section, x->c->dir);
        x->n_empty++;
        return 0;
    }
    return need_file(x, x->ledger != NULL, section, "mrr.csv");
}

const char *dim_code_name(const ctx *x, int d, int32_t code) {
    const dict *dd = &x->c->dims[d];
    if (code >= 0 && (size_t)code < dd->n) {
        if (d == DIM_OWNER && x->c->have_owners)
            for (size_t i = 0; i < x->c->owner_names.n; i++)
                if (x->c->owner_ids[i] == code)
                    return x->c->owner_names.names[i];
        return dd->names[code];
    }
    return "(unknown)";
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
