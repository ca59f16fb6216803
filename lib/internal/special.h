/* Special functions shared by the families (not installed, not
 * exported): the Gauss hypergeometric series 2F1 and Student's t
 * distribution.  The sBG model (lib/sbg.c) uses the series; its public
 * csm_sbg_hyp2f1 checks the arguments and calls csm__hyp2f1.  The
 * intervention effects (lib/interventions.c) use the t distribution for
 * Welch's interval.  Names use the csm__ prefix. */
#ifndef CSM_INTERNAL_SPECIAL_H
#define CSM_INTERNAL_SPECIAL_H

#include "csmetrics/common.h"

/* Gauss hypergeometric function 2F1(a, b; c; z) = sum_k (a)_k (b)_k /
 * ((c)_k k!) z^k by its series, for a, b, c > 0 and 0 <= z < 1, which the
 * caller has checked (every term is then positive; the sum is
 * compensated).  Term j+1 is term j times (a+j)(b+j) / ((c+j)(j+1)) z,
 * and each factor (a+j)/(1+j), (b+j)/(c+j) moves monotonically towards 1,
 * so every ratio after term j is at most rho_j = z max(1, (a+j)/(1+j))
 * max(1, (b+j)/(c+j)); once rho_j < 1 the tail after term j is at most
 * term_j x rho_j / (1 - rho_j), and the sum stops when that is below
 * 1e-17 of the sum.  *out = the sum, CSM_OK; CSM_ENOCONV (field "z")
 * when more than 10^7 terms are needed (z too close to 1), CSM_ERANGE
 * (field "z") when a term overflows; *out is left alone on failure. */
csm_status csm__hyp2f1(double *out, double a, double b, double c, double z,
                       csm_error *err);

/* The regularized incomplete beta function I_x(a, b) for a, b > 0 and
 * 0 <= x <= 1, by its continued fraction (modified Lentz, relative
 * accuracy about 1e-15; the fraction of the symmetric form when x is above
 * the mean (a + 1) / (a + b + 2)); NaN outside the domain. */
double csm__beta_inc(double a, double b, double x);

/* Student's t distribution with df > 0 degrees of freedom (df need not be
 * an integer): the CDF at t, from I_{df/(df+t^2)}(df/2, 1/2) (the tail
 * computed directly, never as 1 - CDF), and the quantile of p in (0, 1)
 * (bisection on the tail; the normal quantile for df above 1e10).
 * Accuracy about 1e-14 relative for df up to 1e4, 1e-11 up to 1e6.
 * NaN outside the domain. */
double csm__t_cdf(double t, double df);
double csm__t_quantile(double p, double df);

#endif
