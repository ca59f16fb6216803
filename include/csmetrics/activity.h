/* csmetrics/activity.h - (stub, being written) */
#ifndef CSMETRICS_ACTIVITY_H
#define CSMETRICS_ACTIVITY_H
#include "csmetrics/common.h"
#endif
