"""Writes on partnerships, partner invitations and bridges.

The acting side always comes from the actor's organisation, never from the request.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mitra.accounts.models import Department, Membership, Organisation, User
from mitra.accounts.services import _clean_email, organisation_create, user_create
from mitra.core.errors import Conflict, Invalid, NotFound, PermissionDenied
from mitra.core.history import acting_as, records_actor
from mitra.core.jobs import enqueue_on_commit
from mitra.core.services import (
    check_version,
    derived_secret,
    hash_secret,
    new_salt,
    require_admin,
    require_writer,
    validate_and_save,
)
from mitra.core.tenancy import Actor, restrict
from mitra.partnerships.models import (
    OPEN_STATUSES,
    Bridge,
    PartnerInvitation,
    Partnership,
    Side,
    Status,
    Tier,
)

PARTNER_INVITATION_DAYS = 30

# Which status changes ``partnership_set_status`` allows. Proposals are answered by accept/decline.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    Status.PROPOSED: (Status.ENDED,),  # the proposer withdraws
    Status.ACTIVE: (Status.PAUSED, Status.ENDED),
    Status.PAUSED: (Status.ACTIVE, Status.ENDED),
    Status.ENDED: (),
    Status.DECLINED: (),
}


def _locked_partnership(actor: Actor, partnership_id: int) -> Partnership:
    partnership = (
        Partnership.objects.visible_to(actor)
        .select_for_update()
        .select_related("supplier", "customer")
        .filter(pk=partnership_id)
        .first()
    )
    if partnership is None:
        raise NotFound(_("Partnership not found."))
    return partnership


def _check_terms(tier: str, review_cadence_days: int) -> None:
    if tier not in Tier.values:
        raise Invalid({"tier": [_("Choose one of: %(values)s.") % {"values": ", ".join(Tier.values)}]})
    if not 7 <= review_cadence_days <= 366:
        raise Invalid({"review_cadence_days": [_("The review cadence must be between 7 and 366 days.")]})


def _check_side(our_side: str) -> None:
    if our_side not in Side.values:
        raise Invalid({"our_side": [_("Choose supplier or customer.")]})


# --- proposing to an organisation on Mitra --------------------------------------------------------------


@records_actor
@transaction.atomic
def partnership_propose(
    actor: Actor,
    *,
    partner_id: int,
    our_side: str,
    tier: str = Tier.KEY,
    start_date: dt.date | None = None,
    goals: str = "",
    review_cadence_days: int = 90,
    message: str = "",
) -> Partnership:
    """Propose a partnership to another organisation on Mitra. Nothing is shared until it accepts."""
    require_writer(actor)
    _check_side(our_side)
    _check_terms(tier, review_cadence_days)
    if partner_id == actor.organisation_id:
        raise Invalid({"partner_id": [_("An organisation cannot be in a partnership with itself.")]})
    if not Organisation.objects.filter(pk=partner_id).exists():
        raise Invalid({"partner_id": [_("No organisation with this id is on Mitra.")]})
    supplier_id, customer_id = (
        (actor.organisation_id, partner_id)
        if our_side == Side.SUPPLIER
        else (partner_id, actor.organisation_id)
    )
    if Partnership.objects.filter(
        supplier_id=supplier_id, customer_id=customer_id, status__in=OPEN_STATUSES
    ).exists():
        raise Invalid({"partner_id": [_("These two organisations already have an open partnership.")]})
    partnership = validate_and_save(
        Partnership(
            supplier_id=supplier_id,
            customer_id=customer_id,
            proposed_by_id=actor.organisation_id,
            proposed_by_user=actor.user,
            tier=tier,
            start_date=start_date,
            goals=goals.strip(),
            review_cadence_days=review_cadence_days,
            message=message.strip(),
        )
    )
    enqueue_on_commit("mitra.partnerships.tasks.notify_proposal", partnership.pk)
    return partnership


def _answerable(actor: Actor, partnership_id: int) -> Partnership:
    partnership = _locked_partnership(actor, partnership_id)
    if partnership.proposed_by_id == actor.organisation_id:
        raise Conflict(_("Only the organisation that received the proposal can answer it."))
    if partnership.status != Status.PROPOSED:
        raise Conflict(
            _("This partnership is %(status)s, not proposed.") % {"status": partnership.get_status_display()}
        )
    return partnership


@records_actor
@transaction.atomic
def partnership_accept(actor: Actor, *, partnership_id: int, version: int | None = None) -> Partnership:
    """The receiving organisation's admin accepts a proposal; the partnership becomes active and shared.

    With ``version``, the acceptance holds only for the terms the admin read: if the proposer changed them
    since, it is a conflict.
    """
    require_admin(actor)
    partnership = _answerable(actor, partnership_id)
    check_version(partnership, version)
    partnership.status = Status.ACTIVE
    partnership.responded_at = timezone.now()
    partnership.start_date = partnership.start_date or timezone.localdate()
    partnership.version += 1  # rows are locked (select_for_update), so this is race-free
    validate_and_save(partnership, update_fields=["status", "responded_at", "start_date", "version"])
    return partnership


@records_actor
@transaction.atomic
def partnership_decline(actor: Actor, *, partnership_id: int, reason: str = "") -> Partnership:
    require_admin(actor)
    partnership = _answerable(actor, partnership_id)
    partnership.status = Status.DECLINED
    partnership.status_reason = reason.strip()[:300]
    partnership.responded_at = timezone.now()
    partnership.version += 1  # rows are locked (select_for_update), so this is race-free
    validate_and_save(partnership, update_fields=["status", "status_reason", "responded_at", "version"])
    return partnership


@records_actor
@transaction.atomic
def partnership_update(
    actor: Actor,
    *,
    partnership_id: int,
    version: int | None = None,
    tier: str | None = None,
    start_date: dt.date | None = None,
    goals: str | None = None,
    review_cadence_days: int | None = None,
) -> Partnership:
    """Change the charter (tier, start date, shared goals, review cadence). Either side's admin may."""
    require_admin(actor)
    partnership = _locked_partnership(actor, partnership_id)
    check_version(partnership, version)
    if partnership.status in (Status.ENDED, Status.DECLINED):
        raise Conflict(_("An ended or declined partnership cannot be changed."))
    if partnership.status == Status.PROPOSED and partnership.proposed_by_id != actor.organisation_id:
        raise Conflict(_("Only the proposer can change a proposal. Accept or decline it as it stands."))
    changes: dict[str, object] = {}
    if tier is not None:
        changes["tier"] = tier
    if start_date is not None:
        changes["start_date"] = start_date
    if goals is not None:
        changes["goals"] = goals.strip()
    if review_cadence_days is not None:
        changes["review_cadence_days"] = review_cadence_days
    _check_terms(
        tier if tier is not None else partnership.tier,
        review_cadence_days if review_cadence_days is not None else partnership.review_cadence_days,
    )
    for field, value in changes.items():
        setattr(partnership, field, value)
    partnership.version += 1  # rows are locked (select_for_update), so this is race-free
    validate_and_save(partnership, update_fields=[*changes, "version", "updated_at"])
    return partnership


