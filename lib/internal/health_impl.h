/* The scorecard's internal layout, shared by health_spec.c (the JSON spec:
 * parse, validate, write back, accessors, free) and health_score.c (the
 * scores, bands and accounts at risk).  Not installed, not exported.
 * The spec's format: docs/health-scores.md. */
#ifndef CSM_INTERNAL_HEALTH_IMPL_H
#define CSM_INTERNAL_HEALTH_IMPL_H

#include "csmetrics/health.h"
#include "internal/util.h"

/* A measure's "transform.type": how its value becomes a 0..100 score. */
enum { CSM__T_LINEAR, CSM__T_PIECEWISE, CSM__T_PERCENTILE, CSM__T_BOOLEAN };
/* A measure's "missing" policy: renormalize the weights over the present
 * measures, score 0, or fail the call. */
enum { CSM__MISS_RENORMALIZE, CSM__MISS_ZERO, CSM__MISS_FAIL };
/* An override's "op": input op value. */
enum { CSM__OP_LT, CSM__OP_LE, CSM__OP_GT, CSM__OP_GE, CSM__OP_EQ, CSM__OP_NE };
/* An override's "action": cap the score, subtract points, force a band. */
enum { CSM__ACT_CAP, CSM__ACT_SUBTRACT, CSM__ACT_BAND };
/* The scorecard's "aggregation": weighted average or worst measure. */
enum { CSM__AGG_WEIGHTED, CSM__AGG_WORST };

/* One measure (an input scored 0..100), in the spec's order. */
typedef struct csm__measure {
    char *name;
    double weight;   /* within its group, >= 0 */
    int higher;      /* 1: higher values score higher ("direction") */
    int transform;   /* CSM__T_* */
    double lo, hi;   /* linear: the values scoring 0 and 100, lo < hi */
    size_t npts;     /* piecewise: points (px[k], py[k]), px ascending */
    double *px, *py;
    int missing;     /* CSM__MISS_* */
    size_t group;    /* index into csm_health_scorecard.g */
} csm__measure;

/* One group of measures. */
typedef struct csm__group {
    char *name;
    double weight; /* >= 0 */
} csm__group;

/* One band: scores >= min (up to the next band's min) fall in it. */
typedef struct csm__band {
    char *name;
    double min; /* ascending over the bands */
} csm__band;

/* One override: when input `input` op `value` holds, apply `action`. */
typedef struct csm__override {
    char *name;
    size_t input; /* index into csm_health_scorecard.inputs */
    int op;       /* CSM__OP_* */
    double value;
    int action;    /* CSM__ACT_* */
    double amount; /* cap score or subtracted points */
    size_t band;   /* CSM__ACT_BAND: index into csm_health_scorecard.b */
} csm__override;

struct csm_health_scorecard {
    csm_allocator alloc;
    int has_alloc;
    char *name;
    int aggregation;     /* CSM__AGG_* */
    int missing_default; /* CSM__MISS_*: a measure's default policy */
    int round; /* decimals, -1 = none */
    size_t nm, ng, nb, no, ni;
    csm__measure *m;
    csm__group *g;
    csm__band *b;
    csm__override *o;
    /* ni input names: the nm measures', then the override-only ones
     * (the values of an account are given in this order) */
    char **inputs; /* ni names (borrowed from measures or owned) */
    char **extra;  /* owned names of override-only inputs (ni - nm) */
};

/* The allocator the scorecard was made with (NULL = libc); its results
 * and strings are allocated with it. */
static inline const csm_allocator *csm__sc_alloc(const csm_health_scorecard *sc) {
    return sc->has_alloc ? &sc->alloc : NULL;
}

#endif
