/* test-catalog.c - the metric catalog (csmetrics/catalog.h).
 *
 * Expected values: the aliases users know (NRR = NDR = net dollar
 * retention, CRR = logo retention, GRR, quick ratio) are the list;
 * the units are the column types the families declare in their column
 * lists (retention.h: nrr is FRACTION; movements.h: closing_mrr MONEY;
 * nps.h: nps NUMBER), read here from the typed headers' tables through a
 * computed result, not from the catalog's own code. */
#include <check.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "csmetrics/csmetrics.h"

static void lower_squash(char *dst, const char *s) {
    for (; *s; s++)
        if (*s != ' ' && *s != '-' && *s != '_')
            *dst++ = (char)tolower((unsigned char)*s);
    *dst = 0;
}

START_TEST(test_entries_resolve) {
    size_t n = csm_catalog_count();
    ck_assert_uint_ge(n, 25);
    /* no name or alias (squashed) names two entries, so a lookup is never
     * ambiguous */
    char seen[512][64];
    size_t owner[512];
    size_t ns = 0;
    for (size_t i = 0; i < n; i++) {
        csm_catalog_entry e;
        ck_assert_int_eq(csm_catalog_get(&e, i, NULL), CSM_OK);
        ck_assert_ptr_nonnull(e.name);
        ck_assert_ptr_nonnull(e.title);
        ck_assert_ptr_nonnull(e.formula);
        ck_assert_ptr_nonnull(e.formula_words);
        ck_assert_ptr_nonnull(e.options);
        ck_assert_msg(e.unit != 0 && e.column_doc != NULL,
                      "%s: column %s.%s is not in its family's list", e.name,
                      e.table, e.column);
        for (int p = 0; p < CSM_CATALOG_N_PRESETS; p++)
            ck_assert_ptr_nonnull(e.presets[p]);
        ck_assert_uint_ge(e.n_aliases, 1);
        for (size_t k = 0; k <= e.n_aliases; k++) {
            const char *w = k == 0 ? e.name : e.aliases[k - 1];
            char sq[64];
            ck_assert_uint_lt(strlen(w), sizeof sq);
            lower_squash(sq, w);
            for (size_t j = 0; j < ns; j++)
                ck_assert_msg(owner[j] == i || strcmp(seen[j], sq) != 0,
                              "'%s' names two entries", w);
            ck_assert_uint_lt(ns, 512);
            owner[ns] = i;
            strcpy(seen[ns++], sq);
            /* each finds its own entry */
            csm_catalog_entry f;
            ck_assert_int_eq(csm_catalog_find(&f, w, NULL), CSM_OK);
            ck_assert_str_eq(f.name, e.name);
        }
    }
    csm_catalog_entry e;
    csm_error err;
    ck_assert_int_eq(csm_catalog_get(&e, n, &err), CSM_EINVAL);
    ck_assert_int_eq(csm_catalog_get(NULL, 0, &err), CSM_EINVAL);
}
END_TEST

START_TEST(test_aliases) {
    csm_catalog_entry e;
    const char *nrr[] = {"nrr", "NRR", "NDR", "net dollar retention",
                         "Net-Dollar-Retention", "NER"};
    for (size_t i = 0; i < sizeof nrr / sizeof nrr[0]; i++) {
        ck_assert_int_eq(csm_catalog_find(&e, nrr[i], NULL), CSM_OK);
        ck_assert_str_eq(e.name, "nrr");
        ck_assert_str_eq(e.table, "retention");
        ck_assert_str_eq(e.column, "nrr");
    }
    ck_assert_int_eq(csm_catalog_find(&e, "CRR", NULL), CSM_OK);
    ck_assert_str_eq(e.name, "logo_retention");
    ck_assert_int_eq(csm_catalog_find(&e, "GRR", NULL), CSM_OK);
    ck_assert_str_eq(e.name, "grr");
    ck_assert_int_eq(csm_catalog_find(&e, "quick ratio", NULL), CSM_OK);
    ck_assert_str_eq(e.name, "quick_ratio");
    ck_assert_str_eq(e.column, "quick_ratio");
    csm_error err;
    ck_assert_int_eq(csm_catalog_find(&e, "ebitda", &err), CSM_EINVAL);
    ck_assert_str_eq(err.field, "name");
    ck_assert_int_eq(csm_catalog_find(&e, "", &err), CSM_EINVAL);
    ck_assert_int_eq(csm_catalog_find(&e, NULL, &err), CSM_EINVAL);
}
END_TEST

