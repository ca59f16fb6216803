/* fuzz_partial.c - libFuzzer harness: partial states (csmetrics/partial.h)
 * from bytes, and computed by partition.  The first byte picks the mode:
 *
 * even: the rest is a serialized state (the seeds in corpus/partial are
 *   real states of each family).  csm_partial_deserialize either refuses
 *   it with an error naming a field, or gives a state that serializes
 *   back to the same bytes; the family's finalize (dispatched on
 *   csm_partial_kind_of) gives a result whose columns all have n_rows
 *   values, or an error; merged with an empty state of its options (its
 *   header with no months) it is unchanged, either way round; merged with
 *   itself (a second copy) and with a copy one month later it still
 *   finalizes or fails cleanly (CSM_ERANGE past the count bound).
 * odd: the rest is a small ledger (as fuzz_ledger.c builds one) split
 *   into two customer partitions (csm_ledger_new_partition); the
 *   movements, retention, cohorts and lifetimes states of the parts,
 *   through bytes, merged and finalized give the one-shot tables: counts,
 *   months and codes exactly, money and rates to 1e-9 relative
 *   (fuzz_close). */
#include "fuzz.h"

#define MAX_ROWS 256

/* A finalized table and its free. */
typedef struct {
    csm_result *r;
    void *obj;
    int kind, variant;
} final;

static void final_free(final *f) {
    switch (f->kind) {
    case CSM_PARTIAL_MOVEMENTS: csm_movements_free(f->obj); break;
    case CSM_PARTIAL_RETENTION: csm_retention_free(f->obj); break;
    case CSM_PARTIAL_COHORTS: csm_cohorts_free(f->obj); break;
    case CSM_PARTIAL_NPS: csm_nps_results_free(f->obj); break;
    case CSM_PARTIAL_CSAT: csm_csat_results_free(f->obj); break;
    case CSM_PARTIAL_CES: csm_ces_results_free(f->obj); break;
    case CSM_PARTIAL_LIFETIMES: csm_km_free(f->obj); break;
    case CSM_PARTIAL_ACTIVITY: csm_activity_free(f->obj); break;
    default: break;
    }
    f->obj = NULL;
    f->r = NULL;
}

#define FINALIZE(TYPE, FN)                                                     \
    do {                                                                       \
        TYPE *x = NULL;                                                        \
        st = FN;                                                               \
        f->obj = x;                                                            \
        f->r = x ? x->result : NULL;                                           \
        FUZZ_CHECK(st == CSM_OK || x == NULL, "a failed finalize left %p",    \
                   (void *)x);                                                 \
    } while (0)

/* Finalize p with its family's function (lifetimes: variant 1 by segment);
 * check the result's columns, or the error. */
static csm_status finalize(final *f, const csm_partial *p, int variant) {
    csm_error err;
    csm_status st = CSM_EINVAL;
    f->kind = csm_partial_kind_of(p);
    f->variant = variant;
    f->obj = NULL;
    f->r = NULL;
    switch (f->kind) {
    case CSM_PARTIAL_MOVEMENTS:
        FINALIZE(csm_movements, csm_movements_partial_finalize(&x, p, &err));
        break;
    case CSM_PARTIAL_RETENTION:
        FINALIZE(csm_retention, csm_retention_partial_finalize(&x, p, &err));
        break;
    case CSM_PARTIAL_COHORTS:
        FINALIZE(csm_cohorts, csm_cohorts_partial_finalize(&x, p, &err));
        break;
    case CSM_PARTIAL_NPS:
        FINALIZE(csm_nps_results, csm_nps_partial_finalize(&x, p, &err));
        break;
    case CSM_PARTIAL_CSAT:
        FINALIZE(csm_csat_results, csm_csat_partial_finalize(&x, p, &err));
        break;
    case CSM_PARTIAL_CES:
        FINALIZE(csm_ces_results, csm_ces_partial_finalize(&x, p, &err));
        break;
    case CSM_PARTIAL_LIFETIMES:
        FINALIZE(csm_km, csm_lifetimes_partial_km(&x, p, variant, NULL, &err));
        break;
    case CSM_PARTIAL_ACTIVITY:
        FINALIZE(csm_activity, csm_activity_partial_finalize(&x, p, &err));
        break;
    default:
        FUZZ_CHECK(0, "a state of kind %d", f->kind);
    }
    FUZZ_CHECK_ERR(st, err);
    if (st == CSM_OK)
        fuzz_check_result(f->r);
    return st;
}

