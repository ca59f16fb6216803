/** @file
 * csmetrics/partial.h - mergeable partial results: the state of a family's
 * computation on one partition of the customers, merged with the states of
 * the other partitions and finalized into the table the one-shot call
 * gives on all the customers (docs/scaling.md).
 *
 * A family that can be computed by partition declares two functions next
 * to its one-shot call, csm_FAMILY_partial_compute (a ledger, or the
 * family's inputs, and the options -> a csm_partial) and
 * csm_FAMILY_partial_finalize (a csm_partial -> the family's table); the
 * families: movements.h (CSM_PARTIAL_MOVEMENTS), retention.h
 * (CSM_PARTIAL_RETENTION), cohorts.h (CSM_PARTIAL_COHORTS), nps.h, csat.h
 * and ces.h (CSM_PARTIAL_NPS, _CSAT, _CES: survey responses rather than a
 * ledger; group codes as keys, scores as ages), lifetimes.h
 * (CSM_PARTIAL_LIFETIMES: Kaplan-Meier counts by time), activity.h
 * (CSM_PARTIAL_ACTIVITY: activity rows; group keys as keys).  The states of one
 * family computed with the same options merge with csm_partial_merge, in
 * any order and grouping; they travel between processes as bytes
 * (csm_partial_serialize / csm_partial_deserialize).
 *
 * What a state holds: for each (month, key) bucket of the family (the key
 * is the segment id with by_segment; cohorts: one cell a bucket per age,
 * the month being the cohort month; surveys: the group code, one cell per
 * score) its amounts as compensated sums (a sum and its running error
 * term, both kept through merges, so a merged figure is the compensated
 * sum of all the customers' amounts) and its counts (customers, runs,
 * responses or accounts; the survey states hold counts only); plus the
 * options and the month range of the data.  It holds no customer ids: the partitions must not share a customer (every
 * row of a customer in one partition).  A customer split across
 * partitions is not detected; it counts as one customer in each partition
 * (docs/scaling.md, "A customer in two partitions").
 *
 * Threads: a csm_partial is an ordinary value: distinct states may be
 * computed, merged and finalized from different threads at once; one
 * state must not be merged into while another thread reads it.  No
 * global state.
 */
#ifndef CSMETRICS_PARTIAL_H
#define CSMETRICS_PARTIAL_H

#include "csmetrics/common.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct csm_partial csm_partial; /**< opaque partial state */

/** The family a partial state belongs to (csm_partial_kind). */
typedef enum csm_partial_kind {
    CSM_PARTIAL_MOVEMENTS = 1, /**< csm_movements_partial_compute */
    CSM_PARTIAL_RETENTION = 2, /**< csm_retention_partial_compute */
    CSM_PARTIAL_COHORTS = 3,   /**< csm_cohorts_partial_compute */
    CSM_PARTIAL_NPS = 4,       /**< csm_nps_partial_compute */
    CSM_PARTIAL_CSAT = 5,      /**< csm_csat_partial_compute */
    CSM_PARTIAL_CES = 6,       /**< csm_ces_partial_compute */
    CSM_PARTIAL_LIFETIMES = 7, /**< csm_lifetimes_partial_compute (KM) */
    CSM_PARTIAL_ACTIVITY = 8   /**< csm_activity_partial_compute */
} csm_partial_kind;

/** The csm_partial_kind of a state (0 for NULL). */
CSM_API int csm_partial_kind_of(const csm_partial *partial);

/**
 * Merge the state `from` into `into`: afterwards `into` is the state of
 * the union of both partitions' customers (`from` is only read; it may
 * then be freed).  Merging is commutative and associative up to the
 * rounding of the compensated sums (far below 1e-12 relative), and exact
 * for counts.  Both states must be of one family computed with the same
 * options.  Errors: CSM_EINVAL (a NULL state, or into == from; states of
 * different families: field "kind"; different options: field "opts"),
 * CSM_ERANGE (field "from": a merged count would pass 2^40, a sum of a
 * ledger family would overflow, or the merged months would span over
 * 240,002), CSM_ENOMEM; on failure into is unchanged.
 */
CSM_API CSM_NODISCARD csm_status csm_partial_merge(csm_partial *into,
                                                   const csm_partial *from,
                                                   csm_error *err);

/** Free a partial state (NULL is allowed). */
CSM_API void csm_partial_free(csm_partial *partial);

/** The bytes csm_partial_serialize writes for `partial` (0 for NULL). */
CSM_API size_t csm_partial_serialized_size(const csm_partial *partial);

/**
 * Write `partial` as bytes into buf (cap bytes; needs
 * csm_partial_serialized_size(partial)), for another process to read back
 * with csm_partial_deserialize.  The format is that of this library
 * version on a machine of the same byte order (a check word detects the
 * other order).  *written (may be NULL) gets the bytes written.  Errors:
 * CSM_EINVAL (partial or buf NULL), CSM_ERANGE (cap too small: field
 * "cap"); nothing allocated.
 */
CSM_API CSM_NODISCARD csm_status csm_partial_serialize(
    void *buf, size_t cap, size_t *written, const csm_partial *partial,
    csm_error *err);

/**
 * Read a state written by csm_partial_serialize from len bytes at buf.
 * allocator (NULL = malloc/free) allocates the state and the tables
 * finalized from it.  The bytes may come from anywhere: before allocating,
 * the header is checked against its family's shape (one table for every
 * family: sums and counts a bucket, keyed or not as the family's options
 * say, ages, months, the survey's scale, the options it has, its data
 * months; movements' and retention's grid covering the months of the
 * range their finalize reads), then the keys (ascending; int32 ids where the family's are),
 * the counts (0 .. 2^40) and the ledger families' sums (finite), so that
 * every finalize reads a state its compute could have made.  Errors:
 * CSM_EINVAL (out or buf NULL; bytes not of this format or byte order, or
 * of the wrong length: field "buf"; a header field, key, count or sum
 * against the family's rules: field "buf.F", F that field, e.g.
 * "buf.keyed", "buf.n_ages", "buf.counts"), CSM_ENOMEM.  On failure *out
 * is NULL.
 */
CSM_API CSM_NODISCARD csm_status csm_partial_deserialize(
    csm_partial **out, const void *buf, size_t len,
    const csm_allocator *allocator, csm_error *err);

#ifdef __cplusplus
}
#endif

#endif /* CSMETRICS_PARTIAL_H */
