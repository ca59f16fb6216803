/* fuzz_scorecard.c - libFuzzer harness: the input is a scorecard JSON text
 * (dictionary tests/fuzz/json.dict, seeds from examples/scorecards).  A
 * scorecard that parses is written back, read again and written again,
 * then used to score a small set of accounts (every input present, some
 * missing, zeros, a spread of values), rank them and count the bands.
 * Properties: the JSON written back parses to the same scorecard (the
 * same text when written again, the same inputs, measures, weights,
 * groups, bands and overrides, the same scores bit for bit); a failed
 * parse explains itself; every column of every result has n_rows values. */
#include "fuzz.h"

#define N_ACC 6

static int same_double(double a, double b) {
    return memcmp(&a, &b, sizeof a) == 0 || (isnan(a) && isnan(b));
}

static int same_str(const char *a, const char *b) {
    return (a == NULL && b == NULL) || (a && b && strcmp(a, b) == 0);
}

/* The names of one kind of part (inputs, measures, groups...) of a and b
 * are the same, in the same order. */
typedef size_t (*count_fn)(const csm_health_scorecard *);
typedef const char *(*name_fn)(const csm_health_scorecard *, size_t);
static void same_names(const csm_health_scorecard *a,
                       const csm_health_scorecard *b, count_fn count,
                       name_fn name, const char *what) {
    size_t n = count(a);
    FUZZ_CHECK(n == count(b), "%s: %zu and %zu", what, n, count(b));
    for (size_t i = 0; i < n; i++)
        FUZZ_CHECK(same_str(name(a, i), name(b, i)), "%s %zu", what, i);
}

static void check_same(const csm_health_scorecard *a,
                       const csm_health_scorecard *b) {
    same_names(a, b, csm_health_scorecard_input_count,
               csm_health_scorecard_input_name, "input name");
    same_names(a, b, csm_health_scorecard_input_count,
               csm_health_scorecard_input_policy, "input policy");
    same_names(a, b, csm_health_scorecard_measure_count,
               csm_health_scorecard_measure_name, "measure name");
    same_names(a, b, csm_health_scorecard_group_count,
               csm_health_scorecard_group_name, "group name");
    same_names(a, b, csm_health_scorecard_band_count,
               csm_health_scorecard_band_name, "band name");
    same_names(a, b, csm_health_scorecard_override_count,
               csm_health_scorecard_override_name, "override name");
    for (size_t i = 0; i < csm_health_scorecard_measure_count(a); i++) {
        FUZZ_CHECK(csm_health_scorecard_measure_group(a, i) ==
                       csm_health_scorecard_measure_group(b, i),
                   "measure %zu group", i);
        FUZZ_CHECK(csm_health_scorecard_measure_direction(a, i) ==
                       csm_health_scorecard_measure_direction(b, i),
                   "measure %zu direction", i);
        FUZZ_CHECK(same_double(csm_health_scorecard_measure_weight(a, i),
                               csm_health_scorecard_measure_weight(b, i)),
                   "measure %zu weight", i);
        FUZZ_CHECK(same_double(csm_health_scorecard_measure_share(a, i),
                               csm_health_scorecard_measure_share(b, i)),
                   "measure %zu share", i);
    }
}

/* Score N_ACC accounts with sc; NULL when scoring fails (a "fail" policy
 * input missing, say). */
