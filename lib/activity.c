/* activity.c - activity measures by account, segment, role, cohort,
 * lifecycle stage and product category. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "csmetrics/activity.h"
#include "internal/partial.h"
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

/* The argument checks of csm_activity_compute and _partial_compute (err
 * cleared first; has_out 0: out is NULL): *o gets the options, col the
 * count columns (NULL: not given). */
static csm_status load_rows(csm_activity_opts *o, const double *col[NCOL],
                            int has_out, const csm_activity_rows *rw,
                            const csm_activity_opts *opts, csm_error *err) {
    csm_error_clear(err);
    if (!has_out)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "out", "is NULL");
    if (!rw)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "rows", "is NULL");
    size_t n = rw->n;
    if (n > 0 && !rw->account_id)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "account_id",
                         "array is NULL while n > 0");
    *o = (csm_activity_opts)CSM_ACTIVITY_OPTS_INIT;
    csm_status st = csm__opts_load(o, sizeof *o, opts, err);
    if (st != CSM_OK)
        return st;
    if (o->group_by < CSM_ACTIVITY_BY_ACCOUNT ||
        o->group_by > CSM_ACTIVITY_BY_CATEGORY)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "opts.group_by",
                         "unknown grouping");
    st = check_stages(o, rw, err);
    if (st != CSM_OK)
        return st;
    st = csm__alloc_check(o->allocator, "opts.allocator", err);
    if (st != CSM_OK)
        return st;
    const double *c0[NCOL] = {rw->licensed_seats, rw->activated_seats,
                              rw->active_users,   rw->sessions,
                              rw->minutes,        rw->features_used,
                              rw->features_available, rw->dau, rw->mau};
    memcpy(col, c0, sizeof c0);
    for (size_t i = 0; i < n; i++) {
        for (int c = 0; c < NCOL; c++)
            if (col[c] && !(o->nan_missing && isnan(col[c][i])) &&
                !csm__nonneg(col[c][i]))
                return csm__fail(err, CSM_EDOMAIN, i, col_name[c],
                                 "counts must be finite and >= 0");
        if (!o->clamp)
            for (int m = 0; m < CSM_ACTIVITY_N; m++)
                if (bounded[m] && col[num_col[m]] && col[den_col[m]] &&
                    col[num_col[m]][i] > col[den_col[m]][i])
                    return csm__fail(err, CSM_EDOMAIN, i, col_name[num_col[m]],
                                     "a part exceeds its whole (e.g. more "
                                     "activated than licensed seats)");
    }
    return CSM_OK;
}

/* The rows' (group key, account, row), sorted; NULL when out of memory
 * (n > 0).  *n_groups: the distinct group keys. */
static gkey *group_rows(const csm_activity_rows *rw, const csm_activity_opts *o,
                        size_t *n_groups) {
    size_t n = rw->n;
    *n_groups = 0;
    gkey *g = csm__alloc_array(o->allocator, n, sizeof *g);
    if (!g)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        int64_t key = 0;
        switch (o->group_by) {
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
            key = o->stage ? o->stage[i]
                           : csm_activity_stage_of(o, (int64_t)o->month - rw->cohort[i]);
            break;
        case CSM_ACTIVITY_BY_CATEGORY:
            key = o->category ? o->category[i] : 0;
            break;
        default:
            key = 0;
        }
        g[i].g = key;
        g[i].acc = rw->account_id[i];
        g[i].row = (uint32_t)i;
    }
    qsort(g, n, sizeof *g, cmp_gkey);
    for (size_t i = 0; i < n; i++)
        if (i == 0 || g[i].g != g[i - 1].g)
            ++*n_groups;
    return g;
}

/* The sums of one group: of its rows, and of its accounts' own ratios
 * (msum plainly, kmsum compensated), with the accounts counted. */
typedef struct {
    csm__ksum s[NCOL];
    double msum[CSM_ACTIVITY_N];
    csm__ksum kmsum[CSM_ACTIVITY_N];
    int64_t mcnt[CSM_ACTIVITY_N];    /* accounts with a ratio */
    int64_t clamped[CSM_ACTIVITY_N]; /* accounts whose ratio was clamped */
    int64_t accounts;
} gsums;

