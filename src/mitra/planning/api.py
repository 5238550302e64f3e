"""The collaborative planning (CPFR) API, under /api/v1/partnerships/{partnership_id}/planning/…

Both partners read the same planning data, cycles, forecasts, exceptions, proposals and orders. Writers of
either side load data, propose terms, submit their own side's forecast and resolve exceptions; only the
buyer (the customer's writers) confirms or rejects order proposals.
"""

import datetime as dt
from collections.abc import Callable
from typing import Annotated, Any

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.pagination import paginate
from pydantic import Field

from mitra.core.api import Id, Page, actor_of, errors
from mitra.core.errors import Invalid
from mitra.core.services import require_writer
from mitra.partnerships.workspace import writable_partnership
from mitra.planning import agreements, selectors, services, tasks
from mitra.planning.loading import MAX_UPLOAD_BYTES, RowErrors
from mitra.planning.models import (
    ExceptionStatus,
    ForecastSource,
    Lifecycle,
    PlanningAgreement,
    ProposalStatus,
)
from mitra.planning.schemas import (
    PlanningConfirmIn,
    PlanningCycleOut,
    PlanningExceptionOut,
    PlanningForecastIn,
    PlanningForecastOut,
    PlanningItemOut,
    PlanningLoadError,
    PlanningLoadReportOut,
    PlanningLocationOut,
    PlanningOpenOrderOut,
    PlanningOrderDetailOut,
    PlanningOrderOut,
    PlanningProposalIdsIn,
    PlanningProposalOut,
    PlanningRejectedOut,
    PlanningResolveIn,
    PlanningRowsIn,
    PlanningSellOutOut,
    PlanningSimulationOut,
    PlanningStockOut,
    PlanningTermsOut,
    PlanningTermsProposeIn,
    PlanningVersionIn,
    PlanningWrittenOut,
)
from mitra.transfer.edi import proposals as edi_orders
from mitra.transfer.listexport import API_EXPORT_DOC, EXPORT_FORMAT, ExportFormat, export_response

router = Router(tags=["planning"])

READ = errors(401, 404, 422)
WRITE = errors(401, 403, 404, 409, 422)
LOAD = {**errors(401, 403, 404, 409), 422: PlanningLoadError}
BASE = "/partnerships/{partnership_id}/planning"
Criterion = Annotated[str, Field(max_length=20, description="e.g. forecast_gap, low_stock, overstock")]
# Terms that cannot be empty: null in a proposal means "leave as it is" for them.
NOT_NULLABLE = tuple(
    t for t in agreements.TERMS if not getattr(PlanningAgreement._meta.get_field(t), "null", False)
)


def _row_errors(exc: RowErrors) -> Status:
    """A 422 that lists every bad row with its row number, column and message."""
    return Status(
        422,
        {
            "detail": exc.message,
            "code": exc.code,
            "errors": exc.as_list(),
            "rows": [e.as_dict() for e in exc.rows],
        },
    )


def _load(request: HttpRequest, partnership_id: int, kind: str, payload: PlanningRowsIn) -> Any:
    try:
        return services.planning_data_load(
            actor_of(request),
            partnership_id=partnership_id,
            kind=kind,
            rows=payload.rows,
            dry_run=payload.dry_run,
            first_row=1,
        )
    except RowErrors as exc:
        return _row_errors(exc)


# ---- planning data ------------------------------------------------------------------------------------


@router.get(BASE + "/items", response={200: list[PlanningItemOut], **READ}, operation_id="planning_item_list")
@paginate(Page)
def planning_item_list(
    request: HttpRequest,
    partnership_id: Id,
    q: Annotated[str, Field(max_length=100)] | None = None,
    lifecycle: Lifecycle | None = None,
) -> Any:
    """The items both partners trade, by supplier SKU. ``q`` searches both SKUs and the name."""
    return selectors.item_list(
        actor_of(request), partnership_id, q=q, lifecycle=lifecycle.value if lifecycle else None
    )


@router.get(
    BASE + "/items/export", response=READ, operation_id="planning_item_export", openapi_extra=API_EXPORT_DOC
)
def planning_item_export(
    request: HttpRequest,
    partnership_id: Id,
    q: Annotated[str, Field(max_length=100)] | None = None,
    lifecycle: Lifecycle | None = None,
    fmt: ExportFormat = EXPORT_FORMAT,
) -> HttpResponse:
    """The items as a CSV or XLSX file, every one under the same filters as the list."""
    actor = actor_of(request)
    items = selectors.item_list(actor, partnership_id, q=q, lifecycle=lifecycle.value if lifecycle else None)
    return export_response(actor, "planning-items", items, fmt, partnership_id=partnership_id)


