"""A statistical baseline forecast per series, with prediction intervals and the Indonesian calendar.

Tiers (``ForecastParams.tier``):

* ``cheap``: every series through vectorised numpy (seasonal naive and two moving averages, picked per
  series on the last ``windows`` origins, intervals from the errors there). No per-series Python.
* ``full``: every series with enough history gets statsforecast models picked per series by rolling-origin
  validation (up to ``windows`` origins ``horizon`` weeks apart, only on the weeks it is given). A smooth
  series is validated on the richest model set its history allows: with two seasons of training seasonal
  naive, ``SeasonalDifferenceETS`` (last year's week + the ETS-smoothed year-over-year change), Theta
  (the standard theta method on the deseasonalised series; AutoTheta's three other variants cost four
  times as much and were no more accurate on the benchmarks), MSTL (STL seasonal part carried forward +
  ETS on the rest) and the mean of the last three; with one season seasonal naive and
  ``SeasonalDifferenceETS``; with less naive, AutoETS and Theta without season. (AutoETS takes seasons
  ≤ 24 only, so on weekly data the season goes through MSTL or the difference.) A smooth series selling
  under ``LOW_VOLUME`` units a week is validated on one window and without MSTL (an STL decomposition of
  counting noise is most of the cost and none of the accuracy).
  Each series' validation error is pulled ``POOLING`` of the way to its group's mean before the pick: a
  few windows are noisy. Intermittent series (ADI ≥ 1.32) choose among Croston, Croston SBA, TSB and
  ADIDA, with intervals from their validation errors. Too short to validate: cheap.
* ``auto``: ``full``, except the long tail — the smallest series making up ``tail_share`` of the volume
  of the last year — which goes ``cheap``: the expensive models go where they pay.

With ``holidays`` the history is divided by a multiplicative factor per series and calendar event
(``calendar.EVENT_COLUMNS``) estimated against a 13-week centred baseline of the ordinary weeks and
shrunk towards the factor of all series; the models see the adjusted history and the factors are put back
on the forecast weeks. Lebaran moves ~11 days a year, so a seasonal model alone would put it in the
wrong week.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy.stats import norm
from statsforecast.models import (
    _TS,
    ADIDA,
    MSTL,
    TSB,
    AutoETS,
    CrostonOptimized,
    CrostonSBA,
    Naive,
    SeasonalNaive,
    Theta,
)

from mitra.planning.engine.calendar import EVENT_COLUMNS, indonesian_events
from mitra.planning.engine.errors import PlanningInputError
from mitra.planning.engine.executor import Executor, LocalExecutor
from mitra.planning.engine.frames import validate_history

TIERS = ("auto", "cheap", "full")
ADI_INTERMITTENT = 1.32  # Syntetos & Boylan: average demand interval above this is intermittent
MIN_TRAIN = 8  # weeks a model needs before the first validation origin
SHRINK = 2.0  # pseudo-occurrences pulling a series' event factor towards all series' factor
BASELINE_HALF = 6  # the 13-week centred baseline of the ordinary weeks
FACTOR_RANGE = (0.2, 5.0)
CHEAP_WINDOWS = (4, 13)  # moving averages the cheap tier tries
POOLING = 0.75  # weight of the group's mean validation error in each series' model pick
LOW_VOLUME = 2.0  # mean units a week over the last year below which a smooth series is validated lightly
CHUNK = 200_000  # series per cheap-tier block (bounds memory)
FULL_BLOCK = 5_000  # series per statsforecast call
FORECAST_COLUMNS = ("series_id", "period", "forecast", "lo", "hi", "model")
SELECTION_COLUMNS = ("series_id", "model", "mase", "wape", "tier")


@dataclass(frozen=True)
class ForecastParams:
    horizon: int = 13
    season_length: int = 52
    level: int = 80
    windows: int = 3
    tier: str = "auto"
    holidays: bool = True
    n_jobs: int = 1
    tail_share: float = 0.05

    def __post_init__(self) -> None:
        if self.tier not in TIERS:
            raise PlanningInputError(f"tier must be one of {', '.join(TIERS)}", column="tier")
        if not 1 <= self.horizon <= 260:
            raise PlanningInputError("horizon must be 1 to 260 weeks", column="horizon")
        if not 1 <= self.season_length <= 260:
            raise PlanningInputError("season_length must be 1 to 260 weeks", column="season_length")
        if not 1 <= self.level <= 99:
            raise PlanningInputError("level must be 1 to 99", column="level")
        if not 1 <= self.windows <= 20:
            raise PlanningInputError("windows must be 1 to 20", column="windows")


@dataclass(frozen=True)
class ForecastResult:
    forecasts: pd.DataFrame
    selection: pd.DataFrame


# --- panel ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Panel:
    """A densified history as flat arrays: series ``code`` per row, rows contiguous per series."""

    ids: np.ndarray  # series_id per code
    code: np.ndarray
    start: np.ndarray  # first row per code
    length: np.ndarray
    week: np.ndarray  # datetime64[D] Monday per row
    y: np.ndarray

    @property
    def position(self) -> np.ndarray:
        return np.arange(len(self.y)) - self.start[self.code]


def _panel(history: pd.DataFrame) -> _Panel:
    codes, ids = pd.factorize(history["series_id"], sort=False)
    length = np.bincount(codes, minlength=len(ids))
    start = np.concatenate([[0], np.cumsum(length)[:-1]])
    return _Panel(
        ids=np.asarray(ids, dtype=object),
        code=codes.astype("int64"),
        start=start,
        length=length,
        week=history["period"].to_numpy(dtype="datetime64[ns]").astype("datetime64[D]"),
        y=history["quantity"].to_numpy(dtype="float64"),
    )


# --- calendar adjustment ----------------------------------------------------------------------------------


def _event_keys(weeks: np.ndarray, first: np.datetime64, last: np.datetime64) -> np.ndarray:
    """One event per week (0 = ordinary): the first of ``EVENT_COLUMNS`` in priority order that marks it."""
    events = indonesian_events(dt.date.fromisoformat(str(first)), dt.date.fromisoformat(str(last)))
    priority = (
        "lebaran",
        "lebaran_before",
        "lebaran_after",
        "ramadan",
        "christmas",
        "new_year",
        "school_start",
    )
    key = np.zeros(len(events), dtype="int64")
    for column in reversed(priority):  # seven columns; the highest priority is written last
        key[events[column].to_numpy(dtype=bool)] = EVENT_COLUMNS.index(column) + 1
    index = (weeks - events["period"].to_numpy().astype("datetime64[D]")[0]).astype("int64") // 7
    return key[index]


def _centred_mean(panel: _Panel, values: np.ndarray, use: np.ndarray, half: int) -> np.ndarray:
    """Per row, the mean of ``values`` where ``use`` within ±``half`` rows of the same series (NaN if none)."""
    n = len(values)
    v = np.zeros(n + 1)
    np.cumsum(np.where(use, values, 0.0), out=v[1:])
    c = np.zeros(n + 1, dtype="int64")
    np.cumsum(use, out=c[1:])
    # row-sized temporaries are reused in place: on a million series they are gigabytes each
    rows = np.arange(n)
    hi = panel.start[panel.code]
    lo = np.maximum(rows - half, hi)
    hi += panel.length[panel.code]  # one past the series' last row
    rows += half + 1
    np.minimum(rows, hi, out=hi)
    del rows
    count = c[hi] - c[lo]
    total = v[hi] - v[lo]
    del v, c, hi, lo
    with np.errstate(invalid="ignore", divide="ignore"):
        np.divide(total, count, out=total)
    total[count == 0] = np.nan
    return total


def _event_factors(panel: _Panel, key: np.ndarray) -> np.ndarray:
    """Multiplicative factor per (series code, event key) — shape (series, 1 + len(EVENT_COLUMNS))."""
    n_keys = len(EVENT_COLUMNS) + 1
    baseline = _centred_mean(panel, panel.y, key == 0, BASELINE_HALF)
    nonzero_share = np.bincount(panel.code, weights=(panel.y > 0).astype(float)) / panel.length
    usable = (key > 0) & (baseline > 0) & (panel.y > 0) & (nonzero_share[panel.code] >= 0.7)
    log_ratio = np.log(np.clip(panel.y[usable] / baseline[usable], *FACTOR_RANGE))
    slot = panel.code[usable] * n_keys + key[usable]
    total = np.bincount(slot, weights=log_ratio, minlength=len(panel.ids) * n_keys).reshape(-1, n_keys)
    count = np.bincount(slot, minlength=len(panel.ids) * n_keys).reshape(-1, n_keys).astype(float)
    pooled = total.sum(axis=0) / (count.sum(axis=0) + SHRINK)
    log_factor = (total + SHRINK * pooled) / (count + SHRINK)
    log_factor[:, 0] = 0.0
    return np.exp(log_factor)


# --- classification ---------------------------------------------------------------------------------------


def _profile(panel: _Panel, params: ForecastParams) -> pd.DataFrame:
    """Per series: its group (short / intermittent / smooth), how rich a model set its history allows
    (``rank``) and how many validation windows (``windows``) it gets, its tier, and last year's volume.

    A smooth series gets the richest candidate set that still leaves one validation window with enough
    training before it, and up to ``params.windows`` windows (fewer if the history is short): the models a
    series will be forecast with are the ones it is validated with.
    """
    h, s = params.horizon, params.season_length
    n = panel.length
    nonzero = np.bincount(panel.code, weights=(panel.y > 0).astype(float), minlength=len(panel.ids))
    adi = np.where(nonzero > 0, n / np.maximum(nonzero, 1), np.inf)
    recent = panel.position >= (n[panel.code] - 52)
    volume = np.bincount(panel.code, weights=np.where(recent, panel.y, 0.0), minlength=len(panel.ids))
    need = np.array([MIN_TRAIN, s + 1, s + MIN_TRAIN, 2 * s]) if s > 1 else np.array([MIN_TRAIN] * 4)
    fits = np.minimum(params.windows, (n[:, None] - need[None, :]) // h)  # (series, rank)
    enough = fits >= 1
    rank = np.where(enough.any(axis=1), 3 - np.argmax(enough[:, ::-1], axis=1), 0)
    windows = fits[np.arange(len(n)), rank]
    intermittent = adi >= ADI_INTERMITTENT
    rank = np.where(intermittent, 0, rank)
    windows = np.where(intermittent, fits[:, 0], windows)
    group = np.where(windows < 1, "short", np.where(intermittent, "intermittent", "smooth")).astype(object)
    # a low-volume smooth series is mostly counting noise: one validation window and no decomposition
    # (its pick leans on the group's mean error anyway, see POOLING)
    light = (group == "smooth") & (volume / np.minimum(n, 52) < LOW_VOLUME)
    windows = np.where(light, np.minimum(windows, 1), windows)
    tier = np.where(group == "short", "cheap", "full").astype(object)
    if params.tier == "cheap":
        tier[:] = "cheap"
    elif params.tier == "auto" and params.tail_share > 0:
        order = np.argsort(volume, kind="stable")
        share = np.cumsum(volume[order]) / max(volume.sum(), 1e-12)
        tail = np.zeros(len(volume), dtype=bool)
        tail[order[share <= params.tail_share]] = True
        tier[tail] = "cheap"
    return pd.DataFrame(
        {
            "code": np.arange(len(n)),
            "group": group,
            "rank": rank,
            "windows": windows,
            "light": light,
            "tier": tier,
        }
    )


class SeasonalDifferenceETS(_TS):
    """Last year's level of the week plus the year-over-year change smoothed by ETS (``AutoETS("ANN")``).

    Last year's level is the mean of the same week and the ``half`` weeks either side a season earlier
    (``half=0``, the week itself, measured best on the Walmart benchmark). Works from one season and a few weeks of history, where MSTL needs two
    seasons and AutoETS cannot take a 52-week season at all. A statsforecast model
    (``forecast``/``fit``/``predict``), so it runs on any executor.
    """

    def __init__(self, season_length: int, half: int = 0, alias: str = "SeasonalDifferenceETS") -> None:
        self.season_length = season_length
        self.half = half
        self.alias = alias
        self.prediction_intervals = None

    def _base(self, y: np.ndarray, targets: np.ndarray) -> np.ndarray:
        """Mean of y over [t − s − half, t − s + half] clipped to the observed range, per target index t."""
        s, n = self.season_length, len(y)
        lo = np.clip(targets - s - self.half, 0, n)
        hi = np.clip(targets - s + self.half + 1, 0, n)
        cum = np.concatenate([[0.0], np.cumsum(y)])
        return (cum[hi] - cum[lo]) / np.maximum(hi - lo, 1)

    def _fit_inner(self, y: np.ndarray) -> np.ndarray:
        s = self.season_length
        targets = np.arange(s, len(y))
        return y[s:] - self._base(y, targets)

    def _combine(
        self, y: np.ndarray, inner: dict[str, Any], h: int, level: list[int] | None
    ) -> dict[str, Any]:
        s = self.season_length
        steps = np.arange(h)
        base = self._base(y, len(y) + (steps % s))
        years = 1 + steps // s  # beyond one season the change adds up
        res = {"mean": base + years * inner["mean"]}
        for lv in level or []:
            for side in ("lo", "hi"):
                res[f"{side}-{lv}"] = res["mean"] + years * (inner[f"{side}-{lv}"] - inner["mean"])
        return res

    def fit(self, y: np.ndarray, X: Any = None) -> SeasonalDifferenceETS:
        y = np.asarray(y, dtype="float64")
        self.inner_ = AutoETS(model="ANN").fit(self._fit_inner(y))
        self.y_ = y
        return self

    def predict(self, h: int, X: Any = None, level: list[int] | None = None) -> dict[str, Any]:
        inner = self.inner_.predict(h=h, level=level)
        return self._combine(self.y_, inner, h, level)

    def forecast(
        self,
        y: np.ndarray,
        h: int,
        X: Any = None,
        X_future: Any = None,
        level: list[int] | None = None,
        fitted: bool = False,
    ) -> dict[str, Any]:
        y = np.asarray(y, dtype="float64")
        inner = AutoETS(model="ANN").forecast(y=self._fit_inner(y), h=h, level=level)
        res = self._combine(y, inner, h, level)
        if fitted:
            s = self.season_length
            res["fitted"] = np.concatenate([np.full(s, np.nan), self._base(y, np.arange(s, len(y)))])
        return res


def _candidates(group: str, rank: int, params: ForecastParams, light: bool = False) -> list[Any]:
    """The models a group tries; ``rank`` 3: two seasons of training, 2: one season and a bit, 1: more
    than one season, 0: less. ``light`` (low volume): no MSTL, whose decomposition of counting noise
    costs more than all the other candidates together."""
    s = params.season_length
    if group == "intermittent":
        return [
            CrostonOptimized(),
            CrostonSBA(),
            TSB(alpha_d=0.1, alpha_p=0.1),
            ADIDA(),
        ]
    if s > 1 and rank == 3:  # two seasons: decompositions work
        seasonal: list[Any] = [
            SeasonalNaive(season_length=s),
            SeasonalDifferenceETS(season_length=s),
            Theta(season_length=s),
        ]
        if not light:
            seasonal.append(MSTL(season_length=s, trend_forecaster=AutoETS(model="ANN")))
        return seasonal
    if s > 1 and rank == 2:  # one season and a bit: no room to decompose
        return [SeasonalNaive(season_length=s), SeasonalDifferenceETS(season_length=s)]
    models: list[Any] = [SeasonalNaive(season_length=s)] if s > 1 and rank == 1 else [Naive()]
    models.append(AutoETS(season_length=s if 1 < s <= 24 and rank == 1 else 1))
    models.append(Theta(season_length=1))
    return models


COMBINATION = "Combination"
NAIVE = ("Naive", "SeasonalNaive")


def _combinable(names: list[str]) -> list[str]:
    """The smoothing models of a smooth-series candidate set (at least two), whose mean is one more
    candidate: combinations are steadier than any one model picked on a few validation windows."""
    if "CrostonOptimized" in names:
        return []
    smoothing = [n for n in names if n not in NAIVE]
    return smoothing if len(smoothing) >= 2 else []


_WARM: set[str] = set()


def _warm(models: list[Any], season_length: int) -> None:
    """Run each model once on a small series in this process before statsforecast forks its workers: the
    numba-compiled parts (Croston, TSB, ADIDA, …) are then inherited compiled instead of being compiled
    again in every worker of every call."""
    y = np.tile(np.array([0.0, 3.0, 0.0, 0.0, 5.0, 2.0, 0.0, 4.0]), (2 * season_length + 16) // 8 + 1)
    for model in models:
        key = f"{type(model).__name__}:{season_length}"
        if key in _WARM:
            continue
        # best effort: a model that fails here fails again in the real call, which reports it
        with warnings.catch_warnings(), contextlib.suppress(Exception):
            warnings.simplefilter("ignore")
            model.forecast(y=y, h=2)
        _WARM.add(key)


def _alias(model: Any) -> str:
    return str(model.alias)


def _season_gaps(panel: _Panel, y: np.ndarray, lag: int, limit: np.ndarray) -> np.ndarray:
    """Per series, the mean |y_t − y_{t−lag}| over rows before ``limit`` (the MASE scale); NaN if none."""
    pos = panel.position
    ok = (pos >= lag) & (pos < limit[panel.code])
    rows = np.flatnonzero(ok)
    gaps = np.abs(y[rows] - y[rows - lag])
    total = np.bincount(panel.code[rows], weights=gaps, minlength=len(panel.ids))
    count = np.bincount(panel.code[rows], minlength=len(panel.ids))
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(count > 0, total / count, np.nan)


def _mase_scale(panel: _Panel, y: np.ndarray, params: ForecastParams) -> np.ndarray:
    """Seasonal-naive in-sample MAE over the history (lag 1 where a season does not fit): the MASE scale."""
    limit = panel.length
    seasonal = _season_gaps(panel, y, params.season_length, limit)
    plain = _season_gaps(panel, y, 1, limit)
    scale = np.where(np.isfinite(seasonal) & (seasonal > 0), seasonal, plain)
    return np.where(scale > 0, scale, np.nan)


# --- the statsforecast tier ------------------------------------------------------------------------------


def _full(
    panel: _Panel,
    y: np.ndarray,
    codes: np.ndarray,
    group: str,
    rank: int,
    windows: int,
    params: ForecastParams,
    executor: Executor,
    scale: np.ndarray,
    light: bool = False,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Validate the group's candidates, pick one per series, forecast with it. Returns (forecasts, errors)."""
    rows = np.isin(panel.code, codes)
    df = pd.DataFrame(
        {
            "unique_id": pd.array(panel.code[rows].astype(str), dtype="str"),
            "ds": panel.week[rows].astype("datetime64[ns]"),
            "y": y[rows],
        }
    )
    models = _candidates(group, rank, params, light)
    _warm(models, params.season_length)
    names = [_alias(m) for m in models]
    h = params.horizon
    cv = executor.cross_validation(df, models, h=h, n_windows=windows)
    combined = _combinable(names)
    if combined:
        cv[COMBINATION] = cv[combined].mean(axis=1)
        names = [*names, COMBINATION]
    actual = cv["y"].to_numpy(dtype="float64")
    errors = np.abs(cv[names].to_numpy(dtype="float64") - actual[:, None])
    errors = np.where(np.isfinite(errors), errors, np.inf)
    uid = cv["unique_id"].to_numpy(dtype="int64")
    per = pd.DataFrame(errors, columns=names).groupby(uid).sum()
    # a few validation windows are noisy: each series' scaled error is shrunk halfway towards the mean of
    # all series in the group before the pick
    scaled = per.to_numpy() / np.nan_to_num(scale[per.index.to_numpy()], nan=1.0)[:, None]
    with np.errstate(invalid="ignore"):
        pooled = np.nanmean(np.where(np.isfinite(scaled), scaled, np.nan), axis=0)
    score = (1 - POOLING) * scaled + POOLING * np.where(np.isfinite(pooled), pooled, np.inf)[None, :]
    choice = score.argmin(axis=1)
    chosen = pd.DataFrame(
        {"code": per.index.to_numpy(), "model": np.asarray(names, dtype=object)[choice]}
    ).set_index("code")
    # validation errors of the chosen model, row by row
    row_choice = chosen["model"].reindex(uid).map({n: i for i, n in enumerate(names)}).to_numpy(dtype="int64")
    chosen_error = errors[np.arange(len(uid)), row_choice]
    val = pd.DataFrame({"code": uid, "error": chosen_error, "actual": np.abs(actual)})

    level = [params.level]
    native = group != "intermittent"
    fc = executor.forecast(df, models, h=h, level=level if native else [])
    if combined:  # the mean of the smoothing models; its interval the mean of theirs
        fc[COMBINATION] = fc[combined].mean(axis=1)
        for side in ("lo", "hi"):
            fc[f"{COMBINATION}-{side}-{params.level}"] = fc[
                [f"{c}-{side}-{params.level}" for c in combined]
            ].mean(axis=1)
    fc_code = fc["unique_id"].to_numpy(dtype="int64")
    pick = chosen["model"].reindex(fc_code).to_numpy()
    point = np.full(len(fc), np.nan)
    lo = np.full(len(fc), np.nan)
    hi = np.full(len(fc), np.nan)
    for name in names:  # a handful of models, each set-wise over its series
        mask = pick == name
        point[mask] = fc.loc[mask, name].to_numpy(dtype="float64")
        if native:
            lo[mask] = fc.loc[mask, f"{name}-lo-{params.level}"].to_numpy(dtype="float64")
            hi[mask] = fc.loc[mask, f"{name}-hi-{params.level}"].to_numpy(dtype="float64")
    if not native:  # Croston family: no model intervals; the validation errors' quantile instead
        half = val.groupby("code")["error"].quantile(params.level / 100).reindex(fc_code).to_numpy()
        lo, hi = point - half, point + half
    out = pd.DataFrame(
        {
            "code": fc_code,
            "week": fc["ds"].to_numpy().astype("datetime64[D]"),
            "forecast": point,
            "lo": lo,
            "hi": hi,
            "model": pick,
        }
    )
    return out, val


