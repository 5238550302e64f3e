"""The planning API: loads (all or nothing, every bad row listed, idempotent), uploads, terms, runs,
exceptions, proposals and orders, and who may do what (stranger 404, viewer 403, the buyer confirms)."""

import datetime as dt
from typing import Any

import pytest
from tests import factories as f
from tests.apiclient import FOREIGN, VIEWER, Api, as_, check
from tests.contracts.planning import load_planning_data, seed_with_a_run

from mitra.planning import services
from mitra.planning.models import (
    AgreementStatus,
    Item,
    Location,
    OrderProposal,
    PlanningAgreement,
    PlanningCycle,
    PlanningException,
    SellOut,
)

pytestmark = pytest.mark.django_db


def path(world, suffix: str) -> str:
    return f"/partnerships/{world.partnership.pk}/planning/{suffix}"


ITEMS: list[dict[str, Any]] = [
    {"supplier_sku": "SR-001", "customer_sku": "RM-1", "name": "Kecap manis", "case_pack": 6},
    {"supplier_sku": "SR-002", "customer_sku": "RM-2", "name": "Sambal"},
]


# ---- loads --------------------------------------------------------------------------------------------


def test_a_load_with_two_bad_rows_lists_both_and_writes_nothing(client, world):
    api = Api(client, world.supplier_admin)
    rows = [
        ITEMS[0],
        {"supplier_sku": "SR-002", "customer_sku": "RM-2", "name": "Sambal", "case_pack": "six"},
        {"supplier_sku": "SR-003", "customer_sku": "RM-3", "name": ""},
    ]
    response = check(api, "POST", path(world, "items"), {"rows": rows}, 422)
    body = response.json()
    assert body["code"] == "invalid"
    assert body["rows"] == [
        {"row": 2, "column": "case_pack", "message": "Write a number."},
        {"row": 3, "column": "name", "message": "A value is required."},
    ]
    assert body["errors"] == [
        {"field": "row 2.case_pack", "message": "Write a number."},
        {"field": "row 3.name", "message": "A value is required."},
    ]
    assert Item.objects.count() == 0


def test_a_load_creates_then_a_repeat_writes_nothing_and_a_change_updates(client, world):
    api = Api(client, world.supplier_admin)
    first = check(api, "POST", path(world, "items"), {"rows": ITEMS}, 200).json()
    assert {k: first[k] for k in ("kind", "rows", "created", "updated", "unchanged", "dry_run")} == {
        "kind": "items",
        "rows": 2,
        "created": 2,
        "updated": 0,
        "unchanged": 0,
        "dry_run": False,
    }
    assert [r["action"] for r in first["preview"]] == ["create", "create"]
    stamps = list(Item.objects.order_by("pk").values_list("updated_at", flat=True))
    again = check(api, "POST", path(world, "items"), {"rows": ITEMS}, 200).json()
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 2)
    assert list(Item.objects.order_by("pk").values_list("updated_at", flat=True)) == stamps
    changed = [ITEMS[0], {**ITEMS[1], "name": "Sambal pedas"}]
    third = check(api, "POST", path(world, "items"), {"rows": changed}, 200).json()
    assert (third["created"], third["updated"], third["unchanged"]) == (0, 1, 1)
    assert Item.objects.get(supplier_sku="SR-002").name == "Sambal pedas"
    listed = check(api, "GET", path(world, "items?q=pedas"), None, 200).json()
    assert [i["supplier_sku"] for i in listed["items"]] == ["SR-002"]


def test_a_dry_run_load_previews_and_writes_nothing(client, world):
    api = Api(client, world.supplier_admin)
    report = check(api, "POST", path(world, "items"), {"rows": ITEMS, "dry_run": True}, 200).json()
    assert (report["created"], report["dry_run"]) == (2, True)
    assert Item.objects.count() == 0


def test_sell_out_loads_by_either_sku_and_lists_with_filters(client, world):
    api = Api(client, world.customer_admin)
    check(api, "POST", path(world, "items"), {"rows": ITEMS}, 200)
    check(api, "POST", path(world, "locations"), {"rows": [{"code": "DC", "name": "DC Cikarang"}]}, 200)
    rows = [
        {"sku": "RM-1", "location": "DC", "period": "2026-11-02", "quantity": 40},
        {"sku": "SR-002", "location": "DC", "period": "2026-11-09", "quantity": 3.5},
    ]
    report = check(api, "POST", path(world, "sell-out"), {"rows": rows}, 200).json()
    assert report["created"] == 2
    listed = check(api, "GET", path(world, "sell-out?since=2026-11-03"), None, 200).json()
    assert listed["count"] == 1
    (row,) = listed["items"]
    assert (row["supplier_sku"], row["customer_sku"], row["location_code"]) == ("SR-002", "RM-2", "DC")
    assert (row["period"], row["quantity"]) == ("2026-11-09", 3.5)