@router.post(
    BASE + "/items", response={200: PlanningLoadReportOut, **LOAD}, operation_id="planning_items_load"
)
def planning_items_load(request: HttpRequest, partnership_id: Id, payload: PlanningRowsIn) -> Any:
    """Load items (writers of either side): columns ``supplier_sku``, ``customer_sku``, ``name`` and
    optionally ``unit``, ``case_pack``, ``lead_time_days``, ``min_order``, ``weekly_capacity``,
    ``lifecycle``. Matched on the supplier SKU: new items are created, changed ones updated, and a repeated
    load writes nothing. All rows or none: a 422 lists every bad row (numbered from 1)."""
    return _load(request, partnership_id, "items", payload)


@router.get(
    BASE + "/locations",
    response={200: list[PlanningLocationOut], **READ},
    operation_id="planning_location_list",
)
@paginate(Page)
def planning_location_list(request: HttpRequest, partnership_id: Id) -> Any:
    """The customer's distribution centres and stores, by code."""
    return selectors.location_list(actor_of(request), partnership_id)


@router.get(
    BASE + "/locations/export",
    response=READ,
    operation_id="planning_location_export",
    openapi_extra=API_EXPORT_DOC,
)
def planning_location_export(
    request: HttpRequest, partnership_id: Id, fmt: ExportFormat = EXPORT_FORMAT
) -> HttpResponse:
    """The locations as a CSV or XLSX file."""
    actor = actor_of(request)
    locations = selectors.location_list(actor, partnership_id)
    return export_response(actor, "planning-locations", locations, fmt, partnership_id=partnership_id)


@router.post(
    BASE + "/locations",
    response={200: PlanningLoadReportOut, **LOAD},
    operation_id="planning_locations_load",
)
def planning_locations_load(request: HttpRequest, partnership_id: Id, payload: PlanningRowsIn) -> Any:
    """Load locations: columns ``code``, ``name`` and optionally ``kind`` (dc or store) and ``city``.
    Matched on the code; all rows or none, every bad row listed in a 422."""
    return _load(request, partnership_id, "locations", payload)


@router.get(
    BASE + "/sell-out",
    response={200: list[PlanningSellOutOut], **READ},
    operation_id="planning_sell_out_list",
)
@paginate(Page)
def planning_sell_out_list(
    request: HttpRequest,
    partnership_id: Id,
    item_id: Id | None = None,
    location_id: Id | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> Any:
    """The customer's sell-out history, the latest period first; filter by item, location and period."""
    return selectors.sell_out_list(
        actor_of(request), partnership_id, item_id=item_id, location_id=location_id, since=since, until=until
    )


@router.post(
    BASE + "/sell-out", response={200: PlanningLoadReportOut, **LOAD}, operation_id="planning_sell_out_load"
)
def planning_sell_out_load(request: HttpRequest, partnership_id: Id, payload: PlanningRowsIn) -> Any:
    """Load sell-out: columns ``sku`` (either side's SKU; or ``supplier_sku`` / ``customer_sku``),
    ``location`` (its code), ``period`` (YYYY-MM-DD: a day, or the Monday of a week) and ``quantity``.
    Matched on item, location and period; all rows or none, every bad row listed in a 422."""
    return _load(request, partnership_id, "sell_out", payload)


@router.get(
    BASE + "/stock", response={200: list[PlanningStockOut], **READ}, operation_id="planning_stock_list"
)
@paginate(Page)
def planning_stock_list(request: HttpRequest, partnership_id: Id) -> Any:
    """Stock positions (on hand and in transit) per item and location, the latest day first."""
    return selectors.stock_list(actor_of(request), partnership_id)


@router.post(
    BASE + "/stock", response={200: PlanningLoadReportOut, **LOAD}, operation_id="planning_stock_load"
)
def planning_stock_load(request: HttpRequest, partnership_id: Id, payload: PlanningRowsIn) -> Any:
    """Load stock positions: columns ``sku``, ``location``, ``as_of`` (YYYY-MM-DD), ``on_hand`` and
    optionally ``in_transit``. Matched on item, location and day; all rows or none."""
    return _load(request, partnership_id, "stock", payload)


@router.get(
    BASE + "/open-orders",
    response={200: list[PlanningOpenOrderOut], **READ},
    operation_id="planning_open_order_list",
)
@paginate(Page)
def planning_open_order_list(request: HttpRequest, partnership_id: Id) -> Any:
    """Order lines placed and not delivered yet, the earliest due first."""
    return selectors.open_order_list(actor_of(request), partnership_id)


@router.post(
    BASE + "/open-orders",
    response={200: PlanningLoadReportOut, **LOAD},
    operation_id="planning_open_orders_load",
)
def planning_open_orders_load(request: HttpRequest, partnership_id: Id, payload: PlanningRowsIn) -> Any:
    """Load open orders: columns ``number``, ``sku``, ``location``, ``quantity`` and ``due_date``
    (YYYY-MM-DD). Matched on order number, item and location; all rows or none."""
    return _load(request, partnership_id, "open_orders", payload)


# The file is read from ``request.FILES`` rather than declared as a ninja parameter, so that the access check
# answers (404, 403) before a missing file does (422); the request body is documented here instead. The
# middleware refuses a form field holding a NUL character before the API sees it (plain text, 400).
UPLOAD_OPENAPI = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "file": {
                            "type": "string",
                            "format": "binary",
                            "description": "A UTF-8 CSV file, comma or semicolon separated",
                        }
                    },
                    "required": ["file"],
                }
            }
        },
    },
    "responses": {
        400: {
            "description": "A form field holds a NUL character",
            "content": {"text/plain": {"schema": {"type": "string"}}},
        }
    },
}


