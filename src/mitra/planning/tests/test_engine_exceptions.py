"""Each exception criterion fires just beyond its threshold and neither at it nor on the safe side of it."""

import pandas as pd
import pytest

from mitra.planning.engine.exceptions import (
    EXCEPTION_COLUMNS,
    ExceptionCriteria,
    ExceptionInputs,
    evaluate,
    projected_cover,
)

WEEKS = pd.date_range("2026-01-05", periods=6, freq="W-MON")
ONLY_FORECASTS = ExceptionCriteria(min_weeks_cover=None, max_weeks_cover=None, capacity=False)
NOTHING = ExceptionCriteria(
    forecast_gap_pct=None,
    wape_pct=None,
    version_change_pct=None,
    min_weeks_cover=None,
    max_weeks_cover=None,
    capacity=False,
)


def quantities(values: dict[str, list[float]]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {"series_id": sid, "period": WEEKS[week], "quantity": quantity}
            for sid, series in values.items()
            for week, quantity in enumerate(series)
        ]
    )


def positions(rows: dict[str, dict[str, float]]) -> pd.DataFrame:
    base = {"on_hand": 0.0, "in_transit": 0.0, "open_orders": 0.0, "lead_time_weeks": 1}
    return pd.DataFrame([{"series_id": sid, **base, **row} for sid, row in rows.items()])


def fired(result: pd.DataFrame, criterion: str) -> dict[str, tuple]:
    rows = result[result["criterion"] == criterion]
    return {
        row.series_id: (row.value, row.threshold, row.priority, row.owner_side, row.period)
        for row in rows.itertuples()
    }


def test_forecast_gap_fires_above_threshold_only():
    supplier = quantities(
        {"above": [110.1], "at": [110.0], "below": [109.9], "weekly": [60.0, 50.0, 99.0], "big": [160.0]}
    )
    customer = quantities(
        {"above": [89.9], "at": [90.0], "below": [90.1], "weekly": [50.0, 40.0], "big": [40.0]}
    )
    result = evaluate(ExceptionInputs(supplier=supplier, customer=customer), ONLY_FORECASTS)
    hits = fired(result, "forecast_gap")
    assert set(hits) == {"above", "big"}  # "weekly": |10| + |10| over (55 + 45) = exactly 20 %
    assert hits["above"][0] == pytest.approx(20.2)
    assert hits["above"][1:4] == (20.0, 3, "both")
    assert pd.isna(hits["above"][4])
    assert hits["big"][0] == pytest.approx(120.0)
    assert hits["big"][2] == 1


def test_forecast_gap_priority_scales_with_size():
    supplier = quantities({"mid": [117.5]})  # gap 35 on a mean of 100: 1.75 × the threshold
    customer = quantities({"mid": [82.5]})
    hits = fired(
        evaluate(ExceptionInputs(supplier=supplier, customer=customer), ONLY_FORECASTS), "forecast_gap"
    )
    assert hits["mid"][0] == pytest.approx(35.0)
    assert hits["mid"][2] == 2


def test_forecast_error_fires_above_wape_threshold_only_with_owner_from_source():
    actuals = quantities({"above": [100.0], "at": [100.0], "below": [100.0], "mine": [50.0, 50.0]})
    frozen = quantities({"above": [130.1], "at": [130.0], "below": [129.9], "mine": [90.0, 50.0]})
    frozen["source"] = frozen["series_id"].map({"mine": "supplier"})
    result = evaluate(ExceptionInputs(frozen=frozen, actuals=actuals), ONLY_FORECASTS)
    hits = fired(result, "forecast_error")
    assert set(hits) == {"above", "mine"}
    assert hits["above"][0] == pytest.approx(30.1)
    assert hits["above"][1:4] == (30.0, 3, "both")
    assert hits["mine"][0] == pytest.approx(40.0)  # |50 − 90| / (50 + 50)
    assert hits["mine"][3] == "supplier"


def test_forecast_change_fires_above_threshold_only():
    consensus = quantities({"above": [125.1], "at": [125.0], "below": [124.9], "from_zero": [10.0]})
    previous = quantities({"above": [100.0], "at": [100.0], "below": [100.0], "from_zero": [0.0]})
    result = evaluate(ExceptionInputs(consensus=consensus, previous_consensus=previous), ONLY_FORECASTS)
    hits = fired(result, "forecast_change")
    assert set(hits) == {"above"}
    assert hits["above"][0] == pytest.approx(25.1)
    assert hits["above"][1:4] == (25.0, 3, "both")


def test_projected_cover_by_hand():
    consensus = quantities({"a": [10.0, 10.0, 20.0, 10.0, 10.0, 10.0]})
    position = positions(
        {"a": {"on_hand": 25.0, "in_transit": 5.0, "open_orders": 40.0, "lead_time_weeks": 2}}
    )
    plan = projected_cover(consensus, position)
    # 30 available now; the 40 open arrive in week 2 (after the lead time)
    assert plan["projected"].tolist() == [20.0, 10.0, 30.0, 20.0, 10.0, 0.0]
    # cover = stock / mean of the next (up to) 4 weeks' forecast; none after the last week
    expected = [20.0 / 12.5, 10.0 / 12.5, 30.0 / 10.0, 20.0 / 10.0, 10.0 / 10.0]
    assert plan["cover"].iloc[:5].tolist() == pytest.approx(expected)
    assert pd.isna(plan["cover"].iloc[5])


