/*
 * csmetrics.i - SWIG interface of libcsmetrics for Java.
 *
 * This builds the package-private classes CsmNative / CsmNativeJNI (and the
 * proxies of the option and value structs) in org.csmetrics, over the JNI
 * library libcsmetrics_jni.so.  It is not the public API: the Java classes
 * of bindings/java/src/org/csmetrics (Ledger, ResultTable, the families'
 * classes, CsmException) wrap it.  Only the public headers (include/) are
 * used; common.i has the typemaps (read its header comment first).
 *
 * Everything in the headers is ignored except what is listed here (the
 * CSM_JAVA_WRAP lines): the compute functions of every family, the option
 * structs, the value structs of the scalar families and the result-table
 * readers.  The Python interface (bindings/python) shares the headers but
 * not the typemaps (numpy and PyObject there, JNI arrays here).
 */
%module(docstring="Low-level SWIG bindings of libcsmetrics (use org.csmetrics).") CsmNative

%{
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "csmetrics/csmetrics.h"
%}

/* Package-private: the raw classes are the Java layer's, not the user's. */
%pragma(java) moduleclassmodifiers = "final class"
%pragma(java) jniclassclassmodifiers = "final class"
%typemap(javaclassmodifiers) SWIGTYPE "final class"
/* Enums are plain ints (the Java layer has its own enums and constants);
 * no enum class or constant is generated. */
%include <enumtypeunsafe.swg>
%javaconst(0); /* values read from C at class load (flags are C expressions) */

/* Ignore every function, struct and #define; CSM_JAVA_WRAP names those
 * wrapped (csm_x -> x). */
%rename("$ignore", %$isfunction) "";
%rename("$ignore", %$isclass) "";
%rename("$ignore", %$isconstant) "";
%rename("$ignore", %$isenum) "";
%rename("$ignore", %$isenumitem) "";
%rename("%(regex:/^csm_java_(.*)/\\1/)s", regextarget=1, %$isfunction) "^csm_java_";
%define CSM_JAVA_WRAP(NAME)
%rename(NAME) csm_##NAME;
%enddef
%define CSM_JAVA_STRUCT(NAME)
%rename(NAME) csm_##NAME;
%enddef

/* The native library loads itself through the Java layer (NativeLoader). */
%pragma(java) jniclasscode = %{
  static {
    NativeLoader.load();
  }
%}

%include "common.i"

/* ---- common.h, table.h: versions, results ------------------------------- */
CSM_JAVA_WRAP(month);
CSM_JAVA_WRAP(day);
CSM_JAVA_WRAP(month_none);
CSM_JAVA_WRAP(code_all);
CSM_JAVA_WRAP(no_row);
CSM_JAVA_WRAP(version_number);
CSM_JAVA_WRAP(status_name);
CSM_JAVA_WRAP(strerror);
%include "csmetrics/common.h"

CSM_JAVA_OBJECT(csm_result)
CSM_JAVA_WRAP(result_free);
CSM_JAVA_WRAP(result_n_tables);
CSM_JAVA_WRAP(result_kind);
CSM_JAVA_WRAP(result_ref);
/* a result built from plain values: the library's malloc/free */
%typemap(in, numinputs=0) const csm_result_opts *opts %{ $1 = NULL; %}
CSM_JAVA_STRUCT(metric);
CSM_JAVA_TABLE(csm_metric_results)
CSM_JAVA_WRAP(metric_table);
%include "csmetrics/table.h"

