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

/* FNV-1a of s */
static size_t dict_hash(const char *s) {
    uint64_t h = 14695981039346656037u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211u;
    return (size_t)h;
}

/* The slot of s in d's hash: its code + 1, or the empty slot it goes to. */
static size_t *dict_slot(const dict *d, const char *s) {
    size_t mask = d->nslot - 1;
    for (size_t h = dict_hash(s) & mask;; h = (h + 1) & mask)
        if (!d->slot[h] || strcmp(d->names[d->slot[h] - 1], s) == 0)
            return &d->slot[h];
}

int32_t dict_add(dict *d, const char *s) {
    if (2 * (d->n + 1) > d->nslot) {
        /* rehash into twice the slots */
        free(d->slot);
        d->nslot = d->nslot ? 2 * d->nslot : 16;
        d->slot = xalloc(d->nslot, sizeof *d->slot);
        for (size_t i = 0; i < d->n; i++)
            *dict_slot(d, d->names[i]) = i + 1;
    }
    size_t *slot = dict_slot(d, s);
    if (*slot)
        return (int32_t)(*slot - 1);
    if (d->n == d->cap) {
        d->cap = d->cap ? 2 * d->cap : 8;
        d->names = xrealloc(d->names, d->cap, sizeof *d->names);
    }
    d->names[d->n] = xstrdup(s);
    *slot = d->n + 1;
    return (int32_t)d->n++;
}

static void dict_free(dict *d) {
    for (size_t i = 0; i < d->n; i++)
        free(d->names[i]);
    free(d->names);
    free(d->slot);
    memset(d, 0, sizeof *d);
}

/* ---- one loader for every file -------------------------------------------- */

/* The type of a column: how a cell is parsed and what the array it fills
 * holds. */
typedef enum {
    F_I64,   /* integer (an id): int64_t */
    F_I32,   /* integer: int32_t */
    F_I8,    /* integer, stored as int8_t once its range is checked */
    F_F64,   /* finite number: double */
    F_MONTH, /* YYYY-MM: month index, int32_t */
    F_DATE,  /* YYYY-MM-DD: csm_day, int32_t */
    F_TEXT   /* any text: its code in a dict, int32_t */
} ftype;

enum {
    F_REQUIRED = 1,     /* a file without the column is a data error */
    F_BLANK_DEFAULT = 2, /* an empty cell is the default, not an error */
    F_ABSENT_EMPTY = 4  /* F_TEXT: an absent column reads as empty cells,
                         * the code of "" (else: every row has the default) */
};

/* A column of a file and the company array it fills. */
typedef struct field {
    const char *name; /* canonical name (--map may rename it) */
    ftype type;
    unsigned flags;   /* F_REQUIRED, F_BLANK_DEFAULT, F_ABSENT_EMPTY */
    /* the address of the company's array (allocated here): int64_t **
     * (F_I64), int8_t ** (F_I8), double ** (F_F64), int32_t ** (others) */
    void *dst;
    dict *dict;       /* F_TEXT: the dictionary of the codes */
    double dflt;      /* the value of an absent column (and a blank cell
                       * with F_BLANK_DEFAULT) */
    /* range: a parsed value outside [lo, hi] is a bad value, reported as
     * this text; NULL = any value */
    const char *range;
    double lo, hi;
} field;

/* The most columns a file has (usage.csv: 14) and the number of an
 * array's fields. */
#define FIELDS_MAX 16
#define NFIELDS(f) (sizeof(f) / sizeof *(f))
_Static_assert(2 + 12 <= FIELDS_MAX && 2 + DIM_N <= FIELDS_MAX,
               "usage.csv's and accounts.csv's columns fit FIELDS_MAX");

/* A file of the company: its columns in the order a row is read (a row's
 * first bad value is the one reported). */
typedef struct csvfile {
    const char *name;
    const field *f;
    size_t nf;
    /* A check across the columns of row i, once all of them are read: the
     * reason the row is bad and (*at) the column to name, or NULL. */
    const char *(*rule)(const company *c, size_t i, size_t *at);
    /* Called with the table once its rows are read (NULL: nothing). */
    void (*done)(company *c, const csvtab *t);
    size_t *n; /* rows read */
    int *have; /* set to 1 when the file exists */
    /* where the line of each row read goes (allocated here), for messages
     * that name file:line after loading; NULL = not kept */
    size_t **line;
} csvfile;

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

