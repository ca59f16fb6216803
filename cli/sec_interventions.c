/* sec_interventions.c - intervention effects: for each touch type of
 * touches.csv, the change of the health score and of the MRR from the
 * month of the touch to --effect-horizon months later, against accounts of
 * the same health band without a touch that month (the library's
 * interventions table, csmetrics/interventions.h).  OBSERVATIONAL: CSMs
 * choose whom to touch, so a difference is not the touch's effect.
 *
 * The health panel: the accounts of every month of usage.csv up to the
 * review month, each month scored by the report's scorecard as the health
 * section scores its review month (health_score_month), with the month's
 * MRR from the ledger, built by the library (csm_interventions_panel_build):
 * an account the ledger has in a month and not in the month
 * --effect-horizon later (it churned) gets a row there with MRR 0, no score
 * and no band, so its MRR change counts (the loss) and its score change
 * does not. */
#include "section.h"

#include <stdlib.h>
#include <string.h>

#include "health_inputs.h"
#include "scorecard.h"

/* The scores of the nm months (ascending): each month's accounts scored by
 * sc (the health section's scoring of a month, health_score_month), as the
 * input of csm_interventions_panel_build, which adds the ledger's MRR and
 * the rows of the accounts gone by the later month.  The arrays are
 * allocated into *s (free with scores_free). */
static void scores_build(csm_interventions_scores *s, const ctx *x,
                         const csm_health_scorecard *sc,
                         const int32_t *months, size_t nm) {
    size_t n = 0, cap = 0;
    int64_t *account = NULL;
    int32_t *month = NULL, *band = NULL;
    double *score = NULL;
    for (size_t i = 0; i < nm; i++) {
        health_inputs in;
        csm_health *h = health_score_month(&in, x, sc, months[i]);
        if (n + in.n > cap) {
            cap = n + in.n > 2 * cap ? n + in.n : 2 * cap;
            account = xrealloc(account, cap, sizeof *account);
            month = xrealloc(month, cap, sizeof *month);
            score = xrealloc(score, cap, sizeof *score);
            band = xrealloc(band, cap, sizeof *band);
        }
        for (size_t a = 0; a < in.n; a++, n++) {
            account[n] = in.account[a];
            month[n] = months[i];
            score[n] = h->score[a];
            band[n] = h->band[a];
        }
        csm_health_free(h);
        health_inputs_free(&in);
    }
    *s = (csm_interventions_scores){account, month, score, band, n};
}

static void scores_free(csm_interventions_scores *s) {
    free((void *)s->account);
    free((void *)s->month);
    free((void *)s->score);
    free((void *)s->band);
}

/* The type column shows the touch type's label (touches.csv's type). */
static const char *type_label(const void *arg, const csm_column *c,
                              int32_t code) {
    const company *co = arg;
    if (strcmp(c->name, "type") != 0)
        return NULL;
    return csm_keys_label(co->touch_types, code, NULL);
}

/* --detail: the panel itself (full_only: json and csv), one row per
 * account and month, for checking the figures by hand. */
static table *panel_table(const ctx *x, const csm_interventions_panel_rows *p,
                          const csm_health_scorecard *sc) {
    table *t = table_new("interventions_panel",
                         "Health panel of the intervention effects");
    t->full_only = 1;
    table_col(t, "account_id", K_TEXT);
    table_col(t, "month", K_TEXT);
    table_col(t, "score", K_NUM);
    table_col(t, "band", K_TEXT);
    table_col(t, "mrr", K_MONEY);
    char m[16];
    for (size_t i = 0; i < p->n_rows; i++) {
        table_row(t);
        table_str(t, company_customer(x->c, p->account[i]));
        month_label(m, sizeof m, p->month[i]);
        table_str(t, m);
        table_num(t, p->score[i]);
        table_str(t, p->band[i] < 0 ? "none"
                                    : csm_health_scorecard_band_name(
                                          sc, (size_t)p->band[i]));
        table_num(t, p->mrr[i]); /* NaN without mrr.csv */
    }
    table_note(t, "an account without MRR in a month (the ledger) that had "
                  "MRR --effect-horizon months before: MRR 0, no score, band "
                  "none");
    return t;
}

void sec_interventions(ctx *x) {
    const company *c = x->c;
    if (!need_file(x, c->have_usage, "interventions", "usage.csv") ||
        !need_file(x, c->have_touches, "interventions", "touches.csv"))
        return;
    int32_t as_of = review_month(x, "interventions", "usage.csv",
                                 c->use_month, c->n_use, 0);
    if (as_of == CSM_MONTH_NONE)
        return;
    int32_t horizon = x->o->effect_horizon;
    int32_t *months = NULL;
    size_t nm = usage_months(c, as_of, &months);
    if (nm == 0) {
        report_note(x->r, "interventions skipped: usage.csv in %s has no month "
                          "up to the review month",
                    c->dir);
        x->n_empty++;
        free(months);
        return;
    }
    csm_health_scorecard *sc = scorecard_load(x->o->scorecard);
    csm_interventions_opts o = CSM_INTERVENTIONS_OPTS_INIT;
    o.horizon = horizon;
    o.confidence = x->o->effect_confidence;
    csm_interventions_scores sco;
    scores_build(&sco, x, sc, months, nm);
    csm_interventions_panel_rows *p = NULL;
    csm_error e;
    csm_status st =
        csm_interventions_panel_build(&p, x->ledger, months, nm, &sco, &o, &e);
    scores_free(&sco);
    if (st != CSM_OK) /* the CLI's scores are valid: out of memory or a bug */
        die_status("interventions", &e);
    /* the events: every touch, in the month of its date */
    int32_t *tm = xalloc(c->n_touch ? c->n_touch : 1, sizeof *tm);
    for (size_t i = 0; i < c->n_touch; i++)
        tm[i] = csm_day_month(c->touch_day[i]);
    csm_interventions_events ev = {c->touch_cust, tm, c->touch_type,
                                   c->n_touch};
    csm_interventions *r = NULL;
    st = csm_interventions_compute(&r, &p->panel, &ev, &o, &e);
    free(tm);
    if (st != CSM_OK) /* the CLI's panel and events are valid: a bug */
        die_status("interventions", &e);
    char title[160];
    snprintf(title, sizeof title,
             "Intervention effects, %d month(s) after (OBSERVATIONAL, not "
             "causal)",
             (int)horizon);
    tview v = {.key = "interventions", .title = title, .keep_all = 1,
               .code_label = type_label, .arg = c};
    table *t = table_from_csm(csm_result_find(r->result, "interventions"), &v);
    csm_interventions_free(r);
    char m0[16], m1[16];
    month_label(m0, sizeof m0, months[0]);
    month_label(m1, sizeof m1, months[nm - 1]);
    table_note(t, "OBSERVATIONAL: CSMs choose which accounts to touch (often "
                  "those in trouble), so diff mixes the touch's effect with "
                  "the reasons for it; it is not a causal effect");
    table_note(t, "change from a touch's month to %d month(s) later; controls: "
                  "accounts of the same health band without a touch that "
                  "month, reweighted to the treated's bands; accounts of the "
                  "months of usage.csv %s..%s scored by scorecard '%s'%s",
               (int)horizon, m0, m1, scorecard_label(x->o->scorecard),
               x->ledger ? "; an account gone by then counts with MRR 0 and "
                           "no score"
                         : "; no mrr.csv: no MRR changes");
    report_add(x->r, t);
    if (x->o->detail)
        report_add(x->r, panel_table(x, p, sc));
    csm_interventions_panel_rows_free(p);
    free(months);
    csm_health_scorecard_free(sc);
}
