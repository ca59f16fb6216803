/* data.c - load a company's CSV files (see docs/cli.md for the columns). */
#include "data.h"

#include <csmetrics/csmetrics.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

const char *const dim_names[DIM_N] = {"segment", "channel", "plan",
                                      "region",  "owner",   "billing"};
const char *const usage_cols[12] = {
    "licensed_seats", "activated_seats", "active_users", "sessions",
    "minutes",        "features_used",   "features_available", "dau",
    "mau",            "support_tickets", "open_p1_tickets",    "key_contact_left"};

void *xalloc(size_t n, size_t size) {
    void *p = calloc(n ? n : 1, size);
    if (!p) {
        fputs("csmetrics: out of memory\n", stderr);
        exit(EXIT_SOFTWARE);
    }
    return p;
}

int32_t dict_add(dict *d, const char *s) {
    for (size_t i = 0; i < d->n; i++)
        if (strcmp(d->names[i], s) == 0)
            return (int32_t)i;
    if (d->n == d->cap) {
        size_t c = d->cap ? 2 * d->cap : 8;
        char **nn = realloc(d->names, c * sizeof *nn);
        if (!nn) {
            fputs("csmetrics: out of memory\n", stderr);
            exit(EXIT_SOFTWARE);
        }
        d->names = nn;
        d->cap = c;
    }
    size_t len = strlen(s) + 1;
    d->names[d->n] = xalloc(len, 1);
    memcpy(d->names[d->n], s, len);
    return (int32_t)d->n++;
}

static void dict_free(dict *d) {
    for (size_t i = 0; i < d->n; i++)
        free(d->names[i]);
    free(d->names);
    memset(d, 0, sizeof *d);
}

/* Open dir/name; 0 if absent, 1 if loaded; exits on malformed CSV. */
static int open_tab(csvtab *t, const company *c, const char *name,
                    loadopts *o) {
    char path[4200];
    snprintf(path, sizeof path, "%s/%s", c->dir, name);
    char err[512];
    int rc = csvtab_load(t, path, o->skip_bad, &o->skipped, err, sizeof err);
    if (rc == CSVTAB_MISSING)
        return 0;
    if (rc != CSVTAB_OK) {
        fprintf(stderr, "csmetrics: %s\n", err);
        csvtab_free(t);
        exit(EXIT_DATAERR);
    }
    return 1;
}

static long need_col(const csvtab *t, const char *canon, const loadopts *o) {
    long j = csvtab_col(t, canon, &o->map);
    if (j < 0) {
        for (size_t i = 0; i < o->map.n; i++)
            if (strcmp(o->map.canon[i], canon) == 0) {
                fprintf(stderr,
                        "csmetrics: %s: missing required column '%s' "
                        "(given for '%s' with --map)\n",
                        t->path, o->map.actual[i], canon);
                exit(EXIT_DATAERR);
            }
        fprintf(stderr,
                "csmetrics: %s: missing required column '%s' (if it has "
                "another name, use --map %s=NAME)\n",
                t->path, canon, canon);
        exit(EXIT_DATAERR);
    }
    return j;
}

/* Report a bad value: exits unless skipping; returns 1 if the row is to
 * be skipped. */
static int bad(const csvtab *t, size_t row, long col, const char *reason,
               loadopts *o) {
    if (o->skip_bad) {
        o->skipped++;
        return 1;
    }
    fprintf(stderr, "csmetrics: %s:%zu: column '%s': %s ('%s')\n", t->path,
            t->line[row], t->header[col], reason, csvtab_cell(t, row, col));
    exit(EXIT_DATAERR);
}

#define GET(kind, col, dst)                                                    \
    do {                                                                       \
        const char *why_;                                                      \
        if (parse_##kind(csvtab_cell(&t, r, col), dst, &why_) != 0) {          \
            bad(&t, r, col, why_, o);                                          \
            goto skip;                                                         \
        }                                                                      \
    } while (0)

