/* test-subscriptions.c - subscription exports to the ledger and to
 * contracts (csmetrics/subscriptions.h).
 *
 * Every expected figure is worked out by hand in the comment next to it,
 * from the rules in subscriptions.h: a row's service runs from start_day
 * (trials excluded: from trial_end) to the day before ended_at (stopped
 * rows: else canceled_at), or to the end of until_month when open-ended;
 * per interval its MRR base is amount x quantity - discount; MRR =
 * that / months per interval; snapshot: counted in month M when in
 * service on M's last day.
 */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "csmetrics/csmetrics.h"
#include "oom.h"

#define TOL 1e-9
#define NONE CSM_SUBSCRIPTIONS_DAY_NONE
#define D(y, m, d) csm_day(y, m, d)
#define M(y, m) csm_month(y, m)

/* The fixture: five subscription items of four customers.
 *
 *  row cust status    plan                          dates
 *  0   1    active    1000/year x 3 seats, 20% off  start 2024-01-15, open
 *  1   2    active    50/month                      start 2024-01-10, trial to 2024-02-20, open
 *  2   3    canceled  80/month                      start 2024-01-01, canceled 2024-03-15
 *  3   4    active    100/month in EUR              start 2024-01-05, open
 *  4   4    active    10/month in USD, tax 2        start 2024-02-01, open
 *
 * Rates (to USD): EUR 2024-01 1.10, 2024-02 1.20, 2024-03 1.25, 2024-04 1.00.
 * until_month 2024-04.
 *
 * MRR (snapshot, trials excluded, discounts applied, tax excluded):
 *   row 0: (1000 x 3 - 20% of 3000) / 12 = 2400 / 12 = 200 in Jan..Apr
 *   row 1: service from 2024-02-20: Feb, Mar, Apr 50 (Jan: in trial)
 *   row 2: service 2024-01-01..2024-03-14: Jan, Feb 80; Mar 0 (not in
 *          service on 2024-03-31)
 *   row 3: 100 EUR x rate: Jan 110, Feb 120, Mar 125, Apr 100
 *   row 4: 10 - 2 tax = 8 in Feb..Apr (reporting currency: no rate)
 *   month totals: Jan 200 + 80 + 110 = 390
 *                 Feb 200 + 50 + 80 + 120 + 8 = 458
 *                 Mar 200 + 50 + 125 + 8 = 383
 *                 Apr 200 + 50 + 100 + 8 = 358
 */
static int64_t fx_cust[] = {1, 2, 3, 4, 4};
static uint8_t fx_status[] = {CSM_SUBSCRIPTIONS_ACTIVE, CSM_SUBSCRIPTIONS_ACTIVE,
                              CSM_SUBSCRIPTIONS_CANCELED, CSM_SUBSCRIPTIONS_ACTIVE,
                              CSM_SUBSCRIPTIONS_ACTIVE};
static double fx_amount[] = {1000, 50, 80, 100, 10};
static int32_t fx_currency[5];
static uint8_t fx_unit[] = {CSM_UNIT_YEAR, CSM_UNIT_MONTH, CSM_UNIT_MONTH,
                            CSM_UNIT_MONTH, CSM_UNIT_MONTH};
static int32_t fx_count[] = {1, 1, 1, 1, 1};
static double fx_qty[] = {3, 1, 1, 1, 1};
static double fx_pct[] = {20, 0, 0, 0, 0};
static double fx_tax[] = {0, 0, 0, 0, 2};
static int32_t fx_trial[5], fx_start[5], fx_canceled[5], fx_ended[5];

static int32_t rt_month[4], rt_cur[4];
static double rt_rate[] = {1.10, 1.20, 1.25, 1.00};

static int32_t code(const char *iso) {
    int32_t c = 0;
    ck_assert_int_eq(csm_subscriptions_currency_code(&c, iso, NULL), CSM_OK);
    return c;
}

static csm_subscriptions fixture(void) {
    int32_t usd = code("USD"), eur = code("EUR");
    int32_t cur[] = {usd, usd, usd, eur, usd};
    int32_t trial[] = {NONE, D(2024, 2, 20), NONE, NONE, NONE};
    int32_t start[] = {D(2024, 1, 15), D(2024, 1, 10), D(2024, 1, 1),
                       D(2024, 1, 5), D(2024, 2, 1)};
    int32_t canceled[] = {NONE, NONE, D(2024, 3, 15), NONE, NONE};
    for (int i = 0; i < 5; i++) {
        fx_currency[i] = cur[i];
        fx_trial[i] = trial[i];
        fx_start[i] = start[i];
        fx_canceled[i] = canceled[i];
        fx_ended[i] = NONE;
    }
    for (int k = 0; k < 4; k++) {
        rt_month[k] = M(2024, 1) + k;
        rt_cur[k] = eur;
    }
    csm_subscriptions s = {0};
    s.customer_id = fx_cust;
    s.status = fx_status;
    s.amount = fx_amount;
    s.currency = fx_currency;
    s.interval_unit = fx_unit;
    s.interval_count = fx_count;
    s.quantity = fx_qty;
    s.discount_percent = fx_pct;
    s.trial_end = fx_trial;
    s.start_day = fx_start;
    s.canceled_at = fx_canceled;
    s.ended_at = fx_ended;
    s.tax = fx_tax;
    s.n = 5;
    return s;
}

