/** @file
 * csmetrics/table.h - the self-describing result tables every family
 * returns, and their export through the Apache Arrow C Data Interface.
 *
 * A *result* (csm_result) is one allocation holding one or more *tables*
 * (csm_table); a table has a name, a row count and columns; a column has a
 * name, a type (csm_type), a storage type (csm_storage), a one-line
 * description and its n_rows values in one contiguous array.  Every family
 * declares its columns once, as an X-macro list in its public header
 * (CSM_MOVEMENTS_COLUMNS in movements.h, for instance); the typed struct a C
 * caller reads (csm_movements: m->nrr[i]), the descriptors below, the free,
 * the Arrow export, the Python bindings and the CLI's writers all derive
 * from that list.  docs/tables.md has the layout, the type set, the Arrow
 * mapping and how to add a metric; docs/columns.md lists every column of
 * every family's tables.
 *
 * Memory and ownership: a family's compute function allocates its result
 * in one block through the allocator the computation was given (the
 * ledger's, or the allocator in the call's options; NULL = libc).  The
 * typed struct, the table and column descriptors, and every column's data
 * live in that block, so they stay valid, unchanged, until the result is
 * released.  csm_result_free releases the caller's reference; an Arrow
 * export holds a reference of its own (released by the Arrow release
 * callback), so a consumer may keep exported columns after the caller has
 * freed the result.  The reference count is atomic: exports and frees may
 * happen on different threads.
 *
 * ABI: csm_table and csm_column are read-only views whose layout is part of
 * the ABI; fields are only ever appended.  A family may append columns to
 * the last column list its typed struct expands (a minor version);
 * appending to an earlier list of a struct that expands several, or
 * removing or reordering columns, is an ABI break (a soname bump).  Hosts that iterate the descriptors keep working
 * when columns are appended; hosts should look columns up by name, not by
 * index, across versions.
 *
 * Threads: a result is immutable once returned; any number of threads may
 * read it and export it at once.
 */
#ifndef CSMETRICS_TABLE_H
#define CSMETRICS_TABLE_H

#include "csmetrics/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- column types ----------------------------------------------------- */
/** What a column means (its unit), independent of how it is stored. */
typedef enum csm_type {
    CSM_TYPE_MONTH = 1,    /**< month index (csm_month); Arrow date32, the 1st */
    CSM_TYPE_DAY = 2,      /**< days since 1970-01-01; Arrow date32 */
    CSM_TYPE_ID = 3,       /**< a customer / account / contract id */
    CSM_TYPE_CODE = 4,     /**< a segment, group, owner or band code */
    CSM_TYPE_COUNT = 5,    /**< a number of customers, accounts, events */
    CSM_TYPE_MONEY = 6,    /**< currency units (per month for MRR) */
    CSM_TYPE_FRACTION = 7, /**< a rate or share, 0.95 = 95% */
    CSM_TYPE_NUMBER = 8,   /**< any other quantity (months, scores, ratios) */
    CSM_TYPE_FLAGS = 9,    /**< CSM_FLAG_* bits */
    CSM_TYPE_BOOL = 10,    /**< 0 or 1 */
    CSM_TYPE_TEXT = 11     /**< NUL-terminated UTF-8 text */
} csm_type;

/** How a column's values are stored: the C element type of its array. */
typedef enum csm_storage {
    CSM_STORAGE_I32 = 1, /**< int32_t */
    CSM_STORAGE_I64 = 2, /**< int64_t */
    CSM_STORAGE_U32 = 3, /**< uint32_t */
    CSM_STORAGE_F64 = 4, /**< double */
    CSM_STORAGE_U8 = 5,  /**< uint8_t */
    CSM_STORAGE_STR = 6  /**< const char * (NULL = no value) */
} csm_storage;

/** A column's role in its table. */
typedef enum csm_role {
    CSM_ROLE_KEY = 1,   /**< identifies the row (month, segment, group...);
                           the key columns together are unique */
    CSM_ROLE_MAIN = 2,  /**< a headline value: shown in condensed views (the
                           CLI's text report) */
    CSM_ROLE_DETAIL = 3 /**< a supporting value: in full views (json, csv,
                           Python, Arrow) but not in condensed ones */
} csm_role;

