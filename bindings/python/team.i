/*
 * team.i - accounts and ARR per CSM (csmetrics/team.h):
 * csm_py_team_compute is csm_team_compute with each array carrying its
 * length (owner_customer and owner share one; at_risk may be None).
 */

CSM_PY_OPTS(csm_team_opts, csm_team_opts_init)
CSM_PY_TABLE(csm_team)

%ignore csm_team_opts_init;
%ignore csm_team;
%ignore csm_team_compute; /* csm_py_team_compute */
%ignore csm_team_free;
%ignore CSM_TEAM_OWNER_NONE;

%include "csmetrics/team.h"

%apply (int64_t *IN_ARRAY1, size_t DIM1) { (const int64_t *owner_customer, size_t n) };
%apply (int32_t *IN_ARRAY1, size_t DIM1) { (const int32_t *owner, size_t n_owner) };
%apply (const int64_t *OPTIONAL, size_t DIM1) { (const int64_t *at_risk, size_t n_at_risk) };

%inline %{
csm_status csm_py_team_compute(csm_team **out, const csm_ledger *ledger,
                               const int64_t *owner_customer, size_t n,
                               const int32_t *owner, size_t n_owner,
                               const int64_t *at_risk, size_t n_at_risk,
                               const csm_team_opts *opts, csm_error *err) {
    csm_status st = CSM_PY_SAME_LENGTHS(err, n, CSM_PY_ARG(n_owner, "owner"));
    return st != CSM_OK ? st
                        : csm_team_compute(out, ledger, owner_customer, owner, n,
                                           at_risk, n_at_risk, opts, err);
}
%}

%clear (const int64_t *owner_customer, size_t n);
%clear (const int32_t *owner, size_t n_owner);
%clear (const int64_t *at_risk, size_t n_at_risk);
