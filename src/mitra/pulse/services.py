"""Writes of the relationship pulse: opening a quarter's round, and answering it for a bridge."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from mitra.accounts.models import User
from mitra.core.errors import Conflict, Invalid, PermissionDenied
from mitra.core.history import records_actor
from mitra.core.jobs import enqueue_on_commit
from mitra.core.services import require_admin, require_writer, validate_and_save
from mitra.core.tenancy import Actor, restrict
from mitra.partnerships.models import Bridge, Partnership, Status
from mitra.partnerships.workspace import locked_record, side_of, writable_partnership
from mitra.pulse import selectors
from mitra.pulse.models import PulseResponse, PulseRound, current_quarter, quarter_bounds
from mitra.threads.events import record_event
from mitra.threads.models import Event

SEND_INVITATIONS = "mitra.pulse.tasks.send_pulse_invitations"


def _new_round(partnership: Partnership, now: dt.datetime, user: User | None = None) -> PulseRound:
    quarter = current_quarter(now)
    _start, end = quarter_bounds(quarter)
    return PulseRound(partnership=partnership, quarter=quarter, opened_at=now, closes_at=end, opened_by=user)


@records_actor
@transaction.atomic
def pulse_round_open(actor: Actor, *, partnership_id: int) -> PulseRound:
    """Open this quarter's round now (admins), instead of waiting for the daily job."""
    require_writer(actor)
    require_admin(actor)
    partnership = writable_partnership(actor, partnership_id)
    # Serialise openings of the same partnership's round (an admin and the daily job, or two admins): the
    # second one sees the first's round and gets the 409 instead of an integrity error.
    Partnership.objects.select_for_update().filter(pk=partnership.pk).first()
    now = timezone.now()
    pulse_round = _new_round(partnership, now, actor.user)
    if PulseRound.objects.filter(partnership=partnership, quarter=pulse_round.quarter).exists():
        raise Conflict(
            _("The pulse round for %(quarter)s is already open.") % {"quarter": pulse_round.quarter}
        )
    validate_and_save(pulse_round)
    record_event(actor, pulse_round, kind="pulse", verb="opened", title=str(pulse_round))
    enqueue_on_commit(SEND_INVITATIONS, pulse_round.pk)
    return pulse_round


@transaction.atomic
def pulse_rounds_open_due(now: dt.datetime | None = None) -> list[int]:
    """Open this quarter's round for every active partnership that has none yet (the daily job).

    Set-based and idempotent: partnerships that already have their round are filtered out in the query.
    """
    now = now or timezone.now()
    quarter = current_quarter(now)
    _start, end = quarter_bounds(quarter)
    due = (
        Partnership.objects.filter(status=Status.ACTIVE)
        .filter(~Exists(PulseRound.objects.filter(partnership=OuterRef("pk"), quarter=quarter)))
        .order_by("pk")
    )
    rounds = [PulseRound(partnership=p, quarter=quarter, opened_at=now, closes_at=end) for p in due]
    if not rounds:
        return []
    created = bulk_create_with_history(rounds, PulseRound)
    Event.objects.bulk_create(
        Event(
            partnership_id=r.partnership_id,
            kind="pulse",
            object_id=r.pk,
            verb="opened",
            title=str(r)[:200],
            url=r.get_absolute_url(),
            actor_side="",
            at=now,
        )
        for r in created
    )
    for r in created:
        enqueue_on_commit(SEND_INVITATIONS, r.pk)
    return [r.pk for r in created]


@records_actor
@transaction.atomic
def pulse_answer(
    actor: Actor,
    *,
    partnership_id: int,
    round_id: int,
    bridge_id: int,
    trust: int,
    commitment: int,
    satisfaction: int,
    cooperation: int,
    conflict_handling: int,
    comment: str = "",
) -> PulseResponse:
    """Answer the round's five questions for one bridge the actor is on. Once per bridge and round."""
    require_writer(actor)
    partnership = writable_partnership(actor, partnership_id)
    pulse_round = locked_record(
        actor,
        PulseRound,
        partnership_id=partnership.pk,
        record_id=round_id,
        missing=_("Pulse round not found."),
    )
    bridge = (
        restrict(Bridge.objects.all(), actor)
        .select_related("supplier_department", "customer_department")
        .filter(pk=bridge_id, partnership=partnership)
        .first()
    )
    if bridge is None:
        raise Invalid({"bridge_id": [_("Choose a bridge of this partnership.")]})
    if not selectors.is_respondent(actor, bridge):
        raise PermissionDenied(
            _("Only the owners and the members of the two departments of this bridge answer its pulse.")
        )
    if not pulse_round.is_open_at(timezone.now()):
        raise Conflict(_("This pulse round is closed: it no longer takes answers."))
    if PulseResponse.objects.filter(round=pulse_round, bridge=bridge, respondent=actor.membership).exists():
        raise Conflict(_("You have already answered this round for this bridge."))
    response = PulseResponse(
        partnership=partnership,
        restricted_department_id=bridge.restricted_department_id,
        round=pulse_round,
        bridge=bridge,
        respondent=actor.membership,
        side=side_of(actor, partnership),
        trust=trust,
        commitment=commitment,
        satisfaction=satisfaction,
        cooperation=cooperation,
        conflict_handling=conflict_handling,
        comment=comment.strip(),
        answered_at=timezone.now(),
    )
    validate_and_save(response)
    # The timeline says that an answer came in, never whose, nor for which bridge: at a bridge's end with
    # one or two people, the bridge alone would tell who answered.
    record_event(None, response, kind="pulse", verb="answered", title=str(pulse_round))
    return response
