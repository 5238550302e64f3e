"""What the quarterly partnership review shows, gathered through each app's scoped reads.

``build_review(actor, partnership_id, quarter)`` reads one partnership's quarter: the health trend and
dimensions, the value ledger of both sides, commitments kept and missed by each side, cases and their
confirmed outcomes, initiatives and their KPI progress, planning accuracy and exceptions (where planning is
in use), open risks and the commitments due next quarter. Every read is set-based (a fixed number of
queries whatever the number of records), and a stranger to the partnership gets ``NotFound`` before
anything is read. The result is plain data: ``mitra.reviews.render`` turns it into HTML and PDF.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pandas as pd
from django.db.models import Count, DecimalField, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from mitra.accounts.models import Organisation
from mitra.cases.models import Case as CaseRecord
from mitra.commitments.models import Commitment, CommitmentStatus
from mitra.core.errors import Invalid
from mitra.core.tenancy import Actor, restrict
from mitra.health import selectors as health_selectors
from mitra.health.engine import DIMENSIONS
from mitra.health.io import monday
from mitra.health.models import HealthSnapshot
from mitra.improvement import selectors as improvement_selectors
from mitra.improvement.models import Initiative, Measurement
from mitra.partnerships.models import Partnership, Side
from mitra.partnerships.workspace import shared_partnership, side_of
from mitra.planning import io as planning_io
from mitra.planning.agreements import current_terms
from mitra.planning.models import CycleStatus, Item, PlanningAgreement, PlanningCycle, PlanningException
from mitra.risks import selectors as risk_selectors
from mitra.risks.selectors import ACTIVE as ACTIVE_RISKS
from mitra.value.models import EntryStatus, ValueEntry

QUARTER_RE = re.compile(r"^\s*(\d{4})\s*-?\s*[Qq]\s*([1-4])\s*$")
TREND_WEEKS_BEFORE = 13  # the health trend: the quarter and the quarter before it
LIST_LIMIT = 25  # rows of a list in the document; the counts always cover everything


# --- the quarter -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Quarter:
    year: int
    number: int

    @property
    def code(self) -> str:
        return f"{self.year}Q{self.number}"

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, 3 * self.number - 2, 1)

    @property
    def end(self) -> dt.date:
        """The last day of the quarter."""
        return self.next.start - dt.timedelta(days=1)

    @property
    def next(self) -> Quarter:
        return Quarter(self.year + 1, 1) if self.number == 4 else Quarter(self.year, self.number + 1)

    @property
    def previous(self) -> Quarter:
        return Quarter(self.year - 1, 4) if self.number == 1 else Quarter(self.year, self.number - 1)

    def __str__(self) -> str:
        return self.code


def quarter_of(day: dt.date) -> Quarter:
    return Quarter(day.year, (day.month - 1) // 3 + 1)


def parse_quarter(text: str | None, field_name: str = "quarter") -> Quarter:
    """``2026Q3`` (also ``2026-Q3``, ``2026q3``) → the quarter; anything else is ``Invalid`` naming the field.
    Empty: the current quarter."""
    if text is None or not str(text).strip():
        return quarter_of(timezone.localdate())
    match = QUARTER_RE.match(str(text)[:20])
    year = int(match.group(1)) if match else 0
    if not match or not 2000 <= year <= 2100:
        raise Invalid({field_name: [_("Write the quarter as YYYYQn, for example 2026Q3.")]})
    return Quarter(year, int(match.group(2)))


# --- what the review holds -------------------------------------------------------------------------------


@dataclass
class HealthPart:
    points: list[tuple[dt.date, float | None]]
    red_below: float
    green_from: float
    latest: HealthSnapshot | None  # the last snapshot of the quarter
    first: HealthSnapshot | None  # the first snapshot of the quarter
    dimensions: list[tuple[str, float | None]] = field(default_factory=list)

    @property
    def change(self) -> float | None:
        if self.latest is None or self.first is None:
            return None
        if self.latest.score is None or self.first.score is None:
            return None
        return self.latest.score - self.first.score


@dataclass
class ValueRow:
    """The quarter's value in one currency: confirmed and claimed (awaiting confirmation) for each side."""

    currency: str
    confirmed_supplier: Decimal
    confirmed_customer: Decimal
    claimed_supplier: Decimal
    claimed_customer: Decimal
    disputed: int
    entries: int

    @property
    def confirmed_total(self) -> Decimal:
        return self.confirmed_supplier + self.confirmed_customer

    def share(self, side: str) -> int | None:
        if not self.confirmed_total:
            return None
        mine = self.confirmed_supplier if side == Side.SUPPLIER else self.confirmed_customer
        return round(mine * 100 / self.confirmed_total)

    @property
    def supplier_share(self) -> int | None:
        return self.share(Side.SUPPLIER)

    @property
    def customer_share(self) -> int | None:
        return self.share(Side.CUSTOMER)


