/* health_spec.c - weighted health scorecards read from JSON (Debian's
 * libjansson): parse and validate a spec with error paths, write it back,
 * the accessors and free.  Scoring: health_score.c. */
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csmetrics/health.h"
#include "internal/health_impl.h"
#include "internal/util.h"

/* the spec's words for the enums of internal/health_impl.h, in order */
static const char *const t_names[] = {"linear", "piecewise", "percentile",
                                      "boolean"};
static const char *const miss_names[] = {"renormalize", "zero", "fail"};
static const char *const op_names[] = {"<", "<=", ">", ">=", "==", "!="};
static const char *const act_names[] = {"cap", "subtract", "band"};
static const char *const agg_names[] = {"weighted_average", "worst_of"};

#define A(sc) csm__sc_alloc(sc)

static char *sdup(const csm_health_scorecard *sc, const char *s) {
    size_t n = strlen(s) + 1;
    char *p = csm__alloc(A(sc), n);
    if (p)
        memcpy(p, s, n);
    return p;
}

CSM_API void csm_health_scorecard_free(csm_health_scorecard *sc) {
    if (!sc)
        return;
    const csm_allocator *a = A(sc);
    for (size_t i = 0; i < sc->nm; i++) {
        csm__free(a, sc->m[i].name);
        csm__free(a, sc->m[i].px);
        csm__free(a, sc->m[i].py);
    }
    for (size_t i = 0; i < sc->ng; i++)
        csm__free(a, sc->g[i].name);
    for (size_t i = 0; i < sc->nb; i++)
        csm__free(a, sc->b[i].name);
    for (size_t i = 0; i < sc->no; i++)
        csm__free(a, sc->o[i].name);
    for (size_t i = 0; sc->extra && sc->ni > sc->nm && i < sc->ni - sc->nm; i++)
        csm__free(a, sc->extra[i]);
    csm__free(a, sc->extra);
    csm__free(a, sc->inputs);
    csm__free(a, sc->m);
    csm__free(a, sc->g);
    csm__free(a, sc->b);
    csm__free(a, sc->o);
    csm__free(a, sc->name);
    csm_allocator copy = sc->alloc;
    int has = sc->has_alloc;
    csm__free(has ? &copy : NULL, sc);
}

/* ---- validation with paths -------------------------------------------- */
typedef struct {
    csm_error *err;
    char path[160];
} vctx;

static csm_status vfail(vctx *v, csm_status code, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    csm__failv(v->err, code, CSM_NO_ROW, "spec", "invalid scorecard spec",
               v->path, fmt, ap);
    va_end(ap);
    return code;
}

/* push ".key" or "[i]" onto the path; returns the old length */
static size_t push_key(vctx *v, const char *key) {
    size_t n = strlen(v->path);
    snprintf(v->path + n, sizeof v->path - n, ".%s", key);
    return n;
}
static size_t push_index(vctx *v, size_t i) {
    size_t n = strlen(v->path);
    snprintf(v->path + n, sizeof v->path - n, "[%zu]", i);
    return n;
}
static void pop(vctx *v, size_t n) { v->path[n] = '\0'; }

/* vfail with CSM_EINVAL at ".key" below the current path (the path is
 * restored). */
static csm_status key_fail(vctx *v, const char *key, const char *fmt, ...) {
    size_t n = push_key(v, key);
    va_list ap;
    va_start(ap, fmt);
    csm__failv(v->err, CSM_EINVAL, CSM_NO_ROW, "spec",
               "invalid scorecard spec", v->path, fmt, ap);
    va_end(ap);
    pop(v, n);
    return CSM_EINVAL;
}

/* Check that obj has only the allowed keys. */
static csm_status only_keys(vctx *v, json_t *obj, const char *const *allowed) {
    const char *key;
    json_t *val;
    json_object_foreach(obj, key, val) {
        int ok = 0;
        for (const char *const *a = allowed; *a; a++)
            if (strcmp(*a, key) == 0)
                ok = 1;
        if (!ok)
            return key_fail(v, key, "unknown key");
    }
    return CSM_OK;
}

static csm_status get_string(vctx *v, json_t *obj, const char *key,
                             const char *dflt, const char **out) {
    json_t *j = json_object_get(obj, key);
    if (!j) {
        if (!dflt)
            return key_fail(v, key, "is required");
        *out = dflt;
        return CSM_OK;
    }
    if (!json_is_string(j) || json_string_length(j) == 0)
        return key_fail(v, key, "must be a non-empty string");
    *out = json_string_value(j);
    return CSM_OK;
}

