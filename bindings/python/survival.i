/*
 * survival.i - survival models (csmetrics/survival.h): Kaplan-Meier,
 * customer lifetimes from a ledger, survivor counts of cohorts, and the
 * shifted-beta-geometric model.
 *
 * Wrapped directly: csm_lifetimes_from_ledger, csm_sbg_project, the sBG
 * figures (csm_sbg_expected_lifetime, csm_sbg_del, csm_sbg_derl,
 * csm_sbg_ltv_new, csm_sbg_ltv_existing, csm_sbg_hyp2f1: `double *out`
 * returned) and the flag constants.  Through shims, one per C function:
 * csm_km_compute (arrays sharing one length; at_times goes into the
 * options), csm_sbg_survivors_from_lifetimes and csm_sbg_fit (shared
 * lengths), csm_sbg_survival (over an array of t, each element through
 * the C function) and csm_sbg_table (fits as a one-table result).
 */

CSM_PY_OPTS(csm_km_opts, csm_km_opts_init)
CSM_PY_OPTS(csm_lifetimes_opts, csm_lifetimes_opts_init)
CSM_PY_OPTS(csm_sbg_opts, csm_sbg_opts_init)
CSM_PY_OPTS(csm_sbg_survivors_opts, csm_sbg_survivors_opts_init)

CSM_PY_RESULT(csm_sbg)
CSM_PY_TABLE(csm_km)
CSM_PY_TABLE(csm_lifetimes)
CSM_PY_TABLE(csm_sbg_survivors)
CSM_PY_TABLE(csm_sbg_projection)

/* Pointer members are set by the shims (at_times) or not at all. */
%ignore csm_km_opts::allocator;
%ignore csm_km_opts::at_times;
%ignore csm_km_opts::n_at_times;
%ignore csm_sbg_survivors_opts::allocator;

%ignore csm_km_opts_init;
%ignore csm_lifetimes_opts_init;
%ignore csm_sbg_opts_init;
%ignore csm_sbg_survivors_opts_init;
%ignore csm_km;
%ignore csm_km_compute; /* csm_py_km_compute */
%ignore csm_km_free;
%ignore csm_lifetimes;
%ignore csm_lifetimes_free;
%ignore csm_lifetimes_partial_km; /* csm_py_lifetimes_partial_km */
%ignore csm_sbg_fit; /* csm_py_sbg_fit */
%ignore csm_sbg_survivors;
%ignore csm_sbg_survivors_from_lifetimes; /* csm_py_sbg_survivors_from_lifetimes */
%ignore csm_sbg_survivors_free;
%ignore csm_sbg_fits;
%ignore csm_sbg_table; /* csm_py_sbg_table */
%ignore csm_sbg_fits_free;
%ignore csm_sbg_survival; /* csm_py_sbg_survival */
%ignore csm_sbg_curve; /* reached through csm_sbg_project */
%ignore csm_sbg_projection;
%ignore csm_sbg_projection_free;
%ignore csm_sbg_models;
%warnfilter(SWIGWARN_PARSE_KEYWORD) csm_sbg_models::del; /* an ignored struct's member */
%ignore csm_sbg_model;
%ignore csm_sbg_models_free;

/* `double *out` returned; `uint32_t *flags` (bits only ever set by C)
 * returned too, starting from 0. */
%apply double *OUTPUT { double *out };
%typemap(in, numinputs=0) uint32_t *flags (uint32_t temp = 0) {
    $1 = &temp;
}
%typemap(argout) uint32_t *flags {
    %append_output(PyLong_FromUnsignedLong((unsigned long)*$1));
}
%include "csmetrics/km.h"
%include "csmetrics/lifetimes.h"
%include "csmetrics/sbg.h"
%clear double *out;
%clear uint32_t *flags;

%apply (double *IN_ARRAY1, size_t DIM1) {
    (const double *duration, size_t n),
    (const double *duration, size_t n_duration),
    (const double *alive, size_t n)
};
%apply (uint8_t *IN_ARRAY1, size_t DIM1) { (const uint8_t *event, size_t n_event) };
%apply (int32_t *IN_ARRAY1, size_t DIM1) {
    (const int32_t *first_month, size_t n),
    (const int32_t *t, size_t n_t)
};
%apply (const double *OPTIONAL, size_t DIM1) {
    (const double *weight, size_t n_weight),
    (const double *at_times, size_t n_at_times)
};
/* (group, n_group) is optional for every family (table.i) */
%apply (const int32_t *OPTIONAL, size_t DIM1) { (const int32_t *cohort, size_t n_cohort) };
%apply (double *INPLACE_ARRAY1, size_t DIM1) { (double *out, size_t n_out) };