static csm_subscriptions_rates rates(void) {
    return (csm_subscriptions_rates){rt_month, rt_cur, rt_rate, 4};
}

static csm_subscriptions_opts fx_opts(void) {
    csm_subscriptions_opts o = CSM_SUBSCRIPTIONS_OPTS_INIT;
    o.until_month = M(2024, 4);
    o.reporting_currency = code("USD");
    return o;
}

/* The ledger of s, or a failed test. */
static csm_ledger *ledger(const csm_subscriptions *s,
                          const csm_subscriptions_rates *r,
                          const csm_subscriptions_opts *o) {
    csm_ledger *l = NULL;
    csm_error e;
    csm_status st = csm_subscriptions_to_ledger(&l, s, r, o, NULL, &e);
    ck_assert_msg(st == CSM_OK, "%s", e.text);
    return l;
}

/* MRR of customer c in month m (0 when inactive). */
static double cust_mrr(const csm_ledger *l, int64_t c, int32_t m) {
    csm_ledger_month *lm = NULL;
    ck_assert_int_eq(csm_ledger_month_compute(&lm, l, m, NULL), CSM_OK);
    double v = 0;
    for (size_t i = 0; i < lm->n_rows; i++)
        if (lm->customer_id[i] == c)
            v = lm->mrr[i];
    csm_ledger_month_free(lm);
    return v;
}

START_TEST(test_fixture) {
    csm_subscriptions s = fixture();
    csm_subscriptions_rates r = rates();
    csm_subscriptions_opts o = fx_opts();
    csm_ledger *l = ledger(&s, &r, &o);
    /* totals from the table above */
    ck_assert_double_eq_tol(csm_ledger_mrr(l, M(2024, 1)), 390, TOL);
    ck_assert_double_eq_tol(csm_ledger_mrr(l, M(2024, 2)), 458, TOL);
    ck_assert_double_eq_tol(csm_ledger_mrr(l, M(2024, 3)), 383, TOL);
    ck_assert_double_eq_tol(csm_ledger_mrr(l, M(2024, 4)), 358, TOL);
    /* open-ended rows stop at until_month */
    ck_assert_double_eq_tol(csm_ledger_mrr(l, M(2024, 5)), 0, TOL);
    ck_assert_int_eq(csm_ledger_first_month(l), M(2024, 1));
    ck_assert_int_eq(csm_ledger_last_month(l), M(2024, 4));
    /* per customer: the annual plan 200, the trial from Feb, the
     * cancellation out in Mar, customer 4 EUR 120 + USD 8 in Feb */
    ck_assert_double_eq_tol(cust_mrr(l, 1, M(2024, 1)), 200, TOL);
    ck_assert_double_eq_tol(cust_mrr(l, 2, M(2024, 1)), 0, TOL);
    ck_assert_double_eq_tol(cust_mrr(l, 2, M(2024, 2)), 50, TOL);
    ck_assert_double_eq_tol(cust_mrr(l, 3, M(2024, 2)), 80, TOL);
    ck_assert_double_eq_tol(cust_mrr(l, 3, M(2024, 3)), 0, TOL);
    ck_assert_double_eq_tol(cust_mrr(l, 4, M(2024, 2)), 128, TOL);
    /* customers: Jan 1, 3, 4 = 3; Mar 1, 2, 4 = 3 */
    ck_assert_uint_eq(csm_ledger_customer_count(l), 4);
    csm_ledger_free(l);
}
END_TEST

START_TEST(test_options) {
    csm_subscriptions s = fixture();
    csm_subscriptions_rates r = rates();
    csm_subscriptions_opts o = fx_opts();
    /* trials included: customer 2 pays 50 in Jan too: 390 + 50 = 440 */
    o.include_trials = 1;
    csm_ledger *l = ledger(&s, &r, &o);
    ck_assert_double_eq_tol(csm_ledger_mrr(l, M(2024, 1)), 440, TOL);
    csm_ledger_free(l);
    /* discounts ignored: row 0 is 3000 / 12 = 250, Jan 390 + 50 = 440 */
    o = fx_opts();
    o.apply_discounts = 0;
    l = ledger(&s, &r, &o);
    ck_assert_double_eq_tol(cust_mrr(l, 1, M(2024, 1)), 250, TOL);
    ck_assert_double_eq_tol(csm_ledger_mrr(l, M(2024, 1)), 440, TOL);
    csm_ledger_free(l);
    /* tax included: row 4 is 10: Feb 458 + 2 = 460 */
    o = fx_opts();
    o.include_tax = 1;
    l = ledger(&s, &r, &o);
    ck_assert_double_eq_tol(csm_ledger_mrr(l, M(2024, 2)), 460, TOL);
    csm_ledger_free(l);
    /* daily proration: row 2 in service 2024-03-01..14 = 14 of 31 days:
     * 80 x 14/31; row 0 in Jan: 2024-01-15..31 = 17 of 31 days: 200 x
     * 17/31; row 1 in Feb: 20..29 = 10 of 29 days: 50 x 10/29 */
    o = fx_opts();
    o.proration = CSM_PRORATION_DAILY;
    l = ledger(&s, &r, &o);
    ck_assert_double_eq_tol(cust_mrr(l, 3, M(2024, 3)), 80.0 * 14 / 31, TOL);
    ck_assert_double_eq_tol(cust_mrr(l, 1, M(2024, 1)), 200.0 * 17 / 31, TOL);
    ck_assert_double_eq_tol(cust_mrr(l, 2, M(2024, 2)), 50.0 * 10 / 29, TOL);
    csm_ledger_free(l);
    /* until_month by default: the latest date of the rows, canceled_at
     * 2024-03-15: open rows end with March; April is empty */
    o = fx_opts();
    o.until_month = CSM_MONTH_NONE;
    l = ledger(&s, &r, &o);
    ck_assert_int_eq(csm_ledger_last_month(l), M(2024, 3));
    ck_assert_double_eq_tol(csm_ledger_mrr(l, M(2024, 3)), 383, TOL);
    csm_ledger_free(l);
}
END_TEST

