/*
 * referrals.i - referral figures of a ledger's window
 * (csmetrics/referrals.h).  The referrals are a dict of columns
 * (CSM_PY_COLUMNS over csm_referrals_rows); csm_py_referrals_compute is
 * csm_referrals_compute with each array carrying its length (the owners
 * and the NPS responses may be empty arrays).
 */

CSM_PY_OPTS(csm_referrals_opts, csm_referrals_opts_init)
CSM_PY_TABLE(csm_referrals)

%{
static const csm_py_column csm_py_referrals_rows_spec[] = {
    CSM_PY_COLUMN(csm_referrals_rows, referrer, NPY_INT64),
    CSM_PY_COLUMN(csm_referrals_rows, day, NPY_INT32),
    CSM_PY_COLUMN(csm_referrals_rows, converted, NPY_UINT8),
    CSM_PY_COLUMN(csm_referrals_rows, first_mrr, NPY_DOUBLE),
};
%}
CSM_PY_COLUMNS(csm_referrals_rows, referrals_rows, csm_py_referrals_rows_spec)

%ignore csm_referrals_opts_init;
%ignore csm_referrals_rows;
%ignore csm_referrals;
%ignore csm_referrals_compute; /* csm_py_referrals_compute */
%ignore csm_referrals_free;
%ignore CSM_REFERRALS_OWNER_NONE;

%include "csmetrics/referrals.h"

%apply (int64_t *IN_ARRAY1, size_t DIM1) { (const int64_t *owner_customer, size_t n) };
%apply (int32_t *IN_ARRAY1, size_t DIM1) { (const int32_t *owner, size_t n_owner) };
%apply (int64_t *IN_ARRAY1, size_t DIM1) { (const int64_t *nps_customer, size_t n_nps_customer) };
%apply (int8_t *IN_ARRAY1, size_t DIM1) { (const int8_t *nps_score, size_t n_nps) };

%inline %{
csm_status csm_py_referrals_compute(csm_referrals **out, const csm_ledger *ledger,
                                    const csm_referrals_rows *rows,
                                    const int64_t *owner_customer, size_t n,
                                    const int32_t *owner, size_t n_owner,
                                    const int64_t *nps_customer,
                                    size_t n_nps_customer,
                                    const int8_t *nps_score, size_t n_nps,
                                    const csm_referrals_opts *opts,
                                    csm_error *err) {
    csm_status st = CSM_PY_SAME_LENGTHS(err, n, CSM_PY_ARG(n_owner, "owner"));
    if (st == CSM_OK)
        st = CSM_PY_SAME_LENGTHS(err, n_nps,
                                 CSM_PY_ARG(n_nps_customer, "nps_customer"));
    return st != CSM_OK ? st
                        : csm_referrals_compute(out, ledger, rows, owner_customer,
                                                owner, n, nps_customer, nps_score,
                                                n_nps, opts, err);
}
%}

%clear (const int64_t *owner_customer, size_t n);
%clear (const int32_t *owner, size_t n_owner);
%clear (const int64_t *nps_customer, size_t n_nps_customer);
%clear (const int8_t *nps_score, size_t n_nps);
