/* subs.c - subscription exports (docs/cli.md, "Subscription exports"):
 * subscriptions.csv (and a rates file) read into csm_subscriptions, turned
 * into MRR rows and billing terms by the library, and written as the
 * CLI's mrr.csv and contracts.csv by `csmetrics import-subscriptions`. */
#include "subs.h"

#include <csmetrics/csmetrics.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "data.h"

/* The export's columns, in csm_subscriptions' order of checks. */
enum {
    S_CUST, S_STATUS, S_KIND, S_AMOUNT, S_CURRENCY, S_INTERVAL, S_COUNT,
    S_QTY, S_TAX, S_PCT, S_OFF, S_TRIAL, S_START, S_CANCELED, S_ENDED, S_N
};
static const char *const canon[S_N] = {
    "customer_id", "status", "kind", "amount", "currency", "interval",
    "interval_count", "quantity", "tax", "discount_percent",
    "discount_amount", "trial_end", "start_date", "canceled_at", "ended_at"};
/* the library's name of each column (csm_error.field) */
static const char *const lib_field[S_N] = {
    "customer_id", "status", "kind", "amount", "currency", "interval_unit",
    "interval_count", "quantity", "tax", "discount_percent",
    "discount_amount", "trial_end", "start_day", "canceled_at", "ended_at"};

/* The columns of one read export (owned arrays). */
typedef struct subs_in {
    csvtab t;
    long col[S_N];
    int64_t *cust;
    uint8_t *status, *kind, *unit;
    double *amount, *qty, *tax, *pct, *off;
    int32_t *currency, *count, *trial, *start, *canceled, *ended;
    /* rates */
    csvtab rt;
    int have_rates;
    const colmap *map;
    csm_keys *keys; /* string customer ids: their dictionary, or NULL */
    int32_t *r_month, *r_cur;
    double *r_rate;
} subs_in;

static _Noreturn void die_at(const csvtab *t, size_t row, long col,
                             const char *name, const char *why) {
    if (col >= 0)
        fprintf(stderr, "csmetrics: %s:%zu: column '%s': %s ('%s')\n", t->path,
                t->line[row], t->header[col], why, csvtab_cell(t, row, col));
    else
        fprintf(stderr, "csmetrics: %s:%zu: column '%s': %s\n", t->path,
                t->line[row], name, why);
    exit(EXIT_DATAERR);
}

static void open_or_die(csvtab *t, const char *path) {
    char err[512];
    /* UTF-8, checked; a bad row stops the run (docs/cli.md) */
    const csvread how = {ENC_UTF8, 0};
    int rc = csvtab_load(t, path, &how, err, sizeof err);
    if (rc == CSVTAB_MISSING) {
        fprintf(stderr, "csmetrics: %s: no such file\n", path);
        exit(EXIT_NOINPUT);
    }
    if (rc == CSVTAB_NOMEM)
        out_of_memory(); /* exit 70, not a data error */
    if (rc != CSVTAB_OK) {
        fprintf(stderr, "csmetrics: %s\n", err);
        exit(EXIT_DATAERR);
    }
}

static long column(const csvtab *t, const char *name, const colmap *map,
                   int required) {
    return required ? need_col(t, name, map) : csvtab_col(t, name, map);
}

/* A cell, "" when the column is absent. */
static const char *cell(const csvtab *t, size_t r, long col) {
    return col >= 0 ? csvtab_cell(t, r, col) : "";
}

/* A date cell: YYYY-MM-DD, or a timestamp whose first ten characters are
 * that (then 'T' or ' '); blank = none. */
static int32_t date_cell(const csvtab *t, size_t r, long col, const char *name) {
    const char *s = cell(t, r, col);
    while (*s == ' ')
        s++;
    if (!*s)
        return CSM_SUBSCRIPTIONS_DAY_NONE;
    char buf[11];
    if (strlen(s) > 10 && (s[10] == 'T' || s[10] == ' ')) {
        memcpy(buf, s, 10);
        buf[10] = 0;
        s = buf;
    }
    int32_t d;
    const char *why;
    if (parse_date(s, &d, &why) != 0)
        die_at(t, r, col, name, why);
    return d;
}

/* A number cell; blank = dflt. */
static double num_cell(const csvtab *t, size_t r, long col, const char *name,
                       double dflt) {
    const char *s = cell(t, r, col);
    if (!s[strspn(s, " ")])
        return dflt;
    double v;
    const char *why;
    if (parse_f64(s, &v, &why) != 0)
        die_at(t, r, col, name, why);
    return v;
}

