"""Two years of cases for every partnership of the demo: 3–15 each, most closed with the customer's
confirmation, a few disputed, some still open (and a few of those past their SLA). Each partnership has one
or two root causes that keep coming back, so that "recurring" shows; a few cases were anticipated by a risk
of the same partnership (``ctx.shared["risks"]``). A lost partnership's cases stop at its loss
(``ctx.end_of``); a souring one has more of them, and more disputed, as the loss nears (``ctx.strain``).
Shares ``ctx.shared["cases"]``."""

from __future__ import annotations

import datetime as dt
import functools
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db.models import OuterRef, Subquery
from simple_history.utils import bulk_create_with_history

from mitra.cases.models import Case, CaseOption, CaseRootCause, CaseStatus, sla_due
from mitra.demo.context import DemoContext
from mitra.partnerships.models import Partnership, Side
from mitra.threads.models import Event

BATCH = 1000

# (title, category, usual root cause, desired outcome in the customer's words)
STORIES: tuple[tuple[str, str, str, str], ...] = (
    (
        "Pengiriman terlambat ke DC Cikarang",
        "delivery",
        "process",
        "Barang sampai sebelum jam 10 pagi, sesuai slot bongkar.",
    ),
    (
        "Karton penyok saat diterima",
        "quality",
        "material",
        "Tidak ada karton rusak di rak toko; yang rusak diganti minggu ini.",
    ),
    (
        "Invoice tidak cocok dengan PO",
        "invoicing",
        "process",
        "Invoice sama persis dengan PO, supaya bisa dibayar tepat waktu.",
    ),
    (
        "Short shipment mie instan 24 karton",
        "delivery",
        "people",
        "Sisa 24 karton dikirim sebelum promo akhir pekan.",
    ),
    (
        "Label kedaluwarsa tidak terbaca",
        "product",
        "equipment",
        "Tanggal kedaluwarsa jelas terbaca oleh kasir dan pelanggan.",
    ),
    (
        "Suhu truk di atas 8°C",
        "quality",
        "equipment",
        "Rantai dingin terjaga: suhu tercatat di bawah 8°C setiap pengiriman.",
    ),
    (
        "Harga promo belum masuk sistem",
        "invoicing",
        "communication",
        "Harga promo berlaku di invoice sejak hari pertama promo.",
    ),
    (
        "Sales rep sulit dihubungi",
        "communication",
        "people",
        "Ada satu kontak yang menjawab dalam 2 jam kerja.",
    ),
    (
        "Barcode tidak terbaca di kasir",
        "product",
        "method",
        "Semua barcode terbaca di kasir tanpa input manual.",
    ),
    (
        "Retur belum dijemput",
        "service",
        "process",
        "Barang retur dijemput dalam 3 hari kerja dan kreditnya tercatat.",
    ),
    (
        "Kemasan bocor saldo minyak goreng",
        "quality",
        "material",
        "Tidak ada kemasan bocor; kerugian stok diganti.",
    ),
    (
        "Jadwal kunjungan merchandiser tidak tetap",
        "service",
        "method",
        "Merchandiser datang setiap Senin dan Kamis.",
    ),
    (
        "Forecast Lebaran meleset",
        "delivery",
        "measurement",
        "Stok aman selama Lebaran tanpa kelebihan setelahnya.",
    ),
    (
        "Banjir menghambat rute Bekasi",
        "delivery",
        "environment",
        "Rute alternatif disepakati sebelum musim hujan.",
    ),
    (
        "Credit note terlambat 2 bulan",
        "invoicing",
        "people",
        "Credit note terbit paling lambat 14 hari setelah klaim.",
    ),
    ("Planogram tidak diikuti", "service", "communication", "Rak sesuai planogram yang disepakati bersama."),
)

OPTIONS: tuple[tuple[str, int, int, str], ...] = (
    ("Kirim ulang dengan truk tambahan", 2, -1, "high"),
    ("Credit note untuk barang rusak", 1, -1, "low"),
    ("Perbaiki SOP dan latih tim gudang", 1, 1, "medium"),
    ("Slot bongkar baru yang disepakati bersama", 2, 1, "medium"),
    ("Cek ganda sebelum truk berangkat", 1, 0, "low"),
    ("Ganti supplier kemasan", 1, 1, "high"),
    ("Integrasi EDI untuk PO dan invoice", 2, 2, "high"),
    ("Diskon tambahan 2% bulan ini", 1, -2, "low"),
    ("Buffer stock di gudang pelanggan", 2, -1, "medium"),
    ("Weekly call antara kedua PIC", 1, 1, "low"),
)

