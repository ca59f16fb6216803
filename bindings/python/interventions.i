/*
 * interventions.i - intervention effects (csmetrics/interventions.h).
 * csm_interventions_compute is wrapped directly: the panel and the events
 * are dicts of columns (CSM_PY_COLUMNS over csm_interventions_panel and
 * csm_interventions_events).  csm_interventions_panel_build likewise: the
 * scores are a dict of columns, the months an int32 array, the ledger a
 * Ledger's pointer or None.
 */

CSM_PY_OPTS(csm_interventions_opts, csm_interventions_opts_init)
CSM_PY_TABLE(csm_interventions)
CSM_PY_TABLE(csm_interventions_panel_rows)

%{
static const csm_py_column csm_py_interventions_panel_spec[] = {
    CSM_PY_COLUMN(csm_interventions_panel, account, NPY_INT64),
    CSM_PY_COLUMN(csm_interventions_panel, month, NPY_INT32),
    CSM_PY_COLUMN(csm_interventions_panel, score, NPY_DOUBLE),
    CSM_PY_COLUMN(csm_interventions_panel, band, NPY_INT32),
    CSM_PY_COLUMN(csm_interventions_panel, mrr, NPY_DOUBLE),
};
static const csm_py_column csm_py_interventions_events_spec[] = {
    CSM_PY_COLUMN(csm_interventions_events, account, NPY_INT64),
    CSM_PY_COLUMN(csm_interventions_events, month, NPY_INT32),
    CSM_PY_COLUMN(csm_interventions_events, type, NPY_INT32),
};
static const csm_py_column csm_py_interventions_scores_spec[] = {
    CSM_PY_COLUMN(csm_interventions_scores, account, NPY_INT64),
    CSM_PY_COLUMN(csm_interventions_scores, month, NPY_INT32),
    CSM_PY_COLUMN(csm_interventions_scores, score, NPY_DOUBLE),
    CSM_PY_COLUMN(csm_interventions_scores, band, NPY_INT32),
};
%}
CSM_PY_COLUMNS(csm_interventions_panel, interventions_panel, csm_py_interventions_panel_spec)
CSM_PY_COLUMNS(csm_interventions_events, interventions_events, csm_py_interventions_events_spec)
CSM_PY_COLUMNS(csm_interventions_scores, interventions_scores, csm_py_interventions_scores_spec)

%ignore csm_interventions_opts::allocator;
%ignore csm_interventions_opts_init;
%ignore csm_interventions_panel;
%ignore csm_interventions_events;
%ignore csm_interventions;
%ignore csm_interventions_free;
%ignore csm_interventions_scores;
%ignore csm_interventions_panel_rows;
%ignore csm_interventions_panel_rows_free;

%apply (int32_t *IN_ARRAY1, size_t DIM1) { (const int32_t *months, size_t n_months) };

%include "csmetrics/interventions.h"
%clear (const int32_t *months, size_t n_months);
