/*
 * interventions.i - intervention effects (csmetrics/interventions.h).
 * csm_interventions_compute is wrapped directly: the panel and the events
 * are dicts of columns (CSM_PY_COLUMNS over csm_interventions_panel and
 * csm_interventions_events).
 */

CSM_PY_OPTS(csm_interventions_opts, csm_interventions_opts_init)
CSM_PY_TABLE(csm_interventions)

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
%}
CSM_PY_COLUMNS(csm_interventions_panel, interventions_panel, csm_py_interventions_panel_spec)
CSM_PY_COLUMNS(csm_interventions_events, interventions_events, csm_py_interventions_events_spec)

%ignore csm_interventions_opts::allocator;
%ignore csm_interventions_opts_init;
%ignore csm_interventions_panel;
%ignore csm_interventions_events;
%ignore csm_interventions;
%ignore csm_interventions_free;

%include "csmetrics/interventions.h"
