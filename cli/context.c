/* context.c - the context every section reads (sections.h): the ledgers
 * built once from mrr.csv, the review month and its checks, and the exit
 * code of a report. */
#include "section.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The exit code of a failed ledger build, its message on stderr: a row
 * the library rejects named as mrr.csv's file:line (when the rows are
 * mrr.csv's: not those of a subscription export, which is named without
 * a line), 65; out of memory 70. */
static int ledger_error(const ctx *x, const csm_error *e) {
    const company *c = x->c;
    int data = data_status(e->code);
    const char *col = file_column(c->mrr_file, e->field);
    if (data && e->row != CSM_NO_ROW && e->row < c->n_mrr && c->mrr_line)
        fprintf(stderr, "csmetrics: %s/%s:%zu: %s%s%s%s\n", c->dir,
                c->mrr_file, c->mrr_line[e->row], col ? "column '" : "",
                col ? col : "", col ? "': " : "", e->msg ? e->msg : e->text);
    else
        fprintf(stderr, "csmetrics: %s/%s: %s\n", c->dir, c->mrr_file,
                e->text);
    return data ? EXIT_DATAERR : EXIT_SOFTWARE;
}

/* Customers active in month m of the ledger (0 outside it). */
static size_t customers_in(const csm_ledger *l, int32_t m, int64_t *first) {
    csm_ledger_month *lm = NULL;
    csm_error e;
    if (csm_ledger_month_compute(&lm, l, m, &e) != CSM_OK)
        die_status("ledger", &e);
    size_t n = lm->n_rows;
    if (first && n > 0)
        *first = lm->customer_id[0];
    csm_ledger_month_free(lm);
    return n;
}

/* A review month taken from the data (no --as-of) that looks like a stray
 * row or a partial export: the ledger's last month has fewer than a tenth
 * of the customers of the month before it (none in the month before
 * included, when the ledger has earlier months).  Said in a note; the
 * month stays the review month (--as-of chooses another). */
static void check_last_month(ctx *x) {
    int32_t last = x->as_of;
    if (csm_ledger_first_month(x->ledger) >= last)
        return;
    int64_t who = 0;
    size_t n = customers_in(x->ledger, last, &who);
    size_t before = customers_in(x->ledger, last - 1, NULL);
    if (before > 0 && n * 10 >= before)
        return;
    char m[16], p[16];
    month_label(m, sizeof m, last);
    month_label(p, sizeof p, last - 1);
    report_note(x->r,
                "the review month %s (%s's last) has %zu customer(s) "
                "(customer %s%s) against %zu in %s: a stray row or a "
                "partial month?  Give --as-of YYYY-MM to review another month",
                m, x->c->mrr_file, n, company_customer(x->c, who), n > 1 ? ", ..." : "", before,
                p);
}

/* The months of the dated files other than mrr.csv, [*lo, *hi]: contract
 * starts to ends, NPS response dates, usage months; 0 without any. */
static int other_months(const company *c, int32_t *lo, int32_t *hi) {
    int any = 0;
#define SPAN(m)                                                                \
    do {                                                                       \
        int32_t m_ = (m);                                                      \
        if (!any || m_ < *lo)                                                  \
            *lo = m_;                                                          \
        if (!any || m_ > *hi)                                                  \
            *hi = m_;                                                          \
        any = 1;                                                               \
    } while (0)
    for (size_t i = 0; i < c->n_con; i++) {
        SPAN(csm_day_month(c->con_start[i]));
        SPAN(csm_day_month(c->con_end[i]));
    }
    for (size_t i = 0; i < c->n_nps; i++)
        SPAN(csm_day_month(c->nps_day[i]));
    for (size_t i = 0; i < c->n_use; i++)
        SPAN(c->use_month[i]);
#undef SPAN
    return any;
}

/* --as-of outside [lo, hi], the months of `what`: a usage error naming
 * them (64), else 0. */
