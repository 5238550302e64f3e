"""Reads of the weekly health snapshots, scoped through the partnership workspace (strangers get 404)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from mitra.core.errors import NotFound
from mitra.core.tenancy import Actor
from mitra.health.models import HealthSnapshot
from mitra.partnerships.workspace import shared_partnership


def health_latest(actor: Actor, partnership_id: int) -> HealthSnapshot:
    """The partnership's latest snapshot; NotFound for strangers and before the first snapshot."""
    partnership = shared_partnership(actor, partnership_id)
    snapshot = HealthSnapshot.objects.filter(partnership=partnership).order_by("-week").first()
    if snapshot is None:
        raise NotFound(_("No health score has been computed for this partnership yet."))
    return snapshot


def health_history(actor: Actor, partnership_id: int, weeks: int = 26) -> QuerySet[HealthSnapshot]:
    """The last ``weeks`` snapshots of the partnership, oldest first."""
    partnership = shared_partnership(actor, partnership_id)
    latest = HealthSnapshot.objects.filter(partnership=partnership).order_by("-week")[:weeks]
    return HealthSnapshot.objects.filter(pk__in=list(latest.values_list("pk", flat=True))).order_by("week")
