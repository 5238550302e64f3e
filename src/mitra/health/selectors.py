"""Reads of the Health Index, scoped through the partnership workspace (strangers get 404).

Both sides read the same snapshots, settings and alerts; nothing here depends on the reader's side
except ``can_agree`` (whether this reader may agree to the pending proposal).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import (
    Case,
    CharField,
    Count,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from mitra.accounts.models import Organisation
from mitra.core.errors import Invalid, NotFound
from mitra.core.tenancy import Actor
from mitra.health.engine import DIMENSIONS
from mitra.health.models import (
    ACTIVE_ALERT_STATUSES,
    AlertStatus,
    HealthAlert,
    HealthSettings,
    HealthSnapshot,
)
from mitra.health.services import Suggested, suggested_commitments
from mitra.partnerships.models import SHARED_STATUSES, Partnership
from mitra.partnerships.workspace import shared_partnership, side_of

SPARKLINE_WEEKS = 12


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


# --- weights and bands -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class HealthSettingsView:
    """The agreed weights (fractions summing to 1) and bands, and the pending proposal, if any."""

    partnership_id: int
    weights: dict[str, float]
    red_below: float
    green_from: float
    is_default: bool
    agreed_at: dt.datetime | None
    agreed_by: Any
    proposed_weights: dict[str, float] | None
    proposed_red_below: float | None
    proposed_green_from: float | None
    proposed_by_side: str
    proposed_by: Any
    proposed_at: dt.datetime | None
    proposal_note: str
    version: int
    can_agree: bool  # the reader's side may agree to (or decline) the pending proposal

    @property
    def has_proposal(self) -> bool:
        return self.proposed_weights is not None


def health_settings(actor: Actor, partnership_id: int) -> HealthSettingsView:
    partnership = shared_partnership(actor, partnership_id)
    row = (
        HealthSettings.objects.select_related("agreed_by", "proposed_by")
        .filter(partnership=partnership)
        .first()
    )
    if row is None:
        row = HealthSettings(partnership=partnership)
    total = sum(float(v) for v in row.weights.values()) or 1.0
    mine = side_of(actor, partnership)
    return HealthSettingsView(
        partnership_id=partnership.pk,
        weights={d: float(row.weights.get(d, 0.0)) / total for d in DIMENSIONS},
        red_below=row.red_below,
        green_from=row.green_from,
        is_default=row.agreed_at is None,
        agreed_at=row.agreed_at,
        agreed_by=row.agreed_by,
        proposed_weights=row.proposed_weights,
        proposed_red_below=row.proposed_red_below,
        proposed_green_from=row.proposed_green_from,
        proposed_by_side=row.proposed_by_side,
        proposed_by=row.proposed_by,
        proposed_at=row.proposed_at,
        proposal_note=row.proposal_note,
        version=row.version,
        can_agree=row.has_proposal and row.proposed_by_side != mine and actor.can_write,
    )


# --- alerts ----------------------------------------------------------------------------------------------

PRIORITY_RANK = Case(
    When(priority="high", then=Value(0)),
    When(priority="medium", then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)


def alert_list(actor: Actor, partnership_id: int, *, status: str | None = "active") -> QuerySet[HealthAlert]:
    """The partnership's alerts: ``active`` (open or acknowledged; the default), ``closed`` or ``all``
    (None), the most urgent first."""
    partnership = shared_partnership(actor, partnership_id)
    alerts = HealthAlert.objects.filter(partnership=partnership).select_related(
        "acknowledged_by", "adopted_by"
    )
    if status in (None, "all"):
        pass
    elif status == "active":
        alerts = alerts.filter(status__in=ACTIVE_ALERT_STATUSES)
    elif status == "closed":
        alerts = alerts.filter(status=AlertStatus.CLOSED)
    else:
        raise Invalid({"status": [_("Choose active, closed or all.")]})
    return alerts.annotate(priority_rank=PRIORITY_RANK).order_by(
        Case(When(status=AlertStatus.CLOSED, then=Value(1)), default=Value(0)),
        "priority_rank",
        "-opened_at",
        "-pk",
    )


def alert_get(actor: Actor, partnership_id: int, alert_id: int) -> HealthAlert:
    alert = alert_list(actor, partnership_id, status=None).filter(pk=alert_id).first()
    if alert is None:
        raise NotFound(_("Alert not found."))
    return alert


def alert_suggestions(alert: HealthAlert, actor: Actor) -> list[Suggested]:
    """What adopting the alert's playbook would create (titles, owner sides, due dates, default owners)."""
    return suggested_commitments(alert, actor)


# --- the portfolio ---------------------------------------------------------------------------------------

PORTFOLIO_SORTS = ("partner", "score", "delta_1w", "delta_4w", "alerts", "band")


@dataclass
class PortfolioRow:
    partnership: Partnership
    partner: Organisation
    side: str
    week: dt.date | None
    score: float | None
    band: str
    delta_1w: float | None
    delta_4w: float | None
    top_driver: dict[str, Any] | None
    open_alerts: int
    top_priority: str | None
    sparkline: list[tuple[dt.date, float | None]] = field(default_factory=list)


