"""Sentences for the health alerts and the titles of the commitments their playbooks suggest.

The engine speaks in stable codes (an alert's ``reason``, a suggestion's ``title_key``); these turn them
into text in the reader's language when it is shown, so both sides read the same alert each in theirs.
"""

from __future__ import annotations

from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from mitra.health.engine import alerts as rules
from mitra.health.labels import DIMENSION_LABELS, SIDE_LABELS

TYPE_LABELS: dict[str, Promise] = {
    rules.DIMENSION_RED: gettext_lazy("Dimension in red"),
    rules.SCORE_DROP: gettext_lazy("Sharp drop"),
    rules.SINGLE_THREADED: gettext_lazy("Single-threaded"),
    rules.OWNER_LEFT: gettext_lazy("Owner left"),
    rules.VALUE_UNCONFIRMED: gettext_lazy("Value unconfirmed"),
    rules.COMMITMENTS_OVERDUE: gettext_lazy("Overdue commitments"),
}

PLAYBOOK_TITLES: dict[str, Promise] = {
    "review_open_commitments": gettext_lazy("Review every open commitment with the partner"),
    "agree_acknowledgement_routine": gettext_lazy("Agree a routine to acknowledge delivered commitments"),
    "review_open_cases_with_customer": gettext_lazy("Review the open cases with the customer"),
    "confirm_or_dispute_resolved_cases": gettext_lazy("Confirm or dispute the resolved cases"),
    "start_initiative_on_top_root_cause": gettext_lazy(
        "Start an improvement initiative on the top recurring root cause"
    ),
    "review_negative_touchpoints": gettext_lazy("Review the negative moments of truth and answer each"),
    "send_satisfaction_survey": gettext_lazy("Send a satisfaction survey after the next deliveries"),
    "record_value_for_customer": gettext_lazy("Record the value delivered to the customer"),
    "record_value_for_supplier": gettext_lazy("Record the value the partnership brings the supplier"),
    "open_second_bridge": gettext_lazy("Open a second bridge between departments"),
    "name_bridge_counterpart": gettext_lazy("Name a counterpart for the new bridge"),
    "joint_risk_review": gettext_lazy("Hold a joint risk review and agree responses"),
    "executive_business_review": gettext_lazy("Hold an executive business review"),
    "health_review_meeting": gettext_lazy("Meet to review the partnership's health"),
    "share_top_concerns": gettext_lazy("Share your top three concerns with the partner"),
    "reassign_owned_records": gettext_lazy("Reassign the bridges and commitments of the person who left"),
    "introduce_new_owner": gettext_lazy("Introduce the new owner to the partner"),
    "confirm_or_dispute_value_entries": gettext_lazy("Confirm or dispute the value entries waiting"),
    "replan_overdue_commitments": gettext_lazy("Re-plan the overdue commitments with new dates"),
}


def playbook_title(key: str) -> str:
    return str(PLAYBOOK_TITLES.get(key, key))


def alert_message(alert: Any) -> str:
    """What the alert says, from its reason and parameters (``type``, ``dimension``, ``side``, ``value``)."""
    value = alert.value
    count = int(value) if value is not None else 0
    side = str(SIDE_LABELS.get(alert.side, alert.side)).lower()
    if alert.type == rules.DIMENSION_RED:
        return _("%(dimension)s is in red at %(score).0f.") % {
            "dimension": DIMENSION_LABELS.get(alert.dimension, alert.dimension),
            "score": value or 0.0,
        }
    if alert.type == rules.SCORE_DROP:
        return _("The health score fell %(points).0f points within two weeks.") % {"points": value or 0.0}
    if alert.type == rules.SINGLE_THREADED:
        return _("The whole partnership hangs on a single bridge between one person on each side.")
    if alert.type == rules.OWNER_LEFT:
        return ngettext(
            "%(count)d person who left the %(side)s still owns bridges or commitments.",
            "%(count)d people who left the %(side)s still own bridges or commitments.",
            count,
        ) % {"count": count, "side": side}
    if alert.type == rules.VALUE_UNCONFIRMED:
        return ngettext(
            "%(count)d value entry has waited more than 30 days for confirmation.",
            "%(count)d value entries have waited more than 30 days for confirmation.",
            count,
        ) % {"count": count}
    if alert.type == rules.COMMITMENTS_OVERDUE:
        return ngettext(
            "The %(side)s has %(count)d overdue commitment.",
            "The %(side)s has %(count)d overdue commitments.",
            count,
        ) % {"count": count, "side": side}
    return str(alert.reason)
