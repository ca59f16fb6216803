/*
 * families.i - shims for the renewals, survival, team, activity and health
 * families.  Each shim takes numpy arrays (numpy.i, no copy for the right
 * dtype), calls the C function with the GIL released and returns the
 * generic conversion of the C result (csm_py_result in common.i: per table,
 * its columns' descriptors and numpy arrays viewing the C block, which the
 * arrays keep alive); failures raise csmetrics exceptions with the
 * csm_error text.  The pure-Python module csmetrics/families.py builds the
 * public API on top (csmetrics/_table.py: DataFrames and Tables).
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
    (const double *prev_score, size_t n_prev_score),
    (const double *at_times, size_t n_at_times),
    (const double *mrr, size_t n_mrr),
    (const double *spend, size_t n_spend)
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
    (const int32_t *prev_band, size_t n_prev_band),
    (const int32_t *first_month, size_t n_first_month),
    (const int32_t *spend_month, size_t n_spend_month)
};
%apply (int64_t *IN_ARRAY1, size_t DIM1) {
    (const int64_t *cust, size_t n_cust),
    (const int64_t *owner_customer, size_t n_owner_customer),
    (const int64_t *at_risk, size_t n_at_risk),
    (const int64_t *account, size_t n_account),
    (const int64_t *account_id, size_t n_account_id)
};
%apply (double *IN_ARRAY2, size_t DIM1, size_t DIM2) {
    (const double *values, size_t n_rows, size_t n_cols)
};

/* The scorecard travels as an opaque SWIG pointer, freed by
 * csm_py_scorecard_free (the Python Scorecard class owns it). */

