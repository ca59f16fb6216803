/*
 * catalog.i - the metric catalog (csmetrics/catalog.h) and the SQL
 * generator (csmetrics/sql.h).  csm_py_catalog returns the entries as a
 * list of dicts; csm_py_sql is csm_sql_generate with the table and column
 * names as arguments (None = the default), returning the query as str.
 * csmetrics/catalog.py wraps both (csm.catalog(), csm.sql(...)).
 */

CSM_PY_OPTS(csm_sql_opts, csm_sql_opts_init)
/* the names are csm_py_sql's arguments (SWIG would leak set strings) */
%immutable csm_sql_opts::table;
%immutable csm_sql_opts::customer_column;
%immutable csm_sql_opts::month_column;
%immutable csm_sql_opts::mrr_column;
%immutable csm_sql_opts::segment_column;
%immutable csm_sql_opts::score_column;
%immutable csm_sql_opts::weight_column;
%immutable csm_sql_opts::group_column;
%immutable csm_sql_opts::start_column;
%immutable csm_sql_opts::end_column;
%immutable csm_sql_opts::value_column;
%immutable csm_sql_opts::id_column;

%ignore csm_catalog_entry;
%ignore csm_catalog_get;  /* csm_py_catalog */
%ignore csm_catalog_find; /* csm_py_catalog */
%ignore csm_catalog_preset;
%ignore csm_catalog_keys; /* arrays out: the CLI's exports use it */
%ignore csm_sql_opts_init;
%ignore csm_sql_generate; /* csm_py_sql */
%ignore csm_sql_free;

/* INT32_MIN / INT32_MAX are no constants SWIG evaluates (as in renewals.i) */
%ignore CSM_SQL_NO_DAY;
%ignore CSM_SQL_AS_OF_NONE;
%include "csmetrics/catalog.h"
%include "csmetrics/sql.h"
%constant int32_t SQL_NO_DAY = CSM_SQL_NO_DAY;
%constant int32_t SQL_AS_OF_NONE = CSM_SQL_AS_OF_NONE;

%nothread csm_py_catalog; /* builds Python objects: keeps the GIL */
%nothread csm_py_sql;     /* may raise */
%newobject csm_py_sql;
%typemap(newfree) char *csm_py_sql "csm_sql_free($1);";

%inline %{
static PyObject *csm_py_str_or_none(const char *s) {
    if (s)
        return PyUnicode_FromString(s);
    Py_RETURN_NONE;
}

PyObject *csm_py_catalog(void) {
    PyObject *list = PyList_New(0);
    for (size_t i = 0; list && i < csm_catalog_count(); i++) {
        csm_catalog_entry e;
        if (csm_catalog_get(&e, i, NULL) != CSM_OK)
            continue;
        PyObject *al = PyList_New(0), *pr = PyDict_New();
        for (size_t k = 0; al && k < e.n_aliases; k++) {
            PyObject *s = PyUnicode_FromString(e.aliases[k]);
            if (!s || PyList_Append(al, s) != 0)
                Py_CLEAR(al);
            Py_XDECREF(s);
        }
        for (int p = 0; pr && p < CSM_CATALOG_N_PRESETS; p++) {
            PyObject *s = PyUnicode_FromString(e.presets[p]);
            if (!s || PyDict_SetItemString(pr, csm_catalog_preset_name((csm_preset)p), s) != 0)
                Py_CLEAR(pr);
            Py_XDECREF(s);
        }
        PyObject *d = al && pr
            ? Py_BuildValue("{s:s,s:s,s:s,s:O,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:O,s:N}",
                            "name", e.name, "title", e.title, "family", e.family,
                            "aliases", al, "formula_words", e.formula_words,
                            "formula", e.formula, "unit", csm_type_name(e.unit),
                            "table", e.table, "column", e.column,
                            "column_doc", e.column_doc, "options", e.options,
                            "presets", pr, "sql_query", csm_py_str_or_none(e.sql_query))
            : NULL;
        Py_XDECREF(al);
        Py_XDECREF(pr);
        if (!d || PyList_Append(list, d) != 0)
            Py_CLEAR(list);
        Py_XDECREF(d);
    }
    return list;
}

char *csm_py_sql(const char *metric, const csm_sql_opts *opts, const char *table,
                 const char *customer, const char *month, const char *mrr,
                 const char *segment, const char *score, const char *weight,
                 const char *group, const char *start, const char *end,
                 const char *value, const char *id) {
    csm_sql_opts o = *opts;
    o.table = table;
    o.customer_column = customer;
    o.month_column = month;
    o.mrr_column = mrr;
    o.segment_column = segment;
    o.score_column = score;
    o.weight_column = weight;
    o.group_column = group;
    o.start_column = start;
    o.end_column = end;
    o.value_column = value;
    o.id_column = id;
    char *q = NULL;
    csm_error e;
    csm_status st = csm_sql_generate(&q, metric, &o, &e);
    if (st != CSM_OK) {
        csm_py_raise(st, &e);
        return NULL;
    }
    return q;
}
%}
