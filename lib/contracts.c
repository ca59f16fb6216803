/* contracts.c - contracts (csm_contracts): their validation, their
 * normalization to MRR and their (customer, start, end) order, shared by
 * the ledger builder and renewals; and csm_ledger_from_contracts, which
 * turns them into monthly MRR rows for the ledger builder. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "internal/contracts.h"
#include "internal/ledger_impl.h"

CSM__DEFINE_OPTS_INIT(csm_contracts_opts_init, csm_contracts_opts, CSM_CONTRACTS_OPTS_INIT)

csm_status csm__contract_opts_load(csm_contracts_opts *o,
                                   const csm_contracts_opts *opts,
                                   const char *proration_field,
                                   const char *discount_field,
                                   csm_error *err) {
    *o = (csm_contracts_opts)CSM_CONTRACTS_OPTS_INIT;
    csm_status st = csm__opts_load(o, sizeof *o, opts, err);
    if (st != CSM_OK)
        return st;
    if (o->proration != CSM_PRORATION_SNAPSHOT &&
        o->proration != CSM_PRORATION_DAILY)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, proration_field,
                         "unknown proration");
    if (o->discount_mode < CSM_DISCOUNT_ALL ||
        o->discount_mode > CSM_DISCOUNT_IGNORE)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, discount_field,
                         "unknown discount mode");
    return CSM_OK;
}

static double interval_months(const csm_contracts *ct, size_t i);

/* The most contract i can weigh in any sum the library forms from it, its
 * amount x the largest of 1, its MRR factor (1 / months per interval) and
 * its term value factor (term months / months per interval), whatever the
 * options (tax and discount only lower the amount): infinite when that
 * overflows. */
static double contract_weight(const csm_contracts *ct, size_t i) {
    const double im = interval_months(ct, i);
    const double tm =
        ((double)ct->end_day[i] - (double)ct->start_day[i] + 1.0) * 12.0 /
        365.0;
    double f = 1.0;
    if (1.0 / im > f)
        f = 1.0 / im;
    if (tm / im > f)
        f = tm / im;
    return ct->amount[i] * f;
}

csm_status csm__contracts_check(const csm_contracts *ct, csm_error *err) {
    if (!ct)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "contracts", "is NULL");
    size_t n = ct->n;
    /* interval_count is required unless every row is billed per term */
    int need_count = 0;
    for (size_t i = 0; i < n && !need_count; i++)
        need_count = !ct->interval_unit || ct->interval_unit[i] != CSM_UNIT_TERM;
    if (n > 0 && (!ct->customer_id || !ct->start_day || !ct->end_day ||
                  !ct->amount || (need_count && !ct->interval_count)))
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW,
                         !ct->customer_id  ? "customer_id"
                         : !ct->start_day  ? "start_day"
                         : !ct->end_day    ? "end_day"
                         : !ct->amount     ? "amount"
                                           : "interval_count",
                         "required column is NULL while n > 0");
    if (n > (size_t)UINT32_MAX)
        return csm__fail(err, CSM_ERANGE, CSM_NO_ROW, "n",
                         "more than 2^32-1 contracts in one call");
    double total = 0.0;
    for (size_t i = 0; i < n; i++) {
        uint8_t kind = ct->kind ? ct->kind[i] : CSM_CHARGE_RECURRING;
        if (kind > CSM_CHARGE_USAGE)
            return csm__fail(err, CSM_EINVAL, i, "kind", "unknown charge kind");
        uint8_t unit = ct->interval_unit ? ct->interval_unit[i] : CSM_UNIT_MONTH;
        if (unit > CSM_UNIT_TERM)
            return csm__fail(err, CSM_EINVAL, i, "interval_unit",
                             "unknown interval unit");
        if (!csm_day_valid(ct->start_day[i]) || !csm_day_valid(ct->end_day[i]))
            return csm__failf(
                err, CSM_EDOMAIN, i,
                !csm_day_valid(ct->start_day[i]) ? "start_day" : "end_day",
                "day outside the valid range", NULL,
                "day index %ld outside [%d, %d] (0001-01-01..9999-12-31)",
                (long)(!csm_day_valid(ct->start_day[i]) ? ct->start_day[i]
                                                        : ct->end_day[i]),
                CSM_DAY_MIN, CSM_DAY_MAX);
        if (ct->end_day[i] < ct->start_day[i])
            return csm__fail(err, CSM_EDOMAIN, i, "end_day",
                             "contract ends before it starts");
        if (unit != CSM_UNIT_TERM && ct->interval_count[i] <= 0)
            return csm__fail(err, CSM_EDOMAIN, i, "interval_count",
                             "billing interval must be > 0");
        if (!csm__nonneg(ct->amount[i]))
            return csm__fail(err, CSM_EDOMAIN, i, "amount",
                             "amount must be finite and >= 0");
        if (ct->discount && !csm__nonneg(ct->discount[i]))
            return csm__fail(err, CSM_EDOMAIN, i, "discount",
                             "discount must be finite and >= 0");
        if (ct->tax && !csm__nonneg(ct->tax[i]))
            return csm__fail(err, CSM_EDOMAIN, i, "tax",
                             "tax must be finite and >= 0");
        if (!csm__sum_bound_add(&total, contract_weight(ct, i)))
            return csm__fail(err, CSM_ERANGE, i, "amount",
                             "the contracts' amounts, MRR or term values "
                             "sum beyond CSM_SUM_MAX (1e300)");
    }
    return CSM_OK;
}

