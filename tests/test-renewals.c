/* test-renewals.c - contracts due, renewed, late, churned; logo and dollar
 * renewal rates.
 *
 * Fixture, window 2024-01-01..2024-12-31, grace 90 days (terms in days,
 * end inclusive; 2024 is a leap year):
 *   row cust seg  term                       value  role
 *    0   1    1   2023-03-01..2024-02-29 (366) 1200  due, renewed by 1
 *    1   1    1   2024-03-01..2025-02-28 (365) 1500  renewal (gap 0): 1500 x 366/365 = 1504.109589
 *    2   2    1   2023-06-01..2024-05-31 (366) 1000  due, renewed by 3
 *    3   2    1   2024-07-15..2025-07-14 (365) 1000  gap 44 days <= 90: 1000 x 366/365 = 1002.739726
 *    4   3    2   2023-01-01..2023-12-31       500  not due (ends before the window)
 *    5   3    2   2024-01-01..2024-12-31 (366)  600  due, nothing after: churned
 *    6   4    2   2023-09-01..2024-08-31 (366)  800  due, renewed late by 7
 *    7   4    2   2025-01-15..2026-01-14 (365)  800  gap 136 days > 90: late (802.191781)
 *    8   5    1   2023-07-01..2024-06-30 (366)  100  due } both renewed by 10, whose
 *    9   5    1   2023-07-01..2024-06-30 (366)  200  due } 330 x 366/365 = 330.904110 is
 *   10   5    1   2024-07-01..2025-06-30 (365)  330       split 1:2 = 110.301370 / 220.602740
 *   11   6    2   2024-01-01..2024-12-31 (366) 1000  due, renewed by 13 (1200 x 366/365 = 1203.287671)
 *   12   6    2   2024-06-01..2024-12-31 (214)   70  in-term upsell of 11 (70 x 366/214 = 119.719626)
 *   13   6    2   2025-01-01..2025-12-31 (365) 1200  renewal
 * Due 0 2 5 6 8 9 11 = 7 contracts, value 4900; renewed 5 with value
 * 1504.109589 + 1002.739726 + 110.301370 + 220.602740 + 1203.287671 =
 * 4041.041096 -> logo 5/7, dollar 0.824702264; late 1, churned 1.
 * Values computed with a calculator (Python's datetime for the day counts).
 *
 * The input is the one contract type, csm_contracts (ledger.h): each
 * contract above is one billing interval spanning its term (amount = its
 * value, interval_unit day, interval_count = its term in days), so its
 * value over the term (renewals.h: MRR x term months = amount x (term x
 * 12/365) / (count x 12/365)) is exactly its amount, and every figure
 * below is the one worked out from the value column.
 *
 * The per-contract table "renewal_contracts" has the 7 due contracts in
 * input order 0 2 5 6 8 9 11; days_to_renewal = renewal start - (due end
 * + 1): row 0: 2024-03-01 - 2024-03-01 = 0; row 2: 2024-07-15 - 2024-06-01
 * = 30 (June) + 14 = 44; row 6: 2025-01-15 - 2024-09-01 = 30 + 31 + 30 +
 * 31 + 14 = 136; rows 8, 9: 2024-07-01 - 2024-07-01 = 0; row 11:
 * 2025-01-01 - 2025-01-01 = 0; row 5 churned: NaN.  Due days: 2024-01-01
 * is day 19723 (test-table.c), so 2024-02-29 = 19723 + 31 + 28 = 19782,
 * 2024-05-31 = 19782 + 31 (to Mar 31) + 30 + 31 = 19874 (2024-06-01 is
 * 19875 in test-table.c), 2024-06-30 = 19874 + 30 = 19904, 2024-08-31 =
 * 19904 + 31 + 31 = 19966, 2024-12-31 = 19723 + 365 = 20088.
 */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "csmetrics/csmetrics.h"
#include "oom.h"
#include "tables.h"



#define TOL 1e-6
#define N 14

static const int64_t cust[N] = {1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 5, 6, 6, 6};
static const int32_t seg[N] = {1, 1, 1, 1, 2, 2, 2, 2, 1, 1, 1, 2, 2, 2};
static const double val[N] = {1200, 1500, 1000, 1000, 500, 600, 800,
                              800,  100,  200,  330,  1000, 70, 1200};
static int32_t sd[N], ed[N], term_days[N];
static uint8_t day_unit[N];
static int32_t w0, w1;

/* start[i] and end[i]: the days of d[i] = {start y, m, d, end y, m, d} */
static void term_days_of(const int (*d)[6], int n, int32_t *start,
                         int32_t *end) {
    for (int i = 0; i < n; i++) {
        start[i] = csm_day(d[i][0], d[i][1], d[i][2]);
        end[i] = csm_day(d[i][3], d[i][4], d[i][5]);
    }
}

static csm_contracts fixture(void) {
    static const int d[N][6] = {
        {2023, 3, 1, 2024, 2, 29},  {2024, 3, 1, 2025, 2, 28},
        {2023, 6, 1, 2024, 5, 31},  {2024, 7, 15, 2025, 7, 14},
        {2023, 1, 1, 2023, 12, 31}, {2024, 1, 1, 2024, 12, 31},
        {2023, 9, 1, 2024, 8, 31},  {2025, 1, 15, 2026, 1, 14},
        {2023, 7, 1, 2024, 6, 30},  {2023, 7, 1, 2024, 6, 30},
        {2024, 7, 1, 2025, 6, 30},  {2024, 1, 1, 2024, 12, 31},
        {2024, 6, 1, 2024, 12, 31}, {2025, 1, 1, 2025, 12, 31}};
    term_days_of(d, N, sd, ed);
    for (int i = 0; i < N; i++) {
        term_days[i] = ed[i] - sd[i] + 1;
        day_unit[i] = CSM_UNIT_DAY;
    }
    w0 = csm_day(2024, 1, 1);
    w1 = csm_day(2024, 12, 31);
    csm_contracts k = {.customer_id = cust,
                       .start_day = sd,
                       .end_day = ed,
                       .amount = val,
                       .interval_count = term_days,
                       .interval_unit = day_unit,
                       .segment = seg,
                       .n = N};
    return k;
}

START_TEST(test_fixture) {
    csm_contracts k = fixture();
    csm_renewals *r = NULL;
    uint8_t oc[N];
    int64_t mt[N];
    csm_error e;
    ck_assert_int_eq(csm_renewals_compute(&r, oc, mt, &k, w0, w1, NULL, &e),
                     CSM_OK);
    ck_assert_uint_eq(r->n_rows, 1);
    ck_assert_int_eq(r->due[0], 7);
    ck_assert_int_eq(r->renewed[0], 5);
    ck_assert_int_eq(r->late[0], 1);
    ck_assert_int_eq(r->churned[0], 1);
    ck_assert_double_eq_tol(r->due_value[0], 4900, TOL);
    ck_assert_double_eq_tol(r->renewed_value[0], 4041.041095890411, TOL);
    ck_assert_double_eq_tol(r->late_value[0], 802.1917808219179, TOL);
    ck_assert_double_eq_tol(r->churned_value[0], 600, TOL);
    ck_assert_double_eq_tol(r->upsell_value[0], 119.7196261682243, TOL);
    ck_assert_double_eq_tol(r->logo_renewal_rate[0], 5.0 / 7, 1e-12);
    ck_assert_double_eq_tol(r->dollar_renewal_rate[0], 0.8247022644674308, 1e-9);
    /* outcomes and matches */
    ck_assert_int_eq(oc[0], CSM_RENEWALS_RENEWED);
    ck_assert_int_eq(mt[0], 1);
    ck_assert_int_eq(oc[1], CSM_RENEWALS_NOT_DUE);
    ck_assert_int_eq(oc[4], CSM_RENEWALS_NOT_DUE);
    ck_assert_int_eq(oc[5], CSM_RENEWALS_CHURNED);
    ck_assert_int_eq(mt[5], -1);
    ck_assert_int_eq(oc[6], CSM_RENEWALS_LATE);
    ck_assert_int_eq(mt[6], 7);
    ck_assert_int_eq(mt[8], 10);
    ck_assert_int_eq(mt[9], 10);
    ck_assert_int_eq(oc[12], CSM_RENEWALS_UPSELL);
    ck_assert_int_eq(mt[12], 11);
    csm_renewals_free(r);
}
END_TEST

