"""The Health Index charts, drawn server-side as inline SVG strings (no JavaScript, no CDN, print-ready).

Pure functions over plain numbers: scores are 0–100 on a fixed scale, so every chart of every partnership
reads the same way; a week without a score (``None``) is a gap in the line, never a drop to 0. Every
text that reaches the SVG is escaped; every chart is ``role="img"`` with an accessible name and a
``<title>``, and each scored week of the trend chart has its own ``<title>`` for hovering.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

Point = tuple[dt.date, float | None]
Formatter = Callable[[float], str]
DateFormatter = Callable[[dt.date], str]

SPARK_WIDTH, SPARK_HEIGHT, SPARK_PAD = 120, 28, 3
TREND_WIDTH, TREND_HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 40, 16, 12, 40
Y_TICKS = (0, 25, 50, 75, 100)
BAR_WIDTH, BAR_HEIGHT = 200, 14


def _number(value: float) -> str:
    return f"{value:.0f}"


def _clip(value: float) -> float:
    return min(100.0, max(0.0, value))


def _r(value: float) -> str:
    """An SVG coordinate: one decimal, without a trailing ``.0``."""
    text = f"{round(value, 1):.1f}"
    return text[:-2] if text.endswith(".0") else text


def segments(points: Sequence[Point]) -> list[list[int]]:
    """Indices of the runs of consecutive scored weeks: a missing score or a missing week breaks the line."""
    runs: list[list[int]] = []
    previous: dt.date | None = None
    for i, (week, score) in enumerate(points):
        if score is None or score != score:  # None or NaN
            previous = None
            continue
        if previous is not None and runs and (week - previous).days <= 7:
            runs[-1].append(i)
        else:
            runs.append([i])
        previous = week
    return runs


def _x_positions(points: Sequence[Point], left: float, right: float) -> list[float]:
    """x by the week's distance from the first week, so a week missing from the series leaves its space."""
    if not points:
        return []
    first, last = points[0][0], points[-1][0]
    span = (last - first).days
    if span <= 0:
        return [(left + right) / 2] * len(points)
    return [left + (week - first).days / span * (right - left) for week, _s in points]


def _svg_open(width: int, height: int, css: str, label: str, testid: str) -> str:
    label = escape(label)
    return (
        f'<svg class="{css}" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'role="img" aria-label="{label}" data-testid="{testid}" xmlns="http://www.w3.org/2000/svg">'
        f"<title>{label}</title>"
    )


