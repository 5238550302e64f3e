"""Writes on commitments. The acting side comes from the actor's organisation, never from the request.

Moves: open → done (the owner's side) → acknowledged (the receiving side only); open → cancelled (the
owner's side, with a reason); open → missed (the daily job, once the due date has passed); a missed
commitment can still be delivered late (missed → done, not on time). Every refused move raises before
anything is written.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from mitra.accounts.models import Department, Membership
from mitra.commitments.models import Commitment, CommitmentStatus
from mitra.core.errors import Conflict, Invalid, PermissionDenied
from mitra.core.history import records_actor
from mitra.core.services import check_version, require_writer, validate_and_save
from mitra.core.tenancy import Actor
from mitra.partnerships.models import Bridge, Partnership
from mitra.partnerships.workspace import (
    bridge_of,
    locked_record,
    member_of,
    restriction,
    side_of,
    writable_partnership,
)
from mitra.threads.events import record_event
from mitra.threads.models import Event

KIND = "commitment"


def site_today(now: dt.datetime | None = None) -> dt.date:
    """Today in the site's time zone: due dates are calendar days there."""
    return timezone.localdate(now or timezone.now(), timezone=ZoneInfo(settings.TIME_ZONE))


def _clean_title(title: str) -> str:
    title = title.strip()
    if not title:
        raise Invalid({"title": [_("Say what is promised.")]})
    return title


def _check_due_date(due_date: dt.date) -> None:
    if due_date < site_today():
        raise Invalid({"due_date": [_("The due date cannot be in the past.")]})


def _locked(actor: Actor, partnership: Partnership, commitment_id: int) -> Commitment:
    commitment = locked_record(
        actor,
        Commitment,
        partnership_id=partnership.pk,
        record_id=commitment_id,
        missing=_("Commitment not found."),
    )
    commitment.partnership = partnership
    return commitment


def _restriction_with_bridge(
    chosen: Department | None, bridge: Bridge | None, field: str
) -> Department | None:
    """A commitment on a bridge restricted to a department is restricted to it as well: otherwise whoever
    may not see the bridge would read it on the commitment. A different restriction cannot take that bridge
    (a record has one restriction); ``field`` names the input to blame."""
    if bridge is None or bridge.restricted_department_id is None:
        return chosen
    if chosen is not None and chosen.pk != bridge.restricted_department_id:
        raise Invalid(
            {
                field: [
                    _(
                        "This bridge is restricted to %(department)s: a commitment on it is restricted the "
                        "same way."
                    )
                    % {"department": bridge.restricted_department}
                ]
            }
        )
    return bridge.restricted_department


def _check_owner_sees_it(owner: Membership | None, restricted: Department | None) -> None:
    """The owner must see their own promise: a commitment restricted to a department of the owner's
    organisation needs an owner from that department (or an admin)."""
    if owner is None or restricted is None or owner.organisation_id != restricted.organisation_id:
        return
    if owner.is_admin or owner.departments.filter(pk=restricted.pk).exists():
        return
    raise Invalid(
        {
            "owner_id": [
                _(
                    "%(name)s is not in %(department)s, to which this commitment is restricted: they would "
                    "not see their own promise."
                )
                % {"name": owner.user.get_full_name(), "department": restricted}
            ]
        }
    )


def _require_open(commitment: Commitment, message: str) -> None:
    if commitment.status != CommitmentStatus.OPEN:
        raise Conflict(message % {"status": commitment.get_status_display().lower()})


def _bump(commitment: Commitment) -> None:
    commitment.version += 1


