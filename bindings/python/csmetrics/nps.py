"""Survey metrics (csmetrics/nps.h): Net Promoter Score with its standard
error and confidence interval, the comparison of two periods, CSAT (top-box
share) and CES (mean effort score).

Definitions: docs/metrics.md, "NPS, CSAT and CES".  NPS is on the -100..100
scale by definition; shares and CSAT are fractions (0.45, not 45).  Options
left at None take the C defaults (CSM_NPS_OPTS_INIT, CSM_CSAT_OPTS_INIT,
CSM_CES_OPTS_INIT).
"""

import numpy as np

from . import _arrays, _csm, _ids, _table
from ._errors import InvalidArgumentError, _fail
from ._options import options
from ._result import Result

__all__ = ["nps", "nps_counts", "nps_by_group", "nps_compare", "csat", "ces",
           "nps_partial", "csat_partial", "ces_partial",
           "NPSResult", "NPSDiff", "CSATResult", "CESResult"]


class NPSResult(Result):
    """Result of csm.nps / csm.nps_counts.

    Fields (those of ``csm_nps_result``): ``nps`` (-100..100);
    ``promoters``, ``passives``, ``detractors`` (shares 0..1);
    ``n_promoters``, ``n_passives``, ``n_detractors`` (counts, weighted sums
    when weighted); ``n`` (responses or total weight); ``n_effective``
    (Kish's effective sample size; = n unweighted); ``se`` (standard error,
    on the NPS scale; also ``stderr``); ``ci_low``, ``ci_high``;
    ``confidence``; ``flags``."""

    __slots__ = ()
    _table_fn = "py_nps_table"


class NPSDiff(Result):
    """Result of csm.nps_compare: ``diff`` (after - before), ``se``
    (also ``stderr``), ``z``, ``p_value`` (two-sided), ``ci_low``,
    ``ci_high``, ``confidence``, ``flags``."""

    __slots__ = ()
    _table_fn = "py_nps_diff_table"


class CSATResult(Result):
    """Result of csm.csat: ``csat`` (share 0..1), ``satisfied`` (count),
    ``n``, ``se`` (also ``stderr``), ``ci_low``, ``ci_high`` (Wilson),
    ``flags``."""

    __slots__ = ()
    _table_fn = "py_csat_table"


class CESResult(Result):
    """Result of csm.ces: ``ces`` (mean score), ``sd`` (sample standard
    deviation), ``se`` (also ``stderr``), ``n``, ``ci_low``, ``ci_high``,
    ``flags``."""

    __slots__ = ()
    _table_fn = "py_ces_table"


def _confidence(confidence):
    return None if confidence is None else _arrays.scalar(confidence, "confidence")


def _nps_opts(confidence):
    return options(_csm.nps_opts, confidence=_confidence(confidence))


def nps(scores, weights=None, confidence=None):
    """Net Promoter Score of survey responses.

    ``scores``: integers 0..10 (an int8 numpy array is read in place; other
    integer or whole-float arrays are converted once).  Promoters score
    9-10, passives 7-8, detractors 0-6; with p and d the promoter and
    detractor shares:

        nps = 100 (p - d)
        se  = 100 sqrt((p + d - (p - d)^2) / n)
        ci  = nps -/+ z se,  z = Phi^-1((1 + confidence) / 2), clamped to
              [-100, 100]

    ``confidence``: None keeps the C default (CSM_NPS_OPTS_INIT).

    ``weights`` (optional, e.g. each account's ARR; finite, >= 0): shares
    are weight shares and n in the standard error is Kish's effective
    sample size (sum w)^2 / sum w^2.

    Returns an NPSResult (``nps``, ``promoters``, ``passives``,
    ``detractors``, ``n``, ``se`` / ``stderr``, ``ci_low``, ``ci_high``, ...).
    No responses: NaN figures and the "empty" flag.

    Errors: DomainError for a score outside 0..10 or a bad weight (the
    message names the row), InvalidArgumentError for confidence outside
    (0, 1) or weights of another length.

    Example: 45 promoters, 30 passives, 25 detractors give NPS 20.0 with
    se 8.124 and a 95% interval [4.08, 35.92]."""
    s = _arrays.as_array(scores, np.int8, "scores")
    o = _nps_opts(confidence)
    if weights is None:
        r = _csm.nps(s, o)
    else:
        r = _csm.py_nps_weighted(s, _arrays.as_array(weights, np.float64, "weights"), o)
    return NPSResult._from_struct(r)


