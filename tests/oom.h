/* oom.h - a csm_allocator that fails after a budget of allocations and
 * counts live blocks, for the tests that fail each allocation in turn and
 * check that nothing leaks (tests only). */
#ifndef CSM_TESTS_OOM_H
#define CSM_TESTS_OOM_H

#include <stdlib.h>

typedef struct {
    long budget; /* allocations allowed before failing; < 0 = unlimited */
    long live;   /* blocks allocated and not yet freed */
} fail_ctx;

static void *fail_alloc(void *ctx, size_t n) {
    fail_ctx *f = ctx;
    if (f->budget == 0)
        return NULL;
    if (f->budget > 0)
        f->budget--;
    f->live++;
    return malloc(n);
}

static void fail_free(void *ctx, void *p) {
    fail_ctx *f = ctx;
    if (p)
        f->live--;
    free(p);
}

#endif
