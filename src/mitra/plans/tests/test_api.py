"""The joint business plan API: yearly plans, each side's own goals, agreement by both sides and versions,
reviews and the next-review date; each forbidden move answers a clear 4xx and leaves no trace."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone
from tests import factories as f
from tests.apiclient import Api, as_, check, matrix

from mitra.partnerships.models import Status
from mitra.plans import services
from mitra.plans.models import JointPlan, PlanGoal, PlanVersion, next_review_date, review_overdue
from mitra.threads.models import Event

YEAR = dt.date.today().year


def plans_path(world, suffix: str = "") -> str:
    return f"/partnerships/{world.partnership.pk}/plans{suffix}"


def make_plan(world, year: int = YEAR) -> JointPlan:
    return services.plan_create(f.actor(world.supplier_admin), partnership_id=world.partnership.pk, year=year)


def add_goal(world, plan: JointPlan, membership, **fields) -> PlanGoal:
    data = {
        "title": "On time, in full",
        "kpi_name": "OTIF",
        "unit": "%",
        "baseline": "85",
        "target": "95",
    } | fields
    return services.plan_goal_create(
        f.actor(membership), partnership_id=world.partnership.pk, plan_id=plan.pk, **data
    )


def agree(world, plan: JointPlan, membership) -> JointPlan:
    return services.plan_agree(f.actor(membership), partnership_id=world.partnership.pk, plan_id=plan.pk)


@pytest.fixture
def plan(world) -> JointPlan:
    plan = make_plan(world)
    add_goal(
        world, plan, world.supplier_admin, title="Grow volume", kpi_name="Volume", unit="ton", target="120"
    )
    add_goal(
        world, plan, world.customer_admin, title="No stock-outs at Lebaran", kpi_name="OSA", target="97.5"
    )
    plan.refresh_from_db()
    return plan


# --- plans ---------------------------------------------------------------------------------------------


@matrix(anonymous=401, foreign=404, viewer=403, member=201, admin=201)
def test_create_matrix(client, world, who, expected):
    response = check(as_(client, world, who), "POST", plans_path(world), {"year": YEAR}, expected)
    if expected == 201:
        data = response.json()
        assert (data["year"], data["status"], data["agreed_version"], data["goals"]) == (YEAR, "draft", 0, [])
        assert data["supplier"] == {"agreed": False, "agreed_at": None, "agreed_by": None}
        assert Event.objects.filter(kind="plan", verb="created", object_id=data["id"]).exists()


def test_one_plan_per_year_and_a_sensible_year(client, world):
    api = Api(client, world.customer_member)
    check(api, "POST", plans_path(world), {"year": YEAR}, 201)
    check(api, "POST", plans_path(world), {"year": YEAR}, 409)
    assert (
        check(api, "POST", plans_path(world), {"year": YEAR - 20}, 422).json()["errors"][0]["field"] == "year"
    )
    check(api, "POST", plans_path(world), {"year": 1999}, 422)
    check(api, "POST", plans_path(world), {"year": YEAR + 1, "status": "agreed"}, 422)
    check(api, "POST", plans_path(world), {"year": YEAR + 1}, 201)
    years = [p["year"] for p in check(api, "GET", plans_path(world), None, 200).json()["items"]]
    assert years == [YEAR + 1, YEAR]


def test_an_ended_partnership_keeps_its_plans_read_only(client, world, plan):
    world.partnership.status = Status.ENDED
    world.partnership.save()
    api = Api(client, world.supplier_admin)
    check(api, "POST", plans_path(world), {"year": YEAR + 1}, 409)
    check(api, "POST", plans_path(world, f"/{plan.pk}/agree"), {}, 409)
    check(api, "GET", plans_path(world, f"/{plan.pk}"), None, 200)


@matrix(anonymous=401, foreign=404, viewer=200, member=200, admin=200)
def test_get_matrix(client, world, plan, who, expected):
    response = check(as_(client, world, who), "GET", plans_path(world, f"/{plan.pk}"), None, expected)
    if expected == 200:
        data = response.json()
        assert [(g["side"], g["title"]) for g in data["goals"]] == [
            ("customer", "No stock-outs at Lebaran"),
            ("supplier", "Grow volume"),
        ]
        assert (data["supplier_goals"], data["customer_goals"]) == (1, 1)
        assert Decimal(data["goals"][0]["target"]) == Decimal("97.5")


def test_a_plan_of_another_partnership_is_not_found_under_this_one(client, world, plan):
    other = f.PartnershipFactory(supplier=world.supplier, customer=f.OrganisationFactory(name="CV Lain"))
    api = Api(client, world.supplier_admin)
    check(api, "GET", f"/partnerships/{other.pk}/plans/{plan.pk}", None, 404)
    check(api, "POST", f"/partnerships/{other.pk}/plans/{plan.pk}/agree", {}, 404)
    check(api, "GET", plans_path(world, "/999999"), None, 404)


# --- goals ---------------------------------------------------------------------------------------------


@matrix(anonymous=401, foreign=404, viewer=403, member=201, admin=201)
def test_goal_create_matrix(client, world, plan, who, expected):
    body = {"title": "Faster payment", "kpi_name": "DSO", "unit": "days", "baseline": 45, "target": 30}
    response = check(as_(client, world, who), "POST", plans_path(world, f"/{plan.pk}/goals"), body, expected)
    if expected == 201:
        assert response.json()["side"] == "supplier"


def test_a_goal_is_the_actors_sides_and_the_side_cannot_be_chosen(client, world, plan):
    api = Api(client, world.customer_member)
    path = plans_path(world, f"/{plan.pk}/goals")
    body = {"title": "Lower stock at the DC", "kpi_name": "Days of cover", "target": "14"}
    data = check(api, "POST", path, body, 201).json()
    assert data["side"] == "customer" and data["baseline"] is None and data["unit"] == ""
    check(api, "POST", path, body | {"side": "supplier"}, 422)
    for missing in ("title", "kpi_name", "target"):
        body_without = {k: v for k, v in body.items() if k != missing}
        assert check(api, "POST", path, body_without, 422).json()["errors"][0]["field"] == missing
    check(api, "POST", path, body | {"title": "  "}, 422)
    check(api, "POST", path, body | {"target": "1e30"}, 422)


def test_a_side_edits_and_removes_only_its_own_goals(client, world, plan):
    supplier_goal = plan.goals.get(side="supplier")
    customer_goal = plan.goals.get(side="customer")
    supplier = Api(client, world.supplier_member)
    # The other side's goal: 403 and nothing changes.
    check(supplier, "PATCH", plans_path(world, f"/{plan.pk}/goals/{customer_goal.pk}"), {"target": "50"}, 403)
    check(supplier, "DELETE", plans_path(world, f"/{plan.pk}/goals/{customer_goal.pk}"), None, 403)
    customer = Api(client, world.customer_admin)
    check(
        customer, "PATCH", plans_path(world, f"/{plan.pk}/goals/{supplier_goal.pk}"), {"title": "Mine"}, 403
    )
    # Its own: fine.
    path = plans_path(world, f"/{plan.pk}/goals/{supplier_goal.pk}")
    data = check(supplier, "PATCH", path, {"target": "130", "baseline": None, "version": 1}, 200).json()
    assert (Decimal(data["target"]), data["baseline"], data["version"]) == (Decimal("130"), None, 2)
    check(supplier, "PATCH", path, {"title": "Stale", "version": 1}, 409)
    check(supplier, "PATCH", path, {"kpi_name": ""}, 422)
    check(Api(client, world.supplier_viewer), "DELETE", path, None, 403)
    check(supplier, "DELETE", path, None, 204)
    assert not PlanGoal.objects.filter(pk=supplier_goal.pk).exists()
    check(supplier, "DELETE", path, None, 404)


def test_a_goal_of_another_plan_is_not_found_under_this_plan(client, world, plan):
    other = make_plan(world, YEAR + 1)
    goal = plan.goals.get(side="supplier")
    check(
        Api(client, world.supplier_admin),
        "PATCH",
        plans_path(world, f"/{other.pk}/goals/{goal.pk}"),
        {"title": "x"},
        404,
    )


# --- agreement and versions ----------------------------------------------------------------------------


def test_agreement_needs_both_sides_and_makes_a_version(client, world, plan):
    supplier, customer = Api(client, world.supplier_member), Api(client, world.customer_member)
    path = plans_path(world, f"/{plan.pk}/agree")
    data = check(supplier, "POST", path, {"version": plan.version}, 200).json()
    assert data["status"] == "draft" and data["supplier"]["agreed"] and not data["customer"]["agreed"]
    assert data["supplier"]["agreed_by"]["id"] == world.supplier_member.user.pk
    assert data["versions"] == []
    # The same side again: nothing to do.
    check(supplier, "POST", path, {}, 409)
    check(
        Api(client, world.customer_admin), "POST", path, {"version": plan.version}, 409
    )  # stale: it changed
    check(Api(client, world.supplier_viewer), "POST", path, {}, 403)
    data = check(customer, "POST", path, {}, 200).json()
    assert (data["status"], data["agreed_version"]) == ("agreed", 1)
    assert [v["number"] for v in data["versions"]] == [1]
    assert sorted(g["title"] for g in data["versions"][0]["goals"]) == [
        "Grow volume",
        "No stock-outs at Lebaran",
    ]
    check(customer, "POST", path, {}, 409)  # already agreed by both
    verbs = list(
        Event.objects.filter(kind="plan", object_id=plan.pk).order_by("id").values_list("verb", flat=True)
    )
    assert verbs[-3:] == ["agreed", "agreed", "published"]


def test_a_plan_without_goals_cannot_be_agreed(client, world):
    plan = make_plan(world)
    check(Api(client, world.supplier_admin), "POST", plans_path(world, f"/{plan.pk}/agree"), {}, 409)


def test_changing_a_goal_withdraws_agreement_and_the_next_agreement_is_version_2(client, world, plan):
    agree(world, plan, world.supplier_admin)
    agree(world, plan, world.customer_admin)
    supplier, customer = Api(client, world.supplier_admin), Api(client, world.customer_admin)
    goal = plan.goals.get(side="customer")
    check(customer, "PATCH", plans_path(world, f"/{plan.pk}/goals/{goal.pk}"), {"target": "99"}, 200)
    data = check(customer, "GET", plans_path(world, f"/{plan.pk}"), None, 200).json()
    assert data["status"] == "draft" and not data["supplier"]["agreed"] and not data["customer"]["agreed"]
    assert data["agreed_version"] == 1 and [v["number"] for v in data["versions"]] == [1]
    # Agreeing again, to the changed goals, makes version 2; version 1 is kept as it was.
    check(customer, "POST", plans_path(world, f"/{plan.pk}/agree"), {}, 200)
    data = check(supplier, "POST", plans_path(world, f"/{plan.pk}/agree"), {}, 200).json()
    assert (data["status"], data["agreed_version"]) == ("agreed", 2)
    assert [v["number"] for v in data["versions"]] == [2, 1]
    v2 = {g["title"]: Decimal(g["target"]) for g in data["versions"][0]["goals"]}
    v1 = {g["title"]: Decimal(g["target"]) for g in data["versions"][1]["goals"]}
    assert v2["No stock-outs at Lebaran"] == 99 and v1["No stock-outs at Lebaran"] == Decimal("97.5")
    # Adding or removing a goal withdraws agreement too.
    new = check(
        supplier,
        "POST",
        plans_path(world, f"/{plan.pk}/goals"),
        {"title": "x", "kpi_name": "y", "target": 1},
        201,
    )
    assert JointPlan.objects.get(pk=plan.pk).status == "draft"
    agree(world, plan, world.supplier_admin)
    check(supplier, "DELETE", plans_path(world, f"/{plan.pk}/goals/{new.json()['id']}"), None, 204)
    plan.refresh_from_db()
    assert plan.status == "draft" and plan.supplier_agreed_at is None
    assert PlanVersion.objects.filter(plan=plan).count() == 2


def test_history_of_the_plan_and_its_goals(world, plan):
    before = plan.history.count()
    agree(world, plan, world.customer_member)
    plan.refresh_from_db()
    assert plan.history.count() == before + 1
    assert plan.history.latest().history_user == world.customer_member.user
    goal = plan.goals.get(side="supplier")
    services.plan_goal_update(
        f.actor(world.supplier_member),
        partnership_id=world.partnership.pk,
        plan_id=plan.pk,
        goal_id=goal.pk,
        note="n",
    )
    assert goal.history.count() == 2 and goal.history.latest().history_user == world.supplier_member.user
    assert plan.history.latest().customer_agreed_at is None  # the withdrawal is a history row too
    agree(world, plan, world.supplier_admin)
    agree(world, plan, world.customer_admin)
    assert PlanVersion.objects.get(plan=plan).history.count() == 1


# --- reviews and the next review -------------------------------------------------------------------------


def test_next_review_is_the_start_of_the_year_plus_the_cadence_then_the_last_review_plus_it():
    assert next_review_date(2025, 90, None) == dt.date(2025, 4, 1)
    assert next_review_date(2025, 30, dt.date(2025, 5, 10)) == dt.date(2025, 6, 9)
    assert review_overdue(2025, dt.date(2025, 4, 1), dt.date(2025, 4, 2))
    assert not review_overdue(2025, dt.date(2025, 4, 1), dt.date(2025, 4, 1))
    # A plan's reviews end with its year.
    assert not review_overdue(2025, dt.date(2026, 1, 5), dt.date(2026, 3, 1))


def test_reviews_drive_the_next_review_date(client, world, plan):
    world.partnership.review_cadence_days = 30
    world.partnership.save()
    today = timezone.localdate()
    api = Api(client, world.customer_member)
    data = check(api, "GET", plans_path(world, f"/{plan.pk}"), None, 200).json()
    start_due = dt.date(YEAR, 1, 1) + dt.timedelta(days=30)
    assert data["next_review_date"] == start_due.isoformat() and data["last_review"] is None
    assert data["review_overdue"] == (start_due < today)
    held = max(today - dt.timedelta(days=40), dt.date(YEAR, 1, 1))
    review = check(
        api,
        "POST",
        plans_path(world, f"/{plan.pk}/reviews"),
        {"held_on": held.isoformat(), "notes": "Q1"},
        201,
    )
    assert review.json()["recorded_by_side"] == "customer"
    data = check(api, "GET", plans_path(world, f"/{plan.pk}"), None, 200).json()
    assert data["next_review_date"] == (held + dt.timedelta(days=30)).isoformat()
    assert data["review_overdue"] == (held + dt.timedelta(days=30) < today)
    check(api, "POST", plans_path(world, f"/{plan.pk}/reviews"), {"held_on": today.isoformat()}, 201)
    listed = check(api, "GET", plans_path(world), None, 200).json()["items"][0]
    assert listed["next_review_date"] == (today + dt.timedelta(days=30)).isoformat()
    assert listed["review_overdue"] is False and listed["last_review"] == today.isoformat()
    reviews = api("GET", plans_path(world, f"/{plan.pk}")).json()["reviews"]
    assert reviews[0]["held_on"] == today.isoformat() and len(reviews) == 2
    assert Event.objects.filter(kind="plan", verb="reviewed", object_id=plan.pk).count() == 2


def test_a_review_cannot_be_recorded_before_it_is_held_or_before_the_plans_year(client, world, plan):
    api = Api(client, world.supplier_member)
    path = plans_path(world, f"/{plan.pk}/reviews")
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    assert (
        check(api, "POST", path, {"held_on": tomorrow.isoformat()}, 422).json()["errors"][0]["field"]
        == "held_on"
    )
    check(api, "POST", path, {"held_on": f"{YEAR - 1}-12-31"}, 422)
    check(api, "POST", path, {"held_on": "not a date"}, 422)
    check(
        Api(client, world.supplier_viewer), "POST", path, {"held_on": timezone.localdate().isoformat()}, 403
    )


# --- list ----------------------------------------------------------------------------------------------


@matrix(anonymous=401, foreign=404, viewer=200, member=200, admin=200)
def test_list_matrix(client, world, plan, who, expected):
    response = check(as_(client, world, who), "GET", plans_path(world), None, expected)
    if expected == 200:
        assert [p["id"] for p in response.json()["items"]] == [plan.pk]


# Auth (token, membership, departments), the partnership check, the count and the page of plans.
PLAN_LIST_QUERIES = 7


@pytest.mark.parametrize("count", [2, 10])
def test_the_list_makes_the_same_number_of_queries(client, world, django_assert_num_queries, count):
    for i in range(count):
        plan = make_plan(world, YEAR - 5 + i)
        add_goal(world, plan, world.supplier_admin)
        add_goal(world, plan, world.customer_admin)
        if plan.year <= YEAR:
            services.plan_review_create(
                f.actor(world.supplier_admin),
                partnership_id=world.partnership.pk,
                plan_id=plan.pk,
                held_on=min(dt.date(plan.year, 3, 1), timezone.localdate()),
            )
    api = Api(client, world.customer_member)
    with django_assert_num_queries(PLAN_LIST_QUERIES):
        response = api("GET", plans_path(world))
    assert response.status_code == 200 and response.json()["count"] == count
