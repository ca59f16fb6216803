/*
 * ltv.i - unit economics (csmetrics/ltv.h): simple and seed LTV, CAC,
 * LTV/CAC and CAC payback.  Scalar functions wrapped directly: `out`
 * results come back as owned struct objects, csm_error is hidden and a
 * failure raises.  csm_py_ltv_table / csm_py_metric_table copy result
 * structs into the one-table results of csm_ltv_table / csm_metric_table
 * (CSM_PY_VALUE_TABLE in common.i), from which Python reads their fields.
 */

%{
#include "csmetrics/ltv.h"
%}

CSM_PY_OPTS(csm_ltv_opts, CSM_LTV_OPTS_INIT)

CSM_PY_RESULT(csm_ltv_result)
CSM_PY_RESULT(csm_metric)

%ignore csm_ltv_opts_init;
%ignore CSM_METRIC_DEFINED;
%ignore csm_ltv_results;
%ignore csm_metric_results;
%ignore csm_ltv_table;
%ignore csm_metric_table;
%ignore csm_ltv_results_free;
%ignore csm_metric_results_free;
/* csm_py_unit_economics (families.i) returns the table instead. */
%ignore csm_unit_economics;
%ignore csm_unit_economics_from_ledger;
%ignore csm_unit_economics_free;

%include "csmetrics/ltv.h"
%include "csmetrics/cac.h"
%include "csmetrics/unit_economics.h"

CSM_PY_VALUE_TABLE(ltv, csm_ltv_result, csm_ltv_results, csm_ltv_table)
CSM_PY_VALUE_TABLE(metric, csm_metric, csm_metric_results, csm_metric_table)