static void load_accounts(company *c, loadopts *o) {
    csvtab t;
    if (!open_tab(&t, c, "accounts.csv", o))
        return;
    long cid = need_col(&t, "account_id", o);
    long dcol[DIM_N];
    for (int d = 0; d < DIM_N; d++)
        dcol[d] = csvtab_col(&t, dim_names[d], &o->map);
    long sig = csvtab_col(&t, "signup_month", &o->map);
    c->acc_id = xalloc(t.nrows, sizeof *c->acc_id);
    c->acc_signup = xalloc(t.nrows, sizeof *c->acc_signup);
    for (int d = 0; d < DIM_N; d++)
        c->acc_dim[d] = xalloc(t.nrows, sizeof(int32_t));
    size_t n = 0;
    for (size_t r = 0; r < t.nrows; r++) {
        GET(i64, cid, &c->acc_id[n]);
        c->acc_signup[n] = INT32_MIN;
        if (sig >= 0 && csvtab_cell(&t, r, sig)[0])
            GET(month, sig, &c->acc_signup[n]);
        for (int d = 0; d < DIM_N; d++)
            c->acc_dim[d][n] = dict_add(
                &c->dims[d], dcol[d] >= 0 ? csvtab_cell(&t, r, dcol[d]) : "");
        n++;
    skip:;
    }
    c->n_acc = n;
    /* sort by id (insertion order kept for equal ids: a duplicate id is a
     * data error) */
    size_t *idx = xalloc(n, sizeof *idx);
    for (size_t i = 0; i < n; i++)
        idx[i] = i;
    /* simple shell sort on ids: n is the number of accounts */
    for (size_t gap = n / 2; gap > 0; gap /= 2)
        for (size_t i = gap; i < n; i++)
            for (size_t j = i; j >= gap && c->acc_id[idx[j - gap]] > c->acc_id[idx[j]]; j -= gap) {
                size_t tmp = idx[j];
                idx[j] = idx[j - gap];
                idx[j - gap] = tmp;
            }
    int64_t *id2 = xalloc(n, sizeof *id2);
    int32_t *s2 = xalloc(n, sizeof *s2);
    for (size_t i = 0; i < n; i++) {
        id2[i] = c->acc_id[idx[i]];
        s2[i] = c->acc_signup[idx[i]];
        if (i && id2[i] == id2[i - 1]) {
            fprintf(stderr, "csmetrics: %s: account_id %lld appears twice\n",
                    t.path, (long long)id2[i]);
            exit(EXIT_DATAERR);
        }
    }
    for (int d = 0; d < DIM_N; d++) {
        int32_t *d2 = xalloc(n, sizeof *d2);
        for (size_t i = 0; i < n; i++)
            d2[i] = c->acc_dim[d][idx[i]];
        free(c->acc_dim[d]);
        c->acc_dim[d] = d2;
    }
    free(c->acc_id);
    free(c->acc_signup);
    c->acc_id = id2;
    c->acc_signup = s2;
    free(idx);
    c->have_accounts = 1;
    csvtab_free(&t);
}

long company_account(const company *c, int64_t customer) {
    size_t lo = 0, hi = c->n_acc;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (c->acc_id[mid] < customer)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < c->n_acc && c->acc_id[lo] == customer ? (long)lo : -1;
}

int32_t company_dim(const company *c, int64_t customer, int d) {
    long i = company_account(c, customer);
    return i < 0 ? -1 : c->acc_dim[d][i];
}

static void load_owners(company *c, loadopts *o) {
    csvtab t;
    if (!open_tab(&t, c, "owners.csv", o))
        return;
    long oc = need_col(&t, "owner", o);
    long nc = need_col(&t, "name", o);
    c->owner_ids = xalloc(t.nrows, sizeof *c->owner_ids);
    for (size_t r = 0; r < t.nrows; r++) {
        /* owner codes are matched as text with accounts.csv's owner */
        c->owner_ids[c->owner_names.n] = dict_add(&c->dims[DIM_OWNER], csvtab_cell(&t, r, oc));
        dict_add(&c->owner_names, csvtab_cell(&t, r, nc));
    }
    c->have_owners = 1;
    csvtab_free(&t);
}

