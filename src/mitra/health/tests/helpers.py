"""Hand-built metrics frames for the engine tests (the worked example of docs/health.md is ``BASE``)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from mitra.health.engine import metrics as M

MONDAY = pd.Timestamp("2026-03-02")

# One partnership-week: the worked example of docs/health.md.
BASE: dict[str, Any] = {
    "supplier_commitments_settled": 10,
    "supplier_commitments_kept": 8,
    "supplier_commitments_acknowledged": 6,
    "supplier_commitments_proactive": 2,
    "customer_commitments_settled": 5,
    "customer_commitments_kept": 4,
    "customer_commitments_acknowledged": 3,
    "customer_commitments_proactive": 1,
    "supplier_commitments_overdue": 0,
    "customer_commitments_overdue": 0,
    "pulse_trust": 4.0,
    "pulse_commitment": 3.5,
    "pulse_satisfaction": 4.0,
    "cases_total": 5,
    "cases_anticipated": 2,
    "cases_resolved": 4,
    "cases_resolved_within_sla": 3,
    "cases_closed": 4,
    "cases_outcome_confirmed": 3,
    "case_disputes": 1,
    "initiatives_active": 1,
    "initiatives_progress": 0.6,
    "recurring_root_causes": 1,
    "touchpoints": 20,
    "touchpoints_positive": 12,
    "touchpoints_negative": 3,
    "deliveries": 10,
    "deliveries_otif": 8,
    "survey_answers": 8,
    "csat": 75.0,
    "nps": 20.0,
    "supplier_value_confirmed": 100_000_000,
    "customer_value_confirmed": 60_000_000,
    "value_entries": 5,
    "value_disputed": 1,
    "value_unconfirmed_30d": 0,
    "bridges_agreed": 4,
    "bridges_live": 3,
    "people_involved": 3,
    "supplier_owners_left": 0,
    "customer_owners_left": 0,
    "single_threaded": False,
    "risks_open": 4,
    "risks_with_response": 3,
    "competitor_mentions": 1.0,
    "share_of_wallet": 0.4,
}
assert set(BASE) == set(M.METRIC_COLUMNS)

EMPTY: dict[str, Any] = {
    **{c: 0 for c in M.COUNT_COLUMNS},
    **{c: np.nan for c in M.FLOAT_COLUMNS},
    **{c: False for c in M.BOOL_COLUMNS},
}


def row(
    partnership_id: int = 1, week: int = 0, base: dict[str, Any] | None = None, **changes: Any
) -> dict[str, Any]:
    """A metrics row ``week`` weeks after ``MONDAY``: ``base`` (default ``BASE``) with ``changes``."""
    out = {"partnership_id": partnership_id, "week": MONDAY + pd.Timedelta(weeks=week)}
    out.update(BASE if base is None else base)
    out.update(changes)
    return out


def frame(*rows: dict[str, Any]) -> pd.DataFrame:
    df = pd.DataFrame(list(rows))
    df["partnership_id"] = df["partnership_id"].astype("int64")
    df["week"] = df["week"].astype("datetime64[ns]")
    for c in M.COUNT_COLUMNS:
        df[c] = df[c].astype("int64")
    for c in M.FLOAT_COLUMNS:
        df[c] = df[c].astype("float64")
    for c in M.BOOL_COLUMNS:
        df[c] = df[c].astype("bool")
    return df[list(M.COLUMNS)]


def history(weeks: int, partnership_id: int = 1, **per_week: list[Any]) -> pd.DataFrame:
    """``weeks`` consecutive weeks of ``BASE``; each keyword gives that column's value week by week."""
    return frame(*(row(partnership_id, w, **{k: v[w] for k, v in per_week.items()}) for w in range(weeks)))
