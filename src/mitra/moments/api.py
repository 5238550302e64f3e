"""The moments of truth API, under /api/v1/partnerships/{partnership_id}/…

Touchpoints (with OTIF for deliveries), and surveys sent about them to a person of the other side. The
survey's public page (``/s/{token}/``) is a page, not an API operation: its token is never shown here.
"""

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Status
from ninja.pagination import paginate

from mitra.core.api import Id, Page, actor_of, errors
from mitra.moments import selectors, services
from mitra.moments.models import Kind, Outcome, SurveyRequest, SurveyStatus, Touchpoint
from mitra.moments.schemas import (
    MomentsPaymentsOut,
    OtifOut,
    SurveyIn,
    SurveyOut,
    SurveyScoresOut,
    TouchpointIn,
    TouchpointOut,
    TouchpointPatch,
)
from mitra.transfer.listexport import API_EXPORT_DOC, EXPORT_FORMAT, ExportFormat, export_response

router = Router(tags=["moments"])

READ = errors(401, 404, 422)
WRITE = errors(401, 403, 404, 409, 422)
MONTH = r"^(19|20)\d\d-(0[1-9]|1[0-2])$"
# Null means "leave as it is" for these; for the bridge, the document number, the delivery and the invoice
# fields it clears them.
NOT_CLEARABLE = ("kind", "summary", "occurred_at", "outcome", "version")


def _month(value: str | None) -> dt.date | None:
    if not value:
        return None
    year, month = value.split("-")
    return dt.date(int(year), int(month), 1)


# --- touchpoints ----------------------------------------------------------------------------------------


@router.get(
    "/partnerships/{partnership_id}/touchpoints",
    response={200: list[TouchpointOut], **READ},
    operation_id="touchpoint_list",
)
@paginate(Page)
def touchpoint_list(
    request: HttpRequest,
    partnership_id: Id,
    kind: Kind | None = None,
    outcome: Outcome | None = None,
    month: str | None = Query(None, pattern=MONTH, description="YYYY-MM"),
) -> Any:
    """The partnership's moments of truth, newest first; filter by kind, outcome and month (YYYY-MM)."""
    return selectors.touchpoint_list(
        actor_of(request), partnership_id, kind=kind, outcome=outcome, month=_month(month)
    )


@router.get(
    "/partnerships/{partnership_id}/touchpoints/export",
    response=READ,
    operation_id="touchpoint_export",
    openapi_extra=API_EXPORT_DOC,
)
def touchpoint_export(
    request: HttpRequest,
    partnership_id: Id,
    kind: Kind | None = None,
    outcome: Outcome | None = None,
    month: str | None = Query(None, pattern=MONTH, description="YYYY-MM"),
    fmt: ExportFormat = EXPORT_FORMAT,
) -> HttpResponse:
    """The moments of truth as a CSV or XLSX file, every one under the same filters as the list."""
    actor = actor_of(request)
    touchpoints = selectors.touchpoint_list(
        actor, partnership_id, kind=kind, outcome=outcome, month=_month(month)
    )
    return export_response(actor, "moments", touchpoints, fmt, partnership_id=partnership_id)


@router.post(
    "/partnerships/{partnership_id}/touchpoints",
    response={201: TouchpointOut, **WRITE},
    operation_id="touchpoint_create",
)
def touchpoint_create(request: HttpRequest, partnership_id: Id, payload: TouchpointIn) -> Status:
    """Record a moment of truth. A delivery needs promised and actual date and quantity (422 naming each
    missing one); other kinds refuse them. An invoice may carry its amount, due date and payment (paid on
    time follows); other kinds refuse those. ``reference`` is unique per partnership and kind."""
    actor = actor_of(request)
    touchpoint = services.touchpoint_create(actor, partnership_id=partnership_id, **payload.model_dump())
    return Status(201, selectors.touchpoint_get(actor, partnership_id, touchpoint.pk))


@router.get(
    "/partnerships/{partnership_id}/touchpoints/{touchpoint_id}",
    response={200: TouchpointOut, **READ},
    operation_id="touchpoint_get",
)
def touchpoint_get(request: HttpRequest, partnership_id: Id, touchpoint_id: Id) -> Touchpoint:
    return selectors.touchpoint_get(actor_of(request), partnership_id, touchpoint_id)


