/* health_inputs.c - the scorecard's value matrix (health_inputs.h). */
#include "health_inputs.h"
#include "section.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Where an input's values come from. */
enum { SRC_ACTIVITY, SRC_NPS, SRC_DAYS, SRC_MRR, SRC_USAGE, SRC_NONE };

typedef struct source {
    int kind;
    int index; /* the CSM_ACT_* measure or the usage_cols column */
} source;

/* The usage.csv column called name (usage_cols), or -1. */
static int usage_index(const char *name) {
    for (int k = 0; k < 12; k++)
        if (strcmp(usage_cols[k], name) == 0)
            return k;
    return -1;
}

static source source_of(const char *name) {
    source s = {SRC_NONE, -1};
    for (int q = 0; q < CSM_ACTIVITY_N; q++)
        if (strcmp(name, csm_activity_measure_name(q)) == 0)
            s = (source){SRC_ACTIVITY, q};
    if (s.kind == SRC_ACTIVITY)
        return s;
    if (strcmp(name, "nps") == 0)
        return (source){SRC_NPS, -1};
    if (strcmp(name, "days_to_renewal") == 0)
        return (source){SRC_DAYS, -1};
    if (strcmp(name, "mrr") == 0)
        return (source){SRC_MRR, -1};
    int k = usage_index(name);
    if (k >= 0)
        return (source){SRC_USAGE, k};
    return s; /* an input no file has: missing */
}

/* The usage rows of one month: row[i] of usage.csv, of account[i], in
 * file order; by_account: their indices by (account, row), to find an
 * account's first row by binary search. */
typedef struct usage_month {
    size_t n;
    long *row;
    int64_t *account;
    size_t *by_account;
} usage_month;

/* The n keys sorted (rowkey_cmp, data.h), as rows in that order (allocated), their ids
 * into key_out (allocated, the same order) for find_first (data.h). */
static size_t *sorted_indices(rowkey *pr, size_t n, int64_t **key_out) {
    qsort(pr, n, sizeof *pr, rowkey_cmp);
    size_t *idx = xalloc(n, sizeof *idx);
    int64_t *key = xalloc(n, sizeof *key);
    for (size_t j = 0; j < n; j++) {
        idx[j] = pr[j].row;
        key[j] = pr[j].id;
    }
    *key_out = key;
    return idx;
}

csm_activity *usage_activity(const company *c, const long *row,
                             const csm_activity_rows *in,
                             const csm_activity_opts *opts, const char *what) {
    double *ucol[12];
    for (int k = 0; k < 12; k++) {
        ucol[k] = xalloc(in->n, sizeof **ucol);
        for (size_t i = 0; i < in->n; i++)
            ucol[k][i] = c->use_col[k][row[i]];
    }
    csm_activity_rows ar_in = *in;
#define UCOL(name) ucol[usage_index(name)]
    ar_in.licensed_seats = UCOL("licensed_seats");
    ar_in.activated_seats = UCOL("activated_seats");
    ar_in.active_users = UCOL("active_users");
    ar_in.sessions = UCOL("sessions");
    ar_in.minutes = UCOL("minutes");
    ar_in.features_used = UCOL("features_used");
    ar_in.features_available = UCOL("features_available");
    ar_in.dau = UCOL("dau");
    ar_in.mau = UCOL("mau");
#undef UCOL
    csm_activity_opts ao = *opts;
    ao.clamp = 1;
    ao.nan_missing = 1;
    csm_activity *act = NULL;
    csm_error e;
    if (csm_activity_compute(&act, &ar_in, &ao, &e) != CSM_OK)
        die_status(what, &e);
    for (int k = 0; k < 12; k++)
        free(ucol[k]);
    return act;
}

/* The activity measures of the month's usage rows, by account (rows
 * sorted by account id). */
static csm_activity *activity_of(const company *c, const usage_month *u) {
    csm_activity_rows in = {.account_id = u->account, .n = u->n};
    csm_activity_opts ao = CSM_ACTIVITY_OPTS_INIT;
    return usage_activity(c, u->row, &in, &ao, "activity");
}

