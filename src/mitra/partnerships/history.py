"""The partnership's activity: every recorded change to the partnership and its bridges, with who and what.

Reads django-simple-history's tables through the same tenancy scoping as the live records, so a bridge
restricted to another department is left out of the history too.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from mitra.accounts.models import Membership
from mitra.core.tenancy import Actor, restrict
from mitra.partnerships.models import Bridge, Partnership, Status, Tier
from mitra.partnerships.selectors import partnership_get

# A context, because "created" is also a field's name; here it is a verb: "Budi changed the bridge …".
ACTIONS = {
    "+": pgettext_lazy("activity", "created"),
    "~": pgettext_lazy("activity", "changed"),
    "-": pgettext_lazy("activity", "deleted"),
}

PARTNERSHIP_FIELDS: dict[str, Any] = {
    "status": gettext_lazy("status"),
    "tier": gettext_lazy("tier"),
    "start_date": gettext_lazy("start date"),
    "goals": gettext_lazy("shared goals"),
    "review_cadence_days": gettext_lazy("review cadence (days)"),
    "status_reason": gettext_lazy("reason"),
}
BRIDGE_FIELDS: dict[str, Any] = {
    "supplier_owner_id": gettext_lazy("supplier owner"),
    "customer_owner_id": gettext_lazy("customer owner"),
    "cadence_days": gettext_lazy("cadence (days)"),
    "note": gettext_lazy("note"),
    "restricted_department_id": gettext_lazy("restricted to"),
}


@dataclass(frozen=True)
class FieldChange:
    field: str
    label: str
    old: str
    new: str


@dataclass(frozen=True)
class Change:
    """One recorded change: to the partnership itself or to one of its bridges."""

    when: dt.datetime
    who: str
    record: str  # "partnership" or "bridge"
    record_id: int
    action: str  # "+", "~" or "-"
    subject: str
    fields: list[FieldChange] = field(default_factory=list)

    @property
    def action_label(self) -> str:
        return str(ACTIONS[self.action])


def partnership_history(actor: Actor, partnership_id: int, *, limit: int = 50) -> list[Change]:
    """The latest ``limit`` changes, newest first. Three queries, whatever the length of the history."""
    partnership = partnership_get(actor, partnership_id)
    partnership_rows = list(
        Partnership.history.filter(id=partnership.pk)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    live = Bridge.objects.filter(partnership_id=partnership.pk)
    hidden_now = live.exclude(pk__in=restrict(live, actor).values("pk")).values("pk")
    bridge_rows = list(
        # A restriction applies to the bridge's whole history, including versions from before it was set.
        restrict(Bridge.history.filter(partnership_id=partnership.pk), actor)
        .exclude(id__in=hidden_now)
        .select_related("history_user", "supplier_department", "customer_department", "restricted_department")
        .order_by("history_date", "history_id")
    )
    owner_ids = {r.supplier_owner_id for r in bridge_rows} | {r.customer_owner_id for r in bridge_rows}
    owners = {
        m.pk: str(m.user) for m in Membership.objects.filter(pk__in=owner_ids - {None}).select_related("user")
    }
    departments = {
        r.restricted_department_id: str(r.restricted_department)
        for r in bridge_rows
        if r.restricted_department_id
    }

    def show(name: str, value: Any) -> str:
        if value in (None, ""):
            return "—"
        if name == "status":
            return str(Status(value).label)
        if name == "tier":
            return str(Tier(value).label)
        if name in ("supplier_owner_id", "customer_owner_id"):
            return owners.get(value, f"#{value}")
        if name == "restricted_department_id":
            return departments.get(value, f"#{value}")
        return str(value)

    changes = [
        *_diff(partnership_rows, "partnership", PARTNERSHIP_FIELDS, show, lambda r: str(partnership)),
        *_diff(
            bridge_rows,
            "bridge",
            BRIDGE_FIELDS,
            show,
            lambda r: f"{r.supplier_department} ↔ {r.customer_department}",
        ),
    ]
    changes.sort(key=lambda c: c.when, reverse=True)
    return changes[:limit]


def _diff(
    rows: Iterable[Any],
    record: str,
    fields: dict[str, Any],
    show: Callable[[str, Any], str],
    subject: Callable[[Any], str],
) -> list[Change]:
    """Compare each historical version with the previous version of the same record."""
    previous: dict[int, Any] = {}
    changes = []
    for row in rows:
        before = previous.get(row.id)
        diffs = [
            FieldChange(name, str(label), show(name, getattr(before, name)), show(name, getattr(row, name)))
            for name, label in fields.items()
            if before is not None and getattr(before, name) != getattr(row, name)
        ]
        previous[row.id] = row
        if row.history_type == "~" and not diffs:
            continue  # a save that changed nothing the partners care about (e.g. only the version)
        changes.append(
            Change(
                when=row.history_date,
                who=str(row.history_user) if row.history_user else _("Mitra"),
                record=record,
                record_id=row.id,
                action=row.history_type,
                subject=subject(row),
                fields=diffs,
            )
        )
    return changes
