/*
 * projection.i - MRR churn scenarios (csmetrics/projection.h).
 *
 * csm_py_project_mrr_table returns the generic conversion of
 * csm_projection_mrr_table's result: the long table "projection" (month x
 * scenario, row-major), which Python reshapes into the months x scenarios
 * DataFrame without a copy.  The per-scenario arrays share one length;
 * expansion and new_mrr are optional (bits 1 and 2 of `present`; absent =
 * 0 for every scenario).
 */

%{
#include "csmetrics/projection.h"
%}

%ignore csm_projection_mrr;
%ignore csm_projection_mrr_table;
%ignore csm_projection;
%ignore csm_projection_free;
/* csm_py_project_inputs (families.i) returns the table instead. */
%ignore csm_projection_inputs;
%ignore csm_projection_inputs_from_ledger;
%ignore csm_projection_inputs_free;

%include "csmetrics/projection.h"

%apply (double *IN_ARRAY1, size_t DIM1) {
    (const double *churn, size_t n),
    (const double *expansion, size_t n_expansion),
    (const double *new_mrr, size_t n_new_mrr)
};

%inline %{
PyObject *csm_py_project_mrr_table(size_t months, double start_mrr,
                                   const double *churn, size_t n,
                                   const double *expansion, size_t n_expansion,
                                   const double *new_mrr, size_t n_new_mrr,
                                   int present) {
    csm_projection *p = NULL;
    csm_error e;
    csm_status st;
    if (((present & 1) && !csm_py_same_length(n, n_expansion, "expansion")) ||
        ((present & 2) && !csm_py_same_length(n, n_new_mrr, "new_mrr")))
        return NULL;
    csm_error_clear(&e);
    Py_BEGIN_ALLOW_THREADS
    csm_projection_scenarios sc = {churn, (present & 1) ? expansion : NULL,
                                   (present & 2) ? new_mrr : NULL, n};
    st = csm_projection_mrr_table(&p, months, start_mrr, &sc, NULL, &e);
    Py_END_ALLOW_THREADS
    if (st != CSM_OK) {
        csm_py_raise(st, &e);
        return NULL;
    }
    return csm_py_result(p->result);
}
%}
