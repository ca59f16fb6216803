/* test-duckdb.c - the Arrow export (csm_table_export_arrow) read by a real
 * consumer: DuckDB's C API.  The producers (producers.c, shared with the
 * generator of docs/columns.md) build one or more results of every family
 * from the hand-worked fixtures of its suite; a last, internal producer
 * here (make_demo) covers the values no fixture reaches.  For every table
 * of every producer's result, the exported schema and array become a DuckDB view, `SELECT * FROM
 * "<table>"` reads it back, and every value of every column is compared
 * with the C result (check_table): doubles bit for bit (NULL where C holds
 * NaN), months as the DATE of the first of the month (computed here by
 * counting days), integers equal, NULL exactly where C holds an
 * undefined-value sentinel, text byte for byte, booleans equal; the column
 * names and DuckDB's column types too.  Each table is then read again from
 * a second, identical result that the caller freed right after exporting
 * (the export's own reference must keep the data alive), and twice more as
 * a DuckDB data chunk that takes the array over (duckdb_data_chunk_from_
 * arrow), with and without the caller's reference.  Every result and
 * export is allocated through a counting allocator that overwrites freed
 * blocks: a read of freed data shows up as a mismatch, a block not given
 * back (a reference the export never drops) in the count; valgrind (make
 * test-arrow) and ASan check the same by other means.  SQL queries with
 * hand-worked answers about each producer's fixture complete the picture.
 *
 * Output: TAP (meson's protocol 'tap'); the exit status is non-zero on any
 * mismatch.  Built only when DuckDB's library and header are installed
 * (make deps-duckdb; tests/arrow/meson.build); run by make test-arrow.
 *
 * Ownership in duckdb_arrow_array_scan (DuckDB's src/main/capi/arrow-c.cpp,
 * v1.5.5 and main): DuckDB wraps the caller's ArrowSchema and ArrowArray in
 * an ArrowArrayStream whose get_schema / get_next hand out shallow copies
 * with no-op release callbacks; the stream's release frees only its own
 * private data, and duckdb_destroy_arrow_stream deletes the stream.  So
 * DuckDB never releases our schema or array: we release both ourselves,
 * after the last query that reads the view and after destroying the
 * stream.  The view keeps a pointer to the stream (and the stream to our
 * two structs), so it is dropped before the stream is destroyed, and the
 * structs stay at fixed addresses meanwhile.  get_next hands the array out
 * once: a view made this way can be scanned by one query only (a second
 * SELECT returns no rows), and it must be read with SELECT * (see
 * sql_value: DuckDB's issue #17012).
 */
#include <duckdb.h>

#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csmetrics/csmetrics.h"
#include "internal/table.h"
#include "producers.h"

/* ---- TAP ----------------------------------------------------------------- */
static int n_tests, n_failed;

static void tap(int pass, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    n_tests++;
    n_failed += !pass;
    printf("%s %d - ", pass ? "ok" : "not ok", n_tests);
    vprintf(fmt, ap);
    putchar('\n');
    va_end(ap);
    fflush(stdout);
}

/* Mismatches of the check in progress: the first few are printed as TAP
 * diagnostics, all are counted. */
static long n_mismatch;
static int quiet; /* count without printing (the self-check in main) */

static void mismatch(const char *fmt, ...) {
    if (n_mismatch++ >= 12 || quiet)
        return;
    va_list ap;
    va_start(ap, fmt);
    fputs("#   ", stdout);
    vprintf(fmt, ap);
    putchar('\n');
    va_end(ap);
}

