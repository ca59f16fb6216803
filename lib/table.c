/* table.c - result tables: the one-block allocation every family's result
 * lives in, the descriptor accessors, and the Arrow C Data Interface
 * export (csmetrics/table.h, docs/tables.md). */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "csmetrics/table.h"
#include "internal/table.h"
#include "internal/util.h"

#define RESULT_MAGIC 0x43534d52u /* "CSMR" */
#define ALIGN 16u

/* ---- names -------------------------------------------------------------- */
CSM_API const char *csm_type_name(csm_type type) {
    switch (type) {
    case CSM_TYPE_MONTH: return "month";
    case CSM_TYPE_DAY: return "day";
    case CSM_TYPE_ID: return "id";
    case CSM_TYPE_CODE: return "code";
    case CSM_TYPE_COUNT: return "count";
    case CSM_TYPE_MONEY: return "money";
    case CSM_TYPE_FRACTION: return "fraction";
    case CSM_TYPE_NUMBER: return "number";
    case CSM_TYPE_FLAGS: return "flags";
    case CSM_TYPE_BOOL: return "bool";
    case CSM_TYPE_TEXT: return "text";
    }
    return "unknown";
}

CSM_API const char *csm_storage_name(csm_storage storage) {
    switch (storage) {
    case CSM_STORAGE_I32: return "i32";
    case CSM_STORAGE_I64: return "i64";
    case CSM_STORAGE_U32: return "u32";
    case CSM_STORAGE_F64: return "f64";
    case CSM_STORAGE_U8: return "u8";
    case CSM_STORAGE_STR: return "str";
    }
    return "unknown";
}

CSM_API const char *csm_role_name(csm_role role) {
    switch (role) {
    case CSM_ROLE_KEY: return "key";
    case CSM_ROLE_MAIN: return "main";
    case CSM_ROLE_DETAIL: return "detail";
    }
    return "unknown";
}

CSM_API size_t csm_storage_size(csm_storage storage) {
    switch (storage) {
    case CSM_STORAGE_I32: return sizeof(int32_t);
    case CSM_STORAGE_I64: return sizeof(int64_t);
    case CSM_STORAGE_U32: return sizeof(uint32_t);
    case CSM_STORAGE_F64: return sizeof(double);
    case CSM_STORAGE_U8: return sizeof(uint8_t);
    case CSM_STORAGE_STR: return sizeof(const char *);
    }
    return 0;
}

CSM_API int32_t csm_code_all(void) { return CSM_CODE_ALL; }

/* ---- the block ------------------------------------------------------------ */
/* *acc += round_up(n * size, ALIGN); 0 on overflow. */
static int grow(size_t *acc, size_t n, size_t size) {
    if (size != 0 && n > SIZE_MAX / size)
        return 0;
    size_t b = n * size;
    if (b > SIZE_MAX - (ALIGN - 1))
        return 0;
    b = (b + ALIGN - 1) & ~(size_t)(ALIGN - 1);
    if (*acc > SIZE_MAX - b)
        return 0;
    *acc += b;
    return 1;
}

/* Hand out the next n * size bytes of the block at *pos. */
static void *take(char *base, size_t *pos, size_t n, size_t size) {
    void *p = base + *pos;
    grow(pos, n, size); /* cannot overflow: the total was checked */
    return p;
}