/* ended_at wins over canceled_at; a live row's canceled_at is a
 * cancellation still to come; never-paid, one-time and metered rows and a
 * row ended the day it started are no MRR. */
START_TEST(test_status_rules) {
    int64_t cust[] = {1, 2, 3, 4, 5, 6, 7};
    uint8_t st[] = {CSM_SUBSCRIPTIONS_CANCELED, CSM_SUBSCRIPTIONS_ACTIVE,
                    CSM_SUBSCRIPTIONS_INCOMPLETE_EXPIRED, CSM_SUBSCRIPTIONS_ACTIVE,
                    CSM_SUBSCRIPTIONS_ACTIVE, CSM_SUBSCRIPTIONS_PAUSED,
                    CSM_SUBSCRIPTIONS_TRIALING};
    double amt[] = {10, 20, 40, 80, 160, 320, 640};
    int32_t start[7], canceled[7], ended[7];
    uint8_t kind[] = {0, 0, 0, CSM_CHARGE_ONE_TIME, 0, 0, 0};
    for (int i = 0; i < 7; i++) {
        start[i] = D(2024, 1, 1);
        canceled[i] = ended[i] = NONE;
    }
    ended[0] = D(2024, 3, 1);    /* last day 2024-02-29: Jan, Feb */
    canceled[0] = D(2024, 1, 20); /* requested earlier: not the end */
    canceled[1] = D(2024, 2, 10); /* scheduled: still live to until */
    ended[4] = D(2024, 1, 1);     /* no service */
    canceled[5] = D(2024, 2, 15); /* paused: service to 2024-02-14: Jan */
    /* row 6 trialing without trial_end: no MRR with trials excluded */
    csm_subscriptions s = {.customer_id = cust, .status = st, .amount = amt,
                           .start_day = start, .canceled_at = canceled,
                           .ended_at = ended, .kind = kind, .n = 7};
    csm_subscriptions_opts o = CSM_SUBSCRIPTIONS_OPTS_INIT;
    o.until_month = M(2024, 3);
    csm_ledger *l = ledger(&s, NULL, &o);
    /* Jan 10 + 20 + 320 = 350; Feb 10 + 20 = 30; Mar 20 */
    ck_assert_double_eq_tol(csm_ledger_mrr(l, M(2024, 1)), 350, TOL);
    ck_assert_double_eq_tol(csm_ledger_mrr(l, M(2024, 2)), 30, TOL);
    ck_assert_double_eq_tol(csm_ledger_mrr(l, M(2024, 3)), 20, TOL);
    csm_ledger_free(l);
    /* trials included: row 6 counts, 640 more each month */
    o.include_trials = 1;
    l = ledger(&s, NULL, &o);
    ck_assert_double_eq_tol(csm_ledger_mrr(l, M(2024, 3)), 660, TOL);
    csm_ledger_free(l);
}
END_TEST

/* Weekly and daily units and a discount amount: MRR = net x 52/12 /
 * count and net x 365/12 / count (contracts.h). */
START_TEST(test_units) {
    int64_t cust[] = {1, 2, 3};
    double amt[] = {30, 2, 100};
    uint8_t unit[] = {CSM_UNIT_WEEK, CSM_UNIT_DAY, CSM_UNIT_MONTH};
    int32_t count[] = {2, 1, 3};
    double off[] = {0, 0, 10};
    double qty[] = {1, 5, 1};
    int32_t start[] = {D(2024, 1, 1), D(2024, 1, 1), D(2024, 1, 1)};
    csm_subscriptions s = {.customer_id = cust, .amount = amt,
                           .interval_unit = unit, .interval_count = count,
                           .quantity = qty, .discount_amount = off,
                           .start_day = start, .n = 3};
    csm_subscriptions_opts o = CSM_SUBSCRIPTIONS_OPTS_INIT;
    o.until_month = M(2024, 1);
    csm_ledger *l = ledger(&s, NULL, &o);
    /* 30 every 2 weeks: 30 x 52/12 / 2 = 65; 2 x 5 a day: 10 x 365/12 =
     * 304.1666...; (100 - 10) every 3 months: 30 */
    ck_assert_double_eq_tol(cust_mrr(l, 1, M(2024, 1)), 65, TOL);
    ck_assert_double_eq_tol(cust_mrr(l, 2, M(2024, 1)), 3650.0 / 12, TOL);
    ck_assert_double_eq_tol(cust_mrr(l, 3, M(2024, 1)), 30, TOL);
    csm_ledger_free(l);
}
END_TEST

