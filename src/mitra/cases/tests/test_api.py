"""Every rule of the cases workflow, through the API."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from tests import factories as f
from tests.apiclient import Api, check
from tests.contracts.cases import make_case

from mitra.cases.models import Case
from mitra.risks.models import Risk
from mitra.threads.models import Event


@pytest.fixture
def p(world):
    return world.partnership.pk


@pytest.fixture
def supplier(client, world):
    return Api(client, world.supplier_admin)


@pytest.fixture
def customer(client, world):
    return Api(client, world.customer_member)


def _risk(partnership, title="Cold chain breaks") -> Risk:
    return Risk.objects.create(partnership=partnership, title=title, raised_by_side="customer")


def _body(**extra):
    return {
        "title": "Cartons arrived crushed",
        "description": "Three pallets of instant noodles, 12 May.",
        "severity": "high",
        "category": "quality",
        "desired_outcome": "Undamaged cartons on our shelves before Saturday.",
        **extra,
    }


def _events(case_id, verb):
    return Event.objects.filter(kind="case", object_id=case_id, verb=verb).count()


# --- raising a case -------------------------------------------------------------------------------------


def test_customer_raises_a_case_and_its_desired_outcome_is_confirmed_by_them(customer, world, p):
    response = check(customer, "POST", f"/partnerships/{p}/cases", _body(root_cause="material"), 201)
    data = response.json()
    assert data["status"] == "open"
    assert data["raised_by_side"] == "customer"
    assert data["outcome_confirmed"] is True
    assert data["outcome_stated_by_id"] == world.customer_member.pk
    assert data["root_cause"] == "material"
    assert data["is_breached"] is False
    raised = dt.datetime.fromisoformat(data["created_at"])
    due = dt.datetime.fromisoformat(data["sla_due_at"])
    assert due - raised == pytest.approx(dt.timedelta(hours=72), abs=dt.timedelta(seconds=2))
    case = Case.objects.get(pk=data["id"])
    assert case.history.count() == 1
    assert case.history.first().history_user == world.customer_member.user
    assert _events(case.pk, "created") == 1


@pytest.mark.parametrize(
    ("severity", "hours"), [("critical", 24), ("high", 72), ("medium", 168), ("low", 336)]
)
def test_sla_due_follows_the_severity(supplier, p, severity, hours):
    data = check(supplier, "POST", f"/partnerships/{p}/cases", _body(severity=severity), 201).json()
    delta = dt.datetime.fromisoformat(data["sla_due_at"]) - dt.datetime.fromisoformat(data["created_at"])
    assert abs(delta - dt.timedelta(hours=hours)) < dt.timedelta(seconds=2)


@pytest.mark.parametrize("outcome", [None, "", "   "])
def test_a_case_needs_the_customers_desired_outcome(supplier, p, outcome):
    body = _body()
    if outcome is None:
        del body["desired_outcome"]
    else:
        body["desired_outcome"] = outcome
    response = check(supplier, "POST", f"/partnerships/{p}/cases", body, 422)
    assert [e["field"] for e in response.json()["errors"]] == ["desired_outcome"]


def test_supplier_entered_outcome_is_unconfirmed_until_the_customer_confirms(supplier, customer, world, p):
    data = check(
        supplier,
        "POST",
        f"/partnerships/{p}/cases",
        _body(outcome_stated_by_id=world.customer_admin.pk),
        201,
    ).json()
    assert data["outcome_confirmed"] is False
    assert data["outcome_stated_by_id"] == world.customer_admin.pk
    path = f"/partnerships/{p}/cases/{data['id']}/outcome/confirm"
    check(supplier, "POST", path, None, 403)
    confirmed = check(customer, "POST", path, None, 200).json()
    assert confirmed["outcome_confirmed"] is True
    assert _events(data["id"], "outcome_confirmed") == 1
    check(customer, "POST", path, None, 409)


def test_outcome_stated_by_must_be_a_customer_side_member(supplier, world, p):
    response = check(
        supplier,
        "POST",
        f"/partnerships/{p}/cases",
        _body(outcome_stated_by_id=world.supplier_member.pk),
        422,
    )
    assert response.json()["errors"][0]["field"] == "outcome_stated_by_id"


def test_a_case_can_be_anticipated_by_a_risk_of_the_same_partnership_only(supplier, world, p):
    risk = _risk(world.partnership)
    foreign = _risk(world.foreign_partnership, "Someone else's risk")
    data = check(supplier, "POST", f"/partnerships/{p}/cases", _body(anticipated_by_id=risk.pk), 201).json()
    assert data["anticipated_by_id"] == risk.pk
    assert risk.cases.get().pk == data["id"]
    response = check(supplier, "POST", f"/partnerships/{p}/cases", _body(anticipated_by_id=foreign.pk), 422)
    assert response.json()["errors"][0]["field"] == "anticipated_by_id"


def test_viewers_cannot_raise_and_strangers_get_404(client, world, p):
    check(Api(client, world.supplier_viewer), "POST", f"/partnerships/{p}/cases", _body(), 403)
    check(Api(client, world.foreign_admin), "POST", f"/partnerships/{p}/cases", _body(), 404)
    check(Api(client, world.foreign_admin), "GET", f"/partnerships/{p}/cases", None, 404)
    check(Api(client, None), "GET", f"/partnerships/{p}/cases", None, 401)


def test_an_ended_partnership_takes_no_new_cases(supplier, world, p):
    world.partnership.status = "ended"
    world.partnership.save()
    check(supplier, "POST", f"/partnerships/{p}/cases", _body(), 409)
    assert check(supplier, "GET", f"/partnerships/{p}/cases", None, 200).json()["count"] == 0


# --- update ---------------------------------------------------------------------------------------------


def test_update_with_version_sets_the_root_cause_later_and_moves_the_sla(supplier, world, p):
    case = make_case(world)
    assert case.root_cause == ""
    path = f"/partnerships/{p}/cases/{case.pk}"
    data = check(
        supplier,
        "PATCH",
        path,
        {"version": case.version, "root_cause": "method", "severity": "critical", "title": "Crushed cartons"},
        200,
    ).json()
    assert data["root_cause"] == "method"
    assert data["title"] == "Crushed cartons"
    assert data["version"] == case.version + 1
    due = dt.datetime.fromisoformat(data["sla_due_at"])
    assert abs(due - (case.created_at + dt.timedelta(hours=24))) < dt.timedelta(seconds=1)
    check(supplier, "PATCH", path, {"version": case.version, "title": "Stale"}, 409)
    case.refresh_from_db()
    assert case.history.filter(history_type="~").exists()
    assert check(supplier, "PATCH", path, {"root_cause": None}, 200).json()["root_cause"] == ""


def test_a_closed_case_cannot_be_edited(supplier, world, p):
    case = make_case(world, "closed")
    check(supplier, "PATCH", f"/partnerships/{p}/cases/{case.pk}", {"title": "Later"}, 409)


# --- options and choosing -------------------------------------------------------------------------------


def test_either_side_adds_options_while_open(supplier, customer, world, p):
    data = check(supplier, "POST", f"/partnerships/{p}/cases", _body(), 201).json()
    path = f"/partnerships/{p}/cases/{data['id']}/options"
    one = check(
        supplier,
        "POST",
        path,
        {"summary": "Replace the pallets", "value_to_customer": 2, "value_to_supplier": -1},
        201,
    ).json()
    assert one["is_win_win"] is False
    assert one["proposed_by_side"] == "supplier"
    two = check(customer, "POST", path, {"summary": "Credit note", "effort": "low"}, 201).json()
    assert two["proposed_by_side"] == "customer"
    assert two["is_win_win"] is True
    listed = check(customer, "GET", path, None, 200).json()
    assert [o["id"] for o in listed["items"]] == [one["id"], two["id"]]
    assert _events(data["id"], "option_added") == 2
    check(supplier, "POST", path, {"summary": "Too good", "value_to_customer": 3}, 422)
    check(Api(supplier.client, world.supplier_viewer), "POST", path, {"summary": "Viewer"}, 403)


def test_no_options_on_a_resolved_case(supplier, world, p):
    case = make_case(world, "resolved")
    check(supplier, "POST", f"/partnerships/{p}/cases/{case.pk}/options", {"summary": "Late idea"}, 409)


def test_choosing_needs_at_least_two_options(supplier, world, p):
    data = check(supplier, "POST", f"/partnerships/{p}/cases", _body(), 201).json()
    option = check(
        supplier, "POST", f"/partnerships/{p}/cases/{data['id']}/options", {"summary": "Only idea"}, 201
    ).json()
    response = check(
        supplier, "POST", f"/partnerships/{p}/cases/{data['id']}/choose", {"option_id": option["id"]}, 409
    )
    assert "two options" in response.json()["detail"]


def test_a_non_win_win_choice_needs_a_justification(customer, world, p):
    case = make_case(world)
    lose = case.options.get(summary="Credit note")  # value to the supplier −1
    path = f"/partnerships/{p}/cases/{case.pk}/choose"
    response = check(customer, "POST", path, {"option_id": lose.pk}, 422)
    assert response.json()["errors"][0]["field"] == "justification"
    check(customer, "POST", path, {"option_id": lose.pk, "justification": "  "}, 422)
    data = check(
        customer,
        "POST",
        path,
        {"option_id": lose.pk, "justification": "Keeps the Lebaran promotion alive."},
        200,
    ).json()
    assert data["status"] == "in_progress"
    assert data["chosen_option_id"] == lose.pk
    assert data["justification"] == "Keeps the Lebaran promotion alive."
    assert _events(case.pk, "chosen") == 1


def test_a_win_win_choice_needs_no_justification_and_the_option_must_be_the_cases(supplier, world, p):
    case = make_case(world)
    other = make_case(world, title="Another")
    path = f"/partnerships/{p}/cases/{case.pk}/choose"
    response = check(supplier, "POST", path, {"option_id": other.options.first().pk}, 422)
    assert response.json()["errors"][0]["field"] == "option_id"
    win = case.options.get(summary="Extra truck")
    assert check(supplier, "POST", path, {"option_id": win.pk}, 200).json()["status"] == "in_progress"


# --- resolve, confirm, dispute --------------------------------------------------------------------------


def test_only_the_supplier_resolves_and_only_after_a_choice(supplier, customer, world, p):
    case = make_case(world)
    path = f"/partnerships/{p}/cases/{case.pk}/resolve"
    check(supplier, "POST", path, {"resolution_note": "Done"}, 409)
    chosen = make_case(world, "chosen")
    path = f"/partnerships/{p}/cases/{chosen.pk}/resolve"
    check(customer, "POST", path, {"resolution_note": "Done"}, 403)
    data = check(supplier, "POST", path, {"resolution_note": "Truck left at 6:00"}, 200).json()
    assert data["status"] == "resolved"
    assert data["resolution_note"] == "Truck left at 6:00"
    assert data["resolved_at"]
    check(supplier, "POST", path, {}, 409)
    assert _events(chosen.pk, "resolved") == 1


def test_only_the_customer_closes_a_resolved_case(supplier, customer, world, p):
    case = make_case(world, "resolved")
    path = f"/partnerships/{p}/cases/{case.pk}/confirm"
    check(supplier, "POST", path, None, 403)
    check(Api(customer.client, world.supplier_member), "POST", path, None, 403)
    data = check(customer, "POST", path, None, 200).json()
    assert data["status"] == "closed"
    assert data["closed_at"]
    # Closing also confirms the desired outcome the supplier side wrote down.
    assert data["outcome_confirmed"] is True
    case.refresh_from_db()
    assert case.history.first().history_user == world.customer_member.user
    check(customer, "POST", path, None, 409)
    assert _events(case.pk, "confirmed") == 1


def test_confirm_needs_a_resolved_case(customer, world, p):
    case = make_case(world, "chosen")
    check(customer, "POST", f"/partnerships/{p}/cases/{case.pk}/confirm", None, 409)


def test_the_customer_disputes_a_resolution_and_it_goes_back_in_progress(supplier, customer, world, p):
    case = make_case(world, "resolved")
    path = f"/partnerships/{p}/cases/{case.pk}/dispute"
    check(supplier, "POST", path, {"reason": "Not fixed"}, 403)
    response = check(customer, "POST", path, {"reason": "  "}, 422)
    assert response.json()["errors"][0]["field"] == "reason"
    check(customer, "POST", path, {}, 422)
    data = check(customer, "POST", path, {"reason": "Two cartons still crushed"}, 200).json()
    assert data["status"] == "in_progress"
    assert data["dispute_count"] == 1
    assert data["dispute_reason"] == "Two cartons still crushed"
    check(customer, "POST", path, {"reason": "Again"}, 409)
    # The supplier resolves again, the customer disputes again: the count grows.
    check(supplier, "POST", f"/partnerships/{p}/cases/{case.pk}/resolve", {}, 200)
    assert check(customer, "POST", path, {"reason": "Again"}, 200).json()["dispute_count"] == 2
    assert _events(case.pk, "disputed") == 2


def test_viewers_and_strangers_cannot_move_a_case(client, world, p):
    case = make_case(world, "resolved")
    viewer = Api(client, world.supplier_viewer)
    stranger = Api(client, world.foreign_admin)
    for action, body in (("confirm", None), ("dispute", {"reason": "x"}), ("outcome/confirm", None)):
        check(viewer, "POST", f"/partnerships/{p}/cases/{case.pk}/{action}", body, 403)
        check(stranger, "POST", f"/partnerships/{p}/cases/{case.pk}/{action}", body, 404)
    check(stranger, "GET", f"/partnerships/{p}/cases/{case.pk}", None, 404)
    check(stranger, "GET", f"/partnerships/{p}/cases/{case.pk}/options", None, 404)


def test_a_case_of_another_partnership_is_not_found_under_this_one(client, world):
    case = make_case(world)
    other = f.PartnershipFactory(supplier=world.supplier, customer=world.foreign)
    api = Api(client, world.supplier_admin)
    check(api, "GET", f"/partnerships/{other.pk}/cases/{case.pk}", None, 404)
    check(api, "PATCH", f"/partnerships/{other.pk}/cases/{case.pk}", {"title": "x"}, 404)


# --- list, filters, SLA, root causes --------------------------------------------------------------------


def test_list_filters_by_status_severity_and_breach(supplier, world, p):
    late = make_case(world, severity="critical", title="Late")
    Case.objects.filter(pk=late.pk).update(sla_due_at=timezone.now() - dt.timedelta(hours=1))
    closed = make_case(world, "closed", severity="low", title="Done")
    base = f"/partnerships/{p}/cases"
    ids = lambda q: [c["id"] for c in check(supplier, "GET", base + q, None, 200).json()["items"]]  # noqa: E731
    assert ids("?breached=true") == [late.pk]
    assert closed.pk in ids("?breached=false") and late.pk not in ids("?breached=false")
    assert ids("?status=closed") == [closed.pk]
    assert ids("?severity=critical") == [late.pk]
    item = check(supplier, "GET", f"{base}/{late.pk}", None, 200).json()
    assert item["is_breached"] is True
    assert item["option_count"] == 2


def test_a_case_resolved_after_its_due_time_counts_as_breached(supplier, world, p):
    case = make_case(world, "resolved")
    Case.objects.filter(pk=case.pk).update(sla_due_at=case.resolved_at - dt.timedelta(minutes=1))
    assert (
        check(supplier, "GET", f"/partnerships/{p}/cases/{case.pk}", None, 200).json()["is_breached"] is True
    )


def test_root_causes_are_counted_and_three_is_recurring(supplier, world, p):
    for n in range(3):
        make_case(world, title=f"Mislabelled {n}", root_cause="process")
    make_case(world, title="Broken forklift", root_cause="equipment")
    old = make_case(world, title="Ancient", root_cause="equipment")
    Case.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(days=400))
    make_case(world, title="No idea yet")
    data = check(supplier, "GET", f"/partnerships/{p}/cases/root-causes", None, 200).json()
    assert data == [
        {"root_cause": "process", "label": "Process", "count": 3, "recurring": True},
        {"root_cause": "equipment", "label": "Equipment", "count": 1, "recurring": False},
    ]


def test_list_queries_do_not_grow_with_cases(supplier, world, p):
    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            check(supplier, "GET", f"/partnerships/{p}/cases", None, 200)
        return len(ctx.captured_queries)

    for n in range(2):
        make_case(world, title=f"Case {n}", anticipated_by_id=_risk(world.partnership, f"Risk {n}").pk)
    count()  # the token's first use is recorded once
    two = count()
    for n in range(18):
        make_case(world, title=f"More {n}")
    assert count() == two
