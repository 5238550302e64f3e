"""Two years of moments of truth for every partnership of the demo.

Each partnership gets regular deliveries (OTIF between about 85 and 95 %, its own temperament), monthly
meetings and calls, invoices and payments, a few visits, reviews and orders, and an occasional complaint.
Deliveries carry their surat jalan number (``SJ/2026/00123``); invoices their number (``INV/2026/00123``),
an amount in rupiah, a due date 30 days after issue and, once paid, the payment (most on time, some late,
more so as a souring partnership nears its loss; the most recent ones still open).
After some of them the recording side sent a survey to a person of the other side; about 60 % were
answered (scores in line with how things went), recent unanswered ones are pending and older ones expired.
The small world stays under 60 touchpoints per partnership; larger worlds get fewer per partnership.
A lost partnership's touchpoints stop at its loss (``ctx.end_of``); a souring one has more late and short
deliveries, tenser meetings and extra complaints as the loss nears (``ctx.strain``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from simple_history.utils import bulk_create_with_history

from mitra.accounts.models import Membership
from mitra.core.services import derived_secret, hash_secret
from mitra.demo.context import DemoContext
from mitra.moments.models import Kind, Outcome, SurveyRequest, Touchpoint, follow_otif, follow_paid_on_time
from mitra.moments.services import SURVEY_DAYS, TOKEN_PURPOSE
from mitra.partnerships.models import Partnership, Side
from mitra.threads.models import Event

SITE_TZ = ZoneInfo(settings.TIME_ZONE)

# Per size: deliveries, meetings and calls, invoices and payments, other touchpoints, complaints (max).
VOLUME: dict[str, tuple[int, int, int, int, int]] = {
    "small": (30, 10, 8, 4, 3),
    "medium": (16, 6, 4, 2, 2),
    "large": (8, 3, 2, 1, 1),
}
SURVEY_SHARE = {"small": 0.3, "medium": 0.25, "large": 0.2}
PAYMENT_TERMS_DAYS = 30

DELIVERY_TEXTS = [
    "Pengiriman mingguan ke DC Cikarang",
    "Weekly replenishment to the Surabaya DC",
    "Kirim {qty} karton sesuai PO",
    "Delivery of {qty} cases, PO confirmed on Monday",
    "Pengiriman promo akhir bulan",
    "Restock fast movers for the weekend",
]
MEETING_TEXTS = [
    ("meeting", "Rapat bulanan: review forecast dan stok"),
    ("meeting", "Monthly business review with both teams"),
    ("meeting", "Pembahasan kalender promo kuartal depan"),
    ("call", "Telepon koordinasi jadwal pengiriman"),
    ("call", "Call about the new listing and shelf space"),
    ("call", "Follow-up call on last week's short delivery"),
]
MONEY_TEXTS = [
    ("invoice", "Invoice bulan ini dikirim"),
    ("invoice", "Invoice for last month's deliveries"),
    ("payment", "Pembayaran invoice diterima"),
    ("payment", "Payment received within terms"),
]
OTHER_TEXTS = [
    ("visit", "Kunjungan ke pabrik oleh tim kualitas"),
    ("visit", "Store visit with the category manager"),
    ("review", "Quarterly review of the partnership scorecard"),
    ("order", "PO besar untuk persiapan Lebaran"),
    ("other", "Audit halal tahunan"),
]
COMPLAINT_TEXTS = [
    "Keluhan: kemasan rusak pada pengiriman terakhir",
    "Complaint: late delivery caused an empty shelf",
    "Keluhan: tanggal kedaluwarsa terlalu dekat",
    "Complaint: invoice did not match the delivery note",
]
COMMENTS = {
    "good": [
        "Tepat waktu dan lengkap, terima kasih.",
        "Great coordination, the team was very responsive.",
        "Pelayanan bagus, komunikasi lancar.",
        "",
    ],
    "mixed": [
        "Cukup baik, tapi konfirmasi jadwal bisa lebih cepat.",
        "OK overall; paperwork took a while.",
        "",
    ],
    "bad": [
        "Pengiriman terlambat dan beberapa karton kurang.",
        "We had to chase this several times.",
        "Mohon perbaiki komunikasi saat ada kendala.",
    ],
}


@contextmanager
def _keeping_dates() -> Iterator[None]:
    """Let the bulk insert keep the historical ``created_at``/``updated_at`` instead of stamping now."""
    fields = [
        (model._meta.get_field("created_at"), model._meta.get_field("updated_at"))
        for model in (Touchpoint, SurveyRequest)
    ]
    saved = [(c.auto_now_add, u.auto_now) for c, u in fields]
    for c, u in fields:
        c.auto_now_add = u.auto_now = False
    try:
        yield
    finally:
        for (c, u), (add, now) in zip(fields, saved, strict=True):
            c.auto_now_add, u.auto_now = add, now


def seed_demo(ctx: DemoContext) -> dict[str, int]:
    volume = VOLUME.get(ctx.size, VOLUME["large"])
    touchpoints: list[Touchpoint] = []
    for p in ctx.partnerships:
        touchpoints.extend(_touchpoints(ctx, p, volume))
    with _keeping_dates():
        bulk_create_with_history(touchpoints, Touchpoint, batch_size=1000)
        surveys = [s for t in touchpoints if (s := _survey(ctx, t)) is not None]
        bulk_create_with_history(surveys, SurveyRequest, batch_size=1000)
    for t in touchpoints:
        _touchpoint_event(ctx, t)
    for s in surveys:
        _survey_events(ctx, s)
    ctx.shared["touchpoints"] = touchpoints
    return {"touchpoints": len(touchpoints), "surveys": len(surveys)}


# --- touchpoints ----------------------------------------------------------------------------------------


def _org(p: Partnership, side: str) -> int:
    return p.supplier_id if side == Side.SUPPLIER else p.customer_id


def _other(side: str) -> str:
    return Side.CUSTOMER if side == Side.SUPPLIER else Side.SUPPLIER


def _person(ctx: DemoContext, organisation_id: int) -> Membership | None:
    people = [m for m in ctx.people.get(organisation_id, []) if m.role != "viewer"]
    return ctx.rng.choice(people) if people else None


def _moment(ctx: DemoContext, day: dt.date) -> dt.datetime:
    at = dt.datetime.combine(day, dt.time(ctx.rng.randint(8, 16), ctx.rng.choice((0, 15, 30, 45))), SITE_TZ)
    return min(at, ctx.now - dt.timedelta(minutes=ctx.rng.randint(5, 600)))


def _days(ctx: DemoContext, p: Partnership, count: int) -> list[dt.date]:
    """``count`` days spread over the partnership's history (regular, with some jitter), oldest first."""
    start = ctx.start_of(p)
    span = max((ctx.today - start).days, 1)
    count = max(1, min(count, span))
    step = span / count
    days = []
    for i in range(count):
        offset = int(step * i + ctx.rng.uniform(0, step * 0.8))
        days.append(min(start + dt.timedelta(days=offset), ctx.today))
    return days