START_TEST(test_options) {
    csm_contracts k = fixture();
    csm_renewals *r = NULL;
    csm_renewals_opts o = CSM_RENEWALS_OPTS_INIT;
    /* late counts: (4041.041096 + 802.191781) / 4900 = 0.988414873, 6/7 */
    o.late_counts = 1;
    ck_assert_int_eq(csm_renewals_compute(&r, NULL, NULL, &k, w0, w1, &o, NULL),
                     CSM_OK);
    ck_assert_int_eq(r->renewed[0], 6);
    ck_assert_double_eq_tol(r->dollar_renewal_rate[0], 0.9884148727984345, 1e-9);
    csm_renewals_free(r);
    /* upsells join numerator and denominator:
     * (4041.041096 + 119.719626) / (4900 + 119.719626) = 0.828883091 */
    o = (csm_renewals_opts)CSM_RENEWALS_OPTS_INIT;
    o.include_upsells = 1;
    ck_assert_int_eq(csm_renewals_compute(&r, NULL, NULL, &k, w0, w1, &o, NULL),
                     CSM_OK);
    ck_assert_double_eq_tol(r->dollar_renewal_rate[0], 0.8288830914715309, 1e-9);
    ck_assert_double_eq_tol(r->due_value[0], 4900 + 119.7196261682243, TOL);
    csm_renewals_free(r);
    /* grace 150: contract 6's 136-day gap is now within grace -> renewed */
    o = (csm_renewals_opts)CSM_RENEWALS_OPTS_INIT;
    o.grace_days = 150;
    ck_assert_int_eq(csm_renewals_compute(&r, NULL, NULL, &k, w0, w1, &o, NULL),
                     CSM_OK);
    ck_assert_int_eq(r->renewed[0], 6);
    ck_assert_int_eq(r->late[0], 0);
    csm_renewals_free(r);
    /* grace 0: contract 2 (gap 44) becomes late */
    o.grace_days = 0;
    ck_assert_int_eq(csm_renewals_compute(&r, NULL, NULL, &k, w0, w1, &o, NULL),
                     CSM_OK);
    ck_assert_int_eq(r->renewed[0], 4);
    ck_assert_int_eq(r->late[0], 2);
    csm_renewals_free(r);
    /* by segment: seg 1 = 0 2 8 9 (2500), all renewed,
     * 2837.753425 / 2500 = 1.135101370 (> 1: upsized renewals);
     * seg 2 = 5 6 11 (2400): 1 renewed (1203.287671 / 2400 = 0.501369863),
     * 1 late, 1 churned */
    o = (csm_renewals_opts)CSM_RENEWALS_OPTS_INIT;
    o.group_by = CSM_RENEWALS_GROUP_SEGMENT;
    ck_assert_int_eq(csm_renewals_compute(&r, NULL, NULL, &k, w0, w1, &o, NULL),
                     CSM_OK);
    ck_assert_uint_eq(r->n_rows, 2);
    ck_assert_int_eq(r->key[0], 1);
    ck_assert_double_eq_tol(r->logo_renewal_rate[0], 1.0, 1e-12);
    ck_assert_double_eq_tol(r->dollar_renewal_rate[0], 1.1351013698630137, 1e-9);
    ck_assert_int_eq(r->key[1], 2);
    ck_assert_double_eq_tol(r->logo_renewal_rate[1], 1.0 / 3, 1e-12);
    ck_assert_double_eq_tol(r->dollar_renewal_rate[1], 0.5013698630136986, 1e-9);
    csm_renewals_free(r);
}
END_TEST

START_TEST(test_shuffle) {
    /* the same contracts in another order give the same figures */
    csm_contracts k = fixture();
    int perm[N];
    for (int i = 0; i < N; i++)
        perm[i] = (i * 5 + 3) % N;
    int64_t c2[N];
    int32_t s2[N], e2[N], g2[N], t2[N];
    double v2[N];
    for (int i = 0; i < N; i++) {
        c2[i] = cust[perm[i]];
        s2[i] = sd[perm[i]];
        e2[i] = ed[perm[i]];
        v2[i] = val[perm[i]];
        g2[i] = seg[perm[i]];
        t2[i] = term_days[perm[i]];
    }
    csm_contracts k2 = k;
    k2.customer_id = c2;
    k2.start_day = s2;
    k2.end_day = e2;
    k2.amount = v2;
    k2.segment = g2;
    k2.interval_count = t2;
    csm_renewals *a = NULL, *b = NULL;
    ck_assert_int_eq(csm_renewals_compute(&a, NULL, NULL, &k, w0, w1, NULL, NULL),
                     CSM_OK);
    ck_assert_int_eq(csm_renewals_compute(&b, NULL, NULL, &k2, w0, w1, NULL, NULL),
                     CSM_OK);
    ck_assert_int_eq(a->renewed[0], b->renewed[0]);
    ck_assert_double_eq_tol(a->renewed_value[0], b->renewed_value[0], 1e-9);
    ck_assert_double_eq_tol(a->dollar_renewal_rate[0], b->dollar_renewal_rate[0], 1e-12);
    csm_renewals_free(a);
    csm_renewals_free(b);
}
END_TEST

START_TEST(test_errors) {
    csm_contracts k = fixture();
    csm_renewals *r = NULL;
    csm_error e;
    int32_t bad_end[N];
    memcpy(bad_end, ed, sizeof bad_end);
    bad_end[3] = sd[3] - 1;
    csm_contracts kb = k;
    kb.end_day = bad_end;
    ck_assert_int_eq(csm_renewals_compute(&r, NULL, NULL, &kb, w0, w1, NULL, &e),
                     CSM_EDOMAIN);
    ck_assert_uint_eq(e.row, 3);
    ck_assert_str_eq(e.field, "end_day");
    double bad_val[N];
    memcpy(bad_val, val, sizeof bad_val);
    bad_val[7] = NAN;
    kb = k;
    kb.amount = bad_val;
    ck_assert_int_eq(csm_renewals_compute(&r, NULL, NULL, &kb, w0, w1, NULL, &e),
                     CSM_EDOMAIN);
    ck_assert_uint_eq(e.row, 7);
    ck_assert_str_eq(e.field, "amount");
    ck_assert_int_eq(csm_renewals_compute(&r, NULL, NULL, &k, w1, w0, NULL, &e),
                     CSM_EINVAL);
    csm_renewals_opts o = CSM_RENEWALS_OPTS_INIT;
    o.grace_days = -1;
    ck_assert_int_eq(csm_renewals_compute(&r, NULL, NULL, &k, w0, w1, &o, &e),
                     CSM_EINVAL);
    o = (csm_renewals_opts)CSM_RENEWALS_OPTS_INIT;
    o.group_by = 7;
    ck_assert_int_eq(csm_renewals_compute(&r, NULL, NULL, &k, w0, w1, &o, &e),
                     CSM_EINVAL);
    kb = k;
    kb.amount = NULL;
    ck_assert_int_eq(csm_renewals_compute(&r, NULL, NULL, &kb, w0, w1, NULL, &e),
                     CSM_EINVAL);
    ck_assert_int_eq(csm_renewals_compute(&r, NULL, NULL, NULL, w0, w1, NULL, &e),
                     CSM_EINVAL);
    ck_assert_ptr_null(r);
}
END_TEST

START_TEST(test_edge) {
    /* n = 0: one empty row, NaN rates with flags */
    csm_contracts k = {.n = 0};
    csm_renewals *r = NULL;
    ck_assert_int_eq(csm_renewals_compute(&r, NULL, NULL, &k, 0, 10, NULL, NULL),
                     CSM_OK);
    ck_assert_uint_eq(r->n_rows, 1);
    ck_assert(isnan(r->logo_renewal_rate[0]));
    ck_assert(r->flags[0] & CSM_FLAG_ZERO_DENOMINATOR);
    ck_assert(r->flags[0] & CSM_FLAG_EMPTY);
    ck_assert_uint_eq(r->n_contracts, 0);
    ck_assert_uint_eq(csm_result_table(r->result, 1)->n_rows, 0);
    csm_renewals_free(r);
    /* a window with nothing due */
    csm_contracts f = fixture();
    ck_assert_int_eq(csm_renewals_compute(&r, NULL, NULL, &f, csm_day(2030, 1, 1),
                                          csm_day(2030, 12, 31), NULL, NULL),
                     CSM_OK);
    ck_assert_int_eq(r->due[0], 0);
    ck_assert(isnan(r->dollar_renewal_rate[0]));
    ck_assert_uint_eq(r->n_contracts, 0);
    csm_renewals_free(r);
    /* grouped, nothing due: no group rows at all */
    csm_renewals_opts o = CSM_RENEWALS_OPTS_INIT;
    o.group_by = CSM_RENEWALS_GROUP_SEGMENT;
    ck_assert_int_eq(csm_renewals_compute(&r, NULL, NULL, &f, csm_day(2030, 1, 1),
                                          csm_day(2030, 12, 31), &o, NULL),
                     CSM_OK);
    ck_assert_uint_eq(r->n_rows, 0);
    ck_assert_uint_eq(csm_result_table(r->result, 0)->n_rows, 0);
    csm_renewals_free(r);
    csm_renewals_free(NULL);
}
END_TEST

