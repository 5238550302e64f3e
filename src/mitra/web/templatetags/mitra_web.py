"""Template helpers for the pages: money, localized dates, navigation."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import template
from django.forms import BoundField
from django.http import HttpRequest

from mitra.web import formatting

register = template.Library()


@register.filter
def money(amount: Decimal | float | int | None, currency: str = "") -> str:
    """``{{ amount|money:organisation.currency }}`` in the active language's locale."""
    return formatting.money(amount, currency or None)


@register.filter
def ldate(value: dt.date | dt.datetime | None, style: str = "medium") -> str:
    return formatting.date(value, style or "medium")


@register.filter
def ldatetime(value: dt.datetime | None, style: str = "medium") -> str:
    return formatting.datetime(value, style or "medium")


@register.simple_tag(takes_context=True)
def nav_active(context: template.Context, prefix: str) -> str:
    """``aria-current="page"`` for the navigation link whose section is open."""
    request: HttpRequest | None = context.get("request")
    return 'aria-current="page"' if request is not None and request.path.startswith(prefix) else ""


@register.simple_tag
def organisations_of(user: Any) -> list[Any]:
    """The signed-in person's memberships, for the organisation switcher."""
    from mitra.accounts.selectors import memberships_of

    if not getattr(user, "is_authenticated", False):
        return []
    return list(memberships_of(user))


@register.inclusion_tag("web/_field.html")
def field(bound: BoundField, **attrs: Any) -> dict[str, Any]:
    """One form field with its label, help text and errors, wired for screen readers."""
    return {"field": bound, **attrs}


@register.filter
def widget_type(bound: BoundField) -> str:
    return bound.field.widget.__class__.__name__.lower()
