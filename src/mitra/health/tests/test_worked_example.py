"""The worked example of docs/health.md, number for number."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from mitra.health.engine import compute_health
from mitra.health.tests.helpers import frame, row

EXACT = 1e-9

COMPONENTS = {
    "commitment.supplier_on_time": 80.0,
    "commitment.customer_on_time": 80.0,
    "commitment.acknowledged": 60.0,
    "commitment.proactive": 40.0,
    "commitment.pulse_trust": 75.0,
    "commitment.pulse_commitment": 62.5,
    "customer_focus.outcome_confirmed": 75.0,
    "customer_focus.within_sla": 75.0,
    "customer_focus.undisputed": 80.0,
    "improvement.activity": 50.0,
    "improvement.progress": 60.0,
    "improvement.root_causes": 75.0,
    "moments_of_truth.touchpoints": 72.5,
    "moments_of_truth.otif": 80.0,
    "moments_of_truth.csat": 75.0,
    "moments_of_truth.nps": 60.0,
    "moments_of_truth.pulse_satisfaction": 75.0,
    "mutual_value.both_gain": 100.0,
    "mutual_value.balance": 60.0,
    "mutual_value.confirmation": 80.0,
    "breadth.live_bridges": 75.0,
    "breadth.people": 50.0,
    "breadth.multi_threaded": 100.0,
    "anticipation.foreseen": 40.0,
    "anticipation.prepared": 75.0,
    "competitive_immunity.competitor_free": 75.0,
    "competitive_immunity.share_of_wallet": 40.0,
}
DIMENSIONS = {
    "commitment": 70.1875,
    "customer_focus": 76.25,
    "improvement": 60.25,
    "moments_of_truth": 73.375,
    "mutual_value": 79.0,
    "breadth": 75.0,
    "anticipation": 57.5,
    "competitive_immunity": 57.5,
}


def test_week_one_components_dimensions_score_and_band() -> None:
    result = compute_health(frame(row(1, 0)))
    comp = result.components.iloc[0]
    for key, value in COMPONENTS.items():
        assert comp[key] == pytest.approx(value, abs=EXACT), key
    assert math.isnan(comp["competitive_immunity.trend"])
    snap = result.snapshots.iloc[0]
    for d, value in DIMENSIONS.items():
        assert snap[d] == pytest.approx(value, abs=EXACT), d
    assert snap["score"] == pytest.approx(69.846875, abs=EXACT)
    assert snap["band"] == "amber"
    assert result.drivers.empty


def test_week_two_customer_keeps_every_promise() -> None:
    result = compute_health(frame(row(1, 0), row(1, 1, customer_commitments_kept=5)))
    snap = result.snapshots.iloc[1]
    assert snap["commitment"] == pytest.approx(75.1875, abs=EXACT)
    assert snap["score"] == pytest.approx(70.596875, abs=EXACT)
    assert snap["band"] == "green"
    assert snap["delta_1w"] == pytest.approx(0.75, abs=EXACT)
    assert result.drivers.drop(columns=["partnership_id", "week"]).to_dict("records") == [
        {
            "rank": 1,
            "dimension": "commitment",
            "component": "customer_on_time",
            "source": "commitments",
            "metrics": ("customer_commitments_kept", "customer_commitments_settled"),
            "value": 100.0,
            "previous": 80.0,
            "contribution": pytest.approx(0.75, abs=EXACT),
        }
    ]
    assert result.drivers["week"].tolist() == [pd.Timestamp("2026-03-09")]


def test_without_competition_data_immunity_drops_out_of_the_composite() -> None:
    snap = compute_health(
        frame(row(competitor_mentions=float("nan"), share_of_wallet=float("nan")))
    ).snapshots
    assert math.isnan(snap["competitive_immunity"].item())
    assert snap["score"].item() == pytest.approx(71.21875, abs=EXACT)
    assert snap["band"].item() == "green"
