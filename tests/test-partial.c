/* test-partial.c - mergeable partial results (csmetrics/partial.h): the
 * movements of customer partitions, merged and finalized, equal the
 * one-shot table of all the customers.
 *
 * The expected values: hand-worked two-partition cases below, and, on
 * random ledgers, the one-shot call (csm_movements_compute,
 * csm_retention_compute, csm_cohorts_compute, csm_km_compute of
 * csm_lifetimes_from_ledger; csm_activity_compute of all the activity
 * rows) on the ledger of all the rows
 * (itself checked against a naive dense implementation in
 * test-ledger.c): counts exactly, money to 1e-12 relative. */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "csmetrics/csmetrics.h"
#include "oom.h"

#define M(k) (csm_month(2024, 1) + (k))

static csm_ledger *ledger_of(const int64_t *c, const int32_t *p,
                             const double *v, const int32_t *s, size_t n,
                             const csm_allocator *a) {
    csm_ledger_opts lo = CSM_LEDGER_OPTS_INIT;
    lo.allocator = a;
    csm_ledger *l = NULL;
    ck_assert_int_eq(csm_ledger_new(&l, c, p, v, s, n, &lo, NULL), CSM_OK);
    return l;
}

/* Every column of every table of two results equal: integers exactly,
 * doubles to 1e-12 relative (NaN where NaN). */
static void same_one_table(const csm_table *a, const csm_table *b);
static void same_table(const csm_result *x, const csm_result *y) {
    ck_assert_uint_eq(csm_result_n_tables(x), csm_result_n_tables(y));
    for (size_t t = 0; t < csm_result_n_tables(x); t++)
        same_one_table(csm_result_table(x, t), csm_result_table(y, t));
}
static void same_one_table(const csm_table *a, const csm_table *b) {
    ck_assert_uint_eq(a->n_rows, b->n_rows);
    ck_assert_uint_eq(a->n_columns, b->n_columns);
    for (size_t k = 0; k < a->n_columns; k++) {
        const csm_column *ca = &a->columns[k], *cb = &b->columns[k];
        ck_assert_str_eq(ca->name, cb->name);
        for (size_t i = 0; i < a->n_rows; i++) {
            switch (ca->storage) {
            case CSM_STORAGE_F64: {
                double u = ((const double *)ca->data)[i];
                double w = ((const double *)cb->data)[i];
                if (isnan(u) || isnan(w)) {
                    ck_assert_msg(isnan(u) && isnan(w), "%s row %zu: %g vs %g",
                                  ca->name, i, u, w);
                } else {
                    ck_assert_msg(fabs(u - w) <= 1e-12 * fmax(1.0, fabs(u)),
                                  "%s row %zu: %.17g vs %.17g", ca->name, i,
                                  u, w);
                }
                break;
            }
            case CSM_STORAGE_I64:
                ck_assert_int_eq(((const int64_t *)ca->data)[i],
                                 ((const int64_t *)cb->data)[i]);
                break;
            case CSM_STORAGE_I32:
                ck_assert_int_eq(((const int32_t *)ca->data)[i],
                                 ((const int32_t *)cb->data)[i]);
                break;
            case CSM_STORAGE_U32:
                ck_assert_uint_eq(((const uint32_t *)ca->data)[i],
                                  ((const uint32_t *)cb->data)[i]);
                break;
            case CSM_STORAGE_STR: {
                const char *u = ((const char *const *)ca->data)[i];
                const char *w = ((const char *const *)cb->data)[i];
                ck_assert_msg(u && w ? strcmp(u, w) == 0 : u == w,
                              "%s row %zu", ca->name, i);
                break;
            }
            default:
                ck_abort_msg("unexpected storage in %s", ca->name);
            }
        }
    }
}

/* ---- a hand-worked case ------------------------------------------------- */
/* Partition 1: A=1 with 100 in M0, 150 in M1 (segment 1).
 * Partition 2: B=2 with 50 in M1, none in M2 (segment 2).
 * All together, months M0..M1 (B's churn in M2 is past the data):
 *   M0: new 100 (A), customers 1, closing 100;
 *   M1: opening 100, expansion 50 (A), new 50 (B), closing 200,
 *       customers 2, opening_customers 1, quick ratio (50+50)/0 = NaN.
 * By segment, the rows are M0 x {1, 2}, M1 x {1, 2}: segment 2 has
 * nothing in M0 and B's new 50 in M1. */
START_TEST(test_hand_two_partitions) {
    const int64_t c1[] = {1, 1}, c2[] = {2};
    const int32_t p1[] = {M(0), M(1)}, p2[] = {M(1)};
    const double v1[] = {100, 150}, v2[] = {50};
    const int32_t s1[] = {1, 1}, s2[] = {2};
    csm_ledger *l1 = ledger_of(c1, p1, v1, s1, 2, NULL);
    csm_ledger *l2 = ledger_of(c2, p2, v2, s2, 1, NULL);
    csm_partial *a = NULL, *b = NULL;
    ck_assert_int_eq(csm_movements_partial_compute(&a, l1, NULL, NULL), CSM_OK);
    ck_assert_int_eq(csm_movements_partial_compute(&b, l2, NULL, NULL), CSM_OK);
    ck_assert_int_eq(csm_partial_kind_of(a), CSM_PARTIAL_MOVEMENTS);
    ck_assert_int_eq(csm_partial_merge(a, b, NULL), CSM_OK);
    csm_movements *m = NULL;
    ck_assert_int_eq(csm_movements_partial_finalize(&m, a, NULL), CSM_OK);
    ck_assert_uint_eq(m->n_rows, 2);
    ck_assert_int_eq(m->month[0], M(0));
    ck_assert_double_eq(m->new_mrr[0], 100);
    ck_assert_int_eq(m->closing_customers[0], 1);
    ck_assert_double_eq(m->opening_mrr[1], 100);
    ck_assert_double_eq(m->expansion_mrr[1], 50);
    ck_assert_double_eq(m->new_mrr[1], 50);
    ck_assert_double_eq(m->closing_mrr[1], 200);
    ck_assert_int_eq(m->closing_customers[1], 2);
    ck_assert_int_eq(m->opening_customers[1], 1);
    ck_assert_int_eq(m->new_customers[1], 1);
    ck_assert_double_eq(m->churn_mrr[1], 0);
    ck_assert(isnan(m->quick_ratio[1]));
    csm_movements_free(m);
    csm_partial_free(a);
    csm_partial_free(b);

    csm_movements_opts o = CSM_MOVEMENTS_OPTS_INIT;
    o.by_segment = 1;
    ck_assert_int_eq(csm_movements_partial_compute(&a, l1, &o, NULL), CSM_OK);
    ck_assert_int_eq(csm_movements_partial_compute(&b, l2, &o, NULL), CSM_OK);
    ck_assert_int_eq(csm_partial_merge(b, a, NULL), CSM_OK); /* other order */
    ck_assert_int_eq(csm_movements_partial_finalize(&m, b, NULL), CSM_OK);
    ck_assert_uint_eq(m->n_rows, 4);
    ck_assert_int_eq(m->segment[0], 1);
    ck_assert_int_eq(m->segment[1], 2);
    ck_assert_double_eq(m->new_mrr[0], 100);
    ck_assert_double_eq(m->closing_mrr[1], 0);
    ck_assert_double_eq(m->expansion_mrr[2], 50);
    ck_assert_double_eq(m->new_mrr[3], 50);
    ck_assert_int_eq(m->closing_customers[3], 1);
    csm_movements_free(m);
    csm_partial_free(a);
    csm_partial_free(b);
    csm_ledger_free(l1);
    csm_ledger_free(l2);
}
END_TEST

/* Cohorts, worked by hand.  Partition 1: A=1 with 100 in M0, 150 in M1,
 * 80 in M3 (segment 1).  Partition 2: B=2 with 50 in M1, 60 in M2
 * (segment 2); C=3 with 40 in M0, 20 in M2 (segment 1).  All together the
 * data end in M3, the first cohort is M0, so 4 ages:
 *   cohort M0 = {A, C}, size 2: age 0 (M0) A+C, 2 customers, 140;
 *     age 1 (M1) A 150; age 2 (M2) C 20; age 3 (M3) A 80;
 *     customers_frac 1, 1/2, 1/2, 1/2; mrr_frac 1, 150/140, 20/140, 80/140;
 *   cohort M1 = {B}, size 1: age 0 B 50; age 1 B 60; age 2 (M3) nobody,
 *     0 and 0 (observed); age 3 (M4) past the data: NaN.
 * Partition 2 alone ends in M2, so its state has 3 ages: the merge grows
 * them.  By segment the cohorts are (M0, 1) and (M1, 2), same cells. */
START_TEST(test_hand_cohorts) {
    const int64_t c1[] = {1, 1, 1}, c2[] = {2, 2, 3, 3};
    const int32_t p1[] = {M(0), M(1), M(3)}, p2[] = {M(1), M(2), M(0), M(2)};
    const double v1[] = {100, 150, 80}, v2[] = {50, 60, 40, 20};
    const int32_t s1[] = {1, 1, 1}, s2[] = {2, 2, 1, 1};
    csm_ledger *l1 = ledger_of(c1, p1, v1, s1, 3, NULL);
    csm_ledger *l2 = ledger_of(c2, p2, v2, s2, 4, NULL);
    for (int byseg = 0; byseg < 2; byseg++) {
        csm_cohorts_opts o = CSM_COHORTS_OPTS_INIT;
        o.by_segment = byseg;
        csm_partial *a = NULL, *b = NULL;
        ck_assert_int_eq(csm_cohorts_partial_compute(&a, l1, &o, NULL), CSM_OK);
        ck_assert_int_eq(csm_cohorts_partial_compute(&b, l2, &o, NULL), CSM_OK);
        ck_assert_int_eq(csm_partial_kind_of(a), CSM_PARTIAL_COHORTS);
        ck_assert_int_eq(csm_partial_merge(b, a, NULL), CSM_OK);
        csm_cohorts *c = NULL;
        ck_assert_int_eq(csm_cohorts_partial_finalize(&c, b, NULL), CSM_OK);
        ck_assert_uint_eq(c->n_cohorts, 2);
        ck_assert_uint_eq(c->n_ages, 4);
        ck_assert_int_eq(c->cohort[0], M(0));
        ck_assert_int_eq(c->cohort[1], M(1));
        ck_assert_int_eq(c->segment[0], byseg ? 1 : CSM_CODE_ALL);
        ck_assert_int_eq(c->segment[1], byseg ? 2 : CSM_CODE_ALL);
        ck_assert_int_eq(c->size[0], 2);
        ck_assert_int_eq(c->size[1], 1);
        const double cust0[] = {2, 1, 1, 1}, mrr0[] = {140, 150, 20, 80};
        for (int age = 0; age < 4; age++) {
            ck_assert_double_eq(c->customers[age], cust0[age]);
            ck_assert_double_eq(c->mrr[age], mrr0[age]);
            ck_assert_double_eq_tol(c->mrr_frac[age], mrr0[age] / 140, 1e-15);
            ck_assert_double_eq(c->customers_frac[age], cust0[age] / 2);
            ck_assert_int_eq(c->cell_age[age], age);
            ck_assert_int_eq(c->cell_cohort[4 + age], M(1));
        }
        ck_assert_double_eq(c->mrr[4], 50);
        ck_assert_double_eq(c->mrr[5], 60);
        ck_assert_double_eq(c->customers[6], 0);
        ck_assert_double_eq(c->mrr[6], 0);
        ck_assert_double_eq(c->mrr_frac[6], 0);
        ck_assert(isnan(c->customers[7]) && isnan(c->mrr_frac[7]));
        csm_cohorts_free(c);
        csm_partial_free(a);
        csm_partial_free(b);
    }
    /* different cohort keys do not merge; nor do states of two families */
    csm_partial *a = NULL, *b = NULL;
    csm_error e;
    const int64_t kc[] = {3};
    const int32_t km[] = {M(1)}, km2[] = {M(2)};
    csm_cohorts_opts o = CSM_COHORTS_OPTS_INIT;
    o.key_customer = kc;
    o.key_month = km2;
    o.n_keys = 1;
    ck_assert_int_eq(csm_cohorts_partial_compute(&a, l1, &o, NULL), CSM_OK);
    o.key_month = km;
    ck_assert_int_eq(csm_cohorts_partial_compute(&b, l2, &o, NULL), CSM_OK);
    ck_assert_int_eq(csm_partial_merge(a, b, &e), CSM_EINVAL);
    ck_assert_str_eq(e.field, "opts");
    csm_partial_free(b);
    ck_assert_int_eq(csm_movements_partial_compute(&b, l2, NULL, NULL), CSM_OK);
    ck_assert_int_eq(csm_partial_merge(a, b, &e), CSM_EINVAL);
    ck_assert_str_eq(e.field, "kind");
    csm_cohorts *c = (csm_cohorts *)1;
    ck_assert_int_eq(csm_cohorts_partial_finalize(&c, b, &e), CSM_EINVAL);
    ck_assert_ptr_null(c);
    ck_assert_str_eq(e.field, "partial");
    csm_partial_free(a);
    csm_partial_free(b);
    csm_ledger_free(l1);
    csm_ledger_free(l2);
}
END_TEST

