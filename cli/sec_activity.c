/* sec_activity.c - the activity measures (csmetrics/activity.h) of the
 * review month's usage rows (usage.csv) rolled up over every account, by
 * segment, by lifecycle stage and by product (accounts.csv): one wide
 * table per roll-up, the library's table "activity" with a column per
 * measure from its table "activity_measures" (the seat-weighted rate). */
#include "health_inputs.h"
#include "section.h"

#include <stdlib.h>

/* The key of the rows whose account has no value (no segment, stage or
 * product): after every other key, shown "(unknown)". */
#define NO_VALUE INT32_MAX

typedef struct act_arg {
    const ctx *x;
    int by; /* CSM_ACTIVITY_BY_* */
} act_arg;

/* The label of a roll-up's key: the segment's or product's label, the
 * stage's name. */
static const char *key_label(const void *arg, const csm_column *c, int64_t id) {
    const act_arg *a = arg;
    (void)c;
    const char *label = NULL;
    if (id == NO_VALUE)
        return "(unknown)";
    if (a->by == CSM_ACTIVITY_BY_SEGMENT)
        label = dim_code_name(a->x, DIM_SEGMENT, (int32_t)id);
    else if (a->by == CSM_ACTIVITY_BY_STAGE)
        label = csm_activity_stage_name((int)id);
    else if (a->by == CSM_ACTIVITY_BY_CATEGORY)
        label = csm_keys_label(a->x->c->products, id, NULL);
    return label;
}

/* The lifecycle stage of account id in month m: its accounts.csv stage,
 * else the stage of its tenure, m - its signup month, by the bounds o
 * (csm_activity_stage_of),
 * else NO_VALUE (no accounts.csv row, no signup month, or one after m). */
static int32_t account_stage(const company *c, int64_t id, int32_t m,
                             const csm_activity_opts *o) {
    long i = company_account(c, id);
    if (i < 0)
        return NO_VALUE;
    if (c->acc_stage[i] >= 0)
        return c->acc_stage[i];
    int32_t s = c->acc_signup[i];
    if (s == INT32_MIN || s > m)
        return NO_VALUE;
    return csm_activity_stage_of(o, (int64_t)m - s);
}

/* The roll-up o->group_by of the rows (in, row: usage_activity) as the
 * report table `key`, its key column shown as `keyname` (NULL: none). */
static table *rollup(ctx *x, const long *row, const csm_activity_rows *in,
                     const csm_activity_opts *o, const char *key,
                     const char *title, const char *keyname) {
    csm_activity *a = usage_activity(x->c, row, in, o, "activity");
    act_arg arg = {x, o->group_by};
    const char *rename[] = {"key", keyname, NULL};
    const char *omit[] = {"key", NULL};
    tview v = {.key = key,
               .title = title,
               .rename = keyname ? rename : NULL,
               .omit = keyname ? NULL : omit,
               .id_label = key_label,
               .arg = &arg};
    tpivot p = {.cells = csm_result_find(a->result, "activity_measures"),
                .pivot = "measure",
                .value = "rate"};
    table *t =
        table_pivot_from_csm(csm_result_find(a->result, "activity"), &v, &p);
    csm_activity_free(a);
    report_add(x->r, t);
    return t;
}

void sec_activity(ctx *x) {
    const company *c = x->c;
    if (!need_file(x, c->have_usage, "activity", "usage.csv"))
        return;
    int32_t m =
        review_month(x, "activity", "usage.csv", c->use_month, c->n_use, 0);
    if (m == CSM_MONTH_NONE)
        return;
    /* the usage rows of the month, in file order, with each row's
     * segment, stage and product (NO_VALUE without one) */
    size_t n = 0;
    long *row = xalloc(c->n_use ? c->n_use : 1, sizeof *row);
    for (size_t i = 0; i < c->n_use; i++)
        if (c->use_month[i] == m)
            row[n++] = (long)i;
    char ml[16];
    month_label(ml, sizeof ml, m);
    if (n == 0) {
        report_note(x->r, "activity skipped: usage.csv in %s has no rows of %s",
                    c->dir, ml);
        x->n_empty++;
        free(row);
        return;
    }
    int64_t *acc = xalloc(n, sizeof *acc);
    int32_t *seg = xalloc(n, sizeof *seg), *stage = xalloc(n, sizeof *stage),
            *product = xalloc(n, sizeof *product);
    csm_activity_opts o = CSM_ACTIVITY_OPTS_INIT;
    o.launch_month = x->o->stage_months[0];
    o.growth_month = x->o->stage_months[1];
    o.mature_month = x->o->stage_months[2];
    for (size_t i = 0; i < n; i++) {
        acc[i] = c->use_acc[row[i]];
        seg[i] = company_dim(c, acc[i], DIM_SEGMENT);
        if (seg[i] < 0)
            seg[i] = NO_VALUE;
        stage[i] = account_stage(c, acc[i], m, &o);
        long a = company_account(c, acc[i]);
        product[i] = a < 0 || c->acc_product[a] < 0 ? NO_VALUE
                                                    : c->acc_product[a];
    }
    csm_activity_rows in = {.account_id = acc, .segment = seg, .n = n};
    char title[128];
    snprintf(title, sizeof title, "Activity in %s (all accounts)", ml);
    o.group_by = CSM_ACTIVITY_ALL;
    table *t = rollup(x, row, &in, &o, "activity", title, NULL);
    table_note(t, "%zu usage.csv row(s) of %s; each measure is the ratio of "
                  "the group's sums (seat-weighted); a rate of a part above "
                  "its whole is capped at 1 (flag 0x20)",
               n, ml);
    o.group_by = CSM_ACTIVITY_BY_SEGMENT;
    rollup(x, row, &in, &o, "activity_by_segment", "Activity by segment",
           "segment");
    o.group_by = CSM_ACTIVITY_BY_STAGE;
    o.stage = stage;
    t = rollup(x, row, &in, &o, "activity_by_stage",
               "Activity by lifecycle stage", "stage");
    table_note(t, "stage: accounts.csv's stage, else the tenure at %s (months "
                  "since signup_month): onboarding below %d, launch below %d, "
                  "growth below %d, then mature (--stage-months)",
               ml, (int)o.launch_month, (int)o.growth_month,
               (int)o.mature_month);
    o.stage = NULL;
    if (csm_keys_count(c->products) > 0) {
        o.group_by = CSM_ACTIVITY_BY_CATEGORY;
        o.category = product;
        rollup(x, row, &in, &o, "activity_by_product",
               "Activity by product", "product");
    } else {
        report_note(x->r, "activity_by_product skipped: accounts.csv in %s has "
                          "no product column (or no product in it)",
                    c->dir);
    }
    free(row);
    free(acc);
    free(seg);
    free(stage);
    free(product);
}
