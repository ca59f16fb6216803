"""Survival models (csmetrics/survival.h): Kaplan-Meier curves, customer
lifetimes from a ledger (``Ledger.lifetimes``), survivor counts of monthly
cohorts and the shifted-beta-geometric (sBG) model.

Definitions: docs/metrics.md, "Survival".  Every result comes from the C
library's self-describing tables (csmetrics._table; the names are the C
declarations'): "km" / "km_groups" / "km_at", "lifetimes",
"sbg_survivors", "sbg" and "sbg_curve"; ``as_table=True`` returns the
csmetrics.Table itself (Arrow interface; ``result_table(name)`` for the
others of the same result).  Every figure of the sBG model (S(t), r(t),
E[T], DEL, DERL, LTV) is computed by the C library.  Options left at None
take the C defaults (CSM_KM_OPTS_INIT, CSM_LIFETIMES_OPTS_INIT,
CSM_SBG_SURVIVORS_OPTS_INIT).
"""
import numpy as np
import pandas as pd

from . import _arrays, _csm, _ids, _table
from ._errors import DomainError, InvalidArgumentError, _fail
from ._options import flag, options
from .ledger import Ledger

# ---------------------------------------------------------------------------
# Kaplan-Meier and lifetimes


class KaplanMeier:
    """A Kaplan-Meier fit: ``table`` (DataFrame of the table "km": group,
    time, at_risk, events, censored, survival, stderr, lower, upper, flag_bits;
    without ``group`` for a single curve), per-curve ``summary`` (DataFrame
    of "km_groups" indexed by group: n, events, median, median_low,
    median_high, rmst, horizon, flag_bits), and for a single curve ``median``,
    ``median_ci`` and ``rmst`` (Series by group for several curves).
    ``at``: the curves read at ``at_times`` (DataFrame of the table "km_at":
    survival, lower, upper, at_risk) indexed by time, or by (group, time)
    for several curves; empty without ``at_times``.
    ``tables``: the csmetrics.Table objects {"km": ..., "km_groups": ...,
    "km_at": ...} (Arrow interface)."""

    def __init__(self, conv, level, label_keys=None):
        rows = _table.Table(conv, 0, keep_codes=True, label_keys=label_keys)
        curves = rows.result_table("km_groups")
        self.level = level
        at = rows.result_table("km_at")
        self.tables = {"km": rows, "km_groups": curves, "km_at": at}
        self.table = _table.flat(rows, keep_codes=True)
        self.summary = _table.frame(curves, keep_codes=True)
        # one curve: its "all" group code dropped from the index
        self.at = _table.frame(at, keep_codes=len(self.summary) > 1)
        if len(self.summary) == 1:
            self.table = self.table.drop(columns="group")
            s = self.summary.iloc[0]
            self.median = float(s["median"])
            self.median_ci = (float(s["median_low"]), float(s["median_high"]))
            self.rmst = float(s["rmst"])
        else:
            self.median = self.summary["median"]
            self.median_ci = self.summary[["median_low", "median_high"]]
            self.rmst = self.summary["rmst"]

    def __repr__(self):
        return f"KaplanMeier(curves={len(self.summary)}, median={self.median!r})"


def _km_opts(level, horizon, include_overall):
    return options(_csm.km_opts,
                   level=None if level is None else _arrays.scalar(level, "level"),
                   horizon=None if horizon is None else _arrays.scalar(horizon, "horizon"),
                   include_overall=flag(include_overall))


def km_of_state(state, by_segment, level, horizon, include_overall, at_times, as_table,
                label_keys):
    """The KaplanMeier (or Table) of a lifetimes state
    (csm_lifetimes_partial_km); label_keys: the ledger's label Keys."""
    o = _km_opts(level, horizon, include_overall)
    by_segment = bool(flag(by_segment))
    conv = _csm.py_lifetimes_partial_km(state, 1 if by_segment else 0, o,
                                        _arrays.optional(at_times, np.float64, "at_times"))
    seg = (label_keys or {}).get("segment") if by_segment else None
    labels = _ids.label_keys(group=seg)
    if as_table:
        return _table.Table(conv, 0, keep_codes=True, label_keys=labels)
    return KaplanMeier(conv, o.level, labels)


