"""Renewals, survival models, team efficiency, activity measures and health
scorecards (csmetrics/renewals.h, survival.h, team.h, activity.h, health.h).

Definitions: docs/metrics.md ("Renewals", "Survival", "Team efficiency",
"Activity measures") and docs/health-scores.md.
"""
import json
import os

import numpy as np
import pandas as pd

from . import _arrays, _csm
from ._errors import InvalidArgumentError, _fail
from .ledger import Ledger

_I32_MIN = np.iinfo(np.int32).min

# ---------------------------------------------------------------------------
# Kaplan-Meier and lifetimes


class KaplanMeier:
    """A Kaplan-Meier fit: ``table`` (DataFrame: time, at_risk, events,
    censored, survival, stderr, lower, upper; a ``group`` column when
    grouped), per-curve ``summary`` (DataFrame indexed by group: n, events,
    median, median_low, median_high, rmst, horizon), and for a single curve
    ``median``, ``median_ci`` and ``rmst``."""

    def __init__(self, d, level):
        g, r = d["groups"], d["rows"]
        off = g["row_offset"].astype(np.int64)
        grp = np.repeat(g["group"], np.diff(off))
        self.level = level
        self.table = pd.DataFrame({
            "group": grp, "time": r["time"], "at_risk": r["n_risk"],
            "events": r["n_event"], "censored": r["n_censor"], "survival": r["surv"],
            "stderr": r["se"], "lower": r["lower"], "upper": r["upper"]})
        self.summary = pd.DataFrame({
            "n": g["n_obs"], "events": g["n_events"], "median": g["median"],
            "median_low": g["median_lower"], "median_high": g["median_upper"],
            "rmst": g["rmst"], "horizon": g["horizon"]},
            index=pd.Index(g["group"], name="group"))
        if len(g["group"]) == 1:
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
                 horizon=None, include_overall=False):
    """Kaplan-Meier survival with Greenwood standard errors, a log-log
    confidence band at ``level``, the median with its interval and the
    restricted mean up to ``horizon`` (default: the largest time).

    ``observed`` is 1 where the customer churned (event) and 0 where it is
    still active (right-censored)."""
    dur = _arrays.as_array(durations, np.float64, "duration")
    ev = _arrays.as_array(observed, np.uint8, "event")
    w, hw = _arrays.optional_array(weights, np.float64, "weight")
    g, hg = _arrays.optional_array(groups, np.int32, "group")
    d = _csm.py_km(dur, ev, w, int(hw), g, int(hg), float(level),
                   0.0 if horizon is None else float(horizon), int(include_overall))
    return KaplanMeier(d, level)


def _lifetimes(self, as_of=None):
    """Customer lifetimes (months in the first unbroken active run) as a
    DataFrame: customer_id, first_month (Period), segment, duration, event
    (1 churned, 0 still active = censored).  Feed duration and event to
    kaplan_meier."""
    m = _I32_MIN if as_of is None else _arrays.month_scalar(as_of, "as_of")
    d = _csm.py_lifetimes(self._ptr, int(m))
    return pd.DataFrame({"customer_id": d["customer_id"],
                         "first_month": _arrays.periods(d["first_month"]),
                         "segment": d["segment"], "duration": d["duration"],
                         "event": d["event"]})


def _team(self, owner_customer, owner, at_risk=None, month=None):
    """Accounts, MRR/ARR and at-risk accounts per owner (CSM) in ``month``
    (default: the ledger's last month): a DataFrame indexed by owner
    (CSM_OWNER_NONE = -2147483648 for unassigned customers), with
    ``attrs`` n_csm, accounts_per_csm and arr_per_csm."""
    oc = _arrays.as_array(owner_customer, np.int64, "owner_customer")
    ow = _arrays.as_array(owner, np.int32, "owner")
    risk = np.empty(0, np.int64) if at_risk is None else \
        _arrays.as_array(at_risk, np.int64, "at_risk")
    m = _I32_MIN if month is None else _arrays.month_scalar(month, "month")
    d = _csm.py_team(self._ptr, oc, ow, risk, int(m))
    df = pd.DataFrame({k: d[k] for k in ["accounts", "mrr", "arr", "at_risk_accounts",
                                          "at_risk_mrr", "mrr_per_account", "share_of_mrr"]},
                      index=pd.Index(d["owner"], name="owner"))
    df.attrs.update(n_csm=int(d["n_csm"]), accounts_per_csm=float(d["accounts_per_csm"]),
                    arr_per_csm=float(d["arr_per_csm"]))
    return df


