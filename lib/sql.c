/* sql.c - the library's definitions as SQL for warehouses (csmetrics/sql.h):
 * movements, retention and cohorts from a ledger table, NPS from a
 * responses table, renewals from a contracts table, in the PostgreSQL, DuckDB, Snowflake and BigQuery
 * dialects.  Each query restates the C definitions (lib/movements.c,
 * lib/retention.c, lib/cohort.c, lib/nps.c, lib/renewals.c); tests/sql
 * proves them equal
 * on PostgreSQL and DuckDB. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csmetrics/catalog.h"
#include "csmetrics/movements.h"
#include "csmetrics/retention.h"
#include "csmetrics/sql.h"
#include "internal/util.h"

CSM__DEFINE_OPTS_INIT(csm_sql_opts_init, csm_sql_opts, CSM_SQL_OPTS_INIT)

CSM_API csm_status csm_sql_opts_preset(csm_sql_opts *o, csm_preset preset) {
    csm_movements_opts m = CSM_MOVEMENTS_OPTS_INIT;
    csm_retention_opts r = CSM_RETENTION_OPTS_INIT;
    if (!o || csm_movements_opts_preset(&m, preset) != CSM_OK ||
        csm_retention_opts_preset(&r, preset) != CSM_OK)
        return CSM_EINVAL;
    o->churn_denominator = m.churn_denominator;
    o->reactivation_window = m.reactivation_window;
    o->tolerance = m.tolerance;
    o->nrr_mode = r.nrr_mode;
    return CSM_OK;
}

static const char *const dialect_names[] = {"postgres", "duckdb", "snowflake",
                                            "bigquery"};

CSM_API const char *csm_sql_dialect_name(csm_sql_dialect d) {
    if ((int)d < 0 || (int)d > CSM_SQL_BIGQUERY)
        return NULL;
    return dialect_names[d];
}

/* ---- a growing string --------------------------------------------------- */
typedef struct {
    char *p;
    size_t n, cap;
    int oom;
} sbuf;

static void sb_add(sbuf *b, const char *fmt, ...) {
    if (b->oom)
        return;
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (k < 0) {
        b->oom = 1;
        return;
    }
    if (b->n + (size_t)k + 1 > b->cap) {
        size_t cap = (b->cap ? b->cap : 1024);
        while (cap < b->n + (size_t)k + 1)
            cap *= 2;
        char *q = realloc(b->p, cap);
        if (!q) {
            b->oom = 1;
            return;
        }
        b->p = q;
        b->cap = cap;
    }
    va_start(ap, fmt);
    vsnprintf(b->p + b->n, (size_t)k + 1, fmt, ap);
    va_end(ap);
    b->n += (size_t)k;
}

/* ---- the dialects' differences ------------------------------------------ */
typedef struct {
    int d;
    const char *tab, *cust, *mon, *mrr, *seg;
    char q; /* identifier quote: '"' or '`' */
} ctx;

/* the day index (days since 1970-01-01) of a DATE expression */
static void day_index(sbuf *b, const ctx *c, const char *expr) {
    if (c->d == CSM_SQL_SNOWFLAKE)
        sb_add(b, "DATEDIFF(day, DATE '1970-01-01', %s)", expr);
    else if (c->d == CSM_SQL_BIGQUERY)
        sb_add(b, "DATE_DIFF(%s, DATE '1970-01-01', DAY)", expr);
    else if (c->d == CSM_SQL_DUCKDB)
        sb_add(b, "DATE_DIFF('day', DATE '1970-01-01', %s)", expr);
    else
        sb_add(b, "(%s - DATE '1970-01-01')", expr);
}

static const char *dbl(const ctx *c) {
    static const char *const t[] = {"DOUBLE PRECISION", "DOUBLE", "DOUBLE",
                                    "FLOAT64"};
    return t[c->d];
}

/* an output column alias, quoted */
static void al(sbuf *b, const ctx *c, const char *name) {
    sb_add(b, "%c%s%c", c->q, name, c->q);
}

/* month index of a DATE expression: year x 12 + month - 1 (all four) */
static void month_index(sbuf *b, const char *expr) {
    sb_add(b,
           "(CAST(EXTRACT(YEAR FROM %s) AS INTEGER) * 12 + "
           "CAST(EXTRACT(MONTH FROM %s) AS INTEGER) - 1)",
           expr, expr);
}

/* the DATE (the 1st) of a month index expression */
static void month_date(sbuf *b, const ctx *c, const char *i) {
    static const char *const fn[] = {"MAKE_DATE", "MAKE_DATE",
                                     "DATE_FROM_PARTS", "DATE"};
    sb_add(b, "%s(CAST((%s - MOD(%s, 12)) / 12 AS INTEGER), "
              "CAST(MOD(%s, 12) AS INTEGER) + 1, 1)",
           fn[c->d], i, i, i);
}

/* The ledger CTEs every ledger query starts with: src (the rows as month
 * indices), act (active customer months: duplicates summed, the smallest
 * segment, MRR > 0), bounds (first and last active month), seq (each
 * active month with the customer's previous and next active months). */
