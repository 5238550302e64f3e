"""``mitra forecast``: CSV in, CSV out, no database; bad input names the row and column and writes nothing."""

import io
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError


def write_history(
    path: Path, weeks: int = 70, series: tuple[str, ...] = ("item-1:store-1", "item-2:store-1")
) -> None:
    rng = np.random.default_rng(1)
    periods = pd.date_range("2024-01-01", periods=weeks, freq="W-MON").strftime("%Y-%m-%d")
    rows = [
        {"series_id": sid, "period": p, "quantity": int(q)}
        for sid in series
        for p, q in zip(periods, rng.poisson(20, weeks), strict=True)
    ]
    pd.DataFrame(rows).to_csv(path, index=False)


def test_forecast_writes_one_row_per_series_and_week(tmp_path):
    source, target = tmp_path / "history.csv", tmp_path / "forecast.csv"
    write_history(source)
    out = io.StringIO()
    call_command(
        "forecast",
        "--input",
        str(source),
        "--output",
        str(target),
        "--horizon",
        "5",
        "--season-length",
        "4",
        stdout=out,
    )
    result = pd.read_csv(target, dtype={"series_id": "str", "period": "str"})
    assert list(result.columns) == ["series_id", "period", "forecast", "lo_80", "hi_80"]
    assert result.groupby("series_id").size().to_dict() == {"item-1:store-1": 5, "item-2:store-1": 5}
    assert result["period"].iloc[:5].tolist() == [
        "2025-05-05",
        "2025-05-12",
        "2025-05-19",
        "2025-05-26",
        "2025-06-02",
    ]
    assert (result["lo_80"] <= result["forecast"]).all() and (result["forecast"] <= result["hi_80"]).all()
    assert (result["lo_80"] >= 0).all()
    assert "Wrote 10 forecast weeks for 2 series to" in out.getvalue()


def test_level_names_the_interval_columns_and_cheap_tier_without_holidays(tmp_path):
    source, target = tmp_path / "history.csv", tmp_path / "forecast.csv"
    write_history(source, weeks=20)
    call_command(
        "forecast",
        f"--input={source}",
        f"--output={target}",
        "--horizon=3",
        "--level=95",
        "--tier=cheap",
        "--no-holidays",
        stdout=io.StringIO(),
    )
    result = pd.read_csv(target)
    assert list(result.columns) == ["series_id", "period", "forecast", "lo_95", "hi_95"]
    assert len(result) == 6


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("item-1:store-1,2024-01-15,abc", "row 3 (line 4), column quantity: not a number: 'abc'"),
        (
            "item-1:store-1,15/01/2024,4",
            "row 3 (line 4), column period: not a date (YYYY-MM-DD): '15/01/2024'",
        ),
        ("item-1:store-1,2024-01-15,-2", "row 3 (line 4), column quantity: negative quantity: -2"),
        ("item-1:store-1,2024-01-08,4", "row 3 (line 4), column period: series 'item-1:store-1' has week"),
    ],
)
def test_bad_input_names_row_and_column_and_writes_no_file(tmp_path, line, message):
    source, target = tmp_path / "history.csv", tmp_path / "forecast.csv"
    source.write_text(
        "series_id,period,quantity\nitem-1:store-1,2024-01-01,3\nitem-1:store-1,2024-01-08,5\n" + line + "\n"
    )
    with pytest.raises(CommandError) as caught:
        call_command("forecast", "--input", str(source), "--output", str(target), "--horizon", "2")
    assert f"{source}, {message}" in str(caught.value)
    assert not target.exists()
    assert list(tmp_path.iterdir()) == [source]  # no temporary file left behind either


def test_missing_column_and_missing_file(tmp_path):
    source, target = tmp_path / "history.csv", tmp_path / "forecast.csv"
    source.write_text("series_id,week,quantity\na,2024-01-01,3\n")
    with pytest.raises(CommandError, match=r"history\.csv, column period: missing column"):
        call_command("forecast", "--input", str(source), "--output", str(target))
    with pytest.raises(CommandError, match=r"nothing\.csv: no such file\."):
        call_command("forecast", "--input", str(tmp_path / "nothing.csv"), "--output", str(target))
    assert not target.exists()


def test_a_failed_run_leaves_an_earlier_output_untouched(tmp_path):
    source, target = tmp_path / "history.csv", tmp_path / "forecast.csv"
    target.write_text("earlier\n")
    source.write_text("series_id,period,quantity\na,2024-01-01,\n")
    with pytest.raises(CommandError, match=r"row 1 \(line 2\), column quantity: not a number: ''"):
        call_command("forecast", "--input", str(source), "--output", str(target))
    assert target.read_text() == "earlier\n"
