"""The risks API, under /api/v1/partnerships/{partnership_id}/…"""

from typing import Annotated, Any

from django.http import HttpRequest, HttpResponse
from ninja import Router, Status
from ninja.pagination import paginate
from pydantic import Field

from mitra.core.api import Id, Page, actor_of, errors
from mitra.risks import selectors, services
from mitra.risks.models import Risk, RiskStatus
from mitra.risks.schemas import RiskIn, RiskOut, RiskPatch
from mitra.transfer.listexport import API_EXPORT_DOC, EXPORT_FORMAT, ExportFormat, export_response

router = Router(tags=["risks"])

MinScore = Annotated[
    int, Field(ge=1, le=25, description="Only risks scoring at least this (likelihood × impact)")
]

READ = errors(401, 404, 422)
WRITE = errors(401, 403, 404, 409, 422)


@router.get(
    "/partnerships/{partnership_id}/risks",
    response={200: list[RiskOut], **READ},
    operation_id="risk_list",
)
@paginate(Page)
def risk_list(
    request: HttpRequest,
    partnership_id: Id,
    status: RiskStatus | None = None,
    min_score: MinScore | None = None,
) -> Any:
    """The shared risk register, highest score (likelihood × impact) first."""
    return selectors.risk_list(
        actor_of(request), partnership_id, status=status.value if status else None, min_score=min_score
    )


@router.get(
    "/partnerships/{partnership_id}/risks/export",
    response=READ,
    operation_id="risk_export",
    openapi_extra=API_EXPORT_DOC,
)
def risk_export(
    request: HttpRequest,
    partnership_id: Id,
    status: RiskStatus | None = None,
    min_score: MinScore | None = None,
    fmt: ExportFormat = EXPORT_FORMAT,
) -> HttpResponse:
    """The register as a CSV or XLSX file, every risk under the same filters as the list."""
    actor = actor_of(request)
    risks = selectors.risk_list(
        actor, partnership_id, status=status.value if status else None, min_score=min_score
    )
    return export_response(actor, "risks", risks, fmt, partnership_id=partnership_id)


@router.post(
    "/partnerships/{partnership_id}/risks",
    response={201: RiskOut, **WRITE},
    operation_id="risk_create",
)
def risk_create(request: HttpRequest, partnership_id: Id, payload: RiskIn) -> Status:
    """Put a risk on the register (writers of either side). The raising side is yours."""
    actor = actor_of(request)
    risk = services.risk_create(actor, partnership_id=partnership_id, **payload.model_dump())
    return Status(201, selectors.risk_get(actor, partnership_id, risk.pk))


@router.get(
    "/partnerships/{partnership_id}/risks/{risk_id}",
    response={200: RiskOut, **READ},
    operation_id="risk_get",
)
def risk_get(request: HttpRequest, partnership_id: Id, risk_id: Id) -> Risk:
    return selectors.risk_get(actor_of(request), partnership_id, risk_id)


@router.patch(
    "/partnerships/{partnership_id}/risks/{risk_id}",
    response={200: RiskOut, **WRITE},
    operation_id="risk_update",
)
def risk_update(request: HttpRequest, partnership_id: Id, risk_id: Id, payload: RiskPatch) -> Risk:
    """Change a risk's fields or status (open, watching, occurred, closed). Send ``version`` to refuse
    overwriting a newer edit (409)."""
    actor = actor_of(request)
    changes = payload.model_dump(exclude_unset=True)
    # Only the owner may be cleared with null; null elsewhere means "leave as it is".
    changes = {k: v for k, v in changes.items() if v is not None or k == "owner_id"}
    if "status" in changes:
        changes["status"] = RiskStatus(changes["status"]).value
    services.risk_update(actor, partnership_id=partnership_id, risk_id=risk_id, **changes)
    return selectors.risk_get(actor, partnership_id, risk_id)
