/** @file
 * csmetrics/survival.h - the survival families in one include: Kaplan-Meier
 * (km.h), lifetimes from a ledger (lifetimes.h) and the shifted-beta-
 * geometric model (sbg.h).  It declares nothing of its own.
 *
 * Definitions and worked examples: docs/metrics.md, "Survival: customer
 * lifetimes, the sBG model and model-based LTV".
 */
#ifndef CSMETRICS_SURVIVAL_H
#define CSMETRICS_SURVIVAL_H

#include "csmetrics/km.h"
#include "csmetrics/lifetimes.h"
#include "csmetrics/sbg.h"

#endif /* CSMETRICS_SURVIVAL_H */