@router.post(
    BASE + "/uploads/{kind}",
    response={200: PlanningLoadReportOut, **LOAD},
    operation_id="planning_upload",
    openapi_extra=UPLOAD_OPENAPI,
)
def planning_upload(
    request: HttpRequest,
    partnership_id: Id,
    kind: Annotated[
        str, Field(max_length=20, description="items, locations, sell_out, stock or open_orders")
    ],
    dry_run: bool = False,
) -> Any:
    """Load a CSV file of planning data (multipart form field ``file``) with the columns of the matching
    load operation, the header in row 1. ``?dry_run=true`` checks and previews without writing. Errors name
    the rows as they are numbered in the file."""
    actor = actor_of(request)
    file = request.FILES.get("file")
    if file is None:
        # Who may not write here learns nothing more than that.
        require_writer(actor)
        writable_partnership(actor, partnership_id)
        raise Invalid({"file": [_("Attach the CSV file as the form field “file”.")]})
    data = file.read(MAX_UPLOAD_BYTES + 1)
    try:
        return services.planning_file_load(
            actor, partnership_id=partnership_id, kind=kind, data=data, dry_run=dry_run
        )
    except RowErrors as exc:
        return _row_errors(exc)


# ---- terms --------------------------------------------------------------------------------------------


def _terms(request: HttpRequest, partnership_id: int) -> dict[str, Any]:
    view = selectors.agreement_get(actor_of(request), partnership_id)
    agreement = view.agreement
    return {
        "terms": view.terms,
        "proposed": view.proposed,
        "status": agreement.status,
        "proposed_by_side": agreement.proposed_by_side,
        "changes": {k: {"current": now, "proposed": new} for k, (now, new) in view.changes.items()},
        "version": agreement.version,
    }


@router.get(BASE + "/terms", response={200: PlanningTermsOut, **READ}, operation_id="planning_terms_get")
def planning_terms_get(request: HttpRequest, partnership_id: Id) -> Any:
    """The planning terms in force (how the consensus is made, the exception criteria, service level and
    ordering) and, while one side proposes a change, the proposal with each changed term."""
    return _terms(request, partnership_id)


@router.post(
    BASE + "/terms", response={200: PlanningTermsOut, **WRITE}, operation_id="planning_terms_propose"
)
def planning_terms_propose(request: HttpRequest, partnership_id: Id, payload: PlanningTermsProposeIn) -> Any:
    """Propose a change of the planning terms (writers of either side). It applies once the other side
    agrees; until then the terms in force stay. You may revise your own waiting proposal, not the other
    side's (409)."""
    changes = payload.changes.model_dump(mode="json", exclude_unset=True)
    changes = {k: v for k, v in changes.items() if v is not None or k not in NOT_NULLABLE}
    services.planning_agreement_propose(
        actor_of(request), partnership_id=partnership_id, changes=changes, version=payload.version
    )
    return _terms(request, partnership_id)


