"""The joint business plan API, under /api/v1/partnerships/{partnership_id}/…"""

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Router, Status
from ninja.pagination import paginate

from mitra.core.api import Id, Page, actor_of, errors
from mitra.plans import selectors, services
from mitra.plans.models import JointPlan
from mitra.plans.schemas import (
    PlanAgreeIn,
    PlanDetailOut,
    PlanGoalIn,
    PlanGoalOut,
    PlanGoalPatch,
    PlanIn,
    PlanOut,
    PlanReviewIn,
    PlanReviewOut,
)
from mitra.transfer.listexport import API_EXPORT_DOC, EXPORT_FORMAT, ExportFormat, export_response

router = Router(tags=["plans"])

READ = errors(401, 404, 422)
WRITE = errors(401, 403, 404, 409, 422)
PLANS = "/partnerships/{partnership_id}/plans"


@router.get(PLANS, response={200: list[PlanOut], **READ}, operation_id="plan_list")
@paginate(Page)
def plan_list(request: HttpRequest, partnership_id: Id) -> Any:
    """The partnership's yearly plans, newest first, with each side's agreement and the next review."""
    return selectors.plan_list(actor_of(request), partnership_id)


@router.get(PLANS + "/export", response=READ, operation_id="plan_export", openapi_extra=API_EXPORT_DOC)
def plan_export(request: HttpRequest, partnership_id: Id, fmt: ExportFormat = EXPORT_FORMAT) -> HttpResponse:
    """The yearly plans as a CSV or XLSX file."""
    actor = actor_of(request)
    plans = selectors.plan_list(actor, partnership_id)
    return export_response(actor, "plans", plans, fmt, partnership_id=partnership_id)


@router.post(PLANS, response={201: PlanDetailOut, **WRITE}, operation_id="plan_create")
def plan_create(request: HttpRequest, partnership_id: Id, payload: PlanIn) -> Status:
    """Start the plan of a year (one per year; 409 if it exists), as a draft without goals."""
    actor = actor_of(request)
    plan = services.plan_create(actor, partnership_id=partnership_id, year=payload.year)
    return Status(201, selectors.plan_get(actor, partnership_id, plan.pk))


@router.get(PLANS + "/{plan_id}", response={200: PlanDetailOut, **READ}, operation_id="plan_get")
def plan_get(request: HttpRequest, partnership_id: Id, plan_id: Id) -> JointPlan:
    """One plan: both sides' goals, the agreed versions, the reviews and when the next review is due."""
    return selectors.plan_get(actor_of(request), partnership_id, plan_id)


@router.post(
    PLANS + "/{plan_id}/goals", response={201: PlanGoalOut, **WRITE}, operation_id="plan_goal_create"
)
def plan_goal_create(request: HttpRequest, partnership_id: Id, plan_id: Id, payload: PlanGoalIn) -> Status:
    """Add a goal of your side. Both sides' agreement to the plan is withdrawn until they agree again."""
    goal = services.plan_goal_create(
        actor_of(request), partnership_id=partnership_id, plan_id=plan_id, **payload.model_dump()
    )
    return Status(201, goal)


@router.patch(
    PLANS + "/{plan_id}/goals/{goal_id}",
    response={200: PlanGoalOut, **WRITE},
    operation_id="plan_goal_update",
)
def plan_goal_update(
    request: HttpRequest, partnership_id: Id, plan_id: Id, goal_id: Id, payload: PlanGoalPatch
) -> Any:
    """Change a goal of your side (the other side's: 403). Withdraws both sides' agreement."""
    changes = payload.model_dump(exclude_unset=True)
    changes = {k: v for k, v in changes.items() if v is not None or k == "baseline"}
    return services.plan_goal_update(
        actor_of(request), partnership_id=partnership_id, plan_id=plan_id, goal_id=goal_id, **changes
    )


@router.delete(
    PLANS + "/{plan_id}/goals/{goal_id}", response={204: None, **WRITE}, operation_id="plan_goal_delete"
)
def plan_goal_delete(request: HttpRequest, partnership_id: Id, plan_id: Id, goal_id: Id) -> Status:
    """Remove a goal of your side (the other side's: 403). Agreed versions keep it."""
    services.plan_goal_delete(
        actor_of(request), partnership_id=partnership_id, plan_id=plan_id, goal_id=goal_id
    )
    return Status(204, None)


@router.post(PLANS + "/{plan_id}/agree", response={200: PlanDetailOut, **WRITE}, operation_id="plan_agree")
def plan_agree(request: HttpRequest, partnership_id: Id, plan_id: Id, payload: PlanAgreeIn) -> JointPlan:
    """Your side agrees to the plan's goals. When both sides have, the plan is agreed as a new version."""
    actor = actor_of(request)
    services.plan_agree(actor, partnership_id=partnership_id, plan_id=plan_id, version=payload.version)
    return selectors.plan_get(actor, partnership_id, plan_id)


@router.post(
    PLANS + "/{plan_id}/reviews", response={201: PlanReviewOut, **WRITE}, operation_id="plan_review_create"
)
def plan_review_create(
    request: HttpRequest, partnership_id: Id, plan_id: Id, payload: PlanReviewIn
) -> Status:
    """Record a review held by both sides; the next one is due a review cadence later."""
    review = services.plan_review_create(
        actor_of(request), partnership_id=partnership_id, plan_id=plan_id, **payload.model_dump()
    )
    return Status(201, review)
