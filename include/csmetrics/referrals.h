/** @file
 * csmetrics/referrals.h - customer referrals over a window of months of a
 * ledger: referral rate (accounts that referred at least once / active
 * accounts), referrals per CSM, conversion rate, the new MRR referrals
 * brought and its share of the window's new MRR (the ledger's
 * movements), and the NPS of referrers against that of the other active
 * accounts (nps.h).
 *
 * Threads: reentrant; the ledger and the inputs are only read; the result
 * (two tables, csmetrics/table.h) is the caller's (csm_referrals_free).
 * Definitions and worked example: docs/metrics.md, "Referrals"; the
 * columns: docs/columns.md, "referrals".
 */
#ifndef CSMETRICS_REFERRALS_H
#define CSMETRICS_REFERRALS_H

#include "csmetrics/common.h"
#include "csmetrics/ledger.h"
#include "csmetrics/table.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The owner code of active accounts without an owner row (INT32_MIN). */
#define CSM_REFERRALS_OWNER_NONE INT32_MIN
/** The label of CSM_REFERRALS_OWNER_NONE (the null_label of the owner
 * column, csmetrics/table.h). */
#define CSM_REFERRALS_OWNER_NONE_LABEL "unassigned"

/** The referrals export, columnar: one row per referral (frozen within the
 * ABI, like every input struct without a size).  The referred account or
 * lead is not needed for the figures. */
typedef struct csm_referrals_rows {
    const int64_t *referrer; /**< the referring customer; required */
    const int32_t *day;      /**< the referral's day (csm_day); required */
    const uint8_t *converted; /**< 1 when it became a customer; required */
    /** the converted customer's first MRR (finite, >= 0; read only where
     * converted is 1); NULL = 0 */
    const double *first_mrr;
    size_t n; /**< rows: elements of each non-NULL column */
} csm_referrals_rows;

/** Options of csm_referrals_compute; fill the defaults with the _INIT
 * macro or the _opts_init function. */
typedef struct csm_referrals_opts {
    size_t size; /**< sizeof the struct as the caller knows it */
    /** The window's first month; CSM_MONTH_NONE (default) = the ledger's
     * first month. */
    int32_t first_month;
    /** The window's last month; CSM_MONTH_NONE (default) = the ledger's
     * last month. */
    int32_t last_month;
    /** Confidence level of the NPS difference's interval, in (0, 1);
     * default 0.95. */
    double confidence;
} csm_referrals_opts;

/** Initialiser of every option at its default (size = sizeof the struct). */
#define CSM_REFERRALS_OPTS_INIT                                                \
    {sizeof(csm_referrals_opts), CSM_MONTH_NONE, CSM_MONTH_NONE, 0.95}
/** Set *opts (size bytes of it) to the defaults; CSM_EINVAL if opts
 * is NULL or size < sizeof(size_t). */
CSM_API CSM_NODISCARD csm_status
csm_referrals_opts_init(csm_referrals_opts *opts, size_t size);

/**
 * The figures of a window [first_month, last_month]: the active accounts
 * are the ledger's customers with an entry in a month of the window; the
 * window's referrals are the rows whose day falls in one of its months.
 * @code{.unparsed}
 *   referral_rate   = referrers / active_accounts, referrers = active
 *                     accounts with at least one referral in the window
 *   conversion_rate = converted / referrals
 *   referred_mrr    = sum of first_mrr of the converted referrals
 *   new_mrr         = the ledger's new MRR over the window (the movements'
 *                     "new" column summed over its months, default
 *                     definitions)
 *   referred_share  = referred_mrr / new_mrr
 *   referrals_per_csm = referrals of owned active accounts / n_csm
 * @endcode
 * referrals, converted and referred_mrr count every referral of the
 * window, also those of referrers not active in it.  NPS (nps.h, csm_nps):
 * the responses of active referrers against those of the other active
 * accounts (responses of inactive customers are not read); the difference
 * is csm_nps_compare(others, referrers): referrers - others with its
 * interval.  A ratio with a zero denominator is NaN with
 * CSM_FLAG_ZERO_DENOMINATOR; an NPS without responses NaN with
 * CSM_FLAG_EMPTY.
 *
 * This list is the columns of the table "referrals", its one row
 * (docs/columns.md, "referrals"): X(member, "column", TYPE, STORAGE, ROLE,
 * "description"), as csmetrics/table.h explains.
 */
