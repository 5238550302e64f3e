"""The shape of the forecast's cheaper paths (no timing): low-volume smooth series are validated on one
window without MSTL, the others on the full set; the in-place centred mean equals the plain one."""

from __future__ import annotations

import numpy as np
import pandas as pd

from mitra.planning.engine.forecast import (
    LOW_VOLUME,
    ForecastParams,
    _candidates,
    _centred_mean,
    _panel,
    _profile,
    forecast,
)
from mitra.planning.engine.frames import validate_history

WEEKS = 156


def history(levels: dict[str, float]) -> pd.DataFrame:
    """Smooth series (no zero weeks): level ± a small yearly swing, rounded to whole units."""
    weeks = pd.date_range("2023-01-02", periods=WEEKS, freq="W-MON")
    t = np.arange(WEEKS)
    frames = []
    for sid, level in levels.items():
        quantity = np.maximum(1.0, np.round(level * (1 + 0.3 * np.sin(2 * np.pi * t / 52))))
        frames.append(pd.DataFrame({"series_id": sid, "period": weeks, "quantity": quantity}))
    return pd.concat(frames, ignore_index=True)


def test_low_volume_smooth_series_get_one_window_and_no_mstl():
    assert LOW_VOLUME == 2.0
    frame = validate_history(history({"slow:1": 1.2, "fast:1": 400.0}))
    profile = _profile(_panel(frame), ForecastParams(tier="full"))
    by_id = profile.set_index(pd.Index(["fast:1", "slow:1"]))  # validate_history sorts by series_id
    assert by_id.loc["slow:1", ["group", "rank", "windows", "light"]].tolist() == ["smooth", 3, 1, True]
    assert by_id.loc["fast:1", ["group", "rank", "windows", "light"]].tolist() == ["smooth", 3, 3, False]
    params = ForecastParams()
    light = [str(m.alias) for m in _candidates("smooth", 3, params, light=True)]
    full = [str(m.alias) for m in _candidates("smooth", 3, params)]
    assert light == ["SeasonalNaive", "SeasonalDifferenceETS", "Theta"]
    assert full == ["SeasonalNaive", "SeasonalDifferenceETS", "Theta", "MSTL"]


def test_low_volume_series_are_forecast_without_mstl():
    result = forecast(history({"slow:1": 1.2, "fast:1": 400.0}), ForecastParams(tier="full", holidays=False))
    models = result.selection.set_index("series_id")["model"]
    assert models["slow:1"] in {"SeasonalNaive", "SeasonalDifferenceETS", "Theta", "Combination"}
    assert len(result.forecasts) == 2 * 13
    assert (result.forecasts["forecast"] >= 0).all()


def test_centred_mean_in_place_equals_a_plain_window_mean():
    frame = validate_history(history({"a:1": 10.0, "b:1": 50.0}).iloc[:-30])  # b shorter than a
    panel = _panel(frame)
    use = np.arange(len(panel.y)) % 5 != 0
    got = _centred_mean(panel, panel.y, use, 6)
    expected = np.full(len(panel.y), np.nan)
    for row in range(len(panel.y)):  # the plain definition, row by row, as the reference
        code = panel.code[row]
        first, last = panel.start[code], panel.start[code] + panel.length[code] - 1
        window = np.arange(max(row - 6, first), min(row + 6, last) + 1)
        chosen = window[use[window]]
        if len(chosen):
            expected[row] = panel.y[chosen].mean()
    np.testing.assert_allclose(got, expected, rtol=1e-12)
