/* test-interventions.c - health score and MRR changes after interventions
 * against same-band accounts without one.
 *
 * Fixture, months M0 -> M1 (horizon 1); account: band in M0, score M0 ->
 * M1 (change), MRR M0 -> M1 (change), interventions in M0:
 *   band 0: 1: 40 -> 50 (+10), 100 -> 100 (0), type 7 (listed twice)
 *           2: 30 -> 46 (+16), 200 -> 220 (+20), type 7
 *           3: 35 -> 37 (+2), 100 -> 90 (-10), control
 *           4: 20 -> 24 (+4), 50 -> 50 (0), control
 *           5: 25 -> 25 (0), 80 -> 60 (-20), control
 *   band 1: 6: 80 -> 84 (+4), 300 -> 330 (+30), types 7 and 9
 *           7: 85 -> 85 (0), 400 -> 400 (0), type 7
 *           8: 90 -> 88 (-2), 500 -> 500 (0), control
 *           9: 75 -> 79 (+4), 100 -> 100 (0), control
 *   band 2: 10: 70 -> 72, type 7: no control in band 2 -> unmatched
 *   11 (band 0, type 7) has no M1 row; 12 has band -1: neither enters.
 *
 * Type 7, score: band 0 treated {10, 16} mean 13, s^2 18; control {2, 4,
 * 0} mean 2, s^2 4; band 1 treated {4, 0} mean 2, s^2 8; control {-2, 4}
 * mean 1, s^2 18.  n_T = 4, w = 1/2 each: treated 7.5, control 1.5, diff
 * 6; se^2 = 1/4 (18/2 + 4/3 + 8/2 + 18/2) = 35/6; terms v = 2.25, 1/3, 1,
 * 2.25, sum v^2/(n-1) = 5.0625 + 1/18 + 1 + 5.0625 = 402.5/36, df =
 * (35/6)^2 / (402.5/36) = 70/23; t = 6 / sqrt(35/6) = 2.4842360136324752;
 * interval [-1.6245909934105264, 13.624590993410526], p =
 * 0.087727232045081273 (the t quantile and tail by 40-digit mpmath:
 * bisection on mpmath.betainc; scipy.stats.t.ppf is good to only 1e-9
 * at such df, its own t.cdf disagrees).  n_treated 4, n_control 5, unmatched 1.
 * Type 7, MRR: band 0 treated {0, 20} mean 10, s^2 200; control {-10, 0,
 * -20} mean -10, s^2 100; band 1 treated {30, 0} mean 15, s^2 450;
 * control {0, 0} mean 0, s^2 0.  treated 12.5, control -5, diff 17.5;
 * se^2 = 25 + 25/3 + 56.25 + 0 = 1075/12, df = 1849/881; interval
 * [-21.441713997876760, 56.441713997876760], p = 0.19971420663342895
 * (mpmath).
 * Type 9 (account 6 alone, band 1): score 4 vs 1 -> diff 3, MRR 30 vs 0
 * -> 30; one treated change has no variance: se NaN, degenerate. */
#include <check.h>
#include <math.h>
#include <stdlib.h>

#include "csmetrics/csmetrics.h"
#include "internal/special.h"
#include "oom.h"
#include "tables.h"

#define M0 (2024 * 12 + 4)
#define M1 (M0 + 1)
#define TOL 1e-9

static const int64_t p_acc[] = {1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7,
                                8, 8, 9, 9, 10, 10, 11, 12, 12};
static const int32_t p_mon[] = {M0, M1, M0, M1, M0, M1, M0, M1, M0, M1, M0, M1,
                                M0, M1, M0, M1, M0, M1, M0, M1, M0, M0, M1};
static const double p_score[] = {40, 50, 30, 46, 35, 37, 20, 24, 25, 25, 80, 84,
                                 85, 85, 90, 88, 75, 79, 70, 72, 50, 60, 70};
static const int32_t p_band[] = {0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 1,
                                 1, 1, 1, 1, 1, 1, 2, 2, 0, -1, 0};