static csm_status get_number(vctx *v, json_t *obj, const char *key,
                             int required, double dflt, double *out) {
    json_t *j = json_object_get(obj, key);
    if (!j) {
        if (required)
            return key_fail(v, key, "is required");
        *out = dflt;
        return CSM_OK;
    }
    if (!json_is_number(j) || !isfinite(json_number_value(j)))
        return key_fail(v, key, "must be a number");
    *out = json_number_value(j);
    return CSM_OK;
}

static int lookup(const char *s, const char *const *names, int n) {
    for (int i = 0; i < n; i++)
        if (strcmp(s, names[i]) == 0)
            return i;
    return -1;
}

static csm_status get_enum(vctx *v, json_t *obj, const char *key, int dflt,
                           const char *const *names, int n, int *out) {
    json_t *j = json_object_get(obj, key);
    if (!j) {
        if (dflt < 0)
            return key_fail(v, key, "is required");
        *out = dflt;
        return CSM_OK;
    }
    int i = json_is_string(j) ? lookup(json_string_value(j), names, n) : -1;
    if (i < 0) {
        char opts[160] = "";
        for (int t = 0; t < n; t++) {
            strncat(opts, t ? ", " : "", sizeof opts - strlen(opts) - 1);
            strncat(opts, names[t], sizeof opts - strlen(opts) - 1);
        }
        return key_fail(v, key, "must be one of %s", opts);
    }
    *out = i;
    return CSM_OK;
}

static csm_status parse_measure(vctx *v, csm_health_scorecard *sc, json_t *j,
                                csm__measure *m, size_t gi) {
    static const char *const keys[] = {"name",      "weight", "direction",
                                       "transform", "missing", NULL};
    csm_status st;
    if (!json_is_object(j))
        return vfail(v, CSM_EINVAL, "must be an object");
    if ((st = only_keys(v, j, keys)) != CSM_OK)
        return st;
    const char *name;
    if ((st = get_string(v, j, "name", NULL, &name)) != CSM_OK)
        return st;
    for (size_t i = 0; i < sc->nm; i++)
        if (strcmp(sc->m[i].name, name) == 0)
            return key_fail(v, "name", "duplicate measure name '%s'", name);
    if ((st = get_number(v, j, "weight", 0, 1.0, &m->weight)) != CSM_OK)
        return st;
    if (m->weight < 0)
        return key_fail(v, "weight", "must be >= 0");
    static const char *const dirs[] = {"lower", "higher"};
    if ((st = get_enum(v, j, "direction", 1, dirs, 2, &m->higher)) != CSM_OK)
        return st;
    if ((st = get_enum(v, j, "missing", sc->missing_default, miss_names, 3,
                       &m->missing)) != CSM_OK)
        return st;
    json_t *t = json_object_get(j, "transform");
    size_t n0 = push_key(v, "transform");
    if (!t) {
        st = vfail(v, CSM_EINVAL, "is required");
        pop(v, n0);
        return st;
    }
    if (!json_is_object(t)) {
        st = vfail(v, CSM_EINVAL, "must be an object");
        pop(v, n0);
        return st;
    }
    static const char *const tkeys[] = {"type", "min", "max", "points", NULL};
    if ((st = only_keys(v, t, tkeys)) != CSM_OK ||
        (st = get_enum(v, t, "type", -1, t_names, 4, &m->transform)) !=
            CSM_OK) {
        pop(v, n0);
        return st;
    }
    if (m->transform == CSM__T_LINEAR) {
        if ((st = get_number(v, t, "min", 1, 0, &m->lo)) != CSM_OK ||
            (st = get_number(v, t, "max", 1, 0, &m->hi)) != CSM_OK) {
            pop(v, n0);
            return st;
        }
        if (!(m->hi > m->lo)) {
            st = key_fail(v, "max", "must be greater than min");
            pop(v, n0);
            return st;
        }
    } else if (m->transform == CSM__T_PIECEWISE) {
        json_t *pts = json_object_get(t, "points");
        size_t n = push_key(v, "points");
        if (!json_is_array(pts) || json_array_size(pts) < 2) {
            st = vfail(v, CSM_EINVAL,
                       "must be an array of at least two [x, score] pairs");
            pop(v, n);
            pop(v, n0);
            return st;
        }
        m->npts = json_array_size(pts);
        m->px = csm__alloc_array(A(sc), m->npts, sizeof *m->px);
        m->py = csm__alloc_array(A(sc), m->npts, sizeof *m->py);
        if (!m->px || !m->py) {
            pop(v, n);
            pop(v, n0);
            return csm__fail(v->err, CSM_ENOMEM, CSM_NO_ROW, NULL, NULL);
        }
        for (size_t k = 0; k < m->npts; k++) {
            json_t *p = json_array_get(pts, k);
            size_t nk = push_index(v, k);
            if (!json_is_array(p) || json_array_size(p) != 2 ||
                !json_is_number(json_array_get(p, 0)) ||
                !json_is_number(json_array_get(p, 1))) {
                st = vfail(v, CSM_EINVAL, "must be a pair [x, score]");
            } else {
                m->px[k] = json_number_value(json_array_get(p, 0));
                m->py[k] = json_number_value(json_array_get(p, 1));
                if (!isfinite(m->px[k]) || !isfinite(m->py[k]) ||
                    m->py[k] < 0 || m->py[k] > 100)
                    st = vfail(v, CSM_EINVAL, "score must be in 0..100");
                else if (k > 0 && !(m->px[k] > m->px[k - 1]))
                    st = vfail(v, CSM_EINVAL,
                               "x must be strictly increasing");
            }
            pop(v, nk);
            if (st != CSM_OK) {
                pop(v, n);
                pop(v, n0);
                return st;
            }
        }
        pop(v, n);
    }
    pop(v, n0);
    m->name = sdup(sc, name);
    m->group = gi;
    if (!m->name)
        return csm__fail(v->err, CSM_ENOMEM, CSM_NO_ROW, NULL, NULL);
    return CSM_OK;
}

