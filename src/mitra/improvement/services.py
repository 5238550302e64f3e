"""Writes on improvement initiatives and their KPI measurements.

Either side's writers may start an initiative, move it through the PDCA stages, record measurements and
close it. The acting side always comes from the actor's organisation.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mitra.cases.models import Case
from mitra.core.errors import Conflict, Invalid
from mitra.core.history import records_actor
from mitra.core.services import check_version, require_writer, validate_and_save
from mitra.core.tenancy import Actor, restrict
from mitra.improvement.models import (
    NEXT_STAGE,
    Direction,
    Initiative,
    InitiativeStatus,
    Measurement,
    Stage,
)
from mitra.partnerships.models import Partnership, Side
from mitra.partnerships.workspace import locked_record, member_of, restriction, side_of, writable_partnership
from mitra.threads.events import record_event

MAX_SOURCE_CASES = 50


def _check_kpi(direction: str, baseline: Decimal, target: Decimal) -> None:
    if direction not in Direction.values:
        raise Invalid({"direction": [_("Choose increase or decrease.")]})
    if direction == Direction.INCREASE and not target > baseline:
        raise Invalid({"target": [_("For a KPI to increase, the target must be above the baseline.")]})
    if direction == Direction.DECREASE and not target < baseline:
        raise Invalid({"target": [_("For a KPI to decrease, the target must be below the baseline.")]})


def _check_dates(start_date: dt.date, target_date: dt.date) -> None:
    if target_date < start_date:
        raise Invalid({"target_date": [_("The target date cannot be before the start date.")]})


def _source_cases(actor: Actor, partnership: Partnership, case_ids: Iterable[int]) -> list[Case]:
    """The cases an initiative starts from: all of this partnership's, and visible to the actor."""
    wanted = set(case_ids)
    if not wanted:
        return []
    if len(wanted) > MAX_SOURCE_CASES:
        raise Invalid({"source_case_ids": [_("Link at most %(max)s cases.") % {"max": MAX_SOURCE_CASES}]})
    cases = list(restrict(Case.objects.all(), actor).filter(partnership=partnership, pk__in=wanted))
    if len(cases) != len(wanted):
        raise Invalid({"source_case_ids": [_("Choose cases of this partnership.")]})
    return cases


def _locked(actor: Actor, partnership: Partnership, initiative_id: int) -> Initiative:
    initiative = locked_record(
        actor,
        Initiative,
        partnership_id=partnership.pk,
        record_id=initiative_id,
        missing=_("Initiative not found."),
    )
    # The partnership was read (and checked writable) already; reuse it for events and messages.
    initiative.partnership = partnership
    return initiative


def _require_active(initiative: Initiative) -> None:
    if not initiative.is_active:
        raise Conflict(
            _("This initiative is %(status)s: it can no longer be changed.")
            % {"status": initiative.get_status_display().lower()}
        )


@records_actor
@transaction.atomic
def initiative_create(
    actor: Actor,
    *,
    partnership_id: int,
    title: str,
    supplier_owner_id: int | None,
    customer_owner_id: int | None,
    start_date: dt.date,
    target_date: dt.date,
    kpi_name: str,
    direction: str,
    baseline: Decimal,
    target: Decimal,
    description: str = "",
    kpi_unit: str = "",
    source_case_ids: Iterable[int] = (),
    restricted_department_id: int | None = None,
) -> Initiative:
    """Start an initiative with an owner on each side and a KPI, optionally from recurring cases."""
    require_writer(actor)
    partnership = writable_partnership(actor, partnership_id)
    if supplier_owner_id is None:
        raise Invalid({"supplier_owner_id": [_("Choose an owner on the supplier side.")]})
    if customer_owner_id is None:
        raise Invalid({"customer_owner_id": [_("Choose an owner on the customer side.")]})
    supplier_owner = member_of(partnership, supplier_owner_id, "supplier_owner_id", side=Side.SUPPLIER)
    customer_owner = member_of(partnership, customer_owner_id, "customer_owner_id", side=Side.CUSTOMER)
    _check_kpi(direction, baseline, target)
    _check_dates(start_date, target_date)
    cases = _source_cases(actor, partnership, source_case_ids)
    initiative = validate_and_save(
        Initiative(
            partnership=partnership,
            title=title.strip(),
            description=description.strip(),
            supplier_owner=supplier_owner,
            customer_owner=customer_owner,
            start_date=start_date,
            target_date=target_date,
            kpi_name=kpi_name.strip(),
            kpi_unit=kpi_unit.strip(),
            direction=direction,
            baseline=baseline,
            target=target,
            created_by=actor.user,
            created_side=side_of(actor, partnership),
            restricted_department=restriction(actor, restricted_department_id),
        )
    )
    if cases:
        initiative.source_cases.set(cases)
    record_event(actor, initiative, kind="initiative", verb="created", title=initiative.title)
    return initiative


UPDATABLE = (
    "title",
    "description",
    "start_date",
    "target_date",
    "kpi_name",
    "kpi_unit",
    "direction",
    "baseline",
    "target",
)


