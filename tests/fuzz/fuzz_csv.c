/* fuzz_csv.c - libFuzzer harness: the CLI's CSV reader (cli/csvtab.c,
 * Debian's libcsv underneath) on an arbitrary file, in each encoding, with
 * and without skipping bad rows, then every cell through the CLI's field
 * parsers (dictionary tests/fuzz/csv.dict).  The input's first byte picks
 * the encoding and the skipping; the rest is the file.
 * Properties: a table read has ncols >= 1 header names and nrows x ncols
 * cells, each a NUL-terminated string of valid UTF-8 (whatever the file's
 * encoding, the reader hands out UTF-8), lines ascending; a file that fails
 * says why; skipped rows each have a line and a reason; a value a parser
 * accepts is in its documented range. */
#include <stdio.h>
#include <unistd.h>

#include "../../cli/csvtab.h"
#include "fuzz.h"

static char path[64];

static void remove_file(void) { unlink(path); }

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc;
    (void)argv;
    snprintf(path, sizeof path, "/tmp/csm-fuzz-csv-XXXXXX");
    int fd = mkstemp(path);
    if (fd < 0)
        abort();
    close(fd);
    atexit(remove_file);
    return 0;
}

/* s is valid UTF-8 (no overlong forms, no surrogates, at most U+10FFFF). */
static int valid_utf8(const unsigned char *s) {
    while (*s) {
        unsigned c = *s++;
        int n = c < 0x80 ? 0 : c >= 0xc2 && c < 0xe0 ? 1 : c >= 0xe0 && c < 0xf0 ? 2
                : c >= 0xf0 && c < 0xf5 ? 3 : -1;
        if (n < 0)
            return 0;
        unsigned cp = n == 0 ? c : c & (0x3f >> n);
        for (int i = 0; i < n; i++, s++) {
            if ((*s & 0xc0) != 0x80)
                return 0;
            cp = cp << 6 | (*s & 0x3f);
        }
        if ((n == 2 && (cp < 0x800 || (cp >= 0xd800 && cp < 0xe000))) ||
            (n == 3 && (cp < 0x10000 || cp > 0x10ffff)))
            return 0;
    }
    return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 1)
        return 0;
    csvread how = {(csv_encoding)(data[0] % 3), (data[0] >> 2) & 1};
    FILE *f = fopen(path, "wb");
    if (!f)
        abort();
    fwrite(data + 1, 1, size - 1, f);
    fclose(f);

    csvtab t;
    memset(&t, 0, sizeof t);
    char err[512] = "";
    int rc = csvtab_load(&t, path, &how, err, sizeof err);
    FUZZ_CHECK(rc == CSVTAB_OK || rc == CSVTAB_BAD, "csvtab_load %d", rc);
    if (rc == CSVTAB_BAD) {
        FUZZ_CHECK(err[0] != '\0', "a bad file without a reason");
        csvtab_free(&t);
        return 0;
    }
    FUZZ_CHECK(t.ncols >= 1, "a table of %zu columns", t.ncols);
    for (size_t c = 0; c < t.ncols; c++)
        FUZZ_CHECK(t.header[c] && valid_utf8((const unsigned char *)t.header[c]),
                   "header %zu is not UTF-8", c);
    for (size_t r = 0; r < t.nrows; r++) {
        if (r > 0)
            FUZZ_CHECK(t.line[r] > t.line[r - 1], "row %zu: line %zu after %zu",
                       r, t.line[r], t.line[r - 1]);
        for (size_t c = 0; c < t.ncols; c++) {
            const char *s = csvtab_cell(&t, r, (long)c);
            FUZZ_CHECK(s && valid_utf8((const unsigned char *)s),
                       "row %zu column %zu is not UTF-8", r, c);
            int64_t i64;
            int32_t i32, m, d;
            double x;
            const char *why;
            if (parse_i64(s, &i64, &why) != 0)
                FUZZ_CHECK(why && why[0], "parse_i64 without a reason");
            if (parse_i32(s, &i32, &why) == 0)
                FUZZ_CHECK(parse_i64(s, &i64, &why) == 0 && i64 == i32,
                           "'%s': i32 %d, i64 disagrees", s, i32);
            if (parse_f64(s, &x, &why) != 0)
                FUZZ_CHECK(why && why[0], "parse_f64 without a reason");
            if (parse_month(s, &m, &why) == 0)
                FUZZ_CHECK(csm_month_valid(m), "'%s': month %d outside the range",
                           s, m);
            if (parse_date(s, &d, &why) == 0)
                FUZZ_CHECK(csm_day_valid(d), "'%s': day %d outside the range", s,
                           d);
        }
    }
    for (size_t i = 0; i < t.nbad; i++)
        FUZZ_CHECK(t.bad_line[i] >= 1 && t.bad_why[i] && t.bad_why[i][0],
                   "skipped row %zu without line or reason", i);
    FUZZ_CHECK(how.skip_bad || t.nbad == 0, "rows skipped without skip_bad");
    csvtab_free(&t);
    return 0;
}
