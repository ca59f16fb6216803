/* scorecard.c - see scorecard.h. */
#include "scorecard.h"

#include <stdlib.h>

#include "data.h"

csm_health_scorecard *scorecard_load(const char *path) {
    char *text = NULL;
    size_t len = builtin_scorecard_json_len;
    if (path) {
        FILE *f = fopen(path, "rb");
        if (!f) {
            fprintf(stderr, "csmetrics: %s: cannot open the scorecard\n",
                    path);
            exit(EXIT_NOINPUT);
        }
        text = xalloc(1 << 20, 1);
        len = fread(text, 1, (1 << 20) - 1, f);
        fclose(f);
    }
    csm_health_scorecard *sc = NULL;
    csm_error e;
    if (csm_health_scorecard_from_json(&sc, text ? text : builtin_scorecard_json,
                                len, NULL, &e) != CSM_OK) {
        fprintf(stderr, "csmetrics: %s: %s\n",
                path ? path : "built-in scorecard", e.text);
        /* the built-in scorecard is valid (tests/cli checks it): failing
         * to read it is out of memory (libjansson reports some failed
         * allocations as syntax errors) or a bug, never the user's data */
        exit(e.code == CSM_ENOMEM || !path ? EXIT_SOFTWARE : EXIT_DATAERR);
    }
    free(text);
    return sc;
}

const char *scorecard_label(const char *path) {
    return path ? path : "usage-led (built-in)";
}

int scorecard_print(FILE *f, const char *path) {
    csm_health_scorecard *sc = scorecard_load(path);
    char *json = NULL;
    size_t len = 0;
    csm_error e;
    if (csm_health_scorecard_to_json(&json, &len, sc, &e) != CSM_OK) {
        fprintf(stderr, "csmetrics: scorecard: %s\n", e.text);
        csm_health_scorecard_free(sc);
        return EXIT_SOFTWARE;
    }
    fwrite(json, 1, len, f);
    if (len == 0 || json[len - 1] != '\n')
        fputc('\n', f);
    csm_health_scorecard_json_free(sc, json);
    csm_health_scorecard_free(sc);
    return 0;
}
