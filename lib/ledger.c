/* ledger.c - the ledger builder and its accessors.
 *
 * csm__ledger_build turns MRR rows (from csm_ledger_new, or from contracts
 * in contracts.c) into the ledger's layout (internal/ledger_impl.h): the
 * rows are sorted once by (customer, month) (internal/sort.h), duplicates
 * are merged with compensated summation in sorted (then input) order, and
 * the sort's two key buffers (16 bytes a row) become the ledger's month and
 * MRR columns (trimmed to 12 bytes an entry at the end with libc's
 * allocator), plus 4 bytes a row of segment index when the rows carry more
 * than one segment. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "internal/ledger_impl.h"
#include "internal/sort.h"
#include "internal/table.h"

CSM__DEFINE_OPTS_INIT(csm_ledger_opts_init, csm_ledger_opts, CSM_LEDGER_OPTS_INIT)


long csm__ledger_seg_index(const csm_ledger *l, int32_t s) {
    size_t lo = csm__lower_bound_i32(l->seg_ids, 0, l->n_seg, s);
    if (lo < l->n_seg && l->seg_ids[lo] == s)
        return (long)lo;
    return -1;
}

CSM_API void csm_ledger_free(csm_ledger *l) {
    if (!l)
        return;
    csm__lfree(l, l->cust_id);
    csm__lfree(l, l->cust_off);
    csm__lfree(l, l->period);
    csm__lfree(l, l->mrr);
    csm__lfree(l, l->seg);
    csm__lfree(l, l->seg_ids);
    csm__lfree(l, l->intra_month);
    csm__lfree(l, l->intra_seg);
    csm__lfree(l, l->iv_start);
    csm__lfree(l, l->iv_end);
    csm__lfree(l, l->iv_seg);
    csm_allocator a = l->alloc;
    csm__free(a.alloc ? &a : NULL, l);
}

CSM_API size_t csm_ledger_customer_count(const csm_ledger *l) {
    return l ? l->n_cust : 0;
}
CSM_API size_t csm_ledger_entry_count(const csm_ledger *l) {
    return l ? l->n_ent : 0;
}
CSM_API int32_t csm_ledger_first_month(const csm_ledger *l) {
    return l ? l->first_month : CSM_MONTH_NONE;
}
CSM_API int32_t csm_ledger_last_month(const csm_ledger *l) {
    return l ? l->last_month : CSM_MONTH_NONE;
}

size_t csm__ledger_entry_from(const csm_ledger *l, size_t c, int32_t month) {
    return csm__lower_bound_i32(l->period, l->cust_off[c], l->cust_off[c + 1],
                                month);
}

long csm__ledger_entry_at(const csm_ledger *l, size_t c, int32_t month) {
    size_t j = csm__ledger_entry_from(l, c, month);
    if (j < l->cust_off[c + 1] && l->period[j] == month)
        return (long)j;
    return -1;
}

typedef struct {
    int64_t cust;
    size_t row;
} cust_row;

static int cmp_cust_row(const void *x, const void *y) {
    const cust_row *p = x, *q = y;
    if (p->cust != q->cust)
        return p->cust < q->cust ? -1 : 1;
    return (p->row > q->row) - (p->row < q->row);
}

csm_status csm__ledger_match(size_t *row_of, const csm_ledger *l,
                             const int64_t *customer, size_t n,
                             const char *dup_field, const char *dup_msg,
                             csm_error *err) {
    cust_row *k = NULL;
    if (n > 0) {
        k = csm__lalloc(l, n, sizeof *k);
        if (!k)
            return csm__fail(err, CSM_ENOMEM, CSM_NO_ROW, NULL, NULL);
        for (size_t i = 0; i < n; i++) {
            k[i].cust = customer[i];
            k[i].row = i;
        }
        qsort(k, n, sizeof *k, cmp_cust_row);
    }
    for (size_t i = 1; dup_field && i < n; i++)
        if (k[i].cust == k[i - 1].cust) {
            size_t row = k[i].row;
            csm__lfree(l, k);
            return csm__fail(err, CSM_EDUP, row, dup_field, dup_msg);
        }
    /* merge join on the ascending ids: the first of a customer's rows */
    size_t i = 0;
    for (size_t c = 0; c < l->n_cust; c++) {
        while (i < n && k[i].cust < l->cust_id[c])
            i++;
        row_of[c] = i < n && k[i].cust == l->cust_id[c] ? k[i].row : SIZE_MAX;
    }
    csm__lfree(l, k);
    return CSM_OK;
}