START_TEST(test_tables) {
    /* the outcome names the "outcome" column shows */
    ck_assert_str_eq(csm_renewals_outcome_name(CSM_RENEWALS_NOT_DUE), "not_due");
    ck_assert_str_eq(csm_renewals_outcome_name(CSM_RENEWALS_LATE), "late");
    ck_assert_str_eq(csm_renewals_outcome_name(CSM_RENEWALS_UPSELL), "upsell");
    ck_assert_str_eq(csm_renewals_outcome_name(CSM_RENEWALS_PENDING), "pending");
    ck_assert_str_eq(csm_renewals_outcome_name(6), "unknown");
    ck_assert_str_eq(csm_renewals_outcome_name(-1), "unknown");
    csm_contracts k = fixture();
    csm_renewals *r = NULL;
    ck_assert_int_eq(csm_renewals_compute(&r, NULL, NULL, &k, w0, w1, NULL, NULL),
                     CSM_OK);
    ck_assert_str_eq(csm_result_kind(r->result), "renewals");
    ck_assert_ptr_eq(csm_result_view(r->result), r);
    ck_assert_uint_eq(csm_result_n_tables(r->result), 2);
    const csm_table *t = csm_result_table(r->result, 0);
    const csm_table *c = csm_result_table(r->result, 1);
    ck_assert_str_eq(t->name, "renewals");
    ck_assert_str_eq(c->name, "renewal_contracts");
    ck_assert_ptr_eq(csm_result_find(r->result, "renewal_contracts"), c);
    ck_assert_uint_eq(t->n_rows, 1);
    ck_assert_uint_eq(t->n_columns, 15);
    ck_assert_uint_eq(c->n_rows, 7);
    ck_assert_uint_eq(r->n_contracts, 7);
    ck_assert_uint_eq(c->n_columns, 12);
    check_columns_sane(t);
    check_columns_sane(c);
    /* summary: the key is the column "group", a CODE key */
    const csm_column *g = csm_table_find(t, "group");
    ck_assert_ptr_eq(g, &t->columns[0]);
    ck_assert_ptr_eq(g->data, r->key);
    ck_assert_int_eq(g->type, CSM_TYPE_CODE);
    ck_assert_int_eq(g->role, CSM_ROLE_KEY);
    ck_assert_ptr_null(csm_table_find(t, "key"));
    ck_assert_ptr_eq(csm_table_find(t, "due")->data, r->due);
    ck_assert_ptr_eq(csm_table_find(t, "renewed_value")->data, r->renewed_value);
    ck_assert_ptr_eq(csm_table_find(t, "flags")->data, r->flags);
    ck_assert_int_eq(csm_table_find(t, "dollar_renewal_rate")->type,
                     CSM_TYPE_FRACTION);
    ck_assert_int_eq(csm_table_find(t, "dollar_renewal_rate")->role,
                     CSM_ROLE_MAIN);
    ck_assert_int_eq(csm_table_find(t, "late_value")->role, CSM_ROLE_DETAIL);
    ck_assert_int_eq(csm_table_find(t, "flags")->role, CSM_ROLE_DETAIL);
    /* no grouping: the overall row's key is the "all" code, undefined */
    ck_assert_int_eq(r->key[0], CSM_CODE_ALL);
    ck_assert_int_eq(csm_column_is_valid(g, 0), 0);
    ck_assert_double_eq_tol(csm_column_double(csm_table_find(t, "due_value"), 0),
                            4900, TOL);
    /* per contract */
    const csm_column *cr = &c->columns[0];
    ck_assert_str_eq(cr->name, "contract_row");
    ck_assert_int_eq(cr->type, CSM_TYPE_ID);
    ck_assert_int_eq(cr->role, CSM_ROLE_KEY);
    ck_assert_ptr_eq(cr->data, r->contract_row);
    ck_assert_ptr_eq(csm_table_find(c, "customer_id")->data, r->contract_customer_id);
    ck_assert_ptr_eq(csm_table_find(c, "due_day")->data, r->contract_due_day);
    ck_assert_int_eq(csm_table_find(c, "due_day")->type, CSM_TYPE_DAY);
    ck_assert_ptr_eq(csm_table_find(c, "outcome")->data, r->contract_outcome);
    ck_assert_int_eq(csm_table_find(c, "outcome")->type, CSM_TYPE_TEXT);
    ck_assert_int_eq(csm_table_find(c, "outcome")->role, CSM_ROLE_MAIN);
    ck_assert_int_eq(csm_table_find(c, "outcome_code")->type, CSM_TYPE_CODE);
    ck_assert_ptr_eq(csm_table_find(c, "days_to_renewal")->data,
                     r->contract_days_to_renewal);
    ck_assert_ptr_eq(csm_table_find(c, "renewal_row")->data, r->contract_renewal_row);
    ck_assert_ptr_eq(csm_table_find(c, "counts_as_renewed")->data,
                     r->contract_counts_as_renewed);
    ck_assert_int_eq(csm_table_find(c, "counts_as_renewed")->type, CSM_TYPE_BOOL);
    ck_assert_int_eq(csm_table_find(c, "group")->role, CSM_ROLE_DETAIL);
    csm_renewals_free(r);
}
END_TEST

START_TEST(test_contracts) {
    csm_contracts k = fixture();
    csm_renewals *r = NULL;
    ck_assert_int_eq(csm_renewals_compute(&r, NULL, NULL, &k, w0, w1, NULL, NULL),
                     CSM_OK);
    /* header comment: rows, customers, due days, outcomes, gaps, matches,
     * renewal values (normalized, split for customer 5), upsells */
    const int64_t row[7] = {0, 2, 5, 6, 8, 9, 11};
    const int64_t cus[7] = {1, 2, 3, 4, 5, 5, 6};
    const int32_t due[7] = {19782, 19874, 20088, 19966, 19904, 19904, 20088};
    const double value[7] = {1200, 1000, 600, 800, 100, 200, 1000};
    const char *const oc[7] = {"renewed", "renewed", "churned", "late",
                               "renewed", "renewed", "renewed"};
    const int32_t code[7] = {CSM_RENEWALS_RENEWED, CSM_RENEWALS_RENEWED,
                             CSM_RENEWALS_CHURNED, CSM_RENEWALS_LATE,
                             CSM_RENEWALS_RENEWED, CSM_RENEWALS_RENEWED,
                             CSM_RENEWALS_RENEWED};
    const double gap[7] = {0, 44, NAN, 136, 0, 0, 0};
    const int64_t match[7] = {1, 3, -1, 7, 10, 10, 13};
    const double rv[7] = {1504.109589041096, 1002.739726027397, 0,
                          802.1917808219179, 110.3013698630137,
                          220.6027397260274, 1203.287671232877};
    const double up[7] = {0, 0, 0, 0, 0, 0, 119.7196261682243};
    const uint8_t counted[7] = {1, 1, 0, 0, 1, 1, 1};
    ck_assert_uint_eq(r->n_contracts, 7);
    for (int i = 0; i < 7; i++) {
        ck_assert_int_eq(r->contract_row[i], row[i]);
        ck_assert_int_eq(r->contract_customer_id[i], cus[i]);
        ck_assert_int_eq(r->contract_due_day[i], due[i]);
        ck_assert_int_eq(r->contract_group[i], CSM_CODE_ALL);
        ck_assert_double_eq_tol(r->contract_value[i], value[i], TOL);
        ck_assert_str_eq(r->contract_outcome[i], oc[i]);
        ck_assert_int_eq(r->contract_outcome_code[i], code[i]);
        if (isnan(gap[i]))
            ck_assert(isnan(r->contract_days_to_renewal[i]));
        else
            ck_assert_double_eq_tol(r->contract_days_to_renewal[i], gap[i], TOL);
        ck_assert_int_eq(r->contract_renewal_row[i], match[i]);
        ck_assert_double_eq_tol(r->contract_renewal_value[i], rv[i], TOL);
        ck_assert_double_eq_tol(r->contract_upsell_value[i], up[i], TOL);
        ck_assert_uint_eq(r->contract_counts_as_renewed[i], counted[i]);
    }
    ck_assert_int_eq(csm_day(2024, 12, 31), 20088);
    /* the summary reconciles with the contracts (renewals.h) */
    double sv = 0, sr = 0;
    int64_t nr = 0;
    for (size_t i = 0; i < r->n_contracts; i++) {
        sv += r->contract_value[i];
        sr += r->contract_counts_as_renewed[i] * r->contract_renewal_value[i];
        nr += r->contract_counts_as_renewed[i];
    }
    ck_assert_double_eq_tol(sv, r->due_value[0], TOL);
    ck_assert_double_eq_tol(sr, r->renewed_value[0], TOL);
    ck_assert_int_eq(nr, r->renewed[0]);
    csm_renewals_free(r);
    /* late counts: contract 6 counts as renewed; by segment, the group
     * column holds each contract's segment (1 1 2 2 1 1 2) */
    csm_renewals_opts o = CSM_RENEWALS_OPTS_INIT;
    o.late_counts = 1;
    o.group_by = CSM_RENEWALS_GROUP_SEGMENT;
    ck_assert_int_eq(csm_renewals_compute(&r, NULL, NULL, &k, w0, w1, &o, NULL),
                     CSM_OK);
    const int32_t sg[7] = {1, 1, 2, 2, 1, 1, 2};
    for (int i = 0; i < 7; i++)
        ck_assert_int_eq(r->contract_group[i], sg[i]);
    ck_assert_uint_eq(r->contract_counts_as_renewed[3], 1);
    ck_assert_str_eq(r->contract_outcome[3], "late");
    /* segment 2: renewed = 1203.287671 + 802.191781 (late, counted) */
    ck_assert_double_eq_tol(r->renewed_value[1], 1203.287671232877 + 802.1917808219179,
                            TOL);
    const csm_column *g = csm_table_find(csm_result_table(r->result, 0), "group");
    ck_assert_int_eq(csm_column_is_valid(g, 0), 1);
    ck_assert_int_eq(csm_column_int64(g, 1), 2);
    csm_renewals_free(r);
}
END_TEST

