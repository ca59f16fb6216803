/* Contracts (csmetrics/contracts.h, csm_contracts) as the ledger builder and
 * renewals read them: one validation, one normalization to MRR, one sort
 * (internal; not installed, not exported). */
#ifndef CSM_INTERNAL_CONTRACTS_H
#define CSM_INTERNAL_CONTRACTS_H

#include <stddef.h>
#include <stdint.h>

#include "csmetrics/ledger.h"

/* Load the contract options opts (NULL = defaults) into *o and check them:
 * an unknown proration or discount mode is CSM_EINVAL naming
 * proration_field or discount_field (static strings: the option as the
 * public call names it, e.g. "opts.proration"). */
csm_status csm__contract_opts_load(csm_contracts_opts *o,
                                   const csm_contracts_opts *opts,
                                   const char *proration_field,
                                   const char *discount_field,
                                   csm_error *err);

/* Check contracts before any use: ct not NULL ("contracts"), the required
 * columns (customer_id, start_day, end_day, amount, interval_count) not
 * NULL while n > 0 (CSM_EINVAL naming the column); per row, in row order,
 * an unknown kind or interval unit is CSM_EINVAL, and end_day < start_day,
 * interval_count <= 0, an amount, discount or tax negative, NaN or
 * infinite is CSM_EDOMAIN with the row and the column. */
csm_status csm__contracts_check(const csm_contracts *ct, csm_error *err);

/* Whether row i is a recurring charge (kind NULL: every row is). */
static inline int csm__contract_recurring(const csm_contracts *ct, size_t i) {
    return !ct->kind || ct->kind[i] == CSM_CHARGE_RECURRING;
}

/* Amount of contract i per billing interval, net of tax (unless
 * include_tax) and discount (per discount_mode); never negative.  Row i
 * must have passed csm__contracts_check. */
double csm__contract_net(const csm_contracts *ct, size_t i,
                         const csm_contracts_opts *o);

/* MRR of contract i under options o: (amount - tax unless include_tax -
 * discount per discount_mode, never below 0) / months per billing
 * interval (csmetrics/ledger.h, csm_ledger_from_contracts).  Row i must
 * have passed csm__contracts_check. */
double csm__contract_mrr(const csm_contracts *ct, size_t i,
                         const csm_contracts_opts *o);

/* Value of contract i over its term: its MRR x the term in months, a term
 * of d = end_day - start_day + 1 days counting d x 12/365 months (the
 * ledger's day unit).  Computed as net amount x (term months / months per
 * interval), so a contract whose one billing interval is its whole term
 * (unit day, count d) is worth its net amount exactly. */
double csm__contract_value(const csm_contracts *ct, size_t i,
                           const csm_contracts_opts *o);

/* A contract's place in the (customer, start day, end day, input row)
 * order. */
typedef struct csm__contract_key {
    int64_t customer;
    int32_t start, end;
    uint32_t row;
} csm__contract_key;

/* The recurring contracts of ct in (customer, start, end, row) order, in
 * a new array *out of *n_out keys (allocator a, NULL = libc; free it with
 * csm__free): those with MRR > 0 under o, or every recurring contract
 * when keep_free.  ct must have passed csm__contracts_check.  CSM_ENOMEM
 * leaves *out NULL. */
csm_status csm__contracts_sorted(csm__contract_key **out, size_t *n_out,
                                 const csm_contracts *ct,
                                 const csm_contracts_opts *o, int keep_free,
                                 const csm_allocator *a);

#endif
