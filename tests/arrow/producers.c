/* producers.c - one small, deterministic result of every family
 * (producers.h).  Each fixture is a hand-worked one of the family's suite
 * (named at each producer); the values a reader can check by hand are
 * asserted there, and test-duckdb.c asserts a few of them again in SQL.
 * Only the public API is used. */
#include "producers.h"

#include <math.h>
#include <string.h>

/* ---- the MRR ledger (test-ledger.c) --------------------------------------
 * Months M0..M5 = 2024-01..2024-06:
 *   cust   M0   M1   M2   M3   M4   M5
 *   A=1   100  100  150  150  120  120
 *   B=2   200  200    -    -    -    -
 *   C=3     -   50   50    -   80   80
 *   D=4   300    -    -    -  300  300
 *   E=5   100  100  100  100  100  100   (M0 given as two rows, 40 + 60)
 *   F=6     -    -    -   90   90   90
 * Total MRR by month 700, 450, 300, 340, 690, 690; customers 4, 4, 3, 3,
 * 5, 5.  Two segment columns: test-ledger.c's (ledger_seg: A, B in 1; C,
 * D, F in 2; E in 1 until M2, 2 from M3) and the movements fixture's
 * (mov_seg: customers 1-3 in 10, 4-6 in -5, except E who moves to 10 from
 * M3 on). */
#define M(k) (csm_month(2024, 1) + (k))

static const int64_t fx_cust[] = {1, 1, 1, 1, 1, 1, 2, 2, 3, 3, 3, 3, 4,
                                  4, 4, 5, 5, 5, 5, 5, 5, 5, 6, 6, 6};
static const int32_t fx_month[] = {0, 1, 2, 3, 4, 5, 0, 1, 1, 2, 4, 5, 0,
                                   4, 5, 0, 0, 1, 2, 3, 4, 5, 3, 4, 5};
static const double fx_mrr[] = {100, 100, 150, 150, 120, 120, 200, 200, 50,
                                50,  80,  80,  300, 300, 300, 40,  60,  100,
                                100, 100, 100, 100, 90,  90,  90};
static const int32_t ledger_seg[] = {1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2,
                                     2, 2, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2};
#define FX_N (sizeof fx_cust / sizeof fx_cust[0])

enum { SEG_NONE, SEG_LEDGER, SEG_MOVEMENTS };

/* The fixture's ledger with the segment column `seg`, every block from a. */
static csm_ledger *fixture_ledger(const csm_allocator *a, int seg) {
    int32_t per[FX_N], mov_seg[FX_N];
    for (size_t i = 0; i < FX_N; i++) {
        per[i] = M(fx_month[i]);
        mov_seg[i] = fx_cust[i] <= 3 || (fx_cust[i] == 5 && fx_month[i] >= 3)
                         ? 10
                         : -5;
    }
    const int32_t *s = seg == SEG_LEDGER      ? ledger_seg
                       : seg == SEG_MOVEMENTS ? mov_seg
                                              : NULL;
    csm_ledger_opts lo = CSM_LEDGER_OPTS_INIT;
    lo.allocator = a; /* results computed from the ledger use it too */
    csm_ledger *l = NULL;
    if (csm_ledger_new(&l, fx_cust, per, fx_mrr, s, FX_N, &lo, NULL) != CSM_OK)
        return NULL;
    return l;
}

/* ---- movements ----------------------------------------------------------- */
static csm_result *movements(const csm_allocator *a, int by_segment) {
    csm_ledger *l = fixture_ledger(a, by_segment ? SEG_MOVEMENTS : SEG_NONE);
    if (!l)
        return NULL;
    csm_movements_opts o = CSM_MOVEMENTS_OPTS_INIT;
    o.by_segment = by_segment;
    csm_movements *m = NULL;
    csm_status st = csm_movements_compute(&m, l, &o, NULL);
    csm_ledger_free(l); /* the result does not refer to the ledger */
    return st == CSM_OK ? m->result : NULL;
}

static csm_result *make_movements(const csm_allocator *a) {
    return movements(a, 0);
}
static csm_result *make_movements_by_segment(const csm_allocator *a) {
    return movements(a, 1);
}

/* ---- movement events (test-ledger.c: test_movement_events_fixture) ------
 * By the ledger's segments, M3: C churns 50 (segment 2), E switches from
 * segment 1 to 2 with 100 (segment_in and segment_out), F is new with 90;
 * 4 events. */
static csm_result *make_movement_events(const csm_allocator *a) {
    csm_ledger *l = fixture_ledger(a, SEG_LEDGER);
    if (!l)
        return NULL;
    csm_movements_opts o = CSM_MOVEMENTS_OPTS_INIT;
    o.by_segment = 1;
    o.first_month = M(3);
    o.last_month = M(3);
    csm_movements_events *e = NULL;
    csm_status st = csm_movements_events_compute(&e, l, &o, NULL);
    csm_ledger_free(l);
    return st == CSM_OK ? e->result : NULL;
}

/* ---- retention (test-ledger.c: test_retention_arrow, test_retention_table)
 * Not by segment: window 1, t1 = M0..M2; t1 M0 has an empty base (every
 * rate null), t1 M1 GRR = NRR = 400/700, t1 M2 NRR 300/450.  By segment:
 * window 3, t1 = M3..M5 x segments 1, 2; (M3, 1) has base 400, GRR 0.5;
 * (M5, 2) NRR 80/50 = 1.6. */
static csm_result *retention(const csm_allocator *a, int by_segment) {
    csm_ledger *l = fixture_ledger(a, SEG_LEDGER);
    if (!l)
        return NULL;
    csm_retention_opts o = CSM_RETENTION_OPTS_INIT;
    if (by_segment) {
        o.window = 3;
        o.by_segment = 1;
    } else {
        o.window = 1;
        o.first_month = M(0);
        o.last_month = M(2);
    }
    csm_retention *r = NULL;
    csm_status st = csm_retention_compute(&r, l, &o, NULL);
    csm_ledger_free(l);
    return st == CSM_OK ? r->result : NULL;
}

static csm_result *make_retention(const csm_allocator *a) {
    return retention(a, 0);
}
static csm_result *make_retention_by_segment(const csm_allocator *a) {
    return retention(a, 1);
}

/* ---- retention customers (test-ledger.c: test_retention_customers) -------
 * Window 3, t1 = M4 (t0 M1): A 100 -> 120 expanded, B 200 churned, C 50
 * -> 80 expanded (its 80 a reactivation), E 100 flat; 4 rows. */
static csm_result *make_retention_customers(const csm_allocator *a) {
    csm_ledger *l = fixture_ledger(a, SEG_LEDGER);
    if (!l)
        return NULL;
    csm_retention_opts o = CSM_RETENTION_OPTS_INIT;
    o.window = 3;
    o.first_month = M(4);
    o.last_month = M(4);
    csm_retention_customers *r = NULL;
    csm_status st = csm_retention_customers_compute(&r, l, &o, NULL);
    csm_ledger_free(l);
    return st == CSM_OK ? r->result : NULL;
}

