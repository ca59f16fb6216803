/* keys.c - the key dictionary (csmetrics/keys.h): labels interned in one
 * pool with an open-addressing hash table, ids = ranks in label order. */
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "csmetrics/keys.h"
#include "internal/util.h"

#define KEYS_MAGIC 0x4b455953u /* "KEYS" */

struct csm_keys {
    uint32_t magic;
    csm_allocator alloc;
    int has_alloc;
    int finished, numeric;
    char *pool; /* every label's bytes and a NUL, in insertion order */
    size_t pool_used, pool_cap;
    size_t n, cap;  /* labels (insertion index k) and room for them */
    uint64_t *off;  /* k -> offset of label k in pool */
    uint32_t *len;  /* k -> length of label k */
    uint32_t *hash; /* k -> low 32 bits of its hash (probe filter) */
    uint32_t *slot; /* hash table: k + 1, 0 = empty */
    size_t n_slot;  /* a power of two, >= 2 x n (load <= 1/2) */
    uint32_t *rank;  /* after finish: k -> id */
    uint32_t *by_id; /* after finish: id -> k */
};

CSM_API int32_t csm_keys_none(void) { return CSM_KEYS_NONE; }

CSM__DEFINE_OPTS_INIT(csm_keys_opts_init, csm_keys_opts, CSM_KEYS_OPTS_INIT)

static const csm_allocator *kalloc(const csm_keys *k) {
    return k->has_alloc ? &k->alloc : NULL;
}

/* A 64-bit multiplicative hash of n bytes, 8 at a time (splitmix64's
 * finalizer constants).  It decides where a label sits, never its id. */
static uint64_t hash_bytes(const unsigned char *p, size_t n) {
    uint64_t h = 0x9E3779B97F4A7C15ull ^ (uint64_t)n;
    while (n >= 8) {
        uint64_t w;
        memcpy(&w, p, 8);
        h = (h ^ w) * 0xBF58476D1CE4E5B9ull;
        h ^= h >> 31;
        p += 8;
        n -= 8;
    }
    uint64_t w = 0;
    memcpy(&w, p, n);
    h = (h ^ w) * 0x94D049BB133111EBull;
    return h ^ (h >> 29);
}

/* Label i of a call: its bytes and length; 0 when it is missing (NULL or
 * empty), -1 when a given length holds a NUL byte or is too long. */
static int label_at(const char *const *labels, const size_t *lengths,
                    size_t i, const char **s, size_t *len) {
    *s = labels[i];
    if (!*s)
        return 0;
    *len = lengths ? lengths[i] : strlen(*s);
    if (*len == 0)
        return 0;
    if (*len > INT32_MAX || (lengths && memchr(*s, '\0', *len)))
        return -1;
    return 1;
}

/* The slot of label (s, len, h): the slot holding it, or the empty slot
 * where it would go. */
static size_t probe(const csm_keys *k, const char *s, size_t len,
                    uint64_t h) {
    size_t mask = k->n_slot - 1, i = (size_t)h & mask;
    for (;;) {
        uint32_t e = k->slot[i];
        if (e == 0)
            return i;
        size_t j = e - 1;
        if (k->hash[j] == (uint32_t)h && k->len[j] == len &&
            memcmp(k->pool + k->off[j], s, len) == 0)
            return i;
        i = (i + 1) & mask;
    }
}

/* Grow a block from a (old_bytes used) to new_bytes: alloc, copy, free
 * (the caller's allocator may have no realloc).  NULL when out of memory,
 * the old block kept. */
static void *regrow(const csm_allocator *a, void *p, size_t old_bytes,
                    size_t new_bytes) {
    void *q = csm__alloc(a, new_bytes);
    if (!q)
        return NULL;
    if (old_bytes)
        memcpy(q, p, old_bytes);
    csm__free(a, p);
    return q;
}

static int grow_labels(csm_keys *k) {
    const csm_allocator *a = kalloc(k);
    size_t cap = k->cap ? 2 * k->cap : 64;
    if (cap > (size_t)CSM_KEYS_MAX + 1)
        cap = (size_t)CSM_KEYS_MAX + 1;
    uint64_t *off = regrow(a, k->off, k->n * sizeof *off, cap * sizeof *off);
    if (!off)
        return 0;
    k->off = off;
    uint32_t *len = regrow(a, k->len, k->n * sizeof *len, cap * sizeof *len);
    if (!len)
        return 0;
    k->len = len;
    uint32_t *hash = regrow(a, k->hash, k->n * sizeof *hash,
                            cap * sizeof *hash);
    if (!hash)
        return 0;
    k->hash = hash;
    k->cap = cap;
    return 1;
}

