"""Writes on the joint business plan: plans per year, each side's goals, agreement and reviews.

The acting side comes from the actor's organisation. A side changes only its own goals; any change to the
goals withdraws both sides' agreement (a plan is agreed to *these* goals). When both sides have agreed,
the plan becomes agreed and its goals are kept as the next numbered version.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mitra.core.errors import Conflict, Invalid, NotFound, PermissionDenied
from mitra.core.history import records_actor
from mitra.core.services import check_version, require_writer, validate_and_save
from mitra.core.tenancy import Actor, restrict
from mitra.partnerships.models import Partnership, Side
from mitra.partnerships.workspace import locked_record, side_of, writable_partnership
from mitra.plans.models import MAX_YEAR, MIN_YEAR, JointPlan, PlanGoal, PlanReview, PlanStatus, PlanVersion
from mitra.threads.events import record_event

MAX_AMOUNT = Decimal("9999999999999999.99")
YEARS_AHEAD = 5


def _locked_plan(actor: Actor, partnership: Partnership, plan_id: int) -> JointPlan:
    plan = locked_record(
        actor, JointPlan, partnership_id=partnership.pk, record_id=plan_id, missing=_("Plan not found.")
    )
    plan.partnership = partnership
    return plan


def _text(value: str | None, field: str, required: bool = False) -> str:
    value = (value or "").strip()
    if required and not value:
        raise Invalid({field: [_("This field is required.")]})
    return value


def _amount(value: Any, field: str, required: bool = False) -> Decimal | None:
    if value is None or value == "":
        if required:
            raise Invalid({field: [_("This field is required.")]})
        return None
    try:
        amount = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError) as exc:
        raise Invalid({field: [_("Enter a number.")]}) from exc
    if not amount.is_finite() or abs(amount) > MAX_AMOUNT:
        raise Invalid({field: [_("Enter a number with at most 16 digits before the decimal point.")]})
    return amount


def _required_amount(value: Any, field: str) -> Decimal:
    amount = _amount(value, field, required=True)
    assert amount is not None
    return amount


def _withdraw_agreement(plan: JointPlan) -> None:
    """The goals changed: neither side has agreed to them yet. Earlier versions stay as they were."""
    plan.supplier_agreed_at = plan.supplier_agreed_by = None
    plan.customer_agreed_at = plan.customer_agreed_by = None
    plan.status = PlanStatus.DRAFT
    plan.version += 1
    validate_and_save(
        plan,
        update_fields=[
            "supplier_agreed_at",
            "supplier_agreed_by",
            "customer_agreed_at",
            "customer_agreed_by",
            "status",
            "version",
            "updated_at",
        ],
    )


@records_actor
@transaction.atomic
def plan_create(actor: Actor, *, partnership_id: int, year: int) -> JointPlan:
    """Start the partnership's plan for ``year`` (one per year), as a draft without goals."""
    require_writer(actor)
    partnership = writable_partnership(actor, partnership_id)
    this_year = timezone.localdate().year
    if not (MIN_YEAR <= year <= MAX_YEAR) or not (this_year - YEARS_AHEAD <= year <= this_year + YEARS_AHEAD):
        raise Invalid(
            {
                "year": [
                    _("Choose a year from %(first)s to %(last)s.")
                    % {"first": this_year - YEARS_AHEAD, "last": this_year + YEARS_AHEAD}
                ]
            }
        )
    if JointPlan.objects.filter(partnership=partnership, year=year).exists():
        raise Conflict(_("This partnership already has a plan for %(year)s.") % {"year": year})
    plan = validate_and_save(JointPlan(partnership=partnership, year=year, created_by=actor.user))
    record_event(actor, plan, kind="plan", verb="created", title=str(plan))
    return plan


@records_actor
@transaction.atomic
def plan_goal_create(
    actor: Actor,
    *,
    partnership_id: int,
    plan_id: int,
    title: str,
    kpi_name: str,
    target: Any,
    unit: str = "",
    baseline: Any = None,
    note: str = "",
) -> PlanGoal:
    """Add a goal of the actor's own side. It withdraws both sides' agreement to the plan."""
    require_writer(actor)
    partnership = writable_partnership(actor, partnership_id)
    plan = _locked_plan(actor, partnership, plan_id)
    goal = PlanGoal(
        partnership=partnership,
        plan=plan,
        side=side_of(actor, partnership),
        title=_text(title, "title", required=True),
        kpi_name=_text(kpi_name, "kpi_name", required=True),
        unit=_text(unit, "unit"),
        baseline=_amount(baseline, "baseline"),
        target=_required_amount(target, "target"),
        note=_text(note, "note"),
        created_by=actor.user,
    )
    validate_and_save(goal)
    _withdraw_agreement(plan)
    record_event(
        actor,
        plan,
        kind="plan",
        verb="updated",
        title=str(plan),
        detail=_("Goal added: %(goal)s") % {"goal": goal},
    )
    return goal


UNSET: Any = object()


def _own_goal(actor: Actor, partnership: Partnership, plan: JointPlan, goal_id: int) -> PlanGoal:
    goal = (
        restrict(PlanGoal.objects.all(), actor)
        .select_for_update(of=("self",))
        .filter(pk=goal_id, plan_id=plan.pk)
        .first()
    )
    if goal is None:
        raise NotFound(_("Goal not found."))
    if goal.side != side_of(actor, partnership):
        raise PermissionDenied(_("Each side changes only its own goals. This goal is the other side's."))
    return goal