@records_actor
@transaction.atomic
def commitment_create(
    actor: Actor,
    *,
    partnership_id: int,
    title: str,
    owner_id: int,
    due_date: dt.date,
    description: str = "",
    bridge_id: int | None = None,
    proactive: bool = False,
    restricted_department_id: int | None = None,
) -> Commitment:
    """Record a promise of one side (the owner's) to the other."""
    require_writer(actor)
    partnership = writable_partnership(actor, partnership_id)
    side = side_of(actor, partnership)
    title = _clean_title(title)
    owner = member_of(partnership, owner_id, "owner_id")
    bridge = bridge_of(actor, partnership, bridge_id, "bridge_id")
    restricted = _restriction_with_bridge(
        restriction(actor, restricted_department_id), bridge, "restricted_department_id"
    )
    _check_owner_sees_it(owner, restricted)
    _check_due_date(due_date)
    commitment = validate_and_save(
        Commitment(
            partnership=partnership,
            title=title,
            description=description.strip(),
            owner=owner,
            owner_side=partnership.side_of(owner.organisation_id) or "",
            bridge=bridge,
            due_date=due_date,
            proactive=proactive,
            created_by=actor.user,
            created_by_side=side,
            restricted_department=restricted,
        )
    )
    record_event(actor, commitment, kind=KIND, verb="created", title=commitment.title)
    return commitment


UNSET: Any = object()


@records_actor
@transaction.atomic
def commitment_update(
    actor: Actor,
    *,
    partnership_id: int,
    commitment_id: int,
    version: int | None = None,
    title: str | None = None,
    description: str | None = None,
    owner_id: int | None = None,
    bridge_id: int | None = UNSET,
    due_date: dt.date | None = None,
    proactive: bool | None = None,
) -> Commitment:
    """Change an open commitment (the owner's side, or the side that recorded it). ``bridge_id=None`` clears
    the bridge; other fields left as None stay as they are. The promise stays with the same side."""
    require_writer(actor)
    partnership = writable_partnership(actor, partnership_id)
    side = side_of(actor, partnership)
    commitment = _locked(actor, partnership, commitment_id)
    if side not in (commitment.owner_side, commitment.created_by_side):
        raise PermissionDenied(_("Only the side that made or recorded this commitment can change it."))
    _require_open(commitment, _("This commitment is %(status)s: it can no longer be changed."))
    check_version(commitment, version)
    if title is not None:
        commitment.title = _clean_title(title)
    if description is not None:
        commitment.description = description.strip()
    if owner_id is not None and owner_id != commitment.owner_id:
        owner = member_of(partnership, owner_id, "owner_id", side=commitment.owner_side)
        commitment.owner = owner
    if bridge_id is not UNSET:
        commitment.bridge = bridge_of(actor, partnership, bridge_id, "bridge_id")
        commitment.restricted_department = _restriction_with_bridge(
            commitment.restricted_department, commitment.bridge, "bridge_id"
        )
    if owner_id is not None or bridge_id is not UNSET:
        _check_owner_sees_it(commitment.owner, commitment.restricted_department)
    if due_date is not None and due_date != commitment.due_date:
        _check_due_date(due_date)
        commitment.due_date = due_date
    if proactive is not None:
        commitment.proactive = proactive
    _bump(commitment)
    validate_and_save(commitment)
    record_event(actor, commitment, kind=KIND, verb="updated", title=commitment.title)
    return commitment


@records_actor
@transaction.atomic
def commitment_done(
    actor: Actor, *, partnership_id: int, commitment_id: int, version: int | None = None
) -> Commitment:
    """The owner's side delivered. Done on or before the due date (site time) counts as kept on time; a
    missed commitment can still be delivered, late."""
    require_writer(actor)
    partnership = writable_partnership(actor, partnership_id)
    side = side_of(actor, partnership)
    commitment = _locked(actor, partnership, commitment_id)
    if side != commitment.owner_side:
        raise PermissionDenied(_("Only the side that made the promise can mark it done."))
    if commitment.status not in (CommitmentStatus.OPEN, CommitmentStatus.MISSED):
        raise Conflict(
            _("This commitment is %(status)s: it cannot be marked done.")
            % {"status": commitment.get_status_display().lower()}
        )
    check_version(commitment, version)
    now = timezone.now()
    commitment.status = CommitmentStatus.DONE
    commitment.done_at = now
    commitment.done_by = actor.user
    commitment.on_time = site_today(now) <= commitment.due_date
    _bump(commitment)
    validate_and_save(commitment)
    record_event(actor, commitment, kind=KIND, verb="done", title=commitment.title, at=now)
    return commitment


