/* html.h - the dashboard, `csmetrics report --format html` (docs/dashboard.md):
 * one self-contained HTML page holding the report's JSON document (the one
 * --format json prints, out.h) and the charting library that draws it.
 *
 * The page is cli/html/dashboard.html, turned into a C string at build time
 * (scripts/embed_text.py).  The charting library (vega, vega-lite and
 * vega-embed, their minified browser bundles from npm) is read at run time
 * from the first directory of this list that holds all three files:
 *   $CSMETRICS_ASSETS                      (vega.min.js, vega-lite.min.js,
 *                                           vega-embed.min.js in it);
 *   DATADIR/csmetrics/js                   (meson install puts them there
 *                                           when deps/html was installed);
 *   SOURCE/deps/html/node_modules          (the build tree: npm's layout,
 *                                           vega/build/vega.min.js, ...).
 * and inlined into the page, so that opening it needs no network. */
#ifndef CSMCLI_HTML_H
#define CSMCLI_HTML_H

#include <stdio.h>

#include "out.h"

/* The text of cli/html/dashboard.html (generated source). */
extern const char dashboard_html[];
extern const size_t dashboard_html_len;

/* The charting bundles, read by html_assets_load. */
typedef struct html_assets {
    char *js[3]; /* vega, vega-lite, vega-embed */
    char *dir;   /* where they were found (for messages) */
} html_assets;

/* Find and read the bundles (the list above).  Returns 0, or 66 after a
 * message on stderr naming the directories searched and the way to
 * install the bundles (make deps-html). */
int html_assets_load(html_assets *a);
void html_assets_free(html_assets *a);

/* Write the dashboard of r: the page with the bundles and the report's
 * JSON document inlined.  Every user string reaches the page inside that
 * JSON document only, written with every '/' escaped ("<\/script>") and
 * every "<!--" as "\u003c!--", so no label can close the script element;
 * the page's script shows the strings as text (never as HTML). */
void html_print(FILE *f, const report *r, const html_assets *a);

#endif
