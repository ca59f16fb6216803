/* csmetrics - the command-line front end of libcsmetrics: reads a
 * company's CSV exports and prints a customer-success review.
 *
 *   csmetrics report DIR [options]
 *   csmetrics movements|retention|cohorts|renewals|nps|health|team|ltv|
 *             survival|project|reviews|referrals|interventions|activity DIR
 *             [options]
 *
 * See `csmetrics --help`, `csmetrics help SUBCOMMAND` and docs/cli.md. */
#include <csmetrics/csmetrics.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "data.h"
#include "html.h"
#include "out.h"
#include "scorecard.h"
#include "sections.h"
#include "subs.h"
#include "catalog.h"

static const char *const usage_text =
    "usage: csmetrics SUBCOMMAND DIR [options]\n"
    "\n"
    "Reads the standard CSV files of a company from DIR (accounts.csv, mrr.csv,\n"
    "contracts.csv, nps.csv, usage.csv, spend.csv, owners.csv, touches.csv,\n"
    "referrals.csv; any may be absent, and its sections are then skipped with a\n"
    "note) and prints metrics.\n"
    "\n"
    "subcommands:\n"
    "  report      the full customer-success review (every section below)\n"
    "  movements   MRR movements, quick ratio, churn rates, ARPA\n"
    "  retention   NRR, GRR and logo retention over a window\n"
    "  cohorts     cohort retention triangle (logo, or MRR with --mrr)\n"
    "  renewals    logo and dollar renewal rates\n"
    "  survival    Kaplan-Meier lifetime and the shifted-beta-geometric model\n"
    "  ltv         LTV, CAC, LTV/CAC and CAC payback\n"
    "  nps         NPS with its confidence interval\n"
    "  activity    product activity of the review month: every account, by\n"
    "              segment, lifecycle stage and product\n"
    "  health      health-score bands and the accounts most at risk\n"
    "  churn       churn-risk model: quality on held-out months, accounts most\n"
    "              likely to churn with their main reason\n"
    "  team        accounts and ARR per CSM\n"
    "  reviews     diagnosis cadence: accounts overdue for review, coverage per CSM\n"
    "  referrals   referral rate, conversion, referred MRR, NPS of referrers\n"
    "  interventions  health score and MRR changes after each touch type against\n"
    "              same-band accounts without one (observational, not causal)\n"
    "  project     24-month MRR churn-scenario table\n"
    "  import-subscriptions FILE --out DIR [--rates FILE] [--currency CUR]\n"
    "              [--until YYYY-MM] [--map CANON=NAME]\n"
    "              a billing system's subscription export to DIR's mrr.csv\n"
    "              and contracts.csv (report also reads DIR/subscriptions.csv\n"
    "              itself when mrr.csv is absent)\n"
    "  scorecard   the health scorecard in use as canonical JSON (takes no DIR)\n"
    "  sql METRIC --dialect D  one SQL query computing a metric (docs/sql.md)\n"
    "  catalog [--format json|markdown|metricflow|cube] [--dialect D]\n"
    "              the metric catalog: names, aliases, formulas, units, columns\n"
    "  help SUB    the manual of one subcommand\n"
    "\n"
    ;
/* the options and exit codes (a second string: C99 compilers need only
 * take string literals of 4095 characters) */
