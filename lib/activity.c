/* activity.c - (stub, being written) */
#include "csmetrics/csmetrics.h"
typedef int csm__activity_placeholder;