START_TEST(test_contracts) {
    /* row 0: 1200/year from 2024-03-17, open, until 2025-06: terms
     *   2024-03-17..2025-03-16 and 2025-03-17..2026-03-16 (open);
     * row 1: 30/month from 2024-01-31, ended_at 2024-04-15 (service to
     *   04-14): terms 01-31..02-28, 02-29..03-30, 03-31..04-29 (anchored on
     *   day 31: February's last day is 29 in 2024, March has 31, April 30
     *   so the next term would start 04-30), the last one in service to
     *   04-14;
     * row 2: 1200/year from 2024-01-01, canceled, ended_at 2024-07-01:
     *   one term 2024-01-01..2024-12-31, in service to 2024-06-30 */
    int64_t cust[] = {1, 2, 3};
    uint8_t st[] = {CSM_SUBSCRIPTIONS_ACTIVE, CSM_SUBSCRIPTIONS_CANCELED,
                    CSM_SUBSCRIPTIONS_CANCELED};
    double amt[] = {1200, 30, 1200};
    uint8_t unit[] = {CSM_UNIT_YEAR, CSM_UNIT_MONTH, CSM_UNIT_YEAR};
    double pct[] = {25, 0, 0};
    int32_t start[] = {D(2024, 3, 17), D(2024, 1, 31), D(2024, 1, 1)};
    int32_t ended[] = {NONE, D(2024, 4, 15), D(2024, 7, 1)};
    csm_subscriptions s = {.customer_id = cust, .status = st, .amount = amt,
                           .interval_unit = unit, .discount_percent = pct,
                           .start_day = start, .ended_at = ended, .n = 3};
    csm_subscriptions_opts o = CSM_SUBSCRIPTIONS_OPTS_INIT;
    o.until_month = M(2025, 6);
    csm_subscriptions_contracts *c = NULL;
    csm_error e;
    ck_assert_msg(csm_subscriptions_to_contracts(&c, &s, NULL, &o, NULL, &e) ==
                      CSM_OK, "%s", e.text);
    const csm_contracts *k = &c->contracts;
    ck_assert_uint_eq(k->n, 6);
    int32_t want_start[] = {D(2024, 3, 17), D(2025, 3, 17), D(2024, 1, 31),
                            D(2024, 2, 29), D(2024, 3, 31), D(2024, 1, 1)};
    int32_t want_end[] = {D(2025, 3, 16), D(2026, 3, 16), D(2024, 2, 28),
                          D(2024, 3, 30), D(2024, 4, 29), D(2024, 12, 31)};
    int32_t want_served[] = {D(2025, 3, 16), D(2026, 3, 16), D(2024, 2, 28),
                             D(2024, 3, 30), D(2024, 4, 14), D(2024, 6, 30)};
    size_t want_row[] = {0, 0, 1, 1, 1, 2};
    uint8_t want_open[] = {0, 1, 0, 0, 0, 0};
    /* net per interval: 1200 less 25% = 900; 30; 1200; every term is a
     * whole billing term, worth its net amount (even 2024-01-31..02-28, 29
     * days, a leap year, or a term cut short) */
    double want_amount[] = {900, 900, 30, 30, 30, 1200};
    for (size_t i = 0; i < 6; i++) {
        ck_assert_int_eq(k->start_day[i], want_start[i]);
        ck_assert_int_eq(k->end_day[i], want_end[i]);
        ck_assert_int_eq(c->service_end[i], want_served[i]);
        ck_assert_uint_eq(c->row[i], want_row[i]);
        ck_assert_int_eq(c->open[i], want_open[i]);
        ck_assert_double_eq_tol(k->amount[i], want_amount[i], TOL);
        ck_assert_double_eq_tol(c->value[i], want_amount[i], TOL);
        ck_assert_int_eq(k->customer_id[i], cust[want_row[i]]);
    }
    /* the contracts are csm_contracts: renewals read them, and with
     * service_end as their end the ledger reads the service: 2024-04: row
     * 0 900/12 = 75, row 2 1200/12 = 100 (to 06-30), row 1 stopped 04-14:
     * 175; 2024-07: row 0 alone, 75 */
    csm_contracts served = *k;
    served.end_day = c->service_end;
    csm_ledger *l = NULL;
    ck_assert_int_eq(csm_ledger_from_contracts(&l, &served, NULL, NULL, NULL),
                     CSM_OK);
    ck_assert_double_eq_tol(csm_ledger_mrr(l, M(2024, 4)), 175, TOL);
    ck_assert_double_eq_tol(csm_ledger_mrr(l, M(2024, 7)), 75, TOL);
    csm_ledger_free(l);
    csm_subscriptions_contracts_free(c);
    csm_subscriptions_contracts_free(NULL);
}
END_TEST

