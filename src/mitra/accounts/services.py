"""Writes on organisations, departments, memberships, invitations and API tokens."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Iterable

from babel import Locale
from babel.numbers import list_currencies
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from mitra.accounts.models import (
    ApiToken,
    Department,
    Invitation,
    Membership,
    Organisation,
    Role,
    SecurityEvent,
    User,
)
from mitra.core.errors import Conflict, Invalid, NotFound
from mitra.core.history import acting_as, records_actor
from mitra.core.jobs import enqueue_on_commit
from mitra.core.services import (
    check_version,
    derived_secret,
    hash_secret,
    new_salt,
    new_secret,
    require_admin,
    validate_and_save,
)
from mitra.core.tenancy import Actor

INVITATION_DAYS = 14
TOKEN_USE_LOG_INTERVAL = dt.timedelta(hours=1)

DEFAULT_DEPARTMENTS = (
    Department.Kind.SALES,
    Department.Kind.PURCHASING,
    Department.Kind.FINANCE,
    Department.Kind.LOGISTICS,
    Department.Kind.MARKETING,
    Department.Kind.CUSTOMER_SERVICE,
    Department.Kind.QUALITY,
    Department.Kind.MANAGEMENT,
)


# --- users ---------------------------------------------------------------------------------------------


def user_create(*, email: str, password: str, full_name: str = "") -> User:
    """A new person. The e-mail address is their sign-in name and must be unused."""
    email = _clean_email(email)
    if User.objects.filter(email__iexact=email).exists():
        raise Invalid({"email": [_("A user with this e-mail address already exists. Sign in instead.")]})
    user = User(email=email, full_name=full_name.strip())
    try:
        validate_password(password, user)
    except DjangoValidationError as exc:
        raise Invalid({"password": list(exc.messages)}) from exc
    user.set_password(password)
    return validate_and_save(user)


def _clean_email(email: str, field: str = "email") -> str:
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except DjangoValidationError as exc:
        raise Invalid({field: [_("Enter a valid e-mail address.")]}) from exc
    return email


# --- organisations -------------------------------------------------------------------------------------


@records_actor
@transaction.atomic
def organisation_create(
    *,
    user: User,
    name: str,
    legal_name: str = "",
    country: str = "ID",
    currency: str = "IDR",
    time_zone: str = "Asia/Jakarta",
    language: str = Organisation.Language.INDONESIAN,
    department_kinds: Iterable[str] = DEFAULT_DEPARTMENTS,
) -> Membership:
    """A new organisation with its standard departments; the creator becomes its first admin."""
    name = name.strip()
    if Organisation.objects.filter(name__iexact=name).exists():
        raise Invalid({"name": [_("An organisation with this name is already on Mitra.")]})
    _check_locale_fields(time_zone=time_zone, country=country, currency=currency)
    org = validate_and_save(
        Organisation(
            name=name,
            legal_name=legal_name.strip(),
            country=country.upper(),
            currency=currency.upper(),
            time_zone=time_zone,
            language=language,
        )
    )
    with translation.override(language):
        departments = [
            validate_and_save(Department(organisation=org, kind=kind, name=str(Department.Kind(kind).label)))
            for kind in department_kinds
        ]
    membership = validate_and_save(Membership(user=user, organisation=org, role=Role.ADMIN))
    management = [d for d in departments if d.kind == Department.Kind.MANAGEMENT]
    membership.departments.set(management)
    return membership


def _check_locale_fields(
    *, time_zone: str | None = None, country: str | None = None, currency: str | None = None
) -> None:
    """Time zone (IANA), country (ISO 3166, as Babel knows it) and currency (ISO 4217) must be real ones:
    money is formatted in the currency and dates in the time zone on every page."""
    errors: dict[str, list[str]] = {}
    if time_zone is not None:
        try:
            zoneinfo.ZoneInfo(time_zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            errors["time_zone"] = [_("Unknown time zone: %(name)s") % {"name": time_zone}]
    if country is not None and (len(country) != 2 or country.upper() not in Locale("en").territories):
        errors["country"] = [_("Unknown country code: %(code)s (use ISO 3166, e.g. ID)") % {"code": country}]
    if currency is not None and currency.upper() not in list_currencies():
        errors["currency"] = [
            _("Unknown currency code: %(code)s (use ISO 4217, e.g. IDR)") % {"code": currency}
        ]
    if errors:
        raise Invalid(errors)


ORGANISATION_FIELDS = ("name", "legal_name", "country", "currency", "time_zone", "language", "require_mfa")


@records_actor
@transaction.atomic
def organisation_update(actor: Actor, *, version: int | None = None, **changes: object) -> Organisation:
    """Change the organisation's settings. Admins only; a stale ``version`` is a conflict."""
    require_admin(actor)
    org = Organisation.objects.select_for_update().get(pk=actor.organisation_id)
    check_version(org, version)
    unknown = set(changes) - set(ORGANISATION_FIELDS)
    if unknown:
        raise Invalid({field: [_("This field cannot be changed.")] for field in sorted(unknown)})
    _check_locale_fields(
        **{field: str(changes[field]) for field in ("time_zone", "country", "currency") if field in changes}
    )
    if "name" in changes:
        name = str(changes["name"]).strip()
        if Organisation.objects.filter(name__iexact=name).exclude(pk=org.pk).exists():
            raise Invalid({"name": [_("An organisation with this name is already on Mitra.")]})
        changes["name"] = name
    for field in ("country", "currency"):
        if field in changes:
            changes[field] = str(changes[field]).upper()
    for field, value in changes.items():
        setattr(org, field, value)
    org.version += 1  # rows are locked (select_for_update), so this is race-free
    validate_and_save(org, update_fields=[*changes, "version"])
    return org


