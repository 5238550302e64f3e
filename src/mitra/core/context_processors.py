from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def actor(request: HttpRequest) -> dict[str, Any]:
    """The acting membership and the user's other organisations, for the navigation."""
    current = getattr(request, "actor", None)
    if not current:
        return {"actor": None}
    return {"actor": current}
