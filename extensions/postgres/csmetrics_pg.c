/* extensions/postgres/csmetrics_pg.c - the csmetrics PostgreSQL extension:
 * libcsmetrics' families as SQL aggregates (csm_nps, csm_nps_ci, csm_csat,
 * csm_ces) and set-returning functions over a ledger given as a query
 * (csm_movements, csm_retention, csm_cohorts, csm_kaplan_meier,
 * csm_renewals, csm_health_score).  A host of the library: it includes only
 * the public headers, computes nothing itself, and turns result tables into
 * rows by iterating their descriptors (pg_columns.h).  docs/postgres.md
 * documents the functions, the memory a call needs and the errors.
 *
 * Memory: each set-returning call works in its own memory context (a child
 * of the call's context): the query's rows are appended to columnar arrays
 * that grow by doubling, ids and labels go into one arena, and the library
 * allocates through a csm_allocator on the same context, so an ERROR (a
 * cancel, a bad row) releases everything with the context. */
#include "postgres.h"

#include <math.h>

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datetime.h"
#include "utils/jsonb.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/numeric.h"
#include "utils/tuplestore.h"

#include "csmetrics/csmetrics.h"
#include "pg_columns.h"

PG_MODULE_MAGIC;

/* Days between 1970-01-01 (csm_day 0) and 2000-01-01 (DateADT 0). */
#define CSM_PG_EPOCH_DAYS (POSTGRES_EPOCH_JDATE - UNIX_EPOCH_JDATE)
/* Rows fetched from the query at a time; interrupts are checked between
 * batches. */
#define FETCH_ROWS 10000

/* ---- errors --------------------------------------------------------- */
static int sqlstate_of(csm_status st) {
    switch (st) {
    case CSM_EDOMAIN:
    case CSM_EINVAL:
    case CSM_ENOTFOUND:
        return ERRCODE_INVALID_PARAMETER_VALUE; /* 22023 */
    case CSM_EPARSE:
        return ERRCODE_INVALID_TEXT_REPRESENTATION; /* 22P02 */
    case CSM_EMISSING:
        return ERRCODE_NULL_VALUE_NOT_ALLOWED; /* 22004 */
    case CSM_ERANGE:
        return ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE; /* 22003 */
    case CSM_EDUP:
        return ERRCODE_UNIQUE_VIOLATION; /* 23505 */
    case CSM_ENOMEM:
        return ERRCODE_OUT_OF_MEMORY; /* 53200 */
    default:
        return ERRCODE_DATA_EXCEPTION; /* 22000 */
    }
}

/* Report a library failure: the library's sentence, and the query row
 * (1-based, as psql numbers rows) when the error names an input row. */
static void pg_noreturn_fail(const char *fn, const csm_error *e)
    pg_attribute_noreturn();
static void pg_noreturn_fail(const char *fn, const csm_error *e) {
    if (e->row != CSM_NO_ROW)
        ereport(ERROR, (errcode(sqlstate_of(e->code)),
                        errmsg("%s: %s", fn, e->text),
                        errdetail("input row %zu of the query", e->row + 1)));
    ereport(ERROR, (errcode(sqlstate_of(e->code)), errmsg("%s: %s", fn,
                                                          e->text)));
}

#define CHECK(fn, call)                                                        \
    do {                                                                       \
        csm_error e_;                                                          \
        if ((call) != CSM_OK)                                                  \
            pg_noreturn_fail(fn, &e_);                                         \
    } while (0)
/* CHECK's calls pass &e_ as their error. */
#define ERR (&e_)

/* ---- the library's allocator on a memory context --------------------- */
/* Blocks are 16-byte aligned (max_align_t), the offset to the context's
 * chunk kept in the byte before the block; NULL on failure, never an
 * ERROR inside the library. */
static void *ctx_alloc(void *ctx, size_t size) {
    if (size > MaxAllocHugeSize - 16)
        return NULL;
    char *raw = MemoryContextAllocExtended((MemoryContext)ctx, size + 16,
                                           MCXT_ALLOC_HUGE | MCXT_ALLOC_NO_OOM);
    if (!raw)
        return NULL;
    size_t pad = 16 - ((uintptr_t)raw & 15);
    raw[pad - 1] = (char)pad;
    return raw + pad;
}

static void ctx_free(void *ctx, void *ptr) {
    (void)ctx;
    if (ptr) {
        char *p = ptr;
        pfree(p - (unsigned char)p[-1]);
    }
}

/* ---- growable columns ------------------------------------------------- */
typedef struct vec {
    void *data;
    size_t n, cap, elem;
} vec;

static void vec_init(vec *v, size_t elem) {
    v->data = NULL;
    v->n = v->cap = 0;
    v->elem = elem;
}

/* Room for one more element; returns its address. */
static void *vec_push(vec *v) {
    if (v->n == v->cap) {
        size_t cap = v->cap ? 2 * v->cap : 1024;
        v->data = v->data ? repalloc_huge(v->data, cap * v->elem)
                          : MemoryContextAllocHuge(CurrentMemoryContext,
                                                   cap * v->elem);
        v->cap = cap;
    }
    return (char *)v->data + v->elem * v->n++;
}

/* Labels: their bytes in an arena of large blocks (never moved), each
 * NUL-terminated; the pointers in a vec. */
typedef struct labels {
    vec ptr; /* const char * per row */
    char *block;
    size_t used, size;
} labels;

static void labels_init(labels *l) {
    vec_init(&l->ptr, sizeof(const char *));
    l->block = NULL;
    l->used = l->size = 0;
}

static void labels_push(labels *l, const char *s, size_t len) {
    if (!l->block || l->size - l->used < len + 1) {
        size_t size = Max((size_t)1 << 20, len + 1);
        l->block = MemoryContextAllocHuge(CurrentMemoryContext, size);
        l->used = 0;
        l->size = size;
    }
    char *d = l->block + l->used;
    memcpy(d, s, len);
    d[len] = '\0';
    l->used += len + 1;
    *(const char **)vec_push(&l->ptr) = d;
}

/* ---- reading a query ---------------------------------------------------- */
typedef enum { IN_LABEL, IN_DATE, IN_FLOAT, IN_INT } in_kind;

typedef struct in_col {
    const char *name; /* for errors */
    in_kind kind;
    int required;     /* 1: the query must have the column */
    int null_ok;      /* 1: NULL allowed (a NaN float, a NULL label) */
    int int_ids;      /* IN_LABEL: an integer column is kept as int64 ids */
    labels lab;       /* IN_LABEL */
    vec v;            /* IN_DATE: int32 csm days; IN_FLOAT: double; IN_INT;
                         IN_LABEL with integer ids: int64 */
    int present;
    int is_int;       /* IN_LABEL read as integer ids into v */
} in_col;