void *csm__result_new(const csm_allocator *a, const char *kind,
                      size_t view_size, const csm__tabspec *tabs,
                      size_t n_tabs, const csm__extra *extra, size_t n_extra,
                      size_t text_bytes) {
    size_t total = 0, n_cols = 0;
    int ok = grow(&total, 1, sizeof(csm_result)) &&
             grow(&total, 1, view_size) &&
             grow(&total, n_tabs, sizeof(csm_table));
    for (size_t t = 0; ok && t < n_tabs; t++) {
        n_cols += tabs[t].n_cols;
        for (size_t c = 0; ok && c < tabs[t].n_cols; c++)
            ok = grow(&total, tabs[t].n_rows,
                      csm_storage_size(tabs[t].cols[c].storage));
    }
    ok = ok && grow(&total, n_cols, sizeof(csm_column));
    for (size_t e = 0; ok && e < n_extra; e++)
        ok = grow(&total, extra[e].n, extra[e].elem);
    ok = ok && grow(&total, text_bytes, 1);
    if (!ok)
        return NULL;
    char *base = csm__alloc(a, total);
    if (!base)
        return NULL;
    memset(base, 0, total);
    size_t pos = 0;
    csm_result *r = take(base, &pos, 1, sizeof *r);
    r->magic = RESULT_MAGIC;
    atomic_init(&r->refs, 1);
    r->has_alloc = a != NULL;
    if (a)
        r->alloc = *a;
    r->kind = kind;
    r->view = take(base, &pos, 1, view_size);
    *(csm_result **)r->view = r;
    r->n_tables = n_tabs;
    r->tables = take(base, &pos, n_tabs, sizeof(csm_table));
    csm_column *cols = take(base, &pos, n_cols, sizeof(csm_column));
    for (size_t t = 0; t < n_tabs; t++) {
        csm_table *tb = &r->tables[t];
        tb->name = tabs[t].name;
        tb->n_rows = tabs[t].n_rows;
        tb->n_columns = tabs[t].n_cols;
        tb->columns = cols;
        for (size_t c = 0; c < tabs[t].n_cols; c++) {
            const csm__coldef *d = &tabs[t].cols[c];
            void *data = take(base, &pos, tabs[t].n_rows,
                              csm_storage_size(d->storage));
            cols[c].name = d->name;
            cols[c].doc = d->doc;
            cols[c].type = d->type;
            cols[c].storage = d->storage;
            cols[c].role = d->role;
            cols[c].null_label =
                d->type == CSM_TYPE_CODE ? CSM_CODE_ALL_LABEL : NULL;
            cols[c].data = data;
            memcpy((char *)r->view + d->offset, &data, sizeof data);
        }
        cols += tabs[t].n_cols;
    }
    for (size_t e = 0; e < n_extra; e++) {
        void *data = take(base, &pos, extra[e].n, extra[e].elem);
        memcpy((char *)r->view + extra[e].offset, &data, sizeof data);
    }
    r->text = take(base, &pos, text_bytes, 1);
    r->text_cap = text_bytes;
    return r->view;
}

void *csm__result_from_structs(const csm_allocator *a, const char *kind,
                               size_t view_size, const char *table,
                               const csm__coldef *cols,
                               const size_t *field_offset, size_t n_cols,
                               const void *rows, size_t n, size_t stride) {
    csm__tabspec spec = {table, cols, n_cols, n};
    void *view = csm__result_new(a, kind, view_size, &spec, 1, NULL, 0, 0);
    if (!view)
        return NULL;
    memcpy((char *)view + sizeof(csm_result *), &n, sizeof n);
    const csm_table *t = &csm__result_of(view)->tables[0];
    for (size_t c = 0; c < n_cols; c++) {
        if (field_offset[c] == CSM__NO_FIELD)
            continue;
        size_t w = csm_storage_size(cols[c].storage);
        char *dst = (char *)t->columns[c].data;
        for (size_t i = 0; i < n; i++)
            memcpy(dst + i * w,
                   (const char *)rows + i * stride + field_offset[c], w);
    }
    return view;
}

CSM__DEFINE_OPTS_INIT(csm_result_opts_init, csm_result_opts, CSM_RESULT_OPTS_INIT)

csm_status csm__result_opts_load(const csm_result_opts *opts,
                                 const csm_allocator **a, csm_error *err) {
    csm_result_opts o = CSM_RESULT_OPTS_INIT;
    csm_status st = csm__opts_load(&o, sizeof o, opts, err);
    if (st == CSM_OK)
        st = csm__alloc_check(o.allocator, "opts.allocator", err);
    *a = st == CSM_OK ? o.allocator : NULL;
    return st;
}