def kaplan_meier(durations, observed, weights=None, groups=None, level=None,
                 horizon=None, include_overall=None, at_times=None, as_table=False):
    """Kaplan-Meier survival with Greenwood standard errors, a log-log
    confidence band at ``level`` (None: the C default, CSM_KM_OPTS_INIT),
    the median with its interval and the restricted mean up to ``horizon``
    (default: the largest time).

    ``observed`` is 1 (or True) where the customer churned (event) and 0
    where it is still active (right-censored).  Returns a KaplanMeier;
    ``as_table=True`` returns the csmetrics.Table "km" instead (its
    ``result_table("km_groups")`` has the curves).  The overall curve's
    group is csm_code_all() (null in Arrow; "all" in the DataFrames when
    ``groups`` are labels).  ``groups``: integer codes, or any hashable
    labels (segment names, plans; csmetrics._ids), which the DataFrames
    show as given; a missing one (None, NaN, "") is a DomainError naming
    its row.

    ``at_times`` (times >= 0 in the durations' unit, any order): read every
    curve off at those times, S(t) of the curve's last row with time <= t
    (1 before its first time), with its band and n(t): the table "km_at",
    ``KaplanMeier.at`` (e.g. ``at_times=[12, 24]`` for 1- and 2-year
    survival in months)."""
    dur = _arrays.as_array(durations, np.float64, "duration")
    ev = _arrays.as_array(observed, np.uint8, "event")
    o = _km_opts(level, horizon, include_overall)
    grp, grp_keys = _ids.encode(groups, "group", np.int32)
    conv = _csm.py_km_compute(dur, ev, _arrays.optional(weights, np.float64, "weight"),
                              grp, o, _arrays.optional(at_times, np.float64, "at_times"))
    labels = _ids.label_keys(group=grp_keys)
    if as_table:
        return _table.Table(conv, 0, keep_codes=True, label_keys=labels)
    return KaplanMeier(conv, o.level, labels)


def _lifetimes(self, as_of=None, as_table=False):
    """Customer lifetimes (months in the first unbroken active run) as a
    DataFrame of the table "lifetimes": customer_id, first_month (Period),
    segment, duration, event (True churned, False still active =
    censored).  Feed duration and event to kaplan_meier.  ``as_table=True``
    returns the csmetrics.Table instead."""
    o = options(_csm.lifetimes_opts, as_of=_arrays.month_scalar(as_of, "as_of"))
    t = _table.Table(_csm.lifetimes_from_ledger(self._ptr, o), label_keys=self._labels)
    return t if as_table else _table.flat(t)


def _km(self, by_segment=None, *, as_of=None, level=None, horizon=None,
        include_overall=None, at_times=None, n_jobs=None, as_table=False):
    """Kaplan-Meier of the customers' lifetimes (``lifetimes(as_of)``):
    what ``kaplan_meier(lt.duration, lt.event, groups=lt.segment if
    by_segment else None, ...)`` gives, computed from the counts of
    lifetimes by length (csm_lifetimes_partial_compute /
    csm_lifetimes_partial_km), so a ledger built with ``n_jobs`` > 1 computes
    it on its partitions in parallel and merges (docs/scaling.md).  KM
    options as ``kaplan_meier``; returns a KaplanMeier (``as_table``: the
    Table "km")."""
    o = options(_csm.lifetimes_opts, as_of=_arrays.month_scalar(as_of, "as_of"))
    if self._threaded(n_jobs):
        state = self._merged_state(_csm.lifetimes_partial_compute, o, n_jobs)
    else:
        state = _csm.lifetimes_partial_compute(self._ptr, o)
    return km_of_state(state, by_segment, level, horizon, include_overall, at_times,
                       as_table, self._labels)


def _lifetimes_partial(self, as_of=None):
    """The lifetimes of this ledger's customers as a mergeable Partial
    (csm_lifetimes_partial_compute: counts by run length), as
    ``movements_partial``; ``Partial.km(by_segment, ...)`` finalizes it
    into the table ``km`` gives."""
    from .partial import Partial
    o = options(_csm.lifetimes_opts, as_of=_arrays.month_scalar(as_of, "as_of"))
    if self._parts is not None:
        return Partial(self._merged_state(_csm.lifetimes_partial_compute, o, None), self._labels)
    return Partial(_csm.lifetimes_partial_compute(self._ptr, o), self._labels)


Ledger.lifetimes = _lifetimes
Ledger.km = _km
Ledger.lifetimes_partial = _lifetimes_partial


# ---------------------------------------------------------------------------
# shifted-beta-geometric


