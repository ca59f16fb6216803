"""Churn-risk prediction (csmetrics/churn.h): an L2-penalized logistic
regression of "churned within the horizon" on per-account features
(``ChurnModel.fit``), its probabilities and per-feature contributions, and
the validation of any risk score: ``roc_auc`` (with ``auc_interval``, the
DeLong interval, and ``roc_curve``), ``brier_score``, ``log_loss``, ``calibration_table`` and
``churn_validation`` (all of them at once, with the top-decile lift), and
health scorecard weights proposed from a model fit on the scorecard's
inputs (``ChurnModel.propose_scorecard``).

Definitions and every choice made: docs/metrics.md, "Churn-risk
prediction".  Every figure is computed by the C library; the results are
its tables "churn_model", "churn_fit", "churn_scores",
"churn_contributions", "churn_auc", "churn_roc", "churn_validation",
"churn_calibration" and "churn_proposal" (csmetrics._table; ``as_table=True`` or the ``tables``
attribute give the csmetrics.Table objects, with the Arrow interface).
Options left at None take the C defaults (CSM_CHURN_MODEL_OPTS_INIT: l2 =
1, tol = 1e-10, max_iter = 100; CSM_CHURN_VALIDATION_OPTS_INIT: 10 bins,
level 0.95).

The library does not split rows in time: fit on the earlier periods and
validate on the later ones yourself (``train = df.period <= t``).
"""
import numpy as np
import pandas as pd

from . import _arrays, _csm, _table
from ._errors import InputTypeError, InvalidArgumentError, _fail
from ._options import options
from ._result import Result
from .health import Scorecard

__all__ = ["ChurnModel", "ChurnValidation", "roc_auc", "auc_interval", "roc_curve",
           "brier_score", "log_loss", "calibration_table", "churn_validation"]


def _matrix(X, field="x"):
    """X (a DataFrame or a 2-D array-like of numbers) as a C-contiguous
    float64 ndarray (the caller's own buffer when it already is one), with
    the feature names (the DataFrame's columns, else None) and the row
    index (the DataFrame's, else None)."""
    names = index = None
    if isinstance(X, pd.DataFrame):
        names, index = [str(c) for c in X.columns], X.index
        bad = [c for c, dt in X.dtypes.items()
               if not (pd.api.types.is_numeric_dtype(dt) or pd.api.types.is_bool_dtype(dt))]
        if bad:
            raise _fail(InputTypeError, f"column {bad[0]!r} is not numeric", field=field)
        a = X.to_numpy(dtype=np.float64, na_value=np.nan)
    elif isinstance(X, np.ndarray):
        a = X
    else:
        try:
            a = np.asarray(X)
        except (TypeError, ValueError) as exc:
            raise _fail(InputTypeError, f"cannot make a matrix: {exc}", field=field) from None
    if a.ndim != 2:
        raise _fail(InvalidArgumentError,
                    f"expected a 2-D array (rows x features), got {a.ndim} dimension(s)",
                    field=field)
    if a.dtype.kind not in "biuf":
        raise _fail(InputTypeError, f"cannot convert {a.dtype} values to float64", field=field)
    return np.ascontiguousarray(a, dtype=np.float64), names, index


def _outcomes(y):
    return _arrays.as_array(y, np.uint8, "y")


def _series(values, index, name):
    return pd.Series(values, index=index, name=name, copy=False)


