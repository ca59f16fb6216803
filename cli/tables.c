/* tables.c - see tables.h. */
#include "tables.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

void month_label(char *buf, size_t n, int32_t m) {
    snprintf(buf, n, "%04d-%02d", (int)csm_month_year(m),
             (int)csm_month_month(m));
}

void day_label(char *buf, size_t n, int32_t day) {
    int32_t y, m, d;
    csm_day_to_ymd(&y, &m, &d, day);
    snprintf(buf, n, "%04d-%02d-%02d", (int)y, (int)m, (int)d);
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
        /* a number stored as an integer (an age, a month count) */
        return c->storage == CSM_STORAGE_F64 ? K_NUM : K_INT;
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
    if (listed(v->blank, c->name)) {
        table_num(t, NAN);
        return;
    }
    if (c->type == CSM_TYPE_CODE && c->storage == CSM_STORAGE_I32) {
        int32_t code = i32_at(c, row);
        if (code == CSM_CODE_ALL) {
            table_str(t, v->all_label    ? v->all_label
                         : c->null_label ? c->null_label
                                         : CSM_CODE_ALL_LABEL);
        } else if (v->code_label && v->code_label(v->arg, c, code)) {
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
    if (c->type == CSM_TYPE_ID && v->id_label &&
        v->id_label(v->arg, c, csm_column_int64(c, row))) {
        table_str(t, v->id_label(v->arg, c, csm_column_int64(c, row)));
        return;
    }
    if (c->type == CSM_TYPE_ID && v->ids &&
        (!v->id_cols || listed(v->id_cols, c->name))) {
        const char *label = csm_keys_label(v->ids, csm_column_int64(c, row), NULL);
        if (label) {
            table_str(t, label);
            return;
        }
    }
    switch (c->type) {
    case CSM_TYPE_MONTH:
        month_label(buf, sizeof buf, (int32_t)csm_column_int64(c, row));
        table_str(t, buf);
        return;
    case CSM_TYPE_DAY:
        day_label(buf, sizeof buf, (int32_t)csm_column_int64(c, row));
        table_str(t, buf);
        return;
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

/* The rows of src that v keeps: *n indices (free the array). */
static size_t *kept_rows(const csm_table *src, const tview *v, size_t *n) {
    size_t *rows = xalloc(src->n_rows, sizeof *rows);
    *n = 0;
    for (size_t i = 0; i < src->n_rows; i++)
        if (!v->keep_row || v->keep_row(v->arg, src, i))
            rows[(*n)++] = i;
    return rows;
}

/* The report table of rows `rows` of src through v.  skip != NULL: only
 * src's key columns other than skip (the rows of a wide view built from
 * its cells alone). */
static table *build(const csm_table *src, const tview *v, const size_t *rows,
                    size_t n, const csm_column *skip) {
    /* the columns shown: indices into src->columns */
    for (const char *const *p = v->omit; p && *p; p++)
        (void)column_index(src, *p);
    for (const char *const *p = v->blank; p && *p; p++)
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
            if (skip && (c == skip || c->role != CSM_ROLE_KEY))
                continue;
            if (listed(v->omit, c->name))
                continue;
            if (c->type == CSM_TYPE_CODE && !v->keep_all && !v->all_label &&
                all_all(c, rows, n))
                continue;
            if (nc == OUT_MAXCOLS)
                bug(src, "too many columns at", c->name);
            cols[nc++] = j;
        }
    }
    table *t = table_new(v->key, v->title);
    t->full_only = v->full_only;
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
    return t;
}

table *table_from_csm(const csm_table *src, const tview *v) {
    size_t n;
    size_t *rows = kept_rows(src, v, &n);
    table *t = build(src, v, rows, n, NULL);
    free(rows);
    return t;
}

/* ---- wide views ----------------------------------------------------------- */

/* 1 when value ra of column a equals value rb of column b (key columns:
 * text, floating point or integer storage). */
static int same_value(const csm_column *a, size_t ra, const csm_column *b,
                      size_t rb) {
    if (a->storage == CSM_STORAGE_STR || b->storage == CSM_STORAGE_STR) {
        if (a->storage != b->storage)
            return 0;
        const char *x = ((const char *const *)a->data)[ra];
        const char *y = ((const char *const *)b->data)[rb];
        return x == y || (x && y && strcmp(x, y) == 0);
    }
    if (a->storage == CSM_STORAGE_F64 || b->storage == CSM_STORAGE_F64) {
        double x = csm_column_double(a, ra), y = csm_column_double(b, rb);
        return x == y || (isnan(x) && isnan(y));
    }
    /* an undefined key (the "all" code) matches only an undefined one:
     * csm_column_int64 reads it as 0, a real code too */
    int va = csm_column_is_valid(a, ra), vb = csm_column_is_valid(b, rb);
    if (va != vb)
        return 0;
    return !va || csm_column_int64(a, ra) == csm_column_int64(b, rb);
}

/* The name of the column of pivot value `row` of column c. */
static void pivot_name(char *buf, size_t n, const char *prefix,
                       const tview *v, const csm_column *c, size_t row) {
    char lab[64];
    if (c->type == CSM_TYPE_MONTH) {
        month_label(lab, sizeof lab, (int32_t)csm_column_int64(c, row));
    } else if (c->type == CSM_TYPE_CODE && c->storage == CSM_STORAGE_I32 &&
               v->code_label && i32_at(c, row) != CSM_CODE_ALL &&
               v->code_label(v->arg, c, i32_at(c, row))) {
        snprintf(lab, sizeof lab, "%s", v->code_label(v->arg, c, i32_at(c, row)));
    } else if (c->storage == CSM_STORAGE_STR) {
        const char *s = ((const char *const *)c->data)[row];
        snprintf(lab, sizeof lab, "%s", s ? s : "");
    } else if (c->storage == CSM_STORAGE_F64) {
        snprintf(lab, sizeof lab, "%g", csm_column_double(c, row));
    } else {
        snprintf(lab, sizeof lab, "%lld", (long long)csm_column_int64(c, row));
    }
    snprintf(buf, n, "%s%s", prefix ? prefix : "", lab);
}

/* 1 when row ra of the columns a and row rb of the columns b hold equal
 * values (nk columns each). */
static int same_keys(const csm_column *const *a, size_t ra,
                     const csm_column *const *b, size_t rb, size_t nk) {
    for (size_t k = 0; k < nk; k++)
        if (!same_value(a[k], ra, b[k], rb))
            return 0;
    return 1;
}

table *table_pivot_from_csm(const csm_table *src, const tview *v,
                            const tpivot *p) {
    const csm_table *cells = p->cells;
    /* the pivot: named, or the one key of the cells src lacks */
    const csm_column *pc = NULL;
    if (p->pivot) {
        pc = &cells->columns[column_index(cells, p->pivot)];
    } else {
        for (size_t j = 0; src && j < cells->n_columns; j++) {
            const csm_column *c = &cells->columns[j];
            if (c->role != CSM_ROLE_KEY || csm_table_find(src, c->name))
                continue;
            if (pc)
                bug(cells, "a second pivot key", c->name);
            pc = c;
        }
        if (!pc)
            bug(cells, "no pivot key beside the keys of",
                src ? src->name : "the cells");
    }
    const csm_column *val = &cells->columns[column_index(cells, p->value)];
    if (val->storage == CSM_STORAGE_STR)
        bug(cells, "a text value to pivot", val->name);
    /* the join keys: ka in the wide rows' table, kb in the cells; src's
     * key columns, or the cells' own other than the pivot */
    const csm_table *rt = src ? src : cells;
    const csm_column *ka[OUT_MAXCOLS], *kb[OUT_MAXCOLS];
    size_t nk = 0;
    for (size_t j = 0; j < rt->n_columns; j++) {
        const csm_column *c = &rt->columns[j];
        if (c->role != CSM_ROLE_KEY || c == pc || nk == OUT_MAXCOLS)
            continue;
        ka[nk] = c;
        kb[nk] = csm_table_find(cells, c->name);
        if (!kb[nk])
            bug(cells, "no key column", c->name);
        nk++;
    }
    /* the cells seen: every one, or those v keeps when the rows come from
     * the cells themselves */
    size_t nseen;
    size_t *seen;
    if (src) {
        seen = xalloc(cells->n_rows, sizeof *seen);
        for (nseen = 0; nseen < cells->n_rows; nseen++)
            seen[nseen] = nseen;
    } else {
        seen = kept_rows(cells, v, &nseen);
    }
    /* the pivot values: cell rows holding each distinct value, ascending */
    size_t *pv = xalloc(cells->n_rows, sizeof *pv), npv = 0;
    for (size_t q = 0; q < nseen; q++) {
        size_t r = seen[q], k = 0;
        while (k < npv && !same_value(pc, pv[k], pc, r))
            k++;
        if (k < npv)
            continue;
        /* insertion in ascending order */
        double x = csm_column_double(pc, r);
        size_t at = npv;
        if (pc->storage != CSM_STORAGE_STR)
            while (at > 0 && csm_column_double(pc, pv[at - 1]) > x)
                at--;
        memmove(pv + at + 1, pv + at, (npv - at) * sizeof *pv);
        pv[at] = r;
        npv++;
    }
    if (npv + rt->n_columns > OUT_MAXCOLS)
        bug(cells, "too many pivot values in", pc->name);
    /* the wide rows: src's rows kept by v, or one per distinct key of the
     * cells seen (its first cell stands for it) */
    size_t n;
    size_t *rows;
    if (src) {
        rows = kept_rows(src, v, &n);
    } else {
        rows = xalloc(nseen, sizeof *rows);
        n = 0;
        for (size_t q = 0; q < nseen; q++) {
            size_t i = n;
            while (i > 0 && !same_keys(ka, rows[i - 1], kb, seen[q], nk))
                i--;
            if (i == 0)
                rows[n++] = seen[q];
        }
    }
    /* the wide values: n rows x npv, undefined where no cell is */
    double *w = xalloc(n * npv, sizeof *w);
    for (size_t i = 0; i < n * npv; i++)
        w[i] = NAN;
    size_t at = 0; /* the row matched last: cells usually follow the rows */
    for (size_t q = 0; q < nseen && n; q++) {
        size_t r = seen[q], i = at, tries = 0;
        for (; tries < n; tries++, i = (i + 1) % n)
            if (same_keys(ka, rows[i], kb, r, nk))
                break;
        if (tries == n)
            continue; /* a cell of a row the view leaves out */
        at = i;
        size_t k = 0;
        while (!same_value(pc, pv[k], pc, r))
            k++;
        if (csm_column_is_valid(val, r) &&
            (!p->keep_cell || p->keep_cell(v->arg, cells, r)))
            w[i * npv + k] = csm_column_double(val, r);
    }
    table *t = build(rt, v, rows, n, src ? NULL : pc);
    double *col = xalloc(n, sizeof *col);
    char name[128];
    for (size_t k = 0; k < npv; k++) {
        for (size_t i = 0; i < n; i++)
            col[i] = w[i * npv + k];
        pivot_name(name, sizeof name, p->prefix, v, pc, pv[k]);
        table_append_col(t, name, kind_of(val), role_of(val), col);
    }
    free(col);
    free(w);
    free(rows);
    free(pv);
    free(seen);
    return t;
}
