/* reviews.c - diagnosis cadence: last review, next due day, overdue
 * accounts and per-CSM coverage. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "csmetrics/reviews.h"
#include "internal/sort.h"
#include "internal/table.h"
#include "internal/util.h"

CSM__DEFINE_OPTS_INIT(csm_reviews_opts_init, csm_reviews_opts,
                      CSM_REVIEWS_OPTS_INIT)

#define COL(m, n, ty, st, r, d) CSM__COLDEF(csm_reviews, m, n, ty, st, r, d)
static const csm__coldef account_cols[] = {CSM_REVIEWS_COLUMNS(COL)};
static const csm__coldef owner_cols[] = {CSM_REVIEWS_OWNERS_COLUMNS(COL)};
static const csm__coldef summary_cols[] = {CSM_REVIEWS_SUMMARY_COLUMNS(COL)};
#undef COL

CSM__DEFINE_RESULT_FREE(csm_reviews_free, csm_reviews)

typedef struct {
    int64_t id;
    size_t row;
} id_row;

static int cmp_id_row(const void *x, const void *y) {
    const id_row *p = x, *q = y;
    if (p->id != q->id)
        return p->id < q->id ? -1 : 1;
    return (p->row > q->row) - (p->row < q->row);
}

/* The position of account id among the k sorted ids, or SIZE_MAX. */
static size_t find_id(const id_row *v, size_t k, int64_t id) {
    size_t lo = 0, hi = k;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (v[mid].id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < k && v[lo].id == id ? lo : SIZE_MAX;
}

static int valid_days(int32_t d) { return d >= 1 && d <= CSM_REVIEWS_MAX_DAYS; }

static csm_status check_args(const csm_reviews_accounts *ac,
                             const csm_reviews_touches *tc,
                             const csm_reviews_opts *o, csm_error *err) {
    if (!ac || !tc)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW,
                         !ac ? "accounts" : "touches", "is NULL");
    if (ac->n > 0 && !ac->account)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "account",
                         "array is NULL while n > 0");
    if (tc->n > 0 && (!tc->account || !tc->day))
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW,
                         !tc->account ? "account" : "day",
                         "array is NULL while n > 0");
    csm_status st = csm__alloc_check(o->allocator, "opts.allocator", err);
    if (st != CSM_OK)
        return st;
    if (!valid_days(o->default_days))
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "opts.default_days",
                         "a cadence must be 1..CSM_REVIEWS_MAX_DAYS days");
    if (o->n_tiers > 0 && !o->tier_days)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "opts.tier_days",
                         "array is NULL while n_tiers > 0");
    for (size_t i = 0; i < o->n_tiers; i++) {
        if (!valid_days(o->tier_days[i]))
            return csm__fail(err, CSM_EINVAL, i, "opts.tier_days",
                             "a cadence must be 1..CSM_REVIEWS_MAX_DAYS days");
        if (o->tier_min_mrr && !isfinite(o->tier_min_mrr[i]))
            return csm__fail(err, CSM_EDOMAIN, i, "opts.tier_min_mrr",
                             "a threshold must be finite");
    }
    for (size_t i = 0; i < ac->n; i++) {
        if (ac->mrr && !isfinite(ac->mrr[i]))
            return csm__fail(err, CSM_EDOMAIN, i, "mrr",
                             "MRR must be finite");
    }
    for (size_t i = 0; i < tc->n; i++)
        if (tc->day[i] == CSM_REVIEWS_DAY_NONE)
            return csm__fail(err, CSM_EDOMAIN, i, "day",
                             "a touch's day is CSM_REVIEWS_DAY_NONE");
    return CSM_OK;
}

/* The tier of an account (segment s, MRR m): the first that matches, or
 * -1. */
static int32_t tier_of(const csm_reviews_opts *o, int32_t s, double m) {
    for (size_t i = 0; i < o->n_tiers; i++)
        if ((!o->tier_segment || o->tier_segment[i] == CSM_CODE_ALL ||
             o->tier_segment[i] == s) &&
            (!o->tier_min_mrr || m >= o->tier_min_mrr[i]))
            return (int32_t)i;
    return -1;
}

/* Whether touch i is a review (of the review type). */
static int is_review(const csm_reviews_touches *tc, const csm_reviews_opts *o,
                     size_t i) {
    return o->review_type == CSM_REVIEWS_ANY_TYPE ||
           (tc->type ? tc->type[i] : 0) == o->review_type;
}

/* Count one account's state into a row of counts (accounts, on cadence,
 * overdue, never reviewed). */
static void tally(int64_t *acc, int64_t *on, int64_t *over, int64_t *never,
                  int overdue, int reviewed) {
    (*acc)++;
    *on += !overdue;
    *over += overdue;
    *never += !reviewed;
}

