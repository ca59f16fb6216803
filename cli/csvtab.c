/* csvtab.c - see csvtab.h */
#include "csvtab.h"

#include <csmetrics/csmetrics.h>
#include <csv.h>
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    csvtab *t;
    char **row;   /* fields of the row being read */
    size_t nrow, caprow;
    size_t cap;   /* capacity of t->cells in rows */
    size_t line;  /* current line */
    int header_done;
    int oom;
    int ragged;
    size_t ragged_line, ragged_n;
    int skip_ragged;
    size_t skipped;
} loader;

static char *dupn(const char *s, size_t n) {
    char *p = malloc(n + 1);
    if (p) {
        memcpy(p, s, n);
        p[n] = '\0';
    }
    return p;
}

static void on_field(void *s, size_t len, void *data) {
    loader *L = data;
    if (L->oom || L->ragged)
        return;
    if (L->nrow == L->caprow) {
        size_t c = L->caprow ? 2 * L->caprow : 16;
        char **r = realloc(L->row, c * sizeof *r);
        if (!r) {
            L->oom = 1;
            return;
        }
        L->row = r;
        L->caprow = c;
    }
    char *f = dupn(s ? s : "", s ? len : 0);
    if (!f) {
        L->oom = 1;
        return;
    }
    L->row[L->nrow++] = f;
}

static void drop_row(loader *L) {
    for (size_t i = 0; i < L->nrow; i++)
        free(L->row[i]);
    L->nrow = 0;
}

static void on_row(int c, void *data) {
    (void)c;
    loader *L = data;
    csvtab *t = L->t;
    if (L->oom || L->ragged) {
        drop_row(L);
        return;
    }
    if (!L->header_done) {
        t->ncols = L->nrow;
        t->header = L->row;
        for (size_t i = 0; i < t->ncols; i++) { /* trim + lower-case */
            char *h = t->header[i];
            size_t a = 0, b = strlen(h);
            while (a < b && isspace((unsigned char)h[a]))
                a++;
            while (b > a && isspace((unsigned char)h[b - 1]))
                b--;
            memmove(h, h + a, b - a);
            h[b - a] = '\0';
            for (char *p = h; *p; p++)
                *p = (char)tolower((unsigned char)*p);
        }
        L->row = NULL;
        L->nrow = L->caprow = 0;
        L->header_done = 1;
        return;
    }
    if (L->nrow == 1 && L->row[0][0] == '\0') { /* blank line */
        drop_row(L);
        return;
    }
    if (L->nrow != t->ncols) {
        if (L->skip_ragged) {
            L->skipped++;
            drop_row(L);
            return;
        }
        L->ragged = 1;
        L->ragged_line = L->line;
        L->ragged_n = L->nrow;
        drop_row(L);
        return;
    }
    if (t->nrows == L->cap) {
        size_t nc = L->cap ? 2 * L->cap : 256;
        char **cells = realloc(t->cells, nc * t->ncols * sizeof *cells);
        size_t *ln = realloc(t->line, nc * sizeof *ln);
        if (cells)
            t->cells = cells;
        if (ln)
            t->line = ln;
        if (!cells || !ln) {
            L->oom = 1;
            drop_row(L);
            return;
        }
        L->cap = nc;
    }
    memcpy(t->cells + t->nrows * t->ncols, L->row, t->ncols * sizeof(char *));
    t->line[t->nrows] = L->line;
    t->nrows++;
    L->nrow = 0;
}

int csvtab_load(csvtab *t, const char *path, int skip_ragged, size_t *skipped,
                char *err, size_t errlen) {
    memset(t, 0, sizeof *t);
    FILE *f = fopen(path, "rb");
    if (!f) {
        if (errno == ENOENT)
            return CSVTAB_MISSING;
        snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
        return CSVTAB_BAD;
    }
    t->path = dupn(path, strlen(path));
    struct csv_parser p;
    if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0) {
        fclose(f);
        snprintf(err, errlen, "%s: cannot initialise the CSV parser", path);
        return CSVTAB_BAD;
    }
    loader L;
    memset(&L, 0, sizeof L);
    L.t = t;
    L.skip_ragged = skip_ragged;
    char *buf = NULL;
    size_t cap = 0;
    ssize_t n;
    int rc = CSVTAB_OK;
    while ((n = getline(&buf, &cap, f)) > 0) {
        L.line++;
        const char *s = buf;
        size_t len = (size_t)n;
        if (L.line == 1 && len >= 3 && (unsigned char)s[0] == 0xEF &&
            (unsigned char)s[1] == 0xBB && (unsigned char)s[2] == 0xBF) {
            s += 3; /* UTF-8 byte order mark */
            len -= 3;
        }
        if (csv_parse(&p, s, len, on_field, on_row, &L) != len) {
            snprintf(err, errlen, "%s:%zu: malformed CSV (%s)", path, L.line,
                     csv_strerror(csv_error(&p)));
            rc = CSVTAB_BAD;
            break;
        }
        if (L.ragged || L.oom)
            break;
    }
    if (rc == CSVTAB_OK && !L.ragged && !L.oom &&
        csv_fini(&p, on_field, on_row, &L) != 0) {
        snprintf(err, errlen, "%s:%zu: malformed CSV (%s)", path, L.line,
                 "unterminated quoted field at end of file");
        rc = CSVTAB_BAD;
    }
    if (rc == CSVTAB_OK && L.oom) {
        snprintf(err, errlen, "%s: out of memory", path);
        rc = CSVTAB_BAD;
    }
    if (rc == CSVTAB_OK && L.ragged) {
        snprintf(err, errlen,
                 "%s:%zu: expected %zu fields (as in the header), found %zu",
                 path, L.ragged_line, t->ncols, L.ragged_n);
        rc = CSVTAB_BAD;
    }
    if (rc == CSVTAB_OK && !L.header_done) {
        snprintf(err, errlen, "%s: empty file (no header row)", path);
        rc = CSVTAB_BAD;
    }
    drop_row(&L);
    free(L.row);
    free(buf);
    csv_free(&p);
    fclose(f);
    if (skipped)
        *skipped += L.skipped;
    return rc;
}

