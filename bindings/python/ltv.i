/*
 * ltv.i - unit economics (csmetrics/ltv.h): simple and seed LTV, CAC,
 * LTV/CAC and CAC payback.  Scalar functions wrapped directly: `out`
 * results come back as owned struct objects, csm_error is hidden and a
 * failure raises.
 */

%{
#include "csmetrics/ltv.h"
%}

CSM_PY_OPTS(csm_ltv_opts, CSM_LTV_OPTS_INIT)

CSM_PY_RESULT(csm_ltv_result)
CSM_PY_RESULT(csm_metric)

%ignore csm_ltv_opts_init;
%ignore CSM_METRIC_DEFINED;

%include "csmetrics/ltv.h"
