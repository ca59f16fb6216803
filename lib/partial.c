/* partial.c - mergeable partial states (csmetrics/partial.h): the grid of
 * buckets every family's state is (internal/partial.h), its merge, and its
 * bytes.  The families compute and finalize their own states. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "csmetrics/partial.h"
#include "csmetrics/table.h"
#include "internal/partial.h"

csm_partial *csm__partial_new(const csm_allocator *a, int kind, int keyed,
                              const int32_t *keys, size_t n_keys, int32_t lo,
                              size_t n_months, size_t nm, size_t nc) {
    return csm__partial_new_aged(a, kind, keyed, keys, n_keys, lo, n_months, 1,
                                 nm, nc);
}

csm_partial *csm__partial_new_aged(const csm_allocator *a, int kind, int keyed,
                                   const int32_t *keys, size_t n_keys,
                                   int32_t lo, size_t n_months, size_t n_ages,
                                   size_t nm, size_t nc) {
    csm_partial *p = csm__partial_new_wide(a, kind, keyed, NULL, n_keys, lo,
                                           n_months, n_ages, nm, nc);
    if (p && keyed)
        for (size_t k = 0; k < n_keys; k++)
            p->keys[k] = keys[k];
    return p;
}

csm_partial *csm__partial_new_wide(const csm_allocator *a, int kind, int keyed,
                                   const int64_t *keys, size_t n_keys,
                                   int32_t lo, size_t n_months, size_t n_ages,
                                   size_t nm, size_t nc) {
    csm_partial *p = csm__alloc(a, sizeof *p);
    if (!p)
        return NULL;
    memset(p, 0, sizeof *p);
    if (a)
        p->alloc = *a;
    p->kind = kind;
    p->keyed = keyed;
    p->data_first = p->data_last = CSM_MONTH_NONE;
    p->lo = lo;
    p->n_months = n_months;
    p->n_keys = keyed ? n_keys : 1;
    p->n_ages = n_ages ? n_ages : 1;
    p->nm = nm;
    p->nc = nc;
    /* cells: n_months and n_ages <= ~120,002, keys < 2^32 */
    size_t nb = n_months * p->n_keys;
    if (nb && p->n_ages > SIZE_MAX / 64 / nb)
        goto fail; /* no such memory */
    nb *= p->n_ages;
    if (keyed && n_keys) {
        p->keys = csm__alloc_array(a, n_keys, sizeof *p->keys);
        if (!p->keys)
            goto fail;
        if (keys)
            memcpy(p->keys, keys, n_keys * sizeof *keys);
        else
            memset(p->keys, 0, n_keys * sizeof *p->keys);
    }
    if (nb && nm) {
        p->m = csm__alloc_array(a, nb * nm, sizeof *p->m);
        if (!p->m)
            goto fail;
        memset(p->m, 0, nb * nm * sizeof *p->m);
    }
    if (nb && nc) {
        p->c = csm__alloc_array(a, nb * nc, sizeof *p->c);
        if (!p->c)
            goto fail;
        memset(p->c, 0, nb * nc * sizeof *p->c);
    }
    return p;
fail:
    csm_partial_free(p);
    return NULL;
}

CSM_API void csm_partial_free(csm_partial *p) {
    if (!p)
        return;
    const csm_allocator *a = csm__partial_allocator(p);
    csm__free(a, p->keys);
    csm__free(a, p->m);
    csm__free(a, p->c);
    csm__free(a, p);
}

/* ---- the shape of each family's state ---------------------------------- */
/* What csm_partial_deserialize (on the header, before allocating) and
 * csm__partial_call (on a state, before finalizing) check, per family: a
 * state of bytes from elsewhere passes these or is refused, so the
 * families' finalize functions never meet a shape their compute could not
 * have made.  Each rule names the header field it checks. */
enum {
    KEYED_ANY,      /* keyed 0 (one key) or 1 */
    KEYED_ALWAYS,   /* keyed 1 (lifetimes: segment ids, always) */
    KEYED_BY_PARAM  /* keyed exactly when params[byseg] != 0 */
};

/* The header fields of a state, as read from bytes or from a state. */
typedef struct shape {
    int64_t kind, keyed;
    const int64_t *params;
    int32_t data_first, data_last, lo;
    uint64_t n_months, n_keys, n_ages, nm, nc;
} shape;