def _new(
    ctx: DemoContext, p: Partnership, kind: str, day: dt.date, summary: str, side: str, outcome: str
) -> Touchpoint | None:
    recorder = _person(ctx, _org(p, side))
    if recorder is None:
        return None
    at = _moment(ctx, day)
    bridges = ctx.bridges.get(p.pk, [])
    t = Touchpoint(
        partnership=p,
        bridge=ctx.rng.choice(bridges) if bridges and ctx.rng.random() < 0.7 else None,
        kind=kind,
        occurred_at=at,
        outcome=outcome,
        summary=summary[:300],
        recorded_by_side=side,
        recorded_by=recorder,
        created_at=at,
        updated_at=at,
    )
    t._history_date = at  # type: ignore[attr-defined]
    t._history_user = recorder.user  # type: ignore[attr-defined]
    return t


def _touchpoints(
    ctx: DemoContext, p: Partnership, volume: tuple[int, int, int, int, int]
) -> list[Touchpoint]:
    ctx = ctx.until(p)  # a lost partnership's history stops at its loss
    rng = ctx.rng
    deliveries, meetings, money, others, complaints = volume
    made: list[Touchpoint | None] = []
    # This partnership's temperament: how reliably the supplier delivers (less so as a souring one nears
    # its loss).
    reliability = rng.uniform(0.85, 0.95)
    # How reliably the customer pays by the due date, and where this partnership's document numbers stand.
    punctuality = rng.uniform(0.75, 0.92)
    numbers = {"SJ": rng.randrange(100, 900), "INV": rng.randrange(100, 900)}

    def number(prefix: str, day: dt.date) -> str:
        numbers[prefix] += 1
        return f"{prefix}/{day.year}/{numbers[prefix]:05d}"

    for day in _days(ctx, p, deliveries):
        promised_qty = Decimal(rng.randrange(50, 800, 10))
        strain = ctx.strain(p, day)
        perfect = rng.random() < reliability * (1 - 0.6 * strain)
        late = 0 if perfect else rng.choice((0, 1, 1, 2, 3, 5))
        if strain and not perfect and rng.random() < strain:
            late = rng.choice((3, 5, 7, 10))  # strained: badly late
        short = Decimal(0) if perfect or (late and rng.random() < 0.6) else Decimal(rng.randrange(5, 60, 5))
        if not perfect and not late and not short:
            late = 1
        promised = day - dt.timedelta(days=late)
        text = rng.choice(DELIVERY_TEXTS).format(qty=int(promised_qty))
        outcome = (
            Outcome.POSITIVE if perfect else (Outcome.NEGATIVE if late > 2 or short > 30 else Outcome.NEUTRAL)
        )
        t = _new(ctx, p, Kind.DELIVERY, day, text, Side.SUPPLIER, outcome)
        if t is not None:
            t.promised_date, t.actual_date = promised, day
            t.promised_quantity, t.delivered_quantity = promised_qty, max(promised_qty - short, Decimal(0))
            t.on_time, t.in_full = follow_otif(
                t.kind, t.promised_date, t.actual_date, t.promised_quantity, t.delivered_quantity
            )
            t.reference = number("SJ", day)
        made.append(t)
    for day in _days(ctx, p, meetings):
        kind, text = rng.choice(MEETING_TEXTS)
        strain = ctx.strain(p, day)
        weights = (5 - 4.5 * strain, 4, 1 + 6 * strain)
        outcome = rng.choices([Outcome.POSITIVE, Outcome.NEUTRAL, Outcome.NEGATIVE], weights=weights)[0]
        made.append(_new(ctx, p, kind, day, text, rng.choice(Side.values), outcome))
    for day in _days(ctx, p, money):
        kind, text = rng.choice(MONEY_TEXTS)
        side = Side.SUPPLIER if kind == "invoice" else Side.CUSTOMER
        outcome = Outcome.POSITIVE if rng.random() < 0.8 else Outcome.NEUTRAL
        t = _new(ctx, p, kind, day, text, side, outcome)
        if t is not None and kind == Kind.INVOICE:
            _invoice(ctx, t, day, number("INV", day), punctuality * (1 - 0.5 * ctx.strain(p, day)))
        made.append(t)
    for day in _days(ctx, p, others):
        kind, text = rng.choice(OTHER_TEXTS)
        made.append(_new(ctx, p, kind, day, text, rng.choice(Side.values), Outcome.POSITIVE))
    for day in _days(ctx, p, rng.randint(0, complaints)):
        made.append(
            _new(ctx, p, Kind.COMPLAINT, day, rng.choice(COMPLAINT_TEXTS), Side.CUSTOMER, Outcome.NEGATIVE)
        )
    souring = ctx.souring.get(p.pk, 0)
    if souring:
        # The months before a souring partnership's loss bring complaints of their own.
        first = ctx.today - dt.timedelta(days=souring)
        for _ in range(rng.randint(1, complaints + 1)):
            day = first + dt.timedelta(days=int(souring * rng.random() ** 0.5))
            made.append(
                _new(
                    ctx, p, Kind.COMPLAINT, day, rng.choice(COMPLAINT_TEXTS), Side.CUSTOMER, Outcome.NEGATIVE
                )
            )
    return [t for t in made if t is not None]