/* ---- expected values, worked out independently of lib/table.c ------------ */
static int leap(int64_t y) {
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int month_days(int64_t y, int m) {
    static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return d[m - 1] + (m == 2 && leap(y));
}

/* Days from 1970-01-01 to the first day of month index `month`
 * (csm_month(y, m) = 12y + m - 1) by counting whole years and months. */
static int64_t naive_first_day(int32_t month) {
    int64_t y = month >= 0 ? month / 12 : -((-(int64_t)month + 11) / 12);
    int m = (int)(month - 12 * y) + 1;
    int64_t d = 0;
    for (int64_t k = 1970; k < y; k++)
        d += 365 + leap(k);
    for (int64_t k = y; k < 1970; k++)
        d -= 365 + leap(k);
    for (int k = 1; k < m; k++)
        d += month_days(y, k);
    return d;
}

/* Whether C row i of column c is undefined (csmetrics/table.h, "Undefined
 * values"), written out here rather than taken from csm_column_is_valid. */
static int c_is_null(const csm_column *c, size_t i) {
    switch (c->storage) {
    case CSM_STORAGE_F64: return isnan(((const double *)c->data)[i]);
    case CSM_STORAGE_I32:
        return (c->type == CSM_TYPE_MONTH || c->type == CSM_TYPE_CODE ||
                c->type == CSM_TYPE_DAY) &&
               ((const int32_t *)c->data)[i] == INT32_MIN;
    case CSM_STORAGE_STR: return ((const char *const *)c->data)[i] == NULL;
    default: return 0;
    }
}

/* The DuckDB column type a column must arrive as (docs/tables.md's Arrow
 * mapping: date32 -> DATE, int32 -> INTEGER, int64 -> BIGINT, uint32 ->
 * UINTEGER, float64 -> DOUBLE, boolean -> BOOLEAN, uint8 -> UTINYINT,
 * utf8 -> VARCHAR). */
static duckdb_type expected_type(const csm_column *c) {
    switch (c->storage) {
    case CSM_STORAGE_I32:
        return c->type == CSM_TYPE_MONTH || c->type == CSM_TYPE_DAY
                   ? DUCKDB_TYPE_DATE
                   : DUCKDB_TYPE_INTEGER;
    case CSM_STORAGE_I64: return DUCKDB_TYPE_BIGINT;
    case CSM_STORAGE_U32: return DUCKDB_TYPE_UINTEGER;
    case CSM_STORAGE_F64: return DUCKDB_TYPE_DOUBLE;
    case CSM_STORAGE_U8:
        return c->type == CSM_TYPE_BOOL ? DUCKDB_TYPE_BOOLEAN
                                        : DUCKDB_TYPE_UTINYINT;
    case CSM_STORAGE_STR: return DUCKDB_TYPE_VARCHAR;
    }
    return DUCKDB_TYPE_INVALID;
}

static const char *type_name(duckdb_type t) {
    switch (t) {
    case DUCKDB_TYPE_DATE: return "DATE";
    case DUCKDB_TYPE_INTEGER: return "INTEGER";
    case DUCKDB_TYPE_BIGINT: return "BIGINT";
    case DUCKDB_TYPE_UINTEGER: return "UINTEGER";
    case DUCKDB_TYPE_DOUBLE: return "DOUBLE";
    case DUCKDB_TYPE_BOOLEAN: return "BOOLEAN";
    case DUCKDB_TYPE_UTINYINT: return "UTINYINT";
    case DUCKDB_TYPE_VARCHAR: return "VARCHAR";
    default: return "another type";
    }
}

/* ---- one table through DuckDB -------------------------------------------- */
/* An exported table scanned as a DuckDB view named after the table. */
typedef struct view {
    struct ArrowSchema schema;
    struct ArrowArray array;
    duckdb_arrow_stream stream;
    char name[64];     /* the table's name (copied: the table may be gone) */
    char sql_name[80]; /* the same, quoted */
} view;

static void view_close(duckdb_connection conn, view *v) {
    char sql[128];
    duckdb_result res;
    snprintf(sql, sizeof sql, "DROP VIEW IF EXISTS %s", v->sql_name);
    if (duckdb_query(conn, sql, &res) != DuckDBSuccess)
        mismatch("%s: %s", sql, duckdb_result_error(&res));
    duckdb_destroy_result(&res);
    duckdb_destroy_arrow_stream(&v->stream); /* NULL is allowed */
    /* ours to release (header comment) */
    if (v->array.release)
        v->array.release(&v->array);
    if (v->schema.release)
        v->schema.release(&v->schema);
}

/* Export table t of r and make it the view "<t->name>".  When free_first,
 * the caller's reference to r is released between the export and the
 * scan.  On failure nothing is left to close. */
static int view_open(duckdb_connection conn, view *v, csm_result *r,
                     const csm_table *t, int free_first) {
    memset(v, 0, sizeof *v);
    snprintf(v->name, sizeof v->name, "%s", t->name);
    snprintf(v->sql_name, sizeof v->sql_name, "\"%s\"", t->name);
    csm_error e;
    csm_status st = csm_table_export_arrow(&v->schema, &v->array, r, t, &e);
    if (free_first)
        csm_result_free(r); /* from here on only the export holds r */
    if (st != CSM_OK) {
        mismatch("csm_table_export_arrow(%s): %s", v->name,
                 csm_status_name(st));
        return 0;
    }
    if (duckdb_arrow_array_scan(conn, v->name, (duckdb_arrow_schema)&v->schema,
                                (duckdb_arrow_array)&v->array,
                                &v->stream) != DuckDBSuccess) {
        mismatch("duckdb_arrow_array_scan(%s) failed", v->name);
        view_close(conn, v);
        return 0;
    }
    return 1;
}

static int valid_bit(const uint64_t *validity, idx_t row) {
    return validity == NULL || (validity[row / 64] >> (row % 64) & 1);
}

/* Compare DuckDB row `row` of vector (data, validity) with C row i of c. */
static void compare_value(const csm_column *c, size_t i, const void *data,
                          const uint64_t *validity, idx_t row) {
    int want_null = c_is_null(c, i);
    int is_null = !valid_bit(validity, row);
    if (want_null != is_null) {
        mismatch("%s[%zu]: DuckDB %s, C %s", c->name, i,
                 is_null ? "NULL" : "a value",
                 want_null ? "undefined" : "a value");
        return;
    }
    if (want_null)
        return;
    switch (c->storage) {
    case CSM_STORAGE_F64: {
        double want = ((const double *)c->data)[i];
        double got = ((const double *)data)[row];
        if (memcmp(&want, &got, sizeof want) != 0)
            mismatch("%s[%zu]: DuckDB %.17g, C %.17g", c->name, i, got, want);
        break;
    }
    case CSM_STORAGE_I32: {
        int32_t v = ((const int32_t *)c->data)[i];
        int32_t got = ((const int32_t *)data)[row]; /* duckdb_date.days too */
        int64_t want = v;
        if (c->type == CSM_TYPE_MONTH) {
            want = naive_first_day(v);
            /* the library's own calendar must agree with the count */
            int32_t lib = csm_day(csm_month_year(v), csm_month_month(v), 1);
            if (lib != want)
                mismatch("%s[%zu]: csm_day %" PRId32 ", day count %" PRId64,
                         c->name, i, lib, want);
        }
        if (got != want)
            mismatch("%s[%zu]: DuckDB %" PRId32 ", expected %" PRId64,
                     c->name, i, got, want);
        break;
    }
    case CSM_STORAGE_I64: {
        int64_t want = ((const int64_t *)c->data)[i];
        int64_t got = ((const int64_t *)data)[row];
        if (got != want)
            mismatch("%s[%zu]: DuckDB %" PRId64 ", C %" PRId64, c->name, i,
                     got, want);
        break;
    }
    case CSM_STORAGE_U32: {
        uint32_t want = ((const uint32_t *)c->data)[i];
        uint32_t got = ((const uint32_t *)data)[row];
        if (got != want)
            mismatch("%s[%zu]: DuckDB %" PRIu32 ", C %" PRIu32, c->name, i,
                     got, want);
        break;
    }
    case CSM_STORAGE_U8: {
        unsigned want = ((const uint8_t *)c->data)[i];
        unsigned got;
        if (c->type == CSM_TYPE_BOOL) {
            want = want != 0;
            got = ((const bool *)data)[row];
        } else {
            got = ((const uint8_t *)data)[row];
        }
        if (got != want)
            mismatch("%s[%zu]: DuckDB %u, C %u", c->name, i, got, want);
        break;
    }
    case CSM_STORAGE_STR: {
        const char *want = ((const char *const *)c->data)[i];
        duckdb_string_t s = ((const duckdb_string_t *)data)[row];
        uint32_t len = duckdb_string_t_length(s);
        const char *got = duckdb_string_t_data(&s);
        if (len != strlen(want) || memcmp(got, want, len) != 0)
            mismatch("%s[%zu]: DuckDB '%.*s', C '%s'", c->name, i, (int)len,
                     got, want);
        break;
    }
    }
}

/* Read the view of table `ref` with SELECT * and compare every column
 * (name, type) and every value with ref. */
static void compare_query(duckdb_connection conn, const view *v,
                          const csm_table *ref) {
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT * FROM %s", v->sql_name);
    duckdb_result res;
    if (duckdb_query(conn, sql, &res) != DuckDBSuccess) {
        mismatch("%s: %s", sql, duckdb_result_error(&res));
        duckdb_destroy_result(&res);
        return;
    }
    idx_t nc = duckdb_column_count(&res);
    if (nc != ref->n_columns) {
        mismatch("%" PRIu64 " columns, C %zu", (uint64_t)nc, ref->n_columns);
        duckdb_destroy_result(&res);
        return;
    }
    for (idx_t j = 0; j < nc; j++) {
        const csm_column *c = &ref->columns[j];
        const char *name = duckdb_column_name(&res, j);
        if (!name || strcmp(name, c->name) != 0)
            mismatch("column %" PRIu64 ": DuckDB '%s', C '%s'", (uint64_t)j,
                     name ? name : "(null)", c->name);
        duckdb_type got = duckdb_column_type(&res, j), want = expected_type(c);
        if (got != want)
            mismatch("%s: DuckDB type %s (%d), expected %s", c->name,
                     type_name(got), (int)got, type_name(want));
    }
    size_t row0 = 0;
    duckdb_data_chunk chunk;
    while ((chunk = duckdb_fetch_chunk(res)) != NULL) {
        idx_t n = duckdb_data_chunk_get_size(chunk);
        if (row0 + n > ref->n_rows) {
            mismatch("more than %zu rows", ref->n_rows);
            duckdb_destroy_data_chunk(&chunk);
            break;
        }
        for (idx_t j = 0; j < nc; j++) {
            const csm_column *c = &ref->columns[j];
            if (duckdb_column_type(&res, j) != expected_type(c))
                continue; /* reported above; the bytes would not compare */
            duckdb_vector vec = duckdb_data_chunk_get_vector(chunk, j);
            const void *data = duckdb_vector_get_data(vec);
            const uint64_t *validity = duckdb_vector_get_validity(vec);
            for (idx_t k = 0; k < n; k++)
                compare_value(c, row0 + k, data, validity, k);
        }
        row0 += n;
        duckdb_destroy_data_chunk(&chunk);
    }
    if (row0 != ref->n_rows)
        mismatch("%zu rows, C %zu", row0, ref->n_rows);
    duckdb_destroy_result(&res);
}

/* Export table src_t of src, let DuckDB read it and compare with ref_t
 * (src_t itself, or the same table of an identical result).  free_first:
 * src is freed right after the export, before DuckDB reads anything. */
static void scan_compare(duckdb_connection conn, csm_result *src,
                         const csm_table *src_t, const csm_table *ref_t,
                         int free_first) {
    view v;
    if (view_open(conn, &v, src, src_t, free_first)) {
        compare_query(conn, &v, ref_t);
        view_close(conn, &v);
    }
}

/* The other way in, the C API's non-deprecated one: the exported schema
 * becomes a converted schema (duckdb_schema_from_arrow, which only reads
 * it: we release it) and the array a data chunk (duckdb_data_chunk_from_
 * arrow, which takes the array over: it sets our release callback to NULL
 * and calls it when the chunk is destroyed - arrow-c.cpp).  The chunk's
 * vectors are compared with ref_t like the query's. */
static void chunk_compare(duckdb_connection conn, csm_result *src,
                          const csm_table *src_t, const csm_table *ref_t,
                          int free_first) {
    struct ArrowSchema s;
    struct ArrowArray a;
    csm_status st = csm_table_export_arrow(&s, &a, src, src_t, NULL);
    if (free_first)
        csm_result_free(src);
    if (st != CSM_OK) {
        mismatch("csm_table_export_arrow: %s", csm_status_name(st));
        return;
    }
    duckdb_arrow_converted_schema cs = NULL;
    duckdb_data_chunk chunk = NULL;
    duckdb_error_data err = duckdb_schema_from_arrow(conn, &s, &cs);
    if (!err)
        err = duckdb_data_chunk_from_arrow(conn, &a, cs, &chunk);
    if (err) {
        mismatch("DuckDB: %s", duckdb_error_data_message(err));
        duckdb_destroy_error_data(&err);
    }
    if (chunk && a.release)
        mismatch("duckdb_data_chunk_from_arrow left the array to us");
    if (a.release) /* not taken over (error) */
        a.release(&a);
    idx_t nc = chunk ? duckdb_data_chunk_get_column_count(chunk) : 0;
    idx_t n = chunk ? duckdb_data_chunk_get_size(chunk) : 0;
    if (chunk && nc != ref_t->n_columns)
        mismatch("%" PRIu64 " columns, C %zu", (uint64_t)nc, ref_t->n_columns);
    else if (chunk && n != ref_t->n_rows)
        mismatch("%" PRIu64 " rows, C %zu", (uint64_t)n, ref_t->n_rows);
    else
        for (idx_t j = 0; j < nc; j++) {
            const csm_column *c = &ref_t->columns[j];
            duckdb_vector vec = duckdb_data_chunk_get_vector(chunk, j);
            duckdb_logical_type lt = duckdb_vector_get_column_type(vec);
            duckdb_type got = duckdb_get_type_id(lt);
            duckdb_destroy_logical_type(&lt);
            if (got != expected_type(c)) {
                mismatch("%s: DuckDB type %s (%d), expected %s", c->name,
                         type_name(got), (int)got,
                         type_name(expected_type(c)));
                continue;
            }
            const void *data = duckdb_vector_get_data(vec);
            const uint64_t *validity = duckdb_vector_get_validity(vec);
            for (idx_t k = 0; k < n; k++)
                compare_value(c, k, data, validity, k);
        }
    duckdb_destroy_data_chunk(&chunk); /* releases our array */
    duckdb_destroy_arrow_converted_schema(&cs);
    s.release(&s);
}

/* The check every table gets: export, scan, SELECT *, compare all. */
static void check_table(duckdb_connection conn, csm_result *r,
                        const csm_table *t) {
    n_mismatch = 0;
    scan_compare(conn, r, t, t, 0);
    tap(n_mismatch == 0, "%s/%s: %zu rows x %zu columns equal in DuckDB",
        csm_result_kind(r), t->name, t->n_rows, t->n_columns);
}

/* ---- SQL spot checks with hand-worked answers ---------------------------- */
/* The value of the scalar query `query` over table `table` of r (%s in
 * the query stands for it) as a double; NaN when NULL or on error.
 *
 * The query does not read the view directly: the view is copied into a
 * temporary table with SELECT * first.  duckdb_arrow_array_scan registers
 * DuckDB's "arrow_scan" table function, which pushes projections and
 * filters down to the stream and expects the stream to apply them; the C
 * API's stream wrapper ignores them and returns every column, so a query
 * that reads some columns (or filters) gets the wrong columns back.  This
 * is DuckDB's open issue duckdb/duckdb#17012 ("Incorrect column mapping
 * when querying arrow table, using C API", still so in 1.5.6); SELECT *
 * is the one query that reads such a view correctly. */
static double sql_value(duckdb_connection conn, csm_result *r,
                        const char *table, const char *query) {
    view v;
    double out = NAN;
    if (!view_open(conn, &v, r, csm_result_find(r, table), 0))
        return out;
    char copy[96], sql[512];
    snprintf(copy, sizeof copy, "\"%s_copy\"", table);
    snprintf(sql, sizeof sql,
             "CREATE OR REPLACE TEMP TABLE %s AS SELECT * FROM %s", copy,
             v.sql_name);
    duckdb_result res;
    duckdb_state st = duckdb_query(conn, sql, &res);
    if (st != DuckDBSuccess)
        mismatch("%s: %s", sql, duckdb_result_error(&res));
    duckdb_destroy_result(&res);
    view_close(conn, &v);
    if (st != DuckDBSuccess)
        return out;
    char inner[400];
    snprintf(inner, sizeof inner, query, copy);
    snprintf(sql, sizeof sql, "SELECT CAST((%s) AS DOUBLE)", inner);
    if (duckdb_query(conn, sql, &res) == DuckDBSuccess) {
        duckdb_data_chunk chunk = duckdb_fetch_chunk(res);
        if (chunk && duckdb_data_chunk_get_size(chunk) > 0) {
            duckdb_vector vec = duckdb_data_chunk_get_vector(chunk, 0);
            if (valid_bit(duckdb_vector_get_validity(vec), 0))
                out = ((const double *)duckdb_vector_get_data(vec))[0];
        }
        duckdb_destroy_data_chunk(&chunk);
    } else {
        mismatch("%s: %s", sql, duckdb_result_error(&res));
    }
    duckdb_destroy_result(&res);
    snprintf(sql, sizeof sql, "DROP TABLE %s", copy);
    if (duckdb_query(conn, sql, &res) != DuckDBSuccess)
        mismatch("%s: %s", sql, duckdb_result_error(&res));
    duckdb_destroy_result(&res);
    return out;
}

static void sql_check(duckdb_connection conn, csm_result *r, const char *table,
                      const char *query, double want) {
    n_mismatch = 0;
    char sql[512];
    snprintf(sql, sizeof sql, query, table);
    double got = sql_value(conn, r, table, query);
    tap(got == want, "%s = %.10g (DuckDB: %.17g)", sql, want, got);
}

/* ---- SQL spot checks of the producers' results ---------------------------
 * The producers (producers.c) build every family's result from the hand-
 * worked fixtures of its suite; the answers below are worked out from the
 * fixture comments there (and in tests/test-<family>.c).  A double that
 * is not exact in binary is compared after round() or after scaling by
 * its denominator.  DuckDB names such as "group", "key", "time" and
 * "period" are quoted. */

/* movements: MRR by month 700, 450, 300, 340, 690, 690; customers 4, 4,
 * 3, 3, 5, 5 (producers.c, the ledger fixture). */
static void sql_movements(duckdb_connection conn, csm_result *r) {
    sql_check(conn, r, "movements",
              "SELECT closing_mrr FROM %s WHERE month = DATE '2024-04-01'",
              340);
    sql_check(conn, r, "movements",
              "SELECT customers FROM %s WHERE month = DATE '2024-05-01'", 5);
    /* not by segment: the "all segments" code is NULL in all 6 rows */
    sql_check(conn, r, "movements",
              "SELECT count(*) FROM %s WHERE segment IS NULL", 6);
    /* no customers before M0: the churn rate of 2024-01 is NULL */
    sql_check(conn, r, "movements",
              "SELECT count(*) FROM %s WHERE customer_churn_rate IS NULL "
              "AND month = DATE '2024-01-01'",
              1);
}

static void sql_movements_by_segment(duckdb_connection conn, csm_result *r) {
    /* the segments' closing MRR adds up to the month's total */
    sql_check(conn, r, "movements",
              "SELECT sum(closing_mrr) FROM %s WHERE month = DATE '2024-06-01'",
              690);
    sql_check(conn, r, "movements",
              "SELECT count(DISTINCT segment) FROM %s WHERE segment < 0", 1);
    sql_check(conn, r, "movements",
              "SELECT count(*) FROM %s WHERE segment IS NULL", 0);
}

/* retention, window 1, t1 = 2024-01..03: t1 2024-01 has an empty base
 * (every rate NULL); t1 2024-02: base 700, GRR = 400/700; t1 2024-03:
 * base 450, NRR 300/450; t0 is always the month before t1. */
static void sql_retention(duckdb_connection conn, csm_result *r) {
    sql_check(conn, r, "retention",
              "SELECT count(*) FROM %s WHERE grr IS NULL AND nrr IS NULL AND "
              "logo_retention IS NULL AND end_month = DATE '2024-01-01'",
              1);
    sql_check(conn, r, "retention",
              "SELECT round(grr * 700, 9) FROM %s "
              "WHERE end_month = DATE '2024-02-01'",
              400);
    sql_check(conn, r, "retention",
              "SELECT round(nrr * 450, 9) FROM %s "
              "WHERE end_month = DATE '2024-03-01'",
              300);
    sql_check(conn, r, "retention",
              "SELECT count(*) FROM %s WHERE segment IS NULL AND "
              "start_month = end_month - INTERVAL 1 MONTH",
              3);
}

/* retention by segment, window 3, t1 = 2024-04..06 x segments 1, 2:
 * (2024-04, 1) base A100 B200 E100 = 400; (2024-04, 2) base D alone, none
 * retained; (2024-06, 2) C: NRR 80/50 = 1.6. */
static void sql_retention_by_segment(duckdb_connection conn, csm_result *r) {
    sql_check(conn, r, "retention", "SELECT count(*) FROM %s", 6);
    sql_check(conn, r, "retention",
              "SELECT base_mrr FROM %s WHERE end_month = DATE '2024-04-01' "
              "AND segment = 1",
              400);
    sql_check(conn, r, "retention",
              "SELECT retained_customers FROM %s WHERE end_month = "
              "DATE '2024-04-01' AND segment = 2",
              0);
    sql_check(conn, r, "retention",
              "SELECT round(nrr, 9) FROM %s WHERE end_month = "
              "DATE '2024-06-01' AND segment = 2",
              1.6);
}

/* cohorts 2024-01 {A B D E}, 2024-02 {C}, 2024-04 {F}, ages 0..5: cells
 * past 2024-06 are NULL (C at age 5, F at ages 3..5: 4 cells); F at age 2
 * has MRR 90; C at age 3 has 80 of its 50: mrr_frac 1.6. */
static void sql_cohorts(duckdb_connection conn, csm_result *r) {
    sql_check(conn, r, "cohorts", "SELECT sum(size) FROM %s", 6);
    sql_check(conn, r, "cohorts",
              "SELECT count(*) FROM %s WHERE segment IS NULL", 3);
    sql_check(conn, r, "cohort_cells",
              "SELECT count(*) FROM %s WHERE customers IS NULL", 4);
    sql_check(conn, r, "cohort_cells",
              "SELECT mrr FROM %s WHERE cohort = DATE '2024-04-01' AND age = 2",
              90);
    sql_check(conn, r, "cohort_cells",
              "SELECT round(mrr_frac, 9) FROM %s WHERE cohort = "
              "DATE '2024-02-01' AND age = 3",
              1.6);
}

/* D keyed to 2023-12: its cohort has 0 customers at age 0, so its 7
 * fractions are NULL besides the 7 unobserved cells (14 NULL fractions,
 * 7 NULL counts in 28 cells), and the cohort is flagged
 * CSM_FLAG_ZERO_DENOMINATOR (2).  2023-12-01 is day 19723 - 31 = 19692. */
static void sql_cohorts_key(duckdb_connection conn, csm_result *r) {
    sql_check(conn, r, "cohort_cells", "SELECT count(*) FROM %s", 28);
    sql_check(conn, r, "cohort_cells",
              "SELECT count(*) FROM %s WHERE customers_frac IS NULL", 14);
    sql_check(conn, r, "cohort_cells",
              "SELECT count(*) FROM %s WHERE customers IS NULL", 7);
    sql_check(conn, r, "cohorts",
              "SELECT date_diff('day', DATE '1970-01-01', min(cohort)) FROM %s",
              19692);
    sql_check(conn, r, "cohorts",
              "SELECT flags & 2 FROM %s WHERE cohort = DATE '2023-12-01'", 2);
}

/* by segment: (2024-01, 1) {A B E} size 3 and (2024-01, 2) {D}; at age 4
 * their MRR is 220 + 300 = 520, the all-segment cohort's. */
static void sql_cohorts_by_segment(duckdb_connection conn, csm_result *r) {
    sql_check(conn, r, "cohorts", "SELECT count(DISTINCT segment) FROM %s", 2);
    sql_check(conn, r, "cohorts",
              "SELECT size FROM %s WHERE cohort = DATE '2024-01-01' AND "
              "segment = 1",
              3);
    sql_check(conn, r, "cohort_cells", "SELECT count(*) FROM %s", 24);
    sql_check(conn, r, "cohort_cells",
              "SELECT sum(mrr) FROM %s WHERE cohort = DATE '2024-01-01' AND "
              "age = 4",
              520);
}

/* KM by group with the overall curve (group NULL): overall S = 4/5, 3/5,
 * 3/10, 0 at t = 1, 2, 3, 5, median 3; group 1 median 1; group 2 rmst
 * 2 x 1 + 3 x 2/3 = 4; one S = 0 row per curve, with NULL stderr. */
static void sql_km_groups(duckdb_connection conn, csm_result *r) {
    sql_check(conn, r, "km",
              "SELECT count(*) FROM %s WHERE \"group\" IS NULL", 4);
    sql_check(conn, r, "km",
              "SELECT round(survival * 10, 9) FROM %s WHERE \"group\" IS NULL "
              "AND \"time\" = 3",
              3);
    sql_check(conn, r, "km",
              "SELECT count(*) FROM %s WHERE stderr IS NULL AND lower IS NULL "
              "AND upper IS NULL AND survival = 0",
              3);
    sql_check(conn, r, "km_groups",
              "SELECT median FROM %s WHERE \"group\" IS NULL", 3);
    sql_check(conn, r, "km_groups",
              "SELECT median FROM %s WHERE \"group\" = 1", 1);
    sql_check(conn, r, "km_groups",
              "SELECT round(rmst, 9) FROM %s WHERE \"group\" = 2", 4);
}

/* 6-MP: 16 rows, median 23, median_low 13, median_high not reached
 * (NULL); S(23) = 160/357. */
static void sql_km_6mp(duckdb_connection conn, csm_result *r) {
    sql_check(conn, r, "km", "SELECT count(*) FROM %s", 16);
    sql_check(conn, r, "km",
              "SELECT round(survival * 357, 9) FROM %s WHERE \"time\" = 23",
              160);
    sql_check(conn, r, "km_groups", "SELECT median FROM %s", 23);
    sql_check(conn, r, "km_groups", "SELECT median_low FROM %s", 13);
    sql_check(conn, r, "km_groups",
              "SELECT count(*) FROM %s WHERE median_high IS NULL AND "
              "\"group\" IS NULL",
              1);
}

/* lifetimes: durations 6 2 2 3 1 1 1, events 0 1 1 0 0 1 1, segments
 * 1 1 2 2 1 2 1; E (5) first active 2024-06. */
static void sql_lifetimes(duckdb_connection conn, csm_result *r) {
    sql_check(conn, r, "lifetimes", "SELECT sum(duration) FROM %s", 16);
    sql_check(conn, r, "lifetimes", "SELECT count(*) FROM %s WHERE event", 4);
    sql_check(conn, r, "lifetimes", "SELECT sum(segment) FROM %s", 10);
    sql_check(conn, r, "lifetimes",
              "SELECT count(*) FROM %s WHERE customer_id = 5 AND "
              "first_month = DATE '2024-06-01'",
              1);
}

/* sBG fits: High End (alpha 0.668, beta 3.806 published), Regular, and
 * the flat curve that cannot be fitted (NULL estimates, not converged). */
static void sql_sbg(duckdb_connection conn, csm_result *r) {
    sql_check(conn, r, "sbg", "SELECT count(*) FROM %s", 3);
    sql_check(conn, r, "sbg",
              "SELECT count(*) FROM %s WHERE alpha IS NULL AND beta IS NULL",
              1);
    sql_check(conn, r, "sbg", "SELECT sum(converged) FROM %s", 2);
    sql_check(conn, r, "sbg",
              "SELECT round(alpha, 3) FROM %s WHERE round(beta, 3) = 3.806",
              0.668);
}

/* the High End projection for 1000 customers: survivors(8) =
 * 460.478958809, r(0) NULL, P(T = 0) = 0. */
static void sql_sbg_curve(duckdb_connection conn, csm_result *r) {
    sql_check(conn, r, "sbg_curve", "SELECT count(*) FROM %s", 13);
    sql_check(conn, r, "sbg_curve",
              "SELECT round(survivors, 6) FROM %s WHERE \"period\" = 8",
              460.478959);
    sql_check(conn, r, "sbg_curve",
              "SELECT count(*) FROM %s WHERE retention IS NULL AND "
              "\"period\" = 0",
              1);
    sql_check(conn, r, "sbg_curve",
              "SELECT churn FROM %s WHERE \"period\" = 0", 0);
}

/* renewals: 7 due (value 4900), 5 renewed, 1 late (gap 136 days), 1
 * churned (row 5: no renewal, renewal_row -1); due days 2024-02-29 (row
 * 0) and 2024-12-31 (rows 5 and 11). */
static void sql_renewals(duckdb_connection conn, csm_result *r) {
    sql_check(conn, r, "renewals",
              "SELECT due FROM %s WHERE \"group\" IS NULL", 7);
    sql_check(conn, r, "renewals", "SELECT due_value FROM %s", 4900);
    sql_check(conn, r, "renewals",
              "SELECT renewed * 100 + late * 10 + churned FROM %s", 511);
    sql_check(conn, r, "renewal_contracts",
              "SELECT count(*) FROM %s WHERE outcome = 'churned' AND "
              "days_to_renewal IS NULL",
              1);
    sql_check(conn, r, "renewal_contracts",
              "SELECT days_to_renewal FROM %s WHERE outcome = 'late'", 136);
    sql_check(conn, r, "renewal_contracts",
              "SELECT renewal_row FROM %s WHERE outcome = 'churned'", -1);
    sql_check(conn, r, "renewal_contracts",
              "SELECT count(*) FROM %s WHERE counts_as_renewed", 5);
    sql_check(conn, r, "renewal_contracts",
              "SELECT contract_row FROM %s WHERE due_day = DATE '2024-02-29'",
              0);
    sql_check(conn, r, "renewal_contracts",
              "SELECT count(*) FROM %s WHERE due_day = DATE '2024-12-31'", 2);
}

/* by segment with late_counts: segment 1 = rows 0 2 8 9, all renewed;
 * segment 2 = rows 5 6 11: 11 renewed and 6 late (counted) = 2. */
static void sql_renewals_by_segment(duckdb_connection conn, csm_result *r) {
    sql_check(conn, r, "renewals", "SELECT count(*) FROM %s", 2);
    sql_check(conn, r, "renewals",
              "SELECT renewed FROM %s WHERE \"group\" = 2", 2);
    sql_check(conn, r, "renewals", "SELECT sum(renewed) FROM %s", 6);
    sql_check(conn, r, "renewal_contracts",
              "SELECT count(*) FROM %s WHERE \"group\" = 2", 3);
    sql_check(conn, r, "renewal_contracts",
              "SELECT count(*) FROM %s WHERE counts_as_renewed", 6);
}

/* team, 2024-01: no owner = 1 account of 400 (share 0.4); owner 7 = MRR
 * 300, 200 at risk; 2 CSMs, 3600 ARR per CSM, owned ARR 7200. */
static void sql_team(duckdb_connection conn, csm_result *r) {
    sql_check(conn, r, "team",
              "SELECT accounts FROM %s WHERE owner IS NULL", 1);
    sql_check(conn, r, "team",
              "SELECT round(share_of_mrr, 9) FROM %s WHERE owner IS NULL", 0.4);
    sql_check(conn, r, "team", "SELECT mrr FROM %s WHERE owner = 7", 300);
    sql_check(conn, r, "team", "SELECT at_risk_mrr FROM %s WHERE owner = 7",
              200);
    sql_check(conn, r, "team_summary",
              "SELECT arr_per_csm FROM %s WHERE month = DATE '2024-01-01'",
              3600);
    sql_check(conn, r, "team_summary", "SELECT n_csm FROM %s", 2);
    sql_check(conn, r, "team_summary", "SELECT owned_arr FROM %s", 7200);
}

/* an empty ledger: no owner rows; the summary's month and per-CSM figures
 * are NULL (0 CSMs). */
static void sql_team_empty(duckdb_connection conn, csm_result *r) {
    sql_check(conn, r, "team", "SELECT count(*) FROM %s", 0);
    sql_check(conn, r, "team_summary",
              "SELECT count(*) FROM %s WHERE month IS NULL AND "
              "accounts_per_csm IS NULL AND arr_per_csm IS NULL AND n_csm = 0",
              1);
}

/* activity by account: account 1 licensed 50, stickiness 0.35; account 3
 * has 4 NULL rates; feature_breadth is measure 5. */
static void sql_activity(duckdb_connection conn, csm_result *r) {
    sql_check(conn, r, "activity",
              "SELECT licensed_seats FROM %s WHERE \"key\" = 1", 50);
    sql_check(conn, r, "activity_measures", "SELECT count(*) FROM %s", 21);
    sql_check(conn, r, "activity_measures",
              "SELECT count(*) FROM %s WHERE rate IS NULL AND \"key\" = 3", 4);
    sql_check(conn, r, "activity_measures",
              "SELECT count(*) FROM %s WHERE rate IS NULL", 4);
    sql_check(conn, r, "activity_measures",
              "SELECT round(rate, 9) FROM %s WHERE \"key\" = 1 AND "
              "measure = 'stickiness'",
              0.35);
    sql_check(conn, r, "activity_measures",
              "SELECT measure_code FROM %s WHERE \"key\" = 2 AND "
              "measure = 'feature_breadth'",
              5);
}

/* by segment: segment 2 activation 90/105, unweighted mean 0.45. */
static void sql_activity_by_segment(duckdb_connection conn, csm_result *r) {
    sql_check(conn, r, "activity",
              "SELECT n_accounts FROM %s WHERE \"key\" = 2", 2);
    sql_check(conn, r, "activity_measures",
              "SELECT round(rate * 105, 9) FROM %s WHERE \"key\" = 2 AND "
              "measure = 'activation_rate'",
              90);
    sql_check(conn, r, "activity_measures",
              "SELECT round(mean, 9) FROM %s WHERE \"key\" = 2 AND "
              "measure = 'activation_rate'",
              0.45);
}

/* health: A 66.875 (yellow, no override), B 40 (yellow, capped), C 7.5
 * ("open P1"); B's change -40; A and B moved; A's contributions add up to
 * 66.875, its usage group to 45; B's tickets are missing (NULL). */
static void sql_health(duckdb_connection conn, csm_result *r) {
    sql_check(conn, r, "health", "SELECT score FROM %s WHERE account = 0",
              66.875);
    sql_check(conn, r, "health",
              "SELECT count(*) FROM %s WHERE band = 'yellow'", 2);
    sql_check(conn, r, "health",
              "SELECT count(*) FROM %s WHERE \"override\" IS NULL", 1);
    sql_check(conn, r, "health",
              "SELECT score FROM %s WHERE \"override\" = 'open P1'", 7.5);
    sql_check(conn, r, "health", "SELECT change FROM %s WHERE account = 1",
              -40);
    sql_check(conn, r, "health", "SELECT count(*) FROM %s WHERE moved", 2);
    sql_check(conn, r, "health_measures",
              "SELECT round(sum(contribution), 9) FROM %s WHERE account = 0",
              66.875);
    sql_check(conn, r, "health_measures",
              "SELECT count(*) FROM %s WHERE measure_score IS NULL AND "
              "account = 1 AND measure_name = 'tickets'",
              1);
    sql_check(conn, r, "health_measures",
              "SELECT measure FROM %s WHERE account = 2 AND "
              "measure_name = 'sponsor'",
              3);
    sql_check(conn, r, "health_groups", "SELECT count(*) FROM %s", 6);
    sql_check(conn, r, "health_groups",
              "SELECT round(group_contribution, 9) FROM %s WHERE account = 0 "
              "AND group_name = 'usage'",
              45);
}

/* NPS: group 101 NPS 20 with se^2 = 66 of 45 promoters; group 102 NPS
 * 30; the empty survey is the NULL group, every figure NULL, flags
 * CSM_FLAG_EMPTY (1). */
static void sql_nps(duckdb_connection conn, csm_result *r) {
    sql_check(conn, r, "nps",
              "SELECT round(nps, 9) FROM %s WHERE \"group\" = 101", 20);
    sql_check(conn, r, "nps",
              "SELECT round(se * se, 9) FROM %s WHERE \"group\" = 101", 66);
    sql_check(conn, r, "nps",
              "SELECT n_promoters FROM %s WHERE \"group\" = 101", 45);
    sql_check(conn, r, "nps",
              "SELECT round(nps, 9) FROM %s WHERE \"group\" = 102", 30);
    sql_check(conn, r, "nps",
              "SELECT flags FROM %s WHERE \"group\" IS NULL AND nps IS NULL "
              "AND ci_low IS NULL",
              1);
}

/* comparisons: row 0 diff 10 with se^2 = 127; row 1 (all promoters with
 * themselves) z and p NULL. */
static void sql_nps_diff(duckdb_connection conn, csm_result *r) {
    sql_check(conn, r, "nps_diff",
              "SELECT round(diff, 9) FROM %s WHERE \"group\" = 0", 10);
    sql_check(conn, r, "nps_diff",
              "SELECT round(se * se, 9) FROM %s WHERE \"group\" = 0", 127);
    sql_check(conn, r, "nps_diff",
              "SELECT \"group\" FROM %s WHERE z IS NULL AND p_value IS NULL",
              1);
}

/* CSAT: group 7 = 6 of 10 satisfied (0.6, se^2 0.024); group -3 (an
 * ordinary code, not NULL) is the empty survey. */
static void sql_csat(duckdb_connection conn, csm_result *r) {
    sql_check(conn, r, "csat",
              "SELECT round(csat, 9) FROM %s WHERE \"group\" = 7", 0.6);
    sql_check(conn, r, "csat",
              "SELECT satisfied FROM %s WHERE \"group\" = 7", 6);
    sql_check(conn, r, "csat",
              "SELECT round(se * se, 9) FROM %s WHERE \"group\" = 7", 0.024);
    sql_check(conn, r, "csat",
              "SELECT count(*) FROM %s WHERE \"group\" = -3 AND csat IS NULL",
              1);
}

/* CES: row 0 mean 3, sd^2 10/4; row 1 a single response, se NULL. */
static void sql_ces(duckdb_connection conn, csm_result *r) {
    sql_check(conn, r, "ces", "SELECT ces FROM %s WHERE \"group\" = 0", 3);
    sql_check(conn, r, "ces",
              "SELECT round(sd * sd, 9) FROM %s WHERE \"group\" = 0", 2.5);
    sql_check(conn, r, "ces",
              "SELECT ces FROM %s WHERE \"group\" = 1 AND se IS NULL AND "
              "sd IS NULL",
              4);
}

/* LTV: 4000 (group 1), 2880 capped (flags 8, group 2), floored (flags 4,
 * group 3), 699.2 from the ledger (the NULL group). */
static void sql_ltv(duckdb_connection conn, csm_result *r) {
    sql_check(conn, r, "ltv",
              "SELECT round(ltv, 9) FROM %s WHERE \"group\" = 1", 4000);
    sql_check(conn, r, "ltv",
              "SELECT round(ltv, 9) FROM %s WHERE \"group\" = 2 AND flags = 8",
              2880);
    sql_check(conn, r, "ltv", "SELECT flags FROM %s WHERE \"group\" = 3", 4);
    sql_check(conn, r, "ltv",
              "SELECT round(ltv, 9) FROM %s WHERE \"group\" IS NULL", 699.2);
}

/* figures 2400, 2000, 2, 25 and a NULL CAC flagged 2, rows 0..4. */
static void sql_metric(duckdb_connection conn, csm_result *r) {
    sql_check(conn, r, "metric",
              "SELECT round(value, 9) FROM %s WHERE \"group\" = 1", 2000);
    sql_check(conn, r, "metric",
              "SELECT round(value, 9) FROM %s WHERE \"group\" = 3", 25);
    sql_check(conn, r, "metric",
              "SELECT \"group\" * 10 + flags FROM %s WHERE value IS NULL", 42);
}

/* projection: scenario 0 reaches 1055.328 in month 3; scenario 1 and
 * scenario 0's month 0 are 1000: 5 rows of 8. */
static void sql_projection(duckdb_connection conn, csm_result *r) {
    sql_check(conn, r, "projection", "SELECT count(*) FROM %s", 8);
    sql_check(conn, r, "projection",
              "SELECT round(mrr, 9) FROM %s WHERE month = 3 AND scenario = 0",
              1055.328);
    sql_check(conn, r, "projection",
              "SELECT count(*) FROM %s WHERE mrr = 1000", 5);
}

/* A result made with the internal helpers (lib/internal/table.h), with
 * every storage and the values no family's fixture reaches: extreme
 * integers and dates, NaN, signed zero, infinities and subnormals, text
 * that is empty, long, UTF-8 or NULL, a uint8 NUMBER column, a month that
 * is CSM_MONTH_NONE, and a second table of 0 rows. */
typedef struct demo_view {
    csm_result *result;
    const char **label;
    uint8_t *ok;
    int32_t *day;
    int64_t *id;
    int32_t *month;
    int32_t *code;
    int32_t *count;
    uint32_t *flags;
    uint8_t *band;
    double *value;
    /* the empty table */
    const char **e_label;
    int32_t *e_month;
    double *e_value;
    int64_t *e_count;
    uint8_t *e_ok;
} demo_view;

#define DEMO_COLUMNS(X)                                                        \
    X(label, "label", TEXT, STR, MAIN, "a label")                              \
    X(ok, "ok", BOOL, U8, MAIN, "a yes/no answer")                             \
    X(day, "day", DAY, I32, DETAIL, "a day")                                   \
    X(id, "id", ID, I64, KEY, "an id")                                         \
    X(month, "month", MONTH, I32, KEY, "a month")                              \
    X(code, "code", CODE, I32, KEY, "a code")                                  \
    X(count, "count", COUNT, I32, MAIN, "a count in 32 bits")                 \
    X(flags, "flags", FLAGS, U32, DETAIL, "flag bits")                         \
    X(band, "band", NUMBER, U8, DETAIL, "a small number")                      \
    X(value, "value", NUMBER, F64, MAIN, "a number")
#define EMPTY_COLUMNS(X)                                                       \
    X(e_label, "label", TEXT, STR, MAIN, "a label")                            \
    X(e_month, "month", MONTH, I32, KEY, "a month")                            \
    X(e_value, "value", MONEY, F64, MAIN, "an amount")                         \
    X(e_count, "count", COUNT, I64, MAIN, "a count")                           \
    X(e_ok, "ok", BOOL, U8, DETAIL, "a yes/no answer")
#define COL(m, n, ty, st, r, d) CSM__COLDEF(demo_view, m, n, ty, st, r, d)
static const csm__coldef demo_cols[] = {DEMO_COLUMNS(COL)};
static const csm__coldef empty_cols[] = {EMPTY_COLUMNS(COL)};
#undef COL

#define DEMO_ROWS 12

static csm_result *make_demo(const csm_allocator *a) {
    csm__tabspec spec[] = {
        {"demo", demo_cols, CSM__NCOLS(demo_cols), DEMO_ROWS},
        {"demo_empty", empty_cols, CSM__NCOLS(empty_cols), 0},
    };
    demo_view *v = csm__result_new(a, "demo", sizeof *v, spec, 2, NULL, 0,
                                   256);
    if (!v)
        return NULL;
    /* short (inlined in DuckDB's string_t, <= 12 bytes), long, empty,
     * UTF-8, NULL */
    static const char *const words[DEMO_ROWS] = {
        "alpha", NULL, "", "Mid-Market", "\xc3\xa9t\xc3\xa9",
        "a label longer than twelve bytes", "x", NULL, "twelve bytes",
        "thirteen byte", "tab\there", "end"};
    static const int64_t ids[DEMO_ROWS] = {
        0, 1, -1, INT64_MAX, INT64_MIN, 1000000007, 42, 7, 8, 9, 10, 11};
    static const int32_t counts[DEMO_ROWS] = {
        INT32_MIN, -1, 0, 1, INT32_MAX, 5, 6, 7, 8, 9, 10, 11};
    static const uint32_t flags[DEMO_ROWS] = {
        0, 1, UINT32_MAX, 0x80000000u, 3, 4, 5, 6, 7, 8, 9, 10};
    /* months: 1969-12, 1970-01, 2024-02, 2000-03, year 1 January, 9999-12,
     * 1900-03, undefined, ... */
    const int32_t months[DEMO_ROWS] = {
        csm_month(1969, 12), csm_month(1970, 1), csm_month(2024, 2),
        csm_month(2000, 3),  csm_month(1, 1),    csm_month(9999, 12),
        csm_month(1900, 3),  CSM_MONTH_NONE,     csm_month(2100, 2),
        csm_month(1600, 2),  csm_month(2024, 12), CSM_MONTH_NONE};
    /* doubles: NaN (NULL), signed zero, infinities, the smallest
     * subnormal, the largest finite, and values whose decimal forms
     * round (bits must survive, not just printed digits) */
    const double values[DEMO_ROWS] = {
        NAN, -0.0, INFINITY, -INFINITY, 4.9406564584124654e-324,
        1.7976931348623157e308, 0.1, 0.1 + 0.2, 1.0 / 3.0, -2.5, 1e-300, 0.0};
    for (size_t i = 0; i < DEMO_ROWS; i++) {
        v->label[i] = words[i] ? csm__result_text(v, words[i]) : NULL;
        if (words[i] && !v->label[i]) {
            csm_result_free(v->result);
            return NULL; /* the pool is too small */
        }
        v->ok[i] = (uint8_t)(i % 3 == 0);
        v->day[i] = (int32_t)i * 40000 - 250000; /* -250000 .. 190000 */
        v->id[i] = ids[i];
        v->month[i] = months[i];
        v->code[i] = i % 4 == 1 ? CSM_CODE_ALL : (int32_t)i - 6;
        v->count[i] = counts[i];
        v->flags[i] = flags[i];
        v->band[i] = (uint8_t)(i * 23);
        v->value[i] = values[i];
    }
    v->band[DEMO_ROWS - 1] = 255;
    return v->result;
}

/* Hand-worked answers about the demo table (make_demo). */
static void sql_demo(duckdb_connection conn, csm_result *r) {
    /* 1970-01-01 is day 0; 2000-03-01 is day 11017 (30 years of 365 days
     * = 10950, 7 leap days 1972..1996 = 10957 for 2000-01-01, + 31 + 29) */
    sql_check(conn, r, "demo",
              "SELECT count(*) FROM %s WHERE month = DATE '1970-01-01'", 1);
    sql_check(conn, r, "demo",
              "SELECT date_diff('day', DATE '1970-01-01', month) FROM %s "
              "WHERE id = 9223372036854775807",
              11017);
    /* rows 7 and 11 have no month; rows 1, 5, 9 the "all" code */
    sql_check(conn, r, "demo", "SELECT count(*) FROM %s WHERE month IS NULL",
              2);
    sql_check(conn, r, "demo", "SELECT count(*) FROM %s WHERE code IS NULL",
              3);
    /* labels NULL in rows 1 and 7; "" is a value */
    sql_check(conn, r, "demo", "SELECT count(label) FROM %s", 10);
    sql_check(conn, r, "demo", "SELECT count(*) FROM %s WHERE label = ''", 1);
    /* INT32_MIN is an ordinary count, not a NULL */
    sql_check(conn, r, "demo", "SELECT min(count) FROM %s", -2147483648.0);
    /* ok in rows 0, 3, 6, 9 */
    sql_check(conn, r, "demo", "SELECT count(*) FROM %s WHERE ok", 4);
    sql_check(conn, r, "demo_empty", "SELECT count(*) FROM %s", 0);
}

/* The SQL spot checks of each producer (by the producer's name in
 * producers.c).  Every table of every producer's result is checked in
 * full by check_table whether or not it has a line here. */
typedef struct sql_checks {
    const char *producer;
    void (*sql)(duckdb_connection, csm_result *);
} sql_checks;

static const sql_checks checks[] = {
    {"movements", sql_movements},
    {"movements by segment", sql_movements_by_segment},
    {"retention", sql_retention},
    {"retention by segment", sql_retention_by_segment},
    {"cohorts", sql_cohorts},
    {"cohorts with a key month", sql_cohorts_key},
    {"cohorts by segment", sql_cohorts_by_segment},
    {"km by group with the overall curve", sql_km_groups},
    {"km of the 6-MP arm", sql_km_6mp},
    {"lifetimes", sql_lifetimes},
    {"sbg fits", sql_sbg},
    {"sbg projection", sql_sbg_curve},
    {"renewals", sql_renewals},
    {"renewals by segment", sql_renewals_by_segment},
    {"team", sql_team},
    {"team of an empty ledger", sql_team_empty},
    {"activity", sql_activity},
    {"activity by segment", sql_activity_by_segment},
    {"health", sql_health},
    {"nps by group", sql_nps},
    {"nps comparisons", sql_nps_diff},
    {"csat by group", sql_csat},
    {"ces", sql_ces},
    {"ltv by group", sql_ltv},
    {"single figures", sql_metric},
    {"projection", sql_projection},
};
#define N_CHECKS (sizeof checks / sizeof checks[0])

/* ---- main ---------------------------------------------------------------- */
/* The allocator every result and export is made with: it counts the blocks
 * alive and overwrites a block with 0xA5 bytes when it is freed, so that a
 * read of a freed result shows up as a mismatch even without valgrind, and
 * a block never returned shows up in the count. */
typedef struct poison_ctx {
    long live;
} poison_ctx;

#define POISON_HEAD 16 /* keeps the 16-byte alignment of malloc */

static void *poison_alloc(void *ctx, size_t n) {
    unsigned char *p = malloc(POISON_HEAD + n);
    if (!p)
        return NULL;
    memcpy(p, &n, sizeof n);
    ((poison_ctx *)ctx)->live++;
    return p + POISON_HEAD;
}

static void poison_free(void *ctx, void *ptr) {
    if (!ptr)
        return;
    unsigned char *p = (unsigned char *)ptr - POISON_HEAD;
    size_t n;
    memcpy(&n, p, sizeof n);
    memset(ptr, 0xA5, n);
    free(p);
    ((poison_ctx *)ctx)->live--;
}

/* Every table of a result from `make`, through every path: the checks of
 * one producer. */
static void run_producer(duckdb_connection conn, const char *name,
                         csm_result *(*make)(const csm_allocator *),
                         void (*sql)(duckdb_connection, csm_result *)) {
    poison_ctx ctx = {0};
    const csm_allocator a = {poison_alloc, poison_free, &ctx, NULL};
    csm_result *ref = make(&a);
    /* made through the allocator it was given (else the count below
     * would prove nothing) */
    tap(ref != NULL && ctx.live > 0, "%s: result made (%ld blocks)", name,
        ctx.live);
    if (!ref)
        return;
    size_t nt = csm_result_n_tables(ref);
    tap(nt >= 1, "%s: %zu tables", name, nt);
    for (size_t i = 0; i < nt; i++) {
        const csm_table *t = csm_result_table(ref, i);
        check_table(conn, ref, t);
        /* the same table exported from a twin result the caller frees
         * before DuckDB reads it */
        n_mismatch = 0;
        csm_result *twin = make(&a);
        if (twin)
            scan_compare(conn, twin, csm_result_table(twin, i), t, 1);
        tap(twin && n_mismatch == 0,
            "%s/%s: equal when the result is freed before DuckDB reads",
            csm_result_kind(ref), t->name);
        /* as a data chunk that owns the array, with and without the
         * caller's reference */
        for (int free_first = 0; free_first <= 1; free_first++) {
            n_mismatch = 0;
            twin = make(&a);
            if (twin)
                chunk_compare(conn, twin, csm_result_table(twin, i), t,
                              free_first);
            if (twin && !free_first)
                csm_result_free(twin);
            tap(twin && n_mismatch == 0,
                "%s/%s: equal as a DuckDB data chunk (duckdb_data_chunk_from_"
                "arrow%s)",
                csm_result_kind(ref), t->name,
                free_first ? ", result freed first" : "");
        }
    }
    if (sql)
        sql(conn, ref);
    csm_result_free(ref);
    /* every export released, every result freed: every block returned */
    tap(ctx.live == 0, "%s: no block left (%ld)", name, ctx.live);
}

int main(void) {
    duckdb_database db = NULL;
    duckdb_connection conn = NULL;
    if (duckdb_open(NULL, &db) != DuckDBSuccess ||
        duckdb_connect(db, &conn) != DuckDBSuccess) {
        printf("Bail out! cannot open an in-memory DuckDB\n");
        duckdb_close(&db);
        return 1;
    }
    printf("# DuckDB %s, libcsmetrics %s\n", duckdb_library_version(),
           csm_version());
    /* a one-query check that a comparison can fail: a wrong reference
     * (a different result's table) must be reported */
    {
        const producer *pa = producer_find("movements");
        const producer *pb = producer_find("movements by segment");
        csm_result *a = pa ? pa->make(NULL) : NULL;
        csm_result *b = pb ? pb->make(NULL) : NULL;
        n_mismatch = 0;
        quiet = 1;
        if (a && b)
            scan_compare(conn, a, csm_result_table(a, 0),
                         csm_result_table(b, 0), 0);
        quiet = 0;
        tap(a && b && n_mismatch > 0,
            "a table compared with another is reported (%ld mismatches)",
            n_mismatch);
        csm_result_free(a);
        csm_result_free(b);
    }
    /* the SQL checks name existing producers (a renamed producer must not
     * lose its checks silently) */
    for (size_t k = 0; k < N_CHECKS; k++)
        tap(producer_find(checks[k].producer) != NULL,
            "SQL checks of \"%s\": the producer exists", checks[k].producer);
    for (size_t i = 0; i < n_producers; i++) {
        void (*sql)(duckdb_connection, csm_result *) = NULL;
        for (size_t k = 0; k < N_CHECKS; k++)
            if (strcmp(checks[k].producer, producers[i].name) == 0)
                sql = checks[k].sql;
        run_producer(conn, producers[i].name, producers[i].make, sql);
    }
    run_producer(conn, "demo (internal)", make_demo, sql_demo);
    duckdb_disconnect(&conn);
    duckdb_close(&db);
    printf("1..%d\n", n_tests);
    printf("# %d of %d checks passed\n", n_tests - n_failed, n_tests);
    return n_failed ? 1 : 0;
}
