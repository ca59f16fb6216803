/* csvtab.h - CSV files read with Debian's libcsv into a table of UTF-8
 * strings, with case-insensitive header lookup through a column map and
 * typed field parsers that report file, line, column and reason. */
#ifndef CSMCLI_CSVTAB_H
#define CSMCLI_CSVTAB_H

#include <stddef.h>
#include <stdint.h>

typedef struct csvtab {
    char *path;
    size_t ncols;
    char **header; /* lower-cased, trimmed */
    size_t nrows;
    char **cells;  /* nrows x ncols, NUL-terminated strings */
    size_t *line;  /* 1-based line on which each row ends */
    /* rows left out when skipping (csvread.skip_bad): the line of each and
     * why ("expected 3 fields (as in the header), found 2"), in file order */
    size_t nbad;
    size_t *bad_line;
    char **bad_why;
} csvtab;

/* A --map canonical=actual pair list. */
typedef struct colmap {
    size_t n;
    char *canon[64];
    char *actual[64];
} colmap;

/* Add a --map argument "CANON=NAME" to m: 0, or -1 when arg is not of
 * that form or m holds 64 pairs already. */
int colmap_add(colmap *m, const char *arg);
/* Free the pairs of m. */
void colmap_free(colmap *m);

enum { CSVTAB_OK = 0, CSVTAB_MISSING = 1, CSVTAB_BAD = 2, CSVTAB_NOMEM = 3 };

/* The encoding of the files (--encoding): UTF-8 is checked (a cell that is
 * not valid UTF-8 is a bad row); Latin-1 (ISO-8859-1) and Windows-1252
 * are converted to UTF-8 (a byte Windows-1252 leaves undefined, 0x81,
 * 0x8D, 0x8F, 0x90 or 0x9D, is a bad row). */
typedef enum { ENC_UTF8, ENC_LATIN1, ENC_CP1252 } csv_encoding;

/* The encoding called name ("utf-8", "latin1", "cp1252" and their usual
 * spellings, case-insensitive): 0 and *enc, or -1. */
int csv_encoding_parse(const char *name, csv_encoding *enc);

/* The rows skipped by --skip-bad-rows: each is listed on stderr as it is
 * skipped ("csmetrics: skipped FILE:LINE: reason"), the first SKIP_LIST_MAX
 * of them; skip_log_end says how many more there were. */
#define SKIP_LIST_MAX 20
typedef struct skiplog {
    size_t n; /* rows skipped */
} skiplog;

/* Count a skipped row and list it (printf-style reason, without the
 * "skipped" prefix) while fewer than SKIP_LIST_MAX are listed. */
void skip_log(skiplog *s, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* "csmetrics: ... and N more skipped rows" on stderr when rows went
 * unlisted. */
void skip_log_end(const skiplog *s);

/* How a file is read: its encoding, and whether a bad row is left out
 * (recorded in the table's bad rows) rather than an error. */
typedef struct csvread {
    csv_encoding encoding;
    int skip_bad;
} csvread;

/* Load `path`.  Returns CSVTAB_MISSING if the file does not exist,
 * CSVTAB_BAD with a message in err (file:line: reason) for malformed CSV
 * (bad quotes, an empty file, a header that is not valid text in the
 * encoding, and unless skipping a row whose field count differs from the
 * header's or a cell that is not valid text in the encoding),
 * CSVTAB_NOMEM when an allocation failed (the file is not half read: the
 * caller exits 70, never reports a data error), else CSVTAB_OK.  A UTF-8
 * BOM and CRLF line ends are accepted; a lone CR ends a row and a line too
 * (old Mac files), so line numbers count it. */
int csvtab_load(csvtab *t, const char *path, const csvread *how, char *err,
                size_t errlen);
void csvtab_free(csvtab *t);

/* Column index of `canon` (after mapping through map), or -1. */
long csvtab_col(const csvtab *t, const char *canon, const colmap *map);
const char *csvtab_cell(const csvtab *t, size_t row, long col);

/* Field parsers: return 0 on success, else fill reason (static text). */
int parse_i64(const char *s, int64_t *out, const char **reason);
int parse_i32(const char *s, int32_t *out, const char **reason);
int parse_f64(const char *s, double *out, const char **reason);
/* YYYY-MM and YYYY-MM-DD, years 0001..9999 (the library's csm_month_valid
 * and csm_day_valid range): a year outside is a bad value too. */
int parse_month(const char *s, int32_t *out, const char **reason);
int parse_date(const char *s, int32_t *out, const char **reason);

#endif
