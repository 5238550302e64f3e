"""Reads of the joint business plan: the plans by year, one plan with its goals, versions and reviews.

Plans read here carry their latest review date (``last_review``, annotated), so that the plan's
``next_review_date`` and ``review_overdue`` need no further query.
"""

from __future__ import annotations

from django.db.models import Count, Max, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from mitra.core.errors import NotFound
from mitra.core.tenancy import Actor, restrict
from mitra.partnerships.models import Side
from mitra.partnerships.workspace import shared_partnership
from mitra.plans.models import JointPlan, PlanGoal, PlanReview, PlanVersion


def _plans(actor: Actor, partnership_id: int) -> QuerySet[JointPlan]:
    return (
        restrict(JointPlan.objects.all(), actor)
        .filter(partnership_id=partnership_id)
        .select_related("partnership", "supplier_agreed_by", "customer_agreed_by")
        .annotate(
            last_review=Max("reviews__held_on"),
            supplier_goals=Count("goals", filter=Q(goals__side=Side.SUPPLIER), distinct=True),
            customer_goals=Count("goals", filter=Q(goals__side=Side.CUSTOMER), distinct=True),
        )
    )


def plan_list(actor: Actor, partnership_id: int) -> QuerySet[JointPlan]:
    """The partnership's plans, newest year first, with goal counts and the next review date."""
    shared_partnership(actor, partnership_id)
    return _plans(actor, partnership_id).order_by("-year", "-id")


def plan_get(actor: Actor, partnership_id: int, plan_id: int) -> JointPlan:
    """One plan with its goals, agreed versions and reviews (four queries however many there are)."""
    return _one(actor, partnership_id, Q(pk=plan_id))


def plan_for_year(actor: Actor, partnership_id: int, year: int) -> JointPlan:
    return _one(actor, partnership_id, Q(year=year))


def _one(actor: Actor, partnership_id: int, which: Q) -> JointPlan:
    shared_partnership(actor, partnership_id)
    plan = (
        _plans(actor, partnership_id)
        .filter(which)
        .prefetch_related(
            Prefetch(
                "goals",
                queryset=PlanGoal.objects.select_related("created_by").order_by("side", "created_at", "id"),
            ),
            Prefetch(
                "versions",
                queryset=PlanVersion.objects.select_related(
                    "supplier_agreed_by", "customer_agreed_by"
                ).order_by("-number"),
            ),
            Prefetch(
                "reviews",
                queryset=PlanReview.objects.select_related("recorded_by").order_by("-held_on", "-id"),
            ),
        )
        .first()
    )
    if plan is None:
        raise NotFound(_("Plan not found."))
    return plan


def plan_summary(actor: Actor, partnership_id: int, year: int) -> JointPlan | None:
    """This year's plan (with its next review) for the overview card, or None: one query."""
    return _plans(actor, partnership_id).filter(year=year).first()


def goal_get(actor: Actor, plan: JointPlan, goal_id: int) -> PlanGoal:
    goal = restrict(PlanGoal.objects.all(), actor).filter(plan_id=plan.pk, pk=goal_id).first()
    if goal is None:
        raise NotFound(_("Goal not found."))
    return goal