CSM_API double csm_ledger_mrr(const csm_ledger *l, int32_t month) {
    if (!l)
        return NAN;
    csm__ksum k = {0, 0};
    for (size_t c = 0; c < l->n_cust; c++) {
        long j = csm__ledger_entry_at(l, c, month);
        if (j >= 0)
            csm__ksum_add(&k, l->mrr[j]);
    }
    return csm__ksum_value(&k);
}

#define COL(m, n, ty, st, r, d) CSM__COLDEF(csm_ledger_month, m, n, ty, st, r, d)
static const csm__coldef month_cols[] = {CSM_LEDGER_MONTH_COLUMNS(COL)};
#undef COL

CSM__DEFINE_RESULT_FREE(csm_ledger_month_free, csm_ledger_month)

CSM_API csm_status csm_ledger_month_compute(csm_ledger_month **out,
                                            const csm_ledger *l,
                                            int32_t month, csm_error *err) {
    csm_status st = csm__ledger_call(out != NULL, l, NULL, 0, NULL, err);
    if (out)
        *out = NULL;
    if (st != CSM_OK)
        return st;
    if (month == CSM_MONTH_NONE)
        return csm__fail(err, CSM_EDOMAIN, CSM_NO_ROW, "month",
                         "CSM_MONTH_NONE is not a month");
    size_t n = 0;
    for (size_t c = 0; c < l->n_cust; c++)
        n += csm__ledger_entry_at(l, c, month) >= 0;
    const csm__tabspec spec = {"ledger_month", month_cols,
                               CSM__NCOLS(month_cols), n};
    csm_ledger_month *m =
        csm__result_new(csm__ledger_allocator(l), "ledger_month",
                        sizeof *m, &spec, 1, NULL, 0, 0);
    if (!m)
        return csm__fail(err, CSM_ENOMEM, CSM_NO_ROW, NULL, NULL);
    m->n_rows = n;
    m->month = month;
    size_t i = 0;
    for (size_t c = 0; c < l->n_cust; c++) {
        long j = csm__ledger_entry_at(l, c, month);
        if (j < 0)
            continue;
        m->customer_id[i] = l->cust_id[c];
        m->segment[i] = csm__lseg_id(l, (size_t)j);
        m->mrr[i] = l->mrr[j];
        i++;
    }
    *out = m;
    return CSM_OK;
}

/* ---- the shared builder ----------------------------------------------- */
/* csm__ledger_build of the rows rows[0..n_rows) (rows non-NULL: ascending
 * indices below n, checked by the caller), or of the rows of customer
 * partition part of n_parts (n_parts 0: every row): the sort keeps only
 * those rows, whose indices stay the caller's. */
