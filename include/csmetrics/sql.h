/** @file
 * csmetrics/sql.h - the library's metric definitions as one SQL query for
 * a warehouse: PostgreSQL, DuckDB, Snowflake or BigQuery.
 *
 * csm_sql_generate writes the query computing one result table of the
 * library (the table of a catalog entry, csmetrics/catalog.h) from a table
 * of the warehouse, with the same definitions and options as the C
 * computation:
 * @code{.unparsed}
 *   "movements"  from a ledger table (customer, month, mrr[, segment]):
 *                the columns of the table "movements" but flags and the
 *                intra-period counts (a row ledger has none)
 *   "retention"  from the same ledger table: the table "retention"
 *                (snapshot or movement-sum NRR/GRR, by segment at t0)
 *   "cohorts"    from the same ledger table: the table "cohort_cells" with
 *                the cohort's size, observed cells only (ages up to the
 *                ledger's last month, or max_age)
 *   "nps"        from a responses table (score[, weight][, group]): the
 *                table "nps" (one row, or one per group)
 *   "renewals"   from a contracts table (customer, start and end DATEs,
 *                value over the term[, group][, id]): the table
 *                "renewals" but flags (one overall row, or one per group)
 * @endcode
 * The renewals query restates csm_renewals_compute (csmetrics/renewals.h)
 * for contracts given as the hosts give them (the CLI's contracts.csv,
 * Python's renewals()): each row one recurring contract worth `value`
 * over its term (the interval unit CSM_UNIT_TERM, so the contract options
 * of discounts and tax do not apply: normalize billing exports first).
 * Contracts of one customer with the same start and end are ordered by
 * id_column (the library's input row order), or by value without one.
 * The ledger's rules hold: duplicate rows of a customer and month are
 * summed and take the smallest segment; a month at MRR 0 (or without a
 * row) is a month without the customer; the month range is the ledger's
 * first..last active month.  The month column is a DATE (any day of the
 * month); month columns of the result are DATEs (the 1st).  Undefined
 * figures (NaN in the library) are NULL.  Sums are plain SQL sums, not
 * compensated: figures agree with the library to about 1e-12 relative
 * on data of ordinary size (docs/sql.md says what is tested).
 *
 * Identifiers (the table and column names) are pasted as given: quote
 * them in the option strings if the warehouse needs it.
 */
#ifndef CSMETRICS_SQL_H
#define CSMETRICS_SQL_H

#include "csmetrics/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The SQL dialects csm_sql_generate writes. */
typedef enum csm_sql_dialect {
    CSM_SQL_POSTGRES = 0,  /**< PostgreSQL 12 and later */
    CSM_SQL_DUCKDB = 1,    /**< DuckDB 0.9 and later */
    CSM_SQL_SNOWFLAKE = 2, /**< Snowflake */
    CSM_SQL_BIGQUERY = 3   /**< Google BigQuery (GoogleSQL) */
} csm_sql_dialect;

/** Options of csm_sql_generate; fill the defaults with the _INIT macro or
 * csm_sql_opts_init.  Column and table names are NULL for the default. */
typedef struct csm_sql_opts {
    size_t size;     /**< sizeof the struct as the caller knows it */
    int dialect;     /**< csm_sql_dialect (default CSM_SQL_POSTGRES) */
    const char *table; /**< input table; NULL = "mrr" for the ledger
                          queries, "responses" for nps */
    const char *customer_column; /**< NULL = "customer_id" */
    const char *month_column;    /**< a DATE; NULL = "month" */
    const char *mrr_column;      /**< NULL = "mrr" */
    const char *segment_column;  /**< NULL = no segments (all in 0) */
    int by_segment; /**< one row per segment (needs segment_column) */
    /** csm_movements_opts.reactivation_window: 0 = every return is a
     * reactivation (default) */
    int32_t reactivation_window;
    double tolerance;      /**< csm_movements_opts.tolerance (default 0) */
    int churn_denominator; /**< csm_churn_denominator; DAILY is CSM_EINVAL */
    int32_t window;        /**< retention window in months (default 12) */
    int nrr_mode;          /**< csm_nrr_mode (default snapshot) */
    int baseline;          /**< cohorts: 0 (default) or 1 */
    int32_t max_age;       /**< cohorts: ages 0..max_age; <= 0 = all */
    const char *score_column;  /**< nps: NULL = "score" (0..10) */
    const char *weight_column; /**< nps: NULL = unweighted */
    const char *group_column;  /**< nps: NULL = one row for all */
    double confidence;         /**< nps: default 0.95 */
    /* renewals (fields appended for the renewals query; group_column, when
     * set, is its grouping column: segment, channel or owner) */
    const char *start_column; /**< renewals: a DATE; NULL = "start_date" */
    const char *end_column;   /**< renewals: last day of service, a DATE;
                                 NULL = "end_date" */
    const char *value_column; /**< renewals: value over the term; NULL =
                                 "value" */
    const char *id_column;    /**< renewals: tie order of contracts with the
                                 same customer, start and end; NULL = none */
    /** renewals: the window of due end days, csm_day (days since
     * 1970-01-01), inclusive; CSM_SQL_NO_DAY (the default) = not given,
     * CSM_EINVAL for renewals. */
    int32_t window_start;
    int32_t window_end;       /**< see window_start */
    int32_t grace_days;       /**< csm_renewals_opts.grace_days (90) */
    int late_counts;          /**< csm_renewals_opts.late_counts (0) */
    int include_upsells;      /**< csm_renewals_opts.include_upsells (0) */
    /** csm_renewals_opts.as_of_day (default CSM_SQL_AS_OF_NONE, the
     * library's CSM_RENEWALS_AS_OF_NONE: every grace period is over) */
    int32_t as_of_day;
} csm_sql_opts;