START_TEST(test_signed_early) {
    /* A renewal that starts inside the due term: 2024-01-01..2024-12-31
     * (366 days, 1000) renewed by 2024-12-01..2025-11-30 (365 days, 730):
     * days_to_renewal = 2024-12-01 - 2025-01-01 = -31; renewal value
     * 730 x 366 / 365 = 732. */
    const int64_t c[] = {9, 9};
    const int32_t s[] = {csm_day(2024, 1, 1), csm_day(2024, 12, 1)};
    const int32_t e[] = {csm_day(2024, 12, 31), csm_day(2025, 11, 30)};
    const double v[] = {1000, 730};
    const int32_t days[] = {366, 365}; /* one interval each: the term */
    const uint8_t u[] = {CSM_UNIT_DAY, CSM_UNIT_DAY};
    csm_contracts k = {.customer_id = c,
                       .start_day = s,
                       .end_day = e,
                       .amount = v,
                       .interval_count = days,
                       .interval_unit = u,
                       .n = 2};
    csm_renewals *r = NULL;
    ck_assert_int_eq(csm_renewals_compute(&r, NULL, NULL, &k, csm_day(2024, 1, 1),
                                          csm_day(2024, 12, 31), NULL, NULL),
                     CSM_OK);
    ck_assert_uint_eq(r->n_contracts, 1);
    ck_assert_int_eq(r->contract_row[0], 0);
    ck_assert_str_eq(r->contract_outcome[0], "renewed");
    ck_assert_double_eq_tol(r->contract_days_to_renewal[0], -31, TOL);
    ck_assert_int_eq(r->contract_renewal_row[0], 1);
    ck_assert_double_eq_tol(r->contract_renewal_value[0], 732, TOL);
    ck_assert_double_eq_tol(r->dollar_renewal_rate[0], 0.732, 1e-12);
    csm_renewals_free(r);
}
END_TEST

/* One csm_contracts value feeds the ledger and renewals (the one contract
 * type, ledger.h), with non-monthly billing.  Window 2023, grace 90 days:
 *   row cust channel owner  term (days)                billing
 *    0   1     7      70    2023-01-01..2023-12-31 (365)  12,000 a year,
 *                                                        discount 1,200, tax 600
 *    1   1     7      70    2024-01-01..2024-12-31 (366)  3,300 a quarter
 *    2   1     7      70    2023-12-20..2024-01-05        5,000 one-time fee
 *    3   2     9      70    2023-01-01..2023-12-31 (365)  6,000 a year
 * MRR (csm_ledger_from_contracts, defaults: net of discount and tax):
 *   row 0 (12,000 - 600 - 1,200) / 12 = 850; row 1 3,300 / 3 = 1,100;
 *   row 3 6,000 / 12 = 500; the one-time fee is not MRR.
 *   Ledger: 850 + 500 = 1,350 in every month of 2023, 1,100 in 2024, 0 in
 *   2025; January 2024: customer 1 expands 850 -> 1,100 (+250), customer 2
 *   churns 500.
 * Renewal values (renewals.h: MRR x term months, term months = days x
 * 12/365): row 0 850 x 12 = 10,200; row 3 500 x 12 = 6,000; row 1 1,100 x
 * 366 x 12/365 = 13,236.16, normalized to row 0's term x 365/366 = 1,100 x
 * 12 = 13,200.  The fee is skipped: were it a contract it would be row 0's
 * renewal (it starts after row 0 starts, ends after it ends, 12 days early,
 * and before row 1).  Due rows 0 and 3 (16,200): row 0 renewed by row 1
 * (gap 2024-01-01 - 2024-01-01 = 0), row 3 churned (6,000):
 *   logo 1/2, dollar 13,200 / 16,200 = 22/27;
 *   by channel: 7 renewed 13,200 / 10,200 = 22/17, 9 none of 6,000 (0);
 *   by owner: one group 70, as overall.
 * Discounts ignored (contract_opts): row 0 MRR (12,000 - 600) / 12 = 950 and
 * value 11,400: dollar 13,200 / 17,400 = 22/29; tax included too: 12,000
 * and 13,200 / 18,000 = 11/15. */
static const int64_t sh_cust[] = {1, 1, 1, 2};
static const double sh_amount[] = {12000, 3300, 5000, 6000};
static const int32_t sh_count[] = {1, 3, 1, 1};
static const uint8_t sh_unit[] = {CSM_UNIT_YEAR, CSM_UNIT_MONTH, CSM_UNIT_MONTH,
                                  CSM_UNIT_YEAR};
static const double sh_disc[] = {1200, 0, 0, 0};
static const double sh_tax[] = {600, 0, 0, 0};
static const uint8_t sh_kind[] = {CSM_CHARGE_RECURRING, CSM_CHARGE_RECURRING,
                                  CSM_CHARGE_ONE_TIME, CSM_CHARGE_RECURRING};
static const int32_t sh_chan[] = {7, 7, 7, 9};
static const int32_t sh_owner[] = {70, 70, 70, 70};
static int32_t sh_start[4], sh_end[4];

static csm_contracts shared(void) {
    sh_start[0] = csm_day(2023, 1, 1), sh_end[0] = csm_day(2023, 12, 31);
    sh_start[1] = csm_day(2024, 1, 1), sh_end[1] = csm_day(2024, 12, 31);
    sh_start[2] = csm_day(2023, 12, 20), sh_end[2] = csm_day(2024, 1, 5);
    sh_start[3] = csm_day(2023, 1, 1), sh_end[3] = csm_day(2023, 12, 31);
    csm_contracts k = {.customer_id = sh_cust,
                       .start_day = sh_start,
                       .end_day = sh_end,
                       .amount = sh_amount,
                       .interval_count = sh_count,
                       .interval_unit = sh_unit,
                       .discount = sh_disc,
                       .tax = sh_tax,
                       .kind = sh_kind,
                       .n = 4,
                       .channel = sh_chan,
                       .owner = sh_owner};
    return k;
}

/* CSM_UNIT_TERM: amount is the value over the whole term.  Customer 1's
 * contract 2024-01-01..2024-12-31 (366 days) of 1200: MRR = 1200 / (366 x
 * 12/365) = 438000 / 4392 = 99.72677595628415 in every month of 2024
 * (snapshot), and due in 2024 with no renewal: due_value 1200 exactly.
 * interval_count may be NULL when every row is per term; a month-billed
 * row without it is CSM_EINVAL naming interval_count. */
START_TEST(test_unit_term) {
    const int64_t tc_cust[] = {1};
    const int32_t tc_sd[] = {csm_day(2024, 1, 1)}, tc_ed[] = {csm_day(2024, 12, 31)};
    const double tc_amt[] = {1200};
    uint8_t tc_unit[] = {CSM_UNIT_TERM};
    csm_contracts k = {.customer_id = tc_cust, .start_day = tc_sd,
                       .end_day = tc_ed, .amount = tc_amt,
                       .interval_unit = tc_unit, .n = 1};
    csm_ledger *l = NULL;
    ck_assert_int_eq(csm_ledger_from_contracts(&l, &k, NULL, NULL, NULL), CSM_OK);
    ck_assert_double_eq_tol(csm_ledger_mrr(l, csm_month(2024, 1)),
                            438000.0 / 4392.0, 1e-9);
    ck_assert_double_eq_tol(csm_ledger_mrr(l, csm_month(2024, 12)),
                            438000.0 / 4392.0, 1e-9);
    ck_assert_double_eq_tol(csm_ledger_mrr(l, csm_month(2025, 1)), 0, 1e-9);
    csm_ledger_free(l);
    csm_renewals *r = NULL;
    ck_assert_int_eq(csm_renewals_compute(&r, NULL, NULL, &k, csm_day(2024, 1, 1),
                                          csm_day(2024, 12, 31), NULL, NULL),
                     CSM_OK);
    ck_assert_int_eq(r->due[0], 1);
    ck_assert_int_eq(r->churned[0], 1);
    ck_assert_double_eq_tol(r->due_value[0], 1200, 1e-9);
    csm_renewals_free(r);
    tc_unit[0] = CSM_UNIT_MONTH;
    csm_error e;
    ck_assert_int_eq(csm_ledger_from_contracts(&l, &k, NULL, NULL, &e),
                     CSM_EINVAL);
    ck_assert_str_eq(e.field, "interval_count");
    ck_assert_ptr_null(l);
}
END_TEST

