/*
 * common.i - status codes and their mapping to Python exceptions, version,
 * flags and the calendar helpers (csmetrics/common.h).
 */

%{
/* Set the Python exception for a failed status.  The exception class and
 * instance come from csmetrics._errors._from_status(code, name, row, field,
 * msg, text), so the Python package owns the class hierarchy.  `e` may be
 * NULL or empty (functions without a csm_error argument): the message is then
 * "NAME: csm_strerror(code)". */
static void csm_py_raise(csm_status st, const csm_error *e) {
    char buf[CSM_ERROR_TEXT_MAX];
    const char *text;
    PyObject *mod, *row, *exc;
    if (e && e->text[0]) {
        text = e->text;
    } else {
        snprintf(buf, sizeof buf, "%s: %s", csm_status_name(st),
                 csm_strerror(st));
        text = buf;
    }
    mod = PyImport_ImportModule("csmetrics._errors");
    if (!mod)
        return;
    if (e && e->row != CSM_NO_ROW) {
        row = PyLong_FromSize_t(e->row);
    } else {
        Py_INCREF(Py_None);
        row = Py_None;
    }
    exc = PyObject_CallMethod(mod, "_from_status", "isNzzs", (int)st,
                              csm_status_name(st), row,
                              e ? e->field : NULL,
                              (e && e->msg) ? e->msg : csm_strerror(st), text);
    Py_DECREF(mod);
    if (!exc)
        return;
    PyErr_SetObject((PyObject *)Py_TYPE(exc), exc);
    Py_DECREF(exc);
}

/* Fill *e like the library's own csm__fail (same text format) and return
 * the status: for failures a shim finds itself (e.g. arrays of different
 * lengths). */
static csm_status csm_py_set_error(csm_error *e, csm_status st, size_t row,
                                   const char *field, const char *msg) {
    csm_error_clear(e);
    e->code = st;
    e->row = row;
    e->field = field;
    e->msg = msg;
    if (row != CSM_NO_ROW && field)
        snprintf(e->text, sizeof e->text, "%s: row %zu, field '%s': %s",
                 csm_status_name(st), row, field, msg);
    else if (field)
        snprintf(e->text, sizeof e->text, "%s: field '%s': %s",
                 csm_status_name(st), field, msg);
    else
        snprintf(e->text, sizeof e->text, "%s: %s", csm_status_name(st), msg);
    return st;
}

/* The same, raised at once (for shims that return objects). */
static void csm_py_fail(csm_status st, size_t row, const char *field,
                        const char *msg) {
    csm_error e;
    csm_py_set_error(&e, st, row, field, msg);
    csm_py_raise(st, &e);
}

#define CSM_PY_LENGTH_MSG "array length differs from the other input columns"

/* One column of a C result table: its name, where its pointer lives in the
 * result struct, its numpy type, and whether it is a [rows x cols] matrix. */
typedef struct csm_py_col {
    const char *name;
    size_t offset;
    int type;
    int matrix;
} csm_py_col;

#define CSM_PY_COL(T, f, npy) {#f, offsetof(T, f), npy, 0}
#define CSM_PY_MAT(T, f, npy) {#f, offsetof(T, f), npy, 1}

/* {name: ndarray} with each column copied once out of the C result. */
static PyObject *csm_py_table(const void *res, const csm_py_col *cols,
                              size_t ncols, size_t nrows, size_t width) {
    PyObject *d = PyDict_New();
    size_t i;
    if (!d)
        return NULL;
    for (i = 0; i < ncols; i++) {
        npy_intp dims[2];
        int nd = cols[i].matrix ? 2 : 1;
        size_t elems = cols[i].matrix ? nrows * width : nrows;
        const void *src = *(void *const *)((const char *)res + cols[i].offset);
        PyObject *a;
        dims[0] = (npy_intp)nrows;
        dims[1] = (npy_intp)width;
        a = PyArray_SimpleNew(nd, dims, cols[i].type);
        if (!a) {
            Py_DECREF(d);
            return NULL;
        }
        if (elems && src)
            memcpy(PyArray_DATA((PyArrayObject *)a), src,
                   elems * (size_t)PyArray_ITEMSIZE((PyArrayObject *)a));
        if (PyDict_SetItemString(d, cols[i].name, a) < 0) {
            Py_DECREF(a);
            Py_DECREF(d);
            return NULL;
        }
        Py_DECREF(a);
    }
    return d;
}

static int csm_py_dict_set_size(PyObject *d, const char *key, size_t v) {
    PyObject *o = PyLong_FromSize_t(v);
    int rc = o ? PyDict_SetItemString(d, key, o) : -1;
    Py_XDECREF(o);
    return rc;
}

#define CSM_PY_NCOLS(a) (sizeof(a) / sizeof((a)[0]))

/* 1 when n_other == n (or the optional array is absent), else raise
 * CSM_EINVAL naming the field. */
static int csm_py_same_length(size_t n, size_t n_other, const char *field) {
    if (n_other == n)
        return 1;
    csm_py_fail(CSM_EINVAL, CSM_NO_ROW, field, CSM_PY_LENGTH_MSG);
    return 0;
}
%}