/* A term cut short is due when its renewal was due, not when its service
 * stopped.  In 2025 (365 days, so an annual term of 1200 is worth 1200 to
 * renewals):
 *   row 0: customer 1, 1200/year from 2025-01-01, canceled at once,
 *          ended_at 2025-07-01: a termination;
 *   row 1: customer 2, 1200/year from 2025-01-01, ended_at 2025-04-01,
 *          replaced by row 2: 2400/year from 2025-04-01, open (an upgrade);
 *   until 2025-12.
 * Terms: row 0 2025-01-01..12-31 (service to 06-30), row 1 the same
 * (service to 03-31), row 2 2025-04-01..2026-03-31 (open).
 * Renewals (grace 90): in the window 2025-12-01..12-31 both year terms are
 * due: customer 1's has no later contract: churned (1200); customer 2's
 * is renewed by row 2 (starts after it, ends after it, the gap 04-01 -
 * 2026-01-01 < 0 <= 90), renewal value 2400 x 365/365 = 2400.  So due 2,
 * renewed 1, churned 1, due value 2400, renewed value 2400.  The windows
 * of the days service stopped (June, March) have nothing due. */
START_TEST(test_terminated_terms) {
    int64_t cust[] = {1, 2, 2};
    uint8_t st[] = {CSM_SUBSCRIPTIONS_CANCELED, CSM_SUBSCRIPTIONS_CANCELED,
                    CSM_SUBSCRIPTIONS_ACTIVE};
    double amt[] = {1200, 1200, 2400};
    uint8_t unit[] = {CSM_UNIT_YEAR, CSM_UNIT_YEAR, CSM_UNIT_YEAR};
    int32_t start[] = {D(2025, 1, 1), D(2025, 1, 1), D(2025, 4, 1)};
    int32_t ended[] = {D(2025, 7, 1), D(2025, 4, 1), NONE};
    csm_subscriptions s = {.customer_id = cust, .status = st, .amount = amt,
                           .interval_unit = unit, .start_day = start,
                           .ended_at = ended, .n = 3};
    csm_subscriptions_opts o = CSM_SUBSCRIPTIONS_OPTS_INIT;
    o.until_month = M(2025, 12);
    csm_subscriptions_contracts *c = NULL;
    ck_assert_int_eq(csm_subscriptions_to_contracts(&c, &s, NULL, &o, NULL, NULL),
                     CSM_OK);
    const csm_contracts *k = &c->contracts;
    ck_assert_uint_eq(k->n, 3);
    ck_assert_int_eq(k->end_day[0], D(2025, 12, 31));
    ck_assert_int_eq(c->service_end[0], D(2025, 6, 30));
    ck_assert_int_eq(k->end_day[1], D(2025, 12, 31));
    ck_assert_int_eq(c->service_end[1], D(2025, 3, 31));
    ck_assert_int_eq(k->end_day[2], D(2026, 3, 31));
    ck_assert_double_eq_tol(c->value[0], 1200, TOL);
    const int32_t window[3][2] = {{D(2025, 12, 1), D(2025, 12, 31)},
                                  {D(2025, 6, 1), D(2025, 6, 30)},
                                  {D(2025, 3, 1), D(2025, 3, 31)}};
    for (int w = 0; w < 3; w++) {
        csm_renewals *r = NULL;
        uint8_t outcome[3];
        ck_assert_int_eq(csm_renewals_compute(&r, outcome, NULL, k, window[w][0],
                                              window[w][1], NULL, NULL),
                         CSM_OK);
        ck_assert_int_eq(r->due[0], w == 0 ? 2 : 0);
        if (w == 0) {
            ck_assert_int_eq(r->renewed[0], 1);
            ck_assert_int_eq(r->churned[0], 1);
            ck_assert_double_eq_tol(r->due_value[0], 2400, TOL);
            ck_assert_double_eq_tol(r->renewed_value[0], 2400, TOL);
            ck_assert_double_eq_tol(r->churned_value[0], 1200, TOL);
            ck_assert_int_eq(outcome[0], CSM_RENEWALS_CHURNED);
            ck_assert_int_eq(outcome[1], CSM_RENEWALS_RENEWED);
        }
        csm_renewals_free(r);
    }
    csm_subscriptions_contracts_free(c);
}
END_TEST

