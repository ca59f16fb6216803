/** @file
 * csmetrics/cac.h - customer acquisition cost (CAC) and CAC payback.
 * LTV/CAC is csm_ltv_cac (ltv.h); the ledger-based unit economics are in
 * unit_economics.h.
 *
 * Definitions: docs/metrics.md, "LTV and CAC".
 */
#ifndef CSMETRICS_CAC_H
#define CSMETRICS_CAC_H

#include "csmetrics/common.h"
#include "csmetrics/table.h"

#ifdef __cplusplus
extern "C" {
#endif

/** CAC = sales and marketing spend / new customers (both finite >= 0);
 * zero new customers: NaN + CSM_FLAG_ZERO_DENOMINATOR. */
CSM_API CSM_NODISCARD csm_status csm_cac(csm_metric *out, double spend,
                                         double new_customers,
                                         csm_error *err);

/** CAC payback months = CAC / (new-customer ARPA x gross margin); a zero
 * denominator gives NaN + flag.  cac, new_arpa finite >= 0, margin in
 * [0, 1]. */
CSM_API CSM_NODISCARD csm_status csm_cac_payback(csm_metric *out, double cac,
                                                 double new_arpa,
                                                 double gross_margin,
                                                 csm_error *err);

#ifdef __cplusplus
}
#endif

#endif /* CSMETRICS_CAC_H */
