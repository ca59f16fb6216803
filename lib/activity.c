/* activity.c - activity measures by account, segment, role, cohort,
 * lifecycle stage and product category. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "csmetrics/activity.h"
#include "internal/table.h"
#include "internal/util.h"

CSM__DEFINE_OPTS_INIT(csm_activity_opts_init, csm_activity_opts, CSM_ACTIVITY_OPTS_INIT)

enum { LIC, ACTV, USERS, SESS, MIN, FUSED, FAVAIL, DAU, MAU, NCOL };
static const char *const col_name[NCOL] = {
    "licensed_seats", "activated_seats", "active_users", "sessions", "minutes",
    "features_used",  "features_available", "dau",     "mau"};
/* numerator / denominator column of each measure */
static const int num_col[CSM_ACTIVITY_N] = {ACTV, USERS, SESS, MIN, MIN, FUSED, DAU};
static const int den_col[CSM_ACTIVITY_N] = {LIC, LIC, USERS, USERS, SESS, FAVAIL, MAU};
/* measures whose part may not exceed its whole */
static const int bounded[CSM_ACTIVITY_N] = {1, 1, 0, 0, 0, 1, 1};

static const char *const measure_name[CSM_ACTIVITY_N] = {
    "activation_rate",  "login_rate",          "sessions_per_user",
    "minutes_per_user", "minutes_per_session", "feature_breadth",
    "stickiness"};

CSM_API const char *csm_activity_measure_name(int m) {
    return m >= 0 && m < CSM_ACTIVITY_N ? measure_name[m] : "unknown";
}

static const char *const stage_name[] = {"onboarding", "launch", "growth",
                                         "mature"};

CSM_API const char *csm_activity_stage_name(int s) {
    return s >= CSM_ACTIVITY_STAGE_ONBOARDING && s <= CSM_ACTIVITY_STAGE_MATURE
               ? stage_name[s]
               : "unknown";
}

/* The checks of the lifecycle options: stage bounds in order, and what a
 * grouping by stage by tenure needs (cohorts, the rows' month, no cohort
 * after it). */
static csm_status check_stages(const csm_activity_opts *o,
                               const csm_activity_rows *rw, csm_error *err) {
    if (!(o->launch_month >= 1 && o->launch_month <= o->growth_month &&
          o->growth_month <= o->mature_month))
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "opts.launch_month",
                         "stage bounds must be 1 <= launch_month <= "
                         "growth_month <= mature_month");
    if (o->group_by != CSM_ACTIVITY_BY_STAGE || o->stage)
        return CSM_OK;
    if (o->month == CSM_MONTH_NONE || (rw->n > 0 && !rw->cohort))
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "opts.month",
                         "stages by tenure need the cohort column and the "
                         "rows' month");
    for (size_t i = 0; i < rw->n; i++)
        if (rw->cohort[i] > o->month)
            return csm__fail(err, CSM_EDOMAIN, i, "cohort",
                             "a cohort is after the rows' month");
    return CSM_OK;
}

CSM_API int32_t csm_activity_stage_of(const csm_activity_opts *opts,
                                      int64_t tenure) {
    static const csm_activity_opts defaults = CSM_ACTIVITY_OPTS_INIT;
    const csm_activity_opts *o = opts ? opts : &defaults;
    return tenure < o->launch_month   ? CSM_ACTIVITY_STAGE_ONBOARDING
           : tenure < o->growth_month ? CSM_ACTIVITY_STAGE_LAUNCH
           : tenure < o->mature_month ? CSM_ACTIVITY_STAGE_GROWTH
                                      : CSM_ACTIVITY_STAGE_MATURE;
}

#define COL(m, n, ty, st, r, d) CSM__COLDEF(csm_activity, m, n, ty, st, r, d)
static const csm__coldef act_cols[] = {CSM_ACTIVITY_COLUMNS(COL)};
static const csm__coldef measure_cols[] = {
    CSM_ACTIVITY_MEASURES_COLUMNS(COL)};
#undef COL

CSM__DEFINE_RESULT_FREE(csm_activity_free, csm_activity)

typedef struct {
    int64_t g;
    int64_t acc;
    uint32_t row;
} gkey;

static int cmp_gkey(const void *x, const void *y) {
    const gkey *p = x, *q = y;
    if (p->g != q->g)
        return p->g < q->g ? -1 : 1;
    if (p->acc != q->acc)
        return p->acc < q->acc ? -1 : 1;
    return (p->row > q->row) - (p->row < q->row);
}

