/* csmetrics/survival.h - (stub, being written) */
#ifndef CSMETRICS_SURVIVAL_H
#define CSMETRICS_SURVIVAL_H
#include "csmetrics/common.h"
#endif
