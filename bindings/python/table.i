/*
 * table.i - result tables (csmetrics/table.h) in Python.
 *
 * Every family's result goes through one generic conversion, csm_py_result:
 * per table its name and per column its name, type, role, doc and a numpy
 * array viewing the C data (no copy; the arrays keep the result alive
 * through a capsule); csmetrics/_table.py turns that into csmetrics.Table
 * and DataFrames.  Value results (an NPS, an LTV, an sBG fit) go through it
 * too, as the one-table results of csm_<name>_table (CSM_PY_VALUE_TABLE).
 * No column name is written in the bindings: they all come from the C
 * declarations.  The Arrow PyCapsule interface of a Table is
 * csm_table_export_arrow's (csm_py_arrow_schema / _array / _stream).
 */

%{
/* ---- self-describing results (csmetrics/table.h) ------------------------ */
/* A converted result holds one csm_result reference in a PyCapsule of this
 * name; every numeric column array has that capsule as its numpy base, so
 * the block is released (csm_result_free) when the capsule, the arrays and
 * the DataFrames built on them are all gone. */
#define CSM_PY_RESULT_CAPSULE "csmetrics.result"

static void csm_py_result_capsule_free(PyObject *cap) {
    csm_result_free(
        (csm_result *)PyCapsule_GetPointer(cap, CSM_PY_RESULT_CAPSULE));
}

/* numpy type of a storage type (-1 for text and unknown storages). */
static int csm_py_npy_type(csm_storage s) {
    switch (s) {
    case CSM_STORAGE_I32: return NPY_INT32;
    case CSM_STORAGE_I64: return NPY_INT64;
    case CSM_STORAGE_U32: return NPY_UINT32;
    case CSM_STORAGE_F64: return NPY_DOUBLE;
    case CSM_STORAGE_U8: return NPY_UINT8;
    default: return -1;
    }
}

/* Column c (n rows) as a 1-D ndarray.  Numeric storages: a view of the C
 * data (no copy, writable like any DataFrame column) whose base is `cap`.
 * Text: an object array of str (UTF-8 decoded, invalid bytes replaced) and
 * None for NULL. */
static PyObject *csm_py_column_array(const csm_column *c, size_t n,
                                     PyObject *cap) {
    npy_intp dims[1];
    PyObject *a;
    int type = csm_py_npy_type(c->storage);
    dims[0] = (npy_intp)n;
    if (c->storage == CSM_STORAGE_STR) {
        const char *const *s = (const char *const *)c->data;
        PyObject **items;
        size_t i;
        a = PyArray_ZEROS(1, dims, NPY_OBJECT, 0); /* NULL items */
        if (!a)
            return NULL;
        items = (PyObject **)PyArray_DATA((PyArrayObject *)a);
        for (i = 0; i < n; i++) {
            PyObject *v;
            if (s[i]) {
                v = PyUnicode_DecodeUTF8(s[i], (Py_ssize_t)strlen(s[i]),
                                         "replace");
                if (!v) {
                    Py_DECREF(a); /* numpy skips the NULL items left */
                    return NULL;
                }
            } else {
                Py_INCREF(Py_None);
                v = Py_None;
            }
            items[i] = v;
        }
        return a;
    }
    if (type < 0) {
        PyErr_Format(PyExc_TypeError, "column '%s': unknown storage %d",
                     c->name, (int)c->storage);
        return NULL;
    }
    if (!c->data) /* numpy would allocate memory of its own for NULL */
        return n ? PyErr_Format(PyExc_SystemError, "column '%s' has no data",
                                c->name)
                 : PyArray_SimpleNew(1, dims, type);
    a = PyArray_New(&PyArray_Type, 1, dims, type, NULL, (void *)c->data, 0,
                    NPY_ARRAY_CARRAY, NULL);
    if (!a)
        return NULL;
    Py_INCREF(cap);
    if (PyArray_SetBaseObject((PyArrayObject *)a, cap) < 0) { /* steals cap */
        Py_DECREF(a);
        return NULL;
    }
    return a;
}

/* Table t of a result as {"name": str, "n_rows": int, "columns": [(name,
 * type name, role name, doc, storage name, ndarray, null label or None),
 * ...]}. */
static PyObject *csm_py_table_object(const csm_table *t, PyObject *cap) {
    PyObject *cols = PyList_New((Py_ssize_t)t->n_columns);
    size_t i;
    if (!cols)
        return NULL;
    for (i = 0; i < t->n_columns; i++) {
        const csm_column *c = &t->columns[i];
        PyObject *a = csm_py_column_array(c, t->n_rows, cap), *item;
        if (!a) {
            Py_DECREF(cols);
            return NULL;
        }
        item = Py_BuildValue("(sssssNz)", c->name, csm_type_name(c->type),
                             csm_role_name(c->role), c->doc ? c->doc : "",
                             csm_storage_name(c->storage), a, c->null_label);
        if (!item) {
            Py_DECREF(cols);
            return NULL;
        }
        PyList_SET_ITEM(cols, (Py_ssize_t)i, item);
    }
    return Py_BuildValue("{s:s,s:n,s:N}", "name", t->name, "n_rows",
                         (Py_ssize_t)t->n_rows, "columns", cols);
}

/*
 * The generic conversion of a family's result for the Python package
 * (csmetrics/_table.py builds Tables and DataFrames from it):
 *   {"kind": csm_result_kind(r), "result": <capsule "csmetrics.result">,
 *    "tables": [table object (above), ...]}  (the result's tables in order).
 * Takes over the caller's reference to r: it is held by the capsule, or
 * released here on failure (NULL with a Python exception).  A SWIG method
 * computes with the GIL released, then returns csm_py_result(x->result).
 */
static PyObject *csm_py_result(csm_result *r) {
    PyObject *cap, *tables, *out;
    size_t i, n;
    if (!r) {
        PyErr_SetString(PyExc_SystemError, "csm_py_result: no result");
        return NULL;
    }
    cap = PyCapsule_New(r, CSM_PY_RESULT_CAPSULE, csm_py_result_capsule_free);
    if (!cap) {
        csm_result_free(r);
        return NULL;
    }
    n = csm_result_n_tables(r);
    tables = PyList_New((Py_ssize_t)n);
    if (!tables) {
        Py_DECREF(cap);
        return NULL;
    }
    for (i = 0; i < n; i++) {
        PyObject *t = csm_py_table_object(csm_result_table(r, i), cap);
        if (!t) {
            Py_DECREF(tables);
            Py_DECREF(cap);
            return NULL;
        }
        PyList_SET_ITEM(tables, (Py_ssize_t)i, t);
    }
    out = Py_BuildValue("{s:s,s:O,s:N}", "kind", csm_result_kind(r), "result",
                        cap, "tables", tables);
    Py_DECREF(cap);
    return out;
}

/* ---- Arrow PyCapsule interface ------------------------------------------ */
/* Capsules "arrow_schema" / "arrow_array" own a PyMem-allocated struct; the
 * destructor calls its release callback unless a consumer has moved it out
 * (release set to NULL), then frees the struct.  The name is read back
 * with PyCapsule_GetName so a capsule a consumer renamed is still freed. */
static void csm_py_schema_capsule_free(PyObject *cap) {
    struct ArrowSchema *s =
        (struct ArrowSchema *)PyCapsule_GetPointer(cap, PyCapsule_GetName(cap));
    if (!s)
        return;
    if (s->release)
        s->release(s);
    PyMem_Free(s);
}

static void csm_py_array_capsule_free(PyObject *cap) {
    struct ArrowArray *a =
        (struct ArrowArray *)PyCapsule_GetPointer(cap, PyCapsule_GetName(cap));
    if (!a)
        return;
    if (a->release)
        a->release(a);
    PyMem_Free(a);
}

/* Export table `table` of the result held by `result` (a "csmetrics.result"
 * capsule) with csm_table_export_arrow: the schema capsule, or with
 * with_array the tuple (schema capsule, array capsule).  The export holds
 * references of its own to the result. */
static PyObject *csm_py_arrow_export(PyObject *result, size_t table,
                                     int with_array) {
    csm_result *r;
    const csm_table *t;
    struct ArrowSchema *s;
    struct ArrowArray *a = NULL;
    PyObject *sc, *ac;
    csm_error e;
    csm_status st;
    r = (csm_result *)PyCapsule_GetPointer(result, CSM_PY_RESULT_CAPSULE);
    if (!r)
        return NULL;
    t = csm_result_table(r, table);
    if (!t) {
        PyErr_Format(PyExc_IndexError, "the result has no table %zu", table);
        return NULL;
    }
    s = (struct ArrowSchema *)PyMem_Malloc(sizeof *s);
    if (with_array)
        a = (struct ArrowArray *)PyMem_Malloc(sizeof *a);
    if (!s || (with_array && !a)) {
        PyMem_Free(s);
        PyMem_Free(a);
        return PyErr_NoMemory();
    }
    csm_error_clear(&e);
    st = csm_table_export_arrow(s, a, r, t, &e);
    if (st != CSM_OK) {
        PyMem_Free(s);
        PyMem_Free(a);
        csm_py_raise(st, &e);
        return NULL;
    }
    sc = PyCapsule_New(s, "arrow_schema", csm_py_schema_capsule_free);
    if (!sc) {
        s->release(s);
        PyMem_Free(s);
        if (a) {
            a->release(a);
            PyMem_Free(a);
        }
        return NULL;
    }
    if (!with_array)
        return sc;
    ac = PyCapsule_New(a, "arrow_array", csm_py_array_capsule_free);
    if (!ac) {
        Py_DECREF(sc);
        a->release(a);
        PyMem_Free(a);
        return NULL;
    }
    return Py_BuildValue("(NN)", sc, ac);
}

/* ---- Arrow C stream interface ------------------------------------------- */
/* The struct exactly as the Arrow specification declares it, guarded like
 * Arrow's own header. */
#ifndef ARROW_C_STREAM_INTERFACE
#define ARROW_C_STREAM_INTERFACE
struct ArrowArrayStream {
    int (*get_schema)(struct ArrowArrayStream *, struct ArrowSchema *out);
    int (*get_next)(struct ArrowArrayStream *, struct ArrowArray *out);
    const char *(*get_last_error)(struct ArrowArrayStream *);
    void (*release)(struct ArrowArrayStream *);
    void *private_data;
};
#endif

/* A stream of one batch: the table's struct array.  The stream holds its
 * own reference to the result (csm_result_ref), so get_schema can export
 * fresh schemas from r and t for as long as the stream lives; `batch` is
 * handed out by the first get_next.  Everything is malloc'd: the consumer
 * may release the stream on any thread, without the GIL. */
typedef struct csm_py_stream {
    csm_result *r; /* one reference, released with the stream */
    const csm_table *t;
    struct ArrowArray batch; /* release NULL once handed out */
    char error[CSM_ERROR_TEXT_MAX];
} csm_py_stream;

static int csm_py_stream_get_schema(struct ArrowArrayStream *st,
                                    struct ArrowSchema *out) {
    csm_py_stream *p = (csm_py_stream *)st->private_data;
    csm_error e;
    csm_error_clear(&e);
    if (csm_table_export_arrow(out, NULL, p->r, p->t, &e) != CSM_OK) {
        snprintf(p->error, sizeof p->error, "%s", e.text);
        return e.code == CSM_ENOMEM ? ENOMEM : EINVAL;
    }
    return 0;
}

static int csm_py_stream_get_next(struct ArrowArrayStream *st,
                                  struct ArrowArray *out) {
    csm_py_stream *p = (csm_py_stream *)st->private_data;
    *out = p->batch; /* after the batch: release NULL, the end */
    p->batch.release = NULL;
    return 0;
}

static const char *csm_py_stream_last_error(struct ArrowArrayStream *st) {
    csm_py_stream *p = (csm_py_stream *)st->private_data;
    return p->error[0] ? p->error : NULL;
}

static void csm_py_stream_release(struct ArrowArrayStream *st) {
    csm_py_stream *p = (csm_py_stream *)st->private_data;
    if (p->batch.release)
        p->batch.release(&p->batch);
    csm_result_free(p->r);
    free(p);
    st->release = NULL;
}

static void csm_py_stream_capsule_free(PyObject *cap) {
    struct ArrowArrayStream *st = (struct ArrowArrayStream *)PyCapsule_GetPointer(
        cap, PyCapsule_GetName(cap));
    if (!st)
        return;
    if (st->release)
        st->release(st);
    PyMem_Free(st);
}

/* The "arrow_array_stream" capsule of table `table` of the result held by
 * `result` (a "csmetrics.result" capsule). */
static PyObject *csm_py_arrow_stream_export(PyObject *result, size_t table) {
    csm_result *r;
    const csm_table *t;
    struct ArrowArrayStream *st;
    csm_py_stream *p;
    PyObject *cap;
    csm_error e;
    csm_status rc;
    r = (csm_result *)PyCapsule_GetPointer(result, CSM_PY_RESULT_CAPSULE);
    if (!r)
        return NULL;
    t = csm_result_table(r, table);
    if (!t) {
        PyErr_Format(PyExc_IndexError, "the result has no table %zu", table);
        return NULL;
    }
    st = (struct ArrowArrayStream *)PyMem_Malloc(sizeof *st);
    p = (csm_py_stream *)calloc(1, sizeof *p);
    if (!st || !p) {
        PyMem_Free(st);
        free(p);
        return PyErr_NoMemory();
    }
    csm_error_clear(&e);
    rc = csm_table_export_arrow(NULL, &p->batch, r, t, &e);
    if (rc != CSM_OK) {
        PyMem_Free(st);
        free(p);
        csm_py_raise(rc, &e);
        return NULL;
    }
    p->r = csm_result_ref(r);
    p->t = t;
    st->get_schema = csm_py_stream_get_schema;
    st->get_next = csm_py_stream_get_next;
    st->get_last_error = csm_py_stream_last_error;
    st->release = csm_py_stream_release;
    st->private_data = p;
    cap = PyCapsule_New(st, "arrow_array_stream", csm_py_stream_capsule_free);
    if (!cap) {
        st->release(st);
        PyMem_Free(st);
    }
    return cap;
}

/* ---- value results as tables -------------------------------------------- */
/* The scalar families (nps.h, ltv.h, the sBG fit) compute plain structs of
 * values, whose fields are declared as columns; csm_<name>_table copies n
 * of them into a one-table result.  csm_py_value_table does that for a
 * Python sequence of SWIG-wrapped structs of type `ty` (`size` bytes each)
 * with the optional group codes (NULL: none), through `make` (an adapter
 * around csm_<name>_table), and returns the generic conversion of the
 * result. */
typedef csm_status (*csm_py_make_table)(csm_result **out, const void *rows,
                                        const int32_t *group, size_t n,
                                        csm_error *err);

static PyObject *csm_py_value_table(PyObject *rows, const int32_t *group,
                                    size_t n_group, swig_type_info *ty,
                                    size_t size, csm_py_make_table make) {
    PyObject *seq;
    Py_ssize_t n, i;
    char *buf;
    csm_result *r = NULL;
    csm_error e;
    csm_status st;
    seq = PySequence_Fast(rows, "rows must be a sequence of results");
    if (!seq)
        return NULL;
    n = PySequence_Fast_GET_SIZE(seq);
    csm_error_clear(&e);
    st = CSM_PY_SAME_LENGTHS(&e, (size_t)n, CSM_PY_OPT(group, n_group, "group"));
    if (st != CSM_OK) {
        Py_DECREF(seq);
        csm_py_raise(st, &e);
        return NULL;
    }
    buf = (char *)malloc(n ? (size_t)n * size : 1);
    if (!buf) {
        Py_DECREF(seq);
        return PyErr_NoMemory();
    }
    for (i = 0; i < n; i++) {
        void *p = NULL;
        if (!SWIG_IsOK(SWIG_ConvertPtr(PySequence_Fast_GET_ITEM(seq, i), &p, ty,
                                       0)) || !p) {
            PyErr_Format(PyExc_TypeError, "row %zd is not a %s", i, ty->str);
            free(buf);
            Py_DECREF(seq);
            return NULL;
        }
        memcpy(buf + (size_t)i * size, p, size);
    }
    Py_DECREF(seq);
    st = make(&r, buf, group, (size_t)n, &e);
    free(buf);
    if (st != CSM_OK) {
        csm_py_raise(st, &e);
        return NULL;
    }
    return csm_py_result(r);
}
%}