/* ---- cohorts (test-ledger.c: test_cohorts_arrow, test_cohorts_table) ----
 * Default: cohorts M0 {A B D E}, M1 {C}, M3 {F}, ages 0..5: 18 cells of
 * which 4 are past M5 (null).  With a caller key (D signed in M-1): a
 * cohort M-1 {D} with 0 customers at age 0, so its fractions are null
 * (14 null fractions, 7 null counts in 28 cells).  By segment: cohorts
 * (M0, 1) {A B E}, (M0, 2) {D}, (M1, 2) {C}, (M3, 2) {F}, 24 cells. */
enum { COH_DEFAULT, COH_KEY, COH_SEGMENT };

static csm_result *cohorts(const csm_allocator *a, int kind) {
    csm_ledger *l = fixture_ledger(a, SEG_LEDGER);
    if (!l)
        return NULL;
    static const int64_t key_cust[] = {4};
    const int32_t key_month[] = {M(-1)};
    csm_cohorts_opts o = CSM_COHORTS_OPTS_INIT;
    if (kind == COH_KEY) {
        o.key_customer = key_cust;
        o.key_month = key_month;
        o.n_keys = 1;
    }
    o.by_segment = kind == COH_SEGMENT;
    csm_cohorts *c = NULL;
    csm_status st = csm_cohorts_compute(&c, l, &o, NULL);
    csm_ledger_free(l);
    return st == CSM_OK ? c->result : NULL;
}

static csm_result *make_cohorts(const csm_allocator *a) {
    return cohorts(a, COH_DEFAULT);
}
static csm_result *make_cohorts_key(const csm_allocator *a) {
    return cohorts(a, COH_KEY);
}
static csm_result *make_cohorts_by_segment(const csm_allocator *a) {
    return cohorts(a, COH_SEGMENT);
}

/* ---- Kaplan-Meier (test-survival.c) ---------------------------------------
 * Groups with the overall curve (test_km_groups, test_km_tables):
 * durations 2, 1, 2*, 3, 5 in groups 2, 1, 2, 1, 2.  Curves: overall
 * (group null) t = 1, 2, 3, 5 with S = 4/5, 3/5, 3/10, 0, median 3;
 * group 1 t = 1, 3 with S = 1/2, 0, median 1; group 2 t = 2, 5 with
 * S = 2/3, 0, median 5, rmst 4.  The rows with S = 0 have null stderr and
 * band.  The 6-MP arm of Freireich et al. (test_km_6mp_table,
 * test_km_arrow_medians): one overall curve of 16 rows, median 23,
 * median_low 13, median_high not reached (null); S(23) = 160/357.
 * The groups' curves read at t = 2 and 4 ("km_at", test_km_at_times):
 * S = 3/5, 3/10 (overall), 1/2, 0 (group 1), 2/3, 2/3 (group 2). */
static csm_result *make_km_groups(const csm_allocator *a) {
    static const double t[] = {2, 1, 2, 3, 5};
    static const uint8_t e[] = {1, 1, 0, 1, 1};
    static const int32_t g[] = {2, 1, 2, 1, 2};
    static const double at[] = {2, 4};
    csm_km_opts o = CSM_KM_OPTS_INIT;
    o.include_overall = 1;
    o.at_times = at;
    o.n_at_times = 2;
    o.allocator = a;
    csm_km *k = NULL;
    if (csm_km_compute(&k, t, e, NULL, g, 5, &o, NULL) != CSM_OK)
        return NULL;
    return k->result;
}

static csm_result *make_km_6mp(const csm_allocator *a) {
    static const double t[] = {6,  6,  6,  6,  7,  9,  10, 10, 11, 13, 16,
                               17, 19, 20, 22, 23, 25, 32, 32, 34, 35};
    static const uint8_t e[] = {1, 1, 1, 0, 1, 0, 1, 0, 0, 1, 1,
                                0, 0, 0, 1, 1, 0, 0, 0, 0, 0};
    csm_km_opts o = CSM_KM_OPTS_INIT;
    o.allocator = a;
    csm_km *k = NULL;
    if (csm_km_compute(&k, t, e, NULL, NULL, 21, &o, NULL) != CSM_OK)
        return NULL;
    return k->result;
}

/* ---- lifetimes (test-survival.c: test_lifetimes, test_lifetimes_table) ---
 *   A=1 [seg 1] M0..M5          censored, 6 months
 *   B=2 [1] M0 M1               churn M2: 2, event
 *   C=3 [2] M1 M2 . M4 M5       churn M3: 2, event
 *   D=4 [2] M3 M4 M5            censored, 3
 *   E=5 [1] M5                  censored, 1
 *   F=6 [2] M2                  churn M3: 1, event
 *   G=7 [1] M0 (10) M1 (0) M2   churn M1: 1, event
 * Durations 6 2 2 3 1 1 1 (sum 16), events 0 1 1 0 0 1 1 (4 churned). */
static csm_result *make_lifetimes(const csm_allocator *a) {
    static const int64_t c[] = {1, 1, 1, 1, 1, 1, 2, 2, 3, 3,
                                3, 3, 4, 4, 4, 5, 6, 7, 7, 7};
    static const int32_t m[] = {0, 1, 2, 3, 4, 5, 0, 1, 1, 2,
                                4, 5, 3, 4, 5, 5, 2, 0, 1, 2};
    static const double v[] = {10, 10, 10, 10, 10, 10, 20, 20, 5,  5,
                               5,  5,  7,  7,  7,  9,  3,  10, 0,  10};
    static const int32_t s[] = {1, 1, 1, 1, 1, 1, 1, 1, 2, 2,
                                2, 2, 2, 2, 2, 1, 2, 1, 1, 1};
    int32_t per[20];
    for (size_t i = 0; i < 20; i++)
        per[i] = M(m[i]);
    csm_ledger_opts lo = CSM_LEDGER_OPTS_INIT;
    lo.allocator = a;
    csm_ledger *l = NULL;
    if (csm_ledger_new(&l, c, per, v, s, 20, &lo, NULL) != CSM_OK)
        return NULL;
    csm_lifetimes *lt = NULL;
    csm_status st = csm_lifetimes_from_ledger(&lt, l, NULL, NULL);
    csm_ledger_free(l);
    return st == CSM_OK ? lt->result : NULL;
}

/* The same ledger's month 2: customers 1 (10, segment 1), 3 (5, segment 2)
 * and 7 (10, segment 1); 6 (3) is in month 2 too; 2 left after month 1 and
 * 7's month-1 row is 0 (inactive): 4 rows, MRR 28. */