/* The unit and description of an entry are its column's, as a computed
 * table describes it. */
static void check_unit(const char *metric, const csm_table *t) {
    csm_catalog_entry e;
    ck_assert_int_eq(csm_catalog_find(&e, metric, NULL), CSM_OK);
    const csm_column *c = csm_table_find(t, e.column);
    ck_assert_ptr_nonnull(c);
    ck_assert_int_eq(e.unit, c->type);
    ck_assert_str_eq(e.column_doc, c->doc);
}

START_TEST(test_units_from_tables) {
    int64_t cust[] = {1, 2};
    int32_t per[] = {24288, 24289};
    double mrr[] = {10, 20};
    csm_ledger *l = NULL;
    ck_assert_int_eq(csm_ledger_new(&l, cust, per, mrr, NULL, 2, NULL, NULL),
                     CSM_OK);
    csm_movements *m = NULL;
    ck_assert_int_eq(csm_movements_compute(&m, l, NULL, NULL), CSM_OK);
    const csm_table *mt = csm_result_find(m->result, "movements");
    check_unit("mrr", mt);
    check_unit("quick_ratio", mt);
    check_unit("customer_churn_rate", mt);
    ck_assert_int_eq(csm_catalog_find(&(csm_catalog_entry){0}, "mrr", NULL),
                     CSM_OK);
    csm_retention_opts ro = CSM_RETENTION_OPTS_INIT;
    ro.window = 1;
    csm_retention *r = NULL;
    ck_assert_int_eq(csm_retention_compute(&r, l, &ro, NULL), CSM_OK);
    const csm_table *rt = csm_result_find(r->result, "retention");
    check_unit("nrr", rt);
    check_unit("GRR", rt);
    check_unit("CRR", rt);
    csm_catalog_entry e;
    ck_assert_int_eq(csm_catalog_find(&e, "nrr", NULL), CSM_OK);
    ck_assert_int_eq(e.unit, CSM_TYPE_FRACTION);
    ck_assert_int_eq(csm_catalog_find(&e, "arr", NULL), CSM_OK);
    ck_assert_int_eq(e.unit, CSM_TYPE_MONEY);
    ck_assert_int_eq(csm_catalog_find(&e, "nps", NULL), CSM_OK);
    ck_assert_int_eq(e.unit, CSM_TYPE_NUMBER);
    csm_retention_free(r);
    csm_movements_free(m);
    csm_ledger_free(l);
}
END_TEST

START_TEST(test_presets) {
    const char *names[] = {"default", "chartmogul_b2b", "stripe", "baremetrics"};
    for (int p = 0; p < 4; p++) {
        ck_assert_str_eq(csm_catalog_preset_name((csm_preset)p), names[p]);
        csm_preset q;
        ck_assert_int_eq(csm_catalog_preset(&q, names[p], NULL), CSM_OK);
        ck_assert_int_eq(q, p);
    }
    ck_assert_ptr_null(csm_catalog_preset_name((csm_preset)4));
    ck_assert_ptr_null(csm_catalog_preset_name((csm_preset)-1));
    csm_preset q;
    ck_assert_int_eq(csm_catalog_preset(&q, "Stripe", NULL), CSM_EINVAL);
    /* the retention entries state the movement-sum choice of the three
     * vendors' presets (csm_retention_opts_preset) */
    csm_catalog_entry e;
    ck_assert_int_eq(csm_catalog_find(&e, "nrr", NULL), CSM_OK);
    ck_assert_ptr_nonnull(strstr(e.presets[CSM_PRESET_DEFAULT], "snapshot"));
    ck_assert_ptr_nonnull(strstr(e.presets[CSM_PRESET_STRIPE], "movement sum"));
}
END_TEST