# --- departments ---------------------------------------------------------------------------------------


@records_actor
@transaction.atomic
def department_create(actor: Actor, *, kind: str, name: str) -> Department:
    require_admin(actor)
    name = name.strip()
    _check_department_name(actor, name)
    return validate_and_save(Department(organisation_id=actor.organisation_id, kind=kind, name=name))


def _check_department_name(actor: Actor, name: str, exclude_pk: int | None = None) -> None:
    clash = Department.objects.filter(organisation_id=actor.organisation_id, name__iexact=name)
    if exclude_pk:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise Invalid({"name": [_("This organisation already has a department with this name.")]})


def _own_department(actor: Actor, department_id: int) -> Department:
    try:
        return Department.objects.select_for_update().get(
            pk=department_id, organisation_id=actor.organisation_id
        )
    except Department.DoesNotExist as exc:
        raise NotFound(_("Department not found.")) from exc


@records_actor
@transaction.atomic
def department_update(
    actor: Actor, *, department_id: int, kind: str | None = None, name: str | None = None
) -> Department:
    require_admin(actor)
    department = _own_department(actor, department_id)
    fields = []
    if name is not None:
        name = name.strip()
        _check_department_name(actor, name, exclude_pk=department.pk)
        department.name = name
        fields.append("name")
    if kind is not None:
        department.kind = kind
        fields.append("kind")
    if fields:
        validate_and_save(department, update_fields=fields)
    return department


@records_actor
@transaction.atomic
def department_delete(actor: Actor, *, department_id: int) -> None:
    require_admin(actor)
    department = _own_department(actor, department_id)
    try:
        department.delete()
    except ProtectedError as exc:
        raise Conflict(
            _(
                "Bridges still use this department, as an end or as the only department that sees them. Change or remove them first."
            )
        ) from exc


# --- memberships ---------------------------------------------------------------------------------------


def _own_membership(actor: Actor, membership_id: int) -> Membership:
    try:
        return Membership.objects.select_for_update().get(
            pk=membership_id, organisation_id=actor.organisation_id
        )
    except Membership.DoesNotExist as exc:
        raise NotFound(_("Member not found.")) from exc


def _own_departments(
    actor: Actor, department_ids: Iterable[int], field: str = "department_ids"
) -> list[Department]:
    ids = set(department_ids)
    found = list(Department.objects.filter(organisation_id=actor.organisation_id, pk__in=ids))
    missing = ids - {d.pk for d in found}
    if missing:
        raise Invalid(
            {
                field: [
                    _("Not a department of your organisation: %(ids)s")
                    % {"ids": ", ".join(map(str, sorted(missing)))}
                ]
            }
        )
    return found


def _check_keeps_an_admin(actor: Actor, membership: Membership) -> None:
    others = Membership.objects.filter(
        organisation_id=actor.organisation_id, role=Role.ADMIN, is_active=True
    ).exclude(pk=membership.pk)
    if membership.role == Role.ADMIN and not others.exists():
        raise Conflict(_("An organisation needs at least one active admin."))