static csm_result *make_ledger_month(const csm_allocator *a) {
    static const int64_t c[] = {1, 1, 1, 2, 2, 3, 3, 6, 7, 7, 7};
    static const int32_t m[] = {0, 1, 2, 0, 1, 1, 2, 2, 0, 1, 2};
    static const double v[] = {10, 10, 10, 20, 20, 5, 5, 3, 10, 0, 10};
    static const int32_t s[] = {1, 1, 1, 1, 1, 2, 2, 2, 1, 1, 1};
    int32_t per[11];
    for (size_t i = 0; i < 11; i++)
        per[i] = M(m[i]);
    csm_ledger_opts lo = CSM_LEDGER_OPTS_INIT;
    lo.allocator = a;
    csm_ledger *l = NULL;
    if (csm_ledger_new(&l, c, per, v, s, 11, &lo, NULL) != CSM_OK)
        return NULL;
    csm_ledger_month *lm = NULL;
    csm_status st = csm_ledger_month_compute(&lm, l, M(2), NULL);
    csm_ledger_free(l);
    return st == CSM_OK ? lm->result : NULL;
}

/* ---- sBG (test-survival.c: test_sbg_table, test_sbg_projection_table) ----
 * Fits to Fader & Hardie's (2007) High End and Regular survivors (alpha
 * 0.668 / 0.704, beta 3.806 / 1.182 published) and to a flat curve that
 * cannot be fitted (nobody churned: CSM_ENOCONV with NaN estimates, a row
 * of nulls).  The projection of the published High End fit for a cohort
 * of 1000 over periods 0..12: survivors(8) = 460.478958809 (40-digit
 * mpmath recursion quoted there), retention(0) null. */
static csm_result *make_sbg(const csm_allocator *a) {
    static const double high_end[] = {1000, 869, 743, 653,
                                      593,  551, 517, 491};
    static const double regular[] = {1000, 631, 468, 382,
                                     326,  289, 262, 241};
    static const double flat[] = {100, 100, 100, 100};
    csm_sbg f[3];
    if (csm_sbg_fit(&f[0], high_end, NULL, 8, NULL, NULL) != CSM_OK ||
        csm_sbg_fit(&f[1], regular, NULL, 8, NULL, NULL) != CSM_OK ||
        csm_sbg_fit(&f[2], flat, NULL, 4, NULL, NULL) != CSM_ENOCONV)
        return NULL;
    csm_sbg_fits *t = NULL;
    if (csm_sbg_table(&t, f, 3, &(csm_result_opts){sizeof(csm_result_opts), a}, NULL) != CSM_OK)
        return NULL;
    return t->result;
}

static csm_result *make_sbg_curve(const csm_allocator *a) {
    csm_sbg_projection *p = NULL;
    if (csm_sbg_project(&p, 13, 0.668, 3.806, 1000, &(csm_result_opts){sizeof(csm_result_opts), a}, NULL) != CSM_OK)
        return NULL;
    return p->result;
}

/* The model's figures (test-survival.c: test_sbg_model_table), margin 100,
 * d = 0.1: alpha = beta = 1 (E[T] infinite: null, INFINITE in flags; DEL
 * 1.1 ln 11), alpha 2 beta 3 (E[T] = 4, DEL 2.68208167028644 by hand) and
 * the published High End fit 0.668, 3.806 (E[T] null, DEL
 * 5.92259640761276). */
static csm_result *make_sbg_model(const csm_allocator *a) {
    csm_sbg f[3];
    memset(f, 0, sizeof f);
    f[0].alpha = 1, f[0].beta = 1;
    f[1].alpha = 2, f[1].beta = 3;
    f[2].alpha = 0.668, f[2].beta = 3.806;
    csm_sbg_models *m = NULL;
    if (csm_sbg_model(&m, f, 3, 100, 0.1, &(csm_result_opts){sizeof(csm_result_opts), a}, NULL) != CSM_OK)
        return NULL;
    return m->result;
}

/* ---- renewals (test-renewals.c) -------------------------------------------
 * Window 2024, grace 90 days; 14 contracts of which 7 are due (rows 0 2 5
 * 6 8 9 11): 5 renewed, row 6 late (gap 136 days), row 5 churned (days to
 * renewal null), row 12 an in-term upsell of row 11.  Due value 4900.
 * Without grouping the one summary row's group is null; by segment with
 * late_counts, segment 1 has 4 due contracts (all renewed), segment 2 has
 * 3 (rows 5 6 11: 2 counted as renewed). */
static csm_result *renewals(const csm_allocator *a, int by_segment) {
    static const int64_t cust[] = {1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 5, 6, 6, 6};
    static const int32_t seg[] = {1, 1, 1, 1, 2, 2, 2, 2, 1, 1, 1, 2, 2, 2};
    static const double val[] = {1200, 1500, 1000, 1000, 500, 600, 800,
                                 800,  100,  200,  330,  1000, 70, 1200};
    static const int d[14][6] = {
        {2023, 3, 1, 2024, 2, 29},  {2024, 3, 1, 2025, 2, 28},
        {2023, 6, 1, 2024, 5, 31},  {2024, 7, 15, 2025, 7, 14},
        {2023, 1, 1, 2023, 12, 31}, {2024, 1, 1, 2024, 12, 31},
        {2023, 9, 1, 2024, 8, 31},  {2025, 1, 15, 2026, 1, 14},
        {2023, 7, 1, 2024, 6, 30},  {2023, 7, 1, 2024, 6, 30},
        {2024, 7, 1, 2025, 6, 30},  {2024, 1, 1, 2024, 12, 31},
        {2024, 6, 1, 2024, 12, 31}, {2025, 1, 1, 2025, 12, 31}};
    /* each contract one billing interval spanning its term: its value is
     * its amount (renewals.h) */
    int32_t sd[14], ed[14], days[14];
    uint8_t unit[14];
    for (int i = 0; i < 14; i++) {
        sd[i] = csm_day(d[i][0], d[i][1], d[i][2]);
        ed[i] = csm_day(d[i][3], d[i][4], d[i][5]);
        days[i] = ed[i] - sd[i] + 1;
        unit[i] = CSM_UNIT_DAY;
    }
    csm_contracts k = {.customer_id = cust,
                       .start_day = sd,
                       .end_day = ed,
                       .amount = val,
                       .interval_count = days,
                       .interval_unit = unit,
                       .segment = seg,
                       .n = 14};
    csm_renewals_opts o = CSM_RENEWALS_OPTS_INIT;
    o.allocator = a;
    if (by_segment) {
        o.group_by = CSM_RENEWALS_GROUP_SEGMENT;
        o.late_counts = 1;
    }
    csm_renewals *r = NULL;
    if (csm_renewals_compute(&r, NULL, NULL, &k, csm_day(2024, 1, 1),
                             csm_day(2024, 12, 31), &o, NULL) != CSM_OK)
        return NULL;
    return r->result;
}

static csm_result *make_renewals(const csm_allocator *a) {
    return renewals(a, 0);
}
static csm_result *make_renewals_by_segment(const csm_allocator *a) {
    return renewals(a, 1);
}