%nothread csm_py_sbg_table;
%{
/* The KM options of the shims: opts (NULL: the defaults) with
 * opts.at_times set from at_times (None: none). */
static csm_status csm_py_km_opts(csm_km_opts *o, const csm_km_opts *opts,
                                 const double *at_times, size_t n_at_times,
                                 csm_error *err) {
    csm_status st;
    if (opts)
        *o = *opts;
    else if ((st = csm_km_opts_init(o, sizeof *o)) != CSM_OK)
        return csm_error_set(err, st, CSM_NO_ROW, "opts", NULL);
    if (at_times) {
        o->at_times = at_times;
        o->n_at_times = n_at_times;
    }
    return CSM_OK;
}
%}

%inline %{
/* csm_km_compute, with opts.at_times set from at_times (None: as opts
 * has it, none by default). */
csm_status csm_py_km_compute(csm_km **out, const double *duration, size_t n,
                             const uint8_t *event, size_t n_event,
                             const double *weight, size_t n_weight,
                             const int32_t *group, size_t n_group,
                             const csm_km_opts *opts, const double *at_times,
                             size_t n_at_times, csm_error *err) {
    csm_km_opts o;
    csm_status st = CSM_PY_SAME_LENGTHS(err, n, CSM_PY_ARG(n_event, "event"),
                                        CSM_PY_OPT(weight, n_weight, "weight"),
                                        CSM_PY_OPT(group, n_group, "group"));
    if (st == CSM_OK)
        st = csm_py_km_opts(&o, opts, at_times, n_at_times, err);
    return st != CSM_OK ? st
                        : csm_km_compute(out, duration, event, weight, group, n,
                                         &o, err);
}

/* csm_lifetimes_partial_km, with opts.at_times set from at_times. */
csm_status csm_py_lifetimes_partial_km(csm_km **out, const csm_partial *partial,
                                       int by_segment, const csm_km_opts *opts,
                                       const double *at_times, size_t n_at_times,
                                       csm_error *err) {
    csm_km_opts o;
    csm_status st = csm_py_km_opts(&o, opts, at_times, n_at_times, err);
    return st != CSM_OK ? st
                        : csm_lifetimes_partial_km(out, partial, by_segment, &o,
                                                   err);
}

csm_status csm_py_sbg_survivors_from_lifetimes(
    csm_sbg_survivors **out, const int32_t *first_month, size_t n,
    const double *duration, size_t n_duration, const double *weight,
    size_t n_weight, const csm_sbg_survivors_opts *opts, csm_error *err) {
    csm_status st = CSM_PY_SAME_LENGTHS(err, n, CSM_PY_ARG(n_duration, "duration"),
                                        CSM_PY_OPT(weight, n_weight, "weight"));
    return st != CSM_OK ? st
                        : csm_sbg_survivors_from_lifetimes(out, first_month, duration,
                                                           weight, n, opts, err);
}

csm_status csm_py_sbg_fit(csm_sbg *out, const double *alive, size_t n,
                          const int32_t *cohort, size_t n_cohort,
                          const csm_sbg_opts *opts, csm_error *err) {
    csm_status st = CSM_PY_SAME_LENGTHS(err, n, CSM_PY_OPT(cohort, n_cohort, "cohort"));
    return st != CSM_OK ? st : csm_sbg_fit(out, alive, cohort, n, opts, err);
}

/* out[i] = csm_sbg_survival(alpha, beta, t[i]): S(t) over an array. */
csm_status csm_py_sbg_survival(double *out, size_t n_out, double alpha,
                               double beta, const int32_t *t, size_t n_t,
                               csm_error *err) {
    size_t i;
    csm_status st = CSM_PY_SAME_LENGTHS(err, n_t, CSM_PY_ARG(n_out, "out"));
    for (i = 0; st == CSM_OK && i < n_t; i++)
        st = csm_sbg_survival(&out[i], alpha, beta, t[i], err);
    return st;
}
%}

%{
static csm_status csm_py_make_sbg(csm_result **out, const void *rows,
                                  const int32_t *group, size_t n,
                                  csm_error *err) {
    csm_sbg_fits *t = NULL;
    csm_status st = csm_sbg_table(&t, (const csm_sbg *)rows, n, NULL, err);
    (void)group; /* the table "sbg" has no key */
    *out = st == CSM_OK ? t->result : NULL;
    return st;
}
%}
%inline %{
/* Fits (SWIG-wrapped csm_sbg) as the one-table result "sbg"
 * (csm_sbg_table). */
PyObject *csm_py_sbg_table(PyObject *fits) {
    return csm_py_value_table(fits, NULL, 0, SWIGTYPE_p_csm_sbg, sizeof(csm_sbg),
                              csm_py_make_sbg);
}
%}

%clear (const double *duration, size_t n);
%clear (const double *duration, size_t n_duration);
%clear (const double *alive, size_t n);
%clear (const uint8_t *event, size_t n_event);
%clear (const int32_t *first_month, size_t n);
%clear (const int32_t *t, size_t n_t);
%clear (const double *weight, size_t n_weight);
%clear (const double *at_times, size_t n_at_times);
%clear (const int32_t *cohort, size_t n_cohort);
%clear (double *out, size_t n_out);