/* csm_py_<NAME>_table(rows, group=None): the value results `rows`
 * (SWIG-wrapped STRUCTs) as the one-table result of TABLEFN
 * (csm_<name>_table(out, rows, group, n, alloc, err), whose typed view is
 * RESULTS), converted by csm_py_result. */
/* csm_result_opts: the allocator of a result built from plain values; Python
 * passes None (malloc/free) or the struct without its allocator */
CSM_PY_OPTS(csm_result_opts, csm_result_opts_init)
%ignore csm_result_opts::allocator;
%ignore csm_result_opts_init;

%define CSM_PY_VALUE_TABLE(NAME, STRUCT, RESULTS, TABLEFN)
%{
static csm_status csm_py_make_##NAME(csm_result **out, const void *rows,
                                     const int32_t *group, size_t n,
                                     csm_error *err) {
    RESULTS *t = NULL;
    csm_status st = TABLEFN(&t, (const STRUCT *)rows, group, n, NULL, err);
    *out = st == CSM_OK ? t->result : NULL;
    return st;
}
%}
%nothread csm_py_##NAME##_table;
%inline %{
PyObject *csm_py_##NAME##_table(PyObject *rows, const int32_t *group,
                                size_t n_group) {
    return csm_py_value_table(rows, group, n_group, SWIGTYPE_p_##STRUCT,
                              sizeof(STRUCT), csm_py_make_##NAME);
}
%}
%enddef
%apply (const int32_t *OPTIONAL, size_t DIM1) { (const int32_t *group, size_t n_group) };