/* ---- team (test-team.c) ---------------------------------------------------
 * Month 2024-01: customer 4 (MRR 400) has no owner (owner null); owner 7
 * has 2 accounts (MRR 300, 1 at risk with 200), owner 9 one (300, at
 * risk).  Summary: 2 CSMs, 1.5 accounts and 3600 ARR per CSM.  An empty
 * ledger: no owner rows, and a summary whose month is null and whose per-
 * CSM figures are null (0 CSMs). */
static csm_result *make_team(const csm_allocator *a) {
    static const int64_t c[] = {1, 2, 3, 4, 5};
    const int32_t p[] = {M(0), M(0), M(0), M(0), M(1)};
    static const double v[] = {100, 200, 300, 400, 300};
    static const int64_t oc[] = {3, 1, 2, 5};
    static const int32_t ow[] = {9, 7, 7, 9};
    static const int64_t risk[] = {3, 99, 2};
    csm_ledger_opts lo = CSM_LEDGER_OPTS_INIT;
    lo.allocator = a;
    csm_ledger *l = NULL;
    if (csm_ledger_new(&l, c, p, v, NULL, 5, &lo, NULL) != CSM_OK)
        return NULL;
    csm_team_opts o = CSM_TEAM_OPTS_INIT;
    o.month = M(0);
    csm_team *t = NULL;
    csm_status st = csm_team_compute(&t, l, oc, ow, 4, risk, 3, &o, NULL);
    csm_ledger_free(l);
    return st == CSM_OK ? t->result : NULL;
}

static csm_result *make_team_empty(const csm_allocator *a) {
    csm_ledger_opts lo = CSM_LEDGER_OPTS_INIT;
    lo.allocator = a;
    csm_ledger *l = NULL;
    if (csm_ledger_new(&l, NULL, NULL, NULL, NULL, 0, &lo, NULL) != CSM_OK)
        return NULL;
    csm_team *t = NULL;
    csm_status st = csm_team_compute(&t, l, NULL, NULL, 0, NULL, 0, NULL, NULL);
    csm_ledger_free(l);
    return st == CSM_OK ? t->result : NULL;
}

/* ---- activity (test-activity.c) -------------------------------------------
 * Four rows (account, role, segment): (1, owner, 1), (1, end user, 1),
 * (2, end user, 2), (3, owner, 2).  By account: account 1 licensed 50,
 * stickiness 7/20 = 0.35; account 3 has no users, so 4 of its 7 measures
 * are null (sessions and minutes per user, minutes per session,
 * stickiness).  By segment: segment 2 activation 90/105, its unweighted
 * mean over accounts 2 and 3 (0.9 + 0)/2 = 0.45. */
static csm_result *activity(const csm_allocator *a, int group_by) {
    static const int64_t acc[] = {1, 1, 2, 3};
    static const int32_t role[] = {CSM_ACTIVITY_ROLE_OWNER, CSM_ACTIVITY_ROLE_END_USER,
                                   CSM_ACTIVITY_ROLE_END_USER, CSM_ACTIVITY_ROLE_OWNER};
    static const int32_t seg[] = {1, 1, 2, 2};
    static const int32_t coh[] = {24288, 24288, 24289, 24289};
    static const double lic[] = {10, 40, 100, 5}, actv[] = {8, 20, 90, 0},
                        users[] = {6, 14, 80, 0}, sess[] = {60, 70, 400, 0},
                        mins[] = {600, 1400, 2000, 0}, fu[] = {5, 10, 15, 0},
                        fa[] = {20, 20, 20, 20}, dau[] = {3, 4, 40, 0},
                        mau[] = {6, 14, 80, 0};
    csm_activity_rows rows = {acc,  role, seg, coh, lic, actv, users,
                              sess, mins, fu,  fa,  dau, mau,  4};
    csm_activity_opts o = CSM_ACTIVITY_OPTS_INIT;
    o.group_by = group_by;
    o.allocator = a;
    csm_activity *r = NULL;
    if (csm_activity_compute(&r, &rows, &o, NULL) != CSM_OK)
        return NULL;
    return r->result;
}

static csm_result *make_activity(const csm_allocator *a) {
    return activity(a, CSM_ACTIVITY_BY_ACCOUNT);
}
static csm_result *make_activity_by_segment(const csm_allocator *a) {
    return activity(a, CSM_ACTIVITY_BY_SEGMENT);
}

/* ---- transitions (test-transitions.c) -------------------------------------
 * Bands 0..2 from 2024-02 to 2024-03: 1 stays green, 2 green -> yellow, 3
 * yellow -> red, 4 red -> no band (-1), 5 enters yellow: 16 cells, the
 * empty row of no band in February has null shares. */
static csm_result *make_transitions(const csm_allocator *a) {
    static const int64_t acc[] = {1, 1, 2, 2, 3, 3, 4, 4, 5};
    const int32_t mon[] = {M(1), M(2), M(1), M(2), M(1), M(2), M(1), M(2), M(2)};
    static const int32_t band[] = {2, 2, 2, 1, 1, 0, 0, -1, 1};
    csm_transitions_opts o = CSM_TRANSITIONS_OPTS_INIT;
    o.allocator = a;
    csm_transitions *t = NULL;
    if (csm_transitions_compute(&t, acc, mon, band, 9, &o, NULL) != CSM_OK)
        return NULL;
    return t->result;
}

/* ---- reviews (test-reviews.c) ---------------------------------------------
 * As of 2024-06-30: account 10 reviewed 20 days before (on cadence, 90
 * days), 11 reviewed 100 days before by CSM 3 (10 days overdue), 12 never
 * reviewed (null last review and next due, NaN days overdue). */
static csm_result *make_reviews(const csm_allocator *a) {
    static const int64_t acc[] = {10, 11, 12};
    static const int32_t owner[] = {1, 1, 2};
    const int32_t d = csm_day(2024, 6, 30);
    const int64_t tacc[] = {10, 11};
    const int32_t tday[] = {d - 20, d - 100};
    static const int32_t tcsm[] = {1, 3};
    csm_reviews_accounts ac = {acc, owner, NULL, NULL, 3};
    csm_reviews_touches tc = {tacc, tday, tcsm, NULL, 2};
    csm_reviews_opts o = CSM_REVIEWS_OPTS_INIT;
    o.as_of = d;
    o.allocator = a;
    csm_reviews *r = NULL;
    if (csm_reviews_compute(&r, &ac, &tc, &o, NULL) != CSM_OK)
        return NULL;
    return r->result;
}

/* ---- interventions (test-interventions.c, band 0) -------------------------
 * Type 7 to accounts 1, 2 (score +10, +16), controls 3, 4, 5 (+2, +4, 0):
 * diff 11 (Welch); no MRR column: the mrr row is null (empty). */
