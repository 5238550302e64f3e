from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from mitra.health.engine.backtest import auc, backtest

WEEKS = pd.date_range("2025-01-06", periods=52, freq="7D")
END = WEEKS[-1]


def _scores(levels: dict[int, float]) -> pd.DataFrame:
    """Flat weekly scores per partnership."""
    return pd.DataFrame(
        [(pid, w, level) for pid, level in levels.items() for w in WEEKS],
        columns=["partnership_id", "week", "score"],
    )


def _outcomes(lost: dict[int, pd.Timestamp | None]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "partnership_id": list(lost),
            "ended_on": pd.to_datetime(pd.Series(list(lost.values()), dtype=object)),
        }
    )


def test_auc_of_perfect_reversed_tied_and_random_scores() -> None:
    kept = np.array([True, True, False, False])
    assert auc(np.array([90.0, 80.0, 40.0, 30.0]), kept) == 1.0
    assert auc(np.array([30.0, 40.0, 80.0, 90.0]), kept) == 0.0
    assert auc(np.array([60.0, 60.0, 60.0, 60.0]), kept) == 0.5
    assert auc(np.array([80.0, 50.0, 50.0, 40.0]), kept) == pytest.approx((1 + 1 + 1 + 0.5) / 4)
    rng = np.random.default_rng(7)
    assert auc(rng.uniform(0, 100, 4000), rng.uniform(size=4000) < 0.5) == pytest.approx(0.5, abs=0.03)
    assert math.isnan(auc(np.array([1.0, 2.0]), np.array([True, True])))


def test_the_score_a_quarter_before_the_outcome_is_used() -> None:
    lost_on = WEEKS[30] + pd.Timedelta(days=2)
    scores = _scores({1: 80.0, 2: 85.0, 3: 60.0})
    # partnership 3 collapses only in its last weeks: a quarter earlier it still scored 60
    scores.loc[
        (scores["partnership_id"] == 3) & (scores["week"] > lost_on - pd.Timedelta(weeks=13)), "score"
    ] = 10.0
    result = backtest(scores, _outcomes({1: None, 2: None, 3: lost_on}))
    ref = result.sample.set_index("partnership_id")
    assert ref.loc[3, "week"] == WEEKS[17]
    assert ref.loc[3, "score"] == 60.0
    assert ref.loc[1, "week"] == END - pd.Timedelta(weeks=13)
    assert (result.lost, result.kept, result.unscored) == (1, 2, 0)
    assert result.auc == 1.0
    assert result.green_then_lost.empty


def test_green_then_lost_is_listed_and_reversed_scores_give_zero() -> None:
    lost_on = WEEKS[40]
    result = backtest(_scores({1: 40.0, 2: 45.0, 3: 90.0}), _outcomes({1: None, 2: None, 3: lost_on}))
    assert result.auc == 0.0
    assert result.green_then_lost[["partnership_id", "score", "band"]].values.tolist() == [[3, 90.0, "green"]]


def test_ties_give_one_half_and_missing_reference_scores_are_left_out() -> None:
    scores = _scores({1: 70.0, 2: 70.0})
    result = backtest(scores, _outcomes({1: None, 2: WEEKS[30], 9: WEEKS[30]}))
    assert result.auc == 0.5
    assert result.unscored == 1  # partnership 9 has no score at all


def test_a_partnership_lost_after_as_of_counts_as_kept() -> None:
    result = backtest(_scores({1: 80.0, 2: 30.0}), _outcomes({1: WEEKS[45], 2: WEEKS[30]}), as_of=WEEKS[40])
    assert result.sample.set_index("partnership_id")["lost"].to_dict() == {1: False, 2: True}
    assert result.auc == 1.0