static void type_error(const char *fn, const in_col *c, Oid type) {
    ereport(ERROR, (errcode(ERRCODE_DATATYPE_MISMATCH),
                    errmsg("%s: column %s of the query has type %s", fn,
                           c->name, format_type_be(type)),
                    errhint("cast it to %s",
                            c->kind == IN_LABEL  ? "text"
                            : c->kind == IN_DATE ? "date"
                            : c->kind == IN_INT  ? "integer"
                                                 : "double precision")));
}

static int is_label_type(Oid t) {
    return t == TEXTOID || t == VARCHAROID || t == BPCHAROID || t == NAMEOID ||
           t == INT2OID || t == INT4OID || t == INT8OID;
}

static int is_number_type(Oid t) {
    return t == FLOAT8OID || t == FLOAT4OID || t == INT2OID ||
           t == INT4OID || t == INT8OID || t == NUMERICOID;
}

static double number_of(Datum d, Oid t) {
    switch (t) {
    case FLOAT8OID: return DatumGetFloat8(d);
    case FLOAT4OID: return (double)DatumGetFloat4(d);
    case INT2OID: return (double)DatumGetInt16(d);
    case INT4OID: return (double)DatumGetInt32(d);
    case INT8OID: return (double)DatumGetInt64(d);
    default: /* numeric */
        return DatumGetFloat8(DirectFunctionCall1(numeric_float8_no_overflow, d));
    }
}

static void push_value(const char *fn, in_col *c, Datum d, bool isnull,
                       Oid t, size_t row) {
    if (isnull && !c->null_ok)
        ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
                        errmsg("%s: NULL %s", fn, c->name),
                        errdetail("input row %zu of the query", row + 1)));
    switch (c->kind) {
    case IN_LABEL:
        if (isnull) {
            *(const char **)vec_push(&c->lab.ptr) = NULL;
        } else if (t == INT2OID || t == INT4OID || t == INT8OID) {
            int64 x = t == INT8OID ? DatumGetInt64(d)
                      : t == INT4OID ? DatumGetInt32(d) : DatumGetInt16(d);
            if (c->is_int) {
                *(int64_t *)vec_push(&c->v) = x;
                break;
            }
            char buf[32];
            int len = snprintf(buf, sizeof buf, INT64_FORMAT, x);
            labels_push(&c->lab, buf, (size_t)len);
        } else if (t == NAMEOID) {
            const char *s = NameStr(*DatumGetName(d));
            labels_push(&c->lab, s, strlen(s));
        } else {
            struct varlena *p = pg_detoast_datum_packed((struct varlena *)
                                                            DatumGetPointer(d));
            size_t len = VARSIZE_ANY_EXHDR(p);
            const char *s = VARDATA_ANY(p);
            if (t == BPCHAROID) /* char(n): trailing blanks are padding */
                while (len > 0 && s[len - 1] == ' ')
                    len--;
            labels_push(&c->lab, s, len);
            if ((Pointer)p != DatumGetPointer(d))
                pfree(p);
        }
        break;
    case IN_DATE: {
        DateADT dt = DatumGetDateADT(d);
        if (DATE_NOT_FINITE(dt))
            ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                            errmsg("%s: %s is infinite", fn, c->name),
                            errdetail("input row %zu of the query", row + 1)));
        *(int32_t *)vec_push(&c->v) = (int32_t)(dt + CSM_PG_EPOCH_DAYS);
        break;
    }
    case IN_FLOAT:
        *(double *)vec_push(&c->v) = isnull ? NAN : number_of(d, t);
        break;
    case IN_INT:
        *(int32_t *)vec_push(&c->v) = isnull ? 0 : DatumGetInt32(d);
        break;
    }
}

/* Run `query` and append its rows to cols (matched by position: column j of
 * the query is cols[j]; the optional ones may be absent).  The query's
 * rows are fetched FETCH_ROWS at a time through a cursor, with interrupts
 * checked between batches.  Returns the number of rows. */
static size_t read_query(const char *fn, const char *query, in_col *cols,
                         int ncols, int *nquery_cols, TupleDesc *desc_out) {
    MemoryContext work = CurrentMemoryContext;
    for (int j = 0; j < ncols; j++) {
        cols[j].present = 0;
        labels_init(&cols[j].lab);
        vec_init(&cols[j].v, cols[j].kind == IN_FLOAT  ? sizeof(double)
                             : cols[j].kind == IN_LABEL ? sizeof(int64_t)
                                                        : sizeof(int32_t));
        cols[j].is_int = 0;
    }
    if (SPI_connect() != SPI_OK_CONNECT)
        elog(ERROR, "%s: SPI_connect failed", fn);
    SPIPlanPtr plan = SPI_prepare(query, 0, NULL);
    if (!plan)
        ereport(ERROR, (errcode(ERRCODE_SYNTAX_ERROR),
                        errmsg("%s: the query does not prepare: %s", fn,
                               SPI_result_code_string(SPI_result))));
    Portal portal = SPI_cursor_open(NULL, plan, NULL, NULL, true);
    size_t n = 0;
    Oid types[64];
    int nq = 0;
    for (;;) {
        CHECK_FOR_INTERRUPTS();
        SPI_cursor_fetch(portal, true, FETCH_ROWS);
        SPITupleTable *tt = SPI_tuptable;
        if (n == 0) { /* the first batch (even empty) carries the desc */
            TupleDesc td = tt->tupdesc;
            nq = td->natts;
            int need = 0;
            for (int j = 0; j < ncols; j++)
                need += cols[j].required;
            if (nq < need || (nquery_cols == NULL && nq > ncols))
                ereport(ERROR, (errcode(ERRCODE_DATATYPE_MISMATCH),
                                errmsg("%s: the query returns %d columns; it "
                                       "must return %d to %d",
                                       fn, nq, need, ncols)));
            for (int j = 0; j < nq && j < ncols; j++) {
                Oid t = TupleDescAttr(td, j)->atttypid;
                int ok = cols[j].kind == IN_LABEL ? is_label_type(t)
                         : cols[j].kind == IN_DATE ? t == DATEOID
                         : cols[j].kind == IN_INT ? t == INT4OID
                                                  : is_number_type(t);
                if (!ok)
                    type_error(fn, &cols[j], t);
                types[j] = t;
                cols[j].present = 1;
                cols[j].is_int = cols[j].int_ids &&
                                 (t == INT2OID || t == INT4OID || t == INT8OID);
            }
            if (desc_out) {
                MemoryContext old = MemoryContextSwitchTo(work);
                *desc_out = CreateTupleDescCopy(td);
                MemoryContextSwitchTo(old);
            }
        }
        uint64 got = SPI_processed;
        if (got == 0)
            break;
        MemoryContext old = MemoryContextSwitchTo(work);
        for (uint64 i = 0; i < got; i++) {
            HeapTuple tup = tt->vals[i];
            for (int j = 0; j < nq && j < ncols; j++) {
                bool isnull;
                Datum d = SPI_getbinval(tup, tt->tupdesc, j + 1, &isnull);
                push_value(fn, &cols[j], d, isnull, types[j], n);
            }
            n++;
        }
        MemoryContextSwitchTo(old);
        SPI_freetuptable(tt);
    }
    SPI_cursor_close(portal);
    SPI_finish();
    if (nquery_cols)
        *nquery_cols = nq;
    return n;
}