/* csm_sql_generate: aliases resolve to their table's query, the dialects
 * differ only in the date function, float type and quotes (docs/sql.md),
 * and bad options are CSM_EINVAL naming the option.  The figures of the
 * queries are tested on PostgreSQL and DuckDB by tests/sql/check_sql.py. */
START_TEST(test_sql) {
    char *q = NULL;
    csm_sql_opts o = CSM_SQL_OPTS_INIT;
    csm_error err;
    ck_assert_int_eq(csm_sql_generate(&q, "NDR", &o, &err), CSM_OK);
    ck_assert_ptr_nonnull(strstr(q, "-- libcsmetrics: retention (postgres)"));
    ck_assert_ptr_nonnull(strstr(q, "MAKE_DATE("));
    ck_assert_ptr_nonnull(strstr(q, "a.mon + 12"));  /* default window */
    ck_assert_ptr_nonnull(strstr(q, "LEAST(t.m1, t.m0)"));  /* snapshot GRR */
    csm_sql_free(q);
    ck_assert_int_eq(csm_sql_opts_preset(&o, CSM_PRESET_CHARTMOGUL_B2B), CSM_OK);
    ck_assert_int_eq(o.nrr_mode, CSM_NRR_MOVEMENT_SUM);
    o.dialect = CSM_SQL_BIGQUERY;
    ck_assert_int_eq(csm_sql_generate(&q, "grr", &o, &err), CSM_OK);
    ck_assert_ptr_nonnull(strstr(q, "GREATEST(t.m0 - t.loss_amt, 0)"));
    ck_assert_ptr_nonnull(strstr(q, " DATE(CAST("));
    ck_assert_ptr_nonnull(strstr(q, "`grr`"));
    ck_assert_ptr_null(strstr(q, "\"grr\""));
    csm_sql_free(q);
    o.dialect = CSM_SQL_SNOWFLAKE;
    ck_assert_int_eq(csm_sql_generate(&q, "quick ratio", &o, &err), CSM_OK);
    ck_assert_ptr_nonnull(strstr(q, "DATE_FROM_PARTS("));
    ck_assert_ptr_nonnull(strstr(q, "AS \"quick_ratio\""));
    csm_sql_free(q);
    /* renewals: the window is required; day 20089 = 2025-01-01, 20178 =
     * 2025-03-31 (csm_day); Snowflake counts days with DATEDIFF */
    ck_assert_int_eq(csm_sql_generate(&q, "logo_renewal_rate", &o, &err), CSM_EINVAL);
    ck_assert_ptr_null(q);
    ck_assert_str_eq(err.field, "opts.window_start");
    o.window_start = 20089;
    o.window_end = 20178;
    ck_assert_int_eq(csm_sql_generate(&q, "renewal rate", &o, &err), CSM_OK);
    ck_assert_ptr_nonnull(strstr(q, "-- libcsmetrics: renewals (snowflake)"));
    ck_assert_ptr_nonnull(strstr(q, "e >= 20089 AND e <= 20178"));
    ck_assert_ptr_nonnull(strstr(q, "m.gap <= 90 THEN 1"));  /* default grace */
    ck_assert_ptr_nonnull(strstr(q, "DATEDIFF(day, DATE '1970-01-01', start_date)"));
    ck_assert_ptr_nonnull(strstr(q, "FROM contracts"));
    ck_assert_ptr_nonnull(strstr(q, "CAST(NULL AS INTEGER) AS g"));  /* no grouping */
    csm_sql_free(q);
    /* each dialect's day count; the options reach the text: grace 30,
     * late renewals counted, upsells on both sides, as_of 20208
     * (2025-04-30), a group column and the id order */
    static const char *const days[] = {
        "(s0 - DATE '1970-01-01')", "DATE_DIFF('day', DATE '1970-01-01', s0)",
        "DATEDIFF(day, DATE '1970-01-01', s0)",
        "DATE_DIFF(s0, DATE '1970-01-01', DAY)"};
    csm_sql_opts r = o;
    r.start_column = "s0";
    r.group_column = "tier";
    r.id_column = "cid";
    r.grace_days = 30;
    r.late_counts = 1;
    r.include_upsells = 1;
    r.as_of_day = 20208;
    for (int d = CSM_SQL_POSTGRES; d <= CSM_SQL_BIGQUERY; d++) {
        r.dialect = d;
        ck_assert_int_eq(csm_sql_generate(&q, "dollar renewal rate", &r, &err), CSM_OK);
        ck_assert_ptr_nonnull(strstr(q, days[d]));
        ck_assert_ptr_nonnull(strstr(q, "ORDER BY cid, s, e, cid) AS rn"));
        ck_assert_ptr_nonnull(strstr(q, "tier AS g, cid"));
        ck_assert_ptr_nonnull(strstr(q, "+ 1 + 30 > 20208 THEN 5"));
        ck_assert_ptr_nonnull(strstr(q, "m.gap <= 30 THEN 1"));
        ck_assert_ptr_nonnull(strstr(q, "WHEN oc IN (1, 2) THEN cv"));
        ck_assert_ptr_nonnull(strstr(q, "COALESCE(SUM(v), 0) + COALESCE(SUM(uv), 0) AS due_value"));
        ck_assert_ptr_nonnull(strstr(q, "GROUP BY g"));
        csm_sql_free(q);
    }
    o.window_end = 20088;
    ck_assert_int_eq(csm_sql_generate(&q, "renewals", &o, &err), CSM_EINVAL);
    ck_assert_str_eq(err.field, "opts.window_end");
    o.window_end = CSM_DAY_MAX + 1;
    ck_assert_int_eq(csm_sql_generate(&q, "renewals", &o, &err), CSM_EINVAL);
    ck_assert_str_eq(err.field, "opts.window_start");
    o.window_end = 20178;
    o.grace_days = -1;
    ck_assert_int_eq(csm_sql_generate(&q, "renewals", &o, &err), CSM_EINVAL);
    ck_assert_str_eq(err.field, "opts.grace_days");
    o.grace_days = 90;
    o.value_column = "";
    ck_assert_int_eq(csm_sql_generate(&q, "renewals", &o, &err), CSM_EINVAL);
    ck_assert_str_eq(err.field, "opts");
    o.value_column = NULL;
    /* errors */
    ck_assert_int_eq(csm_sql_generate(&q, "ebitda", &o, &err), CSM_EINVAL);
    ck_assert_ptr_null(q);
    ck_assert_str_eq(err.field, "metric");
    o.by_segment = 1;
    ck_assert_int_eq(csm_sql_generate(&q, "movements", &o, &err), CSM_EINVAL);
    ck_assert_str_eq(err.field, "opts.by_segment");
    o.by_segment = 0;
    o.window = 0;
    ck_assert_int_eq(csm_sql_generate(&q, "nrr", &o, &err), CSM_EINVAL);
    ck_assert_str_eq(err.field, "opts.window");
    o.window = 12;
    o.churn_denominator = CSM_DENOM_DAILY;
    ck_assert_int_eq(csm_sql_generate(&q, "movements", &o, &err), CSM_EINVAL);
    ck_assert_str_eq(err.field, "opts.churn_denominator");
    o.churn_denominator = 0;
    o.dialect = 4;
    ck_assert_int_eq(csm_sql_generate(&q, "movements", &o, &err), CSM_EINVAL);
    ck_assert_str_eq(err.field, "opts.dialect");
    ck_assert_ptr_null(csm_sql_dialect_name((csm_sql_dialect)4));
    ck_assert_str_eq(csm_sql_dialect_name(CSM_SQL_DUCKDB), "duckdb");
    ck_assert_int_eq(csm_sql_generate(NULL, "nrr", NULL, &err), CSM_EINVAL);
    ck_assert_int_eq(csm_sql_generate(&q, NULL, NULL, &err), CSM_EINVAL);
    /* the NPS interval's z is the library's normal quantile (95%: 1.959963984540054) */
    ck_assert_int_eq(csm_sql_generate(&q, "nps", NULL, &err), CSM_OK);
    ck_assert_ptr_nonnull(strstr(q, "nps - 1.95996398454005"));
    csm_sql_free(q);
}
END_TEST

