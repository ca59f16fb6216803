/*
 * nps.i - survey metrics (csmetrics/nps.h): NPS (from scores, counts or
 * weighted scores), the two-period comparison, CSAT and CES.
 *
 * The functions are wrapped directly: scores are numpy.i int8 arrays with a
 * size_t length, `out` results come back as owned struct objects (the
 * Python layer turns them into csmetrics.Result records), csm_error is
 * hidden and a failure raises.  Scores and weights share one length, so
 * the weighted form goes through a shim that checks it.
 *
 * Result tables: csm_py_nps_table, csm_py_nps_diff_table, csm_py_csat_table
 * and csm_py_ces_table copy a sequence of result structs into the one-table
 * result of csm_<name>_table (CSM_PY_VALUE_TABLE in common.i); the Python
 * layer reads every result's fields from that table (their names are the
 * C declaration's).
 */

%{
#include "csmetrics/nps.h"
%}

CSM_PY_OPTS(csm_nps_opts, CSM_NPS_OPTS_INIT)
CSM_PY_OPTS(csm_csat_opts, CSM_CSAT_OPTS_INIT)
CSM_PY_OPTS(csm_ces_opts, CSM_CES_OPTS_INIT)

CSM_PY_RESULT(csm_nps_result)
CSM_PY_RESULT(csm_nps_diff)
CSM_PY_RESULT(csm_csat_result)
CSM_PY_RESULT(csm_ces_result)

%apply (int8_t *IN_ARRAY1, size_t DIM1) {
    (const int8_t *scores, size_t n),
    (const int8_t *scores, size_t n_scores)
};
%apply (double *IN_ARRAY1, size_t DIM1) { (const double *weights, size_t n_weights) };
%apply (int32_t *IN_ARRAY1, size_t DIM1) { (const int32_t *group, size_t n_group) };

%ignore csm_nps_weighted;
%ignore csm_nps_by_group; /* csm_py_nps_by_group below */
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

%include "csmetrics/nps.h"
%include "csmetrics/csat.h"
%include "csmetrics/ces.h"

CSM_PY_VALUE_TABLE(nps, csm_nps_result, csm_nps_results, csm_nps_table)
CSM_PY_VALUE_TABLE(nps_diff, csm_nps_diff, csm_nps_diff_results, csm_nps_diff_table)
CSM_PY_VALUE_TABLE(csat, csm_csat_result, csm_csat_results, csm_csat_table)
CSM_PY_VALUE_TABLE(ces, csm_ces_result, csm_ces_results, csm_ces_table)

%inline %{
/* csm_nps_weighted with the shared length checked. */
csm_status csm_py_nps_weighted(csm_nps_result *out, const int8_t *scores,
                               size_t n_scores, const double *weights,
                               size_t n_weights, const csm_nps_opts *opts,
                               csm_error *err) {
    if (n_weights != n_scores)
        return csm_py_set_error(err, CSM_EINVAL, CSM_NO_ROW, "weights",
                                CSM_PY_LENGTH_MSG);
    return csm_nps_weighted(out, scores, weights, n_scores, opts, err);
}

/* csm_nps_by_group: the table "nps", one row per group code (ascending);
 * has_weights 0 = unweighted. */
PyObject *csm_py_nps_by_group(const int8_t *scores, size_t n_scores,
                              const double *weights, size_t n_weights,
                              int has_weights, const int32_t *group,
                              size_t n_group, const csm_nps_opts *opts) {
    csm_nps_results *t = NULL;
    csm_error e;
    csm_status st;
    if ((has_weights && !csm_py_same_length(n_scores, n_weights, "weights")) ||
        !csm_py_same_length(n_scores, n_group, "group"))
        return NULL;
    csm_error_clear(&e);
    Py_BEGIN_ALLOW_THREADS
    st = csm_nps_by_group(&t, scores, has_weights ? weights : NULL, group,
                          n_scores, opts, &e);
    Py_END_ALLOW_THREADS
    if (st != CSM_OK) {
        csm_py_raise(st, &e);
        return NULL;
    }
    return csm_py_result(t->result);
}
%}
