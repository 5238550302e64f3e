"""The demand history the planning engine reads: checks, clean-up and weekly densification."""

from __future__ import annotations

import numpy as np
import pandas as pd

from mitra.planning.engine.errors import PlanningInputError

HISTORY_COLUMNS = ("series_id", "period", "quantity")
_DAY = np.timedelta64(1, "D")


def monday(values: pd.Series | pd.DatetimeIndex) -> np.ndarray:
    """The Monday of each date's week, as datetime64[ns]."""
    days = np.asarray(values, dtype="datetime64[D]")
    weekday = (days.astype("int64") + 3) % 7  # 1970-01-01 was a Thursday (weekday 3)
    return (days - weekday * _DAY).astype("datetime64[ns]")


def _first(mask: np.ndarray) -> int:
    """1-based row number of the first True in ``mask``."""
    return int(np.flatnonzero(mask)[0]) + 1


def validate_history(frame: pd.DataFrame) -> pd.DataFrame:
    """Check a ``series_id, period, quantity`` frame and return it clean.

    Raises ``PlanningInputError`` naming the first bad row (1-based, in the order given) and column: a
    missing column, an empty series_id, an unparseable period, a missing, non-finite or negative quantity,
    or a (series_id, week) given twice. Periods are moved to the Monday of their week. The result is sorted
    by series_id and period, and each series' missing weeks between its first and last period are 0.
    """
    for column in HISTORY_COLUMNS:
        if column not in frame.columns:
            raise PlanningInputError("missing column", column=column)
    ids = frame["series_id"]
    id_text = ids.astype("str").str.strip()
    bad_id = (ids.isna() | (id_text == "")).to_numpy()
    if bad_id.any():
        raise PlanningInputError("series_id is empty", row=_first(bad_id), column="series_id")

    raw_period = frame["period"]
    if pd.api.types.is_datetime64_any_dtype(raw_period):
        period = pd.to_datetime(raw_period)
    else:
        period = pd.to_datetime(raw_period.astype("str").str.strip(), errors="coerce", format="ISO8601")
    bad_period = period.isna().to_numpy()
    if bad_period.any():
        row = _first(bad_period)
        value = raw_period.iloc[row - 1]
        raise PlanningInputError(f"not a date (YYYY-MM-DD): {value!r}", row=row, column="period")

    raw_qty = frame["quantity"]
    qty = pd.to_numeric(raw_qty, errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
    bad_qty = ~np.isfinite(qty)
    if bad_qty.any():
        row = _first(bad_qty)
        raise PlanningInputError(f"not a number: {raw_qty.iloc[row - 1]!r}", row=row, column="quantity")
    negative = qty < 0
    if negative.any():
        row = _first(negative)
        raise PlanningInputError(f"negative quantity: {qty[row - 1]:g}", row=row, column="quantity")

    week = monday(period)
    clean = pd.DataFrame({"series_id": id_text.to_numpy(), "period": week, "quantity": qty})
    duplicate = clean.duplicated(["series_id", "period"], keep="first").to_numpy()
    if duplicate.any():
        row = _first(duplicate)
        raise PlanningInputError(
            f"series {clean['series_id'].iloc[row - 1]!r} has week {str(week[row - 1])[:10]} twice",
            row=row,
            column="period",
        )
    return densify(clean)


def densify(clean: pd.DataFrame) -> pd.DataFrame:
    """Sort by series and week and fill each series' missing weeks (between its first and last) with 0."""
    codes, uniques = pd.factorize(clean["series_id"], sort=True)
    # week number counted from Monday 1970-01-05 (day 4 of the epoch)
    weeks = (
        clean["period"].to_numpy(dtype="datetime64[ns]").astype("datetime64[D]").astype("int64") - 4
    ) // 7
    n_series = len(uniques)
    first = np.full(n_series, np.iinfo("int64").max)
    last = np.full(n_series, np.iinfo("int64").min)
    np.minimum.at(first, codes, weeks)
    np.maximum.at(last, codes, weeks)
    length = last - first + 1
    start = np.cumsum(length) - length  # each series' first row (empty for an empty history)
    total = int(length.sum())
    series_code = np.repeat(np.arange(n_series), length)
    offset = np.arange(total) - np.repeat(start, length)
    week_no = np.repeat(first, length) + offset
    quantity = np.zeros(total)
    quantity[start[codes] + (weeks - first[codes])] = clean["quantity"].to_numpy(dtype="float64")
    return pd.DataFrame(
        {
            "series_id": pd.array(np.asarray(uniques, dtype=object)[series_code], dtype="str"),
            "period": (week_no * 7 + 4).astype("datetime64[D]").astype("datetime64[ns]"),
            "quantity": quantity,
        }
    )