static const double p_mrr[] = {100, 100, 200, 220, 100, 90,  50, 50,
                               80,  60,  300, 330, 400, 400, 500, 500,
                               100, 100, 70,  70,  10,  10,  10};
#define NP (sizeof p_acc / sizeof *p_acc)
static const int64_t e_acc[] = {1, 2, 6, 6, 7, 10, 11, 1, 12};
static const int32_t e_mon[] = {M0, M0, M0, M0, M0, M0, M0, M0, M1};
static const int32_t e_type[] = {7, 7, 7, 9, 7, 7, 7, 7, 9};
#define NE (sizeof e_acc / sizeof *e_acc)

static csm_interventions_panel panel(void) {
    csm_interventions_panel p = {p_acc, p_mon, p_score, p_band, p_mrr, NP};
    return p;
}
static csm_interventions_events events(void) {
    csm_interventions_events e = {e_acc, e_mon, e_type, NE};
    return e;
}

START_TEST(test_interventions_fixture) {
    csm_interventions_panel p = panel();
    csm_interventions_events e = events();
    csm_interventions *r = NULL;
    ck_assert_int_eq(csm_interventions_compute(&r, &p, &e, NULL, NULL), CSM_OK);
    ck_assert_uint_eq(r->n_rows, 4);
    ck_assert_int_eq(r->type[0], 7);
    ck_assert_str_eq(r->measure[0], "score");
    ck_assert_str_eq(r->measure[1], "mrr");
    ck_assert_int_eq(r->measure_code[1], CSM_INTERVENTIONS_MRR);
    /* type 7, score */
    ck_assert_int_eq(r->n_treated[0], 4);
    ck_assert_int_eq(r->n_control[0], 5);
    ck_assert_int_eq(r->unmatched[0], 1);
    ck_assert_double_eq_tol(r->treated_change[0], 7.5, TOL);
    ck_assert_double_eq_tol(r->control_change[0], 1.5, TOL);
    ck_assert_double_eq_tol(r->diff[0], 6, TOL);
    ck_assert_double_eq_tol(r->se[0], sqrt(35.0 / 6), TOL);
    ck_assert_double_eq_tol(r->df[0], 70.0 / 23, TOL);
    ck_assert_double_eq_tol(r->t[0], 2.4842360136324752, TOL);
    ck_assert_double_eq_tol(r->ci_low[0], -1.6245909934105264, TOL);
    ck_assert_double_eq_tol(r->ci_high[0], 13.624590993410526, TOL);
    ck_assert_double_eq_tol(r->p_value[0], 0.087727232045081273, TOL);
    ck_assert_double_eq_tol(r->confidence[0], 0.95, TOL);
    ck_assert_uint_eq(r->flags[0], 0);
    /* type 7, MRR */
    ck_assert_double_eq_tol(r->treated_change[1], 12.5, TOL);
    ck_assert_double_eq_tol(r->control_change[1], -5, TOL);
    ck_assert_double_eq_tol(r->diff[1], 17.5, TOL);
    ck_assert_double_eq_tol(r->se[1], sqrt(1075.0 / 12), TOL);
    ck_assert_double_eq_tol(r->df[1], 1849.0 / 881, TOL);
    ck_assert_double_eq_tol(r->ci_low[1], -21.441713997876760, TOL);
    ck_assert_double_eq_tol(r->ci_high[1], 56.441713997876760, TOL);
    ck_assert_double_eq_tol(r->p_value[1], 0.19971420663342895, TOL);
    /* type 9: one treated change */
    ck_assert_int_eq(r->type[2], 9);
    ck_assert_int_eq(r->n_treated[2], 1);
    ck_assert_int_eq(r->n_control[2], 2);
    ck_assert_double_eq_tol(r->diff[2], 3, TOL);
    ck_assert_double_eq_tol(r->diff[3], 30, TOL);
    ck_assert(isnan(r->se[2]) && isnan(r->ci_low[2]) && isnan(r->p_value[3]));
    ck_assert_uint_eq(r->flags[2], CSM_FLAG_DEGENERATE);
    csm_interventions_free(r);
}
END_TEST

