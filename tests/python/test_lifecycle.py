"""Activity by lifecycle stage and product category (csmetrics/activity.h).
Expected values: the hand-worked stages of tests/test-activity.c
(test_stages_and_categories)."""
import pandas as pd
import pytest

import csmetrics as csm

ROWS = pd.DataFrame({"account_id": [1, 1, 2, 3], "cohort": [24288, 24288, 24289, 24289],
                     "licensed_seats": [10, 40, 100, 5], "activated_seats": [8, 20, 90, 0],
                     "active_users": [6, 14, 80, 0]})


def test_stages_by_tenure():
    # rows of 2024-04: tenure 3 (account 1: launch) and 2 (accounts 2, 3: onboarding)
    df = csm.activity(ROWS, group_by="stage", month="2024-04")
    assert list(df.index) == ["onboarding", "launch"]
    assert df.loc["onboarding", "activation_rate"] == pytest.approx(90 / 105)
    assert df.loc["onboarding", "login_rate"] == pytest.approx(80 / 105)
    assert df.loc["launch", "activation_rate"] == pytest.approx(0.56)
    # bounds 1, 2, 5 at 2024-07: everyone mature
    df = csm.activity(ROWS, group_by="stage", month="2024-07", launch_month=1, growth_month=2,
                      mature_month=5)
    assert list(df.index) == ["mature"]
    assert df.loc["mature", "activation_rate"] == pytest.approx(118 / 155)


def test_stage_and_category_columns():
    df = csm.activity(ROWS.assign(stage=[3, 3, 0, 0]), group_by="stage")
    assert list(df.index) == ["onboarding", "mature"]
    df = csm.activity(ROWS.assign(category=[7, 7, 7, 9]), group_by="category")
    assert df.index.name == "category"
    assert df.loc[7, "activation_rate"] == pytest.approx(118 / 150)
    assert df.loc[9, "activation_rate"] == 0
    # categories as labels: the index shows them (ids rank the labels: addon, core)
    df = csm.activity(ROWS.assign(category=["core", "core", "core", "addon"]),
                      group_by="category")
    assert list(df.index) == ["addon", "core"]
    assert df.loc["core", "activation_rate"] == pytest.approx(118 / 150)
    assert csm.ACTIVITY_STAGES == {0: "onboarding", 1: "launch", 2: "growth", 3: "mature"}
    with pytest.raises(csm.InvalidArgumentError):
        csm.activity(ROWS, group_by="stage")  # no month, no stage column