static void ledger_ctes(sbuf *b, const ctx *c, int byseg) {
    sb_add(b, "WITH RECURSIVE\nsrc AS (\n  SELECT %s AS cid, ", c->cust);
    month_index(b, c->mon);
    sb_add(b, " AS mon,\n    CAST(%s AS %s) AS mrr, %s AS seg\n  FROM %s\n),\n",
           c->mrr, dbl(c), c->seg ? c->seg : "0", c->tab);
    sb_add(b,
           "act AS (\n"
           "  SELECT cid, mon, SUM(mrr) AS mrr, MIN(seg) AS seg, %s AS k\n"
           "  FROM src GROUP BY cid, mon HAVING SUM(mrr) > 0\n),\n"
           "bounds AS (SELECT MIN(mon) AS lo, MAX(mon) AS hi FROM act),\n"
           "keys AS (SELECT DISTINCT k FROM act),\n"
           "seq AS (\n"
           "  SELECT cid, mon, mrr, seg, k,\n"
           "    LAG(mon) OVER (PARTITION BY cid ORDER BY mon) AS pmon,\n"
           "    LAG(mrr) OVER (PARTITION BY cid ORDER BY mon) AS pmrr,\n"
           "    LAG(seg) OVER (PARTITION BY cid ORDER BY mon) AS pseg,\n"
           "    LAG(k) OVER (PARTITION BY cid ORDER BY mon) AS pk,\n"
           "    LEAD(mon) OVER (PARTITION BY cid ORDER BY mon) AS nmon\n"
           "  FROM act\n),\n",
           byseg ? "MIN(seg)" : "0");
}

/* months: lo .. hi of bounds (first_off added to lo) */
static void months_cte(sbuf *b, long first_off) {
    sb_add(b,
           "months AS (\n"
           "  SELECT lo + %ld AS mon FROM bounds WHERE lo + %ld <= hi\n"
           "  UNION ALL\n"
           "  SELECT months.mon + 1 FROM months CROSS JOIN bounds "
           "WHERE months.mon < bounds.hi\n),\n",
           first_off, first_off);
}

static void seg_out(sbuf *b, const ctx *c, int byseg, const char *k) {
    if (byseg)
        sb_add(b, "%s", k);
    else
        sb_add(b, "CAST(NULL AS INTEGER)");
    sb_add(b, " AS ");
    al(b, c, "segment");
}

