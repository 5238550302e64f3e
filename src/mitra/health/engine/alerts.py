"""Early-warning rules on the weekly snapshots, their reconciliation with open alerts, and playbooks.

``conditions(snapshots)`` evaluates every rule on every row of a snapshot frame (see
``pipeline.SNAPSHOT_COLUMNS``: keys, ``score``, the dimensions and ``ALERT_METRIC_COLUMNS``) and returns
one row per active condition with ``CONDITION_COLUMNS``:

* ``type``: the rule (``ALERT_TYPES``);
* ``reason``: a stable code, the deduplication key within a partnership and type
  (``dimension_red.<dimension>``, ``owner_left.<side>``, ``commitments_overdue.<side>``, otherwise the
  type itself);
* ``priority``: ``high`` | ``medium`` | ``low`` (``PRIORITY_ORDER`` sorts them);
* ``dimension``, ``side``, ``value``: the parameters a message needs (None/NaN when not relevant); the
  Django side translates ``reason`` with them. ``value`` is the dimension score, the drop in points, or
  the count of people/entries/commitments.

``reconcile(open_alerts, conditions)`` says which alerts to open, keep (refresh) and close, so that the
database side applies it in three set-based statements. ``suggestions(alerts)`` expands alerts into the
commitments their playbook suggests.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from mitra.health.engine.composite import Bands
from mitra.health.engine.dimensions import DIMENSIONS
from mitra.health.engine.frames import lagged
from mitra.health.engine.metrics import KEYS

ALERT_METRIC_COLUMNS: tuple[str, ...] = (
    "single_threaded",
    "supplier_owners_left",
    "customer_owners_left",
    "value_unconfirmed_30d",
    "supplier_commitments_overdue",
    "customer_commitments_overdue",
)

DIMENSION_RED = "dimension_red"
SCORE_DROP = "score_drop"
SINGLE_THREADED = "single_threaded"
OWNER_LEFT = "owner_left"
VALUE_UNCONFIRMED = "value_unconfirmed"
COMMITMENTS_OVERDUE = "commitments_overdue"
ALERT_TYPES: tuple[str, ...] = (
    DIMENSION_RED,
    SCORE_DROP,
    SINGLE_THREADED,
    OWNER_LEFT,
    VALUE_UNCONFIRMED,
    COMMITMENTS_OVERDUE,
)
HIGH, MEDIUM, LOW = "high", "medium", "low"
PRIORITY_ORDER: dict[str, int] = {HIGH: 0, MEDIUM: 1, LOW: 2}

CONDITION_COLUMNS: tuple[str, ...] = (*KEYS, "type", "reason", "priority", "dimension", "side", "value")
IDENTITY: tuple[str, ...] = ("partnership_id", "type", "reason")


@dataclass(frozen=True)
class AlertParams:
    bands: Bands = field(default_factory=Bands)
    drop_points: float = 10.0  # a fall of this many points ...
    drop_weeks: int = 2  # ... below the score of any of the last this-many weeks
    overdue_high: int = 3  # this many overdue commitments of one side make the alert high priority


def conditions(
    snapshots: pd.DataFrame,
    params: AlertParams | None = None,
    *,
    week: pd.Timestamp | None = None,
) -> pd.DataFrame:
    """Every active alert condition per partnership-week (``CONDITION_COLUMNS``), sorted by keys, type
    and reason. Each rule yields at most one row per partnership, week and reason, so there are no
    duplicates. ``week``: only report that week (the earlier weeks of ``snapshots`` are still read by the
    drop rule), which is what a weekly run reconciles."""
    params = params or AlertParams()
    snap = snapshots.reset_index(drop=True)
    in_scope = np.ones(len(snap), dtype=bool) if week is None else (snap["week"] == week).to_numpy()
    parts: list[pd.DataFrame] = []

    def add(
        mask: pd.Series | np.ndarray,
        type_: str,
        reason: str,
        priority: str | pd.Series,
        value: pd.Series,
        dimension: str | None = None,
        side: str | None = None,
    ) -> None:
        mask = np.asarray(mask, dtype=bool) & in_scope
        if not mask.any():
            return
        part = snap.loc[mask, list(KEYS)].copy()
        part["type"] = type_
        part["reason"] = reason
        part["priority"] = priority[mask] if isinstance(priority, pd.Series) else priority
        part["dimension"] = dimension
        part["side"] = side
        part["value"] = value[mask].astype("float64")
        parts.append(part)

    # each partnership's agreed red threshold when the snapshots carry it (``compute_health`` adds it)
    red = snap.get("red_below", params.bands.red_below)
    for d in DIMENSIONS:
        add(snap[d] < red, DIMENSION_RED, f"{DIMENSION_RED}.{d}", MEDIUM, snap[d], dimension=d)

    earlier = pd.concat(
        [lagged(snap, ["score"], w)["score"] for w in range(1, params.drop_weeks + 1)], axis=1
    ).max(axis=1, skipna=True)
    drop = earlier - snap["score"]
    add(drop >= params.drop_points, SCORE_DROP, SCORE_DROP, HIGH, drop)

    add(
        snap["single_threaded"].astype(bool),
        SINGLE_THREADED,
        SINGLE_THREADED,
        MEDIUM,
        pd.Series(1.0, snap.index),
    )
    add(
        snap["value_unconfirmed_30d"] > 0,
        VALUE_UNCONFIRMED,
        VALUE_UNCONFIRMED,
        LOW,
        snap["value_unconfirmed_30d"],
    )
    for side in ("supplier", "customer"):
        overdue = snap[f"{side}_commitments_overdue"]
        priority = pd.Series(np.where(overdue >= params.overdue_high, HIGH, MEDIUM), index=snap.index)
        left = snap[f"{side}_owners_left"]
        add(left > 0, OWNER_LEFT, f"{OWNER_LEFT}.{side}", HIGH, left, side=side)
        add(overdue > 0, COMMITMENTS_OVERDUE, f"{COMMITMENTS_OVERDUE}.{side}", priority, overdue, side=side)

    if not parts:
        return empty_conditions()
    out = pd.concat(parts, ignore_index=True)
    out["dimension"] = out["dimension"].astype(object)
    out["side"] = out["side"].astype(object)
    return out.sort_values([*KEYS, "type", "reason"]).reset_index(drop=True)[list(CONDITION_COLUMNS)]


def empty_conditions() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "partnership_id": pd.Series([], dtype="int64"),
            "week": pd.Series([], dtype="datetime64[ns]"),
            **{c: pd.Series([], dtype=object) for c in ("type", "reason", "priority", "dimension", "side")},
            "value": pd.Series([], dtype="float64"),
        }
    )


@dataclass(frozen=True)
class Reconciliation:
    """``open``: conditions to insert as new alerts (``CONDITION_COLUMNS``); ``keep``: ``alert_id`` +
    the condition's current ``CONDITION_COLUMNS`` to refresh; ``close``: ``alert_id`` + ``why``
    (``cleared`` when the condition no longer holds, ``duplicate`` for extra open alerts with the same
    partnership, type and reason)."""

    open: pd.DataFrame
    keep: pd.DataFrame
    close: pd.DataFrame


def reconcile(
    open_alerts: pd.DataFrame,
    current: pd.DataFrame,
    evaluated: Iterable[int] | None = None,
) -> Reconciliation:
    """Match open alerts (``alert_id``, ``partnership_id``, ``type``, ``reason``) with the conditions
    active now (one evaluated week; ``CONDITION_COLUMNS``).

    ``evaluated``: the partnerships whose conditions were computed; open alerts of other partnerships are
    left alone. ``None`` means the partnerships of ``open_alerts`` were all evaluated.
    """
    ident = list(IDENTITY)
    alerts = open_alerts[["alert_id", *ident]]
    if evaluated is not None:
        alerts = alerts[alerts["partnership_id"].isin(list(evaluated))]
    cond = current.copy()
    cond["_rank"] = cond["priority"].map(PRIORITY_ORDER)
    cond = cond.sort_values([*ident, "_rank", "week"], ascending=[True, True, True, True, False])
    cond = cond.drop_duplicates(ident).drop(columns="_rank")
    alerts = alerts.sort_values("alert_id")
    dup = alerts.duplicated(ident, keep="first")
    duplicates = alerts.loc[dup, ["alert_id"]].assign(why="duplicate")
    alerts = alerts.loc[~dup]
    matched = alerts.merge(cond, on=ident, how="outer", indicator=True)
    to_open = matched.loc[matched["_merge"] == "right_only", list(CONDITION_COLUMNS)]
    keep = matched.loc[matched["_merge"] == "both", ["alert_id", *CONDITION_COLUMNS]]
    cleared = matched.loc[matched["_merge"] == "left_only", ["alert_id"]].assign(why="cleared")
    close = pd.concat([cleared, duplicates], ignore_index=True)
    keep = keep.astype({"alert_id": alerts["alert_id"].dtype})
    close = close.astype({"alert_id": alerts["alert_id"].dtype})
    return Reconciliation(
        open=to_open.reset_index(drop=True),
        keep=keep.reset_index(drop=True),
        close=close.sort_values("alert_id").reset_index(drop=True),
    )


@dataclass(frozen=True)
class Suggestion:
    """A commitment a playbook suggests: a title code for the Django side to translate, the side that
    would promise it (``ALERT_SIDE``: the side named by the alert), and its due date in days from
    adoption."""

    title_key: str
    owner_side: str
    due_in_days: int


ALERT_SIDE = "alert_side"
S = Suggestion
# Keyed by reason first, then by type.
PLAYBOOKS: dict[str, tuple[Suggestion, ...]] = {
    f"{DIMENSION_RED}.commitment": (
        S("review_open_commitments", "supplier", 7),
        S("agree_acknowledgement_routine", "customer", 14),
    ),
    f"{DIMENSION_RED}.customer_focus": (
        S("review_open_cases_with_customer", "supplier", 7),
        S("confirm_or_dispute_resolved_cases", "customer", 7),
    ),
    f"{DIMENSION_RED}.improvement": (S("start_initiative_on_top_root_cause", "supplier", 21),),
    f"{DIMENSION_RED}.moments_of_truth": (
        S("review_negative_touchpoints", "supplier", 7),
        S("send_satisfaction_survey", "supplier", 14),
    ),
    f"{DIMENSION_RED}.mutual_value": (
        S("record_value_for_customer", "supplier", 14),
        S("record_value_for_supplier", "customer", 14),
    ),
    f"{DIMENSION_RED}.breadth": (
        S("open_second_bridge", "supplier", 30),
        S("name_bridge_counterpart", "customer", 30),
    ),
    f"{DIMENSION_RED}.anticipation": (S("joint_risk_review", "supplier", 14),),
    f"{DIMENSION_RED}.competitive_immunity": (S("executive_business_review", "supplier", 21),),
    SCORE_DROP: (S("health_review_meeting", "supplier", 7), S("share_top_concerns", "customer", 7)),
    SINGLE_THREADED: (S("open_second_bridge", "supplier", 30), S("name_bridge_counterpart", "customer", 30)),
    OWNER_LEFT: (S("reassign_owned_records", ALERT_SIDE, 3), S("introduce_new_owner", ALERT_SIDE, 14)),
    VALUE_UNCONFIRMED: (S("confirm_or_dispute_value_entries", "customer", 7),),
    COMMITMENTS_OVERDUE: (S("replan_overdue_commitments", ALERT_SIDE, 7),),
}
del S

SUGGESTION_COLUMNS: tuple[str, ...] = ("title_key", "owner_side", "due_in_days")


def playbook_frame() -> pd.DataFrame:
    """``PLAYBOOKS`` as a frame (``key``, ``order``, ``SUGGESTION_COLUMNS``) for set-based joins."""
    rows = [
        (key, i, s.title_key, s.owner_side, s.due_in_days)
        for key, suggestions in PLAYBOOKS.items()
        for i, s in enumerate(suggestions, start=1)
    ]
    return pd.DataFrame(rows, columns=["key", "order", *SUGGESTION_COLUMNS])


def suggestions(alerts: pd.DataFrame) -> pd.DataFrame:
    """The suggested commitments for each alert: every column of ``alerts`` (needs ``type``, ``reason``,
    ``side``) + ``order`` + ``SUGGESTION_COLUMNS``. ``ALERT_SIDE`` is resolved to the alert's side, or
    left as is when the alert names none (the Django side then asks the user)."""
    book = playbook_frame()
    by_reason = alerts["reason"].isin(book["key"])
    keyed = alerts.assign(key=alerts["reason"].where(by_reason, alerts["type"]))
    out = keyed.merge(book, on="key", how="inner").drop(columns="key")
    resolve = (out["owner_side"] == ALERT_SIDE) & out["side"].notna()
    out.loc[resolve, "owner_side"] = out.loc[resolve, "side"]
    return out.reset_index(drop=True)
