/* sec_churn.c - churn risk: the library's churn model (churn.h) fit on the
 * health scorecard's inputs of account-months, its quality on the latest
 * months held out (next to the health score's ranking of the same rows),
 * its coefficients, and the accounts most at risk in the review month with
 * their main reason.
 *
 * Rows: every account active (mrr.csv) in a month of usage.csv that ends
 * at least CHURN_HORIZON months before the review month.  Features: the
 * value of every scorecard input in that month (health_inputs.h), then,
 * with accounts.csv, an indicator per value of the account's segment,
 * channel and billing but the first in label order ("segment=SMB"; a blank
 * cell is none of them), and ln(1 + MRR)
 * of the month; a row with a missing input is left out (noted).  Outcome: 1 when the account is not
 * active in one of the CHURN_HORIZON months after the row's month.  The
 * model is fit on the earlier months and validated on the latest
 * CHURN_HOLDOUT labelled months (a time-based split: no row of a validated
 * month is in the fit); the coefficients shown and the accounts scored in
 * the review month come from the model refit on every labelled month. */
#include "section.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "health_inputs.h"
#include "scorecard.h"

#define CHURN_HORIZON 3 /* churned within this many months */
#define CHURN_HOLDOUT 3 /* labelled months held out for validation */
#define CHURN_TOP 10    /* accounts listed as most at risk */

static int all_finite(const double *v, size_t k) {
    for (size_t j = 0; j < k; j++)
        if (!isfinite(v[j]))
            return 0;
    return 1;
}

/* The model's features: the scorecard's ni inputs, then the indicators
 * of the account dimensions' values (dims[k], value code[k]), then
 * ln(1 + MRR). */
static const int churn_dims[] = {DIM_SEGMENT, DIM_CHANNEL, DIM_BILLING};
#define CHURN_NDIMS (sizeof churn_dims / sizeof churn_dims[0])

typedef struct features {
    size_t ni, n; /* scorecard inputs; every feature */
    int *dim;     /* n - ni - 1 indicators: dimension and value */
    int32_t *code;
    char **name;  /* n names */
} features;

static void features_init(features *f, const company *c,
                          const csm_health_scorecard *sc) {
    f->ni = csm_health_scorecard_input_count(sc);
    size_t cap = f->ni + 1;
    for (size_t k = 0; k < CHURN_NDIMS && c->have_accounts; k++)
        cap += csm_keys_count(c->dims[churn_dims[k]]);
    f->dim = xalloc(cap, sizeof *f->dim);
    f->code = xalloc(cap, sizeof *f->code);
    f->name = xalloc(cap, sizeof *f->name);
    f->n = 0;
    for (size_t k = 0; k < f->ni; k++)
        f->name[f->n++] = xstrdup(csm_health_scorecard_input_name(sc, k));
    size_t ne = 0;
    for (size_t k = 0; k < CHURN_NDIMS && c->have_accounts; k++) {
        const csm_keys *d = c->dims[churn_dims[k]];
        /* the first value (in label order) is the reference */
        for (size_t v = 1; v < csm_keys_count(d); v++) {
            char buf[256];
            snprintf(buf, sizeof buf, "%s=%s", dim_names[churn_dims[k]],
                     csm_keys_label(d, (int64_t)v, NULL));
            f->dim[ne] = churn_dims[k];
            f->code[ne++] = (int32_t)v;
            f->name[f->n++] = xstrdup(buf);
        }
    }
    f->name[f->n++] = xstrdup("log_mrr");
}

static void features_free(features *f) {
    for (size_t k = 0; k < f->n; k++)
        free(f->name[k]);
    free(f->name);
    free(f->dim);
    free(f->code);
}

/* Account a of `in`: its features into v; 0 when one is missing. */
static int features_of(double *v, const features *f, const company *c,
                       const health_inputs *in, size_t a) {
    memcpy(v, in->values + a * f->ni, f->ni * sizeof *v);
    long acc = c->have_accounts ? company_account(c, in->account[a]) : -1;
    size_t ne = f->n - f->ni - 1;
    for (size_t e = 0; e < ne; e++)
        v[f->ni + e] = acc < 0 ? NAN : c->acc_dim[f->dim[e]][acc] == f->code[e];
    v[f->n - 1] = log1p(in->mrr[a]);
    return all_finite(v, f->n);
}

