/* out.c - see out.h.  JSON is written with jansson (schema documented in
 * docs/cli.md); text is aligned for people; CSV is one block per table. */
#include "out.h"

#include <csmetrics/csmetrics.h>
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

table *table_new(const char *key, const char *title) {
    table *t = xalloc(1, sizeof *t);
    t->key = xstrdup(key);
    t->title = xstrdup(title);
    return t;
}

void table_col_role(table *t, const char *name, kind k, colrole role) {
    if (t->ncols == OUT_MAXCOLS) {
        fprintf(stderr, "csmetrics: table '%s': more than %d columns\n",
                t->key, OUT_MAXCOLS);
        exit(70);
    }
    t->colname[t->ncols] = xstrdup(name);
    t->colkind[t->ncols] = k;
    t->colrole[t->ncols] = role;
    t->ncols++;
}

void table_col(table *t, const char *name, kind k) {
    table_col_role(t, name, k, R_NONE);
}

void table_append_col(table *t, const char *name, kind k, colrole role,
                      const double *v) {
    size_t n = t->ncols;
    table_col_role(t, name, k, role);
    if (t->nrows) {
        /* widen every row by one cell, from the last row down */
        cell *nc = xrealloc(t->cells, t->cap * (n + 1), sizeof *nc);
        t->cells = nc;
        for (size_t i = t->nrows; i-- > 0;) {
            memmove(nc + i * (n + 1), nc + i * n, n * sizeof *nc);
            cell *c = &nc[i * (n + 1) + n];
            c->is_text = 0;
            c->v = v[i];
            c->s = NULL;
        }
    }
    t->fill = t->ncols;
}

void table_row(table *t) {
    if (t->nrows == t->cap) {
        t->cap = t->cap ? 2 * t->cap : 16;
        t->cells = xrealloc(t->cells, t->cap * t->ncols, sizeof *t->cells);
    }
    cell *row = t->cells + t->nrows * t->ncols;
    for (size_t i = 0; i < t->ncols; i++) {
        row[i].is_text = 0;
        row[i].v = NAN;
        row[i].s = NULL;
    }
    t->nrows++;
    t->fill = 0;
}

void table_num(table *t, double v) {
    if (t->nrows && t->fill < t->ncols)
        t->cells[(t->nrows - 1) * t->ncols + t->fill].v = v;
    t->fill++;
}

void table_str(table *t, const char *s) {
    if (t->nrows && t->fill < t->ncols) {
        cell *c = &t->cells[(t->nrows - 1) * t->ncols + t->fill];
        c->is_text = 1;
        c->s = xstrdup(s ? s : "");
    }
    t->fill++;
}

/* Append the note fmt, ap to notes[*n] unless the cap notes are taken. */
static void add_note(char **notes, size_t *n, size_t cap, const char *fmt,
                     va_list ap) {
    if (*n >= cap)
        return;
    char buf[512];
    vsnprintf(buf, sizeof buf, fmt, ap);
    notes[(*n)++] = xstrdup(buf);
}

void table_note(table *t, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    add_note(t->notes, &t->nnotes, sizeof t->notes / sizeof *t->notes, fmt, ap);
    va_end(ap);
}

void table_free(table *t) {
    if (!t)
        return;
    for (size_t i = 0; i < t->nrows * t->ncols; i++)
        free(t->cells[i].s);
    for (size_t i = 0; i < t->ncols; i++)
        free(t->colname[i]);
    for (size_t i = 0; i < t->nnotes; i++)
        free(t->notes[i]);
    free(t->cells);
    free(t->key);
    free(t->title);
    free(t);
}

void report_add(report *r, table *t) {
    if (r->n == r->cap) {
        r->cap = r->cap ? 2 * r->cap : 16;
        r->tables = xrealloc(r->tables, r->cap, sizeof *r->tables);
    }
    r->tables[r->n++] = t;
}

void report_note(report *r, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    add_note(r->notes, &r->nnotes, sizeof r->notes / sizeof *r->notes, fmt, ap);
    va_end(ap);
}

void report_free(report *r) {
    for (size_t i = 0; i < r->n; i++)
        table_free(r->tables[i]);
    for (size_t i = 0; i < r->nnotes; i++)
        free(r->notes[i]);
    free(r->tables);
    memset(r, 0, sizeof *r);
}

void fmt_grouped(char *buf, size_t n, double v, int decimals) {
    char raw[64];
    snprintf(raw, sizeof raw, "%.*f", decimals, fabs(v));
    char *dot = strchr(raw, '.');
    size_t ilen = dot ? (size_t)(dot - raw) : strlen(raw);
    char out[96];
    size_t o = 0;
    /* no "-0.00" */
    int neg = v < 0 && strspn(raw, "0.") != strlen(raw);
    if (neg)
        out[o++] = '-';
    for (size_t i = 0; i < ilen; i++) {
        out[o++] = raw[i];
        size_t left = ilen - i - 1;
        if (left && left % 3 == 0)
            out[o++] = ',';
    }
    if (dot)
        for (const char *p = dot; *p && o < sizeof out - 1; p++)
            out[o++] = *p;
    out[o] = '\0';
    snprintf(buf, n, "%s", out);
}

