/* catalog.c - the metric catalog (csmetrics/catalog.h): static entries of
 * the ledger, renewals and NPS families, whose units and column
 * descriptions are read from the families' column lists. */
#include <string.h>

#include "csmetrics/catalog.h"
#include "csmetrics/cohorts.h"
#include "csmetrics/movements.h"
#include "csmetrics/nps.h"
#include "csmetrics/renewals.h"
#include "csmetrics/retention.h"
#include "internal/util.h"

/* ---- the columns the entries point at, from the column lists ---------- */
typedef struct {
    const char *table, *column, *doc;
    csm_type type;
    csm_role role;
} catcol;

#define CAT_ENTRY_MOV(m, name, type, st, role, doc) {"movements", name, doc, CSM_TYPE_##type, CSM_ROLE_##role},
#define CAT_ENTRY_RET(m, name, type, st, role, doc) {"retention", name, doc, CSM_TYPE_##type, CSM_ROLE_##role},
#define CAT_ENTRY_COH(m, name, type, st, role, doc) {"cohorts", name, doc, CSM_TYPE_##type, CSM_ROLE_##role},
#define CAT_ENTRY_CEL(m, name, type, st, role, doc) {"cohort_cells", name, doc, CSM_TYPE_##type, CSM_ROLE_##role},
#define CAT_ENTRY_REN(m, name, type, st, role, doc) {"renewals", name, doc, CSM_TYPE_##type, CSM_ROLE_##role},
#define CAT_ENTRY_NPS(m, name, type, st, role, doc) {"nps", name, doc, CSM_TYPE_##type, CSM_ROLE_##role},

static const catcol cat_cols[] = {
    CSM_MOVEMENTS_COLUMNS(CAT_ENTRY_MOV)
    CSM_RETENTION_COLUMNS(CAT_ENTRY_RET)
    CSM_COHORTS_COLUMNS(CAT_ENTRY_COH)
    CSM_COHORT_CELLS_COLUMNS(CAT_ENTRY_CEL)
    CSM_RENEWALS_COLUMNS(CAT_ENTRY_REN)
    CSM_NPS_RESULT_COLUMNS(CAT_ENTRY_NPS)
};

/* ---- the entries --------------------------------------------------------- */
/* The choices shared by the entries of one kind (docs/metrics.md,
 * "Presets"). */
#define P_SAME(s) {s, s, s, s}
#define P_LEDGER P_SAME("the same for every preset (no definition option applies)")
#define P_CHURN_RATE                                                           \
    {"churned / customers at the start of the month",                          \
     "churned / customers at the start of the month",                          \
     "(churned + intra-month customers) / (start + new + reactivated + "       \
     "intra-month customers)",                                                 \
     "churned / customers at the start of the month"}
#define P_RETENTION(snap, movsum) {snap, movsum, movsum, movsum}
#define O_LEDGER                                                               \
    "ledger: free_is_active (a month at MRR 0 is active), duplicates summed"
#define O_MOVEMENTS                                                            \
    O_LEDGER "; movements: reactivation_window (months away after which a "    \
             "return is new business; 0 = no limit), tolerance (changes at "   \
             "most this are adjustment), by_segment, month range"
#define O_RETENTION                                                            \
    O_LEDGER "; retention: window (months, default 12), nrr_mode (snapshot or " \
             "movement sum), by_segment (segment at t0), range of t1"
#define O_COHORTS                                                              \
    O_LEDGER "; cohorts: key months (default the first active month), "        \
             "baseline age (0 or 1), by_segment, max_age"
#define O_RENEWALS                                                             \
    "renewals: window [start, end] of due end days, grace_days (default "     \
    "90), late_counts, include_upsells, group_by (segment, channel, owner), "  \
    "as_of_day (pending), contract_opts (discount and tax)"
#define O_NPS "nps: confidence (default 0.95); weights (Kish's n_eff)"

typedef struct {
    const char *name, *title, *family;
    const char *aliases[CSM_CATALOG_MAX_ALIASES];
    const char *words, *formula, *table, *column, *options;
    const char *presets[CSM_CATALOG_N_PRESETS];
    const char *sql;
} catraw;