/* The sums of the group g[i, j) (sorted by account within it). */
static void group_sums(gsums *x, const gkey *g, size_t i, size_t j,
                       const double *const col[NCOL]) {
    memset(x, 0, sizeof *x);
    for (size_t b = i; b < j;) {
        size_t e = b;
        double as[NCOL] = {0};
        while (e < j && g[e].acc == g[b].acc) {
            for (int c = 0; c < NCOL; c++)
                if (col[c]) {
                    as[c] += col[c][g[e].row];
                    csm__ksum_add(&x->s[c], col[c][g[e].row]);
                }
            e++;
        }
        x->accounts++;
        for (int m = 0; m < CSM_ACTIVITY_N; m++) {
            if (!col[num_col[m]] || !col[den_col[m]] || as[den_col[m]] == 0)
                continue;
            double v = as[num_col[m]] / as[den_col[m]];
            if (bounded[m] && v > 1) {
                v = 1;
                x->clamped[m]++;
            }
            x->msum[m] += v;
            csm__ksum_add(&x->kmsum[m], v);
            x->mcnt[m]++;
        }
        b = e;
    }
}

/* A result of nrows rows of "activity" (its measure names and codes set;
 * the rest for fill_row and finish); NULL when out of memory. */
static csm_activity *new_result(const csm_allocator *a, size_t nrows) {
    if (nrows > SIZE_MAX / CSM_ACTIVITY_N)
        return NULL;
    const csm__tabspec spec[] = {
        {"activity", act_cols, CSM__NCOLS(act_cols), nrows},
        {"activity_measures", measure_cols, CSM__NCOLS(measure_cols),
         nrows * CSM_ACTIVITY_N}};
    size_t text = 0;
    for (int m = 0; m < CSM_ACTIVITY_N; m++)
        text += strlen(measure_name[m]) + 1;
    csm_activity *r =
        csm__result_new(a, "activity", sizeof *r, spec, 2, NULL, 0, text);
    if (!r)
        return NULL;
    r->n_rows = nrows;
    r->n_measure_rows = nrows * CSM_ACTIVITY_N;
    const char *names[CSM_ACTIVITY_N];
    for (int m = 0; m < CSM_ACTIVITY_N; m++)
        names[m] = csm__result_text(r, measure_name[m]); /* sized above */
    for (size_t k = 0; k < nrows; k++)
        for (int m = 0; m < CSM_ACTIVITY_N; m++) {
            size_t q = k * CSM_ACTIVITY_N + (size_t)m;
            r->measure[q] = names[m];
            r->measure_code[q] = m;
        }
    return r;
}

/* Row `row` of r: group key, accounts, the input sums tot (has[c]: column
 * c given), the accounts' ratio sums msum and counts mcnt, and the
 * measures clamped for an account (clamped[m] > 0). */
static void fill_row(csm_activity *r, size_t row, int64_t key,
                     int64_t accounts, const double tot[NCOL],
                     const int has[NCOL], const double msum[CSM_ACTIVITY_N],
                     const int64_t mcnt[CSM_ACTIVITY_N],
                     const int64_t clamped[CSM_ACTIVITY_N]) {
    double *sumcol[NCOL] = {r->licensed_seats, r->activated_seats,
                            r->active_users,   r->sessions,
                            r->minutes,        r->features_used,
                            r->features_available, r->dau, r->mau};
    r->key[row] = key;
    r->n_accounts[row] = accounts;
    for (int c = 0; c < NCOL; c++)
        sumcol[c][row] = has[c] ? tot[c] : NAN;
    uint32_t fl = 0;
    for (int m = 0; m < CSM_ACTIVITY_N; m++) {
        size_t q = row * CSM_ACTIVITY_N + (size_t)m;
        uint32_t mfl = clamped[m] ? CSM_FLAG_CLAMPED : 0;
        r->measure_key[q] = key;
        if (!has[num_col[m]] || !has[den_col[m]]) {
            r->rate[q] = r->mean[q] = NAN;
        } else {
            r->rate[q] = csm__ratio(tot[num_col[m]], tot[den_col[m]], &mfl);
            if (bounded[m] && r->rate[q] > 1) {
                r->rate[q] = 1;
                mfl |= CSM_FLAG_CLAMPED;
            }
            r->mean[q] = csm__ratio(msum[m], (double)mcnt[m], &mfl);
        }
        r->measure_flags[q] = mfl;
        fl |= mfl;
    }
    r->flags[row] = fl;
}