/* csm_error *err: hidden from Python; a local the wrapper passes. */
%typemap(in, numinputs=0) csm_error *err (csm_error temp) {
    csm_error_clear(&temp);
    $1 = &temp;
}
/* A returned csm_status is not a Python value: success is None (or the
 * outputs), failure an exception. */
%typemap(out) csm_status {
    $result = SWIG_Py_Void();
}
/* Functions with a csm_error: raise with its row/field text. */
%typemap(argout) csm_error *err {
    if (result != CSM_OK) {
        Py_XDECREF($result);
        $result = NULL;
        csm_py_raise(result, $1);
        SWIG_fail;
    }
}
/* Functions without one (the *_opts_preset helpers): raise with
 * csm_strerror.  "ret" runs last, after argout and cleanup. */
%typemap(ret) csm_status {
    if (result != CSM_OK && !PyErr_Occurred()) {
        Py_XDECREF(resultobj);
        resultobj = NULL;
        csm_py_raise(result, NULL);
    }
}

/* ---- option structs: Python objects with the C defaults ---------------- */
/* A default-constructed option struct holds the _INIT values (size set), so
 * Python only assigns the fields the caller names; `size` is read-only and
 * a misspelt field is an AttributeError (%pythonnondynamic). */
%define CSM_PY_OPTS(TYPE, INIT)
%immutable TYPE::size;
%pythonnondynamic TYPE;
%extend TYPE {
    TYPE() {
        TYPE *o = (TYPE *)malloc(sizeof *o);
        if (!o) {
            PyErr_NoMemory();
            return NULL;
        }
        *o = (TYPE)INIT;
        return o;
    }
    ~TYPE() { free($self); }
}
%enddef

/* ---- result structs: returned as owned Python objects --------------------- */
/* `TYPE *out` is hidden from Python: the wrapper passes a local, and on
 * success a heap copy of it is returned (SWIG frees it with the object). */
%define CSM_PY_RESULT(TYPE)
%typemap(in, numinputs=0) TYPE *out (TYPE temp) {
    memset(&temp, 0, sizeof temp);
    $1 = &temp;
}
%typemap(argout) TYPE *out {
    if (result == CSM_OK) {
        TYPE *copy = (TYPE *)malloc(sizeof *copy);
        if (!copy) {
            Py_XDECREF($result);
            $result = NULL;
            PyErr_NoMemory();
            SWIG_fail;
        }
        *copy = *$1;
        %append_output(SWIG_NewPointerObj(copy, $descriptor(TYPE *), SWIG_POINTER_OWN));
    }
}
%enddef

/* Calendar output parameters. */
%apply int32_t *OUTPUT { int32_t *year, int32_t *month, int32_t *day };

%ignore csm_error;
%ignore csm_error_clear;
%ignore csm_allocator;
%ignore CSM_STATUS_COUNT_;
%ignore CSM_NO_ROW;
%include "csmetrics/common.h"

%constant size_t NO_ROW = CSM_NO_ROW;

%apply (int8_t *IN_ARRAY1, size_t DIM1) { (const int8_t *x8, size_t n8) };
%apply (uint8_t *IN_ARRAY1, size_t DIM1) { (const uint8_t *xu8, size_t nu8) };
%apply (int32_t *IN_ARRAY1, size_t DIM1) { (const int32_t *x32, size_t n32) };
%apply (int64_t *IN_ARRAY1, size_t DIM1) { (const int64_t *x64, size_t n64) };
%apply (double *IN_ARRAY1, size_t DIM1) { (const double *xf64, size_t nf64) };

%inline %{
/* The address of the buffer C receives for an array argument, so the test
 * suite can check that right-dtype, C-contiguous arrays are not copied.
 * Internal; not part of the public API. */
uintptr_t csm_py_address_int8(const int8_t *x8, size_t n8) {
    (void)n8;
    return (uintptr_t)x8;
}
uintptr_t csm_py_address_uint8(const uint8_t *xu8, size_t nu8) {
    (void)nu8;
    return (uintptr_t)xu8;
}
uintptr_t csm_py_address_int32(const int32_t *x32, size_t n32) {
    (void)n32;
    return (uintptr_t)x32;
}
uintptr_t csm_py_address_int64(const int64_t *x64, size_t n64) {
    (void)n64;
    return (uintptr_t)x64;
}
uintptr_t csm_py_address_float64(const double *xf64, size_t nf64) {
    (void)nf64;
    return (uintptr_t)xf64;
}
%}