/* Errors: different options, families of states, NULLs, bad bytes. */
START_TEST(test_errors) {
    const int64_t c[] = {1};
    const int32_t p[] = {M(0)};
    const double v[] = {10};
    csm_ledger *l = ledger_of(c, p, v, NULL, 1, NULL);
    csm_partial *a = NULL, *b = NULL;
    csm_movements_opts o = CSM_MOVEMENTS_OPTS_INIT;
    csm_error e;
    ck_assert_int_eq(csm_movements_partial_compute(&a, l, NULL, NULL), CSM_OK);
    o.reactivation_window = 3;
    ck_assert_int_eq(csm_movements_partial_compute(&b, l, &o, NULL), CSM_OK);
    ck_assert_int_eq(csm_partial_merge(a, b, &e), CSM_EINVAL);
    ck_assert_str_eq(e.field, "opts");
    ck_assert_int_eq(csm_partial_merge(a, a, &e), CSM_EINVAL);
    ck_assert_int_eq(csm_partial_merge(a, NULL, &e), CSM_EINVAL);
    csm_partial_free(b);
    o = (csm_movements_opts)CSM_MOVEMENTS_OPTS_INIT;
    o.churn_denominator = CSM_DENOM_DAILY;
    b = (csm_partial *)1;
    ck_assert_int_eq(csm_movements_partial_compute(&b, l, &o, &e), CSM_EINVAL);
    ck_assert_ptr_null(b);
    ck_assert_str_eq(e.field, "opts.churn_denominator");
    /* bytes: a round trip, then damaged copies */
    size_t n = csm_partial_serialized_size(a);
    unsigned char *buf = malloc(n + 8);
    size_t w = 0;
    ck_assert_int_eq(csm_partial_serialize(buf, n - 1, &w, a, &e), CSM_ERANGE);
    ck_assert_int_eq(csm_partial_serialize(buf, n, &w, a, &e), CSM_OK);
    ck_assert_uint_eq(w, n);
    ck_assert_int_eq(csm_partial_deserialize(&b, buf, n - 1, NULL, &e),
                     CSM_EINVAL);
    ck_assert_int_eq(csm_partial_deserialize(&b, buf, n + 8, NULL, &e),
                     CSM_EINVAL);
    buf[0] ^= 1;
    ck_assert_int_eq(csm_partial_deserialize(&b, buf, n, NULL, &e), CSM_EINVAL);
    ck_assert_str_eq(e.field, "buf");
    buf[0] ^= 1;
    ck_assert_int_eq(csm_partial_deserialize(&b, buf, n, NULL, &e), CSM_OK);
    csm_movements *x = NULL, *y = NULL;
    ck_assert_int_eq(csm_movements_partial_finalize(&x, a, NULL), CSM_OK);
    ck_assert_int_eq(csm_movements_partial_finalize(&y, b, NULL), CSM_OK);
    same_table(x->result, y->result);
    ck_assert_double_eq(y->new_mrr[0], 10);
    csm_movements_free(x);
    csm_movements_free(y);
    free(buf);
    csm_partial_free(a);
    csm_partial_free(b);
    csm_ledger_free(l);
}
END_TEST

/* ---- the merge property on random ledgers ------------------------------- */
static uint64_t rng_state;
static uint32_t rnd(uint32_t n) {
    rng_state = rng_state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (uint32_t)(rng_state >> 33) % n;
}

typedef struct {
    size_t n;
    int64_t *c;
    int32_t *p, *s;
    double *v;
} rows;

/* Random rows: up to 30 customers over 14 months, gaps, returns,
 * duplicate rows, segments 1..3 changing over time, awkward amounts. */
static rows random_rows(void) {
    rows r;
    size_t cap = 30 * 14 * 2;
    r.c = calloc(cap, sizeof *r.c);
    r.p = calloc(cap, sizeof *r.p);
    r.s = calloc(cap, sizeof *r.s);
    r.v = calloc(cap, sizeof *r.v);
    r.n = 0;
    size_t ncust = rnd(30);
    for (size_t k = 0; k < ncust; k++) {
        int64_t id = (int64_t)rnd(1000000) * 7 - 3000000;
        int32_t seg = 1 + (int32_t)rnd(3);
        for (int t = 0; t < 14; t++) {
            if (rnd(3) == 0)
                continue;
            if (rnd(6) == 0)
                seg = 1 + (int32_t)rnd(3);
            int dup = rnd(8) == 0 ? 2 : 1;
            for (int d = 0; d < dup; d++) {
                r.c[r.n] = id;
                r.p[r.n] = M(t);
                r.s[r.n] = seg;
                r.v[r.n] = rnd(5) == 0 ? 0.0 : (double)rnd(100000) / 7.0;
                r.n++;
            }
        }
    }
    return r;
}

static void rows_free(rows *r) {
    free(r->c);
    free(r->p);
    free(r->s);
    free(r->v);
}

/* The options of trial k: defaults, by segment, window and tolerance,
 * explicit ranges (both ends, one end), the presets. */
static csm_movements_opts trial_opts(int k) {
    csm_movements_opts o = CSM_MOVEMENTS_OPTS_INIT;
    switch (k % 7) {
    case 1:
        o.by_segment = 1;
        break;
    case 2:
        o.reactivation_window = 2;
        o.tolerance = 3.0;
        o.churn_denominator = CSM_DENOM_AVERAGE;
        break;
    case 3:
        o.first_month = M(3);
        o.last_month = M(9);
        o.by_segment = 1;
        break;
    case 4:
        o.first_month = M(5);
        break;
    case 5:
        o.last_month = M(6);
        o.by_segment = 1;
        break;
    case 6:
        ck_assert_int_eq(csm_movements_opts_preset(&o, CSM_PRESET_STRIPE),
                         CSM_OK);
        break;
    }
    return o;
}

/* The retention options of trial k: windows 1, 3 and 12, by segment, the
 * movement-sum NRR, explicit and open-ended ranges. */
static csm_retention_opts trial_ret_opts(int k) {
    csm_retention_opts o = CSM_RETENTION_OPTS_INIT;
    o.window = k % 3 == 0 ? 1 : k % 3 == 1 ? 3 : 12;
    switch (k % 5) {
    case 1:
        o.by_segment = 1;
        break;
    case 2:
        o.nrr_mode = CSM_NRR_MOVEMENT_SUM;
        o.first_month = M(4);
        o.last_month = M(11);
        break;
    case 3:
        o.first_month = M(6);
        o.by_segment = 1;
        break;
    case 4:
        o.last_month = M(8);
        o.nrr_mode = CSM_NRR_MOVEMENT_SUM;
        break;
    }
    return o;
}

/* A family with partial states, for the trials: the one-shot table, the
 * state of a ledger and the table of a state, with trial k's options. */
typedef struct {
    csm_status (*one_shot)(csm_result **out, const csm_ledger *l, int k);
    csm_status (*state)(csm_partial **out, const csm_ledger *l, int k);
    csm_status (*finalize)(csm_result **out, const csm_partial *p);
} family;

static csm_status mov_one(csm_result **out, const csm_ledger *l, int k) {
    csm_movements_opts o = trial_opts(k);
    csm_movements *m = NULL;
    csm_status st = csm_movements_compute(&m, l, &o, NULL);
    *out = m ? m->result : NULL;
    return st;
}
static csm_status mov_state(csm_partial **out, const csm_ledger *l, int k) {
    csm_movements_opts o = trial_opts(k);
    return csm_movements_partial_compute(out, l, &o, NULL);
}
static csm_status mov_fin(csm_result **out, const csm_partial *p) {
    csm_movements *m = NULL;
    csm_status st = csm_movements_partial_finalize(&m, p, NULL);
    *out = m ? m->result : NULL;
    return st;
}
static csm_status ret_one(csm_result **out, const csm_ledger *l, int k) {
    csm_retention_opts o = trial_ret_opts(k);
    csm_retention *r = NULL;
    csm_status st = csm_retention_compute(&r, l, &o, NULL);
    *out = r ? r->result : NULL;
    return st;
}
static csm_status ret_state(csm_partial **out, const csm_ledger *l, int k) {
    csm_retention_opts o = trial_ret_opts(k);
    return csm_retention_partial_compute(out, l, &o, NULL);
}
static csm_status ret_fin(csm_result **out, const csm_partial *p) {
    csm_retention *r = NULL;
    csm_status st = csm_retention_partial_finalize(&r, p, NULL);
    *out = r ? r->result : NULL;
    return st;
}

/* The cohort options of trial k: defaults, by segment, baseline 1,
 * max_age, and cohort keys for some of the trial's customers (set by
 * merge_trial in trial_keys: months before, inside and after the data). */
static int64_t trial_key_c[8];
static int32_t trial_key_m[8];
static size_t trial_n_keys;
static csm_cohorts_opts trial_coh_opts(int k) {
    csm_cohorts_opts o = CSM_COHORTS_OPTS_INIT;
    o.by_segment = k % 2;
    o.baseline = k % 3 == 1;
    o.max_age = k % 5 == 2 ? 4 : k % 5 == 3 ? 40 : 0;
    if (k % 4 == 3) {
        o.key_customer = trial_key_c;
        o.key_month = trial_key_m;
        o.n_keys = trial_n_keys;
    }
    return o;
}
static csm_status coh_one(csm_result **out, const csm_ledger *l, int k) {
    csm_cohorts_opts o = trial_coh_opts(k);
    csm_cohorts *c = NULL;
    csm_status st = csm_cohorts_compute(&c, l, &o, NULL);
    *out = c ? c->result : NULL;
    return st;
}
static csm_status coh_state(csm_partial **out, const csm_ledger *l, int k) {
    csm_cohorts_opts o = trial_coh_opts(k);
    return csm_cohorts_partial_compute(out, l, &o, NULL);
}
static csm_status coh_fin(csm_result **out, const csm_partial *p) {
    csm_cohorts *c = NULL;
    csm_status st = csm_cohorts_partial_finalize(&c, p, NULL);
    *out = c ? c->result : NULL;
    return st;
}
static const family MOVEMENTS = {mov_one, mov_state, mov_fin};
static const family RETENTION = {ret_one, ret_state, ret_fin};
static const family COHORTS = {coh_one, coh_state, coh_fin};

/* Kaplan-Meier from a ledger (trial k): as_of the data's end, inside it or
 * after it; curves by segment or one; the KM options (level, horizon,
 * the overall curve, times to read the curves at).  The one-shot table:
 * csm_km_compute on csm_lifetimes_from_ledger of all the rows. */
