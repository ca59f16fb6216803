/* cohort.c - (stub, being written) */
#include "csmetrics/csmetrics.h"
typedef int csm__cohort_placeholder;
