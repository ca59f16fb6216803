/* tables.h - one generic path from a table the library describes
 * (csmetrics/table.h: columns with a name, a type and a role) to a report
 * table (out.h), so a section lists no columns by hand.
 *
 * Columns.  Every column of the library's table, in its declared order,
 * under its declared name, with a kind derived from its type:
 *   money -> K_MONEY, fraction -> K_PCT, count -> K_INT, number -> K_NUM
 *   (K_INT when stored as an integer),
 *   flags -> K_FLAGS, bool -> K_BOOL,
 *   month -> "YYYY-MM", day -> "YYYY-MM-DD", id -> the user's label of
 *   the id in the view's dictionary `ids` (the decimal id without one),
 *   code -> the view's code_label (the decimal code without one), and
 *   CSM_CODE_ALL -> the column's null_label ("all"; "unassigned" for the
 *   team's owner), text -> the text (all K_TEXT);
 *   a type this CLI does not know: a number (K_NUM), or text if stored as
 *   text.
 * An undefined value (csm_column_is_valid) is an undefined cell: "n/a" in
 * the text report, null in JSON, an empty CSV field.
 *
 * Per-format selection, from the roles: KEY and MAIN columns are shown in
 * every format, DETAIL columns only in JSON and CSV (the report table keeps
 * them with role R_DETAIL and out.c's text writer leaves them out).
 *
 * A column of type CODE whose every value in the rows kept is CSM_CODE_ALL
 * ("all") is dropped in every format: it only says that the table is not
 * broken down, so a table computed without --by has no segment column.
 * (A code column that mixes "all" rows with real codes is kept; so is one
 * the view keeps with keep_all, or labels otherwise with all_label.)
 *
 * Curated views.  A view with `only` set shows exactly those columns, in
 * that order, in every format whatever their role (a one-row summary that
 * picks a few figures of a wider table); their role in the report is KEY
 * for key columns and MAIN for the others.  The all-"all" rule does not
 * apply to them: the list is exact.
 *
 * Wide views (table_pivot_from_csm).  A long table of cells (one row per
 * cohort and age, say) is shown as a wide one: the rows of the library's
 * row table (one per cohort) seen through the view, then one column per
 * value of the cells' pivot key (m0, m1, ...) holding the cells' value
 * column.  A row and a cell belong together when the key columns of the
 * row table have equal values in the cell (the cells repeat them).
 *
 * Tables too long for people (one row per contract) are marked full_only:
 * JSON and CSV show them, the text report leaves them out.  The only
 * columns added to a library table are a wide view's (table_append_col,
 * out.h).
 *
 * Switching a section to this path: compute the result, then
 *   tview v = {.key = "...", .title = "..."};
 *   report_add(x->r, table_from_csm(csm_result_table(res->result, 0), &v));
 * with code_label for code columns, keep_row for a row rule, omit / rename
 * when the report's columns differ from the library's.
 */
#ifndef CSMCLI_TABLES_H
#define CSMCLI_TABLES_H

#include <csmetrics/csmetrics.h>

#include "out.h"

typedef struct tview {
    const char *key;   /* the report table's key (JSON / CSV), snake_case */
    const char *title; /* for people */
    /* NULL-terminated column names: a curated view of exactly these
     * columns, in this order, in every format.  NULL = every column, in
     * declared order, selected by role. */
    const char *const *only;
    /* NULL-terminated column names left out in every format (columns that
     * mean nothing in this view). */
    const char *const *omit;
    /* NULL-terminated pairs {"column", "shown as", ..., NULL}: the report's
     * name of a column (JSON field names that predate the library's). */
    const char *const *rename;
    /* NULL-terminated column names shown with every value undefined
     * (figures the report could not compute in this run, e.g. at-risk
     * counts without health scores): n/a, null, an empty CSV field. */
    const char *const *blank;
    /* Label of CSM_CODE_ALL in the code columns, when the library's
     * (csm_column.null_label: "all", "unassigned") does not say what it
     * means in this table; NULL = the library's.  A code column labelled
     * so is never dropped. */
    const char *all_label;
    /* The dictionary of the ID columns' ids (the customers, data.h): a
     * cell shows the label of its id.  id_cols: the ID columns it labels
     * (NULL-terminated; NULL = every ID column).  ids NULL: decimal ids. */
    const csm_keys *ids;
    const char *const *id_cols;
    /* Label of id `id` of ID column c, asked before ids (a key that is a
     * code of the view's own, such as a lifecycle stage); the string is
     * copied at once.  NULL (the function, or what it returns) = ids'
     * label, else the decimal id. */
    const char *(*id_label)(const void *arg, const csm_column *c, int64_t id);
    /* 1: keep an all-"all" code column: the breakdown's column of a view
     * by DIM, shown even when the table has no row, or a key column the
     * table always had (the overall Kaplan-Meier curve, "all"). */
    int keep_all;
    /* 1: the table is in the JSON and CSV reports only (out.h full_only). */
    int full_only;
    /* Label of code `code` (never CSM_CODE_ALL) of code column c; the
     * string is copied at once.  NULL (the function, or what it returns
     * for a column it does not label) = the decimal code. */
    const char *(*code_label)(const void *arg, const csm_column *c,
                              int32_t code);
    /* 0 to leave row `row` of t out of the report (a rule such as "no
     * segment rows without MRR").  NULL = every row. */
    int (*keep_row)(const void *arg, const csm_table *t, size_t row);
    const void *arg; /* passed to code_label, keep_row and keep_cell */
} tview;

/* The report table of library table src seen through view v (the rules
 * above).  Exits with 70 when out of memory or when v names a column src
 * does not have (a bug). */
table *table_from_csm(const csm_table *src, const tview *v);

/* A wide view of a long table of cells (above). */
typedef struct tpivot {
    const csm_table *cells; /* the long table */
    /* Its key column whose values become columns; NULL = the one key
     * column of cells that the row table lacks (the age of a cohort's
     * cells); required without a row table. */
    const char *pivot;
    const char *value;  /* its column spread over the new columns */
    const char *prefix; /* a new column is named prefix + pivot value */
    /* 0 to show cell `row` of cells as undefined (a cell the report does
     * not see yet, say).  NULL = every cell as the library gives it. */
    int (*keep_cell)(const void *arg, const csm_table *cells, size_t row);
} tpivot;

/* The report table of row table src seen through view v (the rules
 * above), then one column per distinct value of p's pivot column over
 * every row of p->cells, ascending, of the value column's kind and role:
 * the value of the matching cell; undefined when no cell matches, when
 * the cell's value is undefined or when keep_cell leaves it out.  v's
 * only, omit, rename and blank name columns of src.
 * src NULL: the rows come from the cells themselves, one per distinct
 * value of their key columns other than the pivot (in order of first
 * appearance), and those key columns are the leading ones; v->keep_row
 * then selects the cells (a month every three, say) and the pivot values
 * are those of the cells kept.
 * Exits with 70 when out of memory or on a bug: a column named that does
 * not exist, a key of src missing from the cells, no single pivot column,
 * a text value. */
table *table_pivot_from_csm(const csm_table *src, const tview *v,
                            const tpivot *p);

/* "YYYY-MM" of month index m. */
void month_label(char *buf, size_t n, int32_t m);
/* "YYYY-MM-DD" of day index day (csm_day). */
void day_label(char *buf, size_t n, int32_t day);

#endif
