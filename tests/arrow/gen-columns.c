/* gen-columns.c - docs/columns.md from the descriptors of the tables the
 * library returns.
 *
 * The program computes one result of every family with the producers of
 * producers.c (the fixtures the DuckDB round-trip test reads too), and
 * prints, per family and table, a markdown table of the columns' names,
 * C members, types, storages, roles and descriptions as the library's
 * descriptors give them.  It links libcsmetrics alone (no DuckDB).
 *
 *   gen-columns [--headers DIR] [-o FILE | --check FILE]
 *
 * Without -o or --check the text goes to stdout.  -o FILE writes it to
 * FILE (through FILE.tmp and a rename).  --check FILE compares it with
 * FILE and fails, naming the first differing line and the command that
 * regenerates the file, when they differ (the meson test columns-doc).
 * --headers DIR (include/csmetrics) also fails when a header in DIR
 * declares a column list (#define CSM_..._COLUMNS(X)) that the list below
 * does not hold, or the list names a header that does not declare it.
 *
 * Checks made whatever the options: every table of every producer's
 * result has a declared list below, its columns are that list's names in
 * that order, and every list below is some producer's table.  So the
 * file cannot silently miss a family, a table or a column.
 *
 * Exit status: 0, 1 (a check failed or the file differs), 2 (usage or
 * I/O error).
 */
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "producers.h"

/* ---- the declared column lists ------------------------------------------- */
/* Each family's X-macro list, expanded twice here: the column names and
 * the typed struct's members.  Add a line per list when a family is
 * converted (the --headers check says which one is missing). */
#define NAME_OF(member, name, type, storage, role, doc) name,
#define MEMBER_OF(member, name, type, storage, role, doc) #member,
#define LIST(id, MACRO)                                                        \
    static const char *const id##_names[] = {MACRO(NAME_OF)};                  \
    static const char *const id##_members[] = {MACRO(MEMBER_OF)};

LIST(ledger_month, CSM_LEDGER_MONTH_COLUMNS)
LIST(movements, CSM_MOVEMENTS_COLUMNS)
LIST(movement_events, CSM_MOVEMENTS_EVENTS_COLUMNS)
LIST(retention, CSM_RETENTION_COLUMNS)
LIST(retention_customers, CSM_RETENTION_CUSTOMERS_COLUMNS)
LIST(cohorts, CSM_COHORTS_COLUMNS)
LIST(cohort_cells, CSM_COHORT_CELLS_COLUMNS)
LIST(km, CSM_KM_COLUMNS)
LIST(km_groups, CSM_KM_GROUP_COLUMNS)
LIST(km_at, CSM_KM_AT_COLUMNS)
LIST(lifetimes, CSM_LIFETIMES_COLUMNS)
LIST(sbg_survivors, CSM_SBG_SURVIVORS_COLUMNS)
LIST(sbg, CSM_SBG_COLUMNS)
LIST(sbg_curve, CSM_SBG_CURVE_COLUMNS)
LIST(sbg_model, CSM_SBG_MODEL_COLUMNS)
LIST(renewals, CSM_RENEWALS_COLUMNS)
LIST(renewal_contracts, CSM_RENEWAL_CONTRACTS_COLUMNS)
LIST(team, CSM_TEAM_COLUMNS)
LIST(team_summary, CSM_TEAM_SUMMARY_COLUMNS)
LIST(churn_model, CSM_CHURN_MODEL_COLUMNS)
LIST(churn_fit, CSM_CHURN_FIT_COLUMNS)
LIST(churn_scores, CSM_CHURN_SCORES_COLUMNS)
LIST(churn_contributions, CSM_CHURN_CONTRIBUTIONS_COLUMNS)
LIST(churn_auc, CSM_CHURN_AUC_COLUMNS)
LIST(churn_roc, CSM_CHURN_ROC_COLUMNS)
LIST(churn_validation, CSM_CHURN_VALIDATION_COLUMNS)
LIST(churn_calibration, CSM_CHURN_CALIBRATION_COLUMNS)
LIST(churn_proposal, CSM_CHURN_PROPOSAL_COLUMNS)
LIST(activity, CSM_ACTIVITY_COLUMNS)
LIST(activity_measures, CSM_ACTIVITY_MEASURES_COLUMNS)
LIST(transitions, CSM_TRANSITIONS_COLUMNS)
LIST(transitions_summary, CSM_TRANSITIONS_SUMMARY_COLUMNS)
LIST(reviews, CSM_REVIEWS_COLUMNS)
LIST(reviews_owners, CSM_REVIEWS_OWNERS_COLUMNS)
LIST(reviews_summary, CSM_REVIEWS_SUMMARY_COLUMNS)
LIST(interventions, CSM_INTERVENTIONS_COLUMNS)
LIST(interventions_panel, CSM_INTERVENTIONS_PANEL_COLUMNS)
LIST(referrals, CSM_REFERRALS_COLUMNS)
LIST(referrals_owners, CSM_REFERRALS_OWNERS_COLUMNS)
LIST(health, CSM_HEALTH_COLUMNS)
LIST(health_measures, CSM_HEALTH_MEASURES_COLUMNS)
LIST(health_groups, CSM_HEALTH_GROUPS_COLUMNS)
LIST(health_bands, CSM_HEALTH_BANDS_COLUMNS)
LIST(health_at_risk, CSM_HEALTH_RISK_COLUMNS)
LIST(health_reasons, CSM_HEALTH_REASON_COLUMNS)
LIST(nps, CSM_NPS_RESULT_COLUMNS)
LIST(nps_diff, CSM_NPS_DIFF_COLUMNS)
LIST(csat, CSM_CSAT_RESULT_COLUMNS)
LIST(ces, CSM_CES_RESULT_COLUMNS)
LIST(ltv, CSM_LTV_RESULT_COLUMNS)
LIST(metric, CSM_METRIC_COLUMNS)
LIST(unit_economics, CSM_UNIT_ECONOMICS_COLUMNS)
LIST(projection, CSM_PROJECTION_COLUMNS)
LIST(project_inputs, CSM_PROJECTION_INPUTS_COLUMNS)

