/* ltv.c - simple and seed LTV, CAC, LTV/CAC, CAC payback, and their
 * result tables. */
#include <math.h>
#include <string.h>

#include "csmetrics/ltv.h"
#include "internal/table.h"
#include "internal/util.h"

CSM__DEFINE_OPTS_INIT(csm_ltv_opts_init, csm_ltv_opts, CSM_LTV_OPTS_INIT)

static int nonneg(double x) { return isfinite(x) && x >= 0.0; }

CSM_API csm_status csm_ltv_simple(csm_ltv_result *out, double arpa,
                                  double gross_margin, double monthly_churn,
                                  const csm_ltv_opts *opts, csm_error *err) {
    csm_error_clear(err);
    if (!out)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "out", "is NULL");
    csm_ltv_opts o = CSM_LTV_OPTS_INIT;
    csm_status st = csm__opts_load(&o, sizeof o, opts, err);
    if (st != CSM_OK)
        return st;
    if (o.zero_churn < CSM_ZERO_CHURN_ERROR || o.zero_churn > CSM_ZERO_CHURN_CAP)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "opts.zero_churn",
                         "unknown zero-churn policy");
    if (!(o.churn_floor > 0.0 && o.churn_floor <= 1.0))
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "opts.churn_floor",
                         "churn floor must be in (0, 1]");
    if (!nonneg(o.lifetime_cap_months))
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW,
                         "opts.lifetime_cap_months", "must be finite and >= 0");
    if (!nonneg(arpa))
        return csm__fail(err, CSM_EDOMAIN, CSM_NO_ROW, "arpa",
                         "ARPA must be finite and >= 0");
    if (!(gross_margin >= 0.0 && gross_margin <= 1.0))
        return csm__fail(err, CSM_EDOMAIN, CSM_NO_ROW, "gross_margin",
                         "gross margin must be in [0, 1]");
    if (!(monthly_churn >= 0.0 && monthly_churn <= 1.0))
        return csm__fail(err, CSM_EDOMAIN, CSM_NO_ROW, "monthly_churn",
                         "monthly churn must be in [0, 1]");
    memset(out, 0, sizeof *out);
    double churn = monthly_churn, life;
    if (o.zero_churn == CSM_ZERO_CHURN_FLOOR && churn < o.churn_floor) {
        churn = o.churn_floor;
        out->flags |= CSM_FLAG_FLOORED;
    }
    if (churn == 0.0) {
        if (o.zero_churn == CSM_ZERO_CHURN_ERROR)
            return csm__fail(err, CSM_EDOMAIN, CSM_NO_ROW, "monthly_churn",
                             "churn is 0, so the lifetime is unbounded; "
                             "choose a floor or a lifetime cap");
        if (!(o.lifetime_cap_months > 0.0))
            return csm__fail(err, CSM_EINVAL, CSM_NO_ROW,
                             "opts.lifetime_cap_months",
                             "the cap policy needs lifetime_cap_months > 0");
        life = o.lifetime_cap_months;
        out->flags |= CSM_FLAG_CAPPED;
    } else {
        life = 1.0 / churn;
        if (o.lifetime_cap_months > 0.0 && life > o.lifetime_cap_months) {
            life = o.lifetime_cap_months;
            out->flags |= CSM_FLAG_CAPPED;
        }
    }
    out->churn_used = churn;
    out->lifetime_months = life;
    out->ltv = arpa * gross_margin * life;
    return CSM_OK;
}

CSM_API csm_status csm_ltv_seed(csm_metric *out, double value, double rate,
                                double lifetime, csm_error *err) {
    csm_error_clear(err);
    if (!out)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "out", "is NULL");
    if (!nonneg(value))
        return csm__fail(err, CSM_EDOMAIN, CSM_NO_ROW, "avg_purchase_value",
                         "must be finite and >= 0");
    if (!nonneg(rate))
        return csm__fail(err, CSM_EDOMAIN, CSM_NO_ROW, "purchase_rate",
                         "must be finite and >= 0");
    if (!nonneg(lifetime))
        return csm__fail(err, CSM_EDOMAIN, CSM_NO_ROW, "avg_lifetime",
                         "must be finite and >= 0");
    out->value = value * rate * lifetime;
    out->flags = 0;
    return CSM_OK;
}

CSM_API csm_status csm_cac(csm_metric *out, double spend, double new_customers,
                           csm_error *err) {
    csm_error_clear(err);
    if (!out)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "out", "is NULL");
    if (!nonneg(spend))
        return csm__fail(err, CSM_EDOMAIN, CSM_NO_ROW, "spend",
                         "spend must be finite and >= 0");
    if (!nonneg(new_customers))
        return csm__fail(err, CSM_EDOMAIN, CSM_NO_ROW, "new_customers",
                         "must be finite and >= 0");
    out->flags = 0;
    out->value = csm__ratio(spend, new_customers, &out->flags);
    return CSM_OK;
}

CSM_API csm_status csm_ltv_cac(csm_metric *out, double ltv, double cac,
                               csm_error *err) {
    csm_error_clear(err);
    if (!out)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "out", "is NULL");
    if (!isfinite(ltv))
        return csm__fail(err, CSM_EDOMAIN, CSM_NO_ROW, "ltv",
                         "LTV must be finite");
    if (!nonneg(cac))
        return csm__fail(err, CSM_EDOMAIN, CSM_NO_ROW, "cac",
                         "CAC must be finite and >= 0");
    out->flags = 0;
    out->value = csm__ratio(ltv, cac, &out->flags);
    return CSM_OK;
}

