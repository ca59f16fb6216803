/* test-health.c - scorecards: JSON specs (every validation error path,
 * round trip), transforms, missing-data policies, overrides, bands, the
 * previous period, and a hand-worked scorecard of three accounts.
 *
 * The hand-worked scorecard (SPEC): groups usage (weight 3: login_rate
 * weight 2, linear 0.2..0.8; tickets weight 1, lower is better, piecewise
 * (0,100) (5,50) (10,0)) and relationship (weight 1: nps linear -100..100,
 * missing = zero; sponsor boolean).  Overrides: key_contact_left == 1 caps
 * at 40; open_p1 >= 1 subtracts 10.  Bands red 0, yellow 40, green 70.
 *
 * A: login 0.5 -> (0.5-0.2)/0.6 = 50; tickets 2 -> 100 + 2/5 x (50-100) =
 *    80; usage (2x50 + 80)/3 = 60; nps 50 -> 75; sponsor 1 -> 100;
 *    relationship 87.5; score (3x60 + 87.5)/4 = 66.875 -> yellow.
 *    Contributions: 3/4 x 2/3 x 50 = 25, 3/4 x 1/3 x 80 = 20,
 *    1/4 x 1/2 x 75 = 9.375, 1/4 x 1/2 x 100 = 12.5 (sum 66.875).
 * B: login 0.9 -> 100 (clamped); tickets missing (renormalize: usage =
 *    100); nps missing -> 0 (zero policy); sponsor 0 -> 0; relationship 0;
 *    raw (300 + 0)/4 = 75; key contact left caps it at 40 -> exactly on
 *    the yellow cut point -> yellow (override 0).
 * C: login 0.1 -> 0; tickets 12 -> 0; nps -20 -> 40; sponsor 1 -> 100;
 *    relationship 70; raw 70/4 = 17.5; open P1 subtracts 10 -> 7.5 -> red
 *    (override 1).
 * Previous scores 70, 80, 10 and bands green, green, red: changes
 * -3.125, -40, -2.5; A and B moved band. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csmetrics/csmetrics.h"
#include "oom.h"
#include "tables.h"

#define TOL 1e-9

static const char *SPEC =
    "{\"name\": \"t\", \"groups\": ["
    " {\"name\": \"usage\", \"weight\": 3, \"measures\": ["
    "  {\"name\": \"login_rate\", \"weight\": 2, \"transform\": {\"type\": "
    "\"linear\", \"min\": 0.2, \"max\": 0.8}},"
    "  {\"name\": \"tickets\", \"weight\": 1, \"direction\": \"lower\", "
    "\"transform\": {\"type\": \"piecewise\", \"points\": [[0, 100], [5, 50], "
    "[10, 0]]}}]},"
    " {\"name\": \"relationship\", \"weight\": 1, \"measures\": ["
    "  {\"name\": \"nps\", \"transform\": {\"type\": \"linear\", \"min\": "
    "-100, \"max\": 100}, \"missing\": \"zero\"},"
    "  {\"name\": \"sponsor\", \"transform\": {\"type\": \"boolean\"}}]}],"
    " \"overrides\": ["
    "  {\"name\": \"key contact left\", \"input\": \"key_contact_left\", "
    "\"op\": \"==\", \"value\": 1, \"action\": \"cap\", \"score\": 40},"
    "  {\"name\": \"open P1\", \"input\": \"open_p1\", \"op\": \">=\", "
    "\"value\": 1, \"action\": \"subtract\", \"points\": 10}]}";

static csm_health_scorecard *load(const char *json) {
    csm_health_scorecard *sc = NULL;
    csm_error e;
    csm_status s = csm_health_scorecard_from_json(&sc, json, strlen(json), NULL, &e);
    if (s != CSM_OK)
        ck_abort_msg("spec failed: %s", e.text);
    return sc;
}

START_TEST(test_three_accounts) {
    csm_health_scorecard *sc = load(SPEC);
    ck_assert_uint_eq(csm_health_scorecard_input_count(sc), 6);
    ck_assert_str_eq(csm_health_scorecard_input_name(sc, 4), "key_contact_left");
    ck_assert_str_eq(csm_health_scorecard_measure_name(sc, 1), "tickets");
    ck_assert_uint_eq(csm_health_scorecard_measure_group(sc, 2), 1);
    ck_assert_str_eq(csm_health_scorecard_band_name(sc, 2), "green");
    /* login, tickets, nps, sponsor, key_contact_left, open_p1 */
    const double v[] = {0.5, 2,   50,  1, 0, 0,    /* A */
                        0.9, NAN, NAN, 0, 1, 0,    /* B */
                        0.1, 12,  -20, 1, 0, 2};   /* C */
    const double prev[] = {70, 80, 10};
    const int32_t pband[] = {2, 2, 0};
    csm_health *h = NULL;
    csm_error e;
    ck_assert_int_eq(csm_health_score(&h, sc, v, 3, &(csm_health_opts){sizeof(csm_health_opts), prev, pband}, &e), CSM_OK);
    ck_assert_double_eq_tol(h->score[0], 66.875, TOL);
    ck_assert_int_eq(h->band[0], 1);
    ck_assert_int_eq(h->override_index[0], -1);
    ck_assert_double_eq_tol(h->contribution[0], 25, TOL);
    ck_assert_double_eq_tol(h->contribution[1], 20, TOL);
    ck_assert_double_eq_tol(h->contribution[2], 9.375, TOL);
    ck_assert_double_eq_tol(h->contribution[3], 12.5, TOL);
    /* effective weights 3/4 x 2/3 = 0.5, 0.25, 0.125, 0.125 */
    ck_assert_double_eq_tol(h->weight[0], 0.5, TOL);
    ck_assert_double_eq_tol(h->weight[1], 0.25, TOL);
    ck_assert_double_eq_tol(h->weight[3], 0.125, TOL);
    ck_assert_double_eq_tol(h->group_contribution[0], 45, TOL);
    ck_assert_double_eq_tol(h->group_contribution[1], 21.875, TOL);
    ck_assert_double_eq_tol(h->measure_score[1], 80, TOL);
    /* B */
    ck_assert_double_eq_tol(h->raw_score[1], 75, TOL);
    ck_assert_double_eq_tol(h->score[1], 40, TOL);
    ck_assert_int_eq(h->band[1], 1); /* exactly on the cut point: upper */
    ck_assert_int_eq(h->override_index[1], 0);
    ck_assert_uint_eq(h->override_mask[1], 1u);
    ck_assert(isnan(h->measure_score[4 + 1])); /* tickets missing */
    ck_assert_double_eq_tol(h->measure_score[4 + 2], 0, TOL); /* nps zero */
    ck_assert_double_eq_tol(h->contribution[4 + 0], 75, TOL);
    /* C */
    ck_assert_double_eq_tol(h->raw_score[2], 17.5, TOL);
    ck_assert_double_eq_tol(h->score[2], 7.5, TOL);
    ck_assert_int_eq(h->band[2], 0);
    ck_assert_int_eq(h->override_index[2], 1);
    /* previous period */
    ck_assert_double_eq_tol(h->change[0], -3.125, TOL);
    ck_assert_double_eq_tol(h->change[1], -40, TOL);
    ck_assert_uint_eq(h->n_movers, 2);
    ck_assert_uint_eq(h->movers[0], 0);
    ck_assert_uint_eq(h->movers[1], 1);
    ck_assert_int_eq(h->moved[2], 0);
    csm_health_free(h);
    csm_health_scorecard_free(sc);
}
END_TEST

/* The three tables of the hand-worked example (header comment), their
 * descriptors, and the key and name columns.  Measures in spec order:
 * 0 login_rate, 1 tickets (group 0 usage), 2 nps, 3 sponsor (group 1
 * relationship); bands 0 red, 1 yellow, 2 green; overrides 0 "key contact
 * left", 1 "open P1". */
static const double V3[] = {0.5, 2,   50,  1, 0, 0,  /* A */
                            0.9, NAN, NAN, 0, 1, 0,  /* B */
                            0.1, 12,  -20, 1, 0, 2}; /* C */
static const double PREV3[] = {70, 80, 10};
static const int32_t PBAND3[] = {2, 2, 0};

