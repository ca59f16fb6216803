/* ltv.c - simple and seed LTV, CAC, LTV/CAC, CAC payback, and their
 * result tables. */
#include <math.h>
#include <string.h>

#include "csmetrics/ltv.h"
#include "csmetrics/cac.h"
#include "csmetrics/movements.h"
#include "csmetrics/unit_economics.h"
#include "internal/ledger_impl.h"
#include "internal/movements.h"
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

/* The sums of a trailing window [first, last] of a ledger, with the
 * default movements definitions (the entry rules of internal/movements.h,
 * which csm_movements_compute buckets): a customer's entry in month p is
 * an opening customer of p + 1, and a churned one when it has no entry in
 * p + 1; an entry in a window month is a new customer when it starts as
 * new (by default every return is a reactivation).  The same figures as
 * the movements table of the window summed over its months, in one pass,
 * without allocating that table. */
typedef struct {
    int64_t opening, churned, new_customers, customers;
    csm__ksum new_mrr, mrr; /* mrr: at `last` */
} window_sums;

static void sum_window(window_sums *w, const csm_ledger *l, int64_t first,
                       int64_t last) {
    const int64_t react_window =
        ((csm_movements_opts)CSM_MOVEMENTS_OPTS_INIT).reactivation_window;
    memset(w, 0, sizeof *w);
    for (size_t c = 0; c < l->n_cust; c++) {
        size_t lo = l->cust_off[c], hi = l->cust_off[c + 1];
        for (size_t j = lo; j < hi; j++) {
            int64_t p = l->period[j];
            if (p >= first - 1 && p <= last - 1) {
                w->opening++;
                if (csm__entry_churns(l, j, hi))
                    w->churned++;
            }
            if (p >= first && p <= last &&
                csm__entry_start(l, lo, j, react_window) == CSM__START_NEW) {
                w->new_customers++;
                csm__ksum_add(&w->new_mrr, l->mrr[j]);
            }
            if (p == last) {
                w->customers++;
                csm__ksum_add(&w->mrr, l->mrr[j]);
            }
        }
    }
}

/* The window ending at *month (CSM_MONTH_NONE = the ledger's last). */
static csm_status window_of(int64_t *first, int32_t *month,
                            const csm_ledger *l, int32_t window,
                            csm_error *err) {
    if (window < 1)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "window",
                         "window must be >= 1 month");
    if (*month == CSM_MONTH_NONE)
        *month = csm_ledger_last_month(l);
    if (*month == CSM_MONTH_NONE)
        return csm__fail(err, CSM_EDOMAIN, CSM_NO_ROW, "ledger",
                         "the ledger is empty");
    *first = (int64_t)*month - window + 1;
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
    int64_t first;
    csm_status st = window_of(&first, &month, ledger, window, err);
    if (st != CSM_OK)
        return st;
    window_sums w;
    sum_window(&w, ledger, first, month);
    if (w.opening == 0 || w.customers == 0)
        return csm__fail(err, CSM_EDOMAIN, CSM_NO_ROW, "ledger",
                         "no customers in the window: churn and ARPA are "
                         "undefined");
    double arpa = csm__ksum_value(&w.mrr) / (double)w.customers;
    return csm_ltv_simple(out, arpa, gross_margin,
                          (double)w.churned / (double)w.opening, opts, err);
}

#define UE_COL(m, n, ty, st, r, d)                                             \
    CSM__COLDEF(csm_unit_economics, m, n, ty, st, r, d)
static const csm__coldef ue_cols[] = {CSM_UNIT_ECONOMICS_COLUMNS(UE_COL)};

CSM_API void csm_unit_economics_free(csm_unit_economics *u) {
    csm_result_free(u ? u->result : NULL);
}