def nps_by_group(scores, group, weights=None, confidence=None, as_table=False):
    """NPS of each group of responses in one call (csm_nps_by_group):
    response i (score 0..10, optional weight) belongs to ``group[i]``.

    Returns a DataFrame of the table "nps" indexed by group, one row per
    group that has responses, in ascending group order, with the columns
    of csm.nps (nps, promoters, passives, detractors, n_promoters, ...,
    se, ci_low, ci_high, confidence, flag_bits): a group's row is exactly
    csm.nps of its responses.  ``group``: int32 codes (any but
    csm_code_all()), or any hashable labels (e.g. segment names; as every
    id, through csmetrics._ids: the library's key dictionary orders them,
    numbers numerically, other text in byte order), which the index shows
    as given; a missing label (None, NaN, "") is a DomainError naming its
    row.  ``confidence``: None keeps the C default (CSM_NPS_OPTS_INIT).
    ``as_table=True`` returns the csmetrics.Table "nps" (keys: the int32
    codes)."""
    s = _arrays.as_array(scores, np.int8, "scores")
    codes, keys = _ids.encode(group, "group", np.int32)
    conv = _csm.py_nps_by_group(s, _arrays.optional(weights, np.float64, "weights"), codes,
                                _nps_opts(confidence))
    return _table.result(conv, as_table, keep_codes=True,
                         label_keys=_ids.label_keys(group=keys))


def nps_counts(promoters, passives, detractors, confidence=None):
    """NPS from the counts of promoters, passives and detractors (finite,
    >= 0; DomainError naming the field otherwise).  Same result and
    formulas as csm.nps."""
    r = _csm.nps_counts(_arrays.scalar(promoters, "promoters"),
                        _arrays.scalar(passives, "passives"),
                        _arrays.scalar(detractors, "detractors"), _nps_opts(confidence))
    return NPSResult._from_struct(r)


def _integer(x, field):
    return None if x is None else _arrays.integer(x, field)


def _as_nps_result(x, confidence, field):
    if isinstance(x, NPSResult):
        return x._struct
    if isinstance(x, Result):
        raise _fail(InvalidArgumentError, f"expected an NPSResult, got {type(x).__name__}",
                    field=field)
    return nps(x, confidence=confidence)._struct


def nps_compare(before, after, confidence=None):
    """Difference between the NPS of two independent periods.

    ``before`` and ``after`` are NPSResults (from csm.nps or
    csm.nps_counts) or arrays of scores.  diff = after - before,
    se = sqrt(se_before^2 + se_after^2), z = diff / se, two-sided
    p_value = 2 (1 - Phi(|z|)), interval diff -/+ z_c se at
    ``confidence`` (None: the C default, CSM_NPS_OPTS_INIT's).  se = 0
    gives NaN z and p with the "degenerate" flag; an empty period gives NaN
    and the "empty" flag.  Returns an NPSDiff."""
    b = _as_nps_result(before, confidence, "before")
    a = _as_nps_result(after, confidence, "after")
    return NPSDiff._from_struct(_csm.nps_compare(b, a, _nps_opts(confidence)))