/* One band: Welch's test.  Band 0 only (rows of accounts 1-5), type 7:
 * treated {10, 16} vs control {2, 4, 0}: diff 11, se^2 = 18/2 + 4/3,
 * t = 3.4219405926104034 and p = 0.13307475290760835
 * (scipy.stats.ttest_ind(equal_var=False) agrees to 1e-15), df = (31/3)^2
 * / (81 + 16/18) = 1.3039348710990502, interval [-12.988314786201532,
 * 34.988314786201532] (mpmath, as above). */
START_TEST(test_interventions_welch) {
    csm_interventions_panel p = panel();
    p.n = 10;
    csm_interventions_events e = events();
    csm_interventions_opts o = CSM_INTERVENTIONS_OPTS_INIT;
    csm_interventions *r = NULL;
    ck_assert_int_eq(csm_interventions_compute(&r, &p, &e, &o, NULL), CSM_OK);
    ck_assert_double_eq_tol(r->diff[0], 11, TOL);
    ck_assert_double_eq_tol(r->t[0], 3.4219405926104034, TOL);
    ck_assert_double_eq_tol(r->p_value[0], 0.13307475290760835, TOL);
    ck_assert_double_eq_tol(r->df[0], 1.3039348710990502, TOL);
    ck_assert_double_eq_tol(r->ci_low[0], -12.988314786201532, TOL);
    ck_assert_double_eq_tol(r->ci_high[0], 34.988314786201532, TOL);
    ck_assert_int_eq(r->unmatched[0], 0);
    /* type 9 has no change in band 0: empty */
    ck_assert_int_eq(r->n_treated[2], 0);
    ck_assert(isnan(r->diff[2]));
    ck_assert_uint_eq(r->flags[2], CSM_FLAG_EMPTY);
    csm_interventions_free(r);
    /* no score and no MRR columns: every row empty */
    p.score = NULL;
    p.mrr = NULL;
    ck_assert_int_eq(csm_interventions_compute(&r, &p, &e, &o, NULL), CSM_OK);
    for (size_t i = 0; i < r->n_rows; i++)
        ck_assert_uint_eq(r->flags[i], CSM_FLAG_EMPTY);
    csm_interventions_free(r);
    /* horizon 2: no account has a row two months later: empty */
    p = panel();
    o.horizon = 2;
    ck_assert_int_eq(csm_interventions_compute(&r, &p, &e, &o, NULL), CSM_OK);
    ck_assert_int_eq(r->n_treated[0], 0);
    csm_interventions_free(r);
}
END_TEST

/* The t quantile against 40-digit mpmath (bisection on mpmath.betainc;
 * integer, fractional, small and huge df): 1e-11 relative. */
START_TEST(test_interventions_t_quantile) {
    const double df[] = {1, 2.5, 10, 30.3, 1e6, 0.5};
    const double p[] = {0.975, 0.95, 0.995, 0.9, 0.975, 0.975};
    const double want[] = {12.706204736174705, 2.5582186141359366,
                           3.1692726726169512, 1.3101228414612777,
                           1.9599663568141070, 164.55767348048853};
    for (size_t i = 0; i < 6; i++) {
        ck_assert_double_eq_tol(csm__t_quantile(p[i], df[i]), want[i],
                                1e-11 * want[i]);
        ck_assert_double_eq_tol(csm__t_quantile(1 - p[i], df[i]), -want[i],
                                1e-11 * want[i]);
        ck_assert_double_eq_tol(csm__t_cdf(want[i], df[i]), p[i], 1e-11);
    }
    ck_assert(isnan(csm__t_quantile(0, 3)));
    ck_assert(isnan(csm__t_quantile(0.5, 0)));
    ck_assert_double_eq(csm__t_quantile(0.5, 3), 0);
}
END_TEST