static long input_index(const csm_health_scorecard *sc, const char *name) {
    for (size_t i = 0; i < sc->ni; i++)
        if (strcmp(sc->inputs[i], name) == 0)
            return (long)i;
    return -1;
}

static csm_status parse(csm_health_scorecard *sc, json_t *root, vctx *v) {
    csm_status st;
    if (!json_is_object(root))
        return vfail(v, CSM_EINVAL, "must be an object");
    static const char *const keys[] = {"name",  "aggregation", "missing",
                                       "round", "bands",       "groups",
                                       "overrides", NULL};
    if ((st = only_keys(v, root, keys)) != CSM_OK)
        return st;
    const char *name = NULL;
    if ((st = get_string(v, root, "name", "scorecard", &name)) != CSM_OK)
        return st;
    if (!(sc->name = sdup(sc, name)))
        return csm__fail(v->err, CSM_ENOMEM, CSM_NO_ROW, NULL, NULL);
    if ((st = get_enum(v, root, "aggregation", CSM__AGG_WEIGHTED, agg_names,
                       2, &sc->aggregation)) != CSM_OK ||
        (st = get_enum(v, root, "missing", CSM__MISS_RENORMALIZE, miss_names,
                       3, &sc->missing_default)) != CSM_OK)
        return st;
    json_t *r = json_object_get(root, "round");
    sc->round = -1;
    if (r && !json_is_null(r)) {
        if (!json_is_integer(r) || json_integer_value(r) < 0 ||
            json_integer_value(r) > 6)
            return key_fail(v, "round", "must be an integer 0..6 or null");
        sc->round = (int)json_integer_value(r);
    }
    /* bands */
    json_t *bands = json_object_get(root, "bands");
    size_t nb = bands ? json_array_size(bands) : 3;
    size_t n0 = push_key(v, "bands");
    if (bands && (!json_is_array(bands) || nb == 0)) {
        st = vfail(v, CSM_EINVAL, "must be a non-empty array");
        pop(v, n0);
        return st;
    }
    sc->b = csm__alloc_array(A(sc), nb, sizeof *sc->b);
    if (!sc->b)
        return csm__fail(v->err, CSM_ENOMEM, CSM_NO_ROW, NULL, NULL);
    memset(sc->b, 0, nb * sizeof *sc->b);
    static const char *const dnames[] = {"red", "yellow", "green"};
    static const double dmin[] = {0, 40, 70};
    for (size_t i = 0; i < nb; i++) {
        const char *bn = dnames[i < 3 ? i : 0];
        double bm = dmin[i < 3 ? i : 0];
        if (bands) {
            json_t *b = json_array_get(bands, i);
            size_t nk = push_index(v, i);
            static const char *const bkeys[] = {"name", "min", NULL};
            if (!json_is_object(b))
                st = vfail(v, CSM_EINVAL, "must be an object");
            else if ((st = only_keys(v, b, bkeys)) == CSM_OK &&
                     (st = get_string(v, b, "name", NULL, &bn)) == CSM_OK &&
                     (st = get_number(v, b, "min", 1, 0, &bm)) == CSM_OK &&
                     i > 0 && !(bm > sc->b[i - 1].min)) {
                st = key_fail(v, "min", "band cut points must increase");
            }
            pop(v, nk);
            if (st != CSM_OK) {
                sc->nb = i;
                pop(v, n0);
                return st;
            }
        }
        sc->b[i].name = sdup(sc, bn);
        sc->b[i].min = bm;
        sc->nb = i + 1;
        if (!sc->b[i].name)
            return csm__fail(v->err, CSM_ENOMEM, CSM_NO_ROW, NULL, NULL);
    }
    pop(v, n0);
    /* groups and measures */
    json_t *groups = json_object_get(root, "groups");
    n0 = push_key(v, "groups");
    if (!groups) {
        st = vfail(v, CSM_EINVAL, "is required");
        pop(v, n0);
        return st;
    }
    if (!json_is_array(groups) || json_array_size(groups) == 0) {
        st = vfail(v, CSM_EINVAL, "must be a non-empty array");
        pop(v, n0);
        return st;
    }
    size_t ng = json_array_size(groups), nm = 0;
    for (size_t i = 0; i < ng; i++) {
        json_t *ms = json_object_get(json_array_get(groups, i), "measures");
        nm += json_is_array(ms) ? json_array_size(ms) : 0;
    }
    sc->g = csm__alloc_array(A(sc), ng, sizeof *sc->g);
    sc->m = csm__alloc_array(A(sc), nm ? nm : 1, sizeof *sc->m);
    if (!sc->g || !sc->m)
        return csm__fail(v->err, CSM_ENOMEM, CSM_NO_ROW, NULL, NULL);
    memset(sc->g, 0, ng * sizeof *sc->g);
    memset(sc->m, 0, (nm ? nm : 1) * sizeof *sc->m);
    double gw_total = 0;
    for (size_t i = 0; i < ng; i++) {
        json_t *gj = json_array_get(groups, i);
        size_t nk = push_index(v, i);
        static const char *const gkeys[] = {"name", "weight", "measures", NULL};
        const char *gn;
        if (!json_is_object(gj))
            st = vfail(v, CSM_EINVAL, "must be an object");
        else if ((st = only_keys(v, gj, gkeys)) == CSM_OK &&
                 (st = get_string(v, gj, "name", NULL, &gn)) == CSM_OK &&
                 (st = get_number(v, gj, "weight", 0, 1.0, &sc->g[i].weight)) ==
                     CSM_OK) {
            if (sc->g[i].weight < 0) {
                st = key_fail(v, "weight", "must be >= 0");
            } else if (!(sc->g[i].name = sdup(sc, gn))) {
                st = csm__fail(v->err, CSM_ENOMEM, CSM_NO_ROW, NULL, NULL);
            }
        }
        sc->ng = i + 1;
        if (st != CSM_OK) {
            pop(v, nk);
            pop(v, n0);
            return st;
        }
        gw_total += sc->g[i].weight;
        json_t *ms = json_object_get(gj, "measures");
        size_t nms = push_key(v, "measures");
        if (!json_is_array(ms) || json_array_size(ms) == 0) {
            st = vfail(v, CSM_EINVAL, "must be a non-empty array");
            pop(v, nms);
            pop(v, nk);
            pop(v, n0);
            return st;
        }
        double mw = 0;
        for (size_t k = 0; k < json_array_size(ms); k++) {
            size_t nmk = push_index(v, k);
            st = parse_measure(v, sc, json_array_get(ms, k), &sc->m[sc->nm], i);
            if (st == CSM_OK) {
                mw += sc->m[sc->nm].weight;
                sc->nm++;
            } else {
                /* free what parse_measure allocated for the failed one */
                csm__free(A(sc), sc->m[sc->nm].px);
                csm__free(A(sc), sc->m[sc->nm].py);
                sc->m[sc->nm].px = sc->m[sc->nm].py = NULL;
            }
            pop(v, nmk);
            if (st != CSM_OK) {
                pop(v, nms);
                pop(v, nk);
                pop(v, n0);
                return st;
            }
        }
        if (!(mw > 0)) {
            st = vfail(v, CSM_EINVAL, "measure weights sum to 0");
            pop(v, nms);
            pop(v, nk);
            pop(v, n0);
            return st;
        }
        pop(v, nms);
        pop(v, nk);
    }
    if (!(gw_total > 0)) {
        st = vfail(v, CSM_EINVAL, "group weights sum to 0");
        pop(v, n0);
        return st;
    }
    pop(v, n0);
    /* inputs: measures, then override-only fields */
    json_t *ovs = json_object_get(root, "overrides");
    size_t no = ovs ? json_array_size(ovs) : 0;
    sc->inputs = csm__alloc_array(A(sc), sc->nm + no, sizeof *sc->inputs);
    sc->extra = csm__alloc_array(A(sc), no ? no : 1, sizeof *sc->extra);
    sc->o = csm__alloc_array(A(sc), no ? no : 1, sizeof *sc->o);
    if (!sc->inputs || !sc->extra || !sc->o)
        return csm__fail(v->err, CSM_ENOMEM, CSM_NO_ROW, NULL, NULL);
    memset(sc->o, 0, (no ? no : 1) * sizeof *sc->o);
    for (size_t i = 0; i < sc->nm; i++)
        sc->inputs[i] = sc->m[i].name;
    sc->ni = sc->nm;
    n0 = push_key(v, "overrides");
    if (ovs && !json_is_array(ovs)) {
        st = vfail(v, CSM_EINVAL, "must be an array");
        pop(v, n0);
        return st;
    }
    if (no > 32) {
        st = vfail(v, CSM_EINVAL, "at most 32 overrides");
        pop(v, n0);
        return st;
    }
    for (size_t i = 0; i < no; i++) {
        json_t *oj = json_array_get(ovs, i);
        csm__override *ov = &sc->o[i];
        size_t nk = push_index(v, i);
        static const char *const okeys[] = {"name",   "input", "op",
                                            "value",  "action", "score",
                                            "points", "band",  NULL};
        const char *on, *in;
        if (!json_is_object(oj))
            st = vfail(v, CSM_EINVAL, "must be an object");
        else if ((st = only_keys(v, oj, okeys)) == CSM_OK &&
                 (st = get_string(v, oj, "name", NULL, &on)) == CSM_OK &&
                 (st = get_string(v, oj, "input", NULL, &in)) == CSM_OK &&
                 (st = get_enum(v, oj, "op", -1, op_names, 6, &ov->op)) ==
                     CSM_OK &&
                 (st = get_number(v, oj, "value", 1, 0, &ov->value)) ==
                     CSM_OK &&
                 (st = get_enum(v, oj, "action", -1, act_names, 3,
                                &ov->action)) == CSM_OK) {
            if (ov->action == CSM__ACT_CAP) {
                if ((st = get_number(v, oj, "score", 1, 0, &ov->amount)) ==
                        CSM_OK &&
                    (ov->amount < 0 || ov->amount > 100)) {
                    st = key_fail(v, "score", "must be in 0..100");
                }
            } else if (ov->action == CSM__ACT_SUBTRACT) {
                if ((st = get_number(v, oj, "points", 1, 0, &ov->amount)) ==
                        CSM_OK &&
                    ov->amount < 0) {
                    st = key_fail(v, "points", "must be >= 0");
                }
            } else {
                const char *bn;
                if ((st = get_string(v, oj, "band", NULL, &bn)) == CSM_OK) {
                    long bi = -1;
                    for (size_t b = 0; b < sc->nb; b++)
                        if (strcmp(sc->b[b].name, bn) == 0)
                            bi = (long)b;
                    if (bi < 0) {
                        st = key_fail(v, "band", "no band named '%s'", bn);
                    } else {
                        ov->band = (size_t)bi;
                    }
                }
            }
            if (st == CSM_OK) {
                long ii = input_index(sc, in);
                if (ii < 0) {
                    char *e = sdup(sc, in);
                    if (!e) {
                        st = csm__fail(v->err, CSM_ENOMEM, CSM_NO_ROW, NULL,
                                       NULL);
                    } else {
                        sc->extra[sc->ni - sc->nm] = e;
                        sc->inputs[sc->ni] = e;
                        ii = (long)sc->ni++;
                    }
                }
                ov->input = (size_t)ii;
                if (st == CSM_OK && !(ov->name = sdup(sc, on)))
                    st = csm__fail(v->err, CSM_ENOMEM, CSM_NO_ROW, NULL, NULL);
            }
        }
        sc->no = i + 1;
        pop(v, nk);
        if (st != CSM_OK) {
            pop(v, n0);
            return st;
        }
    }
    pop(v, n0);
    return CSM_OK;
}

