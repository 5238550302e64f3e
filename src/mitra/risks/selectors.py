"""Reads of the risk register: the list, one risk, the heat map and the register's readiness.

Every read is scoped with ``restrict`` (the actor's partnerships and department restriction) and is
set-based: counts come from ``annotate``/``aggregate``, never from a loop over rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Case, Count, F, Q, QuerySet, When
from django.utils.translation import gettext as _

from mitra.accounts.models import Membership
from mitra.core.errors import NotFound
from mitra.core.tenancy import Actor, restrict, restriction_q
from mitra.partnerships.models import Partnership
from mitra.partnerships.workspace import shared_partnership
from mitra.risks.models import HIGH_SCORE, SCALE, Risk, RiskStatus, level_of

ACTIVE = Q(status__in=(RiskStatus.OPEN, RiskStatus.WATCHING, RiskStatus.OCCURRED))


def _risks(actor: Actor, partnership_id: int) -> QuerySet[Risk]:
    return restrict(Risk.objects.all(), actor).filter(partnership_id=partnership_id)


def _annotated(actor: Actor, queryset: QuerySet[Risk]) -> QuerySet[Risk]:
    return queryset.select_related("owner__user", "owner__organisation").annotate(
        risk_score=F("likelihood") * F("impact"),
        # Cases the actor may see that record this risk foresaw them.
        case_count=Count(
            "cases",
            filter=Q(cases__partnership_id=F("partnership_id")) & restriction_q(actor, prefix="cases__"),
            distinct=True,
        ),
    )


def risk_list(
    actor: Actor, partnership_id: int, *, status: str | None = None, min_score: int | None = None
) -> QuerySet[Risk]:
    """The partnership's risks, highest score first, with their score and how many cases they foresaw."""
    shared_partnership(actor, partnership_id)
    risks = _annotated(actor, _risks(actor, partnership_id))
    if status:
        risks = risks.filter(status=status)
    if min_score:
        risks = risks.filter(risk_score__gte=min_score)  # type: ignore[misc]
    return risks.order_by("-risk_score", "-created_at", "-id")


def risk_get(actor: Actor, partnership_id: int, risk_id: int) -> Risk:
    shared_partnership(actor, partnership_id)
    risk = _annotated(actor, _risks(actor, partnership_id)).filter(pk=risk_id).first()
    if risk is None:
        raise NotFound(_("Risk not found."))
    return risk


def anticipated_cases(actor: Actor, risk: Risk) -> QuerySet[Any]:
    """The cases (that the actor may see) that recorded this risk foresaw them, newest first."""
    from mitra.cases.models import Case as CaseRecord

    return (
        restrict(CaseRecord.objects.all(), actor)
        .filter(anticipated_by=risk, partnership_id=risk.partnership_id)
        .order_by("-created_at", "-id")
    )


@dataclass(frozen=True)
class HeatCell:
    likelihood: int
    impact: int
    count: int

    @property
    def level(self) -> str:
        return level_of(self.likelihood * self.impact)


@dataclass(frozen=True)
class HeatMap:
    """Counts of active (not closed) risks by likelihood × impact; ``rows`` from impact 5 down to 1."""

    rows: list[tuple[int, list[HeatCell]]]
    total: int

    def count(self, likelihood: int, impact: int) -> int:
        for row_impact, cells in self.rows:
            if row_impact == impact:
                return cells[likelihood - 1].count
        return 0


def heat_map(actor: Actor, partnership_id: int) -> HeatMap:
    """The register as a 5×5 matrix of active risks: one grouped query."""
    counts = {
        (row["likelihood"], row["impact"]): row["n"]
        for row in _risks(actor, partnership_id)
        .filter(ACTIVE)
        .order_by()
        .values("likelihood", "impact")
        .annotate(n=Count("id"))
    }
    rows = [
        (impact, [HeatCell(likelihood, impact, counts.get((likelihood, impact), 0)) for likelihood in SCALE])
        for impact in reversed(SCALE)
    ]
    return HeatMap(rows=rows, total=sum(counts.values()))


@dataclass(frozen=True)
class RiskStats:
    total: int
    active: int
    open: int
    high: int
    response_ready: int

    @property
    def response_ready_share(self) -> float | None:
        """The share of active risks that have a pre-agreed response (None when there are none)."""
        return self.response_ready / self.active if self.active else None

    @property
    def response_ready_percent(self) -> int | None:
        share = self.response_ready_share
        return None if share is None else round(share * 100)


def risk_stats(actor: Actor, partnership_id: int) -> RiskStats:
    """How ready the register is, in one aggregate: active and open risks, high scores, responses ready."""
    has_response = ~Q(response="")
    totals = (
        _risks(actor, partnership_id)
        .annotate(risk_score=F("likelihood") * F("impact"))
        .aggregate(
            total=Count("id"),
            active=Count("id", filter=ACTIVE),
            open=Count("id", filter=Q(status__in=(RiskStatus.OPEN, RiskStatus.WATCHING))),
            high=Count("id", filter=ACTIVE & Q(risk_score__gte=HIGH_SCORE)),
            response_ready=Count("id", filter=ACTIVE & has_response),
        )
    )
    return RiskStats(**totals)


def anticipated_share(actor: Actor, partnership_id: int) -> tuple[int, int]:
    """(cases a risk foresaw, all cases) of the partnership that the actor may see, in one aggregate."""
    from mitra.cases.models import Case as CaseRecord

    totals = (
        restrict(CaseRecord.objects.all(), actor)
        .filter(partnership_id=partnership_id)
        .aggregate(foreseen=Count("id", filter=Q(anticipated_by__isnull=False)), total=Count("id"))
    )
    return totals["foreseen"], totals["total"]


def owner_choices(partnership: Partnership) -> QuerySet[Membership]:
    """Active members of both sides, to choose a risk's owner from (supplier's people first)."""
    return (
        Membership.objects.filter(
            organisation_id__in=(partnership.supplier_id, partnership.customer_id), is_active=True
        )
        .select_related("user", "organisation")
        .order_by(
            Case(When(organisation_id=partnership.supplier_id, then=0), default=1), "user__full_name", "id"
        )
    )


def risk_choices(actor: Actor, partnership_id: int) -> QuerySet[Risk]:
    """The risks a case can record it was anticipated by: those of the partnership the actor may see,
    not closed ones first (for a select)."""
    return (
        _risks(actor, partnership_id)
        .annotate(closed_last=Case(When(status=RiskStatus.CLOSED, then=1), default=0))
        .order_by("closed_last", "title", "id")
    )