/** The C element types, for the X-macro column lists (CSM_COLUMN_MEMBER):
 * CSM_CTYPE_<STORAGE> is the element type of a CSM_STORAGE_<STORAGE>
 * column; I32 is int32_t. */
#define CSM_CTYPE_I32 int32_t
/** Element type of a CSM_STORAGE_I64 column: int64_t. */
#define CSM_CTYPE_I64 int64_t
/** Element type of a CSM_STORAGE_U32 column: uint32_t. */
#define CSM_CTYPE_U32 uint32_t
/** Element type of a CSM_STORAGE_F64 column: double. */
#define CSM_CTYPE_F64 double
/** Element type of a CSM_STORAGE_U8 column: uint8_t. */
#define CSM_CTYPE_U8 uint8_t
/** Element type of a CSM_STORAGE_STR column: const char * (NULL = no
 * value). */
#define CSM_CTYPE_STR const char *

/** Name of a type or storage ("month", "money", "f64"...); "unknown" for an
 * unknown value.  Never NULL. */
CSM_API const char *csm_type_name(csm_type type);
/** Name of a storage type as docs/tables.md and docs/columns.md write it
 * ("i32", "i64", "u32", "f64", "u8", "str"); "unknown" for an unknown
 * value.  Never NULL. */
CSM_API const char *csm_storage_name(csm_storage storage);
/** Name of a role: "key", "main" or "detail" (the Arrow metadata
 * "csm.role"); "unknown" for an unknown value.  Never NULL. */
CSM_API const char *csm_role_name(csm_role role); /* "key", "main", "detail" */
/** Size in bytes of one element of a storage type (0 if unknown). */
CSM_API size_t csm_storage_size(csm_storage storage);

/**
 * The code of a breakdown's "all" row (INT32_MIN): the undefined value of
 * CODE columns.
 *
 * Undefined values.  A value that is not defined is stored as a sentinel
 * and exported to Arrow as null:
 * @code{.unparsed}
 *   F64 columns: NaN (a rate whose denominator is zero, a cell not yet
 *                observed, a median not reached);
 *   MONTH columns: CSM_MONTH_NONE (INT32_MIN), and a month so far from
 *                1970 (over 5.8 million years) that its first day is not
 *                an int32 day;
 *   DAY columns: INT32_MIN (a day that did not happen, e.g. the last
 *                review of an account never reviewed);
 *   CODE columns: CSM_CODE_ALL (INT32_MIN), the "all" row of a breakdown
 *                (as SQL's ROLLUP marks its total rows with NULL);
 *   STR columns: NULL.
 * @endcode
 * Other columns are always defined.
 */
#define CSM_CODE_ALL INT32_MIN
/** The label of CSM_CODE_ALL rows (csm_column.null_label of CODE columns). */
#define CSM_CODE_ALL_LABEL "all"
/** Function twin of CSM_CODE_ALL (INT32_MIN), for bindings. */
CSM_API int32_t csm_code_all(void);

/* ---- descriptors -------------------------------------------------------- */
/** One column of a result table: its name, description, type, storage,
 * role and values.  A read-only view into the result's block (valid until
 * the result is freed); its layout is part of the ABI (fields are only
 * appended).  docs/columns.md lists every family's columns. */
typedef struct csm_column {
    const char *name; /**< snake_case, unique in its table ("nrr") */
    const char *doc;  /**< one line: what the column holds, its unit */
    csm_type type;       /**< what the values mean (their unit) */
    csm_storage storage; /**< the C element type of data */
    csm_role role;       /**< key, main or detail value of its table */
    const void *data; /**< n_rows elements of the storage type */
    /** How to show the column's undefined value (its sentinel) as a label:
     * "all" for CODE columns (the total row of a breakdown), a family's
     * own word where its declaration says so ("unassigned" for the team
     * table's owner, CSM_TEAM_OWNER_NONE_LABEL); NULL for other columns.
     * Hosts that show labels (csmetrics/keys.h) use it for those rows. */
    const char *null_label;
} csm_column;

