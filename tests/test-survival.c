/* test-survival.c - Kaplan-Meier, lifetimes from a ledger, the
 * shifted-beta-geometric model and model-based LTV.
 *
 * Every expected value is either worked out by hand in the comment next to
 * it (exact fractions), taken from a cited published table, or computed by
 * an independent script (stated where used: /usr/bin/python3 with scipy /
 * mpmath, written separately from the C code).
 *
 * The results are self-describing tables (csmetrics/table.h): "km" and
 * "km_groups", "lifetimes", "sbg" and "sbg_curve"; the "result_tables"
 * case checks their descriptors against the header's documentation, the
 * values on the hand-worked and published fixtures above them, and their
 * Arrow export (nulls for undefined values).
 */
#include <check.h>
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "csmetrics/csmetrics.h"
#include "oom.h"
#include "tables.h"

#define TOL 1e-12
#define M(k) (csm_month(2024, 1) + (k))

/* ---- the 6-MP arm of Freireich et al. (1963) ----------------------------
 * Remission times in weeks of the 21 patients on 6-mercaptopurine
 * (Gehan 1965; MASS::gehan, KMsurv::drug6mp; * = censored):
 *   6 6 6 6* 7 9* 10 10* 11* 13 16 17* 19* 20* 22 23 25* 32* 32* 34* 35*
 * Published product-limit estimates (Chap T. Le, Introductory
 * Biostatistics, Wiley 2003, Table 11.1, p. 386; the same table is in
 * Kleinbaum & Klein, Survival Analysis: A Self-Learning Text, ch. 2):
 *   t     6      7      10     13     16     22     23
 *   S   .8571  .8067  .7529  .6902  .6275  .5378  .4482
 * Greenwood standard errors (Klein & Moeschberger 2003, Table 4.1A:
 * 0.0764 at 6, 0.1346 at 23) are re-derived by hand below. */
static const double mp_t[] = {6,  6,  6,  6,  7,  9,  10, 10, 11, 13, 16,
                              17, 19, 20, 22, 23, 25, 32, 32, 34, 35};
static const uint8_t mp_e[] = {1, 1, 1, 0, 1, 0, 1, 0, 0, 1, 1,
                               0, 0, 0, 1, 1, 0, 0, 0, 0, 0};
#define MP_N 21

static csm_km *km_ok(const double *t, const uint8_t *e, const double *w,
                     const int32_t *g, size_t n, const csm_km_opts *o) {
    csm_km *k = NULL;
    csm_error err;
    csm_status s = csm_km_compute(&k, t, e, w, g, n, o, &err);
    ck_assert_msg(s == CSM_OK, "%s", err.text);
    ck_assert_ptr_nonnull(k);
    return k;
}

/* ==== Kaplan-Meier ========================================================= */
START_TEST(test_km_6mp_table) {
    csm_km *k = km_ok(mp_t, mp_e, NULL, NULL, MP_N, NULL);
    ck_assert_uint_eq(k->n_groups, 1);
    ck_assert_int_eq(k->group[0], CSM_CODE_ALL);
    /* 16 distinct times: 6 7 9 10 11 13 16 17 19 20 22 23 25 32 34 35 */
    ck_assert_uint_eq(k->n_rows, 16);
    ck_assert_uint_eq(k->row_offset[0], 0);
    ck_assert_uint_eq(k->row_offset[1], 16);
    static const double tt[] = {6,  7,  9,  10, 11, 13, 16, 17,
                                19, 20, 22, 23, 25, 32, 34, 35};
    /* at risk: 21, then minus the d + c of the row before */
    static const double nr[] = {21, 17, 16, 15, 13, 12, 11, 10,
                                9,  8,  7,  6,  5,  4,  2,  1};
    static const double dd[] = {3, 1, 0, 1, 0, 1, 1, 0, 0, 0, 1, 1, 0, 0, 0, 0};
    static const double cc[] = {1, 0, 1, 1, 1, 0, 0, 1, 1, 1, 0, 0, 1, 2, 1, 1};
    /* S by hand: 18/21 = 6/7; x16/17 = 96/119; x14/15 = 64/85;
     * x11/12 = 176/255; x10/11 = 32/51; x6/7 = 64/119; x5/6 = 160/357 */
    const double s6 = 6.0 / 7, s7 = 96.0 / 119, s10 = 64.0 / 85,
                 s13 = 176.0 / 255, s16 = 32.0 / 51, s22 = 64.0 / 119,
                 s23 = 160.0 / 357;
    const double ss[] = {s6,  s7,  s7,  s10, s10, s13, s16, s16,
                         s16, s16, s22, s23, s23, s23, s23, s23};
    for (size_t i = 0; i < 16; i++) {
        ck_assert_double_eq_tol(k->time[i], tt[i], TOL);
        ck_assert_double_eq_tol(k->n_risk[i], nr[i], TOL);
        ck_assert_double_eq_tol(k->n_event[i], dd[i], TOL);
        ck_assert_double_eq_tol(k->n_censor[i], cc[i], TOL);
        ck_assert_double_eq_tol(k->surv[i], ss[i], TOL);
        ck_assert_uint_eq(k->flags[i], 0);
    }
    /* the published four-decimal table */
    static const size_t ev[] = {0, 1, 3, 5, 6, 10, 11};
    static const double pub[] = {.8571, .8067, .7529, .6902,
                                 .6275, .5378, .4482};
    for (size_t i = 0; i < 7; i++)
        ck_assert_double_eq_tol(k->surv[ev[i]], pub[i], 5e-5);
    /* Greenwood: V(6) = 3/(21*18) = 1/126, se = (6/7) sqrt(1/126) =
     * 0.076360 (published 0.0764); V(23) = 1/126 + 1/(17*16) + 1/(15*14)
     * + 1/(12*11) + 1/(11*10) + 1/(7*6) + 1/(6*5) = 0.0901844,
     * se = (160/357) sqrt(V) = 0.134591 (published 0.1346) */
    double v6 = 1.0 / 126;
    double v23 = v6 + 1.0 / 272 + 1.0 / 210 + 1.0 / 132 + 1.0 / 110 +
                 1.0 / 42 + 1.0 / 30;
    ck_assert_double_eq_tol(k->se[0], s6 * sqrt(v6), TOL);
    ck_assert_double_eq_tol(k->se[0], 0.0764, 5e-5);
    ck_assert_double_eq_tol(k->se[11], s23 * sqrt(v23), TOL);
    ck_assert_double_eq_tol(k->se[11], 0.1346, 5e-5);
    ck_assert_double_eq_tol(k->se[15], s23 * sqrt(v23), TOL); /* flat */
    /* log-log band at 95%, computed independently (separate Python
     * script, z = 1.959964): t=6 [0.619718, 0.951552], t=13 [0.431610,
     * 0.849066], t=23 [0.188052, 0.680143] */
    ck_assert_double_eq_tol(k->lower[0], 0.619718, 1e-6);
    ck_assert_double_eq_tol(k->upper[0], 0.951552, 1e-6);
    ck_assert_double_eq_tol(k->lower[5], 0.431610, 1e-6);
    ck_assert_double_eq_tol(k->upper[5], 0.849066, 1e-6);
    ck_assert_double_eq_tol(k->lower[11], 0.188052, 1e-6);
    ck_assert_double_eq_tol(k->upper[11], 0.680143, 1e-6);
    /* median: S(22) = .538 > .5, S(23) = .448 <= .5 -> 23 (published) */
    ck_assert_double_eq_tol(k->median[0], 23, TOL);
    /* median CI: lower band first <= .5 at 13 (.4316; at 10 it is
     * .5032); the upper band stays above .5 (.680 at the end): NaN */
    ck_assert_double_eq_tol(k->median_lower[0], 13, TOL);
    ck_assert(isnan(k->median_upper[0]));
    ck_assert_uint_eq(k->group_flags[0], CSM_FLAG_MEDIAN_UPPER_NOT_REACHED);
    /* restricted mean to the last time 35: 6 + 1 (6/7) + 3 (96/119) +
     * 3 (64/85) + 3 (176/255) + 6 (32/51) + 1 (64/119) + 12 (160/357)
     * = 23.287395 */
    double rm = 6 + s6 + 3 * s7 + 3 * s10 + 3 * s13 + 6 * s16 + s22 + 12 * s23;
    ck_assert_double_eq_tol(k->rmst[0], rm, TOL);
    ck_assert_double_eq_tol(k->rmst[0], 23.287395, 1e-6);
    ck_assert_double_eq_tol(k->horizon[0], 35, TOL);
    ck_assert_double_eq_tol(k->n_obs[0], 21, TOL);
    ck_assert_double_eq_tol(k->n_events[0], 9, TOL);
    ck_assert_double_eq_tol(k->level, 0.95, TOL);
    csm_km_free(k);
}
END_TEST

START_TEST(test_km_level_horizon) {
    csm_km_opts o = CSM_KM_OPTS_INIT;
    o.level = 0.90;
    o.horizon = 10;
    csm_km *k = km_ok(mp_t, mp_e, NULL, NULL, MP_N, &o);
    /* 90% band at t=6: z = 1.644854, s = sqrt(1/126)/|ln(6/7)| =
     * 0.0890871/0.1541507 = 0.577922; ln(-ln(6/7)) = -1.869825;
     * lower = exp(-exp(-1.869825 + 0.950604)) = exp(-0.398827) = 0.671107,
     * upper = exp(-exp(-2.820429)) = exp(-0.059579) = 0.942159 */
    ck_assert_double_eq_tol(k->lower[0], 0.671107, 2e-6);
    ck_assert_double_eq_tol(k->upper[0], 0.942159, 2e-6);
    ck_assert(k->lower[0] > 0.619718 && k->upper[0] < 0.951552);
    /* rmst to 10: 6 + 1 (6/7) + 3 (96/119) = 9.277311 */
    ck_assert_double_eq_tol(k->rmst[0], 6 + 6.0 / 7 + 3 * 96.0 / 119, TOL);
    ck_assert_double_eq_tol(k->horizon[0], 10, TOL);
    csm_km_free(k);
    /* horizon inside a step: 6 + 0.5 (6/7) = 6.428571 */
    o.horizon = 6.5;
    k = km_ok(mp_t, mp_e, NULL, NULL, MP_N, &o);
    ck_assert_double_eq_tol(k->rmst[0], 6 + 0.5 * 6.0 / 7, TOL);
    csm_km_free(k);
    /* before the first time: S = 1, area = horizon */
    o.horizon = 4;
    k = km_ok(mp_t, mp_e, NULL, NULL, MP_N, &o);
    ck_assert_double_eq_tol(k->rmst[0], 4, TOL);
    csm_km_free(k);
    /* beyond the last time: S stays 160/357; 23.287395 + 5 (160/357) */
    o.horizon = 40;
    k = km_ok(mp_t, mp_e, NULL, NULL, MP_N, &o);
    ck_assert_double_eq_tol(k->rmst[0], 23.287395 + 5 * 160.0 / 357, 1e-6);
    csm_km_free(k);
}
END_TEST

START_TEST(test_km_ties) {
    /* durations 1 2 2 2* 3* 4 (censored marked *), input shuffled.
     * t=1: n=6, d=1 -> S = 5/6
     * t=2: n=5 (the one censored at 2 is still at risk: events first),
     *      d=2, c=1 -> S = 5/6 * 3/5 = 1/2  (censor-first would give
     *      n=4 and S = 5/12)
     * t=3: n=2, c=1 -> S = 1/2
     * t=4: n=1, d=1 -> S = 0 (degenerate row: se and band NaN) */
    const double t[] = {2, 4, 1, 2, 3, 2};
    const uint8_t e[] = {1, 1, 1, 0, 0, 1};
    csm_km *k = km_ok(t, e, NULL, NULL, 6, NULL);
    ck_assert_uint_eq(k->n_rows, 4);
    ck_assert_double_eq_tol(k->n_risk[1], 5, TOL);
    ck_assert_double_eq_tol(k->n_event[1], 2, TOL);
    ck_assert_double_eq_tol(k->n_censor[1], 1, TOL);
    ck_assert_double_eq_tol(k->surv[0], 5.0 / 6, TOL);
    ck_assert_double_eq_tol(k->surv[1], 0.5, TOL);
    ck_assert_double_eq_tol(k->surv[2], 0.5, TOL);
    ck_assert_double_eq_tol(k->surv[3], 0.0, TOL);
    /* Greenwood at 2: V = 1/(6*5) + 2/(5*3) = 1/6, se = 0.5 sqrt(1/6) */
    ck_assert_double_eq_tol(k->se[1], 0.5 * sqrt(1.0 / 6), TOL);
    ck_assert(isnan(k->se[3]) && isnan(k->lower[3]) && isnan(k->upper[3]));
    ck_assert_uint_eq(k->flags[3], CSM_FLAG_DEGENERATE);
    ck_assert_uint_eq(k->flags[1], 0);
    /* median: S(2) = 0.5 <= 0.5 -> 2 */
    ck_assert_double_eq_tol(k->median[0], 2, TOL);
    /* rmst to 4: 1 + 5/6 + 1/2 + 1/2 = 2.833333 */
    ck_assert_double_eq_tol(k->rmst[0], 1 + 5.0 / 6 + 0.5 + 0.5, TOL);
    csm_km_free(k);
}
END_TEST

START_TEST(test_km_weights) {
    /* weights 2, 1, 3 on (1, event), (2, censored), (3, event) equal the
     * expanded sample 1 1 2* 3 3 3:
     * t=1: n=6, d=2 -> S = 2/3; t=2: n=4, c=1; t=3: n=3, d=3 -> S = 0.
     * A zero-weight observation (1.5, event) adds no row. */
    const double t[] = {1, 2, 3, 1.5};
    const uint8_t e[] = {1, 0, 1, 1};
    const double w[] = {2, 1, 3, 0};
    csm_km *k = km_ok(t, e, w, NULL, 4, NULL);
    ck_assert_uint_eq(k->n_rows, 3);
    ck_assert_double_eq_tol(k->n_risk[0], 6, TOL);
    ck_assert_double_eq_tol(k->n_event[0], 2, TOL);
    ck_assert_double_eq_tol(k->surv[0], 2.0 / 3, TOL);
    ck_assert_double_eq_tol(k->n_risk[1], 4, TOL);
    ck_assert_double_eq_tol(k->n_censor[1], 1, TOL);
    ck_assert_double_eq_tol(k->surv[1], 2.0 / 3, TOL);
    ck_assert_double_eq_tol(k->n_risk[2], 3, TOL);
    ck_assert_double_eq_tol(k->surv[2], 0.0, TOL);
    ck_assert_double_eq_tol(k->n_obs[0], 6, TOL);
    ck_assert_double_eq_tol(k->n_events[0], 5, TOL);
    /* Greenwood at 1 with weighted counts: 2/(6*4) = 1/12 */
    ck_assert_double_eq_tol(k->se[0], 2.0 / 3 * sqrt(1.0 / 12), TOL);
    /* the expanded, unweighted sample gives the same rows */
    const double tx[] = {1, 1, 2, 3, 3, 3};
    const uint8_t ex[] = {1, 1, 0, 1, 1, 1};
    csm_km *kx = km_ok(tx, ex, NULL, NULL, 6, NULL);
    ck_assert_uint_eq(kx->n_rows, 3);
    for (size_t i = 0; i < 3; i++) {
        ck_assert_double_eq_tol(kx->surv[i], k->surv[i], TOL);
        ck_assert_double_eq_tol(kx->n_risk[i], k->n_risk[i], TOL);
    }
    ck_assert_double_eq_tol(kx->se[0], k->se[0], TOL);
    ck_assert_double_eq_tol(kx->median[0], k->median[0], TOL);
    csm_km_free(kx);
    csm_km_free(k);
    /* fractional weights: 0.5 on each of (1, event), (2, event):
     * t=1: n=1, d=.5 -> S = .5; t=2: n=.5, d=.5 -> S = 0; median 1 */
    const double t2[] = {1, 2};
    const uint8_t e2[] = {1, 1};
    const double w2[] = {0.5, 0.5};
    k = km_ok(t2, e2, w2, NULL, 2, NULL);
    ck_assert_double_eq_tol(k->surv[0], 0.5, TOL);
    ck_assert_double_eq_tol(k->surv[1], 0.0, TOL);
    ck_assert_double_eq_tol(k->median[0], 1, TOL);
    csm_km_free(k);
}
END_TEST

START_TEST(test_km_groups) {
    /* group 2: 2, 2*, 5; group 1: 1, 3 (input interleaved)
     * group 1: t=1 n=2 d=1 S=1/2; t=3 n=1 d=1 S=0.  median 1.
     * group 2: t=2 n=3 d=1 c=1 S=2/3; t=5 n=1 d=1 S=0.  median 5.
     * overall: t=1 n=5 d=1 S=4/5; t=2 n=4 d=1 c=1 S=3/5; t=3 n=2 d=1
     *          S=3/10; t=5 n=1 d=1 S=0.  median 3. */
    const double t[] = {2, 1, 2, 3, 5};
    const uint8_t e[] = {1, 1, 0, 1, 1};
    const int32_t g[] = {2, 1, 2, 1, 2};
    csm_km *k = km_ok(t, e, NULL, g, 5, NULL);
    ck_assert_uint_eq(k->n_groups, 2);
    ck_assert_int_eq(k->group[0], 1);
    ck_assert_int_eq(k->group[1], 2);
    ck_assert_uint_eq(k->row_offset[0], 0);
    ck_assert_uint_eq(k->row_offset[1], 2);
    ck_assert_uint_eq(k->row_offset[2], 4);
    ck_assert_double_eq_tol(k->surv[0], 0.5, TOL);
    ck_assert_double_eq_tol(k->surv[1], 0.0, TOL);
    ck_assert_double_eq_tol(k->time[2], 2, TOL);
    ck_assert_double_eq_tol(k->n_risk[2], 3, TOL);
    ck_assert_double_eq_tol(k->surv[2], 2.0 / 3, TOL);
    ck_assert_double_eq_tol(k->surv[3], 0.0, TOL);
    ck_assert_double_eq_tol(k->median[0], 1, TOL);
    ck_assert_double_eq_tol(k->median[1], 5, TOL);
    ck_assert_double_eq_tol(k->n_obs[0], 2, TOL);
    ck_assert_double_eq_tol(k->n_obs[1], 3, TOL);
    /* rmst group 2 to 5: 2 x 1 + 3 x 2/3 = 4 */
    ck_assert_double_eq_tol(k->rmst[1], 4, TOL);
    csm_km_free(k);

    csm_km_opts o = CSM_KM_OPTS_INIT;
    o.include_overall = 1;
    k = km_ok(t, e, NULL, g, 5, &o);
    ck_assert_uint_eq(k->n_groups, 3);
    ck_assert_int_eq(k->group[0], CSM_CODE_ALL);
    ck_assert_int_eq(k->group[0], csm_code_all());
    ck_assert_int_eq(k->group[1], 1);
    ck_assert_int_eq(k->group[2], 2);
    ck_assert_uint_eq(k->row_offset[1], 4);
    const double so[] = {0.8, 0.6, 0.3, 0.0};
    const double no[] = {5, 4, 2, 1};
    for (size_t i = 0; i < 4; i++) {
        ck_assert_double_eq_tol(k->surv[i], so[i], TOL);
        ck_assert_double_eq_tol(k->n_risk[i], no[i], TOL);
    }
    ck_assert_double_eq_tol(k->median[0], 3, TOL);
    ck_assert_double_eq_tol(k->median[2], 5, TOL);
    csm_km_free(k);
}
END_TEST