/* *out = the scorecard of the JSON tree root (validated), allocated with
 * a (NULL = libc); the tree is only read. */
static csm_status from_tree(csm_health_scorecard **out, json_t *root,
                            const csm_allocator *a, csm_error *err) {
    csm_health_scorecard *sc = csm__alloc(a, sizeof *sc);
    if (!sc)
        return csm__fail(err, CSM_ENOMEM, CSM_NO_ROW, NULL, NULL);
    memset(sc, 0, sizeof *sc);
    if (a) {
        sc->alloc = *a;
        sc->has_alloc = 1;
    }
    vctx v;
    v.err = err;
    snprintf(v.path, sizeof v.path, "$");
    csm_status st = parse(sc, root, &v);
    if (st != CSM_OK) {
        csm_health_scorecard_free(sc);
        return st;
    }
    *out = sc;
    return CSM_OK;
}

CSM__DEFINE_OPTS_INIT(csm_health_scorecard_opts_init, csm_health_scorecard_opts,
                      CSM_HEALTH_SCORECARD_OPTS_INIT)

CSM_API csm_status csm_health_scorecard_from_json(csm_health_scorecard **out,
                                           const char *json, size_t len,
                                           const csm_health_scorecard_opts *opts,
                                           csm_error *err) {
    csm_error_clear(err);
    if (!out)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "out", "is NULL");
    *out = NULL;
    if (!json)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "json", "is NULL");
    csm_health_scorecard_opts o = CSM_HEALTH_SCORECARD_OPTS_INIT;
    csm_status ast = csm__opts_load(&o, sizeof o, opts, err);
    if (ast == CSM_OK)
        ast = csm__alloc_check(o.allocator, "opts.allocator", err);
    if (ast != CSM_OK)
        return ast;
    const csm_allocator *a = o.allocator;
    json_error_t je;
    json_t *root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &je);
    if (!root) {
        /* libjansson names a failed allocation (when it notices one) */
        if (json_error_code(&je) == json_error_out_of_memory)
            return csm__failf(err, CSM_ENOMEM, CSM_NO_ROW, "json",
                              "out of memory", NULL, "%s", je.text);
        char where[48];
        snprintf(where, sizeof where, "line %d, column %d", je.line,
                 je.column);
        return csm__failf(err, CSM_EPARSE, CSM_NO_ROW, "json",
                          "malformed JSON", where, "%s", je.text);
    }
    csm_status st = from_tree(out, root, a, err);
    json_decref(root);
    return st;
}

