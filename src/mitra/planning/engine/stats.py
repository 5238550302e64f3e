"""Small statistical helpers shared by the exception, proposal and simulation engines.

* ``normal_quantile(p)``: the standard normal quantile, z(0.95) = 1.6449 (one-sided service level);
* ``interval_z(level)``: the z of a central prediction interval, z(80 %) = 1.2816; ``level`` is in
  percent as statsforecast writes it (80), a value ≤ 1 is read as a fraction (0.8);
* ``sigma_from_interval(lo, hi, level)``: the standard deviation implied by a central interval,
  (hi − lo) / (2 × interval_z(level));
* ``forward_mean(frame, column, window)``: per series, the mean of ``column`` over the *following*
  ``window`` periods (not the period itself), truncated at the end of the series;
* ``exceeds(value, threshold)``: strictly above a threshold, with a tolerance so that a value that
  equals the threshold up to floating-point noise does not count.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from scipy.special import ndtri

# Values within this distance of a threshold count as equal to it (percent points, weeks, units).
TOLERANCE = 1e-9
# "Weeks of cover" divides a stock by the mean forecast of this many following weeks.
COVER_WINDOW_WEEKS = 4


def normal_quantile(p: Any) -> Any:
    """z such that P(Z ≤ z) = p for a standard normal Z (scalar or array)."""
    return ndtri(p)


def interval_z(level: Any) -> Any:
    """z of a central interval at ``level`` percent (or fraction when ≤ 1): z(80) = z(0.9) = 1.2816."""
    level = np.asarray(level, dtype="float64")
    fraction = np.where(level > 1.0, level / 100.0, level)
    return ndtri(0.5 + fraction / 2.0)


def sigma_from_interval(lo: Any, hi: Any, level: Any) -> Any:
    """Standard deviation implied by the central interval [lo, hi] at ``level``."""
    return (np.asarray(hi, dtype="float64") - np.asarray(lo, dtype="float64")) / (2.0 * interval_z(level))


def exceeds(value: Any, threshold: Any) -> Any:
    """value > threshold, strictly and beyond ``TOLERANCE`` (NaN never exceeds)."""
    return np.asarray(value, dtype="float64") - np.asarray(threshold, dtype="float64") > TOLERANCE


def falls_below(value: Any, threshold: Any) -> Any:
    """value < threshold, strictly and beyond ``TOLERANCE`` (NaN never falls below)."""
    return np.asarray(threshold, dtype="float64") - np.asarray(value, dtype="float64") > TOLERANCE


def forward_mean(frame: pd.DataFrame, column: str, window: int = COVER_WINDOW_WEEKS) -> pd.Series:
    """Per ``series_id`` (rows sorted by series and period), the mean of ``column`` over the next
    ``window`` rows of the same series; NaN for a series' last row."""
    grouped = frame.groupby("series_id", sort=False)[column]
    total = pd.Series(0.0, index=frame.index)
    count = pd.Series(0.0, index=frame.index)
    for step in range(1, window + 1):  # a fixed handful of shifts, each set-wise over all series
        shifted = grouped.shift(-step)
        total = total + shifted.fillna(0.0)
        count = count + shifted.notna()
    return (total / count.where(count > 0)).astype("float64")