def _invoice(ctx: DemoContext, t: Touchpoint, day: dt.date, reference: str, punctuality: float) -> None:
    """An invoice's number, amount in rupiah, due date and, unless still open, its payment."""
    rng = ctx.rng
    t.reference = reference
    t.amount = Decimal(rng.randrange(5_000_000, 250_000_000, 50_000))
    t.due_date = day + dt.timedelta(days=PAYMENT_TERMS_DAYS)
    if rng.random() < punctuality:
        paid = day + dt.timedelta(days=rng.randint(7, PAYMENT_TERMS_DAYS))
    else:
        paid = t.due_date + dt.timedelta(days=rng.choice((1, 2, 3, 5, 7, 10, 14, 21)))
    if paid <= ctx.today:
        t.paid_date, t.paid_amount = paid, t.amount
    t.paid_on_time = follow_paid_on_time(t.kind, t.due_date, t.paid_date)


# --- surveys --------------------------------------------------------------------------------------------


def _survey(ctx: DemoContext, t: Touchpoint) -> SurveyRequest | None:
    ctx = ctx.until(t.partnership)
    rng = ctx.rng
    if t.kind in (Kind.INVOICE, Kind.PAYMENT, Kind.ORDER) or rng.random() >= SURVEY_SHARE.get(ctx.size, 0.2):
        return None
    p = t.partnership
    their_side = _other(t.recorded_by_side)
    recipient = _person(ctx, _org(p, their_side))
    if recipient is None:
        return None
    sent = t.occurred_at + dt.timedelta(hours=rng.randint(1, 48))
    if sent >= ctx.now:
        return None
    expires = sent + dt.timedelta(days=SURVEY_DAYS)
    salt = "demo" + "".join(rng.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(28))
    s = SurveyRequest(
        partnership=p,
        touchpoint=t,
        recipient=recipient,
        recipient_side=their_side,
        sent_by=t.recorded_by,
        sent_by_side=t.recorded_by_side,
        salt=salt,
        token_hash=hash_secret(derived_secret(TOKEN_PURPOSE, salt)),
        expires_at=expires,
        email_sent_at=sent + dt.timedelta(minutes=1),
        created_at=sent,
        updated_at=sent,
    )
    answered = sent + dt.timedelta(hours=rng.randint(2, 24 * 6))
    if rng.random() < 0.58 and answered < min(expires, ctx.now):
        s.csat, s.nps, s.comment = _scores(ctx, t.outcome)
        s.answered_at = s.updated_at = answered
        s.version = 2
    s._history_date = s.updated_at  # type: ignore[attr-defined]
    s._history_user = recipient.user if s.answered_at else (t.recorded_by.user if t.recorded_by else None)  # type: ignore[attr-defined]
    return s


