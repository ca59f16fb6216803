/* gen_ledger.c - write a synthetic MRR ledger of N customers x M months for
 * the benchmark contenders.
 *
 *   gen_ledger N M OUTDIR [seed]
 *
 * Realistic shape: staggered starts, monthly churn (~3%), returns of churned
 * customers (reactivation), expansion and contraction, three segments, and
 * a few duplicate rows (add-on subscriptions of the same customer and
 * month).  Rows come in month order, as billing exports do.
 *
 * Writes OUTDIR/customer_id.npy (<i8), period.npy (<i4), mrr.npy (<f8),
 * segment.npy (<i4) -- numpy's .npy v1.0 format, readable with np.load --
 * and OUTDIR/ledger.csv (customer_id,period,mrr,segment) for the SQL
 * engine.  MRR values are multiples of 0.01 printed exactly (%.2f), so the
 * CSV and the binary columns hold the same numbers. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <sys/stat.h>

static uint64_t state;
static uint64_t rnd(void) {
    uint64_t z = (state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}
static double unif(void) { return (double)(rnd() >> 11) / 9007199254740992.0; }

static FILE *npy_open(const char *dir, const char *name, const char *descr,
                      size_t n) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s.npy", dir, name);
    FILE *f = fopen(path, "wb");
    if (!f) {
        perror(path);
        exit(1);
    }
    char hdr[256];
    int len = snprintf(hdr, sizeof hdr,
                       "{'descr': '%s', 'fortran_order': False, 'shape': (%zu,), }",
                       descr, n);
    /* pad so that magic(6)+ver(2)+len(2)+header is a multiple of 64, ending in \n */
    size_t total = 10 + (size_t)len + 1;
    size_t pad = (64 - total % 64) % 64;
    uint16_t hl = (uint16_t)((size_t)len + pad + 1);
    fwrite("\x93NUMPY\x01\x00", 1, 8, f);
    fputc(hl & 0xff, f);
    fputc(hl >> 8, f);
    fwrite(hdr, 1, (size_t)len, f);
    for (size_t i = 0; i < pad; i++)
        fputc(' ', f);
    fputc('\n', f);
    return f;
}

int main(int argc, char **argv) {
    if (argc < 4) {
        fprintf(stderr, "usage: gen_ledger N M OUTDIR [seed]\n");
        return 2;
    }
    size_t nc = (size_t)strtoull(argv[1], NULL, 10);
    int nm = atoi(argv[2]);
    const char *dir = argv[3];
    uint64_t seed = argc > 4 ? strtoull(argv[4], NULL, 10) : 42;
    if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
        perror(dir);
        return 1;
    }
    /* pass 1 counts rows, pass 2 writes them (same seed) */
    size_t n = 0;
    for (int pass = 0; pass < 2; pass++) {
        FILE *fc = NULL, *fp = NULL, *fm = NULL, *fs = NULL, *csv = NULL;
        if (pass == 1) {
            fc = npy_open(dir, "customer_id", "<i8", n);
            fp = npy_open(dir, "period", "<i4", n);
            fm = npy_open(dir, "mrr", "<f8", n);
            fs = npy_open(dir, "segment", "<i4", n);
            char path[4096];
            snprintf(path, sizeof path, "%s/ledger.csv", dir);
            csv = fopen(path, "w");
            if (!csv) {
                perror(path);
                return 1;
            }
            fputs("customer_id,period,mrr,segment\n", csv);
        }
        /* per-customer state, advanced month by month so rows come out in
         * month order */
        state = seed;
        int *start = malloc(nc * sizeof *start);
        int *active = malloc(nc * sizeof *active);
        int64_t *cents = malloc(nc * sizeof *cents);
        int32_t *seg = malloc(nc * sizeof *seg);
        uint64_t *rs = malloc(nc * sizeof *rs);
        if (!start || !active || !cents || !seg || !rs) {
            fprintf(stderr, "out of memory\n");
            return 1;
        }
        for (size_t c = 0; c < nc; c++) {
            start[c] = (int)(rnd() % (uint64_t)nm);
            active[c] = 0;
            cents[c] = 100 * (int64_t)(29 + rnd() % 500);
            seg[c] = (int32_t)(rnd() % 3);
            rs[c] = rnd();
        }
        size_t count = 0;
        for (int t = 0; t < nm; t++) {
            for (size_t c = 0; c < nc; c++) {
                if (t < start[c])
                    continue;
                state = rs[c];
                if (t == start[c]) {
                    active[c] = 1;
                } else {
                    double u = unif();
                    if (active[c] && u < 0.03)
                        active[c] = 0;
                    else if (!active[c] && u < 0.04)
                        active[c] = 1;
                    double w = unif();
                    if (w < 0.04)
                        cents[c] += cents[c] / 5;
                    else if (w < 0.06)
                        cents[c] -= cents[c] / 6;
                }
                int dup = unif() < 0.01;
                rs[c] = state;
                if (!active[c])
                    continue;
                int64_t id = (int64_t)(1000003 + c * 7);
                int32_t per = 24264 + t; /* 2022-01 + t */
                for (int k = 0; k <= dup; k++) {
                    int64_t v = k ? 990 : cents[c]; /* add-on of 9.90 */
                    count++;
                    if (pass == 1) {
                        double d = (double)v / 100.0;
                        fwrite(&id, sizeof id, 1, fc);
                        fwrite(&per, sizeof per, 1, fp);
                        fwrite(&d, sizeof d, 1, fm);
                        fwrite(&seg[c], sizeof seg[c], 1, fs);
                        fprintf(csv, "%" PRId64 ",%d,%" PRId64 ".%02d,%d\n", id,
                                (int)per, v / 100, (int)(v % 100), (int)seg[c]);
                    }
                }
            }
        }
        free(start);
        free(active);
        free(cents);
        free(seg);
        free(rs);
        if (pass == 0) {
            n = count;
        } else {
            fclose(fc);
            fclose(fp);
            fclose(fm);
            fclose(fs);
            fclose(csv);
        }
    }
    printf("%zu rows (%zu customers x %d months) -> %s\n", n, nc, nm, dir);
    return 0;
}
