"""Push against partnering, replayed on a small hand-built history and checked by hand."""

import math

import numpy as np
import pandas as pd
import pytest

from mitra.planning.engine.simulate import METRIC_COLUMNS, SimulationParams, simulate, summarise

# 2026-01-05, 02-02 and 03-02 are the first Mondays of their months (push ships then).
WEEKS = pd.date_range("2026-01-05", periods=10, freq="W-MON")
DEMAND = [10.0, 10.0, 10.0, 20.0, 10.0, 0.0, 10.0, 10.0, 20.0, 10.0]
PARAMS = SimulationParams(
    lead_time_weeks=1,
    review_weeks=1,
    service_level=0.5,  # z = 0: the partnering target is the moving average × (L + R)
    quota_growth=0.10,
    history_weeks=2,
    initial_stock_weeks=1.0,
    overstock_weeks=2.0,
)


def history(values: list[float], series: str = "a") -> pd.DataFrame:
    return pd.DataFrame({"series_id": series, "period": WEEKS[: len(values)], "quantity": values})


def by_policy(frame: pd.DataFrame) -> dict[str, pd.Series]:
    return {row["policy"]: row for _, row in frame.iterrows()}


def test_partnering_replay_by_hand():
    # warm-up weeks 0–1, initial stock 10; each week ships 2 × mean(last 2 weeks) − (stock + in transit):
    # week 2: 20 − 10 = 10; 3: 20 − 10 = 10; 4: 30 − 10 = 20; 5: 30 − 20 = 10; 6: 10 − 30 → 0;
    # 7: 10 − 20 → 0; 8: 20 − 10 = 10; 9: 30 − 10 = 20 (never arrives).
    # end stocks 0, 0, 0, 20, 20, 10, 0, 0; lost 10 in week 3 and 10 in week 8.
    row = by_policy(simulate(history(DEMAND), PARAMS))["partnering"]
    assert row["average_stock"] == pytest.approx(50.0 / 8)
    assert row["weeks_of_cover"] == pytest.approx((50.0 / 8) / (90.0 / 8))
    assert row["fill_rate"] == pytest.approx(70.0 / 90.0)
    assert row["stockout_weeks"] == 2
    assert row["lost_sales"] == pytest.approx(20.0)
    assert row["overstock"] == pytest.approx(0.0)  # never above 2 × 11.25 = 22.5
    assert row["shipped"] == pytest.approx(80.0)
    assert (row["demand"], row["sales"]) == (90.0, 70.0)


def test_push_replay_by_hand():
    # quotas in weeks 4 and 8: 15 × 4.33 × 1.1 = 71.445 and 10 × 4.33 × 1.1 = 47.63, each arriving a week later.
    # initial 10 sells out in week 2; lost 20 (week 3) + 10 (week 4); end stocks 0, 0, 0, 71.445, 61.445,
    # 51.445, 31.445, 69.075.
    row = by_policy(simulate(history(DEMAND), PARAMS))["push"]
    ends = [0.0, 0.0, 0.0, 71.445, 61.445, 51.445, 31.445, 69.075]
    assert row["average_stock"] == pytest.approx(sum(ends) / 8)
    assert row["weeks_of_cover"] == pytest.approx((sum(ends) / 8) / 11.25)
    assert row["fill_rate"] == pytest.approx(60.0 / 90.0)
    assert row["stockout_weeks"] == 2
    assert row["lost_sales"] == pytest.approx(30.0)
    assert row["overstock"] == pytest.approx(sum(max(end - 22.5, 0.0) for end in ends))  # 172.355
    assert row["overstock"] == pytest.approx(172.355)
    assert row["shipped"] == pytest.approx(71.445 + 47.63)


