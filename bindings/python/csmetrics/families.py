"""Renewals, survival models, team efficiency, activity measures and health
scorecards (csmetrics/renewals.h, survival.h, team.h, activity.h, health.h).

Definitions: docs/metrics.md ("Renewals", "Survival", "Team efficiency",
"Activity measures") and docs/health-scores.md.

Every result comes from the C library's self-describing tables (see
csmetrics._table; table and column names are the C declarations'):
"km" / "km_groups" / "km_at", "lifetimes", "sbg_survivors", "sbg",
"sbg_curve", "renewals" /
"renewal_contracts", "team" / "team_summary", "activity" /
"activity_measures", "health" / "health_measures" / "health_groups",
"health_bands", "health_at_risk" / "health_reasons", "unit_economics" and
"project_inputs".
Each function's ``as_table=True`` returns the csmetrics.Table itself (Arrow
interface; ``result_table(name)`` for the others of the same result).
"""
import json
import os

import numpy as np
import pandas as pd

from . import _arrays, _csm, _table
from ._errors import InvalidArgumentError, _fail
from .ledger import Ledger

_I32_MIN = np.iinfo(np.int32).min

# ---------------------------------------------------------------------------
# Kaplan-Meier and lifetimes


class KaplanMeier:
    """A Kaplan-Meier fit: ``table`` (DataFrame of the table "km": group,
    time, at_risk, events, censored, survival, stderr, lower, upper, flags;
    without ``group`` for a single curve), per-curve ``summary`` (DataFrame
    of "km_groups" indexed by group: n, events, median, median_low,
    median_high, rmst, horizon, flags), and for a single curve ``median``,
    ``median_ci`` and ``rmst`` (Series by group for several curves).
    ``at``: the curves read at ``at_times`` (DataFrame of the table "km_at":
    survival, lower, upper, at_risk) indexed by time, or by (group, time)
    for several curves; empty without ``at_times``.
    ``tables``: the csmetrics.Table objects {"km": ..., "km_groups": ...,
    "km_at": ...} (Arrow interface)."""

    def __init__(self, conv, level):
        rows = _table.Table(conv, 0, keep_codes=True)
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


def kaplan_meier(durations, observed, weights=None, groups=None, level=0.95,
                 horizon=None, include_overall=False, at_times=None, as_table=False):
    """Kaplan-Meier survival with Greenwood standard errors, a log-log
    confidence band at ``level``, the median with its interval and the
    restricted mean up to ``horizon`` (default: the largest time).

    ``observed`` is 1 (or True) where the customer churned (event) and 0
    where it is still active (right-censored).  Returns a KaplanMeier;
    ``as_table=True`` returns the csmetrics.Table "km" instead (its
    ``result_table("km_groups")`` has the curves).  The overall curve's
    group is csm_code_all() (-2147483648; null in Arrow).

    ``at_times`` (times >= 0 in the durations' unit, any order): read every
    curve off at those times, S(t) of the curve's last row with time <= t
    (1 before its first time), with its band and n(t): the table "km_at",
    ``KaplanMeier.at`` (e.g. ``at_times=[12, 24]`` for 1- and 2-year
    survival in months)."""
    dur = _arrays.as_array(durations, np.float64, "duration")
    ev = _arrays.as_array(observed, np.uint8, "event")
    w, hw = _arrays.optional_array(weights, np.float64, "weight")
    g, hg = _arrays.optional_array(groups, np.int32, "group")
    at, has_at = _arrays.optional_array(at_times, np.float64, "at_times")
    conv = _csm.py_km(dur, ev, w, int(hw), g, int(hg), float(level),
                      0.0 if horizon is None else float(horizon), int(include_overall),
                      at, int(has_at))
    if as_table:
        return _table.Table(conv, 0, keep_codes=True)
    return KaplanMeier(conv, level)


def _lifetimes(self, as_of=None, as_table=False):
    """Customer lifetimes (months in the first unbroken active run) as a
    DataFrame of the table "lifetimes": customer_id, first_month (Period),
    segment, duration, event (True churned, False still active =
    censored).  Feed duration and event to kaplan_meier.  ``as_table=True``
    returns the csmetrics.Table instead."""
    m = _I32_MIN if as_of is None else _arrays.month_scalar(as_of, "as_of")
    t = _table.Table(_csm.py_lifetimes(self._ptr, int(m)))
    return t if as_table else _table.flat(t)