/* The bytes of p (malloc'd; *n their length). */
static unsigned char *bytes_of(const csm_partial *p, size_t *n) {
    *n = csm_partial_serialized_size(p);
    unsigned char *b = malloc(*n ? *n : 1);
    size_t w = 0;
    csm_error err;
    csm_status st = csm_partial_serialize(b, *n, &w, p, &err);
    FUZZ_CHECK(st == CSM_OK && w == *n, "serialize: %d (%s), %zu of %zu",
               (int)st, err.text, w, *n);
    return b;
}

/* Two doubles the same value (NaN with NaN; 0 with -0). */
static int same_f64(double a, double b) {
    return a == b || (isnan(a) && isnan(b));
}

/* The header's offset of n_months, and of the body (format version 3). */
#define OFF_N_MONTHS 96
#define OFF_LO 88
#define OFF_DATA 80
#define HEADER 136

/* a and b (bytes of states) hold the same state: the same header, keys
 * and counts; the sums the same values (a sum and its error term, added). */
static void same_state(const unsigned char *a, size_t na,
                       const unsigned char *b, size_t nb, const char *what) {
    FUZZ_CHECK(na == nb, "%s: %zu bytes, not %zu", what, nb, na);
    FUZZ_CHECK(memcmp(a, b, HEADER) == 0, "%s: another header", what);
    uint64_t hv[5];
    int32_t keyed;
    memcpy(hv, a + OFF_N_MONTHS, sizeof hv);
    memcpy(&keyed, a + 12, sizeof keyed);
    size_t off = HEADER + (keyed ? (size_t)hv[1] * 8 : 0);
    FUZZ_CHECK(memcmp(a + HEADER, b + HEADER, off - HEADER) == 0,
               "%s: other keys", what);
    size_t nsum = (size_t)(hv[0] * hv[1] * hv[2] * hv[3]);
    for (size_t i = 0; i < nsum; i++, off += 16) {
        double x[2], y[2];
        memcpy(x, a + off, 16);
        memcpy(y, b + off, 16);
        FUZZ_CHECK(same_f64(x[0] + x[1], y[0] + y[1]),
                   "%s: sum %zu %.17g + %.17g, not %.17g + %.17g", what, i,
                   y[0], y[1], x[0], x[1]);
    }
    FUZZ_CHECK(memcmp(a + off, b + off, na - off) == 0, "%s: other counts",
               what);
}

static csm_partial *from_bytes(const unsigned char *b, size_t n) {
    csm_partial *p = NULL;
    csm_error err;
    csm_status st = csm_partial_deserialize(&p, b, n, NULL, &err);
    int32_t h[4];
    int64_t pa[8];
    memcpy(h, b + 8, sizeof h[0] * 2);
    memcpy(pa, b + 16, sizeof pa);
    memcpy(h + 2, b + 80, sizeof h[0] * 2);
    FUZZ_CHECK(st == CSM_OK,
               "bytes of a state refused: %s (kind %d, params %lld %lld %lld "
               "%lld %lld %lld %lld, data %d..%d, lo %d, %llu months)",
               err.text, h[0], (long long)pa[0], (long long)pa[1],
               (long long)pa[2], (long long)pa[3], (long long)pa[4],
               (long long)pa[5], (long long)pa[6], h[2], h[3],
               *(const int32_t *)(const void *)(b + OFF_LO),
               (unsigned long long)*(const uint64_t *)(const void *)(b + OFF_N_MONTHS));
    return p;
}

/* A merge: OK, or an error that says why (ERANGE: the count bound). */
static csm_status merge(csm_partial *into, const csm_partial *from) {
    csm_error err;
    csm_status st = csm_partial_merge(into, from, &err);
    FUZZ_CHECK_ERR(st, err);
    FUZZ_CHECK(st == CSM_OK || st == CSM_ERANGE || st == CSM_ENOMEM,
               "merge of states of one family and options: %s", err.text);
    return st;
}

static void finalize_all(const csm_partial *p) {
    final f;
    for (int v = 0; v < (csm_partial_kind_of(p) == CSM_PARTIAL_LIFETIMES ? 2 : 1);
         v++) {
        finalize(&f, p, v);
        final_free(&f);
    }
}

