"""Writes of collaborative planning: loading the planning data, the agreement, forecasts, exceptions,
proposals and orders. Both sides write: the customer brings sell-out and stock, the supplier its items and
capacity; each side its own forecast."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from mitra.core.errors import Conflict, Invalid, NotFound, PermissionDenied
from mitra.core.history import records_actor
from mitra.core.services import check_version, require_writer, validate_and_save
from mitra.core.tenancy import Actor
from mitra.partnerships.models import Partnership, Side
from mitra.partnerships.workspace import locked_record, side_of, writable_partnership
from mitra.planning import agreements, io, loading, runs
from mitra.planning.loading import LoadReport
from mitra.planning.models import (
    AgreementStatus,
    ConsensusRule,
    CycleStatus,
    ExceptionStatus,
    Order,
    OrderLine,
    OrderProposal,
    PlanningAgreement,
    PlanningCycle,
    PlanningException,
    ProposalStatus,
    Resolution,
    RunStatus,
)

STALE_RUN = dt.timedelta(minutes=30)  # a run queued or started longer ago than this is taken as dead
MAX_QUANTITY = 1_000_000_000


@records_actor
@transaction.atomic
def planning_data_load(
    actor: Actor,
    *,
    partnership_id: int,
    kind: str,
    rows: Sequence[Mapping[str, Any]],
    dry_run: bool = False,
    first_row: int = 2,
) -> LoadReport:
    """Load rows of planning data (``loading.KINDS``): all or nothing, matched on natural keys so a
    repeated load writes nothing new. A dry run checks and previews without writing."""
    require_writer(actor)
    partnership = writable_partnership(actor, partnership_id)
    return loading.load(kind, partnership.pk, rows, first_row=first_row, dry_run=dry_run)


def planning_file_load(
    actor: Actor, *, partnership_id: int, kind: str, data: bytes, dry_run: bool = False
) -> LoadReport:
    """A CSV file of planning data: its rows, numbered as in the file (the header is row 1)."""
    require_writer(actor)
    writable_partnership(actor, partnership_id)  # a stranger learns nothing from the file's errors
    if kind not in loading.KINDS:
        raise Invalid({"kind": [_("Unknown kind of planning data: %(kind)s.") % {"kind": kind}]})
    rows = loading.read_csv(data, kind)
    return planning_data_load(
        actor, partnership_id=partnership_id, kind=kind, rows=rows, dry_run=dry_run, first_row=2
    )


# ---- the agreement ------------------------------------------------------------------------------------


@records_actor
@transaction.atomic
def planning_agreement_propose(
    actor: Actor, *, partnership_id: int, changes: Mapping[str, Any], version: int | None = None
) -> PlanningAgreement:
    """Propose new planning terms. They apply once the other side agrees; until then the terms in force
    stay. A side may revise its own waiting proposal, not the other side's."""
    require_writer(actor)
    partnership = writable_partnership(actor, partnership_id)
    side = side_of(actor, partnership)
    runs.agreement_of(partnership.pk)
    agreement = PlanningAgreement.objects.select_for_update().get(partnership=partnership)
    check_version(agreement, version)
    unknown = sorted(set(changes) - set(agreements.TERMS))
    if unknown:
        raise Invalid({name: [_("This is not a planning term.")] for name in unknown})
    if agreement.status == AgreementStatus.PROPOSED and agreement.proposed_by_side != side:
        raise Conflict(_("The other side's proposal is waiting: agree to it or decline it first."))
    if agreement.status == AgreementStatus.AGREED:
        agreement.agreed = agreements.proposed_terms(agreement)
    for name, value in changes.items():
        setattr(agreement, name, value)
    agreement.status = AgreementStatus.PROPOSED
    agreement.proposed_by_side = side
    agreement.version += 1
    validate_and_save(agreement)
    if not agreements.changes_of(agreement):
        # proposing the terms in force is no proposal at all
        agreement.status, agreement.proposed_by_side, agreement.agreed = AgreementStatus.AGREED, "", {}
        agreement.save(update_fields=["status", "proposed_by_side", "agreed", "version", "updated_at"])
    return agreement