/* Months in one billing interval of contract i. */
static double interval_months(const csm_contracts *ct, size_t i) {
    uint8_t unit = ct->interval_unit ? ct->interval_unit[i] : CSM_UNIT_MONTH;
    if (unit == CSM_UNIT_TERM) /* the day unit's expression: see below */
        return ((double)ct->end_day[i] - (double)ct->start_day[i] + 1.0) *
               12.0 / 365.0;
    double cnt = (double)ct->interval_count[i];
    return unit == CSM_UNIT_MONTH  ? cnt
           : unit == CSM_UNIT_YEAR ? 12.0 * cnt
           : unit == CSM_UNIT_WEEK ? cnt * 12.0 / 52.0
                                   : cnt * 12.0 / 365.0;
}

double csm__contract_net(const csm_contracts *ct, size_t i,
                         const csm_contracts_opts *o) {
    double amt = ct->amount[i];
    if (ct->tax && !o->include_tax)
        amt -= ct->tax[i];
    if (ct->discount) {
        int rec = ct->discount_recurring ? ct->discount_recurring[i] != 0 : 1;
        if (o->discount_mode == CSM_DISCOUNT_ALL ||
            (o->discount_mode == CSM_DISCOUNT_RECURRING && rec))
            amt -= ct->discount[i];
    }
    return amt < 0 ? 0 : amt;
}

double csm__contract_mrr(const csm_contracts *ct, size_t i,
                         const csm_contracts_opts *o) {
    return csm__contract_net(ct, i, o) / interval_months(ct, i);
}

double csm__contract_value(const csm_contracts *ct, size_t i,
                           const csm_contracts_opts *o) {
    /* the day unit's expression, so a one-interval term divides to 1 */
    double term = (double)ct->end_day[i] - (double)ct->start_day[i] + 1.0;
    double term_months = term * 12.0 / 365.0;
    return csm__contract_net(ct, i, o) * (term_months / interval_months(ct, i));
}

static int cmp_key(const void *x, const void *y) {
    const csm__contract_key *p = x, *q = y;
    if (p->customer != q->customer)
        return p->customer < q->customer ? -1 : 1;
    if (p->start != q->start)
        return p->start < q->start ? -1 : 1;
    if (p->end != q->end)
        return p->end < q->end ? -1 : 1;
    return (p->row > q->row) - (p->row < q->row);
}

