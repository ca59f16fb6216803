/* sec_team.c - accounts, MRR/ARR and at-risk accounts per CSM (the
 * library's team tables), the owners named from owners.csv. */
#include "section.h"

static const char *owner_label(const void *arg, const csm_column *c,
                               int32_t code) {
    (void)c;
    return dim_code_name(((const sec_arg *)arg)->x, DIM_OWNER, code);
}

void sec_team(ctx *x) {
    if (!need_mrr(x, "team"))
        return;
    if (!x->c->have_accounts) {
        report_note(x->r, "team skipped: no accounts.csv (owner column)");
        return;
    }
    const company *c = x->c;
    csm_team_opts to = CSM_TEAM_OPTS_INIT;
    to.month = x->as_of;
    /* a blank owner cell (no label, CSM_KEYS_NONE) is an unassigned
     * account, not a CSM named "" */
    int32_t *owner = xalloc(c->n_acc ? c->n_acc : 1, sizeof *owner);
    for (size_t i = 0; i < c->n_acc; i++) {
        int32_t code = c->acc_dim[DIM_OWNER][i];
        owner[i] = code == CSM_KEYS_NONE ? CSM_TEAM_OWNER_NONE : code;
    }
    csm_team *tm = NULL;
    csm_error e;
    csm_status tst = csm_team_compute(&tm, x->ledger, c->acc_id, owner,
                                      c->n_acc, x->at_risk, x->n_at_risk, &to,
                                      &e);
    free(owner);
    if (tst != CSM_OK)
        die_status("team", &e);
    /* the owner column: names from owners.csv (else the owner's label),
     * the unassigned customers' row (CSM_TEAM_OWNER_NONE) the library's
     * null label, "unassigned"; at-risk figures need the health scores */
    static const char *const at_risk[] = {"at_risk_accounts", "at_risk_mrr",
                                          NULL};
    sec_arg arg = {x, tm, "owner"};
    tview v = {.key = "team",
               .title = "Accounts and ARR per CSM",
               .blank = x->health_done ? NULL : at_risk,
               .keep_all = 1,
               .code_label = owner_label,
               .arg = &arg};
    report_add(x->r, table_from_csm(csm_result_find(tm->result, "team"), &v));
    tview sv = {.key = "team_summary", .title = "Team summary"};
    report_add(x->r,
               table_from_csm(csm_result_find(tm->result, "team_summary"), &sv));
    csm_team_free(tm);
}