# --- the cheap tier --------------------------------------------------------------------------------------


def _cheap_block(matrix: np.ndarray, params: ForecastParams) -> dict[str, np.ndarray]:
    """Vectorised forecasts for a block of right-aligned series (NaN before a series' start)."""
    n, width = matrix.shape
    h, s, windows = params.horizon, params.season_length, params.windows
    steps = np.arange(h)

    def methods(upto: int) -> np.ndarray:
        """(method, series, step) forecasts from the columns before ``upto``."""
        past = matrix[:, :upto]
        out = np.full((1 + len(CHEAP_WINDOWS), n, h), np.nan)
        if s > 1 and upto >= s:
            seasonal = past[:, upto - s + (steps % s)]
            out[0] = seasonal
        for i, w in enumerate(CHEAP_WINDOWS, start=1):
            recent = past[:, max(0, upto - w) :]
            with warnings.catch_warnings():  # a series with no weeks there yet: NaN, on purpose
                warnings.simplefilter("ignore", RuntimeWarning)
                mean = np.nanmean(recent, axis=1) if recent.shape[1] else np.full(n, np.nan)
            out[i] = mean[:, None]
        return out

    errors = np.zeros((1 + len(CHEAP_WINDOWS), n))
    counted = np.zeros((1 + len(CHEAP_WINDOWS), n))
    residuals = []
    actual_sum = np.zeros(n)
    for k in range(windows, 0, -1):  # a few origins, each over all series at once
        origin = width - k * h
        if origin <= 0:
            continue
        pred = methods(origin)
        truth = matrix[:, origin : origin + h]
        err = np.abs(pred - truth[None])
        ok = np.isfinite(err)
        errors += np.where(ok, err, 0).sum(axis=2)
        counted += ok.sum(axis=2)
        residuals.append(err)
        actual_sum += np.nansum(np.abs(truth), axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        mae = np.where(counted == counted.max(axis=0, keepdims=True), errors / counted, np.inf)
    mae = np.where(np.isfinite(mae), mae, np.inf)
    final = methods(width)
    available = np.isfinite(final).all(axis=2)
    mae = np.where(available, mae, np.inf)
    default = np.where(available[0], 0, 1)  # no validation: seasonal naive if possible, else 4-week mean
    validated = np.isfinite(mae).any(axis=0)
    choice = np.where(validated, mae.argmin(axis=0), default)
    rows = np.arange(n)
    point = final[choice, rows]
    if residuals:
        res = np.concatenate(residuals, axis=2)[choice, rows]  # (series, windows × h)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            half = np.nanquantile(res, params.level / 100, axis=1)
            sum_err = np.nansum(res, axis=1)
    else:
        half = np.full(n, np.nan)
        sum_err = np.full(n, np.nan)
    z = norm.ppf(0.5 + params.level / 200)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        spread = z * np.nanstd(matrix, axis=1)[:, None] * np.sqrt(1 + steps[None, :] / 4)
    use_half = np.asarray(np.isfinite(half) & validated, dtype=bool)
    half2 = np.where(use_half[:, None], np.asarray(half)[:, None], spread)
    return {
        "point": point,
        "lo": point - half2,
        "hi": point + half2,
        "choice": choice,
        "validated": validated,
        "sum_err": sum_err,
        "actual_sum": actual_sum,
    }


CHEAP_NAMES = np.array(["SeasonalNaive", *(f"MovingAverage{w}" for w in CHEAP_WINDOWS)], dtype=object)


def _cheap(
    panel: _Panel, y: np.ndarray, codes: np.ndarray, params: ForecastParams, scale: np.ndarray
) -> tuple[pd.DataFrame, pd.DataFrame]:
    h = params.horizon
    width = int(min(panel.length[codes].max(initial=1), params.season_length + (params.windows + 1) * h + 13))
    frames, selections = [], []
    for begin in range(0, len(codes), CHUNK):  # blocks of series bound the memory, not a per-series loop
        block = codes[begin : begin + CHUNK]
        matrix = np.full((len(block), width), np.nan)
        take = np.minimum(panel.length[block], width)
        rep = np.repeat(np.arange(len(block)), take)
        col = np.arange(int(take.sum())) - np.repeat(np.cumsum(take) - take, take)
        src = np.repeat(panel.start[block] + panel.length[block] - take, take) + col
        matrix[rep, width - np.repeat(take, take) + col] = y[src]
        got = _cheap_block(matrix, params)
        last_week = panel.week[panel.start[block] + panel.length[block] - 1]
        weeks = last_week[:, None] + (np.arange(1, h + 1) * 7).astype("timedelta64[D]")[None, :]
        model = CHEAP_NAMES[got["choice"]]
        frames.append(
            pd.DataFrame(
                {
                    "code": np.repeat(block, h),
                    "week": weeks.ravel(),
                    "forecast": got["point"].ravel(),
                    "lo": got["lo"].ravel(),
                    "hi": got["hi"].ravel(),
                    "model": np.repeat(model, h),
                }
            )
        )
        n_err = params.windows * h
        with np.errstate(invalid="ignore", divide="ignore"):
            mase = np.where(got["validated"], got["sum_err"] / n_err / scale[block], np.nan)
            wape = np.where(got["validated"], got["sum_err"] / got["actual_sum"], np.nan)
        selections.append(pd.DataFrame({"code": block, "model": model, "mase": mase, "wape": wape}))
    return pd.concat(frames, ignore_index=True), pd.concat(selections, ignore_index=True)


def _selection(fc: pd.DataFrame, val: pd.DataFrame, scale: np.ndarray) -> pd.DataFrame:
    """Per series of a statsforecast block: its model and the validation MASE and WAPE of that model."""
    sums = val.groupby("code")[["error", "actual"]].sum()
    count = val.groupby("code")["error"].size()
    model = fc.groupby("code")["model"].first()
    codes = sums.index.to_numpy()
    return pd.DataFrame(
        {
            "code": codes,
            "model": model.reindex(sums.index).to_numpy(),
            "mase": (sums["error"] / count).to_numpy() / scale[codes],
            "wape": (sums["error"] / sums["actual"].where(sums["actual"] > 0)).to_numpy(),
        }
    )


# --- the whole forecast ---------------------------------------------------------------------------------


def forecast(
    history: pd.DataFrame,
    params: ForecastParams,
    *,
    executor: Executor | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ForecastResult:
    """Forecast every series of ``history`` (``series_id, period, quantity``) ``params.horizon`` weeks on.

    ``progress(done, total)`` is called with the number of series forecast so far after each block.
    """
    history = validate_history(history)
    executor = executor or LocalExecutor(n_jobs=params.n_jobs)
    if history.empty:
        return ForecastResult(
            forecasts=pd.DataFrame(columns=list(FORECAST_COLUMNS)),
            selection=pd.DataFrame(columns=list(SELECTION_COLUMNS)),
        )
    panel = _panel(history)
    del history  # the panel holds what is needed; free the checked copy before the big steps
    h = params.horizon
    y = panel.y
    factors = np.ones((len(panel.ids), len(EVENT_COLUMNS) + 1))
    key_first = panel.week.min()
    key_last = panel.week.max() + np.timedelta64(7 * h, "D")
    if params.holidays:
        key = _event_keys(panel.week, key_first, key_last)
        factors = _event_factors(panel, key)
        y = y / factors[panel.code, key]
    profile = _profile(panel, params)
    scale = _mase_scale(panel, y, params)

    pieces, selections = [], []
    total, done = len(panel.ids), 0
    cheap_codes = profile.loc[profile["tier"] == "cheap", "code"].to_numpy(dtype="int64")
    if len(cheap_codes):
        fc, sel = _cheap(panel, y, cheap_codes, params, scale)
        pieces.append(fc)
        selections.append(sel.assign(tier="cheap"))
        done += len(cheap_codes)
        if progress:
            progress(done, total)
    full = profile[profile["tier"] == "full"]
    # series with the same candidate set share statsforecast calls, in blocks (for memory and progress)
    for (group, rank, windows, light), members in full.groupby(
        ["group", "rank", "windows", "light"], sort=True
    ):
        all_codes = members["code"].to_numpy(dtype="int64")
        for begin in range(0, len(all_codes), FULL_BLOCK):
            codes = all_codes[begin : begin + FULL_BLOCK]
            fc, val = _full(
                panel, y, codes, str(group), int(rank), int(windows), params, executor, scale, bool(light)
            )
            pieces.append(fc)
            selections.append(_selection(fc, val, scale).assign(tier="full"))
            done += len(codes)
            if progress:
                progress(done, total)

    out = pd.concat(pieces, ignore_index=True)
    code = out["code"].to_numpy(dtype="int64")
    if params.holidays:
        future_key = _event_keys(out["week"].to_numpy().astype("datetime64[D]"), key_first, key_last)
        factor = factors[code, future_key]
        for column in ("forecast", "lo", "hi"):
            out[column] = out[column].to_numpy(dtype="float64") * factor
    point = np.clip(out["forecast"].to_numpy(dtype="float64"), 0.0, None)
    lo = np.clip(np.fmin(out["lo"].to_numpy(dtype="float64"), point), 0.0, None)
    hi = np.fmax(out["hi"].to_numpy(dtype="float64"), point)
    forecasts = pd.DataFrame(
        {
            "series_id": pd.array(panel.ids[code], dtype="str"),
            "period": out["week"].to_numpy().astype("datetime64[ns]"),
            "forecast": point,
            "lo": lo,
            "hi": hi,
            "model": pd.array(out["model"].to_numpy(), dtype="str"),
        }
    ).sort_values(["series_id", "period"], ignore_index=True)
    selection = pd.concat(selections, ignore_index=True)
    selection.insert(0, "series_id", pd.array(panel.ids[selection.pop("code").to_numpy()], dtype="str"))
    selection["model"] = selection["model"].astype("str")
    selection = selection.sort_values("series_id", ignore_index=True)[list(SELECTION_COLUMNS)]
    return ForecastResult(forecasts=forecasts, selection=selection)
