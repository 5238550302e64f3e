"""The cases API, under /api/v1/partnerships/{partnership_id}/…

Thin: reads through ``selectors`` (scoped to the caller), writes through ``services``.
"""

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Router, Status
from ninja.pagination import paginate

from mitra.cases import selectors, services
from mitra.cases.models import Case, CaseOption, CaseSeverity, CaseStatus
from mitra.cases.schemas import (
    CaseChooseIn,
    CaseDisputeIn,
    CaseIn,
    CaseOptionIn,
    CaseOptionOut,
    CaseOut,
    CasePatch,
    CaseResolveIn,
    CaseRootCauseOut,
)
from mitra.core.api import Id, Page, actor_of, errors
from mitra.transfer.listexport import API_EXPORT_DOC, EXPORT_FORMAT, ExportFormat, export_response

router = Router(tags=["cases"])

READ = errors(401, 404, 422)
WRITE = errors(401, 403, 404, 409, 422)


@router.get(
    "/partnerships/{partnership_id}/cases",
    response={200: list[CaseOut], **READ},
    operation_id="case_list",
)
@paginate(Page)
def case_list(
    request: HttpRequest,
    partnership_id: Id,
    status: CaseStatus | None = None,
    severity: CaseSeverity | None = None,
    breached: bool | None = None,
) -> Any:
    """The partnership's cases, newest first. ``breached`` filters on the SLA."""
    return selectors.case_list(
        actor_of(request),
        partnership_id,
        status=status.value if status else None,
        severity=severity.value if severity else None,
        breached=breached,
    )


@router.get(
    "/partnerships/{partnership_id}/cases/export",
    response=READ,
    operation_id="case_export",
    openapi_extra=API_EXPORT_DOC,
)
def case_export(
    request: HttpRequest,
    partnership_id: Id,
    status: CaseStatus | None = None,
    severity: CaseSeverity | None = None,
    breached: bool | None = None,
    fmt: ExportFormat = EXPORT_FORMAT,
) -> HttpResponse:
    """The cases as a CSV or XLSX file, every case under the same filters as the list."""
    actor = actor_of(request)
    cases = selectors.case_list(
        actor,
        partnership_id,
        status=status.value if status else None,
        severity=severity.value if severity else None,
        breached=breached,
    )
    return export_response(actor, "cases", cases, fmt, partnership_id=partnership_id)


@router.post(
    "/partnerships/{partnership_id}/cases",
    response={201: CaseOut, **WRITE},
    operation_id="case_create",
)
def case_create(request: HttpRequest, partnership_id: Id, payload: CaseIn) -> Status:
    """Raise a case (either side). The customer's desired outcome, in the customer's words, is required;
    entered by the supplier side, it stays unconfirmed until the customer side confirms it."""
    actor = actor_of(request)
    data = payload.model_dump()
    data["root_cause"] = data["root_cause"] or ""
    case = services.case_create(actor, partnership_id=partnership_id, **data)
    return Status(201, selectors.case_get(actor, partnership_id, case.pk))


@router.get(
    "/partnerships/{partnership_id}/cases/root-causes",
    response={200: list[CaseRootCauseOut], **READ},
    operation_id="case_root_causes",
)
def case_root_causes(request: HttpRequest, partnership_id: Id) -> Any:
    """Cases per root-cause category in the last 12 months; three or more is recurring."""
    return selectors.root_causes(actor_of(request), partnership_id)


@router.get(
    "/partnerships/{partnership_id}/cases/{case_id}",
    response={200: CaseOut, **READ},
    operation_id="case_get",
)
def case_get(request: HttpRequest, partnership_id: Id, case_id: Id) -> Case:
    return selectors.case_get(actor_of(request), partnership_id, case_id)


@router.patch(
    "/partnerships/{partnership_id}/cases/{case_id}",
    response={200: CaseOut, **WRITE},
    operation_id="case_update",
)
def case_update(request: HttpRequest, partnership_id: Id, case_id: Id, payload: CasePatch) -> Case:
    """Change title, description, severity, category, root cause or anticipating risk. Send ``version``."""
    actor = actor_of(request)
    changes = payload.model_dump(exclude_unset=True)
    version = changes.pop("version", None)
    # Only the root cause and the risk may be cleared with null; elsewhere null means "leave as it is".
    changes = {k: v for k, v in changes.items() if v is not None or k in ("root_cause", "anticipated_by_id")}
    services.case_update(actor, partnership_id=partnership_id, case_id=case_id, version=version, **changes)
    return selectors.case_get(actor, partnership_id, case_id)


