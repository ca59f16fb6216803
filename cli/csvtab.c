/* csvtab.c - see csvtab.h */
#include "csvtab.h"

#include <csmetrics/csmetrics.h>
#include <csv.h>
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    csvtab *t;
    const csvread *how;
    char **row;   /* fields of the row being read */
    size_t nrow, caprow;
    size_t cap;   /* capacity of t->cells in rows */
    size_t line;  /* current line */
    int header_done;
    int oom;
    /* the row being read is bad (why, on line why_line): skipped, or the
     * end of the load (fatal) */
    int badrow, fatal;
    size_t why_line;
    char why[512];
} loader;

static char *dupn(const char *s, size_t n) {
    char *p = malloc(n + 1);
    if (p) {
        memcpy(p, s, n);
        p[n] = '\0';
    }
    return p;
}

/* ---- encodings ------------------------------------------------------------ */

static int ieq(const char *a, const char *b) {
    for (; *a && *b; a++, b++)
        if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
            return 0;
    return *a == *b;
}

int csv_encoding_parse(const char *name, csv_encoding *enc) {
    static const struct {
        const char *name;
        csv_encoding enc;
    } names[] = {{"utf-8", ENC_UTF8},       {"utf8", ENC_UTF8},
                 {"latin1", ENC_LATIN1},    {"latin-1", ENC_LATIN1},
                 {"iso-8859-1", ENC_LATIN1}, {"iso8859-1", ENC_LATIN1},
                 {"cp1252", ENC_CP1252},    {"windows-1252", ENC_CP1252}};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (ieq(name, names[i].name)) {
            *enc = names[i].enc;
            return 0;
        }
    return -1;
}

/* Windows-1252's characters at 0x80..0x9F (0: undefined); its other bytes
 * are Latin-1's. */
static const uint16_t cp1252_high[32] = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0,      0x017D, 0,
    0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};

/* The length of the valid UTF-8 sequence at s (n bytes left), or 0:
 * no overlong form, no surrogate, nothing above U+10FFFF, no NUL. */
