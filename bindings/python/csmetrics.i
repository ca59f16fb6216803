/*
 * csmetrics.i - SWIG interface of libcsmetrics for Python.
 *
 * This builds the low-level module csmetrics._csm (a SWIG proxy module over
 * the C extension csmetrics._csm_c).  It is not the public API: the pure
 * Python package csmetrics (bindings/python/csmetrics/) wraps it, converts
 * inputs to the exact dtypes once and returns numpy / pandas objects.
 *
 * Layout: common.i (status codes, errors and the typemaps every family
 * uses: read its header comment first), table.i (result tables and their
 * Arrow export), then one .i per family, named after its public header;
 * each family's Python module has the same name (nps.i -> csmetrics/nps.py).
 * %rename strips the csm_ prefix (csm_version -> _csm.version).  Only the
 * public headers (include/) are used.
 */
%module(package="csmetrics", threads="1",
        docstring="Low-level SWIG bindings of libcsmetrics (use the csmetrics package).") _csm

%feature("autodoc", "1");

/* csm_foo -> foo, csm_ledger_opts -> ledger_opts, CSM_FLAG_EMPTY -> FLAG_EMPTY */
%rename("%(regex:/^(csm_|CSM_)(.*)/\\2/)s") "";

%{
#define SWIG_FILE_WITH_INIT
#define NPY_NO_DEPRECATED_API NPY_1_7_API_VERSION
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "csmetrics/csmetrics.h"
%}

/* The attribute macros of common.h mean nothing to SWIG. */
#define CSM_API
#define CSM_NODISCARD

%include <stdint.i>
%include "numpy.i"
/* numpy.i's conversion helpers, before the code of common.i that uses them */
%fragment("NumPy_Fragments");

%init %{
import_array();
%}

/* Every wrapper: a shim that has set a Python exception fails. */
%exception {
    $action
    if (PyErr_Occurred())
        SWIG_fail;
}

%include "common.i"
%include "table.i"
%include "keys.i"
%include "partial.i" /* before the families with partial states */
%include "nps.i"
%include "ltv.i"
%include "projection.i"
%include "ledger.i"
%include "subscriptions.i"
%include "survival.i"
%include "renewals.i"
%include "team.i"
%include "activity.i"
%include "health.i"
%include "churn.i"
%include "transitions.i"
%include "reviews.i"
%include "interventions.i"
%include "referrals.i"
%include "catalog.i"
