/* extensions/postgres/pg_columns.h - how a result table's column becomes
 * an SQL column: the one mapping that both the install script's generator
 * (gen_sql.c: the RETURNS TABLE lists) and the extension (csmetrics_pg.c:
 * the values) read, so the two cannot disagree.  Plain C on the public
 * headers; no PostgreSQL header here. */
#ifndef CSM_PG_COLUMNS_H
#define CSM_PG_COLUMNS_H

#include <string.h>

#include "csmetrics/table.h"

/** The SQL side of a column. */
typedef enum pgc_kind {
    PGC_DATE,    /**< month (its first day) or day */
    PGC_ID_TEXT, /**< a customer or account id: its label */
    PGC_SEGMENT, /**< a segment code: its label ("segment", "group") */
    PGC_TEXT,    /**< text */
    PGC_INT4,    /**< other i32 values (codes, ages) */
    PGC_INT8,    /**< i64 and u32 values (counts, flags, row numbers) */
    PGC_FLOAT8,  /**< f64 values */
    PGC_BOOL     /**< 0/1 */
} pgc_kind;

static inline pgc_kind pgc_kind_of(const csm_column *c) {
    switch (c->type) {
    case CSM_TYPE_MONTH:
    case CSM_TYPE_DAY:
        return PGC_DATE;
    case CSM_TYPE_ID:
        if (!strcmp(c->name, "customer_id") || !strcmp(c->name, "account"))
            return PGC_ID_TEXT;
        return PGC_INT8;
    case CSM_TYPE_CODE:
        if (!strcmp(c->name, "segment") || !strcmp(c->name, "group"))
            return PGC_SEGMENT;
        break;
    case CSM_TYPE_BOOL:
        return PGC_BOOL;
    case CSM_TYPE_TEXT:
        return PGC_TEXT;
    default:
        break;
    }
    switch (c->storage) {
    case CSM_STORAGE_I32: return PGC_INT4;
    case CSM_STORAGE_F64: return PGC_FLOAT8;
    case CSM_STORAGE_STR: return PGC_TEXT;
    case CSM_STORAGE_U8: return PGC_INT4;
    default: return PGC_INT8; /* i64, u32 */
    }
}

static inline const char *pgc_sql_type(pgc_kind k) {
    static const char *const names[] = {"date", "text", "text", "text",
                                        "integer", "bigint",
                                        "double precision", "boolean"};
    return names[k];
}

#endif
