"""The composite health score, its colour band, its trend and its drivers.

* **Composite**: the weighted mean of the available dimensions, the dimension weights renormalised over
  them; NaN when no dimension has data. Weights are agreed per partnership (a frame, see
  ``weight_matrix``); ``DEFAULT_WEIGHTS`` applies otherwise. Weights need not sum to 1.
* **Band**: ``red`` below ``Bands.red_below``, ``green`` from ``Bands.green_from``, ``amber`` between,
  ``no_data`` when the score is NaN.
* **Trend**: ``delta_1w`` and ``delta_4w``, the change from the same partnership's score 1 and 4 weeks
  earlier (NaN when that week has no score).
* **Drivers**: the score is exactly ``Σ e[d,c] · x[c]`` where ``x[c]`` is component c (0–100) and the
  effective weight ``e[d,c] = W'[d] · w'[c]`` is the renormalised dimension weight times the renormalised
  component weight (0 when unavailable). The contribution of a component to the week's change is
  ``e·x (this week) − e·x (last week)``; contributions add up exactly to ``delta_1w``. The drivers are the
  components with the largest absolute contributions.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

import numpy as np
import pandas as pd

from mitra.health.engine.dimensions import COMPONENTS, DIMENSIONS, components_of
from mitra.health.engine.frames import lag_array, lag_positions, lagged, weighted_mean
from mitra.health.engine.metrics import KEYS

DEFAULT_WEIGHTS: Mapping[str, float] = MappingProxyType(
    {
        "commitment": 0.15,
        "customer_focus": 0.15,
        "improvement": 0.10,
        "moments_of_truth": 0.15,
        "mutual_value": 0.15,
        "breadth": 0.10,
        "anticipation": 0.10,
        "competitive_immunity": 0.10,
    }
)

RED, AMBER, GREEN, NO_DATA = "red", "amber", "green", "no_data"


@dataclass(frozen=True)
class Bands:
    """Colour thresholds on the 0–100 scale: red < ``red_below`` ≤ amber < ``green_from`` ≤ green."""

    red_below: float = 50.0
    green_from: float = 70.0

    def __post_init__(self) -> None:
        if not 0.0 <= self.red_below <= self.green_from <= 100.0:
            raise ValueError("bands need 0 <= red_below <= green_from <= 100")


DEFAULT_BANDS = Bands()


@dataclass(frozen=True)
class HealthParams:
    """Everything the scoring can be tuned with. Per-partnership weights are passed separately."""

    weights: Mapping[str, float] = field(default_factory=lambda: DEFAULT_WEIGHTS)
    bands: Bands = field(default_factory=Bands)
    drivers: int = 3  # at most this many drivers per partnership-week
    min_driver_points: float = 0.05  # smaller contributions are not drivers


def check_weights(weights: Mapping[str, float]) -> None:
    unknown = sorted(set(weights) - set(DIMENSIONS))
    missing = [d for d in DIMENSIONS if d not in weights]
    if unknown or missing:
        raise ValueError(f"weights: unknown {unknown}, missing {missing}")
    if any(not np.isfinite(w) or w < 0 for w in weights.values()) or sum(weights.values()) <= 0:
        raise ValueError("weights must be finite, non-negative and not all zero")


def weight_matrix(
    partnership_ids: pd.Series,
    default: Mapping[str, float] = DEFAULT_WEIGHTS,
    per_partnership: pd.DataFrame | None = None,
) -> np.ndarray:
    """Dimension weights per row (rows × ``DIMENSIONS``).

    ``per_partnership`` is indexed by partnership_id with one column per dimension; partnerships not in
    it use ``default``.
    """
    check_weights(default)
    base = np.array([default[d] for d in DIMENSIONS], dtype="float64")
    out = np.tile(base, (len(partnership_ids), 1))
    if per_partnership is not None and len(per_partnership):
        table = per_partnership[list(DIMENSIONS)].astype("float64")
        values = table.to_numpy()
        if not np.isfinite(values).all() or (values < 0).any() or (values.sum(axis=1) <= 0).any():
            raise ValueError("per-partnership weights must be finite, non-negative and not all zero")
        pos = table.index.get_indexer(partnership_ids.to_numpy())
        found = pos >= 0
        out[found] = values[pos[found]]
    return out


def composite(dimensions: pd.DataFrame, weights: np.ndarray) -> pd.Series:
    """Weighted mean of the available dimensions per row (NaN when none)."""
    mean, _ = weighted_mean(dimensions[list(DIMENSIONS)].to_numpy(dtype="float64"), weights)
    return pd.Series(mean, index=dimensions.index, name="score")


def band_matrix(
    partnership_ids: pd.Series, default: Bands = DEFAULT_BANDS, per_partnership: pd.DataFrame | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """``red_below`` and ``green_from`` per row: ``per_partnership`` (indexed by partnership_id, columns
    ``red_below`` and ``green_from``) where it has the partnership, ``default`` otherwise."""
    red = np.full(len(partnership_ids), default.red_below, dtype="float64")
    green = np.full(len(partnership_ids), default.green_from, dtype="float64")
    if per_partnership is not None and len(per_partnership):
        table = per_partnership[["red_below", "green_from"]].astype("float64")
        r, g = table["red_below"].to_numpy(), table["green_from"].to_numpy()
        if not (np.isfinite(r).all() and np.isfinite(g).all() and ((r >= 0) & (r <= g) & (g <= 100)).all()):
            raise ValueError("per-partnership bands need 0 <= red_below <= green_from <= 100")
        pos = table.index.get_indexer(partnership_ids.to_numpy())
        found = pos >= 0
        red[found], green[found] = r[pos[found]], g[pos[found]]
    return red, green


def band(
    scores: pd.Series,
    bands: Bands = DEFAULT_BANDS,
    thresholds: tuple[np.ndarray, np.ndarray] | None = None,
) -> pd.Series:
    """The colour band of each score; ``thresholds`` (red_below, green_from per row) override ``bands``."""
    values = scores.to_numpy(dtype="float64")
    red, green = thresholds if thresholds is not None else (bands.red_below, bands.green_from)
    out = np.select(
        [np.isnan(values), values < red, values < green],
        [NO_DATA, RED, AMBER],
        default=GREEN,
    )
    return pd.Series(out, index=scores.index, name="band", dtype=object)


def trend(scores: pd.DataFrame) -> pd.DataFrame:
    """``delta_1w`` and ``delta_4w`` for a frame with keys and ``score``."""
    return pd.DataFrame(
        {
            "delta_1w": scores["score"] - lagged(scores, ["score"], 1)["score"],
            "delta_4w": scores["score"] - lagged(scores, ["score"], 4)["score"],
        },
        index=scores.index,
    )


def contribution_terms(components: pd.DataFrame, dimensions: pd.DataFrame, weights: np.ndarray) -> np.ndarray:
    """``e[d,c] · x[c]`` per row and component (rows × ``COMPONENTS``, 0 where unavailable).

    Each row sums to the composite score (or 0 when the score is NaN).
    """
    dim_values = dimensions[list(DIMENSIONS)].to_numpy(dtype="float64")
    _, dim_norm = weighted_mean(dim_values, weights)
    blocks = []
    for i, d in enumerate(DIMENSIONS):
        parts = components_of(d)
        x = components[[c.key for c in parts]].to_numpy(dtype="float64")
        w = np.broadcast_to(np.array([c.weight for c in parts]), x.shape)
        _, comp_norm = weighted_mean(x, w)
        blocks.append(dim_norm[:, [i]] * comp_norm * np.nan_to_num(x))
    return np.hstack(blocks)


DRIVER_COLUMNS: tuple[str, ...] = (
    *KEYS,
    "rank",
    "dimension",
    "component",
    "source",
    "metrics",
    "value",
    "previous",
    "contribution",
)


def drivers(
    components: pd.DataFrame,
    terms: np.ndarray,
    scores: pd.Series,
    *,
    top: int = 3,
    min_points: float = 0.05,
) -> pd.DataFrame:
    """The components that moved the score most since last week, per partnership-week.

    Long frame with ``DRIVER_COLUMNS``: ``rank`` 1..top, ``value``/``previous`` the component (0–100)
    this week and last, ``contribution`` its share of ``delta_1w`` in score points (signed), ``metrics``
    a tuple of metric column names and ``source`` the app whose records explain it. Rows whose score or
    previous score is NaN have no drivers.
    """
    keys = components[list(KEYS)]
    previous = lag_positions(keys, 1)
    comp_now = components[[c.key for c in COMPONENTS]].to_numpy(dtype="float64")
    comp_before = lag_array(comp_now, previous)
    score_now = scores.to_numpy(dtype="float64")
    valid = ~np.isnan(score_now) & ~np.isnan(lag_array(score_now, previous))
    contrib = np.where(valid[:, None], terms - lag_array(terms, previous), 0.0)
    k = min(top, contrib.shape[1])
    size = np.abs(contrib)
    if k < size.shape[1]:  # the k largest in any order, then sorted: cheaper than a full sort
        top_k = np.argpartition(-size, k - 1, axis=1)[:, :k]
        order = np.take_along_axis(
            top_k, np.argsort(-np.take_along_axis(size, top_k, axis=1), axis=1, kind="stable"), axis=1
        )
    else:
        order = np.argsort(-size, axis=1, kind="stable")
    picked = np.take_along_axis(contrib, order, axis=1)
    keep = valid[:, None] & (np.abs(picked) >= min_points) & (picked != 0)
    rank = np.cumsum(keep, axis=1)  # 1..n without gaps after dropping small contributions
    rows = np.nonzero(keep)[0]
    cols = order[keep]
    meta_metrics = np.empty(len(COMPONENTS), dtype=object)
    meta_metrics[:] = [c.metrics for c in COMPONENTS]
    out = pd.DataFrame(
        {
            "partnership_id": keys["partnership_id"].to_numpy()[rows],
            "week": keys["week"].to_numpy()[rows],
            "rank": rank[keep],
            "dimension": np.array([c.dimension for c in COMPONENTS], dtype=object)[cols],
            "component": np.array([c.name for c in COMPONENTS], dtype=object)[cols],
            "source": np.array([c.source for c in COMPONENTS], dtype=object)[cols],
            "metrics": meta_metrics[cols],
            "value": comp_now[rows, cols],
            "previous": comp_before[rows, cols],
            "contribution": picked[keep],
        }
    )
    return out