def _team(self, owner_customer, owner, at_risk=None, month=None, as_table=False):
    """Accounts, MRR/ARR and at-risk accounts per owner (CSM) in ``month``
    (default: the ledger's last month): a DataFrame of the table "team"
    indexed by owner (CSM_TEAM_OWNER_NONE = -2147483648 for unassigned
    customers), whose ``attrs`` hold the one row of "team_summary": month,
    n_csm, accounts_per_csm, arr_per_csm, owned_accounts, owned_arr, flags.
    ``as_table=True`` returns the csmetrics.Table "team" instead
    (``result_table("team_summary")`` for the summary)."""
    oc = _arrays.as_array(owner_customer, np.int64, "owner_customer")
    ow = _arrays.as_array(owner, np.int32, "owner")
    risk = np.empty(0, np.int64) if at_risk is None else \
        _arrays.as_array(at_risk, np.int64, "at_risk")
    m = _I32_MIN if month is None else _arrays.month_scalar(month, "month")
    t = _table.Table(_csm.py_team(self._ptr, oc, ow, risk, int(m)), 0, keep_codes=True)
    if as_table:
        return t
    df = _table.frame(t, keep_codes=True)
    df.attrs.update(_table.row(t.result_table("team_summary"), keys=True))
    return df


def _ledger_ltv(self, gross_margin, window=12, month=None, zero_churn="error",
                churn_floor=0.0167, lifetime_cap_months=0.0):
    """Simple LTV from the ledger's observed figures: ARPA in ``month``
    (default: the last) and the monthly customer churn over the ``window``
    months ending there (churned / opening customers, summed).  Returns a
    dict of the columns of the table "ltv": ltv, lifetime_months,
    churn_used, flags."""
    m = _I32_MIN if month is None else _arrays.month_scalar(month, "month")
    policy = {"error": 0, "floor": 1, "cap": 2}
    if zero_churn not in policy:
        raise _fail(InvalidArgumentError, "zero_churn must be error, floor or cap",
                    field="zero_churn")
    conv = _csm.py_ltv_from_ledger(self._ptr, int(m), int(window), float(gross_margin),
                                   policy[zero_churn], float(churn_floor),
                                   float(lifetime_cap_months))
    return _table.row(_table.Table(conv))


def _unit_economics(self, month=None, window=12, gross_margin=0.8, spend_month=None,
                    spend=None, *, zero_churn=None, churn_floor=None,
                    lifetime_cap_months=None, as_table=False):
    """Unit economics over the ``window`` months ending at ``month``
    (default: the ledger's last month), with the default movements
    definitions: a one-row DataFrame of the table "unit_economics" indexed
    by month: arpa (MRR / customers at month), monthly_churn (churned /
    opening customers, summed over the window), gross_margin, ltv (arpa x
    gross_margin x lifetime_months), lifetime_months, cac (spend /
    new_customers), ltv_cac, cac_payback_months (cac / (new_arpa x
    gross_margin)), then window_months, churn_used, opening_customers,
    churned_customers, new_customers (active for the first time in the
    window), new_mrr, new_arpa, spend, flags.

    ``spend_month`` / ``spend``: sales and marketing spend per month
    (months as in Ledger; rows in the window add up); without them spend,
    cac, ltv_cac and cac_payback_months are NaN.  ``zero_churn``,
    ``churn_floor``, ``lifetime_cap_months``: as in csm.ltv (None keeps
    CSM_LTV_OPTS_INIT's defaults).  Undefined figures are NaN with the
    zero_denominator flag.  ``as_table=True`` returns the csmetrics.Table."""
    from .ltv import ZERO_CHURN_POLICIES
    m = _I32_MIN if month is None else _arrays.month_scalar(month, "month")
    if (spend_month is None) != (spend is None):
        raise _fail(InvalidArgumentError, "spend_month and spend go together", field="spend")
    sm, hs = _arrays.optional_array(None if spend_month is None else
                                    _arrays.month_index(spend_month, "spend_month"),
                                    np.int32, "spend_month")
    sp, _ = _arrays.optional_array(spend, np.float64, "spend")
    set_bits = 0
    zc = 0
    floor = cap = 0.0
    if zero_churn is not None:
        zc = _arrays.choice(zero_churn, ZERO_CHURN_POLICIES, "zero_churn")
        set_bits |= 1
    if churn_floor is not None:
        floor = _arrays.scalar(churn_floor, "churn_floor")
        set_bits |= 2
    if lifetime_cap_months is not None:
        cap = _arrays.scalar(lifetime_cap_months, "lifetime_cap_months")
        set_bits |= 4
    conv = _csm.py_unit_economics(self._ptr, int(m), _arrays.integer(window, "window"),
                                  _arrays.scalar(gross_margin, "gross_margin"), sm, sp,
                                  int(hs), int(zc), floor, cap, set_bits)
    return _table.result(conv, as_table)