static csm_result *make_interventions(const csm_allocator *a) {
    static const int64_t acc[] = {1, 1, 2, 2, 3, 3, 4, 4, 5, 5};
    const int32_t mon[] = {M(0), M(1), M(0), M(1), M(0), M(1), M(0), M(1), M(0), M(1)};
    static const double score[] = {40, 50, 30, 46, 35, 37, 20, 24, 25, 25};
    static const int32_t band[] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    static const int64_t eacc[] = {1, 2};
    const int32_t emon[] = {M(0), M(0)};
    static const int32_t etype[] = {7, 7};
    csm_interventions_panel p = {acc, mon, score, band, NULL, 10};
    csm_interventions_events e = {eacc, emon, etype, 2};
    csm_interventions_opts o = CSM_INTERVENTIONS_OPTS_INIT;
    o.allocator = a;
    csm_interventions *r = NULL;
    if (csm_interventions_compute(&r, &p, &e, &o, NULL) != CSM_OK)
        return NULL;
    return r->result;
}

/* ---- interventions panel (test-interventions.c, panel_build) --------------
 * Customer 1 active 2024-01..02 (scored 70, band 2 then unscored), 2 active
 * in 2024-01 only (unscored): rows (1, Jan) 70/2/100, (2, Jan) NaN/-1/50,
 * (1, Feb) NaN/-1/110, then 2 gone in Feb: NaN/-1/0, gone 1. */
static csm_result *make_interventions_panel(const csm_allocator *a) {
    static const int64_t c[] = {1, 1, 2};
    const int32_t p[] = {M(0), M(1), M(0)};
    static const double v[] = {100, 110, 50};
    csm_ledger_opts lo = CSM_LEDGER_OPTS_INIT;
    lo.allocator = a;
    csm_ledger *l = NULL;
    if (csm_ledger_new(&l, c, p, v, NULL, 3, &lo, NULL) != CSM_OK)
        return NULL;
    static const int64_t sa[] = {1};
    const int32_t sm[] = {M(0)};
    static const double ss[] = {70};
    static const int32_t sb[] = {2};
    csm_interventions_scores s = {sa, sm, ss, sb, 1};
    const int32_t months[] = {M(0), M(1)};
    csm_interventions_opts o = CSM_INTERVENTIONS_OPTS_INIT;
    o.allocator = a;
    csm_interventions_panel_rows *r = NULL;
    csm_status st =
        csm_interventions_panel_build(&r, l, months, 2, &s, &o, NULL);
    csm_ledger_free(l);
    return st == CSM_OK ? r->result : NULL;
}

/* ---- referrals (test-referrals.c) -----------------------------------------
 * Customers 1, 2 active 2024-01..03, 3 new in 2024-02 (150): customer 1
 * referred twice (one converted, 150), owners 1 -> 10, 2 -> 20; no NPS
 * responses (null NPS figures). */
static csm_result *make_referrals(const csm_allocator *a) {
    static const int64_t c[] = {1, 1, 1, 2, 2, 2, 3, 3};
    const int32_t p[] = {M(0), M(1), M(2), M(0), M(1), M(2), M(1), M(2)};
    static const double v[] = {100, 100, 100, 200, 200, 200, 150, 150};
    static const int64_t ref[] = {1, 1};
    const int32_t day[] = {csm_day(2024, 1, 15), csm_day(2024, 2, 10)};
    static const uint8_t conv[] = {1, 0};
    static const double mrr[] = {150, 0};
    static const int64_t oc[] = {1, 2};
    static const int32_t ow[] = {10, 20};
    csm_ledger_opts lo = CSM_LEDGER_OPTS_INIT;
    lo.allocator = a;
    csm_ledger *l = NULL;
    if (csm_ledger_new(&l, c, p, v, NULL, 8, &lo, NULL) != CSM_OK)
        return NULL;
    csm_referrals_rows rw = {ref, day, conv, mrr, 2};
    csm_referrals *r = NULL;
    csm_status st = csm_referrals_compute(&r, l, &rw, oc, ow, 2, NULL, NULL, 0,
                                          NULL, NULL);
    csm_ledger_free(l);
    return st == CSM_OK ? r->result : NULL;
}

/* ---- health scores (test-health.c: test_three_accounts) -------------------
 * The hand-worked scorecard of three accounts: A scores 66.875 (yellow, no
 * override: its "override" null; contributions 25, 20, 9.375, 12.5; group
 * usage 45), B 40 (capped by "key contact left", yellow), C 7.5 (red,
 * "open P1"); A and B moved band.  The scorecard (and its names) is freed
 * before the result is read. */
/* Score the three accounts with the scorecard read through allocator a:
 * *sc and *h as csm_health_scorecard_from_json and csm_health_score leave them
 * (the caller frees both; on failure *h is NULL). */
static csm_status score_three(csm_health_scorecard **sc, csm_health **h,
                              const csm_allocator *a) {
    static const char spec[] =
        "{\"name\": \"t\", \"groups\": ["
        " {\"name\": \"usage\", \"weight\": 3, \"measures\": ["
        "  {\"name\": \"login_rate\", \"weight\": 2, \"transform\": "
        "{\"type\": \"linear\", \"min\": 0.2, \"max\": 0.8}},"
        "  {\"name\": \"tickets\", \"weight\": 1, \"direction\": \"lower\", "
        "\"transform\": {\"type\": \"piecewise\", \"points\": [[0, 100], "
        "[5, 50], [10, 0]]}}]},"
        " {\"name\": \"relationship\", \"weight\": 1, \"measures\": ["
        "  {\"name\": \"nps\", \"transform\": {\"type\": \"linear\", \"min\": "
        "-100, \"max\": 100}, \"missing\": \"zero\"},"
        "  {\"name\": \"sponsor\", \"transform\": {\"type\": \"boolean\"}}]}],"
        " \"overrides\": ["
        "  {\"name\": \"key contact left\", \"input\": \"key_contact_left\", "
        "\"op\": \"==\", \"value\": 1, \"action\": \"cap\", \"score\": 40},"
        "  {\"name\": \"open P1\", \"input\": \"open_p1\", \"op\": \">=\", "
        "\"value\": 1, \"action\": \"subtract\", \"points\": 10}]}";
    /* login, tickets, nps, sponsor, key_contact_left, open_p1 */
    const double v[] = {0.5, 2,   50,  1, 0, 0,  /* A */
                        0.9, NAN, NAN, 0, 1, 0,  /* B */
                        0.1, 12,  -20, 1, 0, 2}; /* C */
    static const double prev[] = {70, 80, 10};
    static const int32_t pband[] = {2, 2, 0};
    *sc = NULL;
    *h = NULL;
    csm_status st = csm_health_scorecard_from_json(sc, spec, strlen(spec), &(csm_health_scorecard_opts){sizeof(csm_health_scorecard_opts), a}, NULL);
    if (st == CSM_OK)
        st = csm_health_score(h, *sc, v, 3, &(csm_health_opts){sizeof(csm_health_opts), prev, pband}, NULL);
    return st;
}

static csm_result *make_health(const csm_allocator *a) {
    csm_health_scorecard *sc;
    csm_health *h;
    csm_status st = score_three(&sc, &h, a);
    csm_health_scorecard_free(sc); /* the result keeps its own copy of the names */
    return st == CSM_OK ? h->result : NULL;
}

