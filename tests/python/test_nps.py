"""csm.nps / nps_counts / nps_compare / csat / ces.  Every expected value is
worked out in the comment next to it; z quantiles come from Python's
statistics.NormalDist, independently of the C library's AS241."""
import math
from statistics import NormalDist

import numpy as np
import pandas as pd
import pytest

import csmetrics as csm
from csmetrics import _csm

Z95 = NormalDist().inv_cdf(0.975)  # 1.959964...
Z90 = NormalDist().inv_cdf(0.95)  # 1.644854...

# 45 promoters (10), 30 passives (8), 25 detractors (3): n = 100
SCORES_45_30_25 = np.array([10] * 45 + [8] * 30 + [3] * 25, dtype=np.int8)


def test_nps_fixture():
    r = csm.nps(SCORES_45_30_25)
    assert isinstance(r, csm.NPSResult)
    # p = 0.45, d = 0.25: NPS = 100 (0.45 - 0.25) = 20
    assert r.nps == pytest.approx(20.0, abs=1e-12)
    assert (r.promoters, r.passives, r.detractors) == pytest.approx((0.45, 0.30, 0.25))
    assert (r.n_promoters, r.n_passives, r.n_detractors, r.n) == (45, 30, 25, 100)
    assert r.n_effective == 100
    # se = 100 sqrt((p + d - (p - d)^2) / n) = 100 sqrt((0.70 - 0.04) / 100)
    #    = 100 sqrt(0.0066) = 8.1240
    assert r.se == pytest.approx(8.124, abs=5e-4)
    assert r.stderr == r.se == pytest.approx(100 * math.sqrt(0.0066), rel=1e-12)
    # 95%: 20 -/+ 1.959964 x 8.124038 = 20 -/+ 15.9228 -> [4.0772, 35.9228]
    assert r.ci_low == pytest.approx(20 - Z95 * 100 * math.sqrt(0.0066), rel=1e-9)
    assert r.ci_high == pytest.approx(20 + Z95 * 100 * math.sqrt(0.0066), rel=1e-9)
    assert r.ci_low == pytest.approx(4.0772, abs=1e-4)
    assert r.confidence == 0.95 and r.flags == 0 and r.flag_names == []
    # 90%: half-width 1.644854 x 8.124038 = 13.3629
    r90 = csm.nps(SCORES_45_30_25, confidence=0.90)
    assert r90.ci_high - r90.nps == pytest.approx(Z90 * 100 * math.sqrt(0.0066), rel=1e-9)
    assert set(r.as_dict()) >= {"nps", "promoters", "passives", "detractors", "n", "se",
                                "ci_low", "ci_high", "flags"}


def test_nps_inputs_numpy_pandas_lists_views():
    want = csm.nps(SCORES_45_30_25)
    assert csm.nps(SCORES_45_30_25.tolist()) == want  # list -> int8 once
    assert csm.nps(pd.Series(SCORES_45_30_25)) == want
    assert csm.nps(SCORES_45_30_25.astype(np.int64)) == want  # wrong dtype
    assert csm.nps(SCORES_45_30_25.astype(np.float64)) == want  # whole floats
    # a non-contiguous view: every other score of a doubled array is the
    # original array
    doubled = np.repeat(SCORES_45_30_25, 2)
    assert csm.nps(doubled[::2]) == want
    # scores 0..10 boundaries: 9 and 10 promote, 7 and 8 are passive, 6 detracts
    r = csm.nps([9, 10, 7, 8, 6, 0])
    assert (r.n_promoters, r.n_passives, r.n_detractors) == (2, 2, 2)
    assert r.nps == pytest.approx(0.0)  # 100 (2/6 - 2/6)


def test_nps_passes_int8_arrays_without_copy(monkeypatch):
    seen = []
    real = _csm.nps
    monkeypatch.setattr(_csm, "nps", lambda s, o: (seen.append(s), real(s, o))[1])
    csm.nps(SCORES_45_30_25)
    assert seen[0] is SCORES_45_30_25


def test_nps_counts():
    r = csm.nps_counts(45, 30, 25)
    # same shares as the score fixture: NPS 20, se 8.124
    assert r == csm.nps(SCORES_45_30_25)
    # fractional counts are allowed (e.g. already-weighted): 1.5, 0, 0.5 ->
    # p = 0.75, d = 0.25: NPS 50
    assert csm.nps_counts(1.5, 0, 0.5).nps == pytest.approx(50)
    with pytest.raises(csm.DomainError) as ei:
        csm.nps_counts(45, -1, 25)
    assert ei.value.field == "passives" and ei.value.row is None
    with pytest.raises(csm.DomainError):
        csm.nps_counts(float("nan"), 1, 1)