static csm_health *score3(const csm_health_scorecard *sc) {
    csm_health *h = NULL;
    ck_assert_int_eq(csm_health_score(&h, sc, V3, 3, &(csm_health_opts){sizeof(csm_health_opts), PREV3, PBAND3}, NULL),
                     CSM_OK);
    return h;
}


START_TEST(test_tables) {
    csm_health_scorecard *sc = load(SPEC);
    csm_health *h = score3(sc);
    csm_result *r = h->result;
    ck_assert_ptr_nonnull(r);
    ck_assert_str_eq(csm_result_kind(r), "health");
    ck_assert_ptr_eq(csm_result_view(r), h);
    ck_assert_uint_eq(csm_result_n_tables(r), 3);
    ck_assert_ptr_null(csm_result_table(r, 3));
    const csm_table *t = csm_result_table(r, 0);
    const csm_table *tm = csm_result_table(r, 1);
    const csm_table *tg = csm_result_table(r, 2);
    ck_assert_str_eq(t->name, "health");
    ck_assert_str_eq(tm->name, "health_measures");
    ck_assert_str_eq(tg->name, "health_groups");
    ck_assert_ptr_eq(csm_result_find(r, "health_groups"), tg);
    /* 3 accounts; 3 x 4 measures; 3 x 2 groups */
    ck_assert_uint_eq(t->n_rows, 3);
    ck_assert_uint_eq(h->n_rows, 3);
    ck_assert_uint_eq(h->n_accounts, 3);
    ck_assert_uint_eq(tm->n_rows, 12);
    ck_assert_uint_eq(tg->n_rows, 6);
    ck_assert_uint_eq(t->n_columns, 11);
    check_column(t, 0, "account", CSM_TYPE_ID, CSM_STORAGE_I64, CSM_ROLE_KEY,
              h->account);
    check_column(t, 1, "score", CSM_TYPE_NUMBER, CSM_STORAGE_F64, CSM_ROLE_MAIN,
              h->score);
    check_column(t, 2, "raw_score", CSM_TYPE_NUMBER, CSM_STORAGE_F64,
              CSM_ROLE_DETAIL, h->raw_score);
    check_column(t, 3, "band_index", CSM_TYPE_CODE, CSM_STORAGE_I32, CSM_ROLE_DETAIL,
              h->band);
    check_column(t, 4, "band", CSM_TYPE_TEXT, CSM_STORAGE_STR,
              CSM_ROLE_MAIN, h->band_name);
    check_column(t, 5, "override_index", CSM_TYPE_CODE, CSM_STORAGE_I32,
              CSM_ROLE_DETAIL, h->override_index);
    check_column(t, 6, "override", CSM_TYPE_TEXT, CSM_STORAGE_STR,
              CSM_ROLE_MAIN, h->override_name);
    check_column(t, 7, "override_mask", CSM_TYPE_NUMBER, CSM_STORAGE_U32,
              CSM_ROLE_DETAIL, h->override_mask);
    check_column(t, 8, "change", CSM_TYPE_NUMBER, CSM_STORAGE_F64, CSM_ROLE_MAIN,
              h->change);
    check_column(t, 9, "moved", CSM_TYPE_BOOL, CSM_STORAGE_U8, CSM_ROLE_MAIN,
              h->moved);
    check_column(t, 10, "flags", CSM_TYPE_FLAGS, CSM_STORAGE_U32,
              CSM_ROLE_DETAIL, h->flags);
    ck_assert_uint_eq(tm->n_columns, 6);
    check_column(tm, 0, "account", CSM_TYPE_ID, CSM_STORAGE_I64, CSM_ROLE_KEY,
              h->measure_account);
    check_column(tm, 1, "measure", CSM_TYPE_CODE, CSM_STORAGE_I32, CSM_ROLE_KEY,
              h->measure_index);
    check_column(tm, 2, "measure_name", CSM_TYPE_TEXT, CSM_STORAGE_STR,
              CSM_ROLE_KEY, h->measure_name);
    check_column(tm, 3, "measure_score", CSM_TYPE_NUMBER, CSM_STORAGE_F64,
              CSM_ROLE_MAIN, h->measure_score);
    check_column(tm, 4, "weight", CSM_TYPE_FRACTION, CSM_STORAGE_F64,
              CSM_ROLE_DETAIL, h->weight);
    check_column(tm, 5, "contribution", CSM_TYPE_NUMBER, CSM_STORAGE_F64,
              CSM_ROLE_MAIN, h->contribution);
    ck_assert_uint_eq(tg->n_columns, 4);
    check_column(tg, 0, "account", CSM_TYPE_ID, CSM_STORAGE_I64, CSM_ROLE_KEY,
              h->group_account);
    check_column(tg, 1, "group", CSM_TYPE_CODE, CSM_STORAGE_I32, CSM_ROLE_KEY,
              h->group_index);
    check_column(tg, 2, "group_name", CSM_TYPE_TEXT, CSM_STORAGE_STR,
              CSM_ROLE_KEY, h->group_name);
    check_column(tg, 3, "group_contribution", CSM_TYPE_NUMBER, CSM_STORAGE_F64,
              CSM_ROLE_MAIN, h->group_contribution);

    /* health: accounts are the rows 0, 1, 2 of V3 */
    for (int64_t i = 0; i < 3; i++)
        ck_assert_int_eq(h->account[i], i);
    /* bands (header comment): A yellow, B yellow (40 on the cut point),
     * C red; overrides: A none, B "key contact left" (0), C "open P1" (1) */
    ck_assert_str_eq(h->band_name[0], "yellow");
    ck_assert_str_eq(h->band_name[1], "yellow");
    ck_assert_str_eq(h->band_name[2], "red");
    ck_assert_ptr_null(h->override_name[0]);
    ck_assert_str_eq(h->override_name[1], "key contact left");
    ck_assert_str_eq(h->override_name[2], "open P1");
    ck_assert_int_eq(csm_column_is_valid(csm_table_find(t, "override"), 0),
                     0);
    ck_assert_int_eq(csm_column_is_valid(csm_table_find(t, "override"), 1),
                     1);
    /* the names are the result's copies, not the scorecard's strings */
    ck_assert_ptr_ne(h->band_name[2], csm_health_scorecard_band_name(sc, 0));
    ck_assert_ptr_ne(h->override_name[2], csm_health_scorecard_override_name(sc, 1));
    /* health_measures row i*4 + k is account i, measure k: row 5 = B
     * tickets, row 10 = C nps, row 11 = C sponsor */
    for (size_t row = 0; row < 12; row++) {
        ck_assert_int_eq(h->measure_account[row], (int64_t)(row / 4));
        ck_assert_int_eq(h->measure_index[row], (int32_t)(row % 4));
    }
    ck_assert_str_eq(h->measure_name[0], "login_rate");
    ck_assert_str_eq(h->measure_name[5], "tickets");
    ck_assert_str_eq(h->measure_name[10], "nps");
    ck_assert_str_eq(h->measure_name[11], "sponsor");
    ck_assert_int_eq(h->measure_account[5], 1);
    ck_assert(isnan(h->measure_score[5])); /* B's tickets are missing */
    /* C nps -20 -> (-20 + 100)/200 x 100 = 40; C's raw 17.5 is all
     * relationship (1/4): nps 1/4 x 1/2 x 40 = 5, sponsor 1/4 x 1/2 x 100
     * = 12.5 */
    ck_assert_double_eq_tol(h->measure_score[10], 40, TOL);
    ck_assert_double_eq_tol(h->contribution[10], 5, TOL);
    ck_assert_double_eq_tol(h->contribution[11], 12.5, TOL);
    /* health_groups row i*2 + g: A usage 45, relationship 21.875 (header);
     * B usage 75 (login 100 carries usage's 3/4), relationship 0 (nps 0 by
     * the zero policy, sponsor 0); C usage 0 (login 0, tickets 0),
     * relationship 17.5 */
    const double gc[] = {45, 21.875, 75, 0, 0, 17.5};
    const char *gn[] = {"usage", "relationship"};
    for (size_t row = 0; row < 6; row++) {
        ck_assert_int_eq(h->group_account[row], (int64_t)(row / 2));
        ck_assert_int_eq(h->group_index[row], (int32_t)(row % 2));
        ck_assert_str_eq(h->group_name[row], gn[row % 2]);
        ck_assert_double_eq_tol(h->group_contribution[row], gc[row], TOL);
    }
    /* one copy of each name: every account's rows share it */
    ck_assert_ptr_eq(h->measure_name[1], h->measure_name[9]);
    ck_assert_ptr_eq(h->group_name[1], h->group_name[5]);
    ck_assert_ptr_ne(h->measure_name[1], csm_health_scorecard_measure_name(sc, 1));
    csm_health_free(h);
    csm_health_scorecard_free(sc);
}
END_TEST

