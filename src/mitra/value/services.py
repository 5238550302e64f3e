"""The value ledger's writes: record a gain, correct it, and the other side's confirm or dispute.

The recording side comes from the actor's organisation, never from the input. Only the other side may
confirm or dispute an entry; only the recording side may correct it, while it waits for confirmation or
after a dispute (which sends it back for confirmation).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from babel.numbers import list_currencies
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mitra.cases.models import Case
from mitra.core.errors import Conflict, Invalid, PermissionDenied
from mitra.core.history import records_actor
from mitra.core.services import check_version, require_writer, validate_and_save
from mitra.core.tenancy import Actor, restrict
from mitra.improvement.models import Initiative
from mitra.partnerships.models import Partnership, Side
from mitra.partnerships.workspace import locked_record, restriction, side_of, writable_partnership
from mitra.threads.events import record_event
from mitra.value.models import Category, EntryStatus, ValueEntry

UNSET: Any = object()
MAX_AMOUNT = Decimal("9999999999999999.99")


def _currency(code: str) -> str:
    code = (code or "").strip().upper()
    if code not in list_currencies():
        raise Invalid(
            {"currency": [_("Unknown currency code: %(code)s (use ISO 4217, e.g. IDR)") % {"code": code}]}
        )
    return code


def _amount(amount: Decimal | int | str) -> Decimal:
    try:
        value = Decimal(str(amount))
    except ArithmeticError as exc:
        raise Invalid({"amount": [_("Enter an amount.")]}) from exc
    if not value.is_finite() or value <= 0:
        raise Invalid({"amount": [_("The amount must be more than zero.")]})
    if value > MAX_AMOUNT or value != value.quantize(Decimal("0.01")):
        raise Invalid({"amount": [_("Enter an amount with at most 16 digits and 2 decimals.")]})
    return value


def _choice(value: str, choices: Any, field: str) -> str:
    if value not in choices.values:
        raise Invalid({field: [_("Choose one of the listed options.")]})
    return value


def _period(start: dt.date, end: dt.date) -> None:
    if end < start:
        raise Invalid({"period_end": [_("The period cannot end before it starts.")]})


def _case_of(actor: Actor, partnership: Partnership, case_id: int | None) -> Case | None:
    if case_id is None:
        return None
    case = restrict(Case.objects.all(), actor).filter(pk=case_id, partnership=partnership).first()
    if case is None:
        raise Invalid({"case_id": [_("Choose a case of this partnership.")]})
    return case


def _initiative_of(actor: Actor, partnership: Partnership, initiative_id: int | None) -> Initiative | None:
    if initiative_id is None:
        return None
    initiative = (
        restrict(Initiative.objects.all(), actor).filter(pk=initiative_id, partnership=partnership).first()
    )
    if initiative is None:
        raise Invalid({"initiative_id": [_("Choose an initiative of this partnership.")]})
    return initiative


def _locked(actor: Actor, partnership_id: int, entry_id: int) -> ValueEntry:
    return locked_record(
        actor,
        ValueEntry,
        partnership_id=partnership_id,
        record_id=entry_id,
        missing=_("Value entry not found."),
    )


@records_actor
@transaction.atomic
def value_entry_create(
    actor: Actor,
    *,
    partnership_id: int,
    title: str,
    beneficiary_side: str,
    category: str,
    amount: Decimal | int | str,
    period_start: dt.date,
    period_end: dt.date,
    currency: str | None = None,
    evidence: str = "",
    case_id: int | None = None,
    initiative_id: int | None = None,
    restricted_department_id: int | None = None,
) -> ValueEntry:
    """Record a gain for one side. It waits for the other side's confirmation."""
    require_writer(actor)
    partnership = writable_partnership(actor, partnership_id)
    side = side_of(actor, partnership)
    entry = ValueEntry(
        partnership=partnership,
        title=title.strip(),
        beneficiary_side=_choice(beneficiary_side, Side, "beneficiary_side"),
        category=_choice(category, Category, "category"),
        amount=_amount(amount),
        currency=_currency(currency) if currency else actor.organisation.currency,
        period_start=period_start,
        period_end=period_end,
        evidence=evidence.strip(),
        case=_case_of(actor, partnership, case_id),
        initiative=_initiative_of(actor, partnership, initiative_id),
        recorded_by_side=side,
        recorded_by=actor.membership,
        status=EntryStatus.UNCONFIRMED,
        awaiting_since=timezone.now(),
        restricted_department=restriction(actor, restricted_department_id),
    )
    _period(period_start, period_end)
    validate_and_save(entry)
    record_event(actor, entry, kind="value", verb="recorded", detail=_summary(entry))
    return entry