static const char *const usage_options =
    "options:\n"
    "  --format text|json|csv|html  output format (default text); text shows\n"
    "                          the headline columns, json and csv every column,\n"
    "                          html a dashboard page drawn from the json\n"
    "  --as-of YYYY-MM         the review month, within the data's months\n"
    "                          (default: the last month of mrr.csv)\n"
    "  --window N              retention window in months (default 12)\n"
    "  --months N              months of movements to show (default 6; html 12)\n"
    "  --by DIM                break down by segment|channel|plan|region|owner|billing\n"
    "  --scorecard FILE        health scorecard spec (JSON; default: built-in)\n"
    "  --propose-scorecard FILE  churn: write the scorecard with the weights the\n"
    "                          churn model proposes to FILE (loadable by\n"
    "                          --scorecard) and show the proposal\n"
    "  --margin X              gross margin for LTV and payback (default 0.8)\n"
    "  --map CANON=NAME        read column CANON from a column called NAME\n"
    "                          (repeatable; header names match case-insensitively)\n"
    "  --skip-bad-rows         skip rows with bad values: each listed on stderr\n"
    "                          (the first 20), the count in the report's notes\n"
    "  --strict                duplicate customer-month rows in mrr.csv are an\n"
    "                          error (default: summed, with a note)\n"
    "  --encoding ENC          the files' encoding: utf-8 (default; checked),\n"
    "                          latin1 or cp1252 (converted to UTF-8)\n"
    "  --detail                movements and retention: also the customers behind\n"
    "                          the figures (one row per customer and movement, or\n"
    "                          per customer of the window ending at --as-of);\n"
    "                          interventions: the health panel (json, csv)\n"
    "  --mrr                   cohorts: the MRR retention triangle instead of\n"
    "                          the logo one\n"
    "  --cadence-mrr X         reviews: the MRR from which an account takes the\n"
    "                          high-MRR cadence (default 2000)\n"
    "  --cadence-days LOW,HIGH reviews: days between reviews below --cadence-mrr\n"
    "                          and from it (default 90,30; each 1..36600)\n"
    "  --effect-horizon N      interventions: months from a touch to the month\n"
    "                          compared (default 1; 1..120)\n"
    "  --effect-confidence X   interventions: the interval's confidence level,\n"
    "                          in (0, 1) (default 0.95)\n"
    "  --stage-months L,G,M    activity: the tenures (months) at which launch,\n"
    "                          growth and mature begin (default 3,6,12)\n"
    "  --help, --version\n"
    "\n"
    "exit codes:\n"
    "  0   the report (sections without their files are skipped with a note)\n"
    "  64  usage error: unknown subcommand or option, a bad option value,\n"
    "      --as-of outside the months of the data\n"
    "  65  bad input data: a bad value or row (file:line: column: reason), a\n"
    "      value the computation cannot represent, or files without data\n"
    "      (nothing to report)\n"
    "  66  input missing: DIR is not a directory, holds none of the files the\n"
    "      subcommand reads, or the --scorecard FILE cannot be opened\n"
    "      (import-subscriptions: FILE or the rates file is missing)\n"
    "  70  internal error (out of memory, a bug)\n"
    "  73  import-subscriptions: an output file cannot be created; churn:\n"
    "      the --propose-scorecard FILE cannot be created\n"
    "  74  import-subscriptions: writing an output file failed\n";

typedef struct {
    const char *name;
    const char *man;
} manpage;

