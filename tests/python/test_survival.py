"""Python bindings of the survival family (csmetrics/survival.h): Kaplan-Meier
(also read off at chosen times), sBG fits, survivor counts and the model's figures.
Expected values: published tables (cited), the hand-worked fixtures of
tests/test-survival.c, or recomputed here with plain numpy (said at each test)."""
import numpy as np
import pytest

import csmetrics as csm

M0 = 24288  # 2024-01


# --- Kaplan-Meier: 6-MP arm of Freireich et al. (Gehan 1965), * = censored ------------
SIXMP_T = [6, 6, 6, 6, 7, 9, 10, 10, 11, 13, 16, 17, 19, 20, 22, 23, 25, 32, 32, 34, 35]
SIXMP_E = [1, 1, 1, 0, 1, 0, 1, 0, 0, 1, 1, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0]


def test_kaplan_meier_published_table():
    km = csm.kaplan_meier(SIXMP_T, SIXMP_E)
    s = km.table.set_index("time")["survival"]
    # textbook values: 0.857 0.807 0.753 0.690 0.627 0.538 0.448
    for t, v in [(6, 0.857), (7, 0.807), (10, 0.753), (13, 0.690), (16, 0.627),
                 (22, 0.538), (23, 0.448)]:
        assert s[t] == pytest.approx(v, abs=5e-4)
    assert km.median == 23
    # Greenwood SE at 6: 0.857 sqrt(3/(21 x 18)) = 0.0764
    assert km.table.set_index("time")["stderr"][6] == pytest.approx(0.0764, abs=5e-5)


def test_kaplan_meier_groups_and_errors():
    g = [0] * 10 + [1] * 11
    km = csm.kaplan_meier(SIXMP_T, SIXMP_E, groups=g)
    assert list(km.summary.index) == [0, 1]
    with pytest.raises(csm.DomainError) as e:
        csm.kaplan_meier([1, -2], [1, 0])
    assert e.value.row == 1
    with pytest.raises(csm.InvalidArgumentError):
        csm.kaplan_meier([1, 2], [1])


def _km_by_hand(t, e, at):
    """Product-limit S(at) and n(at), recomputed with numpy (no library)."""
    t, e = np.asarray(t, float), np.asarray(e)
    s = 1.0
    for u in np.unique(t[e == 1]):
        if u > at:
            break
        s *= 1 - (np.sum((t == u) & (e == 1)) / np.sum(t >= u))
    return s, float(np.sum(t >= at))


def test_kaplan_meier_at_times():
    times = [12, 24, 0, 6.5]
    km = csm.kaplan_meier(SIXMP_T, SIXMP_E, at_times=times)
    at = km.at
    assert list(at.index) == times and at.index.name == "time"
    for x in times:
        s, n = _km_by_hand(SIXMP_T, SIXMP_E, x)
        assert at.loc[x, "survival"] == pytest.approx(s, rel=1e-12)
        assert at.loc[x, "at_risk"] == n
    # textbook (Gehan 1965 6-MP arm, as in test_kaplan_meier_published_table):
    # S(12) = S(10) = 0.753, S(24) = S(23) = 0.448; n(12) = 12 (13, 16, ..., 35),
    # n(24) = 5; S(0) = 1
    assert at.loc[12, "survival"] == pytest.approx(0.753, abs=5e-4)
    assert at.loc[24, "survival"] == pytest.approx(0.448, abs=5e-4)
    assert at.loc[12, "at_risk"] == 12 and at.loc[24, "at_risk"] == 5
    assert at.loc[0, "survival"] == 1.0
    # the band is the row's: lower <= S <= upper
    assert (at["lower"] <= at["survival"]).all() and (at["survival"] <= at["upper"]).all()
    assert km.tables["km_at"].name == "km_at"
    # no at_times: an empty table
    assert len(csm.kaplan_meier(SIXMP_T, SIXMP_E).at) == 0


def test_kaplan_meier_at_times_groups():
    g = [0] * 10 + [1] * 11
    km = csm.kaplan_meier(SIXMP_T, SIXMP_E, groups=g, at_times=[10, 20])
    assert list(km.at.index.names) == ["group", "time"]
    assert list(km.at.index) == [(0, 10), (0, 20), (1, 10), (1, 20)]
    t, e = np.asarray(SIXMP_T), np.asarray(SIXMP_E)
    for grp, sl in [(0, slice(0, 10)), (1, slice(10, 21))]:
        for x in (10, 20):
            s, n = _km_by_hand(t[sl], e[sl], x)
            assert km.at.loc[(grp, x), "survival"] == pytest.approx(s, rel=1e-12)
            assert km.at.loc[(grp, x), "at_risk"] == n
    with pytest.raises(csm.DomainError):
        csm.kaplan_meier(SIXMP_T, SIXMP_E, at_times=[-1])


