from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from mitra.health.engine import DEFAULT_WEIGHTS, DIMENSIONS, Bands, HealthParams, compute_health
from mitra.health.engine.composite import band, weight_matrix
from mitra.health.tests.helpers import BASE, EMPTY, frame, history, row


def _weighted_mean(snap: dict, weights: dict) -> float:
    available = [d for d in DIMENSIONS if not math.isnan(snap[d])]
    return sum(weights[d] * snap[d] for d in available) / sum(weights[d] for d in available)


def test_default_weights_sum_to_one() -> None:
    assert set(DEFAULT_WEIGHTS) == set(DIMENSIONS)
    assert sum(DEFAULT_WEIGHTS.values()) == pytest.approx(1.0)


def test_the_composite_is_the_weighted_mean_of_the_dimensions() -> None:
    snaps = compute_health(history(6, supplier_commitments_kept=[10, 9, 8, 8, 6, 5])).snapshots
    for snap in snaps.to_dict("records"):
        assert snap["score"] == pytest.approx(_weighted_mean(snap, DEFAULT_WEIGHTS))


def test_a_dimension_without_data_is_left_out_and_the_weights_renormalised() -> None:
    (snap,) = compute_health(
        frame(row(competitor_mentions=np.nan, share_of_wallet=np.nan))
    ).snapshots.to_dict("records")
    assert math.isnan(snap["competitive_immunity"])
    others = [d for d in DIMENSIONS if d != "competitive_immunity"]
    expected = sum(DEFAULT_WEIGHTS[d] * snap[d] for d in others) / 0.9
    assert snap["score"] == pytest.approx(expected)


def test_no_data_at_all_gives_no_score_and_no_band() -> None:
    (snap,) = compute_health(frame(row(base=EMPTY))).snapshots.to_dict("records")
    assert math.isnan(snap["score"])
    assert snap["band"] == "no_data"


def test_per_partnership_weights_override_the_defaults() -> None:
    only_commitment = pd.DataFrame([{d: (1.0 if d == "commitment" else 0.0) for d in DIMENSIONS}], index=[2])
    snaps = compute_health(frame(row(1), row(2)), weights=only_commitment).snapshots
    one, two = snaps.to_dict("records")
    assert one["score"] == pytest.approx(_weighted_mean(one, DEFAULT_WEIGHTS))
    assert two["score"] == pytest.approx(two["commitment"])


def test_invalid_weights_are_refused() -> None:
    with pytest.raises(ValueError, match="missing"):
        weight_matrix(pd.Series([1]), {"commitment": 1.0})
    with pytest.raises(ValueError, match="non-negative"):
        weight_matrix(pd.Series([1]), {**DEFAULT_WEIGHTS, "breadth": -0.1})


def test_bands_use_the_thresholds() -> None:
    scores = pd.Series([0.0, 49.99, 50.0, 69.99, 70.0, 100.0, np.nan])
    assert band(scores).tolist() == ["red", "red", "amber", "amber", "green", "green", "no_data"]
    assert band(scores, Bands(red_below=40, green_from=80)).tolist() == [
        "red",
        "amber",
        "amber",
        "amber",
        "amber",
        "green",
        "no_data",
    ]
    with pytest.raises(ValueError, match="bands"):
        Bands(red_below=80, green_from=70)


def test_configured_bands_are_applied() -> None:
    (snap,) = compute_health(frame(row()), HealthParams(bands=Bands(60, 65))).snapshots.to_dict("records")
    assert snap["band"] == "green"


def test_trend_compares_with_one_and_four_weeks_earlier() -> None:
    snaps = compute_health(history(6, supplier_commitments_kept=[10, 9, 8, 8, 6, 5])).snapshots
    s = snaps["score"].to_numpy()
    assert math.isnan(snaps["delta_1w"].iloc[0])
    assert snaps["delta_1w"].iloc[1:].to_numpy() == pytest.approx(np.diff(s))
    assert snaps["delta_4w"].iloc[:4].isna().all()
    assert snaps["delta_4w"].iloc[4:].to_numpy() == pytest.approx(s[4:] - s[:2])


def test_trend_is_per_partnership() -> None:
    snaps = compute_health(frame(row(1, 0), row(2, 1))).snapshots
    assert snaps["delta_1w"].isna().all()


def test_drivers_name_the_component_that_changed() -> None:
    weeks = frame(row(1, 0), row(1, 1, deliveries_otif=BASE["deliveries_otif"] - 4))
    result = compute_health(weeks)
    (driver,) = result.drivers.to_dict("records")
    assert driver["week"] == pd.Timestamp("2026-03-09")
    assert (driver["rank"], driver["dimension"], driver["component"]) == (1, "moments_of_truth", "otif")
    assert driver["source"] == "moments"
    assert driver["metrics"] == ("deliveries_otif", "deliveries")
    assert (driver["value"], driver["previous"]) == (40.0, 80.0)
    assert driver["contribution"] == pytest.approx(0.15 * 0.25 * -40)
    assert driver["contribution"] == pytest.approx(result.snapshots["delta_1w"].iloc[1])


def test_drivers_add_up_to_the_change_and_are_ranked_by_size() -> None:
    weeks = history(
        3,
        supplier_commitments_kept=[8, 6, 6],
        bridges_live=[3, 4, 4],
        pulse_trust=[4.0, 4.0, np.nan],  # the pulse disappears: weights shift too
    )
    result = compute_health(weeks, HealthParams(drivers=100, min_driver_points=0.0))
    snaps = result.snapshots
    for week, group in result.drivers.groupby("week"):
        delta = snaps.loc[snaps["week"] == week, "delta_1w"].item()
        assert group["contribution"].sum() == pytest.approx(delta)
        sizes = group["contribution"].abs().to_numpy()
        assert (np.diff(sizes) <= 1e-12).all()
        assert group["rank"].tolist() == list(range(1, len(group) + 1))
    top = result.drivers[result.drivers["week"] == pd.Timestamp("2026-03-09")].iloc[0]
    assert (top["dimension"], top["component"]) == ("breadth", "live_bridges")  # +1.25 beats -0.75


def test_drivers_are_capped_and_skip_weeks_without_a_previous_score() -> None:
    weeks = history(
        2,
        supplier_commitments_kept=[8, 2],
        bridges_live=[3, 1],
        deliveries_otif=[8, 1],
        touchpoints_negative=[3, 10],
    )
    drivers = compute_health(weeks).drivers
    assert len(drivers) == 3
    assert set(drivers["week"]) == {pd.Timestamp("2026-03-09")}


def test_per_partnership_bands_override_the_defaults_for_that_partnership_only() -> None:
    metrics = frame(row(1), row(2))
    default = compute_health(metrics).snapshots.set_index("partnership_id")
    score = default.loc[1, "score"]  # the same facts: the same score for both
    assert default.loc[2, "score"] == pytest.approx(score)
    bands = pd.DataFrame({"red_below": [score + 1], "green_from": [score + 2]}, index=pd.Index([1]))
    snaps = compute_health(metrics, bands=bands).snapshots.set_index("partnership_id")
    assert snaps.loc[1, "band"] == "red" and snaps.loc[2, "band"] == default.loc[2, "band"]
    assert snaps.loc[1, "red_below"] == score + 1 and snaps.loc[2, "red_below"] == 50.0
    with pytest.raises(ValueError, match="bands"):
        compute_health(metrics, bands=pd.DataFrame({"red_below": [80.0], "green_from": [70.0]}, index=[1]))
