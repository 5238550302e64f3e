"""Partnership pages: my partnerships, proposing, the partnership space with its bridge matrix, and the
e-mailed invitation for a company not on Mitra yet.

The bridge matrix is edited inline with htmx: each cell is a ``<td>`` that the cell views return whole
(``hx-swap="outerHTML"``), calling the same services as the API.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import authenticate, login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mitra.accounts import selectors as account_selectors
from mitra.accounts.models import Department, Organisation
from mitra.core.errors import Conflict, Invalid, PermissionDenied
from mitra.core.middleware import ORGANISATION_SESSION_KEY
from mitra.core.services import require_admin, require_writer
from mitra.core.tenancy import Actor
from mitra.partnerships import contacts, forms, history, selectors, services
from mitra.partnerships.models import Bridge, Partnership, Side, Status
from mitra.transfer.listexport import page_export
from mitra.web.http import actor_of, add_invalid, domain_errors, invalid_text, is_htmx

LIST_PAGE_SIZE = 50
TERMS = ("our_side", "tier", "start_date", "review_cadence_days", "goals", "message")


@dataclass(frozen=True)
class Row:
    """One line of "my partnerships": the partnership seen from the actor's side."""

    partnership: Partnership
    side: str
    partner: Organisation
    threading: selectors.Threading

    @property
    def single_threaded(self) -> bool:
        return self.partnership.is_shared and self.threading.at_risk


def _row(actor: Actor, partnership: Partnership) -> Row:
    return Row(
        partnership=partnership,
        side=partnership.side_of(actor.organisation_id) or "",
        partner=partnership.partner_of(actor.organisation_id),
        threading=selectors.threading(partnership),
    )


def workspace_context(actor: Actor, pk: int, *, tab: str) -> dict[str, Any]:
    """What every page of a partnership's shared workspace needs: the partnership, the header, the tabs.

    Only a partnership with a workspace (active, paused or ended) has these pages; anything else is a 404.
    """
    from mitra.partnerships.workspace import shared_partnership

    partnership = shared_partnership(actor, pk)
    return {
        "p": partnership,
        "row": _row(actor, partnership),
        "actor": actor,
        "tab": tab,
        "side": partnership.side_of(actor.organisation_id),
        "writable": actor.can_write and partnership.status in (Status.ACTIVE, Status.PAUSED),
    }


# --- my partnerships --------------------------------------------------------------------------------