/* ---- options (jsonb) ------------------------------------------------ */
/* A function's options are a table: each key, its kind, and where its value
 * goes (one of a few option structs, at an offset).  Keys not in the table
 * are errors; "preset" (where allowed) is applied before every other key,
 * which may then override what it set. */
typedef enum { OPT_BOOL, OPT_INT, OPT_NUM, OPT_MONTH, OPT_DAY, OPT_ENUM } opt_kind;

typedef struct opt_spec {
    const char *key;
    opt_kind kind;
    int base;                  /* index into the caller's struct pointers */
    size_t off;                /* int, int32_t or double at this offset */
    const char *const *names;  /* OPT_ENUM: the values, NULL-terminated */
} opt_spec;

static void bad_option(const char *fn, const char *key, const char *what) {
    ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                    errmsg("%s: option \"%s\" %s", fn, key, what)));
}

static double opt_num(const char *fn, const char *key, JsonbValue *v) {
    if (v->type != jbvNumeric)
        bad_option(fn, key, "must be a number");
    return DatumGetFloat8(DirectFunctionCall1(
        numeric_float8, NumericGetDatum(v->val.numeric)));
}

static char *opt_str(const char *fn, const char *key, JsonbValue *v) {
    if (v->type != jbvString)
        bad_option(fn, key, "must be a string");
    return pnstrdup(v->val.string.val, v->val.string.len);
}

/* The value of one option as the int (or int32_t) its kind stores. */
static int32_t opt_int_value(const char *fn, const opt_spec *o,
                             JsonbValue *v) {
    switch (o->kind) {
    case OPT_BOOL:
        if (v->type != jbvBool)
            bad_option(fn, o->key, "must be true or false");
        return v->val.boolean ? 1 : 0;
    case OPT_INT: {
        double x = opt_num(fn, o->key, v);
        if (x != floor(x) || x < INT32_MIN + 1.0 || x > INT32_MAX)
            bad_option(fn, o->key, "must be an integer");
        return (int32_t)x;
    }
    case OPT_ENUM: {
        char *str = opt_str(fn, o->key, v);
        for (int i = 0; o->names[i]; i++)
            if (!strcmp(str, o->names[i]))
                return i;
        bad_option(fn, o->key, "has an unknown value");
        return -1;
    }
    default: { /* OPT_MONTH, OPT_DAY: a date string ("2024-03-01") */
        char *str = opt_str(fn, o->key, v);
        DateADT d = DatumGetDateADT(DirectFunctionCall1(
            date_in, CStringGetDatum(str)));
        if (DATE_NOT_FINITE(d))
            bad_option(fn, o->key, "must be a finite date");
        int32_t day = (int32_t)(d + CSM_PG_EPOCH_DAYS);
        return o->kind == OPT_MONTH ? csm_day_month(day) : day;
    }
    }
}

/* Set every option of the object jb found in spec (n entries) into
 * base[spec.base]; skip "preset" (read by the caller first). */
static void parse_options(const char *fn, Jsonb *jb, const opt_spec *spec,
                          size_t n, void *const *base) {
    if (!JB_ROOT_IS_OBJECT(jb) || JB_ROOT_IS_SCALAR(jb))
        ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                        errmsg("%s: options must be a JSON object", fn)));
    JsonbIterator *it = JsonbIteratorInit(&jb->root);
    JsonbValue v;
    JsonbIteratorToken r;
    char *key = NULL;
    while ((r = JsonbIteratorNext(&it, &v, true)) != WJB_DONE) {
        if (r == WJB_KEY) {
            key = pnstrdup(v.val.string.val, v.val.string.len);
            continue;
        }
        if (r != WJB_VALUE || !strcmp(key, "preset"))
            continue;
        size_t i = 0;
        while (i < n && strcmp(spec[i].key, key) != 0)
            i++;
        if (i == n)
            bad_option(fn, key, "is not an option of this function");
        char *dst = (char *)base[spec[i].base] + spec[i].off;
        if (spec[i].kind == OPT_NUM) {
            double x = opt_num(fn, key, &v);
            memcpy(dst, &x, sizeof x);
        } else {
            int32_t x = opt_int_value(fn, &spec[i], &v);
            memcpy(dst, &x, sizeof x); /* int and int32_t alike */
        }
    }
}

/* The "preset" of the options, if given: 1 and *preset set, else 0. */
static const char *const preset_names[] = {"default", "chartmogul_b2b",
                                           "stripe", "baremetrics", NULL};

static int option_preset(const char *fn, Jsonb *jb, csm_preset *preset) {
    JsonbValue k;
    k.type = jbvString;
    k.val.string.val = "preset";
    k.val.string.len = 6;
    JsonbValue *v = JB_ROOT_IS_OBJECT(jb) && !JB_ROOT_IS_SCALAR(jb)
                        ? findJsonbValueFromContainer(&jb->root, JB_FOBJECT, &k)
                        : NULL;
    if (!v)
        return 0;
    const opt_spec o = {"preset", OPT_ENUM, 0, 0, preset_names};
    *preset = (csm_preset)opt_int_value(fn, &o, v);
    return 1;
}

/* ---- a ledger from a query ------------------------------------------ */
typedef struct ledger_call {
    const char *fn;
    MemoryContext work;
    csm_allocator alloc;
    csm_ledger_opts lopts;
    csm_ledger *ledger;
    csm_keys *customers;
    csm_keys *segments; /* NULL without a segment column */
} ledger_call;

static void call_begin(ledger_call *lc, const char *fn) {
    memset(lc, 0, sizeof *lc);
    lc->fn = fn;
    lc->work = AllocSetContextCreate(CurrentMemoryContext, "csmetrics call",
                                     ALLOCSET_DEFAULT_SIZES);
    lc->alloc.alloc = ctx_alloc;
    lc->alloc.free = ctx_free;
    lc->alloc.ctx = lc->work;
    csm_ledger_opts d = CSM_LEDGER_OPTS_INIT;
    lc->lopts = d;
    lc->lopts.allocator = &lc->alloc;
}

/* The ids of a label column: integer ids as they are (no dictionary:
 * NULL), text labels through a new dictionary. */