/** One table of a result: a name, a row count and its columns.  A read-
 * only view into the result's block (valid until the result is freed); its
 * layout is part of the ABI (fields are only appended).  Get one with
 * csm_result_table or csm_result_find. */
typedef struct csm_table {
    const char *name;         /**< the table's name ("movements") */
    size_t n_rows;            /**< rows: values in each column's data */
    size_t n_columns;         /**< descriptors in columns */
    const csm_column *columns; /**< n_columns descriptors, in declared order */
} csm_table;

typedef struct csm_result csm_result; /**< opaque: the block */

/** The tables of a result, in the family's documented order (the first is
 * the main table).  n_tables >= 1 for every result a family returns. */
CSM_API size_t csm_result_n_tables(const csm_result *r);
/** Table i, or NULL when i >= n_tables or r is NULL. */
CSM_API const csm_table *csm_result_table(const csm_result *r, size_t i);
/** The table named `name`, or NULL. */
CSM_API const csm_table *csm_result_find(const csm_result *r,
                                         const char *name);
/** The family's name for the result ("movements", "cohorts", ...). */
CSM_API const char *csm_result_kind(const csm_result *r);
/** The typed struct of the result (csm_movements *, ...): the same pointer
 * the compute function returned; cast it by csm_result_kind. */
CSM_API const void *csm_result_view(const csm_result *r);

/** Take one more reference to r (for a host that keeps a result in two
 * owners, such as an Arrow stream that may export schemas after its
 * creator let go);
 * each reference is released with csm_result_free.  Returns r (NULL stays
 * NULL). */
CSM_API csm_result *csm_result_ref(csm_result *r);

/** Release the caller's reference to a result (NULL is allowed).  The block
 * goes back to its allocator once every Arrow export of it has been
 * released too.  Every family's csm_<family>_free(x) is
 * csm_result_free(x->result). */
CSM_API void csm_result_free(csm_result *r);

/** Column `name` of table t, or NULL.  A linear search over the
 * descriptors: look a column up once, then read its data in the loop. */
CSM_API const csm_column *csm_table_find(const csm_table *t,
                                         const char *name);

/** Typed access without string lookups in a loop (sqlite3_column_* style):
 * value of row `row` (< the table's n_rows: the column does not know its
 * length) of column c converted to double (NaN for an undefined value and
 * for text) or to int64 (0 for an undefined or text value; doubles
 * truncated toward zero, 0 outside the int64 range).  A NULL column gives
 * NaN / 0.  For hot loops read c->data directly. */
CSM_API double csm_column_double(const csm_column *c, size_t row);
/** Value of row `row` (< the table's n_rows) of column c as int64: 0 for an
 * undefined value, a text column or a NULL column; an F64 value truncated
 * toward zero, 0 when it is outside the int64 range.  See
 * csm_column_double. */
CSM_API int64_t csm_column_int64(const csm_column *c, size_t row);
/** 1 when row `row` of c holds a defined value (see "Undefined values"). */
CSM_API int csm_column_is_valid(const csm_column *c, size_t row);

/* ---- Arrow C Data Interface -------------------------------------------- */
/* The two structs exactly as the Arrow specification declares them
 * (https://arrow.apache.org/docs/format/CDataInterface.html), guarded so
 * that a program including Arrow's own header as well compiles. */
#ifndef ARROW_C_DATA_INTERFACE
#define ARROW_C_DATA_INTERFACE

#define ARROW_FLAG_DICTIONARY_ORDERED 1
#define ARROW_FLAG_NULLABLE 2
#define ARROW_FLAG_MAP_KEYS_SORTED 4

struct ArrowSchema {
    // Array type description
    const char *format;
    const char *name;
    const char *metadata;
    int64_t flags;
    int64_t n_children;
    struct ArrowSchema **children;
    struct ArrowSchema *dictionary;

