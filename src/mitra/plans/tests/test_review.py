"""Review findings on the joint business plan."""

from __future__ import annotations

import pytest
from django.urls import reverse
from tests.apiclient import Api, check

from mitra.plans.models import JointPlan
from mitra.plans.tests.test_api import add_goal, agree, make_plan, plans_path
from mitra.threads.models import Event

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(world) -> JointPlan:
    plan = make_plan(world)
    add_goal(
        world, plan, world.supplier_admin, title="Grow volume", kpi_name="Volume", unit="ton", target="120"
    )
    add_goal(world, plan, world.customer_admin, title="No stock-outs", kpi_name="OSA", target="97.5")
    plan.refresh_from_db()
    return plan


def test_saving_a_goal_unchanged_keeps_both_agreements(client, world, plan):
    """Only a change to the goals withdraws the agreement: saving a goal as it is changes nothing."""
    agree(world, plan, world.customer_admin)
    goal = plan.goals.get(side="supplier")
    before = (JointPlan.objects.get(pk=plan.pk).version, goal.history.count(), Event.objects.count())
    path = plans_path(world, f"/{plan.pk}/goals/{goal.pk}")
    supplier = Api(client, world.supplier_member)
    same = {"title": goal.title, "kpi_name": goal.kpi_name, "unit": goal.unit, "target": str(goal.target)}
    data = check(supplier, "PATCH", path, same | {"version": goal.version}, 200).json()
    assert data["version"] == goal.version
    stored = JointPlan.objects.get(pk=plan.pk)
    assert stored.customer_agreed_at is not None
    after = (stored.version, goal.history.count(), Event.objects.count())
    assert after == before
    # The same through the goal form.
    client.force_login(world.supplier_member.user)
    url = reverse(
        "plans:goal_edit", kwargs={"pk": world.partnership.pk, "year": plan.year, "goal_id": goal.pk}
    )
    response = client.post(
        url,
        {
            "title": goal.title,
            "kpi_name": goal.kpi_name,
            "unit": goal.unit,
            "baseline": "" if goal.baseline is None else str(goal.baseline),
            "target": str(goal.target),
            "note": goal.note,
            "version": goal.version,
        },
    )
    assert response.status_code == 302
    assert JointPlan.objects.get(pk=plan.pk).customer_agreed_at is not None
    # A real change still withdraws it.
    check(supplier, "PATCH", path, {"target": "121"}, 200)
    assert JointPlan.objects.get(pk=plan.pk).customer_agreed_at is None


def test_agreed_versions_show_numbers_in_the_readers_language(client, world, plan):
    agree(world, plan, world.supplier_admin)
    agree(world, plan, world.customer_admin)
    client.force_login(world.customer_member.user)
    client.cookies["mitra_language"] = "id"
    page = client.get(reverse("plans:detail", kwargs={"pk": world.partnership.pk, "year": plan.year}))
    assert page.status_code == 200
    versions = page.content.decode().split('id="versions"')[1]
    assert "97,50" in versions and "97.50" not in versions