/* Whether csm__contracts_sorted keeps contract i: recurring, with MRR > 0
 * unless keep_free. */
static int sorted_keeps(const csm_contracts *ct, size_t i,
                        const csm_contracts_opts *o, int keep_free) {
    return csm__contract_recurring(ct, i) &&
           (keep_free || csm__contract_mrr(ct, i, o) > 0);
}

csm_status csm__contracts_sorted(csm__contract_key **out, size_t *n_out,
                                 const csm_contracts *ct,
                                 const csm_contracts_opts *o, int keep_free,
                                 const csm_allocator *a) {
    *out = NULL;
    *n_out = 0;
    size_t m = 0;
    for (size_t i = 0; i < ct->n; i++)
        m += sorted_keeps(ct, i, o, keep_free);
    csm__contract_key *k = csm__alloc_array(a, m, sizeof *k);
    if (!k)
        return CSM_ENOMEM;
    size_t w = 0;
    for (size_t i = 0; i < ct->n; i++) {
        if (!sorted_keeps(ct, i, o, keep_free))
            continue;
        k[w].customer = ct->customer_id[i];
        k[w].start = ct->start_day[i];
        k[w].end = ct->end_day[i];
        k[w].row = (uint32_t)i;
        w++;
    }
    qsort(k, m, sizeof *k, cmp_key);
    *out = k;
    *n_out = m;
    return CSM_OK;
}

/* ---- csm_ledger_from_contracts ---------------------------------------- */

/* Store each customer's merged service intervals (recurring contracts
 * with MRR > 0, or any MRR with free_is_active); overlapping or adjacent
 * contracts merge, so every interval end is a day-level churn.  The
 * interval's segment is that of its earliest contract. */
static csm_status add_intervals(csm_ledger *l, const csm_contracts *ct,
                                const csm_contracts_opts *o) {
    const csm_allocator *a = csm__ledger_allocator(l);
    csm__contract_key *k = NULL;
    size_t n = 0;
    csm_status st = csm__contracts_sorted(&k, &n, ct, o, l->free_is_active, a);
    if (st != CSM_OK)
        return st;
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        if (m > 0 && k[m - 1].customer == k[i].customer &&
            (int64_t)k[i].start <= (int64_t)k[m - 1].end + 1) {
            if (k[i].end > k[m - 1].end)
                k[m - 1].end = k[i].end;
        } else {
            k[m++] = k[i];
        }
    }
    l->iv_start = csm__alloc_array(a, m, sizeof *l->iv_start);
    l->iv_end = csm__alloc_array(a, m, sizeof *l->iv_end);
    l->iv_seg = csm__alloc_array(a, m, sizeof *l->iv_seg);
    if (!l->iv_start || !l->iv_end || !l->iv_seg) {
        csm__free(a, k);
        return CSM_ENOMEM;
    }
    for (size_t i = 0; i < m; i++) {
        l->iv_start[i] = k[i].start;
        l->iv_end[i] = k[i].end;
        long si = csm__ledger_seg_index(
            l, ct->segment ? ct->segment[k[i].row] : 0);
        l->iv_seg[i] = si < 0 ? UINT32_MAX : (uint32_t)si;
    }
    l->n_iv = m;
    csm__free(a, k);
    return CSM_OK;
}

