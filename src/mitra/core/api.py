"""API plumbing shared by every router: authentication, the acting user, and errors → HTTP in one place."""

from __future__ import annotations

from typing import Annotated, Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, AuthorizationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.pagination import LimitOffsetPagination
from ninja.security import HttpBearer, SessionAuth
from pydantic import AfterValidator, Field

from mitra.core.errors import Invalid, MfaRequired, MitraError, NotFound
from mitra.core.tenancy import Actor


class ErrorItem(Schema):
    field: str
    message: str


class Error(Schema):
    """Every error the API returns: a message, a stable code and, for bad input, the fields at fault."""

    detail: str
    code: str
    errors: list[ErrorItem] = []


class BearerToken(HttpBearer):
    """``Authorization: Bearer mitra_…`` with a personal API token."""

    def authenticate(self, request: HttpRequest, token: str) -> Actor | None:
        from mitra.accounts.security import client_ip
        from mitra.accounts.selectors import actor_from_membership
        from mitra.accounts.services import api_token_authenticate

        api_token = api_token_authenticate(token, ip_address=client_ip(request), path=request.path)
        if api_token is None:
            return None
        actor = actor_from_membership(api_token.membership)
        if "HTTP_ACCEPT_LANGUAGE" not in request.META:
            # A script that states no language gets its organisation's, like the pages do.
            translation.activate(actor.organisation.language)
        _require_mfa_if_asked(actor)
        request.actor = actor  # type: ignore[attr-defined]
        request.api_token = api_token  # type: ignore[attr-defined]
        request.user = actor.user
        return actor


class Session(SessionAuth):
    """The browser's signed-in session (with CSRF protection on writes)."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Actor | None:
        if not request.user.is_authenticated:
            return None
        actor = getattr(request, "actor", None)
        if not actor:
            return None
        _require_mfa_if_asked(actor)
        return actor


def _require_mfa_if_asked(actor: Actor) -> None:
    """Whatever the credential, a member of an organisation that requires MFA must have set it up."""
    from mitra.core.middleware import mfa_missing

    if mfa_missing(actor):
        raise MfaRequired()


def authenticated_by_token(request: HttpRequest) -> bool:
    """Whether this request was authenticated with an API token rather than a signed-in session."""
    return getattr(request, "api_token", None) is not None


def actor_of(request: HttpRequest) -> Actor:
    return request.auth  # type: ignore[attr-defined]


def _error(
    api: NinjaAPI,
    request: HttpRequest,
    status: int,
    code: str,
    detail: str,
    errors: list[dict[str, str]] | None = None,
) -> HttpResponse:
    return api.create_response(
        request, {"detail": detail, "code": code, "errors": errors or []}, status=status
    )


def install_error_handlers(api: NinjaAPI) -> None:
    @api.exception_handler(MitraError)
    def _mitra(request: HttpRequest, exc: MitraError) -> HttpResponse:
        if isinstance(exc, NotFound) and exc.denied:
            log_access_denied(request, exc)
        errors = exc.as_list() if isinstance(exc, Invalid) else []
        return _error(api, request, exc.status, exc.code, exc.message, errors)

    @api.exception_handler(Http404)
    def _http404(request: HttpRequest, exc: Http404) -> HttpResponse:
        return _error(api, request, 404, "not_found", _("Not found."))

    @api.exception_handler(DjangoValidationError)
    def _django_invalid(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
        invalid = Invalid.from_django(exc)
        return _error(api, request, 422, invalid.code, invalid.message, invalid.as_list())

    @api.exception_handler(NinjaValidationError)
    def _ninja_invalid(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        errors = [_ninja_error_item(e) for e in exc.errors]
        detail = f"{errors[0]['field']}: {errors[0]['message']}" if errors else _("Invalid input.")
        return _error(api, request, 422, "invalid", detail, errors)

    @api.exception_handler(HttpError)
    def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        # django-ninja raises these itself, notably for a session write without a CSRF token.
        if exc.status_code == 403 and "CSRF" in str(exc):
            detail = _("CSRF check failed: send the value of the csrftoken cookie in the X-CSRFToken header.")
            return _error(api, request, 403, "csrf_failed", detail)
        return _error(api, request, exc.status_code, "error", str(exc))

    @api.exception_handler(AuthenticationError)
    def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        response = _error(api, request, 401, "unauthenticated", _("Sign in or send a valid API token."))
        response["WWW-Authenticate"] = 'Bearer realm="mitra"'
        return response

    @api.exception_handler(AuthorizationError)
    def _forbidden(request: HttpRequest, exc: AuthorizationError) -> HttpResponse:
        return _error(api, request, 403, "permission_denied", _("You may not do this."))


def _ninja_error_item(error: dict[str, Any]) -> dict[str, str]:
    location = [
        str(part) for part in error.get("loc", ()) if part not in ("body", "query", "path", "payload")
    ]
    return {"field": ".".join(location), "message": str(error.get("msg", "invalid"))}


def log_access_denied(request: HttpRequest, exc: NotFound) -> None:
    from mitra.accounts.models import SecurityEvent
    from mitra.accounts.security import client_ip
    from mitra.accounts.services import security_event_record

    actor = getattr(request, "auth", None) or getattr(request, "actor", None)
    own = actor.organisation_id if actor else None
    # The prober's own admins see the attempt, and so do the admins of the organisations it aimed at.
    for organisation_id in dict.fromkeys((own, *exc.owners)):
        security_event_record(
            kind=SecurityEvent.Kind.ACCESS_DENIED,
            user=actor.user if actor else None,
            organisation_id=organisation_id,
            ip_address=client_ip(request),
            path=request.path,
            detail=exc.message
            if organisation_id == own
            else f"{exc.message} ({actor.organisation.name if actor else '?'})",
        )


ERRORS: dict[int, type[Schema]] = {401: Error, 403: Error, 404: Error, 409: Error, 422: Error}


def errors(*codes: int) -> dict[int, type[Schema]]:
    """The subset of ``ERRORS`` an operation can answer, so the OpenAPI schema documents exactly those."""
    return {code: ERRORS[code] for code in codes}


# --- input primitives shared by every router's schemas ---------------------------------------------------

# Ids are bounded so that a huge number is a 422, not an integer overflow in the database driver.
MAX_ID = 2_147_483_647
Id = Annotated[int, Field(ge=1, le=MAX_ID)]


def _storable(value: str) -> str:
    # PostgreSQL rejects NUL characters and no database stores lone surrogates: refuse them as bad input.
    if "\x00" in value:
        raise ValueError("must not contain NUL characters")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ValueError("must be valid Unicode text") from exc
    return value


Storable = AfterValidator(_storable)


class Page(LimitOffsetPagination):
    """``?limit=&offset=`` paging with bounds, so a huge offset is a 422 and not an overflow."""

    class Input(Schema):
        limit: int = Field(100, ge=1, le=500)
        offset: int = Field(0, ge=0, le=MAX_ID)
