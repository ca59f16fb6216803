/* referrals.c - referral rate, conversion, referred MRR and the NPS of
 * referrers over a window of a ledger. */
#include <math.h>
#include <string.h>

#include "csmetrics/nps.h"
#include "csmetrics/referrals.h"
#include "internal/ledger_impl.h"
#include "internal/movements.h"
#include "internal/sort.h"
#include "internal/table.h"

CSM__DEFINE_OPTS_INIT(csm_referrals_opts_init, csm_referrals_opts,
                      CSM_REFERRALS_OPTS_INIT)

#define COL(m, n, ty, st, r, d) CSM__COLDEF(csm_referrals, m, n, ty, st, r, d)
static const csm__coldef summary_cols[] = {CSM_REFERRALS_COLUMNS(COL)};
static const csm__coldef owner_cols[] = {CSM_REFERRALS_OWNERS_COLUMNS(COL)};
#undef COL

CSM__DEFINE_RESULT_FREE(csm_referrals_free, csm_referrals)

/* The index of customer id among the ledger's (ascending), or SIZE_MAX. */
static size_t find_customer(const csm_ledger *l, int64_t id) {
    size_t lo = 0, hi = l->n_cust;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (l->cust_id[mid] < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < l->n_cust && l->cust_id[lo] == id ? lo : SIZE_MAX;
}

static csm_status check_inputs(const csm_referrals_rows *rw,
                               const int64_t *owner_customer,
                               const int32_t *owner, size_t n_owner,
                               const int64_t *nps_customer,
                               const int8_t *nps_score, size_t n_nps,
                               const csm_referrals_opts *o, csm_error *err) {
    if (!rw)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "rows", "is NULL");
    if (rw->n > 0 && (!rw->referrer || !rw->day || !rw->converted))
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW,
                         !rw->referrer ? "referrer"
                         : !rw->day   ? "day"
                                      : "converted",
                         "array is NULL while n > 0");
    if (n_owner > 0 && (!owner_customer || !owner))
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "owner",
                         "owner arrays are NULL while n_owner > 0");
    if (n_nps > 0 && (!nps_customer || !nps_score))
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "nps_score",
                         "NPS arrays are NULL while n_nps > 0");
    if (!(o->confidence > 0.0 && o->confidence < 1.0))
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "opts.confidence",
                         "confidence must be in (0, 1)");
    for (size_t i = 0; i < rw->n; i++) {
        if (rw->converted[i] > 1)
            return csm__fail(err, CSM_EDOMAIN, i, "converted",
                             "converted must be 0 or 1");
        if (rw->converted[i] && rw->first_mrr && !csm__nonneg(rw->first_mrr[i]))
            return csm__fail(err, CSM_EDOMAIN, i, "first_mrr",
                             "a converted referral's first MRR must be "
                             "finite and >= 0");
    }
    for (size_t i = 0; i < n_owner; i++)
        if (owner[i] == CSM_REFERRALS_OWNER_NONE)
            return csm__fail(err, CSM_EDOMAIN, i, "owner",
                             "an owner code is CSM_REFERRALS_OWNER_NONE");
    for (size_t i = 0; i < n_nps; i++)
        if (nps_score[i] < 0 || nps_score[i] > 10)
            return csm__fail(err, CSM_EDOMAIN, i, "nps_score",
                             "a score must be 0..10");
    return CSM_OK;
}

/* The NPS of the responses of active customers (active[c]) whose
 * referral count is (referred != 0) == want, through the scratch s. */
static csm_status group_nps(csm_nps_result *out, int8_t *s,
                            const csm_ledger *l, const uint8_t *active,
                            const int64_t *nref, int want,
                            const int64_t *nps_customer,
                            const int8_t *nps_score, size_t n_nps,
                            const csm_nps_opts *no) {
    size_t k = 0;
    for (size_t i = 0; i < n_nps; i++) {
        size_t c = find_customer(l, nps_customer[i]);
        if (c != SIZE_MAX && active[c] && (nref[c] > 0) == want)
            s[k++] = nps_score[i];
    }
    return csm_nps(out, s, k, no, NULL);
}