/* ---- movements (lib/movements.c, entry_events) ------------------------ */
static void q_movements(sbuf *b, const ctx *c, const csm_sql_opts *o) {
    const int byseg = o->by_segment != 0;
    const long W = o->reactivation_window;
    char tol[64];
    snprintf(tol, sizeof tol, "%.17g", o->tolerance);
    ledger_ctes(b, c, byseg);
    months_cte(b, 0);
    /* continues: previous entry in t-1 (same segment when by segment) */
    const char *cont = byseg ? "(pmon = mon - 1 AND pk = k)" : "(pmon = mon - 1)";
    sb_add(b,
           "ev AS (\n"
           "  SELECT mon, k, mrr AS close_mrr, 1 AS close_c, CAST(0 AS %s) AS open_mrr, 0 AS open_c,\n"
           "    CASE WHEN pmon IS NULL OR (%ld > 0 AND pmon < mon - 1 AND mon - pmon - 1 > %ld)\n"
           "      THEN mrr ELSE 0 END AS new_mrr,\n"
           "    CASE WHEN pmon IS NULL OR (%ld > 0 AND pmon < mon - 1 AND mon - pmon - 1 > %ld)\n"
           "      THEN 1 ELSE 0 END AS new_c,\n"
           "    CASE WHEN pmon < mon - 1 AND (%ld = 0 OR mon - pmon - 1 <= %ld)\n"
           "      THEN mrr ELSE 0 END AS react_mrr,\n"
           "    CASE WHEN pmon < mon - 1 AND (%ld = 0 OR mon - pmon - 1 <= %ld)\n"
           "      THEN 1 ELSE 0 END AS react_c,\n"
           "    CASE WHEN %s AND mrr - pmrr > %s THEN mrr - pmrr ELSE 0 END AS exp_mrr,\n"
           "    CASE WHEN %s AND mrr - pmrr > %s THEN 1 ELSE 0 END AS exp_c,\n"
           "    CASE WHEN %s AND pmrr - mrr > %s THEN pmrr - mrr ELSE 0 END AS contr_mrr,\n"
           "    CASE WHEN %s AND pmrr - mrr > %s THEN 1 ELSE 0 END AS contr_c,\n"
           "    CASE WHEN %s AND mrr <> pmrr AND ABS(mrr - pmrr) <= %s\n"
           "      THEN mrr - pmrr ELSE 0 END AS adj_mrr,\n"
           "    CAST(0 AS %s) AS churn_mrr, 0 AS churn_c,\n",
           dbl(c), W, W, W, W, W, W, W, W, cont, tol, cont, tol, cont, tol, cont, tol,
           cont, tol, dbl(c));
    if (byseg)
        sb_add(b,
               "    CASE WHEN pmon = mon - 1 AND pk <> k THEN mrr ELSE 0 END AS segin_mrr,\n"
               "    CASE WHEN pmon = mon - 1 AND pk <> k THEN 1 ELSE 0 END AS segin_c,\n");
    else
        sb_add(b, "    CAST(0 AS %s) AS segin_mrr, 0 AS segin_c,\n", dbl(c));
    sb_add(b,
           "    CAST(0 AS %s) AS segout_mrr, 0 AS segout_c\n"
           "  FROM seq\n"
           "  UNION ALL\n"
           "  SELECT mon + 1, k, 0, 0, mrr, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0,\n"
           "    CASE WHEN nmon IS NULL OR nmon > mon + 1 THEN mrr ELSE 0 END,\n"
           "    CASE WHEN nmon IS NULL OR nmon > mon + 1 THEN 1 ELSE 0 END,\n"
           "    0, 0, 0, 0\n"
           "  FROM seq\n", dbl(c));
    if (byseg)
        sb_add(b,
               "  UNION ALL\n"
               "  SELECT mon, pk, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, pmrr, 1\n"
               "  FROM seq WHERE pmon = mon - 1 AND pk <> k\n");
    sb_add(b,
           "),\n"
           "agg AS (\n"
           "  SELECT g.mon, gk.k,\n"
           "    COALESCE(SUM(e.open_mrr), 0) AS open_mrr, COALESCE(SUM(e.open_c), 0) AS open_c,\n"
           "    COALESCE(SUM(e.new_mrr), 0) AS new_mrr, COALESCE(SUM(e.new_c), 0) AS new_c,\n"
           "    COALESCE(SUM(e.react_mrr), 0) AS react_mrr, COALESCE(SUM(e.react_c), 0) AS react_c,\n"
           "    COALESCE(SUM(e.exp_mrr), 0) AS exp_mrr, COALESCE(SUM(e.exp_c), 0) AS exp_c,\n"
           "    COALESCE(SUM(e.contr_mrr), 0) AS contr_mrr, COALESCE(SUM(e.contr_c), 0) AS contr_c,\n"
           "    COALESCE(SUM(e.churn_mrr), 0) AS churn_mrr, COALESCE(SUM(e.churn_c), 0) AS churn_c,\n"
           "    COALESCE(SUM(e.adj_mrr), 0) AS adj_mrr,\n"
           "    COALESCE(SUM(e.segin_mrr), 0) AS segin_mrr, COALESCE(SUM(e.segin_c), 0) AS segin_c,\n"
           "    COALESCE(SUM(e.segout_mrr), 0) AS segout_mrr, COALESCE(SUM(e.segout_c), 0) AS segout_c,\n"
           "    COALESCE(SUM(e.close_mrr), 0) AS close_mrr, COALESCE(SUM(e.close_c), 0) AS close_c\n"
           "  FROM months g CROSS JOIN keys gk\n"
           "  LEFT JOIN ev e ON e.mon = g.mon AND e.k = gk.k\n"
           "  GROUP BY g.mon, gk.k\n"
           ")\n"
           "SELECT ");
    month_date(b, c, "mon");
    sb_add(b, " AS ");
    al(b, c, "month");
    sb_add(b, ", ");
    seg_out(b, c, byseg, "k");
    const char *den = o->churn_denominator == CSM_DENOM_START_PLUS_NEW
                          ? "open_c + new_c + react_c"
                      : o->churn_denominator == CSM_DENOM_AVERAGE
                          ? "0.5 * (open_c + close_c)"
                          : "open_c";
    const char *D = dbl(c);
    sb_add(b, ",\n  open_mrr AS ");
    al(b, c, "opening_mrr");
    static const char *const money[][2] = {
        {"new_mrr", "new"},          {"react_mrr", "reactivation"},
        {"exp_mrr", "expansion"},    {"contr_mrr", "contraction"},
        {"churn_mrr", "churn"},      {"adj_mrr", "adjustment"},
        {"segin_mrr", "segment_in"}, {"segout_mrr", "segment_out"}};
    for (size_t i = 0; i < sizeof money / sizeof money[0]; i++) {
        sb_add(b, ", %s AS ", money[i][0]);
        al(b, c, money[i][1]);
    }
    sb_add(b, ",\n  new_mrr + react_mrr + exp_mrr - contr_mrr - churn_mrr + adj_mrr"
              " + segin_mrr - segout_mrr AS ");
    al(b, c, "net_new");
    sb_add(b, ", close_mrr AS ");
    al(b, c, "closing_mrr");
    static const char *const counts[][2] = {
        {"open_c", "opening_customers"},   {"close_c", "customers"},
        {"new_c", "new_customers"},        {"react_c", "reactivated_customers"},
        {"exp_c", "expanded_customers"},   {"contr_c", "contracted_customers"},
        {"churn_c", "churned_customers"},  {"segin_c", "segment_in_customers"},
        {"segout_c", "segment_out_customers"}};
    sb_add(b, ",\n ");
    for (size_t i = 0; i < sizeof counts / sizeof counts[0]; i++) {
        sb_add(b, " %s AS ", counts[i][0]);
        al(b, c, counts[i][1]);
        sb_add(b, ",");
    }
    sb_add(b, "\n  CAST(churn_c AS %s) / NULLIF(%s, 0) AS ", D, den);
    al(b, c, "customer_churn_rate");
    sb_add(b, ",\n  (churn_mrr + contr_mrr) / NULLIF(open_mrr, 0) AS ");
    al(b, c, "gross_mrr_churn_rate");
    sb_add(b, ",\n  ((churn_mrr + contr_mrr) - (exp_mrr + react_mrr)) / "
              "NULLIF(open_mrr, 0) AS ");
    al(b, c, "net_mrr_churn_rate");
    sb_add(b, ",\n  (new_mrr + react_mrr + exp_mrr) / NULLIF(contr_mrr + churn_mrr, 0) AS ");
    al(b, c, "quick_ratio");
    sb_add(b, ",\n  close_mrr / NULLIF(CAST(close_c AS %s), 0) AS ", D);
    al(b, c, "arpa");
    sb_add(b, ", 12 * close_mrr AS ");
    al(b, c, "arr");
    sb_add(b, "\nFROM agg\nORDER BY mon, k\n");
}