static int grow_slots(csm_keys *k) {
    size_t n_slot = k->n_slot ? 2 * k->n_slot : 128;
    uint32_t *slot = csm__alloc_array(kalloc(k), n_slot, sizeof *slot);
    if (!slot)
        return 0;
    memset(slot, 0, n_slot * sizeof *slot);
    csm__free(kalloc(k), k->slot);
    k->slot = slot;
    k->n_slot = n_slot;
    for (size_t j = 0; j < k->n; j++) {
        const char *s = k->pool + k->off[j];
        size_t i = probe(k, s, k->len[j], hash_bytes((const void *)s,
                                                     k->len[j]));
        k->slot[i] = (uint32_t)(j + 1);
    }
    return 1;
}

static int grow_pool(csm_keys *k, size_t need) {
    size_t cap = k->pool_cap ? k->pool_cap : 4096;
    while (cap - k->pool_used < need) {
        if (cap > SIZE_MAX / 2)
            return 0;
        cap *= 2;
    }
    char *p = regrow(kalloc(k), k->pool, k->pool_used, cap);
    if (!p)
        return 0;
    k->pool = p;
    k->pool_cap = cap;
    return 1;
}

CSM_API csm_status csm_keys_new(csm_keys **out, const csm_keys_opts *opts,
                                csm_error *err) {
    if (!out)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "out", NULL);
    *out = NULL;
    csm_keys_opts o = CSM_KEYS_OPTS_INIT;
    csm_status st = csm__opts_load(&o, sizeof o, opts, err);
    if (st == CSM_OK)
        st = csm__alloc_check(o.allocator, "opts.allocator", err);
    if (st != CSM_OK)
        return st;
    csm_keys *k = csm__alloc(o.allocator, sizeof *k);
    if (!k)
        return csm__fail(err, CSM_ENOMEM, CSM_NO_ROW, NULL, NULL);
    memset(k, 0, sizeof *k);
    k->magic = KEYS_MAGIC;
    if (o.allocator) {
        k->alloc = *o.allocator;
        k->has_alloc = 1;
    }
    if (!grow_slots(k)) {
        csm_keys_free(k);
        return csm__fail(err, CSM_ENOMEM, CSM_NO_ROW, NULL, NULL);
    }
    *out = k;
    return CSM_OK;
}

CSM_API csm_status csm_keys_add(csm_keys *keys, const char *const *labels,
                                const size_t *lengths, size_t n,
                                csm_error *err) {
    if (!keys || keys->magic != KEYS_MAGIC)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "keys", NULL);
    if (!labels && n > 0)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "labels",
                         "labels is NULL while n > 0");
    if (keys->finished)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "keys",
                         "the dictionary is finished: no more labels");
    for (size_t i = 0; i < n; i++) {
        const char *s;
        size_t len = 0;
        int r = label_at(labels, lengths, i, &s, &len);
        if (r == 0)
            continue;
        if (r < 0)
            return len > INT32_MAX
                       ? csm__fail(err, CSM_ERANGE, i, "labels",
                                   "label longer than 2^31-1 bytes")
                       : csm__fail(err, CSM_EDOMAIN, i, "labels",
                                   "NUL byte inside a label");
        uint64_t h = hash_bytes((const void *)s, len);
        size_t at = probe(keys, s, len, h);
        if (keys->slot[at] != 0)
            continue; /* already present */
        if (keys->n >= CSM_KEYS_MAX)
            return csm__fail(err, CSM_ERANGE, i, "labels",
                             "more than CSM_KEYS_MAX distinct labels");
        if ((keys->n == keys->cap && !grow_labels(keys)) ||
            (len + 1 > keys->pool_cap - keys->pool_used &&
             !grow_pool(keys, len + 1)))
            return csm__fail(err, CSM_ENOMEM, i, NULL, NULL);
        size_t j = keys->n;
        keys->off[j] = keys->pool_used;
        keys->len[j] = (uint32_t)len;
        keys->hash[j] = (uint32_t)h;
        memcpy(keys->pool + keys->pool_used, s, len);
        keys->pool[keys->pool_used + len] = '\0';
        keys->pool_used += len + 1;
        keys->n++;
        keys->slot[at] = (uint32_t)(j + 1);
        if (2 * keys->n > keys->n_slot && !grow_slots(keys)) {
            /* the label is in; the table stays valid at a higher load
             * only while a free slot remains: undo to keep it correct */
            keys->n--;
            keys->pool_used -= len + 1;
            keys->slot[at] = 0;
            return csm__fail(err, CSM_ENOMEM, i, NULL, NULL);
        }
    }
    return CSM_OK;
}

