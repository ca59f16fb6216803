/* health.c - weighted health scorecards read from JSON (Debian's
 * libjansson), scored in batch with per-measure explanations. */
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csmetrics/health.h"
#include "internal/table.h"
#include "internal/util.h"

enum { T_LINEAR, T_PIECEWISE, T_PERCENTILE, T_BOOLEAN };
enum { MISS_RENORMALIZE, MISS_ZERO, MISS_FAIL };
enum { OP_LT, OP_LE, OP_GT, OP_GE, OP_EQ, OP_NE };
enum { ACT_CAP, ACT_SUBTRACT, ACT_BAND };
enum { AGG_WEIGHTED, AGG_WORST };

static const char *const t_names[] = {"linear", "piecewise", "percentile",
                                      "boolean"};
static const char *const miss_names[] = {"renormalize", "zero", "fail"};
static const char *const op_names[] = {"<", "<=", ">", ">=", "==", "!="};
static const char *const act_names[] = {"cap", "subtract", "band"};
static const char *const agg_names[] = {"weighted_average", "worst_of"};

typedef struct {
    char *name;
    double weight;
    int higher;
    int transform;
    double lo, hi;
    size_t npts;
    double *px, *py;
    int missing;
    size_t group;
} measure;

typedef struct {
    char *name;
    double weight;
} group;

typedef struct {
    char *name;
    double min;
} band;

typedef struct {
    char *name;
    size_t input;
    int op;
    double value;
    int action;
    double amount; /* cap score or subtracted points */
    size_t band;
} override;

struct csm_scorecard {
    csm_allocator alloc;
    int has_alloc;
    char *name;
    int aggregation;
    int missing_default;
    int round; /* decimals, -1 = none */
    size_t nm, ng, nb, no, ni;
    measure *m;
    group *g;
    band *b;
    override *o;
    char **inputs; /* ni names (borrowed from measures or owned) */
    char **extra;  /* owned names of override-only inputs (ni - nm) */
};

#define A(sc) ((sc)->has_alloc ? &(sc)->alloc : NULL)

static char *sdup(const csm_scorecard *sc, const char *s) {
    size_t n = strlen(s) + 1;
    char *p = csm__alloc(A(sc), n);
    if (p)
        memcpy(p, s, n);
    return p;
}

CSM_API void csm_scorecard_free(csm_scorecard *sc) {
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

/* Check that obj has only the allowed keys. */
static csm_status only_keys(vctx *v, json_t *obj, const char *const *allowed) {
    const char *key;
    json_t *val;
    json_object_foreach(obj, key, val) {
        int ok = 0;
        for (const char *const *a = allowed; *a; a++)
            if (strcmp(*a, key) == 0)
                ok = 1;
        if (!ok) {
            size_t n = push_key(v, key);
            csm_status st = vfail(v, CSM_EINVAL, "unknown key");
            pop(v, n);
            return st;
        }
    }
    return CSM_OK;
}

static csm_status get_string(vctx *v, json_t *obj, const char *key,
                             const char *dflt, const char **out) {
    json_t *j = json_object_get(obj, key);
    if (!j) {
        if (!dflt) {
            size_t n = push_key(v, key);
            csm_status st = vfail(v, CSM_EINVAL, "is required");
            pop(v, n);
            return st;
        }
        *out = dflt;
        return CSM_OK;
    }
    if (!json_is_string(j) || json_string_length(j) == 0) {
        size_t n = push_key(v, key);
        csm_status st = vfail(v, CSM_EINVAL, "must be a non-empty string");
        pop(v, n);
        return st;
    }
    *out = json_string_value(j);
    return CSM_OK;
}

static csm_status get_number(vctx *v, json_t *obj, const char *key,
                             int required, double dflt, double *out) {
    json_t *j = json_object_get(obj, key);
    if (!j) {
        if (required) {
            size_t n = push_key(v, key);
            csm_status st = vfail(v, CSM_EINVAL, "is required");
            pop(v, n);
            return st;
        }
        *out = dflt;
        return CSM_OK;
    }
    if (!json_is_number(j) || !isfinite(json_number_value(j))) {
        size_t n = push_key(v, key);
        csm_status st = vfail(v, CSM_EINVAL, "must be a number");
        pop(v, n);
        return st;
    }
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
        if (dflt < 0) {
            size_t k = push_key(v, key);
            csm_status st = vfail(v, CSM_EINVAL, "is required");
            pop(v, k);
            return st;
        }
        *out = dflt;
        return CSM_OK;
    }
    int i = json_is_string(j) ? lookup(json_string_value(j), names, n) : -1;
    if (i < 0) {
        size_t k = push_key(v, key);
        char opts[160] = "";
        for (int t = 0; t < n; t++) {
            strncat(opts, t ? ", " : "", sizeof opts - strlen(opts) - 1);
            strncat(opts, names[t], sizeof opts - strlen(opts) - 1);
        }
        csm_status st = vfail(v, CSM_EINVAL, "must be one of %s", opts);
        pop(v, k);
        return st;
    }
    *out = i;
    return CSM_OK;
}