START_TEST(test_interventions_tables) {
    csm_interventions_panel p = panel();
    csm_interventions_events e = events();
    csm_interventions *r = NULL;
    ck_assert_int_eq(csm_interventions_compute(&r, &p, &e, NULL, NULL), CSM_OK);
    ck_assert_str_eq(csm_result_kind(r->result), "interventions");
    const csm_table *t = csm_result_table(r->result, 0);
    ck_assert_str_eq(t->name, "interventions");
    ck_assert_uint_eq(t->n_rows, 4);
    check_columns_sane(t);
    ck_assert_ptr_eq(csm_table_find(t, "diff")->data, r->diff);
    ck_assert_int_eq(csm_table_find(t, "measure")->role, CSM_ROLE_KEY);
    ck_assert_str_eq(csm_interventions_measure_name(1), "mrr");
    ck_assert_str_eq(csm_interventions_measure_name(2), "unknown");
    csm_interventions_free(r);
}
END_TEST

START_TEST(test_interventions_edge) {
    csm_interventions *r = NULL;
    csm_error er;
    csm_interventions_panel p = panel();
    csm_interventions_events e = events();
    csm_interventions_opts o = CSM_INTERVENTIONS_OPTS_INIT;
    /* no events: no rows */
    csm_interventions_events e0 = {NULL, NULL, NULL, 0};
    ck_assert_int_eq(csm_interventions_compute(&r, &p, &e0, NULL, &er), CSM_OK);
    ck_assert_uint_eq(r->n_rows, 0);
    csm_interventions_free(r);
    /* errors */
    ck_assert_int_eq(csm_interventions_compute(NULL, &p, &e, NULL, &er),
                     CSM_EINVAL);
    ck_assert_int_eq(csm_interventions_compute(&r, NULL, &e, NULL, &er),
                     CSM_EINVAL);
    ck_assert_str_eq(er.field, "panel");
    o.horizon = 0;
    ck_assert_int_eq(csm_interventions_compute(&r, &p, &e, &o, &er), CSM_EINVAL);
    ck_assert_str_eq(er.field, "opts.horizon");
    o = (csm_interventions_opts)CSM_INTERVENTIONS_OPTS_INIT;
    o.confidence = 1;
    ck_assert_int_eq(csm_interventions_compute(&r, &p, &e, &o, &er), CSM_EINVAL);
    const int64_t da[] = {1, 1};
    const int32_t dm[] = {M0, M0};
    const int32_t db[] = {0, -2};
    csm_interventions_panel pd = {da, dm, NULL, db, NULL, 2};
    ck_assert_int_eq(csm_interventions_compute(&r, &pd, &e, NULL, &er),
                     CSM_EDOMAIN);
    ck_assert_uint_eq(er.row, 1);
    ck_assert_str_eq(er.field, "band");
    pd.band = p_band;
    ck_assert_int_eq(csm_interventions_compute(&r, &pd, &e, NULL, &er),
                     CSM_EDUP);
    ck_assert_uint_eq(er.row, 1);
    const double bad_mrr[] = {1, -1};
    pd.mrr = bad_mrr;
    ck_assert_int_eq(csm_interventions_compute(&r, &pd, &e, NULL, &er),
                     CSM_EDOMAIN);
    ck_assert_str_eq(er.field, "mrr");
    const double inf_score[] = {1, INFINITY};
    pd.mrr = NULL;
    pd.score = inf_score;
    ck_assert_int_eq(csm_interventions_compute(&r, &pd, &e, NULL, &er),
                     CSM_EDOMAIN);
    ck_assert_str_eq(er.field, "score");
    p.band = NULL;
    ck_assert_int_eq(csm_interventions_compute(&r, &p, &e, NULL, &er),
                     CSM_EINVAL);
    ck_assert_ptr_null(r);
    csm_interventions_free(NULL);
}
END_TEST