csm_status csm__keyed_table(void **out, const csm_result_opts *opts,
                            const char *kind, size_t view_size,
                            const csm__coldef *cols,
                            const size_t *field_offset, size_t n_cols,
                            const void *rows, size_t stride,
                            const int32_t *group, size_t n, csm_error *err) {
    csm_error_clear(err);
    if (!out)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "out", "is NULL");
    *out = NULL;
    const csm_allocator *a = NULL;
    csm_status st = csm__result_opts_load(opts, &a, err);
    if (st != CSM_OK)
        return st;
    if (!rows && n > 0)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "rows", "is NULL");
    if (!group && n > (size_t)INT32_MAX)
        return csm__fail(err, CSM_ERANGE, CSM_NO_ROW, "group",
                         "more rows than int32 row numbers: pass group codes");
    void *view = csm__result_from_structs(a, kind, view_size, kind, cols,
                                          field_offset, n_cols, rows, n,
                                          stride);
    if (!view)
        return csm__fail(err, CSM_ENOMEM, CSM_NO_ROW, NULL, NULL);
    int32_t *key = (int32_t *)csm__result_of(view)->tables[0].columns[0].data;
    for (size_t i = 0; i < n; i++)
        key[i] = group ? group[i] : (int32_t)i;
    *out = view;
    return CSM_OK;
}

void csm__result_set_rows(void *view, size_t table, size_t n) {
    csm_result *r = csm__result_of(view);
    if (table < r->n_tables && n <= r->tables[table].n_rows)
        r->tables[table].n_rows = n;
}

const char *csm__result_text(void *view, const char *s) {
    csm_result *r = csm__result_of(view);
    size_t len = strlen(s) + 1;
    if (len > r->text_cap - r->text_used)
        return NULL;
    char *d = r->text + r->text_used;
    memcpy(d, s, len);
    r->text_used += len;
    return d;
}

static const csm_allocator *result_alloc(const csm_result *r) {
    return r->has_alloc ? &r->alloc : NULL;
}

static void result_ref(csm_result *r) {
    atomic_fetch_add_explicit(&r->refs, 1, memory_order_relaxed);
}

static void result_unref(csm_result *r) {
    if (atomic_fetch_sub_explicit(&r->refs, 1, memory_order_acq_rel) != 1)
        return;
    /* copy the allocator out: it lives in the block being freed */
    csm_allocator tmp = r->alloc;
    int has = r->has_alloc;
    r->magic = 0;
    csm__free(has ? &tmp : NULL, r);
}

CSM_API csm_result *csm_result_ref(csm_result *r) {
    if (r)
        result_ref(r);
    return r;
}

CSM_API void csm_result_free(csm_result *r) {
    if (r)
        result_unref(r);
}

/* ---- accessors ------------------------------------------------------------- */
CSM_API size_t csm_result_n_tables(const csm_result *r) {
    return r ? r->n_tables : 0;
}

void csm__column_set_null_label(csm_result *r, size_t table,
                                const char *column, const char *label) {
    if (!r || table >= r->n_tables)
        return;
    csm_table *t = &r->tables[table];
    for (size_t c = 0; c < t->n_columns; c++)
        if (strcmp(t->columns[c].name, column) == 0)
            ((csm_column *)t->columns)[c].null_label = label;
}

CSM_API const csm_table *csm_result_table(const csm_result *r, size_t i) {
    return r && i < r->n_tables ? &r->tables[i] : NULL;
}

CSM_API const csm_table *csm_result_find(const csm_result *r,
                                         const char *name) {
    if (!r || !name)
        return NULL;
    for (size_t i = 0; i < r->n_tables; i++)
        if (strcmp(r->tables[i].name, name) == 0)
            return &r->tables[i];
    return NULL;
}

CSM_API const char *csm_result_kind(const csm_result *r) {
    return r ? r->kind : NULL;
}

CSM_API const void *csm_result_view(const csm_result *r) {
    return r ? r->view : NULL;
}

CSM_API const csm_column *csm_table_find(const csm_table *t,
                                         const char *name) {
    if (!t || !name)
        return NULL;
    for (size_t i = 0; i < t->n_columns; i++)
        if (strcmp(t->columns[i].name, name) == 0)
            return &t->columns[i];
    return NULL;
}

/* Days since 1970-01-01 of the first day of month index m, or INT64_MIN
 * when it does not fit date32 (csm__month_first_day, in int64). */
