/** @file
 * csmetrics/team.h - team efficiency: accounts, MRR/ARR and at-risk
 * accounts per owner (CSM) in a month, and the team's accounts and ARR per
 * CSM (the "customers and ARR per CSM" efficiency measure).
 *
 * Threads: reentrant; the ledger is only read; the result (two tables,
 * csmetrics/table.h) is the caller's (csm_team_free).
 * Definitions and worked example: docs/metrics.md, "Team efficiency
 * (accounts and ARR per CSM)"; the columns: docs/columns.md, "team".
 */
#ifndef CSMETRICS_TEAM_H
#define CSMETRICS_TEAM_H

#include "csmetrics/common.h"
#include "csmetrics/ledger.h"
#include "csmetrics/table.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The owner id of customers that have no owner row. */
#define CSM_TEAM_OWNER_NONE INT32_MIN
/** The label of the CSM_TEAM_OWNER_NONE row (the null_label of the team
 * table's owner column, csmetrics/table.h). */
#define CSM_TEAM_OWNER_NONE_LABEL "unassigned"
/** Function twin of CSM_TEAM_OWNER_NONE (INT32_MIN), for bindings. */
CSM_API int32_t csm_team_owner_none(void);

/** Options of csm_team_compute; fill the defaults with the
 * _INIT macro or the _opts_init function. */
typedef struct csm_team_opts {
    size_t size; /**< sizeof the struct as the caller knows it */
    int32_t month; /**< CSM_MONTH_NONE = the ledger's last month */
} csm_team_opts;

/** Initialiser of every option at its default (size = sizeof the struct). */
#define CSM_TEAM_OPTS_INIT {sizeof(csm_team_opts), CSM_MONTH_NONE}
/** Set *opts (size bytes of it) to the defaults; CSM_EINVAL if opts
 * is NULL or size < sizeof(size_t). */
CSM_API CSM_NODISCARD csm_status csm_team_opts_init(csm_team_opts *opts,
                                                    size_t size);

/**
 * One row per owner (ascending owner id; CSM_TEAM_OWNER_NONE first when some
 * active customers have no owner), counting the customers active in the
 * month (an entry in the ledger that month):
 * @code{.unparsed}
 *   accounts, mrr (sum of their MRR), arr = 12 x mrr,
 *   at_risk_accounts / at_risk_mrr (those also listed as at risk),
 *   mrr_per_account = mrr / accounts, share_of_mrr = mrr / total MRR.
 * @endcode
 * Team scalars (owners other than CSM_TEAM_OWNER_NONE count as CSMs):
 * @code{.unparsed}
 *   n_csm, accounts_per_csm = owned active accounts / n_csm,
 *   arr_per_csm = owned ARR / n_csm (NaN + CSM_FLAG_ZERO_DENOMINATOR when
 *   n_csm = 0).
 * @endcode
 * Owners with no active account in the month get no row.
 *
 * The result holds two tables (csmetrics/table.h), in this order:
 * - "team" (n_rows rows, CSM_TEAM_COLUMNS): the rows above.  The owner
 *   column is a CODE: CSM_TEAM_OWNER_NONE (= CSM_CODE_ALL, INT32_MIN) is
 *   null in Arrow, the unassigned customers' row;
 * - "team_summary" (one row, CSM_TEAM_SUMMARY_COLUMNS): the month and the
 *   team scalars, with the owned accounts and ARR behind them.  The
 *   scalar members month, n_csm, accounts_per_csm, arr_per_csm and
 *   team_flags hold the same values.
 *
 * This list is the columns of the table "team" (docs/columns.md, "team"):
 * X(member, "column", TYPE, STORAGE, ROLE, "description"), as
 * csmetrics/table.h explains.
 */
#define CSM_TEAM_COLUMNS(X)                                                    \
    X(owner, "owner", CODE, I32, KEY,                                          \
      "owner (CSM) id; CSM_TEAM_OWNER_NONE (null) for customers without one")       \
    X(accounts, "accounts", COUNT, I64, MAIN,                                  \
      "customers of the owner active in the month")                            \
    X(mrr, "mrr", MONEY, F64, MAIN, "their MRR in the month")                  \
    X(arr, "arr", MONEY, F64, MAIN, "12 x mrr")                                \
    X(at_risk_accounts, "at_risk_accounts", COUNT, I64, MAIN,                  \
      "those of them listed as at risk")                                       \
    X(at_risk_mrr, "at_risk_mrr", MONEY, F64, MAIN,                            \
      "MRR of the at-risk accounts")                                           \
    X(mrr_per_account, "mrr_per_account", MONEY, F64, DETAIL,                  \
      "mrr / accounts")                                                        \
    X(share_of_mrr, "share_of_mrr", FRACTION, F64, MAIN,                       \
      "mrr / the MRR of every active customer")                                \
    X(flags, "flags", FLAGS, U32, DETAIL, "CSM_FLAG_* bits of the row")