/* A canonical decimal integer: '-'?, then "0" or 1-18 digits without a
 * leading zero ("-0" is not canonical).  Its value in *v. */
static int canonical_int(const char *s, size_t len, int64_t *v) {
    size_t i = 0;
    int neg = 0;
    if (len > 0 && s[0] == '-') {
        neg = 1;
        i = 1;
    }
    size_t nd = len - i;
    if (nd == 0 || nd > 18 || (s[i] == '0' && (nd > 1 || neg)))
        return 0;
    int64_t x = 0;
    for (; i < len; i++) {
        if (s[i] < '0' || s[i] > '9')
            return 0;
        x = 10 * x + (s[i] - '0');
    }
    *v = neg ? -x : x;
    return 1;
}

typedef struct sort_ctx {
    const csm_keys *k;
    const int64_t *num; /* values when numeric, else NULL */
} sort_ctx;

static int label_cmp(const sort_ctx *c, uint32_t a, uint32_t b) {
    if (c->num)
        return (c->num[a] > c->num[b]) - (c->num[a] < c->num[b]);
    const csm_keys *k = c->k;
    size_t la = k->len[a], lb = k->len[b];
    int r = memcmp(k->pool + k->off[a], k->pool + k->off[b],
                   la < lb ? la : lb);
    return r ? r : (la > lb) - (la < lb);
}

/* Bottom-up merge sort of idx[0..n) by label (tmp: n elements). */
static void sort_labels(const sort_ctx *c, uint32_t *idx, uint32_t *tmp,
                        size_t n) {
    uint32_t *src = idx, *dst = tmp;
    for (size_t w = 1; w < n; w *= 2) {
        for (size_t lo = 0; lo < n; lo += 2 * w) {
            size_t mid = lo + w < n ? lo + w : n;
            size_t hi = lo + 2 * w < n ? lo + 2 * w : n;
            size_t i = lo, j = mid, o = lo;
            while (i < mid && j < hi)
                dst[o++] = label_cmp(c, src[j], src[i]) < 0 ? src[j++]
                                                            : src[i++];
            while (i < mid)
                dst[o++] = src[i++];
            while (j < hi)
                dst[o++] = src[j++];
        }
        uint32_t *t = src;
        src = dst;
        dst = t;
    }
    if (src != idx)
        memcpy(idx, src, n * sizeof *idx);
}

CSM_API csm_status csm_keys_finish(csm_keys *keys, csm_error *err) {
    if (!keys || keys->magic != KEYS_MAGIC)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "keys", NULL);
    if (keys->finished)
        return CSM_OK;
    const csm_allocator *a = kalloc(keys);
    size_t n = keys->n, m = n ? n : 1;
    uint32_t *rank = csm__alloc_array(a, m, sizeof *rank);
    uint32_t *by_id = csm__alloc_array(a, m, sizeof *by_id);
    int64_t *num = csm__alloc_array(a, m, sizeof *num);
    if (!rank || !by_id || !num) {
        csm__free(a, rank);
        csm__free(a, by_id);
        csm__free(a, num);
        return csm__fail(err, CSM_ENOMEM, CSM_NO_ROW, NULL, NULL);
    }
    int numeric = 1;
    for (size_t j = 0; j < n && numeric; j++)
        numeric = canonical_int(keys->pool + keys->off[j], keys->len[j],
                                &num[j]);
    sort_ctx c = {keys, numeric ? num : NULL};
    for (size_t j = 0; j < n; j++)
        by_id[j] = (uint32_t)j;
    sort_labels(&c, by_id, rank, n); /* rank is the scratch here */
    for (size_t id = 0; id < n; id++)
        rank[by_id[id]] = (uint32_t)id;
    csm__free(a, num);
    keys->rank = rank;
    keys->by_id = by_id;
    keys->numeric = numeric && n > 0;
    keys->finished = 1;
    return CSM_OK;
}

/* One lookup: the id of label (s, len) or -1 when it is not present. */
static int64_t find_id(const csm_keys *k, const char *s, size_t len) {
    size_t at = probe(k, s, len, hash_bytes((const void *)s, len));
    return k->slot[at] ? (int64_t)k->rank[k->slot[at] - 1] : -1;
}