static void fmt_cell(char *buf, size_t n, const cell *c, kind k) {
    if (c->is_text) {
        snprintf(buf, n, "%s", c->s);
        return;
    }
    if (isnan(c->v)) {
        snprintf(buf, n, "n/a");
        return;
    }
    switch (k) {
    case K_INT:
        fmt_grouped(buf, n, c->v, 0);
        break;
    case K_MONEY:
        fmt_grouped(buf, n, c->v, 2);
        break;
    case K_PCT:
        snprintf(buf, n, "%.1f%%", 100.0 * c->v);
        break;
    case K_NUM3:
        snprintf(buf, n, "%.3f", c->v);
        break;
    case K_FLAGS:
        snprintf(buf, n, "0x%llx", (unsigned long long)c->v);
        break;
    case K_BOOL:
        snprintf(buf, n, "%s", c->v != 0 ? "yes" : "no");
        break;
    case K_NUM:
    default:
        snprintf(buf, n, "%.2f", c->v);
        break;
    }
}

/* The width of UTF-8 text s on a terminal: its characters (labels from the
 * input files may hold any; the loader checked their encoding). */
static size_t text_width(const char *s) {
    size_t w = 0;
    for (; *s; s++)
        w += ((unsigned char)*s & 0xC0) != 0x80;
    return w;
}

/* s in a column w characters wide (left-aligned or right-aligned), after
 * two spaces unless it is the first column. */
static void put_padded(FILE *f, const char *s, size_t w, int left, int first) {
    size_t pad = w - text_width(s);
    if (!first)
        fputs("  ", f);
    if (left)
        fputs(s, f);
    for (size_t k = 0; k < pad; k++)
        fputc(' ', f);
    if (!left)
        fputs(s, f);
}

/* The text report is the condensed view: it leaves out R_DETAIL columns. */
static void print_text(FILE *f, const table *t) {
    fprintf(f, "%s\n", t->title);
    for (size_t i = 0; t->title[i]; i++)
        fputc('-', f);
    fputc('\n', f);
    size_t w[OUT_MAXCOLS], show[OUT_MAXCOLS], ns = 0;
    char buf[1024];
    for (size_t j = 0; j < t->ncols; j++)
        if (t->colrole[j] != R_DETAIL)
            show[ns++] = j;
    for (size_t s = 0; s < ns; s++)
        w[s] = text_width(t->colname[show[s]]);
    for (size_t i = 0; i < t->nrows; i++)
        for (size_t s = 0; s < ns; s++) {
            size_t j = show[s];
            fmt_cell(buf, sizeof buf, &t->cells[i * t->ncols + j],
                     t->colkind[j]);
            if (text_width(buf) > w[s])
                w[s] = text_width(buf);
        }
    if (t->nrows) {
        for (size_t s = 0; s < ns; s++) {
            size_t j = show[s];
            put_padded(f, t->colname[j], w[s], t->colkind[j] == K_TEXT, s == 0);
        }
        fputc('\n', f);
        for (size_t i = 0; i < t->nrows; i++) {
            for (size_t s = 0; s < ns; s++) {
                size_t j = show[s];
                const cell *c = &t->cells[i * t->ncols + j];
                fmt_cell(buf, sizeof buf, c, t->colkind[j]);
                put_padded(f, buf, w[s], t->colkind[j] == K_TEXT, s == 0);
            }
            fputc('\n', f);
        }
    }
    for (size_t i = 0; i < t->nnotes; i++)
        fprintf(f, "  note: %s\n", t->notes[i]);
    fputc('\n', f);
}

static void csv_field(FILE *f, const char *s) {
    if (strpbrk(s, ",\"\n\r")) {
        fputc('"', f);
        for (; *s; s++) {
            if (*s == '"')
                fputc('"', f);
            fputc(*s, f);
        }
        fputc('"', f);
    } else {
        fputs(s, f);
    }
}

static void print_csv(FILE *f, const table *t) {
    fputs("section", f);
    for (size_t j = 0; j < t->ncols; j++) {
        fputc(',', f);
        csv_field(f, t->colname[j]);
    }
    fputc('\n', f);
    for (size_t i = 0; i < t->nrows; i++) {
        csv_field(f, t->key);
        for (size_t j = 0; j < t->ncols; j++) {
            const cell *c = &t->cells[i * t->ncols + j];
            fputc(',', f);
            if (c->is_text)
                csv_field(f, c->s);
            else if (!isnan(c->v))
                fprintf(f, "%.17g", c->v);
        }
        fputc('\n', f);
    }
    fputc('\n', f);
}

/* The JSON writer's constructors: a value libjansson could not allocate
 * ends the run as out of memory (exit 70; xalloc.h), never a silently
 * missing key or an empty report with exit 0.  jstr(NULL) and jset/jadd
 * of NULL leave the key out, as before. */
