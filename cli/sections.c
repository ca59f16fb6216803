/* sections.c - the sections each subcommand prints, in order (the
 * sections themselves: section.h). */
#include "section.h"

#include <string.h>

static const section_fn s_report[] = {
    sec_summary, sec_movements, sec_retention, sec_renewals,
    sec_cohorts_both, sec_survival, sec_ltv,   sec_nps,
    sec_activity, sec_health,  sec_churn,     sec_team,      sec_reviews,
    sec_referrals, sec_interventions, sec_project, NULL};
static const section_fn s_health[] = {sec_health, NULL};
static const section_fn s_churn[] = {sec_churn, NULL};
static const section_fn s_renewals[] = {sec_renewals, NULL};
static const section_fn s_nps[] = {sec_nps, NULL};
static const section_fn s_ltv[] = {sec_ltv, NULL};
static const section_fn s_project[] = {sec_project, NULL};
static const section_fn s_survival[] = {sec_survival, NULL};
static const section_fn s_movements[] = {sec_summary, sec_movements, NULL};
static const section_fn s_retention[] = {sec_retention, NULL};
static const section_fn s_cohorts[] = {sec_cohorts, NULL};
/* `csmetrics team` needs the at-risk accounts without the health tables */
static void sec_health_quiet(ctx *x) {
    size_t n = x->r->n;
    sec_health(x);
    while (x->r->n > n)
        table_free(x->r->tables[--x->r->n]);
}
static const section_fn s_team[] = {sec_health_quiet, sec_team, NULL};
static const section_fn s_reviews[] = {sec_reviews, NULL};
static const section_fn s_referrals[] = {sec_referrals, NULL};
static const section_fn s_interventions[] = {sec_interventions, NULL};
static const section_fn s_activity[] = {sec_activity, NULL};

const section_fn *sections_for(const char *sub) {
    static const struct {
        const char *name;
        const section_fn *fns;
    } map[] = {{"report", s_report},     {"movements", s_movements},
               {"retention", s_retention}, {"cohorts", s_cohorts},
               {"team", s_team}, {"survival", s_survival},
               {"nps", s_nps}, {"ltv", s_ltv}, {"project", s_project},
               {"renewals", s_renewals}, {"health", s_health},
               {"churn", s_churn}, {"reviews", s_reviews},
               {"referrals", s_referrals},
               {"interventions", s_interventions},
               {"activity", s_activity}};
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (strcmp(map[i].name, sub) == 0)
            return map[i].fns;
    return NULL;
}
