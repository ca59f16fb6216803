/** @file
 * csmetrics/keys.h - the key dictionary: the user's ids and labels as they
 * come in real exports ("cus_N1a...", 18-character CRM ids, UUIDs,
 * "Mid-Market") turned into the dense integer ids the families take, and
 * the labels given back for result rows.
 *
 * Data flow: labels (every file's customer column, say) -> csm_keys_add
 * (any number of calls) -> csm_keys_finish (ids assigned) ->
 * csm_keys_lookup (labels -> ids, to fill a family's id column) ->
 * computations -> csm_keys_label (ids in result rows -> labels).
 *
 * Ids.  After csm_keys_finish, the n distinct labels have the ids 0..n-1
 * in label order: the rank of the label, so the ids depend only on the set
 * of labels, never on the order of rows or calls.  Label order is byte
 * order (memcmp; a label that is a prefix of another comes first), except
 * when every label is a canonical decimal integer (an optional '-', then
 * "0" or 1 to 18 digits without a leading zero): then labels are ordered as
 * numbers, so files with integer ids keep their natural order
 * (csm_keys_numeric tells which order is in use).
 *
 * Missing labels.  A NULL label or an empty one (length 0) is "no label":
 * it is never added, and looks up as CSM_KEYS_NONE (-1); hosts map it to
 * what the family means by none (an unassigned owner, say).
 *
 * Labels are byte strings compared exactly (no case folding, no Unicode
 * normalization, no trimming; a NUL byte is not allowed inside a label
 * given with a length).  They are not checked for UTF-8: hosts that
 * promise UTF-8 output check their input.
 *
 * Memory: each distinct label is copied once (its bytes + 1) plus 24 bytes
 * of index; the hash table has at most 4 bytes x 4 slots per label.
 * Hashing: a 64-bit multiplicative hash of the label's bytes (8 at a time)
 * with linear probing at a load of at most 1/2; the hash decides no id,
 * only where a label is stored.
 *
 * Threads: a finished dictionary is immutable; any number of threads may
 * look up and read labels at once.  Adding is not thread-safe.  No global
 * state.
 */
#ifndef CSMETRICS_KEYS_H
#define CSMETRICS_KEYS_H

#include "csmetrics/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The id of a missing (NULL or empty) label. */
#define CSM_KEYS_NONE (-1)
/** Function twin of CSM_KEYS_NONE (-1), for bindings. */
CSM_API int32_t csm_keys_none(void);

/** The largest number of distinct labels a dictionary holds (ids fit an
 * int32, with INT32_MIN free for CSM_CODE_ALL). */
#define CSM_KEYS_MAX 2147483646

typedef struct csm_keys csm_keys; /**< opaque: a key dictionary */

/** Options of csm_keys_new and csm_keys_encode; fill the defaults with the
 * _INIT macro or the _opts_init function. */
typedef struct csm_keys_opts {
    size_t size; /**< sizeof the struct as the caller knows it */
    /** Optional allocator for the dictionary (copied; NULL = malloc). */
    const csm_allocator *allocator;
} csm_keys_opts;

/** Initialiser of every option at its default (size = sizeof the struct). */
#define CSM_KEYS_OPTS_INIT {sizeof(csm_keys_opts), NULL}
/** Set *opts (size bytes of it) to the defaults; CSM_EINVAL if opts is
 * NULL or size < sizeof(size_t). */
CSM_API CSM_NODISCARD csm_status csm_keys_opts_init(csm_keys_opts *opts,
                                                    size_t size);

/**
 * A new, empty dictionary that accepts labels (csm_keys_add).
 * Errors: CSM_EINVAL (out NULL, bad opts or allocator), CSM_ENOMEM.
 * On failure *out is NULL.
 */
CSM_API CSM_NODISCARD csm_status csm_keys_new(csm_keys **out,
                                              const csm_keys_opts *opts,
                                              csm_error *err);

