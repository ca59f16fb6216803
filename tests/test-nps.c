/* test-nps.c - NPS, comparison, CSAT and CES, and their result tables.
 *
 * Expected values are worked out by hand in the comments; z = 1.959963985
 * (the 97.5% standard normal quantile, from any table) and the square
 * roots, products and erfc values were evaluated with a pocket calculator
 * (Python's math module), not with the code under test. */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "csmetrics/csmetrics.h"
#include "scalar_table_checks.h"

#define TOL 1e-9

/* 45 promoters (9-10), 30 passives (7-8), 25 detractors (0-6) */
static void survey(int8_t *s) {
    for (int i = 0; i < 100; i++)
        s[i] = (int8_t)(i < 45 ? 9 + i % 2 : i < 75 ? 7 + i % 2 : i % 7);
}

START_TEST(test_nps_issue_example) {
    /* NPS = 100 x (0.45 - 0.25) = 20.0
     * SE  = 100 x sqrt((0.45 + 0.25 - 0.2^2)/100) = 100 x sqrt(0.0066)
     *     = 8.124038404635959 (8.124 to 3 dp)
     * 95% CI = 20 -/+ 1.959963985 x 8.124038405 = [4.077177318, 35.922822682] */
    int8_t s[100];
    survey(s);
    csm_nps_result r;
    csm_error e;
    ck_assert_int_eq(csm_nps(&r, s, 100, NULL, &e), CSM_OK);
    ck_assert_double_eq_tol(r.nps, 20.0, TOL);
    ck_assert_double_eq_tol(r.se, 8.124, 5e-4);
    ck_assert_double_eq_tol(r.se, 8.124038404635959, 1e-9);
    ck_assert_double_eq_tol(r.ci_low, 4.077177317893286, 1e-8);
    ck_assert_double_eq_tol(r.ci_high, 35.92282268210671, 1e-8);
    ck_assert_double_eq_tol(r.promoters, 0.45, TOL);
    ck_assert_double_eq_tol(r.passives, 0.30, TOL);
    ck_assert_double_eq_tol(r.detractors, 0.25, TOL);
    ck_assert_double_eq_tol(r.n, 100, TOL);
    ck_assert_double_eq_tol(r.n_effective, 100, TOL);
    ck_assert_uint_eq(r.flags, 0);
}
END_TEST

START_TEST(test_nps_counts) {
    /* the counts form gives the same figures as the array form */
    csm_nps_result r;
    ck_assert_int_eq(csm_nps_counts(&r, 45, 30, 25, NULL, NULL), CSM_OK);
    ck_assert_double_eq_tol(r.nps, 20.0, TOL);
    ck_assert_double_eq_tol(r.se, 8.124038404635959, 1e-9);
    csm_error e;
    ck_assert_int_eq(csm_nps_counts(&r, -1, 30, 25, NULL, &e), CSM_EDOMAIN);
    ck_assert_str_eq(e.field, "promoters");
    ck_assert_int_eq(csm_nps_counts(&r, 1, NAN, 25, NULL, &e), CSM_EDOMAIN);
    ck_assert_str_eq(e.field, "passives");
}
END_TEST

START_TEST(test_nps_weighted) {
    /* scores 10, 9, 5, 8 weighted 2, 1, 1, 0: promoters 3, detractors 1,
     * passives 0 of total 4 -> p = 0.75, d = 0.25, NPS = 50.
     * n_eff = 4^2 / (4 + 1 + 1 + 0) = 8/3; var = 0.75 + 0.25 - 0.5^2 = 0.75
     * SE = 100 sqrt(0.75 / (8/3)) = 100 sqrt(0.28125) = 53.03300858899106
     * CI: 50 - 1.959964 x 53.033 = -53.9427868262258; the upper bound
     * 153.9 is clamped to 100. */
    const int8_t s[] = {10, 9, 5, 8};
    const double w[] = {2, 1, 1, 0};
    csm_nps_result r;
    ck_assert_int_eq(csm_nps_weighted(&r, s, w, 4, NULL, NULL), CSM_OK);
    ck_assert_double_eq_tol(r.nps, 50, TOL);
    ck_assert_double_eq_tol(r.n, 4, TOL);
    ck_assert_double_eq_tol(r.n_effective, 8.0 / 3, TOL);
    ck_assert_double_eq_tol(r.se, 53.03300858899106, 1e-9);
    ck_assert_double_eq_tol(r.ci_low, -53.9427868262258, 1e-8);
    ck_assert_double_eq_tol(r.ci_high, 100, TOL);
    ck_assert(r.flags & CSM_FLAG_CLAMPED);
    const double bad[] = {1, -2, 1, 1};
    csm_error e;
    ck_assert_int_eq(csm_nps_weighted(&r, s, bad, 4, NULL, &e), CSM_EDOMAIN);
    ck_assert_uint_eq(e.row, 1);
    ck_assert_str_eq(e.field, "weights");
}
END_TEST

START_TEST(test_nps_compare) {
    /* before 45/30/25 of 100 (NPS 20, SE 8.124038405); after 50/30/20 of
     * 100: NPS 30, SE = 100 sqrt(0.7 - 0.09)/10 = 7.810249676.
     * diff 10; SE = sqrt(0.0066 + 0.0061) x 100 = sqrt(127) = 11.26942767
     * z = 10 / 11.26942767 = 0.8873565094; p = erfc(z / sqrt 2) = 0.3748869905
     * CI = 10 -/+ 1.959964 x 11.269428 = [-12.08767236, 32.08767236] */
    csm_nps_result a, b;
    ck_assert_int_eq(csm_nps_counts(&a, 45, 30, 25, NULL, NULL), CSM_OK);
    ck_assert_int_eq(csm_nps_counts(&b, 50, 30, 20, NULL, NULL), CSM_OK);
    csm_nps_diff d;
    ck_assert_int_eq(csm_nps_compare(&d, &a, &b, NULL, NULL), CSM_OK);
    ck_assert_double_eq_tol(d.diff, 10, TOL);
    ck_assert_double_eq_tol(d.se, 11.269427669584644, 1e-9);
    ck_assert_double_eq_tol(d.z, 0.8873565094161139, 1e-9);
    ck_assert_double_eq_tol(d.p_value, 0.37488699045279694, 1e-9);
    ck_assert_double_eq_tol(d.ci_low, -12.087672358765051, 1e-8);
    ck_assert_double_eq_tol(d.ci_high, 32.08767235876505, 1e-8);
    csm_error e;
    ck_assert_int_eq(csm_nps_compare(&d, &a, &b,
                                     &(csm_nps_opts){sizeof(csm_nps_opts), 1.0, NULL}, &e), CSM_EINVAL);
    ck_assert_int_eq(csm_nps_compare(&d, NULL, &b, NULL, &e), CSM_EINVAL);
}
END_TEST

