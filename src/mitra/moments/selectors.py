"""Reads on moments of truth, scoped to what the actor may see. Statistics are grouped queries."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from mitra.accounts.models import Membership
from mitra.core.errors import NotFound
from mitra.core.tenancy import Actor, restrict
from mitra.moments.models import Kind, SurveyRequest, SurveyStatus, Touchpoint
from mitra.partnerships.models import Partnership
from mitra.partnerships.workspace import organisation_id_of, other_side, shared_partnership, side_of

PartnershipRef = Partnership | int


def _shared(actor: Actor, partnership: PartnershipRef) -> Partnership:
    """The partnership as given (already read through ``shared_partnership`` by the caller), or by id."""
    if isinstance(partnership, Partnership):
        return partnership
    return shared_partnership(actor, partnership)


def zone_of(actor: Actor) -> zoneinfo.ZoneInfo:
    """The time zone months are counted in: the actor's organisation's (as on its pages), else the site's.

    Taken from the actor, not from the request's active zone, so that the API (which the middleware does not
    put in the organisation's zone) and the pages put a delivery in the same month.
    """
    try:
        return zoneinfo.ZoneInfo(actor.organisation.time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, TypeError):
        return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def month_start(month: dt.date, zone: zoneinfo.ZoneInfo) -> dt.datetime:
    return dt.datetime(month.year, month.month, 1, tzinfo=zone)


def next_month_start(month: dt.date, zone: zoneinfo.ZoneInfo) -> dt.datetime:
    year, number = (month.year + 1, 1) if month.month == 12 else (month.year, month.month + 1)
    return dt.datetime(year, number, 1, tzinfo=zone)


def _percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


# --- touchpoints ----------------------------------------------------------------------------------------


def touchpoint_list(
    actor: Actor,
    partnership_id: PartnershipRef,
    *,
    kind: str | None = None,
    outcome: str | None = None,
    month: dt.date | None = None,
) -> QuerySet[Touchpoint]:
    """The partnership's touchpoints, newest first, with how many surveys each has and how many answered."""
    partnership = _shared(actor, partnership_id)
    touchpoints = (
        restrict(Touchpoint.objects.all(), actor)
        .filter(partnership=partnership)
        .select_related(
            "bridge__supplier_department",
            "bridge__customer_department",
            "recorded_by__user",
        )
        .annotate(
            survey_count=Count("surveys", distinct=True),
            answered_count=Count("surveys", filter=Q(surveys__answered_at__isnull=False), distinct=True),
        )
        .order_by("-occurred_at", "-id")
    )
    if kind:
        touchpoints = touchpoints.filter(kind=kind)
    if outcome:
        touchpoints = touchpoints.filter(outcome=outcome)
    if month:
        zone = zone_of(actor)
        touchpoints = touchpoints.filter(
            occurred_at__gte=month_start(month, zone), occurred_at__lt=next_month_start(month, zone)
        )
    return touchpoints


def touchpoint_get(actor: Actor, partnership_id: PartnershipRef, touchpoint_id: int) -> Touchpoint:
    touchpoint = touchpoint_list(actor, partnership_id).filter(pk=touchpoint_id).first()
    if touchpoint is None:
        raise NotFound(_("Moment of truth not found."))
    return touchpoint


# --- OTIF -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Otif:
    """Deliveries in a period, how many were on time, in full, and both."""

    month: dt.date | None
    deliveries: int
    on_time: int
    in_full: int
    otif: int

    @property
    def on_time_percent(self) -> float | None:
        return _percent(self.on_time, self.deliveries)

    @property
    def in_full_percent(self) -> float | None:
        return _percent(self.in_full, self.deliveries)

    @property
    def otif_percent(self) -> float | None:
        return _percent(self.otif, self.deliveries)


# Named apart from the model's own ``on_time``/``in_full`` fields, which the filters refer to.
OTIF_COUNTS = {
    "n_deliveries": Count("id"),
    "n_on_time": Count("id", filter=Q(on_time=True)),
    "n_in_full": Count("id", filter=Q(in_full=True)),
    "n_otif": Count("id", filter=Q(on_time=True, in_full=True)),
}


def _otif(month: dt.date | None, row: dict[str, int]) -> Otif:
    return Otif(
        month=month,
        deliveries=row["n_deliveries"],
        on_time=row["n_on_time"],
        in_full=row["n_in_full"],
        otif=row["n_otif"],
    )


