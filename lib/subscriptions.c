/* subscriptions.c - subscription exports (csm_subscriptions) normalized to
 * contracts: each row's service span (status, trial, cancellation, open
 * end), its net amount per interval in the reporting currency, and from
 * them the ledger (csm_ledger_from_contracts does the MRR) or one contract
 * per billing term. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "csmetrics/subscriptions.h"
#include "internal/contracts.h"
#include "internal/util.h"

CSM__DEFINE_OPTS_INIT(csm_subscriptions_opts_init, csm_subscriptions_opts,
                      CSM_SUBSCRIPTIONS_OPTS_INIT)

/* ---- currency codes ------------------------------------------------------ */

CSM_API csm_status csm_subscriptions_currency_code(int32_t *code,
                                                   const char *text,
                                                   csm_error *err) {
    csm_error_clear(err);
    if (!code || !text)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, code ? "text" : "code",
                         "is NULL");
    int32_t v = 0;
    for (int k = 0; k < 3; k++) {
        char ch = text[k];
        if (ch >= 'a' && ch <= 'z')
            ch = (char)(ch - 'a' + 'A');
        if (ch < 'A' || ch > 'Z')
            return csm__fail(err, CSM_EDOMAIN, CSM_NO_ROW, "currency",
                             "a currency is three letters (ISO 4217)");
        v = v * 27 + (ch - 'A' + 1);
    }
    if (text[3])
        return csm__fail(err, CSM_EDOMAIN, CSM_NO_ROW, "currency",
                         "a currency is three letters (ISO 4217)");
    *code = v;
    return CSM_OK;
}

CSM_API int csm_subscriptions_currency_label(char buf[4], int32_t code) {
    if (!buf)
        return 0;
    buf[0] = 0;
    if (code < 27 * 27 + 27 + 1 || code > 26 * 27 * 27 + 26 * 27 + 26)
        return 0;
    int32_t d[3] = {code / 729, code / 27 % 27, code % 27};
    for (int k = 0; k < 3; k++)
        if (d[k] == 0)
            return 0;
    for (int k = 0; k < 3; k++)
        buf[k] = (char)('A' + d[k] - 1);
    buf[3] = 0;
    return 1;
}

/* Case-insensitive equality of a and b. */
static int same_word(const char *a, const char *b) {
    for (; *a && *b; a++, b++) {
        char x = *a >= 'A' && *a <= 'Z' ? (char)(*a - 'A' + 'a') : *a;
        if (x != *b)
            return 0;
    }
    return *a == *b;
}

/* The index of text in names (n of them, lower case), or -1. */
static int word_index(const char *text, const char *const *names, int n) {
    for (int k = 0; k < n; k++)
        if (same_word(text, names[k]))
            return k;
    return -1;
}

/* *code = codes[k] for the name names[k] (n of them, lower case) that text
 * is, any case; else CSM_EDOMAIN naming field with msg (the names). */
static csm_status name_code(uint8_t *code, const char *text,
                            const char *const *names, const uint8_t *codes,
                            int n, const char *field, const char *msg,
                            csm_error *err) {
    csm_error_clear(err);
    if (!code || !text)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, code ? "text" : "code",
                         "is NULL");
    int k = word_index(text, names, n);
    if (k < 0)
        return csm__fail(err, CSM_EDOMAIN, CSM_NO_ROW, field, msg);
    *code = codes[k];
    return CSM_OK;
}

#define NAMES_N(codes) ((int)(sizeof(codes) / sizeof(codes)[0]))

CSM_API csm_status csm_subscriptions_status_code(uint8_t *code,
                                                 const char *text,
                                                 csm_error *err) {
    static const char *const names[] = {
        "active", "trialing", "past_due", "canceled", "unpaid",
        "paused", "incomplete", "incomplete_expired", "cancelled", ""};
    static const uint8_t codes[] = {
        CSM_SUBSCRIPTIONS_ACTIVE,     CSM_SUBSCRIPTIONS_TRIALING,
        CSM_SUBSCRIPTIONS_PAST_DUE,   CSM_SUBSCRIPTIONS_CANCELED,
        CSM_SUBSCRIPTIONS_UNPAID,     CSM_SUBSCRIPTIONS_PAUSED,
        CSM_SUBSCRIPTIONS_INCOMPLETE, CSM_SUBSCRIPTIONS_INCOMPLETE_EXPIRED,
        CSM_SUBSCRIPTIONS_CANCELED,   CSM_SUBSCRIPTIONS_ACTIVE};
    return name_code(code, text, names, codes, NAMES_N(codes), "status",
                     "unknown status (active, trialing, past_due, canceled, "
                     "unpaid, paused, incomplete, incomplete_expired)",
                     err);
}