/* The X-macro helpers are needed by the family headers, and the type,
 * storage and role names and csm_code_all are wrapped; the tables
 * themselves reach Python through csm_py_result and their Arrow export
 * through csm_py_arrow_*, so the functions taking raw result, table or
 * column pointers are not. */
%ignore ArrowSchema;
%ignore ArrowArray;
%ignore csm_table;
%ignore csm_column;
%ignore csm_result_n_tables;
%ignore csm_result_table;
%ignore csm_result_find;
%ignore csm_result_kind;
%ignore csm_result_view;
%ignore csm_result_free;
%ignore csm_result_ref;
%ignore csm_table_find;
%ignore csm_column_double;
%ignore csm_column_int64;
%ignore csm_column_is_valid;
%ignore csm_table_export_arrow;
/* csm_metric's table (declared in table.h): csm_py_metric_table (ltv.i) */
%ignore csm_metric_results;
%ignore csm_metric_table;
%ignore csm_metric_results_free;
%include "csmetrics/table.h"

%nothread csm_py_arrow_schema;
%nothread csm_py_arrow_array;
%nothread csm_py_arrow_stream;

%inline %{
/* The Arrow PyCapsule interface of table `table` of a converted result
 * (`result` is its "csmetrics.result" capsule): the "arrow_schema" capsule,
 * and the ("arrow_schema", "arrow_array") tuple, for csmetrics.Table's
 * __arrow_c_schema__ and __arrow_c_array__ (and the stream capsule for
 * __arrow_c_stream__).  Internal; not public API. */
PyObject *csm_py_arrow_schema(PyObject *result, size_t table) {
    return csm_py_arrow_export(result, table, 0);
}
PyObject *csm_py_arrow_array(PyObject *result, size_t table) {
    return csm_py_arrow_export(result, table, 1);
}
/* __arrow_c_stream__: an "arrow_array_stream" capsule (one batch). */
PyObject *csm_py_arrow_stream(PyObject *result, size_t table) {
    return csm_py_arrow_stream_export(result, table);
}
%}

/* ---- a computed result passed back to C ----------------------------------- */
/* `const TYPE *NAME` from the "csmetrics.result" capsule of a converted
 * result (csmetrics.Table's _conv["result"]) of kind KIND: its typed view
 * (csm_result_view).  The capsule keeps the result alive during the call. */
%define CSM_PY_VIEW(TYPE, NAME, KIND)
%typemap(in) const TYPE *NAME {
    csm_result *r = (csm_result *)PyCapsule_GetPointer($input, CSM_PY_RESULT_CAPSULE);
    if (!r)
        SWIG_fail;
    if (strcmp(csm_result_kind(r), KIND) != 0) {
        csm_py_fail(CSM_EINVAL, CSM_NO_ROW, NULL, "expected a \"" KIND "\" result");
        SWIG_fail;
    }
    $1 = (TYPE *)csm_result_view(r);
}
%enddef