@router.post(
    BASE + "/terms/agree", response={200: PlanningTermsOut, **WRITE}, operation_id="planning_terms_agree"
)
def planning_terms_agree(request: HttpRequest, partnership_id: Id, payload: PlanningVersionIn) -> Any:
    """Agree to the other side's proposed terms: they apply from the next planning run."""
    services.planning_agreement_decide(
        actor_of(request), partnership_id=partnership_id, agree=True, version=payload.version
    )
    return _terms(request, partnership_id)


@router.post(
    BASE + "/terms/decline", response={200: PlanningTermsOut, **WRITE}, operation_id="planning_terms_decline"
)
def planning_terms_decline(request: HttpRequest, partnership_id: Id, payload: PlanningVersionIn) -> Any:
    """Decline the other side's proposed terms, or withdraw your own: the terms in force stay."""
    services.planning_agreement_decide(
        actor_of(request), partnership_id=partnership_id, agree=False, version=payload.version
    )
    return _terms(request, partnership_id)


# ---- cycles and runs ----------------------------------------------------------------------------------


@router.get(
    BASE + "/cycles", response={200: list[PlanningCycleOut], **READ}, operation_id="planning_cycle_list"
)
@paginate(Page)
def planning_cycle_list(request: HttpRequest, partnership_id: Id) -> Any:
    """The weekly planning cycles, the latest first, with their open exceptions and proposals."""
    return selectors.cycle_list(actor_of(request), partnership_id)


@router.get(
    BASE + "/cycles/{cycle_id}", response={200: PlanningCycleOut, **READ}, operation_id="planning_cycle_get"
)
def planning_cycle_get(request: HttpRequest, partnership_id: Id, cycle_id: Id) -> Any:
    """One cycle with the status and progress (0–100) of its planning run."""
    return selectors.cycle_get(actor_of(request), partnership_id, cycle_id)


@router.post(BASE + "/run", response={202: PlanningCycleOut, **WRITE}, operation_id="planning_run")
def planning_run(request: HttpRequest, partnership_id: Id) -> Status:
    """Plan this week's cycle on the job backend (writers of either side): the statistical forecast, the
    consensus by the agreed rule, the exceptions and the order proposals. Answers 202 with the cycle; poll
    it for the run's progress. A run already queued or running answers 409."""
    actor = actor_of(request)
    cycle = services.planning_run_queue(actor, partnership_id=partnership_id)
    enqueue: Callable[[], Any] = lambda: tasks.run_planning.enqueue(partnership_id)  # noqa: E731
    transaction.on_commit(enqueue)
    return Status(202, selectors.cycle_get(actor, partnership_id, cycle.pk))


# ---- forecasts ----------------------------------------------------------------------------------------


@router.get(
    BASE + "/forecasts",
    response={200: list[PlanningForecastOut], **READ},
    operation_id="planning_forecast_list",
)
@paginate(Page)
def planning_forecast_list(
    request: HttpRequest,
    partnership_id: Id,
    cycle_id: Id | None = None,
    source: ForecastSource | None = None,
    item_id: Id | None = None,
    location_id: Id | None = None,
) -> Any:
    """The weekly forecast lines of a cycle (default: the latest) by item, location, source and week, with
    the consensus' interval (``lo``–``hi``) and the model that made each line."""
    return selectors.forecast_lines(
        actor_of(request),
        partnership_id,
        cycle_id=cycle_id,
        source=source.value if source else None,
        item_id=item_id,
        location_id=location_id,
    )


@router.post(
    BASE + "/forecasts",
    response={200: PlanningWrittenOut, **LOAD},
    operation_id="planning_forecast_submit",
)
def planning_forecast_submit(request: HttpRequest, partnership_id: Id, payload: PlanningForecastIn) -> Any:
    """Submit or adjust your side's forecast for this week's cycle (writers of either side): each row an
    item (either SKU), a location code, a week and a quantity. Rows replace the same weeks; all rows or
    none. Under the manual consensus rule, rows with ``source: consensus`` set the consensus."""
    rows = [{**r.model_dump(mode="json"), "source": r.source or ""} for r in payload.rows]
    try:
        written = services.planning_forecast_submit(
            actor_of(request), partnership_id=partnership_id, rows=rows, first_row=1
        )
    except RowErrors as exc:
        return _row_errors(exc)
    return {"written": written}


# ---- exceptions ---------------------------------------------------------------------------------------


