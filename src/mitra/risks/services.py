"""Writes on the risk register: raise a risk, change it (fields and status).

Either side may raise a risk and either side may change it: the register is shared. The raising side
comes from the actor's organisation; the owner is an active member of either side.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from mitra.core.errors import Invalid
from mitra.core.history import records_actor
from mitra.core.services import check_version, require_writer, validate_and_save
from mitra.core.tenancy import Actor
from mitra.partnerships.models import Partnership
from mitra.partnerships.workspace import locked_record, member_of, restriction, side_of, writable_partnership
from mitra.risks.models import Risk, RiskStatus
from mitra.threads.events import record_event

UNSET: Any = object()


def _scale(value: int, field: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 5:
        raise Invalid({field: [_("Choose a value from 1 to 5.")]})
    return value


def _owner(partnership: Partnership, owner_id: int | None) -> Any:
    if owner_id is None:
        return None
    return member_of(partnership, owner_id, "owner_id")


def _text(value: str, field: str, required: bool = False) -> str:
    value = (value or "").strip()
    if required and not value:
        raise Invalid({field: [_("This field is required.")]})
    return value


@records_actor
@transaction.atomic
def risk_create(
    actor: Actor,
    *,
    partnership_id: int,
    title: str,
    description: str = "",
    likelihood: int = 3,
    impact: int = 3,
    early_signal: str = "",
    response: str = "",
    owner_id: int | None = None,
    restricted_department_id: int | None = None,
) -> Risk:
    """Put a risk on the shared register: what could happen, how likely, how bad, what to watch and the
    response both sides agree on beforehand."""
    require_writer(actor)
    partnership = writable_partnership(actor, partnership_id)
    risk = Risk(
        partnership=partnership,
        title=_text(title, "title", required=True),
        description=_text(description, "description"),
        likelihood=_scale(likelihood, "likelihood"),
        impact=_scale(impact, "impact"),
        early_signal=_text(early_signal, "early_signal"),
        response=_text(response, "response"),
        owner=_owner(partnership, owner_id),
        raised_by_side=side_of(actor, partnership),
        created_by=actor.user,
        restricted_department=restriction(actor, restricted_department_id),
    )
    validate_and_save(risk)
    record_event(actor, risk, kind="risk", verb="created", title=risk.title)
    return risk


@records_actor
@transaction.atomic
def risk_update(
    actor: Actor,
    *,
    partnership_id: int,
    risk_id: int,
    version: int | None = None,
    title: str | None = None,
    description: str | None = None,
    likelihood: int | None = None,
    impact: int | None = None,
    early_signal: str | None = None,
    response: str | None = None,
    owner_id: int | None = UNSET,
    status: str | None = None,
) -> Risk:
    """Change a risk. Fields left as None stay as they are; ``owner_id=None`` clears the owner.

    The status moves freely between open, watching, occurred and closed: a closed risk can be reopened.
    """
    require_writer(actor)
    partnership = writable_partnership(actor, partnership_id)
    risk = locked_record(
        actor, Risk, partnership_id=partnership.pk, record_id=risk_id, missing=_("Risk not found.")
    )
    check_version(risk, version)
    before = risk.status
    fields: list[str] = []
    if title is not None:
        risk.title = _text(title, "title", required=True)
        fields.append("title")
    for name, value in (
        ("description", description),
        ("early_signal", early_signal),
        ("response", response),
    ):
        if value is not None:
            setattr(risk, name, _text(value, name))
            fields.append(name)
    if likelihood is not None:
        risk.likelihood = _scale(likelihood, "likelihood")
        fields.append("likelihood")
    if impact is not None:
        risk.impact = _scale(impact, "impact")
        fields.append("impact")
    if owner_id is not UNSET:
        risk.owner = _owner(partnership, owner_id)
        fields.append("owner")
    if status is not None:
        if status not in RiskStatus.values:
            raise Invalid({"status": [_("Choose open, watching, occurred or closed.")]})
        risk.status = status
        fields.append("status")
    risk.version += 1  # the row is locked, so this is race-free
    validate_and_save(risk, update_fields=[*fields, "version", "updated_at"])
    if risk.status != before and risk.status == RiskStatus.CLOSED:
        verb = "closed"
    elif risk.status != before and before == RiskStatus.CLOSED:
        verb = "reopened"
    elif risk.status != before and risk.status == RiskStatus.OCCURRED:
        verb = "occurred"
    else:
        verb = "updated"
    record_event(actor, risk, kind="risk", verb=verb, title=risk.title)
    return risk