/* The text columns are copies: the scorecard may be freed before the
 * result (ASan and valgrind check the reads). */
/* Bands and the accounts most at risk of the hand-worked example.  Per
 * account, points = weight x (100 - measure score):
 *   A (66.875, yellow): login 0.5 x (100 - 50) = 25, tickets 0.25 x 20 =
 *     5, nps 0.125 x 25 = 3.125, sponsor 0
 *   B (40 after the cap, yellow): login weight 0.75 (tickets missing),
 *     score 100: 0; nps (missing: zero) 0.125 x 100 = 12.5, sponsor
 *     0.125 x 100 = 12.5 (a tie: spec order); override "key contact left"
 *   C (7.5, red): login 0.5 x 100 = 50, tickets 0.25 x 100 = 25, nps
 *     0.125 x 60 = 7.5; override "open P1"
 * Ranking by score: C, B, A.  Bands best first: green 0 accounts, yellow
 * 2 (A, B: MRR 100 + 200), red 1 (C: 300); shares 0, 2/3, 1/3. */
START_TEST(test_bands_at_risk) {
    csm_health_scorecard *sc = load(SPEC);
    csm_health *h = score3(sc);
    const double mrr[] = {100, 200, 300};
    const int64_t ids[] = {501, 502, 503};
    csm_health_bands *b = NULL;
    csm_error e;
    ck_assert_int_eq(csm_health_bands_compute(&b, h, sc, mrr, &e),
                     CSM_OK);
    ck_assert_uint_eq(b->n_rows, 3);
    ck_assert_uint_eq(b->n_scored, 3);
    ck_assert_uint_eq(b->n_unscored, 0);
    const int32_t wb[] = {2, 1, 0};
    const char *wn[] = {"green", "yellow", "red"};
    const int64_t wa[] = {0, 2, 1};
    const double ws[] = {0, 2.0 / 3, 1.0 / 3}, wm[] = {0, 300, 300};
    for (size_t i = 0; i < 3; i++) {
        ck_assert_int_eq(b->band[i], wb[i]);
        ck_assert_str_eq(b->band_name[i], wn[i]);
        ck_assert_int_eq(b->accounts[i], wa[i]);
        ck_assert_double_eq_tol(b->share[i], ws[i], TOL);
        ck_assert_double_eq_tol(b->mrr[i], wm[i], TOL);
    }
    const want_col bc[] = {WANT("band", CODE, I32, KEY, b->band),
                           WANT("band_name", TEXT, STR, DETAIL, b->band_name),
                           WANT("accounts", COUNT, I64, MAIN, b->accounts),
                           WANT("share", FRACTION, F64, MAIN, b->share),
                           WANT("mrr", MONEY, F64, MAIN, b->mrr)};
    check_columns(csm_result_find(b->result, "health_bands"), bc, N_WANT(bc));
    csm_health_bands_free(b);
    /* without MRR: 0 */
    ck_assert_int_eq(csm_health_bands_compute(&b, h, sc, NULL, &e),
                     CSM_OK);
    ck_assert_double_eq_tol(b->mrr[1], 0, TOL);
    csm_health_bands_free(b);

    csm_health_risks *r = NULL;
    ck_assert_int_eq(csm_health_at_risk(&r, h, ids, mrr, NULL, &e), CSM_OK);
    ck_assert_uint_eq(r->n_rows, 3);
    const int64_t wid[] = {503, 502, 501};
    const double wsc[] = {7.5, 40, 66.875};
    const char *wt[] = {"login_rate -50.0; tickets -25.0; override: open P1",
                        "nps -12.5; sponsor -12.5; override: key contact left",
                        "login_rate -25.0; tickets -5.0"};
    for (size_t i = 0; i < 3; i++) {
        ck_assert_int_eq(r->rank[i], (int32_t)i + 1);
        ck_assert_int_eq(r->account_id[i], wid[i]);
        ck_assert_int_eq(r->risk_account[i], wid[i] - 501);
        ck_assert_double_eq_tol(r->risk_score[i], wsc[i], TOL);
        ck_assert_double_eq_tol(r->risk_mrr[i], mrr[wid[i] - 501], TOL);
        ck_assert_str_eq(r->top_reasons[i], wt[i]);
    }
    ck_assert_str_eq(r->risk_band_name[0], "red");
    ck_assert_uint_eq(r->n_reason_rows, 6);
    const int32_t rr[] = {1, 1, 2, 2, 3, 3}, rm[] = {0, 1, 2, 3, 0, 1};
    const double rp[] = {50, 25, 12.5, 12.5, 25, 5};
    for (size_t q = 0; q < 6; q++) {
        ck_assert_int_eq(r->reason_rank[q], rr[q]);
        ck_assert_int_eq(r->reason[q], (int32_t)(q % 2) + 1);
        ck_assert_int_eq(r->reason_measure[q], rm[q]);
        ck_assert_double_eq_tol(r->points[q], rp[q], TOL);
    }
    ck_assert_str_eq(r->reason_name[2], "nps");
    csm_health_risks_free(r);
    /* the top 2, one reason each, no ids or MRR */
    csm_health_risks_opts o = CSM_HEALTH_RISKS_OPTS_INIT;
    o.top_n = 2;
    o.n_reasons = 1;
    ck_assert_int_eq(csm_health_at_risk(&r, h, NULL, NULL, &o, &e), CSM_OK);
    ck_assert_uint_eq(r->n_rows, 2);
    ck_assert_int_eq(r->account_id[0], 2);
    ck_assert_str_eq(r->top_reasons[1], "nps -12.5; override: key contact left");
    ck_assert(isnan(r->risk_mrr[0]));
    csm_health_risks_free(r);
    /* a score tie: by MRR descending.  A, B and C with equal scores? Use
     * A twice: both 66.875; the one with more MRR first */
    const double v2[] = {0.5, 2, 50, 1, 0, 0, 0.5, 2, 50, 1, 0, 0};
    csm_health *h2 = NULL;
    ck_assert_int_eq(csm_health_score(&h2, sc, v2, 2, NULL, &e),
                     CSM_OK);
    const double m2[] = {10, 20};
    ck_assert_int_eq(csm_health_at_risk(&r, h2, NULL, m2, NULL, &e), CSM_OK);
    ck_assert_int_eq(r->account_id[0], 1);
    csm_health_risks_free(r);
    csm_health_free(h2);
    /* errors */
    ck_assert_int_eq(csm_health_at_risk(NULL, h, NULL, NULL, NULL, &e),
                     CSM_EINVAL);
    r = (csm_health_risks *)1;
    ck_assert_int_eq(csm_health_at_risk(&r, NULL, NULL, NULL, NULL, &e),
                     CSM_EINVAL);
    ck_assert_ptr_null(r);
    o.n_reasons = 9;
    ck_assert_int_eq(csm_health_at_risk(&r, h, NULL, NULL, &o, &e),
                     CSM_EINVAL);
    ck_assert_int_eq(csm_health_bands_compute(&b, h, NULL, NULL, &e),
                     CSM_EINVAL);
    const double bad[] = {1, INFINITY, 1};
    ck_assert_int_eq(csm_health_bands_compute(&b, h, sc, bad, &e),
                     CSM_EDOMAIN);
    ck_assert_uint_eq(e.row, 1);
    ck_assert_ptr_null(b);
    /* out of memory: bands and at-risk allocate with the allocator of h,
     * the scorecard's (csm_health_scorecard_opts): each of their
     * allocations fails in turn, and nothing leaks */
    fail_ctx fc = {-1, 0};
    csm_allocator al = {fail_alloc, fail_free, &fc, NULL};
    csm_health_scorecard_opts so = CSM_HEALTH_SCORECARD_OPTS_INIT;
    so.allocator = &al;
    csm_health_scorecard *asc = NULL;
    ck_assert_int_eq(csm_health_scorecard_from_json(&asc, SPEC, strlen(SPEC), &so, NULL),
                     CSM_OK);
    csm_health *ah = score3(asc);
    const long base = fc.live; /* the scorecard's blocks and h's one */
    ck_assert_int_gt(base, 1);
    for (int fn = 0; fn < 2; fn++) {
        int done = 0;
        long fails = 0;
        for (long k = 0; k < 20 && !done; k++) {
            fc.budget = k;
            csm_status st;
            if (fn == 0) {
                b = (csm_health_bands *)1;
                st = csm_health_bands_compute(&b, ah, asc, mrr, NULL);
                if (st != CSM_OK)
                    ck_assert_ptr_null(b);
                else
                    ck_assert_int_eq(fc.live, base + 1); /* one block */
                csm_health_bands_free(b);
            } else {
                r = (csm_health_risks *)1;
                st = csm_health_at_risk(&r, ah, ids, mrr, NULL, NULL);
                if (st != CSM_OK)
                    ck_assert_ptr_null(r);
                else
                    ck_assert_int_eq(fc.live, base + 1);
                csm_health_risks_free(r);
            }
            ck_assert(st == CSM_OK || st == CSM_ENOMEM);
            done = st == CSM_OK;
            fails += st != CSM_OK;
            ck_assert_int_eq(fc.live, base);
        }
        ck_assert(done && fails > 0);
    }
    fc.budget = -1;
    csm_health_free(ah);
    csm_health_scorecard_free(asc);
    ck_assert_int_eq(fc.live, 0);
    csm_health_free(h);
    csm_health_scorecard_free(sc);
}
END_TEST

