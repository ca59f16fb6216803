/* projection.c - (stub, being written) */
#include "csmetrics/csmetrics.h"
typedef int csm__projection_placeholder;