static const manpage manpages[] = {
    {"report",
     "csmetrics report DIR - the full review: MRR and ARR, movements for the\n"
     "last --months months, quick ratio, NRR/GRR/logo retention over --window\n"
     "months, renewal rates for the last quarter, the cohort triangles (logo\n"
     "and MRR), KM median lifetime and the sBG projection, LTV/CAC and\n"
     "payback, NPS with its 95% interval, the product activity by segment,\n"
     "lifecycle stage and product, health bands and the ten accounts\n"
     "most at risk with their top reasons, the churn-risk model with the\n"
     "accounts most likely to churn, accounts and ARR per CSM, the diagnosis\n"
     "cadence and the referrals (with touches.csv and referrals.csv), the\n"
     "intervention effects (touches.csv's types), and a 24-month\n"
     "churn-scenario table.  --detail adds the customers behind the\n"
     "movements and the retention window (see `csmetrics help movements`).\n"
     "With --by DIM, movements, retention, renewals, the Kaplan-Meier curves\n"
     "and NPS are also broken down by DIM.  --format json and csv add the\n"
     "supporting columns of each table and one row per contract due for\n"
     "renewal (section renewal_contracts), which the text report leaves out.\n"},
    {"movements",
     "csmetrics movements DIR - monthly MRR movements from mrr.csv\n"
     "(customer_id, month YYYY-MM, mrr): opening MRR, new, reactivation,\n"
     "expansion, contraction, churn, net new, closing MRR, customers, churn\n"
     "rates, quick ratio and ARPA for the --months months ending at --as-of.\n"
     "Definitions: docs/metrics.md.  --by DIM adds one table per value of DIM\n"
     "(read from accounts.csv), with segment-switch lines so each reconciles.\n"
     "--detail adds the movement events: one row per customer and movement of\n"
     "the months shown (month, customer_id, kind, amount, MRR before and\n"
     "after); the amounts of a kind sum to that month's column of the table.\n"},
    {"retention",
     "csmetrics retention DIR - NRR, GRR and logo retention of the customers\n"
     "active --window months before each of the last --months months (base =\n"
     "customers with MRR at the window's start; new customers excluded).\n"
     "--detail adds the customers of the window ending at --as-of: each one's\n"
     "outcome (churned, contracted, expanded, flat), MRR at the start and end,\n"
     "and its terms of the GRR and NRR numerators, which sum to the row.\n"},
    {"cohorts",
     "csmetrics cohorts DIR - the share of each monthly signup cohort (first\n"
     "month with MRR) still active at each age 0..12 months, for the 13\n"
     "cohorts from a year before --as-of to it; ages after --as-of are n/a.\n"
     "--mrr shows the MRR triangle instead: the share of each cohort's month-0\n"
     "MRR that its members pay at each age (expansion can take it over 100%).\n"},
    {"renewals",
     "csmetrics renewals DIR - from contracts.csv (customer_id, start_date,\n"
     "end_date, value[, interval_months]): contracts due in the last quarter\n"
     "ending at --as-of, renewed within the 90-day grace period, late, churned,\n"
     "or pending (not renewed yet, the grace period running past the review\n"
     "month); logo and dollar renewal rates (renewed so far / due).  Without\n"
     "mrr.csv the review month is that of the latest contract start.\n"
     "--format json and csv also list each due contract (section\n"
     "renewal_contracts): its outcome, the renewal matched, the days from the\n"
     "due end to it and the value credited.\n"},
    {"survival",
     "csmetrics survival DIR - customer lifetimes from mrr.csv: Kaplan-Meier\n"
     "median lifetime with its interval, and a shifted-beta-geometric model\n"
     "fitted to the cohorts' survivors with its projected retention.\n"},
    {"ltv",
     "csmetrics ltv DIR - ARPA, monthly customer churn (last 12 months),\n"
     "LTV = ARPA x margin / churn, CAC = spend.csv spend / new customers over\n"
     "the last 12 months, LTV/CAC and CAC payback months.\n"},
    {"nps",
     "csmetrics nps DIR - NPS from nps.csv (customer_id, date, score 0..10)\n"
     "for the last quarter ending at --as-of, with its standard error and 95%\n"
     "interval, and the change from the quarter before with its p-value.\n"},
    {"health",
     "csmetrics health DIR - health scores from usage.csv (and nps.csv) with\n"
     "the --scorecard spec: band distribution and the ten accounts most at\n"
     "risk with the measures that pull their score down, and the band\n"
     "transitions from the month before (accounts moved between bands;\n"
     "docs/metrics.md, \"Band transitions\").\n"},
    {"churn",
     "csmetrics churn DIR - churn risk from mrr.csv and usage.csv: a logistic\n"
     "regression (L2 penalty 1, standardized features) of \"no MRR in one of the\n"
     "3 months after\" on the health scorecard's inputs of each account-month,\n"
     "with accounts.csv the segment, channel and billing, and ln(1 + MRR); fit on\n"
     "the usage months ending 3 months before --as-of but the latest 3, which it\n"
     "is validated on (AUC with its DeLong interval, Brier score, log loss,\n"
     "calibration deciles, top-decile lift) next to the health score's AUC on the\n"
     "same rows.  Then the model refit on every labelled month, and the ten\n"
     "accounts of --as-of most likely to churn with the feature that raises\n"
     "their risk most.  --propose-scorecard FILE: the scorecard's weights\n"
     "proposed from that model (measures named as its features share their\n"
     "current weight by |coefficient|; a measure the model says works the other\n"
     "way gets weight 0 and is reported) as a table and as a spec written to\n"
     "FILE.  Definitions: docs/metrics.md, \"Churn-risk prediction\".\n"},
    {"team",
     "csmetrics team DIR - accounts, MRR/ARR and at-risk accounts per CSM\n"
     "(accounts.csv owner, owners.csv names) at --as-of, customers without an\n"
     "owner as unassigned, and the team summary: CSMs, accounts and ARR per\n"
     "CSM.  At-risk accounts (the lowest health band) need usage.csv.\n"},
    {"reviews",
     "csmetrics reviews DIR - diagnosis cadence from touches.csv (customer_id,\n"
     "date, csm: one row per review of an account) and accounts.csv (the\n"
     "accounts, their owner and segment): on the last day of --as-of's month\n"
     "(default: the month of the latest review), the accounts active that\n"
     "month overdue for their review (never reviewed included) with their\n"
     "last review and next due day, per CSM the coverage (the share of its\n"
     "accounts reviewed on cadence), and the totals.  An account is reviewed\n"
     "every HIGH days from X of MRR, every LOW days below (--cadence-mrr X,\n"
     "default 2000; --cadence-days LOW,HIGH, default 90,30).  Definitions:\n"
     "docs/metrics.md, \"Diagnosis cadence\".\n"},
    {"referrals",
     "csmetrics referrals DIR - referrals from referrals.csv (referrer_id,\n"
     "date, converted 0/1, first_mrr) over the 12 months to --as-of: referral\n"
     "rate (customers who referred / active customers), conversion rate, the\n"
     "first MRR of converted referrals and its share of the new MRR of mrr.csv,\n"
     "referrals per CSM (accounts.csv owner), and the NPS (nps.csv, the same\n"
     "months) of referrers against the other active customers.  Definitions:\n"
     "docs/metrics.md, \"Referrals\".\n"},
    {"interventions",
     "csmetrics interventions DIR - intervention effects, OBSERVATIONAL (not\n"
     "causal: CSMs choose whom to touch): for each type of touches.csv (column\n"
     "type: review, exec_call...; without it every touch is of type \"touch\"),\n"
     "the change of the health score (usage.csv, the --scorecard, every month of\n"
     "usage.csv to --as-of scored as the health section scores) and of the MRR\n"
     "(mrr.csv) from the touch's month to --effect-horizon months later (default\n"
     "1), against accounts of the same band without a touch that month,\n"
     "reweighted to the touched accounts' bands: treated and control counts and\n"
     "mean changes, the difference with its Welch interval (--effect-confidence,\n"
     "default 0.95) and p-value.  An account gone by then counts with MRR 0 and\n"
     "no score.  --detail adds the panel (json, csv).  Definitions:\n"
     "docs/metrics.md, \"Intervention effects\".\n"},
    {"activity",
     "csmetrics activity DIR - the activity measures (activation and login\n"
     "rates, sessions and minutes per user, minutes per session, feature\n"
     "breadth, stickiness; each the ratio of the group's sums) of usage.csv's\n"
     "rows of --as-of (default: the last month of mrr.csv, else of usage.csv):\n"
     "over every account, by segment (accounts.csv), by lifecycle stage\n"
     "(onboarding, launch, growth, mature: accounts.csv's stage column, else\n"
     "the tenure since signup_month, the stages beginning at --stage-months\n"
     "L,G,M, default 3,6,12) and by product (accounts.csv's product column;\n"
     "without it that table is skipped with a note).  Definitions:\n"
     "docs/metrics.md, \"Activity measures\"; docs/cli.md, \"Activity\".\n"},
    {"project",
     "csmetrics project DIR - MRR projected 24 months ahead from the --as-of\n"
     "MRR under several monthly churn rates (the observed one, 1%, 2%, 3%, 5%)\n"
     "with the observed average new MRR per month.\n"},
    {"catalog",
     "csmetrics catalog [--format json|markdown|metricflow|cube] [--dialect D]\n"
     "The metric catalog: every metric of the ledger (movements, retention,\n"
     "cohorts), renewals and NPS families with its name, the aliases users\n"
     "know (NRR = NDR = net dollar retention, CRR = logo retention...), its\n"
     "formula in words and symbols, unit, result table and column, the options\n"
     "that change it and each preset's choice.  json (default) is\n"
     "{\"metrics\": [...]}; markdown is the summary table of docs/metrics.md;\n"
     "metricflow is dbt MetricFlow semantic_models and metrics over the dbt\n"
     "models csm_QUERY, cube is a Cube schema over the tables csm_QUERY, each\n"
     "csm_QUERY holding `csmetrics sql QUERY --dialect D` (D, default\n"
     "postgres, quotes the column names).\n"
     "Reads no data; docs/sql.md.\n"},
    {"sql",
     "csmetrics sql METRIC --dialect postgres|duckdb|snowflake|bigquery\n"
     "  [--preset P] [--table T] [--columns customer=C,month=M,mrr=V,segment=S]\n"
     "  [--by-segment] [--window N] [--nrr-mode snapshot|movement_sum]\n"
     "  [--reactivation-window N] [--churn-denominator start|start_plus_new|average]\n"
     "  [--baseline 0|1] [--max-age N] [--confidence C]\n"
     "  [--window-start DATE --window-end DATE] [--grace-days N] [--late-counts]\n"
     "  [--include-upsells] [--as-of DATE]\n"
     "One SQL query computing METRIC (a catalog name or alias: NRR, quick ratio,\n"
     "cohorts, nps, renewal rate...) with the library's definitions: the\n"
     "movements, retention or cohort table from a ledger table (customer, month as\n"
     "a DATE, mrr[, segment]; default table mrr), the NPS table from a responses\n"
     "table (score[, weight][, group]; default table responses; --columns\n"
     "score=,weight=,group=), the renewals table of the contracts due (ending)\n"
     "from --window-start to --window-end from a contracts table (customer,\n"
     "start_date, end_date as DATEs, value over the term[, group][, id]; default\n"
     "table contracts; --columns start=,end=,value=,group=,id=).\n"
     "Reads no data; docs/sql.md.\n"},
    {"import-subscriptions",
     "csmetrics import-subscriptions FILE --out DIR [--rates FILE]\n"
     "[--currency CUR] [--until YYYY-MM] [--map CANON=NAME] - read a\n"
     "subscription-items export (one row per item: subscription_id,\n"
     "customer_id, status, amount per interval per unit, currency, interval\n"
     "day|week|month|year, interval_count, quantity, discount_percent,\n"
     "discount_amount, trial_end, start_date, canceled_at, ended_at; only\n"
     "customer_id, amount and start_date are required; dates YYYY-MM-DD,\n"
     "empty = none, so an active subscription has no end) and write DIR/mrr.csv\n"
     "(month-end MRR: trials excluded, discounts applied) and DIR/contracts.csv\n"
     "(billing terms of a year or longer, for renewals).  --rates FILE\n"
     "(month,currency,rate) converts other currencies to --currency CUR (whose\n"
     "rows need no rate); a missing rate is an error naming the currency and\n"
     "month.  --until YYYY-MM: the last month of open-ended subscriptions\n"
     "(default: the month of the export's latest date).  `csmetrics report DIR`\n"
     "reads DIR/subscriptions.csv (and DIR/rates.csv) the same way when DIR\n"
     "has no mrr.csv.  Rules: docs/cli.md, \"Subscription exports\".\n"},
    {"scorecard",
     "csmetrics scorecard [--scorecard FILE] - the health scorecard the health\n"
     "section uses: FILE, or the built-in one (examples/scorecards/usage-led.json,\n"
     "built into the command), read and written back by the library as canonical\n"
     "JSON: fixed key order, every default spelled out.  Takes no DIR.\n"},
};

