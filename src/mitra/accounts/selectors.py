"""Reads on organisations and people, already scoped to the acting organisation."""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from mitra.accounts.models import (
    ApiToken,
    Department,
    Invitation,
    Membership,
    Organisation,
    SecurityEvent,
    User,
)
from mitra.core.errors import NotFound, PermissionDenied
from mitra.core.tenancy import Actor


def memberships_of(user: User) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(user=user, is_active=True, user__is_active=True)
        .select_related("organisation")
        .order_by("organisation__name")
    )


def actor_for(user: User, organisation_id: int | None = None) -> Actor | None:
    """The actor for a signed-in user: their membership of the chosen organisation, else their first."""
    memberships = list(memberships_of(user))
    if not memberships:
        return None
    membership = next((m for m in memberships if m.organisation_id == organisation_id), memberships[0])
    return actor_from_membership(membership)


def actor_from_membership(membership: Membership) -> Actor:
    department_ids = frozenset(membership.departments.values_list("pk", flat=True))
    return Actor(user=membership.user, membership=membership, department_ids=department_ids)


def organisation_get(actor: Actor) -> Organisation:
    return Organisation.objects.get(pk=actor.organisation_id)


def department_list(actor: Actor) -> QuerySet[Department]:
    return Department.objects.filter(organisation_id=actor.organisation_id).order_by("name")


def department_get(actor: Actor, department_id: int) -> Department:
    department = department_list(actor).filter(pk=department_id).first()
    if department is None:
        raise NotFound(_("Department not found."))
    return department


def _members(actor: Actor) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(organisation_id=actor.organisation_id)
        .select_related("user")
        .prefetch_related(Prefetch("departments", queryset=Department.objects.order_by("name")))
        .order_by("-is_active", "user__full_name", "user__email")
    )


def member_list(actor: Actor, *, include_inactive: bool = False) -> QuerySet[Membership]:
    """The organisation's people; former members (``include_inactive``) are for admins only."""
    if include_inactive and not actor.is_admin:
        raise PermissionDenied(_("Only an organisation admin can see former members."))
    members = _members(actor)
    return members if include_inactive else members.filter(is_active=True)


def member_get(actor: Actor, membership_id: int) -> Membership:
    """One person of the organisation: anyone active, oneself, and former members for admins."""
    members = _members(actor)
    if not actor.is_admin:
        members = members.filter(Q(is_active=True) | Q(pk=actor.membership.pk))
    member = members.filter(pk=membership_id).first()
    if member is None:
        raise NotFound(_("Member not found."))
    return member


def invitation_list(actor: Actor) -> QuerySet[Invitation]:
    """Who was invited, by whom, with which role: the admins' business (as on the invitations page)."""
    if not actor.is_admin:
        raise PermissionDenied(_("Only an organisation admin can see invitations."))
    return (
        Invitation.objects.filter(organisation_id=actor.organisation_id)
        .select_related("invited_by")
        .prefetch_related("departments")
        .order_by("-created_at")
    )


def api_token_list(actor: Actor) -> QuerySet[ApiToken]:
    """The actor's own tokens (an admin sees every token of the organisation)."""
    tokens = ApiToken.objects.filter(membership__organisation_id=actor.organisation_id).select_related(
        "membership__user"
    )
    if not actor.is_admin:
        tokens = tokens.filter(membership=actor.membership)
    return tokens.order_by("revoked_at", "-created_at")


def security_event_list(actor: Actor) -> QuerySet[SecurityEvent]:
    """The organisation's security log; admins only (others get an empty list)."""
    if not actor.is_admin:
        return SecurityEvent.objects.none()
    return SecurityEvent.objects.filter(organisation_id=actor.organisation_id).select_related("user")


def directory(actor: Actor, query: str = "", limit: int = 20) -> QuerySet[Organisation]:
    """Organisations on Mitra one may propose a partnership to: names only, never their data."""
    orgs = Organisation.objects.exclude(pk=actor.organisation_id).order_by("name")
    if query:
        orgs = orgs.filter(name__icontains=query.strip())
    return orgs.only("id", "name", "country")[:limit]
