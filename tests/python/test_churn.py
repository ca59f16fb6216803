"""Python bindings of the churn family (csmetrics/churn.h).

Expected values: the hand-worked fixtures of tests/test-churn.c (the 8-row
model, the AUC and validation fixtures), and scikit-learn (Debian's
python3-sklearn) as the independent implementation: LogisticRegression
with penalty l2 and C = 1 / l2 on features standardized by StandardScaler
(population SD; sklearn's lbfgs/newton-cg solvers do not penalize the
intercept), roc_auc_score (ties count 1/2), brier_score_loss and log_loss.
Standard errors are checked against numpy's inverse of the penalized
Hessian written out here."""
import math

import numpy as np
import pandas as pd
import pytest

import csmetrics as csm
from csmetrics import churn

sklearn = pytest.importorskip("sklearn")
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.metrics import brier_score_loss, roc_auc_score  # noqa: E402
from sklearn.metrics import roc_curve as sk_roc_curve  # noqa: E402
from sklearn.metrics import log_loss as sk_log_loss  # noqa: E402
from sklearn.preprocessing import StandardScaler  # noqa: E402

# tests/test-churn.c's 8-row fixture
FX = pd.DataFrame({"usage": [10.0, 10, 10, 10, 30, 30, 30, 30]})
FY = np.array([0, 0, 0, 1, 0, 1, 1, 1])


def generated(n=600, seed=3):
    """Four features of different scales, one binary, and outcomes drawn
    from a logistic model."""
    rng = np.random.default_rng(seed)
    logins = rng.poisson(20, n).astype(float)
    nps = rng.integers(0, 11, n).astype(float)
    tickets = rng.poisson(2, n).astype(float)
    champion_left = (rng.random(n) < 0.2).astype(float)
    eta = -1.0 - 0.05 * (logins - 20) - 0.2 * (nps - 5) + 0.3 * tickets + 1.2 * champion_left
    y = (rng.random(n) < 1 / (1 + np.exp(-eta))).astype(np.uint8)
    X = pd.DataFrame({"logins": logins, "nps": nps, "tickets": tickets,
                      "champion_left": champion_left})
    return X, y


def sklearn_fit(X, y, l2):
    z = StandardScaler().fit_transform(X)
    if l2 == 0:
        lr = LogisticRegression(penalty=None, solver="newton-cg", tol=1e-8, max_iter=10000)
    else:
        lr = LogisticRegression(penalty="l2", C=1 / l2, solver="newton-cg", tol=1e-8,
                                max_iter=10000)
    lr.fit(z, y)  # newton-cg, not Cholesky: a different method than the library's
    return lr, z


def test_hand_fixture():
    # l2 = 0: b0 = 0, b1 = ln 3, SE sqrt(2/3) both (tests/test-churn.c)
    m = csm.ChurnModel.fit(FX, FY, l2=0)
    assert m.features == ["usage"]
    assert m.intercept == pytest.approx(0, abs=1e-12)
    assert m.coefficients["usage"] == pytest.approx(math.log(3), abs=1e-12)
    assert m.standard_errors["usage"] == pytest.approx(math.sqrt(2 / 3), abs=1e-12)
    assert m.odds_ratios["usage"] == pytest.approx(3, abs=1e-12)
    assert m.summary.loc["usage", "raw_coefficient"] == pytest.approx(math.log(3) / 10)
    assert m.summary.loc["intercept", "raw_coefficient"] == pytest.approx(-2 * math.log(3))
    assert m.summary.loc["usage", "p_value"] == pytest.approx(0.17845744247698153, abs=1e-9)
    assert m.fit_info["loglik"] == pytest.approx(6 * math.log(0.75) + 2 * math.log(0.25))
    p = m.predict_proba(FX)
    assert isinstance(p, pd.Series)
    np.testing.assert_allclose(p, [0.25] * 4 + [0.75] * 4, atol=1e-12)
    # l2 = 1 (the default): 8 (sigma(b) - 3/4) + b = 0, b = 0.683624
    m1 = csm.ChurnModel.fit(FX, FY)
    assert m1.fit_info["l2"] == 1.0
    assert m1.coefficients["usage"] == pytest.approx(0.6836238387577513, abs=1e-10)


