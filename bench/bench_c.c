/* bench_c.c - the libcsmetrics-from-C contender.
 *
 *   bench_c DATADIR OUTDIR [runs=5]
 *
 * Reads the .npy columns written by gen_ledger (before the clock starts),
 * then times `runs` runs of the whole job -- build the ledger, monthly
 * movements, 12-month GRR/NRR/logo retention for every month, customer
 * cohort matrix -- and prints one JSON line: median and all wall times,
 * peak RSS, rows.  The last run's results go to OUTDIR as CSV for the
 * cross-check (bench/compare.py). */
#include <csmetrics/csmetrics.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>

static void *load_npy(const char *dir, const char *name, size_t elem,
                      size_t *n) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s.npy", dir, name);
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        exit(1);
    }
    unsigned char pre[10];
    if (fread(pre, 1, 10, f) != 10 || memcmp(pre, "\x93NUMPY", 6) != 0) {
        fprintf(stderr, "%s: not a .npy v1 file\n", path);
        exit(1);
    }
    size_t hl = (size_t)pre[8] | ((size_t)pre[9] << 8);
    char *hdr = malloc(hl + 1);
    if (!hdr || fread(hdr, 1, hl, f) != hl) {
        fprintf(stderr, "%s: short header\n", path);
        exit(1);
    }
    hdr[hl] = '\0';
    const char *sh = strstr(hdr, "'shape': (");
    if (!sh) {
        fprintf(stderr, "%s: no shape\n", path);
        exit(1);
    }
    *n = (size_t)strtoull(sh + 10, NULL, 10);
    free(hdr);
    void *p = malloc(*n * elem + 1);
    if (!p || fread(p, elem, *n, f) != *n) {
        fprintf(stderr, "%s: short data\n", path);
        exit(1);
    }
    fclose(f);
    return p;
}

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int cmp_d(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void check(csm_status s, const csm_error *e) {
    if (s != CSM_OK) {
        fprintf(stderr, "libcsmetrics: %s\n", e->text);
        exit(1);
    }
}

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: bench_c DATADIR OUTDIR [runs]\n");
        return 2;
    }
    int runs = argc > 3 ? atoi(argv[3]) : 5;
    if (runs < 1)
        runs = 1;
    if (mkdir(argv[2], 0777) != 0 && errno != EEXIST) {
        perror(argv[2]);
        return 1;
    }
    size_t n, n2, n3;
    int64_t *cust = load_npy(argv[1], "customer_id", 8, &n);
    int32_t *per = load_npy(argv[1], "period", 4, &n2);
    double *mrr = load_npy(argv[1], "mrr", 8, &n3);
    if (n2 != n || n3 != n) {
        fprintf(stderr, "column lengths differ\n");
        return 1;
    }
    double times[64];
    if (runs > 64)
        runs = 64;
    csm_movements *m = NULL;
    csm_retention *r = NULL;
    csm_cohorts *c = NULL;
    csm_error e;
    for (int k = 0; k < runs; k++) {
        csm_movements_free(m);
        csm_retention_free(r);
        csm_cohorts_free(c);
        double t0 = now();
        csm_ledger *l = NULL;
        check(csm_ledger_new(&l, cust, per, mrr, NULL, n, NULL, &e), &e);
        check(csm_movements_compute(&m, l, NULL, &e), &e);
        check(csm_retention_compute(&r, l, NULL, &e), &e);
        check(csm_cohorts_compute(&c, l, NULL, &e), &e);
        csm_ledger_free(l);
        times[k] = now() - t0;
    }
    char path[4096];
    snprintf(path, sizeof path, "%s/movements.csv", argv[2]);
    FILE *f = fopen(path, "w");
    if (!f) {
        perror(path);
        return 1;
    }
    fprintf(f, "month,opening_mrr,new,reactivation,expansion,contraction,"
               "churn,closing_mrr,opening_customers,closing_customers,"
               "new_customers,churned_customers\n");
    for (size_t i = 0; i < m->n_rows; i++)
        fprintf(f, "%d,%.17g,%.17g,%.17g,%.17g,%.17g,%.17g,%.17g,%lld,%lld,%lld,%lld\n",
                (int)m->month[i], m->opening_mrr[i], m->new_mrr[i],
                m->reactivation_mrr[i], m->expansion_mrr[i],
                m->contraction_mrr[i], m->churn_mrr[i], m->closing_mrr[i],
                (long long)m->opening_customers[i],
                (long long)m->closing_customers[i],
                (long long)m->new_customers[i],
                (long long)m->churned_customers[i]);
    fclose(f);
    snprintf(path, sizeof path, "%s/retention.csv", argv[2]);
    f = fopen(path, "w");
    fprintf(f, "end_month,base_customers,base_mrr,grr,nrr,logo_retention\n");
    for (size_t i = 0; i < r->n_rows; i++)
        fprintf(f, "%d,%lld,%.17g,%.17g,%.17g,%.17g\n", (int)r->end_month[i],
                (long long)r->base_customers[i], r->base_mrr[i], r->grr[i],
                r->nrr[i], r->logo_retention[i]);
    fclose(f);
    snprintf(path, sizeof path, "%s/cohorts.csv", argv[2]);
    f = fopen(path, "w");
    fprintf(f, "cohort,age,customers\n");
    for (size_t k = 0; k < c->n_cohorts; k++)
        for (size_t a = 0; a < c->n_ages; a++) {
            double v = c->customers[k * c->n_ages + a];
            if (v == v)
                fprintf(f, "%d,%zu,%.0f\n", (int)c->cohort[k], a, v);
        }
    fclose(f);
    double sorted[64];
    memcpy(sorted, times, (size_t)runs * sizeof *times);
    qsort(sorted, (size_t)runs, sizeof *sorted, cmp_d);
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("{\"contender\": \"libcsmetrics (C)\", \"rows\": %zu, \"median_s\": %.6f, "
           "\"times_s\": [",
           n, sorted[runs / 2]);
    for (int k = 0; k < runs; k++)
        printf("%s%.6f", k ? ", " : "", times[k]);
    printf("], \"peak_rss_mb\": %.1f, \"input_mb\": %.1f}\n",
           (double)ru.ru_maxrss / 1024.0, (double)n * 20 / 1e6);
    csm_movements_free(m);
    csm_retention_free(r);
    csm_cohorts_free(c);
    free(cust);
    free(per);
    free(mrr);
    return 0;
}
