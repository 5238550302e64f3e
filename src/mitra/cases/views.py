"""Cases pages: the list (with SLA badges and recurring root causes), raising a case, and the case page with
its desired outcome, options and the moves each side can make."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mitra.cases import forms, selectors, services
from mitra.cases.models import Case
from mitra.core.errors import Conflict, Invalid
from mitra.core.tenancy import Actor
from mitra.partnerships.views import workspace_context
from mitra.transfer.listexport import page_export
from mitra.web.http import actor_of, add_invalid, domain_errors, invalid_text

PAGE_SIZE = 25
ALIASES = {"anticipated_by_id": "anticipated_by", "outcome_stated_by_id": "outcome_stated_by"}


@login_required
@domain_errors
def case_list(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    context = workspace_context(actor, pk, tab="cases")
    filters = forms.CaseFilterForm(request.GET or None)
    status = severity = breached = ""
    if filters.is_valid():
        status = filters.cleaned_data["status"]
        severity = filters.cleaned_data["severity"]
        breached = filters.cleaned_data["breached"]
    cases = selectors.case_list(
        actor,
        pk,
        status=status or None,
        severity=severity or None,
        breached={"yes": True, "no": False}.get(breached),
    )
    if exported := page_export(request, actor, "cases", cases, partnership_id=pk):
        return exported
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    context.update(
        filters=filters,
        page=page,
        cases=page.object_list,
        filtered=bool(status or severity or breached),
        query_string=urlencode({"status": status, "severity": severity, "breached": breached}),
        root_causes=selectors.root_causes(actor, pk),
    )
    return render(request, "cases/list.html", context)


@login_required
@domain_errors
def case_create(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    context = workspace_context(actor, pk, tab="cases")
    form = forms.CaseForm(
        request.POST or None,
        people=selectors.customer_people(context["p"]),
        risks=selectors.risk_choices(actor, pk),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case = services.case_create(
                actor,
                partnership_id=pk,
                title=data["title"],
                description=data["description"],
                desired_outcome=data["desired_outcome"],
                outcome_stated_by_id=data["outcome_stated_by"],
                severity=data["severity"],
                category=data["category"],
                root_cause=data["root_cause"],
                anticipated_by_id=data["anticipated_by"],
            )
        except Invalid as exc:
            add_invalid(form, exc, ALIASES)
        except Conflict as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("The case was raised."))
            return redirect(case.get_absolute_url())
    context["form"] = form
    return render(request, "cases/form.html", context)


@login_required
@domain_errors
def case_edit(request: HttpRequest, pk: int, case_id: int) -> HttpResponse:
    actor = actor_of(request)
    context = workspace_context(actor, pk, tab="cases")
    case = selectors.case_get(actor, pk, case_id)
    initial = {
        "title": case.title,
        "description": case.description,
        "severity": case.severity,
        "category": case.category,
        "root_cause": case.root_cause,
        "anticipated_by": case.anticipated_by_id if getattr(case, "risk_visible", False) else None,
        "version": case.version,
    }
    form = forms.CaseEditForm(request.POST or None, initial=initial, risks=selectors.risk_choices(actor, pk))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        changes = {
            "title": data["title"],
            "description": data["description"],
            "severity": data["severity"],
            "category": data["category"],
            "root_cause": data["root_cause"],
        }
        # A risk the editor may not see is neither shown nor cleared by saving the form untouched.
        if getattr(case, "risk_visible", False) or data["anticipated_by"] is not None:
            changes["anticipated_by_id"] = data["anticipated_by"]
        try:
            services.case_update(
                actor, partnership_id=pk, case_id=case.pk, version=data["version"], **changes
            )
        except Invalid as exc:
            add_invalid(form, exc, ALIASES)
        except Conflict as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("The case was saved."))
            return redirect(case.get_absolute_url())
    context.update(form=form, case=case)
    return render(request, "cases/form.html", context)


def _detail(request: HttpRequest, actor: Actor, pk: int, case_id: int, **forms_: Any) -> HttpResponse:
    context = workspace_context(actor, pk, tab="cases")
    case = selectors.case_get(actor, pk, case_id)
    options = list(selectors.option_list(actor, pk, case_id))
    context.update(
        case=case,
        options=options,
        option_form=forms_.get("option_form") or forms.OptionForm(),
        choose_form=forms_.get("choose_form") or forms.ChooseForm(),
        resolve_form=forms.ResolveForm(),
        dispute_form=forms_.get("dispute_form") or forms.DisputeForm(),
        can_add_options=context["writable"] and case.is_active,
        can_choose=context["writable"] and case.is_active and len(options) >= 2,
    )
    return render(request, "cases/detail.html", context)


@login_required
@domain_errors
def case_detail(request: HttpRequest, pk: int, case_id: int) -> HttpResponse:
    return _detail(request, actor_of(request), pk, case_id)


def _case_url(pk: int, case_id: int) -> str:
    return Case(pk=case_id, partnership_id=pk).get_absolute_url()


def _move(request: HttpRequest, pk: int, case_id: int, move: Any, done: str, **kwargs: Any) -> HttpResponse:
    """Run a one-click move on the case and go back to its page with what happened."""
    try:
        move(actor_of(request), partnership_id=pk, case_id=case_id, **kwargs)
    except Invalid as exc:
        messages.error(request, invalid_text(exc))
    except Conflict as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return redirect(_case_url(pk, case_id))


@login_required
@require_POST
@domain_errors
def option_add(request: HttpRequest, pk: int, case_id: int) -> HttpResponse:
    actor = actor_of(request)
    selectors.case_get(actor, pk, case_id)
    form = forms.OptionForm(request.POST)
    if form.is_valid():
        try:
            services.case_option_create(actor, partnership_id=pk, case_id=case_id, **form.cleaned_data)
        except Invalid as exc:
            add_invalid(form, exc)
        except Conflict as exc:
            messages.error(request, exc.message)
            return redirect(_case_url(pk, case_id))
        else:
            messages.success(request, _("The option was added."))
            return redirect(_case_url(pk, case_id) + "#options")
    return _detail(request, actor, pk, case_id, option_form=form)


@login_required
@require_POST
@domain_errors
def case_choose(request: HttpRequest, pk: int, case_id: int) -> HttpResponse:
    actor = actor_of(request)
    selectors.case_get(actor, pk, case_id)
    form = forms.ChooseForm(request.POST)
    if form.is_valid():
        try:
            services.case_choose(
                actor,
                partnership_id=pk,
                case_id=case_id,
                option_id=form.cleaned_data["option"],
                justification=form.cleaned_data["justification"],
            )
        except Invalid as exc:
            messages.error(request, invalid_text(exc))
        except Conflict as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("The option was chosen."))
    else:
        messages.error(request, _("Choose an option of this case."))
    return redirect(_case_url(pk, case_id))


@login_required
@require_POST
@domain_errors
def case_outcome_confirm(request: HttpRequest, pk: int, case_id: int) -> HttpResponse:
    selectors.case_get(actor_of(request), pk, case_id)
    return _move(request, pk, case_id, services.case_outcome_confirm, _("The desired outcome was confirmed."))


@login_required
@require_POST
@domain_errors
def case_resolve(request: HttpRequest, pk: int, case_id: int) -> HttpResponse:
    selectors.case_get(actor_of(request), pk, case_id)
    form = forms.ResolveForm(request.POST)
    note = form.cleaned_data["resolution_note"] if form.is_valid() else ""
    return _move(
        request, pk, case_id, services.case_resolve, _("The case was resolved."), resolution_note=note
    )


@login_required
@require_POST
@domain_errors
def case_confirm(request: HttpRequest, pk: int, case_id: int) -> HttpResponse:
    selectors.case_get(actor_of(request), pk, case_id)
    return _move(
        request, pk, case_id, services.case_confirm, _("The desired outcome was met: the case is closed.")
    )


@login_required
@require_POST
@domain_errors
def case_dispute(request: HttpRequest, pk: int, case_id: int) -> HttpResponse:
    actor = actor_of(request)
    selectors.case_get(actor, pk, case_id)
    form = forms.DisputeForm(request.POST)
    if not form.is_valid():
        return _detail(request, actor, pk, case_id, dispute_form=form)
    return _move(
        request,
        pk,
        case_id,
        services.case_dispute,
        _("The resolution was disputed: the case is back in progress."),
        reason=form.cleaned_data["reason"],
    )