static csm_status ledger_build_part(csm_ledger **out, const int64_t *cust,
                                    const int32_t *period, const double *mrr,
                                    const int32_t *segment,
                                    const uint8_t *touch, size_t n,
                                    const uint32_t *rows, size_t n_rows,
                                    uint32_t part, uint32_t n_parts,
                                    const csm_ledger_opts *o, csm_error *err) {
    const csm_allocator *ua = o->allocator;
    csm_status ast = csm__alloc_check(ua, "opts.allocator", err);
    if (ast != CSM_OK)
        return ast;
    if (n > (size_t)UINT32_MAX)
        return csm__fail(err, CSM_ERANGE, CSM_NO_ROW, "n",
                         "more than 2^32-1 rows in one ledger; build "
                         "ledgers per partition");
    csm_ledger *l = csm__alloc(ua, sizeof *l);
    if (!l)
        return csm__fail(err, CSM_ENOMEM, CSM_NO_ROW, NULL, NULL);
    memset(l, 0, sizeof *l);
    if (ua)
        l->alloc = *ua;
    l->free_is_active = o->free_is_active != 0;
    l->first_month = l->last_month = CSM_MONTH_NONE;
    const csm_allocator *a = ua;
    csm_status st = CSM_OK;
    csm__segmap sm;
    memset(&sm, 0, sizeof sm);
    csm__sorted_rows sr;
    memset(&sr, 0, sizeof sr);
    uint8_t *used = NULL;

    st = csm__segmap_build(&sm, a, segment, rows, rows ? n_rows : n);
    if (st != CSM_OK)
        goto fail;
    st = csm__sort_rows(&sr, a, cust, period, mrr, segment, touch, &sm, n,
                        rows, n_rows, part, n_parts);
    if (st != CSM_OK)
        goto fail;
    const size_t ns = sr.n; /* the rows sorted: n, or the partition's */

    /* pass 1 (keys only): count (customer, month) groups and customers;
     * strict check.  The group count bounds the entries (a group whose
     * MRR sums to 0 is not an entry) and the intra-month touches. */
    size_t n_groups = 0, n_cust = 0;
    for (size_t i = 0; i < ns;) {
        size_t j = i;
        int real = 0;
        while (j < ns && csm__sr_same(&sr, j, i)) {
            real += !csm__sr_touch(&sr, j);
            j++;
        }
        if (real > 1 && o->strict) {
            /* name the second of the duplicate rows in input order */
            int64_t c = csm__sr_cust(&sr, i);
            int32_t p = csm__sr_per(&sr, i);
            size_t seen = 0, r = 0;
            for (size_t x = 0; x < (rows ? n_rows : n); x++) {
                size_t k = rows ? rows[x] : x;
                if (cust[k] == c && period[k] == p && !(touch && touch[k]) &&
                    ++seen == 2) {
                    r = k;
                    break;
                }
            }
            st = csm__fail(err, CSM_EDUP, r, "period",
                           "duplicate (customer_id, period) row (strict "
                           "mode)");
            goto fail_detail;
        }
        n_groups++;
        if (i == 0 || csm__sr_cust(&sr, i) != csm__sr_cust(&sr, i - 1))
            n_cust++;
        i = j;
    }

    /* The entries' months are written in place over the sorted keys
     * (entry g overlaps key g/2, already read when g is written); the MRR
     * goes into the sort's spare key buffer (indexed layout) or over the
     * sorted MRR (packed layout: entry g is written after rows >= g were
     * read), and the segment index, when the rows carry more than one
     * segment, into the spare buffer if the MRR left it free.  No fresh
     * pages, no copy; the ledger then owns those buffers. */
    csm__sorted_rows view = sr;
    /* the bytes of each column's block, for the trim at the end */
    size_t period_bytes, mrr_bytes, seg_bytes = 0;
    if (sr.key && ns > 0) {
        period_bytes = mrr_bytes = ns * sizeof(uint64_t); /* sort buffers */
        uint64_t *spare = sr.spare;
        l->period = (int32_t *)(void *)sr.key;
        sr.key = NULL;
        sr.spare = NULL;
        if (sr.val) {
            l->mrr = sr.val;
            sr.val = NULL;
        } else {
            l->mrr = (double *)(void *)spare;
            spare = NULL;
        }
        if (sm.n > 1 && spare) {
            l->seg = (uint32_t *)(void *)spare;
            seg_bytes = ns * sizeof(uint64_t);
            spare = NULL;
        }
        csm__free(a, spare);
    } else {
        l->period = csm__alloc_array(a, n_groups, sizeof *l->period);
        l->mrr = csm__alloc_array(a, n_groups, sizeof *l->mrr);
        period_bytes = n_groups * sizeof *l->period;
        mrr_bytes = n_groups * sizeof *l->mrr;
    }
    if (sm.n > 1 && !l->seg) {
        l->seg = csm__alloc_array(a, n_groups, sizeof *l->seg);
        seg_bytes = n_groups * sizeof *l->seg;
    }
    l->cust_id = csm__alloc_array(a, n_cust, sizeof *l->cust_id);
    l->cust_off = csm__alloc_array(a, n_cust + 1, sizeof *l->cust_off);
    if (touch && n_groups) {
        l->intra_month = csm__alloc_array(a, n_groups, sizeof *l->intra_month);
        l->intra_seg = csm__alloc_array(a, n_groups, sizeof *l->intra_seg);
    }
    if ((n_groups && (!l->period || !l->mrr)) || (sm.n > 1 && !l->seg) ||
        !l->cust_id || !l->cust_off ||
        (touch && n_groups && (!l->intra_month || !l->intra_seg))) {
        st = CSM_ENOMEM;
        goto fail;
    }

    /* pass 2: fill.  A group's segment is its smallest segment id (rows
     * are sorted by segment index within a group).  Everything a group
     * needs is read before its entry is written (see above). */
    size_t g = 0, c = 0, n_intra = 0;
    int64_t prev_cust = 0;
    const size_t ahead = 24; /* rows: the MRR gather is a cache miss */
    const uint64_t rmask = view.src ? (((uint64_t)1 << view.rb) - 1) : 0;
    for (size_t i = 0; i < ns;) {
        size_t j = i;
        int real = 0;
        csm__ksum s = {0, 0};
#if defined(__GNUC__)
        if (view.src && i + ahead < ns)
            __builtin_prefetch(view.src + (view.key[i + ahead] & rmask));
#endif
        while (j < ns && csm__sr_same(&view, j, i)) {
            if (!csm__sr_touch(&view, j)) {
                real = 1;
                csm__ksum_add(&s, csm__sr_val(&view, j));
            }
            j++;
        }
        int64_t cid = csm__sr_cust(&view, i);
        int32_t p = csm__sr_per(&view, i);
        uint32_t seg = csm__sr_seg(&view, i);
        if (i == 0 || cid != prev_cust) {
            l->cust_id[c] = cid;
            l->cust_off[c] = g;
            c++;
        }
        prev_cust = cid;
        double v = csm__ksum_value(&s);
        if (real && csm__ledger_active(l, v)) {
            l->period[g] = p;
            l->mrr[g] = v;
            if (l->seg)
                l->seg[g] = seg;
            g++;
        } else if (touch) {
            /* service in p without being active at its end: intra-period
             * if also not active at the end of p-1 */
            int prev_active = g > l->cust_off[c - 1] &&
                              l->period[g - 1] == p - 1;
            if (!prev_active) {
                l->intra_month[n_intra] = p;
                l->intra_seg[n_intra] = seg;
                n_intra++;
            }
        }
        i = j;
    }
    l->cust_off[c] = g;
    l->n_ent = g;
    l->n_intra = n_intra;

    /* drop customers left with no entries (only touches / zero MRR) */
    {
        size_t w = 0;
        for (size_t k = 0; k < c; k++) {
            if (l->cust_off[k + 1] > l->cust_off[k]) {
                l->cust_id[w] = l->cust_id[k];
                l->cust_off[w] = l->cust_off[k];
                w++;
            }
        }
        l->cust_off[w] = g;
        l->n_cust = w;
    }

    /* keep only the segments that entries or intra touches use */
    used = csm__alloc_array(a, sm.n, sizeof *used);
    l->seg_ids = csm__alloc_array(a, sm.n, sizeof *l->seg_ids);
    if (!used || !l->seg_ids) {
        st = CSM_ENOMEM;
        goto fail;
    }
    memset(used, 0, sm.n);
    if (l->seg) {
        for (size_t k = 0; k < g; k++)
            used[l->seg[k]] = 1;
    } else if (g > 0) {
        used[0] = 1;
    }
    for (size_t k = 0; k < n_intra; k++)
        used[l->intra_seg[k]] = 1;
    {
        /* reuse sm.tab-free remap: new index by prefix count */
        uint32_t *remap = csm__alloc_array(a, sm.n, sizeof *remap);
        if (!remap) {
            st = CSM_ENOMEM;
            goto fail;
        }
        size_t u = 0;
        for (size_t k = 0; k < sm.n; k++)
            if (used[k]) {
                l->seg_ids[u] = sm.ids[k];
                remap[k] = (uint32_t)u++;
            }
        l->n_seg = u;
        for (size_t k = 0; l->seg && k < g; k++)
            l->seg[k] = remap[l->seg[k]];
        for (size_t k = 0; k < n_intra; k++)
            l->intra_seg[k] = remap[l->intra_seg[k]];
        csm__free(a, remap);
    }
    for (size_t k = 0; k < g; k++) {
        if (l->first_month == CSM_MONTH_NONE || l->period[k] < l->first_month)
            l->first_month = l->period[k];
        if (l->last_month == CSM_MONTH_NONE || l->period[k] > l->last_month)
            l->last_month = l->period[k];
    }
    csm__free(a, used);
    csm__sorted_free(&sr, a);
    csm__segmap_free(&sm, a);
    /* Give back what the columns do not use (libc's realloc, or the
     * caller's realloc hook): the month column lives in a buffer of n
     * 8-byte keys (4 bytes an entry used) and merged duplicates leave
     * every column's tail unused. */
    if (g > 0) {
        l->period = csm__shrink_array(a, l->period, period_bytes, g,
                                      sizeof *l->period);
        l->mrr = csm__shrink_array(a, l->mrr, mrr_bytes, g, sizeof *l->mrr);
        if (l->seg)
            l->seg = csm__shrink_array(a, l->seg, seg_bytes, g,
                                       sizeof *l->seg);
    }
    *out = l;
    return CSM_OK;

fail:
    csm__fail(err, st, CSM_NO_ROW, NULL, NULL);
fail_detail:
    csm__free(a, used);
    csm__sorted_free(&sr, a);
    csm__segmap_free(&sm, a);
    csm_ledger_free(l);
    return st;
}