static const catraw cat[] = {
    /* movements */
    {"mrr", "Monthly recurring revenue", "movements",
     {"MRR", "closing MRR", "ending MRR"},
     "the MRR of every customer active at the end of the month",
     "closing_mrr_t = sum_c m_{c,t}", "movements", "closing_mrr", O_MOVEMENTS,
     P_LEDGER, "movements"},
    {"arr", "Annual recurring revenue", "movements", {"ARR", "run rate"},
     "twelve times the closing MRR", "arr_t = 12 x closing_mrr_t", "movements",
     "arr", O_MOVEMENTS, P_LEDGER, "movements"},
    {"opening_mrr", "Opening MRR", "movements", {"starting MRR", "beginning MRR"},
     "the MRR at the end of the previous month",
     "opening_mrr_t = closing_mrr_{t-1}", "movements", "opening_mrr",
     O_MOVEMENTS, P_LEDGER, "movements"},
    {"new_mrr", "New MRR", "movements", {"new business MRR", "new"},
     "MRR of customers inactive last month who were never active before (or "
     "away longer than the reactivation window)",
     "sum m_t over c with m_{t-1} = 0 < m_t, c new", "movements", "new",
     O_MOVEMENTS, P_LEDGER, "movements"},
    {"reactivation_mrr", "Reactivation MRR", "movements",
     {"reactivation", "resurrected MRR", "win-back MRR"},
     "MRR of customers inactive last month who were active before (away at "
     "most the reactivation window)",
     "sum m_t over c with m_{t-1} = 0 < m_t, c active before",
     "movements", "reactivation", O_MOVEMENTS,
     P_SAME("every return is a reactivation (window 0)"), "movements"},
    {"expansion_mrr", "Expansion MRR", "movements",
     {"expansion", "upsell MRR", "upgrade MRR"},
     "increases of customers active in both months",
     "sum (m_t - m_{t-1}) over c with 0 < m_{t-1} < m_t", "movements",
     "expansion", O_MOVEMENTS, P_LEDGER, "movements"},
    {"contraction_mrr", "Contraction MRR", "movements",
     {"contraction", "downgrade MRR", "downsell MRR"},
     "decreases of customers active in both months",
     "sum (m_{t-1} - m_t) over c with 0 < m_t < m_{t-1}", "movements",
     "contraction", O_MOVEMENTS, P_LEDGER, "movements"},
    {"churn_mrr", "Churned MRR", "movements",
     {"churn", "cancelled MRR", "lost MRR"},
     "last month's MRR of customers inactive this month",
     "sum m_{t-1} over c with m_{t-1} > 0 = m_t", "movements", "churn",
     O_MOVEMENTS, P_LEDGER, "movements"},
    {"net_new_mrr", "Net new MRR", "movements", {"net new", "net MRR change"},
     "new + reactivation + expansion - contraction - churn + adjustment "
     "(+ segment in - out by segment)",
     "net_new = new + react + exp - contr - churn + adj + seg_in - seg_out "
     "= closing - opening",
     "movements", "net_new", O_MOVEMENTS, P_LEDGER, "movements"},
    {"customers", "Customers", "movements",
     {"active customers", "paying customers", "logos"},
     "customers active at the end of the month", "|{c : m_{c,t} > 0}|",
     "movements", "customers", O_MOVEMENTS, P_LEDGER, "movements"},
    {"new_customers", "New customers", "movements", {"new logos"},
     "customers counted in new MRR (plus intra-month customers when counted)",
     "|{c : new in t}|", "movements", "new_customers", O_MOVEMENTS,
     {"new customers", "new customers",
      "new customers + customers who start and stop inside the month",
      "new customers"},
     "movements"},
    {"churned_customers", "Churned customers", "movements",
     {"lost customers", "churned logos"},
     "customers active last month and inactive this month",
     "|{c : m_{t-1} > 0 = m_t}|", "movements", "churned_customers",
     O_MOVEMENTS,
     {"churned customers", "churned customers",
      "churned customers + customers who start and stop inside the month",
      "churned customers"},
     "movements"},
    {"customer_churn_rate", "Customer churn rate", "movements",
     {"logo churn rate", "churn rate", "customer churn", "logo churn"},
     "churned customers over the denominator option (customers at the start "
     "of the month by default)",
     "churned_customers_t / customers_{t-1}", "movements",
     "customer_churn_rate",
     O_MOVEMENTS "; churn_denominator (start, start + new, average, daily), "
                 "count_intra_period",
     P_CHURN_RATE, "movements"},
    {"gross_mrr_churn_rate", "Gross MRR churn rate", "movements",
     {"gross revenue churn", "gross MRR churn", "revenue churn rate"},
     "churned and contracted MRR over opening MRR",
     "(churn_t + contraction_t) / opening_mrr_t", "movements",
     "gross_mrr_churn_rate", O_MOVEMENTS, P_LEDGER, "movements"},
    {"net_mrr_churn_rate", "Net MRR churn rate", "movements",
     {"net revenue churn", "net MRR churn", "net churn"},
     "churned and contracted MRR less expansion and reactivation, over "
     "opening MRR (negative = net negative churn)",
     "(churn_t + contraction_t - expansion_t - reactivation_t) / opening_mrr_t",
     "movements", "net_mrr_churn_rate", O_MOVEMENTS, P_LEDGER, "movements"},
    {"quick_ratio", "SaaS quick ratio", "movements",
     {"quick ratio", "growth efficiency"},
     "MRR gained over MRR lost in the month",
     "(new_t + reactivation_t + expansion_t) / (contraction_t + churn_t)",
     "movements", "quick_ratio", O_MOVEMENTS, P_LEDGER, "movements"},
    {"arpa", "Average revenue per account", "movements",
     {"ARPA", "ARPU", "ARPC", "average revenue per user"},
     "closing MRR over the customers active at the end of the month",
     "closing_mrr_t / customers_t", "movements", "arpa", O_MOVEMENTS,
     P_LEDGER, "movements"},
    /* retention */
    {"nrr", "Net revenue retention", "retention",
     {"NRR", "NDR", "net dollar retention", "net revenue retention", "NER",
      "net expansion rate", "net MRR retention"},
     "MRR at the end of the window of the customers active at its start, "
     "over their MRR at the start (new customers excluded; may exceed 1)",
     "snapshot: sum_{c in B} m_{c,t1} / sum_{c in B} m_{c,t0}; movement sum: "
     "sum_{c in B} max(0, m_{c,t1} - react_c(t0, t1]) / sum_{c in B} m_{c,t0}; "
     "B = {c : m_{c,t0} > 0}, t0 = t1 - window",
     "retention", "nrr", O_RETENTION,
     P_RETENTION("snapshot: a base customer who left and came back counts at "
                 "its MRR at t1",
                 "movement sum: start + expansion - contraction - churn, "
                 "reactivation excluded, floored at 0 per customer"),
     "retention"},
    {"grr", "Gross revenue retention", "retention",
     {"GRR", "GDR", "gross dollar retention", "gross revenue retention",
      "gross MRR retention"},
     "MRR kept by the customers active at the start of the window, without "
     "expansion (never above 1)",
     "snapshot: sum_{c in B} min(m_{c,t1}, m_{c,t0}) / sum_{c in B} m_{c,t0}; "
     "movement sum: sum_{c in B} max(0, m_{c,t0} - contr_c(t0, t1] - "
     "churn_c(t0, t1]) / sum_{c in B} m_{c,t0}",
     "retention", "grr", O_RETENTION,
     P_RETENTION("snapshot: min(MRR at t1, MRR at t0) per base customer",
                 "movement sum: start - contraction - churn over the "
                 "window's months, floored at 0 per customer"),
     "retention"},
    {"logo_retention", "Logo retention", "retention",
     {"CRR", "customer retention rate", "logo retention rate",
      "customer retention"},
     "share of the customers active at the start of the window who are "
     "active at its end",
     "|{c in B : m_{c,t1} > 0}| / |B|", "retention", "logo_retention",
     O_RETENTION, P_LEDGER, "retention"},
    /* cohorts */
    {"cohort_size", "Cohort size", "cohorts", {"cohort customers"},
     "customers whose first active month (or key month) is the cohort month",
     "|{c : first_c = k}|", "cohorts", "size", O_COHORTS, P_LEDGER, "cohorts"},
    {"cohort_logo_retention", "Cohort logo retention", "cohorts",
     {"cohort customer retention", "cohort retention curve",
      "logo retention triangle"},
     "cohort members active at an age over those active at the baseline age",
     "|{c in K : m_{c,k+a} > 0}| / |{c in K : m_{c,k+b}> 0}|, b = baseline",
     "cohort_cells", "customers_frac", O_COHORTS, P_LEDGER, "cohorts"},
    {"cohort_mrr_retention", "Cohort MRR retention", "cohorts",
     {"cohort revenue retention", "cohort NRR", "MRR retention triangle"},
     "cohort members' MRR at an age over their MRR at the baseline age",
     "sum_{c in K} m_{c,k+a} / sum_{c in K} m_{c,k+b}, b = baseline",
     "cohort_cells", "mrr_frac", O_COHORTS, P_LEDGER, "cohorts"},
    /* renewals */
    {"logo_renewal_rate", "Logo renewal rate", "renewals",
     {"renewal rate", "contract renewal rate", "logo renewal"},
     "due contracts renewed within the grace period over contracts due in "
     "the window",
     "renewed / due", "renewals", "logo_renewal_rate", O_RENEWALS,
     P_SAME("presets do not apply to renewals"), "renewals"},
    {"dollar_renewal_rate", "Dollar renewal rate", "renewals",
     {"dollar renewal", "revenue renewal rate", "renewal value rate"},
     "value of the renewals, normalized to the due terms, over the value due "
     "(may exceed 1)",
     "sum_i v_{r(i)} x term_i / term_{r(i)} x share_i / sum_i v_i over due "
     "contracts i renewed by r(i)",
     "renewals", "dollar_renewal_rate", O_RENEWALS,
     P_SAME("presets do not apply to renewals"), "renewals"},
    /* NPS */
    {"nps", "Net Promoter Score", "nps", {"NPS", "net promoter score"},
     "percentage of promoters (9-10) minus percentage of detractors (0-6)",
     "100 x (p - d)", "nps", "nps", O_NPS,
     P_SAME("presets do not apply to NPS"), "nps"},
    {"nps_se", "NPS standard error", "nps", {"NPS SE"},
     "the standard error of the NPS, in points",
     "100 x sqrt((p + d - (p - d)^2) / n_eff)", "nps", "se", O_NPS,
     P_SAME("presets do not apply to NPS"), "nps"},
    {"nps_ci_low", "NPS interval, lower bound", "nps",
     {"NPS lower bound", "NPS confidence interval"},
     "the Wald interval's lower end, clamped to -100",
     "max(-100, NPS - z se), z = Phi^-1((1 + confidence) / 2)", "nps",
     "ci_low", O_NPS, P_SAME("presets do not apply to NPS"), "nps"},
    {"nps_ci_high", "NPS interval, upper bound", "nps", {"NPS upper bound"},
     "the Wald interval's upper end, clamped to 100",
     "min(100, NPS + z se), z = Phi^-1((1 + confidence) / 2)", "nps",
     "ci_high", O_NPS, P_SAME("presets do not apply to NPS"), "nps"},
    {"promoter_share", "Share of promoters", "nps", {"promoters"},
     "promoters (9-10) over responses (weight shares when weighted)",
     "p = n_promoters / n", "nps", "promoters", O_NPS,
     P_SAME("presets do not apply to NPS"), "nps"},
    {"detractor_share", "Share of detractors", "nps", {"detractors"},
     "detractors (0-6) over responses (weight shares when weighted)",
     "d = n_detractors / n", "nps", "detractors", O_NPS,
     P_SAME("presets do not apply to NPS"), "nps"},
};

