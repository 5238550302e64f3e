"""The quarterly review as a document: HTML (``render_html``) and PDF (``render_pdf``, with WeasyPrint).

The charts are the pages' own: the health trend and dimension bars (``mitra.health.charts``), the planning
series chart (``mitra.planning.charts``) and the KPI chart geometry (``mitra.improvement.chart``), inline
SVG that WeasyPrint draws as vectors. Text is rendered under ``translation.override(lang)``; money and dates
go through Babel in the reader's language. WeasyPrint fetches nothing: its URL fetcher allows only
``data:`` URLs, so neither the internet nor the local disk is ever read while rendering.
"""

from __future__ import annotations

import re
from typing import Any

from babel.numbers import format_decimal
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from mitra.core.errors import Invalid
from mitra.health import charts as health_charts
from mitra.health.labels import BAND_LABELS, dimension_label
from mitra.improvement.chart import kpi_chart
from mitra.planning import charts as planning_charts
from mitra.reviews.builder import Review
from mitra.web import formatting

FORMATS = ("pdf", "html")

# The pages colour the health and KPI charts through their CSS classes (mitra.css). WeasyPrint draws an
# inline SVG with the SVG's own style sheet only, so each chart carries these rules inside it.
CHART_CSS = """
.health-bar__track { fill: #eef2f1; }
.health-bar__fill--green { fill: #16a34a; }
.health-bar__fill--amber { fill: #d97706; }
.health-bar__fill--red { fill: #dc2626; }
.health-bar__tick { stroke: #4b5a55; stroke-width: 1; stroke-dasharray: 2 2; }
.health-zone--red { fill: #fee2e2; }
.health-zone--amber { fill: #fef3c7; }
.health-zone--green { fill: #dcfce7; }
.health-zone__label { font-size: 10px; fill: #4b5a55; }
.health-threshold { stroke: #4b5a55; stroke-width: 1; stroke-dasharray: 5 4; fill: none; }
.health-grid, .health-axis-line { stroke: #4b5a55; stroke-width: 1; fill: none; }
.health-axis { font-size: 11px; fill: #4b5a55; }
.health-trend__line { fill: none; stroke: #115e59; stroke-width: 2.5; stroke-linejoin: round; }
.health-trend__point { fill: #115e59; stroke: #fff; stroke-width: 1; }
.improvement-chart__grid { stroke: #dfe5e3; stroke-width: 1; fill: none; }
.improvement-chart__baseline { stroke: #6b7a75; stroke-dasharray: 4 4; stroke-width: 1.5; fill: none; }
.improvement-chart__target { stroke: #166534; stroke-dasharray: 6 3; stroke-width: 1.5; fill: none; }
.improvement-chart__line { fill: none; stroke: #0f766e; stroke-width: 2.5; }
.improvement-chart__dot { fill: #0f766e; }
text { font-family: "DejaVu Sans", sans-serif; font-size: 11px; fill: #4b5a55; }
"""


def styled(svg: str) -> SafeString:
    """A chart of the pages with ``CHART_CSS`` inside it, right after its opening tag."""
    end = svg.index(">") + 1
    return mark_safe(f"{svg[:end]}<style>{CHART_CSS}</style>{svg[end:]}")  # noqa: S308 - our own markup


def languages() -> tuple[str, ...]:
    return tuple(code for code, _name in settings.LANGUAGES)


def check_language(lang: str | None, field_name: str = "lang") -> str:
    """``en`` or ``id`` (any configured language); else ``Invalid`` naming the field."""
    code = (lang or "").strip().lower()
    if code not in languages():
        raise Invalid({field_name: [_("Choose one of: %(codes)s.") % {"codes": ", ".join(languages())}]})
    return code


def check_format(fmt: str | None, field_name: str = "format") -> str:
    code = (fmt or "").strip().lower()
    if code not in FORMATS:
        raise Invalid({field_name: [_("Choose one of: %(codes)s.") % {"codes": ", ".join(FORMATS)}]})
    return code


def _number(value: float | None, pattern: str = "#,##0.#") -> str:
    if value is None or value != value:
        return "—"
    return format_decimal(float(value), format=pattern, locale=formatting.babel_locale())


def _criterion(key: str) -> str:
    """The planning pages' own label of an exception criterion."""
    from mitra.planning.forms import CRITERIA

    return str(CRITERIA.get(key, key))


def css_string(text: str) -> SafeString:
    """``text`` as a quoted CSS string for the ``@page`` margin boxes: everything but letters, digits and
    spaces escaped as ``\\hex `` (so no name can close the string or the style element)."""
    body = "".join(ch if ch.isalnum() or ch == " " else f"\\{ord(ch):x} " for ch in text[:200])
    return mark_safe(f'"{body}"')  # noqa: S308 - every special character is escaped above