START_TEST(test_shared_contracts) {
    csm_contracts k = shared();
    const int32_t w2023 = csm_day(2023, 1, 1), e2023 = csm_day(2023, 12, 31);
    /* the ledger */
    csm_ledger *l = NULL;
    ck_assert_int_eq(csm_ledger_from_contracts(&l, &k, NULL, NULL, NULL), CSM_OK);
    ck_assert_double_eq_tol(csm_ledger_mrr(l, csm_month(2023, 1)), 1350, 1e-9);
    ck_assert_double_eq_tol(csm_ledger_mrr(l, csm_month(2023, 12)), 1350, 1e-9);
    ck_assert_double_eq_tol(csm_ledger_mrr(l, csm_month(2024, 1)), 1100, 1e-9);
    ck_assert_double_eq_tol(csm_ledger_mrr(l, csm_month(2024, 12)), 1100, 1e-9);
    ck_assert_double_eq_tol(csm_ledger_mrr(l, csm_month(2025, 1)), 0, 1e-9);
    csm_movements_opts mo = CSM_MOVEMENTS_OPTS_INIT;
    mo.first_month = mo.last_month = csm_month(2024, 1);
    csm_movements *m = NULL;
    ck_assert_int_eq(csm_movements_compute(&m, l, &mo, NULL), CSM_OK);
    ck_assert_double_eq_tol(m->expansion_mrr[0], 250, 1e-9);
    ck_assert_double_eq_tol(m->churn_mrr[0], 500, 1e-9);
    csm_movements_free(m);
    csm_ledger_free(l);
    /* renewals of the same contracts */
    csm_renewals *r = NULL;
    uint8_t oc[4];
    int64_t mt[4];
    ck_assert_int_eq(csm_renewals_compute(&r, oc, mt, &k, w2023, e2023, NULL, NULL),
                     CSM_OK);
    ck_assert_int_eq(r->due[0], 2);
    ck_assert_int_eq(r->renewed[0], 1);
    ck_assert_int_eq(r->churned[0], 1);
    ck_assert_double_eq_tol(r->due_value[0], 16200, TOL);
    ck_assert_double_eq_tol(r->renewed_value[0], 13200, TOL);
    ck_assert_double_eq_tol(r->churned_value[0], 6000, TOL);
    ck_assert_double_eq_tol(r->logo_renewal_rate[0], 0.5, 1e-12);
    ck_assert_double_eq_tol(r->dollar_renewal_rate[0], 22.0 / 27, 1e-12);
    ck_assert_int_eq(oc[0], CSM_RENEWALS_RENEWED);
    ck_assert_int_eq(mt[0], 1);
    ck_assert_int_eq(oc[2], CSM_RENEWALS_NOT_DUE); /* the fee: skipped */
    ck_assert_int_eq(mt[2], -1);
    ck_assert_int_eq(oc[3], CSM_RENEWALS_CHURNED);
    ck_assert_uint_eq(r->n_contracts, 2);
    ck_assert_double_eq_tol(r->contract_value[0], 10200, TOL);
    ck_assert_double_eq_tol(r->contract_renewal_value[0], 13200, TOL);
    ck_assert_double_eq_tol(r->contract_days_to_renewal[0], 0, TOL);
    ck_assert_double_eq_tol(r->contract_value[1], 6000, TOL);
    csm_renewals_free(r);
    /* grouped by channel and by owner */
    csm_renewals_opts o = CSM_RENEWALS_OPTS_INIT;
    o.group_by = CSM_RENEWALS_GROUP_CHANNEL;
    ck_assert_int_eq(csm_renewals_compute(&r, NULL, NULL, &k, w2023, e2023, &o, NULL),
                     CSM_OK);
    ck_assert_uint_eq(r->n_rows, 2);
    ck_assert_int_eq(r->key[0], 7);
    ck_assert_double_eq_tol(r->dollar_renewal_rate[0], 22.0 / 17, 1e-12);
    ck_assert_int_eq(r->key[1], 9);
    ck_assert_double_eq_tol(r->dollar_renewal_rate[1], 0, 1e-12);
    ck_assert_double_eq_tol(r->logo_renewal_rate[1], 0, 1e-12);
    csm_renewals_free(r);
    o.group_by = CSM_RENEWALS_GROUP_OWNER;
    ck_assert_int_eq(csm_renewals_compute(&r, NULL, NULL, &k, w2023, e2023, &o, NULL),
                     CSM_OK);
    ck_assert_uint_eq(r->n_rows, 1);
    ck_assert_int_eq(r->key[0], 70);
    ck_assert_double_eq_tol(r->dollar_renewal_rate[0], 22.0 / 27, 1e-12);
    csm_renewals_free(r);
    /* the same contract options for both: discounts ignored */
    csm_contracts_opts co = CSM_CONTRACTS_OPTS_INIT;
    co.discount_mode = CSM_DISCOUNT_IGNORE;
    ck_assert_int_eq(csm_ledger_from_contracts(&l, &k, &co, NULL, NULL), CSM_OK);
    ck_assert_double_eq_tol(csm_ledger_mrr(l, csm_month(2023, 6)), 950 + 500, 1e-9);
    csm_ledger_free(l);
    o = (csm_renewals_opts)CSM_RENEWALS_OPTS_INIT;
    o.contract_opts = &co;
    ck_assert_int_eq(csm_renewals_compute(&r, NULL, NULL, &k, w2023, e2023, &o, NULL),
                     CSM_OK);
    ck_assert_double_eq_tol(r->due_value[0], 17400, TOL);
    ck_assert_double_eq_tol(r->dollar_renewal_rate[0], 22.0 / 29, 1e-12);
    csm_renewals_free(r);
    co.include_tax = 1;
    ck_assert_int_eq(csm_renewals_compute(&r, NULL, NULL, &k, w2023, e2023, &o, NULL),
                     CSM_OK);
    ck_assert_double_eq_tol(r->dollar_renewal_rate[0], 11.0 / 15, 1e-12);
    csm_renewals_free(r);
}
END_TEST

/* csm_renewals_compute of k over 2023 fails with `want`, row and field. */
static void shared_fails(const csm_contracts *k, const csm_renewals_opts *o,
                         csm_status want, size_t row, const char *field) {
    csm_renewals *r = NULL;
    csm_error e;
    ck_assert_int_eq(csm_renewals_compute(&r, NULL, NULL, k, csm_day(2023, 1, 1),
                                          csm_day(2023, 12, 31), o, &e),
                     want);
    ck_assert_uint_eq(e.row, row);
    ck_assert_str_eq(e.field, field);
    ck_assert_ptr_null(r);
}

START_TEST(test_shared_errors) {
    /* the ledger's contract validation, with the row and the column */
    const csm_contracts k = shared();
    double tax[4] = {600, INFINITY, 0, 0};
    double disc[4] = {NAN, 0, 0, 0};
    int32_t cnt[4] = {1, 3, 1, 0};
    uint8_t kind[4] = {0, 0, 7, 0};
    csm_contracts kb = k;
    kb.tax = tax;
    shared_fails(&kb, NULL, CSM_EDOMAIN, 1, "tax");
    kb = k;
    kb.discount = disc;
    shared_fails(&kb, NULL, CSM_EDOMAIN, 0, "discount");
    kb = k;
    kb.interval_count = cnt;
    shared_fails(&kb, NULL, CSM_EDOMAIN, 3, "interval_count");
    kb = k;
    kb.kind = kind;
    shared_fails(&kb, NULL, CSM_EINVAL, 2, "kind");
    csm_contracts_opts co = CSM_CONTRACTS_OPTS_INIT;
    co.discount_mode = 9;
    csm_renewals_opts o = CSM_RENEWALS_OPTS_INIT;
    o.contract_opts = &co;
    shared_fails(&k, &o, CSM_EINVAL, CSM_NO_ROW,
                 "opts.contract_opts.discount_mode");
}
END_TEST

START_TEST(test_arrow) {
    csm_contracts k = fixture();
    csm_renewals *r = NULL;
    ck_assert_int_eq(csm_renewals_compute(&r, NULL, NULL, &k, w0, w1, NULL, NULL),
                     CSM_OK);
    struct ArrowSchema s;
    struct ArrowArray a;
    /* the summary: "group" is null in its one row */
    ck_assert_int_eq(csm_table_export_arrow(&s, &a, r->result,
                                            csm_result_table(r->result, 0), NULL),
                     CSM_OK);
    ck_assert_str_eq(s.name, "renewals");
    ck_assert_int_eq(s.n_children, 15);
    ck_assert_str_eq(s.children[0]->name, "group");
    ck_assert_str_eq(s.children[0]->format, "i");
    ck_assert_int_eq(a.length, 1);
    ck_assert_int_eq(a.children[0]->null_count, 1);
    ck_assert(!arrow_bit(a.children[0]->buffers[0], 0));
    ck_assert_str_eq(s.children[1]->name, "due");
    ck_assert_str_eq(s.children[1]->format, "l");
    ck_assert_int_eq(((const int64_t *)a.children[1]->buffers[1])[0], 7);
    ck_assert_str_eq(s.children[11]->name, "dollar_renewal_rate");
    ck_assert_double_eq_tol(((const double *)a.children[11]->buffers[1])[0],
                            0.8247022644674308, 1e-9);
    ck_assert_int_eq(a.children[11]->null_count, 0);
    a.release(&a);
    s.release(&s);
    /* the contracts; the caller frees the result first */
    ck_assert_int_eq(csm_table_export_arrow(&s, &a, r->result,
                                            csm_result_table(r->result, 1), NULL),
                     CSM_OK);
    csm_renewals_free(r);
    ck_assert_str_eq(s.name, "renewal_contracts");
    ck_assert_int_eq(a.length, 7);
    ck_assert_str_eq(s.children[3]->name, "due_day");
    ck_assert_str_eq(s.children[3]->format, "tdD");
    ck_assert_int_eq(((const int32_t *)a.children[3]->buffers[1])[0], 19782);
    ck_assert_int_eq(((const int32_t *)a.children[3]->buffers[1])[3], 19966);
    /* group: no grouping, null everywhere */
    ck_assert_str_eq(s.children[2]->name, "group");
    ck_assert_int_eq(a.children[2]->null_count, 7);
    /* outcome text: renewed renewed churned late renewed renewed renewed
     * -> offsets 0 7 14 21 25 32 39 46 */
    ck_assert_str_eq(s.children[5]->name, "outcome");
    ck_assert_str_eq(s.children[5]->format, "u");
    ck_assert_int_eq(a.children[5]->null_count, 0);
    const int32_t want[8] = {0, 7, 14, 21, 25, 32, 39, 46};
    const int32_t *off = a.children[5]->buffers[1];
    for (int i = 0; i < 8; i++)
        ck_assert_int_eq(off[i], want[i]);
    ck_assert(memcmp((const char *)a.children[5]->buffers[2] + 14, "churnedlate",
                     11) == 0);
    /* days_to_renewal: null for the churned contract (index 2) only */
    ck_assert_str_eq(s.children[7]->name, "days_to_renewal");
    ck_assert_int_eq(a.children[7]->null_count, 1);
    ck_assert(!arrow_bit(a.children[7]->buffers[0], 2));
    ck_assert(arrow_bit(a.children[7]->buffers[0], 3));
    ck_assert_double_eq_tol(((const double *)a.children[7]->buffers[1])[3], 136,
                            TOL);
    /* counts_as_renewed: 1 1 0 0 1 1 1 -> bits 0 1 4 5 6 = 0x73 */
    ck_assert_str_eq(s.children[11]->name, "counts_as_renewed");
    ck_assert_str_eq(s.children[11]->format, "b");
    ck_assert_uint_eq(((const uint8_t *)a.children[11]->buffers[1])[0], 0x73);
    a.release(&a);
    s.release(&s);
}
END_TEST