/** The columns of the table "team_summary" (docs/columns.md, "team"), its
 * one row of team figures: X(member, "column", TYPE, STORAGE, ROLE,
 * "description"), as csmetrics/table.h explains. */
#define CSM_TEAM_SUMMARY_COLUMNS(X)                                            \
    X(summary_month, "month", MONTH, I32, KEY,                                 \
      "the month counted (CSM_MONTH_NONE, null, for an empty ledger)")         \
    X(summary_n_csm, "n_csm", COUNT, I64, MAIN,                                \
      "owners with active accounts, CSM_TEAM_OWNER_NONE excluded")                  \
    X(summary_accounts_per_csm, "accounts_per_csm", NUMBER, F64, MAIN,         \
      "owned_accounts / n_csm")                                                \
    X(summary_arr_per_csm, "arr_per_csm", MONEY, F64, MAIN,                    \
      "owned_arr / n_csm")                                                     \
    X(summary_owned_accounts, "owned_accounts", COUNT, I64, DETAIL,            \
      "active accounts with an owner")                                         \
    X(summary_owned_arr, "owned_arr", MONEY, F64, DETAIL,                      \
      "12 x the MRR of the active accounts with an owner")                     \
    X(summary_flags, "flags", FLAGS, U32, DETAIL,                              \
      "CSM_FLAG_* bits of the team figures")

/** Team efficiency: the typed view of the tables "team" (members from
 * CSM_TEAM_COLUMNS, n_rows each) and "team_summary" (members from
 * CSM_TEAM_SUMMARY_COLUMNS, one row), and the team figures as scalars, as
 * csm_team_compute returns them. */
typedef struct csm_team {
    csm_result *result; /**< tables "team" and "team_summary" */
    size_t n_rows;      /**< rows of "team" ("team_summary" has one) */
    CSM_TEAM_COLUMNS(CSM_COLUMN_MEMBER)
    /** the team figures, as in "team_summary": the month counted
     * (CSM_MONTH_NONE for an empty ledger) */
    int32_t month;
    size_t n_csm; /**< owners with active accounts, CSM_TEAM_OWNER_NONE
                     excluded */
    double accounts_per_csm, arr_per_csm; /* owned accounts and ARR / n_csm */
    uint32_t team_flags; /**< CSM_FLAG_* bits of the team figures
                            (CSM_FLAG_ZERO_DENOMINATOR when n_csm = 0) */
    CSM_TEAM_SUMMARY_COLUMNS(CSM_COLUMN_MEMBER)
} csm_team;
/** @var csm_team::accounts_per_csm
 * Active accounts with an owner / n_csm; NaN when n_csm = 0. */
/** @var csm_team::arr_per_csm
 * ARR (12 x MRR, currency units) of the active accounts with an owner /
 * n_csm; NaN when n_csm = 0. */

/**
 * Count the customers active in a month per owner, and the team's
 * figures: the tables "team" and "team_summary" (see CSM_TEAM_COLUMNS).
 * owner_customer[i] is owned by owner[i] (n_owner rows; a customer listed
 * twice is CSM_EDUP with the row).  at_risk (n_at_risk customer ids, may
 * be NULL when 0) marks at-risk accounts, e.g. health band red.
 * Errors: CSM_EINVAL (NULL arguments, bad opts), CSM_EDUP, CSM_ENOMEM.
 */
CSM_API CSM_NODISCARD csm_status csm_team_compute(
    csm_team **out, const csm_ledger *ledger, const int64_t *owner_customer,
    const int32_t *owner, size_t n_owner, const int64_t *at_risk,
    size_t n_at_risk, const csm_team_opts *opts, csm_error *err);
/** Release a result (csm_result_free(t->result)); NULL is allowed. */
CSM_API void csm_team_free(csm_team *t);

#ifdef __cplusplus
}
#endif

#endif /* CSMETRICS_TEAM_H */
