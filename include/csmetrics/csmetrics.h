/** @file
 * csmetrics/csmetrics.h - umbrella header: includes every public header of
 * libcsmetrics, one per family (family = header = prefix: csm_nps_* in
 * nps.h), plus common.h, table.h and version.h.
 *
 * Every metric is defined, with worked examples, in docs/metrics.md; the
 * result tables every family returns in docs/tables.md and their columns
 * in docs/columns.md; the API's rules (errors, options, memory, threads)
 * in docs/CONVENTIONS.md.
 */
#ifndef CSMETRICS_CSMETRICS_H
#define CSMETRICS_CSMETRICS_H

#include "csmetrics/version.h"
#include "csmetrics/common.h"
#include "csmetrics/table.h"
#include "csmetrics/ledger.h"
#include "csmetrics/contracts.h"
#include "csmetrics/movements.h"
#include "csmetrics/retention.h"
#include "csmetrics/cohorts.h"
#include "csmetrics/renewals.h"
#include "csmetrics/km.h"
#include "csmetrics/lifetimes.h"
#include "csmetrics/sbg.h"
#include "csmetrics/ltv.h"
#include "csmetrics/cac.h"
#include "csmetrics/unit_economics.h"
#include "csmetrics/projection.h"
#include "csmetrics/nps.h"
#include "csmetrics/csat.h"
#include "csmetrics/ces.h"
#include "csmetrics/health.h"
#include "csmetrics/activity.h"
#include "csmetrics/team.h"

#endif /* CSMETRICS_CSMETRICS_H */
