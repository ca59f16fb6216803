/* csmetrics/ledger.h - (stub, being written) */
#ifndef CSMETRICS_LEDGER_H
#define CSMETRICS_LEDGER_H
#include "csmetrics/common.h"
#endif
