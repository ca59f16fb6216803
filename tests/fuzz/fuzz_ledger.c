/* fuzz_ledger.c - libFuzzer harness: a ledger built from arbitrary MRR rows
 * (months near 2024-01 and at the int32 extremes, amounts from 0 to 1e308,
 * NaN and inf, duplicate rows, segments), then every computation on it.
 * Properties: a failed build names its row; the movement bridge reconciles
 * in every row (closing = opening + net_new, net_new = the sum of the
 * movement columns, opening = the previous closing, closing = the ledger's
 * MRR), and so does the customer bridge; the events add up to the movements; GRR <= NRR; counts are never
 * negative and every column of every result has n_rows values. */
#include "fuzz.h"

#define MAX_ROWS 512

static void check_movements(const csm_ledger *lg, const csm_movements *m,
                            int by_segment) {
    fuzz_check_result(m->result);
    FUZZ_CHECK(m->n_rows == m->n_months * m->n_segments, "%zu != %zu x %zu",
               m->n_rows, m->n_months, m->n_segments);
    for (size_t i = 0; i < m->n_rows; i++) {
        double scale = m->opening_mrr[i] + m->closing_mrr[i] + m->new_mrr[i] +
                       m->reactivation_mrr[i] + m->expansion_mrr[i] +
                       m->contraction_mrr[i] + m->churn_mrr[i] +
                       fabs(m->adjustment_mrr[i]) + m->segment_in_mrr[i] +
                       m->segment_out_mrr[i];
        double net = m->new_mrr[i] + m->reactivation_mrr[i] +
                     m->expansion_mrr[i] - m->contraction_mrr[i] -
                     m->churn_mrr[i] + m->adjustment_mrr[i] +
                     m->segment_in_mrr[i] - m->segment_out_mrr[i];
        FUZZ_CHECK(fuzz_close(m->closing_mrr[i],
                              m->opening_mrr[i] + m->net_new_mrr[i], scale),
                   "row %zu: closing %.17g != opening %.17g + net_new %.17g",
                   i, m->closing_mrr[i], m->opening_mrr[i], m->net_new_mrr[i]);
        FUZZ_CHECK(fuzz_close(m->net_new_mrr[i], net, scale),
                   "row %zu: net_new %.17g != movements %.17g", i,
                   m->net_new_mrr[i], net);
        /* the customer bridge: intra-period customers, when counted, are
         * in both new and churned */
        FUZZ_CHECK(m->closing_customers[i] ==
                       m->opening_customers[i] + m->new_customers[i] +
                           m->reactivated_customers[i] -
                           m->churned_customers[i] +
                           m->segment_in_customers[i] -
                           m->segment_out_customers[i],
                   "row %zu: customers %lld != opening %lld + new %lld + "
                   "reactivated %lld - churned %lld + in %lld - out %lld",
                   i, (long long)m->closing_customers[i],
                   (long long)m->opening_customers[i],
                   (long long)m->new_customers[i],
                   (long long)m->reactivated_customers[i],
                   (long long)m->churned_customers[i],
                   (long long)m->segment_in_customers[i],
                   (long long)m->segment_out_customers[i]);
        if (i >= m->n_segments) {
            size_t p = i - m->n_segments;
            FUZZ_CHECK(m->opening_mrr[i] == m->closing_mrr[p],
                       "row %zu: opening %.17g != closing of t-1 %.17g", i,
                       m->opening_mrr[i], m->closing_mrr[p]);
            FUZZ_CHECK(m->opening_customers[i] == m->closing_customers[p],
                       "row %zu: opening customers", i);
        }
        if (!by_segment)
            FUZZ_CHECK(fuzz_close(m->closing_mrr[i],
                                  csm_ledger_mrr(lg, m->month[i]), scale),
                       "row %zu: closing %.17g != ledger MRR %.17g", i,
                       m->closing_mrr[i], csm_ledger_mrr(lg, m->month[i]));
    }
}