START_TEST(test_km_at_times) {
    /* the 6-MP curve of test_km_6mp_table read at chosen times (in no
     * particular order, one repeated); by hand from the rows there:
     *   t = 0     before the first time 6: S = 1, band [1, 1], at risk 21
     *   t = 6     the row t = 6: S = 6/7, band [.619718, .951552], n = 21
     *   t = 12    last row <= 12 is t = 11 (S = 64/85); first row >= 12 is
     *             t = 13, n = 12
     *   t = 22.5  last row <= 22.5 is t = 22 (S = 64/119); at risk: t = 23,
     *             n = 6
     *   t = 40    past the last time 35: S stays 160/357, band of t = 35
     *             (= that of t = 23, [.188052, .680143]); at risk 0
     *   t = 6.5   S = 6/7 (row t = 6); at risk: row t = 7, n = 17
     *   t = 6     again */
    const double at[] = {0, 6, 12, 22.5, 40, 6.5, 6};
    csm_km_opts o = CSM_KM_OPTS_INIT;
    o.at_times = at;
    o.n_at_times = 7;
    csm_km *k = km_ok(mp_t, mp_e, NULL, NULL, MP_N, &o);
    ck_assert_uint_eq(k->n_at_times, 7);
    ck_assert_uint_eq(k->n_at_rows, 7);
    ck_assert_uint_eq(csm_result_find(k->result, "km_at")->n_rows, 7);
    const double ws[] = {1, 6.0 / 7, 64.0 / 85, 64.0 / 119, 160.0 / 357,
                         6.0 / 7, 6.0 / 7};
    const double wr[] = {21, 21, 12, 6, 0, 17, 21};
    for (size_t j = 0; j < 7; j++) {
        ck_assert_int_eq(k->at_group[j], CSM_CODE_ALL);
        ck_assert_double_eq_tol(k->at_time[j], at[j], TOL);
        ck_assert_double_eq_tol(k->at_surv[j], ws[j], TOL);
        ck_assert_double_eq_tol(k->at_risk[j], wr[j], TOL);
    }
    ck_assert_double_eq_tol(k->at_lower[0], 1, TOL);
    ck_assert_double_eq_tol(k->at_upper[0], 1, TOL);
    ck_assert_double_eq_tol(k->at_lower[1], 0.619718, 1e-6);
    ck_assert_double_eq_tol(k->at_upper[1], 0.951552, 1e-6);
    ck_assert_double_eq_tol(k->at_lower[4], 0.188052, 1e-6);
    ck_assert_double_eq_tol(k->at_upper[4], 0.680143, 1e-6);
    ck_assert_double_eq_tol(k->at_lower[6], 0.619718, 1e-6);
    csm_km_free(k);

    /* groups with the overall curve (the fixture of test_km_tables): row
     * g * 2 + j is curve g at at[j], curves overall, 1, 2.  By hand:
     *   overall rows t = 1, 2, 3, 5: n = 5, 4, 2, 1; S = 4/5, 3/5, 3/10, 0
     *     t = 2: S = 3/5, at risk 4;  t = 4: S = 3/10, at risk 1 (t = 5)
     *   group 1 rows t = 1, 3: n = 2, 1; S = 1/2, 0
     *     t = 2: S = 1/2, at risk 1;  t = 4: S = 0 (band NaN), at risk 0
     *   group 2 rows t = 2, 5: n = 3, 1; S = 2/3, 0
     *     t = 2: S = 2/3, at risk 3;  t = 4: S = 2/3, at risk 1 */
    const double t[] = {2, 1, 2, 3, 5};
    const uint8_t e[] = {1, 1, 0, 1, 1};
    const int32_t g[] = {2, 1, 2, 1, 2};
    const double at2[] = {2, 4};
    o.include_overall = 1;
    o.at_times = at2;
    o.n_at_times = 2;
    k = km_ok(t, e, NULL, g, 5, &o);
    ck_assert_uint_eq(k->n_at_rows, 6);
    const int32_t gg[] = {INT32_MIN, INT32_MIN, 1, 1, 2, 2};
    const double gs[] = {0.6, 0.3, 0.5, 0, 2.0 / 3, 2.0 / 3};
    const double gr[] = {4, 1, 1, 0, 3, 1};
    const csm_column *cg =
        csm_table_find(csm_result_find(k->result, "km_at"), "group");
    for (size_t i = 0; i < 6; i++) {
        ck_assert_int_eq(k->at_group[i], gg[i]);
        ck_assert_int_eq(csm_column_is_valid(cg, i), i >= 2);
        ck_assert_double_eq_tol(k->at_time[i], at2[i % 2], TOL);
        ck_assert_double_eq_tol(k->at_surv[i], gs[i], TOL);
        ck_assert_double_eq_tol(k->at_risk[i], gr[i], TOL);
    }
    ck_assert(isnan(k->at_lower[3]) && isnan(k->at_upper[3]));
    ck_assert(!isnan(k->at_lower[5]));
    csm_km_free(k);

    /* an empty curve: NaN survival and band, 0 at risk */
    const double one[] = {3};
    o.include_overall = 0;
    o.at_times = one;
    o.n_at_times = 1;
    k = km_ok(NULL, NULL, NULL, NULL, 0, &o);
    ck_assert_uint_eq(k->n_at_rows, 1);
    ck_assert(isnan(k->at_surv[0]) && isnan(k->at_lower[0]));
    ck_assert_double_eq_tol(k->at_risk[0], 0, TOL);
    csm_km_free(k);

    /* errors: times NULL with a count, negative or NaN times */
    csm_error err;
    k = (csm_km *)1;
    o.at_times = NULL;
    ck_assert_int_eq(csm_km_compute(&k, mp_t, mp_e, NULL, NULL, MP_N, &o,
                                    &err),
                     CSM_EINVAL);
    ck_assert_str_eq(err.field, "opts.at_times");
    ck_assert_ptr_null(k);
    const double bad[] = {1, -1}, bad2[] = {NAN};
    o.at_times = bad;
    o.n_at_times = 2;
    ck_assert_int_eq(csm_km_compute(&k, mp_t, mp_e, NULL, NULL, MP_N, &o,
                                    &err),
                     CSM_EDOMAIN);
    ck_assert_uint_eq(err.row, 1);
    ck_assert_str_eq(err.field, "opts.at_times");
    o.at_times = bad2;
    o.n_at_times = 1;
    ck_assert_int_eq(csm_km_compute(&k, mp_t, mp_e, NULL, NULL, MP_N, &o,
                                    &err),
                     CSM_EDOMAIN);
    ck_assert_uint_eq(err.row, 0);
}
END_TEST

START_TEST(test_km_errors) {
    csm_km *k = (csm_km *)1;
    csm_error err;
    const double t[] = {1, 2, -1, 4};
    const uint8_t e[] = {1, 0, 1, 1};
    ck_assert_int_eq(csm_km_compute(NULL, t, e, NULL, NULL, 2, NULL, &err),
                     CSM_EINVAL);
    ck_assert_int_eq(csm_km_compute(&k, NULL, e, NULL, NULL, 2, NULL, &err),
                     CSM_EINVAL);
    ck_assert_ptr_null(k);
    ck_assert_int_eq(csm_km_compute(&k, t, NULL, NULL, NULL, 2, NULL, &err),
                     CSM_EINVAL);
    ck_assert_str_eq(err.field, "event");
    ck_assert_int_eq(csm_km_compute(&k, t, e, NULL, NULL, 4, NULL, &err),
                     CSM_EDOMAIN);
    ck_assert_uint_eq(err.row, 2);
    ck_assert_str_eq(err.field, "duration");
    ck_assert_ptr_null(k);
    const double tn[] = {1, NAN};
    ck_assert_int_eq(csm_km_compute(&k, tn, e, NULL, NULL, 2, NULL, &err),
                     CSM_EDOMAIN);
    ck_assert_uint_eq(err.row, 1);
    const double ti[] = {INFINITY};
    ck_assert_int_eq(csm_km_compute(&k, ti, e, NULL, NULL, 1, NULL, &err),
                     CSM_EDOMAIN);
    const uint8_t e2[] = {1, 2};
    ck_assert_int_eq(csm_km_compute(&k, t, e2, NULL, NULL, 2, NULL, &err),
                     CSM_EDOMAIN);
    ck_assert_uint_eq(err.row, 1);
    ck_assert_str_eq(err.field, "event");
    const double w[] = {1, -0.5};
    ck_assert_int_eq(csm_km_compute(&k, t, e, w, NULL, 2, NULL, &err),
                     CSM_EDOMAIN);
    ck_assert_str_eq(err.field, "weight");
    ck_assert_uint_eq(err.row, 1);
    const double wn[] = {NAN, 1};
    ck_assert_int_eq(csm_km_compute(&k, t, e, wn, NULL, 2, NULL, &err),
                     CSM_EDOMAIN);
    ck_assert_uint_eq(err.row, 0);
    const int32_t g[] = {1, INT32_MIN};
    ck_assert_int_eq(csm_km_compute(&k, t, e, NULL, g, 2, NULL, &err),
                     CSM_EDOMAIN);
    ck_assert_str_eq(err.field, "group");
    csm_km_opts o = CSM_KM_OPTS_INIT;
    o.level = 1.0;
    ck_assert_int_eq(csm_km_compute(&k, t, e, NULL, NULL, 2, &o, &err),
                     CSM_EINVAL);
    ck_assert_str_eq(err.field, "opts.level");
    o.level = 0.0;
    ck_assert_int_eq(csm_km_compute(&k, t, e, NULL, NULL, 2, &o, &err),
                     CSM_EINVAL);
    o.level = NAN;
    ck_assert_int_eq(csm_km_compute(&k, t, e, NULL, NULL, 2, &o, &err),
                     CSM_EINVAL);
    o.level = 0.95;
    o.horizon = -1;
    ck_assert_int_eq(csm_km_compute(&k, t, e, NULL, NULL, 2, &o, &err),
                     CSM_EINVAL);
    ck_assert_str_eq(err.field, "opts.horizon");
    o.horizon = 0;
    o.size = 0;
    ck_assert_int_eq(csm_km_compute(&k, t, e, NULL, NULL, 2, &o, &err),
                     CSM_EINVAL);
    ck_assert_ptr_null(k);
    /* opts_init and an old caller's short struct */
    ck_assert_int_eq(csm_km_opts_init(NULL, sizeof o), CSM_EINVAL);
    ck_assert_int_eq(csm_km_opts_init(&o, sizeof o), CSM_OK);
    ck_assert_double_eq(o.level, 0.95);
    csm_km_opts shortopts;
    memset(&shortopts, 0, sizeof shortopts);
    shortopts.size = sizeof(size_t) + sizeof(double);
    shortopts.level = 0.90;
    shortopts.horizon = 99; /* beyond size: ignored */
    k = km_ok(mp_t, mp_e, NULL, NULL, MP_N, &shortopts);
    ck_assert_double_eq_tol(k->level, 0.90, TOL);
    ck_assert_double_eq_tol(k->horizon[0], 35, TOL);
    csm_km_free(k);
    csm_km_free(NULL);
}
END_TEST

/* ==== lifetimes from a ledger ============================================== */
/* Ledger months M0..M5 (segments in brackets):
 *   A=1 [1] M0..M5             -> active at the end: censored, 6 months
 *   B=2 [1] M0 M1              -> churn M2: duration 2, event
 *   C=3 [2] M1 M2 . M4 M5      -> churn M3 (the return is ignored): 2, event
 *   D=4 [2] M3 M4 M5           -> censored, 3
 *   E=5 [1] M5                 -> censored, 1
 *   F=6 [2] M2                 -> churn M3: 1, event
 *   G=7 [1] M0 (10) M1 (0) M2 (10) -> M1 inactive: churn M1: 1, event;
 *                                 with free_is_active: M0..M2, churn M3: 3 */
static const int64_t lt_c[] = {1, 1, 1, 1, 1, 1, 2, 2, 3, 3, 3, 3,
                               4, 4, 4, 5, 6, 7, 7, 7};
static const int32_t lt_m[] = {0, 1, 2, 3, 4, 5, 0, 1, 1, 2, 4, 5,
                               3, 4, 5, 5, 2, 0, 1, 2};
static const double lt_v[] = {10, 10, 10, 10, 10, 10, 20, 20, 5, 5, 5, 5,
                              7,  7,  7,  9,  3,  10, 0,  10};
static const int32_t lt_s[] = {1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2,
                               2, 2, 2, 1, 2, 1, 1, 1};
#define LT_N 20

static csm_ledger *lt_ledger(int free_is_active, const csm_allocator *a) {
    int32_t per[LT_N];
    for (size_t i = 0; i < LT_N; i++)
        per[i] = M(lt_m[i]);
    csm_ledger_opts o = CSM_LEDGER_OPTS_INIT;
    o.free_is_active = free_is_active;
    o.allocator = a;
    csm_ledger *l = NULL;
    csm_status s = csm_ledger_new(&l, lt_c, per, lt_v, lt_s, LT_N, &o, NULL);
    if (s != CSM_OK)
        return NULL;
    return l;
}

START_TEST(test_lifetimes) {
    csm_ledger *l = lt_ledger(0, NULL);
    ck_assert_ptr_nonnull(l);
    csm_lifetimes *lt = NULL;
    csm_error err;
    ck_assert_int_eq(csm_lifetimes_from_ledger(&lt, l, NULL, &err), CSM_OK);
    ck_assert_uint_eq(lt->n, 7);
    const int64_t id[] = {1, 2, 3, 4, 5, 6, 7};
    const int32_t f[] = {0, 0, 1, 3, 5, 2, 0};
    const int32_t sg[] = {1, 1, 2, 2, 1, 2, 1};
    const double d[] = {6, 2, 2, 3, 1, 1, 1};
    const uint8_t ev[] = {0, 1, 1, 0, 0, 1, 1};
    for (size_t i = 0; i < 7; i++) {
        ck_assert_int_eq(lt->customer_id[i], id[i]);
        ck_assert_int_eq(lt->first_month[i], M(f[i]));
        ck_assert_int_eq(lt->segment[i], sg[i]);
        ck_assert_double_eq_tol(lt->duration[i], d[i], TOL);
        ck_assert_uint_eq(lt->event[i], ev[i]);
    }
    /* KM over these lifetimes, by hand:
     * t=1: n=7 (all), d=2 (F, G), c=1 (E) -> S = 5/7
     * t=2: n=4 (A, B, C, D), d=2 (B, C) -> S = 5/7 * 2/4 = 5/14
     * t=3: n=2, c=1 (D); t=6: n=1, c=1 (A).  Median 2. */
    csm_km *k = km_ok(lt->duration, lt->event, NULL, NULL, lt->n, NULL);
    ck_assert_uint_eq(k->n_rows, 4);
    ck_assert_double_eq_tol(k->surv[0], 5.0 / 7, TOL);
    ck_assert_double_eq_tol(k->surv[1], 5.0 / 14, TOL);
    ck_assert_double_eq_tol(k->n_risk[1], 4, TOL);
    ck_assert_double_eq_tol(k->median[0], 2, TOL);
    csm_km_free(k);
    /* per segment: segment 1 = A(6*), B(2), E(1*), G(1):
     *   t=1 n=4 d=1 c=1 S=3/4; t=2 n=2 d=1 S=3/8; median 2
     * segment 2 = C(2), D(3*), F(1): t=1 n=3 d=1 S=2/3; t=2 n=2 d=1
     *   S=1/3; median 2 */
    k = km_ok(lt->duration, lt->event, NULL, lt->segment, lt->n, NULL);
    ck_assert_uint_eq(k->n_groups, 2);
    ck_assert_double_eq_tol(k->surv[0], 0.75, TOL);
    ck_assert_double_eq_tol(k->surv[1], 0.375, TOL);
    size_t r2 = k->row_offset[1];
    ck_assert_double_eq_tol(k->surv[r2], 2.0 / 3, TOL);
    ck_assert_double_eq_tol(k->surv[r2 + 1], 1.0 / 3, TOL);
    csm_km_free(k);
    csm_lifetimes_free(lt);

    /* as_of M3: A censored 4 (M0..M3); B 2 event; C 2 event (churn M3);
     * D censored 1; E left out (first month M5); F 1 event; G 1 event */
    csm_lifetimes_opts o = CSM_LIFETIMES_OPTS_INIT;
    o.as_of = M(3);
    ck_assert_int_eq(csm_lifetimes_from_ledger(&lt, l, &o, &err), CSM_OK);
    ck_assert_uint_eq(lt->n, 6);
    const int64_t id3[] = {1, 2, 3, 4, 6, 7};
    const double d3[] = {4, 2, 2, 1, 1, 1};
    const uint8_t e3[] = {0, 1, 1, 0, 1, 1};
    for (size_t i = 0; i < 6; i++) {
        ck_assert_int_eq(lt->customer_id[i], id3[i]);
        ck_assert_double_eq_tol(lt->duration[i], d3[i], TOL);
        ck_assert_uint_eq(lt->event[i], e3[i]);
    }
    csm_lifetimes_free(lt);
    /* as_of before the first month: nobody */
    o.as_of = M(-1);
    ck_assert_int_eq(csm_lifetimes_from_ledger(&lt, l, &o, &err), CSM_OK);
    ck_assert_uint_eq(lt->n, 0);
    csm_lifetimes_free(lt);
    csm_ledger_free(l);

    /* free_is_active: G active M0..M2 (M1 at $0), churn M3: 3, event */
    l = lt_ledger(1, NULL);
    ck_assert_int_eq(csm_lifetimes_from_ledger(&lt, l, NULL, &err), CSM_OK);
    ck_assert_uint_eq(lt->n, 7);
    ck_assert_double_eq_tol(lt->duration[6], 3, TOL);
    ck_assert_uint_eq(lt->event[6], 1);
    csm_lifetimes_free(lt);
    csm_ledger_free(l);

    /* the same rows without a segment column: the same lifetimes, every
     * customer in segment 0 (the ledger then keeps no segment column) */
    {
        int32_t per[LT_N];
        for (size_t i = 0; i < LT_N; i++)
            per[i] = M(lt_m[i]);
        ck_assert_int_eq(
            csm_ledger_new(&l, lt_c, per, lt_v, NULL, LT_N, NULL, &err),
            CSM_OK);
        ck_assert_int_eq(csm_lifetimes_from_ledger(&lt, l, NULL, &err),
                         CSM_OK);
        ck_assert_uint_eq(lt->n, 7);
        for (size_t i = 0; i < 7; i++) {
            ck_assert_int_eq(lt->customer_id[i], id[i]);
            ck_assert_int_eq(lt->segment[i], 0);
            ck_assert_double_eq_tol(lt->duration[i], d[i], TOL);
            ck_assert_uint_eq(lt->event[i], ev[i]);
        }
        csm_lifetimes_free(lt);
        csm_ledger_free(l);
    }
}
END_TEST