/* ---- retention (lib/retention.c, scan_customer) ------------------------ */
static void q_retention(sbuf *b, const ctx *c, const csm_sql_opts *o) {
    const int byseg = o->by_segment != 0;
    const long W = o->window;
    const int movsum = o->nrr_mode == CSM_NRR_MOVEMENT_SUM;
    ledger_ctes(b, c, byseg);
    months_cte(b, W);
    /* the per-customer movements of the window sums (every return a
     * reactivation): losses (contraction, churn) and reactivations */
    sb_add(b,
           "loss AS (\n"
           "  SELECT cid, mon, pmrr - mrr AS amt FROM seq WHERE pmon = mon - 1 AND mrr < pmrr\n"
           "  UNION ALL\n"
           "  SELECT cid, mon + 1, mrr FROM seq WHERE nmon IS NULL OR nmon > mon + 1\n"
           "),\n"
           "react AS (SELECT cid, mon, mrr AS amt FROM seq WHERE pmon < mon - 1),\n"
           "base AS (\n"
           "  SELECT a.cid, a.mon AS t0, a.mon + %ld AS t1, a.k, a.mrr AS m0,\n"
           "    COALESCE(e.mrr, 0) AS m1, CASE WHEN e.mrr IS NULL THEN 0 ELSE 1 END AS kept\n"
           "  FROM act a CROSS JOIN bounds\n"
           "  LEFT JOIN act e ON e.cid = a.cid AND e.mon = a.mon + %ld\n"
           "  WHERE a.mon + %ld <= bounds.hi\n"
           "),\n"
           "rsum AS (\n"
           "  SELECT b.cid, b.t0, SUM(r.amt) AS amt FROM base b\n"
           "  JOIN react r ON r.cid = b.cid AND r.mon > b.t0 AND r.mon <= b.t1\n"
           "  GROUP BY b.cid, b.t0\n"
           "),\n"
           "lsum AS (\n"
           "  SELECT b.cid, b.t0, SUM(l.amt) AS amt FROM base b\n"
           "  JOIN loss l ON l.cid = b.cid AND l.mon > b.t0 AND l.mon <= b.t1\n"
           "  GROUP BY b.cid, b.t0\n"
           "),\n"
           "terms AS (\n"
           "  SELECT b.cid, b.t1, b.k, b.m0, b.m1, b.kept,\n"
           "    COALESCE(rs.amt, 0) AS react_amt, COALESCE(ls.amt, 0) AS loss_amt\n"
           "  FROM base b\n"
           "  LEFT JOIN rsum rs ON rs.cid = b.cid AND rs.t0 = b.t0\n"
           "  LEFT JOIN lsum ls ON ls.cid = b.cid AND ls.t0 = b.t0\n"
           "),\n",
           W, W, W);
    sb_add(b,
           "agg AS (\n"
           "  SELECT g.mon AS t1, gk.k,\n"
           "    COUNT(t.cid) AS base_c, COALESCE(SUM(t.kept), 0) AS kept_c,\n"
           "    COALESCE(SUM(t.m0), 0) AS base_mrr, COALESCE(SUM(t.m1), 0) AS end_mrr,\n"
           "    COALESCE(SUM(t.react_amt), 0) AS react_mrr,\n");
    if (movsum)
        sb_add(b,
               "    COALESCE(SUM(GREATEST(t.m0 - t.loss_amt, 0)), 0) AS grr_num,\n"
               "    COALESCE(SUM(GREATEST(t.m1 - t.react_amt, 0)), 0) AS nrr_num\n");
    else
        sb_add(b,
               "    COALESCE(SUM(LEAST(t.m1, t.m0)), 0) AS grr_num,\n"
               "    COALESCE(SUM(t.m1), 0) AS nrr_num\n");
    sb_add(b,
           "  FROM months g CROSS JOIN keys gk\n"
           "  LEFT JOIN terms t ON t.t1 = g.mon AND t.k = gk.k\n"
           "  GROUP BY g.mon, gk.k\n"
           ")\nSELECT ");
    month_date(b, c, "t1");
    sb_add(b, " AS ");
    al(b, c, "end_month");
    sb_add(b, ", ");
    seg_out(b, c, byseg, "k");
    char t0[64];
    snprintf(t0, sizeof t0, "(t1 - %ld)", W);
    sb_add(b, ", ");
    month_date(b, c, t0);
    sb_add(b, " AS ");
    al(b, c, "start_month");
    sb_add(b, ",\n  base_c AS ");
    al(b, c, "base_customers");
    sb_add(b, ", kept_c AS ");
    al(b, c, "retained_customers");
    sb_add(b, ", base_mrr AS ");
    al(b, c, "base_mrr");
    sb_add(b, ", grr_num AS ");
    al(b, c, "retained_mrr");
    sb_add(b, ", end_mrr AS ");
    al(b, c, "end_mrr");
    sb_add(b, ", react_mrr AS ");
    al(b, c, "reactivation_mrr");
    sb_add(b, ",\n  grr_num / NULLIF(base_mrr, 0) AS ");
    al(b, c, "grr");
    sb_add(b, ", nrr_num / NULLIF(base_mrr, 0) AS ");
    al(b, c, "nrr");
    sb_add(b, ",\n  CAST(kept_c AS %s) / NULLIF(base_c, 0) AS ", dbl(c));
    al(b, c, "logo_retention");
    sb_add(b, "\nFROM agg\nORDER BY t1, k\n");
}