@dataclass
class SideCommitments:
    side: str
    due: int = 0
    kept_on_time: int = 0
    kept_late: int = 0
    missed: int = 0
    cancelled: int = 0
    still_open: int = 0

    @property
    def settled(self) -> int:
        return self.kept_on_time + self.kept_late + self.missed

    @property
    def reliability(self) -> int | None:
        return round(100 * self.kept_on_time / self.settled) if self.settled else None


@dataclass
class InitiativePart:
    initiative: Initiative
    points: list[tuple[dt.date, Decimal]]


@dataclass
class PlanningPart:
    cycles: list[dict[str, Any]]  # week, forecast, actual, wape (percent or None)
    wape: float | None  # over the whole quarter
    agreed_wape: float | None
    history: list[tuple[dt.date, float]]
    frozen: list[tuple[dt.date, float]]
    exceptions_raised: int
    exceptions_resolved: int
    by_criterion: list[dict[str, Any]]
    open_exceptions: list[PlanningException]


@dataclass
class Review:
    partnership: Partnership
    supplier: Organisation
    customer: Organisation
    reader_side: str
    quarter: Quarter
    generated_on: dt.date
    currency: str
    health: HealthPart
    value: list[ValueRow]
    value_entries: list[ValueEntry]
    commitments: dict[str, SideCommitments]
    commitment_exceptions: list[Commitment]  # missed, late or cancelled: each with its reason
    cases: list[CaseRecord]
    case_counts: dict[str, int]
    initiatives: list[InitiativePart]
    planning: PlanningPart | None
    risks: list[Any]
    next_commitments: list[Commitment]

    @property
    def side_commitments(self) -> list[SideCommitments]:
        return [self.commitments[Side.SUPPLIER], self.commitments[Side.CUSTOMER]]


# --- the reads ---------------------------------------------------------------------------------------


def build_review(actor: Actor, partnership_id: int, quarter: Quarter | str) -> Review:
    """The review of ``quarter`` (a ``Quarter`` or ``"2026Q3"``) of a partnership the actor's organisation
    is party to; ``NotFound`` for anyone else, ``Invalid`` naming ``quarter`` for a malformed quarter."""
    partnership = shared_partnership(actor, partnership_id)
    q = quarter if isinstance(quarter, Quarter) else parse_quarter(quarter)
    commitments, exceptions = _commitments(actor, partnership, q)
    cases, case_counts = _cases(actor, partnership, q)
    value_rows, value_entries = _value(actor, partnership, q)
    return Review(
        partnership=partnership,
        supplier=partnership.supplier,
        customer=partnership.customer,
        reader_side=side_of(actor, partnership),
        quarter=q,
        generated_on=timezone.localdate(),
        currency=actor.organisation.currency,
        health=_health(actor, partnership, q),
        value=value_rows,
        value_entries=value_entries,
        commitments=commitments,
        commitment_exceptions=exceptions,
        cases=cases,
        case_counts=case_counts,
        initiatives=_initiatives(actor, partnership, q),
        planning=_planning(partnership, q),
        risks=list(risk_selectors.risk_list(actor, partnership.pk).filter(ACTIVE_RISKS)[:LIST_LIMIT]),
        next_commitments=_next_commitments(actor, partnership, q),
    )