/* ---- writing ------------------------------------------------------------ */
static json_t *num(double x) { return json_real(x); }

/* The spec of sc as a JSON tree in the canonical key order (NULL when
 * jansson runs out of memory). */
static json_t *to_tree(const csm_health_scorecard *sc) {
    json_t *root = json_object();
    json_object_set_new(root, "name", json_string(sc->name));
    json_object_set_new(root, "aggregation",
                        json_string(agg_names[sc->aggregation]));
    json_object_set_new(root, "missing",
                        json_string(miss_names[sc->missing_default]));
    json_object_set_new(root, "round", sc->round < 0
                                           ? json_null()
                                           : json_integer(sc->round));
    json_t *bands = json_array();
    for (size_t i = 0; i < sc->nb; i++) {
        json_t *b = json_object();
        json_object_set_new(b, "name", json_string(sc->b[i].name));
        json_object_set_new(b, "min", num(sc->b[i].min));
        json_array_append_new(bands, b);
    }
    json_object_set_new(root, "bands", bands);
    json_t *groups = json_array();
    for (size_t gi = 0; gi < sc->ng; gi++) {
        json_t *g = json_object();
        json_object_set_new(g, "name", json_string(sc->g[gi].name));
        json_object_set_new(g, "weight", num(sc->g[gi].weight));
        json_t *ms = json_array();
        for (size_t i = 0; i < sc->nm; i++) {
            const csm__measure *m = &sc->m[i];
            if (m->group != gi)
                continue;
            json_t *mj = json_object();
            json_object_set_new(mj, "name", json_string(m->name));
            json_object_set_new(mj, "weight", num(m->weight));
            json_object_set_new(mj, "direction",
                                json_string(m->higher ? "higher" : "lower"));
            json_t *t = json_object();
            json_object_set_new(t, "type", json_string(t_names[m->transform]));
            if (m->transform == CSM__T_LINEAR) {
                json_object_set_new(t, "min", num(m->lo));
                json_object_set_new(t, "max", num(m->hi));
            } else if (m->transform == CSM__T_PIECEWISE) {
                json_t *pts = json_array();
                for (size_t k = 0; k < m->npts; k++) {
                    json_t *p = json_array();
                    json_array_append_new(p, num(m->px[k]));
                    json_array_append_new(p, num(m->py[k]));
                    json_array_append_new(pts, p);
                }
                json_object_set_new(t, "points", pts);
            }
            json_object_set_new(mj, "transform", t);
            json_object_set_new(mj, "missing",
                                json_string(miss_names[m->missing]));
            json_array_append_new(ms, mj);
        }
        json_object_set_new(g, "measures", ms);
        json_array_append_new(groups, g);
    }
    json_object_set_new(root, "groups", groups);
    json_t *ovs = json_array();
    for (size_t i = 0; i < sc->no; i++) {
        const csm__override *o = &sc->o[i];
        json_t *oj = json_object();
        json_object_set_new(oj, "name", json_string(o->name));
        json_object_set_new(oj, "input", json_string(sc->inputs[o->input]));
        json_object_set_new(oj, "op", json_string(op_names[o->op]));
        json_object_set_new(oj, "value", num(o->value));
        json_object_set_new(oj, "action", json_string(act_names[o->action]));
        if (o->action == CSM__ACT_CAP)
            json_object_set_new(oj, "score", num(o->amount));
        else if (o->action == CSM__ACT_SUBTRACT)
            json_object_set_new(oj, "points", num(o->amount));
        else
            json_object_set_new(oj, "band", json_string(sc->b[o->band].name));
        json_array_append_new(ovs, oj);
    }
    json_object_set_new(root, "overrides", ovs);
    return root;
}

