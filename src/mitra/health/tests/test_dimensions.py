"""Direction tests: each fact moves the right dimension the right way, and no data means NaN."""

from __future__ import annotations

import math

import numpy as np
import pytest

from mitra.health.engine.dimensions import COMPONENTS, DIMENSIONS, score_dimensions
from mitra.health.engine.metrics import validate
from mitra.health.tests.helpers import BASE, EMPTY, frame, history, row


def _dims(*rows: dict) -> list[dict]:
    return score_dimensions(validate(frame(*rows))).dimensions.to_dict("records")


def _moved(changed: dict, dimension: str) -> float:
    """Score change of ``dimension`` from the base week to the same week with ``changed`` applied."""
    before, after = _dims(row(1), row(2, **changed))
    return after[dimension] - before[dimension]


def _others_unchanged(changed: dict, dimension: str) -> None:
    before, after = _dims(row(1), row(2, **changed))
    for d in DIMENSIONS:
        if d not in (dimension, "competitive_immunity"):
            assert after[d] == pytest.approx(before[d], nan_ok=True), d


def test_a_missed_commitment_lowers_commitment() -> None:
    missed = {"supplier_commitments_settled": BASE["supplier_commitments_settled"] + 1}
    assert _moved(missed, "commitment") < 0
    _others_unchanged(missed, "commitment")


def test_a_missed_commitment_of_the_customer_lowers_commitment_too() -> None:
    assert (
        _moved({"customer_commitments_settled": BASE["customer_commitments_settled"] + 1}, "commitment") < 0
    )


def test_a_disputed_value_entry_lowers_mutual_value() -> None:
    disputed = {"value_disputed": BASE["value_disputed"] + 1}
    assert _moved(disputed, "mutual_value") < 0
    _others_unchanged(disputed, "mutual_value")


def test_a_negative_delivery_lowers_moments_of_truth() -> None:
    negative = {
        "touchpoints": BASE["touchpoints"] + 1,
        "touchpoints_negative": BASE["touchpoints_negative"] + 1,
        "deliveries": BASE["deliveries"] + 1,
    }
    assert _moved(negative, "moments_of_truth") < 0
    _others_unchanged(negative, "moments_of_truth")


def test_a_negative_touchpoint_lowers_moments_of_truth() -> None:
    negative = {
        "touchpoints": BASE["touchpoints"] + 1,
        "touchpoints_negative": BASE["touchpoints_negative"] + 1,
    }
    assert _moved(negative, "moments_of_truth") < 0


def test_a_confirmed_case_outcome_raises_customer_focus() -> None:
    confirmed = {
        "cases_closed": BASE["cases_closed"] + 1,
        "cases_outcome_confirmed": BASE["cases_outcome_confirmed"] + 1,
    }
    assert _moved(confirmed, "customer_focus") > 0
    _others_unchanged(confirmed, "customer_focus")


def test_a_new_live_bridge_raises_breadth() -> None:
    bridge = {"bridges_agreed": BASE["bridges_agreed"] + 1, "bridges_live": BASE["bridges_live"] + 1}
    assert _moved(bridge, "breadth") > 0
    _others_unchanged(bridge, "breadth")


def test_one_sided_value_scores_lower_than_balanced_value() -> None:
    balanced = {"supplier_value_confirmed": 80, "customer_value_confirmed": 80}
    one_sided = {"supplier_value_confirmed": 160, "customer_value_confirmed": 0}
    a, b = _dims(row(1, **balanced), row(2, **one_sided))
    assert a["mutual_value"] > b["mutual_value"]
    assert b["mutual_value"] == pytest.approx(0.3 * 50 + 0.35 * 0 + 0.35 * 80)


def test_more_recurring_root_causes_lower_improvement() -> None:
    assert _moved({"recurring_root_causes": 3}, "improvement") < 0


def test_a_risk_that_foresaw_a_case_raises_anticipation() -> None:
    assert _moved({"cases_anticipated": BASE["cases_anticipated"] + 1}, "anticipation") > 0


def test_competitor_mentions_lower_immunity_and_share_of_wallet_raises_it() -> None:
    assert _moved({"competitor_mentions": 3.0}, "competitive_immunity") < 0
    assert _moved({"share_of_wallet": 0.9}, "competitive_immunity") > 0


def test_a_dimension_with_no_data_is_nan_never_zero_or_hundred() -> None:
    (dims,) = _dims(row(base=EMPTY))
    assert all(math.isnan(dims[d]) for d in DIMENSIONS)


def test_each_dimension_is_nan_exactly_when_its_components_are() -> None:
    (dims,) = _dims(row(base=EMPTY, cases_total=2))
    # two cases and nothing else: improvement (activity 0, no recurring causes) and anticipation have data
    assert dims["improvement"] == pytest.approx((0.35 * 0 + 0.25 * 100) / 0.60)
    assert dims["anticipation"] == 0.0
    for d in (
        "commitment",
        "customer_focus",
        "moments_of_truth",
        "mutual_value",
        "breadth",
        "competitive_immunity",
    ):
        assert math.isnan(dims[d]), d


def test_a_dimension_uses_only_its_available_components_renormalised() -> None:
    (dims,) = _dims(row(base=EMPTY, supplier_commitments_settled=4, supplier_commitments_kept=3))
    # on time 75, acknowledged 0, proactive 0; customer on-time and the pulse are missing
    assert dims["commitment"] == pytest.approx((0.25 * 75 + 0.15 * 0 + 0.10 * 0) / 0.50)


def test_competitive_immunity_follows_the_trend_of_the_other_dimensions() -> None:
    sliding = history(
        5,
        supplier_commitments_kept=[10, 9, 7, 5, 3],
        competitor_mentions=[np.nan] * 5,
        share_of_wallet=[np.nan] * 5,
    )
    dims = score_dimensions(validate(sliding)).dimensions
    core = dims["core"].to_numpy()
    assert math.isnan(dims["competitive_immunity"].iloc[3])  # no week 4 weeks earlier yet
    expected = min(100.0, max(0.0, 100 * (0.75 + (core[4] - core[0]) / 40)))
    assert core[4] < core[0]
    assert dims["competitive_immunity"].iloc[4] == pytest.approx(expected)
    assert expected < 75.0


def test_a_gap_in_history_gives_no_trend_rather_than_a_wrong_one() -> None:
    gap = frame(row(1, 0), row(1, 1), row(1, 6, competitor_mentions=np.nan, share_of_wallet=np.nan))
    dims = score_dimensions(validate(gap)).dimensions
    assert math.isnan(dims["competitive_immunity"].iloc[2])


def test_components_are_in_range_and_weights_sum_to_one() -> None:
    comp = score_dimensions(validate(frame(row()))).components
    values = comp.drop(columns=["partnership_id", "week"]).to_numpy(dtype=float)
    assert np.nanmin(values) >= 0 and np.nanmax(values) <= 100
    for d in DIMENSIONS:
        assert sum(c.weight for c in COMPONENTS if c.dimension == d) == pytest.approx(1.0), d
