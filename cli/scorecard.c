/* scorecard.c - see scorecard.h. */
#include "scorecard.h"

#include <stdio.h>
#include <stdlib.h>

#include "data.h"

csm_scorecard *scorecard_load(const char *path) {
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
    csm_scorecard *sc = NULL;
    csm_error e;
    if (csm_scorecard_from_json(&sc, text ? text : builtin_scorecard_json,
                                len, NULL, &e) != CSM_OK) {
        fprintf(stderr, "csmetrics: %s: %s\n",
                path ? path : "built-in scorecard", e.text);
        exit(EXIT_DATAERR);
    }
    free(text);
    return sc;
}

const char *scorecard_label(const char *path) {
    return path ? path : "usage-led (built-in)";
}
