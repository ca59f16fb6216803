/* test-threads.c - the library from many threads at once (issue 17,
 * "Concurrency"; docs/reliability.md).  Built in every build (suites check
 * and threads); `make test-tsan` runs it in a ThreadSanitizer build, where
 * any data race fails it.
 *
 * The library has no global state: every function reads only its inputs
 * and writes only its outputs, and a ledger, a scorecard or a result is
 * immutable once returned, so any number of threads may compute from one.
 * The test holds the library to that, three ways:
 *   1. every family's producer (tests/arrow/producers.c: one small
 *      hand-worked result of every family) run by THREADS threads at once;
 *   2. one shared ledger and one shared scorecard, every ledger family and
 *      the health score computed from them by every thread at once;
 *   3. one shared result exported to Arrow, referenced and released by
 *      every thread at once (the atomic reference count of table.h).
 * Each thread's results must equal, cell by cell (a digest of every table,
 * column name and value), the single-thread results computed first: a
 * race that corrupts a number, not only one TSan sees, fails the test.
 * Exit status 0 = pass (TAP-free: meson reads the status). */
#include <inttypes.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arrow/producers.h"
#include "csmetrics/csmetrics.h"

enum { THREADS = 8, ROUNDS = 3 };

static int failures;
#define CHECK(cond, ...)                                                       \
    do {                                                                       \
        if (!(cond)) {                                                         \
            fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__);               \
            fprintf(stderr, __VA_ARGS__);                                      \
            fputc('\n', stderr);                                               \
            __atomic_add_fetch(&failures, 1, __ATOMIC_RELAXED);                \
        }                                                                      \
    } while (0)

/* ---- a digest of a result: every table, column and value (FNV-1a) -------- */
static uint64_t fnv(uint64_t h, const void *p, size_t n) {
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++)
        h = (h ^ b[i]) * 1099511628211u;
    return h;
}
static uint64_t fnv_str(uint64_t h, const char *s) {
    return s ? fnv(h, s, strlen(s) + 1) : fnv(h, "\xff", 1);
}

static uint64_t digest(const csm_result *r) {
    uint64_t h = 1469598103934665603u;
    if (!r)
        return 0;
    h = fnv_str(h, csm_result_kind(r));
    for (size_t t = 0; t < csm_result_n_tables(r); t++) {
        const csm_table *tb = csm_result_table(r, t);
        h = fnv_str(h, tb->name);
        h = fnv(h, &tb->n_rows, sizeof tb->n_rows);
        for (size_t c = 0; c < tb->n_columns; c++) {
            const csm_column *col = &tb->columns[c];
            h = fnv_str(h, col->name);
            if (col->storage == CSM_STORAGE_STR) {
                const char *const *s = col->data;
                for (size_t i = 0; i < tb->n_rows; i++)
                    h = fnv_str(h, s[i]);
            } else if (col->storage == CSM_STORAGE_F64) {
                const double *d = col->data;
                for (size_t i = 0; i < tb->n_rows; i++) {
                    /* every NaN alike (the undefined value); bits otherwise */
                    double v = isnan(d[i]) ? NAN : d[i];
                    h = fnv(h, &v, sizeof v);
                }
            } else {
                h = fnv(h, col->data,
                        tb->n_rows * csm_storage_size(col->storage));
            }
        }
    }
    return h;
}

/* ---- 1. every family's producer ----------------------------------------- */
static uint64_t *producer_ref; /* n_producers digests, single thread */

static void *run_producers(void *arg) {
    size_t start = (size_t)(uintptr_t)arg;
    for (int round = 0; round < ROUNDS; round++)
        for (size_t k = 0; k < n_producers; k++) {
            /* each thread starts elsewhere in the list, so different
             * families run at the same moment */
            size_t i = (start + k) % n_producers;
            csm_result *r = producers[i].make(NULL);
            uint64_t d = digest(r);
            CHECK(d == producer_ref[i], "producer \"%s\" differs in a thread",
                  producers[i].name);
            csm_result_free(r);
        }
    return NULL;
}

