/*
 * common.i - csmetrics/common.h (status codes, error detail, flags,
 * version, calendar helpers) and the typemaps every family's interface
 * uses.  One generation of typemaps:
 *
 *   csm_error *err        hidden; a failed csm_status raises the
 *                         csmetrics exception of the status with the
 *                         csm_error text (csm_py_raise)
 *   csm_status            not a Python value: success is None (or the
 *                         outputs), failure an exception
 *   option structs        CSM_PY_OPTS: a Python class whose constructor
 *                         fills the struct with csm_<x>_opts_init (the C
 *                         defaults); Python sets the fields it was given
 *                         and passes the struct whole (None = defaults)
 *   result structs        CSM_PY_RESULT: `T *out` returned as an owned
 *                         SWIG object
 *   result tables         CSM_PY_TABLE: `T **out` returned as the generic
 *                         conversion of (*out)->result (csm_py_result,
 *                         table.i)
 *   opaque objects        CSM_PY_OBJECT: `T **out` returned as an owned
 *                         SWIG object (its destructor frees it)
 *   arrays                numpy.i IN_ARRAY1 with size_t lengths (no copy
 *                         for a C-contiguous array of the right dtype);
 *                         OPTIONAL / OPTIONAL_INPLACE: the same, None ->
 *                         a NULL pointer and length 0
 *   column structs        CSM_PY_COLUMNS: a Python dict {member: array or
 *                         None} -> the C struct of columns (csm_contracts,
 *                         csm_activity_rows ...), lengths checked
 *   allocators            `const csm_allocator *alloc` hidden (NULL: the
 *                         library's malloc/free)
 *
 * Where a C function's arrays share one length argument (or an array goes
 * into an option struct), the interface has one shim csm_py_<function>
 * with the C function's parameters in the C order, each array with its own
 * length: it checks the lengths (CSM_PY_SAME_LENGTHS, a csm_error like the
 * library's own) and calls the C function.  Nothing else: the typemaps do
 * the conversions, and every wrapper runs with the GIL released (the
 * module's threads="1"), except those marked %nothread that build Python
 * objects.
 */