/* The band distribution and the at-risk ranking of make_health's result
 * (test-health.c: test_bands_at_risk). */
static csm_result *make_health_bands(const csm_allocator *a) {
    csm_health_scorecard *sc;
    csm_health *h;
    csm_status st = score_three(&sc, &h, a);
    csm_health_bands *b = NULL;
    if (st == CSM_OK) /* b comes from h's allocator: a */
        st = csm_health_bands_compute(&b, h, sc, NULL, NULL);
    csm_health_scorecard_free(sc);
    csm_health_free(h);
    return st == CSM_OK ? b->result : NULL;
}

static csm_result *make_health_at_risk(const csm_allocator *a) {
    csm_health_scorecard *sc;
    csm_health *h;
    csm_status st = score_three(&sc, &h, a);
    csm_health_risks *r = NULL;
    if (st == CSM_OK) /* r comes from h's allocator: a */
        st = csm_health_at_risk(&r, h, NULL, NULL, NULL, NULL);
    csm_health_scorecard_free(sc);
    csm_health_free(h);
    return st == CSM_OK ? r->result : NULL;
}

/* ---- NPS, CSAT, CES (test-nps.c) --------------------------------------------
 * NPS: a survey of 45 promoters, 30 passives, 25 detractors (NPS 20, se^2
 * = 10^4 x 0.0066 = 66) in group 101, counts 50/30/20 (NPS 30) in group
 * 102, and an empty survey (every figure null) as the all-groups row
 * (group null).  The comparison of the first two (diff 10, se^2 = 66 +
 * 61 = 127) and of all promoters with themselves (se 0: z and p null),
 * rows numbered 0, 1.  CSAT: scores 5 4 3 5 2 4 4 1 5 3, top box >= 4
 * (6 of 10 = 0.6, se^2 = 0.6 x 0.4 / 10 = 0.024) in group 7 and an empty
 * survey in group -3.  CES: scores 2 3 4 5 1 (mean 3, sd^2 = 10/4) and a
 * single 4 (sd, se and the interval null), rows numbered 0, 1. */
static void survey(int8_t *s) {
    for (int i = 0; i < 100; i++)
        s[i] = (int8_t)(i < 45 ? 9 + i % 2 : i < 75 ? 7 + i % 2 : i % 7);
}

static csm_result *make_nps(const csm_allocator *a) {
    int8_t s[100];
    survey(s);
    csm_nps_result r[3];
    if (csm_nps(&r[0], s, 100, NULL, NULL) != CSM_OK ||
        csm_nps_counts(&r[1], 50, 30, 20, NULL, NULL) != CSM_OK ||
        csm_nps(&r[2], NULL, 0, NULL, NULL) != CSM_OK)
        return NULL;
    const int32_t group[] = {101, 102, CSM_CODE_ALL};
    csm_nps_results *t = NULL;
    if (csm_nps_table(&t, r, group, 3, &(csm_result_opts){sizeof(csm_result_opts), a}, NULL) != CSM_OK)
        return NULL;
    return t->result;
}

static csm_result *make_nps_diff(const csm_allocator *a) {
    csm_nps_result x, y, all;
    csm_nps_diff d[2];
    if (csm_nps_counts(&x, 45, 30, 25, NULL, NULL) != CSM_OK ||
        csm_nps_counts(&y, 50, 30, 20, NULL, NULL) != CSM_OK ||
        csm_nps_counts(&all, 3, 0, 0, NULL, NULL) != CSM_OK ||
        csm_nps_compare(&d[0], &x, &y, NULL, NULL) != CSM_OK ||
        csm_nps_compare(&d[1], &all, &all, NULL, NULL) != CSM_OK)
        return NULL;
    csm_nps_diff_results *t = NULL;
    if (csm_nps_diff_table(&t, d, NULL, 2, &(csm_result_opts){sizeof(csm_result_opts), a}, NULL) != CSM_OK)
        return NULL;
    return t->result;
}

static csm_result *make_csat(const csm_allocator *a) {
    static const int8_t sc[] = {5, 4, 3, 5, 2, 4, 4, 1, 5, 3};
    csm_csat_result r[2];
    if (csm_csat(&r[0], sc, 10, NULL, NULL) != CSM_OK ||
        csm_csat(&r[1], NULL, 0, NULL, NULL) != CSM_OK)
        return NULL;
    const int32_t group[] = {7, -3};
    csm_csat_results *t = NULL;
    if (csm_csat_table(&t, r, group, 2, &(csm_result_opts){sizeof(csm_result_opts), a}, NULL) != CSM_OK)
        return NULL;
    return t->result;
}

static csm_result *make_ces(const csm_allocator *a) {
    static const int8_t sc[] = {2, 3, 4, 5, 1}, one[] = {4};
    csm_ces_result r[2];
    if (csm_ces(&r[0], sc, 5, NULL, NULL) != CSM_OK ||
        csm_ces(&r[1], one, 1, NULL, NULL) != CSM_OK)
        return NULL;
    csm_ces_results *t = NULL;
    if (csm_ces_table(&t, r, NULL, 2, &(csm_result_opts){sizeof(csm_result_opts), a}, NULL) != CSM_OK)
        return NULL;
    return t->result;
}

/* ---- LTV, single figures, projections (test-ltv.c, test-projection.c) ----
 * LTV: ARPA 100, margin 0.8, churn 2% (4000) in group 1; the same with a
 * 36-month cap (2880, CSM_FLAG_CAPPED = 8) in group 2; churn 0 under the
 * 1.67% floor (CSM_FLAG_FLOORED = 4) in group 3; and the ledger fixture's
 * LTV over M1..M5 (churn 3/19, ARPA 138: 699.2) as the all-groups row.
 * Figures: seed LTV 50 x 2 x 24 = 2400, CAC 50,000 / 25 = 2000, LTV/CAC
 * 2, payback 2000 / (100 x 0.8) = 25 months, and a CAC without new
 * customers (null, CSM_FLAG_ZERO_DENOMINATOR = 2), rows numbered 0..4.
 * Projection: start 1000, scenario 0 churn 10%, expansion 2%, new 100 a
 * month (1000, 1020, 1038.4, 1055.328), scenario 1 flat at 1000. */
static csm_result *make_ltv(const csm_allocator *a) {
    csm_ltv_result r[4];
    csm_ltv_opts capped = CSM_LTV_OPTS_INIT, floored = CSM_LTV_OPTS_INIT;
    capped.lifetime_cap_months = 36;
    floored.zero_churn = CSM_ZERO_CHURN_FLOOR;
    if (csm_ltv_simple(&r[0], 100, 0.8, 0.02, NULL, NULL) != CSM_OK ||
        csm_ltv_simple(&r[1], 100, 0.8, 0.02, &capped, NULL) != CSM_OK ||
        csm_ltv_simple(&r[2], 100, 0.8, 0.0, &floored, NULL) != CSM_OK)
        return NULL;
    csm_ledger *l = fixture_ledger(NULL, SEG_NONE);
    if (!l)
        return NULL;
    csm_status st = csm_ltv_from_ledger(&r[3], l, 0.8, &(csm_ltv_opts){sizeof(csm_ltv_opts), CSM_ZERO_CHURN_ERROR, 0.0167, 0.0, M(5), 5}, NULL);
    csm_ledger_free(l);
    if (st != CSM_OK)
        return NULL;
    const int32_t group[] = {1, 2, 3, CSM_CODE_ALL};
    csm_ltv_results *t = NULL;
    if (csm_ltv_table(&t, r, group, 4, &(csm_result_opts){sizeof(csm_result_opts), a}, NULL) != CSM_OK)
        return NULL;
    return t->result;
}