%inline %{
/* Kaplan-Meier: tables "km" (rows), "km_groups" (curves) and "km_at" (the
 * curves at at_times; has_at 0 = opts.at_times left at its default). */
PyObject *csm_py_km(const double *duration, size_t n_duration,
                    const uint8_t *event, size_t n_event,
                    const double *weight, size_t n_weight, int has_weight,
                    const int32_t *group, size_t n_group, int has_group,
                    double level, double horizon, int include_overall,
                    const double *at_times, size_t n_at_times, int has_at) {
    csm_km_opts o = CSM_KM_OPTS_INIT;
    csm_km *km = NULL;
    csm_error e;
    csm_status st;
    if (!csm_py_same_length(n_duration, n_event, "event") ||
        (has_weight && !csm_py_same_length(n_duration, n_weight, "weight")) ||
        (has_group && !csm_py_same_length(n_duration, n_group, "group")))
        return NULL;
    o.level = level;
    o.horizon = horizon;
    o.include_overall = include_overall;
    if (has_at) {
        o.at_times = at_times;
        o.n_at_times = n_at_times;
    }
    csm_error_clear(&e);
    Py_BEGIN_ALLOW_THREADS
    st = csm_km_compute(&km, duration, event, has_weight ? weight : NULL,
                        has_group ? group : NULL, n_duration, &o, &e);
    Py_END_ALLOW_THREADS
    if (st != CSM_OK) {
        csm_py_raise(st, &e);
        return NULL;
    }
    return csm_py_result(km->result);
}

/* Lifetimes of a ledger's customers: the table "lifetimes". */
PyObject *csm_py_lifetimes(const csm_ledger *ledger, int32_t as_of) {
    csm_lifetimes_opts o = CSM_LIFETIMES_OPTS_INIT;
    csm_lifetimes *lt = NULL;
    csm_error e;
    csm_status st;
    o.as_of = as_of;
    csm_error_clear(&e);
    Py_BEGIN_ALLOW_THREADS
    st = csm_lifetimes_from_ledger(&lt, ledger, &o, &e);
    Py_END_ALLOW_THREADS
    if (st != CSM_OK) {
        csm_py_raise(st, &e);
        return NULL;
    }
    return csm_py_result(lt->result);
}

/* Survivor counts of monthly cohorts from lifetimes: the table
 * "sbg_survivors".  set bits: 1 first_cohort, 2 last_cohort, 4 as_of
 * (others keep CSM_SBG_SURVIVORS_OPTS_INIT's defaults). */
PyObject *csm_py_sbg_survivors(const int32_t *first_month, size_t n_first_month,
                               const double *duration, size_t n_duration,
                               const double *weight, size_t n_weight, int has_weight,
                               int32_t first_cohort, int32_t last_cohort,
                               int32_t as_of, int set) {
    csm_sbg_survivors_opts o = CSM_SBG_SURVIVORS_OPTS_INIT;
    csm_sbg_survivors *s = NULL;
    csm_error e;
    csm_status st;
    if (!csm_py_same_length(n_first_month, n_duration, "duration") ||
        (has_weight && !csm_py_same_length(n_first_month, n_weight, "weight")))
        return NULL;
    if (set & 1)
        o.first_cohort = first_cohort;
    if (set & 2)
        o.last_cohort = last_cohort;
    if (set & 4)
        o.as_of = as_of;
    csm_error_clear(&e);
    Py_BEGIN_ALLOW_THREADS
    st = csm_sbg_survivors_from_lifetimes(&s, first_month, duration,
                                          has_weight ? weight : NULL,
                                          n_first_month, &o, &e);
    Py_END_ALLOW_THREADS
    if (st != CSM_OK) {
        csm_py_raise(st, &e);
        return NULL;
    }
    return csm_py_result(s->result);
}

/* sBG fit: the one-row table "sbg" (csm_sbg_table of the fit). */
PyObject *csm_py_sbg_fit(const double *alive, size_t n_alive,
                         const int32_t *cohort, size_t n_cohort, int has_cohort) {
    csm_sbg f;
    csm_sbg_fits *t = NULL;
    csm_error e;
    csm_status st;
    if (has_cohort && !csm_py_same_length(n_alive, n_cohort, "cohort"))
        return NULL;
    csm_error_clear(&e);
    Py_BEGIN_ALLOW_THREADS
    st = csm_sbg_fit(&f, alive, has_cohort ? cohort : NULL, n_alive, NULL, &e);
    if (st == CSM_OK)
        st = csm_sbg_table(&t, &f, 1, NULL, &e);
    Py_END_ALLOW_THREADS
    if (st != CSM_OK) {
        csm_py_raise(st, &e);
        return NULL;
    }
    return csm_py_result(t->result);
}

/* sBG projection: the table "sbg_curve" (csm_sbg_project). */
PyObject *csm_py_sbg_project(size_t n_periods, double alpha, double beta,
                             double cohort_size) {
    csm_sbg_projection *p = NULL;
    csm_error e;
    csm_status st;
    csm_error_clear(&e);
    Py_BEGIN_ALLOW_THREADS
    st = csm_sbg_project(&p, n_periods, alpha, beta, cohort_size, NULL, &e);
    Py_END_ALLOW_THREADS
    if (st != CSM_OK) {
        csm_py_raise(st, &e);
        return NULL;
    }
    return csm_py_result(p->result);
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

/* Team efficiency: tables "team" and "team_summary". */
PyObject *csm_py_team(const csm_ledger *ledger,
                      const int64_t *owner_customer, size_t n_owner_customer,
                      const int32_t *owner, size_t n_owner,
                      const int64_t *at_risk, size_t n_at_risk, int32_t month) {
    csm_team_opts o = CSM_TEAM_OPTS_INIT;
    csm_team *t = NULL;
    csm_error e;
    csm_status st;
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
    return csm_py_result(t->result);
}

/* The outcome names of the "outcome" column, from C. */
const char *csm_renewals_outcome_name(int outcome);

/* Renewals: (the conversion of the result, with the tables "renewals" and
 * "renewal_contracts"; the per-input-row outcome codes, uint8; the matched
 * rows, int64), the two arrays filled by C in place. */
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
    csm_contracts k;
    csm_renewals_opts o = CSM_RENEWALS_OPTS_INIT;
    csm_renewals *r = NULL;
    csm_error e;
    csm_status st;
    PyObject *conv, *oa, *ma;
    npy_intp dims[1];
    uint8_t *oc;
    int64_t *mt;
    int32_t *term;
    uint8_t *unit;
    size_t i;
    if (!csm_py_same_length(n_cust, n_start, "start_day") ||
        !csm_py_same_length(n_cust, n_end, "end_day") ||
        !csm_py_same_length(n_cust, n_value, "value") ||
        ((present & 1) && !csm_py_same_length(n_cust, n_seg, "segment")) ||
        ((present & 2) && !csm_py_same_length(n_cust, n_chan, "channel")) ||
        ((present & 4) && !csm_py_same_length(n_cust, n_own, "owner")))
        return NULL;
    /* value is the term's total: one billing interval spanning the term
     * (unit day, count = its days), which the library values at exactly
     * the amount (renewals.h); an end before the start stays an
     * "end_day" error */
    term = (int32_t *)PyMem_Malloc(n_cust ? n_cust * sizeof *term : 1);
    unit = (uint8_t *)PyMem_Malloc(n_cust ? n_cust : 1);
    if (!term || !unit) {
        PyMem_Free(term);
        PyMem_Free(unit);
        return PyErr_NoMemory();
    }
    for (i = 0; i < n_cust; i++) {
        int64_t d = (int64_t)end[i] - (int64_t)start[i] + 1;
        term[i] = d > 0 && d <= INT32_MAX ? (int32_t)d : 1;
        unit[i] = CSM_UNIT_DAY;
    }
    memset(&k, 0, sizeof k);
    k.customer_id = cust;
    k.start_day = start;
    k.end_day = end;
    k.amount = value;
    k.interval_count = term;
    k.interval_unit = unit;
    k.segment = (present & 1) ? seg : NULL;
    k.channel = (present & 2) ? chan : NULL;
    k.owner = (present & 4) ? own : NULL;
    k.n = n_cust;
    o.grace_days = grace_days;
    o.late_counts = late_counts;
    o.include_upsells = include_upsells;
    o.group_by = group_by;
    dims[0] = (npy_intp)n_cust;
    oa = PyArray_SimpleNew(1, dims, NPY_UINT8);
    ma = PyArray_SimpleNew(1, dims, NPY_INT64);
    if (!oa || !ma) {
        Py_XDECREF(oa);
        Py_XDECREF(ma);
        PyMem_Free(term);
        PyMem_Free(unit);
        return NULL;
    }
    oc = (uint8_t *)PyArray_DATA((PyArrayObject *)oa);
    mt = (int64_t *)PyArray_DATA((PyArrayObject *)ma);
    csm_error_clear(&e);
    Py_BEGIN_ALLOW_THREADS
    st = csm_renewals_compute(&r, oc, mt, &k, window_start, window_end, &o, &e);
    Py_END_ALLOW_THREADS
    PyMem_Free(term);
    PyMem_Free(unit);
    if (st != CSM_OK) {
        Py_DECREF(oa);
        Py_DECREF(ma);
        if (e.field && strcmp(e.field, "amount") == 0) /* the caller's name */
            (void)csm_error_set(&e, st, e.row, "value", e.msg);
        csm_py_raise(st, &e);
        return NULL;
    }
    conv = csm_py_result(r->result);
    if (!conv) {
        Py_DECREF(oa);
        Py_DECREF(ma);
        return NULL;
    }
    return Py_BuildValue("(NNN)", conv, oa, ma);
}

/* Activity measures: tables "activity" and "activity_measures".  present
 * bits: 1 role, 2 segment, 4 cohort, then
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
                          int present, int group_by, int clamp, int nan_missing) {
    csm_activity_rows rw;
    csm_activity_opts o = CSM_ACTIVITY_OPTS_INIT;
    csm_activity *a = NULL;
    csm_error e;
    csm_status st;
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
    if (nan_missing >= 0) /* -1: CSM_ACTIVITY_OPTS_INIT's default */
        o.nan_missing = nan_missing;
    csm_error_clear(&e);
    Py_BEGIN_ALLOW_THREADS
    st = csm_activity_compute(&a, &rw, &o, &e);
    Py_END_ALLOW_THREADS
    if (st != CSM_OK) {
        csm_py_raise(st, &e);
        return NULL;
    }
    return csm_py_result(a->result);
}

