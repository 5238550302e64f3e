"""Review findings: restricted initiatives do not leak through the recurring root causes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone
from tests import factories as f
from tests.contracts.improvement import make_initiative

from mitra.improvement import selectors, services

from .helpers import make_case

pytestmark = pytest.mark.django_db


def test_recurring_root_causes_count_only_initiatives_the_actor_may_see(world):
    cases = [make_case(world.partnership, f"Late truck {n}", root_cause="process") for n in range(3)]
    # Restricted to supplier Sales: the supplier member (Finance) must not learn it exists.
    hidden = make_initiative(world, "Sales-only fix", restricted_department_id=world.supplier_sales.pk)
    hidden.source_cases.set(cases)

    admin = selectors.recurring_root_causes(f.actor(world.supplier_admin), world.partnership)
    member = selectors.recurring_root_causes(f.actor(world.supplier_member), world.partnership)
    customer = selectors.recurring_root_causes(f.actor(world.customer_member), world.partnership)

    assert [(r.category, r.cases, r.open_initiatives) for r in admin] == [("process", 3, 1)]
    assert [(r.category, r.cases, r.open_initiatives) for r in member] == [("process", 3, 0)]
    # The restriction binds only the side that set it.
    assert [(r.category, r.cases, r.open_initiatives) for r in customer] == [("process", 3, 1)]


def test_root_cause_labels_come_from_the_cases_categories():
    assert selectors.root_cause_label("process") == "Process"
    assert selectors.root_cause_label("no-such") == "no-such"


def test_stage_moves_and_measurements_leave_history_by_their_actor(world):
    initiative = make_initiative(world)
    customer = f.actor(world.customer_member)
    services.initiative_stage(
        customer, partnership_id=world.partnership.pk, initiative_id=initiative.pk, stage="do"
    )
    measurement = services.measurement_create(
        customer,
        partnership_id=world.partnership.pk,
        initiative_id=initiative.pk,
        measured_on=timezone.localdate() - dt.timedelta(days=1),
        value=Decimal("92"),
    )
    rows = list(initiative.history.order_by("history_id"))
    assert [(r.stage, r.history_user) for r in rows] == [
        ("plan", world.supplier_admin.user),
        ("do", world.customer_member.user),
    ]
    assert measurement.history.get().history_user == world.customer_member.user


def test_recurring_root_causes_are_counted_over_the_last_12_months_like_on_the_cases_page(world):
    from mitra.cases.models import Case

    cases = [make_case(world.partnership, f"Short delivery {n}", root_cause="material") for n in range(3)]
    admin = f.actor(world.supplier_admin)
    assert [r.category for r in selectors.recurring_root_causes(admin, world.partnership)] == ["material"]
    Case.objects.filter(pk=cases[0].pk).update(created_at=timezone.now() - dt.timedelta(days=400))
    assert selectors.recurring_root_causes(admin, world.partnership) == []
