"""Template tags of the risk register: the summary card on the partnership's overview."""

from __future__ import annotations

from typing import Any

from django import template

from mitra.core.tenancy import Actor
from mitra.risks import selectors

register = template.Library()


@register.inclusion_tag("risks/_summary.html")
def risks_summary(partnership: Any, actor: Actor) -> dict[str, Any]:
    """Open risks, how many score high, and the share with a response agreed beforehand (one query)."""
    return {"p": partnership, "stats": selectors.risk_stats(actor, partnership.pk)}
