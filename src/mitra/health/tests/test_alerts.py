from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest

from mitra.health.engine import DIMENSIONS, compute_health
from mitra.health.engine.alerts import ALERT_TYPES, PLAYBOOKS, conditions, reconcile, suggestions
from mitra.health.tests.helpers import history


def _active(snapshots: pd.DataFrame) -> dict[int, set[str]]:
    """Reasons active per week index."""
    cond = conditions(snapshots)
    weeks = sorted(snapshots["week"].unique())
    return {i: set(cond.loc[cond["week"] == w, "reason"]) for i, w in enumerate(weeks)}


def _run(snapshots: pd.DataFrame) -> tuple[pd.DataFrame, list[dict]]:
    """Apply conditions week by week to an in-memory alert table, as the database side would."""
    table = pd.DataFrame(columns=["alert_id", "partnership_id", "type", "reason", "closed_week"])
    table = table.astype({"alert_id": "int64", "partnership_id": "int64"})
    ids = itertools.count(1)
    cond = conditions(snapshots)
    log = []
    for week in sorted(snapshots["week"].unique()):
        open_ = table[table["closed_week"].isna()]
        plan = reconcile(open_, cond[cond["week"] == week], evaluated=snapshots["partnership_id"].unique())
        new = plan.open[["partnership_id", "type", "reason"]].assign(
            alert_id=[next(ids) for _ in range(len(plan.open))], closed_week=pd.NaT
        )
        table.loc[table["alert_id"].isin(plan.close["alert_id"]), "closed_week"] = week
        table = pd.concat([table, new], ignore_index=True)
        log.append(
            {
                "opened": set(plan.open["reason"]),
                "kept": set(plan.keep["reason"]),
                "closed": set(plan.close["alert_id"]),
            }
        )
    return table, log


def test_every_rule_fires_on_its_condition() -> None:
    snaps = compute_health(
        history(
            3,
            supplier_commitments_kept=[8, 8, 0],
            customer_commitments_kept=[4, 4, 0],
            supplier_commitments_acknowledged=[6, 6, 0],
            customer_commitments_acknowledged=[3, 3, 0],
            pulse_trust=[4.0, 4.0, 1.0],
            pulse_commitment=[3.5, 3.5, 1.0],
            single_threaded=[False, False, True],
            customer_owners_left=[0, 0, 1],
            value_unconfirmed_30d=[0, 0, 2],
            supplier_commitments_overdue=[0, 0, 4],
            customer_commitments_overdue=[0, 0, 1],
            bridges_live=[3, 3, 0],
            deliveries_otif=[8, 8, 0],
            touchpoints_positive=[12, 12, 0],
            touchpoints_negative=[3, 3, 20],
        )
    ).snapshots
    cond = conditions(snaps)
    assert set(cond["week"]) == {snaps["week"].iloc[2]}
    by_reason = cond.set_index("reason")
    assert set(by_reason.index) == {
        "dimension_red.commitment",
        "dimension_red.moments_of_truth",
        "dimension_red.breadth",
        "score_drop",
        "single_threaded",
        "owner_left.customer",
        "value_unconfirmed",
        "commitments_overdue.supplier",
        "commitments_overdue.customer",
    }
    assert set(cond["type"]) == set(ALERT_TYPES)
    assert by_reason.loc["dimension_red.commitment", "dimension"] == "commitment"
    assert by_reason.loc["dimension_red.commitment", "value"] == pytest.approx(snaps["commitment"].iloc[2])
    assert by_reason.loc["score_drop", "value"] == pytest.approx(
        snaps["score"].iloc[1] - snaps["score"].iloc[2]
    )
    assert by_reason.loc["score_drop", "priority"] == "high"
    assert by_reason.loc["commitments_overdue.supplier", ["side", "value", "priority"]].tolist() == [
        "supplier",
        4.0,
        "high",
    ]
    assert by_reason.loc["commitments_overdue.customer", "priority"] == "medium"
    assert by_reason.loc["owner_left.customer", ["side", "value"]].tolist() == ["customer", 1.0]
    assert not cond.duplicated(["partnership_id", "week", "type", "reason"]).any()
    only_last = conditions(snaps, week=snaps["week"].iloc[2])
    pd.testing.assert_frame_equal(only_last, cond)
    assert conditions(snaps, week=snaps["week"].iloc[0]).empty


def test_a_drop_is_measured_against_either_of_the_last_two_weeks() -> None:
    # 80 → 80 → 60: drop at week 2 and still at week 3 (compared with week 1), gone at week 4
    snaps = pd.DataFrame(
        {
            "partnership_id": 1,
            "week": pd.date_range("2026-03-02", periods=5, freq="7D"),
            "score": [80.0, 80.0, 71.0, 69.0, 69.0],
        }
    )
    for d in (
        "commitment",
        "customer_focus",
        "improvement",
        "moments_of_truth",
        "mutual_value",
        "breadth",
        "anticipation",
        "competitive_immunity",
    ):
        snaps[d] = 75.0
    for c in (
        "supplier_owners_left",
        "customer_owners_left",
        "value_unconfirmed_30d",
        "supplier_commitments_overdue",
        "customer_commitments_overdue",
    ):
        snaps[c] = 0
    snaps["single_threaded"] = False
    active = _active(snaps)
    assert [("score_drop" in active[i]) for i in range(5)] == [False, False, False, True, False]
    assert conditions(snaps).loc[lambda c: c["type"] == "score_drop", "value"].item() == pytest.approx(11.0)


