"""Request plumbing: who is acting, in which language and time zone, and the organisation's MFA rule."""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect
from django.utils import timezone, translation
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _

from mitra.core.errors import MfaRequired
from mitra.core.tenancy import Actor

ORGANISATION_SESSION_KEY = "mitra_organisation_id"
# Sign-in and MFA set-up (allauth), assets and the language switch stay reachable; the API enforces the
# rule itself, on the credential that actually authenticated (see ``mitra.core.api``).
MFA_EXEMPT_PREFIXES = ("/accounts/", "/static/", "/i18n/", "/api/")


def _actor(request: HttpRequest) -> Actor | None:
    from mitra.accounts.selectors import actor_for

    user = request.user
    if not user.is_authenticated:
        return None
    return actor_for(user, request.session.get(ORGANISATION_SESSION_KEY))


class ActorMiddleware:
    """Sets ``request.actor`` (lazily) and the organisation's time zone and default language."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.actor = SimpleLazyObject(lambda: _actor(request))  # type: ignore[attr-defined]
        if request.user.is_authenticated and request.actor:  # type: ignore[attr-defined]
            org = request.actor.organisation  # type: ignore[attr-defined]
            try:
                timezone.activate(zoneinfo.ZoneInfo(org.time_zone))
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                timezone.activate(zoneinfo.ZoneInfo(settings.TIME_ZONE))
            if settings.LANGUAGE_COOKIE_NAME not in request.COOKIES:
                translation.activate(org.language)
                request.LANGUAGE_CODE = org.language
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()


def user_has_totp(user: object) -> bool:
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def mfa_missing(actor: Actor) -> bool:
    """The actor's organisation requires MFA and the person has not set up an authenticator."""
    return bool(actor.organisation.require_mfa) and not user_has_totp(actor.user)


class RequireMfaMiddleware:
    """When an organisation requires MFA, its members must set up an authenticator before anything else."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        actor = getattr(request, "actor", None)
        if (
            request.user.is_authenticated
            and actor
            and actor.organisation.require_mfa
            and not request.path.startswith(MFA_EXEMPT_PREFIXES)
            and mfa_missing(actor)
        ):
            from django.contrib import messages

            messages.warning(request, MfaRequired().message)
            return redirect("mfa_activate_totp")
        return self.get_response(request)


class RejectNulCharactersMiddleware:
    """A NUL character in a query or form field is refused with 400, naming the field.

    PostgreSQL cannot store or even compare text with NUL, so such input would otherwise surface as a
    database error deep in a view; SQLite accepts it, which is why only a test on PostgreSQL shows it.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        fields = [request.GET]
        if request.method == "POST" and request.content_type in (
            "application/x-www-form-urlencoded",
            "multipart/form-data",
        ):
            fields.append(request.POST)
        for data in fields:
            for name, values in data.lists():
                if "\x00" in name or any("\x00" in value for value in values):
                    return HttpResponseBadRequest(
                        _("The field %(field)s contains a NUL character, which is not allowed.")
                        % {"field": name.replace("\x00", "\\0")},
                        content_type="text/plain; charset=utf-8",
                    )
        return self.get_response(request)
