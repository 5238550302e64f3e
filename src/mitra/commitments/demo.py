"""Two years of mutual action plans for every partnership of the demo.

Each partnership gets 6–25 commitments over its history, from both sides, about 30% of them proactive.
Most past ones were kept on time (and most of those acknowledged by the other side), some were delivered
late after the daily job had marked them missed, some stayed missed and a few were cancelled; recent ones
are open. Nothing open is past its due date: the daily job would have marked it missed. A lost
partnership's promises stop at its loss (``ctx.end_of``); a souring one keeps fewer of them as the loss
nears (``ctx.strain``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from simple_history.utils import bulk_create_with_history

from mitra.commitments.models import Commitment, CommitmentStatus
from mitra.demo.context import DemoContext
from mitra.partnerships.models import Partnership, Side
from mitra.threads.models import Event

# (title, description, which side usually promises it)
CATALOGUE: list[tuple[str, str, str]] = [
    ("Kirim forecast permintaan 13 minggu", "Per SKU dan per DC, diperbarui tiap Senin.", Side.CUSTOMER),
    (
        "Share weekly POS data per store",
        "Sell-out per SKU so the supplier can plan production.",
        Side.CUSTOMER,
    ),
    ("Bayar invoice bulan lalu tepat waktu", "Sesuai termin 30 hari di kontrak.", Side.CUSTOMER),
    ("Confirm the promo calendar for next quarter", "", Side.CUSTOMER),
    ("Siapkan slot bongkar muat pagi di DC Cikarang", "Supaya truk tidak antre lewat jam 10.", Side.CUSTOMER),
    ("Give feedback on the new packaging samples", "", Side.CUSTOMER),
    ("Kirim daftar toko untuk listing produk baru", "", Side.CUSTOMER),
    ("Review the service level agreement draft", "Comments in the shared document.", Side.CUSTOMER),
    ("Kirim jadwal produksi bulan depan", "Termasuk rencana maintenance mesin.", Side.SUPPLIER),
    ("Send the certificate of analysis for every batch", "Attached to the delivery note.", Side.SUPPLIER),
    ("Perbaiki label halal pada kemasan 500 g", "Temuan audit kualitas bulan lalu.", Side.SUPPLIER),
    ("Propose a safety-stock level for the top 20 SKUs", "", Side.SUPPLIER),
    ("Kirim sampel varian rasa baru", "Untuk uji panel konsumen di toko percontohan.", Side.SUPPLIER),
    ("Train the store team on shelf replenishment", "Two sessions, Jakarta and Surabaya.", Side.SUPPLIER),
    (
        "Kirim analisis akar masalah keterlambatan pengiriman",
        "Dengan tindakan perbaikan dan tanggal.",
        Side.SUPPLIER,
    ),
    ("Offer a consignment pilot for slow movers", "", Side.SUPPLIER),
    ("Siapkan laporan OTIF kuartal ini", "Dibahas di business review berikutnya.", Side.SUPPLIER),
    ("Align the master data of new items", "Barcodes, case sizes and pallet patterns.", Side.SUPPLIER),
    ("Jadwalkan kunjungan pabrik untuk tim kualitas", "", Side.SUPPLIER),
    ("Agree on a joint plan for Lebaran peak season", "Volumes, trucks and extra shifts.", Side.SUPPLIER),
]

CANCEL_REASONS = [
    "Digantikan oleh rencana baru di business review.",
    "No longer needed after the assortment change.",
    "Ditunda ke kuartal depan atas kesepakatan bersama.",
    "Merged into another commitment.",
]

LOSS_REASON = "Ditutup karena kemitraan dihentikan sementara atau berakhir."

SITE_TZ = ZoneInfo(settings.TIME_ZONE)


@contextmanager
def _keeping_dates() -> Iterator[None]:
    """Let the bulk insert keep the historical ``created_at``/``updated_at`` instead of stamping now."""
    created = Commitment._meta.get_field("created_at")
    updated = Commitment._meta.get_field("updated_at")
    saved = created.auto_now_add, updated.auto_now
    created.auto_now_add = updated.auto_now = False
    try:
        yield
    finally:
        created.auto_now_add, updated.auto_now = saved


def seed_demo(ctx: DemoContext) -> dict[str, int]:
    commitments: list[Commitment] = []
    for p in ctx.partnerships:
        commitments.extend(_plan(ctx, p))
    with _keeping_dates():
        bulk_create_with_history(commitments, Commitment, batch_size=1000)
    for c in commitments:
        _events(ctx, c)
    ctx.shared["commitments"] = commitments
    return {"commitments": len(commitments)}


def _plan(ctx: DemoContext, p: Partnership) -> list[Commitment]:
    ctx = ctx.until(p)  # a lost partnership's history stops at its loss
    rng = ctx.rng
    start = ctx.start_of(p)
    span = max((ctx.today - start).days, 1)
    bridges = ctx.bridges.get(p.pk, [])
    # A partnership's own temperament: how well each side keeps its word.
    keeps: dict[str, float] = {Side.SUPPLIER: rng.uniform(0.6, 0.95), Side.CUSTOMER: rng.uniform(0.55, 0.95)}
    made: list[Commitment] = []
    for _ in range(rng.randint(6, 25)):
        title, description, usual = rng.choice(CATALOGUE)
        side = usual if rng.random() < 0.8 else _other(usual)
        owner = _person(ctx, _org(p, side))
        if owner is None:
            continue
        recorder_side = side if rng.random() < 0.75 else _other(side)
        recorder = _person(ctx, _org(p, recorder_side))
        if recorder is None:
            recorder, recorder_side = owner, side
        # Recent ones weigh a little more, so that every partnership has some open commitments.
        offset = int(span * (rng.random() ** 0.7))
        created_day = min(start + dt.timedelta(days=offset), ctx.today)
        due = created_day + dt.timedelta(days=rng.randint(5, 45))
        created = _moment(ctx, created_day)
        c = Commitment(
            partnership=p,
            title=title,
            description=description,
            owner=owner,
            owner_side=side,
            bridge=rng.choice(bridges) if bridges and rng.random() < 0.6 else None,
            due_date=due,
            proactive=rng.random() < 0.3,
            created_by=recorder.user,
            created_by_side=recorder_side,
            created_at=created,
            updated_at=created,
        )
        # A souring partnership keeps fewer promises as its loss nears.
        _settle(ctx, c, keeps[side] * (1 - 0.6 * ctx.strain(p, created_day)))
        if ctx.is_lost(p) and c.status == CommitmentStatus.OPEN:
            # Still open when the partnership was paused or ended: withdrawn with it (else the daily job
            # would mark it missed long after the loss).
            c.status = CommitmentStatus.CANCELLED
            c.cancelled_at = max(ctx.now, c.created_at)
            c.cancel_reason = LOSS_REASON
            c.updated_at = c.cancelled_at
        c._history_date = c.updated_at  # type: ignore[attr-defined]
        c._history_user = c.created_by  # type: ignore[attr-defined]
        made.append(c)
    return made


def _settle(ctx: DemoContext, c: Commitment, keeps: float) -> None:
    """Decide what became of the promise, consistent with the rules and the daily job."""
    rng = ctx.rng
    created_day = c.created_at.astimezone(SITE_TZ).date()
    roll = rng.random()
    if c.due_date >= ctx.today:
        # Not due yet: mostly open; some already delivered early; a few cancelled.
        if roll < 0.2 and created_day < ctx.today:
            _done(ctx, c, _day_between(ctx, created_day + dt.timedelta(days=1), ctx.today))
        elif roll < 0.25:
            _cancel(ctx, c)
        return
    if roll < keeps:
        _done(ctx, c, _day_between(ctx, created_day + dt.timedelta(days=1), c.due_date))
    elif roll < keeps + (1 - keeps) * 0.45:
        # The job marked it missed the day after the due date; delivered late afterwards.
        c.status = CommitmentStatus.MISSED
        c.missed_at = min(_job_time(c.due_date), ctx.now)
        late_by = rng.randint(1, 20)
        if c.due_date + dt.timedelta(days=late_by) < ctx.today:
            _done(ctx, c, c.due_date + dt.timedelta(days=late_by))
    elif roll < keeps + (1 - keeps) * 0.85:
        c.status = CommitmentStatus.MISSED
        c.missed_at = min(_job_time(c.due_date), ctx.now)
        c.updated_at = c.missed_at
    else:
        _cancel(ctx, c)


def _done(ctx: DemoContext, c: Commitment, day: dt.date) -> None:
    rng = ctx.rng
    at = max(_moment(ctx, day), c.created_at + dt.timedelta(minutes=5))
    c.status = CommitmentStatus.DONE
    c.done_at = at
    c.done_by = c.owner.user if c.owner else None
    c.on_time = at.astimezone(SITE_TZ).date() <= c.due_date
    c.updated_at = at
    if rng.random() < 0.8:
        ack = at + dt.timedelta(hours=rng.randint(2, 24 * 6))
        if ack < ctx.now:
            receiver = _person(ctx, _org(c.partnership, c.receiving_side))
            c.status = CommitmentStatus.ACKNOWLEDGED
            c.acknowledged_at = ack
            c.acknowledged_by = receiver.user if receiver else None
            c.updated_at = ack


def _cancel(ctx: DemoContext, c: Commitment) -> None:
    at = min(c.created_at + dt.timedelta(days=ctx.rng.randint(1, 10)), ctx.now - dt.timedelta(hours=1))
    c.status = CommitmentStatus.CANCELLED
    c.cancelled_at = max(at, c.created_at)
    c.cancel_reason = ctx.rng.choice(CANCEL_REASONS)
    c.updated_at = c.cancelled_at


def _events(ctx: DemoContext, c: Commitment) -> None:
    url = c.get_absolute_url()

    def add(verb: str, at: dt.datetime, side: str, user: Any, detail: str = "") -> None:
        ctx.events.append(
            Event(
                partnership_id=c.partnership_id,
                kind="commitment",
                object_id=c.pk,
                verb=verb,
                title=c.title[:200],
                detail=detail,
                url=url,
                actor_user=user,
                actor_side=side,
                at=at,
            )
        )

    add("created", c.created_at, c.created_by_side, c.created_by)
    if c.missed_at:
        add("missed", c.missed_at, "", None)
    if c.done_at:
        add("done", c.done_at, c.owner_side, c.done_by)
    if c.acknowledged_at:
        add("acknowledged", c.acknowledged_at, c.receiving_side, c.acknowledged_by)
    if c.cancelled_at:
        add("cancelled", c.cancelled_at, c.owner_side, c.created_by, c.cancel_reason)


def _job_time(due: dt.date) -> dt.datetime:
    """When the daily job ran the day after the due date (site time)."""
    return dt.datetime.combine(due + dt.timedelta(days=1), dt.time(0, 5), tzinfo=SITE_TZ)


def _day_between(ctx: DemoContext, first: dt.date, last: dt.date) -> dt.date:
    if last <= first:
        return min(first, ctx.today)
    return first + dt.timedelta(days=ctx.rng.randint(0, (last - first).days))


def _moment(ctx: DemoContext, day: dt.date) -> dt.datetime:
    at = dt.datetime.combine(day, dt.time(8), tzinfo=SITE_TZ) + dt.timedelta(minutes=ctx.rng.randint(0, 540))
    return min(at, ctx.now - dt.timedelta(hours=2))


def _other(side: str) -> str:
    return Side.CUSTOMER if side == Side.SUPPLIER else Side.SUPPLIER


def _org(p: Partnership, side: str) -> int:
    return p.supplier_id if side == Side.SUPPLIER else p.customer_id


def _person(ctx: DemoContext, organisation_id: int) -> Any:
    people = [m for m in ctx.people.get(organisation_id, []) if m.can_write]
    return ctx.rng.choice(people) if people else None