/* The NPS responses dated in [from, to), by (customer, day descending,
 * row): a customer's first one is its latest response (the first in the
 * file of several on that day). */
typedef struct nps_index {
    size_t n;
    size_t *row;      /* rows of nps.csv in that order */
    int64_t *customer; /* their customers */
} nps_index;

static nps_index nps_index_build(const company *c, int32_t from, int32_t to) {
    rowkey *pr = xalloc(c->n_nps, sizeof *pr);
    size_t n = 0;
    for (size_t i = 0; i < c->n_nps; i++)
        if (c->nps_day[i] >= from && c->nps_day[i] < to)
            pr[n++] = (rowkey){c->nps_cust[i], -(int64_t)c->nps_day[i], i};
    nps_index ni = {n, NULL, NULL};
    ni.row = sorted_indices(pr, n, &ni.customer);
    free(pr);
    return ni;
}

/* The NPS of account id's latest response in the index: csm_nps of that
 * one response, 100 for a promoter, 0 for a passive, -100 for a
 * detractor; NaN without one. */
static double latest_nps(const company *c, const nps_index *ni, int64_t id) {
    long j = find_first(ni->customer, ni->n, id);
    if (j < 0)
        return NAN;
    csm_nps_result r;
    csm_error e;
    if (csm_nps(&r, &c->nps_score[ni->row[j]], 1, NULL, &e) != CSM_OK)
        die_status("nps", &e);
    return r.nps;
}

/* days[a]: days from day `today` to the nearest end (on or after it) of a
 * contract of account hi->account[a], NaN without one
 * (csm_renewals_days_to_end; contracts.csv's values do not matter). */
static double *days_to_renewal(const company *c, const health_inputs *hi,
                               int32_t today) {
    csm_contracts k = {.customer_id = c->con_cust,
                       .start_day = c->con_start,
                       .end_day = c->con_end,
                       .amount = c->con_value,
                       .interval_count = c->con_interval,
                       .n = c->n_con};
    double *days = xalloc(hi->n, sizeof *days);
    csm_error e;
    if (csm_renewals_days_to_end(days, hi->account, hi->n, &k, today, NULL,
                                 &e) != CSM_OK)
        die_status("health", &e);
    return days;
}