START_TEST(test_oom) {
    csm_contracts k = fixture();
    int done = 0;
    for (long b = 0; b < 100 && !done; b++) {
        fail_ctx f = {b, 0};
        csm_allocator a = {fail_alloc, fail_free, &f, NULL};
        csm_renewals_opts o = CSM_RENEWALS_OPTS_INIT;
        o.allocator = &a;
        csm_renewals *r = NULL;
        csm_status s = csm_renewals_compute(&r, NULL, NULL, &k, w0, w1, &o, NULL);
        ck_assert(s == CSM_OK || s == CSM_ENOMEM);
        done = s == CSM_OK;
        csm_renewals_free(r);
        ck_assert_int_eq(f.live, 0);
    }
    ck_assert(done);
}
END_TEST

/* ---- csm_renewals_days_to_end ---------------------------------------- */

/* Contracts around day D = 2024-03-31 (12-month billing; the amounts do
 * not matter to the days, except that a value of 0 still counts):
 *   row cust kind       term                      days from D to its end
 *    0   1   recurring  2023-04-01..2024-03-30    ended the day before D
 *    1   1   recurring  2024-01-01..2024-12-31    Apr..Dec = 30+31+30+31+31+30+31+30+31 = 275
 *    2   1   recurring  2024-04-01..2024-06-30    (starts after D) 30+31+30 = 91
 *    3   2   recurring  2023-04-01..2024-03-31    ends on D: 0
 *    4   2   recurring  2024-04-01..2025-03-31    275 + 31+28+31 = 365
 *    5   3   recurring  2023-01-01..2023-12-31    ended
 *    6   4   one-time   2024-01-01..2024-04-10    skipped (would be 10)
 *    7   4   recurring  2024-01-01..2024-12-31    275
 *    8   4   usage      2024-04-01..2024-04-30    skipped (would be 30)
 *    9   6   recurring  2024-02-01..2024-05-01    amount 0: 30 + 1 = 31
 * Nearest end on or after D: account 1 -> 91, 2 -> 0, 3 -> NaN (only an
 * ended contract), 4 -> 275 (its one recurring contract), 5 -> NaN (no
 * contract), 6 -> 31. */
#define ND 10
static const int64_t dcust[ND] = {1, 1, 1, 2, 2, 3, 4, 4, 4, 6};
static const uint8_t dkind[ND] = {
    CSM_CHARGE_RECURRING, CSM_CHARGE_RECURRING, CSM_CHARGE_RECURRING,
    CSM_CHARGE_RECURRING, CSM_CHARGE_RECURRING, CSM_CHARGE_RECURRING,
    CSM_CHARGE_ONE_TIME,  CSM_CHARGE_RECURRING, CSM_CHARGE_USAGE,
    CSM_CHARGE_RECURRING};
static const double damt[ND] = {1200, 1200, 300, 600, 600, 500, 99, 900, 40, 0};
static const int32_t dcount[ND] = {12, 12, 12, 12, 12, 12, 12, 12, 12, 12};
static int32_t dsd[ND], ded[ND];

static csm_contracts days_fixture(void) {
    static const int d[ND][6] = {
        {2023, 4, 1, 2024, 3, 30}, {2024, 1, 1, 2024, 12, 31},
        {2024, 4, 1, 2024, 6, 30}, {2023, 4, 1, 2024, 3, 31},
        {2024, 4, 1, 2025, 3, 31}, {2023, 1, 1, 2023, 12, 31},
        {2024, 1, 1, 2024, 4, 10}, {2024, 1, 1, 2024, 12, 31},
        {2024, 4, 1, 2024, 4, 30}, {2024, 2, 1, 2024, 5, 1}};
    term_days_of(d, ND, dsd, ded);
    csm_contracts k = {.customer_id = dcust,
                       .start_day = dsd,
                       .end_day = ded,
                       .amount = damt,
                       .interval_count = dcount,
                       .kind = dkind,
                       .n = ND};
    return k;
}

START_TEST(test_days_to_end) {
    csm_contracts k = days_fixture();
    int32_t day = csm_day(2024, 3, 31);
    /* unsorted, with a repeated id (1) */
    const int64_t acc[7] = {4, 1, 5, 2, 3, 1, 6};
    double days[7];
    csm_error e;
    ck_assert_int_eq(csm_renewals_days_to_end(days, acc, 7, &k, day, NULL, &e),
                     CSM_OK);
    ck_assert_double_eq_tol(days[0], 275, 1e-12);
    ck_assert_double_eq_tol(days[1], 91, 1e-12);
    ck_assert(isnan(days[2]));
    ck_assert_double_eq_tol(days[3], 0, 1e-12);
    ck_assert(isnan(days[4]));
    ck_assert_double_eq_tol(days[5], 91, 1e-12);
    ck_assert_double_eq_tol(days[6], 31, 1e-12);
    /* the day after D: account 2's contract ending on D has ended, its
     * next ends 365 - 1 = 364 days later; account 1: 91 - 1 = 90 */
    ck_assert_int_eq(csm_renewals_days_to_end(days, acc, 7, &k, day + 1, NULL,
                                              &e),
                     CSM_OK);
    ck_assert_double_eq_tol(days[1], 90, 1e-12);
    ck_assert_double_eq_tol(days[3], 364, 1e-12);
    /* without the kind column every row is recurring: account 4's one-time
     * charge ending 2024-04-10 is now the nearest, 10 days after D */
    csm_contracts all = k;
    all.kind = NULL;
    ck_assert_int_eq(csm_renewals_days_to_end(days, acc, 1, &all, day, NULL, &e),
                     CSM_OK);
    ck_assert_double_eq_tol(days[0], 10, 1e-12);
    /* no accounts: nothing written, NULL arrays allowed */
    ck_assert_int_eq(csm_renewals_days_to_end(NULL, NULL, 0, &k, day, NULL, &e),
                     CSM_OK);
    /* no contracts: NaN */
    csm_contracts none = {.n = 0};
    ck_assert_int_eq(csm_renewals_days_to_end(days, acc, 2, &none, day, NULL,
                                              &e),
                     CSM_OK);
    ck_assert(isnan(days[0]) && isnan(days[1]));
}
END_TEST

/* a 64-bit LCG (Knuth's MMIX constants), its high bits, for the random
 * contracts of test_days_naive */
static uint64_t days_rng;
static uint64_t days_rnd(void) {
    days_rng = days_rng * 6364136223846793005ull + 1442695040888963407ull;
    return days_rng >> 33;
}

START_TEST(test_days_naive) {
    /* random contracts (ids 0..19, some kinds not recurring) against the
     * naive definition: for each account, a scan of every contract */
    enum { NR = 200, NA = 25 };
    int64_t c[NR];
    int32_t s[NR], en[NR], cnt[NR];
    double am[NR];
    uint8_t kd[NR];
    days_rng = 1000 + (uint64_t)_i;
    for (int i = 0; i < NR; i++) {
        c[i] = (int64_t)(days_rnd() % 20);
        s[i] = 19000 + (int32_t)(days_rnd() % 800);
        en[i] = s[i] + (int32_t)(days_rnd() % 400);
        cnt[i] = 1 + (int32_t)(days_rnd() % 12);
        am[i] = (double)(days_rnd() % 1000);
        kd[i] = (uint8_t)(days_rnd() % 4 == 0 ? days_rnd() % 3 : 0);
    }
    csm_contracts k = {.customer_id = c, .start_day = s, .end_day = en,
                       .amount = am, .interval_count = cnt, .kind = kd,
                       .n = NR};
    int64_t acc[NA];
    for (int a = 0; a < NA; a++) /* 20 and 21 have no contract */
        acc[a] = a < 2 ? 20 + a : (int64_t)(days_rnd() % 22);
    int32_t day = 19200 + (int32_t)(days_rnd() % 600); /* mid-range */
    double days[NA];
    ck_assert_int_eq(csm_renewals_days_to_end(days, acc, NA, &k, day, NULL,
                                              NULL),
                     CSM_OK);
    int found = 0, missing = 0;
    for (int a = 0; a < NA; a++) {
        double best = NAN;
        for (int i = 0; i < NR; i++)
            if (c[i] == acc[a] && kd[i] == CSM_CHARGE_RECURRING &&
                en[i] >= day && (isnan(best) || en[i] - day < best))
                best = en[i] - day;
        if (isnan(best)) {
            ck_assert(isnan(days[a]));
            missing++;
        } else {
            ck_assert_double_eq_tol(days[a], best, 1e-12);
            found++;
        }
    }
    /* both answers occur */
    ck_assert_int_gt(found, 0);
    ck_assert_int_gt(missing, 0);
}
END_TEST

