/*
 * families.i - shims for the renewals, survival, team, activity and health
 * families.  Each shim takes numpy arrays (numpy.i, no copy for the right
 * dtype), calls the C function with the GIL released, copies the result
 * table once into numpy arrays ({field: ndarray}) and frees it; failures
 * raise csmetrics exceptions with the csm_error text.  The pure-Python
 * modules (survival.py, renewals.py, health.py, activity.py) build the
 * public API on top.
 */

%{
static PyObject *csm_py_take(PyObject *d, const char *key, PyObject *v) {
    if (!d || !v) {
        Py_XDECREF(v);
        Py_XDECREF(d);
        return NULL;
    }
    if (PyDict_SetItemString(d, key, v) < 0) {
        Py_DECREF(v);
        Py_DECREF(d);
        return NULL;
    }
    Py_DECREF(v);
    return d;
}

static PyObject *csm_py_array(const void *src, size_t n, int type) {
    npy_intp dims[1];
    PyObject *a;
    dims[0] = (npy_intp)n;
    a = PyArray_SimpleNew(1, dims, type);
    if (a && n && src)
        memcpy(PyArray_DATA((PyArrayObject *)a), src,
               n * (size_t)PyArray_ITEMSIZE((PyArrayObject *)a));
    return a;
}

#define KM(f, t) CSM_PY_COL(csm_km, f, t)
static const csm_py_col csm_py_km_group_cols[] = {
    KM(group, NPY_INT32),   KM(n_obs, NPY_DOUBLE),   KM(n_events, NPY_DOUBLE),
    KM(median, NPY_DOUBLE), KM(median_lower, NPY_DOUBLE),
    KM(median_upper, NPY_DOUBLE), KM(rmst, NPY_DOUBLE), KM(horizon, NPY_DOUBLE),
    KM(group_flags, NPY_UINT32),
};
static const csm_py_col csm_py_km_row_cols[] = {
    KM(time, NPY_DOUBLE),  KM(n_risk, NPY_DOUBLE), KM(n_event, NPY_DOUBLE),
    KM(n_censor, NPY_DOUBLE), KM(surv, NPY_DOUBLE), KM(se, NPY_DOUBLE),
    KM(lower, NPY_DOUBLE), KM(upper, NPY_DOUBLE),  KM(flags, NPY_UINT32),
};
#undef KM

#define RN(f, t) CSM_PY_COL(csm_renewals, f, t)
static const csm_py_col csm_py_renewal_cols[] = {
    RN(key, NPY_INT32),        RN(due, NPY_INT64),       RN(renewed, NPY_INT64),
    RN(late, NPY_INT64),       RN(churned, NPY_INT64),   RN(due_value, NPY_DOUBLE),
    RN(renewed_value, NPY_DOUBLE), RN(late_value, NPY_DOUBLE),
    RN(churned_value, NPY_DOUBLE), RN(upsell_value, NPY_DOUBLE),
    RN(logo_renewal_rate, NPY_DOUBLE), RN(dollar_renewal_rate, NPY_DOUBLE),
    RN(flags, NPY_UINT32),
};
#undef RN

#define TM(f, t) CSM_PY_COL(csm_team, f, t)
static const csm_py_col csm_py_team_cols[] = {
    TM(owner, NPY_INT32), TM(accounts, NPY_INT64), TM(mrr, NPY_DOUBLE),
    TM(arr, NPY_DOUBLE), TM(at_risk_accounts, NPY_INT64),
    TM(at_risk_mrr, NPY_DOUBLE), TM(mrr_per_account, NPY_DOUBLE),
    TM(share_of_mrr, NPY_DOUBLE), TM(flags, NPY_UINT32),
};
#undef TM

#define AC(f, t) CSM_PY_COL(csm_activity, f, t)
static const csm_py_col csm_py_activity_cols[] = {
    AC(key, NPY_INT64), AC(n_accounts, NPY_INT64),
    AC(licensed_seats, NPY_DOUBLE), AC(activated_seats, NPY_DOUBLE),
    AC(active_users, NPY_DOUBLE), AC(sessions, NPY_DOUBLE),
    AC(minutes, NPY_DOUBLE), AC(features_used, NPY_DOUBLE),
    AC(features_available, NPY_DOUBLE), AC(dau, NPY_DOUBLE), AC(mau, NPY_DOUBLE),
    CSM_PY_MAT(csm_activity, rate, NPY_DOUBLE),
    CSM_PY_MAT(csm_activity, mean, NPY_DOUBLE),
    AC(flags, NPY_UINT32),
};
#undef AC

#define HE(f, t) CSM_PY_COL(csm_health, f, t)
static const csm_py_col csm_py_health_cols[] = {
    HE(score, NPY_DOUBLE), HE(raw_score, NPY_DOUBLE), HE(band, NPY_INT32),
    HE(override_index, NPY_INT32), HE(override_mask, NPY_UINT32),
    HE(change, NPY_DOUBLE), HE(moved, NPY_UINT8), HE(flags, NPY_UINT32),
};
#undef HE
%}

