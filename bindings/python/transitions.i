/*
 * transitions.i - health band transitions between two months
 * (csmetrics/transitions.h): csm_py_transitions_compute is
 * csm_transitions_compute with each array carrying its length (named
 * months and bands: common.i makes an `int32_t *month` an output).
 */

CSM_PY_OPTS(csm_transitions_opts, csm_transitions_opts_init)
CSM_PY_TABLE(csm_transitions)

%ignore csm_transitions_opts::allocator;
%ignore csm_transitions_opts_init;
%ignore csm_transitions;
%ignore csm_transitions_compute; /* csm_py_transitions_compute */
%ignore csm_transitions_free;

%include "csmetrics/transitions.h"

%apply (int64_t *IN_ARRAY1, size_t DIM1) { (const int64_t *account, size_t n) };
%apply (int32_t *IN_ARRAY1, size_t DIM1) { (const int32_t *months, size_t n_months) };
%apply (int32_t *IN_ARRAY1, size_t DIM1) { (const int32_t *bands, size_t n_bands) };

%inline %{
csm_status csm_py_transitions_compute(csm_transitions **out,
                                      const int64_t *account, size_t n,
                                      const int32_t *months, size_t n_months,
                                      const int32_t *bands, size_t n_bands,
                                      const csm_transitions_opts *opts,
                                      csm_error *err) {
    csm_status st = CSM_PY_SAME_LENGTHS(err, n, CSM_PY_ARG(n_months, "month"),
                                        CSM_PY_ARG(n_bands, "band"));
    return st != CSM_OK ? st
                        : csm_transitions_compute(out, account, months, bands, n,
                                                  opts, err);
}
%}

%clear (const int64_t *account, size_t n);
%clear (const int32_t *months, size_t n_months);
%clear (const int32_t *bands, size_t n_bands);
