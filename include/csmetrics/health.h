/* csmetrics/health.h - (stub, being written) */
#ifndef CSMETRICS_HEALTH_H
#define CSMETRICS_HEALTH_H
#include "csmetrics/common.h"
#endif
