"""Push orders against partnering: the same weekly demand history replayed under two supply policies.

``simulate(demand, params)`` takes ``series_id, period, quantity`` (weekly; weeks missing between the
first and last period of the whole frame count as zero demand) and returns one row per policy:

* ``push`` — in the first week of every calendar month (the week whose Monday is day 1–7) the supplier
  ships a quota = the trailing ``history_weeks`` mean demand × ``WEEKS_PER_MONTH`` × (1 + ``quota_growth``),
  whatever the customer's stock;
* ``partnering`` — every ``review_weeks`` weeks (from the first simulated week) a CPFR order proposal
  brings the inventory position (stock + orders not yet received) up to
  mean × (L + R) + z(service_level) × sigma × √(L + R), where mean and sigma are the moving average and
  the sample standard deviation (its one-week error) of the trailing ``history_weeks`` of demand.

Timeline. The first ``history_weeks`` weeks are the warm-up: they feed the first forecast and quota and
are not scored. Both policies start the first simulated week with ``initial_stock_weeks`` × the warm-up's
mean demand in stock and nothing in transit. Each simulated week t: (1) the policy decides its shipment,
which arrives at the start of week t + ``lead_time_weeks`` (same logistics for both policies; with a lead
time of 0 it arrives the same week); (2) the shipments due in week t arrive; (3) demand is served from
stock; unmet demand is lost (no backorders); the stock left is the week's end stock. Shipments due after
the last week never arrive but are counted in ``shipped``. The loop runs over weeks (a simulation is
sequential in time); every step is a numpy operation over all series at once.

Metrics (per series over the N simulated weeks; the policy row aggregates the series):

* ``average_stock`` — mean end-of-week stock (policy: sum over series);
* ``weeks_of_cover`` — average_stock / mean weekly demand (policy: of the sums; NaN with no demand);
* ``fill_rate`` — units sold / units demanded, 0–1 (policy: of the sums; NaN with no demand);
* ``stockout_weeks`` — weeks with lost sales (policy: series-weeks);
* ``lost_sales`` — units demanded but not sold;
* ``overstock`` — unit-weeks of stock above ``overstock_weeks`` × the series' mean weekly demand over
  the simulated weeks: Σ_t max(0, end stock_t − overstock_weeks × mean demand);
* ``shipped``, ``demand``, ``sales`` — units shipped by the supplier, demanded and sold;
* ``weeks`` (per-series frame only) — the number of simulated weeks N.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from mitra.planning.engine.stats import TOLERANCE, normal_quantile

POLICIES: tuple[str, ...] = ("push", "partnering")
SHRINK = 2.0  # pseudo-weeks pulling a calendar factor learnt from few weeks towards 1
WEEKS_PER_MONTH = 4.33
METRIC_COLUMNS: tuple[str, ...] = (
    "average_stock",
    "weeks_of_cover",
    "fill_rate",
    "stockout_weeks",
    "lost_sales",
    "overstock",
    "shipped",
    "demand",
    "sales",
)


@dataclass(frozen=True)
class SimulationParams:
    """Lead time L and review period R in weeks, target service level, push quota growth, the trailing
    window of the forecast and quota, the initial stock and the overstock limit in weeks of demand."""

    lead_time_weeks: int = 2
    review_weeks: int = 1
    service_level: float = 0.95
    quota_growth: float = 0.10
    history_weeks: int = 13
    # the push quota's basis: the trailing mean of this many weeks (None: ``history_weeks``); a sales
    # target is usually last year's volume spread over the months, blind to when the demand comes
    quota_weeks: int | None = None
    initial_stock_weeks: float = 2.0
    overstock_weeks: float = 8.0

    def __post_init__(self) -> None:
        if self.lead_time_weeks < 0 or self.review_weeks < 1 or self.history_weeks < 1:
            raise ValueError("lead_time_weeks must be ≥ 0, review_weeks and history_weeks ≥ 1")
        if not 0.0 < self.service_level < 1.0:
            raise ValueError("service_level must lie strictly between 0 and 1")


def _matrix(demand: pd.DataFrame) -> tuple[np.ndarray, pd.Index, pd.DatetimeIndex]:
    frame = demand[["series_id", "period", "quantity"]].copy()
    frame["period"] = pd.to_datetime(frame["period"])
    weeks = pd.date_range(frame["period"].min(), frame["period"].max(), freq="7D")
    wide = frame.pivot_table(index="series_id", columns="period", values="quantity", aggfunc="sum")
    wide = wide.reindex(columns=weeks).fillna(0.0).sort_index()
    return wide.to_numpy(dtype="float64"), wide.index, weeks


def event_factors(history: np.ndarray, keys: np.ndarray, window: int) -> np.ndarray:
    """Per series and week, the demand factor of each calendar key as known at the START of that week
    (``factors[s, t, k]``, 1 for ordinary weeks): demand in the earlier weeks of key k over the trailing
    mean of ordinary weeks then, shrunk towards 1 by ``SHRINK`` pseudo-weeks. Cumulative sums over time,
    vectorised over series."""
    count, total = history.shape
    ordinary = keys == 0
    demand_ordinary = np.where(ordinary[None, :], history, 0.0)
    run = np.cumsum(demand_ordinary, axis=1)
    n_run = np.cumsum(ordinary.astype("float64"))
    sums = run - np.pad(run, ((0, 0), (window, 0)))[:, :total]
    counts = n_run - np.pad(n_run, (window, 0))[:total]
    with np.errstate(divide="ignore", invalid="ignore"):
        baseline = np.where(counts > 0, sums / np.maximum(counts, 1), np.nan)
    n_keys = int(keys.max()) + 1 if len(keys) else 1
    factors = np.ones((count, total, n_keys))
    for k in range(1, n_keys):
        mask = (keys == k).astype("float64")
        seen = np.cumsum(history * mask[None, :], axis=1)
        expected = np.cumsum(np.nan_to_num(baseline) * mask[None, :], axis=1)
        # known at the start of week t: the weeks before t
        seen = np.pad(seen, ((0, 0), (1, 0)))[:, :total]
        expected = np.pad(expected, ((0, 0), (1, 0)))[:, :total]
        weeks_seen = np.pad(np.cumsum(mask), (1, 0))[:total]
        mean_expected = np.where(weeks_seen > 0, expected / np.maximum(weeks_seen, 1), 0.0)
        factors[:, :, k] = (seen + SHRINK * mean_expected) / np.maximum(
            expected + SHRINK * mean_expected, 1e-9
        )
    return np.clip(factors, 0.05, 20.0)


def _calendar_keys(weeks: pd.DatetimeIndex, events: pd.DataFrame | None) -> np.ndarray:
    """One integer per week: 0 for an ordinary week, else the code of its combination of calendar flags."""
    if events is None or events.empty:
        return np.zeros(len(weeks), dtype="int64")
    flags = events.set_index(pd.to_datetime(events["period"])).drop(columns=["period"])
    flags = flags.reindex(weeks).fillna(False).astype(bool)
    combo = flags.apply(lambda row: "|".join(flags.columns[row.to_numpy()]), axis=1)
    codes, _uniques = pd.factorize(combo.where(combo != "", None), use_na_sentinel=True)
    return np.asarray(codes, dtype="int64") + 1


def simulate_series(
    demand: pd.DataFrame, params: SimulationParams, *, events: pd.DataFrame | None = None
) -> pd.DataFrame:
    """One row per (policy, series_id) with ``METRIC_COLUMNS`` (see the module docstring)."""
    history, series, weeks = _matrix(demand)
    window = params.history_weeks
    count, total = history.shape
    if total <= window:
        raise ValueError(f"the demand history has {total} weeks; it needs more than history_weeks ({window})")
    # Trailing window statistics for every decision week at once: column j describes weeks j … j+window−1,
    # i.e. what is known at the start of week j + window.
    windows = np.lib.stride_tricks.sliding_window_view(history, window, axis=1)
    means = windows.mean(axis=2)
    sigmas = windows.std(axis=2, ddof=1) if window > 1 else np.zeros_like(means)
    lead, review = params.lead_time_weeks, params.review_weeks
    cover = lead + review
    keys = _calendar_keys(weeks, events)
    factors = event_factors(history, keys, window) if keys.any() else None
    if factors is not None:
        # the calendar-aware forecast: the trailing mean of ordinary weeks times each coming week's factor
        plain = np.where((keys == 0)[None, :], history, np.nan)
        ordinary_windows = np.lib.stride_tricks.sliding_window_view(plain, window, axis=1)
        with np.errstate(invalid="ignore"):
            ordinary_means = np.nanmean(ordinary_windows, axis=2)
        means_ordinary = np.where(np.isnan(ordinary_means), means, ordinary_means)
    z = float(normal_quantile(params.service_level))
    month_start = np.asarray(weeks.day <= 7)
    quota_window = params.quota_weeks or window
    start = max(window, quota_window)
    if total <= start:
        raise ValueError(f"the demand history has {total} weeks; it needs more than {start}")
    quota_means = np.lib.stride_tricks.sliding_window_view(history, quota_window, axis=1).mean(axis=2)
    simulated = total - start

    rows = []
    for policy in POLICIES:
        stock = params.initial_stock_weeks * means[:, start - window]
        arrivals = np.zeros((count, total + lead + 1))
        pipeline = np.zeros(count)
        shipped = np.zeros(count)
        end_stock = np.zeros((count, simulated))
        sales = np.zeros((count, simulated))
        for step, week in enumerate(range(start, total)):
            mean, sigma = means[:, week - window], sigmas[:, week - window]
            if policy == "push":
                ship = (
                    quota_means[:, week - quota_window] * WEEKS_PER_MONTH * (1.0 + params.quota_growth)
                    if month_start[week]
                    else np.zeros(count)
                )
            elif step % review == 0:
                if factors is not None:
                    ahead = np.arange(week, min(week + cover, total))
                    level = means_ordinary[:, week - window]
                    known = factors[:, week, :]  # the factors as known at the start of this week
                    coming = known[:, keys[ahead]] * level[:, None]
                    expected = coming.sum(axis=1) + level * (cover - len(ahead))
                    target = expected + z * sigma * np.sqrt(cover)
                else:
                    target = mean * cover + z * sigma * np.sqrt(cover)
                ship = np.maximum(target - (stock + pipeline), 0.0)
            else:
                ship = np.zeros(count)
            arrivals[:, week + lead] += ship
            pipeline += ship
            shipped += ship
            stock = stock + arrivals[:, week]
            pipeline -= arrivals[:, week]
            sold = np.minimum(stock, history[:, week])
            stock = stock - sold
            sales[:, step] = sold
            end_stock[:, step] = stock
        wanted = history[:, start:]
        lost = wanted - sales
        mean_demand = wanted.mean(axis=1)
        average = end_stock.mean(axis=1)
        excess = np.maximum(end_stock - params.overstock_weeks * mean_demand[:, None], 0.0)
        with np.errstate(divide="ignore", invalid="ignore"):
            rows.append(
                pd.DataFrame(
                    {
                        "policy": policy,
                        "series_id": series.astype("str"),
                        "average_stock": average,
                        "weeks_of_cover": np.where(mean_demand > 0, average / mean_demand, np.nan),
                        "fill_rate": np.where(
                            wanted.sum(axis=1) > 0, sales.sum(axis=1) / wanted.sum(axis=1), np.nan
                        ),
                        "stockout_weeks": (lost > TOLERANCE).sum(axis=1).astype("int64"),
                        "lost_sales": lost.sum(axis=1),
                        "overstock": excess.sum(axis=1),
                        "shipped": shipped,
                        "demand": wanted.sum(axis=1),
                        "sales": sales.sum(axis=1),
                        "weeks": simulated,
                    }
                )
            )
    return pd.concat(rows, ignore_index=True)


def summarise(per_series: pd.DataFrame) -> pd.DataFrame:
    """The policy rows of a ``simulate_series`` frame: sums, with cover and fill rate of the sums."""
    sums = per_series.groupby("policy", sort=False, as_index=False)[
        ["average_stock", "stockout_weeks", "lost_sales", "overstock", "shipped", "demand", "sales"]
    ].sum()
    weeks = per_series.groupby("policy", sort=False)["weeks"].max().to_numpy()
    demand = sums["demand"].to_numpy(dtype="float64")
    with np.errstate(divide="ignore", invalid="ignore"):
        sums["weeks_of_cover"] = np.where(demand > 0, sums["average_stock"] / (demand / weeks), np.nan)
        sums["fill_rate"] = np.where(demand > 0, sums["sales"] / demand, np.nan)
    return sums[["policy", *METRIC_COLUMNS]]


def simulate(
    demand: pd.DataFrame,
    params: SimulationParams,
    *,
    per_series: bool = False,
    events: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """One row per policy (``POLICIES``) with ``METRIC_COLUMNS``; per (policy, series_id) when
    ``per_series`` (``summarise`` turns that frame into the policy rows without replaying again).

    With ``events`` (``calendar.indonesian_events`` of the weeks: period + flags) partnering plans with the
    calendar the partners share: its forecast is the trailing mean of ordinary weeks times each coming
    week's factor, learnt from the earlier weeks of the same kind (Ramadan, before Lebaran, …). Push ships
    its monthly quota either way: that is what push does."""
    rows = simulate_series(demand, params, events=events)
    return rows if per_series else summarise(rows)