static csm_status parse_measure(vctx *v, csm_scorecard *sc, json_t *j,
                                measure *m, size_t gi) {
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
        if (strcmp(sc->m[i].name, name) == 0) {
            size_t n = push_key(v, "name");
            st = vfail(v, CSM_EINVAL, "duplicate measure name '%s'", name);
            pop(v, n);
            return st;
        }
    if ((st = get_number(v, j, "weight", 0, 1.0, &m->weight)) != CSM_OK)
        return st;
    if (m->weight < 0) {
        size_t n = push_key(v, "weight");
        st = vfail(v, CSM_EINVAL, "must be >= 0");
        pop(v, n);
        return st;
    }
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
        (st = get_enum(v, t, "type", -1, t_names, 4, &m->transform)) != CSM_OK) {
        pop(v, n0);
        return st;
    }
    if (m->transform == T_LINEAR) {
        if ((st = get_number(v, t, "min", 1, 0, &m->lo)) != CSM_OK ||
            (st = get_number(v, t, "max", 1, 0, &m->hi)) != CSM_OK) {
            pop(v, n0);
            return st;
        }
        if (!(m->hi > m->lo)) {
            size_t n = push_key(v, "max");
            st = vfail(v, CSM_EINVAL, "must be greater than min");
            pop(v, n);
            pop(v, n0);
            return st;
        }
    } else if (m->transform == T_PIECEWISE) {
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

static long input_index(const csm_scorecard *sc, const char *name) {
    for (size_t i = 0; i < sc->ni; i++)
        if (strcmp(sc->inputs[i], name) == 0)
            return (long)i;
    return -1;
}

static csm_status parse(csm_scorecard *sc, json_t *root, vctx *v) {
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
    if ((st = get_enum(v, root, "aggregation", AGG_WEIGHTED, agg_names, 2,
                       &sc->aggregation)) != CSM_OK ||
        (st = get_enum(v, root, "missing", MISS_RENORMALIZE, miss_names, 3,
                       &sc->missing_default)) != CSM_OK)
        return st;
    json_t *r = json_object_get(root, "round");
    sc->round = -1;
    if (r && !json_is_null(r)) {
        if (!json_is_integer(r) || json_integer_value(r) < 0 ||
            json_integer_value(r) > 6) {
            size_t n = push_key(v, "round");
            st = vfail(v, CSM_EINVAL, "must be an integer 0..6 or null");
            pop(v, n);
            return st;
        }
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
                size_t nm = push_key(v, "min");
                st = vfail(v, CSM_EINVAL,
                           "band cut points must increase");
                pop(v, nm);
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
                size_t nw = push_key(v, "weight");
                st = vfail(v, CSM_EINVAL, "must be >= 0");
                pop(v, nw);
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
        override *ov = &sc->o[i];
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
            if (ov->action == ACT_CAP) {
                if ((st = get_number(v, oj, "score", 1, 0, &ov->amount)) ==
                        CSM_OK &&
                    (ov->amount < 0 || ov->amount > 100)) {
                    size_t ns = push_key(v, "score");
                    st = vfail(v, CSM_EINVAL, "must be in 0..100");
                    pop(v, ns);
                }
            } else if (ov->action == ACT_SUBTRACT) {
                if ((st = get_number(v, oj, "points", 1, 0, &ov->amount)) ==
                        CSM_OK &&
                    ov->amount < 0) {
                    size_t ns = push_key(v, "points");
                    st = vfail(v, CSM_EINVAL, "must be >= 0");
                    pop(v, ns);
                }
            } else {
                const char *bn;
                if ((st = get_string(v, oj, "band", NULL, &bn)) == CSM_OK) {
                    long bi = -1;
                    for (size_t b = 0; b < sc->nb; b++)
                        if (strcmp(sc->b[b].name, bn) == 0)
                            bi = (long)b;
                    if (bi < 0) {
                        size_t ns = push_key(v, "band");
                        st = vfail(v, CSM_EINVAL, "no band named '%s'", bn);
                        pop(v, ns);
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

CSM_API csm_status csm_scorecard_from_json(csm_scorecard **out,
                                           const char *json, size_t len,
                                           const csm_allocator *a,
                                           csm_error *err) {
    csm_error_clear(err);
    if (!out)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "out", "is NULL");
    *out = NULL;
    if (!json)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "json", "is NULL");
    csm_status ast = csm__alloc_check(a, "allocator", err);
    if (ast != CSM_OK)
        return ast;
    json_error_t je;
    json_t *root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &je);
    if (!root) {
        char where[48];
        snprintf(where, sizeof where, "line %d, column %d", je.line,
                 je.column);
        return csm__failf(err, CSM_EPARSE, CSM_NO_ROW, "json",
                          "malformed JSON", where, "%s", je.text);
    }
    csm_scorecard *sc = csm__alloc(a, sizeof *sc);
    if (!sc) {
        json_decref(root);
        return csm__fail(err, CSM_ENOMEM, CSM_NO_ROW, NULL, NULL);
    }
    memset(sc, 0, sizeof *sc);
    if (a) {
        sc->alloc = *a;
        sc->has_alloc = 1;
    }
    vctx v;
    v.err = err;
    snprintf(v.path, sizeof v.path, "$");
    csm_status st = parse(sc, root, &v);
    json_decref(root);
    if (st != CSM_OK) {
        csm_scorecard_free(sc);
        return st;
    }
    *out = sc;
    return CSM_OK;
}

/* ---- writing ------------------------------------------------------------ */
static json_t *num(double x) { return json_real(x); }

CSM_API csm_status csm_scorecard_to_json(char **out, size_t *len,
                                         const csm_scorecard *sc,
                                         csm_error *err) {
    csm_error_clear(err);
    if (!out || !sc)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, !out ? "out" : "sc",
                         "is NULL");
    *out = NULL;
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
            const measure *m = &sc->m[i];
            if (m->group != gi)
                continue;
            json_t *mj = json_object();
            json_object_set_new(mj, "name", json_string(m->name));
            json_object_set_new(mj, "weight", num(m->weight));
            json_object_set_new(mj, "direction",
                                json_string(m->higher ? "higher" : "lower"));
            json_t *t = json_object();
            json_object_set_new(t, "type", json_string(t_names[m->transform]));
            if (m->transform == T_LINEAR) {
                json_object_set_new(t, "min", num(m->lo));
                json_object_set_new(t, "max", num(m->hi));
            } else if (m->transform == T_PIECEWISE) {
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
        const override *o = &sc->o[i];
        json_t *oj = json_object();
        json_object_set_new(oj, "name", json_string(o->name));
        json_object_set_new(oj, "input", json_string(sc->inputs[o->input]));
        json_object_set_new(oj, "op", json_string(op_names[o->op]));
        json_object_set_new(oj, "value", num(o->value));
        json_object_set_new(oj, "action", json_string(act_names[o->action]));
        if (o->action == ACT_CAP)
            json_object_set_new(oj, "score", num(o->amount));
        else if (o->action == ACT_SUBTRACT)
            json_object_set_new(oj, "points", num(o->amount));
        else
            json_object_set_new(oj, "band", json_string(sc->b[o->band].name));
        json_array_append_new(ovs, oj);
    }
    json_object_set_new(root, "overrides", ovs);
    char *s = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER |
                                   JSON_REAL_PRECISION(17));
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

CSM_API void csm_scorecard_json_free(const csm_scorecard *sc, char *json) {
    if (!json)
        return;
    csm__free(sc && sc->has_alloc ? &sc->alloc : NULL, json);
}

/* ---- accessors ---------------------------------------------------------- */
CSM_API size_t csm_scorecard_input_count(const csm_scorecard *sc) {
    return sc ? sc->ni : 0;
}
CSM_API const char *csm_scorecard_input_name(const csm_scorecard *sc,
                                             size_t i) {
    return sc && i < sc->ni ? sc->inputs[i] : NULL;
}
CSM_API size_t csm_scorecard_measure_count(const csm_scorecard *sc) {
    return sc ? sc->nm : 0;
}
CSM_API const char *csm_scorecard_measure_name(const csm_scorecard *sc,
                                               size_t i) {
    return sc && i < sc->nm ? sc->m[i].name : NULL;
}
CSM_API size_t csm_scorecard_measure_group(const csm_scorecard *sc, size_t i) {
    return sc && i < sc->nm ? sc->m[i].group : 0;
}
CSM_API size_t csm_scorecard_group_count(const csm_scorecard *sc) {
    return sc ? sc->ng : 0;
}
CSM_API const char *csm_scorecard_group_name(const csm_scorecard *sc,
                                             size_t i) {
    return sc && i < sc->ng ? sc->g[i].name : NULL;
}
CSM_API size_t csm_scorecard_band_count(const csm_scorecard *sc) {
    return sc ? sc->nb : 0;
}
CSM_API const char *csm_scorecard_band_name(const csm_scorecard *sc,
                                            size_t i) {
    return sc && i < sc->nb ? sc->b[i].name : NULL;
}
CSM_API size_t csm_scorecard_override_count(const csm_scorecard *sc) {
    return sc ? sc->no : 0;
}
CSM_API const char *csm_scorecard_override_name(const csm_scorecard *sc,
                                                size_t i) {
    return sc && i < sc->no ? sc->o[i].name : NULL;
}

/* ---- scoring ------------------------------------------------------------ */
#define COL(m, n, ty, st, r, d) CSM__COLDEF(csm_health, m, n, ty, st, r, d)
static const csm__coldef health_cols[] = {CSM_HEALTH_COLUMNS(COL)};
static const csm__coldef measure_cols[] = {CSM_HEALTH_MEASURES_COLUMNS(COL)};
static const csm__coldef group_cols[] = {CSM_HEALTH_GROUPS_COLUMNS(COL)};
#undef COL

CSM_API void csm_health_free(csm_health *h) {
    if (h)
        csm_result_free(h->result);
}

/* Bytes of the result's text pool: one copy of every band, override,
 * measure and group name (the text columns point into it). */
static size_t name_bytes(const csm_scorecard *sc) {
    size_t b = 0;
    for (size_t i = 0; i < sc->nb; i++)
        b += strlen(sc->b[i].name) + 1;
    for (size_t i = 0; i < sc->no; i++)
        b += strlen(sc->o[i].name) + 1;
    for (size_t i = 0; i < sc->nm; i++)
        b += strlen(sc->m[i].name) + 1;
    for (size_t i = 0; i < sc->ng; i++)
        b += strlen(sc->g[i].name) + 1;
    return b;
}

typedef struct {
    double v;
    size_t i;
} vi;

static int cmp_vi(const void *x, const void *y) {
    const vi *a = x, *b = y;
    if (a->v != b->v)
        return a->v < b->v ? -1 : 1;
    return (a->i > b->i) - (a->i < b->i);
}

static double transform(const measure *m, double x) {
    switch (m->transform) {
    case T_LINEAR: {
        double t = (x - m->lo) / (m->hi - m->lo);
        t = t < 0 ? 0 : t > 1 ? 1 : t;
        return 100.0 * (m->higher ? t : 1.0 - t);
    }
    case T_PIECEWISE: {
        if (x <= m->px[0])
            return m->py[0];
        if (x >= m->px[m->npts - 1])
            return m->py[m->npts - 1];
        size_t k = 1;
        while (x > m->px[k])
            k++;
        double t = (x - m->px[k - 1]) / (m->px[k] - m->px[k - 1]);
        return m->py[k - 1] + t * (m->py[k] - m->py[k - 1]);
    }
    case T_BOOLEAN:
        return (x != 0.0) == (m->higher != 0) ? 100.0 : 0.0;
    default:
        return NAN; /* percentile: computed over the population */
    }
}

static int test_op(int op, double x, double v) {
    switch (op) {
    case OP_LT:
        return x < v;
    case OP_LE:
        return x <= v;
    case OP_GT:
        return x > v;
    case OP_GE:
        return x >= v;
    case OP_EQ:
        return x == v;
    default:
        return x != v;
    }
}

CSM_API csm_status csm_scorecard_score(csm_health **out,
                                       const csm_scorecard *sc,
                                       const double *values, size_t n,
                                       const double *prev_score,
                                       const int32_t *prev_band,
                                       csm_error *err) {
    csm_error_clear(err);
    if (!out)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "out", "is NULL");
    *out = NULL;
    if (!sc)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "scorecard", "is NULL");
    if (n > 0 && !values)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "values",
                         "array is NULL while n_accounts > 0");
    const size_t ni = sc->ni, nm = sc->nm, ng = sc->ng;
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < ni; k++)
            if (isinf(values[i * ni + k])) {
                char where[96];
                snprintf(where, sizeof where, "input '%.80s'",
                         sc->inputs[k]);
                return csm__failf(err, CSM_EDOMAIN, i, "values",
                                  "values must be finite or NaN (missing)",
                                  where, NULL);
            }
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < nm; k++)
            if (sc->m[k].missing == MISS_FAIL && isnan(values[i * ni + k])) {
                char where[96];
                snprintf(where, sizeof where, "measure '%.80s'",
                         sc->m[k].name);
                return csm__failf(err, CSM_EMISSING, i, "values",
                                  "a required measure is missing", where,
                                  "the measure is missing and its policy "
                                  "is 'fail'");
            }
    if ((nm && n > SIZE_MAX / nm) || (ng && n > SIZE_MAX / ng))
        return csm__fail(err, CSM_ENOMEM, CSM_NO_ROW, NULL,
                         "n_accounts x measures overflows");
    const csm_allocator *a = A(sc);
    const csm__tabspec tabs[] = {
        {"health", health_cols, CSM__NCOLS(health_cols), n},
        {"health_measures", measure_cols, CSM__NCOLS(measure_cols), n * nm},
        {"health_groups", group_cols, CSM__NCOLS(group_cols), n * ng}};
    /* movers: at most n entries (n_movers says how many) */
    const csm__extra movers_extra = {offsetof(csm_health, movers), n,
                                     sizeof(size_t)};
    csm_health *h = csm__result_new(a, "health", sizeof *h, tabs,
                                    CSM__NCOLS(tabs), &movers_extra, 1,
                                    name_bytes(sc));
    vi *tmp = csm__alloc_array(a, n, sizeof *tmp);
    /* the pool's copies of the band names, then the override names */
    const char **names = csm__alloc_array(a, sc->nb + sc->no, sizeof *names);
    if (!h || !tmp || !names) {
        csm_health_free(h);
        csm__free(a, tmp);
        csm__free(a, names);
        return csm__fail(err, CSM_ENOMEM, CSM_NO_ROW, NULL, NULL);
    }
    h->n_rows = n;
    h->n_accounts = n;
    h->n_measures = nm;
    h->n_groups = ng;
    /* the pool is sized by name_bytes: no copy can fail */
    for (size_t b = 0; b < sc->nb; b++)
        names[b] = csm__result_text(h, sc->b[b].name);
    for (size_t o = 0; o < sc->no; o++)
        names[sc->nb + o] = csm__result_text(h, sc->o[o].name);
    const char **band_names = names, **override_names = names + sc->nb;
    /* key columns of the long tables; the name of measure k (group g) is
     * copied once, and every account's row points to that copy */
    for (size_t k = 0; k < nm; k++) {
        const char *mn = csm__result_text(h, sc->m[k].name);
        for (size_t i = 0; i < n; i++) {
            h->measure_account[i * nm + k] = (int64_t)i;
            h->measure_index[i * nm + k] = (int32_t)k;
            h->measure_name[i * nm + k] = mn;
        }
    }
    for (size_t g = 0; g < ng; g++) {
        const char *gn = csm__result_text(h, sc->g[g].name);
        for (size_t i = 0; i < n; i++) {
            h->group_account[i * ng + g] = (int64_t)i;
            h->group_index[i * ng + g] = (int32_t)g;
            h->group_name[i * ng + g] = gn;
        }
    }
    /* measure scores (percentiles over the present values: mid-rank) */
    for (size_t k = 0; k < nm; k++) {
        const measure *m = &sc->m[k];
        if (m->transform != T_PERCENTILE) {
            for (size_t i = 0; i < n; i++) {
                double x = values[i * ni + k];
                h->measure_score[i * nm + k] = isnan(x) ? NAN : transform(m, x);
            }
            continue;
        }
        size_t cnt = 0;
        for (size_t i = 0; i < n; i++) {
            h->measure_score[i * nm + k] = NAN;
            if (!isnan(values[i * ni + k])) {
                tmp[cnt].v = values[i * ni + k];
                tmp[cnt].i = i;
                cnt++;
            }
        }
        qsort(tmp, cnt, sizeof *tmp, cmp_vi);
        for (size_t s = 0; s < cnt;) {
            size_t e = s;
            while (e < cnt && tmp[e].v == tmp[s].v)
                e++;
            double p = 100.0 * ((double)s + 0.5 * (double)(e - s)) / (double)cnt;
            for (size_t q = s; q < e; q++)
                h->measure_score[tmp[q].i * nm + k] = m->higher ? p : 100.0 - p;
            s = e;
        }
    }
    csm__free(a, tmp);
    size_t movers = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t fl = 0;
        double *ms = &h->measure_score[i * nm];
        double *ct = &h->contribution[i * nm];
        double *wt = &h->weight[i * nm];
        double *gc = &h->group_contribution[i * ng];
        for (size_t k = 0; k < nm; k++) {
            if (isnan(ms[k]) && sc->m[k].missing == MISS_ZERO)
                ms[k] = 0.0;
            ct[k] = 0.0;
            wt[k] = 0.0;
        }
        for (size_t g = 0; g < ng; g++)
            gc[g] = 0.0;
        double raw = NAN;
        if (sc->aggregation == AGG_WORST) {
            long worst = -1;
            for (size_t k = 0; k < nm; k++)
                if (!isnan(ms[k]) && sc->m[k].weight > 0 &&
                    sc->g[sc->m[k].group].weight > 0 &&
                    (worst < 0 || ms[k] < ms[worst]))
                    worst = (long)k;
            if (worst >= 0) {
                raw = ms[worst];
                ct[worst] = raw;
                wt[worst] = 1.0;
                gc[sc->m[worst].group] = raw;
            }
        } else {
            /* present weight per group, then over groups */
            double gw_sum = 0;
            for (size_t g = 0; g < ng; g++) {
                double w = 0;
                for (size_t k = 0; k < nm; k++)
                    if (sc->m[k].group == g && !isnan(ms[k]))
                        w += sc->m[k].weight;
                if (w > 0)
                    gw_sum += sc->g[g].weight;
            }
            if (gw_sum > 0) {
                csm__ksum tot = {0, 0};
                for (size_t g = 0; g < ng; g++) {
                    double w = 0;
                    for (size_t k = 0; k < nm; k++)
                        if (sc->m[k].group == g && !isnan(ms[k]))
                            w += sc->m[k].weight;
                    if (!(w > 0))
                        continue;
                    double gshare = sc->g[g].weight / gw_sum;
                    for (size_t k = 0; k < nm; k++) {
                        if (sc->m[k].group != g || isnan(ms[k]))
                            continue;
                        wt[k] = gshare * (sc->m[k].weight / w);
                        ct[k] = wt[k] * ms[k];
                        gc[g] += ct[k];
                        csm__ksum_add(&tot, ct[k]);
                    }
                }
                raw = csm__ksum_value(&tot);
            }
        }
        h->raw_score[i] = raw;
        double score = raw;
        int32_t forced = -1, first = -1;
        uint32_t mask = 0;
        for (size_t o = 0; o < sc->no; o++) {
            const override *ov = &sc->o[o];
            double x = values[i * ni + ov->input];
            if (isnan(x) || !test_op(ov->op, x, ov->value))
                continue;
            mask |= 1u << o;
            if (first < 0)
                first = (int32_t)o;
            if (ov->action == ACT_CAP) {
                if (!isnan(score) && score > ov->amount)
                    score = ov->amount;
            } else if (ov->action == ACT_SUBTRACT) {
                if (!isnan(score))
                    score = score - ov->amount < 0 ? 0 : score - ov->amount;
            } else {
                forced = (int32_t)ov->band;
            }
        }
        if (!isnan(score) && sc->round >= 0) {
            double f = pow(10.0, sc->round);
            score = round(score * f) / f;
        }
        int32_t b = -1;
        if (!isnan(score)) {
            b = 0;
            for (size_t q = 0; q < sc->nb; q++)
                if (score >= sc->b[q].min)
                    b = (int32_t)q;
        } else {
            fl |= CSM_FLAG_EMPTY;
        }
        if (forced >= 0)
            b = forced;
        h->account[i] = (int64_t)i;
        h->score[i] = score;
        h->band[i] = b;
        h->band_name[i] = b >= 0 ? band_names[b] : NULL;
        h->override_index[i] = first;
        h->override_name[i] = first >= 0 ? override_names[first] : NULL;
        h->override_mask[i] = mask;
        h->change[i] = prev_score ? score - prev_score[i] : NAN;
        h->moved[i] = prev_band && prev_band[i] >= 0 && b >= 0 &&
                      prev_band[i] != b;
        if (h->moved[i])
            h->movers[movers++] = i;
        h->flags[i] = fl;
    }
    h->n_movers = movers;
    csm__free(a, names);
    *out = h;
    return CSM_OK;
}