@records_actor
@transaction.atomic
def planning_agreement_decide(
    actor: Actor, *, partnership_id: int, agree: bool, version: int | None = None
) -> PlanningAgreement:
    """The other side agrees to the waiting proposal (it applies) or declines it (the terms in force stay);
    the proposing side may withdraw it (decline)."""
    require_writer(actor)
    partnership = writable_partnership(actor, partnership_id)
    side = side_of(actor, partnership)
    runs.agreement_of(partnership.pk)
    agreement = PlanningAgreement.objects.select_for_update().get(partnership=partnership)
    check_version(agreement, version)
    if agreement.status != AgreementStatus.PROPOSED:
        raise Conflict(_("No change of the planning terms is waiting."))
    if agree and agreement.proposed_by_side == side:
        raise Conflict(_("The other side agrees to your proposal, not you."))
    if not agree:
        for name, value in agreement.agreed.items():
            setattr(agreement, name, value)
    agreement.status, agreement.proposed_by_side, agreement.agreed = AgreementStatus.AGREED, "", {}
    agreement.version += 1
    validate_and_save(agreement)
    return agreement


# ---- forecasts ----------------------------------------------------------------------------------------


@records_actor
@transaction.atomic
def planning_forecast_submit(
    actor: Actor, *, partnership_id: int, rows: Sequence[Mapping[str, Any]], first_row: int = 2
) -> int:
    """Upload or adjust one's own side's forecast for the current cycle (sku, location, period, quantity):
    all rows or none. Under the manual consensus rule, writers may also set the consensus with
    ``source=consensus`` rows."""
    require_writer(actor)
    partnership = writable_partnership(actor, partnership_id)
    side = side_of(actor, partnership)
    cycle = runs.current_cycle(partnership.pk)
    frame, sources = loading.forecast_rows(partnership.pk, rows, first_row, side)
    agreed = agreements.current_terms(runs.agreement_of(partnership.pk))
    if "consensus" in set(sources) and agreed["consensus_rule"] != ConsensusRule.MANUAL:
        raise Invalid({"source": [_("The consensus is set by hand only under the manual consensus rule.")]})
    if (frame["period"] < pd.Timestamp(cycle.week)).any():
        bad = int(frame.index[frame["period"] < pd.Timestamp(cycle.week)][0]) + first_row
        raise loading.RowErrors(
            [loading.RowError(bad, "period", _("A forecast is for this week or later, not the past."))]
        )
    written = 0
    for source in sorted(set(sources)):
        part = frame[sources == source]
        existing = io.forecasts([cycle.pk], [source])
        replaced = pd.MultiIndex.from_frame(existing[["series_id", "period"]]).isin(
            pd.MultiIndex.from_frame(part[["series_id", "period"]])
        )
        kept = existing[~np.asarray(replaced, dtype=bool)]
        submitted = part.assign(model="manual" if source == "consensus" else side)
        merged = pd.concat(
            [kept[["series_id", "period", "quantity", "lo", "hi", "model"]], submitted], ignore_index=True
        )
        written += io.write_forecasts(cycle, source, merged)
    return written


# ---- runs ---------------------------------------------------------------------------------------------


@records_actor
def planning_run(actor: Actor, *, partnership_id: int, executor: str = "local") -> runs.RunResult:
    """Plan the current cycle now (either side's writers): forecast, consensus, exceptions, proposals."""
    require_writer(actor)
    partnership = writable_partnership(actor, partnership_id)
    return runs.run(partnership.pk, executor=executor)


@records_actor
@transaction.atomic
def planning_run_queue(actor: Actor, *, partnership_id: int) -> PlanningCycle:
    """Mark the current cycle's planning run as queued (the caller puts ``tasks.run_planning`` on the job
    backend once this commits); the cycle then shows the run's progress."""
    require_writer(actor)
    partnership = writable_partnership(actor, partnership_id)
    cycle = runs.current_cycle(partnership.pk)
    cycle = PlanningCycle.objects.select_for_update().get(pk=cycle.pk)
    busy = cycle.run_status in (RunStatus.QUEUED, RunStatus.RUNNING)
    stale = cycle.run_started_at is not None and timezone.now() - cycle.run_started_at > STALE_RUN
    if busy and not stale:  # a run that died (a lost worker) does not block the cycle for ever
        raise Conflict(_("A planning run of this cycle is already under way."))
    cycle.run_status, cycle.run_progress, cycle.run_message = RunStatus.QUEUED, 0, ""
    cycle.run_started_at, cycle.run_finished_at = timezone.now(), None
    cycle.save(
        update_fields=["run_status", "run_progress", "run_message", "run_started_at", "run_finished_at"]
    )
    return cycle


# ---- exceptions and proposals -------------------------------------------------------------------------