START_TEST(test_lifetimes_errors) {
    csm_error err;
    csm_lifetimes *lt = (csm_lifetimes *)1;
    ck_assert_int_eq(csm_lifetimes_from_ledger(&lt, NULL, NULL, &err),
                     CSM_EINVAL);
    ck_assert_ptr_null(lt);
    ck_assert_str_eq(err.field, "ledger");
    csm_ledger *l = lt_ledger(0, NULL);
    ck_assert_int_eq(csm_lifetimes_from_ledger(NULL, l, NULL, &err),
                     CSM_EINVAL);
    csm_lifetimes_opts o = CSM_LIFETIMES_OPTS_INIT;
    o.size = 1;
    ck_assert_int_eq(csm_lifetimes_from_ledger(&lt, l, &o, &err), CSM_EINVAL);
    ck_assert_int_eq(csm_lifetimes_opts_init(&o, sizeof o), CSM_OK);
    ck_assert_int_eq(o.as_of, CSM_MONTH_NONE);
    ck_assert_int_eq(csm_lifetimes_opts_init(&o, 2), CSM_EINVAL);
    csm_ledger_free(l);
    /* empty ledger */
    ck_assert_int_eq(csm_ledger_new(&l, NULL, NULL, NULL, NULL, 0, NULL, &err),
                     CSM_OK);
    ck_assert_int_eq(csm_lifetimes_from_ledger(&lt, l, NULL, &err), CSM_OK);
    ck_assert_uint_eq(lt->n, 0);
    csm_lifetimes_free(lt);
    csm_lifetimes_free(NULL);
    csm_ledger_free(l);
}
END_TEST

/* ==== shifted-beta-geometric ================================================ */
/* Fader & Hardie (2007), "How to Project Customer Retention", Journal of
 * Interactive Marketing 21(1), 76-90, Table 1 and section 4: survivors of
 * 1000 customers at years 0..7.  Published estimates: High End alpha =
 * 0.668, beta = 3.806, LL = -1611.2; Regular alpha = 0.704, beta = 1.182,
 * LL = -1680.3. */
static const double high_end[] = {1000, 869, 743, 653, 593, 551, 517, 491};
static const double regular[] = {1000, 631, 468, 382, 326, 289, 262, 241};

START_TEST(test_sbg_fit_published) {
    csm_sbg f;
    csm_error err;
    ck_assert_int_eq(csm_sbg_fit(&f, high_end, NULL, 8, NULL, &err), CSM_OK);
    ck_assert_double_eq_tol(f.alpha, 0.668, 5e-4);
    ck_assert_double_eq_tol(f.beta, 3.806, 5e-4);
    ck_assert_double_eq_tol(f.loglik, -1611.16, 5e-3);
    ck_assert_int_eq(f.converged, 1);
    ck_assert_int_gt(f.iterations, 0);
    ck_assert_uint_eq(f.n_cohorts, 1);
    ck_assert_double_eq_tol(f.n_customers, 1000, TOL);
    /* independent fit (separate Python script: scipy Nelder-Mead on the
     * same likelihood, xatol 1e-13): alpha 0.6680883, beta 3.8060951,
     * LL -1611.158147; standard errors from a finite-difference Hessian:
     * se 0.103729, 0.785486, covariance 0.077650 */
    ck_assert_double_eq_tol(f.alpha, 0.6680883, 2e-6);
    ck_assert_double_eq_tol(f.beta, 3.8060951, 2e-5);
    ck_assert_double_eq_tol(f.loglik, -1611.158147, 1e-5);
    ck_assert_double_eq_tol(f.se_alpha, 0.103729, 1e-4);
    ck_assert_double_eq_tol(f.se_beta, 0.785486, 1e-3);
    ck_assert_double_eq_tol(f.cov_alpha_beta, 0.077650, 1e-4);
    ck_assert_uint_eq(f.flags, 0);

    ck_assert_int_eq(csm_sbg_fit(&f, regular, NULL, 8, NULL, &err), CSM_OK);
    ck_assert_double_eq_tol(f.alpha, 0.704, 5e-4);
    ck_assert_double_eq_tol(f.beta, 1.182, 5e-4);
    ck_assert_double_eq_tol(f.loglik, -1680.3, 0.05);
    /* Python: 0.7040773, 1.1820430, -1680.265188, se 0.065599, 0.152475 */
    ck_assert_double_eq_tol(f.alpha, 0.7040773, 2e-6);
    ck_assert_double_eq_tol(f.beta, 1.1820430, 2e-6);
    ck_assert_double_eq_tol(f.loglik, -1680.265188, 1e-5);
    ck_assert_double_eq_tol(f.se_alpha, 0.065599, 1e-4);
    ck_assert_double_eq_tol(f.se_beta, 0.152475, 1e-4);

    /* proportions instead of counts: same estimates, LL / 1000 */
    double prop[8];
    for (size_t i = 0; i < 8; i++)
        prop[i] = high_end[i] / 1000;
    ck_assert_int_eq(csm_sbg_fit(&f, prop, NULL, 8, NULL, &err), CSM_OK);
    ck_assert_double_eq_tol(f.alpha, 0.6680883, 2e-6);
    ck_assert_double_eq_tol(f.loglik, -1.611158147, 1e-8);
    /* starting far away converges to the same point */
    csm_sbg_opts o = CSM_SBG_OPTS_INIT;
    o.alpha0 = 50;
    o.beta0 = 0.01;
    ck_assert_int_eq(csm_sbg_fit(&f, high_end, NULL, 8, &o, &err), CSM_OK);
    ck_assert_double_eq_tol(f.alpha, 0.6680883, 2e-6);
    ck_assert_double_eq_tol(f.beta, 3.8060951, 2e-5);
}
END_TEST

START_TEST(test_sbg_projection) {
    /* Projected survival for years 8..12 with the published (rounded)
     * alpha = 0.668, beta = 3.806, computed independently with a separate
     * Python/mpmath script by S(t) = S(t-1) (beta + t - 1)/(alpha + beta +
     * t - 1) at 40 digits: 0.460478958809, 0.435819671934,
     * 0.414213056166, 0.395096411043, 0.378040420182 (JD Maturen's
     * shifted_beta_geometric_py README prints the same to 3 decimals:
     * 0.460, 0.436, 0.414, 0.395, 0.378). */
    static const double pub[] = {0.460478958809, 0.435819671934,
                                 0.414213056166, 0.395096411043,
                                 0.378040420182};
    double S[13], r[13], p[13];
    csm_error err;
    ck_assert_int_eq(csm_sbg_curve(S, r, p, 13, 0.668, 3.806, &err), CSM_OK);
    for (int t = 8; t <= 12; t++) {
        ck_assert_double_eq_tol(S[t], pub[t - 8], 1e-11);
        double s1;
        ck_assert_int_eq(csm_sbg_survival(&s1, 0.668, 3.806, t, &err),
                         CSM_OK);
        ck_assert_double_eq_tol(s1, pub[t - 8], 1e-11);
    }
    /* the fitted model reproduces the data's first years (paper, Fig. 3:
     * within about 1 percentage point): S(1) = 3.806/4.474 = 0.85069 vs
     * 0.869, S(7) = 0.48894 vs 0.491 */
    ck_assert_double_eq_tol(S[1], 3.806 / 4.474, 1e-12);
    ck_assert_double_eq_tol(S[7], 0.491, 0.01);
    ck_assert_double_eq_tol(S[0], 1.0, TOL);
    ck_assert(isnan(r[0]));
    ck_assert_double_eq_tol(p[0], 0.0, TOL);
}
END_TEST

START_TEST(test_sbg_curve_hand) {
    /* alpha = beta = 1: S(t) = B(1, 1 + t)/B(1, 1) = 1/(t + 1),
     * r(t) = t/(t + 1), P(T = t) = 1/(t (t + 1)) */
    double S[6], r[6], p[6];
    csm_error err;
    ck_assert_int_eq(csm_sbg_curve(S, r, p, 6, 1, 1, &err), CSM_OK);
    for (int t = 1; t < 6; t++) {
        ck_assert_double_eq_tol(S[t], 1.0 / (t + 1), TOL);
        ck_assert_double_eq_tol(r[t], (double)t / (t + 1), TOL);
        ck_assert_double_eq_tol(p[t], 1.0 / (t * (t + 1.0)), TOL);
    }
    /* alpha = 2, beta = 3: S(t) = 12/((t+3)(t+4)) (Gamma ratio):
     * S(1) = 12/20 = 3/5, S(2) = 12/30 = 2/5; P(T = 1) = 2/5 */
    ck_assert_int_eq(csm_sbg_curve(S, NULL, p, 3, 2, 3, &err), CSM_OK);
    ck_assert_double_eq_tol(S[1], 0.6, TOL);
    ck_assert_double_eq_tol(S[2], 0.4, TOL);
    ck_assert_double_eq_tol(p[1], 0.4, TOL);
    ck_assert_double_eq_tol(p[2], 0.2, TOL);
    /* closed form (lgamma) against the recursion at t = 200 */
    double Sb[201], s1;
    ck_assert_int_eq(csm_sbg_curve(Sb, NULL, NULL, 201, 0.7, 1.2, &err),
                     CSM_OK);
    ck_assert_int_eq(csm_sbg_survival(&s1, 0.7, 1.2, 200, &err), CSM_OK);
    ck_assert(fabs(s1 - Sb[200]) <= 1e-11 * Sb[200]);
    ck_assert_int_eq(csm_sbg_survival(&s1, 2, 3, 5, &err), CSM_OK);
    ck_assert_double_eq_tol(s1, 12.0 / 72, TOL); /* 12/(8*9) */
    ck_assert_int_eq(csm_sbg_survival(&s1, 2, 3, 0, &err), CSM_OK);
    ck_assert_double_eq_tol(s1, 1.0, TOL);
    /* errors */
    ck_assert_int_eq(csm_sbg_survival(&s1, 0, 3, 5, &err), CSM_EDOMAIN);
    ck_assert_str_eq(err.field, "alpha");
    ck_assert(isnan(s1));
    ck_assert_int_eq(csm_sbg_survival(&s1, 1, NAN, 5, &err), CSM_EDOMAIN);
    ck_assert_str_eq(err.field, "beta");
    ck_assert_int_eq(csm_sbg_survival(&s1, 1, 1, -1, &err), CSM_EDOMAIN);
    ck_assert_str_eq(err.field, "t");
    ck_assert_int_eq(csm_sbg_survival(NULL, 1, 1, 1, &err), CSM_EINVAL);
    ck_assert_int_eq(csm_sbg_curve(NULL, NULL, NULL, 3, 1, 1, &err),
                     CSM_EINVAL);
    ck_assert_int_eq(csm_sbg_curve(S, NULL, NULL, 3, -1, 1, &err),
                     CSM_EDOMAIN);
    ck_assert_int_eq(csm_sbg_curve(NULL, NULL, NULL, 0, 1, 1, &err), CSM_OK);
}
END_TEST

START_TEST(test_sbg_multi_cohort) {
    /* three cohorts of ages 7, 4 and 2 (High End, the first 5 Regular
     * years, and 500 -> 400 -> 350).  Independent fit of the summed
     * likelihood (separate Python script, Nelder-Mead): alpha 0.5540722,
     * beta 1.7027637, LL -3521.763610, se 0.044421, 0.179978 */
    double alive[8 + 5 + 3];
    int32_t coh[8 + 5 + 3];
    size_t n = 0;
    for (size_t i = 0; i < 8; i++, n++) {
        alive[n] = high_end[i];
        coh[n] = 1;
    }
    for (size_t i = 0; i < 5; i++, n++) {
        alive[n] = regular[i];
        coh[n] = 2;
    }
    const double c3[] = {500, 400, 350};
    for (size_t i = 0; i < 3; i++, n++) {
        alive[n] = c3[i];
        coh[n] = 5;
    }
    csm_sbg f;
    csm_error err;
    ck_assert_int_eq(csm_sbg_fit(&f, alive, coh, n, NULL, &err), CSM_OK);
    ck_assert_double_eq_tol(f.alpha, 0.5540722, 2e-6);
    ck_assert_double_eq_tol(f.beta, 1.7027637, 2e-6);
    ck_assert_double_eq_tol(f.loglik, -3521.763610, 1e-5);
    ck_assert_double_eq_tol(f.se_alpha, 0.044421, 1e-4);
    ck_assert_double_eq_tol(f.se_beta, 0.179978, 1e-4);
    ck_assert_uint_eq(f.n_cohorts, 3);
    ck_assert_double_eq_tol(f.n_customers, 2500, TOL);
    /* the same cohort given twice: same estimates, twice the LL */
    double twice[16];
    int32_t tc[16];
    for (size_t i = 0; i < 16; i++) {
        twice[i] = high_end[i % 8];
        tc[i] = (int32_t)(i / 8);
    }
    ck_assert_int_eq(csm_sbg_fit(&f, twice, tc, 16, NULL, &err), CSM_OK);
    ck_assert_double_eq_tol(f.alpha, 0.6680883, 2e-6);
    ck_assert_double_eq_tol(f.loglik, 2 * -1611.158147, 2e-5);
    /* a single-row cohort (period 0 only) contributes nothing */
    double extra[9];
    int32_t ec[9];
    for (size_t i = 0; i < 8; i++) {
        extra[i] = high_end[i];
        ec[i] = 1;
    }
    extra[8] = 700;
    ec[8] = 2;
    ck_assert_int_eq(csm_sbg_fit(&f, extra, ec, 9, NULL, &err), CSM_OK);
    ck_assert_double_eq_tol(f.alpha, 0.6680883, 2e-6);
    ck_assert_double_eq_tol(f.loglik, -1611.158147, 1e-5);
}
END_TEST

START_TEST(test_sbg_fit_errors) {
    csm_sbg f;
    csm_error err;
    const double up[] = {1000, 900, 950, 800};
    ck_assert_int_eq(csm_sbg_fit(&f, up, NULL, 4, NULL, &err), CSM_EDOMAIN);
    ck_assert_uint_eq(err.row, 2);
    ck_assert_str_eq(err.field, "alive");
    const double neg[] = {1000, -1};
    ck_assert_int_eq(csm_sbg_fit(&f, neg, NULL, 2, NULL, &err), CSM_EDOMAIN);
    ck_assert_uint_eq(err.row, 1);
    const double nan_[] = {1000, NAN};
    ck_assert_int_eq(csm_sbg_fit(&f, nan_, NULL, 2, NULL, &err), CSM_EDOMAIN);
    ck_assert_uint_eq(err.row, 1);
    const double zero0[] = {0, 0, 0};
    ck_assert_int_eq(csm_sbg_fit(&f, zero0, NULL, 3, NULL, &err), CSM_EDOMAIN);
    ck_assert_uint_eq(err.row, 0);
    /* second cohort starting at 0 customers, row 3 */
    const double two[] = {100, 90, 80, 0, 0};
    const int32_t tc[] = {1, 1, 1, 2, 2};
    ck_assert_int_eq(csm_sbg_fit(&f, two, tc, 5, NULL, &err), CSM_EDOMAIN);
    ck_assert_uint_eq(err.row, 3);
    /* cohort labels out of order (interleaved rows) */
    const double il[] = {100, 90, 100, 80};
    const int32_t ic[] = {2, 2, 1, 1};
    ck_assert_int_eq(csm_sbg_fit(&f, il, ic, 4, NULL, &err), CSM_EDOMAIN);
    ck_assert_uint_eq(err.row, 2);
    ck_assert_str_eq(err.field, "cohort");
    /* no period beyond 0 */
    const double one[] = {100};
    ck_assert_int_eq(csm_sbg_fit(&f, one, NULL, 1, NULL, &err), CSM_EDOMAIN);
    ck_assert_int_eq(csm_sbg_fit(&f, NULL, NULL, 3, NULL, &err), CSM_EINVAL);
    ck_assert_int_eq(csm_sbg_fit(&f, one, NULL, 0, NULL, &err), CSM_EINVAL);
    ck_assert_int_eq(csm_sbg_fit(NULL, one, NULL, 1, NULL, &err), CSM_EINVAL);
    csm_sbg_opts o = CSM_SBG_OPTS_INIT;
    o.max_iter = 0;
    ck_assert_int_eq(csm_sbg_fit(&f, high_end, NULL, 8, &o, &err), CSM_EINVAL);
    o.max_iter = 200;
    o.tol = 0;
    ck_assert_int_eq(csm_sbg_fit(&f, high_end, NULL, 8, &o, &err), CSM_EINVAL);
    o.tol = 1e-10;
    o.alpha0 = -1;
    ck_assert_int_eq(csm_sbg_fit(&f, high_end, NULL, 8, &o, &err), CSM_EINVAL);
    ck_assert_int_eq(csm_sbg_opts_init(&o, sizeof o), CSM_OK);
    ck_assert_int_eq(o.max_iter, 200);
    /* non-convergence: one Newton step is not enough */
    o.max_iter = 1;
    ck_assert_int_eq(csm_sbg_fit(&f, high_end, NULL, 8, &o, &err),
                     CSM_ENOCONV);
    ck_assert_int_eq(f.converged, 0);
    ck_assert_int_eq(f.iterations, 1);
    ck_assert(isfinite(f.alpha) && isfinite(f.loglik));
    /* nobody churns: beta runs off to infinity */
    const double flat[] = {100, 100, 100, 100};
    ck_assert_int_eq(csm_sbg_fit(&f, flat, NULL, 4, NULL, &err), CSM_ENOCONV);
    ck_assert_int_eq(f.converged, 0);
    /* everybody churns in period 1: beta runs off to 0 */
    const double all[] = {100, 0};
    ck_assert_int_eq(csm_sbg_fit(&f, all, NULL, 2, NULL, &err), CSM_ENOCONV);
    /* constant retention 1/2 (no heterogeneity): the likelihood rises
     * towards alpha, beta -> infinity along alpha = beta; no maximum */
    const double geo[] = {1000, 500, 250, 125};
    ck_assert_int_eq(csm_sbg_fit(&f, geo, NULL, 4, NULL, &err), CSM_ENOCONV);
    ck_assert_int_eq(f.converged, 0);
    ck_assert(f.alpha > 1000 && f.beta > 1000);
    /* one period only: the likelihood depends on alpha/(alpha+beta) alone */
    const double p1[] = {100, 60, 500, 310};
    const int32_t pc[] = {1, 1, 2, 2};
    ck_assert_int_eq(csm_sbg_fit(&f, p1, pc, 4, NULL, &err), CSM_EDOMAIN);
    ck_assert_str_eq(err.field, "alive");
}
END_TEST

