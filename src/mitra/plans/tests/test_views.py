"""The business plan pages: both languages, two columns of goals, own goals only, agreement, reviews."""

import datetime as dt

import pytest
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from tests import factories as f

from mitra.plans.models import JointPlan, PlanGoal, PlanReview
from mitra.plans.tests.test_api import YEAR, add_goal, agree, make_plan


@pytest.fixture
def plan(world) -> JointPlan:
    plan = make_plan(world)
    add_goal(world, plan, world.supplier_admin, title="Grow volume in modern trade", kpi_name="Volume")
    add_goal(world, plan, world.customer_admin, title="Tidak ada stock-out saat Lebaran", kpi_name="OSA")
    return plan


def pages(world, plan):
    pk = world.partnership.pk
    goal = plan.goals.get(side="supplier")
    return [
        reverse("plans:list", args=[pk]),
        reverse("plans:detail", args=[pk, plan.year]),
        reverse("plans:goal_add", args=[pk, plan.year]),
        reverse("plans:goal_edit", args=[pk, plan.year, goal.pk]),
    ]


@pytest.mark.parametrize("language", ["en", "id"])
def test_every_page_renders_in_both_languages(client, world, plan, language):
    client.force_login(world.supplier_admin.user)
    client.cookies["mitra_language"] = language
    for url in pages(world, plan):
        response = client.get(url)
        assert response.status_code == 200, url
        assert f'<html lang="{language}">' in response.content.decode()


def test_the_plan_page_shows_both_columns_and_only_own_goals_are_editable(client, world, plan):
    client.force_login(world.customer_member.user)
    client.cookies["mitra_language"] = "en"
    html = client.get(pages(world, plan)[1]).content.decode()
    supplier_col = html[html.index('id="goals-supplier-column"') : html.index('id="goals-customer-column"')]
    customer_col = html[html.index('id="goals-customer-column"') :]
    assert "Grow volume in modern trade" in supplier_col and "Tidak ada stock-out" in customer_col
    customer_goal = plan.goals.get(side="customer")
    supplier_goal = plan.goals.get(side="supplier")
    assert reverse("plans:goal_edit", args=[world.partnership.pk, YEAR, customer_goal.pk]) in html
    assert reverse("plans:goal_edit", args=[world.partnership.pk, YEAR, supplier_goal.pk]) not in html
    assert "Agree to this plan" in html and "not agreed yet" in html
    # The other side's goal form is refused, and so is removing it.
    assert (
        client.get(
            reverse("plans:goal_edit", args=[world.partnership.pk, YEAR, supplier_goal.pk])
        ).status_code
        == 403
    )
    delete = reverse("plans:goal_delete", args=[world.partnership.pk, YEAR, supplier_goal.pk])
    assert client.post(delete).status_code == 403
    assert PlanGoal.objects.filter(pk=supplier_goal.pk).exists()


def test_add_a_goal_with_field_errors_then_saved(client, world, plan):
    client.force_login(world.customer_member.user)
    url = reverse("plans:goal_add", args=[world.partnership.pk, YEAR])
    response = client.post(url, {"title": "", "kpi_name": "OTIF", "target": "abc"})
    assert response.status_code == 200 and set(response.context["form"].errors) == {"title", "target"}
    response = client.post(
        url, {"title": "On time, in full", "kpi_name": "OTIF", "unit": "%", "target": "95"}
    )
    assert response.status_code == 302 and response["Location"] == plan.get_absolute_url()
    assert plan.goals.filter(side="customer", title="On time, in full").exists()


def test_agree_from_both_sides_through_the_page(client, world, plan):
    client.cookies["mitra_language"] = "en"
    url = reverse("plans:agree", args=[world.partnership.pk, YEAR])
    client.force_login(world.supplier_member.user)
    plan.refresh_from_db()
    client.post(url, {"version": plan.version})
    client.force_login(world.customer_member.user)
    response = client.post(url, follow=True)
    html = response.content.decode()
    assert "Both sides agreed: this is version 1 of the plan." in html
    assert 'id="version-1"' in html and "Agree to this plan" not in html
    again = client.post(url, follow=True).content.decode()
    assert "already agreed" in again


