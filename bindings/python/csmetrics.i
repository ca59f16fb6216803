/*
 * csmetrics.i - SWIG interface of libcsmetrics for Python.
 *
 * This builds the low-level module csmetrics._csm (a SWIG proxy module over
 * the C extension csmetrics._csm_c).  It is not the public API: the pure
 * Python package csmetrics (bindings/python/csmetrics/) wraps it, converts
 * inputs to the exact dtypes once and returns numpy / pandas objects.
 *
 * Conventions of this interface:
 *   - one .i per family, included below;
 *   - %rename strips the csm_ prefix (csm_version -> _csm.version);
 *   - arrays are numpy.i IN_ARRAY1 typemaps instantiated for size_t
 *     lengths; a numpy array of the right dtype that is C-contiguous is
 *     passed to C without a copy;
 *   - %inline shims (csm_py_*) where several arrays share one length or an
 *     array is optional;
 *   - a failing csm_status becomes a Python exception from
 *     csmetrics._errors (a subclass of csmetrics.Error) whose message is the
 *     csm_error text (status, row, field, explanation) or csm_strerror();
 *   - opaque objects (csm_ledger) get constructors and destructors through
 *     %extend;
 *   - every family's result (csmetrics/table.h) goes through one generic
 *     conversion, csm_py_result (common.i): per table its name and per
 *     column its name, type, role, doc and a numpy array viewing the C
 *     data (no copy; the arrays keep the result alive through a capsule);
 *     csmetrics/_table.py turns that into csmetrics.Table / DataFrames.
 *     Value results (an NPS, an LTV) go through it too, as the one-table
 *     results of csm_<name>_table (CSM_PY_VALUE_TABLE).  No column name is
 *     written in the bindings: they all come from the C declarations.
 *   - only the public headers (include/) are used.
 */
%module(package="csmetrics",
        docstring="Low-level SWIG bindings of libcsmetrics (use the csmetrics package).") _csm

%feature("autodoc", "1");

/* csm_foo -> foo, csm_ledger_opts -> ledger_opts, CSM_FLAG_EMPTY -> FLAG_EMPTY */
%rename("%(regex:/^(csm_|CSM_)(.*)/\\2/)s") "";

%{
#define SWIG_FILE_WITH_INIT
#define NPY_NO_DEPRECATED_API NPY_1_7_API_VERSION
#include <errno.h>
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

%init %{
import_array();
%}

/* numpy.i typemaps with size_t lengths for the element types of the API. */
%numpy_typemaps(int8_t, NPY_INT8, size_t)
%numpy_typemaps(uint8_t, NPY_UINT8, size_t)
%numpy_typemaps(int32_t, NPY_INT32, size_t)
%numpy_typemaps(int64_t, NPY_INT64, size_t)
%numpy_typemaps(double, NPY_DOUBLE, size_t)

/* Every wrapper: a shim that has set a Python exception fails. */
%exception {
    $action
    if (PyErr_Occurred())
        SWIG_fail;
}

%include "common.i"

/* Result tables: the X-macro helpers are needed by the family headers, and
 * the type, storage and role names and csm_code_all are wrapped; the tables
 * themselves reach Python through the generic conversion (csm_py_result in
 * common.i) and their Arrow export through csm_py_arrow_schema/_array, so
 * the functions taking raw result, table or column pointers are not. */
%ignore ArrowSchema;
%ignore ArrowArray;
%ignore csm_table;
%ignore csm_column;
%ignore csm_result_n_tables;
%ignore csm_result_table;
%ignore csm_result_find;
%ignore csm_result_kind;
%ignore csm_result_view;
%ignore csm_result_free;
%ignore csm_table_find;
%ignore csm_column_double;
%ignore csm_column_int64;
%ignore csm_column_is_valid;
%ignore csm_table_export_arrow;
%include "csmetrics/table.h"
%include "nps.i"
%include "ltv.i"
%include "projection.i"
%include "ledger.i"
%include "families.i"