static int32_t currency_cell(const csvtab *t, size_t r, long col,
                             const char *name) {
    int32_t code;
    csm_error e;
    if (csm_subscriptions_currency_code(&code, cell(t, r, col), &e) != CSM_OK)
        die_at(t, r, col, name, e.msg);
    return code;
}

static void read_rates(subs_in *in, const char *path, const colmap *map) {
    open_or_die(&in->rt, path);
    csvtab *t = &in->rt;
    long cm = column(t, "month", map, 1), cc = column(t, "currency", map, 1),
         cr = column(t, "rate", map, 1);
    in->r_month = xalloc(t->nrows, sizeof *in->r_month);
    in->r_cur = xalloc(t->nrows, sizeof *in->r_cur);
    in->r_rate = xalloc(t->nrows, sizeof *in->r_rate);
    for (size_t r = 0; r < t->nrows; r++) {
        const char *why;
        if (parse_month(cell(t, r, cm), &in->r_month[r], &why) != 0)
            die_at(t, r, cm, "month", why);
        in->r_cur[r] = currency_cell(t, r, cc, "currency");
        in->r_rate[r] = num_cell(t, r, cr, "rate", -1);
    }
    in->have_rates = 1;
}

/* Customer ids as labels of a key dictionary (any text: "cus_N1a..."),
 * dense ids in in->cust; an empty cell is an error. */
static void read_labels(subs_in *in) {
    const csvtab *t = &in->t;
    long col = in->col[S_CUST];
    const char **labels = xalloc(t->nrows, sizeof *labels);
    for (size_t r = 0; r < t->nrows; r++)
        labels[r] = csvtab_cell(t, r, col);
    csm_error e;
    csm_status st = csm_keys_encode(&in->keys, in->cust, labels, NULL, t->nrows,
                                    NULL, &e);
    free(labels);
    if (st == CSM_ENOMEM)
        out_of_memory();
    if (st != CSM_OK)
        die_at(t, e.row == CSM_NO_ROW ? 0 : e.row, col, canon[S_CUST], e.msg);
    for (size_t r = 0; r < t->nrows; r++)
        if (in->cust[r] == csm_keys_none())
            die_at(t, r, col, canon[S_CUST], "empty; a customer id is required");
}

static void read_export(subs_in *in, const char *path, const colmap *map,
                        int string_ids) {
    open_or_die(&in->t, path);
    csvtab *t = &in->t;
    for (int k = 0; k < S_N; k++)
        in->col[k] = column(t, canon[k], map,
                            k == S_CUST || k == S_AMOUNT || k == S_START);
    size_t n = t->nrows;
    in->cust = xalloc(n, sizeof *in->cust);
    in->status = xalloc(n, sizeof *in->status);
    in->kind = xalloc(n, sizeof *in->kind);
    in->unit = xalloc(n, sizeof *in->unit);
    in->amount = xalloc(n, sizeof *in->amount);
    in->qty = xalloc(n, sizeof *in->qty);
    in->tax = xalloc(n, sizeof *in->tax);
    in->pct = xalloc(n, sizeof *in->pct);
    in->off = xalloc(n, sizeof *in->off);
    in->currency = xalloc(n, sizeof *in->currency);
    in->count = xalloc(n, sizeof *in->count);
    in->trial = xalloc(n, sizeof *in->trial);
    in->start = xalloc(n, sizeof *in->start);
    in->canceled = xalloc(n, sizeof *in->canceled);
    in->ended = xalloc(n, sizeof *in->ended);
    const long *c = in->col;
    for (size_t r = 0; r < n; r++) {
        const char *why;
        csm_error e;
        if (!string_ids && parse_i64(cell(t, r, c[S_CUST]), &in->cust[r], &why) != 0)
            die_at(t, r, c[S_CUST], canon[S_CUST], why);
        if (csm_subscriptions_status_code(&in->status[r], cell(t, r, c[S_STATUS]),
                                          &e) != CSM_OK)
            die_at(t, r, c[S_STATUS], canon[S_STATUS], e.msg);
        if (csm_subscriptions_kind_code(&in->kind[r], cell(t, r, c[S_KIND]),
                                        &e) != CSM_OK)
            die_at(t, r, c[S_KIND], canon[S_KIND], e.msg);
        in->amount[r] = num_cell(t, r, c[S_AMOUNT], canon[S_AMOUNT], NAN);
        if (c[S_CURRENCY] >= 0)
            in->currency[r] = currency_cell(t, r, c[S_CURRENCY], canon[S_CURRENCY]);
        if (csm_subscriptions_unit_code(&in->unit[r], cell(t, r, c[S_INTERVAL]),
                                        &e) != CSM_OK)
            die_at(t, r, c[S_INTERVAL], canon[S_INTERVAL], e.msg);
        const char *cs = cell(t, r, c[S_COUNT]);
        in->count[r] = 1;
        if (cs[strspn(cs, " ")] && parse_i32(cs, &in->count[r], &why) != 0)
            die_at(t, r, c[S_COUNT], canon[S_COUNT], why);
        in->qty[r] = num_cell(t, r, c[S_QTY], canon[S_QTY], 1);
        in->tax[r] = num_cell(t, r, c[S_TAX], canon[S_TAX], 0);
        in->pct[r] = num_cell(t, r, c[S_PCT], canon[S_PCT], 0);
        in->off[r] = num_cell(t, r, c[S_OFF], canon[S_OFF], 0);
        in->trial[r] = date_cell(t, r, c[S_TRIAL], canon[S_TRIAL]);
        in->start[r] = date_cell(t, r, c[S_START], canon[S_START]);
        in->canceled[r] = date_cell(t, r, c[S_CANCELED], canon[S_CANCELED]);
        in->ended[r] = date_cell(t, r, c[S_ENDED], canon[S_ENDED]);
    }
    if (string_ids)
        read_labels(in);
}