static void bytes_mode(const uint8_t *data, size_t size) {
    csm_partial *p = NULL;
    csm_error err;
    csm_status st = csm_partial_deserialize(&p, data, size, NULL, &err);
    FUZZ_CHECK_ERR(st, err);
    if (st != CSM_OK) {
        FUZZ_CHECK(p == NULL, "a refused state was returned");
        FUZZ_CHECK(st == CSM_EINVAL || st == CSM_ERANGE || st == CSM_ENOMEM,
                   "status %d", (int)st);
        FUZZ_CHECK(err.field != NULL, "an error naming no field: %s",
                   err.text);
        return;
    }
    /* the round trip gives the same bytes */
    size_t n = 0;
    unsigned char *b = bytes_of(p, &n);
    FUZZ_CHECK(n == size && memcmp(b, data, n) == 0,
               "bytes -> state -> %zu bytes, not the %zu read", n, size);
    finalize_all(p);
    /* an empty state of the same options: the header with no months and
     * no data months, the keys */
    int32_t keyed;
    uint64_t nk;
    memcpy(&keyed, b + 12, sizeof keyed);
    memcpy(&nk, b + OFF_N_MONTHS + 8, sizeof nk);
    size_t ne = HEADER + (keyed ? (size_t)nk * 8 : 0);
    unsigned char *eb = malloc(ne);
    memcpy(eb, b, ne);
    memset(eb + OFF_N_MONTHS, 0, 8);
    const int32_t none[2] = {CSM_MONTH_NONE, CSM_MONTH_NONE};
    memcpy(eb + OFF_DATA, none, sizeof none); /* no data months either */
    csm_partial *e = from_bytes(eb, ne);
    csm_partial *q = from_bytes(b, n);
    size_t m = 0;
    unsigned char *mb;
    /* state + empty: unchanged bytes; empty + state: the same state */
    FUZZ_CHECK(merge(q, e) == CSM_OK, "merging an empty state failed");
    mb = bytes_of(q, &m);
    FUZZ_CHECK(m == n && memcmp(mb, b, n) == 0, "state + empty changed it");
    free(mb);
    FUZZ_CHECK(merge(e, q) == CSM_OK, "merging into an empty state failed");
    mb = bytes_of(e, &m);
    same_state(b, n, mb, m, "empty + state");
    free(mb);
    /* with itself (a copy), then with a copy a month later */
    if (merge(q, p) == CSM_OK)
        finalize_all(q);
    int32_t lo;
    memcpy(&lo, b + OFF_LO, sizeof lo);
    if (lo < INT32_MAX) {
        lo++;
        memcpy(b + OFF_LO, &lo, sizeof lo);
        csm_partial *s = NULL;
        if (csm_partial_deserialize(&s, b, n, NULL, &err) == CSM_OK &&
            merge(e, s) == CSM_OK)
            finalize_all(e);
        csm_partial_free(s);
    }
    csm_partial_free(e);
    csm_partial_free(q);
    free(eb);
    free(b);
    csm_partial_free(p);
}

/* ---- the ledger mode ----------------------------------------------------- */

/* x and y, the one-shot and the merged tables, are the same: counts and
 * the other exact columns equal, money and rates to 1e-9 relative of the
 * ledger's absolute MRR (scale) or of the values. */
static void same_result(const csm_result *x, const csm_result *y, double scale,
                        const char *what) {
    FUZZ_CHECK(csm_result_n_tables(x) == csm_result_n_tables(y), "%s tables",
               what);
    for (size_t t = 0; t < csm_result_n_tables(x); t++) {
        const csm_table *a = csm_result_table(x, t), *b = csm_result_table(y, t);
        FUZZ_CHECK(a->n_rows == b->n_rows && a->n_columns == b->n_columns,
                   "%s.%s: %zu rows one-shot, %zu merged", what, a->name,
                   a->n_rows, b->n_rows);
        for (size_t c = 0; c < a->n_columns; c++) {
            const csm_column *ca = &a->columns[c], *cb = &b->columns[c];
            if (ca->storage == CSM_STORAGE_STR)
                continue;
            for (size_t i = 0; i < a->n_rows; i++) {
                double u = csm_column_double(ca, i), w = csm_column_double(cb, i);
                int ok;
                if (same_f64(u, w))
                    ok = 1; /* (inf with inf too) */
                else if (ca->type == CSM_TYPE_MONEY)
                    ok = fuzz_close(u, w, scale);
                else if (ca->type == CSM_TYPE_FRACTION ||
                         ca->type == CSM_TYPE_NUMBER)
                    ok = fuzz_close(u, w, 0);
                else
                    ok = same_f64(u, w);
                FUZZ_CHECK(ok, "%s.%s.%s row %zu: one-shot %.17g, merged %.17g",
                           what, a->name, ca->name, i, u, w);
            }
        }
    }
}