static void load_mrr(company *c, loadopts *o) {
    csvtab t;
    if (!open_tab(&t, c, "mrr.csv", o))
        return;
    long cc = need_col(&t, "customer_id", o);
    long mc = need_col(&t, "month", o);
    long vc = need_col(&t, "mrr", o);
    c->mrr_cust = xalloc(t.nrows, sizeof *c->mrr_cust);
    c->mrr_month = xalloc(t.nrows, sizeof *c->mrr_month);
    c->mrr_value = xalloc(t.nrows, sizeof *c->mrr_value);
    size_t n = 0;
    for (size_t r = 0; r < t.nrows; r++) {
        GET(i64, cc, &c->mrr_cust[n]);
        GET(month, mc, &c->mrr_month[n]);
        GET(f64, vc, &c->mrr_value[n]);
        if (c->mrr_value[n] < 0) {
            bad(&t, r, vc, "MRR must be >= 0", o);
            goto skip;
        }
        n++;
    skip:;
    }
    c->n_mrr = n;
    c->have_mrr = 1;
    csvtab_free(&t);
}

static void load_contracts(company *c, loadopts *o) {
    csvtab t;
    if (!open_tab(&t, c, "contracts.csv", o))
        return;
    long cc = need_col(&t, "customer_id", o);
    long sc = need_col(&t, "start_date", o);
    long ec = need_col(&t, "end_date", o);
    long vc = need_col(&t, "value", o);
    long ic = csvtab_col(&t, "interval_months", &o->map);
    c->con_cust = xalloc(t.nrows, sizeof *c->con_cust);
    c->con_start = xalloc(t.nrows, sizeof *c->con_start);
    c->con_end = xalloc(t.nrows, sizeof *c->con_end);
    c->con_interval = xalloc(t.nrows, sizeof *c->con_interval);
    c->con_value = xalloc(t.nrows, sizeof *c->con_value);
    size_t n = 0;
    for (size_t r = 0; r < t.nrows; r++) {
        GET(i64, cc, &c->con_cust[n]);
        GET(date, sc, &c->con_start[n]);
        GET(date, ec, &c->con_end[n]);
        GET(f64, vc, &c->con_value[n]);
        c->con_interval[n] = 12;
        if (ic >= 0)
            GET(i32, ic, &c->con_interval[n]);
        if (c->con_end[n] < c->con_start[n]) {
            bad(&t, r, ec, "contract ends before it starts", o);
            goto skip;
        }
        if (c->con_value[n] < 0) {
            bad(&t, r, vc, "value must be >= 0", o);
            goto skip;
        }
        if (c->con_interval[n] <= 0) {
            bad(&t, r, ic, "interval_months must be > 0", o);
            goto skip;
        }
        n++;
    skip:;
    }
    c->n_con = n;
    c->have_contracts = 1;
    csvtab_free(&t);
}

static void load_nps(company *c, loadopts *o) {
    csvtab t;
    if (!open_tab(&t, c, "nps.csv", o))
        return;
    long cc = need_col(&t, "customer_id", o);
    long dc = need_col(&t, "date", o);
    long sc = need_col(&t, "score", o);
    c->nps_cust = xalloc(t.nrows, sizeof *c->nps_cust);
    c->nps_day = xalloc(t.nrows, sizeof *c->nps_day);
    c->nps_score = xalloc(t.nrows, sizeof *c->nps_score);
    size_t n = 0;
    for (size_t r = 0; r < t.nrows; r++) {
        int32_t s;
        GET(i64, cc, &c->nps_cust[n]);
        GET(date, dc, &c->nps_day[n]);
        GET(i32, sc, &s);
        if (s < 0 || s > 10) {
            bad(&t, r, sc, "NPS score must be 0..10", o);
            goto skip;
        }
        c->nps_score[n] = (int8_t)s;
        n++;
    skip:;
    }
    c->n_nps = n;
    c->have_nps = 1;
    csvtab_free(&t);
}

