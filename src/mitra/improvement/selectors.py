"""Reads of initiatives and their measurements, scoped to what the actor may see.

Progress is computed in the database for a whole list at once: the latest measurement per initiative comes
from a subquery, and the share of the way from baseline to target is clamped to 0…100 %.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import (
    Avg,
    Case,
    Count,
    F,
    FloatField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _

from mitra.cases.models import RECURRING_AT, CaseRootCause
from mitra.cases.models import Case as CaseRecord
from mitra.core.errors import NotFound
from mitra.core.tenancy import Actor, restrict, restriction_q
from mitra.improvement.models import Initiative, InitiativeStatus, Measurement
from mitra.partnerships.models import Partnership
from mitra.partnerships.workspace import shared_partnership


def with_progress(queryset: QuerySet[Initiative]) -> QuerySet[Initiative]:
    """Annotate ``latest_value``, ``latest_on`` and ``progress`` (0…100, None without measurements)."""
    latest = Measurement.objects.filter(initiative=OuterRef("pk")).order_by("-measured_on", "-id")
    raw = (
        (Cast(F("latest_value"), FloatField()) - Cast(F("baseline"), FloatField()))
        * Value(100.0)
        / (Cast(F("target"), FloatField()) - Cast(F("baseline"), FloatField()))
    )
    return queryset.annotate(
        latest_value=Subquery(latest.values("value")[:1]),
        latest_on=Subquery(latest.values("measured_on")[:1]),
    ).annotate(
        progress_raw=Case(
            When(latest_value__isnull=True, then=Value(None, output_field=FloatField())),
            default=raw,
            output_field=FloatField(),
        ),
        progress=Case(
            When(progress_raw__isnull=True, then=Value(None, output_field=FloatField())),
            When(progress_raw__lt=0, then=Value(0.0)),
            When(progress_raw__gt=100, then=Value(100.0)),
            default=F("progress_raw"),
            output_field=FloatField(),
        ),
    )


def _visible_cases(actor: Actor) -> QuerySet[CaseRecord]:
    return restrict(CaseRecord.objects.all(), actor)


def _base(actor: Actor) -> QuerySet[Initiative]:
    return with_progress(
        restrict(Initiative.objects.all(), actor)
        .select_related("supplier_owner__user", "customer_owner__user", "partnership")
        .prefetch_related(
            Prefetch(
                "source_cases",
                queryset=_visible_cases(actor).only("id", "title", "partnership_id").order_by("id"),
            )
        )
    )


def initiative_list(
    actor: Actor, partnership_id: int, *, stage: str | None = None, status: str | None = None
) -> QuerySet[Initiative]:
    """The partnership's initiatives the actor may see, newest first, with their progress."""
    partnership = shared_partnership(actor, partnership_id)
    queryset = _base(actor).filter(partnership=partnership)
    if stage:
        queryset = queryset.filter(stage=stage)
    if status:
        queryset = queryset.filter(status=status)
    return queryset


def initiative_get(actor: Actor, partnership_id: int, initiative_id: int) -> Initiative:
    partnership = shared_partnership(actor, partnership_id)
    initiative = _base(actor).filter(partnership=partnership, pk=initiative_id).first()
    if initiative is None:
        raise NotFound(_("Initiative not found."))
    return initiative


def measurement_list(actor: Actor, partnership_id: int, initiative_id: int) -> QuerySet[Measurement]:
    """An initiative's measurements, oldest first (the order a chart draws them)."""
    return measurements_of(initiative_get(actor, partnership_id, initiative_id))


def measurements_of(initiative: Initiative) -> QuerySet[Measurement]:
    """The measurements of an initiative already read through ``initiative_get``, oldest first."""
    return (
        Measurement.objects.filter(initiative=initiative)
        .select_related("recorded_by")
        .order_by("measured_on", "id")
    )


# --- starting from recurring cases ----------------------------------------------------------------------


def case_choices(actor: Actor, partnership: Partnership) -> QuerySet[CaseRecord]:
    """The partnership's cases the actor may see, to start an initiative from."""
    return _visible_cases(actor).filter(partnership=partnership).order_by("-id")


def root_cause_cases(actor: Actor, partnership: Partnership, category: str) -> list[int]:
    """Ids of the visible cases of one root-cause category (for ``?from_root_cause=``)."""
    if not category:
        return []
    return list(case_choices(actor, partnership).filter(root_cause=category).values_list("pk", flat=True))


@dataclass(frozen=True)
class RootCause:
    category: str
    label: str
    cases: int
    open_initiatives: int


def recurring_root_causes(
    actor: Actor, partnership: Partnership, minimum: int = RECURRING_AT
) -> list[RootCause]:
    """Recurring root causes as the cases page counts them (at least ``minimum`` visible cases raised in the
    last 12 months), most frequent first, with how many active initiatives the actor may see already
    started from such cases."""
    since = timezone.now() - dt.timedelta(days=365)
    rows = (
        case_choices(actor, partnership)
        .filter(created_at__gte=since)
        .exclude(root_cause="")
        .order_by()
        .values("root_cause")
        .annotate(
            n=Count("pk", distinct=True),
            # Only initiatives the actor may see: one restricted to another department is not counted.
            started=Count(
                "initiatives",
                filter=Q(initiatives__status=InitiativeStatus.ACTIVE)
                & restriction_q(actor, prefix="initiatives__"),
                distinct=True,
            ),
        )
        .filter(n__gte=minimum)
        .order_by("-n", "root_cause")
    )
    return [
        RootCause(
            category=row["root_cause"],
            label=root_cause_label(row["root_cause"]),
            cases=row["n"],
            open_initiatives=row["started"],
        )
        for row in rows[:10]
    ]


def root_cause_label(category: str) -> str:
    """The display name of a root-cause category (the value itself when it is not a known category)."""
    return str(dict(CaseRootCause.choices).get(category, category))


# --- the partnership overview card ----------------------------------------------------------------------


@dataclass(frozen=True)
class Summary:
    active: int
    completed: int
    average_progress: float | None


def improvement_summary(actor: Actor, partnership: Partnership) -> Summary:
    """Active and completed initiatives and the average progress of the active ones, in one query."""
    active = Q(status=InitiativeStatus.ACTIVE)
    row = with_progress(restrict(Initiative.objects.all(), actor).filter(partnership=partnership)).aggregate(
        active=Count("pk", filter=active),
        completed=Count("pk", filter=Q(status=InitiativeStatus.COMPLETED)),
        average=Avg("progress", filter=active),
    )
    return Summary(
        active=row["active"],
        completed=row["completed"],
        average_progress=row["average"],
    )
