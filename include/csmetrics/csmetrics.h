/** @file
 * csmetrics/csmetrics.h - umbrella header: includes every public header of
 * libcsmetrics. */
#ifndef CSMETRICS_CSMETRICS_H
#define CSMETRICS_CSMETRICS_H

#include "csmetrics/common.h"
#include "csmetrics/table.h"
#include "csmetrics/version.h"
#include "csmetrics/nps.h"
#include "csmetrics/ltv.h"
#include "csmetrics/projection.h"
#include "csmetrics/ledger.h"
#include "csmetrics/renewals.h"
#include "csmetrics/survival.h"
#include "csmetrics/health.h"
#include "csmetrics/activity.h"
#include "csmetrics/team.h"

#endif /* CSMETRICS_CSMETRICS_H */
