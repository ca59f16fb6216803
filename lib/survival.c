/* survival.c - (stub, being written) */
#include "csmetrics/csmetrics.h"
typedef int csm__survival_placeholder;