# newton-cg may report a line search stopped by rounding at a tight tol:
# the comparison below is what counts
@pytest.mark.filterwarnings("ignore::UserWarning", "ignore::RuntimeWarning")
def test_matches_sklearn():
    X, y = generated()
    for l2 in (0.0, 0.1, 1.0, 25.0):
        m = csm.ChurnModel.fit(X, y, l2=l2)
        lr, z = sklearn_fit(X, y, l2)
        np.testing.assert_allclose(m.coefficients.to_numpy(), lr.coef_[0], atol=1e-6, rtol=0)
        assert m.intercept == pytest.approx(lr.intercept_[0], abs=1e-6)
        np.testing.assert_allclose(m.predict_proba(X).to_numpy(), lr.predict_proba(z)[:, 1],
                                   atol=1e-6, rtol=0)
        # the means and population SDs are StandardScaler's
        sc = StandardScaler().fit(X)
        np.testing.assert_allclose(m.summary["mean"].to_numpy()[1:], sc.mean_, rtol=1e-12)
        np.testing.assert_allclose(m.summary["sd"].to_numpy()[1:], sc.scale_, rtol=1e-12)


def test_standard_errors_inverse_hessian():
    X, y = generated(400, seed=11)
    l2 = 2.0
    m = csm.ChurnModel.fit(X, y, l2=l2)
    z = (X.to_numpy() - X.to_numpy().mean(0)) / X.to_numpy().std(0)
    Z = np.column_stack([np.ones(len(z)), z])
    b = np.concatenate([[m.intercept], m.coefficients.to_numpy()])
    p = 1 / (1 + np.exp(-Z @ b))
    H = Z.T @ (Z * (p * (1 - p))[:, None]) + np.diag([0.0] + [l2] * z.shape[1])
    se = np.sqrt(np.diag(np.linalg.inv(H)))
    np.testing.assert_allclose(m.summary["std_error"].to_numpy(), se, rtol=1e-9)
    np.testing.assert_allclose(m.odds_ratios.to_numpy(), np.exp(m.coefficients.to_numpy()))


def test_contributions_and_score():
    X, y = generated(300, seed=5)
    m = csm.ChurnModel.fit(X, y, l2=1.0)
    c = m.contributions(X)
    assert list(c.columns) == list(X.columns)
    expect = (X - m.summary["mean"].iloc[1:].to_numpy()) / m.summary["sd"].iloc[1:].to_numpy() \
        * m.coefficients.to_numpy()
    np.testing.assert_allclose(c.to_numpy(), expect.to_numpy(), atol=1e-12)
    s = m.score(X)
    np.testing.assert_allclose(s["logit"], m.intercept + c.sum(axis=1), atol=1e-12)
    # the top feature: the largest positive contribution, None if none
    best = c.where(c > 0).idxmax(axis=1, skipna=True)
    none = (c <= 0).all(axis=1)
    assert (s["top_feature"][~none] == best[~none]).all()
    assert s["top_feature"][none].isna().all()
    t = m.score(X, as_table=True)
    assert t.name == "churn_scores" and len(t) == 300


def test_array_input_and_no_copy():
    X, y = generated(200, seed=9)
    a = np.ascontiguousarray(X.to_numpy(), dtype=np.float64)
    assert churn._matrix(a)[0] is a  # C reads the caller's buffer
    m = csm.ChurnModel.fit(a, y, l2=1.0)
    assert m.features == ["x0", "x1", "x2", "x3"]
    mdf = csm.ChurnModel.fit(X, y.astype(bool), l2=1.0)
    np.testing.assert_allclose(m.coefficients.to_numpy(), mdf.coefficients.to_numpy())
    assert isinstance(m.predict_proba(a), np.ndarray)
    # a Fortran-ordered or integer matrix is converted once, same numbers
    mf = csm.ChurnModel.fit(np.asfortranarray(a), y, l2=1.0)
    np.testing.assert_allclose(mf.coefficients.to_numpy(), m.coefficients.to_numpy())
    named = csm.ChurnModel.fit(a, y, feature_names=list("abcd"))
    assert list(named.coefficients.index) == list("abcd")