%{
/* Column c of table t of r, or NULL. */
static const csm_column *csm_java_col(const csm_result *r, size_t t, size_t c) {
    const csm_table *tb = csm_result_table(r, t);
    return tb && c < tb->n_columns ? &tb->columns[c] : NULL;
}
%}
%inline %{
/* Reading a result's tables for the Java layer's ResultTable: table t,
 * column c (out of range: NULL / -1). */
csm_java_utf8 csm_java_table_name(const csm_result *r, size_t t) {
    const csm_table *tb = csm_result_table(r, t);
    return tb ? tb->name : NULL;
}
int64_t csm_java_table_rows(const csm_result *r, size_t t) {
    const csm_table *tb = csm_result_table(r, t);
    return tb ? (int64_t)tb->n_rows : -1;
}
int64_t csm_java_table_columns(const csm_result *r, size_t t) {
    const csm_table *tb = csm_result_table(r, t);
    return tb ? (int64_t)tb->n_columns : -1;
}
csm_java_utf8 csm_java_column_name(const csm_result *r, size_t t, size_t c) {
    const csm_column *col = csm_java_col(r, t, c);
    return col ? col->name : NULL;
}
csm_java_utf8 csm_java_column_doc(const csm_result *r, size_t t, size_t c) {
    const csm_column *col = csm_java_col(r, t, c);
    return col ? col->doc : NULL;
}
csm_java_utf8 csm_java_column_null_label(const csm_result *r, size_t t, size_t c) {
    const csm_column *col = csm_java_col(r, t, c);
    return col ? col->null_label : NULL;
}
/* type * 256 + storage * 16 + role: the three enums of the descriptor */
int csm_java_column_kind(const csm_result *r, size_t t, size_t c) {
    const csm_column *col = csm_java_col(r, t, c);
    return col ? (int)col->type * 256 + (int)col->storage * 16 + (int)col->role : -1;
}
/* The one copy of a column: from the result's block into the Java array
 * (pinned, see (T *DST, size_t N) in common.i).  F64 columns into double[];
 * I64 columns into long[] (U32 widened); I32 into int[] (U8 widened).
 * Returns 0, or -1 for a storage the array type does not take. */
int csm_java_column_f64(const csm_result *r, size_t t, size_t c, double *DST,
                        size_t N) {
    const csm_column *col = csm_java_col(r, t, c);
    if (!col || col->storage != CSM_STORAGE_F64)
        return -1;
    if (N)
        memcpy(DST, col->data, N * sizeof *DST);
    return 0;
}
int csm_java_column_i64(const csm_result *r, size_t t, size_t c, int64_t *DST,
                        size_t N) {
    const csm_column *col = csm_java_col(r, t, c);
    size_t i;
    if (!col)
        return -1;
    if (col->storage == CSM_STORAGE_I64) {
        if (N)
            memcpy(DST, col->data, N * sizeof *DST);
    } else if (col->storage == CSM_STORAGE_U32) {
        for (i = 0; i < N; i++)
            DST[i] = ((const uint32_t *)col->data)[i];
    } else {
        return -1;
    }
    return 0;
}
int csm_java_column_i32(const csm_result *r, size_t t, size_t c, int32_t *DST,
                        size_t N) {
    const csm_column *col = csm_java_col(r, t, c);
    size_t i;
    if (!col)
        return -1;
    if (col->storage == CSM_STORAGE_I32) {
        if (N)
            memcpy(DST, col->data, N * sizeof *DST);
    } else if (col->storage == CSM_STORAGE_U8) {
        for (i = 0; i < N; i++)
            DST[i] = ((const uint8_t *)col->data)[i];
    } else {
        return -1;
    }
    return 0;
}
/* Row `row` of a text column (NULL = no value, or not a text column). */
csm_java_utf8 csm_java_column_text(const csm_result *r, size_t t, size_t c,
                                   size_t row) {
    const csm_column *col = csm_java_col(r, t, c);
    return col && col->storage == CSM_STORAGE_STR
               ? ((const char *const *)col->data)[row]
               : NULL;
}
%}

