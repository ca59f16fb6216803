/*
 * ledger.i - the MRR ledger (csmetrics/ledger.h): building from rows or
 * contracts, and the movements, retention and cohort tables.
 *
 * csm_ledger is an opaque object owned by its Python object (freed by its
 * destructor).  csm_ledger_from_contracts (contracts are a dict of
 * columns, CSM_PY_COLUMNS), the size accessors, csm_movements_compute /
 * csm_retention_compute and their drill-downs
 * csm_movements_events_compute / csm_retention_customers_compute are
 * wrapped directly; csm_ledger_new (rows
 * sharing one length) and csm_cohorts_compute / _partial_compute (key
 * arrays that go into the options) through shims.  Results come back as their generic conversion
 * (csm_py_result: zero-copy column arrays over the C block).
 */

CSM_PY_OPTS(csm_ledger_opts, csm_ledger_opts_init)
CSM_PY_OPTS(csm_contracts_opts, csm_contracts_opts_init)
CSM_PY_OPTS(csm_movements_opts, csm_movements_opts_init)
CSM_PY_OPTS(csm_retention_opts, csm_retention_opts_init)
CSM_PY_OPTS(csm_cohorts_opts, csm_cohorts_opts_init)

CSM_PY_OBJECT(csm_ledger)
CSM_PY_TABLE(csm_ledger_month)
CSM_PY_TABLE(csm_movements)
CSM_PY_TABLE(csm_movements_events)
CSM_PY_TABLE(csm_retention)
CSM_PY_TABLE(csm_retention_customers)
CSM_PY_TABLE(csm_cohorts)

%{
static const csm_py_column csm_py_contracts_spec[] = {
    CSM_PY_COLUMN(csm_contracts, customer_id, NPY_INT64),
    CSM_PY_COLUMN(csm_contracts, start_day, NPY_INT32),
    CSM_PY_COLUMN(csm_contracts, end_day, NPY_INT32),
    CSM_PY_COLUMN(csm_contracts, amount, NPY_DOUBLE),
    CSM_PY_COLUMN(csm_contracts, interval_count, NPY_INT32),
    CSM_PY_COLUMN(csm_contracts, interval_unit, NPY_UINT8),
    CSM_PY_COLUMN(csm_contracts, discount, NPY_DOUBLE),
    CSM_PY_COLUMN(csm_contracts, discount_recurring, NPY_UINT8),
    CSM_PY_COLUMN(csm_contracts, tax, NPY_DOUBLE),
    CSM_PY_COLUMN(csm_contracts, kind, NPY_UINT8),
    CSM_PY_COLUMN(csm_contracts, segment, NPY_INT32),
    CSM_PY_COLUMN(csm_contracts, channel, NPY_INT32),
    CSM_PY_COLUMN(csm_contracts, owner, NPY_INT32),
};
%}
CSM_PY_COLUMNS(csm_contracts, contracts, csm_py_contracts_spec)

/* Pointer members are set by the shims, not from Python. */
%ignore csm_ledger_opts::allocator;
%ignore csm_cohorts_opts::key_customer;
%ignore csm_cohorts_opts::key_month;
%ignore csm_cohorts_opts::n_keys;

%ignore csm_ledger_new; /* csm_py_ledger_new */
%ignore csm_ledger_new_partition; /* csm_py_ledger_new_partition */
%ignore csm_ledger_partition_rows; /* csm_py_ledger_partition_count, _deal */
%ignore csm_ledger_partition_count; /* csm_py_ledger_partition_count */
%ignore csm_ledger_partition_deal; /* csm_py_ledger_partition_deal */
%ignore csm_ledger_new_rows; /* csm_py_ledger_new_rows */
%ignore csm_ledger_free; /* the object's destructor */
%ignore csm_contracts;
%ignore csm_ledger_month;
%ignore csm_ledger_month_free;
%ignore csm_movements;
%ignore csm_movements_free;
%ignore csm_movements_events;
%ignore csm_movements_events_free;
%ignore csm_retention;
%ignore csm_retention_free;
%ignore csm_retention_customers;
%ignore csm_retention_customers_free;
%ignore csm_cohorts;
%ignore csm_cohorts_compute; /* csm_py_cohorts_compute */
%ignore csm_cohorts_partial_compute; /* csm_py_cohorts_partial_compute */
%ignore csm_cohorts_free;
%ignore csm_ledger_opts_init;
%ignore csm_contracts_opts_init;
%ignore csm_movements_opts_init;
%ignore csm_retention_opts_init;
%ignore csm_cohorts_opts_init;
%ignore CSM_MONTH_NONE;
%ignore CSM_CODE_ALL;

/* The opaque ledger: a SWIG-only (empty) definition to hang its
 * destructor on. */
%nodefaultctor csm_ledger;
struct csm_ledger {};
%extend csm_ledger {
    ~csm_ledger() { csm_ledger_free($self); }
}

%include "csmetrics/contracts.h"
%include "csmetrics/ledger.h"
%include "csmetrics/movements.h"
%include "csmetrics/retention.h"
%include "csmetrics/cohorts.h"

