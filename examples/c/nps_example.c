/* nps_example.c - NPS with its uncertainty, a two-quarter comparison, CSAT
 * and CES on small inline surveys. */
#include <csmetrics/csmetrics.h>
#include <stdio.h>

int main(void) {
    /* Q3: 45 promoters, 30 passives, 25 detractors; Q4: 50 / 30 / 20 */
    int8_t q3[100];
    for (int i = 0; i < 100; i++)
        q3[i] = (int8_t)(i < 45 ? 9 + i % 2 : i < 75 ? 7 + i % 2 : i % 7);
    csm_error err;
    csm_nps_result a, b;
    if (csm_nps(&a, q3, 100, NULL, &err) != CSM_OK ||
        csm_nps_counts(&b, 50, 30, 20, NULL, &err) != CSM_OK) {
        fprintf(stderr, "%s\n", err.text);
        return 1;
    }
    printf("NPS Q3: %.1f (promoters %.0f%%, passives %.0f%%, detractors %.0f%%; "
           "n = %.0f)\n",
           a.nps, 100 * a.promoters, 100 * a.passives, 100 * a.detractors, a.n);
    printf("        standard error %.3f, 95%% interval [%.1f, %.1f]\n", a.se,
           a.ci_low, a.ci_high);
    printf("NPS Q4: %.1f, 95%% interval [%.1f, %.1f]\n", b.nps, b.ci_low,
           b.ci_high);
    csm_nps_diff d;
    if (csm_nps_compare(&d, &a, &b, NULL, &err) != CSM_OK) {
        fprintf(stderr, "%s\n", err.text);
        return 1;
    }
    printf("Change Q3 -> Q4: %+.1f points (z = %.2f, p = %.3f; 95%% interval "
           "[%.1f, %.1f]) -- %s\n",
           d.diff, d.z, d.p_value, d.ci_low, d.ci_high,
           d.p_value < 0.05 ? "significant" : "not significant at 5%");

    const int8_t csat_scores[] = {5, 4, 3, 5, 2, 4, 4, 1, 5, 3};
    csm_csat_result c;
    if (csm_csat(&c, csat_scores, 10, NULL, &err) != CSM_OK)
        return 1;
    printf("CSAT (4-5 of 5): %.0f%% of %.0f, 95%% Wilson interval [%.0f%%, %.0f%%]\n",
           100 * c.csat, c.n, 100 * c.ci_low, 100 * c.ci_high);
    const int8_t ces_scores[] = {2, 3, 4, 5, 1};
    csm_ces_result e;
    if (csm_ces(&e, ces_scores, 5, NULL, &err) != CSM_OK)
        return 1;
    printf("CES (1-7): %.2f +/- %.2f (standard error)\n", e.ces, e.se);

    /* bad input is an error with the row, never a silent number */
    const int8_t bad[] = {9, 10, 11};
    if (csm_nps(&a, bad, 3, NULL, &err) != CSM_OK)
        printf("Bad survey rejected: %s\n", err.text);
    return 0;
}