START_TEST(test_names_outlive_scorecard) {
    csm_health_scorecard *sc = load(SPEC);
    csm_health *h = score3(sc);
    csm_health_scorecard_free(sc);
    ck_assert_str_eq(h->band_name[0], "yellow");
    ck_assert_str_eq(h->band_name[2], "red");
    ck_assert_str_eq(h->override_name[1], "key contact left");
    ck_assert_str_eq(h->override_name[2], "open P1");
    ck_assert_str_eq(h->measure_name[7], "sponsor");
    ck_assert_str_eq(h->group_name[4], "usage");
    const csm_table *tm = csm_result_find(h->result, "health_measures");
    const csm_column *c = csm_table_find(tm, "measure_name");
    ck_assert_str_eq(((const char *const *)c->data)[2], "nps");
    csm_health_free(h);
}
END_TEST


/* utf8 value i of an exported string array, NUL-terminated in buf */
static const char *utf8(const struct ArrowArray *a, size_t i, char *buf,
                        size_t cap) {
    const int32_t *off = a->buffers[1];
    const char *chars = a->buffers[2];
    size_t len = (size_t)(off[i + 1] - off[i]);
    ck_assert_uint_lt(len, cap);
    memcpy(buf, chars + off[i], len);
    buf[len] = '\0';
    return buf;
}

START_TEST(test_arrow) {
    csm_health_scorecard *sc = load(SPEC);
    csm_health *h = score3(sc);
    struct ArrowSchema s[3];
    struct ArrowArray a[3];
    for (size_t i = 0; i < 3; i++)
        ck_assert_int_eq(csm_table_export_arrow(&s[i], &a[i], h->result,
                                                csm_result_table(h->result, i),
                                                NULL),
                         CSM_OK);
    const double *gcontrib = h->group_contribution;
    /* both the scorecard and the caller's reference go first: the
     * exports hold the block */
    csm_health_scorecard_free(sc);
    csm_health_free(h);
    char buf[64];

    /* health */
    ck_assert_str_eq(s[0].name, "health");
    ck_assert_int_eq(s[0].n_children, 11);
    ck_assert_int_eq(a[0].length, 3);
    ck_assert_str_eq(s[0].children[0]->name, "account");
    ck_assert_str_eq(s[0].children[0]->format, "l");
    const int64_t *acc = a[0].children[0]->buffers[1];
    ck_assert_int_eq(acc[2], 2);
    ck_assert_str_eq(s[0].children[3]->format, "i"); /* band_index */
    ck_assert_int_eq(((const int32_t *)a[0].children[3]->buffers[1])[2], 0);
    /* band (the names): "yellow", "yellow", "red": offsets 0, 6, 12, 15 */
    ck_assert_str_eq(s[0].children[4]->name, "band");
    ck_assert_str_eq(s[0].children[4]->format, "u");
    const struct ArrowArray *bn = a[0].children[4];
    ck_assert_int_eq(bn->null_count, 0);
    ck_assert_int_eq(((const int32_t *)bn->buffers[1])[3], 15);
    ck_assert_str_eq(utf8(bn, 1, buf, sizeof buf), "yellow");
    ck_assert_str_eq(utf8(bn, 2, buf, sizeof buf), "red");
    /* override (the names): null, "key contact left" (16 bytes), "open P1" (7):
     * offsets 0, 0, 16, 23 */
    const struct ArrowArray *on = a[0].children[6];
    ck_assert_str_eq(s[0].children[6]->name, "override");
    ck_assert_int_eq(on->null_count, 1);
    ck_assert(!arrow_bit(on->buffers[0], 0));
    ck_assert(arrow_bit(on->buffers[0], 1));
    ck_assert(arrow_bit(on->buffers[0], 2));
    ck_assert_int_eq(((const int32_t *)on->buffers[1])[2], 16);
    ck_assert_int_eq(((const int32_t *)on->buffers[1])[3], 23);
    ck_assert_str_eq(utf8(on, 1, buf, sizeof buf), "key contact left");
    /* moved: A and B, bit-packed 0b011 */
    ck_assert_str_eq(s[0].children[9]->format, "b");
    ck_assert_int_eq(((const uint8_t *)a[0].children[9]->buffers[1])[0] & 7,
                     3);
    /* change: -3.125, -40, -2.5 (header comment) */
    ck_assert_double_eq_tol(((const double *)a[0].children[8]->buffers[1])[2],
                            -2.5, TOL);

    /* health_measures: 12 rows; B's tickets (row 5) is null */
    ck_assert_str_eq(s[1].name, "health_measures");
    ck_assert_int_eq(a[1].length, 12);
    ck_assert_int_eq(s[1].n_children, 6);
    ck_assert_str_eq(s[1].children[1]->name, "measure");
    ck_assert_str_eq(s[1].children[1]->format, "i");
    ck_assert_int_eq(((const int32_t *)a[1].children[1]->buffers[1])[7], 3);
    const struct ArrowArray *ms = a[1].children[3];
    ck_assert_int_eq(ms->null_count, 1);
    ck_assert(!arrow_bit(ms->buffers[0], 5));
    ck_assert(arrow_bit(ms->buffers[0], 4));
    ck_assert_double_eq_tol(((const double *)ms->buffers[1])[1], 80, TOL);
    /* measure names: login_rate 10 + tickets 7 + nps 3 + sponsor 7 = 27
     * bytes an account: offsets[4] = 27, offsets[12] = 81 */
    const struct ArrowArray *mn = a[1].children[2];
    ck_assert_int_eq(((const int32_t *)mn->buffers[1])[4], 27);
    ck_assert_int_eq(((const int32_t *)mn->buffers[1])[12], 81);
    ck_assert_str_eq(utf8(mn, 9, buf, sizeof buf), "tickets");
    /* contribution of A's login: 25 (header) */
    ck_assert_double_eq_tol(((const double *)a[1].children[5]->buffers[1])[0],
                            25, TOL);

    /* health_groups: 6 rows; names usage 5 + relationship 12 = 17 bytes an
     * account: offsets[6] = 51 */
    ck_assert_str_eq(s[2].name, "health_groups");
    ck_assert_int_eq(a[2].length, 6);
    ck_assert_str_eq(s[2].children[2]->name, "group_name");
    ck_assert_int_eq(((const int32_t *)a[2].children[2]->buffers[1])[6], 51);
    ck_assert_str_eq(utf8(a[2].children[2], 3, buf, sizeof buf),
                     "relationship");
    /* group contributions are zero-copy, alive after csm_health_free */
    ck_assert_ptr_eq(a[2].children[3]->buffers[1], gcontrib);
    ck_assert_double_eq_tol(gcontrib[1], 21.875, TOL);
    ck_assert_double_eq_tol(gcontrib[5], 17.5, TOL);
    for (size_t i = 0; i < 3; i++) {
        s[i].release(&s[i]);
        a[i].release(&a[i]);
        ck_assert(a[i].release == NULL);
    }
}
END_TEST