START_TEST(test_csat) {
    /* scores 5 4 3 5 2 4 4 1 5 3 on 1..5, top box >= 4: 6 of 10 -> 0.6;
     * SE = sqrt(0.6 x 0.4 / 10) = 0.15491933384829668;
     * Wilson 95%: centre (0.6 + z^2/20)/(1 + z^2/10), half-width
     * z sqrt(0.024 + z^2/400)/(1 + z^2/10) -> [0.31267377, 0.83181967] */
    const int8_t s[] = {5, 4, 3, 5, 2, 4, 4, 1, 5, 3};
    csm_csat_result r;
    ck_assert_int_eq(csm_csat(&r, s, 10, NULL, NULL), CSM_OK);
    ck_assert_double_eq_tol(r.csat, 0.6, TOL);
    ck_assert_double_eq_tol(r.satisfied, 6, TOL);
    ck_assert_double_eq_tol(r.se, 0.15491933384829668, 1e-12);
    ck_assert_double_eq_tol(r.ci_low, 0.3126737697336583, 1e-9);
    ck_assert_double_eq_tol(r.ci_high, 0.8318196702937637, 1e-9);
    /* top box 5 only: 3 of 10 */
    csm_csat_opts o = CSM_CSAT_OPTS_INIT;
    o.top_box_min = 5;
    ck_assert_int_eq(csm_csat(&r, s, 10, &o, NULL), CSM_OK);
    ck_assert_double_eq_tol(r.csat, 0.3, TOL);
    /* a 6 on a 1..5 scale names the row */
    const int8_t bad[] = {5, 6};
    csm_error e;
    ck_assert_int_eq(csm_csat(&r, bad, 2, NULL, &e), CSM_EDOMAIN);
    ck_assert_uint_eq(e.row, 1);
    o.top_box_min = 9;
    ck_assert_int_eq(csm_csat(&r, s, 10, &o, &e), CSM_EINVAL);
    ck_assert_str_eq(e.field, "opts.top_box_min");
}
END_TEST

START_TEST(test_ces) {
    /* scores 2 3 4 5 1: mean 3; deviations -1 0 1 2 -2, squares sum 10;
     * sd = sqrt(10/4) = 1.5811388300841898; se = sd/sqrt 5 = 0.7071067811865476;
     * 95% low = 3 - 1.959964 x 0.707107 = 1.6140961756503225 */
    const int8_t s[] = {2, 3, 4, 5, 1};
    csm_ces_result r;
    ck_assert_int_eq(csm_ces(&r, s, 5, NULL, NULL), CSM_OK);
    ck_assert_double_eq_tol(r.ces, 3, TOL);
    ck_assert_double_eq_tol(r.sd, 1.5811388300841898, 1e-12);
    ck_assert_double_eq_tol(r.se, 0.7071067811865476, 1e-12);
    ck_assert_double_eq_tol(r.ci_low, 1.6140961756503225, 1e-9);
    const int8_t one[] = {4};
    ck_assert_int_eq(csm_ces(&r, one, 1, NULL, NULL), CSM_OK);
    ck_assert_double_eq_tol(r.ces, 4, TOL);
    ck_assert(isnan(r.se));
    ck_assert(r.flags & CSM_FLAG_DEGENERATE);
    const int8_t bad[] = {3, 0};
    csm_error e;
    ck_assert_int_eq(csm_ces(&r, bad, 2, NULL, &e), CSM_EDOMAIN);
    ck_assert_uint_eq(e.row, 1);
}
END_TEST

START_TEST(test_edge) {
    csm_nps_result r;
    csm_error e;
    /* n = 0: NaN with a flag, not a crash */
    ck_assert_int_eq(csm_nps(&r, NULL, 0, NULL, &e), CSM_OK);
    ck_assert(isnan(r.nps) && isnan(r.se));
    ck_assert(r.flags & CSM_FLAG_EMPTY);
    csm_csat_result c;
    ck_assert_int_eq(csm_csat(&c, NULL, 0, NULL, NULL), CSM_OK);
    ck_assert(isnan(c.csat) && (c.flags & CSM_FLAG_EMPTY));
    csm_ces_result ce;
    ck_assert_int_eq(csm_ces(&ce, NULL, 0, NULL, NULL), CSM_OK);
    ck_assert(isnan(ce.ces) && (ce.flags & CSM_FLAG_EMPTY));
    /* comparison with an empty period */
    csm_nps_result a;
    ck_assert_int_eq(csm_nps_counts(&a, 1, 1, 1, NULL, NULL), CSM_OK);
    csm_nps_diff d;
    ck_assert_int_eq(csm_nps_compare(&d, &r, &a, NULL, NULL), CSM_OK);
    ck_assert(isnan(d.diff) && (d.flags & CSM_FLAG_EMPTY));
    /* all promoters: NPS 100, SE 0, degenerate interval [100, 100] */
    const int8_t all[] = {9, 10, 10};
    ck_assert_int_eq(csm_nps(&r, all, 3, NULL, NULL), CSM_OK);
    ck_assert_double_eq_tol(r.nps, 100, TOL);
    ck_assert_double_eq_tol(r.se, 0, TOL);
    ck_assert_double_eq_tol(r.ci_low, 100, TOL);
    ck_assert(r.flags & CSM_FLAG_DEGENERATE);
    ck_assert_int_eq(csm_nps_compare(&d, &r, &r, NULL, NULL), CSM_OK);
    ck_assert(isnan(d.z) && (d.flags & CSM_FLAG_DEGENERATE));
    /* every error path */
    const int8_t bad[] = {5, 9, 11};
    ck_assert_int_eq(csm_nps(&r, bad, 3, NULL, &e), CSM_EDOMAIN);
    ck_assert_uint_eq(e.row, 2);
    ck_assert_str_eq(e.field, "scores");
    ck_assert_str_eq(e.text, "EDOMAIN: row 2, field 'scores': an NPS score "
                             "must be an integer 0..10");
    const int8_t neg[] = {-1};
    ck_assert_int_eq(csm_nps(&r, neg, 1, NULL, &e), CSM_EDOMAIN);
    ck_assert_int_eq(csm_nps(NULL, all, 3, NULL, &e), CSM_EINVAL);
    ck_assert_int_eq(csm_nps(&r, NULL, 3, NULL, &e), CSM_EINVAL);
    csm_nps_opts o = CSM_NPS_OPTS_INIT;
    o.confidence = 1.5;
    ck_assert_int_eq(csm_nps(&r, all, 3, &o, &e), CSM_EINVAL);
    ck_assert_str_eq(e.field, "opts.confidence");
    o.confidence = NAN;
    ck_assert_int_eq(csm_nps(&r, all, 3, &o, &e), CSM_EINVAL);
    o.size = 0;
    ck_assert_int_eq(csm_nps(&r, all, 3, &o, &e), CSM_EINVAL);
    ck_assert_int_eq(csm_nps_opts_init(&o, sizeof o), CSM_OK);
    ck_assert_double_eq(o.confidence, 0.95);
    /* a 90% interval is narrower: z(0.95) = 1.644853627 */
    o.confidence = 0.90;
    int8_t s[100];
    survey(s);
    ck_assert_int_eq(csm_nps(&r, s, 100, &o, NULL), CSM_OK);
    ck_assert_double_eq_tol(r.ci_high - r.nps, 1.6448536269514722 * 8.124038404635959, 1e-8);
}
END_TEST