static csm_status bad(csm_error *err, const char *field, const char *msg) {
    return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, field, msg);
}

/* params[i] as an int32 month (*m), or 0 when it is not an int32. */
static int month_param(int64_t *m, const shape *s, int i) {
    *m = s->params[i];
    return *m >= INT32_MIN && *m <= INT32_MAX;
}

/* Whether [first, last] (when not empty) is inside s's grid. */
static csm_status grid_covers(const shape *s, int64_t first, int64_t last,
                              csm_error *err) {
    if (first <= last &&
        (first < s->lo || last > (int64_t)s->lo + (int64_t)s->n_months - 1))
        return bad(err, "buf.n_months",
                   "the grid does not cover the months of the state's range");
    return CSM_OK;
}

/* movements: the months first - 1 .. last of the range (first_month and
 * last_month, else the data's months). */
static csm_status movements_covers(const shape *s, csm_error *err) {
    int64_t pf, pl;
    if (!month_param(&pf, s, CSM__PARTIAL_MOVEMENTS_FIRST) ||
        !month_param(&pl, s, CSM__PARTIAL_MOVEMENTS_LAST))
        return bad(err, "buf.params", "a month that is not an int32");
    const int64_t first = pf != CSM_MONTH_NONE ? pf : s->data_first,
                  last = pl != CSM_MONTH_NONE ? pl : s->data_last;
    if (first == CSM_MONTH_NONE || last == CSM_MONTH_NONE || first > last)
        return CSM_OK; /* no months (or finalize's CSM_EINVAL) */
    return grid_covers(s, first - 1, last, err);
}

/* retention: the end months of the finalize's table, first (first_month,
 * else the data's first + the window) .. last (last_month, else the
 * data's last), all of them, so a state's bytes cannot ask for a table
 * larger than its grid (every computed state's grid reaches an explicit
 * last_month). */
static csm_status retention_covers(const shape *s, csm_error *err) {
    int64_t pf, pl, w;
    if (!month_param(&pf, s, CSM__PARTIAL_RETENTION_FIRST) ||
        !month_param(&pl, s, CSM__PARTIAL_RETENTION_LAST) ||
        !month_param(&w, s, CSM__PARTIAL_RETENTION_WINDOW) || w < 1)
        return bad(err, "buf.params", "a month or window out of range");
    const int64_t first =
        pf != CSM_MONTH_NONE ? pf
        : s->data_first == CSM_MONTH_NONE ? (int64_t)CSM_MONTH_NONE
                                          : s->data_first + w;
    const int64_t last = pl != CSM_MONTH_NONE ? pl : s->data_last;
    if (first == CSM_MONTH_NONE || last == CSM_MONTH_NONE)
        return CSM_OK; /* no months */
    return grid_covers(s, first, last, err);
}

typedef struct {
    size_t nm, nc;    /* sums and counts a cell */
    size_t n_params;  /* params past these are 0 */
    int keyed;        /* KEYED_* */
    int byseg;        /* KEYED_BY_PARAM: the by_segment param */
    int key32;        /* keys are int32 ids (segments, group codes; the
                       * surveys' never CSM_CODE_ALL) */
    int aged;         /* n_ages may exceed 1 */
    int one_month;    /* lo 0, at most one month, no data months */
    int scale;        /* surveys: n_ages = params[2] - params[1] + 1, the
                       * scale's scores (int32 ends) */
    int finite;       /* the sums are finite (the ledger's CSM_SUM_MAX);
                       * activity's may be NaN (a measure without data) */
    int nonneg;       /* the sums are not negative (activity: sums of
                       * counts >= 0 and of their ratios) */
    /* the family's grid covers the months its finalize reads, as every
     * state its compute makes, and their merges, do (else a table of the
     * range's months by the keys from a few bytes: 8 GB from 2,500) */
    csm_status (*covers)(const struct shape *s, csm_error *err);
} kind_rule;

#define SURVEY_KIND                                                            \
    {.nm = CSM__PARTIAL_SURVEY_NM, .nc = CSM__PARTIAL_SURVEY_NC,               \
     .n_params = 4, .keyed = KEYED_ANY, .key32 = 1, .aged = 1,                 \
     .one_month = 1, .scale = 1}