CSM_API csm_status csm_subscriptions_unit_code(uint8_t *code,
                                               const char *text,
                                               csm_error *err) {
    static const char *const names[] = {"day",  "week",  "month",  "year",
                                        "days", "weeks", "months", "years",
                                        ""};
    static const uint8_t units[] = {
        CSM_UNIT_DAY, CSM_UNIT_WEEK, CSM_UNIT_MONTH, CSM_UNIT_YEAR,
        CSM_UNIT_DAY, CSM_UNIT_WEEK, CSM_UNIT_MONTH, CSM_UNIT_YEAR,
        CSM_UNIT_MONTH};
    return name_code(code, text, names, units, NAMES_N(units),
                     "interval_unit",
                     "unknown interval (day, week, month or year)", err);
}

CSM_API csm_status csm_subscriptions_kind_code(uint8_t *code,
                                               const char *text,
                                               csm_error *err) {
    /* Stripe's price type (recurring, one_time) and usage type (licensed,
     * metered); "usage" and "one-time" as other systems spell them */
    static const char *const names[] = {"recurring", "licensed", "",
                                        "one_time",  "one-time", "metered",
                                        "usage"};
    static const uint8_t kinds[] = {
        CSM_CHARGE_RECURRING, CSM_CHARGE_RECURRING, CSM_CHARGE_RECURRING,
        CSM_CHARGE_ONE_TIME,  CSM_CHARGE_ONE_TIME,  CSM_CHARGE_USAGE,
        CSM_CHARGE_USAGE};
    return name_code(code, text, names, kinds, NAMES_N(kinds), "kind",
                     "unknown charge kind (recurring, one_time or metered)",
                     err);
}

CSM_API int32_t csm_subscriptions_interval_months(int unit, int32_t count) {
    int64_t per = unit == CSM_UNIT_MONTH ? 1 : unit == CSM_UNIT_YEAR ? 12 : 0;
    int64_t months = per * count;
    return months > 0 && months <= INT32_MAX ? (int32_t)months : 0;
}

/* ---- the call's state ---------------------------------------------------- */

typedef struct rate_key {
    int32_t currency, month;
    double rate;
} rate_key;

typedef struct sub_ctx {
    const csm_subscriptions *s;
    csm_subscriptions_opts o;
    csm_contracts_opts copts; /* the contract rules the options mean */
    rate_key *rates;          /* sorted by (currency, month); NULL = none */
    size_t n_rates;
    int32_t until_last; /* the last day of open-ended service */
    int32_t day_min, day_max;
} sub_ctx;

/* A row's service: days from..to inclusive; open = to is the open end. */
typedef struct span {
    int32_t from, to;
    int open;
} span;

static int32_t month_first(int32_t m) {
    return csm_day(csm_month_year(m), csm_month_month(m), 1);
}
static int32_t month_last(int32_t m) { return month_first(m + 1) - 1; }

static int32_t day_at(const int32_t *col, size_t i) {
    return col ? col[i] : CSM_SUBSCRIPTIONS_DAY_NONE;
}

static int is_live(uint8_t st) {
    return st == CSM_SUBSCRIPTIONS_ACTIVE || st == CSM_SUBSCRIPTIONS_TRIALING ||
           st == CSM_SUBSCRIPTIONS_PAST_DUE;
}

static uint8_t status_at(const csm_subscriptions *s, size_t i) {
    return s->status ? s->status[i] : CSM_SUBSCRIPTIONS_ACTIVE;
}

/* ---- checks ---------------------------------------------------------------- */

