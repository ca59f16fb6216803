/* ltv.c - simple, seed and ledger-based LTV, LTV/CAC, and the table "ltv"
 * (csmetrics/ltv.h). */
#include <math.h>
#include <string.h>

#include "csmetrics/ltv.h"
#include "internal/ledger_impl.h"
#include "internal/movements.h"
#include "internal/table.h"
#include "internal/util.h"

CSM__DEFINE_OPTS_INIT(csm_ltv_opts_init, csm_ltv_opts, CSM_LTV_OPTS_INIT)

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
    if (!csm__nonneg(o.lifetime_cap_months))
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW,
                         "opts.lifetime_cap_months", "must be finite and >= 0");
    if (!csm__nonneg(arpa))
        return csm__fail(err, CSM_EDOMAIN, CSM_NO_ROW, "arpa",
                         "ARPA must be finite and >= 0");
    st = csm__check_gross_margin(gross_margin, err);
    if (st != CSM_OK)
        return st;
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
    if (!isfinite(out->ltv)) { /* 1e308 x 0.8 / 0.01 */
        out->ltv = NAN;
        return csm__fail(err, CSM_ERANGE, CSM_NO_ROW, "arpa",
                         "ARPA x gross margin x lifetime is beyond the "
                         "largest double");
    }
    return CSM_OK;
}

CSM_API csm_status csm_ltv_seed(csm_metric *out, double value, double rate,
                                double lifetime, csm_error *err) {
    csm_error_clear(err);
    if (!out)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "out", "is NULL");
    if (!csm__nonneg(value))
        return csm__fail(err, CSM_EDOMAIN, CSM_NO_ROW, "avg_purchase_value",
                         "must be finite and >= 0");
    if (!csm__nonneg(rate))
        return csm__fail(err, CSM_EDOMAIN, CSM_NO_ROW, "purchase_rate",
                         "must be finite and >= 0");
    if (!csm__nonneg(lifetime))
        return csm__fail(err, CSM_EDOMAIN, CSM_NO_ROW, "avg_lifetime",
                         "must be finite and >= 0");
    out->value = value * rate * lifetime;
    out->flags = 0;
    if (!isfinite(out->value)) {
        out->value = NAN;
        return csm__fail(err, CSM_ERANGE, CSM_NO_ROW, "avg_purchase_value",
                         "value x rate x lifetime is beyond the largest "
                         "double");
    }
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
    if (!csm__nonneg(cac))
        return csm__fail(err, CSM_EDOMAIN, CSM_NO_ROW, "cac",
                         "CAC must be finite and >= 0");
    out->flags = 0;
    out->value = csm__ratio(ltv, cac, &out->flags);
    return CSM_OK;
}

CSM_API csm_status csm_ltv_from_ledger(csm_ltv_result *out,
                                       const csm_ledger *ledger,
                                       double gross_margin,
                                       const csm_ltv_opts *opts,
                                       csm_error *err) {
    csm_ltv_opts o = CSM_LTV_OPTS_INIT;
    csm_status st = csm__opts_load(&o, sizeof o, opts, err);
    if (st != CSM_OK)
        return st;
    int32_t month = o.month;
    int64_t first = 0;
    st = csm__window_call(out != NULL, &first, &month, ledger, o.window, err);
    if (st != CSM_OK)
        return st;
    csm__window_sums w;
    csm__sum_window(&w, ledger, first, month);
    if (w.opening == 0 || w.customers == 0)
        return csm__fail(err, CSM_EDOMAIN, CSM_NO_ROW, "ledger",
                         "no customers in the window: churn and ARPA are "
                         "undefined");
    return csm_ltv_simple(out, csm__window_arpa(&w, NULL), gross_margin,
                          csm__window_churn(&w, NULL), opts, err);
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

CSM__DEFINE_KEYED_TABLE(csm_ltv, csm_ltv_results, csm_ltv_result,
                        "ltv", ltv_cols, ltv_off)