static void in_free(subs_in *in) {
    void *p[] = {in->cust, in->status, in->kind, in->unit, in->amount,
                 in->qty, in->tax, in->pct,
                 in->off, in->currency, in->count, in->trial, in->start,
                 in->canceled, in->ended, in->r_month, in->r_cur, in->r_rate};
    for (size_t k = 0; k < sizeof p / sizeof p[0]; k++)
        free(p[k]);
    csvtab_free(&in->t);
    csm_keys_free(in->keys);
    if (in->have_rates)
        csvtab_free(&in->rt);
}

/* A library error on the export: file:line: column: reason, exit 65. */
static _Noreturn void die_lib(const subs_in *in, csm_status st,
                              const csm_error *e) {
    if (st == CSM_ENOMEM)
        out_of_memory();
    /* the reason: the text after "field 'F': " (it may name more than msg) */
    const char *why = e->msg;
    if (e->field) {
        char key[96];
        snprintf(key, sizeof key, "field '%s': ", e->field);
        const char *at = strstr(e->text, key);
        if (at)
            why = at + strlen(key);
    }
    if (e->field && strncmp(e->field, "rates.", 6) == 0 && in->have_rates) {
        const char *name = e->field + 6;
        long col = csvtab_col(&in->rt, name, in->map);
        if (e->row != CSM_NO_ROW)
            die_at(&in->rt, e->row, col, name, why);
        fprintf(stderr, "csmetrics: %s: %s\n", in->rt.path, why);
        exit(EXIT_DATAERR);
    }
    if (e->row == CSM_NO_ROW || e->row >= in->t.nrows) {
        fprintf(stderr, "csmetrics: %s: %s\n", in->t.path, e->text);
        exit(EXIT_DATAERR);
    }
    for (int k = 0; k < S_N; k++)
        if (e->field && strcmp(e->field, lib_field[k]) == 0)
            die_at(&in->t, e->row, in->col[k], canon[k], why);
    die_at(&in->t, e->row, -1, e->field ? e->field : "?", why);
}