static csm_keys *encode(ledger_call *lc, int64_t **ids, in_col *c, size_t n) {
    if (c->is_int) {
        *ids = c->v.data;
        return NULL;
    }
    *ids = MemoryContextAllocHuge(lc->work, Max(n, 1) * sizeof **ids);
    csm_keys_opts ko = CSM_KEYS_OPTS_INIT;
    ko.allocator = &lc->alloc;
    csm_keys *k = NULL;
    CHECK(lc->fn, csm_keys_encode(&k, *ids,
                                  (const char *const *)c->lab.ptr.data, NULL,
                                  n, &ko, ERR));
    return k;
}

/* Read the ledger query and build the ledger (in lc->work). */
static void ledger_read(ledger_call *lc, const char *query) {
    MemoryContext old = MemoryContextSwitchTo(lc->work);
    in_col cols[4] = {
        {.name = "customer_id", .kind = IN_LABEL, .required = 1,
         .int_ids = 1},
        {.name = "month", .kind = IN_DATE, .required = 1},
        {.name = "mrr", .kind = IN_FLOAT, .required = 1},
        {.name = "segment", .kind = IN_LABEL}};
    size_t n = read_query(lc->fn, query, cols, 4, NULL, NULL);
    int64_t *cust;
    lc->customers = encode(lc, &cust, &cols[0], n);
    int32_t *month = cols[1].v.data; /* csm days, turned into months here */
    for (size_t i = 0; i < n; i++)
        month[i] = csm_day_month(month[i]);
    int32_t *seg = NULL;
    if (cols[3].present) {
        int64_t *sid;
        lc->segments = encode(lc, &sid, &cols[3], n);
        seg = (int32_t *)sid; /* ids < CSM_KEYS_MAX fit int32: narrow in place */
        for (size_t i = 0; i < n; i++)
            seg[i] = (int32_t)sid[i];
    }
    CHECK(lc->fn, csm_ledger_new(&lc->ledger, cust, month, cols[2].v.data, seg,
                                 n, &lc->lopts, ERR));
    MemoryContextSwitchTo(old);
}

/* ---- result tables as rows -------------------------------------------- */
/* Put every row of table t into the call's tuplestore, column j of t as
 * attribute j of the declared result (names checked: the install script
 * is generated from the same descriptors). */
static void emit_table(FunctionCallInfo fcinfo, const char *fn,
                       const csm_table *t, const csm_keys *ids,
                       const csm_keys *segments) {
    ReturnSetInfo *rsinfo = (ReturnSetInfo *)fcinfo->resultinfo;
    TupleDesc td = rsinfo->setDesc;
    if ((size_t)td->natts != t->n_columns)
        ereport(ERROR, (errcode(ERRCODE_DATATYPE_MISMATCH),
                        errmsg("%s: the SQL declaration has %d columns, the "
                               "library's table \"%s\" %zu: reinstall the "
                               "extension",
                               fn, td->natts, t->name, t->n_columns)));
    size_t nc = t->n_columns;
    pgc_kind *kind = palloc(nc * sizeof *kind);
    for (size_t j = 0; j < nc; j++) {
        if (strcmp(NameStr(TupleDescAttr(td, (int)j)->attname),
                   t->columns[j].name) != 0)
            ereport(ERROR, (errcode(ERRCODE_DATATYPE_MISMATCH),
                            errmsg("%s: result column %zu is \"%s\" in SQL, "
                                   "\"%s\" in the library: reinstall the "
                                   "extension",
                                   fn, j + 1,
                                   NameStr(TupleDescAttr(td, (int)j)->attname),
                                   t->columns[j].name)));
        kind[j] = pgc_kind_of(&t->columns[j]);
    }
    Datum *values = palloc(nc * sizeof *values);
    bool *nulls = palloc(nc * sizeof *nulls);
    MemoryContext rowctx = AllocSetContextCreate(CurrentMemoryContext,
                                                 "csmetrics row",
                                                 ALLOCSET_SMALL_SIZES);
    for (size_t i = 0; i < t->n_rows; i++) {
        if ((i & 0xFFFF) == 0)
            CHECK_FOR_INTERRUPTS();
        MemoryContext old = MemoryContextSwitchTo(rowctx);
        for (size_t j = 0; j < nc; j++) {
            const csm_column *c = &t->columns[j];
            nulls[j] = !csm_column_is_valid(c, i);
            values[j] = (Datum)0;
            if (nulls[j])
                continue;
            const char *label = NULL;
            char idbuf[32];
            switch (kind[j]) {
            case PGC_DATE: {
                int32_t day = (int32_t)csm_column_int64(c, i);
                if (c->type == CSM_TYPE_MONTH)
                    day = csm_day(csm_month_year(day), csm_month_month(day), 1);
                values[j] = DateADTGetDatum((DateADT)(day - CSM_PG_EPOCH_DAYS));
                break;
            }
            case PGC_ID_TEXT:
                if (ids) {
                    label = csm_keys_label(ids, csm_column_int64(c, i), NULL);
                } else { /* integer ids: the id itself */
                    snprintf(idbuf, sizeof idbuf, INT64_FORMAT,
                             (int64)csm_column_int64(c, i));
                    label = idbuf;
                }
                break;
            case PGC_SEGMENT:
                label = csm_keys_label(segments, csm_column_int64(c, i), NULL);
                if (!label && !segments)
                    label = "0"; /* a ledger without segments: segment 0 */
                break;
            case PGC_TEXT:
                label = ((const char *const *)c->data)[i];
                break;
            case PGC_INT4:
                values[j] = Int32GetDatum((int32)csm_column_int64(c, i));
                break;
            case PGC_INT8:
                values[j] = Int64GetDatum(csm_column_int64(c, i));
                break;
            case PGC_FLOAT8: {
                double x = csm_column_double(c, i);
                nulls[j] = isnan(x); /* an undefined value: NULL */
                values[j] = Float8GetDatum(x);
                break;
            }
            case PGC_BOOL:
                values[j] = BoolGetDatum(csm_column_int64(c, i) != 0);
                break;
            }
            if (kind[j] == PGC_ID_TEXT || kind[j] == PGC_SEGMENT ||
                kind[j] == PGC_TEXT) {
                nulls[j] = label == NULL;
                if (label)
                    values[j] = CStringGetTextDatum(label);
            }
        }
        tuplestore_putvalues(rsinfo->setResult, td, values, nulls);
        MemoryContextSwitchTo(old);
        MemoryContextReset(rowctx);
    }
    MemoryContextDelete(rowctx);
}

static void call_end(ledger_call *lc) { MemoryContextDelete(lc->work); }

/* ---- the set-returning functions ------------------------------------ */
/* Every ledger function: the ledger's options (base 0) and the family's
 * (base 1, 2...), the preset applied first when the family has one. */
