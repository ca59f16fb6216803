/*
 * ltv.i - unit economics (csmetrics/ltv.h): simple and seed LTV, CAC,
 * LTV/CAC and CAC payback, the LTV and the unit economics of a ledger.
 * The functions are wrapped directly (`out` structs come back as owned
 * objects, the unit economics as its table) but for
 * csm_unit_economics_from_ledger, whose spend arrays share one length
 * (csm_py_unit_economics_from_ledger).  csm_py_ltv_table /
 * csm_py_metric_table copy result structs into the one-table results of
 * csm_ltv_table / csm_metric_table (CSM_PY_VALUE_TABLE, table.i).
 */

CSM_PY_OPTS(csm_ltv_opts, csm_ltv_opts_init)
CSM_PY_OPTS(csm_unit_economics_opts, csm_unit_economics_opts_init)

CSM_PY_RESULT(csm_ltv_result)
CSM_PY_RESULT(csm_metric)
CSM_PY_TABLE(csm_unit_economics)

%ignore csm_ltv_opts_init;
%ignore csm_ltv_results;
%ignore csm_ltv_table;
%ignore csm_ltv_results_free;
%ignore csm_unit_economics;
%ignore csm_unit_economics_from_ledger; /* csm_py_unit_economics_from_ledger */
%ignore csm_unit_economics_free;
%ignore csm_unit_economics_opts_init;
/* set by csm_py_unit_economics_from_ledger from its ltv argument */
%ignore csm_unit_economics_opts::ltv;

%include "csmetrics/ltv.h"
%include "csmetrics/cac.h"
%include "csmetrics/unit_economics.h"

CSM_PY_VALUE_TABLE(ltv, csm_ltv_result, csm_ltv_results, csm_ltv_table)
CSM_PY_VALUE_TABLE(metric, csm_metric, csm_metric_results, csm_metric_table)

%apply (const int32_t *OPTIONAL, size_t DIM1) {
    (const int32_t *spend_month, size_t n_spend_month)
};
%apply (const double *OPTIONAL, size_t DIM1) { (const double *spend, size_t n_spend) };

%inline %{
csm_status csm_py_unit_economics_from_ledger(
    csm_unit_economics **out, const csm_ledger *ledger, double gross_margin,
    const int32_t *spend_month, size_t n_spend_month, const double *spend,
    size_t n_spend, const csm_unit_economics_opts *opts,
    const csm_ltv_opts *ltv, csm_error *err) {
    csm_unit_economics_opts o;
    csm_status st = CSM_PY_SAME_LENGTHS(err, n_spend_month,
                                        CSM_PY_OPT(spend, n_spend, "spend"));
    if (st != CSM_OK)
        return st;
    if (opts)
        o = *opts;
    else
        st = csm_unit_economics_opts_init(&o, sizeof o);
    o.ltv = ltv;
    return st != CSM_OK ? st
                        : csm_unit_economics_from_ledger(out, ledger, gross_margin,
                                                         spend_month, spend, n_spend,
                                                         &o, err);
}
%}

%clear (const int32_t *spend_month, size_t n_spend_month);
%clear (const double *spend, size_t n_spend);