static csm_status check_day(const sub_ctx *c, size_t i, const int32_t *col,
                            const char *field, csm_error *err) {
    int32_t d = day_at(col, i);
    if (d == CSM_SUBSCRIPTIONS_DAY_NONE)
        return CSM_OK;
    if (d < c->day_min || d > c->day_max)
        return csm__fail(err, CSM_EDOMAIN, i, field,
                         "date outside years 1900..2999");
    if (d < c->s->start_day[i])
        return csm__fail(err, CSM_EDOMAIN, i, field,
                         "date before start_day");
    return CSM_OK;
}

static csm_status check_money(size_t i, const double *col, const char *field,
                              csm_error *err) {
    if (col && !csm__nonneg(col[i]))
        return csm__failf(err, CSM_EDOMAIN, i, field,
                          "must be finite and >= 0", NULL,
                          "%s must be finite and >= 0", field);
    return CSM_OK;
}

static csm_status check_row(const sub_ctx *c, size_t i, csm_error *err) {
    const csm_subscriptions *s = c->s;
    if (status_at(s, i) > CSM_SUBSCRIPTIONS_INCOMPLETE_EXPIRED)
        return csm__fail(err, CSM_EINVAL, i, "status", "unknown status");
    if (s->kind && s->kind[i] > CSM_CHARGE_USAGE)
        return csm__fail(err, CSM_EINVAL, i, "kind", "unknown charge kind");
    uint8_t unit = s->interval_unit ? s->interval_unit[i] : CSM_UNIT_MONTH;
    if (unit > CSM_UNIT_DAY)
        return csm__fail(err, CSM_EINVAL, i, "interval_unit",
                         "unknown interval unit (day, week, month or year)");
    if (s->interval_count && s->interval_count[i] <= 0)
        return csm__fail(err, CSM_EDOMAIN, i, "interval_count",
                         "billing interval must be > 0");
    csm_status st;
    if ((st = check_money(i, s->amount, "amount", err)) != CSM_OK ||
        (st = check_money(i, s->quantity, "quantity", err)) != CSM_OK ||
        (st = check_money(i, s->discount_amount, "discount_amount", err)) != CSM_OK ||
        (st = check_money(i, s->tax, "tax", err)) != CSM_OK)
        return st;
    if (s->discount_percent &&
        !(s->discount_percent[i] >= 0 && s->discount_percent[i] <= 100))
        return csm__fail(err, CSM_EDOMAIN, i, "discount_percent",
                         "discount_percent must be in 0..100");
    int32_t d0 = s->start_day[i];
    if (d0 == CSM_SUBSCRIPTIONS_DAY_NONE)
        return csm__fail(err, CSM_EDOMAIN, i, "start_day", "missing start date");
    if (d0 < c->day_min || d0 > c->day_max)
        return csm__fail(err, CSM_EDOMAIN, i, "start_day",
                         "date outside years 1900..2999");
    if ((st = check_day(c, i, s->trial_end, "trial_end", err)) != CSM_OK ||
        (st = check_day(c, i, s->canceled_at, "canceled_at", err)) != CSM_OK ||
        (st = check_day(c, i, s->ended_at, "ended_at", err)) != CSM_OK)
        return st;
    uint8_t stt = status_at(s, i);
    if (!is_live(stt) && stt < CSM_SUBSCRIPTIONS_INCOMPLETE &&
        day_at(s->ended_at, i) == CSM_SUBSCRIPTIONS_DAY_NONE &&
        day_at(s->canceled_at, i) == CSM_SUBSCRIPTIONS_DAY_NONE)
        return csm__fail(err, CSM_EDOMAIN, i, "ended_at",
                         "a canceled, unpaid or paused subscription needs "
                         "ended_at or canceled_at");
    return CSM_OK;
}

static int cmp_rate(const void *x, const void *y) {
    const rate_key *p = x, *q = y;
    if (p->currency != q->currency)
        return p->currency < q->currency ? -1 : 1;
    return (p->month > q->month) - (p->month < q->month);
}

/* Copy and sort the rate table; a bad or repeated rate is an error naming
 * its row of the table. */
