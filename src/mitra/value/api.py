"""The value ledger API, under /api/v1/partnerships/{partnership_id}/…"""

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Router, Status
from ninja.pagination import paginate

from mitra.core.api import Id, Page, actor_of, errors
from mitra.partnerships.models import Side
from mitra.transfer.listexport import API_EXPORT_DOC, EXPORT_FORMAT, ExportFormat, export_response
from mitra.value import selectors, services
from mitra.value.models import Category, EntryStatus, ValueEntry
from mitra.value.schemas import ValueDisputeIn, ValueEntryIn, ValueEntryOut, ValueEntryPatch, ValueSummaryOut
from mitra.value.selectors import ValueSummary

router = Router(tags=["value"])

READ = errors(401, 404, 422)
WRITE = errors(401, 403, 404, 409, 422)


@router.get(
    "/partnerships/{partnership_id}/value-entries",
    response={200: list[ValueEntryOut], **READ},
    operation_id="value_entry_list",
)
@paginate(Page)
def value_entry_list(
    request: HttpRequest,
    partnership_id: Id,
    status: EntryStatus | None = None,
    side: Side | None = None,
    category: Category | None = None,
) -> Any:
    """The partnership's value entries; ``side`` filters by the side that gains."""
    return selectors.value_entry_list(
        actor_of(request), partnership_id, status=status, side=side, category=category
    )


@router.get(
    "/partnerships/{partnership_id}/value-entries/export",
    response=READ,
    operation_id="value_entry_export",
    openapi_extra=API_EXPORT_DOC,
)
def value_entry_export(
    request: HttpRequest,
    partnership_id: Id,
    status: EntryStatus | None = None,
    side: Side | None = None,
    category: Category | None = None,
    fmt: ExportFormat = EXPORT_FORMAT,
) -> HttpResponse:
    """The value ledger as a CSV or XLSX file, every entry under the same filters as the list."""
    actor = actor_of(request)
    entries = selectors.value_entry_list(actor, partnership_id, status=status, side=side, category=category)
    return export_response(actor, "value", entries, fmt, partnership_id=partnership_id)


@router.post(
    "/partnerships/{partnership_id}/value-entries",
    response={201: ValueEntryOut, **WRITE},
    operation_id="value_entry_create",
)
def value_entry_create(request: HttpRequest, partnership_id: Id, payload: ValueEntryIn) -> Status:
    """Record a gain for one side. It is unconfirmed until the other side confirms it."""
    actor = actor_of(request)
    entry = services.value_entry_create(actor, partnership_id=partnership_id, **payload.model_dump())
    return Status(201, selectors.value_entry_get(actor, partnership_id, entry.pk))


@router.get(
    "/partnerships/{partnership_id}/value-entries/{entry_id}",
    response={200: ValueEntryOut, **READ},
    operation_id="value_entry_get",
)
def value_entry_get(request: HttpRequest, partnership_id: Id, entry_id: Id) -> ValueEntry:
    return selectors.value_entry_get(actor_of(request), partnership_id, entry_id)


@router.patch(
    "/partnerships/{partnership_id}/value-entries/{entry_id}",
    response={200: ValueEntryOut, **WRITE},
    operation_id="value_entry_update",
)
def value_entry_update(
    request: HttpRequest, partnership_id: Id, entry_id: Id, payload: ValueEntryPatch
) -> ValueEntry:
    """Correct an entry: its recording side only, while unconfirmed or after a dispute (which sends it
    back for confirmation). A confirmed entry cannot change (409)."""
    actor = actor_of(request)
    changes = payload.model_dump(exclude_unset=True)
    # Only the links may be cleared with null; null elsewhere means "leave as it is".
    changes = {k: v for k, v in changes.items() if v is not None or k in ("case_id", "initiative_id")}
    services.value_entry_update(actor, partnership_id=partnership_id, entry_id=entry_id, **changes)
    return selectors.value_entry_get(actor, partnership_id, entry_id)


@router.post(
    "/partnerships/{partnership_id}/value-entries/{entry_id}/confirm",
    response={200: ValueEntryOut, **WRITE},
    operation_id="value_entry_confirm",
)
def value_entry_confirm(
    request: HttpRequest, partnership_id: Id, entry_id: Id, version: Id | None = None
) -> ValueEntry:
    """Confirm a gain the other side recorded (your side only). Pass ``?version=`` to confirm only the
    figures you read: 409 if they changed since."""
    actor = actor_of(request)
    services.value_entry_confirm(actor, partnership_id=partnership_id, entry_id=entry_id, version=version)
    return selectors.value_entry_get(actor, partnership_id, entry_id)


@router.post(
    "/partnerships/{partnership_id}/value-entries/{entry_id}/dispute",
    response={200: ValueEntryOut, **WRITE},
    operation_id="value_entry_dispute",
)
def value_entry_dispute(
    request: HttpRequest, partnership_id: Id, entry_id: Id, payload: ValueDisputeIn
) -> ValueEntry:
    """Dispute a gain the other side recorded, with a reason."""
    actor = actor_of(request)
    services.value_entry_dispute(
        actor,
        partnership_id=partnership_id,
        entry_id=entry_id,
        reason=payload.reason,
        version=payload.version,
    )
    return selectors.value_entry_get(actor, partnership_id, entry_id)


@router.get(
    "/partnerships/{partnership_id}/value-summary",
    response={200: ValueSummaryOut, **READ},
    operation_id="value_summary",
)
def value_summary(request: HttpRequest, partnership_id: Id) -> ValueSummary:
    """Confirmed value per side and currency, unconfirmed totals, the balance and not-gaining warnings."""
    return selectors.value_summary(actor_of(request), partnership_id)
