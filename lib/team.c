/* team.c - accounts, MRR/ARR and at-risk accounts per owner (CSM). */
#include <math.h>
#include <string.h>

#include "csmetrics/team.h"
#include "internal/ledger_impl.h"
#include "internal/sort.h"
#include "internal/table.h"

CSM__DEFINE_OPTS_INIT(csm_team_opts_init, csm_team_opts, CSM_TEAM_OPTS_INIT)

CSM_API int32_t csm_team_owner_none(void) { return CSM_TEAM_OWNER_NONE; }

#define COL(m, n, ty, st, r, d) CSM__COLDEF(csm_team, m, n, ty, st, r, d)
static const csm__coldef team_cols[] = {CSM_TEAM_COLUMNS(COL)};
static const csm__coldef summary_cols[] = {CSM_TEAM_SUMMARY_COLUMNS(COL)};
#undef COL

CSM__DEFINE_RESULT_FREE(csm_team_free, csm_team)

CSM_API csm_status csm_team_compute(csm_team **out, const csm_ledger *l,
                                    const int64_t *owner_customer,
                                    const int32_t *owner, size_t n_owner,
                                    const int64_t *at_risk, size_t n_at_risk,
                                    const csm_team_opts *opts,
                                    csm_error *err) {
    csm_status st = csm__ledger_call(out != NULL, l, NULL, 0, NULL, err);
    if (out)
        *out = NULL;
    if (st != CSM_OK)
        return st;
    if (n_owner > 0 && (!owner_customer || !owner))
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "owner",
                         "owner arrays are NULL while n_owner > 0");
    if (n_at_risk > 0 && !at_risk)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "at_risk",
                         "array is NULL while n_at_risk > 0");
    csm_team_opts o = CSM_TEAM_OPTS_INIT;
    st = csm__opts_load(&o, sizeof o, opts, err);
    if (st != CSM_OK)
        return st;
    int32_t month = o.month != CSM_MONTH_NONE ? o.month : l->last_month;
    const csm_allocator *a = csm__ledger_allocator(l);

    /* each ledger customer's owner, then its at-risk row (SIZE_MAX: not
     * at risk) */
    size_t *row = csm__alloc_array(a, l->n_cust, sizeof *row);
    int32_t *cust_owner = csm__alloc_array(a, l->n_cust, sizeof *cust_owner);
    int32_t *ids = csm__alloc_array(a, l->n_cust, sizeof *ids);
    csm_team *t = NULL;
    if (!row || !cust_owner || !ids) {
        st = csm__fail(err, CSM_ENOMEM, CSM_NO_ROW, NULL, NULL);
        goto done;
    }
    st = csm__ledger_match(row, l, owner_customer, n_owner, "owner_customer",
                           "customer has two owner rows", err);
    if (st != CSM_OK)
        goto done;
    for (size_t c = 0; c < l->n_cust; c++)
        cust_owner[c] = row[c] != SIZE_MAX ? owner[row[c]]
                                           : CSM_TEAM_OWNER_NONE;
    st = csm__ledger_match(row, l, at_risk, n_at_risk, NULL, NULL, err);
    if (st != CSM_OK)
        goto done;
    /* distinct owners of customers active in the month */
    size_t nid = 0;
    for (size_t c = 0; c < l->n_cust; c++)
        if (csm__ledger_entry_at(l, c, month) >= 0)
            ids[nid++] = cust_owner[c];
    size_t nrow = csm__unique_i32(ids, nid);

    const csm__tabspec spec[] = {
        {"team", team_cols, CSM__NCOLS(team_cols), nrow},
        {"team_summary", summary_cols, CSM__NCOLS(summary_cols), 1}};
    csm__ksum *sm = csm__alloc_array(a, nrow, sizeof *sm);
    csm__ksum *sr = csm__alloc_array(a, nrow, sizeof *sr);
    t = csm__result_new(a, "team", sizeof *t, spec, 2, NULL, 0, 0);
    if (!t || !sm || !sr) {
        csm__free(a, sm);
        csm__free(a, sr);
        st = csm__fail(err, CSM_ENOMEM, CSM_NO_ROW, NULL, NULL);
        goto done;
    }
    t->n_rows = nrow;
    csm__column_set_null_label(t->result, 0, "owner",
                               CSM_TEAM_OWNER_NONE_LABEL);
    t->month = month;
    memcpy(t->owner, ids, nrow * sizeof *ids);
    memset(sm, 0, nrow * sizeof *sm);
    memset(sr, 0, nrow * sizeof *sr);
    csm__ksum total = {0, 0};
    for (size_t c = 0; c < l->n_cust; c++) {
        long j = csm__ledger_entry_at(l, c, month);
        if (j < 0)
            continue;
        double v = l->mrr[j];
        /* row of this owner */
        size_t a0 = csm__lower_bound_i32(t->owner, 0, nrow, cust_owner[c]);
        t->accounts[a0]++;
        csm__ksum_add(&sm[a0], v);
        csm__ksum_add(&total, v);
        if (row[c] != SIZE_MAX) {
            t->at_risk_accounts[a0]++;
            csm__ksum_add(&sr[a0], v);
        }
    }
    double tot = csm__ksum_value(&total);
    int64_t owned_acc = 0;
    csm__ksum owned = {0, 0};
    for (size_t i = 0; i < nrow; i++) {
        uint32_t fl = 0;
        t->mrr[i] = csm__ksum_value(&sm[i]);
        t->arr[i] = 12.0 * t->mrr[i];
        t->at_risk_mrr[i] = csm__ksum_value(&sr[i]);
        t->mrr_per_account[i] =
            csm__ratio(t->mrr[i], (double)t->accounts[i], &fl);
        t->share_of_mrr[i] = csm__ratio(t->mrr[i], tot, &fl);
        t->flags[i] = fl;
        if (t->owner[i] != CSM_TEAM_OWNER_NONE) {
            t->n_csm++;
            owned_acc += t->accounts[i];
            csm__ksum_add(&owned, t->mrr[i]);
        }
    }
    t->accounts_per_csm =
        csm__ratio((double)owned_acc, (double)t->n_csm, &t->team_flags);
    double owned_arr = 12.0 * csm__ksum_value(&owned);
    t->arr_per_csm = csm__ratio(owned_arr, (double)t->n_csm, &t->team_flags);
    t->summary_month[0] = t->month;
    t->summary_n_csm[0] = (int64_t)t->n_csm;
    t->summary_accounts_per_csm[0] = t->accounts_per_csm;
    t->summary_arr_per_csm[0] = t->arr_per_csm;
    t->summary_owned_accounts[0] = owned_acc;
    t->summary_owned_arr[0] = owned_arr;
    t->summary_flags[0] = t->team_flags;
    csm__free(a, sm);
    csm__free(a, sr);
    *out = t;
    t = NULL;
    st = CSM_OK;
done:
    csm__free(a, row);
    csm__free(a, cust_owner);
    csm__free(a, ids);
    csm_team_free(t);
    return st;
}
