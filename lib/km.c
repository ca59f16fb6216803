/* km.c - Kaplan-Meier survival curves with right-censoring, weights,
 * groups, Greenwood bands, medians, restricted means and reads at chosen
 * times (the "km", "km_groups" and "km_at" tables). */
#include <math.h>
#include <stdlib.h>

#include "csmetrics/km.h"
#include "internal/table.h"
#include "internal/util.h"


/* "x <= 0.5" with a relative rounding tolerance of 1e-12 */
#define HALF_TOL (0.5 * (1.0 + 1e-12))
CSM__DEFINE_OPTS_INIT(csm_km_opts_init, csm_km_opts, CSM_KM_OPTS_INIT)

#define KM_COL(m, n, ty, st, r, d) CSM__COLDEF(csm_km, m, n, ty, st, r, d)
static const csm__coldef km_cols[] = {CSM_KM_COLUMNS(KM_COL)};
static const csm__coldef km_group_cols[] = {CSM_KM_GROUP_COLUMNS(KM_COL)};
static const csm__coldef km_at_cols[] = {CSM_KM_AT_COLUMNS(KM_COL)};
#undef KM_COL

CSM__DEFINE_RESULT_FREE(csm_km_free, csm_km)

typedef struct {
    double t;
    double w;
    size_t row; /* input row (ties broken by it: a fixed summation order) */
    int32_t g;
    uint8_t e;
} km_obs;

static int cmp_obs(const void *x, const void *y) {
    const km_obs *p = x, *q = y;
    if (p->g != q->g)
        return p->g < q->g ? -1 : 1;
    if (p->t != q->t)
        return p->t < q->t ? -1 : 1;
    return (p->row > q->row) - (p->row < q->row);
}

/* Fill the rows of one curve from obs[lo, hi) (sorted by time; zero
 * weights skipped) starting at row r0; return the number of rows. */
static size_t km_curve(csm_km *k, size_t gi, const km_obs *obs, size_t lo,
                       size_t hi, size_t r0, double z, double horizon_opt) {
    /* pass 1: one row per distinct time with positive weight */
    size_t r = r0;
    csm__ksum tot = {0, 0}, tev = {0, 0};
    for (size_t i = lo; i < hi;) {
        if (obs[i].w == 0.0) {
            i++;
            continue;
        }
        double t = obs[i].t;
        csm__ksum d = {0, 0}, c = {0, 0};
        while (i < hi && obs[i].t == t) {
            if (obs[i].w > 0.0)
                csm__ksum_add(obs[i].e ? &d : &c, obs[i].w);
            i++;
        }
        k->time[r] = t;
        k->n_event[r] = csm__ksum_value(&d);
        k->n_censor[r] = csm__ksum_value(&c);
        csm__ksum_add(&tev, k->n_event[r]);
        r++;
    }
    size_t nr = r - r0;
    /* pass 2: at risk n(t_k) = d_k + c_k + n(t_{k+1}), from the end, so a
     * last row with events only has n == d exactly */
    for (size_t j = nr; j-- > 0;) {
        size_t q = r0 + j;
        csm__ksum_add(&tot, k->n_event[q]);
        csm__ksum_add(&tot, k->n_censor[q]);
        k->n_risk[q] = csm__ksum_value(&tot);
    }
    /* pass 3: product-limit, Greenwood, log-log band */
    double S = 1.0, V = 0.0;
    uint32_t gf = 0;
    double med = NAN, mlo = NAN, mhi = NAN;
    for (size_t j = 0; j < nr; j++) {
        size_t q = r0 + j;
        double n = k->n_risk[q], d = k->n_event[q];
        uint32_t fl = 0;
        if (d > 0.0) {
            if (d >= n) {
                S = 0.0;
                V = INFINITY;
            } else {
                S *= 1.0 - d / n;
                V += d / (n * (n - d));
            }
        }
        k->surv[q] = S;
        if (S == 1.0) {
            k->se[q] = 0.0;
            k->lower[q] = 1.0;
            k->upper[q] = 1.0;
        } else if (S > 0.0 && isfinite(V)) {
            double sv = sqrt(V);
            k->se[q] = S * sv;
            double lS = log(S);
            double s = sv / fabs(lS);
            double ll = log(-lS);
            k->lower[q] = exp(-exp(ll + z * s));
            k->upper[q] = exp(-exp(ll - z * s));
        } else {
            k->se[q] = NAN;
            k->lower[q] = NAN;
            k->upper[q] = NAN;
            fl |= CSM_FLAG_DEGENERATE;
        }
        k->flags[q] = fl;
        if (isnan(med) && S <= HALF_TOL)
            med = k->time[q];
        if (isnan(mlo) && k->lower[q] <= HALF_TOL)
            mlo = k->time[q];
        if (isnan(mhi) && k->upper[q] <= HALF_TOL)
            mhi = k->time[q];
    }
    /* restricted mean: area under the step function from 0 to horizon */
    double rmst = NAN, hz = NAN;
    if (nr > 0) {
        hz = horizon_opt > 0.0 ? horizon_opt : k->time[r0 + nr - 1];
        csm__ksum area = {0, 0};
        double pt = 0.0, ps = 1.0;
        int done = 0;
        for (size_t j = 0; j < nr && !done; j++) {
            size_t q = r0 + j;
            double t = k->time[q];
            if (t >= hz) {
                csm__ksum_add(&area, ps * (hz - pt));
                done = 1;
            } else {
                csm__ksum_add(&area, ps * (t - pt));
                pt = t;
                ps = k->surv[q];
            }
        }
        if (!done)
            csm__ksum_add(&area, ps * (hz - pt));
        rmst = csm__ksum_value(&area);
    } else {
        gf |= CSM_FLAG_EMPTY;
    }
    if (isnan(med))
        gf |= CSM_FLAG_MEDIAN_NOT_REACHED;
    if (isnan(mlo))
        gf |= CSM_FLAG_MEDIAN_LOWER_NOT_REACHED;
    if (isnan(mhi))
        gf |= CSM_FLAG_MEDIAN_UPPER_NOT_REACHED;
    k->n_obs[gi] = csm__ksum_value(&tot);
    k->n_events[gi] = csm__ksum_value(&tev);
    k->median[gi] = med;
    k->median_lower[gi] = mlo;
    k->median_upper[gi] = mhi;
    k->rmst[gi] = rmst;
    k->horizon[gi] = hz;
    k->group_flags[gi] = gf;
    return nr;
}

