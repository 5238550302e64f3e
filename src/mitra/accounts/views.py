"""Organisation settings pages and the acceptance of an e-mailed invitation to join an organisation.

Views parse input with forms, call selectors (reads) and services (writes), and show the services'
``Invalid`` next to the fields and ``Conflict`` as a message.
"""

from __future__ import annotations

import functools
from typing import Any

from django.contrib import messages
from django.contrib.auth import authenticate, login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mitra.accounts import forms, selectors, services
from mitra.core.errors import Conflict, Invalid
from mitra.core.middleware import ORGANISATION_SESSION_KEY
from mitra.core.services import require_admin
from mitra.transfer.listexport import page_export
from mitra.web.http import actor_of, add_invalid, domain_errors, invalid_text

SECURITY_EVENTS_PER_PAGE = 50


def _settings_page(request: HttpRequest, template: str, tab: str, **context: Any) -> HttpResponse:
    actor = actor_of(request)
    return render(
        request, template, {"tab": tab, "organisation": selectors.organisation_get(actor), **context}
    )


# --- organisation details ---------------------------------------------------------------------------


@login_required
@domain_errors
def organisation_settings(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    organisation = selectors.organisation_get(actor)
    initial = {name: getattr(organisation, name) for name in services.ORGANISATION_FIELDS} | {
        "version": organisation.version
    }
    form = forms.OrganisationForm(request.POST or None, initial=initial)
    if request.method == "POST":
        require_admin(actor)
        if form.is_valid():
            data = dict(form.cleaned_data)
            version = data.pop("version")
            try:
                services.organisation_update(actor, version=version, **data)
            except Invalid as exc:
                add_invalid(form, exc)
            except Conflict as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, _("The organisation's settings were saved."))
                return redirect("accounts:settings")
    return _settings_page(request, "accounts/settings/organisation.html", "organisation", form=form)


# --- departments --------------------------------------------------------------------------------------