START_TEST(test_interventions_oom) {
    int done = 0;
    csm_interventions_panel p = panel();
    csm_interventions_events e = events();
    for (long b = 0; b < 30 && !done; b++) {
        fail_ctx f = {b, 0};
        csm_allocator al = {fail_alloc, fail_free, &f, NULL};
        csm_interventions_opts o = CSM_INTERVENTIONS_OPTS_INIT;
        o.allocator = &al;
        csm_interventions *r = NULL;
        csm_status s = csm_interventions_compute(&r, &p, &e, &o, NULL);
        ck_assert(s == CSM_OK || s == CSM_ENOMEM);
        done = s == CSM_OK;
        if (done)
            ck_assert_double_eq_tol(r->diff[0], 6, TOL);
        else
            ck_assert_ptr_null(r);
        csm_interventions_free(r);
        ck_assert_int_eq(f.live, 0);
    }
    ck_assert(done);
}
END_TEST

/* csm_interventions_panel_build.  Ledger (MRR by month, M0 M1 M2):
 *   customer 1: 100 110 120   scored every month (70/2, 72/2, 75/2)
 *   customer 2:  50   -  60   scored M0 (40/0) and M2 (45/1): churns, returns
 *   customer 3:  30  30   -   never scored
 *   customer 4:  20   -   -   scored M0 (30/0): churns
 *   account 5 has a score in M1 (50/1) but no MRR: left out with a ledger.
 * Horizon 1, months {M0, M1, M2}: the active rows month by month
 *   M0: 1 (70, 2, 100), 2 (40, 0, 50), 3 (NaN, -1, 30), 4 (30, 0, 20)
 *   M1: 1 (72, 2, 110), 3 (NaN, -1, 30)
 *   M2: 1 (75, 2, 120), 2 (45, 1, 60)
 * then the gone rows: M0 -> M1 lacks 2 and 4 -> (2, M1) and (4, M1); M1 ->
 * M2 lacks 3 -> (3, M2); M2 -> M3: M3 is not a panel month.  11 rows. */
#define M2 (M0 + 2)
static const int64_t l_cust[] = {1, 1, 1, 2, 2, 3, 3, 4};
static const int32_t l_mon[] = {M0, M1, M2, M0, M2, M0, M1, M0};
static const double l_mrr[] = {100, 110, 120, 50, 60, 30, 30, 20};
static const int64_t s_acc[] = {2, 1, 1, 1, 2, 4, 5};
static const int32_t s_mon[] = {M2, M0, M1, M2, M0, M0, M1};
static const double s_score[] = {45, 70, 72, 75, 40, 30, 50};
static const int32_t s_band[] = {1, 2, 2, 2, 0, 0, 1};
#define NS (sizeof s_acc / sizeof *s_acc)

static csm_ledger *panel_ledger(void) {
    csm_ledger *l = NULL;
    ck_assert_int_eq(csm_ledger_new(&l, l_cust, l_mon, l_mrr, NULL, 8, NULL,
                                    NULL),
                     CSM_OK);
    return l;
}

static void check_row(const csm_interventions_panel_rows *r, size_t i,
                      int64_t account, int32_t month, double score,
                      int32_t band, double mrr, int gone) {
    ck_assert_int_eq(r->account[i], account);
    ck_assert_int_eq(r->month[i], month);
    if (isnan(score))
        ck_assert(isnan(r->score[i]));
    else
        ck_assert_double_eq_tol(r->score[i], score, TOL);
    ck_assert_int_eq(r->band[i], band);
    if (isnan(mrr))
        ck_assert(isnan(r->mrr[i]));
    else
        ck_assert_double_eq_tol(r->mrr[i], mrr, TOL);
    ck_assert_int_eq(r->gone[i], gone);
}

