/* churn_scorecard.c - the churn family's scorecard proposal: health
 * scorecard weights that follow a fitted churn model (csmetrics/churn.h,
 * csm_churn_proposal_compute; docs/metrics.md, "Churn-risk prediction").
 * The scorecard is read and rewritten only through csmetrics/health.h. */
#include <math.h>
#include <string.h>

#include "csmetrics/churn.h"
#include "csmetrics/health.h"
#include "internal/table.h"
#include "internal/util.h"

#define COL(m, n, ty, st, r, d) CSM__COLDEF(csm_churn_proposal, m, n, ty, st, r, d)
static const csm__coldef proposal_cols[] = {CSM_CHURN_PROPOSAL_COLUMNS(COL)};
#undef COL

CSM__DEFINE_OPTS_INIT(csm_churn_proposal_opts_init, csm_churn_proposal_opts,
                      CSM_CHURN_PROPOSAL_OPTS_INIT)
CSM__DEFINE_RESULT_FREE(csm_churn_proposal_free, csm_churn_proposal)

/* the basis column's words */
enum { BASIS_MODEL, BASIS_CONFLICT, BASIS_KEPT, N_BASIS };
static const char *const basis_names[N_BASIS] = {"model", "conflict", "kept"};

/* The arguments' checks; *o = the options. */
static csm_status check_args(csm_churn_proposal_opts *o, const void *out,
                             const void *proposed,
                             const csm_churn_model *model,
                             const char *const *names, size_t p,
                             const csm_health_scorecard *sc,
                             const csm_churn_proposal_opts *opts,
                             csm_error *err) {
    if (!out && !proposed)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "out",
                         "out and proposed are both NULL");
    if (!model || !sc || !names)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW,
                         !model ? "model" : !sc ? "sc" : "feature_names",
                         "NULL argument");
    if (p != model->n_features)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "p",
                         "not the model's number of features");
    for (size_t j = 0; j < p; j++) {
        if (!names[j])
            return csm__fail(err, CSM_EINVAL, j, "feature_names", "NULL name");
        for (size_t i = 0; i < j; i++)
            if (strcmp(names[i], names[j]) == 0)
                return csm__failf(err, CSM_EINVAL, j, "feature_names",
                                  "duplicate feature name", NULL,
                                  "feature '%s' is named twice", names[j]);
    }
    *o = (csm_churn_proposal_opts)CSM_CHURN_PROPOSAL_OPTS_INIT;
    csm_status st = csm__opts_load(o, sizeof *o, opts, err);
    return st != CSM_OK ? st
                        : csm__alloc_check(o->allocator, "opts.allocator", err);
}

/* The feature named as measure k of sc, or -1. */
static long feature_of(const char *const *names, size_t p,
                       const csm_health_scorecard *sc, size_t k) {
    const char *m = csm_health_scorecard_measure_name(sc, k);
    for (size_t j = 0; j < p; j++)
        if (strcmp(names[j], m) == 0)
            return (long)j;
    return -1;
}

/* Fill the rows of r (nm measures; feature, direction, coefficient, basis
 * code, current and proposed share).  CSM_EDOMAIN when every proposed
 * share is 0. */