class ChurnModel:
    """A fitted churn model (csm_churn_model_fit): an L2-penalized logistic
    regression on standardized features (mean 0, population SD 1), intercept
    not penalized.

    * ``features``: the feature names (the DataFrame's columns, or
      ``feature_names``, or "x0", "x1", ...);
    * ``coefficients``, ``standard_errors``, ``odds_ratios``: Series by
      feature on the standardized scale (per SD of the feature);
      ``intercept``: the log-odds of an account at the features' means;
    * ``summary``: the DataFrame of the table "churn_model" indexed by term
      ("intercept", then the features): coefficient, std_error, z, p_value,
      odds_ratio, mean, sd, raw_coefficient (per unit of the raw feature),
      flag_bits (degenerate: a constant feature, left out of the fit);
    * ``fit_info``: the one row of "churn_fit" (n, events, features, l2,
      iterations, loglik, objective, log_loss, gradient, flags);
    * ``predict_proba(X)``, ``contributions(X)``, ``score(X)``,
      ``validate(X, y)``, ``propose_scorecard(scorecard)``;
    * ``tables``: {"churn_model": Table, "churn_fit": Table}.
    """

    def __init__(self, conv, features):
        t = _table.Table(conv, 0, keep_codes=True)
        self._conv = conv
        self.features = list(features)
        self.tables = {"churn_model": t, "churn_fit": t.result_table("churn_fit")}
        summary = _table.flat(t, keep_codes=True).drop(columns="term")
        summary.index = pd.Index(["intercept"] + self.features, name="term")
        self.summary = summary
        self.fit_info = _table.row(self.tables["churn_fit"])

    @classmethod
    def fit(cls, X, y, l2=None, tol=None, max_iter=None, feature_names=None):
        """Fit the model to features X (a DataFrame: its columns are the
        features; or a 2-D array, n rows x p features, read in place when it
        is C-contiguous float64) and outcomes y (1 = churned within the
        horizon, 0 = did not; bools allowed).  ``l2``: the penalty, the
        objective being the sum of the log-losses + (l2 / 2) x the sum of
        the squared standardized coefficients (None: the C default 1.0; 0 is
        plain maximum likelihood).  A perfectly predictive feature with
        l2 = 0 raises ConvergenceError (separation), never hangs."""
        x, names, _index = _matrix(X)
        if feature_names is not None:
            names = [str(f) for f in feature_names]
            if len(names) != x.shape[1]:
                raise _fail(InvalidArgumentError,
                            f"{len(names)} names for {x.shape[1]} features",
                            field="feature_names")
        if names is None:
            names = [f"x{j}" for j in range(x.shape[1])]
        o = options(_csm.churn_model_opts,
                    l2=None if l2 is None else _arrays.scalar(l2, "l2"),
                    tol=None if tol is None else _arrays.scalar(tol, "tol"),
                    max_iter=None if max_iter is None else _arrays.integer(max_iter, "max_iter"))
        return cls(_csm.py_churn_model_fit(x, _outcomes(y), o), names)

    def _feature_rows(self, col):
        return _series(self.summary[col].to_numpy()[1:], pd.Index(self.features), col)

    @property
    def coefficients(self):
        """Coefficients by feature, standardized scale (log-odds per SD)."""
        return self._feature_rows("coefficient")

    @property
    def standard_errors(self):
        """Standard errors by feature (inverse Hessian of the penalized
        objective; NaN for a constant feature)."""
        return self._feature_rows("std_error")

    @property
    def odds_ratios(self):
        """exp(coefficient) by feature: the odds multiplier per SD."""
        return self._feature_rows("odds_ratio")

    @property
    def intercept(self):
        """The intercept: the log-odds of an account at the features' means."""
        return float(self.summary["coefficient"].iloc[0])

    def _score(self, X):
        x, _names, index = _matrix(X)
        conv = _csm.py_churn_model_score(self._conv["result"], x)
        return _table.Table(conv, 0, keep_codes=True), index

    def score(self, X, as_table=False):
        """The table "churn_scores" of X's rows (same features, same order
        as the fit): logit, probability, top_feature (the name of the
        feature with the largest positive contribution: the main reason for
        the risk; None when no contribution is positive) and
        top_contribution, indexed as X (a DataFrame) or by row.
        ``as_table=True`` returns the csmetrics.Table (with
        ``result_table("churn_contributions")``)."""
        t, index = self._score(X)
        if as_table:
            return t
        codes = t["top_term"]
        names = np.array(self.features + [None], dtype=object)
        top = names[np.where(codes == _table._CODE_ALL, len(self.features), codes)]
        return pd.DataFrame({"logit": t["logit"], "probability": t["probability"],
                             "top_feature": top, "top_contribution": t["top_contribution"]},
                            index=index if index is not None else pd.RangeIndex(len(t)))

    def predict_proba(self, X):
        """Churn probability of each row of X: a 1-D array (a Series with
        X's index when X is a DataFrame).  Unlike scikit-learn's, one
        column: P(churn)."""
        t, index = self._score(X)
        p = t["probability"]
        return p if index is None else _series(p, index, "probability")

    def contributions(self, X):
        """Per-feature contributions to each row's log-odds, coefficient x
        standardized feature (they sum to logit - intercept): a DataFrame,
        rows as X, one column per feature."""
        t, index = self._score(X)
        c = t.result_table("churn_contributions")["contribution"]
        m = c.reshape(len(t), len(self.features))
        return pd.DataFrame(m, index=index if index is not None else pd.RangeIndex(len(t)),
                            columns=pd.Index(self.features), copy=False)

    def validate(self, X, y, bins=None, level=None):
        """churn_validation of this model's probabilities of X against y
        (e.g. the later periods held out of the fit)."""
        return churn_validation(y, np.asarray(self.predict_proba(X)), bins=bins, level=level)

    def propose_scorecard(self, scorecard, name=None, report=False):
        """A health scorecard whose measure weights follow this model
        (csm_churn_proposal_compute; docs/metrics.md, "Churn-risk
        prediction"), for a model whose features are named as the
        scorecard's inputs: the measures matched to a feature share the
        matched measures' current share in proportion to |coefficient|
        when the coefficient's sign agrees with the measure's direction
        (more of what scores healthy, less churn); a measure whose
        coefficient says the opposite gets share 0 (reported as
        "conflict", never flipped); the others keep their share.

        ``scorecard``: a Scorecard, or its JSON text or path.  ``name``:
        the proposal's name (None: the scorecard's).  Returns the proposed
        Scorecard (``.to_json()`` is the spec to save and load), or with
        ``report=True`` the pair (Scorecard, DataFrame of the table
        "churn_proposal" indexed by measure_name: measure, feature (its
        name, None without one), direction, coefficient, basis ("model",
        "conflict", "kept"), current_share, proposed_share,
        proposed_weight)."""
        sc = scorecard if isinstance(scorecard, Scorecard) else Scorecard.from_json(scorecard)
        if name is not None and not isinstance(name, str):
            raise _fail(InputTypeError, "expected a str", field="name")
        new = Scorecard(_csm.py_churn_proposal_scorecard(self._conv["result"], self.features,
                                                         sc._ptr, name))
        if not report:
            return new
        t = _table.Table(_csm.py_churn_proposal_compute(self._conv["result"], self.features,
                                                        sc._ptr, name), 0, keep_codes=True)
        df = _table.flat(t, keep_codes=True)
        codes = t["feature"]
        names = np.array(self.features + [None], dtype=object)
        df["feature"] = names[np.where(codes == _table._CODE_ALL, len(self.features), codes)]
        return new, df.set_index("measure_name")

    def __repr__(self):
        return (f"ChurnModel(features={self.features!r}, l2={self.fit_info['l2']!r}, "
                f"n={self.fit_info['n']}, loglik={self.fit_info['loglik']:.6g})")