#define LEDGER_OPTS                                                            \
    {"strict", OPT_BOOL, 0, offsetof(csm_ledger_opts, strict), NULL},          \
    {"free_is_active", OPT_BOOL, 0, offsetof(csm_ledger_opts, free_is_active), \
     NULL}
#define NOPTS(a) (sizeof(a) / sizeof((a)[0]))

typedef csm_status (*preset_fn)(void *opts, csm_preset preset);

/* Begin a ledger function: the materialized result, the call's context,
 * the options (jb) into base[] per spec, then the ledger from the query. */
static void ledger_begin(FunctionCallInfo fcinfo, ledger_call *lc,
                         const char *fn, const char *query, Jsonb *jb,
                         const opt_spec *spec, size_t n, void **base,
                         preset_fn apply_preset) {
    InitMaterializedSRF(fcinfo, 0);
    call_begin(lc, fn);
    base[0] = &lc->lopts;
    csm_preset preset;
    if (option_preset(fn, jb, &preset)) {
        if (!apply_preset)
            bad_option(fn, "preset", "is not an option of this function");
        if (apply_preset(base[1], preset) != CSM_OK)
            bad_option(fn, "preset", "is not known to the library");
    }
    parse_options(fn, jb, spec, n, base);
    ledger_read(lc, query);
}

static const char *const denominator_names[] = {"start", "start_plus_new",
                                                "average", "daily", NULL};

static csm_status movements_preset(void *o, csm_preset p) {
    return csm_movements_opts_preset(o, p);
}

PG_FUNCTION_INFO_V1(csm_pg_movements);
Datum csm_pg_movements(PG_FUNCTION_ARGS) {
    const char *fn = "csm_movements";
#define F(m) offsetof(csm_movements_opts, m)
    static const opt_spec spec[] = {
        LEDGER_OPTS,
        {"reactivation_window", OPT_INT, 1, F(reactivation_window), NULL},
        {"tolerance", OPT_NUM, 1, F(tolerance), NULL},
        {"count_intra_period", OPT_BOOL, 1, F(count_intra_period), NULL},
        {"churn_denominator", OPT_ENUM, 1, F(churn_denominator),
         denominator_names},
        {"by_segment", OPT_BOOL, 1, F(by_segment), NULL},
        {"first_month", OPT_MONTH, 1, F(first_month), NULL},
        {"last_month", OPT_MONTH, 1, F(last_month), NULL}};
#undef F
    csm_movements_opts o = CSM_MOVEMENTS_OPTS_INIT;
    ledger_call lc;
    void *base[] = {NULL, &o};
    ledger_begin(fcinfo, &lc, fn, text_to_cstring(PG_GETARG_TEXT_PP(0)),
                 PG_GETARG_JSONB_P(1), spec, NOPTS(spec), base,
                 movements_preset);
    csm_movements *m = NULL;
    CHECK(fn, csm_movements_compute(&m, lc.ledger, &o, ERR));
    emit_table(fcinfo, fn, csm_result_table(m->result, 0), lc.customers,
               lc.segments);
    call_end(&lc);
    return (Datum)0;
}

static const char *const nrr_names[] = {"snapshot", "movement_sum", NULL};

static csm_status retention_preset(void *o, csm_preset p) {
    return csm_retention_opts_preset(o, p);
}

PG_FUNCTION_INFO_V1(csm_pg_retention);
Datum csm_pg_retention(PG_FUNCTION_ARGS) {
    const char *fn = "csm_retention";
#define F(m) offsetof(csm_retention_opts, m)
    static const opt_spec spec[] = {
        LEDGER_OPTS,
        {"nrr_mode", OPT_ENUM, 1, F(nrr_mode), nrr_names},
        {"by_segment", OPT_BOOL, 1, F(by_segment), NULL},
        {"first_month", OPT_MONTH, 1, F(first_month), NULL},
        {"last_month", OPT_MONTH, 1, F(last_month), NULL}};
#undef F
    csm_retention_opts o = CSM_RETENTION_OPTS_INIT;
    o.window = PG_GETARG_INT32(1);
    ledger_call lc;
    void *base[] = {NULL, &o};
    ledger_begin(fcinfo, &lc, fn, text_to_cstring(PG_GETARG_TEXT_PP(0)),
                 PG_GETARG_JSONB_P(2), spec, NOPTS(spec), base,
                 retention_preset);
    csm_retention *r = NULL;
    CHECK(fn, csm_retention_compute(&r, lc.ledger, &o, ERR));
    emit_table(fcinfo, fn, csm_result_table(r->result, 0), lc.customers,
               lc.segments);
    call_end(&lc);
    return (Datum)0;
}

PG_FUNCTION_INFO_V1(csm_pg_cohorts);
Datum csm_pg_cohorts(PG_FUNCTION_ARGS) {
    const char *fn = "csm_cohorts";
#define F(m) offsetof(csm_cohorts_opts, m)
    static const opt_spec spec[] = {
        LEDGER_OPTS,
        {"baseline", OPT_INT, 1, F(baseline), NULL},
        {"by_segment", OPT_BOOL, 1, F(by_segment), NULL},
        {"max_age", OPT_INT, 1, F(max_age), NULL}};
#undef F
    csm_cohorts_opts o = CSM_COHORTS_OPTS_INIT;
    ledger_call lc;
    void *base[] = {NULL, &o};
    ledger_begin(fcinfo, &lc, fn, text_to_cstring(PG_GETARG_TEXT_PP(0)),
                 PG_GETARG_JSONB_P(1), spec, NOPTS(spec), base, NULL);
    csm_cohorts *c = NULL;
    CHECK(fn, csm_cohorts_compute(&c, lc.ledger, &o, ERR));
    emit_table(fcinfo, fn, csm_result_find(c->result, "cohort_cells"),
               lc.customers, lc.segments);
    call_end(&lc);
    return (Datum)0;
}

PG_FUNCTION_INFO_V1(csm_pg_kaplan_meier);
Datum csm_pg_kaplan_meier(PG_FUNCTION_ARGS) {
    const char *fn = "csm_kaplan_meier";
    static const opt_spec spec[] = {
        LEDGER_OPTS,
        {"level", OPT_NUM, 1, offsetof(csm_km_opts, level), NULL},
        {"horizon", OPT_NUM, 1, offsetof(csm_km_opts, horizon), NULL},
        {"include_overall", OPT_BOOL, 1,
         offsetof(csm_km_opts, include_overall), NULL},
        {"as_of", OPT_MONTH, 2, offsetof(csm_lifetimes_opts, as_of), NULL},
        {"by_segment", OPT_BOOL, 3, 0, NULL}};
    csm_km_opts o = CSM_KM_OPTS_INIT;
    csm_lifetimes_opts lo = CSM_LIFETIMES_OPTS_INIT;
    int by_segment = 0;
    ledger_call lc;
    void *base[] = {NULL, &o, &lo, &by_segment};
    ledger_begin(fcinfo, &lc, fn, text_to_cstring(PG_GETARG_TEXT_PP(0)),
                 PG_GETARG_JSONB_P(1), spec, NOPTS(spec), base, NULL);
    o.allocator = &lc.alloc;
    csm_lifetimes *lt = NULL;
    CHECK(fn, csm_lifetimes_from_ledger(&lt, lc.ledger, &lo, ERR));
    csm_km *km = NULL;
    CHECK(fn, csm_km_compute(&km, lt->duration, lt->event, NULL,
                             by_segment ? lt->segment : NULL, lt->n_rows, &o,
                             ERR));
    emit_table(fcinfo, fn, csm_result_table(km->result, 0), lc.customers,
               lc.segments);
    call_end(&lc);
    return (Datum)0;
}

