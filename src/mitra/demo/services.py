"""Writes the demo world: a plan from ``generator`` turned into organisations, people, partnerships, bridges.

Every size is written with bulk inserts (with history rows, as the services would leave them), so even the
large world of 200 organisations and 1,000 partnerships takes seconds. The rules the services enforce
(departments on the right side, owners who are members of that side, one open partnership per pair) hold by
construction, and the database constraints check them again; ``src/mitra/demo/tests`` asserts them.
"""

from __future__ import annotations

import copy
import datetime as dt
import random
import zoneinfo
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.db import connection, models, transaction
from django.db.models import Case, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from mitra.accounts.models import Department, Membership, Organisation, User
from mitra.core.errors import Conflict
from mitra.demo.context import LOSS_HOUR, DemoContext
from mitra.demo.generator import DemoPlan, build_plan
from mitra.partnerships.models import Bridge, Partnership

DEMO_PASSWORD = "mitra-demo-2026"
BATCH = 500


@dataclass(frozen=True)
class DemoSummary:
    """What a demo run wrote."""

    size: str
    seed: int
    organisations: int
    people: int
    partnerships: int
    bridges: int
    workflows: dict[str, int]


def demo_reset() -> None:
    """Empty the whole database (every table, like ``mitra flush``), keeping the schema."""
    if connection.vendor == "postgresql":
        # PostgreSQL refuses to TRUNCATE tables with deferred foreign-key checks still pending from
        # earlier writes in the same transaction; running those checks now lets the flush go ahead.
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    call_command("flush", interactive=False, verbosity=0)


@transaction.atomic
def demo_seed(
    *, size: str = "small", seed: int = 1, password: str = DEMO_PASSWORD, reset: bool = False
) -> DemoSummary:
    """Write the demo world of ``size`` drawn from ``seed``. Refuses a database that has organisations,
    unless ``reset`` empties it first."""
    if reset:
        demo_reset()
    existing = Organisation.objects.count()
    if existing:
        raise Conflict(
            _(
                "The database already has %(count)s organisation(s). Use --reset to empty it and write the "
                "demo world, or point MITRA_DATABASE_URL at an empty database."
            )
            % {"count": existing}
        )
    plan = build_plan(size, seed)
    return _write(plan, password)


def _write(plan: DemoPlan, password: str) -> DemoSummary:
    today = timezone.localdate()
    now = timezone.now()
    # One hash for everybody: the demo password is shared, and hashing it per person would take minutes.
    hashed = make_password(password)
    # SQLite (3.35+) and PostgreSQL both return the new ids from a bulk insert, so no refetching is needed.
    orgs = bulk_create_with_history(
        [
            Organisation(name=o.name, legal_name=o.legal_name, time_zone=o.time_zone, language=o.language)
            for o in plan.organisations
        ],
        Organisation,
        batch_size=BATCH,
    )
    org_by_key = {o.key: org for o, org in zip(plan.organisations, orgs, strict=True)}

    departments = Department.objects.bulk_create(
        [
            Department(organisation=org_by_key[o.key], kind=kind, name=name)
            for o in plan.organisations
            for kind, name in o.departments
        ],
        batch_size=BATCH,
    )
    department_by = {(d.organisation_id, d.name): d for d in departments}

    users = User.objects.bulk_create(
        [User(email=p.email, full_name=p.full_name, password=hashed) for p in plan.people], batch_size=BATCH
    )
    memberships = bulk_create_with_history(
        [
            Membership(user=user, organisation=org_by_key[p.organisation], role=p.role, job_title=p.job_title)
            for p, user in zip(plan.people, users, strict=True)
        ],
        Membership,
        batch_size=BATCH,
    )
    membership_by_email = {p.email: m for p, m in zip(plan.people, memberships, strict=True)}
    through = Membership.departments.through
    through.objects.bulk_create(
        [
            through(
                membership_id=membership_by_email[p.email].pk,
                department_id=department_by[(m.organisation_id, name)].pk,
            )
            for p, m in zip(plan.people, memberships, strict=True)
            for name in p.departments
        ],
        batch_size=BATCH,
    )

    admin_of = {m.organisation_id: m for m in reversed(memberships) if m.role == "admin"}
    partnerships = _write_partnerships(plan, org_by_key, admin_of, today, now)

    bridges = [
        Bridge(
            partnership=partnership,
            supplier_department=department_by[(partnership.supplier_id, b.supplier_department)],
            customer_department=department_by[(partnership.customer_id, b.customer_department)],
            supplier_owner=membership_by_email.get(b.supplier_owner or ""),
            customer_owner=membership_by_email.get(b.customer_owner or ""),
            cadence_days=b.cadence_days,
        )
        for p, partnership in zip(plan.partnerships, partnerships, strict=True)
        for b in p.bridges
    ]
    for bridge in bridges:
        # Agreed when the partnership was accepted (bridges of a proposal wait for it).
        bridge.created_at = bridge.updated_at = bridge.partnership.responded_at or now
        bridge._history_date = bridge.created_at  # type: ignore[attr-defined]
    with _dates_as_given(Bridge):
        bulk_create_with_history(bridges, Bridge, batch_size=BATCH)
    workflows = _write_workflows(plan, partnerships, bridges, memberships, users)
    return DemoSummary(
        size=plan.size,
        seed=plan.seed,
        organisations=len(orgs),
        people=len(users),
        partnerships=len(partnerships),
        bridges=len(bridges),
        workflows=workflows,
    )


