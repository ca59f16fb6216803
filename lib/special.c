/* special.c - special functions shared by the families (internal/special.h):
 * the Gauss hypergeometric series and Student's t distribution. */
#include <math.h>

#include "internal/special.h"
#include "internal/util.h"

#define HYP_MAX_TERMS 10000000L

csm_status csm__hyp2f1(double *out, double a, double b, double c, double z,
                       csm_error *err) {
    csm__ksum sum = {1.0, 0.0};
    double term = 1.0;
    for (long k = 0;; k++) {
        if (k >= HYP_MAX_TERMS)
            return csm__fail(err, CSM_ENOCONV, CSM_NO_ROW, "z",
                             "hypergeometric series did not converge "
                             "(z too close to 1)");
        double kd = (double)k;
        term *= (a + kd) * (b + kd) / ((c + kd) * (kd + 1.0)) * z;
        csm__ksum_add(&sum, term);
        if (term == 0.0)
            break;
        /* every later ratio is at most rho (internal/special.h) */
        double k1 = kd + 1.0;
        double rho = z * fmax(1.0, (a + k1) / (1.0 + k1)) *
                     fmax(1.0, (b + k1) / (c + k1));
        if (rho < 1.0 &&
            term * rho / (1.0 - rho) <= 1e-17 * csm__ksum_value(&sum))
            break;
        if (!isfinite(term))
            return csm__fail(err, CSM_ERANGE, CSM_NO_ROW, "z",
                             "hypergeometric series overflows");
    }
    *out = csm__ksum_value(&sum);
    return CSM_OK;
}

/* log |Gamma(x)|, reentrant: it never writes the global `signgam` (glibc
 * and Apple have lgamma_r; elsewhere lgamma, whose C standard version need
 * not set it). */
static double log_gamma(double x) {
#if defined(__GLIBC__) || defined(__APPLE__)
    int sg;
    return lgamma_r(x, &sg);
#else
    return lgamma(x);
#endif
}

/* The continued fraction of I_x(a, b) (modified Lentz). */
static double beta_cf(double a, double b, double x) {
    const double tiny = 1e-300;
    double c = 1.0, d = 1.0 - (a + b) * x / (a + 1.0);
    if (fabs(d) < tiny)
        d = tiny;
    d = 1.0 / d;
    double h = d;
    for (int m = 1; m <= 20000; m++) {
        double m2 = 2.0 * m;
        double num = m * (b - m) * x / ((a + m2 - 1.0) * (a + m2));
        d = 1.0 + num * d;
        d = fabs(d) < tiny ? 1.0 / tiny : 1.0 / d;
        c = 1.0 + num / c;
        if (fabs(c) < tiny)
            c = tiny;
        h *= d * c;
        num = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1.0));
        d = 1.0 + num * d;
        d = fabs(d) < tiny ? 1.0 / tiny : 1.0 / d;
        c = 1.0 + num / c;
        if (fabs(c) < tiny)
            c = tiny;
        double del = d * c;
        h *= del;
        if (fabs(del - 1.0) < 1e-16)
            break;
    }
    return h;
}

/* The Stirling series of log Gamma(z) - ((z - 1/2) log z - z + log
 * sqrt(2 pi)), for z >= 100 (the first omitted term is below 1e-19). */
static double stirling_tail(double z) {
    double r = 1.0 / (z * z);
    return (1.0 / 12 - r * (1.0 / 360 - r * (1.0 / 1260 - r / 1680))) / z;
}

/* log Gamma(a + b) - log Gamma(a) - log Gamma(b).  Two log-gammas of a
 * large a (a Student t with df = 2a in the millions) are each near a log
 * a, so their difference would lose a x 1e-16 of its accuracy: for a >=
 * 100 the difference is taken in Stirling's form, where the large terms
 * cancel exactly ((a - 1/2) log1p(b / a) + b log(a + b) - b). */
static double lbeta_neg(double a, double b) {
    if (a < b) {
        double t = a;
        a = b;
        b = t;
    }
    if (a < 100.0)
        return log_gamma(a + b) - log_gamma(a) - log_gamma(b);
    return (a - 0.5) * log1p(b / a) + b * log(a + b) - b +
           stirling_tail(a + b) - stirling_tail(a) - log_gamma(b);
}

/* I_x(a, b) with y = 1 - x and lx = log x given by the caller, exact
 * where x is near 1 (1 - x would cancel, and a x log x magnify x's
 * rounding when a is large). */
static double beta_inc_xy(double a, double b, double x, double y,
                          double lx) {
    if (x == 0.0 || y == 0.0)
        return x == 0.0 ? 0.0 : 1.0;
    double lbt = lbeta_neg(a, b) + a * lx + b * log(y);
    if (x < (a + 1.0) / (a + b + 2.0))
        return exp(lbt) * beta_cf(a, b, x) / a;
    return 1.0 - exp(lbt) * beta_cf(b, a, y) / b;
}

double csm__beta_inc(double a, double b, double x) {
    if (!(a > 0.0 && b > 0.0 && x >= 0.0 && x <= 1.0))
        return NAN;
    return beta_inc_xy(a, b, x, 1.0 - x, log(x));
}

/* P(T > t) for t >= 0: the upper tail, exact to its own last bits (1 -
 * the CDF would lose them). */
static double t_upper(double t, double df) {
    return 0.5 * beta_inc_xy(0.5 * df, 0.5, df / (df + t * t),
                             t * t / (df + t * t), -log1p(t * t / df));
}

double csm__t_cdf(double t, double df) {
    if (!(df > 0.0) || isnan(t))
        return NAN;
    if (isinf(t))
        return t > 0 ? 1.0 : 0.0;
    return t > 0 ? 1.0 - t_upper(t, df) : t_upper(-t, df);
}

double csm__t_quantile(double p, double df) {
    if (!(p > 0.0 && p < 1.0 && df > 0.0))
        return NAN;
    if (df > 1e10)
        return csm__norm_quantile(p);
    if (p < 0.5)
        return -csm__t_quantile(1.0 - p, df);
    if (p == 0.5)
        return 0.0;
    const double q = 1.0 - p; /* the upper tail to reach */
    double lo = 0.0, hi = 1.0;
    while (t_upper(hi, df) > q && hi < 1e300)
        hi *= 2.0;
    for (int i = 0; i < 2000 && hi - lo > 4e-16 * hi; i++) {
        double mid = 0.5 * (lo + hi);
        if (t_upper(mid, df) > q)
            lo = mid;
        else
            hi = mid;
    }
    return 0.5 * (lo + hi);
}
