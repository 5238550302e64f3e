"""The partnership API: the directory's other side, proposals and their answers, charters and bridges.

Thin on purpose: reads go through ``selectors`` (already scoped to the caller's organisation), writes
through ``services``; the domain errors they raise become HTTP in ``mitra.core.api``.
"""

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.pagination import paginate

from mitra.accounts.schemas import Search
from mitra.core.api import Id, Page, actor_of, errors
from mitra.core.errors import NotFound
from mitra.core.tenancy import Actor
from mitra.partnerships import contacts, history, selectors, services
from mitra.partnerships.models import Bridge, Contact, PartnerInvitation, Partnership, Side
from mitra.partnerships.models import Status as PartnershipStatus
from mitra.partnerships.schemas import (
    BridgeIn,
    BridgeOut,
    BridgePatch,
    ChangeOut,
    DeclineIn,
    PartnerInvitationIn,
    PartnerInvitationOut,
    PartnershipContactIn,
    PartnershipContactOut,
    PartnershipContactPatch,
    PartnershipDetailOut,
    PartnershipIn,
    PartnershipOut,
    PartnershipPatch,
    StatusIn,
)

router = Router(tags=["partnerships"])

READ = errors(401, 422)
READ_ONE = errors(401, 404, 422)
WRITE = errors(401, 403, 404, 409, 422)


def _detail(actor: Actor, partnership_id: int) -> Partnership:
    # Re-read through the selector so the answer carries the same counts as the list.
    return selectors.partnership_get(actor, partnership_id)


# --- partnerships -----------------------------------------------------------------------------------------


@router.get("/partnerships", response={200: list[PartnershipOut], **READ}, operation_id="partnership_list")
@paginate(Page)
def partnership_list(request: HttpRequest, status: PartnershipStatus | None = None, q: Search = "") -> Any:
    """Your organisation's partnerships, on either side, with how well each is threaded."""
    return selectors.partnership_list(actor_of(request), status=status, query=q.strip())


@router.post(
    "/partnerships", response={201: PartnershipDetailOut, **WRITE}, operation_id="partnership_propose"
)
def partnership_propose(request: HttpRequest, payload: PartnershipIn) -> Status:
    """Propose a partnership to an organisation on Mitra. Nothing is shared until it accepts."""
    actor = actor_of(request)
    partnership = services.partnership_propose(actor, **payload.model_dump())
    return Status(201, _detail(actor, partnership.pk))


@router.get(
    "/partnerships/{partnership_id}",
    response={200: PartnershipDetailOut, **READ_ONE},
    operation_id="partnership_get",
)
def partnership_get(request: HttpRequest, partnership_id: Id) -> Partnership:
    return selectors.partnership_get(actor_of(request), partnership_id)


@router.patch(
    "/partnerships/{partnership_id}",
    response={200: PartnershipDetailOut, **WRITE},
    operation_id="partnership_update",
)
def partnership_update(request: HttpRequest, partnership_id: Id, payload: PartnershipPatch) -> Partnership:
    """Change the charter (admins of either side). Send ``version`` to refuse overwriting a newer edit (409)."""
    actor = actor_of(request)
    services.partnership_update(actor, partnership_id=partnership_id, **payload.model_dump())
    return _detail(actor, partnership_id)


@router.post(
    "/partnerships/{partnership_id}/accept",
    response={200: PartnershipDetailOut, **WRITE},
    operation_id="partnership_accept",
)
def partnership_accept(request: HttpRequest, partnership_id: Id, version: Id | None = None) -> Partnership:
    """Accept a proposal your organisation received (admins); it becomes active and shared.

    Pass ``?version=`` (from the proposal you read) to accept only those terms: 409 if they changed since.
    """
    actor = actor_of(request)
    services.partnership_accept(actor, partnership_id=partnership_id, version=version)
    return _detail(actor, partnership_id)


