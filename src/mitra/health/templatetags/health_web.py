"""Template helpers of the health pages: scores and signed changes in the reader's number format, band
badges, driver sentences, and the Health card on the partnership overview."""

from __future__ import annotations

from typing import Any

from babel.numbers import format_decimal
from django import template
from django.utils.translation import gettext as _

from mitra.core.errors import NotFound
from mitra.core.tenancy import Actor
from mitra.health.labels import band_label, component_label, dimension_label, source_url
from mitra.partnerships.models import Partnership
from mitra.web.formatting import babel_locale

register = template.Library()

MINUS = "\u2212"


@register.filter
def score(value: float | None) -> str:
    """A 0–100 score as a whole number (``72``); an em dash without one."""
    if value is None or value != value:
        return "—"
    return format_decimal(round(float(value)), format="0", locale=babel_locale())


@register.filter
def signed(value: float | None, digits: int = 1) -> str:
    """A change in points with its sign (``+1.5``, ``−3``, ``±0``); an em dash without one."""
    if value is None or value != value:
        return "—"
    number = round(float(value), int(digits))
    if number == 0:
        return "±0"
    pattern = "0." + "#" * int(digits) if int(digits) else "0"
    text = format_decimal(abs(number), format=pattern, locale=babel_locale())
    return ("+" if number > 0 else MINUS) + text


@register.filter
def decimal(value: float | None) -> str:
    """A number with up to two decimals in the reader's format (weights, thresholds)."""
    if value is None or value != value:
        return ""
    return format_decimal(float(value), format="0.##", locale=babel_locale())


@register.filter
def trend_class(value: float | None) -> str:
    if value is None or value != value or round(float(value), 1) == 0:
        return "flat"
    return "up" if value > 0 else "down"


@register.filter
def band_name(band: str | None) -> str:
    return band_label(band)


@register.filter
def dimension_name(key: str) -> str:
    return dimension_label(key)


def driver_sentence(driver: dict[str, Any]) -> str:
    """``Supplier on-time commitments fell from 80 to 60`` (the contribution is shown beside it)."""
    label = component_label(driver.get("dimension", ""), driver.get("component", ""))
    value, previous = driver.get("value"), driver.get("previous")
    params = {"component": label, "value": score(value), "previous": score(previous)}
    if previous is None and value is None:
        return label
    if previous is None:
        return _("%(component)s now has data: %(value)s") % params
    if value is None:
        return _("%(component)s has no data any more (was %(previous)s)") % params
    if round(value) < round(previous):
        return _("%(component)s fell from %(previous)s to %(value)s") % params
    if round(value) > round(previous):
        return _("%(component)s rose from %(previous)s to %(value)s") % params
    return _("%(component)s stayed at %(value)s") % params


def driver_view(driver: dict[str, Any] | None, partnership_pk: int) -> dict[str, Any] | None:
    """What a page shows of a driver: the sentence, the component, the signed points, the records link."""
    if not driver:
        return None
    contribution = driver.get("contribution") or 0.0
    return {
        "sentence": driver_sentence(driver),
        "component": component_label(driver.get("dimension", ""), driver.get("component", "")),
        "dimension": dimension_label(driver.get("dimension", "")),
        "contribution": contribution,
        "points": signed(contribution),
        "direction": trend_class(contribution),
        "url": source_url(driver.get("source", ""), partnership_pk),
    }


@register.inclusion_tag("health/_summary.html")
def health_summary(partnership: Partnership, actor: Actor) -> dict[str, Any]:
    """A small card for the partnership overview: the latest score and band and the top active alert."""
    from mitra.health import selectors
    from mitra.health.messages import alert_message

    try:
        latest = selectors.health_latest(actor, partnership.pk)
    except NotFound:
        latest = None
    alerts = list(selectors.alert_list(actor, partnership.pk)[:1]) if latest is not None else []
    top = alerts[0] if alerts else None
    return {
        "p": partnership,
        "latest": latest,
        "top_alert": top,
        "top_alert_text": alert_message(top) if top else "",
    }