/* The state of kind k (opts o) of ledger l, or NULL with an error. */
static csm_partial *compute(int k, const csm_ledger *l, const void *o,
                            csm_status *st) {
    csm_partial *p = NULL;
    csm_error err;
    switch (k) {
    case CSM_PARTIAL_MOVEMENTS:
        *st = csm_movements_partial_compute(&p, l, o, &err);
        break;
    case CSM_PARTIAL_RETENTION:
        *st = csm_retention_partial_compute(&p, l, o, &err);
        break;
    case CSM_PARTIAL_COHORTS:
        *st = csm_cohorts_partial_compute(&p, l, o, &err);
        break;
    default:
        *st = csm_lifetimes_partial_compute(&p, l, o, &err);
        break;
    }
    FUZZ_CHECK_ERR(*st, err);
    return p;
}

/* The one-shot table of kind k (lifetimes: KM of csm_lifetimes_from_ledger,
 * by segment with variant 1). */
static csm_status one_shot(final *f, int k, const csm_ledger *l, const void *o,
                           int variant) {
    csm_error err;
    csm_status st;
    f->kind = k;
    f->variant = variant;
    switch (k) {
    case CSM_PARTIAL_MOVEMENTS:
        FINALIZE(csm_movements, csm_movements_compute(&x, l, o, &err));
        break;
    case CSM_PARTIAL_RETENTION:
        FINALIZE(csm_retention, csm_retention_compute(&x, l, o, &err));
        break;
    case CSM_PARTIAL_COHORTS:
        FINALIZE(csm_cohorts, csm_cohorts_compute(&x, l, o, &err));
        break;
    default: {
        csm_lifetimes *lt = NULL;
        f->kind = CSM_PARTIAL_LIFETIMES;
        st = csm_lifetimes_from_ledger(&lt, l, o, &err);
        FUZZ_CHECK_ERR(st, err);
        if (st != CSM_OK)
            return st;
        FINALIZE(csm_km, csm_km_compute(&x, lt->duration, lt->event, NULL,
                                        variant ? lt->segment : NULL,
                                        lt->n_rows, NULL, &err));
        csm_lifetimes_free(lt);
        break;
    }
    }
    FUZZ_CHECK_ERR(st, err);
    return st;
}