def test_goal_remove_withdraws_agreement(client, world, plan):
    agree(world, plan, world.supplier_admin)
    client.force_login(world.supplier_member.user)
    goal = plan.goals.get(side="supplier")
    response = client.post(reverse("plans:goal_delete", args=[world.partnership.pk, YEAR, goal.pk]))
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.supplier_agreed_at is None and not plan.goals.filter(side="supplier").exists()


def test_record_a_review_and_see_the_next_date(client, world, plan):
    client.force_login(world.customer_member.user)
    client.cookies["mitra_language"] = "en"
    url = reverse("plans:review_add", args=[world.partnership.pk, YEAR])
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    response = client.post(url, {"held_on": tomorrow.isoformat(), "notes": "Too early"})
    assert response.status_code == 200 and "held_on" in response.context["review_form"].errors
    assert not PlanReview.objects.exists()
    today = timezone.localdate()
    assert client.post(url, {"held_on": today.isoformat(), "notes": "Q review"}).status_code == 302
    html = client.get(plan.get_absolute_url()).content.decode()
    assert "Q review" in html and 'id="review-overdue"' not in html


def test_an_overdue_review_is_warned_about(client, world):
    plan = make_plan(world, YEAR)
    if plan.next_review_date >= timezone.localdate():
        pytest.skip("early in the year: the first review is not due yet")
    client.force_login(world.customer_member.user)
    assert 'id="review-overdue"' in client.get(plan.get_absolute_url()).content.decode()


def test_start_a_plan_from_the_list(client, world):
    client.force_login(world.customer_member.user)
    client.cookies["mitra_language"] = "en"  # the customer's people read Indonesian by default
    response = client.post(reverse("plans:create", args=[world.partnership.pk]), {"year": YEAR + 1})
    plan = JointPlan.objects.get()
    assert response.status_code == 302 and response["Location"] == plan.get_absolute_url()
    again = client.post(reverse("plans:create", args=[world.partnership.pk]), {"year": YEAR + 1}, follow=True)
    assert JointPlan.objects.count() == 1 and "already has a plan" in again.content.decode()


def test_a_stranger_gets_404_and_a_viewer_403(client, world, plan):
    client.force_login(world.foreign_admin.user)
    for url in pages(world, plan):
        assert client.get(url).status_code == 404, url
    assert client.get(reverse("plans:detail", args=[world.partnership.pk, 1990])).status_code == 404
    client.force_login(world.supplier_viewer.user)
    assert client.get(pages(world, plan)[2]).status_code == 403
    assert client.post(reverse("plans:agree", args=[world.partnership.pk, YEAR])).status_code == 403
    plan.refresh_from_db()
    assert plan.supplier_agreed_at is None


def test_the_summary_card(world, plan, django_assert_max_num_queries):
    template = Template("{% load plans_web %}{% plans_summary p actor %}")
    with django_assert_max_num_queries(3):
        html = template.render(Context({"p": world.partnership, "actor": f.actor(world.supplier_member)}))
    assert "Draft" in html and str(YEAR) in html
    assert plan.next_review_date.strftime("%Y") in html


@pytest.mark.parametrize("count", [2, 6])
def test_the_list_page_query_count_stays_flat(client, world, count):
    for i in range(count):
        p = make_plan(world, YEAR - 5 + i)
        add_goal(world, p, world.supplier_admin)
    client.force_login(world.supplier_member.user)
    url = reverse("plans:list", args=[world.partnership.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    assert len(queries) == LIST_PAGE_QUERIES


# Session, user, memberships, partnership (workspace), threading, then the plans with their counts.
LIST_PAGE_QUERIES = 9