static const double trial_at[] = {0, 3, 7.5, 40};
static csm_lifetimes_opts trial_lt_opts(int k) {
    csm_lifetimes_opts o = CSM_LIFETIMES_OPTS_INIT;
    o.as_of = k % 3 == 1 ? M(8) : k % 3 == 2 ? M(20) : CSM_MONTH_NONE;
    return o;
}
static csm_km_opts trial_km_opts(int k) {
    csm_km_opts o = CSM_KM_OPTS_INIT;
    if (k % 4 == 1) {
        o.level = 0.9;
        o.horizon = 6;
    }
    if (k % 4 == 2) {
        o.at_times = trial_at;
        o.n_at_times = 4;
        o.include_overall = 1;
    }
    return o;
}
static int trial_km_k; /* the trial of km_fin (which takes no k) */
static csm_status km_one(csm_result **out, const csm_ledger *l, int k) {
    csm_lifetimes_opts lo = trial_lt_opts(k);
    csm_km_opts ko = trial_km_opts(k);
    csm_lifetimes *lt = NULL;
    csm_km *km = NULL;
    csm_status st = csm_lifetimes_from_ledger(&lt, l, &lo, NULL);
    if (st == CSM_OK)
        st = csm_km_compute(&km, lt->duration, lt->event, NULL,
                            k % 2 ? lt->segment : NULL, lt->n_rows, &ko, NULL);
    csm_lifetimes_free(lt);
    *out = km ? km->result : NULL;
    trial_km_k = k;
    return st;
}
static csm_status km_state(csm_partial **out, const csm_ledger *l, int k) {
    csm_lifetimes_opts lo = trial_lt_opts(k);
    return csm_lifetimes_partial_compute(out, l, &lo, NULL);
}
static csm_status km_fin(csm_result **out, const csm_partial *p) {
    csm_km_opts ko = trial_km_opts(trial_km_k);
    csm_km *km = NULL;
    csm_status st =
        csm_lifetimes_partial_km(&km, p, trial_km_k % 2, &ko, NULL);
    *out = km ? km->result : NULL;
    return st;
}
static const family KM = {km_one, km_state, km_fin};

/* The state of the rows whose customer is in partition `part` (of
 * `assign`, a partition per row), through bytes when via_bytes. */
static csm_partial *partition_state(const rows *r, const int *assign, int part,
                                    const family *f, int k, int via_bytes) {
    rows q = {0, malloc((r->n + 1) * sizeof(int64_t)),
              malloc((r->n + 1) * sizeof(int32_t)),
              malloc((r->n + 1) * sizeof(int32_t)),
              malloc((r->n + 1) * sizeof(double))};
    for (size_t i = 0; i < r->n; i++)
        if (assign[i] == part) {
            q.c[q.n] = r->c[i];
            q.p[q.n] = r->p[i];
            q.s[q.n] = r->s[i];
            q.v[q.n] = r->v[i];
            q.n++;
        }
    csm_ledger *l = ledger_of(q.c, q.p, q.v, q.s, q.n, NULL);
    csm_partial *st = NULL;
    ck_assert_int_eq(f->state(&st, l, k), CSM_OK);
    csm_ledger_free(l);
    rows_free(&q);
    if (via_bytes) {
        size_t n = csm_partial_serialized_size(st);
        void *buf = malloc(n);
        ck_assert_int_eq(csm_partial_serialize(buf, n, NULL, st, NULL), CSM_OK);
        csm_partial_free(st);
        ck_assert_int_eq(csm_partial_deserialize(&st, buf, n, NULL, NULL),
                         CSM_OK);
        free(buf);
    }
    return st;
}

/* Trial k: random rows, partitioned by customer into nparts (some empty,
 * or one customer per partition when nparts is 0), merged in a random
 * order (a chain or pairwise), finalized, against the one-shot table. */
static void merge_trial(const family *f, int k, int one_each) {
    rows r = random_rows();
    /* cohort keys (trial_coh_opts): every 3rd row's customer, up to 7, and
     * a customer of no row */
    trial_n_keys = 0;
    for (size_t i = 0; i < r.n && trial_n_keys < 7; i += 3) {
        int dup = 0;
        for (size_t j = 0; j < trial_n_keys; j++)
            dup |= trial_key_c[j] == r.c[i];
        if (dup)
            continue;
        trial_key_c[trial_n_keys] = r.c[i];
        trial_key_m[trial_n_keys++] = M((int)rnd(18) - 2);
    }
    trial_key_c[trial_n_keys] = 5; /* ids of rows are multiples of 7 less 3e6 */
    trial_key_m[trial_n_keys++] = M(3);
    csm_ledger *all = ledger_of(r.c, r.p, r.v, r.s, r.n, NULL);
    csm_result *want = NULL;
    csm_status st = f->one_shot(&want, all, k);
    int *assign = malloc((r.n + 1) * sizeof *assign);
    int nparts;
    if (one_each) {
        /* customer i (in order of first row) alone in partition i, plus an
         * empty partition at the end */
        nparts = 0;
        for (size_t i = 0; i < r.n; i++) {
            assign[i] = -1;
            for (size_t j = 0; j < i; j++)
                if (r.c[j] == r.c[i]) {
                    assign[i] = assign[j];
                    break;
                }
            if (assign[i] < 0)
                assign[i] = nparts++;
        }
        nparts++;
    } else {
        nparts = 1 + (int)rnd(6);
        int64_t salt = rnd(1000);
        for (size_t i = 0; i < r.n; i++)
            assign[i] = (int)(((r.c[i] + salt) % nparts + nparts) % nparts);
    }
    csm_partial **s = malloc((size_t)nparts * sizeof *s);
    for (int q = 0; q < nparts; q++)
        s[q] = partition_state(&r, assign, q, f, k, rnd(2));
    /* shuffle, then merge pairwise (a tree) or in a chain */
    for (int q = nparts - 1; q > 0; q--) {
        int x = (int)rnd((uint32_t)q + 1);
        csm_partial *t = s[q];
        s[q] = s[x];
        s[x] = t;
    }
    if (rnd(2)) {
        for (int width = 1; width < nparts; width *= 2)
            for (int q = 0; q + width < nparts; q += 2 * width)
                ck_assert_int_eq(csm_partial_merge(s[q], s[q + width], NULL),
                                 CSM_OK);
    } else {
        for (int q = 1; q < nparts; q++)
            ck_assert_int_eq(csm_partial_merge(s[0], s[q], NULL), CSM_OK);
    }
    csm_result *got = NULL;
    csm_status st2 = f->finalize(&got, s[0]);
    ck_assert_int_eq(st2, st);
    if (st == CSM_OK)
        same_table(want, got);
    csm_result_free(want);
    csm_result_free(got);
    for (int q = 0; q < nparts; q++)
        csm_partial_free(s[q]);
    free(s);
    free(assign);
    csm_ledger_free(all);
    rows_free(&r);
}

START_TEST(test_merge_random_partitions) {
    rng_state = 12345;
    for (int k = 0; k < 700; k++)
        merge_trial(&MOVEMENTS, k, 0);
    for (int k = 0; k < 500; k++)
        merge_trial(&RETENTION, k, 0);
    for (int k = 0; k < 500; k++)
        merge_trial(&COHORTS, k, 0);
    for (int k = 0; k < 400; k++)
        merge_trial(&KM, k, 0);
}
END_TEST

START_TEST(test_merge_one_customer_each) {
    rng_state = 777;
    for (int k = 0; k < 140; k++)
        merge_trial(&MOVEMENTS, k, 1);
    for (int k = 0; k < 100; k++)
        merge_trial(&RETENTION, k, 1);
    for (int k = 0; k < 100; k++)
        merge_trial(&COHORTS, k, 1);
    for (int k = 0; k < 100; k++)
        merge_trial(&KM, k, 1);
}
END_TEST

/* ---- out of memory -------------------------------------------------------- */
/* Compute, merge (growing the grid: months and segments of both),
 * serialize, deserialize and finalize with each allocation failing in
 * turn: each fails cleanly (nothing leaks, the state merged into is
 * unchanged) until the budget suffices. */
START_TEST(test_oom) {
    const int64_t c1[] = {1, 1, 2}, c2[] = {3, 3};
    const int32_t p1[] = {M(0), M(1), M(1)}, p2[] = {M(2), M(4)};
    const double v1[] = {10, 20, 5}, v2[] = {7, 9};
    const int32_t s1[] = {1, 1, 2}, s2[] = {3, 3};
    csm_movements_opts o = CSM_MOVEMENTS_OPTS_INIT;
    o.by_segment = 1;
    csm_ledger *l1 = ledger_of(c1, p1, v1, s1, 3, NULL);
    csm_ledger *l2 = ledger_of(c2, p2, v2, s2, 2, NULL);
    csm_movements *want = NULL;
    {
        const int64_t ca[] = {1, 1, 2, 3, 3};
        const int32_t pa[] = {M(0), M(1), M(1), M(2), M(4)};
        const double va[] = {10, 20, 5, 7, 9};
        const int32_t sa[] = {1, 1, 2, 3, 3};
        csm_ledger *l = ledger_of(ca, pa, va, sa, 5, NULL);
        ck_assert_int_eq(csm_movements_compute(&want, l, &o, NULL), CSM_OK);
        csm_ledger_free(l);
    }
    csm_partial *b = NULL;
    ck_assert_int_eq(csm_movements_partial_compute(&b, l2, &o, NULL), CSM_OK);
    int done = 0;
    for (long budget = 0; !done && budget < 100; budget++) {
        fail_ctx f = {budget, 0};
        csm_allocator al = {fail_alloc, fail_free, &f, NULL};
        csm_ledger_opts lo = CSM_LEDGER_OPTS_INIT;
        lo.allocator = &al;
        f.budget = -1;
        csm_ledger *l = NULL;
        ck_assert_int_eq(csm_ledger_new(&l, c1, p1, v1, s1, 3, &lo, NULL),
                         CSM_OK);
        f.budget = budget;
        csm_partial *a = NULL, *r = NULL;
        csm_movements *m = NULL;
        void *buf = NULL;
        csm_status st = csm_movements_partial_compute(&a, l, &o, NULL);
        if (st == CSM_OK) {
            size_t n0 = csm_partial_serialized_size(a);
            st = csm_partial_merge(a, b, NULL);
            if (st != CSM_OK) /* unchanged */
                ck_assert_uint_eq(csm_partial_serialized_size(a), n0);
        }
        if (st == CSM_OK) {
            size_t n = csm_partial_serialized_size(a);
            buf = malloc(n);
            ck_assert_int_eq(csm_partial_serialize(buf, n, NULL, a, NULL),
                             CSM_OK);
            st = csm_partial_deserialize(&r, buf, n, &al, NULL);
        }
        if (st == CSM_OK)
            st = csm_movements_partial_finalize(&m, r, NULL);
        if (st == CSM_OK) {
            same_table(want->result, m->result);
            done = 1;
        } else {
            ck_assert_int_eq(st, CSM_ENOMEM);
        }
        free(buf);
        csm_movements_free(m);
        csm_partial_free(r);
        csm_partial_free(a);
        csm_ledger_free(l);
        ck_assert_int_eq(f.live, 0);
    }
    ck_assert(done);
    csm_partial_free(b);
    csm_movements_free(want);
    csm_ledger_free(l1);
    csm_ledger_free(l2);
}
END_TEST

/* The retention state's compute and finalize with each allocation failing
 * in turn (merge and bytes are the family-independent code test_oom
 * covers): nothing leaks, and the table once the budget suffices is the
 * one-shot table.  Expected: one-shot csm_retention_compute. */
