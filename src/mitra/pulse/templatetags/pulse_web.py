"""Template helpers of the relationship pulse, and its card on the partnership overview."""

from __future__ import annotations

from typing import Any

from django import template

from mitra.core.tenancy import Actor
from mitra.partnerships.models import Partnership
from mitra.pulse import selectors
from mitra.pulse.models import MIN_ANSWERS, QUESTIONS

register = template.Library()


@register.filter
def pulse_score(cell: dict[str, Any], name: str) -> Any:
    """A group's average for one question (``None`` when suppressed)."""
    return cell.get(name)


@register.inclusion_tag("pulse/_summary.html")
def pulse_summary(partnership: Partnership, actor: Actor) -> dict[str, Any]:
    """The latest round's per-side averages for the partnership's overview (2 queries)."""
    return {
        "p": partnership,
        "summary": selectors.pulse_summary(actor, partnership),
        "questions": QUESTIONS,
        "min_answers": MIN_ANSWERS,
    }


@register.filter
def pair(first: Any, second: Any) -> tuple[Any, Any]:
    """``a|pair:b`` → ``(a, b)``, to loop over a bridge's two sides."""
    return (first, second)
