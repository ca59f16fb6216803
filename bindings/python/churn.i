/*
 * churn.i - churn-risk prediction (csmetrics/churn.h): the logistic model,
 * its scores, and the validation of a risk score.
 *
 * Through shims, one per C function, each array carrying its length: the
 * feature matrix x is a 2-D array (n rows x p features; a C-contiguous
 * float64 array is read in place), y a 1-D uint8 array of n outcomes.
 * csm_py_churn_model_score takes the model back as the "csmetrics.result"
 * capsule of its fit (CSM_PY_VIEW) and scores with the library's
 * malloc/free.
 */

CSM_PY_OPTS(csm_churn_model_opts, csm_churn_model_opts_init)
CSM_PY_OPTS(csm_churn_auc_opts, csm_churn_auc_opts_init)
CSM_PY_OPTS(csm_churn_validation_opts, csm_churn_validation_opts_init)

CSM_PY_TABLE(csm_churn_model)
CSM_PY_TABLE(csm_churn_scores)
CSM_PY_TABLE(csm_churn_auc)
CSM_PY_TABLE(csm_churn_validation)
CSM_PY_VIEW(csm_churn_model, model, "churn_model")

%ignore csm_churn_model_opts::allocator;
%ignore csm_churn_auc_opts::allocator;
%ignore csm_churn_validation_opts::allocator;
%ignore csm_churn_model_opts_init;
%ignore csm_churn_auc_opts_init;
%ignore csm_churn_validation_opts_init;
%ignore csm_churn_model;
%ignore csm_churn_model_fit; /* csm_py_churn_model_fit */
%ignore csm_churn_model_free;
%ignore csm_churn_scores;
%ignore csm_churn_model_score; /* csm_py_churn_model_score */
%ignore csm_churn_scores_free;
%ignore csm_churn_auc;
%ignore csm_churn_auc_compute; /* csm_py_churn_auc_compute */
%ignore csm_churn_auc_free;
%ignore csm_churn_validation;
%ignore csm_churn_validation_compute; /* csm_py_churn_validation_compute */
%ignore csm_churn_validation_free;

%include "csmetrics/churn.h"

%apply (double *IN_ARRAY2, size_t DIM1, size_t DIM2) {
    (const double *x, size_t n, size_t p)
};
%apply (uint8_t *IN_ARRAY1, size_t DIM1) {
    (const uint8_t *y, size_t n_y),
    (const uint8_t *y, size_t n)
};
%apply (double *IN_ARRAY1, size_t DIM1) {
    (const double *score, size_t n_score),
    (const double *prob, size_t n_prob)
};

%inline %{
csm_status csm_py_churn_model_fit(csm_churn_model **out, const double *x,
                                  size_t n, size_t p, const uint8_t *y,
                                  size_t n_y, const csm_churn_model_opts *opts,
                                  csm_error *err) {
    csm_status st = CSM_PY_SAME_LENGTHS(err, n, CSM_PY_ARG(n_y, "y"));
    return st != CSM_OK ? st : csm_churn_model_fit(out, x, y, n, p, opts, err);
}

csm_status csm_py_churn_model_score(csm_churn_scores **out,
                                    const csm_churn_model *model,
                                    const double *x, size_t n, size_t p,
                                    csm_error *err) {
    return csm_churn_model_score(out, model, x, n, p, NULL, err);
}

csm_status csm_py_churn_auc_compute(csm_churn_auc **out, const uint8_t *y,
                                    size_t n, const double *score,
                                    size_t n_score,
                                    const csm_churn_auc_opts *opts,
                                    csm_error *err) {
    csm_status st = CSM_PY_SAME_LENGTHS(err, n, CSM_PY_ARG(n_score, "score"));
    return st != CSM_OK ? st
                        : csm_churn_auc_compute(out, y, score, n, opts, err);
}

csm_status csm_py_churn_validation_compute(
    csm_churn_validation **out, const uint8_t *y, size_t n, const double *prob,
    size_t n_prob, const csm_churn_validation_opts *opts, csm_error *err) {
    csm_status st = CSM_PY_SAME_LENGTHS(err, n, CSM_PY_ARG(n_prob, "prob"));
    return st != CSM_OK ? st
                        : csm_churn_validation_compute(out, y, prob, n, opts,
                                                       err);
}
%}

%clear (const double *x, size_t n, size_t p);
%clear (const uint8_t *y, size_t n_y);
%clear (const uint8_t *y, size_t n);
%clear (const double *score, size_t n_score);
%clear (const double *prob, size_t n_prob);