static const kind_rule kind_rules[] = {
    [CSM_PARTIAL_MOVEMENTS] = {.nm = CSM__PARTIAL_MOVEMENTS_NM,
                               .nc = CSM__PARTIAL_MOVEMENTS_NC, .n_params = 7,
                               .keyed = KEYED_BY_PARAM,
                               .byseg = CSM__PARTIAL_MOVEMENTS_BYSEG,
                               .key32 = 1, .finite = 1,
                               .covers = movements_covers},
    [CSM_PARTIAL_RETENTION] = {.nm = CSM__PARTIAL_RETENTION_NM,
                               .nc = CSM__PARTIAL_RETENTION_NC, .n_params = 5,
                               .keyed = KEYED_BY_PARAM,
                               .byseg = CSM__PARTIAL_RETENTION_BYSEG,
                               .key32 = 1, .finite = 1,
                               .covers = retention_covers},
    [CSM_PARTIAL_COHORTS] = {.nm = CSM__PARTIAL_COHORTS_NM,
                             .nc = CSM__PARTIAL_COHORTS_NC, .n_params = 5,
                             .keyed = KEYED_BY_PARAM,
                             .byseg = CSM__PARTIAL_COHORTS_BYSEG, .key32 = 1,
                             .aged = 1, .finite = 1},
    [CSM_PARTIAL_NPS] = SURVEY_KIND,
    [CSM_PARTIAL_CSAT] = SURVEY_KIND,
    [CSM_PARTIAL_CES] = SURVEY_KIND,
    [CSM_PARTIAL_LIFETIMES] = {.nm = CSM__PARTIAL_LIFETIMES_NM,
                               .nc = CSM__PARTIAL_LIFETIMES_NC, .n_params = 1,
                               .keyed = KEYED_ALWAYS, .key32 = 1, .aged = 1},
    [CSM_PARTIAL_ACTIVITY] = {.nm = CSM__PARTIAL_ACTIVITY_NM,
                              .nc = CSM__PARTIAL_ACTIVITY_NC, .n_params = 8,
                              .keyed = KEYED_ANY, .one_month = 1,
                              .nonneg = 1},
};


#define GRID_MONTHS ((uint64_t)CSM__PARTIAL_MAX_SPAN)

/* The rules of s's family (kind_rules) on s; the fields named "buf.F"
 * (F: the header's field). */
static csm_status check_shape(const shape *s, csm_error *err) {
    const size_t n_kinds = sizeof kind_rules / sizeof *kind_rules;
    if (s->kind <= 0 || (uint64_t)s->kind >= n_kinds)
        return bad(err, "buf.kind", "not a family of partial state");
    const kind_rule *r = &kind_rules[s->kind];
    if (s->nm != r->nm)
        return bad(err, "buf.nm", "not the family's sums a bucket");
    if (s->nc != r->nc)
        return bad(err, "buf.nc", "not the family's counts a bucket");
    if (s->keyed != 0 && s->keyed != 1)
        return bad(err, "buf.keyed", "neither 0 nor 1");
    if ((r->keyed == KEYED_ALWAYS && !s->keyed) ||
        (r->keyed == KEYED_BY_PARAM && s->keyed != (s->params[r->byseg] != 0)))
        return bad(err, "buf.keyed", "contradicts the family's options");
    if (!s->keyed && s->n_keys != 1)
        return bad(err, "buf.n_keys", "not 1 in a state without keys");
    if (s->n_keys > UINT32_MAX)
        return bad(err, "buf.n_keys", "more than 2^32 keys");
    for (size_t i = r->n_params; i < CSM__PARTIAL_NPARAMS; i++)
        if (s->params[i] != 0)
            return bad(err, "buf.params", "a parameter the family has not");
    if (s->n_months > GRID_MONTHS || (r->one_month && s->n_months > 1))
        return bad(err, "buf.n_months", "more months than the family has");
    if (s->n_ages < 1 || s->n_ages > GRID_MONTHS || (!r->aged && s->n_ages != 1))
        return bad(err, "buf.n_ages", "not the family's ages a bucket");
    if (r->scale && (s->params[1] < INT32_MIN || s->params[2] > INT32_MAX ||
                     s->params[1] >= s->params[2] ||
                     s->n_ages != (uint64_t)(s->params[2] - s->params[1] + 1)))
        return bad(err, "buf.n_ages", "not the scores of the survey's scale");
    /* (an explicit range of months may lie outside the years 1..9999) */
    if (r->one_month ? s->lo != 0
                     : (int64_t)s->lo + (int64_t)s->n_months - 1 > INT32_MAX)
        return bad(err, "buf.lo", "the grid's months pass the last int32");
    const int none = s->data_first == CSM_MONTH_NONE;
    if (r->one_month ? !none || s->data_last != CSM_MONTH_NONE
                     : none != (s->data_last == CSM_MONTH_NONE) ||
                           (!none && (!csm_month_valid(s->data_first) ||
                                      !csm_month_valid(s->data_last) ||
                                      s->data_first > s->data_last)))
        return bad(err, "buf.data_first", "not the range of the data's months");
    return r->covers ? r->covers(s, err) : CSM_OK;
}