def test_alerts_open_once_stay_open_and_close_when_the_condition_clears() -> None:
    snaps = compute_health(
        history(
            6,
            single_threaded=[False, True, True, True, False, False],
            supplier_commitments_overdue=[0, 2, 2, 0, 0, 1],
        )
    ).snapshots
    table, log = _run(snaps)
    assert [entry["opened"] for entry in log] == [
        set(),
        {"single_threaded", "commitments_overdue.supplier"},
        set(),
        set(),
        set(),
        {"commitments_overdue.supplier"},
    ]
    assert log[2]["kept"] == {"single_threaded", "commitments_overdue.supplier"}
    assert log[3]["kept"] == {"single_threaded"}
    closed_week = dict(zip(table["alert_id"], table["closed_week"], strict=True))
    weeks = sorted(snaps["week"].unique())
    assert table.drop(columns="closed_week").values.tolist() == [
        [1, 1, "commitments_overdue", "commitments_overdue.supplier"],
        [2, 1, "single_threaded", "single_threaded"],
        [3, 1, "commitments_overdue", "commitments_overdue.supplier"],
    ]
    first_overdue = table.loc[table["reason"] == "commitments_overdue.supplier", "alert_id"].min()
    single = table.loc[table["reason"] == "single_threaded", "alert_id"].item()
    assert closed_week[first_overdue] == weeks[3]
    assert closed_week[single] == weeks[4]
    assert pd.isna(closed_week[3])
    open_ = table[table["closed_week"].isna()]
    assert not open_.duplicated(["partnership_id", "type", "reason"]).any()


def test_reconcile_deduplicates_conditions_and_open_alerts() -> None:
    week = pd.Timestamp("2026-03-02")
    current = pd.DataFrame(
        [
            (1, week, "commitments_overdue", "commitments_overdue.supplier", "medium", None, "supplier", 1.0),
            (1, week, "commitments_overdue", "commitments_overdue.supplier", "high", None, "supplier", 5.0),
            (2, week, "single_threaded", "single_threaded", "medium", None, None, 1.0),
            (3, week, "owner_left", "owner_left.customer", "high", None, "customer", 1.0),
        ],
        columns=["partnership_id", "week", "type", "reason", "priority", "dimension", "side", "value"],
    )
    open_alerts = pd.DataFrame(
        [
            (10, 2, "single_threaded", "single_threaded"),
            (11, 2, "single_threaded", "single_threaded"),  # a duplicate left by a race
            (12, 2, "score_drop", "score_drop"),  # cleared
            (13, 4, "score_drop", "score_drop"),  # partnership 4 was not evaluated
        ],
        columns=["alert_id", "partnership_id", "type", "reason"],
    )
    plan = reconcile(open_alerts, current, evaluated=[1, 2, 3])
    assert plan.open[["partnership_id", "reason", "priority", "value"]].values.tolist() == [
        [1, "commitments_overdue.supplier", "high", 5.0],
        [3, "owner_left.customer", "high", 1.0],
    ]
    assert plan.keep[["alert_id", "reason"]].values.tolist() == [[10, "single_threaded"]]
    assert plan.close.values.tolist() == [[11, "duplicate"], [12, "cleared"]]


def test_reconcile_with_nothing_active_closes_everything_evaluated() -> None:
    open_alerts = pd.DataFrame(
        [(1, 7, "score_drop", "score_drop")], columns=["alert_id", "partnership_id", "type", "reason"]
    )
    nothing = conditions(compute_health(history(1)).snapshots.iloc[0:0])
    plan = reconcile(open_alerts, nothing)
    assert plan.open.empty and plan.keep.empty
    assert plan.close.values.tolist() == [[1, "cleared"]]


def test_playbooks_suggest_commitments_for_every_alert_type() -> None:
    for type_ in ALERT_TYPES:
        assert any(key == type_ or key.startswith(f"{type_}.") for key in PLAYBOOKS), type_
    alerts = pd.DataFrame(
        [
            (5, "commitments_overdue", "commitments_overdue.customer", "customer"),
            (6, "dimension_red", "dimension_red.breadth", None),
        ],
        columns=["alert_id", "type", "reason", "side"],
    )
    out = suggestions(alerts)
    assert out[["alert_id", "order", "title_key", "owner_side", "due_in_days"]].values.tolist() == [
        [5, 1, "replan_overdue_commitments", "customer", 7],
        [6, 1, "open_second_bridge", "supplier", 30],
        [6, 2, "name_bridge_counterpart", "customer", 30],
    ]


def test_conditions_of_many_partnerships_do_not_mix() -> None:
    a = history(3, partnership_id=1, single_threaded=[False, True, True])
    b = history(3, partnership_id=2, single_threaded=[True, False, False])
    cond = conditions(compute_health(pd.concat([a, b], ignore_index=True)).snapshots)
    got = cond[cond["type"] == "single_threaded"][["partnership_id", "week"]]
    weeks = sorted(a["week"])
    assert got.values.tolist() == [[1, weeks[1]], [1, weeks[2]], [2, weeks[0]]]
    assert np.isin(cond["priority"], ["high", "medium", "low"]).all()


def test_a_partnerships_own_red_threshold_decides_which_dimensions_are_red() -> None:
    snaps = compute_health(history(1)).snapshots
    default_red = set(conditions(snaps).query("type == 'dimension_red'")["reason"])
    strict = snaps.assign(red_below=101.0)  # everything with data is red below 101
    all_red = set(conditions(strict).query("type == 'dimension_red'")["reason"])
    with_data = {f"dimension_red.{d}" for d in DIMENSIONS if not np.isnan(snaps[d].iloc[0])}
    assert all_red == with_data and default_red < all_red