static size_t utf8_seq(const unsigned char *s, size_t n) {
    unsigned c = s[0];
    if (c == 0)
        return 0;
    if (c < 0x80)
        return 1;
    size_t k;
    unsigned min, cp;
    if (c >= 0xC2 && c <= 0xDF)
        k = 2, min = 0x80, cp = c & 0x1F;
    else if (c >= 0xE0 && c <= 0xEF)
        k = 3, min = 0x800, cp = c & 0x0F;
    else if (c >= 0xF0 && c <= 0xF4)
        k = 4, min = 0x10000, cp = c & 0x07;
    else
        return 0;
    if (n < k)
        return 0;
    for (size_t i = 1; i < k; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return k;
}

/* Code point cp as UTF-8 at out: the bytes written (cp < 0x10000). */
static size_t utf8_put(unsigned char *out, unsigned cp) {
    if (cp < 0x80) {
        out[0] = (unsigned char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (unsigned char)(0xC0 | (cp >> 6));
        out[1] = (unsigned char)(0x80 | (cp & 0x3F));
        return 2;
    }
    out[0] = (unsigned char)(0xE0 | (cp >> 12));
    out[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    out[2] = (unsigned char)(0x80 | (cp & 0x3F));
    return 3;
}

/* Cell s (len bytes) shown for a message: printable ASCII as is, any other
 * byte as \xHH, cut after 48 bytes. */
static void cell_shown(char *buf, size_t cap, const unsigned char *s,
                       size_t len) {
    size_t o = 0;
    for (size_t i = 0; i < len && i < 48 && o + 5 < cap; i++)
        o += (size_t)snprintf(buf + o, cap - o,
                              s[i] >= 0x20 && s[i] < 0x7F && s[i] != '\\'
                                  ? "%c"
                                  : "\\x%02X",
                              s[i]);
    if (len > 48 && o + 4 < cap)
        o += (size_t)snprintf(buf + o, cap - o, "...");
    buf[o] = '\0';
}

/* Field s (len bytes) as a new UTF-8 string in the loader's encoding; NULL
 * when out of memory (L->oom) or when the field is not text in the
 * encoding (L->badrow, with the reason). */
static char *field_text(loader *L, const unsigned char *s, size_t len) {
    csv_encoding enc = L->how ? L->how->encoding : ENC_UTF8;
    unsigned char *out = malloc(enc == ENC_UTF8 ? len + 1 : 3 * len + 1);
    if (!out) {
        L->oom = 1;
        return NULL;
    }
    size_t o = 0, bad = len;
    for (size_t i = 0; i < len && bad == len;) {
        if (enc == ENC_UTF8) {
            size_t k = utf8_seq(s + i, len - i);
            if (k == 0)
                bad = i;
            memcpy(out + o, s + i, k);
            o += k;
            i += k;
            continue;
        }
        unsigned cp = s[i];
        if (enc == ENC_CP1252 && cp >= 0x80 && cp <= 0x9F)
            cp = cp1252_high[cp - 0x80];
        if (cp == 0)
            bad = i;
        else
            o += utf8_put(out + o, cp);
        i++;
    }
    out[o] = '\0';
    if (bad == len)
        return (char *)out;
    free(out);
    const csvtab *t = L->t;
    char col[96], shown[256];
    if (!L->header_done)
        snprintf(col, sizeof col, "header, field %zu", L->nrow + 1);
    else if (L->nrow < t->ncols)
        snprintf(col, sizeof col, "column '%s'", t->header[L->nrow]);
    else
        snprintf(col, sizeof col, "field %zu", L->nrow + 1);
    cell_shown(shown, sizeof shown, s, len);
    const char *what = s[bad] == 0          ? "a NUL byte"
                       : enc == ENC_UTF8    ? "not valid UTF-8"
                                            : "a byte Windows-1252 leaves undefined";
    snprintf(L->why, sizeof L->why, "%s: %s at byte %zu ('%s')%s", col, what,
             bad + 1, shown,
             s[bad] != 0 && enc == ENC_UTF8
                 ? "; for a Latin-1 or Windows-1252 file use --encoding "
                   "latin1 or --encoding cp1252"
                 : "");
    L->why_line = L->line;
    L->badrow = 1;
    return NULL;
}

/* ---- the libcsv callbacks --------------------------------------------------- */

static void on_field(void *s, size_t len, void *data) {
    loader *L = data;
    if (L->oom || L->fatal || L->badrow)
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
    char *f = field_text(L, s ? s : "", s ? len : 0);
    if (f)
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
    if (L->oom || L->fatal) {
        drop_row(L);
        return;
    }
    if (!L->header_done && L->badrow) { /* a bad header ends the load */
        L->fatal = 1;
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
    if (!L->badrow && L->nrow == 1 && L->row[0][0] == '\0') { /* blank line */
        drop_row(L);
        return;
    }
    if (!L->badrow && L->nrow != t->ncols) {
        snprintf(L->why, sizeof L->why,
                 "expected %zu fields (as in the header), found %zu", t->ncols,
                 L->nrow);
        L->why_line = L->line;
        L->badrow = 1;
    }
    if (L->badrow) {
        L->badrow = 0;
        drop_row(L);
        if (!L->how || !L->how->skip_bad) {
            L->fatal = 1;
            return;
        }
        size_t *bl = realloc(t->bad_line, (t->nbad + 1) * sizeof *bl);
        if (bl)
            t->bad_line = bl;
        char **bw = realloc(t->bad_why, (t->nbad + 1) * sizeof *bw);
        if (bw)
            t->bad_why = bw;
        char *why = bl && bw ? dupn(L->why, strlen(L->why)) : NULL;
        if (!why) {
            L->oom = 1;
            return;
        }
        t->bad_line[t->nbad] = L->why_line;
        t->bad_why[t->nbad++] = why;
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

void skip_log(skiplog *s, const char *fmt, ...) {
    if (s->n++ >= SKIP_LIST_MAX)
        return;
    va_list ap;
    va_start(ap, fmt);
    fputs("csmetrics: skipped ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

void skip_log_end(const skiplog *s) {
    if (s->n > SKIP_LIST_MAX)
        fprintf(stderr, "csmetrics: ... and %zu more skipped row(s)\n",
                s->n - SKIP_LIST_MAX);
}

int csvtab_load(csvtab *t, const char *path, const csvread *how, char *err,
                size_t errlen) {
    memset(t, 0, sizeof *t);
    FILE *f = fopen(path, "rb");
    if (!f) {
        if (errno == ENOENT)
            return CSVTAB_MISSING;
        snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
        return errno == ENOMEM ? CSVTAB_NOMEM : CSVTAB_BAD;
    }
    t->path = dupn(path, strlen(path));
    struct csv_parser p;
    /* csv_init fails only when its buffer cannot be allocated */
    if (!t->path || csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0) {
        fclose(f);
        snprintf(err, errlen, "%s: out of memory", path);
        return CSVTAB_NOMEM;
    }
    loader L;
    memset(&L, 0, sizeof L);
    L.t = t;
    L.how = how;
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
        /* libcsv ends a row at a lone CR too (old Mac line ends), where
         * getline sees no line end: each lone CR ends a line, so the rows
         * after it are counted on their own lines (found by fuzzing: rows
         * of a CR-only file all said line 1) */
        size_t off = 0, done = 0;
        for (size_t i = 0; i <= len && !L.fatal && !L.oom; i++) {
            int lone_cr = i < len && s[i] == '\r' && !(i + 1 < len && s[i + 1] == '\n');
            if (i < len && !lone_cr)
                continue;
            size_t piece = (i < len ? i + 1 : len) - off;
            done = csv_parse(&p, s + off, piece, on_field, on_row, &L);
            if (done != piece) {
                if (csv_error(&p) == CSV_ENOMEM)
                    L.oom = 1; /* libcsv's buffer could not grow */
                break;
            }
            off += piece;
            if (lone_cr && off < len)
                L.line++;
        }
        if (off < len && !L.fatal && !L.oom) {
            snprintf(err, errlen, "%s:%zu: malformed CSV (%s)", path, L.line,
                     csv_strerror(csv_error(&p)));
            rc = CSVTAB_BAD;
            break;
        }
        if (L.fatal || L.oom)
            break;
    }
    /* getline's -1 is the end of the file or a failure: a line it could not
     * allocate must not pass for the end of the data */
    if (n < 0 && rc == CSVTAB_OK && !feof(f)) {
        if (errno == ENOMEM) {
            L.oom = 1;
        } else {
            snprintf(err, errlen, "%s:%zu: cannot read: %s", path, L.line + 1,
                     strerror(errno));
            rc = CSVTAB_BAD;
        }
    }
    if (rc == CSVTAB_OK && !L.fatal && !L.oom &&
        csv_fini(&p, on_field, on_row, &L) != 0) {
        snprintf(err, errlen, "%s:%zu: malformed CSV (%s)", path, L.line,
                 "unterminated quoted field at end of file");
        rc = CSVTAB_BAD;
    }
    if (rc == CSVTAB_OK && L.oom) {
        snprintf(err, errlen, "%s: out of memory", path);
        rc = CSVTAB_NOMEM;
    }
    if (rc == CSVTAB_OK && L.fatal) {
        snprintf(err, errlen, "%s:%zu: %s", path, L.why_line, L.why);
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
    return rc;
}

void csvtab_free(csvtab *t) {
    if (!t)
        return;
    for (size_t i = 0; i < t->ncols; i++)
        free(t->header ? t->header[i] : NULL);
    for (size_t i = 0; i < t->nrows * t->ncols; i++)
        free(t->cells[i]);
    for (size_t i = 0; i < t->nbad; i++)
        free(t->bad_why[i]);
    free(t->bad_line);
    free(t->bad_why);
    free(t->header);
    free(t->cells);
    free(t->line);
    free(t->path);
    memset(t, 0, sizeof *t);
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
    /* %4d also reads "-999" (and "-06-07" as June of year -6): the
     * library's months are years 0001..9999 */
    *out = csm_month(y, m);
    if (!csm_month_valid(*out)) {
        *reason = "month outside the valid range (years 0001..9999)";
        return -1;
    }
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
    if (!csm_day_valid(z)) {
        *reason = "date outside the valid range (years 0001..9999)";
        return -1;
    }
    *out = z;
    return 0;
}
