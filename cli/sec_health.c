/* sec_health.c - health scores of the accounts of the review month: the
 * library's band distribution and ranking of the accounts most at risk
 * with the measures that cost them points, and the band transitions from
 * the month before; the at-risk accounts go to the team section. */
#include "section.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "health_inputs.h"
#include "scorecard.h"

/* The band columns of the health tables (band; the transitions' from_band
 * and to_band): the scorecard's band names, "none" for no band. */
static const char *band_label(const void *arg, const csm_column *c,
                              int32_t code) {
    const csm_health_scorecard *sc = arg;
    if (strcmp(c->name, "band") != 0 && strcmp(c->name, "from_band") != 0 &&
        strcmp(c->name, "to_band") != 0)
        return NULL;
    if (code == CSM_TRANSITIONS_NONE)
        return "none";
    if (code < 0 || (size_t)code >= csm_health_scorecard_band_count(sc))
        return NULL;
    return csm_health_scorecard_band_name(sc, (size_t)code);
}

/* The band transitions ("transitions", "transitions_summary") from the
 * month before the review month to it: the accounts of both months scored
 * by the same scorecard (health_inputs_build of each month; an account not
 * active in one of the months has no band there).  Skipped with a note on
 * the table `at` when usage.csv has no row of the month before (a note of
 * a table, so that the team section's quiet health run leaves none). */
static void transitions(ctx *x, table *at, const csm_health_scorecard *sc,
                        const csm_health *h, const health_inputs *in,
                        int32_t as_of) {
    const company *c = x->c;
    int32_t before = as_of - 1;
    size_t k = 0;
    while (k < c->n_use && c->use_month[k] != before)
        k++;
    if (k == c->n_use) {
        table_note(at, "band transitions skipped: usage.csv has no row of "
                       "the month before the review month");
        return;
    }
    health_inputs prev;
    csm_health *hp = health_score_month(&prev, x, sc, before);
    csm_error e;
    /* the panel: the month before's accounts, then the review month's */
    size_t n = prev.n + in->n;
    int64_t *acc = xalloc(n ? n : 1, sizeof *acc);
    int32_t *month = xalloc(n ? n : 1, sizeof *month);
    int32_t *band = xalloc(n ? n : 1, sizeof *band);
    for (size_t i = 0; i < n; i++) {
        int first = i < prev.n;
        size_t j = first ? i : i - prev.n;
        acc[i] = first ? prev.account[j] : in->account[j];
        month[i] = first ? before : as_of;
        band[i] = first ? hp->band[j] : h->band[j];
    }
    csm_health_free(hp);
    health_inputs_free(&prev);
    csm_transitions_opts o = CSM_TRANSITIONS_OPTS_INIT;
    o.from_month = before;
    o.to_month = as_of;
    o.n_bands = (int32_t)csm_health_scorecard_band_count(sc);
    csm_transitions *t = NULL;
    csm_status st = csm_transitions_compute(&t, acc, month, band, n, &o, &e);
    free(acc);
    free(month);
    free(band);
    if (st != CSM_OK)
        die_status("health", &e);
    tview tv = {.key = "transitions",
                .title = "Health band transitions from the month before",
                .keep_all = 1, .code_label = band_label, .arg = sc};
    report_add(x->r,
               table_from_csm(csm_result_find(t->result, "transitions"), &tv));
    tview sv = {.key = "transitions_summary",
                .title = "Band transitions"};
    report_add(x->r, table_from_csm(csm_result_find(t->result,
                                                    "transitions_summary"),
                                    &sv));
    csm_transitions_free(t);
}

/* The note on input k, which no account has: where the CLI looked for it
 * and what scoring does without it, by its missing-data policy
 * (csm_health_scorecard_input_policy; NULL: an override-only input). */
static void absent_note(char *buf, size_t size, const ctx *x,
                        const csm_health_scorecard *sc, size_t k) {
    const char *name = csm_health_scorecard_input_name(sc, k);
    const char *policy = csm_health_scorecard_input_policy(sc, k);
    const char *without =
        !policy ? "the overrides on it never fire"
        : strcmp(policy, "zero") == 0 ? "every account scores 0 on that measure"
        : strcmp(policy, "fail") == 0 ? "its measure's missing policy is 'fail'"
        : "every account is scored without that measure (the others' weights "
          "renormalized)";
    snprintf(buf, size,
             "scorecard input '%.80s' has no value for any account (looked for "
             "in %s); %s",
             name, health_input_origin(x->c, name), without);
}