def test_projected_cover_uses_the_due_week_and_the_default_lead_time():
    consensus = quantities({"due": [10.0] * 6, "default": [10.0] * 6})
    position = pd.DataFrame(
        {
            "series_id": ["due", "default"],
            "on_hand": [30.0, 30.0],
            "in_transit": [0.0, 0.0],
            "open_orders": [50.0, 50.0],
            "open_orders_due": [pd.Timestamp("2026-01-21"), pd.NaT],  # a Wednesday in week 2
        }
    )
    plan = projected_cover(consensus, position)
    due = plan[plan["series_id"] == "due"]["projected"].tolist()
    default = plan[plan["series_id"] == "default"]["projected"].tolist()
    assert due == [20.0, 10.0, 50.0, 40.0, 30.0, 20.0]
    assert default == [20.0, 10.0, 50.0, 40.0, 30.0, 20.0]  # default lead time of 2 weeks


def test_low_stock_fires_below_minimum_cover_only():
    consensus = quantities({sid: [10.0] * 6 for sid in ("above", "at", "below", "later")})
    # week 0 cover = (on_hand − 10) / 10; the open 100 arrive in week 1 and keep later weeks stocked
    position = positions(
        {
            "above": {"on_hand": 19.9, "open_orders": 100.0},
            "at": {"on_hand": 20.0, "open_orders": 100.0},
            "below": {"on_hand": 20.1, "open_orders": 100.0},
            "later": {"on_hand": 50.0},  # 40, 30, 20, 10, 0 → cover 4, 3, 2, 1, 0
        }
    )
    criteria = ExceptionCriteria(
        forecast_gap_pct=None, wape_pct=None, version_change_pct=None, max_weeks_cover=None, capacity=False
    )
    hits = fired(evaluate(ExceptionInputs(consensus=consensus, positions=position), criteria), "low_stock")
    assert set(hits) == {"above", "later"}
    assert hits["above"][0] == pytest.approx(0.99)
    assert hits["above"][1:5] == (1.0, 1, "supplier", WEEKS[0])  # within the 1-week lead time
    assert hits["later"] == (0.0, 1.0, 2, "supplier", WEEKS[4])  # first week below only, beyond lead time


def test_overstock_fires_above_maximum_cover_only():
    consensus = quantities({sid: [10.0] * 6 for sid in ("above", "at", "below")})
    position = positions({"above": {"on_hand": 90.1}, "at": {"on_hand": 90.0}, "below": {"on_hand": 89.9}})
    criteria = ExceptionCriteria(
        forecast_gap_pct=None, wape_pct=None, version_change_pct=None, min_weeks_cover=None, capacity=False
    )
    hits = fired(evaluate(ExceptionInputs(consensus=consensus, positions=position), criteria), "overstock")
    assert set(hits) == {"above"}
    assert hits["above"][0] == pytest.approx(8.01)
    assert hits["above"][1:5] == (8.0, 3, "customer", WEEKS[0])


def test_over_capacity_fires_per_item_week_above_capacity_only():
    order_forecast = quantities({"1:a": [60.0, 60.0, 60.0, 110.0], "1:b": [40.1, 40.0, 39.9], "2:a": [500.0]})
    series_item = pd.DataFrame({"series_id": ["1:a", "1:b", "2:a"], "item_id": [1, 1, 2]})
    capacity = pd.DataFrame(
        {"item_id": [1, 1], "period": [pd.NaT, WEEKS[3]], "quantity": [100.0, 120.0]}
    )  # week 3 has its own, higher capacity; item 2 states none
    criteria = ExceptionCriteria(
        forecast_gap_pct=None,
        wape_pct=None,
        version_change_pct=None,
        min_weeks_cover=None,
        max_weeks_cover=None,
    )
    inputs = ExceptionInputs(order_forecast=order_forecast, series_item=series_item, capacity=capacity)
    result = evaluate(inputs, criteria)
    assert len(result) == 1
    row = result.iloc[0]
    assert row["criterion"] == "over_capacity"
    assert pd.isna(row["series_id"])
    assert row["item_id"] == "1"
    assert row["period"] == WEEKS[0]
    assert row["value"] == pytest.approx(100.1)
    assert (row["threshold"], row["priority"], row["owner_side"]) == (100.0, 1, "supplier")


def test_criteria_switched_off_or_empty_inputs_yield_nothing():
    supplier = quantities({"a": [200.0]})
    customer = quantities({"a": [10.0]})
    assert evaluate(ExceptionInputs(supplier=supplier, customer=customer), NOTHING).empty
    result = evaluate(ExceptionInputs(), ExceptionCriteria())
    assert result.empty
    assert tuple(result.columns) == EXCEPTION_COLUMNS


def test_all_criteria_together_are_sorted_by_priority_and_carry_the_item():
    supplier = quantities({"1:a": [200.0]})
    customer = quantities({"1:a": [100.0]})  # gap 66.7 % → priority 1
    consensus = quantities({"1:a": [10.0] * 6})
    position = positions({"1:a": {"on_hand": 200.0}})  # cover 19 → overstock, priority 3
    series_item = pd.DataFrame({"series_id": ["1:a"], "item_id": ["1"]})
    inputs = ExceptionInputs(
        supplier=supplier, customer=customer, consensus=consensus, positions=position, series_item=series_item
    )
    result = evaluate(inputs, ExceptionCriteria())
    assert result["criterion"].tolist() == ["forecast_gap", "overstock"]
    assert result["priority"].tolist() == [1, 3]
    assert result["item_id"].tolist() == ["1", "1"]
    assert result["value"].tolist() == pytest.approx([100.0 / 150.0 * 100.0, 19.0])