START_TEST(test_oom_retention) {
    const int64_t c[] = {1, 1, 2, 2, 3};
    const int32_t p[] = {M(0), M(1), M(0), M(2), M(1)};
    const double v[] = {10, 20, 5, 4, 9};
    const int32_t sg[] = {1, 1, 2, 2, 1};
    csm_retention_opts o = CSM_RETENTION_OPTS_INIT;
    o.window = 1;
    o.by_segment = 1;
    csm_ledger *all = ledger_of(c, p, v, sg, 5, NULL);
    csm_retention *want = NULL;
    ck_assert_int_eq(csm_retention_compute(&want, all, &o, NULL), CSM_OK);
    ck_assert_uint_eq(want->n_rows, 4); /* end months M1, M2 x segments 1, 2 */
    int done = 0;
    for (long budget = 0; !done && budget < 50; budget++) {
        fail_ctx f = {-1, 0};
        csm_allocator al = {fail_alloc, fail_free, &f, NULL};
        csm_ledger_opts lo = CSM_LEDGER_OPTS_INIT;
        lo.allocator = &al;
        csm_ledger *l = NULL;
        ck_assert_int_eq(csm_ledger_new(&l, c, p, v, sg, 5, &lo, NULL), CSM_OK);
        f.budget = budget;
        csm_partial *st = NULL;
        csm_retention *r = NULL;
        csm_status s1 = csm_retention_partial_compute(&st, l, &o, NULL);
        if (s1 == CSM_OK)
            s1 = csm_retention_partial_finalize(&r, st, NULL);
        if (s1 == CSM_OK) {
            same_table(want->result, r->result);
            done = 1;
        } else {
            ck_assert_int_eq(s1, CSM_ENOMEM);
        }
        csm_retention_free(r);
        csm_partial_free(st);
        csm_ledger_free(l);
        ck_assert_int_eq(f.live, 0);
    }
    ck_assert(done);
    csm_retention_free(want);
    csm_ledger_free(all);
}
END_TEST

/* The cohorts state's compute, merge (growing the ages) and finalize with
 * each allocation failing in turn: nothing leaks, and the tables once the
 * budget suffices are the one-shot tables.  Expected: one-shot
 * csm_cohorts_compute on all the rows. */
START_TEST(test_oom_cohorts) {
    const int64_t c[] = {1, 1, 2, 2, 3};
    const int32_t p[] = {M(0), M(1), M(0), M(3), M(1)};
    const double v[] = {10, 20, 5, 4, 9};
    const int32_t sg[] = {1, 1, 2, 2, 1};
    csm_cohorts_opts o = CSM_COHORTS_OPTS_INIT;
    o.by_segment = 1;
    csm_ledger *all = ledger_of(c, p, v, sg, 5, NULL);
    csm_ledger *l2 = ledger_of(c + 2, p + 2, v + 2, sg + 2, 3, NULL);
    csm_cohorts *want = NULL;
    ck_assert_int_eq(csm_cohorts_compute(&want, all, &o, NULL), CSM_OK);
    ck_assert_uint_eq(want->n_cohorts, 3); /* (M0, 1), (M0, 2), (M1, 1) */
    csm_partial *b = NULL;
    ck_assert_int_eq(csm_cohorts_partial_compute(&b, l2, &o, NULL), CSM_OK);
    int done = 0;
    for (long budget = 0; !done && budget < 50; budget++) {
        fail_ctx f = {-1, 0};
        csm_allocator al = {fail_alloc, fail_free, &f, NULL};
        csm_ledger_opts lo = CSM_LEDGER_OPTS_INIT;
        lo.allocator = &al;
        csm_ledger *l = NULL;
        ck_assert_int_eq(csm_ledger_new(&l, c, p, v, sg, 2, &lo, NULL), CSM_OK);
        f.budget = budget;
        csm_partial *st = NULL;
        csm_cohorts *r = NULL;
        csm_status s1 = csm_cohorts_partial_compute(&st, l, &o, NULL);
        if (s1 == CSM_OK)
            s1 = csm_partial_merge(st, b, NULL);
        if (s1 == CSM_OK)
            s1 = csm_cohorts_partial_finalize(&r, st, NULL);
        if (s1 == CSM_OK) {
            same_table(want->result, r->result);
            done = 1;
        } else {
            ck_assert_int_eq(s1, CSM_ENOMEM);
        }
        csm_cohorts_free(r);
        csm_partial_free(st);
        csm_ledger_free(l);
        ck_assert_int_eq(f.live, 0);
    }
    ck_assert(done);
    csm_partial_free(b);
    csm_cohorts_free(want);
    csm_ledger_free(all);
    csm_ledger_free(l2);
}
END_TEST

/* ---- survey states (NPS, CSAT, CES) --------------------------------------- */
/* *s through bytes: serialized, freed, read back. */
static void through_bytes(csm_partial **s) {
    size_t nb = csm_partial_serialized_size(*s);
    void *buf = malloc(nb);
    ck_assert_int_eq(csm_partial_serialize(buf, nb, NULL, *s, NULL), CSM_OK);
    csm_partial_free(*s);
    csm_error e;
    csm_status st = csm_partial_deserialize(s, buf, nb, NULL, &e);
    ck_assert_msg(st == CSM_OK, "%s", e.text);
    free(buf);
}

/* s[0..nparts) shuffled, then merged into s[0] in a chain. */
static void merge_shuffled(csm_partial **s, int nparts) {
    for (int q = nparts - 1; q > 0; q--) {
        int x = (int)rnd((uint32_t)q + 1);
        csm_partial *t = s[q];
        s[q] = s[x];
        s[x] = t;
    }
    for (int q = 1; q < nparts; q++)
        ck_assert_int_eq(csm_partial_merge(s[0], s[q], NULL), CSM_OK);
}

/* Random responses (scores on the family's scale, groups among a few codes
 * or none), dealt to random parts (some empty; or one response a part),
 * each part's state (half of them through bytes) merged in a random order
 * and finalized, against the one-shot figures of all the responses:
 * csm_nps_by_group (csm_nps without groups), and csm_csat / csm_ces of
 * each group's responses put in a table with csm_csat_table /
 * csm_ces_table.  Tables equal to 1e-12 relative, counts exactly. */
typedef struct {
    int kind; /* CSM_PARTIAL_NPS, _CSAT, _CES */
    int lo, hi;
} survey_family;

static csm_status survey_state(csm_partial **out, const survey_family *f,
                               const int8_t *sc, const int32_t *g, size_t n,
                               int k) {
    if (f->kind == CSM_PARTIAL_NPS) {
        csm_nps_opts o = CSM_NPS_OPTS_INIT;
        o.confidence = k % 2 ? 0.9 : 0.95;
        return csm_nps_partial_compute(out, sc, g, n, &o, NULL);
    }
    if (f->kind == CSM_PARTIAL_CSAT) {
        csm_csat_opts o = CSM_CSAT_OPTS_INIT;
        o.top_box_min = 1 + k % 5;
        return csm_csat_partial_compute(out, sc, g, n, &o, NULL);
    }
    csm_ces_opts o = CSM_CES_OPTS_INIT;
    return csm_ces_partial_compute(out, sc, g, n, &o, NULL);
}

/* The one-shot table of the responses (codes: the distinct groups,
 * ascending, nc of them; none when g is NULL). */
static csm_result *survey_one_shot(const survey_family *f, const int8_t *sc,
                                   const int32_t *g, size_t n,
                                   const int32_t *codes, size_t nc, int k) {
    if (f->kind == CSM_PARTIAL_NPS) {
        csm_nps_opts o = CSM_NPS_OPTS_INIT;
        o.confidence = k % 2 ? 0.9 : 0.95;
        csm_nps_results *t = NULL;
        if (g) {
            ck_assert_int_eq(csm_nps_by_group(&t, sc, NULL, g, n, &o, NULL),
                             CSM_OK);
        } else {
            csm_nps_result r;
            const int32_t all = CSM_CODE_ALL;
            ck_assert_int_eq(csm_nps(&r, sc, n, &o, NULL), CSM_OK);
            ck_assert_int_eq(csm_nps_table(&t, &r, &all, 1, NULL, NULL), CSM_OK);
        }
        return t->result;
    }
    /* per group: its scores in input order */
    size_t n_rows = g ? nc : 1;
    int8_t *x = malloc(n + 1);
    csm_csat_result *cr = malloc((n_rows + 1) * sizeof *cr);
    csm_ces_result *er = malloc((n_rows + 1) * sizeof *er);
    const int32_t all = CSM_CODE_ALL;
    for (size_t r = 0; r < n_rows; r++) {
        size_t m = 0;
        for (size_t i = 0; i < n; i++)
            if (!g || g[i] == codes[r])
                x[m++] = sc[i];
        if (f->kind == CSM_PARTIAL_CSAT) {
            csm_csat_opts o = CSM_CSAT_OPTS_INIT;
            o.top_box_min = 1 + k % 5;
            ck_assert_int_eq(csm_csat(&cr[r], x, m, &o, NULL), CSM_OK);
        } else {
            ck_assert_int_eq(csm_ces(&er[r], x, m, NULL, NULL), CSM_OK);
        }
    }
    csm_result *res;
    if (f->kind == CSM_PARTIAL_CSAT) {
        csm_csat_results *t = NULL;
        ck_assert_int_eq(csm_csat_table(&t, cr, g ? codes : &all, n_rows, NULL,
                                        NULL), CSM_OK);
        res = t->result;
    } else {
        csm_ces_results *t = NULL;
        ck_assert_int_eq(csm_ces_table(&t, er, g ? codes : &all, n_rows, NULL,
                                       NULL), CSM_OK);
        res = t->result;
    }
    free(x);
    free(cr);
    free(er);
    return res;
}

static csm_result *survey_finalize(const csm_partial *p) {
    switch (csm_partial_kind_of(p)) {
    case CSM_PARTIAL_NPS: {
        csm_nps_results *t = NULL;
        ck_assert_int_eq(csm_nps_partial_finalize(&t, p, NULL), CSM_OK);
        return t->result;
    }
    case CSM_PARTIAL_CSAT: {
        csm_csat_results *t = NULL;
        ck_assert_int_eq(csm_csat_partial_finalize(&t, p, NULL), CSM_OK);
        return t->result;
    }
    default: {
        csm_ces_results *t = NULL;
        ck_assert_int_eq(csm_ces_partial_finalize(&t, p, NULL), CSM_OK);
        return t->result;
    }
    }
}

static void survey_trial(const survey_family *f, int k, int one_each) {
    size_t n = rnd(80);
    int8_t sc[80];
    int32_t g[80], codes[80];
    const int grouped = k % 3 != 0;
    for (size_t i = 0; i < n; i++) {
        sc[i] = (int8_t)(f->lo + (int)rnd((uint32_t)(f->hi - f->lo + 1)));
        g[i] = (int32_t)rnd(5) * 1000 - 2000; /* 5 codes, some negative */
    }
    size_t nc = 0;
    for (int32_t c = -2000; c <= 2000; c += 1000)
        for (size_t i = 0; i < n; i++)
            if (g[i] == c) {
                codes[nc++] = c;
                break;
            }
    csm_result *want = survey_one_shot(f, sc, grouped ? g : NULL, n, codes,
                                       nc, k);
    int nparts = one_each ? (int)n + 1 : 1 + (int)rnd(6);
    csm_partial **s = malloc((size_t)nparts * sizeof *s);
    for (int q = 0; q < nparts; q++) {
        int8_t ps[80];
        int32_t pg[80];
        size_t m = 0;
        for (size_t i = 0; i < n; i++)
            if ((one_each ? (int)i : (int)((i * 7 + (size_t)k) % (size_t)nparts)) == q) {
                ps[m] = sc[i];
                pg[m++] = g[i];
            }
        ck_assert_int_eq(survey_state(&s[q], f, ps, grouped ? pg : NULL, m, k),
                         CSM_OK);
        if (rnd(2))
            through_bytes(&s[q]);
    }
    merge_shuffled(s, nparts);
    csm_result *got = survey_finalize(s[0]);
    same_table(want, got);
    csm_result_free(want);
    csm_result_free(got);
    for (int q = 0; q < nparts; q++)
        csm_partial_free(s[q]);
    free(s);
}