JUSTIFICATIONS = (
    "Promo akhir pekan lebih penting; biaya tambahan kami tanggung sekali ini.",
    "Menjaga kepercayaan pelanggan sebelum Lebaran.",
    "Solusi jangka pendek sambil SOP baru disiapkan.",
)

DISPUTES = (
    "Masih ada 3 karton rusak di toko Bekasi.",
    "Credit note belum masuk ke sistem kami.",
    "Pengiriman minggu ini terlambat lagi.",
)

SEVERITIES = ("critical", "high", "medium", "low")
SEVERITY_WEIGHTS = (1, 3, 5, 3)


def seed_demo(ctx: DemoContext) -> dict[str, int]:
    rng = ctx.rng
    risks_of: dict[int, list[Any]] = defaultdict(list)
    for risk in ctx.shared.get("risks", []):
        risks_of[risk.partnership_id].append(risk)
    # The large world has a thousand partnerships: fewer cases each keep it quick to write.
    low, high = (3, 4) if ctx.size == "large" else (3, 15)
    plans: list[dict[str, Any]] = []
    writers = {org: [m for m in people if m.can_write] for org, people in ctx.people.items()}
    for p in ctx.partnerships:
        upto = ctx.until(p)  # a lost partnership's history stops at its loss
        start = ctx.start_of(p)
        span = max((upto.today - start).days, 1)
        favourites = rng.sample([rc.value for rc in CaseRootCause if rc != CaseRootCause.UNKNOWN], 2)
        days = [start + dt.timedelta(days=rng.randint(0, span)) for _ in range(rng.randint(low, high))]
        souring = ctx.souring.get(p.pk, 0)
        if souring:
            # A souring partnership's last months bring more cases.
            first = upto.today - dt.timedelta(days=souring)
            days += [
                first + dt.timedelta(days=int(souring * rng.random() ** 0.5))
                for _ in range(rng.randint(2, 4))
            ]
        for raised_on in days:
            plans.append(_plan(upto, writers, p, raised_on, favourites, risks_of.get(p.pk, [])))

    cases = [plan["case"] for plan in plans]
    options: list[CaseOption] = []
    with _timestamps_as_given(Case, CaseOption):
        bulk_create_with_history(cases, Case, batch_size=BATCH)
        for plan in plans:
            for option in plan["options"]:
                option.case_id = plan["case"].pk
                options.append(option)
        bulk_create_with_history(options, CaseOption, batch_size=BATCH)
    # Link each choice in one statement: the chosen option is always a case's first one.
    first_option = CaseOption.objects.filter(case=OuterRef("pk")).order_by("pk").values("pk")[:1]
    Case.objects.filter(
        partnership_id__in=[p.pk for p in ctx.partnerships], chosen_option__isnull=True
    ).exclude(status=CaseStatus.OPEN).update(chosen_option=Subquery(first_option))
    for plan in plans:
        if plan["chosen"] is not None:
            plan["case"].chosen_option_id = plan["options"][0].pk
    for plan in plans:
        _events(ctx, plan)
    ctx.shared["cases"] = cases
    return {"cases": len(cases), "case_options": len(options)}