def test_partnering_safety_stock_from_the_moving_error():
    # warm-up 8, 10, 12: mean 10, sample sd 2; one simulated week starting mid-month (no push quota).
    params = SimulationParams(history_weeks=3, lead_time_weeks=2, review_weeks=1, initial_stock_weeks=2.0)
    frame = pd.DataFrame(
        {
            "series_id": "a",
            "period": pd.date_range("2026-01-19", periods=4, freq="W-MON"),
            "quantity": [8.0, 10.0, 12.0, 10.0],
        }
    )
    rows = by_policy(simulate(frame, params))
    target = 30.0 + 1.6448536269514722 * 2.0 * math.sqrt(3)
    assert rows["partnering"]["shipped"] == pytest.approx(target - 20.0)
    assert rows["push"]["shipped"] == 0.0
    assert rows["push"]["average_stock"] == pytest.approx(10.0)


def test_series_are_simulated_independently_and_summed():
    two = pd.concat([history(DEMAND, "a"), history([2 * value for value in DEMAND], "b")], ignore_index=True)
    per_series = simulate(two, PARAMS, per_series=True)
    assert per_series[["policy", "series_id"]].values.tolist() == [
        ["push", "a"],
        ["push", "b"],
        ["partnering", "a"],
        ["partnering", "b"],
    ]
    doubled = per_series.set_index(["policy", "series_id"])
    for column in ("average_stock", "lost_sales", "overstock", "shipped", "stockout_weeks"):
        assert doubled.loc[("partnering", "b"), column] == pytest.approx(
            (2 if column != "stockout_weeks" else 1) * doubled.loc[("partnering", "a"), column]
        )
    summary = by_policy(summarise(per_series))
    assert summary["partnering"]["lost_sales"] == pytest.approx(60.0)
    assert summary["partnering"]["stockout_weeks"] == 4
    assert summary["partnering"]["fill_rate"] == pytest.approx(210.0 / 270.0)
    assert summary["push"]["weeks_of_cover"] == pytest.approx(
        (per_series["average_stock"][:2].sum()) / (270.0 / 8)
    )
    assert list(summarise(per_series).columns) == ["policy", *METRIC_COLUMNS]


def test_missing_weeks_count_as_zero_demand_and_short_history_is_refused():
    gappy = history(DEMAND).drop(index=[5])  # week 5 had 0 demand anyway
    assert np.allclose(
        simulate(gappy, PARAMS)[list(METRIC_COLUMNS)].to_numpy(dtype="float64"),
        simulate(history(DEMAND), PARAMS)[list(METRIC_COLUMNS)].to_numpy(dtype="float64"),
    )
    with pytest.raises(ValueError, match="history_weeks"):
        simulate(history(DEMAND[:2]), PARAMS)


def test_the_shared_calendar_lets_partnering_anticipate_a_moving_peak():
    import numpy as np

    from mitra.planning.engine.calendar import EVENT_COLUMNS

    weeks = pd.date_range("2023-01-02", periods=156, freq="7D")
    peak = np.zeros(156, dtype=bool)
    peak[[20, 21, 70, 71, 120, 121]] = True  # a festive fortnight that moves every year
    demand = pd.DataFrame({"series_id": "a", "period": weeks, "quantity": np.where(peak, 40.0, 10.0)})
    events = pd.DataFrame({"period": weeks, **{c: False for c in EVENT_COLUMNS}})
    events["lebaran_before"] = peak
    params = SimulationParams(lead_time_weeks=1, service_level=0.95, history_weeks=8)
    blind = simulate(demand, params).set_index("policy")
    aware = simulate(demand, params, events=events).set_index("policy")
    # the first peak is new to both; from the second on, the calendar-aware plan has the stock ready
    assert aware.loc["partnering", "lost_sales"] < blind.loc["partnering", "lost_sales"]
    assert aware.loc["partnering", "fill_rate"] > blind.loc["partnering", "fill_rate"]
    # push is blind to the calendar either way
    assert aware.loc["push", "lost_sales"] == blind.loc["push", "lost_sales"]
