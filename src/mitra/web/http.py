"""Domain errors → HTTP for the pages, in one place.

Selectors and services raise ``mitra.core.errors``; a page view wrapped in ``domain_errors`` answers a
``NotFound`` with the 404 page (logging "access denied" when the record exists but is someone else's),
and a ``PermissionDenied`` with the 403 page. ``Invalid`` and ``Conflict`` are the view's own business:
it shows them next to the field or as a message.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse

from mitra.core.api import log_access_denied
from mitra.core.errors import Invalid, NotFound, PermissionDenied
from mitra.core.tenancy import Actor


def domain_errors(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Turn ``NotFound`` into 404 and ``PermissionDenied`` into 403 for a page view."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except NotFound as exc:
            if exc.denied:
                log_access_denied(request, exc)
            raise Http404(exc.message) from exc
        except PermissionDenied as exc:
            raise DjangoPermissionDenied(exc.message) from exc

    return wrapper


def posted_version(request: HttpRequest) -> int | None:
    """The record ``version`` a form posted back (optimistic locking), or None when it is not a plain number."""
    raw = request.POST.get("version", "")
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 10 else None


def actor_of(request: HttpRequest) -> Actor:
    """The acting membership. A signed-in person without any membership has nothing to see here."""
    actor = getattr(request, "actor", None)
    if not actor:
        raise Http404("You are not a member of any organisation.")
    return actor


def add_invalid(form: Form, exc: Invalid, aliases: dict[str, str] | None = None) -> None:
    """Show a service's ``Invalid`` next to the form fields it names (``partner_id`` → ``partner``…)."""
    aliases = aliases or {}
    for field, messages in exc.errors.items():
        name = aliases.get(field, field)
        target = name if name in form.fields else None
        for message in messages:
            form.add_error(target, message)


def invalid_text(exc: Invalid) -> str:
    """A service's ``Invalid`` as one sentence, for a message where no form field can hold it."""
    return " ".join(message for messages in exc.errors.values() for message in messages)


def is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))