CSM_API size_t csm_catalog_count(void) { return sizeof cat / sizeof cat[0]; }

static const catcol *find_col(const char *table, const char *column) {
    for (size_t i = 0; i < sizeof cat_cols / sizeof cat_cols[0]; i++)
        if (strcmp(cat_cols[i].table, table) == 0 &&
            strcmp(cat_cols[i].column, column) == 0)
            return &cat_cols[i];
    return NULL;
}

static void fill(csm_catalog_entry *out, const catraw *r) {
    memset(out, 0, sizeof *out);
    out->name = r->name;
    out->title = r->title;
    out->family = r->family;
    for (size_t k = 0; k < CSM_CATALOG_MAX_ALIASES && r->aliases[k]; k++) {
        out->aliases[k] = r->aliases[k];
        out->n_aliases = k + 1;
    }
    out->formula_words = r->words;
    out->formula = r->formula;
    out->table = r->table;
    out->column = r->column;
    const catcol *c = find_col(r->table, r->column);
    /* every entry's column exists (tests/test-catalog.c checks them all) */
    out->unit = c ? c->type : (csm_type)0;
    out->column_doc = c ? c->doc : NULL;
    out->options = r->options;
    for (size_t k = 0; k < CSM_CATALOG_N_PRESETS; k++)
        out->presets[k] = r->presets[k];
    out->sql_query = r->sql;
}