def page_numbers() -> SafeString:
    """The CSS ``content`` of the page footer: "Page X of Y" in the document's language and word order."""
    pieces = re.split(r"(%\(page\)s|%\(pages\)s)", _("Page %(page)s of %(pages)s"))
    counters = {"%(page)s": "counter(page)", "%(pages)s": "counter(pages)"}
    parts = [counters.get(piece) or css_string(piece) for piece in pieces if piece]
    return mark_safe(" ".join(parts))  # noqa: S308 - the literal pieces went through css_string


def _week(day: Any) -> str:
    return formatting.date(day, "medium")


def context(review: Review) -> dict[str, Any]:
    """What the template shows, with every chart drawn (call under the document's language)."""
    health = review.health
    trend = None
    if any(score is not None for _w, score in health.points):
        trend = styled(
            health_charts.trend_chart(
                health.points,
                health.red_below,
                health.green_from,
                label=_("Health score by week, %(quarter)s and the quarter before")
                % {"quarter": review.quarter},
                zone_labels=(str(BAND_LABELS["red"]), str(BAND_LABELS["amber"]), str(BAND_LABELS["green"])),
                number=lambda v: _number(v),
                date=_week,
            )
        )
    dimensions = [
        {
            "label": dimension_label(key),
            "value": value,
            "score": _number(value, "0"),
            "band": health_charts.band_of(value, health.red_below, health.green_from),
            "band_label": BAND_LABELS[health_charts.band_of(value, health.red_below, health.green_from)],
            "bar": None
            if value is None
            else styled(
                health_charts.dimension_bar(
                    value,
                    health.red_below,
                    health.green_from,
                    label=f"{dimension_label(key)}: {_number(value, '0')}",
                )
            ),
        }
        for key, value in health.dimensions
    ]
    initiatives = []
    for part in review.initiatives:
        initiative = part.initiative
        initiatives.append(
            {
                "i": initiative,
                "progress": _number(getattr(initiative, "progress", None), "0"),
                "chart": kpi_chart(part.points, initiative.baseline, initiative.target)
                if part.points
                else None,
            }
        )
    planning = None
    if review.planning is not None:
        plan = review.planning
        chart = None
        if plan.history or plan.frozen:
            chart = planning_charts.series_chart(
                history=plan.history,
                lines=[("consensus", _("Frozen consensus forecast"), plan.frozen)],
                label=_("Sell-out and the frozen forecast, all items and locations, %(quarter)s")
                % {"quarter": review.quarter},
                history_label=_("Sell-out"),
                band_label=_("Consensus interval"),
                now_label=_("this week"),
                marks_label=_("Marked by the Indonesian calendar"),
                number=lambda v: _number(v, "#,##0"),
                date=_week,
            )
        planning = {
            "p": plan,
            "chart": chart,
            "wape": _number(plan.wape, "0.#"),
            "agreed_wape": _number(plan.agreed_wape, "0.#"),
            "over": plan.wape is not None and plan.agreed_wape is not None and plan.wape > plan.agreed_wape,
            "cycles": [
                {
                    **c,
                    "forecast_text": _number(c["forecast"], "#,##0"),
                    "actual_text": _number(c["actual"], "#,##0"),
                    "wape_text": _number(c["wape"], "0.#"),
                }
                for c in plan.cycles
            ],
            "by_criterion": [{**r, "label": _criterion(r["criterion"])} for r in plan.by_criterion],
            "open": [{"e": e, "label": _criterion(e.criterion)} for e in plan.open_exceptions],
        }
    return {
        "r": review,
        "p": review.partnership,
        "health": health,
        "health_score": _number(health.latest.score if health.latest else None, "0"),
        "health_change": _number(health.change, "+0;-0") if health.change is not None else "—",
        "health_band": BAND_LABELS.get(health.latest.band if health.latest else "no_data", ""),
        "trend": trend,
        "dimensions": dimensions,
        "initiatives": initiatives,
        "planning": planning,
        "language": translation.get_language(),
        "chart_css": mark_safe(CHART_CSS),  # noqa: S308 - a constant
        "running_head": css_string(f"{review.supplier.name} ⇄ {review.customer.name}"),
        "page_numbers": page_numbers(),
    }


def render_html(review: Review, lang: str) -> str:
    """The review as one standalone HTML page (its CSS inline, nothing to fetch), in ``lang``."""
    lang = check_language(lang)
    with translation.override(lang):
        return render_to_string("reviews/review.html", context(review))


def render_pdf(review: Review, lang: str) -> bytes:
    """The review as an A4 PDF in ``lang``."""
    from weasyprint import HTML, URLFetcher

    html = render_html(review, lang)
    fetcher = URLFetcher(allowed_protocols=("data",), timeout=1)
    document = HTML(string=html, base_url=None, url_fetcher=fetcher)
    pdf = document.write_pdf()
    assert pdf is not None
    return pdf


def filename(review: Review, lang: str, fmt: str) -> str:
    return f"review-{review.partnership.pk}-{review.quarter.code}-{lang}.{fmt}"
