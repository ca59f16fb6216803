/* scorecard.h - the health scorecard of a run: the spec --scorecard names,
 * or the built-in one.  The built-in spec is examples/scorecards/
 * usage-led.json itself: cli/meson.build turns the file into a C string
 * at build time (scripts/embed_text.py), and it is read with the library's
 * JSON parser like any other spec, so the two cannot drift apart. */
#ifndef CSMCLI_SCORECARD_H
#define CSMCLI_SCORECARD_H

#include <csmetrics/csmetrics.h>
#include <stddef.h>
#include <stdio.h>

/* The text of examples/scorecards/usage-led.json (generated source). */
extern const char builtin_scorecard_json[];
extern const size_t builtin_scorecard_json_len;

/* The scorecard in path (NULL = the built-in one), read with
 * csm_health_scorecard_from_json.  Exits 66 when the file cannot be opened, 65
 * with the parser's message when the spec does not parse or validate. */
csm_health_scorecard *scorecard_load(const char *path);

/* The scorecard's name in notes: path, or that of the built-in one. */
const char *scorecard_label(const char *path);

/* `csmetrics scorecard [--scorecard FILE]`: the scorecard read as above,
 * written to f as the library writes it (csm_health_scorecard_to_json: canonical
 * JSON, every default spelled out).  Returns the exit code. */
int scorecard_print(FILE *f, const char *path);

#endif
