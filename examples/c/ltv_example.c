/* ltv_example.c - LTV (simple, capped, floored), CAC, LTV/CAC and CAC
 * payback for one set of inline inputs. */
#include <csmetrics/csmetrics.h>
#include <stdio.h>

int main(void) {
    const double arpa = 100.0, margin = 0.80, churn = 0.02;
    const double spend = 50000.0, new_customers = 25.0;
    csm_error err;
    csm_ltv_result ltv, capped, floored;
    csm_ltv_opts cap = CSM_LTV_OPTS_INIT;
    cap.lifetime_cap_months = 36;
    csm_ltv_opts floor = CSM_LTV_OPTS_INIT;
    floor.zero_churn = CSM_ZERO_CHURN_FLOOR;
    if (csm_ltv_simple(&ltv, arpa, margin, churn, NULL, &err) != CSM_OK ||
        csm_ltv_simple(&capped, arpa, margin, churn, &cap, &err) != CSM_OK ||
        csm_ltv_simple(&floored, arpa, margin, 0.0, &floor, &err) != CSM_OK) {
        fprintf(stderr, "%s\n", err.text);
        return 1;
    }
    csm_metric cac, ratio, payback;
    if (csm_cac(&cac, spend, new_customers, &err) != CSM_OK ||
        csm_ltv_cac(&ratio, ltv.ltv, cac.value, &err) != CSM_OK ||
        csm_cac_payback(&payback, cac.value, arpa, margin, &err) != CSM_OK) {
        fprintf(stderr, "%s\n", err.text);
        return 1;
    }
    printf("Inputs: ARPA %.2f, gross margin %.0f%%, monthly churn %.1f%%, "
           "S&M spend %.0f, new customers %.0f\n",
           arpa, 100 * margin, 100 * churn, spend, new_customers);
    printf("LTV (simple)            %10.2f  (lifetime %.1f months)\n", ltv.ltv,
           ltv.lifetime_months);
    printf("LTV (36-month cap)      %10.2f\n", capped.ltv);
    printf("LTV (churn 0, 1.67%% floor) %7.2f\n", floored.ltv);
    printf("CAC                     %10.2f\n", cac.value);
    printf("LTV/CAC                 %10.2f\n", ratio.value);
    printf("CAC payback             %10.1f months\n", payback.value);
    /* churn 0 without a policy is an error, never an infinity */
    if (csm_ltv_simple(&ltv, arpa, margin, 0.0, NULL, &err) != CSM_OK)
        printf("Churn 0 with the default policy: %s\n", err.text);
    return 0;
}