CSM_API csm_status csm_activity_compute(csm_activity **out,
                                        const csm_activity_rows *rw,
                                        const csm_activity_opts *opts,
                                        csm_error *err) {
    csm_error_clear(err);
    if (!out)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "out", "is NULL");
    *out = NULL;
    if (!rw)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "rows", "is NULL");
    size_t n = rw->n;
    if (n > 0 && !rw->account_id)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "account_id",
                         "array is NULL while n > 0");
    csm_activity_opts o = CSM_ACTIVITY_OPTS_INIT;
    csm_status st = csm__opts_load(&o, sizeof o, opts, err);
    if (st != CSM_OK)
        return st;
    if (o.group_by < CSM_ACTIVITY_BY_ACCOUNT ||
        o.group_by > CSM_ACTIVITY_BY_CATEGORY)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "opts.group_by",
                         "unknown grouping");
    st = check_stages(&o, rw, err);
    if (st != CSM_OK)
        return st;
    const csm_allocator *a = o.allocator;
    st = csm__alloc_check(a, "opts.allocator", err);
    if (st != CSM_OK)
        return st;
    const double *col[NCOL] = {rw->licensed_seats, rw->activated_seats,
                               rw->active_users,   rw->sessions,
                               rw->minutes,        rw->features_used,
                               rw->features_available, rw->dau, rw->mau};
    for (size_t i = 0; i < n; i++) {
        for (int c = 0; c < NCOL; c++)
            if (col[c] && !(o.nan_missing && isnan(col[c][i])) &&
                !csm__nonneg(col[c][i]))
                return csm__fail(err, CSM_EDOMAIN, i, col_name[c],
                                 "counts must be finite and >= 0");
        if (!o.clamp)
            for (int m = 0; m < CSM_ACTIVITY_N; m++)
                if (bounded[m] && col[num_col[m]] && col[den_col[m]] &&
                    col[num_col[m]][i] > col[den_col[m]][i])
                    return csm__fail(err, CSM_EDOMAIN, i, col_name[num_col[m]],
                                     "a part exceeds its whole (e.g. more "
                                     "activated than licensed seats)");
    }
    gkey *g = csm__alloc_array(a, n, sizeof *g);
    csm_activity *r = NULL;
    if (!g) {
        st = csm__fail(err, CSM_ENOMEM, CSM_NO_ROW, NULL, NULL);
        goto done;
    }
    for (size_t i = 0; i < n; i++) {
        int64_t key = 0;
        switch (o.group_by) {
        case CSM_ACTIVITY_BY_ACCOUNT:
            key = rw->account_id[i];
            break;
        case CSM_ACTIVITY_BY_SEGMENT:
            key = rw->segment ? rw->segment[i] : 0;
            break;
        case CSM_ACTIVITY_BY_ROLE:
            key = rw->role ? rw->role[i] : 0;
            break;
        case CSM_ACTIVITY_BY_COHORT:
            key = rw->cohort ? rw->cohort[i] : 0;
            break;
        case CSM_ACTIVITY_BY_STAGE:
            key = o.stage ? o.stage[i]
                          : csm_activity_stage_of(&o, (int64_t)o.month - rw->cohort[i]);
            break;
        case CSM_ACTIVITY_BY_CATEGORY:
            key = o.category ? o.category[i] : 0;
            break;
        default:
            key = 0;
        }
        g[i].g = key;
        g[i].acc = rw->account_id[i];
        g[i].row = (uint32_t)i;
    }
    qsort(g, n, sizeof *g, cmp_gkey);
    size_t nrows = 0;
    for (size_t i = 0; i < n; i++)
        if (i == 0 || g[i].g != g[i - 1].g)
            nrows++;
    if (o.group_by == CSM_ACTIVITY_ALL && nrows == 0)
        nrows = 1;
    if (nrows > SIZE_MAX / CSM_ACTIVITY_N) {
        st = csm__fail(err, CSM_ENOMEM, CSM_NO_ROW, NULL, NULL);
        goto done;
    }
    const csm__tabspec spec[] = {
        {"activity", act_cols, CSM__NCOLS(act_cols), nrows},
        {"activity_measures", measure_cols, CSM__NCOLS(measure_cols),
         nrows * CSM_ACTIVITY_N}};
    size_t text = 0;
    for (int m = 0; m < CSM_ACTIVITY_N; m++)
        text += strlen(measure_name[m]) + 1;
    r = csm__result_new(a, "activity", sizeof *r, spec, 2, NULL, 0, text);
    if (!r) {
        st = csm__fail(err, CSM_ENOMEM, CSM_NO_ROW, NULL, NULL);
        goto done;
    }
    r->n_rows = nrows;
    r->n_measure_rows = nrows * CSM_ACTIVITY_N;
    double **sumcol[NCOL] = {&r->licensed_seats, &r->activated_seats,
                             &r->active_users,   &r->sessions,
                             &r->minutes,        &r->features_used,
                             &r->features_available, &r->dau, &r->mau};
    const char *names[CSM_ACTIVITY_N];
    for (int m = 0; m < CSM_ACTIVITY_N; m++)
        names[m] = csm__result_text(r, measure_name[m]); /* sized above */
    if (n == 0) { /* the single empty ALL row */
        for (size_t k = 0; k < nrows; k++) {
            r->key[k] = 0;
            r->n_accounts[k] = 0;
            for (int c = 0; c < NCOL; c++)
                (*sumcol[c])[k] = col[c] ? 0.0 : NAN;
            for (int m = 0; m < CSM_ACTIVITY_N; m++) {
                r->rate[k * CSM_ACTIVITY_N + (size_t)m] =
                    r->mean[k * CSM_ACTIVITY_N + (size_t)m] = NAN;
                r->measure_flags[k * CSM_ACTIVITY_N + (size_t)m] =
                    CSM_FLAG_EMPTY | CSM_FLAG_ZERO_DENOMINATOR;
            }
            r->flags[k] = CSM_FLAG_EMPTY | CSM_FLAG_ZERO_DENOMINATOR;
        }
    }
    size_t row = 0;
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && g[j].g == g[i].g)
            j++;
        /* group [i, j): sums over rows; per-account blocks for the means */
        csm__ksum s[NCOL];
        memset(s, 0, sizeof s);
        double msum[CSM_ACTIVITY_N] = {0};
        double mcnt[CSM_ACTIVITY_N] = {0};
        int64_t accounts = 0;
        uint32_t mfl[CSM_ACTIVITY_N] = {0}; /* flags of each measure */
        for (size_t b = i; b < j;) {
            size_t e = b;
            double as[NCOL] = {0};
            while (e < j && g[e].acc == g[b].acc) {
                for (int c = 0; c < NCOL; c++)
                    if (col[c]) {
                        as[c] += col[c][g[e].row];
                        csm__ksum_add(&s[c], col[c][g[e].row]);
                    }
                e++;
            }
            accounts++;
            for (int m = 0; m < CSM_ACTIVITY_N; m++) {
                if (!col[num_col[m]] || !col[den_col[m]] || as[den_col[m]] == 0)
                    continue;
                double v = as[num_col[m]] / as[den_col[m]];
                if (bounded[m] && v > 1) {
                    v = 1;
                    mfl[m] |= CSM_FLAG_CLAMPED;
                }
                msum[m] += v;
                mcnt[m] += 1;
            }
            b = e;
        }
        r->key[row] = g[i].g;
        if (o.group_by == CSM_ACTIVITY_ALL)
            r->key[row] = 0;
        r->n_accounts[row] = accounts;
        double tot[NCOL];
        for (int c = 0; c < NCOL; c++) {
            tot[c] = col[c] ? csm__ksum_value(&s[c]) : NAN;
            (*sumcol[c])[row] = tot[c];
        }
        for (int m = 0; m < CSM_ACTIVITY_N; m++) {
            double *rp = &r->rate[row * CSM_ACTIVITY_N + (size_t)m];
            double *mp = &r->mean[row * CSM_ACTIVITY_N + (size_t)m];
            if (!col[num_col[m]] || !col[den_col[m]]) {
                *rp = *mp = NAN;
                continue;
            }
            *rp = csm__ratio(tot[num_col[m]], tot[den_col[m]], &mfl[m]);
            if (bounded[m] && *rp > 1) {
                *rp = 1;
                mfl[m] |= CSM_FLAG_CLAMPED;
            }
            *mp = csm__ratio(msum[m], mcnt[m], &mfl[m]);
        }
        uint32_t fl = 0;
        for (int m = 0; m < CSM_ACTIVITY_N; m++) {
            r->measure_flags[row * CSM_ACTIVITY_N + (size_t)m] = mfl[m];
            fl |= mfl[m];
        }
        r->flags[row] = fl;
        row++;
        i = j;
    }
    /* the long table's keys: (row key, measure) in row-major order */
    for (size_t k = 0; k < nrows; k++)
        for (int m = 0; m < CSM_ACTIVITY_N; m++) {
            size_t q = k * CSM_ACTIVITY_N + (size_t)m;
            r->measure_key[q] = r->key[k];
            r->measure[q] = names[m];
            r->measure_code[q] = m;
        }
    *out = r;
    r = NULL;
    st = CSM_OK;
done:
    csm__free(a, g);
    csm_activity_free(r);
    return st;
}