def test_constant_feature_and_separation():
    X, y = generated(200, seed=2)
    Xc = X.assign(plan=1.0)
    m = csm.ChurnModel.fit(Xc, y, l2=1.0)
    m0 = csm.ChurnModel.fit(X, y, l2=1.0)
    assert m.coefficients["plan"] == 0
    assert math.isnan(m.standard_errors["plan"])
    assert "degenerate" in csm.flag_names(m.summary.loc["plan", "flag_bits"])
    np.testing.assert_allclose(m.coefficients[:4].to_numpy(), m0.coefficients.to_numpy())
    sep = pd.DataFrame({"x": [1.0, 2, 3, 4, 5, 6]})
    with pytest.raises(csm.ConvergenceError, match="separation"):
        csm.ChurnModel.fit(sep, [0, 0, 0, 1, 1, 1], l2=0)
    assert csm.ChurnModel.fit(sep, [0, 0, 0, 1, 1, 1], l2=1).coefficients["x"] > 0


def test_errors():
    with pytest.raises(csm.DomainError, match="y"):
        csm.ChurnModel.fit(FX, [0, 1, 2, 0, 0, 0, 0, 1])
    with pytest.raises(csm.InvalidArgumentError, match="length"):
        csm.ChurnModel.fit(FX, [0, 1])
    with pytest.raises(csm.InvalidArgumentError, match="2-D"):
        csm.ChurnModel.fit([1.0, 2.0], [0, 1])
    with pytest.raises(csm.DomainError, match="row 2"):
        csm.ChurnModel.fit(pd.DataFrame({"a": [1.0, 2, np.nan, 4]}), [0, 1, 0, 1])
    with pytest.raises(csm.InvalidArgumentError, match="opts.l2"):
        csm.ChurnModel.fit(FX, FY, l2=-1)
    m = csm.ChurnModel.fit(FX, FY)
    with pytest.raises(csm.InvalidArgumentError, match="'p'"):
        m.predict_proba(np.zeros((3, 2)))
    with pytest.raises(csm.InvalidArgumentError, match="churn_model"):
        _ = churn._csm.py_churn_model_score(csm.auc_interval([0, 1], [1, 2]).table._conv["result"],
                                            np.zeros((1, 1)))


def test_auc_against_sklearn_with_ties():
    rng = np.random.default_rng(17)
    for n in (10, 97, 1000):
        y = (rng.random(n) < 0.35).astype(int)
        y[:2] = [0, 1]
        score = rng.integers(0, 6, n) + y * rng.integers(0, 3, n)  # many ties
        assert csm.roc_auc(y, score) == pytest.approx(roc_auc_score(y, score), abs=1e-12)
    # the hand fixture: 13/18, DeLong se sqrt(5)/9, upper limit clamped
    r = csm.auc_interval([1, 1, 1, 0, 0, 0], [0.8, 0.4, 0.6, 0.4, 0.2, 0.7])
    assert r.auc == pytest.approx(13 / 18) and r.std_error == pytest.approx(math.sqrt(5) / 9)
    assert r.upper == 1.0 and "clamped" in r.flag_names
    assert math.isnan(csm.roc_auc([1, 1], [0.2, 0.3]))


