/*
 * projection.i - MRR churn scenarios (csmetrics/projection.h).
 *
 * csm_py_project_mrr_table: csm_projection_mrr_table with each per-scenario
 * array carrying its length (checked to agree; expansion and new_mrr may
 * be None, 0 for every scenario); its result is the long table
 * "projection" (month x scenario, row-major), which Python reshapes into
 * the months x scenarios DataFrame without a copy.  The projection inputs
 * of a ledger, the closed form and the steady state are wrapped directly.
 */

CSM_PY_OPTS(csm_projection_inputs_opts, csm_projection_inputs_opts_init)
CSM_PY_TABLE(csm_projection)
CSM_PY_TABLE(csm_projection_inputs)

%ignore csm_projection_mrr; /* the table form below */
%ignore csm_projection_mrr_table; /* csm_py_project_mrr_table */
%ignore csm_projection;
%ignore csm_projection_free;
%ignore csm_projection_inputs;
%ignore csm_projection_inputs_free;
%ignore csm_projection_inputs_opts_init;
%ignore csm_projection_scenarios; /* the arrays of csm_py_project_mrr_table */

%include "csmetrics/projection.h"

%apply (double *IN_ARRAY1, size_t DIM1) { (const double *churn, size_t n) };
%apply (const double *OPTIONAL, size_t DIM1) {
    (const double *expansion, size_t n_expansion),
    (const double *new_mrr, size_t n_new_mrr)
};

%inline %{
csm_status csm_py_project_mrr_table(csm_projection **out, size_t months,
                                    double start_mrr, const double *churn,
                                    size_t n, const double *expansion,
                                    size_t n_expansion, const double *new_mrr,
                                    size_t n_new_mrr, csm_error *err) {
    csm_status st = CSM_PY_SAME_LENGTHS(
        err, n, CSM_PY_OPT(expansion, n_expansion, "expansion"),
        CSM_PY_OPT(new_mrr, n_new_mrr, "new_mrr"));
    return st != CSM_OK ? st
                        : csm_projection_mrr_table(
                              out, months, start_mrr,
                              &(csm_projection_scenarios){churn, expansion,
                                                          new_mrr, n},
                              NULL, err);
}
%}

%clear (const double *churn, size_t n);
%clear (const double *expansion, size_t n_expansion);
%clear (const double *new_mrr, size_t n_new_mrr);
