"""Reads on commitments, scoped through ``mitra.core.tenancy``, and each side's reliability."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils.translation import gettext as _

from mitra.commitments.models import SETTLED_STATUSES, Commitment, CommitmentStatus
from mitra.commitments.services import site_today
from mitra.core.errors import NotFound
from mitra.core.tenancy import Actor, restrict
from mitra.partnerships.models import Bridge, Partnership, Side
from mitra.partnerships.workspace import shared_partnership


def _with_overdue(queryset: QuerySet[Commitment]) -> QuerySet[Commitment]:
    today = site_today()
    return queryset.annotate(
        is_overdue=ExpressionWrapper(
            Q(status=CommitmentStatus.OPEN, due_date__lt=today), output_field=BooleanField()
        )
    )


def _detailed(queryset: QuerySet[Commitment], actor: Actor) -> QuerySet[Commitment]:
    """With what the pages and the API show. ``bridge_visible``: whether the actor may see the linked bridge
    (one restricted after the commitment was linked to it is not named to those outside its department)."""
    bridge_visible = Exists(restrict(Bridge.objects.filter(pk=OuterRef("bridge_id")), actor))
    return _with_overdue(
        queryset.annotate(bridge_visible=bridge_visible).select_related(
            "owner__user",
            "bridge__supplier_department",
            "bridge__customer_department",
            "done_by",
            "acknowledged_by",
            "created_by",
            "restricted_department",
        )
    )


def commitment_list(
    actor: Actor,
    partnership_id: int,
    *,
    status: str | None = None,
    owner_side: str | None = None,
    overdue: bool | None = None,
) -> QuerySet[Commitment]:
    """The partnership's commitments the actor may see: open ones first (soonest due first), then the rest
    (latest due first)."""
    shared_partnership(actor, partnership_id)
    commitments = restrict(Commitment.objects.filter(partnership_id=partnership_id), actor)
    if status:
        commitments = commitments.filter(status=status)
    if owner_side:
        commitments = commitments.filter(owner_side=owner_side)
    if overdue is not None:
        late = Q(status=CommitmentStatus.OPEN, due_date__lt=site_today())
        commitments = commitments.filter(late) if overdue else commitments.exclude(late)
    is_open = Q(status=CommitmentStatus.OPEN)
    return _detailed(commitments, actor).order_by(
        Case(When(is_open, then=Value(0)), default=Value(1)),
        Case(When(is_open, then=F("due_date"))).asc(nulls_last=True),
        "-due_date",
        "-id",
    )


def commitment_get(actor: Actor, partnership_id: int, commitment_id: int) -> Commitment:
    """One commitment of that partnership that the actor may see; anything else is not found."""
    commitment = (
        _detailed(
            restrict(Commitment.objects.filter(pk=commitment_id, partnership_id=partnership_id), actor), actor
        )
        .select_related("partnership__supplier", "partnership__customer")
        .first()
    )
    if commitment is None:
        owners = (
            Commitment.objects.filter(pk=commitment_id)
            .values_list("partnership__supplier_id", "partnership__customer_id")
            .first()
        )
        raise NotFound(_("Commitment not found."), denied=owners is not None, owners=owners or ())
    return commitment


@dataclass(frozen=True)
class Reliability:
    """How one side of a partnership keeps its promises."""

    side: str
    total: int  # every commitment of the side except cancelled ones
    settled: int  # done, acknowledged or missed
    kept_on_time: int  # done (or acknowledged) on or before the due date
    late: int  # done after the due date
    acknowledged: int
    missed: int
    proactive: int
    open: int
    overdue: int

    @property
    def reliability(self) -> int | None:
        """Kept on time / settled, in percent; None before anything is settled."""
        return round(100 * self.kept_on_time / self.settled) if self.settled else None

    @property
    def acknowledged_share(self) -> int | None:
        delivered = self.kept_on_time + self.late
        return round(100 * self.acknowledged / delivered) if delivered else None

    @property
    def proactive_share(self) -> int | None:
        return round(100 * self.proactive / self.total) if self.total else None

    @property
    def label(self) -> str:
        return str(Side(self.side).label)


METRICS = (
    "total",
    "settled",
    "kept_on_time",
    "late",
    "acknowledged",
    "missed",
    "proactive",
    "open",
    "overdue",
)


def _metric_filters() -> dict[str, Q]:
    today = site_today()
    return {
        "total": ~Q(status=CommitmentStatus.CANCELLED),
        "settled": Q(status__in=SETTLED_STATUSES),
        "kept_on_time": Q(status__in=(CommitmentStatus.DONE, CommitmentStatus.ACKNOWLEDGED), on_time=True),
        "late": Q(status__in=(CommitmentStatus.DONE, CommitmentStatus.ACKNOWLEDGED), on_time=False),
        "acknowledged": Q(status=CommitmentStatus.ACKNOWLEDGED),
        "missed": Q(status=CommitmentStatus.MISSED),
        "proactive": Q(proactive=True) & ~Q(status=CommitmentStatus.CANCELLED),
        "open": Q(status=CommitmentStatus.OPEN),
        "overdue": Q(status=CommitmentStatus.OPEN, due_date__lt=today),
    }


def reliability_of(actor: Actor, partnership: Partnership) -> dict[str, Reliability]:
    """Each side's reliability in this partnership, in one aggregate query, over the commitments the actor
    may see. Keyed by side (``supplier``, ``customer``)."""
    filters = _metric_filters()
    aggregates = {
        f"{side}__{name}": Count("pk", filter=Q(owner_side=side) & condition)
        for side in (Side.SUPPLIER, Side.CUSTOMER)
        for name, condition in filters.items()
    }
    row = restrict(Commitment.objects.filter(partnership_id=partnership.pk), actor).aggregate(**aggregates)
    return {
        str(side): Reliability(side=str(side), **{name: row[f"{side}__{name}"] or 0 for name in METRICS})
        for side in (Side.SUPPLIER, Side.CUSTOMER)
    }


def commitment_reliability(actor: Actor, partnership_id: int) -> list[Reliability]:
    partnership = shared_partnership(actor, partnership_id)
    sides = reliability_of(actor, partnership)
    return [sides[Side.SUPPLIER], sides[Side.CUSTOMER]]


def upcoming(actor: Actor, partnership: Partnership, limit: int = 3) -> list[Commitment]:
    """The next open commitments due, soonest first (for the overview card)."""
    return list(
        _with_overdue(
            restrict(
                Commitment.objects.filter(partnership_id=partnership.pk, status=CommitmentStatus.OPEN), actor
            )
        )
        .select_related("owner__user")
        .order_by("due_date", "id")[:limit]
    )