/* ==== band distribution and the accounts most at risk ====================== */
#define BCOL(m, n, ty, st, r, d) CSM__COLDEF(csm_health_bands, m, n, ty, st, r, d)
static const csm__coldef bands_cols[] = {CSM_HEALTH_BANDS_COLUMNS(BCOL)};
#undef BCOL
#define RCOL(m, n, ty, st, r, d) CSM__COLDEF(csm_health_risks, m, n, ty, st, r, d)
static const csm__coldef risk_cols[] = {CSM_HEALTH_RISK_COLUMNS(RCOL)};
static const csm__coldef reason_cols[] = {CSM_HEALTH_REASON_COLUMNS(RCOL)};
#undef RCOL

CSM__DEFINE_OPTS_INIT(csm_health_risk_opts_init, csm_health_risk_opts,
                      CSM_HEALTH_RISK_OPTS_INIT)

CSM_API void csm_health_bands_free(csm_health_bands *b) {
    csm_result_free(b ? b->result : NULL);
}

CSM_API void csm_health_risks_free(csm_health_risks *r) {
    csm_result_free(r ? r->result : NULL);
}

CSM_API csm_status csm_health_bands_compute(csm_health_bands **out,
                                            const csm_health *h,
                                            const csm_scorecard *sc,
                                            const double *mrr,
                                            const csm_allocator *alloc,
                                            csm_error *err) {
    csm_error_clear(err);
    if (!out)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "out", "is NULL");
    *out = NULL;
    if (!h)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "h", "is NULL");
    if (!sc)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "sc", "is NULL");
    csm_status ast = csm__alloc_check(alloc, "alloc", err);
    if (ast != CSM_OK)
        return ast;
    const size_t nb = csm_scorecard_band_count(sc);
    size_t text = 0;
    for (size_t b = 0; b < nb; b++)
        text += strlen(csm_scorecard_band_name(sc, b)) + 1;
    for (size_t i = 0; i < h->n_accounts; i++) {
        if (h->band[i] < -1 || h->band[i] >= (int32_t)nb)
            return csm__fail(err, CSM_EINVAL, i, "band",
                             "a band the scorecard does not have");
        if (mrr && isinf(mrr[i]))
            return csm__fail(err, CSM_EDOMAIN, i, "mrr",
                             "MRR must be finite (or NaN: unknown)");
    }
    const csm__tabspec tab = {"health_bands", bands_cols,
                              CSM__NCOLS(bands_cols), nb};
    csm_health_bands *t =
        csm__result_new(alloc, "health_bands", sizeof *t, &tab, 1, NULL, 0,
                        text);
    if (!t)
        return csm__fail(err, CSM_ENOMEM, CSM_NO_ROW, NULL, NULL);
    t->n_rows = nb;
    for (size_t i = 0; i < h->n_accounts; i++)
        t->n_scored += h->band[i] >= 0;
    t->n_unscored = h->n_accounts - t->n_scored;
    for (size_t r = 0; r < nb; r++) {
        const int32_t b = (int32_t)(nb - 1 - r); /* the best band first */
        int64_t cnt = 0;
        csm__ksum m = {0, 0};
        for (size_t i = 0; i < h->n_accounts; i++)
            if (h->band[i] == b) {
                cnt++;
                if (mrr && !isnan(mrr[i]))
                    csm__ksum_add(&m, mrr[i]);
            }
        t->band[r] = b;
        t->band_name[r] = csm__result_text(t, csm_scorecard_band_name(sc, (size_t)b));
        t->accounts[r] = cnt;
        t->share[r] = t->n_scored ? (double)cnt / (double)t->n_scored : NAN;
        t->mrr[r] = csm__ksum_value(&m);
    }
    *out = t;
    return CSM_OK;
}

