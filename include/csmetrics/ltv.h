/* csmetrics/ltv.h - (stub, being written) */
#ifndef CSMETRICS_LTV_H
#define CSMETRICS_LTV_H
#include "csmetrics/common.h"
#endif