CSM_API csm_status csm_health_scorecard_to_json(char **out, size_t *len,
                                         const csm_health_scorecard *sc,
                                         csm_error *err) {
    csm_error_clear(err);
    if (!out || !sc)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, !out ? "out" : "sc",
                         "is NULL");
    *out = NULL;
    json_t *root = to_tree(sc);
    char *s = root ? json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER |
                                          JSON_REAL_PRECISION(17))
                   : NULL;
    json_decref(root);
    if (!s)
        return csm__fail(err, CSM_ENOMEM, CSM_NO_ROW, NULL, NULL);
    size_t n = strlen(s);
    char *copy = csm__alloc(A(sc), n + 1);
    if (!copy) {
        free(s);
        return csm__fail(err, CSM_ENOMEM, CSM_NO_ROW, NULL, NULL);
    }
    memcpy(copy, s, n + 1);
    free(s);
    *out = copy;
    if (len)
        *len = n;
    return CSM_OK;
}

CSM_API void csm_health_scorecard_json_free(const csm_health_scorecard *sc, char *json) {
    if (!json)
        return;
    csm__free(sc && sc->has_alloc ? &sc->alloc : NULL, json);
}

/* ---- accessors ---------------------------------------------------------- */
CSM_API size_t csm_health_scorecard_input_count(const csm_health_scorecard *sc) {
    return sc ? sc->ni : 0;
}
CSM_API const char *csm_health_scorecard_input_name(const csm_health_scorecard *sc,
                                             size_t i) {
    return sc && i < sc->ni ? sc->inputs[i] : NULL;
}
CSM_API const char *csm_health_scorecard_input_policy(const csm_health_scorecard *sc,
                                                      size_t i) {
    /* inputs 0 .. nm-1 are the measures, in order; the rest override-only */
    return sc && i < sc->nm ? miss_names[sc->m[i].missing] : NULL;
}
CSM_API size_t csm_health_scorecard_measure_count(const csm_health_scorecard *sc) {
    return sc ? sc->nm : 0;
}
CSM_API const char *csm_health_scorecard_measure_name(const csm_health_scorecard *sc,
                                               size_t i) {
    return sc && i < sc->nm ? sc->m[i].name : NULL;
}
CSM_API size_t csm_health_scorecard_measure_group(const csm_health_scorecard *sc, size_t i) {
    return sc && i < sc->nm ? sc->m[i].group : 0;
}
CSM_API size_t csm_health_scorecard_group_count(const csm_health_scorecard *sc) {
    return sc ? sc->ng : 0;
}
CSM_API const char *csm_health_scorecard_group_name(const csm_health_scorecard *sc,
                                             size_t i) {
    return sc && i < sc->ng ? sc->g[i].name : NULL;
}
CSM_API size_t csm_health_scorecard_band_count(const csm_health_scorecard *sc) {
    return sc ? sc->nb : 0;
}
CSM_API const char *csm_health_scorecard_band_name(const csm_health_scorecard *sc,
                                            size_t i) {
    return sc && i < sc->nb ? sc->b[i].name : NULL;
}
CSM_API size_t csm_health_scorecard_override_count(const csm_health_scorecard *sc) {
    return sc ? sc->no : 0;
}
CSM_API const char *csm_health_scorecard_override_name(const csm_health_scorecard *sc,
                                                size_t i) {
    return sc && i < sc->no ? sc->o[i].name : NULL;
}