@records_actor
@transaction.atomic
def membership_update(
    actor: Actor,
    *,
    membership_id: int,
    role: str | None = None,
    department_ids: Iterable[int] | None = None,
    job_title: str | None = None,
    version: int | None = None,
) -> Membership:
    """Change a member's role, departments or job title. Admins only; the last admin cannot be demoted."""
    require_admin(actor)
    membership = _own_membership(actor, membership_id)
    check_version(membership, version)
    fields = []
    if role is not None and role != membership.role:
        if role not in Role.values:
            raise Invalid({"role": [_("Choose admin, member or viewer.")]})
        _check_keeps_an_admin(actor, membership)
        membership.role = role
        fields.append("role")
    if job_title is not None:
        membership.job_title = job_title.strip()
        fields.append("job_title")
    departments = _own_departments(actor, department_ids) if department_ids is not None else None
    membership.version += 1  # rows are locked (select_for_update), so this is race-free
    validate_and_save(membership, update_fields=[*fields, "version"])
    if departments is not None:
        membership.departments.set(departments)
    return membership


@records_actor
@transaction.atomic
def membership_deactivate(actor: Actor, *, membership_id: int) -> Membership:
    """Take away a member's access (someone who left). Their history and ownerships stay for the record."""
    require_admin(actor)
    membership = _own_membership(actor, membership_id)
    if not membership.is_active:
        return membership
    _check_keeps_an_admin(actor, membership)
    membership.is_active = False
    membership.deactivated_at = timezone.now()
    membership.version += 1  # rows are locked (select_for_update), so this is race-free
    validate_and_save(membership, update_fields=["is_active", "deactivated_at", "version"])
    ApiToken.objects.filter(membership=membership, revoked_at__isnull=True).update(revoked_at=timezone.now())
    return membership


# --- invitations ---------------------------------------------------------------------------------------


def invitation_link_token(invitation: Invitation) -> str:
    return derived_secret("inv", invitation.salt)


@records_actor
@transaction.atomic
def invitation_create(
    actor: Actor, *, email: str, role: str = Role.MEMBER, department_ids: Iterable[int] = ()
) -> Invitation:
    """Invite a person by e-mail to join the organisation; the e-mail goes out after commit."""
    require_admin(actor)
    email = _clean_email(email)
    if role not in Role.values:
        raise Invalid({"role": [_("Choose admin, member or viewer.")]})
    if Membership.objects.filter(
        organisation_id=actor.organisation_id, user__email__iexact=email, is_active=True
    ).exists():
        raise Invalid({"email": [_("This person is already a member.")]})
    pending = Invitation.objects.filter(
        organisation_id=actor.organisation_id,
        email__iexact=email,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
    )
    # An expired invitation is replaced rather than blocking a new one.
    pending.filter(expires_at__lte=timezone.now()).update(revoked_at=timezone.now())
    if pending.exists():
        raise Invalid({"email": [_("There is already a pending invitation for this e-mail address.")]})
    departments = _own_departments(actor, department_ids)
    salt = new_salt()
    invitation = Invitation(
        organisation_id=actor.organisation_id,
        email=email,
        role=role,
        salt=salt,
        invited_by=actor.user,
        expires_at=timezone.now() + dt.timedelta(days=INVITATION_DAYS),
    )
    invitation.token_hash = hash_secret(derived_secret("inv", salt))
    validate_and_save(invitation)
    invitation.departments.set(departments)
    enqueue_on_commit("mitra.accounts.tasks.send_invitation_email", invitation.pk)
    return invitation


@records_actor
@transaction.atomic
def invitation_revoke(actor: Actor, *, invitation_id: int) -> Invitation:
    require_admin(actor)
    try:
        invitation = Invitation.objects.select_for_update().get(
            pk=invitation_id, organisation_id=actor.organisation_id
        )
    except Invitation.DoesNotExist as exc:
        raise NotFound(_("Invitation not found.")) from exc
    if invitation.accepted_at:
        raise Conflict(_("This invitation was already accepted."))
    if not invitation.revoked_at:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
    return invitation


def invitation_by_token(raw_token: str, *, for_update: bool = False) -> Invitation:
    """The pending invitation a link points at; a used, revoked, expired or unknown link is not found.

    ``for_update`` locks it in the same query that checks it is pending, so of two concurrent accepts (or an
    accept and a revoke) the second finds nothing.
    """
    invitations = Invitation.objects.select_related("organisation")
    if for_update:
        invitations = invitations.select_for_update(of=("self",))
    invitation = invitations.filter(
        token_hash=hash_secret(raw_token or ""), accepted_at__isnull=True, revoked_at__isnull=True
    ).first()
    if invitation is None or invitation.expires_at <= timezone.now():
        raise NotFound(_("This invitation link is not valid. It may have expired or been used already."))
    return invitation