def _deliveries(actor: Actor, partnership: Partnership, since: dt.datetime | None) -> QuerySet[Touchpoint]:
    deliveries = restrict(Touchpoint.objects.all(), actor).filter(partnership=partnership, kind=Kind.DELIVERY)
    if since is not None:
        deliveries = deliveries.filter(occurred_at__gte=since)
    return deliveries


def months_back(months: int, zone: zoneinfo.ZoneInfo) -> dt.datetime:
    """The start of the month ``months - 1`` months before this one (``months`` calendar months, this one included)."""
    today = timezone.localdate(timezone=zone)
    year, month = today.year, today.month - (months - 1)
    while month < 1:
        month += 12
        year -= 1
    return dt.datetime(year, month, 1, tzinfo=zone)


def otif_by_month(actor: Actor, partnership_id: PartnershipRef, *, months: int = 12) -> list[Otif]:
    """OTIF per calendar month (of when the delivery happened), oldest first, for the last ``months``."""
    partnership = _shared(actor, partnership_id)
    zone = zone_of(actor)
    rows = (
        _deliveries(actor, partnership, months_back(months, zone))
        .annotate(month=TruncMonth("occurred_at", tzinfo=zone))
        .order_by()
        .values("month")
        .annotate(**OTIF_COUNTS)
        .order_by("month")
    )
    return [_otif(_as_date(row["month"]), row) for row in rows]


def otif_total(actor: Actor, partnership_id: PartnershipRef, *, months: int | None = None) -> Otif:
    partnership = _shared(actor, partnership_id)
    since = months_back(months, zone_of(actor)) if months else None
    totals = _deliveries(actor, partnership, since).aggregate(**OTIF_COUNTS)
    return _otif(None, totals)


def _as_date(value: dt.date | dt.datetime) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


# --- payments -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Payments:
    """Invoices paid in a period (by the month of payment): how many by their due date, and how late the
    others were on average. ``overdue`` (the total only) counts unpaid invoices past their due date."""

    month: dt.date | None
    paid: int
    on_time: int
    late: int
    average_days_late: float | None
    overdue: int = 0

    @property
    def on_time_percent(self) -> float | None:
        return _percent(self.on_time, self.paid)


PAYMENT_COUNTS = {
    "n_paid": Count("id"),
    "n_on_time": Count("id", filter=Q(paid_on_time=True)),
    "n_late": Count("id", filter=Q(paid_on_time=False)),
    "lateness": Avg(
        ExpressionWrapper(F("paid_date") - F("due_date"), output_field=DurationField()),
        filter=Q(paid_on_time=False),
    ),
}


def _days(value: dt.timedelta | float | None) -> float | None:
    if value is None:
        return None
    if isinstance(value, dt.timedelta):
        return round(value.total_seconds() / 86400, 1)
    return round(float(value) / 86_400_000_000, 1)  # pragma: no cover - a backend giving microseconds


def _payments(month: dt.date | None, row: dict[str, object], overdue: int = 0) -> Payments:
    return Payments(
        month=month,
        paid=int(row["n_paid"] or 0),  # type: ignore[call-overload]
        on_time=int(row["n_on_time"] or 0),  # type: ignore[call-overload]
        late=int(row["n_late"] or 0),  # type: ignore[call-overload]
        average_days_late=_days(row["lateness"]),  # type: ignore[arg-type]
        overdue=overdue,
    )


def _invoices(actor: Actor, partnership: Partnership) -> QuerySet[Touchpoint]:
    return restrict(Touchpoint.objects.all(), actor).filter(partnership=partnership, kind=Kind.INVOICE)


def _paid(actor: Actor, partnership: Partnership, since: dt.datetime | None) -> QuerySet[Touchpoint]:
    paid = _invoices(actor, partnership).filter(paid_date__isnull=False, due_date__isnull=False)
    if since is not None:
        paid = paid.filter(paid_date__gte=since.date())
    return paid


def payments_by_month(actor: Actor, partnership_id: PartnershipRef, *, months: int = 12) -> list[Payments]:
    """Invoices paid per calendar month of payment, oldest first, for the last ``months``."""
    partnership = _shared(actor, partnership_id)
    rows = (
        _paid(actor, partnership, months_back(months, zone_of(actor)))
        .annotate(month=TruncMonth("paid_date"))
        .order_by()
        .values("month")
        .annotate(**PAYMENT_COUNTS)
        .order_by("month")
    )
    return [_payments(_as_date(row["month"]), row) for row in rows]


