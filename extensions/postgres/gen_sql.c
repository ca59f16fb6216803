/* extensions/postgres/gen_sql.c - writes the extension's install script:
 * copies the template (argv[1]) to argv[2], replacing each line
 * "@COLUMNS table@" with that result table's columns as an SQL column list
 * ("name" type, ...), read from the table's descriptors (each family
 * computed on empty input), so the SQL signatures follow the library's
 * column lists and never repeat them.  Build-time only. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csmetrics/csmetrics.h"
#include "pg_columns.h"

static const char scorecard_json[] =
    "{\"name\": \"gen\", \"bands\": [{\"name\": \"all\", \"min\": 0}],"
    " \"groups\": [{\"name\": \"g\", \"weight\": 1, \"measures\": [{\"name\":"
    " \"m\", \"weight\": 1, \"direction\": \"higher\", \"transform\":"
    " {\"type\": \"linear\", \"min\": 0, \"max\": 1}}]}]}";

#define MAX_RESULTS 8
static csm_result *results[MAX_RESULTS];
static size_t n_results;

static void keep(csm_status st, csm_result *r, const csm_error *e) {
    if (st != CSM_OK) {
        fprintf(stderr, "gen_sql: %s\n", e->text);
        exit(1);
    }
    results[n_results++] = r;
}

static const csm_table *find(const char *name) {
    for (size_t i = 0; i < n_results; i++) {
        const csm_table *t = csm_result_find(results[i], name);
        if (t)
            return t;
    }
    return NULL;
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: gen_sql TEMPLATE OUTPUT\n");
        return 2;
    }
    csm_error e;
    csm_status st;
    csm_ledger *l = NULL;
    if (csm_ledger_new(&l, NULL, NULL, NULL, NULL, 0, NULL, &e) != CSM_OK) {
        fprintf(stderr, "gen_sql: %s\n", e.text);
        return 1;
    }
    csm_movements *m = NULL;
    st = csm_movements_compute(&m, l, NULL, &e);
    keep(st, m ? m->result : NULL, &e);
    csm_retention *r = NULL;
    st = csm_retention_compute(&r, l, NULL, &e);
    keep(st, r ? r->result : NULL, &e);
    csm_cohorts *c = NULL;
    st = csm_cohorts_compute(&c, l, NULL, &e);
    keep(st, c ? c->result : NULL, &e);
    csm_km *km = NULL;
    st = csm_km_compute(&km, NULL, NULL, NULL, NULL, 0, NULL, &e);
    keep(st, km ? km->result : NULL, &e);
    csm_contracts ct;
    memset(&ct, 0, sizeof ct);
    csm_renewals *rn = NULL;
    st = csm_renewals_compute(&rn, NULL, NULL, &ct, 0, 0, NULL, &e);
    keep(st, rn ? rn->result : NULL, &e);
    csm_health_scorecard *sc = NULL;
    if (csm_health_scorecard_from_json(&sc, scorecard_json,
                                       strlen(scorecard_json), NULL,
                                       &e) != CSM_OK) {
        fprintf(stderr, "gen_sql: %s\n", e.text);
        return 1;
    }
    csm_health *h = NULL;
    st = csm_health_score(&h, sc, NULL, 0, NULL, &e);
    keep(st, h ? h->result : NULL, &e);

    FILE *in = fopen(argv[1], "r"), *out = fopen(argv[2], "w");
    if (!in || !out) {
        perror("gen_sql");
        return 1;
    }
    char line[4096];
    int rc = 0;
    while (fgets(line, sizeof line, in)) {
        char name[64];
        if (sscanf(line, " @COLUMNS %63[a-z_]@", name) != 1) {
            fputs(line, out);
            continue;
        }
        const csm_table *t = find(name);
        if (!t) {
            fprintf(stderr, "gen_sql: no table %s\n", name);
            rc = 1;
            break;
        }
        for (size_t j = 0; j < t->n_columns; j++) {
            const csm_column *col = &t->columns[j];
            fprintf(out, "    \"%s\" %s%s\n", col->name,
                    pgc_sql_type(pgc_kind_of(col)),
                    j + 1 < t->n_columns ? "," : "");
        }
    }
    for (size_t i = 0; i < n_results; i++)
        csm_result_free(results[i]);
    csm_health_scorecard_free(sc);
    csm_ledger_free(l);
    fclose(in);
    if (fclose(out) != 0)
        rc = 1;
    return rc;
}