def csat(scores, top_box_min=None, scale_min=None, scale_max=None, confidence=None):
    """Customer satisfaction: the share of responses in the top box(es).

    csat = satisfied / n with satisfied = responses scoring >=
    ``top_box_min`` on the scale ``scale_min`` .. ``scale_max`` (None: the
    C defaults, CSM_CSAT_OPTS_INIT: the top two boxes of a five-point
    scale); se = sqrt(p (1 - p) / n);
    the interval is Wilson's score interval (inside [0, 1], sensible at
    p = 0 or 1).  No responses: NaN and the "empty" flag.  Errors:
    DomainError for a score outside [scale_min, scale_max] (row named),
    InvalidArgumentError for a bad scale, top box or confidence.  Returns
    a CSATResult."""
    o = options(_csm.csat_opts, scale_min=_integer(scale_min, "scale_min"),
                scale_max=_integer(scale_max, "scale_max"),
                top_box_min=_integer(top_box_min, "top_box_min"),
                confidence=_confidence(confidence))
    r = _csm.csat(_arrays.as_array(scores, np.int8, "scores"), o)
    return CSATResult._from_struct(r)


def ces(scores, scale_min=None, scale_max=None, confidence=None):
    """Customer effort score: the mean effort score on the scale
    ``scale_min`` .. ``scale_max`` (None: the C defaults,
    CSM_CES_OPTS_INIT: a seven-point scale).

    sd is the sample standard deviation (n - 1), se = sd / sqrt(n), and the
    interval mean -/+ z se.  No responses: NaN and the "empty" flag; one
    response: sd, se and the interval NaN with the "degenerate" flag.
    Errors as csm.csat.  Returns a CESResult."""
    o = options(_csm.ces_opts, scale_min=_integer(scale_min, "scale_min"),
                scale_max=_integer(scale_max, "scale_max"),
                confidence=_confidence(confidence))
    r = _csm.ces(_arrays.as_array(scores, np.int8, "scores"), o)
    return CESResult._from_struct(r)


# ---- partial states (docs/scaling.md) ---------------------------------------
def _partial_group(group):
    """The int32 group codes of a partial state: numbers only (each part
    would give labels ids of its own)."""
    if group is None:
        return None
    g = _arrays.as_array(group, np.int32, "group")
    return g


def nps_partial(scores, group=None, confidence=None):
    """The NPS of some of the responses as a mergeable csmetrics.Partial
    (csm_nps_partial_compute): the count of each score 0..10 per group.
    Merge it with the states of the other responses (``Partial.merge``,
    same ``confidence``); ``Partial.nps()`` then gives what
    ``nps_by_group(scores, group)`` gives on all of them (without
    ``group``: one row, the ``nps`` of all, group null).  ``group``: int32
    codes (a period, a segment...); labels would get other ids in other
    parts.  Unweighted only."""
    from .partial import Partial
    return Partial(_csm.py_nps_partial_compute(_arrays.as_array(scores, np.int8, "scores"),
                                               _partial_group(group), _nps_opts(confidence)))


def csat_partial(scores, group=None, top_box_min=None, scale_min=None, scale_max=None,
                 confidence=None):
    """The CSAT of some of the responses as a mergeable csmetrics.Partial
    (csm_csat_partial_compute), as ``nps_partial``; ``Partial.csat()``
    gives one row per group (ascending int32 codes; without ``group`` one
    row), each ``csat`` of the group's responses.  Options as ``csat``."""
    from .partial import Partial
    o = options(_csm.csat_opts, scale_min=_integer(scale_min, "scale_min"),
                scale_max=_integer(scale_max, "scale_max"),
                top_box_min=_integer(top_box_min, "top_box_min"),
                confidence=_confidence(confidence))
    return Partial(_csm.py_csat_partial_compute(_arrays.as_array(scores, np.int8, "scores"),
                                                _partial_group(group), o))


def ces_partial(scores, group=None, scale_min=None, scale_max=None, confidence=None):
    """The CES of some of the responses as a mergeable csmetrics.Partial
    (csm_ces_partial_compute), as ``csat_partial``; ``Partial.ces()``
    finalizes it.  Options as ``ces``."""
    from .partial import Partial
    o = options(_csm.ces_opts, scale_min=_integer(scale_min, "scale_min"),
                scale_max=_integer(scale_max, "scale_max"),
                confidence=_confidence(confidence))
    return Partial(_csm.py_ces_partial_compute(_arrays.as_array(scores, np.int8, "scores"),
                                               _partial_group(group), o))