@records_actor
@transaction.atomic
def partnership_set_status(
    actor: Actor, *, partnership_id: int, status: str, reason: str = "", version: int | None = None
) -> Partnership:
    """Pause, resume or end a partnership (or withdraw one's own proposal). Either side's admin may."""
    require_admin(actor)
    partnership = _locked_partnership(actor, partnership_id)
    check_version(partnership, version)
    if status not in Status.values:
        raise Invalid({"status": [_("Unknown status: %(status)s") % {"status": status}]})
    allowed = TRANSITIONS[partnership.status]
    if status not in allowed:
        raise Conflict(
            _("A %(current)s partnership cannot become %(target)s.")
            % {"current": partnership.get_status_display(), "target": Status(status).label}
        )
    if partnership.status == Status.PROPOSED and partnership.proposed_by_id != actor.organisation_id:
        raise Conflict(_("Answer the proposal with accept or decline."))
    partnership.status = status
    partnership.status_reason = reason.strip()[:300]
    partnership.version += 1  # rows are locked (select_for_update), so this is race-free
    validate_and_save(partnership, update_fields=["status", "status_reason", "version", "updated_at"])
    return partnership


# --- proposing to a company not on Mitra yet -------------------------------------------------------------


def partner_invitation_token(invitation: PartnerInvitation) -> str:
    return derived_secret("join", invitation.salt)