START_TEST(test_days_errors) {
    csm_contracts k = days_fixture();
    int32_t day = csm_day(2024, 3, 31);
    const int64_t acc[2] = {1, 2};
    double days[2] = {-7, -7};
    csm_error e;
    ck_assert_int_eq(csm_renewals_days_to_end(NULL, acc, 2, &k, day, NULL, &e),
                     CSM_EINVAL);
    ck_assert_str_eq(e.field, "days");
    ck_assert_int_eq(csm_renewals_days_to_end(days, NULL, 2, &k, day, NULL, &e),
                     CSM_EINVAL);
    ck_assert_str_eq(e.field, "account_id");
    ck_assert_int_eq(csm_renewals_days_to_end(days, acc, 2, NULL, day, NULL, &e),
                     CSM_EINVAL);
    ck_assert_str_eq(e.field, "contracts");
    /* the contract checks of csm_renewals_compute: row 4 ends before it
     * starts; row 2 has a NaN amount; the amount column is required */
    int32_t bad_end[ND];
    memcpy(bad_end, ded, sizeof bad_end);
    bad_end[4] = dsd[4] - 1;
    csm_contracts kb = k;
    kb.end_day = bad_end;
    ck_assert_int_eq(csm_renewals_days_to_end(days, acc, 2, &kb, day, NULL, &e),
                     CSM_EDOMAIN);
    ck_assert_uint_eq(e.row, 4);
    ck_assert_str_eq(e.field, "end_day");
    double bad_amt[ND];
    memcpy(bad_amt, damt, sizeof bad_amt);
    bad_amt[2] = NAN;
    kb = k;
    kb.amount = bad_amt;
    ck_assert_int_eq(csm_renewals_days_to_end(days, acc, 2, &kb, day, NULL, &e),
                     CSM_EDOMAIN);
    ck_assert_uint_eq(e.row, 2);
    ck_assert_str_eq(e.field, "amount");
    kb = k;
    kb.amount = NULL;
    ck_assert_int_eq(csm_renewals_days_to_end(days, acc, 2, &kb, day, NULL, &e),
                     CSM_EINVAL);
    ck_assert_str_eq(e.field, "amount");
    uint8_t bad_kind[ND];
    memcpy(bad_kind, dkind, sizeof bad_kind);
    bad_kind[6] = 9;
    kb = k;
    kb.kind = bad_kind;
    ck_assert_int_eq(csm_renewals_days_to_end(days, acc, 2, &kb, day, NULL, &e),
                     CSM_EINVAL);
    ck_assert_uint_eq(e.row, 6);
    /* options: a size too small, an allocator without free */
    csm_renewals_opts o = CSM_RENEWALS_OPTS_INIT;
    o.size = 1;
    ck_assert_int_eq(csm_renewals_days_to_end(days, acc, 2, &k, day, &o, &e),
                     CSM_EINVAL);
    ck_assert_str_eq(e.field, "opts.size");
    fail_ctx f = {-1, 0};
    csm_allocator half = {fail_alloc, NULL, &f, NULL};
    o = (csm_renewals_opts)CSM_RENEWALS_OPTS_INIT;
    o.allocator = &half;
    ck_assert_int_eq(csm_renewals_days_to_end(days, acc, 2, &k, day, &o, &e),
                     CSM_EINVAL);
    ck_assert_str_eq(e.field, "opts.allocator");
    /* days is written only on success */
    ck_assert_double_eq(days[0], -7);
    ck_assert_double_eq(days[1], -7);
}
END_TEST

START_TEST(test_days_oom) {
    csm_contracts k = days_fixture();
    int32_t day = csm_day(2024, 3, 31);
    const int64_t acc[2] = {1, 2};
    int done = 0;
    for (long b = 0; b < 10 && !done; b++) {
        double days[2] = {-7, -7};
        fail_ctx f = {b, 0};
        csm_allocator a = {fail_alloc, fail_free, &f, NULL};
        csm_renewals_opts o = CSM_RENEWALS_OPTS_INIT;
        o.allocator = &a;
        csm_status s = csm_renewals_days_to_end(days, acc, 2, &k, day, &o, NULL);
        ck_assert(s == CSM_OK || s == CSM_ENOMEM);
        ck_assert_int_eq(f.live, 0);
        done = s == CSM_OK;
        if (done) {
            ck_assert_double_eq_tol(days[0], 91, 1e-12); /* test_days_to_end */
            ck_assert_double_eq_tol(days[1], 0, 1e-12);
        } else {
            ck_assert_double_eq(days[0], -7);
        }
    }
    ck_assert(done);
}
END_TEST

/* Pending: a due contract without a renewal whose grace period runs past
 * opts.as_of_day.  The fixture's row 5 (customer 3) ends 2024-12-31 with
 * nothing after it: a renewal starting by 2025-01-01 + 90 days = 2025-04-01
 * (31 + 28 + 31 days) would still be on time, so it is pending for an
 * as_of_day up to 2025-03-31 and churned from 2025-04-01.  Pending, it is
 * due and not renewed yet: the rates stay the fixture's (5/7 and
 * 0.8247022645), churned 0 and pending 1 with its value 600; the late row
 * 6 and the renewed rows do not depend on as_of_day (their renewals are
 * in the data). */
START_TEST(test_pending) {
    csm_contracts k = fixture();
    csm_renewals_opts o = CSM_RENEWALS_OPTS_INIT;
    ck_assert_int_eq(o.as_of_day, INT32_MAX); /* CSM_RENEWALS_AS_OF_NONE */
    csm_renewals *r = NULL;
    uint8_t oc[N];
    int64_t mt[N];
    o.as_of_day = csm_day(2024, 12, 31);
    ck_assert_int_eq(csm_renewals_compute(&r, oc, mt, &k, w0, w1, &o, NULL),
                     CSM_OK);
    ck_assert_int_eq(r->due[0], 7);
    ck_assert_int_eq(r->renewed[0], 5);
    ck_assert_int_eq(r->late[0], 1);
    ck_assert_int_eq(r->churned[0], 0);
    ck_assert_int_eq(r->pending[0], 1);
    ck_assert_double_eq_tol(r->due_value[0], 4900, TOL);
    ck_assert_double_eq_tol(r->pending_value[0], 600, TOL);
    ck_assert_double_eq_tol(r->churned_value[0], 0, TOL);
    ck_assert_double_eq_tol(r->renewed_value[0], 4041.041095890411, TOL);
    ck_assert_double_eq_tol(r->logo_renewal_rate[0], 5.0 / 7, 1e-12);
    ck_assert_double_eq_tol(r->dollar_renewal_rate[0], 0.8247022644674308, 1e-9);
    ck_assert_uint_eq(r->flags[0], 0);
    ck_assert_int_eq(oc[5], CSM_RENEWALS_PENDING);
    ck_assert_int_eq(mt[5], -1);
    ck_assert_int_eq(oc[6], CSM_RENEWALS_LATE);
    ck_assert_int_eq(oc[0], CSM_RENEWALS_RENEWED);
    /* its row in "renewal_contracts": the third due contract (0 2 5 ...) */
    ck_assert_int_eq(r->contract_row[2], 5);
    ck_assert_str_eq(r->contract_outcome[2], "pending");
    ck_assert_int_eq(r->contract_outcome_code[2], CSM_RENEWALS_PENDING);
    ck_assert(isnan(r->contract_days_to_renewal[2]));
    ck_assert_int_eq(r->contract_renewal_row[2], -1);
    ck_assert_double_eq(r->contract_renewal_value[2], 0);
    ck_assert_uint_eq(r->contract_counts_as_renewed[2], 0);
    csm_renewals_free(r);
    /* the last day of the grace period: still pending; the day after the
     * last on-time start: churned, as without as_of_day */
    o.as_of_day = csm_day(2025, 3, 31);
    ck_assert_int_eq(csm_renewals_compute(&r, oc, NULL, &k, w0, w1, &o, NULL),
                     CSM_OK);
    ck_assert_int_eq(oc[5], CSM_RENEWALS_PENDING);
    ck_assert_int_eq(r->pending[0], 1);
    csm_renewals_free(r);
    o.as_of_day = csm_day(2025, 4, 1);
    ck_assert_int_eq(csm_renewals_compute(&r, oc, NULL, &k, w0, w1, &o, NULL),
                     CSM_OK);
    ck_assert_int_eq(oc[5], CSM_RENEWALS_CHURNED);
    ck_assert_int_eq(r->pending[0], 0);
    ck_assert_int_eq(r->churned[0], 1);
    ck_assert_double_eq_tol(r->pending_value[0], 0, TOL);
    ck_assert_double_eq_tol(r->logo_renewal_rate[0], 5.0 / 7, 1e-12);
    csm_renewals_free(r);
}
END_TEST