@router.post(
    "/partnerships/{partnership_id}/decline",
    response={200: PartnershipDetailOut, **WRITE},
    operation_id="partnership_decline",
)
def partnership_decline(request: HttpRequest, partnership_id: Id, payload: DeclineIn) -> Partnership:
    """Decline a proposal your organisation received (admins)."""
    actor = actor_of(request)
    services.partnership_decline(actor, partnership_id=partnership_id, reason=payload.reason)
    return _detail(actor, partnership_id)


@router.post(
    "/partnerships/{partnership_id}/status",
    response={200: PartnershipDetailOut, **WRITE},
    operation_id="partnership_set_status",
)
def partnership_set_status(request: HttpRequest, partnership_id: Id, payload: StatusIn) -> Partnership:
    """Pause, resume or end a partnership, or withdraw your own proposal by ending it (admins)."""
    actor = actor_of(request)
    services.partnership_set_status(
        actor,
        partnership_id=partnership_id,
        status=payload.status.value,
        reason=payload.reason,
        version=payload.version,
    )
    return _detail(actor, partnership_id)


# --- partner invitations (companies not on Mitra yet) -----------------------------------------------------


@router.get(
    "/partner-invitations",
    response={200: list[PartnerInvitationOut], **READ},
    operation_id="partner_invitation_list",
)
@paginate(Page)
def partner_invitation_list(request: HttpRequest) -> Any:
    return selectors.partner_invitation_list(actor_of(request))


@router.post(
    "/partner-invitations",
    response={201: PartnerInvitationOut, **WRITE},
    operation_id="partner_invitation_create",
)
def partner_invitation_create(request: HttpRequest, payload: PartnerInvitationIn) -> Status:
    """E-mail a partnership proposal to a person at a company not on Mitra; they sign up and accept in one go."""
    invitation = services.partner_invitation_create(actor_of(request), **payload.model_dump())
    return Status(201, invitation)


@router.post(
    "/partner-invitations/{invitation_id}/revoke",
    response={200: PartnerInvitationOut, **WRITE},
    operation_id="partner_invitation_revoke",
)
def partner_invitation_revoke(request: HttpRequest, invitation_id: Id) -> PartnerInvitation:
    return services.partner_invitation_revoke(actor_of(request), invitation_id=invitation_id)


# --- bridges ----------------------------------------------------------------------------------------------


def _bridge_of(actor: Actor, partnership_id: int, bridge_id: int) -> Bridge:
    """The bridge, if the actor may see it and it belongs to that partnership; otherwise not found."""
    bridge = selectors.bridge_get(actor, bridge_id)
    if bridge.partnership_id != partnership_id:
        raise NotFound(_("Bridge not found."))
    return bridge


@router.get(
    "/partnerships/{partnership_id}/history",
    response={200: list[ChangeOut], **READ_ONE},
    operation_id="partnership_history",
)
def partnership_history(request: HttpRequest, partnership_id: Id) -> Any:
    """The latest 50 recorded changes to the partnership and its bridges, newest first, seen alike by both sides."""
    return history.partnership_history(actor_of(request), partnership_id)


@router.get(
    "/partnerships/{partnership_id}/bridges",
    response={200: list[BridgeOut], **READ_ONE},
    operation_id="bridge_list",
)
@paginate(Page)
def bridge_list(request: HttpRequest, partnership_id: Id) -> Any:
    return selectors.bridge_list(actor_of(request), partnership_id)


@router.post(
    "/partnerships/{partnership_id}/bridges", response={201: BridgeOut, **WRITE}, operation_id="bridge_create"
)
def bridge_create(request: HttpRequest, partnership_id: Id, payload: BridgeIn) -> Status:
    """Bridge a supplier department and a customer department (writers of either side)."""
    actor = actor_of(request)
    bridge = services.bridge_create(actor, partnership_id=partnership_id, **payload.model_dump())
    return Status(201, selectors.bridge_get(actor, bridge.pk))