%apply (double *IN_ARRAY1, size_t DIM1) {
    (const double *duration, size_t n_duration),
    (const double *weight, size_t n_weight),
    (const double *alive, size_t n_alive),
    (const double *value, size_t n_value),
    (const double *licensed, size_t n_licensed),
    (const double *activated, size_t n_activated),
    (const double *users, size_t n_users),
    (const double *sessions, size_t n_sessions),
    (const double *minutes, size_t n_minutes),
    (const double *fused, size_t n_fused),
    (const double *favail, size_t n_favail),
    (const double *dau, size_t n_dau),
    (const double *mau, size_t n_mau),
    (const double *prev_score, size_t n_prev_score)
};
%apply (uint8_t *IN_ARRAY1, size_t DIM1) {
    (const uint8_t *event, size_t n_event)
};
%apply (int32_t *IN_ARRAY1, size_t DIM1) {
    (const int32_t *group, size_t n_group),
    (const int32_t *cohort, size_t n_cohort),
    (const int32_t *start, size_t n_start),
    (const int32_t *end, size_t n_end),
    (const int32_t *seg, size_t n_seg),
    (const int32_t *chan, size_t n_chan),
    (const int32_t *own, size_t n_own),
    (const int32_t *owner, size_t n_owner),
    (const int32_t *role, size_t n_role),
    (const int32_t *prev_band, size_t n_prev_band)
};
%apply (int64_t *IN_ARRAY1, size_t DIM1) {
    (const int64_t *cust, size_t n_cust),
    (const int64_t *owner_customer, size_t n_owner_customer),
    (const int64_t *at_risk, size_t n_at_risk),
    (const int64_t *account, size_t n_account)
};
%apply (double *IN_ARRAY2, size_t DIM1, size_t DIM2) {
    (const double *values, size_t n_rows, size_t n_cols)
};

/* The scorecard travels as an opaque SWIG pointer, freed by
 * csm_py_scorecard_free (the Python Scorecard class owns it). */