/* ---- result tables ---------------------------------------------------- */
/* Expected columns, written out from the header's documentation: the
 * "group" key, then the struct's fields in order. */
#define GROUP_COL {"group", CSM_TYPE_CODE, CSM_STORAGE_I32, CSM_ROLE_KEY, "i"}
#define F64(name, type, role)                                                  \
    {name, CSM_TYPE_##type, CSM_STORAGE_F64, CSM_ROLE_##role, "g"}
#define FLAGS_COL                                                              \
    {"flags", CSM_TYPE_FLAGS, CSM_STORAGE_U32, CSM_ROLE_DETAIL, "I"}

static const want_arrow_col nps_want[] = {
    GROUP_COL,
    F64("nps", NUMBER, MAIN),
    F64("promoters", FRACTION, MAIN),
    F64("passives", FRACTION, MAIN),
    F64("detractors", FRACTION, MAIN),
    F64("n_promoters", COUNT, DETAIL),
    F64("n_passives", COUNT, DETAIL),
    F64("n_detractors", COUNT, DETAIL),
    F64("n", COUNT, MAIN),
    F64("n_effective", NUMBER, DETAIL),
    F64("se", NUMBER, MAIN),
    F64("ci_low", NUMBER, MAIN),
    F64("ci_high", NUMBER, MAIN),
    F64("confidence", FRACTION, DETAIL),
    FLAGS_COL,
};

static const want_arrow_col diff_want[] = {
    GROUP_COL,
    F64("diff", NUMBER, MAIN),
    F64("se", NUMBER, DETAIL),
    F64("z", NUMBER, MAIN),
    F64("p_value", NUMBER, MAIN),
    F64("ci_low", NUMBER, MAIN),
    F64("ci_high", NUMBER, MAIN),
    F64("confidence", FRACTION, DETAIL),
    FLAGS_COL,
};

static const want_arrow_col csat_want[] = {
    GROUP_COL,
    F64("csat", FRACTION, MAIN),
    F64("satisfied", COUNT, DETAIL),
    F64("n", COUNT, MAIN),
    F64("se", FRACTION, MAIN),
    F64("ci_low", FRACTION, MAIN),
    F64("ci_high", FRACTION, MAIN),
    FLAGS_COL,
};

static const want_arrow_col ces_want[] = {
    GROUP_COL,
    F64("ces", NUMBER, MAIN),
    F64("sd", NUMBER, DETAIL),
    F64("se", NUMBER, MAIN),
    F64("n", COUNT, MAIN),
    F64("ci_low", NUMBER, MAIN),
    F64("ci_high", NUMBER, MAIN),
    FLAGS_COL,
};

/* Every column of row i of the view t holds, bit for bit, the field of
 * rows[i] it was copied from; the descriptor of each column points at the
 * view's member.  (Expanded over the family's column list.) */
#define SAME_FIELD(m, name, ty, st, r, d)                                      \
    ck_assert_msg(memcmp(&t->m[i], &rows[i].m, sizeof rows[i].m) == 0,        \
                  "row %zu, column %s", i, name);                             \
    ck_assert_ptr_eq(csm_table_find(tab, name)->data, t->m);

/* The fixtures: the survey of test_nps_issue_example (NPS 20), the counts
 * 50/30/20 of test_nps_compare (NPS 30), and an empty survey (NaN). */
static void nps_rows(csm_nps_result r[3]) {
    int8_t s[100];
    survey(s);
    ck_assert_int_eq(csm_nps(&r[0], s, 100, NULL, NULL), CSM_OK);
    ck_assert_int_eq(csm_nps_counts(&r[1], 50, 30, 20, NULL, NULL), CSM_OK);
    ck_assert_int_eq(csm_nps(&r[2], NULL, 0, NULL, NULL), CSM_OK);
}

START_TEST(test_nps_table) {
    csm_nps_result rows[3];
    nps_rows(rows);
    const int32_t group[] = {101, 102, CSM_CODE_ALL};
    csm_nps_results *t = NULL;
    csm_error e;
    ck_assert_int_eq(csm_nps_table(&t, rows, group, 3, NULL, &e), CSM_OK);
    ck_assert_int_eq(e.code, CSM_OK);
    check_table(t->result, "nps", 3, nps_want, WANT_N(nps_want));
    ck_assert_ptr_eq(csm_result_view(t->result), t);
    ck_assert_uint_eq(t->n_rows, 3);
    const csm_table *tab = csm_result_table(t->result, 0);
    ck_assert_ptr_eq(tab->columns[0].data, t->group);
    for (size_t i = 0; i < 3; i++) {
        CSM_NPS_RESULT_COLUMNS(SAME_FIELD)
        ck_assert_int_eq(t->group[i], group[i]);
    }
    /* the hand-worked figures (test_nps_issue_example, test_nps_compare):
     * NPS 20, SE 8.124038404635959, 95% CI [4.0771773, 35.9228227] of 100
     * responses; NPS 30 with SE 100 sqrt(0.7 - 0.09) / 10 = 7.810249676 */
    ck_assert_double_eq_tol(t->nps[0], 20.0, TOL);
    ck_assert_double_eq_tol(t->se[0], 8.124038404635959, 1e-9);
    ck_assert_double_eq_tol(t->ci_low[0], 4.077177317893286, 1e-8);
    ck_assert_double_eq_tol(t->ci_high[0], 35.92282268210671, 1e-8);
    ck_assert_double_eq_tol(t->n_promoters[0], 45, TOL);
    ck_assert_double_eq_tol(t->n[0], 100, TOL);
    ck_assert_double_eq_tol(t->nps[1], 30.0, TOL);
    ck_assert_double_eq_tol(t->se[1], 7.810249675906654, 1e-9);
    ck_assert_double_eq_tol(t->detractors[1], 0.20, TOL);
    ck_assert_double_eq_tol(t->confidence[1], 0.95, TOL);
    /* the empty survey: NaN figures, n 0, the empty flag */
    ck_assert(isnan(t->nps[2]) && isnan(t->ci_high[2]));
    ck_assert_double_eq(t->n[2], 0);
    ck_assert_uint_eq(t->flags[2], CSM_FLAG_EMPTY);
    ck_assert_uint_eq(t->flags[0], 0);
    /* typed access: the "all" group and the NaNs are undefined values */
    const csm_column *g = csm_table_find(tab, "group");
    ck_assert_int_eq(csm_column_is_valid(g, 1), 1);
    ck_assert_int_eq(csm_column_is_valid(g, 2), 0);
    ck_assert_int_eq(csm_column_is_valid(csm_table_find(tab, "nps"), 2), 0);
    ck_assert_double_eq_tol(csm_column_double(csm_table_find(tab, "nps"), 1),
                            30.0, TOL);

    /* Arrow: NaN and CSM_CODE_ALL are nulls; values as in the struct */
    struct ArrowSchema s;
    struct ArrowArray a;
    export_checked(&s, &a, t->result, nps_want, WANT_N(nps_want));
    ck_assert_str_eq(arrow_md_value(s.children[0]->metadata, "csm.type"), "code");
    const struct ArrowArray *c = arrow_child(&s, &a, "nps");
    ck_assert_int_eq(c->null_count, 1);
    ck_assert(arrow_bit(c->buffers[0], 0) && arrow_bit(c->buffers[0], 1));
    ck_assert(!arrow_bit(c->buffers[0], 2));
    ck_assert_double_eq_tol(arrow_f64(c, 0), 20.0, TOL);
    ck_assert_double_eq_tol(arrow_f64(c, 1), 30.0, TOL);
    c = arrow_child(&s, &a, "group");
    ck_assert_int_eq(c->null_count, 1);
    ck_assert(!arrow_bit(c->buffers[0], 2));
    ck_assert_int_eq(arrow_i32(c, 0), 101);
    ck_assert_int_eq(arrow_i32(c, 1), 102);
    c = arrow_child(&s, &a, "n");
    ck_assert_int_eq(c->null_count, 0);
    ck_assert_ptr_null(c->buffers[0]);
    ck_assert_double_eq_tol(arrow_f64(c, 0), 100, TOL);
    c = arrow_child(&s, &a, "flags");
    ck_assert_uint_eq(((const uint32_t *)c->buffers[1])[2], CSM_FLAG_EMPTY);
    /* the export outlives the caller's reference */
    csm_nps_results_free(t);
    ck_assert_double_eq_tol(arrow_f64(arrow_child(&s, &a, "se"), 0),
                            8.124038404635959, 1e-9);
    s.release(&s);
    a.release(&a);
}
END_TEST

START_TEST(test_nps_diff_table) {
    /* row 0: the comparison of test_nps_compare (diff 10, z 0.8873565094,
     * p 0.3748869905); row 1: all promoters against themselves (diff 0,
     * se 0, z and p NaN, degenerate; test_edge) */
    csm_nps_result a, b, all;
    ck_assert_int_eq(csm_nps_counts(&a, 45, 30, 25, NULL, NULL), CSM_OK);
    ck_assert_int_eq(csm_nps_counts(&b, 50, 30, 20, NULL, NULL), CSM_OK);
    ck_assert_int_eq(csm_nps_counts(&all, 3, 0, 0, NULL, NULL), CSM_OK);
    csm_nps_diff rows[2];
    ck_assert_int_eq(csm_nps_compare(&rows[0], &a, &b, NULL, NULL), CSM_OK);
    ck_assert_int_eq(csm_nps_compare(&rows[1], &all, &all, NULL, NULL),
                     CSM_OK);
    csm_nps_diff_results *t = NULL;
    /* no group codes: the rows are numbered 0, 1 */
    ck_assert_int_eq(csm_nps_diff_table(&t, rows, NULL, 2, NULL, NULL),
                     CSM_OK);
    check_table(t->result, "nps_diff", 2, diff_want, WANT_N(diff_want));
    const csm_table *tab = csm_result_table(t->result, 0);
    for (size_t i = 0; i < 2; i++) {
        CSM_NPS_DIFF_COLUMNS(SAME_FIELD)
        ck_assert_int_eq(t->group[i], (int32_t)i);
    }
    ck_assert_double_eq_tol(t->diff[0], 10, TOL);
    ck_assert_double_eq_tol(t->z[0], 0.8873565094161139, 1e-9);
    ck_assert_double_eq_tol(t->p_value[0], 0.37488699045279694, 1e-9);
    ck_assert_double_eq_tol(t->ci_high[0], 32.08767235876505, 1e-8);
    ck_assert_double_eq_tol(t->diff[1], 0, TOL);
    ck_assert(isnan(t->z[1]) && isnan(t->p_value[1]));
    ck_assert_uint_eq(t->flags[1], CSM_FLAG_DEGENERATE);

    struct ArrowSchema s;
    struct ArrowArray ar;
    export_checked(&s, &ar, t->result, diff_want, WANT_N(diff_want));
    const struct ArrowArray *c = arrow_child(&s, &ar, "p_value");
    ck_assert_int_eq(c->null_count, 1);
    ck_assert(arrow_bit(c->buffers[0], 0) && !arrow_bit(c->buffers[0], 1));
    ck_assert_double_eq_tol(arrow_f64(c, 0), 0.37488699045279694, 1e-9);
    c = arrow_child(&s, &ar, "group");
    ck_assert_int_eq(c->null_count, 0);
    ck_assert_int_eq(arrow_i32(c, 1), 1);
    s.release(&s);
    ar.release(&ar);
    csm_nps_diff_results_free(t);
}
END_TEST

START_TEST(test_csat_ces_tables) {
    /* CSAT: test_csat's 10 scores (0.6, 6 satisfied, SE 0.1549193338,
     * Wilson [0.31267377, 0.83181967]) and an empty survey (NaN) */
    const int8_t sc[] = {5, 4, 3, 5, 2, 4, 4, 1, 5, 3};
    csm_csat_result cr[2];
    ck_assert_int_eq(csm_csat(&cr[0], sc, 10, NULL, NULL), CSM_OK);
    ck_assert_int_eq(csm_csat(&cr[1], NULL, 0, NULL, NULL), CSM_OK);
    const int32_t group[] = {7, -3};
    csm_csat_results *ct = NULL;
    ck_assert_int_eq(csm_csat_table(&ct, cr, group, 2, NULL, NULL), CSM_OK);
    check_table(ct->result, "csat", 2, csat_want, WANT_N(csat_want));
    {
        const csm_csat_result *rows = cr;
        const csm_csat_results *t = ct;
        const csm_table *tab = csm_result_table(ct->result, 0);
        for (size_t i = 0; i < 2; i++) {
            CSM_CSAT_RESULT_COLUMNS(SAME_FIELD)
        }
    }
    ck_assert_int_eq(ct->group[1], -3);
    ck_assert_double_eq_tol(ct->csat[0], 0.6, TOL);
    ck_assert_double_eq_tol(ct->satisfied[0], 6, TOL);
    ck_assert_double_eq_tol(ct->se[0], 0.15491933384829668, 1e-12);
    ck_assert_double_eq_tol(ct->ci_low[0], 0.3126737697336583, 1e-9);
    ck_assert(isnan(ct->csat[1]));
    ck_assert_uint_eq(ct->flags[1], CSM_FLAG_EMPTY);
    struct ArrowSchema s;
    struct ArrowArray a;
    export_checked(&s, &a, ct->result, csat_want, WANT_N(csat_want));
    const struct ArrowArray *c = arrow_child(&s, &a, "ci_high");
    ck_assert_int_eq(c->null_count, 1);
    ck_assert(!arrow_bit(c->buffers[0], 1));
    ck_assert_double_eq_tol(arrow_f64(c, 0), 0.8318196702937637, 1e-9);
    /* -3 is an ordinary code: only INT32_MIN is null */
    ck_assert_int_eq(arrow_child(&s, &a, "group")->null_count, 0);
    ck_assert_int_eq(arrow_i32(arrow_child(&s, &a, "group"), 1), -3);
    s.release(&s);
    a.release(&a);
    csm_csat_results_free(ct);

    /* CES: test_ces's scores 2 3 4 5 1 (mean 3, sd 1.5811388301, se
     * 0.7071067812) and one response (4; sd, se, interval NaN) */
    const int8_t es[] = {2, 3, 4, 5, 1}, one[] = {4};
    csm_ces_result er[2];
    ck_assert_int_eq(csm_ces(&er[0], es, 5, NULL, NULL), CSM_OK);
    ck_assert_int_eq(csm_ces(&er[1], one, 1, NULL, NULL), CSM_OK);
    csm_ces_results *et = NULL;
    ck_assert_int_eq(csm_ces_table(&et, er, NULL, 2, NULL, NULL), CSM_OK);
    check_table(et->result, "ces", 2, ces_want, WANT_N(ces_want));
    {
        const csm_ces_result *rows = er;
        const csm_ces_results *t = et;
        const csm_table *tab = csm_result_table(et->result, 0);
        for (size_t i = 0; i < 2; i++) {
            CSM_CES_RESULT_COLUMNS(SAME_FIELD)
        }
    }
    ck_assert_double_eq_tol(et->ces[0], 3, TOL);
    ck_assert_double_eq_tol(et->sd[0], 1.5811388300841898, 1e-12);
    ck_assert_double_eq_tol(et->ci_low[0], 1.6140961756503225, 1e-9);
    ck_assert_double_eq_tol(et->ces[1], 4, TOL);
    ck_assert(isnan(et->se[1]));
    ck_assert_uint_eq(et->flags[1], CSM_FLAG_DEGENERATE);
    export_checked(&s, &a, et->result, ces_want, WANT_N(ces_want));
    c = arrow_child(&s, &a, "se");
    ck_assert_int_eq(c->null_count, 1);
    ck_assert(arrow_bit(c->buffers[0], 0) && !arrow_bit(c->buffers[0], 1));
    ck_assert_double_eq_tol(arrow_f64(c, 0), 0.7071067811865476, 1e-12);
    ck_assert_double_eq_tol(arrow_f64(arrow_child(&s, &a, "ces"), 1), 4, TOL);
    csm_ces_results_free(et);
    s.release(&s);
    a.release(&a);
}
END_TEST

START_TEST(test_tables_empty_and_errors) {
    /* n = 0: a table of 0 rows with every column (rows may be NULL) */
    csm_nps_results *t = NULL;
    ck_assert_int_eq(csm_nps_table(&t, NULL, NULL, 0, NULL, NULL), CSM_OK);
    check_table(t->result, "nps", 0, nps_want, WANT_N(nps_want));
    ck_assert_uint_eq(t->n_rows, 0);
    struct ArrowSchema s;
    struct ArrowArray a;
    export_checked(&s, &a, t->result, nps_want, WANT_N(nps_want));
    ck_assert_int_eq(a.length, 0);
    s.release(&s);
    a.release(&a);
    csm_nps_results_free(t);
    csm_nps_diff_results *dt = NULL;
    ck_assert_int_eq(csm_nps_diff_table(&dt, NULL, NULL, 0, NULL, NULL),
                     CSM_OK);
    check_table(dt->result, "nps_diff", 0, diff_want, WANT_N(diff_want));
    csm_nps_diff_results_free(dt);
    csm_csat_results *ct = NULL;
    ck_assert_int_eq(csm_csat_table(&ct, NULL, NULL, 0, NULL, NULL), CSM_OK);
    check_table(ct->result, "csat", 0, csat_want, WANT_N(csat_want));
    csm_csat_results_free(ct);
    csm_ces_results *et = NULL;
    ck_assert_int_eq(csm_ces_table(&et, NULL, NULL, 0, NULL, NULL), CSM_OK);
    check_table(et->result, "ces", 0, ces_want, WANT_N(ces_want));
    csm_ces_results_free(et);
    /* the frees accept NULL */
    csm_nps_results_free(NULL);
    csm_nps_diff_results_free(NULL);
    csm_csat_results_free(NULL);
    csm_ces_results_free(NULL);

    /* errors: *out is NULL after each */
    csm_nps_result r[3];
    nps_rows(r);
    csm_error e;
    ck_assert_int_eq(csm_nps_table(NULL, r, NULL, 3, NULL, &e), CSM_EINVAL);
    ck_assert_str_eq(e.field, "out");
    t = (csm_nps_results *)r; /* garbage the function must overwrite */
    ck_assert_int_eq(csm_nps_table(&t, NULL, NULL, 3, NULL, &e), CSM_EINVAL);
    ck_assert_str_eq(e.field, "rows");
    ck_assert_ptr_null(t);
    /* more rows than int32 row numbers, without group codes (checked
     * before anything is read or allocated) */
    ck_assert_int_eq(
        csm_nps_table(&t, r, NULL, (size_t)INT32_MAX + 1, NULL, &e),
        CSM_ERANGE);
    ck_assert_str_eq(e.field, "group");
    ck_assert_ptr_null(t);
    csm_ces_results *et2 = (csm_ces_results *)r;
    ck_assert_int_eq(csm_ces_table(&et2, NULL, NULL, 1, NULL, &e), CSM_EINVAL);
    ck_assert_ptr_null(et2);
}
END_TEST

/* Builders for the out-of-memory loop (scalar_table_checks.h). */
#define BUILDER(fn, View, Value, n, fill)                                      \
    static csm_status build_##fn(csm_result **r, const csm_allocator *al) {    \
        Value rows[n];                                                         \
        fill;                                                                  \
        View *t = (View *)rows; /* must be overwritten */                      \
        csm_status st = csm_##fn(&t, rows, NULL, n,                              \
                                 &(csm_result_opts){sizeof(csm_result_opts), al}, NULL);\
        if (st != CSM_OK)                                                      \
            ck_assert_ptr_null(t);                                             \
        *r = st == CSM_OK ? t->result : NULL;                                  \
        return st;                                                             \
    }
