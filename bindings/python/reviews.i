/*
 * reviews.i - diagnosis cadence (csmetrics/reviews.h).  The accounts and
 * the touches are dicts of columns (CSM_PY_COLUMNS over
 * csm_reviews_accounts and csm_reviews_touches); csm_py_reviews_compute is
 * csm_reviews_compute with the tiers (option arrays) passed as arrays with
 * their lengths.
 */

CSM_PY_OPTS(csm_reviews_opts, csm_reviews_opts_init)
CSM_PY_TABLE(csm_reviews)

%{
static const csm_py_column csm_py_reviews_accounts_spec[] = {
    CSM_PY_COLUMN(csm_reviews_accounts, account, NPY_INT64),
    CSM_PY_COLUMN(csm_reviews_accounts, owner, NPY_INT32),
    CSM_PY_COLUMN(csm_reviews_accounts, segment, NPY_INT32),
    CSM_PY_COLUMN(csm_reviews_accounts, mrr, NPY_DOUBLE),
};
static const csm_py_column csm_py_reviews_touches_spec[] = {
    CSM_PY_COLUMN(csm_reviews_touches, account, NPY_INT64),
    CSM_PY_COLUMN(csm_reviews_touches, day, NPY_INT32),
    CSM_PY_COLUMN(csm_reviews_touches, csm, NPY_INT32),
    CSM_PY_COLUMN(csm_reviews_touches, type, NPY_INT32),
};
%}
CSM_PY_COLUMNS(csm_reviews_accounts, reviews_accounts, csm_py_reviews_accounts_spec)
CSM_PY_COLUMNS(csm_reviews_touches, reviews_touches, csm_py_reviews_touches_spec)

%ignore csm_reviews_opts::allocator;
%ignore csm_reviews_opts::n_tiers;
%ignore csm_reviews_opts::tier_segment;
%ignore csm_reviews_opts::tier_min_mrr;
%ignore csm_reviews_opts::tier_days;
%ignore csm_reviews_opts_init;
%ignore csm_reviews_accounts;
%ignore csm_reviews_touches;
%ignore csm_reviews;
%ignore csm_reviews_compute; /* csm_py_reviews_compute */
%ignore csm_reviews_free;
%ignore CSM_REVIEWS_OWNER_NONE;
%ignore CSM_REVIEWS_DAY_NONE;
%ignore CSM_REVIEWS_ANY_TYPE;

%include "csmetrics/reviews.h"

/* INT32_MIN is no constant SWIG evaluates (as MONTH_NONE in ledger.i) */
%constant int32_t REVIEWS_DAY_NONE = CSM_REVIEWS_DAY_NONE;
%constant int32_t REVIEWS_ANY_TYPE = CSM_REVIEWS_ANY_TYPE;

%apply (const int32_t *OPTIONAL, size_t DIM1) { (const int32_t *tier_segment, size_t n_segment) };
%apply (const double *OPTIONAL, size_t DIM1) { (const double *tier_min_mrr, size_t n_min_mrr) };
%apply (const int32_t *OPTIONAL, size_t DIM1) { (const int32_t *tier_days, size_t n_tiers) };

%inline %{
csm_status csm_py_reviews_compute(csm_reviews **out,
                                  const csm_reviews_accounts *accounts,
                                  const csm_reviews_touches *touches,
                                  const int32_t *tier_segment, size_t n_segment,
                                  const double *tier_min_mrr, size_t n_min_mrr,
                                  const int32_t *tier_days, size_t n_tiers,
                                  const csm_reviews_opts *opts, csm_error *err) {
    csm_reviews_opts o;
    csm_status st = CSM_PY_SAME_LENGTHS(
        err, n_tiers, CSM_PY_OPT(tier_segment, n_segment, "tier_segment"),
        CSM_PY_OPT(tier_min_mrr, n_min_mrr, "tier_min_mrr"));
    if (st != CSM_OK)
        return st;
    if (opts)
        o = *opts;
    else if (csm_reviews_opts_init(&o, sizeof o) != CSM_OK)
        return CSM_EINVAL; /* not reached */
    o.n_tiers = n_tiers;
    o.tier_segment = tier_segment;
    o.tier_min_mrr = tier_min_mrr;
    o.tier_days = tier_days;
    return csm_reviews_compute(out, accounts, touches, &o, err);
}
%}

%clear (const int32_t *tier_segment, size_t n_segment);
%clear (const double *tier_min_mrr, size_t n_min_mrr);
%clear (const int32_t *tier_days, size_t n_tiers);