static void load_usage(company *c, loadopts *o) {
    csvtab t;
    if (!open_tab(&t, c, "usage.csv", o))
        return;
    long ac = need_col(&t, "account_id", o);
    long mc = need_col(&t, "month", o);
    long col[12];
    for (int k = 0; k < 12; k++)
        col[k] = csvtab_col(&t, usage_cols[k], &o->map);
    c->use_acc = xalloc(t.nrows, sizeof *c->use_acc);
    c->use_month = xalloc(t.nrows, sizeof *c->use_month);
    for (int k = 0; k < 12; k++)
        c->use_col[k] = xalloc(t.nrows, sizeof(double));
    size_t n = 0;
    for (size_t r = 0; r < t.nrows; r++) {
        GET(i64, ac, &c->use_acc[n]);
        GET(month, mc, &c->use_month[n]);
        for (int k = 0; k < 12; k++) {
            c->use_col[k][n] = NAN; /* absent column or empty cell */
            if (col[k] >= 0 && csvtab_cell(&t, r, col[k])[0]) {
                GET(f64, col[k], &c->use_col[k][n]);
                if (c->use_col[k][n] < 0) {
                    bad(&t, r, col[k], "must be >= 0", o);
                    goto skip;
                }
            }
        }
        n++;
    skip:;
    }
    c->n_use = n;
    c->have_usage = 1;
    csvtab_free(&t);
}

static void load_spend(company *c, loadopts *o) {
    csvtab t;
    if (!open_tab(&t, c, "spend.csv", o))
        return;
    long mc = need_col(&t, "month", o);
    long sc = need_col(&t, "spend", o);
    long cc = csvtab_col(&t, "channel", &o->map);
    c->spend_month = xalloc(t.nrows, sizeof *c->spend_month);
    c->spend_channel = xalloc(t.nrows, sizeof *c->spend_channel);
    c->spend = xalloc(t.nrows, sizeof *c->spend);
    size_t n = 0;
    for (size_t r = 0; r < t.nrows; r++) {
        GET(month, mc, &c->spend_month[n]);
        GET(f64, sc, &c->spend[n]);
        if (c->spend[n] < 0) {
            bad(&t, r, sc, "spend must be >= 0", o);
            goto skip;
        }
        c->spend_channel[n] =
            cc >= 0 ? dict_add(&c->dims[DIM_CHANNEL], csvtab_cell(&t, r, cc))
                    : -1;
        n++;
    skip:;
    }
    c->n_spend = n;
    c->have_spend = 1;
    csvtab_free(&t);
}

void company_load(company *c, const char *dir, loadopts *o) {
    memset(c, 0, sizeof *c);
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        fprintf(stderr, "csmetrics: %s: not a directory\n", dir);
        exit(EXIT_NOINPUT);
    }
    snprintf(c->dir, sizeof c->dir, "%s", dir);
    load_accounts(c, o);
    load_owners(c, o);
    load_mrr(c, o);
    load_contracts(c, o);
    load_nps(c, o);
    load_usage(c, o);
    load_spend(c, o);
}

void company_free(company *c) {
    free(c->acc_id);
    free(c->acc_signup);
    for (int d = 0; d < DIM_N; d++) {
        free(c->acc_dim[d]);
        dict_free(&c->dims[d]);
    }
    dict_free(&c->owner_names);
    free(c->owner_ids);
    free(c->mrr_cust);
    free(c->mrr_month);
    free(c->mrr_value);
    free(c->con_cust);
    free(c->con_start);
    free(c->con_end);
    free(c->con_interval);
    free(c->con_value);
    free(c->nps_cust);
    free(c->nps_day);
    free(c->nps_score);
    free(c->use_acc);
    free(c->use_month);
    for (int k = 0; k < 12; k++)
        free(c->use_col[k]);
    free(c->spend_month);
    free(c->spend_channel);
    free(c->spend);
    memset(c, 0, sizeof *c);
}
