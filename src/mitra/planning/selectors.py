"""Reads of collaborative planning, scoped to the partnerships the actor's organisation is party to.

Both partners see the same planning data, forecasts, exceptions and proposals. A stranger to the
partnership gets ``NotFound`` from ``shared_partnership`` before anything is read.
"""

from __future__ import annotations

import csv
import datetime as dt
import io as textio
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from mitra.core.errors import NotFound
from mitra.core.tenancy import Actor
from mitra.partnerships.models import Partnership
from mitra.partnerships.workspace import shared_partnership, side_of
from mitra.planning import agreements, io, runs
from mitra.planning.engine.calendar import EVENT_COLUMNS, indonesian_events
from mitra.planning.models import (
    ExceptionStatus,
    ForecastLine,
    Item,
    Location,
    OpenOrder,
    Order,
    OrderProposal,
    PlanningAgreement,
    PlanningCycle,
    PlanningException,
    ProposalStatus,
    SellOut,
    StockPosition,
)
from mitra.planning.runs import Simulation
from mitra.transfer.exports import safe_cell as safe_cell  # one implementation, shared with the list exports


def _partnership(actor: Actor, partnership_id: int) -> Partnership:
    return shared_partnership(actor, partnership_id)


def item_list(
    actor: Actor, partnership_id: int, *, q: str | None = None, lifecycle: str | None = None
) -> QuerySet[Item]:
    _partnership(actor, partnership_id)
    items = Item.objects.filter(partnership_id=partnership_id)
    if q:
        items = items.filter(
            Q(supplier_sku__icontains=q) | Q(customer_sku__icontains=q) | Q(name__icontains=q)
        )
    if lifecycle:
        items = items.filter(lifecycle=lifecycle)
    return items.order_by("supplier_sku", "id")


def location_list(actor: Actor, partnership_id: int) -> QuerySet[Location]:
    _partnership(actor, partnership_id)
    return Location.objects.filter(partnership_id=partnership_id).order_by("code", "id")


