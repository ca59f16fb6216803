/*
 * keys.i - the key dictionary (csmetrics/keys.h).
 *
 * csm_keys is an opaque object owned by its Python object (freed by its
 * destructor).  Python hands the distinct labels over as one UTF-8 byte
 * array (uint8) and n + 1 offsets (label i is blob[offsets[i]:offsets[i+1]], as an
 * Arrow string column holds them): csm_py_keys_encode builds the pointer
 * and length arrays and calls csm_keys_encode, filling ids (n int64, in
 * place).  The package's csmetrics._keys turns any hashable values into
 * ids and back (labels are the user's own objects).
 */

CSM_PY_OPTS(csm_keys_opts, csm_keys_opts_init)
CSM_PY_OBJECT(csm_keys)

%ignore csm_keys_opts_init;
%ignore csm_keys_new;
%ignore csm_keys_add;
%ignore csm_keys_lookup;
%ignore csm_keys_lookup_i32;
%ignore csm_keys_encode; /* csm_py_keys_encode */
%ignore csm_keys_free;
%ignore CSM_KEYS_NONE;

/* The opaque dictionary: a SWIG-only (empty) definition to hang its
 * destructor on. */
%nodefaultctor csm_keys;
struct csm_keys {};
%extend csm_keys {
    ~csm_keys() { csm_keys_free($self); }
}

%include "csmetrics/keys.h"
%constant int32_t KEYS_NONE = CSM_KEYS_NONE;

%apply (uint8_t *IN_ARRAY1, size_t DIM1) { (const uint8_t *blob, size_t blob_len) };
%apply (int64_t *IN_ARRAY1, size_t DIM1) { (const int64_t *offsets, size_t n_offsets) };
%apply (int64_t *INPLACE_ARRAY1, size_t DIM1) { (int64_t *ids, size_t n_ids) };

%inline %{
csm_status csm_py_keys_encode(csm_keys **out, const uint8_t *blob,
                              size_t blob_len, const int64_t *offsets,
                              size_t n_offsets, int64_t *ids, size_t n_ids,
                              const csm_keys_opts *opts, csm_error *err) {
    size_t n = n_offsets ? n_offsets - 1 : 0;
    if (n_ids != n)
        return csm_error_set(err, CSM_EINVAL, CSM_NO_ROW, "ids",
                             "ids must have one element per label");
    for (size_t i = 0; i < n; i++)
        if (offsets[i] < 0 || offsets[i] > offsets[i + 1] ||
            (uint64_t)offsets[i + 1] > blob_len)
            return csm_error_set(err, CSM_EINVAL, i, "offsets",
                                 "offsets must rise within the labels");
    const char **lab = malloc((n ? n : 1) * sizeof *lab);
    size_t *len = malloc((n ? n : 1) * sizeof *len);
    csm_status st = CSM_ENOMEM;
    if (lab && len) {
        for (size_t i = 0; i < n; i++) {
            lab[i] = (const char *)blob + offsets[i];
            len[i] = (size_t)(offsets[i + 1] - offsets[i]);
        }
        st = csm_keys_encode(out, ids, lab, len, n, opts, err);
    } else {
        csm_error_set(err, st, CSM_NO_ROW, NULL, NULL);
    }
    free(lab);
    free(len);
    return st;
}
%}

%clear (const uint8_t *blob, size_t blob_len);
%clear (const int64_t *offsets, size_t n_offsets);
%clear (int64_t *ids, size_t n_ids);
