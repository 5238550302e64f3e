"""The baseline forecast: input checks, model choice per series, intervals, tiers, calendar, executors."""

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from mitra.planning.engine.calendar import EVENT_COLUMNS, indonesian_events
from mitra.planning.engine.errors import PlanningInputError
from mitra.planning.engine.executor import DaskExecutor, LocalExecutor
from mitra.planning.engine.forecast import (
    CHEAP_NAMES,
    ForecastParams,
    SeasonalDifferenceETS,
    forecast,
)
from mitra.planning.engine.frames import validate_history

CROSTON_FAMILY = {"CrostonOptimized", "CrostonSBA", "TSB", "ADIDA"}
SEASONAL = {"SeasonalNaive", "SeasonalDifferenceETS", "AutoTheta", "MSTL", "Combination"}


def frame(series: dict[str, np.ndarray], start: str = "2022-01-03") -> pd.DataFrame:
    parts = []
    for sid, values in series.items():
        weeks = pd.date_range(start, periods=len(values), freq="W-MON")
        parts.append(pd.DataFrame({"series_id": sid, "period": weeks, "quantity": values.astype(float)}))
    return pd.concat(parts, ignore_index=True)


def seasonal_values(weeks: int, seed: int, level: float = 100.0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    t = np.arange(weeks)
    return np.round(level * (1 + 0.5 * np.sin(2 * np.pi * t / 52)) * rng.normal(1, 0.04, weeks))


# --- validate_history ------------------------------------------------------------------------------------


def test_validate_history_sorts_moves_to_monday_and_fills_missing_weeks():
    raw = pd.DataFrame(
        {
            "series_id": ["b", "a", "a"],
            "period": ["2025-01-08", "2025-01-06", "2025-01-26"],  # a Wednesday and a Sunday
            "quantity": ["1", "2", "3.5"],
        }
    )
    clean = validate_history(raw)
    assert clean["series_id"].tolist() == ["a", "a", "a", "b"]
    assert [str(p.date()) for p in clean["period"]] == [
        "2025-01-06",
        "2025-01-13",
        "2025-01-20",
        "2025-01-06",
    ]
    assert clean["quantity"].tolist() == [2.0, 0.0, 3.5, 1.0]
    assert str(clean["period"].dtype) == "datetime64[ns]"


@pytest.mark.parametrize(
    ("column", "value", "row", "message"),
    [
        ("period", "2025-13-01", 2, "not a date (YYYY-MM-DD): '2025-13-01'"),
        ("quantity", "-4", 2, "negative quantity: -4"),
        ("quantity", "abc", 2, "not a number: 'abc'"),
        ("quantity", "inf", 2, "not a number: 'inf'"),
        ("series_id", " ", 2, "series_id is empty"),
    ],
)
def test_validate_history_names_the_first_bad_row_and_column(column, value, row, message):
    raw = pd.DataFrame(
        {
            "series_id": ["a", "a", "a"],
            "period": ["2025-01-06", "2025-01-13", "2025-01-20"],
            "quantity": ["1"] * 3,
        }
    )
    raw.loc[1, column] = value
    raw.loc[2, column] = value  # only the first bad row is named
    with pytest.raises(PlanningInputError) as caught:
        validate_history(raw)
    assert (caught.value.row, caught.value.column, caught.value.message) == (row, column, message)
    assert str(caught.value) == f"row {row}, column {column!r}: {message}"


def test_validate_history_rejects_a_week_given_twice_and_a_missing_column():
    raw = pd.DataFrame(
        {
            "series_id": ["a", "b", "a"],
            "period": ["2025-01-06", "2025-01-06", "2025-01-09"],
            "quantity": [1, 2, 3],
        }
    )
    with pytest.raises(PlanningInputError) as caught:
        validate_history(raw)
    assert (caught.value.row, caught.value.column) == (3, "period")
    assert caught.value.message == "series 'a' has week 2025-01-06 twice"
    with pytest.raises(PlanningInputError) as missing:
        validate_history(raw.drop(columns="quantity"))
    assert (missing.value.row, missing.value.column, missing.value.message) == (
        None,
        "quantity",
        "missing column",
    )


def test_params_are_checked():
    with pytest.raises(PlanningInputError, match="tier must be one of auto, cheap, full"):
        ForecastParams(tier="fast")
    with pytest.raises(PlanningInputError, match="level must be 1 to 99"):
        ForecastParams(level=100)


# --- full tier ------------------------------------------------------------------------------------------


def test_seasonal_series_get_a_seasonal_model_that_beats_naive_on_held_out_weeks():
    history = frame({f"s{i}": seasonal_values(160, seed=i) for i in range(3)})
    cut = history["period"].max() - pd.Timedelta(weeks=13)
    train, test = history[history["period"] <= cut], history[history["period"] > cut]
    result = forecast(train, ForecastParams(horizon=13, tier="full", holidays=False))
    assert set(result.selection["model"]) <= SEASONAL
    assert result.selection["tier"].tolist() == ["full"] * 3
    assert result.selection["mase"].notna().all() and result.selection["wape"].notna().all()
    merged = test.merge(result.forecasts, on=["series_id", "period"])
    assert len(merged) == 39
    last = train.groupby("series_id")["quantity"].last()
    naive_error = (merged["series_id"].map(last) - merged["quantity"]).abs().mean()
    model_error = (merged["forecast"] - merged["quantity"]).abs().mean()
    assert model_error < 0.3 * naive_error


def test_intermittent_series_get_a_croston_family_model_and_intervals_around_the_point():
    rng = np.random.default_rng(3)
    sparse = np.where(rng.random(120) < 0.2, rng.integers(1, 6, 120), 0)
    smooth = seasonal_values(120, seed=4)
    result = forecast(frame({"sparse": sparse, "smooth": smooth}), ForecastParams(horizon=6, tier="full"))
    chosen = result.selection.set_index("series_id")["model"]
    assert chosen["sparse"] in CROSTON_FAMILY
    assert chosen["smooth"] not in CROSTON_FAMILY
    fc = result.forecasts
    assert list(fc.columns) == ["series_id", "period", "forecast", "lo", "hi", "model"]
    assert len(fc) == 12
    assert (fc["lo"] <= fc["forecast"]).all() and (fc["forecast"] <= fc["hi"]).all()
    assert (fc["lo"] >= 0).all() and (fc["forecast"] >= 0).all()
    sparse_fc = fc[fc["series_id"] == "sparse"]
    assert (sparse_fc["hi"] > sparse_fc["forecast"]).all()  # a real interval, not a point


def test_forecast_weeks_follow_each_series_last_week():
    history = pd.concat(
        [
            frame({"early": seasonal_values(70, seed=1)}, start="2022-01-03"),
            frame({"late": seasonal_values(70, seed=2)}, start="2022-03-07"),
        ]
    )
    result = forecast(history, ForecastParams(horizon=3, tier="full", holidays=False))
    got = result.forecasts.groupby("series_id")["period"].agg(["min", "max", "size"])
    assert str(got.loc["early", "min"].date()) == "2023-05-08"  # 70 weeks after 2022-01-03
    assert str(got.loc["late", "max"].date()) == "2023-07-24"
    assert got["size"].tolist() == [3, 3]


def test_seasonal_difference_ets_adds_the_smoothed_year_over_year_change():
    pattern = np.arange(52, dtype=float) % 7 * 10
    y = np.concatenate([pattern, pattern + 5, pattern + 10])  # +5 a year, exactly
    out = SeasonalDifferenceETS(season_length=52).forecast(y=y, h=4, level=[80])
    np.testing.assert_allclose(out["mean"], pattern[:4] + 15, atol=1e-6)
    assert (out["lo-80"] <= out["mean"] + 1e-9).all() and (out["hi-80"] >= out["mean"] - 1e-9).all()


# --- cheap and auto tiers ---------------------------------------------------------------------------------


def test_cheap_tier_returns_one_row_per_series_and_week_and_repeats_an_exact_season():
    pattern = np.tile(np.array([5.0, 9.0, 1.0, 7.0]), 20)
    flat = np.full(80, 12.0)
    history = frame({"pattern": pattern, "flat": flat, "short": np.array([3.0, 4.0])})
    result = forecast(history, ForecastParams(horizon=6, season_length=4, tier="cheap", holidays=False))
    fc = result.forecasts
    assert fc.groupby("series_id").size().to_dict() == {"flat": 6, "pattern": 6, "short": 6}
    assert set(fc["model"]) <= set(CHEAP_NAMES)
    assert fc.loc[fc["series_id"] == "pattern", "forecast"].tolist() == [5.0, 9.0, 1.0, 7.0, 5.0, 9.0]
    assert fc.loc[fc["series_id"] == "flat", "forecast"].tolist() == [12.0] * 6
    sel = result.selection.set_index("series_id")
    assert sel.loc["pattern", "model"] == "SeasonalNaive"
    assert sel.loc["pattern", "wape"] == 0.0
    assert np.isnan(sel.loc["short", "mase"])  # too short to validate
    assert sel["tier"].tolist() == ["cheap"] * 3
    assert (fc["lo"] <= fc["forecast"]).all() and (fc["hi"] >= fc["forecast"]).all()


def test_auto_tier_gives_the_long_tail_the_cheap_models():
    history = frame(
        {
            "big": seasonal_values(80, seed=1, level=1000.0),
            "mid": seasonal_values(80, seed=2, level=1000.0),
            "tiny": seasonal_values(80, seed=3, level=10.0),
        }
    )
    result = forecast(history, ForecastParams(horizon=4, season_length=4, holidays=False))
    assert result.selection.set_index("series_id")["tier"].to_dict() == {
        "big": "full",
        "mid": "full",
        "tiny": "cheap",
    }


# --- calendar ---------------------------------------------------------------------------------------------


def lebaran_history(until: dt.date) -> pd.DataFrame:
    events = indonesian_events(dt.date(2021, 1, 4), until)
    effect = np.ones(len(events))
    effect[events["lebaran_before"].to_numpy()] = 2.0
    effect[events["lebaran"].to_numpy()] = 0.5
    rng = np.random.default_rng(0)
    values = np.round(100 * effect + rng.normal(0, 2, len(events)))
    return pd.DataFrame({"series_id": "x", "period": events["period"], "quantity": values})


def test_the_calendar_puts_the_lebaran_uplift_and_dip_in_the_right_weeks():
    history = lebaran_history(dt.date(2026, 2, 2))  # forecast from February 2026 over Lebaran 2026
    with_calendar = forecast(history, ForecastParams(horizon=8, tier="cheap")).forecasts.set_index("period")
    without = forecast(history, ForecastParams(horizon=8, tier="cheap", holidays=False)).forecasts
    week = with_calendar["forecast"]
    ordinary = week[pd.Timestamp("2026-02-16")]
    assert 90 < ordinary < 110
    for before in ("2026-03-02", "2026-03-09"):
        assert week[pd.Timestamp(before)] > 1.6 * ordinary
    assert week[pd.Timestamp("2026-03-16")] < 0.65 * ordinary
    # without the calendar the moving feast is not where the forecast expects it
    actual = 100 * np.array([1, 1, 1, 2, 2, 0.5, 1, 1])
    assert (
        np.abs(week.to_numpy() - actual).sum() < 0.5 * np.abs(without["forecast"].to_numpy() - actual).sum()
    )


def test_calendar_events_cover_every_column():
    assert EVENT_COLUMNS == (
        "ramadan",
        "lebaran_before",
        "lebaran",
        "lebaran_after",
        "christmas",
        "new_year",
        "school_start",
    )


# --- executors --------------------------------------------------------------------------------------------


def test_dask_executor_gives_the_same_forecasts_as_the_local_one():
    from distributed import Client, LocalCluster

    rng = np.random.default_rng(5)
    history = frame(
        {
            "a": seasonal_values(40, seed=1),
            "b": seasonal_values(40, seed=2),
            "c": np.where(rng.random(40) < 0.25, 3.0, 0.0),
        }
    )
    params = ForecastParams(horizon=4, season_length=4, tier="full", holidays=False)
    local = forecast(history, params, executor=LocalExecutor())
    with (
        LocalCluster(n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None) as cluster,
        Client(cluster) as client,
    ):
        remote = forecast(history, params, executor=DaskExecutor(client))
    pd.testing.assert_frame_equal(local.forecasts, remote.forecasts, rtol=1e-5)
    pd.testing.assert_frame_equal(local.selection, remote.selection, rtol=1e-5)
    assert set(local.selection["model"]) & CROSTON_FAMILY