def test_nps_weighted():
    # scores [9, 0] weighted 3 and 1: p = 3/4, d = 1/4, NPS = 50; n = 4;
    # n_effective = (3 + 1)^2 / (9 + 1) = 1.6;
    # se = 100 sqrt((0.75 + 0.25 - 0.5^2) / 1.6) = 100 sqrt(0.46875) = 68.465
    r = csm.nps([9, 0], weights=[3.0, 1.0])
    assert r.nps == pytest.approx(50) and r.n == 4 and r.n_effective == pytest.approx(1.6)
    assert r.se == pytest.approx(100 * math.sqrt(0.46875), rel=1e-12)
    # 50 + 1.96 x 68.47 = 184 > 100: clamped to 100, flagged
    assert r.ci_high == 100 and "clamped" in r.flag_names
    assert r.ci_low == pytest.approx(50 - Z95 * 100 * math.sqrt(0.46875), rel=1e-9)
    # equal weights are the unweighted NPS
    assert csm.nps(SCORES_45_30_25, weights=np.full(100, 2.0)).nps == pytest.approx(20)
    with pytest.raises(csm.DomainError) as ei:
        csm.nps([9, 0, 7], weights=[1.0, -1.0, 1.0])
    assert (ei.value.row, ei.value.field) == (1, "weights")
    with pytest.raises(csm.DomainError):
        csm.nps([9], weights=[np.inf])
    with pytest.raises(csm.InvalidArgumentError) as ei:
        csm.nps([9, 0], weights=[1.0])
    assert ei.value.field == "weights"


def test_nps_edge():
    # no responses: NaN and the empty flag
    r = csm.nps(np.array([], dtype=np.int8))
    assert math.isnan(r.nps) and math.isnan(r.se) and r.n == 0
    assert "empty" in r.flag_names
    assert math.isnan(csm.nps([]).nps)
    # all promoters: NPS 100, se 100 sqrt((1 + 0 - 1) / 2) = 0: degenerate,
    # interval [100, 100]
    r = csm.nps([10, 9])
    assert r.nps == 100 and r.se == 0 and (r.ci_low, r.ci_high) == (100, 100)
    assert "degenerate" in r.flag_names
    # all detractors: -100
    assert csm.nps([0, 6, 3]).nps == -100


def test_nps_errors():
    with pytest.raises(csm.DomainError) as ei:
        csm.nps([9, 11])
    assert (ei.value.row, ei.value.field) == (1, "scores")
    assert str(ei.value) == "EDOMAIN: row 1, field 'scores': an NPS score must be an integer 0..10"
    with pytest.raises(csm.DomainError) as ei:
        csm.nps([3, 5, -1])
    assert ei.value.row == 2
    # 7.5 cannot be an int8 score; 300 does not fit in int8: caught before C
    with pytest.raises(csm.DomainError) as ei:
        csm.nps([9.0, 7.5])
    assert (ei.value.row, ei.value.field) == (1, "scores")
    with pytest.raises(csm.DomainError) as ei:
        csm.nps(np.array([9, 300]))
    assert ei.value.row == 1
    with pytest.raises(csm.InputTypeError):
        csm.nps(["9", "10"])
    with pytest.raises(csm.InputTypeError):
        csm.nps([9, None])
    for level in (0.0, 1.0, 1.5, float("nan")):
        with pytest.raises(csm.InvalidArgumentError) as ei:
            csm.nps([9], confidence=level)
        assert ei.value.field == "opts.confidence"


def test_nps_compare():
    before = csm.nps_counts(45, 30, 25)  # NPS 20, se^2 = 66
    # after: 50/30/20: NPS 30; se^2 = 100^2 (0.70 - 0.09) / 100 = 61
    after = csm.nps_counts(50, 30, 20)
    d = csm.nps_compare(before, after)
    assert isinstance(d, csm.NPSDiff)
    assert d.diff == pytest.approx(10)
    # se = sqrt(66 + 61) = sqrt(127) = 11.2694
    assert d.se == pytest.approx(math.sqrt(127), rel=1e-9) and d.stderr == d.se
    # z = 10 / 11.2694 = 0.88736; p = erfc(|z| / sqrt 2) = 0.3749
    z = 10 / math.sqrt(127)
    assert d.z == pytest.approx(z, rel=1e-9)
    assert d.p_value == pytest.approx(2 * (1 - NormalDist().cdf(z)), rel=1e-9)
    assert d.p_value == pytest.approx(0.3749, abs=1e-4)
    assert d.ci_low == pytest.approx(10 - Z95 * math.sqrt(127), rel=1e-9)
    assert d.ci_high == pytest.approx(10 + Z95 * math.sqrt(127), rel=1e-9)
    # score arrays are accepted too
    assert csm.nps_compare(SCORES_45_30_25, [10] * 50 + [8] * 30 + [3] * 20) == d
    # 90% interval: 10 -/+ 1.6449 x 11.2694
    assert csm.nps_compare(before, after, confidence=0.9).ci_high == \
        pytest.approx(10 + Z90 * math.sqrt(127), rel=1e-9)