/* ---- keys.h: the key dictionary ----------------------------------------- */
CSM_JAVA_OBJECT(csm_keys)
CSM_JAVA_WRAP(keys_free);
CSM_JAVA_WRAP(keys_count);
CSM_JAVA_WRAP(keys_numeric);
%include "csmetrics/keys.h"
%apply (const char *TEXT, size_t LEN) { (const char *blob, size_t blob_len) };
%inline %{
/* csm_keys_encode over n labels given as one UTF-8 blob and n + 1 offsets
 * (label i is blob[offsets[i] .. offsets[i + 1]]); ids gets n ids. */
csm_status csm_java_keys_encode(csm_keys **out, const char *blob,
                                size_t blob_len, const int64_t *offsets,
                                int64_t *ids, size_t n, csm_error *err) {
    const char **lab;
    size_t *len, i;
    csm_status st = CSM_ENOMEM;
    for (i = 0; i < n; i++)
        if (offsets[i] < 0 || offsets[i] > offsets[i + 1] ||
            (uint64_t)offsets[i + 1] > blob_len)
            return csm_error_set(err, CSM_EINVAL, i, "offsets",
                                 "offsets must rise within the labels");
    lab = (const char **)malloc((n ? n : 1) * sizeof *lab);
    len = (size_t *)malloc((n ? n : 1) * sizeof *len);
    if (lab && len) {
        for (i = 0; i < n; i++) {
            lab[i] = blob + offsets[i];
            len[i] = (size_t)(offsets[i + 1] - offsets[i]);
        }
        st = csm_keys_encode(out, ids, lab, len, n, NULL, err);
    } else {
        csm_error_set(err, st, CSM_NO_ROW, NULL, NULL);
    }
    free(lab);
    free(len);
    return st;
}
/* Label of id (NULL when id is not in the dictionary). */
csm_java_utf8 csm_java_keys_label(const csm_keys *keys, int64_t id) {
    return csm_keys_label(keys, id, NULL);
}
%}

/* ---- ledger.h, contracts.h, movements.h, retention.h, cohorts.h --------- */
CSM_JAVA_OBJECT(csm_ledger)
CSM_JAVA_TABLE(csm_ledger_month)
CSM_JAVA_TABLE(csm_movements)
CSM_JAVA_TABLE(csm_movements_events)
CSM_JAVA_TABLE(csm_retention)
CSM_JAVA_TABLE(csm_retention_customers)
CSM_JAVA_TABLE(csm_cohorts)
CSM_JAVA_STRUCT(ledger_opts);
CSM_JAVA_STRUCT(contracts_opts);
CSM_JAVA_STRUCT(movements_opts);
CSM_JAVA_STRUCT(retention_opts);
CSM_JAVA_STRUCT(cohorts_opts);
CSM_JAVA_OPTS(csm_ledger_opts, csm_ledger_opts_init)
CSM_JAVA_OPTS(csm_contracts_opts, csm_contracts_opts_init)
CSM_JAVA_OPTS(csm_movements_opts, csm_movements_opts_init)
CSM_JAVA_OPTS(csm_retention_opts, csm_retention_opts_init)
CSM_JAVA_OPTS(csm_cohorts_opts, csm_cohorts_opts_init)
%ignore csm_cohorts_opts::key_customer;
%ignore csm_cohorts_opts::key_month;
%ignore csm_cohorts_opts::n_keys;
CSM_JAVA_WRAP(ledger_new);
CSM_JAVA_WRAP(ledger_free);
CSM_JAVA_WRAP(ledger_customer_count);
CSM_JAVA_WRAP(ledger_entry_count);
CSM_JAVA_WRAP(ledger_first_month);
CSM_JAVA_WRAP(ledger_last_month);
CSM_JAVA_WRAP(ledger_mrr);
CSM_JAVA_WRAP(ledger_month_compute);
CSM_JAVA_WRAP(movements_opts_preset);
CSM_JAVA_WRAP(movements_compute);
CSM_JAVA_WRAP(movements_events_compute);
CSM_JAVA_WRAP(retention_opts_preset);
CSM_JAVA_WRAP(retention_compute);
CSM_JAVA_WRAP(retention_customers_compute);
%include "csmetrics/contracts.h"
%include "csmetrics/ledger.h"
%include "csmetrics/movements.h"
%include "csmetrics/retention.h"
%include "csmetrics/cohorts.h"

%{
/* The contracts' columns (NULL = absent optional column) as csm_contracts. */
static csm_contracts csm_java_contracts(
    const int64_t *customer_id, const int32_t *start_day, const int32_t *end_day,
    const double *amount, const int32_t *interval_count,
    const uint8_t *interval_unit, const double *discount,
    const uint8_t *discount_recurring, const double *tax, const uint8_t *kind,
    const int32_t *segment, const int32_t *channel, const int32_t *owner,
    size_t n) {
    csm_contracts c;
    memset(&c, 0, sizeof c);
    c.customer_id = customer_id;
    c.start_day = start_day;
    c.end_day = end_day;
    c.amount = amount;
    c.interval_count = interval_count;
    c.interval_unit = interval_unit;
    c.discount = discount;
    c.discount_recurring = discount_recurring;
    c.tax = tax;
    c.kind = kind;
    c.segment = segment;
    c.channel = channel;
    c.owner = owner;
    c.n = n;
    return c;
}
#define CSM_JAVA_CONTRACTS()                                                   \
    csm_java_contracts(customer_id, start_day, end_day, amount,                \
                       interval_count, interval_unit, discount,                \
                       discount_recurring, tax, kind, segment, channel, owner, n)
%}