void health_inputs_build(health_inputs *hi, const ctx *x,
                         const csm_health_scorecard *sc, int32_t month) {
    const company *c = x->c;
    /* usage rows of the month */
    usage_month u = {0, xalloc(c->n_use, sizeof(long)),
                     xalloc(c->n_use, sizeof(int64_t)), NULL};
    for (size_t i = 0; i < c->n_use; i++)
        if (c->use_month[i] == month) {
            u.row[u.n] = (long)i;
            u.account[u.n] = c->use_acc[i];
            u.n++;
        }
    rowkey *pr = xalloc(u.n, sizeof *pr);
    for (size_t i = 0; i < u.n; i++)
        pr[i] = (rowkey){u.account[i], u.row[i], i};
    int64_t *u_key = NULL; /* the accounts in by_account order */
    u.by_account = sorted_indices(pr, u.n, &u_key);
    free(pr);
    csm_activity *act = activity_of(c, &u);
    /* accounts to score: the customers the ledger has active in the month
     * (duplicate rows summed, MRR 0 inactive: as every other section counts
     * them), else every account with usage that month, once (the activity
     * result has one row per account, ascending id) */
    hi->n = 0;
    hi->account = xalloc(c->n_use + c->n_mrr + 1, sizeof *hi->account);
    hi->mrr = xalloc(c->n_use + c->n_mrr + 1, sizeof *hi->mrr);
    if (x->ledger) {
        csm_ledger_month *lm = NULL;
        csm_error e;
        if (csm_ledger_month_compute(&lm, x->ledger, month, &e) != CSM_OK)
            die_status("health", &e);
        for (size_t i = 0; i < lm->n_rows; i++) {
            hi->account[hi->n] = lm->customer_id[i];
            hi->mrr[hi->n] = lm->mrr[i];
            hi->n++;
        }
        csm_ledger_month_free(lm);
    } else {
        for (size_t i = 0; i < act->n_rows; i++) {
            hi->account[hi->n] = act->key[i];
            hi->mrr[hi->n] = NAN;
            hi->n++;
        }
    }
    size_t ni = csm_health_scorecard_input_count(sc);
    source *src = xalloc(ni, sizeof *src);
    for (size_t k = 0; k < ni; k++)
        src[k] = source_of(csm_health_scorecard_input_name(sc, k));
    /* NPS responses of the six months ending with the month; contracts
     * ending on its last day or later */
    int32_t nps_from = month_day0(month - 5), nps_to = month_day0(month + 1);
    int32_t today = nps_to - 1;
    double *days = NULL;
    nps_index nx = {0, NULL, NULL};
    for (size_t k = 0; k < ni; k++) {
        if (src[k].kind == SRC_DAYS && !days)
            days = days_to_renewal(c, hi, today);
        if (src[k].kind == SRC_NPS && !nx.row)
            nx = nps_index_build(c, nps_from, nps_to);
    }
    hi->values = xalloc(hi->n * ni, sizeof *hi->values);
    for (size_t a = 0; a < hi->n; a++) {
        int64_t id = hi->account[a];
        long j = find_first(u_key, u.n, id);
        /* the account's first usage row of the month */
        long r = j < 0 ? -1 : u.row[u.by_account[j]];
        long ar = find_first(act->key, act->n_rows, id); /* rows by id */
        for (size_t k = 0; k < ni; k++) {
            double v = NAN;
            switch (src[k].kind) {
            case SRC_ACTIVITY:
                if (ar >= 0)
                    v = act->rate[(size_t)ar * CSM_ACTIVITY_N +
                                  (size_t)src[k].index];
                break;
            case SRC_NPS:
                v = latest_nps(c, &nx, id);
                break;
            case SRC_DAYS:
                v = days[a];
                break;
            case SRC_MRR:
                v = hi->mrr[a];
                break;
            case SRC_USAGE:
                if (r >= 0)
                    v = c->use_col[src[k].index][r];
                break;
            default:
                break;
            }
            hi->values[a * ni + k] = v;
        }
    }
    csm_activity_free(act);
    free(days);
    free(src);
    free(nx.row);
    free(nx.customer);
    free(u.row);
    free(u.account);
    free(u.by_account);
    free(u_key);
}

static int cmp_i32(const void *a, const void *b) {
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
    return (x > y) - (x < y);
}

size_t usage_months(const company *c, int32_t last, int32_t **out) {
    int32_t *m = xalloc(c->n_use ? c->n_use : 1, sizeof *m);
    size_t n = 0;
    for (size_t i = 0; i < c->n_use; i++)
        if (c->use_month[i] <= last)
            m[n++] = c->use_month[i];
    qsort(m, n, sizeof *m, cmp_i32);
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (k == 0 || m[i] != m[k - 1])
            m[k++] = m[i];
    *out = m;
    return k;
}

csm_health *health_score_month(health_inputs *hi, const ctx *x,
                               const csm_health_scorecard *sc, int32_t month) {
    health_inputs_build(hi, x, sc, month);
    csm_health *h = NULL;
    csm_error e;
    if (csm_health_score(&h, sc, hi->values, hi->n, NULL, &e) != CSM_OK)
        die_status("health", &e); /* 65 for the data, 70 out of memory */
    return h;
}

const char *health_input_origin(const company *c, const char *name) {
    source s = source_of(name);
    switch (s.kind) {
    case SRC_ACTIVITY:
        return "the activity rates of usage.csv";
    case SRC_NPS:
        return c->have_nps ? "nps.csv, the six months to the review month"
                           : "nps.csv, which is not there";
    case SRC_DAYS:
        return c->have_contracts ? "contracts.csv, the contracts ending after the month"
                                 : "contracts.csv, which is not there";
    case SRC_MRR:
        return "mrr.csv";
    case SRC_USAGE:
        return "usage.csv's column of that name";
    default:
        return "no file: no input of that name";
    }
}

void health_inputs_free(health_inputs *hi) {
    free(hi->account);
    free(hi->mrr);
    free(hi->values);
    memset(hi, 0, sizeof *hi);
}