def _scores(ctx: DemoContext, outcome: str) -> tuple[int, int, str]:
    rng = ctx.rng
    if outcome == Outcome.POSITIVE:
        csat = rng.choices((3, 4, 5), weights=(1, 4, 5))[0]
        nps = rng.choices((7, 8, 9, 10), weights=(1, 3, 4, 3))[0]
        mood = "good"
    elif outcome == Outcome.NEUTRAL:
        csat = rng.choices((2, 3, 4, 5), weights=(1, 3, 4, 1))[0]
        nps = rng.choices((5, 6, 7, 8, 9), weights=(1, 2, 3, 3, 1))[0]
        mood = "mixed"
    else:
        csat = rng.choices((1, 2, 3, 4), weights=(2, 4, 3, 1))[0]
        nps = rng.choices((2, 4, 5, 6, 7), weights=(1, 2, 3, 3, 1))[0]
        mood = "bad"
    return csat, nps, rng.choice(COMMENTS[mood])


# --- timeline -------------------------------------------------------------------------------------------


def _event(
    ctx: DemoContext,
    subject: Any,
    kind: str,
    verb: str,
    at: dt.datetime,
    side: str,
    user: Any,
    title: str,
    detail: str = "",
) -> None:
    ctx.events.append(
        Event(
            partnership_id=subject.partnership_id,
            kind=kind,
            object_id=subject.pk,
            verb=verb,
            title=title[:200],
            detail=detail[:300],
            url=subject.get_absolute_url(),
            actor_user=user,
            actor_side=side,
            at=at,
        )
    )


def _touchpoint_event(ctx: DemoContext, t: Touchpoint) -> None:
    user = t.recorded_by.user if t.recorded_by else None
    _event(ctx, t, "touchpoint", "recorded", t.occurred_at, t.recorded_by_side, user, t.summary)


def _survey_events(ctx: DemoContext, s: SurveyRequest) -> None:
    title = s.touchpoint.summary
    sender = s.sent_by.user if s.sent_by else None
    recipient = s.recipient.user if s.recipient else None
    _event(
        ctx,
        s,
        "survey",
        "sent",
        s.created_at,
        s.sent_by_side,
        sender,
        title,
        recipient.get_full_name() if recipient else "",
    )
    if s.answered_at:
        _event(
            ctx,
            s,
            "survey",
            "answered",
            s.answered_at,
            s.recipient_side,
            recipient,
            title,
            f"CSAT {s.csat}/5, NPS {s.nps}/10",
        )