def auc_interval(y, score, level=None, as_table=False):
    """The ROC AUC of ``score`` (any numbers, higher = riskier) against
    outcomes ``y`` with its DeLong standard error and interval at ``level``
    (None: the C default 0.95): a Result with n, events, auc, std_error,
    lower, upper, flags (the one row of the table "churn_auc";
    ``as_table=True`` returns that csmetrics.Table).  Ties count 1/2."""
    t = _auc_table(y, score, level)
    return t if as_table else Result(_table.row(t), _table=t)


def _auc_table(y, score, level=None):
    o = options(_csm.churn_auc_opts,
                level=None if level is None else _arrays.scalar(level, "level"))
    return _table.Table(_csm.py_churn_auc_compute(_outcomes(y),
                                                  _arrays.as_array(score, np.float64, "score"),
                                                  o))


def roc_curve(y, score, as_table=False):
    """The ROC curve of ``score`` against ``y``: a DataFrame of the table
    "churn_roc" indexed by point (0 = the origin, then one point per
    distinct score, highest first): threshold (rows with score >= it are
    flagged; NaN at the origin), tpr and fpr.  ``as_table=True`` returns the
    csmetrics.Table."""
    t = _auc_table(y, score).result_table("churn_roc")
    return t if as_table else _table.frame(t)


def roc_auc(y, score):
    """The ROC AUC of ``score`` against outcomes ``y`` (1 = churned): the
    Mann-Whitney probability that a churner scores above a non-churner, ties
    counting 1/2 (NaN without both classes).  See auc_interval for its
    standard error."""
    return auc_interval(y, score).auc


class ChurnValidation:
    """Validation of churn probabilities (csm_churn_validation_compute):
    ``summary`` (a Result: n, events, base_rate, auc, auc_std_error,
    auc_lower, auc_upper, brier, log_loss, top_rate, top_lift, flags),
    ``calibration`` (DataFrame of "churn_calibration" indexed by bin: n,
    events, mean_predicted, observed_rate, min_predicted, max_predicted,
    flag_bits) and ``tables`` (both csmetrics.Table objects)."""

    def __init__(self, conv):
        t = _table.Table(conv, 0)
        cal = t.result_table("churn_calibration")
        self.tables = {"churn_validation": t, "churn_calibration": cal}
        self.summary = Result(_table.row(t), _table=t)
        self.calibration = _table.frame(cal)

    def __getattr__(self, name):
        if name != "summary" and "summary" in self.__dict__:
            return getattr(self.summary, name)
        raise AttributeError(name)

    def __repr__(self):
        s = self.summary
        return (f"ChurnValidation(n={s.n}, auc={s.auc:.4f}, brier={s.brier:.4f}, "
                f"log_loss={s.log_loss:.4f}, top_lift={s.top_lift:.3f})")


def churn_validation(y, prob, bins=None, level=None):
    """AUC (with its DeLong interval at ``level``), Brier score, log loss,
    the calibration table in ``bins`` bins of the sorted probabilities
    (None: 10, deciles) and the top bin's lift, of probabilities ``prob``
    (each in [0, 1]) against outcomes ``y``: a ChurnValidation (its
    summary's fields are also its attributes)."""
    o = options(_csm.churn_validation_opts,
                bins=None if bins is None else _arrays.integer(bins, "bins"),
                level=None if level is None else _arrays.scalar(level, "level"))
    return ChurnValidation(_csm.py_churn_validation_compute(
        _outcomes(y), _arrays.as_array(prob, np.float64, "prob"), o))


def brier_score(y, prob):
    """Mean of (prob - y)^2 (churn_validation's ``brier``)."""
    return churn_validation(y, prob).brier


def log_loss(y, prob):
    """Mean of -y ln(prob) - (1 - y) ln(1 - prob), natural log, not clipped
    (churn_validation's ``log_loss``)."""
    return churn_validation(y, prob).log_loss


def calibration_table(y, prob, bins=None):
    """churn_validation's calibration DataFrame (None: 10 bins)."""
    return churn_validation(y, prob, bins=bins).calibration