PG_FUNCTION_INFO_V1(csm_pg_renewals);
Datum csm_pg_renewals(PG_FUNCTION_ARGS) {
    const char *fn = "csm_renewals";
#define F(m) offsetof(csm_renewals_opts, m)
    static const opt_spec spec[] = {
        {"grace_days", OPT_INT, 0, F(grace_days), NULL},
        {"late_counts", OPT_BOOL, 0, F(late_counts), NULL},
        {"include_upsells", OPT_BOOL, 0, F(include_upsells), NULL},
        {"as_of", OPT_DAY, 0, F(as_of_day), NULL}};
#undef F
    InitMaterializedSRF(fcinfo, 0);
    ledger_call lc;
    call_begin(&lc, fn);
    csm_renewals_opts o = CSM_RENEWALS_OPTS_INIT;
    void *base[] = {&o};
    parse_options(fn, PG_GETARG_JSONB_P(3), spec, NOPTS(spec), base);
    o.allocator = &lc.alloc;
    DateADT ws = PG_GETARG_DATEADT(1), we = PG_GETARG_DATEADT(2);
    if (DATE_NOT_FINITE(ws) || DATE_NOT_FINITE(we))
        ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                        errmsg("%s: the window's dates must be finite", fn)));
    MemoryContext old = MemoryContextSwitchTo(lc.work);
    in_col cols[5] = {
        {.name = "customer_id", .kind = IN_LABEL, .required = 1,
         .int_ids = 1},
        {.name = "start_date", .kind = IN_DATE, .required = 1},
        {.name = "end_date", .kind = IN_DATE, .required = 1},
        {.name = "amount", .kind = IN_FLOAT, .required = 1},
        {.name = "interval_months", .kind = IN_INT, .required = 1}};
    size_t n = read_query(fn, text_to_cstring(PG_GETARG_TEXT_PP(0)), cols, 5,
                          NULL, NULL);
    int64_t *cust;
    lc.customers = encode(&lc, &cust, &cols[0], n);
    csm_contracts ct;
    memset(&ct, 0, sizeof ct);
    ct.customer_id = cust;
    ct.start_day = cols[1].v.data;
    ct.end_day = cols[2].v.data;
    ct.amount = cols[3].v.data;
    ct.interval_count = cols[4].v.data;
    ct.n = n;
    MemoryContextSwitchTo(old);
    csm_renewals *r = NULL;
    CHECK(fn, csm_renewals_compute(&r, NULL, NULL, &ct,
                                   (int32_t)(ws + CSM_PG_EPOCH_DAYS),
                                   (int32_t)(we + CSM_PG_EPOCH_DAYS), &o,
                                   ERR));
    emit_table(fcinfo, fn, csm_result_table(r->result, 0), lc.customers,
               NULL);
    call_end(&lc);
    return (Datum)0;
}

/* ---- csm_health_score(scorecard jsonb, inputs text) -------------------- */
PG_FUNCTION_INFO_V1(csm_pg_health_score);
Datum csm_pg_health_score(PG_FUNCTION_ARGS) {
    const char *fn = "csm_health_score";
    InitMaterializedSRF(fcinfo, 0);
    ledger_call lc;
    call_begin(&lc, fn);
    MemoryContext old = MemoryContextSwitchTo(lc.work);
    char *spec = JsonbToCString(NULL, &PG_GETARG_JSONB_P(0)->root, 0);
    csm_health_scorecard_opts so = CSM_HEALTH_SCORECARD_OPTS_INIT;
    so.allocator = &lc.alloc;
    csm_health_scorecard *sc = NULL;
    CHECK(fn, csm_health_scorecard_from_json(&sc, spec, strlen(spec), &so,
                                             ERR));
    /* the query: the account, then numeric columns named as inputs */
    size_t k = csm_health_scorecard_input_count(sc);
    enum { MAXQ = 64 };
    in_col cols[MAXQ];
    memset(cols, 0, sizeof cols);
    cols[0] = (in_col){.name = "account", .kind = IN_LABEL, .required = 1};
    for (int j = 1; j < MAXQ; j++)
        cols[j] = (in_col){.name = "an input", .kind = IN_FLOAT,
                           .null_ok = 1};
    int nq = 0;
    TupleDesc td = NULL;
    size_t n = read_query(fn, text_to_cstring(PG_GETARG_TEXT_PP(1)), cols,
                          MAXQ, &nq, &td);
    int64_t *acct; /* text labels always: the ids are the rows (0..n-1) */
    lc.customers = encode(&lc, &acct, &cols[0], n);
    size_t na = csm_keys_count(lc.customers);
    if (na != n)
        ereport(ERROR, (errcode(ERRCODE_UNIQUE_VIOLATION),
                        errmsg("%s: an account appears in more than one row "
                               "of the query", fn)));
    /* values: row = the account's id (label order), column = input */
    double *values = MemoryContextAllocHuge(lc.work,
                                            Max(n * k, 1) * sizeof *values);
    for (size_t i = 0; i < n * k; i++)
        values[i] = NAN;
    for (size_t q = 0; q < k; q++) {
        const char *in = csm_health_scorecard_input_name(sc, q);
        for (int j = 1; j < nq; j++) {
            if (strcmp(NameStr(TupleDescAttr(td, j)->attname), in) != 0)
                continue;
            const double *col = cols[j].v.data;
            for (size_t i = 0; i < n; i++)
                values[(size_t)acct[i] * k + q] = col[i];
        }
    }
    MemoryContextSwitchTo(old);
    csm_health *h = NULL;
    CHECK(fn, csm_health_score(&h, sc, values, n, NULL, ERR));
    emit_table(fcinfo, fn, csm_result_table(h->result, 0), lc.customers,
               NULL);
    call_end(&lc);
    return (Datum)0;
}

/* ---- survey aggregates ------------------------------------------------- */
/* The state: which metric, its scale and level, and a histogram of the
 * scores (count[s - lo] for s in lo..hi), in the aggregate's context. */
