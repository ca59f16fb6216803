/* producers.h - one small, deterministic result of every family, built
 * from the hand-worked fixtures of the family suites (tests/test-*.c).
 *
 * Two programs share them: the DuckDB round-trip test (test-duckdb.c),
 * which reads every table of every producer's result back through the
 * Arrow export, and the generator of docs/columns.md (gen-columns.c),
 * which prints the descriptors of the tables.  The producers use only the
 * public API (csmetrics/csmetrics.h) and never DuckDB, so the generator
 * links libcsmetrics alone.
 *
 * When a family is converted to result tables, add its producer(s) to the
 * list in producers.c (and its column list to gen-columns.c's): every
 * table of every producer's result then goes through DuckDB and into
 * docs/columns.md with no further code.
 */
#ifndef CSM_TESTS_PRODUCERS_H
#define CSM_TESTS_PRODUCERS_H

#include <stddef.h>

#include "csmetrics/csmetrics.h"

typedef struct producer {
    /* what the fixture is ("retention by segment"); unique */
    const char *name;
    /* the public function whose result it returns ("csm_retention_compute") */
    const char *call;
    /* A fresh, deterministic result allocated through a (the ledger's, the
     * scorecard's or the call's allocator; NULL = libc), or NULL when the
     * computation failed.  Everything else the producer allocates (a
     * ledger, a scorecard) is freed before it returns. */
    csm_result *(*make)(const csm_allocator *a);
} producer;

/* The producers, families in the order of docs/columns.md. */
extern const producer producers[];
extern const size_t n_producers;

/* The producer named `name`, or NULL. */
const producer *producer_find(const char *name);

#endif /* CSM_TESTS_PRODUCERS_H */
