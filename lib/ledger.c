/* ledger.c - (stub, being written) */
#include "csmetrics/csmetrics.h"
typedef int csm__ledger_placeholder;
