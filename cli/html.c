/* html.c - see html.h. */
#include "html.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "xalloc.h"

#ifndef CSM_HTML_DATADIR
#define CSM_HTML_DATADIR ""
#endif
#ifndef CSM_HTML_DEVDIR
#define CSM_HTML_DEVDIR ""
#endif

static const char *const bundle_name[3] = {"vega.min.js", "vega-lite.min.js",
                                           "vega-embed.min.js"};
/* the same files in npm's node_modules layout */
static const char *const bundle_npm[3] = {"vega/build/vega.min.js",
                                          "vega-lite/build/vega-lite.min.js",
                                          "vega-embed/build/vega-embed.min.js"};

/* The whole file at path as a string, or NULL when it cannot be read. */
static char *slurp(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t n = 0, cap = 1 << 16;
    char *buf = xalloc(cap, 1);
    size_t got;
    while ((got = fread(buf + n, 1, cap - n - 1, f)) > 0) {
        n += got;
        if (cap - n - 1 == 0)
            buf = xrealloc(buf, cap *= 2, 1);
    }
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        free(buf);
        return NULL;
    }
    buf[n] = '\0';
    return buf;
}

/* Read the three bundles from dir (names: flat or npm's); 0 when all are. */
static int load_from(html_assets *a, const char *dir,
                     const char *const *names) {
    for (int i = 0; i < 3; i++) {
        size_t n = strlen(dir) + strlen(names[i]) + 2;
        char *path = xalloc(n, 1);
        snprintf(path, n, "%s/%s", dir, names[i]);
        a->js[i] = slurp(path);
        free(path);
        if (!a->js[i]) {
            html_assets_free(a);
            return -1;
        }
    }
    a->dir = xstrdup(dir);
    return 0;
}

int html_assets_load(html_assets *a) {
    memset(a, 0, sizeof *a);
    const char *env = getenv("CSMETRICS_ASSETS");
    if (env && *env && load_from(a, env, bundle_name) == 0)
        return 0;
    if (*CSM_HTML_DATADIR && load_from(a, CSM_HTML_DATADIR, bundle_name) == 0)
        return 0;
    if (*CSM_HTML_DEVDIR && load_from(a, CSM_HTML_DEVDIR, bundle_npm) == 0)
        return 0;
    fprintf(stderr,
            "csmetrics: --format html needs the charting bundles %s, %s and "
            "%s; none of these holds them: $CSMETRICS_ASSETS (%s), %s, %s "
            "(run `make deps-html` in the source tree, then meson install)\n",
            bundle_name[0], bundle_name[1], bundle_name[2],
            env && *env ? env : "unset",
            *CSM_HTML_DATADIR ? CSM_HTML_DATADIR : "(no data dir)",
            *CSM_HTML_DEVDIR ? CSM_HTML_DEVDIR : "(no source tree)");
    return 66;
}

void html_assets_free(html_assets *a) {
    for (int i = 0; i < 3; i++)
        free(a->js[i]);
    free(a->dir);
    memset(a, 0, sizeof *a);
}

/* A bundle inside <script>: a "</script" in it (none in the pinned
 * versions; a string or a regular expression would hold it) becomes
 * "<\/script", which means the same to JavaScript there; the source-map
 * comment is left out (the map is not shipped). */
static void put_bundle(FILE *f, const char *js) {
    for (const char *p = js; *p;) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) + 1 : strlen(p);
        if (strncmp(p, "//# sourceMappingURL=", 21) != 0) {
            for (size_t i = 0; i < len; i++) {
                if (p[i] == '<' && p[i + 1] == '/' &&
                    strncasecmp(p + i + 2, "script", 6) == 0) {
                    fputs("<\\/", f);
                    i++;
                } else {
                    fputc(p[i], f);
                }
            }
        }
        p += len;
    }
}

/* The report's JSON document inside <script type="application/json">: the
 * document is written with every '/' escaped (JSON_ESCAPE_SLASH: no "</"
 * at all), and a "<!--" (which would change how the HTML parser reads the
 * rest of the element) as "\u003c!--"; both mean the same to JSON.parse. */
static void put_json(FILE *f, const report *r) {
    char *text = report_json_text(r, JSON_COMPACT | JSON_ESCAPE_SLASH);
    for (const char *p = text; *p; p++) {
        if (strncmp(p, "<!--", 4) == 0)
            fputs("\\u003c", f);
        else
            fputc(*p, f);
    }
    free(text);
}

void html_print(FILE *f, const report *r, const html_assets *a) {
    static const char *const marker[] = {"@@VEGA@@", "@@VEGA_LITE@@",
                                         "@@VEGA_EMBED@@", "@@REPORT@@"};
    const char *p = dashboard_html;
    const char *end = dashboard_html + dashboard_html_len;
    while (p < end) {
        const char *at = strstr(p, "@@");
        if (!at) {
            fwrite(p, 1, (size_t)(end - p), f);
            break;
        }
        fwrite(p, 1, (size_t)(at - p), f);
        size_t m = 0;
        while (m < 4 && strncmp(at, marker[m], strlen(marker[m])) != 0)
            m++;
        if (m == 4) {
            fputs("@@", f);
            p = at + 2;
            continue;
        }
        if (m < 3)
            put_bundle(f, a->js[m]);
        else
            put_json(f, r);
        p = at + strlen(marker[m]);
    }
}
