"""Every rule of improvement initiatives, through the API."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from tests import factories as f
from tests.apiclient import Api, check
from tests.contracts.improvement import make_initiative

from mitra.improvement.models import Initiative, Measurement
from mitra.partnerships.models import Status
from mitra.threads.models import Event

from .helpers import make_case, measure

pytestmark = pytest.mark.django_db


def _url(world, rest: str = "") -> str:
    return f"/partnerships/{world.partnership.pk}/initiatives{rest}"


def _body(world, **overrides):
    today = timezone.localdate()
    return {
        "title": "Lead time from 7 to 4 days",
        "description": "Orders wait for the weekly truck. Idea: a second delivery day.",
        "supplier_owner_id": world.supplier_member.pk,
        "customer_owner_id": world.customer_member.pk,
        "start_date": today.isoformat(),
        "target_date": (today + dt.timedelta(days=120)).isoformat(),
        "kpi_name": "Lead time",
        "kpi_unit": "days",
        "direction": "decrease",
        "baseline": 7,
        "target": 4,
        **overrides,
    }


def _fields(response) -> set[str]:
    return {e["field"] for e in response.json()["errors"]}


# --- create -----------------------------------------------------------------------------------------------


def test_either_side_starts_an_initiative_with_owners_on_both_sides(client, world):
    api = Api(client, world.customer_admin)
    data = check(api, "POST", _url(world), _body(world), 201).json()
    assert data["stage"] == "plan" and data["cycle"] == 1 and data["status"] == "active"
    assert data["supplier_owner"]["id"] == world.supplier_member.pk
    assert data["customer_owner"]["id"] == world.customer_member.pk
    assert data["created_side"] == "customer"
    assert data["direction"] == "decrease" and data["baseline"] == 7 and data["target"] == 4
    assert data["progress"] is None and data["latest_value"] is None
    initiative = Initiative.objects.get(pk=data["id"])
    assert initiative.history.count() == 1
    assert initiative.history.first().history_user == world.customer_admin.user
    event = Event.objects.get(kind="initiative", object_id=initiative.pk)
    assert (event.verb, event.actor_side, event.partnership_id) == (
        "created",
        "customer",
        world.partnership.pk,
    )
    assert event.url == f"/partnerships/{world.partnership.pk}/improvement/{initiative.pk}/"


@pytest.mark.parametrize(
    ("field", "who"),
    [
        ("supplier_owner_id", "customer_member"),  # the wrong side
        ("customer_owner_id", "supplier_member"),
        ("supplier_owner_id", "foreign_admin"),  # a stranger
        ("customer_owner_id", "foreign_admin"),
    ],
)
def test_each_owner_must_be_an_active_member_of_their_side(client, world, field, who):
    api = Api(client, world.supplier_admin)
    response = check(api, "POST", _url(world), _body(world, **{field: getattr(world, who).pk}), 422)
    assert _fields(response) == {field}


def test_an_inactive_member_cannot_own_an_initiative(client, world):
    world.customer_member.is_active = False
    world.customer_member.save()
    response = check(Api(client, world.supplier_admin), "POST", _url(world), _body(world), 422)
    assert _fields(response) == {"customer_owner_id"}


@pytest.mark.parametrize("field", ["supplier_owner_id", "customer_owner_id"])
def test_both_owners_are_required(client, world, field):
    body = _body(world)
    del body[field]
    response = check(Api(client, world.supplier_admin), "POST", _url(world), body, 422)
    assert field in _fields(response)


@pytest.mark.parametrize(
    ("direction", "baseline", "target"),
    [("increase", 90, 85), ("increase", 90, 90), ("decrease", 7, 9), ("decrease", 7, 7)],
)
def test_the_target_must_be_beyond_the_baseline_in_the_kpis_direction(
    client, world, direction, baseline, target
):
    body = _body(world, direction=direction, baseline=baseline, target=target)
    response = check(Api(client, world.supplier_admin), "POST", _url(world), body, 422)
    assert _fields(response) == {"target"}


def test_the_target_date_cannot_precede_the_start(client, world):
    today = timezone.localdate()
    body = _body(world, target_date=(today - dt.timedelta(days=1)).isoformat())
    response = check(Api(client, world.supplier_admin), "POST", _url(world), body, 422)
    assert _fields(response) == {"target_date"}


def test_an_initiative_starts_from_recurring_cases_of_the_partnership(client, world):
    cases = [make_case(world.partnership, f"Late truck {n}") for n in range(3)]
    body = _body(world, source_case_ids=[c.pk for c in cases])
    data = check(Api(client, world.supplier_admin), "POST", _url(world), body, 201).json()
    assert sorted(c["id"] for c in data["source_cases"]) == sorted(c.pk for c in cases)
    assert set(Initiative.objects.get(pk=data["id"]).source_cases.all()) == set(cases)


def test_cases_of_another_tenant_or_partnership_are_refused(client, world):
    own = make_case(world.partnership, "Late truck")
    foreign = make_case(world.foreign_partnership, "Their case")
    other_partnership = f.PartnershipFactory(supplier=world.supplier, customer=f.OrganisationFactory())
    sibling = make_case(other_partnership, "Same supplier, other customer")
    api = Api(client, world.supplier_admin)
    for case in (foreign, sibling):
        response = check(api, "POST", _url(world), _body(world, source_case_ids=[own.pk, case.pk]), 422)
        assert _fields(response) == {"source_case_ids"}


def test_a_case_the_actor_cannot_see_is_refused(client, world):
    hidden = make_case(world.partnership, "Sales-only case", restricted_department=world.supplier_sales)
    api = Api(client, world.supplier_member)  # in Finance, not Sales
    response = check(api, "POST", _url(world), _body(world, source_case_ids=[hidden.pk]), 422)
    assert _fields(response) == {"source_case_ids"}


def test_viewers_cannot_write_and_strangers_see_nothing(client, world, initiative):
    viewer = Api(client, world.supplier_viewer)
    check(viewer, "POST", _url(world), _body(world), 403)
    check(viewer, "PATCH", _url(world, f"/{initiative.pk}"), {"title": "x"}, 403)
    check(viewer, "POST", _url(world, f"/{initiative.pk}/stage"), {"stage": "do"}, 403)
    body = {"measured_on": timezone.localdate().isoformat(), "value": 95}
    check(viewer, "POST", _url(world, f"/{initiative.pk}/measurements"), body, 403)
    check(viewer, "GET", _url(world, f"/{initiative.pk}"), None, 200)
    stranger = Api(client, world.foreign_admin)
    check(stranger, "GET", _url(world), None, 404)
    check(stranger, "GET", _url(world, f"/{initiative.pk}"), None, 404)
    check(stranger, "GET", _url(world, f"/{initiative.pk}/measurements"), None, 404)
    check(stranger, "POST", _url(world), _body(world), 404)


def test_an_initiative_is_found_only_under_its_own_partnership(client, world, initiative):
    other = f.PartnershipFactory(supplier=world.supplier, customer=f.OrganisationFactory())
    api = Api(client, world.supplier_admin)
    check(api, "GET", f"/partnerships/{other.pk}/initiatives/{initiative.pk}", None, 404)
    check(api, "POST", f"/partnerships/{other.pk}/initiatives/{initiative.pk}/stage", {"stage": "do"}, 404)


def test_an_ended_partnership_takes_no_new_initiatives(client, world):
    world.partnership.status = Status.ENDED
    world.partnership.save()
    check(Api(client, world.supplier_admin), "POST", _url(world), _body(world), 409)


def test_a_restricted_initiative_is_hidden_from_other_departments_of_its_side(client, world):
    restricted = make_initiative(world, "Sales only", restricted_department_id=world.supplier_sales.pk)
    check(Api(client, world.supplier_member), "GET", _url(world, f"/{restricted.pk}"), None, 404)
    check(Api(client, world.customer_member), "GET", _url(world, f"/{restricted.pk}"), None, 200)
    ids = [i["id"] for i in Api(client, world.supplier_member)("GET", _url(world)).json()["items"]]
    assert restricted.pk not in ids


# --- list and progress ------------------------------------------------------------------------------------


def test_progress_is_the_share_of_the_way_from_baseline_to_target(client, world, initiative):
    api = Api(client, world.supplier_admin)
    measure(world, initiative, 60, "91")
    measure(world, initiative, 10, "94")  # latest: 4 of the 8 points from 90 to 98
    measure(world, initiative, 30, "97")  # recorded last, but older
    data = check(api, "GET", _url(world, f"/{initiative.pk}"), None, 200).json()
    assert data["progress"] == 50.0
    assert data["latest_value"] == 94 and data["latest_on"] == str(
        timezone.localdate() - dt.timedelta(days=10)
    )


def test_progress_works_downwards_and_is_clamped(client, world):
    api = Api(client, world.supplier_admin)
    lead_time = make_initiative(world, "Lead time", direction="decrease", baseline=7, target=4)
    measure(world, lead_time, 5, "5.5")
    assert check(api, "GET", _url(world, f"/{lead_time.pk}"), None, 200).json()["progress"] == 50.0
    measure(world, lead_time, 3, "3")  # better than the target
    assert check(api, "GET", _url(world, f"/{lead_time.pk}"), None, 200).json()["progress"] == 100.0
    measure(world, lead_time, 1, "9")  # worse than the baseline
    assert check(api, "GET", _url(world, f"/{lead_time.pk}"), None, 200).json()["progress"] == 0.0


def test_list_filters_by_stage_and_status(client, world, initiative):
    api = Api(client, world.supplier_admin)
    moved = make_initiative(world, "Moved on")
    api("POST", _url(world, f"/{moved.pk}/stage"), {"stage": "do"})
    closed = make_initiative(world, "Closed")
    api("PATCH", _url(world, f"/{closed.pk}"), {"status": "abandoned"})

    def ids(query: str) -> set[int]:
        return {i["id"] for i in check(api, "GET", _url(world, query), None, 200).json()["items"]}

    assert ids("") == {initiative.pk, moved.pk, closed.pk}
    assert ids("?stage=do") == {moved.pk}
    assert ids("?status=abandoned") == {closed.pk}
    assert ids("?stage=plan&status=active") == {initiative.pk}
    check(api, "GET", _url(world, "?stage=later"), None, 422)


def test_list_queries_stay_flat(client, world):
    api = Api(client, world.supplier_admin)
    cases = [make_case(world.partnership, f"Case {n}") for n in range(3)]

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            response = api("GET", _url(world))
        assert response.status_code == 200
        return len(queries)

    def add(n: int) -> None:
        for k in range(n):
            item = make_initiative(world, f"Initiative {k}", source_case_ids=[c.pk for c in cases[: k % 3]])
            measure(world, item, 3, "95")

    add(2)
    count()  # warm-up: the token's first use is recorded once
    two = count()
    add(18)
    assert count() == two
    items = api("GET", _url(world)).json()["items"]
    assert len(items) == 20 and all(i["progress"] == 62.5 for i in items)


# --- stages -----------------------------------------------------------------------------------------------


def test_stages_move_forward_in_order_and_act_to_plan_starts_a_new_cycle(client, world, initiative):
    api = Api(client, world.customer_member)
    url = _url(world, f"/{initiative.pk}/stage")
    for stage in ("do", "check", "act"):
        assert check(api, "POST", url, {"stage": stage}, 200).json()["stage"] == stage
    data = check(api, "POST", url, {"stage": "plan"}, 200).json()
    assert (data["stage"], data["cycle"], data["version"]) == ("plan", 2, 5)
    initiative.refresh_from_db()
    assert initiative.history.count() == 5
    assert initiative.history.first().history_user == world.customer_member.user
    events = Event.objects.filter(kind="initiative", object_id=initiative.pk, verb="stage_changed")
    assert sorted(events.values_list("detail", flat=True)) == ["Act", "Check", "Do", "Plan"]


@pytest.mark.parametrize("stage", ["plan", "check", "act"])
def test_moving_out_of_order_is_a_conflict(client, world, initiative, stage):
    check(
        Api(client, world.supplier_admin),
        "POST",
        _url(world, f"/{initiative.pk}/stage"),
        {"stage": stage},
        409,
    )


def test_a_stale_stage_move_is_a_conflict(client, world, initiative):
    api = Api(client, world.supplier_admin)
    url = _url(world, f"/{initiative.pk}/stage")
    check(api, "POST", url, {"stage": "do", "version": 1}, 200)
    check(api, "POST", url, {"stage": "check", "version": 1}, 409)
    check(api, "POST", url, {"stage": "teleport"}, 422)


# --- update and close -------------------------------------------------------------------------------------


def test_patch_changes_fields_with_optimistic_locking(client, world, initiative):
    api = Api(client, world.customer_admin)
    url = _url(world, f"/{initiative.pk}")
    data = check(api, "PATCH", url, {"title": "OTIF to 99%", "target": 99, "version": 1}, 200).json()
    assert (data["title"], data["target"], data["version"]) == ("OTIF to 99%", 99, 2)
    check(api, "PATCH", url, {"title": "Stale", "version": 1}, 409)
    check(api, "PATCH", url, {"customer_owner_id": world.supplier_member.pk}, 422)
    data = check(api, "PATCH", url, {"customer_owner_id": world.customer_member.pk}, 200).json()
    assert data["customer_owner"]["id"] == world.customer_member.pk
    initiative.refresh_from_db()
    assert initiative.history.count() == 3
    assert Event.objects.filter(kind="initiative", object_id=initiative.pk, verb="updated").count() == 2


def test_patch_keeps_the_target_beyond_the_baseline(client, world, initiative):
    api = Api(client, world.supplier_admin)
    url = _url(world, f"/{initiative.pk}")
    assert _fields(check(api, "PATCH", url, {"target": 80}, 422)) == {"target"}
    assert _fields(check(api, "PATCH", url, {"direction": "decrease"}, 422)) == {"target"}
    assert _fields(check(api, "PATCH", url, {"baseline": 99}, 422)) == {"target"}
    check(api, "PATCH", url, {"direction": "decrease", "baseline": 99, "target": 97}, 200)


@pytest.mark.parametrize("status", ["completed", "abandoned"])
def test_closing_is_final(client, world, initiative, status):
    api = Api(client, world.supplier_member)
    url = _url(world, f"/{initiative.pk}")
    data = check(api, "PATCH", url, {"status": status}, 200).json()
    assert data["status"] == status and data["closed_at"]
    event = Event.objects.get(kind="initiative", object_id=initiative.pk, verb="closed")
    assert event.actor_side == "supplier"
    check(api, "PATCH", url, {"title": "Again"}, 409)
    check(api, "PATCH", url, {"status": "active"}, 409)
    check(api, "POST", url + "/stage", {"stage": "do"}, 409)
    body = {"measured_on": timezone.localdate().isoformat(), "value": 95}
    check(api, "POST", url + "/measurements", body, 409)


# --- measurements -----------------------------------------------------------------------------------------


def test_either_side_records_dated_measurements(client, world, initiative):
    api = Api(client, world.customer_member)
    url = _url(world, f"/{initiative.pk}/measurements")
    today = timezone.localdate()
    older = (today - dt.timedelta(days=31)).isoformat()
    data = check(
        api, "POST", url, {"measured_on": today.isoformat(), "value": 95.25, "note": "May"}, 201
    ).json()
    assert data["recorded_side"] == "customer" and data["value"] == 95.25 and data["note"] == "May"
    assert data["recorded_by"] == world.customer_member.user.full_name
    check(api, "POST", url, {"measured_on": older, "value": 92}, 201)
    listed = check(api, "GET", url, None, 200).json()["items"]
    assert [m["measured_on"] for m in listed] == [older, today.isoformat()]
    measurement = Measurement.objects.get(pk=data["id"])
    assert measurement.history.first().history_user == world.customer_member.user
    event = Event.objects.get(kind="measurement", object_id=measurement.pk)
    assert (event.verb, event.actor_side, event.title) == ("measured", "customer", initiative.title)
    assert event.detail == "OTIF: 95.25 %"


def test_one_measurement_per_date(client, world, initiative):
    api = Api(client, world.supplier_admin)
    url = _url(world, f"/{initiative.pk}/measurements")
    body = {"measured_on": timezone.localdate().isoformat(), "value": 95}
    check(api, "POST", url, body, 201)
    response = check(api, "POST", url, {**body, "value": 96}, 422)
    assert _fields(response) == {"measured_on"}


def test_a_measurement_cannot_be_in_the_future(client, world, initiative):
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    api = Api(client, world.supplier_admin)
    response = check(
        api, "POST", _url(world, f"/{initiative.pk}/measurements"), {"measured_on": tomorrow, "value": 1}, 422
    )
    assert _fields(response) == {"measured_on"}