/* The single row of CSM_ACTIVITY_ALL without input rows (key 0, sums 0
 * or NaN for a missing column, measures NaN). */
static void empty_row(csm_activity *r, const int has[NCOL]) {
    const double zero[NCOL] = {0};
    const double none[CSM_ACTIVITY_N] = {0};
    const int64_t nocount[CSM_ACTIVITY_N] = {0};
    fill_row(r, 0, 0, 0, zero, has, none, nocount, nocount);
    for (int m = 0; m < CSM_ACTIVITY_N; m++) {
        r->rate[m] = r->mean[m] = NAN;
        r->measure_flags[m] = CSM_FLAG_EMPTY | CSM_FLAG_ZERO_DENOMINATOR;
    }
    r->flags[0] = CSM_FLAG_EMPTY | CSM_FLAG_ZERO_DENOMINATOR;
}

CSM_API csm_status csm_activity_compute(csm_activity **out,
                                        const csm_activity_rows *rw,
                                        const csm_activity_opts *opts,
                                        csm_error *err) {
    csm_activity_opts o;
    const double *col[NCOL];
    if (out)
        *out = NULL;
    csm_status st = load_rows(&o, col, out != NULL, rw, opts, err);
    if (st != CSM_OK)
        return st;
    const csm_allocator *a = o.allocator;
    size_t n = rw->n, nrows = 0;
    int has[NCOL];
    for (int c = 0; c < NCOL; c++)
        has[c] = col[c] != NULL;
    gkey *g = group_rows(rw, &o, &nrows);
    csm_activity *r = NULL;
    if (o.group_by == CSM_ACTIVITY_ALL && nrows == 0)
        nrows = 1;
    if (g)
        r = new_result(a, nrows);
    if (!r) {
        st = csm__fail(err, CSM_ENOMEM, CSM_NO_ROW, NULL, NULL);
        goto done;
    }
    if (n == 0 && nrows) /* the single empty ALL row */
        empty_row(r, has);
    size_t row = 0;
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && g[j].g == g[i].g)
            j++;
        gsums x;
        group_sums(&x, g, i, j, col);
        double tot[NCOL];
        for (int c = 0; c < NCOL; c++)
            tot[c] = csm__ksum_value(&x.s[c]);
        fill_row(r, row, o.group_by == CSM_ACTIVITY_ALL ? 0 : g[i].g,
                 x.accounts, tot, has, x.msum, x.mcnt, x.clamped);
        row++;
        i = j;
    }
    *out = r;
    r = NULL;
    st = CSM_OK;
done:
    csm__free(a, g);
    csm_activity_free(r);
    return st;
}

/* ---- partial states (csmetrics/partial.h) ------------------------------- */
/* A bucket (one a group key): sums S_IN + c (input column c) and S_RATIO +
 * m (measure m's account ratios); counts C_ACC (accounts), C_RATIO + m and
 * C_CLAMP + m.  params: P_* below. */
enum { S_IN = 0, S_RATIO = NCOL, S_N = NCOL + CSM_ACTIVITY_N };
enum { C_ACC = 0, C_RATIO = 1, C_CLAMP = 1 + CSM_ACTIVITY_N,
       C_N = 1 + 2 * CSM_ACTIVITY_N };
enum { P_GROUP, P_CLAMP, P_NAN, P_COLS, P_MONTH, P_LAUNCH, P_GROWTH, P_MATURE };
_Static_assert(S_N == CSM__PARTIAL_ACTIVITY_NM, "activity sums a bucket");
_Static_assert(C_N == CSM__PARTIAL_ACTIVITY_NC, "activity counts a bucket");
_Static_assert(P_MATURE < CSM__PARTIAL_NPARAMS, "activity params");

