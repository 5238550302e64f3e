"""Two years of value ledger history for every partnership of the demo.

Most partnerships gain on both sides; a few are one-sided (the warning shows). Most entries are confirmed,
some disputed, and a few old ones still wait for confirmation (flagged after 30 days). A lost
partnership's entries stop at its loss (``ctx.end_of``); a souring one disputes more as the loss nears
(``ctx.strain``).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from simple_history.utils import bulk_create_with_history

from mitra.demo.context import DemoContext
from mitra.partnerships.models import Partnership, Side
from mitra.threads.models import Event
from mitra.value.models import Category, EntryStatus, ValueEntry

# Amount ranges in millions of rupiah, per category.
RANGES = {
    Category.REVENUE_GROWTH: (25, 450),
    Category.COST_SAVED: (5, 150),
    Category.WORKING_CAPITAL: (50, 500),
    Category.STOCK_REDUCTION: (10, 300),
    Category.RISK_AVOIDED: (20, 250),
    Category.OTHER: (2, 60),
}

TITLES: dict[str, dict[str, list[str]]] = {
    Side.CUSTOMER: {
        Category.STOCK_REDUCTION: [
            "Safety stock minyak goreng turun dari 21 ke 12 hari",
            "Konsinyasi untuk SKU lambat di DC Cikarang",
            "VMI for instant noodles: lower stock at the Surabaya DC",
            "Weekly replenishment instead of monthly bulk orders",
        ],
        Category.COST_SAVED: [
            "Fewer emergency deliveries (biaya ekspedisi turun)",
            "Damaged cartons returned down by 60%",
            "Pallet exchange instead of disposable pallets",
            "Shelf-ready packaging: less store labour",
        ],
        Category.REVENUE_GROWTH: [
            "Promo Ramadan bersama: penjualan naik",
            "New SKU listing sold through in 8 weeks",
            "Fewer stock-outs during Lebaran",
            "Joint end-cap display in 120 stores",
        ],
        Category.WORKING_CAPITAL: [
            "Payment terms aligned with sell-through",
            "Consignment stock at 30 stores",
        ],
        Category.RISK_AVOIDED: [
            "Second packaging line reserved for the peak season",
            "Halal certificate renewed before expiry: no delisting",
            "Alternative sugar source qualified before the shortage",
        ],
        Category.OTHER: ["Training for store staff on product handling", "Shared market research (Nielsen)"],
    },
    Side.SUPPLIER: {
        Category.REVENUE_GROWTH: [
            "Listing in 40 new stores in Jawa Timur",
            "Shelf share up after the joint category review",
            "Private-label contract for sambal sachets",
        ],
        Category.COST_SAVED: [
            "Forecast sharing cut overtime at the plant",
            "Full-truck-load orders instead of LTL",
            "E-invoicing: faster matching, fewer disputes",
        ],
        Category.WORKING_CAPITAL: [
            "Invoices paid in 14 instead of 45 days",
            "Early payment programme through the customer's bank",
        ],
        Category.STOCK_REDUCTION: [
            "Finished goods buffer down thanks to weekly POS data",
            "Fewer slow movers after SKU rationalisation",
        ],
        Category.RISK_AVOIDED: [
            "Two-year volume commitment secured",
            "Joint recall drill: no write-off",
        ],
        Category.OTHER: ["Case study for the annual report", "Joint CSR programme with local farmers"],
    },
}

EVIDENCE = [
    "Data POS 12 minggu dibandingkan periode yang sama tahun lalu; dihitung bersama tim finance kedua pihak.",
    "Based on the monthly stock report (days of cover) from the WMS, before and after.",
    "Freight invoices Q-on-Q; excludes fuel surcharge changes.",
    "Laporan klaim retur dan berita acara penerimaan barang.",
    "Interest saved at 9% p.a. on the shorter payment days, per the treasury statement.",
    "Estimasi konservatif; detail di lampiran rapat review bulanan.",
]

DISPUTES = [
    "Angka ini termasuk DC lain yang bukan bagian dari program.",
    "This saving is already counted in last month's entry.",
    "Baseline-nya salah: memakai data sebelum Lebaran.",
    "We cannot see this in our own figures; please share the calculation.",
]

CATEGORY_WEIGHTS = (
    (Category.REVENUE_GROWTH, 3),
    (Category.COST_SAVED, 4),
    (Category.WORKING_CAPITAL, 2),
    (Category.STOCK_REDUCTION, 3),
    (Category.RISK_AVOIDED, 2),
    (Category.OTHER, 1),
)


def seed_demo(ctx: DemoContext) -> dict[str, int]:
    rng = ctx.rng
    cases = _by_partnership(ctx.shared.get("cases") or [])
    initiatives = _by_partnership(ctx.shared.get("initiatives") or [])
    categories = [c for c, _w in CATEGORY_WEIGHTS]
    weights = [w for _c, w in CATEGORY_WEIGHTS]
    entries: list[ValueEntry] = []
    whole_ctx = ctx
    for p in whole_ctx.partnerships:
        ctx = whole_ctx.until(p)  # a lost partnership's history stops at its loss
        start = ctx.start_of(p)
        span = max((ctx.today - start).days, 1)
        roll = rng.random()
        one_sided = rng.choice((Side.SUPPLIER, Side.CUSTOMER)) if roll < 0.15 else None
        # A partnership where both sides gain has a recent confirmed gain for each side.
        anchors = [] if one_sided else [Side.CUSTOMER, Side.SUPPLIER]
        for i in range(rng.randint(4, 20)):
            anchor = i < len(anchors)
            side = (
                anchors[i]
                if anchor
                else one_sided or (Side.CUSTOMER if rng.random() < 0.55 else Side.SUPPLIER)
            )
            category = rng.choices(categories, weights)[0]
            low, high = RANGES[category]
            amount = Decimal(rng.randint(low * 10, high * 10)) * Decimal(100_000)
            if anchor:
                period_start = max(start, ctx.today - dt.timedelta(days=rng.randint(90, 240)))
            else:
                period_start = start + dt.timedelta(days=rng.randint(0, span))
            period_end = min(period_start + dt.timedelta(days=rng.randint(27, 120)), ctx.today)
            period_start = min(period_start, period_end)
            recorder = side if rng.random() < 0.55 else _other(side)
            entry = _entry(
                ctx, p, side, recorder, category, amount, period_start, period_end, cases, initiatives
            )
            if anchor and entry.status != EntryStatus.CONFIRMED:
                _confirm(ctx, entry, p)
            entries.append(entry)
    ctx = whole_ctx
    bulk_create_with_history(entries, ValueEntry, batch_size=1000)
    for entry in entries:
        _events(ctx, entry)
    ctx.shared["value_entries"] = entries
    return {"value_entries": len(entries)}


def _entry(
    ctx: DemoContext,
    p: Partnership,
    side: str,
    recorder: str,
    category: str,
    amount: Decimal,
    period_start: dt.date,
    period_end: dt.date,
    cases: dict[int, list[Any]],
    initiatives: dict[int, list[Any]],
) -> ValueEntry:
    rng = ctx.rng
    org = p.supplier if recorder == Side.SUPPLIER else p.customer
    other_org = p.customer if recorder == Side.SUPPLIER else p.supplier
    created = _moment(ctx, period_end, rng.randint(2, 25))
    entry = ValueEntry(
        partnership=p,
        title=rng.choice(TITLES[side][category]),
        beneficiary_side=side,
        category=category,
        amount=amount,
        currency=org.currency or "IDR",
        period_start=period_start,
        period_end=period_end,
        evidence=rng.choice(EVIDENCE),
        recorded_by_side=recorder,
        recorded_by=_person(ctx, org.pk),
        awaiting_since=created,
        created_at=created,
    )
    if cases.get(p.pk) and rng.random() < 0.25:
        entry.case = rng.choice(cases[p.pk])
    elif initiatives.get(p.pk) and rng.random() < 0.3:
        entry.initiative = rng.choice(initiatives[p.pk])
    recent = (ctx.now - created) < dt.timedelta(days=30)
    roll = rng.random()
    confirm, dispute = (0.40, 0.45) if recent else (0.84, 0.94)
    # A souring partnership confirms less and disputes more as its loss nears.
    strain = ctx.strain(p, period_end)
    confirm, dispute = confirm * (1 - 0.5 * strain), dispute - confirm * 0.5 * strain + 0.35 * strain
    if roll < confirm:
        _confirm(ctx, entry, p)
    elif roll < dispute:
        entry.status = EntryStatus.DISPUTED
        entry.disputed_at = min(
            created + dt.timedelta(days=rng.randint(1, 15), hours=rng.randint(1, 9)), ctx.now
        )
        entry.disputed_by = _person(ctx, other_org.pk)
        entry.dispute_reason = rng.choice(DISPUTES)
    else:
        entry.status = EntryStatus.UNCONFIRMED
    return entry


def _confirm(ctx: DemoContext, entry: ValueEntry, p: Partnership) -> None:
    other_org = p.customer if entry.recorded_by_side == Side.SUPPLIER else p.supplier
    entry.status = EntryStatus.CONFIRMED
    later = dt.timedelta(days=ctx.rng.randint(1, 20), hours=ctx.rng.randint(1, 9))
    entry.confirmed_at = max(min(entry.created_at + later, ctx.now), entry.created_at)
    entry.confirmed_by = _person(ctx, other_org.pk)


def _events(ctx: DemoContext, entry: ValueEntry) -> None:
    url = entry.get_absolute_url()
    detail = f"{entry.get_category_display()} · {entry.amount:,.0f} {entry.currency}"
    answered_side = _other(entry.recorded_by_side)

    def add(verb: str, at: dt.datetime, side: str, person: Any, text: str = detail) -> None:
        ctx.events.append(
            Event(
                partnership_id=entry.partnership_id,
                kind="value",
                object_id=entry.pk,
                verb=verb,
                title=entry.title[:200],
                detail=text[:300],
                url=url,
                actor_user=person.user if person else None,
                actor_side=side,
                at=at,
            )
        )

    add("recorded", entry.created_at, entry.recorded_by_side, entry.recorded_by)
    if entry.confirmed_at:
        add("confirmed", entry.confirmed_at, answered_side, entry.confirmed_by)
    if entry.disputed_at:
        add("disputed", entry.disputed_at, answered_side, entry.disputed_by, entry.dispute_reason)


def _moment(ctx: DemoContext, day: dt.date, days_later: int) -> dt.datetime:
    at = dt.datetime.combine(day + dt.timedelta(days=days_later), dt.time(9), tzinfo=dt.UTC)
    at += dt.timedelta(minutes=ctx.rng.randint(0, 480))
    return min(at, ctx.now - dt.timedelta(hours=1))


def _person(ctx: DemoContext, organisation_id: int) -> Any:
    people = [m for m in ctx.people.get(organisation_id, []) if m.can_write]
    return ctx.rng.choice(people) if people else None


def _other(side: str) -> str:
    return Side.CUSTOMER if side == Side.SUPPLIER else Side.SUPPLIER


def _by_partnership(records: list[Any]) -> dict[int, list[Any]]:
    grouped: dict[int, list[Any]] = {}
    for record in records:
        grouped.setdefault(record.partnership_id, []).append(record)
    return grouped