@router.get(
    BASE + "/exceptions",
    response={200: list[PlanningExceptionOut], **READ},
    operation_id="planning_exception_list",
)
@paginate(Page)
def planning_exception_list(
    request: HttpRequest,
    partnership_id: Id,
    status: ExceptionStatus | None = None,
    criterion: Criterion | None = None,
    cycle_id: Id | None = None,
) -> Any:
    """The exceptions of a cycle (default: the latest) that the agreed criteria flagged, open and most
    urgent first."""
    return selectors.exception_list(
        actor_of(request),
        partnership_id,
        status=status.value if status else None,
        criterion=criterion,
        cycle_id=cycle_id,
    )


@router.get(
    BASE + "/exceptions/export",
    response=READ,
    operation_id="planning_exception_export",
    openapi_extra=API_EXPORT_DOC,
)
def planning_exception_export(
    request: HttpRequest,
    partnership_id: Id,
    status: ExceptionStatus | None = None,
    criterion: Criterion | None = None,
    cycle_id: Id | None = None,
    fmt: ExportFormat = EXPORT_FORMAT,
) -> HttpResponse:
    """The exceptions as a CSV or XLSX file, every one under the same filters as the list."""
    actor = actor_of(request)
    found = selectors.exception_list(
        actor,
        partnership_id,
        status=status.value if status else None,
        criterion=criterion,
        cycle_id=cycle_id,
    )
    return export_response(actor, "planning-exceptions", found, fmt, partnership_id=partnership_id)


@router.get(
    BASE + "/exceptions/{exception_id}",
    response={200: PlanningExceptionOut, **READ},
    operation_id="planning_exception_get",
)
def planning_exception_get(request: HttpRequest, partnership_id: Id, exception_id: Id) -> Any:
    """One exception: its criterion, the value against the agreed threshold and how it was resolved."""
    return selectors.exception_get(actor_of(request), partnership_id, exception_id)


@router.post(
    BASE + "/exceptions/{exception_id}/resolve",
    response={200: PlanningExceptionOut, **WRITE},
    operation_id="planning_exception_resolve",
)
def planning_exception_resolve(
    request: HttpRequest, partnership_id: Id, exception_id: Id, payload: PlanningResolveIn
) -> Any:
    """Resolve an exception with a resolution code and a note (writers of either side). Resolving one
    already resolved, or a stale ``version``, answers 409."""
    actor = actor_of(request)
    services.planning_exception_resolve(
        actor,
        partnership_id=partnership_id,
        exception_id=exception_id,
        resolution=payload.resolution.value,
        note=payload.note,
        version=payload.version,
    )
    return selectors.exception_get(actor, partnership_id, exception_id)


# ---- proposals and orders -----------------------------------------------------------------------------


@router.get(
    BASE + "/proposals",
    response={200: list[PlanningProposalOut], **READ},
    operation_id="planning_proposal_list",
)
@paginate(Page)
def planning_proposal_list(
    request: HttpRequest,
    partnership_id: Id,
    status: ProposalStatus | None = None,
    cycle_id: Id | None = None,
) -> Any:
    """The order proposals of a cycle (default: the latest): what to order per item and location, and
    how it was computed (demand over lead time and review, safety stock, order-up-to level, position)."""
    return selectors.proposal_list(
        actor_of(request), partnership_id, status=status.value if status else None, cycle_id=cycle_id
    )


@router.post(
    BASE + "/proposals/confirm",
    response={200: list[PlanningOrderDetailOut], **WRITE},
    operation_id="planning_proposals_confirm",
)
def planning_proposals_confirm(request: HttpRequest, partnership_id: Id, payload: PlanningConfirmIn) -> Any:
    """Confirm proposals into orders, one order per location (the buyer only: the customer's writers).
    ``quantities`` changes a proposal's quantity, rounded up to the case pack. Answers the new orders."""
    actor = actor_of(request)
    orders = services.planning_proposals_decide(
        actor,
        partnership_id=partnership_id,
        proposal_ids=payload.proposal_ids,
        confirm=True,
        quantities=payload.quantities,
    )
    return [selectors.order_get(actor, partnership_id, o.pk) for o in orders]


@router.post(
    BASE + "/proposals/reject",
    response={200: PlanningRejectedOut, **WRITE},
    operation_id="planning_proposals_reject",
)
def planning_proposals_reject(
    request: HttpRequest, partnership_id: Id, payload: PlanningProposalIdsIn
) -> Any:
    """Reject proposals (the buyer only): no order is made of them."""
    services.planning_proposals_decide(
        actor_of(request), partnership_id=partnership_id, proposal_ids=payload.proposal_ids, confirm=False
    )
    return {"rejected": len(set(payload.proposal_ids))}


