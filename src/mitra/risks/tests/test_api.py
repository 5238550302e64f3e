"""The risk register API: every rule, each forbidden move (clear 4xx, no trace), history and query counts."""

import datetime as dt

import pytest
from django.utils import timezone
from tests import factories as f
from tests.apiclient import ADMIN, FOREIGN, MEMBER, VIEWER, Api, as_, check, matrix

from mitra.partnerships.models import Status
from mitra.risks import selectors, services
from mitra.risks.models import Risk
from mitra.threads.models import Event


def risks_path(world, suffix: str = "") -> str:
    return f"/partnerships/{world.partnership.pk}/risks{suffix}"


def make_risk(world, membership=None, **fields) -> Risk:
    data = {"title": "Supply disruption before Lebaran", "likelihood": 4, "impact": 5} | fields
    return services.risk_create(
        f.actor(membership or world.supplier_admin), partnership_id=world.partnership.pk, **data
    )


def make_case(world, risk: Risk | None, **fields):
    """A case recorded as foreseen by ``risk`` (the cases app owns its services; the row is enough here)."""
    from mitra.cases.models import Case

    return Case.objects.create(
        partnership=world.partnership,
        title=fields.pop("title", "Late delivery"),
        desired_outcome="Shelves full before Lebaran",
        raised_by_side="customer",
        outcome_entered_by_side="customer",
        sla_due_at=timezone.now() + dt.timedelta(days=3),
        anticipated_by=risk,
        **fields,
    )


# --- create ---------------------------------------------------------------------------------------------


@matrix(anonymous=401, foreign=404, viewer=403, member=201, admin=201)
def test_create_matrix(client, world, who, expected):
    body = {"title": "Price of raw sugar rises", "likelihood": 3, "impact": 4}
    response = check(as_(client, world, who), "POST", risks_path(world), body, expected)
    if expected == 201:
        data = response.json()
        assert data["raised_by_side"] == "supplier"
        assert (data["score"], data["level"], data["status"]) == (12, "medium", "open")
        assert data["response_ready"] is False and data["case_count"] == 0
        assert Event.objects.filter(kind="risk", verb="created", object_id=data["id"]).exists()


def test_the_customer_raises_as_the_customer_and_the_side_cannot_be_chosen(client, world):
    api = Api(client, world.customer_member)
    body = {
        "title": "Payment delay at year end",
        "likelihood": 2,
        "impact": 3,
        "early_signal": "Invoices older than 45 days",
        "response": "Finance to finance call within two days; partial payment plan",
        "owner_id": world.customer_admin.pk,
    }
    data = check(api, "POST", risks_path(world), body, 201).json()
    assert data["raised_by_side"] == "customer"
    assert data["owner"] == {
        "id": world.customer_admin.pk,
        "full_name": world.customer_admin.user.full_name,
        "organisation_id": world.customer.pk,
    }
    assert data["response_ready"] is True
    check(api, "POST", risks_path(world), body | {"raised_by_side": "supplier"}, 422)


@pytest.mark.parametrize("field", ["likelihood", "impact"])
@pytest.mark.parametrize("value", [0, 6, -1])
def test_likelihood_and_impact_are_1_to_5(client, world, field, value):
    body = {"title": "Forecast error", field: value}
    response = check(Api(client, world.supplier_member), "POST", risks_path(world), body, 422)
    assert response.json()["errors"][0]["field"] == field


def test_the_service_names_the_scale_field_too(world):
    from mitra.core.errors import Invalid

    with pytest.raises(Invalid) as exc:
        make_risk(world, impact=9)
    assert list(exc.value.errors) == ["impact"]


def test_the_owner_is_an_active_member_of_either_side(client, world):
    api = Api(client, world.supplier_member)
    for owner in (world.foreign_admin.pk, 999_999):
        response = check(
            api, "POST", risks_path(world), {"title": "Key person leaves", "owner_id": owner}, 422
        )
        assert response.json()["errors"][0]["field"] == "owner_id"
    world.customer_member.is_active = False
    world.customer_member.save()
    response = check(
        api,
        "POST",
        risks_path(world),
        {"title": "Key person leaves", "owner_id": world.customer_member.pk},
        422,
    )
    assert response.json()["errors"][0]["field"] == "owner_id"
    ok = check(
        api,
        "POST",
        risks_path(world),
        {"title": "Key person leaves", "owner_id": world.customer_admin.pk},
        201,
    )
    assert ok.json()["owner"]["id"] == world.customer_admin.pk