typedef struct decl {
    const char *table;  /* the table's name */
    const char *macro;  /* "CSM_MOVEMENTS_COLUMNS" */
    const char *header; /* "ledger.h", under include/csmetrics */
    const char *const *names;
    const char *const *members;
    size_t n;
    /* A key column the table function puts before the list's columns
     * (the "group" of the value results' tables, member group), or NULL. */
    const char *lead;
} decl;

#define DECL(id, MACRO, header)                                                \
    {#id, #MACRO, header, id##_names, id##_members,                            \
     sizeof id##_names / sizeof id##_names[0], NULL}
/* a value struct's list, copied into a table keyed by "group" */
#define DECL_KEYED(id, MACRO, header)                                          \
    {#id, #MACRO, header, id##_names, id##_members,                            \
     sizeof id##_names / sizeof id##_names[0], "group"}

static const decl decls[] = {
    DECL(ledger_month, CSM_LEDGER_MONTH_COLUMNS, "ledger.h"),
    DECL(movements, CSM_MOVEMENTS_COLUMNS, "movements.h"),
    DECL(movement_events, CSM_MOVEMENTS_EVENTS_COLUMNS, "movements.h"),
    DECL(retention, CSM_RETENTION_COLUMNS, "retention.h"),
    DECL(retention_customers, CSM_RETENTION_CUSTOMERS_COLUMNS, "retention.h"),
    DECL(cohorts, CSM_COHORTS_COLUMNS, "cohorts.h"),
    DECL(cohort_cells, CSM_COHORT_CELLS_COLUMNS, "cohorts.h"),
    DECL(km, CSM_KM_COLUMNS, "km.h"),
    DECL(km_groups, CSM_KM_GROUP_COLUMNS, "km.h"),
    DECL(km_at, CSM_KM_AT_COLUMNS, "km.h"),
    DECL(lifetimes, CSM_LIFETIMES_COLUMNS, "lifetimes.h"),
    DECL(sbg_survivors, CSM_SBG_SURVIVORS_COLUMNS, "sbg.h"),
    DECL(sbg, CSM_SBG_COLUMNS, "sbg.h"),
    DECL(sbg_curve, CSM_SBG_CURVE_COLUMNS, "sbg.h"),
    DECL(sbg_model, CSM_SBG_MODEL_COLUMNS, "sbg.h"),
    DECL(renewals, CSM_RENEWALS_COLUMNS, "renewals.h"),
    DECL(renewal_contracts, CSM_RENEWAL_CONTRACTS_COLUMNS, "renewals.h"),
    DECL(team, CSM_TEAM_COLUMNS, "team.h"),
    DECL(team_summary, CSM_TEAM_SUMMARY_COLUMNS, "team.h"),
    DECL(churn_model, CSM_CHURN_MODEL_COLUMNS, "churn.h"),
    DECL(churn_fit, CSM_CHURN_FIT_COLUMNS, "churn.h"),
    DECL(churn_scores, CSM_CHURN_SCORES_COLUMNS, "churn.h"),
    DECL(churn_contributions, CSM_CHURN_CONTRIBUTIONS_COLUMNS, "churn.h"),
    DECL(churn_auc, CSM_CHURN_AUC_COLUMNS, "churn.h"),
    DECL(churn_roc, CSM_CHURN_ROC_COLUMNS, "churn.h"),
    DECL(churn_validation, CSM_CHURN_VALIDATION_COLUMNS, "churn.h"),
    DECL(churn_calibration, CSM_CHURN_CALIBRATION_COLUMNS, "churn.h"),
    DECL(churn_proposal, CSM_CHURN_PROPOSAL_COLUMNS, "churn.h"),
    DECL(activity, CSM_ACTIVITY_COLUMNS, "activity.h"),
    DECL(activity_measures, CSM_ACTIVITY_MEASURES_COLUMNS, "activity.h"),
    DECL(transitions, CSM_TRANSITIONS_COLUMNS, "transitions.h"),
    DECL(transitions_summary, CSM_TRANSITIONS_SUMMARY_COLUMNS, "transitions.h"),
    DECL(reviews, CSM_REVIEWS_COLUMNS, "reviews.h"),
    DECL(reviews_owners, CSM_REVIEWS_OWNERS_COLUMNS, "reviews.h"),
    DECL(reviews_summary, CSM_REVIEWS_SUMMARY_COLUMNS, "reviews.h"),
    DECL(interventions, CSM_INTERVENTIONS_COLUMNS, "interventions.h"),
    DECL(interventions_panel, CSM_INTERVENTIONS_PANEL_COLUMNS,
         "interventions.h"),
    DECL(referrals, CSM_REFERRALS_COLUMNS, "referrals.h"),
    DECL(referrals_owners, CSM_REFERRALS_OWNERS_COLUMNS, "referrals.h"),
    DECL(health, CSM_HEALTH_COLUMNS, "health.h"),
    DECL(health_measures, CSM_HEALTH_MEASURES_COLUMNS, "health.h"),
    DECL(health_groups, CSM_HEALTH_GROUPS_COLUMNS, "health.h"),
    DECL(health_bands, CSM_HEALTH_BANDS_COLUMNS, "health.h"),
    DECL(health_at_risk, CSM_HEALTH_RISK_COLUMNS, "health.h"),
    DECL(health_reasons, CSM_HEALTH_REASON_COLUMNS, "health.h"),
    DECL_KEYED(nps, CSM_NPS_RESULT_COLUMNS, "nps.h"),
    DECL_KEYED(nps_diff, CSM_NPS_DIFF_COLUMNS, "nps.h"),
    DECL_KEYED(csat, CSM_CSAT_RESULT_COLUMNS, "csat.h"),
    DECL_KEYED(ces, CSM_CES_RESULT_COLUMNS, "ces.h"),
    DECL_KEYED(ltv, CSM_LTV_RESULT_COLUMNS, "ltv.h"),
    DECL_KEYED(metric, CSM_METRIC_COLUMNS, "table.h"),
    DECL(unit_economics, CSM_UNIT_ECONOMICS_COLUMNS, "unit_economics.h"),
    DECL(projection, CSM_PROJECTION_COLUMNS, "projection.h"),
    DECL(project_inputs, CSM_PROJECTION_INPUTS_COLUMNS, "projection.h"),
};
#define N_DECLS (sizeof decls / sizeof decls[0])

static const decl *decl_of_table(const char *table) {
    for (size_t i = 0; i < N_DECLS; i++)
        if (strcmp(decls[i].table, table) == 0)
            return &decls[i];
    return NULL;
}

/* ---- a growing string ------------------------------------------------------ */
typedef struct text {
    char *s;
    size_t len, cap;
} text;

static int n_errors;

static void error(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fputs("gen-columns: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    n_errors++;
}

static void put(text *t, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0) {
        error("vsnprintf failed");
        exit(2);
    }
    if (t->len + (size_t)n + 1 > t->cap) {
        size_t cap = t->cap ? t->cap : 4096;
        while (cap < t->len + (size_t)n + 1)
            cap *= 2;
        char *s = realloc(t->s, cap);
        if (!s) {
            error("out of memory");
            exit(2);
        }
        t->s = s;
        t->cap = cap;
    }
    va_start(ap, fmt);
    vsnprintf(t->s + t->len, t->cap - t->len, fmt, ap);
    va_end(ap);
    t->len += (size_t)n;
}

/* s for a markdown table cell: '|' escaped. */
static void put_cell(text *t, const char *s) {
    for (; *s; s++)
        put(t, *s == '|' ? "\\|" : "%c", *s);
}

/* ---- the document ---------------------------------------------------------- */
#define MAX_KINDS 64

static void put_table(text *body, const csm_table *t, const decl *d,
                      const char *call) {
    put(body, "### Table `%s`\n\n", t->name);
    if (d->lead)
        put(body,
            "The key column `%s` (added by `%s`), then the result struct's "
            "fields,\ndeclared by `%s` in "
            "[include/csmetrics/%s](../include/csmetrics/%s); %zu "
            "columns.\n\n",
            d->lead, call, d->macro, d->header, d->header, t->n_columns);
    else
        put(body,
            "Declared by `%s` in "
            "[include/csmetrics/%s](../include/csmetrics/%s); %zu "
            "columns.\n\n",
            d->macro, d->header, d->header, t->n_columns);
    put(body, "| column | C member | type | storage | role | description |\n");
    put(body, "|---|---|---|---|---|---|\n");
    size_t lead = d->lead != NULL;
    for (size_t j = 0; j < t->n_columns; j++) {
        const csm_column *c = &t->columns[j];
        put(body, "| `%s` | `%s` | %s | %s | %s | ", c->name,
            j < lead ? d->lead : d->members[j - lead],
            csm_type_name(c->type), csm_storage_name(c->storage),
            csm_role_name(c->role));
        put_cell(body, c->doc);
        put(body, " |\n");
    }
    put(body, "\n");
}

/* The tables of r against their declared lists; marks the lists used. */
static int check_result(const producer *p, const csm_result *r, int *used) {
    int ok = 1;
    for (size_t i = 0; i < csm_result_n_tables(r); i++) {
        const csm_table *t = csm_result_table(r, i);
        const decl *d = decl_of_table(t->name);
        if (!d) {
            error("producer \"%s\": table \"%s\" has no declared column list "
                  "in gen-columns.c's decls[]",
                  p->name, t->name);
            ok = 0;
            continue;
        }
        used[d - decls] = 1;
        size_t lead = d->lead != NULL;
        int same = t->n_columns == lead + d->n &&
                   (!lead || strcmp(t->columns[0].name, d->lead) == 0);
        for (size_t j = lead; same && j < t->n_columns; j++)
            same = strcmp(t->columns[j].name, d->names[j - lead]) == 0;
        if (!same) {
            error("table \"%s\": its descriptors are not the columns of %s, "
                  "in order%s",
                  t->name, d->macro,
                  lead ? ", after the key column \"group\"" : "");
            ok = 0;
        }
    }
    return ok;
}

static void generate(text *out) {
    text toc = {0}, body = {0};
    char kinds[MAX_KINDS][64];
    size_t n_kinds = 0, n_tables = 0;
    int used[N_DECLS] = {0};
    for (size_t i = 0; i < n_producers; i++) {
        const producer *p = &producers[i];
        csm_result *r = p->make(NULL);
        if (!r) {
            error("producer \"%s\" (%s) failed", p->name, p->call);
            continue;
        }
        int ok = check_result(p, r, used);
        const char *kind = csm_result_kind(r);
        int seen = 0;
        for (size_t k = 0; k < n_kinds; k++)
            seen |= strcmp(kinds[k], kind) == 0;
        if (!seen && ok && n_kinds < MAX_KINDS) {
            snprintf(kinds[n_kinds++], sizeof kinds[0], "%s", kind);
            size_t nt = csm_result_n_tables(r);
            put(&toc, "- [%s](#%s):", kind, kind);
            put(&body, "## %s\n\n", kind);
            put(&body, "`%s` returns a result of kind `%s` with %zu table%s:",
                p->call, kind, nt, nt == 1 ? "" : "s");
            for (size_t j = 0; j < nt; j++) {
                const char *name = csm_result_table(r, j)->name;
                put(&toc, "%s [`%s`](#table-%s)", j ? "," : "", name, name);
                put(&body, "%s `%s`", j ? "," : "", name);
            }
            put(&toc, "\n");
            put(&body, ".\n\n");
            for (size_t j = 0; j < nt; j++) {
                const csm_table *t = csm_result_table(r, j);
                put_table(&body, t, decl_of_table(t->name), p->call);
                n_tables++;
            }
        }
        csm_result_free(r);
    }
    for (size_t i = 0; i < N_DECLS; i++)
        if (!used[i])
            error("%s (%s): no producer in producers.c returns its table "
                  "\"%s\"",
                  decls[i].macro, decls[i].header, decls[i].table);
    put(out, "# Result table columns\n\n");
    put(out, "<!-- Generated by tests/arrow/gen-columns.c (make docs-columns); "
             "do not edit. -->\n\n");
    put(out,
        "Every column of every table the library returns, as the tables' own "
        "descriptors\n"
        "(`csm_column`: name, type, storage, role, description) give them: "
        "%zu tables of %zu families.\n\n",
        n_tables, n_kinds);
    put(out,
        "This file is generated. `make docs-columns` runs "
        "`tests/arrow/gen-columns`, which computes one\n"
        "small result of every family with the producers of "
        "`tests/arrow/producers.c` (the fixtures the\n"
        "DuckDB round-trip test reads too) and prints the descriptors of "
        "their tables. The test\n"
        "`columns-doc` (`meson test -C build columns-doc`, part of `make "
        "test`) fails when this file\n"
        "differs from the program's output. To change a column, edit the "
        "family's `CSM_*_COLUMNS(X)`\n"
        "list in its header and run `make docs-columns`.\n\n");
    put(out,
        "[tables.md](tables.md) explains the result layout, the types and "
        "storages, the roles, the\n"
        "undefined values (null in Arrow) and the Arrow mapping. *C member* "
        "is the member of the family's\n"
        "typed struct that holds the column (`m->new_mrr[i]` is row i of the "
        "column `new`).\n\n");
    if (toc.s)
        put(out, "%s\n", toc.s);
    if (body.s)
        put(out, "%s", body.s);
    free(toc.s);
    free(body.s);
}

/* ---- the headers' column lists --------------------------------------------- */
static int cmp_str(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every "#define CSM_..._COLUMNS(X)" of DIR/<name>.h is in decls[] with
 * that header, and every decls[] entry is in its header. */
static void check_headers(const char *dir) {
    DIR *d = opendir(dir);
    if (!d) {
        error("%s: %s", dir, strerror(errno));
        return;
    }
    char *names[256];
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t len = strlen(e->d_name);
        if (len > 2 && strcmp(e->d_name + len - 2, ".h") == 0 && n < 256) {
            names[n] = malloc(len + 1);
            if (names[n])
                memcpy(names[n++], e->d_name, len + 1);
        }
    }
    closedir(d);
    qsort(names, n, sizeof names[0], cmp_str);
    int found[N_DECLS] = {0};
    for (size_t i = 0; i < n; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        FILE *f = fopen(path, "r");
        if (!f) {
            error("%s: %s", path, strerror(errno));
            continue;
        }
        char line[1024];
        const char *pre = "#define CSM_";
        while (fgets(line, sizeof line, f)) {
            if (strncmp(line, pre, strlen(pre)) != 0)
                continue;
            const char *name = line + strlen("#define ");
            const char *paren = strstr(name, "_COLUMNS(X)");
            if (!paren || strcspn(name, " \t(") != (size_t)(paren - name) + 8)
                continue;
            size_t len = (size_t)(paren - name) + 8; /* through _COLUMNS */
            int known = 0;
            for (size_t k = 0; k < N_DECLS; k++)
                if (strlen(decls[k].macro) == len &&
                    strncmp(decls[k].macro, name, len) == 0 &&
                    strcmp(decls[k].header, names[i]) == 0) {
                    found[k] = known = 1;
                }
            if (!known)
                error("%s declares %.*s, which gen-columns.c does not "
                      "document: add a producer of its table to "
                      "tests/arrow/producers.c and the list to decls[] in "
                      "tests/arrow/gen-columns.c",
                      path, (int)len, name);
        }
        fclose(f);
    }
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    for (size_t k = 0; k < N_DECLS; k++)
        if (!found[k])
            error("decls[] says %s is declared in %s/%s, which does not "
                  "declare it",
                  decls[k].macro, dir, decls[k].header);
}

/* ---- main ------------------------------------------------------------------ */
static char *read_file(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    text t = {0};
    char buf[8192];
    size_t n;
    put(&t, "%s", "");
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        put(&t, "%.*s", (int)n, buf);
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        free(t.s);
        return NULL;
    }
    *len = t.len;
    return t.s;
}

/* 1-based line of byte offset `at` in s, and that line (without '\n'). */
static size_t line_at(const char *s, size_t len, size_t at, const char **l,
                      int *l_len) {
    size_t line = 1, start = 0;
    for (size_t i = 0; i < at && i < len; i++)
        if (s[i] == '\n') {
            line++;
            start = i + 1;
        }
    size_t end = start;
    while (end < len && s[end] != '\n')
        end++;
    *l = s + start;
    *l_len = (int)(end - start);
    return line;
}

static int check_file(const char *path, const text *want, const char *argv0,
                      const char *headers) {
    size_t len = 0;
    char *got = read_file(path, &len);
    if (!got) {
        error("%s: %s", path, strerror(errno));
        return 2;
    }
    size_t at = 0;
    while (at < len && at < want->len && got[at] == want->s[at])
        at++;
    int rc = 0;
    if (at == len && at == want->len) {
        printf("%s is up to date\n", path);
    } else {
        const char *gl, *wl;
        int gn, wn;
        size_t line = line_at(got, len, at, &gl, &gn);
        line_at(want->s, want->len, at, &wl, &wn);
        printf("%s differs from the generator's output from line %zu:\n"
               "  file:      %s%.*s\n"
               "  generated: %s%.*s\n"
               "Regenerate it with `make docs-columns` (or: %s%s%s -o %s) "
               "and commit it.\n",
               path, line, at < len ? "" : "(end of file)", gn, gl,
               at < want->len ? "" : "(end of output)", wn, wl, argv0,
               headers ? " --headers " : "", headers ? headers : "", path);
        rc = 1;
    }
    free(got);
    return rc;
}

static int write_file(const char *path, const text *t) {
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    FILE *f = fopen(tmp, "wb");
    if (!f) {
        error("%s: %s", tmp, strerror(errno));
        return 2;
    }
    size_t n = fwrite(t->s, 1, t->len, f);
    if (fclose(f) != 0 || n != t->len || rename(tmp, path) != 0) {
        error("%s: %s", path, strerror(errno));
        remove(tmp);
        return 2;
    }
    return 0;
}

int main(int argc, char **argv) {
    const char *out = NULL, *check = NULL, *headers = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-o") == 0 && i + 1 < argc)
            out = argv[++i];
        else if (strcmp(argv[i], "--check") == 0 && i + 1 < argc)
            check = argv[++i];
        else if (strcmp(argv[i], "--headers") == 0 && i + 1 < argc)
            headers = argv[++i];
        else {
            fprintf(stderr,
                    "usage: %s [--headers DIR] [-o FILE | --check FILE]\n"
                    "  docs/columns.md from the result tables' descriptors: "
                    "stdout, FILE (-o), or\n"
                    "  compared with FILE (--check); --headers "
                    "include/csmetrics also checks that every\n"
                    "  column list declared there is documented.\n",
                    argv[0]);
            return 2;
        }
    }
    if (out && check) {
        fprintf(stderr, "%s: -o and --check exclude each other\n", argv[0]);
        return 2;
    }
    text doc = {0};
    generate(&doc);
    if (headers)
        check_headers(headers);
    int rc = 0;
    if (n_errors)
        rc = 1; /* nothing is written from an incomplete list */
    else if (check)
        rc = check_file(check, &doc, argv[0], headers);
    else if (out)
        rc = write_file(out, &doc);
    else if (fwrite(doc.s, 1, doc.len, stdout) != doc.len)
        rc = 2;
    free(doc.s);
    return rc;
}