@router.post(
    "/partnerships/{partnership_id}/cases/{case_id}/outcome/confirm",
    response={200: CaseOut, **WRITE},
    operation_id="case_outcome_confirm",
)
def case_outcome_confirm(request: HttpRequest, partnership_id: Id, case_id: Id) -> Case:
    """The customer side confirms the desired outcome the supplier side wrote down."""
    actor = actor_of(request)
    services.case_outcome_confirm(actor, partnership_id=partnership_id, case_id=case_id)
    return selectors.case_get(actor, partnership_id, case_id)


@router.get(
    "/partnerships/{partnership_id}/cases/{case_id}/options",
    response={200: list[CaseOptionOut], **READ},
    operation_id="case_option_list",
)
@paginate(Page)
def case_option_list(request: HttpRequest, partnership_id: Id, case_id: Id) -> Any:
    return selectors.option_list(actor_of(request), partnership_id, case_id)


@router.post(
    "/partnerships/{partnership_id}/cases/{case_id}/options",
    response={201: CaseOptionOut, **WRITE},
    operation_id="case_option_create",
)
def case_option_create(
    request: HttpRequest, partnership_id: Id, case_id: Id, payload: CaseOptionIn
) -> Status:
    """Propose an option (either side, while the case is open or in progress)."""
    actor = actor_of(request)
    option: CaseOption = services.case_option_create(
        actor, partnership_id=partnership_id, case_id=case_id, **payload.model_dump()
    )
    return Status(201, selectors.option_get(actor, partnership_id, case_id, option.pk))


@router.post(
    "/partnerships/{partnership_id}/cases/{case_id}/choose",
    response={200: CaseOut, **WRITE},
    operation_id="case_choose",
)
def case_choose(request: HttpRequest, partnership_id: Id, case_id: Id, payload: CaseChooseIn) -> Case:
    """Choose an option (either side): needs two options at least; not win-win needs a justification."""
    actor = actor_of(request)
    services.case_choose(actor, partnership_id=partnership_id, case_id=case_id, **payload.model_dump())
    return selectors.case_get(actor, partnership_id, case_id)


@router.post(
    "/partnerships/{partnership_id}/cases/{case_id}/resolve",
    response={200: CaseOut, **WRITE},
    operation_id="case_resolve",
)
def case_resolve(request: HttpRequest, partnership_id: Id, case_id: Id, payload: CaseResolveIn) -> Case:
    """The supplier side resolves a case once an option was chosen."""
    actor = actor_of(request)
    services.case_resolve(actor, partnership_id=partnership_id, case_id=case_id, **payload.model_dump())
    return selectors.case_get(actor, partnership_id, case_id)


@router.post(
    "/partnerships/{partnership_id}/cases/{case_id}/confirm",
    response={200: CaseOut, **WRITE},
    operation_id="case_confirm",
)
def case_confirm(request: HttpRequest, partnership_id: Id, case_id: Id) -> Case:
    """The customer side closes a resolved case: the desired outcome was met."""
    actor = actor_of(request)
    services.case_confirm(actor, partnership_id=partnership_id, case_id=case_id)
    return selectors.case_get(actor, partnership_id, case_id)


@router.post(
    "/partnerships/{partnership_id}/cases/{case_id}/dispute",
    response={200: CaseOut, **WRITE},
    operation_id="case_dispute",
)
def case_dispute(request: HttpRequest, partnership_id: Id, case_id: Id, payload: CaseDisputeIn) -> Case:
    """The customer side disputes a resolution, with a reason: the case goes back in progress."""
    actor = actor_of(request)
    services.case_dispute(actor, partnership_id=partnership_id, case_id=case_id, reason=payload.reason)
    return selectors.case_get(actor, partnership_id, case_id)
