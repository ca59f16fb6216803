/* cohort.c - cohort matrices [cohort x age] of active customers and MRR,
 * absolute and relative to the baseline age. */
#include <math.h>
#include <string.h>

#include "csmetrics/cohorts.h"
#include "internal/ledger_impl.h"
#include "internal/table.h"

CSM__DEFINE_OPTS_INIT(csm_cohorts_opts_init, csm_cohorts_opts, CSM_COHORTS_OPTS_INIT)

#define COL(m, n, ty, st, r, d) CSM__COLDEF(csm_cohorts, m, n, ty, st, r, d)
static const csm__coldef coh_cols[] = {CSM_COHORTS_COLUMNS(COL)};
static const csm__coldef cell_cols[] = {CSM_COHORT_CELLS_COLUMNS(COL)};
#undef COL

CSM__DEFINE_RESULT_FREE(csm_cohorts_free, csm_cohorts)

CSM_API csm_status csm_cohorts_compute(csm_cohorts **out, const csm_ledger *l,
                                       const csm_cohorts_opts *opts,
                                       csm_error *err) {
    csm_cohorts_opts o = CSM_COHORTS_OPTS_INIT;
    csm_status st = csm__ledger_call(out != NULL, l, &o, sizeof o, opts, err);
    if (out)
        *out = NULL;
    if (st != CSM_OK)
        return st;
    if (o.baseline != 0 && o.baseline != 1)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "opts.baseline",
                         "baseline age must be 0 or 1");
    if (o.n_keys > 0 && (!o.key_customer || !o.key_month))
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "opts.key_customer",
                         "cohort key arrays are NULL while n_keys > 0");
    for (size_t i = 0; i < o.n_keys; i++)
        if (!csm_month_valid(o.key_month[i]))
            return csm__fail(err, CSM_EDOMAIN, i, "key_month",
                             "month outside [CSM_MONTH_MIN, CSM_MONTH_MAX] "
                             "(years 0001..9999)");
    const csm_allocator *a = csm__ledger_allocator(l);
    const int byseg = o.by_segment != 0;
    const size_t nseg = csm__seg_rows(l, byseg);

    /* cohort month and segment of every customer (INT32_MIN: none) */
    int32_t *cm = csm__alloc_array(a, l->n_cust, sizeof *cm);
    uint32_t *cs = csm__alloc_array(a, l->n_cust, sizeof *cs);
    size_t *key_row = NULL;
    csm_cohorts *res = NULL;
    size_t *rowmap = NULL;
    if (!cm || !cs) {
        st = csm__fail(err, CSM_ENOMEM, CSM_NO_ROW, NULL, NULL);
        goto done;
    }
    for (size_t c = 0; c < l->n_cust; c++) {
        cm[c] = l->period[l->cust_off[c]];
        cs[c] = csm__lseg(l, l->cust_off[c]);
    }
    if (o.n_keys > 0) {
        key_row = csm__alloc_array(a, l->n_cust, sizeof *key_row);
        if (!key_row) {
            st = csm__fail(err, CSM_ENOMEM, CSM_NO_ROW, NULL, NULL);
            goto done;
        }
        st = csm__ledger_match(key_row, l, o.key_customer, o.n_keys,
                               "key_customer", "customer has two cohort keys",
                               err);
        if (st != CSM_OK)
            goto done;
        for (size_t c = 0; c < l->n_cust; c++) {
            if (key_row[c] == SIZE_MAX)
                continue;
            cm[c] = o.key_month[key_row[c]];
            /* segment: the first entry at or after the key month, or the
             * last entry */
            size_t j = csm__ledger_entry_from(l, c, cm[c]);
            cs[c] = csm__lseg(l, j < l->cust_off[c + 1] ? j : j - 1);
        }
    }
    /* cohort range and ages */
    int32_t cmin = INT32_MAX, cmax = INT32_MIN;
    for (size_t c = 0; c < l->n_cust; c++) {
        if (cm[c] < cmin)
            cmin = cm[c];
        if (cm[c] > cmax)
            cmax = cm[c];
    }
    size_t n_ages = 0, span = 0;
    if (l->n_cust > 0) {
        int64_t ages = (int64_t)l->last_month - cmin + 1;
        if (ages < 1)
            ages = 1;
        if (o.max_age > 0 && ages > (int64_t)o.max_age + 1)
            ages = (int64_t)o.max_age + 1;
        if ((int64_t)cmax - cmin + 1 > CSM__MAX_MONTHS ||
            ages > CSM__MAX_MONTHS) {
            st = csm__fail(err, CSM_ERANGE, CSM_NO_ROW, "key_month",
                           "cohort range too long (over 10,000 years)");
            goto done;
        }
        n_ages = (size_t)ages;
        span = (size_t)((int64_t)cmax - cmin + 1);
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

    size_t cells = nco * n_ages;
    if (n_ages && cells / n_ages != nco) {
        st = csm__fail(err, CSM_ERANGE, CSM_NO_ROW, NULL, "matrix too large");
        goto done;
    }
    const csm__tabspec spec[2] = {
        {"cohorts", coh_cols, CSM__NCOLS(coh_cols), nco},
        {"cohort_cells", cell_cols, CSM__NCOLS(cell_cols), cells}};
    res = csm__result_new(a, "cohorts", sizeof *res, spec, 2, NULL, 0, 0);
    if (!res) {
        st = csm__fail(err, CSM_ENOMEM, CSM_NO_ROW, NULL, NULL);
        goto done;
    }
    res->n_cohorts = nco;
    res->n_ages = n_ages;
    csm__ksum *ks = csm__alloc_array(a, cells, sizeof *ks);
    if (!ks) {
        st = csm__fail(err, CSM_ENOMEM, CSM_NO_ROW, NULL, NULL);
        goto done;
    }
    memset(ks, 0, cells * sizeof *ks);
    /* sizes and cell counts start at 0: the block is zero-filled */
    for (size_t i = 0; i < span * nseg; i++) {
        if (rowmap[i] == SIZE_MAX)
            continue;
        size_t k = rowmap[i];
        res->cohort[k] = cmin + (int32_t)(i / nseg);
        res->segment[k] = csm__seg_key(l, byseg, i % nseg);
    }
    /* the cells' keys, row k * n_ages + age */
    for (size_t k = 0; k < nco; k++)
        for (size_t age = 0; age < n_ages; age++) {
            size_t cell = k * n_ages + age;
            res->cell_cohort[cell] = res->cohort[k];
            res->cell_segment[cell] = res->segment[k];
            res->cell_age[cell] = (int32_t)age;
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
    for (size_t k = 0; k < nco; k++) {
        uint32_t fl = 0;
        size_t bcell = k * n_ages + (size_t)o.baseline;
        int base_obs = (size_t)o.baseline < n_ages &&
                       (int64_t)res->cohort[k] + o.baseline <= l->last_month;
        double bc = base_obs ? res->customers[bcell] : NAN;
        double bm = base_obs ? csm__ksum_value(&ks[bcell]) : NAN;
        for (size_t age = 0; age < n_ages; age++) {
            size_t cell = k * n_ages + age;
            if ((int64_t)res->cohort[k] + (int64_t)age > l->last_month) {
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
    csm__free(a, ks);
    *out = res;
    res = NULL;
    st = CSM_OK;
done:
    csm__free(a, cm);
    csm__free(a, cs);
    csm__free(a, key_row);
    csm__free(a, rowmap);
    csm_cohorts_free(res);
    return st;
}