/* The currency conversion's errors and a currency code's round trip. */
START_TEST(test_currency) {
    int32_t eur = 0;
    /* E=5, U=21, R=18: (5 x 27 + 21) x 27 + 18 = 4230 */
    ck_assert_int_eq(csm_subscriptions_currency_code(&eur, "eur", NULL), CSM_OK);
    ck_assert_int_eq(eur, 4230);
    char buf[4];
    ck_assert_int_eq(csm_subscriptions_currency_label(buf, eur), 1);
    ck_assert_str_eq(buf, "EUR");
    ck_assert_int_eq(csm_subscriptions_currency_label(buf, 0), 0);
    ck_assert_str_eq(buf, "");
    ck_assert_int_eq(csm_subscriptions_currency_label(buf, 27 * 27), 0); /* "A@@" */
    csm_error e;
    int32_t x;
    ck_assert_int_eq(csm_subscriptions_currency_code(&x, "EURO", &e), CSM_EDOMAIN);
    ck_assert_int_eq(csm_subscriptions_currency_code(&x, "E1R", &e), CSM_EDOMAIN);
    ck_assert_int_eq(csm_subscriptions_currency_code(&x, "", &e), CSM_EDOMAIN);
    ck_assert_int_eq(csm_subscriptions_currency_code(&x, NULL, &e), CSM_EINVAL);

    /* status and interval names */
    uint8_t u = 99;
    ck_assert_int_eq(csm_subscriptions_status_code(&u, "Past_Due", NULL), CSM_OK);
    ck_assert_int_eq(u, CSM_SUBSCRIPTIONS_PAST_DUE);
    ck_assert_int_eq(csm_subscriptions_status_code(&u, "cancelled", NULL), CSM_OK);
    ck_assert_int_eq(u, CSM_SUBSCRIPTIONS_CANCELED);
    ck_assert_int_eq(csm_subscriptions_status_code(&u, "", NULL), CSM_OK);
    ck_assert_int_eq(u, CSM_SUBSCRIPTIONS_ACTIVE);
    ck_assert_int_eq(csm_subscriptions_status_code(&u, "incomplete_expired", NULL), CSM_OK);
    ck_assert_int_eq(u, CSM_SUBSCRIPTIONS_INCOMPLETE_EXPIRED);
    ck_assert_int_eq(csm_subscriptions_status_code(&u, "live", &e), CSM_EDOMAIN);
    ck_assert_str_eq(e.field, "status");
    ck_assert_int_eq(csm_subscriptions_unit_code(&u, "Years", NULL), CSM_OK);
    ck_assert_int_eq(u, CSM_UNIT_YEAR);
    ck_assert_int_eq(csm_subscriptions_unit_code(&u, "week", NULL), CSM_OK);
    ck_assert_int_eq(u, CSM_UNIT_WEEK);
    ck_assert_int_eq(csm_subscriptions_unit_code(&u, "", NULL), CSM_OK);
    ck_assert_int_eq(u, CSM_UNIT_MONTH);
    ck_assert_int_eq(csm_subscriptions_unit_code(&u, "quarter", &e), CSM_EDOMAIN);
    ck_assert_int_eq(csm_subscriptions_unit_code(NULL, "day", &e), CSM_EINVAL);
    /* charge kinds: Stripe's price type and usage type, and their
     * spellings elsewhere; blank = recurring */
    const char *kind_text[] = {"recurring", "Licensed", "", "one_time",
                               "One-Time", "metered", "USAGE"};
    const uint8_t kind_want[] = {CSM_CHARGE_RECURRING, CSM_CHARGE_RECURRING,
                                 CSM_CHARGE_RECURRING, CSM_CHARGE_ONE_TIME,
                                 CSM_CHARGE_ONE_TIME,  CSM_CHARGE_USAGE,
                                 CSM_CHARGE_USAGE};
    for (size_t i = 0; i < sizeof kind_want; i++) {
        u = 99;
        ck_assert_int_eq(csm_subscriptions_kind_code(&u, kind_text[i], NULL), CSM_OK);
        ck_assert_int_eq(u, kind_want[i]);
    }
    ck_assert_int_eq(csm_subscriptions_kind_code(&u, "setup", &e), CSM_EDOMAIN);
    ck_assert_str_eq(e.field, "kind");
    ck_assert_int_eq(csm_subscriptions_kind_code(&u, NULL, &e), CSM_EINVAL);
    /* whole months of an interval: 3 months, 2 years = 24; days, weeks,
     * the term unit, count 0 and 2^31 months are none (0) */
    ck_assert_int_eq(csm_subscriptions_interval_months(CSM_UNIT_MONTH, 3), 3);
    ck_assert_int_eq(csm_subscriptions_interval_months(CSM_UNIT_YEAR, 2), 24);
    ck_assert_int_eq(csm_subscriptions_interval_months(CSM_UNIT_WEEK, 52), 0);
    ck_assert_int_eq(csm_subscriptions_interval_months(CSM_UNIT_DAY, 365), 0);
    ck_assert_int_eq(csm_subscriptions_interval_months(CSM_UNIT_TERM, 1), 0);
    ck_assert_int_eq(csm_subscriptions_interval_months(CSM_UNIT_MONTH, 0), 0);
    ck_assert_int_eq(csm_subscriptions_interval_months(CSM_UNIT_YEAR, INT32_MAX / 12), INT32_MAX / 12 * 12);
    ck_assert_int_eq(csm_subscriptions_interval_months(CSM_UNIT_YEAR, INT32_MAX / 12 + 1), 0);

    /* a missing rate: the fixture until 2024-05, EUR has no May rate */
    csm_subscriptions s = fixture();
    csm_subscriptions_rates r = rates();
    csm_subscriptions_opts o = fx_opts();
    o.until_month = M(2024, 5);
    csm_ledger *l = NULL;
    ck_assert_int_eq(csm_subscriptions_to_ledger(&l, &s, &r, &o, NULL, &e),
                     CSM_EDOMAIN);
    ck_assert_ptr_null(l);
    ck_assert_uint_eq(e.row, 3);
    ck_assert_str_eq(e.field, "currency");
    ck_assert_ptr_nonnull(strstr(e.text, "EUR"));
    ck_assert_ptr_nonnull(strstr(e.text, "2024-05"));
    /* without a reporting currency, USD rows need rates too */
    o = fx_opts();
    o.reporting_currency = CSM_SUBSCRIPTIONS_CURRENCY_NONE;
    ck_assert_int_eq(csm_subscriptions_to_ledger(&l, &s, &r, &o, NULL, &e),
                     CSM_EDOMAIN);
    ck_assert_uint_eq(e.row, 0);
    ck_assert_ptr_nonnull(strstr(e.text, "USD in 2024-01"));
    /* two currencies and no rates */
    o = fx_opts();
    ck_assert_int_eq(csm_subscriptions_to_ledger(&l, &s, NULL, &o, NULL, &e),
                     CSM_EDOMAIN);
    ck_assert_uint_eq(e.row, 3);
    ck_assert_str_eq(e.field, "currency");
    /* a rate table with a repeated pair, a zero rate */
    int32_t rm[] = {M(2024, 1), M(2024, 1)}, rc[] = {eur, eur};
    double rv[] = {1.1, 1.2};
    csm_subscriptions_rates bad = {rm, rc, rv, 2};
    ck_assert_int_eq(csm_subscriptions_to_ledger(&l, &s, &bad, &o, NULL, &e),
                     CSM_EDOMAIN);
    ck_assert_str_eq(e.field, "rates.month");
    rv[1] = 0;
    rm[1] = M(2024, 2);
    ck_assert_int_eq(csm_subscriptions_to_ledger(&l, &s, &bad, &o, NULL, &e),
                     CSM_EDOMAIN);
    ck_assert_uint_eq(e.row, 1);
    ck_assert_str_eq(e.field, "rates.rate");
    /* terms convert at the rate of their first month: row 3's monthly
     * terms from 2024-01-05: Jan 110, Feb 120 ... */
    o = fx_opts();
    csm_subscriptions_contracts *c = NULL;
    ck_assert_int_eq(csm_subscriptions_to_contracts(&c, &s, &r, &o, NULL, &e),
                     CSM_OK);
    int seen = 0;
    for (size_t i = 0; i < c->contracts.n; i++)
        if (c->row[i] == 3 && c->contracts.start_day[i] == D(2024, 2, 5)) {
            ck_assert_double_eq_tol(c->contracts.amount[i], 120, TOL);
            seen = 1;
        }
    ck_assert(seen);
    csm_subscriptions_contracts_free(c);
}
END_TEST