START_TEST(test_interventions_panel_build) {
    csm_ledger *l = panel_ledger();
    const int32_t months[] = {M2, M0, M1, M0}; /* any order, repeats once */
    csm_interventions_scores s = {s_acc, s_mon, s_score, s_band, NS};
    csm_interventions_panel_rows *r = NULL;
    ck_assert_int_eq(csm_interventions_panel_build(&r, l, months, 4, &s, NULL,
                                                   NULL),
                     CSM_OK);
    ck_assert_uint_eq(r->n_rows, 11);
    check_row(r, 0, 1, M0, 70, 2, 100, 0);
    check_row(r, 1, 2, M0, 40, 0, 50, 0);
    check_row(r, 2, 3, M0, NAN, -1, 30, 0); /* never scored: its MRR */
    check_row(r, 3, 4, M0, 30, 0, 20, 0);
    check_row(r, 4, 1, M1, 72, 2, 110, 0);
    check_row(r, 5, 3, M1, NAN, -1, 30, 0);
    check_row(r, 6, 1, M2, 75, 2, 120, 0);
    check_row(r, 7, 2, M2, 45, 1, 60, 0); /* returned */
    check_row(r, 8, 2, M1, NAN, -1, 0, 1); /* gone */
    check_row(r, 9, 4, M1, NAN, -1, 0, 1);
    check_row(r, 10, 3, M2, NAN, -1, 0, 1);
    ck_assert_ptr_eq(r->panel.account, r->account);
    ck_assert_ptr_eq(r->panel.mrr, r->mrr);
    ck_assert_uint_eq(r->panel.n, 11);
    const csm_table *t = csm_result_find(r->result, "interventions_panel");
    ck_assert_ptr_nonnull(t);
    ck_assert_uint_eq(t->n_rows, 11);

    /* The panel into csm_interventions_compute, one event: 4 in M0.  Band 0
     * in M0: 4 (treated) 20 -> 0 (gone): MRR -20; 2 (control) 50 -> 0
     * (gone): -50.  diff = -20 - (-50) = 30; one change each: degenerate.
     * Both rows of M1 are gone (NaN scores): the score row is empty. */
    const int64_t ea[] = {4};
    const int32_t em[] = {M0};
    csm_interventions_events e = {ea, em, NULL, 1};
    csm_interventions *x = NULL;
    ck_assert_int_eq(csm_interventions_compute(&x, &r->panel, &e, NULL, NULL),
                     CSM_OK);
    ck_assert_uint_eq(x->n_rows, 2);
    ck_assert_uint_eq(x->flags[CSM_INTERVENTIONS_SCORE], CSM_FLAG_EMPTY);
    ck_assert_int_eq(x->n_treated[CSM_INTERVENTIONS_MRR], 1);
    ck_assert_int_eq(x->n_control[CSM_INTERVENTIONS_MRR], 1);
    ck_assert_double_eq_tol(x->treated_change[CSM_INTERVENTIONS_MRR], -20,
                            TOL);
    ck_assert_double_eq_tol(x->control_change[CSM_INTERVENTIONS_MRR], -50,
                            TOL);
    ck_assert_double_eq_tol(x->diff[CSM_INTERVENTIONS_MRR], 30, TOL);
    ck_assert_uint_eq(x->flags[CSM_INTERVENTIONS_MRR], CSM_FLAG_DEGENERATE);
    csm_interventions_free(x);
    csm_interventions_panel_rows_free(r);

    /* Horizon 2: the same 8 active rows, then M0 -> M2 lacks 3 and 4:
     * (3, M2), (4, M2); M1 -> M3 and M2 -> M4 are outside the panel. */
    csm_interventions_opts o = CSM_INTERVENTIONS_OPTS_INIT;
    o.horizon = 2;
    ck_assert_int_eq(csm_interventions_panel_build(&r, l, months, 4, &s, &o,
                                                   NULL),
                     CSM_OK);
    ck_assert_uint_eq(r->n_rows, 10);
    check_row(r, 7, 2, M2, 45, 1, 60, 0);
    check_row(r, 8, 3, M2, NAN, -1, 0, 1);
    check_row(r, 9, 4, M2, NAN, -1, 0, 1);
    csm_interventions_panel_rows_free(r);

    /* Months {M0, M2}, horizon 1: M1 is not in the panel, so no gone rows
     * (M0 -> M1 and M2 -> M3 are outside): 4 + 2 rows. */
    const int32_t m02[] = {M0, M2};
    ck_assert_int_eq(csm_interventions_panel_build(&r, l, m02, 2, &s, NULL,
                                                   NULL),
                     CSM_OK);
    ck_assert_uint_eq(r->n_rows, 6);
    check_row(r, 5, 2, M2, 45, 1, 60, 0);
    csm_interventions_panel_rows_free(r);

    /* No scores column: every score NaN, the bands kept. */
    csm_interventions_scores s0 = {s_acc, s_mon, NULL, s_band, NS};
    ck_assert_int_eq(csm_interventions_panel_build(&r, l, months, 3, &s0, NULL,
                                                   NULL),
                     CSM_OK);
    check_row(r, 0, 1, M0, NAN, 2, 100, 0);
    csm_interventions_panel_rows_free(r);

    /* Without a ledger: the scores rows of the panel's months, by month and
     * account, MRR NaN, no MRR column in the panel, no gone rows.  Months
     * {M1, M2}: (1, M1) 72/2, (5, M1) 50/1, (1, M2) 75/2, (2, M2) 45/1. */
    const int32_t m12[] = {M1, M2};
    ck_assert_int_eq(csm_interventions_panel_build(&r, NULL, m12, 2, &s, NULL,
                                                   NULL),
                     CSM_OK);
    ck_assert_uint_eq(r->n_rows, 4);
    check_row(r, 0, 1, M1, 72, 2, NAN, 0);
    check_row(r, 1, 5, M1, 50, 1, NAN, 0);
    check_row(r, 2, 1, M2, 75, 2, NAN, 0);
    check_row(r, 3, 2, M2, 45, 1, NAN, 0);
    ck_assert_ptr_null(r->panel.mrr);
    ck_assert_ptr_eq(r->panel.score, r->score);
    csm_interventions_panel_rows_free(r);

    /* No months: an empty panel. */
    ck_assert_int_eq(csm_interventions_panel_build(&r, l, NULL, 0, &s, NULL,
                                                   NULL),
                     CSM_OK);
    ck_assert_uint_eq(r->n_rows, 0);
    csm_interventions_panel_rows_free(r);
    csm_ledger_free(l);
}
END_TEST