%constant int32_t MONTH_NONE = CSM_MONTH_NONE;
%constant int32_t SEGMENT_ALL = CSM_CODE_ALL;

%apply (int64_t *IN_ARRAY1, size_t DIM1) { (const int64_t *customer_id, size_t n) };
%apply (int32_t *IN_ARRAY1, size_t DIM1) { (const int32_t *period, size_t n_period) };
%apply (double *IN_ARRAY1, size_t DIM1) { (const double *mrr, size_t n_mrr) };
%apply (const int32_t *OPTIONAL, size_t DIM1) { (const int32_t *segment, size_t n_segment) };
%apply (uint32_t *IN_ARRAY1, size_t DIM1) { (const uint32_t *rows, size_t n_rows) };
%apply (uint32_t *INPLACE_ARRAY1, size_t DIM1) { (uint32_t *rows_out, size_t n_rows_out) };
%apply (int64_t *INPLACE_ARRAY1, size_t DIM1) { (int64_t *offsets, size_t n_offsets) };
%apply (const int64_t *OPTIONAL, size_t DIM1) {
    (const int64_t *key_customer, size_t n_key_customer)
};
%apply (const int32_t *OPTIONAL, size_t DIM1) {
    (const int32_t *key_month, size_t n_key_month)
};

%inline %{
csm_status csm_py_ledger_new(csm_ledger **out, const int64_t *customer_id,
                             size_t n, const int32_t *period, size_t n_period,
                             const double *mrr, size_t n_mrr,
                             const int32_t *segment, size_t n_segment,
                             const csm_ledger_opts *opts, csm_error *err) {
    csm_status st = CSM_PY_SAME_LENGTHS(err, n, CSM_PY_ARG(n_period, "period"),
                                        CSM_PY_ARG(n_mrr, "mrr"),
                                        CSM_PY_OPT(segment, n_segment, "segment"));
    return st != CSM_OK ? st
                        : csm_ledger_new(out, customer_id, period, mrr, segment, n,
                                         opts, err);
}

/* csm_ledger_new_partition on numpy columns (the threaded Ledger builds
 * its partitions with it, one call a thread, without the GIL). */
csm_status csm_py_ledger_new_partition(csm_ledger **out,
                                       const int64_t *customer_id, size_t n,
                                       const int32_t *period, size_t n_period,
                                       const double *mrr, size_t n_mrr,
                                       const int32_t *segment, size_t n_segment,
                                       uint32_t partition, uint32_t n_partitions,
                                       const csm_ledger_opts *opts,
                                       csm_error *err) {
    csm_status st = CSM_PY_SAME_LENGTHS(err, n, CSM_PY_ARG(n_period, "period"),
                                        CSM_PY_ARG(n_mrr, "mrr"),
                                        CSM_PY_OPT(segment, n_segment, "segment"));
    return st != CSM_OK ? st
                        : csm_ledger_new_partition(out, customer_id, period, mrr,
                                                   segment, n, partition,
                                                   n_partitions, opts, err);
}

/* csm_ledger_partition_count into a numpy int64 array: counts (one per
 * partition) of the ids customer_id (a range of the rows). */
csm_status csm_py_ledger_partition_count(int64_t *offsets, size_t n_offsets,
                                         const int64_t *customer_id, size_t n,
                                         csm_error *err) {
    size_t *c = malloc((n_offsets ? n_offsets : 1) * sizeof *c);
    if (!c)
        return csm_error_set(err, CSM_ENOMEM, CSM_NO_ROW, NULL, NULL);
    csm_status st = n_offsets > UINT32_MAX
        ? csm_error_set(err, CSM_EINVAL, CSM_NO_ROW, "n_partitions",
                        "more than 2^32 - 1")
        : csm_ledger_partition_count(c, customer_id, n, (uint32_t)n_offsets,
                                     err);
    for (size_t k = 0; st == CSM_OK && k < n_offsets; k++)
        offsets[k] = (int64_t)c[k];
    free(c);
    return st;
}

/* csm_ledger_partition_deal of the range of rows from first_row
 * (customer_id: its ids) into rows_out (uint32, the whole list), offsets
 * the next slot of each partition (int64, advanced). */
csm_status csm_py_ledger_partition_deal(uint32_t *rows_out, size_t n_rows_out,
                                        int64_t *offsets, size_t n_offsets,
                                        const int64_t *customer_id, size_t n,
                                        size_t first_row, csm_error *err) {
    size_t *next = malloc((n_offsets ? n_offsets : 1) * sizeof *next);
    if (!next)
        return csm_error_set(err, CSM_ENOMEM, CSM_NO_ROW, NULL, NULL);
    for (size_t k = 0; k < n_offsets; k++)
        next[k] = offsets[k] < 0 ? SIZE_MAX : (size_t)offsets[k];
    csm_status st = n_offsets > UINT32_MAX
        ? csm_error_set(err, CSM_EINVAL, CSM_NO_ROW, "n_partitions",
                        "more than 2^32 - 1")
        : csm_ledger_partition_deal(rows_out, n_rows_out, next, customer_id,
                                    n, first_row, (uint32_t)n_offsets, err);
    for (size_t k = 0; st == CSM_OK && k < n_offsets; k++)
        offsets[k] = (int64_t)next[k];
    free(next);
    return st;
}

/* csm_ledger_new_rows on numpy columns and a uint32 row list (the threaded
 * Ledger builds its partitions with it, one call a thread, without the
 * GIL). */
csm_status csm_py_ledger_new_rows(csm_ledger **out, const int64_t *customer_id,
                                  size_t n, const int32_t *period,
                                  size_t n_period, const double *mrr,
                                  size_t n_mrr, const int32_t *segment,
                                  size_t n_segment, const uint32_t *rows,
                                  size_t n_rows, const csm_ledger_opts *opts,
                                  csm_error *err) {
    csm_status st = CSM_PY_SAME_LENGTHS(err, n, CSM_PY_ARG(n_period, "period"),
                                        CSM_PY_ARG(n_mrr, "mrr"),
                                        CSM_PY_OPT(segment, n_segment, "segment"));
    return st != CSM_OK ? st
                        : csm_ledger_new_rows(out, customer_id, period, mrr,
                                              segment, n, rows, n_rows, opts,
                                              err);
}

%}