START_TEST(test_sbg_expected_lifetime) {
    double el;
    uint32_t fl = 0;
    csm_error err;
    /* alpha 2, beta 3: (2 + 3 - 1)/(2 - 1) = 4; by telescoping, sum_t
     * 12/((t+3)(t+4)) = 12 (1/3) = 4 */
    ck_assert_int_eq(csm_sbg_expected_lifetime(&el, &fl, 2, 3, &err), CSM_OK);
    ck_assert_double_eq_tol(el, 4, TOL);
    ck_assert_uint_eq(fl, 0);
    /* the published High End fit has alpha < 1: infinite mean */
    ck_assert_int_eq(csm_sbg_expected_lifetime(&el, &fl, 0.668, 3.806, &err),
                     CSM_OK);
    ck_assert(isnan(el));
    ck_assert_uint_eq(fl, CSM_FLAG_INFINITE);
    ck_assert_uint_eq(csm_flag_infinite(), CSM_FLAG_INFINITE);
    fl = 0;
    ck_assert_int_eq(csm_sbg_expected_lifetime(&el, &fl, 1.0, 3, &err),
                     CSM_OK);
    ck_assert(isnan(el));
    ck_assert_uint_eq(fl, CSM_FLAG_INFINITE);
    ck_assert_int_eq(csm_sbg_expected_lifetime(&el, NULL, 1.0, 3, &err),
                     CSM_OK);
    ck_assert_int_eq(csm_sbg_expected_lifetime(&el, NULL, -1, 3, &err),
                     CSM_EDOMAIN);
    ck_assert_int_eq(csm_sbg_expected_lifetime(NULL, NULL, 2, 3, &err),
                     CSM_EINVAL);
}
END_TEST

/* ==== 2F1, DEL, DERL, LTV =================================================== */
/* direct summation of sum_{t >= from} S(t)/S(from - 1) z^(t - from) by the
 * recursion, until the terms no longer matter */
static double direct_sum(double a, double b, double d, int from) {
    double z = 1.0 / (1.0 + d), S = 1.0, sum = 0.0, zp = 1.0;
    for (int t = 1; t < from; t++) /* S = S(from - 1) */
        S *= (b + t - 1) / (a + b + t - 1);
    const double base = S;
    for (int t = from;; t++) {
        if (t > 0)
            S *= (b + t - 1) / (a + b + t - 1);
        double term = S / base * zp;
        sum += term;
        zp *= z;
        if (term < 1e-18 && t > from + 10)
            break;
    }
    return sum;
}

START_TEST(test_hyp2f1) {
    double h;
    csm_error err;
    /* 2F1(1, 1; 2; z) = -ln(1 - z)/z: at 0.5, 2 ln 2 = 1.38629436111989 */
    ck_assert_int_eq(csm_sbg_hyp2f1(&h, 1, 1, 2, 0.5, &err), CSM_OK);
    ck_assert_double_eq_tol(h, 2 * log(2.0), 1e-14);
    /* 2F1(a, b; b; z) = (1 - z)^-a: 0.7^-2.5 = 2.43924205986611 */
    ck_assert_int_eq(csm_sbg_hyp2f1(&h, 2.5, 3, 3, 0.3, &err), CSM_OK);
    ck_assert_double_eq_tol(h, 2.43924205986611, 1e-13);
    ck_assert_int_eq(csm_sbg_hyp2f1(&h, 2.5, 3, 3, 0.0, &err), CSM_OK);
    ck_assert_double_eq_tol(h, 1.0, TOL);
    /* errors */
    ck_assert_int_eq(csm_sbg_hyp2f1(&h, 0, 1, 2, 0.5, &err), CSM_EDOMAIN);
    ck_assert_str_eq(err.field, "a");
    ck_assert_int_eq(csm_sbg_hyp2f1(&h, 1, -1, 2, 0.5, &err), CSM_EDOMAIN);
    ck_assert_int_eq(csm_sbg_hyp2f1(&h, 1, 1, NAN, 0.5, &err), CSM_EDOMAIN);
    ck_assert_int_eq(csm_sbg_hyp2f1(&h, 1, 1, 2, 1.0, &err), CSM_EDOMAIN);
    ck_assert_str_eq(err.field, "z");
    ck_assert_int_eq(csm_sbg_hyp2f1(&h, 1, 1, 2, -0.1, &err), CSM_EDOMAIN);
    ck_assert_int_eq(csm_sbg_hyp2f1(NULL, 1, 1, 2, 0.5, &err), CSM_EINVAL);
    /* z within 1e-12 of 1: the tail bound needs ~1e12 terms */
    ck_assert_int_eq(csm_sbg_hyp2f1(&h, 1, 1, 2, 1 - 1e-12, &err),
                     CSM_ENOCONV);
    ck_assert(isnan(h));
}
END_TEST

static const double del_ab[][2] = {{0.668, 3.806}, {0.704, 1.182},
                                   {2, 3},         {1, 1},
                                   {5, 0.3},       {0.2, 40}};
static const double del_d[] = {0.1, 0.01, 0.25, 0.5};

START_TEST(test_del_derl_series) {
    /* DEL and DERL against the direct discounted survival series, 1e-9 */
    const double a = del_ab[_i][0], b = del_ab[_i][1];
    csm_error err;
    for (size_t j = 0; j < sizeof del_d / sizeof del_d[0]; j++) {
        double d = del_d[j], del, derl;
        ck_assert_int_eq(csm_sbg_del(&del, a, b, d, &err), CSM_OK);
        ck_assert_double_eq_tol(del, direct_sum(a, b, d, 0), 1e-9);
        for (int nr = 0; nr <= 12; nr += 4) {
            ck_assert_int_eq(csm_sbg_derl(&derl, a, b, d, nr, &err), CSM_OK);
            ck_assert_double_eq_tol(derl, direct_sum(a, b, d, nr + 1), 1e-9);
            if (nr == 0) /* DEL = 1 + DERL(0)/(1 + d) */
                ck_assert_double_eq_tol(del, 1 + derl / (1 + d), 1e-12);
        }
    }
}
END_TEST

START_TEST(test_del_derl_values) {
    double v;
    csm_error err;
    /* alpha = beta = 1, d = 0.1: S(t) = 1/(t+1), z = 1/1.1,
     * DEL = sum z^t/(t+1) = -ln(1 - z)/z = 1.1 ln 11 = 2.63768480007821;
     * DERL(0) = sum z^k/(k+2) = (-ln(1-z) - z)/z^2 = 1.21 (ln 11 - 1/1.1)
     * = 1.80145328008603 */
    ck_assert_int_eq(csm_sbg_del(&v, 1, 1, 0.1, &err), CSM_OK);
    ck_assert_double_eq_tol(v, 1.1 * log(11.0), 1e-13);
    ck_assert_int_eq(csm_sbg_derl(&v, 1, 1, 0.1, 0, &err), CSM_OK);
    ck_assert_double_eq_tol(v, 1.21 * (log(11.0) - 1 / 1.1), 1e-13);
    /* published High End parameters, d = 10%, a customer with 7 renewals:
     * mpmath at 40 digits: (beta+7)/(alpha+beta+7) 2F1(1, beta+8;
     * alpha+beta+8; 1/1.1) = 7.52994953091097; DEL = 5.92259640761276.
     * (JD Maturen's README reports 7.530 with his fitted parameters.) */
    ck_assert_int_eq(csm_sbg_derl(&v, 0.668, 3.806, 0.1, 7, &err), CSM_OK);
    ck_assert_double_eq_tol(v, 7.52994953091097, 1e-11);
    ck_assert_double_eq_tol(v, 7.530, 5e-4);
    ck_assert_int_eq(csm_sbg_del(&v, 0.668, 3.806, 0.1, &err), CSM_OK);
    ck_assert_double_eq_tol(v, 5.92259640761276, 1e-11);
    /* errors */
    ck_assert_int_eq(csm_sbg_del(&v, 1, 1, 0, &err), CSM_EDOMAIN);
    ck_assert_str_eq(err.field, "discount");
    ck_assert(isnan(v));
    ck_assert_int_eq(csm_sbg_del(&v, 1, 1, -0.1, &err), CSM_EDOMAIN);
    ck_assert_int_eq(csm_sbg_del(&v, 1, 1, INFINITY, &err), CSM_EDOMAIN);
    ck_assert_int_eq(csm_sbg_del(&v, 0, 1, 0.1, &err), CSM_EDOMAIN);
    ck_assert_str_eq(err.field, "alpha");
    ck_assert_int_eq(csm_sbg_derl(&v, 1, 1, 0.1, -1, &err), CSM_EDOMAIN);
    ck_assert_str_eq(err.field, "n_renewals");
    ck_assert_int_eq(csm_sbg_derl(&v, 1, 0, 0.1, 1, &err), CSM_EDOMAIN);
    ck_assert_int_eq(csm_sbg_derl(NULL, 1, 1, 0.1, 1, &err), CSM_EINVAL);
    ck_assert_int_eq(csm_sbg_del(NULL, 1, 1, 0.1, &err), CSM_EINVAL);
    /* discount so small that the series cannot finish */
    ck_assert_int_eq(csm_sbg_del(&v, 0.5, 1, 1e-13, &err), CSM_ENOCONV);
}
END_TEST

START_TEST(test_ltv) {
    double v, w;
    csm_error err;
    /* margin 100 per period, alpha = beta = 1, d = 0.1:
     * new: 100 x 1.1 ln 11 = 263.768480007821
     * existing, 0 renewals: 100 x 1.80145328008603 = 180.145328008603 */
    ck_assert_int_eq(csm_sbg_ltv_new(&v, 1, 1, 100, 0.1, &err), CSM_OK);
    ck_assert_double_eq_tol(v, 110 * log(11.0), 1e-11);
    ck_assert_int_eq(csm_sbg_ltv_existing(&v, 1, 1, 100, 0.1, 0, &err),
                     CSM_OK);
    ck_assert_double_eq_tol(v, 121 * (log(11.0) - 1 / 1.1), 1e-11);
    /* High End, 7 renewals, margin 10: 10 x 7.52994953091097 */
    ck_assert_int_eq(csm_sbg_ltv_existing(&v, 0.668, 3.806, 10, 0.1, 7, &err),
                     CSM_OK);
    ck_assert_double_eq_tol(v, 75.2994953091097, 1e-10);
    /* a fitted model: the _fit variants use its alpha and beta */
    csm_sbg f;
    ck_assert_int_eq(csm_sbg_fit(&f, high_end, NULL, 8, NULL, &err), CSM_OK);
    ck_assert_int_eq(csm_sbg_fit_ltv_new(&v, &f, 50, 0.1, &err), CSM_OK);
    ck_assert_int_eq(csm_sbg_ltv_new(&w, f.alpha, f.beta, 50, 0.1, &err),
                     CSM_OK);
    ck_assert_double_eq_tol(v, w, TOL);
    /* and close to the rounded-parameter value 50 x 5.9226 */
    ck_assert_double_eq_tol(v, 50 * 5.92259640761276, 0.05);
    ck_assert_int_eq(csm_sbg_fit_ltv_existing(&v, &f, 50, 0.1, 3, &err),
                     CSM_OK);
    ck_assert_int_eq(csm_sbg_ltv_existing(&w, f.alpha, f.beta, 50, 0.1, 3,
                                          &err),
                     CSM_OK);
    ck_assert_double_eq_tol(v, w, TOL);
    /* errors */
    ck_assert_int_eq(csm_sbg_ltv_new(&v, 1, 1, NAN, 0.1, &err), CSM_EDOMAIN);
    ck_assert_str_eq(err.field, "margin");
    ck_assert_int_eq(csm_sbg_ltv_new(&v, 1, 1, 10, 0, &err), CSM_EDOMAIN);
    ck_assert_int_eq(csm_sbg_ltv_existing(&v, 1, 1, INFINITY, 0.1, 1, &err),
                     CSM_EDOMAIN);
    ck_assert_int_eq(csm_sbg_fit_ltv_new(&v, NULL, 10, 0.1, &err),
                     CSM_EINVAL);
    ck_assert_str_eq(err.field, "fit");
    ck_assert_int_eq(csm_sbg_fit_ltv_existing(&v, NULL, 10, 0.1, 1, &err),
                     CSM_EINVAL);
    ck_assert_int_eq(csm_sbg_ltv_new(NULL, 1, 1, 10, 0.1, &err), CSM_EINVAL);
}
END_TEST

/* t is the table `name` of n_rows rows with exactly the columns of spec. */
static void check_table(const csm_table *t, const char *name, size_t n_rows,
                        const want_col *spec, size_t n) {
    ck_assert_ptr_nonnull(t);
    ck_assert_str_eq(t->name, name);
    ck_assert_uint_eq(t->n_rows, n_rows);
    check_columns(t, spec, n);
}

/* The child of an exported struct named `name` (its index in *idx). */
static const struct ArrowArray *arrow_child(const struct ArrowSchema *s,
                                            const struct ArrowArray *a,
                                            const char *name,
                                            const char *format) {
    for (int64_t i = 0; i < s->n_children; i++)
        if (strcmp(s->children[i]->name, name) == 0) {
            ck_assert_str_eq(s->children[i]->format, format);
            return a->children[i];
        }
    ck_abort_msg("no child %s", name);
    return NULL;
}

static void export_table(struct ArrowSchema *s, struct ArrowArray *a,
                         csm_result *r, const char *table) {
    const csm_table *t = csm_result_find(r, table);
    ck_assert_ptr_nonnull(t);
    csm_error err;
    ck_assert_int_eq(csm_table_export_arrow(s, a, r, t, &err), CSM_OK);
    ck_assert_str_eq(s->name, table);
    ck_assert_int_eq(s->n_children, (int64_t)t->n_columns);
    ck_assert_int_eq(a->length, (int64_t)t->n_rows);
}