%{
/* Set the Python exception for a failed status.  The exception class and
 * instance come from csmetrics._errors._from_status(code, name, row, field,
 * msg, text), so the Python package owns the class hierarchy.  `e` may be
 * NULL or empty (functions without a csm_error argument): the text is then
 * the library's for the bare status (csm_error_set, "NAME: strerror"). */
static void csm_py_raise(csm_status st, const csm_error *e) {
    csm_error bare;
    const char *text;
    PyObject *mod, *row, *exc;
    if (e && e->text[0]) {
        text = e->text;
    } else {
        csm_error_set(&bare, st, CSM_NO_ROW, NULL, NULL);
        text = bare.text;
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

/* Raise a failure the bindings find themselves, worded by the library
 * (csm_error_set). */
static void csm_py_fail(csm_status st, size_t row, const char *field,
                        const char *msg) {
    csm_error e;
    csm_error_set(&e, st, row, field, msg);
    csm_py_raise(st, &e);
}

#define CSM_PY_LENGTH_MSG "array length differs from the other input columns"

/* ---- lengths of the arrays of one call ----------------------------------- */
/* An array argument of a shim: present (0 for an optional array passed as
 * None), its length and its name. */
typedef struct csm_py_len {
    int present;
    size_t n;
    const char *field;
} csm_py_len;

/* CSM_OK when every present array has n elements, else CSM_EINVAL in *err
 * naming the first that has not (a failure the library's way, so the shim
 * returns it like the C function's own). */
static csm_status csm_py_same_lengths(csm_error *err, size_t n,
                                      const csm_py_len *a, size_t k) {
    size_t i;
    for (i = 0; i < k; i++)
        if (a[i].present && a[i].n != n)
            return csm_error_set(err, CSM_EINVAL, CSM_NO_ROW, a[i].field,
                                 CSM_PY_LENGTH_MSG);
    return CSM_OK;
}

/* CSM_PY_SAME_LENGTHS(err, n, CSM_PY_ARG(n_x, "x"), CSM_PY_OPT(y, n_y, "y"),
 * ...): the arrays x (required) and y (optional: NULL = absent) have n
 * elements. */
#define CSM_PY_ARG(n_x, name) {1, (n_x), (name)}
#define CSM_PY_OPT(x, n_x, name) {(x) != NULL, (n_x), (name)}
#define CSM_PY_SAME_LENGTHS(err, n, ...)                                       \
    csm_py_same_lengths((err), (n), (const csm_py_len[]){__VA_ARGS__},         \
                        sizeof((const csm_py_len[]){__VA_ARGS__}) /            \
                            sizeof(csm_py_len))

/* ---- column structs ------------------------------------------------------ */
/* One pointer member of a column struct: its name (the Python dict key),
 * its offset and its numpy type. */
typedef struct csm_py_column {
    const char *name;
    size_t offset;
    int type;
} csm_py_column;

#define CSM_PY_COLUMN(TYPE, MEMBER, NPYTYPE)                                   \
    {#MEMBER, offsetof(TYPE, MEMBER), (NPYTYPE)}

/* Fill the column struct *s (size bytes, its row count the size_t at
 * n_offset) from `cols`, a dict {member name: array or None}: each member
 * of spec points to a 1-D C-contiguous array of its type (converted once
 * by numpy if needed, else the caller's own buffer) or is NULL when its
 * key is absent or None; all present columns have one length, the row
 * count.  A key that names no member is an error.  Returns a new list
 * holding the arrays (release it after the call), or NULL with an
 * exception. */
static PyObject *csm_py_columns_in(void *s, size_t size, size_t n_offset,
                                   PyObject *cols, const csm_py_column *spec,
                                   size_t n_spec) {
    PyObject *keep, *key, *value;
    Py_ssize_t pos = 0;
    size_t i, n = 0;
    int have_n = 0;
    if (!PyDict_Check(cols)) {
        PyErr_SetString(PyExc_TypeError,
                        "columns must be a dict {name: array or None}");
        return NULL;
    }
    while (PyDict_Next(cols, &pos, &key, &value)) {
        const char *name = PyUnicode_Check(key) ? PyUnicode_AsUTF8(key) : NULL;
        if (!name)
            return PyErr_Occurred() ? NULL
                   : PyErr_Format(PyExc_TypeError, "column names are str");
        for (i = 0; i < n_spec && strcmp(name, spec[i].name) != 0; i++)
            ;
        if (i == n_spec) {
            csm_py_fail(CSM_EINVAL, CSM_NO_ROW, name, "no such column");
            return NULL;
        }
    }
    keep = PyList_New(0);
    if (!keep)
        return NULL;
    memset(s, 0, size);
    for (i = 0; i < n_spec; i++) {
        PyObject *v = PyDict_GetItemString(cols, spec[i].name); /* borrowed */
        PyArrayObject *a;
        int is_new = 0, ok;
        const void *data;
        size_t len;
        if (!v || v == Py_None)
            continue;
        a = obj_to_array_contiguous_allow_conversion(v, spec[i].type, &is_new);
        if (!a) {
            Py_DECREF(keep);
            return NULL;
        }
        ok = require_dimensions(a, 1) &&
             PyList_Append(keep, (PyObject *)a) == 0;
        len = (size_t)array_size(a, 0);
        data = array_data(a);
        if (is_new)
            Py_DECREF(a); /* held by keep */
        if (!ok) {
            Py_DECREF(keep);
            return NULL;
        }
        if (have_n && len != n) {
            csm_py_fail(CSM_EINVAL, CSM_NO_ROW, spec[i].name, CSM_PY_LENGTH_MSG);
            Py_DECREF(keep);
            return NULL;
        }
        n = len;
        have_n = 1;
        memcpy((char *)s + spec[i].offset, &data, sizeof data);
    }
    memcpy((char *)s + n_offset, &n, sizeof n);
    return keep;
}

/* The members of a column struct as [(name, numpy dtype), ...], so the
 * Python layer converts each column to its exact dtype once. */
static PyObject *csm_py_columns_spec(const csm_py_column *spec, size_t n_spec) {
    PyObject *l = PyList_New((Py_ssize_t)n_spec);
    size_t i;
    for (i = 0; l && i < n_spec; i++) {
        PyObject *item = Py_BuildValue("(sN)", spec[i].name,
                                       (PyObject *)PyArray_DescrFromType(spec[i].type));
        if (!item) {
            Py_DECREF(l);
            return NULL;
        }
        PyList_SET_ITEM(l, (Py_ssize_t)i, item);
    }
    return l;
}
%}

/* ---- errors and status ---------------------------------------------------- */
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

/* The bindings use the library's malloc/free wherever a call takes an
 * allocator argument (an object's allocator comes with its options). */
%typemap(in, numinputs=0) const csm_allocator *alloc,
                          const csm_allocator *allocator {
    $1 = NULL;
}

/* ---- option structs ------------------------------------------------------- */
/* A Python class over the C struct: its constructor fills every field with
 * INITFN (csm_<x>_opts_init: the C defaults, size set), so Python only
 * assigns the fields the caller names; `size` is read-only and a misspelt
 * field is an AttributeError (%pythonnondynamic).  A function takes the
 * struct whole; None is NULL, the defaults. */
%define CSM_PY_OPTS(TYPE, INITFN)
%immutable TYPE::size;
%pythonnondynamic TYPE;
%nothread TYPE::TYPE;
%extend TYPE {
    TYPE() {
        TYPE *o = (TYPE *)calloc(1, sizeof *o);
        if (!o) {
            PyErr_NoMemory();
            return NULL;
        }
        if (INITFN(o, sizeof *o) != CSM_OK) { /* not reached: o and size are valid */
            free(o);
            csm_py_fail(CSM_EINVAL, CSM_NO_ROW, "opts", NULL);
            return NULL;
        }
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

/* ---- result tables: returned as their generic conversion ------------------ */
/* `TYPE **out` (a family's typed view of a csm_result) is hidden from
 * Python; on success the wrapper returns csm_py_result((*out)->result),
 * which takes over the result. */
%define CSM_PY_TABLE(TYPE)
%typemap(in, numinputs=0) TYPE **out (TYPE *temp = NULL) {
    $1 = &temp;
}
%typemap(argout) TYPE **out {
    if (result == CSM_OK) {
        PyObject *conv = csm_py_result((*$1)->result);
        if (!conv) {
            Py_XDECREF($result);
            $result = NULL;
            SWIG_fail;
        }
        %append_output(conv);
    }
}
%enddef

/* ---- opaque objects: returned as owned SWIG objects ----------------------- */
/* `TYPE **out` is hidden from Python; on success the object is returned
 * and freed by TYPE's destructor (declared with %extend) when Python drops
 * it. */
%define CSM_PY_OBJECT(TYPE)
%typemap(in, numinputs=0) TYPE **out (TYPE *temp = NULL) {
    $1 = &temp;
}
%typemap(argout) TYPE **out {
    if (result == CSM_OK)
        %append_output(SWIG_NewPointerObj(*$1, $descriptor(TYPE *), SWIG_POINTER_OWN));
}
%enddef

/* ---- optional arrays: None -> NULL ---------------------------------------- */
/* (const TYPE *OPTIONAL, size_t DIM1): None gives (NULL, 0), anything else
 * is converted as IN_ARRAY1 converts it (the caller's buffer when it is a
 * C-contiguous array of TYPE).  (TYPE *OPTIONAL_INPLACE, size_t DIM1):
 * None gives (NULL, 0), else a writable C-contiguous array of TYPE that C
 * fills in place (INPLACE_ARRAY1). */
%define CSM_PY_OPTIONAL_ARRAY(TYPE, NPYTYPE)
%typemap(in, fragment="NumPy_Fragments") (const TYPE *OPTIONAL, size_t DIM1)
    (PyArrayObject *array = NULL, int is_new_object = 0) {
    if ($input == Py_None) {
        $1 = NULL;
        $2 = 0;
    } else {
        array = obj_to_array_contiguous_allow_conversion($input, NPYTYPE,
                                                         &is_new_object);
        if (!array || !require_dimensions(array, 1))
            SWIG_fail;
        $1 = (TYPE *)array_data(array);
        $2 = (size_t)array_size(array, 0);
    }
}
%typemap(freearg) (const TYPE *OPTIONAL, size_t DIM1) {
    if (is_new_object$argnum && array$argnum) {
        Py_DECREF(array$argnum);
    }
}
%typemap(in, fragment="NumPy_Fragments") (TYPE *OPTIONAL_INPLACE, size_t DIM1)
    (PyArrayObject *out_array = NULL) {
    if ($input == Py_None) {
        $1 = NULL;
        $2 = 0;
    } else {
        out_array = obj_to_array_no_conversion($input, NPYTYPE);
        if (!out_array || !require_dimensions(out_array, 1) ||
            !require_contiguous(out_array) || !require_native(out_array))
            SWIG_fail;
        if (!PyArray_ISWRITEABLE(out_array)) {
            PyErr_SetString(PyExc_ValueError, "an output is read-only");
            SWIG_fail;
        }
        $1 = (TYPE *)array_data(out_array);
        $2 = (size_t)array_size(out_array, 0);
    }
}
%enddef

/* ---- column structs ------------------------------------------------------- */
/* `const TYPE *` (a struct of columns with a size_t n) from a dict
 * {member: array or None} (csm_py_columns_in over SPEC, a static
 * csm_py_column array); csm_py_<NAME>_columns() lists SPEC's names and
 * dtypes for the Python layer. */
%define CSM_PY_COLUMNS(TYPE, NAME, SPEC)
%typemap(in) const TYPE * (TYPE temp, PyObject *keep = NULL) {
    keep = csm_py_columns_in(&temp, sizeof temp, offsetof(TYPE, n), $input,
                             SPEC, sizeof SPEC / sizeof *SPEC);
    if (!keep)
        SWIG_fail;
    $1 = &temp;
}
%typemap(freearg) const TYPE * {
    Py_XDECREF(keep$argnum);
}
%nothread csm_py_##NAME##_columns;
%inline %{
PyObject *csm_py_##NAME##_columns(void) {
    return csm_py_columns_spec(SPEC, sizeof SPEC / sizeof *SPEC);
}
%}
%enddef

/* Calendar output parameters. */
%apply int32_t *OUTPUT { int32_t *year, int32_t *month, int32_t *day };

%ignore csm_error;
%ignore csm_error_clear;
%ignore csm_error_set;
%ignore csm_allocator;
%ignore CSM_STATUS_COUNT_;
%ignore CSM_NO_ROW;
%include "csmetrics/common.h"

%constant size_t NO_ROW = CSM_NO_ROW;

%numpy_typemaps(int8_t, NPY_INT8, size_t)
%numpy_typemaps(uint8_t, NPY_UINT8, size_t)
%numpy_typemaps(int32_t, NPY_INT32, size_t)
%numpy_typemaps(uint32_t, NPY_UINT32, size_t)
%numpy_typemaps(int64_t, NPY_INT64, size_t)
%numpy_typemaps(double, NPY_DOUBLE, size_t)
CSM_PY_OPTIONAL_ARRAY(uint8_t, NPY_UINT8)
CSM_PY_OPTIONAL_ARRAY(int32_t, NPY_INT32)
CSM_PY_OPTIONAL_ARRAY(int64_t, NPY_INT64)
CSM_PY_OPTIONAL_ARRAY(double, NPY_DOUBLE)

%nothread csm_py_error_text;
%inline %{
/* The csm_error text the library writes for (code, row, field, msg):
 * csmetrics._errors words the errors the Python layer finds itself with
 * it, so the format lives in C only.  row: CSM_NO_ROW for none. */
PyObject *csm_py_error_text(int code, size_t row, const char *field,
                            const char *msg) {
    csm_error e;
    csm_error_set(&e, (csm_status)code, row, field, msg);
    return PyUnicode_FromString(e.text);
}
%}

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
