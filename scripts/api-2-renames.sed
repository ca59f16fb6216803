# api-2-renames.sed - rename a caller's code from ABI 1 to ABI 2 of libcsmetrics
# (family = header = prefix).  Usage:  sed -i -f scripts/api-2-renames.sed FILE...
# Every rule is word-bounded and idempotent; CHANGELOG.md lists the same renames.
# health.h: the scorecard is the health family's object
s/\<csm_scorecard_score\>/csm_health_score/g
s/\<csm_scorecard\>/csm_health_scorecard/g
s/\<csm_scorecard_\([a-z0-9_]*\)\>/csm_health_scorecard_\1/g
s/\<CSM_SCORECARD_\([A-Z0-9_]*\)\>/CSM_HEALTH_SCORECARD_\1/g
# projection.h: one prefix, the family's
s/\<csm_project_\([a-z0-9_]*\)\>/csm_projection_\1/g
s/\<CSM_PROJECT_\([A-Z0-9_]*\)\>/CSM_PROJECTION_\1/g
# cohorts.h, lifetimes.h, renewals.h, sbg.h: options named as the result (plural)
s/\<csm_cohort_opts\>/csm_cohorts_opts/g
s/\<csm_cohort_opts_init\>/csm_cohorts_opts_init/g
s/\<CSM_COHORT_OPTS_INIT\>/CSM_COHORTS_OPTS_INIT/g
s/\<csm_lifetime_opts\>/csm_lifetimes_opts/g
s/\<csm_lifetime_opts_init\>/csm_lifetimes_opts_init/g
s/\<CSM_LIFETIME_OPTS_INIT\>/CSM_LIFETIMES_OPTS_INIT/g
s/\<csm_renewal_opts\>/csm_renewals_opts/g
s/\<csm_renewal_opts_init\>/csm_renewals_opts_init/g
s/\<CSM_RENEWAL_OPTS_INIT\>/CSM_RENEWALS_OPTS_INIT/g
s/\<csm_renewal_outcome_name\>/csm_renewals_outcome_name/g
s/\<csm_renewal_outcome\>/csm_renewals_outcome/g
s/\<csm_renewal_group\>/csm_renewals_group/g
s/\<CSM_GROUP_\(NONE\|SEGMENT\|CHANNEL\|OWNER\)\>/CSM_RENEWALS_GROUP_\1/g
s/\<csm_sbg_survivor_opts\>/csm_sbg_survivors_opts/g
s/\<csm_sbg_survivor_opts_init\>/csm_sbg_survivors_opts_init/g
s/\<CSM_SBG_SURVIVOR_OPTS_INIT\>/CSM_SBG_SURVIVORS_OPTS_INIT/g
# contracts.h: the contracts' options
s/\<csm_contract_opts\>/csm_contracts_opts/g
s/\<csm_contract_opts_init\>/csm_contracts_opts_init/g
s/\<CSM_CONTRACT_OPTS_INIT\>/CSM_CONTRACTS_OPTS_INIT/g
# team.h
s/\<csm_owner_none\>/csm_team_owner_none/g
s/\<CSM_OWNER_NONE\>/CSM_TEAM_OWNER_NONE/g
# one key for "all rows" of every breakdown (table.h)
s/\<CSM_SEGMENT_ALL\>/CSM_CODE_ALL/g
s/\<CSM_KM_GROUP_ALL\>/CSM_CODE_ALL/g
s/\<csm_segment_all\>/csm_code_all/g
s/\<csm_km_group_all\>/csm_code_all/g
# activity.h: user roles carry the family prefix (CSM_ROLE_* are the column roles of table.h)
s/\<CSM_ROLE_\(OWNER\|ADMIN\|STAFF\|END_USER\)\>/CSM_ACTIVITY_ROLE_\1/g
# activity.h: the measure indexes carry the family prefix
s/\<CSM_ACT_\(ACTIVATION_RATE\|LOGIN_RATE\|SESSIONS_PER_USER\|MINUTES_PER_USER\|MINUTES_PER_SESSION\|FEATURE_BREADTH\|STICKINESS\|N\)\>/CSM_ACTIVITY_\1/g
# renewals.h: the outcomes carry the family prefix
s/\<CSM_RENEWAL_\(NOT_DUE\|RENEWED\|LATE\|CHURNED\|UPSELL\)\>/CSM_RENEWALS_\1/g
# health.h: the at-risk options are named as their result, csm_health_risks
s/\<csm_health_risk_opts\>/csm_health_risks_opts/g
s/\<csm_health_risk_opts_init\>/csm_health_risks_opts_init/g
s/\<CSM_HEALTH_RISK_OPTS_INIT\>/CSM_HEALTH_RISKS_OPTS_INIT/g