CSM_API csm_status csm_catalog_get(csm_catalog_entry *out, size_t i,
                                   csm_error *err) {
    csm_error_clear(err);
    if (!out)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "out", "out is NULL");
    if (i >= csm_catalog_count())
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "i",
                         "no catalog entry of that index");
    fill(out, &cat[i]);
    return CSM_OK;
}

CSM_API csm_status csm_catalog_keys(const char **names, csm_type *types,
                                    size_t *n, const char *table,
                                    csm_error *err) {
    csm_error_clear(err);
    if (n)
        *n = 0;
    if (!names || !n || !table)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "table",
                         "names, n or table is NULL");
    int found = 0;
    for (size_t i = 0; i < sizeof cat_cols / sizeof cat_cols[0]; i++) {
        if (strcmp(cat_cols[i].table, table) != 0)
            continue;
        found = 1;
        if (cat_cols[i].role != CSM_ROLE_KEY || *n == CSM_CATALOG_MAX_KEYS)
            continue;
        names[*n] = cat_cols[i].column;
        if (types)
            types[*n] = cat_cols[i].type;
        (*n)++;
    }
    if (!found)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "table",
                         "no result table of that name in the catalog");
    return CSM_OK;
}

/* a and b equal ignoring ASCII case, ' ', '-' and '_' */
static int loose_eq(const char *a, const char *b) {
    for (;;) {
        while (*a == ' ' || *a == '-' || *a == '_')
            a++;
        while (*b == ' ' || *b == '-' || *b == '_')
            b++;
        if (!*a || !*b)
            return !*a && !*b;
        char x = *a >= 'A' && *a <= 'Z' ? (char)(*a - 'A' + 'a') : *a;
        char y = *b >= 'A' && *b <= 'Z' ? (char)(*b - 'A' + 'a') : *b;
        if (x != y)
            return 0;
        a++;
        b++;
    }
}