enum { SURVEY_NPS = 1, SURVEY_CSAT = 2, SURVEY_CES = 3 };
#define SURVEY_MAX_BINS 256

typedef struct survey {
    int32 kind;
    int32 lo, hi, top; /* scale and CSAT's top box */
    float8 level;      /* NPS confidence; 0.95 unless given */
    int32 nbins;
    int32 pad;
    int64 count[FLEXIBLE_ARRAY_MEMBER];
} survey;

static size_t survey_size(int nbins) {
    return offsetof(survey, count) + (size_t)nbins * sizeof(int64);
}

static MemoryContext agg_context(FunctionCallInfo fcinfo, const char *fn) {
    MemoryContext c;
    if (!AggCheckCallContext(fcinfo, &c))
        elog(ERROR, "%s called in a non-aggregate context", fn);
    return c;
}

/* The library's answer for one score outside the scale, as an ERROR: the
 * function names the field and the rule. */
static void survey_bad_score(const survey *s, const char *fn, int32 score) {
    int8_t x = (int8_t)Max(-128, Min(127, score));
    csm_error e;
    csm_status st = CSM_OK;
    if (s->kind == SURVEY_NPS) {
        csm_nps_result r;
        st = csm_nps(&r, &x, 1, NULL, &e);
    } else if (s->kind == SURVEY_CSAT) {
        csm_csat_result r;
        csm_csat_opts o = CSM_CSAT_OPTS_INIT;
        o.scale_min = s->lo, o.scale_max = s->hi, o.top_box_min = s->top;
        st = csm_csat(&r, &x, 1, &o, &e);
    } else {
        csm_ces_result r;
        csm_ces_opts o = CSM_CES_OPTS_INIT;
        o.scale_min = s->lo, o.scale_max = s->hi;
        st = csm_ces(&r, &x, 1, &o, &e);
    }
    if (st == CSM_OK) /* the int8 clamp landed on the scale */
        csm_error_set(&e, CSM_EDOMAIN, CSM_NO_ROW, "scores",
                      "score outside the scale");
    else /* the library's message without its row 0 (of a 1-score call) */
        csm_error_set(&e, e.code, CSM_NO_ROW, e.field, e.msg);
    ereport(ERROR, (errcode(sqlstate_of(e.code)),
                    errmsg("%s: %s", fn, e.text),
                    errdetail("the score is %d", score)));
}

/* Scale arguments: checked by the library (an empty call) first. */
static survey *survey_new(FunctionCallInfo fcinfo, const char *fn, int kind,
                          int32 lo, int32 hi, int32 top, double level) {
    csm_error e;
    csm_status st;
    if (kind == SURVEY_CSAT) {
        csm_csat_result r;
        csm_csat_opts o = CSM_CSAT_OPTS_INIT;
        o.scale_min = lo, o.scale_max = hi, o.top_box_min = top;
        st = csm_csat(&r, NULL, 0, &o, &e);
    } else if (kind == SURVEY_CES) {
        csm_ces_result r;
        csm_ces_opts o = CSM_CES_OPTS_INIT;
        o.scale_min = lo, o.scale_max = hi;
        st = csm_ces(&r, NULL, 0, &o, &e);
    } else {
        csm_nps_result r;
        csm_nps_opts o = CSM_NPS_OPTS_INIT;
        o.confidence = level;
        st = csm_nps_counts(&r, 0, 0, 0, &o, &e);
    }
    if (st != CSM_OK)
        pg_noreturn_fail(fn, &e);
    if (lo < -128 || hi > 127)
        ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                        errmsg("%s: the scale must lie within -128..127", fn)));
    int nbins = hi - lo + 1;
    survey *s = MemoryContextAllocZero(agg_context(fcinfo, fn),
                                       survey_size(nbins));
    s->kind = kind;
    s->lo = lo, s->hi = hi, s->top = top;
    s->level = level;
    s->nbins = nbins;
    return s;
}

static Datum survey_add(FunctionCallInfo fcinfo, const char *fn, int kind,
                        int32 lo, int32 hi, int32 top, double level,
                        int score_arg) {
    survey *s = PG_ARGISNULL(0) ? NULL : (survey *)PG_GETARG_POINTER(0);
    if (PG_ARGISNULL(score_arg)) { /* NULL scores are skipped */
        if (!s)
            PG_RETURN_NULL();
        PG_RETURN_POINTER(s);
    }
    if (!s)
        s = survey_new(fcinfo, fn, kind, lo, hi, top, level);
    else if (s->lo != lo || s->hi != hi || s->top != top || s->level != level)
        ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                        errmsg("%s: the scale and level must be the same in "
                               "every row of a group", fn)));
    int32 score = PG_GETARG_INT32(score_arg);
    if (score < s->lo || score > s->hi)
        survey_bad_score(s, fn, score);
    s->count[score - s->lo]++;
    PG_RETURN_POINTER(s);
}

static int32 int_arg(FunctionCallInfo fcinfo, int i, const char *fn,
                     const char *name) {
    if (PG_ARGISNULL(i))
        ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
                        errmsg("%s: %s is NULL", fn, name)));
    return PG_GETARG_INT32(i);
}

PG_FUNCTION_INFO_V1(csm_pg_nps_trans);
Datum csm_pg_nps_trans(PG_FUNCTION_ARGS) {
    double level = 0.95;
    const char *fn = PG_NARGS() > 2 ? "csm_nps_ci" : "csm_nps";
    if (PG_NARGS() > 2) {
        if (PG_ARGISNULL(2))
            ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
                            errmsg("%s: level is NULL", fn)));
        level = PG_GETARG_FLOAT8(2);
    }
    return survey_add(fcinfo, fn, SURVEY_NPS, 0, 10, 9, level, 1);
}

PG_FUNCTION_INFO_V1(csm_pg_csat_trans);
Datum csm_pg_csat_trans(PG_FUNCTION_ARGS) {
    const char *fn = "csm_csat";
    csm_csat_opts d = CSM_CSAT_OPTS_INIT;
    int32 lo = d.scale_min, hi = d.scale_max, top = d.top_box_min;
    if (PG_NARGS() > 2) {
        lo = int_arg(fcinfo, 2, fn, "scale_min");
        hi = int_arg(fcinfo, 3, fn, "scale_max");
        top = int_arg(fcinfo, 4, fn, "top_box_min");
    }
    return survey_add(fcinfo, fn, SURVEY_CSAT, lo, hi, top, d.confidence, 1);
}

PG_FUNCTION_INFO_V1(csm_pg_ces_trans);
Datum csm_pg_ces_trans(PG_FUNCTION_ARGS) {
    const char *fn = "csm_ces";
    csm_ces_opts d = CSM_CES_OPTS_INIT;
    int32 lo = d.scale_min, hi = d.scale_max;
    if (PG_NARGS() > 2) {
        lo = int_arg(fcinfo, 2, fn, "scale_min");
        hi = int_arg(fcinfo, 3, fn, "scale_max");
    }
    return survey_add(fcinfo, fn, SURVEY_CES, lo, hi, 0, d.confidence, 1);
}