/* The name of activity measure m (csm_activity_measure_name) and their
 * number. */
const char *csm_py_activity_measure_name(int m) {
    return csm_activity_measure_name(m);
}
int csm_py_activity_measure_count(void) { return CSM_ACT_N; }

/* Simple LTV from a ledger's observed ARPA and churn: the one-row table
 * "ltv" (csm_ltv_table). */
PyObject *csm_py_ltv_from_ledger(const csm_ledger *ledger, int32_t month,
                                 int32_t window, double margin, int zero_churn,
                                 double churn_floor, double cap) {
    csm_ltv_opts o = CSM_LTV_OPTS_INIT;
    csm_ltv_result r;
    csm_ltv_results *t = NULL;
    csm_error e;
    csm_status st;
    o.zero_churn = zero_churn;
    o.churn_floor = churn_floor;
    o.lifetime_cap_months = cap;
    csm_error_clear(&e);
    Py_BEGIN_ALLOW_THREADS
    st = csm_ltv_from_ledger(&r, ledger, month, window, margin, &o, &e);
    if (st == CSM_OK)
        st = csm_ltv_table(&t, &r, NULL, 1, NULL, &e);
    Py_END_ALLOW_THREADS
    if (st != CSM_OK) {
        csm_py_raise(st, &e);
        return NULL;
    }
    return csm_py_result(t->result);
}

