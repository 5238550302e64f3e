"""The planning charts, drawn server-side as inline SVG strings (no JavaScript, no CDN, print-ready).

Pure functions over plain numbers and dates. Colours are SVG presentation attributes, not CSS, so a chart
prints and reads the same wherever it is shown. Every text that reaches the SVG is escaped; every chart is
``role="img"`` with an accessible name and a ``<title>``.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from mitra.health.charts import _r

Points = Sequence[tuple[dt.date, float]]
Band = Sequence[tuple[dt.date, float, float]]
Mark = tuple[dt.date, dt.date, str]  # first week, last week, what the calendar says
Formatter = Callable[[float], str]
DateFormatter = Callable[[dt.date], str]

WIDTH, HEIGHT = 760, 290
LEFT, RIGHT, TOP, BOTTOM = 52, 14, 14, 70
WEEK = dt.timedelta(days=7)

# key → (stroke colour, width, dash pattern)
STYLES: dict[str, tuple[str, float, str]] = {
    "history": ("#1f2937", 1.8, ""),
    "statistical": ("#64748b", 1.4, "2 3"),
    "supplier": ("#6d28d9", 1.6, "6 3"),
    "customer": ("#c2410c", 1.6, "6 3"),
    "consensus": ("#0f766e", 2.6, ""),
}
BAND_FILL, MARK_FILL, MARK_TEXT = "#0f766e", "#f59e0b", "#92400e"
AXIS, GRID, TEXT = "#94a3b8", "#e2e8f0", "#475569"
FONT = 'font-family="system-ui, sans-serif"'


def _number(value: float) -> str:
    return f"{value:.0f}"


def nice_step(top: float, ticks: int = 4) -> float:
    """A round step (1, 2 or 5 × 10ⁿ) that covers ``top`` in about ``ticks`` steps."""
    if top <= 0:
        return 1.0
    raw = top / ticks
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        if raw <= factor * power:
            return factor * power
    return 10 * power  # pragma: no cover - the loop always returns


def _open(width: int, height: int, label: str, testid: str) -> str:
    label = escape(label)
    return (
        f'<svg class="planning-chart" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'role="img" aria-label="{label}" data-testid="{testid}" xmlns="http://www.w3.org/2000/svg" '
        f'preserveAspectRatio="xMinYMin meet"><title>{label}</title>'
    )


def series_chart(
    *,
    history: Points,
    lines: Sequence[tuple[str, str, Points]],
    band: Band = (),
    marks: Sequence[Mark] = (),
    now: dt.date | None = None,
    label: str = "",
    history_label: str = "history",
    band_label: str = "interval",
    now_label: str = "now",
    marks_label: str = "calendar",
    number: Formatter = _number,
    date: DateFormatter = dt.date.isoformat,
) -> SafeString:
    """Weekly sell-out history and the forecasts of one series on a shared time axis.

    ``lines`` are ``(key, legend label, points)`` with ``key`` one of ``STYLES``; ``band`` is the
    consensus interval (week, lo, hi); ``marks`` shade the weeks the calendar marks, each with its label.
    A chart with no point at all says nothing but its frame."""
    w, h = WIDTH, HEIGHT
    right, bottom = w - RIGHT, h - BOTTOM
    weeks = [d for d, _v in history] + [d for _k, _l, pts in lines for d, _v in pts] + [d for d, *_ in band]
    values = [v for _d, v in history] + [v for _k, _l, pts in lines for _d, v in pts]
    values += [hi for _d, _lo, hi in band]
    values = [v for v in values if v == v]
    parts = [_open(w, h, label, "series-chart")]
    if not weeks:
        parts.append("</svg>")
        return mark_safe("".join(parts))  # noqa: S308 - every text above went through escape()
    first, last = min(weeks), max(weeks) + WEEK
    span = max(1, (last - first).days)
    step = nice_step(max(values, default=0.0) * 1.05)
    top_value = step * max(1, math.ceil(max(values, default=0.0) * 1.05 / step))

    def x_of(day: dt.date) -> float:
        return LEFT + (day - first).days / span * (right - LEFT)

    def y_of(value: float) -> float:
        return bottom - max(0.0, value) / top_value * (bottom - TOP)

    # the weeks the calendar marks, shaded, their label written upwards inside the shade
    for start, end, text in marks:
        if end + WEEK <= first or start >= last:
            continue
        x0, x1 = x_of(max(start, first)), x_of(min(end + WEEK, last))
        parts.append(
            f'<g class="planning-mark"><rect x="{_r(x0)}" y="{TOP}" width="{_r(max(1.0, x1 - x0))}" '
            f'height="{bottom - TOP}" fill="{MARK_FILL}" fill-opacity="0.16"><title>{escape(text)}</title></rect>'
            f'<text x="{_r(x0 + 3)}" y="{TOP + 4}" transform="rotate(90 {_r(x0 + 3)} {TOP + 4})" '
            f'font-size="9" fill="{MARK_TEXT}" {FONT}>{escape(text)}</text></g>'
        )
    # the value axis and its grid
    tick = 0.0
    while tick <= top_value + 1e-9:
        y = y_of(tick)
        parts.append(
            f'<line x1="{LEFT}" y1="{_r(y)}" x2="{right}" y2="{_r(y)}" stroke="{GRID}" stroke-width="1"/>'
            f'<text x="{LEFT - 6}" y="{_r(y)}" text-anchor="end" dominant-baseline="middle" font-size="10" '
            f'fill="{TEXT}" {FONT}>{escape(number(tick))}</text>'
        )
        tick += step
    parts.append(
        f'<line x1="{LEFT}" y1="{bottom}" x2="{right}" y2="{bottom}" stroke="{AXIS}" stroke-width="1"/>'
    )
    # week labels: about six, the first and the last included
    all_weeks = sorted(set(weeks))
    every = max(1, math.ceil(len(all_weeks) / 6))
    shown = sorted({*range(0, len(all_weeks), every), len(all_weeks) - 1})
    if len(shown) > 1 and shown[-1] - shown[-2] < every / 2:
        shown.pop(-2)
    for i in shown:
        x = x_of(all_weeks[i])
        anchor = "start" if i == 0 else ("end" if i == len(all_weeks) - 1 else "middle")
        parts.append(
            f'<line x1="{_r(x)}" y1="{bottom}" x2="{_r(x)}" y2="{bottom + 4}" stroke="{AXIS}"/>'
            f'<text x="{_r(x)}" y="{bottom + 16}" text-anchor="{anchor}" font-size="10" fill="{TEXT}" '
            f"{FONT}>{escape(date(all_weeks[i]))}</text>"
        )
    # the consensus interval
    band = sorted((d, lo, hi) for d, lo, hi in band if lo == lo and hi == hi)
    if band:
        upper = " ".join(f"{_r(x_of(d))},{_r(y_of(hi))}" for d, _lo, hi in band)
        lower = " ".join(f"{_r(x_of(d))},{_r(y_of(lo))}" for d, lo, _hi in reversed(band))
        parts.append(
            f'<polygon class="planning-band" points="{upper} {lower}" fill="{BAND_FILL}" fill-opacity="0.15" '
            f'stroke="none"><title>{escape(band_label)}</title></polygon>'
        )
    # now: where the history ends and the plan begins
    if now is not None and first <= now <= last:
        x = x_of(now)
        parts.append(
            f'<line x1="{_r(x)}" y1="{TOP}" x2="{_r(x)}" y2="{bottom}" stroke="{TEXT}" stroke-width="1" '
            f'stroke-dasharray="3 3"/><text x="{_r(x - 3)}" y="{bottom - 4}" text-anchor="end" font-size="9" '
            f'fill="{TEXT}" {FONT}>{escape(now_label)}</text>'
        )
    drawn: list[tuple[str, str]] = []
    for key, name, pts in [("history", history_label, history), *lines]:
        pts = sorted((d, v) for d, v in pts if v == v)
        if not pts:
            continue
        colour, width, dash = STYLES.get(key, STYLES["statistical"])
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        if len(pts) == 1:
            d, v = pts[0]
            parts.append(
                f'<circle class="planning-line planning-line--{key}" cx="{_r(x_of(d))}" cy="{_r(y_of(v))}" '
                f'r="2.5" fill="{colour}"><title>{escape(name)}</title></circle>'
            )
        else:
            coords = " ".join(f"{_r(x_of(d))},{_r(y_of(v))}" for d, v in pts)
            parts.append(
                f'<polyline class="planning-line planning-line--{key}" points="{coords}" fill="none" '
                f'stroke="{colour}" stroke-width="{width}"{dash_attr} stroke-linejoin="round">'
                f"<title>{escape(name)}</title></polyline>"
            )
        drawn.append((key, name))
    # the legend, in one row under the axis
    x, y = float(LEFT), h - 18
    if band:
        parts.append(
            f'<rect x="{_r(x)}" y="{y - 6}" width="18" height="10" fill="{BAND_FILL}" fill-opacity="0.15"/>'
            f'<text x="{_r(x + 22)}" y="{y}" dominant-baseline="middle" font-size="10" fill="{TEXT}" {FONT}>'
            f"{escape(band_label)}</text>"
        )
        x += 30 + 6 * len(band_label)
    for key, name in drawn:
        colour, width, dash = STYLES.get(key, STYLES["statistical"])
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append(
            f'<line x1="{_r(x)}" y1="{y}" x2="{_r(x + 18)}" y2="{y}" stroke="{colour}" '
            f'stroke-width="{width}"{dash_attr}/>'
            f'<text x="{_r(x + 22)}" y="{y}" dominant-baseline="middle" font-size="10" fill="{TEXT}" {FONT}>'
            f"{escape(name)}</text>"
        )
        x += 30 + 6 * len(name)
    if marks:
        parts.append(
            f'<rect x="{_r(x)}" y="{y - 6}" width="18" height="10" fill="{MARK_FILL}" fill-opacity="0.3"/>'
            f'<text x="{_r(x + 22)}" y="{y}" dominant-baseline="middle" font-size="10" fill="{TEXT}" {FONT}>'
            f"{escape(marks_label)}</text>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above went through escape()


def comparison_chart(
    rows: Sequence[tuple[str, float | None, float | None, str, str]],
    *,
    names: tuple[str, str] = ("push", "partnering"),
    label: str = "",
) -> SafeString:
    """Two policies side by side, one pair of horizontal bars per measure. Each measure has its own
    scale (its larger value fills the bar), since stock, weeks and percentages do not share a unit.

    ``rows`` are ``(measure, first value, second value, first text, second text)``."""
    row_h, bar_h, label_w, w = 46, 15, 210, WIDTH
    h = 34 + row_h * len(rows)
    track = w - label_w - 110
    colours = ("#b45309", "#0f766e")
    parts = [_open(w, h, label, "comparison-chart")]
    for i, name in enumerate(names):
        x = label_w + i * 160
        parts.append(
            f'<rect x="{x}" y="6" width="14" height="12" fill="{colours[i]}"/>'
            f'<text x="{x + 20}" y="12" dominant-baseline="middle" font-size="12" fill="{TEXT}" {FONT}>'
            f"{escape(name)}</text>"
        )
    for n, (measure, a, b, a_text, b_text) in enumerate(rows):
        y = 30 + n * row_h
        parts.append(
            f'<text x="{label_w - 10}" y="{y + bar_h + 2}" text-anchor="end" dominant-baseline="middle" '
            f'font-size="12" fill="#1f2937" {FONT}>{escape(measure)}</text>'
        )
        known = [abs(v) for v in (a, b) if v is not None and v == v]
        top = max(known, default=0.0) or 1.0
        for i, (value, text) in enumerate(((a, a_text), (b, b_text))):
            by = y + i * (bar_h + 3)
            length = 0.0 if value is None or value != value else abs(value) / top * track
            parts.append(
                f'<rect x="{label_w}" y="{by}" width="{_r(max(length, 1.0))}" height="{bar_h}" '
                f'fill="{colours[i]}"><title>{escape(names[i])}: {escape(text)}</title></rect>'
                f'<text x="{_r(label_w + max(length, 1.0) + 6)}" y="{by + bar_h / 2:.1f}" '
                f'dominant-baseline="middle" font-size="11" fill="{TEXT}" {FONT}>{escape(text)}</text>'
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above went through escape()