typedef struct {
    const csm_health *h;
    const double *mrr;
} risk_ctx;

/* mrr for ordering: NaN sorts last (as -infinity in "descending") */
static double risk_mrr(const double *mrr, size_t i) {
    return mrr && !isnan(mrr[i]) ? mrr[i] : -INFINITY;
}

static int risk_before(const risk_ctx *c, size_t p, size_t q) {
    double sp = c->h->score[p], sq = c->h->score[q];
    if (sp != sq)
        return sp < sq;
    double mp = risk_mrr(c->mrr, p), mq = risk_mrr(c->mrr, q);
    if (mp != mq)
        return mp > mq;
    return p < q;
}

/* merge sort of idx[0, n) by risk_before (stable, O(n log n)) */
static void risk_sort(const risk_ctx *c, size_t *idx, size_t *tmp, size_t n) {
    if (n < 2)
        return;
    size_t h = n / 2;
    risk_sort(c, idx, tmp, h);
    risk_sort(c, idx + h, tmp, n - h);
    size_t i = 0, j = h, k = 0;
    while (i < h && j < n)
        tmp[k++] = risk_before(c, idx[j], idx[i]) ? idx[j++] : idx[i++];
    while (i < h)
        tmp[k++] = idx[i++];
    while (j < n)
        tmp[k++] = idx[j++];
    memcpy(idx, tmp, n * sizeof *idx);
}