/* ==== survivor counts from lifetimes ======================================= */
START_TEST(test_sbg_survivors) {
    /* as_of = M(3); lifetimes (first month, duration, weight):
     *   M(-1): 5                      before first_cohort M(0): left out
     *   M(0):  4 4 1 2 (weights 1)    alive at ages 0..3: 4, 3, 2, 2
     *          (d > 0: all 4; d > 1: 4 4 2; d > 2 and d > 3: 4 4)
     *   M(1):  3 3 1, and 3 of weight 0.5
     *          ages 0..2: 3.5, 2.5, 2.5 (d > 1: 3 3 3(0.5))
     *   M(2):  2 1.5 and 1 of weight 0  (1.5 months: alive at ages 0, 1)
     *          ages 0..1: 2, 2
     *   M(3):  1                      only age 0 seen: left out
     *   M(5):  2                      after as_of: left out */
    const int32_t fm[] = {M(0), M(1), M(2), M(0), M(-1), M(1), M(3),
                          M(0), M(2), M(1), M(0), M(2), M(1), M(5)};
    const double du[] = {4, 3, 2, 4, 5, 3, 1, 1, 1.5, 1, 2, 1, 3, 2};
    const double wt[] = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0.5, 1};
    csm_sbg_survivors_opts o = CSM_SBG_SURVIVORS_OPTS_INIT;
    o.first_cohort = M(0);
    o.as_of = M(3);
    csm_sbg_survivors *sv = NULL;
    csm_error err;
    ck_assert_int_eq(csm_sbg_survivors_from_lifetimes(&sv, fm, du, wt, 14, &o,
                                                     &err),
                     CSM_OK);
    const int32_t wc[] = {M(0), M(0), M(0), M(0), M(1), M(1), M(1),
                          M(2), M(2)};
    const int32_t wa[] = {0, 1, 2, 3, 0, 1, 2, 0, 1};
    const double wl[] = {4, 3, 2, 2, 3.5, 2.5, 2.5, 2, 2};
    ck_assert_uint_eq(sv->n_rows, 9);
    ck_assert_uint_eq(sv->n_cohorts, 3);
    ck_assert_int_eq(sv->as_of, M(3));
    for (size_t i = 0; i < 9; i++) {
        ck_assert_int_eq(sv->cohort[i], wc[i]);
        ck_assert_int_eq(sv->age[i], wa[i]);
        ck_assert_double_eq_tol(sv->alive[i], wl[i], TOL);
    }
    /* the table and its descriptors */
    ck_assert_str_eq(csm_result_kind(sv->result), "sbg_survivors");
    const want_col ws[] = {WANT("cohort", MONTH, I32, KEY, sv->cohort),
                           WANT("age", NUMBER, I32, KEY, sv->age),
                           WANT("alive", COUNT, F64, MAIN, sv->alive)};
    check_table(csm_result_find(sv->result, "sbg_survivors"), "sbg_survivors",
                9, ws, N_WANT(ws));
    /* what csm_sbg_fit takes: the same fit as from the counts by hand */
    csm_sbg f1, f2;
    csm_status s1 = csm_sbg_fit(&f1, sv->alive, sv->cohort, sv->n_rows, NULL,
                                NULL);
    csm_status s2 = csm_sbg_fit(&f2, wl, wc, 9, NULL, NULL);
    ck_assert_int_eq(s1, s2);
    ck_assert_double_eq_tol(f1.loglik, f2.loglik, TOL);
    ck_assert_double_eq_tol(f1.alpha, f2.alpha, TOL);
    csm_sbg_survivors_free(sv);

    /* defaults: every cohort, as_of = the latest first month M(5); no
     * weights.  M(-1): ages 0..6, d = 5: 1 1 1 1 1 0 0 */
    ck_assert_int_eq(csm_sbg_survivors_from_lifetimes(&sv, fm, du, NULL, 14,
                                                     NULL, &err),
                     CSM_OK);
    ck_assert_int_eq(sv->as_of, M(5));
    /* cohorts M(-1) (7 ages), M(0) (6), M(1) (5), M(2) (4), M(3) (3) */
    ck_assert_uint_eq(sv->n_cohorts, 5);
    ck_assert_uint_eq(sv->n_rows, 7 + 6 + 5 + 4 + 3);
    const double w1[] = {1, 1, 1, 1, 1, 0, 0};
    for (size_t i = 0; i < 7; i++) {
        ck_assert_int_eq(sv->cohort[i], M(-1));
        ck_assert_double_eq_tol(sv->alive[i], w1[i], TOL);
    }
    /* M(2) unweighted: 2 1.5 1 -> ages 0..3: 3, 2, 0, 0 */
    const double w2[] = {3, 2, 0, 0};
    for (size_t i = 0; i < 4; i++) {
        ck_assert_int_eq(sv->cohort[18 + i], M(2));
        ck_assert_double_eq_tol(sv->alive[18 + i], w2[i], TOL);
    }
    csm_sbg_survivors_free(sv);

    /* a naive second implementation on a larger pseudo-random set:
     * alive(c, a) = number of rows with first month c and duration > a */
    enum { N = 400 };
    int32_t rm[N];
    double rd[N];
    uint32_t x = 12345;
    for (size_t i = 0; i < N; i++) {
        x = x * 1103515245u + 12345u;
        rm[i] = M(0) + (int32_t)((x >> 16) % 12);
        x = x * 1103515245u + 12345u;
        rd[i] = (double)((x >> 16) % 14) + ((x >> 8) % 2 ? 0.5 : 0.0);
    }
    o = (csm_sbg_survivors_opts)CSM_SBG_SURVIVORS_OPTS_INIT;
    o.first_cohort = M(2);
    o.last_cohort = M(9);
    o.as_of = M(10);
    ck_assert_int_eq(csm_sbg_survivors_from_lifetimes(&sv, rm, rd, NULL, N,
                                                     &o, &err),
                     CSM_OK);
    size_t r = 0;
    for (int32_t c = M(2); c <= M(9); c++) {
        double n0 = 0;
        for (size_t i = 0; i < N; i++)
            n0 += rm[i] == c && rd[i] > 0;
        if (n0 == 0)
            continue;
        for (int32_t a = 0; a <= M(10) - c; a++, r++) {
            double cnt = 0;
            for (size_t i = 0; i < N; i++)
                cnt += rm[i] == c && rd[i] > a;
            ck_assert_int_eq(sv->cohort[r], c);
            ck_assert_int_eq(sv->age[r], a);
            ck_assert_double_eq_tol(sv->alive[r], cnt, TOL);
        }
    }
    ck_assert_uint_eq(sv->n_rows, r);
    ck_assert_uint_eq(r, 9 + 8 + 7 + 6 + 5 + 4 + 3 + 2); /* every cohort */
    csm_sbg_survivors_free(sv);

    /* nothing kept: a 0-row table */
    o.first_cohort = M(20);
    o.last_cohort = CSM_MONTH_NONE;
    ck_assert_int_eq(csm_sbg_survivors_from_lifetimes(&sv, rm, rd, NULL, N,
                                                     &o, &err),
                     CSM_OK);
    ck_assert_uint_eq(sv->n_rows, 0);
    ck_assert_uint_eq(csm_result_table(sv->result, 0)->n_rows, 0);
    csm_sbg_survivors_free(sv);
    ck_assert_int_eq(csm_sbg_survivors_from_lifetimes(&sv, NULL, NULL, NULL,
                                                     0, NULL, &err),
                     CSM_OK);
    ck_assert_uint_eq(sv->n_rows, 0);
    csm_sbg_survivors_free(sv);

    /* errors */
    sv = (csm_sbg_survivors *)1;
    ck_assert_int_eq(csm_sbg_survivors_from_lifetimes(NULL, fm, du, NULL, 14,
                                                     NULL, &err),
                     CSM_EINVAL);
    ck_assert_int_eq(csm_sbg_survivors_from_lifetimes(&sv, NULL, du, NULL, 14,
                                                     NULL, &err),
                     CSM_EINVAL);
    ck_assert_ptr_null(sv);
    ck_assert_str_eq(err.field, "first_month");
    ck_assert_int_eq(csm_sbg_survivors_from_lifetimes(&sv, fm, NULL, NULL, 14,
                                                     NULL, &err),
                     CSM_EINVAL);
    ck_assert_str_eq(err.field, "duration");
    const double bd[] = {1, -1}, bn[] = {1, NAN}, bw[] = {1, INFINITY};
    ck_assert_int_eq(csm_sbg_survivors_from_lifetimes(&sv, fm, bd, NULL, 2,
                                                     NULL, &err),
                     CSM_EDOMAIN);
    ck_assert_uint_eq(err.row, 1);
    ck_assert_str_eq(err.field, "duration");
    ck_assert_int_eq(csm_sbg_survivors_from_lifetimes(&sv, fm, bn, NULL, 2,
                                                     NULL, &err),
                     CSM_EDOMAIN);
    ck_assert_int_eq(csm_sbg_survivors_from_lifetimes(&sv, fm, du, bw, 2,
                                                     NULL, &err),
                     CSM_EDOMAIN);
    ck_assert_str_eq(err.field, "weight");
    ck_assert_ptr_null(sv);
    csm_sbg_survivors_opts so;
    ck_assert_int_eq(csm_sbg_survivors_opts_init(&so, sizeof so), CSM_OK);
    ck_assert_int_eq(so.as_of, CSM_MONTH_NONE);
    so.size = 1;
    ck_assert_int_eq(csm_sbg_survivors_from_lifetimes(&sv, fm, du, NULL, 14,
                                                     &so, &err),
                     CSM_EINVAL);

    /* out of memory: each allocation fails in turn */
    int done = 0;
    long fails = 0;
    for (long b = 0; b < 20 && !done; b++) {
        fail_ctx fc = {b, 0};
        csm_allocator al = {fail_alloc, fail_free, &fc, NULL};
        csm_sbg_survivors_opts oo = CSM_SBG_SURVIVORS_OPTS_INIT;
        oo.allocator = &al;
        sv = (csm_sbg_survivors *)1;
        csm_status st =
            csm_sbg_survivors_from_lifetimes(&sv, fm, du, wt, 14, &oo, NULL);
        ck_assert(st == CSM_OK || st == CSM_ENOMEM);
        if (st == CSM_OK) {
            ck_assert_uint_eq(sv->n_cohorts, 5);
            done = 1;
        } else {
            ck_assert_ptr_null(sv);
            fails++;
        }
        csm_sbg_survivors_free(sv);
        ck_assert_int_eq(fc.live, 0);
    }
    ck_assert(done && fails > 0);
}
END_TEST

START_TEST(test_km_tables) {
    /* the fixture of test_km_groups with the overall curve (hand-worked
     * there): overall rows t = 1, 2, 3, 5 (n = 5, 4, 2, 1; median 3),
     * group 1 rows t = 1, 3 (n = 2, 1; median 1), group 2 rows t = 2, 5
     * (n = 3, 1; median 5) */
    const double t[] = {2, 1, 2, 3, 5};
    const uint8_t e[] = {1, 1, 0, 1, 1};
    const int32_t g[] = {2, 1, 2, 1, 2};
    csm_km_opts o = CSM_KM_OPTS_INIT;
    o.include_overall = 1;
    csm_km *k = km_ok(t, e, NULL, g, 5, &o);
    ck_assert_ptr_nonnull(k->result);
    ck_assert_str_eq(csm_result_kind(k->result), "km");
    ck_assert_ptr_eq(csm_result_view(k->result), k);
    ck_assert_uint_eq(csm_result_n_tables(k->result), 3);
    const csm_table *rows = csm_result_table(k->result, 0);
    const want_col ats[] = {
        WANT("group", CODE, I32, KEY, k->at_group),
        WANT("time", NUMBER, F64, KEY, k->at_time),
        WANT("survival", FRACTION, F64, MAIN, k->at_surv),
        WANT("lower", FRACTION, F64, DETAIL, k->at_lower),
        WANT("upper", FRACTION, F64, DETAIL, k->at_upper),
        WANT("at_risk", COUNT, F64, DETAIL, k->at_risk)};
    /* no at_times: an empty "km_at" */
    check_table(csm_result_table(k->result, 2), "km_at", 0, ats, N_WANT(ats));
    const csm_table *grp = csm_result_table(k->result, 1);
    ck_assert_ptr_eq(csm_result_find(k->result, "km"), rows);
    ck_assert_ptr_eq(csm_result_find(k->result, "km_groups"), grp);
    const want_col rs[] = {
        WANT("group", CODE, I32, KEY, k->row_group),
        WANT("time", NUMBER, F64, KEY, k->time),
        WANT("at_risk", COUNT, F64, MAIN, k->n_risk),
        WANT("events", COUNT, F64, MAIN, k->n_event),
        WANT("censored", COUNT, F64, DETAIL, k->n_censor),
        WANT("survival", FRACTION, F64, MAIN, k->surv),
        WANT("stderr", FRACTION, F64, DETAIL, k->se),
        WANT("lower", FRACTION, F64, MAIN, k->lower),
        WANT("upper", FRACTION, F64, MAIN, k->upper),
        WANT("flags", FLAGS, U32, DETAIL, k->flags)};
    check_table(rows, "km", 8, rs, N_WANT(rs));
    const want_col gs[] = {
        WANT("group", CODE, I32, KEY, k->group),
        WANT("n", COUNT, F64, MAIN, k->n_obs),
        WANT("events", COUNT, F64, MAIN, k->n_events),
        WANT("median", NUMBER, F64, MAIN, k->median),
        WANT("median_low", NUMBER, F64, MAIN, k->median_lower),
        WANT("median_high", NUMBER, F64, MAIN, k->median_upper),
        WANT("rmst", NUMBER, F64, MAIN, k->rmst),
        WANT("horizon", NUMBER, F64, DETAIL, k->horizon),
        WANT("flags", FLAGS, U32, DETAIL, k->group_flags)};
    check_table(grp, "km_groups", 3, gs, N_WANT(gs));
    /* row_offset is not a column but lives with the tables */
    ck_assert_uint_eq(k->row_offset[0], 0);
    ck_assert_uint_eq(k->row_offset[1], 4);
    ck_assert_uint_eq(k->row_offset[2], 6);
    ck_assert_uint_eq(k->row_offset[3], 8);
    /* the new group key of each row, and the (group, time) keys */
    const int32_t rg[] = {INT32_MIN, INT32_MIN, INT32_MIN, INT32_MIN,
                          1,         1,         2,         2};
    const double rt[] = {1, 2, 3, 5, 1, 3, 2, 5};
    const double rn[] = {5, 4, 2, 1, 2, 1, 3, 1};
    const csm_column *cg = csm_table_find(rows, "group");
    const csm_column *ct = csm_table_find(rows, "time");
    const csm_column *cn = csm_table_find(rows, "at_risk");
    for (size_t i = 0; i < 8; i++) {
        ck_assert_int_eq(k->row_group[i], rg[i]);
        /* the overall curve's group is the "all" code: undefined */
        ck_assert_int_eq(csm_column_is_valid(cg, i), i >= 4);
        ck_assert_int_eq(csm_column_int64(cg, i), i < 4 ? 0 : rg[i]);
        ck_assert_double_eq_tol(csm_column_double(ct, i), rt[i], TOL);
        ck_assert_double_eq_tol(csm_column_double(cn, i), rn[i], TOL);
    }
    ck_assert_int_eq(csm_code_all(), csm_code_all());
    ck_assert_int_eq(CSM_CODE_ALL, CSM_CODE_ALL);
    const csm_column *gg = csm_table_find(grp, "group");
    const csm_column *gm = csm_table_find(grp, "median");
    const csm_column *gn = csm_table_find(grp, "n");
    const double med[] = {3, 1, 5}, nn[] = {5, 2, 3};
    for (size_t i = 0; i < 3; i++) {
        ck_assert_int_eq(csm_column_is_valid(gg, i), i > 0);
        ck_assert_double_eq_tol(csm_column_double(gm, i), med[i], TOL);
        ck_assert_double_eq_tol(csm_column_double(gn, i), nn[i], TOL);
    }
    ck_assert_int_eq(csm_column_int64(gg, 2), 2);

    /* Arrow: the overall rows' group is null, the others zero-copy */
    struct ArrowSchema s;
    struct ArrowArray a;
    export_table(&s, &a, k->result, "km");
    const struct ArrowArray *ag = arrow_child(&s, &a, "group", "i");
    ck_assert_int_eq(ag->null_count, 4);
    for (size_t i = 0; i < 8; i++)
        ck_assert_int_eq(arrow_bit(ag->buffers[0], i), i >= 4);
    ck_assert_int_eq(((const int32_t *)ag->buffers[1])[4], 1);
    ck_assert_int_eq(((const int32_t *)ag->buffers[1])[7], 2);
    const struct ArrowArray *at = arrow_child(&s, &a, "time", "g");
    ck_assert_int_eq(at->null_count, 0);
    ck_assert_ptr_eq(at->buffers[1], k->time);
    /* overall S = 4/5, 3/5, 3/10, 0 (test_km_groups) */
    const struct ArrowArray *as = arrow_child(&s, &a, "survival", "g");
    ck_assert_double_eq_tol(((const double *)as->buffers[1])[2], 0.3, TOL);
    /* S = 0 at the overall t = 5 (row 3): stderr and band null there */
    const struct ArrowArray *ase = arrow_child(&s, &a, "stderr", "g");
    ck_assert(!arrow_bit(ase->buffers[0], 3));
    ck_assert(arrow_bit(ase->buffers[0], 2));
    ck_assert(!arrow_bit(arrow_child(&s, &a, "lower", "g")->buffers[0], 3));
    s.release(&s);
    a.release(&a);
    export_table(&s, &a, k->result, "km_groups");
    ag = arrow_child(&s, &a, "group", "i");
    ck_assert_int_eq(ag->null_count, 1);
    ck_assert(!arrow_bit(ag->buffers[0], 0));
    ck_assert_int_eq(((const int32_t *)ag->buffers[1])[2], 2);
    s.release(&s);
    a.release(&a);
    csm_km_free(k);

    /* without the overall curve: groups 1, 1, 2, 2, every one defined */
    k = km_ok(t, e, NULL, g, 5, NULL);
    const int32_t rg2[] = {1, 1, 2, 2};
    ck_assert_uint_eq(csm_result_table(k->result, 0)->n_rows, 4);
    cg = csm_table_find(csm_result_find(k->result, "km"), "group");
    for (size_t i = 0; i < 4; i++) {
        ck_assert_int_eq(k->row_group[i], rg2[i]);
        ck_assert_int_eq(csm_column_is_valid(cg, i), 1);
    }
    csm_km_free(k);
}
END_TEST

START_TEST(test_km_arrow_medians) {
    /* 6-MP (test_km_6mp_table): median 23, median_low 13, median_high not
     * reached (NaN -> null); one overall curve, its group null in every
     * one of the 16 rows */
    csm_km *k = km_ok(mp_t, mp_e, NULL, NULL, MP_N, NULL);
    for (size_t i = 0; i < 16; i++)
        ck_assert_int_eq(k->row_group[i], CSM_CODE_ALL);
    struct ArrowSchema s;
    struct ArrowArray a;
    export_table(&s, &a, k->result, "km_groups");
    ck_assert_int_eq(a.length, 1);
    const struct ArrowArray *m = arrow_child(&s, &a, "median", "g");
    ck_assert_int_eq(m->null_count, 0);
    ck_assert_ptr_null(m->buffers[0]);
    ck_assert_double_eq_tol(((const double *)m->buffers[1])[0], 23, TOL);
    const struct ArrowArray *lo = arrow_child(&s, &a, "median_low", "g");
    ck_assert_double_eq_tol(((const double *)lo->buffers[1])[0], 13, TOL);
    const struct ArrowArray *hi = arrow_child(&s, &a, "median_high", "g");
    ck_assert_int_eq(hi->null_count, 1);
    ck_assert(!arrow_bit(hi->buffers[0], 0));
    const struct ArrowArray *fl = arrow_child(&s, &a, "flags", "I");
    ck_assert_uint_eq(((const uint32_t *)fl->buffers[1])[0],
                      CSM_FLAG_MEDIAN_UPPER_NOT_REACHED);
    /* the rmst to 35 of test_km_6mp_table: 23.287395 */
    const struct ArrowArray *rm = arrow_child(&s, &a, "rmst", "g");
    ck_assert_double_eq_tol(((const double *)rm->buffers[1])[0], 23.287395,
                            1e-6);
    ck_assert_int_eq(arrow_child(&s, &a, "group", "i")->null_count, 1);
    s.release(&s);
    a.release(&a);
    export_table(&s, &a, k->result, "km");
    ck_assert_int_eq(a.length, 16);
    ck_assert_int_eq(arrow_child(&s, &a, "group", "i")->null_count, 16);
    /* S(6) = 6/7, S(23) = 160/357 (row 11), by hand in test_km_6mp_table */
    const struct ArrowArray *sv = arrow_child(&s, &a, "survival", "g");
    ck_assert_double_eq_tol(((const double *)sv->buffers[1])[0], 6.0 / 7, TOL);
    ck_assert_double_eq_tol(((const double *)sv->buffers[1])[11],
                            160.0 / 357, TOL);
    /* the caller frees first: the export keeps the data alive */
    csm_km_free(k);
    ck_assert_double_eq_tol(((const double *)sv->buffers[1])[11],
                            160.0 / 357, TOL);
    s.release(&s);
    a.release(&a);

    /* 1, 2*, 3*, 4* (test_edge_median_not_reached): S = 3/4 from t = 1,
     * the median itself is null */
    const double t[] = {1, 2, 3, 4};
    const uint8_t e[] = {1, 0, 0, 0};
    k = km_ok(t, e, NULL, NULL, 4, NULL);
    export_table(&s, &a, k->result, "km_groups");
    m = arrow_child(&s, &a, "median", "g");
    ck_assert_int_eq(m->null_count, 1);
    ck_assert(!arrow_bit(m->buffers[0], 0));
    ck_assert_double_eq_tol(
        ((const double *)arrow_child(&s, &a, "rmst", "g")->buffers[1])[0],
        3.25, TOL);
    s.release(&s);
    a.release(&a);
    csm_km_free(k);

    /* no curves (groups, n = 0): both tables empty, row_offset {0} */
    const int32_t g[] = {1};
    k = km_ok(NULL, NULL, NULL, g, 0, NULL);
    ck_assert_uint_eq(csm_result_find(k->result, "km")->n_rows, 0);
    ck_assert_uint_eq(csm_result_find(k->result, "km_groups")->n_rows, 0);
    ck_assert_uint_eq(k->row_offset[0], 0);
    export_table(&s, &a, k->result, "km_groups");
    ck_assert_int_eq(a.length, 0);
    s.release(&s);
    a.release(&a);
    csm_km_free(k);
}
END_TEST