/* ---- 2. one shared ledger and scorecard --------------------------------- */
/* A synthetic company, deterministic (a fixed LCG): 300 customers over 36
 * months, each with a start, a possible churn and a return, MRR steps up
 * and down, two segments that some customers change, owners for a third. */
enum { CUSTOMERS = 300, MONTHS = 36, OWNERS = 100 };
static csm_ledger *ledger;
static csm_health_scorecard *scorecard;
static int64_t owner_customer[OWNERS];
static int32_t owner_code[OWNERS];
static double health_values[CUSTOMERS * 2];
static int32_t spend_month[MONTHS];
static double spend[MONTHS];

static uint32_t lcg(uint32_t *s) {
    *s = *s * 1664525u + 1013904223u;
    return *s >> 8;
}

static csm_ledger *make_ledger(void) {
    size_t cap = (size_t)CUSTOMERS * MONTHS, n = 0;
    int64_t *cust = malloc(cap * sizeof *cust);
    int32_t *month = malloc(cap * sizeof *month);
    int32_t *seg = malloc(cap * sizeof *seg);
    double *mrr = malloc(cap * sizeof *mrr);
    uint32_t s = 17;
    int32_t m0 = csm_month(2022, 1);
    for (int c = 0; c < CUSTOMERS; c++) {
        int start = (int)(lcg(&s) % 30), stop = start + 1 + (int)(lcg(&s) % 40);
        int gap = (int)(lcg(&s) % 3); /* 0: a two-month break mid-way */
        double v = 50.0 + (double)(lcg(&s) % 20) * 25.0;
        for (int m = start; m < MONTHS && m < stop; m++) {
            if (gap == 0 && m == start + 3)
                m += 2;
            if (m >= MONTHS)
                break;
            if (lcg(&s) % 7 == 0)
                v += (lcg(&s) % 2 ? 25.0 : -20.0);
            if (v < 10.0)
                v = 10.0;
            cust[n] = 1000 + c;
            month[n] = m0 + m;
            seg[n] = (c % 2) + (m > 20 && c % 5 == 0 ? 1 : 0);
            mrr[n] = v;
            n++;
        }
    }
    csm_ledger *l = NULL;
    csm_status st = csm_ledger_new(&l, cust, month, mrr, seg, n, NULL, NULL);
    CHECK(st == CSM_OK, "csm_ledger_new: %s", csm_strerror(st));
    free(cust);
    free(month);
    free(seg);
    free(mrr);
    for (int i = 0; i < OWNERS; i++) {
        owner_customer[i] = 1000 + 3 * i;
        owner_code[i] = i % 4;
    }
    for (int i = 0; i < CUSTOMERS; i++) {
        health_values[2 * i] = (double)(lcg(&s) % 101) / 100.0;
        health_values[2 * i + 1] = (double)(lcg(&s) % 12);
    }
    for (int m = 0; m < MONTHS; m++) {
        spend_month[m] = m0 + m;
        spend[m] = 1000.0 + 10.0 * m;
    }
    return l;
}

static const char spec[] =
    "{\"name\": \"threads\", \"groups\": ["
    " {\"name\": \"usage\", \"weight\": 2, \"measures\": ["
    "  {\"name\": \"login_rate\", \"transform\": "
    "{\"type\": \"linear\", \"min\": 0.2, \"max\": 0.8}}]},"
    " {\"name\": \"support\", \"weight\": 1, \"measures\": ["
    "  {\"name\": \"tickets\", \"direction\": \"lower\", \"transform\": "
    "{\"type\": \"piecewise\", \"points\": [[0, 100], [5, 50], [10, 0]]}}]}]}";

enum {
    J_MOVEMENTS,
    J_MOVEMENTS_SEG,
    J_EVENTS,
    J_RETENTION,
    J_RETENTION_SEG,
    J_RETENTION_CUSTOMERS,
    J_COHORTS,
    J_COHORTS_SEG,
    J_LIFETIMES,
    J_KM,
    J_LEDGER_MONTH,
    J_UNIT_ECONOMICS,
    J_PROJECTION_INPUTS,
    J_TEAM,
    J_HEALTH,
    J_SCORECARD_JSON,
    N_JOBS
};
static const char *const job_name[N_JOBS] = {
    "movements",       "movements by segment", "movement events",
    "retention",       "retention by segment", "retention customers",
    "cohorts",         "cohorts by segment",   "lifetimes",
    "kaplan-meier",    "ledger month",         "unit economics",
    "projection inputs", "team",               "health score",
    "scorecard json"};
