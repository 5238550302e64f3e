"""What every workflow of the shared workspace (commitments, cases, value, moments of truth…) builds on.

A workflow record belongs to one partnership and is seen alike by both sides. The acting side always comes
from the actor's organisation, never from the request. Records can be written while the partnership is
active or paused; an ended partnership is kept, read-only, and a proposal has no workspace yet.
"""

from __future__ import annotations

from typing import TypeVar

from django.db import models
from django.utils.translation import gettext as _

from mitra.accounts.models import Department, Membership
from mitra.core.errors import Conflict, Invalid, NotFound
from mitra.core.tenancy import Actor, restrict
from mitra.partnerships.models import SHARED_STATUSES, Bridge, Partnership, Side, Status

WRITABLE_STATUSES = (Status.ACTIVE, Status.PAUSED)

R = TypeVar("R", bound=models.Model)


def shared_partnership(actor: Actor, partnership_id: int) -> Partnership:
    """A partnership of the actor's organisation that has a workspace (active, paused or ended).

    Anything else, including a proposal not yet accepted, is not found: nothing is shared before that.
    """
    from mitra.partnerships.selectors import partnership_get

    partnership = partnership_get(actor, partnership_id)
    if partnership.status not in SHARED_STATUSES:
        raise NotFound(_("Partnership not found."))
    return partnership


def writable_partnership(actor: Actor, partnership_id: int) -> Partnership:
    """The partnership, if its workspace can take writes now (active or paused); else a conflict."""
    partnership = (
        Partnership.objects.visible_to(actor)
        .select_related("supplier", "customer")
        .filter(pk=partnership_id, status__in=SHARED_STATUSES)
        .first()
    )
    if partnership is None:
        raise NotFound(_("Partnership not found."))
    if partnership.status not in WRITABLE_STATUSES:
        raise Conflict(
            _("This partnership is %(status)s: its records can be read but no longer changed.")
            % {"status": partnership.get_status_display()}
        )
    return partnership


def side_of(actor: Actor, partnership: Partnership) -> str:
    """The actor's side in the partnership: ``supplier`` or ``customer``."""
    side = partnership.side_of(actor.organisation_id)
    if side is None:  # pragma: no cover - callers reach partnerships through partnership_q only
        raise NotFound(_("Partnership not found."))
    return side


def other_side(side: str) -> str:
    return Side.CUSTOMER if side == Side.SUPPLIER else Side.SUPPLIER


def organisation_id_of(partnership: Partnership, side: str) -> int:
    return partnership.supplier_id if side == Side.SUPPLIER else partnership.customer_id


def member_of(
    partnership: Partnership, membership_id: int, field: str, side: str | None = None
) -> Membership:
    """An active member of either side (or of ``side`` only), else ``Invalid`` naming ``field``."""
    sides = (side,) if side else (Side.SUPPLIER, Side.CUSTOMER)
    orgs = [organisation_id_of(partnership, s) for s in sides]
    member = (
        Membership.objects.select_related("user", "organisation")
        .filter(pk=membership_id, organisation_id__in=orgs, is_active=True)
        .first()
    )
    if member is None:
        if side:
            org = partnership.supplier if side == Side.SUPPLIER else partnership.customer
            message = _("Choose an active member of %(org)s.") % {"org": org.name}
        else:
            message = _("Choose an active member of one of the two sides.")
        raise Invalid({field: [message]})
    return member


def bridge_of(
    actor: Actor, partnership: Partnership, bridge_id: int | None, field: str = "bridge_id"
) -> Bridge | None:
    """A bridge of this partnership that the actor may see, else ``Invalid`` naming ``field``."""
    if bridge_id is None:
        return None
    bridge = restrict(Bridge.objects.all(), actor).filter(pk=bridge_id, partnership=partnership).first()
    if bridge is None:
        raise Invalid({field: [_("Choose a bridge of this partnership.")]})
    return bridge


def restriction(actor: Actor, department_id: int | None) -> Department | None:
    """The department a new record is restricted to: one of the actor's own side, that they belong to."""
    from mitra.partnerships.services import _restriction

    return _restriction(actor, department_id)


def locked_record(actor: Actor, model: type[R], *, partnership_id: int, record_id: int, missing: str) -> R:
    """One record of the partnership that the actor may see, locked for a state change; else ``NotFound``
    with the ``missing`` message (a record of another partnership or tenant is missing alike).

    Only the record's own row is locked: the department restriction's outer join cannot be locked on
    PostgreSQL.
    """
    record = (
        restrict(model._default_manager.all(), actor)
        .select_for_update(of=("self",))
        .filter(pk=record_id, partnership_id=partnership_id)
        .first()
    )
    if record is None:
        raise NotFound(missing)
    return record