START_TEST(test_lifetimes_table) {
    /* the ledger of test_lifetimes (hand-worked there) */
    csm_ledger *l = lt_ledger(0, NULL);
    csm_lifetimes *lt = NULL;
    csm_error err;
    ck_assert_int_eq(csm_lifetimes_from_ledger(&lt, l, NULL, &err), CSM_OK);
    ck_assert_str_eq(csm_result_kind(lt->result), "lifetimes");
    ck_assert_ptr_eq(csm_result_view(lt->result), lt);
    ck_assert_uint_eq(csm_result_n_tables(lt->result), 1);
    ck_assert_uint_eq(lt->n_rows, 7);
    ck_assert_uint_eq(lt->n, 7);
    const want_col ls[] = {
        WANT("customer_id", ID, I64, KEY, lt->customer_id),
        WANT("first_month", MONTH, I32, MAIN, lt->first_month),
        WANT("segment", CODE, I32, DETAIL, lt->segment),
        WANT("duration", NUMBER, F64, MAIN, lt->duration),
        WANT("event", BOOL, U8, MAIN, lt->event)};
    const csm_table *t = csm_result_table(lt->result, 0);
    check_table(t, "lifetimes", 7, ls, N_WANT(ls));
    ck_assert_ptr_eq(csm_result_find(lt->result, "lifetimes"), t);
    /* durations 6 2 2 3 1 1 1, events 0 1 1 0 0 1 1 (test_lifetimes) */
    const csm_column *cd = csm_table_find(t, "duration");
    const csm_column *ce = csm_table_find(t, "event");
    ck_assert_double_eq_tol(csm_column_double(cd, 3), 3, TOL);
    ck_assert_int_eq(csm_column_int64(ce, 2), 1);
    ck_assert_int_eq(csm_column_int64(csm_table_find(t, "customer_id"), 6),
                     7);

    struct ArrowSchema s;
    struct ArrowArray a;
    export_table(&s, &a, lt->result, "lifetimes");
    const struct ArrowArray *id = arrow_child(&s, &a, "customer_id", "l");
    ck_assert_int_eq(((const int64_t *)id->buffers[1])[4], 5);
    /* first months M0 M0 M1 M3 M5 M2 M0 as days since 1970-01-01:
     * 2024-01-01 = 19723 (54 x 365 + 13 leap days 1972..2020), then +31
     * (Jan) = 19754, +29 (Feb 2024) = 19783, +31 = 19814, +30 = 19844,
     * +31 = 19875 */
    const int32_t days[] = {19723, 19723, 19754, 19814, 19875, 19783, 19723};
    const struct ArrowArray *fm = arrow_child(&s, &a, "first_month", "tdD");
    ck_assert_int_eq(fm->null_count, 0);
    for (size_t i = 0; i < 7; i++)
        ck_assert_int_eq(((const int32_t *)fm->buffers[1])[i], days[i]);
    ck_assert_int_eq(csm_day(2024, 6, 1), 19875);
    /* events 0 1 1 0 0 1 1 bit-packed, least significant bit first:
     * bits 1, 2, 5, 6 = 0x02 + 0x04 + 0x20 + 0x40 = 0x66 */
    const struct ArrowArray *ev = arrow_child(&s, &a, "event", "b");
    ck_assert_uint_eq(((const uint8_t *)ev->buffers[1])[0], 0x66);
    const struct ArrowArray *sg = arrow_child(&s, &a, "segment", "i");
    ck_assert_int_eq(((const int32_t *)sg->buffers[1])[2], 2);
    ck_assert_ptr_eq(arrow_child(&s, &a, "duration", "g")->buffers[1],
                     lt->duration);
    s.release(&s);
    a.release(&a);
    csm_lifetimes_free(lt);
    /* as_of before the first month: a 0-row table */
    csm_lifetimes_opts o = CSM_LIFETIMES_OPTS_INIT;
    o.as_of = M(-1);
    ck_assert_int_eq(csm_lifetimes_from_ledger(&lt, l, &o, &err), CSM_OK);
    ck_assert_uint_eq(csm_result_table(lt->result, 0)->n_rows, 0);
    ck_assert_uint_eq(lt->n_rows, 0);
    csm_lifetimes_free(lt);
    csm_ledger_free(l);
}
END_TEST

START_TEST(test_sbg_table) {
    /* fits of test_sbg_fit_published (published and independently fitted
     * values asserted there) and a fit that fails before iterating
     * (nobody churned: NaN estimates, converged 0, no cohorts counted) */
    csm_sbg f[3];
    csm_error err;
    ck_assert_int_eq(csm_sbg_fit(&f[0], high_end, NULL, 8, NULL, &err),
                     CSM_OK);
    ck_assert_int_eq(csm_sbg_fit(&f[1], regular, NULL, 8, NULL, &err),
                     CSM_OK);
    const double flat[] = {100, 100, 100, 100};
    ck_assert_int_eq(csm_sbg_fit(&f[2], flat, NULL, 4, NULL, &err),
                     CSM_ENOCONV);
    csm_sbg_fits *t = NULL;
    ck_assert_int_eq(csm_sbg_table(&t, f, 3, NULL, &err), CSM_OK);
    ck_assert_str_eq(csm_result_kind(t->result), "sbg");
    ck_assert_ptr_eq(csm_result_view(t->result), t);
    ck_assert_uint_eq(t->n_rows, 3);
    const want_col ss[] = {
        WANT("alpha", NUMBER, F64, MAIN, t->alpha),
        WANT("beta", NUMBER, F64, MAIN, t->beta),
        WANT("se_alpha", NUMBER, F64, DETAIL, t->se_alpha),
        WANT("se_beta", NUMBER, F64, DETAIL, t->se_beta),
        WANT("cov_alpha_beta", NUMBER, F64, DETAIL, t->cov_alpha_beta),
        WANT("loglik", NUMBER, F64, MAIN, t->loglik),
        WANT("iterations", COUNT, I32, DETAIL, t->iterations),
        WANT("converged", BOOL, I32, MAIN, t->converged),
        WANT("n_cohorts", COUNT, I64, DETAIL, t->n_cohorts),
        WANT("n_customers", COUNT, F64, DETAIL, t->n_customers),
        WANT("flags", FLAGS, U32, DETAIL, t->flags)};
    const csm_table *tb = csm_result_table(t->result, 0);
    check_table(tb, "sbg", 3, ss, N_WANT(ss));
    /* every value is the field it came from */
    for (size_t i = 0; i < 3; i++) {
        ck_assert(memcmp(&t->alpha[i], &f[i].alpha, sizeof(double)) == 0);
        ck_assert(memcmp(&t->beta[i], &f[i].beta, sizeof(double)) == 0);
        ck_assert(memcmp(&t->se_alpha[i], &f[i].se_alpha, 8) == 0);
        ck_assert(memcmp(&t->se_beta[i], &f[i].se_beta, 8) == 0);
        ck_assert(memcmp(&t->cov_alpha_beta[i], &f[i].cov_alpha_beta, 8) ==
                  0);
        ck_assert(memcmp(&t->loglik[i], &f[i].loglik, 8) == 0);
        ck_assert_int_eq(t->iterations[i], f[i].iterations);
        ck_assert_int_eq(t->converged[i], f[i].converged);
        ck_assert_int_eq(t->n_cohorts[i], f[i].n_cohorts);
        ck_assert(memcmp(&t->n_customers[i], &f[i].n_customers, 8) == 0);
        ck_assert_uint_eq(t->flags[i], f[i].flags);
    }
    /* and the published / independently fitted values (Fader & Hardie
     * 2007: High End 0.668, 3.806, LL -1611.2; Regular 0.704, 1.182;
     * Nelder-Mead: 0.6680883, 3.8060951, -1611.158147; 0.7040773) */
    const csm_column *ca = csm_table_find(tb, "alpha");
    ck_assert_double_eq_tol(csm_column_double(ca, 0), 0.6680883, 2e-6);
    ck_assert_double_eq_tol(csm_column_double(ca, 0), 0.668, 5e-4);
    ck_assert_double_eq_tol(t->beta[0], 3.8060951, 2e-5);
    ck_assert_double_eq_tol(t->loglik[0], -1611.158147, 1e-5);
    ck_assert_double_eq_tol(t->se_alpha[0], 0.103729, 1e-4);
    ck_assert_double_eq_tol(csm_column_double(ca, 1), 0.7040773, 2e-6);
    ck_assert_double_eq_tol(t->beta[1], 1.1820430, 2e-6);
    ck_assert_double_eq_tol(t->loglik[1], -1680.265188, 1e-5);
    ck_assert_int_eq(t->n_cohorts[0], 1);
    ck_assert_double_eq_tol(t->n_customers[0], 1000, TOL);
    ck_assert_int_eq(t->converged[0], 1);
    ck_assert_int_eq(t->converged[2], 0);
    ck_assert_int_eq(csm_column_is_valid(ca, 2), 0);

    struct ArrowSchema s;
    struct ArrowArray a;
    export_table(&s, &a, t->result, "sbg");
    const struct ArrowArray *aa = arrow_child(&s, &a, "alpha", "g");
    ck_assert_int_eq(aa->null_count, 1);
    ck_assert(arrow_bit(aa->buffers[0], 0) && arrow_bit(aa->buffers[0], 1));
    ck_assert(!arrow_bit(aa->buffers[0], 2));
    ck_assert_double_eq_tol(((const double *)aa->buffers[1])[1], 0.7040773,
                            2e-6);
    ck_assert_int_eq(arrow_child(&s, &a, "loglik", "g")->null_count, 1);
    const struct ArrowArray *nc = arrow_child(&s, &a, "n_cohorts", "l");
    ck_assert_int_eq(((const int64_t *)nc->buffers[1])[1], 1);
    ck_assert_int_eq(((const int64_t *)nc->buffers[1])[2], 0);
    const struct ArrowArray *cv = arrow_child(&s, &a, "converged", "i");
    ck_assert_int_eq(((const int32_t *)cv->buffers[1])[0], 1);
    ck_assert_int_eq(((const int32_t *)cv->buffers[1])[2], 0);
    arrow_child(&s, &a, "flags", "I");
    s.release(&s);
    a.release(&a);
    csm_sbg_fits_free(t);

    /* one fit, one row */
    ck_assert_int_eq(csm_sbg_table(&t, &f[0], 1, NULL, &err), CSM_OK);
    ck_assert_uint_eq(csm_result_table(t->result, 0)->n_rows, 1);
    ck_assert_double_eq_tol(t->alpha[0], 0.6680883, 2e-6);
    csm_sbg_fits_free(t);
    /* n = 0: a 0-row table (fits may be NULL) */
    ck_assert_int_eq(csm_sbg_table(&t, NULL, 0, NULL, &err), CSM_OK);
    ck_assert_uint_eq(t->n_rows, 0);
    ck_assert_uint_eq(csm_result_table(t->result, 0)->n_rows, 0);
    ck_assert_uint_eq(csm_result_table(t->result, 0)->n_columns, 11);
    csm_sbg_fits_free(t);
    /* errors */
    t = (csm_sbg_fits *)1;
    ck_assert_int_eq(csm_sbg_table(&t, NULL, 2, NULL, &err), CSM_EINVAL);
    ck_assert_str_eq(err.field, "fits");
    ck_assert_ptr_null(t);
    ck_assert_int_eq(csm_sbg_table(NULL, f, 1, NULL, &err), CSM_EINVAL);
    csm_sbg_fits_free(NULL);
}
END_TEST

START_TEST(test_sbg_model_table) {
    /* three models, margin 100 per period, d = 0.1 (z = 1/1.1, L = -ln(1 -
     * z) = ln 11):
     *   alpha = beta = 1: S(t) = 1/(t+1), E[T] infinite (alpha <= 1: NaN,
     *     INFINITE); DEL = 1.1 ln 11 and LTV = 110 ln 11 (test_ltv);
     *   alpha 2, beta 3: E[T] = 4 (test_sbg_expected_lifetime); S(t) =
     *     12/((t+3)(t+4)) = 12 (1/(t+3) - 1/(t+4)) and sum_{t>=0}
     *     z^t/(t+k) = z^-k (L - sum_{m<k} z^m/m), so DEL = 12 (A3 - A4) with
     *     A3 = z^-3 (L - z - z^2/2), A4 = z^-4 (L - z - z^2/2 - z^3/3)
     *     = 2.68208167028644 (direct summation agrees);
     *   the published High End fit 0.668, 3.806 (Fader & Hardie 2007):
     *     alpha < 1, E[T] infinite; DEL = 5.92259640761276 (mpmath at 40
     *     digits, test_del_derl_values), LTV = 100 x that. */
    csm_sbg f[3];
    memset(f, 0, sizeof f);
    f[0].alpha = 1, f[0].beta = 1;
    f[1].alpha = 2, f[1].beta = 3;
    f[2].alpha = 0.668, f[2].beta = 3.806;
    csm_sbg_models *m = NULL;
    csm_error err;
    ck_assert_int_eq(csm_sbg_model(&m, f, 3, 100, 0.1, NULL, &err), CSM_OK);
    ck_assert_str_eq(csm_result_kind(m->result), "sbg_model");
    ck_assert_ptr_eq(csm_result_view(m->result), m);
    ck_assert_uint_eq(m->n_rows, 3);
    const want_col ms[] = {
        WANT("alpha", NUMBER, F64, DETAIL, m->model_alpha),
        WANT("beta", NUMBER, F64, DETAIL, m->model_beta),
        WANT("margin", MONEY, F64, DETAIL, m->margin),
        WANT("discount", FRACTION, F64, DETAIL, m->discount),
        WANT("expected_lifetime", NUMBER, F64, MAIN, m->expected_lifetime),
        WANT("del", NUMBER, F64, MAIN, m->del),
        WANT("ltv_new", MONEY, F64, MAIN, m->ltv_new),
        WANT("flags", FLAGS, U32, DETAIL, m->model_flags)};
    const csm_table *tb = csm_result_table(m->result, 0);
    check_table(tb, "sbg_model", 3, ms, N_WANT(ms));
    ck_assert_ptr_eq(csm_result_find(m->result, "sbg_model"), tb);
    const double z = 1 / 1.1, L = log(11.0);
    const double a3 = (L - z - z * z / 2) / (z * z * z);
    const double a4 = (L - z - z * z / 2 - z * z * z / 3) / (z * z * z * z);
    const double del[3] = {1.1 * log(11.0), 12 * (a3 - a4), 5.92259640761276};
    ck_assert_double_eq_tol(del[1], 2.68208167028644, 1e-12);
    for (int i = 0; i < 3; i++) {
        ck_assert_double_eq(m->model_alpha[i], f[i].alpha);
        ck_assert_double_eq(m->model_beta[i], f[i].beta);
        ck_assert_double_eq(m->margin[i], 100);
        ck_assert_double_eq(m->discount[i], 0.1);
        ck_assert_double_eq_tol(m->del[i], del[i], 1e-11);
        ck_assert_double_eq_tol(m->ltv_new[i], 100 * del[i], 1e-9);
        /* exactly what the functions it calls return */
        double v;
        ck_assert_int_eq(csm_sbg_ltv_new(&v, f[i].alpha, f[i].beta, 100, 0.1,
                                         &err),
                         CSM_OK);
        ck_assert(memcmp(&v, &m->ltv_new[i], sizeof v) == 0);
        ck_assert_int_eq(csm_sbg_del(&v, f[i].alpha, f[i].beta, 0.1, &err),
                         CSM_OK);
        ck_assert(memcmp(&v, &m->del[i], sizeof v) == 0);
    }
    ck_assert(isnan(m->expected_lifetime[0]));
    ck_assert_uint_eq(m->model_flags[0], CSM_FLAG_INFINITE);
    ck_assert_double_eq_tol(m->expected_lifetime[1], 4, TOL);
    ck_assert_uint_eq(m->model_flags[1], 0);
    ck_assert(isnan(m->expected_lifetime[2]));
    ck_assert_uint_eq(m->model_flags[2], CSM_FLAG_INFINITE);
    ck_assert_double_eq_tol(m->ltv_new[0], 110 * log(11.0), 1e-11);

    /* Arrow: the infinite expectations are nulls */
    struct ArrowSchema s;
    struct ArrowArray a;
    export_table(&s, &a, m->result, "sbg_model");
    const struct ArrowArray *el = arrow_child(&s, &a, "expected_lifetime", "g");
    ck_assert_int_eq(el->null_count, 2);
    ck_assert(!arrow_bit(el->buffers[0], 0));
    ck_assert(arrow_bit(el->buffers[0], 1));
    ck_assert(!arrow_bit(el->buffers[0], 2));
    ck_assert_double_eq_tol(((const double *)el->buffers[1])[1], 4, TOL);
    const struct ArrowArray *lv = arrow_child(&s, &a, "ltv_new", "g");
    ck_assert_int_eq(lv->null_count, 0);
    ck_assert_double_eq_tol(((const double *)lv->buffers[1])[2],
                            592.259640761276, 1e-9);
    const struct ArrowArray *fl = arrow_child(&s, &a, "flags", "I");
    ck_assert_uint_eq(((const uint32_t *)fl->buffers[1])[0],
                      CSM_FLAG_INFINITE);
    ck_assert_uint_eq(((const uint32_t *)fl->buffers[1])[1], 0);
    s.release(&s);
    a.release(&a);
    csm_sbg_models_free(m);

    /* a fitted model (test_sbg_fit_published): one row, its alpha and beta;
     * LTV close to the rounded-parameter value 50 x 5.9226 (test_ltv) */
    csm_sbg fit;
    ck_assert_int_eq(csm_sbg_fit(&fit, high_end, NULL, 8, NULL, &err),
                     CSM_OK);
    ck_assert_int_eq(csm_sbg_model(&m, &fit, 1, 50, 0.1, NULL, &err), CSM_OK);
    ck_assert_uint_eq(csm_result_table(m->result, 0)->n_rows, 1);
    ck_assert_double_eq(m->model_alpha[0], fit.alpha);
    ck_assert_double_eq_tol(m->model_alpha[0], 0.6680883, 2e-6);
    ck_assert_double_eq_tol(m->ltv_new[0], 50 * 5.92259640761276, 0.05);
    csm_sbg_models_free(m);
    /* n = 0: a 0-row table (fits may be NULL) */
    ck_assert_int_eq(csm_sbg_model(&m, NULL, 0, 10, 0.1, NULL, &err), CSM_OK);
    ck_assert_uint_eq(m->n_rows, 0);
    ck_assert_uint_eq(csm_result_table(m->result, 0)->n_rows, 0);
    ck_assert_uint_eq(csm_result_table(m->result, 0)->n_columns, 8);
    csm_sbg_models_free(m);

    /* errors: *out NULL, the field (and the fit's row) named */
    m = (csm_sbg_models *)1;
    ck_assert_int_eq(csm_sbg_model(&m, NULL, 2, 10, 0.1, NULL, &err),
                     CSM_EINVAL);
    ck_assert_str_eq(err.field, "fits");
    ck_assert_ptr_null(m);
    ck_assert_int_eq(csm_sbg_model(NULL, f, 1, 10, 0.1, NULL, &err),
                     CSM_EINVAL);
    m = (csm_sbg_models *)1;
    ck_assert_int_eq(csm_sbg_model(&m, f, 3, NAN, 0.1, NULL, &err),
                     CSM_EDOMAIN);
    ck_assert_str_eq(err.field, "margin");
    ck_assert_ptr_null(m);
    ck_assert_int_eq(csm_sbg_model(&m, f, 3, 10, 0, NULL, &err), CSM_EDOMAIN);
    ck_assert_str_eq(err.field, "discount");
    ck_assert_int_eq(csm_sbg_model(&m, f, 3, 10, -0.1, NULL, &err),
                     CSM_EDOMAIN);
    /* the NaN estimates of a failed fit (nobody churned) */
    const double flat[] = {100, 100, 100, 100};
    csm_sbg g[2] = {f[1], f[1]};
    ck_assert_int_eq(csm_sbg_fit(&g[1], flat, NULL, 4, NULL, &err),
                     CSM_ENOCONV);
    m = (csm_sbg_models *)1;
    ck_assert_int_eq(csm_sbg_model(&m, g, 2, 10, 0.1, NULL, &err),
                     CSM_EDOMAIN);
    ck_assert_str_eq(err.field, "alpha");
    ck_assert_uint_eq(err.row, 1);
    ck_assert_ptr_null(m);
    g[1] = f[1];
    g[1].beta = 0;
    ck_assert_int_eq(csm_sbg_model(&m, g, 2, 10, 0.1, NULL, &err),
                     CSM_EDOMAIN);
    ck_assert_str_eq(err.field, "beta");
    ck_assert_uint_eq(err.row, 1);
    /* a discount so small that the DEL series cannot finish
     * (test_del_derl_values): nothing is left allocated */
    g[1].alpha = 0.5, g[1].beta = 1;
    m = (csm_sbg_models *)1;
    ck_assert_int_eq(csm_sbg_model(&m, g, 2, 10, 1e-13, NULL, &err),
                     CSM_ENOCONV);
    ck_assert_ptr_null(m);
    csm_sbg_models_free(NULL);
}
END_TEST