/* Row q of "km_at": curve g read at time t (csm_km_compute's rules). */
static void km_read_at(csm_km *k, size_t g, double t, size_t q) {
    const size_t lo = k->row_offset[g], hi = k->row_offset[g + 1];
    k->at_group[q] = k->group[g];
    k->at_time[q] = t;
    if (lo == hi) { /* no observations: nothing to read */
        k->at_surv[q] = k->at_lower[q] = k->at_upper[q] = NAN;
        k->at_risk[q] = 0.0;
        return;
    }
    /* the first row with time > t (binary search: times ascend) */
    size_t l = lo, h = hi;
    while (l < h) {
        size_t mid = l + (h - l) / 2;
        if (k->time[mid] <= t)
            l = mid + 1;
        else
            h = mid;
    }
    if (l == lo) { /* before the first time */
        k->at_surv[q] = k->at_lower[q] = k->at_upper[q] = 1.0;
    } else {
        k->at_surv[q] = k->surv[l - 1];
        k->at_lower[q] = k->lower[l - 1];
        k->at_upper[q] = k->upper[l - 1];
    }
    /* at risk: the first row with time >= t */
    size_t f = (l > lo && k->time[l - 1] == t) ? l - 1 : l;
    k->at_risk[q] = f < hi ? k->n_risk[f] : 0.0;
}