/* ---- cohorts (lib/cohort.c) --------------------------------------------- */
static void q_cohorts(sbuf *b, const ctx *c, const csm_sql_opts *o) {
    const int byseg = o->by_segment != 0;
    ledger_ctes(b, c, 0);
    months_cte(b, 0);
    sb_add(b,
           "firsts AS (SELECT cid, MIN(mon) AS k0 FROM act GROUP BY cid),\n"
           "members AS (\n"
           "  SELECT f.cid, f.k0, %s AS k FROM firsts f\n"
           "  JOIN act a ON a.cid = f.cid AND a.mon = f.k0\n"
           "),\n"
           "cohorts AS (SELECT k0, k, COUNT(*) AS size FROM members GROUP BY k0, k),\n"
           "occ AS (\n"
           "  SELECT m.k0, m.k, a.mon, COUNT(*) AS n_c, SUM(a.mrr) AS n_mrr\n"
           "  FROM members m JOIN act a ON a.cid = m.cid\n"
           "  GROUP BY m.k0, m.k, a.mon\n"
           "),\n"
           "cells AS (\n"
           "  SELECT h.k0, h.k, h.size, g.mon - h.k0 AS age,\n"
           "    COALESCE(o.n_c, 0) AS n_c, COALESCE(o.n_mrr, 0) AS n_mrr\n"
           "  FROM cohorts h JOIN months g ON g.mon >= h.k0 AND g.mon - h.k0 <= %ld\n"
           "  LEFT JOIN occ o ON o.k0 = h.k0 AND o.k = h.k AND o.mon = g.mon\n"
           ")\n",
           byseg ? "a.seg" : "0", o->max_age > 0 ? (long)o->max_age : 119988L);
    sb_add(b, "SELECT ");
    month_date(b, c, "x.k0");
    sb_add(b, " AS ");
    al(b, c, "cohort");
    sb_add(b, ", ");
    seg_out(b, c, byseg, "x.k");
    sb_add(b, ", x.age AS ");
    al(b, c, "age");
    sb_add(b, ", x.size AS ");
    al(b, c, "size");
    sb_add(b, ",\n  x.n_c AS ");
    al(b, c, "customers");
    sb_add(b, ", x.n_mrr AS ");
    al(b, c, "mrr");
    sb_add(b, ",\n  CAST(x.n_c AS %s) / NULLIF(y.n_c, 0) AS ", dbl(c));
    al(b, c, "customers_frac");
    sb_add(b, ", x.n_mrr / NULLIF(y.n_mrr, 0) AS ");
    al(b, c, "mrr_frac");
    sb_add(b,
           "\nFROM cells x LEFT JOIN cells y ON y.k0 = x.k0 AND y.k = x.k AND y.age = %d\n"
           "ORDER BY x.k0, x.k, x.age\n",
           o->baseline);
}

