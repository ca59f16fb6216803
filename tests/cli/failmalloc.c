/* failmalloc.c - an LD_PRELOAD shim for the CLI's out-of-memory test
 * (tests/cli/test_oom.py): with CSM_FAILMALLOC_AT=N in the environment,
 * allocation N (malloc, calloc, realloc, aligned; counted from 0 at the
 * first call) and every later one return NULL with errno ENOMEM, as a
 * process out of memory sees them.  CSM_FAILMALLOC_COUNT=1 prints the
 * number of allocations made at exit instead ("failmalloc: N").
 * Linux/glibc only (it calls glibc's __libc_* allocator). */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

extern void *__libc_malloc(size_t n);
extern void *__libc_calloc(size_t n, size_t size);
extern void *__libc_realloc(void *p, size_t n);
extern void *__libc_memalign(size_t align, size_t n);

static long fail_at = -2; /* -2: not read yet; -1: never fail */
static long count;

static int fail_now(void) {
    if (fail_at == -2) {
        const char *s = getenv("CSM_FAILMALLOC_AT");
        fail_at = s ? strtol(s, NULL, 10) : -1;
    }
    long k = __atomic_fetch_add(&count, 1, __ATOMIC_RELAXED);
    if (fail_at >= 0 && k >= fail_at) {
        errno = ENOMEM;
        return 1;
    }
    return 0;
}

void *malloc(size_t n) { return fail_now() ? NULL : __libc_malloc(n); }
void *calloc(size_t n, size_t size) {
    return fail_now() ? NULL : __libc_calloc(n, size);
}
void *realloc(void *p, size_t n) {
    /* realloc(p, 0) frees: not an allocation that can fail */
    if (p && n == 0)
        return __libc_realloc(p, 0);
    return fail_now() ? NULL : __libc_realloc(p, n);
}
void *memalign(size_t align, size_t n) {
    return fail_now() ? NULL : __libc_memalign(align, n);
}
void *aligned_alloc(size_t align, size_t n) { return memalign(align, n); }
int posix_memalign(void **out, size_t align, size_t n) {
    void *p = memalign(align, n);
    if (!p)
        return ENOMEM;
    *out = p;
    return 0;
}

__attribute__((destructor)) static void report(void) {
    if (getenv("CSM_FAILMALLOC_COUNT")) {
        char buf[64];
        int len = snprintf(buf, sizeof buf, "failmalloc: %ld\n", count);
        if (len > 0 && write(2, buf, (size_t)len) < 0)
            return;
    }
}