/* csm_keys_lookup into int64 (wide) or int32 ids. */
static csm_status lookup(const csm_keys *keys, int64_t *ids64, int32_t *ids32,
                         const char *const *labels, const size_t *lengths,
                         size_t n, csm_error *err) {
    if (!keys || keys->magic != KEYS_MAGIC)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "keys", NULL);
    if (n > 0 && (!labels || (!ids64 && !ids32)))
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW,
                         labels ? "ids" : "labels",
                         "NULL array while n > 0");
    if (!keys->finished)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "keys",
                         "the dictionary is not finished (csm_keys_finish)");
    for (size_t i = 0; i < n; i++) {
        const char *s;
        size_t len = 0;
        int r = label_at(labels, lengths, i, &s, &len);
        if (r < 0)
            return csm__fail(err, CSM_EDOMAIN, i, "labels",
                             "NUL byte inside a label");
        int64_t id = r ? find_id(keys, s, len) : CSM_KEYS_NONE;
        if (r && id < 0)
            return csm__failf(err, CSM_ENOTFOUND, i, "labels", NULL, NULL,
                              "label '%.*s' is not in the dictionary",
                              (int)(len > 64 ? 64 : len), s);
        if (ids64)
            ids64[i] = id;
        else
            ids32[i] = (int32_t)id;
    }
    return CSM_OK;
}

CSM_API csm_status csm_keys_lookup(const csm_keys *keys, int64_t *ids,
                                   const char *const *labels,
                                   const size_t *lengths, size_t n,
                                   csm_error *err) {
    return lookup(keys, ids, NULL, labels, lengths, n, err);
}

CSM_API csm_status csm_keys_lookup_i32(const csm_keys *keys, int32_t *ids,
                                       const char *const *labels,
                                       const size_t *lengths, size_t n,
                                       csm_error *err) {
    return lookup(keys, NULL, ids, labels, lengths, n, err);
}

CSM_API csm_status csm_keys_encode(csm_keys **out, int64_t *ids,
                                   const char *const *labels,
                                   const size_t *lengths, size_t n,
                                   const csm_keys_opts *opts,
                                   csm_error *err) {
    if (!out)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "out", NULL);
    *out = NULL;
    if (!ids && n > 0)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "ids",
                         "NULL array while n > 0");
    csm_keys *k = NULL;
    csm_status st = csm_keys_new(&k, opts, err);
    if (st == CSM_OK)
        st = csm_keys_add(k, labels, lengths, n, err);
    if (st == CSM_OK)
        st = csm_keys_finish(k, err);
    if (st == CSM_OK)
        st = csm_keys_lookup(k, ids, labels, lengths, n, err);
    if (st != CSM_OK) {
        csm_keys_free(k);
        return st;
    }
    *out = k;
    return CSM_OK;
}

CSM_API size_t csm_keys_count(const csm_keys *keys) {
    return keys && keys->magic == KEYS_MAGIC ? keys->n : 0;
}

CSM_API int csm_keys_numeric(const csm_keys *keys) {
    return keys && keys->magic == KEYS_MAGIC && keys->finished &&
           keys->numeric;
}

CSM_API const char *csm_keys_label(const csm_keys *keys, int64_t id,
                                   size_t *length) {
    if (length)
        *length = 0;
    if (!keys || keys->magic != KEYS_MAGIC || !keys->finished || id < 0 ||
        (uint64_t)id >= keys->n)
        return NULL;
    size_t j = keys->by_id[id];
    if (length)
        *length = keys->len[j];
    return keys->pool + keys->off[j];
}

CSM_API int64_t csm_keys_find(const csm_keys *keys, const char *label,
                              size_t length) {
    if (!keys || keys->magic != KEYS_MAGIC || !keys->finished || !label)
        return CSM_KEYS_NONE;
    size_t len = length == (size_t)-1 ? strlen(label) : length;
    if (len == 0 || len > INT32_MAX || memchr(label, '\0', len))
        return CSM_KEYS_NONE;
    return find_id(keys, label, len);
}

CSM_API void csm_keys_free(csm_keys *keys) {
    if (!keys || keys->magic != KEYS_MAGIC)
        return;
    const csm_allocator *a = kalloc(keys);
    csm_allocator copy = keys->alloc;
    if (keys->has_alloc)
        a = &copy;
    csm__free(a, keys->pool);
    csm__free(a, keys->off);
    csm__free(a, keys->len);
    csm__free(a, keys->hash);
    csm__free(a, keys->slot);
    csm__free(a, keys->rank);
    csm__free(a, keys->by_id);
    keys->magic = 0;
    csm__free(a, keys);
}
