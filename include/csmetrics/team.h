/*
 * csmetrics/team.h - team efficiency: accounts, MRR/ARR and at-risk
 * accounts per owner (CSM) in a month, and the team's accounts and ARR per
 * CSM (the seed's "customers and ARR per CSM" efficiency measure).
 *
 * Threads: reentrant; the ledger is only read.
 */
#ifndef CSMETRICS_TEAM_H
#define CSMETRICS_TEAM_H

#include "csmetrics/common.h"
#include "csmetrics/ledger.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The owner id of customers that have no owner row. */
#define CSM_OWNER_NONE INT32_MIN
CSM_API int32_t csm_owner_none(void);

typedef struct csm_team_opts {
    size_t size;
    int32_t month; /* CSM_MONTH_NONE = the ledger's last month */
} csm_team_opts;

#define CSM_TEAM_OPTS_INIT {sizeof(csm_team_opts), CSM_MONTH_NONE}
CSM_API CSM_NODISCARD csm_status csm_team_opts_init(csm_team_opts *opts,
                                                    size_t size);

/*
 * One row per owner (ascending owner id; CSM_OWNER_NONE first when some
 * active customers have no owner), counting the customers active in the
 * month (an entry in the ledger that month):
 *   accounts, mrr (sum of their MRR), arr = 12 x mrr,
 *   at_risk_accounts / at_risk_mrr (those also listed as at risk),
 *   mrr_per_account = mrr / accounts, share_of_mrr = mrr / total MRR.
 * Team scalars (owners other than CSM_OWNER_NONE count as CSMs):
 *   n_csm, accounts_per_csm = owned active accounts / n_csm,
 *   arr_per_csm = owned ARR / n_csm (NaN + CSM_FLAG_ZERO_DENOMINATOR when
 *   n_csm = 0).  Owners with no active account in the month get no row.
 */
typedef struct csm_team {
    size_t n_rows;
    int32_t *owner;
    int64_t *accounts, *at_risk_accounts;
    double *mrr, *arr, *at_risk_mrr, *mrr_per_account, *share_of_mrr;
    uint32_t *flags;
    int32_t month;
    size_t n_csm;
    double accounts_per_csm, arr_per_csm;
    uint32_t team_flags;
    void *priv_;
} csm_team;

/*
 * owner_customer[i] is owned by owner[i] (n_owner rows; a customer listed
 * twice is CSM_EDUP with the row).  at_risk (n_at_risk customer ids, may
 * be NULL when 0) marks at-risk accounts, e.g. health band red.
 * Errors: CSM_EINVAL (NULL arguments, bad opts), CSM_EDUP, CSM_ENOMEM.
 */
CSM_API CSM_NODISCARD csm_status csm_team_compute(
    csm_team **out, const csm_ledger *ledger, const int64_t *owner_customer,
    const int32_t *owner, size_t n_owner, const int64_t *at_risk,
    size_t n_at_risk, const csm_team_opts *opts, csm_error *err);
CSM_API void csm_team_free(csm_team *t);

#ifdef __cplusplus
}
#endif

#endif /* CSMETRICS_TEAM_H */