csm_status csm__ledger_build(csm_ledger **out, const int64_t *cust,
                             const int32_t *period, const double *mrr,
                             const int32_t *segment, const uint8_t *touch,
                             size_t n, const csm_ledger_opts *o,
                             csm_error *err) {
    return ledger_build_part(out, cust, period, mrr, segment, touch, n, NULL,
                             0, 0, 0, o, err);
}

/* The row checks of csm_ledger_new: row i's month and MRR, and the
 * running total of the MRR (*total) against CSM_SUM_MAX. */
static csm_status check_row(size_t i, int32_t period, double mrr,
                            double *total, csm_error *err) {
    if (!csm_month_valid(period))
        return csm__failf(err, CSM_EDOMAIN, i, "period",
                          "month outside the valid range", NULL,
                          "month index %ld outside [%d, %d] (years "
                          "0001..9999)",
                          (long)period, CSM_MONTH_MIN, CSM_MONTH_MAX);
    if (!isfinite(mrr))
        return csm__fail(err, CSM_EDOMAIN, i, "mrr",
                         "MRR must be a finite number");
    if (mrr < 0.0)
        return csm__fail(err, CSM_EDOMAIN, i, "mrr", "MRR must be >= 0");
    if (!csm__sum_bound_add(total, mrr))
        return csm__fail(err, CSM_ERANGE, i, "mrr",
                         "the MRR rows sum beyond CSM_SUM_MAX (1e300)");
    return CSM_OK;
}

