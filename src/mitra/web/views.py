"""The front door and the organisation switcher."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.shortcuts import redirect, render
from django.template import loader
from django.urls import Resolver404
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mitra.accounts.selectors import memberships_of
from mitra.core.middleware import ORGANISATION_SESSION_KEY


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return redirect("partnerships:list")


@login_required
@require_POST
def switch_organisation(request: HttpRequest) -> HttpResponse:
    """Act for another organisation the person belongs to; anything else is ignored with a message."""
    try:
        organisation_id = int(request.POST.get("organisation", ""))
    except ValueError:
        organisation_id = 0
    membership = memberships_of(request.user).filter(organisation_id=organisation_id).first()  # type: ignore[arg-type]
    if membership is None:
        messages.error(request, _("You are not a member of that organisation."))
    else:
        request.session[ORGANISATION_SESSION_KEY] = membership.organisation_id
        messages.success(
            request, _("You are now working as %(org)s.") % {"org": membership.organisation.name}
        )
    # The page one was on may belong to the other organisation's partnership: start from the list.
    target = request.POST.get("next", "")
    if (
        not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()})
        or "/partnerships/" in target
    ):
        target = ""
    return redirect(target or "partnerships:list")


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """The 404 page in Mitra's layout; a reason is shown only when a view gave one in words."""
    message = exception.args[0] if exception is not None and exception.args else ""
    if isinstance(exception, Resolver404) or not isinstance(message, str):
        message = ""
    return render(request, "404.html", {"message": message}, status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 page: plain and self-contained, because anything (even the database) may be down."""
    return HttpResponseServerError(loader.get_template("500.html").render())
