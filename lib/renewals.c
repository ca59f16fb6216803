/* renewals.c - contracts due, renewed, late, churned; logo and dollar
 * renewal rates (see renewals.h for the definitions).  The contracts are
 * validated, valued and ordered by internal/contracts.h, as the ledger
 * reads them. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "csmetrics/renewals.h"
#include "internal/contracts.h"
#include "internal/sort.h"
#include "internal/table.h"

CSM_API const char *csm_renewals_outcome_name(int outcome) {
    static const char *const names[] = {"not_due", "renewed", "late",
                                        "churned", "upsell", "pending"};
    return outcome >= CSM_RENEWALS_NOT_DUE && outcome <= CSM_RENEWALS_PENDING
               ? names[outcome]
               : "unknown";
}
#include "internal/util.h"

CSM__DEFINE_OPTS_INIT(csm_renewals_opts_init, csm_renewals_opts, CSM_RENEWALS_OPTS_INIT)

#define COL(m, n, ty, st, r, d) CSM__COLDEF(csm_renewals, m, n, ty, st, r, d)
static const csm__coldef sum_cols[] = {CSM_RENEWALS_COLUMNS(COL)};
static const csm__coldef con_cols[] = {CSM_RENEWAL_CONTRACTS_COLUMNS(COL)};
#undef COL

CSM_API void csm_renewals_free(csm_renewals *r) {
    csm_result_free(r ? r->result : NULL);
}

static int cmp_i32(const void *x, const void *y) {
    int32_t a = *(const int32_t *)x, b = *(const int32_t *)y;
    return (a > b) - (a < b);
}

/* per-contract working state */
typedef struct {
    uint8_t outcome;
    int64_t match;   /* renewal / late renewal / parent row */
    int64_t gap;     /* start of the (late) renewal - (end + 1), days */
    double value;    /* value over the term (0 for a skipped row) */
    double renewed;  /* normalized renewal value credited */
    double late;     /* normalized late renewal value */
    double upsell;   /* normalized upsells of this due contract */
} cstate;

/* 1 when outcome oc makes a contract due (a row of "renewal_contracts") */
static int is_due(uint8_t oc) {
    return oc == CSM_RENEWALS_RENEWED || oc == CSM_RENEWALS_LATE ||
           oc == CSM_RENEWALS_CHURNED || oc == CSM_RENEWALS_PENDING;
}

static double term(const csm_contracts *k, size_t i) {
    return (double)k->end_day[i] - (double)k->start_day[i] + 1.0;
}

