/* csvtab.h - CSV files read with Debian's libcsv into a table of strings,
 * with case-insensitive header lookup through a column map and typed
 * field parsers that report file, line, column and reason. */
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

enum { CSVTAB_OK = 0, CSVTAB_MISSING = 1, CSVTAB_BAD = 2 };

/* Load `path`.  Returns CSVTAB_MISSING if the file does not exist,
 * CSVTAB_BAD with a message in err (file:line: reason) for malformed CSV
 * (bad quotes, ragged rows unless skip_ragged, empty file), else CSVTAB_OK.
 * A UTF-8 BOM and CRLF line ends are accepted.  *skipped counts ragged rows
 * dropped when skip_ragged. */
int csvtab_load(csvtab *t, const char *path, int skip_ragged, size_t *skipped,
                char *err, size_t errlen);
void csvtab_free(csvtab *t);

/* Column index of `canon` (after mapping through map), or -1. */
long csvtab_col(const csvtab *t, const char *canon, const colmap *map);
const char *csvtab_cell(const csvtab *t, size_t row, long col);

/* Field parsers: return 0 on success, else fill reason (static text). */
int parse_i64(const char *s, int64_t *out, const char **reason);
int parse_i32(const char *s, int32_t *out, const char **reason);
int parse_f64(const char *s, double *out, const char **reason);
int parse_month(const char *s, int32_t *out, const char **reason); /* YYYY-MM */
int parse_date(const char *s, int32_t *out, const char **reason);  /* YYYY-MM-DD */

#endif