@records_actor
@transaction.atomic
def plan_goal_update(
    actor: Actor,
    *,
    partnership_id: int,
    plan_id: int,
    goal_id: int,
    version: int | None = None,
    title: str | None = None,
    kpi_name: str | None = None,
    unit: str | None = None,
    baseline: Any = UNSET,
    target: Any = None,
    note: str | None = None,
) -> PlanGoal:
    """Change one of the actor's side's goals (``baseline=None`` clears it).

    A change withdraws both sides' agreement; saving the goal as it was changes nothing (no new version,
    no event, the agreement stands).
    """
    require_writer(actor)
    partnership = writable_partnership(actor, partnership_id)
    plan = _locked_plan(actor, partnership, plan_id)
    goal = _own_goal(actor, partnership, plan, goal_id)
    check_version(goal, version)
    changes: dict[str, Any] = {}
    if title is not None:
        changes["title"] = _text(title, "title", required=True)
    if kpi_name is not None:
        changes["kpi_name"] = _text(kpi_name, "kpi_name", required=True)
    if unit is not None:
        changes["unit"] = _text(unit, "unit")
    if note is not None:
        changes["note"] = _text(note, "note")
    if baseline is not UNSET:
        changes["baseline"] = _amount(baseline, "baseline")
    if target is not None:
        changes["target"] = _required_amount(target, "target")
    fields = [name for name, value in changes.items() if getattr(goal, name) != value]
    if not fields:
        # Saved as it was: the goals did not change, so both sides' agreement stands.
        return goal
    for name in fields:
        setattr(goal, name, changes[name])
    goal.version += 1
    validate_and_save(goal, update_fields=[*fields, "version", "updated_at"])
    _withdraw_agreement(plan)
    record_event(
        actor,
        plan,
        kind="plan",
        verb="updated",
        title=str(plan),
        detail=_("Goal changed: %(goal)s") % {"goal": goal},
    )
    return goal


@records_actor
@transaction.atomic
def plan_goal_delete(actor: Actor, *, partnership_id: int, plan_id: int, goal_id: int) -> None:
    """Remove one of the actor's side's goals. It withdraws the agreement; agreed versions keep it."""
    require_writer(actor)
    partnership = writable_partnership(actor, partnership_id)
    plan = _locked_plan(actor, partnership, plan_id)
    goal = _own_goal(actor, partnership, plan, goal_id)
    title = goal.title
    goal.delete()
    _withdraw_agreement(plan)
    record_event(
        actor,
        plan,
        kind="plan",
        verb="updated",
        title=str(plan),
        detail=_("Goal removed: %(goal)s") % {"goal": title},
    )


@records_actor
@transaction.atomic
def plan_agree(actor: Actor, *, partnership_id: int, plan_id: int, version: int | None = None) -> JointPlan:
    """The actor's side agrees to the plan's goals as they are (``version``: as the actor read them).

    When the other side has agreed too, the plan is agreed and its goals become the next version.
    """
    require_writer(actor)
    partnership = writable_partnership(actor, partnership_id)
    plan = _locked_plan(actor, partnership, plan_id)
    check_version(plan, version)
    side = side_of(actor, partnership)
    if plan.status == PlanStatus.AGREED:
        raise Conflict(
            _("Both sides have already agreed to this plan. Change a goal to start a new version.")
        )
    if plan.agreed_at(side) is not None:
        raise Conflict(_("Your side has already agreed to this plan; the other side has not yet."))
    goals = list(PlanGoal.objects.filter(plan=plan).order_by("side", "created_at", "id"))
    if not goals:
        raise Conflict(_("Add at least one goal before agreeing to the plan."))
    now = timezone.now()
    if side == Side.SUPPLIER:
        plan.supplier_agreed_at, plan.supplier_agreed_by = now, actor.user
    else:
        plan.customer_agreed_at, plan.customer_agreed_by = now, actor.user
    both = plan.supplier_agreed_at is not None and plan.customer_agreed_at is not None
    if both:
        plan.status = PlanStatus.AGREED
        plan.agreed_version += 1
    plan.version += 1
    validate_and_save(plan)
    record_event(actor, plan, kind="plan", verb="agreed", title=str(plan))
    if plan.supplier_agreed_at is not None and plan.customer_agreed_at is not None:
        snapshot = validate_and_save(
            PlanVersion(
                partnership=partnership,
                plan=plan,
                number=plan.agreed_version,
                goals=[goal.snapshot() for goal in goals],
                supplier_agreed_at=plan.supplier_agreed_at,
                supplier_agreed_by=plan.supplier_agreed_by,
                customer_agreed_at=plan.customer_agreed_at,
                customer_agreed_by=plan.customer_agreed_by,
            )
        )
        record_event(
            actor,
            plan,
            kind="plan",
            verb="published",
            title=str(plan),
            detail=str(snapshot),
            url=snapshot.get_absolute_url(),
        )
    return plan


@records_actor
@transaction.atomic
def plan_review_create(
    actor: Actor, *, partnership_id: int, plan_id: int, held_on: dt.date, notes: str = ""
) -> PlanReview:
    """Record a review of the plan held by both sides; the next one is due a cadence later."""
    require_writer(actor)
    partnership = writable_partnership(actor, partnership_id)
    plan = _locked_plan(actor, partnership, plan_id)
    today = timezone.localdate()
    if held_on > today:
        raise Invalid({"held_on": [_("Record a review once it has been held, not before.")]})
    if held_on < dt.date(plan.year, 1, 1):
        raise Invalid(
            {
                "held_on": [
                    _("A review of the %(year)s plan is held in %(year)s or later.") % {"year": plan.year}
                ]
            }
        )
    review = validate_and_save(
        PlanReview(
            partnership=partnership,
            plan=plan,
            held_on=held_on,
            notes=_text(notes, "notes"),
            recorded_by=actor.user,
            recorded_by_side=side_of(actor, partnership),
        )
    )
    record_event(actor, plan, kind="plan", verb="reviewed", title=str(plan), detail=review.notes[:300])
    return review