static csm_result *make_metric(const csm_allocator *a) {
    csm_metric r[5];
    if (csm_ltv_seed(&r[0], 50, 2, 24, NULL) != CSM_OK ||
        csm_cac(&r[1], 50000, 25, NULL) != CSM_OK ||
        csm_ltv_cac(&r[2], 4000, 2000, NULL) != CSM_OK ||
        csm_cac_payback(&r[3], 2000, 100, 0.8, NULL) != CSM_OK ||
        csm_cac(&r[4], 1000, 0, NULL) != CSM_OK)
        return NULL;
    csm_metric_results *t = NULL;
    if (csm_metric_table(&t, r, NULL, 5, &(csm_result_opts){sizeof(csm_result_opts), a}, NULL) != CSM_OK)
        return NULL;
    return t->result;
}

static csm_result *make_projection(const csm_allocator *a) {
    static const double churn[] = {0.10, 0.0}, expansion[] = {0.02, 0.0},
                        new_mrr[] = {100, 0};
    csm_projection *p = NULL;
    if (csm_projection_mrr_table(&p, 3, 1000, &(csm_projection_scenarios){churn, expansion, new_mrr,2}, &(csm_result_opts){sizeof(csm_result_opts), a},
                              NULL) != CSM_OK)
        return NULL;
    return p->result;
}

/* ---- from a ledger (test-ltv.c: test_unit_economics; test-projection.c:
 * test_project_inputs) ------------------------------------------------------
 * Unit economics over M1..M5 of the ledger fixture: ARPA 690 / 5 = 138,
 * churn 3/19, LTV 699.2, new customers 2 (MRR 140), spend 500 + 250 + 250
 * of M1..M5 (M0's 1000 and M6's 999 outside): CAC 500, LTV/CAC 1.3984,
 * payback 500 / 56.  Projection inputs over M3..M5: start 690, new +
 * reactivation 470 / 3 a month, gross MRR churn 13/153. */
static csm_result *make_unit_economics(const csm_allocator *a) {
    static const int32_t k[] = {0, 1, 3, 3, 6};
    static const double spend[] = {1000, 500, 250, 250, 999};
    int32_t sm[5];
    for (size_t i = 0; i < 5; i++)
        sm[i] = M(k[i]);
    csm_ledger *l = fixture_ledger(a, SEG_NONE);
    if (!l)
        return NULL;
    csm_unit_economics *u = NULL;
    csm_status st = csm_unit_economics_from_ledger(&u, l, 0.8, sm,
                                                   spend, 5, &(csm_unit_economics_opts){sizeof(csm_unit_economics_opts), M(5), 5, NULL}, NULL);
    csm_ledger_free(l);
    return st == CSM_OK ? u->result : NULL;
}

static csm_result *make_project_inputs(const csm_allocator *a) {
    csm_ledger *l = fixture_ledger(a, SEG_NONE);
    if (!l)
        return NULL;
    csm_projection_inputs *p = NULL;
    csm_status st = csm_projection_inputs_from_ledger(&p, l, &(csm_projection_inputs_opts){sizeof(csm_projection_inputs_opts), M(5), 3}, NULL);
    csm_ledger_free(l);
    return st == CSM_OK ? p->result : NULL;
}

/* NPS split by a group code (test-nps.c: test_nps_by_group): groups 2
 * (9, 8, 7, 6: NPS 0), 5 (10, 3, 0, 10: 0) and 7 (10, 9: 100). */
static csm_result *make_nps_by_group(const csm_allocator *a) {
    static const int8_t score[] = {10, 9, 3, 8, 10, 0, 7, 6, 9, 10};
    static const int32_t group[] = {5, 2, 5, 2, 7, 5, 2, 2, 7, 5};
    csm_nps_results *t = NULL;
    if (csm_nps_by_group(&t, score, NULL, group, 10, &(csm_nps_opts){sizeof(csm_nps_opts), 0.95, a}, NULL) != CSM_OK)
        return NULL;
    return t->result;
}

/* ---- sBG survivor counts (test-survival.c: test_sbg_survivors) ------------
 * Cohorts M(0) (lifetimes 4 4 1 2), M(1) (3 3 1, and 3 of weight 0.5),
 * M(2) (2 1.5, and 1 of weight 0) seen through as_of = M(3): alive by age
 * 4 3 2 2 | 3.5 2.5 2.5 | 2 2 (9 rows). */
static csm_result *make_sbg_survivors(const csm_allocator *a) {
    static const int32_t fm[] = {0, 1, 2, 0, 1, 0, 2, 0, 2, 1, 1};
    static const double du[] = {4, 3, 2, 4, 3, 1, 1.5, 2, 1, 1, 3};
    static const double wt[] = {1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 0.5};
    int32_t m[11];
    for (size_t i = 0; i < 11; i++)
        m[i] = csm_month(2024, 1) + fm[i];
    csm_sbg_survivors_opts o = CSM_SBG_SURVIVORS_OPTS_INIT;
    o.as_of = csm_month(2024, 4);
    o.allocator = a;
    csm_sbg_survivors *sv = NULL;
    if (csm_sbg_survivors_from_lifetimes(&sv, m, du, wt, 11, &o, NULL) !=
        CSM_OK)
        return NULL;
    return sv->result;
}

/* ---- churn (test-churn.c) -------------------------------------------------
 * The 8-row model (x = 10 or 30, y = 0 0 0 1 | 0 1 1 1), l2 = 1: intercept
 * 0 (its term null), b1 = 0.683624; its scores of x = 10, 30, 20 (the
 * first and third have no positive contribution: top_term null); the AUC
 * of the 6-row fixture (13/18); the validation of the 10-row fixture in 5
 * bins. */
static const double churn_x[] = {10, 10, 10, 10, 30, 30, 30, 30};
static const uint8_t churn_y[] = {0, 0, 0, 1, 0, 1, 1, 1};

static csm_churn_model *churn_model(const csm_allocator *a) {
    csm_churn_model_opts o = CSM_CHURN_MODEL_OPTS_INIT;
    o.allocator = a;
    csm_churn_model *m = NULL;
    return csm_churn_model_fit(&m, churn_x, churn_y, 8, 1, &o, NULL) == CSM_OK
               ? m
               : NULL;
}

