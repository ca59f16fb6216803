/* cac.c - customer acquisition cost and CAC payback (csmetrics/cac.h). */
#include <math.h>

#include "csmetrics/cac.h"
#include "internal/util.h"

CSM_API csm_status csm_cac(csm_metric *out, double spend, double new_customers,
                           csm_error *err) {
    csm_error_clear(err);
    if (!out)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "out", "is NULL");
    if (!csm__nonneg(spend))
        return csm__fail(err, CSM_EDOMAIN, CSM_NO_ROW, "spend",
                         "spend must be finite and >= 0");
    if (!csm__nonneg(new_customers))
        return csm__fail(err, CSM_EDOMAIN, CSM_NO_ROW, "new_customers",
                         "must be finite and >= 0");
    out->flags = 0;
    out->value = csm__ratio(spend, new_customers, &out->flags);
    return CSM_OK;
}

CSM_API csm_status csm_cac_payback(csm_metric *out, double cac,
                                   double new_arpa, double gross_margin,
                                   csm_error *err) {
    csm_error_clear(err);
    if (!out)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "out", "is NULL");
    if (!csm__nonneg(cac))
        return csm__fail(err, CSM_EDOMAIN, CSM_NO_ROW, "cac",
                         "CAC must be finite and >= 0");
    if (!csm__nonneg(new_arpa))
        return csm__fail(err, CSM_EDOMAIN, CSM_NO_ROW, "new_arpa",
                         "new-customer ARPA must be finite and >= 0");
    csm_status st = csm__check_gross_margin(gross_margin, err);
    if (st != CSM_OK)
        return st;
    out->flags = 0;
    out->value = csm__ratio(cac, new_arpa * gross_margin, &out->flags);
    return CSM_OK;
}
