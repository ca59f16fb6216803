/*
 * activity.i - seat, usage and engagement measures (csmetrics/activity.h).
 * Its rows are a dict of columns (CSM_PY_COLUMNS over csm_activity_rows;
 * an absent count column is NULL, its measures NaN);
 * csm_activity_compute is wrapped directly, and csm_py_activity_compute is
 * csm_activity_compute with the option arrays stage and category (None or
 * one element per row) carrying their lengths; csm_py_activity_partial_compute
 * is csm_activity_partial_compute with them likewise (csm_activity_partial_finalize
 * is wrapped directly).
 */

CSM_PY_OPTS(csm_activity_opts, csm_activity_opts_init)
CSM_PY_TABLE(csm_activity)

%{
static const csm_py_column csm_py_activity_rows_spec[] = {
    CSM_PY_COLUMN(csm_activity_rows, account_id, NPY_INT64),
    CSM_PY_COLUMN(csm_activity_rows, role, NPY_INT32),
    CSM_PY_COLUMN(csm_activity_rows, segment, NPY_INT32),
    CSM_PY_COLUMN(csm_activity_rows, cohort, NPY_INT32),
    CSM_PY_COLUMN(csm_activity_rows, licensed_seats, NPY_DOUBLE),
    CSM_PY_COLUMN(csm_activity_rows, activated_seats, NPY_DOUBLE),
    CSM_PY_COLUMN(csm_activity_rows, active_users, NPY_DOUBLE),
    CSM_PY_COLUMN(csm_activity_rows, sessions, NPY_DOUBLE),
    CSM_PY_COLUMN(csm_activity_rows, minutes, NPY_DOUBLE),
    CSM_PY_COLUMN(csm_activity_rows, features_used, NPY_DOUBLE),
    CSM_PY_COLUMN(csm_activity_rows, features_available, NPY_DOUBLE),
    CSM_PY_COLUMN(csm_activity_rows, dau, NPY_DOUBLE),
    CSM_PY_COLUMN(csm_activity_rows, mau, NPY_DOUBLE),
};
%}
CSM_PY_COLUMNS(csm_activity_rows, activity_rows, csm_py_activity_rows_spec)

%ignore csm_activity_opts::allocator;
%ignore csm_activity_opts::stage;
%ignore csm_activity_opts::category;
%ignore csm_activity_opts_init;
%ignore csm_activity_rows;
%ignore csm_activity;
%ignore csm_activity_free;
%ignore csm_activity_partial_compute; /* csm_py_activity_partial_compute */

%include "csmetrics/activity.h"

%apply (const int32_t *OPTIONAL, size_t DIM1) { (const int32_t *stage, size_t n_stage) };
%apply (const int32_t *OPTIONAL, size_t DIM1) { (const int32_t *category, size_t n_category) };

%{
/* *o: opts (NULL: the defaults) with the option arrays stage and category,
 * each None or one code per row (else CSM_EINVAL naming it). */
static csm_status csm_py_activity_opts(csm_activity_opts *o, const csm_activity_rows *rows,
                                       const int32_t *stage, size_t n_stage,
                                       const int32_t *category, size_t n_category,
                                       const csm_activity_opts *opts, csm_error *err) {
    csm_status st = CSM_PY_SAME_LENGTHS(err, rows->n,
                                        CSM_PY_OPT(stage, n_stage, "stage"),
                                        CSM_PY_OPT(category, n_category, "category"));
    if (st != CSM_OK)
        return st;
    if (opts)
        *o = *opts;
    else if (csm_activity_opts_init(o, sizeof *o) != CSM_OK)
        return CSM_EINVAL; /* not reached */
    o->stage = stage;
    o->category = category;
    return CSM_OK;
}
%}

%inline %{
csm_status csm_py_activity_compute(csm_activity **out,
                                   const csm_activity_rows *rows,
                                   const int32_t *stage, size_t n_stage,
                                   const int32_t *category, size_t n_category,
                                   const csm_activity_opts *opts, csm_error *err) {
    csm_activity_opts o;
    csm_status st = csm_py_activity_opts(&o, rows, stage, n_stage, category, n_category,
                                         opts, err);
    return st != CSM_OK ? st : csm_activity_compute(out, rows, &o, err);
}

csm_status csm_py_activity_partial_compute(csm_partial **out,
                                           const csm_activity_rows *rows,
                                           const int32_t *stage, size_t n_stage,
                                           const int32_t *category, size_t n_category,
                                           const csm_activity_opts *opts,
                                           csm_error *err) {
    csm_activity_opts o;
    csm_status st = csm_py_activity_opts(&o, rows, stage, n_stage, category, n_category,
                                         opts, err);
    return st != CSM_OK ? st : csm_activity_partial_compute(out, rows, &o, err);
}
%}

%clear (const int32_t *stage, size_t n_stage);
%clear (const int32_t *category, size_t n_category);
