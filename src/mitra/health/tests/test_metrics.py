from __future__ import annotations

import pandas as pd
import pytest

from mitra.health.engine import metrics as M
from mitra.health.tests.helpers import frame, row


def test_a_valid_frame_is_returned_sorted_by_keys() -> None:
    df = frame(row(2, 0), row(1, 1), row(1, 0))
    out = M.validate(df)
    assert out[["partnership_id", "week"]].values.tolist() == [
        [1, pd.Timestamp("2026-03-02")],
        [1, pd.Timestamp("2026-03-09")],
        [2, pd.Timestamp("2026-03-02")],
    ]
    assert list(out.index) == [0, 1, 2]


def test_the_empty_template_is_valid() -> None:
    assert M.validate(M.empty_metrics()).shape == (0, len(M.COLUMNS))


def test_missing_columns_are_all_named() -> None:
    df = frame(row()).drop(columns=["csat", "bridges_live"])
    with pytest.raises(M.MetricsError, match=r"missing columns: bridges_live, csat"):
        M.validate(df)


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("cases_total", "five", r"column cases_total must be numeric"),
        ("single_threaded", 1, r"column single_threaded must be bool"),
        ("partnership_id", 1.5, r"column partnership_id must be integer"),
        ("week", "2026-03-02", r"column week must be datetime64"),
    ],
)
def test_a_wrong_dtype_is_named(column: str, value: object, message: str) -> None:
    df = frame(row())
    df[column] = pd.Series([value], dtype=object if isinstance(value, str) else None)
    with pytest.raises(M.MetricsError, match=message):
        M.validate(df)


def test_counts_cannot_be_negative_or_nan() -> None:
    df = frame(row())
    df["deliveries"] = -1
    with pytest.raises(M.MetricsError, match="deliveries is a count and cannot be negative"):
        M.validate(df)
    df["deliveries"] = float("nan")
    with pytest.raises(M.MetricsError, match="deliveries is a count and cannot be NaN"):
        M.validate(df)


def test_ranges_are_checked() -> None:
    with pytest.raises(M.MetricsError, match=r"column pulse_trust must be within \[1.0, 5.0\]"):
        M.validate(frame(row(pulse_trust=0.0)))


def test_week_must_be_a_monday_and_keys_unique() -> None:
    with pytest.raises(M.MetricsError, match="Monday"):
        M.validate(frame(row(week=0) | {"week": pd.Timestamp("2026-03-03")}))
    with pytest.raises(M.MetricsError, match="duplicate"):
        M.validate(frame(row(1, 0), row(1, 0)))