def sell_out_list(
    actor: Actor,
    partnership_id: int,
    *,
    item_id: int | None = None,
    location_id: int | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> QuerySet[SellOut]:
    _partnership(actor, partnership_id)
    rows = SellOut.objects.filter(partnership_id=partnership_id).select_related("item", "location")
    if item_id:
        rows = rows.filter(item_id=item_id)
    if location_id:
        rows = rows.filter(location_id=location_id)
    if since:
        rows = rows.filter(period__gte=since)
    if until:
        rows = rows.filter(period__lte=until)
    return rows.order_by("-period", "item__supplier_sku", "location__code", "id")


def stock_list(actor: Actor, partnership_id: int) -> QuerySet[StockPosition]:
    _partnership(actor, partnership_id)
    return (
        StockPosition.objects.filter(partnership_id=partnership_id)
        .select_related("item", "location")
        .order_by("-as_of", "item__supplier_sku", "location__code", "id")
    )


def open_order_list(actor: Actor, partnership_id: int) -> QuerySet[OpenOrder]:
    _partnership(actor, partnership_id)
    return (
        OpenOrder.objects.filter(partnership_id=partnership_id)
        .select_related("item", "location")
        .order_by("due_date", "number", "id")
    )


@dataclass(frozen=True)
class AgreementView:
    agreement: PlanningAgreement
    terms: dict[str, Any]
    proposed: dict[str, Any]
    changes: dict[str, tuple[Any, Any]]
    my_side: str


def agreement_get(actor: Actor, partnership_id: int) -> AgreementView:
    """The planning terms in force, and the waiting proposal if there is one (default terms until the
    partners change them)."""
    partnership = _partnership(actor, partnership_id)
    agreement = PlanningAgreement.objects.filter(partnership_id=partnership_id).first()
    if agreement is None:
        agreement = PlanningAgreement(partnership=partnership)
    return AgreementView(
        agreement=agreement,
        terms=agreements.current_terms(agreement),
        proposed=agreements.proposed_terms(agreement),
        changes=agreements.changes_of(agreement),
        my_side=side_of(actor, partnership),
    )


def cycle_list(actor: Actor, partnership_id: int) -> QuerySet[PlanningCycle]:
    _partnership(actor, partnership_id)
    return (
        PlanningCycle.objects.filter(partnership_id=partnership_id)
        .annotate(
            open_exceptions=Count(
                "exceptions", filter=Q(exceptions__status=ExceptionStatus.OPEN), distinct=True
            ),
            open_proposals=Count(
                "proposals", filter=Q(proposals__status=ProposalStatus.PROPOSED), distinct=True
            ),
        )
        .order_by("-week")
    )


def cycle_get(actor: Actor, partnership_id: int, cycle_id: int | None = None) -> PlanningCycle | None:
    """A cycle of the partnership, or (no id) the latest one; None when planning never ran."""
    cycles = cycle_list(actor, partnership_id)
    if cycle_id is None:
        return cycles.first()
    cycle = cycles.filter(pk=cycle_id).first()
    if cycle is None:
        raise NotFound(_("Planning cycle not found."))
    return cycle


def forecast_lines(
    actor: Actor,
    partnership_id: int,
    *,
    cycle_id: int | None = None,
    source: str | None = None,
    item_id: int | None = None,
    location_id: int | None = None,
) -> QuerySet[ForecastLine]:
    cycle = cycle_get(actor, partnership_id, cycle_id)
    lines = ForecastLine.objects.filter(partnership_id=partnership_id, cycle=cycle).select_related(
        "item", "location"
    )
    if source:
        lines = lines.filter(source=source)
    if item_id:
        lines = lines.filter(item_id=item_id)
    if location_id:
        lines = lines.filter(location_id=location_id)
    return lines.order_by("item__supplier_sku", "location__code", "source", "period", "id")


def exception_list(
    actor: Actor,
    partnership_id: int,
    *,
    status: str | None = None,
    cycle_id: int | None = None,
    criterion: str | None = None,
) -> QuerySet[PlanningException]:
    """The exceptions of a cycle (default: the latest), open and most urgent first."""
    cycle = cycle_get(actor, partnership_id, cycle_id)
    found = PlanningException.objects.filter(partnership_id=partnership_id, cycle=cycle).select_related(
        "item", "location", "resolved_by"
    )
    if status:
        found = found.filter(status=status)
    if criterion:
        found = found.filter(criterion=criterion)
    return found.order_by("status", "priority", "item__supplier_sku", "location__code", "id")


def exception_get(actor: Actor, partnership_id: int, exception_id: int) -> PlanningException:
    _partnership(actor, partnership_id)
    found = (
        PlanningException.objects.filter(partnership_id=partnership_id, pk=exception_id)
        .select_related("item", "location", "resolved_by", "cycle")
        .first()
    )
    if found is None:
        raise NotFound(_("Exception not found."))
    return found


def proposal_list(
    actor: Actor, partnership_id: int, *, status: str | None = None, cycle_id: int | None = None
) -> QuerySet[OrderProposal]:
    cycle = cycle_get(actor, partnership_id, cycle_id)
    found = OrderProposal.objects.filter(partnership_id=partnership_id, cycle=cycle).select_related(
        "item", "location", "order"
    )
    if status:
        found = found.filter(status=status)
    return found.order_by("status", "location__code", "item__supplier_sku", "id")


def proposal_get(actor: Actor, partnership_id: int, proposal_id: int) -> OrderProposal:
    _partnership(actor, partnership_id)
    found = (
        OrderProposal.objects.filter(partnership_id=partnership_id, pk=proposal_id)
        .select_related("item", "location", "order")
        .first()
    )
    if found is None:
        raise NotFound(_("Proposal not found."))
    return found


def order_list(actor: Actor, partnership_id: int) -> QuerySet[Order]:
    _partnership(actor, partnership_id)
    return (
        Order.objects.filter(partnership_id=partnership_id)
        .select_related("location", "created_by")
        .prefetch_related("lines__item")
        .annotate(line_count=Count("lines"))
        .order_by("-created_at", "-id")
    )


def order_get(actor: Actor, partnership_id: int, order_id: int) -> Order:
    order = order_list(actor, partnership_id).filter(pk=order_id).first()
    if order is None:
        raise NotFound(_("Order not found."))
    return order


def order_csv(order: Order) -> str:
    """The order as CSV for the supplier's order entry: one line per item, both SKUs."""
    out = textio.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        ["order_number", "location", "supplier_sku", "customer_sku", "item", "quantity", "unit", "arrival"]
    )
    for line in order.lines.all():
        writer.writerow(
            [
                safe_cell(v)
                for v in (
                    order.number,
                    order.location.code,
                    line.item.supplier_sku,
                    line.item.customer_sku,
                    line.item.name,
                    f"{line.quantity.normalize():f}",
                    line.item.unit,
                    line.arrival.isoformat() if line.arrival else "",
                )
            ]
        )
    return out.getvalue()


# ---- the board ----------------------------------------------------------------------------------------


@dataclass
class SeriesView:
    """One item at one location on the planning board: its exceptions, history and forecasts."""

    item: Item
    location: Location
    exceptions: list[PlanningException] = field(default_factory=list)
    history: pd.DataFrame = field(default_factory=pd.DataFrame)
    forecasts: pd.DataFrame = field(default_factory=pd.DataFrame)
    proposal: OrderProposal | None = None

    @property
    def priority(self) -> int:
        return min((e.priority for e in self.exceptions if e.status == ExceptionStatus.OPEN), default=9)