/* Each bad value: its status, row and field. */
START_TEST(test_errors) {
    csm_subscriptions_rates r = rates();
    csm_subscriptions_opts o = fx_opts();
    csm_ledger *l = NULL;
    csm_error e;
    struct {
        const char *field;
        csm_status code;
    } want[] = {{"amount", CSM_EDOMAIN},          {"quantity", CSM_EDOMAIN},
                {"discount_percent", CSM_EDOMAIN}, {"interval_count", CSM_EDOMAIN},
                {"ended_at", CSM_EDOMAIN},         {"start_day", CSM_EDOMAIN},
                {"status", CSM_EINVAL},            {"interval_unit", CSM_EINVAL},
                {"canceled_at", CSM_EDOMAIN},      {"start_day", CSM_EDOMAIN}};
    for (int k = 0; k < (int)(sizeof want / sizeof want[0]); k++) {
        csm_subscriptions s = fixture();
        switch (k) {
        case 0: fx_amount[2] = -1; break;
        case 1: fx_qty[2] = NAN; break;
        case 2: fx_pct[2] = 100.5; break;
        case 3: fx_count[2] = 0; break;
        case 4: fx_canceled[2] = NONE; break; /* canceled without a date */
        case 5: fx_start[2] = NONE; break;
        case 6: fx_status[2] = 8; break;
        case 7: fx_unit[2] = CSM_UNIT_TERM; break;
        case 8: fx_canceled[2] = D(2023, 12, 31); break; /* before start */
        case 9: fx_start[2] = D(1899, 12, 31); break;
        }
        csm_status st = csm_subscriptions_to_ledger(&l, &s, &r, &o, NULL, &e);
        ck_assert_msg(st == want[k].code, "case %d: %s", k, e.text);
        ck_assert_ptr_null(l);
        ck_assert_uint_eq(e.row, 2);
        ck_assert_str_eq(e.field, want[k].field);
        /* the same checks guard the contracts */
        csm_subscriptions_contracts *c = NULL;
        ck_assert_int_eq(csm_subscriptions_to_contracts(&c, &s, &r, &o, NULL, NULL),
                         want[k].code);
        ck_assert_ptr_null(c);
        /* restore */
        fx_amount[2] = 80;
        fx_qty[2] = 1;
        fx_pct[2] = 0;
        fx_count[2] = 1;
        fx_status[2] = CSM_SUBSCRIPTIONS_CANCELED;
        fx_unit[2] = CSM_UNIT_MONTH;
    }
    /* an MRR too large to represent */
    csm_subscriptions s = fixture();
    fx_amount[0] = 1e308;
    ck_assert_int_eq(csm_subscriptions_to_ledger(&l, &s, &r, &o, NULL, &e),
                     CSM_EDOMAIN);
    ck_assert_uint_eq(e.row, 0);
    ck_assert_str_eq(e.field, "amount");
    fx_amount[0] = 1000;
    /* pointers and options */
    ck_assert_int_eq(csm_subscriptions_to_ledger(NULL, &s, &r, &o, NULL, &e),
                     CSM_EINVAL);
    ck_assert_int_eq(csm_subscriptions_to_ledger(&l, NULL, &r, &o, NULL, &e),
                     CSM_EINVAL);
    s.amount = NULL;
    ck_assert_int_eq(csm_subscriptions_to_ledger(&l, &s, &r, &o, NULL, &e),
                     CSM_EINVAL);
    ck_assert_str_eq(e.field, "amount");
    s = fixture();
    o.proration = 7;
    ck_assert_int_eq(csm_subscriptions_to_ledger(&l, &s, &r, &o, NULL, &e),
                     CSM_EINVAL);
    ck_assert_str_eq(e.field, "opts.proration");
    o = fx_opts();
    o.until_month = M(3000, 1);
    ck_assert_int_eq(csm_subscriptions_to_ledger(&l, &s, &r, &o, NULL, &e),
                     CSM_EINVAL);
    ck_assert_str_eq(e.field, "opts.until_month");
    csm_subscriptions_opts oi;
    ck_assert_int_eq(csm_subscriptions_opts_init(&oi, sizeof oi), CSM_OK);
    ck_assert_int_eq(oi.apply_discounts, 1);
    ck_assert_int_eq(oi.until_month, CSM_MONTH_NONE);
    ck_assert_int_eq(csm_subscriptions_opts_init(NULL, sizeof oi), CSM_EINVAL);
}
END_TEST