/* The account-month rows: ni features each, the outcome, the health
 * score and the month. */
typedef struct panel {
    size_t n, cap, ni;
    double *x;
    uint8_t *y;
    double *health;
    int32_t *month;
} panel;

static void panel_add(panel *p, const double *v, uint8_t y, double health,
                      int32_t month) {
    if (p->n == p->cap) {
        p->cap = p->cap ? 2 * p->cap : 1024;
        p->x = xrealloc(p->x, p->cap * (p->ni ? p->ni : 1), sizeof *p->x);
        p->y = xrealloc(p->y, p->cap, sizeof *p->y);
        p->health = xrealloc(p->health, p->cap, sizeof *p->health);
        p->month = xrealloc(p->month, p->cap, sizeof *p->month);
    }
    memcpy(p->x + p->n * p->ni, v, p->ni * sizeof *v);
    p->y[p->n] = y;
    p->health[p->n] = health;
    p->month[p->n] = month;
    p->n++;
}

static void panel_free(panel *p) {
    free(p->x);
    free(p->y);
    free(p->health);
    free(p->month);
}

/* The customers the ledger has active in month m, ascending ids
 * (csm_ledger_month_compute); *n their count. */
static int64_t *active_ids(const ctx *x, int32_t m, size_t *n) {
    csm_ledger_month *lm = NULL;
    csm_error e;
    if (csm_ledger_month_compute(&lm, x->ledger, m, &e) != CSM_OK)
        die_status("churn risk", &e);
    int64_t *ids = xalloc(lm->n_rows ? lm->n_rows : 1, sizeof *ids);
    memcpy(ids, lm->customer_id, lm->n_rows * sizeof *ids);
    *n = lm->n_rows;
    csm_ledger_month_free(lm);
    return ids;
}

/* The health scores of the accounts of `in` (NaN where the scorecard
 * cannot score one). */
static double *health_scores(const csm_health_scorecard *sc,
                             const health_inputs *in) {
    double *s = xalloc(in->n ? in->n : 1, sizeof *s);
    csm_health *h = NULL;
    csm_error e;
    csm_status st = csm_health_score(&h, sc, in->values, in->n, NULL, &e);
    if (st == CSM_ENOMEM)
        die_status("health", &e); /* 70 */
    if (st != CSM_OK) {
        for (size_t a = 0; a < in->n; a++)
            s[a] = NAN; /* e.g. a 'fail' input: no comparison */
        return s;
    }
    memcpy(s, h->score, in->n * sizeof *s);
    csm_health_free(h);
    return s;
}

/* Add the rows of labelled month t: its active accounts with every feature,
 * churned = absent from one of the next CHURN_HORIZON months (active[k]:
 * the ids of month t + 1 + k).  Returns the rows left out for a missing
 * input. */
static size_t add_month(panel *p, const ctx *x, const csm_health_scorecard *sc,
                        const features *f, int32_t t, int64_t *const *active,
                        const size_t *n_active) {
    health_inputs in;
    health_inputs_build(&in, x, sc, t);
    double *hs = health_scores(sc, &in);
    double *v = xalloc(f->n, sizeof *v);
    size_t dropped = 0;
    for (size_t a = 0; a < in.n; a++) {
        if (!features_of(v, f, x->c, &in, a)) {
            dropped++;
            continue;
        }
        uint8_t churned = 0;
        for (int k = 0; k < CHURN_HORIZON; k++)
            churned |= find_first(active[k], n_active[k], in.account[a]) < 0;
        panel_add(p, v, churned, hs[a], t);
    }
    free(v);
    free(hs);
    health_inputs_free(&in);
    return dropped;
}

/* The term column of "churn_model" and the feature column of
 * "churn_proposal": the feature's name. */
static const char *term_label(const void *arg, const csm_column *c,
                              int32_t code) {
    const features *f = arg;
    if ((strcmp(c->name, "term") != 0 && strcmp(c->name, "feature") != 0) ||
        code < 0 || (size_t)code >= f->n)
        return NULL;
    return f->name[code];
}