def test_nps_compare_edge():
    # both periods all promoters: se 0 -> z and p NaN, degenerate
    d = csm.nps_compare(csm.nps([10]), csm.nps([9, 9]))
    assert d.diff == 0 and math.isnan(d.z) and math.isnan(d.p_value)
    assert "degenerate" in d.flag_names
    # an empty period: NaN and empty
    d = csm.nps_compare(csm.nps([]), csm.nps([9]))
    assert math.isnan(d.diff) and "empty" in d.flag_names
    with pytest.raises(csm.InvalidArgumentError) as ei:
        csm.nps_compare(csm.nps([9]), csm.nps([9]), confidence=2)
    assert ei.value.field == "opts.confidence"
    with pytest.raises(csm.InvalidArgumentError):
        csm.nps_compare(csm.csat([5]), csm.nps([9]))


def wilson(p, n, z):
    """Wilson score interval, from its textbook form."""
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return centre - half, centre + half


def test_csat():
    # scores 5 4 3 2 1 (scale 1-5, top box 4-5): 2 of 5 satisfied = 0.4;
    # se = sqrt(0.4 x 0.6 / 5) = sqrt(0.048) = 0.21909
    r = csm.csat([5, 4, 3, 2, 1])
    assert isinstance(r, csm.CSATResult)
    assert r.csat == pytest.approx(0.4) and r.satisfied == 2 and r.n == 5
    assert r.se == pytest.approx(math.sqrt(0.048), rel=1e-12)
    # Wilson at z 1.96, n 5: centre (0.4 + 0.3841)/1.7683 = 0.4434, half
    # 1.96 sqrt(0.048 + 0.0384)/1.7683 = 0.3258 -> [0.1176, 0.7693]
    lo, hi = wilson(0.4, 5, Z95)
    assert (r.ci_low, r.ci_high) == (pytest.approx(lo, rel=1e-9), pytest.approx(hi, rel=1e-9))
    assert r.ci_low == pytest.approx(0.1176, abs=1e-4)
    # top box 5 only: 1 of 5 = 0.2
    assert csm.csat([5, 4, 3, 2, 1], top_box_min=5).csat == pytest.approx(0.2)
    # a 0-10 scale with top box 9: 9 and 10 of [10, 9, 8, 0] -> 0.5
    assert csm.csat([10, 9, 8, 0], top_box_min=9, scale_min=0, scale_max=10).csat == 0.5
    # all satisfied: p = 1, Wald would collapse; Wilson's lower bound for
    # n = 4 is 4 / (4 + z^2) = 0.5101 and the upper is 1
    r = csm.csat([5, 5, 4, 4])
    assert r.csat == 1 and r.ci_low == pytest.approx(4 / (4 + Z95 ** 2), rel=1e-9)
    assert r.ci_high == pytest.approx(1.0)


def test_csat_edge_and_errors():
    r = csm.csat([])
    assert math.isnan(r.csat) and "empty" in r.flag_names
    with pytest.raises(csm.DomainError) as ei:
        csm.csat([5, 6])  # 6 is outside 1..5
    assert (ei.value.row, ei.value.field) == (1, "scores")
    with pytest.raises(csm.DomainError):
        csm.csat([0])
    with pytest.raises(csm.InvalidArgumentError) as ei:
        csm.csat([3], scale_min=5, scale_max=5)
    assert ei.value.field == "opts.scale_max"
    with pytest.raises(csm.InvalidArgumentError) as ei:
        csm.csat([3], top_box_min=6)
    assert ei.value.field == "opts.top_box_min"
    with pytest.raises(csm.InvalidArgumentError):
        csm.csat([3], confidence=0)
    with pytest.raises(csm.DomainError):
        csm.csat([4.5])


