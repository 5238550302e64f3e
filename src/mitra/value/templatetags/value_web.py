"""Template tags of the value ledger: its card on the partnership overview."""

from __future__ import annotations

from typing import Any

from django import template

from mitra.core.tenancy import Actor
from mitra.value.selectors import value_summary_of

register = template.Library()


@register.inclusion_tag("value/summary_card.html")
def value_summary(partnership: Any, actor: Actor) -> dict[str, Any]:
    """The balance of confirmed value per side, with the not-gaining warning (one grouped query)."""
    return {"p": partnership, "summary": value_summary_of(actor, partnership)}
