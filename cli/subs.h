/* subs.h - a subscription export (subscriptions.csv) read into the CLI's
 * inputs through the library (csm_subscriptions_to_ledger and
 * csm_subscriptions_to_contracts): monthly MRR rows and the annual billing
 * terms as contracts. */
#ifndef CSMCLI_SUBS_H
#define CSMCLI_SUBS_H

#include <stddef.h>
#include <stdint.h>

#include <csmetrics/keys.h>

#include "csvtab.h"

/* What a subscription export becomes. */
typedef struct subs_out {
    size_t n_mrr; /* MRR rows: customer, month, MRR (> 0 or free) */
    int64_t *mrr_cust;
    int32_t *mrr_month;
    double *mrr_value;
    size_t n_con; /* billing terms of a year or longer */
    int64_t *con_cust;
    int32_t *con_start, *con_end, *con_interval; /* interval in months */
    double *con_value;
    /* string_ids: the customers' key dictionary (ids above are its ids;
     * csm_keys_label gives the labels back), else NULL */
    csm_keys *keys;
} subs_out;

/* Read the export `path` (rates: a rates file or NULL; until: the last
 * month of open-ended subscriptions or INT32_MIN; currency: the reporting
 * currency's text or NULL) into *out.  string_ids: customer ids are any
 * text, read through the library's key dictionary (out->keys); else
 * integers.  Exits with 65 and file:line: column: reason on a bad value,
 * 66 when a file is missing. */
void subs_load(subs_out *out, const char *path, const char *rates,
               const colmap *map, int32_t until, const char *currency,
               int string_ids);
void subs_free(subs_out *out);

/* `csmetrics import-subscriptions FILE --out DIR ...`: exit status. */
int subs_import_main(int argc, char **argv);

#endif
