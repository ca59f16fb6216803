/* renewals.c - (stub, being written) */
#include "csmetrics/csmetrics.h"
typedef int csm__renewals_placeholder;