CSM_API csm_status csm_renewals_compute(csm_renewals **out, uint8_t *outcome,
                                        int64_t *match,
                                        const csm_contracts *k,
                                        int32_t w0, int32_t w1,
                                        const csm_renewals_opts *opts,
                                        csm_error *err) {
    csm_error_clear(err);
    if (!out)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "out", "is NULL");
    *out = NULL;
    csm_status st = csm__contracts_check(k, err);
    if (st != CSM_OK)
        return st;
    size_t n = k->n;
    csm_renewals_opts o = CSM_RENEWALS_OPTS_INIT;
    st = csm__opts_load(&o, sizeof o, opts, err);
    if (st != CSM_OK)
        return st;
    if (w1 < w0)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "window_end",
                         "window ends before it starts");
    if (o.grace_days < 0)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "opts.grace_days",
                         "must be >= 0");
    if (o.group_by < CSM_RENEWALS_GROUP_NONE || o.group_by > CSM_RENEWALS_GROUP_OWNER)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "opts.group_by",
                         "unknown grouping");
    csm_contracts_opts co;
    st = csm__contract_opts_load(&co, o.contract_opts,
                                 "opts.contract_opts.proration",
                                 "opts.contract_opts.discount_mode", err);
    if (st != CSM_OK)
        return st;
    const int32_t *gcol = o.group_by == CSM_RENEWALS_GROUP_SEGMENT   ? k->segment
                          : o.group_by == CSM_RENEWALS_GROUP_CHANNEL ? k->channel
                          : o.group_by == CSM_RENEWALS_GROUP_OWNER   ? k->owner
                                                            : NULL;
    const csm_allocator *a = o.allocator;
    st = csm__alloc_check(a, "opts.allocator", err);
    if (st != CSM_OK)
        return st;
    /* ks: the recurring contracts (any value) in (customer, start, end,
     * row) order, m of them; cs and keys: per input row */
    csm__contract_key *ks = NULL;
    size_t m = 0;
    cstate *cs = csm__alloc_array(a, n, sizeof *cs);
    int32_t *keys = csm__alloc_array(a, n + 1, sizeof *keys);
    csm_renewals *r = NULL;
    if (!cs || !keys ||
        csm__contracts_sorted(&ks, &m, k, &co, 1, a) != CSM_OK) {
        st = csm__fail(err, CSM_ENOMEM, CSM_NO_ROW, NULL, NULL);
        goto done;
    }
    for (size_t i = 0; i < n; i++) {
        cs[i].outcome = CSM_RENEWALS_NOT_DUE;
        cs[i].match = -1;
        cs[i].gap = 0;
        cs[i].value = csm__contract_recurring(k, i)
                          ? csm__contract_value(k, i, &co)
                          : 0.0;
        cs[i].renewed = cs[i].late = cs[i].upsell = 0;
    }
    const int64_t grace = o.grace_days;
    for (size_t lo = 0; lo < m;) {
        size_t hi = lo;
        while (hi < m && ks[hi].customer == ks[lo].customer)
            hi++;
        /* upsells: j starts after i starts and ends no later than i ends;
         * the parent is the earliest such i in sorted order */
        for (size_t jj = lo; jj < hi; jj++) {
            for (size_t ii = lo; ii < hi; ii++) {
                if (ii == jj)
                    continue;
                if (ks[jj].start > ks[ii].start && ks[jj].end <= ks[ii].end) {
                    cs[ks[jj].row].outcome = CSM_RENEWALS_UPSELL;
                    cs[ks[jj].row].match = ks[ii].row;
                    break;
                }
            }
        }
        /* due contracts and their renewals */
        for (size_t ii = lo; ii < hi; ii++) {
            size_t i = ks[ii].row;
            if (cs[i].outcome == CSM_RENEWALS_UPSELL || ks[ii].end < w0 ||
                ks[ii].end > w1)
                continue;
            long ren = -1, late = -1;
            for (size_t jj = lo; jj < hi; jj++) {
                size_t j = ks[jj].row;
                if (jj == ii || cs[j].outcome == CSM_RENEWALS_UPSELL)
                    continue;
                if (!(ks[jj].start > ks[ii].start && ks[jj].end > ks[ii].end))
                    continue;
                int64_t gap = (int64_t)ks[jj].start - ((int64_t)ks[ii].end + 1);
                if (gap <= grace) {
                    if (ren < 0)
                        ren = (long)jj; /* sorted: the first is earliest */
                } else if (late < 0) {
                    late = (long)jj;
                }
            }
            if (ren >= 0) {
                cs[i].outcome = CSM_RENEWALS_RENEWED;
                cs[i].match = ks[ren].row;
                cs[i].gap = (int64_t)ks[ren].start - ((int64_t)ks[ii].end + 1);
            } else if (late >= 0) {
                cs[i].outcome = CSM_RENEWALS_LATE;
                cs[i].match = ks[late].row;
                cs[i].gap = (int64_t)ks[late].start - ((int64_t)ks[ii].end + 1);
            } else if ((int64_t)ks[ii].end + 1 + grace > o.as_of_day) {
                /* a renewal may still start within the grace period */
                cs[i].outcome = CSM_RENEWALS_PENDING;
            } else {
                cs[i].outcome = CSM_RENEWALS_CHURNED;
            }
        }
        /* split each renewal's value among the due contracts it renews */
        for (size_t jj = lo; jj < hi; jj++) {
            size_t j = ks[jj].row;
            double share_den = 0;
            for (size_t ii = lo; ii < hi; ii++) {
                size_t i = ks[ii].row;
                if ((cs[i].outcome == CSM_RENEWALS_RENEWED ||
                     cs[i].outcome == CSM_RENEWALS_LATE) &&
                    cs[i].match == (int64_t)j)
                    share_den += cs[i].value;
            }
            size_t nmatch = 0;
            for (size_t ii = lo; ii < hi; ii++) {
                size_t i = ks[ii].row;
                if ((cs[i].outcome == CSM_RENEWALS_RENEWED ||
                     cs[i].outcome == CSM_RENEWALS_LATE) &&
                    cs[i].match == (int64_t)j)
                    nmatch++;
            }
            if (nmatch == 0)
                continue;
            for (size_t ii = lo; ii < hi; ii++) {
                size_t i = ks[ii].row;
                if (!((cs[i].outcome == CSM_RENEWALS_RENEWED ||
                       cs[i].outcome == CSM_RENEWALS_LATE) &&
                      cs[i].match == (int64_t)j))
                    continue;
                double share = share_den > 0 ? cs[i].value / share_den
                                             : 1.0 / (double)nmatch;
                double v = cs[j].value * term(k, i) / term(k, j) * share;
                if (cs[i].outcome == CSM_RENEWALS_RENEWED)
                    cs[i].renewed = v;
                else
                    cs[i].late = v;
            }
        }
        /* upsells normalized to their parent's term */
        for (size_t jj = lo; jj < hi; jj++) {
            size_t j = ks[jj].row;
            if (cs[j].outcome != CSM_RENEWALS_UPSELL)
                continue;
            size_t i = (size_t)cs[j].match;
            cs[i].upsell += cs[j].value * term(k, i) / term(k, j);
        }
        lo = hi;
    }
    /* group keys of due contracts */
    size_t nk = 0;
    for (size_t i = 0; i < n; i++)
        if (is_due(cs[i].outcome))
            keys[nk++] = gcol ? gcol[i] : CSM_CODE_ALL;
    qsort(keys, nk, sizeof *keys, cmp_i32);
    size_t nrows = 0;
    for (size_t i = 0; i < nk; i++)
        if (i == 0 || keys[i] != keys[i - 1])
            keys[nrows++] = keys[i];
    if (o.group_by == CSM_RENEWALS_GROUP_NONE && nrows == 0) {
        keys[0] = CSM_CODE_ALL; /* one (empty) overall row */
        nrows = 1;
    }
    /* nk = the due contracts: the rows of "renewal_contracts" */
    const csm__tabspec spec[] = {
        {"renewals", sum_cols, CSM__NCOLS(sum_cols), nrows},
        {"renewal_contracts", con_cols, CSM__NCOLS(con_cols), nk}};
    size_t text = 0;
    for (int q = CSM_RENEWALS_RENEWED; q <= CSM_RENEWALS_PENDING; q++)
        if (is_due((uint8_t)q))
            text += strlen(csm_renewals_outcome_name(q)) + 1;
    /* per group: due, renewed, late, churned, upsell and pending value */
    enum { NSUM = 6 };
    csm__ksum *sums = csm__alloc_array(a, NSUM * nrows, sizeof *sums);
    r = csm__result_new(a, "renewals", sizeof *r, spec, 2, NULL, 0, text);
    if (!r || !sums) {
        csm__free(a, sums);
        st = csm__fail(err, CSM_ENOMEM, CSM_NO_ROW, NULL, NULL);
        goto done;
    }
    r->n_rows = nrows;
    r->n_contracts = nk;
    const char *oc_text[CSM_RENEWALS_PENDING + 1] = {NULL};
    for (int q = CSM_RENEWALS_RENEWED; q <= CSM_RENEWALS_PENDING; q++)
        if (is_due((uint8_t)q)) /* sized above */
            oc_text[q] = csm__result_text(r, csm_renewals_outcome_name(q));
    memcpy(r->key, keys, nrows * sizeof *keys);
    memset(sums, 0, NSUM * nrows * sizeof *sums); /* counts: zero-filled */
    /* accumulate in sorted (customer, start) order: input-order independent */
    for (size_t ii = 0; ii < m; ii++) {
        size_t i = ks[ii].row;
        uint8_t oc = cs[i].outcome;
        if (!is_due(oc))
            continue;
        size_t g0 = csm__lower_bound_i32(r->key, 0, nrows,
                                         gcol ? gcol[i] : CSM_CODE_ALL);
        csm__ksum *s = &sums[NSUM * g0];
        r->due[g0]++;
        csm__ksum_add(&s[0], cs[i].value);
        double up = o.include_upsells ? cs[i].upsell : 0.0;
        csm__ksum_add(&s[4], cs[i].upsell);
        if (up > 0) {
            csm__ksum_add(&s[0], up);
            csm__ksum_add(&s[1], up);
        }
        if (oc == CSM_RENEWALS_PENDING) {
            r->pending[g0]++;
            csm__ksum_add(&s[5], cs[i].value);
        } else if (oc == CSM_RENEWALS_RENEWED) {
            r->renewed[g0]++;
            csm__ksum_add(&s[1], cs[i].renewed);
        } else if (oc == CSM_RENEWALS_LATE) {
            r->late[g0]++;
            csm__ksum_add(&s[2], cs[i].late);
            if (o.late_counts) {
                r->renewed[g0]++;
                csm__ksum_add(&s[1], cs[i].late);
            }
        } else {
            r->churned[g0]++;
            csm__ksum_add(&s[3], cs[i].value);
        }
    }
    for (size_t g = 0; g < nrows; g++) {
        uint32_t fl = 0;
        csm__ksum *s = &sums[NSUM * g];
        r->due_value[g] = csm__ksum_value(&s[0]);
        r->renewed_value[g] = csm__ksum_value(&s[1]);
        r->late_value[g] = csm__ksum_value(&s[2]);
        r->churned_value[g] = csm__ksum_value(&s[3]);
        r->upsell_value[g] = csm__ksum_value(&s[4]);
        r->pending_value[g] = csm__ksum_value(&s[5]);
        r->logo_renewal_rate[g] =
            csm__ratio((double)r->renewed[g], (double)r->due[g], &fl);
        r->dollar_renewal_rate[g] =
            csm__ratio(r->renewed_value[g], r->due_value[g], &fl);
        if (r->due[g] == 0)
            fl |= CSM_FLAG_EMPTY;
        r->flags[g] = fl;
    }
    csm__free(a, sums);
    /* the due contracts, in input order */
    size_t d = 0;
    for (size_t i = 0; i < n; i++) {
        uint8_t oc = cs[i].outcome;
        if (!is_due(oc))
            continue;
        r->contract_row[d] = (int64_t)i;
        r->contract_customer_id[d] = k->customer_id[i];
        r->contract_group[d] = gcol ? gcol[i] : CSM_CODE_ALL;
        r->contract_due_day[d] = k->end_day[i];
        r->contract_value[d] = cs[i].value;
        r->contract_outcome[d] = oc_text[oc];
        r->contract_outcome_code[d] = oc;
        r->contract_renewal_row[d] = cs[i].match;
        r->contract_days_to_renewal[d] =
            oc == CSM_RENEWALS_RENEWED || oc == CSM_RENEWALS_LATE
                ? (double)cs[i].gap
                : NAN;
        r->contract_renewal_value[d] = oc == CSM_RENEWALS_RENEWED ? cs[i].renewed
                                       : oc == CSM_RENEWALS_LATE  ? cs[i].late
                                                                 : 0.0;
        r->contract_upsell_value[d] = cs[i].upsell;
        r->contract_counts_as_renewed[d] =
            (uint8_t)(oc == CSM_RENEWALS_RENEWED ||
                      (oc == CSM_RENEWALS_LATE && o.late_counts));
        d++;
    }
    if (outcome)
        for (size_t i = 0; i < n; i++)
            outcome[i] = cs[i].outcome;
    if (match)
        for (size_t i = 0; i < n; i++)
            match[i] = cs[i].match;
    *out = r;
    r = NULL;
    st = CSM_OK;
