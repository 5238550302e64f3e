"""Reads on partnerships and bridges, scoped through ``mitra.core.tenancy``."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from mitra.accounts.models import Department, Membership
from mitra.core.errors import NotFound
from mitra.core.tenancy import Actor, restrict, restriction_q
from mitra.partnerships.models import Bridge, PartnerInvitation, Partnership, Side


def partnership_list(actor: Actor, *, status: str | None = None, query: str = "") -> QuerySet[Partnership]:
    """The actor's partnerships, with the counts the list shows, in a fixed number of queries."""
    visible = restriction_q(actor, prefix="bridges__")
    partnerships = (
        Partnership.objects.visible_to(actor)
        .select_related("supplier", "customer", "proposed_by")
        .annotate(
            # Counted through the same restriction as the bridges themselves, so a hidden bridge does not
            # show through a count or a single-thread flag.
            bridge_count=Count("bridges", filter=visible, distinct=True),
            supplier_people=Count("bridges__supplier_owner", filter=visible, distinct=True),
            customer_people=Count("bridges__customer_owner", filter=visible, distinct=True),
        )
        .order_by("status", "-created_at", "-id")
    )
    if status:
        partnerships = partnerships.filter(status=status)
    if query:
        partnerships = partnerships.filter(
            Q(supplier__name__icontains=query) | Q(customer__name__icontains=query)
        )
    return partnerships


def partnership_get(actor: Actor, partnership_id: int) -> Partnership:
    """One partnership the actor's organisation is party to; otherwise not found, like a missing one."""
    partnership = partnership_list(actor).filter(pk=partnership_id).first()
    if partnership is None:
        owners = (
            Partnership.objects.filter(pk=partnership_id).values_list("supplier_id", "customer_id").first()
        )
        raise NotFound(_("Partnership not found."), denied=owners is not None, owners=owners or ())
    return partnership


@dataclass(frozen=True)
class Threading:
    """How many threads hold a partnership together; one bridge or one person is fragile."""

    bridges: int
    supplier_people: int
    customer_people: int

    @property
    def single_bridge(self) -> bool:
        return self.bridges <= 1

    @property
    def single_person(self) -> bool:
        return self.supplier_people <= 1 or self.customer_people <= 1

    @property
    def at_risk(self) -> bool:
        return self.single_bridge or self.single_person


def threading(partnership: Partnership) -> Threading:
    """Read from the counts ``partnership_list`` annotates."""
    return Threading(
        bridges=getattr(partnership, "bridge_count", 0),
        supplier_people=getattr(partnership, "supplier_people", 0),
        customer_people=getattr(partnership, "customer_people", 0),
    )


def _with_last_contact(bridges: QuerySet[Bridge], actor: Actor) -> QuerySet[Bridge]:
    """Each bridge's latest moment of truth the actor may see (``last_contact_at``): is the bridge alive?"""
    return bridges.annotate(
        last_contact_at=Max("touchpoints__occurred_at", filter=restriction_q(actor, prefix="touchpoints__"))
    )


def bridge_list(actor: Actor, partnership_id: int) -> QuerySet[Bridge]:
    partnership_get(actor, partnership_id)
    return (
        _with_last_contact(restrict(Bridge.objects.filter(partnership_id=partnership_id), actor), actor)
        .select_related(
            "supplier_department",
            "customer_department",
            "supplier_owner__user",
            "customer_owner__user",
            "restricted_department",
        )
        .order_by("supplier_department__name", "customer_department__name")
    )


def bridge_get(actor: Actor, bridge_id: int) -> Bridge:
    bridge = (
        _with_last_contact(restrict(Bridge.objects.filter(pk=bridge_id), actor), actor)
        .select_related(
            "partnership",
            "supplier_department",
            "customer_department",
            "supplier_owner__user",
            "customer_owner__user",
            "restricted_department",
        )
        .first()
    )
    if bridge is None:
        owners = (
            Bridge.objects.filter(pk=bridge_id)
            .values_list("partnership__supplier_id", "partnership__customer_id")
            .first()
        )
        raise NotFound(_("Bridge not found."), denied=owners is not None, owners=owners or ())
    return bridge


@dataclass(frozen=True)
class BridgeMatrix:
    """The supplier's departments (rows) × the customer's departments (columns), with the bridges in cells."""

    rows: list[Department]
    columns: list[Department]
    cells: dict[tuple[int, int], Bridge]

    def grid(self) -> list[tuple[Department, list[tuple[Department, Bridge | None]]]]:
        return [(row, [(col, self.cells.get((row.pk, col.pk))) for col in self.columns]) for row in self.rows]


def bridge_matrix(actor: Actor, partnership: Partnership) -> BridgeMatrix:
    departments = list(
        Department.objects.filter(
            organisation_id__in=(partnership.supplier_id, partnership.customer_id)
        ).order_by("name")
    )
    bridges = bridge_list(actor, partnership.pk)
    return BridgeMatrix(
        rows=[d for d in departments if d.organisation_id == partnership.supplier_id],
        columns=[d for d in departments if d.organisation_id == partnership.customer_id],
        cells={(b.supplier_department_id, b.customer_department_id): b for b in bridges},
    )


def people_of(partnership: Partnership, side: str) -> QuerySet[Membership]:
    """Active members of one side, to choose a bridge owner from."""
    org_id = partnership.supplier_id if side == Side.SUPPLIER else partnership.customer_id
    return (
        Membership.objects.filter(organisation_id=org_id, is_active=True)
        .select_related("user")
        .order_by("user__full_name")
    )


def partner_invitation_list(actor: Actor, *, pending: bool = False) -> QuerySet[PartnerInvitation]:
    """E-mailed proposals the actor's organisation sent; ``pending``: not yet answered, withdrawn or expired."""
    invitations = PartnerInvitation.objects.filter(proposer_id=actor.organisation_id).select_related(
        "partnership", "invited_by"
    )
    if pending:
        invitations = invitations.filter(
            accepted_at__isnull=True,
            declined_at__isnull=True,
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
        )
    return invitations.order_by("-created_at")
