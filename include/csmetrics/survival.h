/** @file
 * csmetrics/survival.h - the survival families in one include: Kaplan-Meier
 * (km.h), lifetimes from a ledger (lifetimes.h) and the shifted-beta-
 * geometric model (sbg.h).
 */
#ifndef CSMETRICS_SURVIVAL_H
#define CSMETRICS_SURVIVAL_H

#include "csmetrics/km.h"
#include "csmetrics/lifetimes.h"
#include "csmetrics/sbg.h"

#endif /* CSMETRICS_SURVIVAL_H */
