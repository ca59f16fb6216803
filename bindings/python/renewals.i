/*
 * renewals.i - contracts due, renewed, renewed late or churned
 * (csmetrics/renewals.h).
 *
 * The contracts are a dict of columns (CSM_PY_COLUMNS over csm_contracts,
 * ledger.i); csm_py_renewals_compute is csm_renewals_compute
 * with the optional per-row outputs (outcome, match: None or arrays of
 * one element per contract, filled in place) carrying their lengths, and
 * csm_py_renewals_days_to_end is csm_renewals_days_to_end with its output
 * (days, one element per account, filled in place) carrying its length.
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
%ignore csm_renewals_days_to_end; /* csm_py_renewals_days_to_end */

%ignore CSM_RENEWALS_AS_OF_NONE;

%include "csmetrics/renewals.h"

%constant int32_t RENEWALS_AS_OF_NONE = CSM_RENEWALS_AS_OF_NONE;

%apply (uint8_t *OPTIONAL_INPLACE, size_t DIM1) { (uint8_t *outcome, size_t n_outcome) };
%apply (int64_t *OPTIONAL_INPLACE, size_t DIM1) { (int64_t *match, size_t n_match) };
%apply (double *INPLACE_ARRAY1, size_t DIM1) { (double *days, size_t n_days) };
%apply (int64_t *IN_ARRAY1, size_t DIM1) { (const int64_t *account_id, size_t n_accounts) };

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

csm_status csm_py_renewals_days_to_end(double *days, size_t n_days,
                                       const int64_t *account_id,
                                       size_t n_accounts,
                                       const csm_contracts *contracts,
                                       int32_t day,
                                       const csm_renewals_opts *opts,
                                       csm_error *err) {
    csm_status st = CSM_PY_SAME_LENGTHS(err, n_accounts,
                                        CSM_PY_ARG(n_days, "days"));
    return st != CSM_OK ? st
                        : csm_renewals_days_to_end(days, account_id, n_accounts,
                                                   contracts, day, opts, err);
}
%}

%clear (uint8_t *outcome, size_t n_outcome);
%clear (int64_t *match, size_t n_match);
%clear (double *days, size_t n_days);
%clear (const int64_t *account_id, size_t n_accounts);