def sparkline(points: Sequence[Point], *, label: str = "") -> SafeString:
    """A small 0–100 line of the last weeks (oldest first), the latest score marked with a dot."""
    w, h, pad = SPARK_WIDTH, SPARK_HEIGHT, SPARK_PAD
    xs = _x_positions(points, pad, w - pad)

    def y_of(score: float) -> float:
        return h - pad - _clip(score) / 100 * (h - 2 * pad)

    parts = [_svg_open(w, h, "health-spark", label, "sparkline")]
    for run in segments(points):
        coords = [(xs[i], y_of(float(points[i][1] or 0))) for i in run]
        if len(coords) == 1:
            x, y = coords[0]
            parts.append(f'<circle class="health-spark__point" cx="{_r(x)}" cy="{_r(y)}" r="1.5"/>')
        else:
            line = " ".join(f"{_r(x)},{_r(y)}" for x, y in coords)
            parts.append(f'<polyline class="health-spark__line" points="{line}"/>')
    scored = [i for i, (_w, s) in enumerate(points) if s is not None and s == s]
    if scored:
        i = scored[-1]
        y = y_of(float(points[i][1] or 0))
        parts.append(f'<circle class="health-spark__last" cx="{_r(xs[i])}" cy="{_r(y)}" r="2.5"/>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above went through escape()


def trend_chart(
    points: Sequence[Point],
    red_below: float,
    green_from: float,
    *,
    label: str = "",
    zone_labels: tuple[str, str, str] = ("red", "amber", "green"),
    number: Formatter = _number,
    date: DateFormatter = dt.date.isoformat,
) -> SafeString:
    """The weekly score on a fixed 0–100 axis over shaded red / amber / green zones, with week labels."""
    w, h = TREND_WIDTH, TREND_HEIGHT
    right, bottom = w - RIGHT, h - BOTTOM

    def y_of(score: float) -> float:
        return bottom - _clip(score) / 100 * (bottom - TOP)

    xs = _x_positions(points, LEFT, right)
    parts = [_svg_open(w, h, "health-trend", label, "trend-chart")]
    # band zones: red at the bottom, green at the top, each with its threshold line and name
    red_y, green_y = y_of(red_below), y_of(green_from)
    zones = (
        ("red", red_y, bottom, zone_labels[0]),
        ("amber", green_y, red_y, zone_labels[1]),
        ("green", TOP, green_y, zone_labels[2]),
    )
    for band, top, low, name in zones:
        if low - top <= 0:
            continue
        parts.append(
            f'<rect class="health-zone health-zone--{band}" x="{LEFT}" y="{_r(top)}" '
            f'width="{right - LEFT}" height="{_r(low - top)}"/>'
            f'<text class="health-zone__label" x="{right - 4}" y="{_r(top + 11)}" text-anchor="end">'
            f"{escape(name)}</text>"
        )
    for value, y in ((red_below, red_y), (green_from, green_y)):
        parts.append(
            f'<line class="health-threshold" x1="{LEFT}" y1="{_r(y)}" x2="{right}" y2="{_r(y)}">'
            f"<title>{escape(number(value))}</title></line>"
        )
    # axes and their labels
    for tick in Y_TICKS:
        y = y_of(tick)
        parts.append(
            f'<line class="health-grid" x1="{LEFT - 4}" y1="{_r(y)}" x2="{LEFT}" y2="{_r(y)}"/>'
            f'<text class="health-axis" x="{LEFT - 7}" y="{_r(y)}" text-anchor="end" '
            f'dominant-baseline="middle">{tick}</text>'
        )
    parts.append(
        f'<line class="health-axis-line" x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{bottom}"/>'
        f'<line class="health-axis-line" x1="{LEFT}" y1="{bottom}" x2="{right}" y2="{bottom}"/>'
    )
    if points:
        step = max(1, math.ceil(len(points) / 6))
        labelled = sorted({*range(0, len(points), step), len(points) - 1})
        if len(labelled) > 1 and labelled[-1] - labelled[-2] < step / 2:
            labelled.pop(-2)  # keep the last week's label clear of its neighbour
        for i in labelled:
            anchor = "start" if i == 0 and len(points) > 1 else ("end" if i == len(points) - 1 else "middle")
            if len(points) == 1:
                anchor = "middle"
            parts.append(
                f'<line class="health-grid" x1="{_r(xs[i])}" y1="{bottom}" x2="{_r(xs[i])}" y2="{bottom + 4}"/>'
                f'<text class="health-axis" x="{_r(xs[i])}" y="{bottom + 18}" text-anchor="{anchor}">'
                f"{escape(date(points[i][0]))}</text>"
            )
    # the line, broken where a week has no score, and a dot with its own title per scored week
    for run in segments(points):
        if len(run) > 1:
            line = " ".join(f"{_r(xs[i])},{_r(y_of(float(points[i][1] or 0)))}" for i in run)
            parts.append(f'<polyline class="health-trend__line" points="{line}"/>')
    for i, (week, score) in enumerate(points):
        if score is None or score != score:
            continue
        parts.append(
            f'<circle class="health-trend__point" cx="{_r(xs[i])}" cy="{_r(y_of(score))}" r="3.5">'
            f"<title>{escape(date(week))}: {escape(number(score))}</title></circle>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above went through escape()


def band_of(score: float | None, red_below: float, green_from: float) -> str:
    """The colour band of a score under these thresholds (``no_data`` without a score)."""
    if score is None or score != score:
        return "no_data"
    if score < red_below:
        return "red"
    return "amber" if score < green_from else "green"


def dimension_bar(value: float, red_below: float, green_from: float, *, label: str = "") -> SafeString:
    """One dimension's 0–100 bar, coloured by its band, with tick marks at the two thresholds.

    A dimension without data gets no bar at all (the page says "no data"): never call this with None.
    """
    w, h = BAR_WIDTH, BAR_HEIGHT
    length = _clip(value) / 100 * w
    band = band_of(value, red_below, green_from)
    parts = [
        _svg_open(w, h, "health-bar", label, "dimension-bar"),
        f'<rect class="health-bar__track" x="0" y="0" width="{w}" height="{h}"/>',
        f'<rect class="health-bar__fill health-bar__fill--{band}" x="0" y="0" width="{_r(length)}" height="{h}"/>',
    ]
    for threshold in (red_below, green_from):
        x = _clip(threshold) / 100 * w
        parts.append(f'<line class="health-bar__tick" x1="{_r(x)}" y1="0" x2="{_r(x)}" y2="{h}"/>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above went through escape()