def test_ces():
    # scores 1 2 3: mean 2; sd = sqrt(((1-2)^2 + 0 + (3-2)^2) / 2) = 1;
    # se = 1 / sqrt(3) = 0.57735; interval 2 -/+ 1.96 x 0.57735
    r = csm.ces([1, 2, 3])
    assert isinstance(r, csm.CESResult)
    assert (r.ces, r.sd, r.n) == (pytest.approx(2), pytest.approx(1), 3)
    assert r.se == pytest.approx(1 / math.sqrt(3), rel=1e-12)
    assert r.ci_low == pytest.approx(2 - Z95 / math.sqrt(3), rel=1e-9)
    assert r.ci_high == pytest.approx(2 + Z95 / math.sqrt(3), rel=1e-9)
    # a 1-5 scale: [5, 5, 4, 2] -> mean 4; deviations 1 1 0 -2 -> sd sqrt(6/3)
    r = csm.ces(pd.Series([5, 5, 4, 2]), scale_max=5)
    assert r.ces == pytest.approx(4) and r.sd == pytest.approx(math.sqrt(2))


def test_ces_edge_and_errors():
    assert "empty" in csm.ces([]).flag_names and math.isnan(csm.ces([]).ces)
    r = csm.ces([4])  # one response: mean 4, no spread
    assert r.ces == 4 and math.isnan(r.sd) and math.isnan(r.ci_low)
    assert "degenerate" in r.flag_names
    with pytest.raises(csm.DomainError) as ei:
        csm.ces([1, 2, 8])  # 8 is outside 1..7
    assert (ei.value.row, ei.value.field) == (2, "scores")
    with pytest.raises(csm.InvalidArgumentError):
        csm.ces([1], scale_min=7, scale_max=1)
    with pytest.raises(csm.InvalidArgumentError):
        csm.ces([1], confidence=-0.5)


def test_nps_by_group():
    scores = [10, 9, 0, 7, 10, 3, 5, 8, 9, 6]
    group = [2, 1, 2, 1, 7, 7, 2, 1, 1, 7]
    df = csm.nps_by_group(scores, group)
    assert list(df.index) == [1, 2, 7] and df.index.name == "group"
    # by hand: group 1 (9, 7, 8, 9): 2 promoters, 2 passives -> 50; group 2 (10, 0, 5):
    # 1 promoter, 2 detractors -> -33.3; group 7 (10, 3, 6): 1 promoter, 2 detractors
    assert df.loc[1, "nps"] == pytest.approx(50)
    assert df.loc[2, "nps"] == pytest.approx(100 * (1 - 2) / 3)
    assert df.loc[1, "n"] == 4 and df.loc[7, "n_detractors"] == 2
    # se = 100 sqrt((p + d - (p - d)^2) / n) as in test_nps_fixture: group 1 (p 1/2, d 0,
    # n 4) 100 sqrt(0.25 / 4) = 25, interval 50 -/+ 1.96 x 25 = [1.0, 99.0]; groups 2 and 7
    # (p 1/3, d 2/3, n 3) 100 sqrt((1 - 1/9) / 3) = 100 sqrt(8/27) = 54.43, and their
    # lower bound -33.3 - 1.96 x 54.43 = -140 is clamped to -100, flagged
    assert df.loc[1, "se"] == pytest.approx(25, rel=1e-12)
    assert df.loc[1, "ci_low"] == pytest.approx(50 - Z95 * 25, rel=1e-9)
    assert df.loc[1, "ci_high"] == pytest.approx(50 + Z95 * 25, rel=1e-9)
    for k in (2, 7):
        assert df.loc[k, "se"] == pytest.approx(100 * math.sqrt(8 / 27), rel=1e-12)
        assert df.loc[k, "ci_low"] == -100 and "clamped" in csm.flag_names(df.loc[k, "flag_bits"])
    assert (df["confidence"] == 0.95).all()  # CSM_NPS_OPTS_INIT's default
    # labels are factorized and shown; weights: group "b" 9 (w 3), 0 (w 1) -> 50
    w = csm.nps_by_group([9, 0, 10], ["b", "b", "a"], weights=[3, 1, 1], confidence=0.9)
    assert list(w.index) == ["a", "b"]
    assert w.loc["b", "nps"] == pytest.approx(50) and w.loc["a", "nps"] == 100
    assert (w["confidence"] == 0.9).all()
    t = csm.nps_by_group(scores, group, as_table=True)
    assert t.name == "nps" and list(t["group"]) == [1, 2, 7]
    assert len(csm.nps_by_group([], [])) == 0
    with pytest.raises(csm.DomainError):
        csm.nps_by_group([11], [1])
    with pytest.raises(csm.InvalidArgumentError):
        csm.nps_by_group([1, 2], [1])