@records_actor
@transaction.atomic
def value_entry_update(
    actor: Actor,
    *,
    partnership_id: int,
    entry_id: int,
    version: int | None = None,
    title: str | None = None,
    beneficiary_side: str | None = None,
    category: str | None = None,
    amount: Decimal | int | str | None = None,
    currency: str | None = None,
    period_start: dt.date | None = None,
    period_end: dt.date | None = None,
    evidence: str | None = None,
    case_id: int | None = UNSET,
    initiative_id: int | None = UNSET,
) -> ValueEntry:
    """Correct an entry (its recording side only), while unconfirmed or after a dispute.

    Correcting a disputed entry sends it back to the other side for confirmation.
    """
    require_writer(actor)
    partnership = writable_partnership(actor, partnership_id)
    entry = _locked(actor, partnership.pk, entry_id)
    if side_of(actor, partnership) != entry.recorded_by_side:
        raise PermissionDenied(_("Only the side that recorded this entry can change it."))
    if entry.status == EntryStatus.CONFIRMED:
        raise Conflict(_("This entry is confirmed: it can no longer be changed."))
    check_version(entry, version)
    fields = ["version", "updated_at"]
    if title is not None:
        entry.title = title.strip()
        fields.append("title")
    if beneficiary_side is not None:
        entry.beneficiary_side = _choice(beneficiary_side, Side, "beneficiary_side")
        fields.append("beneficiary_side")
    if category is not None:
        entry.category = _choice(category, Category, "category")
        fields.append("category")
    if amount is not None:
        entry.amount = _amount(amount)
        fields.append("amount")
    if currency is not None:
        entry.currency = _currency(currency)
        fields.append("currency")
    if period_start is not None:
        entry.period_start = period_start
        fields.append("period_start")
    if period_end is not None:
        entry.period_end = period_end
        fields.append("period_end")
    _period(entry.period_start, entry.period_end)
    if evidence is not None:
        entry.evidence = evidence.strip()
        fields.append("evidence")
    if case_id is not UNSET:
        entry.case = _case_of(actor, partnership, case_id)
        fields.append("case")
    if initiative_id is not UNSET:
        entry.initiative = _initiative_of(actor, partnership, initiative_id)
        fields.append("initiative")
    if entry.status == EntryStatus.DISPUTED:
        # Corrected after a dispute: it waits for the other side's confirmation again.
        entry.status = EntryStatus.UNCONFIRMED
        entry.awaiting_since = timezone.now()
        fields += ["status", "awaiting_since"]
    entry.version += 1
    validate_and_save(entry, update_fields=fields)
    record_event(actor, entry, kind="value", verb="updated", detail=_summary(entry))
    return entry


def _answerable(actor: Actor, partnership_id: int, entry_id: int, version: int | None) -> ValueEntry:
    """The entry, locked, if the actor's side may confirm or dispute it now."""
    require_writer(actor)
    partnership = writable_partnership(actor, partnership_id)
    entry = _locked(actor, partnership.pk, entry_id)
    if side_of(actor, partnership) == entry.recorded_by_side:
        raise PermissionDenied(_("The side that recorded a value entry cannot confirm or dispute it."))
    if entry.status != EntryStatus.UNCONFIRMED:
        raise Conflict(
            _("This entry is already %(status)s.") % {"status": entry.get_status_display().lower()}
        )
    check_version(entry, version)
    return entry


@records_actor
@transaction.atomic
def value_entry_confirm(
    actor: Actor, *, partnership_id: int, entry_id: int, version: int | None = None
) -> ValueEntry:
    """The other side confirms the gain: from now on it counts in the partnership's balance."""
    entry = _answerable(actor, partnership_id, entry_id, version)
    entry.status = EntryStatus.CONFIRMED
    entry.confirmed_at = timezone.now()
    entry.confirmed_by = actor.membership
    entry.version += 1
    validate_and_save(
        entry, update_fields=["status", "confirmed_at", "confirmed_by", "version", "updated_at"]
    )
    record_event(actor, entry, kind="value", verb="confirmed", detail=_summary(entry))
    return entry


@records_actor
@transaction.atomic
def value_entry_dispute(
    actor: Actor, *, partnership_id: int, entry_id: int, reason: str, version: int | None = None
) -> ValueEntry:
    """The other side disputes the gain, saying why; the recording side may then correct it."""
    reason = (reason or "").strip()
    entry = _answerable(actor, partnership_id, entry_id, version)
    if not reason:
        raise Invalid({"reason": [_("Say why you dispute this entry.")]})
    if len(reason) > 300:
        raise Invalid({"reason": [_("Keep the reason under 300 characters.")]})
    entry.status = EntryStatus.DISPUTED
    entry.disputed_at = timezone.now()
    entry.disputed_by = actor.membership
    entry.dispute_reason = reason
    entry.version += 1
    validate_and_save(
        entry,
        update_fields=["status", "disputed_at", "disputed_by", "dispute_reason", "version", "updated_at"],
    )
    record_event(actor, entry, kind="value", verb="disputed", detail=reason)
    return entry


def _summary(entry: ValueEntry) -> str:
    return f"{entry.get_beneficiary_side_display()} · {entry.get_category_display()} · {entry.amount:,.2f} {entry.currency}"
