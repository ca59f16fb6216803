/* ltv.c - (stub, being written) */
#include "csmetrics/csmetrics.h"
typedef int csm__ltv_placeholder;
