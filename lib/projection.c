/* projection.c - MRR churn scenarios (loop and closed form, and the loop's
 * table as a result table). */
#include <math.h>

#include "csmetrics/projection.h"
#include "csmetrics/movements.h"
#include "internal/ledger_impl.h"
#include "internal/movements.h"
#include "internal/table.h"
#include "internal/util.h"

static int rate_ok(double c) { return c >= 0.0 && c <= 1.0; }

CSM_API csm_status csm_projection_mrr(double *table, size_t months,
                                      double start_mrr,
                                      const csm_projection_scenarios *sc,
                                      csm_error *err) {
    csm_error_clear(err);
    if (!sc)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "scenarios", "is NULL");
    size_t n_scenarios = sc->n;
    const double *churn = sc->churn, *expansion = sc->expansion,
                 *new_mrr = sc->new_mrr;
    if (n_scenarios == 0)
        return CSM_OK;
    if (months == SIZE_MAX || n_scenarios > SIZE_MAX / (months + 1))
        return csm__fail(err, CSM_ERANGE, CSM_NO_ROW, "months",
                         "(months + 1) x n_scenarios overflows");
    if (!table)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "table", "is NULL");
    if (!churn)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "churn", "is NULL");
    if (!csm__nonneg(start_mrr))
        return csm__fail(err, CSM_EDOMAIN, CSM_NO_ROW, "start_mrr",
                         "start MRR must be finite and >= 0");
    for (size_t s = 0; s < n_scenarios; s++) {
        if (!rate_ok(churn[s]))
            return csm__fail(err, CSM_EDOMAIN, s, "churn",
                             "churn rate must be in [0, 1]");
        if (expansion && !csm__nonneg(expansion[s]))
            return csm__fail(err, CSM_EDOMAIN, s, "expansion",
                             "expansion rate must be finite and >= 0");
        if (new_mrr && !csm__nonneg(new_mrr[s]))
            return csm__fail(err, CSM_EDOMAIN, s, "new_mrr",
                             "new MRR must be finite and >= 0");
    }
    for (size_t s = 0; s < n_scenarios; s++)
        table[s] = start_mrr;
    for (size_t t = 0; t < months; t++)
        for (size_t s = 0; s < n_scenarios; s++) {
            double g = 1.0 - churn[s] + (expansion ? expansion[s] : 0.0);
            double nm = new_mrr ? new_mrr[s] : 0.0;
            table[(t + 1) * n_scenarios + s] = table[t * n_scenarios + s] * g + nm;
        }
    return CSM_OK;
}

#define COL(m, n, ty, st, r, d) CSM__COLDEF(csm_projection, m, n, ty, st, r, d)
static const csm__coldef proj_cols[] = {CSM_PROJECTION_COLUMNS(COL)};
#undef COL

CSM__DEFINE_RESULT_FREE(csm_projection_free, csm_projection)

CSM_API csm_status csm_projection_mrr_table(csm_projection **out,
                                            size_t months, double start_mrr,
                                            const csm_projection_scenarios *sc,
                                            const csm_result_opts *opts,
                                            csm_error *err) {
    csm_error_clear(err);
    if (!out)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "out", "is NULL");
    *out = NULL;
    if (!sc)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "scenarios", "is NULL");
    size_t n_scenarios = sc->n;
    const csm_allocator *alloc = NULL;
    csm_status ast = csm__result_opts_load(opts, &alloc, err);
    if (ast != CSM_OK)
        return ast;
    /* the month and scenario keys are int32 */
    if (months > (size_t)INT32_MAX)
        return csm__fail(err, CSM_ERANGE, CSM_NO_ROW, "months",
                         "months must be <= INT32_MAX");
    if (n_scenarios > (size_t)INT32_MAX)
        return csm__fail(err, CSM_ERANGE, CSM_NO_ROW, "n_scenarios",
                         "n_scenarios must be <= INT32_MAX");
    size_t n_months = months + 1;
    if (n_scenarios > SIZE_MAX / n_months)
        return csm__fail(err, CSM_ERANGE, CSM_NO_ROW, "months",
                         "(months + 1) x n_scenarios overflows");
    size_t n_rows = n_months * n_scenarios;
    csm__tabspec spec = {"projection", proj_cols, CSM__NCOLS(proj_cols),
                         n_rows};
    csm_projection *p =
        csm__result_new(alloc, "projection", sizeof *p, &spec, 1, NULL, 0, 0);
    if (!p)
        return csm__fail(err, CSM_ENOMEM, CSM_NO_ROW, NULL, NULL);
    csm_status st = csm_projection_mrr(p->mrr, months, start_mrr, sc, err);
    if (st != CSM_OK) {
        csm_projection_free(p);
        return st;
    }
    p->n_rows = n_rows;
    p->n_months = n_months;
    p->n_scenarios = n_scenarios;
    for (size_t t = 0, i = 0; t < n_months; t++)
        for (size_t s = 0; s < n_scenarios; s++, i++) {
            p->month[i] = (int32_t)t;
            p->scenario[i] = (int32_t)s;
        }
    *out = p;
    return CSM_OK;
}

