/* csmetrics/nps.h - (stub, being written) */
#ifndef CSMETRICS_NPS_H
#define CSMETRICS_NPS_H
#include "csmetrics/common.h"
#endif