def _ledger_ltv(self, gross_margin, window=12, month=None, zero_churn="error",
                churn_floor=0.0167, lifetime_cap_months=0.0):
    """Simple LTV from the ledger's observed figures: ARPA in ``month``
    (default: the last) and the monthly customer churn over the ``window``
    months ending there (churned / opening customers, summed).  Returns a
    dict ltv, lifetime_months, churn_used, flags."""
    m = _I32_MIN if month is None else _arrays.month_scalar(month, "month")
    policy = {"error": 0, "floor": 1, "cap": 2}
    if zero_churn not in policy:
        raise _fail(InvalidArgumentError, "zero_churn must be error, floor or cap",
                    field="zero_churn")
    return _csm.py_ltv_from_ledger(self._ptr, int(m), int(window), float(gross_margin),
                                   policy[zero_churn], float(churn_floor),
                                   float(lifetime_cap_months))


Ledger.lifetimes = _lifetimes
Ledger.team = _team
Ledger.ltv = _ledger_ltv


# ---------------------------------------------------------------------------
# shifted-beta-geometric


class SBGFit:
    """A fitted shifted-beta-geometric model (Fader & Hardie 2007): alpha,
    beta, loglik, stderr (se of alpha, se of beta), converged; survival(t),
    retention(t), expected_lifetime(), del_(d), derl(d, n), ltv_new(margin,
    d), ltv_existing(margin, d, n)."""

    def __init__(self, alpha, beta, d=None):
        self.alpha, self.beta = float(alpha), float(beta)
        d = d or {}
        self.loglik = d.get("loglik", float("nan"))
        self.stderr = (d.get("se_alpha", float("nan")), d.get("se_beta", float("nan")))
        self.converged = bool(d.get("converged", 0))
        self.iterations = d.get("iterations", 0)

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


def sbg_fit(survivors, cohorts=None):
    """Fit the sBG model by maximum likelihood to survivor counts per period
    (one cohort: alive at periods 0..T; several cohorts: ``cohorts`` labels
    each row, rows of a cohort contiguous and in period order)."""
    a = _arrays.as_array(survivors, np.float64, "alive")
    c, hc = _arrays.optional_array(cohorts, np.int32, "cohort")
    d = _csm.py_sbg_fit(a, c, int(hc))
    return SBGFit(d["alpha"], d["beta"], d)


# ---------------------------------------------------------------------------
# renewals

_OUTCOMES = np.array(["not_due", "renewed", "late", "churned", "upsell"])
_GROUPS = {None: 0, "none": 0, "segment": 1, "channel": 2, "owner": 3}


def renewals(customer_id, start, end, value, window_start, window_end, *, segment=None,
             channel=None, owner=None, group_by=None, grace_days=90, late_counts=False,
             include_upsells=False, return_outcomes=False):
    """Contracts due in [window_start, window_end] (days, inclusive): renewed
    within ``grace_days`` after the due day, renewed late, churned; logo and
    dollar renewal rates.  Returns a DataFrame indexed by group key (one row
    'all' without grouping); with ``return_outcomes`` also a DataFrame of the
    per-contract outcome and matched row."""
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
    d = _csm.py_renewals(cust, s, e, v, seg, ch, ow, int(h1) | 2 * int(h2) | 4 * int(h3),
                         w0, w1, int(grace_days), int(bool(late_counts)),
                         int(bool(include_upsells)), _GROUPS[group_by])
    cols = ["due", "renewed", "late", "churned", "due_value", "renewed_value", "late_value",
            "churned_value", "upsell_value", "logo_renewal_rate", "dollar_renewal_rate"]
    index = pd.Index(["all"] if _GROUPS[group_by] == 0 else d["key"],
                     name=group_by or "group")
    df = pd.DataFrame({k: d[k] for k in cols}, index=index)
    if return_outcomes:
        out = pd.DataFrame({"outcome": _OUTCOMES[d["outcome"]], "match": d["match"]})
        return df, out
    return df