static csm_status propose(int32_t *feature, int32_t *direction, double *coef,
                          int *basis, double *current, double *share,
                          size_t nm, const csm_churn_model *model,
                          const char *const *names, size_t p,
                          const csm_health_scorecard *sc, csm_error *err) {
    double matched = 0, abs_sum = 0, total = 0;
    for (size_t k = 0; k < nm; k++) {
        long j = feature_of(names, p, sc, k);
        current[k] = csm_health_scorecard_measure_share(sc, k);
        direction[k] = csm_health_scorecard_measure_direction(sc, k);
        feature[k] = j < 0 ? CSM_CODE_ALL : (int32_t)j;
        coef[k] = j < 0 ? NAN : model->coefficient[j + 1]; /* row 0: b_0 */
        double bd = j < 0 ? 0.0 : coef[k] * direction[k];
        basis[k] = bd < 0 ? BASIS_MODEL : bd > 0 ? BASIS_CONFLICT : BASIS_KEPT;
        if (basis[k] != BASIS_KEPT)
            matched += current[k];
        if (basis[k] == BASIS_MODEL)
            abs_sum += fabs(coef[k]);
    }
    for (size_t k = 0; k < nm; k++) {
        share[k] = basis[k] == BASIS_KEPT    ? current[k]
                   : basis[k] == BASIS_MODEL ? matched * fabs(coef[k]) / abs_sum
                                             : 0.0;
        total += share[k];
    }
    if (!(total > 0))
        return csm__fail(err, CSM_EDOMAIN, CSM_NO_ROW, "model",
                         "every proposed share is 0: the model conflicts "
                         "with every weighted measure");
    for (size_t k = 0; k < nm; k++)
        share[k] /= total;
    return CSM_OK;
}

CSM_API csm_status csm_churn_proposal_compute(
    csm_churn_proposal **out, csm_health_scorecard **proposed,
    const csm_churn_model *model, const char *const *feature_names, size_t p,
    const csm_health_scorecard *sc, const csm_churn_proposal_opts *opts,
    csm_error *err) {
    csm_error_clear(err);
    if (out)
        *out = NULL;
    if (proposed)
        *proposed = NULL;
    csm_churn_proposal_opts o;
    csm_status st = check_args(&o, out, proposed, model, feature_names, p, sc,
                               opts, err);
    if (st != CSM_OK)
        return st;
    const csm_allocator *a = o.allocator;
    const size_t nm = csm_health_scorecard_measure_count(sc);
    size_t text = 0;
    for (size_t k = 0; k < nm; k++)
        text += strlen(csm_health_scorecard_measure_name(sc, k)) + 1;
    for (int b = 0; b < N_BASIS; b++)
        text += strlen(basis_names[b]) + 1;
    const csm__tabspec spec = {"churn_proposal", proposal_cols,
                               CSM__NCOLS(proposal_cols), nm};
    csm_churn_proposal *r =
        csm__result_new(a, "churn_proposal", sizeof *r, &spec, 1, NULL, 0, text);
    int *basis = csm__alloc_array(a, nm ? nm : 1, sizeof *basis);
    csm_health_scorecard *sc2 = NULL;
    if (!r || !basis) {
        st = csm__fail(err, CSM_ENOMEM, CSM_NO_ROW, NULL, NULL);
        goto done;
    }
    csm__column_set_null_label(r->result, 0, "feature",
                               CSM_CHURN_NO_FEATURE_LABEL);
    r->n_rows = nm;
    st = propose(r->feature, r->direction, r->coefficient, basis,
                 r->current_share, r->proposed_share, nm, model,
                 feature_names, p, sc, err);
    if (st == CSM_OK)
        st = csm_health_scorecard_reweight(&sc2, sc, r->proposed_share, nm,
                                           o.name, err);
    if (st != CSM_OK)
        goto done;
    const char *words[N_BASIS]; /* the pool is sized for them above */
    for (int b = 0; b < N_BASIS; b++)
        words[b] = csm__result_text(r, basis_names[b]);
    for (size_t k = 0; k < nm; k++) {
        r->measure[k] = (int32_t)k;
        r->measure_name[k] =
            csm__result_text(r, csm_health_scorecard_measure_name(sc, k));
        r->basis[k] = words[basis[k]];
        r->proposed_weight[k] = csm_health_scorecard_measure_weight(sc2, k);
    }
    if (proposed) {
        *proposed = sc2;
        sc2 = NULL;
    }
    if (out) {
        *out = r;
        r = NULL;
    }
done:
    csm__free(a, basis);
    csm_health_scorecard_free(sc2);
    csm_churn_proposal_free(r);
    return st;
}