/**
 * Add n labels (duplicates and labels already present are kept once).
 * labels[i] is label i; lengths[i] its length in bytes, or, with lengths
 * NULL, the label is NUL-terminated.  NULL and empty labels are skipped
 * (they are "no label").
 *
 * Errors: CSM_EINVAL (keys NULL, labels NULL while n > 0, the dictionary
 * already finished), CSM_EDOMAIN (a label with a NUL byte inside its
 * length: row i, field "labels"), CSM_ERANGE (more than CSM_KEYS_MAX
 * distinct labels, or a label longer than 2^31-1 bytes: row i),
 * CSM_ENOMEM.  On failure the dictionary keeps the labels added before
 * row i and may still be used.
 */
CSM_API CSM_NODISCARD csm_status csm_keys_add(csm_keys *keys,
                                              const char *const *labels,
                                              const size_t *lengths, size_t n,
                                              csm_error *err);

/**
 * Assign the ids: each distinct label gets its rank in label order (see
 * the file comment), 0..count-1.  After it the dictionary is immutable:
 * csm_keys_add fails and csm_keys_lookup / csm_keys_label work.  Calling
 * it again does nothing.  Errors: CSM_EINVAL (keys NULL), CSM_ENOMEM.
 */
CSM_API CSM_NODISCARD csm_status csm_keys_finish(csm_keys *keys,
                                                 csm_error *err);

/**
 * The ids of n labels (given as in csm_keys_add) in ids[0..n-1]: the
 * label's id, or CSM_KEYS_NONE for a NULL or empty label.
 * Errors: CSM_EINVAL (keys, ids or labels NULL while n > 0, dictionary not
 * finished), CSM_ENOTFOUND (a label not in the dictionary: row i, field
 * "labels"; ids before i are filled), CSM_EDOMAIN (a NUL byte inside a
 * label's length: row i).
 */
CSM_API CSM_NODISCARD csm_status csm_keys_lookup(const csm_keys *keys,
                                                 int64_t *ids,
                                                 const char *const *labels,
                                                 const size_t *lengths,
                                                 size_t n, csm_error *err);
/** csm_keys_lookup into int32 ids (the type of segment, owner and group
 * codes); every id fits (CSM_KEYS_MAX).  Same errors. */
CSM_API CSM_NODISCARD csm_status csm_keys_lookup_i32(const csm_keys *keys,
                                                     int32_t *ids,
                                                     const char *const *labels,
                                                     const size_t *lengths,
                                                     size_t n, csm_error *err);

/**
 * Build, finish and look up in one call: *out = the dictionary of the n
 * labels, ids[i] = the id of labels[i] (CSM_KEYS_NONE for a missing one).
 * Errors as csm_keys_new, csm_keys_add and csm_keys_finish; on failure
 * *out is NULL.
 */
CSM_API CSM_NODISCARD csm_status csm_keys_encode(csm_keys **out, int64_t *ids,
                                                 const char *const *labels,
                                                 const size_t *lengths,
                                                 size_t n,
                                                 const csm_keys_opts *opts,
                                                 csm_error *err);

/** The number of distinct labels (0 for NULL). */
CSM_API size_t csm_keys_count(const csm_keys *keys);
/** 1 when the dictionary is finished and orders its labels as integers
 * (every label a canonical decimal integer), else 0. */
CSM_API int csm_keys_numeric(const csm_keys *keys);

/**
 * The label of id (NUL-terminated, owned by the dictionary, valid until it
 * is freed), its length in *length when length is not NULL.  NULL (length
 * 0) when keys is NULL or not finished, or id is not in 0..count-1 (so
 * CSM_KEYS_NONE and CSM_CODE_ALL have no label here: a result column's
 * undefined value has its label in csm_column.null_label).
 */
CSM_API const char *csm_keys_label(const csm_keys *keys, int64_t id,
                                   size_t *length);

/** The id of one label (length bytes, or NUL-terminated when length is
 * (size_t)-1): CSM_KEYS_NONE when it is missing, not in the dictionary, or
 * the dictionary is not finished. */
CSM_API int64_t csm_keys_find(const csm_keys *keys, const char *label,
                              size_t length);

/** Free a dictionary (NULL is allowed). */
CSM_API void csm_keys_free(csm_keys *keys);

#ifdef __cplusplus
}
#endif

#endif /* CSMETRICS_KEYS_H */