static csm_status load_rates(sub_ctx *c, const csm_subscriptions_rates *r,
                             const csm_allocator *a, csm_error *err) {
    if (!r)
        return CSM_OK;
    if (r->n > 0 && (!r->month || !r->currency || !r->rate))
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW,
                         !r->month ? "rates.month"
                         : !r->currency ? "rates.currency"
                                        : "rates.rate",
                         "required column is NULL while n > 0");
    for (size_t i = 0; i < r->n; i++) {
        if (!(isfinite(r->rate[i]) && r->rate[i] > 0))
            return csm__fail(err, CSM_EDOMAIN, i, "rates.rate",
                             "a rate must be finite and > 0");
        if (r->month[i] == CSM_MONTH_NONE)
            return csm__fail(err, CSM_EDOMAIN, i, "rates.month",
                             "missing month");
    }
    c->rates = csm__alloc_array(a, r->n ? r->n : 1, sizeof *c->rates);
    if (!c->rates)
        return csm__fail(err, CSM_ENOMEM, CSM_NO_ROW, NULL, NULL);
    for (size_t i = 0; i < r->n; i++)
        c->rates[i] = (rate_key){r->currency[i], r->month[i], r->rate[i]};
    qsort(c->rates, r->n, sizeof *c->rates, cmp_rate);
    c->n_rates = r->n;
    for (size_t i = 1; i < r->n; i++)
        if (cmp_rate(&c->rates[i - 1], &c->rates[i]) == 0)
            return csm__fail(err, CSM_EDOMAIN, CSM_NO_ROW, "rates.month",
                             "a (month, currency) pair has two rates");
    return CSM_OK;
}

/* The currency of row i needs converting. */
static int converts(const sub_ctx *c, size_t i) {
    return c->rates && c->s->currency &&
           c->s->currency[i] != c->o.reporting_currency;
}

/* The rate of row i's currency in month m: 1 without conversion; a missing
 * rate is an error naming the currency and the month. */
static csm_status rate_of(double *out, const sub_ctx *c, size_t i, int32_t m,
                          csm_error *err) {
    *out = 1.0;
    if (!converts(c, i))
        return CSM_OK;
    rate_key k = {c->s->currency[i], m, 0};
    const rate_key *hit =
        bsearch(&k, c->rates, c->n_rates, sizeof k, cmp_rate);
    if (hit) {
        *out = hit->rate;
        return CSM_OK;
    }
    char cur[16];
    if (!csm_subscriptions_currency_label(cur, k.currency))
        snprintf(cur, sizeof cur, "%ld", (long)k.currency);
    return csm__failf(err, CSM_EDOMAIN, i, "currency", "no rate for the month",
                      NULL, "no rate for currency %s in %04ld-%02ld", cur,
                      (long)csm_month_year(m), (long)csm_month_month(m));
}

/* Load options, check every row and the rates, and fix the open end. */
static csm_status ctx_init(sub_ctx *c, const csm_subscriptions *s,
                           const csm_subscriptions_rates *rates,
                           const csm_subscriptions_opts *opts,
                           const csm_allocator *a, csm_error *err) {
    c->s = s;
    c->rates = NULL;
    c->n_rates = 0;
    c->day_min = csm_day(1900, 1, 1);
    c->day_max = csm_day(2999, 12, 31);
    if (!s)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "subscriptions",
                         "is NULL");
    c->o = (csm_subscriptions_opts)CSM_SUBSCRIPTIONS_OPTS_INIT;
    csm_status st = csm__opts_load(&c->o, sizeof c->o, opts, err);
    if (st != CSM_OK)
        return st;
    csm_contracts_opts co = CSM_CONTRACTS_OPTS_INIT;
    co.proration = c->o.proration;
    co.discount_mode = c->o.apply_discounts ? CSM_DISCOUNT_ALL
                                            : CSM_DISCOUNT_IGNORE;
    co.include_tax = c->o.include_tax != 0;
    if ((st = csm__contract_opts_load(&c->copts, &co, "opts.proration",
                                      "opts.apply_discounts", err)) != CSM_OK)
        return st;
    int32_t mmin = csm_day_month(c->day_min), mmax = csm_day_month(c->day_max);
    if (c->o.until_month != CSM_MONTH_NONE &&
        (c->o.until_month < mmin || c->o.until_month > mmax))
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "opts.until_month",
                         "month outside years 1900..2999");
    size_t n = s->n;
    if (n > 0 && (!s->customer_id || !s->amount || !s->start_day))
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW,
                         !s->customer_id ? "customer_id"
                         : !s->amount    ? "amount"
                                         : "start_day",
                         "required column is NULL while n > 0");
    int32_t latest = CSM_SUBSCRIPTIONS_DAY_NONE;
    for (size_t i = 0; i < n; i++) {
        if ((st = check_row(c, i, err)) != CSM_OK)
            return st;
        const int32_t *cols[4] = {s->start_day, s->trial_end, s->canceled_at,
                                  s->ended_at};
        for (int k = 0; k < 4; k++)
            if (day_at(cols[k], i) > latest)
                latest = day_at(cols[k], i);
        if (!rates && s->currency && s->currency[i] != s->currency[0])
            return csm__fail(err, CSM_EDOMAIN, i, "currency",
                             "a second currency and no rate table");
    }
    int32_t until = c->o.until_month != CSM_MONTH_NONE ? c->o.until_month
                    : latest != CSM_SUBSCRIPTIONS_DAY_NONE
                        ? csm_day_month(latest)
                        : mmin;
    c->until_last = month_last(until);
    return load_rates(c, rates, a, err);
}

