/*
 * csmetrics/activity.h - product-activity measures: activation rate, login
 * rate, usage frequency and duration per user, feature breadth and
 * stickiness, by account and rolled up by segment, user role and signing
 * cohort.  They feed health scores and are useful alone.
 *
 * Threads: reentrant; inputs are only read; the result table is the
 * caller's (csm_activity_free).
 * Definitions and worked example: docs/metrics.md, "Activity measures".
 */
#ifndef CSMETRICS_ACTIVITY_H
#define CSMETRICS_ACTIVITY_H

#include "csmetrics/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/* User roles (any int32 is accepted; these are the documented codes). */
enum {
    CSM_ROLE_OWNER = 0,
    CSM_ROLE_ADMIN = 1,
    CSM_ROLE_STAFF = 2,
    CSM_ROLE_END_USER = 3
};

/* Columnar activity rows, one per account (or per account and role) for
 * one period.  Every count column may be NULL (its measures are then NaN);
 * counts are finite and >= 0. */
typedef struct csm_activity_rows {
    const int64_t *account_id; /* required */
    const int32_t *role;       /* NULL = one role (0) */
    const int32_t *segment;    /* NULL = segment 0 */
    const int32_t *cohort;     /* signing month index; NULL = 0 */
    const double *licensed_seats;
    const double *activated_seats;
    const double *active_users; /* users active in the period */
    const double *sessions;
    const double *minutes;
    const double *features_used;
    const double *features_available;
    const double *dau; /* average daily active users */
    const double *mau; /* monthly active users */
    size_t n;
} csm_activity_rows;

typedef enum csm_activity_group {
    CSM_ACTIVITY_BY_ACCOUNT = 0,
    CSM_ACTIVITY_BY_SEGMENT = 1,
    CSM_ACTIVITY_BY_ROLE = 2,
    CSM_ACTIVITY_BY_COHORT = 3,
    CSM_ACTIVITY_ALL = 4
} csm_activity_group;

typedef struct csm_activity_opts {
    size_t size;
    int group_by; /* csm_activity_group, default by account */
    /* 0 (default): a part above its whole (activated > licensed seats,
     * active users > licensed seats, features used > available, DAU > MAU)
     * is CSM_EDOMAIN; 1: such a rate is clamped to 1 and flagged
     * CSM_FLAG_CLAMPED */
    int clamp;
    const csm_allocator *allocator;
} csm_activity_opts;

#define CSM_ACTIVITY_OPTS_INIT                                                \
    {sizeof(csm_activity_opts), CSM_ACTIVITY_BY_ACCOUNT, 0, NULL}
CSM_API CSM_NODISCARD csm_status
csm_activity_opts_init(csm_activity_opts *opts, size_t size);

/* The seven measures, in the order of csm_activity.rate[] and mean[]. */
enum {
    CSM_ACT_ACTIVATION_RATE = 0,   /* activated seats / licensed seats */
    CSM_ACT_LOGIN_RATE = 1,        /* active users / licensed seats */
    CSM_ACT_SESSIONS_PER_USER = 2, /* sessions / active users */
    CSM_ACT_MINUTES_PER_USER = 3,  /* minutes / active users */
    CSM_ACT_MINUTES_PER_SESSION = 4, /* minutes / sessions */
    CSM_ACT_FEATURE_BREADTH = 5,   /* features used / features available */
    CSM_ACT_STICKINESS = 6,        /* DAU / MAU */
    CSM_ACT_N = 7
};

/*
 * One row per group key (ascending): the account id, segment, role, cohort
 * month, or a single row (key 0) for CSM_ACTIVITY_ALL.
 *   rate[m] (rate + m x n_rows ... see below): ratio of sums over the
 *           group's rows -- seat-weighted (a big account weighs more);
 *   mean[m]: the unweighted mean over the group's accounts of each
 *           account's own ratio (accounts whose denominator is 0 are
 *           skipped); equal to rate for CSM_ACTIVITY_BY_ACCOUNT.
 * Arrays rate and mean are n_rows x CSM_ACT_N, row-major.  A zero
 * denominator gives NaN and CSM_FLAG_ZERO_DENOMINATOR; a missing column
 * NaN.  Sums of the inputs are given per row (NaN for missing columns).
 */
typedef struct csm_activity {
    size_t n_rows;
    int64_t *key;
    int64_t *n_accounts;
    double *licensed_seats, *activated_seats, *active_users, *sessions,
        *minutes, *features_used, *features_available, *dau, *mau;
    double *rate; /* n_rows x CSM_ACT_N */
    double *mean; /* n_rows x CSM_ACT_N */
    uint32_t *flags;
    void *priv_;
} csm_activity;

/* Errors: CSM_EINVAL (NULL, account_id NULL with n > 0, unknown group_by,
 * bad opts), CSM_EDOMAIN with row and field (a count negative or not
 * finite; a part above its whole unless clamp), CSM_ENOMEM. */
CSM_API CSM_NODISCARD csm_status csm_activity_compute(
    csm_activity **out, const csm_activity_rows *rows,
    const csm_activity_opts *opts, csm_error *err);
CSM_API void csm_activity_free(csm_activity *a);

#ifdef __cplusplus
}
#endif

#endif /* CSMETRICS_ACTIVITY_H */
