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

/* ---- rows dealt to customer partitions (the threaded Ledger) -------------- */
%apply (int64_t *IN_ARRAY1, size_t DIM1) { (const int64_t *pr_customer, size_t n) };
%apply (int32_t *IN_ARRAY1, size_t DIM1) { (const int32_t *pr_period, size_t n_period) };
%apply (double *IN_ARRAY1, size_t DIM1) { (const double *pr_mrr, size_t n_mrr) };
%apply (const int32_t *OPTIONAL, size_t DIM1) { (const int32_t *pr_segment, size_t n_segment) };
%apply (int64_t *INPLACE_ARRAY1, size_t DIM1) { (int64_t *out_customer, size_t n_oc) };
%apply (int32_t *INPLACE_ARRAY1, size_t DIM1) { (int32_t *out_period, size_t n_op) };
%apply (double *INPLACE_ARRAY1, size_t DIM1) { (double *out_mrr, size_t n_om) };
%apply (int32_t *OPTIONAL_INPLACE, size_t DIM1) { (int32_t *out_segment, size_t n_os) };
%apply (int64_t *INPLACE_ARRAY1, size_t DIM1) { (int64_t *offsets, size_t n_offsets) };

%inline %{
/* Deal n rows to n_offsets - 1 partitions by a multiplicative hash of the
 * customer id (the high 32 bits of id x 2^64/phi, modulo the partitions),
 * so every row of a customer lands in one partition: a counting pass,
 * then a stable scatter into the out_ arrays (n elements each; segment
 * only when given), partition k in rows [offsets[k], offsets[k+1]).  Runs
 * without the GIL.  CSM_EINVAL: lengths differ, or no partition. */
csm_status csm_py_partition_rows(const int64_t *pr_customer, size_t n,
                                 const int32_t *pr_period, size_t n_period,
                                 const double *pr_mrr, size_t n_mrr,
                                 const int32_t *pr_segment, size_t n_segment,
                                 int64_t *out_customer, size_t n_oc,
                                 int32_t *out_period, size_t n_op,
                                 double *out_mrr, size_t n_om,
                                 int32_t *out_segment, size_t n_os,
                                 int64_t *offsets, size_t n_offsets,
                                 csm_error *err) {
    csm_status st = CSM_PY_SAME_LENGTHS(
        err, n, CSM_PY_ARG(n_period, "period"), CSM_PY_ARG(n_mrr, "mrr"),
        CSM_PY_OPT(pr_segment, n_segment, "segment"),
        CSM_PY_ARG(n_oc, "out_customer"), CSM_PY_ARG(n_op, "out_period"),
        CSM_PY_ARG(n_om, "out_mrr"),
        CSM_PY_OPT(pr_segment, n_os, "out_segment"));
    if (st != CSM_OK)
        return st;
    if (n_offsets < 2 || (pr_segment && !out_segment))
        return csm_error_set(err, CSM_EINVAL, CSM_NO_ROW, "offsets",
                             "needs at least one partition (and out_segment with segment)");
    const uint64_t k = n_offsets - 1;
    memset(offsets, 0, n_offsets * sizeof *offsets);
    for (size_t i = 0; i < n; i++)
        offsets[1 + ((uint64_t)pr_customer[i] * 0x9E3779B97F4A7C15ull >> 32) % k]++;
    for (size_t p = 1; p <= k; p++)
        offsets[p] += offsets[p - 1];
    /* next free row of each partition: offsets[0..k) advanced, then
     * restored from the counts */
    for (size_t i = 0; i < n; i++) {
        size_t p = (size_t)(((uint64_t)pr_customer[i] * 0x9E3779B97F4A7C15ull >> 32) % k);
        size_t r = (size_t)offsets[p]++;
        out_customer[r] = pr_customer[i];
        out_period[r] = pr_period[i];
        out_mrr[r] = pr_mrr[i];
        if (pr_segment)
            out_segment[r] = pr_segment[i];
    }
    for (size_t p = k; p > 0; p--)
        offsets[p] = offsets[p - 1];
    offsets[0] = 0;
    return CSM_OK;
}
%}

%clear (const int64_t *pr_customer, size_t n);
%clear (const int32_t *pr_period, size_t n_period);
%clear (const double *pr_mrr, size_t n_mrr);
%clear (const int32_t *pr_segment, size_t n_segment);
%clear (int64_t *out_customer, size_t n_oc);
%clear (int32_t *out_period, size_t n_op);
%clear (double *out_mrr, size_t n_om);
%clear (int32_t *out_segment, size_t n_os);
%clear (int64_t *offsets, size_t n_offsets);