PG_FUNCTION_INFO_V1(csm_pg_survey_combine);
Datum csm_pg_survey_combine(PG_FUNCTION_ARGS) {
    survey *a = PG_ARGISNULL(0) ? NULL : (survey *)PG_GETARG_POINTER(0);
    survey *b = PG_ARGISNULL(1) ? NULL : (survey *)PG_GETARG_POINTER(1);
    if (!b) {
        if (!a)
            PG_RETURN_NULL();
        PG_RETURN_POINTER(a);
    }
    if (!a) { /* copy b into the aggregate's context */
        MemoryContext c = agg_context(fcinfo, "csm_survey_combine");
        a = MemoryContextAlloc(c, survey_size(b->nbins));
        memcpy(a, b, survey_size(b->nbins));
        PG_RETURN_POINTER(a);
    }
    if (a->kind != b->kind || a->lo != b->lo || a->hi != b->hi ||
        a->top != b->top || a->level != b->level)
        ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                        errmsg("csmetrics: the scale and level must be the "
                               "same in every row of a group")));
    for (int i = 0; i < a->nbins; i++)
        a->count[i] += b->count[i];
    PG_RETURN_POINTER(a);
}

PG_FUNCTION_INFO_V1(csm_pg_survey_serialize);
Datum csm_pg_survey_serialize(PG_FUNCTION_ARGS) {
    survey *s = (survey *)PG_GETARG_POINTER(0);
    size_t size = survey_size(s->nbins);
    bytea *b = palloc(VARHDRSZ + size);
    SET_VARSIZE(b, VARHDRSZ + size);
    memcpy(VARDATA(b), s, size);
    PG_RETURN_BYTEA_P(b);
}

PG_FUNCTION_INFO_V1(csm_pg_survey_deserialize);
Datum csm_pg_survey_deserialize(PG_FUNCTION_ARGS) {
    bytea *b = PG_GETARG_BYTEA_PP(0);
    size_t size = VARSIZE_ANY_EXHDR(b);
    MemoryContext c = agg_context(fcinfo, "csm_survey_deserialize");
    survey *s = MemoryContextAlloc(c, Max(size, sizeof(survey)));
    memcpy(s, VARDATA_ANY(b), size);
    if (size < offsetof(survey, count) || s->nbins < 1 ||
        s->nbins > SURVEY_MAX_BINS || size != survey_size(s->nbins))
        elog(ERROR, "csm_survey_deserialize: a malformed state");
    PG_RETURN_POINTER(s);
}

/* The histogram as the counts the library's counts forms take
 * (csm_nps_score_counts, csm_csat_counts, csm_ces_counts): count[i] of the
 * score lo + i, exact as doubles (below 2^53 rows). */
static double *survey_counts(const survey *s) {
    double *c = palloc(sizeof(double) * (size_t)s->nbins);
    for (int i = 0; i < s->nbins; i++)
        c[i] = (double)s->count[i];
    return c;
}

/* The NPS of the histogram: csm_nps_score_counts (the library's rule for
 * promoters, passives and detractors, not a copy of it here). */
static void survey_nps(const survey *s, csm_nps_result *r) {
    double *c = survey_counts(s);
    csm_nps_opts o = CSM_NPS_OPTS_INIT;
    o.confidence = s->level;
    CHECK("csm_nps", csm_nps_score_counts(r, c, (size_t)s->nbins, &o, ERR));
    pfree(c);
}

PG_FUNCTION_INFO_V1(csm_pg_nps_final);
Datum csm_pg_nps_final(PG_FUNCTION_ARGS) {
    if (PG_ARGISNULL(0))
        PG_RETURN_NULL();
    csm_nps_result r;
    survey_nps((survey *)PG_GETARG_POINTER(0), &r);
    if (r.flags & CSM_FLAG_EMPTY)
        PG_RETURN_NULL();
    PG_RETURN_FLOAT8(r.nps);
}

PG_FUNCTION_INFO_V1(csm_pg_nps_ci_final);
Datum csm_pg_nps_ci_final(PG_FUNCTION_ARGS) {
    if (PG_ARGISNULL(0))
        PG_RETURN_NULL();
    csm_nps_result r;
    survey_nps((survey *)PG_GETARG_POINTER(0), &r);
    if (r.flags & CSM_FLAG_EMPTY)
        PG_RETURN_NULL();
    TupleDesc td;
    if (get_call_result_type(fcinfo, NULL, &td) != TYPEFUNC_COMPOSITE)
        elog(ERROR, "csm_nps_ci: the result type is not composite");
    td = BlessTupleDesc(td);
    Datum v[5] = {Float8GetDatum(r.nps), Float8GetDatum(r.se),
                  Float8GetDatum(r.ci_low), Float8GetDatum(r.ci_high),
                  Int64GetDatum((int64)r.n)};
    bool nulls[5] = {false, false, false, false, false};
    PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(td, v, nulls)));
}

PG_FUNCTION_INFO_V1(csm_pg_csat_final);
Datum csm_pg_csat_final(PG_FUNCTION_ARGS) {
    if (PG_ARGISNULL(0))
        PG_RETURN_NULL();
    const survey *s = (survey *)PG_GETARG_POINTER(0);
    double *c = survey_counts(s);
    csm_csat_opts o = CSM_CSAT_OPTS_INIT;
    o.scale_min = s->lo, o.scale_max = s->hi, o.top_box_min = s->top;
    csm_csat_result r;
    CHECK("csm_csat", csm_csat_counts(&r, c, (size_t)s->nbins, &o, ERR));
    pfree(c);
    if (r.flags & CSM_FLAG_EMPTY)
        PG_RETURN_NULL();
    PG_RETURN_FLOAT8(r.csat);
}

PG_FUNCTION_INFO_V1(csm_pg_ces_final);
Datum csm_pg_ces_final(PG_FUNCTION_ARGS) {
    if (PG_ARGISNULL(0))
        PG_RETURN_NULL();
    const survey *s = (survey *)PG_GETARG_POINTER(0);
    double *c = survey_counts(s);
    csm_ces_opts o = CSM_CES_OPTS_INIT;
    o.scale_min = s->lo, o.scale_max = s->hi;
    csm_ces_result r;
    CHECK("csm_ces", csm_ces_counts(&r, c, (size_t)s->nbins, &o, ERR));
    pfree(c);
    if (r.flags & CSM_FLAG_EMPTY)
        PG_RETURN_NULL();
    PG_RETURN_FLOAT8(r.ces);
}