CSM_API int csm_health_scorecard_measure_direction(const csm_health_scorecard *sc,
                                                   size_t i) {
    if (!sc || i >= sc->nm)
        return 0;
    const csm__measure *m = &sc->m[i];
    if (m->transform == CSM__T_PIECEWISE) /* the points set the direction */
        return (m->py[m->npts - 1] > m->py[0]) - (m->py[m->npts - 1] < m->py[0]);
    return m->higher ? 1 : -1;
}

CSM_API double csm_health_scorecard_measure_weight(const csm_health_scorecard *sc,
                                                   size_t i) {
    return sc && i < sc->nm ? sc->m[i].weight : NAN;
}

/* The sums of sc's group weights and of group g's measure weights. */
static double group_total(const csm_health_scorecard *sc) {
    double t = 0;
    for (size_t g = 0; g < sc->ng; g++)
        t += sc->g[g].weight;
    return t;
}
static double measure_total(const csm_health_scorecard *sc, size_t g) {
    double t = 0;
    for (size_t k = 0; k < sc->nm; k++)
        if (sc->m[k].group == g)
            t += sc->m[k].weight;
    return t;
}

CSM_API double csm_health_scorecard_measure_share(const csm_health_scorecard *sc,
                                                  size_t i) {
    if (!sc || i >= sc->nm)
        return NAN;
    size_t g = sc->m[i].group; /* both totals > 0: the spec validates them */
    return sc->g[g].weight / group_total(sc) * sc->m[i].weight /
           measure_total(sc, g);
}

