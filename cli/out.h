/* out.h - report tables rendered as aligned text, CSV or JSON. */
#ifndef CSMCLI_OUT_H
#define CSMCLI_OUT_H

#include <stddef.h>
#include <stdio.h>

typedef enum {
    K_TEXT,  /* string */
    K_INT,   /* whole number with thousands separators */
    K_MONEY, /* currency units, 2 decimals, thousands separators */
    K_PCT,   /* fraction shown as a percentage with one decimal */
    K_NUM,   /* plain number, 2 decimals */
    K_NUM3,  /* plain number, 3 decimals */
    K_FLAGS, /* CSM_FLAG_* bits: an integer (text: hexadecimal) */
    K_BOOL   /* 0 or 1: text "yes" / "no", JSON true / false */
} kind;

/* Where a column is shown.  R_NONE (hand-built columns): in every format.
 * A column from a table the library describes carries its role
 * (csmetrics/table.h): R_KEY and R_MAIN columns are shown in every format,
 * R_DETAIL columns only in the full formats (JSON and CSV), not in the
 * text report. */
typedef enum { R_NONE = 0, R_KEY, R_MAIN, R_DETAIL } colrole;

typedef struct {
    int is_text;
    double v;  /* NaN = not available */
    char *s;
} cell;

#define OUT_MAXCOLS 64

typedef struct table {
    char *key;   /* JSON / CSV section key, snake_case */
    char *title; /* for people */
    size_t ncols;
    char *colname[OUT_MAXCOLS];
    kind colkind[OUT_MAXCOLS];
    colrole colrole[OUT_MAXCOLS];
    size_t nrows, cap;
    size_t fill; /* cells filled in the current row */
    cell *cells;
    size_t nnotes;
    char *notes[16];
    /* 1: a table too long for people (one row per contract, ...): in the
     * full formats (JSON and CSV) only, left out of the text report */
    int full_only;
} table;

/* FMT_HTML: the dashboard (html.h), drawn from the JSON document. */
typedef enum { FMT_TEXT, FMT_JSON, FMT_CSV, FMT_HTML } format;

table *table_new(const char *key, const char *title);
/* Append a column (exits with 70 past OUT_MAXCOLS columns: a bug). */
void table_col(table *t, const char *name, kind k);
/* The same with the role of a column the library describes. */
void table_col_role(table *t, const char *name, kind k, colrole role);
/* Append a column to a table whose rows are already filled: row i gets
 * v[i] (NaN = undefined).  For the pivoted columns of a wide view
 * (tables.c; exits with 70 past OUT_MAXCOLS columns: a bug). */
void table_append_col(table *t, const char *name, kind k, colrole role,
                      const double *v);
void table_row(table *t);                     /* start a new row */
void table_num(table *t, double v);           /* next cell */
void table_str(table *t, const char *s);      /* next cell */
void table_note(table *t, const char *fmt, ...);
void table_free(table *t);

/* A report: tables in order plus report-level notes. */
typedef struct report {
    size_t n, cap;
    table **tables;
    size_t nnotes;
    char *notes[64];
    char as_of[16];
} report;

void report_add(report *r, table *t);
void report_note(report *r, const char *fmt, ...);
/* Text, JSON or CSV (FMT_HTML: see html.h). */
void report_print(FILE *f, const report *r, format fmt);
/* The report's JSON document (schema csmetrics-report, docs/cli.md) as a
 * string to free(); flags: jansson's json_dumps flags added to the
 * report's own (JSON_INDENT(1) for --format json, JSON_COMPACT |
 * JSON_ESCAPE_SLASH for the dashboard).  Exits with 70 when out of
 * memory. */
char *report_json_text(const report *r, size_t flags);
void report_free(report *r);

/* "1,234,567.89" (decimals digits after the point) */
void fmt_grouped(char *buf, size_t n, double v, int decimals);

#endif