/* Keys: the KEY columns of the column lists, read by hand from the headers
 * (retention.h: end_month MONTH, segment CODE; cohorts.h's cells: cohort
 * MONTH, segment CODE, age NUMBER; nps.h's result columns have no key). */
START_TEST(test_keys) {
    const char *k[CSM_CATALOG_MAX_KEYS];
    csm_type t[CSM_CATALOG_MAX_KEYS];
    size_t n = 99;
    csm_error err;
    ck_assert_int_eq(csm_catalog_keys(k, t, &n, "retention", &err), CSM_OK);
    ck_assert_uint_eq(n, 2);
    ck_assert_str_eq(k[0], "end_month");
    ck_assert_int_eq(t[0], CSM_TYPE_MONTH);
    ck_assert_str_eq(k[1], "segment");
    ck_assert_int_eq(t[1], CSM_TYPE_CODE);
    ck_assert_int_eq(csm_catalog_keys(k, NULL, &n, "cohort_cells", &err), CSM_OK);
    ck_assert_uint_eq(n, 3);
    ck_assert_str_eq(k[0], "cohort");
    ck_assert_str_eq(k[1], "segment");
    ck_assert_str_eq(k[2], "age");
    ck_assert_int_eq(csm_catalog_keys(k, t, &n, "nps", &err), CSM_OK);
    ck_assert_uint_eq(n, 0);
    n = 99;
    ck_assert_int_eq(csm_catalog_keys(k, t, &n, "ledger", &err), CSM_EINVAL);
    ck_assert_str_eq(err.field, "table");
    ck_assert_uint_eq(n, 0);
    ck_assert_int_eq(csm_catalog_keys(NULL, t, &n, "nps", &err), CSM_EINVAL);
    ck_assert_int_eq(csm_catalog_keys(k, t, NULL, "nps", &err), CSM_EINVAL);
    ck_assert_int_eq(csm_catalog_keys(k, t, &n, NULL, &err), CSM_EINVAL);
    /* every entry's table has keys the CLI's exports can use */
    csm_catalog_entry e;
    for (size_t i = 0; i < csm_catalog_count(); i++) {
        ck_assert_int_eq(csm_catalog_get(&e, i, NULL), CSM_OK);
        ck_assert_int_eq(csm_catalog_keys(k, t, &n, e.table, &err), CSM_OK);
    }
    ck_assert_str_eq(csm_sql_query_table("cohorts"), "cohort_cells");
    ck_assert_str_eq(csm_sql_query_table("retention"), "retention");
    ck_assert_ptr_null(csm_sql_query_table("NRR"));
    ck_assert_str_eq(csm_sql_query_table("renewals"), "renewals");
    ck_assert_ptr_null(csm_sql_query_table("renewal_rate"));
    ck_assert_ptr_null(csm_sql_query_table(NULL));
}
END_TEST

int main(void) {
    Suite *s = suite_create("catalog");
    TCase *tc = tcase_create("catalog");
    tcase_add_test(tc, test_entries_resolve);
    tcase_add_test(tc, test_aliases);
    tcase_add_test(tc, test_units_from_tables);
    tcase_add_test(tc, test_presets);
    tcase_add_test(tc, test_sql);
    tcase_add_test(tc, test_keys);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
