"""Risk register pages: the register with its heat map, raising and editing a risk, one risk's page."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from mitra.core.errors import Conflict, Invalid
from mitra.core.services import require_writer
from mitra.partnerships.views import workspace_context
from mitra.risks import forms, selectors, services
from mitra.transfer.listexport import page_export
from mitra.web.http import actor_of, add_invalid, domain_errors

PAGE_SIZE = 50
FIELDS = ("title", "description", "likelihood", "impact", "early_signal", "response", "owner_id")


@login_required
@domain_errors
def risk_list(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    context = workspace_context(actor, pk, tab="risks")
    filters = forms.RiskFilterForm(request.GET)
    status, min_score = "", None
    if filters.is_valid():
        status, min_score = filters.cleaned_data["status"], filters.cleaned_data["min_score"]
    risks = selectors.risk_list(actor, pk, status=status or None, min_score=min_score)
    if exported := page_export(request, actor, "risks", risks, partnership_id=pk):
        return exported
    page = Paginator(risks, PAGE_SIZE).get_page(request.GET.get("page"))
    context.update(
        page=page,
        risks=page.object_list,
        filters=filters,
        filtered=bool(status or min_score),
        query_string=urlencode({"status": status, "min_score": min_score or ""}),
        heat=selectors.heat_map(actor, pk),
        stats=selectors.risk_stats(actor, pk),
    )
    return render(request, "risks/list.html", context)


@login_required
@domain_errors
def risk_create(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    context = workspace_context(actor, pk, tab="risks")
    require_writer(actor)
    form = forms.RiskForm(request.POST or None, people=selectors.owner_choices(context["p"]))
    if request.method == "POST" and form.is_valid():
        try:
            risk = services.risk_create(actor, partnership_id=pk, **{k: form.cleaned_data[k] for k in FIELDS})
        except Invalid as exc:
            add_invalid(form, exc)
        except Conflict as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("The risk is on the register."))
            return redirect(risk)
    context.update(form=form, editing=False)
    return render(request, "risks/form.html", context)


@login_required
@domain_errors
def risk_detail(request: HttpRequest, pk: int, risk_id: int) -> HttpResponse:
    actor = actor_of(request)
    context = workspace_context(actor, pk, tab="risks")
    risk = selectors.risk_get(actor, pk, risk_id)
    context.update(risk=risk, cases=selectors.anticipated_cases(actor, risk)[:50])
    return render(request, "risks/detail.html", context)


@login_required
@domain_errors
def risk_edit(request: HttpRequest, pk: int, risk_id: int) -> HttpResponse:
    actor = actor_of(request)
    context = workspace_context(actor, pk, tab="risks")
    risk = selectors.risk_get(actor, pk, risk_id)
    require_writer(actor)
    initial = {k: getattr(risk, k) for k in FIELDS} | {"status": risk.status, "version": risk.version}
    form = forms.RiskEditForm(
        request.POST or None, initial=initial, people=selectors.owner_choices(context["p"])
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.risk_update(
                actor,
                partnership_id=pk,
                risk_id=risk.pk,
                version=data["version"],
                status=data["status"],
                **{k: data[k] for k in FIELDS},
            )
        except Invalid as exc:
            add_invalid(form, exc)
        except Conflict as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("The risk was saved."))
            return redirect(risk)
    context.update(form=form, risk=risk, editing=True)
    return render(request, "risks/form.html", context)