#define MAX_REASONS 8

/* The (at most n, <= MAX_REASONS) measures that cost account i the most
 * points, points = weight x (100 - measure score), most first, ties in
 * the spec's order: their indices in top[] and points in pts[]; returns
 * how many (measures without a score or weight, or costing nothing, are
 * not reasons). */
static size_t top_reasons(size_t *top, double *pts, const csm_health *h,
                          size_t i, size_t n) {
    const size_t nm = h->n_measures;
    size_t k = 0;
    for (size_t m = 0; m < nm; m++) {
        double w = h->weight[i * nm + m], s = h->measure_score[i * nm + m];
        if (isnan(s) || !(w > 0))
            continue;
        double p = w * (100 - s);
        if (!(p > 0))
            continue;
        /* insert among the kept, most points first (ties: spec order) */
        size_t j = k < n ? k++ : n;
        while (j > 0 && pts[j - 1] < p) {
            if (j < n) {
                pts[j] = pts[j - 1];
                top[j] = top[j - 1];
            }
            j--;
        }
        if (j < n) {
            pts[j] = p;
            top[j] = m;
        }
    }
    return k;
}


CSM_API csm_status csm_health_at_risk(csm_health_risks **out,
                                      const csm_health *h,
                                      const int64_t *account_id,
                                      const double *mrr,
                                      const csm_health_risk_opts *opts,
                                      csm_error *err) {
    csm_error_clear(err);
    if (!out)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "out", "is NULL");
    *out = NULL;
    if (!h)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "h", "is NULL");
    csm_health_risk_opts o = CSM_HEALTH_RISK_OPTS_INIT;
    csm_status st = csm__opts_load(&o, sizeof o, opts, err);
    if (st != CSM_OK)
        return st;
    if (o.n_reasons > MAX_REASONS)
        return csm__fail(err, CSM_EINVAL, CSM_NO_ROW, "opts.n_reasons",
                         "at most 8 reasons");
    const csm_allocator *a = o.allocator;
    st = csm__alloc_check(a, "opts.allocator", err);
    if (st != CSM_OK)
        return st;
    const size_t n = h->n_accounts, nm = h->n_measures;
    size_t ns = 0;
    for (size_t i = 0; i < n; i++)
        ns += !isnan(h->score[i]);
    size_t *idx = csm__alloc_array(a, ns ? 2 * ns : 1, sizeof *idx);
    if (!idx)
        return csm__fail(err, CSM_ENOMEM, CSM_NO_ROW, NULL, NULL);
    ns = 0;
    for (size_t i = 0; i < n; i++)
        if (!isnan(h->score[i]))
            idx[ns++] = i;
    const risk_ctx rc = {h, mrr};
    risk_sort(&rc, idx, idx + ns, ns);
    const size_t nr = o.top_n && o.top_n < ns ? o.top_n : ns;
    /* the reasons of each listed account, and the text sizes */
    size_t nreason = 0, text = 0;
    for (size_t r = 0; r < nr; r++) {
        const size_t i = idx[r];
        size_t top[MAX_REASONS];
        double pts[MAX_REASONS];
        size_t k = top_reasons(top, pts, h, i, o.n_reasons);
        nreason += k;
        for (size_t j = 0; j < k; j++)
            text += strlen(h->measure_name[i * nm + top[j]]) * 2 + 40;
        if (h->override_name[i])
            text += strlen(h->override_name[i]) + 16;
        if (h->band_name[i])
            text += strlen(h->band_name[i]) + 1;
        text += 1;
    }
    const csm__tabspec tabs[2] = {
        {"health_at_risk", risk_cols, CSM__NCOLS(risk_cols), nr},
        {"health_reasons", reason_cols, CSM__NCOLS(reason_cols), nreason}};
    csm_health_risks *t =
        csm__result_new(a, "health_at_risk", sizeof *t, tabs, 2, NULL, 0, text);
    if (!t) {
        csm__free(a, idx);
        return csm__fail(err, CSM_ENOMEM, CSM_NO_ROW, NULL, NULL);
    }
    t->n_rows = nr;
    t->n_reason_rows = nreason;
    size_t q = 0;
    char buf[64 * (MAX_REASONS + 1)];
    for (size_t r = 0; r < nr; r++) {
        const size_t i = idx[r];
        t->rank[r] = (int32_t)(r + 1);
        t->risk_account[r] = (int64_t)i;
        t->account_id[r] = account_id ? account_id[i] : (int64_t)i;
        t->risk_score[r] = h->score[i];
        t->risk_band[r] = h->band[i];
        t->risk_band_name[r] =
            h->band_name[i] ? csm__result_text(t, h->band_name[i]) : NULL;
        t->risk_mrr[r] = mrr ? mrr[i] : NAN;
        size_t top[MAX_REASONS];
        double pts[MAX_REASONS];
        size_t k = top_reasons(top, pts, h, i, o.n_reasons);
        size_t len = 0;
        buf[0] = '\0';
        for (size_t j = 0; j < k; j++, q++) {
            const char *name = h->measure_name[i * nm + top[j]];
            t->reason_rank[q] = (int32_t)(r + 1);
            t->reason[q] = (int32_t)(j + 1);
            t->reason_measure[q] = (int32_t)top[j];
            t->reason_name[q] = csm__result_text(t, name);
            t->points[q] = pts[j];
            if (len < sizeof buf)
                len += (size_t)snprintf(buf + len, sizeof buf - len,
                                        "%s%.40s -%.1f", j ? "; " : "", name,
                                        pts[j]);
        }
        if (h->override_name[i] && len < sizeof buf)
            snprintf(buf + len, sizeof buf - len, "%soverride: %.40s",
                     len ? "; " : "", h->override_name[i]);
        t->top_reasons[r] = csm__result_text(t, buf);
    }
    csm__free(a, idx);
    *out = t;
    return CSM_OK;
}