@transaction.atomic
def invitation_accept(
    *, raw_token: str, user: User | None = None, password: str = "", full_name: str = ""
) -> Membership:
    """Accept an invitation: as the signed-in ``user``, or by signing up with the invited address."""
    invitation = invitation_by_token(raw_token, for_update=True)
    if user is None:
        user = user_create(email=invitation.email, password=password, full_name=full_name)
    elif user.email.lower() != invitation.email.lower():
        raise Invalid({"email": [_("This invitation was sent to another e-mail address.")]})
    with acting_as(user):
        return _join(invitation, user)


def _join(invitation: Invitation, user: User) -> Membership:
    membership, created = Membership.objects.get_or_create(
        user=user, organisation=invitation.organisation, defaults={"role": invitation.role}
    )
    if not created:
        if membership.is_active:
            raise Conflict(_("You are already a member of this organisation."))
        membership.is_active = True
        membership.deactivated_at = None
        membership.role = invitation.role
        membership.save(update_fields=["is_active", "deactivated_at", "role"])
    membership.departments.set(invitation.departments.all())
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    return membership


# --- API tokens ----------------------------------------------------------------------------------------


@records_actor
@transaction.atomic
def api_token_create(actor: Actor, *, name: str) -> tuple[ApiToken, str]:
    """A new personal API token. The raw token is returned once and never stored."""
    name = (name or "").strip() or _("API token")
    raw, digest = new_secret("mitra")
    token = validate_and_save(
        ApiToken(membership=actor.membership, name=name, prefix=raw[:12], token_hash=digest)
    )
    security_event_record(
        kind=SecurityEvent.Kind.TOKEN_CREATED,
        user=actor.user,
        organisation_id=actor.organisation_id,
        detail=token.prefix,
    )
    return token, raw


@records_actor
@transaction.atomic
def api_token_revoke(actor: Actor, *, token_id: int) -> ApiToken:
    """Revoke a token: one's own, or any of the organisation's as its admin."""
    tokens = ApiToken.objects.select_for_update().filter(membership__organisation_id=actor.organisation_id)
    if not actor.is_admin:
        tokens = tokens.filter(membership=actor.membership)
    token = tokens.filter(pk=token_id).first()
    if token is None:
        raise NotFound(_("API token not found."))
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        security_event_record(
            kind=SecurityEvent.Kind.TOKEN_REVOKED,
            user=actor.user,
            organisation_id=actor.organisation_id,
            detail=token.prefix,
        )
    return token


def api_token_authenticate(raw: str, *, ip_address: str | None = None, path: str = "") -> ApiToken | None:
    """The live token behind a raw bearer value, with its last-used time updated; None if not valid."""
    token = (
        ApiToken.objects.select_related("membership__user", "membership__organisation")
        .filter(
            token_hash=hash_secret(raw),
            revoked_at__isnull=True,
            membership__is_active=True,
            membership__user__is_active=True,
        )
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    previous = token.last_used_at
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    token.last_used_at = now
    # One audit row an hour per token is enough to see who uses what, without a write log of every call.
    if previous is None or now - previous >= TOKEN_USE_LOG_INTERVAL:
        security_event_record(
            kind=SecurityEvent.Kind.TOKEN_USED,
            user=token.membership.user,
            organisation_id=token.membership.organisation_id,
            ip_address=ip_address,
            path=path,
            detail=token.prefix,
        )
    return token


# --- security events -----------------------------------------------------------------------------------


def security_event_record(
    *,
    kind: str,
    user: User | None = None,
    organisation_id: int | None = None,
    email: str = "",
    ip_address: str | None = None,
    user_agent: str = "",
    path: str = "",
    detail: str = "",
) -> SecurityEvent:
    return SecurityEvent.objects.create(
        kind=kind,
        user=user if user is not None and user.pk else None,
        organisation_id=organisation_id,
        email=(email or (user.email if user is not None and user.pk else ""))[:254],
        ip_address=ip_address or None,
        user_agent=user_agent[:300],
        path=path[:300],
        detail=detail[:300],
    )