static void shape_of(shape *s, const csm_partial *p) {
    *s = (shape){p->kind,       p->keyed,      p->params,   p->data_first,
                 p->data_last,  p->lo,         p->n_months, p->n_keys,
                 p->n_ages,     p->nm,         p->nc};
}

csm_status csm__partial_call(int has_out, const csm_partial *p, int kind,
                             csm_error *err) {
    csm_error_clear(err);
    if (!has_out || !p)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW,
                         has_out ? "partial" : "out", "is NULL");
    if (p->kind != kind)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "partial",
                         "a state of another family");
    shape s;
    shape_of(&s, p);
    return check_shape(&s, err);
}

CSM_API int csm_partial_kind_of(const csm_partial *p) { return p ? p->kind : 0; }

/* Add the cells of src into dst, whose months, keys and ages contain
 * src's (kmap[k] = dst's index of src's key k); with check, only see
 * whether a count would pass CSM__PARTIAL_COUNT_MAX or a sum be infinite
 * (then 0, dst unchanged).  1 when added (or addable). */
static int add_buckets(csm_partial *dst, const csm_partial *src,
                       const size_t *kmap, int check) {
    for (size_t t = 0; t < src->n_months; t++) {
        int32_t mon = src->lo + (int32_t)t;
        for (size_t k = 0; k < src->n_keys; k++) {
            size_t sb = (t * src->n_keys + k) * src->n_ages;
            size_t db = csm__partial_bucket(dst, mon, kmap ? kmap[k] : k);
            for (size_t i = 0; i < src->nc * src->n_ages; i++) {
                int64_t *d = &dst->c[db * dst->nc + i];
                const int64_t v = src->c[sb * src->nc + i];
                if (!check)
                    *d += v;
                else if (*d > CSM__PARTIAL_COUNT_MAX - v)
                    return 0;
            }
            for (size_t i = 0; i < src->nm * src->n_ages; i++) {
                csm__ksum *d = &dst->m[db * dst->nm + i];
                const csm__ksum *v = &src->m[sb * src->nm + i];
                if (!check)
                    csm__ksum_merge(d, v);
                else if (kind_rules[dst->kind].finite &&
                         (!isfinite(d->s + v->s) || !isfinite(d->c + v->c)))
                    return 0;
            }
        }
    }
    return 1;
}

/* The indexes in the sorted union u (n_u ids) of the sorted ids ids[0..n). */
static void key_map(size_t *map, const int64_t *ids, size_t n,
                    const int64_t *u, size_t n_u) {
    size_t j = 0;
    for (size_t k = 0; k < n; k++) {
        while (j < n_u && u[j] < ids[k])
            j++;
        map[k] = j;
    }
}

static csm_status too_many(csm_error *err) {
    return csm__fail(err, CSM_ERANGE, CSM_NO_ROW, "from",
                     "a merged count would pass 2^40, or a sum be infinite");
}

