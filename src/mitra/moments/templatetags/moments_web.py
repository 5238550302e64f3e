"""Template tags of the moments of truth: the overview card of a partnership."""

from __future__ import annotations

from typing import Any

from django import template

from mitra.core.tenancy import Actor
from mitra.moments import selectors
from mitra.partnerships.models import Partnership

register = template.Library()


@register.inclusion_tag("moments/_summary.html")
def moments_summary(partnership: Partnership, actor: Actor) -> dict[str, Any]:
    """OTIF over the last three months and CSAT/NPS over all answers, in two queries."""
    return {
        "p": partnership,
        "otif": selectors.otif_total(actor, partnership, months=3),
        "scores": selectors.survey_scores(actor, partnership),
    }
