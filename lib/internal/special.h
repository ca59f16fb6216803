/* Special functions shared by the families (not installed, not
 * exported): the Gauss hypergeometric series 2F1.  The sBG model
 * (lib/sbg.c) uses it; its public csm_sbg_hyp2f1 checks the arguments and
 * calls csm__hyp2f1.  Names use the csm__ prefix. */
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

#endif