@router.patch(
    "/partnerships/{partnership_id}/touchpoints/{touchpoint_id}",
    response={200: TouchpointOut, **WRITE},
    operation_id="touchpoint_update",
)
def touchpoint_update(
    request: HttpRequest, partnership_id: Id, touchpoint_id: Id, payload: TouchpointPatch
) -> Touchpoint:
    """Correct a moment of truth (the side that recorded it only). Send ``version`` to refuse a stale edit."""
    actor = actor_of(request)
    selectors.touchpoint_get(actor, partnership_id, touchpoint_id)
    changes = payload.model_dump(exclude_unset=True)
    version = changes.pop("version", None)
    changes = {k: v for k, v in changes.items() if v is not None or k not in NOT_CLEARABLE}
    services.touchpoint_update(
        actor, partnership_id=partnership_id, touchpoint_id=touchpoint_id, version=version, **changes
    )
    return selectors.touchpoint_get(actor, partnership_id, touchpoint_id)


@router.get("/partnerships/{partnership_id}/otif", response={200: OtifOut, **READ}, operation_id="otif")
def otif(
    request: HttpRequest,
    partnership_id: Id,
    months: int = Query(12, ge=1, le=60, description="Calendar months back, this one included"),
) -> dict[str, Any]:
    """On time in full per month of delivery, and over the same months in total."""
    actor = actor_of(request)
    return {
        "months": selectors.otif_by_month(actor, partnership_id, months=months),
        "total": selectors.otif_total(actor, partnership_id, months=months),
    }


@router.get(
    "/partnerships/{partnership_id}/payments",
    response={200: MomentsPaymentsOut, **READ},
    operation_id="payments",
)
def payments(
    request: HttpRequest,
    partnership_id: Id,
    months: int = Query(12, ge=1, le=60, description="Calendar months back, this one included"),
) -> dict[str, Any]:
    """Invoices paid on time (by their due date) per month of payment, and over the same months in total,
    with the average days late of the late ones and the unpaid invoices overdue today."""
    actor = actor_of(request)
    return {
        "months": selectors.payments_by_month(actor, partnership_id, months=months),
        "total": selectors.payment_total(actor, partnership_id, months=months),
    }


# --- surveys --------------------------------------------------------------------------------------------


@router.get(
    "/partnerships/{partnership_id}/surveys",
    response={200: list[SurveyOut], **READ},
    operation_id="survey_list",
)
@paginate(Page)
def survey_list(
    request: HttpRequest,
    partnership_id: Id,
    status: SurveyStatus | None = None,
    touchpoint_id: Id | None = None,
) -> Any:
    """Surveys sent in this partnership with their status and scores (never the link's token)."""
    return selectors.survey_list(
        actor_of(request), partnership_id, status=status, touchpoint_id=touchpoint_id
    )


@router.post(
    "/partnerships/{partnership_id}/surveys",
    response={201: SurveyOut, **WRITE},
    operation_id="survey_create",
)
def survey_create(request: HttpRequest, partnership_id: Id, payload: SurveyIn) -> Status:
    """Send a one-time survey link about a moment of truth to a person of the other side (by e-mail, in
    their organisation's language). The link works once and expires after 14 days."""
    survey: SurveyRequest = services.survey_create(
        actor_of(request), partnership_id=partnership_id, **payload.model_dump()
    )
    return Status(201, survey)


@router.get(
    "/partnerships/{partnership_id}/survey-scores",
    response={200: SurveyScoresOut, **READ},
    operation_id="survey_scores",
)
def survey_scores(
    request: HttpRequest,
    partnership_id: Id,
    months: int = Query(12, ge=1, le=60, description="Calendar months back, this one included"),
) -> dict[str, Any]:
    """CSAT (share of answers 4–5, %) and NPS (% promoters 9–10 − % detractors 0–6) per month of answer,
    and in total over all time."""
    actor = actor_of(request)
    return {
        "months": selectors.survey_scores_by_month(actor, partnership_id, months=months),
        "total": selectors.survey_scores(actor, partnership_id),
    }