def _project_inputs(self, month=None, window=6, as_table=False):
    """The inputs of a churn-scenario projection observed over the
    ``window`` months ending at ``month`` (default: the ledger's last
    month): a one-row DataFrame of the table "project_inputs" indexed by
    month: start_mrr (MRR at month), new_mrr (average monthly new +
    reactivation MRR over the window), gross_mrr_churn_rate (mean monthly
    (churn + contraction) / opening MRR over the months with opening MRR),
    window_months, rate_months, flags.  ``csm.project_mrr(start_mrr,
    months, gross_mrr_churn_rate, new_mrr=new_mrr)`` continues the trend.
    ``as_table=True`` returns the csmetrics.Table."""
    m = _I32_MIN if month is None else _arrays.month_scalar(month, "month")
    conv = _csm.py_project_inputs(self._ptr, int(m), _arrays.integer(window, "window"))
    return _table.result(conv, as_table)


Ledger.lifetimes = _lifetimes
Ledger.unit_economics = _unit_economics
Ledger.project_inputs = _project_inputs
Ledger.team = _team
Ledger.ltv = _ledger_ltv


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
        """S(t) = B(alpha, beta + t) / B(alpha, beta) (scalar or array)."""
        f = np.vectorize(lambda x: _csm.py_sbg(0, self.alpha, self.beta, 0.0, int(x)),
                         otypes=[float])
        out = f(np.asarray(t))
        return float(out) if np.ndim(t) == 0 else out

    def retention(self, t):
        """r(t) = (beta + t - 1) / (alpha + beta + t - 1), t >= 1."""
        t = np.asarray(t, dtype=float)
        out = (self.beta + t - 1) / (self.alpha + self.beta + t - 1)
        return float(out) if out.ndim == 0 else out

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
        conv = _csm.py_sbg_project(n, self.alpha, self.beta,
                                   _arrays.scalar(cohort_size, "cohort_size"))
        return _table.result(conv, as_table)

    def expected_lifetime(self):
        """E[T] = (alpha + beta - 1) / (alpha - 1) for alpha > 1 (NaN otherwise)."""
        return _csm.py_sbg(1, self.alpha, self.beta, 0.0, 0)

    def del_(self, d):
        """Discounted expected lifetime of a new customer at discount rate d."""
        return _csm.py_sbg(2, self.alpha, self.beta, float(d), 0)

    def derl(self, d, n):
        """Discounted expected residual lifetime after n renewals."""
        return _csm.py_sbg(3, self.alpha, self.beta, float(d), int(n))

    def ltv_new(self, margin, d):
        """margin x DEL(d)."""
        return float(margin) * self.del_(d)

    def ltv_existing(self, margin, d, n):
        """margin x DERL(d | n renewals)."""
        return float(margin) * self.derl(d, n)

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
    the latest first_month).  Cohorts without lifetimes and the cohort of
    as_of itself (no renewal seen yet) are left out.

    Returns the DataFrame of the table "sbg_survivors" indexed by (cohort
    (Period), age) with the column ``alive``; ``as_table=True`` the
    csmetrics.Table.  Either feeds ``sbg_fit`` directly."""
    fm = _arrays.month_index(first_month, "first_month")
    dur = _arrays.as_array(duration, np.float64, "duration")
    w, hw = _arrays.optional_array(weight, np.float64, "weight")
    months = [first_cohort, last_cohort, as_of]
    names = ["first_cohort", "last_cohort", "as_of"]
    set_bits = sum(1 << k for k, m in enumerate(months) if m is not None)
    vals = [0 if m is None else _arrays.month_scalar(m, n) for m, n in zip(months, names)]
    conv = _csm.py_sbg_survivors(fm, dur, w, int(hw), *vals, set_bits)
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
    each row, rows of a cohort contiguous and in period order).
    ``survivors`` may also be the result of sbg_survivors (DataFrame or
    Table): its ``alive`` counts and cohorts are used.  Returns an SBGFit
    read from the C library's one-row table "sbg"."""
    survivors, cohorts = _survivor_inputs(survivors, cohorts)
    a = _arrays.as_array(survivors, np.float64, "alive")
    c, hc = _arrays.optional_array(cohorts, np.int32, "cohort")
    t = _table.Table(_csm.py_sbg_fit(a, c, int(hc)))
    d = _table.row(t)
    return SBGFit(d["alpha"], d["beta"], d, t)


