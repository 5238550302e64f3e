"""Small helpers every service uses: validation, optimistic locking, role checks, secret tokens."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from typing import TypeVar

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, models
from django.utils.translation import gettext as _

from mitra.core.errors import Conflict, Invalid, PermissionDenied
from mitra.core.tenancy import Actor

M = TypeVar("M", bound=models.Model)


def validate_and_save(
    instance: M, *, update_fields: Iterable[str] | None = None, exclude: Iterable[str] = ()
) -> M:
    """``full_clean`` then save; rule breaks become ``Invalid`` naming the field."""
    try:
        instance.full_clean(exclude=list(exclude))
    except DjangoValidationError as exc:
        raise Invalid.from_django(exc) from exc
    try:
        if update_fields is None:
            instance.save()
        else:
            instance.save(update_fields=list(update_fields))
    except IntegrityError as exc:  # a race lost to a concurrent write; the constraint held
        raise Conflict(
            _("This change conflicts with another one that was saved first. Reload and try again.")
        ) from exc
    return instance


def check_version(instance: models.Model, expected: int | None) -> None:
    """Optimistic locking: a stale edit (an older ``version`` than the stored one) is a conflict."""
    current = getattr(instance, "version", None)
    if expected is not None and current != expected:
        raise Conflict(
            _(
                "This record was changed by someone else (version %(current)s, you had %(expected)s). Reload and try again."
            )
            % {"current": current, "expected": expected}
        )


def require_writer(actor: Actor) -> None:
    if not actor.can_write:
        raise PermissionDenied(_("Viewers cannot change anything."))


def require_admin(actor: Actor) -> None:
    if not actor.is_admin:
        raise PermissionDenied(_("Only an organisation admin can do this."))


def new_secret(prefix: str) -> tuple[str, str]:
    """A fresh random secret and its SHA-256 hash. Only the hash is stored."""
    raw = f"{prefix}_{secrets.token_urlsafe(32)}"
    return raw, hash_secret(raw)


def hash_secret(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def derived_secret(purpose: str, salt: str) -> str:
    """A secret re-derivable from a stored random salt and the site's secret key.

    E-mail jobs take only a record's id and re-derive its link, so raw tokens never sit in the job table;
    only the token's hash is stored for look-up (like Django's password-reset tokens).
    """
    from django.conf import settings
    from django.utils.crypto import salted_hmac

    return f"{purpose}_{salted_hmac(f'mitra.{purpose}', salt, secret=settings.SECRET_KEY, algorithm='sha256').hexdigest()[:43]}"


def new_salt() -> str:
    return secrets.token_urlsafe(24)