def test_blank_title_and_unknown_fields_are_refused(client, world):
    api = Api(client, world.supplier_member)
    check(api, "POST", risks_path(world), {"title": ""}, 422)
    check(api, "POST", risks_path(world), {"title": "   "}, 422)
    check(api, "POST", risks_path(world), {"title": "x", "score": 25}, 422)


def test_an_ended_partnership_is_read_only(client, world):
    risk = make_risk(world)
    world.partnership.status = Status.ENDED
    world.partnership.save()
    api = Api(client, world.supplier_admin)
    check(api, "POST", risks_path(world), {"title": "Too late"}, 409)
    check(api, "PATCH", risks_path(world, f"/{risk.pk}"), {"status": "closed"}, 409)
    assert check(api, "GET", risks_path(world, f"/{risk.pk}"), None, 200).json()["status"] == "open"


def test_a_restricted_risk_is_hidden_from_other_departments_of_its_side_only(client, world):
    risk = make_risk(world, restricted_department_id=world.supplier_sales.pk)
    check(Api(client, world.supplier_member), "GET", risks_path(world, f"/{risk.pk}"), None, 404)
    check(Api(client, world.customer_member), "GET", risks_path(world, f"/{risk.pk}"), None, 200)
    check(
        Api(client, world.supplier_member),
        "PATCH",
        risks_path(world, f"/{risk.pk}"),
        {"status": "closed"},
        404,
    )


# --- update --------------------------------------------------------------------------------------------


@matrix(anonymous=401, foreign=404, viewer=403, member=200, admin=200)
def test_update_matrix(client, world, who, expected):
    risk = make_risk(world)
    check(
        as_(client, world, who), "PATCH", risks_path(world, f"/{risk.pk}"), {"status": "watching"}, expected
    )
    risk.refresh_from_db()
    assert risk.status == ("watching" if expected == 200 else "open")


def test_either_side_moves_the_status_through_every_state(client, world):
    risk = make_risk(world)
    path = risks_path(world, f"/{risk.pk}")
    customer = Api(client, world.customer_member)
    for status, verb in (
        ("watching", "updated"),
        ("occurred", "occurred"),
        ("closed", "closed"),
        ("open", "reopened"),
    ):
        data = check(customer, "PATCH", path, {"status": status}, 200).json()
        assert data["status"] == status
        assert Event.objects.filter(kind="risk", object_id=risk.pk).latest("id").verb == verb
    check(customer, "PATCH", path, {"status": "forgotten"}, 422)


def test_update_fields_version_and_clearing_the_owner(client, world):
    risk = make_risk(world, owner_id=world.supplier_member.pk)
    path = risks_path(world, f"/{risk.pk}")
    api = Api(client, world.customer_admin)
    data = check(
        api,
        "PATCH",
        path,
        {"likelihood": 2, "response": "Buffer stock of 3 weeks from Ramadan", "version": risk.version},
        200,
    ).json()
    assert (data["likelihood"], data["impact"], data["score"], data["version"]) == (2, 5, 10, 2)
    assert data["response_ready"] is True and data["owner"]["id"] == world.supplier_member.pk
    check(api, "PATCH", path, {"title": "Stale edit", "version": 1}, 409)
    check(api, "PATCH", path, {"impact": 0}, 422)
    check(api, "PATCH", path, {"owner_id": world.foreign_admin.pk}, 422)
    assert check(api, "PATCH", path, {"owner_id": None}, 200).json()["owner"] is None
    # null on other fields means "leave as it is"
    assert check(api, "PATCH", path, {"title": None}, 200).json()["title"] == risk.title


def test_a_risk_of_another_partnership_is_not_found_under_this_one(client, world):
    risk = make_risk(world)
    other = f.PartnershipFactory(supplier=world.supplier, customer=f.OrganisationFactory(name="CV Lain"))
    api = Api(client, world.supplier_admin)
    check(api, "GET", f"/partnerships/{other.pk}/risks/{risk.pk}", None, 404)
    check(api, "PATCH", f"/partnerships/{other.pk}/risks/{risk.pk}", {"status": "closed"}, 404)


def test_history_records_every_change_and_who_made_it(world):
    risk = make_risk(world)
    services.risk_update(
        f.actor(world.customer_member),
        partnership_id=world.partnership.pk,
        risk_id=risk.pk,
        status="watching",
    )
    assert risk.history.count() == 2
    latest = risk.history.latest()
    assert latest.history_user == world.customer_member.user and latest.status == "watching"
    assert risk.history.earliest().history_user == world.supplier_admin.user


# --- reads ---------------------------------------------------------------------------------------------


@matrix(anonymous=401, foreign=404, viewer=200, member=200, admin=200)
def test_list_matrix(client, world, who, expected):
    make_risk(world)
    response = check(as_(client, world, who), "GET", risks_path(world), None, expected)
    if expected == 200:
        assert response.json()["count"] == 1


