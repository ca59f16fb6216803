/*
 * churn.i - churn-risk prediction (csmetrics/churn.h): the logistic model,
 * its scores, and the validation of a risk score.
 *
 * Through shims, one per C function, each array carrying its length: the
 * feature matrix x is a 2-D array (n rows x p features; a C-contiguous
 * float64 array is read in place), y a 1-D uint8 array of n outcomes.
 * csm_py_churn_model_score takes the model back as the "csmetrics.result"
 * capsule of its fit (CSM_PY_VIEW) and scores with the library's
 * malloc/free.  The scorecard proposal (csm_churn_proposal_compute) goes
 * through two shims, one per output: the table "churn_proposal" and the
 * proposed scorecard (an owned csm_health_scorecard object, as health.i
 * returns them); the feature names come as a list of str.
 */

CSM_PY_OPTS(csm_churn_model_opts, csm_churn_model_opts_init)
CSM_PY_OPTS(csm_churn_auc_opts, csm_churn_auc_opts_init)
CSM_PY_OPTS(csm_churn_validation_opts, csm_churn_validation_opts_init)
CSM_PY_OPTS(csm_churn_proposal_opts, csm_churn_proposal_opts_init)

CSM_PY_TABLE(csm_churn_model)
CSM_PY_TABLE(csm_churn_scores)
CSM_PY_TABLE(csm_churn_auc)
CSM_PY_TABLE(csm_churn_validation)
CSM_PY_TABLE(csm_churn_proposal)
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
/* the name: a str argument of the shims (NULL from None) */
%ignore csm_churn_proposal_opts::name;
%ignore csm_churn_proposal_opts::allocator;
%ignore csm_churn_proposal_opts_init;
%ignore csm_churn_proposal;
%ignore csm_churn_proposal_compute; /* the two shims below */
%ignore csm_churn_proposal_free;

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

%{
/* csm_churn_proposal_compute with the feature names as a Python list of
 * str: the table "churn_proposal" (out) or the proposed scorecard
 * (proposed), whichever is not NULL. */
static csm_status csm_py_churn_proposal(csm_churn_proposal **out,
                                        csm_health_scorecard **proposed,
                                        const csm_churn_model *model,
                                        PyObject *names,
                                        const csm_health_scorecard *sc,
                                        const char *name, csm_error *err) {
    Py_ssize_t n, j;
    const char **v;
    csm_status st;
    csm_churn_proposal_opts o = CSM_CHURN_PROPOSAL_OPTS_INIT;
    if (!PyList_Check(names))
        return csm_error_set(err, CSM_EINVAL, CSM_NO_ROW, "feature_names",
                             "expected a list of str");
    n = PyList_GET_SIZE(names);
    v = malloc((size_t)(n ? n : 1) * sizeof *v);
    if (!v)
        return csm_error_set(err, CSM_ENOMEM, CSM_NO_ROW, NULL, NULL);
    for (j = 0; j < n; j++) {
        PyObject *s = PyList_GET_ITEM(names, j);
        v[j] = PyUnicode_Check(s) ? PyUnicode_AsUTF8(s) : NULL;
        if (!v[j]) {
            PyErr_Clear();
            free(v);
            return csm_error_set(err, CSM_EINVAL, (size_t)j, "feature_names",
                                 "not a str");
        }
    }
    o.name = name;
    st = csm_churn_proposal_compute(out, proposed, model, v, (size_t)n, sc, &o,
                                    err);
    free(v);
    return st;
}
%}

/* they read Python objects: the GIL stays held */
%nothread csm_py_churn_proposal_compute;
%nothread csm_py_churn_proposal_scorecard;
%inline %{
csm_status csm_py_churn_proposal_compute(csm_churn_proposal **out,
                                         const csm_churn_model *model,
                                         PyObject *names,
                                         const csm_health_scorecard *sc,
                                         const char *name, csm_error *err) {
    return csm_py_churn_proposal(out, NULL, model, names, sc, name, err);
}

csm_status csm_py_churn_proposal_scorecard(csm_health_scorecard **out,
                                           const csm_churn_model *model,
                                           PyObject *names,
                                           const csm_health_scorecard *sc,
                                           const char *name, csm_error *err) {
    return csm_py_churn_proposal(NULL, out, model, names, sc, name, err);
}
%}

%clear (const double *x, size_t n, size_t p);
%clear (const uint8_t *y, size_t n_y);
%clear (const uint8_t *y, size_t n);
%clear (const double *score, size_t n_score);
%clear (const double *prob, size_t n_prob);
