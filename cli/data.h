/* data.h - the company's CSV files loaded into columnar arrays. */
#ifndef CSMCLI_DATA_H
#define CSMCLI_DATA_H

#include <csmetrics/keys.h>
#include <stddef.h>
#include <stdint.h>

#include "csvtab.h"
#include "xalloc.h"

/* Exit codes (sysexits.h values). */
enum { EXIT_USAGE = 64, EXIT_DATAERR = 65, EXIT_NOINPUT = 66, EXIT_SOFTWARE = 70 };

/* Dimensions an account can be broken down by; KEY_CUSTOMER: the kind of
 * the customer (and account) ids, after them; KEY_TOUCH_TYPE: the kind of
 * touches.csv's types; KEY_PRODUCT: the kind of accounts.csv's products. */
enum { DIM_SEGMENT, DIM_CHANNEL, DIM_PLAN, DIM_REGION, DIM_OWNER, DIM_BILLING, DIM_N };
enum { KEY_CUSTOMER = DIM_N, KEY_TOUCH_TYPE, KEY_PRODUCT, KEY_N };
extern const char *const dim_names[DIM_N];

/* A column of ids or labels read, waiting for its kind's dictionary
 * (company_load's own bookkeeping). */
typedef struct keycol {
    int kind;        /* DIM_*, KEY_CUSTOMER, KEY_TOUCH_TYPE or KEY_PRODUCT */
    void *ids;       /* int64_t ** (KEY_CUSTOMER) or int32_t ** (others) */
    char **label;    /* the label of each row read (NULL: none) */
    size_t cap;      /* rows read, kept or not */
    const size_t *n; /* rows kept */
} keycol;

typedef struct loadopts {
    colmap map;
    int skip_bad;          /* --skip-bad-rows */
    int strict;            /* --strict: duplicate customer-month rows */
    csv_encoding encoding; /* --encoding */
    skiplog skip;          /* rows skipped (bad values, ragged, encoding) */
    size_t nkeycols;       /* the loader's: columns waiting for their ids */
    keycol keycols[24];
} loadopts;

/* Ids and labels.  Every id in the files is a label (any text: "42",
 * "cus_N1a", a UUID, "Mid-Market"), trimmed of surrounding spaces; one
 * key dictionary per kind (csmetrics/keys.h) turns them into the dense ids
 * the library takes: `customers` for the customer and account ids of
 * every file (so an account is the customer of the same label), dims[d]
 * for each dimension (accounts.csv's columns, spend.csv's channel and
 * owners.csv's owner), touch_types for touches.csv's types, products for
 * accounts.csv's product column.  A blank dimension (or product) cell is no value:
 * CSM_KEYS_NONE (-1), as for a customer without an accounts.csv row. */
