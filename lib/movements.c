/* movements.c - (stub, being written) */
#include "csmetrics/csmetrics.h"
typedef int csm__movements_placeholder;
