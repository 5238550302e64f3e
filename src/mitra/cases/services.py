"""Writes of the cases workflow. The acting side always comes from the actor's organisation."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from mitra.accounts.models import Membership
from mitra.cases.models import (
    ACTIVE_STATUSES,
    Case,
    CaseOption,
    CaseSeverity,
    CaseStatus,
    sla_due,
)
from mitra.core.errors import Conflict, Invalid, PermissionDenied
from mitra.core.history import records_actor
from mitra.core.services import check_version, require_writer, validate_and_save
from mitra.core.tenancy import Actor, restrict
from mitra.partnerships.models import Partnership, Side
from mitra.partnerships.workspace import locked_record, member_of, restriction, side_of, writable_partnership
from mitra.risks.models import Risk
from mitra.threads.events import record_event
from mitra.threads.models import Event


def _text(value: str, field: str, *, required: bool = False) -> str:
    value = (value or "").strip()
    if required and not value:
        raise Invalid({field: [_("This field is required.")]})
    return value


def _risk_of(actor: Actor, partnership: Partnership, risk_id: int | None) -> Risk | None:
    if risk_id is None:
        return None
    risk = restrict(Risk.objects.all(), actor).filter(pk=risk_id, partnership=partnership).first()
    if risk is None:
        raise Invalid({"anticipated_by_id": [_("Choose a risk of this partnership.")]})
    return risk


def _locked_case(actor: Actor, partnership: Partnership, case_id: int) -> Case:
    case = locked_record(
        actor, Case, partnership_id=partnership.pk, record_id=case_id, missing=_("Case not found.")
    )
    case.partnership = partnership
    return case


def _require_customer(side: str, message: str) -> None:
    if side != Side.CUSTOMER:
        raise PermissionDenied(message)


def _save(case: Case) -> Case:
    case.version += 1
    return validate_and_save(case)


@records_actor
@transaction.atomic
def case_create(
    actor: Actor,
    *,
    partnership_id: int,
    title: str,
    desired_outcome: str,
    description: str = "",
    severity: str = "medium",
    category: str = "other",
    root_cause: str = "",
    outcome_stated_by_id: int | None = None,
    anticipated_by_id: int | None = None,
    restricted_department_id: int | None = None,
) -> Case:
    """Raise a case. The customer's desired outcome is required; a supplier-entered one awaits confirmation."""
    require_writer(actor)
    partnership = writable_partnership(actor, partnership_id)
    side = side_of(actor, partnership)
    title = _text(title, "title", required=True)
    outcome = _text(desired_outcome, "desired_outcome")
    if not outcome:
        raise Invalid(
            {"desired_outcome": [_("Write the customer's desired outcome, in the customer's words.")]}
        )
    stated_by: Membership | None = None
    if outcome_stated_by_id is not None:
        stated_by = member_of(partnership, outcome_stated_by_id, "outcome_stated_by_id", side=Side.CUSTOMER)
    elif side == Side.CUSTOMER:
        stated_by = actor.membership
    risk = _risk_of(actor, partnership, anticipated_by_id)
    now = timezone.now()
    case = Case(
        partnership=partnership,
        restricted_department=restriction(actor, restricted_department_id),
        title=title,
        description=_text(description, "description"),
        severity=severity,
        category=category,
        root_cause=root_cause or "",
        raised_by_side=side,
        raised_by=actor.user,
        desired_outcome=outcome,
        outcome_stated_by=stated_by,
        outcome_entered_by_side=side,
        outcome_confirmed_at=now if side == Side.CUSTOMER else None,
        outcome_confirmed_by=actor.user if side == Side.CUSTOMER else None,
        anticipated_by=risk,
        sla_due_at=sla_due(severity, now) if severity in CaseSeverity.values else now,
    )
    validate_and_save(case)
    record_event(actor, case, kind="case", verb="created", title=case.title)
    return case