class SBGFit:
    """A fitted shifted-beta-geometric model (Fader & Hardie 2007): alpha,
    beta, loglik, stderr (se of alpha, se of beta), converged, iterations;
    survival(t), retention(t), expected_lifetime(), del_(d), derl(d, n),
    ltv_new(margin, d), ltv_existing(margin, d, n), curve(n_periods,
    cohort_size).

    A fit from sbg_fit also has ``fields`` (every column of the one-row
    table "sbg": alpha, beta, se_alpha, se_beta, cov_alpha_beta, loglik,
    iterations, converged, n_cohorts, n_customers, flags; each also an
    attribute) and ``table`` (that csmetrics.Table, with the Arrow
    interface).  ``SBGFit(alpha, beta)`` builds a model by hand (no
    table)."""

    def __init__(self, alpha, beta, d=None, table=None):
        self.alpha, self.beta = float(alpha), float(beta)
        d = d or {}
        self.fields = dict(d)
        self.table = table
        self.loglik = d.get("loglik", float("nan"))
        self.stderr = (d.get("se_alpha", float("nan")), d.get("se_beta", float("nan")))
        self.converged = bool(d.get("converged", 0))
        self.iterations = d.get("iterations", 0)

    def __getattr__(self, name):
        fields = self.__dict__.get("fields", {})
        if name in fields:
            return fields[name]
        raise AttributeError(f"SBGFit has no attribute {name!r}")

    def survival(self, t):
        """S(t) = B(alpha, beta + t) / B(alpha, beta) for whole t >= 0
        (scalar or array): csm_sbg_survival of each element."""
        tt = _periods(t)
        out = np.empty(len(tt))
        _csm.py_sbg_survival(out, self.alpha, self.beta, tt)
        return _shaped(out, t)

    def retention(self, t):
        """r(t) = S(t) / S(t-1) = (beta + t - 1) / (alpha + beta + t - 1)
        for whole t >= 1 (scalar or array; NaN at t = 0, which has no
        period before it): the model's curve as csm_sbg_project computes
        it (the column "retention" of ``curve``), read at each t."""
        tt = _periods(t)
        n = int(tt.max()) + 1 if len(tt) else 0
        curve = _table.Table(_csm.sbg_project(n, self.alpha, self.beta, 1.0, None))
        return _shaped(curve["retention"][tt], t)

    def curve(self, n_periods, cohort_size=1.0, as_table=False):
        """The model's first ``n_periods`` periods t = 0 .. n_periods-1 as
        a DataFrame of the table "sbg_curve" indexed by period: survival
        S(t), retention r(t) (NaN at t = 0), churn P(T = t) (0 at t = 0),
        survivors = cohort_size x S(t) and churned = cohort_size x P(T = t)
        (expected customers of a cohort of ``cohort_size``; the default 1
        gives the shares).  ``as_table=True`` returns the csmetrics.Table
        instead."""
        n = _arrays.integer(n_periods, "n_periods")
        if n < 0:
            raise _fail(InvalidArgumentError, "n_periods must be >= 0", field="n_periods")
        conv = _csm.sbg_project(n, self.alpha, self.beta,
                                _arrays.scalar(cohort_size, "cohort_size"), None)
        return _table.result(conv, as_table)

    def expected_lifetime(self):
        """E[T] = (alpha + beta - 1) / (alpha - 1) for alpha > 1 (NaN
        otherwise): csm_sbg_expected_lifetime."""
        value, _flags = _csm.sbg_expected_lifetime(self.alpha, self.beta)
        return value

    def del_(self, d):
        """Discounted expected lifetime of a new customer at discount rate d
        (csm_sbg_del)."""
        return _csm.sbg_del(self.alpha, self.beta, _arrays.scalar(d, "discount"))

    def derl(self, d, n):
        """Discounted expected residual lifetime after n renewals
        (csm_sbg_derl)."""
        return _csm.sbg_derl(self.alpha, self.beta, _arrays.scalar(d, "discount"),
                             _arrays.integer(n, "n_renewals"))

    def ltv_new(self, margin, d):
        """margin x DEL(d) (csm_sbg_ltv_new)."""
        return _csm.sbg_ltv_new(self.alpha, self.beta, _arrays.scalar(margin, "margin"),
                                _arrays.scalar(d, "discount"))

    def ltv_existing(self, margin, d, n):
        """margin x DERL(d | n renewals) (csm_sbg_ltv_existing)."""
        return _csm.sbg_ltv_existing(self.alpha, self.beta, _arrays.scalar(margin, "margin"),
                                     _arrays.scalar(d, "discount"),
                                     _arrays.integer(n, "n_renewals"))

    def __repr__(self):
        return f"SBGFit(alpha={self.alpha:.4f}, beta={self.beta:.4f}, loglik={self.loglik:.2f})"


