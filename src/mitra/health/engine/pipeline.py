"""One call from the metrics frame to everything a weekly snapshot stores.

``compute_health(metrics, params, weights)`` validates the metrics frame, scores the components and the
dimensions, the composite, its band, trend and drivers, and returns a ``HealthResult`` of plain frames:

* ``snapshots``: one row per (partnership_id, week) with ``score``, ``band``, ``delta_1w``, ``delta_4w``,
  the eight dimensions (0–100, NaN = no data) and the facts the alert rules read
  (``alerts.ALERT_METRIC_COLUMNS``): this is what a snapshot row stores and what ``alerts.conditions``
  takes;
* ``components``: one row per partnership-week, one 0–100 column per ``dimensions.COMPONENT_KEYS``;
* ``drivers``: long frame, ``composite.DRIVER_COLUMNS``.

To score one week only, still pass the 4 previous weeks of metrics (immunity trend, ``delta_4w``)
and drop the earlier rows from the result.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from mitra.health.engine.alerts import ALERT_METRIC_COLUMNS
from mitra.health.engine.composite import (
    HealthParams,
    band,
    band_matrix,
    composite,
    contribution_terms,
    drivers,
    trend,
    weight_matrix,
)
from mitra.health.engine.dimensions import DIMENSIONS, score_dimensions
from mitra.health.engine.metrics import KEYS, validate

SNAPSHOT_COLUMNS: tuple[str, ...] = (
    *KEYS,
    "score",
    "band",
    "delta_1w",
    "delta_4w",
    "red_below",
    "green_from",
    *DIMENSIONS,
    *ALERT_METRIC_COLUMNS,
)


@dataclass(frozen=True)
class HealthResult:
    snapshots: pd.DataFrame
    components: pd.DataFrame
    drivers: pd.DataFrame


def compute_health(
    metrics: pd.DataFrame,
    params: HealthParams | None = None,
    weights: pd.DataFrame | None = None,
    bands: pd.DataFrame | None = None,
) -> HealthResult:
    """Score a metrics frame. ``weights``: per-partnership dimension weights (index partnership_id,
    one column per dimension); ``bands``: per-partnership ``red_below``/``green_from`` (same index);
    partnerships without a row use ``params.weights`` and ``params.bands``."""
    params = params or HealthParams()
    m = validate(metrics)
    scored = score_dimensions(m)
    dims = scored.dimensions
    w = weight_matrix(dims["partnership_id"], params.weights, weights)
    snap = dims[[*KEYS, *DIMENSIONS]].copy()
    snap["score"] = composite(dims, w)
    thresholds = band_matrix(dims["partnership_id"], params.bands, bands)
    snap["red_below"], snap["green_from"] = thresholds
    snap["band"] = band(snap["score"], thresholds=thresholds)
    snap[["delta_1w", "delta_4w"]] = trend(snap)
    for col in ALERT_METRIC_COLUMNS:
        snap[col] = m[col].to_numpy()
    terms = contribution_terms(scored.components, dims, w)
    moved = drivers(
        scored.components, terms, snap["score"], top=params.drivers, min_points=params.min_driver_points
    )
    return HealthResult(snapshots=snap[list(SNAPSHOT_COLUMNS)], components=scored.components, drivers=moved)