START_TEST(test_percentile_worst_round) {
    /* percentile (mid-rank) of 10, 20, 20, 40 (NaN excluded):
     * 10 -> (0 + 0.5)/4 = 12.5; 20 -> (1 + 1)/4 = 50; 40 -> 87.5 */
    const char *spec =
        "{\"round\": 0, \"groups\": [{\"name\": \"g\", \"measures\": ["
        "{\"name\": \"x\", \"transform\": {\"type\": \"percentile\"}}]}]}";
    csm_health_scorecard *sc = load(spec);
    const double v[] = {10, 20, 40, 20, NAN};
    csm_health *h = NULL;
    ck_assert_int_eq(csm_health_score(&h, sc, v, 5, NULL, NULL), CSM_OK);
    ck_assert_double_eq_tol(h->measure_score[0], 12.5, TOL);
    ck_assert_double_eq_tol(h->measure_score[1], 50, TOL);
    ck_assert_double_eq_tol(h->measure_score[2], 87.5, TOL);
    /* round 0: 12.5 -> 13 (round half away from zero); raw stays 12.5 */
    ck_assert_double_eq_tol(h->score[0], 13, TOL);
    ck_assert_double_eq_tol(h->raw_score[0], 12.5, TOL);
    /* the account with nothing present: NaN, band -1, flagged */
    ck_assert(isnan(h->score[4]));
    ck_assert_int_eq(h->band[4], -1);
    ck_assert(h->flags[4] & CSM_FLAG_EMPTY);
    /* default bands red 0, yellow 40, green 70: 13 red, 50 yellow, 87.5
     * -> 88 green; no band, no name (null in the table) */
    ck_assert_str_eq(h->band_name[0], "red");
    ck_assert_str_eq(h->band_name[1], "yellow");
    ck_assert_str_eq(h->band_name[2], "green");
    ck_assert_ptr_null(h->band_name[4]);
    ck_assert_int_eq(
        csm_column_is_valid(csm_table_find(csm_result_table(h->result, 0),
                                           "band"),
                            4),
        0);
    /* one measure in one (default-weight) group: 5 rows in each long table */
    ck_assert_uint_eq(csm_result_find(h->result, "health_measures")->n_rows, 5);
    ck_assert_uint_eq(csm_result_find(h->result, "health_groups")->n_rows, 5);
    ck_assert_str_eq(h->group_name[4], "g");
    csm_health_free(h);
    csm_health_scorecard_free(sc);
    /* worst-of on account A of SPEC: min(50, 80, 75, 100) = 50 */
    char buf[2048];
    snprintf(buf, sizeof buf, "{\"aggregation\": \"worst_of\", %s", SPEC + 1);
    sc = load(buf);
    const double a[] = {0.5, 2, 50, 1, 0, 0};
    ck_assert_int_eq(csm_health_score(&h, sc, a, 1, NULL, NULL), CSM_OK);
    ck_assert_double_eq_tol(h->score[0], 50, TOL);
    ck_assert_double_eq_tol(h->contribution[0], 50, TOL);
    ck_assert_double_eq_tol(h->contribution[1], 0, TOL);
    csm_health_free(h);
    csm_health_scorecard_free(sc);
}
END_TEST

START_TEST(test_band_override_and_fail) {
    /* force-band override and the fail policy */
    const char *spec =
        "{\"bands\": [{\"name\": \"low\", \"min\": 0}, {\"name\": \"high\", "
        "\"min\": 50}], \"groups\": [{\"name\": \"g\", \"measures\": ["
        "{\"name\": \"x\", \"missing\": \"fail\", \"transform\": {\"type\": "
        "\"linear\", \"min\": 0, \"max\": 10}}]}], \"overrides\": [{\"name\": "
        "\"flag\", \"input\": \"f\", \"op\": \"!=\", \"value\": 0, \"action\": "
        "\"band\", \"band\": \"low\"}]}";
    csm_health_scorecard *sc = load(spec);
    const double v[] = {9, 1, 5, 0}; /* x=9 flagged -> forced low; x=5 -> 50 */
    csm_health *h = NULL;
    ck_assert_int_eq(csm_health_score(&h, sc, v, 2, NULL, NULL), CSM_OK);
    ck_assert_double_eq_tol(h->score[0], 90, TOL);
    ck_assert_int_eq(h->band[0], 0);
    ck_assert_int_eq(h->band[1], 1); /* 50 on the cut point: high */
    csm_health_free(h);
    const double miss[] = {9, 0, NAN, 0};
    csm_error e;
    ck_assert_int_eq(csm_health_score(&h, sc, miss, 2, NULL, &e),
                     CSM_EMISSING);
    ck_assert_uint_eq(e.row, 1);
    ck_assert_str_eq(e.text, "EMISSING: row 1, measure 'x': the measure is "
                             "missing and its policy is 'fail'");
    const double inf[] = {INFINITY, 0};
    ck_assert_int_eq(csm_health_score(&h, sc, inf, 1, NULL, &e),
                     CSM_EDOMAIN);
    /* the text names the input; field stays the parameter */
    ck_assert_str_eq(e.text, "EDOMAIN: row 0, input 'x': values must be "
                             "finite or NaN (missing)");
    ck_assert_str_eq(e.field, "values");
    ck_assert_int_eq(csm_health_score(&h, sc, NULL, 1, NULL, &e),
                     CSM_EINVAL);
    csm_health_scorecard_free(sc);
}
END_TEST

/* The inputs no account supplies (issue 13: a scorecard input that the data
 * lacks or misspells was silently NaN everywhere).  SPEC's inputs: the
 * measures login_rate, tickets, nps (missing "zero"), sponsor (the default
 * "renormalize"), then the override-only key_contact_left and open_p1. */