static json_t *jnew(json_t *v) {
    if (!v)
        out_of_memory();
    return v;
}
static json_t *jstr(const char *s) { return s ? jnew(json_string(s)) : NULL; }
static void jset(json_t *o, const char *k, json_t *v) {
    if (v && json_object_set_new(o, k, v) != 0)
        out_of_memory();
}
static void jadd(json_t *a, json_t *v) {
    if (v && json_array_append_new(a, v) != 0)
        out_of_memory();
}

static json_t *table_json(const table *t) {
    json_t *o = jnew(json_object());
    jset(o, "key", jstr(t->key));
    jset(o, "title", jstr(t->title));
    json_t *cols = jnew(json_array());
    static const char *kn[] = {"text",   "int",    "money", "fraction",
                               "number", "number", "flags", "bool"};
    static const char *rn[] = {NULL, "key", "main", "detail"};
    for (size_t j = 0; j < t->ncols; j++) {
        json_t *c = jnew(json_object());
        jset(c, "name", jstr(t->colname[j]));
        jset(c, "type", jstr(kn[t->colkind[j]]));
        /* columns the library describes: their role in this table */
        if (t->colrole[j] != R_NONE)
            jset(c, "role", jstr(rn[t->colrole[j]]));
        jadd(cols, c);
    }
    jset(o, "columns", cols);
    json_t *rows = jnew(json_array());
    for (size_t i = 0; i < t->nrows; i++) {
        json_t *row = jnew(json_object());
        for (size_t j = 0; j < t->ncols; j++) {
            const cell *c = &t->cells[i * t->ncols + j];
            json_t *v;
            if (c->is_text)
                v = jstr(c->s);
            else if (isnan(c->v) || isinf(c->v))
                v = json_null();
            else if ((t->colkind[j] == K_INT || t->colkind[j] == K_FLAGS) &&
                     fabs(c->v) < 9e15 && c->v == trunc(c->v))
                v = jnew(json_integer((json_int_t)c->v));
            /* a weighted count with a fraction stays a real, not truncated */
            else if (t->colkind[j] == K_BOOL)
                v = json_boolean(c->v != 0);
            else
                v = jnew(json_real(c->v));
            jset(row, t->colname[j], v);
        }
        jadd(rows, row);
    }
    jset(o, "rows", rows);
    json_t *notes = jnew(json_array());
    for (size_t i = 0; i < t->nnotes; i++)
        jadd(notes, jstr(t->notes[i]));
    jset(o, "notes", notes);
    return o;
}

/* The JSON schema's version.  1: the first.  2: the sections built from a
 * table the library describes (cli/tables.h: movements, movements_by and
 * the summary) give each column its "role" ("key", "main", "detail");
 * movements and movements_by have every column of the library's table in
 * its declared order, detail ones too (new columns between the old ones);
 * column types "flags" and "bool" are added.  Then, still 2 (fields only
 * added): retention, renewals, cohorts, survival, NPS, projection and team
 * come from the described tables too, with their detail columns; new
 * sections renewal_contracts (json and csv only) and team_summary.
 * 3: the library's column names, never renamed; among them summary
 * "closing_mrr" (was "mrr"); nps "group" (was "period"), nps and nps_by
 * "n" (was "responses") and "se" (was "stderr").  ltv gains its detail
 * columns. */
#define REPORT_SCHEMA_VERSION 3

char *report_json_text(const report *r, size_t flags) {
    json_t *o = jnew(json_object());
    jset(o, "schema", jstr("csmetrics-report"));
    jset(o, "schema_version", jnew(json_integer(REPORT_SCHEMA_VERSION)));
    jset(o, "library_version", jstr(csm_version()));
    jset(o, "as_of", jstr(r->as_of));
    json_t *secs = jnew(json_array());
    for (size_t i = 0; i < r->n; i++)
        jadd(secs, table_json(r->tables[i]));
    jset(o, "sections", secs);
    json_t *notes = jnew(json_array());
    for (size_t i = 0; i < r->nnotes; i++)
        jadd(notes, jstr(r->notes[i]));
    jset(o, "notes", notes);
    char *text = json_dumps(o, flags | JSON_PRESERVE_ORDER |
                                   JSON_REAL_PRECISION(17));
    json_decref(o);
    if (!text)
        out_of_memory();
    return text;
}

void report_print(FILE *f, const report *r, format fmt) {
    if (fmt == FMT_JSON) {
        char *text = report_json_text(r, JSON_INDENT(1));
        fputs(text, f);
        fputc('\n', f);
        free(text);
        return;
    }
    for (size_t i = 0; i < r->n; i++) {
        if (fmt == FMT_CSV)
            print_csv(f, r->tables[i]);
        else if (!r->tables[i]->full_only)
            print_text(f, r->tables[i]);
    }
    if (fmt == FMT_TEXT)
        for (size_t i = 0; i < r->nnotes; i++)
            fprintf(f, "note: %s\n", r->notes[i]);
}
