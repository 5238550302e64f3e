"""Domain errors. Services raise these; the API and the pages map them to HTTP in one place each."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError


class MitraError(Exception):
    """Base class of the errors a service may raise on purpose."""

    status = 400
    code = "error"

    def __init__(self, message: str = "") -> None:
        super().__init__(message)
        self.message = str(message)


class NotFound(MitraError):
    """The record does not exist, or the actor may not know it exists. Both answer the same."""

    status = 404
    code = "not_found"

    def __init__(self, message: str = "", *, denied: bool = False, owners: tuple[int, ...] = ()) -> None:
        super().__init__(message)
        # True when the record exists but belongs to someone else: logged as "access denied", in the
        # prober's organisation and in the ``owners`` organisations whose record it was.
        self.denied = denied
        self.owners = owners


class PermissionDenied(MitraError):
    """The actor can see the record but their role does not allow this action."""

    status = 403
    code = "permission_denied"


class MfaRequired(PermissionDenied):
    """The organisation requires two-factor authentication and this person has not set it up."""

    code = "mfa_required"

    def __init__(self, message: str = "") -> None:
        from django.utils.translation import gettext

        super().__init__(
            message
            or gettext(
                "Your organisation requires two-factor authentication. Set up an authenticator app first."
            )
        )


class Conflict(MitraError):
    """The request is valid but clashes with the record's current state (stale version, wrong status)."""

    status = 409
    code = "conflict"


class Invalid(MitraError):
    """Input that breaks a rule. ``errors`` maps each field name (or ``__all__``) to its messages."""

    status = 422
    code = "invalid"

    def __init__(self, errors: Mapping[str, Sequence[str]] | str, field: str = NON_FIELD_ERRORS) -> None:
        if isinstance(errors, str):
            errors = {field: [errors]}
        self.errors: dict[str, list[str]] = {key: [str(m) for m in value] for key, value in errors.items()}
        first = next(iter(self.errors.items()))
        super().__init__(f"{first[0]}: {first[1][0]}" if first[0] != NON_FIELD_ERRORS else first[1][0])

    @classmethod
    def from_django(cls, exc: DjangoValidationError) -> Invalid:
        if hasattr(exc, "error_dict"):
            return cls(
                {field: [str(m) for e in errs for m in e.messages] for field, errs in exc.error_dict.items()}
            )
        return cls({NON_FIELD_ERRORS: [str(m) for m in exc.messages]})

    def as_list(self) -> list[dict[str, str]]:
        return [
            {"field": "" if field == NON_FIELD_ERRORS else field, "message": message}
            for field, messages in self.errors.items()
            for message in messages
        ]