@records_actor
@transaction.atomic
def planning_exception_resolve(
    actor: Actor,
    *,
    partnership_id: int,
    exception_id: int,
    resolution: str,
    note: str = "",
    version: int | None = None,
) -> PlanningException:
    """Resolve an exception with a resolution code (either side: exceptions are worked on together)."""
    require_writer(actor)
    writable_partnership(actor, partnership_id)
    exc = locked_record(
        actor,
        PlanningException,
        partnership_id=partnership_id,
        record_id=exception_id,
        missing=_("Exception not found."),
    )
    check_version(exc, version)
    if exc.status == ExceptionStatus.RESOLVED:
        raise Conflict(_("This exception is already resolved."))
    if resolution not in Resolution.values:
        raise Invalid({"resolution": [_("Choose a resolution.")]})
    exc.status, exc.resolution, exc.note = ExceptionStatus.RESOLVED, resolution, (note or "").strip()
    exc.resolved_by, exc.resolved_at = actor.user, timezone.now()
    exc.version += 1
    validate_and_save(exc)
    return exc


@records_actor
@transaction.atomic
def planning_proposals_decide(
    actor: Actor,
    *,
    partnership_id: int,
    proposal_ids: Sequence[int],
    confirm: bool,
    quantities: Mapping[int, float] | None = None,
) -> list[Order]:
    """The buyer (the customer's writers) confirms proposals into orders, one per location, or rejects
    them. A quantity may be changed on confirmation (rounded up to the case pack)."""
    require_writer(actor)
    partnership = writable_partnership(actor, partnership_id)
    if side_of(actor, partnership) != Side.CUSTOMER:
        raise PermissionDenied(_("The buyer confirms or rejects order proposals."))
    ids = sorted({int(i) for i in proposal_ids})
    if not ids:
        raise Invalid({"proposal_ids": [_("Choose at least one proposal.")]})
    proposals = list(
        OrderProposal.objects.select_for_update(of=("self",))
        .select_related("item", "location", "cycle")
        .filter(partnership=partnership, pk__in=ids)
        .order_by("location__code", "item__supplier_sku")
    )
    if len(proposals) != len(ids):
        raise NotFound(_("Proposal not found."))
    if any(p.status != ProposalStatus.PROPOSED for p in proposals):
        raise Conflict(_("Only open proposals can be confirmed or rejected."))
    if any(p.cycle.status != CycleStatus.OPEN for p in proposals):
        raise Conflict(_("Only this week's proposals can be confirmed or rejected; run planning again."))
    now = timezone.now()
    orders: list[Order] = []
    if confirm:
        quantities = quantities or {}
        for p in proposals:
            if p.pk in quantities:
                wanted = float(quantities[p.pk])
                if not math.isfinite(wanted) or wanted <= 0 or wanted > MAX_QUANTITY:
                    raise Invalid(
                        {
                            f"quantities.{p.pk}": [
                                _("The quantity must be above zero and at most %(max)s.")
                                % {"max": MAX_QUANTITY}
                            ]
                        }
                    )
                pack = max(1, p.item.case_pack)
                p.quantity = Decimal(int(-(-wanted // pack)) * pack)
        by_location: dict[int, list[OrderProposal]] = {}
        for p in proposals:
            by_location.setdefault(p.location_id, []).append(p)
        stamp = timezone.localdate().strftime("%Y%m%d")
        # numbering under the partnership's row lock: two buyers confirming at once get distinct numbers
        Partnership.objects.select_for_update().filter(pk=partnership.pk).first()
        taken = Order.objects.filter(partnership=partnership, number__startswith=f"PO-{stamp}-").count()
        for n, (location_id, group) in enumerate(sorted(by_location.items()), start=taken + 1):
            order = Order.objects.create(
                partnership=partnership,
                number=f"PO-{stamp}-{n:03d}",
                location_id=location_id,
                created_by=actor.user,
            )
            OrderLine.objects.bulk_create(
                [
                    OrderLine(order=order, item_id=p.item_id, quantity=p.quantity, arrival=p.arrival)
                    for p in group
                ]
            )
            for p in group:
                p.order = order
            orders.append(order)
    for p in proposals:
        p.status = ProposalStatus.CONFIRMED if confirm else ProposalStatus.REJECTED
        p.decided_by, p.decided_at = actor.user, now
        p.version += 1
    # with history rows, as every decision on a shared record keeps who made it and when
    bulk_update_with_history(
        proposals,
        OrderProposal,
        ["status", "decided_by", "decided_at", "version", "order", "quantity"],
        default_user=actor.user,
    )
    return orders