/* The argument checks of csm_ledger_new and csm_ledger_new_partition, then
 * the options read over the defaults into *o.  Sets *out to NULL. */
static csm_status ledger_new_call(csm_ledger **out, const int64_t *cust,
                                  const int32_t *period, const double *mrr,
                                  size_t n, csm_ledger_opts *o,
                                  const csm_ledger_opts *opts,
                                  csm_error *err) {
    csm_error_clear(err);
    if (!out)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "out", "is NULL");
    *out = NULL;
    if (n > 0 && (!cust || !period || !mrr))
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW,
                         !cust ? "customer_id" : !period ? "period" : "mrr",
                         "array is NULL while n > 0");
    *o = (csm_ledger_opts)CSM_LEDGER_OPTS_INIT;
    return csm__opts_load(o, sizeof *o, opts, err);
}

CSM_API csm_status csm_ledger_new(csm_ledger **out, const int64_t *cust,
                                  const int32_t *period, const double *mrr,
                                  const int32_t *segment, size_t n,
                                  const csm_ledger_opts *opts,
                                  csm_error *err) {
    csm_ledger_opts o;
    csm_status st = ledger_new_call(out, cust, period, mrr, n, &o, opts, err);
    if (st != CSM_OK)
        return st;
    double total = 0.0;
    for (size_t i = 0; i < n; i++)
        if ((st = check_row(i, period[i], mrr[i], &total, err)) != CSM_OK)
            return st;
    return csm__ledger_build(out, cust, period, mrr, segment, NULL, n, &o,
                             err);
}