CSM_API csm_status csm_cac_payback(csm_metric *out, double cac,
                                   double new_arpa, double gross_margin,
                                   csm_error *err) {
    csm_error_clear(err);
    if (!out)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "out", "is NULL");
    if (!nonneg(cac))
        return csm__fail(err, CSM_EDOMAIN, CSM_NO_ROW, "cac",
                         "CAC must be finite and >= 0");
    if (!nonneg(new_arpa))
        return csm__fail(err, CSM_EDOMAIN, CSM_NO_ROW, "new_arpa",
                         "new-customer ARPA must be finite and >= 0");
    if (!(gross_margin >= 0.0 && gross_margin <= 1.0))
        return csm__fail(err, CSM_EDOMAIN, CSM_NO_ROW, "gross_margin",
                         "gross margin must be in [0, 1]");
    out->flags = 0;
    out->value = csm__ratio(cac, new_arpa * gross_margin, &out->flags);
    return CSM_OK;
}

CSM_API csm_status csm_ltv_from_ledger(csm_ltv_result *out,
                                       const csm_ledger *ledger, int32_t month,
                                       int32_t window, double gross_margin,
                                       const csm_ltv_opts *opts,
                                       csm_error *err) {
    csm_error_clear(err);
    if (!out || !ledger)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, !out ? "out" : "ledger",
                         "is NULL");
    if (window < 1)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "window",
                         "window must be >= 1 month");
    if (month == CSM_MONTH_NONE)
        month = csm_ledger_last_month(ledger);
    if (month == CSM_MONTH_NONE)
        return csm__fail(err, CSM_EDOMAIN, CSM_NO_ROW, "ledger",
                         "the ledger is empty");
    csm_movements_opts mo = CSM_MOVEMENTS_OPTS_INIT;
    mo.first_month = (int32_t)((int64_t)month - window + 1);
    mo.last_month = month;
    csm_movements *m = NULL;
    csm_status st = csm_movements_compute(&m, ledger, &mo, err);
    if (st != CSM_OK)
        return st;
    double churned = 0, opening = 0;
    for (size_t i = 0; i < m->n_rows; i++) {
        churned += (double)m->churned_customers[i];
        opening += (double)m->opening_customers[i];
    }
    double arpa = m->n_rows ? m->arpa[m->n_rows - 1] : NAN;
    csm_movements_free(m);
    if (!(opening > 0) || isnan(arpa))
        return csm__fail(err, CSM_EDOMAIN, CSM_NO_ROW, "ledger",
                         "no customers in the window: churn and ARPA are "
                         "undefined");
    return csm_ltv_simple(out, arpa, gross_margin, churned / opening, opts,
                          err);
}

/* ---- result tables ---------------------------------------------------- */
/* Each table's descriptors ("group" first, then the struct's fields) and
 * the offsets of those fields in the value struct, from the one column
 * list (csm__keyed_table, internal/table.h). */
#define LTV_COL(m, n, ty, st, r, d)                                            \
    CSM__COLDEF(csm_ltv_results, m, n, ty, st, r, d)
#define LTV_OFF(m, n, ty, st, r, d)                                            \
    CSM__FIELD_OFFSET(csm_ltv_result, m, n, ty, st, r, d)
static const csm__coldef ltv_cols[] = {
    CSM__GROUP_COLDEF(csm_ltv_results) CSM_LTV_RESULT_COLUMNS(LTV_COL)};
static const size_t ltv_off[] = {CSM__NO_FIELD, CSM_LTV_RESULT_COLUMNS(LTV_OFF)};

#define METRIC_COL(m, n, ty, st, r, d)                                         \
    CSM__COLDEF(csm_metric_results, m, n, ty, st, r, d)
#define METRIC_OFF(m, n, ty, st, r, d)                                         \
    CSM__FIELD_OFFSET(csm_metric, m, n, ty, st, r, d)
static const csm__coldef metric_cols[] = {
    CSM__GROUP_COLDEF(csm_metric_results) CSM_METRIC_COLUMNS(METRIC_COL)};
static const size_t metric_off[] = {CSM__NO_FIELD, CSM_METRIC_COLUMNS(METRIC_OFF)};

CSM_API csm_status csm_ltv_table(csm_ltv_results **out,
                                 const csm_ltv_result *rows,
                                 const int32_t *group, size_t n,
                                 const csm_allocator *alloc, csm_error *err) {
    void *v = NULL;
    csm_status st = csm__keyed_table(
        out ? &v : NULL, alloc, "ltv", sizeof **out, ltv_cols, ltv_off,
        CSM__NCOLS(ltv_cols), rows, sizeof *rows, group, n, err);
    if (out)
        *out = v;
    return st;
}

CSM_API void csm_ltv_results_free(csm_ltv_results *t) {
    csm_result_free(t ? t->result : NULL);
}

CSM_API csm_status csm_metric_table(csm_metric_results **out,
                                    const csm_metric *rows,
                                    const int32_t *group, size_t n,
                                    const csm_allocator *alloc,
                                    csm_error *err) {
    void *v = NULL;
    csm_status st = csm__keyed_table(
        out ? &v : NULL, alloc, "metric", sizeof **out, metric_cols,
        metric_off, CSM__NCOLS(metric_cols), rows, sizeof *rows, group, n,
        err);
    if (out)
        *out = v;
    return st;
}

CSM_API void csm_metric_results_free(csm_metric_results *t) {
    csm_result_free(t ? t->result : NULL);
}