typedef struct company {
    char dir[4096];
    csm_keys *customers;
    csm_keys *dims[DIM_N];
    csm_keys *touch_types;
    csm_keys *products;
    /* accounts.csv */
    int have_accounts;
    size_t n_acc;
    int64_t *acc_id;         /* ascending */
    int32_t *acc_dim[DIM_N]; /* id in dims[d], or CSM_KEYS_NONE */
    int32_t *acc_signup;     /* month index or INT32_MIN */
    /* lifecycle stage (CSM_ACTIVITY_STAGE_*, the column `stage`), or -1
     * (no column, a blank cell: the stage of the account's tenure) */
    int32_t *acc_stage;
    /* product category: id in products (the column `product`), or
     * CSM_KEYS_NONE (no column, a blank cell) */
    int32_t *acc_product;
    size_t *acc_line;        /* the line of each account in accounts.csv */
    /* owners.csv: owner id (in dims[DIM_OWNER]) -> display name; a name
     * given to an earlier owner is left out (that owner shows its id) */
    int have_owners;
    size_t n_owners;
    int32_t *owner_ids;
    char **owner_names; /* parallel to owner_ids */
    /* the files the MRR rows and the contracts came from, for messages:
     * "mrr.csv" and "contracts.csv", or "subscriptions.csv" (read when
     * mrr.csv is absent; its contracts unless contracts.csv is there) */
    const char *mrr_file, *con_file;
    /* mrr.csv */
    int have_mrr;
    size_t n_mrr;
    int64_t *mrr_cust;
    int32_t *mrr_month;
    double *mrr_value;
    size_t *mrr_line;  /* the line of each row in mrr.csv */
    size_t mrr_merged; /* rows of a customer-month that had one already */
    /* contracts.csv */
    int have_contracts;
    size_t n_con;
    int64_t *con_cust;
    int32_t *con_start, *con_end, *con_interval;
    double *con_value;
    size_t *con_line;
    /* nps.csv */
    int have_nps;
    size_t n_nps;
    int64_t *nps_cust;
    int32_t *nps_day;
    int8_t *nps_score;
    size_t *nps_line;
    /* usage.csv (optional columns are NaN when absent) */
    int have_usage;
    size_t n_use;
    int64_t *use_acc;
    int32_t *use_month;
    double *use_col[12];
    size_t *use_line;
    /* spend.csv */
    int have_spend;
    size_t n_spend;
    int32_t *spend_month;
    int32_t *spend_channel; /* id in dims[DIM_CHANNEL], or CSM_KEYS_NONE */
    double *spend;
    size_t *spend_line;
    /* touches.csv: one row per review (a diagnosis) or other intervention
     * on an account */
    int have_touches;
    size_t n_touch;
    int64_t *touch_cust;
    int32_t *touch_day;
    int32_t *touch_csm; /* id in dims[DIM_OWNER], or CSM_KEYS_NONE */
    /* id in touch_types: the row's `type` (review, exec_call...), or the
     * type "touch" of every row when the file has no such column */
    int32_t *touch_type;
    size_t *touch_line;
    /* referrals.csv: one row per referral a customer made */
    int have_referrals;
    size_t n_ref;
    int64_t *ref_cust; /* the referring customer */
    int32_t *ref_day;
    int8_t *ref_converted; /* 0 or 1 */
    double *ref_first_mrr; /* 0 when absent or blank */
    size_t *ref_line;
} company;

/* Usage columns in use_col order. */
extern const char *const usage_cols[12];

/* Load every file of dir that exists; exits with EXIT_DATAERR on a bad row
 * (unless opts->skip_bad: then it is listed on stderr and counted in
 * opts->skip), on a duplicate account and, with opts->strict, on a
 * duplicate customer-month row of mrr.csv (else counted in mrr_merged);
 * EXIT_NOINPUT if dir is not a directory.  Each row kept remembers its
 * line (the *_line arrays), for the messages about it. */
void company_load(company *c, const char *dir, loadopts *o);
void company_free(company *c);

/* The first position of id in the n ascending keys (binary search), or
 * -1 when id is not there. */
long find_first(const int64_t *key, size_t n, int64_t id);

/* A row's key for sorting rows by key: an id, a tie-break (a month, or a
 * negated day for latest-first), then the row; rowkey_cmp is qsort's
 * comparator over them (id, tie, row ascending). */
typedef struct rowkey {
    int64_t id;
    int64_t tie;
    size_t row;
} rowkey;
int rowkey_cmp(const void *a, const void *b);

/* Id of an account attribute for customer id (binary search), or -1
 * (CSM_KEYS_NONE: no accounts.csv row, or a blank cell). */
int32_t company_dim(const company *c, int64_t customer, int d);
long company_account(const company *c, int64_t customer);

/* The label of customer id (NULL when id is not one). */
const char *company_customer(const company *c, int64_t id);

/* The column of t that map gives canon, or exit 65 naming the missing
 * column (and the --map that named it). */
long need_col(const csvtab *t, const char *canon, const colmap *map);

#endif