def _write_partnerships(
    plan: DemoPlan,
    org_by_key: dict[str, Organisation],
    admin_of: dict[int, Membership],
    today: dt.date,
    now: dt.datetime,
) -> list[Partnership]:
    """The partnerships with the history the services would have left, each row dated when it happened:
    proposed (created), accepted (active from the start date) and, for lost ones, paused or ended on the
    day of the loss, with its reason. ``run_backtest`` reads the losses from these rows."""
    rows: list[Partnership] = []
    for p in plan.partnerships:
        organisation = org_by_key[p.proposed_by]
        proposer = admin_of[organisation.pk].user
        proposed = p.status == "proposed"
        responded = None if proposed else now - dt.timedelta(days=p.start_days_ago)
        created = (responded or now) - dt.timedelta(days=p.proposed_days_before)
        lost_at = _lost_at(today, p.lost_days_ago)
        partnership = Partnership(
            supplier=org_by_key[p.supplier],
            customer=org_by_key[p.customer],
            proposed_by=organisation,
            proposed_by_user=proposer,
            status=p.status,
            tier=p.tier,
            start_date=None if proposed else today - dt.timedelta(days=p.start_days_ago),
            goals=p.goals,
            review_cadence_days=p.review_cadence_days,
            message=p.message,
            status_reason=p.reason,
            created_at=created,
            responded_at=responded,
            updated_at=lost_at or responded or created,
            version=1 if proposed else 3 if lost_at else 2,
        )
        partnership._history_user = proposer  # type: ignore[attr-defined]
        rows.append(partnership)
    with _dates_as_given(Partnership):
        Partnership.objects.bulk_create(rows, batch_size=BATCH)

    created_rows, later_rows = [], []
    for p, partnership in zip(plan.partnerships, rows, strict=True):
        proposal = copy.copy(partnership)
        proposal.status, proposal.status_reason, proposal.responded_at = "proposed", "", None
        proposal.version, proposal.updated_at = 1, partnership.created_at
        proposal._history_date = partnership.created_at  # type: ignore[attr-defined]
        created_rows.append(proposal)
        if partnership.responded_at is None:
            continue
        accepted = copy.copy(partnership)
        accepted.status, accepted.status_reason, accepted.version = "active", "", 2
        accepted.updated_at = partnership.responded_at
        accepted._history_date = partnership.responded_at  # type: ignore[attr-defined]
        accepted._history_user = admin_of[_other_side(partnership, p.proposed_by, org_by_key)].user  # type: ignore[attr-defined]
        later_rows.append(accepted)
        if partnership.status != "active":
            partnership._history_date = partnership.updated_at  # type: ignore[attr-defined]
            later_rows.append(partnership)
    Partnership.history.bulk_history_create(created_rows, batch_size=BATCH)
    Partnership.history.bulk_history_create(later_rows, batch_size=BATCH, update=True)
    return rows


def _lost_at(today: dt.date, days_ago: int | None) -> dt.datetime | None:
    """When a lost partnership was paused or ended: 17:00 site time on its loss day (see DemoContext)."""
    if days_ago is None:
        return None
    day = today - dt.timedelta(days=days_ago)
    return dt.datetime.combine(day, dt.time(LOSS_HOUR), tzinfo=zoneinfo.ZoneInfo(settings.TIME_ZONE))


def _other_side(partnership: Partnership, proposed_by: str, org_by_key: dict[str, Organisation]) -> int:
    """The organisation that answered the proposal."""
    proposer = org_by_key[proposed_by].pk
    return partnership.customer_id if proposer == partnership.supplier_id else partnership.supplier_id


