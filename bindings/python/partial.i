/*
 * partial.i - mergeable partial results (csmetrics/partial.h): the opaque
 * csm_partial state (owned by its Python object, freed by its destructor),
 * csm_partial_merge, and the state as bytes and back (csm_py_partial_to_bytes,
 * csm_py_partial_from_bytes) for hosts that ship states between processes.
 * The families' csm_X_partial_compute / _finalize are wrapped with their
 * family (ledger.i for the movements).
 */

CSM_PY_OBJECT(csm_partial)

%ignore csm_partial_free;  /* the object's destructor */
%ignore csm_partial_serialize;
%ignore csm_partial_deserialize;
%ignore csm_partial_serialized_size;

%nodefaultctor csm_partial;
struct csm_partial {};
%extend csm_partial {
    ~csm_partial() { csm_partial_free($self); }
}

%include "csmetrics/partial.h"

%apply (uint8_t *IN_ARRAY1, size_t DIM1) { (const uint8_t *buf, size_t len) };

/* Builds a Python object: runs with the GIL held. */
%nothread csm_py_partial_to_bytes;
%inline %{
/* The state as bytes (csm_partial_serialize). */
PyObject *csm_py_partial_to_bytes(const csm_partial *partial) {
    size_t n = csm_partial_serialized_size(partial);
    if (!partial) {
        PyErr_SetString(PyExc_ValueError, "partial is None");
        return NULL;
    }
    PyObject *b = PyBytes_FromStringAndSize(NULL, (Py_ssize_t)n);
    if (!b)
        return NULL;
    csm_error e;
    csm_status st = csm_partial_serialize(PyBytes_AS_STRING(b), n, NULL,
                                          partial, &e);
    if (st != CSM_OK) {
        Py_DECREF(b);
        csm_py_raise(st, &e);
        return NULL;
    }
    return b;
}

/* A state from the bytes of csm_py_partial_to_bytes (a uint8 array). */
csm_status csm_py_partial_from_bytes(csm_partial **out,
                                     const uint8_t *buf, size_t len,
                                     csm_error *err) {
    return csm_partial_deserialize(out, buf, len, NULL, err);
}
%}

%clear (const uint8_t *buf, size_t len);