static int32_t min_month(int32_t a, int32_t b) {
    return a == CSM_MONTH_NONE ? b : b == CSM_MONTH_NONE ? a : a < b ? a : b;
}
static int32_t max_month(int32_t a, int32_t b) {
    return a == CSM_MONTH_NONE ? b : b == CSM_MONTH_NONE ? a : a > b ? a : b;
}

CSM_API csm_status csm_partial_merge(csm_partial *into, const csm_partial *from,
                                     csm_error *err) {
    csm_error_clear(err);
    if (!into || !from)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, into ? "from" : "into",
                         "is NULL");
    if (into == from)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "from",
                         "is the state merged into");
    if (into->kind != from->kind || into->nm != from->nm ||
        into->nc != from->nc)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "kind",
                         "the states are of different families");
    if (memcmp(into->params, from->params, sizeof into->params) != 0 ||
        into->keyed != from->keyed)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "opts",
                         "the states were computed with different options");
    const int same_keys =
        into->n_keys == from->n_keys &&
        (!into->keyed || !into->n_keys ||
         memcmp(into->keys, from->keys, into->n_keys * sizeof *into->keys) == 0);
    /* one past the grids' last months (up to INT32_MAX + 1) */
    const int64_t f_hi = (int64_t)from->lo + (int64_t)from->n_months;
    const int64_t i_hi = (int64_t)into->lo + (int64_t)into->n_months;
    if (from->n_months == 0 && same_keys) {
        /* nothing to add (a state of no months) */
    } else if (same_keys && into->n_months && from->lo >= into->lo &&
               f_hi <= i_hi && from->n_ages <= into->n_ages) {
        if (!add_buckets(into, from, NULL, 1))
            return too_many(err);
        add_buckets(into, from, NULL, 0); /* in place: no allocation */
    } else {
        /* a grid over the union of the months and of the keys */
        const csm_allocator *a = csm__partial_allocator(into);
        int32_t lo = into->n_months == 0 ? from->lo
                     : from->n_months == 0 ? into->lo
                     : into->lo < from->lo ? into->lo : from->lo;
        int64_t hi = into->n_months == 0 ? f_hi
                     : from->n_months == 0 ? i_hi
                     : i_hi > f_hi ? i_hi : f_hi;
        if ((uint64_t)(hi - lo) > GRID_MONTHS)
            return csm__fail(err, CSM_ERANGE, CSM_NO_ROW, "from",
                             "the merged months would span over 20,000 "
                             "years");
        size_t nk = into->n_keys;
        int64_t *u = NULL;
        size_t *mi = NULL, *mf = NULL;
        csm_partial *g = NULL;
        if (into->keyed) {
            u = csm__alloc_array(a, into->n_keys + from->n_keys + 1, sizeof *u);
            mi = csm__alloc_array(a, into->n_keys + 1, sizeof *mi);
            mf = csm__alloc_array(a, from->n_keys + 1, sizeof *mf);
            if (!u || !mi || !mf)
                goto oom;
            size_t i = 0, j = 0;
            nk = 0;
            while (i < into->n_keys || j < from->n_keys) {
                int64_t v;
                if (j == from->n_keys ||
                    (i < into->n_keys && into->keys[i] <= from->keys[j]))
                    v = into->keys[i];
                else
                    v = from->keys[j];
                if (i < into->n_keys && into->keys[i] == v)
                    i++;
                if (j < from->n_keys && from->keys[j] == v)
                    j++;
                u[nk++] = v;
            }
            key_map(mi, into->keys, into->n_keys, u, nk);
            key_map(mf, from->keys, from->n_keys, u, nk);
        }
        g = csm__partial_new_wide(
            a, into->kind, into->keyed, u, nk, lo, (size_t)((int64_t)hi - lo),
            into->n_ages > from->n_ages ? into->n_ages : from->n_ages,
            into->nm, into->nc);
        if (!g)
            goto oom;
        add_buckets(g, into, mi, 0);
        if (!add_buckets(g, from, mf, 1)) {
            csm_partial_free(g);
            csm__free(a, u);
            csm__free(a, mi);
            csm__free(a, mf);
            return too_many(err);
        }
        add_buckets(g, from, mf, 0);
        /* into takes over g's arrays; g (with into's old ones) is freed */
        int64_t *tk = into->keys;
        csm__ksum *tm = into->m;
        int64_t *tc = into->c;
        into->keys = g->keys;
        into->m = g->m;
        into->c = g->c;
        into->lo = g->lo;
        into->n_months = g->n_months;
        into->n_keys = g->n_keys;
        into->n_ages = g->n_ages;
        g->keys = tk;
        g->m = tm;
        g->c = tc;
        csm_partial_free(g);
        csm__free(a, u);
        csm__free(a, mi);
        csm__free(a, mf);
        goto done;
    oom:
        csm__free(a, u);
        csm__free(a, mi);
        csm__free(a, mf);
        return csm__fail(err, CSM_ENOMEM, CSM_NO_ROW, NULL, NULL);
    }