@login_required
@domain_errors
def departments(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    if exported := page_export(request, actor, "departments", lambda: selectors.department_list(actor)):
        return exported
    form = forms.DepartmentForm(request.POST or None)
    if request.method == "POST":
        require_admin(actor)
        if form.is_valid():
            try:
                department = services.department_create(actor, **form.cleaned_data)
            except Invalid as exc:
                add_invalid(form, exc)
            else:
                messages.success(request, _("Department “%(name)s” added.") % {"name": department.name})
                return redirect("accounts:departments")
    return _settings_page(
        request,
        "accounts/settings/departments.html",
        "departments",
        form=form,
        departments=selectors.department_list(actor),
    )


@login_required
@require_POST
@domain_errors
def department_rename(request: HttpRequest, department_id: int) -> HttpResponse:
    actor = actor_of(request)
    selectors.department_get(actor, department_id)  # a stranger's department is a 404 before anything else
    form = forms.DepartmentRenameForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the department a name."))
        return redirect("accounts:departments")
    try:
        services.department_update(actor, department_id=department_id, name=form.cleaned_data["name"])
    except Invalid as exc:
        messages.error(request, invalid_text(exc))
    else:
        messages.success(request, _("Department renamed."))
    return redirect("accounts:departments")


@login_required
@require_POST
@domain_errors
def department_delete(request: HttpRequest, department_id: int) -> HttpResponse:
    actor = actor_of(request)
    try:
        services.department_delete(actor, department_id=department_id)
    except Conflict as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Department deleted."))
    return redirect("accounts:departments")


# --- members ------------------------------------------------------------------------------------------


@login_required
@domain_errors
def members(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    everyone = functools.partial(selectors.member_list, actor, include_inactive=actor.is_admin)
    if exported := page_export(request, actor, "members", everyone):
        return exported
    return _settings_page(
        request,
        "accounts/settings/members.html",
        "members",
        members=selectors.member_list(actor, include_inactive=actor.is_admin),
    )


@login_required
@domain_errors
def member_edit(request: HttpRequest, membership_id: int) -> HttpResponse:
    actor = actor_of(request)
    member = selectors.member_get(actor, membership_id)
    require_admin(actor)
    initial = {
        "role": member.role,
        "job_title": member.job_title,
        "departments": [d.pk for d in member.departments.all()],
        "version": member.version,
    }
    form = forms.MemberForm(
        request.POST or None, initial=initial, departments=selectors.department_list(actor)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.membership_update(
                actor,
                membership_id=member.pk,
                role=data["role"],
                job_title=data["job_title"],
                department_ids=data["departments"],
                version=data["version"],
            )
        except Invalid as exc:
            add_invalid(form, exc, {"department_ids": "departments"})
        except Conflict as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("%(name)s was updated.") % {"name": member.user})
            return redirect("accounts:members")
    return _settings_page(request, "accounts/settings/member_edit.html", "members", form=form, member=member)


@login_required
@require_POST
@domain_errors
def member_deactivate(request: HttpRequest, membership_id: int) -> HttpResponse:
    actor = actor_of(request)
    try:
        member = services.membership_deactivate(actor, membership_id=membership_id)
    except Conflict as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("%(name)s no longer has access.") % {"name": member.user})
    return redirect("accounts:members")


# --- invitations --------------------------------------------------------------------------------------


@login_required
@domain_errors
def invitations(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    if not actor.is_admin:
        raise DjangoPermissionDenied(_("Only an organisation admin can invite people."))
    if exported := page_export(request, actor, "invitations", lambda: selectors.invitation_list(actor)):
        return exported
    form = forms.InvitationForm(request.POST or None, departments=selectors.department_list(actor))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            invitation = services.invitation_create(
                actor, email=data["email"], role=data["role"], department_ids=data["departments"]
            )
        except Invalid as exc:
            add_invalid(form, exc, {"department_ids": "departments"})
        else:
            messages.success(request, _("Invitation sent to %(email)s.") % {"email": invitation.email})
            return redirect("accounts:invitations")
    return _settings_page(
        request,
        "accounts/settings/invitations.html",
        "invitations",
        form=form,
        invitations=selectors.invitation_list(actor),
    )


@login_required
@require_POST
@domain_errors
def invitation_revoke(request: HttpRequest, invitation_id: int) -> HttpResponse:
    actor = actor_of(request)
    try:
        invitation = services.invitation_revoke(actor, invitation_id=invitation_id)
    except Conflict as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The invitation to %(email)s was revoked.") % {"email": invitation.email})
    return redirect("accounts:invitations")


# --- API tokens ---------------------------------------------------------------------------------------


@login_required
@domain_errors
def tokens(request: HttpRequest) -> HttpResponse:
    """Personal API tokens. A new token is shown in this response only: it is never stored in clear."""
    actor = actor_of(request)
    if exported := page_export(request, actor, "tokens", lambda: selectors.api_token_list(actor)):
        return exported
    form = forms.ApiTokenForm(request.POST or None)
    created = None
    if request.method == "POST" and form.is_valid():
        token, raw = services.api_token_create(actor, name=form.cleaned_data["name"])
        created = {"token": token, "raw": raw}
        form = forms.ApiTokenForm()
    response = _settings_page(
        request,
        "accounts/settings/tokens.html",
        "tokens",
        form=form,
        tokens=selectors.api_token_list(actor),
        created=created,
    )
    if created:
        response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
@domain_errors
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    token = services.api_token_revoke(actor_of(request), token_id=token_id)
    messages.success(request, _("The token “%(name)s” was revoked.") % {"name": token.name})
    return redirect("accounts:tokens")


# --- security log -------------------------------------------------------------------------------------


@login_required
@domain_errors
def security_log(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    if not actor.is_admin:
        raise DjangoPermissionDenied(_("Only an organisation admin can see the security log."))
    events = selectors.security_event_list(actor)
    if exported := page_export(request, actor, "security-events", events):
        return exported
    page = Paginator(events, SECURITY_EVENTS_PER_PAGE).get_page(request.GET.get("page"))
    return _settings_page(request, "accounts/settings/security.html", "security", page=page)


# --- accepting an invitation to join an organisation -----------------------------------------------------


@domain_errors
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """The e-mailed link: accept as the signed-in invitee, or sign up with the invited address."""
    invitation = services.invitation_by_token(token)
    user = request.user if request.user.is_authenticated else None
    form = forms.InvitationSignUpForm(request.POST if request.method == "POST" and user is None else None)
    if request.method == "POST":
        membership = None
        if user is not None:
            try:
                membership = services.invitation_accept(raw_token=token, user=user)
            except Invalid as exc:
                messages.error(request, invalid_text(exc))
            except Conflict as exc:
                messages.error(request, exc.message)
        elif form.is_valid():
            try:
                membership = services.invitation_accept(
                    raw_token=token,
                    password=form.cleaned_data["password"],
                    full_name=form.cleaned_data["full_name"],
                )
            except Invalid as exc:
                add_invalid(form, exc)
            else:
                signed_in = authenticate(
                    request, email=invitation.email, password=form.cleaned_data["password"]
                )
                if signed_in is not None:
                    login(request, signed_in)
        if membership is not None:
            request.session[ORGANISATION_SESSION_KEY] = membership.organisation_id
            messages.success(
                request, _("Welcome to %(org)s on Mitra.") % {"org": membership.organisation.name}
            )
            return redirect("web:home")
    return render(
        request,
        "accounts/invitation.html",
        {
            "invitation": invitation,
            "form": form,
            "email_matches": user is not None and user.email.lower() == invitation.email.lower(),
        },
    )
