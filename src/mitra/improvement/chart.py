"""Geometry of the KPI chart, drawn server-side as inline SVG (no JavaScript, no CDN).

Pure functions over plain numbers: the template only places what this computes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

WIDTH = 640
HEIGHT = 240
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 16, 32


@dataclass(frozen=True)
class Dot:
    x: float
    y: float
    on: dt.date
    value: Decimal


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    left: int
    right: float
    top: int
    bottom: float
    dots: list[Dot]
    line: str
    baseline_y: float
    target_y: float
    y_max: float
    y_min: float
    first: dt.date | None
    last: dt.date | None


def kpi_chart(points: list[tuple[dt.date, Decimal]], baseline: Decimal, target: Decimal) -> Chart:
    """Place dated values on a time axis, with the baseline and target as horizontal guides."""
    values = [float(v) for _d, v in points] + [float(baseline), float(target)]
    low, high = min(values), max(values)
    pad = (high - low) * 0.08 or 1.0
    low, high = low - pad, high + pad
    right, bottom = WIDTH - RIGHT, HEIGHT - BOTTOM

    def y_of(value: float) -> float:
        return round(bottom - (value - low) / (high - low) * (bottom - TOP), 1)

    dates = [d for d, _v in points]
    first, last = (min(dates), max(dates)) if dates else (None, None)
    span = (last - first).days if first and last else 0

    def x_of(day: dt.date) -> float:
        if not span or first is None:
            return round((LEFT + right) / 2, 1)
        return round(LEFT + (day - first).days / span * (right - LEFT), 1)

    dots = [Dot(x=x_of(d), y=y_of(float(v)), on=d, value=v) for d, v in sorted(points)]
    return Chart(
        width=WIDTH,
        height=HEIGHT,
        left=LEFT,
        right=right,
        top=TOP,
        bottom=bottom,
        dots=dots,
        line=" ".join(f"{dot.x},{dot.y}" for dot in dots),
        baseline_y=y_of(float(baseline)),
        target_y=y_of(float(target)),
        y_max=high,
        y_min=low,
        first=first,
        last=last,
    )
