"""Demo data of the relationship pulse: a round per quarter over each partnership's history, with answers.

Most people answer; a few bridge sides get fewer than three answers, so the page shows suppression too.
A lost partnership's rounds stop at its loss (``ctx.end_of``); a souring one answers lower as the loss
nears (``ctx.strain``).
Everything is written with bulk inserts; randomness comes only from ``ctx.rng``.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from mitra.accounts.models import Membership, Role
from mitra.demo.context import DemoContext
from mitra.partnerships.models import Side
from mitra.pulse.models import SCORE_FIELDS, PulseResponse, PulseRound, quarter_bounds, quarter_of
from mitra.threads.models import Event

BATCH = 2000
WRITERS = (Role.ADMIN, Role.MEMBER)
MAX_PER_SIDE = 4  # answers per bridge side and round, to keep the large demo quick
# The large demo (about a thousand partnerships) keeps only the latest quarters, to seed quickly.
QUARTERS_KEPT = {"large": 2}

COMMENTS = (
    "Komunikasi dengan tim mereka makin lancar kuartal ini.",
    "Pengiriman sering terlambat, perlu dibahas di review berikutnya.",
    "Good follow-up on the promo calendar, terima kasih.",
    "Invoice disputes take too long to settle.",
    "Tim purchasing sangat responsif, mantap.",
    "We would like earlier visibility of their stock levels.",
    "Masalah kualitas batch terakhir ditangani dengan baik.",
    "Meetings are useful but often rescheduled.",
    "Kerja sama promosi Lebaran berjalan baik.",
    "Need one clear contact person for complaints.",
)


def _quarters(start: dt.date, today: dt.date) -> list[str]:
    quarters: list[str] = []
    day = dt.date(start.year, 3 * ((start.month - 1) // 3) + 1, 1)
    while day <= today:
        quarters.append(quarter_of(day))
        day = dt.date(day.year + 1, 1, 1) if day.month == 10 else dt.date(day.year, day.month + 3, 1)
    return quarters


def seed_demo(ctx: DemoContext) -> dict[str, int]:
    departments = {
        d
        for bridges in ctx.bridges.values()
        for b in bridges
        for d in (b.supplier_department_id, b.customer_department_id)
    }
    writers = {m.pk: m for people in ctx.people.values() for m in people if m.role in WRITERS and m.is_active}
    in_department: dict[int, list[int]] = {}
    for department_id, membership_id in Membership.departments.through.objects.filter(
        Q(department_id__in=departments)
    ).values_list("department_id", "membership_id"):
        if membership_id in writers:
            in_department.setdefault(department_id, []).append(membership_id)

    rounds: list[PulseRound] = []
    planned: list[tuple[PulseRound, list[PulseResponse]]] = []
    for p in ctx.partnerships:
        upto = ctx.until(p)  # a lost partnership's history stops at its loss
        quarters = _quarters(ctx.start_of(p), upto.today)
        if p.status == "ended" and len(quarters) > 1:
            quarters = quarters[:-1]
        if ctx.size in QUARTERS_KEPT:
            quarters = quarters[-QUARTERS_KEPT[ctx.size] :]
        mood = ctx.rng.gauss(3.7, 0.45)  # how the partnership feels overall
        drift = ctx.rng.uniform(-0.08, 0.12)  # better or worse each quarter
        side_gap = ctx.rng.uniform(-0.4, 0.4)  # the supplier feels it differently from the customer
        thin_bridge = ctx.rng.randrange(len(ctx.bridges.get(p.pk, [])) or 1)
        for index, quarter in enumerate(quarters):
            start, end = quarter_bounds(quarter)
            opened = max(start, ctx.now - dt.timedelta(days=3650)).replace(hour=8)
            if p.start_date and opened.date() < p.start_date:
                opened = opened.replace(
                    year=p.start_date.year, month=p.start_date.month, day=p.start_date.day
                )
            if opened >= upto.now:
                continue
            current = end > upto.now
            pulse_round = PulseRound(partnership=p, quarter=quarter, opened_at=opened, closes_at=end)
            answers: list[PulseResponse] = []
            for b_index, bridge in enumerate(ctx.bridges.get(p.pk, [])):
                for side, owner, department in (
                    (Side.SUPPLIER, bridge.supplier_owner_id, bridge.supplier_department_id),
                    (Side.CUSTOMER, bridge.customer_owner_id, bridge.customer_department_id),
                ):
                    candidates = dict.fromkeys([owner, *in_department.get(department, [])])
                    people = [m for m in candidates if m is not None and m in writers][:MAX_PER_SIDE]
                    cap = 2 if b_index == thin_bridge and side == Side.CUSTOMER else MAX_PER_SIDE
                    level = mood + drift * index + (side_gap if side == Side.SUPPLIER else -side_gap)
                    given = 0
                    for membership_id in people:
                        if given >= cap:
                            break
                        if ctx.rng.random() > (0.45 if current else 0.85):
                            continue
                        span = (min(end, upto.now) - opened).total_seconds()
                        at = opened + dt.timedelta(
                            seconds=ctx.rng.uniform(0, span * (0.9 if current else 0.5))
                        )
                        # A souring partnership answers lower as its loss nears.
                        felt = level - 1.8 * ctx.strain(p, at.date())
                        scores = {
                            name: max(1, min(5, round(felt + ctx.rng.gauss(0, 0.75))))
                            for name in SCORE_FIELDS
                        }
                        comment = ctx.rng.choice(COMMENTS) if ctx.rng.random() < 0.2 else ""
                        given += 1
                        answers.append(
                            PulseResponse(
                                partnership=p,
                                restricted_department_id=bridge.restricted_department_id,
                                bridge=bridge,
                                respondent_id=membership_id,
                                side=side,
                                comment=comment,
                                answered_at=at,
                                **scores,
                            )
                        )
            rounds.append(pulse_round)
            planned.append((pulse_round, answers))

    bulk_create_with_history(rounds, PulseRound, batch_size=BATCH)
    title = str(_("Pulse %(quarter)s"))
    pages: dict[int, str] = {}
    responses: list[PulseResponse] = []
    for pulse_round, answers in planned:
        if pulse_round.partnership_id not in pages:
            pages[pulse_round.partnership_id] = reverse("pulse:overview", args=[pulse_round.partnership_id])
        url = f"{pages[pulse_round.partnership_id]}?round={pulse_round.pk}"
        ctx.events.append(
            Event(
                partnership_id=pulse_round.partnership_id,
                kind="pulse",
                object_id=pulse_round.pk,
                verb="opened",
                title=title % {"quarter": pulse_round.quarter},
                url=url,
                actor_side="",
                at=pulse_round.opened_at,
            )
        )
        for answer in answers:
            answer.round = pulse_round
            responses.append(answer)
    bulk_create_with_history(responses, PulseResponse, batch_size=BATCH)
    ctx.shared["pulse_rounds"] = rounds
    return {"pulse_rounds": len(rounds), "pulse_answers": len(responses)}