%inline %{
csm_status csm_java_ledger_from_contracts(
    csm_ledger **out, const int64_t *customer_id, const int32_t *start_day,
    const int32_t *end_day, const double *amount, const int32_t *interval_count,
    const uint8_t *interval_unit, const double *discount,
    const uint8_t *discount_recurring, const double *tax, const uint8_t *kind,
    const int32_t *segment, const int32_t *channel, const int32_t *owner,
    size_t n, const csm_contracts_opts *opts, const csm_ledger_opts *ledger_opts,
    csm_error *err) {
    csm_contracts c = CSM_JAVA_CONTRACTS();
    return csm_ledger_from_contracts(out, &c, opts, ledger_opts, err);
}

/* csm_cohorts_compute with the optional cohort keys put into the options. */
csm_status csm_java_cohorts_compute(csm_cohorts **out, const csm_ledger *ledger,
                                    const csm_cohorts_opts *opts,
                                    const int64_t *key_customer,
                                    const int32_t *key_month, size_t n_keys,
                                    csm_error *err) {
    csm_cohorts_opts o;
    csm_status st;
    if (opts)
        o = *opts;
    else if ((st = csm_cohorts_opts_init(&o, sizeof o)) != CSM_OK)
        return csm_error_set(err, st, CSM_NO_ROW, "opts", NULL);
    if (key_customer) {
        o.key_customer = key_customer;
        o.key_month = key_month;
        o.n_keys = n_keys;
    }
    return csm_cohorts_compute(out, ledger, &o, err);
}
%}

/* ---- renewals.h --------------------------------------------------------- */
CSM_JAVA_TABLE(csm_renewals)
CSM_JAVA_STRUCT(renewals_opts);
CSM_JAVA_OPTS(csm_renewals_opts, csm_renewals_opts_init)
%ignore csm_renewals_opts::contract_opts;
%include "csmetrics/renewals.h"
%inline %{
csm_status csm_java_renewals_compute(
    csm_renewals **out, uint8_t *outcome, int64_t *match,
    const int64_t *customer_id, const int32_t *start_day, const int32_t *end_day,
    const double *amount, const int32_t *interval_count,
    const uint8_t *interval_unit, const double *discount,
    const uint8_t *discount_recurring, const double *tax, const uint8_t *kind,
    const int32_t *segment, const int32_t *channel, const int32_t *owner,
    size_t n, int32_t window_start, int32_t window_end,
    const csm_renewals_opts *opts, const csm_contracts_opts *contract_opts,
    csm_error *err) {
    csm_contracts c = CSM_JAVA_CONTRACTS();
    csm_renewals_opts o;
    csm_status st;
    if (opts)
        o = *opts;
    else if ((st = csm_renewals_opts_init(&o, sizeof o)) != CSM_OK)
        return csm_error_set(err, st, CSM_NO_ROW, "opts", NULL);
    o.contract_opts = contract_opts;
    return csm_renewals_compute(out, outcome, match, &c, window_start,
                                window_end, &o, err);
}
csm_status csm_java_renewals_days_to_end(
    double *days, const int64_t *account_id, size_t n_accounts,
    const int64_t *customer_id, const int32_t *start_day, const int32_t *end_day,
    const double *amount, const int32_t *interval_count,
    const uint8_t *interval_unit, const double *discount,
    const uint8_t *discount_recurring, const double *tax, const uint8_t *kind,
    const int32_t *segment, const int32_t *channel, const int32_t *owner,
    size_t n, int32_t day, csm_error *err) {
    csm_contracts c = CSM_JAVA_CONTRACTS();
    return csm_renewals_days_to_end(days, account_id, n_accounts, &c, day, NULL,
                                    err);
}
%}