@contextmanager
def _dates_as_given(model: type[models.Model]) -> Iterator[None]:
    """Insert ``created_at``/``updated_at`` as set on the objects (the demo's past), not "now"."""
    fields = [
        f
        for f in model._meta.concrete_fields
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    ]
    saved = [(f.auto_now, f.auto_now_add) for f in fields]  # type: ignore[attr-defined]
    for f in fields:
        f.auto_now = f.auto_now_add = False  # type: ignore[attr-defined]
    try:
        yield
    finally:
        for f, (auto_now, auto_now_add) in zip(fields, saved, strict=True):
            f.auto_now, f.auto_now_add = auto_now, auto_now_add  # type: ignore[attr-defined]


# The workflow apps, in the order their demo writers run (later ones may link to earlier ones' records).
WORKFLOW_DEMOS = (
    "partnerships",  # the contact lists
    "risks",
    "cases",
    "improvement",
    "value",
    "commitments",
    "moments",
    "pulse",
    "plans",
    "threads",
    "planning",
)


def _write_workflows(
    plan: DemoPlan,
    partnerships: list[Partnership],
    bridges: list[Bridge],
    memberships: list[Membership],
    users: list[User],
) -> dict[str, int]:
    """Two years of workflow history for every partnership with a workspace: each app writes its own."""
    import importlib

    from mitra.threads.models import Event

    user_by_id = {u.pk: u for u in users}
    people: dict[int, list[Membership]] = {}
    for m in memberships:
        m.user = user_by_id[m.user_id]
        people.setdefault(m.organisation_id, []).append(m)
    by_partnership: dict[int, list[Bridge]] = {}
    for b in bridges:
        by_partnership.setdefault(b.partnership_id, []).append(b)
    ctx_today = timezone.localdate()
    ctx = DemoContext(
        rng=random.Random(plan.seed * 7919 + 17),
        size=plan.size,
        today=ctx_today,
        now=timezone.now(),
        partnerships=[p for p in partnerships if p.status in ("active", "paused", "ended")],
        bridges=by_partnership,
        people=people,
        lost_on={
            partnership.pk: ctx_today - dt.timedelta(days=p.lost_days_ago)
            for p, partnership in zip(plan.partnerships, partnerships, strict=True)
            if p.lost_days_ago is not None
        },
        souring={
            partnership.pk: p.souring_days
            for p, partnership in zip(plan.partnerships, partnerships, strict=True)
            if p.lost_days_ago is not None and p.souring_days
        },
    )
    written: dict[str, int] = {}
    for app in WORKFLOW_DEMOS:
        try:
            module = importlib.import_module(f"mitra.{app}.demo")
        except ModuleNotFoundError as exc:
            if exc.name != f"mitra.{app}.demo":
                raise
            continue
        written.update(module.seed_demo(ctx))
    _stop_at_losses(ctx)
    Event.objects.bulk_create(ctx.events, batch_size=BATCH)
    written["events"] = len(ctx.events)
    # The weekly health snapshots of that history, as the weekly job would have left them.
    from mitra.health.services import health_recompute

    written["health_snapshots"] = health_recompute().snapshots
    return written


# Bookkeeping stamps that bulk inserts set to the moment of writing when a demo writer does not date them.
STAMPS = ("created_at", "updated_at", "history_date")


def _stop_at_losses(ctx: DemoContext) -> None:
    """Bring the bookkeeping stamps of a lost partnership's records (and their history rows) that the bulk
    inserts dated at the moment of writing back to its loss: nothing of it is dated later. One UPDATE per
    model and stamp, whatever the number of partnerships; the writers date the records' own events."""
    if not ctx.lost_on:
        return
    ends = [(p.pk, ctx.end_at(p)) for p in ctx.partnerships if p.pk in ctx.lost_on]
    chunks = [ends[i : i + 100] for i in range(0, len(ends), 100)]  # short statements for SQLite
    labels = {*WORKFLOW_DEMOS, "partnerships"}
    for model in apps.get_models():
        if model._meta.app_label not in labels or model._meta.model_name in (
            "partnership",
            "historicalpartnership",
        ):
            continue
        names = {f.attname for f in model._meta.concrete_fields}
        if "partnership_id" not in names:
            continue
        for stamp in (s for s in STAMPS if s in names):
            for chunk in chunks:
                later = Q()
                for pk, end in chunk:
                    later |= Q(partnership_id=pk, **{f"{stamp}__gt": end})
                end_of = Case(*(When(partnership_id=pk, then=Value(end)) for pk, end in chunk))
                model._default_manager.filter(later).update(**{stamp: end_of})