/** A window day (window_start, window_end) left unset. */
#define CSM_SQL_NO_DAY INT32_MIN
/** csm_sql_opts.as_of_day when the contracts are known to no particular
 * day (INT32_MAX, as CSM_RENEWALS_AS_OF_NONE): nothing is pending. */
#define CSM_SQL_AS_OF_NONE INT32_MAX

/** Initialiser of every option at its default (size = sizeof the struct). */
#define CSM_SQL_OPTS_INIT                                                      \
    {sizeof(csm_sql_opts), CSM_SQL_POSTGRES, NULL, NULL, NULL, NULL, NULL, 0, \
     0, 0.0, 0, 12, 0, 0, 0, NULL, NULL, NULL, 0.95, NULL, NULL, NULL, NULL,   \
     CSM_SQL_NO_DAY, CSM_SQL_NO_DAY, 90, 0, 0, CSM_SQL_AS_OF_NONE}
/** Set *opts (size bytes of it) to the defaults; CSM_EINVAL if opts is
 * NULL or size < sizeof(size_t). */
CSM_API CSM_NODISCARD csm_status csm_sql_opts_init(csm_sql_opts *opts,
                                                   size_t size);
/** Overwrite the definition options of opts (churn_denominator,
 * reactivation_window, tolerance and nrr_mode) with a preset's values, exactly as csm_movements_opts_preset
 * and csm_retention_opts_preset set them.  CSM_EINVAL for opts NULL or an
 * unknown preset. */
CSM_API CSM_NODISCARD csm_status csm_sql_opts_preset(csm_sql_opts *opts,
                                                     csm_preset preset);

/** The name of a dialect: "postgres", "duckdb", "snowflake", "bigquery";
 * NULL for an unknown value. */
CSM_API const char *csm_sql_dialect_name(csm_sql_dialect dialect);

/**
 * Write into *out (a NUL-terminated string from malloc; free it with
 * csm_sql_free) one SQL query computing `metric`: a query name
 * ("movements", "retention", "cohorts", "nps", "renewals") or any catalog name or
 * alias (csm_catalog_find) whose entry has a query, e.g. "NDR" gives the
 * retention query.  opts NULL = the defaults.  Errors: CSM_EINVAL for
 * out or metric NULL, a metric without a query (field "metric"), a bad
 * option (field "opts.<name>": unknown dialect, by_segment without
 * segment_column, window < 1, reactivation_window < 0, a negative or
 * non-finite tolerance, the daily churn denominator, baseline not 0 or 1,
 * confidence outside (0, 1), an empty name; renewals: window_start or
 * window_end not given or outside [CSM_DAY_MIN, CSM_DAY_MAX], window_end
 * before window_start, grace_days < 0);
 * CSM_ENOMEM.
 */
CSM_API CSM_NODISCARD csm_status csm_sql_generate(char **out,
                                                  const char *metric,
                                                  const csm_sql_opts *opts,
                                                  csm_error *err);

/** The result table the query `query` returns, as the catalog names it
 * (csm_catalog_keys gives its keys): "movements", "retention",
 * "cohort_cells" for "cohorts", "nps", "renewals"; NULL for any other name (metric
 * names and aliases included: map them with csm_catalog_find's
 * sql_query). */
CSM_API const char *csm_sql_query_table(const char *query);

/** Free a query of csm_sql_generate (NULL is fine). */
CSM_API void csm_sql_free(char *sql);

#ifdef __cplusplus
}
#endif

#endif
