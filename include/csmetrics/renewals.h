/* csmetrics/renewals.h - (stub, being written) */
#ifndef CSMETRICS_RENEWALS_H
#define CSMETRICS_RENEWALS_H
#include "csmetrics/common.h"
#endif
