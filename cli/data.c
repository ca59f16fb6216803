/* data.c - load a company's CSV files (see docs/cli.md for the columns). */
#include "data.h"
#include "subs.h"

#include <csmetrics/csmetrics.h>
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

const char *const dim_names[DIM_N] = {"segment", "channel", "plan",
                                      "region",  "owner",   "billing"};
const char *const usage_cols[12] = {
    "licensed_seats", "activated_seats", "active_users", "sessions",
    "minutes",        "features_used",   "features_available", "dau",
    "mau",            "support_tickets", "open_p1_tickets",    "key_contact_left"};

/* ---- one loader for every file -------------------------------------------- */

/* The type of a column: how a cell is parsed and what the array it fills
 * holds. */
typedef enum {
    F_KEY,   /* an id or a label (trimmed text): its id in the dictionary of
              * its kind, int64_t (customers) or int32_t (dimensions), once
              * every file is read (keys_assign) */
    F_I32,   /* integer: int32_t */
    F_I8,    /* integer, stored as int8_t once its range is checked */
    F_F64,   /* finite number: double */
    F_MONTH, /* YYYY-MM: month index, int32_t */
    F_DATE,  /* YYYY-MM-DD: csm_day, int32_t */
    F_STAGE  /* a lifecycle stage's name (csm_activity_stage_name, any
              * case): CSM_ACTIVITY_STAGE_*, int32_t */
} ftype;

enum {
    F_REQUIRED = 1,     /* a file without the column is a data error */
    F_BLANK_DEFAULT = 2 /* an empty cell is the default, not an error
                         * (F_KEY: no label, CSM_KEYS_NONE) */
};

/* A column of a file and the company array it fills. */
typedef struct field {
    const char *name; /* canonical name (--map may rename it) */
    ftype type;
    unsigned flags;   /* F_REQUIRED, F_BLANK_DEFAULT */
    /* the address of the company's array (allocated here): int64_t **
     * (F_KEY of customers), int8_t ** (F_I8), double ** (F_F64), int32_t **
     * (others) */
    void *dst;
    int kind;         /* F_KEY: KEY_CUSTOMER, KEY_TOUCH_TYPE or the DIM_* */
    double dflt;      /* the value of an absent column (and a blank cell
                       * with F_BLANK_DEFAULT) */
    /* range: a parsed value outside [lo, hi] is a bad value, reported as
     * this text; NULL = any value */
    const char *range;
    double lo, hi;
    /* F_KEY: the label of every row when the file has no such column (NULL:
     * none, CSM_KEYS_NONE), and the reason a blank cell of a required
     * label is bad (NULL: "empty; an id is required") */
    const char *absent_label, *blank_why;
} field;

/* The most columns a file has (usage.csv: 14) and the number of an
 * array's fields. */
#define FIELDS_MAX 16
#define NFIELDS(f) (sizeof(f) / sizeof *(f))
_Static_assert(2 + 12 <= FIELDS_MAX && 4 + DIM_N <= FIELDS_MAX,
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
    size_t *n;     /* rows read */
    size_t **line; /* the line of each row read */
    int *have;     /* set to 1 when the file exists */
} csvfile;

/* Open dir/name; 0 if absent, 1 if loaded; exits on malformed CSV. */
static int open_tab(csvtab *t, const company *c, const char *name,
                    loadopts *o) {
    char path[4200];
    snprintf(path, sizeof path, "%s/%s", c->dir, name);
    char err[1024];
    csvread how = {o->encoding, o->skip_bad};
    int rc = csvtab_load(t, path, &how, err, sizeof err);
    if (rc == CSVTAB_MISSING)
        return 0;
    if (rc == CSVTAB_NOMEM)
        out_of_memory(); /* exit 70, not a data error */
    if (rc != CSVTAB_OK) {
        fprintf(stderr, "csmetrics: %s\n", err);
        csvtab_free(t);
        exit(EXIT_DATAERR);
    }
    return 1;
}

