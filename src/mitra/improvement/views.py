"""Improvement pages: the initiatives of a partnership with their progress, starting one (also from
recurring cases), and an initiative's page with its PDCA stepper, KPI chart and measurements."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mitra.core.errors import Conflict, Invalid
from mitra.core.services import require_writer
from mitra.core.tenancy import Actor
from mitra.improvement import forms, selectors, services
from mitra.improvement.chart import kpi_chart
from mitra.improvement.models import NEXT_STAGE, Initiative, Stage
from mitra.partnerships.models import Partnership, Side
from mitra.partnerships.selectors import people_of
from mitra.partnerships.views import workspace_context
from mitra.transfer.listexport import page_export
from mitra.web.http import actor_of, add_invalid, domain_errors, invalid_text

PAGE_SIZE = 50
OWNER_ALIASES = {"supplier_owner_id": "supplier_owner", "customer_owner_id": "customer_owner"}


@login_required
@domain_errors
def initiative_list(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    context = workspace_context(actor, pk, tab="improvement")
    filters = forms.FilterForm(request.GET)
    stage = status = ""
    if filters.is_valid():
        stage, status = filters.cleaned_data["stage"], filters.cleaned_data["status"]
    initiatives = selectors.initiative_list(actor, pk, stage=stage or None, status=status or None)
    if exported := page_export(request, actor, "initiatives", initiatives, partnership_id=pk):
        return exported
    page = Paginator(initiatives, PAGE_SIZE).get_page(request.GET.get("page"))
    context.update(
        page=page,
        initiatives=page.object_list,
        filters=filters,
        filtered=bool(stage or status),
        query_string=f"stage={stage}&status={status}",
        recurring=selectors.recurring_root_causes(actor, context["p"]),
        summary=selectors.improvement_summary(actor, context["p"]),
    )
    return render(request, "improvement/list.html", context)


def _initiative_form(actor: Actor, partnership: Partnership, data: Any = None, **kwargs: Any) -> Any:
    return forms.InitiativeForm(
        data,
        supplier_people=people_of(partnership, Side.SUPPLIER),
        customer_people=people_of(partnership, Side.CUSTOMER),
        cases=selectors.case_choices(actor, partnership),
        **kwargs,
    )


@login_required
@domain_errors
def initiative_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Start an initiative; ``?from_root_cause=<category>`` pre-fills it from that root cause's cases."""
    actor = actor_of(request)
    context = workspace_context(actor, pk, tab="improvement")
    require_writer(actor)
    partnership: Partnership = context["p"]
    if request.method == "POST":
        form = _initiative_form(actor, partnership, request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                initiative = services.initiative_create(
                    actor,
                    partnership_id=pk,
                    title=data["title"],
                    description=data["description"],
                    supplier_owner_id=data["supplier_owner"],
                    customer_owner_id=data["customer_owner"],
                    start_date=data["start_date"],
                    target_date=data["target_date"],
                    kpi_name=data["kpi_name"],
                    kpi_unit=data["kpi_unit"],
                    direction=data["direction"],
                    baseline=data["baseline"],
                    target=data["target"],
                    source_case_ids=data["source_cases"],
                )
            except Invalid as exc:
                add_invalid(form, exc, {**OWNER_ALIASES, "source_case_ids": "source_cases"})
            except Conflict as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("Initiative started."))
                return redirect(initiative.get_absolute_url())
    else:
        root_cause = request.GET.get("from_root_cause", "")[:100]
        today = timezone.localdate()
        initial: dict[str, Any] = {"start_date": today, "target_date": today + dt.timedelta(days=90)}
        case_ids = selectors.root_cause_cases(actor, partnership, root_cause)
        if case_ids:
            label = selectors.root_cause_label(root_cause)
            initial.update(
                title=_("Remove the recurring root cause: %(cause)s") % {"cause": label},
                description=_("%(count)s cases share the root cause “%(cause)s”. The problem: … The idea: …")
                % {"count": len(case_ids), "cause": label},
                source_cases=case_ids,
            )
        side = context["side"]
        initial[f"{side}_owner"] = actor.membership.pk
        form = _initiative_form(actor, partnership, initial=initial)
        context["root_cause"] = root_cause if case_ids else ""
    context["form"] = form
    return render(request, "improvement/create.html", context)


