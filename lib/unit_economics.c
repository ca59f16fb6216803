/* unit_economics.c - a ledger's unit economics over a trailing window in
 * one table (csmetrics/unit_economics.h): ARPA, churn, LTV, new customers,
 * CAC, LTV/CAC and CAC payback, each from its own family's function. */
#include <math.h>
#include <string.h>

#include "csmetrics/cac.h"
#include "csmetrics/ltv.h"
#include "csmetrics/unit_economics.h"
#include "internal/ledger_impl.h"
#include "internal/movements.h"
#include "internal/table.h"
#include "internal/util.h"

#define UE_COL(m, n, ty, st, r, d)                                             \
    CSM__COLDEF(csm_unit_economics, m, n, ty, st, r, d)
static const csm__coldef ue_cols[] = {CSM_UNIT_ECONOMICS_COLUMNS(UE_COL)};

CSM__DEFINE_RESULT_FREE(csm_unit_economics_free, csm_unit_economics)

CSM__DEFINE_OPTS_INIT(csm_unit_economics_opts_init, csm_unit_economics_opts,
                      CSM_UNIT_ECONOMICS_OPTS_INIT)

CSM_API csm_status csm_unit_economics_from_ledger(
    csm_unit_economics **out, const csm_ledger *ledger, double gross_margin,
    const int32_t *spend_month, const double *spend, size_t n_spend,
    const csm_unit_economics_opts *uopts, csm_error *err) {
    csm_unit_economics_opts uo = CSM_UNIT_ECONOMICS_OPTS_INIT;
    csm_status st = csm__opts_load(&uo, sizeof uo, uopts, err);
    if (out)
        *out = NULL;
    if (st != CSM_OK)
        return st;
    const csm_ltv_opts *opts = uo.ltv;
    int32_t month = uo.month, window = uo.window;
    int64_t first = 0;
    st = csm__window_call(out != NULL, &first, &month, ledger, window, err);
    if (out)
        *out = NULL;
    if (st != CSM_OK)
        return st;
    st = csm__check_gross_margin(gross_margin, err);
    if (st != CSM_OK)
        return st;
    if (n_spend > 0 && (!spend) != (!spend_month))
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW,
                         spend ? "spend_month" : "spend",
                         "array is NULL while n_spend > 0");
    /* the spend of the window's months */
    double spent = NAN;
    if (spend) {
        csm__ksum k = {0, 0};
        double total = 0; /* every row's, bounded as the ledger's MRR */
        for (size_t i = 0; i < n_spend; i++) {
            if (!csm__nonneg(spend[i]))
                return csm__fail(err, CSM_EDOMAIN, i, "spend",
                                 "spend must be finite and >= 0");
            if (!csm__sum_bound_add(&total, spend[i]))
                return csm__fail(err, CSM_ERANGE, i, "spend",
                                 "the spend rows sum beyond CSM_SUM_MAX "
                                 "(1e300)");
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
    csm__window_sums w;
    csm__sum_window(&w, ledger, first, month);
    uint32_t fl = 0;
    double arpa = csm__window_arpa(&w, &fl);
    double churn = csm__window_churn(&w, &fl);
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
    csm_unit_economics *u =
        csm__result_new(csm__ledger_allocator(ledger), "unit_economics",
                        sizeof *u, &spec, 1, NULL, 0, 0);
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
