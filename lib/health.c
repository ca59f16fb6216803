/* health.c - (stub, being written) */
#include "csmetrics/csmetrics.h"
typedef int csm__health_placeholder;