done:
    csm__free(a, ks);
    csm__free(a, cs);
    csm__free(a, keys);
    csm_renewals_free(r);
    return st;
}

/* (customer, end day) order, for csm_renewals_days_to_end */
static int cmp_customer_end(const void *x, const void *y) {
    const csm__contract_key *p = x, *q = y;
    if (p->customer != q->customer)
        return p->customer < q->customer ? -1 : 1;
    return (p->end > q->end) - (p->end < q->end);
}

CSM_API csm_status csm_renewals_days_to_end(double *days,
                                            const int64_t *account_id,
                                            size_t n_accounts,
                                            const csm_contracts *k,
                                            int32_t day,
                                            const csm_renewals_opts *opts,
                                            csm_error *err) {
    csm_error_clear(err);
    if (n_accounts > 0 && !days)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "days", "is NULL");
    if (n_accounts > 0 && !account_id)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "account_id",
                         "is NULL");
    if (!csm_day_valid(day))
        return csm__fail(err, CSM_EDOMAIN, CSM_NO_ROW, "day",
                         "day outside [CSM_DAY_MIN, CSM_DAY_MAX] "
                         "(0001-01-01..9999-12-31)");
    csm_status st = csm__contracts_check(k, err);
    if (st != CSM_OK)
        return st;
    csm_renewals_opts o = CSM_RENEWALS_OPTS_INIT;
    st = csm__opts_load(&o, sizeof o, opts, err);
    if (st != CSM_OK)
        return st;
    const csm_allocator *a = o.allocator;
    st = csm__alloc_check(a, "opts.allocator", err);
    if (st != CSM_OK)
        return st;
    /* every recurring contract (keep_free: its value does not matter, so
     * neither do the contract options), by (customer, end) */
    const csm_contracts_opts co = CSM_CONTRACTS_OPTS_INIT;
    csm__contract_key *ks = NULL;
    size_t m = 0;
    if (csm__contracts_sorted(&ks, &m, k, &co, 1, a) != CSM_OK)
        return csm__fail(err, CSM_ENOMEM, CSM_NO_ROW, NULL, NULL);
    qsort(ks, m, sizeof *ks, cmp_customer_end);
    for (size_t i = 0; i < n_accounts; i++) {
        /* the first key >= (account, day): the account's nearest end on or
         * after day, if the key is the account's */
        size_t lo = 0, hi = m;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (ks[mid].customer < account_id[i] ||
                (ks[mid].customer == account_id[i] && ks[mid].end < day))
                lo = mid + 1;
            else
                hi = mid;
        }
        days[i] = lo < m && ks[lo].customer == account_id[i]
                      ? (double)ks[lo].end - (double)day
                      : NAN;
    }
    csm__free(a, ks);
    return CSM_OK;
}