def test_roc_curve_against_sklearn():
    rng = np.random.default_rng(8)
    y = (rng.random(300) < 0.4).astype(int)
    score = rng.integers(0, 20, 300) + 3 * y
    roc = csm.roc_curve(y, score)
    # sklearn without drop_intermediate: every distinct score, highest
    # first, after its own origin point (threshold max + 1 in 1.2)
    fpr, tpr, thr = sk_roc_curve(y, score, drop_intermediate=False)
    assert list(roc.index) == list(range(len(fpr)))
    np.testing.assert_allclose(roc["fpr"], fpr, atol=1e-15)
    np.testing.assert_allclose(roc["tpr"], tpr, atol=1e-15)
    np.testing.assert_array_equal(roc["threshold"].to_numpy()[1:], thr[1:])
    assert math.isnan(roc["threshold"].iloc[0])
    assert np.trapz(roc["tpr"], roc["fpr"]) == pytest.approx(csm.roc_auc(y, score), abs=1e-12)


def test_validation_against_sklearn():
    rng = np.random.default_rng(4)
    y = (rng.random(500) < 0.3).astype(int)
    p = np.clip(rng.beta(2, 5, 500) + 0.2 * y, 0, 1)
    v = csm.churn_validation(y, p)
    assert v.brier == pytest.approx(brier_score_loss(y, p), abs=1e-12)
    assert v.log_loss == pytest.approx(sk_log_loss(y, p), abs=1e-12)
    assert v.auc == pytest.approx(roc_auc_score(y, p), abs=1e-12)
    assert csm.brier_score(y, p) == v.brier and csm.log_loss(y, p) == v.log_loss
    # calibration bins: sorted positions floor(b n / 10) .. (stable order)
    order = np.argsort(p, kind="stable")
    cal = csm.calibration_table(y, p)
    for b in range(10):
        rows = order[b * 500 // 10:(b + 1) * 500 // 10]
        assert cal.loc[b, "n"] == len(rows)
        assert cal.loc[b, "mean_predicted"] == pytest.approx(p[rows].mean(), abs=1e-12)
        assert cal.loc[b, "observed_rate"] == pytest.approx(y[rows].mean(), abs=1e-12)
    top = order[450:]
    assert v.top_lift == pytest.approx(y[top].mean() / y.mean(), abs=1e-12)


def test_validation_hand_fixture():
    # tests/test-churn.c: AUC 0.84, Brier 0.16525, log loss 0.483105, lift 2
    y = [0, 1, 0, 1, 1, 0, 1, 0, 0, 1]
    p = [0.05, 0.3, 0.1, 0.5, 0.6, 0.2, 0.8, 0.4, 0.7, 0.9]
    v = csm.churn_validation(y, p, bins=5)
    assert v.auc == pytest.approx(0.84)
    assert v.brier == pytest.approx(0.16525)
    assert v.log_loss == pytest.approx(0.48310454650754214)
    assert v.top_lift == pytest.approx(2)
    assert list(v.calibration["observed_rate"]) == pytest.approx([0, 0.5, 0.5, 0.5, 1])
    assert list(v.calibration.index) == [0, 1, 2, 3, 4]


def test_time_split_model_validation():
    # fit on the earlier half, validate on the later: the model of the
    # generated data ranks better than chance and beats a constant's Brier
    X, y = generated(1000, seed=21)
    m = csm.ChurnModel.fit(X.iloc[:500], y[:500])
    v = m.validate(X.iloc[500:], y[500:])
    assert v.auc > 0.6
    base = y[500:].mean()
    assert v.brier < csm.brier_score(y[500:], np.full(500, base))
    assert v.summary.n == 500


# ---- scorecard weights proposed from the model ------------------------------
def _proposal_by_hand(spec, coef):
    """The rule of csm_churn_proposal_compute written out on the spec's dict
    and the model's coefficients (a dict by feature name): current shares
    from the weights, the measures' directions from the spec, then the
    matched share S given to the agreeing measures by |coefficient|."""
    gsum = sum(g["weight"] for g in spec["groups"])
    rows = []
    for g in spec["groups"]:
        wsum = sum(m["weight"] for m in g["measures"])
        for m in g["measures"]:
            t = m["transform"]
            if t["type"] == "piecewise":
                d = np.sign(t["points"][-1][1] - t["points"][0][1])
            else:
                d = 1 if m["direction"] == "higher" else -1
            b = coef.get(m["name"])
            bd = 0.0 if b is None else b * d
            basis = "model" if bd < 0 else "conflict" if bd > 0 else "kept"
            rows.append((m["name"], basis, b, g["weight"] / gsum * m["weight"] / wsum))
    matched = sum(s for _n, basis, _b, s in rows if basis != "kept")
    abs_sum = sum(abs(b) for _n, basis, b, _s in rows if basis == "model")
    share = [s if basis == "kept" else matched * abs(b) / abs_sum if basis == "model" else 0.0
             for _n, basis, b, s in rows]
    total = sum(share)
    return {n: (basis, cur, sh / total) for (n, basis, _b, cur), sh in zip(rows, share)}


def test_propose_scorecard(tmp_path):
    import json
    import os
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    sc = csm.Scorecard.from_json(os.path.join(root, "examples", "scorecards", "usage-led.json"))
    rng = np.random.default_rng(7)
    n = 600
    X = pd.DataFrame(rng.normal(size=(n, len(sc.inputs))), columns=sc.inputs)
    X["log_mrr"] = rng.normal(size=n)
    # more logins and more tickets than usual, more churn: login_rate agrees
    # with a "higher" measure, support_tickets (scored lower) agrees too,
    # activation_rate is pushed to conflict
    logit = -1.2 * X["login_rate"] + 0.6 * X["support_tickets"] + 0.8 * X["activation_rate"]
    y = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(np.uint8)
    m = csm.ChurnModel.fit(X, y)
    new, rep = m.propose_scorecard(sc, name="usage-led (model)", report=True)
    want = _proposal_by_hand(sc.to_dict(), m.coefficients.to_dict())
    assert list(rep.index) == sc.measures
    for name, (basis, cur, share) in want.items():
        assert rep.loc[name, "basis"] == basis
        assert rep.loc[name, "current_share"] == pytest.approx(cur, rel=1e-12)
        assert rep.loc[name, "proposed_share"] == pytest.approx(share, rel=1e-12)
        assert rep.loc[name, "feature"] == name
        assert rep.loc[name, "coefficient"] == m.coefficients[name]
    assert rep.loc["activation_rate", "basis"] == "conflict"
    assert rep.loc["login_rate", "basis"] == "model"
    assert rep.loc["support_tickets", "basis"] == "model"
    # the spec's weights give those shares (group share x measure share)
    d = new.to_dict()
    assert d["name"] == "usage-led (model)"
    assert d["overrides"] == sc.to_dict()["overrides"]
    gsum = sum(g["weight"] for g in d["groups"])
    for g in d["groups"]:
        wsum = sum(mm["weight"] for mm in g["measures"])
        for mm in g["measures"]:
            got = g["weight"] / gsum * mm["weight"] / wsum if g["weight"] else 0.0
            assert got == pytest.approx(want[mm["name"]][2], rel=1e-12, abs=1e-15)
            assert mm["weight"] == rep.loc[mm["name"], "proposed_weight"]
    # saved and loaded back, it scores
    path = tmp_path / "proposed.json"
    path.write_text(new.to_json())
    back = csm.Scorecard.from_json(str(path))
    assert back.to_json() == new.to_json()
    frame = pd.DataFrame([[0.6, 0.4, 3, 0.3, 1, 0, 0]], columns=sc.inputs)
    assert np.isfinite(back.score(frame)["score"].iloc[0])
    # without the report; from the JSON text; a model with no scorecard input
    assert m.propose_scorecard(sc.to_json()).to_json().replace(
        '"usage-led"', '"usage-led (model)"', 1) == new.to_json()
    other = csm.ChurnModel.fit(X[["log_mrr"]], y)
    same = other.propose_scorecard(sc)
    for k in range(len(sc.measures)):
        assert csm._csm.health_scorecard_measure_share(same._ptr, k) == pytest.approx(
            csm._csm.health_scorecard_measure_share(sc._ptr, k), rel=1e-12)
    with pytest.raises(csm.InputTypeError):
        m.propose_scorecard(sc, name=3)