CSM_API csm_status csm_health_scorecard_reweight(
    csm_health_scorecard **out, const csm_health_scorecard *sc,
    const double *share, size_t n, const char *name, csm_error *err) {
    csm_error_clear(err);
    if (out)
        *out = NULL;
    if (!out || !sc || !share)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW,
                         !out ? "out" : !sc ? "sc" : "share", "is NULL");
    if (n != sc->nm)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "n",
                         "not the scorecard's number of measures");
    if (name && !*name)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "name", "is empty");
    double total = 0;
    for (size_t k = 0; k < n; k++) {
        if (!isfinite(share[k]) || share[k] < 0)
            return csm__fail(err, CSM_EDOMAIN, k, "share",
                             "must be finite and >= 0");
        total += share[k];
    }
    if (!(total > 0))
        return csm__fail(err, CSM_EDOMAIN, CSM_NO_ROW, "share",
                         "every share is 0");
    json_t *root = to_tree(sc);
    json_t *groups = json_object_get(root, "groups");
    if (!groups || json_array_size(groups) != sc->ng)
        goto oom;
    const double gsum = group_total(sc);
    size_t k = 0; /* measures are stored group by group, in spec order */
    for (size_t g = 0; g < sc->ng; g++) {
        json_t *gj = json_array_get(groups, g);
        json_t *ms = json_object_get(gj, "measures");
        double t = 0, wsum = measure_total(sc, g);
        size_t k0 = k;
        for (; k < sc->nm && sc->m[k].group == g; k++)
            t += share[k];
        if (json_array_size(ms) != k - k0 ||
            json_object_set_new(gj, "weight", json_real(t / total * gsum)))
            goto oom;
        for (size_t q = k0; t > 0 && q < k; q++)
            if (json_object_set_new(json_array_get(ms, q - k0), "weight",
                                    json_real(share[q] / t * wsum)))
                goto oom;
    }
    if (name) {
        json_t *nj = json_string(name);
        if (!nj) {
            json_decref(root);
            return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "name",
                             "is not UTF-8 text");
        }
        if (json_object_set_new(root, "name", nj))
            goto oom;
    }
    csm_status st = from_tree(out, root, A(sc), err);
    json_decref(root);
    return st;
oom:
    json_decref(root);
    return csm__fail(err, CSM_ENOMEM, CSM_NO_ROW, NULL, NULL);
}