static uint64_t job_ref[N_JOBS];

/* Job j on the shared ledger and scorecard: the digest of its result
 * (0 = the call failed). */
static uint64_t run_job(int j) {
    csm_result *r = NULL;
    csm_status st = CSM_OK;
    switch (j) {
    case J_MOVEMENTS:
    case J_MOVEMENTS_SEG: {
        csm_movements_opts o = CSM_MOVEMENTS_OPTS_INIT;
        o.by_segment = j == J_MOVEMENTS_SEG;
        csm_movements *m = NULL;
        st = csm_movements_compute(&m, ledger, &o, NULL);
        r = m ? m->result : NULL;
        break;
    }
    case J_EVENTS: {
        csm_movements_opts o = CSM_MOVEMENTS_OPTS_INIT;
        o.by_segment = 1;
        csm_movements_events *e = NULL;
        st = csm_movements_events_compute(&e, ledger, &o, NULL);
        r = e ? e->result : NULL;
        break;
    }
    case J_RETENTION:
    case J_RETENTION_SEG: {
        csm_retention_opts o = CSM_RETENTION_OPTS_INIT;
        o.by_segment = j == J_RETENTION_SEG;
        csm_retention *t = NULL;
        st = csm_retention_compute(&t, ledger, &o, NULL);
        r = t ? t->result : NULL;
        break;
    }
    case J_RETENTION_CUSTOMERS: {
        csm_retention_opts o = CSM_RETENTION_OPTS_INIT;
        csm_retention_customers *t = NULL;
        st = csm_retention_customers_compute(&t, ledger, &o, NULL);
        r = t ? t->result : NULL;
        break;
    }
    case J_COHORTS:
    case J_COHORTS_SEG: {
        csm_cohorts_opts o = CSM_COHORTS_OPTS_INIT;
        o.by_segment = j == J_COHORTS_SEG;
        csm_cohorts *c = NULL;
        st = csm_cohorts_compute(&c, ledger, &o, NULL);
        r = c ? c->result : NULL;
        break;
    }
    case J_LIFETIMES:
    case J_KM: {
        csm_lifetimes *lt = NULL;
        st = csm_lifetimes_from_ledger(&lt, ledger, NULL, NULL);
        if (st == CSM_OK && j == J_KM) {
            csm_km *km = NULL;
            st = csm_km_compute(&km, lt->duration, lt->event, NULL,
                                lt->segment, lt->n_rows, NULL, NULL);
            csm_lifetimes_free(lt);
            r = km ? km->result : NULL;
        } else {
            r = lt ? lt->result : NULL;
        }
        break;
    }
    case J_LEDGER_MONTH: {
        csm_ledger_month *m = NULL;
        st = csm_ledger_month_compute(&m, ledger, csm_month(2023, 6), NULL);
        r = m ? m->result : NULL;
        break;
    }
    case J_UNIT_ECONOMICS: {
        csm_unit_economics *u = NULL;
        st = csm_unit_economics_from_ledger(&u, ledger, 0.8, spend_month, spend,
                                            MONTHS, NULL, NULL);
        r = u ? u->result : NULL;
        break;
    }
    case J_PROJECTION_INPUTS: {
        csm_projection_inputs *p = NULL;
        st = csm_projection_inputs_from_ledger(&p, ledger, NULL, NULL);
        r = p ? p->result : NULL;
        break;
    }
    case J_TEAM: {
        csm_team *t = NULL;
        st = csm_team_compute(&t, ledger, owner_customer, owner_code, OWNERS,
                              owner_customer, 10, NULL, NULL);
        r = t ? t->result : NULL;
        break;
    }
    case J_HEALTH: {
        csm_health *h = NULL;
        st = csm_health_score(&h, scorecard, health_values, CUSTOMERS, NULL,
                              NULL);
        r = h ? h->result : NULL;
        break;
    }
    case J_SCORECARD_JSON: {
        char *json = NULL;
        size_t len = 0;
        st = csm_health_scorecard_to_json(&json, &len, scorecard, NULL);
        uint64_t d = st == CSM_OK ? fnv(1, json, len) : 0;
        free(json);
        return d;
    }
    default:
        break;
    }
    uint64_t d = st == CSM_OK ? digest(r) : 0;
    csm_result_free(r);
    return d;
}