/* ---- customer partitions ------------------------------------------------ */
CSM_API uint32_t csm_ledger_partition_of(int64_t customer_id,
                                         uint32_t n_partitions) {
    /* the high 32 bits of id x 2^64/phi (Fibonacci hashing), scaled to
     * [0, n) by a multiply and a shift (no division) */
    return csm__partition_of(customer_id, n_partitions);
}

CSM_API csm_status csm_ledger_new_partition(
    csm_ledger **out, const int64_t *cust, const int32_t *period,
    const double *mrr, const int32_t *segment, size_t n, uint32_t partition,
    uint32_t n_partitions, const csm_ledger_opts *opts, csm_error *err) {
    csm_ledger_opts o;
    csm_status st = ledger_new_call(out, cust, period, mrr, n, &o, opts, err);
    if (st != CSM_OK)
        return st;
    if (n_partitions == 0 || partition >= n_partitions)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "partition",
                         "needs partition < n_partitions");
    if ((st = csm__alloc_check(o.allocator, "opts.allocator", err)) != CSM_OK)
        return st;
    /* check the partition's rows, then build from them in place (the
     * sort keeps the partition's rows, so errors name the caller's) */
    double total = 0.0;
    for (size_t i = 0; i < n; i++)
        if (csm__partition_of(cust[i], n_partitions) == partition &&
            (st = check_row(i, period[i], mrr[i], &total, err)) != CSM_OK)
            return st;
    return ledger_build_part(out, cust, period, mrr, segment, NULL, n, NULL,
                             0, partition, n_partitions, &o, err);
}

/* The argument checks shared by csm_ledger_partition_count, _deal and
 * _rows: counts (their K-entry array: counts, next or offsets, named
 * out_field) and out (the array written) non-NULL, customer_id non-NULL
 * while n > 0, n_partitions > 0. */
static csm_status deal_call(const void *out, const char *out_field,
                            const size_t *counts, const int64_t *cust,
                            size_t n, uint32_t n_partitions, csm_error *err) {
    csm_error_clear(err);
    if (!counts)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, out_field, "is NULL");
    if (n > 0 && (!out || !cust))
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW,
                         !cust ? "customer_id" : "rows",
                         "array is NULL while n > 0");
    if (n_partitions == 0)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "n_partitions",
                         "must be > 0");
    return CSM_OK;
}

CSM_API csm_status csm_ledger_partition_count(size_t *counts,
                                              const int64_t *cust, size_t n,
                                              uint32_t n_partitions,
                                              csm_error *err) {
    csm_status st = deal_call(counts, "counts", counts, cust, n,
                              n_partitions, err);
    if (st != CSM_OK)
        return st;
    memset(counts, 0, (size_t)n_partitions * sizeof *counts);
    for (size_t i = 0; i < n; i++)
        counts[csm__partition_of(cust[i], n_partitions)]++;
    return CSM_OK;
}