/* Fit the model on rows [0, n) of p (those selected by sel when non-NULL,
 * compacted into the scratch arrays); NULL with a report note when the
 * library cannot fit them (one class only, separation...). */
static csm_churn_model *fit_rows(ctx *x, const panel *p, const uint8_t *sel) {
    size_t k = 0;
    double *xs = xalloc((p->n ? p->n : 1) * (p->ni ? p->ni : 1), sizeof *xs);
    uint8_t *ys = xalloc(p->n ? p->n : 1, 1);
    for (size_t i = 0; i < p->n; i++)
        if (!sel || sel[i]) {
            memcpy(xs + k * p->ni, p->x + i * p->ni, p->ni * sizeof *xs);
            ys[k++] = p->y[i];
        }
    csm_churn_model *m = NULL;
    csm_error e;
    if (csm_churn_model_fit(&m, xs, ys, k, p->ni, NULL, &e) != CSM_OK) {
        report_note(x->r, "churn risk: no model: %s", e.text);
        m = NULL;
    }
    free(xs);
    free(ys);
    return m;
}

/* The model's quality on the held-out rows (sel[i] = 0), and the health
 * score's ranking of the same rows. */
static void validate(ctx *x, const panel *p, const uint8_t *sel,
                     const csm_churn_model *m, const char *train_range,
                     const char *test_range) {
    size_t k = 0, n_test = p->n;
    for (size_t i = 0; i < p->n; i++)
        n_test -= sel[i];
    double *xs = xalloc((n_test ? n_test : 1) * (p->ni ? p->ni : 1), sizeof *xs);
    uint8_t *ys = xalloc(n_test ? n_test : 1, 1);
    double *risk = xalloc(n_test ? n_test : 1, sizeof *risk);
    size_t n_health = 0;
    for (size_t i = 0; i < p->n; i++)
        if (!sel[i]) {
            memcpy(xs + k * p->ni, p->x + i * p->ni, p->ni * sizeof *xs);
            ys[k++] = p->y[i];
        }
    csm_churn_scores *s = NULL;
    csm_error e;
    if (csm_churn_model_score(&s, m, xs, n_test, p->ni, NULL, &e) != CSM_OK)
        die_status("churn risk", &e);
    csm_churn_validation *v = NULL;
    if (csm_churn_validation_compute(&v, ys, s->probability, n_test, NULL,
                                     &e) != CSM_OK)
        die_status("churn risk", &e);
    tview vv = {.key = "churn_validation",
                .title = "Churn model on the held-out months"};
    table *t = table_from_csm(csm_result_find(v->result, "churn_validation"),
                              &vv);
    table_note(t, "fit on %s, validated on %s; churned = no MRR in one of the "
                  "%d months after the row's month",
               train_range, test_range, CHURN_HORIZON);
    report_add(x->r, t);
    tview cv = {.key = "churn_calibration",
                .title = "Calibration on the held-out months (deciles of the "
                         "predicted probability)"};
    report_add(x->r, table_from_csm(
                         csm_result_find(v->result, "churn_calibration"), &cv));
    csm_churn_validation_free(v);
    csm_churn_scores_free(s);
    /* the health score as a predictor: lower score = riskier */
    uint8_t *yh = ys; /* compacted in place: rows the scorecard scored */
    for (size_t i = 0; i < p->n; i++)
        if (!sel[i] && isfinite(p->health[i])) {
            risk[n_health] = 100.0 - p->health[i];
            yh[n_health++] = p->y[i];
        }
    csm_churn_auc *a = NULL;
    if (csm_churn_auc_compute(&a, yh, risk, n_health, NULL, &e) != CSM_OK)
        die_status("churn risk", &e);
    tview av = {.key = "churn_health_auc",
                .title = "Health score as a churn predictor (same held-out rows)"};
    table *ht = table_from_csm(csm_result_find(a->result, "churn_auc"), &av);
    table_note(ht, "AUC of 100 - health score (scorecard '%s'); compare with "
                   "the model's AUC above",
               scorecard_label(x->o->scorecard));
    report_add(x->r, ht);
    csm_churn_auc_free(a);
    free(xs);
    free(ys);
    free(risk);
}

/* Order of the scored accounts: probability descending, then id (the
 * customer dictionary's, label order). */