START_TEST(test_interventions_panel_edge) {
    csm_ledger *l = panel_ledger();
    const int32_t months[] = {M0, M1, M2};
    csm_interventions_scores s = {s_acc, s_mon, s_score, s_band, NS};
    csm_interventions_panel_rows *r = NULL;
    csm_error er;
    ck_assert_int_eq(csm_interventions_panel_build(NULL, l, months, 3, &s,
                                                   NULL, &er),
                     CSM_EINVAL);
    ck_assert_str_eq(er.field, "out");
    ck_assert_int_eq(csm_interventions_panel_build(&r, l, months, 3, NULL,
                                                   NULL, &er),
                     CSM_EINVAL);
    ck_assert_str_eq(er.field, "scores");
    ck_assert_int_eq(csm_interventions_panel_build(&r, l, NULL, 3, &s, NULL,
                                                   &er),
                     CSM_EINVAL);
    ck_assert_str_eq(er.field, "months");
    csm_interventions_scores sb = s;
    sb.band = NULL;
    ck_assert_int_eq(csm_interventions_panel_build(&r, l, months, 3, &sb,
                                                   NULL, &er),
                     CSM_EINVAL);
    ck_assert_str_eq(er.field, "band");
    csm_interventions_opts o = CSM_INTERVENTIONS_OPTS_INIT;
    o.horizon = 0;
    ck_assert_int_eq(csm_interventions_panel_build(&r, l, months, 3, &s, &o,
                                                   &er),
                     CSM_EINVAL);
    ck_assert_str_eq(er.field, "opts.horizon");
    const int32_t bad_months[] = {M0, CSM_MONTH_NONE};
    ck_assert_int_eq(csm_interventions_panel_build(&r, l, bad_months, 2, &s,
                                                   NULL, &er),
                     CSM_EDOMAIN);
    ck_assert_str_eq(er.field, "months");
    ck_assert_uint_eq(er.row, 1);
    const int64_t da[] = {1, 1, 2};
    const int32_t dm[] = {M0, M1, M0};
    const double ds[] = {1, 2, 3};
    const int32_t db[] = {0, 0, 256};
    csm_interventions_scores sd = {da, dm, ds, db, 3};
    ck_assert_int_eq(csm_interventions_panel_build(&r, l, months, 3, &sd,
                                                   NULL, &er),
                     CSM_EDOMAIN);
    ck_assert_str_eq(er.field, "band");
    ck_assert_uint_eq(er.row, 2);
    const double inf_score[] = {1, INFINITY, 3};
    const int32_t ok_band[] = {0, 0, 0};
    sd.band = ok_band;
    sd.score = inf_score;
    ck_assert_int_eq(csm_interventions_panel_build(&r, l, months, 3, &sd,
                                                   NULL, &er),
                     CSM_EDOMAIN);
    ck_assert_str_eq(er.field, "score");
    const int32_t dup_month[] = {M0, M1, M1};
    const int64_t dup_acc[] = {1, 1, 1}; /* (1, M1) twice: the later, row 2 */
    csm_interventions_scores sdup = {dup_acc, dup_month, ds, ok_band, 3};
    ck_assert_int_eq(csm_interventions_panel_build(&r, l, months, 3, &sdup,
                                                   NULL, &er),
                     CSM_EDUP);
    ck_assert_uint_eq(er.row, 2);
    ck_assert_str_eq(er.field, "month");
    ck_assert_ptr_null(r);
    csm_interventions_panel_rows_free(NULL);
    csm_ledger_free(l);
}
END_TEST