@router.get(
    BASE + "/orders", response={200: list[PlanningOrderOut], **READ}, operation_id="planning_order_list"
)
@paginate(Page)
def planning_order_list(request: HttpRequest, partnership_id: Id) -> Any:
    """The orders the buyer confirmed from proposals, the newest first."""
    return selectors.order_list(actor_of(request), partnership_id)


@router.get(
    BASE + "/orders/{order_id}",
    response={200: PlanningOrderDetailOut, **READ},
    operation_id="planning_order_get",
)
def planning_order_get(request: HttpRequest, partnership_id: Id, order_id: Id) -> Any:
    """One order with its lines: both SKUs, quantity, unit and expected arrival."""
    return selectors.order_get(actor_of(request), partnership_id, order_id)


CSV_RESPONSE = {
    "responses": {
        200: {
            "description": "The order as a CSV file",
            "content": {"text/csv": {"schema": {"type": "string"}}},
        }
    }
}


@router.get(
    BASE + "/orders/{order_id}/export",
    response=READ,
    operation_id="planning_order_export",
    openapi_extra=CSV_RESPONSE,
)
def planning_order_export(request: HttpRequest, partnership_id: Id, order_id: Id) -> HttpResponse:
    """The order as a CSV file for the supplier's order entry: one line per item with both SKUs
    (columns order_number, location, supplier_sku, customer_sku, item, quantity, unit, arrival)."""
    order = selectors.order_get(actor_of(request), partnership_id, order_id)
    response = HttpResponse(selectors.order_csv(order), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{order.number}.csv"'
    return response


def _edi_response(description: str, media_type: str) -> dict[str, Any]:
    return {
        "responses": {
            200: {"description": description, "content": {media_type: {"schema": {"type": "string"}}}}
        }
    }


def _order_edi(request: HttpRequest, partnership_id: int, order_id: int, syntax: str) -> HttpResponse:
    name, content = edi_orders.order_edi(actor_of(request), partnership_id, order_id, syntax)
    kind = "application/edi-x12" if syntax == "x12" else "application/edifact"
    response = HttpResponse(content, content_type=f"{kind}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@router.get(
    BASE + "/orders/{order_id}/export/edifact",
    response=READ,
    operation_id="planning_order_export_edifact",
    openapi_extra=_edi_response("The order as an EDIFACT ORDERS message (D.96A)", "application/edifact"),
)
def planning_order_export_edifact(request: HttpRequest, partnership_id: Id, order_id: Id) -> HttpResponse:
    """The order as an EDIFACT ORDERS interchange (D.96A) from the buyer to the supplier: one LIN per
    item with the supplier's (SA) and the buyer's (IN) article number, QTY+21 and DTM+2."""
    return _order_edi(request, partnership_id, order_id, "edifact")


@router.get(
    BASE + "/orders/{order_id}/export/x12",
    response=READ,
    operation_id="planning_order_export_x12",
    openapi_extra=_edi_response("The order as an X12 850 purchase order (004010)", "application/edi-x12"),
)
def planning_order_export_x12(request: HttpRequest, partnership_id: Id, order_id: Id) -> HttpResponse:
    """The order as an X12 850 purchase order (004010): one PO1 per item with the vendor's (VP) and the
    buyer's (BP) part number and the requested delivery date DTM*002."""
    return _order_edi(request, partnership_id, order_id, "x12")


# ---- simulation ---------------------------------------------------------------------------------------


@router.get(
    BASE + "/simulation", response={200: PlanningSimulationOut, **READ}, operation_id="planning_simulation"
)
def planning_simulation(request: HttpRequest, partnership_id: Id) -> Any:
    """Push against partnering, replayed on the partnership's own weekly sell-out: a monthly push quota
    and the CPFR proposals with the agreed review period and service level. Per policy: average stock,
    weeks of cover, fill rate, stock-out weeks, lost sales and overstock. Without enough sell-out
    history (more than a year of weeks) there are no policies and no parameters."""
    sim = selectors.simulation(actor_of(request), partnership_id)
    if sim is None:
        return {"params": None, "series": 0, "weeks": 0, "policies": []}
    policies = sim.policies.astype(object).where(sim.policies.notna(), None)
    return {
        "params": {
            "lead_time_weeks": sim.params.lead_time_weeks,
            "review_weeks": sim.params.review_weeks,
            "service_level": sim.params.service_level,
        },
        "series": sim.series,
        "weeks": sim.weeks,
        "policies": policies.to_dict("records"),
    }
