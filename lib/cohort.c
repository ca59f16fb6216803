/* cohort.c - cohort matrices [cohort x age] of active customers and MRR,
 * absolute and relative to the baseline age; and their partial states
 * (csmetrics/partial.h): cohort month x segment x age cells. */
#include <math.h>
#include <string.h>

#include "csmetrics/cohorts.h"
#include "internal/ledger_impl.h"
#include "internal/partial.h"
#include "internal/table.h"

CSM__DEFINE_OPTS_INIT(csm_cohorts_opts_init, csm_cohorts_opts, CSM_COHORTS_OPTS_INIT)

#define COL(m, n, ty, st, r, d) CSM__COLDEF(csm_cohorts, m, n, ty, st, r, d)
static const csm__coldef coh_cols[] = {CSM_COHORTS_COLUMNS(COL)};
static const csm__coldef cell_cols[] = {CSM_COHORT_CELLS_COLUMNS(COL)};
#undef COL

CSM__DEFINE_RESULT_FREE(csm_cohorts_free, csm_cohorts)

/* The argument checks of both calls: the ledger call's, then the options
 * (loaded into *o). */
static csm_status cohorts_call(int has_out, const csm_ledger *l,
                               csm_cohorts_opts *o,
                               const csm_cohorts_opts *opts, csm_error *err) {
    *o = (csm_cohorts_opts)CSM_COHORTS_OPTS_INIT;
    csm_status st = csm__ledger_call(has_out, l, o, sizeof *o, opts, err);
    if (st != CSM_OK)
        return st;
    if (o->baseline != 0 && o->baseline != 1)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "opts.baseline",
                         "baseline age must be 0 or 1");
    if (o->n_keys > 0 && (!o->key_customer || !o->key_month))
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "opts.key_customer",
                         "cohort key arrays are NULL while n_keys > 0");
    for (size_t i = 0; i < o->n_keys; i++)
        if (!csm_month_valid(o->key_month[i]))
            return csm__fail(err, CSM_EDOMAIN, i, "key_month",
                             "month outside [CSM_MONTH_MIN, CSM_MONTH_MAX] "
                             "(years 0001..9999)");
    return CSM_OK;
}

/* The cohort month cm[c] and segment index cs[c] of every customer c
 * (arrays of l->n_cust through the ledger's allocator, freed by the
 * caller, also on failure), and the range [*cmin, *cmax] of the cohort
 * months (INT32_MAX, INT32_MIN without customers). */
static csm_status cohorts_assign(int32_t **cm_out, uint32_t **cs_out,
                                 int32_t *cmin, int32_t *cmax,
                                 const csm_ledger *l, const csm_cohorts_opts *o,
                                 csm_error *err) {
    const csm_allocator *a = csm__ledger_allocator(l);
    int32_t *cm = *cm_out = csm__alloc_array(a, l->n_cust, sizeof *cm);
    uint32_t *cs = *cs_out = csm__alloc_array(a, l->n_cust, sizeof *cs);
    if (!cm || !cs)
        return csm__fail(err, CSM_ENOMEM, CSM_NO_ROW, NULL, NULL);
    for (size_t c = 0; c < l->n_cust; c++) {
        cm[c] = l->period[l->cust_off[c]];
        cs[c] = csm__lseg(l, l->cust_off[c]);
    }
    if (o->n_keys > 0) {
        size_t *key_row = csm__alloc_array(a, l->n_cust, sizeof *key_row);
        if (!key_row)
            return csm__fail(err, CSM_ENOMEM, CSM_NO_ROW, NULL, NULL);
        csm_status st = csm__ledger_match(key_row, l, o->key_customer,
                                          o->n_keys, "key_customer",
                                          "customer has two cohort keys", err);
        for (size_t c = 0; st == CSM_OK && c < l->n_cust; c++) {
            if (key_row[c] == SIZE_MAX)
                continue;
            cm[c] = o->key_month[key_row[c]];
            /* segment: the first entry at or after the key month, or the
             * last entry */
            size_t j = csm__ledger_entry_from(l, c, cm[c]);
            cs[c] = csm__lseg(l, j < l->cust_off[c + 1] ? j : j - 1);
        }
        csm__free(a, key_row);
        if (st != CSM_OK)
            return st;
    }
    *cmin = INT32_MAX;
    *cmax = INT32_MIN;
    for (size_t c = 0; c < l->n_cust; c++) {
        if (cm[c] < *cmin)
            *cmin = cm[c];
        if (cm[c] > *cmax)
            *cmax = cm[c];
    }
    return CSM_OK;
}