void subs_load(subs_out *out, const char *path, const char *rates,
               const colmap *map, int32_t until, const char *currency,
               int string_ids) {
    memset(out, 0, sizeof *out);
    subs_in in;
    memset(&in, 0, sizeof in);
    in.map = map;
    read_export(&in, path, map, string_ids);
    if (rates)
        read_rates(&in, rates, map);
    csm_subscriptions s = {0};
    s.customer_id = in.cust;
    s.status = in.status;
    s.amount = in.amount;
    s.currency = in.col[S_CURRENCY] >= 0 ? in.currency : NULL;
    s.interval_unit = in.unit;
    s.interval_count = in.count;
    s.quantity = in.qty;
    s.kind = in.kind;
    s.tax = in.tax;
    s.discount_percent = in.pct;
    s.discount_amount = in.off;
    s.trial_end = in.trial;
    s.start_day = in.start;
    s.canceled_at = in.canceled;
    s.ended_at = in.ended;
    s.n = in.t.nrows;
    csm_subscriptions_rates r = {in.r_month, in.r_cur, in.r_rate, in.rt.nrows};
    csm_subscriptions_opts o = CSM_SUBSCRIPTIONS_OPTS_INIT;
    if (until != INT32_MIN)
        o.until_month = until;
    csm_error e;
    if (currency &&
        csm_subscriptions_currency_code(&o.reporting_currency, currency, &e) !=
            CSM_OK) {
        fprintf(stderr, "csmetrics: --currency '%s': %s\n", currency, e.msg);
        exit(EXIT_USAGE);
    }
    const csm_subscriptions_rates *rp = in.have_rates ? &r : NULL;
    csm_ledger *l = NULL;
    csm_status st = csm_subscriptions_to_ledger(&l, &s, rp, &o, NULL, &e);
    if (st != CSM_OK)
        die_lib(&in, st, &e);
    /* the ledger's entries, month by month */
    int32_t m0 = csm_ledger_first_month(l), m1 = csm_ledger_last_month(l);
    size_t cap = csm_ledger_entry_count(l);
    out->mrr_cust = xalloc(cap, sizeof *out->mrr_cust);
    out->mrr_month = xalloc(cap, sizeof *out->mrr_month);
    out->mrr_value = xalloc(cap, sizeof *out->mrr_value);
    for (int32_t m = m0; cap > 0 && m <= m1; m++) {
        csm_ledger_month *lm = NULL;
        if ((st = csm_ledger_month_compute(&lm, l, m, &e)) != CSM_OK)
            die_lib(&in, st, &e);
        for (size_t i = 0; i < lm->n_rows && out->n_mrr < cap; i++) {
            out->mrr_cust[out->n_mrr] = lm->customer_id[i];
            out->mrr_month[out->n_mrr] = m;
            out->mrr_value[out->n_mrr] = lm->mrr[i];
            out->n_mrr++;
        }
        csm_ledger_month_free(lm);
    }
    csm_ledger_free(l);
    /* the billing terms of a year or longer: the renewals' contracts */
    csm_subscriptions_contracts *sc = NULL;
    if ((st = csm_subscriptions_to_contracts(&sc, &s, rp, &o, NULL, &e)) != CSM_OK)
        die_lib(&in, st, &e);
    const csm_contracts *k = &sc->contracts;
    out->con_cust = xalloc(k->n, sizeof *out->con_cust);
    out->con_start = xalloc(k->n, sizeof *out->con_start);
    out->con_end = xalloc(k->n, sizeof *out->con_end);
    out->con_interval = xalloc(k->n, sizeof *out->con_interval);
    out->con_value = xalloc(k->n, sizeof *out->con_value);
    for (size_t i = 0; i < k->n; i++) {
        int32_t months = csm_subscriptions_interval_months(
            k->interval_unit[i], k->interval_count[i]);
        if (months < 12)
            continue;
        size_t w = out->n_con++;
        out->con_cust[w] = k->customer_id[i];
        out->con_start[w] = k->start_day[i];
        out->con_end[w] = k->end_day[i];
        out->con_interval[w] = months;
        out->con_value[w] = sc->value[i];
    }
    csm_subscriptions_contracts_free(sc);
    out->keys = in.keys;
    in.keys = NULL;
    in_free(&in);
}

void subs_free(subs_out *o) {
    free(o->mrr_cust);
    free(o->mrr_month);
    free(o->mrr_value);
    free(o->con_cust);
    free(o->con_start);
    free(o->con_end);
    free(o->con_interval);
    free(o->con_value);
    csm_keys_free(o->keys);
    memset(o, 0, sizeof *o);
}

/* ---- csmetrics import-subscriptions ------------------------------------- */

static void put_month(FILE *f, int32_t m) {
    fprintf(f, "%04ld-%02ld", (long)csm_month_year(m), (long)csm_month_month(m));
}

static void put_day(FILE *f, int32_t d) {
    int32_t y, m, dd;
    csm_day_to_ymd(&y, &m, &dd, d);
    fprintf(f, "%04ld-%02ld-%02ld", (long)y, (long)m, (long)dd);
}

/* A number that reads back as the same double: the shortest of %.15g,
 * %.16g and %.17g that does (%.17g always does), so 200 stays "200" and
 * 100/3 is "33.333333333333336", not %.15g's "33.3333333333333". */
static void put_num(FILE *f, double v) {
    char buf[32];
    for (int digits = 15; digits <= 17; digits++) {
        snprintf(buf, sizeof buf, "%.*g", digits, v);
        if (strtod(buf, NULL) == v)
            break;
    }
    fputs(buf, f);
}

