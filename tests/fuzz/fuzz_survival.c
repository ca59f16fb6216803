/* fuzz_survival.c - libFuzzer harness: Kaplan-Meier and the
 * shifted-beta-geometric model on arbitrary inputs (durations, events,
 * weights and groups with NaN, inf, 0, negatives and huge values; survivor
 * counts per cohort; alpha and beta from 1e-17 to DBL_MAX).
 * Properties: each KM curve is non-increasing in [0, 1] with its interval
 * around it; sBG survival is in [0, 1], non-increasing in t, and the curve
 * agrees with csm_sbg_survival; a status of OK never comes with a NaN
 * survival; every column of every result has n_rows values. */
#include "fuzz.h"

#define MAX_ROWS 128

static void check_km(const csm_km *km) {
    fuzz_check_result(km->result);
    for (size_t g = 0; g < km->n_groups; g++) {
        double prev = 1.0;
        for (size_t i = km->row_offset[g]; i < km->row_offset[g + 1]; i++) {
            FUZZ_CHECK(i < km->n_rows, "curve %zu row %zu of %zu", g, i,
                       km->n_rows);
            double s = km->surv[i];
            FUZZ_CHECK(s >= 0 && s <= 1, "curve %zu row %zu: S = %.17g", g, i, s);
            FUZZ_CHECK(s <= prev, "curve %zu row %zu: S rises %.17g -> %.17g",
                       g, i, prev, s);
            prev = s;
            if (!isnan(km->lower[i]))
                FUZZ_CHECK(km->lower[i] <= s + 1e-12 && km->upper[i] >= s - 1e-12,
                           "curve %zu row %zu: %.17g outside [%.17g, %.17g]", g,
                           i, s, km->lower[i], km->upper[i]);
        }
    }
}

static void check_sbg_params(double a, double b) {
    csm_error err;
    double s_prev = 1.0;
    double curve[8], ret[8], churn[8];
    csm_status cst = csm_sbg_curve(curve, ret, churn, 8, a, b, &err);
    FUZZ_CHECK_ERR(cst, err);
    for (int32_t t = 0; t < 8; t++) {
        double s = NAN;
        csm_status st = csm_sbg_survival(&s, a, b, t, &err);
        FUZZ_CHECK_ERR(st, err);
        if (st != CSM_OK)
            return;
        FUZZ_CHECK(s >= 0 && s <= 1, "S(%d) = %.17g at alpha %g beta %g", t, s,
                   a, b);
        FUZZ_CHECK(s <= s_prev * (1 + 1e-12), "S rises at t %d (alpha %g beta %g)",
                   t, a, b);
        s_prev = s;
        if (cst == CSM_OK)
            FUZZ_CHECK(fabs(curve[t] - s) <= 1e-9 * s + 1e-300,
                       "curve %.17g != S(%d) %.17g (alpha %g beta %g)", curve[t],
                       t, s, a, b);
    }
    double life = NAN;
    uint32_t flags = 0;
    csm_status st = csm_sbg_expected_lifetime(&life, &flags, a, b, &err);
    FUZZ_CHECK_ERR(st, err);
    if (st == CSM_OK) /* infinite (NaN, flagged) for alpha <= 1 */
        FUZZ_CHECK(a <= 1 ? isnan(life) && (flags & csm_flag_infinite())
                          : life >= 1 - 1e-9,
                   "expected lifetime %.17g (alpha %g beta %g)", life, a, b);
    csm_sbg_projection *p = NULL;
    st = csm_sbg_project(&p, 6, a, b, 1000, NULL, &err);
    FUZZ_CHECK_ERR(st, err);
    if (st == CSM_OK)
        fuzz_check_result(p->result);
    csm_sbg_projection_free(p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    fuzz_in in = {data, size};
    uint8_t mode = fuzz_u8(&in);
    size_t n = in.n / 4;
    if (n > MAX_ROWS)
        n = MAX_ROWS;
    double dur[MAX_ROWS], w[MAX_ROWS], alive[MAX_ROWS];
    uint8_t ev[MAX_ROWS];
    int32_t grp[MAX_ROWS], cohort[MAX_ROWS], first[MAX_ROWS];
    int32_t c = 24280;
    for (size_t i = 0; i < n; i++) {
        dur[i] = fuzz_f64(&in);
        uint8_t b = fuzz_u8(&in);
        ev[i] = b % 3; /* 2: not an event flag */
        grp[i] = (b >> 2) % 3;
        w[i] = (mode & 1) ? fuzz_f64(&in) : 1.0;
        if (i && (b & 0x80))
            c++;
        cohort[i] = c;
        first[i] = fuzz_i32_near(&in, 24280, 12);
    }
    /* survivor counts: a falling sequence per cohort, or raw values */
    double count = 1000;
    for (size_t i = 0; i < n; i++) {
        if (i == 0 || cohort[i] != cohort[i - 1])
            count = 1000;
        alive[i] = (mode & 2) ? dur[i] : count;
        count = floor(count * (0.5 + 0.5 * (fabs(w[i]) > 1 ? 0.9 : fabs(w[i]))));
    }

    csm_error err;
    csm_km_opts ko = CSM_KM_OPTS_INIT;
    ko.level = (mode & 4) ? fuzz_f64(&in) / 256.0 : 0.95;
    ko.horizon = (mode & 8) ? fuzz_f64(&in) : 0;
    ko.include_overall = (mode >> 4) & 1;
    double at[3] = {0, fuzz_f64(&in), 12};
    ko.at_times = at;
    ko.n_at_times = (mode & 32) ? 3 : 0;
    csm_km *km = NULL;
    csm_status st = csm_km_compute(&km, dur, ev, (mode & 1) ? w : NULL,
                                   (mode & 64) ? grp : NULL, n, &ko, &err);
    FUZZ_CHECK_ERR(st, err);
    if (st == CSM_OK)
        check_km(km);
    csm_km_free(km);

    csm_sbg fit;
    st = csm_sbg_fit(&fit, alive, cohort, n, NULL, &err);
    FUZZ_CHECK_ERR(st, err);
    if (st == CSM_OK) {
        FUZZ_CHECK(fit.alpha > 0 && fit.beta > 0, "fit alpha %g beta %g",
                   fit.alpha, fit.beta);
        check_sbg_params(fit.alpha, fit.beta);
    }

    csm_sbg_survivors *sv = NULL;
    st = csm_sbg_survivors_from_lifetimes(&sv, first, dur, (mode & 1) ? w : NULL,
                                          n, NULL, &err);
    FUZZ_CHECK_ERR(st, err);
    if (st == CSM_OK)
        fuzz_check_result(sv->result);
    csm_sbg_survivors_free(sv);

    double a = fuzz_f64(&in), b = fuzz_f64(&in);
    if (mode & 128) {
        a = ldexp(1.0, (int)fuzz_u8(&in) - 128);
        b = ldexp(1.0, (int)fuzz_u8(&in) - 128);
    }
    check_sbg_params(a, b);
    return 0;
}