def test_list_filters_and_orders_by_score_with_the_cases_each_foresaw(client, world):
    high = make_risk(world, title="Lebaran disruption", likelihood=4, impact=5)
    low = make_risk(world, title="Forecast error", likelihood=2, impact=2)
    closed = make_risk(world, title="Old risk", likelihood=3, impact=3)
    services.risk_update(
        f.actor(world.supplier_admin), partnership_id=world.partnership.pk, risk_id=closed.pk, status="closed"
    )
    make_case(world, high)
    make_case(world, high, title="Second late delivery")
    make_case(world, None)
    api = Api(client, world.customer_member)
    items = check(api, "GET", risks_path(world), None, 200).json()["items"]
    assert [(r["id"], r["case_count"]) for r in items] == [(high.pk, 2), (closed.pk, 0), (low.pk, 0)]
    assert [r["id"] for r in api("GET", risks_path(world, "?status=closed")).json()["items"]] == [closed.pk]
    assert [r["id"] for r in api("GET", risks_path(world, "?min_score=9")).json()["items"]] == [
        high.pk,
        closed.pk,
    ]
    check(api, "GET", risks_path(world, "?min_score=26"), None, 422)
    check(api, "GET", risks_path(world, "?status=maybe"), None, 422)
    assert check(api, "GET", risks_path(world, f"/{high.pk}"), None, 200).json()["case_count"] == 2


def test_heat_map_stats_and_anticipated_share(world):
    actor = f.actor(world.customer_member)
    a = make_risk(world, likelihood=4, impact=5, response="Buffer stock")
    make_risk(world, likelihood=4, impact=5)
    make_risk(world, likelihood=1, impact=2, response="Call")
    gone = make_risk(world, likelihood=1, impact=1, response="Call")
    services.risk_update(actor, partnership_id=world.partnership.pk, risk_id=gone.pk, status="closed")
    heat = selectors.heat_map(actor, world.partnership.pk)
    assert heat.count(4, 5) == 2 and heat.count(1, 2) == 1 and heat.count(1, 1) == 0
    assert heat.total == 3
    assert [impact for impact, _cells in heat.rows] == [5, 4, 3, 2, 1]
    assert heat.rows[0][1][3].level == "high"
    stats = selectors.risk_stats(actor, world.partnership.pk)
    assert (stats.total, stats.active, stats.open, stats.high, stats.response_ready) == (4, 3, 3, 2, 2)
    assert stats.response_ready_percent == 67
    make_case(world, a)
    make_case(world, None)
    assert selectors.anticipated_share(actor, world.partnership.pk) == (1, 2)


def test_stats_of_an_empty_register(world):
    stats = selectors.risk_stats(f.actor(world.supplier_admin), world.partnership.pk)
    assert stats.response_ready_share is None and stats.response_ready_percent is None


@pytest.mark.parametrize("who", [ADMIN, MEMBER, VIEWER, FOREIGN])
def test_get_of_an_unknown_risk_is_404(client, world, who):
    check(as_(client, world, who), "GET", risks_path(world, "/999999"), None, 404)


# Auth (token, membership, departments), the partnership check, the count and the page of risks.
RISK_LIST_QUERIES = 7


@pytest.mark.parametrize("count", [2, 20])
def test_the_list_makes_the_same_number_of_queries_for_2_and_20_risks(
    client, world, django_assert_num_queries, count
):
    for i in range(count):
        owner = world.customer_admin if i % 2 else world.supplier_admin
        risk = make_risk(world, title=f"Risk {i}", owner_id=owner.pk)
        make_case(world, risk)
    api = Api(client, world.customer_member)
    with django_assert_num_queries(RISK_LIST_QUERIES):
        response = api("GET", risks_path(world))
    assert response.status_code == 200 and response.json()["count"] == count
    assert all(r["case_count"] == 1 and r["owner"] for r in response.json()["items"])


def test_risk_choices_for_linking_a_case(world):
    actor = f.actor(world.customer_member)
    closed = make_risk(world, title="A closed one")
    services.risk_update(actor, partnership_id=world.partnership.pk, risk_id=closed.pk, status="closed")
    open_ = make_risk(world, title="Zebra crossing")
    hidden = make_risk(world, title="Hidden", restricted_department_id=world.supplier_sales.pk)
    assert list(selectors.risk_choices(actor, world.partnership.pk)) == [hidden, open_, closed]
    assert hidden not in selectors.risk_choices(f.actor(world.supplier_member), world.partnership.pk)