START_TEST(test_merge_surveys) {
    static const survey_family fams[3] = {
        {CSM_PARTIAL_NPS, 0, 10}, {CSM_PARTIAL_CSAT, 1, 5}, {CSM_PARTIAL_CES, 1, 7}};
    rng_state = 4242;
    for (int f = 0; f < 3; f++)
        for (int k = 0; k < 300; k++)
            survey_trial(&fams[f], k, k % 10 == 9);
    /* worked: NPS of 10, 9 (group 1) and 3 (group 2) from two parts:
     * group 1 = 2 promoters of 2: 100; group 2 = a detractor: -100 */
    const int8_t s1[] = {10, 3}, s2[] = {9};
    const int32_t g1[] = {1, 2}, g2[] = {1};
    csm_partial *a = NULL, *b = NULL;
    ck_assert_int_eq(csm_nps_partial_compute(&a, s1, g1, 2, NULL, NULL), CSM_OK);
    ck_assert_int_eq(csm_nps_partial_compute(&b, s2, g2, 1, NULL, NULL), CSM_OK);
    ck_assert_int_eq(csm_partial_merge(a, b, NULL), CSM_OK);
    csm_nps_results *t = NULL;
    ck_assert_int_eq(csm_nps_partial_finalize(&t, a, NULL), CSM_OK);
    ck_assert_uint_eq(t->n_rows, 2);
    ck_assert_int_eq(t->group[0], 1);
    ck_assert_double_eq(t->nps[0], 100);
    ck_assert_double_eq(t->n[0], 2);
    ck_assert_double_eq(t->nps[1], -100);
    csm_nps_results_free(t);
    /* errors: other options, other families, bad rows */
    csm_partial *c = NULL;
    csm_nps_opts o = CSM_NPS_OPTS_INIT;
    o.confidence = 0.8;
    csm_error e;
    ck_assert_int_eq(csm_nps_partial_compute(&c, s2, g2, 1, &o, NULL), CSM_OK);
    ck_assert_int_eq(csm_partial_merge(a, c, &e), CSM_EINVAL);
    ck_assert_str_eq(e.field, "opts");
    csm_partial_free(c);
    ck_assert_int_eq(csm_csat_partial_compute(&c, NULL, NULL, 0, NULL, NULL),
                     CSM_OK);
    ck_assert_int_eq(csm_partial_merge(a, c, &e), CSM_EINVAL);
    ck_assert_str_eq(e.field, "kind");
    csm_csat_results *ct = NULL;
    ck_assert_int_eq(csm_csat_partial_finalize(&ct, c, NULL), CSM_OK);
    ck_assert_uint_eq(ct->n_rows, 1); /* no groups: one row, empty */
    ck_assert_uint_eq(ct->flags[0], CSM_FLAG_EMPTY);
    csm_csat_results_free(ct);
    ck_assert_int_eq(csm_csat_partial_finalize(&ct, a, &e), CSM_EINVAL);
    ck_assert_str_eq(e.field, "partial");
    csm_partial_free(c);
    const int8_t bad[] = {11};
    const int32_t gall[] = {CSM_CODE_ALL};
    c = (csm_partial *)1;
    ck_assert_int_eq(csm_nps_partial_compute(&c, bad, NULL, 1, NULL, &e),
                     CSM_EDOMAIN);
    ck_assert_ptr_null(c);
    ck_assert_str_eq(e.field, "scores");
    ck_assert_int_eq(csm_nps_partial_compute(&c, s2, gall, 1, NULL, &e),
                     CSM_EDOMAIN);
    ck_assert_str_eq(e.field, "group");
    ck_assert_int_eq(csm_ces_partial_compute(&c, NULL, NULL, 2, NULL, &e),
                     CSM_EINVAL);
    ck_assert_str_eq(e.field, "scores");
    ck_assert_int_eq(csm_csat_partial_compute(NULL, s2, NULL, 1, NULL, &e),
                     CSM_EINVAL);
    ck_assert_str_eq(e.field, "out");
    csm_partial_free(a);
    csm_partial_free(b);
}
END_TEST

/* The survey states with each allocation failing in turn (compute, merge,
 * finalize): nothing leaks; expected: csm_nps_by_group on all. */
START_TEST(test_oom_surveys) {
    const int8_t sc[] = {10, 3, 9, 7, 0};
    const int32_t g[] = {1, 2, 1, 3, 2};
    csm_nps_results *want = NULL;
    ck_assert_int_eq(csm_nps_by_group(&want, sc, NULL, g, 5, NULL, NULL),
                     CSM_OK);
    int done = 0;
    for (long budget = 0; !done && budget < 50; budget++) {
        fail_ctx f = {budget, 0};
        csm_allocator al = {fail_alloc, fail_free, &f, NULL};
        csm_nps_opts o = CSM_NPS_OPTS_INIT;
        o.allocator = &al;
        csm_partial *a = NULL, *b = NULL;
        csm_nps_results *t = NULL;
        csm_status st = csm_nps_partial_compute(&a, sc, g, 2, &o, NULL);
        if (st == CSM_OK)
            st = csm_nps_partial_compute(&b, sc + 2, g + 2, 3, &o, NULL);
        if (st == CSM_OK)
            st = csm_partial_merge(a, b, NULL);
        if (st == CSM_OK)
            st = csm_nps_partial_finalize(&t, a, NULL);
        if (st == CSM_OK) {
            same_table(want->result, t->result);
            done = 1;
        } else {
            ck_assert_int_eq(st, CSM_ENOMEM);
        }
        csm_nps_results_free(t);
        csm_partial_free(a);
        csm_partial_free(b);
        ck_assert_int_eq(f.live, 0);
    }
    ck_assert(done);
    csm_nps_results_free(want);
}
END_TEST


/* The shape rules of each family (lib/partial.c, kind_rules), one
 * hand-crafted byte string each: a real state's bytes with one header
 * field (or key, or count) changed, which csm_partial_deserialize refuses
 * with CSM_EINVAL naming that field.  The offsets are those of the
 * format's header (version 3): magic 0, version 4, kind 8, keyed 12
 * (4 bytes each), params 16 (8 x 8 bytes), data_first 80, data_last 84,
 * lo 88, pad 92 (4 each), n_months 96, n_keys 104, n_ages 112, nm 120,
 * nc 128 (8 each); keys at 136 (8 bytes each, keyed only), then the sums
 * (16 bytes each) and the counts (8 bytes each). */
enum { H_KIND = 8, H_KEYED = 12, H_PARAMS = 16, H_DFIRST = 80, H_DLAST = 84,
       H_LO = 88, H_PAD = 92, H_NMONTHS = 96, H_NKEYS = 104, H_NAGES = 112,
       H_NM = 120, H_NC = 128, H_END = 136 };

/* The bytes of p (malloc'd), *n their length. */
static unsigned char *bytes_of(const csm_partial *p, size_t *n) {
    *n = csm_partial_serialized_size(p);
    unsigned char *b = malloc(*n);
    ck_assert_int_eq(csm_partial_serialize(b, *n, NULL, p, NULL), CSM_OK);
    return b;
}

/* b (n bytes) with the w bytes of v at off (and, len != n, cut or grown to
 * len bytes) are refused: CSM_EINVAL naming field. */
static void refused(const unsigned char *b, size_t n, size_t len, size_t off,
                    const void *v, size_t w, const char *field) {
    unsigned char *c = calloc(len > n ? len : n, 1);
    memcpy(c, b, n);
    memcpy(c + off, v, w);
    csm_partial *p = (csm_partial *)1;
    csm_error e;
    ck_assert_int_eq(csm_partial_deserialize(&p, c, len, NULL, &e), CSM_EINVAL);
    ck_assert_ptr_null(p);
    ck_assert_str_eq(e.field, field);
    free(c);
}
#define REFUSED(B, N, OFF, V, FIELD)                                           \
    do {                                                                       \
        __typeof__(V) v_ = (V);                                                \
        refused(B, N, N, OFF, &v_, sizeof v_, FIELD);                          \
    } while (0)

