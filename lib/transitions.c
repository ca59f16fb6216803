/* transitions.c - health band transitions between two months. */
#include <stdlib.h>
#include <string.h>

#include "csmetrics/transitions.h"
#include "internal/table.h"
#include "internal/util.h"

CSM__DEFINE_OPTS_INIT(csm_transitions_opts_init, csm_transitions_opts,
                      CSM_TRANSITIONS_OPTS_INIT)

#define COL(m, n, ty, st, r, d) CSM__COLDEF(csm_transitions, m, n, ty, st, r, d)
static const csm__coldef matrix_cols[] = {CSM_TRANSITIONS_COLUMNS(COL)};
static const csm__coldef summary_cols[] = {
    CSM_TRANSITIONS_SUMMARY_COLUMNS(COL)};
#undef COL

CSM__DEFINE_RESULT_FREE(csm_transitions_free, csm_transitions)

/* A row of one of the two months: its account, which month (0 = from,
 * 1 = to), band and input row. */
typedef struct {
    int64_t account;
    int32_t which;
    int32_t band;
    size_t row;
} obs;

static int cmp_obs(const void *x, const void *y) {
    const obs *p = x, *q = y;
    if (p->account != q->account)
        return p->account < q->account ? -1 : 1;
    if (p->which != q->which)
        return p->which < q->which ? -1 : 1;
    return (p->row > q->row) - (p->row < q->row);
}

static csm_status check_args(csm_transitions_opts *o, const int64_t *account,
                             const int32_t *month, const int32_t *band,
                             size_t n, const csm_transitions_opts *opts,
                             csm_error *err) {
    if (n > 0 && (!account || !month || !band))
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW,
                         !account ? "account" : !month ? "month" : "band",
                         "array is NULL while n > 0");
    csm_status st = csm__opts_load(o, sizeof *o, opts, err);
    if (st != CSM_OK)
        return st;
    st = csm__alloc_check(o->allocator, "opts.allocator", err);
    if (st != CSM_OK)
        return st;
    if (o->n_bands < 0 || o->n_bands > CSM_TRANSITIONS_MAX_BANDS)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "opts.n_bands",
                         "n_bands must be in 0..CSM_TRANSITIONS_MAX_BANDS");
    for (size_t i = 0; i < n; i++) {
        if (month[i] == CSM_MONTH_NONE)
            return csm__fail(err, CSM_EDOMAIN, i, "month",
                             "a row's month is CSM_MONTH_NONE");
        int32_t top = o->n_bands ? o->n_bands : CSM_TRANSITIONS_MAX_BANDS;
        if (band[i] < CSM_TRANSITIONS_NONE || band[i] >= top)
            return csm__fail(err, CSM_EDOMAIN, i, "band",
                             "band must be -1 (none) or 0..n_bands-1");
    }
    if (o->to_month == CSM_MONTH_NONE) {
        for (size_t i = 0; i < n; i++)
            if (o->to_month == CSM_MONTH_NONE || month[i] > o->to_month)
                o->to_month = month[i];
        if (o->to_month == CSM_MONTH_NONE)
            return csm__fail(err, CSM_EDOMAIN, CSM_NO_ROW, "month",
                             "no rows to take the default to_month from");
    }
    if (o->from_month == CSM_MONTH_NONE)
        o->from_month = o->to_month == INT32_MIN + 1 ? CSM_MONTH_NONE
                                                     : o->to_month - 1;
    if (o->from_month == CSM_MONTH_NONE || o->from_month >= o->to_month)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "opts.from_month",
                         "from_month must be before to_month");
    return CSM_OK;
}

CSM_API csm_status csm_transitions_compute(
    csm_transitions **out, const int64_t *account, const int32_t *month,
    const int32_t *band, size_t n, const csm_transitions_opts *opts,
    csm_error *err) {
    csm_error_clear(err);
    if (!out)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "out", "is NULL");
    *out = NULL;
    csm_transitions_opts o = CSM_TRANSITIONS_OPTS_INIT;
    csm_status st = check_args(&o, account, month, band, n, opts, err);
    if (st != CSM_OK)
        return st;
    const csm_allocator *a = o.allocator;
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        k += month[i] == o.from_month || month[i] == o.to_month;
    obs *v = csm__alloc_array(a, k ? k : 1, sizeof *v);
    csm_transitions *t = NULL;
    if (!v) {
        st = csm__fail(err, CSM_ENOMEM, CSM_NO_ROW, NULL, NULL);
        goto done;
    }
    int32_t nb = o.n_bands;
    k = 0;
    for (size_t i = 0; i < n; i++) {
        if (month[i] != o.from_month && month[i] != o.to_month)
            continue;
        v[k++] = (obs){account[i], month[i] == o.to_month, band[i], i};
        if (band[i] >= nb)
            nb = band[i] + 1;
    }
    qsort(v, k, sizeof *v, cmp_obs);
    for (size_t i = 1; i < k; i++)
        if (v[i].account == v[i - 1].account && v[i].which == v[i - 1].which) {
            st = csm__fail(err, CSM_EDUP, v[i].row, "account",
                           "two rows of one account in one month");
            goto done;
        }
    const size_t side = (size_t)nb + 1, cells = side * side;
    const csm__tabspec spec[] = {
        {"transitions", matrix_cols, CSM__NCOLS(matrix_cols), cells},
        {"transitions_summary", summary_cols, CSM__NCOLS(summary_cols), 1}};
    t = csm__result_new(a, "transitions", sizeof *t, spec, 2, NULL, 0, 0);
    if (!t) {
        st = csm__fail(err, CSM_ENOMEM, CSM_NO_ROW, NULL, NULL);
        goto done;
    }
    t->n_rows = cells;
    t->n_bands = nb;
    for (size_t c = 0; c < cells; c++) {
        t->from_band[c] = (int32_t)(c / side) - 1;
        t->to_band[c] = (int32_t)(c % side) - 1;
    }
    /* each account: its band in each month (none without a row) */
    for (size_t i = 0; i < k;) {
        int32_t b[2] = {CSM_TRANSITIONS_NONE, CSM_TRANSITIONS_NONE};
        size_t j = i;
        for (; j < k && v[j].account == v[i].account; j++)
            b[v[j].which] = v[j].band;
        i = j;
        t->accounts[(size_t)(b[0] + 1) * side + (size_t)(b[1] + 1)]++;
        if (b[0] >= 0 && b[1] >= 0) {
            t->banded[0]++;
            t->stayed[0] += b[1] == b[0];
            t->improved[0] += b[1] > b[0];
            t->worsened[0] += b[1] < b[0];
        } else {
            t->entered[0] += b[0] < 0 && b[1] >= 0;
            t->left[0] += b[0] >= 0 && b[1] < 0;
        }
    }
    for (size_t r = 0; r < side; r++) {
        int64_t tot = 0;
        for (size_t c = 0; c < side; c++)
            tot += t->accounts[r * side + c];
        for (size_t c = 0; c < side; c++)
            t->row_share[r * side + c] = csm__ratio(
                (double)t->accounts[r * side + c], (double)tot,
                &t->flags[r * side + c]);
    }
    t->summary_from_month[0] = o.from_month;
    t->summary_to_month[0] = o.to_month;
    *out = t;
    t = NULL;
    st = CSM_OK;
done:
    csm__free(a, v);
    csm_transitions_free(t);
    return st;
}
