/* xalloc.h - the CLI's allocation: an allocation that fails prints
 * "csmetrics: out of memory" on stderr and exits 70 (EXIT_SOFTWARE,
 * data.h), so no caller checks for NULL.  Header-only: every CLI file that
 * allocates includes it (data.h does for the sections). */
#ifndef CSMCLI_XALLOC_H
#define CSMCLI_XALLOC_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static inline _Noreturn void out_of_memory(void) {
    fputs("csmetrics: out of memory\n", stderr);
    exit(70);
}

/* calloc(n, size): zeroed; n = 0 allocates one element. */
static inline void *xalloc(size_t n, size_t size) {
    void *p = calloc(n ? n : 1, size);
    if (!p)
        out_of_memory();
    return p;
}

/* realloc(p, n * size) (not zeroed); n = 0 keeps one element. */
static inline void *xrealloc(void *p, size_t n, size_t size) {
    if (n == 0)
        n = 1;
    if (size && n > SIZE_MAX / size)
        out_of_memory();
    void *q = realloc(p, n * size);
    if (!q)
        out_of_memory();
    return q;
}

/* A copy of string s. */
static inline char *xstrdup(const char *s) {
    size_t n = strlen(s) + 1;
    return memcpy(xalloc(n, 1), s, n);
}

#endif