CSM_API csm_status csm_reviews_compute(csm_reviews **out,
                                       const csm_reviews_accounts *ac,
                                       const csm_reviews_touches *tc,
                                       const csm_reviews_opts *opts,
                                       csm_error *err) {
    csm_error_clear(err);
    if (!out)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "out", "is NULL");
    *out = NULL;
    csm_reviews_opts o = CSM_REVIEWS_OPTS_INIT;
    csm_status st = csm__opts_load(&o, sizeof o, opts, err);
    if (st != CSM_OK)
        return st;
    st = check_args(ac, tc, &o, err);
    if (st != CSM_OK)
        return st;
    const csm_allocator *a = o.allocator;
    const size_t na = ac->n;
    id_row *ids = csm__alloc_array(a, na ? na : 1, sizeof *ids);
    int32_t *owners = csm__alloc_array(a, na ? na : 1, sizeof *owners);
    csm_reviews *r = NULL;
    if (!ids || !owners) {
        st = csm__fail(err, CSM_ENOMEM, CSM_NO_ROW, NULL, NULL);
        goto done;
    }
    for (size_t i = 0; i < na; i++)
        ids[i] = (id_row){ac->account[i], i};
    qsort(ids, na, sizeof *ids, cmp_id_row);
    for (size_t k = 1; k < na; k++)
        if (ids[k].id == ids[k - 1].id) {
            st = csm__fail(err, CSM_EDUP, ids[k].row, "account",
                           "an account is listed twice");
            goto done;
        }
    if (o.as_of == CSM_REVIEWS_DAY_NONE) {
        for (size_t i = 0; i < tc->n; i++)
            if (is_review(tc, &o, i) &&
                find_id(ids, na, tc->account[i]) != SIZE_MAX &&
                (o.as_of == CSM_REVIEWS_DAY_NONE || tc->day[i] > o.as_of))
                o.as_of = tc->day[i];
        if (o.as_of == CSM_REVIEWS_DAY_NONE) {
            st = csm__fail(err, CSM_EDOMAIN, CSM_NO_ROW, "opts.as_of",
                           "no review to take the default as_of from");
            goto done;
        }
    }
    const csm__tabspec spec[] = {
        {"reviews", account_cols, CSM__NCOLS(account_cols), na},
        {"reviews_owners", owner_cols, CSM__NCOLS(owner_cols), na},
        {"reviews_summary", summary_cols, CSM__NCOLS(summary_cols), 1}};
    r = csm__result_new(a, "reviews", sizeof *r, spec, 3, NULL, 0, 0);
    if (!r) {
        st = csm__fail(err, CSM_ENOMEM, CSM_NO_ROW, NULL, NULL);
        goto done;
    }
    csm__column_set_null_label(r->result, 0, "owner",
                               CSM_REVIEWS_OWNER_NONE_LABEL);
    csm__column_set_null_label(r->result, 0, "last_reviewer", "none");
    csm__column_set_null_label(r->result, 1, "owner",
                               CSM_REVIEWS_OWNER_NONE_LABEL);
    r->n_rows = na;
    for (size_t k = 0; k < na; k++) {
        size_t i = ids[k].row;
        r->account[k] = ids[k].id;
        r->segment[k] = ac->segment ? ac->segment[i] : 0;
        r->mrr[k] = ac->mrr ? ac->mrr[i] : 0.0;
        r->tier[k] = tier_of(&o, r->segment[k], r->mrr[k]);
        r->cadence_days[k] =
            r->tier[k] >= 0 ? o.tier_days[r->tier[k]] : o.default_days;
        r->last_review[k] = CSM_REVIEWS_DAY_NONE;
        r->last_reviewer[k] = CSM_REVIEWS_OWNER_NONE;
    }
    /* the latest review of each account (ties: the later row) */
    for (size_t i = 0; i < tc->n; i++) {
        if (!is_review(tc, &o, i) || tc->day[i] > o.as_of)
            continue;
        size_t k = find_id(ids, na, tc->account[i]);
        if (k == SIZE_MAX)
            continue;
        r->reviews[k]++;
        if (r->last_review[k] == CSM_REVIEWS_DAY_NONE ||
            tc->day[i] >= r->last_review[k]) {
            r->last_review[k] = tc->day[i];
            r->last_reviewer[k] = tc->csm ? tc->csm[i] : CSM_REVIEWS_OWNER_NONE;
        }
    }
    for (size_t k = 0; k < na; k++) {
        int reviewed = r->last_review[k] != CSM_REVIEWS_DAY_NONE;
        r->owner[k] = ac->owner ? ac->owner[ids[k].row] : r->last_reviewer[k];
        owners[k] = r->owner[k];
        r->next_due[k] = CSM_REVIEWS_DAY_NONE;
        r->days_overdue[k] = NAN;
        r->overdue[k] = 1;
        if (!reviewed)
            continue;
        int64_t due = (int64_t)r->last_review[k] + r->cadence_days[k];
        if (due > INT32_MAX) {
            st = csm__fail(err, CSM_ERANGE, ids[k].row, "day",
                           "the next due day is beyond the int32 days");
            goto done;
        }
        r->next_due[k] = (int32_t)due;
        r->overdue[k] = o.as_of > due;
        r->days_overdue[k] = o.as_of > due ? (double)(o.as_of - due) : 0.0;
    }
    size_t nown = csm__unique_i32(owners, na);
    csm__result_set_rows(r, 1, nown);
    r->n_owner_rows = nown;
    memcpy(r->owners_owner, owners, nown * sizeof *owners);
    for (size_t k = 0; k < na; k++) {
        int reviewed = r->last_review[k] != CSM_REVIEWS_DAY_NONE;
        size_t w = csm__lower_bound_i32(r->owners_owner, 0, nown, r->owner[k]);
        tally(&r->owners_accounts[w], &r->owners_on_cadence[w],
              &r->owners_overdue[w], &r->owners_never_reviewed[w],
              r->overdue[k], reviewed);
        tally(&r->summary_accounts[0], &r->summary_on_cadence[0],
              &r->summary_overdue[0], &r->summary_never_reviewed[0],
              r->overdue[k], reviewed);
    }
    for (size_t w = 0; w < nown; w++)
        r->owners_coverage[w] =
            csm__ratio((double)r->owners_on_cadence[w],
                       (double)r->owners_accounts[w], &r->owners_flags[w]);
    r->summary_as_of[0] = o.as_of;
    r->summary_coverage[0] =
        csm__ratio((double)r->summary_on_cadence[0],
                   (double)r->summary_accounts[0], &r->summary_flags[0]);
    *out = r;
    r = NULL;
    st = CSM_OK;
done:
    csm__free(a, ids);
    csm__free(a, owners);
    csm_reviews_free(r);
    return st;
}