START_TEST(test_edge) {
    /* no rows: an empty ledger and no contracts */
    csm_subscriptions s = {0};
    csm_ledger *l = NULL;
    ck_assert_int_eq(csm_subscriptions_to_ledger(&l, &s, NULL, NULL, NULL, NULL),
                     CSM_OK);
    ck_assert_uint_eq(csm_ledger_entry_count(l), 0);
    csm_ledger_free(l);
    csm_subscriptions_contracts *c = NULL;
    ck_assert_int_eq(csm_subscriptions_to_contracts(&c, &s, NULL, NULL, NULL, NULL),
                     CSM_OK);
    ck_assert_uint_eq(c->contracts.n, 0);
    csm_subscriptions_contracts_free(c);
    /* a 100% discount: MRR 0, active only with free_is_active */
    int64_t cust[] = {9};
    double amt[] = {50}, pct[] = {100};
    int32_t start[] = {D(2024, 1, 1)};
    s = (csm_subscriptions){.customer_id = cust, .amount = amt,
                            .discount_percent = pct, .start_day = start, .n = 1};
    csm_ledger_opts lo = CSM_LEDGER_OPTS_INIT;
    lo.free_is_active = 1;
    ck_assert_int_eq(csm_subscriptions_to_ledger(&l, &s, NULL, NULL, &lo, NULL),
                     CSM_OK);
    /* until by default: 2024-01, the start's month */
    ck_assert_uint_eq(csm_ledger_entry_count(l), 1);
    ck_assert_double_eq_tol(csm_ledger_mrr(l, M(2024, 1)), 0, TOL);
    csm_ledger_free(l);
}
END_TEST

START_TEST(test_oom) {
    csm_subscriptions s = fixture();
    csm_subscriptions_rates r = rates();
    csm_subscriptions_opts o = fx_opts();
    int done = 0;
    for (long b = 0; b < 200 && !done; b++) {
        fail_ctx f = {b, 0};
        csm_allocator a = {fail_alloc, fail_free, &f, NULL};
        csm_ledger_opts lo = CSM_LEDGER_OPTS_INIT;
        lo.allocator = &a;
        csm_ledger *l = NULL;
        csm_status st = csm_subscriptions_to_ledger(&l, &s, &r, &o, &lo, NULL);
        ck_assert(st == CSM_OK || st == CSM_ENOMEM);
        done = st == CSM_OK;
        csm_ledger_free(l);
        ck_assert_int_eq(f.live, 0);
    }
    ck_assert(done);
    done = 0;
    for (long b = 0; b < 200 && !done; b++) {
        fail_ctx f = {b, 0};
        csm_allocator a = {fail_alloc, fail_free, &f, NULL};
        csm_subscriptions_contracts *c = NULL;
        csm_status st = csm_subscriptions_to_contracts(&c, &s, &r, &o, &a, NULL);
        ck_assert(st == CSM_OK || st == CSM_ENOMEM);
        done = st == CSM_OK;
        csm_subscriptions_contracts_free(c);
        ck_assert_int_eq(f.live, 0);
    }
    ck_assert(done);
}
END_TEST

int main(void) {
    Suite *s = suite_create("subscriptions");
    TCase *tc = tcase_create("csm_subscriptions_to_ledger");
    tcase_add_test(tc, test_fixture);
    tcase_add_test(tc, test_options);
    tcase_add_test(tc, test_status_rules);
    tcase_add_test(tc, test_units);
    tcase_add_test(tc, test_currency);
    suite_add_tcase(s, tc);
    tc = tcase_create("csm_subscriptions_to_contracts");
    tcase_add_test(tc, test_contracts);
    tcase_add_test(tc, test_terminated_terms);
    suite_add_tcase(s, tc);
    tc = tcase_create("edge");
    tcase_add_test(tc, test_errors);
    tcase_add_test(tc, test_edge);
    tcase_add_test(tc, test_oom);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
