/*
 * health.i - health scorecards (csmetrics/health.h): the JSON spec,
 * scoring, the band distribution and the accounts most at risk.
 *
 * csm_health_scorecard is an opaque object owned by its Python object (freed by
 * its destructor).  Wrapped directly: csm_health_scorecard_from_json and the
 * name accessors.  Through shims: csm_health_scorecard_to_json (the text as a
 * str, freed with csm_health_scorecard_json_free), csm_health_score (the
 * accounts x inputs matrix and the optional previous scores and bands
 * carrying their lengths), csm_health_absent_inputs (the same matrix), csm_health_bands_compute and csm_health_at_risk
 * (per-account arrays checked against the scoring result, which comes back
 * from Python as its "csmetrics.result" capsule: CSM_PY_VIEW).
 */

CSM_PY_OPTS(csm_health_risks_opts, csm_health_risks_opts_init)
CSM_PY_OPTS(csm_health_scorecard_opts, csm_health_scorecard_opts_init)
CSM_PY_OPTS(csm_health_opts, csm_health_opts_init)

CSM_PY_OBJECT(csm_health_scorecard)
CSM_PY_TABLE(csm_health)
CSM_PY_TABLE(csm_health_bands)
CSM_PY_TABLE(csm_health_risks)
CSM_PY_VIEW(csm_health, h, "health")

%ignore csm_health_risks_opts_init;
/* pointer members: the allocator (malloc from Python), the previous scores
 * and bands (set by csm_py_scorecard_score from its arrays) */
%ignore csm_health_scorecard_opts::allocator;
%ignore csm_health_scorecard_opts_init;
%ignore csm_health_opts::prev_score;
%ignore csm_health_opts::prev_band;
%ignore csm_health_opts_init;
%ignore csm_health_scorecard_to_json; /* csm_py_scorecard_to_json */
%ignore csm_health_scorecard_json_free;
%ignore csm_health_scorecard_free; /* the object's destructor */
%ignore csm_health_score; /* csm_py_scorecard_score */
%ignore csm_health_absent_inputs; /* csm_py_health_absent_inputs */
%ignore csm_health;
%ignore csm_health_free;
%ignore csm_health_bands;
%ignore csm_health_bands_compute; /* csm_py_health_bands_compute */
%ignore csm_health_bands_free;
%ignore csm_health_risks;
%ignore csm_health_at_risk; /* csm_py_health_at_risk */
%ignore csm_health_risks_free;

/* The opaque scorecard: a SWIG-only (empty) definition to hang its
 * destructor on. */
%nodefaultctor csm_health_scorecard;
struct csm_health_scorecard {};
%extend csm_health_scorecard {
    ~csm_health_scorecard() { csm_health_scorecard_free($self); }
}

%apply (const char *STRING, size_t LENGTH) { (const char *json, size_t len) };
%include "csmetrics/health.h"
%clear (const char *json, size_t len);

%apply (double *IN_ARRAY2, size_t DIM1, size_t DIM2) {
    (const double *values, size_t n_accounts, size_t n_inputs)
};
%apply (const double *OPTIONAL, size_t DIM1) {
    (const double *prev_score, size_t n_prev_score),
    (const double *mrr, size_t n_mrr)
};
%apply (const int32_t *OPTIONAL, size_t DIM1) { (const int32_t *prev_band, size_t n_prev_band) };
%apply (const int64_t *OPTIONAL, size_t DIM1) { (const int64_t *account_id, size_t n_account_id) };

