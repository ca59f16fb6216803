/*
 * projection.i - MRR churn scenarios (csmetrics/projection.h).
 *
 * csm_project_mrr fills a caller-provided (months + 1) x n_scenarios table:
 * the shim allocates that table as a numpy array, lets C fill it in place
 * (no copy) and returns it.  The per-scenario arrays share one length;
 * expansion and new_mrr are optional (bits 1 and 2 of `present`; absent =
 * 0 for every scenario).
 */

%{
#include "csmetrics/projection.h"
%}

%ignore csm_project_mrr;

%include "csmetrics/projection.h"

%apply (double *IN_ARRAY1, size_t DIM1) {
    (const double *churn, size_t n),
    (const double *expansion, size_t n_expansion),
    (const double *new_mrr, size_t n_new_mrr)
};

%inline %{
PyObject *csm_py_project_mrr(size_t months, double start_mrr,
                             const double *churn, size_t n,
                             const double *expansion, size_t n_expansion,
                             const double *new_mrr, size_t n_new_mrr,
                             int present) {
    npy_intp dims[2];
    PyObject *table;
    csm_error e;
    csm_status st;
    if (((present & 1) && !csm_py_same_length(n, n_expansion, "expansion")) ||
        ((present & 2) && !csm_py_same_length(n, n_new_mrr, "new_mrr")))
        return NULL;
    /* the library's own size check, before numpy allocates anything */
    if (n > 0 && (months == SIZE_MAX || n > SIZE_MAX / (months + 1) ||
                  (months + 1) * n > (size_t)NPY_MAX_INTP / sizeof(double))) {
        csm_py_fail(CSM_ERANGE, CSM_NO_ROW, "months",
                    "(months + 1) x n_scenarios overflows");
        return NULL;
    }
    if (months >= (size_t)NPY_MAX_INTP) {
        csm_py_fail(CSM_ERANGE, CSM_NO_ROW, "months", "months is too large");
        return NULL;
    }
    dims[0] = (npy_intp)(months + 1);
    dims[1] = (npy_intp)n;
    table = PyArray_SimpleNew(2, dims, NPY_DOUBLE);
    if (!table) {
        PyErr_Clear();
        csm_py_fail(CSM_ENOMEM, CSM_NO_ROW, "table",
                    "cannot allocate the projection table");
        return NULL;
    }
    csm_error_clear(&e);
    Py_BEGIN_ALLOW_THREADS
    st = csm_project_mrr((double *)PyArray_DATA((PyArrayObject *)table), months,
                         n, start_mrr, churn, (present & 1) ? expansion : NULL,
                         (present & 2) ? new_mrr : NULL, &e);
    Py_END_ALLOW_THREADS
    if (st != CSM_OK) {
        Py_DECREF(table);
        csm_py_raise(st, &e);
        return NULL;
    }
    return table;
}
%}
