/*
 * ledger.i - the MRR ledger (csmetrics/ledger.h): building from rows or
 * contracts, and the movements, retention and cohort tables.
 *
 * csm_ledger is an opaque object: %extend gives it a constructor (from
 * columnar rows) and a destructor; csm_py_ledger_from_contracts builds one
 * from contracts.  movements returns the generic conversion of its result
 * (csm_py_result in common.i: zero-copy column arrays over the C block);
 * retention and cohorts still copy each array once through their offset
 * tables into a dict {field: ndarray} and free the C result.  The
 * pure-Python Ledger class turns either into a DataFrame.  The GIL is
 * released while C builds or computes (a ledger is immutable).
 */

/* ---- option structs (CSM_PY_OPTS is in common.i) ------------------------ */
CSM_PY_OPTS(csm_ledger_opts, CSM_LEDGER_OPTS_INIT)
CSM_PY_OPTS(csm_contracts_opts, CSM_CONTRACTS_OPTS_INIT)
CSM_PY_OPTS(csm_movements_opts, CSM_MOVEMENTS_OPTS_INIT)
CSM_PY_OPTS(csm_retention_opts, CSM_RETENTION_OPTS_INIT)
CSM_PY_OPTS(csm_cohorts_opts, CSM_COHORTS_OPTS_INIT)

/* Pointer members are set by the shims, not from Python. */
%ignore csm_ledger_opts::allocator;
%ignore csm_cohorts_opts::key_customer;
%ignore csm_cohorts_opts::key_month;
%ignore csm_cohorts_opts::n_keys;

/* Replaced by the constructor, the shims and the methods below. */
%ignore csm_ledger_new;
%ignore csm_ledger_from_contracts;
%ignore csm_ledger_free;
%ignore csm_contracts;
%ignore csm_movements;
%ignore csm_movements_compute;
%ignore csm_movements_free;
%ignore csm_retention;
%ignore csm_retention_compute;
%ignore csm_retention_free;
%ignore csm_cohorts;
%ignore csm_cohorts_compute;
%ignore csm_cohorts_free;
%ignore csm_ledger_opts_init;
%ignore csm_contracts_opts_init;
%ignore csm_movements_opts_init;
%ignore csm_retention_opts_init;
%ignore csm_cohorts_opts_init;
%ignore CSM_MONTH_NONE;
%ignore CSM_CODE_ALL;

/* Arrays sharing one length: each gets its own length argument and the
 * shim checks they agree. */
%apply (int64_t *IN_ARRAY1, size_t DIM1) {
    (const int64_t *customer_id, size_t n),
    (const int64_t *key_customer, size_t n_key_customer)
};
%apply (int32_t *IN_ARRAY1, size_t DIM1) {
    (const int32_t *period, size_t n_period),
    (const int32_t *segment, size_t n_segment),
    (const int32_t *start_day, size_t n_start_day),
    (const int32_t *end_day, size_t n_end_day),
    (const int32_t *interval_count, size_t n_interval_count),
    (const int32_t *key_month, size_t n_key_month)
};
%apply (double *IN_ARRAY1, size_t DIM1) {
    (const double *mrr, size_t n_mrr),
    (const double *amount, size_t n_amount),
    (const double *discount, size_t n_discount),
    (const double *tax, size_t n_tax)
};
%apply (uint8_t *IN_ARRAY1, size_t DIM1) {
    (const uint8_t *interval_unit, size_t n_interval_unit),
    (const uint8_t *discount_recurring, size_t n_discount_recurring),
    (const uint8_t *kind, size_t n_kind)
};

/* The opaque ledger: a SWIG-only (empty) definition to hang %extend on.
 * (%extend members see the typemaps in force where the struct is defined,
 * hence the %apply block above.) */
struct csm_ledger {};
%nodefaultctor csm_ledger;

%include "csmetrics/contracts.h"
%include "csmetrics/ledger.h"
%include "csmetrics/movements.h"
%include "csmetrics/retention.h"
%include "csmetrics/cohorts.h"

%constant int32_t MONTH_NONE = CSM_MONTH_NONE;
%constant int32_t SEGMENT_ALL = CSM_CODE_ALL;

%newobject csm_py_ledger_from_contracts;