/* Allocate field f's array of n rows (zeroed). */
static void field_alloc(const field *f, size_t n) {
    switch (f->type) {
    case F_I64:
        *(int64_t **)f->dst = xalloc(n, sizeof(int64_t));
        break;
    case F_I8:
        *(int8_t **)f->dst = xalloc(n, sizeof(int8_t));
        break;
    case F_F64:
        *(double **)f->dst = xalloc(n, sizeof(double));
        break;
    default:
        *(int32_t **)f->dst = xalloc(n, sizeof(int32_t));
        break;
    }
}

/* Parse cell s as field f: NULL and the value in *iv (integers, codes) or
 * *dv (F_F64), or the reason it is bad. */
static const char *field_parse(const field *f, const char *s, int64_t *iv,
                               double *dv) {
    const char *why = NULL;
    int32_t v = 0;
    int rc = 0;
    switch (f->type) {
    case F_I64:
        return parse_i64(s, iv, &why) ? why : NULL;
    case F_F64:
        return parse_f64(s, dv, &why) ? why : NULL;
    case F_I32:
    case F_I8:
        rc = parse_i32(s, &v, &why);
        break;
    case F_MONTH:
        rc = parse_month(s, &v, &why);
        break;
    case F_DATE:
        rc = parse_date(s, &v, &why);
        break;
    case F_TEXT:
        v = dict_add(f->dict, s);
        break;
    }
    *iv = v;
    return rc ? why : NULL;
}

/* Read field f of row r of t (its column col, -1 when absent) into element
 * i of its array: 0, or 1 when the row is to be skipped (a bad value). */
static int field_read(const csvtab *t, size_t r, long col, const field *f,
                      size_t i, loadopts *o) {
    const char *s = col >= 0                      ? csvtab_cell(t, r, col)
                    : (f->flags & F_ABSENT_EMPTY) ? ""
                                                  : NULL;
    int64_t iv = 0;
    double dv = f->dflt;
    if (!s || (!s[0] && (f->flags & F_BLANK_DEFAULT))) {
        if (f->type != F_F64)
            iv = (int64_t)f->dflt;
    } else {
        const char *why = field_parse(f, s, &iv, &dv);
        if (!why && f->range &&
            !(f->type == F_F64 ? dv >= f->lo && dv <= f->hi
                               : (double)iv >= f->lo && (double)iv <= f->hi))
            why = f->range;
        if (why)
            return bad(t, r, col, why, o);
    }
    switch (f->type) {
    case F_I64:
        (*(int64_t **)f->dst)[i] = iv;
        break;
    case F_I8:
        (*(int8_t **)f->dst)[i] = (int8_t)iv;
        break;
    case F_F64:
        (*(double **)f->dst)[i] = dv;
        break;
    default:
        (*(int32_t **)f->dst)[i] = (int32_t)iv;
        break;
    }
    return 0;
}

/* Load file->name of c's directory when it exists: every row whose values
 * are good into the fields' arrays (exits on a bad one unless skipping). */
static void load_file(company *c, const csvfile *file, loadopts *o) {
    csvtab t;
    if (!open_tab(&t, c, file->name, o))
        return;
    long col[FIELDS_MAX];
    for (size_t k = 0; k < file->nf; k++)
        col[k] = file->f[k].flags & F_REQUIRED
                     ? need_col(&t, file->f[k].name, o)
                     : csvtab_col(&t, file->f[k].name, &o->map);
    for (size_t k = 0; k < file->nf; k++)
        field_alloc(&file->f[k], t.nrows);
    if (file->line)
        *file->line = xalloc(t.nrows, sizeof **file->line);
    size_t n = 0;
    for (size_t r = 0; r < t.nrows; r++) {
        size_t k = 0;
        while (k < file->nf && field_read(&t, r, col[k], &file->f[k], n, o) == 0)
            k++;
        if (k < file->nf)
            continue;
        const char *why = file->rule ? file->rule(c, n, &k) : NULL;
        if (why) {
            bad(&t, r, col[k], why, o);
            continue;
        }
        if (file->line)
            (*file->line)[n] = t.line[r];
        n++;
    }
    *file->n = n;
    *file->have = 1;
    if (file->done)
        file->done(c, &t);
    csvtab_free(&t);
}