/* The ages of cohorts from cmin on with data up to `last` (at least 1,
 * at most max_age + 1 when max_age > 0) and the span of the cohort months
 * cmin..cmax.  CSM_ERANGE over 10,000 years. */
static csm_status cohorts_shape(size_t *n_ages, size_t *span, int32_t cmin,
                                int32_t cmax, int32_t last, int32_t max_age,
                                csm_error *err) {
    int64_t ages = (int64_t)last - cmin + 1;
    if (ages < 1)
        ages = 1;
    if (max_age > 0 && ages > (int64_t)max_age + 1)
        ages = (int64_t)max_age + 1;
    if ((int64_t)cmax - cmin + 1 > CSM__MAX_MONTHS || ages > CSM__MAX_MONTHS)
        return csm__fail(err, CSM_ERANGE, CSM_NO_ROW, "key_month",
                         "cohort range too long (over 10,000 years)");
    *n_ages = (size_t)ages;
    *span = (size_t)((int64_t)cmax - cmin + 1);
    return CSM_OK;
}

/* The result of nco cohorts x n_ages ages, zero-filled, and the
 * compensated sums of its cells (*ks, zero).  CSM_ERANGE (too large),
 * CSM_ENOMEM; on failure nothing is left allocated. */
static csm_status cohorts_new(csm_cohorts **out, csm__ksum **ks,
                              const csm_allocator *a, size_t nco,
                              size_t n_ages, csm_error *err) {
    size_t cells = nco * n_ages;
    *out = NULL;
    *ks = NULL;
    if (n_ages && cells / n_ages != nco)
        return csm__fail(err, CSM_ERANGE, CSM_NO_ROW, NULL, "matrix too large");
    const csm__tabspec spec[2] = {
        {"cohorts", coh_cols, CSM__NCOLS(coh_cols), nco},
        {"cohort_cells", cell_cols, CSM__NCOLS(cell_cols), cells}};
    csm_cohorts *res =
        csm__result_new(a, "cohorts", sizeof *res, spec, 2, NULL, 0, 0);
    *ks = res ? csm__alloc_array(a, cells, sizeof **ks) : NULL;
    if (!*ks) {
        csm_cohorts_free(res);
        return csm__fail(err, CSM_ENOMEM, CSM_NO_ROW, NULL, NULL);
    }
    memset(*ks, 0, cells * sizeof **ks);
    res->n_cohorts = nco;
    res->n_ages = n_ages;
    *out = res;
    return CSM_OK;
}

/* Finish a result whose cohort keys, sizes, cell counts (customers) and
 * cell sums (ks) are filled: the cells' keys, their MRR, the fractions of
 * the baseline age and the NaN of the cells past the data's last month. */