#define CSM_REFERRALS_COLUMNS(X)                                               \
    X(first_month, "first_month", MONTH, I32, KEY, "the window's first month")\
    X(last_month, "last_month", MONTH, I32, KEY, "the window's last month")    \
    X(active_accounts, "active_accounts", COUNT, I64, MAIN,                    \
      "customers active in a month of the window")                             \
    X(referrers, "referrers", COUNT, I64, MAIN,                                \
      "of them, those with a referral in the window")                          \
    X(referral_rate, "referral_rate", FRACTION, F64, MAIN,                     \
      "referrers / active_accounts")                                           \
    X(referrals, "referrals", COUNT, I64, MAIN, "referrals in the window")     \
    X(converted, "converted", COUNT, I64, MAIN, "of them, converted")          \
    X(conversion_rate, "conversion_rate", FRACTION, F64, MAIN,                 \
      "converted / referrals")                                                 \
    X(referred_mrr, "referred_mrr", MONEY, F64, MAIN,                          \
      "first MRR of the converted referrals")                                  \
    X(new_mrr, "new_mrr", MONEY, F64, DETAIL,                                  \
      "the ledger's new MRR over the window")                                  \
    X(referred_share, "referred_share", FRACTION, F64, MAIN,                   \
      "referred_mrr / new_mrr")                                                \
    X(n_csm, "n_csm", COUNT, I64, DETAIL,                                      \
      "owners with active accounts (unassigned excluded)")                     \
    X(referrals_per_csm, "referrals_per_csm", NUMBER, F64, MAIN,               \
      "referrals of owned active accounts / n_csm")                            \
    X(nps_referrers, "nps_referrers", NUMBER, F64, MAIN,                       \
      "NPS of the active referrers' responses, -100..100")                     \
    X(nps_referrers_n, "nps_referrers_n", COUNT, I64, DETAIL,                  \
      "their responses")                                                       \
    X(nps_others, "nps_others", NUMBER, F64, MAIN,                             \
      "NPS of the other active accounts' responses")                           \
    X(nps_others_n, "nps_others_n", COUNT, I64, DETAIL, "their responses")     \
    X(nps_diff, "nps_diff", NUMBER, F64, MAIN,                                 \
      "nps_referrers - nps_others, in points")                                 \
    X(nps_diff_ci_low, "nps_diff_ci_low", NUMBER, F64, DETAIL,                 \
      "lower bound of the difference's interval")                              \
    X(nps_diff_ci_high, "nps_diff_ci_high", NUMBER, F64, DETAIL,               \
      "upper bound of the difference's interval")                              \
    X(nps_diff_p_value, "nps_diff_p_value", FRACTION, F64, DETAIL,             \
      "two-sided p-value of the difference")                                   \
    X(flags, "flags", FLAGS, U32, DETAIL,                                      \
      "CSM_FLAG_ZERO_DENOMINATOR, CSM_FLAG_EMPTY, CSM_FLAG_DEGENERATE")

/** The columns of the table "referrals_owners" (docs/columns.md,
 * "referrals"), one row per owner of active accounts (ascending;
 * CSM_REFERRALS_OWNER_NONE first when some have none): X(member,
 * "column", TYPE, STORAGE, ROLE, "description"), as csmetrics/table.h
 * explains. */
#define CSM_REFERRALS_OWNERS_COLUMNS(X)                                        \
    X(owner, "owner", CODE, I32, KEY, "the CSM; null: unassigned accounts")    \
    X(owner_accounts, "accounts", COUNT, I64, MAIN, "active accounts owned")   \
    X(owner_referrers, "referrers", COUNT, I64, MAIN,                          \
      "of them, with a referral in the window")                                \
    X(owner_referral_rate, "referral_rate", FRACTION, F64, MAIN,               \
      "referrers / accounts")                                                  \
    X(owner_referrals, "referrals", COUNT, I64, MAIN,                          \
      "referrals of the owner's active accounts in the window")                \
    X(owner_converted, "converted", COUNT, I64, MAIN, "of them, converted")    \
    X(owner_referred_mrr, "referred_mrr", MONEY, F64, MAIN,                    \
      "their first MRR")                                                       \
    X(owner_flags, "flags", FLAGS, U32, DETAIL, "CSM_FLAG_* bits of the row")

/** Referrals: the typed view of the tables "referrals" (members from
 * CSM_REFERRALS_COLUMNS, one row) and "referrals_owners" (members from
 * CSM_REFERRALS_OWNERS_COLUMNS, n_owner_rows rows), as
 * csm_referrals_compute returns them. */
typedef struct csm_referrals {
    csm_result *result;  /**< tables "referrals" and "referrals_owners" */
    size_t n_rows;       /**< rows of "referrals": 1 */
    size_t n_owner_rows; /**< rows of "referrals_owners" */
    CSM_REFERRALS_COLUMNS(CSM_COLUMN_MEMBER)
    CSM_REFERRALS_OWNERS_COLUMNS(CSM_COLUMN_MEMBER)
} csm_referrals;

/**
 * Referral figures of a window of the ledger (see CSM_REFERRALS_COLUMNS).
 * owner_customer[i] is owned by owner[i] (n_owner rows, may be NULL when
 * 0; a customer listed twice is CSM_EDUP with the row); nps_customer[i]
 * answered nps_score[i] (0..10; n_nps responses, may be NULL when 0).  The
 * result comes from the ledger's allocator.
 * Errors: CSM_EINVAL (out, ledger or rows NULL; an array NULL while its
 * length is > 0; bad opts: first_month after last_month, confidence
 * outside (0, 1)), CSM_EDOMAIN (an empty ledger without both months:
 * field "ledger"; with the row: an owner CSM_REFERRALS_OWNER_NONE, a
 * first_mrr of a converted referral negative or not finite, a converted
 * other than 0 or 1, a score outside 0..10: fields "owner", "first_mrr",
 * "converted", "nps_score"), CSM_EDUP, CSM_ERANGE (a window over 10,000
 * years), CSM_ENOMEM.  *out is NULL on failure.
 */
CSM_API CSM_NODISCARD csm_status csm_referrals_compute(
    csm_referrals **out, const csm_ledger *ledger,
    const csm_referrals_rows *rows, const int64_t *owner_customer,
    const int32_t *owner, size_t n_owner, const int64_t *nps_customer,
    const int8_t *nps_score, size_t n_nps, const csm_referrals_opts *opts,
    csm_error *err);
/** Release a result (csm_result_free(r->result)); NULL is allowed. */
CSM_API void csm_referrals_free(csm_referrals *r);

#ifdef __cplusplus
}
#endif

#endif /* CSMETRICS_REFERRALS_H */
