"""Commitments pages: the mutual action plan of a partnership, each side's reliability, one commitment
with its actions and discussion, and the form to record or change a promise."""

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

from mitra.commitments import forms, selectors, services
from mitra.commitments.models import Commitment
from mitra.core.errors import Conflict, Invalid, PermissionDenied
from mitra.core.services import require_writer
from mitra.core.tenancy import Actor
from mitra.partnerships import selectors as partnership_selectors
from mitra.partnerships.models import Partnership, Side
from mitra.partnerships.views import workspace_context
from mitra.transfer.listexport import page_export
from mitra.web.http import actor_of, add_invalid, domain_errors, invalid_text, is_htmx, posted_version

LIST_PAGE_SIZE = 50


@login_required
@domain_errors
def commitment_list(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    context = workspace_context(actor, pk, tab="commitments")
    filters = forms.FilterForm(request.GET)
    status, owner_side, overdue = "", "", False
    if filters.is_valid():
        status = filters.cleaned_data["status"]
        owner_side = filters.cleaned_data["owner_side"]
        overdue = filters.cleaned_data["overdue"]
    commitments = selectors.commitment_list(
        actor, pk, status=status or None, owner_side=owner_side or None, overdue=True if overdue else None
    )
    if exported := page_export(request, actor, "commitments", commitments, partnership_id=pk):
        return exported
    page = Paginator(commitments, LIST_PAGE_SIZE).get_page(request.GET.get("page"))
    reliability = selectors.reliability_of(actor, context["p"])
    query = {"status": status, "owner_side": owner_side}
    if overdue:
        query["overdue"] = "on"
    context.update(
        filters=filters,
        filtered=bool(status or owner_side or overdue),
        page=page,
        commitments=page.object_list,
        reliability=[reliability[Side.SUPPLIER], reliability[Side.CUSTOMER]],
        query_string=urlencode(query),
    )
    return render(request, "commitments/list.html", context)


def _people(partnership: Partnership) -> list[tuple[str, list[tuple[int, str]]]]:
    groups = []
    for side, organisation in ((Side.SUPPLIER, partnership.supplier), (Side.CUSTOMER, partnership.customer)):
        members = partnership_selectors.people_of(partnership, side)
        groups.append((organisation.name, [(m.pk, m.user.get_full_name()) for m in members]))
    return groups


def _form(
    actor: Actor, partnership: Partnership, data: Any = None, initial: Any = None
) -> forms.CommitmentForm:
    return forms.CommitmentForm(
        data,
        initial=initial,
        people=_people(partnership),
        bridges=partnership_selectors.bridge_list(actor, partnership.pk),
    )


@login_required
@domain_errors
def commitment_create(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    context = workspace_context(actor, pk, tab="commitments")
    require_writer(actor)
    partnership = context["p"]
    if not context["writable"]:
        messages.error(request, _("This partnership has ended: its commitments can be read but not changed."))
        return redirect("commitments:list", pk=partnership.pk)
    form = _form(actor, partnership, request.POST or None, initial={"owner_id": actor.membership.pk})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            commitment = services.commitment_create(
                actor,
                partnership_id=partnership.pk,
                title=data["title"],
                description=data["description"],
                owner_id=data["owner_id"],
                bridge_id=data["bridge_id"],
                due_date=data["due_date"],
                proactive=data["proactive"],
            )
        except Invalid as exc:
            add_invalid(form, exc)
        except Conflict as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("The commitment was recorded."))
            return redirect(commitment.get_absolute_url())
    context.update(form=form, editing=None)
    return render(request, "commitments/form.html", context)


@login_required
@domain_errors
def commitment_edit(request: HttpRequest, pk: int, commitment_id: int) -> HttpResponse:
    actor = actor_of(request)
    context = workspace_context(actor, pk, tab="commitments")
    commitment = selectors.commitment_get(actor, pk, commitment_id)
    require_writer(actor)
    partnership = context["p"]
    if context["side"] not in (commitment.owner_side, commitment.created_by_side):
        raise PermissionDenied(_("Only the side that made or recorded this commitment can change it."))
    if not (context["writable"] and commitment.is_open):
        messages.error(request, _("Only an open commitment can be changed."))
        return redirect(commitment.get_absolute_url())
    initial = {
        "title": commitment.title,
        "description": commitment.description,
        "owner_id": commitment.owner_id,
        "due_date": commitment.due_date,
        # A bridge the editor may not see is neither shown nor cleared (left out of the update below).
        "bridge_id": commitment.bridge_id if getattr(commitment, "bridge_visible", False) else None,
        "proactive": commitment.proactive,
        "version": commitment.version,
    }
    form = _form(actor, partnership, request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.commitment_update(
                actor,
                partnership_id=partnership.pk,
                commitment_id=commitment.pk,
                version=data["version"],
                title=data["title"],
                description=data["description"],
                owner_id=data["owner_id"],
                **({"bridge_id": data["bridge_id"]} if getattr(commitment, "bridge_visible", False) else {}),
                due_date=data["due_date"],
                proactive=data["proactive"],
            )
        except Invalid as exc:
            add_invalid(form, exc)
        except Conflict as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("The commitment was saved."))
            return redirect(commitment.get_absolute_url())
    context.update(form=form, editing=commitment)
    return render(request, "commitments/form.html", context)


@login_required
@domain_errors
def commitment_detail(request: HttpRequest, pk: int, commitment_id: int) -> HttpResponse:
    actor = actor_of(request)
    context = workspace_context(actor, pk, tab="commitments")
    commitment = selectors.commitment_get(actor, pk, commitment_id)
    side = context["side"]
    writable = context["writable"]
    is_owner_side = side == commitment.owner_side
    context.update(
        c=commitment,
        can_edit=writable
        and commitment.is_open
        and side in (commitment.owner_side, commitment.created_by_side),
        can_done=writable and is_owner_side and commitment.status in ("open", "missed"),
        can_acknowledge=writable and not is_owner_side and commitment.status == "done",
        can_cancel=writable and is_owner_side and commitment.is_open,
        cancel_form=forms.CancelForm(initial={"version": commitment.version}),
    )
    return render(request, "commitments/detail.html", context)


def _act(
    request: HttpRequest, pk: int, commitment_id: int, move: Any, success: str, **kwargs: Any
) -> HttpResponse:
    """Run one move; a full page goes back to the commitment, an htmx row of the list is swapped in place."""
    actor = actor_of(request)
    commitment: Commitment = selectors.commitment_get(actor, pk, commitment_id)
    error = ""
    try:
        move(actor, partnership_id=pk, commitment_id=commitment.pk, version=posted_version(request), **kwargs)
    except Invalid as exc:
        error = invalid_text(exc)
    except Conflict as exc:
        error = exc.message
    if is_htmx(request):
        context = workspace_context(actor, pk, tab="commitments")
        context.update(c=selectors.commitment_get(actor, pk, commitment_id), row_error=error)
        return render(request, "commitments/_row.html", context)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, success)
    return redirect(commitment.get_absolute_url())


@login_required
@require_POST
@domain_errors
def commitment_done(request: HttpRequest, pk: int, commitment_id: int) -> HttpResponse:
    return _act(
        request,
        pk,
        commitment_id,
        services.commitment_done,
        _("Marked done. The other side can now acknowledge it."),
    )


@login_required
@require_POST
@domain_errors
def commitment_acknowledge(request: HttpRequest, pk: int, commitment_id: int) -> HttpResponse:
    return _act(
        request,
        pk,
        commitment_id,
        services.commitment_acknowledge,
        _("Acknowledged. Thank you for closing the loop."),
    )


@login_required
@require_POST
@domain_errors
def commitment_cancel(request: HttpRequest, pk: int, commitment_id: int) -> HttpResponse:
    return _act(
        request,
        pk,
        commitment_id,
        services.commitment_cancel,
        _("The commitment was cancelled."),
        reason=request.POST.get("reason", "")[:300],
    )