CSM_API csm_status csm_unit_economics_from_ledger(
    csm_unit_economics **out, const csm_ledger *ledger, int32_t month,
    int32_t window, double gross_margin, const int32_t *spend_month,
    const double *spend, size_t n_spend, const csm_ltv_opts *opts,
    csm_error *err) {
    csm_error_clear(err);
    if (!out)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "out", "is NULL");
    *out = NULL;
    if (!ledger)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "ledger", "is NULL");
    int64_t first;
    csm_status st = window_of(&first, &month, ledger, window, err);
    if (st != CSM_OK)
        return st;
    if (!(gross_margin >= 0.0 && gross_margin <= 1.0))
        return csm__fail(err, CSM_EDOMAIN, CSM_NO_ROW, "gross_margin",
                         "gross margin must be in [0, 1]");
    if (n_spend > 0 && (!spend) != (!spend_month))
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW,
                         spend ? "spend_month" : "spend",
                         "array is NULL while n_spend > 0");
    /* the spend of the window's months */
    double spent = NAN;
    if (spend) {
        csm__ksum k = {0, 0};
        for (size_t i = 0; i < n_spend; i++) {
            if (!isfinite(spend[i]) || spend[i] < 0)
                return csm__fail(err, CSM_EDOMAIN, i, "spend",
                                 "spend must be finite and >= 0");
            if (spend_month[i] >= first && spend_month[i] <= month)
                csm__ksum_add(&k, spend[i]);
        }
        spent = csm__ksum_value(&k);
    }
    /* the options are checked even when the churn leaves the LTV
     * undefined (a zero-price call of csm_ltv_simple) */
    csm_ltv_result ltv;
    st = csm_ltv_simple(&ltv, 0.0, 0.0, 1.0, opts, err);
    if (st != CSM_OK)
        return st;
    window_sums w;
    sum_window(&w, ledger, first, month);
    uint32_t fl = 0;
    double arpa = csm__ratio(csm__ksum_value(&w.mrr), (double)w.customers, &fl);
    double churn = csm__ratio((double)w.churned, (double)w.opening, &fl);
    double new_mrr = csm__ksum_value(&w.new_mrr);
    double new_arpa = csm__ratio(new_mrr, (double)w.new_customers, &fl);
    ltv = (csm_ltv_result){NAN, NAN, NAN, 0};
    if (!isnan(arpa) && !isnan(churn)) {
        st = csm_ltv_simple(&ltv, arpa, gross_margin, churn, opts, err);
        if (st != CSM_OK)
            return st;
        fl |= ltv.flags;
    }
    csm_metric cac = {NAN, 0}, ratio = {NAN, 0}, payback = {NAN, 0};
    if (spend) {
        /* the inputs are in the functions' domains (checked above, or
         * sums of them), so these do not fail */
        st = csm_cac(&cac, spent, (double)w.new_customers, err);
        if (st == CSM_OK && !isnan(cac.value) && !isnan(ltv.ltv))
            st = csm_ltv_cac(&ratio, ltv.ltv, cac.value, err);
        if (st == CSM_OK && !isnan(cac.value) && !isnan(new_arpa))
            st = csm_cac_payback(&payback, cac.value, new_arpa, gross_margin,
                                 err);
        if (st != CSM_OK)
            return st;
        fl |= cac.flags | ratio.flags | payback.flags;
    }
    csm__tabspec spec = {"unit_economics", ue_cols, CSM__NCOLS(ue_cols), 1};
    const csm_allocator *a = ledger->alloc.alloc ? &ledger->alloc : NULL;
    csm_unit_economics *u = csm__result_new(a, "unit_economics", sizeof *u,
                                            &spec, 1, NULL, 0, 0);
    if (!u)
        return csm__fail(err, CSM_ENOMEM, CSM_NO_ROW, NULL, NULL);
    u->n_rows = 1;
    u->month[0] = month;
    u->window_months[0] = window;
    u->arpa[0] = arpa;
    u->monthly_churn[0] = churn;
    u->gross_margin[0] = gross_margin;
    u->ltv[0] = ltv.ltv;
    u->lifetime_months[0] = ltv.lifetime_months;
    u->churn_used[0] = ltv.churn_used;
    u->opening_customers[0] = w.opening;
    u->churned_customers[0] = w.churned;
    u->new_customers[0] = w.new_customers;
    u->new_mrr[0] = new_mrr;
    u->new_arpa[0] = new_arpa;
    u->spend[0] = spent;
    u->cac[0] = cac.value;
    u->ltv_cac[0] = ratio.value;
    u->cac_payback_months[0] = payback.value;
    u->flags[0] = fl;
    *out = u;
    return CSM_OK;
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

CSM__DEFINE_KEYED_TABLE(csm_ltv, csm_ltv_results, csm_ltv_result,
                        "ltv", ltv_cols, ltv_off)

CSM__DEFINE_KEYED_TABLE(csm_metric, csm_metric_results, csm_metric,
                        "metric", metric_cols, metric_off)
