/* projection_example.c - the 24-month churn-scenario table: MRR 100,000
 * under monthly churn of 1%, 2%, 3% and 5%, and a scenario with 3% churn,
 * 1% expansion and 2,000 of new MRR a month. */
#include <csmetrics/csmetrics.h>
#include <stdio.h>

int main(void) {
    enum { MONTHS = 24, S = 5 };
    const double churn[S] = {0.01, 0.02, 0.03, 0.05, 0.03};
    const double expansion[S] = {0, 0, 0, 0, 0.01};
    const double new_mrr[S] = {0, 0, 0, 0, 2000};
    double table[(MONTHS + 1) * S];
    csm_error err;
    if (csm_projection_mrr(table, MONTHS, 100000.0, &(csm_projection_scenarios){churn, expansion, new_mrr, S},
                        &err) != CSM_OK) {
        fprintf(stderr, "%s\n", err.text);
        return 1;
    }
    printf("MRR projection from 100,000 (monthly rates)\n");
    printf("%5s %12s %12s %12s %12s %20s\n", "month", "churn 1%", "churn 2%",
           "churn 3%", "churn 5%", "3% -1% exp +2k new");
    for (int t = 0; t <= MONTHS; t++) {
        printf("%5d", t);
        for (int s = 0; s < S; s++)
            printf(s == S - 1 ? " %20.0f" : " %12.0f", table[t * S + s]);
        printf("\n");
    }
    csm_metric steady;
    if (csm_projection_steady_state(&steady, 0.03, 0.01, 2000, &err) == CSM_OK)
        printf("Steady state of the last scenario: %.0f (= 2000 / (0.03 - 0.01))\n",
               steady.value);
    return 0;
}