@login_required
@domain_errors
def partnership_list(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    filters = forms.ListFilterForm(request.GET)
    status, query = "", ""
    if filters.is_valid():
        status, query = filters.cleaned_data["status"], filters.cleaned_data["q"].strip()
    partnerships = selectors.partnership_list(actor, status=status or None, query=query)
    if exported := page_export(request, actor, "partnerships", partnerships):
        return exported
    page = Paginator(partnerships, LIST_PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [_row(actor, p) for p in page.object_list]
    received = [
        _row(actor, p)
        for p in selectors.partnership_list(actor, status=Status.PROPOSED).exclude(
            proposed_by_id=actor.organisation_id
        )
    ]
    pending_invitations = selectors.partner_invitation_list(actor, pending=True)
    return render(
        request,
        "partnerships/list.html",
        {
            "rows": rows,
            "page": page,
            "query_string": urlencode({"status": status, "q": query}),
            "received": received,
            "pending_invitations": pending_invitations,
            "filters": filters,
            "filtered": bool(status or query),
        },
    )


# --- proposing --------------------------------------------------------------------------------------


@login_required
@domain_errors
def propose(request: HttpRequest) -> HttpResponse:
    """Propose to an organisation on Mitra (picked from the directory) or invite a company by e-mail."""
    actor = actor_of(request)
    query = (request.POST.get("q") or request.GET.get("q") or "").strip()
    partners = list(account_selectors.directory(actor, query))
    mode = request.POST.get("mode", "")
    propose_form = forms.ProposeForm(request.POST if mode == "mitra" else None, partners=partners)
    invite_form = forms.InviteForm(request.POST if mode == "invite" else None)
    if is_htmx(request) and request.method == "GET":
        return render(request, "partnerships/_partner_choices.html", {"form": propose_form, "query": query})
    if request.method == "POST":
        require_writer(actor)
        if mode == "mitra" and propose_form.is_valid():
            data = propose_form.cleaned_data
            try:
                partnership = services.partnership_propose(
                    actor, partner_id=data["partner_id"], **{k: data[k] or _default(k) for k in TERMS}
                )
            except Invalid as exc:
                add_invalid(propose_form, exc)
            else:
                messages.success(
                    request,
                    _("Your proposal was sent to %(org)s.")
                    % {"org": partnership.partner_of(actor.organisation_id)},
                )
                return redirect("partnerships:detail", pk=partnership.pk)
        elif mode == "invite" and invite_form.is_valid():
            data = invite_form.cleaned_data
            try:
                invitation = services.partner_invitation_create(
                    actor,
                    email=data["email"],
                    company_name=data["company_name"],
                    **{k: data[k] or _default(k) for k in TERMS},
                )
            except Invalid as exc:
                add_invalid(invite_form, exc)
            else:
                messages.success(
                    request,
                    _("An invitation to partner was e-mailed to %(email)s at %(company)s.")
                    % {"email": invitation.email, "company": invitation.company_name},
                )
                return redirect("partnerships:list")
    return render(
        request,
        "partnerships/propose.html",
        {"propose_form": propose_form, "invite_form": invite_form, "query": query, "mode": mode or "mitra"},
    )


def _default(field: str) -> Any:
    """What an empty optional term means to the service."""
    return {"start_date": None, "goals": "", "message": "", "review_cadence_days": 90}.get(field)


@login_required
@require_POST
@domain_errors
def partner_invitation_revoke(request: HttpRequest, invitation_id: int) -> HttpResponse:
    try:
        invitation = services.partner_invitation_revoke(actor_of(request), invitation_id=invitation_id)
    except Conflict as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("The invitation to %(email)s was withdrawn.") % {"email": invitation.email}
        )
    return redirect("partnerships:list")


# --- one partnership --------------------------------------------------------------------------------


def _detail_context(actor: Actor, partnership: Partnership) -> dict[str, Any]:
    row = _row(actor, partnership)
    context: dict[str, Any] = {
        "p": partnership,
        "row": row,
        "tab": "overview",
        "received_proposal": partnership.status == Status.PROPOSED
        and partnership.proposed_by_id != actor.organisation_id,
        "sent_proposal": partnership.status == Status.PROPOSED
        and partnership.proposed_by_id == actor.organisation_id,
        "can_edit_bridges": actor.can_write and partnership.status in (Status.ACTIVE, Status.PAUSED),
        "matrix": None,
    }
    # Nothing is shared before the partner accepts: a proposal shows only the proposal.
    if partnership.is_shared:
        context["matrix"] = selectors.bridge_matrix(actor, partnership)
        context["activity"] = history.partnership_history(actor, partnership.pk, limit=15)
    return context


@login_required
@domain_errors
def partnership_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    partnership = selectors.partnership_get(actor, pk)
    return render(request, "partnerships/detail.html", _detail_context(actor, partnership))


@login_required
@require_POST
@domain_errors
def partnership_answer(request: HttpRequest, pk: int) -> HttpResponse:
    """Accept or decline a proposal the actor's organisation received."""
    actor = actor_of(request)
    partnership = selectors.partnership_get(actor, pk)
    form = forms.ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    decision = request.POST.get("decision")
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = None
    try:
        # Declining is final, so it is never the fallback: only an explicit decision is acted on.
        if decision == "accept":
            services.partnership_accept(actor, partnership_id=partnership.pk, version=version)
            messages.success(request, _("Partnership accepted. Welcome to your shared space."))
        elif decision == "decline":
            services.partnership_decline(actor, partnership_id=partnership.pk, reason=reason)
            messages.success(request, _("Proposal declined."))
        else:
            messages.error(request, _("Choose to accept or to decline the proposal."))
    except Conflict as exc:
        messages.error(request, exc.message)
    if request.POST.get("next") == "list":
        return redirect("partnerships:list")
    return redirect("partnerships:detail", pk=partnership.pk)


@login_required
@require_POST
@domain_errors
def partnership_status(request: HttpRequest, pk: int) -> HttpResponse:
    """Pause, resume or end a partnership, or withdraw one's own proposal."""
    actor = actor_of(request)
    partnership = selectors.partnership_get(actor, pk)
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = None
    try:
        services.partnership_set_status(
            actor,
            partnership_id=partnership.pk,
            status=request.POST.get("status", ""),
            reason=request.POST.get("reason", ""),
            version=version,
        )
    except (Conflict, Invalid) as exc:
        messages.error(request, invalid_text(exc) if isinstance(exc, Invalid) else exc.message)
    else:
        messages.success(request, _("The partnership's status was changed."))
    return redirect("partnerships:detail", pk=partnership.pk)


@login_required
@domain_errors
def partnership_charter(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit the charter: tier, start date, shared goals and review cadence (admins of either side)."""
    actor = actor_of(request)
    partnership = selectors.partnership_get(actor, pk)
    require_admin(actor)
    initial = {
        "tier": partnership.tier,
        "start_date": partnership.start_date,
        "review_cadence_days": partnership.review_cadence_days,
        "goals": partnership.goals,
        "version": partnership.version,
    }
    form = forms.CharterForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.partnership_update(
                actor,
                partnership_id=partnership.pk,
                version=data["version"],
                tier=data["tier"],
                start_date=data["start_date"],
                goals=data["goals"],
                review_cadence_days=data["review_cadence_days"],
            )
        except Invalid as exc:
            add_invalid(form, exc)
        except Conflict as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("The charter was saved."))
            return redirect("partnerships:detail", pk=partnership.pk)
    return render(
        request,
        "partnerships/charter.html",
        {"p": partnership, "row": _row(actor, partnership), "form": form},
    )


# --- the bridge matrix, cell by cell --------------------------------------------------------------------


def _cell_departments(
    actor: Actor, partnership: Partnership, supplier_department_id: int, customer_department_id: int
) -> tuple[Department, Department, Bridge | None]:
    if not partnership.is_shared:
        raise Http404(_("Partnership not found."))
    matrix = selectors.bridge_matrix(actor, partnership)
    row = next((d for d in matrix.rows if d.pk == supplier_department_id), None)
    column = next((d for d in matrix.columns if d.pk == customer_department_id), None)
    if row is None or column is None:
        raise Http404(_("Department not found."))
    return row, column, matrix.cells.get((row.pk, column.pk))


def _bridge_form(
    actor: Actor, partnership: Partnership, data: Any = None, initial: dict[str, Any] | None = None
) -> forms.BridgeForm:
    return forms.BridgeForm(
        data,
        initial=initial,
        supplier_people=selectors.people_of(partnership, Side.SUPPLIER),
        customer_people=selectors.people_of(partnership, Side.CUSTOMER),
        own_departments=account_selectors.department_list(actor),
    )


def _render_cell(
    request: HttpRequest,
    partnership: Partnership,
    row: Department,
    column: Department,
    bridge: Bridge | None,
    **extra: Any,
) -> HttpResponse:
    actor = actor_of(request)
    template = "partnerships/_bridge_form.html" if "form" in extra else "partnerships/_bridge_cell.html"
    context = {
        "p": partnership,
        "row": row,
        "column": column,
        "bridge": bridge,
        "can_edit_bridges": actor.can_write and partnership.status in (Status.ACTIVE, Status.PAUSED),
        **extra,
    }
    return render(request, template, context)


def _require_bridge_writer(actor: Actor, partnership: Partnership) -> None:
    require_writer(actor)
    if partnership.status not in (Status.ACTIVE, Status.PAUSED):
        raise DjangoPermissionDenied(_("Bridges can be changed only in an active or paused partnership."))


@login_required
@domain_errors
def bridge_cell(
    request: HttpRequest, pk: int, supplier_department_id: int, customer_department_id: int
) -> HttpResponse:
    """One cell of the matrix as it stands (the "cancel" of an inline form)."""
    actor = actor_of(request)
    partnership = selectors.partnership_get(actor, pk)
    row, column, bridge = _cell_departments(
        actor, partnership, supplier_department_id, customer_department_id
    )
    if not is_htmx(request):
        return redirect("partnerships:detail", pk=partnership.pk)
    return _render_cell(request, partnership, row, column, bridge)


@login_required
@domain_errors
def bridge_add(
    request: HttpRequest, pk: int, supplier_department_id: int, customer_department_id: int
) -> HttpResponse:
    """GET: the inline form in an empty cell. POST: create the bridge and return the filled cell."""
    actor = actor_of(request)
    partnership = selectors.partnership_get(actor, pk)
    row, column, bridge = _cell_departments(
        actor, partnership, supplier_department_id, customer_department_id
    )
    _require_bridge_writer(actor, partnership)
    form = _bridge_form(actor, partnership, request.POST if request.method == "POST" else None)

    def save(data: dict[str, Any]) -> Bridge:
        return services.bridge_create(
            actor,
            partnership_id=partnership.pk,
            supplier_department_id=row.pk,
            customer_department_id=column.pk,
            supplier_owner_id=data["supplier_owner_id"],
            customer_owner_id=data["customer_owner_id"],
            cadence_days=data["cadence_days"],
            restricted_department_id=data["restricted_department_id"],
        )

    return _bridge_form_response(
        request,
        partnership,
        row,
        column,
        bridge,
        form,
        "add",
        save,
        _("Bridge %(bridge)s added."),
        _("Bridge added."),
    )


@login_required
@domain_errors
def bridge_edit(request: HttpRequest, bridge_id: int) -> HttpResponse:
    """GET: the inline form in a bridged cell. POST: save owners and cadence, return the cell."""
    actor = actor_of(request)
    bridge = selectors.bridge_get(actor, bridge_id)
    partnership = selectors.partnership_get(actor, bridge.partnership_id)
    _require_bridge_writer(actor, partnership)
    initial = {
        "supplier_owner_id": bridge.supplier_owner_id,
        "customer_owner_id": bridge.customer_owner_id,
        "cadence_days": bridge.cadence_days,
        "restricted_department_id": bridge.restricted_department_id,
        "version": bridge.version,
    }
    form = _bridge_form(
        actor, partnership, request.POST if request.method == "POST" else None, initial=initial
    )
    # Only the side that restricted a bridge may change the restriction; the other side keeps it as it is.
    restriction_is_ours = (
        bridge.restricted_department is None
        or bridge.restricted_department.organisation_id == actor.organisation_id
    )
    if not restriction_is_ours:
        del form.fields["restricted_department_id"]
    row, column = bridge.supplier_department, bridge.customer_department

    def save(data: dict[str, Any]) -> Bridge:
        services.bridge_update(
            actor,
            bridge_id=bridge.pk,
            version=data["version"],
            supplier_owner_id=data["supplier_owner_id"],
            customer_owner_id=data["customer_owner_id"],
            cadence_days=data["cadence_days"],
            **({"restricted_department_id": data["restricted_department_id"]} if restriction_is_ours else {}),
        )
        return selectors.bridge_get(actor, bridge.pk)

    return _bridge_form_response(
        request,
        partnership,
        row,
        column,
        bridge,
        form,
        "edit",
        save,
        _("Bridge %(bridge)s saved."),
        _("Saved."),
    )


def _bridge_form_response(
    request: HttpRequest,
    partnership: Partnership,
    row: Department,
    column: Department,
    bridge: Bridge | None,
    form: forms.BridgeForm,
    action: str,
    save: Callable[[dict[str, Any]], Bridge],
    saved_message: str,
    flash: str,
) -> HttpResponse:
    """The inline form of a cell: GET shows it; POST saves, then answers the filled cell (htmx) or
    redirects to the partnership with a message (plain form post). Errors stay in the form, nothing saved."""
    if request.method == "POST" and form.is_valid():
        try:
            saved = save(form.cleaned_data)
        except (Invalid, Conflict) as exc:
            _form_error(form, exc)
        else:
            if not is_htmx(request):
                messages.success(request, saved_message % {"bridge": saved})
                return redirect("partnerships:detail", pk=partnership.pk)
            return _render_cell(request, partnership, row, column, saved, flash=flash)
    if request.method == "POST" and not is_htmx(request):
        messages.error(request, _form_text(form))
        return redirect("partnerships:detail", pk=partnership.pk)
    return _render_cell(request, partnership, row, column, bridge, form=form, action=action)


@login_required
@require_POST
@domain_errors
def bridge_delete(request: HttpRequest, bridge_id: int) -> HttpResponse:
    actor = actor_of(request)
    bridge = selectors.bridge_get(actor, bridge_id)
    partnership = selectors.partnership_get(actor, bridge.partnership_id)
    _require_bridge_writer(actor, partnership)
    row, column = bridge.supplier_department, bridge.customer_department
    try:
        services.bridge_delete(actor, bridge_id=bridge.pk)
    except Conflict as exc:
        if not is_htmx(request):
            messages.error(request, exc.message)
            return redirect("partnerships:detail", pk=partnership.pk)
        return _render_cell(request, partnership, row, column, bridge, flash=exc.message)
    if not is_htmx(request):
        messages.success(request, _("Bridge removed."))
        return redirect("partnerships:detail", pk=partnership.pk)
    return _render_cell(request, partnership, row, column, None, flash=_("Bridge removed."))


def _form_error(form: forms.BridgeForm, exc: Invalid | Conflict) -> None:
    if isinstance(exc, Invalid):
        # Department errors concern the cell itself, not a field of the form.
        add_invalid(form, exc)
    else:
        form.add_error(None, exc.message)


def _form_text(form: forms.BridgeForm) -> str:
    return " ".join(str(m) for errors in form.errors.values() for m in errors)


# --- the e-mailed invitation for a company not on Mitra yet ---------------------------------------------


@domain_errors
def join(request: HttpRequest, token: str) -> HttpResponse:
    """Who proposes what; sign up + create the organisation + accept in one form, or decline."""
    invitation = services.partner_invitation_by_token(token)
    actor = getattr(request, "actor", None) if request.user.is_authenticated else None
    action = request.POST.get("action", "") if request.method == "POST" else ""
    form = forms.JoinForm(
        request.POST if action == "accept_new" else None,
        initial={"organisation_name": invitation.company_name, "language": request.LANGUAGE_CODE or "id"},
    )
    decline_form = forms.ReasonForm(request.POST if action == "decline" else None)
    if action == "decline" and decline_form.is_valid():
        services.partner_invitation_decline(raw_token=token, reason=decline_form.cleaned_data["reason"])
        return render(request, "partnerships/join_declined.html", {"invitation": invitation})
    if action == "accept_existing":
        if not actor:
            return redirect_to_login(request.get_full_path())
        try:
            partnership = services.partner_invitation_accept_existing(actor, raw_token=token)
        except Invalid as exc:
            messages.error(request, invalid_text(exc))
        else:
            messages.success(
                request, _("Partnership with %(org)s accepted.") % {"org": invitation.proposer.name}
            )
            return redirect("partnerships:detail", pk=partnership.pk)
    if action == "accept_new" and actor is None and form.is_valid():
        data = form.cleaned_data
        try:
            partnership = services.partner_invitation_accept_new(raw_token=token, **data)
        except Invalid as exc:
            add_invalid(form, exc)
        else:
            user = authenticate(request, email=invitation.email, password=data["password"])
            if user is not None:
                login(request, user)
                request.session[ORGANISATION_SESSION_KEY] = partnership.partner_of(invitation.proposer_id).pk
            messages.success(
                request,
                _("Welcome to Mitra. Your partnership with %(org)s is active.")
                % {"org": invitation.proposer.name},
            )
            return redirect("partnerships:detail", pk=partnership.pk)
    return render(
        request,
        "partnerships/join.html",
        {
            "invitation": invitation,
            "form": form,
            "decline_form": decline_form,
            "their_side": Side.CUSTOMER if invitation.proposer_side == Side.SUPPLIER else Side.SUPPLIER,
        },
    )


# --- contacts ---------------------------------------------------------------------------------------------

CONTACT_PAGE_SIZE = 100


@login_required
@domain_errors
def contact_list(request: HttpRequest, pk: int) -> HttpResponse:
    """The stakeholder map: the people at both organisations, grouped by organisation."""
    actor = actor_of(request)
    context = workspace_context(actor, pk, tab="contacts")
    p = context["p"]
    filters = forms.ContactFilterForm(request.GET)
    side, query = "", ""
    if filters.is_valid():
        side, query = filters.cleaned_data["side"], filters.cleaned_data["q"].strip()
    listed = contacts.contact_list(actor, p, side=side or None, query=query)
    if exported := page_export(request, actor, "contacts", listed, partnership_id=p.pk):
        return exported
    page = Paginator(listed, CONTACT_PAGE_SIZE).get_page(request.GET.get("page"))
    context.update(
        {
            "filters": filters,
            "filtered": bool(side or query),
            "page": page,
            "query_string": urlencode({"side": side, "q": query}),
            "own_organisation_id": actor.organisation_id,
        }
    )
    return render(request, "partnerships/contacts.html", context)


def _contact_form(
    request: HttpRequest, actor: Actor, context: dict[str, Any], contact: Any = None
) -> HttpResponse:
    p = context["p"]
    departments = account_selectors.department_list(actor)
    initial: dict[str, Any] = {}
    if contact is not None:
        initial = {name: getattr(contact, name) for name in contacts.EDITABLE}
        initial["version"] = contact.version
    form = forms.ContactForm(request.POST or None, initial=initial, departments=departments)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            if contact is None:
                contacts.contact_create(actor, partnership_id=p.pk, **data)
                messages.success(request, _("The contact was added."))
            else:
                contacts.contact_update(
                    actor, partnership_id=p.pk, contact_id=contact.pk, version=version, **data
                )
                messages.success(request, _("The contact was saved."))
        except Invalid as exc:
            add_invalid(form, exc)
        except Conflict as exc:
            form.add_error(None, exc.message)
        else:
            return redirect("partnerships:contacts", pk=p.pk)
    status = 422 if request.method == "POST" else 200
    return render(
        request,
        "partnerships/contact_form.html",
        {**context, "form": form, "contact": contact},
        status=status,
    )


def _editable_contact(actor: Actor, context: dict[str, Any], contact_id: int) -> Any:
    contact = contacts.contact_get(actor, context["p"], contact_id)
    require_writer(actor)
    if contact.organisation_id != actor.organisation_id:
        raise PermissionDenied(
            _("Each side keeps its own contacts: only %(organisation)s can change this one.")
            % {"organisation": contact.organisation.name}
        )
    return contact


@login_required
@domain_errors
def contact_create(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    context = workspace_context(actor, pk, tab="contacts")
    require_writer(actor)
    return _contact_form(request, actor, context)


@login_required
@domain_errors
def contact_edit(request: HttpRequest, pk: int, contact_id: int) -> HttpResponse:
    actor = actor_of(request)
    context = workspace_context(actor, pk, tab="contacts")
    contact = _editable_contact(actor, context, contact_id)
    return _contact_form(request, actor, context, contact)


@login_required
@require_POST
@domain_errors
def contact_delete(request: HttpRequest, pk: int, contact_id: int) -> HttpResponse:
    actor = actor_of(request)
    context = workspace_context(actor, pk, tab="contacts")
    contact = _editable_contact(actor, context, contact_id)
    try:
        contacts.contact_delete(actor, partnership_id=context["p"].pk, contact_id=contact.pk)
    except Conflict as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("%(name)s was removed from the contacts.") % {"name": contact.name})
    return redirect("partnerships:contacts", pk=context["p"].pk)