static int man(const char *sub) {
    for (size_t i = 0; i < sizeof manpages / sizeof manpages[0]; i++)
        if (strcmp(manpages[i].name, sub) == 0) {
            fputs(manpages[i].man, stdout);
            fputs("\nOptions as in `csmetrics --help`.\n", stdout);
            return 0;
        }
    fprintf(stderr, "csmetrics: no such subcommand '%s'\n", sub);
    return EXIT_USAGE;
}

/* "A,B,...": n comma-separated integers of lo..hi into v[0..n-1]; 0, or -1
 * when s is not that. */
static int parse_ints(const char *s, int32_t *v, int n, int32_t lo,
                      int32_t hi) {
    for (int i = 0; i < n; i++) {
        const char *end = i + 1 < n ? strchr(s, ',') : s + strlen(s);
        char part[32];
        const char *why;
        if (!end || (size_t)(end - s) >= sizeof part)
            return -1;
        memcpy(part, s, (size_t)(end - s));
        part[end - s] = '\0';
        if (parse_i32(part, &v[i], &why) != 0 || v[i] < lo || v[i] > hi)
            return -1;
        s = end + 1;
    }
    return 0;
}

static int usage_error(const char *fmt, const char *arg) {
    fputs("csmetrics: ", stderr);
    fprintf(stderr, fmt, arg);
    fputs("\nTry 'csmetrics --help'.\n", stderr);
    return EXIT_USAGE;
}

