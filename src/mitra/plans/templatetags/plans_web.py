"""Template tags of the joint business plan: the summary card on the partnership's overview."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from mitra.core.tenancy import Actor
from mitra.plans import selectors

register = template.Library()


@register.inclusion_tag("plans/_summary.html")
def plans_summary(partnership: Any, actor: Actor) -> dict[str, Any]:
    """This year's plan: its status and when the next review is due (one query)."""
    year = timezone.localdate().year
    plan = selectors.plan_summary(actor, partnership.pk, year)
    if plan is not None:
        plan.partnership = partnership  # the cadence is read from the partnership already at hand
    return {"p": partnership, "plan": plan, "year": year}
