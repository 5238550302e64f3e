"""The input contract of the health engine: one row of trailing-window facts per partnership and week.

``io.py`` computes this frame with a handful of set-based SQL queries; the engine never reads a record.
Each row describes the partnership **as it stood at the end of** the ISO week whose Monday is ``week``:

* *window* columns count what happened in the trailing window (by default the 13 weeks that end with
  that week, see ``WINDOW_WEEKS``);
* *state* columns describe the state at the end of the week (open risks, live bridges, overdue
  commitments, people who left...).

Counts are non-negative numbers (integer or float dtype; a count is never NaN: zero means "none").
Columns documented as *NaN when...* are floats where NaN means "no data", never zero.
Amounts are in the partnership's own currency; only their ratio matters to the engine.

The frame may hold many partnerships and many weeks; keys ``(partnership_id, week)`` are unique.
Rows for earlier weeks are needed only for trends (competitive immunity, deltas, drivers, alerts).
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

KEYS: tuple[str, str] = ("partnership_id", "week")
WINDOW_WEEKS = 13

# --- commitments (window: commitments settled, i.e. done/acknowledged/missed, with due date in it) ---
COMMITMENT_COLUMNS: tuple[str, ...] = tuple(
    f"{side}_commitments_{what}"
    for side in ("supplier", "customer")
    for what in ("settled", "kept", "acknowledged", "proactive")
)
# state at week end: commitments promised by that side, past their due date and not delivered
OVERDUE_COLUMNS: tuple[str, ...] = ("supplier_commitments_overdue", "customer_commitments_overdue")

# --- pulse (latest published round within the window; mean answer 1–5, NaN when none) ---
PULSE_COLUMNS: tuple[str, ...] = ("pulse_trust", "pulse_commitment", "pulse_satisfaction")

# --- cases (window) ---
CASE_COLUMNS: tuple[str, ...] = (
    "cases_total",  # cases raised in the window
    "cases_anticipated",  # of those, linked to a risk that foresaw them
    "cases_resolved",  # cases resolved in the window
    "cases_resolved_within_sla",  # of those, resolved on or before their SLA due date
    "cases_closed",  # cases closed in the window
    "cases_outcome_confirmed",  # of those, closed with the customer's desired outcome confirmed
    "case_disputes",  # disputes of a resolution recorded in the window
)

# --- improvement (state at week end, except recurring root causes: window) ---
IMPROVEMENT_COUNT_COLUMNS: tuple[str, ...] = (
    "initiatives_active",
    "recurring_root_causes",  # root causes behind 3 or more cases in the window
)
IMPROVEMENT_FLOAT_COLUMNS: tuple[str, ...] = (
    "initiatives_progress",  # mean progress 0–1 of the active initiatives, NaN when none
)

# --- moments of truth (window) ---
MOMENT_COUNT_COLUMNS: tuple[str, ...] = (
    "touchpoints",
    "touchpoints_positive",
    "touchpoints_negative",
    "deliveries",  # delivery touchpoints with on_time and in_full known
    "deliveries_otif",  # of those, on time and in full
    "survey_answers",
)
MOMENT_FLOAT_COLUMNS: tuple[str, ...] = (
    "csat",  # % of survey answers scoring 4 or 5 (0–100), NaN when no answers
    "nps",  # promoters % − detractors % (−100…100), NaN when no answers
)

# --- value ledger ---
VALUE_COLUMNS: tuple[str, ...] = (
    "supplier_value_confirmed",  # amount confirmed in the window for the supplier's gain
    "customer_value_confirmed",  # same for the customer's gain
    "value_entries",  # entries confirmed in the window + entries unconfirmed or disputed at week end
    "value_disputed",  # entries disputed at week end
    "value_unconfirmed_30d",  # entries awaiting confirmation for more than 30 days at week end
)

# --- breadth (state at week end) ---
BREADTH_COUNT_COLUMNS: tuple[str, ...] = (
    "bridges_agreed",
    "bridges_live",  # agreed bridges with a touchpoint/pulse/commitment within their cadence
    "people_involved",  # distinct people, both sides, active in the window
    "supplier_owners_left",  # deactivated supplier members still owning a bridge or an open commitment
    "customer_owners_left",  # same for the customer side
)
BOOL_COLUMNS: tuple[str, ...] = ("single_threaded",)  # the partnership hangs on one person per side

# --- anticipation (risks: state at week end) ---
RISK_COLUMNS: tuple[str, ...] = ("risks_open", "risks_with_response")

# --- competitive immunity ---
COMPETITION_FLOAT_COLUMNS: tuple[str, ...] = (
    "competitor_mentions",  # mentions in the window; NaN when the partnership does not record them
    "share_of_wallet",  # 0–1, latest recorded; NaN when not recorded
)

COUNT_COLUMNS: tuple[str, ...] = (
    COMMITMENT_COLUMNS
    + OVERDUE_COLUMNS
    + CASE_COLUMNS
    + IMPROVEMENT_COUNT_COLUMNS
    + MOMENT_COUNT_COLUMNS
    + VALUE_COLUMNS
    + BREADTH_COUNT_COLUMNS
    + RISK_COLUMNS
)
FLOAT_COLUMNS: tuple[str, ...] = (
    PULSE_COLUMNS + IMPROVEMENT_FLOAT_COLUMNS + MOMENT_FLOAT_COLUMNS + COMPETITION_FLOAT_COLUMNS
)
METRIC_COLUMNS: tuple[str, ...] = COUNT_COLUMNS + FLOAT_COLUMNS + BOOL_COLUMNS
COLUMNS: tuple[str, ...] = KEYS + METRIC_COLUMNS

# Inclusive ranges checked by the validator (NaN allowed for FLOAT_COLUMNS).
RANGES: dict[str, tuple[float, float]] = {
    "pulse_trust": (1.0, 5.0),
    "pulse_commitment": (1.0, 5.0),
    "pulse_satisfaction": (1.0, 5.0),
    "initiatives_progress": (0.0, 1.0),
    "csat": (0.0, 100.0),
    "nps": (-100.0, 100.0),
    "share_of_wallet": (0.0, 1.0),
    "competitor_mentions": (0.0, float("inf")),
}


class MetricsError(ValueError):
    """The metrics frame breaks the contract; the message names the column."""


def validate(metrics: pd.DataFrame) -> pd.DataFrame:
    """Check the contract and return the frame sorted by keys with a fresh RangeIndex.

    Raises ``MetricsError`` naming every missing column, or the first column with a wrong dtype, a
    negative count, a NaN count, a value out of range, a week that is not a Monday, or duplicate keys.
    """
    missing = [c for c in COLUMNS if c not in metrics.columns]
    if missing:
        raise MetricsError(f"metrics frame is missing columns: {', '.join(missing)}")
    if not pd.api.types.is_integer_dtype(metrics["partnership_id"]):
        raise MetricsError(f"column partnership_id must be integer, got {metrics['partnership_id'].dtype}")
    if not pd.api.types.is_datetime64_dtype(metrics["week"]):
        raise MetricsError(f"column week must be datetime64 (naive), got {metrics['week'].dtype}")
    if metrics["week"].isna().any() or (metrics["week"].dt.day_of_week != 0).any():
        raise MetricsError("column week must hold the Monday of an ISO week")
    if metrics["week"].dt.normalize().ne(metrics["week"]).any():
        raise MetricsError("column week must be a date at midnight")
    _check_numeric(metrics, COUNT_COLUMNS, counts=True)
    _check_numeric(metrics, FLOAT_COLUMNS, counts=False)
    for col in BOOL_COLUMNS:
        if not pd.api.types.is_bool_dtype(metrics[col]):
            raise MetricsError(f"column {col} must be bool, got {metrics[col].dtype}")
    for col, (lo, hi) in RANGES.items():
        values = metrics[col]
        if ((values < lo) | (values > hi)).any():
            raise MetricsError(f"column {col} must be within [{lo}, {hi}] or NaN")
    if metrics.duplicated(list(KEYS)).any():
        raise MetricsError("metrics frame has duplicate (partnership_id, week) rows")
    return metrics.sort_values(list(KEYS)).reset_index(drop=True)


def _check_numeric(metrics: pd.DataFrame, columns: Iterable[str], *, counts: bool) -> None:
    for col in columns:
        values = metrics[col]
        if pd.api.types.is_bool_dtype(values) or not pd.api.types.is_numeric_dtype(values):
            raise MetricsError(f"column {col} must be numeric, got {values.dtype}")
        if counts and values.isna().any():
            raise MetricsError(f"column {col} is a count and cannot be NaN (use 0)")
        if counts and (values < 0).any():
            raise MetricsError(f"column {col} is a count and cannot be negative")


def empty_metrics() -> pd.DataFrame:
    """An empty frame with every column of the contract and its dtype (a template for io.py and tests)."""
    data: dict[str, pd.Series] = {
        "partnership_id": pd.Series([], dtype="int64"),
        "week": pd.Series([], dtype="datetime64[ns]"),
    }
    data.update({c: pd.Series([], dtype="int64") for c in COUNT_COLUMNS})
    data.update({c: pd.Series([], dtype="float64") for c in FLOAT_COLUMNS})
    data.update({c: pd.Series([], dtype="bool") for c in BOOL_COLUMNS})
    return pd.DataFrame(data)