@records_actor
@transaction.atomic
def commitment_acknowledge(
    actor: Actor, *, partnership_id: int, commitment_id: int, version: int | None = None
) -> Commitment:
    """The receiving side confirms it got what was promised. Nobody acknowledges their own side's promise."""
    require_writer(actor)
    partnership = writable_partnership(actor, partnership_id)
    side = side_of(actor, partnership)
    commitment = _locked(actor, partnership, commitment_id)
    if side == commitment.owner_side:
        raise PermissionDenied(
            _("Only the receiving side can acknowledge a commitment, not the side that made it.")
        )
    if commitment.status != CommitmentStatus.DONE:
        raise Conflict(
            _("This commitment is %(status)s: only a done commitment can be acknowledged.")
            % {"status": commitment.get_status_display().lower()}
        )
    check_version(commitment, version)
    now = timezone.now()
    commitment.status = CommitmentStatus.ACKNOWLEDGED
    commitment.acknowledged_at = now
    commitment.acknowledged_by = actor.user
    _bump(commitment)
    validate_and_save(commitment)
    record_event(actor, commitment, kind=KIND, verb="acknowledged", title=commitment.title, at=now)
    return commitment


@records_actor
@transaction.atomic
def commitment_cancel(
    actor: Actor, *, partnership_id: int, commitment_id: int, reason: str, version: int | None = None
) -> Commitment:
    """The owner's side withdraws an open promise, saying why. Cancelled ones do not count either way."""
    require_writer(actor)
    partnership = writable_partnership(actor, partnership_id)
    side = side_of(actor, partnership)
    commitment = _locked(actor, partnership, commitment_id)
    if side != commitment.owner_side:
        raise PermissionDenied(_("Only the side that made the promise can cancel it."))
    _require_open(commitment, _("This commitment is %(status)s: it can no longer be cancelled."))
    check_version(commitment, version)
    reason = reason.strip()
    if not reason:
        raise Invalid({"reason": [_("Say why the commitment is cancelled.")]})
    now = timezone.now()
    commitment.status = CommitmentStatus.CANCELLED
    commitment.cancelled_at = now
    commitment.cancel_reason = reason
    _bump(commitment)
    validate_and_save(commitment)
    record_event(
        actor, commitment, kind=KIND, verb="cancelled", title=commitment.title, detail=reason, at=now
    )
    return commitment


@transaction.atomic
def commitments_mark_overdue(now: dt.datetime | None = None) -> int:
    """Mark every open commitment whose due date (site time) has passed as missed, set-based: one UPDATE,
    one insert of history rows and one of timeline events. Running it again changes nothing."""
    now = now or timezone.now()
    today = site_today(now)
    due = Commitment.objects.filter(status=CommitmentStatus.OPEN, due_date__lt=today)
    ids = list(due.select_for_update().values_list("pk", flat=True))
    if not ids:
        return 0
    Commitment.objects.filter(pk__in=ids, status=CommitmentStatus.OPEN).update(
        status=CommitmentStatus.MISSED, missed_at=now, updated_at=now, version=F("version") + 1
    )
    missed = list(Commitment.objects.filter(pk__in=ids).order_by("pk"))
    Commitment.history.bulk_history_create(missed, update=True, default_date=now)
    Event.objects.bulk_create(
        [
            Event(
                partnership_id=c.partnership_id,
                restricted_department_id=c.restricted_department_id,
                kind=KIND,
                object_id=c.pk,
                verb="missed",
                title=c.title[:200],
                url=c.get_absolute_url(),
                actor_side="",
                at=now,
            )
            for c in missed
        ]
    )
    return len(missed)
