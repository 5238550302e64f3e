"""Joint business plans for the last two years of every partnership of the demo.

Last year's plan was agreed twice (a mid-year revision made version 2) and reviewed at the charter's
cadence; this year's plan is agreed (version 1), or still a draft that one side has agreed to. Each side
has 2–4 goals with a KPI. Some partnerships have let this year's review slip, so the warning shows.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from simple_history.utils import bulk_create_with_history

from mitra.demo.context import DemoContext
from mitra.partnerships.models import Partnership, Side
from mitra.plans.models import JointPlan, PlanGoal, PlanReview, PlanStatus, PlanVersion
from mitra.threads.models import Event

# (goal, KPI, unit, baseline range, improvement factor towards the target)
GOALS: dict[str, list[tuple[str, str, str, tuple[int, int], float]]] = {
    Side.SUPPLIER: [
        ("Grow volume in modern trade", "Volume", "ton/month", (80, 400), 1.15),
        ("Tambah listing di toko baru", "Stores listing our SKUs", "stores", (60, 300), 1.25),
        ("Faster payment of invoices", "Days sales outstanding", "days", (40, 60), 0.7),
        ("Better forecast accuracy for production", "Forecast accuracy", "%", (62, 75), 1.15),
        ("Fewer urgent orders", "Rush orders", "orders/month", (8, 20), 0.5),
        ("Launch the new sambal sachet range", "New SKUs listed", "SKUs", (0, 2), 4.0),
    ],
    Side.CUSTOMER: [
        ("Tidak ada stock-out saat Lebaran", "On-shelf availability", "%", (88, 93), 1.06),
        ("On time, in full deliveries", "OTIF", "%", (82, 90), 1.08),
        ("Lower stock at the distribution centre", "Days of cover", "days", (18, 26), 0.7),
        ("Fewer damaged cartons", "Damage rate", "%", (2, 4), 0.5),
        ("Grow category sales", "Category sales", "IDR million/month", (900, 4000), 1.12),
        ("Promo compliance in stores", "Promo execution", "%", (70, 85), 1.15),
    ],
}

NOTES = [
    "Diukur bulanan dari data POS dan laporan WMS.",
    "Measured monthly; both sides share the source data in the review.",
    "Target disepakati di workshop perencanaan tahunan.",
    "",
]

REVIEW_NOTES = [
    "Review kuartalan: OTIF membaik, forecast promo masih meleset. Action: re-forecast hari ke-3.",
    "Quarterly review with both GMs. Volumes on track; DSO still high, finance teams to meet.",
    "Review bersama: target stock DC tercapai lebih awal; rencana promo Lebaran disepakati.",
    "Mid-year review: targets revised after the price increase; new version to be agreed.",
    "Year-end review: most goals met; lessons for next year's plan.",
]


def seed_demo(ctx: DemoContext) -> dict[str, int]:
    rng = ctx.rng
    whole_ctx = ctx
    plans: list[JointPlan] = []
    drafts: list[tuple[JointPlan, Partnership, bool]] = []  # (plan, partnership, previous year)
    creator_sides: dict[int, str] = {}
    for whole in ctx.partnerships:
        ctx, p = whole_ctx.until(whole), whole  # a lost partnership's history stops at its loss
        start_year = ctx.start_of(p).year
        for year in (ctx.today.year - 1, ctx.today.year):
            if year < start_year:
                continue
            created = _moment(ctx, max(dt.date(year - 1, 12, rng.randint(1, 20)), ctx.start_of(p)))
            plan = JointPlan(partnership=p, year=year, created_at=created)
            creator_side = rng.choice((Side.SUPPLIER, Side.CUSTOMER))
            creator_sides[id(plan)] = creator_side
            creator = _person(ctx, p, creator_side)
            plan.created_by = creator.user if creator else None
            plan._history_date = created  # type: ignore[attr-defined]
            plan._history_user = plan.created_by  # type: ignore[attr-defined]
            previous = year < ctx.today.year
            if previous:
                # Version 2 was agreed after the mid-year revision.
                revised = min(
                    created + dt.timedelta(days=rng.randint(90, 150)), ctx.now - dt.timedelta(days=1)
                )
                _agree(ctx, plan, p, revised, both=True)
                plan.agreed_version = 2
            elif rng.random() < 0.6:
                _agree(ctx, plan, p, created, both=True)
                plan.agreed_version = 1
            elif rng.random() < 0.5:
                _agree(ctx, plan, p, created, both=False)
            plan.version = 1 + plan.agreed_version
            plans.append(plan)
            drafts.append((plan, p, previous))
    ctx = whole_ctx
    bulk_create_with_history(plans, JointPlan, batch_size=1000)

    goals: list[PlanGoal] = []
    goals_of: dict[int, list[PlanGoal]] = {}
    for plan, p, _previous in drafts:
        for side in (Side.SUPPLIER, Side.CUSTOMER):
            for title, kpi, unit, (lo, hi), factor in rng.sample(GOALS[side], rng.randint(2, 4)):
                baseline = Decimal(rng.randint(lo, hi))
                target = (baseline * Decimal(str(factor))).quantize(Decimal("1")) if baseline else Decimal(4)
                person = _person(ctx, p, side)
                goal = PlanGoal(
                    partnership=p,
                    plan=plan,
                    side=side,
                    title=title,
                    kpi_name=kpi,
                    unit=unit,
                    baseline=baseline,
                    target=target,
                    note=rng.choice(NOTES),
                    created_by=person.user if person else None,
                    created_at=min(plan.created_at + dt.timedelta(days=rng.randint(1, 10)), ctx.end_at(p)),
                )
                goal._history_date = goal.created_at  # type: ignore[attr-defined]
                goal._history_user = goal.created_by  # type: ignore[attr-defined]
                goals.append(goal)
                goals_of.setdefault(id(plan), []).append(goal)
    bulk_create_with_history(goals, PlanGoal, batch_size=1000)

    versions: list[PlanVersion] = []
    reviews: list[PlanReview] = []
    for plan, p, previous in drafts:
        plan_goals = goals_of.get(id(plan), [])
        snapshot = [g.snapshot() for g in plan_goals]
        if previous:
            # Version 1 at the start of the year; version 2 after the mid-year revision of some targets.
            first = [
                dict(g, target=_revised(str(g["target"]), rng.choice((0.9, 0.95, 1.05)))) for g in snapshot
            ]
            first_at = min(plan.created_at + dt.timedelta(days=rng.randint(12, 30)), _agreed_at(plan))
            versions.append(_version(plan, p, 1, first, first_at))
            versions.append(_version(plan, p, 2, snapshot, _agreed_at(plan)))
        elif plan.agreed_version == 1:
            versions.append(_version(plan, p, 1, snapshot, _agreed_at(plan)))
        reviews.extend(_reviews(ctx.until(p), plan, p, previous))
    bulk_create_with_history(versions, PlanVersion, batch_size=1000)
    bulk_create_with_history(reviews, PlanReview, batch_size=1000)

    for plan, _p, _previous in drafts:
        _plan_events(ctx, plan, creator_sides[id(plan)], [v for v in versions if v.plan is plan])
    for review in reviews:
        _event(
            ctx,
            review.plan,
            "reviewed",
            _moment(ctx, review.held_on),
            review.recorded_by_side,
            review.recorded_by,
            review.notes,
        )
    ctx.shared["plans"] = plans
    return {
        "plans": len(plans),
        "plan_goals": len(goals),
        "plan_versions": len(versions),
        "plan_reviews": len(reviews),
    }


def _agree(ctx: DemoContext, plan: JointPlan, p: Partnership, created: dt.datetime, *, both: bool) -> None:
    rng = ctx.rng
    first = min(created + dt.timedelta(days=rng.randint(14, 40), hours=rng.randint(1, 8)), ctx.now)
    second = min(first + dt.timedelta(days=rng.randint(1, 7), hours=rng.randint(1, 8)), ctx.now)
    first_side = rng.choice((Side.SUPPLIER, Side.CUSTOMER))
    sides = [(first_side, first)] + ([(_other(first_side), second)] if both else [])
    for side, at in sides:
        person = _person(ctx, p, side)
        setattr(plan, f"{side}_agreed_at", at)
        setattr(plan, f"{side}_agreed_by", person.user if person else None)
    if both:
        plan.status = PlanStatus.AGREED


def _agreed_at(plan: JointPlan) -> dt.datetime:
    assert plan.supplier_agreed_at is not None and plan.customer_agreed_at is not None
    return max(plan.supplier_agreed_at, plan.customer_agreed_at)


def _version(plan: JointPlan, p: Partnership, number: int, goals: list[Any], at: dt.datetime) -> PlanVersion:
    version = PlanVersion(
        partnership=p,
        plan=plan,
        number=number,
        goals=goals,
        supplier_agreed_at=at if number == 1 and plan.agreed_version == 2 else plan.supplier_agreed_at or at,
        supplier_agreed_by=plan.supplier_agreed_by,
        customer_agreed_at=at if number == 1 and plan.agreed_version == 2 else plan.customer_agreed_at or at,
        customer_agreed_by=plan.customer_agreed_by,
        created_at=at,
    )
    version._history_date = at  # type: ignore[attr-defined]
    return version


def _revised(target: str, factor: float) -> str:
    return str((Decimal(target) * Decimal(str(factor))).quantize(Decimal("1")))


def _reviews(ctx: DemoContext, plan: JointPlan, p: Partnership, previous: bool) -> list[PlanReview]:
    rng = ctx.rng
    cadence = dt.timedelta(days=p.review_cadence_days)
    start = max(dt.date(plan.year, 1, 1), ctx.start_of(p))
    end = dt.date(plan.year, 12, 31) if previous else ctx.today
    # Some partnerships let this year's reviews slip: the page warns that the review is overdue.
    slipping = not previous and rng.random() < 0.25
    reviews: list[PlanReview] = []
    due = start + cadence
    while due <= end:
        held = due + dt.timedelta(days=rng.randint(-5, 7))
        if held > ctx.today or (slipping and reviews):
            break
        side = rng.choice((Side.SUPPLIER, Side.CUSTOMER))
        person = _person(ctx, p, side)
        review = PlanReview(
            partnership=p,
            plan=plan,
            held_on=max(held, dt.date(plan.year, 1, 1)),
            notes=rng.choice(REVIEW_NOTES),
            recorded_by=person.user if person else None,
            recorded_by_side=side,
            created_at=_moment(ctx, held),
        )
        review._history_date = review.created_at  # type: ignore[attr-defined]
        review._history_user = review.recorded_by  # type: ignore[attr-defined]
        reviews.append(review)
        due = review.held_on + cadence
    return reviews


def _plan_events(ctx: DemoContext, plan: JointPlan, creator_side: str, versions: list[PlanVersion]) -> None:
    _event(ctx, plan, "created", plan.created_at, creator_side, plan.created_by)
    for side in (Side.SUPPLIER, Side.CUSTOMER):
        at = plan.agreed_at(side)
        if at is not None:
            _event(ctx, plan, "agreed", at, side, plan.agreed_by(side))
    for version in versions:
        _event(ctx, plan, "published", version.agreed_at, "", None, str(version), version.get_absolute_url())


def _event(
    ctx: DemoContext,
    plan: JointPlan,
    verb: str,
    at: dt.datetime,
    side: str,
    user: Any,
    detail: str = "",
    url: str = "",
) -> None:
    ctx.events.append(
        Event(
            partnership_id=plan.partnership_id,
            kind="plan",
            object_id=plan.pk,
            verb=verb,
            title=str(plan)[:200],
            detail=detail[:300],
            url=url or plan.get_absolute_url(),
            actor_user=user,
            actor_side=side,
            at=at,
        )
    )


def _moment(ctx: DemoContext, day: dt.date) -> dt.datetime:
    at = dt.datetime.combine(day, dt.time(9), tzinfo=dt.UTC) + dt.timedelta(minutes=ctx.rng.randint(0, 480))
    return min(at, ctx.now - dt.timedelta(hours=1))


def _person(ctx: DemoContext, p: Partnership, side: str) -> Any:
    org = p.supplier_id if side == Side.SUPPLIER else p.customer_id
    people = [m for m in ctx.people.get(org, []) if m.can_write]
    return ctx.rng.choice(people) if people else None


def _other(side: str) -> str:
    return Side.CUSTOMER if side == Side.SUPPLIER else Side.SUPPLIER