static int as_of_outside(const ctx *x, int32_t lo, int32_t hi,
                         const char *what) {
    if (x->as_of >= lo && x->as_of <= hi)
        return 0;
    char a[16], l[16], h[16];
    month_label(a, sizeof a, x->as_of);
    month_label(l, sizeof l, lo);
    month_label(h, sizeof h, hi);
    fprintf(stderr,
            "csmetrics: --as-of %s is outside the months of %s in %s "
            "(%s..%s)\n",
            a, what, x->c->dir, l, h);
    return EXIT_USAGE;
}

int ctx_init(ctx *x) {
    company *c = x->c;
    x->as_of = x->o->as_of;
    if (c->have_mrr) {
        csm_error e;
        if (csm_ledger_new(&x->ledger, c->mrr_cust, c->mrr_month, c->mrr_value,
                           NULL, c->n_mrr, NULL, &e) != CSM_OK)
            return ledger_error(x, &e);
        if (csm_ledger_entry_count(x->ledger) == 0) {
            /* rows all skipped, or none active: the sections that read the
             * ledger say so (need_mrr) instead of reading an empty one */
            csm_ledger_free(x->ledger);
            x->ledger = NULL;
        }
    }
    if (!x->ledger) {
        /* the review month of each section comes from its own file; an
         * --as-of outside all of them would show nothing but zeros */
        int32_t lo = 0, hi = 0;
        if (x->as_of != CSM_MONTH_NONE && other_months(c, &lo, &hi))
            return as_of_outside(x, lo, hi, "the dated files");
        return 0;
    }
    if (x->as_of == CSM_MONTH_NONE) {
        x->as_of = csm_ledger_last_month(x->ledger);
        check_last_month(x);
    } else {
        int rc = as_of_outside(x, csm_ledger_first_month(x->ledger),
                               csm_ledger_last_month(x->ledger), c->mrr_file);
        if (rc)
            return rc;
    }
    month_label(x->r->as_of, sizeof x->r->as_of, x->as_of);
    if (x->o->by >= 0) {
        if (!c->have_accounts) {
            report_note(x->r, "--by %s needs accounts.csv; breakdowns skipped",
                        dim_names[x->o->by]);
            return 0;
        }
        /* the segment of each row: the account's value of --by; without
         * one, INT32_MAX (shown "(unknown)", dim_code_name) */
        int32_t *seg = xalloc(c->n_mrr, sizeof *seg);
        for (size_t i = 0; i < c->n_mrr; i++) {
            int32_t d = company_dim(c, c->mrr_cust[i], x->o->by);
            seg[i] = d < 0 ? INT32_MAX : d;
        }
        csm_error e;
        csm_status st = csm_ledger_new(&x->ledger_by, c->mrr_cust,
                                       c->mrr_month, c->mrr_value, seg,
                                       c->n_mrr, NULL, &e);
        free(seg);
        if (st != CSM_OK)
            return ledger_error(x, &e);
    }
    return 0;
}

int report_exit(const ctx *x) {
    const report *r = x->r;
    if (r->n > 0)
        return 0;
    /* each reason once: the notes "SECTION skipped: REASON" repeat it */
    fprintf(stderr, "csmetrics: nothing to report:\n");
    for (size_t i = 0; i < r->nnotes; i++) {
        const char *why = strstr(r->notes[i], " skipped: ");
        why = why ? why + 10 : r->notes[i];
        int seen = 0;
        for (size_t j = 0; j < i && !seen; j++) {
            const char *w = strstr(r->notes[j], " skipped: ");
            seen = strcmp(w ? w + 10 : r->notes[j], why) == 0;
        }
        if (!seen)
            fprintf(stderr, "  %s\n", why);
    }
    return x->n_empty ? EXIT_DATAERR : EXIT_NOINPUT;
}

void ctx_free(ctx *x) {
    csm_ledger_free(x->ledger);
    csm_ledger_free(x->ledger_by);
    free(x->at_risk);
}