static void ledger_mode(fuzz_in *in) {
    uint8_t mode = fuzz_u8(in);
    const int with_segments = mode & 1;
    csm_movements_opts mo = CSM_MOVEMENTS_OPTS_INIT;
    mo.by_segment = with_segments && ((mode >> 1) & 1);
    mo.count_intra_period = (mode >> 2) & 1;
    mo.reactivation_window = (int32_t)(fuzz_u8(in) % 8) - 1;
    if ((mode >> 3) & 1) {
        mo.first_month = fuzz_i32_near(in, 24280, 24);
        mo.last_month = fuzz_i32_near(in, 24284, 24);
    }
    csm_retention_opts ro = CSM_RETENTION_OPTS_INIT;
    ro.window = (int32_t)(fuzz_u8(in) % 14);
    ro.nrr_mode = fuzz_u8(in) % 3;
    ro.by_segment = with_segments && ((mode >> 4) & 1);
    csm_cohorts_opts co = CSM_COHORTS_OPTS_INIT;
    co.by_segment = with_segments && ((mode >> 5) & 1);
    co.baseline = (mode >> 6) & 1;
    co.max_age = (int32_t)(fuzz_u8(in) % 7);
    csm_lifetimes_opts lo = CSM_LIFETIMES_OPTS_INIT;
    if (mode >> 7)
        lo.as_of = fuzz_i32_near(in, 24280, 24);

    size_t n = in->n / 3;
    if (n > MAX_ROWS)
        n = MAX_ROWS;
    int64_t *cust = calloc(n + 1, sizeof *cust);
    int32_t *month = calloc(n + 1, sizeof *month);
    double *mrr = calloc(n + 1, sizeof *mrr);
    int32_t *seg = calloc(n + 1, sizeof *seg);
    double scale = 0;
    for (size_t i = 0; i < n; i++) {
        cust[i] = fuzz_u8(in) % 16;
        month[i] = 24280 + (int32_t)(fuzz_u8(in) % 24);
        mrr[i] = fuzz_f64(in);
        seg[i] = with_segments ? (int32_t)(fuzz_u8(in) % 3) : 0;
        if (isfinite(mrr[i]))
            scale += fabs(mrr[i]);
    }
    csm_ledger *all = NULL, *part[2] = {NULL, NULL};
    csm_error err;
    csm_status st = csm_ledger_new(&all, cust, month, mrr,
                                   with_segments ? seg : NULL, n, NULL, &err);
    FUZZ_CHECK_ERR(st, err);
    for (uint32_t k = 0; st == CSM_OK && k < 2; k++) {
        st = csm_ledger_new_partition(&part[k], cust, month, mrr,
                                      with_segments ? seg : NULL, n, k, 2,
                                      NULL, &err);
        FUZZ_CHECK(st == CSM_OK, "partition %u failed where the ledger did not:"
                   " %s", k, err.text);
    }
    if (st != CSM_OK)
        goto done;
    const void *opts[] = {&mo, &ro, &co, &lo};
    const int kinds[] = {CSM_PARTIAL_MOVEMENTS, CSM_PARTIAL_RETENTION,
                         CSM_PARTIAL_COHORTS, CSM_PARTIAL_LIFETIMES};
    for (int f = 0; f < 4; f++) {
        csm_status s0, s1;
        csm_partial *p0 = compute(kinds[f], part[0], opts[f], &s0);
        csm_partial *p1 = compute(kinds[f], part[1], opts[f], &s1);
        FUZZ_CHECK(s0 == s1 || s0 != CSM_OK || s1 != CSM_OK, "parts differ");
        if (s0 == CSM_OK && s1 == CSM_OK) {
            /* through bytes, merged in the order 1 + 0 */
            size_t n0, n1;
            unsigned char *b0 = bytes_of(p0, &n0), *b1 = bytes_of(p1, &n1);
            csm_partial *q0 = from_bytes(b0, n0), *q1 = from_bytes(b1, n1);
            FUZZ_CHECK(merge(q1, q0) == CSM_OK, "merging the parts failed");
            for (int v = 0; v < (f == 3 ? 2 : 1); v++) {
                final whole, merged;
                csm_status sw = one_shot(&whole, kinds[f], all, opts[f], v);
                csm_status sm = finalize(&merged, q1, v);
                FUZZ_CHECK(sw == sm, "family %d: one-shot %d, merged %d",
                           kinds[f], (int)sw, (int)sm);
                if (sw == CSM_OK)
                    same_result(whole.r, merged.r, scale,
                                csm_result_kind(whole.r));
                final_free(&whole);
                final_free(&merged);
            }
            csm_partial_free(q0);
            csm_partial_free(q1);
            free(b0);
            free(b1);
        }
        csm_partial_free(p0);
        csm_partial_free(p1);
    }
done:
    csm_ledger_free(all);
    csm_ledger_free(part[0]);
    csm_ledger_free(part[1]);
    free(cust);
    free(month);
    free(mrr);
    free(seg);
}

/* ---- the seeds ----------------------------------------------------------- */
/* With CSM_FUZZ_PARTIAL_SEEDS=DIR in the environment, the harness writes
 * its seeds to DIR before fuzzing (tests/fuzz/corpus/partial holds them):
 * a 0 byte then a real state's bytes, of each family (by segment or by
 * group and not); and two ledger-mode inputs. */
static void write_seed(const char *dir, const char *name, uint8_t mode,
                       const void *b, size_t n) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    FUZZ_CHECK(f != NULL, "cannot write %s", path);
    fputc(mode, f);
    fwrite(b, 1, n, f);
    fclose(f);
}

static void write_state(const char *dir, const char *name, csm_partial *p) {
    FUZZ_CHECK(p != NULL, "seed %s not computed", name);
    size_t n;
    unsigned char *b = bytes_of(p, &n);
    write_seed(dir, name, 0, b, n);
    free(b);
    csm_partial_free(p);
}