int main(int argc, char **argv) {
    if (argc < 2)
        return usage_error("%s", "missing subcommand");
    const char *sub = argv[1];
    if (strcmp(sub, "--help") == 0 || strcmp(sub, "-h") == 0) {
        fputs(usage_text, stdout);
        fputs(usage_options, stdout);
        return 0;
    }
    if (strcmp(sub, "--version") == 0) {
        printf("csmetrics %s\n", csm_version());
        return 0;
    }
    if (strcmp(sub, "help") == 0) {
        if (argc < 3) {
            fputs(usage_text, stdout);
            fputs(usage_options, stdout);
            return 0;
        }
        return man(argv[2]);
    }
    if (strcmp(sub, "catalog") == 0) {
        for (int i = 2; i < argc; i++)
            if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
                return man(sub);
        return catalog_main(argc, argv);
    }
    if (strcmp(sub, "sql") == 0) {
        for (int i = 2; i < argc; i++)
            if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
                return man(sub);
        return sql_main(argc, argv);
    }
    if (strcmp(sub, "import-subscriptions") == 0) {
        for (int i = 2; i < argc; i++)
            if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
                return man(sub);
        return subs_import_main(argc, argv);
    }
    /* `scorecard` prints the scorecard and reads no DIR */
    int scorecard_only = strcmp(sub, "scorecard") == 0;
    const section_fn *fns = sections_for(sub);
    if (!fns && !scorecard_only)
        return usage_error("unknown subcommand '%s'", sub);

    cliopts o;
    memset(&o, 0, sizeof o);
    o.fmt = FMT_TEXT;
    o.as_of = INT32_MIN;
    o.window = 12;
    o.months = 6;
    o.by = -1;
    o.margin = 0.8;
    o.cadence_mrr = 2000.0;
    o.cadence_days[0] = 90;
    o.cadence_days[1] = 30;
    o.effect_horizon = 1;
    o.effect_confidence = 0.95;
    csm_activity_opts ao = CSM_ACTIVITY_OPTS_INIT;
    o.stage_months[0] = ao.launch_month;
    o.stage_months[1] = ao.growth_month;
    o.stage_months[2] = ao.mature_month;
    loadopts lo;
    memset(&lo, 0, sizeof lo);

    static const struct option longopts[] = {
        {"format", required_argument, 0, 'f'},
        {"as-of", required_argument, 0, 'a'},
        {"window", required_argument, 0, 'w'},
        {"months", required_argument, 0, 'n'},
        {"by", required_argument, 0, 'b'},
        {"scorecard", required_argument, 0, 's'},
        {"propose-scorecard", required_argument, 0, 'P'},
        {"margin", required_argument, 0, 'g'},
        {"map", required_argument, 0, 'm'},
        {"skip-bad-rows", no_argument, 0, 'k'},
        {"strict", no_argument, 0, 't'},
        {"encoding", required_argument, 0, 'e'},
        {"detail", no_argument, 0, 'd'},
        {"mrr", no_argument, 0, 'r'},
        {"cadence-mrr", required_argument, 0, 'C'},
        {"cadence-days", required_argument, 0, 'D'},
        {"effect-horizon", required_argument, 0, 'H'},
        {"effect-confidence", required_argument, 0, 'c'},
        {"stage-months", required_argument, 0, 'S'},
        {"help", no_argument, 0, 'h'},
        {0, 0, 0, 0}};
    optind = 2;
    int ch, months_given = 0;
    while ((ch = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        const char *why;
        switch (ch) {
        case 'f':
            if (strcmp(optarg, "text") == 0)
                o.fmt = FMT_TEXT;
            else if (strcmp(optarg, "json") == 0)
                o.fmt = FMT_JSON;
            else if (strcmp(optarg, "csv") == 0)
                o.fmt = FMT_CSV;
            else if (strcmp(optarg, "html") == 0)
                o.fmt = FMT_HTML;
            else
                return usage_error("--format must be text, json, csv or html, "
                                   "not '%s'",
                                   optarg);
            break;
        case 'a':
            if (parse_month(optarg, &o.as_of, &why) != 0)
                return usage_error("--as-of: '%s' is not YYYY-MM", optarg);
            break;
        case 'w':
        case 'n': {
            int32_t v;
            if (parse_i32(optarg, &v, &why) != 0 || v < 1 || v > 1200)
                return usage_error("'%s' is not a month count (1..1200)", optarg);
            if (ch == 'w') {
                o.window = v;
            } else {
                o.months = v;
                months_given = 1;
            }
            break;
        }
        case 'b':
            o.by = -1;
            for (int d = 0; d < DIM_N; d++)
                if (strcmp(optarg, dim_names[d]) == 0)
                    o.by = d;
            if (o.by < 0)
                return usage_error("--by must be segment, channel, plan, region, "
                                   "owner or billing, not '%s'",
                                   optarg);
            break;
        case 's':
            o.scorecard = optarg;
            break;
        case 'P':
            o.propose = optarg;
            break;
        case 'g':
            if (parse_f64(optarg, &o.margin, &why) != 0 || o.margin <= 0 ||
                o.margin > 1)
                return usage_error("--margin must be in (0, 1], not '%s'", optarg);
            break;
        case 'm':
            if (colmap_add(&lo.map, optarg) != 0)
                return usage_error("--map takes CANON=NAME, not '%s'", optarg);
            break;
        case 'k':
            lo.skip_bad = 1;
            break;
        case 't':
            lo.strict = 1;
            break;
        case 'e':
            if (csv_encoding_parse(optarg, &lo.encoding) != 0)
                return usage_error("--encoding must be utf-8, latin1 or cp1252, "
                                   "not '%s'",
                                   optarg);
            break;
        case 'd':
            o.detail = 1;
            break;
        case 'r':
            o.mrr = 1;
            break;
        case 'C':
            if (parse_f64(optarg, &o.cadence_mrr, &why) != 0 ||
                o.cadence_mrr < 0)
                return usage_error("--cadence-mrr must be an MRR >= 0, "
                                   "not '%s'",
                                   optarg);
            break;
        case 'D':
            if (parse_ints(optarg, o.cadence_days, 2, 1,
                           CSM_REVIEWS_MAX_DAYS) != 0)
                return usage_error("--cadence-days takes LOW,HIGH, two day "
                                   "counts (1..36600), not '%s'",
                                   optarg);
            break;
        case 'H':
            if (parse_i32(optarg, &o.effect_horizon, &why) != 0 ||
                o.effect_horizon < 1 || o.effect_horizon > 120)
                return usage_error("--effect-horizon must be a month count "
                                   "(1..120), not '%s'",
                                   optarg);
            break;
        case 'c':
            if (parse_f64(optarg, &o.effect_confidence, &why) != 0 ||
                !(o.effect_confidence > 0 && o.effect_confidence < 1))
                return usage_error("--effect-confidence must be in (0, 1), "
                                   "not '%s'",
                                   optarg);
            break;
        case 'S':
            if (parse_ints(optarg, o.stage_months, 3, 1, 1200) != 0 ||
                o.stage_months[0] > o.stage_months[1] ||
                o.stage_months[1] > o.stage_months[2])
                return usage_error("--stage-months takes L,G,M, month counts "
                                   "with 1 <= L <= G <= M <= 1200, not '%s'",
                                   optarg);
            break;
        case 'h':
            return man(sub);
        default:
            return usage_error("%s", "bad option");
        }
    }
    if (scorecard_only) {
        int rc = optind < argc
                     ? usage_error("unexpected argument '%s'", argv[optind])
                     : scorecard_print(stdout, o.scorecard);
        colmap_free(&lo.map);
        return rc;
    }
    if (optind >= argc)
        return usage_error("%s: missing the data directory", sub);
    if (optind + 1 < argc)
        return usage_error("unexpected argument '%s'", argv[optind + 1]);

    /* the dashboard: its bundles first (no work when they are missing),
     * and the MRR bridge of a year unless --months says otherwise */
    html_assets assets;
    memset(&assets, 0, sizeof assets);
    if (o.fmt == FMT_HTML) {
        int arc = html_assets_load(&assets);
        if (arc != 0) {
            colmap_free(&lo.map);
            return arc;
        }
        if (!months_given)
            o.months = 12;
    }
    company c;
    company_load(&c, argv[optind], &lo);
    report r;
    memset(&r, 0, sizeof r);
    ctx x;
    memset(&x, 0, sizeof x);
    x.c = &c;
    x.o = &o;
    x.r = &r;
    int rc = ctx_init(&x);
    if (rc == 0) {
        for (const section_fn *f = fns; *f && !x.fail_code; f++)
            (*f)(&x);
        if (lo.skip.n)
            report_note(&r, "%zu bad row(s) skipped (--skip-bad-rows)",
                        lo.skip.n);
        if (c.mrr_merged)
            report_note(&r, "mrr.csv: %zu duplicate customer-month row(s) "
                            "summed with an earlier row of the same customer "
                            "and month (--strict rejects them)",
                        c.mrr_merged);
        rc = x.fail_code ? x.fail_code : report_exit(&x);
        if (rc == 0 && o.fmt == FMT_HTML)
            html_print(stdout, &r, &assets);
        else if (rc == 0)
            report_print(stdout, &r, o.fmt);
    }
    ctx_free(&x);
    report_free(&r);
    company_free(&c);
    html_assets_free(&assets);
    colmap_free(&lo.map);
    return rc;
}