/* Upsells of a pending contract count as a churned one's do.  Customer 1:
 * A 2024-01-01..
 * 2024-11-30 (335 days) 1000 with the in-term upsell B 2024-07-01..
 * 2024-11-30 (153 days) 153, worth 153 x 335/153 = 335 over A's term;
 * nothing after A.  Customer 2: C 2024-01-01..2024-06-30 (182 days) 500,
 * renewed by D 2024-07-01..2024-12-31 (184 days) 460: 460 x 182/184 =
 * 455.  Window 2024-06-01..2024-11-30 (D ends after it), upsells
 * included:
 * - as_of_day 2024-11-30: A pending (a renewal may start until
 *   2024-12-01 + 90 days = 2025-03-01).  due 2, value 1000 + 335 + 500 =
 *   1835; pending value 1000; renewed value 455 + 335 (upsells enter both
 *   sides) = 790; logo 1/2, dollar 790/1835 = 0.430517711 (calculator).
 * - default (no as_of_day): A churned, churned value 1000; the same rates.
 * - window 2024-11-01..2024-11-30 with as_of_day 2024-11-30: A alone, and
 *   pending: logo 0/1, dollar 335/1335 = 0.250936330 (calculator). */
START_TEST(test_pending_upsells) {
    static const int d[4][6] = {{2024, 1, 1, 2024, 11, 30},
                                {2024, 7, 1, 2024, 11, 30},
                                {2024, 1, 1, 2024, 6, 30},
                                {2024, 7, 1, 2024, 12, 31}};
    static const int64_t c4[4] = {1, 1, 2, 2};
    static const double v4[4] = {1000, 153, 500, 460};
    static const uint8_t term_unit[4] = {CSM_UNIT_TERM, CSM_UNIT_TERM,
                                         CSM_UNIT_TERM, CSM_UNIT_TERM};
    int32_t s4[4], e4[4];
    term_days_of(d, 4, s4, e4);
    csm_contracts k = {.customer_id = c4, .start_day = s4, .end_day = e4,
                       .amount = v4, .interval_unit = term_unit, .n = 4};
    csm_renewals_opts o = CSM_RENEWALS_OPTS_INIT;
    o.include_upsells = 1;
    o.as_of_day = csm_day(2024, 11, 30);
    int32_t a0 = csm_day(2024, 6, 1), a1 = csm_day(2024, 11, 30);
    csm_renewals *r = NULL;
    ck_assert_int_eq(csm_renewals_compute(&r, NULL, NULL, &k, a0, a1, &o, NULL),
                     CSM_OK);
    ck_assert_int_eq(r->due[0], 2);
    ck_assert_int_eq(r->pending[0], 1);
    ck_assert_int_eq(r->renewed[0], 1);
    ck_assert_int_eq(r->churned[0], 0);
    ck_assert_double_eq_tol(r->due_value[0], 1835, TOL);
    ck_assert_double_eq_tol(r->pending_value[0], 1000, TOL);
    ck_assert_double_eq_tol(r->churned_value[0], 0, TOL);
    ck_assert_double_eq_tol(r->renewed_value[0], 790, TOL);
    ck_assert_double_eq_tol(r->upsell_value[0], 335, TOL);
    ck_assert_double_eq_tol(r->logo_renewal_rate[0], 0.5, 1e-12);
    ck_assert_double_eq_tol(r->dollar_renewal_rate[0], 0.4305177111716621, 1e-12);
    csm_renewals_free(r);
    o.as_of_day = CSM_RENEWALS_AS_OF_NONE;
    ck_assert_int_eq(csm_renewals_compute(&r, NULL, NULL, &k, a0, a1, &o, NULL),
                     CSM_OK);
    ck_assert_int_eq(r->pending[0], 0);
    ck_assert_int_eq(r->churned[0], 1);
    ck_assert_double_eq_tol(r->pending_value[0], 0, TOL);
    ck_assert_double_eq_tol(r->renewed_value[0], 790, TOL);
    ck_assert_double_eq_tol(r->churned_value[0], 1000, TOL);
    ck_assert_double_eq_tol(r->logo_renewal_rate[0], 0.5, 1e-12);
    ck_assert_double_eq_tol(r->dollar_renewal_rate[0], 0.4305177111716621, 1e-12);
    csm_renewals_free(r);
    o.as_of_day = csm_day(2024, 11, 30);
    ck_assert_int_eq(csm_renewals_compute(&r, NULL, NULL, &k,
                                          csm_day(2024, 11, 1), a1, &o, NULL),
                     CSM_OK);
    ck_assert_int_eq(r->due[0], 1);
    ck_assert_int_eq(r->pending[0], 1);
    ck_assert_int_eq(r->churned[0], 0);
    ck_assert_double_eq_tol(r->logo_renewal_rate[0], 0, 1e-12);
    ck_assert_double_eq_tol(r->dollar_renewal_rate[0], 0.250936329588015, 1e-12);
    ck_assert_uint_eq(r->flags[0], 0);
    csm_renewals_free(r);
}
END_TEST

/* Issue 13, findings 1, 5 and 8 for renewals (contracts checked as
 * csm_ledger_from_contracts checks them): a day outside
 * 0001-01-01..9999-12-31 is CSM_EDOMAIN at its row; amounts whose term
 * value passes CSM_SUM_MAX (1e300) are CSM_ERANGE at the row, field
 * "amount"; the as-of day of csm_renewals_days_to_end outside the range
 * is CSM_EDOMAIN, field "day".  A contract of 1e299 a month over 365 days is
 * worth 1e299 x 365 x 12/365 = 1.2e300 over its term. */
START_TEST(test_day_and_sum_range) {
    const int64_t cid[] = {1, 2};
    int32_t cs[] = {csm_day(2024, 1, 1), INT32_MIN};
    int32_t ce[] = {csm_day(2024, 12, 30), csm_day(2024, 12, 30)};
    double amt[] = {100, 100};
    const int32_t cnt[] = {1, 1};
    csm_contracts k = {0};
    k.customer_id = cid;
    k.start_day = cs;
    k.end_day = ce;
    k.amount = amt;
    k.interval_count = cnt;
    k.n = 2;
    csm_renewals *r = NULL;
    csm_error e;
    const int32_t v0 = csm_day(2024, 1, 1), v1 = csm_day(2025, 12, 31);
    ck_assert_int_eq(csm_renewals_compute(&r, NULL, NULL, &k, v0, v1, NULL, &e),
                     CSM_EDOMAIN);
    ck_assert_ptr_null(r);
    ck_assert_uint_eq(e.row, 1);
    ck_assert_str_eq(e.field, "start_day");
    cs[1] = csm_day(2024, 1, 1);
    ce[1] = CSM_DAY_MAX + 1;
    ck_assert_int_eq(csm_renewals_compute(&r, NULL, NULL, &k, v0, v1, NULL, &e),
                     CSM_EDOMAIN);
    ck_assert_str_eq(e.field, "end_day");
    ce[1] = csm_day(2024, 12, 30); /* 365 days: 12 months of 1e299 */
    amt[1] = 1e299;
    ck_assert_int_eq(csm_renewals_compute(&r, NULL, NULL, &k, v0, v1, NULL, &e),
                     CSM_ERANGE);
    ck_assert_uint_eq(e.row, 1);
    ck_assert_str_eq(e.field, "amount");
    amt[1] = 100;
    const int64_t acc[] = {1};
    double days[1];
    ck_assert_int_eq(csm_renewals_days_to_end(days, acc, 1, &k, CSM_DAY_MAX + 1,
                                              NULL, &e),
                     CSM_EDOMAIN);
    ck_assert_str_eq(e.field, "day");
    /* in range: 2024-12-30 is 364 days after 2024-01-01 (leap year) */
    ck_assert_int_eq(csm_renewals_days_to_end(days, acc, 1, &k,
                                              csm_day(2024, 1, 1), NULL, &e),
                     CSM_OK);
    ck_assert_double_eq(days[0], 364);
}
END_TEST

int main(void) {
    Suite *s = suite_create("renewals");
    TCase *tc = tcase_create("csm_renewals_compute");
    tcase_add_test(tc, test_fixture);
    tcase_add_test(tc, test_options);
    tcase_add_test(tc, test_shuffle);
    tcase_add_test(tc, test_errors);
    tcase_add_test(tc, test_shared_contracts);
    tcase_add_test(tc, test_unit_term);
    tcase_add_test(tc, test_shared_errors);
    tcase_add_test(tc, test_pending);
    tcase_add_test(tc, test_pending_upsells);
    suite_add_tcase(s, tc);
    tc = tcase_create("csm_renewals_days_to_end");
    tcase_add_test(tc, test_days_to_end);
    tcase_add_loop_test(tc, test_days_naive, 0, 8);
    tcase_add_test(tc, test_days_errors);
    suite_add_tcase(s, tc);
    tc = tcase_create("tables");
    tcase_add_test(tc, test_tables);
    tcase_add_test(tc, test_contracts);
    tcase_add_test(tc, test_arrow);
    suite_add_tcase(s, tc);
    tc = tcase_create("edge");
    tcase_add_test(tc, test_edge);
    tcase_add_test(tc, test_signed_early);
    tcase_add_test(tc, test_day_and_sum_range);
    tcase_add_test(tc, test_oom);
    tcase_add_test(tc, test_days_oom);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