static void *run_jobs(void *arg) {
    int start = (int)(uintptr_t)arg;
    for (int round = 0; round < ROUNDS; round++)
        for (int k = 0; k < N_JOBS; k++) {
            int j = (start + k) % N_JOBS;
            CHECK(run_job(j) == job_ref[j], "\"%s\" differs in a thread",
                  job_name[j]);
        }
    return NULL;
}

/* ---- 3. one shared result: references and Arrow exports ----------------- */
static csm_result *shared;
static uint64_t shared_ref;

static void *run_exports(void *arg) {
    (void)arg;
    for (int i = 0; i < 50; i++) {
        csm_result *mine = csm_result_ref(shared);
        for (size_t t = 0; t < csm_result_n_tables(mine); t++) {
            struct ArrowSchema schema;
            struct ArrowArray array;
            csm_status st = csm_table_export_arrow(
                &schema, &array, mine, csm_result_table(mine, t), NULL);
            CHECK(st == CSM_OK, "export: %s", csm_strerror(st));
            if (st == CSM_OK) {
                CHECK(array.length == (int64_t)csm_result_table(mine, t)->n_rows,
                      "exported length");
                array.release(&array);
                schema.release(&schema);
            }
        }
        CHECK(digest(mine) == shared_ref, "the shared result changed");
        csm_result_free(mine);
    }
    return NULL;
}

static void in_threads(void *(*fn)(void *), size_t stride) {
    pthread_t th[THREADS];
    for (size_t i = 0; i < THREADS; i++)
        if (pthread_create(&th[i], NULL, fn, (void *)(uintptr_t)(i * stride))) {
            fprintf(stderr, "pthread_create failed\n");
            exit(1);
        }
    for (size_t i = 0; i < THREADS; i++)
        pthread_join(th[i], NULL);
}

int main(void) {
    /* 1. the reference digests, then the same in THREADS threads */
    producer_ref = calloc(n_producers, sizeof *producer_ref);
    for (size_t i = 0; i < n_producers; i++) {
        csm_result *r = producers[i].make(NULL);
        CHECK(r != NULL, "producer \"%s\" failed", producers[i].name);
        producer_ref[i] = digest(r);
        csm_result_free(r);
    }
    in_threads(run_producers, n_producers / THREADS + 1);

    /* 2. the shared ledger and scorecard */
    ledger = make_ledger();
    csm_status st = csm_health_scorecard_from_json(&scorecard, spec,
                                                   strlen(spec), NULL, NULL);
    CHECK(st == CSM_OK, "scorecard: %s", csm_strerror(st));
    if (!ledger || !scorecard)
        return 1;
    for (int j = 0; j < N_JOBS; j++) {
        job_ref[j] = run_job(j);
        CHECK(job_ref[j] != 0, "\"%s\" failed single-threaded", job_name[j]);
    }
    in_threads(run_jobs, N_JOBS / THREADS + 1);

    /* 3. one shared result */
    csm_movements_opts o = CSM_MOVEMENTS_OPTS_INIT;
    o.by_segment = 1;
    csm_movements *m = NULL;
    st = csm_movements_compute(&m, ledger, &o, NULL);
    CHECK(st == CSM_OK, "movements: %s", csm_strerror(st));
    if (st != CSM_OK)
        return 1;
    shared = m->result;
    shared_ref = digest(shared);
    in_threads(run_exports, 0);
    csm_result_free(shared);

    csm_health_scorecard_free(scorecard);
    csm_ledger_free(ledger);
    free(producer_ref);
    printf("%zu producers, %d shared-ledger jobs, %d threads x %d rounds: %s\n",
           n_producers, N_JOBS, THREADS, ROUNDS, failures ? "FAILED" : "ok");
    return failures ? 1 : 0;
}
