/* tables.h - one generic path from a table the library describes
 * (csmetrics/table.h: columns with a name, a type and a role) to a report
 * table (out.h), so a section lists no columns by hand.
 *
 * Columns.  Every column of the library's table, in its declared order,
 * under its declared name, with a kind derived from its type:
 *   money -> K_MONEY, fraction -> K_PCT, count -> K_INT, number -> K_NUM,
 *   flags -> K_FLAGS, bool -> K_BOOL,
 *   month -> "YYYY-MM", day -> "YYYY-MM-DD", id -> the decimal id,
 *   code -> the view's code_label (the decimal code without one), and
 *   CSM_CODE_ALL -> "all", text -> the text (all K_TEXT);
 *   a type this CLI does not know: a number (K_NUM), or text if stored as
 *   text.
 * An undefined value (csm_column_is_valid) is an undefined cell: "n/a" in
 * the text report, null in JSON, an empty CSV field.
 *
 * Per-format selection, from the roles: KEY and MAIN columns are shown in
 * every format, DETAIL columns only in JSON and CSV (the report table keeps
 * them with role R_DETAIL and out.c's text writer leaves them out).
 *
 * A KEY column of type CODE whose every value in the rows kept is
 * CSM_CODE_ALL ("all") is dropped in every format: it only says that the
 * table is not broken down, so a table computed without --by has no
 * segment column.  (A code column that mixes "all" rows with real codes is
 * kept.)
 *
 * Curated views.  A view with `only` set shows exactly those columns, in
 * that order, in every format whatever their role (a one-row summary that
 * picks a few figures of a wider table); their role in the report is KEY
 * for key columns and MAIN for the others.  The all-"all" rule does not
 * apply to them: the list is exact.
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
    /* Label of code `code` (never CSM_CODE_ALL) of code column c; the
     * string is copied at once.  NULL = the decimal code. */
    const char *(*code_label)(const void *arg, const csm_column *c,
                              int32_t code);
    /* 0 to leave row `row` of t out of the report (a rule such as "no
     * segment rows without MRR").  NULL = every row. */
    int (*keep_row)(const void *arg, const csm_table *t, size_t row);
    const void *arg; /* passed to code_label and keep_row */
} tview;

/* The report table of library table src seen through view v (the rules
 * above).  Exits with 70 when out of memory or when v names a column src
 * does not have (a bug). */
table *table_from_csm(const csm_table *src, const tview *v);

/* "YYYY-MM" of month index m. */
void month_label(char *buf, size_t n, int32_t m);

#endif