static int64_t month_first_day(int32_t m) {
    int64_t d = csm__month_first_day(m);
    return m != INT32_MIN && d >= INT32_MIN && d <= INT32_MAX ? d : INT64_MIN;
}

/* Whether value `row` of column c is defined (table.h, "Undefined
 * values"); row must be in range. */
static int is_valid(const csm_column *c, size_t row) {
    switch (c->storage) {
    case CSM_STORAGE_F64:
        return !isnan(((const double *)c->data)[row]);
    case CSM_STORAGE_I32:
        if (c->type == CSM_TYPE_CODE)
            return ((const int32_t *)c->data)[row] != INT32_MIN;
        if (c->type == CSM_TYPE_MONTH) /* a month whose first day is a date */
            return month_first_day(((const int32_t *)c->data)[row]) !=
                   INT64_MIN;
        if (c->type == CSM_TYPE_DAY)
            return ((const int32_t *)c->data)[row] != INT32_MIN;
        return 1;
    case CSM_STORAGE_STR:
        return ((const char *const *)c->data)[row] != NULL;
    default:
        return 1;
    }
}

/* Bound check shared by the typed getters: the table is not at hand, so
 * the column's data is trusted to have `row` (documented). */
CSM_API int csm_column_is_valid(const csm_column *c, size_t row) {
    return c && c->data ? is_valid(c, row) : 0;
}

CSM_API double csm_column_double(const csm_column *c, size_t row) {
    if (!c || !c->data || !is_valid(c, row))
        return NAN;
    switch (c->storage) {
    case CSM_STORAGE_I32: return ((const int32_t *)c->data)[row];
    case CSM_STORAGE_I64: return (double)((const int64_t *)c->data)[row];
    case CSM_STORAGE_U32: return ((const uint32_t *)c->data)[row];
    case CSM_STORAGE_F64: return ((const double *)c->data)[row];
    case CSM_STORAGE_U8: return ((const uint8_t *)c->data)[row];
    default: return NAN;
    }
}

CSM_API int64_t csm_column_int64(const csm_column *c, size_t row) {
    if (!c || !c->data || !is_valid(c, row))
        return 0;
    switch (c->storage) {
    case CSM_STORAGE_I32: return ((const int32_t *)c->data)[row];
    case CSM_STORAGE_I64: return ((const int64_t *)c->data)[row];
    case CSM_STORAGE_U32: return ((const uint32_t *)c->data)[row];
    case CSM_STORAGE_U8: return ((const uint8_t *)c->data)[row];
    case CSM_STORAGE_F64: {
        double v = ((const double *)c->data)[row];
        if (!(v > -9.2e18 && v < 9.2e18))
            return 0;
        return (int64_t)v;
    }
    default: return 0;
    }
}

/* ---- Arrow export ---------------------------------------------------------- */
static const char *arrow_format(const csm_column *c) {
    switch (c->storage) {
    case CSM_STORAGE_I32:
        return c->type == CSM_TYPE_MONTH || c->type == CSM_TYPE_DAY ? "tdD"
                                                                     : "i";
    case CSM_STORAGE_I64: return "l";
    case CSM_STORAGE_U32: return "I";
    case CSM_STORAGE_F64: return "g";
    case CSM_STORAGE_U8: return c->type == CSM_TYPE_BOOL ? "b" : "C";
    case CSM_STORAGE_STR: return "u";
    }
    return NULL;
}

/* Every exported child array: its buffers and the reference it holds. */
typedef struct child_priv {
    csm_result *r;
    const void *buffers[3];
} child_priv;

static void child_release(struct ArrowArray *a) {
    if (!a || !a->release)
        return;
    child_priv *p = a->private_data;
    csm_result *r = p->r;
    const csm_allocator *al = result_alloc(r);
    csm__free(al, p); /* the converted buffers live in the same allocation */
    a->release = NULL;
    result_unref(r);
}