typedef struct ranked {
    double p;
    int64_t id;
    size_t row;
} ranked;

static int ranked_cmp(const void *pa, const void *pb) {
    const ranked *a = pa, *b = pb;
    if (a->p != b->p)
        return a->p > b->p ? -1 : 1;
    return (a->id > b->id) - (a->id < b->id);
}

/* The accounts of the review month most at risk under model m. */
static void at_risk(ctx *x, const csm_health_scorecard *sc, const features *f,
                    const csm_churn_model *m) {
    health_inputs in;
    health_inputs_build(&in, x, sc, x->as_of);
    size_t k = 0, ni = f->n;
    double *xs = xalloc((in.n ? in.n : 1) * ni, sizeof *xs);
    size_t *row = xalloc(in.n ? in.n : 1, sizeof *row);
    for (size_t a = 0; a < in.n; a++)
        if (features_of(xs + k * ni, f, x->c, &in, a))
            row[k++] = a;
    csm_churn_scores *s = NULL;
    csm_error e;
    if (csm_churn_model_score(&s, m, xs, k, ni, NULL, &e) != CSM_OK)
        die_status("churn risk", &e);
    ranked *r = xalloc(k ? k : 1, sizeof *r);
    for (size_t i = 0; i < k; i++)
        r[i] = (ranked){s->probability[i], in.account[row[i]], i};
    qsort(r, k, sizeof *r, ranked_cmp);
    table *t = table_new("churn_at_risk", "Accounts most likely to churn");
    table_col(t, "account_id", K_TEXT);
    table_col(t, "probability", K_PCT);
    table_col(t, "mrr", K_MONEY);
    table_col(t, "main_reason", K_TEXT);
    table_col(t, "reason_log_odds", K_NUM);
    for (size_t i = 0; i < k && i < CHURN_TOP; i++) {
        size_t j = r[i].row;
        table_row(t);
        table_str(t, company_customer(x->c, r[i].id));
        table_num(t, r[i].p);
        table_num(t, in.mrr[row[j]]);
        int32_t term = s->top_term[j];
        table_str(t, term == CSM_CODE_ALL ? "(none)" : f->name[term]);
        table_num(t, s->top_contribution[j]);
    }
    char month[16];
    month_label(month, sizeof month, x->as_of);
    table_note(t, "%zu accounts active in %s scored (%zu without every feature "
                  "left out); main reason: the feature raising the log-odds "
                  "most against an account at the training means",
               k, month, in.n - k);
    report_add(x->r, t);
    csm_churn_scores_free(s);
    free(r);
    free(xs);
    free(row);
    health_inputs_free(&in);
}

/* --propose-scorecard FILE: the scorecard weights model m proposes
 * (csm_churn_proposal_compute), as a table and as the spec written to
 * FILE; a note when the library proposes none. */
static void propose(ctx *x, const csm_health_scorecard *sc, const features *f,
                    const csm_churn_model *m) {
    const char *path = x->o->propose;
    csm_churn_proposal *r = NULL;
    csm_health_scorecard *p = NULL;
    csm_error e;
    char *json = NULL;
    size_t len = 0;
    if (csm_churn_proposal_compute(&r, &p, m, (const char *const *)f->name,
                                   f->n, sc, NULL, &e) != CSM_OK) {
        report_note(x->r, "churn risk: no scorecard proposed, %s not written: %s",
                    path, e.text);
        fprintf(stderr, "csmetrics: churn: %s not written: %s\n", path, e.text);
        return;
    }
    if (csm_health_scorecard_to_json(&json, &len, p, &e) != CSM_OK)
        die_status("churn risk", &e);
    FILE *fp = fopen(path, "w");
    int bad = !fp || fwrite(json, 1, len, fp) != len || fputc('\n', fp) == EOF;
    if (fp && fclose(fp) != 0)
        bad = 1;
    csm_health_scorecard_json_free(p, json);
    if (bad) {
        /* the run ends once the section has freed what it holds */
        csm_churn_proposal_free(r);
        csm_health_scorecard_free(p);
        fprintf(stderr, "csmetrics: %s: %s\n", path,
                fp ? "write failed" : "cannot write");
        x->fail_code = fp ? 74 : 73; /* EX_IOERR, EX_CANTCREAT */
        return;
    }
    tview v = {.key = "churn_proposal",
               .title = "Scorecard weights proposed from the churn model",
               .all_label = "(none)",
               .code_label = term_label,
               .arg = f};
    table *t = table_from_csm(csm_result_find(r->result, "churn_proposal"), &v);
    table_note(t, "written to %s (load it with --scorecard %s); the measures "
                  "named as a feature share their current share by "
                  "|coefficient| (basis model); conflict: the model says more "
                  "of what scores healthy means more churn (share 0, not "
                  "flipped); kept: no feature, a constant one or no direction",
               path, path);
    report_add(x->r, t);
    csm_churn_proposal_free(r);
    csm_health_scorecard_free(p);
}