done:
    into->data_first = min_month(into->data_first, from->data_first);
    into->data_last = max_month(into->data_last, from->data_last);
    return CSM_OK;
}

/* ---- bytes ------------------------------------------------------------- */
/* Layout (native byte order): the header below, then keys (int64 x
 * n_keys, keyed only), sums (2 doubles a sum: value, error term) and
 * counts (int64). */
#define PARTIAL_MAGIC 0x504d5343u /* "CSMP" read as a little-endian word */
#define PARTIAL_VERSION 3u /* 2: n_ages; 3: int64 keys */

typedef struct {
    uint32_t magic, version;
    int32_t kind, keyed;
    int64_t params[CSM__PARTIAL_NPARAMS];
    int32_t data_first, data_last, lo, pad;
    uint64_t n_months, n_keys, n_ages, nm, nc;
} header;

static size_t n_buckets(const csm_partial *p) {
    return p->n_months * p->n_keys * p->n_ages;
}

static size_t body_size(const csm_partial *p) {
    size_t nb = n_buckets(p);
    return (p->keyed ? p->n_keys * sizeof(int64_t) : 0) +
           nb * p->nm * sizeof(csm__ksum) + nb * p->nc * sizeof(int64_t);
}

CSM_API size_t csm_partial_serialized_size(const csm_partial *p) {
    return p ? sizeof(header) + body_size(p) : 0;
}

CSM_API csm_status csm_partial_serialize(void *buf, size_t cap,
                                         size_t *written,
                                         const csm_partial *p,
                                         csm_error *err) {
    csm_error_clear(err);
    if (written)
        *written = 0;
    if (!buf || !p)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, p ? "buf" : "partial",
                         "is NULL");
    size_t need = csm_partial_serialized_size(p);
    if (cap < need)
        return csm__fail(err, CSM_ERANGE, CSM_NO_ROW, "cap",
                         "smaller than csm_partial_serialized_size");
    header h;
    memset(&h, 0, sizeof h);
    h.magic = PARTIAL_MAGIC;
    h.version = PARTIAL_VERSION;
    h.kind = p->kind;
    h.keyed = p->keyed;
    memcpy(h.params, p->params, sizeof h.params);
    h.data_first = p->data_first;
    h.data_last = p->data_last;
    h.lo = p->lo;
    h.n_months = p->n_months;
    h.n_keys = p->n_keys;
    h.n_ages = p->n_ages;
    h.nm = p->nm;
    h.nc = p->nc;
    unsigned char *o = buf;
    memcpy(o, &h, sizeof h);
    o += sizeof h;
    size_t nb = n_buckets(p);
    if (p->keyed && p->n_keys) {
        memcpy(o, p->keys, p->n_keys * sizeof *p->keys);
        o += p->n_keys * sizeof *p->keys;
    }
    if (nb && p->nm) {
        memcpy(o, p->m, nb * p->nm * sizeof *p->m);
        o += nb * p->nm * sizeof *p->m;
    }
    if (nb && p->nc)
        memcpy(o, p->c, nb * p->nc * sizeof *p->c);
    if (written)
        *written = need;
    return CSM_OK;
}

