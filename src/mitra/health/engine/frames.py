"""Small vectorised helpers shared by the engine modules."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd


def ratio(numerator: pd.Series, denominator: pd.Series) -> pd.Series:
    """``numerator / denominator`` clipped to [0, 1]; NaN where the denominator is not positive."""
    den = denominator.astype("float64")
    return (numerator.astype("float64") / den.where(den > 0)).clip(0.0, 1.0)


def capped(count: pd.Series, cap: float) -> pd.Series:
    """``min(count, cap) / cap``: 0 for none, 1 from ``cap`` upwards."""
    return count.astype("float64").clip(upper=cap) / cap


def lag_positions(frame: pd.DataFrame, weeks: int) -> np.ndarray:
    """For each row, the position of the same partnership's row ``weeks`` weeks earlier, or -1.

    A lookup of the key ``(partnership_id, week - weeks)`` rather than ``groupby().shift()``: a
    partnership whose history has a gap gets no earlier row, not some other earlier week. ``frame`` must
    have unique keys; its order does not matter.
    """
    n = len(frame)
    if n == 0:
        return np.zeros(0, dtype="int64")
    pid = frame["partnership_id"].to_numpy(dtype="int64")
    week_no = frame["week"].to_numpy().astype("datetime64[D]").astype("int64") // 7
    key = pid * _WEEK_SLOTS + week_no
    order = np.argsort(key, kind="stable")
    sorted_key = key[order]
    target = key - weeks
    pos = np.minimum(np.searchsorted(sorted_key, target), n - 1)
    return np.where(sorted_key[pos] == target, order[pos], -1)


def lag_array(values: np.ndarray, positions: np.ndarray) -> np.ndarray:
    """Rows of ``values`` (float, 1-D or 2-D) at ``positions``; NaN where the position is -1."""
    out = values[np.maximum(positions, 0)].astype("float64", copy=False)  # fancy indexing copied already
    out[positions < 0] = np.nan
    return out


def lagged(frame: pd.DataFrame, columns: Sequence[str], weeks: int) -> pd.DataFrame:
    """The values of ``columns`` (as float) for the same partnership ``weeks`` weeks earlier, aligned to
    ``frame``; NaN where that week has no row (see ``lag_positions``)."""
    positions = lag_positions(frame, weeks)
    values = lag_array(frame[list(columns)].to_numpy(dtype="float64"), positions)
    return pd.DataFrame(values, index=frame.index, columns=list(columns))


_WEEK_SLOTS = 1 << 20  # weeks since 1970 fit in 20 bits for a million years


def weighted_mean(values: np.ndarray, weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Row-wise weighted mean over the available (non-NaN) values, weights renormalised over them.

    ``values`` and ``weights`` are (rows × items). Returns ``(mean, normalised_weights)``; the mean is NaN
    and the normalised weights are 0 on a row where no item is available (or their weights sum to 0).
    """
    available = ~np.isnan(values)
    w = np.where(available, weights, 0.0)
    total = w.sum(axis=1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        norm = np.where(total > 0, w / total, 0.0)
    mean = np.where(total[:, 0] > 0, (norm * np.nan_to_num(values)).sum(axis=1), np.nan)
    return mean, norm