long need_col(const csvtab *t, const char *canon, const colmap *map) {
    long j = csvtab_col(t, canon, map);
    if (j < 0) {
        for (size_t i = 0; i < map->n; i++)
            if (strcmp(map->canon[i], canon) == 0) {
                fprintf(stderr,
                        "csmetrics: %s: missing required column '%s' "
                        "(given for '%s' with --map)\n",
                        t->path, map->actual[i], canon);
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

/* List the rows t left out (not CSV rows of the header's width, or not
 * text in the encoding) from bad row *next on, up to those on line `until`
 * (SIZE_MAX: all), so that skipped rows are listed in file order. */
static void list_bad_rows(const csvtab *t, size_t *next, size_t until,
                          loadopts *o) {
    for (; *next < t->nbad && t->bad_line[*next] < until; (*next)++)
        skip_log(&o->skip, "%s:%zu: %s", t->path, t->bad_line[*next],
                 t->bad_why[*next]);
}

/* Report a bad value: exits unless skipping (then the row is listed and
 * counted); returns 1 if the row is to be skipped. */
static int bad(const csvtab *t, size_t row, long col, const char *reason,
               loadopts *o) {
    static const char fmt[] = "%s:%zu: column '%s': %s ('%s')";
    if (o->skip_bad) {
        skip_log(&o->skip, fmt, t->path, t->line[row], t->header[col], reason,
                 csvtab_cell(t, row, col));
        return 1;
    }
    fputs("csmetrics: ", stderr);
    fprintf(stderr, fmt, t->path, t->line[row], t->header[col], reason,
            csvtab_cell(t, row, col));
    fputc('\n', stderr);
    exit(EXIT_DATAERR);
}

/* Allocate field f's array of n rows (zeroed). */
static void field_alloc(const field *f, size_t n) {
    switch (f->type) {
    case F_KEY:
        if (f->kind == KEY_CUSTOMER)
            *(int64_t **)f->dst = xalloc(n, sizeof(int64_t));
        else
            *(int32_t **)f->dst = xalloc(n, sizeof(int32_t));
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

/* Lifecycle stage s (csm_activity_stage_name, any case, surrounding
 * spaces ignored) into *v; spaces alone are no stage, -1.  0, or 1 and the
 * reason. */
static int parse_stage(const char *s, int32_t *v, const char **why) {
    size_t a = 0, b = strlen(s);
    while (a < b && isspace((unsigned char)s[a]))
        a++;
    while (b > a && isspace((unsigned char)s[b - 1]))
        b--;
    *v = -1;
    if (a == b)
        return 0;
    for (int k = CSM_ACTIVITY_STAGE_ONBOARDING; k <= CSM_ACTIVITY_STAGE_MATURE;
         k++) {
        const char *name = csm_activity_stage_name(k);
        if (strlen(name) == b - a && strncasecmp(s + a, name, b - a) == 0) {
            *v = k;
            return 0;
        }
    }
    *why = "not a lifecycle stage (onboarding, launch, growth or mature)";
    return 1;
}

/* Parse cell s as field f: NULL and the value in *iv (integers, codes) or
 * *dv (F_F64), or the reason it is bad. */
static const char *field_parse(const field *f, const char *s, int64_t *iv,
                               double *dv) {
    const char *why = NULL;
    int32_t v = 0;
    int rc = 0;
    switch (f->type) {
    case F_KEY: /* read by field_read */
        break;
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
    case F_STAGE:
        rc = parse_stage(s, &v, &why);
        break;
    }
    *iv = v;
    return rc ? why : NULL;
}

/* Label cell s (NULL: an absent column) of F_KEY field f into *label (a
 * copy without surrounding spaces, NULL when blank; f->absent_label's copy
 * for an absent column): NULL, or the reason it is bad (a blank id that is
 * required). */
static const char *key_read(const field *f, const char *s, char **label) {
    free(*label);
    *label = NULL;
    if (!s && f->absent_label) {
        *label = xstrdup(f->absent_label);
        return NULL;
    }
    size_t a = 0, b = s ? strlen(s) : 0;
    while (a < b && isspace((unsigned char)s[a]))
        a++;
    while (b > a && isspace((unsigned char)s[b - 1]))
        b--;
    if (a == b)
        return f->flags & F_BLANK_DEFAULT ? NULL
               : f->blank_why             ? f->blank_why
                                          : "empty; an id is required";
    *label = xalloc(b - a + 1, 1);
    memcpy(*label, s + a, b - a);
    return NULL;
}

/* Read field f of row r of t (its column col, -1 when absent) into element
 * i of its array (F_KEY: into labels[i]): 0, or 1 when the row is to be
 * skipped (a bad value). */
static int field_read(const csvtab *t, size_t r, long col, const field *f,
                      size_t i, char **labels, loadopts *o) {
    const char *s = col >= 0 ? csvtab_cell(t, r, col) : NULL;
    if (f->type == F_KEY) {
        const char *why = key_read(f, s, &labels[i]);
        return why ? bad(t, r, col, why, o) : 0;
    }
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

/* A column of labels of kind `kind` for the rows of a file (cap rows read,
 * *n kept), their ids to go to *ids once the dictionaries are built. */
static char **keycol_add(loadopts *o, int kind, void *ids, size_t cap,
                         const size_t *n) {
    if (o->nkeycols == sizeof o->keycols / sizeof o->keycols[0]) {
        fputs("csmetrics: too many id columns (a bug)\n", stderr);
        exit(EXIT_SOFTWARE);
    }
    char **label = xalloc(cap, sizeof *label);
    o->keycols[o->nkeycols++] = (keycol){kind, ids, label, cap, n};
    return label;
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
                     ? need_col(&t, file->f[k].name, &o->map)
                     : csvtab_col(&t, file->f[k].name, &o->map);
    char **labels[FIELDS_MAX] = {NULL};
    for (size_t k = 0; k < file->nf; k++) {
        field_alloc(&file->f[k], t.nrows);
        if (file->f[k].type == F_KEY)
            labels[k] = keycol_add(o, file->f[k].kind, file->f[k].dst,
                                   t.nrows, file->n);
    }
    size_t *line = xalloc(t.nrows, sizeof *line);
    size_t n = 0, nbad = 0;
    for (size_t r = 0; r < t.nrows; r++) {
        list_bad_rows(&t, &nbad, t.line[r], o);
        size_t k = 0;
        while (k < file->nf &&
               field_read(&t, r, col[k], &file->f[k], n, labels[k], o) == 0)
            k++;
        if (k < file->nf)
            continue;
        const char *why = file->rule ? file->rule(c, n, &k) : NULL;
        if (why) {
            bad(&t, r, col[k], why, o);
            continue;
        }
        line[n++] = t.line[r];
    }
    list_bad_rows(&t, &nbad, SIZE_MAX, o);
    *file->n = n;
    *file->line = line;
    *file->have = 1;
    csvtab_free(&t);
}

/* ---- the files ------------------------------------------------------------ */

int rowkey_cmp(const void *pa, const void *pb) {
    const rowkey *a = pa, *b = pb;
    if (a->id != b->id)
        return a->id < b->id ? -1 : 1;
    if (a->tie != b->tie)
        return a->tie < b->tie ? -1 : 1;
    return (a->row > b->row) - (a->row < b->row);
}

/* Sort the n keys k by (id, tie = month, row); the number of rows whose key an
 * earlier row has, and in *dup the first of them in file order, in *first
 * the earlier row with its key (both n when there is none). */
static size_t rowkeys_sort(rowkey *k, size_t n, size_t *dup, size_t *first) {
    qsort(k, n, sizeof *k, rowkey_cmp);
    size_t repeats = 0, group = 0;
    *dup = *first = n;
    for (size_t i = 1; i < n; i++) {
        if (k[i].id != k[i - 1].id || k[i].tie != k[i - 1].tie) {
            group = i;
            continue;
        }
        repeats++;
        if (*dup == n || k[i].row < *dup) {
            *dup = k[i].row;
            *first = k[group].row;
        }
    }
    return repeats;
}

/* accounts.csv, once its ids are assigned: sorted by id; a duplicate id is
 * a data error naming both lines. */
static void accounts_sort(company *c) {
    size_t n = c->n_acc, dup, first;
    rowkey *k = xalloc(n, sizeof *k);
    for (size_t i = 0; i < n; i++)
        k[i] = (rowkey){c->acc_id[i], 0, i};
    if (rowkeys_sort(k, n, &dup, &first)) {
        fprintf(stderr,
                "csmetrics: %s/accounts.csv:%zu: account_id '%s' appears "
                "twice (first on line %zu)\n",
                c->dir, c->acc_line[dup], company_customer(c, c->acc_id[dup]),
                c->acc_line[first]);
        free(k);
        exit(EXIT_DATAERR);
    }
    int64_t *id2 = xalloc(n, sizeof *id2);
    size_t *l2 = xalloc(n, sizeof *l2);
    for (size_t i = 0; i < n; i++) {
        id2[i] = c->acc_id[k[i].row];
        l2[i] = c->acc_line[k[i].row];
    }
    free(c->acc_id);
    free(c->acc_line);
    c->acc_id = id2;
    c->acc_line = l2;
    /* the int32 columns: the dimensions, signup month, stage, product */
    int32_t **col[DIM_N + 3] = {&c->acc_signup, &c->acc_stage, &c->acc_product};
    for (int d = 0; d < DIM_N; d++)
        col[3 + d] = &c->acc_dim[d];
    for (size_t j = 0; j < sizeof col / sizeof col[0]; j++) {
        int32_t *v2 = xalloc(n, sizeof *v2);
        for (size_t i = 0; i < n; i++)
            v2[i] = (*col[j])[k[i].row];
        free(*col[j]);
        *col[j] = v2;
    }
    free(k);
}

static void load_accounts(company *c, loadopts *o) {
    field f[4 + DIM_N] = {
        {"account_id", F_KEY, F_REQUIRED, .dst = &c->acc_id,
         .kind = KEY_CUSTOMER},
        {"signup_month", F_MONTH, F_BLANK_DEFAULT, .dst = &c->acc_signup,
         .dflt = INT32_MIN},
        /* the activity section's lifecycle stage and product category
         * (docs/cli.md, "activity"): none without a column or a value */
        {"stage", F_STAGE, F_BLANK_DEFAULT, .dst = &c->acc_stage, .dflt = -1},
        {"product", F_KEY, F_BLANK_DEFAULT, .dst = &c->acc_product,
         .kind = KEY_PRODUCT}};
    /* an account without a value of a dimension (no column, a blank cell)
     * has none: CSM_KEYS_NONE */
    for (int d = 0; d < DIM_N; d++)
        f[4 + d] = (field){dim_names[d], F_KEY, F_BLANK_DEFAULT,
                           .dst = &c->acc_dim[d], .kind = d};
    load_file(c,
              &(csvfile){.name = "accounts.csv", .f = f, .nf = NFIELDS(f),
                         .n = &c->n_acc, .line = &c->acc_line,
                         .have = &c->have_accounts},
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
    return i < 0 ? CSM_KEYS_NONE : c->acc_dim[d][i];
}

const char *company_customer(const company *c, int64_t id) {
    return csm_keys_label(c->customers, id, NULL);
}

/* owners.csv: owner ids (the labels of accounts.csv's owner column) and
 * their names, parallel; an owner with the name of an earlier one is left
 * out (shown by its id).  It parses no value: a plain loop, not load_file. */
static void load_owners(company *c, loadopts *o) {
    csvtab t;
    if (!open_tab(&t, c, "owners.csv", o))
        return;
    long oc = need_col(&t, "owner", &o->map);
    long nc = need_col(&t, "name", &o->map);
    c->owner_ids = xalloc(t.nrows, sizeof *c->owner_ids);
    c->owner_names = xalloc(t.nrows, sizeof *c->owner_names);
    char **label = keycol_add(o, DIM_OWNER, &c->owner_ids, t.nrows,
                              &c->n_owners);
    static const field owner = {"owner", F_KEY, F_BLANK_DEFAULT, .kind = DIM_OWNER};
    size_t n = 0;
    for (size_t r = 0; r < t.nrows; r++) {
        const char *name = csvtab_cell(&t, r, nc);
        size_t i = 0;
        while (i < n && strcmp(c->owner_names[i], name) != 0)
            i++;
        if (i < n)
            continue;
        (void)key_read(&owner, csvtab_cell(&t, r, oc), &label[n]);
        c->owner_names[n++] = xstrdup(name);
    }
    c->n_owners = n;
    size_t nbad = 0;
    list_bad_rows(&t, &nbad, SIZE_MAX, o);
    c->have_owners = 1;
    csvtab_free(&t);
}

/* Build the dictionary of each kind of id from every column of that kind
 * (the rows kept), then give each column its ids; the labels are freed. */
static void keys_assign(company *c, loadopts *o) {
    for (int kind = 0; kind < KEY_N; kind++) {
        csm_keys *k = NULL;
        csm_error e;
        csm_status st = csm_keys_new(&k, NULL, &e);
        for (size_t j = 0; j < o->nkeycols && st == CSM_OK; j++)
            if (o->keycols[j].kind == kind)
                st = csm_keys_add(k, (const char *const *)o->keycols[j].label,
                                  NULL, *o->keycols[j].n, &e);
        if (st == CSM_OK)
            st = csm_keys_finish(k, &e);
        for (size_t j = 0; j < o->nkeycols && st == CSM_OK; j++) {
            const keycol *kc = &o->keycols[j];
            if (kc->kind != kind)
                continue;
            const char *const *lab = (const char *const *)kc->label;
            st = kind == KEY_CUSTOMER
                     ? csm_keys_lookup(k, *(int64_t **)kc->ids, lab, NULL,
                                       *kc->n, &e)
                     : csm_keys_lookup_i32(k, *(int32_t **)kc->ids, lab, NULL,
                                           *kc->n, &e);
        }
        if (st != CSM_OK) {
            fprintf(stderr, "csmetrics: %s: the %s ids: %s\n", c->dir,
                    kind == KEY_CUSTOMER     ? "customer"
                    : kind == KEY_TOUCH_TYPE ? "touch type"
                    : kind == KEY_PRODUCT    ? "product"
                                             : dim_names[kind],
                    e.text);
            exit(st == CSM_ENOMEM ? EXIT_SOFTWARE : EXIT_DATAERR);
        }
        if (kind == KEY_CUSTOMER)
            c->customers = k;
        else if (kind == KEY_TOUCH_TYPE)
            c->touch_types = k;
        else if (kind == KEY_PRODUCT)
            c->products = k;
        else
            c->dims[kind] = k;
    }
    for (size_t j = 0; j < o->nkeycols; j++) {
        for (size_t i = 0; i < o->keycols[j].cap; i++)
            free(o->keycols[j].label[i]);
        free(o->keycols[j].label);
    }
    o->nkeycols = 0;
}

/* mrr.csv, once read: the rows of a customer-month that already had one
 * (the library sums them) are counted in c->mrr_merged; with --strict the
 * first of them (in file order) is a data error naming both lines. */
static void mrr_duplicates(company *c, loadopts *o) {
    size_t n = c->n_mrr, dup, first;
    rowkey *k = xalloc(n, sizeof *k);
    for (size_t i = 0; i < n; i++)
        k[i] = (rowkey){c->mrr_cust[i], c->mrr_month[i], i};
    c->mrr_merged = rowkeys_sort(k, n, &dup, &first);
    free(k);
    if (o->strict && dup < n) {
        char m[16];
        snprintf(m, sizeof m, "%04d-%02d", (int)csm_month_year(c->mrr_month[dup]),
                 (int)csm_month_month(c->mrr_month[dup]));
        fprintf(stderr,
                "csmetrics: %s/mrr.csv:%zu: customer '%s' has a row for %s "
                "already (line %zu); --strict rejects duplicate customer-month "
                "rows (without it they are summed)\n",
                c->dir, c->mrr_line[dup], company_customer(c, c->mrr_cust[dup]),
                m, c->mrr_line[first]);
        exit(EXIT_DATAERR);
    }
}

static void load_mrr(company *c, loadopts *o) {
    const field f[] = {
        {"customer_id", F_KEY, F_REQUIRED, .dst = &c->mrr_cust,
         .kind = KEY_CUSTOMER},
        {"month", F_MONTH, F_REQUIRED, .dst = &c->mrr_month},
        {"mrr", F_F64, F_REQUIRED, .dst = &c->mrr_value, .range = "MRR must be >= 0",
         .lo = 0, .hi = INFINITY}};
    load_file(c,
              &(csvfile){.name = "mrr.csv", .f = f, .nf = NFIELDS(f),
                         .n = &c->n_mrr,
                         .line = &c->mrr_line, .have = &c->have_mrr},
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
        [CON_CUST] = {"customer_id", F_KEY, F_REQUIRED, .dst = &c->con_cust,
                      .kind = KEY_CUSTOMER},
        [CON_START] = {"start_date", F_DATE, F_REQUIRED, .dst = &c->con_start},
        [CON_END] = {"end_date", F_DATE, F_REQUIRED, .dst = &c->con_end},
        [CON_VALUE] = {"value", F_F64, F_REQUIRED, .dst = &c->con_value},
        [CON_INTERVAL] = {"interval_months", F_I32, 0, .dst = &c->con_interval,
                          .dflt = 12}};
    load_file(c,
              &(csvfile){.name = "contracts.csv", .f = f, .nf = NFIELDS(f),
                         .rule = contract_rule, .n = &c->n_con,
                         .line = &c->con_line, .have = &c->have_contracts},
              o);
}

static void load_nps(company *c, loadopts *o) {
    const field f[] = {
        {"customer_id", F_KEY, F_REQUIRED, .dst = &c->nps_cust,
         .kind = KEY_CUSTOMER},
        {"date", F_DATE, F_REQUIRED, .dst = &c->nps_day},
        {"score", F_I8, F_REQUIRED, .dst = &c->nps_score,
         .range = "NPS score must be 0..10", .lo = 0, .hi = 10}};
    load_file(c,
              &(csvfile){.name = "nps.csv", .f = f, .nf = NFIELDS(f),
                         .n = &c->n_nps, .line = &c->nps_line, .have = &c->have_nps},
              o);
}

static void load_usage(company *c, loadopts *o) {
    field f[2 + 12] = {{"account_id", F_KEY, F_REQUIRED, .dst = &c->use_acc,
                        .kind = KEY_CUSTOMER},
                       {"month", F_MONTH, F_REQUIRED, .dst = &c->use_month}};
    /* an absent column or an empty cell is NaN */
    for (int k = 0; k < 12; k++)
        f[2 + k] = (field){usage_cols[k], F_F64, F_BLANK_DEFAULT,
                           .dst = &c->use_col[k], .dflt = NAN,
                           .range = "must be >= 0", .lo = 0, .hi = INFINITY};
    load_file(c,
              &(csvfile){.name = "usage.csv", .f = f, .nf = NFIELDS(f),
                         .n = &c->n_use, .line = &c->use_line, .have = &c->have_usage},
              o);
}

static void load_spend(company *c, loadopts *o) {
    const field f[] = {
        {"month", F_MONTH, F_REQUIRED, .dst = &c->spend_month},
        {"spend", F_F64, F_REQUIRED, .dst = &c->spend, .range = "spend must be >= 0",
         .lo = 0, .hi = INFINITY},
        /* without the column every row has no channel (CSM_KEYS_NONE) */
        {"channel", F_KEY, F_BLANK_DEFAULT, .dst = &c->spend_channel,
         .kind = DIM_CHANNEL}};
    load_file(c,
              &(csvfile){.name = "spend.csv", .f = f, .nf = NFIELDS(f),
                         .n = &c->n_spend, .line = &c->spend_line, .have = &c->have_spend},
              o);
}

/* touches.csv: the reviews (diagnoses) and other interventions on
 * accounts, by a CSM of the owner dictionary, each of a type (docs/cli.md,
 * "reviews" and "interventions"); without a type column every touch is of
 * the one type "touch". */
static void load_touches(company *c, loadopts *o) {
    const field f[] = {
        {"customer_id", F_KEY, F_REQUIRED, .dst = &c->touch_cust,
         .kind = KEY_CUSTOMER},
        {"date", F_DATE, F_REQUIRED, .dst = &c->touch_day},
        {"csm", F_KEY, F_BLANK_DEFAULT, .dst = &c->touch_csm, .kind = DIM_OWNER},
        {"type", F_KEY, 0, .dst = &c->touch_type, .kind = KEY_TOUCH_TYPE,
         .absent_label = "touch",
         .blank_why = "empty; a type is required (a file without the column "
                      "has the one type 'touch')"}};
    load_file(c,
              &(csvfile){.name = "touches.csv", .f = f, .nf = NFIELDS(f),
                         .n = &c->n_touch, .line = &c->touch_line,
                         .have = &c->have_touches},
              o);
}

/* referrals.csv: the referrals customers made (docs/cli.md, "referrals"). */
static void load_referrals(company *c, loadopts *o) {
    const field f[] = {
        {"referrer_id", F_KEY, F_REQUIRED, .dst = &c->ref_cust,
         .kind = KEY_CUSTOMER},
        {"date", F_DATE, F_REQUIRED, .dst = &c->ref_day},
        {"converted", F_I8, F_REQUIRED, .dst = &c->ref_converted,
         .range = "converted must be 0 or 1", .lo = 0, .hi = 1},
        {"first_mrr", F_F64, F_BLANK_DEFAULT, .dst = &c->ref_first_mrr,
         .dflt = 0, .range = "first_mrr must be >= 0", .lo = 0, .hi = INFINITY}};
    load_file(c,
              &(csvfile){.name = "referrals.csv", .f = f, .nf = NFIELDS(f),
                         .n = &c->n_ref, .line = &c->ref_line,
                         .have = &c->have_referrals},
              o);
}

/* Register ids (n of them, ids of the export's dictionary k) as a column
 * of customer labels waiting for the company's dictionary: *dst is set to
 * ids, whose values keys_assign replaces. */
static void subs_keycol(loadopts *o, int64_t **dst, int64_t *ids, size_t n,
                        const size_t *n_kept, const csm_keys *k) {
    char **label = keycol_add(o, KEY_CUSTOMER, dst, n, n_kept);
    for (size_t i = 0; i < n; i++)
        label[i] = xstrdup(csm_keys_label(k, ids[i], NULL));
    *dst = ids;
}

/* subscriptions.csv (with rates.csv when present), read when mrr.csv is
 * absent: its MRR rows, and its annual terms unless contracts.csv exists
 * (docs/cli.md, "Subscription exports"). */
static void load_subscriptions(company *c, loadopts *o) {
    char path[4200], rates[4200];
    struct stat st;
    snprintf(path, sizeof path, "%s/subscriptions.csv", c->dir);
    if (stat(path, &st) != 0)
        return;
    snprintf(rates, sizeof rates, "%s/rates.csv", c->dir);
    int have_rates = stat(rates, &st) == 0;
    subs_out s;
    subs_load(&s, path, have_rates ? rates : NULL, &o->map, INT32_MIN, NULL, 1);
    /* the export's customer labels join the customers of the other files
     * (keys_assign gives the ids of the company's dictionary) */
    subs_keycol(o, &c->mrr_cust, s.mrr_cust, s.n_mrr, &c->n_mrr, s.keys);
    c->have_mrr = 1;
    c->mrr_file = "subscriptions.csv";
    c->n_mrr = s.n_mrr;
    c->mrr_cust = s.mrr_cust;
    c->mrr_month = s.mrr_month;
    c->mrr_value = s.mrr_value;
    if (!c->have_contracts) {
        c->have_contracts = 1;
        c->con_file = "subscriptions.csv";
        c->n_con = s.n_con;
        c->con_cust = s.con_cust;
        c->con_start = s.con_start;
        c->con_end = s.con_end;
        c->con_interval = s.con_interval;
        c->con_value = s.con_value;
        subs_keycol(o, &c->con_cust, s.con_cust, s.n_con, &c->n_con, s.keys);
    } else {
        free(s.con_cust);
        free(s.con_start);
        free(s.con_end);
        free(s.con_interval);
        free(s.con_value);
    }
    csm_keys_free(s.keys);
}

void company_load(company *c, const char *dir, loadopts *o) {
    memset(c, 0, sizeof *c);
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        fprintf(stderr, "csmetrics: %s: not a directory\n", dir);
        exit(EXIT_NOINPUT);
    }
    snprintf(c->dir, sizeof c->dir, "%s", dir);
    c->mrr_file = "mrr.csv";
    c->con_file = "contracts.csv";
    load_accounts(c, o);
    load_owners(c, o);
    load_mrr(c, o);
    load_contracts(c, o);
    if (!c->have_mrr)
        load_subscriptions(c, o);
    load_nps(c, o);
    load_usage(c, o);
    load_spend(c, o);
    load_touches(c, o);
    load_referrals(c, o);
    skip_log_end(&o->skip);
    keys_assign(c, o);
    if (c->have_accounts)
        accounts_sort(c);
    if (c->have_mrr)
        mrr_duplicates(c, o);
}

void company_free(company *c) {
    free(c->acc_id);
    free(c->acc_signup);
    free(c->acc_stage);
    free(c->acc_product);
    free(c->acc_line);
    free(c->mrr_line);
    free(c->con_line);
    free(c->nps_line);
    free(c->use_line);
    free(c->spend_line);
    free(c->touch_line);
    free(c->ref_line);
    for (int d = 0; d < DIM_N; d++) {
        free(c->acc_dim[d]);
        csm_keys_free(c->dims[d]);
    }
    csm_keys_free(c->customers);
    csm_keys_free(c->touch_types);
    csm_keys_free(c->products);
    for (size_t i = 0; i < c->n_owners; i++)
        free(c->owner_names[i]);
    free(c->owner_names);
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
    free(c->touch_cust);
    free(c->touch_day);
    free(c->touch_csm);
    free(c->touch_type);
    free(c->ref_cust);
    free(c->ref_day);
    free(c->ref_converted);
    free(c->ref_first_mrr);
    memset(c, 0, sizeof *c);
}