CSM_API csm_status csm_partial_deserialize(csm_partial **out, const void *buf,
                                           size_t len,
                                           const csm_allocator *a,
                                           csm_error *err) {
    csm_error_clear(err);
    if (out)
        *out = NULL;
    if (!out || !buf)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, out ? "buf" : "out",
                         "is NULL");
    header h;
    if (len < sizeof h)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "buf", "truncated");
    memcpy(&h, buf, sizeof h);
    if (h.magic != PARTIAL_MAGIC || h.version != PARTIAL_VERSION)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "buf",
                         "not a partial state of this format and byte order");
    if (h.pad != 0)
        return bad(err, "buf.pad", "not 0");
    const shape s = {h.kind,      h.keyed,    h.params,   h.data_first,
                     h.data_last, h.lo,       h.n_months, h.n_keys,
                     h.n_ages,    h.nm,       h.nc};
    csm_status st = check_shape(&s, err);
    if (st != CSM_OK)
        return st;
    const size_t nm = h.nm, nc = h.nc;
    const int key32 = kind_rules[h.kind].key32;
    /* the size the header announces, without overflow: n_keys < 2^32 and
     * n_months, n_ages < 2^18, so n_months x n_keys < 2^50; the cells are
     * compared stepwise with len (< 2^64) before a product could wrap */
    uint64_t nb = h.n_months * h.n_keys;
    uint64_t rest = len - sizeof h;
    uint64_t kbytes = h.keyed ? h.n_keys * sizeof(int64_t) : 0;
    if (nb > rest || (nb && h.n_ages > rest / nb))
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "buf",
                         "truncated or of the wrong length");
    nb *= h.n_ages;
    if (nb > rest || kbytes > rest ||
        nb * (nm * sizeof(csm__ksum) + nc * sizeof(int64_t)) != rest - kbytes)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "buf",
                         "truncated or of the wrong length");
    const unsigned char *in = (const unsigned char *)buf + sizeof h;
    const int64_t *keys = (const int64_t *)NULL;
    int64_t *kcopy = NULL;
    if (h.keyed && h.n_keys) {
        kcopy = csm__alloc_array(a, h.n_keys, sizeof *kcopy);
        if (!kcopy)
            return csm__fail(err, CSM_ENOMEM, CSM_NO_ROW, NULL, NULL);
        memcpy(kcopy, in, h.n_keys * sizeof *kcopy);
        in += h.n_keys * sizeof *kcopy;
        for (size_t k = 0; k < h.n_keys; k++)
            if ((k && kcopy[k - 1] >= kcopy[k]) ||
                (key32 && (kcopy[k] < INT32_MIN || kcopy[k] > INT32_MAX)) ||
                (kind_rules[h.kind].scale && kcopy[k] == CSM_CODE_ALL)) {
                const int order = k && kcopy[k - 1] >= kcopy[k];
                csm__free(a, kcopy);
                return bad(err, "buf.keys",
                           order ? "keys not ascending"
                                 : "a key outside the family's ids");
            }
        keys = kcopy;
    }
    csm_partial *p = csm__partial_new_wide(a, h.kind, h.keyed, keys, h.n_keys,
                                           h.lo, h.n_months, h.n_ages, nm, nc);
    csm__free(a, kcopy);
    if (!p)
        return csm__fail(err, CSM_ENOMEM, CSM_NO_ROW, NULL, NULL);
    memcpy(p->params, h.params, sizeof h.params);
    p->data_first = h.data_first;
    p->data_last = h.data_last;
    if (nb && nm) {
        memcpy(p->m, in, nb * nm * sizeof *p->m);
        in += nb * nm * sizeof *p->m;
        const kind_rule *r = &kind_rules[h.kind];
        for (size_t i = 0; i < nb * nm; i++) {
            const csm__ksum *k = &p->m[i];
            if ((r->finite && (!isfinite(k->s) || !isfinite(k->c))) ||
                (r->nonneg && (k->s < 0 || k->s + k->c < 0))) {
                csm_partial_free(p);
                return bad(err, "buf.sums", r->finite
                                                ? "a sum that is not finite"
                                                : "a sum below 0");
            }
        }
    }
    if (nb && nc) {
        memcpy(p->c, in, nb * nc * sizeof *p->c);
        for (size_t i = 0; i < nb * nc; i++)
            if (p->c[i] < 0 || p->c[i] > CSM__PARTIAL_COUNT_MAX) {
                csm_partial_free(p);
                return bad(err, "buf.counts",
                           "a count below 0 or above 2^40");
            }
    }
    *out = p;
    return CSM_OK;
}