def test_a_row_naming_another_partnerships_item_is_a_row_error(client, world):
    services.planning_data_load(
        f.actor(world.foreign_admin), partnership_id=world.foreign_partnership.pk, kind="items", rows=ITEMS
    )
    api = Api(client, world.supplier_admin)
    check(api, "POST", path(world, "locations"), {"rows": [{"code": "DC", "name": "DC"}]}, 200)
    rows = [{"sku": "SR-001", "location": "DC", "period": "2026-11-02", "quantity": 1}]
    body = check(api, "POST", path(world, "sell-out"), {"rows": rows}, 422).json()
    assert body["rows"] == [{"row": 1, "column": "sku", "message": "No item “SR-001” in this partnership."}]
    assert SellOut.objects.count() == 0


# ---- uploads ------------------------------------------------------------------------------------------


def upload(client, api: Api, url: str, content: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    headers = {k: v for k, v in api.headers.items()}
    return client.post(
        f"/api/v1{url}", {"file": SimpleUploadedFile("items.csv", content, "text/csv")}, headers=headers
    )


def test_an_upload_dry_run_reports_and_writes_nothing_then_loads(client, world):
    api = Api(client, world.supplier_admin)
    content = "\ufeffsupplier_sku;customer_sku;name;case_pack\nSR-001;RM-1;Kecap;6\nSR-002;RM-2;Sambal;1\n"
    response = upload(client, api, path(world, "uploads/items?dry_run=true"), content.encode())
    assert response.status_code == 200, response.content
    report = response.json()
    assert (report["kind"], report["rows"], report["created"], report["dry_run"]) == ("items", 2, 2, True)
    assert report["preview"][0]["supplier_sku"] == "SR-001"
    assert Item.objects.count() == 0
    response = upload(client, api, path(world, "uploads/items"), content.encode())
    assert (response.status_code, response.json()["created"]) == (200, 2)
    assert Item.objects.count() == 2


def test_an_upload_names_the_bad_rows_as_numbered_in_the_file(client, world):
    api = Api(client, world.supplier_admin)
    content = b"supplier_sku,customer_sku,name,case_pack\nSR-001,RM-1,Kecap,0\nSR-002,RM-2,,1\n"
    response = upload(client, api, path(world, "uploads/items"), content)
    assert response.status_code == 422
    assert response.json()["rows"] == [
        {"row": 2, "column": "case_pack", "message": "The number must be above zero."},
        {"row": 3, "column": "name", "message": "A value is required."},
    ]
    assert Item.objects.count() == 0


def test_an_upload_of_an_unknown_kind_or_without_a_file_is_422(client, world):
    api = Api(client, world.supplier_admin)
    response = upload(client, api, path(world, "uploads/prices"), b"a,b\n1,2\n")
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "kind", "message": "Unknown kind of planning data: prices."}
    ]
    response = check(api, "POST", path(world, "uploads/items"), None, 422)
    assert response.json()["errors"][0]["field"] == "file"


# ---- who may do what ----------------------------------------------------------------------------------