/* Row i's service; 0 when it has none (no MRR: one-time or metered,
 * never paid, trialing throughout, or ended the day it began). */
static int span_of(span *sp, const sub_ctx *c, size_t i) {
    const csm_subscriptions *s = c->s;
    if (s->kind && s->kind[i] != CSM_CHARGE_RECURRING)
        return 0;
    uint8_t st = status_at(s, i);
    if (st >= CSM_SUBSCRIPTIONS_INCOMPLETE)
        return 0;
    int32_t from = s->start_day[i];
    int32_t trial = day_at(s->trial_end, i);
    if (!c->o.include_trials) {
        if (st == CSM_SUBSCRIPTIONS_TRIALING && trial == CSM_SUBSCRIPTIONS_DAY_NONE)
            return 0;
        if (trial != CSM_SUBSCRIPTIONS_DAY_NONE && trial > from)
            from = trial;
    }
    int32_t end = day_at(s->ended_at, i);
    if (end == CSM_SUBSCRIPTIONS_DAY_NONE && !is_live(st))
        end = day_at(s->canceled_at, i);
    sp->open = end == CSM_SUBSCRIPTIONS_DAY_NONE;
    sp->from = from;
    sp->to = sp->open ? c->until_last : end - 1;
    return sp->to >= sp->from;
}

/* Row i's contract columns (per interval, in its own currency, x rate):
 * amount, tax and discount, as csm_contracts reads them; not finite is an
 * error naming the row. */
typedef struct money {
    double amount, tax, discount;
} money;

static csm_status money_of(money *m, const sub_ctx *c, size_t i, double rate,
                           csm_error *err) {
    const csm_subscriptions *s = c->s;
    double q = s->quantity ? s->quantity[i] : 1.0;
    double amount = s->amount[i] * q * rate;
    double tax = s->tax ? s->tax[i] * q * rate : 0.0;
    double base = c->o.include_tax ? amount : amount - tax;
    double pct = s->discount_percent ? s->discount_percent[i] / 100.0 : 0.0;
    double off = s->discount_amount ? s->discount_amount[i] * rate : 0.0;
    m->amount = amount;
    m->tax = tax;
    m->discount = pct * (base > 0 ? base : 0.0) + off;
    if (!isfinite(amount) || !isfinite(tax) || !isfinite(m->discount))
        return csm__fail(err, CSM_EDOMAIN, i, "amount",
                         "amount x quantity x rate is not finite");
    return CSM_OK;
}

/* ---- the growing contract arrays --------------------------------------- */

typedef struct out_rows {
    const csm_allocator *a;
    size_t n, cap;
    int64_t *cust;
    int32_t *start, *end, *count, *seg;
    int32_t *served; /* the last day of service of each contract */
    uint8_t *unit, *open;
    double *amount, *tax, *discount, *value;
    size_t *row;
} out_rows;

