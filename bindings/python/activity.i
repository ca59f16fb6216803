/*
 * activity.i - seat, usage and engagement measures (csmetrics/activity.h).
 * csm_activity_compute is wrapped directly: its rows are a dict of columns
 * (CSM_PY_COLUMNS over csm_activity_rows; an absent count column is NULL,
 * its measures NaN).
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
%ignore csm_activity_opts_init;
%ignore csm_activity_rows;
%ignore csm_activity;
%ignore csm_activity_free;

%include "csmetrics/activity.h"
