"""The health API, under /api/v1/partnerships/{partnership_id}/health. Both sides get the same bytes."""

from __future__ import annotations

from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Router
from pydantic import Field

from mitra.core.api import Id, actor_of, errors
from mitra.health import selectors
from mitra.health.schemas import HealthOut, HealthPointOut

router = Router(tags=["health"])

READ = errors(401, 404, 422)
Weeks = Annotated[int, Field(ge=1, le=520, description="How many weeks, the latest last")]


@router.get(
    "/partnerships/{partnership_id}/health",
    response={200: HealthOut, **READ},
    operation_id="health_get",
)
def health_get(request: HttpRequest, partnership_id: Id) -> Any:
    """The latest weekly Health Index: score, band, trend, the eight dimensions, drivers and weights."""
    return selectors.health_latest(actor_of(request), partnership_id)


@router.get(
    "/partnerships/{partnership_id}/health/history",
    response={200: list[HealthPointOut], **READ},
    operation_id="health_history",
)
def health_history(request: HttpRequest, partnership_id: Id, weeks: Weeks = 26) -> Any:
    """The weekly series of scores, oldest first."""
    return list(selectors.health_history(actor_of(request), partnership_id, weeks))