#define IN_COL(m, n, ty, st, r, d)                                             \
    CSM__COLDEF(csm_projection_inputs, m, n, ty, st, r, d)
static const csm__coldef inputs_cols[] = {CSM_PROJECTION_INPUTS_COLUMNS(IN_COL)};

CSM__DEFINE_RESULT_FREE(csm_projection_inputs_free, csm_projection_inputs)

CSM__DEFINE_OPTS_INIT(csm_projection_inputs_opts_init, csm_projection_inputs_opts,
                      CSM_PROJECTION_INPUTS_OPTS_INIT)

CSM_API csm_status csm_projection_inputs_from_ledger(
    csm_projection_inputs **out, const csm_ledger *ledger,
    const csm_projection_inputs_opts *opts, csm_error *err) {
    csm_projection_inputs_opts po = CSM_PROJECTION_INPUTS_OPTS_INIT;
    csm_status st = csm__opts_load(&po, sizeof po, opts, err);
    if (st != CSM_OK) {
        if (out)
            *out = NULL;
        return st;
    }
    int32_t month = po.month, window = po.window;
    int64_t first = 0;
    st = csm__window_call(out != NULL, &first, &month, ledger, window, err);
    if (out)
        *out = NULL;
    if (st != CSM_OK)
        return st;
    if (first <= (int64_t)CSM_MONTH_NONE)
        return csm__fail(err, CSM_ERANGE, CSM_NO_ROW, "opts.window",
                         "the window starts before the first month index");
    csm_movements_opts mo = CSM_MOVEMENTS_OPTS_INIT;
    mo.first_month = (int32_t)first;
    mo.last_month = month;
    csm_movements *m = NULL;
    st = csm_movements_compute(&m, ledger, &mo, err);
    if (st != CSM_OK)
        return st;
    csm__ksum nm = {0, 0}, rate = {0, 0};
    int64_t n_rate = 0;
    for (size_t i = 0; i < m->n_rows; i++) {
        csm__ksum_add(&nm, m->new_mrr[i]);
        csm__ksum_add(&nm, m->reactivation_mrr[i]);
        if (!isnan(m->gross_mrr_churn_rate[i])) {
            csm__ksum_add(&rate, m->gross_mrr_churn_rate[i]);
            n_rate++;
        }
    }
    double start = m->closing_mrr[m->n_rows - 1];
    csm_movements_free(m);
    uint32_t fl = 0;
    double g = csm__ratio(csm__ksum_value(&rate), (double)n_rate, &fl);
    if (g > 1.0) /* each rate is <= 1: only rounding can pass it */
        g = 1.0;
    csm__tabspec spec = {"project_inputs", inputs_cols,
                         CSM__NCOLS(inputs_cols), 1};
    csm_projection_inputs *p =
        csm__result_new(csm__ledger_allocator(ledger), "project_inputs",
                        sizeof *p, &spec, 1, NULL, 0, 0);
    if (!p)
        return csm__fail(err, CSM_ENOMEM, CSM_NO_ROW, NULL, NULL);
    p->n_rows = 1;
    p->month[0] = month;
    p->start_mrr[0] = start;
    p->new_mrr[0] = csm__ksum_value(&nm) / (double)window;
    p->gross_mrr_churn_rate[0] = g;
    p->window_months[0] = window;
    p->rate_months[0] = n_rate;
    p->flags[0] = fl;
    *out = p;
    return CSM_OK;
}

CSM_API double csm_projection_mrr_closed(double m0, double churn, double expansion,
                                      double n, double t) {
    if (!csm__nonneg(m0) || !rate_ok(churn) || !csm__nonneg(expansion) || !csm__nonneg(n) ||
        !(t >= 0.0) || !isfinite(t))
        return NAN;
    double g = 1.0 - churn + expansion;
    if (g == 1.0)
        return m0 + n * t;
    double gt = pow(g, t);
    return m0 * gt + n * (1.0 - gt) / (1.0 - g);
}

CSM_API csm_status csm_projection_steady_state(csm_metric *out, double churn,
                                            double expansion, double new_mrr,
                                            csm_error *err) {
    csm_error_clear(err);
    if (!out)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "out", "is NULL");
    if (!rate_ok(churn))
        return csm__fail(err, CSM_EDOMAIN, CSM_NO_ROW, "churn",
                         "churn rate must be in [0, 1]");
    if (!csm__nonneg(expansion))
        return csm__fail(err, CSM_EDOMAIN, CSM_NO_ROW, "expansion",
                         "expansion rate must be finite and >= 0");
    if (!csm__nonneg(new_mrr))
        return csm__fail(err, CSM_EDOMAIN, CSM_NO_ROW, "new_mrr",
                         "new MRR must be finite and >= 0");
    out->flags = 0;
    if (churn > expansion) {
        out->value = new_mrr / (churn - expansion);
    } else {
        out->value = NAN;
        out->flags = CSM_FLAG_ZERO_DENOMINATOR;
    }
    return CSM_OK;
}