@records_actor
@transaction.atomic
def case_update(
    actor: Actor, *, partnership_id: int, case_id: int, version: int | None = None, **changes: Any
) -> Case:
    """Change the title, description, severity, category, root cause or anticipating risk (either side).

    A new severity moves the SLA due time, counted from when the case was raised."""
    require_writer(actor)
    partnership = writable_partnership(actor, partnership_id)
    case = _locked_case(actor, partnership, case_id)
    check_version(case, version)
    if case.status == CaseStatus.CLOSED:
        raise Conflict(_("This case is closed and can no longer be changed."))
    for field in ("title", "description"):
        if field in changes and changes[field] is not None:
            setattr(case, field, _text(changes[field], field, required=field == "title"))
    for field in ("severity", "category"):
        if changes.get(field) is not None:
            setattr(case, field, changes[field])
    if "root_cause" in changes:
        case.root_cause = changes["root_cause"] or ""
    if "anticipated_by_id" in changes:
        case.anticipated_by = _risk_of(actor, partnership, changes["anticipated_by_id"])
    if changes.get("severity") in CaseSeverity.values:
        case.sla_due_at = sla_due(case.severity, case.created_at)
    _save(case)
    record_event(actor, case, kind="case", verb="updated", title=case.title)
    return case


@records_actor
@transaction.atomic
def case_outcome_confirm(actor: Actor, *, partnership_id: int, case_id: int) -> Case:
    """The customer side confirms that the desired outcome, as the supplier wrote it, is theirs."""
    require_writer(actor)
    partnership = writable_partnership(actor, partnership_id)
    case = _locked_case(actor, partnership, case_id)
    _require_customer(
        side_of(actor, partnership), _("Only the customer side can confirm the customer's desired outcome.")
    )
    if case.outcome_confirmed:
        raise Conflict(_("The desired outcome is already confirmed."))
    _confirm_outcome(actor, case)
    _save(case)
    record_event(actor, case, kind="case", verb="outcome_confirmed", title=case.title)
    return case


def _confirm_outcome(actor: Actor, case: Case) -> None:
    case.outcome_confirmed_at = timezone.now()
    case.outcome_confirmed_by = actor.user
    if case.outcome_stated_by_id is None:
        case.outcome_stated_by = actor.membership


@records_actor
@transaction.atomic
def case_option_create(
    actor: Actor,
    *,
    partnership_id: int,
    case_id: int,
    summary: str,
    value_to_customer: int = 0,
    value_to_supplier: int = 0,
    effort: str = "medium",
) -> CaseOption:
    """Propose a way to solve the case (either side, while the case is open or in progress)."""
    require_writer(actor)
    partnership = writable_partnership(actor, partnership_id)
    case = _locked_case(actor, partnership, case_id)
    if case.status not in ACTIVE_STATUSES:
        raise Conflict(_("Options can be added only while the case is open."))
    option = validate_and_save(
        CaseOption(
            partnership=partnership,
            restricted_department_id=case.restricted_department_id,
            case=case,
            summary=_text(summary, "summary", required=True),
            value_to_customer=value_to_customer,
            value_to_supplier=value_to_supplier,
            effort=effort,
            proposed_by_side=side_of(actor, partnership),
            created_by=actor.user,
        )
    )
    record_event(actor, case, kind="case", verb="option_added", title=case.title, detail=option.summary)
    return option


@records_actor
@transaction.atomic
def case_choose(
    actor: Actor, *, partnership_id: int, case_id: int, option_id: int, justification: str = ""
) -> Case:
    """Choose one of at least two options. An option that is not win-win needs a written justification."""
    require_writer(actor)
    partnership = writable_partnership(actor, partnership_id)
    case = _locked_case(actor, partnership, case_id)
    if case.status not in ACTIVE_STATUSES:
        raise Conflict(_("An option can be chosen only while the case is open or in progress."))
    options = list(CaseOption.objects.filter(case=case))
    option = next((o for o in options if o.pk == option_id), None)
    if option is None:
        raise Invalid({"option_id": [_("Choose an option of this case.")]})
    if len(options) < 2:
        raise Conflict(_("Weigh at least two options before choosing one."))
    justification = _text(justification, "justification")
    if not option.is_win_win and not justification:
        raise Invalid(
            {"justification": [_("This option is not win-win: write why it is still the right choice.")]}
        )
    case.chosen_option = option
    case.justification = justification
    case.chosen_at = timezone.now()
    case.status = CaseStatus.IN_PROGRESS
    _save(case)
    record_event(actor, case, kind="case", verb="chosen", title=case.title, detail=option.summary)
    return case


