/*
 * renewals.i - contracts due, renewed, renewed late or churned
 * (csmetrics/renewals.h).
 *
 * The contracts are a dict of columns (CSM_PY_COLUMNS over csm_contracts,
 * ledger.i); csm_py_renewals_compute is csm_renewals_compute
 * with the optional per-row outputs (outcome, match: None or arrays of
 * one element per contract, filled in place) carrying their lengths.
 */

CSM_PY_OPTS(csm_renewals_opts, csm_renewals_opts_init)
CSM_PY_TABLE(csm_renewals)

/* The contracts are csm_contracts, a dict of columns as ledger.i declares
 * them (CSM_PY_COLUMNS(csm_contracts, ...)). */

%ignore csm_renewals_opts::allocator;
%ignore csm_renewals_opts_init;
%ignore csm_renewals_opts::contract_opts;
%ignore csm_renewals;
%ignore csm_renewals_compute; /* csm_py_renewals_compute */
%ignore csm_renewals_free;

%include "csmetrics/renewals.h"

%apply (uint8_t *OPTIONAL_INPLACE, size_t DIM1) { (uint8_t *outcome, size_t n_outcome) };
%apply (int64_t *OPTIONAL_INPLACE, size_t DIM1) { (int64_t *match, size_t n_match) };

%inline %{
csm_status csm_py_renewals_compute(csm_renewals **out, uint8_t *outcome,
                                   size_t n_outcome, int64_t *match,
                                   size_t n_match,
                                   const csm_contracts *contracts,
                                   int32_t window_start, int32_t window_end,
                                   const csm_renewals_opts *opts, csm_error *err) {
    csm_status st = CSM_PY_SAME_LENGTHS(err, contracts->n,
                                        CSM_PY_OPT(outcome, n_outcome, "outcome"),
                                        CSM_PY_OPT(match, n_match, "match"));
    return st != CSM_OK ? st
                        : csm_renewals_compute(out, outcome, match, contracts,
                                               window_start, window_end, opts, err);
}
%}

%clear (uint8_t *outcome, size_t n_outcome);
%clear (int64_t *match, size_t n_match);
