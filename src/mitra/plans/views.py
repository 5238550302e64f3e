"""Joint business plan pages: the plans by year, one year's plan with both sides' goals, agreement,
versions and reviews, and the goal form."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mitra.core.errors import Conflict, Invalid, PermissionDenied
from mitra.core.services import require_writer
from mitra.partnerships.models import Side
from mitra.partnerships.views import workspace_context
from mitra.plans import forms, selectors, services
from mitra.plans.models import JointPlan
from mitra.transfer.listexport import page_export
from mitra.web.http import actor_of, add_invalid, domain_errors, invalid_text

GOAL_FIELDS = ("title", "kpi_name", "unit", "baseline", "target", "note")


def _years_to_start(plans: list[JointPlan]) -> list[int]:
    this_year = timezone.localdate().year
    taken = {plan.year for plan in plans}
    return [y for y in (this_year, this_year + 1, this_year - 1) if y not in taken]


@login_required
@domain_errors
def plan_list(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    context = workspace_context(actor, pk, tab="plans")
    if exported := page_export(
        request, actor, "plans", lambda: selectors.plan_list(actor, pk)[:20], partnership_id=pk
    ):
        return exported
    plans = list(selectors.plan_list(actor, pk)[:20])
    years = _years_to_start(plans)
    context.update(
        plans=plans,
        this_year=timezone.localdate().year,
        create_form=forms.PlanCreateForm(years=years) if years else None,
    )
    return render(request, "plans/list.html", context)


@login_required
@require_POST
@domain_errors
def plan_create(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    context = workspace_context(actor, pk, tab="plans")
    require_writer(actor)
    this_year = timezone.localdate().year
    form = forms.PlanCreateForm(request.POST, years=range(this_year - 5, this_year + 6))
    if not form.is_valid():
        messages.error(request, _("Choose a year for the plan."))
        return redirect("plans:list", pk=pk)
    try:
        plan = services.plan_create(actor, partnership_id=context["p"].pk, year=form.cleaned_data["year"])
    except Invalid as exc:
        messages.error(request, invalid_text(exc))
    except Conflict as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("The plan for %(year)s was started. Add your side's goals.") % {"year": plan.year}
        )
        return redirect(plan)
    return redirect("plans:list", pk=pk)


def _side_context(plan: JointPlan, side: str, my_side: str) -> dict[str, Any]:
    return {
        "side": side,
        "label": Side(side).label,
        "goals": [g for g in plan.goals.all() if g.side == side],
        "agreed_at": plan.agreed_at(side),
        "agreed_by": plan.agreed_by(side),
        "mine": side == my_side,
    }


def _detail_context(actor: Any, pk: int, year: int) -> dict[str, Any]:
    context = workspace_context(actor, pk, tab="plans")
    plan = selectors.plan_for_year(actor, pk, year)
    my_side = context["side"]
    context.update(
        plan=plan,
        columns=[_side_context(plan, s, my_side) for s in (Side.SUPPLIER, Side.CUSTOMER)],
        my_agreed=plan.agreed_at(my_side) is not None,
        versions=list(plan.versions.all()),
        reviews=list(plan.reviews.all()),
    )
    return context


@login_required
@domain_errors
def plan_detail(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    actor = actor_of(request)
    context = _detail_context(actor, pk, year)
    context["review_form"] = forms.ReviewForm(initial={"held_on": timezone.localdate()})
    return render(request, "plans/detail.html", context)


def _goal_form_page(request: HttpRequest, pk: int, year: int, goal_id: int | None) -> HttpResponse:
    actor = actor_of(request)
    context = workspace_context(actor, pk, tab="plans")
    plan = selectors.plan_for_year(actor, pk, year)
    require_writer(actor)
    goal = selectors.goal_get(actor, plan, goal_id) if goal_id else None
    if goal is not None and goal.side != context["side"]:
        raise PermissionDenied(_("Each side changes only its own goals. This goal is the other side's."))
    initial = {k: getattr(goal, k) for k in GOAL_FIELDS} | {"version": goal.version} if goal else None
    form = forms.GoalForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data[k] for k in GOAL_FIELDS}
        try:
            if goal is None:
                services.plan_goal_create(actor, partnership_id=pk, plan_id=plan.pk, **data)
            else:
                services.plan_goal_update(
                    actor,
                    partnership_id=pk,
                    plan_id=plan.pk,
                    goal_id=goal.pk,
                    version=form.cleaned_data["version"],
                    **data,
                )
        except Invalid as exc:
            add_invalid(form, exc)
        except Conflict as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("The goal was saved. Both sides agree to the plan again."))
            return redirect(plan)
    context.update(plan=plan, goal=goal, form=form)
    return render(request, "plans/goal_form.html", context)


@login_required
@domain_errors
def goal_add(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    return _goal_form_page(request, pk, year, None)


@login_required
@domain_errors
def goal_edit(request: HttpRequest, pk: int, year: int, goal_id: int) -> HttpResponse:
    return _goal_form_page(request, pk, year, goal_id)


@login_required
@require_POST
@domain_errors
def goal_delete(request: HttpRequest, pk: int, year: int, goal_id: int) -> HttpResponse:
    actor = actor_of(request)
    plan = selectors.plan_for_year(actor, pk, year)
    try:
        services.plan_goal_delete(actor, partnership_id=pk, plan_id=plan.pk, goal_id=goal_id)
    except Conflict as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The goal was removed."))
    return redirect(plan)


@login_required
@require_POST
@domain_errors
def plan_agree(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    actor = actor_of(request)
    plan = selectors.plan_for_year(actor, pk, year)
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = None
    try:
        plan = services.plan_agree(actor, partnership_id=pk, plan_id=plan.pk, version=version)
    except Conflict as exc:
        messages.error(request, exc.message)
    else:
        if plan.is_agreed:
            messages.success(
                request,
                _("Both sides agreed: this is version %(number)s of the plan.")
                % {"number": plan.agreed_version},
            )
        else:
            messages.success(
                request, _("Your side agreed. The plan is agreed once the other side agrees too.")
            )
    return redirect(plan)


@login_required
@require_POST
@domain_errors
def review_add(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    actor = actor_of(request)
    plan = selectors.plan_for_year(actor, pk, year)
    require_writer(actor)
    form = forms.ReviewForm(request.POST)
    if form.is_valid():
        try:
            services.plan_review_create(actor, partnership_id=pk, plan_id=plan.pk, **form.cleaned_data)
        except Invalid as exc:
            add_invalid(form, exc)
        except Conflict as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("The review was recorded."))
            return redirect(plan)
    context = _detail_context(actor, pk, year)
    context["review_form"] = form
    return render(request, "plans/detail.html", context, status=200)
