"""Demo data of improvement initiatives: a few per partnership, each with monthly KPI measurements that move
plausibly towards the target (OTIF up, lead time down, stock-outs down…), some started from recurring cases.

Everything is written with bulk inserts; randomness comes only from ``ctx.rng``.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from mitra.accounts.models import Membership, Role
from mitra.demo.context import DemoContext
from mitra.improvement.models import (
    NEXT_STAGE,
    Direction,
    Initiative,
    InitiativeStatus,
    Measurement,
    Stage,
)
from mitra.partnerships.models import Partnership, Side
from mitra.threads.models import Event

BATCH = 2000
WRITERS = (Role.ADMIN, Role.MEMBER)

# (title, description, KPI, unit, direction, baseline range, improvement range, decimals)
KPIS: tuple[tuple[str, str, str, str, str, tuple[float, float], tuple[float, float], int], ...] = (
    (
        "Tingkatkan OTIF pengiriman ke DC",
        "Banyak PO terkirim terlambat atau kurang. Ide: slot muat tetap dan konfirmasi H-1 ke DC.",
        "OTIF",
        "%",
        Direction.INCREASE,
        (82, 91),
        (5, 9),
        1,
    ),
    (
        "Kurangi lead time order ke pengiriman",
        "Order menunggu truk mingguan. Idea: a second delivery day and cross-docking at the hub.",
        "Lead time",
        "days",
        Direction.DECREASE,
        (6, 10),
        (2, 4),
        1,
    ),
    (
        "Turunkan stock-out di gerai",
        "Rak kosong saat promo. Ide: berbagi data sell-out harian dan buffer stok untuk SKU fast-moving.",
        "Stock-out rate",
        "%",
        Direction.DECREASE,
        (5, 9),
        (2.5, 5),
        2,
    ),
    (
        "Akurasi invoice 99%",
        "Selisih harga dan qty antara PO dan invoice. Idea: one price list, synced every week.",
        "Invoice accuracy",
        "%",
        Direction.INCREASE,
        (88, 94),
        (4, 6),
        1,
    ),
    (
        "Forecast bersama untuk produk promo (CPFR)",
        "Forecast promo meleset jauh. Ide: rapat forecast bulanan bersama tim category.",
        "Forecast error (MAPE)",
        "%",
        Direction.DECREASE,
        (34, 46),
        (10, 18),
        1,
    ),
    (
        "Kurangi karton rusak saat bongkar muat",
        "Damaged cartons at receiving. Ide: palet standar dan stretch wrap dua lapis.",
        "Damaged cartons per 1,000",
        "",
        Direction.DECREASE,
        (9, 15),
        (4, 8),
        1,
    ),
    (
        "Fill rate pesanan mingguan",
        "Pesanan mingguan sering tidak terpenuhi penuh. Idea: share the weekly order plan two weeks ahead.",
        "Fill rate",
        "%",
        Direction.INCREASE,
        (86, 93),
        (4, 7),
        1,
    ),
)

ROOT_CAUSE_TITLE = "{title} (akar masalah berulang: {cause})"
CAUSES_ID = {
    "process": "proses",
    "people": "SDM",
    "material": "material",
    "equipment": "peralatan",
    "method": "metode",
    "measurement": "pengukuran",
    "environment": "lingkungan",
    "communication": "komunikasi",
    "unknown": "belum diketahui",
}
NOTES = ("", "", "", "Data dari laporan DC", "Setelah promo Lebaran", "Minggu audit stok", "Per akhir bulan")


def _count_for(ctx: DemoContext) -> tuple[int, int]:
    return (1, 2) if ctx.size == "large" else (1, 5)


def _owner(rng: Any, people: list[Membership]) -> Membership | None:
    writers = [m for m in people if m.role in WRITERS and m.is_active]
    return rng.choice(writers) if writers else None


def _at(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def _root_cause_of(case: Any) -> str:
    return str(case.root_cause or "")


def seed_demo(ctx: DemoContext) -> dict[str, int]:
    rng = ctx.rng
    low, high = _count_for(ctx)
    cases_of: dict[int, list[Any]] = defaultdict(list)
    for case in ctx.shared.get("cases", []):
        cases_of[case.partnership_id].append(case)

    initiatives: list[Initiative] = []
    plans: list[dict[str, Any]] = []  # per initiative: its measurements and story, written after the ids
    for p in ctx.partnerships:
        count = rng.randint(low, high)
        by_cause: dict[str, list[Any]] = defaultdict(list)
        for case in cases_of.get(p.pk, []):
            if _root_cause_of(case):
                by_cause[_root_cause_of(case)].append(case)
        recurring = [cases for cases in by_cause.values() if len(cases) >= 2]
        for kpi in rng.sample(KPIS, min(count, len(KPIS))):
            plan = _plan(ctx, p, kpi, recurring)
            if plan is None:
                continue
            initiatives.append(plan["initiative"])
            plans.append(plan)

    bulk_create_with_history(initiatives, Initiative, batch_size=BATCH)
    # ``created_at`` is set on insert; give each initiative the day it really started.
    for plan in plans:
        plan["initiative"].created_at = _at(plan["initiative"].start_date, 9)
    Initiative.objects.bulk_update(initiatives, ["created_at"], batch_size=BATCH)

    links = []
    measurements: list[Measurement] = []
    for plan in plans:
        initiative = plan["initiative"]
        for case in plan["cases"]:
            links.append(Initiative.source_cases.through(initiative_id=initiative.pk, case_id=case.pk))
        for day, value, note, who in plan["points"]:
            measurements.append(
                Measurement(
                    initiative=initiative,
                    measured_on=day,
                    value=value,
                    note=note,
                    recorded_by=who.user if who else None,
                    recorded_side=Side.SUPPLIER if who is initiative.supplier_owner else Side.CUSTOMER,
                )
            )
    Initiative.source_cases.through.objects.bulk_create(links, batch_size=BATCH)
    bulk_create_with_history(measurements, Measurement, batch_size=BATCH)
    _events(ctx, plans, measurements)
    ctx.shared["initiatives"] = initiatives
    return {"initiatives": len(initiatives), "measurements": len(measurements)}


def _plan(
    ctx: DemoContext, p: Partnership, kpi: tuple[Any, ...], recurring: list[list[Any]]
) -> dict[str, Any] | None:
    rng = ctx.rng
    title, description, name, unit, direction, base_range, gain_range, places = kpi
    supplier_owner = _owner(rng, ctx.people.get(p.supplier_id, []))
    customer_owner = _owner(rng, ctx.people.get(p.customer_id, []))
    if supplier_owner is None or customer_owner is None:
        return None
    first, today = ctx.start_of(p), ctx.end_of(p)  # a lost partnership's history stops at its loss
    room = (today - first).days
    if room < 3:
        return None
    months = rng.randint(3, 12)
    spacing = 30 if room >= 30 * months + 15 else max(1, room // (months + 1))
    months = min(months, room // spacing)
    start = today - dt.timedelta(days=spacing * months + rng.randint(0, 10))
    start = max(start, first)
    quant = Decimal(1).scaleb(-places)
    baseline = Decimal(str(rng.uniform(*base_range))).quantize(quant)
    gain = Decimal(str(rng.uniform(*gain_range))).quantize(quant)
    if direction == Direction.INCREASE:
        target = min(baseline + gain, Decimal("99.5") if unit == "%" else baseline + gain)
    else:
        target = max(baseline - gain, quant)
    if target == baseline:
        return None
    # How far the KPI gets by the last measurement: most get well along, a few overshoot or stall.
    reach = rng.choice((0.35, 0.6, 0.8, 0.95, 1.05, 1.15)) * rng.uniform(0.85, 1.1)
    reach *= 1 - 0.5 * ctx.strain(p, today)  # a souring partnership's initiatives stall
    points = []
    for k in range(1, months + 1):
        share = reach * k / months + rng.uniform(-0.08, 0.08)
        value = (baseline + (target - baseline) * Decimal(str(round(share, 4)))).quantize(quant)
        value = max(value, Decimal(0))
        if unit == "%":
            value = min(value, Decimal(100))
        who = supplier_owner if rng.random() < 0.5 else customer_owner
        points.append((start + dt.timedelta(days=spacing * k), value, rng.choice(NOTES), who))
    last_day = points[-1][0]
    target_date = start + dt.timedelta(days=rng.choice((120, 180, 270, 365)))
    final_share = float((points[-1][1] - baseline) / (target - baseline))
    status = InitiativeStatus.ACTIVE
    if final_share >= 0.95 and (target_date <= today or rng.random() < 0.3):
        status = InitiativeStatus.COMPLETED
    elif final_share < 0.45 and rng.random() < 0.35:
        status = InitiativeStatus.ABANDONED
    # Where in PDCA it stands: one step per couple of measurements, round and round.
    steps = 3 if status == InitiativeStatus.COMPLETED else min(len(points) // 2, 7)
    stage, cycle, stage_days = Stage.PLAN, 1, []
    for n in range(steps):
        if stage == Stage.ACT:
            cycle += 1
        stage = Stage(NEXT_STAGE[stage])
        stage_days.append(
            (start + dt.timedelta(days=int((last_day - start).days * (n + 1) / (steps + 1))), stage)
        )
    cases: list[Any] = []
    if recurring and rng.random() < 0.5:
        cases = rng.choice(recurring)[:5]
        cause = _root_cause_of(cases[0])
        label = CAUSES_ID.get(cause, cause)
        title = ROOT_CAUSE_TITLE.format(title=title, cause=label)
    side = rng.choice((Side.SUPPLIER, Side.CUSTOMER))
    creator = supplier_owner if side == Side.SUPPLIER else customer_owner
    closed_at = (
        _at(min(last_day + dt.timedelta(days=3), today), 16) if status != InitiativeStatus.ACTIVE else None
    )
    initiative = Initiative(
        partnership=p,
        title=title,
        description=description,
        stage=stage,
        cycle=cycle,
        status=status,
        supplier_owner=supplier_owner,
        customer_owner=customer_owner,
        start_date=start,
        target_date=max(target_date, start),
        kpi_name=name,
        kpi_unit=unit,
        direction=direction,
        baseline=baseline,
        target=target,
        created_by=creator.user,
        created_side=side,
        closed_at=closed_at,
    )
    return {
        "initiative": initiative,
        "points": points,
        "cases": cases,
        "stages": stage_days,
        "creator": creator,
        "closed_at": closed_at,
    }


def _event(
    initiative: Initiative, url: str, verb: str, at: dt.datetime, who: Membership, detail: str = ""
) -> Event:
    return Event(
        partnership_id=initiative.partnership_id,
        kind="initiative",
        object_id=initiative.pk,
        verb=verb,
        title=initiative.title[:200],
        detail=detail[:300],
        url=url,
        actor_side=Side.SUPPLIER if who is initiative.supplier_owner else Side.CUSTOMER,
        actor_user=who.user,
        at=at,
    )


def _events(ctx: DemoContext, plans: list[dict[str, Any]], measurements: list[Measurement]) -> None:
    for plan in plans:
        initiative: Initiative = plan["initiative"]
        url = initiative.get_absolute_url()
        creator = plan["creator"]

        ctx.events.append(_event(initiative, url, "created", _at(initiative.start_date, 9), creator))
        for day, stage in plan["stages"]:
            ctx.events.append(
                _event(initiative, url, "stage_changed", _at(day, 11), creator, str(stage.label))
            )
        if plan["closed_at"]:
            ctx.events.append(
                _event(
                    initiative,
                    url,
                    "closed",
                    plan["closed_at"],
                    creator,
                    str(initiative.get_status_display()),
                )
            )
    by_initiative = {plan["initiative"].pk: plan["initiative"] for plan in plans}
    for m in measurements:
        initiative = by_initiative[m.initiative_id]
        who = initiative.supplier_owner if m.recorded_side == Side.SUPPLIER else initiative.customer_owner
        value = format(m.value.normalize(), "f")
        ctx.events.append(
            Event(
                partnership_id=initiative.partnership_id,
                kind="measurement",
                object_id=m.pk,
                verb="measured",
                title=initiative.title[:200],
                detail=f"{initiative.kpi_name}: {value} {initiative.kpi_unit}".strip()[:300],
                url=initiative.get_absolute_url(),
                actor_side=m.recorded_side,
                actor_user=who.user if who else None,
                at=_at(m.measured_on, 15),
            )
        )
