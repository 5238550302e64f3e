"""Reads of prepared reviews, and which partnerships have a charter review date coming up.

A prepared review is read only by members of the organisation it was prepared for (either side prepares
its own copy); anyone else gets ``NotFound``, like a stranger to the partnership.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from mitra.core.errors import NotFound
from mitra.core.tenancy import Actor
from mitra.partnerships.models import Partnership, Status
from mitra.partnerships.workspace import shared_partnership
from mitra.plans.models import JointPlan, PlanReview, next_review_date
from mitra.reviews.models import PreparedReview

DUE_WITHIN_DAYS = 7


def prepared_list(actor: Actor, partnership_id: int) -> QuerySet[PreparedReview]:
    """The reviews prepared for the actor's organisation in the partnership, newest review date first
    (without the PDF bytes)."""
    shared_partnership(actor, partnership_id)
    return (
        PreparedReview.objects.filter(partnership_id=partnership_id, organisation_id=actor.organisation_id)
        .defer("pdf")
        .order_by("-review_date", "-created_at", "-id")
    )


def prepared_get(actor: Actor, partnership_id: int, review_id: int) -> PreparedReview:
    """One prepared review of the actor's organisation, with its PDF; ``NotFound`` otherwise."""
    shared_partnership(actor, partnership_id)
    found = PreparedReview.objects.filter(
        pk=review_id, partnership_id=partnership_id, organisation_id=actor.organisation_id
    ).first()
    if found is None:
        raise NotFound(_("Prepared review not found."))
    return found


# --- the charter's review dates ---------------------------------------------------------------------------


def cadence_review_date(start: dt.date, cadence_days: int, today: dt.date) -> dt.date:
    """The first review date on or after ``today`` of a partnership reviewed every ``cadence_days`` from
    ``start`` (its first review comes one cadence after the start)."""
    elapsed = (today - start).days
    steps = max(1, math.ceil(elapsed / cadence_days))
    return start + dt.timedelta(days=steps * cadence_days)


@dataclass(frozen=True)
class DueReview:
    partnership: Partnership
    review_date: dt.date


def upcoming_review_date(partnership: Partnership, today: dt.date) -> dt.date:
    """The partnership's next review date, as the plans page shows it: this year's joint plan's next
    review (its last review, else 1 January, plus the charter's cadence); without a plan this year, the
    cadence counted from the partnership's start. Needs the ``has_plan`` and ``last_review`` annotations
    of ``due_reviews``."""
    cadence = partnership.review_cadence_days
    if getattr(partnership, "has_plan", False):
        return next_review_date(today.year, cadence, getattr(partnership, "last_review", None))
    start = partnership.start_date or timezone.localdate(partnership.created_at)
    return cadence_review_date(start, cadence, today)


def due_reviews(today: dt.date, within_days: int = DUE_WITHIN_DAYS) -> list[DueReview]:
    """Active partnerships whose next review date falls between ``today`` and ``within_days`` later (one
    query; the dates are computed from the annotated rows)."""
    year = today.year
    last_review = (
        PlanReview.objects.filter(plan__partnership_id=OuterRef("pk"), plan__year=year)
        .order_by("-held_on")
        .values("held_on")[:1]
    )
    rows = (
        Partnership.objects.filter(status=Status.ACTIVE)
        .annotate(
            has_plan=Exists(JointPlan.objects.filter(partnership_id=OuterRef("pk"), year=year)),
            last_review=Subquery(last_review),
        )
        .select_related("supplier", "customer")
        .order_by("pk")
    )
    horizon = today + dt.timedelta(days=within_days)
    due = []
    for partnership in rows:
        when = upcoming_review_date(partnership, today)
        if today <= when <= horizon:
            due.append(DueReview(partnership=partnership, review_date=when))
    return due