def _plan(
    ctx: DemoContext,
    writers: dict[int, list[Any]],
    p: Partnership,
    raised_on: dt.date,
    favourites: list[str],
    risks: list[Any],
) -> dict[str, Any]:
    rng = ctx.rng
    title, category, usual, outcome = rng.choice(STORIES)
    root_cause = rng.choice(favourites) if rng.random() < 0.55 else usual
    raised_at = _moment(ctx, raised_on)
    age_days = (ctx.now - raised_at).days
    severity = rng.choices(SEVERITIES, SEVERITY_WEIGHTS)[0]
    due = sla_due(severity, raised_at)
    raised_side = Side.CUSTOMER if rng.random() < 0.65 else Side.SUPPLIER
    customer = _person(ctx, writers, p.customer_id)
    raiser = customer if raised_side == Side.CUSTOMER else _person(ctx, writers, p.supplier_id)
    supplier = _person(ctx, writers, p.supplier_id)

    # Where the case stands today: older ones are mostly closed.
    roll = rng.random()
    if age_days > 45:
        status = (
            CaseStatus.CLOSED
            if roll < 0.85
            else CaseStatus.IN_PROGRESS
            if roll < 0.93
            else CaseStatus.RESOLVED
        )
    elif age_days > 7:
        status = (
            CaseStatus.CLOSED
            if roll < 0.45
            else CaseStatus.RESOLVED
            if roll < 0.6
            else CaseStatus.IN_PROGRESS
            if roll < 0.8
            else CaseStatus.OPEN
        )
    else:
        status = CaseStatus.OPEN if roll < 0.6 else CaseStatus.IN_PROGRESS
    if p.status == "ended" and status != CaseStatus.CLOSED and age_days > 7:
        status = CaseStatus.CLOSED
    strain = ctx.strain(p, raised_on)
    disputes = 1 if status != CaseStatus.OPEN and rng.random() < 0.12 + 0.5 * strain else 0
    if status == CaseStatus.IN_PROGRESS and age_days > 45:
        disputes = max(disputes, 1)  # still being argued about

    picks = rng.sample(OPTIONS, rng.randint(2, 3 if ctx.size == "large" else 4))
    options = [
        CaseOption(
            partnership=p,
            summary=summary,
            value_to_customer=vc,
            value_to_supplier=vs,
            effort=effort,
            proposed_by_side=rng.choice((Side.SUPPLIER, Side.CUSTOMER)),
        )
        for summary, vc, vs, effort in picks
    ]
    chosen = None
    justification = ""
    if status != CaseStatus.OPEN:
        chosen = 0  # the chosen option is listed first (see seed_demo)
        if not options[chosen].is_win_win:
            justification = rng.choice(JUSTIFICATIONS)

    # The supplier usually resolves within the SLA; sometimes later. A disputed case was resolved twice.
    latest = ctx.now - dt.timedelta(hours=1)
    window = due - raised_at
    first = raised_at + window * (
        rng.uniform(0.2, 0.9) if rng.random() < 0.8 - 0.4 * strain else rng.uniform(1.1, 2.5)
    )
    disputed_at = min(first + dt.timedelta(days=1), latest) if disputes else None
    resolved_at = min(first + dt.timedelta(days=rng.randint(2, 4)) if disputes else first, latest)
    closed_at = min(resolved_at + dt.timedelta(days=rng.randint(1, 6)), ctx.now - dt.timedelta(minutes=30))
    confirmed = raised_side == Side.CUSTOMER or status == CaseStatus.CLOSED or rng.random() < 0.6
    is_resolved = status in (CaseStatus.RESOLVED, CaseStatus.CLOSED)
    breached = (status in (CaseStatus.OPEN, CaseStatus.IN_PROGRESS) and due < ctx.now) or (
        is_resolved and resolved_at > due
    )
    risk = rng.choice(risks) if risks and rng.random() < 0.2 else None
    case = Case(
        partnership=p,
        title=title,
        description=rng.choice(
            (
                "Dilaporkan oleh tim toko; foto terlampir di email.",
                "Terjadi dua kali bulan ini. Mohon ditindaklanjuti.",
                "Ditemukan saat penerimaan barang di DC.",
                "",
            )
        ),
        severity=severity,
        category=category,
        root_cause=root_cause if status != CaseStatus.OPEN or rng.random() < 0.5 else "",
        status=status,
        raised_by_side=raised_side,
        raised_by=raiser.user if raiser else None,
        desired_outcome=outcome,
        outcome_stated_by=customer,
        outcome_entered_by_side=raised_side,
        outcome_confirmed_at=(
            raised_at
            if raised_side == Side.CUSTOMER
            else closed_at
            if status == CaseStatus.CLOSED
            else raised_at + dt.timedelta(hours=3)
        )
        if confirmed
        else None,
        outcome_confirmed_by=customer.user if confirmed and customer else None,
        anticipated_by=risk,
        justification=justification,
        chosen_at=raised_at + dt.timedelta(hours=4) if chosen is not None else None,
        resolution_note="Sudah ditindaklanjuti sesuai opsi yang dipilih." if is_resolved else "",
        resolved_at=resolved_at if is_resolved else None,
        resolved_by=supplier.user if is_resolved and supplier else None,
        closed_at=closed_at if status == CaseStatus.CLOSED else None,
        closed_by=customer.user if status == CaseStatus.CLOSED and customer else None,
        dispute_count=disputes,
        dispute_reason=rng.choice(DISPUTES) if disputes else "",
        disputed_at=disputed_at,
        sla_due_at=due,
        sla_breached_at=max(due, resolved_at)
        if breached and is_resolved
        else min(due + dt.timedelta(hours=1), latest)
        if breached
        else None,
    )
    case.created_at = case.updated_at = raised_at
    case._history_date = raised_at  # type: ignore[attr-defined]
    case._history_user = case.raised_by  # type: ignore[attr-defined]
    for option in options:
        option.created_at = option.updated_at = raised_at + dt.timedelta(hours=2)
        option._history_date = option.created_at  # type: ignore[attr-defined]
    return {
        "case": case,
        "options": options,
        "chosen": chosen,
        "raised_at": raised_at,
        "raised_side": raised_side,
        "customer": customer,
        "supplier": supplier,
        "raiser": raiser,
    }