# ---------------------------------------------------------------------------
# activity

_ACT_GROUPS = {"account": 0, "segment": 1, "role": 2, "cohort": 3, "all": 4}
_ACT_COUNTS = ["licensed_seats", "activated_seats", "active_users", "sessions", "minutes",
               "features_used", "features_available", "dau", "mau"]
ACTIVITY_RATES = ["activation_rate", "login_rate", "sessions_per_user", "minutes_per_user",
                  "minutes_per_session", "feature_breadth", "stickiness"]


def activity(frame, group_by="account", clamp=False):
    """Activity measures from a DataFrame (or dict of arrays) with
    ``account_id`` and any of role, segment, cohort and the counts
    licensed_seats, activated_seats, active_users, sessions, minutes,
    features_used, features_available, dau, mau.  Returns a DataFrame indexed
    by the group key with the sums, the seven rates (seat-weighted ratios of
    sums) and ``mean_<rate>`` (unweighted means over accounts)."""
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
    d = _csm.py_activity(acc, *args, present, _ACT_GROUPS[group_by], int(bool(clamp)))
    df = pd.DataFrame({k: d[k] for k in ["n_accounts"] + _ACT_COUNTS},
                      index=pd.Index(d["key"], name=group_by))
    for j, name in enumerate(ACTIVITY_RATES):
        df[name] = d["rate"][:, j]
    for j, name in enumerate(ACTIVITY_RATES):
        df["mean_" + name] = d["mean"][:, j]
    return df


# ---------------------------------------------------------------------------
# health scorecards


class Scorecard:
    """A health scorecard read from its JSON spec (docs/health-scores.md).

    ``Scorecard.from_json(text_or_path)``, ``Scorecard.from_dict(d)``,
    ``.to_json()``, ``.to_dict()``, ``.inputs``, ``.measures``, ``.groups``,
    ``.bands``, ``.overrides``, and ``.score(frame, previous=None)``."""

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
        whose message is the exact path, e.g.
        "$.groups[1].measures[0].weight: must be >= 0"."""
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

    def score(self, frame, previous=None):
        """Score the accounts of ``frame`` (a DataFrame with one column per
        input; missing columns and NaN are missing values; extra columns are
        ignored).  ``previous``: a DataFrame with ``score`` (and optionally
        ``band`` names) indexed like frame.  Returns a DataFrame indexed like
        frame: score, raw_score, band, override, change, moved, and per
        measure ``measure_score_<m>``, ``weight_<m>``, ``contribution_<m>``,
        plus ``group_contribution_<g>``."""
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
        d = _csm.py_score(self._ptr, vals, ps, pb, has)
        bands = np.asarray(self.bands + [None], dtype=object)
        ovs = np.asarray(self.overrides + [None], dtype=object)
        out = pd.DataFrame({
            "score": d["score"], "raw_score": d["raw_score"],
            "band": bands[np.where(d["band"] < 0, len(self.bands), d["band"])],
            "override": ovs[np.where(d["override_index"] < 0, len(self.overrides),
                                     d["override_index"])],
            "change": d["change"], "moved": d["moved"].astype(bool)}, index=frame.index)
        for j, m in enumerate(self.measures):
            out["measure_score_" + m] = d["measure_score"][:, j]
            out["weight_" + m] = d["weight"][:, j]
            out["contribution_" + m] = d["contribution"][:, j]
        for j, g in enumerate(self.groups):
            out["group_contribution_" + g] = d["group_contribution"][:, j]
        return out