def _health(actor: Actor, partnership: Partnership, q: Quarter) -> HealthPart:
    since = q.start - dt.timedelta(weeks=TREND_WEEKS_BEFORE)
    snapshots = list(
        HealthSnapshot.objects.filter(partnership=partnership, week__gte=since, week__lte=q.end).order_by(
            "week"
        )
    )
    settings_view = health_selectors.health_settings(actor, partnership.pk)
    in_quarter = [s for s in snapshots if s.week >= q.start]
    latest = in_quarter[-1] if in_quarter else None
    return HealthPart(
        points=[(s.week, s.score) for s in snapshots],
        red_below=settings_view.red_below,
        green_from=settings_view.green_from,
        latest=latest,
        first=in_quarter[0] if in_quarter else None,
        dimensions=[(d, latest.dimensions.get(d)) for d in DIMENSIONS] if latest else [],
    )


def _money_sum(condition: Q) -> Any:
    return Coalesce(
        Sum("amount", filter=condition),
        Value(Decimal("0")),
        output_field=DecimalField(max_digits=20, decimal_places=2),
    )


def _value(actor: Actor, partnership: Partnership, q: Quarter) -> tuple[list[ValueRow], list[ValueEntry]]:
    """Entries whose period ends in the quarter, per currency (the reader's currency first)."""
    entries = restrict(ValueEntry.objects.all(), actor).filter(
        partnership=partnership, period_end__gte=q.start, period_end__lte=q.end
    )
    confirmed, claimed = Q(status=EntryStatus.CONFIRMED), Q(status=EntryStatus.UNCONFIRMED)
    to_s, to_c = Q(beneficiary_side=Side.SUPPLIER), Q(beneficiary_side=Side.CUSTOMER)
    rows = [
        ValueRow(
            currency=row["currency"],
            confirmed_supplier=row["cs"],
            confirmed_customer=row["cc"],
            claimed_supplier=row["us"],
            claimed_customer=row["uc"],
            disputed=row["disputed"],
            entries=row["n"],
        )
        for row in entries.values("currency")
        .annotate(
            cs=_money_sum(confirmed & to_s),
            cc=_money_sum(confirmed & to_c),
            us=_money_sum(claimed & to_s),
            uc=_money_sum(claimed & to_c),
            disputed=Count("pk", filter=Q(status=EntryStatus.DISPUTED)),
            n=Count("pk"),
        )
        .order_by("currency")
    ]
    own = actor.organisation.currency
    rows.sort(key=lambda r: (r.currency != own, -r.confirmed_total, r.currency))
    listed = list(entries.order_by("-amount", "-period_end", "-pk")[:LIST_LIMIT])
    return rows, listed


def _commitments(
    actor: Actor, partnership: Partnership, q: Quarter
) -> tuple[dict[str, SideCommitments], list[Commitment]]:
    """Commitments due in the quarter, per side: kept on time, kept late, missed, cancelled, still open."""
    due = restrict(Commitment.objects.filter(partnership=partnership), actor).filter(
        due_date__gte=q.start, due_date__lte=q.end
    )
    kept = Q(status__in=(CommitmentStatus.DONE, CommitmentStatus.ACKNOWLEDGED))
    filters = {
        "due": ~Q(status=CommitmentStatus.CANCELLED),
        "kept_on_time": kept & Q(on_time=True),
        "kept_late": kept & ~Q(on_time=True),
        "missed": Q(status=CommitmentStatus.MISSED),
        "cancelled": Q(status=CommitmentStatus.CANCELLED),
        "still_open": Q(status=CommitmentStatus.OPEN),
    }
    row = due.aggregate(
        **{
            f"{side}__{name}": Count("pk", filter=Q(owner_side=side) & condition)
            for side in (Side.SUPPLIER, Side.CUSTOMER)
            for name, condition in filters.items()
        }
    )
    sides = {
        str(side): SideCommitments(side=str(side), **{name: row[f"{side}__{name}"] or 0 for name in filters})
        for side in (Side.SUPPLIER, Side.CUSTOMER)
    }
    not_kept = (
        due.filter(
            Q(status__in=(CommitmentStatus.MISSED, CommitmentStatus.CANCELLED)) | (kept & ~Q(on_time=True))
        )
        .select_related("owner__user")
        .order_by("owner_side", "due_date", "pk")[: LIST_LIMIT * 2]
    )
    return sides, list(not_kept)