/* ---- lifetimes.h, km.h, sbg.h: survival --------------------------------- */
CSM_JAVA_TABLE(csm_lifetimes)
CSM_JAVA_TABLE(csm_km)
CSM_JAVA_TABLE(csm_sbg_survivors)
CSM_JAVA_TABLE(csm_sbg_fits)
CSM_JAVA_TABLE(csm_sbg_projection)
CSM_JAVA_TABLE(csm_sbg_models)
CSM_JAVA_STRUCT(lifetimes_opts);
CSM_JAVA_STRUCT(km_opts);
CSM_JAVA_STRUCT(sbg_opts);
CSM_JAVA_STRUCT(sbg_survivors_opts);
CSM_JAVA_STRUCT(sbg);
CSM_JAVA_OPTS(csm_lifetimes_opts, csm_lifetimes_opts_init)
CSM_JAVA_OPTS(csm_km_opts, csm_km_opts_init)
CSM_JAVA_OPTS(csm_sbg_opts, csm_sbg_opts_init)
CSM_JAVA_OPTS(csm_sbg_survivors_opts, csm_sbg_survivors_opts_init)
%ignore csm_km_opts::at_times;
%ignore csm_km_opts::n_at_times;
CSM_JAVA_WRAP(lifetimes_from_ledger);
CSM_JAVA_WRAP(sbg_fit);
CSM_JAVA_WRAP(sbg_survivors_from_lifetimes);
CSM_JAVA_WRAP(sbg_table);
CSM_JAVA_WRAP(sbg_project);
CSM_JAVA_WRAP(sbg_model);
CSM_JAVA_WRAP(sbg_survival);
CSM_JAVA_WRAP(sbg_expected_lifetime);
CSM_JAVA_WRAP(sbg_fit_ltv_new);
CSM_JAVA_WRAP(sbg_fit_ltv_existing);
%include "csmetrics/lifetimes.h"
%include "csmetrics/km.h"
%include "csmetrics/sbg.h"
%inline %{
/* csm_km_compute with the optional read-off times put into the options. */
csm_status csm_java_km_compute(csm_km **out, const double *duration,
                               const uint8_t *event, const double *weight,
                               const int32_t *group, size_t n,
                               const csm_km_opts *opts, const double *at_times,
                               size_t n_at_times, csm_error *err) {
    csm_km_opts o;
    csm_status st;
    if (opts)
        o = *opts;
    else if ((st = csm_km_opts_init(&o, sizeof o)) != CSM_OK)
        return csm_error_set(err, st, CSM_NO_ROW, "opts", NULL);
    o.at_times = at_times;
    o.n_at_times = at_times ? n_at_times : 0;
    return csm_km_compute(out, duration, event, weight, group, n, &o, err);
}
%}

/* ---- nps.h, csat.h, ces.h: surveys -------------------------------------- */
CSM_JAVA_TABLE(csm_nps_results)
CSM_JAVA_TABLE(csm_nps_diff_results)
CSM_JAVA_TABLE(csm_csat_results)
CSM_JAVA_TABLE(csm_ces_results)
CSM_JAVA_STRUCT(nps_opts);
CSM_JAVA_STRUCT(csat_opts);
CSM_JAVA_STRUCT(ces_opts);
CSM_JAVA_STRUCT(nps_result);
CSM_JAVA_STRUCT(nps_diff);
CSM_JAVA_STRUCT(csat_result);
CSM_JAVA_STRUCT(ces_result);
CSM_JAVA_OPTS(csm_nps_opts, csm_nps_opts_init)
CSM_JAVA_OPTS(csm_csat_opts, csm_csat_opts_init)
CSM_JAVA_OPTS(csm_ces_opts, csm_ces_opts_init)
CSM_JAVA_WRAP(nps);
CSM_JAVA_WRAP(nps_weighted);
CSM_JAVA_WRAP(nps_counts);
CSM_JAVA_WRAP(nps_compare);
CSM_JAVA_WRAP(nps_table);
CSM_JAVA_WRAP(nps_by_group);
CSM_JAVA_WRAP(nps_diff_table);
CSM_JAVA_WRAP(csat);
CSM_JAVA_WRAP(csat_table);
CSM_JAVA_WRAP(ces);
CSM_JAVA_WRAP(ces_table);
%include "csmetrics/nps.h"
%include "csmetrics/csat.h"
%include "csmetrics/ces.h"