@dataclass
class Board:
    cycle: PlanningCycle | None
    series: list[SeriesView]
    total: int
    events: pd.DataFrame


HISTORY_WEEKS = 52


def board(actor: Actor, partnership_id: int, *, offset: int = 0, limit: int = 20) -> Board:
    """The planning board: the series with open exceptions first (most urgent first), each with the last
    year of sell-out, both sides' forecasts, the statistical baseline, the consensus and its interval.
    Three queries for the page whatever the number of series shown (history, forecasts, exceptions)."""
    cycle = cycle_get(actor, partnership_id)
    items = {i.pk: i for i in Item.objects.filter(partnership_id=partnership_id)}
    locations = {loc.pk: loc for loc in Location.objects.filter(partnership_id=partnership_id)}
    keys = set(
        SellOut.objects.filter(partnership_id=partnership_id)
        .values_list("item_id", "location_id")
        .distinct()
        .order_by()
    )
    open_exceptions: list[PlanningException] = []
    proposals: dict[tuple[int, int], OrderProposal] = {}
    if cycle is not None:
        open_exceptions = list(
            PlanningException.objects.filter(cycle=cycle).order_by("status", "priority", "id")
        )
        proposals = {(p.item_id, p.location_id): p for p in OrderProposal.objects.filter(cycle=cycle)}
        keys |= set(
            ForecastLine.objects.filter(cycle=cycle)
            .values_list("item_id", "location_id")
            .distinct()
            .order_by()
        )
    urgency: dict[tuple[int, int], int] = {}
    for e in open_exceptions:
        if e.location_id is None or e.status != ExceptionStatus.OPEN:
            continue
        key = (e.item_id, e.location_id)
        urgency[key] = min(urgency.get(key, 9), e.priority)
    ordered = sorted(
        (k for k in keys if k[0] in items and k[1] in locations),
        key=lambda k: (urgency.get(k, 9), items[k[0]].supplier_sku, locations[k[1]].code),
    )
    page = ordered[offset : offset + limit]
    views = {k: SeriesView(item=items[k[0]], location=locations[k[1]]) for k in page}
    for e in open_exceptions:
        if e.location_id is None:  # an item-wide exception (capacity) shows on each of the item's series
            for k, v in views.items():
                if k[0] == e.item_id:
                    v.exceptions.append(e)
        elif (e.item_id, e.location_id) in views:
            views[(e.item_id, e.location_id)].exceptions.append(e)
    for k, v in views.items():
        v.proposal = proposals.get(k)
    today = timezone.localdate()
    since = io.monday(today) - dt.timedelta(weeks=HISTORY_WEEKS)
    if page:
        page_items = sorted({k[0] for k in page})
        hist = io.history(partnership_id, before=io.monday(today), since=since, item_ids=page_items)
        lines = io.forecasts([cycle.pk] if cycle else [], item_ids=page_items)
        hist_by = dict(tuple(hist.groupby("series_id")))
        lines_by = dict(tuple(lines.groupby("series_id")))
        for k, v in views.items():
            sid = f"{k[0]}:{k[1]}"
            v.history = hist_by.get(sid, hist.iloc[:0])
            v.forecasts = lines_by.get(sid, lines.iloc[:0])
    horizon_end = io.monday(today) + dt.timedelta(weeks=26)
    events = indonesian_events(since, horizon_end)
    return Board(cycle=cycle, series=[views[k] for k in page], total=len(ordered), events=events)


def marked_weeks(events: pd.DataFrame) -> list[tuple[dt.date, list[str]]]:
    """The weeks the Indonesian calendar marks, with the events of each."""
    flags = events[list(EVENT_COLUMNS)].astype(bool)
    marked = events[flags.any(axis=1)]
    return [
        (pd.Timestamp(row["period"]).date(), [c for c in EVENT_COLUMNS if bool(row[c])])
        for _i, row in marked.iterrows()
    ]


def planning_summary(actor: Actor, partnership_id: int) -> dict[str, Any]:
    """Counts for the planning tab: items, locations, weeks of history, the latest cycle's open
    exceptions and proposals."""
    _partnership(actor, partnership_id)
    latest = SellOut.objects.filter(partnership_id=partnership_id).aggregate(
        last=Max("period"), n=Count("id")
    )
    cycle = cycle_get(actor, partnership_id)
    return {
        "items": Item.objects.filter(partnership_id=partnership_id).count(),
        "locations": Location.objects.filter(partnership_id=partnership_id).count(),
        "sell_out_rows": latest["n"],
        "last_sell_out": latest["last"],
        "cycle": cycle,
    }


def simulation(actor: Actor, partnership_id: int) -> Simulation | None:
    """Push against partnering on the partnership's own sell-out (``runs.replay``); None without a year
    and a month of history."""
    partnership = _partnership(actor, partnership_id)
    return runs.replay(partnership.pk)