@pytest.fixture
def planned(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        return seed_with_a_run(world)


def test_a_stranger_gets_404_on_every_planning_operation(client, world, planned):
    api = as_(client, world, FOREIGN)
    exception, order, proposal = (
        planned["planning_exception"],
        planned["planning_order"],
        planned["planning_proposal"],
    )
    calls = [
        ("GET", "items", None),
        ("POST", "items", {"rows": ITEMS}),
        ("GET", "sell-out", None),
        ("GET", "terms", None),
        ("POST", "terms", {"changes": {"service_level": 98}}),
        ("GET", f"cycles/{planned['planning_cycle']}", None),
        ("POST", "run", None),
        ("GET", "forecasts", None),
        ("GET", f"exceptions/{exception}", None),
        ("POST", f"exceptions/{exception}/resolve", {"resolution": "accepted"}),
        ("POST", "proposals/confirm", {"proposal_ids": [proposal]}),
        ("POST", "proposals/reject", {"proposal_ids": [proposal]}),
        ("GET", f"orders/{order}", None),
        ("GET", f"orders/{order}/export", None),
        ("GET", "simulation", None),
    ]
    for method, suffix, body in calls:
        check(api, method, path(world, suffix), body, 404)
    response = upload(client, api, path(world, "uploads/items"), b"supplier_sku,customer_sku,name\nA,B,C\n")
    assert response.status_code == 404


def test_a_viewer_may_read_but_not_write(client, world, planned):
    api = as_(client, world, VIEWER)
    assert check(api, "GET", path(world, "exceptions"), None, 200).json()["count"] >= 1
    check(api, "POST", path(world, "locations"), {"rows": [{"code": "SBY", "name": "Surabaya"}]}, 403)
    exception = planned["planning_exception"]
    check(api, "POST", path(world, f"exceptions/{exception}/resolve"), {"resolution": "accepted"}, 403)
    check(api, "POST", path(world, "run"), None, 403)


def test_the_supplier_cannot_confirm_proposals_but_the_buyer_can(client, world, planned):
    proposal = planned["planning_proposal"]
    body = {"proposal_ids": [proposal], "quantities": {str(proposal): 7}}
    check(Api(client, world.supplier_admin), "POST", path(world, "proposals/confirm"), body, 403)
    assert OrderProposal.objects.get(pk=proposal).status == "proposed"
    response = check(Api(client, world.customer_member), "POST", path(world, "proposals/confirm"), body, 200)
    (order,) = response.json()
    assert order["location_code"] == "DC"
    assert [(line["supplier_sku"], line["quantity"]) for line in order["lines"]] == [("SR-001", 12.0)]
    assert order["created_by_name"] == world.customer_member.user.full_name
    assert OrderProposal.objects.get(pk=proposal).status == "confirmed"
    # deciding it again is a conflict
    check(
        Api(client, world.customer_admin),
        "POST",
        path(world, "proposals/reject"),
        {"proposal_ids": [proposal]},
        409,
    )


def test_the_buyer_rejects_proposals(client, world, planned):
    spare = planned["planning_proposal_spare"]
    api = Api(client, world.customer_admin)
    assert check(api, "POST", path(world, "proposals/reject"), {"proposal_ids": [spare]}, 200).json() == {
        "rejected": 1
    }
    assert OrderProposal.objects.get(pk=spare).status == "rejected"
    listed = check(api, "GET", path(world, "proposals?status=rejected"), None, 200).json()
    assert [p["id"] for p in listed["items"]] == [spare]


# ---- exceptions, orders, export -----------------------------------------------------------------------


def test_exceptions_list_and_resolve_with_version(client, world, planned):
    api = Api(client, world.customer_member)
    listed = check(api, "GET", path(world, "exceptions?criterion=low_stock"), None, 200).json()
    assert listed["count"] == 3
    assert {e["location_code"] for e in listed["items"]} == {"DC", "JKT-01", "BDG-01"}
    exception = listed["items"][0]
    url = path(world, f"exceptions/{exception['id']}/resolve")
    check(api, "POST", url, {"resolution": "order_changed", "version": exception["version"] + 1}, 409)
    body = {"resolution": "order_changed", "note": " Ordered more ", "version": exception["version"]}
    resolved = check(api, "POST", url, body, 200).json()
    assert (resolved["status"], resolved["resolution"], resolved["note"]) == (
        "resolved",
        "order_changed",
        "Ordered more",
    )
    assert resolved["resolved_by_name"] == world.customer_member.user.full_name
    assert resolved["version"] == exception["version"] + 1
    check(api, "POST", url, {"resolution": "accepted"}, 409)
    assert PlanningException.objects.get(pk=exception["id"]).status == "resolved"


def test_an_order_is_listed_read_and_exported_as_csv(client, world, planned):
    api = Api(client, world.supplier_member)
    order_id = planned["planning_order"]
    listed = check(api, "GET", path(world, "orders"), None, 200).json()
    assert [(o["id"], o["location_code"], o["line_count"]) for o in listed["items"]] == [
        (order_id, "BDG-01", 1)
    ]
    order = check(api, "GET", path(world, f"orders/{order_id}"), None, 200).json()
    (line,) = order["lines"]
    response = check(api, "GET", path(world, f"orders/{order_id}/export"), None, 200)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="{order["number"]}.csv"'
    quantity = f"{line['quantity']:g}"
    assert response.content.decode().splitlines() == [
        "order_number,location,supplier_sku,customer_sku,item,quantity,unit,arrival",
        f"{order['number']},BDG-01,SR-001,RM-1,Kecap manis,{quantity},pcs,{line['arrival']}",
    ]


def test_forecasts_list_and_a_side_submits_its_own(client, world, planned):
    api = Api(client, world.customer_admin)
    cycle = PlanningCycle.objects.get(pk=planned["planning_cycle"])
    consensus = check(api, "GET", path(world, "forecasts?source=consensus&limit=500"), None, 200).json()
    assert consensus["count"] == 4 * 13  # three locations of SR-001 and SR-002 at the DC
    first = consensus["items"][0]
    assert (first["supplier_sku"], first["location_code"], first["cycle_id"]) == (
        "SR-001",
        "BDG-01",
        cycle.pk,
    )
    assert first["lo"] <= first["quantity"] <= first["hi"]
    rows = [
        {"sku": "RM-1", "location": "DC", "period": str(cycle.week + dt.timedelta(days=2)), "quantity": 44}
    ]
    assert check(api, "POST", path(world, "forecasts"), {"rows": rows}, 200).json() == {"written": 1}
    mine = check(api, "GET", path(world, "forecasts?source=customer"), None, 200).json()
    assert [(x["period"], x["quantity"], x["model"]) for x in mine["items"]] == [
        (str(cycle.week), 44.0, "customer")
    ]
    past = [{**rows[0], "period": str(cycle.week - dt.timedelta(weeks=1))}]
    body = check(api, "POST", path(world, "forecasts"), {"rows": past}, 422).json()
    assert body["rows"] == [
        {"row": 1, "column": "period", "message": "A forecast is for this week or later, not the past."}
    ]


# ---- terms, runs, simulation --------------------------------------------------------------------------


def test_terms_are_proposed_by_one_side_and_agreed_by_the_other(client, world):
    supplier, customer = Api(client, world.supplier_admin), Api(client, world.customer_admin)
    terms = check(supplier, "GET", path(world, "terms"), None, 200).json()
    assert (terms["status"], terms["terms"]["service_level"], terms["changes"]) == ("agreed", 95.0, {})
    body = {"changes": {"service_level": 98, "forecast_gap_pct": 30}}
    proposed = check(supplier, "POST", path(world, "terms"), body, 200).json()
    assert (proposed["status"], proposed["proposed_by_side"]) == ("proposed", "supplier")
    assert proposed["terms"]["service_level"] == 95.0 and proposed["proposed"]["service_level"] == 98.0
    assert proposed["changes"] == {
        "service_level": {"current": 95.0, "proposed": 98.0},
        "forecast_gap_pct": {"current": 20.0, "proposed": 30.0},
    }
    check(supplier, "POST", path(world, "terms/agree"), {}, 409)  # not one's own proposal
    check(customer, "POST", path(world, "terms/agree"), {"version": proposed["version"] - 1}, 409)
    agreed = check(customer, "POST", path(world, "terms/agree"), {"version": proposed["version"]}, 200).json()
    assert (agreed["status"], agreed["terms"]["service_level"], agreed["terms"]["forecast_gap_pct"]) == (
        "agreed",
        98.0,
        30.0,
    )
    assert PlanningAgreement.objects.get(partnership=world.partnership).status == AgreementStatus.AGREED
    check(customer, "POST", path(world, "terms"), {"changes": {"review_weeks": 2}}, 200)
    declined = check(customer, "POST", path(world, "terms/decline"), {}, 200).json()
    assert (declined["status"], declined["terms"]["review_weeks"]) == ("agreed", 1)
    check(customer, "POST", path(world, "terms"), {"changes": {"supplier_weight": 101}}, 422)


def test_a_run_is_queued_after_commit_and_answers_202(client, world, django_capture_on_commit_callbacks):
    api = Api(client, world.supplier_member)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = check(api, "POST", path(world, "run"), None, 202)
    cycle = response.json()
    assert (cycle["run_status"], cycle["run_progress"], cycle["status"]) == ("queued", 0, "open")
    assert len(callbacks) == 1
    shown = check(api, "GET", path(world, f"cycles/{cycle['id']}"), None, 200).json()
    assert shown["run_status"] == "queued"
    check(api, "POST", path(world, "run"), None, 409)
    assert [c["id"] for c in check(api, "GET", path(world, "cycles"), None, 200).json()["items"]] == [
        cycle["id"]
    ]


def test_the_simulation_without_history_is_empty_and_with_history_compares_policies(client, world):
    api = Api(client, world.customer_admin)
    empty = check(api, "GET", path(world, "simulation"), None, 200).json()
    assert empty == {"params": None, "series": 0, "weeks": 0, "policies": []}
    load_planning_data(world, weeks=60)
    sim = check(api, "GET", path(world, "simulation"), None, 200).json()
    assert sim["params"] == {"lead_time_weeks": 2, "review_weeks": 1, "service_level": 0.95}
    assert (sim["series"], sim["weeks"]) == (4, 60)
    assert sorted(p["policy"] for p in sim["policies"]) == ["partnering", "push"]
    assert all(0 <= p["fill_rate"] <= 1 for p in sim["policies"])


def test_locations_list_is_scoped_to_the_partnership(client, world):
    services.planning_data_load(
        f.actor(world.foreign_admin),
        partnership_id=world.foreign_partnership.pk,
        kind="locations",
        rows=[{"code": "X", "name": "Elsewhere"}],
    )
    api = Api(client, world.supplier_admin)
    check(api, "POST", path(world, "locations"), {"rows": [{"code": "DC", "name": "DC", "kind": "dc"}]}, 200)
    listed = check(api, "GET", path(world, "locations"), None, 200).json()
    assert [(x["code"], x["kind"]) for x in listed["items"]] == [("DC", "dc")]
    assert Location.objects.count() == 2