# ---------------------------------------------------------------------------
# renewals

def _outcome_names():
    # csm_renewals_outcome_name(0, 1, ...) until the first "unknown"
    names = []
    while (name := _csm.renewals_outcome_name(len(names))) != "unknown":
        names.append(name)
    return np.array(names)


_OUTCOMES = _outcome_names()
_GROUPS = {None: 0, "none": 0, "segment": 1, "channel": 2, "owner": 3}


def renewals(customer_id, start, end, value, window_start, window_end, *, segment=None,
             channel=None, owner=None, group_by=None, grace_days=90, late_counts=False,
             include_upsells=False, return_outcomes=False, contracts=False, as_table=False):
    """Contracts due in [window_start, window_end] (days, inclusive): renewed
    within ``grace_days`` after the due day, renewed late, churned; logo and
    dollar renewal rates.

    Returns the DataFrame of the table "renewals": due, renewed, late,
    churned, due_value, renewed_value, late_value, churned_value,
    upsell_value, logo_renewal_rate, dollar_renewal_rate, flags; indexed by
    the group key (named after ``group_by``), or one row "all" (index name
    "group") without grouping.

    More outputs make it a tuple, in this order:

    * ``return_outcomes=True``: a DataFrame over every input row with
      ``outcome`` ("not_due", "renewed", "late", "churned" or "upsell") and
      ``match`` (row of the renewal or late renewal, of the parent for an
      upsell; -1 otherwise);
    * ``contracts=True``: the DataFrame of the table "renewal_contracts",
      one row per due contract indexed by its input row (contract_row):
      customer_id, group, due_day (datetime), value, outcome ("renewed",
      "late", "churned"), outcome_code, days_to_renewal (NaN when churned),
      renewal_row (-1 when churned), renewal_value, upsell_value,
      counts_as_renewed (bool); per group its rows add up to the summary
      row (due = rows, renewed = sum of counts_as_renewed, ...).

    ``as_table=True`` gives csmetrics.Table objects instead of the two
    tables' DataFrames (Arrow interface)."""
    if group_by not in _GROUPS:
        raise _fail(InvalidArgumentError, "group_by must be None, 'segment', 'channel' or "
                    "'owner'", field="group_by")
    cust = _arrays.as_array(customer_id, np.int64, "customer_id")
    s = _arrays.day_index(start, "start_day")
    e = _arrays.day_index(end, "end_day")
    v = _arrays.as_array(value, np.float64, "value")
    seg, h1 = _arrays.optional_array(segment, np.int32, "segment")
    ch, h2 = _arrays.optional_array(channel, np.int32, "channel")
    ow, h3 = _arrays.optional_array(owner, np.int32, "owner")
    w0 = int(_arrays.day_index(np.asarray([window_start]) if not isinstance(window_start, str)
                               else [window_start], "window_start")[0])
    w1 = int(_arrays.day_index(np.asarray([window_end]) if not isinstance(window_end, str)
                               else [window_end], "window_end")[0])
    conv, outcome, match = _csm.py_renewals(
        cust, s, e, v, seg, ch, ow, int(h1) | 2 * int(h2) | 4 * int(h3), w0, w1,
        int(grace_days), int(bool(late_counts)), int(bool(include_upsells)),
        _GROUPS[group_by])
    summary = _table.Table(conv, 0, keep_codes=True)
    per_contract = summary.result_table("renewal_contracts")
    if as_table:
        out = [summary]
    else:
        df = _table.frame(summary, keep_codes=True)
        if _GROUPS[group_by] == 0:
            df.index = pd.Index(["all"] * len(df), name=df.index.name)
        else:
            df.index.name = group_by
        out = [df]
    if return_outcomes:
        out.append(pd.DataFrame({"outcome": _OUTCOMES[outcome], "match": match}))
    if contracts:
        out.append(per_contract if as_table else _table.frame(per_contract))
    return out[0] if len(out) == 1 else tuple(out)