/* ---- NPS (lib/nps.c) ------------------------------------------------------ */
static void q_nps(sbuf *b, const ctx *c, const csm_sql_opts *o) {
    const char *score = o->score_column ? o->score_column : "score";
    const char *D = dbl(c);
    char w[256];
    if (o->weight_column)
        snprintf(w, sizeof w, "CAST(%s AS %s)", o->weight_column, D);
    else
        snprintf(w, sizeof w, "CAST(1 AS %s)", D);
    double z = csm__norm_quantile(0.5 + 0.5 * o->confidence);
    sb_add(b,
           "WITH agg AS (\n"
           "  SELECT %s AS g,\n"
           "    SUM(CASE WHEN %s >= 9 THEN %s ELSE 0 END) AS np,\n"
           "    SUM(CASE WHEN %s >= 7 AND %s <= 8 THEN %s ELSE 0 END) AS nq,\n"
           "    SUM(CASE WHEN %s <= 6 THEN %s ELSE 0 END) AS nd,\n"
           "    SUM(%s) AS n, SUM(%s * %s) AS n2\n"
           "  FROM %s%s\n"
           "),\n",
           o->group_column ? o->group_column : "CAST(NULL AS INTEGER)", score, w,
           score, score, w, score, w, w, w, w, c->tab,
           o->group_column ? "\n  GROUP BY 1" : "");
    sb_add(b,
           "shares AS (\n"
           "  SELECT g, np, nq, nd, COALESCE(n, 0) AS n, n * n / NULLIF(n2, 0) AS neff,\n"
           "    np / NULLIF(n, 0) AS p, nq / NULLIF(n, 0) AS q, nd / NULLIF(n, 0) AS d\n"
           "  FROM agg\n"
           "),\n"
           "se AS (\n"
           "  SELECT shares.*, 100 * (p - d) AS nps,\n"
           "    100 * SQRT(GREATEST(p + d - (p - d) * (p - d), 0) / neff) AS se\n"
           "  FROM shares\n"
           ")\nSELECT g AS ");
    al(b, c, "group");
    sb_add(b, ", nps AS ");
    al(b, c, "nps");
    sb_add(b, ", p AS ");
    al(b, c, "promoters");
    sb_add(b, ", q AS ");
    al(b, c, "passives");
    sb_add(b, ", d AS ");
    al(b, c, "detractors");
    sb_add(b, ",\n  CASE WHEN n > 0 THEN np END AS ");
    al(b, c, "n_promoters");
    sb_add(b, ", CASE WHEN n > 0 THEN nq END AS ");
    al(b, c, "n_passives");
    sb_add(b, ", CASE WHEN n > 0 THEN nd END AS ");
    al(b, c, "n_detractors");
    sb_add(b, ", n AS ");
    al(b, c, "n");
    sb_add(b, ", neff AS ");
    al(b, c, "n_effective");
    sb_add(b, ", se AS ");
    al(b, c, "se");
    sb_add(b, ",\n  GREATEST(nps - %.17g * se, -100) AS ", z);
    al(b, c, "ci_low");
    sb_add(b, ", LEAST(nps + %.17g * se, 100) AS ", z);
    al(b, c, "ci_high");
    sb_add(b, ", %.17g AS ", o->confidence);
    al(b, c, "confidence");
    sb_add(b, "\nFROM se\nORDER BY g\n");
}