CSM_API csm_status csm_catalog_find(csm_catalog_entry *out, const char *name,
                                    csm_error *err) {
    csm_error_clear(err);
    if (!out || !name)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "name",
                         "out or name is NULL");
    /* names first, so that an alias never hides another entry's name */
    for (size_t i = 0; i < csm_catalog_count(); i++)
        if (loose_eq(cat[i].name, name)) {
            fill(out, &cat[i]);
            return CSM_OK;
        }
    for (size_t i = 0; i < csm_catalog_count(); i++)
        for (size_t k = 0; k < CSM_CATALOG_MAX_ALIASES && cat[i].aliases[k]; k++)
            if (loose_eq(cat[i].aliases[k], name)) {
                fill(out, &cat[i]);
                return CSM_OK;
            }
    return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "name",
                     "no metric of that name or alias in the catalog");
}

static const char *const preset_names[CSM_CATALOG_N_PRESETS] = {
    "default", "chartmogul_b2b", "stripe", "baremetrics"};

CSM_API const char *csm_catalog_preset_name(csm_preset preset) {
    if ((int)preset < 0 || (int)preset >= CSM_CATALOG_N_PRESETS)
        return NULL;
    return preset_names[preset];
}

CSM_API csm_status csm_catalog_preset(csm_preset *out, const char *name,
                                      csm_error *err) {
    csm_error_clear(err);
    if (out && name)
        for (int k = 0; k < CSM_CATALOG_N_PRESETS; k++)
            if (strcmp(preset_names[k], name) == 0) {
                *out = (csm_preset)k;
                return CSM_OK;
            }
    return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "preset",
                     "unknown preset (default, chartmogul_b2b, stripe, "
                     "baremetrics)");
}