BUILDER(nps_table, csm_nps_results, csm_nps_result, 3, nps_rows(rows))
BUILDER(nps_diff_table, csm_nps_diff_results, csm_nps_diff, 1,
        memset(rows, 0, sizeof rows))
BUILDER(csat_table, csm_csat_results, csm_csat_result, 1,
        ck_assert_int_eq(csm_csat(&rows[0], NULL, 0, NULL, NULL), CSM_OK))
BUILDER(ces_table, csm_ces_results, csm_ces_result, 1,
        ck_assert_int_eq(csm_ces(&rows[0], NULL, 0, NULL, NULL), CSM_OK))

START_TEST(test_tables_oom) {
    check_oom(build_nps_table);
    check_oom(build_nps_diff_table);
    check_oom(build_csat_table);
    check_oom(build_ces_table);
    /* the table itself is one allocation: a budget of one is enough */
    fail_ctx f = {1, 0};
    csm_allocator al = {fail_alloc, fail_free, &f, NULL};
    csm_nps_result r[3];
    nps_rows(r);
    csm_nps_results *t = NULL;
    ck_assert_int_eq(csm_nps_table(&t, r, NULL, 3, &(csm_result_opts){sizeof(csm_result_opts), &al}, NULL), CSM_OK);
    ck_assert_int_eq(f.live, 1);
    csm_nps_results_free(t);
    ck_assert_int_eq(f.live, 0);
}
END_TEST