/* ---- renewals (lib/renewals.c, csm_renewals_compute) ------------------- */
static void q_renewals(sbuf *b, const ctx *c, const csm_sql_opts *o) {
    const char *D = dbl(c);
    const char *g = o->group_column;
    const char *ord = o->id_column ? o->id_column : "v";
    const long grace = o->grace_days;
    /* src: every contract as day indices, in the library's (customer,
     * start, end, row) order rn */
    sb_add(b, "WITH src AS (\n"
              "  SELECT cid, s, e, v, g,\n"
              "    ROW_NUMBER() OVER (ORDER BY cid, s, e, %s) AS rn\n"
              "  FROM (\n"
              "    SELECT %s AS cid, ", ord, c->cust);
    day_index(b, c, o->start_column ? o->start_column : "start_date");
    sb_add(b, " AS s,\n      ");
    day_index(b, c, o->end_column ? o->end_column : "end_date");
    sb_add(b, " AS e,\n      CAST(%s AS %s) AS v, %s AS g",
           o->value_column ? o->value_column : "value", D,
           g ? g : "CAST(NULL AS INTEGER)");
    if (o->id_column)
        sb_add(b, ", %s", o->id_column);
    sb_add(b, "\n    FROM %s\n  ) x\n),\n", c->tab);
    /* in-term upsells: j inside an earlier-starting i; the parent is the
     * first such i in order */
    sb_add(b,
           "par AS (\n"
           "  SELECT j.rn, i.rn AS prn,\n"
           "    ROW_NUMBER() OVER (PARTITION BY j.rn ORDER BY i.s, i.e, i.rn) AS k\n"
           "  FROM src j JOIN src i ON i.cid = j.cid AND i.s < j.s AND j.e <= i.e\n"
           "),\n"
           "ups AS (SELECT rn, prn FROM par WHERE k = 1),\n"
           "nonup AS (\n"
           "  SELECT c.* FROM src c LEFT JOIN ups u ON u.rn = c.rn WHERE u.rn IS NULL\n"
           "),\n"
           "due AS (SELECT * FROM nonup WHERE e >= %ld AND e <= %ld),\n",
           (long)o->window_start, (long)o->window_end);
    /* the renewal: the first later contract (start and end after the due
     * contract's); within the grace period renewed, else late */
    sb_add(b,
           "cand AS (\n"
           "  SELECT d.rn, r.rn AS mrn, r.s - (d.e + 1) AS gap,\n"
           "    ROW_NUMBER() OVER (PARTITION BY d.rn ORDER BY r.s, r.e, r.rn) AS k\n"
           "  FROM due d JOIN nonup r ON r.cid = d.cid AND r.s > d.s AND r.e > d.e\n"
           "),\n"
           "oc AS (\n"
           "  SELECT d.rn, d.s, d.e, d.v, d.g, m.mrn,\n"
           "    CASE WHEN m.mrn IS NULL THEN\n"
           "      CASE WHEN CAST(d.e AS BIGINT) + 1 + %ld > %ld THEN 5 ELSE 3 END\n"
           "    WHEN m.gap <= %ld THEN 1 ELSE 2 END AS oc\n"
           "  FROM due d LEFT JOIN cand m ON m.rn = d.rn AND m.k = 1\n"
           "),\n",
           grace, (long)o->as_of_day, grace);
    /* a renewal's value, normalized to the due term, split among the due
     * contracts it renews by their values (equally when they are all 0) */
    sb_add(b,
           "sh AS (\n"
           "  SELECT o.*, r.v AS rv, r.e - r.s + 1 AS rterm,\n"
           "    SUM(o.v) OVER (PARTITION BY o.mrn) AS sden,\n"
           "    COUNT(*) OVER (PARTITION BY o.mrn) AS nm\n"
           "  FROM oc o LEFT JOIN src r ON r.rn = o.mrn\n"
           "),\n"
           "up AS (\n"
           "  SELECT u.prn, SUM(c.v * CAST(p.e - p.s + 1 AS %s) / CAST(c.e - c.s + 1 AS %s)) AS uv\n"
           "  FROM ups u JOIN src c ON c.rn = u.rn JOIN src p ON p.rn = u.prn\n"
           "  GROUP BY u.prn\n"
           "),\n"
           "pc AS (\n"
           "  SELECT x.g, x.oc, x.v, COALESCE(up.uv, 0) AS uv,\n"
           "    CASE WHEN x.oc IN (1, 2) THEN x.rv * CAST(x.e - x.s + 1 AS %s) / CAST(x.rterm AS %s)\n"
           "      * CASE WHEN x.sden > 0 THEN x.v / x.sden ELSE 1 / CAST(x.nm AS %s) END\n"
           "    ELSE 0 END AS cv\n"
           "  FROM sh x LEFT JOIN up ON up.prn = x.rn\n"
           "),\n",
           D, D, D, D, D);
    const char *ren = o->late_counts ? "oc IN (1, 2)" : "oc = 1";
    const char *upv = o->include_upsells ? " + COALESCE(SUM(uv), 0)" : "";
    sb_add(b,
           "agg AS (\n"
           "  SELECT %s, COUNT(oc) AS due,\n"
           "    COALESCE(SUM(CASE WHEN %s THEN 1 ELSE 0 END), 0) AS renewed,\n"
           "    COALESCE(SUM(CASE WHEN oc = 2 THEN 1 ELSE 0 END), 0) AS late,\n"
           "    COALESCE(SUM(CASE WHEN oc = 3 THEN 1 ELSE 0 END), 0) AS churned,\n"
           "    COALESCE(SUM(CASE WHEN oc = 5 THEN 1 ELSE 0 END), 0) AS pending,\n"
           "    COALESCE(SUM(v), 0)%s AS due_value,\n"
           "    COALESCE(SUM(CASE WHEN %s THEN cv ELSE 0 END), 0)%s AS renewed_value,\n"
           "    COALESCE(SUM(CASE WHEN oc = 2 THEN cv ELSE 0 END), 0) AS late_value,\n"
           "    COALESCE(SUM(CASE WHEN oc = 3 THEN v ELSE 0 END), 0) AS churned_value,\n"
           "    COALESCE(SUM(uv), 0) AS upsell_value,\n"
           "    COALESCE(SUM(CASE WHEN oc = 5 THEN v ELSE 0 END), 0) AS pending_value\n"
           "  FROM pc%s\n"
           ")\nSELECT g AS ",
           g ? "g" : "CAST(NULL AS INTEGER) AS g", ren, upv, ren, upv,
           g ? "\n  GROUP BY g" : "");
    al(b, c, "group");
    static const char *const cols[] = {"due", "renewed", "late", "churned",
                                       "due_value", "renewed_value",
                                       "late_value", "churned_value",
                                       "upsell_value"};
    for (size_t i = 0; i < sizeof cols / sizeof cols[0]; i++) {
        sb_add(b, "%s%s AS ", i % 5 == 0 ? ",\n  " : ", ", cols[i]);
        al(b, c, cols[i]);
    }
    sb_add(b, ",\n  CAST(renewed AS %s) / NULLIF(due, 0) AS ", D);
    al(b, c, "logo_renewal_rate");
    sb_add(b, ",\n  renewed_value / NULLIF(due_value, 0) AS ");
    al(b, c, "dollar_renewal_rate");
    sb_add(b, ",\n  pending AS ");
    al(b, c, "pending");
    sb_add(b, ", pending_value AS ");
    al(b, c, "pending_value");
    sb_add(b, "\nFROM agg\nORDER BY g\n");
}

/* ---- the entry point -------------------------------------------------------- */
typedef void (*qfn)(sbuf *, const ctx *, const csm_sql_opts *);

static csm_status bad(csm_error *err, const char *field, const char *why) {
    return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, field, why);
}