/* Export one column as a child array (holding one reference to r). */
static csm_status export_column(struct ArrowArray *out, csm_result *r,
                                const csm_column *c, size_t n) {
    const csm_allocator *al = result_alloc(r);
    size_t nulls = 0;
    for (size_t i = 0; i < n; i++)
        nulls += !is_valid(c, i);
    int month = c->storage == CSM_STORAGE_I32 && c->type == CSM_TYPE_MONTH;
    int boolean = c->storage == CSM_STORAGE_U8 && c->type == CSM_TYPE_BOOL;
    int text = c->storage == CSM_STORAGE_STR;
    size_t bits = (n + 7) / 8;
    size_t bytes = 0;
    if (text)
        for (size_t i = 0; i < n; i++) {
            const char *s = ((const char *const *)c->data)[i];
            bytes += s ? strlen(s) : 0;
        }
    if (text && bytes > INT32_MAX)
        return CSM_ERANGE;
    /* one allocation: the header, then validity, then a converted buffer */
    size_t size = 0;
    int ok = grow(&size, 1, sizeof(child_priv));
    size_t off_valid = size;
    ok = ok && grow(&size, nulls ? bits : 0, 1);
    size_t off_data = size;
    if (month)
        ok = ok && grow(&size, n, sizeof(int32_t));
    else if (boolean)
        ok = ok && grow(&size, bits, 1);
    else if (text)
        ok = ok && grow(&size, n + 1, sizeof(int32_t));
    size_t off_bytes = size;
    ok = ok && grow(&size, text ? bytes : 0, 1);
    if (!ok)
        return CSM_ENOMEM;
    char *blk = csm__alloc(al, size);
    if (!blk)
        return CSM_ENOMEM;
    memset(blk, 0, size);
    child_priv *p = (child_priv *)blk;
    uint8_t *valid = nulls ? (uint8_t *)(blk + off_valid) : NULL;
    for (size_t i = 0; valid && i < n; i++)
        if (is_valid(c, i))
            valid[i / 8] |= (uint8_t)(1u << (i % 8));
    const void *data = c->data;
    if (month) {
        int32_t *d = (int32_t *)(blk + off_data);
        const int32_t *m = c->data;
        for (size_t i = 0; i < n; i++) { /* undefined months are 0 (null) */
            int64_t day = month_first_day(m[i]);
            d[i] = day == INT64_MIN ? 0 : (int32_t)day;
        }
        data = d;
    } else if (boolean) {
        uint8_t *d = (uint8_t *)(blk + off_data);
        const uint8_t *b = c->data;
        for (size_t i = 0; i < n; i++)
            if (b[i])
                d[i / 8] |= (uint8_t)(1u << (i % 8));
        data = d;
    }
    p->r = r;
    p->buffers[0] = valid;
    p->buffers[1] = data;
    out->length = (int64_t)n;
    out->null_count = (int64_t)nulls;
    out->offset = 0;
    out->n_buffers = 2;
    if (text) {
        int32_t *offs = (int32_t *)(blk + off_data);
        char *chars = blk + off_bytes;
        const char *const *s = c->data;
        int32_t at = 0;
        for (size_t i = 0; i < n; i++) {
            offs[i] = at;
            if (s[i]) {
                size_t l = strlen(s[i]);
                memcpy(chars + at, s[i], l);
                at += (int32_t)l;
            }
        }
        offs[n] = at;
        p->buffers[1] = offs;
        p->buffers[2] = chars;
        out->n_buffers = 3;
    }
    out->n_children = 0;
    out->buffers = p->buffers;
    out->children = NULL;
    out->dictionary = NULL;
    out->release = child_release;
    out->private_data = p;
    result_ref(r);
    return CSM_OK;
}

/* The struct (parent) array: child structs and pointers in one allocation,
 * plus the reference the parent holds. */
typedef struct parent_priv {
    csm_result *r;
    const void *buffers[1];
    struct ArrowArray **ptrs;
    struct ArrowArray *kids;
} parent_priv;

static void parent_release(struct ArrowArray *a) {
    if (!a || !a->release)
        return;
    parent_priv *p = a->private_data;
    for (int64_t i = 0; i < a->n_children; i++)
        if (p->kids[i].release) /* a consumer may have moved it out */
            p->kids[i].release(&p->kids[i]);
    csm_result *r = p->r;
    csm__free(result_alloc(r), p);
    a->release = NULL;
    result_unref(r);
}