START_TEST(test_absent_inputs) {
    csm_health_scorecard *sc = load(SPEC);
    const char *policy[] = {"renormalize", "renormalize", "zero", "renormalize"};
    for (size_t k = 0; k < 4; k++)
        ck_assert_str_eq(csm_health_scorecard_input_policy(sc, k), policy[k]);
    ck_assert_ptr_null(csm_health_scorecard_input_policy(sc, 4)); /* override only */
    ck_assert_ptr_null(csm_health_scorecard_input_policy(sc, 5));
    ck_assert_ptr_null(csm_health_scorecard_input_policy(sc, 6)); /* no input 6 */
    ck_assert_ptr_null(csm_health_scorecard_input_policy(NULL, 0));
    /* 3 accounts: tickets, key_contact_left and open_p1 NaN in every row
     * (absent); nps in one row and sponsor 0 in one row are values */
    const double v[] = {0.5, NAN, NAN, NAN, NAN, NAN, /* account 0 */
                        0.6, NAN, 10,  NAN, NAN, NAN, /* account 1 */
                        0.7, NAN, NAN, 0,   NAN, NAN}; /* account 2 */
    unsigned char absent[6];
    size_t n_absent = 99;
    csm_error e;
    ck_assert_int_eq(csm_health_absent_inputs(absent, &n_absent, sc, v, 3, &e), CSM_OK);
    const unsigned char want[] = {0, 1, 0, 0, 1, 1};
    ck_assert_mem_eq(absent, want, 6);
    ck_assert_uint_eq(n_absent, 3);
    /* one account: its own NaNs are the absent inputs (n_absent optional) */
    ck_assert_int_eq(csm_health_absent_inputs(absent, NULL, sc, v + 6, 1, &e), CSM_OK);
    const unsigned char want1[] = {0, 1, 0, 1, 1, 1};
    ck_assert_mem_eq(absent, want1, 6);
    /* no account: nothing is absent */
    memset(absent, 7, sizeof absent);
    ck_assert_int_eq(csm_health_absent_inputs(absent, &n_absent, sc, NULL, 0, &e), CSM_OK);
    ck_assert_mem_eq(absent, (unsigned char[6]){0}, 6);
    ck_assert_uint_eq(n_absent, 0);
    ck_assert_int_eq(csm_health_absent_inputs(NULL, &n_absent, sc, v, 3, &e), CSM_EINVAL);
    ck_assert_str_eq(e.field, "absent");
    ck_assert_int_eq(csm_health_absent_inputs(absent, &n_absent, sc, NULL, 3, &e),
                     CSM_EINVAL);
    ck_assert_int_eq(csm_health_absent_inputs(absent, &n_absent, NULL, v, 3, &e),
                     CSM_EINVAL);
    csm_health_scorecard_free(sc);
    /* a "fail" measure no account has: EMISSING naming it, before scoring;
     * the override-only input f is present */
    sc = load("{\"groups\": [{\"name\": \"g\", \"measures\": [{\"name\": \"x\", "
              "\"missing\": \"fail\", \"transform\": {\"type\": \"linear\", "
              "\"min\": 0, \"max\": 10}}]}], \"overrides\": [{\"name\": \"o\", "
              "\"input\": \"f\", \"op\": \"!=\", \"value\": 0, \"action\": "
              "\"cap\", \"score\": 40}]}");
    ck_assert_str_eq(csm_health_scorecard_input_policy(sc, 0), "fail");
    const double xf[] = {NAN, 0, NAN, 1};
    ck_assert_int_eq(csm_health_absent_inputs(absent, &n_absent, sc, xf, 2, &e),
                     CSM_EMISSING);
    ck_assert_uint_eq(e.row, CSM_NO_ROW);
    ck_assert_str_eq(e.field, "values");
    ck_assert_str_eq(e.text, "EMISSING: input 'x': no account has a value, and the "
                             "measure's missing policy is 'fail'");
    ck_assert_uint_eq(n_absent, 1);
    ck_assert_int_eq(absent[0], 1);
    ck_assert_int_eq(absent[1], 0);
    /* x in one account: not absent (that account's missing x is
     * csm_health_score's error, with its row) */
    const double x1[] = {NAN, 0, 5, 1};
    ck_assert_int_eq(csm_health_absent_inputs(absent, &n_absent, sc, x1, 2, &e), CSM_OK);
    ck_assert_uint_eq(n_absent, 0);
    csm_health_scorecard_free(sc);
}
END_TEST

START_TEST(test_round_trip) {
    csm_health_scorecard *sc = load(SPEC);
    char *j1 = NULL, *j2 = NULL;
    size_t n1, n2;
    ck_assert_int_eq(csm_health_scorecard_to_json(&j1, &n1, sc, NULL), CSM_OK);
    csm_health_scorecard *sc2 = load(j1);
    ck_assert_int_eq(csm_health_scorecard_to_json(&j2, &n2, sc2, NULL), CSM_OK);
    ck_assert_uint_eq(n1, n2);
    ck_assert_str_eq(j1, j2);
    ck_assert(strstr(j1, "\"missing\": \"zero\"") != NULL);
    /* the re-read scorecard scores identically */
    const double v[] = {0.5, 2, 50, 1, 0, 0};
    csm_health *a = NULL, *b = NULL;
    ck_assert_int_eq(csm_health_score(&a, sc, v, 1, NULL, NULL), CSM_OK);
    ck_assert_int_eq(csm_health_score(&b, sc2, v, 1, NULL, NULL), CSM_OK);
    ck_assert_double_eq(a->score[0], b->score[0]);
    csm_health_free(a);
    csm_health_free(b);
    csm_health_scorecard_json_free(sc, j1);
    csm_health_scorecard_json_free(sc2, j2);
    csm_health_scorecard_free(sc2);
    csm_health_scorecard_free(sc);
}
END_TEST

START_TEST(test_example_specs) {
    const char *files[] = {"examples/scorecards/usage-led.json",
                           "examples/scorecards/relationship-led.json"};
    for (int i = 0; i < 2; i++) {
        char path[512];
        const char *root = getenv("MESON_SOURCE_ROOT");
        snprintf(path, sizeof path, "%s/%s", root ? root : SOURCE_ROOT, files[i]);
        FILE *f = fopen(path, "rb");
        ck_assert_msg(f != NULL, "cannot open %s", path);
        char buf[16384];
        size_t n = fread(buf, 1, sizeof buf, f);
        fclose(f);
        csm_health_scorecard *sc = NULL;
        csm_error e;
        ck_assert_msg(csm_health_scorecard_from_json(&sc, buf, n, NULL, &e) == CSM_OK,
                      "%s: %s", files[i], e.text);
        ck_assert_uint_eq(csm_health_scorecard_band_count(sc), 3);
        ck_assert(csm_health_scorecard_override_count(sc) == 2);
        csm_health_scorecard_free(sc);
    }
}
END_TEST