%nothread csm_py_scorecard_to_json;
%nothread csm_py_health_absent_inputs;
%inline %{
/* The canonical JSON text of a scorecard (csm_health_scorecard_to_json). */
PyObject *csm_py_scorecard_to_json(const csm_health_scorecard *sc) {
    char *s = NULL;
    size_t n = 0;
    csm_error e;
    PyObject *o;
    csm_status st = csm_health_scorecard_to_json(&s, &n, sc, &e);
    if (st != CSM_OK) {
        csm_py_raise(st, &e);
        return NULL;
    }
    o = PyUnicode_FromStringAndSize(s, (Py_ssize_t)n);
    csm_health_scorecard_json_free(sc, s);
    return o;
}

/* csm_health_score of an accounts x inputs matrix (C order). */
csm_status csm_py_scorecard_score(csm_health **out, const csm_health_scorecard *sc,
                                  const double *values, size_t n_accounts,
                                  size_t n_inputs, const double *prev_score,
                                  size_t n_prev_score, const int32_t *prev_band,
                                  size_t n_prev_band, csm_error *err) {
    csm_status st;
    if (sc && n_inputs != csm_health_scorecard_input_count(sc))
        return csm_error_set(err, CSM_EINVAL, CSM_NO_ROW, "values",
                             "the matrix needs one column per scorecard input");
    st = CSM_PY_SAME_LENGTHS(err, n_accounts,
                             CSM_PY_OPT(prev_score, n_prev_score, "previous score"),
                             CSM_PY_OPT(prev_band, n_prev_band, "previous band"));
    return st != CSM_OK ? st
                        : csm_health_score(out, sc, values, n_accounts,
                                           &(csm_health_opts){sizeof(csm_health_opts),
                                                              prev_score, prev_band},
                                           err);
}

/* csm_health_absent_inputs of an accounts x inputs matrix (C order): the
 * tuple (indexes of the absent inputs, ascending; None, or the
 * MissingValueError of an absent "fail" measure, not raised: the caller
 * words the absent inputs first).  Other errors are raised. */
PyObject *csm_py_health_absent_inputs(const csm_health_scorecard *sc, const double *values,
                                      size_t n_accounts, size_t n_inputs) {
    csm_error e;
    csm_status st;
    PyObject *list, *err = NULL, *type = NULL, *tb = NULL;
    size_t k;
    unsigned char *absent;
    if (sc && n_inputs != csm_health_scorecard_input_count(sc)) {
        csm_error_set(&e, CSM_EINVAL, CSM_NO_ROW, "values",
                      "the matrix needs one column per scorecard input");
        csm_py_raise(CSM_EINVAL, &e);
        return NULL;
    }
    absent = malloc(n_inputs ? n_inputs : 1);
    if (!absent)
        return PyErr_NoMemory();
    st = csm_health_absent_inputs(absent, NULL, sc, values, n_accounts, &e);
    if (st != CSM_OK && st != CSM_EMISSING) {
        free(absent);
        csm_py_raise(st, &e);
        return NULL;
    }
    list = PyList_New(0);
    for (k = 0; list && k < n_inputs; k++) {
        PyObject *i = absent[k] ? PyLong_FromSize_t(k) : NULL;
        if (absent[k] && (!i || PyList_Append(list, i) != 0))
            Py_CLEAR(list);
        Py_XDECREF(i);
    }
    free(absent);
    if (!list)
        return NULL;
    if (st == CSM_EMISSING) {
        csm_py_raise(st, &e); /* built and set, then taken back */
        PyErr_Fetch(&type, &err, &tb);
        PyErr_NormalizeException(&type, &err, &tb);
        Py_XDECREF(type);
        Py_XDECREF(tb);
        if (!err) {
            Py_DECREF(list);
            return NULL;
        }
    } else {
        Py_INCREF(Py_None);
        err = Py_None;
    }
    return Py_BuildValue("(NN)", list, err);
}

csm_status csm_py_health_bands_compute(csm_health_bands **out,
                                       const csm_health *h,
                                       const csm_health_scorecard *sc,
                                       const double *mrr, size_t n_mrr,
                                       csm_error *err) {
    csm_status st = CSM_PY_SAME_LENGTHS(err, h->n_accounts,
                                        CSM_PY_OPT(mrr, n_mrr, "mrr"));
    return st != CSM_OK ? st
                        : csm_health_bands_compute(out, h, sc, mrr, err);
}

csm_status csm_py_health_at_risk(csm_health_risks **out, const csm_health *h,
                                 const int64_t *account_id, size_t n_account_id,
                                 const double *mrr, size_t n_mrr,
                                 const csm_health_risks_opts *opts,
                                 csm_error *err) {
    csm_status st = CSM_PY_SAME_LENGTHS(
        err, h->n_accounts, CSM_PY_OPT(account_id, n_account_id, "account_id"),
        CSM_PY_OPT(mrr, n_mrr, "mrr"));
    return st != CSM_OK ? st
                        : csm_health_at_risk(out, h, account_id, mrr, opts, err);
}
%}

%clear (const double *values, size_t n_accounts, size_t n_inputs);
%clear (const double *prev_score, size_t n_prev_score);
%clear (const double *mrr, size_t n_mrr);
%clear (const int32_t *prev_band, size_t n_prev_band);
%clear (const int64_t *account_id, size_t n_account_id);
