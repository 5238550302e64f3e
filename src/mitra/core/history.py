"""Who made a change, for django-simple-history, whatever the entry point (page, API, command, job).

Services run ``acting_as(actor.user)``; the historical records read the user from there first and from the
request (set by simple_history's middleware) otherwise.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, ParamSpec, TypeVar

_current_user: ContextVar[Any] = ContextVar("mitra_history_user", default=None)

P = ParamSpec("P")
R = TypeVar("R")


@contextmanager
def acting_as(user: Any) -> Iterator[None]:
    token = _current_user.set(user)
    try:
        yield
    finally:
        _current_user.reset(token)


def history_user(instance: Any = None, request: Any = None, **kwargs: Any) -> Any:
    """``get_user`` for ``HistoricalRecords``: the acting user, else the request's signed-in user."""
    user = _current_user.get()
    if user is not None:
        return user
    request_user = getattr(request, "user", None)
    return request_user if request_user is not None and request_user.is_authenticated else None


def records_actor(fn: Callable[P, R]) -> Callable[P, R]:
    """Decorate a service: its writes are recorded as made by the actor (first argument) or ``user=``."""

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        user = getattr(args[0], "user", None) if args else kwargs.get("user")
        with acting_as(user):
            return fn(*args, **kwargs)

    return wrapper