/* The events of each month, added by kind, are the movements columns. */
static void check_events(const csm_movements *m,
                         const csm_movements_events *e) {
    fuzz_check_result(e->result);
    if (m->n_segments != 1)
        return;
    size_t j = 0;
    for (size_t i = 0; i < m->n_rows; i++) {
        double sum[9] = {0};
        double scale = 0;
        while (j < e->n_rows && e->month[j] == m->month[i]) {
            int k = e->kind_code[j];
            FUZZ_CHECK(k >= 1 && k <= 8, "kind %d", k);
            sum[k] += e->amount[j];
            scale += fabs(e->amount[j]);
            j++;
        }
        FUZZ_CHECK(fuzz_close(sum[CSM_MOVEMENTS_NEW], m->new_mrr[i], scale),
                   "month %d new", m->month[i]);
        FUZZ_CHECK(fuzz_close(sum[CSM_MOVEMENTS_CHURN], m->churn_mrr[i], scale),
                   "month %d churn", m->month[i]);
        FUZZ_CHECK(fuzz_close(sum[CSM_MOVEMENTS_EXPANSION], m->expansion_mrr[i],
                              scale),
                   "month %d expansion", m->month[i]);
        FUZZ_CHECK(fuzz_close(sum[CSM_MOVEMENTS_CONTRACTION],
                              m->contraction_mrr[i], scale),
                   "month %d contraction", m->month[i]);
    }
    FUZZ_CHECK(j == e->n_rows, "events outside the movements' months");
}

static void check_retention(const csm_retention *r) {
    fuzz_check_result(r->result);
    for (size_t i = 0; i < r->n_rows; i++) {
        if (!isnan(r->grr[i]) && !isnan(r->nrr[i]))
            FUZZ_CHECK(r->grr[i] <= r->nrr[i] * (1 + 1e-12) + 1e-12,
                       "row %zu: GRR %.17g > NRR %.17g", i, r->grr[i],
                       r->nrr[i]);
        FUZZ_CHECK(isnan(r->grr[i]) || (r->grr[i] >= 0 && r->grr[i] <= 1 + 1e-12),
                   "row %zu: GRR %.17g", i, r->grr[i]);
        FUZZ_CHECK(isnan(r->logo_retention[i]) ||
                       (r->logo_retention[i] >= 0 && r->logo_retention[i] <= 1),
                   "row %zu: logo retention %.17g", i, r->logo_retention[i]);
        FUZZ_CHECK(r->retained_customers[i] <= r->base_customers[i],
                   "row %zu: retained > base", i);
    }
}

/* The rows that built lg, dealt to k customer partitions
 * (csm_ledger_partition_rows) and built from each row list
 * (csm_ledger_new_rows): every list ascends and holds its partition's
 * rows only, and every partition builds (its rows pass whatever all the
 * rows passed: MRR >= 0, so its running sums stay below the whole's; no
 * duplicates where the whole had none), with lg's customers and entries
 * between them and, month by month, lg's MRR. */