/* ---- NPS by group --------------------------------------------------------- */
/* Ten responses of three groups, codes given out of order:
 *   group 2: 9, 8, 7, 6   -> 1 promoter, 2 passives, 1 detractor
 *   group 5: 10, 3, 0, 10 -> 2 promoters, 2 detractors
 *   group 7: 10, 9        -> 2 promoters */
static const int8_t bg_score[] = {10, 9, 3, 8, 10, 0, 7, 6, 9, 10};
static const int32_t bg_group[] = {5, 2, 5, 2, 7, 5, 2, 2, 7, 5};
static const double bg_weight[] = {1, 1, 3, 1, 2, 0.5, 0.5, 2, 1, 1};
#define BG_N 10

/* Row i of view t holds, bit for bit, the fields of want. */
#define SAME_AS(m, name, ty, st, r, d)                                         \
    ck_assert_msg(memcmp(&t->m[i], &want.m, sizeof want.m) == 0,               \
                  "group %d, column %s", (int)t->group[i], name);

START_TEST(test_nps_by_group) {
    csm_nps_results *t = NULL;
    csm_error e;
    ck_assert_int_eq(csm_nps_by_group(&t, bg_score, NULL, bg_group, BG_N, NULL, &e),
                     CSM_OK);
    check_table(t->result, "nps", 3, nps_want, WANT_N(nps_want));
    /* ascending codes */
    ck_assert_int_eq(t->group[0], 2);
    ck_assert_int_eq(t->group[1], 5);
    ck_assert_int_eq(t->group[2], 7);
    /* group 2: NPS 100 (1/4 - 1/4) = 0, se 100 sqrt((1/4 + 1/4) / 4) =
     * 100 sqrt(1/8) = 35.35533905932738; group 5: 0, se 100 sqrt(1/4) =
     * 50; group 7: 100, se 0 (degenerate, interval [100, 100]) */
    ck_assert_double_eq_tol(t->nps[0], 0, TOL);
    ck_assert_double_eq_tol(t->se[0], 35.35533905932738, TOL);
    ck_assert_double_eq_tol(t->n[0], 4, 0.5);
    ck_assert_double_eq_tol(t->passives[0], 0.5, TOL);
    ck_assert_double_eq_tol(t->nps[1], 0, TOL);
    ck_assert_double_eq_tol(t->se[1], 50, TOL);
    ck_assert_double_eq_tol(t->nps[2], 100, TOL);
    ck_assert_double_eq_tol(t->n[2], 2, 0.5);
    ck_assert_uint_eq(t->flags[2] & CSM_FLAG_DEGENERATE, CSM_FLAG_DEGENERATE);
    /* every field as csm_nps_counts of the hand counts */
    const double cnt[3][3] = {{1, 2, 1}, {2, 0, 2}, {2, 0, 0}};
    for (size_t i = 0; i < 3; i++) {
        csm_nps_result want;
        ck_assert_int_eq(csm_nps_counts(&want, cnt[i][0], cnt[i][1],
                                        cnt[i][2], NULL, NULL),
                         CSM_OK);
        CSM_NPS_RESULT_COLUMNS(SAME_AS)
    }
    csm_nps_results_free(t);

    /* weighted, 90% intervals: each group as csm_nps_weighted of its
     * responses split by hand (weights of group 2: 1, 1, 0.5, 2 -> p 1,
     * q 1.5, d 2, n 4.5, NPS 100 (1 - 2) / 4.5 = -22.22222222222222,
     * n_eff 4.5^2 / (1 + 1 + 0.25 + 4) = 3.24; group 7: 2 + 1 promoters,
     * n_eff 9/5 = 1.8) */
    csm_nps_opts o = CSM_NPS_OPTS_INIT;
    o.confidence = 0.9;
    ck_assert_int_eq(csm_nps_by_group(&t, bg_score, bg_weight, bg_group, BG_N,
                                      &o, &e),
                     CSM_OK);
    ck_assert_uint_eq(t->n_rows, 3);
    ck_assert_double_eq_tol(t->nps[0], -100.0 * 1 / 4.5, TOL);
    ck_assert_double_eq_tol(t->n_effective[0], 3.24, TOL);
    ck_assert_double_eq_tol(t->n_effective[2], 1.8, TOL);
    const int8_t s2[] = {9, 8, 7, 6}, s5[] = {10, 3, 0, 10}, s7[] = {10, 9};
    const double w2[] = {1, 1, 0.5, 2}, w5[] = {1, 3, 0.5, 1}, w7[] = {2, 1};
    const int8_t *ss[3] = {s2, s5, s7};
    const double *ww[3] = {w2, w5, w7};
    const size_t nn[3] = {4, 4, 2};
    for (size_t i = 0; i < 3; i++) {
        csm_nps_result want;
        ck_assert_int_eq(csm_nps_weighted(&want, ss[i], ww[i], nn[i], &o, NULL),
                         CSM_OK);
        CSM_NPS_RESULT_COLUMNS(SAME_AS)
    }
    ck_assert_double_eq(t->confidence[1], 0.9);
    csm_nps_results_free(t);

    /* one group, and codes at the ends of the int32 range */
    const int32_t g2[] = {INT32_MAX, INT32_MIN + 1, INT32_MAX};
    const int8_t sc2[] = {10, 0, 7};
    ck_assert_int_eq(
        csm_nps_by_group(&t, sc2, NULL, g2, 3, NULL, &e), CSM_OK);
    ck_assert_uint_eq(t->n_rows, 2);
    ck_assert_int_eq(t->group[0], INT32_MIN + 1);
    ck_assert_double_eq_tol(t->nps[0], -100, TOL); /* one detractor */
    ck_assert_int_eq(t->group[1], INT32_MAX);
    ck_assert_double_eq_tol(t->nps[1], 50, TOL); /* 1 promoter of 2 */
    csm_nps_results_free(t);
}
END_TEST

