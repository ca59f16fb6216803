/* nps.c - (stub, being written) */
#include "csmetrics/csmetrics.h"
typedef int csm__nps_placeholder;
