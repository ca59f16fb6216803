/* special.c - special functions shared by the families (internal/special.h):
 * the Gauss hypergeometric series. */
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