static void cohorts_finish(csm_cohorts *res, const csm__ksum *ks, int baseline,
                           int32_t last_month) {
    const size_t nco = res->n_cohorts, n_ages = res->n_ages;
    /* the cells' keys, row k * n_ages + age */
    for (size_t k = 0; k < nco; k++)
        for (size_t age = 0; age < n_ages; age++) {
            size_t cell = k * n_ages + age;
            res->cell_cohort[cell] = res->cohort[k];
            res->cell_segment[cell] = res->segment[k];
            res->cell_age[cell] = (int32_t)age;
        }
    for (size_t k = 0; k < nco; k++) {
        uint32_t fl = 0;
        size_t bcell = k * n_ages + (size_t)baseline;
        int base_obs = (size_t)baseline < n_ages &&
                       (int64_t)res->cohort[k] + baseline <= last_month;
        double bc = base_obs ? res->customers[bcell] : NAN;
        double bm = base_obs ? csm__ksum_value(&ks[bcell]) : NAN;
        for (size_t age = 0; age < n_ages; age++) {
            size_t cell = k * n_ages + age;
            if ((int64_t)res->cohort[k] + (int64_t)age > last_month) {
                res->customers[cell] = NAN;
                res->mrr[cell] = NAN;
                res->customers_frac[cell] = NAN;
                res->mrr_frac[cell] = NAN;
                continue;
            }
            res->mrr[cell] = csm__ksum_value(&ks[cell]);
            if (!base_obs) {
                res->customers_frac[cell] = NAN;
                res->mrr_frac[cell] = NAN;
                fl |= CSM_FLAG_ZERO_DENOMINATOR;
                continue;
            }
            res->customers_frac[cell] =
                csm__ratio(res->customers[cell], bc, &fl);
            res->mrr_frac[cell] = csm__ratio(res->mrr[cell], bm, &fl);
        }
        res->flags[k] = fl;
    }
}

CSM_API csm_status csm_cohorts_compute(csm_cohorts **out, const csm_ledger *l,
                                       const csm_cohorts_opts *opts,
                                       csm_error *err) {
    csm_cohorts_opts o;
    csm_status st = cohorts_call(out != NULL, l, &o, opts, err);
    if (out)
        *out = NULL;
    if (st != CSM_OK)
        return st;
    const csm_allocator *a = csm__ledger_allocator(l);
    const int byseg = o.by_segment != 0;
    const size_t nseg = csm__seg_rows(l, byseg);

    /* cohort month and segment of every customer */
    int32_t *cm = NULL, cmin, cmax;
    uint32_t *cs = NULL;
    csm_cohorts *res = NULL;
    csm__ksum *ks = NULL;
    size_t *rowmap = NULL;
    st = cohorts_assign(&cm, &cs, &cmin, &cmax, l, &o, err);
    if (st != CSM_OK)
        goto done;
    /* cohort range and ages */
    size_t n_ages = 0, span = 0;
    if (l->n_cust > 0) {
        st = cohorts_shape(&n_ages, &span, cmin, cmax, l->last_month,
                           o.max_age, err);
        if (st != CSM_OK)
            goto done;
    }
    /* dense map (cohort month, segment) -> row, then compress */
    rowmap = csm__alloc_array(a, span * nseg, sizeof *rowmap);
    if (!rowmap) {
        st = csm__fail(err, CSM_ENOMEM, CSM_NO_ROW, NULL, NULL);
        goto done;
    }
    for (size_t i = 0; i < span * nseg; i++)
        rowmap[i] = SIZE_MAX;
    for (size_t c = 0; c < l->n_cust; c++)
        rowmap[(size_t)(cm[c] - cmin) * nseg + (byseg ? cs[c] : 0)] = 0;
    size_t nco = 0;
    for (size_t i = 0; i < span * nseg; i++)
        if (rowmap[i] != SIZE_MAX)
            rowmap[i] = nco++;

    st = cohorts_new(&res, &ks, a, nco, n_ages, err);
    if (st != CSM_OK)
        goto done;
    /* sizes and cell counts start at 0: the block is zero-filled */
    for (size_t i = 0; i < span * nseg; i++) {
        if (rowmap[i] == SIZE_MAX)
            continue;
        size_t k = rowmap[i];
        res->cohort[k] = cmin + (int32_t)(i / nseg);
        res->segment[k] = csm__seg_key(l, byseg, i % nseg);
    }
    for (size_t c = 0; c < l->n_cust; c++) {
        size_t k = rowmap[(size_t)(cm[c] - cmin) * nseg + (byseg ? cs[c] : 0)];
        res->size[k]++;
        for (size_t j = l->cust_off[c]; j < l->cust_off[c + 1]; j++) {
            int64_t age = (int64_t)l->period[j] - cm[c];
            if (age < 0 || age >= (int64_t)n_ages)
                continue;
            size_t cell = k * n_ages + (size_t)age;
            res->customers[cell] += 1.0;
            csm__ksum_add(&ks[cell], l->mrr[j]);
        }
    }
    cohorts_finish(res, ks, o.baseline, l->last_month);
    *out = res;
    res = NULL;
    st = CSM_OK;
done:
    csm__free(a, cm);
    csm__free(a, cs);
    csm__free(a, ks);
    csm__free(a, rowmap);
    csm_cohorts_free(res);
    return st;
}