START_TEST(test_nps_by_group_edge) {
    csm_nps_results *t = NULL;
    csm_error e;
    /* n = 0: a table of 0 rows with every column */
    ck_assert_int_eq(csm_nps_by_group(&t, NULL, NULL, NULL, 0, NULL, &e),
                     CSM_OK);
    check_table(t->result, "nps", 0, nps_want, WANT_N(nps_want));
    csm_nps_results_free(t);
    /* errors; *out is NULL after each */
    ck_assert_int_eq(csm_nps_by_group(NULL, bg_score, NULL, bg_group, BG_N,
                                      NULL, &e),
                     CSM_EINVAL);
    ck_assert_str_eq(e.field, "out");
    t = (csm_nps_results *)&e;
    ck_assert_int_eq(csm_nps_by_group(&t, bg_score, NULL, NULL, BG_N, NULL, &e),
                     CSM_EINVAL);
    ck_assert_str_eq(e.field, "group");
    ck_assert_ptr_null(t);
    ck_assert_int_eq(csm_nps_by_group(&t, NULL, NULL, bg_group, BG_N, NULL, &e),
                     CSM_EINVAL);
    ck_assert_str_eq(e.field, "scores");
    const int8_t bad[] = {10, 11};
    ck_assert_int_eq(
        csm_nps_by_group(&t, bad, NULL, bg_group, 2, NULL, &e),
        CSM_EDOMAIN);
    ck_assert_str_eq(e.field, "scores");
    ck_assert_uint_eq(e.row, 1);
    const double badw[] = {1, 1, NAN};
    ck_assert_int_eq(
        csm_nps_by_group(&t, bg_score, badw, bg_group, 3, NULL, &e),
        CSM_EDOMAIN);
    ck_assert_str_eq(e.field, "weights");
    ck_assert_uint_eq(e.row, 2);
    const int32_t allg[] = {1, CSM_CODE_ALL};
    ck_assert_int_eq(
        csm_nps_by_group(&t, bg_score, NULL, allg, 2, NULL, &e),
        CSM_EDOMAIN);
    ck_assert_str_eq(e.field, "group");
    ck_assert_uint_eq(e.row, 1);
    csm_nps_opts o = CSM_NPS_OPTS_INIT;
    o.confidence = 1;
    ck_assert_int_eq(csm_nps_by_group(&t, bg_score, NULL, bg_group, BG_N, &o, &e),
                     CSM_EINVAL);
    ck_assert_ptr_null(t);
}
END_TEST