@records_actor
@transaction.atomic
def partner_invitation_create(
    actor: Actor,
    *,
    email: str,
    company_name: str,
    our_side: str,
    tier: str = Tier.KEY,
    start_date: dt.date | None = None,
    goals: str = "",
    review_cadence_days: int = 90,
    message: str = "",
) -> PartnerInvitation:
    """Propose a partnership by e-mail to a person at a company that is not on Mitra yet."""
    require_writer(actor)
    email = _clean_email(email)
    _check_side(our_side)
    _check_terms(tier, review_cadence_days)
    company_name = company_name.strip()
    if not company_name:
        raise Invalid({"company_name": [_("Name the company you are inviting.")]})
    if Organisation.objects.filter(name__iexact=company_name).exists():
        raise Invalid({"company_name": [_("This company is already on Mitra: propose to it directly.")]})
    pending = PartnerInvitation.objects.filter(
        proposer_id=actor.organisation_id,
        email__iexact=email,
        accepted_at__isnull=True,
        declined_at__isnull=True,
        revoked_at__isnull=True,
    )
    pending.filter(expires_at__lte=timezone.now()).update(revoked_at=timezone.now())
    if pending.exists():
        raise Invalid({"email": [_("There is already a pending partnership invitation to this address.")]})
    salt = new_salt()
    invitation = PartnerInvitation(
        proposer_id=actor.organisation_id,
        proposer_side=our_side,
        email=email,
        company_name=company_name,
        tier=tier,
        start_date=start_date,
        goals=goals.strip(),
        review_cadence_days=review_cadence_days,
        message=message.strip(),
        salt=salt,
        token_hash=hash_secret(derived_secret("join", salt)),
        invited_by=actor.user,
        expires_at=timezone.now() + dt.timedelta(days=PARTNER_INVITATION_DAYS),
    )
    validate_and_save(invitation)
    enqueue_on_commit("mitra.partnerships.tasks.send_partner_invitation_email", invitation.pk)
    return invitation


def partner_invitation_by_token(raw_token: str, *, for_update: bool = False) -> PartnerInvitation:
    """The pending invitation behind a link. ``for_update`` locks it; as the lock and the "still pending"
    conditions are one query, a concurrent accept, decline or revoke that commits first makes this one
    find nothing (PostgreSQL re-checks the conditions on the locked row)."""
    invitations = PartnerInvitation.objects.select_related("proposer", "invited_by")
    if for_update:
        invitations = invitations.select_for_update(of=("self",))
    invitation = invitations.filter(
        token_hash=hash_secret(raw_token or ""),
        accepted_at__isnull=True,
        declined_at__isnull=True,
        revoked_at__isnull=True,
    ).first()
    if invitation is None or invitation.expires_at <= timezone.now():
        raise NotFound(_("This invitation link is not valid. It may have expired or been used already."))
    return invitation


def _partnership_from_invitation(
    invitation: PartnerInvitation, organisation: Organisation, user: User
) -> Partnership:
    if organisation.pk == invitation.proposer_id:
        raise Invalid({"organisation": [_("An organisation cannot be in a partnership with itself.")]})
    supplier, customer = (
        (invitation.proposer, organisation)
        if invitation.proposer_side == Side.SUPPLIER
        else (organisation, invitation.proposer)
    )
    if Partnership.objects.filter(supplier=supplier, customer=customer, status__in=OPEN_STATUSES).exists():
        raise Invalid({"organisation": [_("These two organisations already have an open partnership.")]})
    partnership = validate_and_save(
        Partnership(
            supplier=supplier,
            customer=customer,
            proposed_by=invitation.proposer,
            proposed_by_user=invitation.invited_by,
            status=Status.ACTIVE,
            tier=invitation.tier,
            start_date=invitation.start_date or timezone.localdate(),
            goals=invitation.goals,
            review_cadence_days=invitation.review_cadence_days,
            message=invitation.message,
            responded_at=timezone.now(),
        )
    )
    invitation.accepted_at = timezone.now()
    invitation.partnership = partnership
    invitation.save(update_fields=["accepted_at", "partnership"])
    return partnership