def _cases(actor: Actor, partnership: Partnership, q: Quarter) -> tuple[list[CaseRecord], dict[str, int]]:
    """Cases raised, resolved or closed in the quarter, and those still open at its end."""
    start = timezone.make_aware(dt.datetime.combine(q.start, dt.time.min))
    end = timezone.make_aware(dt.datetime.combine(q.next.start, dt.time.min))
    raised = Q(created_at__gte=start, created_at__lt=end)
    resolved = Q(resolved_at__gte=start, resolved_at__lt=end)
    closed = Q(closed_at__gte=start, closed_at__lt=end)
    confirmed = Q(outcome_confirmed_at__isnull=False)
    # open at the quarter's end, by the dates (not today's status: a past quarter's review must not change
    # because a case was resolved afterwards)
    open_at_end = (Q(resolved_at__isnull=True) | Q(resolved_at__gte=end)) & (
        Q(closed_at__isnull=True) | Q(closed_at__gte=end)
    )
    done_in_quarter = resolved | (closed & Q(resolved_at__isnull=True))
    cases = restrict(CaseRecord.objects.filter(partnership=partnership), actor).filter(created_at__lt=end)
    touched = cases.filter(raised | resolved | closed | open_at_end)
    counts = touched.aggregate(
        raised=Count("pk", filter=raised),
        resolved=Count("pk", filter=done_in_quarter),
        closed=Count("pk", filter=closed),
        confirmed=Count("pk", filter=confirmed & done_in_quarter),
        still_open=Count("pk", filter=open_at_end),
        breached=Count("pk", filter=Q(sla_breached_at__isnull=False) & (raised | resolved | closed)),
    )
    listed = list(
        touched.select_related("chosen_option").order_by("status", "-created_at", "-pk")[:LIST_LIMIT]
    )
    return listed, {k: v or 0 for k, v in counts.items()}


def _initiatives(actor: Actor, partnership: Partnership, q: Quarter) -> list[InitiativePart]:
    """Initiatives running at some point in the quarter, with their progress and KPI measurements up to
    the quarter's end (two queries)."""
    quarter_start = timezone.make_aware(dt.datetime.combine(q.start, dt.time.min))
    initiatives = list(
        improvement_selectors.initiative_list(actor, partnership.pk)
        .filter(start_date__lte=q.end)
        .filter(Q(closed_at__isnull=True) | Q(closed_at__gte=quarter_start))
        .order_by("status", "target_date", "pk")[:LIST_LIMIT]
    )
    points: dict[int, list[tuple[dt.date, Decimal]]] = defaultdict(list)
    for initiative_id, on, value in (
        Measurement.objects.filter(initiative__in=[i.pk for i in initiatives], measured_on__lte=q.end)
        .order_by("initiative_id", "measured_on", "pk")
        .values_list("initiative_id", "measured_on", "value")
    ):
        points[initiative_id].append((on, value))
    return [InitiativePart(initiative=i, points=points.get(i.pk, [])) for i in initiatives]