/* Scorecards. */
csm_health_scorecard *csm_py_scorecard_from_json(const char *json) {
    csm_health_scorecard *sc = NULL;
    csm_error e;
    csm_status st;
    csm_error_clear(&e);
    st = csm_health_scorecard_from_json(&sc, json, strlen(json), NULL, &e);
    if (st != CSM_OK) {
        csm_py_raise(st, &e);
        return NULL;
    }
    return sc;
}

void csm_py_scorecard_free(csm_health_scorecard *sc) { csm_health_scorecard_free(sc); }

PyObject *csm_py_scorecard_to_json(const csm_health_scorecard *sc) {
    char *s = NULL;
    size_t n = 0;
    csm_error e;
    PyObject *o;
    csm_status st;
    csm_error_clear(&e);
    st = csm_health_scorecard_to_json(&s, &n, sc, &e);
    if (st != CSM_OK) {
        csm_py_raise(st, &e);
        return NULL;
    }
    o = PyUnicode_FromStringAndSize(s, (Py_ssize_t)n);
    csm_health_scorecard_json_free(sc, s);
    return o;
}

/* {"inputs": [...], "measures": [...], "measure_group": [...],
 *  "groups": [...], "bands": [...], "overrides": [...]} */
PyObject *csm_py_scorecard_names(const csm_health_scorecard *sc) {
    PyObject *d = PyDict_New(), *l;
    size_t i;
    const char *keys[5] = {"inputs", "measures", "groups", "bands", "overrides"};
    size_t counts[5];
    int k;
    counts[0] = csm_health_scorecard_input_count(sc);
    counts[1] = csm_health_scorecard_measure_count(sc);
    counts[2] = csm_health_scorecard_group_count(sc);
    counts[3] = csm_health_scorecard_band_count(sc);
    counts[4] = csm_health_scorecard_override_count(sc);
    for (k = 0; k < 5 && d; k++) {
        l = PyList_New((Py_ssize_t)counts[k]);
        for (i = 0; l && i < counts[k]; i++) {
            const char *s = k == 0 ? csm_health_scorecard_input_name(sc, i)
                          : k == 1 ? csm_health_scorecard_measure_name(sc, i)
                          : k == 2 ? csm_health_scorecard_group_name(sc, i)
                          : k == 3 ? csm_health_scorecard_band_name(sc, i)
                                   : csm_health_scorecard_override_name(sc, i);
            PyList_SET_ITEM(l, (Py_ssize_t)i, PyUnicode_FromString(s));
        }
        d = csm_py_take(d, keys[k], l);
    }
    l = PyList_New((Py_ssize_t)counts[1]);
    for (i = 0; l && i < counts[1]; i++)
        PyList_SET_ITEM(l, (Py_ssize_t)i,
                        PyLong_FromSize_t(csm_health_scorecard_measure_group(sc, i)));
    return csm_py_take(d, "measure_group", l);
}

/* Score an accounts x inputs matrix (C order): tables "health",
 * "health_measures" and "health_groups".  has_prev: 1 scores, 2 bands. */
PyObject *csm_py_score(const csm_health_scorecard *sc,
                       const double *values, size_t n_rows, size_t n_cols,
                       const double *prev_score, size_t n_prev_score,
                       const int32_t *prev_band, size_t n_prev_band, int has_prev) {
    csm_health *h = NULL;
    csm_error e;
    csm_status st;
    if (n_cols != csm_health_scorecard_input_count(sc)) {
        csm_py_fail(CSM_EINVAL, CSM_NO_ROW, "values",
                    "the matrix needs one column per scorecard input");
        return NULL;
    }
    if (((has_prev & 1) && !csm_py_same_length(n_rows, n_prev_score, "previous score")) ||
        ((has_prev & 2) && !csm_py_same_length(n_rows, n_prev_band, "previous band")))
        return NULL;
    csm_error_clear(&e);
    Py_BEGIN_ALLOW_THREADS
    st = csm_health_score(&h, sc, values, n_rows,
                             (has_prev & 1) ? prev_score : NULL,
                             (has_prev & 2) ? prev_band : NULL, &e);
    Py_END_ALLOW_THREADS
    if (st != CSM_OK) {
        csm_py_raise(st, &e);
        return NULL;
    }
    return csm_py_result(h->result);
}

/* The csm_health of a converted scoring result (`result`: its
 * "csmetrics.result" capsule), NULL with an exception if it is not one. */
static const csm_health *csm_py_health_of(PyObject *result) {
    csm_result *r = (csm_result *)PyCapsule_GetPointer(result, CSM_PY_RESULT_CAPSULE);
    if (!r)
        return NULL;
    if (strcmp(csm_result_kind(r), "health") != 0) {
        csm_py_fail(CSM_EINVAL, CSM_NO_ROW, "scores",
                    "expected the result of Scorecard.score");
        return NULL;
    }
    return (const csm_health *)csm_result_view(r);
}