static csm_status export_array(struct ArrowArray *out, csm_result *r,
                               const csm_table *t) {
    const csm_allocator *al = result_alloc(r);
    size_t n = t->n_columns, size = 0;
    if (!grow(&size, 1, sizeof(parent_priv)) ||
        !grow(&size, n, sizeof(struct ArrowArray *)) ||
        !grow(&size, n, sizeof(struct ArrowArray)))
        return CSM_ENOMEM;
    char *blk = csm__alloc(al, size);
    if (!blk)
        return CSM_ENOMEM;
    memset(blk, 0, size);
    parent_priv *p = (parent_priv *)blk;
    size_t pos = 0;
    take(blk, &pos, 1, sizeof *p);
    p->ptrs = take(blk, &pos, n, sizeof *p->ptrs);
    p->kids = take(blk, &pos, n, sizeof *p->kids);
    for (size_t i = 0; i < n; i++) {
        p->ptrs[i] = &p->kids[i];
        csm_status st = export_column(&p->kids[i], r, &t->columns[i],
                                      t->n_rows);
        if (st != CSM_OK) {
            for (size_t j = 0; j < i; j++)
                p->kids[j].release(&p->kids[j]);
            csm__free(al, blk);
            return st;
        }
    }
    p->r = r;
    p->buffers[0] = NULL;
    out->length = (int64_t)t->n_rows;
    out->null_count = 0;
    out->offset = 0;
    out->n_buffers = 1;
    out->n_children = (int64_t)n;
    out->buffers = p->buffers;
    out->children = p->ptrs;
    out->dictionary = NULL;
    out->release = parent_release;
    out->private_data = p;
    result_ref(r);
    return CSM_OK;
}

/* Schemas own copies of their names and metadata (no reference to r):
 * each child's in its own allocation, so a consumer may move it out. */
typedef struct schema_priv {
    const csm_allocator *al;
    csm_allocator alloc;
    struct ArrowSchema **ptrs;
    struct ArrowSchema *kids;
} schema_priv;

static void schema_child_release(struct ArrowSchema *s) {
    if (!s || !s->release)
        return;
    schema_priv *p = s->private_data;
    csm__free(p->al, p);
    s->release = NULL;
}

static void schema_release(struct ArrowSchema *s) {
    if (!s || !s->release)
        return;
    schema_priv *p = s->private_data;
    for (int64_t i = 0; i < s->n_children; i++)
        if (p->kids[i].release)
            p->kids[i].release(&p->kids[i]);
    csm__free(p->al, p);
    s->release = NULL;
}

static void put_i32(char *d, size_t len) {
    int32_t v = (int32_t)len;
    memcpy(d, &v, sizeof v);
}

/* Append one (key, value) pair of Arrow metadata at d; returns its end. */
static char *put_pair(char *d, const char *key, const char *val) {
    size_t kl = strlen(key), vl = strlen(val);
    put_i32(d, kl);
    memcpy(d + 4, key, kl);
    put_i32(d + 4 + kl, vl);
    memcpy(d + 8 + kl, val, vl);
    return d + 8 + kl + vl;
}

static csm_status export_schema_column(struct ArrowSchema *out,
                                       const csm_allocator *al,
                                       const csm_column *c) {
    static const char k_type[] = "csm.type", k_role[] = "csm.role";
    const char *tn = csm_type_name(c->type), *rn = csm_role_name(c->role);
    size_t nl = strlen(c->name);
    size_t md_len = 4 + 8 + strlen(k_type) + strlen(tn) + 8 +
                    strlen(k_role) + strlen(rn);
    size_t size = 0;
    if (!grow(&size, 1, sizeof(schema_priv)) || !grow(&size, nl + 1, 1) ||
        !grow(&size, md_len, 1))
        return CSM_ENOMEM;
    char *blk = csm__alloc(al, size);
    if (!blk)
        return CSM_ENOMEM;
    memset(blk, 0, size);
    size_t pos = 0;
    schema_priv *p = take(blk, &pos, 1, sizeof *p);
    if (al) {
        p->alloc = *al;
        p->al = &p->alloc;
    }
    char *name = take(blk, &pos, nl + 1, 1);
    memcpy(name, c->name, nl);
    char *md = blk + pos; /* int32 pairs, then (int32 len, bytes) x 2 each */
    put_i32(md, 2);
    put_pair(put_pair(md + 4, k_type, tn), k_role, rn);
    out->format = arrow_format(c);
    out->name = name;
    out->metadata = md;
    out->flags = ARROW_FLAG_NULLABLE;
    out->n_children = 0;
    out->children = NULL;
    out->dictionary = NULL;
    out->release = schema_child_release;
    out->private_data = p;
    return CSM_OK;
}

