"""The Indonesian demand calendar: which weeks Ramadan, Lebaran, Christmas, New Year and school start touch.

Dates come from the ``holidays`` package (Idul Fitri moves about eleven days earlier each year). A week is
Monday to Sunday, named by its Monday.
"""

from __future__ import annotations

import datetime as dt

import holidays
import numpy as np
import pandas as pd

EVENT_COLUMNS = (
    "ramadan",
    "lebaran_before",
    "lebaran",
    "lebaran_after",
    "christmas",
    "new_year",
    "school_start",
)
LABELS = {
    "ramadan": "Ramadan",
    "lebaran_before": "Before Lebaran",
    "lebaran": "Lebaran",
    "lebaran_after": "After Lebaran",
    "christmas": "Christmas",
    "new_year": "New Year",
    "school_start": "School start",
}
RAMADAN_DAYS = 30  # Ramadan: the 29 or 30 days before Idul Fitri
SCHOOL_START = (7, 15)  # the Indonesian school year starts in mid-July
_WEEK = np.timedelta64(7, "D")


def _monday(days: np.ndarray) -> np.ndarray:
    days = days.astype("datetime64[D]")
    return days - ((days.astype("int64") + 3) % 7) * np.timedelta64(1, "D")


def holiday_dates(years: range) -> dict[str, np.ndarray]:
    """First days of Idul Fitri, Christmas and New Year in ``years`` (datetime64[D] arrays)."""
    found: dict[str, list[dt.date]] = {"lebaran": [], "christmas": [], "new_year": []}
    for day, name in holidays.country_holidays("ID", years=list(years)).items():
        text = str(name)
        for part in text.split("; "):
            if part.startswith("Eid al-Fitr") and "Second" not in part:
                found["lebaran"].append(day)
            elif part.startswith("Christmas Day"):
                found["christmas"].append(day)
            elif part.startswith("New Year's Day"):
                found["new_year"].append(day)
    return {k: np.array(sorted(v), dtype="datetime64[D]") for k, v in found.items()}


def indonesian_events(start: dt.date, end: dt.date) -> pd.DataFrame:
    """One row per Monday in [start, end]: ``period`` and a bool column per ``EVENT_COLUMNS`` entry."""
    mondays = pd.date_range(pd.Timestamp(start), pd.Timestamp(end), freq="W-MON")
    weeks = mondays.to_numpy().astype("datetime64[D]")
    dates = holiday_dates(range(pd.Timestamp(start).year - 1, pd.Timestamp(end).year + 2))
    eid = _monday(dates["lebaran"])
    ramadan_first = _monday(dates["lebaran"] - np.timedelta64(RAMADAN_DAYS, "D"))
    ramadan_last = _monday(dates["lebaran"] - np.timedelta64(1, "D"))
    ramadan_weeks = np.concatenate(
        [ramadan_first + k * _WEEK for k in range(6)]  # Ramadan spans at most 6 Monday-weeks
    )
    ramadan_end = np.concatenate([ramadan_last for _ in range(6)])
    # the Lebaran week itself is marked as Lebaran only
    ramadan_weeks = ramadan_weeks[(ramadan_weeks <= ramadan_end) & ~np.isin(ramadan_weeks, eid)]
    school = np.array(
        [
            f"{year}-{SCHOOL_START[0]:02d}-{SCHOOL_START[1]:02d}"
            for year in range(start.year - 1, end.year + 2)
        ],
        dtype="datetime64[D]",
    )
    marks = {
        "ramadan": ramadan_weeks,
        "lebaran_before": np.concatenate([eid - _WEEK, eid - 2 * _WEEK]),
        "lebaran": eid,
        "lebaran_after": eid + _WEEK,
        "christmas": _monday(dates["christmas"]),
        "new_year": _monday(dates["new_year"]),
        "school_start": _monday(school),
    }
    frame = pd.DataFrame({"period": mondays.astype("datetime64[ns]")})
    for column in EVENT_COLUMNS:
        frame[column] = np.isin(weeks, marks[column])
    return frame


def event_labels(frame: pd.DataFrame) -> pd.Series:
    """A readable label per row of an ``indonesian_events`` frame (``"Ramadan, Before Lebaran"``; ``""``)."""
    joined = pd.Series("", index=frame.index, dtype="str")
    for column in EVENT_COLUMNS:  # seven columns, each set-wise over all rows
        joined = joined + np.where(frame[column].to_numpy(dtype=bool), LABELS[column] + ", ", "")
    return joined.str.removesuffix(", ")
