"""Python bindings of the activity family (csmetrics/activity.h).  Expected
values: the hand-worked fixture of tests/test-activity.c, or worked by hand in
the comments."""
import math

import numpy as np
import pandas as pd
import pytest

import csmetrics as csm


def test_activity_fixture():
    # tests/test-activity.c
    f = pd.DataFrame({"account_id": [1, 1, 2, 3], "role": [0, 3, 3, 0], "segment": [1, 1, 2, 2],
                      "licensed_seats": [10, 40, 100, 5], "activated_seats": [8, 20, 90, 0],
                      "active_users": [6, 14, 80, 0], "sessions": [60, 70, 400, 0],
                      "minutes": [600, 1400, 2000, 0], "features_used": [5, 10, 15, 0],
                      "features_available": [20, 20, 20, 20], "dau": [3, 4, 40, 0],
                      "mau": [6, 14, 80, 0]})
    a = csm.activity(f)
    assert a.loc[1, "activation_rate"] == pytest.approx(0.56)
    assert a.loc[1, "minutes_per_session"] == pytest.approx(2000 / 130)
    assert math.isnan(a.loc[3, "sessions_per_user"])
    s = csm.activity(f, group_by="segment")
    assert s.loc[2, "activation_rate"] == pytest.approx(90 / 105)
    assert s.loc[2, "mean_activation_rate"] == pytest.approx(0.45)
    with pytest.raises(csm.DomainError):
        csm.activity(f.assign(activated_seats=[8, 50, 90, 0]))


def test_activity_nan_missing():
    # tests/test-activity.c test_nan_missing: account 1 10 licensed, 5 activated -> 0.5,
    # 4 users -> 0.4; account 2 licensed unknown -> its rates NaN; all accounts: the
    # licensed sum is NaN, active users 4 + 2 = 6
    f = {"account_id": [1, 2], "licensed_seats": [10, np.nan],
         "activated_seats": [5, 3], "active_users": [4, 2]}
    with pytest.raises(csm.DomainError) as e:
        csm.activity(f)
    assert e.value.row == 1
    a = csm.activity(f, nan_missing=True)
    assert a.loc[1, "activation_rate"] == pytest.approx(0.5)
    assert a.loc[1, "login_rate"] == pytest.approx(0.4)
    assert math.isnan(a.loc[2, "activation_rate"]) and math.isnan(a.loc[2, "login_rate"])
    assert a.loc[2, "active_users"] == 2
    al = csm.activity(f, group_by="all", nan_missing=True)
    assert math.isnan(al["activation_rate"].iloc[0]) and al["active_users"].iloc[0] == 6
    with pytest.raises(csm.DomainError):
        csm.activity(f, nan_missing=False)
