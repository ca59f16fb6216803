/* data.h - the company's CSV files loaded into columnar arrays. */
#ifndef CSMCLI_DATA_H
#define CSMCLI_DATA_H

#include <stddef.h>
#include <stdint.h>

#include "csvtab.h"
#include "xalloc.h"

/* Exit codes (sysexits.h values). */
enum { EXIT_USAGE = 64, EXIT_DATAERR = 65, EXIT_NOINPUT = 66, EXIT_SOFTWARE = 70 };

/* Dimensions an account can be broken down by. */
enum { DIM_SEGMENT, DIM_CHANNEL, DIM_PLAN, DIM_REGION, DIM_OWNER, DIM_BILLING, DIM_N };
extern const char *const dim_names[DIM_N];

typedef struct dict {
    size_t n, cap;
    char **names;
    /* open-addressing hash of the names: slot[h] = code + 1, 0 = empty;
     * nslot a power of two above 2n (dict_add stays O(1)) */
    size_t *slot, nslot;
} dict;

typedef struct loadopts {
    colmap map;
    int skip_bad;
    size_t skipped; /* rows skipped (bad values or ragged) */
} loadopts;

typedef struct company {
    char dir[4096];
    /* accounts.csv */
    int have_accounts;
    size_t n_acc;
    int64_t *acc_id;
    int32_t *acc_dim[DIM_N]; /* code into dims[d] */
    int32_t *acc_signup;     /* month index or INT32_MIN */
    size_t *acc_line;        /* the line of each account in accounts.csv */
    dict dims[DIM_N];
    /* owners.csv: owner code -> display name */
    int have_owners;
    dict owner_names; /* parallel to owner_ids */
    int64_t *owner_ids;
    /* mrr.csv */
    int have_mrr;
    size_t n_mrr;
    int64_t *mrr_cust;
    int32_t *mrr_month;
    double *mrr_value;
    size_t *mrr_line; /* the line of each row in mrr.csv (error messages) */
    /* contracts.csv */
    int have_contracts;
    size_t n_con;
    int64_t *con_cust;
    int32_t *con_start, *con_end, *con_interval;
    double *con_value;
    /* nps.csv */
    int have_nps;
    size_t n_nps;
    int64_t *nps_cust;
    int32_t *nps_day;
    int8_t *nps_score;
    /* usage.csv (optional columns are NaN when absent) */
    int have_usage;
    size_t n_use;
    int64_t *use_acc;
    int32_t *use_month;
    double *use_col[12];
    /* spend.csv */
    int have_spend;
    size_t n_spend;
    int32_t *spend_month;
    int32_t *spend_channel; /* code into dims[DIM_CHANNEL] */
    double *spend;
} company;

/* Usage columns in use_col order. */
extern const char *const usage_cols[12];

/* Load every file of dir that exists; exits with EXIT_DATAERR on a bad row
 * (unless opts->skip_bad), EXIT_NOINPUT if dir is not a directory. */
void company_load(company *c, const char *dir, loadopts *o);
void company_free(company *c);

/* The first position of id in the n ascending keys (binary search), or
 * -1 when id is not there. */
long find_first(const int64_t *key, size_t n, int64_t id);

/* Code of an account attribute for customer id (binary search), or -1. */
int32_t company_dim(const company *c, int64_t customer, int d);
long company_account(const company *c, int64_t customer);

/* Code of text s in d, added at the end if new. */
int32_t dict_add(dict *d, const char *s);

#endif
