"""The improvement API, under /api/v1/partnerships/{partnership_id}/initiatives…

Thin on purpose: reads go through ``selectors``, writes through ``services``.
"""

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Router, Status
from ninja.pagination import paginate

from mitra.core.api import Id, Page, actor_of, errors
from mitra.improvement import selectors, services
from mitra.improvement.models import Initiative, InitiativeStatus, Stage
from mitra.improvement.schemas import (
    InitiativeIn,
    InitiativeOut,
    InitiativePatch,
    InitiativeStageIn,
    MeasurementIn,
    MeasurementOut,
)
from mitra.transfer.listexport import API_EXPORT_DOC, EXPORT_FORMAT, ExportFormat, export_response

router = Router(tags=["improvement"])

READ = errors(401, 404, 422)
WRITE = errors(401, 403, 404, 409, 422)

BASE = "/partnerships/{partnership_id}/initiatives"
ONE = BASE + "/{initiative_id}"


@router.get(BASE, response={200: list[InitiativeOut], **READ}, operation_id="initiative_list")
@paginate(Page)
def initiative_list(
    request: HttpRequest,
    partnership_id: Id,
    stage: Stage | None = None,
    status: InitiativeStatus | None = None,
) -> Any:
    """The partnership's improvement initiatives, newest first, each with its progress."""
    return selectors.initiative_list(actor_of(request), partnership_id, stage=stage, status=status)


@router.get(BASE + "/export", response=READ, operation_id="initiative_export", openapi_extra=API_EXPORT_DOC)
def initiative_export(
    request: HttpRequest,
    partnership_id: Id,
    stage: Stage | None = None,
    status: InitiativeStatus | None = None,
    fmt: ExportFormat = EXPORT_FORMAT,
) -> HttpResponse:
    """The initiatives as a CSV or XLSX file, every one under the same filters as the list."""
    actor = actor_of(request)
    initiatives = selectors.initiative_list(actor, partnership_id, stage=stage, status=status)
    return export_response(actor, "initiatives", initiatives, fmt, partnership_id=partnership_id)


@router.post(BASE, response={201: InitiativeOut, **WRITE}, operation_id="initiative_create")
def initiative_create(request: HttpRequest, partnership_id: Id, payload: InitiativeIn) -> Status:
    """Start an initiative with an owner on each side and a KPI, optionally from recurring cases."""
    actor = actor_of(request)
    initiative = services.initiative_create(actor, partnership_id=partnership_id, **payload.model_dump())
    return Status(201, selectors.initiative_get(actor, partnership_id, initiative.pk))


@router.get(ONE, response={200: InitiativeOut, **READ}, operation_id="initiative_get")
def initiative_get(request: HttpRequest, partnership_id: Id, initiative_id: Id) -> Initiative:
    return selectors.initiative_get(actor_of(request), partnership_id, initiative_id)


@router.patch(ONE, response={200: InitiativeOut, **WRITE}, operation_id="initiative_update")
def initiative_update(
    request: HttpRequest, partnership_id: Id, initiative_id: Id, payload: InitiativePatch
) -> Initiative:
    """Change an active initiative, or close it with ``status`` completed or abandoned.

    Send ``version`` to refuse overwriting a newer edit (409).
    """
    actor = actor_of(request)
    changes = {k: v for k, v in payload.model_dump(exclude_unset=True).items() if v is not None}
    services.initiative_update(actor, partnership_id=partnership_id, initiative_id=initiative_id, **changes)
    return selectors.initiative_get(actor, partnership_id, initiative_id)


@router.post(ONE + "/stage", response={200: InitiativeOut, **WRITE}, operation_id="initiative_stage")
def initiative_stage(
    request: HttpRequest, partnership_id: Id, initiative_id: Id, payload: InitiativeStageIn
) -> Initiative:
    """Move to the next PDCA stage (plan → do → check → act → plan). Out of order is 409."""
    actor = actor_of(request)
    services.initiative_stage(
        actor,
        partnership_id=partnership_id,
        initiative_id=initiative_id,
        stage=payload.stage,
        version=payload.version,
    )
    return selectors.initiative_get(actor, partnership_id, initiative_id)


@router.get(
    ONE + "/measurements", response={200: list[MeasurementOut], **READ}, operation_id="measurement_list"
)
@paginate(Page)
def measurement_list(request: HttpRequest, partnership_id: Id, initiative_id: Id) -> Any:
    """The initiative's KPI measurements, oldest first."""
    return selectors.measurement_list(actor_of(request), partnership_id, initiative_id)


@router.post(
    ONE + "/measurements", response={201: MeasurementOut, **WRITE}, operation_id="measurement_create"
)
def measurement_create(
    request: HttpRequest, partnership_id: Id, initiative_id: Id, payload: MeasurementIn
) -> Status:
    """Record the KPI's value on a date (one per date, not in the future)."""
    measurement = services.measurement_create(
        actor_of(request), partnership_id=partnership_id, initiative_id=initiative_id, **payload.model_dump()
    )
    return Status(201, measurement)