/* ---- health.h ----------------------------------------------------------- */
CSM_JAVA_OBJECT(csm_health_scorecard)
CSM_JAVA_TABLE(csm_health)
CSM_JAVA_VIEW(csm_health, h, "health")
CSM_JAVA_TABLE(csm_health_bands)
CSM_JAVA_TABLE(csm_health_risks)
CSM_JAVA_STRUCT(health_risks_opts);
CSM_JAVA_OPTS(csm_health_risks_opts, csm_health_risks_opts_init)
CSM_JAVA_WRAP(health_scorecard_free);
CSM_JAVA_WRAP(health_scorecard_input_count);
CSM_JAVA_WRAP(health_scorecard_measure_count);
CSM_JAVA_WRAP(health_scorecard_group_count);
CSM_JAVA_WRAP(health_scorecard_band_count);
CSM_JAVA_WRAP(health_bands_compute);
CSM_JAVA_WRAP(health_at_risk);
%apply (const char *TEXT, size_t LEN) { (const char *json, size_t len) };
%include "csmetrics/health.h"
%inline %{
csm_status csm_java_health_scorecard_from_json(csm_health_scorecard **out,
                                               const char *json, size_t len,
                                               csm_error *err) {
    return csm_health_scorecard_from_json(out, json, len, NULL, err);
}
csm_java_utf8 csm_java_health_scorecard_input_name(const csm_health_scorecard *sc,
                                                   size_t i) {
    return csm_health_scorecard_input_name(sc, i);
}
csm_java_utf8 csm_java_health_scorecard_band_name(const csm_health_scorecard *sc,
                                                  size_t i) {
    return csm_health_scorecard_band_name(sc, i);
}
/* The scorecard as JSON (UTF-8 bytes); an exception on failure. */
jbyteArray csm_java_health_scorecard_to_json(JNIEnv *jenv,
                                             const csm_health_scorecard *sc) {
    char *json = NULL;
    size_t len = 0;
    csm_error e;
    jbyteArray a;
    csm_status st = csm_health_scorecard_to_json(&json, &len, sc, &e);
    if (st != CSM_OK) {
        csm_java_throw(jenv, st, &e);
        return NULL;
    }
    a = (*jenv)->NewByteArray(jenv, (jsize)len);
    if (a)
        (*jenv)->SetByteArrayRegion(jenv, a, 0, (jsize)len, (const jbyte *)json);
    csm_health_scorecard_json_free(sc, json);
    return a;
}
/* csm_health_score with the optional previous scores and bands in the
 * options. */
csm_status csm_java_health_score(csm_health **out, const csm_health_scorecard *sc,
                                 const double *values, size_t n_accounts,
                                 const double *prev_score,
                                 const int32_t *prev_band, csm_error *err) {
    csm_health_opts o;
    csm_status st = csm_health_opts_init(&o, sizeof o);
    if (st != CSM_OK)
        return csm_error_set(err, st, CSM_NO_ROW, "opts", NULL);
    o.prev_score = prev_score;
    o.prev_band = prev_band;
    return csm_health_score(out, sc, values, n_accounts, &o, err);
}
%}