START_TEST(test_hostile_bytes) {
    const int64_t c[] = {1, 1, 2};
    const int32_t pm[] = {M(0), M(1), M(0)}, sg[] = {5, 5, 7};
    const double v[] = {10, 10, 5};
    csm_ledger *l = ledger_of(c, pm, v, NULL, 3, NULL);
    csm_ledger *ls = ledger_of(c, pm, v, sg, 3, NULL);
    size_t n, n2;
    unsigned char *b2;
    csm_partial *a = NULL;
    /* movements, by segment (keys 5 and 7; months M(-1)..M(2)) */
    csm_movements_opts mo = CSM_MOVEMENTS_OPTS_INIT;
    mo.by_segment = 1;
    ck_assert_int_eq(csm_movements_partial_compute(&a, ls, &mo, NULL), CSM_OK);
    unsigned char *b = bytes_of(a, &n);
    csm_partial_free(a);
    REFUSED(b, n, H_KIND, (int32_t)99, "buf.kind");
    REFUSED(b, n, H_KIND, (int32_t)0, "buf.kind");
    REFUSED(b, n, H_KIND, (int32_t)CSM_PARTIAL_RETENTION, "buf.nm");
    REFUSED(b, n, H_NC, (uint64_t)8, "buf.nc");
    REFUSED(b, n, H_KEYED, (int32_t)2, "buf.keyed");
    REFUSED(b, n, H_KEYED, (int32_t)0, "buf.keyed");        /* by_segment 1 */
    REFUSED(b, n, H_PARAMS + 4 * 8, (int64_t)0, "buf.keyed"); /* keyed 1 */
    REFUSED(b, n, H_PARAMS + 7 * 8, (int64_t)1, "buf.params");
    REFUSED(b, n, H_NAGES, (uint64_t)2, "buf.n_ages");
    REFUSED(b, n, H_NAGES, (uint64_t)0, "buf.n_ages");
    REFUSED(b, n, H_NMONTHS, (uint64_t)300000, "buf.n_months");
    REFUSED(b, n, H_NKEYS, (uint64_t)1 << 33, "buf.n_keys");
    REFUSED(b, n, H_LO, (int32_t)(INT32_MAX - 2), "buf.lo"); /* 4 months */
    REFUSED(b, n, H_END + 16, (double)INFINITY, "buf.sums");
    REFUSED(b, n, H_END + 24, (double)NAN, "buf.sums"); /* an error term */
    REFUSED(b, n, H_PAD, (int32_t)1, "buf.pad");
    REFUSED(b, n, H_DFIRST, (int32_t)M(5), "buf.data_first"); /* > last */
    REFUSED(b, n, H_DFIRST, (int32_t)CSM_MONTH_NONE, "buf.data_first");
    REFUSED(b, n, H_DLAST, (int32_t)INT32_MAX, "buf.data_first");
    REFUSED(b, n, H_END, (int64_t)7, "buf.keys");        /* 7, 7 */
    REFUSED(b, n, H_END + 8, (int64_t)1 << 40, "buf.keys"); /* not int32 */
    REFUSED(b, n, n - 8, (int64_t)-1, "buf.counts");
    REFUSED(b, n, n - 8, ((int64_t)1 << 40) + 1, "buf.counts");
    /* movements' grid covers its range (M(-1)..M(2) for data M(0)..M(1));
     * an explicit range past it, or a month param that is no int32 */
    REFUSED(b, n, H_PARAMS + 6 * 8, (int64_t)M(3), "buf.n_months");
    REFUSED(b, n, H_PARAMS + 5 * 8, (int64_t)M(-1), "buf.n_months");
    REFUSED(b, n, H_PARAMS + 5 * 8, (int64_t)1 << 40, "buf.params");
    REFUSED(b, n, H_LO, (int32_t)M(0), "buf.n_months");
    /* the size the header announces, then the bytes themselves */
    refused(b, n, n - 1, 0, b, 0, "buf");
    refused(b, n, n + 8, 0, b, 0, "buf");
    free(b);
    /* one explicit end of the range far from the data: the one-shot
     * call's range too long, so the partition's (not a grid of 2^31
     * months) */
    mo.first_month = INT32_MIN + 2;
    csm_error e0;
    a = (csm_partial *)1;
    ck_assert_int_eq(csm_movements_partial_compute(&a, ls, &mo, &e0), CSM_ERANGE);
    ck_assert_ptr_null(a);
    ck_assert_str_eq(e0.field, "opts.last_month");
    csm_movements *mm = NULL;
    ck_assert_int_eq(csm_movements_compute(&mm, ls, &mo, &e0), CSM_ERANGE);
    /* a range at the first int32 month: its grid starts at INT32_MIN, a
     * month, not CSM_MONTH_NONE (no grid before, which deserialize then
     * refused: fuzz-partial); the state's table is the one-shot's */
    mo.first_month = mo.last_month = INT32_MIN + 1;
    ck_assert_int_eq(csm_movements_partial_compute(&a, ls, &mo, NULL), CSM_OK);
    b2 = bytes_of(a, &n2);
    csm_partial *rb = NULL;
    ck_assert_int_eq(csm_partial_deserialize(&rb, b2, n2, NULL, NULL), CSM_OK);
    csm_movements *m1 = NULL;
    ck_assert_int_eq(csm_movements_partial_finalize(&m1, rb, NULL), CSM_OK);
    ck_assert_int_eq(csm_movements_compute(&mm, ls, &mo, NULL), CSM_OK);
    same_table(mm->result, m1->result);
    ck_assert_uint_eq(m1->n_rows, 2); /* a month, 2 segments */
    csm_movements_free(m1);
    csm_movements_free(mm);
    csm_partial_free(rb);
    csm_partial_free(a);
    free(b2);
    /* a range that ends before the data: no grid, and bytes read back
     * (the range is empty: nothing to cover); finalize is the one-shot's
     * CSM_EINVAL */
    mo.first_month = CSM_MONTH_NONE;
    mo.last_month = M(-1);
    ck_assert_int_eq(csm_movements_partial_compute(&a, ls, &mo, NULL), CSM_OK);
    b2 = bytes_of(a, &n2);
    ck_assert_int_eq(csm_partial_deserialize(&rb, b2, n2, NULL, NULL), CSM_OK);
    ck_assert_int_eq(csm_movements_partial_finalize(&m1, rb, NULL), CSM_EINVAL);
    ck_assert_int_eq(csm_movements_compute(&mm, ls, &mo, NULL), CSM_EINVAL);
    csm_partial_free(rb);
    csm_partial_free(a);
    free(b2);
    /* movements not by segment: one key */
    ck_assert_int_eq(csm_movements_partial_compute(&a, l, NULL, NULL), CSM_OK);
    b = bytes_of(a, &n);
    csm_partial_free(a);
    REFUSED(b, n, H_NKEYS, (uint64_t)2, "buf.n_keys");
    REFUSED(b, n, H_PARAMS + 4 * 8, (int64_t)1, "buf.keyed");
    free(b);
    /* cohorts, unkeyed (by_segment 0), then by_segment set to 1 (the
     * finalize read the keys that are not there: a crash before) */
    ck_assert_int_eq(csm_cohorts_partial_compute(&a, l, NULL, NULL), CSM_OK);
    b = bytes_of(a, &n);
    csm_partial_free(a);
    REFUSED(b, n, H_PARAMS + 8, (int64_t)1, "buf.keyed");
    REFUSED(b, n, H_PARAMS + 5 * 8, (int64_t)1, "buf.params");
    free(b);
    /* lifetimes: always keyed; keyed 0 with the key dropped */
    ck_assert_int_eq(csm_lifetimes_partial_compute(&a, l, NULL, NULL), CSM_OK);
    b = bytes_of(a, &n);
    csm_partial_free(a);
    int32_t keyed = 0;
    memcpy(b + H_KEYED, &keyed, 4);
    memmove(b + H_END, b + H_END + 8, n - H_END - 8);
    refused(b, n - 8, n - 8, H_KEYED, &keyed, 4, "buf.keyed");
    free(b);
    /* NPS by group (codes 3, 4): one month, lo 0, no data months, the
     * scale's 11 scores, codes not CSM_CODE_ALL */
    const int8_t sc[] = {9, 10, 0};
    const int32_t gr[] = {3, 4, 3};
    ck_assert_int_eq(csm_nps_partial_compute(&a, sc, gr, 3, NULL, NULL), CSM_OK);
    b = bytes_of(a, &n);
    csm_partial_free(a);
    REFUSED(b, n, H_NMONTHS, (uint64_t)2, "buf.n_months");
    REFUSED(b, n, H_LO, (int32_t)1, "buf.lo");
    REFUSED(b, n, H_DFIRST, (int32_t)M(0), "buf.data_first");
    REFUSED(b, n, H_PARAMS + 2 * 8, (int64_t)9, "buf.n_ages"); /* scale 0..9 */
    REFUSED(b, n, H_PARAMS + 2 * 8, (int64_t)1000, "buf.n_ages");
    REFUSED(b, n, H_PARAMS + 4 * 8, (int64_t)1, "buf.params");
    REFUSED(b, n, H_END, (int64_t)CSM_CODE_ALL, "buf.keys");
    free(b);
    /* a CSAT scale of 1,001 scores travels (int32 ends); one of over
     * 240,002 has no state */
    csm_csat_opts cso = CSM_CSAT_OPTS_INIT;
    cso.scale_min = 0;
    cso.scale_max = 1000;
    cso.top_box_min = 900;
    ck_assert_int_eq(csm_csat_partial_compute(&a, sc, gr, 3, &cso, NULL), CSM_OK);
    b = bytes_of(a, &n);
    csm_partial_free(a);
    ck_assert_int_eq(csm_partial_deserialize(&a, b, n, NULL, NULL), CSM_OK);
    csm_partial_free(a);
    free(b);
    cso.scale_max = 240002;
    csm_error e1;
    ck_assert_int_eq(csm_csat_partial_compute(&a, sc, gr, 3, &cso, &e1), CSM_EINVAL);
    ck_assert_str_eq(e1.field, "opts.scale_max");
    /* activity: sums of counts (>= 0; NaN for a measure without data) */
    const int64_t ac[] = {11, 12};
    const double seats[] = {10, 4};
    csm_activity_rows rw = {ac, NULL, NULL, NULL, seats, NULL, NULL, NULL,
                            NULL, NULL, NULL, NULL, NULL, 2};
    ck_assert_int_eq(csm_activity_partial_compute(&a, &rw, NULL, NULL), CSM_OK);
    b = bytes_of(a, &n);
    csm_partial_free(a);
    REFUSED(b, n, H_END + 16, (double)-1, "buf.sums"); /* seats of 11 */
    REFUSED(b, n, H_DFIRST, (int32_t)M(0), "buf.data_first");
    free(b);
    /* the rules hold for what compute makes: every family's real bytes
     * read back */
    csm_partial *r = NULL;
    ck_assert_int_eq(csm_retention_partial_compute(&a, ls, NULL, NULL), CSM_OK);
    b = bytes_of(a, &n);
    ck_assert_int_eq(csm_partial_deserialize(&r, b, n, NULL, NULL), CSM_OK);
    /* retention's grid: the end months M(0) + W .. M(1) + W (window W) */
    REFUSED(b, n, H_PARAMS + 3 * 8, (int64_t)M(0), "buf.n_months");
    REFUSED(b, n, H_PARAMS, (int64_t)0, "buf.params"); /* window 0 */
    /* an explicit last end past the grid: the finalize's table would have
     * rows up to it (88 months x 2 segments from a 13-month grid; with
     * 300 keys and 120,000 months, gigabytes from kilobytes of bytes) */
    REFUSED(b, n, H_PARAMS + 4 * 8, (int64_t)M(100), "buf.n_months");
    csm_partial_free(r);
    csm_partial_free(a);
    free(b);
    /* ... while a state computed with that end has its grid up to it, and
     * reads back */
    csm_retention_opts ro = CSM_RETENTION_OPTS_INIT;
    ro.by_segment = 1;
    ro.last_month = M(100);
    ck_assert_int_eq(csm_retention_partial_compute(&a, ls, &ro, NULL), CSM_OK);
    b = bytes_of(a, &n);
    ck_assert_int_eq(csm_partial_deserialize(&r, b, n, NULL, NULL), CSM_OK);
    csm_retention *rt = NULL;
    ck_assert_int_eq(csm_retention_partial_finalize(&rt, r, NULL), CSM_OK);
    ck_assert_uint_eq(rt->n_rows, (size_t)(M(100) - M(12) + 1) * 2);
    csm_retention_free(rt);
    csm_partial_free(r);
    csm_partial_free(a);
    free(b);
    /* a merge past the count bound: CSM_ERANGE, into unchanged */
    ck_assert_int_eq(csm_movements_partial_compute(&a, l, NULL, NULL), CSM_OK);
    b = bytes_of(a, &n);
    int64_t big = (int64_t)1 << 40;
    memcpy(b + n - 8 * 9, &big, 8); /* a count of the last bucket (9 a bucket) */
    csm_partial *x = NULL, *y = NULL;
    ck_assert_int_eq(csm_partial_deserialize(&x, b, n, NULL, NULL), CSM_OK);
    ck_assert_int_eq(csm_partial_deserialize(&y, b, n, NULL, NULL), CSM_OK);
    csm_error e;
    ck_assert_int_eq(csm_partial_merge(x, y, &e), CSM_ERANGE);
    ck_assert_str_eq(e.field, "from");
    b2 = bytes_of(x, &n2);
    ck_assert_uint_eq(n2, n);
    ck_assert_mem_eq(b2, b, n);
    free(b2);
    /* ... past the months a grid holds (a state of year -170,000,000 read
     * from bytes: its grid's months are any int32 months) */
    int32_t far = INT32_MIN; /* and no data months: no range to cover */
    memcpy(b + H_LO, &far, 4);
    memcpy(b + H_DFIRST, &far, 4);
    memcpy(b + H_DLAST, &far, 4);
    csm_partial *z = NULL;
    ck_assert_int_eq(csm_partial_deserialize(&z, b, n, NULL, &e), CSM_OK);
    ck_assert_int_eq(csm_partial_merge(x, z, &e), CSM_ERANGE);
    ck_assert_str_eq(e.field, "from");
    csm_partial_free(z);
    csm_partial_free(x);
    csm_partial_free(y);
    csm_partial_free(a);
    free(b);
    csm_ledger_free(l);
    csm_ledger_free(ls);
}
END_TEST

/* Kaplan-Meier counts, worked by hand.  Partition 1: A=1 active in M0,
 * M1.  Partition 2: B=2 active M0..M3, C=3 active in M2 only.  The data
 * end in M3 (partition 1 alone ends in M1, so A's run ending there is
 * settled only when merged): A churns in M2 (duration 2, event), B is
 * still active (censored at 4), C churns in M3 (duration 1, event).
 * Times 1, 2, 4: at risk 3, 2, 1; events 1, 1, 0; censored 0, 0, 1;
 * S = 2/3, 1/3, 1/3; Greenwood se at 1: S sqrt(1 / (3 x 2)). */
