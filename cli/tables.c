/* tables.c - see tables.h. */
#include "tables.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void month_label(char *buf, size_t n, int32_t m) {
    snprintf(buf, n, "%04d-%02d", (int)csm_month_year(m),
             (int)csm_month_month(m));
}

static void bug(const csm_table *t, const char *what, const char *name) {
    fprintf(stderr, "csmetrics: table '%s': %s '%s'\n", t->name, what, name);
    exit(70);
}

/* Index of column `name` in t; a missing name is a bug of the view. */
static size_t column_index(const csm_table *t, const char *name) {
    const csm_column *c = csm_table_find(t, name);
    if (!c)
        bug(t, "no column", name);
    return (size_t)(c - t->columns);
}

static int listed(const char *const *list, const char *name) {
    for (; list && *list; list++)
        if (strcmp(*list, name) == 0)
            return 1;
    return 0;
}

static const char *shown_name(const tview *v, const char *name) {
    for (const char *const *p = v->rename; p && p[0]; p += 2)
        if (strcmp(p[0], name) == 0)
            return p[1];
    return name;
}

static kind kind_of(const csm_column *c) {
    switch (c->type) {
    case CSM_TYPE_COUNT:
        return K_INT;
    case CSM_TYPE_MONEY:
        return K_MONEY;
    case CSM_TYPE_FRACTION:
        return K_PCT;
    case CSM_TYPE_NUMBER:
        return K_NUM;
    case CSM_TYPE_FLAGS:
        return K_FLAGS;
    case CSM_TYPE_BOOL:
        return K_BOOL;
    case CSM_TYPE_MONTH:
    case CSM_TYPE_DAY:
    case CSM_TYPE_ID:
    case CSM_TYPE_CODE:
    case CSM_TYPE_TEXT:
        return K_TEXT;
    }
    /* a type appended after this CLI was written */
    return c->storage == CSM_STORAGE_STR ? K_TEXT : K_NUM;
}

static colrole role_of(const csm_column *c) {
    switch (c->role) {
    case CSM_ROLE_KEY:
        return R_KEY;
    case CSM_ROLE_DETAIL:
        return R_DETAIL;
    case CSM_ROLE_MAIN:
    default:
        return R_MAIN;
    }
}

static int32_t i32_at(const csm_column *c, size_t row) {
    return ((const int32_t *)c->data)[row];
}

/* Append the cell of row `row` of column c to the current row of t. */
static void put_cell(table *t, const tview *v, const csm_column *c,
                     size_t row) {
    char buf[64];
    if (c->type == CSM_TYPE_CODE && c->storage == CSM_STORAGE_I32) {
        int32_t code = i32_at(c, row);
        if (code == CSM_CODE_ALL) {
            table_str(t, "all");
        } else if (v->code_label) {
            table_str(t, v->code_label(v->arg, c, code));
        } else {
            snprintf(buf, sizeof buf, "%ld", (long)code);
            table_str(t, buf);
        }
        return;
    }
    if (!csm_column_is_valid(c, row)) {
        table_num(t, NAN);
        return;
    }
    switch (c->type) {
    case CSM_TYPE_MONTH:
        month_label(buf, sizeof buf, (int32_t)csm_column_int64(c, row));
        table_str(t, buf);
        return;
    case CSM_TYPE_DAY: {
        int32_t y, m, d;
        csm_day_to_ymd(&y, &m, &d, (int32_t)csm_column_int64(c, row));
        snprintf(buf, sizeof buf, "%04d-%02d-%02d", (int)y, (int)m, (int)d);
        table_str(t, buf);
        return;
    }
    case CSM_TYPE_ID:
    case CSM_TYPE_CODE:
        snprintf(buf, sizeof buf, "%lld", (long long)csm_column_int64(c, row));
        table_str(t, buf);
        return;
    default:
        break;
    }
    if (c->storage == CSM_STORAGE_STR)
        table_str(t, ((const char *const *)c->data)[row]);
    else
        table_num(t, csm_column_double(c, row));
}

/* 1 when code column c holds CSM_CODE_ALL in every kept row. */
static int all_all(const csm_column *c, const size_t *rows, size_t n) {
    if (c->storage != CSM_STORAGE_I32)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (i32_at(c, rows[i]) != CSM_CODE_ALL)
            return 0;
    return 1;
}

table *table_from_csm(const csm_table *src, const tview *v) {
    /* the rows kept */
    size_t *rows = malloc((src->n_rows ? src->n_rows : 1) * sizeof *rows);
    if (!rows) {
        fputs("csmetrics: out of memory\n", stderr);
        exit(70);
    }
    size_t n = 0;
    for (size_t i = 0; i < src->n_rows; i++)
        if (!v->keep_row || v->keep_row(v->arg, src, i))
            rows[n++] = i;
    /* the columns shown: indices into src->columns */
    for (const char *const *p = v->omit; p && *p; p++)
        (void)column_index(src, *p);
    for (const char *const *p = v->rename; p && p[0]; p += 2)
        (void)column_index(src, p[0]);
    size_t cols[OUT_MAXCOLS], nc = 0;
    if (v->only) {
        for (const char *const *p = v->only; *p; p++)
            if (nc < OUT_MAXCOLS)
                cols[nc++] = column_index(src, *p);
            else
                bug(src, "too many columns at", *p);
    } else {
        for (size_t j = 0; j < src->n_columns; j++) {
            const csm_column *c = &src->columns[j];
            if (listed(v->omit, c->name))
                continue;
            if (c->role == CSM_ROLE_KEY && c->type == CSM_TYPE_CODE &&
                all_all(c, rows, n))
                continue;
            if (nc == OUT_MAXCOLS)
                bug(src, "too many columns at", c->name);
            cols[nc++] = j;
        }
    }
    table *t = table_new(v->key, v->title);
    for (size_t k = 0; k < nc; k++) {
        const csm_column *c = &src->columns[cols[k]];
        colrole r = role_of(c);
        if (v->only)
            r = r == R_KEY ? R_KEY : R_MAIN;
        table_col_role(t, shown_name(v, c->name), kind_of(c), r);
    }
    for (size_t i = 0; i < n; i++) {
        table_row(t);
        for (size_t k = 0; k < nc; k++)
            put_cell(t, v, &src->columns[cols[k]], rows[i]);
    }
    free(rows);
    return t;
}
