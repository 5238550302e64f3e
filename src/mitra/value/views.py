"""Value ledger pages: the ledger with the balance of value, recording and correcting a gain, and the
other side's confirm or dispute."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mitra.core.errors import Conflict, Invalid, PermissionDenied
from mitra.core.tenancy import Actor
from mitra.partnerships.views import workspace_context
from mitra.transfer.listexport import page_export
from mitra.value import forms, selectors, services
from mitra.value.models import EntryStatus, ValueEntry
from mitra.web.http import actor_of, add_invalid, domain_errors, posted_version

PAGE_SIZE = 25


@login_required
@domain_errors
def value_list(request: HttpRequest, pk: int) -> HttpResponse:
    """The ledger: the balance of confirmed value per side, warnings, and the entries."""
    actor = actor_of(request)
    context = workspace_context(actor, pk, tab="value")
    filters = forms.FilterForm(request.GET)
    chosen = {"status": "", "side": "", "category": ""}
    if filters.is_valid():
        chosen = {k: filters.cleaned_data[k] for k in chosen}
    entries = selectors.value_entry_list(
        actor,
        pk,
        status=chosen["status"] or None,
        side=chosen["side"] or None,
        category=chosen["category"] or None,
    )
    if exported := page_export(request, actor, "value", entries, partnership_id=pk):
        return exported
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    query = "&".join(f"{k}={v}" for k, v in chosen.items() if v)
    return render(
        request,
        "value/list.html",
        {
            **context,
            "summary": selectors.value_summary_of(actor, context["p"]),
            "page": page,
            "entries": _rows(actor, context, page.object_list),
            "filters": filters,
            "filtered": any(chosen.values()),
            "query_string": query,
        },
    )


def _rows(actor: Actor, context: dict[str, Any], entries: Any) -> list[dict[str, Any]]:
    return [{"entry": e, **_abilities(actor, context, e)} for e in entries]


def _abilities(actor: Actor, context: dict[str, Any], entry: ValueEntry) -> dict[str, bool]:
    mine = context["side"] == entry.recorded_by_side
    writable = context["writable"]
    return {
        "mine": mine,
        "can_answer": writable and not mine and entry.status == EntryStatus.UNCONFIRMED,
        "can_edit": writable and mine and entry.status != EntryStatus.CONFIRMED,
    }


def _form(
    actor: Actor, context: dict[str, Any], data: Any = None, initial: Any = None
) -> forms.ValueEntryForm:
    partnership = context["p"]
    return forms.ValueEntryForm(
        data,
        initial=initial,
        cases=selectors.linkable_cases(actor, partnership),
        initiatives=selectors.linkable_initiatives(actor, partnership),
    )


@login_required
@domain_errors
def value_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a gain for one side; it waits for the other side's confirmation."""
    actor = actor_of(request)
    context = workspace_context(actor, pk, tab="value")
    if not context["writable"]:
        raise PermissionDenied(_("You cannot record value in this partnership."))
    other = "customer" if context["side"] == "supplier" else "supplier"
    form = _form(
        actor,
        context,
        request.POST or None,
        initial={"currency": actor.organisation.currency, "beneficiary_side": other},
    )
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            entry = services.value_entry_create(actor, partnership_id=pk, **data)
        except Invalid as exc:
            add_invalid(form, exc)
        except Conflict as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request, _("The value entry was recorded. It counts once the other side confirms it.")
            )
            return redirect(entry.get_absolute_url())
    return render(request, "value/form.html", {**context, "form": form, "entry": None})


@login_required
@domain_errors
def value_detail(request: HttpRequest, pk: int, entry_id: int) -> HttpResponse:
    actor = actor_of(request)
    context = workspace_context(actor, pk, tab="value")
    entry = selectors.value_entry_get(actor, pk, entry_id)
    return _detail(request, actor, context, entry, forms.DisputeForm(initial={"version": entry.version}))


def _detail(
    request: HttpRequest,
    actor: Actor,
    context: dict[str, Any],
    entry: ValueEntry,
    dispute_form: forms.DisputeForm,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "value/detail.html",
        {**context, "entry": entry, "dispute_form": dispute_form, **_abilities(actor, context, entry)},
        status=status,
    )


@login_required
@domain_errors
def value_edit(request: HttpRequest, pk: int, entry_id: int) -> HttpResponse:
    """Correct an entry: the recording side, while unconfirmed or after a dispute."""
    actor = actor_of(request)
    context = workspace_context(actor, pk, tab="value")
    entry = selectors.value_entry_get(actor, pk, entry_id)
    if not _abilities(actor, context, entry)["can_edit"]:
        raise PermissionDenied(
            _("Only the side that recorded this entry can change it, until it is confirmed.")
        )
    case_visible = bool(getattr(entry, "case_visible", False))
    initiative_visible = bool(getattr(entry, "initiative_visible", False))
    initial = {
        "title": entry.title,
        "beneficiary_side": entry.beneficiary_side,
        "category": entry.category,
        "amount": entry.amount,
        "currency": entry.currency,
        "period_start": entry.period_start,
        "period_end": entry.period_end,
        "evidence": entry.evidence,
        "case_id": entry.case_id if case_visible else None,
        "initiative_id": entry.initiative_id if initiative_visible else None,
        "version": entry.version,
    }
    form = _form(actor, context, request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        # A link the editor may not see cannot be offered by the form: left empty, it stays as it is.
        for link, visible in (("case_id", case_visible), ("initiative_id", initiative_visible)):
            if data[link] is None and not visible:
                del data[link]
        try:
            services.value_entry_update(actor, partnership_id=pk, entry_id=entry_id, **data)
        except Invalid as exc:
            add_invalid(form, exc)
        except Conflict as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("The value entry was saved."))
            return redirect(entry.get_absolute_url())
    return render(request, "value/form.html", {**context, "form": form, "entry": entry})


@login_required
@domain_errors
@require_POST
def value_confirm(request: HttpRequest, pk: int, entry_id: int) -> HttpResponse:
    actor = actor_of(request)
    try:
        entry = services.value_entry_confirm(
            actor, partnership_id=pk, entry_id=entry_id, version=posted_version(request)
        )
    except Conflict as exc:
        messages.error(request, exc.message)
        return redirect("value:detail", pk=pk, entry_id=entry_id)
    messages.success(request, _("You confirmed this gain. It now counts in the balance."))
    return redirect(entry.get_absolute_url())


@login_required
@domain_errors
@require_POST
def value_dispute(request: HttpRequest, pk: int, entry_id: int) -> HttpResponse:
    actor = actor_of(request)
    form = forms.DisputeForm(request.POST)
    if form.is_valid():
        try:
            entry = services.value_entry_dispute(
                actor,
                partnership_id=pk,
                entry_id=entry_id,
                reason=form.cleaned_data["reason"],
                version=form.cleaned_data["version"],
            )
        except Invalid as exc:
            add_invalid(form, exc)
        except Conflict as exc:
            messages.error(request, exc.message)
            return redirect("value:detail", pk=pk, entry_id=entry_id)
        else:
            messages.success(request, _("You disputed this entry. The other side can correct it."))
            return redirect(entry.get_absolute_url())
    context = workspace_context(actor, pk, tab="value")
    entry = selectors.value_entry_get(actor, pk, entry_id)
    if form.errors and not form.has_error("reason"):
        messages.error(request, _("This page is out of date. Reload it and try again."))
    return _detail(request, actor, context, entry, form, status=422)