static void out_free(out_rows *r) {
    csm__free(r->a, r->cust);
    csm__free(r->a, r->start);
    csm__free(r->a, r->end);
    csm__free(r->a, r->count);
    csm__free(r->a, r->seg);
    csm__free(r->a, r->served);
    csm__free(r->a, r->unit);
    csm__free(r->a, r->open);
    csm__free(r->a, r->amount);
    csm__free(r->a, r->tax);
    csm__free(r->a, r->discount);
    csm__free(r->a, r->value);
    csm__free(r->a, r->row);
}

static csm_status out_alloc(out_rows *r, size_t cap) {
    size_t m = cap ? cap : 1;
    r->cap = cap;
    r->cust = csm__alloc_array(r->a, m, sizeof *r->cust);
    r->start = csm__alloc_array(r->a, m, sizeof *r->start);
    r->end = csm__alloc_array(r->a, m, sizeof *r->end);
    r->count = csm__alloc_array(r->a, m, sizeof *r->count);
    r->seg = csm__alloc_array(r->a, m, sizeof *r->seg);
    r->served = csm__alloc_array(r->a, m, sizeof *r->served);
    r->unit = csm__alloc_array(r->a, m, sizeof *r->unit);
    r->open = csm__alloc_array(r->a, m, sizeof *r->open);
    r->amount = csm__alloc_array(r->a, m, sizeof *r->amount);
    r->tax = csm__alloc_array(r->a, m, sizeof *r->tax);
    r->discount = csm__alloc_array(r->a, m, sizeof *r->discount);
    r->value = csm__alloc_array(r->a, m, sizeof *r->value);
    r->row = csm__alloc_array(r->a, m, sizeof *r->row);
    if (!r->cust || !r->start || !r->end || !r->count || !r->seg ||
        !r->served || !r->unit || !r->open || !r->amount || !r->tax || !r->discount ||
        !r->value || !r->row)
        return CSM_ENOMEM;
    return CSM_OK;
}

/* Append the contract of row i from day `from` to `to`, in service to day
 * `served`, with money m (when r->cust is NULL, only count it). */
static void out_add(out_rows *r, const sub_ctx *c, size_t i, int32_t from,
                    int32_t to, int32_t served, const money *m, int open) {
    if (r->cust) {
        const csm_subscriptions *s = c->s;
        size_t k = r->n;
        r->cust[k] = s->customer_id[i];
        r->start[k] = from;
        r->end[k] = to;
        r->served[k] = served;
        r->count[k] = s->interval_count ? s->interval_count[i] : 1;
        r->unit[k] = s->interval_unit ? s->interval_unit[i] : CSM_UNIT_MONTH;
        r->seg[k] = s->segment ? s->segment[i] : 0;
        r->amount[k] = m->amount;
        r->tax[k] = m->tax;
        r->discount[k] = m->discount;
        r->open[k] = (uint8_t)open;
        r->row[k] = i;
    }
    r->n++;
}

static csm_contracts out_view(const out_rows *r) {
    csm_contracts ct = {0};
    ct.customer_id = r->cust;
    ct.start_day = r->start;
    ct.end_day = r->end;
    ct.amount = r->amount;
    ct.interval_count = r->count;
    ct.interval_unit = r->unit;
    ct.discount = r->discount;
    ct.tax = r->tax;
    ct.segment = r->seg;
    ct.n = r->n;
    return ct;
}

/* The contracts of row i (ledger_pieces, term_pieces) added to r. */
typedef csm_status (*piece_fn)(out_rows *r, const sub_ctx *c, size_t i,
                               csm_error *err);

/* The contracts of every row into r: counted, allocated, then filled (the
 * second pass fails nowhere the first did not). */
static csm_status pieces_all(out_rows *r, const sub_ctx *c, piece_fn piece,
                             csm_error *err) {
    csm_status st;
    for (int pass = 0; pass < 2; pass++) {
        if (pass == 1) {
            if (out_alloc(r, r->n) != CSM_OK)
                return csm__fail(err, CSM_ENOMEM, CSM_NO_ROW, NULL, NULL);
            r->n = 0;
        }
        for (size_t i = 0; i < c->s->n; i++)
            if ((st = piece(r, c, i, err)) != CSM_OK)
                return st;
    }
    return CSM_OK;
}