/* ---- the files ------------------------------------------------------------ */

/* accounts.csv, once read: sorted by id; a duplicate id is a data error
 * naming the line of its second row and of its first. */
static void accounts_sort(company *c, const csvtab *t) {
    size_t n = c->n_acc;
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
    for (size_t i = 1; i < n; i++)
        if (c->acc_id[idx[i]] == c->acc_id[idx[i - 1]]) {
            /* rows in file order: the lines of the two rows, first first */
            size_t l0 = c->acc_line[idx[i - 1]], l1 = c->acc_line[idx[i]];
            long long dup = (long long)c->acc_id[idx[i]];
            free(idx);
            fprintf(stderr,
                    "csmetrics: %s:%zu: column 'account_id': account_id %lld "
                    "appears twice (first on line %zu)\n",
                    t->path, l0 > l1 ? l0 : l1, dup, l0 < l1 ? l0 : l1);
            exit(EXIT_DATAERR);
        }
    int64_t *id2 = xalloc(n, sizeof *id2);
    int32_t *s2 = xalloc(n, sizeof *s2);
    size_t *l2 = xalloc(n, sizeof *l2);
    for (size_t i = 0; i < n; i++) {
        id2[i] = c->acc_id[idx[i]];
        s2[i] = c->acc_signup[idx[i]];
        l2[i] = c->acc_line[idx[i]];
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
    free(c->acc_line);
    c->acc_id = id2;
    c->acc_signup = s2;
    c->acc_line = l2;
    free(idx);
}

static void load_accounts(company *c, loadopts *o) {
    field f[2 + DIM_N] = {
        {"account_id", F_I64, F_REQUIRED, .dst = &c->acc_id},
        {"signup_month", F_MONTH, F_BLANK_DEFAULT, .dst = &c->acc_signup,
         .dflt = INT32_MIN}};
    /* an account without a value of a dimension has the code of "" */
    for (int d = 0; d < DIM_N; d++)
        f[2 + d] = (field){dim_names[d], F_TEXT, F_ABSENT_EMPTY,
                           .dst = &c->acc_dim[d], .dict = &c->dims[d]};
    load_file(c,
              &(csvfile){.name = "accounts.csv", .f = f, .nf = NFIELDS(f),
                         .done = accounts_sort, .n = &c->n_acc,
                         .have = &c->have_accounts, .line = &c->acc_line},
              o);
}

long find_first(const int64_t *key, size_t n, int64_t id) {
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (key[mid] < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && key[lo] == id ? (long)lo : -1;
}

long company_account(const company *c, int64_t customer) {
    return find_first(c->acc_id, c->n_acc, customer);
}

int32_t company_dim(const company *c, int64_t customer, int d) {
    long i = company_account(c, customer);
    return i < 0 ? -1 : c->acc_dim[d][i];
}

/* owners.csv: owner codes (matched as text with accounts.csv's owner) and
 * their names, parallel; an owner with the name of an earlier one is left
 * out (shown by its code).  It parses no value: a plain loop, not load_file. */
static void load_owners(company *c, loadopts *o) {
    csvtab t;
    if (!open_tab(&t, c, "owners.csv", o))
        return;
    long oc = need_col(&t, "owner", o);
    long nc = need_col(&t, "name", o);
    c->owner_ids = xalloc(t.nrows, sizeof *c->owner_ids);
    for (size_t r = 0; r < t.nrows; r++) {
        c->owner_ids[c->owner_names.n] = dict_add(&c->dims[DIM_OWNER], csvtab_cell(&t, r, oc));
        dict_add(&c->owner_names, csvtab_cell(&t, r, nc));
    }
    c->have_owners = 1;
    csvtab_free(&t);
}

static void load_mrr(company *c, loadopts *o) {
    const field f[] = {
        {"customer_id", F_I64, F_REQUIRED, .dst = &c->mrr_cust},
        {"month", F_MONTH, F_REQUIRED, .dst = &c->mrr_month},
        {"mrr", F_F64, F_REQUIRED, .dst = &c->mrr_value, .range = "MRR must be >= 0",
         .lo = 0, .hi = INFINITY}};
    load_file(c,
              &(csvfile){.name = "mrr.csv", .f = f, .nf = NFIELDS(f),
                         .n = &c->n_mrr, .have = &c->have_mrr,
                         .line = &c->mrr_line},
              o);
}

enum { CON_CUST, CON_START, CON_END, CON_VALUE, CON_INTERVAL, CON_N };

/* A contract's checks come after all its columns are read, dates first. */
static const char *contract_rule(const company *c, size_t i, size_t *at) {
    if (c->con_end[i] < c->con_start[i]) {
        *at = CON_END;
        return "contract ends before it starts";
    }
    if (c->con_value[i] < 0) {
        *at = CON_VALUE;
        return "value must be >= 0";
    }
    if (c->con_interval[i] <= 0) {
        *at = CON_INTERVAL;
        return "interval_months must be > 0";
    }
    return NULL;
}

static void load_contracts(company *c, loadopts *o) {
    const field f[CON_N] = {
        [CON_CUST] = {"customer_id", F_I64, F_REQUIRED, .dst = &c->con_cust},
        [CON_START] = {"start_date", F_DATE, F_REQUIRED, .dst = &c->con_start},
        [CON_END] = {"end_date", F_DATE, F_REQUIRED, .dst = &c->con_end},
        [CON_VALUE] = {"value", F_F64, F_REQUIRED, .dst = &c->con_value},
        [CON_INTERVAL] = {"interval_months", F_I32, 0, .dst = &c->con_interval,
                          .dflt = 12}};
    load_file(c,
              &(csvfile){.name = "contracts.csv", .f = f, .nf = NFIELDS(f),
                         .rule = contract_rule, .n = &c->n_con,
                         .have = &c->have_contracts},
              o);
}

static void load_nps(company *c, loadopts *o) {
    const field f[] = {
        {"customer_id", F_I64, F_REQUIRED, .dst = &c->nps_cust},
        {"date", F_DATE, F_REQUIRED, .dst = &c->nps_day},
        {"score", F_I8, F_REQUIRED, .dst = &c->nps_score,
         .range = "NPS score must be 0..10", .lo = 0, .hi = 10}};
    load_file(c,
              &(csvfile){.name = "nps.csv", .f = f, .nf = NFIELDS(f),
                         .n = &c->n_nps, .have = &c->have_nps},
              o);
}

static void load_usage(company *c, loadopts *o) {
    field f[2 + 12] = {{"account_id", F_I64, F_REQUIRED, .dst = &c->use_acc},
                       {"month", F_MONTH, F_REQUIRED, .dst = &c->use_month}};
    /* an absent column or an empty cell is NaN */
    for (int k = 0; k < 12; k++)
        f[2 + k] = (field){usage_cols[k], F_F64, F_BLANK_DEFAULT,
                           .dst = &c->use_col[k], .dflt = NAN,
                           .range = "must be >= 0", .lo = 0, .hi = INFINITY};
    load_file(c,
              &(csvfile){.name = "usage.csv", .f = f, .nf = NFIELDS(f),
                         .n = &c->n_use, .have = &c->have_usage},
              o);
}

static void load_spend(company *c, loadopts *o) {
    const field f[] = {
        {"month", F_MONTH, F_REQUIRED, .dst = &c->spend_month},
        {"spend", F_F64, F_REQUIRED, .dst = &c->spend, .range = "spend must be >= 0",
         .lo = 0, .hi = INFINITY},
        /* without the column every row has channel -1 */
        {"channel", F_TEXT, 0, .dst = &c->spend_channel, .dict = &c->dims[DIM_CHANNEL],
         .dflt = -1}};
    load_file(c,
              &(csvfile){.name = "spend.csv", .f = f, .nf = NFIELDS(f),
                         .n = &c->n_spend, .have = &c->have_spend},
              o);
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
    free(c->acc_line);
    for (int d = 0; d < DIM_N; d++) {
        free(c->acc_dim[d]);
        dict_free(&c->dims[d]);
    }
    dict_free(&c->owner_names);
    free(c->owner_ids);
    free(c->mrr_cust);
    free(c->mrr_month);
    free(c->mrr_value);
    free(c->mrr_line);
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
