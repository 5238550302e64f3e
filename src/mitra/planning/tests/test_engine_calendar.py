import datetime as dt

import pandas as pd

from mitra.planning.engine.calendar import EVENT_COLUMNS, event_labels, holiday_dates, indonesian_events


def weeks(frame: pd.DataFrame, column: str) -> list[str]:
    return [str(p.date()) for p in frame.loc[frame[column], "period"]]


def test_one_row_per_monday_with_bool_event_columns():
    frame = indonesian_events(dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    assert list(frame.columns) == ["period", *EVENT_COLUMNS]
    assert len(frame) == 52
    assert str(frame["period"].iloc[0].date()) == "2025-01-06"
    assert str(frame["period"].iloc[-1].date()) == "2025-12-29"
    assert (frame["period"].dt.day_of_week == 0).all()
    assert all(frame[c].dtype == bool for c in EVENT_COLUMNS)


def test_lebaran_2025_and_2026_weeks():
    frame = indonesian_events(dt.date(2025, 1, 1), dt.date(2026, 12, 31))
    # Idul Fitri 2025-03-31 (a Monday) and 2026-03-20 (a Friday, week of Monday 2026-03-16)
    assert weeks(frame, "lebaran") == ["2025-03-31", "2026-03-16"]
    assert weeks(frame, "lebaran_before") == ["2025-03-17", "2025-03-24", "2026-03-02", "2026-03-09"]
    assert weeks(frame, "lebaran_after") == ["2025-04-07", "2026-03-23"]


def test_ramadan_is_the_weeks_before_lebaran():
    frame = indonesian_events(dt.date(2025, 1, 1), dt.date(2026, 12, 31))
    assert weeks(frame, "ramadan") == [
        # 2025: Ramadan 1 March – 30 March
        "2025-02-24",
        "2025-03-03",
        "2025-03-10",
        "2025-03-17",
        "2025-03-24",
        # 2026: Ramadan from 18 February; the Lebaran week itself is marked Lebaran only
        "2026-02-16",
        "2026-02-23",
        "2026-03-02",
        "2026-03-09",
    ]


def test_christmas_new_year_and_school_start():
    frame = indonesian_events(dt.date(2025, 1, 1), dt.date(2026, 1, 31))
    assert weeks(frame, "christmas") == ["2025-12-22"]
    assert weeks(frame, "new_year") == ["2025-12-29"]
    assert weeks(frame, "school_start") == ["2025-07-14"]


def test_lebaran_moves_about_eleven_days_earlier_each_year():
    days = holiday_dates(range(2023, 2027))["lebaran"]
    assert [str(d) for d in days] == ["2023-04-22", "2024-04-10", "2025-03-31", "2026-03-20"]
    # a lunar (Hijri) year is 354 or 355 days: 10 to 11 days shorter than the solar year
    assert (days[1:] - days[:-1]).astype(int).tolist() == [354, 355, 354]


def test_event_labels():
    frame = indonesian_events(dt.date(2025, 3, 17), dt.date(2025, 4, 14))
    assert event_labels(frame).tolist() == [
        "Ramadan, Before Lebaran",
        "Ramadan, Before Lebaran",
        "Lebaran",
        "After Lebaran",
        "",
    ]