def test_sbg_high_end():
    # Fader & Hardie (2007), "High End": alpha 0.668, beta 3.806, LL -1611.16
    f = csm.sbg_fit([1000, 869, 743, 653, 593, 551, 517, 491])
    assert f.alpha == pytest.approx(0.668, abs=5e-4)
    assert f.beta == pytest.approx(3.806, abs=5e-4)
    assert f.loglik == pytest.approx(-1611.16, abs=5e-3)
    assert f.converged
    # r(1) by hand from the published fit: 3.806 / (0.668 + 3.806) = 3.806 / 4.474 = 0.850693
    # (4.474 x 0.85 = 3.8029, remainder 0.0031 / 4.474 = 0.000693); the rounding of alpha
    # and beta moves it by < 1e-4
    assert f.retention(1) == pytest.approx(0.850693, abs=5e-4)
    # S(t) and r(t) by a separate route, from the definition rather than the Beta-function
    # closed form the library uses: S(t) = E[(1 - theta)^t], theta ~ Beta(alpha, beta), i.e.
    # I(t) / I(0) with I(t) = int_0^1 theta^(alpha-1) (1-theta)^(beta-1+t) dtheta.  With
    # theta = v^(2/alpha) the integral is (2/alpha) int_0^1 v (1 - v^(2/alpha))^(beta-1+t) dv,
    # smooth enough for 400-node Gauss-Legendre (error ~1e-15 here; the constant cancels).
    x, w = np.polynomial.legendre.leggauss(400)
    v, w = (x + 1) / 2, w / 2
    integral = [float(np.sum(w * v * (1 - v ** (2 / f.alpha)) ** (f.beta - 1 + t)))
                for t in range(6)]
    for t in range(1, 6):
        assert f.survival(t) == pytest.approx(integral[t] / integral[0], rel=1e-10)
        assert f.retention(t) == pytest.approx(integral[t] / integral[t - 1], rel=1e-10)
    assert f.survival(0) == pytest.approx(1.0, rel=1e-12)
    # DEL against a direct discounted sum of S(t)
    d = 0.1
    direct = sum(f.survival(t) / (1 + d) ** t for t in range(0, 2000))
    assert f.del_(d) == pytest.approx(direct, rel=1e-8)
    assert f.ltv_new(50, d) == pytest.approx(50 * direct, rel=1e-8)
    with pytest.raises(csm.ConvergenceError):
        csm.sbg_fit([100, 100, 100])  # nobody churned


def test_sbg_survivors_by_hand():
    # lifetimes: cohort M0 durations 1, 3, 4; M1: 1, 2; M2: 1; as_of M3.
    # alive(c, a) = #durations > a for a = 0 .. M3 - c:
    #   M0: a0 3, a1 2, a2 2, a3 1;  M1: a0 2, a1 1, a2 0;  M2: a0 1, a1 0
    fm = [M0, M0, M0, M0 + 1, M0 + 1, M0 + 2]
    dur = [1, 3, 4, 1, 2, 1]
    s = csm.sbg_survivors(fm, dur, as_of=M0 + 3)
    assert list(s.index.names) == ["cohort", "age"]
    assert [(str(c), a) for c, a in s.index] == [
        ("2024-01", 0), ("2024-01", 1), ("2024-01", 2), ("2024-01", 3),
        ("2024-02", 0), ("2024-02", 1), ("2024-02", 2), ("2024-03", 0), ("2024-03", 1)]
    assert list(s["alive"]) == [3, 2, 2, 1, 2, 1, 0, 1, 0]
    # weights 1, 2, 1, 1, 1, 0: M0 a0 4, a1 3 (2 + 1), a2 3, a3 1; M2 weight 0: left out;
    # first_cohort M1 keeps M1 only
    w = csm.sbg_survivors(fm, dur, weight=[1, 2, 1, 1, 1, 0], as_of="2024-04")
    assert list(w["alive"]) == [4, 3, 3, 1, 2, 1, 0]
    f = csm.sbg_survivors(fm, dur, first_cohort=M0 + 1, last_cohort=M0 + 1, as_of=M0 + 3)
    assert list(f["alive"]) == [2, 1, 0]
    # default as_of: the latest first_month (M2): M0 ages 0..2, M1 0..1 (M2 left out)
    d = csm.sbg_survivors(fm, dur)
    assert list(d["alive"]) == [3, 2, 2, 2, 1]
    t = csm.sbg_survivors(fm, dur, as_of=M0 + 3, as_table=True)
    assert t.name == "sbg_survivors" and list(t["cohort"][:5]) == [M0] * 4 + [M0 + 1]
    with pytest.raises(csm.DomainError):
        csm.sbg_survivors(fm, [1, 3, -4, 1, 2, 1])