/* ---- to the ledger ------------------------------------------------------- */

/* Row i's service as contracts: one, or one per run of months with the
 * same rate when its currency is converted. */
static csm_status ledger_pieces(out_rows *r, const sub_ctx *c, size_t i,
                                csm_error *err) {
    span sp;
    if (!span_of(&sp, c, i))
        return CSM_OK;
    money m;
    double rate;
    csm_status st;
    int32_t m0 = csm_day_month(sp.from), m1 = csm_day_month(sp.to);
    if (!converts(c, i)) {
        if ((st = money_of(&m, c, i, 1.0, err)) != CSM_OK)
            return st;
        out_add(r, c, i, sp.from, sp.to, sp.to, &m, sp.open);
        return CSM_OK;
    }
    int32_t run = m0;
    double run_rate = 0;
    for (int32_t mm = m0; mm <= m1 + 1; mm++) {
        if (mm <= m1 && (st = rate_of(&rate, c, i, mm, err)) != CSM_OK)
            return st;
        if (mm > m0 && (mm > m1 || rate != run_rate)) {
            if ((st = money_of(&m, c, i, run_rate, err)) != CSM_OK)
                return st;
            int32_t a = month_first(run), b = month_last(mm - 1);
            int32_t to = b < sp.to ? b : sp.to;
            out_add(r, c, i, a > sp.from ? a : sp.from, to, to, &m,
                    sp.open && mm > m1);
            run = mm;
        }
        run_rate = rate;
    }
    return CSM_OK;
}

CSM_API csm_status csm_subscriptions_to_ledger(
    csm_ledger **out, const csm_subscriptions *subs,
    const csm_subscriptions_rates *rates, const csm_subscriptions_opts *opts,
    const csm_ledger_opts *ledger_opts, csm_error *err) {
    csm_error_clear(err);
    if (!out)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "out", "is NULL");
    *out = NULL;
    csm_ledger_opts lo = CSM_LEDGER_OPTS_INIT;
    csm_status st = csm__opts_load(&lo, sizeof lo, ledger_opts, err);
    if (st != CSM_OK)
        return st;
    if ((st = csm__alloc_check(lo.allocator, "ledger_opts.allocator", err)) !=
        CSM_OK)
        return st;
    sub_ctx c;
    out_rows r = {.a = lo.allocator};
    if ((st = ctx_init(&c, subs, rates, opts, lo.allocator, err)) != CSM_OK ||
        (st = pieces_all(&r, &c, ledger_pieces, err)) != CSM_OK)
        goto done;
    csm_contracts ct = out_view(&r);
    st = csm_ledger_from_contracts(out, &ct, &c.copts, &lo, err);
    if (st != CSM_OK && err && err->row != CSM_NO_ROW && err->row < r.n)
        err->row = r.row[err->row]; /* name the subscription row */
done:
    csm__free(lo.allocator, c.rates);
    out_free(&r);
    return st;
}

/* ---- to contracts, one per billing term ---------------------------------- */

/* The first day of the term k intervals after day d0 of row i. */
static int64_t term_start(const sub_ctx *c, size_t i, int32_t d0, int64_t k) {
    const csm_subscriptions *s = c->s;
    int64_t cnt = s->interval_count ? s->interval_count[i] : 1;
    uint8_t unit = s->interval_unit ? s->interval_unit[i] : CSM_UNIT_MONTH;
    if (unit == CSM_UNIT_DAY || unit == CSM_UNIT_WEEK)
        return (int64_t)d0 + k * cnt * (unit == CSM_UNIT_WEEK ? 7 : 1);
    int32_t y, mo, d;
    csm_day_to_ymd(&y, &mo, &d, d0);
    int64_t m = (int64_t)csm_month(y, mo) + k * cnt * (unit == CSM_UNIT_YEAR ? 12 : 1);
    if (m > csm_day_month(c->day_max) + 1)
        return (int64_t)c->day_max + 1;
    int32_t first = month_first((int32_t)m);
    int32_t dim = month_first((int32_t)m + 1) - first;
    return first + (d < dim ? d : dim) - 1;
}