def _events(ctx: DemoContext, plan: dict[str, Any]) -> None:
    case: Case = plan["case"]
    url = _url_pattern().format(p=case.partnership_id, c=case.pk)

    def add(verb: str, at: dt.datetime | None, side: str, person: Any, detail: str = "") -> None:
        if at is None:
            return
        ctx.events.append(
            Event(
                partnership_id=case.partnership_id,
                kind="case",
                object_id=case.pk,
                verb=verb,
                title=case.title[:200],
                detail=detail[:300],
                url=url,
                actor_user=person.user if person else None,
                actor_side=side,
                at=at,
            )
        )

    add("created", plan["raised_at"], plan["raised_side"], plan["raiser"])
    for option in plan["options"]:
        person = plan["supplier"] if option.proposed_by_side == Side.SUPPLIER else plan["customer"]
        add("option_added", option.created_at, option.proposed_by_side, person, option.summary)
    if (
        case.outcome_entered_by_side == Side.SUPPLIER
        and case.outcome_confirmed_at
        and case.status != CaseStatus.CLOSED
    ):
        add("outcome_confirmed", case.outcome_confirmed_at, Side.CUSTOMER, plan["customer"])
    if plan["chosen"] is not None:
        add(
            "chosen", case.chosen_at, Side.SUPPLIER, plan["supplier"], plan["options"][plan["chosen"]].summary
        )
    if case.dispute_count and case.disputed_at:
        add("resolved", case.disputed_at - dt.timedelta(hours=20), Side.SUPPLIER, plan["supplier"])
        add("disputed", case.disputed_at, Side.CUSTOMER, plan["customer"], case.dispute_reason)
    if case.resolved_at:
        add("resolved", case.resolved_at, Side.SUPPLIER, plan["supplier"])
    if case.closed_at:
        add("confirmed", case.closed_at, Side.CUSTOMER, plan["customer"])
    if case.sla_breached_at:
        add("breached", case.sla_breached_at, "", None)


@functools.cache
def _url_pattern() -> str:
    """The case page's address with {p} and {c} holes, reversed once (per case it shows in a large demo)."""
    url = Case(pk=987654321, partnership_id=123456789).get_absolute_url()
    return url.replace("123456789", "{p}").replace("987654321", "{c}")


def _moment(ctx: DemoContext, day: dt.date) -> dt.datetime:
    at = dt.datetime.combine(day, dt.time(1), tzinfo=dt.UTC) + dt.timedelta(minutes=ctx.rng.randint(0, 600))
    return min(at, ctx.now - dt.timedelta(hours=3))


def _person(ctx: DemoContext, writers: dict[int, list[Any]], organisation_id: int) -> Any:
    people = writers.get(organisation_id)
    return ctx.rng.choice(people) if people else None


@contextmanager
def _timestamps_as_given(*models: Any) -> Iterator[None]:
    """Insert ``created_at`` / ``updated_at`` as set on the objects (the demo's past), not "now"."""
    fields = [
        (f, f.auto_now, f.auto_now_add)
        for model in models
        for f in model._meta.concrete_fields
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    ]
    for f, _now, _add in fields:
        f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, now, add in fields:
            f.auto_now, f.auto_now_add = now, add