/* ---- ltv.h, cac.h, unit_economics.h ------------------------------------- */
CSM_JAVA_TABLE(csm_ltv_results)
CSM_JAVA_TABLE(csm_unit_economics)
CSM_JAVA_STRUCT(ltv_opts);
CSM_JAVA_STRUCT(unit_economics_opts);
CSM_JAVA_STRUCT(ltv_result);
CSM_JAVA_OPTS(csm_ltv_opts, csm_ltv_opts_init)
CSM_JAVA_OPTS(csm_unit_economics_opts, csm_unit_economics_opts_init)
%ignore csm_unit_economics_opts::ltv;
CSM_JAVA_WRAP(ltv_simple);
CSM_JAVA_WRAP(ltv_seed);
CSM_JAVA_WRAP(ltv_cac);
CSM_JAVA_WRAP(ltv_from_ledger);
CSM_JAVA_WRAP(ltv_table);
CSM_JAVA_WRAP(cac);
CSM_JAVA_WRAP(cac_payback);
%include "csmetrics/ltv.h"
%include "csmetrics/cac.h"
%include "csmetrics/unit_economics.h"
%inline %{
csm_status csm_java_unit_economics_from_ledger(
    csm_unit_economics **out, const csm_ledger *ledger, double gross_margin,
    const int32_t *spend_month, const double *spend, size_t n_spend,
    const csm_unit_economics_opts *opts, const csm_ltv_opts *ltv,
    csm_error *err) {
    csm_unit_economics_opts o;
    csm_status st;
    if (opts)
        o = *opts;
    else if ((st = csm_unit_economics_opts_init(&o, sizeof o)) != CSM_OK)
        return csm_error_set(err, st, CSM_NO_ROW, "opts", NULL);
    o.ltv = ltv;
    return csm_unit_economics_from_ledger(out, ledger, gross_margin, spend_month,
                                          spend, n_spend, &o, err);
}
%}

/* ---- activity.h --------------------------------------------------------- */
CSM_JAVA_TABLE(csm_activity)
CSM_JAVA_STRUCT(activity_opts);
CSM_JAVA_OPTS(csm_activity_opts, csm_activity_opts_init)
%ignore csm_activity_opts::stage;
%ignore csm_activity_opts::category;
%include "csmetrics/activity.h"
%inline %{
csm_status csm_java_activity_compute(
    csm_activity **out, const int64_t *account_id, const int32_t *role,
    const int32_t *segment, const int32_t *cohort, const double *licensed_seats,
    const double *activated_seats, const double *active_users,
    const double *sessions, const double *minutes, const double *features_used,
    const double *features_available, const double *dau, const double *mau,
    size_t n, const csm_activity_opts *opts, const int32_t *stage,
    const int32_t *category, csm_error *err) {
    csm_activity_rows rows;
    csm_activity_opts o;
    csm_status st;
    if (opts)
        o = *opts;
    else if ((st = csm_activity_opts_init(&o, sizeof o)) != CSM_OK)
        return csm_error_set(err, st, CSM_NO_ROW, "opts", NULL);
    o.stage = stage;
    o.category = category;
    memset(&rows, 0, sizeof rows);
    rows.account_id = account_id;
    rows.role = role;
    rows.segment = segment;
    rows.cohort = cohort;
    rows.licensed_seats = licensed_seats;
    rows.activated_seats = activated_seats;
    rows.active_users = active_users;
    rows.sessions = sessions;
    rows.minutes = minutes;
    rows.features_used = features_used;
    rows.features_available = features_available;
    rows.dau = dau;
    rows.mau = mau;
    rows.n = n;
    return csm_activity_compute(out, &rows, &o, err);
}
%}

/* ---- team.h ------------------------------------------------------------- */
CSM_JAVA_TABLE(csm_team)
CSM_JAVA_STRUCT(team_opts);
CSM_JAVA_OPTS(csm_team_opts, csm_team_opts_init)
CSM_JAVA_WRAP(team_compute);
CSM_JAVA_WRAP(team_owner_none);
%include "csmetrics/team.h"

/* ---- projection.h ------------------------------------------------------- */
CSM_JAVA_TABLE(csm_projection)
CSM_JAVA_TABLE(csm_projection_inputs)
CSM_JAVA_STRUCT(projection_inputs_opts);
CSM_JAVA_OPTS(csm_projection_inputs_opts, csm_projection_inputs_opts_init)
CSM_JAVA_WRAP(projection_inputs_from_ledger);
CSM_JAVA_WRAP(projection_steady_state);
CSM_JAVA_WRAP(projection_mrr_closed);
%include "csmetrics/projection.h"
%inline %{
csm_status csm_java_projection_mrr_table(csm_projection **out, size_t months,
                                         double start_mrr, const double *churn,
                                         const double *expansion,
                                         const double *new_mrr, size_t n,
                                         csm_error *err) {
    csm_projection_scenarios s;
    s.churn = churn;
    s.expansion = expansion;
    s.new_mrr = new_mrr;
    s.n = n;
    return csm_projection_mrr_table(out, months, start_mrr, &s, NULL, err);
}
%}
