/* gen_ledger.c - write a synthetic MRR ledger of N customers x M months for
 * the benchmark contenders.
 *
 *   gen_ledger N M OUTDIR [seed [CHUNK]]
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
 * CSV and the binary columns hold the same numbers.
 *
 * With CHUNK > 0 (out of core, bench/bench_large.py): the customers are
 * written CHUNK at a time, customers [k*CHUNK, (k+1)*CHUNK) to
 * OUTDIR/chunk-KKKKK/{customer_id,period,mrr}.npy (no segment column, no
 * CSV), each chunk's rows in month order.  Every customer's rows are the
 * ones the single-directory mode writes for it (the random stream of
 * customer c starts at its own offset, seed + 4c draws), so the chunks
 * together hold exactly that ledger, each chunk whole customers.  Memory:
 * one chunk's rows. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <sys/stat.h>

#define GOLDEN 0x9E3779B97F4A7C15ull

static uint64_t state;
static uint64_t rnd(void) {
    uint64_t z = (state += GOLDEN);
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

static void *xmalloc(size_t n) {
    void *p = malloc(n ? n : 1);
    if (!p) {
        fprintf(stderr, "gen_ledger: out of memory\n");
        exit(1);
    }
    return p;
}

static void check_close(FILE *f, const char *what) {
    if (ferror(f) | fclose(f)) {
        perror(what);
        exit(1);
    }
}

/* Where generate() puts a row: MRR in cents. */
typedef void emit_fn(void *ctx, int64_t id, int32_t per, int64_t cents, int32_t seg);

/* The rows of customers [c0, c1) over nm months, in month order. */
static void generate(size_t c0, size_t c1, int nm, uint64_t seed, emit_fn *emit, void *ctx) {
    size_t nc = c1 - c0;
    int *start = xmalloc(nc * sizeof *start);
    int *active = xmalloc(nc * sizeof *active);
    int64_t *cents = xmalloc(nc * sizeof *cents);
    int32_t *seg = xmalloc(nc * sizeof *seg);
    uint64_t *rs = xmalloc(nc * sizeof *rs);
    /* customer c's four draws are the stream's draws 4c+1..4c+4 */
    state = seed + (uint64_t)c0 * 4u * GOLDEN;
    for (size_t c = 0; c < nc; c++) {
        start[c] = (int)(rnd() % (uint64_t)nm);
        active[c] = 0;
        cents[c] = 100 * (int64_t)(29 + rnd() % 500);
        seg[c] = (int32_t)(rnd() % 3);
        rs[c] = rnd();
    }
    /* per-customer state, advanced month by month so rows come out in
     * month order */
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
            int64_t id = (int64_t)(1000003 + (c0 + c) * 7);
            int32_t per = 24264 + t; /* 2022-01 + t */
            for (int k = 0; k <= dup; k++)
                emit(ctx, id, per, k ? 990 : cents[c], seg[c]); /* add-on of 9.90 */
        }
    }
    free(start);
    free(active);
    free(cents);
    free(seg);
    free(rs);
}

static void count_row(void *ctx, int64_t id, int32_t per, int64_t cents, int32_t seg) {
    (void)id, (void)per, (void)cents, (void)seg;
    ++*(size_t *)ctx;
}

typedef struct {
    FILE *fc, *fp, *fm, *fs, *csv;
} files;

static void write_row(void *ctx, int64_t id, int32_t per, int64_t v, int32_t seg) {
    files *f = ctx;
    double d = (double)v / 100.0;
    fwrite(&id, sizeof id, 1, f->fc);
    fwrite(&per, sizeof per, 1, f->fp);
    fwrite(&d, sizeof d, 1, f->fm);
    fwrite(&seg, sizeof seg, 1, f->fs);
    fprintf(f->csv, "%" PRId64 ",%d,%" PRId64 ".%02d,%d\n", id, (int)per, v / 100,
            (int)(v % 100), (int)seg);
}

typedef struct {
    int64_t *id;
    int32_t *per;
    double *mrr;
    size_t n, cap;
} columns;