# ---------------------------------------------------------------------------
# activity

_ACT_GROUPS = {"account": 0, "segment": 1, "role": 2, "cohort": 3, "all": 4}
# the input columns, in the order of the C shim's arguments
_ACT_COUNTS = ["licensed_seats", "activated_seats", "active_users", "sessions", "minutes",
               "features_used", "features_available", "dau", "mau"]
#: The activity measures' names, from the C library (csm_activity_measure_name).
ACTIVITY_RATES = [_csm.py_activity_measure_name(m)
                  for m in range(_csm.py_activity_measure_count())]


def activity(frame, group_by="account", clamp=False, nan_missing=None, as_table=False):
    """Activity measures from a DataFrame (or dict of arrays) with
    ``account_id`` and any of role, segment, cohort and the counts
    licensed_seats, activated_seats, active_users, sessions, minutes,
    features_used, features_available, dau, mau.

    Returns a DataFrame indexed by the group key (named after
    ``group_by``): the table "activity" (n_accounts and the sums), then one
    column per measure (ACTIVITY_RATES: the seven rates, seat-weighted
    ratios of sums) and ``mean_<rate>`` (unweighted means over accounts),
    both from the long table "activity_measures", then ``flags``.
    ``nan_missing``: True reads a NaN count as a missing value (every sum
    and measure of its group that uses that column is NaN); False (the C
    default, CSM_ACTIVITY_OPTS_INIT, used when None) rejects it with
    DomainError.
    ``as_table=True`` returns the csmetrics.Table "activity" instead
    (``result_table("activity_measures")`` for the long table)."""
    if group_by not in _ACT_GROUPS:
        raise _fail(InvalidArgumentError, "group_by must be account, segment, role, cohort "
                    "or all", field="group_by")
    get = (lambda k: frame[k] if k in frame else None)
    acc = _arrays.as_array(get("account_id"), np.int64, "account_id")
    present = 0
    args = []
    for bit, k in [(1, "role"), (2, "segment"), (4, "cohort")]:
        a, h = _arrays.optional_array(get(k), np.int32, k)
        present |= bit if h else 0
        args.append(a)
    for i, k in enumerate(_ACT_COUNTS):
        a, h = _arrays.optional_array(get(k), np.float64, k)
        present |= (8 << i) if h else 0
        args.append(a)
    t = _table.Table(_csm.py_activity(acc, *args, present, _ACT_GROUPS[group_by],
                                      int(bool(clamp)),
                                      -1 if nan_missing is None else int(bool(nan_missing))))
    if as_table:
        return t
    sums = _table.frame(t)
    measures = t.result_table("activity_measures")
    # (labels: the measures' names, for a table without rows)
    rates = _table.pivot(measures, "measure", "rate", labels=ACTIVITY_RATES)
    means = _table.pivot(measures, "measure", ["mean"], labels=ACTIVITY_RATES)
    data = {k: sums[k].to_numpy() for k in sums.columns if k != "flags"}
    data.update((k, rates[k].to_numpy()) for k in rates.columns)
    data.update((k, means[k].to_numpy()) for k in means.columns)
    data["flags"] = sums["flags"].to_numpy()
    df = pd.DataFrame(data, index=sums.index, copy=False)
    df.index.name = group_by
    return df