/* Customer id: its label (CSV-quoted when it needs it), or the integer. */
static void put_customer(FILE *f, const subs_out *s, int64_t id) {
    const char *label = s->keys ? csm_keys_label(s->keys, id, NULL) : NULL;
    if (!label) {
        fprintf(f, "%lld,", (long long)id);
        return;
    }
    if (!label[strcspn(label, ",\"\r\n")]) {
        fprintf(f, "%s,", label);
        return;
    }
    fputc('"', f);
    for (const char *p = label; *p; p++) {
        if (*p == '"')
            fputc('"', f);
        fputc(*p, f);
    }
    fputs("\",", f);
}

static FILE *create(const char *dir, const char *name, char *path, size_t cap) {
    snprintf(path, cap, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    if (!f) {
        fprintf(stderr, "csmetrics: %s: cannot write\n", path);
        exit(73); /* EX_CANTCREAT */
    }
    return f;
}

static int import_usage(const char *why, const char *arg) {
    fprintf(stderr, "csmetrics: import-subscriptions: ");
    fprintf(stderr, why, arg);
    fputs("\nTry 'csmetrics help import-subscriptions'.\n", stderr);
    return EXIT_USAGE;
}

int subs_import_main(int argc, char **argv) {
    static const struct option longopts[] = {
        {"out", required_argument, 0, 'o'},
        {"rates", required_argument, 0, 'r'},
        {"map", required_argument, 0, 'm'},
        {"until", required_argument, 0, 'u'},
        {"currency", required_argument, 0, 'c'},
        {0, 0, 0, 0}};
    const char *outdir = NULL, *rates = NULL, *currency = NULL;
    int32_t until = INT32_MIN;
    colmap map;
    memset(&map, 0, sizeof map);
    int rc = 0, ch;
    optind = 2;
    while (rc == 0 && (ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        const char *why;
        switch (ch) {
        case 'o':
            outdir = optarg;
            break;
        case 'r':
            rates = optarg;
            break;
        case 'c':
            currency = optarg;
            break;
        case 'u':
            if (parse_month(optarg, &until, &why) != 0)
                rc = import_usage("--until: '%s' is not YYYY-MM", optarg);
            break;
        case 'm':
            if (colmap_add(&map, optarg) != 0)
                rc = import_usage("--map takes CANON=NAME, not '%s'", optarg);
            break;
        default:
            rc = import_usage("%s", "bad option");
        }
    }
    if (rc == 0 && optind != argc - 1)
        rc = import_usage("%s", optind >= argc ? "missing the export FILE"
                                               : "one export FILE only");
    if (rc == 0 && !outdir)
        rc = import_usage("%s", "missing --out DIR");
    struct stat sb;
    if (rc == 0 && (stat(outdir, &sb) != 0 || !S_ISDIR(sb.st_mode))) {
        fprintf(stderr, "csmetrics: %s: not a directory\n", outdir);
        rc = EXIT_NOINPUT;
    }
    if (rc == 0) {
        subs_out s;
        subs_load(&s, argv[optind], rates, &map, until, currency, 1);
        char path[4200];
        FILE *f = create(outdir, "mrr.csv", path, sizeof path);
        fputs("customer_id,month,mrr\n", f);
        for (size_t i = 0; i < s.n_mrr; i++) {
            put_customer(f, &s, s.mrr_cust[i]);
            put_month(f, s.mrr_month[i]);
            fputc(',', f);
            put_num(f, s.mrr_value[i]);
            fputc('\n', f);
        }
        if (fclose(f) != 0) {
            fprintf(stderr, "csmetrics: %s: write failed\n", path);
            rc = 74; /* EX_IOERR */
        }
        f = create(outdir, "contracts.csv", path, sizeof path);
        fputs("customer_id,start_date,end_date,value,interval_months\n", f);
        for (size_t i = 0; i < s.n_con; i++) {
            put_customer(f, &s, s.con_cust[i]);
            put_day(f, s.con_start[i]);
            fputc(',', f);
            put_day(f, s.con_end[i]);
            fputc(',', f);
            put_num(f, s.con_value[i]);
            fprintf(f, ",%ld\n", (long)s.con_interval[i]);
        }
        if (fclose(f) != 0 && rc == 0) {
            fprintf(stderr, "csmetrics: %s: write failed\n", path);
            rc = 74;
        }
        if (rc == 0)
            fprintf(stderr,
                    "csmetrics: %s: %zu MRR rows -> %s/mrr.csv, %zu annual "
                    "terms -> %s/contracts.csv\n",
                    argv[optind], s.n_mrr, outdir, s.n_con, outdir);
        subs_free(&s);
    }
    colmap_free(&map);
    return rc;
}