@transaction.atomic
def partner_invitation_accept_new(
    *,
    raw_token: str,
    full_name: str,
    password: str,
    organisation_name: str,
    legal_name: str = "",
    language: str = Organisation.Language.INDONESIAN,
) -> Partnership:
    """One flow for a company new to Mitra: sign up, create the organisation, accept the partnership."""
    invitation = partner_invitation_by_token(raw_token, for_update=True)
    if not organisation_name.strip():
        raise Invalid({"organisation_name": [_("Name your organisation.")]})
    user = user_create(email=invitation.email, password=password, full_name=full_name)
    try:
        membership = organisation_create(
            user=user, name=organisation_name, legal_name=legal_name, language=language
        )
    except Invalid as exc:
        raise Invalid(
            {("organisation_name" if k == "name" else k): v for k, v in exc.errors.items()}
        ) from exc
    with acting_as(user):
        return _partnership_from_invitation(invitation, membership.organisation, user)


@records_actor
@transaction.atomic
def partner_invitation_accept_existing(actor: Actor, *, raw_token: str) -> Partnership:
    """An admin of an organisation already on Mitra accepts an e-mailed proposal for it."""
    require_admin(actor)
    invitation = partner_invitation_by_token(raw_token, for_update=True)
    # The link is for the person it was sent to: a forwarded link cannot bind the proposer to another company.
    if actor.user.email.lower() != invitation.email.lower():
        raise Invalid(
            {
                "email": [
                    _("This invitation was sent to %(email)s. Sign in as that person to accept it.")
                    % {"email": invitation.email}
                ]
            }
        )
    return _partnership_from_invitation(invitation, actor.organisation, actor.user)


@transaction.atomic
def partner_invitation_decline(*, raw_token: str, reason: str = "") -> PartnerInvitation:
    invitation = partner_invitation_by_token(raw_token, for_update=True)
    invitation.declined_at = timezone.now()
    invitation.decline_reason = reason.strip()[:300]
    invitation.save(update_fields=["declined_at", "decline_reason"])
    return invitation


@records_actor
@transaction.atomic
def partner_invitation_revoke(actor: Actor, *, invitation_id: int) -> PartnerInvitation:
    require_writer(actor)
    invitation = (
        PartnerInvitation.objects.select_for_update()
        .filter(pk=invitation_id, proposer_id=actor.organisation_id)
        .first()
    )
    if invitation is None:
        raise NotFound(_("Invitation not found."))
    if invitation.accepted_at:
        raise Conflict(_("This invitation was already accepted."))
    if not invitation.revoked_at:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
    return invitation


# --- bridges ---------------------------------------------------------------------------------------------


def _shared_partnership(actor: Actor, partnership_id: int) -> Partnership:
    partnership = _locked_partnership(actor, partnership_id)
    if partnership.status not in (Status.ACTIVE, Status.PAUSED):
        raise Conflict(
            _("Bridges can be changed only in an active or paused partnership; this one is %(status)s.")
            % {"status": partnership.get_status_display()}
        )
    return partnership


def _department_of(organisation: Organisation, department_id: int, field: str, side_label: str) -> Department:
    department = Department.objects.filter(pk=department_id).select_related("organisation").first()
    if department is None or department.organisation_id != organisation.pk:
        raise Invalid(
            {
                field: [
                    _("Choose a department of the %(side)s, %(org)s.")
                    % {"side": side_label, "org": organisation.name}
                ]
            }
        )
    return department


def _owner_of(organisation: Organisation, membership_id: int | None, field: str) -> Membership | None:
    if membership_id is None:
        return None
    owner = Membership.objects.filter(pk=membership_id, organisation=organisation, is_active=True).first()
    if owner is None:
        raise Invalid({field: [_("Choose an active member of %(org)s.") % {"org": organisation.name}]})
    return owner


def _restriction(actor: Actor, department_id: int | None) -> Department | None:
    if department_id is None:
        return None
    department = Department.objects.filter(pk=department_id, organisation_id=actor.organisation_id).first()
    if department is None:
        raise Invalid(
            {
                "restricted_department_id": [
                    _("You can restrict a record only to a department of your own side.")
                ]
            }
        )
    if not actor.is_admin and department.pk not in actor.department_ids:
        # Otherwise the record would vanish from its author's own view the moment it is saved.
        raise Invalid(
            {"restricted_department_id": [_("You can restrict a record only to a department you belong to.")]}
        )
    return department


def _check_cadence(cadence_days: int) -> None:
    if not 1 <= cadence_days <= 366:
        raise Invalid({"cadence_days": [_("The cadence must be between 1 and 366 days.")]})