static void buffer_row(void *ctx, int64_t id, int32_t per, int64_t v, int32_t seg) {
    columns *b = ctx;
    (void)seg;
    if (b->n == b->cap) {
        b->cap = b->cap ? 2 * b->cap : 1 << 20;
        b->id = realloc(b->id, b->cap * sizeof *b->id);
        b->per = realloc(b->per, b->cap * sizeof *b->per);
        b->mrr = realloc(b->mrr, b->cap * sizeof *b->mrr);
        if (!b->id || !b->per || !b->mrr) {
            fprintf(stderr, "gen_ledger: out of memory\n");
            exit(1);
        }
    }
    b->id[b->n] = id;
    b->per[b->n] = per;
    b->mrr[b->n] = (double)v / 100.0;
    b->n++;
}

static void write_column(const char *dir, const char *name, const char *descr,
                         const void *data, size_t size, size_t n) {
    FILE *f = npy_open(dir, name, descr, n);
    if (fwrite(data, size, n, f) != n) {
        perror(name);
        exit(1);
    }
    check_close(f, name);
}

static int write_chunks(size_t nc, int nm, const char *dir, uint64_t seed, size_t chunk) {
    columns b = {0};
    size_t total = 0, k = 0;
    for (size_t c0 = 0; c0 < nc; c0 += chunk, k++) {
        size_t c1 = nc - c0 < chunk ? nc : c0 + chunk;
        char sub[4096];
        snprintf(sub, sizeof sub, "%s/chunk-%05zu", dir, k);
        if (mkdir(sub, 0777) != 0 && errno != EEXIST) {
            perror(sub);
            return 1;
        }
        b.n = 0;
        generate(c0, c1, nm, seed, buffer_row, &b);
        write_column(sub, "customer_id", "<i8", b.id, sizeof *b.id, b.n);
        write_column(sub, "period", "<i4", b.per, sizeof *b.per, b.n);
        write_column(sub, "mrr", "<f8", b.mrr, sizeof *b.mrr, b.n);
        total += b.n;
    }
    free(b.id);
    free(b.per);
    free(b.mrr);
    printf("%zu rows (%zu customers x %d months) -> %s, %zu chunks of %zu customers\n", total,
           nc, nm, dir, k, chunk);
    return 0;
}

int main(int argc, char **argv) {
    if (argc < 4) {
        fprintf(stderr, "usage: gen_ledger N M OUTDIR [seed [CHUNK]]\n");
        return 2;
    }
    size_t nc = (size_t)strtoull(argv[1], NULL, 10);
    int nm = atoi(argv[2]);
    const char *dir = argv[3];
    uint64_t seed = argc > 4 ? strtoull(argv[4], NULL, 10) : 42;
    size_t chunk = argc > 5 ? (size_t)strtoull(argv[5], NULL, 10) : 0;
    if (nm < 1) {
        fprintf(stderr, "gen_ledger: M must be at least 1\n");
        return 2;
    }
    if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
        perror(dir);
        return 1;
    }
    if (chunk > 0)
        return write_chunks(nc, nm, dir, seed, chunk);
    /* pass 1 counts rows (the .npy headers hold the count), pass 2 writes them */
    size_t n = 0;
    generate(0, nc, nm, seed, count_row, &n);
    files f;
    f.fc = npy_open(dir, "customer_id", "<i8", n);
    f.fp = npy_open(dir, "period", "<i4", n);
    f.fm = npy_open(dir, "mrr", "<f8", n);
    f.fs = npy_open(dir, "segment", "<i4", n);
    char path[4096];
    snprintf(path, sizeof path, "%s/ledger.csv", dir);
    f.csv = fopen(path, "w");
    if (!f.csv) {
        perror(path);
        return 1;
    }
    fputs("customer_id,period,mrr,segment\n", f.csv);
    generate(0, nc, nm, seed, write_row, &f);
    check_close(f.fc, "customer_id.npy");
    check_close(f.fp, "period.npy");
    check_close(f.fm, "mrr.npy");
    check_close(f.fs, "segment.npy");
    check_close(f.csv, path);
    printf("%zu rows (%zu customers x %d months) -> %s\n", n, nc, nm, dir);
    return 0;
}