CSM_API csm_status csm_activity_partial_compute(csm_partial **out,
                                                const csm_activity_rows *rw,
                                                const csm_activity_opts *opts,
                                                csm_error *err) {
    csm_activity_opts o;
    const double *col[NCOL];
    if (out)
        *out = NULL;
    csm_status st = load_rows(&o, col, out != NULL, rw, opts, err);
    if (st != CSM_OK)
        return st;
    const csm_allocator *a = o.allocator;
    size_t n = rw->n, nk = 0;
    gkey *g = group_rows(rw, &o, &nk);
    csm_partial *p = g ? csm__partial_new_wide(a, CSM_PARTIAL_ACTIVITY, 1, NULL,
                                               nk, 0, 1, 1, S_N, C_N)
                       : NULL;
    if (!p) {
        csm__free(a, g);
        return csm__fail(err, CSM_ENOMEM, CSM_NO_ROW, NULL, NULL);
    }
    int64_t cols = 0;
    for (int c = 0; c < NCOL; c++)
        cols |= col[c] ? (int64_t)1 << c : 0;
    const int64_t par[] = {o.group_by,     o.clamp != 0,   o.nan_missing != 0,
                           cols,           o.month,        o.launch_month,
                           o.growth_month, o.mature_month};
    memcpy(p->params, par, sizeof par);
    size_t k = 0;
    for (size_t i = 0; i < n; k++) {
        size_t j = i;
        while (j < n && g[j].g == g[i].g)
            j++;
        gsums x;
        group_sums(&x, g, i, j, col);
        p->keys[k] = o.group_by == CSM_ACTIVITY_ALL ? 0 : g[i].g;
        csm__ksum *m = &p->m[csm__partial_bucket(p, 0, k) * S_N];
        int64_t *c = &p->c[csm__partial_bucket(p, 0, k) * C_N];
        memcpy(m + S_IN, x.s, sizeof x.s);
        memcpy(m + S_RATIO, x.kmsum, sizeof x.kmsum);
        c[C_ACC] = x.accounts;
        memcpy(c + C_RATIO, x.mcnt, sizeof x.mcnt);
        memcpy(c + C_CLAMP, x.clamped, sizeof x.clamped);
        i = j;
    }
    csm__free(a, g);
    *out = p;
    return CSM_OK;
}

CSM_API csm_status csm_activity_partial_finalize(csm_activity **out,
                                                 const csm_partial *p,
                                                 csm_error *err) {
    csm_status st = csm__partial_call(out != NULL, p, CSM_PARTIAL_ACTIVITY, err);
    if (out)
        *out = NULL;
    if (st != CSM_OK)
        return st;
    const int by_account = p->params[P_GROUP] == CSM_ACTIVITY_BY_ACCOUNT;
    int has[NCOL];
    for (int c = 0; c < NCOL; c++)
        has[c] = (int)(p->params[P_COLS] >> c) & 1;
    /* the keys with rows (a grid without months has none) */
    const size_t nk = p->n_months ? p->n_keys : 0;
    size_t nrows = 0;
    for (size_t k = 0; k < nk; k++) {
        int64_t acc = p->c[csm__partial_bucket(p, p->lo, k) * C_N + C_ACC];
        if (by_account && acc > 1)
            return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "partial",
                             "an account's rows were in two merged parts "
                             "(partition the rows by account)");
        nrows += acc > 0;
    }
    const int empty = nrows == 0 && p->params[P_GROUP] == CSM_ACTIVITY_ALL;
    csm_activity *r = new_result(csm__partial_allocator(p), empty ? 1 : nrows);
    if (!r)
        return csm__fail(err, CSM_ENOMEM, CSM_NO_ROW, NULL, NULL);
    if (empty)
        empty_row(r, has);
    size_t row = 0;
    for (size_t k = 0; k < nk; k++) {
        const size_t b = csm__partial_bucket(p, p->lo, k);
        const csm__ksum *m = &p->m[b * S_N];
        const int64_t *c = &p->c[b * C_N];
        if (c[C_ACC] == 0)
            continue;
        double tot[NCOL], msum[CSM_ACTIVITY_N];
        for (int i = 0; i < NCOL; i++)
            tot[i] = csm__ksum_value(&m[S_IN + i]);
        for (int i = 0; i < CSM_ACTIVITY_N; i++)
            msum[i] = csm__ksum_value(&m[S_RATIO + i]);
        /* (a state read from bytes may be unkeyed: one key, 0) */
        fill_row(r, row++, p->keyed ? p->keys[k] : 0, c[C_ACC], tot, has, msum,
                 c + C_RATIO, c + C_CLAMP);
    }
    *out = r;
    return CSM_OK;
}