CSM_API csm_status csm_ledger_from_contracts(csm_ledger **out,
                                             const csm_contracts *ct,
                                             const csm_contracts_opts *opts,
                                             const csm_ledger_opts *lopts,
                                             csm_error *err) {
    csm_error_clear(err);
    if (!out)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "out", "is NULL");
    *out = NULL;
    csm_status st = csm__contracts_check(ct, err);
    if (st != CSM_OK)
        return st;
    csm_contracts_opts o;
    st = csm__contract_opts_load(&o, opts, "opts.proration",
                                 "opts.discount_mode", err);
    if (st != CSM_OK)
        return st;
    csm_ledger_opts lo = CSM_LEDGER_OPTS_INIT;
    st = csm__opts_load(&lo, sizeof lo, lopts, err);
    if (st != CSM_OK)
        return st;
    lo.strict = 0;
    st = csm__alloc_check(lo.allocator, "ledger_opts.allocator", err);
    if (st != CSM_OK)
        return st;

    /* count generated rows: at most one per month of a recurring contract */
    size_t n = ct->n, rows = 0;
    uint64_t rows64 = 0; /* counted in 64 bits also where size_t is 32 */
    for (size_t i = 0; i < n; i++) {
        if (!csm__contract_recurring(ct, i))
            continue;
        /* days checked: at most CSM_MONTH_MAX - CSM_MONTH_MIN + 1 months */
        int32_t m0 = csm_day_month(ct->start_day[i]);
        int32_t m1 = csm_day_month(ct->end_day[i]);
        rows64 += (uint64_t)(m1 - m0) + 1;
        if (rows64 > UINT32_MAX)
            return csm__fail(err, CSM_ERANGE, i, "end_day",
                             "the contracts span more than 2^32-1 customer "
                             "months in one ledger; build ledgers per "
                             "partition");
    }
    rows = (size_t)rows64;
    const csm_allocator *a = lo.allocator;
    int64_t *rc = csm__alloc_array(a, rows, sizeof *rc);
    int32_t *rp = csm__alloc_array(a, rows, sizeof *rp);
    double *rm = csm__alloc_array(a, rows, sizeof *rm);
    int32_t *rs = csm__alloc_array(a, rows, sizeof *rs);
    uint8_t *rt = csm__alloc_array(a, rows, sizeof *rt);
    if (!rc || !rp || !rm || !rs || !rt) {
        st = csm__fail(err, CSM_ENOMEM, CSM_NO_ROW, NULL, NULL);
        goto done;
    }
    size_t r = 0;
    for (size_t i = 0; i < n; i++) {
        if (!csm__contract_recurring(ct, i))
            continue;
        double v = csm__contract_mrr(ct, i, &o);
        int32_t s = ct->segment ? ct->segment[i] : 0;
        int32_t sd = ct->start_day[i], ed = ct->end_day[i];
        int32_t m0 = csm_day_month(sd), m1 = csm_day_month(ed);
        for (int32_t m = m0; m <= m1; m++) {
            int32_t first = (int32_t)csm__month_first_day(m);
            int32_t last = (int32_t)csm__month_first_day(m + 1) - 1;
            int32_t dim = last - first + 1;
            rc[r] = ct->customer_id[i];
            rp[r] = m;
            rs[r] = s;
            rt[r] = 0;
            if (o.proration == CSM_PRORATION_SNAPSHOT) {
                if (ed >= last) {
                    rm[r] = v;
                } else { /* service in m, but not at its end */
                    rm[r] = 0;
                    rt[r] = 1;
                }
            } else {
                int32_t from = sd > first ? sd : first;
                int32_t to = ed < last ? ed : last;
                rm[r] = v * (double)(to - from + 1) / (double)dim;
            }
            r++;
        }
    }
    st = csm__ledger_build(out, rc, rp, rm, rs,
                           o.proration == CSM_PRORATION_SNAPSHOT ? rt : NULL,
                           r, &lo, err);
    if (st == CSM_OK && (st = add_intervals(*out, ct, &o)) != CSM_OK) {
        csm_ledger_free(*out);
        *out = NULL;
        csm__fail(err, st, CSM_NO_ROW, NULL, NULL);
    }
done:
    csm__free(a, rc);
    csm__free(a, rp);
    csm__free(a, rm);
    csm__free(a, rs);
    csm__free(a, rt);
    return st;
}