@records_actor
@transaction.atomic
def bridge_create(
    actor: Actor,
    *,
    partnership_id: int,
    supplier_department_id: int,
    customer_department_id: int,
    supplier_owner_id: int | None = None,
    customer_owner_id: int | None = None,
    cadence_days: int = 30,
    note: str = "",
    restricted_department_id: int | None = None,
) -> Bridge:
    """Bridge a supplier department and a customer department, with an owner on each end."""
    require_writer(actor)
    partnership = _shared_partnership(actor, partnership_id)
    supplier_department = _department_of(
        partnership.supplier,
        supplier_department_id,
        "supplier_department_id",
        str(Side.SUPPLIER.label).lower(),
    )
    customer_department = _department_of(
        partnership.customer,
        customer_department_id,
        "customer_department_id",
        str(Side.CUSTOMER.label).lower(),
    )
    _check_cadence(cadence_days)
    if Bridge.objects.filter(
        partnership=partnership,
        supplier_department=supplier_department,
        customer_department=customer_department,
    ).exists():
        raise Invalid(
            {"customer_department_id": [_("These two departments are already bridged in this partnership.")]}
        )
    return validate_and_save(
        Bridge(
            partnership=partnership,
            supplier_department=supplier_department,
            customer_department=customer_department,
            supplier_owner=_owner_of(partnership.supplier, supplier_owner_id, "supplier_owner_id"),
            customer_owner=_owner_of(partnership.customer, customer_owner_id, "customer_owner_id"),
            cadence_days=cadence_days,
            note=note.strip(),
            restricted_department=_restriction(actor, restricted_department_id),
        )
    )


UNSET = object()


def _locked_bridge(actor: Actor, bridge_id: int) -> Bridge:
    bridge = (
        restrict(Bridge.objects.all(), actor)
        # Lock the bridge row only: the restriction's outer join cannot be locked on PostgreSQL.
        .select_for_update(of=("self",))
        .select_related("partnership__supplier", "partnership__customer")
        .filter(pk=bridge_id)
        .first()
    )
    if bridge is None:
        raise NotFound(_("Bridge not found."))
    _shared_partnership(actor, bridge.partnership_id)
    return bridge


@records_actor
@transaction.atomic
def bridge_update(
    actor: Actor,
    *,
    bridge_id: int,
    version: int | None = None,
    supplier_owner_id: int | object | None = UNSET,
    customer_owner_id: int | object | None = UNSET,
    cadence_days: int | None = None,
    note: str | None = None,
    restricted_department_id: int | object | None = UNSET,
) -> Bridge:
    """Change a bridge's owners, cadence, note or restriction. Pass None to clear an owner."""
    require_writer(actor)
    bridge = _locked_bridge(actor, bridge_id)
    check_version(bridge, version)
    partnership = bridge.partnership
    fields = []
    if supplier_owner_id is not UNSET:
        bridge.supplier_owner = _owner_of(partnership.supplier, supplier_owner_id, "supplier_owner_id")  # type: ignore[arg-type]
        fields.append("supplier_owner")
    if customer_owner_id is not UNSET:
        bridge.customer_owner = _owner_of(partnership.customer, customer_owner_id, "customer_owner_id")  # type: ignore[arg-type]
        fields.append("customer_owner")
    if cadence_days is not None:
        _check_cadence(cadence_days)
        bridge.cadence_days = cadence_days
        fields.append("cadence_days")
    if note is not None:
        bridge.note = note.strip()
        fields.append("note")
    if restricted_department_id is not UNSET:
        current = bridge.restricted_department
        if current is not None and current.organisation_id != actor.organisation_id:
            raise PermissionDenied(_("Only the side that restricted this record can change its restriction."))
        bridge.restricted_department = _restriction(actor, restricted_department_id)  # type: ignore[arg-type]
        fields.append("restricted_department")
    bridge.version += 1  # rows are locked (select_for_update), so this is race-free
    validate_and_save(bridge, update_fields=[*fields, "version", "updated_at"])
    return bridge


@records_actor
@transaction.atomic
def bridge_delete(actor: Actor, *, bridge_id: int) -> None:
    require_writer(actor)
    bridge = _locked_bridge(actor, bridge_id)
    bridge.delete()
