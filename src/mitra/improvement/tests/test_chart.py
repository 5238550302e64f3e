"""The KPI chart's geometry."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from mitra.improvement.chart import kpi_chart


def test_points_run_left_to_right_in_time_and_higher_values_sit_higher():
    day = dt.date(2026, 1, 1)
    chart = kpi_chart(
        [(day + dt.timedelta(days=60), Decimal("95")), (day, Decimal("91"))], Decimal("90"), Decimal("98")
    )
    first, last = chart.dots
    assert (first.on, last.on) == (day, day + dt.timedelta(days=60))
    assert first.x == chart.left and last.x == chart.right
    assert last.y < first.y  # SVG y grows downwards
    assert chart.target_y < last.y < first.y < chart.baseline_y
    assert chart.top <= chart.target_y and chart.baseline_y <= chart.bottom
    assert chart.line == f"{first.x},{first.y} {last.x},{last.y}"


def test_a_single_measurement_is_centred_and_no_measurement_draws_no_dots():
    chart = kpi_chart([(dt.date(2026, 1, 1), Decimal("5"))], Decimal("7"), Decimal("4"))
    assert len(chart.dots) == 1 and chart.dots[0].x == (chart.left + chart.right) / 2
    assert chart.baseline_y < chart.target_y  # decreasing KPI: the target is below
    assert kpi_chart([], Decimal("7"), Decimal("4")).dots == []
