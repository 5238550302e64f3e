"""Demo planning data: the items a few active partnerships trade, the customer's locations, three years
of weekly sell-out shaped by the Indonesian calendar (Ramadan and the weeks before Lebaran lift sweet and
cooking goods, the Lebaran week itself is quiet, Christmas, New Year and school start lift some goods),
today's stock and open orders. Then last week's planning cycle (frozen) and this week's are run, as the
weekly job would have left them.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from mitra.demo.context import DemoContext
from mitra.planning import runs
from mitra.planning.engine.calendar import indonesian_events
from mitra.planning.models import (
    Item,
    Location,
    LocationKind,
    OpenOrder,
    PlanningAgreement,
    SellOut,
    StockPosition,
)

WEEKS = 156
PARTNERSHIPS = {"small": 3, "medium": 6, "large": 10}
# name, unit, case pack, lead time (days), weekly base per store, Ramadan/Lebaran lift, year-end lift,
# school-start lift
PRODUCTS = [
    ("Kecap Manis 600 ml", "botol", 12, 14, 60, 0.45, 0.10, 0.0),
    ("Sirup Cocopandan 460 ml", "botol", 12, 14, 35, 1.20, 0.25, 0.0),
    ("Sambal Bawang 250 g", "botol", 24, 7, 40, 0.25, 0.05, 0.0),
    ("Minyak Goreng 2 L", "pouch", 6, 14, 80, 0.60, 0.15, 0.0),
    ("Biskuit Kaleng Lebaran 650 g", "kaleng", 6, 21, 6, 3.50, 0.80, 0.0),
    ("Mie Instan Goreng", "dus", 1, 7, 25, 0.15, 0.05, 0.10),
    ("Susu Kental Manis 370 g", "kaleng", 48, 14, 30, 0.55, 0.20, 0.0),
    ("Teh Celup 25s", "kotak", 36, 10, 20, 0.20, 0.05, 0.05),
    ("Buku Tulis 38 lbr", "pak", 10, 14, 3, 0.0, 0.0, 1.50),
]
LOCATIONS = [
    ("DC-CKR", "DC Cikarang", LocationKind.DC, "Bekasi"),
    ("TK-KMG", "Toko Kemang", LocationKind.STORE, "Jakarta Selatan"),
    ("TK-BDG", "Toko Dago", LocationKind.STORE, "Bandung"),
    ("TK-SBY", "Toko Darmo", LocationKind.STORE, "Surabaya"),
]


def seed_demo(ctx: DemoContext) -> dict[str, int]:
    chosen = [p for p in ctx.partnerships if p.status == "active"][: PARTNERSHIPS.get(ctx.size, 10)]
    rng = np.random.default_rng(ctx.rng.randrange(2**32))
    first = ctx.today - dt.timedelta(days=ctx.today.weekday()) - dt.timedelta(weeks=WEEKS)
    weeks = pd.date_range(first, periods=WEEKS, freq="7D")
    events = indonesian_events(first, weeks[-1].date()).set_index("period").reindex(weeks).fillna(False)
    festive = (events["ramadan"].astype(float) * 0.5 + events["lebaran_before"].astype(float)).to_numpy()
    quiet = (events["lebaran"].astype(float) * 0.55 + events["lebaran_after"].astype(float) * 0.25).to_numpy()
    year_end = (events["christmas"] | events["new_year"]).astype(float).to_numpy()
    school = events["school_start"].astype(float).to_numpy()
    season = 1 + 0.08 * np.sin(2 * np.pi * np.arange(WEEKS) / 52.18)
    counts = {"planning_items": 0, "planning_locations": 0, "sell_out": 0, "stock_positions": 0}
    for p in chosen:
        # partners planning together for FMCG retail aim high: 98 % of the cycles without a stock-out
        PlanningAgreement.objects.get_or_create(partnership=p, defaults={"service_level": 98})
        picked = sorted(ctx.rng.sample(range(len(PRODUCTS)), ctx.rng.randint(4, 7)))
        items = Item.objects.bulk_create(
            [
                Item(
                    partnership=p,
                    supplier_sku=f"{p.supplier_id:03d}-{n + 1:04d}",
                    customer_sku=f"C{p.customer_id:03d}{n + 1:05d}",
                    name=PRODUCTS[n][0],
                    unit=PRODUCTS[n][1],
                    case_pack=PRODUCTS[n][2],
                    lead_time_days=PRODUCTS[n][3],
                    min_order=PRODUCTS[n][2] * 2,
                    weekly_capacity=int(PRODUCTS[n][4] * 9) if ctx.rng.random() < 0.4 else None,
                )
                for n in picked
            ]
        )
        places = Location.objects.bulk_create(
            [
                Location(partnership=p, code=code, name=name, kind=kind, city=city)
                for code, name, kind, city in LOCATIONS[: ctx.rng.randint(2, 4)]
            ]
        )
        counts["planning_items"] += len(items)
        counts["planning_locations"] += len(places)
        rows: list[SellOut] = []
        stock: list[StockPosition] = []
        orders: list[OpenOrder] = []
        for item, n in zip(items, picked, strict=True):
            _name, _unit, pack, _lead, base, lift, year_lift, school_lift = PRODUCTS[n]
            for place in places:
                level = base * (3.0 if place.kind == LocationKind.DC else 1.0) * rng.lognormal(0, 0.3)
                trend = 1 + rng.normal(0.04, 0.03) * np.arange(WEEKS) / 52
                mean = (
                    level * trend * season * (1 + lift * festive) * (1 - quiet) * (1 + year_lift * year_end)
                )
                mean = mean * (1 + school_lift * school)
                quantity = rng.negative_binomial(8, 8 / (8 + np.maximum(mean, 0.05)))
                rows.extend(
                    SellOut(partnership=p, item=item, location=place, period=w.date(), quantity=int(q))
                    for w, q in zip(weeks, quantity, strict=True)
                )
                weekly = float(quantity[-8:].mean())
                cover = ctx.rng.choice([0.3, 1.5, 2.5, 3.0, 4.0, 12.0])
                stock.append(
                    StockPosition(
                        partnership=p,
                        item=item,
                        location=place,
                        as_of=ctx.today - dt.timedelta(days=1),
                        on_hand=round(weekly * cover),
                        in_transit=round(weekly * 0.5) if ctx.rng.random() < 0.3 else 0,
                    )
                )
                if ctx.rng.random() < 0.25:
                    orders.append(
                        OpenOrder(
                            partnership=p,
                            item=item,
                            location=place,
                            number=f"PO-{p.pk:04d}-{len(orders) + 1:03d}",
                            quantity=max(pack, round(weekly / pack) * pack),
                            due_date=ctx.today + dt.timedelta(days=ctx.rng.randint(3, 12)),
                        )
                    )
        SellOut.objects.bulk_create(rows, batch_size=5000)
        StockPosition.objects.bulk_create(stock)
        OpenOrder.objects.bulk_create(orders)
        counts["sell_out"] += len(rows)
        counts["stock_positions"] += len(stock)
    # last week's cycle, frozen (what was promised), then this week's
    cycles = 0
    for p in chosen:
        runs.run(p.pk, today=ctx.today - dt.timedelta(weeks=1))
        runs.run(p.pk, today=ctx.today)
        cycles += 2
    counts["planning_cycles"] = cycles
    return counts