    // Release callback
    void (*release)(struct ArrowSchema *);
    // Opaque producer-specific data
    void *private_data;
};

struct ArrowArray {
    // Array data description
    int64_t length;
    int64_t null_count;
    int64_t offset;
    int64_t n_buffers;
    int64_t n_children;
    const void **buffers;
    struct ArrowArray **children;
    struct ArrowArray *dictionary;

    // Release callback
    void (*release)(struct ArrowArray *);
    // Opaque producer-specific data
    void *private_data;
};

#endif /* ARROW_C_DATA_INTERFACE */

/**
 * Export table t as an Arrow struct array: *schema gets format "+s" with
 * one child per column (named as the column, nullable, with the metadata
 * keys "csm.type" = csm_type_name of the column's type and "csm.role" =
 * csm_role_name of its role), and *array a struct
 * array of t->n_rows rows with one child array per column.
 *
 * Type mapping (docs/tables.md):
 * @code{.unparsed}
 *   MONTH (i32)          -> date32 "tdD", the first day of the month
 *                           (a converted buffer)
 *   DAY (i32)            -> date32 "tdD" (zero-copy)
 *   I32 / I64 / U32 / F64 -> int32 "i" / int64 "l" / uint32 "I" / float64
 *                           "g" (zero-copy)
 *   U8 (BOOL)            -> boolean "b" (bit-packed: a converted buffer)
 *   U8 (other)           -> uint8 "C" (zero-copy)
 *   STR                  -> utf8 "u" (offsets and bytes: a copy)
 * @endcode
 * Undefined values (see above) are nulls: a validity bitmap is allocated
 * for a column that has any; columns without one have a NULL validity
 * buffer and null_count 0.  The export holds a reference to the result: the
 * zero-copy buffers stay valid until both the caller's csm_result_free and
 * the consumer's release callbacks have run.  Buffers the export allocates
 * come from the result's allocator.
 *
 * Either output may be NULL to skip it.  On success each non-NULL output
 * holds a struct with a release callback the consumer must call (each child
 * is released with its parent).  The caller must still hold a reference to
 * r while it exports (a freed result cannot be detected).  Errors:
 * CSM_EINVAL (r not a result, t NULL, or t not a table of r), CSM_ERANGE (a
 * text column of more than 2 GiB, beyond Arrow's 32-bit offsets),
 * CSM_ENOMEM; on failure nothing is exported and the outputs are
 * untouched.
 */
CSM_API CSM_NODISCARD csm_status csm_table_export_arrow(
    struct ArrowSchema *schema, struct ArrowArray *array, csm_result *r,
    const csm_table *t, csm_error *err);

/* ---- declaring a family's columns --------------------------------------- */
/**
 * Expands a column list into the typed struct's pointer members: one
 * `CSM_CTYPE_<STORAGE> *member;` per column.  A family declares its
 * columns once:
 *
 * @code{.c}
 *   #define CSM_FOO_COLUMNS(X)                                        \
 *       X(month, "month", MONTH, I32, KEY, "month of the row")         \
 *       X(new_mrr, "new", MONEY, F64, MAIN, "MRR of new customers")
 * @endcode
 *
 * X(member, "column name", TYPE, STORAGE, ROLE, "description"): `member`
 * is the typed struct's pointer member, "column name" the table's (and
 * Python's, the CLI's, Arrow's) name, TYPE a csm_type without the
 * CSM_TYPE_ prefix, STORAGE a csm_storage without the CSM_STORAGE_ prefix,
 * ROLE a csm_role without the CSM_ROLE_ prefix.  The typed struct expands
 * the list with CSM_COLUMN_MEMBER (pointer members); a family whose result
 * is a plain struct of values (csm_nps_result) expands the same list with
 * CSM_FIELD_MEMBER.  lib/ expands it into the descriptors.
 * docs/tables.md, "Adding a metric", says how to add a column.
 */
#define CSM_COLUMN_MEMBER(member, name, type, storage, role, doc)              \
    CSM_CTYPE_##storage *member;