def _planning(partnership: Partnership, q: Quarter) -> PlanningPart | None:
    """Where planning is in use: each frozen cycle of the quarter's accuracy (its consensus for the week
    after it against that week's sell-out), the quarter's exceptions and those still open."""
    if not Item.objects.filter(partnership=partnership).exists():
        return None
    this_week = monday(timezone.localdate())
    # a cycle is judged once the week after it is over
    cycles = dict(
        PlanningCycle.objects.filter(
            partnership=partnership,
            status=CycleStatus.FROZEN,
            week__gte=q.start,
            week__lte=q.end,
            week__lt=this_week - dt.timedelta(weeks=1),
        ).values_list("pk", "week")
    )
    lines = planning_io.forecasts(cycles, ["consensus"])
    history = planning_io.history(
        partnership.pk, since=monday(q.start), before=min(this_week, monday(q.end) + dt.timedelta(weeks=2))
    )
    rows: list[dict[str, Any]] = []
    frozen_totals: list[tuple[dt.date, float]] = []
    wape_all: float | None = None
    if not lines.empty:
        lines["cycle_week"] = pd.to_datetime(lines["cycle_id"].map(cycles))
        # the frozen forecast of a cycle: its consensus for the week right after it
        lines = lines[lines["period"] == lines["cycle_week"] + pd.Timedelta(weeks=1)]
        merged = lines.merge(history, on=["series_id", "period"], how="left", suffixes=("", "_actual"))
        merged["quantity_actual"] = merged["quantity_actual"].fillna(0.0)
        merged["error"] = (merged["quantity_actual"] - merged["quantity"]).abs()
        per_cycle = merged.groupby("cycle_week")[["quantity", "quantity_actual", "error"]].sum().sort_index()
        for week, r in per_cycle.iterrows():
            actual = float(r["quantity_actual"])
            rows.append(
                {
                    "week": pd.Timestamp(week).date(),
                    "target": (pd.Timestamp(week) + pd.Timedelta(weeks=1)).date(),
                    "forecast": float(r["quantity"]),
                    "actual": actual,
                    "wape": 100 * float(r["error"]) / actual if actual else None,
                }
            )
            frozen_totals.append(((pd.Timestamp(week) + pd.Timedelta(weeks=1)).date(), float(r["quantity"])))
        total_actual = float(per_cycle["quantity_actual"].sum())
        wape_all = 100 * float(per_cycle["error"].sum()) / total_actual if total_actual else None
    history_totals = (
        [
            (pd.Timestamp(week).date(), float(total))
            for week, total in history.groupby("period")["quantity"].sum().sort_index().items()
        ]
        if not history.empty
        else []
    )
    start = timezone.make_aware(dt.datetime.combine(q.start, dt.time.min))
    end = timezone.make_aware(dt.datetime.combine(q.next.start, dt.time.min))
    in_quarter = PlanningException.objects.filter(
        partnership=partnership, created_at__gte=start, created_at__lt=end
    )
    by_criterion = list(
        in_quarter.values("criterion")
        .annotate(raised=Count("pk"), resolved=Count("pk", filter=Q(status="resolved")))
        .order_by("-raised", "criterion")
    )
    open_exceptions = list(
        PlanningException.objects.filter(partnership=partnership, status="open", created_at__lt=end)
        .select_related("item", "location")
        .order_by("priority", "-created_at", "pk")[:LIST_LIMIT]
    )
    agreement = PlanningAgreement.objects.filter(partnership=partnership).first()
    agreed_wape = current_terms(agreement or PlanningAgreement(partnership=partnership)).get("wape_pct")
    return PlanningPart(
        cycles=rows,
        wape=wape_all,
        agreed_wape=float(agreed_wape) if agreed_wape is not None else None,
        history=history_totals,
        frozen=frozen_totals,
        exceptions_raised=sum(r["raised"] for r in by_criterion),
        exceptions_resolved=sum(r["resolved"] for r in by_criterion),
        by_criterion=by_criterion,
        open_exceptions=open_exceptions,
    )


def _next_commitments(actor: Actor, partnership: Partnership, q: Quarter) -> list[Commitment]:
    nxt = q.next
    return list(
        restrict(Commitment.objects.filter(partnership=partnership), actor)
        .filter(status=CommitmentStatus.OPEN, due_date__gte=nxt.start, due_date__lte=nxt.end)
        .select_related("owner__user")
        .order_by("due_date", "owner_side", "pk")[: LIST_LIMIT * 2]
    )