/* The inputs no account has (csm_health_absent_inputs), one flag per input
 * (the caller frees them): a note each on stderr; exit 65 when one is a
 * measure whose policy is "fail". */
static unsigned char *absent_inputs(const ctx *x, const csm_health_scorecard *sc,
                                    const health_inputs *in) {
    size_t ni = csm_health_scorecard_input_count(sc);
    unsigned char *absent = xalloc(ni ? ni : 1, 1);
    csm_error e;
    csm_status st = csm_health_absent_inputs(absent, NULL, sc, in->values, in->n, &e);
    if (st != CSM_OK && st != CSM_EMISSING)
        die_status("health", &e);
    char note[400];
    for (size_t k = 0; k < ni; k++)
        if (absent[k]) {
            absent_note(note, sizeof note, x, sc, k);
            fprintf(stderr, "csmetrics: health: note: %s\n", note);
        }
    if (st == CSM_EMISSING) {
        fprintf(stderr, "csmetrics: health: %s\n", e.text);
        exit(EXIT_DATAERR);
    }
    return absent;
}

void sec_health(ctx *x) {
    const company *c = x->c;
    if (!need_file(x, c->have_usage, "health", "usage.csv"))
        return;
    int32_t as_of =
        review_month(x, "health", "usage.csv", c->use_month, c->n_use, 0);
    if (as_of == CSM_MONTH_NONE)
        return;
    csm_health_scorecard *sc = scorecard_load(x->o->scorecard);
    health_inputs in;
    health_inputs_build(&in, x, sc, as_of);
    unsigned char *absent = absent_inputs(x, sc, &in);
    csm_health *h = NULL;
    csm_error e;
    if (csm_health_score(&h, sc, in.values, in.n, NULL, &e) !=
        CSM_OK) {
        die_status("health", &e); /* 65 for the data, 70 out of memory */
    }
    /* band distribution ("health_bands") */
    csm_health_bands *hb = NULL;
    if (csm_health_bands_compute(&hb, h, sc, x->ledger ? in.mrr : NULL,
                                 &e) != CSM_OK)
        die_status("health", &e);
    tview bv = {.key = "health_bands", .title = "Health-score bands",
                .code_label = band_label, .arg = sc};
    table *t = table_from_csm(csm_result_find(hb->result, "health_bands"),
                              &bv);
    table_note(t, "scorecard '%s'; %zu accounts scored, %zu without data",
               scorecard_label(x->o->scorecard), hb->n_scored,
               hb->n_unscored);
    char note[400];
    for (size_t k = 0; k < csm_health_scorecard_input_count(sc); k++)
        if (absent[k]) {
            absent_note(note, sizeof note, x, sc, k);
            table_note(t, "%s", note);
        }
    free(absent);
    csm_health_bands_free(hb);
    report_add(x->r, t);
    /* the ten most at risk, with the measures that cost them most */
    csm_health_risks *hr = NULL;
    if (csm_health_at_risk(&hr, h, in.account, in.mrr, NULL, &e) != CSM_OK)
        die_status("health", &e);
    /* account_id: the user's label ("account" is a row of the values) */
    static const char *const account_col[] = {"account_id", NULL};
    tview rv = {.key = "health_at_risk", .title = "Accounts most at risk",
                .code_label = band_label, .ids = c->customers,
                .id_cols = account_col, .arg = sc};
    table *r = table_from_csm(csm_result_find(hr->result, "health_at_risk"),
                              &rv);
    csm_health_risks_free(hr);
    table_note(r, "reasons: the measures that cost the most points (weight x "
                  "(100 - measure score)) and the override that fired");
    report_add(x->r, r);
    transitions(x, r, sc, h, &in, as_of);
    /* at risk = the lowest band, for the team section */
    free(x->at_risk);
    x->at_risk = xalloc(in.n, sizeof *x->at_risk);
    x->n_at_risk = 0;
    for (size_t a = 0; a < in.n; a++)
        if (h->band[a] == 0)
            x->at_risk[x->n_at_risk++] = in.account[a];
    x->health_done = 1;
    csm_health_free(h);
    csm_health_scorecard_free(sc);
    health_inputs_free(&in);
}
