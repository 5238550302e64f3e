"""Order proposals cover the demand over lead time + review period at the target service level."""

import math

import pandas as pd
import pytest

from mitra.planning.engine.proposals import ProposalParams, propose
from mitra.planning.engine.stats import interval_z, normal_quantile

WEEKS = pd.date_range("2026-01-05", periods=5, freq="W-MON")
Z95 = 1.6448536269514722
SIGMA = 2.0
SAFETY = Z95 * SIGMA * math.sqrt(3)  # L = 2, R = 1


def forecasts(series: str = "a", weeks: int = 5, level: float = 80.0) -> pd.DataFrame:
    half = SIGMA * float(interval_z(level))  # an interval that implies a weekly sigma of 2
    return pd.DataFrame(
        {
            "series_id": series,
            "period": WEEKS[:weeks],
            "forecast": 10.0,
            "lo": 10.0 - half,
            "hi": 10.0 + half,
            "level": level,
        }
    )


def position(**overrides: object) -> pd.DataFrame:
    row = {
        "series_id": "a",
        "on_hand": 5.0,
        "in_transit": 3.0,
        "open_orders": 2.0,
        "lead_time_weeks": 2,
        "case_pack": 1.0,
        "min_order": 0.0,
        "min_qty": 10.0,
        "max_qty": 50.0,
    }
    row.update(overrides)
    return pd.DataFrame([row])


def test_z_values():
    assert normal_quantile(0.95) == pytest.approx(1.6449, abs=1e-4)
    assert float(interval_z(80)) == pytest.approx(1.2816, abs=1e-4)
    assert float(interval_z(0.8)) == float(interval_z(80))


def test_replenish_covers_lead_time_plus_review_at_service_level():
    row = propose(position(), forecasts(), ProposalParams()).iloc[0]
    assert row["demand_over_cover"] == pytest.approx(30.0)  # 10/week over L + R = 3 weeks
    assert row["sigma"] == pytest.approx(2.0)
    assert row["safety_stock"] == pytest.approx(SAFETY)  # 5.698
    assert row["order_up_to"] == pytest.approx(30.0 + SAFETY)
    assert row["position"] == 10.0  # 5 on hand + 3 in transit + 2 on order
    assert row["quantity"] == 26.0  # 25.698 rounded up to whole units
    assert row["reason"] == "order_up_to"
    assert row["order_period"] == WEEKS[0]
    assert row["arrival_period"] == WEEKS[2]


def test_level_as_fraction_gives_the_same_sigma():
    row = propose(position(), forecasts(level=0.8), ProposalParams()).iloc[0]
    assert row["sigma"] == pytest.approx(2.0)


def test_case_pack_rounds_up_and_min_order_raises():
    assert propose(position(case_pack=6.0), forecasts(), ProposalParams()).iloc[0]["quantity"] == 30.0
    assert propose(position(case_pack=12.0), forecasts(), ProposalParams()).iloc[0]["quantity"] == 36.0
    raised = propose(position(min_order=40.0), forecasts(), ProposalParams()).iloc[0]
    assert (raised["quantity"], raised["reason"]) == (40.0, "minimum_order")
    packed = propose(position(min_order=40.0, case_pack=12.0), forecasts(), ProposalParams()).iloc[0]
    assert packed["quantity"] == 48.0


def test_position_at_or_above_order_up_to_orders_nothing():
    covered = propose(position(on_hand=30.0 + SAFETY - 5.0), forecasts(), ProposalParams()).iloc[0]
    assert covered["position"] == pytest.approx(30.0 + SAFETY)
    assert (covered["quantity"], covered["reason"]) == (0.0, "covered")
    above = propose(position(on_hand=100.0, min_order=40.0), forecasts(), ProposalParams()).iloc[0]
    assert (above["quantity"], above["reason"]) == (0.0, "covered")


def test_review_period_and_service_level_change_the_target():
    row = propose(position(), forecasts(), ProposalParams(service_level=0.5, review_weeks=2)).iloc[0]
    assert row["demand_over_cover"] == pytest.approx(40.0)
    assert row["safety_stock"] == pytest.approx(0.0)
    assert row["quantity"] == 30.0


def test_short_horizon_counts_missing_weeks_at_the_mean():
    row = propose(position(), forecasts(weeks=2), ProposalParams()).iloc[0]
    assert row["demand_over_cover"] == pytest.approx(30.0)


def test_series_without_forecast_gets_no_proposal():
    frame = pd.concat([position(), position(series_id="b")], ignore_index=True)
    result = propose(frame, forecasts(), ProposalParams())
    b = result[result["series_id"] == "b"].iloc[0]
    assert (b["quantity"], b["reason"]) == (0.0, "no_forecast")
    assert pd.isna(b["order_period"]) and pd.isna(b["arrival_period"])
    assert result["series_id"].tolist() == ["a", "b"]


def test_minmax_orders_up_to_max_at_or_below_min_only():
    params = ProposalParams(mode="minmax")
    at_min = propose(position(on_hand=5.0), forecasts(), params).iloc[0]  # position 10 = min
    assert (at_min["order_up_to"], at_min["quantity"], at_min["reason"]) == (50.0, 40.0, "below_min")
    below = propose(position(on_hand=4.0), forecasts(), params).iloc[0]
    assert below["quantity"] == 41.0
    above = propose(position(on_hand=5.5), forecasts(), params).iloc[0]  # position 10.5
    assert (above["quantity"], above["reason"]) == (0.0, "above_min")
    packed = propose(position(on_hand=4.0, case_pack=12.0), forecasts(), params).iloc[0]
    assert packed["quantity"] == 48.0


def test_missing_columns_and_bad_params_are_refused():
    with pytest.raises(ValueError, match="min_qty, max_qty"):
        propose(position().drop(columns=["min_qty", "max_qty"]), forecasts(), ProposalParams(mode="minmax"))
    with pytest.raises(ValueError, match="mode"):
        ProposalParams(mode="push")