%{
/* The options of csm_py_cohorts_compute / _partial_compute: opts (NULL:
 * the defaults) with the optional cohort keys (key_customer[i],
 * key_month[i]) put in. */
static csm_status csm_py_cohorts_opts(csm_cohorts_opts *o,
                                      const csm_cohorts_opts *opts,
                                      const int64_t *key_customer,
                                      size_t n_key_customer,
                                      const int32_t *key_month,
                                      size_t n_key_month, csm_error *err) {
    csm_status st = CSM_PY_SAME_LENGTHS(
        err, n_key_customer, CSM_PY_OPT(key_month, n_key_month, "key_month"));
    if (st != CSM_OK)
        return st;
    if (opts)
        *o = *opts;
    else if ((st = csm_cohorts_opts_init(o, sizeof *o)) != CSM_OK)
        return csm_error_set(err, st, CSM_NO_ROW, "opts", NULL);
    if (key_customer) {
        o->key_customer = key_customer;
        o->key_month = key_month;
        o->n_keys = n_key_customer;
    }
    return CSM_OK;
}
%}

%inline %{
/* csm_cohorts_compute with the optional cohort keys in the options. */
csm_status csm_py_cohorts_compute(csm_cohorts **out, const csm_ledger *ledger,
                                  const csm_cohorts_opts *opts,
                                  const int64_t *key_customer,
                                  size_t n_key_customer, const int32_t *key_month,
                                  size_t n_key_month, csm_error *err) {
    csm_cohorts_opts o;
    csm_status st = csm_py_cohorts_opts(&o, opts, key_customer, n_key_customer,
                                        key_month, n_key_month, err);
    return st != CSM_OK ? st : csm_cohorts_compute(out, ledger, &o, err);
}

/* csm_cohorts_partial_compute with the optional cohort keys in the
 * options. */
csm_status csm_py_cohorts_partial_compute(csm_partial **out,
                                          const csm_ledger *ledger,
                                          const csm_cohorts_opts *opts,
                                          const int64_t *key_customer,
                                          size_t n_key_customer,
                                          const int32_t *key_month,
                                          size_t n_key_month, csm_error *err) {
    csm_cohorts_opts o;
    csm_status st = csm_py_cohorts_opts(&o, opts, key_customer, n_key_customer,
                                        key_month, n_key_month, err);
    return st != CSM_OK ? st
                        : csm_cohorts_partial_compute(out, ledger, &o, err);
}
%}

%clear (const int64_t *customer_id, size_t n);
%clear (const int32_t *period, size_t n_period);
%clear (const double *mrr, size_t n_mrr);
%clear (const int32_t *segment, size_t n_segment);
%clear (const int64_t *key_customer, size_t n_key_customer);
%clear (const int32_t *key_month, size_t n_key_month);

/* ---- test hooks (internal; tests/python) --------------------------------- */
%{
#include <stdatomic.h>

static atomic_long csm_py_test_blocks;

static void *csm_py_test_alloc(void *ctx, size_t size) {
    void *p = malloc(size ? size : 1);
    (void)ctx;
    if (p)
        atomic_fetch_add(&csm_py_test_blocks, 1);
    return p;
}

static void csm_py_test_free(void *ctx, void *p) {
    (void)ctx;
    if (p) {
        atomic_fetch_sub(&csm_py_test_blocks, 1);
        free(p);
    }
}

static const csm_allocator csm_py_test_allocator = {
    .alloc = csm_py_test_alloc, .free = csm_py_test_free};
%}

%inline %{
/* Make a ledger built with `opts` (and every result computed from it, and
 * their Arrow exports) allocate through the counting allocator. */
void csm_py_test_counting_allocator(csm_ledger_opts *opts) {
    opts->allocator = &csm_py_test_allocator;
}

/* Blocks of the counting allocator still live. */
long csm_py_test_live_blocks(void) {
    return atomic_load(&csm_py_test_blocks);
}
%}