static int empty(const char *s) { return s && !*s; }

CSM_API csm_status csm_sql_generate(char **out, const char *metric,
                                    const csm_sql_opts *opts, csm_error *err) {
    csm_error_clear(err);
    if (out)
        *out = NULL;
    if (!out || !metric)
        return bad(err, "metric", "out or metric is NULL");
    csm_sql_opts o = CSM_SQL_OPTS_INIT;
    if (opts) {
        if (opts->size < sizeof(size_t))
            return bad(err, "opts.size", "bad option-struct size");
        memcpy(&o, opts, opts->size < sizeof o ? opts->size : sizeof o);
        o.size = sizeof o;
    }
    const char *q = metric;
    csm_catalog_entry e;
    if (!csm_sql_query_table(q)) {
        if (csm_catalog_find(&e, metric, NULL) != CSM_OK || !e.sql_query)
            return bad(err, "metric", "no SQL query computes this metric");
        q = e.sql_query;
    }
    if (o.dialect < CSM_SQL_POSTGRES || o.dialect > CSM_SQL_BIGQUERY)
        return bad(err, "opts.dialect", "unknown dialect");
    if (empty(o.table) || empty(o.customer_column) || empty(o.month_column) ||
        empty(o.mrr_column) || empty(o.segment_column) || empty(o.score_column) ||
        empty(o.weight_column) || empty(o.group_column) ||
        empty(o.start_column) || empty(o.end_column) || empty(o.value_column) ||
        empty(o.id_column))
        return bad(err, "opts", "a table or column name is empty");
    const int ren = strcmp(q, "renewals") == 0;
    if (ren && (o.window_start == CSM_SQL_NO_DAY || o.window_end == CSM_SQL_NO_DAY))
        return bad(err, "opts.window_start", "renewals need a window of due days");
    if (ren && (!csm_day_valid(o.window_start) || !csm_day_valid(o.window_end)))
        return bad(err, "opts.window_start",
                   "window days outside [CSM_DAY_MIN, CSM_DAY_MAX]");
    if (ren && o.window_end < o.window_start)
        return bad(err, "opts.window_end", "window ends before it starts");
    if (ren && o.grace_days < 0)
        return bad(err, "opts.grace_days", "must be >= 0");
    if (o.by_segment && !o.segment_column && strcmp(q, "nps") != 0 && !ren)
        return bad(err, "opts.by_segment", "by_segment needs segment_column");
    if (o.reactivation_window < 0)
        return bad(err, "opts.reactivation_window", "must be >= 0");
    if (!(o.tolerance >= 0.0) || !isfinite(o.tolerance))
        return bad(err, "opts.tolerance", "must be finite and >= 0");
    if (o.churn_denominator < CSM_DENOM_START ||
        o.churn_denominator > CSM_DENOM_AVERAGE)
        return bad(err, "opts.churn_denominator",
                   "start, start + new or average (daily needs day-level data)");
    if (o.window < 1 || o.window > 119988)
        return bad(err, "opts.window", "window must be in 1..119988 months");
    if (o.nrr_mode != CSM_NRR_SNAPSHOT && o.nrr_mode != CSM_NRR_MOVEMENT_SUM)
        return bad(err, "opts.nrr_mode", "unknown NRR mode");
    if (o.baseline != 0 && o.baseline != 1)
        return bad(err, "opts.baseline", "baseline must be 0 or 1");
    if (!(o.confidence > 0.0 && o.confidence < 1.0))
        return bad(err, "opts.confidence", "confidence must be in (0, 1)");
    ctx c = {o.dialect,
             o.table                  ? o.table
             : strcmp(q, "nps") == 0  ? "responses"
             : ren                    ? "contracts"
                                      : "mrr",
             o.customer_column ? o.customer_column : "customer_id",
             o.month_column ? o.month_column : "month",
             o.mrr_column ? o.mrr_column : "mrr",
             o.segment_column,
             o.dialect == CSM_SQL_BIGQUERY ? '`' : '"'};
    qfn fn = strcmp(q, "movements") == 0   ? q_movements
             : strcmp(q, "retention") == 0 ? q_retention
             : strcmp(q, "cohorts") == 0   ? q_cohorts
             : ren                         ? q_renewals
                                           : q_nps;
    sbuf b = {NULL, 0, 0, 0};
    sb_add(&b, "-- libcsmetrics: %s (%s); docs/sql.md\n", q,
           dialect_names[o.dialect]);
    fn(&b, &c, &o);
    if (b.oom) {
        free(b.p);
        return csm__fail(err, CSM_ENOMEM, CSM_NO_ROW, NULL, NULL);
    }
    *out = b.p;
    return CSM_OK;
}

CSM_API void csm_sql_free(char *sql) { free(sql); }

CSM_API const char *csm_sql_query_table(const char *query) {
    if (!query)
        return NULL;
    if (strcmp(query, "cohorts") == 0)
        return "cohort_cells";
    if (strcmp(query, "movements") == 0 || strcmp(query, "retention") == 0 ||
        strcmp(query, "nps") == 0 || strcmp(query, "renewals") == 0)
        return query;
    return NULL;
}