CSM_API csm_status csm_ledger_partition_deal(uint32_t *rows, size_t n_rows,
                                             size_t *next, const int64_t *cust,
                                             size_t n, size_t first_row,
                                             uint32_t n_partitions,
                                             csm_error *err) {
    csm_status st = deal_call(rows, "next", next, cust, n,
                              n_partitions, err);
    if (st != CSM_OK)
        return st;
    /* the last index, first_row + n - 1, fits 32 bits (no wrap with a
     * 32-bit size_t either) */
    if (first_row > (size_t)UINT32_MAX ||
        (n > 0 && n - 1 > (size_t)UINT32_MAX - first_row))
        return csm__fail(err, CSM_ERANGE, CSM_NO_ROW, "first_row",
                         "row indices beyond 2^32 - 1: they are 32-bit");
    for (size_t i = 0; i < n; i++) {
        size_t *slot = &next[csm__partition_of(cust[i], n_partitions)];
        if (*slot >= n_rows)
            return csm__fail(err, CSM_EINVAL, first_row + i, "next",
                             "a partition's next slot is past the end of "
                             "rows (counts and slots disagree)");
        rows[(*slot)++] = (uint32_t)(first_row + i);
    }
    return CSM_OK;
}

CSM_API csm_status csm_ledger_partition_rows(uint32_t *rows, size_t *offsets,
                                             const int64_t *cust, size_t n,
                                             uint32_t n_partitions,
                                             csm_error *err) {
    csm_status st = deal_call(rows, "offsets", offsets, cust, n,
                              n_partitions, err);
    if (st != CSM_OK)
        return st;
    if (n > (size_t)UINT32_MAX)
        return csm__fail(err, CSM_ERANGE, CSM_NO_ROW, "n",
                         "more than 2^32-1 rows: row indices are 32-bit");
    /* a counting sort of the row indices by partition: count into
     * offsets[1..], turn the counts into first slots (offsets[k + 1] = the
     * first slot of partition k), then deal with offsets + 1 as the next
     * slots, which leaves offsets[k + 1] at the end of partition k */
    offsets[0] = 0;
    if ((st = csm_ledger_partition_count(offsets + 1, cust, n, n_partitions,
                                         err)) != CSM_OK)
        return st;
    size_t sum = 0;
    for (uint32_t k = 1; k <= n_partitions; k++) {
        size_t c = offsets[k];
        offsets[k] = sum;
        sum += c;
    }
    return csm_ledger_partition_deal(rows, n, offsets + 1, cust, n, 0,
                                     n_partitions, err);
}

CSM_API csm_status csm_ledger_new_rows(
    csm_ledger **out, const int64_t *cust, const int32_t *period,
    const double *mrr, const int32_t *segment, size_t n, const uint32_t *rows,
    size_t n_rows, const csm_ledger_opts *opts, csm_error *err) {
    csm_ledger_opts o;
    csm_status st =
        ledger_new_call(out, cust, period, mrr, n_rows, &o, opts, err);
    if (st != CSM_OK)
        return st;
    if (n_rows > 0 && !rows)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "rows",
                         "array is NULL while n_rows > 0");
    if ((st = csm__alloc_check(o.allocator, "opts.allocator", err)) != CSM_OK)
        return st;
    /* the list, then each listed row's checks, in list order */
    double total = 0.0;
    for (size_t x = 0; x < n_rows; x++) {
        const size_t i = rows[x];
        if (i >= n || (x > 0 && i <= rows[x - 1]))
            return csm__failf(err, CSM_EINVAL, x, "rows",
                              "row indices must ascend below n", NULL,
                              "row index %zu %s", i,
                              i >= n ? "is not below n"
                                     : "does not ascend (the list must be "
                                       "strictly ascending)");
        if ((st = check_row(i, period[i], mrr[i], &total, err)) != CSM_OK)
            return st;
    }
    /* an empty list may be NULL; to the builder NULL means every row */
    static const uint32_t no_rows[1] = {0};
    return ledger_build_part(out, cust, period, mrr, segment, NULL, n,
                             n_rows ? rows : no_rows, n_rows, 0, 0, &o, err);
}