def payment_total(actor: Actor, partnership_id: PartnershipRef, *, months: int | None = None) -> Payments:
    """On-time payment over the last ``months`` (all time if None), and the unpaid invoices overdue today."""
    partnership = _shared(actor, partnership_id)
    zone = zone_of(actor)
    since = months_back(months, zone) if months else None
    totals = _paid(actor, partnership, since).aggregate(**PAYMENT_COUNTS)
    overdue = (
        _invoices(actor, partnership)
        .filter(paid_date__isnull=True, due_date__lt=timezone.localdate(timezone=zone))
        .count()
    )
    return _payments(None, totals, overdue)


# --- surveys --------------------------------------------------------------------------------------------


def survey_list(
    actor: Actor,
    partnership_id: PartnershipRef,
    *,
    status: str | None = None,
    touchpoint_id: int | None = None,
) -> QuerySet[SurveyRequest]:
    partnership = _shared(actor, partnership_id)
    surveys = (
        restrict(SurveyRequest.objects.all(), actor)
        .filter(partnership=partnership)
        .select_related("touchpoint", "recipient__user", "sent_by__user")
    )
    if touchpoint_id is not None:
        surveys = surveys.filter(touchpoint_id=touchpoint_id)
    now = timezone.now()
    if status == SurveyStatus.ANSWERED:
        surveys = surveys.filter(answered_at__isnull=False)
    elif status == SurveyStatus.PENDING:
        surveys = surveys.filter(answered_at__isnull=True, expires_at__gt=now)
    elif status == SurveyStatus.EXPIRED:
        surveys = surveys.filter(answered_at__isnull=True, expires_at__lte=now)
    return surveys


@dataclass(frozen=True)
class Scores:
    """Survey answers of a period: CSAT (share of 4–5 of all answers) and NPS (% promoters − % detractors)."""

    month: dt.date | None
    answers: int
    satisfied: int
    promoters: int
    detractors: int

    @property
    def passives(self) -> int:
        return self.answers - self.promoters - self.detractors

    @property
    def csat(self) -> float | None:
        return _percent(self.satisfied, self.answers)

    @property
    def nps(self) -> float | None:
        if not self.answers:
            return None
        return round(100 * (self.promoters - self.detractors) / self.answers, 1)


SCORE_COUNTS = {
    "answers": Count("id"),
    "satisfied": Count("id", filter=Q(csat__gte=4)),
    "promoters": Count("id", filter=Q(nps__gte=9)),
    "detractors": Count("id", filter=Q(nps__lte=6)),
}


def _answered(actor: Actor, partnership: Partnership, since: dt.datetime | None) -> QuerySet[SurveyRequest]:
    answered = restrict(SurveyRequest.objects.all(), actor).filter(
        partnership=partnership, answered_at__isnull=False
    )
    if since is not None:
        answered = answered.filter(answered_at__gte=since)
    return answered


def survey_scores(actor: Actor, partnership_id: PartnershipRef, *, months: int | None = None) -> Scores:
    partnership = _shared(actor, partnership_id)
    since = months_back(months, zone_of(actor)) if months else None
    return Scores(month=None, **_answered(actor, partnership, since).aggregate(**SCORE_COUNTS))


def survey_scores_by_month(actor: Actor, partnership_id: PartnershipRef, *, months: int = 12) -> list[Scores]:
    partnership = _shared(actor, partnership_id)
    zone = zone_of(actor)
    rows = (
        _answered(actor, partnership, months_back(months, zone))
        .annotate(month=TruncMonth("answered_at", tzinfo=zone))
        .order_by()
        .values("month")
        .annotate(**SCORE_COUNTS)
        .order_by("month")
    )
    return [Scores(month=_as_date(row.pop("month")), **row) for row in rows]


def survey_recipients(actor: Actor, partnership: Partnership) -> QuerySet[Membership]:
    """The people of the other side a survey can go to: active members of the partner organisation."""
    their_org = organisation_id_of(partnership, other_side(side_of(actor, partnership)))
    return (
        Membership.objects.filter(organisation_id=their_org, is_active=True)
        .select_related("user")
        .order_by("user__full_name", "user__email", "pk")
    )