static csm_status build_nps_by_group(csm_result **r, const csm_allocator *al) {
    csm_nps_results *t = (csm_nps_results *)r; /* must be overwritten */
    csm_status st = csm_nps_by_group(&t, bg_score, bg_weight, bg_group, BG_N, &(csm_nps_opts){sizeof(csm_nps_opts), 0.95, al}, NULL);
    if (st != CSM_OK)
        ck_assert_ptr_null(t);
    *r = st == CSM_OK ? t->result : NULL;
    return st;
}

START_TEST(test_nps_by_group_oom) { check_oom(build_nps_by_group); }
END_TEST

/* ---- issue 13, finding 7: weighted NPS is scale-free ------------------ */

/* Weights of 1e-170 on scores {0, 3, 9} gave n_effective 0 and se inf
 * (their squares underflow).  Kish's n_eff = (sum w)^2 / sum w^2 and the
 * shares do not depend on the weights' scale.  By hand, equal weights:
 * p = 1/3, d = 2/3, NPS = -100/3, var = p + d - (p - d)^2 = 8/9,
 * n_eff = 3, se = 100 sqrt(8/27) = 54.4331...; weights {1, 2, 3} on
 * {0, 3, 9}: p = 3/6, d = 3/6, NPS 0, var = 1, n_eff = 36/14, se = 100
 * sqrt(14/36) = 62.3610...  Each scale 1e-170, 1, 1e150 (squares
 * overflow there) must agree to 1e-12 relative. */
START_TEST(test_nps_weight_scale) {
    const int8_t sc[] = {0, 3, 9};
    const double scales[] = {1e-170, 1.0, 1e150};
    for (int k = 0; k < 3; k++) {
        double w[3] = {scales[k], scales[k], scales[k]};
        csm_nps_result r;
        ck_assert_int_eq(csm_nps_weighted(&r, sc, w, 3, NULL, NULL), CSM_OK);
        ck_assert_double_eq_tol(r.nps, -100.0 / 3, 1e-9);
        ck_assert_double_eq_tol(r.n_effective, 3, 1e-12);
        ck_assert_double_eq_tol(r.se, 100 * sqrt(8.0 / 27), 1e-9);
        ck_assert(isfinite(r.ci_low) && isfinite(r.ci_high));
        for (int i = 0; i < 3; i++)
            w[i] = (i + 1) * scales[k];
        ck_assert_int_eq(csm_nps_weighted(&r, sc, w, 3, NULL, NULL), CSM_OK);
        ck_assert_double_eq_tol(r.nps, 0, 1e-9);
        ck_assert_double_eq_tol(r.n_effective, 36.0 / 14, 1e-12);
        ck_assert_double_eq_tol(r.se, 100 * sqrt(14.0 / 36), 1e-9);
    }
    /* weights summing beyond CSM_SUM_MAX (1e300): 1e308 at row 0 */
    const double big[3] = {1e308, 1e308, 1e308};
    csm_nps_result r;
    csm_error e;
    ck_assert_int_eq(csm_nps_weighted(&r, sc, big, 3, NULL, &e), CSM_ERANGE);
    ck_assert_uint_eq(e.row, 0);
    ck_assert_str_eq(e.field, "weights");
}
END_TEST

/* All responses in one category: se = 0 (var = p + d - (p - d)^2 = 1 - 1
 * for all promoters), the interval is the point 100..100 and
 * CSM_FLAG_DEGENERATE says so; with weights of 1e-170 it was NaN with no
 * flag. */
START_TEST(test_nps_one_category) {
    const int8_t sc[] = {9, 10, 9};
    const double scales[] = {1e-170, 1.0};
    for (int k = 0; k < 2; k++) {
        const double w[3] = {scales[k], 2 * scales[k], 3 * scales[k]};
        csm_nps_result r;
        ck_assert_int_eq(csm_nps_weighted(&r, sc, w, 3, NULL, NULL), CSM_OK);
        ck_assert_double_eq_tol(r.nps, 100, 1e-12);
        ck_assert_double_eq(r.se, 0);
        ck_assert_double_eq_tol(r.ci_low, 100, 1e-12);
        ck_assert_double_eq_tol(r.ci_high, 100, 1e-12);
        ck_assert_uint_eq(r.flags & CSM_FLAG_DEGENERATE, CSM_FLAG_DEGENERATE);
        ck_assert_double_eq_tol(r.n_effective, 36.0 / 14, 1e-12);
    }
}
END_TEST

/* ---- counts forms (csm_nps_score_counts, csm_csat_counts, csm_ces_counts)
 * Expected: the scores forms on the same responses (csm_nps, csm_csat,
 * csm_ces, tested above by hand), bit for bit for NPS, CSAT and the CES
 * mean, to 1e-12 relative for CES's sd; plus a worked case and errors. */
