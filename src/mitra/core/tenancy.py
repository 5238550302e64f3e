"""Tenancy in one place.

Every selector, page and API operation reaches tenant data through ``partnership_q`` (which partnerships an
actor's organisation is party to) and ``restrict`` (which records under them the actor may see). What is out
of reach is treated exactly like what does not exist: the caller raises ``NotFound``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from mitra.accounts.models import Membership, Organisation, User

M = TypeVar("M", bound=models.Model)


@dataclass(frozen=True)
class Actor:
    """Who is acting: a user, through their membership of one organisation."""

    user: User
    membership: Membership
    department_ids: frozenset[int] = field(default_factory=frozenset)

    @property
    def organisation(self) -> Organisation:
        return self.membership.organisation

    @property
    def organisation_id(self) -> int:
        return self.membership.organisation_id

    @property
    def role(self) -> str:
        return self.membership.role

    @property
    def is_admin(self) -> bool:
        return self.membership.is_admin

    @property
    def can_write(self) -> bool:
        return self.membership.can_write


def partnership_q(actor: Actor, prefix: str = "") -> Q:
    """The partnerships the actor's organisation is party to, as a filter rooted at ``prefix``."""
    org = actor.organisation_id
    return Q(**{f"{prefix}supplier_id": org}) | Q(**{f"{prefix}customer_id": org})


def restrict(
    queryset: models.QuerySet[M], actor: Actor, partnership_path: str = "partnership"
) -> models.QuerySet[M]:
    """Scope records that hang under a partnership to what the actor may see.

    A record may be restricted to one department of one side: then, within that side's organisation, only
    the department's members and the organisation's admins see it. The other side is not affected by a
    restriction it did not set.
    """
    queryset = queryset.filter(partnership_q(actor, prefix=f"{partnership_path}__"))
    model: Any = queryset.model
    if any(f.name == "restricted_department" for f in model._meta.get_fields()):
        queryset = queryset.filter(restriction_q(actor))
    return queryset


def restriction_q(actor: Actor, prefix: str = "") -> Q:
    """The department restriction alone, rooted at ``prefix`` (e.g. ``bridges__`` to count visible bridges)."""
    if actor.is_admin:
        return Q()
    return (
        Q(**{f"{prefix}restricted_department__isnull": True})
        | ~Q(**{f"{prefix}restricted_department__organisation_id": actor.organisation_id})
        | Q(**{f"{prefix}restricted_department_id__in": actor.department_ids})
    )


class SharedRecord(models.Model):
    """Base of every record that belongs to a partnership and is shared by both sides."""

    partnership = models.ForeignKey("partnerships.Partnership", on_delete=models.CASCADE, related_name="+")
    restricted_department = models.ForeignKey(
        "accounts.Department",
        # Deleting the department must not silently lift the restriction and show the record to everyone.
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("When set, only this department (and admins) of its own side see the record."),
    )

    class Meta:
        abstract = True
