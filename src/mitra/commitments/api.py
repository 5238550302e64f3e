"""The commitments API, under /api/v1/partnerships/{partnership_id}/…

Thin on purpose: reads go through ``selectors`` (scoped to the caller's organisation), writes through
``services``; the acting side is always the caller's organisation's side.
"""

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Router, Status
from ninja.pagination import paginate

from mitra.commitments import selectors, services
from mitra.commitments.models import Commitment, CommitmentStatus
from mitra.commitments.schemas import (
    CommitmentCancelIn,
    CommitmentIn,
    CommitmentOut,
    CommitmentPatch,
    CommitmentReliabilityOut,
)
from mitra.core.api import Id, Page, actor_of, errors
from mitra.partnerships.models import Side
from mitra.transfer.listexport import API_EXPORT_DOC, EXPORT_FORMAT, ExportFormat, export_response

router = Router(tags=["commitments"])

READ = errors(401, 404, 422)
WRITE = errors(401, 403, 404, 409, 422)

BASE = "/partnerships/{partnership_id}/commitments"
ONE = BASE + "/{commitment_id}"


@router.get(BASE, response={200: list[CommitmentOut], **READ}, operation_id="commitment_list")
@paginate(Page)
def commitment_list(
    request: HttpRequest,
    partnership_id: Id,
    status: CommitmentStatus | None = None,
    owner_side: Side | None = None,
    overdue: bool | None = None,
) -> Any:
    """The partnership's commitments: open ones first (soonest due first), then the rest."""
    return selectors.commitment_list(
        actor_of(request),
        partnership_id,
        status=status.value if status else None,
        owner_side=owner_side.value if owner_side else None,
        overdue=overdue,
    )


@router.get(BASE + "/export", response=READ, operation_id="commitment_export", openapi_extra=API_EXPORT_DOC)
def commitment_export(
    request: HttpRequest,
    partnership_id: Id,
    status: CommitmentStatus | None = None,
    owner_side: Side | None = None,
    overdue: bool | None = None,
    fmt: ExportFormat = EXPORT_FORMAT,
) -> HttpResponse:
    """The commitments as a CSV or XLSX file, every one under the same filters as the list."""
    actor = actor_of(request)
    commitments = selectors.commitment_list(
        actor,
        partnership_id,
        status=status.value if status else None,
        owner_side=owner_side.value if owner_side else None,
        overdue=overdue,
    )
    return export_response(actor, "commitments", commitments, fmt, partnership_id=partnership_id)


@router.post(BASE, response={201: CommitmentOut, **WRITE}, operation_id="commitment_create")
def commitment_create(request: HttpRequest, partnership_id: Id, payload: CommitmentIn) -> Status:
    """Record a promise. The owner (either side) is the one who promises; ``owner_side`` follows from them."""
    actor = actor_of(request)
    commitment = services.commitment_create(actor, partnership_id=partnership_id, **payload.model_dump())
    return Status(201, selectors.commitment_get(actor, partnership_id, commitment.pk))


@router.get(
    BASE + "/reliability",
    response={200: list[CommitmentReliabilityOut], **READ},
    operation_id="commitment_reliability",
)
def commitment_reliability(request: HttpRequest, partnership_id: Id) -> Any:
    """Each side's reliability: kept on time / settled, acknowledged, missed, proactive share, open, overdue."""
    return selectors.commitment_reliability(actor_of(request), partnership_id)


@router.get(ONE, response={200: CommitmentOut, **READ}, operation_id="commitment_get")
def commitment_get(request: HttpRequest, partnership_id: Id, commitment_id: Id) -> Commitment:
    return selectors.commitment_get(actor_of(request), partnership_id, commitment_id)


@router.patch(ONE, response={200: CommitmentOut, **WRITE}, operation_id="commitment_update")
def commitment_update(
    request: HttpRequest, partnership_id: Id, commitment_id: Id, payload: CommitmentPatch
) -> Commitment:
    """Change an open commitment (the owner's side or the side that recorded it). Send ``version`` to
    refuse overwriting a newer edit (409)."""
    actor = actor_of(request)
    changes = payload.model_dump(exclude_unset=True)
    # Only the bridge may be cleared with null; null elsewhere means "leave as it is".
    changes = {k: v for k, v in changes.items() if v is not None or k == "bridge_id"}
    services.commitment_update(actor, partnership_id=partnership_id, commitment_id=commitment_id, **changes)
    return selectors.commitment_get(actor, partnership_id, commitment_id)


@router.post(ONE + "/done", response={200: CommitmentOut, **WRITE}, operation_id="commitment_done")
def commitment_done(
    request: HttpRequest, partnership_id: Id, commitment_id: Id, version: Id | None = None
) -> Commitment:
    """Mark done (the owner's side only). A missed commitment can still be delivered, late."""
    actor = actor_of(request)
    services.commitment_done(
        actor, partnership_id=partnership_id, commitment_id=commitment_id, version=version
    )
    return selectors.commitment_get(actor, partnership_id, commitment_id)


@router.post(
    ONE + "/acknowledge", response={200: CommitmentOut, **WRITE}, operation_id="commitment_acknowledge"
)
def commitment_acknowledge(
    request: HttpRequest, partnership_id: Id, commitment_id: Id, version: Id | None = None
) -> Commitment:
    """Acknowledge a done commitment (the receiving side only)."""
    actor = actor_of(request)
    services.commitment_acknowledge(
        actor, partnership_id=partnership_id, commitment_id=commitment_id, version=version
    )
    return selectors.commitment_get(actor, partnership_id, commitment_id)


@router.post(ONE + "/cancel", response={200: CommitmentOut, **WRITE}, operation_id="commitment_cancel")
def commitment_cancel(
    request: HttpRequest, partnership_id: Id, commitment_id: Id, payload: CommitmentCancelIn
) -> Commitment:
    """Cancel an open commitment, with a reason (the owner's side only)."""
    actor = actor_of(request)
    services.commitment_cancel(
        actor,
        partnership_id=partnership_id,
        commitment_id=commitment_id,
        reason=payload.reason,
        version=payload.version,
    )
    return selectors.commitment_get(actor, partnership_id, commitment_id)