/* The band distribution of a scoring result: the table "health_bands". */
PyObject *csm_py_health_bands(const csm_health_scorecard *sc, PyObject *result,
                              const double *mrr, size_t n_mrr, int has_mrr) {
    const csm_health *h = csm_py_health_of(result);
    csm_health_bands *b = NULL;
    csm_error e;
    csm_status st;
    if (!h || (has_mrr && !csm_py_same_length(h->n_accounts, n_mrr, "mrr")))
        return NULL;
    csm_error_clear(&e);
    Py_BEGIN_ALLOW_THREADS
    st = csm_health_bands_compute(&b, h, sc, has_mrr ? mrr : NULL, NULL, &e);
    Py_END_ALLOW_THREADS
    if (st != CSM_OK) {
        csm_py_raise(st, &e);
        return NULL;
    }
    return csm_py_result(b->result);
}

/* The accounts most at risk: tables "health_at_risk" and "health_reasons".
 * top_n / n_reasons < 0 keep CSM_HEALTH_RISK_OPTS_INIT's defaults. */
PyObject *csm_py_health_at_risk(PyObject *result,
                                const int64_t *account_id, size_t n_account_id,
                                int has_id, const double *mrr, size_t n_mrr,
                                int has_mrr, long long top_n, long long n_reasons) {
    const csm_health *h = csm_py_health_of(result);
    csm_health_risk_opts o = CSM_HEALTH_RISK_OPTS_INIT;
    csm_health_risks *r = NULL;
    csm_error e;
    csm_status st;
    if (!h || (has_id && !csm_py_same_length(h->n_accounts, n_account_id, "account_id")) ||
        (has_mrr && !csm_py_same_length(h->n_accounts, n_mrr, "mrr")))
        return NULL;
    if (top_n >= 0)
        o.top_n = (size_t)top_n;
    if (n_reasons >= 0)
        o.n_reasons = (size_t)n_reasons;
    csm_error_clear(&e);
    Py_BEGIN_ALLOW_THREADS
    st = csm_health_at_risk(&r, h, has_id ? account_id : NULL,
                            has_mrr ? mrr : NULL, &o, &e);
    Py_END_ALLOW_THREADS
    if (st != CSM_OK) {
        csm_py_raise(st, &e);
        return NULL;
    }
    return csm_py_result(r->result);
}

/* Unit economics of a ledger: the one-row table "unit_economics".  set
 * bits: 1 zero_churn, 2 churn_floor, 4 lifetime_cap_months (others keep
 * CSM_LTV_OPTS_INIT's defaults); has_spend 0 = spend unknown. */
PyObject *csm_py_unit_economics(const csm_ledger *ledger, int32_t month,
                                int32_t window, double margin,
                                const int32_t *spend_month, size_t n_spend_month,
                                const double *spend, size_t n_spend, int has_spend,
                                int zero_churn, double churn_floor, double cap,
                                int set) {
    csm_ltv_opts o = CSM_LTV_OPTS_INIT;
    csm_unit_economics *u = NULL;
    csm_error e;
    csm_status st;
    if (has_spend && !csm_py_same_length(n_spend_month, n_spend, "spend"))
        return NULL;
    if (set & 1)
        o.zero_churn = zero_churn;
    if (set & 2)
        o.churn_floor = churn_floor;
    if (set & 4)
        o.lifetime_cap_months = cap;
    csm_error_clear(&e);
    Py_BEGIN_ALLOW_THREADS
    st = csm_unit_economics_from_ledger(&u, ledger, month, window, margin,
                                        has_spend ? spend_month : NULL,
                                        has_spend ? spend : NULL,
                                        has_spend ? n_spend : 0, &o, &e);
    Py_END_ALLOW_THREADS
    if (st != CSM_OK) {
        csm_py_raise(st, &e);
        return NULL;
    }
    return csm_py_result(u->result);
}

/* Projection inputs of a ledger: the one-row table "project_inputs". */
PyObject *csm_py_project_inputs(const csm_ledger *ledger, int32_t month,
                                int32_t window) {
    csm_projection_inputs *p = NULL;
    csm_error e;
    csm_status st;
    csm_error_clear(&e);
    Py_BEGIN_ALLOW_THREADS
    st = csm_projection_inputs_from_ledger(&p, ledger, month, window, &e);
    Py_END_ALLOW_THREADS
    if (st != CSM_OK) {
        csm_py_raise(st, &e);
        return NULL;
    }
    return csm_py_result(p->result);
}
%}