START_TEST(test_hand_km) {
    const int64_t c1[] = {1, 1}, c2[] = {2, 2, 2, 2, 3};
    const int32_t p1[] = {M(0), M(1)}, p2[] = {M(0), M(1), M(2), M(3), M(2)};
    const double v1[] = {10, 10}, v2[] = {5, 5, 5, 5, 7};
    csm_ledger *l1 = ledger_of(c1, p1, v1, NULL, 2, NULL);
    csm_ledger *l2 = ledger_of(c2, p2, v2, NULL, 5, NULL);
    csm_partial *a = NULL, *b = NULL;
    ck_assert_int_eq(csm_lifetimes_partial_compute(&a, l1, NULL, NULL), CSM_OK);
    ck_assert_int_eq(csm_lifetimes_partial_compute(&b, l2, NULL, NULL), CSM_OK);
    ck_assert_int_eq(csm_partial_kind_of(a), CSM_PARTIAL_LIFETIMES);
    ck_assert_int_eq(csm_partial_merge(a, b, NULL), CSM_OK);
    csm_km *k = NULL;
    ck_assert_int_eq(csm_lifetimes_partial_km(&k, a, 0, NULL, NULL), CSM_OK);
    ck_assert_uint_eq(k->n_rows, 3);
    const double t[] = {1, 2, 4}, nr[] = {3, 2, 1}, ne[] = {1, 1, 0},
                 nc[] = {0, 0, 1}, sv[] = {2.0 / 3, 1.0 / 3, 1.0 / 3};
    for (int i = 0; i < 3; i++) {
        ck_assert_double_eq(k->time[i], t[i]);
        ck_assert_double_eq(k->n_risk[i], nr[i]);
        ck_assert_double_eq(k->n_event[i], ne[i]);
        ck_assert_double_eq(k->n_censor[i], nc[i]);
        ck_assert_double_eq_tol(k->surv[i], sv[i], 1e-15);
    }
    ck_assert_double_eq_tol(k->se[0], 2.0 / 3 * sqrt(1.0 / 6), 1e-15);
    csm_km_free(k);
    /* partition 1 alone: A's run reaches its data's end, so censored */
    csm_partial_free(b);
    ck_assert_int_eq(csm_lifetimes_partial_compute(&b, l1, NULL, NULL), CSM_OK);
    ck_assert_int_eq(csm_lifetimes_partial_km(&k, b, 0, NULL, NULL), CSM_OK);
    ck_assert_uint_eq(k->n_rows, 1);
    ck_assert_double_eq(k->n_censor[0], 1);
    csm_km_free(k);
    /* errors: another family's state; bad KM options */
    csm_error e;
    csm_partial *c = NULL;
    ck_assert_int_eq(csm_cohorts_partial_compute(&c, l1, NULL, NULL), CSM_OK);
    ck_assert_int_eq(csm_lifetimes_partial_km(&k, c, 0, NULL, &e), CSM_EINVAL);
    ck_assert_str_eq(e.field, "partial");
    csm_km_opts ko = CSM_KM_OPTS_INIT;
    ko.level = 1.5;
    ck_assert_int_eq(csm_lifetimes_partial_km(&k, a, 0, &ko, &e), CSM_EINVAL);
    ck_assert_ptr_null(k);
    csm_partial_free(a);
    csm_partial_free(b);
    csm_partial_free(c);
    csm_ledger_free(l1);
    csm_ledger_free(l2);
}
END_TEST

/* The KM state's compute and finalize with each allocation failing in
 * turn: nothing leaks; expected: the one-shot km_one (lifetimes + KM). */
START_TEST(test_oom_km) {
    const int64_t c[] = {1, 1, 2, 2, 3};
    const int32_t p[] = {M(0), M(1), M(0), M(3), M(1)};
    const double v[] = {10, 20, 5, 4, 9};
    const int32_t sg[] = {1, 1, 2, 2, 1};
    csm_ledger *all = ledger_of(c, p, v, sg, 5, NULL);
    csm_result *want = NULL;
    ck_assert_int_eq(km_one(&want, all, 1), CSM_OK); /* by segment */
    int done = 0;
    for (long budget = 0; !done && budget < 50; budget++) {
        fail_ctx f = {-1, 0};
        csm_allocator al = {fail_alloc, fail_free, &f, NULL};
        csm_ledger_opts lo = CSM_LEDGER_OPTS_INIT;
        lo.allocator = &al;
        csm_ledger *l = NULL;
        ck_assert_int_eq(csm_ledger_new(&l, c, p, v, sg, 5, &lo, NULL), CSM_OK);
        f.budget = budget;
        csm_partial *st = NULL;
        csm_result *got = NULL;
        csm_status s1 = km_state(&st, l, 1);
        if (s1 == CSM_OK)
            s1 = km_fin(&got, st);
        if (s1 == CSM_OK) {
            same_table(want, got);
            done = 1;
        } else {
            ck_assert_int_eq(s1, CSM_ENOMEM);
        }
        csm_result_free(got);
        csm_partial_free(st);
        csm_ledger_free(l);
        ck_assert_int_eq(f.live, 0);
    }
    ck_assert(done);
    csm_result_free(want);
    csm_ledger_free(all);
}
END_TEST


/* ---- activity ------------------------------------------------------------ */
/* Random activity rows (accounts among 12 ids, some large or negative;
 * roles, segments, cohorts, stages and categories per row; each count
 * column given or not; values multiples of 1/8 or thirds; NaN with
 * nan_missing; parts above their whole with clamp), for every group_by:
 * the accounts dealt to random parts (some empty; or one account a part),
 * each part's state (half of them through bytes) merged in a random
 * order and finalized, against csm_activity_compute on all the rows:
 * both tables equal, counts and flags exactly, doubles to 1e-12. */
#define ACT_MAX 60
typedef struct {
    size_t n;
    int64_t acc[ACT_MAX];
    int32_t role[ACT_MAX], seg[ACT_MAX], coh[ACT_MAX], stage[ACT_MAX],
        cat[ACT_MAX];
    double v[9][ACT_MAX];
} act_rows;

/* The rows' columns (cols: bit c = count column c given). */
static csm_activity_rows act_view(const act_rows *r, unsigned cols) {
    csm_activity_rows v = {r->acc, r->role, r->seg, r->coh, NULL, NULL, NULL,
                           NULL, NULL, NULL, NULL, NULL, NULL, r->n};
    const double **c[9] = {&v.licensed_seats, &v.activated_seats,
                           &v.active_users,   &v.sessions,
                           &v.minutes,        &v.features_used,
                           &v.features_available, &v.dau, &v.mau};
    for (int k = 0; k < 9; k++)
        if (cols >> k & 1)
            *c[k] = r->v[k];
    return v;
}

static void act_trial(int k, int one_each) {
    static const int64_t ids[12] = {1, 2, 3, 7, 42, -5, 1000000000000LL,
                                    1000000000001LL, INT64_MAX, INT64_MIN,
                                    99, 100};
    act_rows r;
    r.n = rnd(ACT_MAX + 1);
    const int clamp = (int)rnd(2), nan_missing = rnd(4) == 0;
    const double unit = rnd(2) ? 0.125 : 1.0 / 3.0;
    for (size_t i = 0; i < r.n; i++) {
        r.acc[i] = ids[rnd(12)];
        r.role[i] = (int32_t)rnd(3);
        r.seg[i] = (int32_t)rnd(3) - 1;
        r.coh[i] = M((int32_t)rnd(20));
        r.stage[i] = (int32_t)rnd(4);
        r.cat[i] = (int32_t)rnd(3) * 10;
        for (int c = 0; c < 9; c++)
            r.v[c][i] = unit * rnd(rnd(5) ? 400 : 2); /* zeros too */
        if (!clamp) { /* each part at most its whole */
            r.v[1][i] = fmin(r.v[1][i], r.v[0][i]); /* activated <= licensed */
            r.v[2][i] = fmin(r.v[2][i], r.v[0][i]); /* active <= licensed */
            r.v[5][i] = fmin(r.v[5][i], r.v[6][i]); /* used <= available */
            r.v[7][i] = fmin(r.v[7][i], r.v[8][i]); /* dau <= mau */
        }
        if (nan_missing && rnd(8) == 0)
            r.v[rnd(9)][i] = NAN;
    }
    unsigned cols = 0;
    for (int c = 0; c < 9; c++)
        cols |= (rnd(4) ? 1u : 0u) << c;
    csm_activity_opts o = CSM_ACTIVITY_OPTS_INIT;
    o.group_by = k % 7;
    o.clamp = clamp;
    o.nan_missing = nan_missing;
    const int given_stage = rnd(2);
    if (o.group_by == CSM_ACTIVITY_BY_STAGE && !given_stage)
        o.month = M(24); /* stages by tenure, 4..24 months */
    csm_activity_rows all = act_view(&r, cols);
    o.stage = given_stage ? r.stage : NULL;
    o.category = rnd(2) ? r.cat : NULL;
    csm_activity *want = NULL;
    ck_assert_int_eq(csm_activity_compute(&want, &all, &o, NULL), CSM_OK);
    /* accounts to parts: by a random part an id, or part = the id's index */
    int part_of[12];
    int nparts = one_each ? 12 : 1 + (int)rnd(6);
    for (int a = 0; a < 12; a++)
        part_of[a] = one_each ? a : (int)rnd((uint32_t)nparts);
    csm_partial **s = malloc((size_t)nparts * sizeof *s);
    for (int q = 0; q < nparts; q++) {
        act_rows pr;
        int32_t pst[ACT_MAX], pcat[ACT_MAX];
        pr.n = 0;
        for (size_t i = 0; i < r.n; i++) {
            int a = 0;
            while (ids[a] != r.acc[i])
                a++;
            if (part_of[a] != q)
                continue;
            size_t m = pr.n++;
            pr.acc[m] = r.acc[i];
            pr.role[m] = r.role[i];
            pr.seg[m] = r.seg[i];
            pr.coh[m] = r.coh[i];
            pst[m] = r.stage[i];
            pcat[m] = r.cat[i];
            for (int c = 0; c < 9; c++)
                pr.v[c][m] = r.v[c][i];
        }
        csm_activity_opts po = o;
        po.stage = o.stage ? pst : NULL;
        po.category = o.category ? pcat : NULL;
        csm_activity_rows pv = act_view(&pr, cols);
        ck_assert_int_eq(csm_activity_partial_compute(&s[q], &pv, &po, NULL),
                         CSM_OK);
        if (rnd(2))
            through_bytes(&s[q]);
    }
    merge_shuffled(s, nparts);
    csm_activity *got = NULL;
    ck_assert_int_eq(csm_activity_partial_finalize(&got, s[0], NULL), CSM_OK);
    same_table(want->result, got->result);
    csm_activity_free(want);
    csm_activity_free(got);
    for (int q = 0; q < nparts; q++)
        csm_partial_free(s[q]);
    free(s);
}

START_TEST(test_merge_activity) {
    rng_state = 1818;
    for (int k = 0; k < 1400; k++)
        act_trial(k, k % 10 == 9);
}
END_TEST

/* Worked by hand, clamp on, columns licensed_seats, activated_seats and
 * active_users given (the other measures NaN), by segment:
 *   part 1: account 1 (segment 1), two rows: (lic 10, act 5, users 4) and
 *           (lic 0, act 2, users 1) -> its own sums 10, 7, 5: activation
 *           0.7, login 0.5;
 *   part 2: account 2 (segment 1): lic 30, act 15, users 3 -> 0.5, 0.1;
 *           account 3 (segment 2): lic 2, act 3, users 0 -> activation
 *           1.5, clamped to 1; login 0.
 * Segment 1: 2 accounts, sums 40, 22, 8; rates 22/40 = 0.55 and
 * 8/40 = 0.2; means (0.7 + 0.5)/2 = 0.6 and (0.5 + 0.1)/2 = 0.3.
 * Segment 2: 1 account, sums 2, 3, 0; activation rate 3/2 clamped to 1
 * (flag CLAMPED, as its mean 1), login rate 0 and mean 0. */