void csvtab_free(csvtab *t) {
    if (!t)
        return;
    for (size_t i = 0; i < t->ncols; i++)
        free(t->header ? t->header[i] : NULL);
    for (size_t i = 0; i < t->nrows * t->ncols; i++)
        free(t->cells[i]);
    free(t->header);
    free(t->cells);
    free(t->line);
    free(t->path);
    memset(t, 0, sizeof *t);
}

static int ieq(const char *a, const char *b) {
    for (; *a && *b; a++, b++)
        if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
            return 0;
    return *a == *b;
}

int colmap_add(colmap *m, const char *arg) {
    const char *eq = strchr(arg, '=');
    if (!eq || eq == arg || !eq[1] || m->n >= 64)
        return -1;
    m->canon[m->n] = strndup(arg, (size_t)(eq - arg));
    m->actual[m->n] = strdup(eq + 1);
    m->n++;
    return 0;
}

void colmap_free(colmap *m) {
    for (size_t i = 0; i < m->n; i++) {
        free(m->canon[i]);
        free(m->actual[i]);
    }
    m->n = 0;
}

long csvtab_col(const csvtab *t, const char *canon, const colmap *map) {
    const char *want = canon;
    if (map)
        for (size_t i = 0; i < map->n; i++)
            if (ieq(map->canon[i], canon))
                want = map->actual[i];
    for (size_t i = 0; i < t->ncols; i++)
        if (ieq(t->header[i], want))
            return (long)i;
    return -1;
}

const char *csvtab_cell(const csvtab *t, size_t row, long col) {
    return t->cells[row * t->ncols + (size_t)col];
}

static const char *trim(const char *s, size_t *len) {
    while (isspace((unsigned char)*s))
        s++;
    size_t n = strlen(s);
    while (n && isspace((unsigned char)s[n - 1]))
        n--;
    *len = n;
    return s;
}

/* The reasons a number's text is bad, worded for its kind. */
typedef struct numtext {
    const char *empty, *too_long, *bad;
} numtext;

static const numtext integer_text = {"empty; an integer is required",
                                     "not an integer (too long)",
                                     "not an integer"};
static const numtext number_text = {"empty; a number is required",
                                    "not a number (too long)", "not a number"};

/* Field s without its surrounding white space, in buf (cap bytes, NUL
 * terminated) for strtoll / strtod: 0, or -1 with the reason (empty, or
 * longer than buf holds). */
static int number_copy(char *buf, size_t cap, const char *s,
                       const numtext *m, const char **reason) {
    size_t n;
    s = trim(s, &n);
    if (n == 0 || n >= cap) {
        *reason = n == 0 ? m->empty : m->too_long;
        return -1;
    }
    memcpy(buf, s, n);
    buf[n] = '\0';
    return 0;
}

int parse_i64(const char *s, int64_t *out, const char **reason) {
    char tmp[64], *end;
    if (number_copy(tmp, sizeof tmp, s, &integer_text, reason) != 0)
        return -1;
    errno = 0;
    long long v = strtoll(tmp, &end, 10);
    if (*end != '\0' || errno == ERANGE) {
        *reason = *end != '\0' ? integer_text.bad : "integer out of range";
        return -1;
    }
    *out = (int64_t)v;
    return 0;
}

int parse_i32(const char *s, int32_t *out, const char **reason) {
    int64_t v;
    if (parse_i64(s, &v, reason) != 0)
        return -1;
    if (v < INT32_MIN || v > INT32_MAX) {
        *reason = "integer out of range";
        return -1;
    }
    *out = (int32_t)v;
    return 0;
}

int parse_f64(const char *s, double *out, const char **reason) {
    char tmp[128], *end;
    if (number_copy(tmp, sizeof tmp, s, &number_text, reason) != 0)
        return -1;
    double v = strtod(tmp, &end);
    if (*end != '\0' || !isfinite(v)) {
        *reason = *end != '\0' ? number_text.bad : "not a finite number";
        return -1;
    }
    *out = v;
    return 0;
}

int parse_month(const char *s, int32_t *out, const char **reason) {
    size_t n;
    s = trim(s, &n);
    int y, m, used = 0;
    if (n < 6 || sscanf(s, "%4d-%2d%n", &y, &m, &used) != 2 ||
        (size_t)used != n || m < 1 || m > 12) {
        *reason = "not a month (expected YYYY-MM)";
        return -1;
    }
    *out = csm_month(y, m);
    return 0;
}

int parse_date(const char *s, int32_t *out, const char **reason) {
    size_t n;
    s = trim(s, &n);
    int y, m, d, used = 0;
    if (n < 8 || sscanf(s, "%4d-%2d-%2d%n", &y, &m, &d, &used) != 3 ||
        (size_t)used != n || m < 1 || m > 12 || d < 1 || d > 31) {
        *reason = "not a date (expected YYYY-MM-DD)";
        return -1;
    }
    int32_t z = csm_day(y, m, d);
    int32_t yy, mm, dd;
    csm_day_to_ymd(&yy, &mm, &dd, z);
    if (yy != y || mm != m || dd != d) {
        *reason = "not a calendar date";
        return -1;
    }
    *out = z;
    return 0;
}