@records_actor
@transaction.atomic
def case_resolve(actor: Actor, *, partnership_id: int, case_id: int, resolution_note: str = "") -> Case:
    """The supplier side resolves the case with the chosen option; the customer then confirms or disputes."""
    require_writer(actor)
    partnership = writable_partnership(actor, partnership_id)
    case = _locked_case(actor, partnership, case_id)
    if side_of(actor, partnership) != Side.SUPPLIER:
        raise PermissionDenied(_("Only the supplier side resolves a case."))
    if case.status != CaseStatus.IN_PROGRESS or case.chosen_option_id is None:
        raise Conflict(_("Choose an option before resolving the case."))
    case.resolution_note = _text(resolution_note, "resolution_note")
    case.status = CaseStatus.RESOLVED
    case.resolved_at = timezone.now()
    case.resolved_by = actor.user
    _save(case)
    record_event(actor, case, kind="case", verb="resolved", title=case.title)
    return case


@records_actor
@transaction.atomic
def case_confirm(actor: Actor, *, partnership_id: int, case_id: int) -> Case:
    """Only the customer side closes a resolved case, confirming its desired outcome was met."""
    require_writer(actor)
    partnership = writable_partnership(actor, partnership_id)
    case = _locked_case(actor, partnership, case_id)
    _require_customer(side_of(actor, partnership), _("Only the customer side can close a case."))
    if case.status != CaseStatus.RESOLVED:
        raise Conflict(_("Only a resolved case can be confirmed."))
    if not case.outcome_confirmed:
        _confirm_outcome(actor, case)
    case.status = CaseStatus.CLOSED
    case.closed_at = timezone.now()
    case.closed_by = actor.user
    _save(case)
    record_event(actor, case, kind="case", verb="confirmed", title=case.title)
    return case


@records_actor
@transaction.atomic
def case_dispute(actor: Actor, *, partnership_id: int, case_id: int, reason: str) -> Case:
    """Only the customer side disputes a resolution: the case goes back in progress."""
    require_writer(actor)
    partnership = writable_partnership(actor, partnership_id)
    case = _locked_case(actor, partnership, case_id)
    _require_customer(side_of(actor, partnership), _("Only the customer side can dispute a resolution."))
    if case.status != CaseStatus.RESOLVED:
        raise Conflict(_("Only a resolved case can be disputed."))
    case.dispute_reason = _text(reason, "reason", required=True)
    case.status = CaseStatus.IN_PROGRESS
    case.dispute_count += 1
    case.disputed_at = timezone.now()
    case.resolved_at = None
    case.resolved_by = None
    _save(case)
    record_event(actor, case, kind="case", verb="disputed", title=case.title, detail=case.dispute_reason)
    return case


@transaction.atomic
def case_detect_sla_breaches(now: dt.datetime | None = None) -> int:
    """Stamp every case that breached its SLA (still unresolved past due, or resolved late) once, with one
    timeline event each. Set-based and idempotent: a stamped case is never stamped again."""
    now = now or timezone.now()
    cases = list(
        Case.objects.select_for_update(skip_locked=True)
        .filter(sla_breached_at__isnull=True)
        .filter(Q(status__in=ACTIVE_STATUSES, sla_due_at__lt=now) | Q(resolved_at__gt=F("sla_due_at")))
        .order_by("pk")
    )
    if not cases:
        return 0
    for case in cases:
        case.sla_breached_at = now
    bulk_update_with_history(cases, Case, ["sla_breached_at"], batch_size=500, default_change_reason="SLA")
    Event.objects.bulk_create(
        [
            Event(
                partnership_id=case.partnership_id,
                restricted_department_id=case.restricted_department_id,
                kind="case",
                object_id=case.pk,
                verb="breached",
                title=case.title[:200],
                url=case.get_absolute_url(),
                actor_side="",
                at=now,
            )
            for case in cases
        ],
        batch_size=500,
    )
    return len(cases)
