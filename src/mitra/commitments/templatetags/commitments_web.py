"""Template tags of the commitments workflow: the overview card of a partnership."""

from __future__ import annotations

from typing import Any

from django import template

from mitra.commitments import selectors
from mitra.core.tenancy import Actor
from mitra.partnerships.models import Partnership, Side

register = template.Library()


@register.inclusion_tag("commitments/_summary.html")
def commitments_summary(partnership: Partnership, actor: Actor) -> dict[str, Any]:
    """Each side's reliability and the next commitments due, in two queries."""
    sides = selectors.reliability_of(actor, partnership)
    return {
        "p": partnership,
        "reliability": [sides[Side.SUPPLIER], sides[Side.CUSTOMER]],
        "upcoming": selectors.upcoming(actor, partnership),
    }
