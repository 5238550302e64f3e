"""Writes the demo world: a plan from ``generator`` turned into organisations, people, partnerships, bridges.

Every size is written with bulk inserts (with history rows, as the services would leave them), so even the
large world of 200 organisations and 1,000 partnerships takes seconds. The rules the services enforce
(departments on the right side, owners who are members of that side, one open partnership per pair) hold by
construction, and the database constraints check them again; ``src/mitra/demo/tests`` asserts them.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from mitra.accounts.models import Department, Membership, Organisation, User
from mitra.core.errors import Conflict
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
    partnerships = bulk_create_with_history(
        [
            Partnership(
                supplier=org_by_key[p.supplier],
                customer=org_by_key[p.customer],
                proposed_by=org_by_key[p.proposed_by],
                proposed_by_user=admin_of[org_by_key[p.proposed_by].pk].user,
                status=p.status,
                tier=p.tier,
                start_date=None if p.status == "proposed" else today - dt.timedelta(days=p.start_days_ago),
                goals=p.goals,
                review_cadence_days=p.review_cadence_days,
                message=p.message,
                status_reason=p.reason,
                responded_at=None if p.status == "proposed" else now - dt.timedelta(days=p.start_days_ago),
            )
            for p in plan.partnerships
        ],
        Partnership,
        batch_size=BATCH,
    )

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


# The workflow apps, in the order their demo writers run (later ones may link to earlier ones' records).
WORKFLOW_DEMOS = (
    "risks",
    "cases",
    "improvement",
    "value",
    "commitments",
    "moments",
    "pulse",
    "plans",
    "threads",
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

    from mitra.demo.context import DemoContext
    from mitra.threads.models import Event

    user_by_id = {u.pk: u for u in users}
    people: dict[int, list[Membership]] = {}
    for m in memberships:
        m.user = user_by_id[m.user_id]
        people.setdefault(m.organisation_id, []).append(m)
    by_partnership: dict[int, list[Bridge]] = {}
    for b in bridges:
        by_partnership.setdefault(b.partnership_id, []).append(b)
    ctx = DemoContext(
        rng=random.Random(plan.seed * 7919 + 17),
        size=plan.size,
        today=timezone.localdate(),
        now=timezone.now(),
        partnerships=[p for p in partnerships if p.status in ("active", "paused", "ended")],
        bridges=by_partnership,
        people=people,
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
    Event.objects.bulk_create(ctx.events, batch_size=BATCH)
    written["events"] = len(ctx.events)
    # The weekly health snapshots of that history, as the weekly job would have left them.
    from mitra.health.services import health_recompute

    written["health_snapshots"] = health_recompute().snapshots
    return written