/** Expands a column list into a plain value struct's fields (csm_nps_result,
 * csm_sbg, csm_metric...): one `CSM_CTYPE_<STORAGE> member;` per column, so
 * one struct holds one row's values (see CSM_COLUMN_MEMBER). */
#define CSM_FIELD_MEMBER(member, name, type, storage, role, doc)               \
    CSM_CTYPE_##storage member;

/* ---- options of a result built from plain values ------------------------ */
/** Options of a call that builds a result table from the caller's plain
 * values rather than from a library object (the csm_*_table copies,
 * csm_projection_mrr_table, csm_sbg_project, csm_sbg_model): the result's
 * allocator.  A result computed from a library object (a ledger, a
 * scorecard, a health result, lifetimes) uses that object's allocator
 * instead.  NULL options mean the defaults. */
typedef struct csm_result_opts {
    size_t size; /**< sizeof the struct as the caller knows it */
    /** Allocator of the result, copied into it (NULL = malloc/free; a
     * half-set allocator is CSM_EINVAL, field "allocator"). */
    const csm_allocator *allocator;
} csm_result_opts;

/** Initialiser of every option at its default (size = sizeof the struct). */
#define CSM_RESULT_OPTS_INIT {sizeof(csm_result_opts), NULL}
/** Set *opts (size bytes of it) to the defaults; CSM_EINVAL if opts
 * is NULL or size < sizeof(size_t). */
CSM_API CSM_NODISCARD csm_status csm_result_opts_init(csm_result_opts *opts,
                                                      size_t size);

/* ---- one figure and its flags ----------------------------------------- */
/** The columns of the table "metric" and the fields of csm_metric
 * (docs/columns.md, "metric"): one figure and its flags (NaN +
 * CSM_FLAG_ZERO_DENOMINATOR for a zero denominator).  Its unit is the
 * function's (CAC in currency units, LTV/CAC a ratio, payback in months),
 * hence the NUMBER type of its column. */
#define CSM_METRIC_COLUMNS(X)                                                  \
    X(value, "value", NUMBER, F64, MAIN,                                       \
      "the figure, in the unit of the function that computed it")              \
    X(flags, "flags", FLAGS, U32, DETAIL, "CSM_FLAG_ZERO_DENOMINATOR")

/** One figure and its flags, as csm_ltv_seed, csm_ltv_cac, csm_cac,
 * csm_cac_payback and csm_projection_steady_state write it: value (NaN
 * when undefined) and flags (CSM_FLAG_ZERO_DENOMINATOR when a denominator
 * was zero). */
typedef struct csm_metric {
    CSM_METRIC_COLUMNS(CSM_FIELD_MEMBER)
} csm_metric;

/** The figures of csm_ltv_seed, csm_cac, csm_ltv_cac, csm_cac_payback and
 * csm_projection_steady_state (projection.h) as a table "metric": put figures
 * of one unit in one table (e.g. the CAC of each channel). */
typedef struct csm_metric_results {
    csm_result *result; /**< the self-describing table "metric" */
    size_t n_rows;  /**< rows: figures copied (n of csm_metric_table) */
    int32_t *group; /**< key: the caller's group code, or the row index */
    CSM_METRIC_COLUMNS(CSM_COLUMN_MEMBER)
} csm_metric_results;

/** Copy n figures into the table "metric": key "group" (group[i], or the
 * row index when group is NULL), then "value" and "flags"; the result comes
 * from opts->allocator (NULL = malloc/free) and is freed with
 * csm_metric_results_free.  Errors as csm_ltv_table (ltv.h). */
CSM_API CSM_NODISCARD csm_status csm_metric_table(csm_metric_results **out,
                                                  const csm_metric *rows,
                                                  const int32_t *group,
                                                  size_t n,
                                                  const csm_result_opts *opts,
                                                  csm_error *err);
/** Free a table of figures (NULL is allowed): csm_result_free(t->result). */
CSM_API void csm_metric_results_free(csm_metric_results *t);

#ifdef __cplusplus
}
#endif

#endif /* CSMETRICS_TABLE_H */
