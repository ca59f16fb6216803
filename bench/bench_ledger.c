/* bench_ledger.c - time the ledger build and each computation on a
 * synthetic ledger of N customers x M months.
 *
 *   bench_ledger [customers=100000] [months=36] [seed=1] [reps=1]
 *
 * Prints one line per stage: wall seconds, rows/s; each computation is
 * run reps times (at most 64) and reported as its best and median time,
 * with the bytes a streaming pass reads per second at the best (to set
 * beside bench/membw's read bandwidth).  The generator is the
 * hook the benchmark issue builds on (staggered starts, churn, expansion,
 * contraction, reactivation, three segments). */
#include <csmetrics/csmetrics.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static uint64_t state;
static uint64_t rnd(void) {
    uint64_t z = (state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}
static double unif(void) { return (double)(rnd() >> 11) / 9007199254740992.0; }
static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}
static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

int main(int argc, char **argv) {
    size_t nc = argc > 1 ? (size_t)strtoull(argv[1], NULL, 10) : 100000;
    int nm = argc > 2 ? atoi(argv[2]) : 36;
    state = argc > 3 ? strtoull(argv[3], NULL, 10) : 1;
    int reps = argc > 4 ? atoi(argv[4]) : 1;
    if (reps < 1 || reps > 64)
        reps = 1;
    size_t cap = nc * (size_t)nm;
    int64_t *cust = malloc(cap * sizeof *cust);
    int32_t *per = malloc(cap * sizeof *per);
    double *mrr = malloc(cap * sizeof *mrr);
    int32_t *seg = malloc(cap * sizeof *seg);
    if (!cust || !per || !mrr || !seg) {
        fprintf(stderr, "out of memory for %zu rows\n", cap);
        return 1;
    }
    size_t n = 0;
    int32_t m0 = csm_month(2022, 1);
    for (size_t c = 0; c < nc; c++) {
        int start = (int)(rnd() % (uint64_t)nm);
        double level = 50.0 * (double)(1 + rnd() % 20);
        int32_t s = (int32_t)(rnd() % 3);
        int active = 1;
        for (int t = start; t < nm; t++) {
            double u = unif();
            if (active && u < 0.03)
                active = 0;
            else if (!active && u < 0.05)
                active = 1;
            if (!active)
                continue;
            double w = unif();
            if (w < 0.04)
                level *= 1.2;
            else if (w < 0.06)
                level *= 0.85;
            cust[n] = (int64_t)(c * 2654435761u % 4294967291u);
            per[n] = m0 + t;
            mrr[n] = level;
            seg[n] = s;
            n++;
        }
    }
    /* rows arrive in month order, as exports usually do */
    printf("rows: %zu (%zu customers x %d months), input %.1f MB\n", n, nc,
           nm, (double)n * 24 / 1e6);
    csm_error err;
    double t0 = now();
    csm_ledger *l = NULL;
    if (csm_ledger_new(&l, cust, per, mrr, seg, n, NULL, &err) != CSM_OK) {
        fprintf(stderr, "%s\n", err.text);
        return 1;
    }
    double t1 = now();
    printf("%-22s %8.3f s %12.0f rows/s\n", "ledger build", t1 - t0,
           (double)n / (t1 - t0));
    /* What a streaming pass reads: per entry its month (4 bytes), MRR (8)
     * and segment index (4), per customer its entry offset (8). */
    size_t n_ent = csm_ledger_entry_count(l);
    size_t n_cust = csm_ledger_customer_count(l);
    double bytes = 16.0 * (double)n_ent + 8.0 * (double)n_cust;
    printf("ledger: %zu entries, %zu customers; a pass reads %.1f MB; "
           "each pass run %d times: best (median)\n",
           n_ent, n_cust, bytes / 1e6, reps);
    csm_movements *mv = NULL, *ms = NULL;
    csm_retention *r = NULL;
    csm_cohorts *co = NULL;
    csm_movements_opts so = CSM_MOVEMENTS_OPTS_INIT;
    so.by_segment = 1;
    double ts[64];
    for (int stage = 0; stage < 4; stage++) {
        static const char *const names[] = {"movements", "movements by segment",
                                            "retention (12m)", "cohorts"};
        for (int k = 0; k < reps; k++) {
            csm_movements_free(mv);
            csm_movements_free(ms);
            csm_retention_free(r);
            csm_cohorts_free(co);
            mv = ms = NULL;
            r = NULL;
            co = NULL;
            csm_status st = CSM_OK;
            t0 = now();
            switch (stage) {
            case 0: st = csm_movements_compute(&mv, l, NULL, &err); break;
            case 1: st = csm_movements_compute(&ms, l, &so, &err); break;
            case 2: st = csm_retention_compute(&r, l, NULL, &err); break;
            default: st = csm_cohorts_compute(&co, l, NULL, &err);
            }
            ts[k] = now() - t0;
            if (st != CSM_OK)
                return 1;
        }
        qsort(ts, (size_t)reps, sizeof *ts, cmp_double);
        printf("%-22s %8.4f s (%.4f) %12.0f rows/s %6.2f GB/s\n", names[stage],
               ts[0], ts[reps / 2], (double)n / ts[0], bytes / ts[0] / 1e9);
    }
    /* the last run of each stage is kept for the check line */
    if (csm_movements_compute(&mv, l, NULL, &err) != CSM_OK ||
        csm_retention_compute(&r, l, NULL, &err) != CSM_OK)
        return 1;
    printf("check: last-month MRR %.2f, NRR %.4f\n",
           mv->n_rows ? mv->closing_mrr[mv->n_rows - 1] : 0.0,
           r->n_rows ? r->nrr[r->n_rows - 1] : 0.0);
    csm_cohorts_free(co);
    csm_retention_free(r);
    csm_movements_free(ms);
    csm_movements_free(mv);
    csm_ledger_free(l);
    free(cust);
    free(per);
    free(mrr);
    free(seg);
    return 0;
}
