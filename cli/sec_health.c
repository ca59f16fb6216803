/* sec_health.c - health scores of the accounts of the review month: the
 * library's band distribution and ranking of the accounts most at risk
 * with the measures that cost them points; the at-risk accounts go to the
 * team section. */
#include "section.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "health_inputs.h"
#include "scorecard.h"

/* The band column of the health tables: the scorecard's band names. */
static const char *band_label(const void *arg, const csm_column *c,
                              int32_t code) {
    const csm_health_scorecard *sc = arg;
    if (strcmp(c->name, "band") != 0 || code < 0 ||
        (size_t)code >= csm_health_scorecard_band_count(sc))
        return NULL;
    return csm_health_scorecard_band_name(sc, (size_t)code);
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
        fprintf(stderr, "csmetrics: health: %s\n", e.text);
        exit(EXIT_DATAERR);
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