/* ---- partial states (csmetrics/partial.h) ------------------------------- */
/* A cell (cohort month, segment, age): the MRR of the cohort's members
 * active at that age; counts: those members, and (at age 0 only) the
 * cohort's size. */
enum { CC_ACTIVE, CC_SIZE, CC_N };
_Static_assert(CC_N == CSM__PARTIAL_COHORTS_NC, "cohorts counts");
_Static_assert(1 == CSM__PARTIAL_COHORTS_NM, "cohorts sums");

/* The options of a state as its params (the cohort keys as their count
 * and a hash of the pairs, so that states of other keys do not merge). */
enum { P_BASE, P_BYSEG, P_MAXAGE, P_NKEYS, P_KEYHASH };
_Static_assert(P_BYSEG == CSM__PARTIAL_COHORTS_BYSEG, "cohorts by_segment");
static void opts_to_params(int64_t *pa, const csm_cohorts_opts *o) {
    uint64_t h = 1469598103934665603ULL; /* FNV-1a over the pairs */
    for (size_t i = 0; i < o->n_keys; i++) {
        uint64_t v[2] = {(uint64_t)o->key_customer[i],
                         (uint64_t)(uint32_t)o->key_month[i]};
        for (int w = 0; w < 2; w++)
            for (int b = 0; b < 64; b += 8)
                h = (h ^ ((v[w] >> b) & 0xffu)) * 1099511628211ULL;
    }
    pa[P_BASE] = o->baseline;
    pa[P_BYSEG] = o->by_segment != 0;
    pa[P_MAXAGE] = o->max_age > 0 ? o->max_age : 0;
    pa[P_NKEYS] = (int64_t)o->n_keys;
    pa[P_KEYHASH] = (int64_t)h;
}

CSM_API csm_status csm_cohorts_partial_compute(csm_partial **out,
                                               const csm_ledger *l,
                                               const csm_cohorts_opts *opts,
                                               csm_error *err) {
    csm_cohorts_opts o;
    csm_status st = cohorts_call(out != NULL, l, &o, opts, err);
    if (out)
        *out = NULL;
    if (st != CSM_OK)
        return st;
    const csm_allocator *a = csm__ledger_allocator(l);
    const int byseg = o.by_segment != 0;
    int32_t *cm = NULL, cmin, cmax;
    uint32_t *cs = NULL;
    csm_partial *p = NULL;
    st = cohorts_assign(&cm, &cs, &cmin, &cmax, l, &o, err);
    size_t n_ages = 0, span = 0;
    if (st == CSM_OK && l->n_cust > 0)
        st = cohorts_shape(&n_ages, &span, cmin, cmax, l->last_month,
                           o.max_age, err);
    if (st != CSM_OK)
        goto done;
    /* the grid: the partition's cohort months x its segments (keyed by
     * id) x its ages */
    p = csm__partial_new_aged(a, CSM_PARTIAL_COHORTS, byseg, l->seg_ids,
                              l->n_seg, span ? cmin : 0, span, n_ages,
                              CSM__PARTIAL_COHORTS_NM, CC_N);
    if (!p) {
        st = csm__fail(err, CSM_ENOMEM, CSM_NO_ROW, NULL, NULL);
        goto done;
    }
    opts_to_params(p->params, &o);
    p->data_first = l->first_month;
    p->data_last = l->last_month;
    for (size_t c = 0; c < l->n_cust; c++) {
        size_t b = csm__partial_bucket(p, cm[c], byseg ? cs[c] : 0);
        p->c[b * CC_N + CC_SIZE]++;
        for (size_t j = l->cust_off[c]; j < l->cust_off[c + 1]; j++) {
            int64_t age = (int64_t)l->period[j] - cm[c];
            if (age < 0 || age >= (int64_t)n_ages)
                continue;
            size_t cell = b + (size_t)age;
            p->c[cell * CC_N + CC_ACTIVE]++;
            csm__ksum_add(&p->m[cell], l->mrr[j]);
        }
    }
    *out = p;
    p = NULL;
done:
    csm__free(a, cm);
    csm__free(a, cs);
    csm_partial_free(p);
    return st;
}

