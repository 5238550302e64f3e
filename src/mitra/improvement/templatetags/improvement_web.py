"""Template tags of the improvement pages: KPI numbers, and the card on the partnership overview."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import template
from django.utils import formats

from mitra.core.tenancy import Actor
from mitra.improvement import selectors
from mitra.partnerships.models import Partnership

register = template.Library()


@register.filter
def kpi(value: Any) -> str:
    """A KPI value without trailing zeros, in the reader's number format (``96.5``, ``96,5``)."""
    if value is None or value == "":
        return ""
    try:
        number = Decimal(str(value)).normalize()
    except (InvalidOperation, ValueError):
        return str(value)
    if number == number.to_integral_value():
        number = number.quantize(Decimal(1))
    return formats.number_format(number, use_l10n=True)


@register.inclusion_tag("improvement/_summary.html")
def improvement_summary(partnership: Partnership, actor: Actor) -> dict[str, Any]:
    """A small card for the partnership overview: active initiatives and their average progress (1 query)."""
    return {"p": partnership, "summary": selectors.improvement_summary(actor, partnership)}