%inline %{
/* Kaplan-Meier: {"groups": {...}, "rows": {...}}. */
PyObject *csm_py_km(const double *duration, size_t n_duration,
                    const uint8_t *event, size_t n_event,
                    const double *weight, size_t n_weight, int has_weight,
                    const int32_t *group, size_t n_group, int has_group,
                    double level, double horizon, int include_overall) {
    csm_km_opts o = CSM_KM_OPTS_INIT;
    csm_km *km = NULL;
    csm_error e;
    csm_status st;
    PyObject *d, *g, *r;
    if (!csm_py_same_length(n_duration, n_event, "event") ||
        (has_weight && !csm_py_same_length(n_duration, n_weight, "weight")) ||
        (has_group && !csm_py_same_length(n_duration, n_group, "group")))
        return NULL;
    o.level = level;
    o.horizon = horizon;
    o.include_overall = include_overall;
    csm_error_clear(&e);
    Py_BEGIN_ALLOW_THREADS
    st = csm_km_compute(&km, duration, event, has_weight ? weight : NULL,
                        has_group ? group : NULL, n_duration, &o, &e);
    Py_END_ALLOW_THREADS
    if (st != CSM_OK) {
        csm_py_raise(st, &e);
        return NULL;
    }
    g = csm_py_table(km, csm_py_km_group_cols, CSM_PY_NCOLS(csm_py_km_group_cols),
                     km->n_groups, 1);
    g = csm_py_take(g, "row_offset",
                    csm_py_array(km->row_offset, km->n_groups + 1, NPY_UINTP));
    r = csm_py_table(km, csm_py_km_row_cols, CSM_PY_NCOLS(csm_py_km_row_cols),
                     km->n_rows, 1);
    csm_km_free(km);
    if (!g || !r) {
        Py_XDECREF(g);
        Py_XDECREF(r);
        return NULL;
    }
    d = PyDict_New();
    d = csm_py_take(d, "groups", g);
    return csm_py_take(d, "rows", r);
}

/* Lifetimes of a ledger's customers. */
PyObject *csm_py_lifetimes(const csm_ledger *ledger, int32_t as_of) {
    csm_lifetime_opts o = CSM_LIFETIME_OPTS_INIT;
    csm_lifetimes *lt = NULL;
    csm_error e;
    csm_status st;
    PyObject *d;
    o.as_of = as_of;
    csm_error_clear(&e);
    Py_BEGIN_ALLOW_THREADS
    st = csm_lifetimes_from_ledger(&lt, ledger, &o, &e);
    Py_END_ALLOW_THREADS
    if (st != CSM_OK) {
        csm_py_raise(st, &e);
        return NULL;
    }
    d = PyDict_New();
    d = csm_py_take(d, "customer_id", csm_py_array(lt->customer_id, lt->n, NPY_INT64));
    d = csm_py_take(d, "first_month", csm_py_array(lt->first_month, lt->n, NPY_INT32));
    d = csm_py_take(d, "segment", csm_py_array(lt->segment, lt->n, NPY_INT32));
    d = csm_py_take(d, "duration", csm_py_array(lt->duration, lt->n, NPY_DOUBLE));
    d = csm_py_take(d, "event", csm_py_array(lt->event, lt->n, NPY_UINT8));
    csm_lifetimes_free(lt);
    return d;
}

/* sBG fit: a dict of the csm_sbg fields. */
PyObject *csm_py_sbg_fit(const double *alive, size_t n_alive,
                         const int32_t *cohort, size_t n_cohort, int has_cohort) {
    csm_sbg f;
    csm_error e;
    csm_status st;
    if (has_cohort && !csm_py_same_length(n_alive, n_cohort, "cohort"))
        return NULL;
    csm_error_clear(&e);
    st = csm_sbg_fit(&f, alive, has_cohort ? cohort : NULL, n_alive, NULL, &e);
    if (st != CSM_OK) {
        csm_py_raise(st, &e);
        return NULL;
    }
    return Py_BuildValue("{s:d,s:d,s:d,s:d,s:d,s:d,s:i,s:i,s:n,s:d,s:I}",
                         "alpha", f.alpha, "beta", f.beta, "se_alpha", f.se_alpha,
                         "se_beta", f.se_beta, "cov_alpha_beta", f.cov_alpha_beta,
                         "loglik", f.loglik, "iterations", (int)f.iterations,
                         "converged", (int)f.converged,
                         "n_cohorts", (Py_ssize_t)f.n_cohorts,
                         "n_customers", f.n_customers, "flags", f.flags);
}

/* Scalar sBG functions: NaN + a raised exception on error. */
double csm_py_sbg(int what, double alpha, double beta, double x, int32_t n) {
    double out = NAN;
    uint32_t fl = 0;
    csm_error e;
    csm_status st = CSM_EINVAL;
    csm_error_clear(&e);
    switch (what) {
    case 0: st = csm_sbg_survival(&out, alpha, beta, n, &e); break;
    case 1: st = csm_sbg_expected_lifetime(&out, &fl, alpha, beta, &e); break;
    case 2: st = csm_sbg_del(&out, alpha, beta, x, &e); break;
    case 3: st = csm_sbg_derl(&out, alpha, beta, x, n, &e); break;
    default: break;
    }
    if (st != CSM_OK) {
        csm_py_raise(st, &e);
        return NAN;
    }
    return out;
}

/* Team efficiency: {columns..., n_csm, accounts_per_csm, arr_per_csm}. */
PyObject *csm_py_team(const csm_ledger *ledger,
                      const int64_t *owner_customer, size_t n_owner_customer,
                      const int32_t *owner, size_t n_owner,
                      const int64_t *at_risk, size_t n_at_risk, int32_t month) {
    csm_team_opts o = CSM_TEAM_OPTS_INIT;
    csm_team *t = NULL;
    csm_error e;
    csm_status st;
    PyObject *d;
    if (!csm_py_same_length(n_owner_customer, n_owner, "owner"))
        return NULL;
    o.month = month;
    csm_error_clear(&e);
    Py_BEGIN_ALLOW_THREADS
    st = csm_team_compute(&t, ledger, owner_customer, owner, n_owner_customer,
                          at_risk, n_at_risk, &o, &e);
    Py_END_ALLOW_THREADS
    if (st != CSM_OK) {
        csm_py_raise(st, &e);
        return NULL;
    }
    d = csm_py_table(t, csm_py_team_cols, CSM_PY_NCOLS(csm_py_team_cols), t->n_rows, 1);
    d = csm_py_take(d, "n_csm", PyLong_FromSize_t(t->n_csm));
    d = csm_py_take(d, "accounts_per_csm", PyFloat_FromDouble(t->accounts_per_csm));
    d = csm_py_take(d, "arr_per_csm", PyFloat_FromDouble(t->arr_per_csm));
    d = csm_py_take(d, "month", PyLong_FromLong(t->month));
    csm_team_free(t);
    return d;
}

/* Renewals: the table plus per-contract outcome and match. */
PyObject *csm_py_renewals(const int64_t *cust, size_t n_cust,
                          const int32_t *start, size_t n_start,
                          const int32_t *end, size_t n_end,
                          const double *value, size_t n_value,
                          const int32_t *seg, size_t n_seg,
                          const int32_t *chan, size_t n_chan,
                          const int32_t *own, size_t n_own, int present,
                          int32_t window_start, int32_t window_end,
                          int32_t grace_days, int late_counts,
                          int include_upsells, int group_by) {
    csm_renewal_contracts k;
    csm_renewal_opts o = CSM_RENEWAL_OPTS_INIT;
    csm_renewals *r = NULL;
    csm_error e;
    csm_status st;
    PyObject *d;
    uint8_t *oc;
    int64_t *mt;
    if (!csm_py_same_length(n_cust, n_start, "start_day") ||
        !csm_py_same_length(n_cust, n_end, "end_day") ||
        !csm_py_same_length(n_cust, n_value, "value") ||
        ((present & 1) && !csm_py_same_length(n_cust, n_seg, "segment")) ||
        ((present & 2) && !csm_py_same_length(n_cust, n_chan, "channel")) ||
        ((present & 4) && !csm_py_same_length(n_cust, n_own, "owner")))
        return NULL;
    k.customer_id = cust;
    k.start_day = start;
    k.end_day = end;
    k.value = value;
    k.segment = (present & 1) ? seg : NULL;
    k.channel = (present & 2) ? chan : NULL;
    k.owner = (present & 4) ? own : NULL;
    k.n = n_cust;
    o.grace_days = grace_days;
    o.late_counts = late_counts;
    o.include_upsells = include_upsells;
    o.group_by = group_by;
    oc = malloc(n_cust ? n_cust : 1);
    mt = malloc((n_cust ? n_cust : 1) * sizeof *mt);
    if (!oc || !mt) {
        free(oc);
        free(mt);
        return PyErr_NoMemory();
    }
    csm_error_clear(&e);
    Py_BEGIN_ALLOW_THREADS
    st = csm_renewals_compute(&r, oc, mt, &k, window_start, window_end, &o, &e);
    Py_END_ALLOW_THREADS
    if (st != CSM_OK) {
        free(oc);
        free(mt);
        csm_py_raise(st, &e);
        return NULL;
    }
    d = csm_py_table(r, csm_py_renewal_cols, CSM_PY_NCOLS(csm_py_renewal_cols),
                     r->n_rows, 1);
    d = csm_py_take(d, "outcome", csm_py_array(oc, n_cust, NPY_UINT8));
    d = csm_py_take(d, "match", csm_py_array(mt, n_cust, NPY_INT64));
    free(oc);
    free(mt);
    csm_renewals_free(r);
    return d;
}

/* Activity measures.  present bits: 1 role, 2 segment, 4 cohort, then
 * 8 << k for the k-th count column (licensed .. mau). */
PyObject *csm_py_activity(const int64_t *account, size_t n_account,
                          const int32_t *role, size_t n_role,
                          const int32_t *seg, size_t n_seg,
                          const int32_t *cohort, size_t n_cohort,
                          const double *licensed, size_t n_licensed,
                          const double *activated, size_t n_activated,
                          const double *users, size_t n_users,
                          const double *sessions, size_t n_sessions,
                          const double *minutes, size_t n_minutes,
                          const double *fused, size_t n_fused,
                          const double *favail, size_t n_favail,
                          const double *dau, size_t n_dau,
                          const double *mau, size_t n_mau,
                          int present, int group_by, int clamp) {
    csm_activity_rows rw;
    csm_activity_opts o = CSM_ACTIVITY_OPTS_INIT;
    csm_activity *a = NULL;
    csm_error e;
    csm_status st;
    PyObject *d;
    const size_t lens[9] = {n_licensed, n_activated, n_users, n_sessions, n_minutes,
                            n_fused, n_favail, n_dau, n_mau};
    static const char *const names[9] = {"licensed_seats", "activated_seats",
        "active_users", "sessions", "minutes", "features_used",
        "features_available", "dau", "mau"};
    int k;
    if (((present & 1) && !csm_py_same_length(n_account, n_role, "role")) ||
        ((present & 2) && !csm_py_same_length(n_account, n_seg, "segment")) ||
        ((present & 4) && !csm_py_same_length(n_account, n_cohort, "cohort")))
        return NULL;
    for (k = 0; k < 9; k++)
        if ((present & (8 << k)) && !csm_py_same_length(n_account, lens[k], names[k]))
            return NULL;
    memset(&rw, 0, sizeof rw);
    rw.account_id = account;
    rw.role = (present & 1) ? role : NULL;
    rw.segment = (present & 2) ? seg : NULL;
    rw.cohort = (present & 4) ? cohort : NULL;
    rw.licensed_seats = (present & 8) ? licensed : NULL;
    rw.activated_seats = (present & 16) ? activated : NULL;
    rw.active_users = (present & 32) ? users : NULL;
    rw.sessions = (present & 64) ? sessions : NULL;
    rw.minutes = (present & 128) ? minutes : NULL;
    rw.features_used = (present & 256) ? fused : NULL;
    rw.features_available = (present & 512) ? favail : NULL;
    rw.dau = (present & 1024) ? dau : NULL;
    rw.mau = (present & 2048) ? mau : NULL;
    rw.n = n_account;
    o.group_by = group_by;
    o.clamp = clamp;
    csm_error_clear(&e);
    Py_BEGIN_ALLOW_THREADS
    st = csm_activity_compute(&a, &rw, &o, &e);
    Py_END_ALLOW_THREADS
    if (st != CSM_OK) {
        csm_py_raise(st, &e);
        return NULL;
    }
    d = csm_py_table(a, csm_py_activity_cols, CSM_PY_NCOLS(csm_py_activity_cols),
                     a->n_rows, CSM_ACT_N);
    csm_activity_free(a);
    return d;
}

/* Simple LTV from a ledger's observed ARPA and churn. */
PyObject *csm_py_ltv_from_ledger(const csm_ledger *ledger, int32_t month,
                                 int32_t window, double margin, int zero_churn,
                                 double churn_floor, double cap) {
    csm_ltv_opts o = CSM_LTV_OPTS_INIT;
    csm_ltv_result r;
    csm_error e;
    csm_status st;
    o.zero_churn = zero_churn;
    o.churn_floor = churn_floor;
    o.lifetime_cap_months = cap;
    csm_error_clear(&e);
    st = csm_ltv_from_ledger(&r, ledger, month, window, margin, &o, &e);
    if (st != CSM_OK) {
        csm_py_raise(st, &e);
        return NULL;
    }
    return Py_BuildValue("{s:d,s:d,s:d,s:I}", "ltv", r.ltv, "lifetime_months",
                         r.lifetime_months, "churn_used", r.churn_used,
                         "flags", r.flags);
}

/* Scorecards. */
csm_scorecard *csm_py_scorecard_from_json(const char *json) {
    csm_scorecard *sc = NULL;
    csm_error e;
    csm_status st;
    csm_error_clear(&e);
    st = csm_scorecard_from_json(&sc, json, strlen(json), NULL, &e);
    if (st != CSM_OK) {
        csm_py_raise(st, &e);
        return NULL;
    }
    return sc;
}

void csm_py_scorecard_free(csm_scorecard *sc) { csm_scorecard_free(sc); }

PyObject *csm_py_scorecard_to_json(const csm_scorecard *sc) {
    char *s = NULL;
    size_t n = 0;
    csm_error e;
    PyObject *o;
    csm_status st;
    csm_error_clear(&e);
    st = csm_scorecard_to_json(&s, &n, sc, &e);
    if (st != CSM_OK) {
        csm_py_raise(st, &e);
        return NULL;
    }
    o = PyUnicode_FromStringAndSize(s, (Py_ssize_t)n);
    csm_scorecard_json_free(sc, s);
    return o;
}

/* {"inputs": [...], "measures": [...], "measure_group": [...],
 *  "groups": [...], "bands": [...], "overrides": [...]} */
PyObject *csm_py_scorecard_names(const csm_scorecard *sc) {
    PyObject *d = PyDict_New(), *l;
    size_t i;
    const char *keys[5] = {"inputs", "measures", "groups", "bands", "overrides"};
    size_t counts[5];
    int k;
    counts[0] = csm_scorecard_input_count(sc);
    counts[1] = csm_scorecard_measure_count(sc);
    counts[2] = csm_scorecard_group_count(sc);
    counts[3] = csm_scorecard_band_count(sc);
    counts[4] = csm_scorecard_override_count(sc);
    for (k = 0; k < 5 && d; k++) {
        l = PyList_New((Py_ssize_t)counts[k]);
        for (i = 0; l && i < counts[k]; i++) {
            const char *s = k == 0 ? csm_scorecard_input_name(sc, i)
                          : k == 1 ? csm_scorecard_measure_name(sc, i)
                          : k == 2 ? csm_scorecard_group_name(sc, i)
                          : k == 3 ? csm_scorecard_band_name(sc, i)
                                   : csm_scorecard_override_name(sc, i);
            PyList_SET_ITEM(l, (Py_ssize_t)i, PyUnicode_FromString(s));
        }
        d = csm_py_take(d, keys[k], l);
    }
    l = PyList_New((Py_ssize_t)counts[1]);
    for (i = 0; l && i < counts[1]; i++)
        PyList_SET_ITEM(l, (Py_ssize_t)i,
                        PyLong_FromSize_t(csm_scorecard_measure_group(sc, i)));
    return csm_py_take(d, "measure_group", l);
}

/* Score an accounts x inputs matrix (C order).  has_prev: 1 scores, 2 bands. */
PyObject *csm_py_score(const csm_scorecard *sc,
                       const double *values, size_t n_rows, size_t n_cols,
                       const double *prev_score, size_t n_prev_score,
                       const int32_t *prev_band, size_t n_prev_band, int has_prev) {
    csm_health *h = NULL;
    csm_error e;
    csm_status st;
    PyObject *d;
    npy_intp dims[2];
    PyObject *m;
    if (n_cols != csm_scorecard_input_count(sc)) {
        csm_py_fail(CSM_EINVAL, CSM_NO_ROW, "values",
                    "the matrix needs one column per scorecard input");
        return NULL;
    }
    if (((has_prev & 1) && !csm_py_same_length(n_rows, n_prev_score, "previous score")) ||
        ((has_prev & 2) && !csm_py_same_length(n_rows, n_prev_band, "previous band")))
        return NULL;
    csm_error_clear(&e);
    Py_BEGIN_ALLOW_THREADS
    st = csm_scorecard_score(&h, sc, values, n_rows,
                             (has_prev & 1) ? prev_score : NULL,
                             (has_prev & 2) ? prev_band : NULL, &e);
    Py_END_ALLOW_THREADS
    if (st != CSM_OK) {
        csm_py_raise(st, &e);
        return NULL;
    }
    d = csm_py_table(h, csm_py_health_cols, CSM_PY_NCOLS(csm_py_health_cols),
                     h->n_accounts, 1);
    dims[0] = (npy_intp)h->n_accounts;
    dims[1] = (npy_intp)h->n_measures;
    m = PyArray_SimpleNew(2, dims, NPY_DOUBLE);
    if (m && h->n_accounts * h->n_measures != 0)
        memcpy(PyArray_DATA((PyArrayObject *)m), h->measure_score,
               h->n_accounts * h->n_measures * sizeof(double));
    d = csm_py_take(d, "measure_score", m);
    m = PyArray_SimpleNew(2, dims, NPY_DOUBLE);
    if (m && h->n_accounts * h->n_measures != 0)
        memcpy(PyArray_DATA((PyArrayObject *)m), h->contribution,
               h->n_accounts * h->n_measures * sizeof(double));
    d = csm_py_take(d, "contribution", m);
    m = PyArray_SimpleNew(2, dims, NPY_DOUBLE);
    if (m && h->n_accounts * h->n_measures != 0)
        memcpy(PyArray_DATA((PyArrayObject *)m), h->weight,
               h->n_accounts * h->n_measures * sizeof(double));
    d = csm_py_take(d, "weight", m);
    dims[1] = (npy_intp)h->n_groups;
    m = PyArray_SimpleNew(2, dims, NPY_DOUBLE);
    if (m && h->n_accounts * h->n_groups != 0)
        memcpy(PyArray_DATA((PyArrayObject *)m), h->group_contribution,
               h->n_accounts * h->n_groups * sizeof(double));
    d = csm_py_take(d, "group_contribution", m);
    csm_health_free(h);
    return d;
}
%}
