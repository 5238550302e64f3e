"""A shared risk register for every partnership of the demo: 2–8 risks, most with a pre-agreed response.

Risks are raised over the partnership's two years; some are being watched, a few happened (the cases app
links cases to them through ``ctx.shared["risks"]``) and some were closed.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from simple_history.utils import bulk_create_with_history

from mitra.demo.context import DemoContext
from mitra.partnerships.models import Partnership, Side
from mitra.risks.models import Risk, RiskStatus
from mitra.threads.models import Event

# (what could happen, early signal, pre-agreed response, likelihood range, impact range, who raises it)
CATALOGUE: list[tuple[str, str, str, tuple[int, int], tuple[int, int], str]] = [
    (
        "Supply disruption before Lebaran",
        "Order book for Ramadan weeks above 130% of plan by week -8",
        "Build 3 weeks of buffer stock from week -6; weekly allocation call between planners; "
        "priority lanes for the top 20 SKUs.",
        (3, 5),
        (4, 5),
        Side.CUSTOMER,
    ),
    (
        "Harga gula (raw material) naik tajam",
        "Harga gula kristal di pasar induk naik >10% dalam sebulan",
        "Formula harga disepakati: kenaikan di atas 8% dibagi dua; pemberitahuan 30 hari sebelumnya.",
        (2, 4),
        (3, 5),
        Side.SUPPLIER,
    ),
    (
        "Forecast error on promo volumes",
        "Week-1 promo sell-out deviates more than 25% from the forecast",
        "Re-forecast on day 3 of every promo; supplier holds 10% flexible capacity for promo SKUs.",
        (3, 5),
        (2, 4),
        Side.SUPPLIER,
    ),
    (
        "Key person leaves (single point of contact)",
        "Resignation or long leave of a bridge owner; replies slower than 2 days",
        "Every bridge has a named deputy; handover checklist and joint introduction within a week.",
        (2, 3),
        (3, 4),
        Side.CUSTOMER,
    ),
    (
        "Keterlambatan pembayaran akhir tahun",
        "Invoices older than 45 days; year-end budget freeze announced",
        "Finance-to-finance call within 2 days; partial payment plan; no supply stop without escalation.",
        (2, 4),
        (2, 4),
        Side.SUPPLIER,
    ),
    (
        "Banjir menutup akses ke DC Cikarang",
        "BMKG heavy-rain warning for Bekasi; toll road flooding reports",
        "Reroute to DC Cibitung; deliveries moved to night slots; daily status call until cleared.",
        (2, 3),
        (3, 5),
        Side.CUSTOMER,
    ),
    (
        "Halal certificate renewal delayed",
        "Renewal not submitted 90 days before expiry",
        "Quality teams of both sides track the renewal monthly; customer keeps listing during review.",
        (1, 2),
        (4, 5),
        Side.CUSTOMER,
    ),
    (
        "Packaging supplier shortage (karton)",
        "Carton lead time above 3 weeks",
        "Second carton supplier qualified; customer accepts alternative carton print for 2 months.",
        (2, 3),
        (2, 4),
        Side.SUPPLIER,
    ),
    (
        "System outage during EDI migration",
        "Order confirmations missing for more than 4 hours",
        "",
        (2, 3),
        (2, 3),
        Side.CUSTOMER,
    ),
    (
        "Kenaikan ongkos kirim (BBM)",
        "Government fuel price announcement",
        "",
        (2, 4),
        (2, 3),
        Side.SUPPLIER,
    ),
]

DESCRIPTIONS = [
    "Dibahas di rapat review terakhir; kedua pihak sepakat memantau bersama.",
    "Happened once in the past with another partner; we agreed to be ready this time.",
    "Raised by the planners of both sides during the annual planning workshop.",
    "",
]


def seed_demo(ctx: DemoContext) -> dict[str, int]:
    rng = ctx.rng
    risks: list[Risk] = []
    for p in ctx.partnerships:
        upto = ctx.until(p)  # a lost partnership's history stops at its loss
        start = ctx.start_of(p)
        span = max((upto.today - start).days, 1)
        for entry in rng.sample(CATALOGUE, rng.randint(2, 8)):
            title, signal, response, (l_lo, l_hi), (i_lo, i_hi), side = entry
            raised = start + dt.timedelta(days=rng.randint(0, span))
            created = _moment(upto, raised)
            if not response and rng.random() < 0.3:
                response = "Respons masih dibahas; sementara eskalasi ke manajer kedua pihak."
            if response and rng.random() < 0.12:
                response = ""  # not every risk has its response agreed yet
            roll = rng.random()
            age = (upto.today - raised).days
            status = (
                RiskStatus.CLOSED
                if roll < 0.15 and age > 120
                else RiskStatus.OCCURRED
                if roll < 0.3 and age > 30
                else RiskStatus.WATCHING
                if roll < 0.55
                else RiskStatus.OPEN
            )
            owner_side = side if rng.random() < 0.6 else _other(side)
            risk = Risk(
                partnership=p,
                title=title,
                description=rng.choice(DESCRIPTIONS),
                likelihood=rng.randint(l_lo, l_hi),
                impact=rng.randint(i_lo, i_hi),
                early_signal=signal,
                response=response,
                owner=_person(ctx, _org(p, owner_side)),
                status=status,
                raised_by_side=side,
                created_at=created,
            )
            raiser = _person(ctx, _org(p, side))
            risk.created_by = raiser.user if raiser else None
            risk._history_date = created  # type: ignore[attr-defined]
            risk._history_user = risk.created_by  # type: ignore[attr-defined]
            risks.append(risk)
    bulk_create_with_history(risks, Risk, batch_size=1000)
    for risk in risks:
        _events(ctx, risk)
    ctx.shared["risks"] = risks
    return {"risks": len(risks)}


def _events(ctx: DemoContext, risk: Risk) -> None:
    def add(verb: str, at: dt.datetime, side: str, user: Any) -> None:
        ctx.events.append(
            Event(
                partnership_id=risk.partnership_id,
                kind="risk",
                object_id=risk.pk,
                verb=verb,
                title=risk.title[:200],
                url=risk.get_absolute_url(),
                actor_user=user,
                actor_side=side,
                at=at,
            )
        )

    add("created", risk.created_at, risk.raised_by_side, risk.created_by)
    if risk.status != RiskStatus.OPEN:
        end = ctx.end_at(risk.partnership)
        later = max(min(risk.created_at + dt.timedelta(days=ctx.rng.randint(7, 90)), end), risk.created_at)
        verbs: dict[str, str] = {RiskStatus.CLOSED: "closed", RiskStatus.OCCURRED: "occurred"}
        verb = verbs.get(risk.status, "updated")
        side = ctx.rng.choice((Side.SUPPLIER, Side.CUSTOMER))
        person = _person(ctx, _org(risk.partnership, side))
        add(verb, later, side, person.user if person else None)


def _moment(ctx: DemoContext, day: dt.date) -> dt.datetime:
    at = dt.datetime.combine(day, dt.time(8), tzinfo=dt.UTC) + dt.timedelta(minutes=ctx.rng.randint(0, 540))
    return min(at, ctx.now - dt.timedelta(hours=2))


def _org(p: Partnership, side: str) -> int:
    return p.supplier_id if side == Side.SUPPLIER else p.customer_id


def _person(ctx: DemoContext, organisation_id: int) -> Any:
    people = [m for m in ctx.people.get(organisation_id, []) if m.can_write]
    return ctx.rng.choice(people) if people else None


def _other(side: str) -> str:
    return Side.CUSTOMER if side == Side.SUPPLIER else Side.SUPPLIER