# ---------------------------------------------------------------------------
# health scorecards


class Scorecard:
    """A health scorecard read from its JSON spec (docs/health-scores.md).

    ``Scorecard.from_json(text_or_path)``, ``Scorecard.from_dict(d)``,
    ``.to_json()``, ``.to_dict()``, ``.inputs``, ``.measures``, ``.groups``,
    ``.bands``, ``.overrides``, ``.score(frame, previous=None)``, and on a
    scoring result ``.band_distribution(scores, mrr=None)`` and
    ``.at_risk(scores, account_id=None, mrr=None, top_n=None,
    n_reasons=None)``."""

    def __init__(self, ptr):
        self._ptr = ptr
        names = _csm.py_scorecard_names(ptr)
        self.inputs = list(names["inputs"])
        self.measures = list(names["measures"])
        self.measure_group = list(names["measure_group"])
        self.groups = list(names["groups"])
        self.bands = list(names["bands"])
        self.overrides = list(names["overrides"])

    def __del__(self):
        ptr = getattr(self, "_ptr", None)
        if ptr is not None:
            _csm.py_scorecard_free(ptr)
            self._ptr = None

    @classmethod
    def from_json(cls, text_or_path):
        """From JSON text or the path of a JSON file.  Malformed JSON raises
        ParseError (line and column); an invalid spec InvalidArgumentError
        whose message names the exact path, e.g.
        "EINVAL: $.groups[1].measures[0].weight: must be >= 0"."""
        text = text_or_path
        if isinstance(text_or_path, os.PathLike) or (
                isinstance(text_or_path, str) and not text_or_path.lstrip().startswith("{")
                and os.path.exists(text_or_path)):
            with open(text_or_path, encoding="utf-8") as f:
                text = f.read()
        return cls(_csm.py_scorecard_from_json(str(text)))

    @classmethod
    def from_dict(cls, d):
        """From a dict with the JSON spec's structure."""
        return cls.from_json(json.dumps(d))

    def to_json(self):
        """The canonical JSON text (every default written out)."""
        return _csm.py_scorecard_to_json(self._ptr)

    def to_dict(self):
        return json.loads(self.to_json())

    def score(self, frame, previous=None, as_table=False):
        """Score the accounts of ``frame`` (a DataFrame with one column per
        input; missing columns and NaN are missing values; extra columns are
        ignored).  ``previous``: a DataFrame with ``score`` (and optionally
        ``band`` names) indexed like frame.

        Returns a DataFrame indexed like frame: the table "health" (score,
        raw_score, band_index, band (the name; None without a band),
        override_index, override (the name of the first override that
        fired, or None), override_mask, change, moved, flags), then per
        measure ``measure_score_<m>``, ``weight_<m>``, ``contribution_<m>``
        (the long table "health_measures") and ``group_contribution_<g>``
        per group ("health_groups").  ``as_table=True`` returns the
        csmetrics.Table "health" instead (its rows are the accounts in
        frame's order, key ``account`` = 0, 1, ...;
        ``result_table("health_measures")`` and ``"health_groups"`` the
        long tables).  The DataFrame keeps that Table in
        ``attrs["health"]``, for band_distribution and at_risk."""
        n = len(frame)
        vals = np.full((n, len(self.inputs)), np.nan)
        for j, name in enumerate(self.inputs):
            if name in frame:
                vals[:, j] = _arrays.as_array(frame[name], np.float64, name)
        vals = np.ascontiguousarray(vals)
        has = 0
        ps = np.empty(0)
        pb = np.empty(0, np.int32)
        if previous is not None:
            prev = previous.reindex(frame.index) if hasattr(previous, "reindex") else previous
            if "score" in prev:
                ps = _arrays.as_array(prev["score"], np.float64, "score")
                has |= 1
            if "band" in prev:
                lut = {b: i for i, b in enumerate(self.bands)}
                pb = np.asarray([lut.get(b, -1) for b in prev["band"]], dtype=np.int32)
                has |= 2
        t = _table.Table(_csm.py_score(self._ptr, vals, ps, pb, has))
        if as_table:
            return t
        accounts = _table.frame(t)
        # (labels: the names, for zero accounts)
        measures = _table.pivot(t.result_table("health_measures"), "measure_name",
                                ["measure_score", "weight", "contribution"],
                                index=["account"], labels=self.measures)
        groups = _table.pivot(t.result_table("health_groups"), "group_name",
                              ["group_contribution"], index=["account"], labels=self.groups)
        data = {k: accounts[k].to_numpy() for k in accounts.columns}
        for part in (measures, groups):
            data.update((k, part[k].to_numpy()) for k in part.columns)
        df = pd.DataFrame(data, index=frame.index, copy=False)
        df.attrs["health"] = t
        return df

    def _health(self, scores):
        """The "health" Table of a scoring result (score's DataFrame or
        Table)."""
        t = scores.attrs.get("health") if isinstance(scores, pd.DataFrame) else scores
        if not isinstance(t, _table.Table) or t.kind != "health":
            raise _fail(InvalidArgumentError, "expected the result of Scorecard.score "
                        "(its DataFrame or Table)", field="scores")
        return t

    def band_distribution(self, scores, mrr=None, as_table=False):
        """How the scored accounts spread over the bands: the DataFrame of
        the table "health_bands", one row per band of the scorecard (all of
        them) from the best band down, indexed by band index: band_name,
        accounts, share (accounts / accounts with a band; NaN when none
        has one), mrr (sum of the band's accounts' ``mrr``, optional, one
        per scored account; NaN counts 0).  Accounts without a band are in
        no row.  ``scores``: the result of score (DataFrame or Table).
        ``as_table=True`` returns the csmetrics.Table."""
        t = self._health(scores)
        m, hm = _arrays.optional_array(mrr, np.float64, "mrr")
        conv = _csm.py_health_bands(self._ptr, t._conv["result"], m, int(hm))
        return _table.result(conv, as_table, keep_codes=True)

    def at_risk(self, scores, account_id=None, mrr=None, top_n=None, n_reasons=None,
                reasons=False, as_table=False):
        """The accounts most at risk and why: the DataFrame of the table
        "health_at_risk" indexed by rank (1 = lowest score; ties by mrr
        descending, then account order): account (row in scores), account_id
        (``account_id[row]``, default the row), score, band, band_name, mrr
        (NaN when unknown), top_reasons ("measure -points; ...", then
        "override: name").  The points of measure k are weight x (100 -
        measure_score).  ``top_n`` accounts (0 = every scored one) and
        ``n_reasons`` measures each (0..8); None keeps the C defaults
        (CSM_HEALTH_RISK_OPTS_INIT: 10 and 2).

        ``reasons=True`` returns (accounts, reasons) with the DataFrame of
        "health_reasons" indexed by (rank, reason): measure, measure_name,
        points.  ``as_table=True`` returns the csmetrics.Table
        "health_at_risk" (``result_table("health_reasons")``)."""
        t = self._health(scores)
        ids, hi = _arrays.optional_array(account_id, np.int64, "account_id")
        m, hm = _arrays.optional_array(mrr, np.float64, "mrr")
        top = -1 if top_n is None else _arrays.integer(top_n, "top_n")
        nr = -1 if n_reasons is None else _arrays.integer(n_reasons, "n_reasons")
        if top_n is not None and top < 0:
            raise _fail(InvalidArgumentError, "top_n must be >= 0", field="top_n")
        if n_reasons is not None and nr < 0:
            raise _fail(InvalidArgumentError, "n_reasons must be >= 0", field="n_reasons")
        conv = _csm.py_health_at_risk(t._conv["result"], ids, int(hi), m, int(hm), top, nr)
        risk = _table.Table(conv, 0, keep_codes=True)
        if as_table:
            return risk
        df = _table.frame(risk, keep_codes=True)
        if reasons:
            return df, _table.frame(risk.result_table("health_reasons"), keep_codes=True)
        return df
