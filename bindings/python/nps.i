/*
 * nps.i - survey metrics (csmetrics/nps.h): NPS (from scores, counts or
 * weighted scores, and per group), the two-period comparison, CSAT and CES.
 *
 * csm_nps, csm_nps_counts, csm_nps_compare, csm_csat and csm_ces are
 * wrapped directly (their `out` structs come back as owned objects, which
 * csmetrics/nps.py reads through their one-row tables); csm_nps_weighted
 * and csm_nps_by_group through shims that check the shared length.
 * csm_py_<name>_table puts result structs into the one-table result of
 * csm_<name>_table (CSM_PY_VALUE_TABLE, table.i).
 */

CSM_PY_OPTS(csm_nps_opts, csm_nps_opts_init)
CSM_PY_OPTS(csm_csat_opts, csm_csat_opts_init)
CSM_PY_OPTS(csm_ces_opts, csm_ces_opts_init)

CSM_PY_RESULT(csm_nps_result)
CSM_PY_RESULT(csm_nps_diff)
CSM_PY_RESULT(csm_csat_result)
CSM_PY_RESULT(csm_ces_result)
CSM_PY_TABLE(csm_nps_results)

%apply (int8_t *IN_ARRAY1, size_t DIM1) {
    (const int8_t *scores, size_t n),
    (const int8_t *scores, size_t n_scores)
};
/* weights: None (NULL) is unweighted for csm_nps_by_group, and
 * csm_nps_weighted's CSM_EINVAL */
%apply (const double *OPTIONAL, size_t DIM1) { (const double *weights, size_t n_weights) };
%apply (int32_t *IN_ARRAY1, size_t DIM1) { (const int32_t *group, size_t n) };

%ignore csm_nps_weighted; /* csm_py_nps_weighted */
%ignore csm_nps_by_group; /* csm_py_nps_by_group */
%ignore csm_nps_results;
%ignore csm_nps_diff_results;
%ignore csm_csat_results;
%ignore csm_ces_results;
%ignore csm_nps_table;
%ignore csm_nps_diff_table;
%ignore csm_csat_table;
%ignore csm_ces_table;
%ignore csm_nps_results_free;
%ignore csm_nps_diff_results_free;
%ignore csm_csat_results_free;
%ignore csm_ces_results_free;
%ignore csm_nps_opts_init;
%ignore csm_csat_opts_init;
%ignore csm_ces_opts_init;
%ignore csm_nps_partial_compute;  /* csm_py_nps_partial_compute */
%ignore csm_csat_partial_compute; /* csm_py_csat_partial_compute */
%ignore csm_ces_partial_compute;  /* csm_py_ces_partial_compute */
CSM_PY_TABLE(csm_csat_results)
CSM_PY_TABLE(csm_ces_results)
%apply (double *IN_ARRAY1, size_t DIM1) { (const double *counts, size_t n_counts) };

%include "csmetrics/nps.h"
%include "csmetrics/csat.h"
%include "csmetrics/ces.h"

CSM_PY_VALUE_TABLE(nps, csm_nps_result, csm_nps_results, csm_nps_table)
CSM_PY_VALUE_TABLE(nps_diff, csm_nps_diff, csm_nps_diff_results, csm_nps_diff_table)
CSM_PY_VALUE_TABLE(csat, csm_csat_result, csm_csat_results, csm_csat_table)
CSM_PY_VALUE_TABLE(ces, csm_ces_result, csm_ces_results, csm_ces_table)

%inline %{
csm_status csm_py_nps_weighted(csm_nps_result *out, const int8_t *scores,
                               size_t n_scores, const double *weights,
                               size_t n_weights, const csm_nps_opts *opts,
                               csm_error *err) {
    csm_status st = CSM_PY_SAME_LENGTHS(err, n_scores,
                                        CSM_PY_OPT(weights, n_weights, "weights"));
    return st != CSM_OK ? st
                        : csm_nps_weighted(out, scores, weights, n_scores, opts, err);
}

csm_status csm_py_nps_by_group(csm_nps_results **out, const int8_t *scores,
                               size_t n_scores, const double *weights,
                               size_t n_weights, const int32_t *group, size_t n,
                               const csm_nps_opts *opts, csm_error *err) {
    csm_status st = CSM_PY_SAME_LENGTHS(err, n_scores,
                                        CSM_PY_OPT(weights, n_weights, "weights"),
                                        CSM_PY_ARG(n, "group"));
    return st != CSM_OK ? st
                        : csm_nps_by_group(out, scores, weights, group, n_scores,
                                           opts, err);
}

/* The partial states of responses (group: optional codes, one a score). */
csm_status csm_py_nps_partial_compute(csm_partial **out, const int8_t *scores,
                                      size_t n_scores, const int32_t *group,
                                      size_t n_group, const csm_nps_opts *opts,
                                      csm_error *err) {
    csm_status st = CSM_PY_SAME_LENGTHS(err, n_scores,
                                        CSM_PY_OPT(group, n_group, "group"));
    return st != CSM_OK ? st
                        : csm_nps_partial_compute(out, scores, group, n_scores,
                                                  opts, err);
}

csm_status csm_py_csat_partial_compute(csm_partial **out, const int8_t *scores,
                                       size_t n_scores, const int32_t *group,
                                       size_t n_group, const csm_csat_opts *opts,
                                       csm_error *err) {
    csm_status st = CSM_PY_SAME_LENGTHS(err, n_scores,
                                        CSM_PY_OPT(group, n_group, "group"));
    return st != CSM_OK ? st
                        : csm_csat_partial_compute(out, scores, group, n_scores,
                                                   opts, err);
}

csm_status csm_py_ces_partial_compute(csm_partial **out, const int8_t *scores,
                                      size_t n_scores, const int32_t *group,
                                      size_t n_group, const csm_ces_opts *opts,
                                      csm_error *err) {
    csm_status st = CSM_PY_SAME_LENGTHS(err, n_scores,
                                        CSM_PY_OPT(group, n_group, "group"));
    return st != CSM_OK ? st
                        : csm_ces_partial_compute(out, scores, group, n_scores,
                                                  opts, err);
}
%}

%clear (const int8_t *scores, size_t n);
%clear (const int8_t *scores, size_t n_scores);
%clear (const double *counts, size_t n_counts);
%clear (const double *weights, size_t n_weights);
%clear (const int32_t *group, size_t n);
