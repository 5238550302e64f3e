"""Template tags of the cases pages, and the cases card of the partnership overview."""

from __future__ import annotations

from typing import Any

from django import template

from mitra.cases import selectors
from mitra.core.tenancy import Actor
from mitra.partnerships.models import Partnership

register = template.Library()


@register.filter
def signed(value: int | None) -> str:
    """An option's value as −2 … +2 (a true minus sign, a plus on gains)."""
    if value is None:
        return "—"
    if value > 0:
        return f"+{value}"
    if value < 0:
        return f"\u2212{abs(value)}"
    return "0"


@register.filter
def value_class(value: int | None) -> str:
    if not value:
        return "zero"
    return "gain" if value > 0 else "loss"


@register.inclusion_tag("cases/_summary.html")
def cases_summary(partnership: Partnership, actor: Actor) -> dict[str, Any]:
    """A small card for the partnership overview: open, breached and awaiting the customer (one query)."""
    return {"p": partnership, "counts": selectors.case_summary(actor, partnership)}
