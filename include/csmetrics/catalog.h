/** @file
 * csmetrics/catalog.h - the metric catalog: every metric of the ledger
 * (movements, retention, cohorts), renewals and NPS families as data, with
 * the names users know it by, its formula in words and in symbols, its
 * unit, the result table and column it lives in, the options that change
 * it and each preset's choice.
 *
 * The catalog is static, read-only data: any number of threads may read
 * it.  An entry names its table and column; its unit and the column's
 * one-line description are read from the column lists the families
 * declare (CSM_MOVEMENTS_COLUMNS and the others), so they cannot drift
 * from the tables.  `csmetrics catalog --format json|markdown` prints it;
 * docs/metrics.md's summary table is generated from it; csmetrics/sql.h
 * turns an entry's query (sql_query) into SQL for a warehouse.
 */
#ifndef CSMETRICS_CATALOG_H
#define CSMETRICS_CATALOG_H

#include "csmetrics/common.h"
#include "csmetrics/table.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Number of presets an entry states a choice for (csm_preset values
 * 0..CSM_CATALOG_N_PRESETS-1). */
#define CSM_CATALOG_N_PRESETS 4
/** Most aliases an entry has (csm_catalog_entry.aliases). */
#define CSM_CATALOG_MAX_ALIASES 8

/** One metric of the catalog.  Every string is static (never freed), UTF-8
 * free of control characters.  The layout is part of the ABI (fields are
 * only appended). */
typedef struct csm_catalog_entry {
    const char *name;   /**< the catalog's name, snake_case ("nrr") */
    const char *title;  /**< "Net revenue retention" */
    const char *family; /**< the header family computing it ("retention") */
    /** The names users know it by ("NRR", "NDR", "net dollar retention"),
     * n_aliases of them. */
    const char *aliases[CSM_CATALOG_MAX_ALIASES];
    size_t n_aliases; /**< entries of aliases used */
    const char *formula_words; /**< the definition in words */
    const char *formula;       /**< the definition in symbols (ASCII) */
    const char *table;  /**< the result table holding it ("retention") */
    const char *column; /**< its column in that table ("nrr") */
    csm_type unit;      /**< the column's type (its unit), from the
                           family's column list */
    const char *column_doc; /**< the column's one-line description, from
                               the family's column list */
    const char *options; /**< the options that change it, in words */
    /** Each preset's choice, indexed by csm_preset: what the figure is
     * under CSM_PRESET_DEFAULT, _CHARTMOGUL_B2B, _STRIPE, _BAREMETRICS. */
    const char *presets[CSM_CATALOG_N_PRESETS];
    /** The query of csm_sql_generate (csmetrics/sql.h) returning the table
     * that holds it ("retention"); NULL when no SQL is generated (no
     * entry of this catalog: every one has a query). */
    const char *sql_query;
} csm_catalog_entry;

/** Most key columns a result table has (csm_catalog_keys). */
#define CSM_CATALOG_MAX_KEYS 4

/** Number of entries of the catalog. */
CSM_API size_t csm_catalog_count(void);

/** Entry i (0 <= i < csm_catalog_count()) into *out, its unit and column
 * description read from the family's column list.  CSM_EINVAL if out is
 * NULL or i is out of range. */
CSM_API CSM_NODISCARD csm_status csm_catalog_get(csm_catalog_entry *out,
                                                 size_t i, csm_error *err);

/** The entry whose name or one of whose aliases equals `name`, compared
 * without regard to ASCII case, spaces, '-' and '_' ("NDR", "net dollar
 * retention" and "Net-Dollar-Retention" find nrr).  CSM_EINVAL (field
 * "name") if out or name is NULL or no entry matches. */
CSM_API CSM_NODISCARD csm_status csm_catalog_find(csm_catalog_entry *out,
                                                  const char *name,
                                                  csm_error *err);

/** The name of a preset as the catalog and the CLI write it: "default",
 * "chartmogul_b2b", "stripe", "baremetrics"; NULL for an unknown value. */
CSM_API const char *csm_catalog_preset_name(csm_preset preset);

/** The preset named `name` (as csm_catalog_preset_name writes it) into
 * *out.  CSM_EINVAL (field "preset") if out or name is NULL or the name is
 * unknown. */
CSM_API CSM_NODISCARD csm_status csm_catalog_preset(csm_preset *out,
                                                    const char *name,
                                                    csm_error *err);

/** The key columns of the result table `table` (an entry's table:
 * "movements", "retention", "cohorts", "cohort_cells", "renewals", "nps"):
 * the columns identifying a row (role key in the family's column list),
 * in column order.  Their names go into names[] and their types into
 * types[] (arrays of CSM_CATALOG_MAX_KEYS; types may be NULL), their
 * count into *n ("retention": end_month (month), segment (code)).  The
 * semantic-layer exports (`csmetrics catalog --format metricflow|cube`)
 * take their entities and dimensions from here.  CSM_EINVAL (field
 * "table") if names, n or table is NULL or the table is not one the
 * catalog's entries name. */
CSM_API CSM_NODISCARD csm_status csm_catalog_keys(const char **names,
                                                  csm_type *types, size_t *n,
                                                  const char *table,
                                                  csm_error *err);

#ifdef __cplusplus
}
#endif

#endif