/* every validation error path, with the exact path in the message */
static const struct {
    const char *json;
    csm_status code;
    const char *text;
} bad_specs[] = {
    {"{", CSM_EPARSE, NULL},
    {"[]", CSM_EINVAL, "EINVAL: $: must be an object"},
    {"{}", CSM_EINVAL, "EINVAL: $.groups: is required"},
    {"{\"groups\": []}", CSM_EINVAL, "EINVAL: $.groups: must be a non-empty array"},
    {"{\"groups\": [{\"name\": \"a\", \"measures\": [{\"name\": \"x\", "
     "\"transform\": {\"type\": \"boolean\"}}]}, {\"name\": \"b\", "
     "\"measures\": [{\"name\": \"y\", \"weight\": -1, \"transform\": "
     "{\"type\": \"boolean\"}}]}]}",
     CSM_EINVAL, "EINVAL: $.groups[1].measures[0].weight: must be >= 0"},
    {"{\"groups\": [{\"name\": \"a\", \"measures\": [{\"name\": \"x\", "
     "\"wieght\": 1, \"transform\": {\"type\": \"boolean\"}}]}]}",
     CSM_EINVAL, "EINVAL: $.groups[0].measures[0].wieght: unknown key"},
    {"{\"groups\": [{\"name\": \"a\", \"measures\": [{\"name\": \"x\", "
     "\"transform\": {\"type\": \"cubic\"}}]}]}",
     CSM_EINVAL, "EINVAL: $.groups[0].measures[0].transform.type: must be one of "
                 "linear, piecewise, percentile, boolean"},
    {"{\"groups\": [{\"name\": \"a\", \"measures\": [{\"name\": \"x\", "
     "\"transform\": {\"type\": \"linear\", \"min\": 5, \"max\": 5}}]}]}",
     CSM_EINVAL, "EINVAL: $.groups[0].measures[0].transform.max: must be greater than min"},
    {"{\"groups\": [{\"name\": \"a\", \"measures\": [{\"name\": \"x\", "
     "\"transform\": {\"type\": \"linear\", \"min\": 0}}]}]}",
     CSM_EINVAL, "EINVAL: $.groups[0].measures[0].transform.max: is required"},
    {"{\"groups\": [{\"name\": \"a\", \"measures\": [{\"name\": \"x\", "
     "\"transform\": {\"type\": \"piecewise\", \"points\": [[0, 1], [0, 2]]}}]}]}",
     CSM_EINVAL, "EINVAL: $.groups[0].measures[0].transform.points[1]: x must be "
                 "strictly increasing"},
    {"{\"groups\": [{\"name\": \"a\", \"measures\": [{\"name\": \"x\", "
     "\"transform\": {\"type\": \"piecewise\", \"points\": [[0, 1], [1, 200]]}}]}]}",
     CSM_EINVAL, "EINVAL: $.groups[0].measures[0].transform.points[1]: score must be "
                 "in 0..100"},
    {"{\"groups\": [{\"name\": \"a\", \"measures\": [{\"name\": \"x\", "
     "\"transform\": {\"type\": \"piecewise\", \"points\": [[0, 1]]}}]}]}",
     CSM_EINVAL, "EINVAL: $.groups[0].measures[0].transform.points: must be an array "
                 "of at least two [x, score] pairs"},
    {"{\"groups\": [{\"name\": \"a\", \"measures\": [{\"name\": \"x\", "
     "\"transform\": {\"type\": \"boolean\"}}, {\"name\": \"x\", "
     "\"transform\": {\"type\": \"boolean\"}}]}]}",
     CSM_EINVAL, "EINVAL: $.groups[0].measures[1].name: duplicate measure name 'x'"},
    {"{\"groups\": [{\"name\": \"a\", \"measures\": [{\"name\": \"x\", "
     "\"direction\": \"up\", \"transform\": {\"type\": \"boolean\"}}]}]}",
     CSM_EINVAL, "EINVAL: $.groups[0].measures[0].direction: must be one of lower, higher"},
    {"{\"groups\": [{\"name\": \"a\", \"measures\": [{\"name\": \"x\"}]}]}",
     CSM_EINVAL, "EINVAL: $.groups[0].measures[0].transform: is required"},
    {"{\"groups\": [{\"name\": \"a\", \"measures\": [{\"name\": \"x\", "
     "\"weight\": 0, \"transform\": {\"type\": \"boolean\"}}]}]}",
     CSM_EINVAL, "EINVAL: $.groups[0].measures: measure weights sum to 0"},
    {"{\"groups\": [{\"name\": \"a\", \"weight\": 0, \"measures\": [{\"name\": "
     "\"x\", \"transform\": {\"type\": \"boolean\"}}]}]}",
     CSM_EINVAL, "EINVAL: $.groups: group weights sum to 0"},
    {"{\"groups\": [{\"measures\": [{\"name\": \"x\", \"transform\": "
     "{\"type\": \"boolean\"}}]}]}",
     CSM_EINVAL, "EINVAL: $.groups[0].name: is required"},
    {"{\"bands\": [{\"name\": \"a\", \"min\": 0}, {\"name\": \"b\", \"min\": "
     "0}], \"groups\": [{\"name\": \"a\", \"measures\": [{\"name\": \"x\", "
     "\"transform\": {\"type\": \"boolean\"}}]}]}",
     CSM_EINVAL, "EINVAL: $.bands[1].min: band cut points must increase"},
    {"{\"round\": 9, \"groups\": [{\"name\": \"a\", \"measures\": [{\"name\": "
     "\"x\", \"transform\": {\"type\": \"boolean\"}}]}]}",
     CSM_EINVAL, "EINVAL: $.round: must be an integer 0..6 or null"},
    {"{\"groups\": [{\"name\": \"a\", \"measures\": [{\"name\": \"x\", "
     "\"transform\": {\"type\": \"boolean\"}}]}], \"overrides\": [{\"name\": "
     "\"o\", \"input\": \"x\", \"op\": \"==\", \"value\": 1, \"action\": "
     "\"band\", \"band\": \"purple\"}]}",
     CSM_EINVAL, "EINVAL: $.overrides[0].band: no band named 'purple'"},
    {"{\"groups\": [{\"name\": \"a\", \"measures\": [{\"name\": \"x\", "
     "\"transform\": {\"type\": \"boolean\"}}]}], \"overrides\": [{\"name\": "
     "\"o\", \"input\": \"x\", \"op\": \"==\", \"value\": 1, \"action\": "
     "\"cap\", \"score\": 140}]}",
     CSM_EINVAL, "EINVAL: $.overrides[0].score: must be in 0..100"},
    {"{\"groups\": [{\"name\": \"a\", \"measures\": [{\"name\": \"x\", "
     "\"transform\": {\"type\": \"boolean\"}}]}], \"overrides\": [{\"name\": "
     "\"o\", \"input\": \"x\", \"op\": \"=~\", \"value\": 1, \"action\": "
     "\"cap\", \"score\": 10}]}",
     CSM_EINVAL, "EINVAL: $.overrides[0].op: must be one of <, <=, >, >=, ==, !="},
    {"{\"groups\": [{\"name\": \"a\", \"measures\": [{\"name\": \"x\", "
     "\"transform\": {\"type\": \"boolean\"}}]}], \"overrides\": [{\"name\": "
     "\"o\", \"input\": \"x\", \"op\": \">\", \"value\": \"high\", \"action\": "
     "\"cap\", \"score\": 10}]}",
     CSM_EINVAL, "EINVAL: $.overrides[0].value: must be a number"},
};

START_TEST(test_bad_spec) {
    csm_health_scorecard *sc = (csm_health_scorecard *)1;
    csm_error e;
    const char *j = bad_specs[_i].json;
    ck_assert_int_eq(csm_health_scorecard_from_json(&sc, j, strlen(j), NULL, &e),
                     bad_specs[_i].code);
    ck_assert_ptr_null(sc);
    if (bad_specs[_i].text)
        ck_assert_str_eq(e.text, bad_specs[_i].text);
    else {
        /* "{": jansson's position of the error, its text after */
        ck_assert_str_eq(e.field, "json");
        ck_assert_msg(strncmp(e.text, "EPARSE: line 1, column ", 23) == 0,
                      "%s", e.text);
    }
}
END_TEST


START_TEST(test_oom) {
    int done = 0;
    for (long b = 0; b < 400 && !done; b++) {
        fail_ctx f = {b, 0};
        csm_allocator a = {fail_alloc, fail_free, &f, NULL};
        csm_health_scorecard *sc = NULL;
        csm_status s = csm_health_scorecard_from_json(&sc, SPEC, strlen(SPEC), &(csm_health_scorecard_opts){sizeof(csm_health_scorecard_opts), &a}, NULL);
        ck_assert(s == CSM_OK || s == CSM_ENOMEM);
        if (s == CSM_OK) {
            const double v[] = {0.5, 2, 50, 1, 0, 0};
            csm_health *h = NULL;
            char *j = NULL;
            csm_status s2 = csm_health_score(&h, sc, v, 1, NULL, NULL);
            csm_status s3 = csm_health_scorecard_to_json(&j, NULL, sc, NULL);
            ck_assert(s2 == CSM_OK || s2 == CSM_ENOMEM);
            ck_assert(s3 == CSM_OK || s3 == CSM_ENOMEM);
            done = s2 == CSM_OK && s3 == CSM_OK;
            csm_health_free(h);
            csm_health_scorecard_json_free(sc, j);
        }
        csm_health_scorecard_free(sc);
        ck_assert_int_eq(f.live, 0);
    }
    ck_assert(done);
}
END_TEST

/* Every allocation of scoring the three accounts, then of exporting each
 * table, fails in turn: nothing leaks, and the result survives a failed
 * export. */
START_TEST(test_oom_tables) {
    fail_ctx f = {-1, 0};
    csm_allocator al = {fail_alloc, fail_free, &f, NULL};
    csm_health_scorecard *sc = NULL;
    ck_assert_int_eq(
        csm_health_scorecard_from_json(&sc, SPEC, strlen(SPEC), &(csm_health_scorecard_opts){sizeof(csm_health_scorecard_opts), &al}, NULL), CSM_OK);
    const long base = f.live;
    int done = 0;
    for (long b = 0; b < 100 && !done; b++) {
        f.budget = b;
        csm_health *h = NULL;
        csm_status st = csm_health_score(&h, sc, V3, 3, &(csm_health_opts){sizeof(csm_health_opts), PREV3, PBAND3}, NULL);
        ck_assert(st == CSM_OK || st == CSM_ENOMEM);
        if (st != CSM_OK) {
            ck_assert_ptr_null(h);
            ck_assert_int_eq(f.live, base);
            continue;
        }
        int all = 1;
        for (size_t i = 0; i < 3; i++) {
            struct ArrowSchema sch;
            struct ArrowArray arr;
            st = csm_table_export_arrow(&sch, &arr, h->result,
                                        csm_result_table(h->result, i), NULL);
            ck_assert(st == CSM_OK || st == CSM_ENOMEM);
            if (st == CSM_OK) {
                sch.release(&sch);
                arr.release(&arr);
            } else {
                all = 0;
            }
        }
        /* the result is intact after a failed export */
        ck_assert_str_eq(h->override_name[2], "open P1");
        ck_assert_double_eq_tol(h->score[0], 66.875, TOL);
        done = all;
        csm_health_free(h);
        ck_assert_int_eq(f.live, base);
    }
    ck_assert(done);
    csm_health_scorecard_free(sc);
    ck_assert_int_eq(f.live, 0);
}
END_TEST

