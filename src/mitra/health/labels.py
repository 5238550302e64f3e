"""Human, translatable labels for the health dimensions, components and bands, and the record links.

The engine speaks in stable keys (``commitment``, ``commitment.supplier_on_time``, ``amber``); pages,
alert messages and the review show these labels instead. ``source_url`` maps a driver's ``source`` (the
app whose records explain it) to the workspace tab that lists those records.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

DIMENSION_LABELS: dict[str, Promise] = {
    "commitment": _("Commitment"),
    "customer_focus": _("Customer focus"),
    "improvement": _("Improvement"),
    "moments_of_truth": _("Moments of truth"),
    "mutual_value": _("Mutual value"),
    "breadth": _("Breadth"),
    "anticipation": _("Anticipation"),
    "competitive_immunity": _("Competitive immunity"),
}

COMPONENT_LABELS: dict[str, Promise] = {
    "commitment.supplier_on_time": _("Supplier on-time commitments"),
    "commitment.customer_on_time": _("Customer on-time commitments"),
    "commitment.acknowledged": _("Acknowledged commitments"),
    "commitment.proactive": _("Commitments offered unasked"),
    "commitment.pulse_trust": _("Pulse: trust"),
    "commitment.pulse_commitment": _("Pulse: commitment"),
    "customer_focus.outcome_confirmed": _("Cases with the desired outcome confirmed"),
    "customer_focus.within_sla": _("Cases resolved within SLA"),
    "customer_focus.undisputed": _("Resolutions not disputed"),
    "improvement.activity": _("Active improvement initiatives"),
    "improvement.progress": _("Initiative progress"),
    "improvement.root_causes": _("Free of recurring root causes"),
    "moments_of_truth.touchpoints": _("Positive touchpoints"),
    "moments_of_truth.otif": _("Deliveries on time in full"),
    "moments_of_truth.csat": _("Customer satisfaction (CSAT)"),
    "moments_of_truth.nps": _("Net promoter score"),
    "moments_of_truth.pulse_satisfaction": _("Pulse: satisfaction"),
    "mutual_value.both_gain": _("Both sides gain value"),
    "mutual_value.balance": _("Balance of value"),
    "mutual_value.confirmation": _("Value confirmed in time"),
    "breadth.live_bridges": _("Live bridges"),
    "breadth.people": _("People involved"),
    "breadth.multi_threaded": _("More than one thread"),
    "anticipation.foreseen": _("Cases a risk foresaw"),
    "anticipation.prepared": _("Risks with a response ready"),
    "competitive_immunity.trend": _("Trend of the other dimensions"),
    "competitive_immunity.competitor_free": _("Free of competitor mentions"),
    "competitive_immunity.share_of_wallet": _("Share of wallet"),
}

BAND_LABELS: dict[str, Promise] = {
    "green": _("Green"),
    "amber": _("Amber"),
    "red": _("Red"),
    "no_data": _("No data"),
}

PRIORITY_LABELS: dict[str, Promise] = {
    "high": _("High"),
    "medium": _("Medium"),
    "low": _("Low"),
}

SIDE_LABELS: dict[str, Promise] = {
    "supplier": _("Supplier"),
    "customer": _("Customer"),
}

# The workspace tab that lists the records behind a driver, by the engine's ``source``.
SOURCE_URL_NAMES: dict[str, str] = {
    "commitments": "commitments:list",
    "cases": "cases:list",
    "improvement": "improvement:list",
    "moments": "moments:list",
    "value": "value:list",
    "partnerships": "partnerships:detail",
    "risks": "risks:list",
    "pulse": "pulse:overview",
    "health": "health:detail",
}


def dimension_label(key: str) -> str:
    return str(DIMENSION_LABELS.get(key, key))


def component_label(dimension: str, component: str) -> str:
    return str(COMPONENT_LABELS.get(f"{dimension}.{component}", component))


def band_label(band: str | None) -> str:
    return str(BAND_LABELS.get(band or "no_data", band))


def source_url(source: str, partnership_pk: int) -> str | None:
    """The page listing the records of ``source`` for this partnership; None for an unknown source."""
    name = SOURCE_URL_NAMES.get(source)
    if name is None:
        return None
    return reverse(name, kwargs={"pk": partnership_pk})