%extend csm_ledger {
    /* Build from columnar rows; segment is used when has_segment. */
    csm_ledger(const int64_t *customer_id, size_t n,
               const int32_t *period, size_t n_period,
               const double *mrr, size_t n_mrr,
               const int32_t *segment, size_t n_segment, int has_segment,
               const csm_ledger_opts *opts) {
        csm_ledger *l = NULL;
        csm_error e;
        csm_status st;
        if (!csm_py_same_length(n, n_period, "period") ||
            !csm_py_same_length(n, n_mrr, "mrr") ||
            (has_segment && !csm_py_same_length(n, n_segment, "segment")))
            return NULL;
        csm_error_clear(&e);
        Py_BEGIN_ALLOW_THREADS
        st = csm_ledger_new(&l, customer_id, period, mrr,
                            has_segment ? segment : NULL, n, opts, &e);
        Py_END_ALLOW_THREADS
        if (st != CSM_OK) {
            csm_py_raise(st, &e);
            return NULL;
        }
        return l;
    }
    ~csm_ledger() { csm_ledger_free($self); }

    /* Movements: the generic conversion of the result (csm_py_result). */
    PyObject *movements(const csm_movements_opts *opts) {
        csm_movements *m = NULL;
        csm_error e;
        csm_status st;
        csm_error_clear(&e);
        Py_BEGIN_ALLOW_THREADS
        st = csm_movements_compute(&m, $self, opts, &e);
        Py_END_ALLOW_THREADS
        if (st != CSM_OK) {
            csm_py_raise(st, &e);
            return NULL;
        }
        return csm_py_result(m->result);
    }

    /* Rolling retention: the generic conversion of the result. */
    PyObject *retention(const csm_retention_opts *opts) {
        csm_retention *r = NULL;
        csm_error e;
        csm_status st;
        csm_error_clear(&e);
        Py_BEGIN_ALLOW_THREADS
        st = csm_retention_compute(&r, $self, opts, &e);
        Py_END_ALLOW_THREADS
        if (st != CSM_OK) {
            csm_py_raise(st, &e);
            return NULL;
        }
        return csm_py_result(r->result);
    }

    /* Cohorts: the generic conversion of the result (tables "cohorts" and
     * "cohort_cells").  Optional cohort keys (has_keys): pairs
     * (key_customer[i], key_month[i]). */
    PyObject *cohorts(const csm_cohorts_opts *opts,
                      const int64_t *key_customer, size_t n_key_customer,
                      const int32_t *key_month, size_t n_key_month,
                      int has_keys) {
        csm_cohorts_opts o = CSM_COHORTS_OPTS_INIT;
        csm_cohorts *c = NULL;
        csm_error e;
        csm_status st;
        if (opts)
            o = *opts;
        if (has_keys) {
            if (!csm_py_same_length(n_key_customer, n_key_month, "key_month"))
                return NULL;
            o.key_customer = key_customer;
            o.key_month = key_month;
            o.n_keys = n_key_customer;
        }
        csm_error_clear(&e);
        Py_BEGIN_ALLOW_THREADS
        st = csm_cohorts_compute(&c, $self, &o, &e);
        Py_END_ALLOW_THREADS
        if (st != CSM_OK) {
            csm_py_raise(st, &e);
            return NULL;
        }
        return csm_py_result(c->result);
    }
}

%inline %{
/* Build a ledger from columnar contracts.  Optional columns are passed as
 * (possibly empty) arrays with a bit in `present`:
 *   1 interval_unit, 2 discount, 4 discount_recurring, 8 tax, 16 kind,
 *   32 segment. */
csm_ledger *csm_py_ledger_from_contracts(
    const int64_t *customer_id, size_t n,
    const int32_t *start_day, size_t n_start_day,
    const int32_t *end_day, size_t n_end_day,
    const double *amount, size_t n_amount,
    const int32_t *interval_count, size_t n_interval_count,
    const uint8_t *interval_unit, size_t n_interval_unit,
    const double *discount, size_t n_discount,
    const uint8_t *discount_recurring, size_t n_discount_recurring,
    const double *tax, size_t n_tax,
    const uint8_t *kind, size_t n_kind,
    const int32_t *segment, size_t n_segment,
    int present, const csm_contracts_opts *opts,
    const csm_ledger_opts *ledger_opts) {
    csm_contracts k;
    csm_ledger *l = NULL;
    csm_error e;
    csm_status st;
    if (!csm_py_same_length(n, n_start_day, "start_day") ||
        !csm_py_same_length(n, n_end_day, "end_day") ||
        !csm_py_same_length(n, n_amount, "amount") ||
        !csm_py_same_length(n, n_interval_count, "interval_count") ||
        ((present & 1) && !csm_py_same_length(n, n_interval_unit, "interval_unit")) ||
        ((present & 2) && !csm_py_same_length(n, n_discount, "discount")) ||
        ((present & 4) && !csm_py_same_length(n, n_discount_recurring, "discount_recurring")) ||
        ((present & 8) && !csm_py_same_length(n, n_tax, "tax")) ||
        ((present & 16) && !csm_py_same_length(n, n_kind, "kind")) ||
        ((present & 32) && !csm_py_same_length(n, n_segment, "segment")))
        return NULL;
    memset(&k, 0, sizeof k);
    k.customer_id = customer_id;
    k.start_day = start_day;
    k.end_day = end_day;
    k.amount = amount;
    k.interval_count = interval_count;
    k.interval_unit = (present & 1) ? interval_unit : NULL;
    k.discount = (present & 2) ? discount : NULL;
    k.discount_recurring = (present & 4) ? discount_recurring : NULL;
    k.tax = (present & 8) ? tax : NULL;
    k.kind = (present & 16) ? kind : NULL;
    k.segment = (present & 32) ? segment : NULL;
    k.n = n;
    csm_error_clear(&e);
    Py_BEGIN_ALLOW_THREADS
    st = csm_ledger_from_contracts(&l, &k, opts, ledger_opts, &e);
    Py_END_ALLOW_THREADS
    if (st != CSM_OK) {
        csm_py_raise(st, &e);
        return NULL;
    }
    return l;
}
%}

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

static const csm_allocator csm_py_test_allocator = {csm_py_test_alloc,
                                                    csm_py_test_free, NULL};
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