START_TEST(test_sbg_projection_table) {
    /* the published High End parameters, a cohort of 1000: S(8..12) by
     * the 40-digit mpmath recursion quoted in test_sbg_projection;
     * S(1) = 3.806/4.474, P(T = 1) = 0.668/4.474 */
    static const double pub[] = {0.460478958809, 0.435819671934,
                                 0.414213056166, 0.395096411043,
                                 0.378040420182};
    csm_sbg_projection *p = NULL;
    csm_error err;
    ck_assert_int_eq(csm_sbg_project(&p, 13, 0.668, 3.806, 1000, NULL, &err),
                     CSM_OK);
    ck_assert_str_eq(csm_result_kind(p->result), "sbg_curve");
    ck_assert_ptr_eq(csm_result_view(p->result), p);
    ck_assert_uint_eq(p->n_rows, 13);
    ck_assert_double_eq(p->alpha, 0.668);
    ck_assert_double_eq(p->beta, 3.806);
    ck_assert_double_eq(p->cohort_size, 1000);
    const want_col cs[] = {
        WANT("period", NUMBER, I32, KEY, p->period),
        WANT("survival", FRACTION, F64, MAIN, p->survival),
        WANT("retention", FRACTION, F64, MAIN, p->retention),
        WANT("churn", FRACTION, F64, MAIN, p->churn),
        WANT("survivors", COUNT, F64, MAIN, p->survivors),
        WANT("churned", COUNT, F64, DETAIL, p->churned)};
    const csm_table *tb = csm_result_table(p->result, 0);
    check_table(tb, "sbg_curve", 13, cs, N_WANT(cs));
    ck_assert_ptr_eq(csm_result_find(p->result, "sbg_curve"), tb);
    for (int t = 0; t < 13; t++)
        ck_assert_int_eq(p->period[t], t);
    for (int t = 8; t <= 12; t++) {
        ck_assert_double_eq_tol(p->survival[t], pub[t - 8], 1e-11);
        ck_assert_double_eq_tol(p->survivors[t], 1000 * pub[t - 8], 1e-8);
    }
    ck_assert_double_eq_tol(p->survival[0], 1, TOL);
    ck_assert_double_eq_tol(p->survivors[0], 1000, 1e-9);
    ck_assert_double_eq_tol(p->survivors[1], 1000 * 3.806 / 4.474, 1e-9);
    ck_assert_double_eq_tol(p->retention[1], 3.806 / 4.474, TOL);
    ck_assert_double_eq_tol(p->churn[1], 0.668 / 4.474, TOL);
    ck_assert_double_eq_tol(p->churned[1], 1000 * 0.668 / 4.474, 1e-9);
    ck_assert(isnan(p->retention[0]));
    ck_assert_double_eq_tol(p->churn[0], 0, TOL);
    ck_assert_double_eq_tol(p->churned[0], 0, TOL);

    struct ArrowSchema s;
    struct ArrowArray a;
    export_table(&s, &a, p->result, "sbg_curve");
    const struct ArrowArray *pr = arrow_child(&s, &a, "period", "i");
    ck_assert_int_eq(pr->null_count, 0);
    ck_assert_int_eq(((const int32_t *)pr->buffers[1])[12], 12);
    /* r(0) is undefined: null */
    const struct ArrowArray *re = arrow_child(&s, &a, "retention", "g");
    ck_assert_int_eq(re->null_count, 1);
    ck_assert(!arrow_bit(re->buffers[0], 0));
    ck_assert(arrow_bit(re->buffers[0], 1));
    const struct ArrowArray *sv = arrow_child(&s, &a, "survivors", "g");
    ck_assert_double_eq_tol(((const double *)sv->buffers[1])[8],
                            460.478958809, 1e-8);
    s.release(&s);
    a.release(&a);
    csm_sbg_projection_free(p);

    /* alpha = 2, beta = 3, 100 customers (test_sbg_curve_hand: S(t) =
     * 12/((t+3)(t+4))): S = 1, 3/5, 2/5, 12/42 = 2/7; r(t) = (t+2)/(t+4):
     * 3/5, 4/6, 5/7; P(T = t) = 0, 2/5, 1/5, 2/5 - 2/7 = 4/35; survivors
     * 100, 60, 40, 200/7; churned 0, 40, 20, 80/7 */
    ck_assert_int_eq(csm_sbg_project(&p, 4, 2, 3, 100, NULL, &err), CSM_OK);
    const double S[] = {1, 0.6, 0.4, 2.0 / 7};
    const double r[] = {NAN, 0.6, 4.0 / 6, 5.0 / 7};
    const double c[] = {0, 0.4, 0.2, 4.0 / 35};
    const double sv4[] = {100, 60, 40, 200.0 / 7};
    const double ch4[] = {0, 40, 20, 80.0 / 7};
    for (size_t t = 0; t < 4; t++) {
        ck_assert_double_eq_tol(p->survival[t], S[t], TOL);
        if (t > 0)
            ck_assert_double_eq_tol(p->retention[t], r[t], TOL);
        ck_assert_double_eq_tol(p->churn[t], c[t], TOL);
        ck_assert_double_eq_tol(p->survivors[t], sv4[t], 1e-10);
        ck_assert_double_eq_tol(p->churned[t], ch4[t], 1e-10);
    }
    csm_sbg_projection_free(p);
    /* a cohort of 0: zero survivors; n = 0: a 0-row table */
    ck_assert_int_eq(csm_sbg_project(&p, 3, 2, 3, 0, NULL, &err), CSM_OK);
    ck_assert_double_eq_tol(p->survivors[2], 0, TOL);
    ck_assert_double_eq_tol(p->survival[2], 0.4, TOL);
    csm_sbg_projection_free(p);
    ck_assert_int_eq(csm_sbg_project(&p, 0, 2, 3, 10, NULL, &err), CSM_OK);
    ck_assert_uint_eq(csm_result_table(p->result, 0)->n_rows, 0);
    csm_sbg_projection_free(p);
    /* errors: *out NULL, nothing allocated */
    p = (csm_sbg_projection *)1;
    ck_assert_int_eq(csm_sbg_project(&p, 3, 0, 3, 10, NULL, &err),
                     CSM_EDOMAIN);
    ck_assert_str_eq(err.field, "alpha");
    ck_assert_ptr_null(p);
    ck_assert_int_eq(csm_sbg_project(&p, 3, 2, INFINITY, 10, NULL, &err),
                     CSM_EDOMAIN);
    ck_assert_str_eq(err.field, "beta");
    ck_assert_int_eq(csm_sbg_project(&p, 3, 2, 3, -1, NULL, &err),
                     CSM_EDOMAIN);
    ck_assert_str_eq(err.field, "cohort_size");
    ck_assert_int_eq(csm_sbg_project(&p, 3, 2, 3, NAN, NULL, &err),
                     CSM_EDOMAIN);
    ck_assert_str_eq(err.field, "cohort_size");
    ck_assert_int_eq(csm_sbg_project(&p, (size_t)INT32_MAX + 2, 2, 3, 1, NULL,
                                     &err),
                     CSM_ERANGE);
    ck_assert_str_eq(err.field, "n_periods");
    ck_assert_ptr_null(p);
    ck_assert_int_eq(csm_sbg_project(NULL, 3, 2, 3, 1, NULL, &err),
                     CSM_EINVAL);
    csm_sbg_projection_free(NULL);
}
END_TEST

/* ==== out of memory ========================================================== */
START_TEST(test_out_of_memory) {
    /* fail each allocation in turn: CSM_ENOMEM, *out NULL, nothing left
     * allocated, until the budget suffices */
    const int32_t g[MP_N] = {1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1,
                             2, 1, 2, 1, 2, 1, 2, 1, 2, 1};
    int done = 0;
    for (long b = 0; b < 100 && !done; b++) {
        fail_ctx f = {b, 0};
        csm_allocator a = {fail_alloc, fail_free, &f, NULL};
        csm_km_opts o = CSM_KM_OPTS_INIT;
        o.allocator = &a;
        o.include_overall = 1;
        const double at[] = {12, 24};
        o.at_times = at;
        o.n_at_times = 2;
        csm_km *k = (csm_km *)1;
        csm_status s = csm_km_compute(&k, mp_t, mp_e, NULL, g, MP_N, &o, NULL);
        ck_assert(s == CSM_OK || s == CSM_ENOMEM);
        if (s == CSM_OK) {
            ck_assert_uint_eq(k->n_groups, 3);
            ck_assert_double_eq_tol(k->median[0], 23, TOL);
            /* overall S(12) = S(11) = 64/85 (test_km_at_times) */
            ck_assert_uint_eq(k->n_at_rows, 6);
            ck_assert_double_eq_tol(k->at_surv[0], 64.0 / 85, TOL);
            done = 1;
        } else {
            ck_assert_ptr_null(k);
        }
        csm_km_free(k);
        ck_assert_int_eq(f.live, 0);
    }
    ck_assert(done);
    done = 0;
    for (long b = 0; b < 100 && !done; b++) {
        fail_ctx f = {-1, 0};
        csm_allocator a = {fail_alloc, fail_free, &f, NULL};
        csm_ledger *l = lt_ledger(0, &a);
        ck_assert_ptr_nonnull(l);
        f.budget = b;
        csm_lifetimes *lt = (csm_lifetimes *)1;
        csm_status s = csm_lifetimes_from_ledger(&lt, l, NULL, NULL);
        ck_assert(s == CSM_OK || s == CSM_ENOMEM);
        if (s == CSM_OK) {
            ck_assert_uint_eq(lt->n, 7);
            done = 1;
        } else {
            ck_assert_ptr_null(lt);
        }
        csm_lifetimes_free(lt);
        csm_ledger_free(l);
        ck_assert_int_eq(f.live, 0);
    }
    ck_assert(done);
}
END_TEST

START_TEST(test_tables_out_of_memory) {
    /* csm_sbg_table, csm_sbg_project, csm_sbg_model and the Arrow export of both
     * Kaplan-Meier tables: each allocation fails in turn, the failure is
     * reported, *out is NULL (the Arrow outputs untouched), nothing leaks */
    csm_sbg f;
    ck_assert_int_eq(csm_sbg_fit(&f, high_end, NULL, 8, NULL, NULL), CSM_OK);
    int done = 0;
    long fails = 0;
    for (long b = 0; b < 20 && !done; b++) {
        fail_ctx fc = {b, 0};
        csm_allocator a = {fail_alloc, fail_free, &fc, NULL};
        csm_sbg_fits *t = (csm_sbg_fits *)1;
        csm_status s = csm_sbg_table(&t, &f, 1, &(csm_result_opts){sizeof(csm_result_opts), &a}, NULL);
        ck_assert(s == CSM_OK || s == CSM_ENOMEM);
        if (s == CSM_OK) {
            ck_assert_double_eq_tol(t->alpha[0], 0.6680883, 2e-6);
            done = 1;
        } else {
            ck_assert_ptr_null(t);
            fails++;
        }
        csm_sbg_fits_free(t);
        ck_assert_int_eq(fc.live, 0);
    }
    ck_assert(done && fails > 0);
    done = 0;
    fails = 0;
    for (long b = 0; b < 20 && !done; b++) {
        fail_ctx fc = {b, 0};
        csm_allocator a = {fail_alloc, fail_free, &fc, NULL};
        csm_sbg_projection *p = (csm_sbg_projection *)1;
        csm_status s = csm_sbg_project(&p, 3, 2, 3, 100, &(csm_result_opts){sizeof(csm_result_opts), &a}, NULL);
        ck_assert(s == CSM_OK || s == CSM_ENOMEM);
        if (s == CSM_OK) {
            ck_assert_double_eq_tol(p->survivors[2], 40, 1e-10); /* 100 x 2/5 */
            done = 1;
        } else {
            ck_assert_ptr_null(p);
            fails++;
        }
        csm_sbg_projection_free(p);
        ck_assert_int_eq(fc.live, 0);
    }
    ck_assert(done && fails > 0);
    /* csm_sbg_model: alpha 2, beta 3, margin 100: E[T] = 4, DEL and LTV
     * as in test_sbg_model_table */
    const csm_sbg m23 = {.alpha = 2, .beta = 3};
    done = 0;
    fails = 0;
    for (long b = 0; b < 20 && !done; b++) {
        fail_ctx fc = {b, 0};
        csm_allocator a = {fail_alloc, fail_free, &fc, NULL};
        csm_sbg_models *m = (csm_sbg_models *)1;
        csm_status s = csm_sbg_model(&m, &m23, 1, 100, 0.1, &(csm_result_opts){sizeof(csm_result_opts), &a}, NULL);
        ck_assert(s == CSM_OK || s == CSM_ENOMEM);
        if (s == CSM_OK) {
            ck_assert_double_eq_tol(m->expected_lifetime[0], 4, TOL);
            ck_assert_double_eq_tol(m->ltv_new[0], 268.208167028644, 1e-9);
            done = 1;
        } else {
            ck_assert_ptr_null(m);
            fails++;
        }
        csm_sbg_models_free(m);
        ck_assert_int_eq(fc.live, 0);
    }
    ck_assert(done && fails > 0);
    const int32_t g[MP_N] = {1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1,
                             2, 1, 2, 1, 2, 1, 2, 1, 2, 1};
    for (int tab = 0; tab < 3; tab++) {
        done = 0;
        fails = 0;
        for (long b = 0; b < 200 && !done; b++) {
            fail_ctx fc = {-1, 0};
            csm_allocator a = {fail_alloc, fail_free, &fc, NULL};
            csm_km_opts o = CSM_KM_OPTS_INIT;
            o.allocator = &a;
            o.include_overall = 1;
            const double at[] = {12};
            o.at_times = at;
            o.n_at_times = 1;
            csm_km *k = km_ok(mp_t, mp_e, NULL, g, MP_N, &o);
            fc.budget = b;
            struct ArrowSchema s;
            struct ArrowArray ar;
            memset(&s, 0, sizeof s);
            memset(&ar, 0, sizeof ar);
            const csm_table *t = csm_result_table(k->result, (size_t)tab);
            csm_status st = csm_table_export_arrow(&s, &ar, k->result, t, NULL);
            ck_assert(st == CSM_OK || st == CSM_ENOMEM);
            csm_km_free(k);
            if (st == CSM_OK) {
                /* the overall curve's rows: group null */
                ck_assert_int_gt(ar.children[0]->null_count, 0);
                s.release(&s);
                ar.release(&ar);
                done = 1;
            } else {
                ck_assert(s.release == NULL && ar.release == NULL);
                fails++;
            }
            ck_assert_int_eq(fc.live, 0);
        }
        ck_assert(done && fails > 0);
    }
}
END_TEST

/* ==== edge cases ============================================================= */
START_TEST(test_edge_empty) {
    /* n = 0, no groups: one empty overall curve */
    csm_km *k = km_ok(NULL, NULL, NULL, NULL, 0, NULL);
    ck_assert_uint_eq(k->n_groups, 1);
    ck_assert_uint_eq(k->n_rows, 0);
    ck_assert_int_eq(k->group[0], CSM_CODE_ALL);
    ck_assert(isnan(k->median[0]) && isnan(k->rmst[0]));
    ck_assert(k->group_flags[0] & CSM_FLAG_EMPTY);
    ck_assert(k->group_flags[0] & CSM_FLAG_MEDIAN_NOT_REACHED);
    ck_assert_double_eq_tol(k->n_obs[0], 0, TOL);
    csm_km_free(k);
    /* n = 0 with groups: no curves */
    const int32_t g[] = {1};
    k = km_ok(NULL, NULL, NULL, g, 0, NULL);
    ck_assert_uint_eq(k->n_groups, 0);
    ck_assert_uint_eq(k->row_offset[0], 0);
    csm_km_free(k);
    /* only zero weights: one curve, no rows, EMPTY */
    const double t[] = {1, 2};
    const uint8_t e[] = {1, 1};
    const double w[] = {0, 0};
    k = km_ok(t, e, w, NULL, 2, NULL);
    ck_assert_uint_eq(k->n_rows, 0);
    ck_assert(k->group_flags[0] & CSM_FLAG_EMPTY);
    csm_km_free(k);
}
END_TEST

