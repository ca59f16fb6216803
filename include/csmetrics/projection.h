/* csmetrics/projection.h - (stub, being written) */
#ifndef CSMETRICS_PROJECTION_H
#define CSMETRICS_PROJECTION_H
#include "csmetrics/common.h"
#endif