START_TEST(test_interventions_panel_oom) {
    csm_ledger *l = panel_ledger();
    const int32_t months[] = {M0, M1, M2};
    csm_interventions_scores s = {s_acc, s_mon, s_score, s_band, NS};
    int done = 0;
    for (long b = 0; b < 10 && !done; b++) {
        fail_ctx f = {b, 0};
        csm_allocator al = {fail_alloc, fail_free, &f, NULL};
        csm_interventions_opts o = CSM_INTERVENTIONS_OPTS_INIT;
        o.allocator = &al;
        csm_interventions_panel_rows *r = NULL;
        csm_status st =
            csm_interventions_panel_build(&r, l, months, 3, &s, &o, NULL);
        ck_assert(st == CSM_OK || st == CSM_ENOMEM);
        done = st == CSM_OK;
        if (done)
            ck_assert_uint_eq(r->n_rows, 11); /* as the fixture above */
        else
            ck_assert_ptr_null(r);
        csm_interventions_panel_rows_free(r);
        ck_assert_int_eq(f.live, 0);
    }
    ck_assert(done);
    csm_ledger_free(l);
}
END_TEST

int main(void) {
    Suite *s = suite_create("interventions");
    TCase *tc = tcase_create("csm_interventions_compute");
    tcase_add_test(tc, test_interventions_fixture);
    tcase_add_test(tc, test_interventions_welch);
    tcase_add_test(tc, test_interventions_t_quantile);
    tcase_add_test(tc, test_interventions_tables);
    suite_add_tcase(s, tc);
    tc = tcase_create("edge");
    tcase_add_test(tc, test_interventions_edge);
    tcase_add_test(tc, test_interventions_oom);
    tcase_add_test(tc, test_interventions_panel_edge);
    tcase_add_test(tc, test_interventions_panel_oom);
    suite_add_tcase(s, tc);
    tc = tcase_create("csm_interventions_panel_build");
    tcase_add_test(tc, test_interventions_panel_build);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