static void write_seeds(const char *dir) {
    const int64_t c[] = {1, 1, 1, 2, 2, 3, 4, 4};
    const int32_t m[] = {24280, 24281, 24283, 24280, 24281, 24282, 24281, 24282};
    const double v[] = {100, 120, 90, 50, 0, 70, 30, 45.5};
    const int32_t sg[] = {1, 1, 1, 2, 2, 1, 3, 3};
    const size_t n = sizeof c / sizeof *c;
    csm_ledger *l = NULL, *ls = NULL;
    csm_status st = csm_ledger_new(&l, c, m, v, NULL, n, NULL, NULL);
    FUZZ_CHECK(st == CSM_OK, "seed ledger");
    st = csm_ledger_new(&ls, c, m, v, sg, n, NULL, NULL);
    FUZZ_CHECK(st == CSM_OK, "seed ledger by segment");
    csm_partial *p;
    csm_movements_opts mo = CSM_MOVEMENTS_OPTS_INIT;
    p = compute(CSM_PARTIAL_MOVEMENTS, l, &mo, &st);
    write_state(dir, "movements", p);
    mo.by_segment = 1;
    p = compute(CSM_PARTIAL_MOVEMENTS, ls, &mo, &st);
    write_state(dir, "movements-by-segment", p);
    csm_retention_opts ro = CSM_RETENTION_OPTS_INIT;
    p = compute(CSM_PARTIAL_RETENTION, l, &ro, &st);
    write_state(dir, "retention", p);
    ro.by_segment = 1;
    p = compute(CSM_PARTIAL_RETENTION, ls, &ro, &st);
    write_state(dir, "retention-by-segment", p);
    csm_cohorts_opts co = CSM_COHORTS_OPTS_INIT;
    p = compute(CSM_PARTIAL_COHORTS, l, &co, &st);
    write_state(dir, "cohorts", p);
    co.by_segment = 1;
    p = compute(CSM_PARTIAL_COHORTS, ls, &co, &st);
    write_state(dir, "cohorts-by-segment", p);
    csm_lifetimes_opts lo = CSM_LIFETIMES_OPTS_INIT;
    p = compute(CSM_PARTIAL_LIFETIMES, ls, &lo, &st);
    write_state(dir, "lifetimes", p);
    const int8_t sc[] = {10, 9, 7, 3, 0, 10, 5};
    const int8_t s5[] = {5, 4, 3, 1, 2, 5, 4};
    const int32_t gr[] = {1, 2, 1, 3, 3, 2, 1};
    p = NULL;
    st = csm_nps_partial_compute(&p, sc, NULL, 7, NULL, NULL);
    write_state(dir, "nps", p);
    p = NULL;
    st = csm_nps_partial_compute(&p, sc, gr, 7, NULL, NULL);
    write_state(dir, "nps-by-group", p);
    p = NULL;
    st = csm_csat_partial_compute(&p, s5, gr, 7, NULL, NULL);
    write_state(dir, "csat-by-group", p);
    const int8_t s7[] = {7, 6, 3, 1, 2, 5, 4};
    p = NULL;
    st = csm_ces_partial_compute(&p, s7, NULL, 7, NULL, NULL);
    write_state(dir, "ces", p);
    const int64_t acc[] = {11, 12, 11, 13};
    const double seats[] = {10, 5, 10, 20}, act[] = {8, 5, 9, 4},
                 users[] = {7, 4, 9, 3};
    csm_activity_rows rw = {0};
    rw.account_id = acc;
    rw.licensed_seats = seats;
    rw.activated_seats = act;
    rw.active_users = users;
    rw.n = 4;
    p = NULL;
    st = csm_activity_partial_compute(&p, &rw, NULL, NULL);
    write_state(dir, "activity", p);
    csm_activity_opts ao = CSM_ACTIVITY_OPTS_INIT;
    ao.group_by = CSM_ACTIVITY_ALL;
    p = NULL;
    st = csm_activity_partial_compute(&p, &rw, &ao, NULL);
    write_state(dir, "activity-all", p);
    /* ledger mode: options byte, four option bytes, rows of customer,
     * month, MRR, segment */
    const uint8_t led[] = {0x37, 2, 3, 1, 4, 1, 0, 100, 1, 1, 1, 120, 1,
                           2, 0, 50, 2, 2, 3, 0, 2, 3, 2, 70, 1, 1, 4, 9, 1,
                           4, 1, 30, 0, 4, 2, 45, 0, 5, 7, 0xf3, 0, 1, 2, 3};
    write_seed(dir, "ledger-by-segment", 1, led, sizeof led);
    write_seed(dir, "ledger", 1, led + 1, sizeof led - 1);
    csm_ledger_free(l);
    csm_ledger_free(ls);
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc;
    (void)argv;
    const char *dir = getenv("CSM_FUZZ_PARTIAL_SEEDS");
    if (dir)
        write_seeds(dir);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 1)
        return 0;
    if (data[0] & 1) {
        fuzz_in in = {data + 1, size - 1};
        ledger_mode(&in);
    } else {
        bytes_mode(data + 1, size - 1);
    }
    return 0;
}