START_TEST(test_hand_activity) {
    const int64_t a1[] = {1, 1}, a2[] = {2, 3};
    const int32_t s1[] = {1, 1}, s2[] = {1, 2};
    const double l1[] = {10, 0}, l2[] = {30, 2};
    const double v1[] = {5, 2}, v2[] = {15, 3};
    const double u1[] = {4, 1}, u2[] = {3, 0};
    csm_activity_rows r1 = {a1, NULL, s1, NULL, l1, v1, u1, NULL, NULL,
                            NULL, NULL, NULL, NULL, 2};
    csm_activity_rows r2 = {a2, NULL, s2, NULL, l2, v2, u2, NULL, NULL,
                            NULL, NULL, NULL, NULL, 2};
    csm_activity_opts o = CSM_ACTIVITY_OPTS_INIT;
    o.group_by = CSM_ACTIVITY_BY_SEGMENT;
    o.clamp = 1;
    csm_partial *p1 = NULL, *p2 = NULL;
    ck_assert_int_eq(csm_activity_partial_compute(&p1, &r1, &o, NULL), CSM_OK);
    ck_assert_int_eq(csm_activity_partial_compute(&p2, &r2, &o, NULL), CSM_OK);
    ck_assert_int_eq(csm_partial_kind_of(p1), CSM_PARTIAL_ACTIVITY);
    ck_assert_int_eq(csm_partial_merge(p2, p1, NULL), CSM_OK);
    csm_activity *t = NULL;
    ck_assert_int_eq(csm_activity_partial_finalize(&t, p2, NULL), CSM_OK);
    ck_assert_uint_eq(t->n_rows, 2);
    ck_assert_int_eq(t->key[0], 1);
    ck_assert_int_eq(t->key[1], 2);
    ck_assert_int_eq(t->n_accounts[0], 2);
    ck_assert_int_eq(t->n_accounts[1], 1);
    ck_assert_double_eq(t->licensed_seats[0], 40);
    ck_assert_double_eq(t->activated_seats[0], 22);
    ck_assert_double_eq(t->active_users[0], 8);
    ck_assert(isnan(t->sessions[0]));
    const size_t A = CSM_ACTIVITY_ACTIVATION_RATE, L = CSM_ACTIVITY_LOGIN_RATE;
    const size_t N = CSM_ACTIVITY_N;
    ck_assert_double_eq_tol(t->rate[A], 0.55, 1e-15);
    ck_assert_double_eq_tol(t->rate[L], 0.2, 1e-15);
    ck_assert_double_eq_tol(t->mean[A], 0.6, 1e-15);
    ck_assert_double_eq_tol(t->mean[L], 0.3, 1e-15);
    ck_assert_uint_eq(t->measure_flags[A], 0);
    ck_assert(isnan(t->rate[CSM_ACTIVITY_STICKINESS]));
    ck_assert_double_eq(t->rate[N + A], 1);
    ck_assert_double_eq(t->mean[N + A], 1);
    ck_assert_uint_eq(t->measure_flags[N + A], CSM_FLAG_CLAMPED);
    ck_assert_double_eq(t->rate[N + L], 0);
    ck_assert_double_eq(t->mean[N + L], 0);
    ck_assert_uint_eq(t->flags[1], CSM_FLAG_CLAMPED);
    /* and the one-shot call on the four rows gives the same tables */
    const int64_t aa[] = {1, 1, 2, 3};
    const int32_t sa[] = {1, 1, 1, 2};
    const double la[] = {10, 0, 30, 2}, va[] = {5, 2, 15, 3}, ua[] = {4, 1, 3, 0};
    csm_activity_rows ra = {aa, NULL, sa, NULL, la, va, ua, NULL, NULL,
                            NULL, NULL, NULL, NULL, 4};
    csm_activity *w = NULL;
    ck_assert_int_eq(csm_activity_compute(&w, &ra, &o, NULL), CSM_OK);
    same_table(w->result, t->result);
    csm_activity_free(w);
    csm_activity_free(t);
    csm_partial_free(p1);
    csm_partial_free(p2);
}
END_TEST

/* Errors: the checks of csm_activity_compute at compute, other options or
 * other columns at merge, the wrong state or an account in two parts
 * (by account) at finalize, and the empty ALL row of a state of no rows. */
START_TEST(test_activity_errors) {
    const int64_t a[] = {1, 2};
    const double lic[] = {10, 4}, act[] = {5, 5};
    csm_activity_rows r = {a, NULL, NULL, NULL, lic, NULL, NULL, NULL, NULL,
                           NULL, NULL, NULL, NULL, 2};
    csm_error e;
    csm_partial *p = (csm_partial *)1, *q = NULL;
    ck_assert_int_eq(csm_activity_partial_compute(&p, NULL, NULL, &e),
                     CSM_EINVAL);
    ck_assert_ptr_null(p);
    ck_assert_str_eq(e.field, "rows");
    ck_assert_int_eq(csm_activity_partial_compute(NULL, &r, NULL, &e),
                     CSM_EINVAL);
    ck_assert_str_eq(e.field, "out");
    csm_activity_opts o = CSM_ACTIVITY_OPTS_INIT;
    o.group_by = 99;
    ck_assert_int_eq(csm_activity_partial_compute(&p, &r, &o, &e), CSM_EINVAL);
    ck_assert_str_eq(e.field, "opts.group_by");
    o.group_by = CSM_ACTIVITY_BY_STAGE;
    ck_assert_int_eq(csm_activity_partial_compute(&p, &r, &o, &e), CSM_EINVAL);
    ck_assert_str_eq(e.field, "opts.month");
    o = (csm_activity_opts)CSM_ACTIVITY_OPTS_INIT;
    r.activated_seats = act; /* 5 activated of 4 licensed, row 1 */
    ck_assert_int_eq(csm_activity_partial_compute(&p, &r, &o, &e), CSM_EDOMAIN);
    ck_assert_str_eq(e.field, "activated_seats");
    ck_assert_uint_eq(e.row, 1);
    ck_assert_ptr_null(p);
    o.clamp = 1;
    ck_assert_int_eq(csm_activity_partial_compute(&p, &r, &o, NULL), CSM_OK);
    /* other options, other columns */
    o.clamp = 0;
    r.activated_seats = NULL;
    ck_assert_int_eq(csm_activity_partial_compute(&q, &r, &o, NULL), CSM_OK);
    ck_assert_int_eq(csm_partial_merge(p, q, &e), CSM_EINVAL);
    ck_assert_str_eq(e.field, "opts");
    csm_partial_free(q);
    o.clamp = 1;
    ck_assert_int_eq(csm_activity_partial_compute(&q, &r, &o, NULL), CSM_OK);
    ck_assert_int_eq(csm_partial_merge(p, q, &e), CSM_EINVAL);
    ck_assert_str_eq(e.field, "opts"); /* activated_seats given in p only */
    csm_partial_free(q);
    /* account 1 in two parts, by account: detected at finalize */
    r.activated_seats = act;
    r.n = 1;
    ck_assert_int_eq(csm_activity_partial_compute(&q, &r, &o, NULL), CSM_OK);
    ck_assert_int_eq(csm_partial_merge(p, q, NULL), CSM_OK);
    csm_activity *t = (csm_activity *)1;
    ck_assert_int_eq(csm_activity_partial_finalize(&t, p, &e), CSM_EINVAL);
    ck_assert_ptr_null(t);
    ck_assert_str_eq(e.field, "partial");
    ck_assert_int_eq(csm_activity_partial_finalize(NULL, p, &e), CSM_EINVAL);
    ck_assert_str_eq(e.field, "out");
    csm_partial_free(q);
    csm_partial_free(p);
    /* a state of another family */
    const int8_t sc[] = {9};
    ck_assert_int_eq(csm_nps_partial_compute(&q, sc, NULL, 1, NULL, NULL),
                     CSM_OK);
    ck_assert_int_eq(csm_activity_partial_finalize(&t, q, &e), CSM_EINVAL);
    ck_assert_str_eq(e.field, "partial");
    csm_partial_free(q);
    /* no rows, all rows in one: the single empty row of csm_activity_compute
     * (sums 0, NaN for a column not given; flags EMPTY | ZERO_DENOMINATOR) */
    o = (csm_activity_opts)CSM_ACTIVITY_OPTS_INIT;
    o.group_by = CSM_ACTIVITY_ALL;
    r.n = 0;
    ck_assert_int_eq(csm_activity_partial_compute(&q, &r, &o, NULL), CSM_OK);
    ck_assert_int_eq(csm_activity_partial_finalize(&t, q, NULL), CSM_OK);
    ck_assert_uint_eq(t->n_rows, 1);
    ck_assert_int_eq(t->key[0], 0);
    ck_assert_double_eq(t->licensed_seats[0], 0);
    ck_assert(isnan(t->minutes[0]));
    ck_assert_uint_eq(t->flags[0], CSM_FLAG_EMPTY | CSM_FLAG_ZERO_DENOMINATOR);
    csm_activity *w = NULL;
    ck_assert_int_eq(csm_activity_compute(&w, &r, &o, NULL), CSM_OK);
    same_table(w->result, t->result);
    csm_activity_free(w);
    csm_activity_free(t);
    csm_partial_free(q);
}
END_TEST

/* The activity state with each allocation failing in turn: compute, merge
 * (growing the keys), serialize, deserialize and finalize; nothing leaks
 * and the state merged into is unchanged on failure.  Expected:
 * csm_activity_compute on all the rows. */
START_TEST(test_oom_activity) {
    const int64_t a[] = {5, 5, 9, 7, 1000000000000LL};
    const int32_t sg[] = {1, 2, 1, 3, 2};
    const double lic[] = {10, 4, 8, 0, 6}, act[] = {5, 1, 8, 0, 2};
    csm_activity_rows all = {a, NULL, sg, NULL, lic, act, NULL, NULL, NULL,
                             NULL, NULL, NULL, NULL, 5};
    csm_activity_rows r1 = all, r2 = all;
    r1.n = 2; /* account 5 */
    r2.account_id = a + 2;
    r2.segment = sg + 2;
    r2.licensed_seats = lic + 2;
    r2.activated_seats = act + 2;
    r2.n = 3;
    for (int by = 0; by <= CSM_ACTIVITY_BY_SEGMENT; by++) {
        csm_activity_opts o = CSM_ACTIVITY_OPTS_INIT;
        o.group_by = by;
        csm_activity *want = NULL;
        ck_assert_int_eq(csm_activity_compute(&want, &all, &o, NULL), CSM_OK);
        csm_partial *b = NULL;
        ck_assert_int_eq(csm_activity_partial_compute(&b, &r2, &o, NULL), CSM_OK);
        int done = 0;
        for (long budget = 0; !done && budget < 60; budget++) {
            fail_ctx f = {budget, 0};
            csm_allocator al = {fail_alloc, fail_free, &f, NULL};
            o.allocator = &al;
            csm_partial *p = NULL, *r = NULL;
            csm_activity *t = NULL;
            void *buf = NULL;
            csm_status st = csm_activity_partial_compute(&p, &r1, &o, NULL);
            if (st == CSM_OK) {
                size_t n0 = csm_partial_serialized_size(p);
                st = csm_partial_merge(p, b, NULL);
                if (st != CSM_OK) /* unchanged */
                    ck_assert_uint_eq(csm_partial_serialized_size(p), n0);
            }
            if (st == CSM_OK) {
                size_t n = csm_partial_serialized_size(p);
                buf = malloc(n);
                ck_assert_int_eq(csm_partial_serialize(buf, n, NULL, p, NULL),
                                 CSM_OK);
                st = csm_partial_deserialize(&r, buf, n, &al, NULL);
            }
            if (st == CSM_OK)
                st = csm_activity_partial_finalize(&t, r, NULL);
            if (st == CSM_OK) {
                same_table(want->result, t->result);
                done = 1;
            } else {
                ck_assert_int_eq(st, CSM_ENOMEM);
            }
            free(buf);
            csm_activity_free(t);
            csm_partial_free(r);
            csm_partial_free(p);
            ck_assert_int_eq(f.live, 0);
        }
        ck_assert(done);
        csm_partial_free(b);
        csm_activity_free(want);
    }
}
END_TEST

static Suite *partial_suite(void) {
    Suite *s = suite_create("partial");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_hand_two_partitions);
    tcase_add_test(tc, test_hand_cohorts);
    tcase_add_test(tc, test_hostile_bytes);
    tcase_add_test(tc, test_errors);
    tcase_add_test(tc, test_merge_random_partitions);
    tcase_add_test(tc, test_merge_one_customer_each);
    tcase_add_test(tc, test_oom);
    tcase_add_test(tc, test_oom_retention);
    tcase_add_test(tc, test_oom_cohorts);
    tcase_add_test(tc, test_merge_surveys);
    tcase_add_test(tc, test_oom_surveys);
    tcase_add_test(tc, test_hand_km);
    tcase_add_test(tc, test_oom_km);
    tcase_add_test(tc, test_merge_activity);
    tcase_add_test(tc, test_hand_activity);
    tcase_add_test(tc, test_activity_errors);
    tcase_add_test(tc, test_oom_activity);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) {
    SRunner *sr = srunner_create(partial_suite());
    srunner_run_all(sr, CK_NORMAL);
    int nf = srunner_ntests_failed(sr);
    srunner_free(sr);
    return nf ? EXIT_FAILURE : EXIT_SUCCESS;
}