/* Row i's billing terms, each to its natural end: the last term of a row
 * whose service stopped inside it (a termination) keeps that end, the day
 * its renewal was due, and is in service to the day service stopped. */
static csm_status term_pieces(out_rows *r, const sub_ctx *c, size_t i,
                              csm_error *err) {
    span sp;
    if (!span_of(&sp, c, i))
        return CSM_OK;
    for (int64_t k = 0;; k++) {
        int64_t a = term_start(c, i, sp.from, k);
        if (a > sp.to)
            break;
        int64_t b = term_start(c, i, sp.from, k + 1) - 1;
        int last = b >= sp.to;
        if (b > c->day_max) /* an interval reaching past year 2999 */
            b = c->day_max;
        int64_t served = last && !sp.open ? sp.to : b;
        double rate;
        money m;
        csm_status st;
        if ((st = rate_of(&rate, c, i, csm_day_month((int32_t)a), err)) != CSM_OK ||
            (st = money_of(&m, c, i, rate, err)) != CSM_OK)
            return st;
        out_add(r, c, i, (int32_t)a, (int32_t)b, (int32_t)served, &m,
                last && sp.open);
        if (last)
            break;
    }
    return CSM_OK;
}

CSM_API void csm_subscriptions_contracts_free(csm_subscriptions_contracts *sc) {
    if (!sc)
        return;
    const csm_allocator *a = sc->allocator;
    out_rows r = {.a = a,
                  .cust = (int64_t *)sc->contracts.customer_id,
                  .start = (int32_t *)sc->contracts.start_day,
                  .end = (int32_t *)sc->contracts.end_day,
                  .count = (int32_t *)sc->contracts.interval_count,
                  .seg = (int32_t *)sc->contracts.segment,
                  .served = (int32_t *)sc->service_end,
                  .unit = (uint8_t *)sc->contracts.interval_unit,
                  .open = (uint8_t *)sc->open,
                  .amount = (double *)sc->contracts.amount,
                  .value = (double *)sc->value,
                  .row = (size_t *)sc->row};
    out_free(&r);
    csm__free(a, sc);
}

CSM_API csm_status csm_subscriptions_to_contracts(
    csm_subscriptions_contracts **out, const csm_subscriptions *subs,
    const csm_subscriptions_rates *rates, const csm_subscriptions_opts *opts,
    const csm_allocator *allocator, csm_error *err) {
    csm_error_clear(err);
    if (!out)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "out", "is NULL");
    *out = NULL;
    csm_status st = csm__alloc_check(allocator, "allocator", err);
    if (st != CSM_OK)
        return st;
    sub_ctx c;
    out_rows r = {.a = allocator};
    csm_subscriptions_contracts *sc = NULL;
    if ((st = ctx_init(&c, subs, rates, opts, allocator, err)) != CSM_OK ||
        (st = pieces_all(&r, &c, term_pieces, err)) != CSM_OK)
        goto fail;
    if (!(sc = csm__alloc(allocator, sizeof *sc))) {
        st = csm__fail(err, CSM_ENOMEM, CSM_NO_ROW, NULL, NULL);
        goto fail;
    }
    /* the net amounts: tax and discounts applied per the options; every
     * term is a whole billing term, worth its net amount */
    csm_contracts ct = out_view(&r);
    for (size_t k = 0; k < r.n; k++)
        r.value[k] = r.amount[k] = csm__contract_net(&ct, k, &c.copts);
    csm__free(allocator, c.rates);
    csm__free(allocator, r.tax);
    csm__free(allocator, r.discount);
    r.tax = r.discount = NULL;
    ct.tax = ct.discount = NULL;
    *sc = (csm_subscriptions_contracts){.contracts = ct, .row = r.row,
                                        .value = r.value, .open = r.open,
                                        .allocator = allocator,
                                        .service_end = r.served};
    *out = sc;
    return CSM_OK;
fail:
    csm__free(allocator, c.rates);
    csm__free(allocator, sc);
    out_free(&r);
    return st;
}
