"""The planning terms both partners agreed: which of them are in force, and how a change is proposed.

The agreement's fields hold the current proposal while one is waiting; ``agreed`` then keeps the terms
in force, so a run never uses terms only one side wants.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from mitra.planning.models import AgreementStatus, PlanningAgreement

TERMS: tuple[str, ...] = (
    "consensus_rule",
    "supplier_weight",
    "horizon_weeks",
    "season_length",
    "review_weeks",
    "service_level",
    "mode",
    "vmi_min_weeks",
    "vmi_max_weeks",
    "use_holidays",
    "forecast_gap_pct",
    "wape_pct",
    "version_change_pct",
    "min_weeks_cover",
    "max_weeks_cover",
    "check_capacity",
)


def _plain(value: Any) -> Any:
    return float(value) if isinstance(value, Decimal) else value


def proposed_terms(agreement: PlanningAgreement) -> dict[str, Any]:
    return {name: _plain(getattr(agreement, name)) for name in TERMS}


def current_terms(agreement: PlanningAgreement) -> dict[str, Any]:
    """The terms in force now."""
    if agreement.status == AgreementStatus.PROPOSED and agreement.agreed:
        return {name: agreement.agreed.get(name, _plain(getattr(agreement, name))) for name in TERMS}
    return proposed_terms(agreement)


def changes_of(agreement: PlanningAgreement) -> dict[str, tuple[Any, Any]]:
    """While a change is proposed: each changed term, (in force, proposed)."""
    if agreement.status != AgreementStatus.PROPOSED:
        return {}
    now, wanted = current_terms(agreement), proposed_terms(agreement)
    return {name: (now[name], wanted[name]) for name in TERMS if now[name] != wanted[name]}