void sec_churn(ctx *x) {
    const company *c = x->c;
    if (!need_mrr(x, "churn risk") ||
        !need_file(x, c->have_usage, "churn risk", "usage.csv"))
        return;
    /* the labelled months: usage months ending CHURN_HORIZON months before
     * the review month, ascending */
    int32_t *months = NULL;
    size_t nm = usage_months(c, x->as_of - CHURN_HORIZON, &months);
    if (nm <= CHURN_HOLDOUT) {
        report_note(x->r,
                    "churn risk skipped: usage.csv has %zu month(s) ending %d "
                    "months before the review month; the model needs more than %d",
                    nm, CHURN_HORIZON, CHURN_HOLDOUT);
        free(months);
        return;
    }
    csm_health_scorecard *sc = scorecard_load(x->o->scorecard);
    features f;
    features_init(&f, c, sc);
    panel p = {.ni = f.n};
    size_t dropped = 0;
    for (size_t i = 0; i < nm; i++) {
        int64_t *active[CHURN_HORIZON];
        size_t n_active[CHURN_HORIZON];
        for (int k = 0; k < CHURN_HORIZON; k++)
            active[k] = active_ids(x, months[i] + 1 + k, &n_active[k]);
        dropped += add_month(&p, x, sc, &f, months[i], active, n_active);
        for (int k = 0; k < CHURN_HORIZON; k++)
            free(active[k]);
    }
    int32_t split = months[nm - CHURN_HOLDOUT - 1]; /* last month of the fit */
    uint8_t *sel = xalloc(p.n ? p.n : 1, 1);
    for (size_t i = 0; i < p.n; i++)
        sel[i] = p.month[i] <= split;
    char m0[16], m1[16], m2[16], m3[16], train[40], test[40];
    month_label(m0, sizeof m0, months[0]);
    month_label(m1, sizeof m1, split);
    month_label(m2, sizeof m2, months[nm - CHURN_HOLDOUT]);
    month_label(m3, sizeof m3, months[nm - 1]);
    snprintf(train, sizeof train, "%s..%s", m0, m1);
    snprintf(test, sizeof test, "%s..%s", m2, m3);
    csm_churn_model *mt = fit_rows(x, &p, sel);
    if (mt) {
        validate(x, &p, sel, mt, train, test);
        csm_churn_model_free(mt);
    }
    csm_churn_model *m = fit_rows(x, &p, NULL);
    if (m) {
        tview mv = {.key = "churn_model",
                    .title = "Churn model (refit on every labelled month)",
                    .all_label = "(intercept)",
                    .code_label = term_label,
                    .arg = &f};
        table *t = table_from_csm(csm_result_find(m->result, "churn_model"), &mv);
        table_note(t, "logistic regression, l2 = %g, on standardized features "
                      "(the scorecard's inputs, the account's segment, channel "
                      "and billing, ln(1 + MRR)); %lld account-months of "
                      "%s..%s, %lld churned; %zu left out for a missing feature",
                   m->fit_l2[0], (long long)m->fit_n[0], m0, m3,
                   (long long)m->fit_events[0], dropped);
        report_add(x->r, t);
        at_risk(x, sc, &f, m);
        if (x->o->propose)
            propose(x, sc, &f, m);
        csm_churn_model_free(m);
    }
    free(sel);
    features_free(&f);
    panel_free(&p);
    free(months);
    csm_health_scorecard_free(sc);
}
