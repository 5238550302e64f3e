"""Audit of sign-ins. Receivers only record what happened; they make no business decisions."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from mitra.accounts.models import SecurityEvent


def client_ip(request: HttpRequest | None) -> str | None:
    """The client's address as allauth's rate limits see it (X-Forwarded-For behind trusted proxies)."""
    if request is None:
        return None
    from allauth.account.adapter import get_adapter
    from django.core.exceptions import PermissionDenied

    try:
        return get_adapter(request).get_client_ip(request) or None
    except PermissionDenied:  # a forwarded chain shorter than the configured proxies: not trustworthy
        return request.META.get("REMOTE_ADDR") or None


def _request_meta(request: HttpRequest | None) -> dict[str, Any]:
    if request is None:
        return {}
    return {
        "ip_address": client_ip(request),
        "user_agent": request.META.get("HTTP_USER_AGENT", ""),
        "path": request.path,
    }


def _organisation_ids(user: Any) -> list[int | None]:
    ids = list(user.memberships.filter(is_active=True).values_list("organisation_id", flat=True))
    return ids or [None]


@receiver(user_logged_in)
def _on_login(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    from mitra.accounts.services import security_event_record

    for org_id in _organisation_ids(user):
        security_event_record(
            kind=SecurityEvent.Kind.LOGIN, user=user, organisation_id=org_id, **_request_meta(request)
        )


@receiver(user_logged_out)
def _on_logout(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    from mitra.accounts.services import security_event_record

    if user is None:
        return
    for org_id in _organisation_ids(user):
        security_event_record(
            kind=SecurityEvent.Kind.LOGOUT, user=user, organisation_id=org_id, **_request_meta(request)
        )


@receiver(user_login_failed)
def _on_login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    from mitra.accounts.models import User
    from mitra.accounts.services import security_event_record

    email = str(credentials.get("email") or credentials.get("username") or "").strip().lower()
    user = User.objects.filter(email__iexact=email).first() if email else None
    org_ids = _organisation_ids(user) if user is not None else [None]
    for org_id in org_ids:
        security_event_record(
            kind=SecurityEvent.Kind.LOGIN_FAILED,
            user=user,
            organisation_id=org_id,
            email=email,
            **_request_meta(request),
        )