def sbg_survivors(first_month, duration, weight=None, first_cohort=None, last_cohort=None,
                  as_of=None, as_table=False):
    """Survivor counts of monthly cohorts from customer lifetimes, ready for
    sbg_fit: lifetime i started in month ``first_month[i]`` (months as in
    Ledger) and lasted ``duration[i]`` months (as Ledger.lifetimes gives
    them, churned or still active), with an optional ``weight`` (0 leaves a
    lifetime out):

        alive(c, a) = sum of weight[i] with first_month[i] = c and
                      duration[i] > a

    for each cohort c in [first_cohort, last_cohort] (None: no bound) and
    each age a = 0 .. as_of - c (``as_of``: the last month observed; None:
    the latest first_month); None keeps CSM_SBG_SURVIVORS_OPTS_INIT's
    defaults, which are these.  Cohorts without lifetimes and the cohort of
    as_of itself (no renewal seen yet) are left out.

    Returns the DataFrame of the table "sbg_survivors" indexed by (cohort
    (Period), age) with the column ``alive``; ``as_table=True`` the
    csmetrics.Table.  Either feeds ``sbg_fit`` directly."""
    fm = _arrays.month_index(first_month, "first_month")
    dur = _arrays.as_array(duration, np.float64, "duration")
    o = options(_csm.sbg_survivors_opts,
                first_cohort=_arrays.month_scalar(first_cohort, "first_cohort"),
                last_cohort=_arrays.month_scalar(last_cohort, "last_cohort"),
                as_of=_arrays.month_scalar(as_of, "as_of"))
    conv = _csm.py_sbg_survivors_from_lifetimes(
        fm, dur, _arrays.optional(weight, np.float64, "weight"), o)
    return _table.result(conv, as_table)


def _survivor_inputs(survivors, cohorts):
    """(alive, cohort or None) of sbg_fit's arguments: a "sbg_survivors"
    Table or DataFrame, or plain counts."""
    if isinstance(survivors, _table.Table) and "alive" in survivors and "cohort" in survivors:
        return survivors["alive"], survivors["cohort"] if cohorts is None else cohorts
    if isinstance(survivors, pd.DataFrame) and "alive" in survivors.columns:
        if cohorts is None and "cohort" in (survivors.index.names or []):
            cohorts = _arrays.month_index(survivors.index.get_level_values("cohort"),
                                          "cohort")
        return survivors["alive"], cohorts
    return survivors, cohorts


def sbg_fit(survivors, cohorts=None):
    """Fit the sBG model by maximum likelihood to survivor counts per period
    (one cohort: alive at periods 0..T; several cohorts: ``cohorts`` labels
    each row, rows of a cohort contiguous and in period order, cohorts in
    ascending order: integers, or any hashable labels such as "2024-01" in
    the key dictionary's order: numbers numerically, other text in byte
    order (csmetrics._ids)).
    ``survivors`` may also be the result of sbg_survivors (DataFrame or
    Table): its ``alive`` counts and cohorts are used.  Returns an SBGFit
    read from the C library's one-row table "sbg"."""
    survivors, cohorts = _survivor_inputs(survivors, cohorts)
    a = _arrays.as_array(survivors, np.float64, "alive")
    fit = _csm.py_sbg_fit(a, _ids.encode(cohorts, "cohort", np.int32)[0], None)
    t = _table.Table(_csm.py_sbg_table([fit]))
    d = _table.row(t)
    return SBGFit(d["alpha"], d["beta"], d, t)


def _periods(t):
    """Whole periods t >= 0 (scalar or array-like) as a flat int32 array."""
    tt = _arrays.as_array(np.ravel(np.asarray(t)), np.int32, "t")
    if (tt < 0).any():
        raise _fail(DomainError, "t must be >= 0", row=int(np.flatnonzero(tt < 0)[0]),
                    field="t")
    return tt


def _shaped(values, t):
    """The values of the flat periods of t in t's shape (a float for a
    scalar t)."""
    return float(values[0]) if np.ndim(t) == 0 else np.asarray(values).reshape(np.shape(t))