CSM_API csm_status csm_cohorts_partial_finalize(csm_cohorts **out,
                                                const csm_partial *p,
                                                csm_error *err) {
    csm_status st = csm__partial_call(out != NULL, p, CSM_PARTIAL_COHORTS, err);
    if (out)
        *out = NULL;
    if (st != CSM_OK)
        return st;
    const csm_allocator *a = csm__partial_allocator(p);
    const int byseg = p->params[P_BYSEG] != 0;
    /* keyed exactly when by segment (csm__partial_call's shape rules) */
    /* the cohorts: the buckets with members, in month then segment order;
     * the range of their months */
    size_t nco = 0;
    int32_t cmin = INT32_MAX, cmax = INT32_MIN;
    for (size_t t = 0; t < p->n_months; t++)
        for (size_t k = 0; k < p->n_keys; k++)
            if (p->c[csm__partial_bucket(p, p->lo + (int32_t)t, k) * CC_N +
                     CC_SIZE] > 0) {
                nco++;
                if (cmin == INT32_MAX)
                    cmin = p->lo + (int32_t)t;
                cmax = p->lo + (int32_t)t;
            }
    size_t n_ages = 0, span = 0;
    if (nco > 0) {
        st = cohorts_shape(&n_ages, &span, cmin, cmax, p->data_last,
                           (int32_t)p->params[P_MAXAGE], err);
        if (st != CSM_OK)
            return st;
    }
    csm_cohorts *res = NULL;
    csm__ksum *ks = NULL;
    st = cohorts_new(&res, &ks, a, nco, n_ages, err);
    if (st != CSM_OK)
        return st;
    /* a state's ages cover every age its partitions' data reach (never
     * more than n_ages): the cells past them are zero */
    const size_t ages = n_ages < p->n_ages ? n_ages : p->n_ages;
    size_t row = 0;
    for (size_t t = 0; t < p->n_months; t++)
        for (size_t k = 0; k < p->n_keys; k++) {
            size_t b = csm__partial_bucket(p, p->lo + (int32_t)t, k);
            if (p->c[b * CC_N + CC_SIZE] == 0)
                continue;
            res->cohort[row] = p->lo + (int32_t)t;
            res->segment[row] = byseg ? (int32_t)p->keys[k] : CSM_CODE_ALL;
            res->size[row] = p->c[b * CC_N + CC_SIZE];
            for (size_t age = 0; age < ages; age++) {
                res->customers[row * n_ages + age] =
                    (double)p->c[(b + age) * CC_N + CC_ACTIVE];
                ks[row * n_ages + age] = p->m[b + age];
            }
            row++;
        }
    cohorts_finish(res, ks, (int)p->params[P_BASE], p->data_last);
    csm__free(a, ks);
    *out = res;
    return CSM_OK;
}