static csm_status export_schema(struct ArrowSchema *out, csm_result *r,
                                const csm_table *t) {
    const csm_allocator *al = result_alloc(r);
    size_t n = t->n_columns, size = 0, nl = strlen(t->name);
    if (!grow(&size, 1, sizeof(schema_priv)) ||
        !grow(&size, n, sizeof(struct ArrowSchema *)) ||
        !grow(&size, n, sizeof(struct ArrowSchema)) || !grow(&size, nl + 1, 1))
        return CSM_ENOMEM;
    char *blk = csm__alloc(al, size);
    if (!blk)
        return CSM_ENOMEM;
    memset(blk, 0, size);
    size_t pos = 0;
    schema_priv *p = take(blk, &pos, 1, sizeof *p);
    if (al) {
        p->alloc = *al;
        p->al = &p->alloc;
    }
    p->ptrs = take(blk, &pos, n, sizeof *p->ptrs);
    p->kids = take(blk, &pos, n, sizeof *p->kids);
    char *name = take(blk, &pos, nl + 1, 1);
    memcpy(name, t->name, nl);
    for (size_t i = 0; i < n; i++) {
        p->ptrs[i] = &p->kids[i];
        if (export_schema_column(&p->kids[i], al, &t->columns[i]) != CSM_OK) {
            for (size_t j = 0; j < i; j++)
                p->kids[j].release(&p->kids[j]);
            csm__free(al, blk);
            return CSM_ENOMEM;
        }
    }
    out->format = "+s";
    out->name = name;
    out->metadata = NULL;
    out->flags = 0;
    out->n_children = (int64_t)n;
    out->children = p->ptrs;
    out->dictionary = NULL;
    out->release = schema_release;
    out->private_data = p;
    return CSM_OK;
}

CSM_API csm_status csm_table_export_arrow(struct ArrowSchema *schema,
                                          struct ArrowArray *array,
                                          csm_result *r, const csm_table *t,
                                          csm_error *err) {
    if (!r || r->magic != RESULT_MAGIC)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "result",
                         "not a result made by libcsmetrics");
    if (!t || t < r->tables || t >= r->tables + r->n_tables)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "table",
                         "the table is not one of the result's tables");
    struct ArrowSchema s;
    struct ArrowArray a;
    csm_status st;
    if (schema && (st = export_schema(&s, r, t)) != CSM_OK)
        return csm__fail(err, st, CSM_NO_ROW, NULL, NULL);
    if (array && (st = export_array(&a, r, t)) != CSM_OK) {
        if (schema)
            s.release(&s);
        return csm__fail(err, st, CSM_NO_ROW, NULL,
                         st == CSM_ERANGE ? "text column over 2 GiB" : NULL);
    }
    if (schema)
        *schema = s;
    if (array)
        *array = a;
    csm_error_clear(err);
    return CSM_OK;
}

/* ---- the table "metric" (csm_metric_table) ------------------------------ */
#define METRIC_COL(m, n, ty, st, r, d)                                         \
    CSM__COLDEF(csm_metric_results, m, n, ty, st, r, d)
#define METRIC_OFF(m, n, ty, st, r, d)                                         \
    CSM__FIELD_OFFSET(csm_metric, m, n, ty, st, r, d)
static const csm__coldef metric_cols[] = {
    CSM__GROUP_COLDEF(csm_metric_results) CSM_METRIC_COLUMNS(METRIC_COL)};
static const size_t metric_off[] = {CSM__NO_FIELD, CSM_METRIC_COLUMNS(METRIC_OFF)};

CSM__DEFINE_KEYED_TABLE(csm_metric, csm_metric_results, csm_metric,
                        "metric", metric_cols, metric_off)