START_TEST(test_counts_forms) {
    /* worked: CSAT 5 4 3 5 2 4 4 1 5 3 on 1..5 = counts 1 1 2 3 3; top box
     * >= 4: 6 of 10 = 0.6.  CES of the same: mean 36 / 10 = 3.6. */
    const double c5[] = {1, 1, 2, 3, 3};
    csm_csat_result cr;
    ck_assert_int_eq(csm_csat_counts(&cr, c5, 5, NULL, NULL), CSM_OK);
    ck_assert_double_eq(cr.csat, 0.6);
    ck_assert_double_eq(cr.n, 10);
    csm_ces_opts eo = CSM_CES_OPTS_INIT;
    eo.scale_max = 5;
    csm_ces_result er;
    ck_assert_int_eq(csm_ces_counts(&er, c5, 5, &eo, NULL), CSM_OK);
    ck_assert_double_eq(er.ces, 3.6);
    /* NPS: 3 promoters (9, 10, 10), 1 passive (7), 1 detractor (3):
     * 100 (3/5 - 1/5) = 40 */
    double c11[11] = {0};
    c11[9] = 1, c11[10] = 2, c11[7] = 1, c11[3] = 1;
    csm_nps_result nr;
    ck_assert_int_eq(csm_nps_score_counts(&nr, c11, 11, NULL, NULL), CSM_OK);
    ck_assert_double_eq_tol(nr.nps, 40, 1e-12);
    ck_assert_double_eq(nr.n, 5);

    /* against the scores forms on random surveys */
    unsigned seed = 99;
    for (int trial = 0; trial < 300; trial++) {
        size_t n = (size_t)(rand_r(&seed) % 60);
        int8_t sc[60], s5[60], s7[60];
        double h11[11] = {0}, h5[5] = {0}, h7[7] = {0};
        for (size_t i = 0; i < n; i++) {
            sc[i] = (int8_t)(rand_r(&seed) % 11);
            s5[i] = (int8_t)(1 + rand_r(&seed) % 5);
            s7[i] = (int8_t)(1 + rand_r(&seed) % (trial % 3 ? 7 : 2));
            h11[sc[i]]++;
            h5[s5[i] - 1]++;
            h7[s7[i] - 1]++;
        }
        csm_nps_result a, b;
        csm_nps_opts no = CSM_NPS_OPTS_INIT;
        no.confidence = 0.5 + 0.001 * trial;
        ck_assert_int_eq(csm_nps(&a, sc, n, &no, NULL), CSM_OK);
        ck_assert_int_eq(csm_nps_score_counts(&b, h11, 11, &no, NULL), CSM_OK);
        ck_assert(memcmp(&a, &b, sizeof a) == 0);
        csm_csat_result x, y;
        csm_csat_opts co = CSM_CSAT_OPTS_INIT;
        co.top_box_min = 1 + trial % 5;
        ck_assert_int_eq(csm_csat(&x, s5, n, &co, NULL), CSM_OK);
        ck_assert_int_eq(csm_csat_counts(&y, h5, 5, &co, NULL), CSM_OK);
        ck_assert(memcmp(&x, &y, sizeof x) == 0);
        csm_ces_result u, v;
        ck_assert_int_eq(csm_ces(&u, s7, n, NULL, NULL), CSM_OK);
        ck_assert_int_eq(csm_ces_counts(&v, h7, 7, NULL, NULL), CSM_OK);
        ck_assert_uint_eq(u.flags, v.flags);
        ck_assert(u.n == v.n && (u.ces == v.ces || (isnan(u.ces) && isnan(v.ces))));
        if (n > 1) {
            ck_assert_double_eq_tol(u.sd, v.sd, 1e-12 * fmax(1, u.sd));
            ck_assert_double_eq_tol(u.ci_low, v.ci_low, 1e-12 * fabs(u.ci_low) + 1e-15);
        } else {
            ck_assert(isnan(v.sd) && isnan(u.sd));
        }
    }
    /* errors */
    csm_error e;
    ck_assert_int_eq(csm_nps_score_counts(&nr, c11, 10, NULL, &e), CSM_EINVAL);
    ck_assert_str_eq(e.field, "n_counts");
    ck_assert_int_eq(csm_nps_score_counts(&nr, NULL, 11, NULL, &e), CSM_EINVAL);
    ck_assert_int_eq(csm_nps_score_counts(NULL, c11, 11, NULL, &e), CSM_EINVAL);
    c11[4] = -1;
    ck_assert_int_eq(csm_nps_score_counts(&nr, c11, 11, NULL, &e), CSM_EDOMAIN);
    ck_assert_str_eq(e.field, "counts");
    ck_assert_uint_eq(e.row, 4);
    ck_assert_int_eq(csm_csat_counts(&cr, c5, 4, NULL, &e), CSM_EINVAL);
    ck_assert_str_eq(e.field, "n_counts");
    const double bad[] = {1, NAN, 1, 1, 1};
    ck_assert_int_eq(csm_ces_counts(&er, bad, 5, &eo, &e), CSM_EDOMAIN);
    ck_assert_uint_eq(e.row, 1);
    csm_csat_opts co = CSM_CSAT_OPTS_INIT;
    co.top_box_min = 9;
    ck_assert_int_eq(csm_csat_counts(&cr, c5, 5, &co, &e), CSM_EINVAL);
    ck_assert_str_eq(e.field, "opts.top_box_min");
    /* totals past CSM_SUM_MAX (1e300): an error at the count that passes
     * it, not an infinite n and a NaN score (1e308 + 1e308 overflowed) */
    const double huge5[] = {6e299, 0, 3e299, 2e299, 1};
    ck_assert_int_eq(csm_csat_counts(&cr, huge5, 5, NULL, &e), CSM_ERANGE);
    ck_assert_str_eq(e.field, "counts");
    ck_assert_uint_eq(e.row, 3);
    ck_assert_int_eq(csm_ces_counts(&er, huge5, 5, &eo, &e), CSM_ERANGE);
    ck_assert_uint_eq(e.row, 3);
    const double huge11[] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 1e300, 1e300};
    ck_assert_int_eq(csm_nps_score_counts(&nr, huge11, 11, NULL, &e),
                     CSM_ERANGE);
    ck_assert_str_eq(e.field, "counts");
    ck_assert_uint_eq(e.row, 10);
    ck_assert_int_eq(csm_nps_counts(&nr, 5e299, 6e299, 0, NULL, &e),
                     CSM_ERANGE);
    ck_assert_str_eq(e.field, "passives");
    /* at the bound itself: fine (1e300 promoters, 0 others: NPS 100) */
    ck_assert_int_eq(csm_nps_counts(&nr, 1e300, 0, 0, NULL, &e), CSM_OK);
    ck_assert_double_eq(nr.nps, 100);
}
END_TEST

int main(void) {
    Suite *s = suite_create("nps");
    TCase *tc = tcase_create("csm_nps");
    tcase_add_test(tc, test_nps_issue_example);
    tcase_add_test(tc, test_nps_counts);
    tcase_add_test(tc, test_nps_weighted);
    suite_add_tcase(s, tc);
    tc = tcase_create("csm_nps_compare");
    tcase_add_test(tc, test_nps_compare);
    suite_add_tcase(s, tc);
    tc = tcase_create("csm_csat");
    tcase_add_test(tc, test_csat);
    suite_add_tcase(s, tc);
    tc = tcase_create("csm_ces");
    tcase_add_test(tc, test_ces);
    suite_add_tcase(s, tc);
    tc = tcase_create("edge");
    tcase_add_test(tc, test_edge);
    tcase_add_test(tc, test_nps_weight_scale);
    tcase_add_test(tc, test_nps_one_category);
    suite_add_tcase(s, tc);
    tc = tcase_create("tables");
    tcase_add_test(tc, test_nps_table);
    tcase_add_test(tc, test_nps_diff_table);
    tcase_add_test(tc, test_csat_ces_tables);
    tcase_add_test(tc, test_tables_empty_and_errors);
    tcase_add_test(tc, test_tables_oom);
    suite_add_tcase(s, tc);
    tc = tcase_create("csm_nps_by_group");
    tcase_add_test(tc, test_nps_by_group);
    tcase_add_test(tc, test_nps_by_group_edge);
    tcase_add_test(tc, test_nps_by_group_oom);
    tcase_add_test(tc, test_counts_forms);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
