"""The pure Partnership Health engine: frames in, frames out, no Django and no database.

* ``metrics``: the input contract (one row of facts per partnership and ISO week) and its validator;
* ``dimensions``: the eight dimensions and their components;
* ``composite``: weights, composite score, bands, trend and drivers;
* ``pipeline``: ``compute_health`` from metrics to snapshots, components and drivers;
* ``alerts``: alert conditions, reconciliation with open alerts, playbooks;
* ``backtest``: AUC of the score a quarter before partnerships were lost.

``docs/health.md`` gives every formula and a worked example.
"""

from mitra.health.engine.composite import DEFAULT_WEIGHTS, Bands, HealthParams
from mitra.health.engine.dimensions import COMPONENTS, DIMENSIONS
from mitra.health.engine.metrics import COLUMNS, KEYS, MetricsError, validate
from mitra.health.engine.pipeline import SNAPSHOT_COLUMNS, HealthResult, compute_health

__all__ = [
    "COLUMNS",
    "COMPONENTS",
    "DEFAULT_WEIGHTS",
    "DIMENSIONS",
    "KEYS",
    "SNAPSHOT_COLUMNS",
    "Bands",
    "HealthParams",
    "HealthResult",
    "MetricsError",
    "compute_health",
    "validate",
]