@records_actor
@transaction.atomic
def initiative_update(
    actor: Actor,
    *,
    partnership_id: int,
    initiative_id: int,
    version: int | None = None,
    status: str | None = None,
    supplier_owner_id: int | None = None,
    customer_owner_id: int | None = None,
    **changes: Any,
) -> Initiative:
    """Change an active initiative, or close it (``status`` completed or abandoned). Closed is final."""
    require_writer(actor)
    unknown = set(changes) - set(UPDATABLE)
    if unknown:  # pragma: no cover - the API and the forms only send known fields
        raise Invalid({sorted(unknown)[0]: [_("This field cannot be changed.")]})
    partnership = writable_partnership(actor, partnership_id)
    initiative = _locked(actor, partnership, initiative_id)
    check_version(initiative, version)
    _require_active(initiative)
    if status is not None and status not in InitiativeStatus.values:
        raise Invalid({"status": [_("Choose a status: active, completed or abandoned.")]})
    fields: list[str] = []
    for name, value in changes.items():
        if value is None:
            continue
        if isinstance(value, str):
            value = value.strip()
        if getattr(initiative, name) != value:
            setattr(initiative, name, value)
            fields.append(name)
    if supplier_owner_id is not None and supplier_owner_id != initiative.supplier_owner_id:
        initiative.supplier_owner = member_of(
            partnership, supplier_owner_id, "supplier_owner_id", side=Side.SUPPLIER
        )
        fields.append("supplier_owner")
    if customer_owner_id is not None and customer_owner_id != initiative.customer_owner_id:
        initiative.customer_owner = member_of(
            partnership, customer_owner_id, "customer_owner_id", side=Side.CUSTOMER
        )
        fields.append("customer_owner")
    _check_kpi(initiative.direction, Decimal(initiative.baseline), Decimal(initiative.target))
    _check_dates(initiative.start_date, initiative.target_date)
    closing = status is not None and status != InitiativeStatus.ACTIVE
    if closing:
        initiative.status = status  # type: ignore[assignment]
        initiative.closed_at = timezone.now()
        fields += ["status", "closed_at"]
    if not fields:
        return initiative
    initiative.version += 1  # the row is locked, so this is race-free
    validate_and_save(initiative, update_fields=[*fields, "version", "updated_at"])
    if closing:
        record_event(
            actor,
            initiative,
            kind="initiative",
            verb="closed",
            title=initiative.title,
            detail=str(initiative.get_status_display()),
        )
    else:
        record_event(actor, initiative, kind="initiative", verb="updated", title=initiative.title)
    return initiative


@records_actor
@transaction.atomic
def initiative_stage(
    actor: Actor, *, partnership_id: int, initiative_id: int, stage: str, version: int | None = None
) -> Initiative:
    """Move to the next PDCA stage: plan → do → check → act, and act → plan starts a new cycle."""
    require_writer(actor)
    if stage not in Stage.values:
        raise Invalid({"stage": [_("Choose a PDCA stage: plan, do, check or act.")]})
    partnership = writable_partnership(actor, partnership_id)
    initiative = _locked(actor, partnership, initiative_id)
    check_version(initiative, version)
    _require_active(initiative)
    expected = NEXT_STAGE[initiative.stage]
    if stage != expected:
        raise Conflict(
            _("From %(current)s the next stage is %(next)s: stages move in order.")
            % {"current": Stage(initiative.stage).label, "next": Stage(expected).label}
        )
    if initiative.stage == Stage.ACT:
        initiative.cycle += 1
    initiative.stage = stage
    initiative.version += 1
    validate_and_save(initiative, update_fields=["stage", "cycle", "version", "updated_at"])
    record_event(
        actor,
        initiative,
        kind="initiative",
        verb="stage_changed",
        title=initiative.title,
        detail=str(Stage(stage).label),
    )
    return initiative


@records_actor
@transaction.atomic
def measurement_create(
    actor: Actor,
    *,
    partnership_id: int,
    initiative_id: int,
    measured_on: dt.date,
    value: Decimal,
    note: str = "",
) -> Measurement:
    """Record the KPI's value on a date: one measurement per date, none in the future."""
    require_writer(actor)
    partnership = writable_partnership(actor, partnership_id)
    initiative = _locked(actor, partnership, initiative_id)
    _require_active(initiative)
    if measured_on > timezone.localdate():
        raise Invalid({"measured_on": [_("A measurement cannot be dated in the future.")]})
    if Measurement.objects.filter(initiative=initiative, measured_on=measured_on).exists():
        raise Invalid({"measured_on": [_("This initiative already has a measurement on that date.")]})
    measurement = validate_and_save(
        Measurement(
            initiative=initiative,
            measured_on=measured_on,
            value=value,
            note=note.strip(),
            recorded_by=actor.user,
            recorded_side=side_of(actor, partnership),
        )
    )
    record_event(
        actor,
        measurement,
        kind="measurement",
        verb="measured",
        title=initiative.title,
        detail=f"{initiative.kpi_name}: {_number(value)} {initiative.kpi_unit}".strip(),
    )
    return measurement


def _number(value: Decimal) -> str:
    """A KPI value without trailing zeros (``96.5``, not ``96.5000``)."""
    text = format(Decimal(value).normalize(), "f")
    return text
