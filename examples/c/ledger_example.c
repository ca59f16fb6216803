/* ledger_example.c - MRR movements, 12-month NRR/GRR and a cohort triangle
 * for the small bundled ledger (examples/data/small_ledger.csv).
 *
 *   ledger_example [path/to/ledger.csv]
 *
 * The CSV has the header customer_id,month,mrr,segment with months as
 * YYYY-MM.  (The example reads this one simple layout with sscanf; the
 * csmetrics command reads real-world CSV exports.) */
#include <csmetrics/csmetrics.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    size_t n, cap;
    int64_t *cust;
    int32_t *month;
    double *mrr;
    int32_t *seg;
} rows;

static int push(rows *r, int64_t c, int32_t m, double v, int32_t s) {
    if (r->n == r->cap) {
        size_t cap = r->cap ? 2 * r->cap : 1024;
        int64_t *nc = realloc(r->cust, cap * sizeof *nc);
        if (!nc)
            return -1;
        r->cust = nc;
        int32_t *nm = realloc(r->month, cap * sizeof *nm);
        if (!nm)
            return -1;
        r->month = nm;
        double *nv = realloc(r->mrr, cap * sizeof *nv);
        if (!nv)
            return -1;
        r->mrr = nv;
        int32_t *ns = realloc(r->seg, cap * sizeof *ns);
        if (!ns)
            return -1;
        r->seg = ns;
        r->cap = cap;
    }
    r->cust[r->n] = c;
    r->month[r->n] = m;
    r->mrr[r->n] = v;
    r->seg[r->n] = s;
    r->n++;
    return 0;
}

static void month_label(char *buf, size_t n, int32_t m) {
    snprintf(buf, n, "%04d-%02d", (int)csm_month_year(m),
             (int)csm_month_month(m));
}

int main(int argc, char **argv) {
    const char *path = argc > 1 ? argv[1] : "examples/data/small_ledger.csv";
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "cannot open %s (run from the repository root)\n",
                path);
        return 1;
    }
    rows r = {0, 0, NULL, NULL, NULL, NULL};
    char line[256];
    size_t lineno = 0;
    while (fgets(line, sizeof line, f)) {
        lineno++;
        if (lineno == 1)
            continue; /* header */
        long long c;
        int y, mo, s;
        double v;
        if (sscanf(line, "%lld,%d-%d,%lf,%d", &c, &y, &mo, &v, &s) != 5) {
            fprintf(stderr, "%s:%zu: cannot parse\n", path, lineno);
            fclose(f);
            return 1;
        }
        if (push(&r, (int64_t)c, csm_month(y, mo), v, s) != 0) {
            fprintf(stderr, "out of memory\n");
            fclose(f);
            return 1;
        }
    }
    fclose(f);

    csm_error err;
    csm_ledger *l = NULL;
    if (csm_ledger_new(&l, r.cust, r.month, r.mrr, r.seg, r.n, NULL, &err) !=
        CSM_OK) {
        fprintf(stderr, "ledger: %s\n", err.text);
        return 1;
    }
    printf("Ledger: %zu rows, %zu customers\n\n", r.n,
           csm_ledger_customer_count(l));

    /* movements for the last 6 months */
    csm_movements_opts mo = CSM_MOVEMENTS_OPTS_INIT;
    mo.first_month = csm_ledger_last_month(l) - 5;
    csm_movements *m = NULL;
    if (csm_movements_compute(&m, l, &mo, &err) != CSM_OK) {
        fprintf(stderr, "movements: %s\n", err.text);
        return 1;
    }
    printf("MRR movements\n");
    printf("%-8s %10s %9s %9s %9s %9s %9s %10s %6s %7s %7s\n", "month",
           "opening", "new", "reactiv", "expans", "contr", "churn",
           "closing", "cust", "churn%", "quick");
    for (size_t i = 0; i < m->n_rows; i++) {
        char lab[16];
        month_label(lab, sizeof lab, m->month[i]);
        printf("%-8s %10.2f %9.2f %9.2f %9.2f %9.2f %9.2f %10.2f %6lld "
               "%6.1f%% %7.2f\n",
               lab, m->opening_mrr[i], m->new_mrr[i], m->reactivation_mrr[i],
               m->expansion_mrr[i], m->contraction_mrr[i], m->churn_mrr[i],
               m->closing_mrr[i], (long long)m->closing_customers[i],
               100.0 * m->customer_churn_rate[i], m->quick_ratio[i]);
    }
    csm_movements_free(m);

    /* 12-month retention at the last month */
    csm_retention_opts ro = CSM_RETENTION_OPTS_INIT;
    ro.first_month = csm_ledger_last_month(l);
    csm_retention *ret = NULL;
    if (csm_retention_compute(&ret, l, &ro, &err) != CSM_OK) {
        fprintf(stderr, "retention: %s\n", err.text);
        return 1;
    }
    for (size_t i = 0; i < ret->n_rows; i++) {
        char a[16], b[16];
        month_label(a, sizeof a, ret->start_month[i]);
        month_label(b, sizeof b, ret->end_month[i]);
        printf("\n12-month retention %s -> %s: base %lld customers, MRR "
               "%.2f\n  NRR %.1f%%  GRR %.1f%%  logo retention %.1f%%\n",
               a, b, (long long)ret->base_customers[i], ret->base_mrr[i],
               100 * ret->nrr[i], 100 * ret->grr[i],
               100 * ret->logo_retention[i]);
    }
    csm_retention_free(ret);

    /* quarterly cohort triangle of logo retention (first 8 ages) */
    csm_cohorts_opts co = CSM_COHORTS_OPTS_INIT;
    co.max_age = 11;
    csm_cohorts *c = NULL;
    if (csm_cohorts_compute(&c, l, &co, &err) != CSM_OK) {
        fprintf(stderr, "cohorts: %s\n", err.text);
        return 1;
    }
    printf("\nCohort logo retention (%% of month-0 customers)\n%-8s %4s",
           "cohort", "size");
    for (size_t a = 0; a < c->n_ages; a++)
        printf(" %5zu", a);
    printf("\n");
    for (size_t k = 0; k < c->n_cohorts; k++) {
        char lab[16];
        month_label(lab, sizeof lab, c->cohort[k]);
        printf("%-8s %4lld", lab, (long long)c->size[k]);
        for (size_t a = 0; a < c->n_ages; a++) {
            double v = c->customers_frac[k * c->n_ages + a];
            if (v != v)
                printf(" %5s", "");
            else
                printf(" %5.0f", 100 * v);
        }
        printf("\n");
    }
    csm_cohorts_free(c);
    csm_ledger_free(l);
    free(r.cust);
    free(r.month);
    free(r.mrr);
    free(r.seg);
    return 0;
}