START_TEST(test_edge) {
    csm_health_scorecard *sc = load(SPEC);
    csm_health *h = NULL;
    ck_assert_int_eq(csm_health_score(&h, sc, NULL, 0, NULL, NULL),
                     CSM_OK);
    ck_assert_uint_eq(h->n_accounts, 0);
    /* three tables of zero rows, still described */
    ck_assert_uint_eq(csm_result_n_tables(h->result), 3);
    for (size_t i = 0; i < 3; i++) {
        ck_assert_uint_eq(csm_result_table(h->result, i)->n_rows, 0);
        ck_assert_uint_gt(csm_result_table(h->result, i)->n_columns, 3);
    }
    ck_assert_uint_eq(h->n_movers, 0);
    struct ArrowArray ea;
    ck_assert_int_eq(csm_table_export_arrow(NULL, &ea, h->result,
                                            csm_result_table(h->result, 1),
                                            NULL),
                     CSM_OK);
    ck_assert_int_eq(ea.length, 0);
    ea.release(&ea);
    csm_health_free(h);
    csm_error e;
    ck_assert_int_eq(csm_health_scorecard_from_json(NULL, "{}", 2, NULL, &e), CSM_EINVAL);
    ck_assert_int_eq(csm_health_scorecard_to_json(NULL, NULL, sc, &e), CSM_EINVAL);
    ck_assert_ptr_null(csm_health_scorecard_measure_name(sc, 99));
    csm_health_scorecard_free(sc);
    csm_health_scorecard_free(NULL);
    csm_health_free(NULL);
}
END_TEST

/* csm_health_scorecard_reweight and the measure accessors on SPEC.
 * Shares: login 3/4 x 2/3 = 0.5, tickets 3/4 x 1/3 = 0.25, nps and sponsor
 * 1/4 x 1/2 = 0.125.  Directions: login +1; tickets -1 (piecewise 100 ->
 * 0); nps, sponsor +1.  Reweighted to shares {1, 1, 0, 0} (sum 2): usage's
 * weight 2/2 x 4 (the group total) = 4, its measures 1/2 x 3 (its measure
 * total) = 1.5 each; relationship's shares are all 0: weight 0, measures
 * kept at 1, 1.  Account A (login 0.5 -> 50, tickets 2 -> 80, nps 50,
 * sponsor 1) then scores 0.5 x 50 + 0.5 x 80 = 65. */
START_TEST(test_reweight) {
    csm_health_scorecard *sc = load(SPEC);
    static const double share[] = {0.5, 0.25, 0.125, 0.125};
    static const int dir[] = {1, -1, 1, 1};
    for (size_t k = 0; k < 4; k++) {
        ck_assert_double_eq_tol(csm_health_scorecard_measure_share(sc, k),
                                share[k], 1e-15);
        ck_assert_int_eq(csm_health_scorecard_measure_direction(sc, k), dir[k]);
    }
    ck_assert(isnan(csm_health_scorecard_measure_share(sc, 4)));
    ck_assert(isnan(csm_health_scorecard_measure_weight(NULL, 0)));
    ck_assert_int_eq(csm_health_scorecard_measure_direction(sc, 4), 0);
    csm_health_scorecard *r = NULL;
    const double w[] = {1, 1, 0, 0};
    csm_error e;
    ck_assert_int_eq(csm_health_scorecard_reweight(&r, sc, w, 4, "t2", &e), CSM_OK);
    static const double weight[] = {1.5, 1.5, 1, 1};
    static const double got[] = {0.5, 0.5, 0, 0};
    for (size_t k = 0; k < 4; k++) {
        ck_assert_double_eq(csm_health_scorecard_measure_weight(r, k), weight[k]);
        ck_assert_double_eq(csm_health_scorecard_measure_share(r, k), got[k]);
    }
    ck_assert_uint_eq(csm_health_scorecard_override_count(r), 2);
    char *json = NULL;
    ck_assert_int_eq(csm_health_scorecard_to_json(&json, NULL, r, NULL), CSM_OK);
    ck_assert_ptr_nonnull(strstr(json, "\"name\": \"t2\""));
    ck_assert_ptr_nonnull(strstr(json, "\"name\": \"usage\",\n      \"weight\": 4.0"));
    ck_assert_ptr_nonnull(
        strstr(json, "\"name\": \"relationship\",\n      \"weight\": 0.0"));
    csm_health_scorecard_json_free(r, json);
    const double a[] = {0.5, 2, 50, 1, 0, 0};
    csm_health *h = NULL;
    ck_assert_int_eq(csm_health_score(&h, r, a, 1, NULL, NULL), CSM_OK);
    ck_assert_double_eq_tol(h->raw_score[0], 65.0, 1e-12);
    csm_health_free(h);
    csm_health_scorecard_free(r);
    /* errors */
    ck_assert_int_eq(csm_health_scorecard_reweight(&r, sc, w, 3, NULL, &e),
                     CSM_EINVAL);
    ck_assert_str_eq(e.field, "n");
    ck_assert_int_eq(csm_health_scorecard_reweight(&r, sc, w, 4, "", &e),
                     CSM_EINVAL);
    ck_assert_str_eq(e.field, "name");
    const double neg[] = {1, -1, 0, 0}, nan_[] = {1, NAN, 0, 0}, zero[4] = {0};
    ck_assert_int_eq(csm_health_scorecard_reweight(&r, sc, neg, 4, NULL, &e),
                     CSM_EDOMAIN);
    ck_assert_uint_eq(e.row, 1);
    ck_assert_int_eq(csm_health_scorecard_reweight(&r, sc, nan_, 4, NULL, &e),
                     CSM_EDOMAIN);
    ck_assert_int_eq(csm_health_scorecard_reweight(&r, sc, zero, 4, NULL, &e),
                     CSM_EDOMAIN);
    ck_assert_str_eq(e.field, "share");
    ck_assert_int_eq(csm_health_scorecard_reweight(&r, NULL, w, 4, NULL, &e),
                     CSM_EINVAL);
    ck_assert_ptr_null(r);
    csm_health_scorecard_free(sc);
    /* a piecewise transform whose ends score the same has no direction */
    sc = load("{\"groups\": [{\"name\": \"g\", \"measures\": [{\"name\": \"x\", "
              "\"transform\": {\"type\": \"piecewise\", \"points\": [[0, 50], "
              "[5, 100], [10, 50]]}}]}]}");
    ck_assert_int_eq(csm_health_scorecard_measure_direction(sc, 0), 0);
    csm_health_scorecard_free(sc);
}
END_TEST

int main(void) {
    Suite *s = suite_create("health");
    TCase *tc = tcase_create("csm_health_score");
    tcase_add_test(tc, test_three_accounts);
    tcase_add_test(tc, test_bands_at_risk);
    tcase_add_test(tc, test_tables);
    tcase_add_test(tc, test_names_outlive_scorecard);
    tcase_add_test(tc, test_arrow);
    tcase_add_test(tc, test_percentile_worst_round);
    tcase_add_test(tc, test_band_override_and_fail);
    tcase_add_test(tc, test_absent_inputs);
    suite_add_tcase(s, tc);
    tc = tcase_create("csm_health_scorecard_from_json");
    tcase_add_test(tc, test_round_trip);
    tcase_add_test(tc, test_example_specs);
    tcase_add_loop_test(tc, test_bad_spec, 0,
                        (int)(sizeof bad_specs / sizeof bad_specs[0]));
    suite_add_tcase(s, tc);
    tc = tcase_create("csm_health_scorecard_reweight");
    tcase_add_test(tc, test_reweight);
    suite_add_tcase(s, tc);
    tc = tcase_create("edge");
    tcase_add_test(tc, test_edge);
    tcase_add_test(tc, test_oom);
    tcase_add_test(tc, test_oom_tables);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