def _stepper(initiative: Initiative) -> list[dict[str, Any]]:
    order = list(Stage)
    current = order.index(Stage(initiative.stage))
    return [
        {
            "value": stage.value,
            "label": stage.label,
            "state": "done" if i < current else ("current" if i == current else "todo"),
        }
        for i, stage in enumerate(order)
    ]


def _detail(
    request: HttpRequest, actor: Actor, pk: int, initiative_id: int, measurement_form: Any = None
) -> HttpResponse:
    context = workspace_context(actor, pk, tab="improvement")
    initiative = selectors.initiative_get(actor, pk, initiative_id)
    measurements = list(selectors.measurements_of(initiative))
    chart = kpi_chart(
        [(m.measured_on, m.value) for m in measurements], initiative.baseline, initiative.target
    )
    context.update(
        initiative=initiative,
        measurements=list(reversed(measurements)),
        chart=chart,
        stepper=_stepper(initiative),
        next_stage=Stage(NEXT_STAGE[initiative.stage]),
        measurement_form=measurement_form
        or forms.MeasurementForm(initial={"measured_on": timezone.localdate()}),
        can_change=context["writable"] and initiative.is_active,
    )
    return render(request, "improvement/detail.html", context)


@login_required
@domain_errors
def initiative_detail(request: HttpRequest, pk: int, initiative_id: int) -> HttpResponse:
    return _detail(request, actor_of(request), pk, initiative_id)


@login_required
@require_POST
@domain_errors
def initiative_stage(request: HttpRequest, pk: int, initiative_id: int) -> HttpResponse:
    actor = actor_of(request)
    initiative = selectors.initiative_get(actor, pk, initiative_id)
    form = forms.StageForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the next stage."))
        return redirect(initiative.get_absolute_url())
    try:
        services.initiative_stage(
            actor,
            partnership_id=pk,
            initiative_id=initiative_id,
            stage=form.cleaned_data["stage"],
            version=form.cleaned_data["version"],
        )
    except (Conflict, Invalid) as exc:
        messages.error(request, invalid_text(exc) if isinstance(exc, Invalid) else exc.message)
    else:
        messages.success(request, _("Moved to the next stage."))
    return redirect(initiative.get_absolute_url())


@login_required
@require_POST
@domain_errors
def initiative_status(request: HttpRequest, pk: int, initiative_id: int) -> HttpResponse:
    actor = actor_of(request)
    initiative = selectors.initiative_get(actor, pk, initiative_id)
    form = forms.StatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose completed or abandoned."))
        return redirect(initiative.get_absolute_url())
    try:
        services.initiative_update(
            actor,
            partnership_id=pk,
            initiative_id=initiative_id,
            status=form.cleaned_data["status"],
            version=form.cleaned_data["version"],
        )
    except (Conflict, Invalid) as exc:
        messages.error(request, invalid_text(exc) if isinstance(exc, Invalid) else exc.message)
    else:
        messages.success(request, _("Initiative closed."))
    return redirect(initiative.get_absolute_url())


@login_required
@require_POST
@domain_errors
def measurement_create(request: HttpRequest, pk: int, initiative_id: int) -> HttpResponse:
    actor = actor_of(request)
    initiative = selectors.initiative_get(actor, pk, initiative_id)
    form = forms.MeasurementForm(request.POST)
    if form.is_valid():
        try:
            services.measurement_create(
                actor, partnership_id=pk, initiative_id=initiative_id, **form.cleaned_data
            )
        except Invalid as exc:
            add_invalid(form, exc)
        except Conflict as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Measurement recorded."))
            return redirect(initiative.get_absolute_url())
    return _detail(request, actor, pk, initiative_id, measurement_form=form)