static csm_result *make_churn_model(const csm_allocator *a) {
    csm_churn_model *m = churn_model(a);
    return m ? m->result : NULL;
}

static csm_result *make_churn_scores(const csm_allocator *a) {
    static const double xs[] = {10, 30, 20};
    csm_churn_model *m = churn_model(NULL);
    if (!m)
        return NULL;
    csm_result_opts o = CSM_RESULT_OPTS_INIT;
    o.allocator = a;
    csm_churn_scores *s = NULL;
    csm_status st = csm_churn_model_score(&s, m, xs, 3, 1, &o, NULL);
    csm_churn_model_free(m);
    return st == CSM_OK ? s->result : NULL;
}

static csm_result *make_churn_auc(const csm_allocator *a) {
    static const uint8_t y[] = {1, 1, 1, 0, 0, 0};
    static const double s[] = {0.8, 0.4, 0.6, 0.4, 0.2, 0.7};
    csm_churn_auc_opts o = CSM_CHURN_AUC_OPTS_INIT;
    o.allocator = a;
    csm_churn_auc *r = NULL;
    return csm_churn_auc_compute(&r, y, s, 6, &o, NULL) == CSM_OK ? r->result
                                                                  : NULL;
}

static csm_result *make_churn_validation(const csm_allocator *a) {
    static const uint8_t y[] = {0, 1, 0, 1, 1, 0, 1, 0, 0, 1};
    static const double p[] = {0.05, 0.3, 0.1, 0.5, 0.6,
                               0.2,  0.8, 0.4, 0.7, 0.9};
    csm_churn_validation_opts o = CSM_CHURN_VALIDATION_OPTS_INIT;
    o.bins = 5;
    o.allocator = a;
    csm_churn_validation *v = NULL;
    return csm_churn_validation_compute(&v, y, p, 10, &o, NULL) == CSM_OK
               ? v->result
               : NULL;
}

/* The proposal of test-churn.c's test_proposal_fitted, on one feature:
 * tickets (b1 > 0: more tickets, more churn; the measure scores lower
 * tickets higher) is "model" and keeps the matched share 0.5; sponsor has
 * no feature: "kept" at 0.5. */
static csm_result *make_churn_proposal(const csm_allocator *a) {
    static const char spec[] =
        "{\"groups\": [{\"name\": \"a\", \"measures\": [{\"name\": "
        "\"tickets\", \"direction\": \"lower\", \"transform\": {\"type\": "
        "\"linear\", \"min\": 0, \"max\": 40}}]}, {\"name\": \"b\", "
        "\"measures\": [{\"name\": \"sponsor\", \"transform\": {\"type\": "
        "\"boolean\"}}]}]}";
    static const char *const names[] = {"tickets"};
    csm_churn_model *m = churn_model(NULL);
    csm_health_scorecard *sc = NULL;
    csm_churn_proposal *r = NULL;
    csm_churn_proposal_opts o = CSM_CHURN_PROPOSAL_OPTS_INIT;
    o.allocator = a;
    csm_status st = m ? csm_health_scorecard_from_json(&sc, spec, strlen(spec),
                                                       NULL, NULL)
                      : CSM_ENOMEM;
    if (st == CSM_OK)
        st = csm_churn_proposal_compute(&r, NULL, m, names, 1, sc, &o, NULL);
    csm_health_scorecard_free(sc);
    csm_churn_model_free(m);
    return st == CSM_OK ? r->result : NULL;
}

/* ---- the list ------------------------------------------------------------ */
const producer producers[] = {
    {"movements", "csm_movements_compute", make_movements},
    {"movements by segment", "csm_movements_compute",
     make_movements_by_segment},
    {"movement events", "csm_movements_events_compute",
     make_movement_events},
    {"retention", "csm_retention_compute", make_retention},
    {"retention by segment", "csm_retention_compute",
     make_retention_by_segment},
    {"retention customers", "csm_retention_customers_compute",
     make_retention_customers},
    {"cohorts", "csm_cohorts_compute", make_cohorts},
    {"cohorts with a key month", "csm_cohorts_compute", make_cohorts_key},
    {"cohorts by segment", "csm_cohorts_compute", make_cohorts_by_segment},
    {"km by group with the overall curve", "csm_km_compute", make_km_groups},
    {"km of the 6-MP arm", "csm_km_compute", make_km_6mp},
    {"lifetimes", "csm_lifetimes_from_ledger", make_lifetimes},
    {"ledger month", "csm_ledger_month_compute", make_ledger_month},
    {"sbg survivors", "csm_sbg_survivors_from_lifetimes", make_sbg_survivors},
    {"sbg fits", "csm_sbg_table", make_sbg},
    {"sbg projection", "csm_sbg_project", make_sbg_curve},
    {"sbg model figures", "csm_sbg_model", make_sbg_model},
    {"renewals", "csm_renewals_compute", make_renewals},
    {"renewals by segment", "csm_renewals_compute",
     make_renewals_by_segment},
    {"team", "csm_team_compute", make_team},
    {"team of an empty ledger", "csm_team_compute", make_team_empty},
    {"churn model", "csm_churn_model_fit", make_churn_model},
    {"churn scores", "csm_churn_model_score", make_churn_scores},
    {"churn auc", "csm_churn_auc_compute", make_churn_auc},
    {"churn validation", "csm_churn_validation_compute",
     make_churn_validation},
    {"churn proposal", "csm_churn_proposal_compute", make_churn_proposal},
    {"activity", "csm_activity_compute", make_activity},
    {"activity by segment", "csm_activity_compute", make_activity_by_segment},
    {"band transitions", "csm_transitions_compute", make_transitions},
    {"diagnosis cadence", "csm_reviews_compute", make_reviews},
    {"intervention effects", "csm_interventions_compute", make_interventions},
    {"intervention health panel", "csm_interventions_panel_build",
     make_interventions_panel},
    {"referrals", "csm_referrals_compute", make_referrals},
    {"health", "csm_health_score", make_health},
    {"health bands", "csm_health_bands_compute", make_health_bands},
    {"health at risk", "csm_health_at_risk", make_health_at_risk},
    {"nps by group", "csm_nps_table", make_nps},
    {"nps split by group codes", "csm_nps_by_group", make_nps_by_group},
    {"nps comparisons", "csm_nps_diff_table", make_nps_diff},
    {"csat by group", "csm_csat_table", make_csat},
    {"ces", "csm_ces_table", make_ces},
    {"ltv by group", "csm_ltv_table", make_ltv},
    {"single figures", "csm_metric_table", make_metric},
    {"unit economics", "csm_unit_economics_from_ledger", make_unit_economics},
    {"projection", "csm_projection_mrr_table", make_projection},
    {"projection inputs", "csm_projection_inputs_from_ledger",
     make_project_inputs},
};
const size_t n_producers = sizeof producers / sizeof producers[0];

const producer *producer_find(const char *name) {
    for (size_t i = 0; i < n_producers; i++)
        if (strcmp(producers[i].name, name) == 0)
            return &producers[i];
    return NULL;
}