START_TEST(test_edge_all_censored) {
    /* nobody churned: S = 1 everywhere, se 0, band [1, 1], no median */
    const double t[] = {3, 1, 2};
    const uint8_t e[] = {0, 0, 0};
    csm_km *k = km_ok(t, e, NULL, NULL, 3, NULL);
    ck_assert_uint_eq(k->n_rows, 3);
    for (size_t i = 0; i < 3; i++) {
        ck_assert_double_eq_tol(k->surv[i], 1, TOL);
        ck_assert_double_eq_tol(k->se[i], 0, TOL);
        ck_assert_double_eq_tol(k->lower[i], 1, TOL);
        ck_assert_double_eq_tol(k->upper[i], 1, TOL);
    }
    ck_assert(isnan(k->median[0]) && isnan(k->median_lower[0]) &&
              isnan(k->median_upper[0]));
    ck_assert_uint_eq(k->group_flags[0],
                      CSM_FLAG_MEDIAN_NOT_REACHED |
                          CSM_FLAG_MEDIAN_LOWER_NOT_REACHED |
                          CSM_FLAG_MEDIAN_UPPER_NOT_REACHED);
    ck_assert_uint_eq(csm_flag_median_not_reached(),
                      CSM_FLAG_MEDIAN_NOT_REACHED);
    ck_assert_uint_eq(csm_flag_median_lower_not_reached(),
                      CSM_FLAG_MEDIAN_LOWER_NOT_REACHED);
    ck_assert_uint_eq(csm_flag_median_upper_not_reached(),
                      CSM_FLAG_MEDIAN_UPPER_NOT_REACHED);
    ck_assert_double_eq_tol(k->rmst[0], 3, TOL); /* S = 1 up to 3 */
    ck_assert_double_eq_tol(k->n_events[0], 0, TOL);
    csm_km_free(k);
}
END_TEST

START_TEST(test_edge_median_not_reached) {
    /* 1, 2*, 3*, 4*: S = 3/4 from t = 1 on, never <= 0.5 */
    const double t[] = {1, 2, 3, 4};
    const uint8_t e[] = {1, 0, 0, 0};
    csm_km *k = km_ok(t, e, NULL, NULL, 4, NULL);
    ck_assert_double_eq_tol(k->surv[3], 0.75, TOL);
    ck_assert(isnan(k->median[0]));
    ck_assert(k->group_flags[0] & CSM_FLAG_MEDIAN_NOT_REACHED);
    ck_assert(k->group_flags[0] & CSM_FLAG_MEDIAN_UPPER_NOT_REACHED);
    /* rmst to 4: 1 + 3 x 3/4 = 3.25 */
    ck_assert_double_eq_tol(k->rmst[0], 3.25, TOL);
    csm_km_free(k);
    /* 24 churns at 1, 2, ..., 24: S(12) = prod_{k=0..11} (1 - 1/(24-k))
     * = 12/24 = 1/2 exactly in exact arithmetic, but the floating-point
     * product lands at 0.5000000000000001: the median is still 12 (the
     * rounding tolerance), not 13 */
    double t24[24];
    uint8_t e24[24];
    for (int i = 0; i < 24; i++) {
        t24[i] = i + 1;
        e24[i] = 1;
    }
    k = km_ok(t24, e24, NULL, NULL, 24, NULL);
    ck_assert_double_eq_tol(k->surv[11], 0.5, 1e-15);
    ck_assert_double_eq_tol(k->median[0], 12, TOL);
    csm_km_free(k);
}
END_TEST

START_TEST(test_edge_extremes) {
    /* churn at duration 0 and a single observation */
    const double t0[] = {0, 0, 5};
    const uint8_t e0[] = {1, 0, 1};
    /* t=0: n=3, d=1, c=1 -> S = 2/3; t=5: n=1, d=1 -> S = 0; median 5;
     * rmst to 5: 5 x 2/3 (S drops at 0) */
    csm_km *k = km_ok(t0, e0, NULL, NULL, 3, NULL);
    ck_assert_double_eq_tol(k->time[0], 0, TOL);
    ck_assert_double_eq_tol(k->surv[0], 2.0 / 3, TOL);
    ck_assert_double_eq_tol(k->median[0], 5, TOL);
    ck_assert_double_eq_tol(k->rmst[0], 10.0 / 3, TOL);
    csm_km_free(k);
    const double t1[] = {7};
    const uint8_t e1[] = {1};
    k = km_ok(t1, e1, NULL, NULL, 1, NULL);
    ck_assert_uint_eq(k->n_rows, 1);
    ck_assert_double_eq_tol(k->surv[0], 0, TOL);
    ck_assert_double_eq_tol(k->median[0], 7, TOL);
    ck_assert(isnan(k->se[0]));
    ck_assert_double_eq_tol(k->rmst[0], 7, TOL);
    csm_km_free(k);
    /* sBG at extreme parameters stays finite and in [0, 1] */
    double S[3];
    csm_error err;
    ck_assert_int_eq(csm_sbg_curve(S, NULL, NULL, 3, 1e-9, 1e9, &err),
                     CSM_OK);
    ck_assert(S[2] > 0.999999 && S[2] <= 1.0);
    ck_assert_int_eq(csm_sbg_curve(S, NULL, NULL, 3, 1e9, 1e-9, &err),
                     CSM_OK);
    ck_assert(S[1] >= 0.0 && S[1] < 1e-15);
    double v;
    /* S(1e6) = prod (b+j-1)/(a+b+j-1) ~ 1 - a sum 1/(b+j) ~ 1 - 1e-12 */
    ck_assert_int_eq(csm_sbg_survival(&v, 1e-9, 1e9, 1000000, &err), CSM_OK);
    ck_assert(v > 0.9999 && v <= 1.0);
}
END_TEST

/* ---- issue 13, findings 5 and 6 -------------------------------------- */

/* Finding 6: the sBG curve and survival at extreme parameters.
 * csm_sbg_curve(alpha = beta = 1e-17) gave NaN: alpha + beta + t - 1 at
 * t = 1 was (2e-17 + 1) - 1 = 0.  By hand: r(1) = beta / (alpha + beta)
 * = 0.5, S(1) = 0.5, P(T = 1) = 0.5; r(2) = (beta + 1) / (alpha + beta +
 * 1) = (1 + 1e-17) / (1 + 2e-17) = 1 in doubles, so S(2) = 0.5 and
 * P(T = 2) = S(1) alpha / (alpha + beta + 1) = 0.5e-17 (to 1e-33). */
START_TEST(test_sbg_tiny_params) {
    double s[3], r[3], p[3];
    ck_assert_int_eq(csm_sbg_curve(s, r, p, 3, 1e-17, 1e-17, NULL), CSM_OK);
    ck_assert(isnan(r[0]));
    ck_assert_double_eq(s[0], 1.0);
    ck_assert_double_eq(p[0], 0.0);
    ck_assert_double_eq_tol(r[1], 0.5, 1e-16);
    ck_assert_double_eq_tol(s[1], 0.5, 1e-16);
    ck_assert_double_eq_tol(p[1], 0.5, 1e-16);
    ck_assert_double_eq_tol(r[2], 1.0, 1e-16);
    ck_assert_double_eq_tol(s[2], 0.5, 1e-16);
    ck_assert_double_eq_tol(p[2], 0.5e-17, 1e-33);
    double v;
    ck_assert_int_eq(csm_sbg_survival(&v, 1e-17, 1e-17, 2, NULL), CSM_OK);
    ck_assert_double_eq_tol(v, 0.5, 1e-16);
}
END_TEST

/* Found by tests/fuzz/fuzz-survival: a denormal beta made alpha / beta
 * overflow to inf in the log-survival sum, and the compensated sum turned
 * -inf into NaN: S(1) was NaN with status OK.  S(1) = beta / (alpha +
 * beta) = 4.94e-324 / 160 ~ 3.1e-326, below the smallest denormal, so the
 * nearest double is 0; S(t) for t >= 1 is smaller still: 0.  S(0) = 1
 * (the empty product).  With beta = 1e-300 (a normal double) S(1) =
 * 1e-300 / 160 = 6.25e-303. */
START_TEST(test_sbg_survival_denormal_beta) {
    double v = NAN;
    ck_assert_int_eq(csm_sbg_survival(&v, 160, 4.9406564584124654e-324, 1, NULL),
                     CSM_OK);
    ck_assert(v == 0.0);
    ck_assert_int_eq(csm_sbg_survival(&v, 160, 4.9406564584124654e-324, 20, NULL),
                     CSM_OK);
    ck_assert(v == 0.0);
    ck_assert_int_eq(csm_sbg_survival(&v, 160, 4.9406564584124654e-324, 0, NULL),
                     CSM_OK);
    ck_assert_double_eq(v, 1.0);
    ck_assert_int_eq(csm_sbg_survival(&v, 160, 1e-300, 1, NULL), CSM_OK);
    ck_assert_double_eq_tol(v, 6.25e-303, 1e-315);
}
END_TEST

/* csm_sbg_survival at large parameters, where the lgamma difference lost
 * most digits: S(1) = beta / (alpha + beta) = 0.5 exactly at alpha =
 * beta (was 0.50283 at 1e12 and 1.0 at 1e15); S(2) = 0.5 (1e12 + 1) /
 * (2e12 + 1) = 0.25 (1 + 1e-12) / (1 + 0.5e-12), 0.25000000000012500 to
 * 1e-17.  beta = DBL_MAX gave NaN with OK: outside (0, 1e300] is now
 * CSM_EDOMAIN; at the bound itself S(1) = 0.5. */
START_TEST(test_sbg_large_params) {
    double v = 0;
    ck_assert_int_eq(csm_sbg_survival(&v, 1e12, 1e12, 1, NULL), CSM_OK);
    ck_assert_double_eq_tol(v, 0.5, 1e-15);
    ck_assert_int_eq(csm_sbg_survival(&v, 1e12, 1e12, 2, NULL), CSM_OK);
    ck_assert_double_eq_tol(v, 0.250000000000125, 1e-15);
    ck_assert_int_eq(csm_sbg_survival(&v, 1e15, 1e15, 1, NULL), CSM_OK);
    ck_assert_double_eq_tol(v, 0.5, 1e-15);
    ck_assert_int_eq(csm_sbg_survival(&v, 1e300, 1e300, 1, NULL), CSM_OK);
    ck_assert_double_eq_tol(v, 0.5, 1e-15);
    ck_assert_int_eq(csm_sbg_survival(&v, 1e300, 1e300, 0, NULL), CSM_OK);
    ck_assert_double_eq(v, 1.0);
    csm_error e;
    ck_assert_int_eq(csm_sbg_survival(&v, 1.0, DBL_MAX, 0, &e), CSM_EDOMAIN);
    ck_assert_str_eq(e.field, "beta");
    ck_assert(isnan(v));
    ck_assert_int_eq(csm_sbg_survival(&v, 2e300, 1.0, 3, &e), CSM_EDOMAIN);
    ck_assert_str_eq(e.field, "alpha");
    double s[2];
    ck_assert_int_eq(csm_sbg_curve(s, NULL, NULL, 2, 1.0, DBL_MAX, &e),
                     CSM_EDOMAIN);
}
END_TEST

/* csm_sbg_survival over many periods (the Stirling part, t > 16) against
 * the naive product prod_{i<t} (beta + i) / (alpha + beta + i) in long
 * double: relative error about t x 1e-19 there, so 1e-12 is a fair
 * tolerance; parameters from small to large (a product below 1e-300
 * must come out as about 0). */
START_TEST(test_sbg_survival_vs_product) {
    const double ab[][2] = {{0.7, 2.3}, {0.05, 0.3}, {3.0, 40.0},
                            {1e6, 2e6}, {2.5e-3, 7.0}, {1e9, 1e12}};
    const int32_t ts[] = {0, 1, 15, 16, 17, 18, 100, 5000};
    for (size_t q = 0; q < sizeof ab / sizeof ab[0]; q++) {
        const double a = ab[q][0], b = ab[q][1];
        for (size_t u = 0; u < sizeof ts / sizeof ts[0]; u++) {
            long double prod = 1.0L;
            for (int32_t i = 0; i < ts[u]; i++)
                prod *= ((long double)b + i) / ((long double)a + b + i);
            double v;
            ck_assert_int_eq(csm_sbg_survival(&v, a, b, ts[u], NULL), CSM_OK);
            if (prod < 1e-300L) { /* below doubles' normal range */
                ck_assert(v < 1e-290);
                continue;
            }
            ck_assert_msg(fabsl((long double)v - prod) <= 1e-12L * prod,
                          "a %g b %g t %d: %.17g vs %.17Lg", a, b, ts[u], v,
                          prod);
        }
    }
}
END_TEST

/* Finding 5: KM weights near DBL_MAX summed to infinity (the curve NaN,
 * status OK).  Their running sum in row order must stay within
 * CSM_SUM_MAX (1e300): 1e308 passes it at row 0, 6e299 + 6e299 at row 1;
 * 5e299 + 5e299 = 1e300 is a curve (one event at 1 of weight 5e299 among
 * 1e300 at risk: S = 0.5). */
START_TEST(test_km_weight_sum) {
    const double t[] = {1, 2};
    const uint8_t ev[] = {1, 0};
    double w[] = {1e308, 1e308};
    csm_km *k = NULL;
    csm_error e;
    ck_assert_int_eq(csm_km_compute(&k, t, ev, w, NULL, 2, NULL, &e),
                     CSM_ERANGE);
    ck_assert_ptr_null(k);
    ck_assert_uint_eq(e.row, 0);
    ck_assert_str_eq(e.field, "weight");
    w[0] = w[1] = 6e299;
    ck_assert_int_eq(csm_km_compute(&k, t, ev, w, NULL, 2, NULL, &e),
                     CSM_ERANGE);
    ck_assert_uint_eq(e.row, 1);
    w[0] = w[1] = 5e299;
    ck_assert_int_eq(csm_km_compute(&k, t, ev, w, NULL, 2, NULL, &e), CSM_OK);
    ck_assert_double_eq_tol(k->surv[0], 0.5, 1e-15);
    csm_km_free(k);
}
END_TEST

/* Finding 1 and 3 for lifetimes: a first month outside years 0001..9999
 * (INT32_MIN is CSM_MONTH_NONE) is CSM_EDOMAIN at its row. */
START_TEST(test_survivors_month_range) {
    const int32_t fm[] = {M(0), INT32_MIN, M(1)};
    const double du[] = {2, 1, 1};
    csm_sbg_survivors *sv = NULL;
    csm_error e;
    ck_assert_int_eq(
        csm_sbg_survivors_from_lifetimes(&sv, fm, du, NULL, 3, NULL, &e),
        CSM_EDOMAIN);
    ck_assert_ptr_null(sv);
    ck_assert_uint_eq(e.row, 1);
    ck_assert_str_eq(e.field, "first_month");
    const int32_t fm2[] = {M(0), CSM_MONTH_MAX + 1};
    ck_assert_int_eq(
        csm_sbg_survivors_from_lifetimes(&sv, fm2, du, NULL, 2, NULL, &e),
        CSM_EDOMAIN);
    ck_assert_uint_eq(e.row, 1);
}
END_TEST

static Suite *survival_suite(void) {
    Suite *s = suite_create("survival");
    TCase *tc = tcase_create("csm_km_compute");
    tcase_add_test(tc, test_km_6mp_table);
    tcase_add_test(tc, test_km_level_horizon);
    tcase_add_test(tc, test_km_ties);
    tcase_add_test(tc, test_km_weights);
    tcase_add_test(tc, test_km_groups);
    tcase_add_test(tc, test_km_errors);
    tcase_add_test(tc, test_km_at_times);
    suite_add_tcase(s, tc);
    tc = tcase_create("csm_lifetimes_from_ledger");
    tcase_add_test(tc, test_lifetimes);
    tcase_add_test(tc, test_lifetimes_errors);
    suite_add_tcase(s, tc);
    tc = tcase_create("csm_sbg_fit");
    tcase_add_test(tc, test_sbg_fit_published);
    tcase_add_test(tc, test_sbg_multi_cohort);
    tcase_add_test(tc, test_sbg_fit_errors);
    tcase_add_test(tc, test_sbg_survivors);
    suite_add_tcase(s, tc);
    tc = tcase_create("csm_sbg_curve");
    tcase_add_test(tc, test_sbg_projection);
    tcase_add_test(tc, test_sbg_curve_hand);
    suite_add_tcase(s, tc);
    tc = tcase_create("csm_sbg_expected_lifetime");
    tcase_add_test(tc, test_sbg_expected_lifetime);
    suite_add_tcase(s, tc);
    tc = tcase_create("csm_sbg_hyp2f1");
    tcase_add_test(tc, test_hyp2f1);
    suite_add_tcase(s, tc);
    tc = tcase_create("csm_sbg_del_derl");
    tcase_add_loop_test(tc, test_del_derl_series, 0,
                        (int)(sizeof del_ab / sizeof del_ab[0]));
    tcase_add_test(tc, test_del_derl_values);
    suite_add_tcase(s, tc);
    tc = tcase_create("csm_sbg_ltv");
    tcase_add_test(tc, test_ltv);
    suite_add_tcase(s, tc);
    tc = tcase_create("result_tables");
    tcase_add_test(tc, test_km_tables);
    tcase_add_test(tc, test_km_arrow_medians);
    tcase_add_test(tc, test_lifetimes_table);
    tcase_add_test(tc, test_sbg_table);
    tcase_add_test(tc, test_sbg_projection_table);
    tcase_add_test(tc, test_sbg_model_table);
    suite_add_tcase(s, tc);
    tc = tcase_create("out_of_memory");
    tcase_add_test(tc, test_out_of_memory);
    tcase_add_test(tc, test_tables_out_of_memory);
    suite_add_tcase(s, tc);
    tc = tcase_create("edge");
    tcase_add_test(tc, test_edge_empty);
    tcase_add_test(tc, test_edge_all_censored);
    tcase_add_test(tc, test_edge_median_not_reached);
    tcase_add_test(tc, test_edge_extremes);
    tcase_add_test(tc, test_sbg_tiny_params);
    tcase_add_test(tc, test_sbg_large_params);
    tcase_add_test(tc, test_sbg_survival_denormal_beta);
    tcase_add_test(tc, test_sbg_survival_vs_product);
    tcase_add_test(tc, test_km_weight_sum);
    tcase_add_test(tc, test_survivors_month_range);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) {
    SRunner *sr = srunner_create(survival_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