@router.patch(
    "/partnerships/{partnership_id}/bridges/{bridge_id}",
    response={200: BridgeOut, **WRITE},
    operation_id="bridge_update",
)
def bridge_update(request: HttpRequest, partnership_id: Id, bridge_id: Id, payload: BridgePatch) -> Bridge:
    """Change owners, cadence, note or restriction. Send an owner as null to clear it."""
    actor = actor_of(request)
    _bridge_of(actor, partnership_id, bridge_id)
    changes = payload.model_dump(exclude_unset=True)
    # Only owners and the restriction may be cleared with null; null elsewhere means "leave as it is".
    changes = {
        k: v
        for k, v in changes.items()
        if v is not None or k in ("supplier_owner_id", "customer_owner_id", "restricted_department_id")
    }
    services.bridge_update(actor, bridge_id=bridge_id, **changes)
    return selectors.bridge_get(actor, bridge_id)


@router.delete(
    "/partnerships/{partnership_id}/bridges/{bridge_id}",
    response={204: None, **WRITE},
    operation_id="bridge_delete",
)
def bridge_delete(request: HttpRequest, partnership_id: Id, bridge_id: Id) -> Status:
    actor = actor_of(request)
    _bridge_of(actor, partnership_id, bridge_id)
    services.bridge_delete(actor, bridge_id=bridge_id)
    return Status(204, None)


# --- contacts ---------------------------------------------------------------------------------------------


@router.get(
    "/partnerships/{partnership_id}/contacts",
    response={200: list[PartnershipContactOut], **READ_ONE},
    operation_id="contact_list",
)
@paginate(Page)
def contact_list(request: HttpRequest, partnership_id: Id, side: Side | None = None, q: Search = "") -> Any:
    """The people at both organisations whom the partnership deals with (or at ``side``'s only); ``q``
    searches name, e-mail, job title and department."""
    return contacts.contact_list(actor_of(request), partnership_id, side=side, query=q)


@router.post(
    "/partnerships/{partnership_id}/contacts",
    response={201: PartnershipContactOut, **WRITE},
    operation_id="contact_create",
)
def contact_create(request: HttpRequest, partnership_id: Id, payload: PartnershipContactIn) -> Status:
    """Add a person of your own organisation. Its e-mail address is unique per organisation here (422)."""
    actor = actor_of(request)
    contact = contacts.contact_create(actor, partnership_id=partnership_id, **payload.model_dump())
    return Status(201, contacts.contact_get(actor, partnership_id, contact.pk))


@router.get(
    "/partnerships/{partnership_id}/contacts/{contact_id}",
    response={200: PartnershipContactOut, **READ_ONE},
    operation_id="contact_get",
)
def contact_get(request: HttpRequest, partnership_id: Id, contact_id: Id) -> Contact:
    return contacts.contact_get(actor_of(request), partnership_id, contact_id)


@router.patch(
    "/partnerships/{partnership_id}/contacts/{contact_id}",
    response={200: PartnershipContactOut, **WRITE},
    operation_id="contact_update",
)
def contact_update(
    request: HttpRequest, partnership_id: Id, contact_id: Id, payload: PartnershipContactPatch
) -> Contact:
    """Change a contact of your own organisation (the other side's are read-only: 403). Send the department
    as null to clear it, and ``version`` to refuse overwriting a newer edit (409)."""
    actor = actor_of(request)
    contacts.contact_get(actor, partnership_id, contact_id)
    changes = payload.model_dump(exclude_unset=True)
    changes = {k: v for k, v in changes.items() if v is not None or k == "department_id"}
    contacts.contact_update(actor, partnership_id=partnership_id, contact_id=contact_id, **changes)
    return contacts.contact_get(actor, partnership_id, contact_id)


@router.delete(
    "/partnerships/{partnership_id}/contacts/{contact_id}",
    response={204: None, **WRITE},
    operation_id="contact_delete",
)
def contact_delete(request: HttpRequest, partnership_id: Id, contact_id: Id) -> Status:
    """Remove a contact of your own organisation (the other side's: 403)."""
    actor = actor_of(request)
    contacts.contact_get(actor, partnership_id, contact_id)
    contacts.contact_delete(actor, partnership_id=partnership_id, contact_id=contact_id)
    return Status(204, None)