def test_sbg_survivors_feed_sbg_fit():
    # Fader & Hardie (2007) high-end cohort, 1000 customers observed 7 renewals:
    # survivors 1000 869 743 653 593 551 517 491 -> 131 lifetimes of 1 month, 126 of 2,
    # ..., 26 of 7, and 491 still active at as_of (M0 + 7).  The counts come back,
    # and the fit is the one of the counts (alpha 0.668, beta 3.806 published).
    alive = [1000, 869, 743, 653, 593, 551, 517, 491]
    lost = -np.diff(alive)
    dur = np.concatenate([np.full(k, d + 1.0) for d, k in enumerate(lost)] +
                         [np.full(491, 8.0)])
    s = csm.sbg_survivors(np.full(len(dur), M0), dur, as_of=M0 + 7)
    assert list(s["alive"]) == alive
    f = csm.sbg_fit(s)
    ref = csm.sbg_fit(alive)
    assert f.alpha == pytest.approx(ref.alpha, rel=1e-12)
    assert f.alpha == pytest.approx(0.668, abs=1e-3) and f.beta == pytest.approx(3.806, abs=1e-3)
    g = csm.sbg_fit(csm.sbg_survivors(np.full(len(dur), M0), dur, as_of=M0 + 7, as_table=True))
    assert g.beta == pytest.approx(ref.beta, rel=1e-12)


def test_sbg_model_figures_by_hand():
    # alpha = 2, beta = 1: r(t) = (beta + t - 1) / (alpha + beta + t - 1) = t / (t + 2) and
    # S(t) = prod_{j<=t} j / (j + 2) = 2 / ((t + 1)(t + 2)): S = 1, 1/3, 1/6, 1/10
    f = csm.SBGFit(2.0, 1.0)
    assert f.survival(0) == 1.0
    np.testing.assert_allclose(f.survival([1, 2, 3]), [1 / 3, 1 / 6, 1 / 10], rtol=1e-14)
    np.testing.assert_allclose(f.survival(np.array([[1], [3]])), [[1 / 3], [1 / 10]],
                               rtol=1e-14)  # any shape, kept
    assert f.retention(1) == pytest.approx(1 / 3, rel=1e-15)
    np.testing.assert_allclose(f.retention([2, 4]), [2 / 4, 4 / 6], rtol=1e-15)
    assert np.isnan(f.retention(0))  # no period before 0
    # E[T] = (alpha + beta - 1) / (alpha - 1) = 2
    assert f.expected_lifetime() == pytest.approx(2.0, rel=1e-15)
    # DEL(d) = sum_t S(t) x^t with x = 1 / (1 + d); with S(t) = 2 (1/(t+1) - 1/(t+2)):
    #   sum x^t/(t+1) = -ln(1-x)/x,  sum x^t/(t+2) = (-ln(1-x) - x)/x^2
    # at d = 1, x = 1/2: 2 (2 ln 2 - (4 ln 2 - 2)) = 4 - 4 ln 2
    del1 = 4 - 4 * np.log(2)
    assert f.del_(1.0) == pytest.approx(del1, rel=1e-12)
    assert f.ltv_new(10, 1.0) == pytest.approx(10 * del1, rel=1e-12)
    # DEL = 1 + DERL(d | 0) / (1 + d) (survival.h): DERL(1 | 0) = 2 (DEL - 1) = 6 - 8 ln 2
    assert f.derl(1.0, 0) == pytest.approx(6 - 8 * np.log(2), rel=1e-12)
    assert f.ltv_existing(10, 1.0, 0) == pytest.approx(10 * (6 - 8 * np.log(2)), rel=1e-12)
    # alpha <= 1: the expected lifetime is infinite, NaN (alpha = beta = 1: S(t) = 1/(t+1))
    g = csm.SBGFit(1.0, 1.0)
    assert np.isnan(g.expected_lifetime())
    assert g.survival(3) == pytest.approx(1 / 4, rel=1e-14)


def test_sbg_model_domain_errors():
    f = csm.SBGFit(2.0, 1.0)
    with pytest.raises(csm.DomainError) as ei:
        f.survival([1, -1])
    assert (ei.value.row, ei.value.field) == (1, "t")
    with pytest.raises(csm.DomainError):
        f.retention(1.5)  # periods are whole
    with pytest.raises(csm.DomainError) as ei:
        f.del_(0.0)  # d > 0 (csm_sbg_del)
    assert ei.value.field == "discount"
    with pytest.raises(csm.DomainError) as ei:
        csm.SBGFit(-1.0, 1.0).survival(1)
    assert ei.value.field == "alpha"
    with pytest.raises(csm.DomainError) as ei:
        f.ltv_new(float("nan"), 1.0)
    assert ei.value.field == "margin"