def portfolio_queryset(
    actor: Actor, *, sort: str = "score", descending: bool = False
) -> QuerySet[Partnership]:
    """Every partnership of the actor's organisation that has a workspace, with its latest score,
    trend and active alerts annotated, sorted in SQL (partnerships without a score last)."""
    if sort not in PORTFOLIO_SORTS:
        raise Invalid({"sort": [_("Sort by one of: %(keys)s.") % {"keys": ", ".join(PORTFOLIO_SORTS)}]})
    org = actor.organisation_id
    latest = HealthSnapshot.objects.filter(partnership=OuterRef("pk")).order_by("-week")
    active = HealthAlert.objects.filter(partnership=OuterRef("pk"), status__in=ACTIVE_ALERT_STATUSES)
    qs = (
        Partnership.objects.visible_to(actor)
        .filter(status__in=SHARED_STATUSES)
        .select_related("supplier", "customer")
        .annotate(
            partner_name=Case(
                When(supplier_id=org, then=F("customer__name")),
                default=F("supplier__name"),
                output_field=CharField(),
            ),
            latest_id=Subquery(latest.values("pk")[:1]),
            latest_week=Subquery(latest.values("week")[:1]),
            latest_score=Subquery(latest.values("score")[:1], output_field=FloatField()),
            latest_band=Subquery(latest.values("band")[:1], output_field=CharField()),
            latest_d1=Subquery(latest.values("delta_1w")[:1], output_field=FloatField()),
            latest_d4=Subquery(latest.values("delta_4w")[:1], output_field=FloatField()),
            open_alerts=Coalesce(
                Subquery(
                    active.order_by().values("partnership").annotate(n=Count("pk")).values("n")[:1],
                    output_field=IntegerField(),
                ),
                0,
            ),
            top_rank=Subquery(
                active.annotate(r=PRIORITY_RANK).order_by("r").values("r")[:1], output_field=IntegerField()
            ),
        )
    )
    column = {
        "partner": F("partner_name"),
        "score": F("latest_score"),
        "delta_1w": F("latest_d1"),
        "delta_4w": F("latest_d4"),
        "alerts": F("open_alerts"),
        "band": F("latest_score"),
    }[sort]
    ordered = column.desc(nulls_last=True) if descending else column.asc(nulls_last=True)
    return qs.order_by(ordered, "partner_name", "pk")


def portfolio_has_scores(actor: Actor) -> bool:
    """Whether any partnership of the portfolio has a score yet (on any page)."""
    return HealthSnapshot.objects.filter(
        partnership__in=Partnership.objects.visible_to(actor).filter(status__in=SHARED_STATUSES),
        score__isnull=False,
    ).exists()


def portfolio_rows(actor: Actor, partnerships: list[Partnership]) -> list[PortfolioRow]:
    """The rows of a page of ``portfolio_queryset``: two more queries (latest snapshots' drivers and the
    12-week sparklines), whatever the number of partnerships."""
    ids = [p.pk for p in partnerships]
    latest_ids = [p.latest_id for p in partnerships if p.latest_id]  # type: ignore[attr-defined]
    drivers = dict(HealthSnapshot.objects.filter(pk__in=latest_ids).values_list("partnership_id", "drivers"))
    today = timezone.localdate()
    this_week = today - dt.timedelta(days=today.weekday())
    first = this_week - dt.timedelta(weeks=SPARKLINE_WEEKS - 1)
    weeks = [first + dt.timedelta(weeks=i) for i in range(SPARKLINE_WEEKS)]
    scores: dict[tuple[int, dt.date], float | None] = {
        (pid, week): score
        for pid, week, score in HealthSnapshot.objects.filter(
            partnership_id__in=ids, week__gte=first, week__lte=this_week
        ).values_list("partnership_id", "week", "score")
    }
    rank_to_priority = {0: "high", 1: "medium", 2: "low"}
    rows = []
    for p in partnerships:
        org = actor.organisation_id
        listed = drivers.get(p.pk) or []
        rows.append(
            PortfolioRow(
                partnership=p,
                partner=p.customer if p.supplier_id == org else p.supplier,
                side="supplier" if p.supplier_id == org else "customer",
                week=p.latest_week,  # type: ignore[attr-defined]
                score=p.latest_score,  # type: ignore[attr-defined]
                band=p.latest_band or "no_data",  # type: ignore[attr-defined]
                delta_1w=p.latest_d1,  # type: ignore[attr-defined]
                delta_4w=p.latest_d4,  # type: ignore[attr-defined]
                top_driver=listed[0] if listed else None,
                open_alerts=p.open_alerts,  # type: ignore[attr-defined]
                top_priority=rank_to_priority.get(p.top_rank),  # type: ignore[attr-defined]
                sparkline=[(w, scores.get((p.pk, w))) for w in weeks],
            )
        )
    return rows