static void check_partitions(const csm_ledger *lg, const int64_t *cust,
                             const int32_t *month, const double *mrr,
                             const int32_t *seg, size_t n,
                             const csm_ledger_opts *lo, uint32_t k) {
    uint32_t *rows = calloc(n + 1, sizeof *rows);
    size_t off[5];
    csm_error err;
    csm_status st = csm_ledger_partition_rows(rows, off, cust, n, k, &err);
    FUZZ_CHECK(st == CSM_OK && off[0] == 0 && off[k] == n,
               "dealing %zu rows: %d", n, (int)st);
    size_t nc = 0, ne = 0;
    int32_t first = csm_ledger_first_month(lg);
    int32_t last = csm_ledger_last_month(lg);
    double *sum = calloc(first == CSM_MONTH_NONE ? 1 : (size_t)(last - first + 1),
                         sizeof *sum);
    for (uint32_t p = 0; p < k; p++) {
        for (size_t j = off[p]; j < off[p + 1]; j++)
            FUZZ_CHECK(rows[j] < n && (j == off[p] || rows[j] > rows[j - 1]) &&
                           csm_ledger_partition_of(cust[rows[j]], k) == p,
                       "partition %u: slot %zu holds row %u", p, j, rows[j]);
        csm_ledger *l = NULL;
        st = csm_ledger_new_rows(&l, cust, month, mrr, seg, n, rows + off[p],
                                 off[p + 1] - off[p], lo, &err);
        FUZZ_CHECK(st == CSM_OK, "partition %u of %u failed: %s", p, k,
                   err.text);
        nc += csm_ledger_customer_count(l);
        ne += csm_ledger_entry_count(l);
        for (int32_t t = first; first != CSM_MONTH_NONE && t <= last; t++)
            sum[t - first] += csm_ledger_mrr(l, t);
        csm_ledger_free(l);
    }
    FUZZ_CHECK(nc == csm_ledger_customer_count(lg) &&
                   ne == csm_ledger_entry_count(lg),
               "partitions: %zu customers, %zu entries", nc, ne);
    for (int32_t t = first; first != CSM_MONTH_NONE && t <= last; t++)
        FUZZ_CHECK(fuzz_close(sum[t - first], csm_ledger_mrr(lg, t),
                              fabs(csm_ledger_mrr(lg, t))),
                   "month %d: partitions %.17g, ledger %.17g", t,
                   sum[t - first], csm_ledger_mrr(lg, t));
    free(sum);
    free(rows);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    fuzz_in in = {data, size};
    uint8_t mode = fuzz_u8(&in);
    csm_ledger_opts lo = CSM_LEDGER_OPTS_INIT;
    lo.strict = mode & 1;
    lo.free_is_active = (mode >> 1) & 1;
    int with_segments = (mode >> 2) & 1;
    int wide_ids = (mode >> 3) & 1;
    csm_movements_opts mo = CSM_MOVEMENTS_OPTS_INIT;
    mo.by_segment = with_segments && ((mode >> 4) & 1);
    mo.count_intra_period = (mode >> 5) & 1;
    mo.reactivation_window = (int32_t)(fuzz_u8(&in) % 16) - 1;
    mo.tolerance = fuzz_f64(&in);
    if ((mode >> 6) & 1) {
        mo.first_month = fuzz_i32_near(&in, 24280, 24);
        mo.last_month = fuzz_i32_near(&in, 24284, 24);
    }
    csm_retention_opts ro = CSM_RETENTION_OPTS_INIT;
    ro.window = fuzz_i32_near(&in, 0, 14);
    ro.nrr_mode = fuzz_u8(&in) % 3;
    ro.by_segment = with_segments && ((mode >> 7) & 1);

    size_t n = in.n / (wide_ids ? 10 : 3);
    if (n > MAX_ROWS)
        n = MAX_ROWS;
    int64_t *cust = calloc(n + 1, sizeof *cust);
    int32_t *month = calloc(n + 1, sizeof *month);
    double *mrr = calloc(n + 1, sizeof *mrr);
    int32_t *seg = calloc(n + 1, sizeof *seg);
    for (size_t i = 0; i < n; i++) {
        cust[i] = wide_ids ? (int64_t)fuzz_u64(&in) : fuzz_u8(&in) % 16;
        month[i] = fuzz_i32_near(&in, 24280, 24);
        mrr[i] = fuzz_f64(&in);
        seg[i] = with_segments ? fuzz_i32_near(&in, 0, 4) : 0;
    }

    csm_error err;
    csm_ledger *lg = NULL;
    csm_status st = csm_ledger_new(&lg, cust, month, mrr,
                                   with_segments ? seg : NULL, n, &lo, &err);
    FUZZ_CHECK_ERR(st, err);
    if (st != CSM_OK) {
        FUZZ_CHECK(lg == NULL, "a failed build left a ledger");
        FUZZ_CHECK(st == CSM_ENOMEM || st == CSM_EINVAL || err.row < n,
                   "status %d without its row (%zu)", (int)st, err.row);
        goto done;
    }
    size_t nc = csm_ledger_customer_count(lg);
    FUZZ_CHECK(nc <= n, "%zu customers from %zu rows", nc, n);
    int32_t first = csm_ledger_first_month(lg), last = csm_ledger_last_month(lg);
    if (csm_ledger_entry_count(lg) > 0)
        FUZZ_CHECK(csm_month_valid(first) && csm_month_valid(last) &&
                       first <= last,
                   "ledger months %d..%d", first, last);

    check_partitions(lg, cust, month, mrr, with_segments ? seg : NULL, n,
                     &lo, (uint32_t)(mode % 3) + 2);

    csm_movements *m = NULL;
    st = csm_movements_compute(&m, lg, &mo, &err);
    FUZZ_CHECK_ERR(st, err);
    if (st == CSM_OK) {
        check_movements(lg, m, mo.by_segment);
        csm_movements_events *e = NULL;
        st = csm_movements_events_compute(&e, lg, &mo, &err);
        FUZZ_CHECK(st == CSM_OK, "events failed where movements did not: %s",
                   err.text);
        check_events(m, e);
        csm_movements_events_free(e);
    }
    csm_movements_free(m);

    csm_retention *r = NULL;
    st = csm_retention_compute(&r, lg, &ro, &err);
    FUZZ_CHECK_ERR(st, err);
    if (st == CSM_OK)
        check_retention(r);
    csm_retention_free(r);
    csm_retention_customers *rc = NULL;
    st = csm_retention_customers_compute(&rc, lg, &ro, &err);
    FUZZ_CHECK_ERR(st, err);
    if (st == CSM_OK)
        fuzz_check_result(rc->result);
    csm_retention_customers_free(rc);

    csm_cohorts_opts co = CSM_COHORTS_OPTS_INIT;
    co.by_segment = with_segments;
    co.baseline = mode & 1;
    co.max_age = (int32_t)(mode % 7);
    csm_cohorts *c = NULL;
    st = csm_cohorts_compute(&c, lg, &co, &err);
    FUZZ_CHECK_ERR(st, err);
    if (st == CSM_OK)
        fuzz_check_result(c->result);
    csm_cohorts_free(c);

    csm_lifetimes_opts lto = CSM_LIFETIMES_OPTS_INIT;
    csm_lifetimes *lt = NULL;
    st = csm_lifetimes_from_ledger(&lt, lg, &lto, &err);
    FUZZ_CHECK_ERR(st, err);
    if (st == CSM_OK)
        fuzz_check_result(lt->result);
    csm_lifetimes_free(lt);

    csm_ltv_result ltv;
    st = csm_ltv_from_ledger(&ltv, lg, 0.8, NULL, &err);
    FUZZ_CHECK_ERR(st, err);

    csm_projection_inputs *pi = NULL;
    st = csm_projection_inputs_from_ledger(&pi, lg, NULL, &err);
    FUZZ_CHECK_ERR(st, err);
    if (st == CSM_OK)
        fuzz_check_result(pi->result);
    csm_projection_inputs_free(pi);

    csm_ledger_month *lm = NULL;
    int32_t at = n ? month[0] : 24288;
    st = csm_ledger_month_compute(&lm, lg, at, &err);
    FUZZ_CHECK_ERR(st, err);
    if (st == CSM_OK) {
        fuzz_check_result(lm->result);
        double total = 0, scale = 0;
        for (size_t i = 0; i < lm->n_rows; i++) {
            total += lm->mrr[i];
            scale += fabs(lm->mrr[i]);
        }
        FUZZ_CHECK(fuzz_close(total, csm_ledger_mrr(lg, at), scale),
                   "ledger month %d: rows %.17g != MRR %.17g", at, total,
                   csm_ledger_mrr(lg, at));
    }
    csm_ledger_month_free(lm);

    csm_ledger_free(lg);
done:
    free(cust);
    free(month);
    free(mrr);
    free(seg);
    return 0;
}