CSM_API csm_status csm_referrals_compute(
    csm_referrals **out, const csm_ledger *l, const csm_referrals_rows *rw,
    const int64_t *owner_customer, const int32_t *owner, size_t n_owner,
    const int64_t *nps_customer, const int8_t *nps_score, size_t n_nps,
    const csm_referrals_opts *opts, csm_error *err) {
    csm_referrals_opts o = CSM_REFERRALS_OPTS_INIT;
    csm_status st = csm__ledger_call(out != NULL, l, &o, sizeof o, opts, err);
    if (out)
        *out = NULL;
    if (st != CSM_OK)
        return st;
    st = check_inputs(rw, owner_customer, owner, n_owner, nps_customer,
                      nps_score, n_nps, &o, err);
    if (st != CSM_OK)
        return st;
    int32_t first = o.first_month != CSM_MONTH_NONE ? o.first_month
                                                    : l->first_month;
    int32_t last = o.last_month != CSM_MONTH_NONE ? o.last_month
                                                  : l->last_month;
    if (first == CSM_MONTH_NONE || last == CSM_MONTH_NONE)
        return csm__fail(err, CSM_EDOMAIN, CSM_NO_ROW, "ledger",
                         "the ledger is empty and the window is not given");
    if (first > last)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "opts.first_month",
                         "first_month is after last_month");
    st = csm__check_month_range(first, last, err);
    if (st != CSM_OK)
        return st;
    const csm_allocator *a = csm__ledger_allocator(l);
    const size_t nc = l->n_cust;
    size_t *orow = csm__alloc_array(a, nc ? nc : 1, sizeof *orow);
    int32_t *cown = csm__alloc_array(a, nc ? nc : 1, sizeof *cown);
    int32_t *ids = csm__alloc_array(a, nc ? nc : 1, sizeof *ids);
    uint8_t *active = csm__alloc_array(a, nc ? nc : 1, sizeof *active);
    int64_t *nref = csm__alloc_array(a, nc ? nc : 1, sizeof *nref);
    int64_t *nconv = csm__alloc_array(a, nc ? nc : 1, sizeof *nconv);
    csm__ksum *cmrr = csm__alloc_array(a, nc ? nc : 1, sizeof *cmrr);
    int8_t *scratch = csm__alloc_array(a, n_nps ? n_nps : 1, sizeof *scratch);
    csm_referrals *r = NULL;
    if (!orow || !cown || !ids || !active || !nref || !nconv || !cmrr ||
        !scratch) {
        st = csm__fail(err, CSM_ENOMEM, CSM_NO_ROW, NULL, NULL);
        goto done;
    }
    st = csm__ledger_match(orow, l, owner_customer, n_owner, "owner_customer",
                           "customer has two owner rows", err);
    if (st != CSM_OK)
        goto done;
    memset(nref, 0, nc * sizeof *nref);
    memset(nconv, 0, nc * sizeof *nconv);
    memset(cmrr, 0, nc * sizeof *cmrr);
    size_t nid = 0;
    for (size_t c = 0; c < nc; c++) {
        size_t j = csm__ledger_entry_from(l, c, first);
        active[c] = j < l->cust_off[c + 1] && l->period[j] <= last;
        cown[c] = orow[c] != SIZE_MAX ? owner[orow[c]]
                                      : CSM_REFERRALS_OWNER_NONE;
        if (active[c])
            ids[nid++] = cown[c];
    }
    size_t nown = csm__unique_i32(ids, nid);
    const csm__tabspec spec[] = {
        {"referrals", summary_cols, CSM__NCOLS(summary_cols), 1},
        {"referrals_owners", owner_cols, CSM__NCOLS(owner_cols), nown}};
    r = csm__result_new(a, "referrals", sizeof *r, spec, 2, NULL, 0, 0);
    csm__ksum *omrr = csm__alloc_array(a, nown ? nown : 1, sizeof *omrr);
    if (!r || !omrr) {
        csm__free(a, omrr);
        st = csm__fail(err, CSM_ENOMEM, CSM_NO_ROW, NULL, NULL);
        goto done;
    }
    csm__column_set_null_label(r->result, 1, "owner",
                               CSM_REFERRALS_OWNER_NONE_LABEL);
    memset(omrr, 0, (nown ? nown : 1) * sizeof *omrr);
    r->n_rows = 1;
    r->n_owner_rows = nown;
    memcpy(r->owner, ids, nown * sizeof *ids);
    /* the window's referrals, all and per customer */
    csm__ksum referred = {0, 0};
    uint32_t fl = 0;
    for (size_t i = 0; i < rw->n; i++) {
        int32_t m = csm_day_month(rw->day[i]);
        if (m < first || m > last)
            continue;
        double v = rw->converted[i] && rw->first_mrr ? rw->first_mrr[i] : 0.0;
        r->referrals[0]++;
        r->converted[0] += rw->converted[i];
        csm__ksum_add(&referred, v);
        size_t c = find_customer(l, rw->referrer[i]);
        if (c == SIZE_MAX)
            continue;
        nref[c]++;
        nconv[c] += rw->converted[i];
        csm__ksum_add(&cmrr[c], v);
    }
    int64_t owned_refs = 0;
    for (size_t c = 0; c < nc; c++) {
        if (!active[c])
            continue;
        size_t w = csm__lower_bound_i32(r->owner, 0, nown, cown[c]);
        r->active_accounts[0]++;
        r->referrers[0] += nref[c] > 0;
        r->owner_accounts[w]++;
        r->owner_referrers[w] += nref[c] > 0;
        r->owner_referrals[w] += nref[c];
        r->owner_converted[w] += nconv[c];
        csm__ksum_add(&omrr[w], csm__ksum_value(&cmrr[c]));
        if (cown[c] != CSM_REFERRALS_OWNER_NONE)
            owned_refs += nref[c];
    }
    for (size_t w = 0; w < nown; w++) {
        r->owner_referred_mrr[w] = csm__ksum_value(&omrr[w]);
        r->owner_referral_rate[w] =
            csm__ratio((double)r->owner_referrers[w],
                       (double)r->owner_accounts[w], &r->owner_flags[w]);
        r->n_csm[0] += r->owner[w] != CSM_REFERRALS_OWNER_NONE;
    }
    csm__free(a, omrr);
    csm__window_sums ws;
    csm__sum_window(&ws, l, first, last);
    r->first_month[0] = first;
    r->last_month[0] = last;
    r->referral_rate[0] = csm__ratio((double)r->referrers[0],
                                     (double)r->active_accounts[0], &fl);
    r->conversion_rate[0] =
        csm__ratio((double)r->converted[0], (double)r->referrals[0], &fl);
    r->referred_mrr[0] = csm__ksum_value(&referred);
    r->new_mrr[0] = csm__ksum_value(&ws.new_mrr);
    r->referred_share[0] = csm__ratio(r->referred_mrr[0], r->new_mrr[0], &fl);
    r->referrals_per_csm[0] =
        csm__ratio((double)owned_refs, (double)r->n_csm[0], &fl);
    /* NPS of referrers and of the others (nps.h) */
    csm_nps_opts no = CSM_NPS_OPTS_INIT;
    no.confidence = o.confidence;
    csm_nps_result ref, oth;
    csm_nps_diff d;
    st = group_nps(&ref, scratch, l, active, nref, 1, nps_customer, nps_score,
                   n_nps, &no);
    if (st == CSM_OK)
        st = group_nps(&oth, scratch, l, active, nref, 0, nps_customer,
                       nps_score, n_nps, &no);
    if (st == CSM_OK)
        st = csm_nps_compare(&d, &oth, &ref, &no, NULL);
    if (st != CSM_OK) { /* not reached: the inputs were checked above */
        st = csm__fail(err, st, CSM_NO_ROW, "nps_score", NULL);
        goto done;
    }
    r->nps_referrers[0] = ref.nps;
    r->nps_referrers_n[0] = (int64_t)ref.n;
    r->nps_others[0] = oth.nps;
    r->nps_others_n[0] = (int64_t)oth.n;
    r->nps_diff[0] = d.diff;
    r->nps_diff_ci_low[0] = d.ci_low;
    r->nps_diff_ci_high[0] = d.ci_high;
    r->nps_diff_p_value[0] = d.p_value;
    r->flags[0] = fl | ref.flags | oth.flags | d.flags;
    *out = r;
    r = NULL;
    st = CSM_OK;
done:
    csm__free(a, orow);
    csm__free(a, cown);
    csm__free(a, ids);
    csm__free(a, active);
    csm__free(a, nref);
    csm__free(a, nconv);
    csm__free(a, cmrr);
    csm__free(a, scratch);
    csm_referrals_free(r);
    return st;
}
