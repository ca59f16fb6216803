/* retention.c - (stub, being written) */
#include "csmetrics/csmetrics.h"
typedef int csm__retention_placeholder;