static csm_health *score(const csm_health_scorecard *sc, const double *values) {
    csm_health *h = NULL;
    csm_error err;
    double prev[N_ACC] = {50, NAN, 0, 100, 75, 20};
    int32_t prev_band[N_ACC] = {0, -1, 1, 0, 2, -1};
    csm_health_opts ho = CSM_HEALTH_OPTS_INIT;
    ho.prev_score = prev;
    if (csm_health_scorecard_band_count(sc) >= 3)
        ho.prev_band = prev_band;
    csm_status st = csm_health_score(&h, sc, values, N_ACC, &ho, &err);
    FUZZ_CHECK_ERR(st, err);
    FUZZ_CHECK(st == CSM_OK || st == CSM_EMISSING || st == CSM_ENOMEM,
               "scoring finite values failed: %s", err.text);
    if (st != CSM_OK)
        return NULL;
    fuzz_check_result(h->result);
    FUZZ_CHECK(h->n_accounts == N_ACC, "%zu accounts", h->n_accounts);
    return h;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    csm_health_scorecard *a = NULL, *b = NULL;
    csm_error err;
    csm_status st = csm_health_scorecard_from_json(&a, (const char *)data, size,
                                                   NULL, &err);
    FUZZ_CHECK_ERR(st, err);
    if (st != CSM_OK) {
        FUZZ_CHECK(a == NULL, "a failed parse left a scorecard");
        return 0;
    }
    char *j1 = NULL, *j2 = NULL;
    size_t l1 = 0, l2 = 0;
    st = csm_health_scorecard_to_json(&j1, &l1, a, &err);
    FUZZ_CHECK(st == CSM_OK, "writing a parsed scorecard failed: %s", err.text);
    FUZZ_CHECK(strlen(j1) == l1, "length %zu of a %zu-byte text", l1, strlen(j1));
    st = csm_health_scorecard_from_json(&b, j1, l1, NULL, &err);
    FUZZ_CHECK(st == CSM_OK, "the JSON written back does not parse: %s\n%s",
               err.text, j1);
    check_same(a, b);
    st = csm_health_scorecard_to_json(&j2, &l2, b, &err);
    FUZZ_CHECK(st == CSM_OK, "writing the re-read scorecard failed: %s", err.text);
    FUZZ_CHECK(l1 == l2 && memcmp(j1, j2, l1) == 0,
               "written twice, two texts:\n%s\n%s", j1, j2);

    size_t ni = csm_health_scorecard_input_count(a);
    double *values = calloc(N_ACC * ni + 1, sizeof *values);
    /* Account 0 every input 0, 1 every input missing, 2..5 a spread. */
    for (size_t i = 0; i < ni; i++) {
        values[0 * ni + i] = 0;
        values[1 * ni + i] = NAN;
        values[2 * ni + i] = (double)i * 0.25;
        values[3 * ni + i] = 1e6;
        values[4 * ni + i] = (i % 2) ? NAN : -3.5;
        values[5 * ni + i] = 0.5;
    }
    csm_health *ha = score(a, values), *hb = score(b, values);
    FUZZ_CHECK((ha == NULL) == (hb == NULL), "one copy scores, not the other");
    if (ha) {
        for (size_t i = 0; i < N_ACC; i++)
            FUZZ_CHECK(same_double(ha->score[i], hb->score[i]) &&
                           ha->band[i] == hb->band[i],
                       "account %zu: %.17g/%d after the round trip, %.17g/%d "
                       "before",
                       i, hb->score[i], hb->band[i], ha->score[i], ha->band[i]);
        double mrr[N_ACC] = {100, 0, 50, 1e9, 3, 7};
        int64_t ids[N_ACC] = {10, 11, 12, 13, 14, 15};
        csm_health_bands *bands = NULL;
        st = csm_health_bands_compute(&bands, ha, a, mrr, &err);
        FUZZ_CHECK_ERR(st, err);
        if (st == CSM_OK)
            fuzz_check_result(bands->result);
        csm_health_bands_free(bands);
        csm_health_risks *risks = NULL;
        st = csm_health_at_risk(&risks, ha, ids, mrr, NULL, &err);
        FUZZ_CHECK_ERR(st, err);
        if (st == CSM_OK)
            fuzz_check_result(risks->result);
        csm_health_risks_free(risks);
    }
    csm_health_free(ha);
    csm_health_free(hb);
    free(values);
    csm_health_scorecard_json_free(a, j1);
    csm_health_scorecard_json_free(b, j2);
    csm_health_scorecard_free(a);
    csm_health_scorecard_free(b);
    return 0;
}