CSM_API csm_status csm_km_compute(csm_km **out, const double *duration,
                                  const uint8_t *event, const double *weight,
                                  const int32_t *group, size_t n,
                                  const csm_km_opts *opts, csm_error *err) {
    csm_error_clear(err);
    if (!out)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "out", "is NULL");
    *out = NULL;
    csm_km_opts o = CSM_KM_OPTS_INIT;
    csm_status st = csm__opts_load(&o, sizeof o, opts, err);
    if (st != CSM_OK)
        return st;
    if (!(o.level > 0.0 && o.level < 1.0))
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "opts.level",
                         "confidence level must be in (0, 1)");
    if (!csm__nonneg(o.horizon))
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "opts.horizon",
                         "horizon must be finite and >= 0");
    if (o.n_at_times > 0 && !o.at_times)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "opts.at_times",
                         "is NULL while n_at_times > 0");
    for (size_t j = 0; j < o.n_at_times; j++)
        if (!csm__nonneg(o.at_times[j]))
            return csm__fail(err, CSM_EDOMAIN, j, "opts.at_times",
                             "a time must be finite and >= 0");
    if (n > 0 && !duration)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "duration",
                         "is NULL while n > 0");
    if (n > 0 && !event)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "event",
                         "is NULL while n > 0");
    double wsum = 0.0;
    for (size_t i = 0; i < n; i++) {
        if (!csm__nonneg(duration[i]))
            return csm__fail(err, CSM_EDOMAIN, i, "duration",
                             "duration must be finite and >= 0");
        if (event[i] > 1)
            return csm__fail(err, CSM_EDOMAIN, i, "event",
                             "event flag must be 0 (censored) or 1 (churned)");
        if (weight && !csm__nonneg(weight[i]))
            return csm__fail(err, CSM_EDOMAIN, i, "weight",
                             "weight must be finite and >= 0");
        if (!csm__sum_bound_add(&wsum, weight ? weight[i] : 1.0))
            return csm__fail(err, CSM_ERANGE, i, "weight",
                             "the weights sum beyond CSM_SUM_MAX (1e300)");
        if (group && group[i] == CSM_CODE_ALL)
            return csm__fail(err, CSM_EDOMAIN, i, "group",
                             "group id INT32_MIN is reserved for the overall "
                             "curve");
    }
    const csm_allocator *a = o.allocator;
    st = csm__alloc_check(a, "opts.allocator", err);
    if (st != CSM_OK)
        return st;
    const int overall = group == NULL || o.include_overall != 0;
    const int grouped = group != NULL;
    size_t nobs = (grouped ? n : 0) + (overall ? n : 0);
    if (grouped && overall && nobs < n)
        return csm__fail(err, CSM_ERANGE, CSM_NO_ROW, "n", "too many rows");
    km_obs *obs = csm__alloc_array(a, nobs, sizeof *obs);
    csm_km *k = NULL;
    if (!obs) {
        st = csm__fail(err, CSM_ENOMEM, CSM_NO_ROW, NULL, NULL);
        goto fail;
    }
    size_t m = 0;
    for (int pass = 0; pass < 2; pass++) {
        if ((pass == 0 && !overall) || (pass == 1 && !grouped))
            continue;
        for (size_t i = 0; i < n; i++, m++) {
            obs[m].t = duration[i];
            obs[m].w = weight ? weight[i] : 1.0;
            obs[m].e = event[i];
            obs[m].row = i;
            obs[m].g = pass == 0 ? CSM_CODE_ALL : group[i];
        }
    }
    if (nobs > 1)
        qsort(obs, nobs, sizeof *obs, cmp_obs);
    /* count curves and rows */
    size_t ng = 0, nrows = 0;
    for (size_t i = 0; i < nobs;) {
        if (i == 0 || obs[i].g != obs[i - 1].g)
            ng++;
        /* one (group, time) block: a row when any weight is positive */
        int pos = 0;
        size_t j = i;
        while (j < nobs && obs[j].g == obs[i].g && obs[j].t == obs[i].t)
            pos |= obs[j++].w > 0.0;
        nrows += pos != 0;
        i = j;
    }
    if (!grouped && nobs == 0)
        ng = 1; /* the empty overall curve */
    if (o.n_at_times > 0 && ng > SIZE_MAX / o.n_at_times) {
        st = csm__fail(err, CSM_ENOMEM, CSM_NO_ROW, "opts.n_at_times",
                       "curves x times overflow");
        goto fail;
    }
    const size_t nat = ng * o.n_at_times;

    /* one block: the curves' rows ("km"), the curves ("km_groups"), the
     * curves at the chosen times ("km_at") and row_offset (not a column) */
    const csm__tabspec tabs[3] = {
        {"km", km_cols, CSM__NCOLS(km_cols), nrows},
        {"km_groups", km_group_cols, CSM__NCOLS(km_group_cols), ng},
        {"km_at", km_at_cols, CSM__NCOLS(km_at_cols), nat}};
    const csm__extra extra = {offsetof(csm_km, row_offset), ng + 1,
                              sizeof(size_t)};
    k = csm__result_new(a, "km", sizeof *k, tabs, 3, &extra, 1, 0);
    if (!k) {
        st = csm__fail(err, CSM_ENOMEM, CSM_NO_ROW, NULL, NULL);
        goto fail;
    }
    k->n_groups = ng;
    k->n_rows = nrows;
    k->level = o.level;
    const double z = csm__norm_quantile(1.0 - (1.0 - o.level) / 2.0);
    size_t r = 0, gi = 0;
    if (nobs == 0 && ng == 1) {
        k->group[0] = CSM_CODE_ALL;
        k->row_offset[0] = 0;
        km_curve(k, 0, obs, 0, 0, 0, z, o.horizon);
        k->row_offset[1] = 0;
    } else {
        for (size_t i = 0; i < nobs;) {
            size_t j = i;
            while (j < nobs && obs[j].g == obs[i].g)
                j++;
            k->group[gi] = obs[i].g;
            k->row_offset[gi] = r;
            size_t nr = km_curve(k, gi, obs, i, j, r, z, o.horizon);
            for (size_t q = r; q < r + nr; q++)
                k->row_group[q] = obs[i].g;
            r += nr;
            gi++;
            i = j;
        }
        k->row_offset[ng] = r;
    }
    k->n_at_times = o.n_at_times;
    k->n_at_rows = nat;
    for (size_t g = 0; g < ng; g++)
        for (size_t j = 0; j < o.n_at_times; j++)
            km_read_at(k, g, o.at_times[j], g * o.n_at_times + j);
    csm__free(a, obs);
    *out = k;
    return CSM_OK;
fail:
    csm__free(a, obs);
    csm_km_free(k);
    return st;
}
